SELECT departement_code, built_at, schema_version FROM build_info
