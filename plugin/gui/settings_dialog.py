"""CityCode settings dialog: shows and edits core.settings.CityCodeSettings, refuses unusable values.

The registry is a file or a shared PostgreSQL registry chosen among QGIS's saved PostgreSQL connections
("Test connection" and "Set up roles…" are core.settings.check_registry / setup_roles).
"""
import os

from qgis.core import Qgis, QgsMessageLog
from qgis.gui import QgsFileWidget, QgsMessageBar
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..core import settings as cc_settings
from ..core import speedup_install
from ..core.i18n import tr
from ..core.registry.pg_connection import DEFAULT_SCHEMA
from ..core.planning.sources import postgis_connections
from ..core.planning.standard import ROOT_GROUP
from ..core.codes.profiles import builtin_profiles
from ..core.registry.base import RegistryError

NO_YEAR = 1799  # spin box minimum, shown as "this year" (the stored value is then empty)
REGISTRY_FILE, REGISTRY_POSTGRES = 0, 1
LOG_TAG = "CityCode"


class ProfilePicker(QWidget):
    """A shipped profile by name, or a JSON profile file."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.combo = QComboBox(self)
        for name, profile in sorted(builtin_profiles().items()):
            label = "{} — {}".format(name, tr(profile.title)) if profile.title else name
            self.combo.addItem(label, name)
        self.combo.addItem(tr("Load a JSON profile file…"), "")
        self.file = QgsFileWidget(self)
        self.file.setStorageMode(QgsFileWidget.StorageMode.GetFile)
        self.file.setFilter(tr("Code profile (*.json)"))
        layout = QVBoxLayout(self)  # the file path gets the full width below the choice
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.combo)
        layout.addWidget(self.file)
        self.combo.currentIndexChanged.connect(self._sync)
        self._sync()

    def _is_file(self):
        return self.combo.currentData() == ""

    def _sync(self):
        self.file.setVisible(self._is_file())

    def value(self) -> str:
        return self.file.filePath().strip() if self._is_file() else self.combo.currentData()

    def set_value(self, value: str):
        index = self.combo.findData(value)
        if index < 0 or not value:
            index = self.combo.findData("")
            self.file.setFilePath(value)
        self.combo.setCurrentIndex(index)
        self._sync()


class SettingsDialog(QDialog):
    def __init__(self, parent=None, qsettings=None):
        super().__init__(parent)
        self.setObjectName("CityCodeSettingsDialog")
        self.setWindowTitle(tr("CityCode settings"))
        self.qsettings = qsettings  # None = the user's QgsSettings
        self.bar = QgsMessageBar(self)

        self.registry = QgsFileWidget(self)
        self.registry.setObjectName("registry")
        self.registry.setStorageMode(QgsFileWidget.StorageMode.SaveFile)
        self.registry.setConfirmOverwrite(False)  # choosing an existing registry is the point
        self.registry.setFilter(tr("CityCode registry (*.sqlite *.gpkg)") + ";;" + tr("All files (*)"))
        self.registry.lineEdit().setPlaceholderText(cc_settings.default_registry_path())
        registry_box = QGroupBox(tr("Code registry"), self)
        registry_layout = QVBoxLayout(registry_box)
        self.registry_kind = QComboBox(registry_box)
        self.registry_kind.setObjectName("registry_kind")
        self.registry_kind.addItems([tr("A file on this computer (SQLite)"),
                                     tr("A shared registry on PostgreSQL (a connection saved in QGIS)")])
        registry_layout.addWidget(self.registry_kind)
        # pages shown one at a time (hidden ones take no room, unlike those of a QStackedWidget)
        self.file_page = QWidget(registry_box)
        file_layout = QVBoxLayout(self.file_page)
        file_layout.setContentsMargins(0, 0, 0, 0)
        file_layout.addWidget(self.registry)
        hint = QLabel(tr("Every issued code is recorded here, so codes never repeat. Empty = {}")
                      .format(cc_settings.default_registry_path()), self.file_page)
        hint.setWordWrap(True)
        file_layout.addWidget(hint)
        self.pg_page = self._postgres_page()
        registry_layout.addWidget(self.file_page)
        registry_layout.addWidget(self.pg_page)
        self.registry_kind.currentIndexChanged.connect(self._registry_kind_changed)

        self.building_profile = ProfilePicker(self)
        self.project_profile = ProfilePicker(self)
        self.year = QSpinBox(self)
        self.year.setRange(NO_YEAR, 2100)
        self.year.setSpecialValueText(tr("This year"))
        self.unit = QLineEdit(self)
        self.unit.setPlaceholderText(tr("e.g. the natural resources and planning bureau"))
        self.qr_url = QLineEdit(self)
        self.qr_url.setPlaceholderText("https://example.gov.cn/code/{code}")
        self.qr_url.setToolTip(tr("What the QR code on a code card holds: this address with {code} replaced by "
                                  "the code; empty: the code itself"))
        codes_box = QGroupBox(tr("Codes"), self)
        form = QFormLayout(codes_box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(tr("Profile for buildings"), self.building_profile)
        form.addRow(tr("Profile for projects"), self.project_profile)
        form.addRow(tr("Default year"), self.year)
        form.addRow(tr("Issuing unit"), self.unit)
        form.addRow(tr("QR address on code cards"), self.qr_url)
        self.output_folder = QgsFileWidget(self)
        self.output_folder.setObjectName("output_folder")
        self.output_folder.setStorageMode(QgsFileWidget.StorageMode.GetDirectory)
        self.output_folder.lineEdit().setPlaceholderText(tr("Not chosen yet: asked at the first batch run"))
        form.addRow(tr("Output folder"), self.output_folder)

        self.sources = QListWidget(self)
        self.sources.setObjectName("planning_sources")
        add_files = QPushButton(tr("Add files…"), self)
        add_uri = QPushButton(tr("Add URI"), self)
        remove = QPushButton(tr("Remove"), self)
        add_files.clicked.connect(self._add_files)
        add_uri.clicked.connect(self._add_uri)
        remove.clicked.connect(self._remove_sources)
        for button, name in ((add_files, "add_files"), (add_uri, "add_uri"), (remove, "remove")):
            button.setObjectName(name)
        buttons_column = QVBoxLayout()
        for button in (add_files, add_uri, remove):
            buttons_column.addWidget(button)
        buttons_column.addStretch(1)
        planning_box = QGroupBox(tr("Planning layer sources (三区三线)"), self)
        planning_layout = QHBoxLayout()
        planning_layout.addWidget(self.sources, 1)
        planning_layout.addLayout(buttons_column)
        self.planning_group = QLineEdit(self)
        self.planning_group.setObjectName("planning_group")
        self.planning_group.setPlaceholderText(tr("Optional; the group {} always counts").format(ROOT_GROUP))
        self.planning_group.setToolTip(tr("The layers of this group in the Layers panel are planning layers too, "
                                          "besides those of the group Planning layers… makes"))
        group_row = QFormLayout()
        group_row.addRow(tr("Your layer group of planning layers"), self.planning_group)
        planning_column = QVBoxLayout(planning_box)
        planning_column.addLayout(planning_layout)
        planning_column.addLayout(group_row)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.bar)
        for widget in (registry_box, codes_box, planning_box, self._speedups_box()):
            layout.addWidget(widget)
        layout.addWidget(self.buttons)
        self.set_values(cc_settings.load(self.qsettings))
        self.resize(720, self.sizeHint().height())

    # -- optional speed-ups --------------------------------------------------------------------------
    speedups_command = None  # the pip command to run (None: this QGIS's); tests give a harmless one
    speedups_pip_ok = None

    def _speedups_box(self):
        box = QGroupBox(tr("Speed-ups"), self)
        self.speedups_status = QLabel(box)
        self.speedups_status.setObjectName("speedups_status")
        self.speedups_status.setWordWrap(True)
        absent = speedup_install.missing()
        in_use = ["{} {}".format(m, speedup_install.installed_version(m)) for m in speedup_install.SPEEDUPS
                  if m not in absent]
        self.speedups_status.setText(speedup_install.status_message(absent) or
                                     tr("In use: {}.").format(", ".join(in_use)))
        self.speedups_button = QPushButton(tr("Install speed-ups…"), box)
        self.speedups_button.setObjectName("install_speedups")
        self.speedups_button.setEnabled(bool(absent))
        self.speedups_button.clicked.connect(self.install_speedups)
        self.speedups_dialog = None
        layout = QHBoxLayout(box)
        layout.addWidget(self.speedups_status, 1)
        layout.addWidget(self.speedups_button)
        return box

    def install_speedups(self):
        """The install dialog over this one (not blocking: pip may take minutes)."""
        from .speedups_dialog import SpeedupsDialog

        self.speedups_dialog = SpeedupsDialog(self, self.speedups_command, self.speedups_pip_ok)
        self.speedups_dialog.open()

    def _postgres_page(self):
        page = QWidget(self)
        self.pg_connection = QComboBox(page)
        self.pg_connection.setObjectName("pg_connection")
        self.pg_connection.addItems(postgis_connections())
        self.pg_schema = QLineEdit(page)
        self.pg_schema.setObjectName("pg_schema")
        self.pg_schema.setPlaceholderText(DEFAULT_SCHEMA)
        self.test_button = QPushButton(tr("Test connection"), page)
        self.test_button.setObjectName("test_connection")
        self.test_button.clicked.connect(self.test_connection)
        self.roles_button = QPushButton(tr("Set up roles…"), page)
        self.roles_button.setObjectName("setup_roles")
        self.roles_button.setToolTip(tr("For the database administrator, once: makes the roles citycode_read, "
                                        "citycode_code and citycode_admin and gives them the registry"))
        self.roles_button.clicked.connect(self.setup_roles)
        self.pg_status = QLabel(page)
        self.pg_status.setObjectName("registry_status")
        self.pg_status.setWordWrap(True)
        self.pg_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(tr("Connection"), self.pg_connection)
        form.addRow(tr("Schema"), self.pg_schema)
        buttons = QHBoxLayout()
        buttons.addWidget(self.test_button)
        buttons.addWidget(self.roles_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.pg_status)
        self._show_status(self._postgres_hint())
        self.pg_connection.currentIndexChanged.connect(lambda _: self._show_status(self._postgres_hint()))
        return page

    def _postgres_hint(self):
        if self.pg_connection.count() == 0:
            return tr("QGIS has no saved PostgreSQL connection: add one in the Browser panel (PostgreSQL › New "
                      "Connection…), with its login in an authentication configuration.")
        return tr("Codes are recorded in the schema of this database, shared by everyone who codes. The login "
                  "comes from the QGIS connection; no password is stored by CityCode.")

    def _registry_kind_changed(self, index):
        self.file_page.setVisible(index == REGISTRY_FILE)
        self.pg_page.setVisible(index == REGISTRY_POSTGRES)
        has_connection = self.pg_connection.count() > 0
        self.test_button.setEnabled(has_connection)
        self.roles_button.setEnabled(has_connection)

    # -- values ---------------------------------------------------------------------------------
    def set_values(self, values: cc_settings.CityCodeSettings):
        shared = cc_settings.parse_qgis_registry_location(values.registry)
        if shared:
            connection, schema = shared
            if self.pg_connection.findText(connection) < 0:  # no longer saved in QGIS: shown, refused on OK
                self.pg_connection.addItem(connection)
            self.pg_connection.setCurrentText(connection)
            self.pg_schema.setText(schema)
            self.registry.setFilePath("")
        else:
            self.registry.setFilePath(values.registry)
        self.registry_kind.setCurrentIndex(REGISTRY_POSTGRES if shared else REGISTRY_FILE)
        self._registry_kind_changed(self.registry_kind.currentIndex())
        self.building_profile.set_value(values.building_profile)
        self.project_profile.set_value(values.project_profile)
        self.year.setValue(values.default_year or NO_YEAR)
        self.unit.setText(values.issuing_unit)
        self.qr_url.setText(values.qr_url_template)
        self.output_folder.setFilePath(values.output_folder)
        self.planning_group.setText(values.planning_group)
        self.sources.clear()
        for source in values.planning_sources:
            self._append_source(source)

    def values(self) -> cc_settings.CityCodeSettings:
        return cc_settings.CityCodeSettings(
            registry=self.registry_location(),
            building_profile=self.building_profile.value(),
            project_profile=self.project_profile.value(),
            default_year=None if self.year.value() == NO_YEAR else self.year.value(),
            issuing_unit=self.unit.text().strip(),
            qr_url_template=self.qr_url.text().strip(),
            planning_sources=[self.sources.item(i).text().strip() for i in range(self.sources.count())],
            planning_group=self.planning_group.text().strip(),
            output_folder=self.output_folder.filePath().strip(),
        )

    def registry_location(self) -> str:
        """The registry as chosen: a file path, or qgis:<connection>[?schema=...] ("" without a connection)."""
        if self.registry_kind.currentIndex() == REGISTRY_FILE:
            return self.registry.filePath().strip()
        connection = self.pg_connection.currentText()
        return cc_settings.qgis_registry_location(connection, self.pg_schema.text()) if connection else ""

    def problems(self, values: cc_settings.CityCodeSettings):
        """(message, widget to focus) for every value that cannot be used."""
        found = []
        shared = self.registry_kind.currentIndex() == REGISTRY_POSTGRES
        problem = cc_settings.registry_problem(values.registry) if values.registry or not shared else \
            tr("choose a PostgreSQL connection saved in QGIS")
        if problem:
            found.append((tr("Registry: {}").format(problem),
                          self.pg_connection if shared else self.registry.lineEdit()))
        for label, value, widget in ((tr("Profile for buildings"), values.building_profile, self.building_profile),
                                     (tr("Profile for projects"), values.project_profile, self.project_profile)):
            problem = cc_settings.profile_problem(value) if value else tr("choose a profile file")
            if problem:
                found.append(("{}: {}".format(label, problem), widget))
        problem = cc_settings.output_folder_problem(values.output_folder)
        if problem:
            found.append((problem, self.output_folder.lineEdit()))
        return found

    def accept(self):
        values = self.values()
        found = self.problems(values)
        if found:
            self.bar.clearWidgets()
            self.bar.pushMessage(tr("Not saved"), "; ".join(message for message, _ in found),
                                 Qgis.MessageLevel.Critical, 0)
            found[0][1].setFocus()
            return
        cc_settings.save(values, self.qsettings)
        super().accept()

    # -- the shared registry ----------------------------------------------------------------------
    def _show_status(self, text, level=Qgis.MessageLevel.Info):
        colour = {Qgis.MessageLevel.Critical: "#b00020", Qgis.MessageLevel.Success: "#1b5e20"}.get(level)
        self.pg_status.setStyleSheet("color: {};".format(colour) if colour else "")
        self.pg_status.setText(text)

    def _failed(self, error):
        self._show_status(str(error), Qgis.MessageLevel.Critical)
        QgsMessageLog.logMessage(str(error), LOG_TAG, Qgis.MessageLevel.Warning)

    def _run(self, work):
        """work() with a busy cursor (a connection may take up to its timeout); its RegistryError shown."""
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            return work()
        except RegistryError as e:
            self._failed(e)
            return None
        finally:
            QApplication.restoreOverrideCursor()

    def test_connection(self):
        """Open the chosen shared registry (creating or upgrading its schema) and show what it holds."""
        location = self.registry_location()
        if not location:
            return
        status = self._run(lambda: cc_settings.check_registry(location))
        if status is not None:
            self._show_status(tr("Connected: {server}. Registry in schema {schema} (version {version}), {codes} codes "
                                 "issued.").format(server=status.server, schema=status.schema,
                                                   version=status.schema_version, codes=status.codes),
                              Qgis.MessageLevel.Success)

    def setup_roles(self):
        """After a confirmation: make the registry's roles and give them the registry (an administrator's task)."""
        location = self.registry_location()
        if not location:
            return
        answer = QMessageBox.question(
            self, tr("Set up roles"),
            tr("Make the roles citycode_read, citycode_code and citycode_admin on the server of {} and give them "
               "the registry? citycode_admin will own the schema. This needs a database user who may create roles."
               ).format(location),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        done = self._run(lambda: cc_settings.setup_roles(location))
        if done is not None:
            self._show_status(" ".join(done), Qgis.MessageLevel.Success)

    # -- planning sources -----------------------------------------------------------------------
    def _append_source(self, text):
        item = QListWidgetItem(text)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)  # URIs are typed or corrected in place
        self.sources.addItem(item)
        return item

    def _add_files(self):
        paths, _ = QFileDialog.getOpenFileNames(
            self, tr("Planning layer files"), "",
            tr("Vector files (*.gpkg *.shp *.geojson *.gdb *.sqlite);;All files (*)"))
        for path in paths:
            self._append_source(os.path.normpath(path))

    def _add_uri(self):
        item = self._append_source("")
        self.sources.setCurrentItem(item)
        self.sources.editItem(item)

    def _remove_sources(self):
        for item in self.sources.selectedItems():
            self.sources.takeItem(self.sources.row(item))


def open_settings_dialog(iface) -> bool:
    """Show the settings dialog over the QGIS window; True when the user saved."""
    dialog = SettingsDialog(iface.mainWindow())
    return dialog.exec() == QDialog.DialogCode.Accepted
