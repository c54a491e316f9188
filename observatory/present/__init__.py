"""Presenting: what turns figures into what people read and download (tables, charts, maps, deck, exports).

May import `figures` and everything below it; never `builder` or `ui`.
"""
