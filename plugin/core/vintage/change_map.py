"""The change map: the survey's buildings coloured by change class, through the map export."""
from typing import List

from ..i18n import tr
from .plan import COLORS, class_label
from .update import VintageResult


def class_renderer(field_name: str = "cc_change", outline_only: bool = False):
    """A categorized renderer colouring features by change class (outline_only: the old buildings, dashed)."""
    from qgis.core import QgsCategorizedSymbolRenderer, QgsFillSymbol, QgsRendererCategory
    categories = []
    for name, color in COLORS.items():
        props = {"color": "0,0,0,0", "outline_color": color, "outline_width": "0.5", "outline_style": "dash"} \
            if outline_only else {"color": color, "outline_color": "#424242", "outline_width": "0.1"}
        categories.append(QgsRendererCategory(name, QgsFillSymbol.createSimple(props), class_label(name)))
    return QgsCategorizedSymbolRenderer(field_name, categories)


def change_map(result: VintageResult, path: str, divisions=None, division_field: str = "code", fmt: str = "pdf",
               title: str = "") -> List[str]:
    """The change map through the map export (maps.build_map): this year's buildings coloured by change class,
    with the divisions; PDF or PNG. Returns the files written."""
    from qgis.core import QgsVectorLayer
    from ..output import maps
    layer = QgsVectorLayer("{}|layername={}".format(result.output, result.output_layer), result.output_layer, "ogr")
    doc = maps.build_map(maps.MapInputs(buildings=layer, divisions=divisions, division_field=division_field,
                                        code_field=result.code_field),
                         title=title or tr("Changes of the {} survey").format(result.summary["year"]))
    doc.layers["buildings"].setRenderer(class_renderer())
    legend = doc.layout.itemById("legend")
    if legend is not None:  # the classes in the legend (build_map hides the buildings' own rules)
        from qgis.core import QgsLegendRenderer, QgsLegendStyle
        node = legend.model().rootGroup().findLayer(doc.layers["buildings"])
        if node is not None:
            QgsLegendRenderer.setNodeLegendStyle(node, QgsLegendStyle.Style.Subgroup)
            node.setName(tr("Change"))
        legend.updateLegend()
    return maps.export(doc, path, fmt)
