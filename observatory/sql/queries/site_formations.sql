-- The Parcoursup formations of the training sites of a territory (or of one $area), each session,
-- whose diploma leads to one of $professions (an empty list: every diploma of our professions):
-- the place, its canton, the diploma, and the places, candidates, proposals and admissions.
SELECT p.name AS site, p.uai, m.code AS commune_code, m.name AS commune, c.code AS canton_code, c.name AS canton,
       d.code AS departement_code, dp.label AS diploma, dp.professions, i.formation, i.year,
       i.places, i.candidates, i.proposals, i.admitted
FROM site_intake AS i
JOIN provider AS p ON p.provider_id = i.provider_id
JOIN diploma AS dp ON dp.code = i.diploma_code
JOIN commune AS m ON m.code = p.commune_code
JOIN canton AS c ON c.code = m.canton_code
JOIN departement AS d ON d.code = c.departement_code
WHERE (len($professions) = 0 OR list_has_any(dp.professions, $professions))
  AND ($area IS NULL OR m.canton_code = $area)
  AND ($region IS NULL OR d.region_code = $region) AND ($departement IS NULL OR d.code = $departement)
ORDER BY i.year DESC, d.code, c.code, p.name, i.formation
