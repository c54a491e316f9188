"""Observatoire des métiers de l'accompagnement: data layer, indicators and outputs."""
