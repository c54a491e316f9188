-- Every imported file, with its source and the years its rows cover.
WITH covered AS (
    SELECT source_id, year FROM vacancies
    UNION SELECT source_id, year FROM training
    UNION SELECT source_id, year FROM internships
    UNION SELECT source_id, year FROM job_offer
    UNION SELECT source_id, year FROM departement_context
)
SELECT i.import_id, i.kind, i.file_name, i.sha256, i.imported_at, i.imported_by,
       i.rows_read, i.rows_kept, i.rows_rejected, i.report,
       s.publisher, s.title, s.licence, s.url,
       (SELECT LIST(DISTINCT c.year ORDER BY c.year) FROM covered AS c WHERE c.source_id = i.source_id) AS years
FROM import_log AS i JOIN source AS s USING (source_id)
ORDER BY i.import_id
