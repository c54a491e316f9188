-- Each profession's métier BMO (the survey's figures are published per métier BMO, FAP 2021),
-- with how its FAP 2009 code (BMO 2023, DARES) corresponds.
WITH ours AS (SELECT code, UNNEST(fap_codes) AS fap FROM profession WHERE kind = 'profession')
SELECT o.code AS profession_code, b.code AS bmo_code, b.label AS bmo_label, b.fap2009_codes,
       b.fap2009_relation, b.fap2009_note
FROM ours AS o JOIN profession AS b ON b.kind = 'bmo' AND b.fap_codes[1] = o.fap
ORDER BY o.code, b.code
