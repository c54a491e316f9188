-- Each area's municipal population in the first and the last year of the INSEE series, counting
-- only the communes that have a figure both years (so that a merged commune does not count as growth).
WITH span AS (SELECT MIN(year) AS first, MAX(year) AS last FROM commune_population),
both_years AS (
    SELECT p.commune_code,
           MAX(p.population) FILTER (WHERE p.year = s.first) AS first_population,
           MAX(p.population) FILTER (WHERE p.year = s.last) AS last_population
    FROM commune_population AS p, span AS s
    WHERE p.year IN (s.first, s.last)
    GROUP BY p.commune_code
    HAVING COUNT(*) = 2)
SELECT c.code, c.name, c.kind, s.first AS first_year, s.last AS last_year,
       SUM(b.first_population) AS first_population, SUM(b.last_population) AS last_population
FROM both_years AS b
JOIN commune AS m ON m.code = b.commune_code
JOIN canton AS c ON c.code = m.canton_code
JOIN departement AS d ON d.code = c.departement_code, span AS s
WHERE ($region IS NULL OR d.region_code = $region) AND ($departement IS NULL OR d.code = $departement)
GROUP BY ALL
ORDER BY c.code
