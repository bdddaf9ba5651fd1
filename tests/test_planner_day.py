"""A planner's day without stumbles (issue 16): the planning layers the loader loads are the ones the code form
and the batch dialog use, the form shows a save at once with local times, exports name and style planning layers
whatever their source string, batch outputs go where the user chose and the summary names each outcome.

Everything runs through the plugin's own dialogs (pytest-qgis, offscreen) on a copy of the sample town.
"""
import datetime
import os
import re
import shutil
import time

import pytest
from qgis.core import (
    QgsApplication,
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProcessingUtils,
    QgsProject,
    QgsSettings,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QCoreApplication, Qt
from qgis.PyQt.QtTest import QTest
from qgis.PyQt.QtWidgets import QDialog, QDialogButtonBox

from conftest import ROOT

from citycode.plugin.core.planning import loader, sources, standard
from citycode.plugin.core import settings as cc_settings
from citycode.plugin.core.times import local_time

SCREENSHOTS = ROOT / "docs" / "screenshots"
LEFT = Qt.MouseButton.LeftButton
OK = QDialogButtonBox.StandardButton.Ok
SQSX = ("stbhhx", "yjjbnt", "czkfbj")  # the sample's 三区三线 layers


def wait_until(predicate, seconds=120):
    end = time.time() + seconds
    while not predicate() and time.time() < end:
        QTest.qWait(20)
    assert predicate(), "timed out"


@pytest.fixture
def shanghai(monkeypatch):
    """The user's clock in Beijing time (the machine's is UTC)."""
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def day(citycode_processing, qgis_iface, sample_gpkg, tmp_path):
    """The sample town copied into data/, its buildings and divisions in the project; the settings: a registry
    in registry/, outputs in out/, nothing else chosen."""
    QgsSettings().remove("citycode")
    QgsProject.instance().removeAllMapLayers()
    data = tmp_path / "data"
    data.mkdir()
    gpkg = data / "town.gpkg"
    shutil.copy(sample_gpkg, gpkg)
    layers = {n: QgsVectorLayer("{}|layername={}".format(gpkg, n), n, "ogr") for n in ("buildings", "divisions")}
    QgsProject.instance().addMapLayers(list(layers.values()))
    (tmp_path / "registry").mkdir()
    (tmp_path / "out").mkdir()
    values = cc_settings.CityCodeSettings(registry=str(tmp_path / "registry" / "codes.sqlite"), default_year=2024,
                                          output_folder=str(tmp_path / "out"))
    cc_settings.save(values)
    qgis_iface.setActiveLayer(layers["buildings"])
    yield {"gpkg": gpkg, "layers": layers, "dir": tmp_path, "data": data, "settings": values}
    from citycode.plugin.core.engine import feature_coding
    feature_coding._CODERS.clear()
    QgsProject.instance().removeAllMapLayers()
    QgsSettings().remove("citycode")


def _load_with_the_loader(qgis_iface, gpkg):
    """Planning layers… as a user does it: the GeoPackage, Scan, Load into project."""
    from citycode.plugin.gui.planning_dialog import GPKG, PlanningDialog

    dialog = PlanningDialog(qgis_iface, project=QgsProject.instance())
    dialog.show()
    dialog.kind_box.setCurrentIndex(GPKG)
    dialog.path_edit.setText(str(gpkg))
    QTest.mouseClick(dialog.scan_button, LEFT)
    wait_until(lambda: not dialog.scanning and dialog.items)
    QTest.mouseClick(dialog.load_button, LEFT)
    loaded = list(dialog.loaded)
    dialog.close()
    return loaded


def _overlapping_building(layers, planning_layers):
    """A building of the town that overlaps one of `planning_layers` (by QGIS geometry, not the plugin)."""
    zones = [f.geometry() for layer in planning_layers for f in layer.getFeatures()]
    return next(f.id() for f in layers["buildings"].getFeatures()
                if not f.geometry().isEmpty() and any(f.geometry().intersects(z) for z in zones))


# -- one rule for the planning layers -------------------------------------------------------------------
def test_the_loaders_layers_are_the_forms_overlaps_and_the_batch_ticks(day, qgis_iface):
    from citycode.plugin.core.engine.feature_coding import CodingConfig
    from citycode.plugin.gui.batch import BatchDialog
    from citycode.plugin.gui.code_form import CodeForm

    layers = day["layers"]
    assert CodingConfig.from_settings().planning_layers == []  # nothing loaded yet
    loaded = _load_with_the_loader(qgis_iface, day["gpkg"])
    assert sorted(sources.own_name(layer) for layer in loaded) == sorted(SQSX)
    top = QgsProject.instance().layerTreeRoot().findGroup(standard.ROOT_GROUP)
    assert top is not None and len(top.findLayers()) == 3  # the group the loader made: "规划图层 / Planning"

    config = CodingConfig.from_settings()
    assert {layer.id() for layer in config.planning_layers} == {layer.id() for layer in loaded}
    fid = _overlapping_building(layers, loaded)
    form = CodeForm(layers["buildings"], fid, config, iface=qgis_iface)
    form.show()
    form.tabs.setCurrentIndex(1)
    QCoreApplication.processEvents()
    assert form.overlap_table.rowCount() == 3
    assert {form.overlap_table.item(r, 0).text() for r in range(3)} == {layer.name() for layer in loaded}
    assert any(o.hit for o in form.facts.overlaps) and "No planning layers" not in form.area_label.text()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    assert form.grab().save(str(SCREENSHOTS / "code_form_after_loader.png"))
    form.close()

    dialog = BatchDialog(qgis_iface)
    assert dialog.features.currentLayer() is layers["buildings"]  # not a planning layer
    assert dialog.divisions.currentLayer() is layers["divisions"]
    assert sorted(dialog.planning.checkedItemsData()) == sorted(layer.id() for layer in loaded)
    dialog.close()

    # Print coded map… with no planning layer chosen: the same ones
    alg = QgsApplication.processingRegistry().createAlgorithmById("citycode:exportcodedmap")
    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())
    assert alg.prepare({"BUILDINGS": layers["buildings"].id(), "DIVISIONS": layers["divisions"].id(),
                        "OUTPUT": str(day["dir"] / "out" / "map.pdf")}, context, QgsProcessingFeedback())
    assert sorted(layer.id() for layer in alg.planning) == sorted(layer.id() for layer in loaded)


def test_a_group_named_in_the_settings_and_layers_recognised_anywhere(day):
    gpkg = day["gpkg"]
    project = QgsProject.instance()
    # the user's own group, with a layer whose name and fields say nothing of planning
    mine = project.layerTreeRoot().addGroup("我的规划")
    projects = QgsVectorLayer("{}|layername=projects".format(gpkg), "重点片区", "ogr")
    project.addMapLayer(projects, False)
    mine.addLayer(projects)
    # the farmland, at the top level, under a name of the user's: recognised by kind
    farmland = QgsVectorLayer("{}|layername=yjjbnt".format(gpkg), "基本农田2024", "ogr")
    project.addMapLayer(farmland)
    found = loader.project_planning_layers(project)
    assert found == [farmland]
    named = cc_settings.CityCodeSettings(planning_group="我的规划")
    assert set(loader.project_planning_layers(project, named)) == {farmland, projects}
    # a hand-made group called 规划图层 counts too, and the layers asked to be left out are
    hand = project.layerTreeRoot().addGroup("规划图层")
    roads = QgsVectorLayer("{}|layername=czkfbj".format(gpkg), "x", "ogr")
    project.addMapLayer(roads, False)
    hand.addLayer(roads)
    assert set(loader.project_planning_layers(project, named, exclude=[farmland])) == {projects, roads}
    # a remembered planning source, wherever the layer sits
    remembered = cc_settings.CityCodeSettings(planning_sources=["{}|layername=projects".format(gpkg)])
    assert projects in loader.project_planning_layers(project, remembered)


# -- the form: the save at once, local times ------------------------------------------------------------
def test_local_time_shows_the_zone(shanghai):
    assert local_time("2026-12-05T08:01:26+00:00") == "2026-12-05 16:01:26 CST (UTC+08:00)"
    assert local_time("2026-12-05 08:01:26") == "2026-12-05 16:01:26 CST (UTC+08:00)"  # no offset: UTC
    assert local_time("2026-12-05T08:01:26Z") == "2026-12-05 16:01:26 CST (UTC+08:00)"
    assert local_time("2026-12-05T16:01:26+08:00") == "2026-12-05 16:01:26 CST (UTC+08:00)"
    moment = datetime.datetime(2026, 12, 5, 8, 1, 26, tzinfo=datetime.timezone.utc)  # PostgreSQL's timestamptz
    assert local_time(moment) == "2026-12-05 16:01:26 CST (UTC+08:00)"
    assert local_time("") == "" and local_time(None) == "" and local_time("yesterday") == "yesterday"

    from citycode.plugin.core.engine.report import to_html
    page = to_html({"title": "t", "created": "2026-12-05T08:01:26+00:00", "output": "out.gpkg", "counts": {}})
    assert "2026-12-05 16:01:26 CST (UTC+08:00)" in page  # the run report, too


def test_the_open_form_shows_the_save_at_once_in_local_time(day, qgis_iface, shanghai):
    from citycode.plugin.core.engine.feature_coding import CODE_FIELD, CodingConfig, add_code_field
    from citycode.plugin.core.registry.backends import open_registry
    from citycode.plugin.gui.code_form import CodeForm

    layer = day["layers"]["buildings"]
    add_code_field(layer)
    fid = next(f.id() for f in layer.getFeatures() if not f.geometry().isEmpty())
    assert layer.startEditing()
    form = CodeForm(layer, fid, CodingConfig.from_settings(), iface=qgis_iface)
    form.show()
    form.assign_button.click()
    assert form.status_label.text() == "Waiting for the save" and not form.assign_button.isEnabled()

    before = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    assert layer.commitChanges()  # the user saves the layer: the form follows without being touched
    code = layer.getFeature(fid)[CODE_FIELD]
    assert code and form.code_label.text() == code
    assert "Active" in form.status_label.text()
    with open_registry(day["settings"].registry_path) as reg:
        stored = reg.get(code).created_at
        history = reg.history(code)
    shown = re.fullmatch(r"Issued (\S+ \S+) CST \(UTC\+08:00\) by .+", form.state_label.text())
    assert shown, form.state_label.text()
    # the same instant as stored, in Beijing time
    instant = datetime.datetime.fromisoformat(stored)
    assert shown.group(1) == instant.astimezone(datetime.timezone(datetime.timedelta(hours=8))).strftime(
        "%Y-%m-%d %H:%M:%S")
    assert abs((instant - before).total_seconds()) < 120
    assert form.history.table.rowCount() == len(history) == 1
    assert form.history.table.item(0, 0).text() == local_time(history[0]["at"])
    assert form.history.table.item(0, 0).text().endswith("CST (UTC+08:00)")
    form.tabs.setCurrentIndex(2)
    QCoreApplication.processEvents()
    assert form.grab().save(str(SCREENSHOTS / "code_form_saved_local_time.png"))
    form.close()


def test_discarded_edits_take_the_form_back_to_no_code(day, qgis_iface):
    from citycode.plugin.core.engine.feature_coding import CodingConfig, add_code_field
    from citycode.plugin.gui.code_form import CodeForm

    layer = day["layers"]["buildings"]
    add_code_field(layer)
    fid = next(f.id() for f in layer.getFeatures() if not f.geometry().isEmpty())
    assert layer.startEditing()
    form = CodeForm(layer, fid, CodingConfig.from_settings(), iface=qgis_iface)
    form.assign_button.click()
    assert form.status_label.text() == "Waiting for the save"
    assert layer.rollBack()
    assert form.status_label.text() == "No code yet" and form.assign_button.isEnabled()
    form.close()


# -- exports: the layer's own name and its kind's style ------------------------------------------------------
def _style_dump(kind, gpkg):
    reference = QgsVectorLayer("{}|layername={}".format(gpkg, kind), kind, "ogr")
    reference.loadNamedStyle(os.path.join(standard.STYLES_DIR, standard.STYLE_FILES[kind]))
    return reference.renderer().dump()


def test_exports_name_and_style_planning_layers_whatever_the_source(day):
    import processing
    from qgis.core import QgsLayoutItemLegend

    from citycode.plugin.core.output import maps

    gpkg, out = day["gpkg"], day["dir"] / "out"
    coded = str(out / "coded.gpkg")
    processing.run("citycode:assigncodes", {
        "BUILDINGS": "{}|layername=buildings".format(gpkg), "DIVISIONS": "{}|layername=divisions".format(gpkg),
        "ID_FIELD": "id", "REGISTRY": day["settings"].registry_path, "OUTPUT": coded})
    uris = {k: "{}|layername={}".format(gpkg, k) for k in ("yjjbnt", "stbhhx", "projects")}

    # what Processing (and qgis_process) makes of such a source string: a layer named after the file
    context = QgsProcessingContext()
    read = {k: QgsProcessingUtils.mapLayerFromString(s, context) for k, s in uris.items()}
    assert {layer.name() for layer in read.values()} == {"town"}
    inputs = maps.MapInputs(buildings=QgsProcessingUtils.mapLayerFromString(coded, context),
                            divisions=QgsProcessingUtils.mapLayerFromString(
                                "{}|layername=divisions".format(gpkg), context),
                            planning=list(read.values()))
    doc = maps.build_map(inputs, "single")
    on_map = {layer.name(): layer for layer in doc.layout.itemById("map").layers()}
    assert {"永久基本农田", "生态保护红线", "projects"} <= set(on_map) and "town" not in on_map
    assert on_map["永久基本农田"].renderer().dump() == _style_dump("yjjbnt", gpkg)
    assert on_map["生态保护红线"].renderer().dump() == _style_dump("stbhhx", gpkg)
    legend = next(i for i in doc.layout.items() if isinstance(i, QgsLayoutItemLegend))
    names = [n.name() for n in legend.model().rootGroup().findLayers()]
    assert "永久基本农田" in names and "town" not in names

    # and through the algorithm, as qgis_process runs it: one page to look at
    page = out / "map.png"
    result = processing.run("citycode:exportcodedmap", {
        "BUILDINGS": coded, "DIVISIONS": "{}|layername=divisions".format(gpkg), "PLANNING": list(uris.values()),
        "MODE": "single", "FORMAT": "png", "DPI": 60, "OUTPUT": str(page)})
    assert result["PAGES"] == 1 and page.exists()
    shutil.copy(page, SCREENSHOTS / "export_from_source_strings.png")


# -- outputs where the user chose, summaries that name each outcome ------------------------------------------
def test_batch_asks_once_for_the_output_folder_and_never_writes_beside_the_input(day, qgis_iface):
    from citycode.plugin.gui import batch

    cc_settings.remember_output_folder("")
    dialog = batch.BatchDialog(qgis_iface)
    assert dialog.output.filePath() == ""  # not beside the input: not chosen yet
    asked = []
    dialog.ask_output_folder = lambda: asked.append(1) or ""  # the user cancels the question
    QTest.mouseClick(dialog.buttons.button(OK), LEFT)
    assert asked and dialog.task is None and dialog.result() != QDialog.DialogCode.Accepted
    assert "Choose where to save the coded layer" in dialog.bar.currentItem().text()
    assert cc_settings.load().output_folder == ""

    chosen = day["dir"] / "chosen"
    chosen.mkdir()
    before = sorted(os.listdir(day["data"]))
    dialog.ask_output_folder = lambda: asked.append(2) or str(chosen)
    QTest.mouseClick(dialog.buttons.button(OK), LEFT)
    task = dialog.task
    assert task is not None and dialog.result() == QDialog.DialogCode.Accepted
    wait_until(lambda: task.succeeded is not None and task not in batch._RUNNING)
    assert task.succeeded, task.feedback.errors
    assert cc_settings.load().output_folder == str(chosen)  # kept: not asked again
    assert os.path.exists(chosen / "buildings_coded.gpkg") and os.path.exists(chosen / "buildings_coded_report.html")
    assert sorted(os.listdir(day["data"])) == before  # nothing written beside the input

    # the next run: asked no more, and the first run's output is kept
    again = batch.BatchDialog(qgis_iface)
    assert again.output.filePath() == str(chosen / "buildings_coded_2.gpkg")
    again.ask_output_folder = lambda: pytest.fail("asked twice")
    again.close()

    counts = task.counts
    text = batch.summary(counts)
    assert counts["outside"] > 0 and counts["empty"] > 0  # the sample has both
    for label, key in (("Coded", "coded"), ("Outside every division (not coded)", "outside"),
                       ("No geometry (not coded)", "empty"), ("Straddling a division border", "straddling")):
        assert "{}: {}".format(label, counts[key]) in text
    assert "failed" not in text.lower()


def test_summary_names_every_outcome():
    from citycode.plugin.gui.batch import summary

    counts = {"total": 22, "coded": 10, "new": 7, "existing": 3, "outside": 2, "empty": 1, "duplicate_id": 2,
              "exhausted": 1, "no_division_code": 0, "conflict": 2, "repaired": 4, "straddling": 0, "failed": 12,
              "stbhhx_hits": 5, "yjjbnt_hits": 0}
    text = summary(counts)
    assert text == ("Coded: 10 (New codes: 7, Existing codes (re-run): 3); Outside every division (not coded): 2; "
                    "No geometry (not coded): 1; Duplicate id (not coded): 2; Sequence used up (not coded): 1; "
                    "Registry code of another division (conflict, not coded): 2; Invalid geometry, repaired: 4; "
                    "Not coded for another reason (see the cc_status field and the report): 4; "
                    "Overlapping stbhhx: 5")


def test_settings_dialog_keeps_the_output_folder_and_the_planning_group(day, tmp_path):
    from citycode.plugin.gui.settings_dialog import SettingsDialog

    dialog = SettingsDialog()
    dialog.show()
    assert dialog.output_folder.filePath() == str(tmp_path / "out")
    dialog.output_folder.setFilePath(str(tmp_path / "nowhere"))
    dialog.planning_group.setText("我的规划")
    QTest.mouseClick(dialog.buttons.button(OK), LEFT)
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "The output folder does not exist" in dialog.bar.currentItem().text()
    assert cc_settings.load() == day["settings"]  # nothing stored

    dialog.output_folder.setFilePath(str(tmp_path / "registry"))
    QTest.mouseClick(dialog.buttons.button(OK), LEFT)
    assert dialog.result() == QDialog.DialogCode.Accepted
    stored = cc_settings.load()
    assert (stored.output_folder, stored.planning_group) == (str(tmp_path / "registry"), "我的规划")


def test_batch_asks_again_when_the_output_folder_is_gone(day, qgis_iface):
    from citycode.plugin.gui import batch

    cc_settings.remember_output_folder(str(day["dir"] / "gone"))  # removed since it was chosen
    dialog = batch.BatchDialog(qgis_iface)
    assert dialog.output.filePath() == ""
    asked = []
    dialog.ask_output_folder = lambda: asked.append(1) or ""
    QTest.mouseClick(dialog.buttons.button(OK), LEFT)
    assert asked and dialog.task is None and not os.path.exists(day["dir"] / "gone")
    assert cc_settings.load().output_folder == str(day["dir"] / "gone")  # unchanged: the user cancelled
    dialog.close()
