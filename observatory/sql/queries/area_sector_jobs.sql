-- Salaried jobs of the health and social-work sector per area of the territory and year (URSSAF,
-- or demo jobs where no URSSAF file was imported), with whether any of it is demo.
SELECT a.code, j.year, SUM(j.jobs) AS jobs, SUM(j.establishments) AS establishments,
       BOOL_OR(s.is_demo) AS is_demo
FROM sector_jobs AS j
JOIN commune AS c ON c.code = j.commune_code
JOIN canton AS a ON a.code = c.canton_code
JOIN departement AS d ON d.code = a.departement_code
JOIN source AS s ON s.source_id = j.source_id
WHERE ($region IS NULL OR d.region_code = $region) AND ($departement IS NULL OR d.code = $departement)
GROUP BY ALL
ORDER BY a.code, j.year
