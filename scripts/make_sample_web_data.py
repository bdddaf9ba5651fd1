#!/usr/bin/python3
"""Sample files of the kinds that come from web maps and OpenStreetMap, made from resources/sample/sample_town.gpkg:

  resources/sample/datav_districts_gcj02.geojson   the town's divisions as DataV/AMap publish districts: GCJ-02
                                                   lon/lat labelled WGS84, nested properties (center, parent,
                                                   acroutes …), adcode a number in some features, text in others
  resources/sample/osm_buildings_with_parts.geojson  40 of its buildings as an OSM export (WGS84 lon/lat, building=yes)
                                                   with building:part polygons inside 8 of them (2 each)

Usage: scripts/make_sample_web_data.py      (osgeo and the plugin's datums.py; deterministic output)
The tests (test_datum_detect.py, test_building_parts.py) make their files with these functions too.
"""
import json
import os
import sys

from osgeo import ogr, osr

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLE = os.path.join(ROOT, "resources", "sample", "sample_town.gpkg")
PARTS_IN = 8           # buildings with parts
BUILDINGS = 40         # buildings in the OSM sample


def _datums():
    """The plugin's datums.py: the checkout imported as the package `citycode` (as the tests do, conftest.py)."""
    pkgroot = os.path.join(ROOT, "build", "pkgroot")
    if not os.path.exists(os.path.join(pkgroot, "citycode")):
        os.makedirs(pkgroot, exist_ok=True)
        os.symlink(ROOT, os.path.join(pkgroot, "citycode"), target_is_directory=True)
    if pkgroot not in sys.path:
        sys.path.insert(0, pkgroot)
    from citycode.plugin.core.china import datums
    return datums


def _to_lonlat():
    src, dst = osr.SpatialReference(), osr.SpatialReference()
    src.ImportFromEPSG(4527)
    dst.ImportFromEPSG(4490)
    for s in (src, dst):
        s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return osr.CoordinateTransformation(src, dst)


def _geojson(geom, datum):
    """An OGR geometry of the sample (EPSG:4527) as a GeoJSON geometry in `datum` lon/lat, 7 decimals."""
    datums = _datums()
    geom = geom.Clone()
    geom.Transform(_to_lonlat())

    def walk(c):
        if isinstance(c[0], (int, float)):
            x, y = datums.convert_xy(c[0], c[1], datums.CGCS2000, datum)
            return [round(float(x), 7), round(float(y), 7)]
        return [walk(p) for p in c]
    g = json.loads(geom.ExportToJson())
    return {"type": g["type"], "coordinates": walk(g["coordinates"])}


def datav_districts(datum="gcj02"):
    """The sample's divisions as a DataV district FeatureCollection in `datum`."""
    datums = _datums()
    ds = ogr.Open(SAMPLE)
    features = []
    for i, f in enumerate(ds.GetLayerByName("divisions")):
        p = f.GetGeometryRef().PointOnSurface()
        p.Transform(_to_lonlat())
        cx, cy = (round(float(v), 6) for v in datums.convert_xy(p.GetX(), p.GetY(), datums.CGCS2000, datum))
        code = f.GetField("code")
        features.append({"type": "Feature", "properties": {
            "adcode": int(code) if i % 2 == 0 else code, "name": f.GetField("name"), "center": [cx, cy],
            "centroid": [cx, cy], "childrenNum": 0, "level": "street", "parent": {"adcode": 340104},
            "subFeatureIndex": i, "acroutes": [100000, 340000, 340100, 340104]},
            "geometry": _geojson(f.GetGeometryRef(), datum)})
    return {"type": "FeatureCollection", "features": features}


def osm_buildings_with_parts():
    """Sample buildings as OSM exports them, with two building:part polygons inside each of the first PARTS_IN."""
    datums = _datums()
    ds = ogr.Open(SAMPLE)
    features = []
    for f in ds.GetLayerByName("buildings"):
        if len(features) >= BUILDINGS + 2 * PARTS_IN:
            break
        geom = f.GetGeometryRef()
        if geom is None or not geom.IsValid():
            continue
        osm_id = 1000 + f.GetField("id")
        features.append({"type": "Feature", "properties": {"id": osm_id, "building": "yes", "building:part": None,
                                                           "building:levels": f.GetField("floors")},
                         "geometry": _geojson(geom, datums.WGS84)})
        if osm_id - 1000 <= PARTS_IN:
            for k, shrink in enumerate((1.0, 3.0)):
                features.append({"type": "Feature", "properties": {
                    "id": 900000 + 10 * (osm_id - 1000) + k, "building": None, "building:part": "yes",
                    "building:levels": (f.GetField("floors") or 1) + k}, "geometry": _geojson(geom.Buffer(-shrink),
                                                                                              datums.WGS84)})
    return {"type": "FeatureCollection", "features": features}


def write(collection, path):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(collection, f, ensure_ascii=False, indent=None, separators=(",", ":"))
        f.write("\n")
    return path


def main():
    out = os.path.join(ROOT, "resources", "sample")
    for name, collection in (("datav_districts_gcj02.geojson", datav_districts()),
                             ("osm_buildings_with_parts.geojson", osm_buildings_with_parts())):
        print(write(collection, os.path.join(out, name)), len(collection["features"]), "features")


if __name__ == "__main__":
    main()
