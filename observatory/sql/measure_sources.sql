-- Which sources feed each measure in each year: whether a figure is real or demo, and from where.
-- One SELECT per measure of `indicators.MEASURES` (a test checks that none is missing).
CREATE TABLE measure_source AS
WITH facts AS (
    SELECT year, 'seats' AS measure, source_id FROM training WHERE seats IS NOT NULL
    UNION ALL SELECT year, 'applicants', source_id FROM training WHERE applicants IS NOT NULL
    UNION ALL SELECT year, 'enrolled', source_id FROM training WHERE enrolled IS NOT NULL
    UNION ALL SELECT year, 'enrolled_apprenticeship', source_id FROM training
        WHERE enrolled IS NOT NULL AND pathway = 'apprentissage'
    UNION ALL SELECT year, 'graduates', source_id FROM training WHERE graduates IS NOT NULL
    UNION ALL SELECT year, 'apprentices_new', source_id FROM apprentices WHERE new_contracts IS NOT NULL
    UNION ALL SELECT year, 'apprentices_active', source_id FROM apprentices WHERE active IS NOT NULL
    UNION ALL SELECT year, 'offers_published', source_id FROM vacancies WHERE offers_published IS NOT NULL
    UNION ALL SELECT year, 'offers_unfilled', source_id FROM vacancies WHERE offers_unfilled IS NOT NULL
    UNION ALL SELECT year, 'recruitment_projects', source_id FROM vacancies
        WHERE recruitment_projects IS NOT NULL OR recruitment_projects_secret
    UNION ALL SELECT year, 'difficult_projects', source_id FROM vacancies
        WHERE difficult_projects IS NOT NULL OR difficult_projects_secret
    UNION ALL SELECT year, 'difficult_base', source_id FROM vacancies WHERE difficult_base IS NOT NULL
    UNION ALL SELECT year, 'placements_offered', source_id FROM internships WHERE placements_offered IS NOT NULL
    UNION ALL SELECT year, 'placements_sought', source_id FROM internships WHERE placements_sought IS NOT NULL
)
SELECT DISTINCT f.year, f.measure, s.is_demo,
       -- « BMO 2025, France Travail »: the title before its parenthesis, the publisher before its comma
       CASE WHEN s.is_demo THEN 'démonstration'
            ELSE split_part(s.title, ' (', 1) || ', ' || split_part(s.publisher, ',', 1) END AS label
FROM facts AS f JOIN source AS s USING (source_id)
ORDER BY f.measure, f.year;
