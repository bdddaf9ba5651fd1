"""Conflicts left by field-package check-ins: both versions side by side, keep the registry's or the package's.

A code's conflict shows the registry's and the package's records; a feature's (changed both in the field and
in its layer) the layer's and the package's attributes, and whether the geometry differs (areas, centroid
shift in metres). A thin layer over Registry.conflicts() and field_package.resolve_conflict() (which writes a
feature to its layer); the lead wires show_conflicts() into the menu.
"""
import json

from qgis.core import Qgis, QgsMessageLog
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QBrush, QColor, QFont
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.exceptions import CityCodeError
from ..core.definitions import CODE_FIELD
from ..core.fieldwork.checkin import resolve_conflict
from ..core.fieldwork.features import feature_conflict_summary
from ..core.i18n import tr
from ..core.registry.base import RegistryError
from ..core.registry.backends import open_registry
from ..core.times import local_time

LOG_TAG = "CityCode"
DIFFERENT = QColor(255, 236, 179)  # rows where the two versions differ


def _rows(version):
    """(label, text) of a version: code, identity, name, status, then each attribute."""
    version = version or {}
    rows = [(key, version.get(key)) for key in ("code", "identity", "name", "status") if key in version]
    rows += [(key, value) for key, value in sorted((version.get("attrs") or {}).items())]
    return [(label, "" if value is None else value if isinstance(value, str)
             else json.dumps(value, ensure_ascii=False)) for label, value in rows]


def _code_rows(conflict):
    """(label, registry's text, package's text, differ) of a code's conflict."""
    theirs, ours = dict(_rows(conflict.registry_version)), dict(_rows(conflict.package_version))
    return [(label, theirs.get(label, ""), ours.get(label, ""), theirs.get(label) != ours.get(label))
            for label in dict.fromkeys(list(theirs) + list(ours))]  # in _rows' order


def _feature_rows(conflict):
    """(label, layer's text, package's text, differ) of a feature conflict: code, the geometry, then the attributes
    that differ before those that do not (the dialog shows the difference without scrolling)."""
    code, *attrs = [r for r in _code_rows(conflict) if r[0] != CODE_FIELD]  # (the code row says it)
    summary = feature_conflict_summary(conflict)

    def metres(value, unit):
        return "" if value is None else "{:,.1f} {}".format(value, unit)
    changed = summary["geometry_changed"]
    missing = conflict.registry_version.get("missing")
    return [code,
            (tr("geometry"), tr("deleted from the layer") if missing else "", tr("changed") if changed else tr("same"),
             changed),
            (tr("area"), metres(summary["area_registry"], "m²"), metres(summary["area_package"], "m²"), changed),
            (tr("centroid shift"), "", metres(summary["centroid_shift"], "m"), changed)] + \
        sorted(attrs, key=lambda row: not row[3])


class ConflictsDialog(QDialog):
    def __init__(self, iface, registry_location, parent=None):
        super().__init__(parent or (iface.mainWindow() if iface is not None else None))
        self.iface, self.location = iface, registry_location
        self.setWindowTitle(tr("Field package conflicts"))
        self.resize(1080, 460)
        self.conflicts = []

        self.list = QListWidget(self)
        self.list.currentRowChanged.connect(self._show)
        self.table = QTableWidget(0, 3, self)
        self.table.setHorizontalHeaderLabels([tr("Field"), tr("Registry"), tr("Package")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.about = QLabel(self)
        self.about.setWordWrap(True)
        self.keep_registry = QPushButton(tr("Keep registry"), self)
        self.keep_package = QPushButton(tr("Keep package"), self)
        self.keep_registry.clicked.connect(lambda: self._resolve("registry"))
        self.keep_package.clicked.connect(lambda: self._resolve("package"))

        right = QWidget(self)
        side = QVBoxLayout(right)
        side.setContentsMargins(0, 0, 0, 0)
        side.addWidget(self.about)
        side.addWidget(self.table, 1)
        choose = QHBoxLayout()
        choose.addStretch(1)
        choose.addWidget(self.keep_registry)
        choose.addWidget(self.keep_package)
        side.addLayout(choose)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.list)
        split.addWidget(right)
        split.setSizes([300, 780])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        intro = QLabel(tr("These changes from field packages were not applied because the registry, or the layer "
                          "their features go to, changed the same codes or features meanwhile. Choose which "
                          "version to keep."), self)
        intro.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(split, 1)
        layout.addWidget(buttons)
        self.refresh()

    def refresh(self):
        try:
            with open_registry(self.location) as reg:
                self.conflicts = reg.conflicts()
        except RegistryError as e:
            self.conflicts = []
            self._tell(str(e), Qgis.MessageLevel.Warning)
        self.list.clear()
        for c in self.conflicts:
            kind = {"edit": tr("edited in both"), "feature": tr("feature changed in both")}.get(c.kind,
                                                                                            tr("coded in both"))
            QListWidgetItem("#{}  {}\n{}".format(c.id, c.code, kind), self.list)
        if self.conflicts:
            self.list.setCurrentRow(0)
        else:
            self._show(-1)

    def _show(self, row):
        has = 0 <= row < len(self.conflicts)
        self.keep_registry.setEnabled(has)
        self.keep_package.setEnabled(has)
        self.table.setRowCount(0)
        if not has:
            self.about.setText(tr("No open conflicts."))
            return
        c = self.conflicts[row]
        about = tr("Package {}, checked in by {} at {}").format(c.package[:8], c.actor, local_time(c.at))
        if c.kind == "feature":
            rows = _feature_rows(c)
            about += "\n" + tr("Layer: {}").format(json.loads(c.target)["source"])
        else:
            rows = _code_rows(c)
        self.about.setText(about)
        self.table.setHorizontalHeaderLabels([tr("Field"), tr("Layer") if c.kind == "feature" else tr("Registry"),
                                              tr("Package")])
        self.keep_registry.setText(tr("Keep layer") if c.kind == "feature" else tr("Keep registry"))
        self.table.setRowCount(len(rows))
        bold = QFont()
        bold.setBold(True)
        for i, (label, theirs, ours, differ) in enumerate(rows):
            cells = [QTableWidgetItem(label), QTableWidgetItem(theirs), QTableWidgetItem(ours)]
            for j, cell in enumerate(cells):
                if differ:
                    cell.setBackground(QBrush(DIFFERENT))
                    cell.setFont(bold)
                self.table.setItem(i, j, cell)

    def _resolve(self, choice):
        row = self.list.currentRow()
        if not 0 <= row < len(self.conflicts):
            return
        c = self.conflicts[row]
        try:
            resolve_conflict(self.location, c.id, choice)
        except CityCodeError as e:
            self._tell(str(e), Qgis.MessageLevel.Warning)
        else:
            self._tell(tr("Conflict {} on {} resolved: kept the {} version").format(
                c.id, c.code, tr("package") if choice == "package" else tr("layer") if c.kind == "feature"
                else tr("registry")), Qgis.MessageLevel.Success)
        self.refresh()

    def _tell(self, message, level):
        if level != Qgis.MessageLevel.Success:
            QgsMessageLog.logMessage(message, LOG_TAG, level)
        if self.iface is not None:
            self.iface.messageBar().pushMessage(LOG_TAG, message, level, 6)


def show_conflicts(iface, registry_location=None):
    """The conflicts dialog for a registry (default: the one in the CityCode settings), modal."""
    if not registry_location:
        from ..core.settings import load
        registry_location = load().registry_path
    dialog = ConflictsDialog(iface, registry_location)
    dialog.exec()
    return dialog
