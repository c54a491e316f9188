"""Real by default, demo on request: on the embedded base the pages, the deck and the exports show
real figures only; `demo=1` (Réglages) adds the demo ones, marked. Figures checked against the
public files read by hand or a direct SQL query."""
import csv
import subprocess
import sys

import pytest

from observatory import paths
from observatory.figures import bassin_tensions
from observatory.ui.keys import Keys
from observatory.vocabulary import formats
from observatory.vocabulary.indicators import INDICATORS, MEASURES
from tests.conftest import shared_file

WORD = "démonstration"


def _demo_measures(con) -> set[str]:
    """The measures the demo generator alone feeds on this base (direct SQL on the sources)."""
    rows = con.execute("SELECT measure, bool_and(is_demo) FROM measure_source GROUP BY measure").fetchall()
    return {measure for measure, only_demo in rows if only_demo}


def _demo_indicators(con) -> set[str]:
    demo = _demo_measures(con)
    return {key for key, i in INDICATORS.items() if set(i.inputs) & demo}


def _shown_text(at) -> str:
    """What a reader sees of a page run (style sheets left out), sidebar included."""
    parts = [e.value for kind in ("title", "subheader", "caption", "info", "warning") for e in getattr(at, kind)]
    parts += [m.value for m in at.markdown if not m.value.lstrip().startswith("<style>")]
    parts += [f"{m.label} {m.value} {m.help or ''}" for m in at.metric]
    parts += [t.value.to_string() for t in list(at.table) + list(at.dataframe)]
    return "\n".join(parts)


def test_the_home_page_shows_real_figures_only_and_demo_mode_adds_them_marked(open_page, con):
    demo = _demo_indicators(con)
    assert {"unfilled_rate", "offers_published", "graduates"} <= demo  # what the generator fills on this base
    at = open_page("pages/accueil.py")
    labels = {m.label for m in at.metric}
    assert not labels & {INDICATORS[k].label for k in demo}
    assert INDICATORS["difficult_share"].label in labels and bassin_tensions.SEEKERS_PER_OFFER in labels
    assert WORD not in _shown_text(at)
    shown = next(t.value for t in at.table if "Bassin d'emploi" in t.value.columns)  # the most tense pairs are real
    assert len(shown) == 5
    with_demo = open_page("pages/accueil.py", demo="1")
    labels = {m.label for m in with_demo.metric}
    assert {INDICATORS[k].label for k in ("unfilled_rate", "offers_published")} <= labels
    natures = [c.value for c in with_demo.caption]
    assert natures.count(WORD) >= len(demo & {k for k in INDICATORS}) - 2  # each demo card is marked
    assert any(s.value.endswith(f"({WORD})") for s in with_demo.subheader)


def _landes_offers_by_hand() -> tuple[float, float]:
    """Offers and job-seekers of 2021, every fiche of ours, Landes bassins at their population share."""
    with open(paths.ROME_V3_CSV, encoding="utf-8") as handle:
        fiches = {row["code_rome_v3"] for row in csv.DictReader(handle)}
    with open(shared_file("real/tensions_bassin/communes_bassins_bmo2019.csv"), encoding="utf-8-sig", newline="") as handle:
        communes = list(csv.DictReader(handle))
    with open(shared_file("real/insee/insee-estimation-population-2024.csv"), encoding="utf-8-sig", newline="") as handle:
        population = {row["codgeo"]: int(row["p21_pop"]) for row in csv.DictReader(handle) if row["p21_pop"]}
    bassins = {row["BE19"] for row in communes if row["DEP"] == "40"}
    share = {}
    for bassin in bassins:
        inside = [row for row in communes if row["BE19"] == bassin]
        share[bassin] = (sum(population.get(r["CODE_COMMUNE_INSEE"], 0) for r in inside if r["DEP"] == "40")
                         / sum(population.get(r["CODE_COMMUNE_INSEE"], 0) for r in inside))
    offers = seekers = 0.0
    with open(shared_file("real/tensions_bassin/tension_bassin_rome_2021.csv"), encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            if row["cbassin"] in bassins and row["ROME"] in fiches:
                offers += float(row["oee"].replace(",", ".")) * share[row["cbassin"]]
                seekers += float(row["defm_abc"].replace(",", ".")) * share[row["cbassin"]]
    return offers, seekers


def test_home_offers_and_job_seekers_per_offer_are_the_landes_part_of_the_public_file(open_page):
    offers, seekers = _landes_offers_by_hand()
    at = open_page("pages/accueil.py")
    metric = {m.label: m.value for m in at.metric}
    assert metric[bassin_tensions.OFFERS] == formats.number(offers)
    assert metric[bassin_tensions.SEEKERS_PER_OFFER] == formats.number(seekers / offers, 1)
    assert any(c.value.startswith("donnée réelle · Pôle emploi et DARES") and c.value.endswith("2021") for c in at.caption)


def test_map_opens_on_a_real_indicator_and_lists_demo_ones_only_in_demo_mode(open_page, con):
    demo = _demo_indicators(con)
    at = open_page("pages/carte.py")
    picker = at.selectbox(key=Keys.indicator)
    assert picker.value == "difficult_share" and not set(picker.options) & {INDICATORS[k].label for k in demo}
    assert at.title[0].value.startswith("Carte : " + INDICATORS["difficult_share"].label.lower())
    with_demo = open_page("pages/carte.py", demo="1")
    options = with_demo.selectbox(key=Keys.indicator).options
    # real ones first, then the demo ones, marked
    assert options[0] == INDICATORS["difficult_share"].label
    assert f"{INDICATORS['unfilled_rate'].label} ({WORD})" in options


def test_a_link_to_a_demo_indicator_without_demo_mode_falls_back_with_a_notice(open_page):
    at = open_page("pages/carte.py", indicateur="unfilled_rate")
    assert at.selectbox(key=Keys.indicator).value == "difficult_share"
    assert any(INDICATORS["unfilled_rate"].label in w.value and WORD in w.value for w in at.warning)
    kept = open_page("pages/carte.py", indicateur="unfilled_rate", demo="1")
    assert kept.selectbox(key=Keys.indicator).value == "unfilled_rate"
    assert kept.toggle(key=Keys.demo).value is True


def test_turning_demo_mode_off_brings_the_picker_back_to_a_real_indicator(open_page):
    at = open_page("pages/carte.py", indicateur="unfilled_rate", demo="1")
    at.toggle(key=Keys.demo).set_value(False).run()
    assert at.selectbox(key=Keys.indicator).value == "difficult_share"
    assert "demo" not in at.query_params


def test_router_banner_says_real_by_default_and_marks_demo_mode(db_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from observatory.ui import session

    monkeypatch.setenv(session.DB_ENV, str(db_path))
    at = AppTest.from_file(str(paths.ROOT / "app.py"), default_timeout=90).run()
    assert not at.exception
    banner = " ".join(i.value for i in at.info)
    assert "Chiffres réels" in banner and "sur demande" in banner and WORD not in banner
    assert not any("Mode démonstration" in w.value for w in at.warning)
    at.query_params["demo"] = "1"
    demo = AppTest.from_file(str(paths.ROOT / "app.py"), default_timeout=90)
    demo.query_params["demo"] = "1"
    demo.run()
    assert any("Mode démonstration" in w.value for w in demo.warning)


def _export(db_path, tmp_path, *args) -> list[list[str]]:
    out = tmp_path / "rows.csv"
    done = subprocess.run([sys.executable, "-m", "observatory", "export", "--db", str(db_path), "-o", str(out), *args],
                          cwd=paths.ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    with open(out, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle, delimiter=";"))


def test_export_leaves_demo_columns_out_unless_asked(db_path, con, tmp_path):
    demo_labels = {MEASURES[m].label for m in _demo_measures(con)}
    header, *rows = _export(db_path, tmp_path)
    assert not set(header) & demo_labels and "Nature des chiffres" not in header
    assert MEASURES["recruitment_projects"].label in header and rows
    # only real rows: every line is a métier BMO's (the real BMO figures)
    expected = con.execute("SELECT COUNT(*) FROM vacancies v JOIN source s USING (source_id) "
                           "WHERE NOT s.is_demo AND v.recruitment_projects IS NOT NULL OR v.recruitment_projects_secret "
                           "AND NOT s.is_demo").fetchone()[0]
    assert len(rows) == expected
    header, *rows = _export(db_path, tmp_path, "--demo")
    assert demo_labels <= set(header) and "Nature des chiffres" in header
    assert {row[header.index("Nature des chiffres")] for row in rows} == {WORD, "donnée réelle"}


def test_a_real_figure_is_the_same_with_or_without_demo_mode(open_page):
    """Leaving the demo cells out changes no real figure: the difficult share, on every canton."""
    plain = open_page("pages/carte.py")
    mixed = open_page("pages/carte.py", demo="1")
    first = [d.value for d in plain.dataframe]
    second = [d.value for d in mixed.dataframe]
    assert len(first) == len(second) >= 1 and all(a.equals(b) for a, b in zip(first, second))


@pytest.mark.parametrize("demo", [False, True])
def test_the_deck_is_real_by_default_and_marks_every_demo_slide(db_path, tmp_path, demo):
    out = tmp_path / "deck.html"
    args = ["deck", "--db", str(db_path), "-o", str(out), "--year", "2025"] + (["--demo"] if demo else [])
    done = subprocess.run([sys.executable, "-m", "observatory", *args], cwd=paths.ROOT, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    text = out.read_text(encoding="utf-8")
    slides = text.split('<section class="slide"')[1:]
    assert slides
    if not demo:
        assert all(WORD not in slide for slide in slides)
        assert "Demandeurs d&#x27;emploi pour une offre" in text or "Demandeurs d'emploi pour une offre" in text
    else:
        assert all("Mode démonstration" in slide for slide in slides)  # the marker on every slide
        assert sum(f"({WORD})</h1>" in slide or f"({WORD})" in slide.split("</h1>")[0] for slide in slides) >= 3
