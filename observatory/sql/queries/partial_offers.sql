-- Real offers of partial imports (search snapshots) for a year, apart from the year's figures:
-- per import, its coverage, the offers of the territory and those naming only the département;
-- an offer in several snapshots counts with the first.
SELECT s.source_id, s.title, s.coverage,
       COUNT(DISTINCT o.offer_id) AS offers,
       COUNT(DISTINCT o.offer_id) FILTER (WHERE o.canton_code IS NULL) AS non_localised
FROM (SELECT * FROM job_offer
      -- only the offers of the year's snapshots are ranked (not the 500 000 of complete imports)
      WHERE offer_id IN (SELECT offer_id FROM job_offer JOIN source USING (source_id) WHERE partial AND year = $year)
      QUALIFY ROW_NUMBER() OVER (PARTITION BY offer_id ORDER BY source_id) = 1) AS o
JOIN source AS s USING (source_id)
LEFT JOIN canton AS c ON c.code = o.canton_code
LEFT JOIN departement AS d ON d.code = c.departement_code
WHERE s.partial AND o.year = $year
  AND (len($professions) = 0 OR list_contains($professions, o.profession_code))
  AND ($region IS NULL OR d.region_code = $region)
  AND ($departement IS NULL OR c.departement_code = $departement)
  AND ($area IS NULL OR o.canton_code = $area)
GROUP BY ALL
ORDER BY s.source_id
