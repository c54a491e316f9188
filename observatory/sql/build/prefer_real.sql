-- Real figures replace the demo's where they cover the same thing, and only there: complete real
-- offers of a year replace that year's demo offer counts; a partner's training or internship
-- figures for some cantons and professions replace the demo's for those, not the whole year.
UPDATE vacancies SET offers_published = NULL, offers_unfilled = NULL
WHERE source_id IN (SELECT source_id FROM source WHERE is_demo)
  AND year IN (SELECT DISTINCT year FROM job_offer
               WHERE source_id IN (SELECT source_id FROM source WHERE NOT is_demo AND NOT partial));
DELETE FROM training AS d
WHERE source_id IN (SELECT source_id FROM source WHERE is_demo)
  AND EXISTS (SELECT 1 FROM training AS r
              WHERE r.source_id IN (SELECT source_id FROM source WHERE NOT is_demo AND NOT partial)
                AND r.year = d.year AND r.canton_code = d.canton_code AND r.profession_code = d.profession_code);
DELETE FROM internships AS d
WHERE source_id IN (SELECT source_id FROM source WHERE is_demo)
  AND EXISTS (SELECT 1 FROM internships AS r
              WHERE r.source_id IN (SELECT source_id FROM source WHERE NOT is_demo AND NOT partial)
                AND r.year = d.year AND r.canton_code = d.canton_code AND r.profession_code = d.profession_code);
-- A profession with a real list of training places (Parcoursup, an imported catalogue) loses its
-- demo places: distances and deserts are then computed on real places only.
DELETE FROM provider_profession AS d
WHERE d.provider_id IN (SELECT provider_id FROM provider
                        WHERE source_id IN (SELECT source_id FROM source WHERE is_demo))
  AND d.profession_code IN (SELECT pp.profession_code FROM provider_profession AS pp
                            JOIN provider AS p ON p.provider_id = pp.provider_id
                            WHERE p.source_id IN (SELECT source_id FROM source WHERE NOT is_demo));
