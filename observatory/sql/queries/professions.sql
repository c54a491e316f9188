SELECT code, label, family, rome_codes, fap_codes, diplomas FROM profession ORDER BY family, label
