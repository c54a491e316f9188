-- Per département of the territory and year: the people aged 75 and over on 1 January, observed
-- (INSEE estimates, kind 'observed') and projected (DREES, kind 'projected'), and the projected 60-74.
SELECT 'observed' AS kind, p.year, p.departement_code, p.age_group, p.population
FROM departement_population AS p
JOIN departement AS d ON d.code = p.departement_code
WHERE p.age_group = '75+'
  AND ($region IS NULL OR d.region_code = $region) AND ($departement IS NULL OR d.code = $departement)
UNION ALL
SELECT 'projected', j.year, j.departement_code, j.age_group, j.population
FROM age_projection AS j
JOIN departement AS d ON d.code = j.departement_code
WHERE ($region IS NULL OR d.region_code = $region) AND ($departement IS NULL OR d.code = $departement)
ORDER BY kind, year, departement_code, age_group
