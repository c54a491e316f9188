"""Malformed input: each case gives a clear French error and leaves every table as it was."""
import gzip
import hashlib
import io
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import duckdb
import pytest

from observatory import builder, paths
from observatory.builder import imported_files
from observatory.ingest import ImportRejected, template
from tests.conftest import BAROMETRE_SYNTHESIS, sample

TEMPLATE_HEAD = "annee;code_canton;code_metier;voie;places;candidats;inscrits;diplomes;stages_offerts;stages_demandes;organisme\n"
GOOD_ROW = "2025;4005;aide-soignant;initiale;30;50;28;25;;;IFAS\n"
BMO_HEAD = "annee;Code métier BMO;Nom métier BMO;Dept;BE25;NOMBE25;met;xmet;smet\n"
LHEO_NS = "http://www.lheo.org/2.2"
BILLION_LAUGHS = f"""<?xml version="1.0"?>
<!DOCTYPE lheo [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
<lheo xmlns="{LHEO_NS}"><offres><formation><intitule-formation>&c;</intitule-formation></formation></offres></lheo>"""
XXE = f"""<?xml version="1.0"?>
<!DOCTYPE lheo [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<lheo xmlns="{LHEO_NS}"><offres><formation><intitule-formation>&x;</intitule-formation></formation></offres></lheo>"""


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * 60_000_000)
    return buffer.getvalue()


def _xlsx_with_formula() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Données"
    sheet.append(template.COLUMNS)
    sheet.append([2025, "4005", "aide-soignant", "initiale", "=1+1", 50, 28, 25, None, None, "IFAS"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _workbook(sheet_name: str) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = sheet_name
    book.active.append(["a", "b"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _lheo_with_places(places: str) -> bytes:
    """The LHEO sample moved to Dax and to a profession of ours (so its actions are kept), with
    `places` funded places."""
    text = sample("lheo/formation.xml").read_text(encoding="utf-8").replace(">37266<", ">40088<")
    text = text.replace(">F1604<", ">J1501<")  # a profession of ours (aide-soignant)
    return text.replace("nb-places-financees>4<", f"nb-places-financees>{places}<", 1).encode("utf-8")


def _offer(created: str) -> bytes:
    return json.dumps({"resultats": [{"id": "X1", "romeCode": "J1501", "dateCreation": created,
                                      "lieuTravail": {"libelle": "40 - DAX", "commune": "40088"}}]}).encode()


def _late_nul() -> bytes:
    rows = "".join(GOOD_ROW.replace("2025", str(2000 + i % 25), 1).replace("IFAS", f"IFAS {i}") for i in range(200))
    return (TEMPLATE_HEAD + rows).encode() + b"\x00" + GOOD_ROW.encode()


def _offers_sample() -> str:
    return sample("francetravail_offres_v2/offres_sante_social_74_2025-08-06_subset.json").read_text(encoding="utf-8")


def _dares_row(**changes) -> bytes:
    """The header and first row of the committed DARES extract (a real row), with `changes`."""
    header, row = gzip.decompress((paths.REAL_DIR / "dares_tensions_2019.csv.gz").read_bytes()).decode().splitlines()[:2]
    values = dict(zip(header.split(";"), row.split(";")))
    values.update(changes)
    return (header + "\n" + ";".join(values[c] for c in header.split(";")) + "\n").encode()


AGES_HEAD = "annee;code_departement;nom_departement;0 à 19 ans;20 à 39 ans;40 à 59 ans;60 à 74 ans;75 ans et plus;Total\n"
CONTEXT_HEAD = "annee;code_canton;indicateur;valeur;source\n"

CASES = {
    "empty.csv": (lambda: b"", None, "le fichier est vide"),
    "blank.json": (lambda: b"   \n", "france-travail", "JSON invalide"),
    "binary.csv": (lambda: bytes(range(256)) * 20, None, "fichier binaire"),
    "utf16.csv": (lambda: (TEMPLATE_HEAD + GOOD_ROW).encode("utf-16"), None, "UTF-16 non pris en charge"),
    "hello.txt": (lambda: b"bonjour\n", None, "type de fichier non reconnu"),
    "truncated.json": (lambda: _offers_sample()[:5000].encode(), "france-travail", "JSON invalide"),
    "shape.json": (lambda: b'{"resultats": {"id": 1}}', "france-travail", "forme inattendue"),
    "numbers.json": (lambda: b"[1, 2, 3]", "france-travail", "forme inattendue"),
    "no-id.json": (lambda: json.dumps({"resultats": [{"romeCode": "J1501", "dateCreation": "2025-01-01T00:00:00Z"}]}).encode(),
                   "france-travail", "n'a pas d'« id »"),
    "bad-date.json": (lambda: json.dumps({"resultats": [{"id": "1", "romeCode": "J1501", "dateCreation": "hier"}]}).encode(),
                      "france-travail", "dateCreation « hier » illisible"),
    "laughs.xml": (lambda: BILLION_LAUGHS.encode(), None, "il déclare une DTD ou des entités"),
    "xxe.xml": (lambda: XXE.encode(), None, "il déclare une DTD ou des entités"),
    "truncated.xml": (lambda: sample("lheo/formation.xml").read_bytes()[:3000], None, "XML mal formé"),
    "not-lheo.xml": (lambda: f'<offres xmlns="{LHEO_NS}"/>'.encode(), "lheo", "ce n'est pas un fichier LHEO"),
    "bomb.xlsx": (_zip_bomb, "template", "anormalement gros"),
    "corrupt.xlsx": (lambda: b"PK\x03\x04" + b"\x00garbage" * 100, "template", "classeur"),
    "BMO_wrong_sheet.xlsx": (lambda: _workbook("Feuil1"), None, "aucune feuille « BMO_<année>_open_data »"),
    "bmo-columns.csv": (lambda: b"annee;Code m\xc3\xa9tier BMO;met\n2025;V0X60;5\n", "bmo", "colonnes BMO manquantes"),
    "bmo-no-bassins.csv": (lambda: (BMO_HEAD + "2025;V0X60;Aides-soignants;40;7533;DAX;405;283;65\n").encode(), None,
                           "aucune table communes → bassins"),
    "template-canton.csv": (lambda: (TEMPLATE_HEAD + GOOD_ROW.replace("4005", "4O05")).encode(), None,
                            "ligne 2, colonne code_canton : « 4O05 » n'est pas un code de canton du département (4001 à 4015"),
    "template-metier.csv": (lambda: (TEMPLATE_HEAD + GOOD_ROW.replace("aide-soignant", "aide-soignat")).encode(), None,
                            "métier « aide-soignat » inconnu (vouliez-vous dire : aide-soignant"),
    "template-negative.csv": (lambda: (TEMPLATE_HEAD + GOOD_ROW.replace(";30;", ";-30;")).encode(), None,
                              "colonne places : « -30 » est négatif"),
    "template-huge.csv": (lambda: (TEMPLATE_HEAD + GOOD_ROW.replace(";50;", ";5000000000;")).encode(), None,
                          "« 5000000000 » est invraisemblable"),
    "template-decimal.csv": (lambda: (TEMPLATE_HEAD + GOOD_ROW.replace(";28;", ";12,5;")).encode(), None,
                             "« 12,5 » n'est pas un entier"),
    "template-year.csv": (lambda: (TEMPLATE_HEAD + GOOD_ROW.replace("2025;", "20x5;", 1)).encode(), None,
                          "colonne annee : « 20x5 » n'est pas un nombre"),
    "template-duplicate.csv": (lambda: (TEMPLATE_HEAD + GOOD_ROW + GOOD_ROW).encode(), None,
                               "lignes 2, 3 : la même année, le même canton"),
    "template-order.csv": (lambda: (TEMPLATE_HEAD + GOOD_ROW.replace(";28;25;", ";28;40;")).encode(), None,
                           "diplomes (40) supérieur à inscrits (28)"),
    "template-voie.csv": (lambda: (TEMPLATE_HEAD + GOOD_ROW.replace("initiale", "alternance")).encode(), None,
                          "voie « alternance » inconnue"),
    "template-formula.xlsx": (_xlsx_with_formula, "template", "formule interdite"),
    "template-columns.csv": (lambda: b"annee;canton\n2025;4005\n", "template", "ce n'est pas le modèle partenaires"),
    "cog-canton.csv": (lambda: b"TYPECOM,COM,REG,DEP,CTCD,ARR,TNCC,NCC,NCCENR,LIBELLE,CAN,COMPARENT\n"
                               b"COM,40001,75,40,40D,402,1,AIRE,Aire,Aire,4077,\n", None, "« 4077 » n'est pas un code de canton"),
    "apprentissage-none.csv": (lambda: b"mesure,indicateur,id_indicateur,code_departement,libelle_departement,date,valeur,unite\n"
                                       b"m,i,autre,40,Landes,2021-12-31,3.0,x\n", None, "aucune ligne « nombre-contrats-apprentissage »"),
    "apprentissage-negative.csv": (lambda: b"mesure,indicateur,id_indicateur,code_departement,libelle_departement,date,valeur,unite\n"
                                           b"m,i,nombre-contrats-apprentissage,40,Landes,2021-12-31,-3.0,x\n", None,
                                   "n'est pas un nombre de contrats plausible"),
    "apprentissage-synthese-value.csv": (lambda: BAROMETRE_SYNTHESIS.replace(",3154.0,", ",3 154 contrats,").encode(),
                                         None, "ligne 3, colonne valeur_actuelle : « 3 154 contrats » n'est pas un nombre"),
    "apprentissage-synthese-date.csv": (lambda: BAROMETRE_SYNTHESIS.replace(",2020-12-31,", ",31/12/2020,").encode(),
                                        None, "colonne progression_derniere_maj_date : date « 31/12/2020 » illisible"),
    "apprentissage-layout.csv": (lambda: b"id_indicateur,code_departement,annee,nombre\nnombre-contrats-apprentissage,40,2021,3\n",
                                 None, "colonnes du baromètre manquantes"),
    "bassins-conflict.csv": (lambda: b"CODE_COMMUNE_INSEE,BE19,NOMBE19\n40001,7534,MDM\n40001,7533,DAX\n", None,
                             "la commune 40001 est rattachée à plusieurs bassins"),
    "bassins-code.csv": (lambda: b"CODE_COMMUNE_INSEE,BE19,NOMBE19\n40001,MDM,MDM\n", None, "n'est pas un code de bassin"),
    "template-extra-field.csv": (lambda: (TEMPLATE_HEAD + GOOD_ROW.replace("IFAS", "IFAS; Hôpital de Dax")).encode("cp1252"),
                                 None, "ligne 2 : 12 champs pour 11 colonnes d'en-tête"),
    "template-late-nul.csv": (_late_nul, None, "octets nuls"),
    "template-exponent.csv": (lambda: (TEMPLATE_HEAD + GOOD_ROW.replace(";50;", ";1e2;")).encode(), None,
                              "colonne candidats : « 1e2 » n'est pas un nombre écrit en chiffres"),
    "offer-impossible-date.json": (lambda: _offer("2999-13-45T00:00:00Z"), "france-travail",
                                   "offre X1, dateCreation : date « 2999-13-45 » impossible"),
    "offer-year-1.json": (lambda: _offer("0001-01-01T00:00:00Z"), "france-travail",
                          "offre X1, dateCreation : date « 0001-01-01 » invraisemblable"),
    "deep.json": (lambda: b'{"resultats": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "france-travail",
                  "imbrication trop profonde"),
    "offers-elsewhere.json": (lambda: _offers_sample().encode(), "france-travail", "aucune offre du territoire (40)"),
    "lheo-places-text.xml": (lambda: _lheo_with_places("douze"), "lheo",
                             "« douze » n'est pas un nombre écrit en chiffres"),
    "lheo-places-negative.xml": (lambda: _lheo_with_places("-4"), "lheo", "« -4 » est négatif"),
    "dares-columns.csv": (lambda: b"fap;Tension ;niveau_geo\nT2A60;1.3;dep\n", "dares_tensions",
                          "colonne(s) DARES manquante(s) : dep, reg, Année"),
    "dares-layout.csv": (lambda: b"fap;Tension ;Emploi\nT2A60;1.3;5\n", "dares_tensions", "colonnes DARES manquantes"),
    "dares-level.csv": (lambda: _dares_row(niveau_geo="commune"), "dares_tensions",
                        "niveau « commune » inconnu (attendu nat, reg ou dep)"),
    "ages-value.csv": (lambda: (AGES_HEAD + "2023;40;Landes;douze;1;1;1;1;5\n").encode(), "population_ages",
                       "« douze » n'est pas un nombre d'habitants (département 40, 2023)"),
    "ages-year.csv": (lambda: (AGES_HEAD + "20x3;40;Landes;1;1;1;1;1;5\n").encode(), "population_ages",
                      "année « 20x3 » invalide"),
    "ages-columns.csv": (lambda: b"annee;code_departement;75 ans et plus\n2023;40;12\n", "population_ages",
                         "colonne(s) manquante(s) : nom_departement, 0 à 19 ans"),
    "communes-value.csv": (lambda: b"codgeo;p21_pop\n40001;mille\n", "population_communes",
                           "« mille » n'est pas un nombre d'habitants"),
    "communes-years.csv": (lambda: b"codgeo;population\n40001;1000\n", "population_communes",
                           "aucune colonne de population annuelle"),
    "shortage-region.csv": (lambda: "Region;Famille Professionnelle;Code FAP\nAtlantide;Aides-soignants;V0Z60\n".encode(),
                            "metiers_en_tension", "région « Atlantide » inconnue"),
    "context-source.csv": (lambda: (CONTEXT_HEAD + "2021;4008;menages_sans_voiture;6,1;\n").encode(), "contexte",
                           "source manquante : chaque chiffre doit dire d'où il vient"),
    "context-indicator.csv": (lambda: (CONTEXT_HEAD + "2021;4008;pollution;6,1;INSEE\n").encode(), "contexte",
                              "indicateur « pollution » inconnu"),
    "context-canton.csv": (lambda: (CONTEXT_HEAD + "2021;9999;loyer_m2;9;INSEE\n").encode(), "contexte",
                           "« 9999 » n'est pas un code de canton du département"),
    "context-value.csv": (lambda: (CONTEXT_HEAD + "2021;4008;loyer_m2;cher;INSEE\n").encode(), "contexte",
                          "« cher » n'est pas un nombre"),
    "onisep-columns.csv": (lambda: "\ufeff\"libellé formation principal\";durée\nDE infirmier;3 ans\n".encode(), None,
                           "colonne(s) manquante(s) : libellé type formation"),
}


def _tables_digest(db: Path) -> str:
    con = duckdb.connect(str(db), read_only=True)
    digest = hashlib.sha256()
    for (table,) in con.execute("SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' "
                                "ORDER BY 1").fetchall():
        digest.update(table.encode() + con.execute(f"SELECT * FROM {table} ORDER BY ALL").df().to_csv().encode())
    con.close()
    return digest.hexdigest()


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    folder = tmp_path_factory.mktemp("live")
    db = folder / "live.duckdb"
    # Without the committed real extracts: no bassin table yet, so a BMO file must be refused.
    builder.build(db, imports_dir=folder / "imports", with_real=False)
    return db, folder / "imports", _tables_digest(db)


def _refusal(live, tmp_path, name: str) -> str:
    """Import case `name` into the live database; the refusal's message."""
    db, folder, _ = live
    make, kind, _ = CASES[name]
    path = tmp_path / name
    path.write_bytes(make())
    with pytest.raises(ImportRejected) as error:
        imported_files.import_files([path], kind=kind, db_path=db, folder=folder)
    return str(error.value)


@pytest.mark.parametrize("name", ["truncated.json", "deep.json", "offer-impossible-date.json"])
def test_refusals_are_in_french_only(live, tmp_path, name):
    message = _refusal(live, tmp_path, name)
    english = r"\b(Unterminated|Expecting|delimiter|recursion|invalid|Error|month|must|line|column)\b"
    assert not re.search(english, message), message


def test_an_oversized_file_is_refused_before_being_read(live, tmp_path):
    db, folder, digest = live
    path = tmp_path / "enorme.json"
    with open(path, "wb") as out:  # sparse: 1,2 Go on paper, nothing on disk
        out.truncate(1_200_000_000)
    with pytest.raises(ImportRejected, match="enorme.json : fichier trop gros \\(1200 Mo ; au plus 200 Mo\\)"):
        imported_files.import_files([path], kind="france-travail", db_path=db, folder=folder)
    assert _tables_digest(db) == digest


@pytest.mark.parametrize("name", CASES)
def test_malformed_input_is_refused_clearly_and_changes_nothing(live, tmp_path, name):
    db, folder, digest = live
    refusal, message = _refusal(live, tmp_path, name), CASES[name][2]
    assert refusal.startswith(name) and message in refusal, refusal
    assert _tables_digest(db) == digest
    assert not folder.exists() or imported_files.read_manifest(folder) == []


def test_missing_file_is_refused(live, tmp_path):
    db, folder, _ = live
    with pytest.raises(ImportRejected, match="fichier introuvable"):
        imported_files.import_files([tmp_path / "absent.csv"], db_path=db, folder=folder)


def test_cli_exit_code_2_and_nothing_written(live, tmp_path):
    db, _, digest = live
    bad = tmp_path / "modele.csv"
    bad.write_bytes((TEMPLATE_HEAD + GOOD_ROW.replace("4005", "4O05")).encode())
    result = subprocess.run([sys.executable, "-m", "observatory", "import", str(bad), "--db", str(db)],
                            cwd=paths.ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "import refusé, rien n'a été modifié" in result.stderr and "« 4O05 »" in result.stderr
    assert _tables_digest(db) == digest


HOSTILE = ["template-extra-field.csv", "template-late-nul.csv", "template-exponent.csv", "offer-impossible-date.json",
           "offer-year-1.json", "deep.json", "offers-elsewhere.json", "lheo-places-text.xml", "lheo-places-negative.xml"]


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_files_end_in_exit_code_2_from_the_command_line(live, tmp_path, name):
    """The audit's cases, through the command a data officer runs: a French refusal, exit code 2,
    no traceback, nothing changed."""
    db, _, digest = live
    make, kind, message = CASES[name]
    path = tmp_path / name
    path.write_bytes(make())
    command = [sys.executable, "-m", "observatory", "import", str(path), "--db", str(db)]
    result = subprocess.run(command + (["--source", kind] if kind else []),
                            cwd=paths.ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2, result.stderr[-500:]
    assert message in result.stderr and "Traceback" not in result.stderr
    assert _tables_digest(db) == digest


def test_one_bad_file_among_good_ones_rejects_them_all(live, tmp_path):
    db, folder, digest = live
    good = tmp_path / "modele.csv"
    good.write_bytes(template.template_file("csv", example=True))
    bad = tmp_path / "vide.csv"
    bad.write_bytes(b"")
    with pytest.raises(ImportRejected):
        imported_files.import_files([good, bad], db_path=db, folder=folder)
    assert _tables_digest(db) == digest


def test_template_example_cp1252_tabs_and_decimal_comma_are_accepted(tmp_path):
    db, folder = tmp_path / "t.duckdb", tmp_path / "imports"
    builder.build(db, imports_dir=folder)
    text = template.template_file("csv", example=True).decode("utf-8-sig").replace(";", "\t").replace("\t60\t", "\t60,0\t")
    path = tmp_path / "modèle partenaire.csv"
    path.write_bytes(text.encode("cp1252"))
    outcome = imported_files.import_files([path], db_path=db, folder=folder)
    assert "3 lignes lues, 3 retenues" in outcome.reports[0]
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT seats, graduates FROM training JOIN source USING (source_id) WHERE NOT is_demo "
                       "AND pathway = 'initiale'").fetchall() == [(60, 49)]
    assert con.execute("SELECT placements_offered, placements_sought FROM internships JOIN source USING (source_id) "
                       "WHERE NOT is_demo").fetchall() == [(31, 40)]
    # the demo training figures stepped aside for the partner's cells only, not for the whole year
    overlap = con.execute("""SELECT COUNT(*) FROM training AS d JOIN source AS s USING (source_id)
        WHERE s.is_demo AND EXISTS (SELECT 1 FROM training AS r JOIN source AS rs ON rs.source_id = r.source_id
            WHERE NOT rs.is_demo AND r.year = d.year AND r.canton_code = d.canton_code
              AND r.profession_code = d.profession_code)""").fetchone()[0]
    assert overlap == 0
    assert con.execute("SELECT COUNT(*) FROM training JOIN source USING (source_id) WHERE is_demo AND year = 2025").fetchone()[0] > 0
    con.close()


def test_template_xlsx_example_imports(tmp_path):
    db, folder = tmp_path / "t.duckdb", tmp_path / "imports"
    builder.build(db, imports_dir=folder)
    path = tmp_path / "modele.xlsx"
    path.write_bytes(template.template_file("xlsx", example=True))
    outcome = imported_files.import_files([path], db_path=db, folder=folder)
    assert outcome.added[0].kind == "template" and "3 retenues" in outcome.reports[0]


def test_sheet_cells_become_the_text_a_person_typed():
    """Cells are read row by row and each distinct value is turned into text once: 1.0 and True
    are equal in Python, yet one reads « 1 » and the other « True »; blank rows at the end go."""
    from observatory.ingest.workbooks import Sheet, sheet_frame

    rows = [[" annee ", "code"], [2025.0, 1.0], [2025.0, True], [2025.5, None], [None, "4005"], [None, None], []]
    frame = sheet_frame(Sheet("Données", iter(rows)), "f.xlsx")
    assert list(frame.columns) == ["annee", "code"]
    assert frame.to_dict("list") == {"annee": ["2025", "2025", "2025.5", ""], "code": ["1", "True", "", "4005"]}
    assert list(frame.index) == [2, 3, 4, 5]  # the sheet's line numbers
    with pytest.raises(ImportRejected, match="la feuille « Données » est vide"):
        sheet_frame(Sheet("Données", iter([[None, None], []])), "f.xlsx")
