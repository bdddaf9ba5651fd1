"""The matrix's GUI run, inside the real QGIS desktop (qgis --code this file, offscreen).

With the plugin installed from the ZIP and enabled in a fresh profile: the CityCode menu has its actions,
the code form opens on a building of the sample and shows the code it would issue, a batch run goes through
QgsApplication.taskManager() to the end and its coded layer is added. Writes $CITYCODE_MATRIX_OUT/gui.json and
screenshot.png (the main window with the menu and the form drawn over it), then quits QGIS.
"""
import json
import os
import shutil
import sys
import time
import traceback

from qgis.core import Qgis, QgsApplication, QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import QEventLoop, QPoint, QTimer
from qgis.PyQt.QtGui import QPainter
from qgis.PyQt.QtWidgets import QApplication, QMenu
from qgis.utils import iface, plugins

OUT = os.environ["CITYCODE_MATRIX_OUT"]
SAMPLE = os.path.join(OUT, "sample_town.gpkg")
BATCH_TIMEOUT = 300
result = {"qgis": Qgis.version(), "python": sys.version.split()[0], "checks": {}}


def wait(seconds, until=lambda: False):
    """Let QGIS work (draw, run tasks) for up to `seconds`, or until `until()` holds."""
    end = time.monotonic() + seconds
    while time.monotonic() < end and not until():
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 100)
        time.sleep(0.02)
    return until()


def record(name, ok, detail):
    result["checks"][name] = {"ok": bool(ok), "detail": detail}


def speedups():
    """The speed-ups as the plugin sees them (a pyogrio wheel may be installed but unusable inside QGIS)."""
    try:
        from citycode.plugin.core.speedups import version_of
    except Exception:
        return {"plugin's speedups module": "not importable: " + traceback.format_exc(limit=1)}
    return {name: version_of(name) for name in ("shapely", "pyogrio", "pyarrow")}


def check_menu(plugin):
    menu = iface.mainWindow().findChild(QMenu, "CityCodeMenu")
    in_bar = menu is not None and menu.menuAction() in iface.mainWindow().menuBar().actions()
    names = [a.objectName() for a in menu.actions() if not a.isSeparator()] if menu else []
    wanted = [spec[0] for spec in plugin._action_specs() if spec]
    record("menu", in_bar and names == wanted and len(names) >= 10,
           "{!r} in the menu bar: {}; {} actions{}".format(menu.title() if menu else None, in_bar, len(names),
                                                          "" if names == wanted else ", expected {}".format(wanted)))
    return menu


def load_layers():
    project = QgsProject.instance()
    layers = {}
    for name in ("divisions", "buildings", "stbhhx"):
        layer = QgsVectorLayer("{}|layername={}".format(SAMPLE, name), name, "ogr")
        assert layer.isValid(), name
        layers[name] = layer
    project.addMapLayer(layers["divisions"])
    project.addMapLayer(layers["buildings"])  # above the divisions
    group = project.layerTreeRoot().addGroup("规划图层")  # where the code form looks for planning layers
    project.addMapLayer(layers["stbhhx"], False)
    group.addLayer(layers["stbhhx"])
    return layers


def action(plugin, name):
    return next(a for a in plugin.actions if a.objectName() == name)


def check_code_form(plugin, layers):
    buildings = layers["buildings"]
    fid = next(f.id() for f in buildings.getFeatures("\"note\" IS NULL AND \"id\" > 100"))
    iface.setActiveLayer(buildings)
    buildings.selectByIds([fid])
    action(plugin, "citycode_codeform").trigger()
    forms = []
    wait(30, lambda: forms.extend(w for w in QApplication.topLevelWidgets()
                                  if type(w).__name__ == "CodeForm" and w.isVisible()) or forms)
    if not forms:
        record("code_form", False, "no code form opened for feature {}".format(fid))
        return None
    form = forms[0]
    wait(2)
    code = form.preview_code or ""
    divisions = {f["code"] for f in layers["divisions"].getFeatures()}
    record("code_form", len(code) == 23 and code[:9] in divisions,
           "feature {}: preview {!r}, division {}".format(fid, code, form.division_label.text()))
    return form


def screenshot(menu, form, layers):
    window = iface.mainWindow()
    window.resize(1600, 1000)
    wait(1)
    iface.mapCanvas().setExtent(layers["divisions"].extent())  # the canvas as it is after the resize
    iface.mapCanvas().refresh()
    wait(3)
    image = window.grab()
    painter = QPainter(image)
    right = 0
    if menu is not None:  # drawn open below its entry in the menu bar, the form beside it
        bar = window.menuBar()
        menu.adjustSize()
        at = bar.mapTo(window, bar.actionGeometry(menu.menuAction()).bottomLeft())
        painter.drawPixmap(at, menu.grab())
        right = at.x() + menu.width()
    if form is not None:
        painter.drawPixmap(QPoint(min(right + 20, image.width() - form.width()), 120), form.grab())
    painter.end()
    path = os.path.join(OUT, "screenshot.png")
    record("screenshot", image.save(path), path)


def check_batch(plugin, layers):
    """The batch dialog, filled in as a user would, runs its task to the end in the task manager."""
    output = os.path.join(OUT, "batch_coded.gpkg")
    state = {}

    def fill_and_run():
        dialog = QApplication.activeModalWidget()
        if dialog is None or dialog.objectName() != "CityCodeBatchDialog":
            QTimer.singleShot(200, fill_and_run)
            return
        dialog.features.setLayer(layers["buildings"])
        dialog.divisions.setLayer(layers["divisions"])
        dialog.division_field.setField("code")
        dialog.year_field.setField("year")
        dialog.id_field.setField("id")
        dialog.registry.setFilePath(os.path.join(OUT, "batch_registry.sqlite"))
        dialog.output.setFilePath(output)
        dialog.accept()
        task = dialog.task
        if task is not None:
            state["description"] = task.description()  # QGIS deletes the task object once it ended
            state["in_manager"] = task in QgsApplication.taskManager().tasks()
            task.taskCompleted.connect(lambda: state.setdefault("end", "completed"))
            task.taskTerminated.connect(lambda: state.setdefault("end", "terminated"))
        else:
            state["end"] = "not started: " + dialog.bar.items()[-1].text() if dialog.bar.items() else "not started"

    QTimer.singleShot(200, fill_and_run)
    started = time.monotonic()
    action(plugin, "citycode_batch").trigger()  # modal: returns once fill_and_run accepted it
    wait(BATCH_TIMEOUT, lambda: "end" in state)
    wait(2)  # show_result adds the layer after the task's signal
    coded = [lay for lay in QgsProject.instance().mapLayers().values() if lay.source().startswith(output)]
    codes = sum(1 for f in coded[0].getFeatures() if f["citycode"]) if coded else 0
    record("batch", state.get("end") == "completed" and state.get("in_manager") and codes > 1500,
           "task {!r} in the task manager: {}, {} in {:.1f} s; coded layer added: {}, {} codes".format(
               state.get("description"), state.get("in_manager"), state.get("end", "timed out"),
               time.monotonic() - started, bool(coded), codes))


def main():
    result["speedups"] = speedups()
    plugin = plugins.get("citycode")
    record("plugin_loaded", plugin is not None, "loaded" if plugin else "not in qgis.utils.plugins: {}".format(
        sorted(plugins)))
    if plugin is None:
        return
    menu = check_menu(plugin)
    layers = load_layers()
    form = check_code_form(plugin, layers)
    screenshot(menu, form, layers)
    check_batch(plugin, layers)


def finish():
    try:
        main()
    except Exception:
        record("exception", False, traceback.format_exc())
    result["ok"] = bool(result["checks"]) and all(c["ok"] for c in result["checks"].values())
    with open(os.path.join(OUT, "gui.json"), "w", encoding="utf-8") as f:
        json.dump(result, f, ensure_ascii=False, indent=1)
    # QGIS's own way out (QgsApplication.exit() alone destroys the project after the window: a crash in 3.22);
    # the project cleared first asks no "save the changes?" question
    QgsProject.instance().clear()
    QTimer.singleShot(20000, lambda: os._exit(3))  # should QGIS not quit
    iface.actionExit().trigger()


shutil.copy(os.environ["CITYCODE_MATRIX_SAMPLE"], SAMPLE)  # the run's own copy: the form writes nothing to it,
QTimer.singleShot(1000, finish)                           # but QGIS may leave files beside what it opens
