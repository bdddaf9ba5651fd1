"""Bad input for every algorithm, through processing.run in-process (issue 14, item 8).

Each case is (algorithm, parameters, a piece of the message a user must get). For each: the run fails with a
QgsProcessingException holding that message (no traceback text), the piece is a message with a Chinese
translation in the zh_CN catalogue, and nothing stored changed: every file of the fixture folder (the registry,
an earlier output, the inputs, a field package) has the same bytes afterwards, and the case's own output folder
stays empty.
"""
import gc
import re
import sqlite3
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
import shapely
from osgeo import gdal, osr
from pyogrio.raw import write as ogr_write
from qgis.core import QgsProcessingException, QgsProcessingFeedback

ROOT = Path(__file__).resolve().parent.parent
X0, Y0 = 38_500_000.0, 4_400_000.0
CRS = "EPSG:4526"
DIV_A, DIV_B = "110101001", "110101002"


def _gpkg(path, layer, geoms, fields, geometry_type="Polygon", crs=CRS):
    names = list(fields)
    ogr_write(str(path), np.array([shapely.to_wkb(g) for g in geoms], dtype=object),
              [np.asarray(fields[n]) for n in names], names, layer=layer, driver="GPKG", crs=crs,
              geometry_type=geometry_type, append=Path(path).exists())
    return f"{path}|layername={layer}"


def _box(x0, y0, x1, y1):
    return shapely.box(X0 + x0, Y0 + y0, X0 + x1, Y0 + y1)


@pytest.fixture(scope="module")
def town(tmp_path_factory, citycode_processing):
    """A town (divisions, buildings, a red line, points, an empty layer), a registry coded by a first run with
    its output, a field package, a raster and a few broken files; everything the cases must leave as it is."""
    import processing
    base = tmp_path_factory.mktemp("bad_input")
    data = base / "data"
    data.mkdir()
    gpkg = data / "town.gpkg"
    d = {"dir": data, "base": base}
    d["divisions"] = _gpkg(gpkg, "divisions", [_box(0, 0, 100, 100), _box(100, 0, 200, 100)],
                           {"code": np.array([DIV_A, DIV_B], dtype=object)})
    d["buildings"] = _gpkg(gpkg, "buildings", [_box(10, 10, 30, 30), _box(120, 10, 140, 40), _box(50, 50, 60, 70)],
                           {"id": np.array([1, 2, 3], dtype=np.int64), "year": np.array([2020, 2021, 2022])})
    d["redline"] = _gpkg(gpkg, "redline", [_box(0, 0, 55, 100)], {"kind": np.array(["红线"], dtype=object)})
    d["points"] = _gpkg(gpkg, "points", [shapely.Point(X0 + 20, Y0 + 20), shapely.Point(X0 + 150, Y0 + 50)],
                        {"pid": np.array(["p1", "p2"], dtype=object)}, "Point")
    d["lines"] = _gpkg(gpkg, "lines", [shapely.LineString([(X0, Y0), (X0 + 50, Y0 + 50)])],
                       {"id": np.array([1], dtype=np.int64)}, "LineString")
    d["empty"] = _gpkg(gpkg, "empty", [], {"id": np.array([], dtype=np.int64)})
    d["registry"] = str(data / "registry.sqlite")
    d["coded"] = str(data / "coded.gpkg")
    processing.run("citycode:assigncodes", {"BUILDINGS": d["buildings"], "DIVISIONS": d["divisions"],
                                            "ID_FIELD": "id", "YEAR_FIELD": "year", "REGISTRY": d["registry"],
                                            "OUTPUT": d["coded"]})
    d["coded_layer"] = d["coded"] + "|layername=buildings_coded"
    d["package"] = str(data / "package.gpkg")
    processing.run("citycode:checkout", {"REGISTRY": d["registry"], "DIVISIONS": d["divisions"],
                                         "DIVISION_CODES": DIV_A, "BLOCK_SIZE": 10, "OUTPUT": d["package"]})
    d["other_registry"] = str(data / "other_registry.sqlite")
    processing.run("citycode:assigncodes", {"BUILDINGS": d["buildings"], "DIVISIONS": d["divisions"],
                                            "ID_FIELD": "id", "REGISTRY": d["other_registry"],
                                            "OUTPUT": str(data / "other.gpkg")})
    newer = data / "newer.sqlite"
    newer.write_bytes(Path(d["registry"]).read_bytes())
    con = sqlite3.connect(newer)
    con.execute("UPDATE meta SET value='99' WHERE key='schema_version'")
    con.commit()
    con.close()
    d["newer"] = str(newer)
    (data / "garbage.gpkg").write_bytes(b"this is no GeoPackage\n" * 50)
    d["garbage"] = str(data / "garbage.gpkg")
    damaged = data / "damaged.gpkg"
    raw = bytearray(gpkg.read_bytes())
    raw[100:4096] = b"\xff" * (4096 - 100)  # the schema page overwritten
    damaged.write_bytes(bytes(raw))
    d["damaged"] = f"{damaged}|layername=buildings"
    (data / "no_coords.csv").write_text("name,value\na,1\nb,2\n", encoding="utf-8")
    (data / "empty.csv").write_text("", encoding="utf-8")
    (data / "obs_nocode.csv").write_text("when,what,value\n2024-01-01,pm25,3\n", encoding="utf-8")
    (data / "obs.csv").write_text("code,time,variable,value\nJC110101001990001,2024-01-01,pm25,3\n",
                                  encoding="utf-8")
    (data / "bad.json").write_text("{not json", encoding="utf-8")
    (data / "notes.txt").write_text("nothing here\n", encoding="utf-8")
    raster = data / "dem.tif"
    ds = gdal.GetDriverByName("GTiff").Create(str(raster), 4, 4, 1, gdal.GDT_Float32)
    ds.SetGeoTransform((X0, 50, 0, Y0 + 200, 0, -50))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4526)
    ds.SetProjection(srs.ExportToWkt())
    ds.GetRasterBand(1).WriteArray(np.arange(16, dtype=np.float32).reshape(4, 4))
    ds = None
    d["raster"] = str(raster)
    return d


# (id, algorithm, parameters: names of the fixture's paths in {braces}, OUT/ the case's own output folder;
#  pieces of the message the user gets: literal parts of the message's English source text, or QGIS for a
#  parameter QGIS itself refuses, "Incorrect parameter value for …", translated by QGIS)
QGIS = "QGIS"
ASSIGN = {"BUILDINGS": "{buildings}", "DIVISIONS": "{divisions}", "OUTPUT": "OUT/a.gpkg", "REGISTRY": "{registry}"}
VINTAGE = {"OLD": "{coded_layer}", "NEW": "{buildings}", "DIVISIONS": "{divisions}", "REGISTRY": "{registry}",
           "OUTPUT": "OUT/v.gpkg", "REPORT": "OUT/v.json"}
CASES = [
    # -- assigncodes --------------------------------------------------------------------------------------
    ("assign_no_features", "citycode:assigncodes", dict(ASSIGN, BUILDINGS="{empty}"),
     ["The buildings layer has no features: there is nothing to code"]),
    ("assign_missing_division_field", "citycode:assigncodes", dict(ASSIGN, DIVISION_FIELD="xzqdm"),
     ["The division layer has no field"]),
    ("assign_registry_is_a_geopackage", "citycode:assigncodes", dict(ASSIGN, REGISTRY="{coded}"),
     ["is not a CityCode registry but holds other data"]),
    ("assign_registry_is_garbage", "citycode:assigncodes", dict(ASSIGN, REGISTRY="{garbage}"),
     ["not an SQLite file"]),
    ("assign_registry_mistyped_connection", "citycode:assigncodes", dict(ASSIGN, REGISTRY="hots=db dbnme=city"),
     ["is neither a PostgreSQL connection"]),
    ("assign_registry_newer_schema", "citycode:assigncodes", dict(ASSIGN, REGISTRY="{newer}"),
     ["was made by a newer CityCode"]),
    ("assign_output_is_the_registry", "citycode:assigncodes", dict(ASSIGN, OUTPUT="{registry}"),
     ["CityCode writes GeoPackage (.gpkg) or shapefile (.shp) files"]),
    ("assign_damaged_buildings", "citycode:assigncodes", dict(ASSIGN, BUILDINGS="{damaged}"),
     ["is damaged (", "restore it from a backup"]),
    ("assign_garbage_divisions", "citycode:assigncodes", dict(ASSIGN, DIVISIONS="{garbage}"),
     ["not an SQLite file"]),
    ("assign_missing_id_field", "citycode:assigncodes", dict(ASSIGN, ID_FIELD="bid"), ["has no field '"]),
    ("assign_missing_year_field", "citycode:assigncodes", dict(ASSIGN, YEAR_FIELD="jsnd"), ["has no field '"]),
    ("assign_missing_unit_field", "citycode:assigncodes", dict(ASSIGN, UNIT_FIELD="dw"), ["has no field '"]),
    ("assign_profile_file_missing", "citycode:assigncodes", dict(ASSIGN, PROFILE_FILE="{dir}/nope.json"),
     ["The code profile file ", " does not exist"]),
    ("assign_profile_file_not_json", "citycode:assigncodes", dict(ASSIGN, PROFILE_FILE="{dir}/bad.json"),
     ["The code profile file ", " cannot be used: "]),
    ("assign_rule_out_of_range", "citycode:assigncodes", dict(ASSIGN, RULE=7), [QGIS, "RULE"]),
    ("assign_profile_out_of_range", "citycode:assigncodes", dict(ASSIGN, PROFILE=99), [QGIS, "PROFILE"]),
    ("assign_divisions_are_points", "citycode:assigncodes", dict(ASSIGN, DIVISIONS="{points}", DIVISION_FIELD="pid"),
     ["is a division code of"]),
    ("assign_output_in_a_file", "citycode:assigncodes", dict(ASSIGN, OUTPUT="{dir}/notes.txt/a.gpkg"),
     ["of the output cannot be made"]),
    # -- overlaycheck -------------------------------------------------------------------------------------
    ("overlay_no_planning", "citycode:overlaycheck",
     {"BUILDINGS": "{buildings}", "PLANNING": [], "OUTPUT": "OUT/o.gpkg"}, [QGIS, "PLANNING"]),
    ("overlay_damaged_buildings", "citycode:overlaycheck",
     {"BUILDINGS": "{damaged}", "PLANNING": ["{redline}"], "OUTPUT": "OUT/o.gpkg"}, ["is damaged ("]),
    ("overlay_output_in_a_file", "citycode:overlaycheck",
     {"BUILDINGS": "{buildings}", "PLANNING": ["{redline}"], "OUTPUT": "{dir}/notes.txt/o.gpkg"},
     ["of the output cannot be made"]),
    ("overlay_garbage_planning", "citycode:overlaycheck",
     {"BUILDINGS": "{buildings}", "PLANNING": ["{garbage}"], "OUTPUT": "OUT/o.gpkg"}, ["not an SQLite file"]),
    # -- validatecodes ------------------------------------------------------------------------------------
    ("validate_missing_field", "citycode:validatecodes",
     {"INPUT": "{coded_layer}", "FIELD": "code_x", "OUTPUT": "OUT/v.gpkg"}, ["The input has no field named"]),
    ("validate_kind_out_of_range", "citycode:validatecodes",
     {"INPUT": "{coded_layer}", "FIELD": "citycode", "KIND": 99, "OUTPUT": "OUT/v.gpkg"}, [QGIS, "KIND"]),
    ("validate_damaged_input", "citycode:validatecodes",
     {"INPUT": "{damaged}", "FIELD": "citycode", "OUTPUT": "OUT/v.gpkg"}, ["is damaged ("]),
    # -- checkdivisions -----------------------------------------------------------------------------------
    ("checkdivisions_missing_field", "citycode:checkdivisions",
     {"INPUT": "{divisions}", "CODE_FIELD": "xzqdm", "OUTPUT": "OUT/c.gpkg"}, ["The input has no field named"]),
    ("checkdivisions_mapping_missing", "citycode:checkdivisions",
     {"INPUT": "{divisions}", "CODE_FIELD": "code", "MAPPING": "{dir}/nope.csv", "OUTPUT": "OUT/c.gpkg"},
     ["The adcode mapping ", " cannot be read: "]),
    ("checkdivisions_damaged_input", "citycode:checkdivisions",
     {"INPUT": "{damaged}", "CODE_FIELD": "code", "OUTPUT": "OUT/c.gpkg"}, ["is damaged ("]),
    # -- convertdatum -------------------------------------------------------------------------------------
    ("convert_from_out_of_range", "citycode:convertdatum",
     {"INPUT": "{points}", "FROM": 9, "TO": 1, "OUTPUT": "OUT/d.gpkg"}, [QGIS, "FROM"]),
    ("convert_damaged_input", "citycode:convertdatum",
     {"INPUT": "{damaged}", "FROM": 2, "TO": 0, "OUTPUT": "OUT/d.gpkg"}, ["is damaged ("]),
    # -- repairtext ---------------------------------------------------------------------------------------
    ("repair_no_input", "citycode:repairtext", {"OUTPUT": "OUT/t.shp"},
     ["Give either an input file or an input layer"]),
    ("repair_missing_file", "citycode:repairtext", {"INPUT": "{dir}/nope.shp", "OUTPUT": "OUT/t.shp"},
     ["File not found: "]),
    ("repair_not_a_layer", "citycode:repairtext", {"INPUT": "{dir}/notes.txt", "OUTPUT": "OUT/t.shp"},
     ["Cannot read "]),
    # -- codepoints ---------------------------------------------------------------------------------------
    ("codepoints_no_input", "citycode:codepoints",
     {"DIVISIONS": "{divisions}", "OUTPUT": "OUT/p.gpkg", "REGISTRY": "{registry}"},
     ["Give either a points file or a point layer"]),
    ("codepoints_csv_without_coordinates", "citycode:codepoints",
     {"INPUT_FILE": "{dir}/no_coords.csv", "DIVISIONS": "{divisions}", "OUTPUT": "OUT/p.gpkg",
      "REGISTRY": "{registry}"}, ["no coordinate columns found"]),
    ("codepoints_x_field_missing", "citycode:codepoints",
     {"INPUT_FILE": "{dir}/no_coords.csv", "X_FIELD": "lon", "Y_FIELD": "lat", "DIVISIONS": "{divisions}",
      "OUTPUT": "OUT/p.gpkg", "REGISTRY": "{registry}"}, ["has no column '"]),
    ("codepoints_registry_is_a_geopackage", "citycode:codepoints",
     {"INPUT": "{points}", "DIVISIONS": "{divisions}", "OUTPUT": "OUT/p.gpkg", "REGISTRY": "{coded}"},
     ["is not a CityCode registry but holds other data"]),
    ("codepoints_damaged_divisions", "citycode:codepoints",
     {"INPUT": "{points}", "DIVISIONS": "{damaged}", "OUTPUT": "OUT/p.gpkg", "REGISTRY": "{registry}"},
     ["is damaged ("]),
    ("codepoints_profile_file_missing", "citycode:codepoints",
     {"INPUT": "{points}", "DIVISIONS": "{divisions}", "PROFILE_FILE": "{dir}/nope.json", "OUTPUT": "OUT/p.gpkg",
      "REGISTRY": "{registry}"}, ["The code profile file ", " does not exist"]),
    # -- importpoints -------------------------------------------------------------------------------------
    ("import_missing_file", "citycode:importpoints", {"INPUT": "{dir}/nope.csv", "OUTPUT": "OUT/i.gpkg"},
     ["File not found: "]),
    ("import_empty_csv", "citycode:importpoints", {"INPUT": "{dir}/empty.csv", "OUTPUT": "OUT/i.gpkg"},
     [" holds no data"]),
    ("import_csv_without_coordinates", "citycode:importpoints",
     {"INPUT": "{dir}/no_coords.csv", "OUTPUT": "OUT/i.gpkg"}, ["no coordinate columns found"]),
    ("import_x_field_missing", "citycode:importpoints",
     {"INPUT": "{dir}/no_coords.csv", "X_FIELD": "lon", "Y_FIELD": "lat", "OUTPUT": "OUT/i.gpkg"},
     ["has no column '"]),
    ("import_layer_missing", "citycode:importpoints",
     {"INPUT": "{dir}/town.gpkg", "LAYER": "wells", "OUTPUT": "OUT/i.gpkg"}, ["has no sheet or layer '"]),
    ("import_garbage_file", "citycode:importpoints", {"INPUT": "{garbage}", "OUTPUT": "OUT/i.gpkg"},
     ["Cannot read "]),
    # -- samplerasters ------------------------------------------------------------------------------------
    ("sample_no_rasters", "citycode:samplerasters",
     {"INPUT": "{points}", "RASTERS": [], "OUTPUT": "OUT/s.gpkg"}, ["Choose at least one raster layer"]),
    ("sample_bad_bands", "citycode:samplerasters",
     {"INPUT": "{points}", "RASTERS": ["{raster}"], "BANDS": "one, 0", "OUTPUT": "OUT/s.gpkg"},
     ["Bands must be band numbers"]),
    ("sample_band_not_in_raster", "citycode:samplerasters",
     {"INPUT": "{points}", "RASTERS": ["{raster}"], "BANDS": "3", "OUTPUT": "OUT/s.gpkg"}, [" has no band "]),
    # -- importobservations / exportobservations ----------------------------------------------------------
    ("observations_missing_file", "citycode:importobservations",
     {"INPUT": "{dir}/nope.csv", "REGISTRY": "{registry}"}, ["File not found: "]),
    ("observations_without_code_column", "citycode:importobservations",
     {"INPUT": "{dir}/obs_nocode.csv", "REGISTRY": "{registry}"}, [" column found (columns: ", "; choose it"]),
    ("observations_registry_garbage", "citycode:importobservations",
     {"INPUT": "{dir}/obs.csv", "REGISTRY": "{garbage}"}, ["not an SQLite file"]),
    ("observations_registry_newer", "citycode:importobservations",
     {"INPUT": "{dir}/obs.csv", "REGISTRY": "{newer}"}, ["was made by a newer CityCode"]),
    ("export_observations_registry_missing", "citycode:exportobservations",
     {"REGISTRY": "{dir}/nope.sqlite", "OUTPUT": "OUT/e.csv"}, ["not found: code the monitoring points first"]),
    ("export_observations_registry_newer", "citycode:exportobservations",
     {"REGISTRY": "{newer}", "OUTPUT": "OUT/e.csv"}, ["was made by a newer CityCode"]),
    # -- exportcodedmap -----------------------------------------------------------------------------------
    ("map_without_code_field", "citycode:exportcodedmap",
     {"BUILDINGS": "{buildings}", "OUTPUT": "OUT/m.pdf"}, ["has no code field"]),
    ("map_atlas_without_divisions", "citycode:exportcodedmap",
     {"BUILDINGS": "{coded_layer}", "MODE": 1, "OUTPUT": "OUT/m.pdf"},
     ["An atlas per division needs the division layer"]),
    ("map_template_missing", "citycode:exportcodedmap",
     {"BUILDINGS": "{coded_layer}", "TEMPLATE_FILE": "{dir}/nope.qpt", "OUTPUT": "OUT/m.pdf"},
     ["Layout template not found: "]),
    ("map_dpi_zero", "citycode:exportcodedmap",
     {"BUILDINGS": "{coded_layer}", "DPI": 0, "OUTPUT": "OUT/m.pdf"}, [QGIS, "DPI"]),
    # -- exportcodes --------------------------------------------------------------------------------------
    ("export_damaged_input", "citycode:exportcodes",
     {"INPUT": "{damaged}", "OUTPUT": "OUT/x.gpkg"}, ["is damaged ("]),
    ("export_format_out_of_range", "citycode:exportcodes",
     {"INPUT": "{coded_layer}", "FORMAT": 12, "OUTPUT": "OUT/x.gpkg"}, [QGIS, "FORMAT"]),
    ("export_output_in_a_file", "citycode:exportcodes",
     {"INPUT": "{coded_layer}", "OUTPUT": "{dir}/notes.txt/x.gpkg"}, ["does not exist; create it or choose another"]),
    # -- checkout / checkin / resolveconflict -------------------------------------------------------------
    ("checkout_unknown_division", "citycode:checkout",
     {"REGISTRY": "{registry}", "DIVISIONS": "{divisions}", "DIVISION_CODES": "999999999", "OUTPUT": "OUT/k.gpkg"},
     ["The division layer has no division "]),
    ("checkout_block_size_zero", "citycode:checkout",
     {"REGISTRY": "{registry}", "DIVISIONS": "{divisions}", "DIVISION_CODES": DIV_A, "BLOCK_SIZE": 0,
      "OUTPUT": "OUT/k.gpkg"}, [QGIS, "BLOCK_SIZE"]),
    ("checkout_bad_years", "citycode:checkout",
     {"REGISTRY": "{registry}", "DIVISIONS": "{divisions}", "DIVISION_CODES": DIV_A, "YEARS": "twenty",
      "OUTPUT": "OUT/k.gpkg"}, ["Years are numbers separated by commas"]),
    ("checkout_registry_garbage", "citycode:checkout",
     {"REGISTRY": "{garbage}", "DIVISIONS": "{divisions}", "DIVISION_CODES": DIV_A, "OUTPUT": "OUT/k.gpkg"},
     ["not an SQLite file"]),
    ("checkout_registry_missing", "citycode:checkout",
     {"REGISTRY": "{dir}/nope.sqlite", "DIVISIONS": "{divisions}", "DIVISION_CODES": DIV_A, "OUTPUT": "OUT/k.gpkg"},
     ["does not exist; choose the shared registry"]),
    ("checkin_missing_package", "citycode:checkin",
     {"PACKAGE": "{dir}/nope.gpkg", "REGISTRY": "{registry}"}, ["Field package ", " not found"]),
    ("checkin_not_a_package", "citycode:checkin", {"PACKAGE": "{coded}", "REGISTRY": "{registry}"},
     ["is not a CityCode field package"]),
    ("checkin_other_registry", "citycode:checkin",
     {"PACKAGE": "{package}", "REGISTRY": "{other_registry}"}, ["was not checked out from this registry"]),
    ("checkin_registry_missing", "citycode:checkin",
     {"PACKAGE": "{package}", "REGISTRY": "{dir}/nope.sqlite"}, ["does not exist; choose the shared registry"]),
    ("resolve_no_such_conflict", "citycode:resolveconflict",
     {"REGISTRY": "{registry}", "CONFLICT": 999, "CHOICE": 0}, ["There is no conflict "]),
    ("resolve_registry_missing", "citycode:resolveconflict",
     {"REGISTRY": "{dir}/nope.sqlite", "CONFLICT": 1, "CHOICE": 0}, ["does not exist; choose the shared registry"]),
    # -- updatevintage ------------------------------------------------------------------------------------
    ("vintage_old_layer_not_coded", "citycode:updatevintage",
     dict(VINTAGE, OLD="{buildings}"), ["has no field '"]),
    ("vintage_codes_of_another_profile", "citycode:updatevintage",
     dict(VINTAGE, CODE_FIELD="division"), ["-character codes of profile "]),
    ("vintage_registry_garbage", "citycode:updatevintage", dict(VINTAGE, REGISTRY="{garbage}"),
     ["not an SQLite file"]),
    ("vintage_registry_newer_schema", "citycode:updatevintage", dict(VINTAGE, REGISTRY="{newer}"),
     ["was made by a newer CityCode"]),
]


@pytest.fixture(autouse=True)
def _collected():
    """An error raised inside an algorithm stays referenced from QGIS's side, and its traceback's frames hold
    layers (raster clones, layouts): let go of them while QGIS is still there, not at exit (a crash then)."""
    yield
    for obj in gc.get_objects():
        if isinstance(obj, QgsProcessingException):
            obj.__traceback__ = obj.__context__ = obj.__cause__ = None
    gc.collect()


def _params(params, town, out):
    def fill(v):
        if isinstance(v, list):
            return [fill(x) for x in v]
        if not isinstance(v, str):
            return v
        v = v.replace("OUT/", str(out) + "/")
        return re.sub(r"\{(\w+)\}", lambda m: str(town[m.group(1)]), v)
    return {k: fill(v) for k, v in params.items()}


def _state(folder):
    """Every file under `folder` with its bytes; connections left for the garbage collector are closed first.
    Not kept: SQLite's -wal/-shm of an open registry (they come and go with its connections) and GDAL's
    statistics beside a raster (.aux.xml, written by QGIS whenever it reads the raster)."""
    gc.collect()
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(Path(folder).rglob("*"))
            if p.is_file() and not p.name.endswith(("-wal", "-shm", ".aux.xml"))}


def _catalogue():
    """English sources that have a Chinese translation in the zh_CN catalogue."""
    return [m.findtext("source") for m in ET.parse(ROOT / "i18n" / "citycode_zh_CN.ts").getroot().iter("message")
            if re.search(r"[\u4e00-\u9fff]", m.findtext("translation") or "")]


class Feedback(QgsProcessingFeedback):
    """What the user sees in the Processing log, errors included (QGIS reports an error raised while preparing
    there, and processing.run then only says "There were errors executing the algorithm")."""

    def __init__(self):
        super().__init__()
        self.errors = []

    def reportError(self, error, fatalError=False):  # noqa: N802, N803 (QGIS API names)
        self.errors.append(error)
        super().reportError(error, fatalError)


def test_the_table_is_large_and_covers_every_algorithm(citycode_processing):
    from conftest import ensure_citycode_provider
    algorithms = {a.id() for a in ensure_citycode_provider().algorithms()}
    assert len(CASES) >= 50 and len({c[0] for c in CASES}) == len(CASES)
    assert {c[1] for c in CASES} == algorithms


@pytest.mark.parametrize("case_id, alg, params, pieces", CASES, ids=[c[0] for c in CASES])
def test_bad_input(town, case_id, alg, params, pieces):
    import processing
    out = town["base"] / "out" / case_id
    out.mkdir(parents=True)
    before = _state(town["dir"])
    feedback = Feedback()
    with pytest.raises(QgsProcessingException) as err:
        processing.run(alg, _params(params, town, out), feedback=feedback)
    said = "\n".join([str(err.value)] + feedback.errors)
    assert "Traceback" not in said, said
    if pieces[0] == QGIS:  # a value QGIS itself refuses (its message, in its own translation)
        assert f"Incorrect parameter value for {pieces[1]}" in said, said
    else:
        sources = _catalogue()
        for piece in pieces:
            assert piece in said, said
            assert any(piece in source for source in sources), f"no Chinese for {piece!r}"
    assert _state(town["dir"]) == before, "a stored file changed"
    assert sorted(p.name for p in out.iterdir()) == []


@pytest.mark.parametrize("case_id", ["assign_missing_division_field", "checkout_bad_years", "resolve_no_such_conflict",
                                     "import_layer_missing", "validate_damaged_input"])
def test_the_messages_reach_chinese_users_in_chinese(town, case_id):
    """With QGIS in Chinese the same cases say it in Chinese (through tr() and the compiled catalogue)."""
    import processing
    from qgis.PyQt.QtCore import QCoreApplication, QTranslator
    _, alg, params, _ = next(c for c in CASES if c[0] == case_id)
    out = town["base"] / "out_zh" / case_id
    out.mkdir(parents=True)
    translator = QTranslator()
    assert translator.load(str(ROOT / "i18n" / "citycode_zh_CN.qm"))
    QCoreApplication.installTranslator(translator)
    feedback = Feedback()
    try:
        with pytest.raises(QgsProcessingException) as err:
            processing.run(alg, _params(params, town, out), feedback=feedback)
    finally:
        QCoreApplication.removeTranslator(translator)
    said = "\n".join([str(err.value)] + feedback.errors)
    assert re.search(r"[\u4e00-\u9fff]", said), said
