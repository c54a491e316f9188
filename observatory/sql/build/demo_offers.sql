-- Individual demo offers from per-cell counts (`offer_cells`: year, canton_code, profession_code,
-- offers, unfilled): the first `unfilled` offers of a cell are the unfilled ones; each offer is
-- dated on a day of its year and placed in one of its canton's communes, both chosen by hashing its id.
INSERT INTO job_offer BY NAME
WITH offers AS (
    SELECT year, canton_code, profession_code, unfilled, UNNEST(range(offers)) AS n
    FROM offer_cells),
numbered AS (
    SELECT *, 'DEMO-' || year || '-' || canton_code || '-' || profession_code || '-' || n AS offer_id
    FROM offers),
places AS (
    SELECT canton_code, code AS commune_code,
           ROW_NUMBER() OVER (PARTITION BY canton_code ORDER BY code) - 1 AS k,
           COUNT(*) OVER (PARTITION BY canton_code) AS n_places
    FROM commune)
SELECT o.offer_id, o.year,
       make_date(o.year, 1, 1) + CAST(hash(o.offer_id) % 365 AS INTEGER) AS created_on,
       o.canton_code, p.commune_code, o.profession_code,
       o.n < o.unfilled AS unfilled_after_3_months, $source AS source_id
FROM numbered AS o
LEFT JOIN places AS p ON p.canton_code = o.canton_code AND p.k = hash(o.offer_id || 'c') % p.n_places
