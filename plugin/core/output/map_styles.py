"""How coded maps draw their layers: fonts, the coded buildings and their code labels, division outlines, the
planning layers in the shipped styles.

- Fonts: templates name Noto Sans CJK SC; a CJK family missing on this system is replaced by the first
  installed of CJK_FONTS (Qt alone would fall back to a default font, which on Windows may lack Chinese glyphs
  and print boxes).
- The layers drawn are clones of the user's layers (maps.py): coded buildings labelled with their codes (halo,
  never overlapping), the planning layers with the shipped QML styles (plugin/core/planning/loader.py),
  division boundaries.
- Labels: the full code at large scales (<= 1:FULL_CODE_SCALE); smaller, the code without its 9-digit
  division prefix (the division is the page title of an atlas page and the outline around the block), so
  a label is still unique in its division but 9 characters shorter; beyond 1:LABEL_SCALE_LIMIT no labels
  (a 20 m building is under 1.5 mm there, a code label could not be told apart from its neighbours').
  Their size is chosen per scale (CODE_LABEL_SIZES, points on paper, never under MIN_LABEL_PT); labels never
  overlap (QGIS drops a label rather than let it collide): code_tables.py lists what got no label.
- Divisions are outlines with their names, never filled: the planning layers under them stay visible; the
  division layer of the user's project gets the same style when the form uses it and QGIS's opaque random
  fill would hide the planning layers (style_division_layer).
"""
from qgis.core import (
    QgsFillSymbol,
    QgsFontUtils,
    QgsPalLayerSettings,
    QgsProperty,
    QgsRuleBasedRenderer,
    QgsSymbolLayerUtils,
    QgsTextBufferSettings,
    QgsTextFormat,
    QgsUnitTypes,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
)
from qgis.PyQt.QtCore import Qt

from ..codes.profiles import load_profile
from ..definitions import CODE_FIELD
from ..planning.loader import apply_style
from ..planning.recognition import NAME_PATTERNS, recognise
from ..planning.sources import describe_layer, own_name

CJK_FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "SimHei", "PingFang SC",
             "WenQuanYi Micro Hei")
FULL_CODE_SCALE = 2500
LABEL_SCALE_LIMIT = 25000
MIN_LABEL_PT = 6.0  # smallest print a code may have on paper
# Code label size on paper (points) up to a map scale; larger scales have room for larger labels.
CODE_LABEL_SIZES = ((FULL_CODE_SCALE, 8.0), (10000, 7.0), (LABEL_SCALE_LIMIT, 6.5))
# Division prefix length of the shipped profiles (both start with the 9-digit township code).
DIVISION_DIGITS = load_profile("building").segment("division").length
NAME_FIELDS = ("name", "NAME", "mc", "MC", "名称", "XZQMC", "xzqmc")


# -- fonts -------------------------------------------------------------------------------------------------
def font_installed(family: str) -> bool:
    # fontFamilyOnSystem says True for any name (Qt substitutes a default); the match check does not
    return bool(QgsFontUtils.fontFamilyMatchOnSystem(family)[0])


def cjk_font_family() -> str:
    """The first CJK family of CJK_FONTS installed here ("" when none is)."""
    return next((family for family in CJK_FONTS if font_installed(family)), "")


def font(family: str, size: float, bold: bool = False):
    qfont = QgsTextFormat().font()  # a QFont without importing QtGui into the core
    qfont.setFamily(family)
    qfont.setPointSizeF(size)
    qfont.setBold(bold)
    return qfont


def text_format(family: str, size: float, bold: bool = False, halo_mm: float = 0.0, color: str = "#000000"):
    fmt = QgsTextFormat()
    fmt.setFont(font(family, size, bold))
    fmt.setSize(size)
    fmt.setSizeUnit(QgsUnitTypes.RenderUnit.RenderPoints)
    fmt.setColor(QgsSymbolLayerUtils.decodeColor(color))
    if halo_mm:
        halo = QgsTextBufferSettings()
        halo.setEnabled(True)
        halo.setSize(halo_mm)
        halo.setSizeUnit(QgsUnitTypes.RenderUnit.RenderMillimeters)
        halo.setColor(QgsSymbolLayerUtils.decodeColor("#ffffff"))
        fmt.setBuffer(halo)
    return fmt


# -- the layers ----------------------------------------------------------------------------------------------
def guess_name_field(layer: QgsVectorLayer, code_field: str) -> str:
    """The field naming a division layer's divisions: the first of NAME_FIELDS it has (other than its code
    field), else its code field ("" when it has neither)."""
    names = layer.fields().names()
    return next((n for n in NAME_FIELDS if n in names and n != code_field), code_field if code_field in names else "")


def rule_renderer(rules):
    """A rule-based renderer from (legend label, filter expression or "ELSE", symbol)."""
    root = QgsRuleBasedRenderer.Rule(None)
    for label, expression, symbol in rules:
        rule = QgsRuleBasedRenderer.Rule(symbol, 0, 0, "" if expression == "ELSE" else expression, label)
        if expression == "ELSE":
            rule.setIsElse(True)  # only then: QGIS 3.22's setIsElse(False) turns the filter into "ELSE"
        root.appendChild(rule)
    return QgsRuleBasedRenderer(root)


def outline(color, width, style="solid"):
    return QgsFillSymbol.createSimple({"style": "no", "outline_color": color, "outline_width": str(width),
                                       "outline_width_unit": "MM", "outline_style": style})


def _labeling(layer, expression, family, size, bold, halo, priority, max_scale=0, placement=None,
              size_expression=""):
    settings = QgsPalLayerSettings()
    settings.fieldName = expression
    settings.isExpression = True
    settings.setFormat(text_format(family, size, bold, halo, "#202020"))
    settings.placement = QgsPalLayerSettings.Placement.OverPoint if placement is None else placement
    settings.centroidInside = True
    settings.priority = priority
    settings.obstacleSettings().setIsObstacle(False)  # labels may cover other buildings, never each other
    settings.displayAll = False  # a label that would collide is dropped (the code table lists it)
    if size_expression:
        settings.dataDefinedProperties().setProperty(QgsPalLayerSettings.Property.Size,
                                                     QgsProperty.fromExpression(size_expression))
    if max_scale:
        settings.scaleVisibility = True
        settings.minimumScale = max_scale  # hidden when zoomed out beyond 1:max_scale
    layer.setLabeling(QgsVectorLayerSimpleLabeling(settings))
    layer.setLabelsEnabled(True)


def code_label_size(scale: float) -> float:
    """The code label's size in points on paper at 1:`scale` (0 beyond LABEL_SCALE_LIMIT: no labels)."""
    return next((size for limit, size in CODE_LABEL_SIZES if scale <= limit), 0.0)


CODE_LABEL_SIZE_EXPRESSION = "CASE {} ELSE {} END".format(
    " ".join("WHEN @map_scale <= {} THEN {}".format(limit, size) for limit, size in CODE_LABEL_SIZES),
    CODE_LABEL_SIZES[-1][1])


def code_label_expression(code_field: str = CODE_FIELD) -> str:
    """Full code at large scales, else without its division prefix (see the module docstring)."""
    ref = '"{}"'.format(code_field.replace('"', '""'))
    return ("CASE WHEN @map_scale <= {full} OR length({ref}) <= {n} THEN {ref} "
            "ELSE substr({ref}, {start}) END").format(full=FULL_CODE_SCALE, ref=ref, n=DIVISION_DIGITS,
                                                     start=DIVISION_DIGITS + 1)


def style_buildings(layer, code_field, family):
    ref = '"{}"'.format(code_field.replace('"', '""'))
    coded = QgsFillSymbol.createSimple({"color": "#f5c67a", "outline_color": "#8c5a2b", "outline_width": "0.15",
                                        "outline_width_unit": "MM"})
    uncoded = QgsFillSymbol.createSimple({"color": "#d9d9d9", "outline_color": "#7f7f7f", "outline_width": "0.15",
                                          "outline_width_unit": "MM", "outline_style": "dash"})
    layer.setRenderer(rule_renderer([("已赋码建筑/项目", "coalesce({}, '') <> ''".format(ref), coded),
                                     ("未赋码", "ELSE", uncoded)]))
    _labeling(layer, code_label_expression(code_field), family, CODE_LABEL_SIZES[-1][1], False, 0.6, 5,
              LABEL_SCALE_LIMIT, QgsPalLayerSettings.Placement.AroundPoint, CODE_LABEL_SIZE_EXPRESSION)
    layer.setName("建筑物/项目")


def style_divisions(layer, name_field, family, atlas, labelled=True, rename=True):
    if atlas:  # outlines only: no fill over the planning layers and the neighbours' buildings
        layer.setRenderer(rule_renderer([("本乡镇（街道）", "$id = @atlas_featureid", outline("#1f4e9c", 0.9)),
                                         ("其他乡镇（街道）", "ELSE", outline("#6a3d9a", 0.45, "dash dot"))]))
    else:
        layer.setRenderer(rule_renderer([("乡镇（街道）界线", "ELSE", outline("#6a3d9a", 0.45, "dash dot"))]))
    if labelled:  # not on cards: the card says the division, the small map shows the code
        _labeling(layer, '"{}"'.format(name_field.replace('"', '""')), family, 9, True, 0.8, 9)
    if rename:  # the map's clone, named for its legend
        layer.setName("乡镇（街道）")


def hides_what_is_under(layer) -> bool:
    """True for a polygon layer drawn as QGIS draws a new one: one symbol, an opaque solid fill (a random
    colour), which covers the planning layers under it."""
    from qgis.core import QgsSimpleFillSymbolLayer, QgsSingleSymbolRenderer

    renderer = layer.renderer() if isinstance(layer, QgsVectorLayer) else None
    if not isinstance(renderer, QgsSingleSymbolRenderer) or not isinstance(renderer.symbol(), QgsFillSymbol):
        return False
    symbol = renderer.symbol()
    return symbol.opacity() == 1 and any(
        isinstance(sl, QgsSimpleFillSymbolLayer) and sl.brushStyle() == Qt.BrushStyle.SolidPattern
        and sl.fillColor().alpha() == 255 for sl in symbol.symbolLayers())


def style_division_layer(layer, code_field: str = "code") -> bool:
    """Draw a division layer of the user's project as the maps do, outlines with names, when its fill hides
    the planning layers (hides_what_is_under); a style of the user's own is kept. Returns whether it changed."""
    if not hides_what_is_under(layer):
        return False
    name_field = guess_name_field(layer, code_field)
    style_divisions(layer, name_field, cjk_font_family() or CJK_FONTS[0], atlas=False, labelled=bool(name_field),
                    rename=False)
    layer.triggerRepaint()
    return True


def style_planning(layer) -> str:
    """The shipped style of the layer's planning kind, recognised whatever its source string says; the layer is
    named after its kind (its Chinese name, e.g. 生态保护红线), else by its own name (never the file's: a layer
    qgis_process read from town.gpkg|layername=x is x). Returns a problem."""
    item = recognise(describe_layer(layer))
    layer.setName(NAME_PATTERNS[item.kind][0] if item.kind in NAME_PATTERNS else own_name(layer))
    return apply_style(layer, item)
