"""Figures: what reads the database and shapes its figures (queries, filters, portraits, tensions…).

May import `database`, `secrecy`, `ingest`, `vocabulary`, `paths` and `files`; never `present`, `builder` or `ui`.
"""
