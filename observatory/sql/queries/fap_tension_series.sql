-- The national series of the DARES tension indicator of FAP 2009 families.
SELECT fap2009, year, tension FROM fap_tension_series
WHERE list_contains($families, fap2009)
ORDER BY fap2009, year
