-- One row of `source`: where a set of figures comes from.
INSERT INTO source (source_id, publisher, title, licence, url, retrieved_on, file_hash, is_demo, partial, coverage)
VALUES ($id, $publisher, $title, $licence, $url, $retrieved_on, $file_hash, $is_demo, $partial, $coverage)
