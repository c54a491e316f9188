-- Recruitment projects of the territory's bassin rows for the métiers BMO of care for older people,
-- per survey year: the published cells summed, the withheld ones counted apart (never estimated).
SELECT b.year, b.bmo_code, p.label AS bmo_label,
       SUM(b.recruitment_projects) AS projects,
       COUNT(*) FILTER (WHERE b.recruitment_projects_secret) AS withheld
FROM bmo_bassin AS b
JOIN departement AS d ON d.code = b.departement_code
JOIN profession AS p ON p.code = b.bmo_code
WHERE list_contains($codes, b.bmo_code)
  AND ($region IS NULL OR d.region_code = $region) AND ($departement IS NULL OR d.code = $departement)
GROUP BY ALL
ORDER BY b.year, b.bmo_code
