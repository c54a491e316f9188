"""Parcoursup 2024 (no establishment number, no position): what the base holds and shows, against the
public file read by hand, and how its places are matched with the places already known."""
import csv

import pytest

from observatory import ingest
from observatory.ingest import Context, ImportRejected
from observatory.vocabulary import formats
from tests.conftest import csv_bytes, shared_file

ORIGINAL = "real/parcoursup/parcoursup_2024_11_colonnes.csv"
FILIERE = "Filière de formation"
PLACES = "Capacité de l’établissement par formation"


def _rows() -> list[dict]:
    with open(shared_file(ORIGINAL), encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def test_the_landes_nursing_schools_of_2024_join_their_2019_sites(con, open_page):
    raw = {r["Établissement"]: int(r[PLACES]) for r in _rows()
           if r["Département de l’établissement"] == "Landes" and r[FILIERE] == "D.E Infirmier"}
    assert raw == {"IFSI CH de Dax": 84, "IFSI CH Mont de Marsan": 95}
    stored = con.execute("SELECT p.name, p.uai, i.places FROM site_intake i JOIN provider p USING (provider_id) "
                         "WHERE i.diploma_code = 'DE-INFIRMIER' AND i.year = 2024 ORDER BY 1").fetchall()
    assert {name: places for name, _, places in stored} == raw
    # the same place as in 2019 (matched by name and commune): one site on the map, two sessions
    assert {uai for _, uai, _ in stored} == {"0400829J", "0400830K"}
    at = open_page("pages/fiche_canton.py", canton=con.execute("SELECT canton_code FROM commune WHERE name = 'Dax'").fetchone()[0])
    shown = next(t.value for t in at.table if "Admis" in t.value.columns)
    ifsi = shown[shown["Lieu de formation"] == "IFSI CH de Dax"]
    assert sorted(ifsi["Année"]) == ["2019, Parcoursup", "2024, Parcoursup"]
    assert ifsi.loc[ifsi["Année"] == "2024, Parcoursup", "Places"].tolist() == [formats.number(84)]


def test_a_bts_the_bts_file_also_gives_counts_once(open_page):
    """Despiau's BTS SP3S 2024 is in both files: the BTS file's row (with apprenticeship) is shown, once."""
    at = open_page("pages/acces.py", metiers="responsable-secteur-domicile")
    totals = next(t.value for t in at.table if "Lieux" in t.value.columns)
    assert totals.loc[totals["Année"].str.startswith("2024"), "Année"].tolist() == ["2024, Parcoursup BTS"]


def test_new_diplomas_have_their_places_counted_but_draw_no_desert(con, open_page):
    """The ergotherapy schools entered Parcoursup after 2019: their 2024 places are counted whole France
    through the importer, and the Accès page does not draw distances from a list without positions."""
    raw = [r for r in _rows() if r[FILIERE] == "D.E Ergothérapeute"]
    ctx = Context.from_db(con)  # with every département of the file, under made-up codes (no commune matches)
    ctx.departement_names = tuple((f"X{i}", name) for i, name in
                                  enumerate(sorted({r["Département de l’établissement"] for r in raw})))
    parsed = ingest.parse(shared_file(ORIGINAL).read_bytes(), "parcoursup_2024.csv", ctx, "parcoursup_noms")
    intake = parsed.tables["site_intake"]
    ergo = intake[intake["diploma_code"] == "DE-ERGO"]
    assert len(ergo) == len(raw) and int(ergo["places"].sum()) == sum(int(r[PLACES]) for r in raw) > 500
    at = open_page("pages/acces.py", metiers="ergotherapeute")
    assert any("Aucune liste ouverte et complète" in i.value and "sans leur position" in i.value for i in at.info)


def test_refusals_name_what_is_wrong_and_where(con):
    ctx = Context.from_db(con)
    row = next(r for r in _rows() if r["Établissement"] == "IFSI CH de Dax")
    assert ingest.detect(csv_bytes([row]), "ps.csv") == "parcoursup_noms"
    with pytest.raises(ImportRejected, match="ne dit pas son année"):
        ingest.parse(csv_bytes([row]), "parcoursup.csv", ctx, "parcoursup_noms")
    with pytest.raises(ImportRejected, match="« beaucoup » n'est pas un effectif") as caught:
        ingest.parse(csv_bytes([row, {**row, PLACES: "beaucoup"}]), "parcoursup_2024.csv", ctx, "parcoursup_noms")
    assert "ligne 3" in str(caught.value) and PLACES in str(caught.value)
