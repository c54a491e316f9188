-- Summed measures per year x area (x profession when $by_profession) for the selected professions
-- (an empty list selects them all), with the area's and the profession's names.
SELECT m.year,
       m.canton_code,
       c.name AS area_name,
       c.kind AS area_kind,
       CASE WHEN $by_profession THEN m.profession_code ELSE '*' END AS profession_code,
       CASE WHEN $by_profession THEN p.label ELSE '*' END AS profession,
       SUM(seats) AS seats, SUM(applicants) AS applicants, SUM(enrolled) AS enrolled,
       SUM(enrolled_apprenticeship) AS enrolled_apprenticeship, SUM(graduates) AS graduates,
       SUM(apprentices_new) AS apprentices_new, SUM(apprentices_active) AS apprentices_active,
       SUM(offers_published) AS offers_published, SUM(offers_unfilled) AS offers_unfilled,
       SUM(recruitment_projects) AS recruitment_projects, SUM(difficult_projects) AS difficult_projects,
       SUM(placements_offered) AS placements_offered, SUM(placements_sought) AS placements_sought,
       BOOL_OR(is_demo) AS is_demo
FROM canton_measures AS m
JOIN canton AS c ON c.code = m.canton_code
JOIN profession AS p ON p.code = m.profession_code
WHERE m.year BETWEEN $year_from AND $year_to
  AND (len($professions) = 0 OR list_contains($professions, m.profession_code))
GROUP BY ALL
ORDER BY m.year, m.canton_code, profession_code
