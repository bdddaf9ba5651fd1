"""Batch coding from the GUI: citycode:assigncodes as a background task, the coded layer added with labels.

The dialog only gathers parameters (pre-filled from the CityCode settings); the algorithm does the work
in a QgsTask (progress and cancel in QGIS's task manager), so the QGIS window stays responsive. When
the task ends, the coded layer is added, labelled with its codes, and a summary goes to the message bar
with the details in the "CityCode" log tab.
"""
import os
from collections import Counter

from qgis.core import (
    Qgis,
    QgsApplication,
    QgsFeatureRequest,
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
from qgis.PyQt.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout

from ..core import settings as cc_settings
from ..core.i18n import tr
from ..core.profiles import builtin_profiles

ALGORITHM_ID = "citycode:assigncodes"
LOG_TAG = "CityCode"
CODE_FIELD = "citycode"
STATUS_FIELD = "cc_status"
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


def status_counts(uri):
    """How many features of the coded layer have each cc_status (new, existing, outside, ...)."""
    layer = QgsVectorLayer(uri, "coded", "ogr")
    if not layer.isValid() or layer.fields().indexOf(STATUS_FIELD) < 0:
        return Counter()
    request = QgsFeatureRequest().setFlags(QgsFeatureRequest.Flag.NoGeometry)
    request.setSubsetOfAttributes([STATUS_FIELD], layer.fields())
    return Counter(f[STATUS_FIELD] for f in layer.getFeatures(request))


class AssignTask(QgsTask):
    """Runs citycode:assigncodes: prepared in the main thread, run in the task's thread (QGIS's rule for
    algorithms), then the coded layer's statuses are counted there too, so nothing heavy blocks the window.
    Cancel reaches the engine through the feedback; it stops unless the registry has already committed."""

    def __init__(self, parameters, description=""):
        super().__init__(description or tr("CityCode: assigning codes"), QgsTask.Flag.CanCancel)
        self.parameters = dict(parameters)
        self.feedback = _Feedback()
        self.feedback.progressChanged.connect(self.setProgress, Qt.ConnectionType.DirectConnection)
        self.context = QgsProcessingContext()
        self.context.setProject(QgsProject.instance())
        self.results = {}
        self.statuses = Counter()
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
        self.statuses = status_counts(self.results.get("OUTPUT") or "")
        return True

    def finished(self, result):  # main thread
        self.succeeded = result

    @property
    def canceled_before_commit(self):
        return self.feedback.isCanceled() and not self.results


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


def summary(task):
    """One line for the message bar: new / existing codes, outside and straddling features."""
    r = task.results
    text = tr("{} new codes, {} existing, {} outside every division, {} straddling a boundary").format(
        task.statuses.get("new", 0), task.statuses.get("existing", 0), r.get("OUTSIDE", 0), r.get("STRADDLING", 0))
    others = int(r.get("FAILED", 0)) - int(r.get("OUTSIDE", 0))
    if others > 0:
        text += tr("; {} more without a code (see the cc_status field)").format(others)
    return text


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
    text = summary(task)
    level = Qgis.MessageLevel.Success if int(task.results.get("FAILED", 0)) == 0 else Qgis.MessageLevel.Warning
    bar.pushMessage(tr("CityCode: {}").format(name), text, level, MESSAGE_SECONDS)
    details = [text,
               tr("Coded layer: {}").format(uri),
               tr("Registry: {}").format(task.results.get("REGISTRY") or task.parameters.get("REGISTRY", "")),
               tr("Report: {}").format(task.results.get("REPORT") or "-"),
               tr("Features by status: {}").format(", ".join(
                   "{} {}".format(k, v) for k, v in sorted(task.statuses.items())))]
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


def _source_key(source):
    """A layer source compared with the remembered planning sources: file path + layer name for files
    (however the path is spelled), the URI itself otherwise."""
    parts = QgsProviderRegistry.instance().decodeUri("ogr", source)
    path = parts.get("path") or ""
    if path and os.path.exists(path):
        return "{}|{}".format(os.path.normcase(os.path.realpath(path)), parts.get("layerName") or "")
    return source.strip()


class BatchDialog(QDialog):
    """Layers and fields to code, pre-filled from the project and the CityCode settings."""

    def __init__(self, iface, parent=None, qsettings=None):
        super().__init__(parent or iface.mainWindow())
        self.setObjectName("CityCodeBatchDialog")
        self.setWindowTitle(tr("CityCode — batch assign codes"))
        self.iface = iface
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

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(tr("Features are"), self.kind)
        form.addRow(tr("Code profile"), self.profile_label)
        form.addRow(tr("Layer to code"), self.features)
        form.addRow(tr("Divisions (township/street)"), self.divisions)
        form.addRow(tr("Division code field"), self.division_field)
        form.addRow(tr("Year field (empty = {})").format(self.settings.year), self.year_field)
        form.addRow(tr("Identity field (empty = geometry fingerprint)"), self.id_field)
        form.addRow(tr("Planning layers (三区三线)"), self.planning)
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

    # -- pre-filling ----------------------------------------------------------------------------
    def _prefill(self):
        """Divisions: the first polygon layer with a `code` field; layer to code: the active layer, else
        the first other polygon layer that is not a remembered planning layer."""
        polygons = [l for l in QgsProject.instance().mapLayers().values() if _is_polygon(l)]
        division_layer = next((l for l in polygons if "code" in _fields(l)), None)
        keys = self._planning_keys()
        candidates = [l for l in polygons if l is not division_layer and _source_key(l.source()) not in keys]
        active = self.iface.activeLayer()
        features = active if active in candidates else (candidates[0] if candidates else None)
        for combo, layer in ((self.divisions, division_layer), (self.features, features)):
            if layer is not None:
                combo.setLayer(layer)
        self._divisions_changed(self.divisions.currentLayer())
        self._features_changed(self.features.currentLayer())
        self._show_profile()

    def _planning_keys(self):
        return {_source_key(s) for s in self.settings.planning_sources}

    def _show_profile(self):
        self.profile_label.setText(self.settings.profile_for(self.kind.currentData()))

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
            path = QgsProviderRegistry.instance().decodeUri("ogr", layer.source()).get("path") or ""
            folder = os.path.dirname(path) if path and os.access(os.path.dirname(path) or ".", os.W_OK) else \
                os.path.dirname(self.settings.registry_path)
            self.output.setFilePath(os.path.join(folder, "{}_coded.gpkg".format(layer.name())))
        self._fill_planning()

    def _fill_planning(self):
        """Planning candidates: the other polygon layers; those remembered in the settings are ticked."""
        chosen = {self.features.currentLayer(), self.divisions.currentLayer()}
        keys = self._planning_keys()
        self.planning.clear()
        for layer in QgsProject.instance().mapLayers().values():
            if _is_polygon(layer) and layer not in chosen:
                self.planning.addItemWithCheckState(
                    layer.name(), Qt.CheckState.Checked if _source_key(layer.source()) in keys
                    else Qt.CheckState.Unchecked, layer.id())

    # -- running --------------------------------------------------------------------------------
    def parameters(self):
        features, divisions = self.features.currentLayer(), self.divisions.currentLayer()
        output = self.output.filePath().strip()
        profile = self.settings.profile_for(self.kind.currentData())
        params = {
            "BUILDINGS": features.id() if features else None,
            "DIVISIONS": divisions.id() if divisions else None,
            "DIVISION_FIELD": self.division_field.currentField() or "code",
            "YEAR_FIELD": self.year_field.currentField() or None,
            "DEFAULT_YEAR": self.settings.year,
            "ID_FIELD": self.id_field.currentField() or None,
            "PLANNING": list(self.planning.checkedItemsData()),
            "REGISTRY": self.registry.filePath().strip(),
            "OUTPUT": output,
            "REPORT": os.path.splitext(output)[0] + "_report.html" if output else None,
        }
        if profile in builtin_profiles():
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
        problem = cc_settings.profile_problem(params.get("PROFILE") or params.get("PROFILE_FILE"))
        if problem:
            found.append(tr("Code profile: {} (see the CityCode settings)").format(problem))
        return found

    def accept(self):
        params = self.parameters()
        found = self.problems(params)
        if found:
            self.bar.clearWidgets()
            self.bar.pushMessage(tr("Cannot start"), "; ".join(found), Qgis.MessageLevel.Critical, 0)
            return
        self.task = start_batch(self.iface, params)
        super().accept()


def open_batch_dialog(iface):
    """Show the batch dialog; returns the started task or None."""
    dialog = BatchDialog(iface)
    dialog.exec()
    return dialog.task
