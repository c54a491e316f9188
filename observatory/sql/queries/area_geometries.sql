SELECT code, name, kind, geojson FROM canton WHERE geojson IS NOT NULL ORDER BY code
