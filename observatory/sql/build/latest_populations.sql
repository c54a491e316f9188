-- Communes, areas and départements take the latest INSEE municipal population (the reference
-- geography's is older); a commune without a figure that year keeps its own.
UPDATE commune SET population = p.population
FROM (SELECT commune_code, population FROM commune_population
      WHERE year = (SELECT MAX(year) FROM commune_population)) AS p
WHERE commune.code = p.commune_code;
UPDATE canton SET population = (SELECT COALESCE(SUM(population), 0) FROM commune
                                WHERE commune.canton_code = canton.code);
UPDATE departement SET population = (SELECT COALESCE(SUM(c.population), 0) FROM canton AS c
                                     WHERE c.departement_code = departement.code);
