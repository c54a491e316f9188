"""RGAA-minded checks: a text alternative for every chart and map; axe-core on every page in a
real browser; three viewport sizes with no horizontal overflow; theme contrast."""
import json
import re

import pytest

from observatory import paths
from tests.browser import offline_browser, require_chromium, settled, streamlit_server
from tests.markdown_oracle import shown

PAGES = {
    "accueil": ("pages/accueil.py", "/", {}),
    "carte": ("pages/carte.py", "/carte", {}),
    "tendances": ("pages/tendances.py", "/tendances?canton=4005", {"canton": "4005"}),
    "fiche_canton": ("pages/fiche_canton.py", "/fiche_canton?canton=4008", {"canton": "4008"}),
    "acces": ("pages/acces.py", "/acces", {}),
    "tensions": ("pages/tensions.py", "/tensions", {}),
    "besoins": ("pages/besoins.py", "/besoins", {}),
    "presentation": ("pages/presentation.py", "/presentation", {}),
    "export": ("pages/export.py", "/export", {}),
    "donnees": ("pages/donnees.py", "/donnees", {}),
    "methodologie": ("pages/methodologie.py", "/methodologie", {}),
}
VIEWPORTS = {"portable": (1366, 768), "tablette": (1024, 768), "telephone": (390, 844)}
AXE = paths.ROOT / "node_modules" / "axe-core" / "axe.min.js"
# Our own content: what our code writes (headings, text, captions, figures, charts, our HTML).
OURS = ('[data-testid="stMarkdownContainer"], [data-testid="stHeading"], [data-testid="stCaptionContainer"], '
        '[data-testid="stMetric"], .js-plotly-plot, svg[role="img"]')


def _elements(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _elements(child)


@pytest.mark.parametrize("name", PAGES)
def test_every_chart_and_map_has_a_text_alternative(open_page, name):
    script, _, params = PAGES[name]
    at = open_page(script, **params)
    elements = list(_elements(at.main))
    figures = [e for e in elements if getattr(e, "type", None) in ("plotly_chart", "component_instance")]
    svgs = [m for m in at.markdown if m.value.startswith("<svg")]
    alternatives = [c for c in at.caption if c.value.startswith("En bref :") or c.value.startswith("Carte de situation :")]
    assert len(alternatives) == len(figures) + len(svgs)
    expanders = [e for e in elements if getattr(e, "type", None) == "expander"]
    assert len(expanders) >= len(figures)  # the numbers behind each chart and map, one click away
    for svg in svgs:
        assert 'role="img"' in svg.value and "aria-label=" in svg.value


def test_map_sentence_names_the_most_worrying_area(open_page, con):
    at = open_page("pages/carte.py", demo="1", indicateur="unfilled_rate")
    name, rate = con.execute("""SELECT c.name, 100.0 * SUM(offers_unfilled) / SUM(offers_published) AS r
        FROM vacancies v JOIN canton c ON c.code = v.canton_code WHERE year = 2025 GROUP BY c.name
        ORDER BY r DESC LIMIT 1""").fetchone()
    sentence = next(shown(c.value) for c in at.caption if c.value.startswith("En bref :"))
    assert name in sentence and f"{rate:.1f}".replace(".", ",") in sentence


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_theme_text_contrast_is_at_least_4_5_to_1():
    theme = (paths.ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8")
    colours = dict(re.findall(r'^(\w+Color) = "(#[0-9a-fA-F]{6})"', theme, re.M))
    for text in ("textColor", "primaryColor"):
        for background in ("backgroundColor", "secondaryBackgroundColor"):
            light, dark = sorted([_luminance(colours[text]), _luminance(colours[background])], reverse=True)
            assert (light + 0.05) / (dark + 0.05) >= 4.5, (text, background)


@pytest.fixture(scope="module")
def server(db_path):
    require_chromium()
    with streamlit_server(db_path) as base:
        yield base


def _run_axe(page) -> list[dict]:
    if not AXE.exists():
        pytest.fail(f"axe-core absent ({AXE}) : lancez « npm install --no-save axe-core@4 » (fait par .ci/run)")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async (ours) => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(n => ({target: n.target.join(' '),
                ours: !!(document.querySelector(n.target.join(' ')) || {closest: () => null}).closest(ours)}))}));
    }""", OURS)
    return result


@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_no_serious_violation_in_our_content(server, name, artifacts, capsys):
    _, path, _ = PAGES[name]
    with offline_browser() as page:
        page.goto(server + path)
        page.locator('[data-testid="stHeading"]').first.wait_for(timeout=60_000)
        settled(page)
        violations = _run_axe(page)
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    ours = [(v["id"], n["target"]) for v in serious for n in v["nodes"] if n["ours"]]
    frame = sorted({f"{v['id']} ({v['impact']}) : {v['help']}" for v in serious for n in v["nodes"] if not n["ours"]})
    (artifacts / f"axe_{name}.json").write_text(json.dumps(violations, ensure_ascii=False, indent=2), encoding="utf-8")
    with capsys.disabled():
        for line in frame:
            print(f"\n[axe, cadre Streamlit, {name}] {line}", end="")
    assert ours == []


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("name", PAGES)
def test_pages_fit_the_width_of_laptops_tablets_and_phones(server, name, viewport, artifacts):
    _, path, _ = PAGES[name]
    width, height = VIEWPORTS[viewport]
    with offline_browser(viewport=(width, height)) as page:
        page.goto(server + path)
        page.locator('[data-testid="stHeading"]').first.wait_for(timeout=60_000)
        settled(page)
        page.screenshot(path=str(artifacts / f"{viewport}_{name}.png"), full_page=True)
        overflow = page.evaluate("""() => {
            const main = document.querySelector('[data-testid="stMain"]') || document.body;
            const wide = [...main.querySelectorAll('h1, h2, h3, p, [data-testid="stMetric"], .js-plotly-plot, iframe, svg[role="img"]')]
                .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
                .map(e => e.tagName + ' ' + (e.textContent || '').slice(0, 40));
            return {page: document.documentElement.scrollWidth - window.innerWidth, wide};
        }""")
    assert overflow["page"] <= 0 and overflow["wide"] == []


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_methodology_is_a_table_on_a_laptop_and_cards_on_a_phone(server, viewport):
    width, height = VIEWPORTS[viewport]
    with offline_browser(viewport=(width, height)) as page:
        page.goto(server + "/methodologie")
        page.get_by_role("heading", name="Sources").wait_for(timeout=60_000)
        settled(page)
        shown = {part: page.locator(f".st-key-methodologie_{part}").is_visible() for part in ("table", "cards")}
        hidden = page.evaluate("""() => getComputedStyle(document.querySelector('.st-key-methodologie_table')).display""")
    phone = width <= 480
    assert shown == {"table": not phone, "cards": phone}
    assert (hidden == "none") == phone


def test_filters_and_pages_are_reachable_with_the_keyboard(server):
    with offline_browser() as page:
        page.goto(server + "/")
        page.locator('[data-testid="stHeading"]').first.wait_for(timeout=60_000)
        settled(page)
        reached = []
        for _ in range(60):
            page.keyboard.press("Tab")
            reached.append(page.evaluate("""() => {
                const e = document.activeElement;
                return (e.getAttribute('aria-label') || e.textContent || e.tagName).trim().slice(0, 60);
            }"""))
        text = " | ".join(reached)
        for expected in ("Carte", "Tendances", "Fiche canton", "Export", "Méthodologie"):
            assert expected in text, expected
        # the indicator select, reached by Tab, opens and changes with the keyboard alone
        select = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]', has_text="Indicateur").locator("input")
        select.focus()
        page.keyboard.press("ArrowDown")
        page.keyboard.press("ArrowDown")
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile("indicateur="), timeout=30_000)
