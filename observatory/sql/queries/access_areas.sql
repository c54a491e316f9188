-- Per area of a territory: its inhabitants farther than $km (or with no place at all) from the
-- nearest place training for one profession, and the largest distance of its communes.
SELECT m.canton_code,
       SUM(CASE WHEN a.distance_km IS NULL OR a.distance_km > $km THEN m.population ELSE 0 END) AS population_far,
       MAX(a.distance_km) AS max_km
FROM commune AS m
JOIN canton AS c ON c.code = m.canton_code
JOIN departement AS d ON d.code = c.departement_code
LEFT JOIN commune_access AS a ON a.commune_code = m.code AND a.profession_code = $profession
WHERE ($region IS NULL OR d.region_code = $region) AND ($departement IS NULL OR d.code = $departement)
GROUP BY m.canton_code
