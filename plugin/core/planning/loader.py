"""Loading planning layers: into the project under "规划图层 / Planning" (sub-groups 三区三线 and 用地用海) with
the standard symbology, and finding the planning layers a project has.

- Vector layers get the QML style of their kind (resources/styles/); the 用地用海 style is pointed at the
  layer's own code field (the leading zero put back where an integer field lost it).
- Rasters get a paletted renderer made from their cell values: 用地用海 classes in the colours of the vector
  style with their names, 三区三线 masks in the kind's colour, translucent, 0 and nodata transparent.
No widgets here: the dialog (plugin/gui/planning_dialog.py) only shows and edits a plan made by recognition.py.
"""
import os
from typing import List, Optional, Sequence, Tuple

from qgis.core import (
    QgsCategorizedSymbolRenderer,
    QgsExpression,
    QgsLayerTreeGroup,
    QgsLayerTreeLayer,
    QgsMapLayer,
    QgsPalettedRasterRenderer,
    QgsProject,
    QgsRasterLayer,
    QgsSymbolLayerUtils,
    QgsVectorLayer,
    QgsWkbTypes,
)


from ..i18n import tr
from .recognition import PlanItem, layer_kind
from .sources import CELL_VALUES, layer_error, open_layer, source_key
from .standard import (
    DRAW_ORDER,
    HAND_GROUPS,
    KINDS,
    MASK_ALPHA,
    ROOT_GROUP,
    SQSX_COLOURS,
    SQSX_GROUP,
    SQSX_KINDS,
    YDYH,
    YDYH_GROUP,
    YDYH_STYLE_FIELD,
    kind_label,
    normalise_code,
    ydyh_classes,
)


def code_expression(field_name: str, padded: bool) -> str:
    """The renderer's class attribute for the user's code field (the leading zero put back if lost)."""
    if not padded:
        return field_name
    return "CASE WHEN length(to_string({0})) % 2 = 1 THEN '0' || to_string({0}) ELSE to_string({0}) END" \
        .format(QgsExpression.quotedColumnRef(field_name))


def raster_classes(item: PlanItem) -> List[Tuple[int, str, Tuple[int, int, int, int], str]]:
    """(cell value, 用地用海 code or "", RGBA, label) for each class of a raster planning layer: the 用地用海 classes
    its cells (or its attribute table) hold, in the colours of the vector style; a 三区三线 mask's non-zero
    values in the kind's colour. [] when there is nothing to classify (0 and nodata stay transparent)."""
    info = item.info
    if item.kind == YDYH and item.code_field:
        classes = {c.code: c for c in ydyh_classes()}
        if item.code_field == CELL_VALUES:
            pairs = [(v, normalise_code(v)) for v in info.cells]
        else:
            pairs = sorted((v, normalise_code(text)) for v, text in info.rat.get(item.code_field, {}).items())
        return [(v, code, classes[code].rgb + (255,), "{} {}".format(code, classes[code].name))
                for v, code in pairs if code in classes]
    if item.kind in SQSX_KINDS:
        values = [v for v in info.cells if v != 0] or [1]  # a mask of unknown cells: 1 marks the area
        label = kind_label(item.kind)
        return [(v, "", SQSX_COLOURS[item.kind] + (MASK_ALPHA,), label if len(values) == 1 else
                 "{} {}".format(label, v)) for v in values]
    return []


def _style_raster(layer: QgsRasterLayer, item: PlanItem) -> str:
    classes = raster_classes(item)
    if not classes:
        if item.kind == YDYH:
            return tr("{} has no cells with 用地用海 codes: it is shown as it is").format(layer.name())
        return ""
    renderer = QgsPalettedRasterRenderer(layer.dataProvider(), 1, [
        QgsPalettedRasterRenderer.Class(v, QgsSymbolLayerUtils.decodeColor("{},{},{},{}".format(*rgba)), label)
        for v, _, rgba, label in classes])
    layer.setRenderer(renderer)
    layer.triggerRepaint()
    return ""


def apply_style(layer: QgsMapLayer, item: PlanItem) -> str:
    """Load the kind's QML; for 用地用海 classify on the layer's own code field; a raster gets a paletted
    renderer of its classes (raster_classes). Returns a problem or ""."""
    if isinstance(layer, QgsRasterLayer):
        return _style_raster(layer, item)
    if item.style is None or not isinstance(layer, QgsVectorLayer):
        return ""
    message, ok = layer.loadNamedStyle(item.style)
    if not ok:
        return tr("Style {} could not be applied to {}: {}").format(os.path.basename(item.style), layer.name(),
                                                                    message)
    renderer = layer.renderer()
    if item.kind == YDYH and isinstance(renderer, QgsCategorizedSymbolRenderer):
        if item.code_field:
            renderer.setClassAttribute(code_expression(item.code_field, item.code_padded))
        elif layer.fields().lookupField(YDYH_STYLE_FIELD) < 0:
            return tr("{} has no field with 用地用海 codes: its features are not coloured").format(layer.name())
    layer.triggerRepaint()
    return ""


def _subgroup(parent, name: str, order: Sequence[str]):
    group = parent.findGroup(name)
    if group is not None:
        return group
    # keep the sub-groups in `order`, whatever order they are made in
    index = sum(1 for child in parent.children() if getattr(child, "name", lambda: None)() in
                order[:order.index(name)])
    return parent.insertGroup(index, name)


def load_plan(items: Sequence[PlanItem], project: Optional[QgsProject] = None) -> Tuple[List[QgsMapLayer], List[str]]:
    """Add the items marked `load` (with a kind) to the project, grouped and styled.
    Returns (the layers added, problems to tell the user)."""
    project = project or QgsProject.instance()
    chosen = sorted((i for i in items if i.load and i.kind in KINDS),
                    key=lambda i: (DRAW_ORDER.index(i.kind), i.info.layer_type == "raster"))
    if not chosen:
        return [], []
    root = project.layerTreeRoot()
    top = root.findGroup(ROOT_GROUP) or root.insertGroup(0, ROOT_GROUP)
    layers, problems = [], []
    for item in chosen:
        layer = open_layer(item.info)
        if not layer.isValid():
            problems.append(tr("{} could not be opened: {}").format(item.info.name, layer_error(layer)))
            continue
        problem = apply_style(layer, item)
        if problem:
            problems.append(problem)
        project.addMapLayer(layer, False)
        group = top if len(item.group) == 1 else _subgroup(top, item.group[1], (SQSX_GROUP, YDYH_GROUP))
        group.addLayer(layer)
        layers.append(layer)
    return layers, problems


# -- the planning layers of a project ------------------------------------------------------------------------
def project_planning_layers(project: Optional[QgsProject] = None, values=None,
                            exclude: Sequence[QgsMapLayer] = ()) -> List[QgsVectorLayer]:
    """The planning layers of a project: one rule for the code form, the batch dialog and the map exports.

    The polygon layers in the loader's group (ROOT_GROUP), in a group named 规划图层 or Planning or in the
    group named in the settings (at any depth), read from a planning source of the settings, or recognised as a
    三区三线 / 用地用海 layer wherever they are; in the order of the layer tree, `exclude` left out.
    values: the CityCode settings (None: the saved ones)."""
    from .. import settings as cc_settings
    project = project or QgsProject.instance()
    values = values or cc_settings.load()
    groups = {n.strip() for n in (ROOT_GROUP,) + HAND_GROUPS + (values.planning_group,) if n.strip()}
    sources = {source_key(s) for s in values.planning_sources}
    found: List[QgsVectorLayer] = []

    def walk(group, inside: bool):
        for child in group.children():
            if isinstance(child, QgsLayerTreeGroup):
                walk(child, inside or child.name().strip() in groups)
                continue
            layer = child.layer() if isinstance(child, QgsLayerTreeLayer) else None
            if not isinstance(layer, QgsVectorLayer) or layer in exclude or layer in found or \
                    layer.geometryType() != QgsWkbTypes.GeometryType.PolygonGeometry:
                continue
            if inside or source_key(layer.source()) in sources or layer_kind(layer) in KINDS:
                found.append(layer)
    walk(project.layerTreeRoot(), False)
    return found
