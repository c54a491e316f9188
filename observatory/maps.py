"""Folium maps that draw with no network: Leaflet comes from our own static folder, the legend is
plain HTML built here, and base tiles are an option for when the machine is online."""
from __future__ import annotations

import html
import json
import warnings
from dataclasses import dataclass

import folium
import numpy as np
import pandas as pd
from branca.element import MacroElement
from jinja2 import Template

from observatory import formats, secrecy
from observatory.indicators import Indicator

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


class _MapChrome(MacroElement):
    """What every map adds to Leaflet's defaults: a metric-only scale; a click that always reaches its
    shape, with no black box around it, the shape's own outline when reached with the keyboard; the territory
    refitted whenever the frame changes size (a phone turned, a window narrowed); and tooltips
    kept inside the frame near its edges."""

    _template = Template("""
    {% macro script(this, kwargs) %}
    (function () {
        var map = {{ this._parent.get_name() }};
        L.control.scale({metric: true, imperial: false}).addTo(map);
        var style = document.createElement("style");
        style.textContent = ".leaflet-interactive:focus { outline: none; }"
            + " path.leaflet-interactive:focus-visible { stroke: #000000; stroke-width: 4px; }"
            + " .leaflet-tooltip { white-space: normal; width: max-content; max-width: 260px; }";
        document.head.appendChild(style);
        map.on("resize", function (event) {  // not while the frame is hidden (no size: the world would be shown)
            if (event.newSize.x > 50 && event.newSize.y > 50) { map.fitBounds({{ this.bounds|tojson }}); }
        });
        // A mouse press would focus the shape, and the browser would scroll the page to show it: the
        // release then falls on another point and the click is lost. Focus the map without scrolling.
        var frame = map.getContainer();
        frame.addEventListener("mousedown", function (event) {
            if (event.target.closest && event.target.closest("a, input, button")) { return; }
            event.preventDefault();
            if (document.activeElement !== frame) { frame.focus({preventScroll: true}); }
        }, true);
        if (!L.Tooltip.prototype._keptInside) {  // a tooltip near an edge is moved back inside the map
            var place = L.Tooltip.prototype._setPosition;
            L.Tooltip.prototype._setPosition = function (pos) {
                place.call(this, pos);
                var owner = this._map, box = this._container;
                if (!owner || !box) { return; }
                var size = owner.getSize(), at = owner.layerPointToContainerPoint(L.DomUtil.getPosition(box));
                // 12 pixels: Leaflet's 6-pixel margins beside the pointer, and a little air
                var x = Math.max(12, Math.min(at.x, size.x - box.offsetWidth - 12));
                var y = Math.max(12, Math.min(at.y, size.y - box.offsetHeight - 12));
                if (x !== at.x || y !== at.y) {
                    L.DomUtil.setPosition(box, owner.containerPointToLayerPoint(L.point(x, y)));
                }
            };
            L.Tooltip.prototype._keptInside = true;
        }
    })();
    {% endmacro %}
    """)

    def __init__(self, bounds: list[list[float]]):
        super().__init__()
        self._name = "MapChrome"
        self.bounds = bounds


class _AreasLayer(folium.GeoJson):
    """A GeoJson layer whose bounds are known in advance (folium would walk every coordinate)."""

    def __init__(self, data: dict, bounds: list[list[float]], **kwargs):
        super().__init__(data, **kwargs)
        self._bounds = bounds

    def _get_self_bounds(self) -> list[list[float]]:
        return self._bounds


def shapes(geometries: pd.DataFrame) -> dict:
    """Parsed outlines by area code and their overall bounds, computed once per database."""
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
    return {"geometries": parsed, "bounds": bounds, "kinds": kinds, "names": names, "labels": labels}


def choropleth(
    table: pd.DataFrame,
    area_shapes: dict,
    indicator: Indicator,
    scheme: str,
    leaflet_url: str,
    tiles: bool = False,
    providers: pd.DataFrame | None = None,
    highlight: str | None = None,
    height: int = 520,
    departement_name: str = "Département",
    nature: str = "",
    names: bool = False,
) -> tuple[folium.Map, Legend]:
    """A map of `indicator` by area; `table` comes from `queries.area_table`; `nature`: whether the
    figures are real (and their source) or demo, repeated in every tooltip."""
    key = indicator.key
    data = table.set_index("code")
    secret = secrecy.secret_flags(data, key)
    classes, bins = classify(data[key], scheme, indicator.higher_is_worse)
    fill = dict(zip(data.index, colours_for(classes, len(bins))))
    n_ranked = int(data["rank"].notna().sum())
    dep_text = formats.value(data["territory_value"].iloc[0], indicator.unit, indicator.decimals,
                             secret=bool(data["territory_secret"].iloc[0]))

    features = []
    for code, geometry in area_shapes["geometries"].items():
        area = data.loc[code]
        is_secret = bool(secret.loc[code])
        colour = SECRET_COLOUR if is_secret else fill[code]
        kind = ("Ville partagée entre " + " et ".join(_names(data, area["parent_cantons"]))
                if area_shapes["kinds"][code] == "ville" else "Canton")
        features.append({
            "type": "Feature",
            "geometry": geometry,
            "properties": {
                "code": code,
                "nom": area_shapes["names"][code],
                "type": kind,
                "valeur": formats.value(area[key], indicator.unit, indicator.decimals, secret=is_secret,
                                        lower_bound=secrecy.row_lower_bound(area, key)),
                "nature": nature,
                "rang": f"{int(area['rank'])} sur {n_ranked}" if pd.notna(area["rank"]) else formats.MISSING,
                "departement": dep_text,
                "fill": colour,
                "highlight": code == highlight,
            },
        })
    collection = {"type": "FeatureCollection", "features": features}
    outline = 1 if len(features) < 400 else 0.3  # thousands of cantons: thin borders, colours stay readable

    m = folium.Map(tiles=None, zoom_control=True, height=height)
    # Only Leaflet is needed, and we serve it ourselves (the class defaults point at CDNs).
    m.default_js = [("leaflet", f"{leaflet_url}/leaflet.js")]
    m.default_css = [("leaflet_css", f"{leaflet_url}/leaflet.css")]
    if tiles:
        folium.TileLayer(OSM_TILES, attr="© contributeurs OpenStreetMap", name="OpenStreetMap").add_to(m)
    _AreasLayer(
        collection,
        area_shapes["bounds"],
        name=indicator.label,
        style_function=lambda f: {
            "fillColor": f["properties"]["fill"],
            "color": "#000000" if f["properties"]["highlight"] else "#333333",
            "weight": 3 if f["properties"]["highlight"] else outline,
            "fillOpacity": 0.85,
        },
        highlight_function=lambda f: {"weight": 3, "color": "#000000"},
        tooltip=folium.GeoJsonTooltip(
            fields=["nom", "type", "valeur", "rang", "departement", "nature"],
            aliases=["", "", indicator.label, "Rang (1 = le plus préoccupant)", departement_name, "Nature"],
            localize=False, sticky=True,
        ),
    ).add_to(m)
    if names and area_shapes.get("labels"):
        _names_layer(area_shapes).add_to(m)
    if providers is not None and not providers.empty:
        group = folium.FeatureGroup(name="Lieux de formation")
        for p in providers.itertuples():
            label = f"{p.name} ({p.commune_name})"
            website = getattr(p, "website", None)
            popup = (folium.Popup(f'<a href="{html.escape(website)}" target="_blank" rel="noopener">'
                                  f'{html.escape(label)} : site de l\'organisme</a>') if website else None)
            folium.CircleMarker(
                location=[p.lat, p.lon], radius=6, color="#08306b", weight=2, fill=True,
                fill_color="#4292c6", fill_opacity=0.9, tooltip=label, popup=popup,
            ).add_to(group)
        group.add_to(m)
    m.fit_bounds(area_shapes["bounds"])
    _MapChrome(area_shapes["bounds"]).add_to(m)
    return m, legend(indicator, bins, data[key].dropna(), bool(secret.any()),
                     bool((data[key].isna() & ~secret).any()))


def _names(data: pd.DataFrame, codes) -> list[str]:
    return [data.loc[c, "name"] for c in (codes if codes is not None else []) if c in data.index]


def _names_layer(area_shapes: dict) -> folium.FeatureGroup:
    """Each area's name, written at a point inside it (so that an official finds their canton);
    the labels let clicks and tooltips through to the shapes beneath."""
    group = folium.FeatureGroup(name="Noms des cantons")
    for code, (lon, lat) in area_shapes["labels"].items():
        text = html.escape(area_shapes["names"][code])
        folium.Marker([lat, lon], interactive=False, icon=folium.DivIcon(
            class_name="area-name", icon_size=(120, 28), icon_anchor=(60, 14),
            html=f'<div style="font: 600 11px/1.1 sans-serif; color: #1a1a1a; text-align: center; '
                 f'pointer-events: none; text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 3px #fff">{text}</div>',
        )).add_to(group)
    return group


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
