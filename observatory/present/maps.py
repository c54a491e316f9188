"""Maps of areas: classes and colours, the legend (plain HTML), what the browser map draws (its
outlines file and, at each rerun, each area's colour and texts: `ui.area_map` draws them with
Leaflet from our own static folder, so with no network; base tiles are an option for when the machine
is online), and static SVG maps for portraits and slides."""
from __future__ import annotations

import hashlib
import html
import json
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from observatory import secrecy
from observatory.vocabulary import formats
from observatory.vocabulary.indicators import Indicator
from observatory.vocabulary.outside_text import web_address

# ColorBrewer YlOrBr, 5 classes: sequential and safe for colour-blind readers. Dark = worse.
PALETTE = ("#ffffd4", "#fed98e", "#fe9929", "#d95f0e", "#993404")
SECRET_COLOUR = "#9e9e9e"
MISSING_COLOUR = "#f0f0f0"
MAX_LABELS = 60  # areas named on the map up to this many (a département); beyond, the tooltips name them
SCHEMES = {"quantiles": "Quantiles (autant de cantons par classe)", "jenks": "Seuils naturels (Jenks)"}
OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"


@dataclass(frozen=True)
class Legend:
    title: str
    entries: tuple[tuple[str, str], ...]  # (colour, French label)

    def html(self) -> str:
        rows = "".join(
            f'<div style="display:flex;align-items:center;gap:.5em;margin:.15em 0">'
            f'<span style="display:inline-block;width:1.4em;height:1em;background:{colour};'
            f'border:1px solid #555"></span><span>{label}</span></div>'
            for colour, label in self.entries
        )
        return f'<div role="img" aria-label="Légende : {self.title}"><strong>{self.title}</strong>{rows}</div>'


def classify(values: pd.Series, scheme: str, higher_is_worse: bool, k: int = 5) -> tuple[pd.Series, list[float]]:
    """Class index (0 = least worrying) per value, and the class upper bounds; NaN stays NaN."""
    known = values.dropna().astype(float)
    if known.empty:
        return pd.Series(np.nan, index=values.index), []
    k = max(1, min(k, known.nunique()))
    if k == 1:
        bins = [float(known.max())]
        classes = pd.Series(0, index=known.index)
    else:
        import mapclassify  # about 1 s to import (scipy, scikit-learn): only when a map is drawn

        with warnings.catch_warnings():  # FisherJenks suggests numba; 17 values need no speed-up
            warnings.simplefilter("ignore", UserWarning)
            classifier = (mapclassify.FisherJenks if scheme == "jenks" else mapclassify.Quantiles)(known.to_numpy(), k=k)
            if len(set(classifier.bins)) < len(classifier.bins):  # ties (many zeros): no empty classes
                classifier = mapclassify.UserDefined(known.to_numpy(), bins=sorted(set(classifier.bins)))
        bins = [float(b) for b in classifier.bins]
        classes = pd.Series(classifier.yb, index=known.index)
    if not higher_is_worse:
        classes = (len(bins) - 1) - classes
    return classes.reindex(values.index), bins


def colours_for(classes: pd.Series, n_classes: int) -> list[str]:
    # Spread the classes over the palette so that 3 classes still run from light to dark.
    scale = [PALETTE[round(i * (len(PALETTE) - 1) / max(n_classes - 1, 1))] for i in range(n_classes)]
    return [MISSING_COLOUR if pd.isna(c) else scale[int(c)] for c in classes]


def legend(indicator: Indicator, bins: list[float], values: pd.Series, has_secret: bool, has_missing: bool) -> Legend:
    n = len(bins)
    lows = [float(values.min())] + bins[:-1]
    fmt = lambda v: formats.value(v, indicator.unit, indicator.decimals)  # noqa: E731
    # classes hold (previous bound, bound]: « plus de » says where a shared bound belongs
    ranges = [fmt(hi) if fmt(lo) == fmt(hi) else f"{fmt(lo)} à {fmt(hi)}" if i == 0 else f"plus de {fmt(lo)} à {fmt(hi)}"
              for i, (lo, hi) in enumerate(zip(lows, bins))]
    classes = pd.Series(range(n), dtype=float)
    if not indicator.higher_is_worse:
        classes = (n - 1) - classes
    colours = colours_for(classes, n)
    entries = list(zip(colours, ranges))
    if has_secret:
        entries.append((SECRET_COLOUR, "s : secret statistique"))
    if has_missing:
        entries.append((MISSING_COLOUR, "pas de donnée"))
    unit = "" if indicator.unit != "%" else " (%)"
    return Legend(title=f"{indicator.label}{unit}", entries=tuple(entries))


def shapes(geometries: pd.DataFrame) -> dict:
    """Parsed outlines by area code and their overall bounds, computed once per database; `file`
    (named `file_name` after its content) is what the browser map fetches, once per territory."""
    parsed = {row.code: json.loads(row.geojson) for row in geometries.itertuples()}
    framed = parsed
    if "departement_code" in geometries:  # France: frame the mainland, overseas areas stay a pan away
        mainland = ~geometries["departement_code"].str.startswith("97")
        if mainland.any() and not mainland.all():
            framed = {code: parsed[code] for code in geometries.loc[mainland, "code"]}
    coords = np.array([xy for geometry in framed.values() for xy in _all_coordinates(geometry)])
    bounds = [[float(coords[:, 1].min()), float(coords[:, 0].min())],
              [float(coords[:, 1].max()), float(coords[:, 0].max())]]
    kinds = dict(zip(geometries["code"], geometries["kind"]))
    names = dict(zip(geometries["code"], geometries["name"]))
    labels = {}
    if len(parsed) <= MAX_LABELS:  # a point inside each shape, where its name is written
        from shapely.geometry import shape

        labels = {code: shape(geometry).representative_point().coords[0] for code, geometry in parsed.items()}
    file = json.dumps({
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "geometry": geometry, "properties": {"code": code, "nom": names[code]}}
                     for code, geometry in parsed.items()],
        "bounds": bounds,
        "labels": {code: [round(lat, 5), round(lon, 5)] for code, (lon, lat) in labels.items()},
    }, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return {"geometries": parsed, "bounds": bounds, "kinds": kinds, "names": names, "labels": labels,
            "file": file, "file_name": hashlib.sha256(file).hexdigest()[:20] + ".json"}


def choropleth(
    table: pd.DataFrame,
    area_shapes: dict,
    indicator: Indicator,
    scheme: str,
    tiles: bool = False,
    providers: pd.DataFrame | None = None,
    highlight: str | None = None,
    departement_name: str = "Département",
    nature: str = "",
    names: bool = False,
    clickable: bool = False,
) -> tuple[dict, Legend]:
    """What the browser map draws over the outlines it already holds (`ui.area_map`): each area's
    colour and tooltip texts for `indicator`, from `table` (`queries.area_table`); `nature` says
    whether the figures are real (and their source) or demo, repeated in every tooltip."""
    key = indicator.key
    data = table.set_index("code")
    secret = secrecy.secret_flags(data, key)
    classes, bins = classify(data[key], scheme, indicator.higher_is_worse)
    fill = dict(zip(data.index, colours_for(classes, len(bins))))
    n_ranked = formats.number(int(data["rank"].notna().sum()))
    # plain dicts: a lookup per area in them, not a pandas row (2 000 areas at France level)
    values, ranks, secrets = data[key].to_dict(), data["rank"].to_dict(), secret.to_dict()
    minimum = dict(zip(data.index, secrecy.lower_bound(data, key)))
    palette = sorted(set(fill.values()) | {SECRET_COLOUR})
    name_of = data["name"].to_dict()
    parents = data["parent_cantons"].to_dict() if "parent_cantons" in data else {}
    areas, types = {}, {}
    for code in area_shapes["geometries"]:  # [colour (its place in the palette), value, rank]: short, for 2 000 areas
        areas[code] = [
            palette.index(SECRET_COLOUR if secrets[code] else fill[code]),
            formats.value(values[code], indicator.unit, indicator.decimals, secret=bool(secrets[code]),
                          lower_bound=bool(minimum[code])),
            f"{formats.number(int(ranks[code]))} sur {n_ranked}" if pd.notna(ranks[code]) else formats.MISSING,
        ]
        if area_shapes["kinds"][code] == "ville":
            types[code] = "Ville partagée entre " + " et ".join(_names(name_of, parents.get(code)))
    spec = {
        "palette": palette,
        "areas": areas,
        "area_fields": ["fill", "valeur", "rang"],  # what each area's list holds
        "types": types,
        "common": {"type": "Canton", "nature": nature,
                   "departement": formats.value(data["territory_value"].iloc[0], indicator.unit, indicator.decimals,
                                                secret=bool(data["territory_secret"].iloc[0]))},
        # the tooltip's lines: (label, field); an empty label writes the value alone
        "fields": [["", "nom"], ["", "type"], [indicator.label, "valeur"], ["Rang (1 = le plus préoccupant)", "rang"],
                   [departement_name, "departement"], ["Nature", "nature"]],
        "missing": MISSING_COLOUR,
        "outline": 1 if len(areas) < 400 else 0.3,  # thousands of cantons: thin borders, colours stay readable
        "highlight": highlight,
        "names": bool(names and area_shapes["labels"]),
        "tiles": {"url": OSM_TILES, "attribution": "© contributeurs OpenStreetMap"} if tiles else None,
        "providers": [] if providers is None else [
            {"lat": float(p.lat), "lon": float(p.lon), "label": f"{p.name} ({p.commune_name})",
             "website": web_address(getattr(p, "website", None))} for p in providers.itertuples()],
        "clickable": clickable,
    }
    return spec, legend(indicator, bins, data[key].dropna(), bool(secret.any()),
                        bool((data[key].isna() & ~secret).any()))


def _names(name_of: dict[str, str], codes) -> list[str]:
    return [name_of[c] for c in (codes if codes is not None else []) if c in name_of]


def detail(spec: dict, area_shapes: dict, code: str | None) -> dict | None:
    """The texts of one area of the map (its tooltip's), for the panel beside it; None if the area
    is not on this map (another territory was chosen since the click)."""
    if code not in spec["areas"]:
        return None
    colour, value, rank = spec["areas"][code]
    return {"code": code, "nom": area_shapes["names"][code]} | spec["common"] | {
        "fill": spec["palette"][colour], "valeur": value, "rang": rank, "type": spec["types"].get(code, "Canton")}


def _all_coordinates(geometry: dict) -> list:
    def walk(part):
        if isinstance(part[0], (int, float)):
            yield part[:2]
        else:
            for sub in part:
                yield from walk(sub)
    return list(walk(geometry["coordinates"]))


def svg_map(area_shapes: dict, fills: dict[str, str], label: str, bold: str | None = None, width: int = 320) -> str:
    """A static map as inline SVG (no script, prints on paper, works offline): one path per area,
    each with its name as a tooltip; `bold` gets a thicker outline."""
    (south, west), (north, east) = area_shapes["bounds"]
    x_scale = np.cos(np.radians((south + north) / 2))  # keep shapes' proportions at this latitude
    span_x, span_y = (east - west) * x_scale, north - south
    height = int(width * span_y / span_x)

    def path(geometry: dict) -> str:
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        parts = []
        for polygon in polygons:
            for ring in polygon:
                points = " L".join(
                    f"{(x - west) * x_scale / span_x * width:.1f},{(north - y) / span_y * height:.1f}" for x, y in ring
                )
                parts.append(f"M{points}Z")
        return "".join(parts)

    shapes_svg = "".join(
        f'<path d="{path(geometry)}" fill="{fills.get(code, MISSING_COLOUR)}" '
        f'stroke="#333" stroke-width="{1.5 if code == bold else 0.6}" fill-rule="evenodd">'
        f"<title>{html.escape(area_shapes['names'][code])}</title></path>"
        for code, geometry in sorted(area_shapes["geometries"].items(), key=lambda item: item[0] == bold)
    )
    return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{html.escape(label)}" '
            f'viewBox="0 0 {width} {height}" style="width:100%;max-width:{width}px;height:auto">{shapes_svg}</svg>')


def locator_svg(area_shapes: dict, highlight: str, width: int = 320) -> str:
    """A small static map locating one area."""
    name = area_shapes["names"].get(highlight, highlight)
    return svg_map(area_shapes, {highlight: "#d95f0e"} | {c: "#f0f0f0" for c in area_shapes["geometries"] if c != highlight},
                   f"Carte de situation : {name}", bold=highlight, width=width)


def choropleth_svg(table: pd.DataFrame, area_shapes: dict, indicator: Indicator, width: int = 640) -> tuple[str, Legend]:
    """The same classes and colours as `choropleth`, as a static SVG (slides, offline exports)."""
    data = table.set_index("code")
    secret = secrecy.secret_flags(data, indicator.key)
    classes, bins = classify(data[indicator.key], "quantiles", indicator.higher_is_worse)
    fills = dict(zip(data.index, colours_for(classes, len(bins))))
    fills.update({code: SECRET_COLOUR for code in secret[secret].index})
    svg = svg_map(area_shapes, fills, f"Carte : {indicator.label}", width=width)
    return svg, legend(indicator, bins, data[indicator.key].dropna(), bool(secret.any()),
                       bool((data[indicator.key].isna() & ~secret).any()))


GROWTH_CLASSES = 5


def growth_svg(ranking: pd.DataFrame, areas: pd.DataFrame, area_shapes: dict, label: str,
               width: int = 640) -> tuple[str, Legend]:
    """The départements' projected growth (`outlook.ranking`) as a static SVG: each canton drawn in
    its département's class (the map holds canton outlines only)."""
    growth = ranking.set_index("code")["growth"]
    classes, bins = classify(growth, "quantiles", True, GROWTH_CLASSES)
    colour_of = dict(zip(growth.index, colours_for(classes, len(bins))))
    fills = {code: colour_of.get(dep, MISSING_COLOUR) for code, dep in zip(areas["code"], areas["departement_code"])}
    lows = [float(growth.min())] + bins[:-1]
    entries = [(colour, f"{formats.change(lo, 'percent')} à {formats.change(hi, 'percent')}")
               for colour, lo, hi in zip(colours_for(pd.Series(range(len(bins)), dtype=float), len(bins)), lows, bins)]
    if set(areas["departement_code"]) - set(growth.index):
        entries.append((MISSING_COLOUR, "pas de projection"))
    return svg_map(area_shapes, fills, label, width=width), Legend(label, tuple(entries))
