"""GeoJSON properties of any type — nested objects, arrays, a field whose type changes between features — read and
written by every algorithm that reads GeoJSON. They are kept as JSON text (core/json_fields.py says why); the
tests read every output back and parse the text to the values the input held."""
import json
from pathlib import Path

import pytest
from osgeo import gdal, ogr

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = str(ROOT / "resources" / "sample" / "sample_town.gpkg")

# DataV's district properties, and the same keys with other types in other features.
PROPS = [
    {"adcode": 340104, "name": "蜀山区", "center": [117.260536, 31.85124], "childrenNum": 0, "level": "district",
     "parent": {"adcode": 340100}, "subFeatureIndex": 0, "acroutes": [100000, 340000, 340100], "extra": None},
    {"adcode": "340103", "name": "庐阳区", "center": [117.26452, 31.878659], "childrenNum": "0", "level": "district",
     "parent": {"adcode": 340100, "names": ["合肥", {"en": "Hefei"}]}, "subFeatureIndex": 1, "acroutes": "none",
     "extra": {"a": [1, {"b": 2}]}},
    {"adcode": 340111, "name": "包河区", "center": None, "childrenNum": 0, "level": "district", "parent": "340100",
     "subFeatureIndex": 2, "acroutes": [100000], "extra": "x"},
]
NESTED = ("center", "parent", "acroutes", "extra", "adcode", "childrenNum")


def write_geojson(path, props=PROPS, geometry=None):
    features = [{"type": "Feature", "properties": p, "geometry": geometry or {"type": "Polygon", "coordinates": [[
        [117.2 + i * .01, 31.8], [117.21 + i * .01, 31.8], [117.21 + i * .01, 31.81], [117.2 + i * .01, 31.8]]]}}
        for i, p in enumerate(props)]
    Path(path).write_text(json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False),
                          encoding="utf-8")
    return str(path)


def as_written(value):
    """What a property becomes: JSON values parse back to themselves; a scalar of a mixed field is its text."""
    if value is None or isinstance(value, (dict, list)):
        return value
    return str(value)


def read_props(path, layer=None):
    """Each feature's properties as stored: GeoJSON natively, other formats' text fields parsed as JSON."""
    if str(path).endswith(".geojson"):
        return [f["properties"] for f in json.loads(Path(path).read_text(encoding="utf-8"))["features"]]
    ds = gdal.OpenEx(str(path), gdal.OF_VECTOR)
    lyr = ds.GetLayerByName(layer) if layer else ds.GetLayer(0)
    out = []
    for f in lyr:
        row = {}
        for i in range(f.GetFieldCount()):
            name = f.GetFieldDefnRef(i).GetName()
            text = f.GetFieldAsString(i) if f.IsFieldSetAndNotNull(i) else None
            try:
                row[name] = json.loads(text) if text and text[0] in "[{" else text
            except ValueError:
                row[name] = text
        out.append(row)
    return out


def assert_kept(rows, props=PROPS):
    assert len(rows) == len(props)
    for row, p in zip(rows, props):
        for key in NESTED:
            got, want = row.get(key), as_written(p[key])
            if isinstance(got, (int, float)) and not isinstance(got, bool):
                got = str(got)
            assert got == want, (key, got, want)


@pytest.mark.parametrize("ext", ["geojson", "gpkg"])
def test_convertdatum_round_trip(citycode_processing, tmp_path, ext):
    import processing
    src = write_geojson(tmp_path / "districts.geojson")
    out = processing.run("citycode:convertdatum", {"INPUT": src, "FROM": "gcj02", "TO": "cgcs2000",
                                                    "OUTPUT": str(tmp_path / ("out." + ext))})["OUTPUT"]
    assert_kept(read_props(out.split("|")[0]))


def test_checkdivisions_reads_mixed_codes_and_keeps_the_rest(citycode_processing, tmp_path):
    import processing
    src = write_geojson(tmp_path / "districts.geojson")
    result = processing.run("citycode:checkdivisions", {"INPUT": src, "CODE_FIELD": "adcode", "NAME_FIELD": "name",
                                                         "OUTPUT": str(tmp_path / "checked.gpkg")})
    rows = read_props(result["OUTPUT"].split("|")[0])
    assert [r["status"] for r in rows] == ["ok", "ok", "ok"]  # 340103 (text among numbers) was read too
    assert result["WRONG_LENGTH"] == 0
    assert_kept(rows)


def test_checkdivisions_of_selected_features_keeps_their_own_values(citycode_processing, tmp_path):
    """Selected features only: the values are read back by feature id, each row keeps its own."""
    import processing
    from qgis.core import QgsProcessingFeatureSourceDefinition, QgsProject, QgsVectorLayer
    layer = QgsVectorLayer(write_geojson(tmp_path / "districts.geojson"), "districts", "ogr")
    QgsProject.instance().addMapLayer(layer)
    try:
        layer.selectByIds([1, 2])
        result = processing.run("citycode:checkdivisions", {
            "INPUT": QgsProcessingFeatureSourceDefinition(layer.id(), True), "CODE_FIELD": "adcode",
            "OUTPUT": str(tmp_path / "checked.gpkg")})
    finally:
        QgsProject.instance().removeMapLayer(layer.id())
    rows = read_props(result["OUTPUT"].split("|")[0])
    assert [r["status"] for r in rows] == ["ok", "ok"]
    assert_kept(rows, PROPS[1:])


@pytest.mark.parametrize("engine", ["auto", "qgis"])
def test_assigncodes_divisions_and_buildings_from_datav_like_geojson(citycode_processing, tmp_path, engine):
    """DataV divisions (mixed adcode) and GeoJSON buildings with nested properties, through both readers."""
    import processing
    ds = ogr.Open(SAMPLE)
    div_features, building_features = [], []
    for f in ds.GetLayerByName("divisions"):
        g = json.loads(f.GetGeometryRef().ExportToJson())
        code = f.GetField("code")
        div_features.append({"type": "Feature", "geometry": g, "properties": {
            "adcode": code if len(div_features) % 2 else int(code), "parent": {"adcode": 340104},
            "acroutes": [100000, 340000]}})
    for i, f in enumerate(ds.GetLayerByName("buildings")):
        if i >= 60:
            break
        building_features.append({"type": "Feature", "geometry": json.loads(f.GetGeometryRef().ExportToJson()),
                                  "properties": {"id": f.GetField("id"), "tags": {"building": "yes", "levels": i},
                                                 "refs": [i, i + 1], "mixed": i if i % 2 else str(i)}})
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4527"}}
    for name, feats in (("divisions", div_features), ("buildings", building_features)):
        (tmp_path / (name + ".geojson")).write_text(json.dumps(
            {"type": "FeatureCollection", "crs": crs, "features": feats}), encoding="utf-8")
    result = processing.run("citycode:assigncodes", {
        "BUILDINGS": str(tmp_path / "buildings.geojson"), "DIVISIONS": str(tmp_path / "divisions.geojson"),
        "DIVISION_FIELD": "adcode", "ID_FIELD": "id", "ENGINE": engine, "DIVISIONS_DATUM": "as_labelled",
        "REGISTRY": str(tmp_path / "registry.sqlite"), "OUTPUT": str(tmp_path / "coded.gpkg")})
    rows = read_props(result["OUTPUT"].split("|")[0])
    assert json.loads(result["COUNTS"])["coded"] > 50
    by_id = {r["id"] if isinstance(r["id"], int) else int(r["id"]): r for r in rows}
    for f in building_features:
        p, row = f["properties"], by_id[f["properties"]["id"]]
        assert row["tags"] == p["tags"] and row["refs"] == p["refs"] and str(row["mixed"]) == str(p["mixed"])


@pytest.mark.parametrize("alg", ["citycode:codepoints", "citycode:importpoints"])
def test_point_imports_keep_nested_properties(citycode_processing, tmp_path, alg):
    import processing
    props = [{"站号": "58321", "tags": {"a": 1}, "refs": [1, 2], "mixed": 1},
             {"站号": "58322", "tags": {"a": [2, {"b": None}]}, "refs": [3], "mixed": "x"}]
    features = [{"type": "Feature", "properties": p, "geometry": {"type": "Point", "coordinates": [117.25 + i / 100,
                                                                                                    31.85]}}
                for i, p in enumerate(props)]
    src = tmp_path / "stations.geojson"
    src.write_text(json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False),
                   encoding="utf-8")
    params = {"INPUT_FILE": str(src), "DIVISIONS": SAMPLE + "|layername=divisions",
              "REGISTRY": str(tmp_path / "registry.sqlite")} if alg == "citycode:codepoints" else {"INPUT": str(src)}
    result = processing.run(alg, dict(params, OUTPUT=str(tmp_path / "points.gpkg")))
    rows = read_props(result["OUTPUT"].split("|")[0])
    assert [(r["tags"], r["refs"], str(r["mixed"])) for r in rows] == \
        [(p["tags"], p["refs"], str(p["mixed"])) for p in props]


def test_validatecodes_and_samplerasters_keep_nested_properties(citycode_processing, tmp_path):
    import processing
    src = write_geojson(tmp_path / "districts.geojson")
    result = processing.run("citycode:validatecodes", {"INPUT": src, "FIELD": "adcode",
                                                        "OUTPUT": str(tmp_path / "validated.gpkg")})
    assert_kept(read_props(result["OUTPUT"].split("|")[0]))
    assert result["VALID"] == 3  # GB/T 2260 codes, 340103 (text among numbers) included

    points = write_geojson(tmp_path / "points.geojson", geometry={"type": "Point", "coordinates": [117.25, 31.85]})
    result = processing.run("citycode:samplerasters", {"INPUT": points, "RASTERS": [str(ROOT / "resources" / "sample"
                                                                                      / "dem.tif")],
                                                        "OUTPUT": str(tmp_path / "sampled.gpkg")})
    assert_kept(read_props(result["OUTPUT"].split("|")[0]))
