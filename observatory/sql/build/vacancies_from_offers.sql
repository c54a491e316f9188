-- Offers per year x canton x profession, each offer counted once (first import wins). The unfilled
-- count is known only where every offer of the cell says whether it was filled. Offers of a partial
-- import (a search snapshot) stay in `job_offer` but are never counted as a year's.
-- Where complete real offers exist for a year, the demo's offers of that year step aside.
DELETE FROM job_offer
WHERE source_id IN (SELECT source_id FROM source WHERE is_demo)
  AND year IN (SELECT DISTINCT year FROM job_offer
               WHERE source_id IN (SELECT source_id FROM source WHERE NOT is_demo AND NOT partial));
INSERT INTO vacancies (year, canton_code, profession_code, offers_published, offers_unfilled, source_id)
SELECT year, canton_code, profession_code, COUNT(*),
       CASE WHEN COUNT(unfilled_after_3_months) = COUNT(*)
            THEN COUNT(*) FILTER (WHERE unfilled_after_3_months) END,
       source_id
FROM (SELECT * FROM job_offer WHERE source_id NOT IN (SELECT source_id FROM source WHERE partial)
      QUALIFY ROW_NUMBER() OVER (PARTITION BY offer_id ORDER BY source_id) = 1)
WHERE canton_code IS NOT NULL
GROUP BY ALL;
