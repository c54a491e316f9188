-- Every year x canton x profession cell with its true measures, before masking (see secrecy.cube).
SELECT m.*, c.departement_code, d.region_code
FROM canton_measures AS m
JOIN canton AS c ON c.code = m.canton_code
JOIN departement AS d ON d.code = c.departement_code
ORDER BY m.year, m.canton_code, m.profession_code
