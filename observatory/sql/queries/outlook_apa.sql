-- Per département of the territory and year: the people paid the APA in December (DREES).
SELECT a.year, a.departement_code, a.total, a.at_home, a.in_institution
FROM apa_beneficiaries AS a
JOIN departement AS d ON d.code = a.departement_code
WHERE ($region IS NULL OR d.region_code = $region) AND ($departement IS NULL OR d.code = $departement)
ORDER BY a.year, a.departement_code
