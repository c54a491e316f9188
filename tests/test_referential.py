import csv

from observatory import paths
from observatory.builder.referential import FAMILIES, load_professions
from tests.conftest import sample

REQUIRED_ROME = {
    "K1311": "assistant de vie aux familles", "K1306": "accompagnant éducatif et social",
    "J1501": "aide-soignant", "J1304": "auxiliaire de puériculture", "J1506": "infirmier",
    "K1207": "éducateur spécialisé", "K1208": "moniteur-éducateur", "K1202": "éducateur de jeunes enfants",
    "K1201": "assistant de service social", "K1225": "CESF", "K1305": "TISF", "K1309": "assistant familial",
    "K1310": "assistant maternel", "K1801": "conseiller en insertion professionnelle",
    "K1224": "encadrant technique d'insertion", "K1204": "médiateur social", "J1403": "ergothérapeute",
    "J1412": "psychomotricien", "J1109": "médecin de PMI", "K1408": "responsable de secteur d'aide à domicile",
}


def test_referential_covers_the_required_professions_in_seven_families():
    professions = load_professions(paths.PROFESSIONS_CSV)
    assert len(professions) >= 20
    assert set(professions["famille"]) == set(FAMILIES)
    codes = {code for codes in professions["codes_rome"] for code in codes}
    missing = {code: name for code, name in REQUIRED_ROME.items() if code not in codes}
    assert not missing
    assert all(professions["diplomes"].map(len) > 0)


def test_every_rome_code_exists_in_rome_4():
    with open(sample("rome/rome4_codes.csv"), encoding="utf-8") as handle:
        known = {row["code_rome"] for row in csv.DictReader(handle)}
    professions = load_professions(paths.PROFESSIONS_CSV)
    used = {code for codes in professions["codes_rome"] for code in codes}
    assert used - known == set()


def test_every_fap_code_exists_in_fap_2021():
    with open(sample("fap_rome/dares_nomenclature_fap2021.csv"), encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    known = {cell for row in rows[1:] for cell in row[0::2]}
    professions = load_professions(paths.PROFESSIONS_CSV)
    used = {code for codes in professions["codes_fap"] for code in codes}
    assert used and used - known == set()


def test_malformed_referential_names_row_and_column(tmp_path):
    bad = tmp_path / "professions.csv"
    bad.write_text("code,libelle,famille,codes_rome,codes_fap,diplomes\nx,X,Inconnue,K1201,V4X85,D\n", encoding="utf-8")
    import pytest
    from observatory.builder.referential import ReferentialError

    with pytest.raises(ReferentialError, match="ligne 2 : famille « Inconnue » inconnue"):
        load_professions(bad)


def _fap2009_of_rome() -> dict[str, set[str]]:
    """DARES's FAP 2009 ↔ PCS ↔ ROME table: a FAP code opens a block, continuation rows follow."""
    import re

    with open(sample("fap_rome/table-correspondance-pcs-rome.csv"), encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    found, fap = {}, None
    for row in rows:
        if row and row[0].strip():
            fap = row[0].strip() if re.fullmatch(r"[A-Z]\d[A-Z]\d\d", row[0].strip()) else None
        if fap and len(row) > 2 and re.fullmatch(r"[A-Z]\d{4}", row[2].strip()):
            found.setdefault(row[2].strip(), set()).add(fap)
    return found


def test_bmo_crosswalk_says_approximate_where_a_profession_changed_metier():
    """Where DARES's FAP 2009 table puts one of our ROME codes outside the FAP 2009 codes that the
    crosswalk gives for its FAP 2021 métier, the crosswalk must not claim « identique »."""
    from observatory.builder.referential import load_bmo_metiers

    metiers = load_bmo_metiers(paths.BMO_METIERS_CSV).set_index("code_fap2021")
    old = _fap2009_of_rome()
    professions = load_professions(paths.PROFESSIONS_CSV)
    checked = 0
    for row in professions.itertuples():
        for fap in row.codes_fap:
            if fap not in metiers.index:
                continue
            for rome in row.codes_rome:
                if rome in old:
                    checked += 1
                    if not old[rome] & set(metiers.loc[fap, "codes_fap2009"]):
                        assert metiers.loc[fap, "correspondance"] != "identique", (row.code, rome, fap, old[rome])
    assert checked >= 20


def test_bmo_metiers_exist_in_both_bmo_files():
    """FAP 2021 codes in BMO 2025, FAP 2009 codes in BMO 2023 (read from the raw workbooks)."""
    import openpyxl

    from observatory.builder.referential import load_bmo_metiers
    from tests.test_real_data import _original

    codes = {}
    for year, relative in ((2025, "real/bmo/Base_open_data_BMO_2025.xlsx"), (2023, "real/bmo/Base_open_data_23.xlsx")):
        book = openpyxl.load_workbook(_original(relative), read_only=True)
        rows = book[f"BMO_{year}_open_data"].iter_rows(values_only=True)
        column = next(rows).index("Code métier BMO")
        codes[year] = {r[column] for r in rows}
    metiers = load_bmo_metiers(paths.BMO_METIERS_CSV)
    assert set(metiers["code_fap2021"]) <= codes[2025]
    assert {c for cs in metiers["codes_fap2009"] for c in cs} <= codes[2023]
    assert (metiers["correspondance"] == "sans équivalent").tolist() == [not cs for cs in metiers["codes_fap2009"]]
