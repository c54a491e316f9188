"""Barriers to training and work from real files: social housing per canton (SDES, RPLS) and the
outcomes of the CFAs' apprentices (InserJeunes), shown on the Accès page and the canton portrait,
compared with the original files read by hand and with direct SQL on the reference geography."""
import csv

import duckdb
import pandas as pd
import pytest

from observatory import builder
from observatory.builder import imported_files
from observatory.vocabulary import formats
from observatory.ingest import ImportRejected, inserjeunes, social_housing
from observatory.ingest.common import Context
from tests.conftest import shared_file

RPLS = "real/logement/export_parc_logements_sociaux_jan_2024.csv"
INSERJEUNES = "real/inserjeunes/fr-en-inserjeunes-cfa.csv"


def _rows(path, separator):
    with shared_file(path).open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=separator))


def _communes(con, area):
    return {c for (c,) in con.execute("SELECT code FROM commune WHERE canton_code = ?", [area]).fetchall()}


def _population(con, area):
    return con.execute("""SELECT SUM(p.population) FROM commune_population AS p JOIN commune AS c ON c.code = p.commune_code
        WHERE c.canton_code = ? AND p.year = (SELECT MAX(year) FROM commune_population)""", [area]).fetchone()[0]


def test_canton_4013_stock_is_the_sum_of_its_communes_in_the_rpls_file(open_page, con):
    raw = {r["DEPCOM_ARM"]: r for r in _rows(RPLS, ",")}
    communes = _communes(con, "4013")
    stock = sum(int(raw[c]["nb_ls"]) for c in communes if c in raw)  # an absent commune has none
    assert len(communes) > len(communes & set(raw)) > 0  # some of its communes have no social housing
    secret = [c for c in communes if c in raw and raw[c]["nb_vacants"] == ""]
    vacant = sum(int(raw[c]["nb_vacants"]) for c in communes if c in raw and raw[c]["nb_vacants"] != "")
    per_1000 = 1000 * stock / _population(con, "4013")
    landes = [r for r in raw.values() if r["DEPCOM_ARM"].startswith("40")]
    landes_per_1000 = 1000 * sum(int(r["nb_ls"]) for r in landes) / con.execute(
        "SELECT SUM(population) FROM commune_population WHERE year = (SELECT MAX(year) FROM commune_population)").fetchone()[0]
    at = open_page("pages/fiche_canton.py", canton="4013")
    line = next(m.value for m in at.markdown if "Logements sociaux" in m.value)
    assert f"2024 : {formats.number(stock)}, soit {formats.number(per_1000, 1)} pour 1 000 habitants" in line
    assert f"(département : {formats.number(landes_per_1000, 1)})" in line
    assert f"vacants : {'au moins ' if secret else ''}{formats.number(vacant)}" in line

    table = open_page("pages/acces.py").dataframe[-2].value.set_index("Territoire")
    assert table.loc["Pays morcenais tarusate", "Logements sociaux"] == formats.number(stock)
    assert table.loc["Landes", "Logements sociaux"] == formats.number(sum(int(r["nb_ls"]) for r in landes))


def test_secret_detail_is_never_counted_as_zero_and_the_vacancy_rate_uses_published_communes(open_page, con):
    raw = {r["DEPCOM_ARM"]: r for r in _rows(RPLS, ",") if r["DEPCOM_ARM"].startswith("40")}
    table = open_page("pages/acces.py").dataframe[-2].value.set_index("Territoire")
    areas = con.execute("SELECT code, name || CASE WHEN kind = 'ville' THEN ' (ville partagée)' ELSE '' END FROM canton").fetchall()
    checked = 0
    for code, name in areas:
        ours = [raw[c] for c in _communes(con, code) if c in raw]
        published = [r for r in ours if r["nb_vacants"] != ""]
        vacant = sum(int(r["nb_vacants"]) for r in published)
        if len(published) < len(ours):
            assert table.loc[name, "Vacants"] in (f"au moins {formats.number(vacant)}", "s")
            assert table.loc[name, "Vacants"] != "s" or vacant == 0
            checked += 1
        else:
            assert table.loc[name, "Vacants"] == formats.number(vacant)
        base = sum(int(r["nb_ls"]) for r in published)
        assert table.loc[name, "Taux de vacance"] == (formats.percent(100 * vacant / base) if base else formats.MISSING)
    assert checked >= 3  # the Landes file has secret details in several cantons


def _housing_file(tmp_path, name, rows):
    path = tmp_path / name
    path.write_text("DEPCOM_ARM,LIBCOM_DEP,LIBCOM,nb_loues,nb_vacants,nb_vides,nb_asso,nb_occup_finan,nb_occup_temp,nb_ls\n"
                    + "".join(f"{r}\n" for r in rows), encoding="utf-8")
    return path


def test_a_newer_rpls_file_adds_its_year_and_a_bad_one_changes_nothing(tmp_path):
    db, folder = tmp_path / "live.duckdb", tmp_path / "imports"
    builder.build(db, imports_dir=folder)
    good = _housing_file(tmp_path, "parc_logements_sociaux_jan_2025.csv",
                         ["40001,Aire-sur-l'Adour (40),Aire-sur-l'Adour,350,10,0,0,0,0,360", "75101,Paris 1er,Paris 1er,5,0,0,0,0,0,5"])
    imported_files.import_files([good], db_path=db, folder=folder)
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT MAX(year), COUNT(*) FILTER (WHERE year = 2025), SUM(stock) FILTER (WHERE year = 2025) "
                           "FROM commune_social_housing").fetchone() == (2025, 1, 360)
        before = con.execute("SELECT COUNT(*), SUM(stock) FROM commune_social_housing").fetchone()
    finally:
        con.close()
    for name, row, expected in [
        ("parc_sans_annee.csv", "40001,A,A,1,1,0,0,0,0,2", "l'année du parc n'est pas dans le nom du fichier"),
        ("parc_2025.csv", "40001,A,A,300,70,0,0,0,0,360", "300 loués et 70 vacants pour 360 logements en tout"),
        ("parc_2025.csv", "40001,A,A,1,1,0,0,0,0,-3", "« -3 » est négatif"),
        ("parc_2025.csv", "40001,A,A,1,1,0,0,0,0,", "le nombre total de logements sociaux est vide"),
        ("parc_2025.csv", "75101,Paris,Paris,1,1,0,0,0,0,2", "aucune commune du territoire"),
    ]:
        with pytest.raises(ImportRejected, match=expected):
            imported_files.import_files([_housing_file(tmp_path, name, [row])], db_path=db, folder=folder)
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT COUNT(*), SUM(stock) FROM commune_social_housing").fetchone() == before
    finally:
        con.close()


def test_paris_arrondissements_are_added_up_into_the_commune(con):
    context = Context.from_db(con)
    context = Context(context.departement, context.communes.assign(code=["75056"] + context.communes["code"].tolist()[1:]),
                      context.areas, context.professions, context.bassins)
    data = ("DEPCOM_ARM,nb_loues,nb_vacants,nb_ls\n75101,10,1,12\n75102,20,,25\n").encode()
    table = social_housing.parse(data, "parc_2024.csv", context).tables["commune_social_housing"]
    row = table.set_index("commune_code").loc["75056"]
    assert (row["stock"], row["year"]) == (37, 2024) and pd.isna(row["vacant"])  # one arrondissement's detail is secret


def test_the_landes_cfa_outcomes_are_the_inserjeunes_rows(open_page, con):
    raw = [r for r in _rows(INSERJEUNES, ";") if r["UAI"].startswith("040")]
    assert con.execute("SELECT COUNT(*) FROM cfa_outcome").fetchone()[0] == len(raw) == 72
    latest = max(r["Année"] for r in raw)
    at = open_page("pages/acces.py")
    assert at.selectbox(key="cfa_cohort").value == latest
    shown = at.dataframe[-1].value.set_index("Numéro UAI")
    expected = [r for r in raw if r["Année"] == latest]
    assert len(shown) == len(expected)  # one line per CFA, no total: rates are never added up
    for row in expected:
        for column, label in [("Taux emploi 6 mois", "En emploi à 6 mois"), ("Taux emploi 12 mois", "En emploi à 12 mois"),
                              ("Taux poursuite études", "Poursuite d'études")]:
            value = row[column]
            assert shown.loc[row["UAI"], label] == (formats.percent(float(value), 0) if value else "non publié")
    assert any("tous métiers confondus" in c.value for c in at.caption)
    first = min(r["Année"] for r in raw)
    at.selectbox(key="cfa_cohort").select(first).run()
    assert len(at.dataframe[-1].value) == sum(r["Année"] == first for r in raw)


@pytest.mark.parametrize("line, expected", [
    ("cumul 2023-2024;0400898X1;CFA;;10;20;30;;40;50;60;0;70;;", "n'est pas un numéro UAI"),
    ("cumul 2023-2024;0400898J;CFA;;10;20;30;;40;120;60;0;70;;", "« 120 » n'est pas un taux entre 0 et 100"),
    ("cumul 2023-2024;0400898J;CFA;;10;20;30;;40;cinquante;60;0;70;;", "« cinquante » n'est pas un taux"),
    ("cumul 2023-2024;0750898J;CFA;;10;20;30;;40;50;60;0;70;;", "aucun CFA du territoire"),
    # a cohort only in the source's forms: stored as typed, « l'an dernier » would be a promotion
    ("l'an dernier;0400898J;CFA;;10;20;30;;40;50;60;0;70;;", "« l'an dernier » n'est pas une promotion d'InserJeunes"),
    ("cumul 2022-2024;0400898J;CFA;;10;20;30;;40;50;60;0;70;;", "« cumul 2022-2024 » n'est pas une promotion"),
])
def test_inserjeunes_refusals_name_the_line_and_the_value(con, line, expected):
    header = ("Année;UAI;Libellé;Région;DEVENIR Part poursuite études;DEVENIR Part en emploi 6 mois;"
              "DEVENIR Part autre situation 6 mois;Part contrats apprentissage interrompus;Taux poursuite études;"
              "Taux emploi 6 mois;Taux emploi 6 mois attendu;VA emploi 6 mois;Taux emploi 12 mois;Taux emploi 18 mois;"
              "Taux emploi 24 mois")
    with pytest.raises(ImportRejected, match=expected):
        inserjeunes.parse(f"{header}\n{line}\n".encode(), "cfa.csv", Context.from_db(con))
    assert inserjeunes.uai_prefix("2A") == "620" and inserjeunes.uai_prefix("40") == "040"
