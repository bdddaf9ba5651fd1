"""Identities and inputs you can trust (issue 14, items 2, 4 and 5): geometry fingerprints in metres whatever the
CRS, duplicate and null identities named, a shapefile without its .dbf, a layer with no features, non-finite
coordinates, geometry types other than polygons, and division codes used twice.

Runs with either geometry backend (CITYCODE_SPEEDUPS=off: QGIS's own); test data are written with OGR.
"""
import hashlib
import json
import os
import shutil

import numpy as np
import pytest
from osgeo import gdal, ogr, osr

from citycode.plugin.core import engine
from citycode.plugin.core.engine import AssignJob, EngineError, LayerInput, run_assign
from citycode.plugin.core.geometry_backend import backend

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
    from citycode.plugin.core import geometry as S, geometry_qgis as Q
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
        prints[name] = engine.fingerprints(g, g.from_wkb(wkbs), wgs84)
        assert engine.fingerprints(g, g.from_wkb(rounded), wgs84) == prints[name][:len(houses)]
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
    fp = engine.fingerprints(g, geoms, CRS.from_epsg(4527).to_wkt())
    assert fp == g.fingerprint_wkb(geoms)
    assert hashlib.sha1(fp[0]).hexdigest() == "1566838f40f2357179909d82e49406a767dd584a"
