-- Per measure, over a span of years: whether any figure is demo or real, and the sources' labels.
SELECT measure, is_demo, label, MIN(year) AS first_year, MAX(year) AS last_year
FROM measure_source
WHERE year BETWEEN $year_from AND $year_to
GROUP BY measure, is_demo, label
ORDER BY measure, is_demo, label
