"""Review of a vintage update before it is applied: the changes on a map coloured per class, a list to accept or
reject each (or re-match a building to another old one), old and new side by side for the selected change;
Apply writes the layer and the registry together or not at all (vintage.update.commit, one transaction).

The top row chooses the layers (vintage.update.prepare classifies them); tests hand a prepared Session to show().
"""
import os

import numpy as np
from qgis.core import (
    Qgis,
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsFeatureRequest,
    QgsGeometry,
    QgsMapLayerProxyModel,
    QgsProject,
    QgsRectangle,
    QgsVectorLayer,
)
from qgis.gui import QgsFieldComboBox, QgsFileWidget, QgsMapCanvas, QgsMapLayerComboBox
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QColor
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core import settings as cc_settings
from ..core.vintage.change_map import class_renderer
from ..core.vintage.plan import (AMBIGUOUS, COLORS, DEFAULT_TOLERANCE, OUTSIDE, UNCHANGED, Session, VintageJob,
                                 class_label)
from ..core.vintage.update import commit, prepare
from ..core.engine.jobs import EngineError
from ..core.i18n import tr
from ..core.engine.layers import LayerInput, qgs_field

ACCEPT, REJECT = 0, 1


def _layer_input(layer):
    """A LayerInput for a project layer: its file when it is one, else the layer itself."""
    path, _, rest = layer.source().partition("|")
    name = rest.partition("layername=")[2].partition("|")[0] or None
    if layer.providerType() == "ogr" and os.path.isfile(path) and not layer.isModified() and not layer.subsetString():
        return LayerInput(path=path, layer=name, name=layer.name())
    return LayerInput(source=layer, name=layer.name())


class VintageReviewDialog(QDialog):
    def __init__(self, iface=None, parent=None):
        super().__init__(parent or (iface.mainWindow() if iface is not None else None))
        self.iface, self.session, self.result = iface, None, None
        self.groups = []
        self.setWindowTitle(tr("Review a vintage update"))
        self.resize(1280, 820)
        layout = QVBoxLayout(self)
        layout.addWidget(self._inputs())
        split = QSplitter(Qt.Orientation.Horizontal)
        self.canvas = self._canvas()
        split.addWidget(self.canvas)
        right = QWidget()
        side = QVBoxLayout(right)
        side.setContentsMargins(0, 0, 0, 0)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels([tr("Change"), tr("Decision"), tr("Area (m²)"), tr("New buildings"),
                                              tr("Old codes")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._selected)
        side.addWidget(self.table, 3)
        pair = QGridLayout()
        self.old_canvas, self.new_canvas = self._canvas(), self._canvas()
        pair.addWidget(QLabel(tr("Old")), 0, 0)
        pair.addWidget(QLabel(tr("New")), 0, 1)
        pair.addWidget(self.old_canvas, 1, 0)
        pair.addWidget(self.new_canvas, 1, 1)
        side.addLayout(pair, 2)
        rematch = QHBoxLayout()
        self.rematch_new, self.rematch_old = QComboBox(), QComboBox()
        self.rematch_button = QPushButton(tr("Re-match"))
        self.rematch_button.clicked.connect(self._rematch)
        rematch.addWidget(QLabel(tr("New building")))
        rematch.addWidget(self.rematch_new)
        rematch.addWidget(QLabel(tr("continues")))
        rematch.addWidget(self.rematch_old)
        rematch.addWidget(self.rematch_button)
        side.addLayout(rematch)
        split.addWidget(right)
        split.setSizes([560, 720])
        layout.addWidget(split, 1)
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.apply_button = self.buttons.addButton(tr("Apply"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.apply_button.setEnabled(False)
        self.apply_button.clicked.connect(self.apply)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.layers = {}

    # -- inputs ---------------------------------------------------------------------------------------------
    def _inputs(self):
        box = QWidget()
        form = QFormLayout(box)
        form.setContentsMargins(0, 0, 0, 0)
        polygons = QgsMapLayerProxyModel.Filter.PolygonLayer
        self.old_combo, self.new_combo, self.div_combo, self.area_combo = (QgsMapLayerComboBox() for _ in range(4))
        for combo in (self.old_combo, self.new_combo, self.div_combo, self.area_combo):
            combo.setFilters(polygons)
        self.area_combo.setAllowEmptyLayer(True)
        self.area_combo.setMinimumWidth(180)
        self.area_combo.setLayer(None)
        self.area_combo.setToolTip(tr("The polygons surveyed (empty: the survey's convex hull); buildings outside "
                                      "are left as they are"))
        self.code_field, self.id_field, self.div_field = QgsFieldComboBox(), QgsFieldComboBox(), QgsFieldComboBox()
        self.id_field.setAllowEmptyFieldName(True)
        for combo, fields in ((self.old_combo, self.code_field), (self.new_combo, self.id_field),
                              (self.div_combo, self.div_field)):
            combo.layerChanged.connect(fields.setLayer)
            fields.setLayer(combo.currentLayer())
        self.tolerance = QDoubleSpinBox()
        self.tolerance.setRange(0, 100)
        self.tolerance.setValue(DEFAULT_TOLERANCE)
        self.tolerance.setSuffix(" m")
        self.year = QSpinBox()
        self.year.setRange(1800, 2100)
        self.year.setValue(cc_settings.load().year)
        self.output = QgsFileWidget()
        self.output.setStorageMode(QgsFileWidget.StorageMode.SaveFile)
        self.output.setFilter(tr("GeoPackage (*.gpkg)"))
        self.match_button = QPushButton(tr("Match"))
        self.match_button.clicked.connect(self.match)
        row = QHBoxLayout()
        for widget in (self.old_combo, self.code_field, QLabel(tr("New survey")), self.new_combo, self.id_field):
            row.addWidget(widget)
        form.addRow(tr("Coded buildings (last year)"), row)
        row = QHBoxLayout()
        for widget in (self.div_combo, self.div_field, QLabel(tr("Tolerance")), self.tolerance,
                       QLabel(tr("Survey year")), self.year):
            row.addWidget(widget)
        form.addRow(tr("Divisions"), row)
        row = QHBoxLayout()
        row.addWidget(QLabel(tr("Surveyed area")))
        row.addWidget(self.area_combo)
        row.addWidget(self.output, 1)
        row.addWidget(self.match_button)
        form.addRow(tr("Output"), row)
        return box

    def job(self) -> VintageJob:
        old, new, div = self.old_combo.currentLayer(), self.new_combo.currentLayer(), self.div_combo.currentLayer()
        if old is None or new is None or div is None or not self.output.filePath():
            raise EngineError(tr("Choose the coded buildings, the new survey, the divisions and the output"))
        area = self.area_combo.currentLayer()
        return VintageJob(
            old=_layer_input(old), new=_layer_input(new), divisions=_layer_input(div), output=self.output.filePath(),
            area=_layer_input(area) if area is not None else None,
            code_field=self.code_field.currentField() or "citycode", id_field=self.id_field.currentField() or None,
            division_field=self.div_field.currentField() or "code", tolerance=self.tolerance.value(),
            year=self.year.value(), registry=cc_settings.load().registry_path,
            report=os.path.splitext(self.output.filePath())[0] + "_changes.html")

    def match(self):
        try:
            self.show_session(prepare(self.job()))
        except EngineError as e:
            self._say(str(e), False)

    # -- the changes ----------------------------------------------------------------------------------------
    @staticmethod
    def _canvas():
        canvas = QgsMapCanvas()
        canvas.setCanvasColor(QColor("#ffffff"))
        canvas.setMinimumSize(200, 160)
        return canvas

    def show_session(self, session: Session):
        """Show a classified job: its changes on the map and in the list."""
        self.session = session
        self.groups = session.plan.changes()
        self._build_layers()
        self._fill_table()
        self.apply_button.setEnabled(True)
        plan = session.plan
        ambiguous = np.union1d(plan.new_group[plan.new_class == AMBIGUOUS],
                               plan.old_group[plan.old_class == AMBIGUOUS])
        self._say(tr("{} changes to review ({} ambiguous); {} buildings unchanged").format(
            len(self.groups), len(ambiguous),
            int((plan.new_class == UNCHANGED).sum())))
        if self.groups:
            self.table.selectRow(0)

    def _build_layers(self):
        """Memory layers of the changed groups' old and new buildings, coloured by class."""
        s, g = self.session, self.session.geo.g
        crs = QgsCoordinateReferenceSystem.fromWkt(s.geo.work_crs or "")
        self.layers = {}
        for side, geoms, classes, groups in (("old", s.old_geoms, s.plan.old_class, s.plan.old_group),
                                             ("new", s.geo.geoms, s.plan.new_class, s.plan.new_group)):
            layer = QgsVectorLayer("Polygon", side, "memory")
            layer.setCrs(crs)
            layer.dataProvider().addAttributes([qgs_field("cc_change", "String"), qgs_field("grp", "Int"),
                                                qgs_field("idx", "Int")])
            layer.updateFields()
            idx = [i for i in range(len(geoms)) if classes[i] not in (UNCHANGED, OUTSIDE)
                   and geoms[i] is not None]
            wkb = g.to_wkb(geoms[idx]) if idx else []
            features = []
            for i, blob in zip(idx, wkb):
                f = QgsFeature(layer.fields())
                geom = QgsGeometry()
                geom.fromWkb(bytes(blob))
                f.setGeometry(geom)
                f.setAttributes([str(classes[i]), int(groups[i]), int(i)])
                features.append(f)
            layer.dataProvider().addFeatures(features)
            layer.updateExtents()
            layer.setRenderer(class_renderer(outline_only=side == "old"))
            self.layers[side] = layer
        self.canvas.setDestinationCrs(self.layers["new"].crs())
        self.background = self._background()
        self.canvas.setLayers([self.layers["old"], self.layers["new"]] + ([self.background] if self.background else []))
        extent = QgsRectangle(self.layers["new"].extent())
        extent.combineExtentWith(self.layers["old"].extent())
        self.canvas.setExtent(extent.buffered(max(extent.width(), extent.height()) * 0.02 or 10))
        self.canvas.refresh()
        for canvas, side in ((self.old_canvas, "old"), (self.new_canvas, "new")):
            canvas.setDestinationCrs(self.layers[side].crs())
            canvas.setLayers([self.layers[side]])

    def _background(self):
        """Last year's buildings around the changes, light grey (a clone: the user's layer keeps its style)."""
        from qgis.core import QgsFillSymbol, QgsSingleSymbolRenderer
        layer = self.old_combo.currentLayer()
        if layer is None:
            return None
        clone = layer.clone()
        clone.setRenderer(QgsSingleSymbolRenderer(QgsFillSymbol.createSimple(
            {"color": "#f5f5f5", "outline_color": "#9e9e9e", "outline_width": "0.1"})))
        return clone

    def _fill_table(self):
        plan, s = self.session.plan, self.session
        ids = s.new.column(s.job.id_field) if s.job.id_field else None
        self.table.setRowCount(len(self.groups))
        members = plan.members_of(self.groups)
        for row, group in enumerate(self.groups):
            new, old = members[group]
            cls = str(plan.new_class[new[0]] if len(new) else plan.old_class[old[0]])
            label = QTableWidgetItem(class_label(cls))
            label.setBackground(QColor(COLORS.get(cls, "#ffffff")))
            label.setData(Qt.ItemDataRole.UserRole, group)
            self.table.setItem(row, 0, label)
            decision = QComboBox()
            decision.addItems([tr("Accept"), tr("Reject")])
            self.table.setCellWidget(row, 1, decision)
            area = max(float(plan.new_area[new].sum()), float(plan.old_area[old].sum()))
            self.table.setItem(row, 2, QTableWidgetItem("{:,.0f}".format(area)))
            names = [str(ids[i]) if ids is not None else "#{}".format(i + 1) for i in new]
            self.table.setItem(row, 3, QTableWidgetItem(", ".join(names)))
            self.table.setItem(row, 4, QTableWidgetItem(", ".join(str(c) for c in s.old_codes[old])))
        self.table.resizeColumnsToContents()

    def decision(self, row: int) -> int:
        return self.table.cellWidget(row, 1).currentIndex()

    def set_decision(self, row: int, value: int) -> None:
        self.table.cellWidget(row, 1).setCurrentIndex(value)

    def _selected(self):
        rows = self.table.selectionModel().selectedRows()
        if not rows or self.session is None:
            return
        group = self.groups[rows[0].row()]
        plan, s = self.session.plan, self.session
        new, old = plan.members(group)
        box = QgsRectangle()
        request = QgsFeatureRequest().setFilterExpression('"grp" = {}'.format(int(group)))
        for side in ("old", "new"):
            for f in self.layers[side].getFeatures(request):
                if box.isNull():
                    box = QgsRectangle(f.geometry().boundingBox())
                else:
                    box.combineExtentWith(f.geometry().boundingBox())
        if not box.isNull():
            self.box = box.buffered(max(box.width(), box.height()) * 0.6 + 5)
            for canvas in (self.old_canvas, self.new_canvas):
                canvas.setExtent(self.box)
                canvas.refresh()
            self.canvas.setExtent(self.box.buffered(max(self.box.width(), self.box.height()) * 4))  # with context
            self.canvas.refresh()
        self.rematch_new.clear()
        ids = s.new.column(s.job.id_field) if s.job.id_field else None
        for i in new:
            self.rematch_new.addItem(str(ids[i]) if ids is not None else "#{}".format(i + 1), int(i))
        self.rematch_old.clear()
        self.rematch_old.addItem(tr("a new code"), -1)
        for j in old:
            self.rematch_old.addItem(str(s.old_codes[j]), int(j))
        self.rematch_button.setEnabled(len(new) > 0)

    def _rematch(self):
        new, old = self.rematch_new.currentData(), self.rematch_old.currentData()
        if new is None:
            return
        self.session.plan.rematch(int(new), int(old))
        self.show_session(self.session)

    # -- applying -------------------------------------------------------------------------------------------
    def apply(self):
        """Rejected changes left as they were, the rest applied: layer and registry in one transaction."""
        plan = self.session.plan
        for row, group in enumerate(self.groups):
            if self.decision(row) == REJECT:
                plan.reject(group)
        try:
            self.result = commit(self.session)
        except EngineError as e:
            self._say(tr("Nothing was changed: {}").format(e), False)
            return None
        self.apply_button.setEnabled(False)
        totals = self.result.summary["totals"]
        self._say(tr("Applied: {}. Registry: {}").format(
            ", ".join("{} {}".format(v, class_label(k)) for k, v in totals.items()),
            self.result.registry))
        if self.iface is not None:
            layer = QgsVectorLayer("{}|layername={}".format(self.result.output, self.result.output_layer),
                                   self.result.output_layer, "ogr")
            layer.setRenderer(class_renderer())
            QgsProject.instance().addMapLayer(layer)
            self.iface.messageBar().pushMessage("CityCode", self.status.text(), Qgis.MessageLevel.Success, 8)
        return self.result

    def _say(self, text, ok=True):
        self.status.setText(text)
        self.status.setStyleSheet("" if ok else "color: #b00020")


def open_vintage_review(iface):
    dialog = VintageReviewDialog(iface)
    dialog.show()
    return dialog
