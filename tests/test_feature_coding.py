"""Coding one feature: core.feature_coding, the registry's preview / pending issue, the code form and map tool.

Fixture (made per test in tmp_path): two adjacent 100 m division squares 110101001 | 110101002, buildings
in a GeoPackage (one in A, one half in the red line, one straddling A|B 2/3 : 1/3, one outside both, one
in B half on farmland) and two planning layers, in CGCS2000 / 3° GK zone 38 (EPSG:4526), so areas are m².
Truths (shares, areas) come from shapely on the same rectangles; "nothing changed" is a full dump of the
registry file read through its own connection.
"""
import datetime
import sqlite3

import pytest
import shapely
from dbdump import dump
from stdnum.iso7064 import mod_11_2

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeature,
    QgsGeometry,
    QgsProject,
    QgsVectorFileWriter,
    QgsVectorLayer,
)
from qgis.gui import QgsMapMouseEvent
from qgis.PyQt.QtCore import QCoreApplication, QEvent, QPoint, Qt

from citycode.plugin.core.engine import feature_analysis as fa, feature_coding as fc
from citycode.plugin.core.codes.profiles import load_profile
from citycode.plugin.core.registry.base import RegistryError
from citycode.plugin.core.registry.backends import open_registry

CRS = "EPSG:4526"
X0, Y0 = 38_500_000.0, 4_400_000.0
DIV_A, DIV_B = "110101001", "110101002"
DIVISIONS = {DIV_A: (0, 0, 100, 100), DIV_B: (100, 0, 200, 100)}
BUILDINGS = {  # id: (xmin, ymin, xmax, ymax) relative to X0, Y0
    1: (10, 10, 30, 30),      # A, in the red line
    2: (50, 50, 60, 70),      # A, half in the red line
    3: (120, 10, 140, 40),    # B, half on farmland
    4: (80, 40, 110, 60),     # straddles A|B
    5: (300, 300, 320, 320),  # outside
}
PLANNING = {"stbhhx": (0, 0, 55, 100), "yjjbnt": (130, 0, 150, 100)}
YEAR = 2021
ACTOR = "tester"
VALID_USCC = "91350100M000100Y43"


def _box(rect):
    return shapely.box(X0 + rect[0], Y0 + rect[1], X0 + rect[2], Y0 + rect[3])


def _geom(rect):
    return QgsGeometry.fromWkt(_box(rect).wkt)


def _write(path, name, fields, rows, crs=CRS, geom="Polygon"):
    mem = QgsVectorLayer("{}?crs={}&{}".format(geom, crs, "&".join("field={}:{}".format(*f) for f in fields)),
                         name, "memory")
    feats = []
    for attrs, g in rows:
        f = QgsFeature(mem.fields())
        f.setAttributes(list(attrs))
        f.setGeometry(g)
        feats.append(f)
    mem.dataProvider().addFeatures(feats)
    opts = QgsVectorFileWriter.SaveVectorOptions()
    opts.layerName = name
    opts.actionOnExistingFile = QgsVectorFileWriter.ActionOnExistingFile.CreateOrOverwriteLayer \
        if path.exists() else QgsVectorFileWriter.ActionOnExistingFile.CreateOrOverwriteFile
    err = QgsVectorFileWriter.writeAsVectorFormatV3(mem, str(path), QgsProject.instance().transformContext(), opts)
    assert err[0] == QgsVectorFileWriter.WriterError.NoError, err


def _layer(path, name):
    layer = QgsVectorLayer("{}|layername={}".format(path, name), name, "ogr")
    assert layer.isValid()
    return layer


@pytest.fixture()
def town(tmp_path, qgis_app):
    gpkg = tmp_path / "town.gpkg"
    _write(gpkg, "divisions", [("code", "string"), ("name", "string")],
           [((c, "街道" + c[-1]), _geom(r)) for c, r in DIVISIONS.items()])
    _write(gpkg, "buildings", [("id", "integer"), ("year", "integer"), ("name", "string"),
                               ("citycode", "string"), ("uscc", "string")],
           [((i, YEAR, "楼{}".format(i), None, None), _geom(r)) for i, r in BUILDINGS.items()])
    for name, rect in PLANNING.items():
        _write(gpkg, name, [("name", "string")], [((name,), _geom(rect))])
    layers = {n: _layer(gpkg, n) for n in ["divisions", "buildings"] + list(PLANNING)}
    config = fc.CodingConfig(registry_path=str(tmp_path / "registry.sqlite"), division_layer=layers["divisions"],
                             division_field="code", planning_layers=[layers[n] for n in PLANNING], actor=ACTOR)
    yield gpkg, layers, config
    fc._CODERS.clear()


def _feature(layer, bid):
    return next(f for f in layer.getFeatures() if f["id"] == bid)


def _facts(layers, bid, divisions=None):
    f = _feature(layers["buildings"], bid)
    return fa.analyse(f.geometry(), layers["buildings"].crs(), divisions or layers["divisions"], "code",
                      [layers[n] for n in PLANNING])


# -- where a feature lies --------------------------------------------------------------------------
def test_division_inside_straddling_and_outside(town):
    _, layers, _ = town
    inside = _facts(layers, 1).division
    assert (inside.code, inside.name, inside.share, inside.straddle) == (DIV_A, "街道1", 1.0, False)
    b4 = _box(BUILDINGS[4])
    truth = {c: b4.intersection(_box(r)).area / b4.area for c, r in DIVISIONS.items()}
    straddler = _facts(layers, 4).division
    assert straddler.code == DIV_A and straddler.straddle
    assert [c for c, _ in straddler.shares] == [DIV_A, DIV_B]  # largest first
    for code, share in straddler.shares:
        assert share == pytest.approx(truth[code])
    outside = _facts(layers, 5).division
    assert not outside.found and "outside" in outside.reason and "divisions" in outside.reason


def test_division_layer_in_another_crs(town):
    """Divisions in CGCS2000 longitude/latitude give the same division and shares."""
    _, layers, _ = town
    geographic = QgsVectorLayer("Polygon?crs=EPSG:4490&field=code:string", "div_ll", "memory")
    t = QgsCoordinateTransform(QgsCoordinateReferenceSystem(CRS), QgsCoordinateReferenceSystem("EPSG:4490"),
                               QgsProject.instance())
    feats = []
    for f in layers["divisions"].getFeatures():
        g = QgsGeometry(f.geometry())
        g.densifyByCount(20)  # straight lines in GK stay (nearly) straight in degrees
        g.transform(t)
        nf = QgsFeature(geographic.fields())
        nf.setAttributes([f["code"]])
        nf.setGeometry(g)
        feats.append(nf)
    geographic.dataProvider().addFeatures(feats)
    projected = _facts(layers, 4).division
    moved = _facts(layers, 4, geographic).division
    assert moved.code == projected.code and moved.straddle
    assert moved.share == pytest.approx(projected.share, abs=1e-3)


def test_overlaps_match_shapely(town):
    _, layers, _ = town
    for bid, rect in BUILDINGS.items():
        facts = _facts(layers, bid)
        assert facts.area == pytest.approx(_box(rect).area)
        for overlap, (name, prect) in zip(facts.overlaps, PLANNING.items()):
            truth = _box(rect).intersection(_box(prect)).area
            assert overlap.layer == name
            assert overlap.area == pytest.approx(truth, abs=1e-6)
            assert overlap.share == pytest.approx(truth / _box(rect).area)
            assert overlap.hit == (truth > 0)


def test_division_field_missing_and_no_division_layer(town):
    _, layers, _ = town
    f = _feature(layers["buildings"], 1)
    with pytest.raises(fa.FeatureCodingError, match="nofield"):
        fa.analyse(f.geometry(), layers["buildings"].crs(), layers["divisions"], "nofield")
    assert not fa.analyse(f.geometry(), layers["buildings"].crs(), None, "code").division.found


def test_check_links():
    checks = fa.check_links({"uscc": VALID_USCC, "bdcdyh": "12345", "xmdm": " "})
    assert checks["uscc"].ok and not checks["uscc"].reasons
    assert not checks["bdcdyh"].ok and "28" in checks["bdcdyh"].reasons[0]
    assert checks["xmdm"].ok and checks["xmdm"].value == ""
    broken = VALID_USCC[:-1] + ("0" if VALID_USCC[-1] != "0" else "1")
    assert not fa.check_links({"uscc": broken})["uscc"].ok


def _ns(gpkg, layer="buildings"):
    """The dataset namespace a batch run gives a GeoPackage layer with none stored (datasets.py)."""
    return "file:{}|{}".format(gpkg.resolve(), layer)


def test_identity_matches_the_batch_engine(town):
    """The identity is what assigncodes gives the feature (dataset namespace + id, else geometry fingerprint)."""
    gpkg, layers, _ = town
    f = _feature(layers["buildings"], 2)
    assert fa.feature_identity(layers["buildings"], f, "id") == _ns(gpkg) + ":2"
    fp = fa.feature_identity(layers["buildings"], f, None)
    assert fp.startswith("geom:") and fp != fa.feature_identity(layers["buildings"], _feature(layers["buildings"], 1))


# -- registry: preview and pending issue -------------------------------------------------------------
def test_preview_is_the_code_then_issued_and_writes_nothing(tmp_path):
    building = load_profile("building")
    path = str(tmp_path / "r.sqlite")
    with open_registry(path) as reg:
        with reg.pending_issue(building, "x:0", DIV_A, YEAR, ACTOR):
            pass
        before = dump(path)
        preview = reg.preview(building, DIV_A, YEAR)
        assert dump(path) == before
        assert preview == building.compose(DIV_A, YEAR, 2) and mod_11_2.is_valid(preview)
        with reg.pending_issue(building, "x:1", DIV_A, YEAR, ACTOR, name="楼", attrs={"uscc": VALID_USCC}) as got:
            assert got.code == preview and got.is_new
        rec = reg.get(preview)
        assert (rec.name, rec.attrs, rec.identity) == ("楼", {"uscc": VALID_USCC}, "x:1")
        assert reg.active_code("building", "x:1") == preview
        with reg.pending_issue(building, "x:1", DIV_A, YEAR, ACTOR) as again:  # same identity: same code
            assert again.code == preview and not again.is_new


def test_pending_issue_rolled_back_on_failure(tmp_path):
    building = load_profile("building")
    path = str(tmp_path / "r.sqlite")
    with open_registry(path) as reg:
        with reg.pending_issue(building, "x:0", DIV_A, YEAR, ACTOR):
            pass
        before = dump(path)
        preview = reg.preview(building, DIV_A, YEAR)
        with pytest.raises(OSError):
            with reg.pending_issue(building, "x:1", DIV_A, YEAR, ACTOR, name="n", attrs={"uscc": "u"}) as got:
                assert got.code == preview
                raise OSError("the layer could not be written")
        assert dump(path) == before
        assert reg.preview(building, DIV_A, YEAR) == preview  # the sequence was not used up


def test_nested_pending_undoes_only_the_inner_block(tmp_path):
    building = load_profile("building")
    path = str(tmp_path / "r.sqlite")
    with open_registry(path) as reg:
        with reg.pending():
            with reg.pending_issue(building, "x:0", DIV_A, YEAR, ACTOR) as first:
                pass
            with pytest.raises(RegistryError):
                with reg.pending_issue(building, "x:1", DIV_A, YEAR, ACTOR):
                    raise RegistryError("inner")
        assert reg.get(first.code) is not None and reg.active_code("building", "x:1") is None
        assert sqlite3.connect(path).execute("SELECT count(*) FROM codes").fetchone()[0] == 1


def test_pending_issue_refuses_an_exhausted_sequence(tmp_path):
    building = load_profile("building")
    path = str(tmp_path / "r.sqlite")
    with open_registry(path) as reg:
        with reg.pending_issue(building, "x:0", DIV_A, YEAR, ACTOR):
            pass
        reg.db.execute("UPDATE sequences SET last_seq=?", (building.sequence_limit,))
        before = dump(path)
        with pytest.raises(RegistryError, match="used up"):
            reg.preview(building, DIV_A, YEAR)
        with pytest.raises(RegistryError, match="used up"):
            with reg.pending_issue(building, "x:1", DIV_A, YEAR, ACTOR):
                pass
        assert dump(path) == before


# -- writing to the layer and the registry together ------------------------------------------------
def _assignment(layers, bid, **kw):
    f = _feature(layers["buildings"], bid)
    return fc.Assignment(fid=f.id(), profile="building", division=DIV_A, year=YEAR, **kw)


def _code_in_layer(layer, bid):
    layer.reload()
    v = _feature(layer, bid)["citycode"]
    return v if v else None


def test_assign_writes_layer_and_registry(town):
    gpkg, layers, config = town
    coder = fc.coder_for(layers["buildings"], config)
    code = coder.assign(_assignment(layers, 1, name="一号楼", links={"uscc": VALID_USCC}))
    assert code == load_profile("building").compose(DIV_A, YEAR, 1)
    assert _code_in_layer(_layer(gpkg, "buildings"), 1) == code  # on disk, read through a new layer
    assert _feature(_layer(gpkg, "buildings"), 1)["uscc"] == VALID_USCC
    with open_registry(config.registry_path) as reg:
        rec = reg.get(code)
    assert (rec.identity, rec.name, rec.attrs["uscc"]) == (_ns(gpkg) + ":1", "一号楼", VALID_USCC)


def _refuse_codes(gpkg):
    con = sqlite3.connect(str(gpkg))
    con.execute("CREATE TRIGGER refuse_code BEFORE UPDATE OF citycode ON buildings "
                "BEGIN SELECT RAISE(ABORT, 'refused by the database'); END")
    con.commit()
    con.close()


def test_failing_layer_commit_leaves_the_registry_unchanged(town):
    gpkg, layers, config = town
    coder = fc.coder_for(layers["buildings"], config)
    coder.assign(_assignment(layers, 1))  # the registry has something to compare with
    before = dump(config.registry_path)
    _refuse_codes(gpkg)
    with pytest.raises(fa.FeatureCodingError, match="could not be saved"):
        coder.assign(_assignment(layers, 2, name="二号楼"))
    assert dump(config.registry_path) == before
    assert not layers["buildings"].isEditable()
    assert _code_in_layer(_layer(gpkg, "buildings"), 2) is None
    assert _feature(_layer(gpkg, "buildings"), 2)["name"] == "楼2"


def test_registry_failure_leaves_the_layer_unchanged(town):
    gpkg, layers, config = town
    coder = fc.coder_for(layers["buildings"], config)
    coder.assign(_assignment(layers, 1))
    con = sqlite3.connect(config.registry_path)
    con.execute("UPDATE sequences SET last_seq=9999")
    con.commit()
    con.close()
    before = dump(config.registry_path)
    with pytest.raises(RegistryError, match="used up"):
        coder.assign(_assignment(layers, 2, name="changed"))
    assert dump(config.registry_path) == before
    assert _code_in_layer(_layer(gpkg, "buildings"), 2) is None
    assert _feature(_layer(gpkg, "buildings"), 2)["name"] == "楼2"


def test_assign_in_edit_mode_issues_at_save(town):
    gpkg, layers, config = town
    layer = layers["buildings"]
    coder = fc.coder_for(layer, config)
    layer.startEditing()
    assert coder.assign(_assignment(layers, 3)) is None
    assert not (open_registry(config.registry_path).count())  # nothing issued before the save
    assert layer.commitChanges()
    code = _code_in_layer(_layer(gpkg, "buildings"), 3)
    assert code == load_profile("building").compose(DIV_A, YEAR, 1)
    with open_registry(config.registry_path) as reg:
        assert reg.get(code).identity == _ns(gpkg) + ":3"


def test_failed_save_in_edit_mode_rolls_the_registry_back(town):
    gpkg, layers, config = town
    layer = layers["buildings"]
    coder = fc.coder_for(layer, config)
    coder.assign(_assignment(layers, 1))
    _refuse_codes(gpkg)
    layer.startEditing()
    coder.assign(_assignment(layers, 3))
    before = dump(config.registry_path)
    assert not layer.commitChanges()
    QCoreApplication.processEvents()  # the check after a save that never reported success
    assert dump(config.registry_path) == before
    assert not _feature(layer, 3)["citycode"]  # the code is out of the edit buffer again
    assert coder.staged  # and is issued at the next save
    layer.rollBack()
    assert not coder.staged


# -- the form, the map tool, coding at birth ----------------------------------------------------------
@pytest.fixture()
def shown(qgis_iface, town):
    """The town's layers in the project and on the canvas."""
    gpkg, layers, config = town
    QgsProject.instance().addMapLayers(list(layers.values()))
    yield gpkg, layers, config
    QgsProject.instance().removeAllMapLayers()


def _form(layers, config, bid, qgis_iface=None):
    from citycode.plugin.gui.code_form import CodeForm
    return CodeForm(layers["buildings"], _feature(layers["buildings"], bid).id(), config, iface=qgis_iface)


def test_map_tool_click_opens_the_form(shown, qgis_iface, qgis_canvas):
    from citycode.plugin.gui.code_tool import CodeMapTool
    _, layers, config = shown
    qgis_canvas.resize(600, 400)
    qgis_canvas.window().show()  # a canvas takes its size (and pixel <-> map transform) when shown
    QCoreApplication.processEvents()
    qgis_canvas.setDestinationCrs(layers["buildings"].crs())
    qgis_canvas.setLayers([layers["buildings"]])
    qgis_canvas.setExtent(layers["divisions"].extent())
    qgis_canvas.refresh()
    qgis_iface.setActiveLayer(layers["buildings"])
    tool = CodeMapTool(qgis_iface, lambda: config)
    opened = []
    tool.run_form = opened.append
    for bid, division in ((4, DIV_A), (3, DIV_B)):
        centre = _box(BUILDINGS[bid]).centroid
        pixel = qgis_canvas.getCoordinateTransform().transform(centre.x, centre.y)
        event = QgsMapMouseEvent(qgis_canvas, QEvent.Type.MouseButtonRelease, QPoint(int(pixel.x()), int(pixel.y())),
                                 Qt.MouseButton.LeftButton)
        tool.canvasReleaseEvent(event)
        form = opened[-1]
        assert _feature(layers["buildings"], bid).id() == form.fid
        assert form.facts.division.code == division
        assert form.preview_code == load_profile("building").compose(division, YEAR, 1)
    assert "Straddles" in opened[0].division_label.text()


def test_form_assign_then_retire(shown, qgis_iface):
    gpkg, layers, config = shown
    form = _form(layers, config, 2, qgis_iface)
    assert form.assign_button.isEnabled()
    form.link_edits["uscc"].setText("91350100M000100Y4X")  # wrong check character
    assert not form.assign_button.isEnabled() and form.link_marks["uscc"].toolTip()
    form.link_edits["uscc"].setText(VALID_USCC)
    form.name_edit.setText("二号楼")
    preview = form.preview_code
    form.assign_button.click()
    assert _code_in_layer(_layer(gpkg, "buildings"), 2) == preview
    assert form.code_label.text() == preview and form.retire_button.isEnabled()
    assert form.overlap_table.rowCount() == 2 and form.overlap_table.item(0, 2).text() == "50.0"
    form.ask_reason = lambda: "demolished"
    form.retire_button.click()
    with open_registry(config.registry_path) as reg:
        assert reg.get(preview).status == "retired"
        actions = [h["action"] for h in reg.history(preview)]
    assert actions == ["issue", "update", "retire"]  # the update stores the linked code with the new code
    assert form.history.table.rowCount() == 3 and form.history.table.item(2, 2).text() == "Retired"
    assert VALID_USCC in form.history.table.item(1, 3).text()
    assert not form.assign_button.isEnabled()


def test_form_assign_with_refusing_layer_keeps_registry(shown, qgis_iface):
    gpkg, layers, config = shown
    _refuse_codes(gpkg)
    form = _form(layers, config, 1, qgis_iface)
    form.assign_button.click()
    assert "could not be saved" in form.state_label.text()
    with open_registry(config.registry_path) as reg:
        assert reg.count() == 0


def test_form_adds_the_code_field_with_consent(shown, tmp_path):
    _, layers, config = shown
    bare = tmp_path / "bare.gpkg"
    _write(bare, "houses", [("id", "integer")], [((7,), _geom(BUILDINGS[1]))])
    layer = _layer(bare, "houses")
    from citycode.plugin.gui.code_form import CodeForm
    form = CodeForm(layer, next(layer.getFeatures()).id(), config)
    form.confirm = lambda text: False
    form.assign_button.click()
    assert not fc.has_code_field(layer)
    form.confirm = lambda text: True
    form.assign_button.click()
    code = next(_layer(bare, "houses").getFeatures())["citycode"]
    assert code == load_profile("building").compose(DIV_A, datetime.date.today().year, 1)  # no year field
    with open_registry(config.registry_path) as reg:
        assert reg.get(code).identity == _ns(bare, "houses") + ":7"


def test_form_split_and_merge(shown, qgis_iface):
    gpkg, layers, config = shown
    layer = layers["buildings"]
    coder = fc.coder_for(layer, config)
    parent = coder.assign(_assignment(layers, 1))
    # The building was cut in two with QGIS's split tool: the new part carries the parent's code.
    layer.startEditing()
    part = QgsFeature(layer.fields())
    part.setAttributes(_feature(layer, 1).attributes())
    part.setAttribute("fid", None)
    part.setGeometry(_geom((10, 20, 30, 30)))
    part["id"] = 11
    layer.addFeature(part)
    layer.changeGeometry(_feature(layer, 1).id(), _geom((10, 10, 30, 20)))
    assert layer.commitChanges()
    form = _form(layers, config, 1, qgis_iface)
    layer.selectByIds([_feature(layer, 11).id()])
    assert form.split_button.isEnabled()
    form.confirm = lambda text: True
    form.split_button.click()
    layer.reload()
    children = sorted(_feature(layer, b)["citycode"] for b in (1, 11))
    with open_registry(config.registry_path) as reg:
        assert reg.get(parent).status == "retired"
        assert sorted(reg.lineage(parent)["children"]) == children
    # ... and merged again into building 1
    layer.selectByIds([_feature(layer, 11).id()])
    form = _form(layers, config, 1, qgis_iface)
    form.confirm = lambda text: True
    assert form.merge_button.isEnabled()
    form.merge_button.click()
    fresh = _layer(gpkg, "buildings")
    assert not [f for f in fresh.getFeatures() if f["id"] == 11]
    merged = _feature(fresh, 1)
    assert merged.geometry().area() == pytest.approx(_box(BUILDINGS[1]).area)
    with open_registry(config.registry_path) as reg:
        assert sorted(reg.lineage(merged["citycode"])["parents"]) == children
        assert all(reg.get(c).status == "retired" for c in children)


def _new_building(layer, bid, rect):
    f = QgsFeature(layer.fields())
    f["id"], f["year"] = bid, YEAR
    f.setGeometry(_geom(rect))
    return f


def test_coding_at_birth(shown, qgis_iface):
    from citycode.plugin.gui.code_tool import CodingAtBirth
    gpkg, layers, config = shown
    layer = layers["buildings"]
    birth = CodingAtBirth(qgis_iface, lambda: config)
    seen = []

    def assign(form):
        seen.append((form.birth, form.facts.division.code, form.preview_code))
        form.name_edit.setText("新楼")
        form.assign_button.click()
    birth.run_form = assign
    birth.start()
    try:
        layer.startEditing()
        f = _new_building(layer, 99, (150, 60, 170, 80))
        assert layer.addFeature(f)
        QCoreApplication.processEvents()
        expected = load_profile("building").compose(DIV_B, YEAR, 1)
        assert seen == [(True, DIV_B, expected)]
        with open_registry(config.registry_path) as reg:
            assert reg.count() == 0  # issued at the save, not before
        assert layer.commitChanges()
    finally:
        birth.stop()
    saved = _feature(_layer(gpkg, "buildings"), 99)
    assert (saved["citycode"], saved["name"]) == (expected, "新楼")
    with open_registry(config.registry_path) as reg:
        assert reg.get(expected).identity == _ns(gpkg) + ":99"


def test_coding_at_birth_cancelled(shown, qgis_iface):
    from citycode.plugin.gui.code_tool import CodingAtBirth
    gpkg, layers, config = shown
    layer = layers["buildings"]
    birth = CodingAtBirth(qgis_iface, lambda: config)
    birth.run_form = lambda form: form.close_button.click()
    birth.start()
    try:
        layer.startEditing()
        f = _new_building(layer, 98, (150, 60, 170, 80))
        layer.addFeature(f)
        QCoreApplication.processEvents()
        assert layer.commitChanges()
    finally:
        birth.stop()
    assert not _feature(_layer(gpkg, "buildings"), 98)["citycode"]
    assert any("has no code" in m for m in qgis_iface.messageBar().get_messages(1))


def test_form_screenshots(qgis_iface, sample_gpkg, tmp_path, repo_root):
    """docs/screenshots/code_form*.png from the sample town: a building across a division boundary that
    overlaps the town development boundary (czkfbj), before and after it got its code."""
    import shutil
    gpkg = tmp_path / "sample.gpkg"
    shutil.copy(sample_gpkg, gpkg)
    names = ["divisions", "buildings", "stbhhx", "yjjbnt", "czkfbj"]
    layers = {n: _layer(gpkg, n) for n in names}
    QgsProject.instance().addMapLayers(list(layers.values()))
    try:
        config = fc.CodingConfig(registry_path=str(tmp_path / "registry.sqlite"), division_layer=layers["divisions"],
                                 planning_layers=[layers[n] for n in names[2:]], id_field="id", actor="张工")
        out = repo_root / "docs" / "screenshots"
        out.mkdir(parents=True, exist_ok=True)
        form = _form(layers, config, 1, qgis_iface)
        assert form.facts.division.straddle and any(o.hit for o in form.facts.overlaps)
        form.name_edit.setText("三里庵综合楼")
        form.link_edits["uscc"].setText(VALID_USCC)
        form.link_edits["bdcdyh"].setText("34010400100GB00001F0001000")  # two characters short
        form.resize(780, 660)
        form.show()
        QCoreApplication.processEvents()
        form.grab().save(str(out / "code_form.png"))
        form.tabs.setCurrentIndex(1)
        QCoreApplication.processEvents()
        form.grab().save(str(out / "code_form_overlaps.png"))
        form.link_edits["bdcdyh"].setText("")
        form.confirm = lambda text: "citycode" in text  # the sample has no code field yet: add it
        form.assign_button.click()
        form.name_edit.setText("三里庵综合楼（北楼）")
        form.assign_button.click()  # now "Save": name into the registry and the layer
        form.tabs.setCurrentIndex(2)
        QCoreApplication.processEvents()
        assert form.history.table.rowCount() == 3
        form.grab().save(str(out / "code_form_history.png"))
        form.close()
    finally:
        QgsProject.instance().removeAllMapLayers()


def test_config_from_fresh_settings_finds_the_division_layer_and_the_default_registry(sample_gpkg):
    """A new user has chosen nothing yet: the form still knows where to look."""
    from qgis.core import QgsProject, QgsSettings, QgsVectorLayer
    from citycode.plugin.core import settings as settings_mod
    from citycode.plugin.core.engine.feature_coding import SETTING_DIVISION_LAYER, CodingConfig
    s = QgsSettings()
    s.remove(SETTING_DIVISION_LAYER)
    s.remove("citycode/registry")
    project = QgsProject()
    for name in ("buildings", "divisions"):  # buildings first: it is not a division layer
        project.addMapLayer(QgsVectorLayer(f"{sample_gpkg}|layername={name}", name, "ogr"))
    config = CodingConfig.from_settings(project)
    assert config.division_layer is not None and config.division_layer.name() == "divisions"
    assert config.registry_path == settings_mod.default_registry_path()
    project.clear()
