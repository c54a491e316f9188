"""Exports: formats, file names, CLI = page, rows = direct SQL, secrecy in every file, hostile text."""
import csv
import io
import re
import subprocess
import sys
from datetime import date

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from observatory import builder, database, paths, secrecy
from observatory.figures import queries
from observatory.present import export
from observatory.vocabulary.indicators import MEASURES
from tests.conftest import every_cell_filters

TODAY = date(2026, 11, 22)
MEASURE_LABELS = {m.label: m.key for m in MEASURES.values()}


def _csv_rows(data: bytes) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)


def test_csv_fr_is_a_plain_table_for_french_excel_with_its_notes_beside_it(con):
    filters = every_cell_filters(2024, 2025, professions=("aide-soignant",))
    table = export.prepare(con, filters, TODAY)
    data = export.render(table, "csv-fr")
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.split("\r\n")[0].startswith("Année;Code territoire;Territoire;")
    # what a table reader makes of it: exactly the exported rows, typed columns
    read = pd.read_csv(io.BytesIO(data), sep=";", decimal=",", encoding="utf-8-sig")
    n_cells = con.execute("""SELECT COUNT(*) FROM canton_measures AS m JOIN profession AS p ON p.code = m.profession_code
        WHERE m.year BETWEEN 2024 AND 2025 AND (p.code = 'aide-soignant' OR p.kind = 'bmo' AND list_has_any(p.fap_codes,
              (SELECT fap_codes FROM profession WHERE code = 'aide-soignant')))""").fetchone()[0]
    assert len(read) == len(table) == n_cells
    assert read["Année"].dtype.kind == "i" and set(read["Année"]) == {2024, 2025}
    assert read["Offres d'emploi publiées"].dtype.kind in "if"
    ratio = text.split("\r\n")[1].split(";")[len(export.KEY_COLUMNS) + len(MEASURES)]
    assert re.fullmatch(r"\d+,\d|s|", ratio)
    assert "Licence Ouverte" not in text and "Secret statistique" not in text  # the notes are in their own file
    notes = export.render_notes(table.notes).decode("utf-8-sig")
    assert "\r\nObservatoire : " in notes and "\r\nDonnées de démonstration : " in notes
    assert "\r\nSecret statistique : " in notes and "Licence Ouverte / Etalab 2.0" in notes
    assert "\r\nDate d'extraction : 22/11/2026\r\n" in notes
    assert export.notes_file_name("observatoire_landes_2025-2025_2026-11-22.csv") == \
        "observatoire_landes_2025-2025_2026-11-22_filtres-et-sources.txt"


def test_csv_standard_is_machine_readable(con):
    filters = every_cell_filters(2025, 2025, area="4005")
    data = export.render(export.prepare(con, filters, TODAY), "csv")
    assert not data.startswith(b"\xef\xbb\xbf") and b"\r\n" not in data
    assert data.startswith(b"Ann\xc3\xa9e,Code territoire,")
    rows = _csv_rows(data)
    # One row per profession and per métier BMO with figures in the canton that year.
    n_cells = con.execute("SELECT COUNT(*) FROM canton_measures WHERE year = 2025 AND canton_code = '4005'").fetchone()[0]
    assert set(rows["Code territoire"]) == {"4005"} and len(rows) == n_cells
    ratio = rows.iloc[:, len(export.KEY_COLUMNS) + len(MEASURES)]
    assert ratio.str.fullmatch(r"\d+\.\d|s|").all()


def test_xlsx_has_typed_data_and_a_filters_sheet(con):
    from openpyxl import load_workbook

    filters = every_cell_filters(2023, 2025, professions=("medecin-pmi", "infirmier"))
    table = export.prepare(con, filters, TODAY)
    book = load_workbook(io.BytesIO(export.render(table, "xlsx")))
    assert book.sheetnames == ["Données", "Filtres et sources"]
    data = list(book["Données"].values)
    assert list(data[0]) == table.columns and len(data) - 1 == len(table.rows)
    offers = table.columns.index("Offres d'emploi publiées")
    code = table.columns.index("Code métier")
    ours = [row for row in data[1:] if not row[code].startswith("BMO-")]  # métiers BMO have no offers
    assert ours and all(isinstance(row[offers], int) for row in ours)
    placements = table.columns.index("Stagiaires cherchant une place")
    assert {type(row[placements]) for row in data[1:]} <= {int, str, type(None)}
    assert any(row[placements] == "s" for row in data[1:])  # PMI doctors: small counts
    rate = table.columns.index("Offres d'emploi non pourvues après 3 mois (%)") + 1
    rates = [c for c in next(book["Données"].iter_cols(min_col=rate, max_col=rate, min_row=2)) if c.value is not None]
    assert rates and all(c.data_type == "n" and c.number_format == "0.0" for c in rates)
    notes = dict(list(book["Filtres et sources"].values)[1:])
    assert notes["Métiers"] == "Médecin de PMI, Infirmier"
    assert notes["Années"] == "2023-2025" and "inférieurs à 5" in notes["Secret statistique"]
    assert "fictifs" in notes["Données de démonstration"]


def test_file_name_tells_content_and_date(con):
    one = every_cell_filters(2019, 2025, professions=("aide-soignant",))
    assert export.file_name(con, one, "csv-fr", TODAY) == "observatoire_landes_aide-soignant_2019-2025_2026-11-22.csv"
    several = every_cell_filters(2025, 2025, professions=("infirmier", "tisf"), area="4013")
    assert export.file_name(con, several, "xlsx", TODAY) == \
        "observatoire_landes_pays-morcenais-tarusate_2-metiers_2025-2025_2026-11-22.xlsx"


@pytest.mark.parametrize("fmt", ["csv-fr", "csv"])
def test_cli_writes_the_same_bytes_as_the_page(db_path, con, tmp_path, fmt):
    out = tmp_path / "export.csv"
    result = subprocess.run(
        [sys.executable, "-m", "observatory", "export", "--db", str(db_path), "--profession", "aide-soignant,infirmier",
         "--canton", "4098", "--years", "2019-2025", "--format", fmt, "--demo", "-o", str(out)],
        cwd=paths.ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    filters = every_cell_filters(2019, 2025, professions=("aide-soignant", "infirmier"), area="4098")
    table = export.prepare(con, filters, date.today())
    assert out.read_bytes() == export.render(table, fmt)  # what downloads.export_button serves
    notes = tmp_path / "export_filtres-et-sources.txt"
    assert notes.read_bytes() == export.render_notes(table.notes)  # and its notes button
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.csv", notes.name]


@pytest.mark.parametrize("args, message", [
    (["--profession", "inconnu"], "métier « inconnu » inconnu"),
    (["--canton", "4000"], "canton « 4000 » inconnu"),
    (["--years", "2019-20xx"], "attendu une année"),
    (["--years", "2010-2012"], "les données couvrent 2018-2025"),
    (["--secret", "4"], "seuils possibles 3, 5, 11"),
])
def test_cli_bad_input_says_what_and_writes_nothing(db_path, tmp_path, args, message):
    out = tmp_path / "x.csv"
    result = subprocess.run([sys.executable, "-m", "observatory", "export", "--db", str(db_path), *args, "-o", str(out)],
                            cwd=paths.ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and message in result.stderr
    assert list(tmp_path.iterdir()) == []


PROFESSIONS = ["aide-domicile", "aide-soignant", "infirmier", "medecin-pmi", "ergotherapeute", "tisf",
               "assistant-familial", "educateur-specialise", "psychomotricien", "cesf"]
AREAS = [None, "4001", "4005", "4098", "4099", "4015"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(professions=st.lists(st.sampled_from(PROFESSIONS), unique=True, max_size=4),
       years=st.tuples(st.integers(2018, 2025), st.integers(0, 3)), area=st.sampled_from(AREAS),
       threshold=st.sampled_from(secrecy.THRESHOLDS))
def test_exported_rows_equal_direct_sql(con, professions, years, area, threshold):
    start, end = years[0], min(2025, years[0] + years[1])
    filters = every_cell_filters(start, end, professions=tuple(professions), area=area, threshold=threshold)
    rows = _csv_rows(export.render(export.prepare(con, filters, TODAY), "csv"))
    # A profession selects itself and the métiers BMO (same FAP 2021 code) that contain it.
    sql = con.execute(f"""
        SELECT year, canton_code, profession_code, {", ".join(MEASURES)},
               recruitment_projects__source_secret, difficult_projects__source_secret FROM canton_measures
        WHERE year BETWEEN ? AND ? AND (len(?::VARCHAR[]) = 0 OR list_contains(?::VARCHAR[], profession_code)
              OR profession_code IN (SELECT b.code FROM profession AS b WHERE b.kind = 'bmo' AND b.fap_codes[1] IN
                  (SELECT UNNEST(fap_codes) FROM profession WHERE list_contains(?::VARCHAR[], code))))
          AND (? IS NULL OR canton_code = ?)
        ORDER BY year, canton_code, profession_code""",
        [start, end, list(professions), list(professions), list(professions), area, area]).df()
    assert len(rows) == len(sql)
    assert rows["Année"].astype(int).tolist() == sql["year"].tolist()
    assert rows["Code territoire"].tolist() == sql["canton_code"].tolist()
    assert rows["Code métier"].tolist() == sql["profession_code"].tolist()
    for label, key in MEASURE_LABELS.items():
        shown, truth = rows[label], sql[key]
        visible = shown != "s"
        exact = truth.round(export.ESTIMATE_DECIMALS) if MEASURES[key].estimate else truth
        assert (shown[visible].replace("", "nan").astype(float).fillna(-1) == exact[visible].fillna(-1)).all(), label
        if MEASURES[key].people_count:  # every small count is masked (primary rule)
            small = truth.gt(0) & truth.lt(threshold)
            assert (shown[small] == "s").all(), label
        elif f"{key}__source_secret" in sql:  # BMO: « s » exactly where the source withheld everything
            assert (~visible == (truth.isna() & sql[f"{key}__source_secret"])).all(), label
        else:
            assert visible.all(), label  # offers are not people: never masked


def test_hostile_text_is_neutralised_in_csv_and_xlsx(tmp_path):
    from openpyxl import load_workbook

    hostile = tmp_path / "professions.csv"
    original = paths.PROFESSIONS_CSV.read_text(encoding="utf-8").splitlines()
    evil = ['=HYPERLINK(""http://x"",""clic"")', "+SUM(1;2)", "-2+3", "@cmd", "\tTab"]
    rows = [original[0]] + [
        line.replace(line.split(",")[1], f'"{evil[i]}"', 1) if i < len(evil) else line
        for i, line in enumerate(original[1:])
    ]
    hostile.write_text("\n".join(rows) + "\n", encoding="utf-8")
    db = tmp_path / "hostile.duckdb"
    builder.build(db, professions_csv=hostile)
    con = database.connect_readonly(db)
    table = export.prepare(con, every_cell_filters(2025, 2025), TODAY)
    labels = {row[table.columns.index("Métier")] for row in table.rows}
    assert any(label.startswith("'=HYPERLINK") for label in labels)
    assert not any(isinstance(v, str) and v.startswith(export.DANGEROUS_START) for row in table.rows for v in row)
    for fmt, delimiter in (("csv-fr", ";"), ("csv", ",")):
        lines = export.render(table, fmt).decode("utf-8-sig").splitlines()
        parsed = list(csv.reader(lines, delimiter=delimiter))
        cells = [cell for row in parsed for cell in row]
        assert "'=HYPERLINK(\"http://x\",\"clic\")" in cells and "'+SUM(1;2)" in cells and "'@cmd" in cells
        assert not any(cell.startswith(export.DANGEROUS_START) for cell in cells)
    book = load_workbook(io.BytesIO(export.render(table, "xlsx")))
    cells = [c for row in book["Données"].iter_rows(min_row=2) for c in row]
    assert not any(c.data_type == "f" for c in cells)
    assert any(c.value == "'-2+3" for c in cells)
    con.close()


def test_xlsx_rendering_reports_progress_up_to_done(con):
    seen = []
    export.render(export.prepare(con, every_cell_filters(2018, 2025), TODAY), "xlsx", progress=seen.append)
    assert len(seen) >= 10 and seen == sorted(seen) and seen[-1] == 1.0


@pytest.mark.parametrize("fmt", ["csv-fr", "csv"])
def test_csv_rendering_reports_progress_per_slice(con, fmt):
    table = export.prepare(con, every_cell_filters(2018, 2025), TODAY)
    n = 2 * export.CSV_SLICE_ROWS + 1  # three slices
    frame = pd.concat([table.frame] * (n // len(table.frame) + 1), ignore_index=True).iloc[:n]
    seen = []
    data = export.render(export.ExportTable(table.columns, frame, table.notes, table.is_demo), fmt, progress=seen.append)
    assert seen == [export.CSV_SLICE_ROWS / n, 2 * export.CSV_SLICE_ROWS / n, 1.0]
    body = data.decode("utf-8-sig").splitlines()
    keys = [line.split(";" if fmt == "csv-fr" else ",")[:2] for line in body if line[:4].isdigit()]
    assert keys == [[str(y), c] for y, c in zip(frame["year"], frame["canton_code"])]  # each row once, in order


def test_csv_written_by_duckdb_holds_the_python_cells(con):
    """CSV cells are formatted in SQL, XLSX cells in Python: both must say the same thing."""
    table = export.prepare(con, every_cell_filters(2018, 2025, threshold=11), TODAY)
    text = export.render(table, "csv-fr").decode("utf-8-sig")
    parsed = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))[1:1 + len(table)]
    estimates = {table.columns.index(label) for key, label in export.MEASURE_COLUMNS if key in export.ESTIMATES}

    def cell(i, v):
        if v is None:
            return ""
        if isinstance(v, float):  # ratios with one decimal; BMO estimates with up to two
            return (str(v) if i in estimates else f"{v:.1f}").replace(".", ",")
        return str(v)

    expected = [[cell(i, v) for i, v in enumerate(row)] for row in table.rows]
    assert any("s" in row for row in expected) and any(row[-1] == "oui" for row in expected)
    assert any(row[-2] == "démonstration" for row in expected) and any(row[-2] == "donnée réelle" for row in expected)
    assert parsed == expected
