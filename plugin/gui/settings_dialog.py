"""CityCode settings dialog: shows and edits core.settings.CityCodeSettings, refuses unusable values."""
import os

from qgis.core import Qgis
from qgis.gui import QgsFileWidget, QgsMessageBar
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import (
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
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..core import settings as cc_settings
from ..core.i18n import tr
from ..core.profiles import builtin_profiles

NO_YEAR = 1799  # spin box minimum, shown as "this year" (the stored value is then empty)


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
        registry_layout.addWidget(self.registry)
        hint = QLabel(tr("Every issued code is recorded here, so codes never repeat. Empty = {}")
                      .format(cc_settings.default_registry_path()), registry_box)
        hint.setWordWrap(True)
        registry_layout.addWidget(hint)

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
        planning_layout = QHBoxLayout(planning_box)
        planning_layout.addWidget(self.sources, 1)
        planning_layout.addLayout(buttons_column)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.bar)
        for widget in (registry_box, codes_box, planning_box):
            layout.addWidget(widget)
        layout.addWidget(self.buttons)
        self.set_values(cc_settings.load(self.qsettings))
        self.resize(720, self.sizeHint().height())

    # -- values ---------------------------------------------------------------------------------
    def set_values(self, values: cc_settings.CityCodeSettings):
        self.registry.setFilePath(values.registry)
        self.building_profile.set_value(values.building_profile)
        self.project_profile.set_value(values.project_profile)
        self.year.setValue(values.default_year or NO_YEAR)
        self.unit.setText(values.issuing_unit)
        self.qr_url.setText(values.qr_url_template)
        self.sources.clear()
        for source in values.planning_sources:
            self._append_source(source)

    def values(self) -> cc_settings.CityCodeSettings:
        return cc_settings.CityCodeSettings(
            registry=self.registry.filePath().strip(),
            building_profile=self.building_profile.value(),
            project_profile=self.project_profile.value(),
            default_year=None if self.year.value() == NO_YEAR else self.year.value(),
            issuing_unit=self.unit.text().strip(),
            qr_url_template=self.qr_url.text().strip(),
            planning_sources=[self.sources.item(i).text().strip() for i in range(self.sources.count())],
        )

    def problems(self, values: cc_settings.CityCodeSettings):
        """(message, widget to focus) for every value that cannot be used."""
        found = []
        problem = cc_settings.registry_problem(values.registry)
        if problem:
            found.append((tr("Registry: {}").format(problem), self.registry.lineEdit()))
        for label, value, widget in ((tr("Profile for buildings"), values.building_profile, self.building_profile),
                                     (tr("Profile for projects"), values.project_profile, self.project_profile)):
            problem = cc_settings.profile_problem(value) if value else tr("choose a profile file")
            if problem:
                found.append(("{}: {}".format(label, problem), widget))
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
