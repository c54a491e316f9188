SELECT c.year, c.indicator, c.value, c.period_end, c.partial, s.publisher, s.licence
FROM departement_context AS c JOIN source AS s USING (source_id)
ORDER BY c.indicator, c.year
