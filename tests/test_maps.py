"""Coded maps: layout templates, single map, atlas per division, code cards with QR, and the algorithm.

The PDFs are checked with poppler (pdfinfo: pages, pdftotext: the Chinese text is text, pdffonts: a CJK font
is embedded) and rendered with pdftoppm; a few renders are kept in docs/maps/ for the README.
Fixtures: the sample town coded by citycode:assigncodes (module scope), and a small coded layer made here
(two divisions, three buildings with codes composed by the building profile, a red line covering one
building wholly and one by half).
"""
import os
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from qgis.core import (
    QgsFeature,
    QgsField,
    QgsGeometry,
    QgsLayoutItemLegend,
    QgsLayoutItemMap,
    QgsLayoutItemMapGrid,
    QgsLayoutItemPicture,
    QgsLayoutItemScaleBar,
    QgsLayoutObject,
    QgsProject,
    QgsUnitTypes,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QVariant

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "maps"
POPPLER = shutil.which("pdftoppm") and shutil.which("pdfinfo") and shutil.which("pdftotext")
needs_poppler = pytest.mark.skipif(not POPPLER, reason="poppler-utils (pdftoppm, pdfinfo, pdftotext) missing")

CRS = "EPSG:4527"
X0, Y0 = 39_521_000.0, 3_523_000.0
DIVS = {"340104001": ("三里庵街道", (0, 0, 200, 200)), "340104002": ("琥珀街道", (200, 0, 400, 200))}
RED_LINE = (0, 0, 60, 200)
USCC = "91340100MA2XXXXX0X"  # shown as linked code, not validated here


def _rect(xmin, ymin, xmax, ymax):
    return QgsGeometry.fromWkt("POLYGON(({0} {1},{2} {1},{2} {3},{0} {3},{0} {1}))".format(
        X0 + xmin, Y0 + ymin, X0 + xmax, Y0 + ymax))


def _memory(kind, name, fields, rows):
    layer = QgsVectorLayer("{}?crs={}".format(kind, CRS), name, "memory")
    layer.dataProvider().addAttributes([QgsField(n, t) for n, t in fields])
    layer.updateFields()
    feats = []
    for attrs, geom in rows:
        f = QgsFeature(layer.fields())
        f.setAttributes(list(attrs))
        f.setGeometry(geom)
        feats.append(f)
    assert layer.dataProvider().addFeatures(feats)[0]
    layer.updateExtents()
    return layer


@pytest.fixture()
def small(qgis_app):
    """Coded buildings (codes from the building profile), divisions and a red line, as memory layers."""
    from citycode.plugin.core.codes.profiles import load_profile

    profile = load_profile("building")
    buildings = {  # name: (division, sequence, rect, red-line share, uscc)
        "一号楼": ("340104001", 1, (10, 10, 40, 40), 1.0, USCC),       # wholly in the red line
        "二号楼": ("340104001", 2, (45, 100, 75, 130), 0.5, None),     # half in it
        "三号楼": ("340104002", 1, (250, 50, 280, 90), 0.0, None),     # outside it
    }
    rows, truth = [], {}
    for name, (div, seq, rect, share, uscc) in buildings.items():
        code = profile.compose(div, 2024, seq)
        truth[code] = dict(name=name, division=div, share=share, uscc=uscc)
        rows.append(((code, name, div, uscc), _rect(*rect)))
    coded = _memory("Polygon", "coded", [("citycode", QVariant.String), ("name", QVariant.String),
                                         ("division", QVariant.String), ("uscc", QVariant.String)], rows)
    divisions = _memory("Polygon", "divisions", [("code", QVariant.String), ("name", QVariant.String)],
                        [((c, n), _rect(*r)) for c, (n, r) in DIVS.items()])
    redline = _memory("Polygon", "生态保护红线", [("hxlx", QVariant.String)], [(("生态保护红线",), _rect(*RED_LINE))])
    return coded, divisions, redline, truth


@pytest.fixture(scope="module")
def sample_coded(citycode_processing, sample_gpkg, tmp_path_factory):
    """The sample town coded by citycode:assigncodes, with its divisions and planning layers."""
    import processing

    out = tmp_path_factory.mktemp("coded")
    src = str(sample_gpkg)
    planning = [src + "|layername=" + n for n in ("stbhhx", "yjjbnt", "czkfbj")]
    result = processing.run("citycode:assigncodes", {
        "BUILDINGS": src + "|layername=buildings", "DIVISIONS": src + "|layername=divisions",
        "DIVISION_FIELD": "code", "YEAR_FIELD": "year", "ID_FIELD": "id", "PLANNING": planning,
        "REGISTRY": str(out / "registry.sqlite"), "OUTPUT": str(out / "coded.gpkg"),
        "REPORT": str(out / "report.html")})
    coded = QgsVectorLayer(result["OUTPUT"], "coded", "ogr")
    assert coded.isValid()
    divisions = QgsVectorLayer(src + "|layername=divisions", "divisions", "ogr")
    return coded, divisions, [QgsVectorLayer(p, p.split("=")[-1], "ogr") for p in planning]


def _pdf_pages(path):
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def _pdf_text(path, page=None):
    args = ["pdftotext", "-layout"] + (["-f", str(page), "-l", str(page)] if page else []) + [str(path), "-"]
    # NFKC: the font's Unicode map gives some ideographs as their Kangxi radicals (⽰ U+2F70 for 示)
    return unicodedata.normalize("NFKC", subprocess.run(args, capture_output=True, text=True, check=True).stdout)


def _nf(text):
    return unicodedata.normalize("NFKC", text)  # compare like _pdf_text: （）： become ():


def _render(pdf, png, page=1, dpi=100):
    """Page `page` of the PDF as a PNG at `png` (pdftoppm), returned as a QImage."""
    from qgis.PyQt.QtGui import QImage

    stem = str(png)[:-4]
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile",
                    str(pdf), stem], check=True)
    image = QImage(str(png))
    assert not image.isNull()
    return image


def _share_of_colour(image, rgb, tolerance=12, step=3):
    hits = total = 0
    for y in range(0, image.height(), step):
        for x in range(0, image.width(), step):
            c = image.pixelColor(x, y)
            total += 1
            hits += all(abs(a - b) <= tolerance for a, b in zip((c.red(), c.green(), c.blue()), rgb))
    return hits / total


def _map_labels(map_item, dpi=100):
    """The label texts QGIS places on a layout map item as it stands (rendered on its own)."""
    from qgis.core import QgsMapRendererSequentialJob
    from qgis.PyQt.QtCore import QSizeF

    size = map_item.sizeWithUnits()
    settings = map_item.mapSettings(map_item.extent(), QSizeF(size.width() / 25.4 * dpi,
                                                              size.height() / 25.4 * dpi), dpi, True)
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    return {label.labelText for label in job.takeLabelingResults().allLabels()}


def _keep(png, name):
    DOCS.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(png, DOCS / name)


# -- templates ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["A4 landscape", "A4 portrait", "A3 landscape", "A3 portrait"])
def test_map_templates_have_their_items(qgis_app, name):
    from citycode.plugin.core.output import layouts

    paper, orientation = name.split()
    layout = layouts.load_template(layouts.template_file(name), QgsProject())
    page = layout.pageCollection().page(0).pageSize()
    long_side, short_side = {"A4": (297, 210), "A3": (420, 297)}[paper]
    assert (round(page.width()), round(page.height())) == \
        ((long_side, short_side) if orientation == "landscape" else (short_side, long_side))

    main = layout.itemById("map")
    assert isinstance(main, QgsLayoutItemMap)
    grid = main.grids().grid(0)
    assert grid.crs().authid() == "EPSG:4490"
    assert grid.annotationFormat() == QgsLayoutItemMapGrid.AnnotationFormat.DegreeMinute
    assert grid.annotationEnabled()
    legend = layout.itemById("legend")
    assert isinstance(legend, QgsLayoutItemLegend) and legend.linkedMap() is main
    bar = layout.itemById("scalebar")
    assert isinstance(bar, QgsLayoutItemScaleBar) and bar.linkedMap() is main
    assert bar.units() == QgsUnitTypes.DistanceUnit.DistanceMeters
    north = layout.itemById("north")
    assert isinstance(north, QgsLayoutItemPicture) and north.linkedMap() is main
    assert north.picturePath().endswith("NorthArrow_02.svg") and os.path.isfile(north.picturePath())
    overview = layout.itemById("overview")
    assert isinstance(overview, QgsLayoutItemMap) and overview.overview().linkedMap() is main
    for item_id in ("title", "issuer", "date"):
        assert layout.itemById(item_id) is not None, item_id
    assert "@citycode_issuer" in layout.itemById("issuer").text()
    # every item on the page
    for item in (main, legend, bar, north, overview):
        rect = item.sceneBoundingRect()
        assert rect.right() <= page.width() + 0.01 and rect.bottom() <= page.height() + 0.01, item.id()


def test_card_template_refers_to_the_qr_file(qgis_app):
    from citycode.plugin.core.output import layouts

    layout = layouts.load_template(layouts.template_file(layouts.CARD_TEMPLATE), QgsProject())
    qr = layout.itemById("qr")
    prop = qr.dataDefinedProperties().property(QgsLayoutObject.DataDefinedProperty.PictureSource)
    assert prop.isActive() and prop.field() == "card_qr"
    assert isinstance(layout.itemById("map"), QgsLayoutItemMap)
    assert "card_code" in layout.itemById("code").text()


def test_missing_cjk_family_is_replaced_by_an_installed_one(qgis_app, tmp_path):
    from citycode.plugin.core.output import layouts, map_styles

    installed = map_styles.cjk_font_family()
    if not installed:
        pytest.skip("no CJK font installed")
    missing = next(f for f in map_styles.CJK_FONTS if not map_styles.font_installed(f))  # e.g. Microsoft YaHei here
    text = Path(layouts.template_file("A4 landscape")).read_text(encoding="utf-8").replace(installed, missing)
    path = tmp_path / "windows_fonts.qpt"
    path.write_text(text, encoding="utf-8")
    layout = layouts.load_template(str(path), QgsProject())
    assert layout.itemById("title").font().family() == installed


def test_template_without_map_item_is_refused(qgis_app, tmp_path):
    from citycode.plugin.core.output import layouts

    text = Path(layouts.template_file("A4 landscape")).read_text(encoding="utf-8").replace('id="map"', 'id="karte"')
    path = tmp_path / "no_map.qpt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(layouts.MapError, match="'map'"):
        layouts.load_template(str(path), QgsProject())


# -- QR ----------------------------------------------------------------------------------------------------
def test_qr_text():
    from citycode.plugin.core.output.code_cards import qr_text

    assert qr_text("340104001") == "340104001"
    assert qr_text("340104001", "https://example.gov.cn/code/{code}") == "https://example.gov.cn/code/340104001"
    assert qr_text("340104001", "https://example.gov.cn/q?c=") == "https://example.gov.cn/q?c=340104001"


def test_qr_svg_draws_segnos_matrix(qgis_app, tmp_path):
    """The SVG we write, rasterised, has a dark module exactly where segno's matrix for the text has one."""
    from qgis.PyQt.QtGui import QImage, QPainter
    from qgis.PyQt.QtSvg import QSvgRenderer

    from citycode.plugin.core.output import code_cards
    from citycode.plugin.vendor import segno

    text = code_cards.qr_text("34010400120240001000015", "https://example.gov.cn/code/{code}")
    path = code_cards.write_qr_svg(text, str(tmp_path / "qr.svg"))
    matrix = segno.make(text, error="m", micro=False, boost_error=False).matrix
    n, border, px = len(matrix), 4, 8
    image = QImage((n + 2 * border) * px, (n + 2 * border) * px, QImage.Format.Format_RGB32)
    image.fill(0xFFFFFFFF)
    painter = QPainter(image)
    QSvgRenderer(path).render(painter)
    painter.end()
    drawn = [[image.pixelColor((border + x) * px + px // 2, (border + y) * px + px // 2).red() < 128
              for x in range(n)] for y in range(n)]
    assert drawn == [[bool(v) for v in row] for row in matrix]
    assert n >= 21  # a full QR code, never a Micro QR


# -- single map, atlas -----------------------------------------------------------------------------------------
@needs_poppler
def test_single_map_of_the_sample(sample_coded, tmp_path):
    from citycode.plugin.core.output import maps

    coded, divisions, planning = sample_coded
    doc = maps.build_map(maps.MapInputs(coded, divisions, "code", "", planning), "single", "A4 landscape",
                         "示例镇城市编码图", "示例市自然资源和规划局")
    pdf = tmp_path / "single.pdf"
    assert maps.export(doc, str(pdf), "pdf", 150) == [str(pdf)]
    assert _pdf_pages(pdf) == 1
    text = _pdf_text(pdf)
    for expected in ("示例镇城市编码图", "出图单位：示例市自然资源和规划局", "图例", "生态保护红线"):
        assert _nf(expected) in text, expected
    assert {f["name"] for f in divisions.getFeatures()} <= _map_labels(doc.layout.itemById("map"))
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    assert "CJK" in fonts, fonts  # Chinese drawn with a CJK font, not boxes
    image = _render(pdf, tmp_path / "single.png")
    assert _share_of_colour(image, (0xF5, 0xC6, 0x7A)) > 0.005  # coded buildings drawn (their fill)
    _keep(tmp_path / "single.png", "single_map.png")


@needs_poppler
def test_atlas_has_a_page_per_division(sample_coded, tmp_path):
    from citycode.plugin.core.output import maps

    coded, divisions, planning = sample_coded
    names = sorted((f["code"], f["name"]) for f in divisions.getFeatures())
    doc = maps.build_map(maps.MapInputs(coded, divisions, "code", "", planning), "atlas", "A4 portrait")
    pdf = tmp_path / "atlas.pdf"
    maps.export(doc, str(pdf), "pdf", 100)
    assert len(names) == 6 and _pdf_pages(pdf) == doc.page_count()
    map_pages = [p for p in range(1, doc.page_count() + 1) if "图例" in _pdf_text(pdf, p)]
    assert len(map_pages) == 6  # the others are code tables (tests/test_print_ready.py)
    for page, (code, name) in zip(map_pages, names):  # sorted by division code, titled with the name
        assert _nf("城市编码图 — " + name) in _pdf_text(pdf, page)
    # the third division (a street) at its atlas scale: codes labelled without the division prefix, many of them
    atlas = doc.layout.atlas()
    atlas.beginRender()
    atlas.seekTo(2)
    labels = _map_labels(doc.layout.itemById("map"))
    atlas.endRender()
    street = names[2][0]
    short = {c[9:] for c in (f["citycode"] for f in coded.getFeatures()) if c and c.startswith(street)}
    assert len(labels & short) >= 20
    assert not any(label.startswith(street) and len(label) == 23 for label in labels)
    _render(pdf, tmp_path / "atlas.png", page=map_pages[2])
    _keep(tmp_path / "atlas.png", "atlas_page.png")


def test_atlas_needs_divisions_and_codes(qgis_app, small):
    from citycode.plugin.core.output import layouts, maps

    coded, divisions, _, _ = small
    with pytest.raises(layouts.MapError, match="division layer"):
        maps.build_map(maps.MapInputs(coded), "atlas")
    with pytest.raises(layouts.MapError, match="citycode"):
        maps.build_map(maps.MapInputs(divisions, divisions), "single")


# -- cards ----------------------------------------------------------------------------------------------------
@needs_poppler
def test_cards_show_code_name_division_overlaps_links_and_qr(qgis_app, small, tmp_path):
    from citycode.plugin.core.output import maps

    coded, divisions, redline, truth = small
    url = "https://example.gov.cn/code/{code}"
    doc = maps.build_map(maps.MapInputs(coded, divisions, "code", "", [redline]), "cards", issuer="示例局",
                         qr_url=url, codes=list(truth), qr_folder=str(tmp_path / "qr"))
    pdf = tmp_path / "cards.pdf"
    maps.export(doc, str(pdf), "pdf", 150)
    codes = sorted(truth)
    assert _pdf_pages(pdf) == 3

    # Qt 5's PDF writer gives some digits of a CID font no Unicode in the text layer (the page shows them,
    # see docs/maps/code_card.png): the text layer is compared without digits, the numbers on the layout
    digitless = lambda text: re.sub(r"[ \t\d]+", "", _nf(text)).replace("\n\n", "\n")  # noqa: E731
    layout = doc.layout
    atlas = layout.atlas()
    atlas.beginRender()
    qr_files = []
    for page, code in enumerate(codes, start=1):
        t = truth[code]
        atlas.seekTo(page - 1)
        share = "生态保护红线：" + ("{:.1f}%".format(t["share"] * 100) if t["share"] else "无")
        expected = ["名称：" + t["name"], "乡镇（街道）：{}（{}）".format(DIVS[t["division"]][0], t["division"]),
                    share, "统一社会信用代码：" + t["uscc"] if t["uscc"] else "关联编码：\n无"]
        shown = layout.itemById("info").currentText()
        assert layout.itemById("code").currentText() == code
        pdf_text = digitless(_pdf_text(pdf, page))
        for line in expected:
            assert line in shown, shown
            assert digitless(line) in pdf_text, pdf_text
        assert code in _map_labels(layout.itemById("map"))  # the small map labels the full code
        qr = layout.itemById("qr")  # the QR picture is the SVG written for this code
        qr.refreshPicture()
        qr_files.append(Path(qr.evaluatedPath()))
    atlas.endRender()
    assert qr_files == [tmp_path / "qr" / (c + ".svg") for c in codes]
    assert all(f.is_file() for f in qr_files)

    png = tmp_path / "card.png"
    _render(pdf, png, page=1, dpi=150)
    if shutil.which("zbarimg"):  # decode the printed QR code like a phone would
        out = subprocess.run(["zbarimg", "-q", "--raw", str(png)], capture_output=True, text=True).stdout
        assert out.strip() == url.format(code=codes[0])
    _render(pdf, tmp_path / "card100.png", page=1, dpi=100)
    _keep(tmp_path / "card100.png", "code_card.png")


def test_card_rows_without_planning_layers(qgis_app, small):
    from citycode.plugin.core.output import code_cards, maps

    coded, divisions, _, truth = small
    warnings = []
    wanted = sorted(truth)[:1] + ["34010400120249999000000"]
    layers = {"buildings": coded, "divisions": divisions}
    rows = code_cards.card_rows(maps.MapInputs(coded, divisions), layers, [], wanted, warnings)
    assert [r.code for r in rows] == wanted[:1]
    assert code_cards.overlaps_text(rows[0].overlaps) == "未提供规划图层"
    assert "34010400120249999000000" in warnings[0]


# -- the algorithm ----------------------------------------------------------------------------------------------
def test_processing_atlas_png_and_cards_of_the_selection(citycode_processing, small, tmp_path):
    import processing

    coded, divisions, redline, truth = small
    out = processing.run("citycode:exportcodedmap", {
        "BUILDINGS": coded, "DIVISIONS": divisions, "DIVISION_FIELD": "code", "PLANNING": [redline],
        "MODE": "atlas", "TEMPLATE": "A4 portrait", "FORMAT": "png", "DPI": 50,
        "OUTPUT": str(tmp_path / "atlas.png")})
    assert out["PAGES"] == 2
    files = out["FILES"].split(";")
    assert sorted(Path(f).name for f in files) == ["atlas_340104001.png", "atlas_340104002.png"]
    assert all(os.path.getsize(f) > 1000 for f in files)

    chosen = sorted(truth)[1]
    coded.selectByExpression("\"citycode\" = '{}'".format(chosen))
    out = processing.run("citycode:exportcodedmap", {
        "BUILDINGS": coded, "DIVISIONS": divisions, "MODE": "cards", "SELECTED": True,
        "ISSUER": "示例局", "FORMAT": "pdf", "OUTPUT": str(tmp_path / "cards.pdf")})
    assert out["PAGES"] == 1 and out["OUTPUT"] == str(tmp_path / "cards.pdf")
    if POPPLER:
        assert _nf("名称：" + truth[chosen]["name"]) in _pdf_text(out["OUTPUT"])
    assert (tmp_path / "cards_qr" / (chosen + ".svg")).is_file()
