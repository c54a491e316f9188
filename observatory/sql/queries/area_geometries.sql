-- Outlines of a territory's areas for its map: a département's own, or the coarser ones of a
-- région's or France's map ($level) where the database has them.
SELECT c.code, c.name, c.kind, c.departement_code, COALESCE(o.geojson, c.geojson) AS geojson
FROM canton AS c
JOIN departement AS d ON d.code = c.departement_code
LEFT JOIN canton_outline AS o ON o.code = c.code AND o.level = $level
WHERE c.geojson IS NOT NULL
  AND ($region IS NULL OR d.region_code = $region) AND ($departement IS NULL OR d.code = $departement)
ORDER BY c.code
