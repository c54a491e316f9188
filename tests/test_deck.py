"""Conference deck from the command line: self-contained HTML, PNG slides, PDF, figures = SQL."""
import json
import re
import subprocess
import sys
from html.parser import HTMLParser

import pytest

from observatory import paths
from observatory.figures import queries
from observatory.present import deck, maps
from observatory.vocabulary import formats
from tests.browser import offline_browser, require_chromium
from tests.conftest import every_cell_filters


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        self.urls += [value for name, value in attrs if name in ("src", "href") and value]


def _deck_cli(db_path, output, *args):
    """The deck in demo mode (every slide, the demo ones marked); the real-only deck is checked in
    test_real_by_default."""
    result = subprocess.run([sys.executable, "-m", "observatory", "deck", "--demo", "--db", str(db_path), "-o", str(output),
                             *args],
                            cwd=paths.ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_html_deck_has_no_external_url_and_one_section_per_slide(db_path, tmp_path):
    out = tmp_path / "deck.html"
    summary = _deck_cli(db_path, out, "--year", "2025", "--canton", "4005")
    text = out.read_text(encoding="utf-8")
    parser = _Links()
    parser.feed(text)
    assert all(not re.match(r"^(https?:)?//", url) for url in parser.urls), parser.urls
    assert text.count('<section class="slide"') == summary["diapositives"] == 10
    # the demo marker names the families of demo figures; each slide's source line says what its own are
    assert "Mode démonstration" in text and "formation par canton et métier" in text and "Dax-1 en 2025" in text
    # each slide says whether its figures are real or demo
    assert text.count("donnée réelle · BMO 2025, France Travail") >= 2 and "démonstration" in text


def test_slides_figures_equal_direct_sql(con):
    filters = every_cell_filters(2018, 2025)
    shapes = maps.shapes(queries.area_geometries(con))
    slides = deck.slides(con, filters, 2025, shapes)
    published, unfilled = con.execute("SELECT SUM(offers_published), SUM(offers_unfilled) FROM vacancies "
                                      "WHERE year = 2025").fetchone()
    assert slides[0].values["unfilled_rate"] == formats.percent(100 * unfilled / published)
    assert slides[0].values["offers_published"] == formats.number(published)
    worst = con.execute("""SELECT c.name, 100.0 * SUM(offers_unfilled) / SUM(offers_published) AS r FROM vacancies v
        JOIN canton c ON c.code = v.canton_code WHERE year = 2025 GROUP BY c.name ORDER BY r DESC LIMIT 1""").fetchone()
    assert slides[1].values[worst[0]] == formats.percent(worst[1])
    contracts = dict(con.execute("SELECT year, SUM(new_contracts) FROM apprentices GROUP BY year").fetchall())
    # the territory's apprentices by rule 3, from the stored cells and their masks: the published
    # cells, plus a profession's masked cells when they are at least two and reach the threshold
    # together; otherwise they are left out and the figure is a minimum
    per_profession = con.execute("""SELECT SUM(CASE WHEN apprentices_new__secret THEN 0 ELSE COALESCE(apprentices_new, 0) END),
            COUNT(*) FILTER (WHERE apprentices_new__secret AND apprentices_new IS NOT NULL),
            COALESCE(SUM(apprentices_new) FILTER (WHERE apprentices_new__secret), 0)
        FROM masked_cells WHERE threshold = 5 AND year = 2025 GROUP BY profession_code""").fetchall()
    counted = [count >= 2 and masked >= 5 for _, count, masked in per_profession]
    value = sum(shown + (masked if kept else 0) for (shown, _, masked), kept in zip(per_profession, counted))
    partial = any(count and not kept for (_, count, _), kept in zip(per_profession, counted))
    apprenticeship = next(s for s in slides if s.title.startswith("L'apprentissage"))
    assert apprenticeship.values[2025] == (f"{formats.AT_LEAST} " if partial else "") + formats.number(value)
    assert 0.9 * contracts[2025] <= value <= contracts[2025]


def test_png_slides_are_1920_by_1080_and_not_blank(db_path, tmp_path):
    require_chromium()
    from PIL import Image, ImageStat

    summary = _deck_cli(db_path, tmp_path / "diapositives")
    assert len(summary["fichiers"]) == summary["diapositives"] == 9
    for file in summary["fichiers"]:
        image = Image.open(file).convert("RGB")
        assert image.size == (1920, 1080)
        assert sum(ImageStat.Stat(image).stddev) > 30  # drawn content, not an empty page
        assert len(image.getcolors(maxcolors=1_000_000) or []) > 20


def test_pdf_has_one_page_per_slide(db_path, tmp_path):
    require_chromium()
    out = tmp_path / "deck.pdf"
    summary = _deck_cli(db_path, out, "--canton", "4098")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", out.read_bytes()))
    assert pages == summary["diapositives"] == 10


def test_bad_year_is_refused(db_path, tmp_path):
    result = subprocess.run([sys.executable, "-m", "observatory", "deck", "--db", str(db_path), "--year", "2031",
                             "-o", str(tmp_path / "d.html")], cwd=paths.ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "les données couvrent 2018-2025" in result.stderr
    assert not (tmp_path / "d.html").exists()


def test_every_slide_of_the_html_deck_draws_offline(db_path, tmp_path):
    require_chromium()
    out = tmp_path / "deck.html"
    summary = _deck_cli(db_path, out)
    with offline_browser(viewport=(1920, 1080)) as page:
        page.goto(out.as_uri())
        for number in range(summary["diapositives"]):
            page.evaluate(f"show({number})")
            slide = page.locator("section.slide.active")
            drawn = slide.locator(".main-svg, svg[role=img], .card, table.compare")
            assert drawn.count() >= 1, number
        assert page.blocked == []


@pytest.mark.parametrize("viewport", [(1366, 768), (1280, 720), (1920, 1080), (1024, 768)])
def test_every_slide_fits_the_projector_window(db_path, tmp_path, artifacts, viewport):
    """Each slide is scaled to the window, 16:9 kept: its whole box and every drawing inside it
    lie within the window, and it fills the window's width or height."""
    require_chromium()
    out = tmp_path / "deck.html"
    summary = _deck_cli(db_path, out)
    width, height = viewport
    with offline_browser(viewport=viewport) as page:
        page.goto(out.as_uri())
        for number in range(summary["diapositives"]):
            page.evaluate(f"show({number})")
            page.wait_for_function(f"document.querySelectorAll('section.slide')[{number}].classList.contains('active')")
            box = page.locator("section.slide.active").bounding_box()
            assert box["x"] >= -1 and box["y"] >= -1, (number, box)
            assert box["x"] + box["width"] <= width + 1 and box["y"] + box["height"] <= height + 1, (number, box)
            assert abs(box["width"] / box["height"] - 16 / 9) < 0.01
            assert box["width"] >= width - 2 or box["height"] >= height - 2  # letterboxed, not shrunk further
            for inner in page.locator("section.slide.active h1, section.slide.active .main-svg").all():
                part = inner.bounding_box()
                assert part["x"] + part["width"] <= box["x"] + box["width"] + 1, (number, "dépasse à droite")
            if number == 2:
                page.screenshot(path=str(artifacts / f"deck_{width}x{height}_diapositive_3.png"))


def test_presentation_page_moves_slide_by_slide_offline(server_for_deck):
    base = server_for_deck
    with offline_browser(viewport=(1366, 768)) as page:
        page.goto(base + "/presentation?demo=1")  # the demo figures have a year before them: changes
        page.get_by_text("Diapositive 1 sur 9").wait_for(timeout=60_000)
        # the key figures' changes: an arrow of their sign, red when worse, green when better
        changes = page.locator('[data-testid="stMain"] .card .change')
        changes.first.wait_for(timeout=30_000)
        for change in changes.all():
            text, tone = change.inner_text(), change.get_attribute("class")
            arrow, sign = text[0], text[2]
            assert arrow == {"+": "↑", formats.MINUS: "↓"}.get(sign, "→"), text
            colour = change.evaluate("e => getComputedStyle(e).color")
            assert ("worse" in tone) == (colour == "rgb(179, 38, 30)") and ("better" in tone) == (colour == "rgb(27, 110, 32)")
        for number in range(2, 10):
            page.get_by_role("button", name="Suivante →").click()
            page.get_by_text(f"Diapositive {number} sur 9").wait_for(timeout=30_000)
            drawn = page.locator('[data-testid="stMain"]').locator(".js-plotly-plot, svg[role=img], table.compare, .cards")
            drawn.first.wait_for(timeout=30_000)  # its chart, map or figures
            # title and figure fit one 768-pixel screen (the deck's 1920-pixel sizes are brought down)
            title = page.locator("h1.slide-title").bounding_box()
            box = drawn.first.bounding_box()
            assert box["y"] + box["height"] - title["y"] <= 700, (number, title, box)
        page.keyboard.press("ArrowLeft")
        page.get_by_text("Diapositive 8 sur 9").wait_for(timeout=30_000)
        assert page.blocked == []


@pytest.fixture(scope="module")
def server_for_deck(db_path):
    require_chromium()
    from tests.browser import streamlit_server

    with streamlit_server(db_path) as base:
        yield base


def test_every_change_on_the_slides_has_the_arrow_of_its_sign_and_the_colour_of_its_meaning(db_path, tmp_path):
    from observatory.vocabulary.indicators import INDICATORS

    out = tmp_path / "deck.html"
    _deck_cli(db_path, out, "--year", "2025")
    text = out.read_text(encoding="utf-8")
    worse_when_up = {i.label: i.higher_is_worse for i in INDICATORS.values()}
    cards = re.findall(r'<div class="label">([^<]+)</div><div class="value">[^<]*</div>'
                       r'<div class="change (\w+)">(.) ([^<]+) sur un an</div>', text)
    rows = re.findall(r'<tr><td>([^<]+)</td><td>[^<]*</td><td>[^<]*</td><td class="(\w+)">(.) ([^<]+)</td></tr>', text)
    assert len(cards) >= 3 and len(rows) >= 3
    signs = set()
    for label, tone, arrow, change in cards + rows:
        label = label.replace("&#x27;", "'")
        sign = change[0]
        signs.add(sign)
        assert arrow == {"+": "↑", formats.MINUS: "↓"}.get(sign, "→"), (label, arrow, change)
        if arrow == "→":
            assert tone == "same"
        else:
            assert tone == ("worse" if (arrow == "↑") == worse_when_up[label] else "better"), (label, tone, change)
    assert {"+", formats.MINUS} <= signs  # both directions are on the Landes slides
