-- The exact BMO figures of the bassins an area takes a share of, with that share (population of
-- the bassin's communes in the area ÷ in the département): the estimate's working, shown beside it.
WITH shares AS (
    SELECT b.bassin_code, c.departement_code, m.canton_code, SUM(m.population) AS population
    FROM commune_bassin AS b
    JOIN commune AS m ON m.code = b.commune_code
    JOIN canton AS c ON c.code = m.canton_code
    GROUP BY ALL),
totals AS (
    SELECT bassin_code, departement_code, SUM(population) AS total FROM shares GROUP BY ALL)
SELECT p.label AS bmo_label, bb.bmo_code, bb.bassin_code, bb.bassin_name,
       bb.recruitment_projects, bb.recruitment_projects_secret,
       bb.difficult_projects, bb.difficult_projects_secret,
       s.population / NULLIF(t.total, 0) AS share
FROM bmo_bassin AS bb
JOIN shares AS s ON s.bassin_code = bb.bassin_code AND s.departement_code = bb.departement_code
JOIN totals AS t ON t.bassin_code = bb.bassin_code AND t.departement_code = bb.departement_code
JOIN profession AS p ON p.code = bb.bmo_code
WHERE s.canton_code = $area AND bb.year = $year AND (len($bmo) = 0 OR list_contains($bmo, bb.bmo_code))
ORDER BY bb.bmo_code, bb.bassin_code
