-- The communes of a territory farthest from a place training for one profession (all of them when
-- $limit is NULL), with their distance, and how many communes the territory has in all.
SELECT COUNT(*) OVER () AS communes_in_territory, m.code, m.name, m.canton_code, m.population, a.distance_km, p.name AS provider, p.website,
       COALESCE(pc.name, 'hors du territoire, département ' || p.departement_code) AS provider_commune
FROM commune AS m
JOIN canton AS c ON c.code = m.canton_code
JOIN departement AS d ON d.code = c.departement_code
LEFT JOIN commune_access AS a ON a.commune_code = m.code AND a.profession_code = $profession
LEFT JOIN provider AS p ON p.provider_id = a.provider_id
LEFT JOIN commune AS pc ON pc.code = p.commune_code
WHERE ($region IS NULL OR d.region_code = $region) AND ($departement IS NULL OR d.code = $departement)
ORDER BY a.distance_km DESC NULLS FIRST, m.population DESC
LIMIT $limit
