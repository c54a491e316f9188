-- The Parcoursup formations of one area's training sites (every diploma of our professions, or
-- those leading to $professions): places, candidates, proposals and admissions, each session.
SELECT i.year, p.name AS site, m.name AS commune, dp.label AS diploma, dp.professions, i.formation,
       i.places, i.candidates, i.proposals, i.admitted
FROM site_intake AS i
JOIN provider AS p ON p.provider_id = i.provider_id
JOIN diploma AS dp ON dp.code = i.diploma_code
JOIN commune AS m ON m.code = p.commune_code
WHERE m.canton_code = $area
  AND (len($professions) = 0 OR list_has_any(dp.professions, $professions))
ORDER BY i.year DESC, p.name, i.formation
