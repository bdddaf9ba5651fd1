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

from citycode.plugin.core.planning import loader, recognition, sources, standard

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
    items = _by_name(recognition.make_plan(sources.scan_dataset(str(sample_gpkg))))
    for kind in standard.SQSX_KINDS:
        assert items[kind].kind == kind, items[kind].why
        assert items[kind].group == (standard.ROOT_GROUP, standard.SQSX_GROUP)
        assert items[kind].style.endswith(kind + ".qml")
        assert items[kind].confidence >= 0.9 and items[kind].load
    # the red line also has the 三区三线 database's red line type field (hxlx): two pieces of evidence
    assert "hxlx" in items["stbhhx"].why and items["stbhhx"].confidence > items["czkfbj"].confidence
    for name in ("divisions", "buildings", "projects", "monitoring_points"):
        assert items[name].kind == standard.NONE, (name, items[name].why)
        assert not items[name].load and items[name].style is None


def test_folder_fixtures_are_recognised(planning_folder):
    items = _by_name(recognition.make_plan(sources.scan_folder(str(planning_folder))))
    assert set(items) == {"生态保护红线", "layer1", "layer2", "roads", "规划用地", "dem"}

    red = items["生态保护红线"]
    assert red.kind == standard.STBHHX and red.info.encoding == "GB18030"

    layer1 = items["layer1"]
    assert layer1.kind == standard.YDYH and layer1.code_field == "YDYHFLDM" and not layer1.code_padded
    assert layer1.group == (standard.ROOT_GROUP, standard.YDYH_GROUP)
    layer2 = items["layer2"]
    assert layer2.kind == standard.YDYH and layer2.code_field == "dm" and layer2.code_padded
    assert "dm" in layer2.why

    assert items["规划用地"].kind == standard.RASTER and items["规划用地"].group == (standard.ROOT_GROUP,)
    for name in ("roads", "dem"):
        assert items[name].kind == standard.NONE and not items[name].load, items[name].why


def test_names_titles_and_fields(qgis_app):
    def info(name, title="", fields=(), values=None):
        return sources.LayerInfo(uri="", provider="ogr", name=name, title=title,
                                  fields={f: "" for f in fields}, values=values or {})

    assert recognition.recognise(info("JBNT_2022")).kind == standard.YJJBNT
    assert recognition.recognise(info("基本农田保护区")).kind == standard.YJJBNT
    assert recognition.recognise(info("城镇开发边界线")).kind == standard.CZKFBJ
    assert recognition.recognise(info("生态红线")).kind == standard.STBHHX
    assert recognition.recognise(info("T01", title="永久基本农田保护图斑")).kind == standard.YJJBNT
    assert recognition.recognise(info("基本农田储备区")).kind == standard.NONE  # a reserve, not the farmland
    assert recognition.recognise(info("村庄开发边界")).kind == standard.NONE
    # the field names of the 三区三线 database, whatever the layer is called
    assert recognition.recognise(info("图层3", fields=("BSM", "YJJBNTTBBH", "YJJBNTMJ"))).kind == standard.YJJBNT
    # the planning zones inside the urban development boundary
    zones = info("kf", fields=("GHFQMC",), values={"GHFQMC": ["城镇弹性发展区", "城镇集中建设区"]})
    assert recognition.recognise(zones).kind == standard.CZKFBJ
    # three-digit integers that are not 用地用海 codes (908, 999) keep a field from being a code field
    not_codes = info("t", fields=("n",), values={"n": ["101", "702", "908", "999", "1207"]})
    assert recognition.recognise(not_codes).kind == standard.NONE


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
        assert r["colour_source"] in ("official", "official_parent", "palette", "derived")
        if r["colour_source"] == "official_parent":  # a class the table does not list: its parent's colour
            assert [r[c] for c in "rgb"] == [codes[r["parent"]][c] for c in "rgb"]
            assert codes[r["parent"]]["colour_source"].startswith("official")
    # 《市级国土空间总体规划制图规范（试行）》 附录 B, a sample of its rows
    for code, rgb in (("01", (245, 248, 220)), ("0701", (255, 255, 45)), ("0802", (230, 0, 92)),
                      ("09", (255, 0, 0)), ("1001", (187, 150, 116)), ("13", (0, 99, 128)), ("1401", (0, 255, 0)),
                      ("1207", (163, 163, 163)), ("17", (51, 142, 192)), ("24", (214, 234, 243))):
        assert (tuple(int(codes[code][c]) for c in "rgb"), codes[code]["colour_source"]) == (rgb, "official")
    assert sum(r["colour_source"] == "official" for r in rows) == 39


def test_styles_load_and_match_the_table(qgis_app):
    layer = QgsVectorLayer("Polygon?crs={}&field=YDYHFLDM:string(10)".format(CRS), "ydyh", "memory")
    message, ok = layer.loadNamedStyle(os.path.join(standard.STYLES_DIR, "ydyh.qml"))
    assert ok, message
    renderer = layer.renderer()
    assert isinstance(renderer, QgsCategorizedSymbolRenderer) and renderer.classAttribute() == "YDYHFLDM"
    got = {c.value(): c.symbol().color().getRgb()[:3] for c in renderer.categories()}
    assert got == {r["code"]: (int(r["r"]), int(r["g"]), int(r["b"])) for r in _csv_rows()}
    for kind in standard.SQSX_KINDS:
        sq = QgsVectorLayer("Polygon?crs=" + CRS, kind, "memory")
        assert sq.loadNamedStyle(os.path.join(standard.STYLES_DIR, kind + ".qml"))[1]
        outline = [sl for sl in sq.renderer().symbol().symbolLayers() if sl.layerType() == "SimpleLine"][-1]
        assert outline.color() == {"stbhhx": QColor(230, 0, 0), "yjjbnt": QColor(190, 140, 0),
                                   "czkfbj": QColor(150, 40, 200)}[kind]
    czkfbj_line = sq.renderer().symbol().symbolLayer(0)
    assert czkfbj_line.penStyle() == Qt.PenStyle.DashLine and sq.renderer().symbol().symbolLayerCount() == 1


# -- loading ------------------------------------------------------------------------------------------------
def _tree(project):
    top = project.layerTreeRoot().findGroup(standard.ROOT_GROUP)
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
    items = recognition.make_plan(sources.scan_dataset(str(sample_gpkg)) + sources.scan_folder(str(planning_folder)))
    project = QgsProject()
    layers, problems = loader.load_plan(items, project)
    assert problems == []
    order, tree = _tree(project)
    assert order[:2] == [standard.SQSX_GROUP, standard.YDYH_GROUP]  # 三区三线 drawn over the land use
    assert tree[standard.SQSX_GROUP] == ["czkfbj", "stbhhx", "生态保护红线", "yjjbnt"]
    assert sorted(tree[standard.YDYH_GROUP]) == ["layer1", "layer2"]
    assert tree[""] == ["规划用地"]
    assert len(layers) == 7

    by_name = {layer.name(): layer for layer in layers}
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
    QgsSettings().remove(sources.SETTINGS_KEY)
    assert sources.remembered_sources() == []
    sources.remember_source("/data/a.gpkg")
    sources.remember_source(sources.postgis_source("规划库", "sqsx"))
    assert sources.remember_source("/data/a.gpkg") == ["/data/a.gpkg", "postgis:规划库/sqsx"]
    assert sources.parse_postgis_source("postgis:my/db/public") == ("my/db", "public")
    assert sources.parse_postgis_source("/data/a.gpkg") is None
    QgsSettings().remove(sources.SETTINGS_KEY)


# -- the dialog and the screenshots -------------------------------------------------------------------------
def _wait(dialog, seconds=60):
    end = time.time() + seconds
    while dialog.scanning and time.time() < end:
        QTest.qWait(50)
    assert not dialog.scanning


def test_dialog_scans_corrects_and_loads(planning_folder, qgis_iface):
    from citycode.plugin.gui.planning_dialog import FOLDER, PlanningDialog
    QgsSettings().remove(sources.SETTINGS_KEY)
    project = QgsProject()
    dialog = PlanningDialog(qgis_iface, project=project)
    dialog.show()
    dialog.kind_box.setCurrentIndex(FOLDER)
    dialog.path_edit.setText(str(planning_folder))  # QTest.keyClicks cannot type Chinese
    QTest.mouseClick(dialog.scan_button, Qt.MouseButton.LeftButton)
    _wait(dialog)
    rows = {dialog.table.item(r, 1).text(): r for r in range(dialog.table.rowCount())}
    assert dialog.kind_combo(rows["layer1"]).currentData() == standard.YDYH
    assert dialog.kind_combo(rows["roads"]).currentData() == standard.NONE
    os.makedirs(SHOTS, exist_ok=True)
    assert dialog.grab().save(os.path.join(SHOTS, "planning_dialog.png"))

    # the user says layer2 is no land use layer and the unnamed raster dem is a planning raster
    combo = dialog.kind_combo(rows["layer2"])
    combo.setCurrentIndex(combo.findData(standard.NONE))
    combo = dialog.kind_combo(rows["dem"])
    combo.setCurrentIndex(combo.findData(standard.RASTER))
    QTest.mouseClick(dialog.load_button, Qt.MouseButton.LeftButton)

    _, tree = _tree(project)
    assert tree[standard.SQSX_GROUP] == ["生态保护红线"]
    assert tree[standard.YDYH_GROUP] == ["layer1"]
    assert sorted(tree[""]) == ["dem", "规划用地"]
    assert sources.remembered_sources() == [str(planning_folder)]
    dialog.close()
    QgsSettings().remove(sources.SETTINGS_KEY)
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
    items = recognition.make_plan(sources.scan_dataset(str(sample_gpkg)) + sources.scan_dataset(str(ydyh)))
    assert [i.kind for i in items if i.info.name == "规划用地用海"] == [standard.YDYH]
    project = QgsProject()
    layers, _ = loader.load_plan(items, project)
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


# -- raster planning layers -----------------------------------------------------------------------------------
def _raster(path, cells, data_type=None, nodata=None, cell=50.0, x0=X0, y0=Y0, rat=None, table=None, title=None):
    """A raster of `cells` (rows top first) written with GDAL: a GeoTIFF, or with `table` a raster table of a
    GeoPackage (added to it when it exists); rat: [(value, {column: text})], written as GDAL does (.aux.xml)."""
    import numpy as np
    from osgeo import gdal, osr
    cells = np.asarray(cells)
    data_type = data_type or gdal.GDT_Int32
    if table:
        options = ["RASTER_TABLE=" + table] + (["APPEND_SUBDATASET=YES"] if os.path.exists(str(path)) else []) + \
            (["RASTER_IDENTIFIER=" + title] if title else [])
        ds = gdal.GetDriverByName("GPKG").Create(str(path), cells.shape[1], cells.shape[0], 1, data_type, options)
    else:
        ds = gdal.GetDriverByName("GTiff").Create(str(path), cells.shape[1], cells.shape[0], 1, data_type)
    ds.SetGeoTransform((x0, cell, 0, y0 + cell * cells.shape[0], 0, -cell))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4527)
    ds.SetProjection(srs.ExportToWkt())
    band = ds.GetRasterBand(1)
    if nodata is not None:
        band.SetNoDataValue(nodata)
    band.WriteArray(cells)
    if rat:
        table_ = gdal.RasterAttributeTable()
        table_.CreateColumn("Value", gdal.GFT_Integer, gdal.GFU_MinMax)
        columns = list(rat[0][1])
        for name in columns:
            table_.CreateColumn(name, gdal.GFT_String, gdal.GFU_Generic)
        for row, (value, texts) in enumerate(rat):
            table_.SetValueAsInt(row, 0, value)
            for i, name in enumerate(columns, 1):
                table_.SetValueAsString(row, i, texts[name])
        band.SetDefaultRAT(table_)
    ds = None


def _csv_colours():
    return {r["code"]: (int(r["r"]), int(r["g"]), int(r["b"])) for r in _csv_rows()}


def _csv_names():
    return {r["code"]: r["name"] for r in _csv_rows()}


def _palette(layer):
    """cell value -> (RGBA, label) of a layer's paletted renderer."""
    from qgis.core import QgsPalettedRasterRenderer
    renderer = layer.renderer()
    assert isinstance(renderer, QgsPalettedRasterRenderer), type(renderer)
    return {int(c.value): (c.color.getRgb(), c.label) for c in renderer.classes()}


def _render(layers, extent, size=(200, 200)):
    settings = QgsMapSettings()
    settings.setLayers(layers)
    settings.setDestinationCrs(layers[0].crs())
    settings.setExtent(extent)
    settings.setOutputSize(QSize(*size))
    settings.setBackgroundColor(QColor(255, 255, 255))
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    return job.renderedImage()


# cells of 用地用海 codes as integers (the leading zero lost), a nodata hole (0) in the middle
YDYH_CELLS = [[101, 101, 702, 702],
              [1207, 0, 0, 70101],
              [1401, 1401, 1207, 70101]]


@pytest.fixture()
def raster_folder(tmp_path, qgis_app):
    """Planning rasters as delivered: a 用地用海 grid of codes (a name that says nothing), one whose codes are in
    its attribute table, a red line mask, a GeoPackage with raster tables, and an elevation model."""
    import numpy as np
    from osgeo import gdal
    folder = tmp_path / "栅格成果"
    folder.mkdir()
    _raster(folder / "grid_2035.tif", YDYH_CELLS, nodata=0)
    # classes 1-3 whose codes and names are in the raster attribute table
    _raster(folder / "land.tif", [[1, 2], [3, 1]], gdal.GDT_Byte,
            rat=[(1, {"YDYHDM": "0103", "MC": "旱地"}), (2, {"YDYHDM": "0901", "MC": "商业用地"}),
                 (3, {"YDYHDM": "1704", "MC": "坑塘水面"})])
    _raster(folder / "生态保护红线.tif", [[0, 1, 1], [0, 1, 0], [255, 0, 0]], gdal.GDT_Byte, nodata=255)
    gpkg = folder / "sqsx.gpkg"
    _raster(gpkg, [[1, 1, 0], [0, 1, 0]], gdal.GDT_Byte, table="t01", title="永久基本农田保护图斑")
    _raster(gpkg, [[301, 301], [1303, 1303]], gdal.GDT_UInt16, table="ydyh_raster")
    # an elevation model: hundreds of values, some of them (101, 702, ...) happen to be codes
    _raster(folder / "dem.tif", np.arange(40 * 40).reshape(40, 40) % 900 + 50, gdal.GDT_Int16)
    return folder


def test_rasters_are_recognised_by_name_cells_and_attribute_table(raster_folder):
    items = _by_name(recognition.make_plan(sources.scan_folder(str(raster_folder))))
    assert set(items) == {"grid_2035", "land", "生态保护红线", "t01", "ydyh_raster", "dem"}
    for item in items.values():
        assert item.info.layer_type == "raster" and item.style is None

    grid = items["grid_2035"]
    assert grid.kind == standard.YDYH and grid.code_field == sources.CELL_VALUES and grid.load, grid.why
    assert grid.info.cells == [101, 702, 1207, 1401, 70101]  # nodata 0 left out
    assert grid.group == (standard.ROOT_GROUP, standard.YDYH_GROUP)
    land = items["land"]
    assert land.kind == standard.YDYH and land.code_field == "YDYHDM", land.why
    assert land.info.rat["MC"] == {1: "旱地", 2: "商业用地", 3: "坑塘水面"}

    red = items["生态保护红线"]
    assert red.kind == standard.STBHHX and red.info.cells == [0, 1] and "mask" in red.why
    assert red.group == (standard.ROOT_GROUP, standard.SQSX_GROUP)
    farmland = items["t01"]  # a GeoPackage raster table known by its title (identifier)
    assert farmland.kind == standard.YJJBNT and farmland.info.title == "永久基本农田保护图斑", farmland.why
    assert items["ydyh_raster"].kind == standard.YDYH and items["ydyh_raster"].info.cells == [301, 1303]
    dem = items["dem"]
    assert dem.kind == standard.NONE and not dem.load, dem.why


def test_raster_styles_follow_the_table(raster_folder):
    items = recognition.make_plan(sources.scan_folder(str(raster_folder)))
    project = QgsProject()
    layers, problems = loader.load_plan(items, project)
    assert problems == []
    by_name = {layer.name(): layer for layer in layers}
    assert set(by_name) == {"grid_2035", "land", "生态保护红线", "t01", "ydyh_raster"}
    order, tree = _tree(project)
    assert order == [standard.SQSX_GROUP, standard.YDYH_GROUP]
    assert tree[standard.SQSX_GROUP] == ["生态保护红线", "t01"]

    colours, names = _csv_colours(), _csv_names()
    grid = _palette(by_name["grid_2035"])
    assert grid == {v: (colours[c] + (255,), "{} {}".format(c, names[c]))
                    for v, c in ((101, "0101"), (702, "0702"), (1207, "1207"), (1401, "1401"), (70101, "070101"))}
    assert grid[70101][1] == "070101 一类城镇住宅用地"
    assert _palette(by_name["land"]) == {1: (colours["0103"] + (255,), "0103 旱地"),
                                         2: (colours["0901"] + (255,), "0901 商业用地"),
                                         3: (colours["1704"] + (255,), "1704 坑塘水面")}
    assert set(_palette(by_name["ydyh_raster"])) == {301, 1303}
    # masks: 1 in the kind's colour (the outline colour of its vector style), translucent; 0 not drawn
    assert _palette(by_name["生态保护红线"]) == {
        1: ((230, 0, 0, standard.MASK_ALPHA), standard.kind_label(standard.STBHHX))}
    assert _palette(by_name["t01"]) == {1: ((190, 140, 0, standard.MASK_ALPHA), standard.kind_label(standard.YJJBNT))}

    # drawn: each cell in its class colour, the nodata hole white; the mask's 0 cells white, its 1 cells red-ish
    grid_layer = by_name["grid_2035"]
    image = _render([grid_layer], grid_layer.extent(), (400, 300))  # 100 px per cell
    for row, line in enumerate(YDYH_CELLS):
        for col, value in enumerate(line):
            pixel = image.pixelColor(col * 100 + 50, row * 100 + 50).getRgb()[:3]
            expected = (255, 255, 255) if value == 0 else colours[standard.normalise_code(value)]
            assert pixel == expected, (row, col, value)
    red_layer = by_name["生态保护红线"]
    image = _render([red_layer], red_layer.extent(), (300, 300))
    assert image.pixelColor(50, 50).getRgb()[:3] == (255, 255, 255)   # 0
    assert image.pixelColor(50, 250).getRgb()[:3] == (255, 255, 255)  # nodata
    r, g, b = image.pixelColor(150, 50).getRgb()[:3]
    assert r > 230 and g < 150 and b < 150 and g > 0  # red over white, not opaque
    project.clear()


def _town_land_use():
    """用地用海 codes (as integers, the leading zero lost) on 50 m cells over the sample town: farmland and
    forest around, a built-up centre of blocks between roads, a river, a park, a pond."""
    import numpy as np
    rows, cols = 104, 124
    y, x = np.mgrid[0:rows, 0:cols]
    cells = np.where((x + y) % 37 < 20, 101, 103)                        # 水田 / 旱地
    cells[(x < 18) & (y < 30)] = 301                                      # 乔木林地
    centre = (x > 14) & (x < 112) & (y > 10) & (y < 92)
    block = (x // 9 + 2 * (y // 8)) % 7
    cells[centre] = np.choose(block, [701, 701, 702, 901, 802, 1001, 1101])[centre]
    cells[centre & ((x % 9 == 0) | (y % 8 == 0))] = 1207                  # 城镇村道路用地
    cells[(abs(x - 62) < 8) & (abs(y - 50) < 6)] = 1401                   # 公园绿地
    river = abs(y - (0.35 * x + 30)) < 2.5
    cells[river] = 1701                                                   # 河流水面
    cells[(abs(x - 100) < 4) & (abs(y - 20) < 3)] = 1704                  # 坑塘水面
    return cells


def test_raster_and_vector_screenshot(sample_gpkg, tmp_path, qgis_app):
    """The sample town's 三区三线 (vector) over a 用地用海 raster, with the legend:
    docs/screenshots/planning_raster.png."""
    from osgeo import gdal
    from qgis.core import QgsLayerTreeModel
    from qgis.gui import QgsLayerTreeView, QgsMapCanvas
    from qgis.PyQt.QtWidgets import QHBoxLayout, QWidget
    cells = _town_land_use()
    _raster(tmp_path / "规划用地用海_2035.tif", cells, gdal.GDT_UInt16, nodata=0, x0=39520400.0, y0=3522600.0)
    items = recognition.make_plan(sources.scan_dataset(str(sample_gpkg)) +
                               sources.scan_dataset(str(tmp_path / "规划用地用海_2035.tif")))
    project = QgsProject()
    layers, problems = loader.load_plan(items, project)
    assert problems == [] and len(layers) == 4
    raster = layers[-1]
    assert raster.name() == "规划用地用海_2035" and set(_palette(raster)) == {int(v) for v in set(cells.flat)}

    window = QWidget()
    view = QgsLayerTreeView(window)
    view.setModel(QgsLayerTreeModel(project.layerTreeRoot(), window))
    view.expandAll()
    canvas = QgsMapCanvas(window)
    canvas.setCanvasColor(QColor(255, 255, 255))
    box = QHBoxLayout(window)
    view.setMinimumWidth(330)  # the longest class label in full
    box.addWidget(view)
    box.addWidget(canvas, 1)
    window.resize(1300, 760)
    window.show()
    canvas.setDestinationCrs(raster.crs())
    canvas.setLayers(project.layerTreeRoot().checkedLayers())  # the tree's order: 三区三线 over the land use
    canvas.setExtent(raster.extent())
    canvas.refresh()
    canvas.waitWhileRendering()
    QTest.qWait(200)
    image = canvas.grab().toImage()
    # the canvas shows the land use in the table's colours (the paddy field colour is the most common one)
    colours = _csv_colours()
    seen = {image.pixelColor(x, y).getRgb()[:3]
            for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
    assert {colours["0101"], colours["0103"], colours["1207"]} <= seen
    os.makedirs(SHOTS, exist_ok=True)
    assert window.grab().save(os.path.join(SHOTS, "planning_raster.png"))
    window.close()
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    project.clear()
