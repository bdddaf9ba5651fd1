"""What lies at monitoring points: raster values (rasterio and QGIS paths), planning zones, divisions.

The raster fixtures are made by tests/data/rasters/make_rasters.py, whose formula (row * 100 + col, plus
band * 10000) is the truth every value is checked against.
"""
import importlib.util
import os

import numpy as np
import pytest
import shapely
from pyproj import CRS, Transformer

from citycode.plugin.core.points import sampling
from citycode.plugin.core.engine.layers import InputError, LayerInput

HERE = os.path.dirname(os.path.abspath(__file__))
RASTERS = os.path.join(HERE, "data", "rasters")
_spec = importlib.util.spec_from_file_location("make_rasters", os.path.join(RASTERS, "make_rasters.py"))
make_rasters = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_rasters)
DEM, MULTI, formula = make_rasters.DEM, make_rasters.MULTI, make_rasters.formula
DEM_TIF = os.path.join(RASTERS, DEM["name"])
MULTI_TIF = os.path.join(RASTERS, MULTI["name"])
# the rasterio path is a speed-up: hidden under CITYCODE_SPEEDUPS=off, where only QGIS's is there to test
NEEDS_RASTERIO = pytest.mark.skipif(not sampling.RASTERIO_OK, reason="rasterio (a speed-up) hidden or missing")
ENGINES = [pytest.param("rasterio", marks=NEEDS_RASTERIO), "qgis"]


def wkt(epsg):
    return CRS.from_epsg(epsg).to_wkt()


def to(epsg_from, epsg_to, x, y):
    return Transformer.from_crs(epsg_from, epsg_to, always_xy=True).transform(x, y)


def centres(d, rows, cols, dx=0.5, dy=0.5):
    """Map coordinates of points inside cells (dx, dy: where in the cell, 0..1 from its top-left corner)."""
    return d["x0"] + (np.asarray(cols) + dx) * d["res"], d["y0"] - (np.asarray(rows) + dy) * d["res"]


def dem_truth(rows, cols):
    """Expected DEM value (NaN where the fixture put nodata or NaN)."""
    value = formula(rows, cols).astype(float)
    hole_r, hole_c = DEM["hole"]
    in_hole = (rows >= hole_r.start) & (rows < hole_r.stop) & (cols >= hole_c.start) & (cols < hole_c.stop)
    value[in_hole | ((rows == DEM["nan_cell"][0]) & (cols == DEM["nan_cell"][1]))] = np.nan
    return value


def all_cells(d):
    rows, cols = np.mgrid[0:d["height"], 0:d["width"]]
    return rows.ravel(), cols.ravel()


# -- rasters -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("engine", ENGINES)
def test_dem_values_at_every_cell_centre(engine, qgis_app):
    rows, cols = all_cells(DEM)
    x, y = centres(DEM, rows, cols)
    s = sampling.sample_rasters(x, y, wkt(4490), [DEM_TIF], engine=engine)["dem_nodata"]
    truth = dem_truth(rows, cols)
    np.testing.assert_array_equal(s.values, truth)
    assert (s.valid == ~np.isnan(truth)).all()
    assert set(s.reason[np.isnan(truth)]) == {"nodata"} and set(s.reason[~np.isnan(truth)]) == {""}
    assert (~s.valid).sum() == 5 * 10 + 1  # the hole and the NaN cell


@pytest.mark.parametrize("engine", ENGINES)
def test_points_near_cell_edges_stay_in_their_cell(engine, qgis_app):
    rows, cols = all_cells(DEM)
    eps = 1e-6  # of a cell: far above float noise at 117°, far below anything that moves a point a cell
    s_all = []
    for dx, dy in ((eps, eps), (1 - eps, 1 - eps), (eps, 1 - eps), (1 - eps, eps)):
        x, y = centres(DEM, rows, cols, dx, dy)
        s_all.append(sampling.sample_rasters(x, y, wkt(4490), [DEM_TIF], engine=engine)["dem_nodata"].values)
    for values in s_all:
        np.testing.assert_array_equal(values, dem_truth(rows, cols))


@pytest.mark.parametrize("engine", ENGINES)
def test_points_off_the_raster_are_outside(engine, qgis_app):
    width, height = DEM["width"] * DEM["res"], DEM["height"] * DEM["res"]
    eps = 1e-6 * DEM["res"]
    x = np.array([DEM["x0"] - eps, DEM["x0"] + width + eps, DEM["x0"] + 0.01, DEM["x0"] + 0.01, np.nan,
                  DEM["x0"] + width - eps, DEM["x0"] + eps])
    y = np.array([DEM["y0"] - 0.01, DEM["y0"] - 0.01, DEM["y0"] + eps, DEM["y0"] - height - eps, DEM["y0"] - 0.01,
                  DEM["y0"] - height + eps, DEM["y0"] - eps])
    s = sampling.sample_rasters(x, y, wkt(4490), [DEM_TIF], engine=engine)["dem_nodata"]
    assert list(s.reason) == ["outside"] * 5 + ["", ""]
    assert np.isnan(s.values[:5]).all() and not s.valid[:5].any()
    np.testing.assert_array_equal(s.values[5:], [formula(DEM["height"] - 1, DEM["width"] - 1), formula(0, 0)])


@pytest.mark.parametrize("engine", ENGINES)
def test_points_in_other_crss_land_in_the_right_cells(engine, qgis_app):
    rows, cols = all_cells(DEM)
    lon, lat = centres(DEM, rows, cols)
    for epsg in (4527, 4326):  # CGCS2000 3° GK zone 39 with prefix; WGS84
        x, y = to(4490, epsg, lon, lat)
        s = sampling.sample_rasters(x, y, wkt(epsg), [DEM_TIF], engine=engine)["dem_nodata"]
        np.testing.assert_array_equal(s.values, dem_truth(rows, cols))
    # and the other way round: the projected raster, points in lon/lat
    rows, cols = all_cells(MULTI)
    lon, lat = to(4527, 4490, *centres(MULTI, rows, cols))
    s = sampling.sample_rasters(lon, lat, wkt(4490), [MULTI_TIF], engine=engine)["multiband_scaled_b2"]
    shown = ~((rows < 5) & (cols < 5))
    np.testing.assert_array_equal(s.values[shown], formula(rows, cols, 2)[shown])


@pytest.mark.parametrize("engine", ENGINES)
def test_bands_scale_offset_and_mask(engine, qgis_app):
    rows, cols = all_cells(MULTI)
    x, y = centres(MULTI, rows, cols)
    out = sampling.sample_rasters(x, y, wkt(4527), [MULTI_TIF], engine=engine)
    assert list(out) == ["multiband_scaled_b1", "multiband_scaled_b2", "multiband_scaled_b3"]  # no mask column
    masked = (rows < 5) & (cols < 5)
    for b in (1, 2, 3):
        s = out[f"multiband_scaled_b{b}"]
        expected = formula(rows, cols, b) * MULTI["scales"][b - 1] + MULTI["offsets"][b - 1]
        np.testing.assert_allclose(s.values[~masked], expected[~masked], rtol=1e-12)
        assert not s.valid[masked].any() and set(s.reason[masked]) == {"nodata"} and s.valid[~masked].all()
    one = sampling.sample_rasters(x[:3], y[:3], wkt(4527), [sampling.RasterInput(MULTI_TIF, bands=[3], name="水位")],
                                  engine=engine)
    assert list(one) == ["水位_b3"]


@NEEDS_RASTERIO
def test_engines_agree_on_random_points(qgis_app):
    rng = np.random.default_rng(7)
    n = 5000
    lon = 116.995 + rng.random(n) * 0.07  # a margin off every side of both rasters
    lat = 31.755 + rng.random(n) * 0.05
    a = sampling.sample_rasters(lon, lat, wkt(4490), [DEM_TIF, MULTI_TIF], engine="rasterio")
    b = sampling.sample_rasters(lon, lat, wkt(4490), [DEM_TIF, MULTI_TIF], engine="qgis")
    assert list(a) == list(b) == ["dem_nodata", "multiband_scaled_b1", "multiband_scaled_b2", "multiband_scaled_b3"]
    for name in a:
        np.testing.assert_array_equal(a[name].values, b[name].values)
        np.testing.assert_array_equal(a[name].reason, b[name].reason)
        assert {"", "outside", "nodata"} <= set(a[name].reason)  # the sample covers every case


@pytest.mark.parametrize("engine", ENGINES)
def test_tile_by_tile_reading_gives_the_same_values(engine, qgis_app, monkeypatch):
    """The path large rasters take (many windows, the GDAL cache dropped on the way), on the small DEM."""
    monkeypatch.setattr(sampling, "ONE_READ_CELLS", 1)
    monkeypatch.setattr(sampling, "TILE", 7)
    monkeypatch.setattr(sampling, "CACHE_BYTES", 2000)
    rows, cols = all_cells(DEM)
    order = np.random.default_rng(3).permutation(len(rows))  # points in no particular order
    x, y = centres(DEM, rows[order], cols[order])
    s = sampling.sample_rasters(x, y, wkt(4490), [DEM_TIF], engine=engine)["dem_nodata"]
    np.testing.assert_array_equal(s.values, dem_truth(rows[order], cols[order]))


def test_windows_cover_their_points_and_split_large_spans():
    rng = np.random.default_rng(5)
    row, col = rng.integers(0, 20000, 3000), rng.integers(0, 20000, 3000)
    seen = np.zeros(len(row), dtype=int)
    for idx, r0, c0, h, w in sampling._windows(row, col, (256, 256)):
        seen[idx] += 1
        assert h <= 256 and w <= 256  # never more than a tile
        assert ((row[idx] >= r0) & (row[idx] < r0 + h) & (col[idx] >= c0) & (col[idx] < c0 + w)).all()
    assert (seen == 1).all()
    windows = list(sampling._windows(row[:10] % 100, col[:10] % 100, (256, 256)))
    assert len(windows) == 1  # a small span: one read


def test_qgis_raster_layers(qgis_app, tmp_path):
    import shutil

    from qgis.core import QgsRasterLayer, QgsRasterRange
    rows, cols = all_cells(DEM)
    x, y = centres(DEM, rows, cols)
    path = shutil.copy(DEM_TIF, tmp_path)  # a layer saves its statistics beside the file
    layer = QgsRasterLayer(path, "高程", "gdal")
    s = sampling.sample_rasters(x, y, wkt(4490), [layer])["高程"]
    np.testing.assert_array_equal(s.values, dem_truth(rows, cols))
    # Extra no-data values set on the layer are QGIS's only: that layer must go through QGIS, and they count.
    layer.dataProvider().setUserNoDataValue(1, [QgsRasterRange(0, 150)])
    assert sampling._gdal_path(layer) is None
    s = sampling.sample_rasters(x, y, wkt(4490), [layer])["高程"]
    truth = dem_truth(rows, cols)
    truth[truth <= 150] = np.nan
    np.testing.assert_array_equal(s.values, truth)


def test_geopackage_raster(qgis_app, tmp_path):
    from osgeo import gdal
    from qgis.core import QgsRasterLayer
    gpkg = str(tmp_path / "规划.gpkg")
    gdal.Translate(gpkg, DEM_TIF, format="GPKG", creationOptions=["RASTER_TABLE=dem", "TILE_FORMAT=TIFF"])
    layer = QgsRasterLayer(gpkg, "dem_gpkg", "gdal")
    assert layer.isValid() and layer.dataProvider().xSize() == DEM["width"]
    rows, cols = all_cells(DEM)
    x, y = centres(DEM, rows, cols)
    for engine in ("auto", "qgis"):
        s = sampling.sample_rasters(x, y, wkt(4490), [layer], engine=engine)["dem_gpkg"]
        np.testing.assert_array_equal(s.values, dem_truth(rows, cols))


def test_without_rasterio_qgis_reads(qgis_app, monkeypatch):
    monkeypatch.setattr(sampling, "RASTERIO_OK", False)
    assert "rasterio" in sampling.rasterio_missing_message()
    rows, cols = all_cells(DEM)
    x, y = centres(DEM, rows, cols)
    s = sampling.sample_rasters(x, y, wkt(4490), [DEM_TIF])["dem_nodata"]
    np.testing.assert_array_equal(s.values, dem_truth(rows, cols))
    with pytest.raises(InputError, match="rasterio"):
        sampling.sample_rasters(x, y, wkt(4490), [DEM_TIF], engine="rasterio")


@pytest.mark.parametrize("engine", ENGINES)
def test_wrong_band_or_missing_file_is_an_input_error(engine, qgis_app, tmp_path):
    with pytest.raises(InputError, match="band 4"):
        sampling.sample_rasters([117.01], [31.79], wkt(4490), [sampling.RasterInput(DEM_TIF, bands=[4])],
                                engine=engine)
    with pytest.raises(InputError):
        sampling.sample_rasters([117.01], [31.79], wkt(4490), [str(tmp_path / "none.tif")], engine=engine)


# -- planning zones ------------------------------------------------------------------------------------
X0, Y0, SIDE = 39523000.0, 3525000.0, 400.0  # EPSG:4527
YDYH = [("0101", 0, 0), ("0702", 1, 0), ("1207", 0, 1), ("0301", 1, 1)]  # code, column, row of its square


def _square(i, j):
    return shapely.box(X0 + i * SIDE, Y0 + j * SIDE, X0 + (i + 1) * SIDE, Y0 + (j + 1) * SIDE)


def _write(path, layer, geoms, columns):
    from pyogrio.raw import write
    wkb = np.array([None if g is None else shapely.to_wkb(g) for g in geoms], dtype=object)
    write(str(path), wkb, [np.asarray(v) for v in columns.values()], list(columns), layer=layer, driver="GPKG",
          geometry_type="Polygon", crs="EPSG:4527", append=os.path.exists(path))


@pytest.fixture()
def planning_gpkg(tmp_path):
    path = tmp_path / "规划.gpkg"
    squares = np.array([_square(i, j) for _, i, j in YDYH], dtype=object)
    _write(path, "ghyd_ydyh", squares, {"YDYHFLDM": np.array([c for c, _, _ in YDYH], dtype=object)})
    # the same codes in an integer field: the leading zero is lost there
    _write(path, "dm_int", squares, {"dm": np.array([int(c) for c, _, _ in YDYH], dtype=np.int32)})
    # a red line: a feature without geometry, a square, a self-intersecting bow-tie (invalid: repaired into
    # two triangles)
    bow = shapely.Polygon([(X0 + 1000, Y0), (X0 + 1200, Y0 + 200), (X0 + 1200, Y0), (X0 + 1000, Y0 + 200)])
    assert not bow.is_valid
    _write(path, "stbhhx", np.array([None, _square(3, 0), bow], dtype=object),
           {"hxlx": np.array(["水土保持", "水源涵养", "生物多样性维护"], dtype=object)})
    return path


# A point per case, in EPSG:4527: name -> (x, y)
POINTS = {
    "in_0101": (X0 + 100, Y0 + 100),
    "in_0301": (X0 + 700, Y0 + 500),
    "on_outer_edge_0101": (X0, Y0 + 200),              # on the boundary of the layer: inside
    "on_shared_edge_0101_0702": (X0 + SIDE, Y0 + 50),  # on the edge two features share: the first one
    "corner_of_all_four": (X0 + SIDE, Y0 + SIDE),
    "outside": (X0 - 10, Y0 + 100),
    "red_square": (X0 + 3.5 * SIDE, Y0 + 200),
    "bow_left_triangle": (X0 + 1020, Y0 + 100),        # inside the repaired bow-tie
    "bow_gap_above": (X0 + 1100, Y0 + 180),            # inside the bow-tie's bounding box, not the tie
    "nan": (np.nan, np.nan),
}


def _xy():
    return np.array([p[0] for p in POINTS.values()]), np.array([p[1] for p in POINTS.values()])


def test_zones_inside_outside_boundary_and_class(planning_gpkg, qgis_app):
    x, y = _xy()
    names = list(POINTS)
    out = sampling.zones_at_points(x, y, wkt(4527), [f"{planning_gpkg}|layername=ghyd_ydyh",
                                                     LayerInput(path=str(planning_gpkg), layer="dm_int"),
                                                     LayerInput(path=str(planning_gpkg), layer="stbhhx")])
    assert list(out) == ["ghyd_ydyh", "dm_int", "stbhhx"]
    expected_code = {"in_0101": "0101", "in_0301": "0301", "on_outer_edge_0101": "0101",
                     "on_shared_edge_0101_0702": "0101", "corner_of_all_four": "0101"}
    for name in ("ghyd_ydyh", "dm_int"):
        z = out[name]
        assert z.kind == "ydyh" and z.class_field == {"ghyd_ydyh": "YDYHFLDM", "dm_int": "dm"}[name]
        got = dict(zip(names, z.values.tolist()))
        assert got == {n: expected_code.get(n) for n in names}  # codes with their leading zero back
        assert dict(zip(names, z.inside.tolist())) == {n: n in expected_code for n in names}
        assert z.feature[names.index("in_0301")] == 3 and z.feature[names.index("outside")] == -1
    red = out["stbhhx"]
    assert red.kind == "stbhhx" and red.class_field is None and red.values is None
    assert [n for n, hit in zip(names, red.inside) if hit] == ["red_square", "bow_left_triangle"]
    assert red.feature[red.inside].tolist() == [1, 2]  # rows of the layer, the one without geometry counted


def test_zones_class_field_chosen_and_layers_from_qgis(planning_gpkg, qgis_app):
    from qgis.core import QgsVectorLayer
    x, y = _xy()
    red = QgsVectorLayer(f"{planning_gpkg}|layername=stbhhx", "生态保护红线", "ogr")
    ydyh = QgsVectorLayer(f"{planning_gpkg}|layername=ghyd_ydyh", "用地用海", "ogr")
    out = sampling.zones_at_points(x, y, wkt(4527), [red, ydyh],
                                   class_fields={"生态保护红线": "hxlx", "用地用海": None})
    hits = out["生态保护红线"]
    assert hits.kind == "stbhhx" and hits.class_field == "hxlx"
    assert hits.values[list(POINTS).index("red_square")] == "水源涵养"
    assert hits.values[list(POINTS).index("bow_left_triangle")] == "生物多样性维护"
    assert out["用地用海"].values is None and out["用地用海"].inside.sum() == 5
    with pytest.raises(InputError, match="nope"):
        sampling.zones_at_points(x, y, wkt(4527), [ydyh], class_fields={"用地用海": "nope"})


def test_zones_integer_codes_with_nulls(tmp_path, qgis_app):
    """An integer code field with a null: read as floats (101.0, NaN), given back as "0101" and None."""
    from osgeo import ogr, osr
    path = str(tmp_path / "data.gpkg")
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(path)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4527)
    lyr = ds.CreateLayer("地块", srs, ogr.wkbPolygon)  # a name that says nothing: the values do
    lyr.CreateField(ogr.FieldDefn("DLBM", ogr.OFTInteger))
    for (code, i, j), value in zip(YDYH, (101, None, 1207, 301)):
        feat = ogr.Feature(lyr.GetLayerDefn())
        if value is not None:
            feat.SetField("DLBM", value)
        feat.SetGeometry(ogr.CreateGeometryFromWkb(shapely.to_wkb(_square(i, j))))
        lyr.CreateFeature(feat)
    ds = None
    x, y = X0 + np.array([100.0, 500, 100, 500]), Y0 + np.array([100.0, 100, 500, 500])
    z = sampling.zones_at_points(x, y, wkt(4527), [f"{path}|layername=地块"])["地块"]
    assert z.class_field == "DLBM" and z.kind == "ydyh"
    assert z.values.tolist() == ["0101", None, "1207", "0301"] and z.inside.all()


@pytest.mark.filterwarnings("ignore:'crs' was not provided")
def test_zones_layer_without_crs(tmp_path, qgis_app):
    """A layer without CRS: first taken to be in the points' CRS (lon/lat), which its Gauss-Krüger
    coordinates do not fit, so the zone their prefix shows is assumed; both are said."""
    path = tmp_path / "no_crs.gpkg"
    from pyogrio.raw import write
    write(str(path), np.array([shapely.to_wkb(_square(0, 0))], dtype=object), [np.array(["x"], dtype=object)],
          ["name"], layer="红线", driver="GPKG", geometry_type="Polygon", crs=None)
    lon, lat = to(4527, 4490, X0 + np.array([100.0, 500]), Y0 + np.array([100.0, 100]))
    z = sampling.zones_at_points(lon, lat, wkt(4490), [str(path)])["no_crs"]
    assert z.inside.tolist() == [True, False]
    assert len(z.notes) == 2 and "no_crs" in z.notes[0]


def test_zones_points_in_lonlat(planning_gpkg, qgis_app):
    """Points in CGCS2000 lon/lat against layers in Gauss-Krüger metres (points well inside or outside)."""
    px = X0 + np.array([100.0, 500, 700, 1500, -100])
    py = Y0 + np.array([100.0, 100, 700, 100, 100])
    lon, lat = to(4527, 4490, px, py)
    z = sampling.zones_at_points(lon, lat, wkt(4490), [LayerInput(path=str(planning_gpkg), layer="ghyd_ydyh")])
    assert z["ghyd_ydyh"].values.tolist() == ["0101", "0702", "0301", None, None]


def test_divisions_at_points(qgis_app):
    from citycode.plugin.core.engine.geometry import backend
    divisions = backend().from_wkb(shapely.to_wkb(np.array([
        shapely.box(0, 0, 10, 10), shapely.box(10, 0, 20, 10), None,
        shapely.Polygon([(20, 0), (30, 10), (30, 0), (20, 10)])], dtype=object)))  # bow-tie
    codes = ["340104001", "340104002", "340104003", "340104004"]
    # inside; on the shared edge (the first division); on an outer edge; between the bow-tie's triangles;
    # in its left triangle; where its triangles touch; outside; no position
    x = np.array([5, 10, 15, 25, 21, 25, -1, np.nan])
    y = np.array([5, 5, 0, 2, 5, 5, 5, 5])
    hits = sampling.divisions_at_points(x, y, wkt(4527), divisions, codes)
    assert hits.index.tolist() == [0, 0, 1, -1, 3, 3, -1, -1]
    assert hits.code.tolist() == ["340104001", "340104001", "340104002", None, "340104004", "340104004", None, None]


def test_bench_sampling_measures(qgis_app):
    out = sampling.bench_sampling(2000, DEM_TIF)
    assert out["points"] == 2000 and out["raster_s"] >= 0 and out["zones_s"] == 0


def test_sampling_leaves_the_raster_files_alone(qgis_app):
    """No .aux.xml beside the rasters (a QGIS layer would save its renderer's statistics there)."""
    before = set(os.listdir(RASTERS))
    sampling.sample_rasters([117.01], [31.79], wkt(4490), [DEM_TIF, MULTI_TIF], engine="qgis")
    assert set(os.listdir(RASTERS)) == before
