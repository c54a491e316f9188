-- The areas (cantons and shared towns) of a territory: all ($region and $departement NULL), a
-- région or a département.
SELECT c.code, c.name, c.kind, c.parent_cantons, c.population, c.departement_code, COUNT(m.code) AS n_communes
FROM canton AS c
JOIN departement AS d ON d.code = c.departement_code
LEFT JOIN commune AS m ON m.canton_code = c.code
WHERE ($region IS NULL OR d.region_code = $region) AND ($departement IS NULL OR d.code = $departement)
GROUP BY ALL
ORDER BY c.kind, c.code
