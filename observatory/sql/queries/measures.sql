-- Summed measures per year x area (x profession when $by_profession) for the selected professions.
SELECT year,
       canton_code,
       CASE WHEN $by_profession THEN profession_code ELSE '*' END AS profession_code,
       SUM(seats) AS seats, SUM(applicants) AS applicants, SUM(enrolled) AS enrolled,
       SUM(enrolled_apprenticeship) AS enrolled_apprenticeship, SUM(graduates) AS graduates,
       SUM(apprentices_new) AS apprentices_new, SUM(apprentices_active) AS apprentices_active,
       SUM(offers_published) AS offers_published, SUM(offers_unfilled) AS offers_unfilled,
       SUM(recruitment_projects) AS recruitment_projects, SUM(difficult_projects) AS difficult_projects,
       SUM(placements_offered) AS placements_offered, SUM(placements_sought) AS placements_sought,
       BOOL_OR(is_demo) AS is_demo
FROM canton_measures
WHERE year BETWEEN $year_from AND $year_to
  AND list_contains($professions, profession_code)
GROUP BY ALL
ORDER BY year, canton_code, profession_code
