SELECT canton_code, first_name, last_name, sex, role, term_start
FROM councillor
WHERE canton_code = $area
   OR canton_code IN (SELECT UNNEST(parent_cantons) FROM canton WHERE code = $area)
ORDER BY canton_code, last_name
