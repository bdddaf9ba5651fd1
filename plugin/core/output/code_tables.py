"""Code tables: an atlas page where some coded building got no label has a code table after it, every code of
the page's division in columns, on as many pages as it takes (no building is without its code on paper).

Labels never overlap (QGIS drops a label rather than let it collide); which pages need a table is found by
placing the page's labels as the export will (code_table_divisions).
"""
from typing import TYPE_CHECKING, List

from qgis.core import (
    QgsExpression,
    QgsExpressionContextUtils,
    QgsFeature,
    QgsFeatureRequest,
    QgsLayoutMeasurement,
    QgsLayoutObject,
    QgsLayoutPoint,
    QgsLayoutSize,
    QgsProperty,
    QgsUnitTypes,
    QgsVectorLayer,
)

from ..engine.layers import qgs_field
from .layouts import add_label, text_value
from .map_styles import LABEL_SCALE_LIMIT, text_format

if TYPE_CHECKING:
    from .documents import MapDocument

CODE_TABLE_VARIABLE = "citycode_code_tables"  # the division codes whose page gets a code table
CODE_TABLE_TITLE = "[% @citycode_title %] — [% @atlas_pagename %]：编码表（图上未能全部注记）"
CODE_TABLE_NOTE = "图上未能全部注记，本乡镇（街道）编码见后附编码表"


def _code_rows(buildings, code_field, columns, project, divisions):
    """A table layer of the coded buildings' codes, `columns` per row in code order, rows by division (the
    division code the code starts with): a code table fills the page's width, not one narrow column."""
    layer = QgsVectorLayer("None", "code_rows", "memory")
    layer.dataProvider().addAttributes([qgs_field("division", "String")] +
                                       [qgs_field("c{}".format(i + 1), "String") for i in range(columns)])
    layer.updateFields()
    request = QgsFeatureRequest().setFlags(QgsFeatureRequest.Flag.NoGeometry)
    request.setSubsetOfAttributes([buildings.fields().lookupField(code_field)])
    codes = sorted({c for c in (text_value(f[code_field]) for f in buildings.getFeatures(request)) if c})
    lengths = sorted({len(d) for d in divisions}, reverse=True)
    rows, current, row = [], None, []
    for code in codes + [None]:
        division = next((code[:n] for n in lengths if code[:n] in divisions), None) if code else None
        if row and (division != current or len(row) == columns):
            feature = QgsFeature(layer.fields())
            feature.setAttributes([current] + row + [None] * (columns - len(row)))
            rows.append(feature)
            row = []
        current = division
        if division:
            row.append(code)
    layer.dataProvider().addFeatures(rows)
    project.addMapLayer(layer, False)
    return layer


def add_code_table(layout, buildings, code_field, family, division_field, project):
    """A page after the map page: the codes of the atlas page's division in a table across the page, continued
    on as many pages as it takes; the page is left out of the export when the division needs no table."""
    from qgis.core import (QgsLayoutFrame, QgsLayoutItemAttributeTable, QgsLayoutItemPage, QgsLayoutMultiFrame,
                           QgsLayoutTableColumn)

    first = layout.pageCollection().page(0)
    page = QgsLayoutItemPage(layout)
    page.setPageSize(first.pageSize())
    layout.pageCollection().addPage(page)
    size = first.pageSize()
    width, height = size.width(), size.height()
    margin = 12.0
    columns = 5 if width > height else 4
    title = add_label(layout, "code_table_title", CODE_TABLE_TITLE, (margin, margin, width - 2 * margin, 10), 12,
                      family, bold=True)
    title.attemptMove(QgsLayoutPoint(margin, margin, QgsUnitTypes.LayoutUnit.LayoutMillimeters), page=1)
    table = QgsLayoutItemAttributeTable.create(layout)
    request = QgsFeatureRequest().setFlags(QgsFeatureRequest.Flag.NoGeometry)
    divisions = {text_value(f[division_field]) for f in layout.atlas().coverageLayer().getFeatures(request)}
    table.setVectorLayer(_code_rows(buildings, code_field, columns, project, divisions - {""}))
    division = "attribute(@atlas_feature, '{}')".format(division_field.replace("'", "''"))
    needed = "array_contains(string_to_array(@{}, ','), {})".format(CODE_TABLE_VARIABLE, division)
    table.setFilterFeatures(True)
    table.setFeatureFilter("\"division\" = {} AND {}".format(division, needed))
    table.setMaximumNumberOfFeatures(1000000)
    table_columns = []
    for i in range(columns):
        column = QgsLayoutTableColumn("编码" if i == 0 else "")
        column.setAttribute("c{}".format(i + 1))
        column.setWidth((width - 2 * margin) / columns - 2.5)
        table_columns.append(column)
    table.setColumns(table_columns)
    table.setHeaderTextFormat(text_format(family, 8, True))
    table.setContentTextFormat(text_format(family, 8))
    table.setEmptyTableBehavior(QgsLayoutItemAttributeTable.EmptyTableMode.HideTable)
    table.setResizeMode(QgsLayoutMultiFrame.ResizeMode.RepeatUntilFinished)
    frame = QgsLayoutFrame(layout, table)
    frame.attemptResize(QgsLayoutSize(width - 2 * margin, height - 2 * margin - 14,
                                      QgsUnitTypes.LayoutUnit.LayoutMillimeters))
    frame.attemptMove(QgsLayoutPoint(margin, margin + 14, QgsUnitTypes.LayoutUnit.LayoutMillimeters), page=1)
    table.addFrame(frame)
    layout.addMultiFrame(table)
    QgsExpressionContextUtils.setLayoutVariable(layout, CODE_TABLE_VARIABLE, "")
    # the map page says so, in its map's lower left corner
    main = layout.itemById("map")
    note = add_label(layout, "code_table_note", CODE_TABLE_NOTE, (0, 0, 72, 5), 7.5, family, valign="middle")
    note.setBackgroundEnabled(True)
    note.setFrameEnabled(True)
    note.setFrameStrokeWidth(QgsLayoutMeasurement(0.2, QgsUnitTypes.LayoutUnit.LayoutMillimeters))
    corner = main.positionWithUnits()
    note.attemptMove(QgsLayoutPoint(corner.x() + 1.5, corner.y() + main.sizeWithUnits().height() - 6.5,
                                    QgsUnitTypes.LayoutUnit.LayoutMillimeters), page=0)
    note.dataDefinedProperties().setProperty(QgsLayoutObject.DataDefinedProperty.ExcludeFromExports,
                                             QgsProperty.fromExpression("NOT ({})".format(needed)))
    # an empty table still has its header (the frame is not "empty" to QGIS): the page is left out by rule
    page.dataDefinedProperties().setProperty(QgsLayoutObject.DataDefinedProperty.ExcludeFromExports,
                                             QgsProperty.fromExpression("NOT ({})".format(needed)))
    return table


def page_labels(map_item, dpi):
    """The labels QGIS places on a layout map item as it stands: its labelled layers rendered alone (the others
    are no obstacles to labels; leaving them out halves the time of this pass)."""
    from qgis.core import QgsLabelingEngineSettings, QgsMapRendererSequentialJob, QgsMapSettings
    from qgis.PyQt.QtCore import QSizeF

    size = map_item.sizeWithUnits()
    settings = map_item.mapSettings(map_item.extent(), QSizeF(size.width() / 25.4 * dpi,
                                                              size.height() / 25.4 * dpi), dpi, True)
    settings.setLayers([layer for layer in settings.layers()
                        if isinstance(layer, QgsVectorLayer) and layer.labelsEnabled()])
    # where labels go is all this pass needs: no antialiasing, label boxes instead of their text
    settings.setFlag(QgsMapSettings.Flag.Antialiasing, False)
    engine = settings.labelingEngineSettings()
    engine.setFlag(QgsLabelingEngineSettings.Flag.DrawLabelRectOnly, True)
    settings.setLabelingEngineSettings(engine)
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    return job.takeLabelingResults().allLabels()


def code_table_divisions(doc: "MapDocument", dpi: int) -> List[str]:
    """The atlas pages (division codes) where some coded building of the division got no label at the page's
    scale, placed as at `dpi` (the placement differs a little with the resolution); their code tables are
    switched on (the layout variable CODE_TABLE_VARIABLE)."""
    (code_field, division_field), layout, buildings = doc.table_fields, doc.layout, doc.layers["buildings"]
    atlas, main = layout.atlas(), layout.itemById("map")
    code_index = buildings.fields().lookupField(code_field)
    wanted = []
    atlas.beginRender()
    try:
        for i in range(atlas.count()):
            atlas.seekTo(i)
            feature = layout.reportContext().feature()
            division = text_value(feature[division_field])
            request = QgsFeatureRequest().setFilterExpression("left({}, {}) = {}".format(  # its codes start so
                '"{}"'.format(code_field.replace('"', '""')), len(division), QgsExpression.quotedValue(division)))
            request.setFlags(QgsFeatureRequest.Flag.NoGeometry).setSubsetOfAttributes([code_index])
            coded = {f.id() for f in buildings.getFeatures(request)}
            if not coded:
                continue
            if main.scale() > LABEL_SCALE_LIMIT:
                wanted.append(division)
                continue
            placed = {label.featureId for label in page_labels(main, dpi)
                      if label.layerID == buildings.id() and not label.isUnplaced}
            if coded - placed:
                wanted.append(division)
    finally:
        atlas.endRender()
    QgsExpressionContextUtils.setLayoutVariable(layout, CODE_TABLE_VARIABLE, ",".join(wanted))
    doc.code_tables, doc.label_dpi = wanted, dpi
    return wanted
