SELECT code, name, population FROM commune WHERE canton_code = $area ORDER BY population DESC, name
