"""The code form (赋码): one building or project, its division, overlaps, code, linked codes and history.

A thin layer over core.feature_coding: the form shows what `analyse` / `check_links` / the registry say
and hands Assign, Retire, Split and Merge to the layer's FeatureCoder, which changes the layer and the
registry together or not at all.
"""
import datetime
from html import escape
from typing import Dict, Optional

from qgis.core import Qgis, QgsMapLayerProxyModel, QgsProject, QgsVectorLayer
from qgis.gui import QgsFieldComboBox, QgsMapLayerComboBox
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QBrush, QColor, QFont
from qgis.PyQt.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..core.engine.feature_analysis import (
    LINK_KINDS,
    FeatureCodingError,
    analyse,
    check_links,
    feature_kind,
    feature_year,
    profile_for_layer,
)
from ..core.definitions import CODE_FIELD, NAME_FIELD
from ..core.engine.feature_coding import (
    Assignment,
    CodingConfig,
    add_code_field,
    coder_for,
    has_code_field,
)
from ..core.i18n import tr
from ..core.output.map_styles import style_division_layer
from ..core.codes.profiles import YEAR_RANGE, builtin_profiles
from ..core.registry.base import RegistryError
from ..core.registry.backends import open_registry
from ..core.times import local_time
from ..core.codes.validation import kinds
from ..core.exceptions import CityCodeError
from .code_history import CodeHistory

OK_COLOR, BAD_COLOR, MUTED_COLOR, HIT_COLOR = "#1a7f37", "#c62828", "#666666", "#fde2e1"
USER_ERRORS = (CityCodeError, ValueError)  # ValueError: a value the core refuses
def _value(feature, name: str) -> str:
    if feature.fields().indexOf(name) < 0:
        return ""
    v = feature[name]
    return "" if v is None or (hasattr(v, "isNull") and v.isNull()) else str(v).strip()


class CodeForm(QDialog):
    """The form for feature `fid` of `layer`. birth: opened for a feature just digitised (the code is
    issued when the layer is saved; Cancel leaves it without code)."""

    def __init__(self, layer: QgsVectorLayer, fid: int, config: CodingConfig, iface=None, parent=None,
                 birth: bool = False):
        super().__init__(parent or (iface.mainWindow() if iface is not None else None))
        self.layer, self.fid, self.config, self.iface, self.birth = layer, fid, config, iface, birth
        self.coder = coder_for(layer, config, self._notify)
        self.facts = None
        self.record = None
        self.staged = False
        self.setWindowTitle(tr("City code — {}").format(layer.name()))
        self.setMinimumWidth(720)
        self._build()
        self.reload()

    # -- layout --------------------------------------------------------------------------------------
    def _build(self):
        box = QVBoxLayout(self)
        self.code_label = QLabel()
        font = QFont("monospace")
        font.setStyleHint(QFont.StyleHint.TypeWriter)
        font.setPointSize(font.pointSize() + 5)
        font.setBold(True)
        self.code_label.setFont(font)
        self.code_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.state_label = QLabel()
        self.state_label.setWordWrap(True)
        box.addWidget(self.code_label)
        box.addWidget(self.state_label)

        source = QHBoxLayout()
        self.division_combo = QgsMapLayerComboBox()
        self.division_combo.setFilters(QgsMapLayerProxyModel.Filter.PolygonLayer)
        self.division_combo.setAllowEmptyLayer(True)
        self.division_field_combo = QgsFieldComboBox()
        source.addWidget(QLabel(tr("Division layer")))
        source.addWidget(self.division_combo, 2)
        source.addWidget(QLabel(tr("Code field")))
        source.addWidget(self.division_field_combo, 1)
        box.addLayout(source)

        self.tabs = QTabWidget()
        self.tabs.addTab(self._overview_tab(), tr("Overview"))
        self.tabs.addTab(self._overlap_tab(), tr("Overlaps"))
        self.history = CodeHistory(self._show_error)
        self.tabs.addTab(self.history, tr("History"))
        box.addWidget(self.tabs, 1)

        buttons = QHBoxLayout()
        self.assign_button = QPushButton(tr("Assign"))
        self.assign_button.setDefault(True)
        self.retire_button = QPushButton(tr("Retire…"))
        self.split_button = QPushButton(tr("Split…"))
        self.merge_button = QPushButton(tr("Merge…"))
        self.close_button = QPushButton(tr("Cancel") if self.birth else tr("Close"))
        for b in (self.assign_button, self.retire_button, self.split_button, self.merge_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        box.addLayout(buttons)

        self.division_combo.setLayer(self.config.division_layer)
        self.division_field_combo.setLayer(self.config.division_layer)
        if self.config.division_layer is not None:
            self.division_field_combo.setField(self.config.division_field)
        self._outline_divisions(self.config.division_layer)
        self.division_combo.layerChanged.connect(self._division_source_changed)
        self.division_field_combo.fieldChanged.connect(self._division_source_changed)
        self.kind_combo.currentIndexChanged.connect(self._preview)
        self.point_kind_combo.currentIndexChanged.connect(self._preview)
        self.year_spin.valueChanged.connect(self._preview)
        self.unit_edit.textChanged.connect(self._preview)
        for edit in self.link_edits.values():
            edit.textChanged.connect(self._links_changed)
        self.assign_button.clicked.connect(self.assign)
        self.retire_button.clicked.connect(self.retire)
        self.split_button.clicked.connect(self.split)
        self.merge_button.clicked.connect(self.merge)
        self.close_button.clicked.connect(self.reject)
        self.layer.selectionChanged.connect(self._update_buttons)
        # after the coder's own slots (connected when it was made): the registry has committed by then
        self.layer.afterCommitChanges.connect(self._layer_saved)
        self.layer.afterRollBack.connect(self._layer_saved)
        self.layer.willBeDeleted.connect(self._layer_removed)
        QgsProject.instance().layersWillBeRemoved.connect(self._project_layers_removed)

    def _layer_saved(self):
        """The layer was saved (or its edits discarded): show what the save issued, not "waiting"."""
        if self.staged and not self.coder.staged:
            self.staged = False
            self.reload()

    def _layer_removed(self):
        """The layer left the project: the form has nothing left to show."""
        for signal, slot in ((self.division_combo.layerChanged, self._division_source_changed),
                             (self.division_field_combo.fieldChanged, self._division_source_changed),
                             (QgsProject.instance().layersWillBeRemoved, self._project_layers_removed)):
            try:
                signal.disconnect(slot)
            except TypeError:  # already gone: the layer was deleted after the form closed
                pass
        self.done(QDialog.DialogCode.Rejected)

    def _project_layers_removed(self, layer_ids):
        """Forget planning layers that leave the project (the division combo follows by itself)."""
        gone = set(layer_ids)
        self.config.planning_layers = [lyr for lyr in self.config.planning_layers if lyr.id() not in gone]

    def _overview_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.division_label = QLabel()
        self.division_label.setWordWrap(True)
        self.status_label = QLabel()
        self.kind_combo = QComboBox()
        for name, p in builtin_profiles().items():
            self.kind_combo.addItem(tr(p.title) if p.title else name, name)
        self.point_kind_combo = QComboBox()  # what a monitoring point is (the point profile's kind segment)
        self.year_spin = QSpinBox()
        self.year_spin.setRange(*YEAR_RANGE)
        self.unit_edit = QLineEdit()
        self.unit_edit.setMaxLength(5)
        self.unit_edit.setPlaceholderText(tr("00000 = whole building"))
        self.name_edit = QLineEdit()
        form.addRow(tr("Division"), self.division_label)
        form.addRow(tr("Status"), self.status_label)
        form.addRow(tr("Kind"), self.kind_combo)
        self.point_kind_label = QLabel(tr("Point kind"))
        form.addRow(self.point_kind_label, self.point_kind_combo)
        form.addRow(tr("Year"), self.year_spin)
        self.unit_row_label = QLabel(tr("Unit"))
        form.addRow(self.unit_row_label, self.unit_edit)
        form.addRow(tr("Name"), self.name_edit)
        titles = kinds()
        self.link_edits: Dict[str, QLineEdit] = {}
        self.link_marks: Dict[str, QLabel] = {}
        self.link_reasons: Dict[str, QLabel] = {}
        for kind in LINK_KINDS:
            edit, mark, reason = QLineEdit(), QLabel(), QLabel()
            mark.setFixedWidth(18)
            reason.setWordWrap(True)
            cell = QGridLayout()
            cell.addWidget(edit, 0, 0)
            cell.addWidget(mark, 0, 1)
            cell.addWidget(reason, 1, 0, 1, 2)
            form.addRow(titles[kind], cell)
            self.link_edits[kind], self.link_marks[kind], self.link_reasons[kind] = edit, mark, reason
        return page

    def _overlap_tab(self) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        self.area_label = QLabel()
        self.overlap_table = QTableWidget(0, 3)
        self.overlap_table.setHorizontalHeaderLabels([tr("Planning layer"), tr("Area (m²)"), tr("Share (%)")])
        self.overlap_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.overlap_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.overlap_table.verticalHeader().setVisible(False)
        box.addWidget(self.area_label)
        box.addWidget(self.overlap_table)
        return page

    # -- what the form shows -------------------------------------------------------------------------
    @property
    def code(self) -> str:
        return _value(self.feature, CODE_FIELD)

    def reload(self):
        """Read the feature, the registry and the layers again."""
        self.feature = self.layer.getFeature(self.fid)
        self.record = None
        if self.code and self.config.registry_path:
            try:
                with open_registry(self.config.registry_path) as reg:
                    self.record = reg.get(self.code)
            except RegistryError as e:
                self._show_error(str(e))
        coded = self.record is not None and self.record.status == "active"
        profile = self.record.profile if self.record else profile_for_layer(self.layer)
        self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(profile)))
        self._fill_point_kinds(profile)
        year = self.record.year if self.record else feature_year(self.feature, self.config.year_field)
        self.year_spin.setValue(year or datetime.date.today().year)
        self.name_edit.setText(self.record.name if self.record and self.record.name else
                               _value(self.feature, NAME_FIELD))
        attrs = self.record.attrs if self.record else {}
        for kind, edit in self.link_edits.items():
            edit.setText(attrs.get(kind) or _value(self.feature, kind))
        for w in (self.kind_combo, self.point_kind_combo, self.year_spin, self.unit_edit):
            w.setEnabled(not coded)
        self._show_observations()
        self._analyse()
        self.history.show_record(self.record, self.config.registry_path)
        self._links_changed()

    def _analyse(self):
        try:
            self.facts = analyse(self.feature.geometry(), self.layer.crs(), self.config.division_layer,
                                 self.config.division_field, self.config.planning_layers,
                                 self.kind_combo.currentData(), self.config.rule)
        except USER_ERRORS as e:
            self.facts = None
            self.division_label.setText(self._colored(str(e), BAD_COLOR))
        else:
            self._show_division()
            self._show_overlaps()
        self._preview()

    def _show_division(self):
        d = self.facts.division
        if not d.found:
            self.division_label.setText(self._colored(d.reason, BAD_COLOR))
            return
        text = "<b>{}</b> {} ({:.1%})".format(d.code, d.name or "", d.share)
        if d.straddle:
            text += "<br>" + self._colored(tr("Straddles: {}").format(
                "; ".join("{} {:.1%}".format(c, s) for c, s in d.shares)), BAD_COLOR)
        if d.partly_outside:
            text += "<br>" + self._colored(tr("Partly outside every division"), BAD_COLOR)
        self.division_label.setText(text)

    def _show_overlaps(self):
        rows = self.facts.overlaps
        self.area_label.setText(tr("Feature area: {:,.1f} m²").format(self.facts.area) if rows else
                                tr("No planning layers: load them with Planning layers… (CityCode menu), or put "
                                   "them in a layer group named 规划图层 or in the group named in the settings"))
        self.overlap_table.setRowCount(len(rows))
        for r, o in enumerate(rows):
            cells = [QTableWidgetItem(o.layer), QTableWidgetItem("{:,.1f}".format(o.area)),
                     QTableWidgetItem("{:.1f}".format(o.share * 100))]
            for c, item in enumerate(cells):
                if c:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if o.hit:
                    item.setBackground(QBrush(QColor(HIT_COLOR)))
                    item.setToolTip(tr("The feature overlaps this planning layer"))
                self.overlap_table.setItem(r, c, item)
        self.overlap_table.resizeColumnsToContents()
        self.overlap_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        hits = sum(o.hit for o in rows)
        self.tabs.setTabText(1, tr("Overlaps") + (" ({})".format(hits) if hits else ""))

    def _preview(self):
        """The header: the feature's code, or the code it would get now."""
        self.preview_code = None
        profile = builtin_profiles()[self.kind_combo.currentData()]
        unit_seg, kind_seg = profile.segment("unit"), profile.segment("kind")
        self.unit_edit.setVisible(unit_seg is not None)
        self.unit_row_label.setVisible(unit_seg is not None)
        self.point_kind_combo.setVisible(kind_seg is not None)
        self.point_kind_label.setVisible(kind_seg is not None)
        self.year_spin.setEnabled(self.record is None and "year" in [x.type for x in profile.segments])
        if self.record is not None:
            self.code_label.setText(self.record.code)
            self.status_label.setText(self._colored(tr("Active") if self.record.status == "active" else
                                                    tr("Retired"), OK_COLOR if self.record.status == "active"
                                                    else BAD_COLOR))
            self._set_state(tr("Issued {} by {}").format(local_time(self.record.created_at),
                                                         self.record.created_by))
        elif self.code:
            self.code_label.setText(self.code)
            self.status_label.setText(self._colored(tr("Not in the registry"), BAD_COLOR))
            self._set_state(tr("The layer has this code but the registry does not know it"), BAD_COLOR)
        elif self.staged:
            self.status_label.setText(tr("Waiting for the save"))
        else:
            self.status_label.setText(tr("No code yet"))
            self._preview_new()
        self._update_buttons()

    def _preview_new(self):
        self.code_label.setText("—")
        if self.facts is None or not self.facts.division.found:
            self._set_state(tr("No code can be issued until the division is known"), BAD_COLOR)
            return
        if not self.config.registry_path:
            self._set_state(tr("No registry is set (CityCode settings)"), BAD_COLOR)
            return
        profile = builtin_profiles()[self.kind_combo.currentData()]
        try:
            with open_registry(self.config.registry_path) as reg:
                existing = reg.active_code(profile.name, self.coder.identity(self.fid))
                code = existing or reg.preview(profile, self.facts.division.code, self.year_spin.value(),
                                               self.unit_edit.text().strip() or None, self._point_kind())
        except USER_ERRORS as e:
            self._set_state(str(e), BAD_COLOR)
            return
        self.preview_code = code
        self.code_label.setText(self._colored(code, MUTED_COLOR))
        self._set_state(tr("The registry already holds this code for the feature: Assign writes it to the layer")
                        if existing else tr("Preview: the code Assign will issue (not reserved)"))

    def _links_changed(self, *args):
        checks = check_links({k: e.text() for k, e in self.link_edits.items()})
        for kind, check in checks.items():
            mark, reason = self.link_marks[kind], self.link_reasons[kind]
            if not check.value:
                mark.setText("")
                reason.setText("")
            else:
                mark.setText(self._colored("●", OK_COLOR if check.ok else BAD_COLOR))
                text = "; ".join(check.reasons) or tr("Valid")
                mark.setToolTip(text)
                reason.setText(self._colored(text, OK_COLOR if check.ok else BAD_COLOR) if check.reasons else "")
        self.link_checks = checks
        self._update_buttons()

    def _update_buttons(self, *args):
        if not hasattr(self, "link_checks"):
            return
        active = self.record is not None and self.record.status == "active"
        links_ok = all(c.ok for c in self.link_checks.values())
        division_ok = self.facts is not None and self.facts.division.found
        if active:
            self.assign_button.setText(tr("Save"))
            self.assign_button.setEnabled(links_ok)
        else:
            self.assign_button.setText(tr("Assign"))
            self.assign_button.setEnabled(not self.code and not self.staged and division_ok and links_ok
                                          and bool(self.config.registry_path))
        self.retire_button.setEnabled(active)
        self.split_button.setEnabled(active and len(self._parts()) >= 2)
        self.merge_button.setEnabled(active and len(self._merge_sources()) >= 2)

    # -- actions -------------------------------------------------------------------------------------
    def assign(self):
        if self.record is not None:
            return self._save_descriptive()
        if not has_code_field(self.layer):
            if not self.confirm(tr("Layer {} has no field '{}' for the code. Add it?").format(
                    self.layer.name(), CODE_FIELD)):
                return
            try:
                add_code_field(self.layer)
            except FeatureCodingError as e:
                return self._show_error(str(e))
        a = Assignment(fid=self.fid, profile=self.kind_combo.currentData(), division=self.facts.division.code,
                       year=self.year_spin.value(), unit=self.unit_edit.text().strip() or None,
                       kind=self._point_kind(),
                       name=self.name_edit.text().strip() or None,
                       links={k: e.text().strip() for k, e in self.link_edits.items()})
        try:
            code = self.coder.assign(a)
        except USER_ERRORS as e:
            return self._show_error(str(e))
        if code is None:
            self.staged = True
            self._set_state(tr("The code is issued when layer {} is saved").format(self.layer.name()))
            self._preview()
            if self.birth:
                self.accept()
            return
        self._notify(tr("Feature got code {}").format(code), True)
        self.reload()

    def _save_descriptive(self):
        try:
            self.coder.update(self.fid, self.record.code, self.name_edit.text().strip() or None,
                              {k: e.text().strip() for k, e in self.link_edits.items()})
        except USER_ERRORS as e:
            return self._show_error(str(e))
        self.reload()

    def retire(self):
        reason = self.ask_reason()
        if reason is None:
            return
        try:
            self.coder.retire(self.record.code, reason)
        except USER_ERRORS as e:
            return self._show_error(str(e))
        self._notify(tr("Code {} retired").format(self.record.code), True)
        self.reload()

    def split(self):
        parts = self._parts()
        if not self.confirm(tr("Retire {} and give each of the {} selected parts a new code?").format(
                self.record.code, len(parts))):
            return
        try:
            children = self.coder.split(self.record.code, parts, self.record.year)
        except USER_ERRORS as e:
            return self._show_error(str(e))
        self._done(tr("Split into {}").format(", ".join(children)) if children else None)

    def merge(self):
        sources = self._merge_sources()
        if not self.confirm(tr("Merge the {} selected features into this one, retire their codes {} and issue "
                               "one new code?").format(len(sources), ", ".join(c for _, c in sources))):
            return
        try:
            code = self.coder.merge([f for f, _ in sources], self.fid)
        except USER_ERRORS as e:
            return self._show_error(str(e))
        self._done(tr("Merged into {}").format(code) if code else None)

    def _done(self, message: Optional[str]):
        if message is None:
            self.staged = True
            message = tr("The codes are issued when layer {} is saved").format(self.layer.name())
        self._notify(message, True)
        self._set_state(message)
        self.reload()

    def _parts(self):
        """This feature and the selected features that carry its code (the parts after a split)."""
        if not self.code:
            return []
        return sorted({self.fid} | {f.id() for f in self.layer.getSelectedFeatures()
                                    if _value(f, CODE_FIELD) == self.code})

    def _merge_sources(self):
        """This feature and the selected features with codes: [(fid, code)]."""
        out = [(self.fid, self.code)] if self.code else []
        out += [(f.id(), _value(f, CODE_FIELD)) for f in self.layer.getSelectedFeatures()
                if f.id() != self.fid and _value(f, CODE_FIELD)]
        return out

    def _point_kind(self) -> Optional[str]:
        return None if self.point_kind_combo.isHidden() else self.point_kind_combo.currentData()

    def _fill_point_kinds(self, profile_name: str):
        """The kinds of a point profile, the current one from the record's code or the feature's own fields."""
        seg = builtin_profiles()[profile_name].segment("kind") if profile_name in builtin_profiles() else None
        self.point_kind_combo.blockSignals(True)
        self.point_kind_combo.clear()
        if seg is not None:
            for value, title in seg.values.items():
                self.point_kind_combo.addItem("{} {}".format(value, title), value)
            current = builtin_profiles()[profile_name].parse(self.record.code)["kind"] if self.record else \
                feature_kind(self.feature, seg)
            self.point_kind_combo.setCurrentIndex(max(0, self.point_kind_combo.findData(current or seg.default)))
        self.point_kind_combo.blockSignals(False)

    def _show_observations(self):
        """A monitoring point's observations as a chart (tab shown for point codes only)."""
        index = self.tabs.indexOf(getattr(self, "observations_page", None)) \
            if getattr(self, "observations_page", None) is not None else -1
        is_point = self.record is not None and builtin_profiles().get(self.record.profile) is not None and \
            builtin_profiles()[self.record.profile].segment("kind") is not None
        if not is_point:
            if index >= 0:
                self.tabs.removeTab(index)
            return
        from ..core.points.observations import ObservationStore
        from .observation_chart import ObservationChart
        try:
            if getattr(self, "obs_store", None) is None:
                self.obs_store = ObservationStore(self.config.registry_path)
        except CityCodeError as e:
            return self._show_error(str(e))
        if getattr(self, "observations_page", None) is None:
            self.observations_page = ObservationChart(self.obs_store, self.record.code)
        else:
            self.observations_page.set_code(self.record.code)
        if index < 0:
            self.tabs.addTab(self.observations_page, tr("Observations"))

    def done(self, result):
        if getattr(self, "obs_store", None) is not None:
            self.obs_store.close()
            self.obs_store = None
        super().done(result)

    def _division_source_changed(self, *args):
        layer = self.division_combo.currentLayer()
        if self.sender() is self.division_combo:
            self.division_field_combo.setLayer(layer)
            if layer is not None and layer.fields().indexOf(self.config.division_field) >= 0:
                self.division_field_combo.setField(self.config.division_field)
        self.config.remember_division(layer, self.division_field_combo.currentField())
        self._outline_divisions(layer)
        self._analyse()

    def _outline_divisions(self, layer):
        """QGIS's opaque random fill of a new layer hides the planning layers: outlines with names instead."""
        if layer is not None and style_division_layer(layer, self.config.division_field):
            self._notify(tr("Division layer {}: drawn as outlines with names, its fill hid the planning layers")
                         .format(layer.name()), True)

    def reject(self):
        if self.birth and not self.staged:
            self._notify(tr("The new feature of layer {} has no code; code it later with the code tool")
                         .format(self.layer.name()), False)
        super().reject()

    # -- asking and telling (replaceable in tests) -----------------------------------------------------
    def confirm(self, text: str) -> bool:
        return QMessageBox.question(self, self.windowTitle(), text) == QMessageBox.StandardButton.Yes

    def ask_reason(self) -> Optional[str]:
        text, ok = QInputDialog.getText(self, tr("Retire {}").format(self.record.code), tr("Reason"))
        return text.strip() if ok else None

    def _notify(self, text: str, ok: bool):
        if self.iface is not None:
            self.iface.messageBar().pushMessage(
                "CityCode", text, Qgis.MessageLevel.Success if ok else Qgis.MessageLevel.Warning, 8)

    def _show_error(self, text: str):
        self._set_state(text, BAD_COLOR)
        self._notify(text, False)

    def _set_state(self, text: str, color: Optional[str] = None):
        self.state_label.setText(self._colored(text, color) if color else text)

    @staticmethod
    def _colored(text: str, color: str) -> str:
        return '<span style="color:{}">{}</span>'.format(color, escape(text))

