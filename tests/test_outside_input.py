"""Outside text (a shared link, a file's name, a value inside an imported file) is shown as text,
never as Markdown or HTML: on every page, in AppTest and in a real browser with the network refused.
What the Markdown shows is read by an independent CommonMark reader (tests/markdown_oracle.py)."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from observatory import paths
from observatory.ui.keys import Keys
from observatory.ui.sidebar import ALL_AREAS
from observatory.vocabulary.indicators import DEFAULT_INDICATOR
from observatory.vocabulary.outside_text import JOINER, LONG, SHORT, chart_text, literal, literal_lines, plain, web_address
from tests.markdown_oracle import autolinks, foreign_tags, shown

EVIL = "evil.example"
HOSTILE = {
    "markdown link": f"[Cliquez ici](https://{EVIL}/login)",
    "image and heading": f"aide-soignant\n\n# Titre injecté\n\n![img](https://{EVIL}/x.png)",
    "html tag": f'<img src="https://{EVIL}/y.png"><b>gras</b><script>alert(1)</script>',
    "javascript url": "[ouvrir](javascript:alert(1))",
    "autolink": f"<https://{EVIL}/a> www.{EVIL} https://{EVIL}/b",
    "bidirectional override": "abc\u202etxt.exe\u2066",
    "emphasis, code, math, icon": "**gras** _it_ `code` $x^2$ :material/home: :red[rouge] ~~barré~~",
    "list and quote": "- puce\n1. un\n> cité",
}
PAGES = sorted(p.name for p in (paths.ROOT / "pages").glob("*.py"))


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# ------------------------------------------------------------------ the helper, against CommonMark


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_text_renders_as_its_own_characters(name):
    text = HOSTILE[name]
    markdown = literal(text, LONG)
    assert foreign_tags(markdown, own={"p"}) == set(), name
    expected = _one_line(text.replace("\u202e", "").replace("\u2066", ""))
    assert shown(markdown) == expected
    # constructs CommonMark lacks but Streamlit's reader has (GFM autolinks and strikethrough, emoji)
    assert autolinks(markdown) == [] and not re.search(r"(?<!\\)~", markdown)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=120))
def test_any_text_renders_as_its_plain_characters(text):
    markdown = literal(text, SHORT)
    assert foreign_tags(markdown, own={"p"}) == set() and autolinks(markdown) == []
    assert shown(markdown) == _one_line(plain(text, SHORT))


def test_plain_is_one_short_line_without_invisible_characters():
    value = plain("a\nb\r\nc\u202ed\u200be\x00f" + "x" * 500, SHORT)
    assert value.startswith("a b c") and "def" in value
    assert len(value) == SHORT and value.endswith("…")
    assert not any(ch in value for ch in "\n\r\u202e\u200b\x00")


def test_literal_lines_keeps_lines_and_stops_at_a_sane_count():
    markdown = literal_lines("\n".join(f"ligne {i} [x](https://{EVIL})" for i in range(100)))
    assert foreign_tags(markdown, own={"p", "br"}) == set()
    assert markdown.count("  \n") == 39 and markdown.endswith("…")


def test_chart_text_and_web_addresses():
    assert chart_text(f'<a href="https://{EVIL}">x</a>') == f'&lt;a href="https://{EVIL}"&gt;x&lt;/a&gt;'
    assert web_address("https://www.ifas-landes.fr/") == "https://www.ifas-landes.fr/"
    for bad in ("javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x", "//evil", "https://a\u202e.fr", ""):
        assert web_address(bad) is None, bad


# ------------------------------------------------------------------ hostile links on every page

LINKS = {
    "hostile values": {"metiers": ",".join(HOSTILE.values()), "indicateur": HOSTILE["html tag"],
                       "canton": HOSTILE["javascript url"], "annees": HOSTILE["bidirectional override"],
                       "territoire": HOSTILE["markdown link"], "secret": HOSTILE["image and heading"],
                       "km": HOSTILE["autolink"]},
    "20 000 values": {"metiers": ",".join([HOSTILE["markdown link"]] + [f"m{i}" for i in range(1, 20_000)])},
}


def _texts(at):
    """Every element that carries Markdown text, with whether it was allowed HTML (our own CSS,
    legends and SVG)."""
    for kind in ("markdown", "caption", "warning", "info", "error", "success", "title", "header", "subheader"):
        for element in getattr(at, kind):
            yield kind, element.value, bool(getattr(element.proto, "allow_html", False))


@pytest.mark.parametrize("link", LINKS)
@pytest.mark.parametrize("page", PAGES)
def test_a_hostile_link_shows_text_and_the_default_view(open_page, page, link):
    at = open_page(f"pages/{page}", **LINKS[link])
    notices = [w.value for w in at.warning if "Lien partagé" in shown(w.value)]
    assert len(notices) == 1, [shown(w.value) for w in at.warning]
    notice = shown(notices[0])
    assert len(notice) < 1200
    for kind, value, html_allowed in _texts(at):
        if html_allowed:
            assert EVIL not in value and "javascript:" not in value, (kind, value[:200])
        else:
            assert foreign_tags(value) == set(), (kind, value[:300])
            assert not any(EVIL in address for address in autolinks(value)), (kind, value[:300])
    if link == "20 000 values":
        assert f"20 000 métiers inconnus (« [Cliquez ici](https://{EVIL}/login) », « m1 », « m2 » et 19 997 autre(s))" in notice
    else:
        assert f"« [Cliquez ici](https://{EVIL}/login) »" in notice  # brackets and parentheses visible
        assert "Titre injecté" in notice and "\u202e" not in notices[0]
    # the default view: no profession chosen, default indicator, whole territory
    assert at.multiselect(key=Keys.professions).value == []
    assert at.selectbox(key=Keys.indicator).value == DEFAULT_INDICATOR
    assert at.selectbox(key=Keys.area).value == ALL_AREAS


def test_a_hostile_link_in_a_real_browser_sends_nothing_outside(db_path, artifacts):
    from urllib.parse import urlencode

    from tests.browser import offline_browser, require_chromium, settled, streamlit_server

    require_chromium()
    with streamlit_server(db_path) as base, offline_browser() as page:
        for name in PAGES:
            slug = "" if name == "accueil.py" else name.removesuffix(".py")
            page.goto(f"{base}/{slug}?{urlencode(LINKS['hostile values'])}")
            alert = page.locator('[data-testid="stAlert"]', has_text="Lien partagé").first
            alert.wait_for(timeout=60_000)
            settled(page)
            text = alert.inner_text().replace(JOINER, "")
            assert f"« [Cliquez ici](https://{EVIL}/login) »" in text, (name, text)
            assert "<b>gras</b>" in text, (name, text)
            hostile = page.locator(f'a[href*="{EVIL}"], img[src*="{EVIL}"], a[href^="javascript"], h1:text("Titre injecté")')
            assert hostile.count() == 0, name
            assert not page.evaluate("[...document.scripts].some(s => s.textContent.includes('alert(1)'))"), name
            assert page.locator('[data-testid="stException"]').count() == 0, name
            if name == "accueil.py":
                page.screenshot(path=str(artifacts / "hostile_link_accueil.png"), full_page=False)
        assert page.blocked == [], page.blocked[:5]
