SELECT code, name, population FROM departement
