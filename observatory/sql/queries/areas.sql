SELECT code, name, kind, parent_cantons, population,
       (SELECT COUNT(*) FROM commune AS m WHERE m.canton_code = c.code) AS n_communes
FROM canton AS c
ORDER BY kind, code
