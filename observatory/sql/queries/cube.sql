-- The detailed cube: every measure per year x area x profession over a range of years, with the
-- names of the area and the profession. Statistical secrecy is applied to it in Python.
SELECT m.year,
       m.canton_code,
       c.name AS area_name,
       c.kind AS area_kind,
       m.profession_code,
       p.label AS profession,
       p.family,
       m.seats, m.applicants, m.enrolled, m.enrolled_apprenticeship, m.graduates,
       m.apprentices_new, m.apprentices_active,
       m.offers_published, m.offers_unfilled, m.recruitment_projects, m.difficult_projects,
       m.placements_offered, m.placements_sought,
       m.recruitment_projects__source_secret, m.difficult_projects__source_secret,
       m.is_demo
FROM canton_measures AS m
JOIN canton AS c ON c.code = m.canton_code
JOIN profession AS p ON p.code = m.profession_code
WHERE m.year BETWEEN $year_from AND $year_to
ORDER BY m.year, m.canton_code, m.profession_code
