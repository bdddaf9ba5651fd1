"""Web-map datum detection (plugin/core/china/datum_detect.py) and the datum choice of every coding algorithm.

The web-map layers are made here from CGCS2000 data with datums.py's forward transform, the way AMap/DataV
publish theirs; the reference seats are the shipped resources/reference/division_seats.csv.
"""
import json
from pathlib import Path

import numpy as np
import pytest
from osgeo import ogr, osr

from citycode.plugin.core.china import datum_detect
from citycode.plugin.core.china import datums
from citycode.plugin.core.engine.assign import AssignJob, LayerInput, run_assign
from citycode.plugin.core.engine.layers import read
from feedback import Log

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = str(ROOT / "resources" / "sample" / "sample_town.gpkg")
ANHUI = ("3401", "3403", "3404", "3405", "3406", "3408", "3410", "3411", "3412", "3413", "3415", "3416")


def _script():
    """scripts/make_sample_web_data.py: the resources/sample web-map files are made with its functions."""
    import importlib.util
    spec = importlib.util.spec_from_file_location("make_sample_web_data", ROOT / "scripts" / "make_sample_web_data.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_datav_districts(path, datum=datums.GCJ02):
    """The sample town's divisions as DataV publishes districts: GeoJSON in `datum`, nested properties."""
    script = _script()
    return script.write(script.datav_districts(datum), str(path))


def write_seats(path, datum, codes=ANHUI, noise_m=0.0, as_points=False, name_field="name"):
    """Prefectures as a DataV-like layer (small squares, `center` = the seat) or as seat points, in `datum`."""
    ref = datum_detect.reference()
    rng = np.random.default_rng(7)
    features = []
    for code in codes:
        lon, lat = ref[code]
        lon, lat = (float(v) for v in datums.convert_xy(lon, lat, datums.WGS84, datum))
        lon += rng.normal(0, noise_m) / 95000.0
        lat += rng.normal(0, noise_m) / 111000.0
        if as_points:
            geometry = {"type": "Point", "coordinates": [lon, lat]}
            props = {"code": code + "00", name_field: code}
        else:
            geometry = {"type": "Polygon", "coordinates": [[[lon - .1, lat - .1], [lon + .1, lat - .1],
                                                            [lon + .1, lat + .1], [lon - .1, lat - .1]]]}
            props = {"adcode": int(code + "00"), "name": code, "center": [lon, lat], "childrenNum": 3,
                     "level": "city", "parent": {"adcode": 340000}, "acroutes": [100000, 340000]}
        features.append({"type": "Feature", "geometry": geometry, "properties": props})
    Path(path).write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    return str(path)


def detect(path, **kw):
    inp = LayerInput(path=path, **kw)
    return datum_detect.detect(inp, read(inp))


# -- the reference ---------------------------------------------------------------------------------------------
def test_reference_is_in_china_and_keyed_by_province_and_prefecture():
    ref = datum_detect.reference()
    assert len(ref) >= 200
    lon, lat = np.array(list(ref.values())).T
    assert datums.in_china(lon, lat).all()
    assert all(len(k) in (2, 4) for k in ref)
    assert abs(ref["3401"][0] - 117.28) < 0.1 and abs(ref["3401"][1] - 31.86) < 0.1  # 合肥
    assert [datum_detect.seat_key(c) for c in ("340100", "340000", 340100000000, "340104", "3401", "34")] == \
        ["3401", "34", "3401", None, "3401", "34"]


# -- the coordinate test ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("datum", [datums.GCJ02, datums.BD09])
def test_seats_offset_by_a_web_datum_are_recognised_whatever_the_names(tmp_path, datum):
    found = detect(write_seats(tmp_path / "cities_cgcs2000.geojson", datum, noise_m=80))
    assert found.datum == datum and found.clear
    assert "12 seats matched" in found.evidence[0]


def test_seat_points_in_gcj02_are_recognised(tmp_path):
    found = detect(write_seats(tmp_path / "stations.geojson", datums.GCJ02, as_points=True, noise_m=80))
    assert (found.datum, found.clear) == (datums.GCJ02, True)


def test_datav_schema_with_wgs84_seats_is_not_converted(tmp_path):
    """Coordinates that agree with the reference outweigh a DataV schema (e.g. a file already converted)."""
    found = detect(write_seats(tmp_path / "datav_cities.geojson", datums.WGS84, noise_m=80))
    assert found.datum == datums.GCJ02 and not found.clear  # the schema says GCJ-02, the coordinates do not
    assert any("as labelled" in e for e in found.evidence)


def test_scattered_seats_decide_nothing(tmp_path):
    """Seats a few km off at random (centres, not seats) leave the coordinate test silent: no datum from it."""
    path = write_seats(tmp_path / "places.geojson", datums.GCJ02, as_points=True, noise_m=4000)
    assert detect(path).datum is None


def test_plain_layers_say_nothing():
    for layer in ("buildings", "divisions", "monitoring_points"):
        found = detect(SAMPLE, layer=layer)
        assert found.datum is None and found.evidence == []


@pytest.mark.parametrize("name,datum", [("amap_districts", datums.GCJ02), ("百度_边界", datums.BD09),
                                        ("datav_areas", datums.GCJ02), ("gcj02", datums.GCJ02)])
def test_name_hints(tmp_path, name, datum):
    path = tmp_path / (name + ".geojson")
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {
        "code": "340104001"}, "geometry": {"type": "Point", "coordinates": [117.2, 31.8]}}]}), encoding="utf-8")
    found = detect(str(path))
    assert (found.datum, found.clear) == (datum, True) and name in found.evidence[0]


def test_name_hints_do_not_count_for_a_layer_labelled_cgcs2000(tmp_path):
    path = str(tmp_path / "amap_in_cgcs2000.gpkg")
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(path)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4490)
    layer = ds.CreateLayer("amap_in_cgcs2000", srs, ogr.wkbPoint)
    f = ogr.Feature(layer.GetLayerDefn())
    f.SetGeometry(ogr.CreateGeometryFromWkt("POINT (117.2 31.8)"))
    layer.CreateFeature(f)
    ds = None
    assert detect(path).datum is None


# -- assigncodes: DataV districts in GCJ-02, buildings in CGCS2000 ---------------------------------------------
def _divisions_of(result):
    ds = ogr.Open(result.output)
    return {f.GetField("id"): f.GetField("division") for f in ds.GetLayerByName(result.output_layer)}


def _job(tmp, divisions, datum=None):
    return AssignJob(buildings=LayerInput(path=SAMPLE, layer="buildings"),
                     divisions=LayerInput(path=divisions, datum=datum), division_field="adcode", id_field="id",
                     default_year=2024, output=str(tmp / "coded.gpkg"), registry=str(tmp / "registry.sqlite"),
                     actor="tester")


@pytest.fixture(scope="module")
def truth(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("truth")
    job = AssignJob(buildings=LayerInput(path=SAMPLE, layer="buildings"),
                    divisions=LayerInput(path=SAMPLE, layer="divisions"), id_field="id", default_year=2024,
                    output=str(tmp / "coded.gpkg"), registry=str(tmp / "registry.sqlite"), actor="tester")
    return _divisions_of(run_assign(job))


def test_gcj02_districts_misplace_buildings_as_labelled_with_a_warning(tmp_path, truth):
    divisions = write_datav_districts(tmp_path / "districts.geojson")
    log = Log()
    placed = _divisions_of(run_assign(_job(tmp_path, divisions), log))
    wrong = sum(placed[k] != v for k, v in truth.items())
    assert wrong > 20  # hundreds of metres: buildings near boundaries land in the neighbour
    warning = [line for line in log.lines if "not converted" in line]
    assert warning and "GCJ-02" in warning[0] and "DataV/AMap" in warning[0]


def test_auto_converts_gcj02_districts_and_says_so(tmp_path, truth):
    divisions = write_datav_districts(tmp_path / "districts.geojson")
    log = Log()
    result = run_assign(_job(tmp_path, divisions, datum_detect.AUTO), log)
    placed = _divisions_of(result)
    assert sum(placed[k] != v for k, v in truth.items()) == 0
    said = [line for line in log.lines if "converted from GCJ-02 to CGCS2000" in line]
    assert said and "DataV/AMap" in said[0]


def test_the_shipped_sample_is_what_the_script_makes_and_is_detected(tmp_path):
    shipped = ROOT / "resources" / "sample" / "datav_districts_gcj02.geojson"
    assert shipped.read_bytes() == Path(write_datav_districts(tmp_path / "made.geojson")).read_bytes()
    found = detect(str(shipped))
    assert (found.datum, found.clear) == (datums.GCJ02, True)


def test_auto_leaves_cgcs2000_districts_alone(tmp_path, truth):
    divisions = write_datav_districts(tmp_path / "districts_cgcs2000.geojson", datums.CGCS2000)
    log = Log()
    # The DataV schema says GCJ-02 and the coordinates cannot tell (no seats): the name says CGCS2000.
    placed = _divisions_of(run_assign(_job(tmp_path, divisions, datum_detect.AUTO), log))
    assert sum(placed[k] != v for k, v in truth.items()) == 0
    assert not [line for line in log.lines if "converted" in line]


# -- the algorithms ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("alg,params", [
    ("citycode:assigncodes", ("BUILDINGS_DATUM", "DIVISIONS_DATUM", "PLANNING_DATUM")),
    ("citycode:overlaycheck", ("BUILDINGS_DATUM", "PLANNING_DATUM")),
    ("citycode:codepoints", ("DATUM", "DIVISIONS_DATUM", "PLANNING_DATUM")),
])
def test_every_coding_algorithm_has_a_datum_choice_per_input_defaulting_to_detection(citycode_processing, alg,
                                                                                     params):
    from qgis.core import QgsApplication
    algorithm = QgsApplication.processingRegistry().algorithmById(alg)
    for name in params:
        param = algorithm.parameterDefinition(name)
        assert param is not None, name
        assert param.metadata()["citycode_names"][param.defaultValue()] == "auto"


def test_assigncodes_detects_datav_districts_by_default(citycode_processing, tmp_path, truth):
    import processing
    divisions = write_datav_districts(tmp_path / "districts.geojson")
    result = processing.run("citycode:assigncodes", {
        "BUILDINGS": SAMPLE + "|layername=buildings", "DIVISIONS": divisions, "DIVISION_FIELD": "adcode",
        "ID_FIELD": "id", "DEFAULT_YEAR": 2024, "REGISTRY": str(tmp_path / "registry.sqlite"),
        "OUTPUT": str(tmp_path / "coded.gpkg"), "REPORT": str(tmp_path / "report.json")})
    ds = ogr.Open(result["OUTPUT"].split("|")[0])
    placed = {f.GetField("id"): f.GetField("division") for f in ds.GetLayer(0)}
    assert placed == truth
    report = json.loads(Path(result["REPORT"]).read_text(encoding="utf-8"))
    kinds = [n["kind"] for n in report["input_checks"]]
    assert "datum_detected" in kinds

    as_labelled = processing.run("citycode:assigncodes", {
        "BUILDINGS": SAMPLE + "|layername=buildings", "DIVISIONS": divisions, "DIVISION_FIELD": "adcode",
        "ID_FIELD": "id", "DEFAULT_YEAR": 2024, "REGISTRY": str(tmp_path / "registry2.sqlite"),
        "DIVISIONS_DATUM": "as_labelled", "OUTPUT": str(tmp_path / "coded2.gpkg"),
        "REPORT": str(tmp_path / "report2.json")})
    report = json.loads(Path(as_labelled["REPORT"]).read_text(encoding="utf-8"))
    assert "datum_suspect" in [n["kind"] for n in report["input_checks"]]


def test_batch_dialog_has_a_datum_choice_per_input_and_the_parts_choice(citycode_processing, qgis_iface):
    from citycode.plugin.gui.batch import BatchDialog
    dialog = BatchDialog(qgis_iface)
    params = dialog.parameters()
    assert [params[k] for k in ("BUILDINGS_DATUM", "DIVISIONS_DATUM", "PLANNING_DATUM", "PARTS")] == \
        ["auto", "auto", "auto", "units"]
    dialog.datums["DIVISIONS_DATUM"].setCurrentIndex(dialog.datums["DIVISIONS_DATUM"].findData("gcj02"))
    dialog.parts.setCurrentIndex(dialog.parts.findData("report"))
    params = dialog.parameters()
    assert (params["DIVISIONS_DATUM"], params["PARTS"]) == ("gcj02", "report")
    dialog.deleteLater()


def test_convertdatum_from_a_detected_datum(citycode_processing, tmp_path):
    import processing
    from qgis.core import QgsProcessingException
    shipped = str(ROOT / "resources" / "sample" / "datav_districts_gcj02.geojson")
    outputs = {}
    for src in ("auto", "gcj02"):
        out = processing.run("citycode:convertdatum", {"INPUT": shipped, "FROM": src, "TO": "cgcs2000",
                                                        "OUTPUT": str(tmp_path / (src + ".geojson"))})["OUTPUT"]
        outputs[src] = [f["geometry"] for f in json.loads(Path(out).read_text(encoding="utf-8"))["features"]]
    assert outputs["auto"] == outputs["gcj02"]
    with pytest.raises(QgsProcessingException, match="Cannot tell which web-map datum"):
        processing.run("citycode:convertdatum", {"INPUT": SAMPLE + "|layername=divisions", "FROM": "auto",
                                                  "TO": "cgcs2000", "OUTPUT": str(tmp_path / "none.gpkg")})
    assert not (tmp_path / "none.gpkg").exists()


def test_codepoints_applies_the_datum_to_a_point_layer_qgis_holds(citycode_processing, tmp_path):
    """A memory layer of points picked on AMap (GCJ-02): DATUM=GCJ02 moves them, as it does for a file."""
    import processing
    from qgis.core import QgsFeature, QgsGeometry, QgsPointXY, QgsVectorLayer
    lon, lat = 117.2531, 31.8494  # in the sample town
    gx, gy = (float(v) for v in datums.convert_xy(lon, lat, datums.WGS84, datums.GCJ02))
    layer = QgsVectorLayer("Point?crs=EPSG:4326&field=name:string", "picked", "memory")
    feature = QgsFeature(layer.fields())
    feature.setAttributes(["a"])
    feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(gx, gy)))
    layer.dataProvider().addFeatures([feature])
    result = processing.run("citycode:codepoints", {
        "INPUT": layer, "DIVISIONS": SAMPLE + "|layername=divisions", "DATUM": "GCJ02",
        "REGISTRY": str(tmp_path / "registry.sqlite"), "OUTPUT": str(tmp_path / "points.gpkg")})
    ds = ogr.Open(result["OUTPUT"].split("|")[0])
    f = ds.GetLayer(0).GetNextFeature()
    assert abs(f.GetField("lon_cgcs") - lon) < 1e-7 and abs(f.GetField("lat_cgcs") - lat) < 1e-7
