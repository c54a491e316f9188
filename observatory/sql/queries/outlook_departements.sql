-- The territory's départements, with their names (the outlook lists those it cannot project).
SELECT d.code, d.name
FROM departement AS d
WHERE ($region IS NULL OR d.region_code = $region) AND ($departement IS NULL OR d.code = $departement)
ORDER BY d.code
