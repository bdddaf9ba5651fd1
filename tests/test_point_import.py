"""Importing monitoring points and observation files: plugin/core/points/ (tables, coordinates, columns,
source_crs, point_import, observation_import).

Truths are worked out by hand (116°20′30″ = 116 + 20/60 + 30/3600), taken from where a fixture was made
(tests/data/points/make_fixtures.py: true positions before the GCJ-02 offset) or from pyproj (Gauss-Krüger
coordinates made from known longitudes/latitudes), never from this module's own output.
"""
import importlib.util
from pathlib import Path

import numpy as np
import pytest
import shapely
from pyogrio.raw import write as ogr_write
from pyproj import Geod, Transformer

from citycode.plugin.core.points.columns import detect_columns
from citycode.plugin.core.points.coordinates import DM, CoordinateError, infer_format, parse_column, parse_coordinate
from citycode.plugin.core.points.observation_import import import_observations, parse_time, parse_value
from citycode.plugin.core.points.point_import import ESTIMATED, _text_lost, import_points
from citycode.plugin.core.points.tables import read_rows
from citycode.plugin.core.engine.layers import InputError

DATA = Path(__file__).resolve().parent / "data" / "points"
GEOD = Geod(ellps="GRS80")


def fixtures_module():
    spec = importlib.util.spec_from_file_location("make_point_fixtures", DATA / "make_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def dms(d, m=0, s=0):
    return d + m / 60 + s / 3600


def write(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return str(path)


def problems(result):
    return [(p.line, p.column, p.reason) for p in result.problems]


def metres(lon1, lat1, lon2, lat2):
    return np.asarray(GEOD.inv(lon1, lat1, lon2, lat2)[2])


# -- single values ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, kind, fmt, expected", [
    ("116.3416", "lon", "decimal", 116.3416),
    ("116.3416E", "lon", "decimal", 116.3416),
    ("-33.5", "lat", "decimal", -33.5),
    ("１１６．３４１６", "lon", "decimal", 116.3416),           # full-width digits and point
    ("－33.5", "lat", "decimal", -33.5),                      # full-width minus
    ("116°20′30″", "lon", "decimal", dms(116, 20, 30)),
    ("116°20'30\"", "lon", "decimal", dms(116, 20, 30)),
    ("116º20’30”", "lon", "decimal", dms(116, 20, 30)),       # ordinal sign and curly quotes
    ("116度20分30秒", "lon", "decimal", dms(116, 20, 30)),
    ("116 20 30", "lon", "decimal", dms(116, 20, 30)),
    ("116:20:30", "lon", "decimal", dms(116, 20, 30)),
    ("116d20m30s", "lon", "decimal", dms(116, 20, 30)),
    ("E116°20′30″", "lon", "decimal", dms(116, 20, 30)),
    ("116°20′30″W", "lon", "decimal", -dms(116, 20, 30)),
    ("东经116度20分30秒", "lon", "decimal", dms(116, 20, 30)),
    ("西经 73°30′", "lon", "decimal", -dms(73, 30)),
    ("北纬39°54′", "lat", "decimal", dms(39, 54)),
    ("南纬33°30′", "lat", "decimal", -33.5),
    ("39°54′27.5″N", "lat", "decimal", dms(39, 54, 27.5)),
    ("116°20.5′", "lon", "decimal", dms(116, 20.5)),
    ("116.2", "lon", "dm", dms(116, 20)),
    ("116.05", "lon", "dm", dms(116, 5)),
    ("116.3015", "lon", "dm", dms(116, 30.15)),
    ("-33.3", "lat", "dm", -33.5),
    ("116.2030", "lon", "dms_packed", dms(116, 20, 30)),
    ("116.203", "lon", "dms_packed", dms(116, 20, 30)),       # Excel drops the trailing zero
    ("116°20′30″", "lon", "dm", dms(116, 20, 30)),            # marks win over the column's format
])
def test_parse_coordinate(text, kind, fmt, expected):
    assert parse_coordinate(text, kind, fmt) == pytest.approx(expected, abs=1e-10)


@pytest.mark.parametrize("text, kind, fmt, reason", [
    ("", "lon", "decimal", "empty"),
    ("abc", "lon", "decimal", "not a coordinate"),
    ("116°75′10″", "lon", "decimal", "minutes must be less than 60"),
    ("116°20′61″", "lon", "decimal", "seconds must be less than 60"),
    ("116.75", "lon", "dm", "minutes must be less than 60"),
    ("116.2075", "lon", "dms_packed", "seconds must be less than 60"),
    ("95", "lat", "decimal", "latitude out of range (-90 to 90)"),
    ("181", "lon", "decimal", "longitude out of range (-180 to 180)"),
    ("39°54′N", "lon", "decimal", "N/S marks a latitude, not a longitude"),
    ("116°20′E", "lat", "decimal", "E/W marks a longitude, not a latitude"),
    ("116.5°30′", "lon", "decimal", "not a coordinate"),     # decimal degrees followed by minutes
    ("11620'", "lon", "decimal", "not a coordinate"),        # no separator between degrees and minutes
    ("E116°N", "lon", "decimal", "not a coordinate"),
])
def test_parse_coordinate_errors(text, kind, fmt, reason):
    with pytest.raises(CoordinateError) as err:
        parse_coordinate(text, kind, fmt)
    assert str(err.value) == reason


def test_parse_column_keeps_positions():
    values = ["116.5", None, "116°30′", "x", 117.25, "１１８"]
    p = parse_column(values, "lon")
    np.testing.assert_allclose(p.values[[0, 2, 4, 5]], [116.5, 116.5, 117.25, 118.0])
    assert np.isnan(p.values[[1, 3]]).all()
    assert list(p.reasons) == [None, "empty", None, "not a coordinate", None, None]
    assert p.dms_text == 1


# -- files ------------------------------------------------------------------------------------------------------
MIXED_TRUTH = {  # station: (line, lon, lat)
    "S01": (2, 116.397477, 39.908692),
    "S02": (3, dms(116, 16, 31), dms(39, 59, 57)),
    "S03": (4, dms(116, 0, 56), dms(40, 21, 22)),
    "S04": (5, dms(116, 50, 30), dms(40, 29, 15)),
    "S05": (6, 116.6564, 39.9097),
    "S06": (7, dms(116, 8, 24), dms(39, 44, 6)),
    "S07": (9, dms(116, 38, 15), dms(40, 18, 36)),  # after S06's two-line quoted remark
    "S08": (10, 117.1213, 40.1406),
    "S14": (16, dms(115, 58, 30), dms(40, 27, 18)),
    "S15": (17, 116.1017, 39.9405),
    "S16": (18, 116.2312, 40.2207),
}


def test_mixed_csv():
    r = import_points(str(DATA / "mixed.csv"))
    assert r.encoding == "UTF-8" and r.delimiter == ","
    assert r.identity == list(MIXED_TRUTH)
    assert list(r.line) == [t[0] for t in MIXED_TRUTH.values()]
    np.testing.assert_allclose(r.lon, [t[1] for t in MIXED_TRUTH.values()], atol=1e-9)
    np.testing.assert_allclose(r.lat, [t[2] for t in MIXED_TRUTH.values()], atol=1e-9)
    assert problems(r) == [
        (11, "经度", "empty"),
        (12, "经度", "not a coordinate"),
        (13, "经度", "minutes must be less than 60"),
        (14, "纬度", "latitude out of range (-90 to 90)"),
        (15, None, "3 values where the header has 5 columns"),
        (19, "站号", "duplicate identity 'S02' (first at line 3)"),
    ]
    assert r.rows == 17 and len(r) + len(r.problems) == r.rows
    assert r.attributes["站名"][5] == "房山站" and r.attributes["备注"][5] == "带引号的\n两行备注"
    assert r.datum == "cgcs2000" and any("CGCS2000 assumed" in n for n in r.notes)
    assert r.formats == {"经度": "decimal", "纬度": "decimal"}
    assert any("byte order mark" in n for n in r.notes)


def test_reimport_gives_the_same_identities(tmp_path):
    r1 = import_points(str(DATA / "mixed.csv"))
    r2 = import_points(str(DATA / "mixed.csv"))
    assert r1.identity == r2.identity
    # Without an id column: a fingerprint of the coordinates as written and the name, independent of row order
    # and of other columns.
    rows = ["北站,116.30,39.95,甲", "南站,116.30,39.80,乙", "东站,116.45,39.90,丙"]
    a = import_points(write(tmp_path / "a.csv", "名称,经度,纬度,备注\n" + "\n".join(rows) + "\n"))
    changed = [rows[2].replace("丙", "新备注"), rows[0], rows[1]]
    b = import_points(write(tmp_path / "b.csv", "名称,经度,纬度,备注\n" + "\n".join(changed) + "\n"))
    assert dict(zip(a.attributes["名称"], a.identity)) == dict(zip(b.attributes["名称"], b.identity))
    assert len(set(a.identity)) == 3 and all(i.startswith("fp:") for i in a.identity)
    moved = import_points(write(tmp_path / "c.csv", "名称,经度,纬度,备注\n北站,116.31,39.95,甲\n"))
    assert moved.identity[0] != a.identity[0]


def test_duplicate_fingerprints(tmp_path):
    path = write(tmp_path / "dup.csv", "名称,经度,纬度\n北站,116.30,39.95\n南站,116.30,39.80\n北站,116.30,39.95\n")
    r = import_points(path)
    assert list(r.line) == [2, 3]
    assert [(p.line, p.reason.startswith("duplicate identity"), p.reason.endswith("(first at line 2)"))
            for p in r.problems] == [(4, True, True)]


def test_gbk_csv():
    r = import_points(str(DATA / "gbk_stations.csv"))
    assert r.encoding == "GB18030" and r.delimiter == ";"
    assert any("GB18030 (GBK)" in n for n in r.notes)
    assert r.identity == ["G01", "G02", "G03"]
    assert r.attributes["站点名称"][0] == "合肥市监测站，一号"  # the full-width comma is not a delimiter
    np.testing.assert_allclose(r.lon, [117.2272, 118.4331, 117.0634])
    assert r.problems == []


def test_gcj_xlsx_recovers_true_positions():
    truth = [t for t in fixtures_module().GCJ_TRUTH if t is not None and t[0] != "P04"]
    r = import_points(str(DATA / "gcj_points.xlsx"))
    assert r.datum == "gcj02" and any("GCJ-02" in n and "gcj_points" in n for n in r.notes)
    assert r.identity == [t[0] for t in truth]
    assert list(r.line) == [2, 3, 5, 7]  # spreadsheet rows: row 4 is empty
    assert metres(r.lon, r.lat, [t[2] for t in truth], [t[3] for t in truth]).max() < 0.5
    assert problems(r) == [(6, "经度", "outside China, where GCJ-02 does not apply")]
    # The raw GCJ-02 values are hundreds of metres off: the conversion did something.
    raw = read_rows(str(DATA / "gcj_points.xlsx"))
    assert metres(float(raw.columns["经度"][0]), float(raw.columns["纬度"][0]), truth[0][2], truth[0][3]) > 100


def test_chosen_datum_and_columns_override_inference():
    r = import_points(str(DATA / "gcj_points.xlsx"), datum="WGS84", x="经度", y="纬度", id_field="名称")
    assert r.datum == "wgs84" and any("(chosen)" in n for n in r.notes)
    assert r.identity[0] == "人民广场"
    assert float(r.lon[0]) == pytest.approx(117.2885632)  # as written: no datum shift


def test_dm_stations_header_hint():
    r = import_points(str(DATA / "dm_stations.csv"))
    assert r.formats == {"经度(度.分)": "dm", "纬度(度.分)": "dm"}
    assert any("as its header says" in n for n in r.notes)
    assert r.identity == ["54511", "54398", "54416", "54419", "54406"]
    np.testing.assert_allclose(r.lon, [dms(116, 28), dms(116, 52), dms(117, 7), dms(116, 38), dms(115, 58)])
    np.testing.assert_allclose(r.lat, [dms(39, 48), dms(40, 23), dms(40, 39), dms(40, 22), dms(40, 27)])
    assert problems(r) == [(7, "经度(度.分)", "minutes must be less than 60")]


def test_dm_inferred_only_on_strong_evidence(tmp_path):
    rng = np.random.default_rng(7)
    n = 25
    deg_lon, deg_lat = rng.integers(113, 119, n), rng.integers(35, 41, n)
    min_lon, min_lat = rng.integers(0, 60, n), rng.integers(0, 60, n)
    text = "站名,经度,纬度\n" + "".join("站{},{}.{:02d},{}.{:02d}\n".format(i, deg_lon[i], min_lon[i], deg_lat[i],
                                                                      min_lat[i]) for i in range(n))
    r = import_points(write(tmp_path / "stations.csv", text))
    assert r.formats == {"经度": "dm", "纬度": "dm"}
    assert any("degrees.minutes" in n and "chance" in n for n in r.notes)
    np.testing.assert_allclose(r.lon, deg_lon + min_lon / 60)
    np.testing.assert_allclose(r.lat, deg_lat + min_lat / 60)

    # Decimal degrees of one town: all below .60 too, but within one degree that says nothing.
    town = "站名,经度,纬度\n" + "".join("站{},117.{:04d},31.{:04d}\n".format(i, 2000 + 97 * i, 3000 + 61 * i)
                                        for i in range(30))
    t = import_points(write(tmp_path / "town.csv", town))
    assert t.formats == {"经度": "decimal", "纬度": "decimal"}
    assert float(t.lon[1]) == pytest.approx(117.2097)
    # Three towns a degree apart, every point in the lower part of its degree: clusters, not evidence.
    towns = "站名,经度,纬度\n" + "".join("站{}{},{:.2f},{:.2f}\n".format(
        k, i, 116.1 + k * 1.05 + 0.02 * i, 31.1 + k * 1.05 + 0.02 * i) for k in range(3) for i in range(10))
    assert import_points(write(tmp_path / "towns.csv", towns)).formats == {"经度": "decimal", "纬度": "decimal"}
    # One header says 度分, the other nothing: one list, one format.
    formats, notes = infer_format({"经度(度分)": ["116.28"], "纬度": ["39.48"]})
    assert formats == {"经度(度分)": "dm", "纬度": "dm"} and len(notes) == 2

    # Four decimals with seconds below 60: dm or packed dms cannot be told, decimal stays, with a note.
    packed = "站名,经度,纬度\n" + "".join("站{},{}.{:02d}{:02d},{}.{:02d}{:02d}\n".format(
        i, deg_lon[i], min_lon[i], min_lat[i], deg_lat[i], min_lat[i], min_lon[i]) for i in range(n))
    p = import_points(write(tmp_path / "packed.csv", packed))
    assert p.formats == {"经度": "decimal", "纬度": "decimal"}
    assert any("choose the format" in n for n in p.notes)
    chosen = import_points(write(tmp_path / "packed.csv", packed), fmt="dms_packed")
    np.testing.assert_allclose(chosen.lon, deg_lon + min_lon / 60 + min_lat / 3600)


def test_combined_column(tmp_path):
    text = ("编号\t名称\t坐标\n"
            "A\t甲\t116°20′30″E, 39°54′N\n"
            "B\t乙\t39°50′N，116°25′E\n"       # latitude first, full-width comma: the letters tell
            "C\t丙\t116.40\n")
    r = import_points(write(tmp_path / "combined.txt", text))
    assert r.delimiter == "\t" and r.columns.xy == "坐标"
    np.testing.assert_allclose(r.lon, [dms(116, 20, 30), dms(116, 25)])
    np.testing.assert_allclose(r.lat, [dms(39, 54), dms(39, 50)])
    assert problems(r) == [(4, "坐标", "not two coordinates separated by a comma")]
    # Latitude first without letters: China's ranges tell the order.
    lat_first = import_points(write(tmp_path / "latlon.csv", '名称,位置\n甲,"39.9,116.4"\n乙,"31.8,117.2"\n'))
    np.testing.assert_allclose(lat_first.lon, [116.4, 117.2])
    np.testing.assert_allclose(lat_first.lat, [39.9, 31.8])


def test_detect_columns_by_name_and_value():
    g = detect_columns(["点位编码", "站点名称", "经度(度)", "纬度(度)"], [["A", "甲", "116.1", "39.9"]])
    assert (g.id, g.name, g.x, g.y, g.how) == ("点位编码", "站点名称", "经度(度)", "纬度(度)", "name")
    g = detect_columns(["lng", "lat", "station_id"], [["116.1", "39.9", "7"]])
    assert (g.x, g.y, g.id) == ("lng", "lat", "station_id")
    # Nothing in the names: whole numbers (ids) are not degrees; the latitudes come first in the file.
    rows = [[str(100 + i), "{:.4f}".format(39.5 + i / 10), "{:.4f}".format(116.1 + i / 10)] for i in range(10)]
    g = detect_columns(["A", "B", "C"], rows)
    assert (g.x, g.y, g.how) == ("C", "B", "value")
    # Names only (no rows yet): id and name still found.
    g = detect_columns(["点位编号", "监测点名称", "备注"], [])
    assert (g.id, g.name, g.x, g.xy) == ("点位编号", "监测点名称", None, None)
    # Surveying X/Y: X holds the northings.
    g = detect_columns(["X", "Y"], [["3512345.6", "39512345.6"]])
    assert (g.x, g.y) == ("Y", "X")


def test_title_row_blank_lines_and_extra_values(tmp_path):
    text = ("合肥市大气监测点位一览表,,,\n"
            "编号,名称,经度,纬度\n"
            "A,甲,117.1,31.8\n"
            ",,,\n"
            "B,乙,117.2,31.9,多余\n"
            "C,丙,117.3,31.7,,\n")
    r = import_points(write(tmp_path / "titled.csv", text))
    assert r.identity == ["A", "C"] and list(r.line) == [3, 6]
    assert problems(r) == [(5, None, "5 values where the header has 4 columns")]
    assert any("title" in n for n in r.notes)


def test_datum_hints(tmp_path):
    body = "编号,经度(百度),纬度(百度)\nA,117.2,31.8\n"
    r = import_points(write(tmp_path / "points.csv", body))
    assert r.datum == "bd09" and any("BD-09" in n and "经度(百度)" in n for n in r.notes)
    r = import_points(write(tmp_path / "高德采集点.csv", "编号,经度,纬度\nA,117.2,31.8\n"))
    assert r.datum == "gcj02"
    r = import_points(write(tmp_path / "监测点_2000国家大地坐标系.csv", "编号,经度,纬度\nA,117.2,31.8\n"))
    assert r.datum == "cgcs2000" and any("the name" in n for n in r.notes)
    assert float(r.lon[0]) == 117.2
    with pytest.raises(InputError):
        import_points(write(tmp_path / "p.csv", "编号,经度,纬度\nA,117.2,31.8\n"), datum="Beijing54")


def test_geographic_crs_given_sets_the_datum(tmp_path):
    path = write(tmp_path / "高德.csv", "编号,经度,纬度\nA,117.2,31.8\n")
    r = import_points(path, crs="EPSG:4490")
    assert r.datum == "cgcs2000" and r.source_epsg is None and float(r.lon[0]) == 117.2
    assert import_points(path, crs="4326").datum == "gcj02"  # WGS84 labels do not beat the name 高德
    with pytest.raises(InputError):
        import_points(path, crs="EPSG:999999")


def test_gcj_outside_china_is_a_problem(tmp_path):
    r = import_points(write(tmp_path / "p.csv", "编号,经度,纬度\nA,117.2,31.8\nB,-73.98,40.75\n"), datum="gcj-02")
    assert r.identity == ["A"]
    assert problems(r) == [(3, "经度", "outside China, where GCJ-02 does not apply")]


# -- projected coordinates --------------------------------------------------------------------------------------
GK_LONLAT = [(117.2272, 31.8206), (117.5033, 31.6021), (116.9812, 32.0514)]


def gk(epsg):
    t = Transformer.from_crs("EPSG:4490", "EPSG:{}".format(epsg), always_xy=True)
    return [t.transform(lon, lat) for lon, lat in GK_LONLAT]


def test_gauss_kruger_with_zone_prefix(tmp_path):
    # CGCS2000 3° zone 39 with prefix (EPSG:4527); surveyors write X = northing, Y = easting.
    rows = ["K{},{:.3f},{:.3f}".format(i, north, east) for i, (east, north) in enumerate(gk(4527))]
    r = import_points(write(tmp_path / "gk.csv", "点号,X,Y\n" + "\n".join(rows) + "\n"))
    assert r.source_epsg == 4527 and r.formats == {"X": "", "Y": ""}
    assert any("surveying convention" in n for n in r.notes)
    assert metres(r.lon, r.lat, *zip(*GK_LONLAT)).max() < 0.01
    assert r.identity == ["K0", "K1", "K2"]


def test_gauss_kruger_without_prefix_needs_the_crs(tmp_path):
    rows = ["K{},{:.3f},{:.3f}".format(i, east, north) for i, (east, north) in enumerate(gk(4548))]
    path = write(tmp_path / "gk.csv", "点号,东坐标,北坐标\n" + "\n".join(rows) + "\n")
    with pytest.raises(InputError) as err:
        import_points(path)
    assert "zone" in str(err.value) and "Choose the CRS" in str(err.value)
    r = import_points(path, crs="EPSG:4548")
    assert r.source_epsg == 4548
    assert metres(r.lon, r.lat, *zip(*GK_LONLAT)).max() < 0.01


# -- vector files ---------------------------------------------------------------------------------------------------
def write_points(path, xy, crs, driver, **kw):
    geoms = np.array([None if p is None else shapely.to_wkb(shapely.Point(p)) for p in xy], dtype=object)
    n = len(xy)
    names = np.array(["站{}".format(i) for i in range(n)], dtype=object)
    codes = np.array(["V{}".format(i) for i in range(n)], dtype=object)
    ogr_write(str(path), geoms, [codes, names], ["站号", "名称"], driver=driver, geometry_type="Point", crs=crs,
              **kw)
    return str(path)


def test_geojson_points_labelled_wgs84_from_amap(tmp_path):
    truth = GK_LONLAT[:2]
    gcj_module = fixtures_module()
    gcj = [gcj_module._gcj(lon, lat) for lon, lat in truth]
    path = write_points(tmp_path / "amap_监测点.geojson", gcj, "EPSG:4326", "GeoJSON")
    r = import_points(path)
    assert r.columns.how == "geometry" and "geometry_x" not in r.attributes
    assert r.datum == "gcj02" and any("its CRS says WGS84" in n for n in r.notes)
    assert list(r.line) == [0, 1] and r.identity == ["V0", "V1"]
    assert metres(r.lon, r.lat, *zip(*truth)).max() < 0.5


def test_gpkg_points_in_cgcs2000(tmp_path):
    path = write_points(tmp_path / "points.gpkg", [GK_LONLAT[0], None, GK_LONLAT[2]], "EPSG:4490", "GPKG",
                        layer="监测点")
    r = import_points(path, layer="监测点")
    assert r.datum == "cgcs2000" and any("from the CRS" in n for n in r.notes)
    assert list(r.line) == [1, 3]  # GeoPackage feature ids start at 1
    assert problems(r) == [(2, "geometry_x", "empty")]
    np.testing.assert_allclose(np.c_[r.lon, r.lat], [GK_LONLAT[0], GK_LONLAT[2]])


def test_shapefile_gbk_projected(tmp_path):
    path = write_points(tmp_path / "测站.shp", gk(4527), "EPSG:4527", "ESRI Shapefile", encoding="GBK")
    (tmp_path / "测站.cpg").unlink()  # as ArcGIS on Chinese Windows leaves it: the text tells the encoding
    r = import_points(path)
    assert r.encoding == "GB18030" and r.attributes["名称"] == ["站0", "站1", "站2"]
    assert r.source_epsg == 4527 and list(r.line) == [0, 1, 2]
    assert metres(r.lon, r.lat, *zip(*GK_LONLAT)).max() < 0.01


def test_missing_coordinates_is_a_clear_error(tmp_path):
    with pytest.raises(InputError) as err:
        import_points(write(tmp_path / "p.csv", "编号,名称\nA,甲\n"))
    assert "no coordinate columns" in str(err.value)


# -- observations ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("2024-05-01 08:00", "2024-05-01T08:00:00"),
    ("2024/5/1 8:00", "2024-05-01T08:00:00"),
    ("2024年5月1日 8时", "2024-05-01T08:00:00"),
    ("2024年5月1日8时30分", "2024-05-01T08:30:00"),
    ("2024-05-01T08:00:00+08:00", "2024-05-01T08:00:00+08:00"),
    ("2024-05-01T00:00Z", "2024-05-01T00:00:00+00:00"),
    ("2024.5.1", "2024-05-01"),
    ("20240501", "2024-05-01"),
    ("2024/05/01 08:00:00", "2024-05-01T08:00:00"),
    ("45413.5", "2024-05-01T12:00:00"),  # Excel serial: 45413 days after 1899-12-30
])
def test_parse_time(text, expected):
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["2024-13-01", "2024-02-30 08:00", "昨天", "45413.5x"])
def test_parse_time_errors(text):
    with pytest.raises(ValueError):
        parse_time(text)


def test_excel_serials_only_from_spreadsheets():
    with pytest.raises(ValueError):
        parse_time("45413", excel=False)


@pytest.mark.parametrize("text, expected", [
    ("12.5", (12.5, "")), ("12,5", (12.5, "")), ("1,234.5", (1234.5, "")), ("１２．５", (12.5, "")),
    ("<0.01", (0.01, "<")), ("＜ 0.01", (0.01, "<")), ("0.01L", (0.01, "<")), (">500", (500.0, ">")),
    ("-3", (-3.0, "")), (7, (7.0, "")),
])
def test_parse_value(text, expected):
    assert parse_value(text) == expected


@pytest.mark.parametrize("text", ["ND", "未检出", "", "1.2.3"])
def test_parse_value_errors(text):
    with pytest.raises(ValueError):
        parse_value(text)


def test_observations_long():
    o = import_observations(str(DATA / "observations.csv"))
    assert o.layout == "long"
    assert o.columns == {"key": "点位编码", "time": "监测时间", "variable": "监测项目", "value": "监测值",
                         "unit": "单位"}
    assert list(o.line) == [2, 3, 4, 5, 6, 7, 8, 9, 10, 12]
    assert [(p.line, p.column) for p in o.problems] == [(11, "监测时间")]
    assert list(o.time[[0, 2, 4, 5]]) == ["2024-05-01T00:00:00", "2024-05-02T00:00:00", "2024-05-03T00:00:00",
                                          "2024-05-01T00:00:00+08:00"]
    assert float(o.value[6]) == 55.5 and float(o.value[7]) == 60.0
    assert (o.variable[8], o.value[8], o.censored[8]) == ("铅", 0.01, "<")
    assert set(o.censored[np.arange(len(o)) != 8]) == {""}
    assert set(o.unit) == {"μg/m³"}
    # The one day above the PM2.5 limit of 75 μg/m³.
    pm = (o.variable == "PM2.5") & (o.value > 75)
    assert list(zip(o.key[pm], o.time[pm])) == [("S01", "2024-05-02T00:00:00")]


def test_observations_wide_xlsx():
    o = import_observations(str(DATA / "observations_wide.xlsx"))
    assert o.layout == "wide"
    got = list(zip(o.line, o.key, o.time, o.variable, o.value, o.unit, o.censored))
    assert got == [
        (2, "S01", "2024-05-01T08:00:00", "PM2.5", 35.0, "μg/m³", ""),
        (2, "S01", "2024-05-01T08:00:00", "SO2", 12.0, "μg/m³", ""),
        (3, "S01", "2024-05-01T09:00:00", "PM2.5", 82.0, "μg/m³", ""),
        (3, "S01", "2024-05-01T09:00:00", "SO2", 3.0, "μg/m³", "<"),
        (4, "S02", "2024-05-01T08:00:00", "SO2", 9.0, "μg/m³", ""),  # its PM2.5 cell is empty
    ]
    assert any("1 empty cells" in n for n in o.notes)


def test_observations_with_chosen_columns_and_excel_serials(tmp_path):
    from osgeo import ogr
    path = tmp_path / "serials.xlsx"
    ds = ogr.GetDriverByName("XLSX").CreateDataSource(str(path))
    layer = ds.CreateLayer("数据", geom_type=ogr.wkbNone)
    for name, kind in (("站", ogr.OFTString), ("采样日", ogr.OFTReal), ("氨氮(mg/L)", ogr.OFTString)):
        layer.CreateField(ogr.FieldDefn(name, kind))
    for row in (("W1", 45413.25, "0.52"), ("W1", 45414.0, "0.025L"), ("W2", None, "0.3")):
        f = ogr.Feature(layer.GetLayerDefn())
        for i, v in enumerate(row):
            if v is not None:
                f.SetField(i, v)
        layer.CreateFeature(f)
    ds = None
    o = import_observations(str(path), columns={"key": "站", "time": "采样日"})
    assert list(o.time) == ["2024-05-01T06:00:00", "2024-05-02"]
    assert list(o.value) == [0.52, 0.025] and list(o.censored) == ["", "<"]
    assert list(o.variable) == ["氨氮", "氨氮"] and list(o.unit) == ["mg/L", "mg/L"]
    assert [(p.line, p.column, p.reason) for p in o.problems] == [(4, "采样日", "empty")]


# -- speed -------------------------------------------------------------------------------------------------------
def test_100k_points_import_whole(tmp_path):
    """A large file is imported whole (its speed is measured in `make bench`, not here)."""
    n = 100_000
    rng = np.random.default_rng(3)
    lon, lat = rng.uniform(115.5, 117.5, n), rng.uniform(39.5, 41.0, n)
    path = tmp_path / "many.csv"
    lines = ["{},{:.6f},{:.6f}".format(i, a, b) for i, a, b in zip(range(n), lon, lat)]
    path.write_text("站号,经度,纬度\n" + "\n".join(lines) + "\n", encoding="utf-8")
    r = import_points(str(path), datum="gcj02")
    assert len(r) == n and not r.problems
    assert np.abs(r.lon - lon).max() < 0.01 and np.abs(r.lat - lat).max() < 0.01  # GCJ-02 offsets are < 1 km


# -- national station lists (issue 15, item 4) ------------------------------------------------------------
# 中国气象局-style rows: 省, 站号, 站名, 纬度 and 经度 as degrees and minutes, 海拔高度 in metres (10000 added when
# estimated). Truth: the degrees and minutes written here.
STATIONS = [
    ("北京", "54511", "北京", (39, 48), (116, 28), "31.3"),
    ("河北", "53698", "石家庄", (38, 4), (114, 25), "81.0"),
    ("西藏", "55591", "拉萨", (29, 40), (91, 8), "13648.9"),
    ("青海", "52866", "西宁", (36, 37), (101, 45), "2295.2"),
    ("四川", "56294", "成?", (30, 40), (104, 2), "506.1"),
    ("广东", "59287", "广州", (23, 10), (113, 26), "41.0"),
    ("黑龙江", "50953", "哈尔滨", (45, 45), (126, 46), "142.3"),
    ("新疆", "51463", "乌鲁木齐", (43, 47), (87, 39), "935.0"),
    ("云南", "56778", "昆\ufffd", (25, 0), (102, 41), "11892.4"),
    ("上海", "58362", "上海", (31, 24), (121, 27), "5.5"),
    ("湖北", "57494", "锟斤拷汉", (30, 37), (114, 5), "23.3"),
    ("甘肃", "52889", "兰州", (36, 3), (103, 53), "11517.2"),
]
STATION_HEADER = "省,站号,站名,纬度,经度,海拔高度"


def _station_list(path, whole_numbers=True, encoding="gbk", header=STATION_HEADER):
    def dm(d, m):
        return "{}{:02d}".format(d, m) if whole_numbers else "{}.{:02d}".format(d, m)
    lines = [header] + [",".join((p, sid, name, dm(*lat), dm(*lon), alt)) for p, sid, name, lat, lon, alt in STATIONS]
    Path(path).write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding, errors="replace"))
    return path


def _station_truth():
    lat = np.array([d + m / 60 for _, _, _, (d, m), _, _ in STATIONS])
    lon = np.array([d + m / 60 for _, _, _, _, (d, m), _ in STATIONS])
    return lon, lat


@pytest.mark.parametrize("name, whole_numbers", [("stations.ini", True), ("stations.dat", False),
                                                 ("STATION_LIST", True), ("stations.txt", False)])
def test_national_station_list_whatever_its_extension(tmp_path, name, whole_numbers):
    """A GBK CSV body behind .ini/.dat/no extension, degrees.minutes as 3948 or 39.48: every station where it is,
    the header recognised, lost characters and estimated altitudes flagged per row."""
    path = _station_list(tmp_path / name, whole_numbers)
    imp = import_points(str(path))
    lon, lat = _station_truth()
    assert len(imp) == len(STATIONS) and imp.problems == []
    assert np.allclose(imp.lon, lon, atol=2e-5) and np.allclose(imp.lat, lat, atol=2e-5)  # CGCS2000 = the input
    assert imp.formats == {"经度": DM, "纬度": DM}
    assert (imp.columns.x, imp.columns.y, imp.columns.id, imp.columns.name) == ("经度", "纬度", "站号", "站名")
    assert imp.identity[0] == "54511" and imp.encoding == "GB18030"
    notes = "\n".join(imp.notes)
    assert "Altitude: column '海拔高度'" in notes and "Province: column '省'" in notes
    if not name.endswith(".txt"):
        assert "read as delimited text" in notes

    # altitudes: 10000 added means estimated; the true altitude and the flag are columns of their own
    assert imp.attributes["alt_flag"] == [ESTIMATED if float(s[5]) >= 10000 else None for s in STATIONS]
    assert imp.attributes["alt_true"][2] == pytest.approx(3648.9) and imp.attributes["alt_true"][0] == 31.3
    assert imp.attributes["海拔高度"][2] == "13648.9"  # the source column as it was
    assert "3 altitudes are marked estimated" in notes and "13648.9 is 3648.9 m" in notes

    # lost characters ('?', U+FFFD — GBK has none: written as '?' —, 锟斤拷) flagged per row
    lost = [i for i, s in enumerate(STATIONS) if "?" in s[2] or "\ufffd" in s[2] or "锟斤拷" in s[2]]
    assert [i for i, v in enumerate(imp.attributes["text_lost"]) if v] == lost
    assert {imp.attributes["text_lost"][i] for i in lost} == {"站名"}
    assert "3 rows have characters lost for good" in notes and "line 6" in notes


def test_station_list_headers_in_english_utf8_and_tenths_of_a_metre(tmp_path):
    """English header words, UTF-8, altitude in 0.1 m with 100000 added when estimated."""
    path = tmp_path / "stations"
    lines = ["Province;Station_ID;Station;Latitude;Longitude;Altitude(0.1m)"]
    lines += ["{};{};{};{}.{:02d};{}.{:02d};{}".format(p, sid, name.replace("?", "x").replace("\ufffd", "x")
                                                     .replace("锟斤拷", "x"), lat[0], lat[1], lon[0], lon[1],
                                                     int(round(float(alt) * 10)))  # +10000 m = +100000
              for p, sid, name, lat, lon, alt in STATIONS]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    imp = import_points(str(path))
    lon, lat = _station_truth()
    assert np.allclose(imp.lon, lon, atol=2e-5) and np.allclose(imp.lat, lat, atol=2e-5)
    assert (imp.columns.id, imp.columns.name) == ("Station_ID", "Station")
    assert imp.attributes["alt_flag"][2] == ESTIMATED and imp.attributes["alt_true"][2] == pytest.approx(3648.9)
    assert imp.attributes["alt_true"][0] == pytest.approx(31.3) and imp.attributes["alt_flag"][0] is None
    assert "text_lost" not in imp.attributes  # nothing lost: no flag column
    assert "Province: column 'Province'" in "\n".join(imp.notes)


@pytest.mark.parametrize("text, lost", [("成?", True), ("??", True), ("昆\ufffd明", True), ("锟斤拷汉", True),
                                        ("成都", False), ("Is it active?", False), ("", False), ("？站", True)])
def test_lost_characters(text, lost):
    assert _text_lost(text) is lost


def test_files_that_are_no_delimited_text_are_still_refused_clearly(tmp_path):
    binary = tmp_path / "data.ini"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    with pytest.raises(InputError) as e:
        import_points(str(binary))
    assert "data.ini" in str(e.value)
    prose = tmp_path / "readme.ini"
    prose.write_text("[settings]\nkey=value\nother=thing\n", encoding="utf-8")
    with pytest.raises(InputError):
        import_points(str(prose))


def test_station_list_coded_its_flags_in_the_output_and_the_report(tmp_path):
    """codepoints on the .ini station list, with one province-level division (written 110000) round it all:
    the point_province profile, the flag columns in the output, the flags in the report's input checks."""
    import json
    from pyogrio.raw import read as ogr_read
    from citycode.plugin.core.engine.layers import LayerInput
    from citycode.plugin.core.points.monitoring import PointJob, run_points
    divisions = tmp_path / "country.gpkg"
    ogr_write(str(divisions), layer="divisions", geometry=shapely.to_wkb(np.array([shapely.box(74, 17, 134.5, 53.5)])),
              field_data=[np.array(["110000"], dtype=object)], fields=["adcode"], geometry_type="Polygon",
              crs="EPSG:4490", driver="GPKG")
    path = _station_list(tmp_path / "stations.ini")
    result = run_points(PointJob(points=LayerInput(path=str(path)), divisions=LayerInput(path=str(divisions)),
                                 output=str(tmp_path / "coded.gpkg"), division_field="adcode",
                                 registry=str(tmp_path / "registry.sqlite"), report=str(tmp_path / "report.json"),
                                 actor="tester"))
    meta, _, _, fields = ogr_read(result.output, layer=result.output_layer)
    cols = dict(zip(meta["fields"], fields))
    assert [c[:4] for c in cols["citycode"].tolist()] == ["11JC"] * len(STATIONS)  # 2-digit division + JC
    assert cols["alt_flag"].tolist().count(ESTIMATED) == 3 and cols["text_lost"].tolist().count("站名") == 3
    report = json.loads(Path(result.report).read_text(encoding="utf-8"))
    assert report["inputs"]["profile"] == "point_province"
    flags = [n["message"] for n in report["input_checks"] if n["kind"] == "point_flags"]
    assert len(flags) == 2 and "estimated" in flags[0] and "lost for good" in flags[1]


def test_importpoints_algorithm_reads_the_ini_station_list(citycode_processing, tmp_path):
    """The station list as staff receive it (GBK, .ini), through citycode:importpoints: every station, the
    flag columns typed (alt_true a number), nothing refused."""
    import processing
    from qgis.core import QgsVectorLayer
    path = _station_list(tmp_path / "stations.ini")
    result = processing.run("citycode:importpoints", {"INPUT": str(path), "OUTPUT": str(tmp_path / "points.gpkg")})
    assert result["POINTS"] == len(STATIONS) and result["NOT_IMPORTED"] == 0
    layer = QgsVectorLayer(result["OUTPUT"], "points")
    features = sorted(layer.getFeatures(), key=lambda f: f["src_line"])
    assert layer.fields().field("alt_true").isNumeric()
    assert [f["alt_flag"] == ESTIMATED for f in features] == [float(s[5]) >= 10000 for s in STATIONS]
    assert features[2]["alt_true"] == pytest.approx(3648.9) and features[4]["text_lost"] == "站名"
    lon, lat = _station_truth()
    assert [f["lon_cgcs"] for f in features] == pytest.approx(lon.tolist(), abs=2e-5)
