-- The formations of the training sites of a territory (or of one $area), each year, of every diploma
-- of our professions (`training_sites.leading_to` keeps those of a selection), from every source
-- (Parcoursup sessions, lycées' wishes, BTS wishes, pupils, a partner's figures), by place and
-- diploma, the latest year first: the place, its canton, the diploma, and the figures its source
-- gives (NULL where it gives none). A site no directory places (`placed`
-- false) has no commune: it belongs to its département only, never to an area.
SELECT p.provider_id AS site_id, p.name AS site, p.uai, w.commune_code, w.commune, w.canton_code, w.canton,
       d.code AS departement_code, d.name AS departement, w.placed,
       dp.code AS diploma_code, dp.label AS diploma, dp.short_label AS diploma_short, dp.professions, i.formation, i.year, i.kind, i.pathway,
       i.places, i.candidates, i.proposals, i.admitted, i.first_wishes, i.pupils
FROM site_figure AS i
JOIN provider AS p ON p.provider_id = i.provider_id
JOIN site_place AS w ON w.provider_id = i.provider_id
JOIN diploma AS dp ON dp.code = i.diploma_code
JOIN departement AS d ON d.code = w.departement_code
WHERE ($area IS NULL OR w.canton_code = $area)
  AND ($region IS NULL OR d.region_code = $region) AND ($departement IS NULL OR d.code = $departement)
ORDER BY d.code, w.canton_code NULLS LAST, p.name, dp.code, i.year DESC, i.kind, i.formation, i.pathway NULLS FIRST
