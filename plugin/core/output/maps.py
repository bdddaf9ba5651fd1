"""Coded maps: print layouts (single map, atlas per division) and code cards with a QR code, made and exported
headless.

- A layout comes from a template (layouts.py) and is bound to clones of the user's layers in a private
  QgsProject (the user's styles and project are never touched), drawn as map_styles.py says.
- The map gets a round scale (NICE_SCALES); an atlas has a page per division, followed by a code table where
  some code could not be labelled (code_tables.py); cards are an atlas of their own (code_cards.py).
- Export: one PDF of all pages, or PNG files (one per atlas page or card).
"""
import os
import tempfile
import time
from typing import List, Optional, Sequence

from qgis.core import (
    QgsExpressionContextUtils,
    QgsLayoutExporter,
    QgsLayoutItemLegend,
    QgsLayoutItemMap,
    QgsLegendRenderer,
    QgsLegendStyle,
    QgsProject,
)

from ..i18n import tr
from ..planning.recognition import NAME_PATTERNS
from ..planning.standard import DRAW_ORDER
from .code_cards import card_rows, cards_layer
from .code_tables import add_code_table, code_table_divisions
from .documents import MapDocument, MapInputs
from .layouts import CARD_TEMPLATE, DEFAULT_ISSUER, TEMPLATES, MapError, load_template, template_file
from .map_styles import (
    CJK_FONTS,
    cjk_font_family,
    style_buildings,
    style_divisions,
    style_planning,
)

# Default until CityCodeSettings has it (as DEFAULT_ISSUER).
DEFAULT_QR_URL = ""  # e.g. "https://example.gov.cn/code/{code}"; "" = the QR holds the code alone

MODES = ("single", "atlas", "cards")
FORMATS = ("pdf", "png")
# Code cards: more than this many pages (A5, one per card) only when asked for (allow_many).
CARD_PAGE_LIMIT = 200
# Scales a map may take (a printed map gets a round scale): the single map rounds up to one, atlas pages and
# cards take the largest one at which their feature fits.
NICE_SCALES = (500, 1000, 2000, 2500, 5000, 7500, 10000, 12500, 15000, 20000, 25000, 30000, 35000, 40000,
               50000, 75000, 100000, 150000, 200000, 250000, 500000, 1000000, 2000000, 5000000)


# -- binding a layout to the data ------------------------------------------------------------------------
def _extent_in(layer, crs, project):
    from qgis.core import QgsCoordinateTransform

    rect = layer.extent()
    if layer.crs().isValid() and crs.isValid() and layer.crs() != crs:
        rect = QgsCoordinateTransform(layer.crs(), crs, project).transformBoundingBox(rect)
    return rect


def _buffered(rect, share):
    return rect.buffered(max(rect.width(), rect.height(), 1.0) * share)


def _clone(layer, project):
    if layer is None:
        return None
    copy = layer.clone()
    project.addMapLayer(copy, False)
    return copy


def build_map(inputs: MapInputs, mode: str = "single", template: str = "", title: str = "",
              issuer: str = DEFAULT_ISSUER, qr_url: str = DEFAULT_QR_URL, codes: Optional[Sequence[str]] = None,
              qr_folder: str = "", division: str = "", allow_many: bool = False, dpi: int = 150) -> MapDocument:
    """A layout for `mode` ("single", "atlas" per division, "cards"), bound to the inputs.

    template: a name of TEMPLATES or a .qpt path ("" = "A4 landscape"; cards use code_card.qpt unless
    a .qpt path is given). codes: the codes to make cards for (None = every coded feature). division: cards
    only for the features of this division (its code). More than CARD_PAGE_LIMIT cards (an A5 page each) are
    refused unless allow_many. qr_folder: where the cards' QR SVG files go ("" = a new temporary folder); the
    layout refers to them by path. dpi: the resolution the export will have (labels are placed as at it).
    """
    if mode not in MODES:
        raise MapError(tr("Unknown map mode: {}").format(mode))
    buildings = inputs.buildings
    if buildings is None or not buildings.isValid():
        raise MapError(tr("The buildings layer is not valid"))
    if buildings.fields().lookupField(inputs.code_field) < 0:
        raise MapError(tr("The buildings layer has no code field '{}': run Assign codes first").format(
            inputs.code_field))
    if mode == "atlas" and inputs.divisions is None:
        raise MapError(tr("An atlas per division needs the division layer"))
    family = cjk_font_family()
    warnings = [] if family else [tr("No Chinese font found ({}): Chinese text may print as boxes; install "
                                     "one, e.g. fonts-noto-cjk").format(", ".join(CJK_FONTS[:4]))]
    family = family or CJK_FONTS[0]

    project = QgsProject()
    crs = buildings.crs()
    project.setCrs(crs)
    layers = {"buildings": _clone(buildings, project)}
    style_buildings(layers["buildings"], inputs.code_field, family)
    if inputs.divisions is not None:
        layers["divisions"] = _clone(inputs.divisions, project)
        if layers["divisions"].fields().lookupField(inputs.division_field) < 0:
            raise MapError(tr("The division layer has no field named '{}'").format(inputs.division_field))
        name_field = inputs.name_field(layers["divisions"])
        style_divisions(layers["divisions"], name_field, family, mode == "atlas", mode != "cards")
    plan_layers = []
    for layer in inputs.planning:
        copy = _clone(layer, project)
        problem = style_planning(copy)
        if problem:
            warnings.append(problem)
        plan_layers.append(copy)
    order = {n: i for i, n in enumerate(NAME_PATTERNS[k][0] for k in DRAW_ORDER if k in NAME_PATTERNS)}
    plan_layers.sort(key=lambda lyr: order.get(lyr.name(), len(order)))

    if template and template.lower().endswith(".qpt"):
        path = template
    else:
        path = template_file(CARD_TEMPLATE if mode == "cards" else (template or TEMPLATES[0]))
    layout = load_template(path, project)
    doc = MapDocument(layout, project, mode, layers, warnings)

    if mode == "cards":
        rows = card_rows(inputs, layers, plan_layers, codes, warnings, division)
        if len(rows) > CARD_PAGE_LIMIT and not allow_many:
            raise MapError(tr("{:,} code cards would print {:,} pages (one A5 page each): choose features, codes or "
                              "a division, or confirm that you want them all").format(len(rows), len(rows)))
        layers["cards"] = cards_layer(rows, crs, qr_folder or tempfile.mkdtemp(prefix="citycode_qr_"), qr_url)
        project.addMapLayer(layers["cards"], False)
    on_map = ([layers["cards"]] if "cards" in layers else []) + \
        [layers[r] for r in ("divisions", "buildings") if r in layers] + plan_layers

    default_title = "城市编码卡" if mode == "cards" else "城市编码图"
    for name, value in (("citycode_title", title or default_title), ("citycode_issuer", issuer or ""),
                        ("citycode_crs", "{} ({})".format(crs.description(), crs.authid()))):
        QgsExpressionContextUtils.setLayoutVariable(layout, name, value)
    layout.setName(title or default_title)

    main = layout.itemById("map")
    main.setCrs(crs)
    main.setLayers(on_map)
    main.setKeepLayerSet(True)
    extent_layer = layers.get("divisions", layers["buildings"])
    full = _buffered(_extent_in(extent_layer, crs, project), 0.02)
    main.zoomToExtent(full)
    main.setScale(next((s for s in NICE_SCALES if s >= main.scale()), main.scale()))
    layout.renderContext().setPredefinedScales(list(NICE_SCALES))
    overview = layout.itemById("overview")
    if isinstance(overview, QgsLayoutItemMap):
        overview.setCrs(crs)
        overview.setLayers([extent_layer])
        overview.setKeepLayerSet(True)
        overview.zoomToExtent(_buffered(main.extent(), 0.15))
    legend = layout.itemById("legend")
    if isinstance(legend, QgsLayoutItemLegend):
        legend.setAutoUpdateModel(False)
        root = legend.model().rootGroup()
        root.removeAllChildren()
        for role in ("buildings", "divisions"):
            if role in layers:  # their rules say what they are: no layer title above them
                QgsLegendRenderer.setNodeLegendStyle(root.addLayer(layers[role]), QgsLegendStyle.Style.Hidden)
        for layer in plan_layers:
            root.addLayer(layer)
        legend.setLinkedMap(main)
        legend.setLegendFilterByMapEnabled(True)  # only what the page shows (用地用海 has ~100 classes)
        legend.updateLegend()

    if mode != "single":
        coverage = layers["cards"] if mode == "cards" else layers["divisions"]
        atlas = layout.atlas()
        atlas.setCoverageLayer(coverage)
        atlas.setHideCoverage(False)
        key = "card_code" if mode == "cards" else inputs.division_field
        page_name = "card_code" if mode == "cards" else name_field
        atlas.setPageNameExpression('"{}"'.format(page_name.replace('"', '""')))
        atlas.setSortFeatures(True)
        atlas.setSortExpression('"{}"'.format(key.replace('"', '""')))
        doc.key = key
        atlas.setEnabled(True)
        main.setAtlasDriven(True)
        main.setAtlasScalingMode(QgsLayoutItemMap.AtlasScalingMode.Predefined)
        main.setAtlasMargin(1.5 if mode == "cards" else 0.06)
        atlas.updateFeatures()
        if atlas.count() == 0:
            raise MapError(tr("Nothing to put on the pages: the atlas has no features"))
        doc.map_pages = layout.pageCollection().pageCount()
        if mode == "atlas":
            add_code_table(layout, layers["buildings"], inputs.code_field, family, inputs.division_field, project)
            doc.table_fields = (inputs.code_field, inputs.division_field)
            code_table_divisions(doc, dpi)
    return doc


# -- export -----------------------------------------------------------------------------------------------
def export(doc: MapDocument, path: str, fmt: str = "pdf", dpi: int = 150, feedback=None) -> List[str]:
    """Write the document: one PDF (all pages) or PNG files (atlas/cards: <stem>_<code>.png beside `path`).
    Returns the files written."""
    fmt = fmt.lower()
    if fmt not in FORMATS:
        raise MapError(tr("Unknown output format: {}").format(fmt))
    if doc.table_fields and doc.label_dpi != dpi:  # labels fall a little differently at another resolution
        code_table_divisions(doc, dpi)
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    stem = os.path.splitext(os.path.basename(path))[0]
    exporter = QgsLayoutExporter(doc.layout)
    error = ""
    if fmt == "pdf":
        settings = QgsLayoutExporter.PdfExportSettings()
        settings.dpi = dpi
        settings.rasterizeWholeImage = False
        settings.simplifyGeometries = True
        settings.appendGeoreference = True
        # Map labels stay outlines (the default): as text, Qt 5's PDF writer maps some glyphs of the same
        # font to no character, so codes would copy and search wrongly; the layout's own labels are text.
        if doc.mode == "single":
            result = exporter.exportToPdf(path, settings)
        else:
            result, error = QgsLayoutExporter.exportToPdf(doc.layout.atlas(), path, settings, feedback)
        files = [path]
    else:
        settings = QgsLayoutExporter.ImageExportSettings()
        settings.dpi = dpi
        started = time.time() - 1
        if doc.mode == "single":
            result = exporter.exportToImage(path, settings)
            files = [path]
        else:
            atlas = doc.layout.atlas()
            atlas.setFilenameExpression("'{}_' || \"{}\"".format(stem.replace("'", "''"), doc.key.replace('"', '""')))
            result, error = QgsLayoutExporter.exportToImage(atlas, os.path.join(folder, stem), "png", settings,
                                                            feedback)
            files = sorted(os.path.join(folder, n) for n in os.listdir(folder)
                           if n.startswith(stem + "_") and n.endswith(".png")
                           and os.path.getmtime(os.path.join(folder, n)) >= started)
    if result == QgsLayoutExporter.ExportResult.Canceled:
        raise MapError(tr("Canceled"))
    if result != QgsLayoutExporter.ExportResult.Success:
        raise MapError(tr("The map could not be written to {}: {}").format(path, error or exporter.errorFile()
                                                                            or result))
    return files
