"""Replaying files into a database being built: the committed real extracts first, then every
file of the import manifest in order, each through its importer (`ingest.parse`), as the data
officer imported it. Called by `builder.fill`; it never builds or swaps a database itself."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from observatory import ingest
from observatory.builder.rows import insert, insert_source
from observatory.database import read_sql
from observatory.ingest import Context, Parsed
from observatory.ingest.common import NothingForTerritory
from observatory.builder.manifest import Entry


def replay(con: duckdb.DuckDBPyConnection, folder: Path, entries: list[Entry], next_source_id: int,
           embedded: list | None = None) -> int:
    """Load the committed real extracts (`real_extracts.Embedded`), then the manifest's `entries`
    in order (their stored copies already checked by `manifest.check_stored`), into the database
    being built: both through the same importers."""
    for extract in embedded or []:
        try:
            parsed = ingest.parse(extract.data, extract.name, Context.from_db(con), extract.kind)
        except NothingForTerritory:
            continue  # e.g. the Landes' apprenticeship extract on another département's database
        _source(con, next_source_id, parsed, extract.publisher, extract.licence, extract.url, None,
                extract.original_sha256)
        _apply(con, parsed, next_source_id)
        next_source_id += 1
    for import_id, entry in enumerate(entries, start=1):
        path = folder / entry.file
        parsed = ingest.parse_file(path, entry.original_name, Context.from_db(con), entry.kind)
        source_id = next_source_id
        next_source_id += 1
        _source(con, source_id, parsed, parsed.publisher, parsed.licence, parsed.url, entry.imported_at[:10],
                entry.sha256)
        _apply(con, parsed, source_id)
        report = parsed.report
        con.execute("INSERT INTO import_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [import_id, entry.kind, entry.original_name, entry.sha256, entry.imported_at, entry.imported_by,
                     report.rows_read, report.rows_kept, report.rows_rejected, report.text(), source_id])
    _derive_vacancies_from_offers(con)
    _prefer_real_over_demo(con)
    return next_source_id


# A file's rows replace the rows already loaded with the same key (a later file wins): the data
# officer's BMO 2025 for the Landes replaces the committed extract's, never adds to it.
REPLACED_BY_KEY = {
    "commune_bassin": ["commune_code"],
    "bmo_bassin": ["year", "departement_code"],
    "departement_context": ["departement_code", "year", "indicator"],
    "commune_population": ["year", "commune_code"],
    "departement_population": ["year", "departement_code", "age_group"],
    "fap_tension": ["fap2009", "place", "year"],
    "fap_tension_series": ["fap2009", "year"],
    "shortage_list": ["place"],  # a newer list replaces the whole list of its places
    "commune_social_housing": ["year", "departement_code"],  # a commune absent from the newer file has none
    "cfa_outcome": ["cohort", "departement_code"],
    "sector_jobs": ["departement_code"],  # a real URSSAF file replaces the demo jobs of its départements
    "bassin_part": ["bassin_code"],
    "bassin_tension": ["year", "bassin_code"],
    "apa_beneficiaries": ["year", "departement_code"],
    "departement_staff": ["year", "departement_code"],
    "age_projection": ["departement_code"],  # a newer projection replaces the whole of its départements
}


def _replace_previous(con, name: str, frame: pd.DataFrame) -> None:
    keys = REPLACED_BY_KEY[name]
    con.register("incoming_keys", frame[keys].drop_duplicates())
    try:
        match = " AND ".join(f"t.{k} = k.{k}" for k in keys)
        if name == "bmo_bassin":  # and the canton estimates of the same years and départements
            con.execute("""DELETE FROM vacancies AS v USING incoming_keys AS k, canton AS c
                WHERE c.code = v.canton_code AND v.year = k.year AND c.departement_code = k.departement_code
                  AND v.profession_code IN (SELECT code FROM profession WHERE kind = 'bmo')""")
        con.execute(f"DELETE FROM {name} AS t USING incoming_keys AS k WHERE {match}")
    finally:
        con.unregister("incoming_keys")


def _apply(con, parsed: Parsed, source_id: int) -> None:
    for name in REPLACED_BY_KEY:
        if name in parsed.tables and len(parsed.tables[name]):
            _replace_previous(con, name, parsed.tables[name])
    for name, frame in parsed.tables.items():
        frame = frame.assign(source_id=source_id)
        if name == "commune_bassin":
            insert(con, name, frame, by_name=True)
        elif name == "commune_canton":
            for row in frame.itertuples():
                con.execute("UPDATE commune SET canton_code = ? WHERE code = ?", [row.canton_code, row.commune_code])
            con.execute("UPDATE canton SET population = (SELECT COALESCE(SUM(population), 0) FROM commune "
                        "WHERE commune.canton_code = canton.code)")
        elif name == "commune_population":
            insert(con, name, frame, by_name=True)
            _use_latest_populations(con)
        elif name == "provider":
            _insert_providers(con, frame, parsed.tables.get("training_session"), source_id,
                              parsed.tables.get("site_intake"))
        elif name in ("training_session", "site_intake"):
            continue  # loaded with their providers
        else:
            insert(con, name, frame, by_name=True)


def _use_latest_populations(con) -> None:
    con.execute(read_sql("build/latest_populations"))


def _insert_providers(con, providers: pd.DataFrame, sessions: pd.DataFrame | None, source_id: int,
                      intakes: pd.DataFrame | None = None) -> None:
    """Providers and their professions; then their sessions (LHEO: by name and commune) or their
    intakes (Parcoursup, lycées: by UAI and site). A one-site establishment (UAI) already in the base
    is the same place: a lycée's figures join its Parcoursup site instead of doubling it on the map."""
    first = con.execute("SELECT COALESCE(MAX(provider_id), 0) + 1 FROM provider").fetchone()[0]
    points = con.execute("SELECT code, lon, lat FROM commune").df().set_index("code")
    known = con.execute("SELECT uai, MIN(provider_id) AS provider_id FROM provider WHERE uai IS NOT NULL "
                        "GROUP BY uai HAVING COUNT(*) = 1").df().set_index("uai")["provider_id"]
    providers = providers.reset_index(drop=True).assign(provider_id=lambda f: first + f.index)
    if "uai" in providers and "site" in providers:
        same = providers["uai"].isin(known.index) & (providers["site"] == "")
        providers.loc[same, "provider_id"] = providers.loc[same, "uai"].map(known)
    else:
        same = pd.Series(False, index=providers.index)
    providers["lon"] = providers["lon"].fillna(providers["commune_code"].map(points["lon"]))
    providers["lat"] = providers["lat"].fillna(providers["commune_code"].map(points["lat"]))
    new = providers[~same]
    if "uai" in new:  # a place a file names without its number (Parcoursup 2024) has none
        new = new.assign(uai=new["uai"].replace("", None))
    insert(con, "provider", new.drop(columns=["professions", "site"], errors="ignore"), by_name=True)
    links = (new[["provider_id", "professions"]].explode("professions").dropna()
             .rename(columns={"professions": "profession_code"}))
    insert(con, "provider_profession", links.drop(columns="source_id", errors="ignore"), by_name=True)
    if sessions is not None and len(sessions):
        ids = providers.set_index(["name", "commune_code"])["provider_id"]
        sessions = sessions.assign(provider_id=[ids[(n, c)] for n, c in zip(sessions["provider_name"], sessions["commune_code"])])
        insert(con, "training_session", sessions.drop(columns=["provider_name", "commune_code"]).assign(source_id=source_id),
               by_name=True)
    if intakes is not None and len(intakes):
        ids = providers.set_index(["uai", "site"])["provider_id"]
        intakes = intakes.assign(provider_id=[ids[(u, s)] for u, s in zip(intakes["uai"], intakes["site"])])
        _replace_earlier_intakes(con, intakes)
        insert(con, "site_intake", intakes.drop(columns=["uai", "site"]).assign(source_id=source_id), by_name=True)


def _replace_earlier_intakes(con, intakes: pd.DataFrame) -> None:
    """A file's figures of a source (Parcoursup, Affelnet, BTS, constat) and year replace those an
    earlier file gave for the same départements, never add to them: the publisher's export of a
    session, fetched after the committed copy of the same session, counts once."""
    kinds = intakes["kind"] if "kind" in intakes else pd.Series("parcoursup", index=intakes.index)
    ids = sorted({int(i) for i in intakes["provider_id"]})
    for kind, year in sorted({(k, int(y)) for k, y in zip(kinds, intakes["year"])}):
        con.execute("DELETE FROM site_intake WHERE kind = ? AND year = ? AND provider_id IN (SELECT provider_id "
                    "FROM provider WHERE departement_code IN (SELECT departement_code FROM provider "
                    "WHERE list_contains(?, provider_id)))", [kind, year, ids])


def _derive_vacancies_from_offers(con) -> None:
    con.execute(read_sql("build/vacancies_from_offers"))


def _prefer_real_over_demo(con) -> None:
    con.execute(read_sql("build/prefer_real"))


def _source(con, source_id: int, parsed: Parsed, publisher: str, licence: str, url: str | None,
            retrieved_on: str | None, file_hash: str) -> None:
    insert_source(con, source_id, publisher=publisher, title=parsed.title, licence=licence, url=url,
                  retrieved_on=retrieved_on, file_hash=file_hash, is_demo=False, partial=parsed.partial,
                  coverage=parsed.coverage)
