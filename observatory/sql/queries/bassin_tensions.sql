-- Offers, job-seekers and tension by bassin d'emploi × ROME v3 fiche, for the bassins that touch a
-- territory ($region and $departement NULL: the whole database) and the fiches that lead to
-- $professions (every fiche for an empty list). `share`: the part of the bassin's population that
-- lives in the territory (a bassin's figure counts in the territory's totals at that share).
WITH parts AS (
    SELECT p.bassin_code, any_value(p.bassin_name) AS bassin_name,
           COALESCE(SUM(p.population) FILTER (WHERE d.code IS NOT NULL), 0) AS inside,
           SUM(p.population) AS whole,
           COALESCE(SUM(p.communes) FILTER (WHERE d.code IS NOT NULL), 0) AS communes_inside,
           SUM(p.communes) AS communes
    FROM bassin_part AS p
    LEFT JOIN departement AS d ON d.code = p.departement_code
        AND ($region IS NULL OR d.region_code = $region) AND ($departement IS NULL OR d.code = $departement)
    GROUP BY p.bassin_code
    HAVING inside > 0
), fiches AS (
    SELECT code AS rome_code, label AS rome_label, professions, relation, note
    FROM rome_v3
    WHERE len($professions::VARCHAR[]) = 0 OR len(list_intersect(professions, $professions::VARCHAR[])) > 0
)
SELECT t.year, t.bassin_code, p.bassin_name, p.inside::DOUBLE / NULLIF(p.whole, 0) AS share,
       p.communes_inside, p.communes, f.rome_code, f.rome_label, f.professions, f.relation, f.note,
       t.offers, t.job_seekers, t.category, t.hiring_intensity, t.training_mismatch, t.labour_shortage,
       t.non_durable_jobs, t.working_conditions, t.geographic_mismatch
FROM bassin_tension AS t
JOIN parts AS p USING (bassin_code)
JOIN fiches AS f USING (rome_code)
ORDER BY t.bassin_code, f.rome_code, t.year
