-- The professions one can choose (the métiers BMO, kind 'bmo', are reached through them).
SELECT code, label, family, rome_codes, fap_codes, diplomas FROM profession WHERE kind = 'profession' ORDER BY family, label
