"""Batch coding from the GUI: citycode:assigncodes as a background task, the coded layer added with labels.

The dialog only gathers parameters (pre-filled from the CityCode settings); the algorithm does the work
in a QgsTask (progress and cancel in QGIS's task manager), so the QGIS window stays responsive. When
the task ends, the coded layer is added, labelled with its codes, and a summary goes to the message bar
with the details in the "CityCode" log tab.
"""
import json
import os

from qgis.core import (
    Qgis,
    QgsApplication,
    QgsMapLayerProxyModel,
    QgsMessageLog,
    QgsPalLayerSettings,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProject,
    QgsProviderRegistry,
    QgsTask,
    QgsTextBufferSettings,
    QgsTextFormat,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
    QgsWkbTypes,
)
from qgis.gui import QgsCheckableComboBox, QgsFieldComboBox, QgsFileWidget, QgsMapLayerComboBox, QgsMessageBar
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QColor
from qgis.PyQt.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QLabel, QLineEdit,
                                 QMessageBox, QVBoxLayout)

from ..core.planning.loader import project_planning_layers
from ..core.planning.sources import own_name
from ..core import settings as cc_settings
from ..core.i18n import tr
from ..core.engine.input_checks import missing_table
from ..core.engine.layers import LayerInput
from ..core.china.division_levels import AUTO
from ..core.codes.profiles import builtin_profiles
from ..processing.assign_codes import PARTS_LABELS
from ..processing.base import DATUMS
from ..processing.option_labels import LABELS as OPTION_LABELS
from ..core.engine.report import OUTCOME_LABELS
from ..core.definitions import CODE_FIELD

ALGORITHM_ID = "citycode:assigncodes"
LOG_TAG = "CityCode"
MESSAGE_SECONDS = 10

_RUNNING = set()  # Python must keep running tasks alive: QGIS owns only their C++ side


class _Feedback(QgsProcessingFeedback):
    """Keeps the errors the algorithm reports, to show them when the task fails."""

    def __init__(self):
        super().__init__()
        self.errors = []

    def reportError(self, error, fatalError=False):  # noqa: N802,N803 (QGIS API names)
        self.errors.append(error)
        super().reportError(error, fatalError)


class AssignTask(QgsTask):
    """Runs citycode:assigncodes: prepared in the main thread, run in the task's thread (QGIS's rule for
    algorithms), so nothing heavy blocks the window. Cancel reaches the engine through the feedback; it stops
    unless the registry has already committed."""

    def __init__(self, parameters, description=""):
        super().__init__(description or tr("CityCode: assigning codes"), QgsTask.Flag.CanCancel)
        self.parameters = dict(parameters)
        self.feedback = _Feedback()
        self.feedback.progressChanged.connect(self.setProgress, Qt.ConnectionType.DirectConnection)
        self.context = QgsProcessingContext()
        self.context.setProject(QgsProject.instance())
        self.results = {}
        self.succeeded = None  # set when it ends: QGIS deletes the task object soon after
        self.algorithm = QgsApplication.processingRegistry().createAlgorithmById(ALGORITHM_ID)
        if self.algorithm is None:
            self.feedback.reportError(tr("The CityCode Processing provider is not loaded"))
            self.prepared = False
        else:
            try:
                self.prepared = self.algorithm.prepare(self.parameters, self.context, self.feedback)
            except QgsProcessingException as e:
                self.feedback.reportError(str(e))
                self.prepared = False

    def cancel(self):
        self.feedback.cancel()
        super().cancel()

    def run(self):
        if not self.prepared:
            return False
        try:
            self.results = self.algorithm.runPrepared(self.parameters, self.context, self.feedback)
        except QgsProcessingException as e:
            if str(e) not in self.feedback.errors:
                self.feedback.reportError(str(e))
            return False
        # A cancel after the registry committed lets the run finish: its codes are issued and kept.
        return True

    def finished(self, result):  # main thread
        self.succeeded = result

    @property
    def canceled_before_commit(self):
        return self.feedback.isCanceled() and not self.results

    @property
    def counts(self):
        """The engine's count of each outcome (report.counts)."""
        return json.loads(self.results.get("COUNTS") or "{}")


def label_with_codes(layer):
    """Simple labels showing each feature's code."""
    text_format = QgsTextFormat()
    text_format.setSize(8)
    buffer = QgsTextBufferSettings()
    buffer.setEnabled(True)
    buffer.setSize(0.8)
    buffer.setColor(QColor("white"))
    text_format.setBuffer(buffer)
    pal = QgsPalLayerSettings()
    pal.fieldName = CODE_FIELD
    pal.enabled = True
    pal.placement = QgsPalLayerSettings.Placement.OverPoint
    pal.setFormat(text_format)
    layer.setLabeling(QgsVectorLayerSimpleLabeling(pal))
    layer.setLabelsEnabled(True)


# What the summary names, in this order, when it happened at all (labels of the run report).
NOT_CODED = ("outside", "empty", "no_division_code", "duplicate_id", "exhausted", "conflict")
NOTED = ("straddling", "partly_outside", "repaired", "year_default")


def summary(counts):
    """One line for the message bar naming each outcome of the run: coded (new, existing), each reason a
    feature was not coded (a registry conflict among them), repaired and straddling features, the overlaps
    (conflicts) with each planning layer."""
    def label(key):
        return tr(OUTCOME_LABELS[key])

    parts = ["{}: {} ({}: {}, {}: {})".format(label("coded"), counts.get("coded", 0), label("new"),
                                             counts.get("new", 0), label("existing"), counts.get("existing", 0))]
    parts += ["{}: {}".format(label(k), counts[k]) for k in NOT_CODED + NOTED if counts.get(k)]
    others = counts.get("failed", 0) - sum(counts.get(k, 0) for k in NOT_CODED)
    if others > 0:  # a reason the engine adds later
        parts.append(tr("Not coded for another reason (see the cc_status field and the report): {}").format(others))
    parts += [tr("Overlapping {}: {}").format(k[:-len("_hits")], v) for k, v in counts.items()
              if k.endswith("_hits") and v]
    return "; ".join(parts)


def _log(message, level=Qgis.MessageLevel.Info):
    QgsMessageLog.logMessage(message, LOG_TAG, level)


def show_result(iface, task):
    """Main thread, after the task ended: add the layer and report, or say what went wrong."""
    bar = iface.messageBar()
    if not task.succeeded:
        if task.canceled_before_commit:
            bar.pushMessage(LOG_TAG, tr("Batch coding canceled; no codes were issued."), Qgis.MessageLevel.Info,
                            MESSAGE_SECONDS)
            _log(tr("Batch coding canceled; no codes were issued."))
            return None
        errors = task.feedback.errors or [tr("unknown error")]
        bar.pushMessage(LOG_TAG, tr("Batch coding failed: {} — fix this and run it again; details in the CityCode "
                                    "log.").format(errors[-1]), Qgis.MessageLevel.Critical, 0)
        _log(tr("Batch coding failed.") + "\n" + task.feedback.textLog(), Qgis.MessageLevel.Critical)
        return None

    uri = task.results.get("OUTPUT")
    name = QgsProviderRegistry.instance().decodeUri("ogr", uri).get("layerName") or tr("coded")
    layer = QgsVectorLayer(uri, name, "ogr")
    if not layer.isValid():
        bar.pushMessage(LOG_TAG, tr("The codes were issued but the coded layer cannot be opened: {}").format(uri),
                        Qgis.MessageLevel.Critical, 0)
        return None
    label_with_codes(layer)
    QgsProject.instance().addMapLayer(layer)
    text = summary(task.counts)
    level = Qgis.MessageLevel.Success if int(task.results.get("FAILED", 0)) == 0 else Qgis.MessageLevel.Warning
    bar.pushMessage(tr("CityCode: {}").format(name), text, level, MESSAGE_SECONDS)
    details = [text,
               tr("Coded layer: {}").format(uri),
               tr("Registry: {}").format(task.results.get("REGISTRY") or task.parameters.get("REGISTRY", "")),
               tr("Report: {}").format(task.results.get("REPORT") or "-")]
    _log("\n".join(details + [task.feedback.textLog()]))
    return layer


def start_batch(iface, parameters):
    """Start citycode:assigncodes with `parameters` in the background; returns the task."""
    return run_task(iface, AssignTask(parameters))


def run_task(iface, task):
    """Hand an AssignTask to QGIS's task manager; show its result when it ends."""
    _RUNNING.add(task)

    def done():
        _RUNNING.discard(task)
        show_result(iface, task)

    task.taskCompleted.connect(done)
    task.taskTerminated.connect(done)
    QgsApplication.taskManager().addTask(task)
    return task


def cancel_all():
    """Cancel the batch runs still going (the plugin is unloading)."""
    for task in list(_RUNNING):
        task.cancel()


def _fields(layer):
    return [f.name() for f in layer.fields()] if isinstance(layer, QgsVectorLayer) else []


def _is_polygon(layer):
    return isinstance(layer, QgsVectorLayer) and layer.geometryType() == QgsWkbTypes.GeometryType.PolygonGeometry


def free_path(path):
    """`path`, or with _2, _3, ... before its extension when a file of that name exists (earlier runs' kept)."""
    stem, ext = os.path.splitext(path)
    n = 1
    while os.path.exists(path):
        n += 1
        path = "{}_{}{}".format(stem, n, ext)
    return path


class BatchDialog(QDialog):
    """Layers and fields to code, pre-filled from the project and the CityCode settings."""

    def __init__(self, iface, parent=None, qsettings=None):
        super().__init__(parent or iface.mainWindow())
        self.setObjectName("CityCodeBatchDialog")
        self.setWindowTitle(tr("CityCode — batch assign codes"))
        self.iface = iface
        self.qsettings = qsettings
        self.settings = cc_settings.load(qsettings)
        self.bar = QgsMessageBar(self)

        self.kind = QComboBox(self)
        self.kind.addItem(tr("Buildings"), "building")
        self.kind.addItem(tr("Projects"), "project")
        self.profile_label = QLabel(self)
        self.features = QgsMapLayerComboBox(self)
        self.features.setFilters(QgsMapLayerProxyModel.Filter.PolygonLayer)
        self.divisions = QgsMapLayerComboBox(self)
        self.divisions.setFilters(QgsMapLayerProxyModel.Filter.PolygonLayer)
        self.division_field = QgsFieldComboBox(self)
        self.year_field = QgsFieldComboBox(self)
        self.id_field = QgsFieldComboBox(self)
        for combo in (self.year_field, self.id_field):
            combo.setAllowEmptyFieldName(True)
        self.namespace = QLineEdit(self)  # whose ids these are (core/datasets.py)
        self.namespace.setPlaceholderText(tr("Empty = stored with the data, else its source"))
        self.planning = QgsCheckableComboBox(self)
        self.planning.setDefaultText(tr("none"))
        self.registry = QgsFileWidget(self)
        self.registry.setStorageMode(QgsFileWidget.StorageMode.SaveFile)
        self.registry.setConfirmOverwrite(False)
        self.registry.setFilter(tr("CityCode registry (*.sqlite *.gpkg)"))
        self.registry.setFilePath(self.settings.registry_path)
        self.output = QgsFileWidget(self)
        self.output.setStorageMode(QgsFileWidget.StorageMode.SaveFile)
        self.output.setFilter(tr("GeoPackage (*.gpkg)"))
        self.output.lineEdit().setPlaceholderText(tr("In the output folder, asked for once when you run"))
        # The datum each input is really in (assigncodes' *_DATUM; detected by default) and what parts become.
        self.datums = {key: self._choices(DATUMS, OPTION_LABELS)
                       for key in ("BUILDINGS_DATUM", "DIVISIONS_DATUM", "PLANNING_DATUM")}
        self.parts = self._choices(list(PARTS_LABELS), PARTS_LABELS)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(tr("Features are"), self.kind)
        form.addRow(tr("Code profile"), self.profile_label)
        form.addRow(tr("Layer to code"), self.features)
        form.addRow(tr("Divisions (township/street)"), self.divisions)
        form.addRow(tr("Division code field"), self.division_field)
        form.addRow(tr("Year field (empty = {})").format(self.settings.year), self.year_field)
        form.addRow(tr("Identity field (empty = geometry fingerprint)"), self.id_field)
        form.addRow(tr("Dataset namespace of the ids"), self.namespace)
        form.addRow(tr("Planning layers (三区三线)"), self.planning)
        for key, label in (("BUILDINGS_DATUM", tr("Datum of the layer to code")),
                           ("DIVISIONS_DATUM", tr("Datum of the divisions")),
                           ("PLANNING_DATUM", tr("Datum of the planning layers"))):
            form.addRow(label, self.datums[key])
        form.addRow(tr("Building parts (OSM building:part)"), self.parts)
        form.addRow(tr("Code registry"), self.registry)
        form.addRow(tr("Coded layer"), self.output)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("Run in background"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.bar)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.resize(760, 0)

        self.kind.currentIndexChanged.connect(self._show_profile)
        self.features.layerChanged.connect(self._features_changed)
        self.divisions.layerChanged.connect(self._divisions_changed)
        self._prefill()
        self.task = None

    def _choices(self, values, labels):
        combo = QComboBox(self)
        for value in values:
            combo.addItem(tr(labels.get(value, value)), value)
        return combo

    # -- pre-filling ----------------------------------------------------------------------------
    def _prefill(self):
        """Divisions: the first polygon layer with a `code` field; layer to code: the active layer, else
        the first other polygon layer that is not a planning layer."""
        polygons = [layer for layer in QgsProject.instance().mapLayers().values() if _is_polygon(layer)]
        division_layer = next((layer for layer in polygons if "code" in _fields(layer)), None)
        plans = self._planning_layers([division_layer])
        candidates = [layer for layer in polygons if layer is not division_layer and layer not in plans]
        active = self.iface.activeLayer()
        features = active if active in candidates else (candidates[0] if candidates else None)
        for combo, layer in ((self.divisions, division_layer), (self.features, features)):
            if layer is not None:
                combo.setLayer(layer)
        self._divisions_changed(self.divisions.currentLayer())
        self._features_changed(self.features.currentLayer())
        self._show_profile()

    def _planning_layers(self, exclude):
        return project_planning_layers(values=self.settings, exclude=exclude)

    def _profile(self):
        """The settings' profile; the shipped default of the kind becomes auto: the level of the division
        codes then picks building, building_county … (division_levels)."""
        kind = self.kind.currentData()
        profile = self.settings.profile_for(kind)
        return AUTO if profile == kind else profile

    def _show_profile(self):
        profile = self._profile()
        self.profile_label.setText(tr("auto (by the level of the division codes)") if profile == AUTO else profile)

    def _divisions_changed(self, layer):
        self.division_field.setLayer(layer)
        if "code" in _fields(layer):
            self.division_field.setField("code")
        self._fill_planning()

    def _features_changed(self, layer):
        for combo, name in ((self.year_field, "year"), (self.id_field, "id")):
            combo.setLayer(layer)
            combo.setField(name if name in _fields(layer) else "")
        if isinstance(layer, QgsVectorLayer):
            self.kind.setCurrentIndex(self.kind.findData("project" if "xmdm" in _fields(layer) else "building"))
            self.output.setFilePath(self._default_output(layer))
        self._fill_planning()

    def _default_output(self, layer):
        """<layer>_coded.gpkg in the output folder of the settings (never beside the input unasked); "" until
        the user has chosen that folder."""
        folder = self.settings.output_folder
        if layer is None or not folder or cc_settings.output_folder_problem(folder):
            return ""
        return free_path(os.path.join(folder, "{}_coded.gpkg".format(own_name(layer))))

    def _fill_planning(self):
        """Planning candidates: the other polygon layers; the project's planning layers are ticked."""
        chosen = [self.features.currentLayer(), self.divisions.currentLayer()]
        plans = self._planning_layers(chosen)
        self.planning.clear()
        for layer in QgsProject.instance().mapLayers().values():
            if _is_polygon(layer) and layer not in chosen:
                self.planning.addItemWithCheckState(
                    layer.name(), Qt.CheckState.Checked if layer in plans else Qt.CheckState.Unchecked, layer.id())

    # -- running --------------------------------------------------------------------------------
    def parameters(self):
        features, divisions = self.features.currentLayer(), self.divisions.currentLayer()
        output = self.output.filePath().strip()
        profile = self._profile()
        params = {
            "BUILDINGS": features.id() if features else None,
            "DIVISIONS": divisions.id() if divisions else None,
            "DIVISION_FIELD": self.division_field.currentField() or "code",
            "YEAR_FIELD": self.year_field.currentField() or None,
            "DEFAULT_YEAR": self.settings.year,
            "ID_FIELD": self.id_field.currentField() or None,
            "NAMESPACE": self.namespace.text().strip() or None,
            "PLANNING": list(self.planning.checkedItemsData()),
            "REGISTRY": self.registry.filePath().strip(),
            "OUTPUT": output,
            "REPORT": os.path.splitext(output)[0] + "_report.html" if output else None,
            "PARTS": self.parts.currentData(),
        }
        params.update({key: combo.currentData() for key, combo in self.datums.items()})
        if profile == AUTO or profile in builtin_profiles():
            params["PROFILE"] = profile
        else:
            params["PROFILE_FILE"] = profile
        return params

    def problems(self, params):
        found = []
        if not params["BUILDINGS"] or not params["DIVISIONS"]:
            found.append(tr("Choose the layer to code and the divisions layer"))
        elif params["BUILDINGS"] == params["DIVISIONS"]:
            found.append(tr("The layer to code and the divisions layer must differ"))
        if not params["OUTPUT"]:
            found.append(tr("Choose where to save the coded layer"))
        problem = cc_settings.registry_problem(params["REGISTRY"]) if params["REGISTRY"] else \
            tr("Choose the code registry (the CityCode settings hold the usual one)")
        if problem:
            found.append(problem)
        problem = params.get("PROFILE") != AUTO and cc_settings.profile_problem(
            params.get("PROFILE") or params.get("PROFILE_FILE"))
        if problem:
            found.append(tr("Code profile: {} (see the CityCode settings)").format(problem))
        return found

    def ask_output_folder(self):
        """The folder for outputs, asked once (replaceable in tests); "" when the user cancels."""
        return QFileDialog.getExistingDirectory(
            self, tr("CityCode: where should outputs go? (asked once; change it in the settings)"),
            os.path.expanduser("~"))

    def ask_fingerprints(self, path: str) -> bool:
        """Yes to coding a shapefile without its attribute table by geometry fingerprint (replaceable in tests)."""
        answer = QMessageBox.question(self, tr("CityCode"), tr(
            "The attribute table of {} (its .dbf file) is missing: the features have no ids, only their geometry.\n\n"
            "Code them by geometry fingerprint? (A building reshaped later then counts as new.)").format(path))
        return answer == QMessageBox.StandardButton.Yes

    def accept(self):
        known = self.settings.output_folder
        if not self.output.filePath().strip() and (not known or cc_settings.output_folder_problem(known)):
            folder = self.ask_output_folder()  # the first time, or the folder is gone
            if folder:
                cc_settings.remember_output_folder(folder, self.qsettings)
                self.settings.output_folder = folder
                self.output.setFilePath(self._default_output(self.features.currentLayer()))
        params = self.parameters()
        found = self.problems(params)
        if found:
            self.bar.clearWidgets()
            self.bar.pushMessage(tr("Cannot start"), "; ".join(found), Qgis.MessageLevel.Critical, 0)
            return
        no_table = missing_table(LayerInput(source=self.features.currentLayer()))
        if no_table:
            if not self.ask_fingerprints(no_table):
                return
            params["ALLOW_FINGERPRINTS"] = True
        self.task = start_batch(self.iface, params)
        super().accept()


def open_batch_dialog(iface):
    """Show the batch dialog; returns the started task or None."""
    dialog = BatchDialog(iface)
    dialog.exec()
    return dialog.task
