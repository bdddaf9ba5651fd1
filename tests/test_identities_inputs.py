"""Identities and inputs you can trust (issue 14, items 2, 4 and 5): geometry fingerprints in metres whatever the
CRS, duplicate and null identities named, a shapefile without its .dbf, a layer with no features, non-finite
coordinates, geometry types other than polygons, and division codes used twice.

Runs with either geometry backend (CITYCODE_SPEEDUPS=off: QGIS's own); test data are written with OGR.
"""
import dataclasses
import hashlib
import json
import os
import shutil

import numpy as np
import pytest
from osgeo import gdal, ogr, osr

from citycode.plugin.core.engine import identities as ids
from citycode.plugin.core.engine.buildings import BuildingGeometry
from citycode.plugin.core.engine.assign import AssignJob, LayerInput, run_assign
from citycode.plugin.core.engine.jobs import EngineError
from citycode.plugin.core.engine.geometry import backend
from feedback import Log

gdal.UseExceptions()
LON0, LAT0 = 117.25, 31.80          # Hefei: division codes 340104xxx
DIVS = ("340104001", "340104002")
M_LON = 1 / (111_320 * np.cos(np.radians(LAT0)))  # degrees per metre, roughly
M_LAT = 1 / 110_574


def digest(path) -> str:
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def box_wkt(x0, y0, x1, y1) -> str:
    return "POLYGON(({0!r} {1!r},{2!r} {1!r},{2!r} {3!r},{0!r} {3!r},{0!r} {1!r}))".format(x0, y0, x1, y1)


def write(path, layer, wkts, fields=None, epsg=4326, geom_type=ogr.wkbPolygon, driver=None):
    """A layer of `wkts` (WKT, or OGR geometries) with `fields` {name: values}; appended to a GeoPackage."""
    driver = driver or ("ESRI Shapefile" if path.endswith(".shp") else "GPKG")
    ds = ogr.Open(path, 1) if os.path.exists(path) and driver == "GPKG" else \
        ogr.GetDriverByName(driver).CreateDataSource(path)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(epsg)
    lyr = ds.CreateLayer(layer, srs, geom_type)
    for name, values in (fields or {}).items():
        kind = ogr.OFTInteger if all(isinstance(v, (int, type(None))) for v in values) else ogr.OFTString
        lyr.CreateField(ogr.FieldDefn(name, kind))
    for k, w in enumerate(wkts):
        f = ogr.Feature(lyr.GetLayerDefn())
        if w is not None:
            f.SetGeometry(w if isinstance(w, ogr.Geometry) else ogr.CreateGeometryFromWkt(w))
        for name, values in (fields or {}).items():
            if values[k] is not None:
                f.SetField(name, values[k])
        lyr.CreateFeature(f)
    ds = None
    return path


def write_divisions(path, codes=DIVS, epsg=4326, boxes=None):
    """Two divisions side by side, 600 m x 400 m each, west and east of LON0."""
    w, h = 600 * M_LON, 400 * M_LAT
    boxes = boxes or [(LON0 - w, LAT0, LON0, LAT0 + h), (LON0, LAT0, LON0 + w, LAT0 + h)]
    return write(path, "divisions", [box_wkt(*b) for b in boxes], {"code": list(codes)}, epsg=epsg)


def terrace(n=40, width=10.0, depth=12.0, x_m=-300.0, y_m=100.0):
    """`n` adjacent houses of `width` m in a row, sharing their walls, as OSM draws a terrace (lon/lat)."""
    lon0, lat0 = LON0 + x_m * M_LON, LAT0 + y_m * M_LAT
    return [box_wkt(lon0 + k * width * M_LON, lat0, lon0 + (k + 1) * width * M_LON, lat0 + depth * M_LAT)
            for k in range(n)]


def read_rows(path):
    ds = ogr.Open(path)
    rows = [f.items() for f in ds.GetLayer(0)]
    ds = None
    return rows


def assign(buildings, divisions, out, registry, **kw):
    """run_assign; returns (result, output rows, report dict)."""
    b_path, b_layer = buildings if isinstance(buildings, tuple) else (buildings, None)
    job = AssignJob(buildings=LayerInput(path=b_path, layer=b_layer), divisions=LayerInput(path=divisions,
                    layer="divisions"), output=out, registry=registry, actor="tester", default_year=2024,
                    report=os.path.splitext(out)[0] + ".json", **kw)
    result = run_assign(job)
    with open(result.report, encoding="utf-8") as f:
        return result, read_rows(out), json.load(f)


# -- fingerprints in metres ------------------------------------------------------------------------------
def test_lonlat_terrace_codes_every_house_and_resaving_finds_the_same_codes(tmp_path):
    """The issue's case: OSM buildings in EPSG:4326 without ids. Every house of a terrace gets its own code;
    the layer saved again as a shapefile, and as an EPSG:4490 GeoPackage, gets the same codes back."""
    src = str(tmp_path / "osm.gpkg")
    write_divisions(src)
    write(src, "buildings", terrace(40) + terrace(30, x_m=100.0))
    registry = str(tmp_path / "registry.sqlite")
    res, rows, rep = assign((src, "buildings"), src, str(tmp_path / "out.gpkg"), registry)
    assert res.counts["new"] == 70 and res.counts["duplicate_id"] == 0 and res.counts["failed"] == 0
    codes = [r["citycode"] for r in rows]
    assert len(set(codes)) == 70 and {r["division"] for r in rows} == set(DIVS)

    shp = str(tmp_path / "shp" / "osm.shp")
    os.makedirs(os.path.dirname(shp))
    gdal.VectorTranslate(shp, src, layers=["buildings"])
    cgcs = str(tmp_path / "cgcs.gpkg")
    write_divisions(cgcs, epsg=4490)
    gdal.VectorTranslate(cgcs, src, layers=["buildings"], accessMode="append", layerName="buildings",
                         srcSRS="EPSG:4490", dstSRS="EPSG:4490")  # the same numbers, declared CGCS2000
    for again, divisions in ((shp, src), ((cgcs, "buildings"), cgcs)):
        before = digest(registry)
        res2, rows2, _ = assign(again, divisions, str(tmp_path / "again.gpkg"), registry)
        assert res2.counts["new"] == 0 and res2.counts["existing"] == 70, again
        assert [r["citycode"] for r in rows2] == codes
        assert digest(registry) != before  # a batch row is recorded, but no code


def test_lonlat_fingerprints_are_metric_and_the_same_in_both_backends():
    """Houses 5 cm apart (lon/lat) have different fingerprints; a vertex moved by 1 mm, or rounded to 1e-9°,
    keeps it; shapely's and QGIS's backends give the same bytes."""
    from citycode.plugin.core.engine import geometry_shapely as S
    from citycode.plugin.core.engine import geometry_qgis as Q
    from pyproj import CRS
    wgs84 = CRS.from_epsg(4326).to_wkt()
    houses = terrace(20) + [box_wkt(LON0 + 0.05 * M_LON, LAT0, LON0 + 10 * M_LON, LAT0 + 12 * M_LAT),
                            box_wkt(LON0, LAT0, LON0 + 10 * M_LON, LAT0 + 12 * M_LAT)]
    moved = [box_wkt(LON0 + 0.001 * M_LON, LAT0, LON0 + 10 * M_LON, LAT0 + 12 * M_LAT)]
    wkbs = np.array([bytes(ogr.CreateGeometryFromWkt(w).ExportToIsoWkb()) for w in houses + moved], dtype=object)
    rounded = np.array([bytes(ogr.CreateGeometryFromWkt(w).ExportToIsoWkb()) for w in houses], dtype=object)
    for k, w in enumerate(houses):  # as a writer keeping 9 decimals would have them
        g = ogr.CreateGeometryFromWkt(w)
        ring = g.GetGeometryRef(0)
        for p in range(ring.GetPointCount()):
            ring.SetPoint_2D(p, round(ring.GetX(p), 9), round(ring.GetY(p), 9))
        rounded[k] = bytes(g.ExportToIsoWkb())
    prints = {}
    for name, g in (("shapely", S), ("qgis", Q)):
        prints[name] = ids.fingerprints(g, g.from_wkb(wkbs), wgs84)
        assert ids.fingerprints(g, g.from_wkb(rounded), wgs84) == prints[name][:len(houses)]
    assert prints["shapely"] == prints["qgis"]
    fp = prints["shapely"]
    assert len(set(fp[:len(houses)])) == len(houses)   # 5 cm apart: different
    assert fp[-1] == fp[-2]                            # 1 mm: the same


def test_projected_fingerprints_stay_as_they_were():
    """Identities already in registries for metric CRSs: the fingerprint is still GEOS's normalize on a 1 cm grid
    in the layer's own coordinates (the sha1 below is what earlier versions stored)."""
    from pyproj import CRS
    g = backend()
    geoms = g.from_wkb(np.array([bytes(ogr.CreateGeometryFromWkt(
        box_wkt(39_500_000.123, 3_520_000.456, 39_500_010.5, 3_520_012.25)).ExportToIsoWkb())], dtype=object))
    fp = ids.fingerprints(g, geoms, CRS.from_epsg(4527).to_wkt())
    assert fp == g.fingerprint_wkb(geoms)
    assert hashlib.sha1(fp[0]).hexdigest() == "1566838f40f2357179909d82e49406a767dd584a"


# -- identities: duplicates named, null ids, a shapefile without its .dbf -------------------------------------
def test_duplicates_say_with_whom_and_why_and_null_ids_fall_back(tmp_path):
    src = str(tmp_path / "b.gpkg")
    write_divisions(src)
    houses = terrace(6)
    wkts = houses + [houses[0], houses[1]]  # rows 7 and 8: rows 1 and 2 drawn again
    ids = [1, 2, 3, 3, None, None, None, None]  # row 4: the id of row 3; rows 5-8 without id
    write(src, "buildings", wkts, {"bid": ids})
    res, rows, rep = assign((src, "buildings"), src, str(tmp_path / "out.gpkg"), str(tmp_path / "r.sqlite"),
                            id_field="bid")
    assert [r["cc_status"] for r in rows] == ["new"] * 3 + ["duplicate_id"] + ["new"] * 2 + ["new", "new"]
    dup = rep["duplicate_id"]
    assert [(d["row"], d["same_as_row"], d["same_as_id"]) for d in dup] == [(4, 3, 3)]
    assert "same id as row 3" in dup[0]["why"]
    assert [r["row"] for r in rep["null_id"]] == [5, 6, 7, 8]
    assert all(r["identity"].startswith("geom:") for r in rep["null_id"])
    kinds = {n["kind"]: n["message"] for n in rep["input_checks"]}
    assert "4 features have no value in the id field bid" in kinds["null_id"]
    assert "1 features have the identity of an earlier feature" in kinds["duplicate_id"]

    # without an id field, rows 7 and 8 are rows 1 and 2 again: duplicates by geometry
    res, rows, rep = assign((src, "buildings"), src, str(tmp_path / "out2.gpkg"), str(tmp_path / "r2.sqlite"))
    assert [(d["row"], d["same_as_row"]) for d in rep["duplicate_id"]] == [(7, 1), (8, 2)]
    assert all("same geometry" in d["why"] for d in rep["duplicate_id"])


def test_shapefile_without_dbf_needs_a_yes(tmp_path):
    folder = tmp_path / "shp"
    folder.mkdir()
    shp = write(str(folder / "houses.shp"), "houses", terrace(5), {"bid": [1, 2, 3, 4, 5]})
    os.remove(str(folder / "houses.dbf"))
    divisions = write_divisions(str(tmp_path / "d.gpkg"))
    out, registry = str(tmp_path / "out.gpkg"), str(tmp_path / "r.sqlite")
    before = sorted(os.listdir(tmp_path))
    with pytest.raises(EngineError) as e:
        assign(shp, divisions, out, registry)
    assert ".dbf" in str(e.value) and "ALLOW_FINGERPRINTS" in str(e.value)
    assert sorted(os.listdir(tmp_path)) == before  # no registry, no output
    res, rows, rep = assign(shp, divisions, out, registry, allow_fingerprints=True)
    assert res.counts["new"] == 5
    assert any(n["kind"] == "no_table" and "houses.shp" in n["message"] for n in rep["input_checks"])


# -- 0 features, coordinates that are not numbers ------------------------------------------------------------
def test_no_features_is_a_message_and_changes_nothing(tmp_path):
    src = str(tmp_path / "b.gpkg")
    write_divisions(src)
    write(src, "buildings", [])
    write(src, "houses", terrace(3))
    registry = str(tmp_path / "r.sqlite")
    assign((src, "houses"), src, str(tmp_path / "first.gpkg"), registry)  # an earlier run: the registry exists
    shutil.copy(registry, registry + ".before")
    with pytest.raises(EngineError) as e:
        assign((src, "buildings"), src, str(tmp_path / "out.gpkg"), registry)
    assert "has no features" in str(e.value) and "buildings" in str(e.value)
    write(src, "no_divisions", [])
    job = AssignJob(buildings=LayerInput(path=src, layer="houses"),
                    divisions=LayerInput(path=src, layer="no_divisions"), output=str(tmp_path / "out.gpkg"),
                    registry=registry)
    with pytest.raises(EngineError, match="division layer no_divisions has no features"):
        run_assign(job)
    assert digest(registry) == digest(registry + ".before")
    assert not os.path.exists(tmp_path / "out.gpkg") and not os.path.exists(tmp_path / "out.json")


def nan_ring(x0, y0, bad):
    """A 10 m square (lon/lat) with one vertex `bad` (NaN or inf), written through OGR."""
    ring = ogr.Geometry(ogr.wkbLinearRing)
    for dx, dy in ((0, 0), (10, 0), (10, 10), (0, 10), (0, 0)):
        ring.AddPoint_2D(x0 + dx * M_LON, y0 + dy * M_LAT)
    ring.SetPoint_2D(2, bad, y0 + 10 * M_LAT)
    g = ogr.Geometry(ogr.wkbPolygon)
    g.AddGeometry(ring)
    return g


@pytest.mark.parametrize("bad", [float("nan"), float("inf")])
def test_a_building_with_nan_coordinates_is_flagged_and_the_rest_coded(tmp_path, bad):
    src = str(tmp_path / "b.gpkg")
    write_divisions(src)
    houses = terrace(6)
    houses[3] = nan_ring(LON0 - 200 * M_LON, LAT0 + 100 * M_LAT, bad)
    write(src, "buildings", houses, {"bid": [10, 11, 12, 13, 14, 15]})
    res, rows, rep = assign((src, "buildings"), src, str(tmp_path / "out.gpkg"), str(tmp_path / "r.sqlite"),
                            id_field="bid")
    assert [r["cc_status"] for r in rows] == ["new"] * 3 + ["invalid_geometry"] + ["new"] * 2
    assert rep["invalid_geometry"] == [{"row": 4, "id": 13}] and res.counts["invalid_geometry"] == 1


def test_a_division_with_nan_coordinates_is_named(tmp_path):
    src = str(tmp_path / "b.gpkg")
    w, h = 600 * M_LON, 400 * M_LAT
    write(src, "divisions", [box_wkt(LON0 - w, LAT0, LON0, LAT0 + h), nan_ring(LON0, LAT0, float("nan"))],
          {"code": list(DIVS)})
    write(src, "buildings", terrace(4))
    houses = terrace(4)
    write(src, "zone", [nan_ring(LON0 - 300 * M_LON, LAT0 + 100 * M_LAT, float("inf")), houses[0]])
    res, rows, rep = assign((src, "buildings"), src, str(tmp_path / "out.gpkg"), str(tmp_path / "r.sqlite"),
                            planning=[LayerInput(path=src, layer="zone")])
    assert res.counts["new"] == 4
    assert [r["zone_hit"] for r in rows] == [1, 0, 0, 0]  # the good zone polygon still counts
    bad = [n["message"] for n in rep["input_checks"] if n["kind"] == "invalid_geometry"]
    assert len(bad) == 2 and "divisions: feature 2 (340104002)" in bad[0] and "zone: feature 1 " in bad[1]


# -- geometry types, division codes used twice ---------------------------------------------------------------
def test_a_geometry_collection_holding_a_polygon_is_coded(tmp_path):
    src = str(tmp_path / "b.gpkg")
    write_divisions(src)
    houses = terrace(3)
    gc = "GEOMETRYCOLLECTION({}, POINT({!r} {!r}))".format(houses[1], LON0 - 250 * M_LON, LAT0 + 50 * M_LAT)
    write(src, "buildings", [houses[0], gc, houses[2]], geom_type=ogr.wkbUnknown)
    res, rows, rep = assign((src, "buildings"), src, str(tmp_path / "out.gpkg"), str(tmp_path / "r.sqlite"))
    assert [r["cc_status"] for r in rows] == ["new"] * 3
    assert any(n["kind"] == "collection" for n in rep["input_checks"])


def test_points_and_lines_are_refused_or_coded_as_points(tmp_path):
    src = str(tmp_path / "b.gpkg")
    write_divisions(src)
    x, y = LON0 - 300 * M_LON, LAT0 + 100 * M_LAT
    line = "LINESTRING({!r} {!r}, {!r} {!r})".format(x, y, x + 700 * M_LON, y)  # its midpoint: east division
    write(src, "buildings", ["POINT({!r} {!r})".format(x, y), line] + terrace(2, y_m=200.0), geom_type=ogr.wkbUnknown)
    registry = str(tmp_path / "r.sqlite")
    with pytest.raises(EngineError) as e:
        assign((src, "buildings"), src, str(tmp_path / "out.gpkg"), registry)
    assert "1 point and 1 line features" in str(e.value) and "NON_POLYGONS_AS_POINTS" in str(e.value)
    assert not os.path.exists(registry)
    zone = write(str(tmp_path / "zone.gpkg"), "stbhhx", [box_wkt(x - 5 * M_LON, y - 5 * M_LAT, x + 5 * M_LON,
                                                                 y + 5 * M_LAT)])  # around the point only
    res, rows, rep = assign((src, "buildings"), src, str(tmp_path / "out.gpkg"), registry,
                            non_polygons_as_points=True, planning=[LayerInput(path=zone, layer="stbhhx")])
    assert [r["cc_status"] for r in rows] == ["new"] * 4
    assert [r["division"] for r in rows[:2]] == list(DIVS)
    assert [r["stbhhx_hit"] for r in rows] == [1, 0, 0, 0]
    assert any(n["kind"] == "points" for n in rep["input_checks"])


def test_two_division_polygons_with_one_code_are_one_division(tmp_path):
    """Division 340104001 drawn as two polygons: reported with their rows and extent; the buildings in both
    are numbered in one sequence."""
    src = str(tmp_path / "b.gpkg")
    w, h = 300 * M_LON, 400 * M_LAT
    boxes = [(LON0 - 2 * w, LAT0, LON0 - w, LAT0 + h), (LON0, LAT0, LON0 + w, LAT0 + h),
             (LON0 - w, LAT0, LON0, LAT0 + h)]
    write_divisions(src, codes=(DIVS[0], DIVS[1], DIVS[0]), boxes=boxes)
    write(src, "buildings", terrace(4, x_m=-500) + terrace(4, x_m=-200), {"bid": list(range(1, 9))})
    res, rows, rep = assign((src, "buildings"), src, str(tmp_path / "out.gpkg"), str(tmp_path / "r.sqlite"),
                            id_field="bid")
    codes = [r["citycode"] for r in rows]
    assert len(set(codes)) == 8 and {r["division"] for r in rows} == {DIVS[0]}
    assert res.counts["straddling"] == 0
    note = [n["message"] for n in rep["input_checks"] if n["kind"] == "division_duplicate"]
    assert len(note) == 1 and "rows 1, 3" in note[0] and DIVS[0] in note[0]
    assert rep["divisions"][DIVS[0]]["new"] == 8


# -- through Processing and the batch dialog -----------------------------------------------------------------
def test_processing_parameters_allow_fingerprints_and_points(tmp_path, citycode_processing):
    import processing
    from qgis.core import QgsProcessingException
    folder = tmp_path / "shp"
    folder.mkdir()
    shp = write(str(folder / "houses.shp"), "houses", terrace(3), {"bid": [1, 2, 3]})
    os.remove(str(folder / "houses.dbf"))
    divisions = write_divisions(str(tmp_path / "d.gpkg")) + "|layername=divisions"
    base = {"BUILDINGS": shp, "DIVISIONS": divisions, "REGISTRY": str(tmp_path / "r.sqlite"),
            "OUTPUT": str(tmp_path / "out.gpkg"), "REPORT": str(tmp_path / "out.json")}
    with pytest.raises(QgsProcessingException) as e:
        processing.run("citycode:assigncodes", base)
    assert "ALLOW_FINGERPRINTS" in str(e.value) and not os.path.exists(base["REGISTRY"])
    assert processing.run("citycode:assigncodes", dict(base, ALLOW_FINGERPRINTS=True))["NEW"] == 3

    points = str(tmp_path / "points.gpkg")
    write(points, "points", ["POINT({!r} {!r})".format(LON0 + k * 50 * M_LON, LAT0 + 100 * M_LAT) for k in (-2, 2)],
          geom_type=ogr.wkbPoint)
    base.update(BUILDINGS=points + "|layername=points", OUTPUT=str(tmp_path / "pts.gpkg"))
    with pytest.raises(QgsProcessingException) as e:
        processing.run("citycode:assigncodes", base)
    assert "NON_POLYGONS_AS_POINTS" in str(e.value)
    out = processing.run("citycode:assigncodes", dict(base, NON_POLYGONS_AS_POINTS=True))
    assert out["NEW"] == 2
    assert [r["division"] for r in read_rows(str(tmp_path / "pts.gpkg"))] == list(DIVS)


def test_the_batch_dialog_asks_before_coding_a_shapefile_without_dbf(qgis_iface, tmp_path, monkeypatch):
    from qgis.core import QgsProject, QgsVectorLayer
    from citycode.plugin.gui import batch
    folder = tmp_path / "shp"
    folder.mkdir()
    shp = write(str(folder / "houses.shp"), "houses", terrace(3), {"bid": [1, 2, 3]})
    os.remove(str(folder / "houses.dbf"))
    divisions = write_divisions(str(tmp_path / "d.gpkg"))
    layers = [QgsVectorLayer(shp, "houses", "ogr"), QgsVectorLayer(divisions + "|layername=divisions", "d", "ogr")]
    QgsProject.instance().addMapLayers(layers)
    started, asked = [], []
    monkeypatch.setattr(batch, "start_batch", lambda iface, params: started.append(params) or "task")
    try:
        for answer in (False, True):
            dialog = batch.BatchDialog(qgis_iface)
            dialog.features.setLayer(layers[0])
            dialog.divisions.setLayer(layers[1])
            dialog.output.setFilePath(str(tmp_path / "coded.gpkg"))
            dialog.registry.setFilePath(str(tmp_path / "registry.sqlite"))
            dialog.ask_fingerprints = lambda path, a=answer: asked.append(path) or a
            dialog.accept()
            assert len(started) == int(answer)
        assert asked == [shp, shp] and started[0]["ALLOW_FINGERPRINTS"] is True
    finally:
        QgsProject.instance().removeMapLayers([layer.id() for layer in layers])


def test_lonlat_fingerprints_of_any_shape_are_the_same_in_both_backends():
    """Holes, multipolygons, Z, shapes across two Gauss-Krüger zones: the projected fingerprint is byte for byte
    the same from shapely (vectorised) and from the WKB path of the QGIS backend."""
    import shapely
    from citycode.plugin.core.engine import geometry_shapely as S
    from citycode.plugin.core.engine import geometry_qgis as Q
    from pyproj import CRS
    rng = np.random.default_rng(7)
    shapes = []
    for k in range(300):
        cx, cy = 115.0 + rng.uniform(0, 6), 30 + rng.uniform(0, 2)  # zones 38-40
        r = 10 ** rng.uniform(-5, -3)
        shape = shapely.Point(cx, cy).buffer(r, int(rng.integers(1, 5)))
        if k % 3 == 1:
            shape = shape.difference(shapely.Point(cx, cy).buffer(r / 3))
        elif k % 3 == 2:
            shape = shapely.MultiPolygon([shape, shapely.box(cx + 2 * r, cy, cx + 3 * r, cy + r)])
        shapes.append(shapely.force_3d(shape) if k % 5 == 0 else shape)
    wkbs = shapely.to_wkb(np.array(shapes, dtype=object))
    wgs84 = CRS.from_epsg(4326).to_wkt()
    assert ids.fingerprints(S, S.from_wkb(wkbs), wgs84) == ids.fingerprints(Q, Q.from_wkb(wkbs), wgs84)


def test_codepoints_with_no_points_or_a_nan_point(tmp_path):
    """Monitoring points: a layer with no features is a message with nothing stored; a point whose coordinate is
    NaN is a row not imported, the others are coded (also for a layer without attribute fields)."""
    from citycode.plugin.core.points.monitoring import PointJob, run_points
    src = str(tmp_path / "p.gpkg")
    write_divisions(src)
    write(src, "empty", [], geom_type=ogr.wkbPoint)
    nan = ogr.Geometry(ogr.wkbPoint)
    nan.AddPoint_2D(float("nan"), LAT0 + 0.001)
    write(src, "pts", ["POINT({!r} {!r})".format(LON0 - 0.001, LAT0 + 0.001), nan,
                       "POINT({!r} {!r})".format(LON0 + 0.001, LAT0 + 0.001)], geom_type=ogr.wkbPoint)
    registry = str(tmp_path / "r.sqlite")

    def run(layer):
        return run_points(PointJob(points=LayerInput(path=src, layer=layer), divisions=LayerInput(
            path=src, layer="divisions"), output=str(tmp_path / (layer + ".gpkg")), registry=registry,
            report=str(tmp_path / (layer + ".json"))))
    res = run("pts")
    assert res.counts["new"] == 2 and res.counts["not_imported"] == 1
    assert [r["division"] for r in read_rows(str(tmp_path / "pts.gpkg"))] == list(DIVS)
    before = digest(registry)
    with pytest.raises(EngineError) as e:
        run("empty")
    assert "no rows or features" in str(e.value)
    assert digest(registry) == before and not os.path.exists(tmp_path / "empty.gpkg")


def test_one_feature_coded_in_qgis_has_the_batch_identity_on_lonlat_data(tmp_path, qgis_app):
    """The code form (feature_coding) and the batch give a lon/lat building without id the same identity."""
    from qgis.core import QgsVectorLayer
    from citycode.plugin.core.engine import layers
    from citycode.plugin.core.engine.feature_analysis import feature_identity
    src = write(str(tmp_path / "b.gpkg"), "buildings", terrace(5))
    table = layers.read(LayerInput(path=src, layer="buildings"))
    batch = ids.identities(table, BuildingGeometry(table), None, "buildings")
    layer = QgsVectorLayer(src + "|layername=buildings", "buildings", "ogr")
    assert [feature_identity(layer, f) for f in layer.getFeatures()] == batch.tolist()
    assert len(set(batch)) == 5


def test_codes_of_degree_fingerprints_are_carried_over_to_metric_ones(tmp_path):
    """A registry coded before fingerprints were in metres (0.01° grid, ~1 km): a lon/lat building that alone
    had its old fingerprint keeps its code (existing, not new); buildings that shared one get new codes and the
    log says how many old codes were left; a second run changes nothing more."""
    from citycode.plugin.core.codes.profiles import load_profile
    from citycode.plugin.core.registry.base import IssueRequest
    from citycode.plugin.core.registry.backends import open_registry
    src = str(tmp_path / "osm.gpkg")
    w, h = 3000 * M_LON, 3000 * M_LAT
    write_divisions(src, boxes=[(LON0 - w, LAT0, LON0, LAT0 + h), (LON0, LAT0, LON0 + w, LAT0 + h)])
    far = [box_wkt(LON0 + dx * M_LON, LAT0 + dy * M_LAT, LON0 + (dx + 12) * M_LON, LAT0 + (dy + 12) * M_LAT)
           for dx, dy in ((-2500.0, 500.0), (2500.0, 2500.0))]  # kilometres apart: their own 0.01° cells
    houses = far + terrace(5, x_m=-1000.0, y_m=1500.0)
    write(src, "buildings", houses)
    g = backend()
    old = ["geom:" + hashlib.sha1(w).hexdigest()
           for w in g.fingerprint_wkb(g.from_wkb(np.array([bytes(ogr.CreateGeometryFromWkt(h).ExportToIsoWkb())
                                                           for h in houses], dtype=object)))]
    assert len(set(old[:2])) == 2 and len(set(old[2:])) == 1  # the terrace shared one old fingerprint
    registry = str(tmp_path / "registry.sqlite")
    with open_registry(registry) as reg:  # what the earlier version issued: the first of the terrace got it
        before = reg.issue(load_profile("building"), IssueRequest(
            identity=np.array(old[:3], dtype=object), division=np.array([DIVS[0], DIVS[1], DIVS[0]]),
            year=np.full(3, 2024), order=np.arange(3)), "tester").code
    job = AssignJob(buildings=LayerInput(path=src, layer="buildings"), divisions=LayerInput(path=src,
                    layer="divisions"), output=str(tmp_path / "out.gpkg"), registry=registry, actor="tester",
                    default_year=2024)
    log = Log()
    res = run_assign(job, log)
    messages = log.lines
    rows = read_rows(job.output)
    assert [r["citycode"] for r in rows[:2]] == list(before[:2]) and res.counts["existing"] == 2
    assert res.counts["new"] == 5 and before[2] not in {r["citycode"] for r in rows}
    assert any("2 codes issued to these buildings under their former fingerprints" in m for m in messages)
    assert any("1 codes were issued under former fingerprints" in m for m in messages)
    again = run_assign(dataclasses.replace(job, output=str(tmp_path / "again.gpkg")))
    assert again.counts["existing"] == 7 and again.counts["new"] == 0
