-- Offers that name only the département (no commune, no coordinates), each offer counted once.
SELECT COUNT(DISTINCT offer_id) AS offers
FROM job_offer
WHERE canton_code IS NULL AND year = $year
  AND (len($professions) = 0 OR list_contains($professions, profession_code))
