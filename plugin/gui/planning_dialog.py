"""The planning layers dialog: open a GeoPackage, a folder or a PostGIS schema, check what each layer was
recognised as (and correct it), load the chosen ones grouped and styled.

A thin layer over core.planning: scanning (reading layers and sampling their values) runs as a QgsTask, the
plan and the loading are the core's.
"""
import os

from qgis.core import Qgis, QgsApplication, QgsMessageLog, QgsProject, QgsTask
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.i18n import tr
from ..core.planning import loader, recognition, sources, standard

LOG_TAG = "CityCode"
GPKG, FOLDER, POSTGIS = 0, 1, 2
COL_LOAD, COL_LAYER, COL_KIND, COL_CONFIDENCE, COL_WHY, COL_SOURCE = range(6)


class PlanningDialog(QDialog):
    def __init__(self, iface=None, parent=None, project=None):
        super().__init__(parent or (iface.mainWindow() if iface is not None else None))
        self.iface = iface
        self.project = project or QgsProject.instance()
        self.items = []       # the plan shown in the table
        self.source = ""      # the source it was made from
        self.task = None
        self.loaded = []      # layers added by the last load
        self.setWindowTitle(self.tr("Planning layers (三区三线 / 用地用海)"))
        self._build()
        self.resize(1100, 560)

    def tr(self, text):
        return tr(text)

    # -- widgets ----------------------------------------------------------------------------------------
    def _build(self):
        self.kind_box = QComboBox()
        self.kind_box.addItems([self.tr("GeoPackage"), self.tr("Folder (shapefiles, GeoPackages, GeoTIFFs)"),
                                self.tr("PostGIS schema")])
        self.recent_box = QComboBox()
        self.recent_box.addItem(self.tr("Recent sources…"))
        self.recent_box.addItems(sources.remembered_sources())
        self.recent_box.activated.connect(self._recent_chosen)

        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText(self.tr("Path of a GeoPackage or a folder"))
        self.browse_button = QPushButton(self.tr("Browse…"))
        self.browse_button.clicked.connect(self._browse)
        path_row = QWidget()
        path_layout = QHBoxLayout(path_row)
        path_layout.setContentsMargins(0, 0, 0, 0)
        path_layout.addWidget(self.path_edit, 1)
        path_layout.addWidget(self.browse_button)

        self.connection_box = QComboBox()
        self.schema_box = QComboBox()
        self.connection_box.currentTextChanged.connect(self._fill_schemas)
        pg_row = QWidget()
        pg_layout = QHBoxLayout(pg_row)
        pg_layout.setContentsMargins(0, 0, 0, 0)
        pg_layout.addWidget(QLabel(self.tr("Connection")))
        pg_layout.addWidget(self.connection_box, 1)
        pg_layout.addWidget(QLabel(self.tr("Schema")))
        pg_layout.addWidget(self.schema_box, 1)

        self.source_stack = QStackedWidget()
        self.source_stack.addWidget(path_row)
        self.source_stack.addWidget(pg_row)
        self.kind_box.currentIndexChanged.connect(self._source_kind_changed)

        self.scan_button = QPushButton(self.tr("Scan"))
        self.scan_button.clicked.connect(self.scan)
        top = QHBoxLayout()
        top.addWidget(self.kind_box)
        top.addWidget(self.source_stack, 1)
        top.addWidget(self.scan_button)
        top.addWidget(self.recent_box)

        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels([self.tr("Load"), self.tr("Layer"), self.tr("Recognised as"),
                                              self.tr("Confidence"), self.tr("Why"), self.tr("Source")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        for col in (COL_LOAD, COL_LAYER, COL_KIND, COL_CONFIDENCE):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_WHY, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_SOURCE, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setWordWrap(True)

        self.status = QLabel(self.tr("Choose a source and press Scan."))
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.load_button = self.buttons.addButton(self.tr("Load into project"),
                                                  QDialogButtonBox.ButtonRole.AcceptRole)
        self.load_button.setEnabled(False)
        self.load_button.clicked.connect(self.load)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)

    def _source_kind_changed(self, index):
        self.source_stack.setCurrentIndex(1 if index == POSTGIS else 0)
        if index == POSTGIS and self.connection_box.count() == 0:
            self.connection_box.addItems(sources.postgis_connections())
            if self.connection_box.count() == 0:
                self.status.setText(self.tr("No PostGIS connection is stored in QGIS: add one in the Browser "
                                            "panel first."))

    def _fill_schemas(self, connection):
        self.schema_box.clear()
        if connection:
            try:
                self.schema_box.addItems(sources.postgis_schemas(connection))
            except Exception as e:  # noqa: BLE001 - a connection that fails is the user's to fix
                self._warn(self.tr("Cannot list the schemas of {}: {}").format(connection, e))

    def _browse(self):
        if self.kind_box.currentIndex() == FOLDER:
            path = QFileDialog.getExistingDirectory(self, self.tr("Folder with planning layers"))
        else:
            path, _ = QFileDialog.getOpenFileName(self, self.tr("GeoPackage with planning layers"), "",
                                                  self.tr("GeoPackage (*.gpkg);;All files (*)"))
        if path:
            self.path_edit.setText(path)

    def _recent_chosen(self, index):
        if index <= 0:
            return
        self.set_source(self.recent_box.itemText(index))

    def set_source(self, source):
        """Show `source` (a path or "postgis:<connection>/<schema>") in the source widgets."""
        pg = sources.parse_postgis_source(source)
        if pg is not None:
            self.kind_box.setCurrentIndex(POSTGIS)
            self.connection_box.setCurrentText(pg[0])
            self.schema_box.setCurrentText(pg[1])
        else:
            self.kind_box.setCurrentIndex(FOLDER if os.path.isdir(source) else GPKG)
            self.path_edit.setText(source)

    def current_source(self):
        if self.kind_box.currentIndex() == POSTGIS:
            connection, schema = self.connection_box.currentText(), self.schema_box.currentText()
            return sources.postgis_source(connection, schema) if connection and schema else ""
        return self.path_edit.text().strip()

    # -- scanning -----------------------------------------------------------------------------------------
    def scan(self):
        source = self.current_source()
        if not source:
            self.status.setText(self.tr("Choose a source first."))
            return
        if sources.parse_postgis_source(source) is None and not os.path.exists(source):
            self.status.setText(self.tr("Not found: {}").format(source))
            return
        self.scan_button.setEnabled(False)
        self.load_button.setEnabled(False)
        self.status.setText(self.tr("Reading the layers of {}…").format(source))
        self.source = source
        self.task = QgsTask.fromFunction(self.tr("CityCode: reading planning layers"), self._scan_task, source,
                                         on_finished=self._scan_finished)
        QgsApplication.taskManager().addTask(self.task)

    @staticmethod
    def _scan_task(task, source):
        return recognition.make_plan(sources.scan_source(source))

    def _scan_finished(self, exception, items=None):
        self.task = None
        self.scan_button.setEnabled(True)
        if exception is not None:
            self._warn(self.tr("Cannot read {}: {}").format(self.source, exception))
            return
        self.show_plan(items or [])

    @property
    def scanning(self):
        return self.task is not None

    def show_plan(self, items):
        self.items = list(items)
        self.table.setRowCount(len(self.items))
        for row, item in enumerate(self.items):
            check = QTableWidgetItem()
            check.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
            check.setCheckState(Qt.CheckState.Checked if item.load else Qt.CheckState.Unchecked)
            self.table.setItem(row, COL_LOAD, check)
            self.table.setItem(row, COL_LAYER, self._text_item(item.info.name))
            combo = QComboBox()
            for kind in standard.KINDS + (standard.NONE,):
                combo.addItem(standard.kind_label(kind), kind)
            combo.setCurrentIndex(combo.findData(item.kind))
            combo.currentIndexChanged.connect(lambda _, r=row: self._kind_changed(r))
            self.table.setCellWidget(row, COL_KIND, combo)
            self.table.setItem(row, COL_CONFIDENCE, self._text_item("{:.0%}".format(item.confidence)))
            self.table.setItem(row, COL_WHY, self._text_item(item.why))
            self.table.setItem(row, COL_SOURCE, self._text_item(self._file_of(item.info), item.info.uri))
        self.table.resizeRowsToContents()
        found = sum(1 for i in self.items if i.kind)
        self.status.setText(self.tr("{} layers read, {} recognised as planning layers. Correct the kind where it "
                                    "is wrong, tick the layers to load.").format(len(self.items), found))
        self.load_button.setEnabled(bool(self.items))

    @staticmethod
    def _text_item(text, tooltip=None):
        item = QTableWidgetItem(text)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        item.setToolTip(tooltip or text)
        return item

    @staticmethod
    def _file_of(info):
        """The layer's file name (short enough for a column), else its source (a PostGIS schema)."""
        path = info.uri.split("|", 1)[0]
        return os.path.basename(path) if os.path.exists(path) else info.source

    def kind_combo(self, row):
        return self.table.cellWidget(row, COL_KIND)

    def _kind_changed(self, row):
        kind = self.kind_combo(row).currentData()
        self.items[row].kind = kind
        self.table.item(row, COL_LOAD).setCheckState(Qt.CheckState.Checked if kind else Qt.CheckState.Unchecked)

    # -- loading ------------------------------------------------------------------------------------------
    def load(self):
        for row, item in enumerate(self.items):
            item.load = self.table.item(row, COL_LOAD).checkState() == Qt.CheckState.Checked
            item.kind = self.kind_combo(row).currentData()
        self.loaded, problems = loader.load_plan(self.items, self.project)
        for problem in problems:
            self._warn(problem)
        if self.loaded:
            remembered = sources.remember_source(self.source)
            self.recent_box.clear()
            self.recent_box.addItem(self.tr("Recent sources…"))
            self.recent_box.addItems(remembered)
        message = self.tr("{} planning layers loaded into the group {}").format(len(self.loaded),
                                                                                 standard.ROOT_GROUP)
        self.status.setText(message)
        if self.iface is not None and self.loaded:
            self.iface.messageBar().pushMessage("CityCode", message, Qgis.MessageLevel.Success, 5)

    def _warn(self, message):
        self.status.setText(message)
        QgsMessageLog.logMessage(message, LOG_TAG, Qgis.MessageLevel.Warning)
        if self.iface is not None:
            self.iface.messageBar().pushMessage("CityCode", message, Qgis.MessageLevel.Warning, 8)


def open_planning_dialog(iface):
    """Menu entry point: show the planning layers dialog (non-modal, kept on the main window)."""
    dialog = PlanningDialog(iface)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
