"""The filter grammar: what a selection is, its defaults, and how its text is read and checked.

One pure module for the three places a selection is written as text: the URL of a shared link
(`?metiers=aide-soignant&annees=2019-2025&canton=4005`), the sidebar that mirrors it, and the
command line. Each `parse_*` returns the value to use and the problems found, in French; the URL
falls back to the default with a notice, the command line refuses.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from observatory import secrecy
from observatory.figures import access
from observatory.vocabulary import formats
from observatory.vocabulary.indicators import DEFAULT_INDICATOR, INDICATORS
from observatory.vocabulary.outside_text import plain


@dataclass(frozen=True)
class Filters:
    """What the user selected. Hashable, so Streamlit can cache on it."""

    year_from: int
    year_to: int
    professions: tuple[str, ...] = field(default=())  # empty: every profession
    indicator: str = DEFAULT_INDICATOR
    area: str | None = None
    threshold: int = secrecy.DEFAULT_THRESHOLD
    distance_km: int = access.DEFAULT_KM  # « far from training » beyond this straight-line distance
    territory: str = ""  # "" : the whole database; "R:<code>" a région; "D:<code>" a département
    demo: bool = False  # show the demo figures too (« Inclure les chiffres de démonstration »)


# URL parameter of each filter, and what a shared link with a bad value shows instead.
URL_PARAMS = {"professions": "metiers", "years": "annees", "indicator": "indicateur", "territory": "territoire",
              "area": "canton", "threshold": "secret", "distance": "km", "demo": "demo"}
FALLBACKS = {
    "professions": "sans effet sur la sélection",
    "years": "période complète affichée",
    "indicator": "indicateur par défaut affiché",
    "threshold": f"seuil {secrecy.DEFAULT_THRESHOLD} appliqué",
    "distance": f"{access.DEFAULT_KM} km appliqués",
    "territory": "tout le territoire de la base affiché",
    "area": "tout le territoire affiché",
    "demo": "chiffres réels seuls affichés",
}
DEMO_ON = "1"  # `?demo=1`: the demo figures are shown, marked

Parsed = tuple  # (value, problems: list[str])
QUOTED_CHARS = 60  # a value echoed in a problem is cut to this length
QUOTED_VALUES = 3  # a list of unknown values shows this many


def _quoted(text) -> str:
    """A value read from outside, quoted in a problem: one line, no invisible character, short."""
    return f"« {plain(text, QUOTED_CHARS)} »"


def parse_professions(codes: Iterable[str], known: Iterable[str]) -> Parsed:
    """Profession codes (each may hold several, comma-separated); unknown ones are left out."""
    known = set(known)
    chosen, unknown = [], []
    for code in (c.strip() for value in codes for c in value.split(",")):
        if code:
            (chosen if code in known else unknown).append(code)
    unknown = list(dict.fromkeys(unknown))
    if len(unknown) == 1:
        problems = [f"métier {_quoted(unknown[0])} inconnu"]
    elif unknown:
        first = ", ".join(_quoted(code) for code in unknown[:QUOTED_VALUES])
        more = f" et {formats.number(len(unknown) - QUOTED_VALUES)} autre(s)" if len(unknown) > QUOTED_VALUES else ""
        problems = [f"{formats.number(len(unknown))} métiers inconnus ({first}{more})"]
    else:
        problems = []
    return tuple(dict.fromkeys(chosen)), problems


def parse_years(text: str | None, available: list[int]) -> Parsed:
    """« 2025 » or « 2019-2025 » within the years the database covers; default: all of them."""
    span = (available[0], available[-1])
    if not text:
        return span, []
    parts = text.split("-")
    if len(parts) not in (1, 2) or not all(p.strip().isdigit() for p in parts):
        return span, [f"années {_quoted(text)} invalides : attendu une année ({available[-1]}) "
                      f"ou une période ({available[0]}-{available[-1]})"]
    start, end = int(parts[0]), int(parts[-1])
    if not (available[0] <= start <= end <= available[-1]):
        return span, [f"années {_quoted(text)} invalides : les données couvrent {available[0]}-{available[-1]}"]
    return (start, end), []


def parse_indicator(text: str | None, shown: Iterable[str] | None = None) -> Parsed:
    """An indicator key; `shown`: the indicators the selection may show (without demo mode, those
    with real figures), the first of them standing in for a default that is not among them."""
    shown = list(INDICATORS) if shown is None else list(shown)
    default = DEFAULT_INDICATOR if DEFAULT_INDICATOR in shown or not shown else shown[0]
    if not text:
        return default, []
    if text not in INDICATORS:
        return default, [f"indicateur {_quoted(text)} inconnu"]
    if text not in shown:
        return default, [f"indicateur « {INDICATORS[text].label} » : chiffres de démonstration, montrés seulement "
                         "avec « Inclure les chiffres de démonstration » (Réglages)"]
    return text, []


def parse_demo(text: str | None) -> Parsed:
    """`demo=1` turns demo mode on; absent or 0, off."""
    if text is None or text in ("", "0"):
        return False, []
    if text == DEMO_ON:
        return True, []
    return False, [f"mode démonstration {_quoted(text)} invalide (attendu demo=1)"]


def _choice(text: str | int | None, choices: tuple[int, ...], default: int, what: str, unit: str = "") -> Parsed:
    """One of a few whole numbers; the default when absent or not among them."""
    if text is None or text == "":
        return default, []
    if str(text) not in {str(c) for c in choices}:
        return default, [f"{what} {_quoted(text)} invalide ({what.split()[0]}s possibles "
                         f"{', '.join(map(str, choices))}{unit})"]
    return int(text), []


def parse_threshold(text: str | int | None) -> Parsed:
    return _choice(text, secrecy.THRESHOLDS, secrecy.DEFAULT_THRESHOLD, "seuil de secret")


def parse_distance(text: str | int | None) -> Parsed:
    return _choice(text, access.KM_CHOICES, access.DEFAULT_KM, "distance", " km")


def parse_territory(text: str | None, known: Iterable[str]) -> Parsed:
    """"R:<code région>", "D:<code département>", or "" for the whole database."""
    territory = (text or "").strip().upper()
    if territory and territory not in set(known):
        return "", [f"territoire {_quoted(territory)} inconnu"]
    return territory, []


def parse_area(text: str | None, known: Iterable[str]) -> Parsed:
    """A canton or shared town of the territory; None for the whole territory."""
    if not text:
        return None, []
    if text not in set(known):
        return None, [f"canton {_quoted(text)} inconnu"]
    return text, []


def to_url(filters: Filters, years: list[int]) -> dict[str, str]:
    """The URL parameters of a selection: only what differs from the defaults."""
    wanted = {}
    if filters.professions:
        wanted[URL_PARAMS["professions"]] = ",".join(filters.professions)
    if (filters.year_from, filters.year_to) != (years[0], years[-1]):
        wanted[URL_PARAMS["years"]] = f"{filters.year_from}-{filters.year_to}"
    if filters.indicator != DEFAULT_INDICATOR:
        wanted[URL_PARAMS["indicator"]] = filters.indicator
    if filters.territory:
        wanted[URL_PARAMS["territory"]] = filters.territory
    if filters.area:
        wanted[URL_PARAMS["area"]] = filters.area
    if filters.threshold != secrecy.DEFAULT_THRESHOLD:
        wanted[URL_PARAMS["threshold"]] = str(filters.threshold)
    if filters.distance_km != access.DEFAULT_KM:
        wanted[URL_PARAMS["distance"]] = str(filters.distance_km)
    if filters.demo:
        wanted[URL_PARAMS["demo"]] = DEMO_ON
    return wanted


def from_url(params, professions: list[str], years: list[int], territories: dict[str, str],
             areas_of, real_indicators: Iterable[str] | None = None) -> tuple[Filters, list[str]]:
    """A selection from URL parameters (`params.get(name, default)`), each bad value replaced by
    its default; with the notices saying what was replaced. `areas_of(territory)`: its area codes;
    `real_indicators`: the indicators with real figures (None: all), the only ones without demo mode."""
    notices = []

    def read(name: str, parsed: Parsed):
        value, problems = parsed
        notices.extend(f"{problem}, {FALLBACKS[name]}" for problem in problems)
        return value

    get = lambda name: params.get(URL_PARAMS[name], "")  # noqa: E731
    chosen = read("professions", parse_professions([get("professions")], professions))
    span = read("years", parse_years(get("years"), years))
    demo = read("demo", parse_demo(get("demo")))
    shown = None if demo or real_indicators is None else real_indicators
    indicator = read("indicator", parse_indicator(get("indicator"), shown))
    threshold = read("threshold", parse_threshold(get("threshold")))
    distance = read("distance", parse_distance(get("distance")))
    territory = read("territory", parse_territory(get("territory"), territories))
    area = read("area", parse_area(get("area"), areas_of(territory)))
    return Filters(year_from=span[0], year_to=span[1], professions=chosen, indicator=indicator, area=area,
                   threshold=threshold, distance_km=distance, territory=territory, demo=demo), notices
