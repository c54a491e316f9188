-- Social housing of each area of the territory on 1 January of its département's latest RPLS year
-- (a newer file may cover only some départements): its communes' dwellings added up (a commune without a row has none). Vacant dwellings add only the communes whose
-- detail is published; `stock_detailed` is the stock of those communes, the base of the vacancy rate.
WITH latest AS (SELECT departement_code, MAX(year) AS year FROM commune_social_housing GROUP BY ALL)
SELECT a.code, a.name, a.kind, a.departement_code, a.population, l.year,
       (SELECT MAX(year) FROM commune_population) AS population_year,
       COALESCE(SUM(h.stock), 0) AS stock,
       COALESCE(SUM(h.vacant), 0) AS vacant,
       COALESCE(SUM(h.stock) FILTER (WHERE h.vacant IS NOT NULL), 0) AS stock_detailed,
       COUNT(h.commune_code) FILTER (WHERE h.vacant IS NULL) AS secret_communes
FROM canton AS a
JOIN departement AS d ON d.code = a.departement_code
JOIN commune AS c ON c.canton_code = a.code
JOIN latest AS l ON l.departement_code = a.departement_code
LEFT JOIN commune_social_housing AS h ON h.commune_code = c.code AND h.year = l.year
WHERE ($region IS NULL OR d.region_code = $region) AND ($departement IS NULL OR d.code = $departement)
GROUP BY ALL
ORDER BY a.code
