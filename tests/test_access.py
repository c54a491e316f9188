"""Barriers to entering the professions: distance to training, internship placements, pressures."""
import math

import pytest

from observatory import builder, database, paths
from observatory.builder import imported_files
from observatory.vocabulary import formats
from observatory.ui import session
from observatory.ingest import contexte
from tests.markdown_oracle import shown

LHEO_MONT_DE_MARSAN = """<?xml version="1.0" encoding="UTF-8"?>
<lheo xmlns="http://www.lheo.org/2.2"><offres><formation numero="T1">
<domaine-formation><code-ROME>J1403</code-ROME></domaine-formation>
<intitule-formation>Diplôme d'État d'ergothérapeute</intitule-formation>
<url-formation><urlweb>www.exemple-ifpp.fr</urlweb></url-formation>
<action><lieu-de-formation><coordonnees><adresse><ville>Mont-de-Marsan</ville>
<code-INSEE-commune>40192</code-INSEE-commune>
<geolocalisation><latitude>43.8927</latitude><longitude>-0.4860</longitude></geolocalisation>
</adresse></coordonnees></lieu-de-formation>
<session><periode><debut>20260901</debut><fin>00000000</fin></periode></session>
<organisme-formateur><raison-sociale-formateur>Institut de formation (essai)</raison-sociale-formateur></organisme-formateur>
<organisme-financeur><code-financeur>10</code-financeur><nb-places-financees>24</nb-places-financees></organisme-financeur>
</action></formation></offres></lheo>"""


def _haversine_km(lon1, lat1, lon2, lat2) -> float:
    """Distance on a sphere of radius 6371 km, computed by hand (independent of pyproj)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(a))


@pytest.mark.parametrize("commune, profession", [("40015", "ergotherapeute"), ("40184", "infirmier"),
                                                 ("40312", "aide-domicile")])
def test_distances_match_a_hand_computation(con, commune, profession):
    lon, lat = con.execute("SELECT lon, lat FROM commune WHERE code = ?", [commune]).fetchone()
    places = con.execute("""SELECT p.provider_id, p.lon, p.lat FROM provider p JOIN provider_profession l
        ON l.provider_id = p.provider_id WHERE l.profession_code = ?""", [profession]).fetchall()
    by_hand = min((_haversine_km(lon, lat, plon, plat), pid) for pid, plon, plat in places)
    stored = con.execute("SELECT distance_km, provider_id FROM commune_access WHERE commune_code = ? "
                         "AND profession_code = ?", [commune, profession]).fetchone()
    assert stored[1] == by_hand[1]
    assert stored[0] == pytest.approx(by_hand[0], rel=0.01, abs=0.05)  # Lambert-93 vs sphere: < 1 %


def test_the_nearest_provider_changes_when_a_provider_is_imported(tmp_path):
    db = tmp_path / "observatory.duckdb"
    builder.build(db)

    def nearest():
        con = database.connect_readonly(db)
        row = con.execute("""SELECT a.distance_km, p.name, p.website FROM commune_access a JOIN provider p USING (provider_id)
            WHERE a.commune_code = '40192' AND a.profession_code = 'ergotherapeute'""").fetchone()
        con.close()
        return row

    before = nearest()
    assert before[0] > 40 and "Dax" in before[1]
    file = tmp_path / "offre.xml"
    file.write_text(LHEO_MONT_DE_MARSAN, encoding="utf-8")
    outcome = imported_files.import_files([file], db_path=db)
    assert "1 lieu(x) de formation retenu(s)" in outcome.reports[0]
    after = nearest()
    assert after[0] < 0.1 and after[1] == "Institut de formation (essai)" and after[2] == "https://www.exemple-ifpp.fr"


def test_access_page_share_far_matches_sql(open_page, con):
    at = open_page("pages/acces.py", demo="1", km="20")
    at.selectbox(key="access_profession").set_value("infirmier").run()
    population, far = con.execute("""SELECT SUM(m.population), SUM(m.population) FILTER (WHERE a.distance_km > 20)
        FROM commune m JOIN commune_access a ON a.commune_code = m.code AND a.profession_code = 'infirmier'
        WHERE m.canton_code = '4003'""").fetchone()
    table = at.dataframe[0].value.set_index("Territoire")
    assert table.loc["Côte d'Argent", "Part de la population"] == formats.percent(100 * far / population)
    assert table.loc["Côte d'Argent", "Habitants à plus de 20 km"] == formats.number(far)
    assert any(c.value.startswith("En bref :") for c in at.caption)


def test_placement_counts_follow_statistical_secrecy(open_page, con):
    at = open_page("pages/acces.py", demo="1", metiers="psychomotricien,ergotherapeute", secret="11")
    needs = at.dataframe[2].value.set_index("Territoire")
    assert (needs["Stagiaires cherchant une place"] == "s").any()
    sought = dict(con.execute("""SELECT c.name, SUM(placements_sought) FROM internships i JOIN canton c ON c.code = i.canton_code
        WHERE year = 2025 AND profession_code IN ('psychomotricien', 'ergotherapeute') GROUP BY c.name""").fetchall())
    # what the cells published at threshold 11 add up to, and whether a cell was masked
    published = {name: (visible, masked) for name, visible, masked in con.execute("""
        SELECT c.name, SUM(CASE WHEN placements_sought__secret THEN 0 ELSE placements_sought END),
               BOOL_OR(placements_sought__secret AND placements_sought IS NOT NULL)
        FROM masked_cells m JOIN canton c ON c.code = m.canton_code WHERE threshold = 11 AND year = 2025
          AND profession_code IN ('psychomotricien', 'ergotherapeute') GROUP BY c.name""").fetchall()}
    for name, shown in needs["Stagiaires cherchant une place"].items():
        visible, masked = published[name]
        if shown == "s":
            assert sought[name] is not None and masked and not visible
        elif masked:  # a minimum: the cells that are published, never the masked one
            assert shown == f"{formats.AT_LEAST} {formats.number(visible)}" and visible < sought[name]
        else:  # a visible count is the true one, and is zero or at least the threshold
            assert shown == formats.number(sought[name]) and (sought[name] == 0 or sought[name] >= 11)


def test_canton_pressures_come_with_their_source_or_are_absent(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    db = tmp_path / "observatory.duckdb"
    builder.build(db)
    file = tmp_path / "contraintes.csv"
    file.write_bytes(contexte.template_file(example=True))
    imported_files.import_files([file], db_path=db)
    monkeypatch.setenv(session.DB_ENV, str(db))
    at = AppTest.from_file(str(paths.ROOT / "pages/fiche_canton.py"), default_timeout=90)
    at.query_params["canton"] = "4008"
    at.run()
    text = " ".join(shown(m.value) for m in at.markdown)
    assert "Ménages sans voiture : 6,1 % (2021 ; source : INSEE, recensement 2021 (exemple))" in text
    assert "Loyer moyen : non renseigné" in text


def test_a_pressure_without_its_source_is_refused(tmp_path):
    from observatory.ingest import ImportRejected

    db = tmp_path / "observatory.duckdb"
    builder.build(db)
    file = tmp_path / "contraintes.csv"
    file.write_text("annee;code_canton;indicateur;valeur;source\n2021;4008;menages_sans_voiture;6,1;\n", encoding="utf-8")
    with pytest.raises(ImportRejected, match="ligne 2, colonne source : source manquante"):
        imported_files.import_files([file], db_path=db)
