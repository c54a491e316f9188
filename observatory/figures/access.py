"""Distance to training: for each commune and profession, the nearest place that trains for it.

Straight-line distances in Lambert-93 (EPSG:2154, metres) with geopandas; computed once per build
and stored in `commune_access`. The travel-time figure shown beside is a rough proxy, not a route:
straight line × 1.3 (road detour) at 60 km/h.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

LAMBERT_93 = "EPSG:2154"
DETOUR = 1.3
SPEED_KMH = 60
DEFAULT_KM = 30
KM_CHOICES = (10, 15, 20, 30, 45, 60)


def minutes(distance_km: float) -> float:
    """A rough travel time: straight line × 1.3 at 60 km/h."""
    return distance_km * DETOUR / SPEED_KMH * 60


def nearest(communes: pd.DataFrame, providers: pd.DataFrame, links: pd.DataFrame) -> pd.DataFrame:
    """communes: code, lon, lat; providers: provider_id, lon, lat; links: provider_id, profession_code.
    Returns commune_code, profession_code, provider_id, distance_km."""
    import geopandas as gpd  # imported here: the app reads only this module's constants

    if communes.empty or providers.empty or links.empty:
        return pd.DataFrame(columns=["commune_code", "profession_code", "provider_id", "distance_km"])
    crs = _metric_crs(communes)
    points = gpd.GeoSeries(gpd.points_from_xy(communes["lon"], communes["lat"]), crs=4326).to_crs(crs)
    places = providers.set_index("provider_id")
    place_points = gpd.GeoSeries(gpd.points_from_xy(places["lon"], places["lat"]), crs=4326, index=places.index).to_crs(crs)
    cx, cy = points.x.to_numpy(), points.y.to_numpy()
    rows = []
    for profession, group in links.groupby("profession_code"):
        ids = group["provider_id"].to_numpy()
        px, py = place_points.loc[ids].x.to_numpy(), place_points.loc[ids].y.to_numpy()
        distances = np.hypot(cx[:, None] - px[None, :], cy[:, None] - py[None, :]) / 1000
        best = distances.argmin(axis=1)
        rows.append(pd.DataFrame({"commune_code": communes["code"].to_numpy(), "profession_code": profession,
                                  "provider_id": ids[best], "distance_km": distances[np.arange(len(cx)), best]}))
    return pd.concat(rows, ignore_index=True)


def _metric_crs(communes: pd.DataFrame) -> str:
    """Lambert-93 in metropolitan France; the local UTM zone overseas."""
    import geopandas as gpd

    lon, lat = communes["lon"].mean(), communes["lat"].mean()
    if -5.5 <= lon <= 10 and 41 <= lat <= 51.5:
        return LAMBERT_93
    return gpd.GeoSeries(gpd.points_from_xy([lon], [lat]), crs=4326).estimate_utm_crs().to_string()
