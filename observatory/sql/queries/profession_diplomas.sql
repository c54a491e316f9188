-- The diplomas that lead to one profession, with the number of training sites Parcoursup lists for
-- them in all of France (0: none in the file, or a diploma outside Parcoursup).
SELECT dp.code, dp.label, dp.level, dp.note, COUNT(DISTINCT i.provider_id) AS sites, MAX(i.year) AS year
FROM diploma AS dp
LEFT JOIN site_intake AS i ON i.diploma_code = dp.code
WHERE list_contains(dp.professions, $profession)
GROUP BY ALL
ORDER BY dp.code
