-- Each commune's distance to the nearest place training for one profession.
SELECT m.code, m.name, m.canton_code, m.population, a.distance_km, p.name AS provider, p.website,
       pc.name AS provider_commune
FROM commune AS m
LEFT JOIN commune_access AS a ON a.commune_code = m.code AND a.profession_code = $profession
LEFT JOIN provider AS p ON p.provider_id = a.provider_id
LEFT JOIN commune AS pc ON pc.code = p.commune_code
ORDER BY a.distance_km DESC NULLS FIRST, m.population DESC
