SELECT c.code, c.name, c.kind, c.parent_cantons, c.population, COUNT(m.code) AS n_communes
FROM canton AS c LEFT JOIN commune AS m ON m.canton_code = c.code
GROUP BY ALL
ORDER BY c.kind, c.code
