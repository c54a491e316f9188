SELECT source_id, publisher, title, licence, url, retrieved_on, is_demo FROM source ORDER BY source_id
