"""`python -m observatory fetch [SOURCE…] [--year Y] [--dry-run] [--all]`: the data officer's yearly
refresh from the command line (the Données page calls the same functions)."""
from __future__ import annotations

import sys
from pathlib import Path

from observatory import paths


def add_parser(commands) -> None:
    fetch = commands.add_parser("fetch", help="chercher les nouvelles éditions des sources publiques, les télécharger "
                                              "et les importer")
    fetch.add_argument("sources", nargs="*", metavar="SOURCE", help="clé(s) de source (voir --dry-run --all)")
    fetch.add_argument("--all", action="store_true", help="toutes les sources ; sans --dry-run, celles qui ont du neuf")
    fetch.add_argument("--dry-run", action="store_true", help="dire ce qui est plus récent que la base, sans rien "
                                                              "télécharger")
    fetch.add_argument("--year", help="édition à prendre (par défaut la plus récente)")
    fetch.add_argument("--db", type=Path, default=paths.DEFAULT_DB)


def statuses(sources, db_path: Path, settings) -> tuple[list, str | None]:
    """Each source's `editions.Status`, and the one-line network problem when the publishers cannot
    be reached (then every later source says only what the base has)."""
    from observatory.fetching import editions, transfer

    base = editions.in_base(db_path) if db_path.exists() else {}
    found, offline = [], None
    for source in sources:
        if offline is None and source.method in ("datagouv", "explore"):
            try:
                found.append(editions.online_status(source, base.get(source.kind), settings))
                continue
            except transfer.NetworkUnreachable as error:
                offline = str(error)
            except transfer.FetchError as error:
                found.append(editions.Status(source, f"vérification impossible : {error}"))
                continue
        found.append(editions.local_status(source, base.get(source.kind)))
    return found, offline


def run(args, user_error) -> int:
    """The command; `user_error` is the CLI's exception for a French message and exit code 2."""
    from observatory.builder import imported_files
    from observatory.fetching import catalogue, refresh, transfer

    known = catalogue.load()
    try:
        chosen = list(known.values()) if args.all or not args.sources else catalogue.pick(known, args.sources)
    except catalogue.UnknownSource as error:
        raise user_error(str(error)) from None
    if not args.dry_run and not args.all and not args.sources:
        raise user_error("nommez une ou plusieurs sources, ou --all ; « fetch --dry-run --all » les liste toutes.")
    if not args.db.exists():
        if args.dry_run:
            print(f"Base pas encore construite ({paths.shown(args.db)}) : chaque source est dite absente.")
        else:
            from observatory import builder
            print(f"Base absente : construction de {paths.shown(args.db)} avant l'import…")
            builder.build(args.db)
    settings = transfer.Settings()
    found, offline = statuses(chosen, args.db, settings)
    if offline:
        print(f"Réseau injoignable : {offline.removeprefix('réseau injoignable : ')} Les éditions en ligne ne "
              "sont pas vérifiées ; voici ce que la base a.")
    width = max(len(s.source.key) for s in found)
    for status in found:
        print(f"{status.source.key.ljust(width)}  {status.source.name} : {status.line}")
    if args.dry_run:
        return 0
    if offline:
        return 1
    wanted = [s for s in found if s.source.fetchable and (s.newer or args.sources or args.year)]
    if not wanted:
        print("Rien à télécharger : la base est à jour pour les sources téléchargeables.")
        return 0
    failures = 0
    for status in wanted:
        print(f"\n{status.source.name} : téléchargement…")
        try:
            lines = refresh.fetch(status.source, args.db, args.year, settings, progress=_progress)
            print(file=sys.stderr)  # end the progress line
            print("\n".join(lines))
        except (transfer.FetchError, imported_files.ImportBusy) as error:
            failures += 1
            print(f"\n{status.source.name} : {error}", file=sys.stderr)
    return 1 if failures else 0


def _progress(done: int, total: int | None, unit: str) -> None:
    from observatory.fetching import refresh

    print(f"\r  {refresh.progress_text(done, total, unit)}", end="", file=sys.stderr, flush=True)
