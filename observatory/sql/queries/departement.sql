SELECT code, name, population, region_code, region_name FROM departement ORDER BY code
