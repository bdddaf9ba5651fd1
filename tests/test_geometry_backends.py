"""The two geometry backends agree: shapely's (core/geometry.py) and QGIS's (core/geometry_qgis.py).

- Tricky shapes through both backends in this process (the tests have shapely; the QGIS backend never
  touches it): repair, division lookup, overlaps, fingerprints, points, coverage, WKB helpers.
- Whole jobs in a subprocess with CITYCODE_SPEEDUPS=off (the plugin sees no shapely, pyogrio, pyarrow,
  as in Debian 12's stock QGIS 3.22) against the same jobs here: codes, statuses, divisions, shares and
  areas must match, on the sample town and on a synthetic city (../shared/bench/make_city.py --n 10k).
"""
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import shapely
from osgeo import ogr

from citycode.plugin.core.engine import geometry_shapely as S
from citycode.plugin.core.engine import geometry_qgis as Q
from citycode.plugin.core.engine import wkb
from citycode.plugin.core.engine.geometry import backend

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = str(ROOT / "resources" / "sample" / "sample_town.gpkg")
MAKE_CITY = ROOT.parent / "shared" / "bench" / "make_city.py"
X0, Y0 = 39_500_000.0, 3_500_000.0  # Gauss-Krüger coordinates with the zone prefix: far from the origin


def both(geoms):
    """The same geometries as shapely's and as QGIS's backend holds them."""
    geoms = np.array(geoms, dtype=object)
    return geoms, Q.from_wkb(shapely.to_wkb(geoms))


def box(x0, y0, x1, y1):
    return shapely.box(X0 + x0, Y0 + y0, X0 + x1, Y0 + y1)


def poly(*xy, holes=()):
    return shapely.Polygon([(X0 + x, Y0 + y) for x, y in xy], [[(X0 + x, Y0 + y) for x, y in h] for h in holes])


def test_the_chooser_follows_the_speedups():
    from citycode.plugin.core.speedups import SHAPELY_OK
    assert backend() is (S if SHAPELY_OK else Q)


# -- repair -------------------------------------------------------------------------------------------------
BAD = [
    box(0, 0, 10, 10),                                                  # valid
    poly((0, 0), (10, 10), (10, 0), (0, 10)),                           # bow-tie: two triangles
    poly((0, 0), (10, 0), (10, 10), (5, 10), (5, 15), (5, 10), (0, 10)),  # a spike: make_valid adds a line
    shapely.MultiPolygon([box(0, 0, 10, 10), box(5, 5, 15, 15)]),       # overlapping parts
    poly((0, 0), (10, 0), (10, 10), (0, 10), holes=[[(2, 2), (12, 2), (12, 8), (2, 8)]]),  # hole crossing shell
    poly((0, 0), (10, 0), (0, 0), (10, 0)),                             # collapses to nothing
    shapely.Polygon(),                                                  # empty
    None,
]


def test_clean_repairs_alike():
    s, q = both(BAD)
    cs, cq = S.clean(s), Q.clean(q)
    assert cs.empty.tolist() == cq.empty.tolist() == [False, False, False, False, False, True, True, True]
    assert cs.repaired.tolist() == cq.repaired.tolist() == [False, True, True, True, True, True, False, False]
    usable = ~cs.empty
    np.testing.assert_allclose(S.area(cs.geoms[usable]), Q.area(cq.geoms[usable]), rtol=1e-9)
    # repaired geometries are the same shapes (GEOS's MakeValid in both), so their identities are the same
    assert S.fingerprint_wkb(cs.geoms[usable]) == Q.fingerprint_wkb(cq.geoms[usable])
    out = Q.to_wkb(cq.geoms[usable], multi=True)
    assert all(shapely.get_type_id(shapely.from_wkb(w)) == 6 for w in out)  # a Multi layer stays Multi
    assert shapely.equals(shapely.from_wkb(out), cs.geoms[usable]).all()


# -- division lookup -----------------------------------------------------------------------------------------
DIVISIONS = [
    box(0, 0, 100, 100),                                                # 0
    box(100, 0, 200, 100),                                              # 1: shares an edge with 0
    poly((0, 100), (200, 100), (200, 200), (0, 200), holes=[[(80, 130), (120, 130), (120, 170), (80, 170)]]),  # 2
    shapely.MultiPolygon([box(200, 0, 300, 100), box(300, 150, 400, 250)]),  # 3: two parts
    box(90, 135, 110, 165),                                             # 4: inside the hole of 2
]
BUILDINGS = [
    box(10, 10, 20, 20),         # wholly in 0
    box(90, 10, 110, 20),        # 50/50 across 0|1: the lower index wins
    box(70, 10, 100.0, 20),      # in 0, touching the shared edge
    box(170, 80, 190, 130),      # 1 and 2: 40 % / 60 %
    box(380, 0, 420, 10),        # partly outside (3's first part ends at 300: wholly outside)
    box(290, 40, 310, 60),       # half in 3, half outside
    box(85, 125, 95, 140),       # across 2's hole edge and into 4
    box(95, 140, 105, 160),      # in 4, inside 2's hole
    shapely.Point(X0 + 100, Y0 + 50),  # on 0|1's shared edge: the first division holding it
    shapely.Point(X0 + 150, Y0 + 50),
    shapely.Point(X0 + 500, Y0 + 50),  # outside
    None,
    shapely.Polygon(),
    shapely.MultiPolygon([box(20, 20, 30, 30), box(120, 20, 160, 30)]),  # parts in 0 and 1: 20 % / 80 %
    box(99.99999, 50, 150, 60),  # a sliver in 0: not a straddle
    poly((150, 150), (250, 150), (150, 250)),  # triangle: centroid in 2, largest share in 2
    poly((180, 90), (320, 90), (180, 95)),     # long thin: centroid in 2? no: 1|3 shares
]


def _locate(module, rule, cut=False, monkeypatch=None):
    s_div, q_div = both(DIVISIONS)
    s_b, q_b = both(BUILDINGS)
    geoms, divs = (s_b, s_div) if module is S else (q_b, q_div)
    cleaned = module.clean(geoms)
    if cut:
        monkeypatch.setattr(module, "SUBDIVIDE_FROM", 0)
        monkeypatch.setattr(module, "PIECE_VERTICES", 8)
    return module.locate(cleaned.geoms, ~cleaned.empty, divs, rule)


def _same_location(a, b):
    assert a.home.tolist() == b.home.tolist()
    np.testing.assert_allclose(a.share, b.share, rtol=1e-9, atol=1e-12)
    for name in ("straddle", "partly_outside", "centroid_outside"):
        assert getattr(a, name).tolist() == getattr(b, name).tolist(), name
    assert a.shares.keys() == b.shares.keys()
    for k in a.shares:
        assert [d for d, _ in a.shares[k]] == [d for d, _ in b.shares[k]]
        np.testing.assert_allclose([f for _, f in a.shares[k]], [f for _, f in b.shares[k]], rtol=1e-9)


@pytest.mark.parametrize("rule", ["area", "centroid"])
@pytest.mark.parametrize("cut", [False, True])
def test_locate_alike(rule, cut, monkeypatch):
    s, q = _locate(S, rule, cut, monkeypatch), _locate(Q, rule, cut, monkeypatch)
    _same_location(s, q)
    assert s.home.tolist() == [0, 0, 0, 2, -1, 3, 2, 4, 0, 1, -1, -1, -1, 1, 1, 2, 3]
    assert np.flatnonzero(s.straddle).tolist() == [1, 3, 6, 13, 16]  # not the sliver (14), nor 5 (one division)
    assert np.flatnonzero(s.partly_outside).tolist() == [5, 6, 15, 16]
    assert np.flatnonzero(s.centroid_outside).tolist() == ([6] if rule == "centroid" else [])  # in 2's hole
    assert s.shares[1] == [(0, 0.5), (1, 0.5)]  # a tie: the lower index first
    assert s.shares[13] == [(1, pytest.approx(0.8)), (0, pytest.approx(0.2))]  # parts apart, no edge crossed


# -- overlaps ------------------------------------------------------------------------------------------------
PLANNING = [
    poly((0, 0), (100, 0), (100, 100), (0, 100), holes=[[(40, 40), (60, 40), (60, 60), (40, 60)]]),
    box(100, 0, 200, 50),  # shares an edge with the first
    shapely.MultiPolygon([box(300, 0, 310, 10), box(320, 0, 330, 10)]),
]


def test_overlap_area_alike():
    s_p, q_p = both(PLANNING)
    s_b, q_b = both(BUILDINGS + [box(45, 45, 55, 55), box(50, 30, 70, 70), box(305, 2, 325, 8), box(0, 0, 10, 10)])
    cs, cq = S.clean(s_b), Q.clean(q_b)
    a = S.overlap_area(cs.geoms, ~cs.empty, s_p)
    b = Q.overlap_area(cq.geoms, ~cq.empty, q_p, Q.tree(cq.geoms[~cq.empty]))
    np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-9)
    assert a[-4] == 0 and a[-3] == pytest.approx(20 * 40 - 10 * 20) and a[-2] == pytest.approx(60)
    assert a[-1] == pytest.approx(100)  # in a corner, touching two edges from inside
    assert a[1] == pytest.approx(200)   # across the shared edge: both halves count


# -- fingerprints --------------------------------------------------------------------------------------------
def _random_shapes(n, seed=3):
    rng = np.random.default_rng(seed)
    out = []
    for k in range(n):
        cx, cy = X0 + rng.uniform(0, 5e4), Y0 + rng.uniform(0, 5e4)
        if k % 3 == 0:  # on the 1 cm grid's half-way points: rounding must go GEOS's way
            cx, cy = np.floor(cx) + 0.005 + rng.integers(0, 100) / 100, np.floor(cy) + 0.015
        r = 10 ** rng.uniform(-2.5, 2)
        angles = np.sort(rng.uniform(0, 2 * np.pi, rng.integers(3, 12)))
        ring = np.c_[cx + r * np.cos(angles), cy + r * np.sin(angles)]
        shape = shapely.Polygon(ring[::-1] if k % 2 else ring)
        kind = k % 10
        if kind == 1:  # holes, in any order
            holes = [shapely.Point(cx + rng.uniform(-r / 3, r / 3), cy + rng.uniform(-r / 3, r / 3)).buffer(
                r / 10, int(rng.integers(1, 4))) for _ in range(rng.integers(1, 4))]
            shape = shapely.difference(shapely.Point(cx, cy).buffer(r), shapely.union_all(holes))
        elif kind == 2:
            far = shapely.affinity.translate(shape, 3 * r, r)
            shape = shapely.MultiPolygon([shape, far] if k % 4 else [far, shape])
        elif kind == 3:
            shape = shapely.make_valid(poly((0, 0), (r, r), (r, 0), (0, r)))
        elif kind == 4:
            shape = shapely.Point(cx, cy)
        elif kind == 5:
            shape = shapely.LineString(np.r_[ring, ring[:1]] if k % 4 else ring)
        elif kind == 6:  # tiny: collapses on the grid
            shape = shapely.Polygon([(cx, cy), (cx + .003, cy + .001), (cx + .001, cy + .004)])
        elif kind == 7:  # written as a multipolygon of one part (GEOS's precision reducer returns the part)
            shape = shapely.MultiPolygon([shape])
        elif kind == 8:  # a few centimetres: flat tops, repeated and crossing vertices on the grid
            shape = shapely.Polygon(np.c_[cx + rng.integers(0, 4, 6) * 0.01 + rng.uniform(-.004, .004, 6),
                                          cy + rng.integers(0, 4, 6) * 0.01 + rng.uniform(-.004, .004, 6)])
        elif kind == 9:
            shape = shapely.box(cx, cy, cx + r, cy + r / 2, ccw=bool(k % 4))
        if k % 7 == 0:
            shape = shapely.force_3d(shape)
        out.append(shape)
    return out


def test_fingerprints_are_byte_identical():
    """The identity of a building without an id is the sha1 of this WKB: the QGIS backend (and the
    in-database engine) must give exactly shapely's bytes, or existing registries would code again."""
    import shapely.affinity  # noqa: F401 (used by _random_shapes)
    s, q = both(_random_shapes(3000))
    expected = shapely.to_wkb(shapely.normalize(shapely.set_precision(s, 0.01, mode="pointwise")),
                              output_dimension=2).tolist()
    assert S.fingerprint_wkb(s) == expected
    assert Q.fingerprint_wkb(q) == expected
    assert [wkb.normalized(w, 0.01) for w in shapely.to_wkb(s)] == expected  # one at a time too
    for grid in (0.001, 1e-8):  # the field packages' keys
        assert wkb.normalized_many(shapely.to_wkb(s), grid) == shapely.to_wkb(
            shapely.normalize(shapely.set_precision(s, grid, mode="pointwise")), output_dimension=2).tolist()


# -- points, coverage, WKB -----------------------------------------------------------------------------------
def test_first_polygon_alike():
    s, q = both(DIVISIONS)
    rng = np.random.default_rng(0)
    x = np.r_[X0 + rng.uniform(-20, 420, 3000), X0 + 100, X0 + 100, np.nan]
    y = np.r_[Y0 + rng.uniform(-20, 270, 3000), Y0 + 50, Y0 + 150, 5]
    a, b = S.first_polygon(x, y, s), Q.first_polygon(x, y, q)
    assert a.tolist() == b.tolist()
    assert a[-3:].tolist() == [0, 4, -1] and set(a.tolist()) == {-1, 0, 1, 2, 3, 4}


def test_coverage_alike():
    divisions = [box(0, 0, 100, 100), box(100, 0, 200, 100), box(0, 100, 90, 200), box(110, 100, 200, 200),
                 box(80, 180, 130, 200), box(150, 50, 250, 150)]  # a gap in the middle, two overlaps
    s, q = both(divisions)
    gaps_s, over_s = S.coverage(s, 0.01, 200)
    gaps_q, over_q = Q.coverage(q, 0.01, 200)
    assert len(gaps_s) == len(gaps_q) == 1 and gaps_s[0][2] == pytest.approx(gaps_q[0][2]) == pytest.approx(1600)
    assert [o[:2] for o in over_s] == [o[:2] for o in over_q] == [(1, 5), (2, 4), (3, 4), (3, 5)]
    np.testing.assert_allclose([o[2:] for o in over_s], [o[2:] for o in over_q], rtol=1e-9)


def test_wkb_helpers_match_shapely():
    import shapely.affinity  # noqa: F401
    shapes = np.array(_random_shapes(400, seed=5) + [shapely.Point(), shapely.MultiPoint([(1, 2), (3, 4)]),
                                                     shapely.Point(1e-7, 123456789012.5)], dtype=object)
    data = shapely.to_wkb(shapes)
    assert wkb.to_wkt(data).tolist() == shapely.to_wkt(shapes, rounding_precision=-1).tolist()
    moved = wkb.transform_xy(np.r_[data, [None]], lambda x, y: (x * 2 + 1, y - 3))
    assert moved[-1] is None
    expected = shapely.transform(shapes, lambda xy: np.column_stack([xy[:, 0] * 2 + 1, xy[:, 1] - 3]),
                                 include_z=False)
    assert shapely.equals_exact(shapely.force_2d(shapely.from_wkb(moved[:-1])), expected, 0).all()
    assert shapely.has_z(shapely.from_wkb(moved[:-1])).tolist() == shapely.has_z(shapes).tolist()  # Z kept
    x, y = np.array([1.5, X0 + 0.125]), np.array([-2.0, Y0])
    assert wkb.points(x, y).tolist() == shapely.to_wkb(shapely.points(x, y)).tolist()
    kind, px, py = wkb.point_xy(np.r_[wkb.points(x, y), shapely.to_wkb(shapes[-2:-1]), [None]])
    assert kind.tolist() == [1, 1, 4, 0] and px[:3].tolist() == [1.5, X0 + 0.125, 1] and np.isnan(px[3])


# -- whole jobs without shapely ----------------------------------------------------------------------------
JOBS = r"""
import json, sys
from qgis.core import QgsApplication
app = QgsApplication([], False)
app.initQgis()
from citycode.plugin.core import speedups
from citycode.plugin.core.engine.assign import AssignJob, LayerInput, OverlayJob, run_assign, run_overlay
from citycode.plugin.core.engine.geometry import backend
assert not speedups.SHAPELY_OK and backend().__name__.endswith("geometry_qgis")
assert "shapely" not in sys.modules, "the plugin imported shapely"
spec = json.loads(sys.argv[1])
kind = spec.pop("kind")
spec["buildings"] = LayerInput(**spec["buildings"])
spec["planning"] = [LayerInput(**p) for p in spec.get("planning", [])]
if kind == "assign":
    spec["divisions"] = LayerInput(**spec["divisions"])
    result = run_assign(AssignJob(**spec))
else:
    result = run_overlay(OverlayJob(**spec))
print(json.dumps(dict(counts=result.counts, layer=result.output_layer)))
"""


def _rows(path, layer):
    """{id: {field: value}} of an output layer, read with OGR."""
    ds = ogr.Open(path)
    lyr = ds.GetLayerByName(layer)
    out = {}
    for f in lyr:
        row = f.items()
        out[row["id"]] = row
    return out


def _job(kind, gpkg, out, divisions=True, planning=(), **kw):
    spec = dict(kind=kind, buildings=dict(path=gpkg, layer="buildings"), output=str(out / "out.gpkg"),
                planning=[dict(path=gpkg, layer=p) for p in planning], **kw)
    if kind == "assign":
        spec.update(divisions=dict(path=gpkg, layer="divisions"), registry=str(out / "registry.sqlite"),
                    actor="tester", id_field=kw.get("id_field", "id"), year_field="year")
    return spec


def _run_without_shapely(spec):
    env = dict(os.environ, CITYCODE_SPEEDUPS="off", QT_QPA_PLATFORM="offscreen",
               PYTHONPATH=str(ROOT / "build" / "pkgroot"))
    proc = subprocess.run([sys.executable, "-c", JOBS, json.dumps(spec)], capture_output=True, text=True,
                          timeout=600, env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _run_here(spec):
    from citycode.plugin.core.engine.assign import AssignJob, LayerInput, OverlayJob, run_assign, run_overlay
    spec = dict(spec)
    kind = spec.pop("kind")
    spec["buildings"] = LayerInput(**spec["buildings"])
    spec["planning"] = [LayerInput(**p) for p in spec["planning"]]
    if kind == "assign":
        spec["divisions"] = LayerInput(**spec["divisions"])
        return run_assign(AssignJob(**spec))
    return run_overlay(OverlayJob(**spec))


def _compare(spec_here, spec_off):
    here = _run_here(spec_here)
    off = _run_without_shapely(spec_off)
    assert off["counts"] == here.counts
    a = _rows(spec_here["output"], here.output_layer)
    b = _rows(spec_off["output"], off["layer"])
    assert a.keys() == b.keys()
    exact = [f for f in ("citycode", "division", "cc_status", "cc_flags", "straddle") if f in next(iter(a.values()))]
    floats = [f for f in next(iter(a.values())) if f == "div_share" or f.endswith(("_area", "_pct"))]
    for k in a:
        for f in exact:
            assert a[k][f] == b[k][f], (k, f)
        for f in floats:
            assert b[k][f] == pytest.approx(a[k][f], rel=1e-6, abs=1e-4), (k, f)  # written rounded to 4-6 places
        if a[k].get("div_shares"):
            sa = [s.split(":") for s in a[k]["div_shares"].split(";")]
            sb = [s.split(":") for s in b[k]["div_shares"].split(";")]
            assert [d for d, _ in sa] == [d for d, _ in sb]
            np.testing.assert_allclose([float(v) for _, v in sa], [float(v) for _, v in sb], atol=1e-4)
    return here


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    if not MAKE_CITY.exists():
        pytest.skip("../shared/bench/make_city.py is not beside the repository")
    out = tmp_path_factory.mktemp("city") / "city_10k.gpkg"
    subprocess.run([sys.executable, str(MAKE_CITY), "--n", "10k", "--out", str(out)], check=True,
                   capture_output=True, timeout=600, cwd=str(out.parent))
    return str(out)


@pytest.mark.parametrize("rule", ["area", "centroid"])
def test_sample_town_without_shapely(rule, tmp_path, qgis_app):
    specs = [_job("assign", SAMPLE, tmp_path / name, planning=("stbhhx", "yjjbnt", "czkfbj"), rule=rule)
             for name in ("here", "off")]
    here = _compare(*specs)
    assert here.counts["repaired"] > 0 and here.counts["straddling"] > 0 and here.counts["outside"] > 0


def test_sample_town_fingerprints_and_overlay_without_shapely(tmp_path, qgis_app):
    """No id field: every identity is a geometry fingerprint, so the codes match only if they do."""
    _compare(*[_job("assign", SAMPLE, tmp_path / name, id_field=None) for name in ("here", "off")])
    _compare(*[_job("overlay", SAMPLE, tmp_path / f"o{name}", planning=("stbhhx", "yjjbnt"))
               for name in ("here", "off")])


@pytest.mark.parametrize("rule", ["area", "centroid"])
def test_synthetic_city_without_shapely(city, rule, tmp_path, qgis_app):
    specs = [_job("assign", city, tmp_path / name, planning=("redline", "farmland"), rule=rule)
             for name in ("here", "off")]
    here = _compare(*specs)
    assert here.counts["coded"] > 9000 and here.counts["straddling"] > 50


IMPORTS = r"""
import pkgutil, sys
sys.modules["shapely"] = None  # as on a QGIS without it: importing it fails
from qgis.core import QgsApplication
app = QgsApplication([], False)
app.initQgis()
import citycode.plugin
names = [m.name for m in pkgutil.walk_packages(citycode.plugin.__path__, "citycode.plugin.")
         if m.name != "citycode.plugin.core.engine.geometry_shapely"  # imported only when shapely is there
         and ".vendor." not in m.name]
for name in names:
    __import__(name)
from citycode.plugin.processing.provider import CityCodeProvider
provider = CityCodeProvider()
provider.loadAlgorithms()
print(len(names), len(provider.algorithms()))
"""


def test_every_module_and_algorithm_loads_without_shapely():
    """Debian 12's QGIS has no shapely: no module may import it when loaded (the provider once did)."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT / "build" / "pkgroot"))
    proc = subprocess.run([sys.executable, "-c", IMPORTS], capture_output=True, text=True, timeout=300, env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    modules, algorithms = map(int, proc.stdout.split()[-2:])
    assert modules > 40 and algorithms == 17


def test_reproject_alike():
    """Lon/lat layers are computed in a Gauss-Krüger zone: QGIS's transform and pyproj's give the same
    coordinates (the same PROJ underneath), so areas and shares agree."""
    from pyproj import CRS
    from citycode.plugin.core.china.crs import area_crs_wkt
    import shapely.affinity  # noqa: F401
    lonlat = CRS.from_epsg(4490).to_wkt()
    rng = np.random.default_rng(4)
    lon, lat = 117.1 + rng.uniform(0, 0.3, 500), 31.8 + rng.uniform(0, 0.3, 500)
    s = np.array([shapely.Point(a, b).buffer(2e-4, 3) for a, b in zip(lon, lat)] + [None], dtype=object)
    work = area_crs_wkt(lonlat, shapely.to_wkb(s))
    assert work != lonlat
    a, b = S.reproject(s, lonlat, work), Q.reproject(Q.from_wkb(shapely.to_wkb(s)), lonlat, work)
    assert b[-1] is None
    xy_a = shapely.get_coordinates(a[:-1])
    xy_b = shapely.get_coordinates(shapely.from_wkb(Q.to_wkb(b[:-1])))
    assert np.abs(xy_a - xy_b).max() < 1e-6  # metres
    np.testing.assert_allclose(S.area(a[:-1]), Q.area(b[:-1]), rtol=1e-9)
    assert Q.reproject(b, work, work) is b


# -- lazy geometries (the QGIS backend on a large layer) ------------------------------------------------------
def _ring_cases():
    rng = np.random.default_rng(11)
    shapes = _random_shapes(300)
    for k in range(200):  # random rings: some cross themselves, some do not
        m = int(rng.integers(4, 30))
        shapes.append(poly(*map(tuple, rng.uniform(0, 50, (m, 2)))))
    shapes += [box(0, 0, 20, 10), shapely.affinity.rotate(box(0, 0, 20, 8), 33), box(0, 0, 20, 10).reverse(),
               poly((0, 0), (10, 0), (10, 5), (5, 5), (5, 10), (0, 10)),              # L: valid, not convex
               poly((0, 0), (10, 10), (10, 0), (0, 10)),                              # bow tie: invalid
               poly(*[(10 * np.cos(a), 10 * np.sin(a)) for a in np.arange(5) * 4 * np.pi / 5]),  # pentagram
               poly((0, 0), (2, 0), (2, 1), (2, 2), (1, 2), (1, 3), (1, 2), (0, 2)),   # spike: invalid
               poly((0, 0), (1, 0), (1, 1), (0.5, 1), (0.5, 1), (0, 1)),               # repeated vertex: valid
               poly((0, 0), (4, 0), (4, 4), (2, 4), (2, 2), (3, 2), (2, 4), (0, 4)),   # touches itself: invalid
               poly((0, 0), (1, 0), (2, 0), (1, 0), (1, 1)),                          # goes back on itself
               shapely.MultiPolygon([box(0, 0, 3, 3)]), shapely.Point(X0, Y0).buffer(5, 4)]
    return shapes


def test_simple_polygons_are_valid_and_measured_as_geos():
    """wkb.simple_polygons lets a polygon skip GEOS only when GEOS would find it valid, and measures it as GEOS."""
    shapes = np.array(_ring_cases() + [None], dtype=object)
    data = np.array([None if g is None else shapely.to_wkb(g) for g in shapes], dtype=object)
    simple, area, bounds = wkb.simple_polygons(data, chunk=64)  # several chunks
    present = shapes[:-1]
    valid = shapely.is_valid(present)
    assert not (simple[:-1] & ~valid).any()
    one_ring = np.array([g.geom_type == "Polygon" and not g.has_z and not g.interiors
                         and 4 <= len(g.exterior.coords) <= 25 for g in present])
    assert simple[:-1][one_ring & valid].mean() > 0.9  # a few touch or are doubtful: GEOS decides those
    assert not simple[-1] and np.isnan(bounds[-1]).all()
    np.testing.assert_allclose(area[:-1][simple[:-1]], shapely.area(present[simple[:-1]]), rtol=1e-12)
    assert np.isnan(area[:-1][~simple[:-1]]).all()
    np.testing.assert_array_equal(bounds[:-1], shapely.bounds(present))
    np.testing.assert_array_equal(wkb.bounds_many(data), bounds)
    named = simple[-13:-1].tolist()  # the rectangles, the L and the repeated vertex: here; the others: GEOS
    assert named == [True, True, True, True, False, False, False, True, False, False, True, True]


def test_lazy_buildings_match_eager_and_stay_lazy(monkeypatch):
    """The QGIS backend's lazy buildings: the same emptiness, repairs, areas, divisions and overlaps as made
    eagerly, with geometries made only for the buildings near a division or planning edge."""
    from citycode.plugin.core.engine import buildings as B
    from citycode.plugin.core.engine.layers import Table
    monkeypatch.setattr(B, "geometry_backend", lambda: Q)
    rng = np.random.default_rng(5)
    far = [box(x, y, x + rng.uniform(2, 9), y + rng.uniform(2, 9)) for x, y in rng.uniform(5, 85, (400, 2))]
    shapes = list(BUILDINGS) + _ring_cases()[-12:] + far
    crs = 'PROJCS["CGCS2000 / 3-degree Gauss-Kruger zone 39",GEOGCS["China Geodetic ' \
        'Coordinate System 2000",DATUM["China_2000",SPHEROID["CGCS2000",6378137,298.257222101]],' \
        'PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],' \
        'PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",117],PARAMETER["scale_factor",1],' \
        'PARAMETER["false_easting",39500000],PARAMETER["false_northing",0],UNIT["metre",1]]'
    table = Table(columns={}, wkb=np.array([shapely.to_wkb(g) for g in shapes] + [None], dtype=object),
                  crs_wkt=crs, name="b")
    lazy, eager = B.BuildingGeometry(table, lazy=True), B.BuildingGeometry(table)
    assert isinstance(lazy.geoms, Q.LazyGeometries) and not isinstance(eager.geoms, Q.LazyGeometries)
    assert lazy.empty.tolist() == eager.empty.tolist() and lazy.repaired.tolist() == eager.repaired.tolist()
    np.testing.assert_allclose(lazy.area, eager.area, rtol=1e-12)
    divisions = Q.from_wkb(shapely.to_wkb(np.array(DIVISIONS, dtype=object)))
    for rule in ("area", "centroid"):
        _same_location(Q.locate(lazy.geoms, lazy.usable, divisions, rule, lazy.tree),
                       Q.locate(eager.geoms, eager.usable, divisions, rule, eager.tree))
    planning = Q.from_wkb(shapely.to_wkb(np.array(PLANNING, dtype=object)))
    np.testing.assert_allclose(Q.overlap_area(lazy.geoms, lazy.usable, planning, lazy.tree, lazy.area),
                               Q.overlap_area(eager.geoms, eager.usable, planning, eager.tree), rtol=1e-9, atol=1e-9)
    # Far from every edge (one division and one planning area around all of them): no geometry made at all
    lazy = B.BuildingGeometry(table, lazy=True)
    made = len(lazy.geoms._made)
    assert made < len(shapes) - 400
    around = Q.from_wkb(shapely.to_wkb(np.array([shapely.Point(X0, Y0).buffer(3000, 64)], dtype=object)))
    loc = Q.locate(lazy.geoms, lazy.usable, around, "centroid", lazy.tree)
    assert (loc.home[lazy.usable] == 0).all() and not loc.straddle.any()
    inside = Q.overlap_area(lazy.geoms, lazy.usable, around, lazy.tree, lazy.area)
    np.testing.assert_array_equal(inside, lazy.area)
    assert len(lazy.geoms._made) == made
    lazy.release()
    assert all(g is None for g in lazy.source_geoms[~lazy.repaired]) and lazy.geoms is None


def _lines_near(polygons, rng):
    """Lines of every kind against each polygon: far, near, crossing, along an edge, through a vertex, wholly
    inside, and a hair (1e-7 m) off an edge."""
    lines, owner = [], []
    for k, g in enumerate(polygons):
        x0, y0, x1, y1 = g.bounds
        ring = shapely.get_coordinates(shapely.get_exterior_ring(shapely.get_geometry(g, 0)))
        edge = ring[1] - ring[0]
        normal = np.array([-edge[1], edge[0]]) / max(np.hypot(*edge), 1e-12)
        inner = shapely.get_coordinates(g.representative_point())[0]
        cases = [
            [(x1 + 5, y0), (x1 + 9, y1 + 3)],                         # beside the box
            [(x0 - 1, y0 - 1), (x1 + 1, y1 + 1)],                     # across
            [tuple(ring[0]), (x0 - 7, y0 - 9)],                       # from a vertex
            [tuple(ring[0]), tuple(ring[1])],                         # along an edge
            [tuple(ring[0] + 1e-7 * normal), tuple(ring[1] + 1e-7 * normal)],   # a hair off it
            [tuple(ring[0] - 1e-7 * normal), tuple(ring[1] - 1e-7 * normal)],
            [tuple(inner), tuple(inner + 1e-3)],                      # inside
            list(map(tuple, rng.uniform([x0 - 3, y0 - 3], [x1 + 3, y1 + 3], (int(rng.integers(2, 17)), 2)))),
            list(map(tuple, rng.uniform([x0 - 3, y0 - 3], [x1 + 3, y1 + 3], (int(rng.integers(2, 17)), 2)))),
        ]
        lines += [np.array(c) for c in cases]
        owner += [k] * len(cases)
    return lines, np.array(owner)


def test_lines_outside_only_when_geos_finds_them_apart():
    """wkb.lines_outside calls a line outside a polygon only when GEOS finds them disjoint (never for one that
    touches, runs along an edge, lies inside or is a hair off an edge), and decides most lines clearly apart."""
    shapes = np.array(_ring_cases(), dtype=object)
    data = np.array([shapely.to_wkb(g) for g in shapes], dtype=object)
    simple = wkb.simple_polygons(data)[0]
    polygons, data = shapes[simple], data[simple]
    rng = np.random.default_rng(2)
    lines, owner = _lines_near(polygons, rng)
    out = wkb.lines_outside(data, lines, owner, np.arange(len(lines)))
    geos = np.array([shapely.LineString(line) for line in lines], dtype=object)
    distance = shapely.distance(polygons[owner], geos)
    assert shapely.disjoint(polygons[owner], geos)[out].all() and (distance[out] > 0).all()
    assert out[distance > 1e-3].mean() > 0.95
    assert out.reshape(-1, 9)[:, 0].all() and not out.reshape(-1, 9)[:, [1, 2, 3, 6]].any()
    # Not simple as drawn (None) or more edges than the test takes: left to GEOS
    many = poly(*[(10 * np.cos(a), 10 * np.sin(a)) for a in np.linspace(0, 2 * np.pi, wkb.OUTSIDE_EDGES + 2)[:-1]])
    far = [np.array([(X0 + 50, Y0), (X0 + 60, Y0)])]
    assert not wkb.lines_outside(np.array([None, shapely.to_wkb(many)], dtype=object), far * 2, np.array([0, 1]),
                                 np.array([0, 1])).any()


def test_lazy_overlaps_with_rings_inside_buildings(monkeypatch):
    """Planning rings that lie wholly inside a building, holes in one, buildings touching an edge from outside
    or sharing it: the lazy QGIS backend measures them as shapely does."""
    from citycode.plugin.core.engine import buildings as B
    from citycode.plugin.core.engine.layers import Table
    monkeypatch.setattr(B, "geometry_backend", lambda: Q)
    buildings = [box(0, 0, 40, 40), box(50, 0, 90, 40), box(100, 0, 110, 10), box(110, 0, 120, 10),
                 box(130, 0, 140, 10), poly((150, 0), (170, 0), (160, 15)), box(0, 50, 10, 60)]
    planning = [box(10, 10, 20, 20),                                       # inside building 0
                poly((45, -5), (95, -5), (95, 45), (45, 45), holes=[[(60, 10), (70, 10), (70, 20), (60, 20)]]),
                box(110, 0, 125, 10),                                      # shares 3's edges, touches 2
                box(140, 10, 145, 20),                                     # touches 4 at a corner
                poly((155, 5), (165, 5), (160, 10)),                       # inside the triangle
                box(-10, 45, 20, 70)]                                      # around building 6
    table = Table(columns={}, wkb=np.array([shapely.to_wkb(g) for g in buildings], dtype=object), crs_wkt=None,
                  name="b")
    lazy = B.BuildingGeometry(table, lazy=True)
    assert isinstance(lazy.geoms, Q.LazyGeometries)
    expected = S.overlap_area(np.array(buildings, dtype=object), np.ones(len(buildings), bool),
                              np.array(planning, dtype=object))
    got = Q.overlap_area(lazy.geoms, lazy.usable, Q.from_wkb(shapely.to_wkb(np.array(planning, dtype=object))),
                         lazy.tree, lazy.area)
    np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-9)
    assert got.tolist()[:6] == pytest.approx([100, 1500, 0, 100, 0, 25]) and got[6] == pytest.approx(100)
