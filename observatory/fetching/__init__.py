"""The year's refresh: where each public source is published (`catalogue`), how a file travels
(`transfer`), what is newer than the base (`editions`), the France Travail offers API
(`offers_api`), and the fetch that checks and imports through the normal path (`refresh`).

May import `paths`, `files`, `ingest`, `builder` and `database`: fetching sits on top of importing,
and nothing below imports it.
"""
