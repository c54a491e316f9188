-- All measures at year x canton x profession grain, one row per combination present in any fact.
-- Materialised once at build time (after the facts are loaded): every page reads this table.
CREATE TABLE canton_measures AS
WITH facts AS (
    SELECT t.year, t.canton_code, t.profession_code, s.is_demo,
           t.seats, t.applicants, t.enrolled,
           CASE WHEN t.pathway = 'apprentissage' THEN t.enrolled ELSE 0 END AS enrolled_apprenticeship,
           t.graduates
    FROM training AS t JOIN source AS s USING (source_id)
    UNION ALL BY NAME
    SELECT a.year, a.canton_code, a.profession_code, s.is_demo,
           a.new_contracts AS apprentices_new, a.active AS apprentices_active
    FROM apprentices AS a JOIN source AS s USING (source_id)
    UNION ALL BY NAME
    SELECT v.year, v.canton_code, v.profession_code, s.is_demo,
           v.offers_published, v.offers_unfilled, v.recruitment_projects, v.difficult_projects, v.difficult_base,
           v.recruitment_projects_secret, v.difficult_projects_secret
    FROM vacancies AS v JOIN source AS s USING (source_id)
    UNION ALL BY NAME
    SELECT i.year, i.canton_code, i.profession_code, s.is_demo,
           i.placements_offered, i.placements_sought
    FROM internships AS i JOIN source AS s USING (source_id)
)
SELECT year, canton_code, profession_code,
       SUM(seats) AS seats, SUM(applicants) AS applicants, SUM(enrolled) AS enrolled,
       SUM(enrolled_apprenticeship) AS enrolled_apprenticeship, SUM(graduates) AS graduates,
       SUM(apprentices_new) AS apprentices_new, SUM(apprentices_active) AS apprentices_active,
       SUM(offers_published) AS offers_published, SUM(offers_unfilled) AS offers_unfilled,
       SUM(recruitment_projects) AS recruitment_projects, SUM(difficult_projects) AS difficult_projects,
       SUM(difficult_base) AS difficult_base,
       SUM(placements_offered) AS placements_offered, SUM(placements_sought) AS placements_sought,
       COALESCE(BOOL_OR(recruitment_projects_secret), FALSE) AS recruitment_projects__source_secret,
       COALESCE(BOOL_OR(difficult_projects_secret), FALSE) AS difficult_projects__source_secret,
       BOOL_OR(is_demo) AS is_demo
FROM facts
GROUP BY year, canton_code, profession_code
ORDER BY year, canton_code, profession_code;
