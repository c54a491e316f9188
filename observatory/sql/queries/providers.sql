-- Training providers of a territory, with the professions they train for (those selected); the
-- demo ones only when $demo.
SELECT p.provider_id, p.name, p.commune_code, m.name AS commune_name, m.canton_code, p.lon, p.lat,
       p.website, s.is_demo,
       LIST(pp.profession_code ORDER BY pp.profession_code) AS professions
FROM provider AS p
JOIN commune AS m ON m.code = p.commune_code
JOIN canton AS c ON c.code = m.canton_code
JOIN departement AS d ON d.code = c.departement_code
JOIN source AS s ON s.source_id = p.source_id
JOIN provider_profession AS pp ON pp.provider_id = p.provider_id
WHERE (len($professions) = 0 OR list_contains($professions, pp.profession_code))
  AND ($region IS NULL OR d.region_code = $region) AND ($departement IS NULL OR d.code = $departement)
  AND ($demo OR NOT s.is_demo)
GROUP BY ALL
ORDER BY p.name
