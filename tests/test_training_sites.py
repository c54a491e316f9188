"""Real training sites (Parcoursup 2018-2019): what the base holds, the distances it computes and the
Accès page shows, against the public file read by hand."""
import csv
import math

import pytest

from observatory import ingest, paths
from observatory.figures import training_sites
from observatory.ingest import Context, ImportRejected
from observatory.ingest.common import NothingForTerritory
from observatory.vocabulary import formats
from tests.conftest import csv_bytes, shared_file

ORIGINAL = "real/parcoursup/parcoursup_2018_2019.csv"


def _rows() -> list[dict]:
    with open(shared_file(ORIGINAL), encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def _diplomas() -> list[dict]:
    with open(paths.DIPLOMAS_CSV, encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _referential() -> dict[str, dict]:
    """The diplomas recruited through Parcoursup, by their label there."""
    return {row["parcoursup"]: row for row in _diplomas() if row["parcoursup"]}


def _of(label: str, session: str = "2019") -> list[dict]:
    return [r for r in _rows() if r["Filière.de.formation.détaillée"].strip() == label and r["Session"] == session]


def test_every_diploma_label_is_a_formation_of_a_file_and_leads_to_known_professions():
    labels = {r["Filière.de.formation.détaillée"].strip() for r in _rows()}
    with open(shared_file("real/parcoursup/parcoursup_2024_11_colonnes.csv"), encoding="utf-8-sig", newline="") as handle:
        labels |= {r["Filière de formation"].strip() for r in csv.DictReader(handle, delimiter=";")}  # 2024: new diplomas
    with open(paths.PROFESSIONS_CSV, encoding="utf-8") as handle:
        ours = {row["code"] for row in csv.DictReader(handle)}
    for label in _referential():
        assert label in labels, label
    for row in _diplomas():
        assert set(row["metiers"].split("|")) <= ours
        # a diploma that leads to several professions says so
        assert (len(row["metiers"].split("|")) > 1) == ("plusieurs" in row["note"])


def test_the_landes_nursing_schools_with_their_places_candidates_and_admissions(con):
    raw = [r for r in _of("D.E Infirmier") if r["Code.départemental.de.l.établissement"] == "40"]
    assert {r["Code.UAI.de.l.établissement"] for r in raw} == {"0400830K", "0400829J"}
    stored = con.execute(
        "SELECT p.uai, m.name, i.places, i.candidates, i.admitted FROM site_intake i JOIN provider p USING (provider_id) "
        "JOIN commune m ON m.code = p.commune_code WHERE i.diploma_code = 'DE-INFIRMIER' AND i.year = 2019 ORDER BY 1").fetchall()
    expected = sorted((r["Code.UAI.de.l.établissement"], int(r["Capacité.de.l.établissement.par.formation"]),
                       int(r["Effectif.total.des.candidats.pour.une.formation"]),
                       int(r["Effectif.total.des.candidats.ayant.accepté.la.proposition.de.l.établissement..admis."]))
                      for r in raw)
    assert [(u, p, c, a) for u, _, p, c, a in stored] == expected
    # the commune is read from the published position: Mont-de-Marsan and Dax
    assert {u: commune for u, commune, *_ in stored} == {"0400830K": "Mont-de-Marsan", "0400829J": "Dax"}


def test_every_site_of_france_counts_and_the_nearest_school_may_be_beyond_the_border(con):
    raw = [r for r in _of("D.E Infirmier") if r["Coordonnées.GPS.de.la.formation"].strip()]
    stored = con.execute("SELECT COUNT(DISTINCT p.uai) FROM provider p JOIN site_intake i USING (provider_id) "
                         "WHERE i.diploma_code = 'DE-INFIRMIER' AND i.year = 2019").fetchone()[0]
    assert stored == len({r["Code.UAI.de.l.établissement"] for r in raw})
    # the distance of a commune to the nearest nursing school, by hand: haversine to every published position
    points = [tuple(float(x) for x in r["Coordonnées.GPS.de.la.formation"].split(",")) for r in raw]
    for code in ("40001", "40088", "40046"):  # Aire-sur-l'Adour (near the Gers), Dax, Biscarrosse (the coast)
        lon, lat = con.execute("SELECT lon, lat FROM commune WHERE code = ?", [code]).fetchone()
        by_hand = min(_haversine_km(lat, lon, plat, plon) for plat, plon in points)
        stored = con.execute("SELECT distance_km FROM commune_access WHERE commune_code = ? AND profession_code = 'infirmier'",
                             [code]).fetchone()[0]
        assert stored == pytest.approx(by_hand, rel=0.01, abs=0.3), code
    nearest_outside = con.execute(
        "SELECT COUNT(*) FROM commune_access a JOIN provider p USING (provider_id) "
        "WHERE a.profession_code = 'educateur-specialise' AND p.commune_code IS NULL").fetchone()[0]
    assert nearest_outside == con.execute("SELECT COUNT(*) FROM commune").fetchone()[0]  # no such school in the Landes


def _haversine_km(lat1, lon1, lat2, lon2) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def test_real_sites_replace_the_demo_ones_of_their_professions_only(con):
    def demo_places(profession):
        return con.execute("SELECT COUNT(*) FROM provider_profession pp JOIN provider p USING (provider_id) "
                           "JOIN source s USING (source_id) WHERE s.is_demo AND pp.profession_code = ?",
                           [profession]).fetchone()[0]

    assert demo_places("infirmier") == demo_places("educateur-specialise") == 0
    assert demo_places("aide-soignant") > 0  # no open list: its demo places stay, shown only in demo mode


def test_a_diploma_of_several_professions_is_counted_whole_for_each(con):
    label = next(label for label, row in _referential().items() if "|" in row["metiers"])
    professions = _referential()[label]["metiers"].split("|")
    landes = sum(int(r["Capacité.de.l.établissement.par.formation"]) for r in _of(label)
                 if r["Code.départemental.de.l.établissement"] == "40")
    for profession in professions:
        intakes = training_sites.site_intakes(con, profession, "")
        session = intakes[(intakes["year"] == 2019) & (intakes["kind"] == "parcoursup")]
        assert session["places"].sum() == landes > 0


def test_the_acces_page_draws_real_deserts_or_says_there_is_no_open_list(open_page):
    at = open_page("pages/acces.py", metiers="infirmier")
    text = " ".join(c.value for c in at.caption)
    assert "Lieux de formation réels" in text and "Parcoursup 2019" in text and "démonstration" not in text
    table = next(d.value for d in at.dataframe if "Lieu de formation" in d.value.columns)  # each formation
    table = table[table["Année"] == "2019, Parcoursup"]  # the 2024 session: tests/test_parcoursup_names.py
    raw = [r for r in _of("D.E Infirmier") if r["Code.départemental.de.l.établissement"] == "40"]
    assert sorted(table["Places"]) == sorted(formats.number(int(r["Capacité.de.l.établissement.par.formation"]))
                                             for r in raw)
    totals = next(t.value for t in at.table if "Lieux" in t.value.columns)  # their sum for the département
    totals = totals[totals["Année"] == "2019, Parcoursup"]
    assert totals["Places"].tolist() == [formats.number(sum(int(r["Capacité.de.l.établissement.par.formation"])
                                                            for r in raw))]
    at = open_page("pages/acces.py", metiers="aide-soignant")
    assert any("Aucune liste ouverte et complète des lieux qui forment au métier « Aide-soignant »" in i.value
               for i in at.info)
    assert not any("Admis" in d.value.columns for d in at.dataframe)


def _context(con) -> Context:
    return Context.from_db(con)


def test_refusals_name_what_is_wrong_and_where(con):
    school = next(r for r in _of("D.E Infirmier") if r["Code.UAI.de.l.établissement"] == "0400830K")
    places = "Capacité.de.l.établissement.par.formation"
    with pytest.raises(ImportRejected, match="n'est pas une position") as caught:
        ingest.parse(csv_bytes([{**school, "Coordonnées.GPS.de.la.formation": "43.9;-0.49x"}]), "ps.csv", _context(con), "parcoursup")
    assert "ligne 2" in str(caught.value)
    with pytest.raises(ImportRejected, match="« soixante-dix-sept » n'est pas un effectif") as caught:
        ingest.parse(csv_bytes([school, {**school, places: "soixante-dix-sept"}]), "ps.csv", _context(con), "parcoursup")
    assert "ligne 3" in str(caught.value) and places in str(caught.value)
    other = next(r for r in _rows() if r["Établissement"] == "Lycée de Borda")
    with pytest.raises(NothingForTerritory, match="aucune formation d'un diplôme de nos métiers"):
        ingest.parse(csv_bytes([other]), "ps.csv", _context(con), "parcoursup")
    assert ingest.detect(csv_bytes([school])[:4000], "ps.csv") == "parcoursup"
    parsed = ingest.parse(csv_bytes([school, {**school, "Coordonnées.GPS.de.la.formation": ""}]), "ps.csv", _context(con),
                          "parcoursup")
    assert parsed.report.rows_kept == 1 and any("sans position publiée" in note for note in parsed.report.notes)
    assert parsed.title == "Parcoursup 2019 : places, candidats et admis par formation"
    with pytest.raises(ImportRejected, match="aucune formation de nos diplômes n'a de position publiée"):
        ingest.parse(csv_bytes([{**school, "Coordonnées.GPS.de.la.formation": ""}]), "ps.csv", _context(con), "parcoursup")


def test_the_diploma_table_refuses_an_unknown_profession_and_a_repeated_label(tmp_path):
    from observatory.builder.referential import ReferentialError, load_diplomas

    good = paths.DIPLOMAS_CSV.read_text(encoding="utf-8").splitlines()
    ours = {row.split(",")[0] for row in paths.PROFESSIONS_CSV.read_text(encoding="utf-8").splitlines()[1:]}
    assert len(load_diplomas(paths.DIPLOMAS_CSV, ours)) == len(good) - 1
    wrong = tmp_path / "diplomes.csv"
    wrong.write_text("\n".join(good[:3] + [good[3].replace("assistant-service-social", "assistante-sociale")]),
                     encoding="utf-8")
    with pytest.raises(ReferentialError, match="ligne 4 : métier\\(s\\) inconnu\\(s\\) dans « metiers » : assistante-sociale"):
        load_diplomas(wrong, ours)
    wrong.write_text("\n".join(good[:4] + [good[4].replace("D.E Educateur de Jeunes Enfants", "D.E Educateur Spécialisé")]),
                     encoding="utf-8")
    with pytest.raises(ReferentialError, match="en double dans « parcoursup »"):
        load_diplomas(wrong, ours)


def test_the_portraits_of_dax_and_mont_de_marsan_list_their_real_sites_with_their_places(open_page, con):
    raw = [r for r in _rows() if r["Code.départemental.de.l.établissement"] == "40"
           and r["Filière.de.formation.détaillée"].strip() in _referential()]
    for town in ("Dax", "Mont-de-Marsan"):
        area = con.execute("SELECT canton_code FROM commune WHERE name = ?", [town]).fetchone()[0]
        at = open_page("pages/fiche_canton.py", canton=area)
        shown = next(t.value for t in at.table if "Admis" in t.value.columns)  # the table (cards on a phone)
        shown = shown[shown["Année"].isin(["2018, Parcoursup", "2019, Parcoursup"])]  # others: test_lycees, test_parcoursup_names
        ours = [r for r in raw if con.execute("SELECT canton_code FROM commune WHERE code = (SELECT commune_code FROM "
                                              "provider WHERE uai = ?)", [r["Code.UAI.de.l.établissement"]]).fetchone()[0] == area]
        assert ours, town
        assert sorted(shown["Places"]) == sorted(formats.number(int(r["Capacité.de.l.établissement.par.formation"]))
                                                 for r in ours)
    # a profession none of whose diplomas is taught there: the portrait says so
    at = open_page("pages/fiche_canton.py", canton=area, metiers="educateur-specialise")
    assert any("Aucune formation des diplômes de nos métiers n'est publiée dans ce territoire pour les métiers choisis"
               in c.value for c in at.caption)


def test_the_training_export_by_site_and_by_canton_equals_the_raw_file(db_path, tmp_path):
    import subprocess
    import sys

    landes = [r for r in _rows() if r["Code.départemental.de.l.établissement"] == "40"
              and r["Filière.de.formation.détaillée"].strip() in _referential()]
    outputs = {}
    for level in ("lieu", "canton"):
        out = tmp_path / f"{level}.csv"
        done = subprocess.run([sys.executable, "-m", "observatory", "export", "--formations", level, "--db", str(db_path),
                               "-o", str(out)], cwd=paths.ROOT, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        with open(out, encoding="utf-8-sig", newline="") as handle:
            outputs[level] = list(csv.DictReader(handle, delimiter=";"))
        notes = (tmp_path / f"{level}_filtres-et-sources.txt").read_text(encoding="utf-8-sig")
        assert "Parcoursup (sessions 2018, 2019 et 2024" in notes and "Années (Parcoursup) : 2018, 2019, 2024" in notes
        outputs[level] = [r for r in outputs[level] if r["Source"] == "Parcoursup" and r["Année"] in ("2018", "2019")]
    by_site = sorted((r["UAI"], r["Année"], r["Places"], r["Candidatures"], r["Admis"]) for r in outputs["lieu"])
    assert by_site == sorted((r["Code.UAI.de.l.établissement"], r["Session"], r["Capacité.de.l.établissement.par.formation"],
                              r["Effectif.total.des.candidats.pour.une.formation"],
                              r["Effectif.total.des.candidats.ayant.accepté.la.proposition.de.l.établissement..admis."])
                             for r in landes)
    # by canton: the sum of its sites' formations, per diploma and session
    places = {}
    for site, raw in zip(sorted(outputs["lieu"], key=lambda r: (r["UAI"], r["Année"])),
                         sorted(landes, key=lambda r: (r["Code.UAI.de.l.établissement"], r["Session"]))):
        key = (site["Code du canton"], raw["Session"])
        places[key] = places.get(key, 0) + int(raw["Capacité.de.l.établissement.par.formation"])
    summed = {}
    for r in outputs["canton"]:
        summed[(r["Code du canton"], r["Année"])] = summed.get((r["Code du canton"], r["Année"]), 0) + int(r["Places"])
    assert summed == places
