"""Vocabulary every layer shares: each indicator defined once, the French sentences and number formats.

Imports nothing of the observatory: everything else may import it.
"""
