-- Offers of complete imports that name only the département (no commune, no coordinates), each
-- counted once; a snapshot's are counted with the snapshot (partial_offers.sql).
SELECT COUNT(DISTINCT offer_id) AS offers
FROM job_offer
WHERE canton_code IS NULL AND year = $year
  AND source_id NOT IN (SELECT source_id FROM source WHERE partial)
  AND (len($professions) = 0 OR list_contains($professions, profession_code))
