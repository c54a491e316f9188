SELECT c.year, c.canton_code, c.indicator, c.value, c.source_label, s.licence
FROM canton_context AS c JOIN source AS s USING (source_id)
WHERE c.canton_code = $area
ORDER BY c.indicator, c.year
