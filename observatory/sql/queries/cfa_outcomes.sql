-- InserJeunes rates of every CFA of the territory, per cumulated cohort (never added up).
SELECT o.cohort, o.uai, o.name, o.departement_code, o.further_study, o.employed_6m, o.employed_12m,
       o.employed_18m, o.employed_24m, o.expected_6m, o.value_added_6m
FROM cfa_outcome AS o
JOIN departement AS d ON d.code = o.departement_code
WHERE ($region IS NULL OR d.region_code = $region) AND ($departement IS NULL OR d.code = $departement)
ORDER BY o.cohort, o.name
