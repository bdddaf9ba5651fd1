"""GCJ-02 / BD-09 <-> WGS84 / CGCS2000: plugin/core/china/datums.py and citycode:convertdatum.

Truth comes from other projects' published values (cited at each table) and from distances measured
in metres with pyproj.Geod, not from this code's own output.
"""
import hashlib
from pathlib import Path

import numpy as np
import pytest
import shapely
from pyproj import Geod, Transformer
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsField,
    QgsGeometry,
    QgsPoint,
    QgsProject,
    QgsVectorFileWriter,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant

from citycode.plugin.core.china import datums
from citycode.plugin.core.china.datums import (
    convert_geometries, convert_qgs_geometries, convert_qgs_geometry, convert_xy,
)
from citycode.plugin.vendor import prcoords

ROOT = Path(__file__).resolve().parent.parent
GEOD = Geod(ellps="WGS84")
CM = 0.01  # the accuracy asked of every inverse, in metres

# googollee/eviltransform, python/test.py (TESTS): wgsLat, wgsLng, gcjLat, gcjLng.
EVILTRANSFORM = [
    (31.1774276, 121.5272106, 31.17530398364597, 121.531541859215),  # shanghai
    (22.543847, 113.912316, 22.540796131694766, 113.9171764808363),  # shenzhen
    (39.911954, 116.377817, 39.91334545536069, 116.38404722455657),  # beijing
]
# (Its TESTS_bd are not used: PRCoords documents that eviltransform's BD-09 has wrong parameters,
# googollee/eviltransform#43/#44, and those values are 10-40 m off every other source.)

# wandergis/coordtransform, test/app.js, input (116.404, 39.915) lon, lat; outputs lon, lat.
CT_INPUT = (116.404, 39.915)
CT_WGS84_TO_GCJ02 = (116.41024449916938, 39.91640428150164)
CT_GCJ02_TO_BD09 = (116.41036949371029, 39.92133699351021)
CT_BD09_TO_GCJ02 = (116.39762729119315, 39.90865673957631)  # its one-step inverse
CT_GCJ02_TO_WGS84 = (116.39775550083061, 39.91359571849836)  # its one-step inverse

# hujiulong/gcoord, test/fixtures/china-cities.json: GCJ02 and BD09 lon, lat of city centres, given to
# 1e-7 degree (~1 cm). (Its WGS84 column differs from every formula by ~0.66 m, so only GCJ02/BD09 are used.)
GCOORD_GCJ02_BD09 = [
    ((114.022306, 33.0115324), (114.0287781, 33.0176697)),  # 驻马店市
    ((92.0512438, 31.4762063), (92.0576832, 31.4824421)),  # 那曲地区
    ((123.4314787, 41.8057023), (123.438095, 41.8114013)),  # 沈阳市
    ((116.0482308, 43.9334573), (116.0546232, 43.9397782)),  # 锡林郭勒盟
    ((108.6541485, 21.9799392), (108.6607283, 21.9856319)),  # 钦州市
    ((98.4943595, 39.7328234), (98.5008441, 39.7388949)),  # 酒泉市
]
GCOORD_ROUNDING_M = 0.02  # two values each rounded to 1e-7 degree

OUTSIDE_CHINA = [(139.6917, 35.6895), (-0.1276, 51.5072), (-74.006, 40.7128), (151.2093, -33.8688),
                 (137.9, 35.0), (100.0, 56.0)]  # Tokyo, London, New York, Sydney, just east / north of the box


def metres(lon1, lat1, lon2, lat2):
    return GEOD.inv(np.asarray(lon1, float), np.asarray(lat1, float),
                    np.asarray(lon2, float), np.asarray(lat2, float))[2]


@pytest.fixture(scope="module")
def china_points():
    """A grid plus random points over mainland China and Hainan (all inside the GCJ-02 box)."""
    gx, gy = np.meshgrid(np.linspace(73.6, 134.7, 40), np.linspace(18.2, 53.5, 30))
    rng = np.random.default_rng(20240601)
    lon = np.concatenate([gx.ravel(), rng.uniform(73.6, 134.7, 3000)])
    lat = np.concatenate([gy.ravel(), rng.uniform(18.2, 53.5, 3000)])
    return lon, lat


# -- vendored library ---------------------------------------------------------------------------------

def test_vendored_prcoords_is_the_published_file():
    """plugin/vendor/prcoords.py is PyPI's prcoords 1.0.2 file plus a 3-line header (sha256 in vendor/README.md)."""
    lines = (ROOT / "plugin" / "vendor" / "prcoords.py").read_bytes().splitlines(keepends=True)
    assert all(line.startswith(b"#") for line in lines[:3])
    digest = hashlib.sha256(b"".join(lines[3:])).hexdigest()
    assert digest == "e99d97fb0871fb67cef0d5869850e93e406ab37e837004c721b2152349c69cfa"
    assert "e99d97fb" in (ROOT / "plugin" / "vendor" / "README.md").read_text(encoding="utf-8")


def test_array_conversion_equals_prcoords_point_by_point(china_points):
    """The numpy evaluation of PRCoords' code gives PRCoords' own scalar results."""
    lon, lat = china_points[0][::7], china_points[1][::7]
    gcj = [prcoords.wgs_gcj((b, a), False) for a, b in zip(lon, lat)]
    x, y = convert_xy(lon, lat, "wgs84", "gcj02")
    np.testing.assert_allclose(x, [c.lon for c in gcj], rtol=0, atol=1e-12)
    np.testing.assert_allclose(y, [c.lat for c in gcj], rtol=0, atol=1e-12)
    bd = [prcoords.gcj_bd(c) for c in gcj]
    x, y = convert_xy(lon, lat, "wgs84", "bd09")
    np.testing.assert_allclose(x, [c.lon for c in bd], rtol=0, atol=1e-12)
    np.testing.assert_allclose(y, [c.lat for c in bd], rtol=0, atol=1e-12)


# -- published reference values -----------------------------------------------------------------------

def test_eviltransform_reference_values():
    wgs_lat, wgs_lon, gcj_lat, gcj_lon = map(np.array, zip(*EVILTRANSFORM))
    x, y = convert_xy(wgs_lon, wgs_lat, "wgs84", "gcj02")
    np.testing.assert_allclose(x, gcj_lon, rtol=0, atol=1e-9)
    np.testing.assert_allclose(y, gcj_lat, rtol=0, atol=1e-9)
    x, y = convert_xy(gcj_lon, gcj_lat, "gcj02", "wgs84")
    assert metres(x, y, wgs_lon, wgs_lat).max() <= CM


def test_coordtransform_reference_values():
    np.testing.assert_allclose(convert_xy(*CT_INPUT, "wgs84", "gcj02"), CT_WGS84_TO_GCJ02, rtol=0, atol=1e-9)
    np.testing.assert_allclose(convert_xy(*CT_INPUT, "gcj02", "bd09"), CT_GCJ02_TO_BD09, rtol=0, atol=1e-9)


def test_coordtransform_one_step_inverses_are_worse_than_ours():
    """coordtransform's inverses are one-step: re-applying the forward misses the start by decimetres to
    metres; ours lands within 1 mm."""
    for one_step, datum in ((CT_GCJ02_TO_WGS84, "wgs84"), (CT_BD09_TO_GCJ02, "gcj02")):
        src = "gcj02" if datum == "wgs84" else "bd09"
        ours = convert_xy(*CT_INPUT, src, datum)
        ours_back = convert_xy(*ours, datum, src)
        theirs_back = convert_xy(*one_step, datum, src)
        assert metres(*ours_back, *CT_INPUT) < 0.001
        assert metres(*theirs_back, *CT_INPUT) > 0.01
        assert metres(*ours, *one_step) > 0.01  # really a different answer


def test_gcoord_city_values_gcj02_bd09():
    gcj, bd = (np.array(v) for v in zip(*GCOORD_GCJ02_BD09))
    x, y = convert_xy(gcj[:, 0], gcj[:, 1], "gcj02", "bd09")
    assert metres(x, y, bd[:, 0], bd[:, 1]).max() <= GCOORD_ROUNDING_M
    x, y = convert_xy(bd[:, 0], bd[:, 1], "bd09", "gcj02")
    assert metres(x, y, gcj[:, 0], gcj[:, 1]).max() <= GCOORD_ROUNDING_M


# -- accuracy of the inverses over China ---------------------------------------------------------------

@pytest.mark.parametrize("start, via", [("wgs84", "gcj02"), ("wgs84", "bd09"), ("cgcs2000", "bd09"),
                                        ("gcj02", "bd09")])
def test_round_trip_within_a_centimetre(china_points, start, via):
    lon, lat = china_points
    x, y = convert_xy(lon, lat, start, via)
    assert metres(x, y, lon, lat).min() > 10  # really moved (the offsets range from ~25 m to ~1 km)
    back = convert_xy(x, y, via, start)
    assert metres(*back, lon, lat).max() <= CM


def test_inverse_then_forward_returns_the_input(china_points):
    """Starting from GCJ-02 / BD-09 data (the real use), our WGS84 maps forward onto the data again."""
    lon, lat = china_points
    for datum in ("gcj02", "bd09"):
        wgs = convert_xy(lon, lat, datum, "wgs84")
        assert metres(*convert_xy(*wgs, "wgs84", datum), lon, lat).max() <= CM


def test_one_step_inverse_is_off_by_metres_ours_is_not(china_points):
    """Why we iterate: PRCoords' one-step gcj_wgs (the formula most converters ship) misses by metres."""
    lon, lat = china_points
    gx, gy = convert_xy(lon, lat, "wgs84", "gcj02")
    one_step = [prcoords.gcj_wgs((b, a), False) for a, b in zip(gx, gy)]
    one_step_error = metres([c.lon for c in one_step], [c.lat for c in one_step], lon, lat)
    ours_error = metres(*convert_xy(gx, gy, "gcj02", "wgs84"), lon, lat)
    assert one_step_error.max() > 2.0
    assert ours_error.max() <= CM
    assert ours_error.max() < one_step_error.max() / 100


def test_agrees_with_prcoords_own_iterative_inverse(china_points):
    lon, lat = (a[::5] for a in china_points)
    gx, gy = convert_xy(lon, lat, "wgs84", "gcj02")
    bored = [prcoords.gcj_wgs_bored((b, a)) for a, b in zip(gx, gy)]
    x, y = convert_xy(gx, gy, "gcj02", "wgs84")
    assert metres(x, y, [c.lon for c in bored], [c.lat for c in bored]).max() <= CM


# -- outside China, shapes, errors ---------------------------------------------------------------------

def test_outside_china_gcj02_is_wgs84():
    lon, lat = (np.array(v) for v in zip(*OUTSIDE_CHINA))
    assert not datums.in_china(lon, lat).any()
    for src, dst in (("wgs84", "gcj02"), ("gcj02", "wgs84"), ("cgcs2000", "gcj02")):
        x, y = convert_xy(lon, lat, src, dst)
        assert np.array_equal(x, lon) and np.array_equal(y, lat)
    # BD-09 is Baidu's offset of GCJ-02 applied everywhere, so outside China it is that offset alone.
    np.testing.assert_array_equal(convert_xy(lon, lat, "wgs84", "bd09"), convert_xy(lon, lat, "gcj02", "bd09"))
    assert metres(*convert_xy(*convert_xy(lon, lat, "wgs84", "bd09"), "bd09", "wgs84"), lon, lat).max() <= CM


def test_inside_the_box_edge_is_shifted():
    assert metres(*convert_xy(137.8, 35.0, "wgs84", "gcj02"), 137.8, 35.0) > 50
    assert metres(*convert_xy(137.9, 35.0, "wgs84", "gcj02"), 137.9, 35.0) == 0


def test_mixed_inside_and_outside_in_one_array():
    lon = np.array([121.5, 139.6917, 116.4])
    lat = np.array([31.2, 35.6895, 39.9])
    x, y = convert_xy(lon, lat, "wgs84", "gcj02")
    moved = metres(x, y, lon, lat)
    assert moved[1] == 0 and moved[0] > 50 and moved[2] > 50


def test_shapes_scalars_and_input_untouched():
    lon = np.array([[116.0, 117.0], [118.0, 119.0]])
    lat = np.full((2, 2), 30.0)
    before = lon.copy()
    x, y = convert_xy(lon, lat, "gcj02", "wgs84")
    assert x.shape == y.shape == (2, 2)
    assert np.array_equal(lon, before)
    sx, sy = convert_xy(116.0, 30.0, "gcj02", "wgs84")
    assert sx.shape == () and float(sx) == x[0, 0] and float(sy) == y[0, 0]
    assert convert_xy(np.array([]), np.array([]), "bd09", "wgs84")[0].size == 0


def test_cgcs2000_is_wgs84_and_crs_labels():
    np.testing.assert_array_equal(convert_xy(116.4, 39.9, "cgcs2000", "wgs84"), (116.4, 39.9))
    np.testing.assert_array_equal(convert_xy(116.4, 39.9, "cgcs2000", "gcj02"),
                                  convert_xy(116.4, 39.9, "wgs84", "gcj02"))
    assert datums.lonlat_authid("cgcs2000") == "EPSG:4490"
    assert {datums.lonlat_authid(d) for d in ("wgs84", "gcj02", "bd09")} == {"EPSG:4326"}


def test_unknown_datum():
    with pytest.raises(ValueError, match="bd-09"):
        convert_xy(116.0, 39.0, "bd-09", "wgs84")


# -- whole geometries ----------------------------------------------------------------------------------

WKTS = [
    "POLYGON Z ((116.30 39.90 41, 116.32 39.90 42, 116.32 39.92 43, 116.30 39.92 44, 116.30 39.90 41),"
    " (116.305 39.905 1, 116.31 39.905 2, 116.31 39.91 3, 116.305 39.905 1))",
    "LINESTRING Z (121.47 31.23 5, 121.48 31.24 6, 139.69 35.69 7)",  # last vertex in Tokyo
    "MULTIPOINT ((113.26 23.13), (114.06 22.54))",
    "POLYGON ((104.06 30.66, 104.07 30.66, 104.07 30.67, 104.06 30.66))",
]


def _vertices(geom):
    return shapely.get_coordinates(geom, include_z=shapely.has_z(geom))


def test_convert_geometries_moves_every_vertex_and_keeps_z():
    geoms = np.array(shapely.from_wkt(WKTS + [None]), dtype=object)
    out = convert_geometries(geoms, "gcj02", "wgs84")
    assert out[-1] is None
    for before, after in zip(geoms[:-1], out[:-1]):
        assert shapely.get_type_id(after) == shapely.get_type_id(before)
        assert shapely.has_z(after) == shapely.has_z(before)
        assert shapely.get_num_interior_rings(after) == shapely.get_num_interior_rings(before)
        v0, v1 = _vertices(before), _vertices(after)
        x, y = convert_xy(v0[:, 0], v0[:, 1], "gcj02", "wgs84")
        np.testing.assert_array_equal(v1[:, 0], x)
        np.testing.assert_array_equal(v1[:, 1], y)
        if v0.shape[1] == 3:
            np.testing.assert_array_equal(v1[:, 2], v0[:, 2])


def test_qgs_geometries_keep_z_m_and_curves():
    geoms = [QgsGeometry.fromWkt(w) for w in (
        "LineStringZM (116.30 39.90 10 100, 116.31 39.91 11 101)",
        "CurvePolygonZ (CompoundCurveZ (CircularStringZ (116.30 39.90 1, 116.31 39.91 2, 116.32 39.90 3),"
        " (116.32 39.90 3, 116.30 39.90 1)))")] + [QgsGeometry()]
    out = convert_qgs_geometries(geoms, "wgs84", "bd09")
    assert out[2].isNull()
    for before, after in zip(geoms[:2], out[:2]):
        assert after.wkbType() == before.wkbType()
        v0, v1 = list(before.vertices()), list(after.vertices())
        assert len(v0) == len(v1)
        x, y = convert_xy([p.x() for p in v0], [p.y() for p in v0], "wgs84", "bd09")
        np.testing.assert_allclose([p.x() for p in v1], x, rtol=0, atol=1e-12)
        np.testing.assert_allclose([p.y() for p in v1], y, rtol=0, atol=1e-12)
        np.testing.assert_array_equal([p.z() for p in v1], [p.z() for p in v0])
        np.testing.assert_array_equal([p.m() for p in v1], [p.m() for p in v0])  # NaN where there is no M
    assert geoms[0].asWkt(3) == "LineStringZM (116.3 39.9 10 100, 116.31 39.91 11 101)"  # input untouched


def test_shapely_and_qgis_paths_agree():
    geoms = shapely.from_wkt(WKTS)
    via_shapely = convert_geometries(geoms, "bd09", "cgcs2000")
    via_qgis = convert_qgs_geometries([QgsGeometry.fromWkt(w) for w in WKTS], "bd09", "cgcs2000")
    for a, b in zip(via_shapely, via_qgis):
        assert shapely.equals_exact(a, shapely.from_wkb(bytes(b.asWkb())), tolerance=1e-12)
    single = convert_qgs_geometry(QgsGeometry.fromWkt(WKTS[0]), "bd09", "cgcs2000")
    assert single.equals(via_qgis[0])


# -- the Processing algorithm --------------------------------------------------------------------------

@pytest.fixture()
def provider(citycode_processing):
    from conftest import ensure_citycode_provider
    return ensure_citycode_provider()


def _layer(kind, crs, rows):
    """A memory layer of `kind` (e.g. "PointZ") with a name field; rows: (name, QgsGeometry)."""
    layer = QgsVectorLayer("{}?crs={}".format(kind, crs), "picked", "memory")
    layer.dataProvider().addAttributes([QgsField("name", QVariant.String)])
    layer.updateFields()
    features = []
    for name, geom in rows:
        f = QgsFeature(layer.fields())
        f.setAttributes([name])
        f.setGeometry(geom)
        features.append(f)
    assert layer.dataProvider().addFeatures(features)[0]
    return layer


def _gcj_points_layer():
    """Points picked on AMap (GCJ-02), labelled EPSG:4326 as web maps do, with Z."""
    return _layer("PointZ", "EPSG:4326", [
        (name, QgsGeometry(QgsPoint(gcj_lon, gcj_lat, 10.0 * i)))
        for i, ((_, _, gcj_lat, gcj_lon), name) in enumerate(zip(EVILTRANSFORM, ("shanghai", "shenzhen", "beijing")))])


def _run(params):
    import processing
    return processing.run("citycode:convertdatum", params)


def _out(result):
    layer = QgsVectorLayer(result["OUTPUT"], "out", "ogr")
    assert layer.isValid(), result["OUTPUT"]
    return layer, {f["name"]: f for f in layer.getFeatures()}


def test_algorithm_memory_points_gcj02_to_cgcs2000(provider, tmp_path):
    result = _run({"INPUT": _gcj_points_layer(), "FROM": "gcj02", "TO": "cgcs2000",
                   "OUTPUT": str(tmp_path / "wgs.gpkg")})
    layer, rows = _out(result)
    assert layer.crs().authid() == "EPSG:4490"
    assert QgsWkbTypes.hasZ(layer.wkbType())
    for i, (wgs_lat, wgs_lon, _, _) in enumerate(EVILTRANSFORM):
        p = next(rows[("shanghai", "shenzhen", "beijing")[i]].geometry().vertices())
        assert metres(p.x(), p.y(), wgs_lon, wgs_lat) <= CM
        assert p.z() == 10.0 * i


def test_algorithm_projected_geopackage_keeps_its_crs(provider, tmp_path):
    """EPSG:3857 data drawn on GCJ-02 tiles: unprojected, converted, projected back."""
    to_3857 = Transformer.from_crs("EPSG:4326", "EPSG:3857", always_xy=True)
    points = [(name, QgsGeometry(QgsPoint(*to_3857.transform(gcj_lon, gcj_lat))))
              for (_, _, gcj_lat, gcj_lon), name in zip(EVILTRANSFORM, ("shanghai", "shenzhen", "beijing"))]
    memory = _layer("Point", "EPSG:3857", points)
    gpkg = tmp_path / "tiles.gpkg"
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName, options.layerName = "GPKG", "picked"
    err = QgsVectorFileWriter.writeAsVectorFormatV3(memory, str(gpkg), QgsProject.instance().transformContext(),
                                                    options)
    assert err[0] == QgsVectorFileWriter.WriterError.NoError, err
    result = _run({"INPUT": "{}|layername=picked".format(gpkg), "FROM": "gcj02", "TO": "wgs84",
                   "OUTPUT": str(tmp_path / "out.gpkg")})
    layer, rows = _out(result)
    assert layer.crs() == QgsCoordinateReferenceSystem("EPSG:3857")
    for (wgs_lat, wgs_lon, _, _), name in zip(EVILTRANSFORM, ("shanghai", "shenzhen", "beijing")):
        p = rows[name].geometry().asPoint()
        lon, lat = to_3857.transform(p.x(), p.y(), direction="INVERSE")
        assert metres(lon, lat, wgs_lon, wgs_lat) <= CM


def test_algorithm_polygons_shapely_and_qgis_paths_agree(provider, tmp_path, monkeypatch):
    from citycode.plugin.processing import convert_datum

    polygons = _layer("PolygonZ", "EPSG:4326", [("block", QgsGeometry.fromWkt(WKTS[0])), ("empty", QgsGeometry())])
    expected = convert_geometries(shapely.from_wkt(WKTS[:1]), "bd09", "wgs84")[0]
    outputs = []
    for shapely_ok in (True, False):
        monkeypatch.setattr(convert_datum, "SHAPELY_OK", shapely_ok)
        result = _run({"INPUT": polygons, "FROM": "bd09", "TO": "wgs84",
                       "OUTPUT": str(tmp_path / "out_{}.gpkg".format(shapely_ok))})
        layer, rows = _out(result)
        # (QGIS 3.22's GeoPackage writer stores a null geometry as an empty one.)
        assert layer.featureCount() == 2 and rows["empty"].geometry().isEmpty()
        got = shapely.from_wkb(bytes(rows["block"].geometry().asWkb()))
        assert shapely.has_z(got)
        assert shapely.equals_exact(shapely.force_2d(got), shapely.force_2d(expected), tolerance=1e-12)
        outputs.append(got)
    assert shapely.equals_exact(outputs[0], outputs[1], tolerance=1e-12)


def test_algorithm_measured_lines_keep_m(provider, tmp_path):
    lines = _layer("LineStringZM", "EPSG:4326", [
        ("route", QgsGeometry.fromWkt("LineStringZM (121.47 31.23 5 0, 121.48 31.24 6 1500)"))])
    layer, rows = _out(_run({"INPUT": lines, "FROM": "wgs84", "TO": "gcj02", "OUTPUT": str(tmp_path / "m.gpkg")}))
    vertices = list(rows["route"].geometry().vertices())
    assert [(v.z(), v.m()) for v in vertices] == [(5, 0), (6, 1500)]
    assert metres(vertices[0].x(), vertices[0].y(), 121.47, 31.23) > 50
