"""The real default: committed extracts match the originals, and the figures shown are the raw
files' figures, counted here by hand from the originals (never with the importers' code)."""
from __future__ import annotations

import csv
import gzip
import hashlib
import json
import subprocess
import sys

import openpyxl
import pytest

from observatory import paths
from observatory.builder import real_extracts
from observatory.vocabulary import formats, wording
from tests.conftest import run_page, shared_file

SOURCES = json.loads((paths.REAL_DIR / real_extracts.SOURCES_JSON).read_text(encoding="utf-8"))


def _original(relative: str):
    return shared_file(relative)


def _bmo_rows(relative: str) -> list[dict]:
    """Every data row of a BMO workbook, read cell by cell with openpyxl."""
    book = openpyxl.load_workbook(_original(relative), read_only=True)
    sheet = book[next(s for s in book.sheetnames if s.startswith("BMO_"))]
    rows = sheet.iter_rows(values_only=True)
    header = [str(c) for c in next(rows)]
    return [dict(zip(header, (str(c) if c is not None else "" for c in row))) for row in rows]


def _referential_fap_codes() -> set[str]:
    with open(paths.PROFESSIONS_CSV, encoding="utf-8") as handle:
        return {code for row in csv.DictReader(handle) for code in row["codes_fap"].split("|") if code}


@pytest.fixture(scope="module")
def bmo_2025():
    return _bmo_rows("real/bmo/Base_open_data_BMO_2025.xlsx")


@pytest.fixture(scope="module")
def bmo_2023():
    return _bmo_rows("real/bmo/Base_open_data_23.xlsx")


@pytest.mark.parametrize("record", SOURCES, ids=[r["file"] for r in SOURCES])
def test_each_committed_extract_is_the_one_its_record_describes(record):
    committed = gzip.decompress((paths.REAL_DIR / record["file"]).read_bytes())
    assert hashlib.sha256(committed).hexdigest() == record["sha256"]
    assert committed.count(b"\n") - 1 == record["rows"] > 0


def test_the_extract_command_rebuilds_every_committed_extract_byte_for_byte(tmp_path):
    for record in SOURCES:  # each original, and the one the extract was made from
        assert hashlib.sha256(_original(record["original"]).read_bytes()).hexdigest() == record["original_sha256"]
    done = subprocess.run([sys.executable, "-m", "observatory", "extract-real", "--from", str(paths.SHARED_DIR),
                           "--out", str(tmp_path / "real")], cwd=paths.ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    written = sorted(p.name for p in (tmp_path / "real").iterdir())
    assert written == sorted([r["file"] for r in SOURCES] + [real_extracts.SOURCES_JSON])
    for name in written:
        assert (tmp_path / "real" / name).read_bytes() == (paths.REAL_DIR / name).read_bytes(), name


def test_the_extract_command_without_its_originals_exits_2_and_writes_nothing(tmp_path):
    done = subprocess.run([sys.executable, "-m", "observatory", "extract-real", "--from", str(tmp_path / "absent"),
                           "--out", str(tmp_path / "real")], cwd=paths.ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert f"fichier(s) original(aux) absent(s) : {tmp_path / 'absent' / SOURCES[0]['original']}" in done.stderr
    assert "--from" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "real").exists()


def test_extracts_stay_small():
    total = sum(p.stat().st_size for p in paths.REAL_DIR.iterdir())
    assert total < 3 * 1024 * 1024, f"{total} octets"


def test_landes_bmo_2025_projects_are_the_hand_count(con, bmo_2025):
    codes = _referential_fap_codes()
    landes = [r for r in bmo_2025 if r["Dept"] == "40" and r["Code métier BMO"] in codes]
    projects = sum(int(r["met"]) for r in landes if r["met"] != "*")
    difficult = sum(int(r["xmet"]) for r in landes if r["xmet"] != "*")
    assert (projects, difficult) == (1999, 1326)  # the figures the issue quotes, checked in the raw file
    stored = con.execute("SELECT SUM(recruitment_projects), SUM(difficult_projects) FROM vacancies WHERE year = 2025").fetchone()
    assert stored[0] == pytest.approx(projects) and stored[1] == pytest.approx(difficult)
    # Every `*` of the file is a withheld row in the store, never a zero.
    withheld = sum(r["met"] == "*" for r in landes)
    assert withheld > 0
    assert con.execute("SELECT COUNT(*) FROM bmo_bassin WHERE year = 2025 AND recruitment_projects_secret "
                       "AND recruitment_projects IS NULL").fetchone()[0] == withheld
    assert con.execute("SELECT COUNT(*) FROM bmo_bassin WHERE recruitment_projects = 0").fetchone()[0] == \
        sum(r["met"] == "0" for r in landes)


def test_dax_home_help_2023_is_the_bassin_figure(con, bmo_2023):
    raw = [r for r in bmo_2023 if r["Dept"] == "40" and r["BE23"] == "7533" and r["Code métier BMO"] == "T2A60"]
    assert len(raw) == 1 and raw[0]["met"] == "396"
    assert con.execute("SELECT recruitment_projects FROM bmo_bassin WHERE year = 2023 AND bassin_code = '7533' "
                       "AND bmo_code = 'BMO-T2A60'").fetchone()[0] == 396


def test_canton_estimates_add_up_to_the_bassin_figures(con):
    """Decimal shares, no rounding: the cantons of each métier and year sum to its bassins."""
    gaps = con.execute("""
        WITH cantons AS (SELECT year, profession_code, SUM(recruitment_projects) AS n FROM vacancies
                         WHERE profession_code LIKE 'BMO-%' GROUP BY ALL),
             bassins AS (SELECT year, bmo_code, SUM(recruitment_projects) AS n FROM bmo_bassin GROUP BY ALL)
        SELECT b.year, b.bmo_code, b.n, c.n FROM bassins b JOIN cantons c
            ON c.year = b.year AND c.profession_code = b.bmo_code
        WHERE abs(b.n - c.n) > 1e-6""").fetchall()
    assert gaps == []
    assert con.execute("SELECT COUNT(*) FROM vacancies WHERE profession_code LIKE 'BMO-%' "
                       "AND recruitment_projects <> round(recruitment_projects)").fetchone()[0] > 0


def test_bmo_figures_are_never_split_between_professions(con):
    """Our professions carry no BMO figure: the métiers BMO do."""
    assert con.execute("SELECT COUNT(*) FROM vacancies v JOIN profession p ON p.code = v.profession_code "
                       "WHERE p.kind = 'profession' AND (v.recruitment_projects IS NOT NULL "
                       "OR v.recruitment_projects_secret)").fetchone()[0] == 0


def test_no_bmo_year_is_invented(con):
    years = [r[0] for r in con.execute("SELECT DISTINCT year FROM vacancies WHERE recruitment_projects IS NOT NULL "
                                       "OR recruitment_projects_secret ORDER BY 1").fetchall()]
    assert years == [2023, 2025]


def test_populations_are_insee_figures(con):
    path = _original("real/insee/insee-estimation-population-2024.csv")
    with open(path, encoding="utf-8-sig") as handle:
        landes = [r for r in csv.DictReader(handle) if r["dep"] == "40"]
    assert con.execute("SELECT SUM(population) FROM commune_population WHERE year = 2021").fetchone()[0] == \
        sum(int(r["p21_pop"]) for r in landes)
    # INSEE's workbook, 2023 sheet: the Landes and their 75+ (PROVENANCE.md: 428 669 and 54 631).
    total, old = con.execute("""SELECT SUM(population) FILTER (WHERE age_group = 'total'),
        SUM(population) FILTER (WHERE age_group = '75+') FROM departement_population
        WHERE year = 2023 AND departement_code = '40'""").fetchone()
    assert (total, old) == (428_669, 54_631)


def test_home_page_shows_the_real_projects_marked_real(open_page, con):
    for year in (2025, 2023):
        at = open_page("pages/accueil.py", annees=f"2018-{year}", demo="1")
        label = "Recrutements prévus par les employeurs"
        card = next(m for m in at.metric if m.label == label)
        expected = con.execute("SELECT SUM(recruitment_projects) FROM vacancies WHERE year = ?", [year]).fetchone()[0]
        # The Landes' total contains withheld rows (`*`): it is the published part, a lower bound.
        assert card.value == f"≥\u00a0{formats.number(expected)}"
        captions = [c.value for c in at.caption]
        assert f"{formats.AT_LEAST} {formats.number(expected)} : {wording.PARTLY_MASKED}" in captions
        assert f"donnée réelle · BMO {year}, {'France Travail' if year == 2025 else 'Pôle emploi'}" in captions
        assert any(c == "démonstration" for c in captions)  # offers, training: demo, and said so
    at = open_page("pages/accueil.py", annees="2018-2024")
    card = next(m for m in at.metric if m.label == "Recrutements prévus par les employeurs")
    assert card.value == formats.MISSING  # BMO 2024 is not in the open data: nothing invented


def test_banner_names_real_and_demo_measures(open_page):
    at = run_page("app.py")
    banner = " ".join(i.value for i in at.info)
    assert "Chiffres réels" in banner and "projets de recrutement" in banner
    assert "offres d'emploi" in banner and "formation" in banner  # what the fictitious figures would be
    at = run_page("app.py", demo="1")
    banner = " ".join(w.value for w in at.warning)
    assert "Mode démonstration" in banner and "offres d'emploi" in banner and "formation" in banner
    assert "Seules la géographie et la population sont réelles" not in banner


def test_canton_portrait_shows_the_exact_bassin_figures_and_the_population_series(open_page, con, bmo_2025):
    at = open_page("pages/fiche_canton.py", canton="4005", metiers="aide-domicile", demo="1")
    portrait = next(t.value for t in at.table if "Source et nature" in t.value.columns)
    assert portrait.loc["Recrutements prévus par les employeurs", "Source et nature"].endswith(
        "— donnée réelle · BMO 2025, France Travail")
    assert portrait.loc["Offres d'emploi publiées", "Source et nature"].endswith("— démonstration")
    bassins = next(t.value for t in at.table if "Projets du bassin" in t.value.columns)
    # Dax bassin (7533), home help (T2A60), 2025: the row of the raw workbook
    raw = [int(r["met"]) for r in bmo_2025 if r["Dept"] == "40" and r["BE25"] == "7533" and r["Code métier BMO"] == "T2A60"]
    assert len(raw) == 1
    dax = bassins[bassins.index.str.endswith("(7533)")]
    assert dax["Projets du bassin"].tolist() == [formats.number(raw[0])]
    share = float(dax["Part du territoire"].iloc[0].replace("\u00a0%", "").replace(",", ".")) / 100
    estimate = con.execute("SELECT recruitment_projects FROM vacancies WHERE year = 2025 AND canton_code = '4005' "
                           "AND profession_code = 'BMO-T2A60'").fetchone()[0]
    assert share * raw[0] == pytest.approx(estimate, abs=0.2)  # the canton's estimate is the bassin × its share
    path = _original("real/insee/insee-estimation-population-2024.csv")
    communes = {r[0] for r in con.execute("SELECT code FROM commune WHERE canton_code = '4005'").fetchall()}
    with open(path, encoding="utf-8-sig") as handle:
        rows = [r for r in csv.DictReader(handle) if r["codgeo"].zfill(5) in communes]
    p13, p21 = sum(int(r["p13_pop"]) for r in rows), sum(int(r["p21_pop"]) for r in rows)
    assert any(f"2013 : {formats.number(p13)} ; 2021 : {formats.number(p21)}" in c.value for c in at.caption)


def test_difficult_share_is_computed_on_the_published_bassin_rows(open_page, con):
    """A hand computation from the exact bassin figures: for a canton, Σ share × difficult over
    Σ share × projects, on the bassin × métier rows where both are published."""
    expected = con.execute("""
        WITH shares AS (
            SELECT b.bassin_code, m.canton_code, SUM(m.population) AS population
            FROM commune_bassin b JOIN commune m ON m.code = b.commune_code GROUP BY ALL),
        totals AS (SELECT bassin_code, SUM(population) AS total FROM shares GROUP BY ALL)
        SELECT 100 * SUM(bb.difficult_projects * s.population / t.total) / SUM(bb.recruitment_projects * s.population / t.total)
        FROM bmo_bassin bb JOIN shares s USING (bassin_code) JOIN totals t USING (bassin_code)
        WHERE bb.year = 2025 AND s.canton_code = '4008'
          AND bb.difficult_projects IS NOT NULL AND bb.recruitment_projects IS NOT NULL""").fetchone()[0]
    at = open_page("pages/carte.py", indicateur="difficult_share")
    table = at.dataframe[0].value
    name = con.execute("SELECT name FROM canton WHERE code = '4008'").fetchone()[0]
    shown = table.set_index("Territoire").loc[name, "Recrutements jugés difficiles par les employeurs"]
    assert shown == formats.percent(expected)
