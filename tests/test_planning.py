"""Planning layers: recognition, the 用地用海 table and styles, loading grouped, the dialog, screenshots."""
import csv
import os
import time

import pytest
from qgis.core import (
    QgsCategorizedSymbolRenderer,
    QgsGeometry,
    QgsMapRendererSequentialJob,
    QgsMapSettings,
    QgsProject,
    QgsRectangle,
    QgsRenderContext,
    QgsSettings,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QCoreApplication, QEvent, QSize, Qt
from qgis.PyQt.QtGui import QColor
from qgis.PyQt.QtTest import QTest

from citycode.plugin.core import planning

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CSV_PATH = os.path.join(ROOT, "resources", "styles", "ydyh_classes.csv")
SHOTS = os.path.join(ROOT, "docs", "screenshots")
CRS = "EPSG:4527"
X0, Y0 = 39523000.0, 3525000.0  # inside the sample town (EPSG:4527)

# What the guide's first-level classes are (《国土空间调查、规划、用途管制用地用海分类指南》, 2023).
FIRST_LEVEL = {"01": "耕地", "02": "园地", "03": "林地", "04": "草地", "05": "湿地", "06": "农业设施建设用地",
               "07": "居住用地", "08": "公共管理与公共服务用地", "09": "商业服务业用地", "10": "工矿用地",
               "11": "仓储用地", "12": "交通运输用地", "13": "公用设施用地", "14": "绿地与开敞空间用地",
               "15": "特殊用地", "16": "留白用地", "17": "陆地水域", "18": "渔业用海", "19": "工矿通信用海",
               "20": "交通运输用海", "21": "游憩用海", "22": "特殊用海", "23": "其他土地", "24": "其他海域"}


def _csv_rows():
    with open(CSV_PATH, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _square(i, j, size=400.0, x0=X0, y0=Y0):
    x, y = x0 + i * size, y0 + j * size
    return QgsGeometry.fromRect(QgsRectangle(x, y, x + size, y + size))


def _write_gpkg(path, layer_name, fields, rows, append=False):
    """rows: (geometry, [attributes]). Writes with OGR so the GeoPackage looks like any other."""
    from osgeo import ogr, osr
    driver = ogr.GetDriverByName("GPKG")
    ds = driver.Open(str(path), 1) if append else driver.CreateDataSource(str(path))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4527)
    lyr = ds.CreateLayer(layer_name, srs, ogr.wkbPolygon)
    for name, ogr_type in fields:
        lyr.CreateField(ogr.FieldDefn(name, ogr_type))
    for geom, attrs in rows:
        feat = ogr.Feature(lyr.GetLayerDefn())
        for (name, _), value in zip(fields, attrs):
            feat.SetField(name, value)
        feat.SetGeometry(ogr.CreateGeometryFromWkt(geom.asWkt()))
        lyr.CreateFeature(feat)
    ds = None


def _gbk_shapefile_without_cpg(path, name_value):
    """A shapefile as ArcGIS on Chinese Windows writes it: GBK text, no .cpg, LDID 0x57 ("system ANSI")."""
    from osgeo import ogr, osr
    gbk = name_value.encode("gbk")
    placeholder = b"x" * len(gbk)  # written as ASCII, then swapped for the GBK bytes in the .dbf
    ds = ogr.GetDriverByName("ESRI Shapefile").CreateDataSource(str(path))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4527)
    lyr = ds.CreateLayer(os.path.splitext(os.path.basename(str(path)))[0], srs, ogr.wkbPolygon)
    lyr.CreateField(ogr.FieldDefn("MC", ogr.OFTString))
    feat = ogr.Feature(lyr.GetLayerDefn())
    feat.SetField("MC", placeholder.decode())
    feat.SetGeometry(ogr.CreateGeometryFromWkt(_square(0, 0, 2000).asWkt()))
    lyr.CreateFeature(feat)
    ds = None
    base = os.path.splitext(str(path))[0]
    if os.path.exists(base + ".cpg"):
        os.remove(base + ".cpg")
    with open(base + ".dbf", "rb") as f:
        data = bytearray(f.read())
    data[29] = 0x57
    data = data.replace(placeholder, gbk)
    with open(base + ".dbf", "wb") as f:
        f.write(bytes(data))


def _geotiff(path):
    from osgeo import gdal, osr
    ds = gdal.GetDriverByName("GTiff").Create(str(path), 20, 20, 1, gdal.GDT_Byte)
    ds.SetGeoTransform((X0, 50, 0, Y0 + 1000, 0, -50))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4527)
    ds.SetProjection(srs.ExportToWkt())
    ds.GetRasterBand(1).Fill(7)
    ds = None


YDYH_FIXTURE = [("0101", 0, 0), ("0702", 1, 0), ("1207", 2, 0)]


@pytest.fixture()
def planning_folder(tmp_path, qgis_app):
    """A folder as a planning office hands it over, plus things that are not planning layers."""
    from osgeo import ogr
    folder = tmp_path / "规划成果"
    folder.mkdir()
    _gbk_shapefile_without_cpg(folder / "生态保护红线.shp", "青龙山生态保护红线")
    gpkg = folder / "data.gpkg"
    _write_gpkg(gpkg, "layer1", [("YDYHFLDM", ogr.OFTString)],
                [(_square(i, j), [code]) for code, i, j in YDYH_FIXTURE])
    # codes in an integer field with an unhelpful name: recognised by values, leading zero lost
    _write_gpkg(gpkg, "layer2", [("dm", ogr.OFTInteger)],
                [(_square(i, 1), [int(code)]) for code, i, _ in YDYH_FIXTURE], append=True)
    # a layer that is no planning layer: small numbers (1-24 would be first-level codes) and names
    _write_gpkg(gpkg, "roads", [("name", ogr.OFTString), ("lanes", ogr.OFTInteger), ("width", ogr.OFTInteger)],
                [(_square(i, 3), ["路{}".format(i), 1 + i % 6, 4 + i]) for i in range(20)], append=True)
    _geotiff(folder / "规划用地.tif")
    _geotiff(folder / "dem.tif")
    return folder


def _by_name(items):
    return {i.info.name: i for i in items}


# -- recognition ---------------------------------------------------------------------------------------------
def test_sample_town_sqsx_layers_are_recognised_and_the_rest_not(sample_gpkg, qgis_app):
    items = _by_name(planning.make_plan(planning.scan_dataset(str(sample_gpkg))))
    for kind in planning.SQSX_KINDS:
        assert items[kind].kind == kind, items[kind].why
        assert items[kind].group == (planning.ROOT_GROUP, planning.SQSX_GROUP)
        assert items[kind].style.endswith(kind + ".qml")
        assert items[kind].confidence >= 0.9 and items[kind].load
    # the red line also has the 三区三线 database's red line type field (hxlx): two pieces of evidence
    assert "hxlx" in items["stbhhx"].why and items["stbhhx"].confidence > items["czkfbj"].confidence
    for name in ("divisions", "buildings", "projects", "monitoring_points"):
        assert items[name].kind == planning.NONE, (name, items[name].why)
        assert not items[name].load and items[name].style is None


def test_folder_fixtures_are_recognised(planning_folder):
    items = _by_name(planning.make_plan(planning.scan_folder(str(planning_folder))))
    assert set(items) == {"生态保护红线", "layer1", "layer2", "roads", "规划用地", "dem"}

    red = items["生态保护红线"]
    assert red.kind == planning.STBHHX and red.info.encoding == "GB18030"

    layer1 = items["layer1"]
    assert layer1.kind == planning.YDYH and layer1.code_field == "YDYHFLDM" and not layer1.code_padded
    assert layer1.group == (planning.ROOT_GROUP, planning.YDYH_GROUP)
    layer2 = items["layer2"]
    assert layer2.kind == planning.YDYH and layer2.code_field == "dm" and layer2.code_padded
    assert "dm" in layer2.why

    assert items["规划用地"].kind == planning.RASTER and items["规划用地"].group == (planning.ROOT_GROUP,)
    for name in ("roads", "dem"):
        assert items[name].kind == planning.NONE and not items[name].load, items[name].why


def test_names_titles_and_fields(qgis_app):
    def info(name, title="", fields=(), values=None):
        return planning.LayerInfo(uri="", provider="ogr", name=name, title=title,
                                  fields={f: "" for f in fields}, values=values or {})

    assert planning.recognise(info("JBNT_2022")).kind == planning.YJJBNT
    assert planning.recognise(info("基本农田保护区")).kind == planning.YJJBNT
    assert planning.recognise(info("城镇开发边界线")).kind == planning.CZKFBJ
    assert planning.recognise(info("生态红线")).kind == planning.STBHHX
    assert planning.recognise(info("T01", title="永久基本农田保护图斑")).kind == planning.YJJBNT
    assert planning.recognise(info("基本农田储备区")).kind == planning.NONE  # a reserve, not the farmland
    assert planning.recognise(info("村庄开发边界")).kind == planning.NONE
    # the field names of the 三区三线 database, whatever the layer is called
    assert planning.recognise(info("图层3", fields=("BSM", "YJJBNTTBBH", "YJJBNTMJ"))).kind == planning.YJJBNT
    # the planning zones inside the urban development boundary
    zones = info("kf", fields=("GHFQMC",), values={"GHFQMC": ["城镇弹性发展区", "城镇集中建设区"]})
    assert planning.recognise(zones).kind == planning.CZKFBJ
    # three-digit integers that are not 用地用海 codes (908, 999) keep a field from being a code field
    not_codes = info("t", fields=("n",), values={"n": ["101", "702", "908", "999", "1207"]})
    assert planning.recognise(not_codes).kind == planning.NONE


# -- the classification table and the styles ----------------------------------------------------------------
def test_classification_table():
    rows = _csv_rows()
    codes = {r["code"]: r for r in rows}
    assert len(codes) == len(rows)
    assert {c: r["name"] for c, r in codes.items() if r["level"] == "1"} == FIRST_LEVEL
    for code, name in (("0101", "水田"), ("0102", "水浇地"), ("0103", "旱地"), ("0701", "城镇住宅用地"),
                       ("070101", "一类城镇住宅用地"), ("0702", "城镇社区服务设施用地"), ("1207", "城镇村道路用地"),
                       ("1401", "公园绿地"), ("1704", "坑塘水面")):
        assert codes[code]["name"] == name
    for r in rows:
        assert len(r["code"]) == 2 * int(r["level"])
        if r["parent"]:
            assert r["code"].startswith(r["parent"]) and codes[r["parent"]]["level"] == str(int(r["level"]) - 1)
        assert all(0 <= int(r[c]) <= 255 for c in "rgb")
        assert r["colour_source"] == ("palette" if r["level"] == "1" else "derived")


def test_styles_load_and_match_the_table(qgis_app):
    layer = QgsVectorLayer("Polygon?crs={}&field=YDYHFLDM:string(10)".format(CRS), "ydyh", "memory")
    message, ok = layer.loadNamedStyle(os.path.join(planning.STYLES_DIR, "ydyh.qml"))
    assert ok, message
    renderer = layer.renderer()
    assert isinstance(renderer, QgsCategorizedSymbolRenderer) and renderer.classAttribute() == "YDYHFLDM"
    got = {c.value(): c.symbol().color().getRgb()[:3] for c in renderer.categories()}
    assert got == {r["code"]: (int(r["r"]), int(r["g"]), int(r["b"])) for r in _csv_rows()}
    for kind in planning.SQSX_KINDS:
        sq = QgsVectorLayer("Polygon?crs=" + CRS, kind, "memory")
        assert sq.loadNamedStyle(os.path.join(planning.STYLES_DIR, kind + ".qml"))[1]
        outline = [sl for sl in sq.renderer().symbol().symbolLayers() if sl.layerType() == "SimpleLine"][-1]
        assert outline.color() == {"stbhhx": QColor(230, 0, 0), "yjjbnt": QColor(190, 140, 0),
                                   "czkfbj": QColor(150, 40, 200)}[kind]
    czkfbj_line = sq.renderer().symbol().symbolLayer(0)
    assert czkfbj_line.penStyle() == Qt.PenStyle.DashLine and sq.renderer().symbol().symbolLayerCount() == 1


# -- loading ------------------------------------------------------------------------------------------------
def _tree(project):
    top = project.layerTreeRoot().findGroup(planning.ROOT_GROUP)
    out = {}
    for child in top.children():
        if hasattr(child, "layer"):
            out.setdefault("", []).append(child.layer().name())
        else:
            out[child.name()] = [c.layer().name() for c in child.children()]
    return [c.name() for c in top.children()], out


def _symbol_colour(layer, feature):
    renderer = layer.renderer().clone()
    context = QgsRenderContext()
    context.expressionContext().setFeature(feature)  # as the map renderer does for each feature
    renderer.startRender(context, layer.fields())
    symbol = renderer.symbolForFeature(feature, context)
    renderer.stopRender(context)
    return symbol.color().getRgb()[:3] if symbol else None


def test_load_plan_groups_styles_and_encoding(sample_gpkg, planning_folder):
    items = planning.make_plan(planning.scan_dataset(str(sample_gpkg)) + planning.scan_folder(str(planning_folder)))
    project = QgsProject()
    layers, problems = planning.load_plan(items, project)
    assert problems == []
    order, tree = _tree(project)
    assert order[:2] == [planning.SQSX_GROUP, planning.YDYH_GROUP]  # 三区三线 drawn over the land use
    assert tree[planning.SQSX_GROUP] == ["czkfbj", "stbhhx", "生态保护红线", "yjjbnt"]
    assert sorted(tree[planning.YDYH_GROUP]) == ["layer1", "layer2"]
    assert tree[""] == ["规划用地"]
    assert len(layers) == 7

    by_name = {l.name(): l for l in layers}
    red = by_name["生态保护红线"]
    assert next(red.getFeatures())["MC"] == "青龙山生态保护红线"  # GBK read as GBK, not Latin-1
    assert red.renderer().symbol().symbolLayer(0).layerType() == "SimpleFill"  # the stbhhx style
    colours = {r["code"]: (int(r["r"]), int(r["g"]), int(r["b"])) for r in _csv_rows()}
    for name in ("layer1", "layer2"):
        layer = by_name[name]
        for feature, (code, _, _) in zip(layer.getFeatures(), YDYH_FIXTURE):
            assert _symbol_colour(layer, feature) == colours[code], (name, code)
    assert by_name["layer2"].renderer().classAttribute() != "YDYHFLDM"  # pointed at the user's field


def test_remembered_sources(qgis_app):
    QgsSettings().remove(planning.SETTINGS_KEY)
    assert planning.remembered_sources() == []
    planning.remember_source("/data/a.gpkg")
    planning.remember_source(planning.postgis_source("规划库", "sqsx"))
    assert planning.remember_source("/data/a.gpkg") == ["/data/a.gpkg", "postgis:规划库/sqsx"]
    assert planning.parse_postgis_source("postgis:my/db/public") == ("my/db", "public")
    assert planning.parse_postgis_source("/data/a.gpkg") is None
    QgsSettings().remove(planning.SETTINGS_KEY)


# -- the dialog and the screenshots -------------------------------------------------------------------------
def _wait(dialog, seconds=60):
    end = time.time() + seconds
    while dialog.scanning and time.time() < end:
        QTest.qWait(50)
    assert not dialog.scanning


def test_dialog_scans_corrects_and_loads(planning_folder, qgis_iface):
    from citycode.plugin.gui.planning_dialog import FOLDER, PlanningDialog
    QgsSettings().remove(planning.SETTINGS_KEY)
    project = QgsProject()
    dialog = PlanningDialog(qgis_iface, project=project)
    dialog.show()
    dialog.kind_box.setCurrentIndex(FOLDER)
    dialog.path_edit.setText(str(planning_folder))  # QTest.keyClicks cannot type Chinese
    QTest.mouseClick(dialog.scan_button, Qt.MouseButton.LeftButton)
    _wait(dialog)
    rows = {dialog.table.item(r, 1).text(): r for r in range(dialog.table.rowCount())}
    assert dialog.kind_combo(rows["layer1"]).currentData() == planning.YDYH
    assert dialog.kind_combo(rows["roads"]).currentData() == planning.NONE
    os.makedirs(SHOTS, exist_ok=True)
    assert dialog.grab().save(os.path.join(SHOTS, "planning_dialog.png"))

    # the user says layer2 is no land use layer and the unnamed raster dem is a planning raster
    combo = dialog.kind_combo(rows["layer2"])
    combo.setCurrentIndex(combo.findData(planning.NONE))
    combo = dialog.kind_combo(rows["dem"])
    combo.setCurrentIndex(combo.findData(planning.RASTER))
    QTest.mouseClick(dialog.load_button, Qt.MouseButton.LeftButton)

    _, tree = _tree(project)
    assert tree[planning.SQSX_GROUP] == ["生态保护红线"]
    assert tree[planning.YDYH_GROUP] == ["layer1"]
    assert sorted(tree[""]) == ["dem", "规划用地"]
    assert planning.remembered_sources() == [str(planning_folder)]
    dialog.close()
    QgsSettings().remove(planning.SETTINGS_KEY)
    # Delete the dialog and the project's layers now: left to interpreter shutdown, Qt and QGIS tear
    # them down in the wrong order and the test process crashes on exit.
    dialog.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    project.clear()


def test_map_screenshot(sample_gpkg, tmp_path, qgis_app):
    """The sample town's 三区三线 with their styles over a small 用地用海 patchwork."""
    from osgeo import ogr
    codes = ["0101", "0103", "0201", "0301", "0701", "0702", "0703", "0802", "0804", "0901", "1001",
             "1101", "1207", "1303", "1401", "1402", "1704", "16"]
    ydyh = tmp_path / "ydyh.gpkg"
    _write_gpkg(ydyh, "规划用地用海", [("YDYHFLDM", ogr.OFTString)],
                [(_square(i % 6, i // 6, 500.0, 39521500.0, 3522500.0), [c]) for i, c in enumerate(codes)])
    items = planning.make_plan(planning.scan_dataset(str(sample_gpkg)) + planning.scan_dataset(str(ydyh)))
    assert [i.kind for i in items if i.info.name == "规划用地用海"] == [planning.YDYH]
    project = QgsProject()
    layers, _ = planning.load_plan(items, project)
    settings = QgsMapSettings()
    settings.setLayers(layers)  # in the group's order: the boundary on top, land use at the bottom
    settings.setDestinationCrs(layers[0].crs())
    extent = QgsRectangle()
    for layer in layers:
        extent.combineExtentWith(layer.extent())
    settings.setExtent(extent.buffered(200))
    settings.setOutputSize(QSize(1200, 900))
    settings.setBackgroundColor(QColor(255, 255, 255))
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    image = job.renderedImage()
    os.makedirs(SHOTS, exist_ok=True)
    assert image.save(os.path.join(SHOTS, "planning_layers.png"))
    colours = {image.pixelColor(x, y).getRgb()[:3] for x in range(0, 1200, 20) for y in range(0, 900, 20)}
    assert (255, 255, 255) in colours and len(colours) > 20  # drawn, in many colours
