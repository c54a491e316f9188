-- Every source of the base: the years its rows cover, and, for a file the data officer imported,
-- its kind and when (the committed extracts are known by their original's hash, `file_hash`).
WITH covered AS (
    SELECT source_id, year FROM vacancies
    UNION SELECT source_id, year FROM training
    UNION SELECT source_id, year FROM internships
    UNION SELECT source_id, year FROM job_offer
    UNION SELECT source_id, year FROM apprentices
    UNION SELECT source_id, year FROM departement_context
    UNION SELECT source_id, year FROM canton_context
    UNION SELECT source_id, year FROM apa_beneficiaries
    UNION SELECT source_id, year FROM departement_staff
    UNION SELECT source_id, year FROM age_projection
    UNION SELECT source_id, year FROM departement_population
    UNION SELECT source_id, year FROM commune_population
    UNION SELECT source_id, year FROM commune_social_housing
    UNION SELECT source_id, year FROM sector_jobs
    UNION SELECT source_id, year FROM site_intake
    UNION SELECT source_id, year FROM fap_tension
    UNION SELECT source_id, year FROM fap_tension_series
    UNION SELECT source_id, year FROM bassin_tension
    UNION SELECT source_id, year FROM bmo_bassin
)
SELECT s.source_id, s.file_hash, s.is_demo, i.kind, i.imported_at,
       (SELECT LIST(DISTINCT c.year ORDER BY c.year) FROM covered AS c WHERE c.source_id = s.source_id) AS years
FROM source AS s LEFT JOIN import_log AS i USING (source_id)
ORDER BY s.source_id
