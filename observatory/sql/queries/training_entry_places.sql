-- The entry places (the first year of a course) of the territory's training sites, per métier BMO,
-- diploma, year and source: for each métier BMO of $professions (all when empty), the diplomas that
-- lead to one of our professions it contains (one in the selection), each counted whole for each
-- métier, never split. A site no directory places counts in its département.
WITH links AS (
    SELECT o.code AS profession_code, b.code AS bmo_code, b.label AS bmo_label
    FROM (SELECT code, UNNEST(fap_codes) AS fap FROM profession WHERE kind = 'profession') AS o
    JOIN profession AS b ON b.kind = 'bmo' AND b.fap_codes[1] = o.fap
    WHERE len($professions) = 0 OR list_contains($professions, o.code)
), pairs AS (  -- one row per métier BMO and diploma, however many of its professions the diploma leads to
    SELECT DISTINCT l.bmo_code, l.bmo_label, dp.code AS diploma_code, dp.short_label AS diploma
    FROM links AS l JOIN diploma AS dp ON list_contains(dp.professions, l.profession_code)
)
SELECT pr.bmo_code, pr.bmo_label, pr.diploma_code, pr.diploma, i.year, i.kind,
       SUM(i.places) AS places, COUNT(DISTINCT i.provider_id) AS sites
FROM pairs AS pr
JOIN site_figure AS i ON i.diploma_code = pr.diploma_code
JOIN site_place AS w ON w.provider_id = i.provider_id
JOIN departement AS d ON d.code = w.departement_code
WHERE i.course_year = 1 AND i.places IS NOT NULL
  AND ($region IS NULL OR d.region_code = $region) AND ($departement IS NULL OR d.code = $departement)
GROUP BY ALL
ORDER BY pr.bmo_code, pr.diploma_code, i.year
