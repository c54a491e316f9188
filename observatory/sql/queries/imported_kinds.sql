SELECT DISTINCT kind FROM import_log ORDER BY kind
