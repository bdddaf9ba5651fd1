"""The GUI shell: settings (headless and in their dialog), batch coding as a background task, the "ccd"
locator filter, and the plugin wiring them into QGIS.

Batch runs use a copy of the sample town; the locator uses a small layer and registry made here.
"""
import json
import os
import shutil
from dataclasses import replace
from datetime import date

import pytest
from qgis.core import (
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsField,
    QgsGeometry,
    QgsLocator,
    QgsLocatorContext,
    QgsLocatorResult,
    QgsProject,
    QgsSettings,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QCoreApplication, QEvent, QEventLoop, Qt, QTimer, QVariant
from qgis.PyQt.QtGui import QInputMethodEvent
from qgis.PyQt.QtTest import QTest
from qgis.PyQt.QtWidgets import QDialog, QDialogButtonBox, QMenu, QPushButton, QToolBar

from conftest import ROOT

from citycode.plugin.core import settings as cc_settings
from citycode.plugin.core.codes.profiles import load_profile
from citycode.plugin.core.registry.base import IssueRequest
from citycode.plugin.core.registry.backends import open_registry

SCREENSHOTS = ROOT / "docs" / "screenshots"
CRS = "EPSG:4526"
X0, Y0 = 38_500_000.0, 4_400_000.0
LEFT = Qt.MouseButton.LeftButton
OK = QDialogButtonBox.StandardButton.Ok


@pytest.fixture
def clean_settings(qgis_app):
    """No citycode/ settings before and after (pytest-qgis keeps QGIS settings in a temporary folder)."""
    QgsSettings().remove("citycode")
    yield
    QgsSettings().remove("citycode")


@pytest.fixture
def empty_project(qgis_iface):
    QgsProject.instance().removeAllMapLayers()
    yield QgsProject.instance()
    QgsProject.instance().removeAllMapLayers()


def wait_for(predicate, seconds=120):
    """Process events until predicate() holds (the task manager reports through queued signals)."""
    loop = QEventLoop()
    timer = QTimer()
    timer.timeout.connect(lambda: predicate() and loop.quit())
    timer.start(20)
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()
    timer.stop()
    assert predicate(), "timed out"


def codes_in(registry_path):
    if not os.path.exists(registry_path):
        return 0
    with open_registry(str(registry_path)) as registry:
        return registry.count()


# -- settings, headless -------------------------------------------------------------------------------
def test_settings_defaults_and_round_trip(clean_settings, tmp_path):
    fresh = cc_settings.load()
    assert fresh == cc_settings.CityCodeSettings()
    assert fresh.registry_path == os.path.join(QgsApplication.qgisSettingsDirPath(), "citycode_registry.sqlite")
    assert fresh.year == date.today().year
    assert fresh.profile_for("building") == "building" and fresh.profile_for("project") == "project"

    values = cc_settings.CityCodeSettings(
        registry=str(tmp_path / "城市码" / "registry.sqlite"), building_profile=str(tmp_path / "mine.json"),
        project_profile="building", default_year=2021, issuing_unit="某某市自然资源和规划局",
        planning_sources=[str(tmp_path / "三区三线.gpkg") + "|layername=stbhhx",
                          "dbname='gis' host=db table=\"plan\".\"yjjbnt\" (geom)"])
    cc_settings.save(values)
    assert cc_settings.load() == values
    assert cc_settings.load().profile_for("project") == "building"
    assert QgsSettings().value("citycode/issuing_unit") == "某某市自然资源和规划局"  # under citycode/

    cc_settings.save(replace(values, registry="", default_year=None, planning_sources=["only.gpkg"]))
    again = cc_settings.load()
    assert again.registry_path == fresh.registry_path and again.year == date.today().year
    assert again.planning_sources == ["only.gpkg"]


def test_registry_and_profile_problems(tmp_path):
    new = tmp_path / "new.sqlite"
    assert cc_settings.registry_problem("") == ""  # the default location
    assert cc_settings.registry_problem(str(new)) == "" and not new.exists()  # checking creates nothing
    assert str(tmp_path / "missing") in cc_settings.registry_problem(str(tmp_path / "missing" / "r.sqlite"))
    assert cc_settings.registry_problem(str(tmp_path))  # a folder
    notes = tmp_path / "notes.sqlite"
    notes.write_bytes(b"this is not a database\n" * 200)
    assert "not a CityCode registry" in cc_settings.registry_problem(str(notes))
    open_registry(str(new)).close()
    assert cc_settings.registry_problem(str(new)) == ""

    assert cc_settings.profile_problem("building") == ""
    assert "nope" in cc_settings.profile_problem("nope")
    broken = tmp_path / "broken.json"
    broken.write_text('{"name": "x", "segments": [{"type": "sequence", "length": 4}]}', encoding="utf-8")
    assert "division" in cc_settings.profile_problem(str(broken))


# -- settings dialog ----------------------------------------------------------------------------------
def _profile_file(tmp_path):
    data = json.loads((ROOT / "resources" / "profiles" / "project.json").read_text(encoding="utf-8"))
    data["name"] = "county_project"
    path = tmp_path / "county_project.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _type(widget, text):
    """Replace the widget's text by typing. QTest.keyClicks knows only ASCII; Chinese text arrives as an
    input method commits it."""
    widget.setFocus()
    widget.selectAll()
    if text.isascii():
        QTest.keyClicks(widget, text)
    else:
        event = QInputMethodEvent()
        event.setCommitString(text)
        QCoreApplication.sendEvent(widget, event)


def test_settings_dialog_saves_what_is_typed(clean_settings, tmp_path):
    from citycode.plugin.gui.settings_dialog import SettingsDialog

    registry = tmp_path / "registry.sqlite"
    profile = _profile_file(tmp_path)
    dialog = SettingsDialog()
    dialog.show()
    assert dialog.registry.filePath() == ""  # default location, shown as the placeholder
    assert dialog.registry.lineEdit().placeholderText() == cc_settings.default_registry_path()

    _type(dialog.registry.lineEdit(), str(registry))
    picker = dialog.project_profile
    picker.combo.setCurrentIndex(picker.combo.count() - 1)  # "Load a JSON profile file…"
    assert picker.file.isVisible() and not dialog.building_profile.file.isVisible()
    _type(picker.file.lineEdit(), str(profile))
    _type(dialog.year, "2023")
    _type(dialog.unit, "县自然资源局")
    QTest.mouseClick(dialog.findChild(QPushButton, "add_uri"), LEFT)
    dialog.sources.item(0).setText("/data/plan.gpkg|layername=czkfbj")
    QTest.mouseClick(dialog.buttons.button(OK), LEFT)

    assert dialog.result() == QDialog.DialogCode.Accepted
    assert cc_settings.load() == cc_settings.CityCodeSettings(
        registry=str(registry), building_profile="building", project_profile=str(profile), default_year=2023,
        issuing_unit="县自然资源局", planning_sources=["/data/plan.gpkg|layername=czkfbj"])

    shown = SettingsDialog()  # opens with what was saved
    assert shown.values() == cc_settings.load()
    shown.set_values(cc_settings.CityCodeSettings(  # what a user's settings look like, for the screenshot
        registry="/home/gis/城市码/registry.sqlite", project_profile="/home/gis/城市码/county_project.json",
        issuing_unit="某某县自然资源和规划局",
        output_folder="/home/gis/城市码/成果", planning_group="国土空间规划",
        planning_sources=["/home/gis/三区三线/sanqusanxian.gpkg|layername=stbhhx",
                          "/home/gis/三区三线/sanqusanxian.gpkg|layername=yjjbnt",
                          "/home/gis/三区三线/sanqusanxian.gpkg|layername=czkfbj"]))
    shown.show()
    QCoreApplication.processEvents()  # let the layout settle, as it has when a user sees it
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    assert shown.grab().save(str(SCREENSHOTS / "settings_dialog.png"))


@pytest.mark.parametrize("bad, message", [
    ("missing/registry.sqlite", "does not exist"),
    ("notes.sqlite", "not a CityCode registry"),
])
def test_settings_dialog_refuses_a_bad_registry(clean_settings, tmp_path, bad, message):
    from citycode.plugin.gui.settings_dialog import SettingsDialog

    (tmp_path / "notes.sqlite").write_bytes(b"meeting notes, not a database\n" * 100)
    dialog = SettingsDialog()
    dialog.show()
    _type(dialog.registry.lineEdit(), str(tmp_path / bad))
    QTest.mouseClick(dialog.buttons.button(OK), LEFT)

    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    item = dialog.bar.currentItem()
    assert item is not None and item.isVisible() and message in item.text()
    assert QgsSettings().value("citycode/registry") is None  # nothing saved


# -- batch coding -------------------------------------------------------------------------------------
@pytest.fixture
def town(citycode_processing, empty_project, qgis_iface, sample_gpkg, tmp_path, clean_settings):
    """A copy of the sample town in the project (buildings, divisions, red line); settings pointing at a
    registry in tmp_path, remembering the red line as a planning source, outputs in tmp_path/out."""
    gpkg = tmp_path / "town.gpkg"
    shutil.copy(sample_gpkg, gpkg)
    layers = {}
    for name in ("buildings", "divisions", "stbhhx"):
        layers[name] = QgsVectorLayer("{}|layername={}".format(gpkg, name), name, "ogr")
        assert layers[name].isValid()
    empty_project.addMapLayers(list(layers.values()))
    registry = tmp_path / "registry" / "codes.sqlite"
    registry.parent.mkdir()
    (tmp_path / "out").mkdir()
    cc_settings.save(cc_settings.CityCodeSettings(registry=str(registry), default_year=2024,
                                                  planning_sources=["{}|layername=stbhhx".format(gpkg)],
                                                  output_folder=str(tmp_path / "out")))
    qgis_iface.setActiveLayer(layers["buildings"])
    qgis_iface.messageBar().messages = {level: [] for level in qgis_iface.messageBar().messages}
    return {"gpkg": gpkg, "registry": registry, "layers": layers, "dir": tmp_path}


def _outside_and_empty(buildings, divisions):
    """Buildings touching no division, and buildings without geometry, by QGIS geometry (not the engine)."""
    union = QgsGeometry.unaryUnion([f.geometry() for f in divisions.getFeatures()])
    geometries = [f.geometry() for f in buildings.getFeatures()]
    empty = sum(1 for g in geometries if g.isEmpty())
    return sum(1 for g in geometries if not g.isEmpty() and not g.intersects(union)), empty


def wait_for_task(task):
    """Until the batch task has ended and its result was shown (QGIS deletes the task object then)."""
    from citycode.plugin.gui import batch

    wait_for(lambda: task.succeeded is not None and task not in batch._RUNNING)


def test_batch_runs_in_the_background_and_adds_a_labelled_layer(town, qgis_iface):
    from citycode.plugin.gui import batch

    logged = []
    log = QgsApplication.messageLog()
    log.messageReceived.connect(lambda message, tag, level: tag == "CityCode" and logged.append(message))

    dialog = batch.BatchDialog(qgis_iface)
    layers = town["layers"]
    assert dialog.features.currentLayer() is layers["buildings"]
    assert dialog.divisions.currentLayer() is layers["divisions"]
    assert dialog.division_field.currentField() == "code"
    assert (dialog.year_field.currentField(), dialog.id_field.currentField()) == ("year", "id")
    assert dialog.registry.filePath() == str(town["registry"])
    assert dialog.planning.checkedItemsData() == [layers["stbhhx"].id()]  # remembered in the settings
    assert dialog.output.filePath() == str(town["dir"] / "out" / "buildings_coded.gpkg")  # the output folder
    params = dialog.parameters()
    assert params["DEFAULT_YEAR"] == 2024 and params["PROFILE"] == "auto"  # the level picks the profile

    QTest.mouseClick(dialog.buttons.button(OK), LEFT)
    task = dialog.task
    assert task is not None and dialog.result() == QDialog.DialogCode.Accepted
    wait_for_task(task)
    assert task.succeeded, task.feedback.errors

    coded = [lyr for lyr in QgsProject.instance().mapLayers().values() if lyr.name() == "buildings_coded"]
    assert len(coded) == 1
    layer = coded[0]
    assert layer.labelsEnabled() and layer.labeling().settings().fieldName == "citycode"
    with_code = [f["citycode"] for f in layer.getFeatures() if f["citycode"]]
    issued = codes_in(town["registry"])
    assert issued == len(with_code) == len(set(with_code)) > 1000

    outside, empty = _outside_and_empty(layers["buildings"], layers["divisions"])
    messages = qgis_iface.messageBar().messages
    summary = [m[m.index("Coded: "):] for level in messages.values() for m in level if "Coded: " in m]
    assert len(summary) == 1
    # every outcome by its name, none as "failed"
    assert summary[0].startswith("Coded: {} (New codes: {}, Existing codes (re-run): 0)".format(issued, issued))
    assert "; Outside every division (not coded): {}".format(outside) in summary[0] and outside > 0
    assert "; No geometry (not coded): {}".format(empty) in summary[0] and empty > 0  # the sample has one
    assert "; Straddling a division border: {}".format(task.results["STRADDLING"]) in summary[0]
    hits = sum(1 for f in layer.getFeatures() if f["stbhhx_hit"])
    assert "; Overlapping stbhhx: {}".format(hits) in summary[0] and hits > 0
    assert "failed" not in summary[0].lower() and "another reason" not in summary[0]
    assert any("Coded layer:" in m and str(town["registry"]) in m for m in logged)

    # the same buildings again, to another output: nothing new, every code kept
    again = batch.start_batch(qgis_iface, dict(params, OUTPUT=str(town["dir"] / "again.gpkg")))
    wait_for_task(again)
    assert codes_in(town["registry"]) == issued
    assert any("Coded: {} (New codes: 0, Existing codes (re-run): {})".format(issued, issued) in m
               for level in messages.values() for m in level)

    _render_batch_screenshot(layer, layers)


def _render_batch_screenshot(coded, layers):
    from qgis.core import QgsMapRendererParallelJob, QgsMapSettings
    from qgis.PyQt.QtCore import QSize
    from qgis.PyQt.QtGui import QColor

    divisions = layers["divisions"]
    divisions.renderer().symbol().setColor(QColor(0, 0, 0, 0))
    divisions.renderer().symbol().symbolLayer(0).setStrokeWidth(0.8)
    layers["stbhhx"].renderer().symbol().setColor(QColor(0, 160, 80, 90))
    coded.renderer().symbol().setColor(QColor(250, 190, 120))
    # around a coded building that the red line overlaps, so the picture shows codes, red line and a boundary
    hit = next(f for f in coded.getFeatures() if f["citycode"] and f["stbhhx_hit"])
    extent = hit.geometry().boundingBox()
    extent.grow(150)
    settings = QgsMapSettings()
    settings.setLayers([coded, layers["stbhhx"], divisions])
    settings.setDestinationCrs(coded.crs())
    settings.setOutputSize(QSize(1000, 700))
    settings.setExtent(extent)
    settings.setBackgroundColor(QColor("white"))
    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    assert job.renderedImage().save(str(SCREENSHOTS / "batch_result.png"))


def test_batch_canceled_midway_issues_nothing(town, qgis_iface):
    from citycode.plugin.gui import batch

    output = town["dir"] / "canceled.gpkg"
    params = {"BUILDINGS": town["layers"]["buildings"].id(), "DIVISIONS": town["layers"]["divisions"].id(),
              "DIVISION_FIELD": "code", "ID_FIELD": "id", "DEFAULT_YEAR": 2024, "PROFILE": "building",
              "REGISTRY": str(town["registry"]), "OUTPUT": str(output)}
    task = batch.AssignTask(params)
    progress = []

    def cancel_once_started(value):  # in the task's thread, between two engine steps
        progress.append(value)
        task.cancel()

    task.feedback.progressChanged.connect(cancel_once_started, Qt.ConnectionType.DirectConnection)
    batch.run_task(qgis_iface, task)
    wait_for_task(task)

    assert progress and 0 < progress[0] < 100  # it had started
    assert task.succeeded is False
    assert codes_in(town["registry"]) == 0 and not output.exists()
    assert not [lyr for lyr in QgsProject.instance().mapLayers().values() if lyr.name().endswith("_coded")]
    assert any("canceled" in m for m in qgis_iface.messageBar().messages[0])  # Qgis.Info


def test_batch_failure_says_what_to_fix(town, qgis_iface):
    from citycode.plugin.gui import batch

    notes = town["dir"] / "notes.sqlite"
    notes.write_bytes(b"not a registry\n" * 100)
    params = {"BUILDINGS": town["layers"]["buildings"].id(), "DIVISIONS": town["layers"]["divisions"].id(),
              "REGISTRY": str(notes), "OUTPUT": str(town["dir"] / "failed.gpkg")}
    task = batch.start_batch(qgis_iface, params)
    wait_for_task(task)
    critical = qgis_iface.messageBar().messages[2]  # Qgis.Critical
    assert len(critical) == 1 and "not a CityCode registry" in critical[0] and "notes.sqlite" in critical[0]


# -- locator ------------------------------------------------------------------------------------------
def _square(x, y, size=20):
    return QgsGeometry.fromWkt("POLYGON(({0} {1},{2} {1},{2} {3},{0} {3},{0} {1}))".format(
        X0 + x, Y0 + y, X0 + x + size, Y0 + y + size))


@pytest.fixture
def coded_town(empty_project, tmp_path, clean_settings, qgis_canvas):
    """A registry with three codes; a loaded layer holds two of them (the third is only in the registry)."""
    registry_path = tmp_path / "codes.sqlite"
    names = ["东风小区1号楼", "人民医院门诊楼", "老粮站仓库"]
    import numpy as np

    with open_registry(str(registry_path)) as registry:
        issued = registry.issue(load_profile("building"), IssueRequest(
            identity=np.array(["a", "b", "c"], dtype=object), division=np.array(["110101001"] * 3),
            year=np.array([2024] * 3), order=np.array([1, 2, 3]), name=names), "test")
    codes = list(issued.code)
    cc_settings.save(cc_settings.CityCodeSettings(registry=str(registry_path)))

    layer = QgsVectorLayer("Polygon?crs={}".format(CRS), "coded", "memory")
    layer.dataProvider().addAttributes([QgsField("citycode", QVariant.String), QgsField("name", QVariant.String)])
    layer.updateFields()
    features = []
    for code, name, (x, y) in zip(codes[:2], names[:2], [(0, 0), (5000, 3000)]):
        f = QgsFeature(layer.fields())
        f.setAttributes([code, name])
        f.setGeometry(_square(x, y))
        features.append(f)
    layer.dataProvider().addFeatures(features)
    layer.updateExtents()
    empty_project.addMapLayer(layer)
    qgis_canvas.setDestinationCrs(QgsCoordinateReferenceSystem(CRS))
    qgis_canvas.setExtent(layer.extent())
    return {"codes": codes, "names": names, "layer": layer}


def _search(text):
    from citycode.plugin.gui.locator import CityCodeLocatorFilter

    locator = QgsLocator()
    search_filter = CityCodeLocatorFilter(None)
    locator.registerFilter(search_filter)
    found = []
    locator.foundResult.connect(lambda result: found.append(QgsLocatorResult(result)))  # outlive the signal
    loop = QEventLoop()
    locator.finished.connect(loop.quit)
    QTimer.singleShot(30000, loop.quit)
    assert locator.prefixedFilters().get("ccd") is search_filter  # QGIS accepted the prefix
    locator.fetchResults(text, QgsLocatorContext())
    if locator.isRunning():
        loop.exec()
    return [(r.displayString, r.group) for r in found], found


def test_locator_finds_codes_and_names(coded_town):
    codes, names = coded_town["codes"], coded_town["names"]
    results, _ = _search("ccd " + codes[0][:13])  # division + year: all three
    assert sorted(results) == sorted([(codes[0], "coded"), (codes[1], "coded"), (codes[2], "Registry")])
    assert codes[0].endswith("X")  # check character X, typed in lower case below
    results, _ = _search("ccd " + codes[0][-6:].lower())  # the end of one code
    assert results == [(codes[0], "coded")]  # the loaded feature, not listed again from the registry
    results, _ = _search("ccd 人民医院")
    assert results == [(codes[1], "coded")]
    results, found = _search("ccd 粮站")
    assert results == [(codes[2], "Registry")] and names[2] in found[0].description
    assert _search("ccd 9")[0] == []  # one character: no search


def test_locator_zooms_to_the_feature_or_says_it_is_not_loaded(coded_town, qgis_iface):
    from citycode.plugin.gui.locator import CityCodeLocatorFilter

    canvas = qgis_iface.mapCanvas()
    canvas.setDestinationCrs(QgsCoordinateReferenceSystem(CRS))
    canvas.setExtent(coded_town["layer"].extent())
    codes = coded_town["codes"]
    search_filter = CityCodeLocatorFilter(qgis_iface)

    before = canvas.extent()
    _, found = _search("ccd " + codes[1])
    search_filter.triggerResult(found[0])
    target = _square(5000, 3000).boundingBox()
    extent = canvas.extent()
    assert extent.contains(target) and extent.width() < before.width() / 5  # zoomed in on it
    assert extent.center().distance(target.center()) < 1

    _, found = _search("ccd 粮站")
    qgis_iface.messageBar().messages[0].clear()
    search_filter.triggerResult(found[0])
    info = qgis_iface.messageBar().messages[0]
    assert len(info) == 1 and codes[2] in info[0] and "no loaded layer" in info[0]
    assert canvas.extent() == extent  # did not move

    # a registry result whose code is loaded zooms to that feature
    canvas.setExtent(coded_town["layer"].extent())
    with open_registry(cc_settings.load().registry) as registry:
        record = registry.get(codes[0])
    from citycode.plugin.gui.locator import _set_data

    result = QgsLocatorResult()
    _set_data(result, {"code": record.code, "status": record.status})
    search_filter.triggerResult(result)
    assert canvas.extent().contains(_square(0, 0).boundingBox()) and canvas.extent().width() < before.width() / 5


# -- plugin wiring ------------------------------------------------------------------------------------
def test_plugin_adds_batch_settings_and_locator(qgis_iface):
    import citycode

    registered, deregistered = [], []
    qgis_iface.registerLocatorFilter = registered.append
    qgis_iface.deregisterLocatorFilter = deregistered.append
    plugin = citycode.classFactory(qgis_iface)
    plugin.initGui()
    try:
        menu = next(a.menu() for a in qgis_iface.mainWindow().menuBar().actions()
                    if a.menu() is not None and a.menu().objectName() == "CityCodeMenu")
        names = [a.objectName() for a in menu.actions() if not a.isSeparator()]
        assert {"citycode_batch", "citycode_settings"} <= set(names)  # the full list: test_plugin_load.py
        toolbar = qgis_iface.mainWindow().findChild(QToolBar, "CityCodeToolbar")
        assert "citycode_batch" in {a.objectName() for a in toolbar.actions()}
        assert len(registered) == 1 and registered[0].prefix() == "ccd"
    finally:
        plugin.unload()
        del qgis_iface.registerLocatorFilter, qgis_iface.deregisterLocatorFilter
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert deregistered == registered
    assert qgis_iface.mainWindow().findChild(QMenu, "CityCodeMenu") is None
