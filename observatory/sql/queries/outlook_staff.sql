-- Per year and category: the territory's départements' own social and medico-social staff (DREES),
-- the published cells summed, the départements with a row counted, and those whose cell is not published.
SELECT s.year, s.category,
       SUM(s.headcount) AS headcount, SUM(s.fte) AS fte,
       COUNT(*) AS departements,
       COUNT(*) FILTER (WHERE s.headcount IS NULL) AS unknown
FROM departement_staff AS s
JOIN departement AS d ON d.code = s.departement_code
WHERE ($region IS NULL OR d.region_code = $region) AND ($departement IS NULL OR d.code = $departement)
GROUP BY ALL
ORDER BY s.year, s.category
