-- The diplomas that lead to one profession, with the number of training sites in all of France
-- that the distances use for it (the Parcoursup sites linked to the profession; a lycée's figures
-- name no position list complete enough for distances) and the latest Parcoursup session of them.
SELECT dp.code, dp.label, dp.level, dp.note,
       COUNT(DISTINCT i.provider_id) FILTER (WHERE pp.provider_id IS NOT NULL) AS sites,
       MAX(i.year) FILTER (WHERE pp.provider_id IS NOT NULL AND i.kind = 'parcoursup') AS year
FROM diploma AS dp
LEFT JOIN site_intake AS i ON i.diploma_code = dp.code
LEFT JOIN provider_profession AS pp ON pp.provider_id = i.provider_id AND pp.profession_code = $profession
WHERE list_contains(dp.professions, $profession)
GROUP BY ALL
ORDER BY dp.code
