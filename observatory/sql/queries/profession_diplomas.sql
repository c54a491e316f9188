-- The diplomas that lead to one profession, with the number of training sites in all of France
-- that the distances use for it (the sites linked to the profession: placed by a list with positions,
-- Parcoursup 2018-2019 or an imported catalogue; a lycée's or a later Parcoursup file's figures name
-- no position list complete enough for distances) and the latest session of that list (the intakes
-- brought by the file that placed the site, not those added to it later).
SELECT dp.code, dp.label, dp.level, dp.note,
       COUNT(DISTINCT i.provider_id) FILTER (WHERE pp.provider_id IS NOT NULL) AS sites,
       MAX(i.year) FILTER (WHERE pp.provider_id IS NOT NULL AND i.source_id = p.source_id) AS year
FROM diploma AS dp
LEFT JOIN site_intake AS i ON i.diploma_code = dp.code
LEFT JOIN provider AS p ON p.provider_id = i.provider_id
LEFT JOIN provider_profession AS pp ON pp.provider_id = i.provider_id AND pp.profession_code = $profession
WHERE list_contains(dp.professions, $profession)
GROUP BY ALL
ORDER BY dp.code
