import csv

from observatory import paths
from observatory.referential import FAMILIES, load_professions
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
    from observatory.referential import ReferentialError

    with pytest.raises(ReferentialError, match="ligne 2 : famille « Inconnue » inconnue"):
        load_professions(bad)
