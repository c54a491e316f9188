SELECT c.departement_code, c.year, c.indicator, c.value, c.period_end, c.partial, s.publisher, s.licence
FROM departement_context AS c JOIN source AS s USING (source_id)
WHERE c.departement_code = $departement  -- NULL (a région, France): no row
ORDER BY c.indicator, c.year
