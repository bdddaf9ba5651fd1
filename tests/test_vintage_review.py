"""The vintage review dialog (plugin/gui/vintage_review.py), offscreen: the changes on the map and in the list,
reject and re-match, apply (layer and registry together, or nothing), opened from the plugin's menu.
The screenshot goes to docs/screenshots/vintage_review.png."""
import shutil

import numpy as np
import pytest
from osgeo import ogr
from qgis.PyQt.QtWidgets import QApplication

from conftest import ROOT
from test_vintage import city, drawn, make_city_script, survey, truth  # noqa: F401 (module fixtures)

from citycode.plugin.core.vintage.plan import VintageJob, class_label
from citycode.plugin.core.vintage.update import prepare
from citycode.plugin.core.engine.layers import LayerInput
from citycode.plugin.core.registry.backends import open_registry

SCREENSHOT = ROOT / "docs" / "screenshots" / "vintage_review.png"


@pytest.fixture()
def session(city, tmp_path):  # noqa: F811
    part = survey(city[0], tmp_path / "part.gpkg", "--area", "0.45,0.45,0.6,0.6", "--seed", "5", "--drop", "0.05",
                  "--split", "0.03", "--merge", "0.03", "--modify", "0.05", "--add", "0.05")
    registry = tmp_path / "registry.sqlite"
    shutil.copy(city[1], registry)
    job = VintageJob(old=LayerInput(path=str(city[0]), layer="buildings_coded"),
                             new=LayerInput(path=str(part), layer="survey"),
                             divisions=LayerInput(path=str(city[2]), layer="divisions"),
                             area=LayerInput(path=str(part), layer="survey_area"), id_field="sid",
                             output=str(tmp_path / "out.gpkg"), registry=str(registry), year=2025)
    return prepare(job), part, registry


def _row_of(dialog, cls):
    return next(r for r, g in enumerate(dialog.groups) if dialog.session.plan.group_class(g) == cls)


@pytest.fixture()
def project_layers(city, session):  # noqa: F811
    """The layers in the project and the registry in the settings, as a user would have them."""
    from dataclasses import replace
    from qgis.core import QgsProject, QgsVectorLayer
    from citycode.plugin.core import settings as cc_settings
    s, part, registry = session
    layers = {"old": QgsVectorLayer(f"{city[0]}|layername=buildings_coded", "buildings 2024", "ogr"),
              "new": QgsVectorLayer(f"{part}|layername=survey", "survey 2025", "ogr"),
              "divisions": QgsVectorLayer(f"{city[2]}|layername=divisions", "divisions", "ogr"),
              "area": QgsVectorLayer(f"{part}|layername=survey_area", "surveyed 2025", "ogr")}
    QgsProject.instance().addMapLayers(list(layers.values()))
    saved = cc_settings.load()
    cc_settings.save(replace(saved, registry=str(registry)))
    yield layers
    cc_settings.save(saved)
    QgsProject.instance().removeMapLayers([layer.id() for layer in layers.values()])


def test_review_reject_rematch_apply_and_screenshot(session, project_layers, qgis_app, qgis_iface):
    from citycode.plugin.gui.vintage_review import REJECT, VintageReviewDialog
    _, part, registry = session
    dialog = VintageReviewDialog(qgis_iface)
    dialog.old_combo.setLayer(project_layers["old"])
    dialog.code_field.setField("citycode")
    dialog.new_combo.setLayer(project_layers["new"])
    dialog.id_field.setField("sid")
    dialog.div_combo.setLayer(project_layers["divisions"])
    dialog.div_field.setField("code")
    dialog.area_combo.setLayer(project_layers["area"])
    dialog.year.setValue(2025)
    dialog.output.setFilePath(str(registry.parent / "out.gpkg"))
    dialog.match()
    s = dialog.session
    assert s is not None, dialog.status.text()
    plan = s.plan
    assert dialog.table.rowCount() == len(plan.changes()) > 20
    shown = {dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())}
    assert {class_label(c) for c in ("new", "demolished", "split", "merged", "modified")} <= shown
    assert dialog.layers["new"].featureCount() == int(np.isin(plan.new_class, ("new", "split", "merged",
                                                                               "modified")).sum())
    assert dialog.layers["old"].featureCount() == int(np.isin(plan.old_class, ("demolished", "split", "merged",
                                                                               "modified")).sum())
    # a demolished building rejected: kept with its code
    gone_row = _row_of(dialog, "demolished")
    gone = s.old_codes[plan.members(dialog.groups[gone_row])[1][0]]
    dialog.set_decision(gone_row, REJECT)
    # a split shown side by side, then its first part re-matched to continue the old building
    split_row = _row_of(dialog, "split")
    dialog.table.selectRow(split_row)
    new_i, old_j = plan.members(dialog.groups[split_row])
    assert dialog.rematch_new.count() == len(new_i) and dialog.rematch_old.count() == 2
    centre, box = dialog.old_canvas.extent().center(), dialog.box.center()
    assert abs(centre.x() - box.x()) < 1 and abs(centre.y() - box.y()) < 1
    assert dialog.canvas.extent().width() > 3 * dialog.old_canvas.extent().width()  # the main map: with context
    dialog.resize(1400, 900)
    dialog.show()
    for _ in range(5):
        QApplication.processEvents()
    for canvas in (dialog.canvas, dialog.old_canvas, dialog.new_canvas):
        canvas.waitWhileRendering()
    QApplication.processEvents()
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    assert dialog.grab().save(str(SCREENSHOT))
    dialog.rematch_new.setCurrentIndex(0)
    dialog.rematch_old.setCurrentIndex(1)
    dialog.rematch_button.click()
    parent_code = s.old_codes[old_j[0]]
    assert plan.new_class[new_i[0]] == "modified" and plan.carried[new_i[0]] == old_j[0]
    gone_row = next(r for r, g in enumerate(dialog.groups)
                    if len(plan.members(g)[1]) and s.old_codes[plan.members(g)[1][0]] == gone)
    dialog.set_decision(gone_row, REJECT)  # the list was rebuilt: decide again
    result = dialog.apply()
    assert result is not None and not dialog.apply_button.isEnabled()
    ds = ogr.Open(result.output)
    out = {f["sid"]: f.items() for f in ds.GetLayerByName(result.output_layer) if f["sid"] is not None}
    kept = [f.items() for f in ds.GetLayerByName(result.output_layer) if f["sid"] is None]
    ds = None
    sid = s.new.column("sid")
    assert out[sid[new_i[0]]]["citycode"] == parent_code and out[sid[new_i[0]]]["cc_change"] == "modified"
    assert all(out[sid[i]]["cc_change"] == "ambiguous" and out[sid[i]]["citycode"] is None for i in new_i[1:])
    assert gone in {r["citycode"] for r in kept}
    with open_registry(str(registry)) as reg:
        assert reg.get(gone).status == "active"  # rejected: not retired
        assert reg.get(parent_code).status == "active"  # re-matched: carried, not split
        demolished = [c for c, k in truth(part)[1].items() if k == "demolished" and c != gone]
        assert demolished and all(reg.get(c).status == "retired" for c in demolished)


def test_apply_that_fails_changes_nothing(session, qgis_app, monkeypatch):
    from dbdump import dump
    from citycode.plugin.core.engine import layer_writer, layers
    from citycode.plugin.gui.vintage_review import VintageReviewDialog
    s, _, registry = session
    before = dump(str(registry))
    dialog = VintageReviewDialog()
    dialog.show_session(s)

    def broken(*a, **k):
        raise layers.InputError("disk full")
    monkeypatch.setattr(layer_writer, "write_table", broken)
    assert dialog.apply() is None
    assert "disk full" in dialog.status.text() and dialog.apply_button.isEnabled()
    assert dump(str(registry)) == before


def test_opened_from_the_menu(qgis_app, qgis_iface):
    import citycode
    plugin = citycode.classFactory(qgis_iface)
    plugin.initGui()
    try:
        action = plugin._find_action("citycode_vintagereview")
        action.trigger()
        assert plugin.vintage_review.isVisible()
        assert plugin.vintage_review.windowTitle() == "Review a vintage update"
        plugin.vintage_review.close()
    finally:
        plugin.unload()
