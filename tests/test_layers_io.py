"""Reading and writing layers (plugin/core/engine/layers.py, layer_writer.py): the three readers — pyogrio +
pyarrow, osgeo.ogr's own Arrow stream ("gdal-arrow"), QGIS feature iteration — give the same Table (columns,
values, nulls, WKB, CRS, field order, geometry type), and the OGR writer (no pyogrio) writes what the pyogrio
writer writes: same fields and types, nulls, geometries, a .cpg for shapefiles, one spatial index for GeoPackages.

Fixtures are written with the plugin's own OGR writer or GDAL directly (so the module runs without pyogrio);
comparisons with pyogrio run where it is there.
"""
import os
import sqlite3
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from osgeo import ogr

from citycode.plugin.core.engine import layer_writer, layers
from citycode.plugin.core.engine.layers import GDAL_ARROW, PYOGRIO, QGIS, InputError, LayerInput
from citycode.plugin.core.speedups import ARROW_OK, ARROW_WRITE_OK

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = str(ROOT / "resources" / "sample" / "sample_town.gpkg")
MAKE_CITY = ROOT.parent / "shared" / "bench" / "make_city.py"
CRS_4526 = 'EPSG:4526'
X0, Y0 = 38_500_000.0, 4_400_000.0

needs_pyogrio = pytest.mark.skipif(not ARROW_OK, reason="pyogrio/pyarrow not importable")
readers = [pytest.param(PYOGRIO, marks=needs_pyogrio), GDAL_ARROW, QGIS]


def wkt(epsg):
    from osgeo import osr
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(epsg)
    return srs.ExportToWkt(["FORMAT=WKT2_2019"])


def square(i, size=10.0):
    x, y = X0 + 20 * i, Y0
    ring = ogr.Geometry(ogr.wkbLinearRing)
    for px, py in ((x, y), (x + size, y), (x + size, y + size), (x, y + size), (x, y)):
        ring.AddPoint_2D(px, py)
    poly = ogr.Geometry(ogr.wkbPolygon)
    poly.AddGeometry(ring)
    return bytes(poly.ExportToWkb(ogr.wkbNDR))


def plain(values):
    """Values compared across readers: NaN / NaT / None are all null; numpy scalars as Python."""
    out = []
    for v in np.asarray(values, dtype=object).tolist():
        if v is None or (isinstance(v, float) and v != v):
            out.append(None)
        elif isinstance(v, float) and v.is_integer():
            out.append(int(v))
        else:
            out.append(v)
    return out


def assert_same_table(a, b, fid_extra=False):
    names = [n for n in b.field_order if not (fid_extra and n == "fid")]
    assert a.field_order == names
    for n in a.field_order:
        assert plain(a.column(n)) == plain(b.column(n)), n
    assert a.wkb.tolist() == b.wkb.tolist()
    assert len(a) == len(b)


def same_crs(a, b):
    from qgis.core import QgsCoordinateReferenceSystem
    qa, qb = QgsCoordinateReferenceSystem.fromWkt(a), QgsCoordinateReferenceSystem.fromWkt(b)
    return qa.isValid() and qa.authid() == qb.authid() and qa.toProj() == qb.toProj()


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    """A synthetic city of 10k buildings (../shared/bench/make_city.py)."""
    if not MAKE_CITY.exists():
        pytest.skip("../shared/bench/make_city.py not found")
    out = tmp_path_factory.mktemp("city") / "city_10k.gpkg"
    subprocess.run([sys.executable, str(MAKE_CITY), "--n", "10k", "--out", str(out)], check=True,
                   capture_output=True)
    return str(out)


# -- reading ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("layer", ["buildings", "divisions", "projects", "monitoring_points"])
def test_gdal_arrow_reads_the_sample_town_as_qgis_does(qgis_app, layer):
    inp = LayerInput(path=SAMPLE, layer=layer)
    ours, theirs = layers.read(inp, engine=GDAL_ARROW), layers.read(inp, engine=QGIS)
    assert (ours.reader, theirs.reader) == (GDAL_ARROW, QGIS)
    assert_same_table(ours, theirs, fid_extra=True)
    assert ours.geometry_type == theirs.geometry_type
    assert same_crs(ours.crs_wkt, theirs.crs_wkt)


@needs_pyogrio
@pytest.mark.parametrize("layer", ["buildings", "divisions", "projects", "monitoring_points"])
def test_gdal_arrow_reads_the_sample_town_as_pyogrio_does(qgis_app, layer):
    inp = LayerInput(path=SAMPLE, layer=layer)
    ours, theirs = layers.read(inp, engine=GDAL_ARROW), layers.read(inp, engine=PYOGRIO)
    assert theirs.reader == PYOGRIO
    assert ours.field_order == theirs.field_order
    for n in ours.field_order:  # the same numpy arrays: dtypes too (integers with nulls as floats, NaN)
        a, b = ours.column(n), theirs.column(n)
        assert a.dtype == b.dtype, n
        assert plain(a) == plain(b), n
    assert ours.wkb.tolist() == theirs.wkb.tolist()
    assert (ours.geometry_type, ours.crs_wkt) == (theirs.geometry_type, theirs.crs_wkt)


def test_gdal_arrow_reads_a_synthetic_city_as_qgis_does(qgis_app, city):
    for layer in ("buildings", "divisions", "redline"):
        inp = LayerInput(path=city, layer=layer)
        ours, theirs = layers.read(inp, engine=GDAL_ARROW), layers.read(inp, engine=QGIS)
        assert len(ours) > 0
        assert_same_table(ours, theirs, fid_extra=True)
        if ARROW_OK:
            assert_same_table(ours, layers.read(inp, engine=PYOGRIO))


def test_files_are_read_fast_without_pyogrio(monkeypatch):
    monkeypatch.setattr(layers, "ARROW_OK", False)
    assert layers.fast_reader() == GDAL_ARROW
    assert layers.can_read_fast(LayerInput(path=SAMPLE, layer="buildings"))
    assert not layers.can_read_fast(LayerInput(source=object()))
    assert layers.read(LayerInput(path=SAMPLE, layer="divisions")).reader == GDAL_ARROW


def test_columns_subset(qgis_app):
    t = layers.read(LayerInput(path=SAMPLE, layer="buildings"), columns=["year", "id"], engine=GDAL_ARROW)
    assert t.field_order == ["id", "year"] and len(t.wkb) == len(t)


def test_bad_input_says_what_is_wrong(tmp_path):
    with pytest.raises(InputError, match="no_such_layer"):
        layers.read(LayerInput(path=SAMPLE, layer="no_such_layer"), engine=GDAL_ARROW)
    with pytest.raises(InputError, match="File not found"):
        layers.read(LayerInput(path=str(tmp_path / "missing.gpkg")), engine=GDAL_ARROW)
    bad = tmp_path / "bad.gpkg"
    bad.write_bytes(b"not a geopackage")
    with pytest.raises(InputError, match="Cannot read"):
        layers.read(LayerInput(path=str(bad)), engine=GDAL_ARROW)
    assert bad.read_bytes() == b"not a geopackage"


# -- fixtures written by the OGR writer, read back by every reader --------------------------------------
TEXT = ["城关镇幸福路12号楼", None, "东门街道综合楼", "包河区人民医院"]


def typed_columns():
    return [("名称", np.array(TEXT, dtype=object)),
            ("层数", np.array([3.0, np.nan, 12.0, 5.0])),          # an integer field with a null
            ("面积", np.array([101.5, 2.25, np.nan, 0.0])),
            ("大", np.array([1, 2, 3, 2 ** 40], dtype=np.int64)),
            ("日期", np.array(["2020-01-02", "NaT", "1999-12-31", "2024-02-29"], dtype="datetime64[D]")),
            ("时刻", np.array(["2020-01-02T03:04:05", "NaT", "2021-06-30T23:59:59", "2000-01-01T00:00:00"],
                            dtype="datetime64[ms]"))]


KINDS = {"层数": "Int", "大": "LongLong", "日期": "Date", "时刻": "DateTime"}


@pytest.mark.parametrize("reader", readers)
def test_types_nulls_and_dates_round_trip(tmp_path, qgis_app, reader):
    path = str(tmp_path / "typed.gpkg")
    wkb = np.array([square(i) for i in range(3)] + [None], dtype=object)
    layer_writer.write_table(path, "typed", typed_columns(), wkb, "Polygon", wkt(4526), kinds=KINDS)
    t = layers.read(LayerInput(path=path), engine=reader)
    assert [n for n in t.field_order if n != "fid"] == [n for n, _ in typed_columns()]
    assert t.column("名称").tolist() == TEXT
    assert plain(t.column("层数")) == [3, None, 12, 5]
    assert plain(t.column("面积")) == [101.5, 2.25, None, 0.0]
    assert plain(t.column("大")) == [1, 2, 3, 2 ** 40]
    dates = [None if v is None or v != v else str(v)[:10] for v in np.asarray(t.column("日期"), dtype=object)]
    assert dates == ["2020-01-02", None, "1999-12-31", "2024-02-29"]
    times = [None if v is None or v != v else str(v).replace(" ", "T")[:19]
             for v in np.asarray(t.column("时刻"), dtype=object)]
    assert times == ["2020-01-02T03:04:05", None, "2021-06-30T23:59:59", "2000-01-01T00:00:00"]
    assert t.wkb.tolist() == wkb.tolist()
    ds = ogr.Open(path)
    defn = ds.GetLayer(0).GetLayerDefn()
    types = {defn.GetFieldDefn(i).GetName(): defn.GetFieldDefn(i).GetTypeName() for i in range(defn.GetFieldCount())}
    assert types == {"名称": "String", "层数": "Integer", "面积": "Real", "大": "Integer64", "日期": "Date",
                     "时刻": "DateTime"}


@pytest.mark.parametrize("reader", readers)
def test_gbk_shapefile_without_cpg(tmp_path, qgis_app, reader):
    from osgeo import gdal
    shp = str(tmp_path / "房屋.shp")
    before = gdal.GetConfigOption("SHAPE_ENCODING")
    gdal.SetConfigOption("SHAPE_ENCODING", "")  # what QGIS's own provider sets: "do not recode"
    try:
        layer_writer.write_table(shp, "房屋", [("名称", np.array(TEXT, dtype=object)), ("id", np.arange(4))],
                                 np.array([square(i) for i in range(4)], dtype=object), "Polygon", wkt(4526),
                                 encoding="GBK")
    finally:
        gdal.SetConfigOption("SHAPE_ENCODING", before)
    assert "城关镇".encode("gbk") in Path(shp).with_suffix(".dbf").read_bytes()
    assert Path(shp).with_suffix(".cpg").read_text().strip().upper() in ("GBK", "CP936")
    os.remove(Path(shp).with_suffix(".cpg"))
    with open(Path(shp).with_suffix(".dbf"), "r+b") as f:  # no code page byte: as ArcGIS leaves it
        f.seek(29)
        f.write(b"\x00")
    t = layers.read(LayerInput(path=shp), engine=reader)
    assert t.encoding_how == "content" and t.encoding == "GB18030"
    assert t.field_order[0] == "名称" and t.column("名称").tolist() == [v or None for v in TEXT]


@pytest.mark.parametrize("reader", readers)
def test_empty_layer(tmp_path, qgis_app, reader):
    path = str(tmp_path / "empty.gpkg")
    layer_writer.write_table(path, "empty", [("name", np.array([], dtype=object)), ("n", np.array([], dtype=np.int32))],
                             np.array([], dtype=object), "MultiPolygon", wkt(4526))
    t = layers.read(LayerInput(path=path), engine=reader)
    assert len(t) == 0 and t.field_order[-2:] == ["name", "n"] and t.geometry_type == "MultiPolygon"
    assert len(t.column("name")) == 0 and len(t.column("n")) == 0


@pytest.mark.parametrize("reader", readers)
def test_layer_without_geometry(tmp_path, qgis_app, reader):
    path = str(tmp_path / "table.gpkg")
    layer_writer.write_table(path, "attributes", [("code", np.array(["a", None, "c"], dtype=object)),
                                            ("n", np.array([1, 2, 3]))], None, None, None)
    t = layers.read(LayerInput(path=path), engine=reader)
    assert t.column("code").tolist() == ["a", None, "c"] and plain(t.column("n")) == [1, 2, 3]
    assert t.wkb.tolist() == [None, None, None]
    if reader == GDAL_ARROW:
        assert t.geometry_type == "None"


# -- writing ------------------------------------------------------------------------------------------
def ogr_schema(path):
    ds = ogr.Open(path)
    layer = ds.GetLayer(0)
    defn = layer.GetLayerDefn()
    fields = [(defn.GetFieldDefn(i).GetName(), defn.GetFieldDefn(i).GetTypeName(),
               defn.GetFieldDefn(i).GetSubType()) for i in range(defn.GetFieldCount())]
    return fields, ogr.GeometryTypeToName(layer.GetGeomType()), layer.GetFeatureCount()


def coded_columns(n):
    return {"citycode": np.array(["3401040010012019%07d" % i if i % 4 else None for i in range(n)], dtype=object),
            "cc_area": np.where(np.arange(n) % 3 == 0, np.nan, np.arange(n) * 1.25),
            "cc_hit": (np.arange(n) % 2).astype(np.int32), "cc_big": np.arange(n, dtype=np.int64) * 10 ** 10}


@pytest.mark.parametrize("ext", [".gpkg", ".shp", ".geojson"])
def test_ogr_writer_writes_what_the_input_and_engine_hold(tmp_path, qgis_app, monkeypatch, ext):
    table = layers.read(LayerInput(path=SAMPLE, layer="buildings"), engine=GDAL_ARROW)
    new = coded_columns(len(table))
    monkeypatch.setattr(layer_writer, "ARROW_WRITE_OK", False)
    out = str(tmp_path / ("coded" + ext))
    assert layer_writer.write_layer(out, "coded", table, new, None, "auto") == {}
    back = layers.read(LayerInput(path=out), engine=GDAL_ARROW)
    assert back.field_order == table.field_order + list(new)
    for n in table.field_order:
        assert plain(back.column(n)) == plain(table.column(n)), n
    for n, values in new.items():
        assert plain(back.column(n)) == plain(values), n
    fields, geometry_type, count = ogr_schema(out)
    types = {name: t for name, t, _ in fields}
    assert count == len(table)
    assert types["citycode"] == "String" and types["cc_area"] == "Real" and types["cc_big"] == "Integer64"
    if ext != ".geojson":  # GeoJSON declares no types: its reader takes the smallest that holds the values
        assert types["id"] == "Integer64" and types["year"] == "Integer" and types["cc_hit"] == "Integer"
    if ext == ".gpkg":
        assert geometry_type == "Multi Polygon" and back.wkb.tolist() == table.wkb.tolist()
        con = sqlite3.connect(out)
        assert con.execute("SELECT count(*) FROM rtree_coded_geom").fetchone()[0] == np.not_equal(table.wkb,
                                                                                                   None).sum()
        assert None not in con.execute("SELECT min_x, max_y FROM gpkg_contents WHERE table_name = 'coded'").fetchone()
        assert con.execute("SELECT feature_count FROM gpkg_ogr_contents").fetchone()[0] == len(table)
        con.close()
    if ext == ".shp":
        assert Path(out).with_suffix(".cpg").read_text().strip().upper() == "UTF-8"


@pytest.mark.skipif(not ARROW_WRITE_OK, reason="pyogrio's Arrow writer needs GDAL >= 3.8")
@pytest.mark.parametrize("ext", [".gpkg", ".shp"])
def test_ogr_and_pyogrio_writers_agree(tmp_path, qgis_app, monkeypatch, ext):
    table = layers.read(LayerInput(path=SAMPLE, layer="buildings"), engine=PYOGRIO)
    new = coded_columns(len(table))
    out_arrow, out_ogr = str(tmp_path / ("a" + ext)), str(tmp_path / ("o" + ext))
    layer_writer.write_layer(out_arrow, "coded", table, new, None, "auto")
    monkeypatch.setattr(layer_writer, "ARROW_WRITE_OK", False)
    layer_writer.write_layer(out_ogr, "coded",
                             layers.read(LayerInput(path=SAMPLE, layer="buildings"), engine=GDAL_ARROW), new, None,
                             "auto")
    a, o = ogr_schema(out_arrow), ogr_schema(out_ogr)
    assert [f[:2] for f in a[0]] == [f[:2] for f in o[0]] and a[1:] == o[1:]
    assert_same_table(layers.read(LayerInput(path=out_ogr), engine=GDAL_ARROW),
                      layers.read(LayerInput(path=out_arrow), engine=GDAL_ARROW))


def test_shapefile_field_names_are_cut_on_characters(tmp_path, qgis_app, monkeypatch):
    table = layers.read(LayerInput(path=SAMPLE, layer="buildings"), engine=GDAL_ARROW)
    monkeypatch.setattr(layer_writer, "ARROW_WRITE_OK", False)
    n = len(table)
    new = {"生态保护红线_area": np.arange(n) * 0.5, "生态保护红线_pct": np.arange(n) * 0.25}
    out = str(tmp_path / "结果.shp")
    renamed = layer_writer.write_layer(out, "结果", table, new, None, "auto")
    assert set(renamed) == set(new)
    assert all(len(v.encode("utf-8")) <= 10 for v in renamed.values())
    assert len(set(renamed.values())) == 2
    back = layers.read(LayerInput(path=out), engine=GDAL_ARROW)
    for name, values in new.items():
        assert plain(back.column(renamed[name])) == plain(values)


def test_multi_layers_get_multi_geometries(tmp_path):
    path = str(tmp_path / "multi.gpkg")
    layer_writer.write_table(path, "m", [("n", np.arange(2))], np.array([square(0), square(1)], dtype=object),
                             "MultiPolygon", wkt(4526))
    geoms = [ogr.CreateGeometryFromWkb(w) for w in layers.read(LayerInput(path=path), engine=GDAL_ARROW).wkb]
    assert [g.GetGeometryType() for g in geoms] == [ogr.wkbMultiPolygon] * 2
    assert [round(g.GetArea(), 6) for g in geoms] == [100.0, 100.0]


def test_write_failure_leaves_nothing(tmp_path):
    out = tmp_path / "no_such_folder" / "x.gpkg"
    with pytest.raises(InputError, match="Cannot write"):
        layer_writer.write_table(str(out), "x", [("n", np.arange(1))], np.array([square(0)], dtype=object), "Polygon",
                                 wkt(4526))
    assert not out.exists()


# -- the engine -------------------------------------------------------------------------------------------
def test_engine_codes_are_the_same_with_every_reader(tmp_path, qgis_app):
    from citycode.plugin.core.engine.assign import AssignJob, run_assign
    codes = {}
    for engine in [GDAL_ARROW, QGIS] + ([PYOGRIO] if ARROW_OK else []):
        result = run_assign(AssignJob(
            buildings=LayerInput(path=SAMPLE, layer="buildings"), divisions=LayerInput(path=SAMPLE, layer="divisions"),
            planning=[LayerInput(path=SAMPLE, layer="stbhhx")], output=str(tmp_path / engine / "out.gpkg"),
            id_field="id", year_field="year", registry=str(tmp_path / engine / "registry.sqlite"), actor="t",
            engine=engine))
        assert result.engine == engine
        out = layers.read(LayerInput(path=result.output, layer=result.output_layer), engine=GDAL_ARROW)
        codes[engine] = dict(zip(out.column("id").tolist(), out.column("citycode").tolist()))
    assert len(set(map(lambda c: tuple(sorted(c.items(), key=str)), codes.values()))) == 1
    assert sum(v is not None for v in codes[GDAL_ARROW].values()) > 1000


def test_auto_engine_names_the_reader(monkeypatch):
    from citycode.plugin.core.engine import jobs
    inputs = [LayerInput(path=SAMPLE, layer="buildings")]
    monkeypatch.setattr(layers, "ARROW_OK", False)
    assert jobs.engine_for("auto", inputs) == GDAL_ARROW
    assert jobs.engine_for("arrow", inputs) == GDAL_ARROW
    assert jobs.engine_for("auto", inputs + [LayerInput(source=object())]) == QGIS


def test_a_geopackage_that_is_there_gets_one_more_layer(tmp_path):
    path = str(tmp_path / "package.gpkg")
    wkb = np.array([square(0)], dtype=object)
    layer_writer.write_table(path, "a", [("n", np.array([1]))], wkb, "Polygon", wkt(4526))
    layer_writer.write_table(path, "b", [("n", np.array([2]))], wkb, "Polygon", wkt(4526))
    layer_writer.write_table(path, "a", [("n", np.array([3]))], wkb, "Polygon", wkt(4526))  # replaces a
    ds = ogr.Open(path)
    assert sorted(ds.GetLayer(i).GetName() for i in range(ds.GetLayerCount())) == ["a", "b"]
    ds = None
    assert plain(layers.read(LayerInput(path=path, layer="a"), engine=GDAL_ARROW).column("n")) == [3]
    assert plain(layers.read(LayerInput(path=path, layer="b"), engine=GDAL_ARROW).column("n")) == [2]
    with pytest.raises(InputError, match="Cannot write"):  # a failure there keeps what the file held
        layer_writer.write_table(path, "c", [("n", np.array([1]))], wkb, "Polygon", "not a CRS")
    assert plain(layers.read(LayerInput(path=path, layer="b"), engine=GDAL_ARROW).column("n")) == [2]


def test_feature_count_triggers_are_back_after_writing(tmp_path):
    path = str(tmp_path / "counted.gpkg")
    layer_writer.write_table(path, "t", [("n", np.arange(5))], np.array([square(i) for i in range(5)], dtype=object),
                             "Polygon", wkt(4526))
    con = sqlite3.connect(path)
    triggers = sorted(r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND "
                                                "name LIKE 'trigger_%_feature_count_t'"))
    count = con.execute("SELECT feature_count FROM gpkg_ogr_contents WHERE table_name = 't'").fetchone()[0]
    con.close()
    assert triggers == ["trigger_delete_feature_count_t", "trigger_insert_feature_count_t"] and count == 5
    ds = ogr.Open(path, 1)  # another writer adds a row: the count follows
    layer = ds.GetLayerByName("t")
    feature = ogr.Feature(layer.GetLayerDefn())
    feature.SetField("n", 9)
    assert layer.CreateFeature(feature) == 0
    ds = layer = None
    assert ogr.Open(path).GetLayerByName("t").GetFeatureCount() == 6
    assert len(layers.read(LayerInput(path=path), engine=GDAL_ARROW)) == 6


def test_the_packed_spatial_index_is_the_one_gdal_builds(tmp_path):
    """The R-tree packed at once (gpkg_rtree) holds the boxes GDAL's own index holds, rounded as SQLite
    rounds them, passes SQLite's check, finds what GDAL's finds, and GDAL keeps it up to date afterwards."""
    rng = np.random.default_rng(7)
    n = 3000  # three levels of nodes
    wkb = np.array([square(0, size) for size in rng.uniform(0.5, 80, n)], dtype=object)
    shifts = rng.uniform(-2e4, 2e4, (n, 2))
    wkb = np.array([_shifted(g, dx, dy) for g, (dx, dy) in zip(wkb, shifts)] + [None], dtype=object)[:-1]
    wkb[5], wkb[9] = None, ogr.Geometry(ogr.wkbPolygon).ExportToIsoWkb()  # no geometry, an empty one
    path, gdal_path = str(tmp_path / "packed.gpkg"), str(tmp_path / "gdal.gpkg")
    layer_writer.write_table(path, "t", [("n", np.arange(n))], wkb, "Polygon", wkt(4526))
    layer_writer.write_table(gdal_path, "t", [("n", np.arange(n))], wkb, "Polygon", wkt(4526))
    ds = ogr.Open(gdal_path, 1)  # GDAL's own index of the same rows, built by its SQL functions
    for sql in ("SELECT DisableSpatialIndex('t', 'geom')", "SELECT CreateSpatialIndex('t', 'geom')"):
        ds.ReleaseResultSet(ds.ExecuteSQL(sql))
    ds = None
    packed, built = sqlite3.connect(path), sqlite3.connect(gdal_path)
    rows = "SELECT id, minx, maxx, miny, maxy FROM rtree_t_geom ORDER BY id"
    assert packed.execute(rows).fetchall() == built.execute(rows).fetchall()
    assert len(packed.execute(rows).fetchall()) == n - 2
    assert packed.execute("SELECT rtreecheck('rtree_t_geom')").fetchone()[0] == "ok"
    box = "SELECT id FROM rtree_t_geom WHERE maxx >= ? AND minx <= ? AND maxy >= ? AND miny <= ? ORDER BY id"
    for x, y in rng.uniform(-2e4, 2e4, (10, 2)):
        where = (X0 + x, X0 + x + 3000, Y0 + y, Y0 + y + 3000)
        assert packed.execute(box, where).fetchall() == built.execute(box, where).fetchall()
    packed.close(), built.close()
    ds = ogr.Open(path, 1)  # GDAL's triggers are back: a row added is indexed
    layer = ds.GetLayerByName("t")
    feature = ogr.Feature(layer.GetLayerDefn())
    feature.SetGeometry(ogr.CreateGeometryFromWkb(square(0)))
    assert layer.CreateFeature(feature) == 0
    layer.SetSpatialFilterRect(X0, Y0, X0 + 10, Y0 + 10)
    assert feature.GetFID() in [f.GetFID() for f in layer]
    ds = layer = None


def _shifted(data: bytes, dx: float, dy: float) -> bytes:
    g = ogr.CreateGeometryFromWkb(data)
    ring = g.GetGeometryRef(0)
    for i in range(ring.GetPointCount()):
        ring.SetPoint_2D(i, ring.GetX(i) + dx, ring.GetY(i) + dy)
    return g.ExportToIsoWkb()


def test_geopackage_geometries_carry_their_envelope_and_the_index_finds_them(tmp_path, qgis_app):
    """Written as GDAL writes them: each blob's header holds its [minx, maxx, miny, maxy], the layer extent is
    the exact one, and a spatial filter through the R-tree finds what a full scan finds."""
    table = layers.read(LayerInput(path=SAMPLE, layer="buildings"), engine=GDAL_ARROW)
    out = str(tmp_path / "coded.gpkg")
    layer_writer.write_layer(out, "coded", table, coded_columns(len(table)), None, "auto")
    con = sqlite3.connect(out)
    blobs = [b for (b,) in con.execute("SELECT geom FROM coded ORDER BY fid")]
    extent = con.execute("SELECT min_x, min_y, max_x, max_y FROM gpkg_contents WHERE table_name = 'coded'").fetchone()
    con.close()
    boxes = []
    assert None in blobs  # the sample has buildings without geometry: they stay NULL
    for blob in filter(None, blobs):
        assert blob[:2] == b"GP" and blob[3] & 0x0E == 0x02  # envelope: minx, maxx, miny, maxy
        minx, maxx, miny, maxy = struct.unpack("<4d", blob[8:40])
        g = ogr.CreateGeometryFromWkb(blob[40:])
        assert (minx, maxx, miny, maxy) == g.GetEnvelope()
        boxes.append((minx, miny, maxx, maxy))
    boxes = np.array(boxes)
    assert extent == (boxes[:, 0].min(), boxes[:, 1].min(), boxes[:, 2].max(), boxes[:, 3].max())
    x0, y0, x1, y1 = np.percentile(boxes[:, 0], 30), np.percentile(boxes[:, 1], 30), \
        np.percentile(boxes[:, 2], 60), np.percentile(boxes[:, 3], 60)
    # the same rows written by GDAL itself: its R-tree finds the same features
    from osgeo import gdal
    copy = str(tmp_path / "gdal.gpkg")
    gdal.VectorTranslate(copy, out)
    found = {}
    for path in (out, copy):
        ds = ogr.Open(path)
        layer = ds.GetLayer("coded")
        layer.SetSpatialFilterRect(x0, y0, x1, y1)
        found[path] = sorted(f.GetFID() for f in layer)
        ds = None
    inside = ((boxes[:, 0] <= x1) & (boxes[:, 2] >= x0) & (boxes[:, 1] <= y1) & (boxes[:, 3] >= y0)).sum()
    assert found[out] == found[copy] and 0 < inside <= len(found[out]) < len(boxes)


@pytest.mark.parametrize("wkt", ["POLYGON ((0 0,10 0,10 10,0 0))", "MULTIPOLYGON (((0 0,1 0,1 1,0 0)))",
                                 "MULTIPOLYGON (((0 0,1 0,1 1,0 0)),((5 5,6 5,6 7,5 5)))",
                                 "POLYGON ((0 0,10 0,10 10,0 0),(1 1,2 1,2 2,1 1))",
                                 "POLYGON Z ((0 0 1,9 0 1,9 -9 5,0 0 1))",
                                 "POINT (3 4)", "POLYGON EMPTY", "POINT EMPTY", "LINESTRING (1 2,3 -4)",
                                 "GEOMETRYCOLLECTION (POINT (1 1),POLYGON ((0 0,2 0,2 3,0 0)))"])
def test_bounds_of_wkb_are_ogrs(wkt):
    from citycode.plugin.core.engine import wkb
    g = ogr.CreateGeometryFromWkt(wkt)
    blobs = [None, bytes(g.ExportToIsoWkb(ogr.wkbNDR)), bytes(g.ExportToIsoWkb(ogr.wkbXDR)),
             bytes(ogr.CreateGeometryFromWkt("POLYGON ((1 1,3 1,3 2,1 1))").ExportToWkb(ogr.wkbNDR))]
    got = wkb.bounds_many(blobs)
    assert np.isnan(got[0]).all() and got[3].tolist() == [1, 1, 3, 2]
    for row in got[1:3]:
        if g.IsEmpty():
            assert np.isnan(row).all()
        else:
            minx, maxx, miny, maxy = g.GetEnvelope()
            assert row.tolist() == [minx, miny, maxx, maxy]


@pytest.mark.parametrize("srs_id", [0, -1, 99999])
def test_a_geopackage_without_crs_has_none(tmp_path, qgis_app, srs_id):
    """GDAL names a missing GeoPackage CRS "Undefined ... SRS": read as no CRS, so the coordinates decide."""
    path = str(tmp_path / "nocrs.gpkg")
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(path)
    layer = ds.CreateLayer("b", None, ogr.wkbPolygon)
    f = ogr.Feature(layer.GetLayerDefn())
    f.SetGeometry(ogr.CreateGeometryFromWkt("POLYGON ((39500000 3500000,39500010 3500000,39500010 3500010,"
                                            "39500000 3500000))"))
    layer.CreateFeature(f)
    ds = None
    con = sqlite3.connect(path)
    with con:
        con.execute("UPDATE gpkg_geometry_columns SET srs_id = ?", (srs_id,))
        con.execute("UPDATE gpkg_contents SET srs_id = ?", (srs_id,))
    con.close()
    assert layers.read(LayerInput(path=path, layer="b"), engine=GDAL_ARROW).crs_wkt is None


def test_spatial_index_from_given_boxes_and_from_the_wkb_where_none(tmp_path):
    """Boxes the caller has go into the GeoPackage's R-tree as given; a feature without one (NaN: e.g. a curve
    shapely cannot read) is boxed from its WKB, never left out of the index (QGIS would not draw it)."""
    import sqlite3
    curve = ogr.CreateGeometryFromWkt("CURVEPOLYGON(CIRCULARSTRING({0} {1},{2} {1},{0} {1}))".format(
        X0 + 100, Y0, X0 + 110)).ExportToIsoWkb()
    blobs = np.array([square(0), square(1), bytes(curve)], dtype=object)
    given = np.array([[X0, Y0, X0 + 10, Y0 + 10], [X0 + 20, Y0, X0 + 30, Y0 + 10], [np.nan] * 4])
    path = str(tmp_path / "boxed.gpkg")
    layer_writer.write_table(path, "b", [("n", np.arange(3))], blobs, "Geometry", wkt(4526), boxes=given)
    con = sqlite3.connect(path)
    boxes = con.execute("SELECT id, minx, maxx FROM rtree_b_geom ORDER BY id").fetchall()
    assert [b[0] for b in boxes] == [1, 2, 3]
    assert boxes[2][1] == pytest.approx(X0 + 100, abs=0.01) and boxes[2][2] >= X0 + 110 - 0.01
