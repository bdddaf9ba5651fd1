"""Web-map datums: GCJ-02 and BD-09 to and from WGS84 / CGCS2000, for lon/lat coordinates.

- ``gcj02`` (国测局坐标, "Mars coordinates"): the obfuscation Chinese law requires of published maps;
  AMap (高德), Tencent and Google's China map use it. A deterministic offset of a few hundred metres
  is added to WGS84, inside a rectangle around China only (lon 72.004–137.8347°E,
  lat 0.8293–55.8271°N, the ``outOfChina`` box of the leaked reference code): outside it GCJ-02 *is*
  WGS84, so points there come back unchanged.
- ``bd09`` (百度坐标): Baidu's further offset of GCJ-02 (about 1 km more), applied everywhere.
- ``wgs84`` and ``cgcs2000`` are treated as one datum: their realisations differ by centimetres, far
  below what GCJ-02/BD-09 data (noisy at the metre level) can tell apart.

The formulas are PRCoords' (``plugin/vendor/prcoords.py``, CC0), not re-derived here. PRCoords
is written for one point at a time with ``math``; ``_np`` below runs its functions, unchanged,
with numpy's ufuncs in place of ``math`` so whole coordinate arrays go through at once.

The forward conversions (to GCJ-02, to BD-09) are closed formulas. Their inverses are not: PRCoords'
one-step inverse (``gcj_wgs``, ``bd_gcj``, what most converters ship) is off by up to several
metres. We refine it by the fixed-point iteration PRCoords' ``_bored`` uses (Caijun 2014:
guess -= forward(guess) - target), but until the residual is below ``INVERSE_TOLERANCE_DEG``
(about 0.1 mm) instead of ``_bored``'s step of 1e-5° (about 1 m), on arrays rather than per point.

Input and output are longitude/latitude in degrees; projected data (e.g. web-mercator tiles in
GCJ-02) must be unprojected by the caller first.
"""
import types
from typing import List, Tuple

import numpy as np
from qgis.core import QgsAbstractGeometryTransformer, QgsGeometry

from ...vendor import prcoords
from ..exceptions import CityCodeError
from ..i18n import tr

WGS84, CGCS2000, GCJ02, BD09 = "wgs84", "cgcs2000", "gcj02", "bd09"
DATUMS = (WGS84, CGCS2000, GCJ02, BD09)

INVERSE_TOLERANCE_DEG = 1e-9  # residual of forward(inverse(p)) - p: ~0.1 mm, well under 0.01 m
MAX_ITERATIONS = 10  # the iteration contracts by ~1e-3 per step: 2-3 steps reach the tolerance

# 0: WGS84/CGCS2000, 1: GCJ-02, 2: BD-09. Each datum is derived from the one below it.
_LEVEL = {WGS84: 0, CGCS2000: 0, GCJ02: 1, BD09: 2}


class DatumError(CityCodeError, ValueError):
    """A datum that is none of DATUMS."""


def _numpy_twin():
    """PRCoords' functions, code unchanged, evaluated with numpy's ufuncs in place of ``math``."""
    numpy_math = types.SimpleNamespace(sqrt=np.sqrt, sin=np.sin, cos=np.cos, atan2=np.arctan2,
                                       radians=np.radians, pow=np.power, pi=np.pi)
    namespace = dict(vars(prcoords), math=numpy_math)
    names = ("wgs_gcj", "gcj_wgs", "gcj_bd", "bd_gcj")
    for name in names:  # rebind all of them, so gcj_wgs calls the array wgs_gcj
        func = getattr(prcoords, name)
        namespace[name] = types.FunctionType(func.__code__, namespace, func.__name__, func.__defaults__)
    return types.SimpleNamespace(**{name: namespace[name] for name in names})


_np = _numpy_twin()
_in_china_each = np.frompyfunc(lambda lon, lat: prcoords.sanity_in_china_p(prcoords.Coords(lat, lon)), 2, 1)


def in_china(lon, lat) -> np.ndarray:
    """Where GCJ-02 applies: PRCoords' rectangle around China (the reference code's ``outOfChina``)."""
    with np.errstate(invalid="ignore"):  # NaN (empty points) is simply not in China
        return np.asarray(_in_china_each(lon, lat), dtype=bool)


def lonlat_authid(datum: str) -> str:
    """The CRS to label lon/lat data in `datum` with: EPSG:4490 for CGCS2000, EPSG:4326 otherwise
    (GCJ-02 and BD-09 have no EPSG code; web maps label them 4326, hence the confusion)."""
    _check(datum)
    return "EPSG:4490" if datum == CGCS2000 else "EPSG:4326"


def _check(datum):
    if datum not in _LEVEL:
        raise DatumError(tr("Unknown datum '{}': use one of {}").format(datum, ", ".join(DATUMS)))


def _refine(forward, guess, target):
    """Fixed-point iteration towards forward(guess) == target (PRCoords' _bored, on arrays, to our tolerance)."""
    for _ in range(MAX_ITERATIONS):
        diff = forward(guess) - target
        guess = guess - diff
        if not np.any(np.hypot(diff.lat, diff.lon) > INVERSE_TOLERANCE_DEG):  # NaN input counts as done
            break
    return guess


def _wgs_to_gcj(lon, lat):
    inside = in_china(lon, lat)
    lon, lat = lon.copy(), lat.copy()
    gcj = _np.wgs_gcj(prcoords.Coords(lat[inside], lon[inside]), False)
    lon[inside], lat[inside] = gcj.lon, gcj.lat
    return lon, lat


def _gcj_to_wgs(lon, lat):
    # As PRCoords' gcj_wgs: the China test is on the GCJ-02 point (they differ only in a strip at the box edge).
    inside = in_china(lon, lat)
    lon, lat = lon.copy(), lat.copy()
    target = prcoords.Coords(lat[inside], lon[inside])
    wgs = _refine(lambda c: _np.wgs_gcj(c, False), _np.gcj_wgs(target, False), target)
    lon[inside], lat[inside] = wgs.lon, wgs.lat
    return lon, lat


def _gcj_to_bd(lon, lat):
    bd = _np.gcj_bd(prcoords.Coords(lat, lon))
    return bd.lon, bd.lat


def _bd_to_gcj(lon, lat):
    target = prcoords.Coords(lat, lon)
    gcj = _refine(_np.gcj_bd, _np.bd_gcj(target), target)
    return gcj.lon, gcj.lat


_UP = (_wgs_to_gcj, _gcj_to_bd)  # _UP[i]: level i -> i + 1
_DOWN = (_gcj_to_wgs, _bd_to_gcj)  # _DOWN[i]: level i + 1 -> i


def convert_xy(x, y, src: str, dst: str) -> Tuple[np.ndarray, np.ndarray]:
    """Longitudes `x` and latitudes `y` (arrays or scalars, degrees) from datum `src` to `dst`.

    New float arrays of the input's shape come back; the input is not changed.
    """
    _check(src)
    _check(dst)
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    shape = np.broadcast(x, y).shape
    lon = np.broadcast_to(x, shape).ravel().copy()
    lat = np.broadcast_to(y, shape).ravel().copy()
    a, b = _LEVEL[src], _LEVEL[dst]
    steps = _UP[a:b] if a < b else _DOWN[b:a][::-1]
    for step in steps:
        lon, lat = step(lon, lat)
    return lon.reshape(shape), lat.reshape(shape)


def convert_geometries(geoms: np.ndarray, src: str, dst: str) -> np.ndarray:
    """A shapely (>= 2) geometry array converted from `src` to `dst`; Z is kept, None stays None."""
    import shapely

    def xy_only(coords):
        out = coords.copy()
        out[:, 0], out[:, 1] = convert_xy(coords[:, 0], coords[:, 1], src, dst)
        return out

    geoms = np.asarray(geoms, dtype=object)
    out = geoms.copy()
    has_z = shapely.has_z(geoms)  # transform() would drop Z (include_z=False) or add NaN Z (True)
    for mask, include_z in ((has_z, True), (~has_z, False)):
        if mask.any():
            out[mask] = shapely.transform(geoms[mask], xy_only, include_z=include_z)
    return out


def convert_qgs_geometries(geometries: List, src: str, dst: str) -> List:
    """QgsGeometry objects converted from `src` to `dst`, without shapely: new geometries, any type
    (curves too), Z and M kept. All vertices go through one array conversion."""
    out = [QgsGeometry(g) for g in geometries]
    parts = [g.get() for g in out if not g.isNull()]
    collect = _CollectVertices()
    for part in parts:
        part.transform(collect)
    lon, lat = convert_xy(np.array(collect.x, dtype=float), np.array(collect.y, dtype=float), src, dst)
    replay = _ReplayVertices(lon, lat)
    for part in parts:  # QGIS visits the vertices in the same order again
        part.transform(replay)
    return out


def convert_qgs_geometry(geometry, src: str, dst: str):
    """One QgsGeometry converted from `src` to `dst` (see convert_qgs_geometries)."""
    return convert_qgs_geometries([geometry], src, dst)[0]


class _CollectVertices(QgsAbstractGeometryTransformer):
    def __init__(self):
        super().__init__()
        self.x, self.y = [], []

    def transformPoint(self, x, y, z, m):  # noqa: N802 - QGIS API
        self.x.append(x)
        self.y.append(y)
        return True, x, y, z, m


class _ReplayVertices(QgsAbstractGeometryTransformer):
    def __init__(self, lon, lat):
        super().__init__()
        self.points = zip(lon.tolist(), lat.tolist())

    def transformPoint(self, x, y, z, m):  # noqa: N802 - QGIS API
        new_x, new_y = next(self.points)
        return True, new_x, new_y, z, m
