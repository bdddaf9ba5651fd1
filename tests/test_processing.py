"""The CityCode Processing algorithms, run for real: processing.run and qgis_process.bin.

Fixture: two adjacent 100 m division squares (codes 110101001 | 110101002), six buildings (one
straddling the boundary, one outside both divisions) and a red-line polygon, in CGCS2000 / 3-degree
Gauss-Kruger zone 38 (EPSG:4526) so areas are square metres.
"""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from qgis.core import (
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsField,
    QgsGeometry,
    QgsProcessingFeatureSourceDefinition,
    QgsProject,
    QgsVectorFileWriter,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QVariant

ROOT = Path(__file__).resolve().parent.parent
CRS = "EPSG:4526"
X0, Y0 = 38_500_000.0, 4_400_000.0
DIV_A, DIV_B = "110101001", "110101002"
DIVISIONS = {DIV_A: (0, 0, 100, 100), DIV_B: (100, 0, 200, 100)}
BUILDINGS = {  # bid: (xmin, ymin, xmax, ymax), relative to X0, Y0
    "b1": (10, 10, 30, 30),      # A, fully in the red line
    "b2": (50, 50, 60, 70),      # A, half in the red line
    "b3": (120, 10, 140, 40),    # B
    "b4": (80, 40, 110, 60),     # straddles A|B, 2/3 in A
    "b5": (300, 300, 320, 320),  # outside every division
    "b6": (150, 70, 170, 90),    # B
}
RED_LINE = (0, 0, 55, 100)
YEAR = 2024


def _rect(xmin, ymin, xmax, ymax):
    return QgsGeometry.fromWkt("POLYGON(({0} {1},{2} {1},{2} {3},{0} {3},{0} {1}))".format(
        X0 + xmin, Y0 + ymin, X0 + xmax, Y0 + ymax))


def _memory_layer(name, fields, rows):
    layer = QgsVectorLayer("Polygon?crs={}".format(CRS), name, "memory")
    provider = layer.dataProvider()
    provider.addAttributes([QgsField(n, t) for n, t in fields])
    layer.updateFields()
    features = []
    for attrs, geom in rows:
        f = QgsFeature(layer.fields())
        f.setAttributes(list(attrs))
        f.setGeometry(geom)
        features.append(f)
    assert provider.addFeatures(features)[0]
    layer.updateExtents()
    return layer


def memory_layers():
    buildings = _memory_layer("buildings", [("bid", QVariant.String), ("name", QVariant.String)],
                              [((bid, "building " + bid), _rect(*r)) for bid, r in BUILDINGS.items()])
    divisions = _memory_layer("divisions", [("code", QVariant.String), ("name", QVariant.String)],
                              [((code, "town " + code[-1]), _rect(*r)) for code, r in DIVISIONS.items()])
    redline = _memory_layer("redline", [("kind", QVariant.String)], [(("生态保护红线",), _rect(*RED_LINE))])
    return buildings, divisions, redline


def _write(layer, path, name):
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    options.layerName = name
    if os.path.exists(path):
        options.actionOnExistingFile = QgsVectorFileWriter.ActionOnExistingFile.CreateOrOverwriteLayer
    err = QgsVectorFileWriter.writeAsVectorFormatV3(layer, str(path), QgsProject.instance().transformContext(),
                                                    options)
    assert err[0] == QgsVectorFileWriter.WriterError.NoError, err
    return "{}|layername={}".format(path, name)


@pytest.fixture()
def data(tmp_path):
    """The fixture written to one GeoPackage: uris of its three layers."""
    buildings, divisions, redline = memory_layers()
    gpkg = tmp_path / "input.gpkg"
    return {
        "gpkg": gpkg,
        "buildings": _write(buildings, gpkg, "buildings"),
        "divisions": _write(divisions, gpkg, "divisions"),
        "redline": _write(redline, gpkg, "redline"),
    }


@pytest.fixture()
def provider(citycode_processing):
    """The CityCode provider (registered by tests/conftest.py)."""
    from conftest import ensure_citycode_provider
    return ensure_citycode_provider()


def _run(alg, params):
    import processing
    return processing.run(alg, params)


def _features(uri):
    layer = QgsVectorLayer(uri, "out", "ogr")
    assert layer.isValid(), uri
    return layer, {f["name"].split()[-1]: f for f in layer.getFeatures()}


def _field(layer, suffix, contains="redline"):
    names = [f.name() for f in layer.fields() if f.name().endswith(suffix) and contains in f.name().lower()]
    assert len(names) == 1, [f.name() for f in layer.fields()]
    return names[0]


def _assign(buildings, divisions, planning, out_dir, **extra):
    os.makedirs(out_dir, exist_ok=True)
    params = {
        "BUILDINGS": buildings,
        "DIVISIONS": divisions,
        "DIVISION_FIELD": "code",
        "DEFAULT_YEAR": YEAR,
        "PLANNING": planning,
        "OUTPUT": os.path.join(str(out_dir), "coded.gpkg"),
        "REPORT": os.path.join(str(out_dir), "report.html"),
    }
    params.update(extra)
    return _run("citycode:assigncodes", params)


def _true(value):
    return value in (True, 1, "true", "True", "1")


def test_algorithms_registered(provider):
    ids = {a.id() for a in provider.algorithms()}
    assert {"citycode:assigncodes", "citycode:overlaycheck", "citycode:validatecodes"} <= ids
    assign = QgsApplication.processingRegistry().algorithmById("citycode:assigncodes")
    assert assign.groupId() == "coding"
    profile = assign.parameterDefinition("PROFILE")  # shown by title, given by name
    assert "building" in profile.metadata()["citycode_names"] and "building — Building" in profile.options()[1]
    assert profile.metadata()["citycode_names"][int(profile.defaultValue())] == "auto"  # the level picks it
    assert "fingerprint" in assign.shortHelpString()
    assert assign.parameterDefinition("OUTPUT").defaultFileExtension() == "gpkg"


def test_assign_codes_from_files(provider, data, tmp_path):
    result = _assign(data["buildings"], data["divisions"], [data["redline"]], tmp_path / "out")
    layer, by_bid = _features(result["OUTPUT"])
    assert set(by_bid) == set(BUILDINGS)

    coded = {bid: f["citycode"] for bid, f in by_bid.items() if f["citycode"]}
    assert set(coded) == {"b1", "b2", "b3", "b4", "b6"}
    assert all(len(code) == 23 for code in coded.values())
    assert len(set(coded.values())) == len(coded)
    for bid in ("b1", "b2", "b4"):
        assert coded[bid].startswith(DIV_A + str(YEAR)) and by_bid[bid]["division"] == DIV_A
    for bid in ("b3", "b6"):
        assert coded[bid].startswith(DIV_B + str(YEAR)) and by_bid[bid]["division"] == DIV_B

    # the straddler is flagged, with its share in the chosen division (largest share: A, 2/3)
    assert _true(by_bid["b4"]["straddle"])
    assert by_bid["b4"]["div_share"] == pytest.approx(2 / 3, abs=1e-6)
    assert not any(_true(by_bid[bid]["straddle"]) for bid in ("b1", "b2", "b3", "b6"))

    # the outside building is reported, not coded
    assert not by_bid["b5"]["citycode"]
    assert by_bid["b5"]["cc_status"] == "outside"
    assert result["OUTSIDE"] == 1 and result["STRADDLING"] == 1
    assert result["CODED"] == 5 and result["FAILED"] == 1  # FAILED: every building left without a code

    # overlap with the red line equals the geometric truth
    area, pct, hit = (_field(layer, s) for s in ("_area", "_pct", "_hit"))
    red = _rect(*RED_LINE)
    for bid, r in BUILDINGS.items():
        geom = _rect(*r)
        truth = geom.intersection(red).area()
        assert by_bid[bid][area] == pytest.approx(truth, abs=1e-3), bid
        assert by_bid[bid][pct] == pytest.approx(100.0 * truth / geom.area(), abs=1e-3), bid
        assert _true(by_bid[bid][hit]) == (truth > 0), bid
    assert by_bid["b2"][pct] == pytest.approx(50.0, abs=1e-6)

    assert result["REPORT"] and os.path.isfile(result["REPORT"])


def test_gui_loads_the_coded_layer(provider, data, tmp_path):
    """As from the dialog (output loaded into the project): QGIS is pointed at the engine's layer."""
    from qgis.core import QgsProcessingContext, QgsProcessingFeedback, QgsProcessingOutputLayerDefinition

    alg = QgsApplication.processingRegistry().createAlgorithmById("citycode:assigncodes")
    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())
    dest = str(tmp_path / "coded.gpkg")
    params = {"BUILDINGS": data["buildings"], "DIVISIONS": data["divisions"], "DEFAULT_YEAR": YEAR,
              "OUTPUT": QgsProcessingOutputLayerDefinition(dest, QgsProject.instance())}
    results, ok = alg.run(params, context, QgsProcessingFeedback())
    assert ok
    assert list(context.layersToLoadOnCompletion()) == [results["OUTPUT"]]
    assert results["OUTPUT"].startswith(dest + "|layername=")
    assert QgsVectorLayer(results["OUTPUT"], "coded", "ogr").featureCount() == len(BUILDINGS)


def test_rerun_keeps_codes(provider, data, tmp_path):
    """A second run with the same registry (no identity field: geometry fingerprints) issues nothing new."""
    registry = str(tmp_path / "registry.sqlite")
    first = _assign(data["buildings"], data["divisions"], [], tmp_path / "one", REGISTRY=registry)
    second = _assign(data["buildings"], data["divisions"], [], tmp_path / "two", REGISTRY=registry)
    codes1 = {bid: f["citycode"] for bid, f in _features(first["OUTPUT"])[1].items()}
    layer2, by_bid2 = _features(second["OUTPUT"])
    assert {bid: f["citycode"] for bid, f in by_bid2.items()} == codes1
    assert {f["cc_status"] for bid, f in by_bid2.items() if bid != "b5"} == {"existing"}


def test_canceled_run_changes_nothing(provider, data, tmp_path):
    import processing
    from qgis.core import QgsProcessingException, QgsProcessingFeedback

    feedback = QgsProcessingFeedback()
    feedback.cancel()
    out = tmp_path / "canceled"
    out.mkdir()
    with pytest.raises(QgsProcessingException):
        processing.run("citycode:assigncodes", {
            "BUILDINGS": data["buildings"], "DIVISIONS": data["divisions"],
            "OUTPUT": str(out / "coded.gpkg"), "REGISTRY": str(out / "registry.sqlite")}, feedback=feedback)
    assert list(out.iterdir()) == []


def test_a_refusal_of_the_core_is_a_processing_error_with_its_message(provider, data, tmp_path):
    """Every CityCodeError an algorithm meets reaches the user as a Processing error with its own text; an
    unknown kind of code is one (validation.KindError)."""
    import processing
    from qgis.core import QgsProcessingException

    from citycode.plugin.core.codes.validation import KindError, validate_values
    from citycode.plugin.core.exceptions import CityCodeError
    from citycode.plugin.processing.validate_codes import ValidateCodesAlgorithm

    with pytest.raises(KindError) as refused:
        validate_values(["1"], "no_such_kind")
    assert isinstance(refused.value, CityCodeError) and isinstance(refused.value, ValueError)

    class Refusing(ValidateCodesAlgorithm):
        def process(self, parameters, context, feedback):
            raise refused.value

    with pytest.raises(QgsProcessingException, match="no_such_kind"):
        Refusing().processAlgorithm({}, None, None)
    with pytest.raises(QgsProcessingException, match="'no_such_field'"):  # a Processing error stays as it is
        processing.run("citycode:validatecodes", {"INPUT": data["buildings"], "FIELD": "no_such_field",
                                                  "OUTPUT": str(tmp_path / "v.gpkg")})


def test_memory_layers_match_files(provider, data, tmp_path):
    """The QGIS path (memory layers) gives the same codes and overlaps as the file fast path."""
    from_files = _assign(data["buildings"], data["divisions"], [data["redline"]], tmp_path / "files")
    buildings, divisions, redline = memory_layers()
    from_memory = _assign(buildings, divisions, [redline], tmp_path / "memory")
    layer_f, files = _features(from_files["OUTPUT"])
    layer_m, memory = _features(from_memory["OUTPUT"])
    area_f, area_m = _field(layer_f, "_area"), _field(layer_m, "_area")
    for bid in BUILDINGS:
        assert memory[bid]["citycode"] == files[bid]["citycode"], bid
        assert memory[bid]["division"] == files[bid]["division"], bid
        assert memory[bid][area_m] == pytest.approx(files[bid][area_f], abs=1e-6), bid
    for key in ("CODED", "STRADDLING", "OUTSIDE", "FAILED"):
        assert from_memory[key] == from_files[key]


def test_layer_input_fast_path_rule(provider, data):
    """Files go to the engine as paths; selections, subsets and memory layers as QGIS sources."""
    from qgis.core import QgsProcessingContext, QgsProcessingFeedback

    alg = QgsApplication.processingRegistry().createAlgorithmById("citycode:assigncodes")
    context, feedback = QgsProcessingContext(), QgsProcessingFeedback()
    context.setProject(QgsProject.instance())

    plain = alg.layer_input({"BUILDINGS": data["buildings"]}, "BUILDINGS", context, feedback)
    assert plain.path == str(data["gpkg"]) and plain.layer == "buildings" and plain.source is None

    layer = QgsVectorLayer(data["buildings"], "selected buildings", "ogr")
    QgsProject.instance().addMapLayer(layer)
    try:
        layer.selectByExpression("\"bid\" = 'b1'")
        selected = alg.layer_input({"BUILDINGS": QgsProcessingFeatureSourceDefinition(layer.id(), True)},
                                   "BUILDINGS", context, feedback)
        assert selected.path is None and selected.source is not None
        assert selected.source.featureCount() == 1

        layer.removeSelection()
        whole = alg.layer_input({"BUILDINGS": layer.id()}, "BUILDINGS", context, feedback)
        assert whole.path == str(data["gpkg"]) and whole.name == "selected buildings" and whole.crs_wkt is None

        layer.setCrs(QgsCoordinateReferenceSystem("EPSG:4527"))  # the user overrides the file's CRS
        overridden = alg.layer_input({"BUILDINGS": layer.id()}, "BUILDINGS", context, feedback)
        assert QgsCoordinateReferenceSystem.fromWkt(overridden.crs_wkt).authid() == "EPSG:4527"
        layer.setCrs(QgsCoordinateReferenceSystem(CRS))

        assert layer.startEditing()  # unsaved edits are only visible through QGIS
        layer.changeAttributeValue(next(layer.getFeatures()).id(), layer.fields().indexOf("name"), "edited")
        edited = alg.layer_input({"BUILDINGS": layer.id()}, "BUILDINGS", context, feedback)
        assert edited.path is None and edited.source is not None
        layer.rollBack()

        layer.setSubsetString("\"bid\" <> 'b5'")
        subset = alg.layer_input({"BUILDINGS": layer.id()}, "BUILDINGS", context, feedback)
        assert subset.path is None and subset.source.featureCount() == 5
    finally:
        QgsProject.instance().removeMapLayer(layer.id())

    memory = memory_layers()[0]
    mem = alg.layer_input({"BUILDINGS": memory}, "BUILDINGS", context, feedback)
    assert mem.path is None and mem.source is not None and mem.name == "buildings"

    planning = alg.layer_inputs({"PLANNING": [data["redline"], memory_layers()[2]]}, "PLANNING", context)
    assert [p.path is not None for p in planning] == [True, False]
    assert len({p.name for p in planning}) == 2  # same layer name twice: made unique


def test_overlay_check(provider, data, tmp_path):
    result = _run("citycode:overlaycheck", {
        "BUILDINGS": data["buildings"],
        "PLANNING": [data["redline"]],
        "OUTPUT": str(tmp_path / "overlay.gpkg"),
        "REPORT": str(tmp_path / "overlay.json"),
    })
    layer, by_bid = _features(result["OUTPUT"])
    area = _field(layer, "_area")
    red = _rect(*RED_LINE)
    for bid, r in BUILDINGS.items():
        assert by_bid[bid][area] == pytest.approx(_rect(*r).intersection(red).area(), abs=1e-3), bid
    assert "citycode" not in layer.fields().names()


def test_validate_codes_flags_wrong_check_character(provider, data, tmp_path):
    from citycode.plugin.core.codes.profiles import load_profile

    good = load_profile("building").compose(DIV_A, YEAR, 7)
    wrong = good[:-1] + ("0" if good[-1] != "0" else "1")
    table = QgsVectorLayer("None", "codes", "memory")
    table.dataProvider().addAttributes([QgsField("citycode", QVariant.String)])
    table.updateFields()
    rows = []
    for value in (good, wrong, "", "12345"):
        f = QgsFeature(table.fields())
        f.setAttributes([value])
        rows.append(f)
    table.dataProvider().addFeatures(rows)

    result = _run("citycode:validatecodes", {"INPUT": table, "FIELD": "citycode", "KIND": "auto",
                                             "OUTPUT": str(tmp_path / "validated.gpkg")})
    out = QgsVectorLayer(result["OUTPUT"], "validated", "ogr")
    by_code = {f["citycode"] or "": f for f in out.getFeatures()}
    assert _true(by_code[good]["valid"]) and not by_code[good]["reasons"]
    assert not _true(by_code[wrong]["valid"])
    assert good[-1] in by_code[wrong]["reasons"]  # names the expected check character
    assert by_code[good]["profile"] == "building"
    assert result["VALID"] == 1 and result["INVALID"] == 3

    forced = _run("citycode:validatecodes", {"INPUT": table, "FIELD": "citycode", "KIND": "project",
                                             "OUTPUT": str(tmp_path / "as_project.gpkg")})
    assert forced["VALID"] == 0 and forced["INVALID"] == 4


QGIS_PROCESS = "/usr/bin/qgis_process.bin"


@pytest.mark.skipif(not os.access(QGIS_PROCESS, os.X_OK), reason="qgis_process.bin not installed")
def test_qgis_process_headless(provider, data, tmp_path):
    """qgis_process discovers the plugin from a throw-away profile (QGIS_CUSTOM_CONFIG_PATH) and runs it."""
    config = tmp_path / "qgis-config"
    plugins = config / "profiles" / "default" / "python" / "plugins"
    plugins.mkdir(parents=True)
    (plugins / "citycode").symlink_to(ROOT)
    runtime = tmp_path / "xdg"
    runtime.mkdir(mode=0o700)
    site = [p for p in sys.path if p.startswith(sys.prefix) and p.endswith("site-packages")]
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QGIS_CUSTOM_CONFIG_PATH=str(config),
               XDG_RUNTIME_DIR=str(runtime),
               PYTHONPATH=os.pathsep.join(site + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]))

    def qgis_process(*args):
        proc = subprocess.run([QGIS_PROCESS, *args], env=env, capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        return proc.stdout

    qgis_process("plugins", "enable", "citycode")
    assert "citycode:assigncodes" in qgis_process("list")

    out_dir = tmp_path / "qp"
    out_dir.mkdir()
    output = qgis_process(
        "--json", "run", "citycode:assigncodes", "--",
        "BUILDINGS=" + data["buildings"], "DIVISIONS=" + data["divisions"], "DIVISION_FIELD=code",
        "DEFAULT_YEAR={}".format(YEAR), "PLANNING=" + data["redline"], "PROFILE=building",
        "OUTPUT=" + str(out_dir / "coded.gpkg"), "REPORT=" + str(out_dir / "report.json"))
    results = json.loads(output[output.index("{"):])["results"]
    assert results["CODED"] == 5 and results["OUTSIDE"] == 1 and results["STRADDLING"] == 1
    assert os.path.isfile(results["REPORT"]) and os.path.isfile(results["REGISTRY"])
    layer, by_bid = _features(results["OUTPUT"])
    assert _true(by_bid["b4"]["straddle"]) and by_bid["b5"]["cc_status"] == "outside"
    _field(layer, "_area")  # named after the planning layer ("redline"), not after the file

    # the same codes as an in-process run over the same data
    local = _assign(data["buildings"], data["divisions"], [data["redline"]], tmp_path / "local")
    assert {b: f["citycode"] for b, f in by_bid.items()} == \
        {b: f["citycode"] for b, f in _features(local["OUTPUT"])[1].items()}
