"""Every page in a real browser (Debian chromium), with all non-localhost requests blocked."""
import re

import pytest

from tests.browser import MAP_FRAME, offline_browser, require_chromium, settled, streamlit_server

PAGES = {
    "export": ("/export?metiers=aide-soignant", "Export des données"),
    "donnees": ("/donnees", "Données"),
    "acces": ("/acces", "Accès aux métiers"),
    "accueil": ("/", "Observatoire des métiers de l'accompagnement"),
    "carte": ("/carte", "Carte :"),
    "tendances": ("/tendances?canton=4005", "Tendances :"),
    "tensions": ("/tensions?metiers=aide-domicile", "Pourquoi recrute-t-on difficilement ?"),
    "fiche_canton": ("/fiche_canton?canton=4099", "Fiche canton : Mont-de-Marsan"),
    "methodologie": ("/methodologie", "Méthodologie"),
    "besoins": ("/besoins", "Besoins à venir"),
}
# Pages whose main area shows no demo figure at all by default (the others say which real file is
# missing, naming the demo switch; Méthodologie and Données describe every source).
REAL_ONLY = {"accueil", "carte", "tendances", "fiche_canton", "export"}


@pytest.fixture(scope="module")
def server(db_path):
    require_chromium()
    with streamlit_server(db_path) as base:
        yield base


@pytest.fixture()
def page():
    require_chromium()
    with offline_browser() as browser_page:
        yield browser_page


def _stable_box(locator, tries: int = 50):
    """The element's box once two animation frames in a row give the same one (Leaflet moves a
    tooltip after drawing it)."""
    box = locator.bounding_box()
    for _ in range(tries):
        locator.page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
        again = locator.bounding_box()
        if again == box:
            return box
        box = again
    raise AssertionError(f"la position ne se stabilise pas : {box}")


def _open(page, base, path, heading):
    page.goto(base + path)
    page.get_by_role("heading", name=heading).first.wait_for(timeout=60_000)
    settled(page)  # the run is over and its charts are drawn


@pytest.mark.parametrize("name", PAGES)
def test_page_renders_without_exception(server, page, artifacts, name):
    path, heading = PAGES[name]
    _open(page, server, path, heading)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.get_by_text("Chiffres réels").count() >= 1  # the banner: what is real on the page
    main = page.locator('[data-testid="stMain"]').inner_text()
    if name in REAL_ONLY:  # no demo figure where a user looks first (the sidebar holds the demo switch)
        assert "démonstration" not in main and "(démo)" not in main, name
    page.screenshot(path=str(artifacts / f"page_{name}.png"), full_page=True)


def test_map_draws_fifteen_cantons_and_two_towns_offline(server, page, artifacts):
    _open(page, server, "/carte", "Carte :")
    frame = page.frame_locator(MAP_FRAME)
    polygons = frame.locator("path.leaflet-interactive")
    polygons.first.wait_for(timeout=60_000)
    assert polygons.count() == 17  # 15 cantons + Dax and Mont-de-Marsan, drawn apart
    fills = {polygons.nth(i).get_attribute("fill") for i in range(polygons.count())}
    assert len(fills) >= 3  # classes, not a flat colour
    assert page.blocked == []  # nothing was even attempted outside localhost
    polygons.first.hover()
    assert frame.locator(".leaflet-tooltip").first.inner_text(timeout=10_000)
    scale = frame.locator(".leaflet-control-scale-line")  # metric only: one line, in m or km
    assert scale.count() == 1 and scale.inner_text().endswith(("km", " m"))
    page.screenshot(path=str(artifacts / "carte_hors_ligne.png"), full_page=True)


# A point of the frame where the n-th shape, and nothing drawn over it, is under the mouse.
INSIDE_POINT = """n => {
    const path = document.querySelectorAll('path.leaflet-interactive')[n];
    const box = path.getBoundingClientRect();
    for (let i = 1; i < 20; i++) for (let j = 1; j < 20; j++) {
        const x = box.left + box.width * i / 20, y = box.top + box.height * j / 20;
        if (document.elementFromPoint(x, y) === path) return [x, y];
    }
    return null;
}"""


def _click_shape(page, n):
    frame = page.frame(url=lambda url: "area_map" in url) or next(
        f for f in page.frames if f.locator("path.leaflet-interactive").count())
    x, y = frame.evaluate(INSIDE_POINT, n)
    origin = page.locator(MAP_FRAME).bounding_box()
    page.mouse.click(origin["x"] + x, origin["y"] + y)  # a real mouse click, as a visitor makes it
    return frame


def test_clicking_a_canton_shows_its_details_and_opens_its_portrait(server, page, con, artifacts):
    names = {name for (name,) in con.execute("SELECT name FROM canton").fetchall()}
    _open(page, server, "/carte?metiers=aide-soignant", "Carte :")
    polygons = page.frame_locator(MAP_FRAME).locator("path.leaflet-interactive")
    polygons.first.wait_for(timeout=60_000)
    detail = page.locator('[data-testid="stMain"] h3')
    shown = []
    for n in (7, 2):  # one canton, then another: the panel follows every click
        _click_shape(page, n)
        page.wait_for_function("([sel, before]) => { const h = document.querySelector(sel);"
                               " return h && h.innerText.trim() && h.innerText.trim() !== before; }",
                               arg=['[data-testid="stMain"] h3', shown[-1] if shown else ""], timeout=30_000)
        shown.append(detail.first.inner_text().strip())
        assert shown[-1] in names
    assert len(set(shown)) == 2 and page.get_by_text("Rang :").count() >= 1
    # the click leaves no black box: the clicked shape has no focus outline
    frame = page.frame_locator(MAP_FRAME)
    assert frame.locator("path.leaflet-interactive:focus").evaluate_all(
        "paths => paths.map(p => getComputedStyle(p).outlineStyle)") in ([], ["none"])
    page.screenshot(path=str(artifacts / "carte_clic.png"))
    page.get_by_role("button", name="Ouvrir sa fiche canton").click()
    page.get_by_role("heading", name=f"Fiche canton : {shown[-1]}").first.wait_for(timeout=30_000)
    assert "metiers=aide-soignant" in page.url  # the filters are kept


@pytest.mark.parametrize("width", [1366, 1024])
def test_the_territory_fits_the_map_frame_and_tooltips_stay_inside(server, width, artifacts):
    with offline_browser(viewport=(width, 768)) as page:
        _open(page, server, "/carte", "Carte :")
        polygons = page.frame_locator(MAP_FRAME).locator("path.leaflet-interactive")
        polygons.first.wait_for(timeout=60_000)
        page.locator(MAP_FRAME).evaluate("f => f.scrollIntoView({block: 'end'})")  # the whole frame on screen
        settled(page)
        frame_box = page.locator(MAP_FRAME).bounding_box()
        boxes = [polygons.nth(i).bounding_box() for i in range(polygons.count())]
        assert min(b["x"] for b in boxes) >= frame_box["x"] - 1
        assert max(b["x"] + b["width"] for b in boxes) <= frame_box["x"] + frame_box["width"] + 1
        # the southernmost and the easternmost shapes: their tooltip stays inside the frame
        for n in {max(range(len(boxes)), key=lambda i: boxes[i]["y"] + boxes[i]["height"]),
                  max(range(len(boxes)), key=lambda i: boxes[i]["x"] + boxes[i]["width"])}:
            frame = page.frame(url=lambda url: "area_map" in url) or next(
                f for f in page.frames if f.locator("path.leaflet-interactive").count())
            x, y = frame.evaluate(INSIDE_POINT.replace("box.height * j / 20", "box.height * (20 - j) / 20"), n)
            page.mouse.move(frame_box["x"] + x, frame_box["y"] + y)
            tooltip = page.frame_locator(MAP_FRAME).locator(".leaflet-tooltip").first
            tooltip.wait_for(timeout=10_000)
            box = _stable_box(tooltip)
            assert box["x"] >= frame_box["x"] - 1 and box["y"] >= frame_box["y"] - 1, (n, box, frame_box)
            assert box["x"] + box["width"] <= frame_box["x"] + frame_box["width"] + 1, (n, box, frame_box)
            assert box["y"] + box["height"] <= frame_box["y"] + frame_box["height"] + 1, (n, box, frame_box)
        page.screenshot(path=str(artifacts / f"carte_{width}.png"))


def test_permalink_reopens_the_same_filters_and_survives_navigation(db_path, page):
    # A fresh server whose very first request is the deep link (the hardest case for st.navigation).
    with streamlit_server(db_path) as fresh:
        _check_permalink(page, fresh)


def _check_permalink(page, server):
    _open(page, server, "/tendances?metiers=infirmier&annees=2019-2023&canton=4005&indicateur=recruitment_projects",
          "Tendances :")
    sidebar = page.locator('[data-testid="stSidebar"]')
    # the sidebar's selectboxes (indicator, canton, secrecy threshold, distance) may come after the heading
    page.wait_for_function("""() => document.querySelectorAll('[data-testid="stSidebar"] [data-testid="stSelectbox"]')
                                .length >= 4""", timeout=30_000)
    selects = {box.text_content(): box.locator("input").input_value()
               for box in sidebar.locator('[data-testid="stSelectbox"]').all()}
    assert selects.get("Indicateur") == "Recrutements prévus par les employeurs", selects
    assert selects["Canton"] == "Dax-1" and selects["Seuil du secret statistique"] == "5"
    assert sidebar.get_by_text("Infirmier (Paramédical et rééducation)").count() >= 1
    title = page.get_by_text("Landes et Dax-1, 2019-2023")  # the chart's title: drawn once plotly has loaded
    title.first.wait_for(timeout=30_000)
    assert title.count() == 1
    assert page.get_by_role("heading", name="Tendances : recrutements prévus par les employeurs").count() == 1
    page.get_by_role("link", name="Carte").click()
    page.get_by_role("heading", name="Carte :").first.wait_for(timeout=60_000)
    page.wait_for_url(re.compile("canton=4005"), timeout=30_000)
    for part in ("metiers=infirmier", "annees=2019-2023", "canton=4005", "indicateur=recruitment_projects"):
        assert part in page.url
    assert page.get_by_role("heading", name="Carte : recrutements prévus par les employeurs, 2023").count() == 1


def test_canton_portrait_prints_on_two_a4_pages_without_the_sidebar(server, page, artifacts):
    import re

    _open(page, server, "/fiche_canton?canton=4008", "Fiche canton : Haute Lande Armagnac")
    page.emulate_media(media="print")
    assert page.locator('[data-testid="stSidebar"]').is_hidden()
    pdf = page.pdf(format="A4", print_background=True)
    (artifacts / "fiche_canton_A4.pdf").write_bytes(pdf)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 1 <= pages <= 2


def test_download_from_the_export_page_equals_the_cli_file(server, page, db_path, tmp_path, artifacts):
    import subprocess
    import sys

    from observatory import paths

    _open(page, server, "/export?metiers=aide-soignant&annees=2019-2025&canton=4005&demo=1", "Export des données")
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="Télécharger les données filtrées").click()
    download = info.value
    assert download.suggested_filename.startswith("observatoire_landes_dax-1_aide-soignant_2019-2025_")
    saved = tmp_path / "page.csv"
    download.save_as(saved)
    cli = tmp_path / "cli.csv"
    subprocess.run([sys.executable, "-m", "observatory", "export", "--db", str(db_path), "--profession",
                    "aide-soignant", "--canton", "4005", "--years", "2019-2025", "--format", "csv-fr", "--demo",
                    "-o", str(cli)], cwd=paths.ROOT, check=True, timeout=120)
    assert saved.read_bytes() == cli.read_bytes()
    # a plain table: pandas reads exactly the exported rows, with numbers as numbers
    import duckdb
    import pandas as pd

    read = pd.read_csv(saved, sep=";", decimal=",", encoding="utf-8-sig")
    con = duckdb.connect(str(db_path), read_only=True)
    rows = con.execute("""SELECT COUNT(*) FROM canton_measures AS m JOIN profession AS p ON p.code = m.profession_code
        WHERE m.canton_code = '4005' AND m.year BETWEEN 2019 AND 2025 AND (p.code = 'aide-soignant' OR p.kind = 'bmo'
          AND list_has_any(p.fap_codes, (SELECT fap_codes FROM profession WHERE code = 'aide-soignant')))""").fetchone()[0]
    con.close()
    assert len(read) == rows and read["Année"].dtype.kind == "i" and read["Offres d'emploi publiées"].dtype.kind in "if"
    # its filters and sources come as a text file beside it, the same as the command line's
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="Filtres et sources du fichier").first.click()
    notes = tmp_path / "notes.txt"
    info.value.save_as(notes)
    assert info.value.suggested_filename.endswith("_filtres-et-sources.txt")
    assert notes.read_bytes() == (tmp_path / "cli_filtres-et-sources.txt").read_bytes()
    assert page.locator('[data-testid="stException"]').count() == 0


def test_the_first_session_of_a_fresh_server_keeps_its_filters(db_path, page):
    # Regression: the very first run of a fresh server used Streamlit's pages-folder mode, and the
    # next run forgot every filter (the threshold fell back to 3, the indicator to its default).
    with streamlit_server(db_path) as fresh:
        _open(page, fresh, "/", "Observatoire des métiers de l'accompagnement")
        box = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]', has_text="Indicateur")
        box.click()
        page.locator('[role="option"]').nth(1).click()
        page.wait_for_url(re.compile("indicateur="), timeout=30_000)
        settled(page)
        assert "indicateur=recruitment_projects" in page.url and "secret=" not in page.url


def test_training_deserts_layer_draws_offline_with_its_providers(server, page, artifacts):
    _open(page, server, "/acces?metiers=infirmier&demo=1", "Accès aux métiers")
    frame = page.frame_locator(MAP_FRAME)
    frame.locator("path.leaflet-interactive").first.wait_for(timeout=60_000)
    # 17 areas, and one circle per place training nurses (2 in the demo data)
    assert frame.locator("path.leaflet-interactive").count() == 17 + 2
    assert page.blocked == []
    page.screenshot(path=str(artifacts / "acces_hors_ligne.png"), full_page=True)


def test_home_arrows_point_the_way_of_their_figures_and_take_the_colour_of_their_meaning(server, page):
    from observatory.vocabulary.indicators import INDICATORS

    worse_when_up = {i.label: i.higher_is_worse for i in INDICATORS.values()}
    _open(page, server, "/?demo=1", "Observatoire des métiers de l'accompagnement")  # demo figures have a previous year
    cards = page.evaluate("""() => [...document.querySelectorAll('[data-testid="stMetric"]')].map(m => {
        const delta = m.querySelector('[data-testid="stMetricDelta"]');
        if (!delta) return null;
        const icon = delta.querySelector('[data-testid^="stMetricDeltaIcon"]');
        return {label: m.querySelector('[data-testid="stMetricLabel"]').innerText.trim(),
                text: delta.innerText.trim(), icon: icon ? icon.getAttribute('data-testid') : '',
                colour: getComputedStyle(delta).color};
    }).filter(Boolean)""")
    assert len(cards) >= 3
    directions = set()
    for card in cards:
        down = card["text"].lstrip().startswith("-")
        directions.add(down)
        assert card["icon"].endswith("Down" if down else "Up"), card
        red, green = [int(v) for v in card["colour"][card["colour"].index("(") + 1:].split(",")[:2]]
        worse = down != worse_when_up[card["label"]]
        assert (red > green) == worse, card  # red when worse, green when better
    assert directions == {True, False}  # rises and falls are both on the Landes home page
