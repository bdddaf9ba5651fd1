"""Print-ready atlas and cards (issue 16): code labels readable at the printed scale and never overlapping, a code
table after a page whose buildings could not all be labelled, divisions that leave the planning layers visible,
cards for a division and a page limit. Fixtures and PDF helpers from tests/test_maps.py."""
import pytest
from qgis.core import QgsExpression, QgsExpressionContext, QgsExpressionContextScope, QgsLayoutItemAttributeTable
from test_maps import (  # noqa: F401 (fixtures)
    X0, Y0, _nf, _pdf_pages, _pdf_text, sample_coded, small)


def _at_scale(expression, scale):
    context = QgsExpressionContext()
    scope = QgsExpressionContextScope()
    scope.setVariable("map_scale", scale)
    context.appendScope(scope)
    return QgsExpression(expression).evaluate(context)


def _table_codes(doc, index):
    """The codes the atlas page `index`'s code table lists."""
    table = next(m for m in doc.layout.multiFrames() if isinstance(m, QgsLayoutItemAttributeTable))
    atlas = doc.layout.atlas()
    atlas.beginRender()
    atlas.seekTo(index)
    doc.layout.refresh()
    table.refreshAttributes()
    codes = {str(cell) for row in table.contents() for cell in row if cell}
    atlas.endRender()
    return codes


def test_code_labels_are_at_least_6_pt_on_paper_at_every_labelled_scale(qgis_app, small):
    from qgis.core import QgsPalLayerSettings, QgsUnitTypes

    from citycode.plugin.core.output import map_styles, maps

    coded, divisions, _, _ = small
    doc = maps.build_map(maps.MapInputs(coded, divisions), "atlas")
    settings = doc.layers["buildings"].labeling().settings()
    assert settings.format().sizeUnit() == QgsUnitTypes.RenderUnit.RenderPoints  # points on paper
    assert not settings.displayAll  # a colliding label is dropped, never drawn over another
    size = settings.dataDefinedProperties().property(QgsPalLayerSettings.Property.Size).expressionString()
    for scale in (500, 2500, 5000, 10000, 15000, 20000, map_styles.LABEL_SCALE_LIMIT):
        assert _at_scale(size, scale) == map_styles.code_label_size(scale) >= map_styles.MIN_LABEL_PT, scale
    assert settings.maximumScale == 0 and settings.minimumScale == map_styles.LABEL_SCALE_LIMIT  # none beyond


def test_atlas_labels_do_not_overlap_and_a_code_table_lists_what_is_unlabelled(sample_coded, tmp_path):
    from citycode.plugin.core.output import code_tables, map_styles, maps

    coded, divisions, planning = sample_coded
    doc = maps.build_map(maps.MapInputs(coded, divisions, "code", "", planning), "atlas", "A4 portrait")
    layout, buildings = doc.layout, doc.layers["buildings"]
    atlas, main = layout.atlas(), layout.itemById("map")
    order = sorted(f["code"] for f in divisions.getFeatures())
    street = order[2]
    atlas.beginRender()
    atlas.seekTo(2)
    assert main.scale() <= map_styles.LABEL_SCALE_LIMIT
    placed = [p for p in code_tables.page_labels(main, 150) if p.layerID == buildings.id() and not p.isUnplaced]
    atlas.endRender()
    labelled = {p.featureId for p in placed}
    rects = [p.labelRect for p in placed]
    overlapping = [(i, j) for i in range(len(rects)) for j in range(i + 1, len(rects))
                   if rects[i].intersect(rects[j]).area() > 1e-6 * rects[i].area()]
    assert len(placed) > 50 and not overlapping
    codes = {f.id(): f["citycode"] for f in buildings.getFeatures() if f["citycode"]}
    in_street = {fid: c for fid, c in codes.items() if c.startswith(street)}
    unlabelled = {c for fid, c in in_street.items() if fid not in labelled}
    assert unlabelled, "the sample street is dense enough that some labels cannot be placed"
    assert street in doc.code_tables
    assert _table_codes(doc, 2) == set(in_street.values())  # every code of the street, not only the unlabelled
    for index, code in enumerate(order):
        assert bool(_table_codes(doc, index)) == (code in doc.code_tables)

    pdf = tmp_path / "atlas.pdf"
    maps.export(doc, str(pdf), "pdf", 100)  # labels placed again as at 100 dpi, the tables chosen again
    assert doc.label_dpi == 100 and street in doc.code_tables
    pages = doc.page_count()
    assert pages > len(order)
    from test_maps import POPPLER
    if POPPLER:
        assert _pdf_pages(pdf) == pages
        titles = [p for p in range(1, pages + 1) if _nf("编码表（") in _pdf_text(pdf, p)]
        assert len(titles) == len(doc.code_tables)  # each table titled on its first page (it may run on)
        notes = [p for p in range(1, pages + 1) if _nf("图上未能全部注记，") in _pdf_text(pdf, p)]
        assert [p + 1 for p in notes] == titles  # the map page says a table follows


def test_no_code_table_when_every_building_is_labelled(qgis_app, small, tmp_path):
    from citycode.plugin.core.output import maps

    coded, divisions, redline, _ = small
    doc = maps.build_map(maps.MapInputs(coded, divisions, "code", "", [redline]), "atlas", "A4 portrait")
    assert doc.code_tables == [] and doc.page_count() == 2
    pdf = tmp_path / "atlas.pdf"
    maps.export(doc, str(pdf), "pdf", 50)
    from test_maps import POPPLER
    if POPPLER:
        assert _pdf_pages(pdf) == 2
        assert "编码表" not in _pdf_text(pdf)  # neither a table nor the map's note pointing to one


def test_the_planning_layer_shows_through_the_other_divisions(qgis_app, small):
    """On the second division's page the red line lies in the first (another) division: its colours are the
    planning layer's own, not veiled by the division layer."""
    from qgis.core import QgsMapRendererSequentialJob
    from qgis.PyQt.QtCore import QSizeF

    from citycode.plugin.core.output import maps

    coded, divisions, redline, _ = small
    doc = maps.build_map(maps.MapInputs(coded, divisions, "code", "", [redline]), "atlas", "A4 portrait")
    main, atlas = doc.layout.itemById("map"), doc.layout.atlas()
    atlas.beginRender()
    atlas.seekTo(1)

    def render(layers):
        extent = doc.layers["divisions"].extent()  # the page's division and the other one, as the page draws
        settings = main.mapSettings(extent, QSizeF(800, 400), 100, True)
        settings.setLayers(layers)
        job = QgsMapRendererSequentialJob(settings)
        job.start()
        job.waitForFinished()
        point = settings.mapToPixel().transform(X0 + 50, Y0 + 160)  # in the red line, in the other division
        return job.renderedImage().pixelColor(int(point.x()), int(point.y()))

    planning_alone = render([layer for layer in main.layers() if layer.name() == "生态保护红线"])
    on_the_page = render(main.layers())
    atlas.endRender()
    assert planning_alone.alpha() > 0 and planning_alone.green() > planning_alone.red()  # the red line's green
    assert all(abs(a - b) <= 6 for a, b in zip(planning_alone.getRgb(), on_the_page.getRgb())), \
        (planning_alone.getRgb(), on_the_page.getRgb())


def test_cards_for_a_division_and_a_page_limit(qgis_app, small, monkeypatch, tmp_path):
    from citycode.plugin.core.output import layouts, maps

    coded, divisions, _, truth = small
    inputs = maps.MapInputs(coded, divisions)
    doc = maps.build_map(inputs, "cards", division="340104001", qr_folder=str(tmp_path / "qr"))
    assert doc.page_count() == sum(t["division"] == "340104001" for t in truth.values()) == 2
    with pytest.raises(layouts.MapError, match="340104009"):
        maps.build_map(inputs, "cards", division="340104009", qr_folder=str(tmp_path / "qr"))
    monkeypatch.setattr(maps, "CARD_PAGE_LIMIT", 2)
    with pytest.raises(layouts.MapError, match="3 code cards would print 3 pages"):
        maps.build_map(inputs, "cards", qr_folder=str(tmp_path / "qr"))
    assert maps.build_map(inputs, "cards", qr_folder=str(tmp_path / "qr"), allow_many=True).page_count() == 3


def test_processing_says_the_page_count_and_refuses_a_town_of_cards(citycode_processing, small, monkeypatch, tmp_path):
    import processing
    from qgis.core import QgsProcessingException, QgsProcessingFeedback

    from citycode.plugin.core.output import maps

    coded, divisions, _, _ = small
    monkeypatch.setattr(maps, "CARD_PAGE_LIMIT", 2)
    params = {"BUILDINGS": coded, "DIVISIONS": divisions, "MODE": "cards", "FORMAT": "pdf",
              "OUTPUT": str(tmp_path / "cards.pdf")}
    with pytest.raises(QgsProcessingException, match="3 code cards"):
        processing.run("citycode:exportcodedmap", params)
    assert not (tmp_path / "cards.pdf").exists()

    class Log(QgsProcessingFeedback):
        lines = []

        def pushInfo(self, info):  # noqa: N802 (QGIS API name)
            self.lines.append(info)

    log = Log()
    out = processing.run("citycode:exportcodedmap", dict(params, CARD_DIVISION="340104002"), feedback=log)
    assert out["PAGES"] == 1 and "1 page(s) to write" in log.lines


def test_the_forms_division_layer_keeps_the_planning_layers_visible(qgis_app, small):
    """A division layer with QGIS's opaque random fill is drawn as outlines with names once the code form uses
    it; a division layer the user styled keeps its style."""
    from qgis.core import QgsFillSymbol, QgsSingleSymbolRenderer, QgsWkbTypes
    from qgis.PyQt.QtCore import Qt

    from citycode.plugin.core.output import map_styles
    from citycode.plugin.core.engine.feature_coding import CodingConfig
    from citycode.plugin.gui.code_form import CodeForm

    coded, divisions, _, _ = small
    divisions.setRenderer(QgsSingleSymbolRenderer(QgsFillSymbol.createSimple({"color": "31,120,180,255"})))
    assert map_styles.hides_what_is_under(divisions)
    form = CodeForm(coded, next(coded.getFeatures()).id(), CodingConfig(division_layer=divisions))
    assert not map_styles.hides_what_is_under(divisions)  # restyled when the form opened with it
    assert divisions.labelsEnabled() and divisions.labeling().settings().fieldName == '"name"'
    rule = divisions.renderer().rootRule().children()[0]
    assert rule.symbol().symbolLayer(0).brushStyle() == Qt.BrushStyle.NoBrush  # outline only
    assert divisions.name() == "divisions" and divisions.geometryType() == QgsWkbTypes.GeometryType.PolygonGeometry
    form.close()

    own = QgsFillSymbol.createSimple({"color": "31,120,180,90"})  # translucent: the user's own choice
    divisions.setRenderer(QgsSingleSymbolRenderer(own))
    assert not map_styles.style_division_layer(divisions)
    assert divisions.renderer().symbol().color().alpha() == 90
