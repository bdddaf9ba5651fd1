#!/usr/bin/env python3
"""Write the planning layer styles of resources/styles/ with the QGIS API, so they can be made again.

- ydyh.qml: a categorized renderer on YDYHFLDM, one category per class of ydyh_classes.csv (all three levels,
  so data coded at any level is coloured), filled with the class colour, thin darker outline.
- stbhhx.qml / yjjbnt.qml / czkfbj.qml: the usual 三区三线 map symbols (see resources/styles/README.md).

Run from the plugin root with the venv (QGIS bindings): .venv/bin/python scripts/make_styles.py
"""
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_HASH_SEED", "0")  # XML attributes in the same order on every run: diffs show real changes

from qgis.core import (  # noqa: E402
    QgsApplication,
    QgsCategorizedSymbolRenderer,
    QgsFillSymbol,
    QgsLinePatternFillSymbolLayer,
    QgsRendererCategory,
    QgsSimpleFillSymbolLayer,
    QgsSimpleLineSymbolLayer,
    QgsSingleSymbolRenderer,
    QgsUnitTypes,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import Qt  # noqa: E402
from qgis.PyQt.QtGui import QColor  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STYLES = os.path.join(ROOT, "resources", "styles")
sys.path.insert(0, ROOT)  # the plugin code as the package `plugin`


def _memory_layer(fields=""):
    return QgsVectorLayer("Polygon?crs=EPSG:4527" + fields, "style", "memory")


def _outline(color, width_mm, pen=Qt.PenStyle.SolidLine):
    line = QgsSimpleLineSymbolLayer(QColor(*color), width_mm, pen)
    line.setWidthUnit(QgsUnitTypes.RenderUnit.RenderMillimeters)
    return line


def _hatch(color, angle, distance_mm, width_mm=0.25):
    # from properties: building one with setSubSymbol() crashes QGIS 3.22 when it is written out
    return QgsLinePatternFillSymbolLayer.create({
        "angle": str(angle), "distance": str(distance_mm), "distance_unit": "MM",
        "color": "{},{},{},255".format(*color), "line_width": str(width_mm), "line_width_unit": "MM"})


def _fill(rgba):
    fill = QgsSimpleFillSymbolLayer(QColor(*rgba))
    fill.setStrokeStyle(Qt.PenStyle.NoPen)
    return fill


def _symbol(*layers):
    """A fill symbol of these layers, bottom first (appendSymbolLayer hands them over to QGIS; the list
    constructor of QGIS 3.22 does not, and Python would delete them under it)."""
    symbol = QgsFillSymbol.createSimple({})
    for layer in layers:
        symbol.appendSymbolLayer(layer)
    symbol.deleteSymbolLayer(0)
    return symbol


def sqsx_symbols():
    """生态保护红线: green with green hatching and a red outline; 永久基本农田: yellow with a brown-yellow cross
    hatch and outline; 城镇开发边界: no fill, a purple dashed line. The outlines are in the kinds' colours
    (standard.SQSX_COLOURS), which mask rasters are drawn in too."""
    from plugin.core.planning.standard import SQSX_COLOURS
    red, farmland, boundary = (SQSX_COLOURS[k] for k in ("stbhhx", "yjjbnt", "czkfbj"))
    return {
        "stbhhx": _symbol(_fill((120, 200, 120, 110)), _hatch((40, 140, 60), 45, 2.0), _outline(red, 0.6)),
        "yjjbnt": _symbol(_fill((255, 230, 110, 150)), _hatch(farmland, 0, 2.0, 0.2),
                          _hatch(farmland, 90, 2.0, 0.2), _outline(farmland, 0.4)),
        "czkfbj": _symbol(_outline(boundary, 0.8, Qt.PenStyle.DashLine)),
    }


def ydyh_renderer(classes, field="YDYHFLDM"):
    categories = []
    for c in classes:
        color = QColor(*c.rgb)
        symbol = _symbol(QgsSimpleFillSymbolLayer(color, Qt.BrushStyle.SolidPattern, color.darker(140),
                                                  Qt.PenStyle.SolidLine, 0.1))
        categories.append(QgsRendererCategory(c.code, symbol, "{} {}".format(c.code, c.name)))
    return QgsCategorizedSymbolRenderer(field, categories)


def save(layer, name):
    path = os.path.join(STYLES, name)
    message, ok = layer.saveNamedStyle(path)
    if not ok:
        raise SystemExit("could not write {}: {}".format(path, message))
    print("wrote", os.path.relpath(path, ROOT))


def main():
    # without the prefix path QGIS 3.22 has no symbol layer registry and crashes writing pattern fills
    QgsApplication.setPrefixPath(os.environ.get("QGIS_PREFIX_PATH", "/usr"), True)
    app = QgsApplication([], False)
    app.initQgis()
    from plugin.core.planning.standard import YDYH_STYLE_FIELD, ydyh_classes

    for kind, symbol in sqsx_symbols().items():
        layer = _memory_layer()
        layer.setRenderer(QgsSingleSymbolRenderer(symbol))
        save(layer, kind + ".qml")
    layer = _memory_layer("&field={}:string(10)".format(YDYH_STYLE_FIELD))
    layer.setRenderer(ydyh_renderer(ydyh_classes(), YDYH_STYLE_FIELD))
    save(layer, "ydyh.qml")
    app.exitQgis()


if __name__ == "__main__":
    main()
