-- The territory's population by age group and year (INSEE estimates of its départements, summed).
SELECT p.year, p.age_group, SUM(p.population) AS population, COUNT(DISTINCT p.departement_code) AS departements
FROM departement_population AS p
JOIN departement AS d ON d.code = p.departement_code
WHERE ($region IS NULL OR d.region_code = $region) AND ($departement IS NULL OR d.code = $departement)
GROUP BY ALL
ORDER BY p.year, p.age_group
