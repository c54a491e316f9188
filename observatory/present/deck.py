"""Conference slides: the year's figures as a self-contained HTML deck (no external URL at all),
and, through Debian's chromium, one PNG per slide (1920×1080) and a PDF of one page per slide.

Every figure comes from `queries` (statistical secrecy applied) and every slide carries its
source line and date, and whether its figures are real (with their source) or demo.
"""
from __future__ import annotations

import html
from dataclasses import dataclass, field, replace
from datetime import date

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import plotly.offline

from observatory import secrecy
from observatory.figures import bassin_tensions, headlines, outlook, provenance, queries, training_needs
from observatory.present import maps, outlook_tables, tables
from observatory.vocabulary import formats
from observatory.vocabulary.indicators import INDICATORS

KEY_INDICATORS = ["unfilled_rate", "difficult_share", "offers_published", "graduates"]  # in demo mode
REAL_KEY_INDICATORS = ["difficult_share", "recruitment_projects"]  # beside the headlines, without demo mode
MAP_INDICATORS = ["unfilled_rate", "difficult_share"]  # the first one shown is mapped
RANKED_INDICATORS = ["unfilled_rate", "difficult_share"]  # the first one shown ranks the métiers
WIDTH, HEIGHT = 1920, 1080


@dataclass
class Slide:
    title: str
    body: str  # HTML: big figures, an inline SVG map, a table or a plotly div
    source: str
    values: dict = field(default_factory=dict)  # the figures shown, for tests and alt text
    figure: go.Figure | None = None  # drawn natively by the app; inlined as HTML in the deck


def slides(con, filters: queries.Filters, year: int, area_shapes: dict, today: date | None = None) -> list[Slide]:
    """The deck of the filters: real figures only, unless `filters.demo` adds the demo ones (each
    slide made of demo figures then says so in its title)."""
    today = today or date.today()
    dep_name = queries.territory_name(con, filters.territory)
    figures = queries.key_figures(con, filters, year).set_index("indicator")
    natures = provenance.indicator_labels(queries.figure_sources(con, year, year))
    every_year = queries.years(con)
    real = provenance.real_indicators(queries.figure_sources(con, every_year[0], every_year[-1]))
    shown = real + ([k for k in INDICATORS if k not in real] if filters.demo else [])
    key_indicators = [k for k in KEY_INDICATORS if k in shown] if filters.demo else [k for k in REAL_KEY_INDICATORS if k in shown]
    mapped = next((k for k in MAP_INDICATORS if k in shown), None)
    every_pair = bassin_tensions.pairs(con, filters.professions, filters.territory)
    news = headlines.of_selection(every_pair, year) + headlines.for_territory(con, filters.territory, year)
    out = [(_key_figures(figures, year, dep_name, natures, key_indicators, [] if filters.demo else news), key_indicators)]
    table = queries.area_table(con, replace(filters, indicator=mapped or filters.indicator), year)
    if mapped:
        out.append((_map(table, area_shapes, year, INDICATORS[mapped]), [mapped]))
    pairs = bassin_tensions.most_tense(every_pair, 5)
    if len(pairs):
        out.append((_bassin_tensions(pairs, queries.profession_labels(con)), []))
    needs = training_needs.rows(con, filters.professions, filters.territory)
    if needs:
        out.append((_training_places(needs), []))
    future = outlook.for_territory(con, filters.territory)
    if future is not None:
        out.append((_outlook(future, dep_name), None))
    trends = queries.trends(con, replace(filters, year_from=min(filters.year_from, year - 1), year_to=year))
    by_profession = trends["professions"]
    ranked = next((k for k in RANKED_INDICATORS if k in shown), None)
    if ranked:
        out.append((_tension_by_profession(by_profession[by_profession["year"] == year], year, INDICATORS[ranked]),
                    [ranked]))
    if filters.demo:
        out.append((_training_vs_needs(by_profession[by_profession["year"] == year], year, queries.profession_bmo(con)),
                    ["recruitment_projects", "graduates"]))
        out.append((_apprenticeship(trends["territory"], dep_name), ["apprentices_new"]))
    out.append((_year_on_year(figures.loc[[k for k in figures.index if k in shown]], year), shown))
    if filters.area:
        out.append((_area(table, filters.area, year, key_indicators), key_indicators))
    stamp = formats.day(today)
    for slide, keys in out:
        if keys and any(provenance.DEMO in natures[k] for k in keys):
            slide.title += f" ({provenance.DEMO})"
        line = outlook.PROJECTION if keys is None else _natures_line(natures, keys) if keys else provenance.REAL
        slide.source += (" — " + line if line else "") + f" — édition du {stamp}"
    return [slide for slide, _ in out]


def _natures_line(natures: dict[str, str], keys: list[str]) -> str:
    """« Offres … : démonstration ; Projets … : donnée réelle · … » for the figures of a slide."""
    kinds = {natures[k] for k in keys}
    if not kinds:
        return ""
    if len(kinds) == 1:
        return kinds.pop()
    return " ; ".join(f"{INDICATORS[k].label} : {natures[k]}" for k in keys)


def _change(indicator, delta) -> str:
    """« ↓ −1,5 point », its arrow from the sign of the number, never from the text."""
    text = formats.change(delta, indicator.change_unit)
    return text if text == formats.MISSING else f"{formats.arrow(delta)} {text}"


def _card(label: str, value: str, change: str | None, nature: str | None = None, tone: str = "same") -> str:
    change_html = f'<div class="change {tone}">{html.escape(change)} sur un an</div>' if change else ""
    nature_html = f'<div class="nature">{html.escape(nature)}</div>' if nature else ""
    return (f'<div class="card"><div class="label">{html.escape(label)}</div><div class="value">{html.escape(value)}</div>'
            f'{change_html}{nature_html}</div>')


def _key_figures(figures: pd.DataFrame, year: int, dep_name: str, natures: dict[str, str], keys: list[str],
                 news: list) -> Slide:
    cards, values = [], {}
    for key in keys:
        row, indicator = figures.loc[key], INDICATORS[key]
        shown = formats.value(row["value"], indicator.unit, indicator.decimals, secret=bool(row["secret"]),
                              lower_bound=bool(row["lower_bound"]))
        change = None if row["secret"] else _change(indicator, row["change"])
        cards.append(_card(indicator.label, shown, None if change == formats.MISSING else change, natures[key],
                           indicator.tone(row["change"])))
        values[key] = shown
    for headline in news:
        cards.append(_card(headline.label, headline.value, None,
                           provenance.headline_nature(headline.source, headline.year, headline.note)))
        values[headline.key] = headline.value
    layout = "cards four" if len(cards) > 6 else "cards three" if len(cards) > 4 else "cards"  # two rows at most
    sources = ("Sources : France Travail (enquête BMO), Pôle emploi et DARES (tension par bassin d'emploi), DARES "
               "(apprentissage), INSEE (population)" if news else
               "Sources : France Travail (offres, enquête BMO), organismes de formation")
    return Slide(f"{dep_name} : les chiffres clés", f'<div class="{layout}">{"".join(cards)}</div>', sources, values)


def _map(table: pd.DataFrame, area_shapes: dict, year: int, indicator) -> Slide:
    svg, legend = maps.choropleth_svg(table, area_shapes, indicator, width=900)
    worst = table.dropna(subset=[indicator.key]).sort_values(indicator.key, ascending=False).head(3)
    top = "".join(f"<li>{html.escape(r['name'])} : {_shown(r, indicator)}</li>" for _, r in worst.iterrows())
    body = (f'<div class="split"><div class="map">{svg}</div><div class="side">{legend.html()}'
            f'<p class="lead">Les plus tendus</p><ol>{top}</ol></div></div>')
    return Slide(f"{indicator.label} par canton en {year}", body, indicator.source,
                 {r["name"]: _shown(r, indicator) for _, r in worst.iterrows()})


def _bassin_tensions(pairs: pd.DataFrame, labels: dict[str, str]) -> Slide:
    """The bassin × métier pairs most in tension (Pôle emploi and DARES), as published."""
    table = tables.most_tense_bassins(pairs, labels)
    head = "".join(f"<th>{html.escape(c)}</th>" for c in table.columns)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>"
                   for row in table.itertuples(index=False))
    year = int(pairs["year"].max())
    return Slide(f"Les métiers les plus en tension, par bassin d'emploi ({year})",
                 f'<table class="compare bassins"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>',
                 f"Source : {bassin_tensions.SOURCE}",
                 dict(zip(table.iloc[:, 0] + " · " + table.iloc[:, 1], table.iloc[:, 2])))


def _outlook(result: outlook.Outlook, dep_name: str) -> Slide:
    """The 75 and over and the APA beneficiaries to 2050: the sentence to quote and the horizons."""
    table = outlook_tables.horizons(result)
    head = "".join(f"<th>{html.escape(c)}</th>" for c in table.columns)
    rows = "".join("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>"
                   for row in table.itertuples(index=False))
    sentence = outlook.summary(result, dep_name, outlook.DEFAULTS)
    body = (f'<p class="quote">{html.escape(sentence)}</p>'
            f'<table class="compare"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>')
    return Slide(f"Besoins à venir : l'APA d'ici {outlook.HORIZONS[-1]} (projection)", body,
                 f"Sources : {outlook.APA_SOURCE} ; {outlook.POPULATION_SOURCE} ; {outlook.PROJECTION_SOURCE}",
                 {"summary": sentence, **dict(zip(table["Année"], table["APA à domicile"]))})


def _figure_html(figure: go.Figure) -> str:
    return pio.to_html(figure, include_plotlyjs=False, full_html=False, config={"staticPlot": True})


def _bar_figure(frame: pd.DataFrame, columns: list[tuple[str, str, str]], title: str, unit: str) -> go.Figure:
    """Horizontal bars, each labelled with its French-formatted value and unit (« 21,4 % », « 1 234 »)."""
    figure = go.Figure()
    text = formats.percent if unit == "%" else formats.number
    for column, name, colour in columns:
        values = frame[column].tolist()
        figure.add_trace(go.Bar(y=frame["profession"].tolist(), x=values, name=name, orientation="h",
                                marker_color=colour, text=[text(v) for v in values], textposition="outside",
                                cliponaxis=False, textfont=dict(size=24)))
    largest = max([v for column, _, _ in columns for v in frame[column].tolist() if pd.notna(v)], default=1)
    figure.update_layout(title=title, separators=formats.PLOTLY_SEPARATORS, barmode="group",
                         font=dict(size=26), margin=dict(l=20, r=40, t=70, b=40), height=760, width=1700,
                         plot_bgcolor="#ffffff", legend=dict(orientation="h", y=-0.1),
                         yaxis=dict(autorange="reversed", automargin=True, tickfont=dict(size=26)),
                         xaxis=dict(tickfont=dict(size=24), automargin=True, range=[0, 1.18 * largest],
                                    ticksuffix=" %" if unit == "%" else "", title=None))
    return figure


def _tension_by_profession(rows: pd.DataFrame, year: int, indicator) -> Slide:
    top = rows.dropna(subset=[indicator.key]).sort_values(indicator.key, ascending=False).head(8)
    figure = _bar_figure(top, [(indicator.key, indicator.label + " (%)", "#D55E00")], "", "%")
    return Slide(f"{indicator.label} : les métiers en tête en {year}", _figure_html(figure), indicator.source,
                 dict(zip(top["profession"], top[indicator.key].map(formats.percent))), figure)


def _training_vs_needs(rows: pd.DataFrame, year: int, links: pd.DataFrame) -> Slide:
    """Per métier BMO: its recruitment projects (real) beside the graduates of our professions it contains."""
    graduates = (rows.merge(links, on="profession_code").groupby("bmo_code")["graduates"].sum(min_count=1))
    rows = rows[rows["profession_code"].isin(graduates.index)].assign(
        graduates=lambda f: f["profession_code"].map(graduates))
    top = rows.dropna(subset=["recruitment_projects"]).sort_values("recruitment_projects", ascending=False).head(8)
    figure = _bar_figure(top, [("recruitment_projects", "Recrutements prévus", "#0072B2"),
                               ("graduates", "Nouveaux diplômés", "#009E73")], "", "nombre")
    return Slide(f"Former assez pour recruter ? ({year})", _figure_html(figure),
                 "Sources : enquête BMO (projets, par métier BMO), organismes de formation (diplômés des métiers qu'il "
                 "contient)",
                 dict(zip(top["profession"], top["recruitment_projects"].map(formats.number))), figure)


def _training_places(needs: list) -> Slide:
    """Per métier BMO: the territory's entry places in training for 100 of its recruitment projects (both real)."""
    frame = pd.DataFrame({"profession": [r.bmo_label.split(" (métier BMO")[0] for r in needs],
                          "per_100": [r.per_100 for r in needs]}).dropna().sort_values("per_100")
    figure = _bar_figure(frame, [("per_100", "Places pour 100 projets de recrutement", "#009E73")], "", "nombre")
    figure.update_layout(height=520)  # a two-line title, a two-line source and the demo notice leave less room
    return Slide("Places de formation pour 100 projets de recrutement", _figure_html(figure),
                 f"{training_needs.SLIDE_SOURCE} ; {training_needs.years_line(needs)}",
                 {r.bmo_label: r.ratio_text() for r in needs}, figure)


def _apprenticeship(departement: pd.DataFrame, dep_name: str) -> Slide:
    frame = departement.sort_values("year")
    figure = go.Figure(go.Scatter(x=frame["year"].tolist(), y=frame["apprentices_new"].tolist(), mode="lines+markers",
                                  line=dict(color="#0072B2", width=6), marker=dict(size=16)))
    figure.update_layout(separators=formats.PLOTLY_SEPARATORS, font=dict(size=26), height=760, width=1700,
                         margin=dict(l=20, r=20, t=30, b=20), plot_bgcolor="#ffffff",
                         xaxis=dict(tickformat="d", dtick=1, tickfont=dict(size=26)),
                         yaxis=dict(rangemode="tozero", tickfont=dict(size=26)))
    return Slide(f"L'apprentissage dans les métiers de l'accompagnement ({dep_name})", _figure_html(figure),
                 INDICATORS["apprentices_new"].source,
                 {int(row["year"]): _shown(row, INDICATORS["apprentices_new"]) for _, row in frame.iterrows()}, figure)


def _shown(row: pd.Series, indicator) -> str:
    """A published value as the tables write it: « s », « au moins … » for a minimum."""
    return formats.value(row[indicator.key], indicator.unit, indicator.decimals, secret=secrecy.is_secret(row, indicator.key),
                         lower_bound=secrecy.row_lower_bound(row, indicator.key))


def _year_on_year(figures: pd.DataFrame, year: int) -> Slide:
    rows = []
    for key, row in figures.iterrows():
        indicator = INDICATORS[key]
        now = formats.value(row["value"], indicator.unit, indicator.decimals, secret=bool(row["secret"]),
                            lower_bound=bool(row["lower_bound"]))
        before = formats.value(row["previous"], indicator.unit, indicator.decimals)
        change = formats.MISSING if row["secret"] else _change(indicator, row["change"])
        tone = "same" if row["secret"] else indicator.tone(row["change"])
        rows.append(f"<tr><td>{html.escape(indicator.label)}</td><td>{before}</td><td>{now}</td>"
                    f'<td class="{tone}">{change}</td></tr>')
    dense = " dense" if len(rows) > 6 else ""  # every indicator (demo mode): smaller, so that it fits above its source
    body = (f'<table class="compare{dense}"><thead><tr><th>Indicateur</th><th>{year - 1}</th><th>{year}</th>'
            f'<th>Évolution</th></tr></thead><tbody>{"".join(rows)}</tbody></table>')
    return Slide(f"{year} face à {year - 1}", body, "Sources : voir la page Méthodologie de l'observatoire")


def _area(table: pd.DataFrame, area: str, year: int, keys: list[str]) -> Slide:
    row = table.set_index("code").loc[area]
    cards = []
    for key in keys:
        indicator = INDICATORS[key]
        cards.append(_card(indicator.label, _shown(row, indicator), None))
    return Slide(f"{row['name']} en {year}", f'<div class="cards">{"".join(cards)}</div>',
                 "Sources : France Travail, organismes de formation")


# The look of a slide's content: used by the HTML deck and by the app's Présentation page.
CONTENT_STYLE = """
.cards { display: grid; grid-template-columns: repeat(2, 1fr); gap: 40px; }
.cards.three { grid-template-columns: repeat(3, 1fr); gap: 28px; } .cards.three .value { font-size: 80px; }
.cards.four { grid-template-columns: repeat(4, 1fr); gap: 24px; } .cards.four .card { padding: 24px 28px; }
.cards.four .value { font-size: 64px; } .cards.four .label { font-size: 30px; }
table.compare.bassins { font-size: 22px; }
table.compare.bassins td, table.compare.bassins th { text-align: left; padding: 5px 14px; }
.card { border: 3px solid #1f5f8b; border-radius: 16px; padding: 30px 40px; }
.label { font-size: 34px; } .nature { font-size: 24px; color: #444; margin-top: 8px; } .value { font-size: 110px; font-weight: bold; } .change { font-size: 34px; color: #444; } .worse { color: #b3261e; } .better { color: #1b6e20; }
.split { display: flex; gap: 60px; flex-wrap: wrap; }
.map svg { width: 900px !important; max-width: 100% !important; max-height: 640px; }
.side { font-size: 32px; } .lead { font-weight: bold; margin-top: 40px; } .quote { font-size: 34px; margin: 0 0 30px; } ol { font-size: 36px; }
table.compare { border-collapse: collapse; font-size: 34px; width: 100%; }
table.compare td, table.compare th { border-bottom: 2px solid #ccc; padding: 14px 20px; text-align: right; }
table.compare td:first-child, table.compare th:first-child { text-align: left; }
table.compare.dense { font-size: 28px; } table.compare.dense td, table.compare.dense th { padding: 6px 16px; }
"""

STYLE = CONTENT_STYLE + """
* { box-sizing: border-box; }
body { margin: 0; font-family: "DejaVu Sans", Arial, sans-serif; color: #1a1a1a; background: #ffffff; }
.slide { width: 1920px; height: 1080px; padding: 60px 90px 40px; display: none; flex-direction: column;
         page-break-after: always; break-after: page; overflow: hidden; position: relative; }
.slide.active { display: flex; }
@media print { .slide { display: flex !important; } @page { size: 1920px 1080px; margin: 0; } nav { display: none; } }
h1 { font-size: 64px; margin: 0 0 30px; color: #1f5f8b; }
.content { flex: 1; min-height: 0; }
.slide .split { flex-wrap: nowrap; } .slide .side { flex: 1 1 0; min-width: 0; }  /* legend beside the map, never under it */
footer { font-size: 24px; color: #444; border-top: 2px solid #ddd; padding-top: 14px; }
.demo { background: #fff3cd; color: #5c4400; font-size: 26px; padding: 8px 16px; margin-bottom: 16px; }
nav { position: fixed; bottom: 10px; right: 20px; font-size: 18px; color: #666; }
/* On a screen, each 1920×1080 slide is scaled to the window, 16:9 kept, the rest left dark. */
@media screen {
  html, body { width: 100%; height: 100%; overflow: hidden; background: #1a1a1a; }
  .slide.active { position: absolute; left: 50%; top: 50%; background: #ffffff;
                  transform: translate(-50%, -50%) scale(var(--fit, 1)); }
  nav { color: #bbb; }
}
"""

SCRIPT = """
function fit() { document.documentElement.style.setProperty('--fit', Math.min(innerWidth / 1920, innerHeight / 1080)); }
addEventListener('resize', fit); fit();
const slides = [...document.querySelectorAll('.slide')];
let current = Math.max(0, Math.min(slides.length - 1, parseInt(location.hash.slice(1) || '1') - 1));
function show(i) { current = Math.max(0, Math.min(slides.length - 1, i));
  slides.forEach((s, k) => s.classList.toggle('active', k === current)); location.hash = current + 1; }
document.addEventListener('keydown', e => {
  if (['ArrowRight', 'PageDown', ' '].includes(e.key)) show(current + 1);
  if (['ArrowLeft', 'PageUp'].includes(e.key)) show(current - 1); });
show(current);
"""


def html_deck(deck: list[Slide], notice: str | None) -> str:
    """One self-contained HTML file: plotly.js inline, maps as SVG, no external URL. `notice`: the
    sentence saying which figures are demo (`provenance.deck_notice`: demo mode only), on every slide."""
    demo = f'<div class="demo">{html.escape(notice.replace("**", ""))}</div>' if notice else ""
    sections = "".join(
        f'<section class="slide" id="slide-{i}" aria-label="Diapositive {i} sur {len(deck)}">{demo}'
        f'<h1>{html.escape(s.title)}</h1><div class="content">{s.body}</div>'
        f'<footer>{html.escape(s.source)}</footer></section>'
        for i, s in enumerate(deck, start=1))
    plotly_js = plotly.offline.get_plotlyjs()
    return (f'<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Observatoire : présentation</title>'
            f'<style>{STYLE}</style><script>{plotly_js}</script></head><body>{sections}'
            f'<nav>← → pour changer de diapositive</nav><script>{SCRIPT}</script></body></html>')


class DeckError(Exception):
    """The deck cannot be rendered here; the message (French) says what to install."""


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]


def render_with_chromium(html_text: str, pdf: str | None = None, png_dir: str | None = None, count: int = 0) -> list[str]:
    """PDF (one page per slide) and/or one PNG per slide at 1920×1080, through Debian's chromium
    driven by Playwright; no request leaves the machine."""
    import os
    import tempfile

    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        raise DeckError("PNG et PDF demandent le paquet Python « playwright » (pip install playwright) et le "
                        "navigateur Debian « chromium » (apt-get install chromium).") from error
    if not os.path.exists(CHROMIUM):
        raise DeckError(f"PNG et PDF demandent le navigateur Debian « chromium » ({CHROMIUM}) : apt-get install chromium.")
    written = []
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        page_file = os.path.join(folder, "deck.html")
        with open(page_file, "w", encoding="utf-8") as out:
            out.write(html_text)
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
            page.goto("file://" + page_file)
            page.add_style_tag(content="nav { display: none; }")
            if png_dir:
                os.makedirs(png_dir, exist_ok=True)
                for number in range(1, count + 1):
                    page.evaluate(f"show({number - 1})")
                    path = os.path.join(png_dir, f"diapositive_{number:02d}.png")
                    page.screenshot(path=path, clip={"x": 0, "y": 0, "width": WIDTH, "height": HEIGHT})
                    written.append(path)
            if pdf:
                page.emulate_media(media="print")
                page.pdf(path=pdf, width=f"{WIDTH}px", height=f"{HEIGHT}px", print_background=True,
                         margin={"top": "0", "right": "0", "bottom": "0", "left": "0"})
                written.append(pdf)
        finally:
            browser.close()
    return written
