SELECT DISTINCT year FROM canton_measures ORDER BY year
