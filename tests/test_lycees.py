"""The lycées' figures (constat de rentrée 2020, Affelnet 2021-2022, BTS 2022-2024): what the base
holds and the pages show, against the public files read by hand with the public BCN table (not with
our referential), and the refusals of a bad file."""
import csv
from collections import defaultdict

import pytest

from observatory import ingest
from observatory.ingest import Context, ImportRejected
from observatory.vocabulary import formats
from tests.conftest import csv_bytes, shared_file

LYCEES = "real/lycees"
# our diplomas' codes in the BCN (« formation diplôme »), as the BCN table names them
BAC_PRO_ASSP = {"40033003", "40033004", "40033005", "40033007"}  # options A, B, seconde commune, rénové 2022
BTS_SP3S = {"32033001", "32033002"}


def _csv(name: str, encoding: str = "utf-8-sig") -> list[dict]:
    with open(shared_file(f"{LYCEES}/{name}"), encoding=encoding, newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def _diploma_of_mef() -> dict[str, str]:
    """MEF STAT 11 → BCN diploma code, from the BCN table itself."""
    return {row["MEF_STAT_11"]: row["FORMATION_DIPLOME"] for row in _csv("bcn_n_mef.csv")}


def _landes(uai: str) -> bool:
    return uai.startswith("040")


def test_landes_pupils_of_bac_pro_assp_in_2020_all_options(con, open_page):
    of = _diploma_of_mef()
    raw = [r for r in _csv("constat_rentree_2020.csv") if _landes(r["UAI"]) and of.get(r["Mef Bcp 11"]) in BAC_PRO_ASSP]
    by_school = defaultdict(int)
    for r in raw:
        by_school[r["UAI"]] += int(r["Nombre d'élèves : Total"])
    assert sum(by_school.values()) > 300 and len(by_school) == 4
    stored = dict(con.execute(
        "SELECT p.uai, SUM(i.pupils) FROM site_intake i JOIN provider p USING (provider_id) "
        "WHERE i.kind = 'constat' AND i.diploma_code = 'BAC-PRO-ASSP' AND i.year = 2020 GROUP BY 1").fetchall())
    assert stored == dict(by_school)
    # the Accès page's sum for the département: every school, placed or not
    at = open_page("pages/acces.py", metiers="aide-domicile")
    totals = next(t.value for t in at.table if "Lieux" in t.value.columns)
    row = totals[(totals["Diplôme"] == "Bac pro ASSP") & (totals["Année"] == "2020, constat de rentrée")]
    assert row["Élèves"].tolist() == [formats.number(sum(by_school.values()))]
    assert row["Lieux"].tolist() == ["4, dont 3 sans lieu connu"]


def test_affelnet_2021_places_and_first_wishes_of_the_bac_pro_assp_seconde(con):
    of = _diploma_of_mef()
    raw = [r for r in _csv("affelnet_capacite_voeux_2021.csv")
           if _landes(r["Etablissement d'accueil"]) and of.get(r["MEF STAT 11"]) in BAC_PRO_ASSP
           and r["MEF STAT 11"].startswith("2381")]  # the seconde: first year of the three-year dispositif 238
    places, wishes = (sum(int(r[c]) for r in raw) for c in ("Capacité carte scolaire", "Demandes vœux 1"))
    assert (places, wishes) == (120, 87)  # as PROVENANCE.md reads them
    stored = con.execute("SELECT SUM(places), SUM(first_wishes) FROM site_intake i JOIN diploma_mef m "
                         "ON m.formation = i.formation AND m.diploma_code = i.diploma_code "
                         "WHERE i.kind = 'affelnet' AND i.year = 2021 AND m.course_year = 1 "
                         "AND i.diploma_code = 'BAC-PRO-ASSP'").fetchone()
    assert stored == (places, wishes)


def test_bts_sp3s_places_of_the_landes_in_2024_and_their_schools(con, open_page):
    of = _diploma_of_mef()
    raw = [r for r in _csv("bts_capacite_voeux_2024.csv") if _landes(r["UAI"]) and of.get(r["MEFSTAT11"]) in BTS_SP3S]
    places = sum(int(r["CAPACITEPSUP"]) for r in raw)
    assert places > 0 and {r["UAI"] for r in raw} == {"0400018C", "0401016M"}
    stored = con.execute("SELECT SUM(places), SUM(candidates) FROM site_intake WHERE kind = 'bts' AND year = 2024 "
                         "AND diploma_code = 'BTS-SP3S'").fetchone()
    assert stored == (places, sum(int(r["NB_VOEUX_CONFIRMES"]) for r in raw))
    at = open_page("pages/acces.py", metiers="responsable-secteur-domicile")
    totals = next(t.value for t in at.table if "Lieux" in t.value.columns)
    row = totals[(totals["Diplôme"] == "BTS SP3S") & (totals["Année"] == "2024, Parcoursup BTS")]
    assert row["Places"].tolist() == [formats.number(places)]
    candidates = sum(int(r["NB_VOEUX_CONFIRMES"]) for r in raw)
    assert row["Candidats pour une place"].tolist() == [formats.number(candidates / places, 1)]


def test_one_national_total_through_the_importer(con):
    """The whole constat through the importer, every département accepted: the national pupils of
    BAC PRO ASSP in 2020 equal the raw file's."""
    of = _diploma_of_mef()
    raw = _csv("constat_rentree_2020.csv")
    expected = sum(int(r["Nombre d'élèves : Total"]) for r in raw if of.get(r["Mef Bcp 11"]) in BAC_PRO_ASSP)
    ctx = Context.from_db(con)
    every = sorted({ingest.common.uai_departement(r["UAI"]) for r in raw})
    ctx.all_departements = tuple(every)
    parsed = ingest.parse(shared_file(f"{LYCEES}/constat_rentree_2020.csv").read_bytes(), "constat_rentree_2020.csv",
                          ctx, "lycees")
    intake = parsed.tables["site_intake"]
    assert int(intake.loc[intake["diploma_code"] == "BAC-PRO-ASSP", "pupils"].sum()) == expected > 40_000


def test_schools_are_placed_by_the_directories_or_counted_at_departement_level(con):
    """Despiau (Mont-de-Marsan) and Saint-Jacques (Dax) from their Parcoursup position; three lycées
    none of the open directories names stay at département level, never guessed."""
    placed = dict(con.execute("SELECT p.uai, m.name FROM provider p JOIN commune m ON m.code = p.commune_code "
                              "WHERE p.uai IN ('0400018C', '0401016M', '0401002X')").fetchall())
    assert placed == {"0400018C": "Mont-de-Marsan", "0401016M": "Dax", "0401002X": "Saint-Paul-lès-Dax"}
    unplaced = {u for (u,) in con.execute("SELECT uai FROM provider WHERE departement_code = '40' AND lon IS NULL").fetchall()}
    listed = {r["CODE_UAI"] for r in _csv("lycees_donnees_generales.csv")} | {
        r["UAI lieu de cours"] for r in _csv("onisep_lieux_specialites_premiere.csv")}
    assert unplaced and not (unplaced & listed)  # none of them is in a directory
    # one site per establishment: the lycée's BTS figures join its Parcoursup site
    assert con.execute("SELECT COUNT(*) FROM provider WHERE uai = '0401016M'").fetchone()[0] == 1


def test_the_portraits_of_dax_and_mont_de_marsan_show_their_ifsi_and_lycee(open_page, con):
    for town, school in (("Dax", "Lycée Saint-Jacques-de-Compostelle"), ("Mont-de-Marsan", "Lycée Charles Despiau")):
        area = con.execute("SELECT canton_code FROM commune WHERE name = ?", [town]).fetchone()[0]
        at = open_page("pages/fiche_canton.py", canton=area)
        shown = next(t.value for t in at.table if "Admis" in t.value.columns)
        sites = set(shown["Lieu de formation"])
        assert any(s.startswith("IFSI") for s in sites) and school in sites, (town, sites)
        bts_2024 = shown[(shown["Lieu de formation"] == school) & (shown["Année"] == "2024, Parcoursup BTS")]
        raw = [r for r in _csv("bts_capacite_voeux_2024.csv")
               if r["UAI"] == con.execute("SELECT uai FROM provider WHERE name = ?", [school]).fetchone()[0]
               and _diploma_of_mef().get(r["MEFSTAT11"]) in BTS_SP3S]
        assert sorted(bts_2024["Places"]) == sorted(formats.number(int(r["CAPACITEPSUP"])) for r in raw)


def test_refusals_name_what_is_wrong_and_where(con):
    ctx = Context.from_db(con)
    row = next(r for r in _csv("affelnet_capacite_voeux_2021.csv") if r["Etablissement d'accueil"] == "0401002X"
               and r["MEF STAT 11"] == "23820033003")
    assert ingest.detect(csv_bytes([row]), "affelnet_2021.csv") == "lycees"
    with pytest.raises(ImportRejected, match="ne dit pas son année"):
        ingest.parse(csv_bytes([row]), "affelnet.csv", ctx, "lycees")
    with pytest.raises(ImportRejected, match="« quinze » n'est pas un effectif") as caught:
        ingest.parse(csv_bytes([row, {**row, "Capacité carte scolaire": "quinze"}]), "affelnet_2021.csv", ctx, "lycees")
    assert "ligne 3" in str(caught.value) and "Capacité carte scolaire" in str(caught.value)
    with pytest.raises(ImportRejected, match="statut « XX » inconnu"):
        ingest.parse(csv_bytes([{**row, "Statut Offre de formation": "XX"}]), "affelnet_2021.csv", ctx, "lycees")
    parsed = ingest.parse(csv_bytes([row, row]), "affelnet_2021.csv", ctx, "lycees")  # two classes: added up
    assert parsed.tables["site_intake"]["places"].tolist() == [2 * int(row["Capacité carte scolaire"])]
