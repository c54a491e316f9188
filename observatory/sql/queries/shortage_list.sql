-- The FAP 2009 families on the official list of occupations in shortage of some places.
SELECT place, fap2009, label FROM shortage_list WHERE list_contains($places, place) ORDER BY place, fap2009
