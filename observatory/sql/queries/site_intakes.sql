-- The Parcoursup formations of a territory's training sites whose diploma leads to one profession:
-- places, candidates, proposals and admissions as published, each session.
SELECT i.year, p.name AS site, m.name AS commune, dp.label AS diploma, dp.professions, i.formation,
       i.places, i.candidates, i.proposals, i.admitted
FROM site_intake AS i
JOIN provider AS p ON p.provider_id = i.provider_id
JOIN diploma AS dp ON dp.code = i.diploma_code
JOIN commune AS m ON m.code = p.commune_code
JOIN canton AS c ON c.code = m.canton_code
JOIN departement AS d ON d.code = c.departement_code
WHERE list_contains(dp.professions, $profession)
  AND ($region IS NULL OR d.region_code = $region) AND ($departement IS NULL OR d.code = $departement)
ORDER BY i.year DESC, p.name, i.formation
