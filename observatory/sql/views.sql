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

-- The figures of the training sites as the pages read them (materialised at build time, like the
-- measures above), one place for the rules that choose between sources of the same site and year:
-- - a partner's row of the template that names a site (its `uai`) replaces the open data of that
--   site, year and diploma (the diplomas of the site that lead to the row's profession), shown as the
--   partner's (`kind` 'partenaire': places, candidates, enrolled as pupils);
-- - a Parcoursup row of a BTS the BTS file also gives (same site and year) is left out: that file
--   adds the apprenticeship places the other lacks.
CREATE TABLE site_figure AS
WITH single AS (  -- an establishment number that names one site only
    SELECT uai, MIN(provider_id) AS provider_id FROM provider WHERE uai IS NOT NULL GROUP BY uai HAVING COUNT(*) = 1
), partner AS (
    SELECT DISTINCT s.provider_id, t.year, i.diploma_code, t.pathway, t.seats, t.applicants, t.enrolled, t.source_id
    FROM training AS t
    JOIN source AS src ON src.source_id = t.source_id AND NOT src.is_demo
    JOIN single AS s ON s.uai = t.uai
    JOIN site_intake AS i ON i.provider_id = s.provider_id
    JOIN diploma AS dp ON dp.code = i.diploma_code AND list_contains(dp.professions, t.profession_code)
)
SELECT i.year, i.provider_id, i.diploma_code, i.formation, i.kind, i.course_year, i.pathway, i.places, i.candidates,
       i.proposals, i.admitted, i.first_wishes, i.pupils, i.source_id
FROM site_intake AS i
WHERE NOT EXISTS (SELECT 1 FROM partner AS r WHERE r.provider_id = i.provider_id AND r.year = i.year
                  AND r.diploma_code = i.diploma_code)
  AND NOT (i.kind = 'parcoursup' AND EXISTS (SELECT 1 FROM site_intake AS b WHERE b.kind = 'bts'
           AND b.provider_id = i.provider_id AND b.diploma_code = i.diploma_code AND b.year = i.year))
UNION ALL
SELECT r.year, r.provider_id, r.diploma_code, 'chiffres transmis par le partenaire', 'partenaire', 1, r.pathway,
       r.seats, r.applicants, NULL, NULL, NULL, r.enrolled, r.source_id
FROM partner AS r;

-- Where each training site counts: its commune and canton when a directory places it, its
-- département always (a site no directory places belongs to its département only, never to a canton).
CREATE TABLE site_place AS
SELECT p.provider_id, m.code AS commune_code, m.name AS commune, m.canton_code, c.name AS canton,
       COALESCE(c.departement_code, p.departement_code) AS departement_code, p.lon IS NOT NULL AS placed
FROM provider AS p
LEFT JOIN commune AS m ON m.code = p.commune_code
LEFT JOIN canton AS c ON c.code = m.canton_code;
