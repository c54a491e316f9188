-- DARES tension of FAP 2009 families at some places ('FR', 'R:<code>', 'D:<code>'), each with the
-- métier BMO that holds the family (our bridge from FAP 2009 to our professions).
WITH families AS (SELECT code AS bmo_code, label AS bmo_label, UNNEST(fap2009_codes) AS fap2009
                  FROM profession WHERE kind = 'bmo')
SELECT t.fap2009, f.bmo_code, f.bmo_label, t.place, t.year, t.employment, t.tension, t.category,
       t.hiring_intensity, t.training_mismatch, t.labour_shortage, t.non_durable_jobs, t.working_conditions,
       t.geographic_mismatch
FROM fap_tension AS t LEFT JOIN families AS f USING (fap2009)
WHERE list_contains($places, t.place) AND list_contains($families, t.fap2009)
ORDER BY t.fap2009, t.place
