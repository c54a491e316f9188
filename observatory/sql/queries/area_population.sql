-- An area's municipal population per year (INSEE), the sum of its communes that have a figure.
SELECT p.year, SUM(p.population) AS population, COUNT(*) AS communes
FROM commune_population AS p JOIN commune AS c ON c.code = p.commune_code
WHERE c.canton_code = $area
GROUP BY p.year ORDER BY p.year
