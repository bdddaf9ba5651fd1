"""Ways into the code form: a map tool (click a feature), the selection, and coding at birth (a feature
just digitised on a layer with a citycode field gets the form, and its code when the layer is saved).

Where the division layer, planning layers and registry come from: a CodingConfig, by default
CodingConfig.from_settings() (QgsSettings citycode/registry, citycode/division_layer; the project's planning
layers by core.planning.project_planning_layers, the rule the batch dialog and the map exports use too).
"""
from typing import Callable, Dict, List, Optional

from qgis.core import Qgis, QgsProject, QgsVectorLayer
from qgis.gui import QgsMapToolIdentify
from qgis.PyQt.QtCore import QObject, QTimer

from ..core.definitions import CODE_FIELD
from ..core.engine.feature_coding import CodingConfig, has_code_field
from ..core.i18n import tr
from .code_form import CodeForm

ConfigFactory = Callable[[], CodingConfig]


def _message(iface, text: str, level=Qgis.MessageLevel.Info):
    if iface is not None:
        iface.messageBar().pushMessage("CityCode", text, level, 6)


def open_code_form(iface, layer: QgsVectorLayer, fid: int, config: CodingConfig, birth: bool = False,
                   runner: Optional[Callable[[CodeForm], object]] = None) -> CodeForm:
    """Make the form for one feature and run it: runner(form), by default form.exec() (modal)."""
    form = CodeForm(layer, fid, config, iface=iface, birth=birth)
    (runner or (lambda f: f.exec()))(form)
    return form


def open_code_form_for_selection(iface, config: Optional[CodingConfig] = None,
                                 runner: Optional[Callable[[CodeForm], object]] = None) -> Optional[CodeForm]:
    """The form for the selected feature of the active layer (with several selected: the first that has
    a code, which Split and Merge then work on). Non-modal by default, so the selection can change."""
    layer = iface.activeLayer()
    if not isinstance(layer, QgsVectorLayer) or not layer.selectedFeatureCount():
        _message(iface, tr("Select a building or project on the active layer first"), Qgis.MessageLevel.Warning)
        return None
    selected = sorted(layer.getSelectedFeatures(), key=lambda f: f.id())
    coded = [f for f in selected if has_code_field(layer) and f[CODE_FIELD]]
    fid = (coded or selected)[0].id()
    return open_code_form(iface, layer, fid, config or CodingConfig.from_settings(),
                          runner=runner or (lambda f: f.show()))


class CodeMapTool(QgsMapToolIdentify):
    """Click a feature of the active vector layer: its code form opens (non-modal, one at a time)."""

    def __init__(self, iface, config_factory: ConfigFactory = CodingConfig.from_settings):
        super().__init__(iface.mapCanvas())
        self.iface, self.config_factory = iface, config_factory
        self.form: Optional[CodeForm] = None
        self.run_form: Callable[[CodeForm], object] = lambda form: form.show()

    def canvasReleaseEvent(self, event):  # noqa: N802 (Qt API name)
        layer = self.iface.activeLayer()
        if not isinstance(layer, QgsVectorLayer):
            _message(self.iface, tr("Choose a building or project layer in the Layers panel"),
                     Qgis.MessageLevel.Warning)
            return
        pixel = event.originalPixelPoint()  # the click itself (Qt6's QMouseEvent has no x(), y())
        hits = self.identify(pixel.x(), pixel.y(), [layer], QgsMapToolIdentify.IdentifyMode.TopDownStopAtFirst)
        if not hits:
            _message(self.iface, tr("No feature of layer {} here").format(layer.name()))
            return
        if self.form is not None:
            self.form.close()
        self.form = open_code_form(self.iface, layer, hits[0].mFeature.id(), self.config_factory(),
                                   runner=self.run_form)


class CodingAtBirth(QObject):
    """Watches the project's vector layers: a feature digitised on a layer with a citycode field opens
    the code form (the code is issued when the layer is saved). Several features added at once (a paste)
    and features that already carry a code (copied, or split off) get a message instead of forms."""

    def __init__(self, iface, config_factory: ConfigFactory = CodingConfig.from_settings,
                 project: Optional[QgsProject] = None):
        super().__init__()
        self.iface, self.config_factory = iface, config_factory
        self.project = project or QgsProject.instance()
        self.run_form: Callable[[CodeForm], object] = lambda form: form.exec()
        self.forms: List[CodeForm] = []      # the forms opened (the last ones; for tests and the lead)
        self._slots: Dict[str, object] = {}
        self._added: Dict[str, List[int]] = {}

    def start(self):
        self.project.layersAdded.connect(self._layers_added)
        self._layers_added(list(self.project.mapLayers().values()))

    def stop(self):
        try:
            self.project.layersAdded.disconnect(self._layers_added)
        except TypeError:  # never started
            pass
        for layer_id, slot in list(self._slots.items()):
            layer = self.project.mapLayer(layer_id)
            if layer is not None:
                layer.featureAdded.disconnect(slot)
        self._slots.clear()

    def watch(self, layer: QgsVectorLayer):
        if layer.id() in self._slots:
            return

        def slot(fid, lyr=layer):
            self._feature_added(lyr, fid)
        layer.featureAdded.connect(slot)
        self._slots[layer.id()] = slot
        layer.willBeDeleted.connect(lambda lid=layer.id(): self._slots.pop(lid, None))

    def _layers_added(self, layers):
        for layer in layers:
            if isinstance(layer, QgsVectorLayer) and layer.isSpatial():
                self.watch(layer)

    def _feature_added(self, layer: QgsVectorLayer, fid: int):
        if not has_code_field(layer) or fid >= 0:  # only new features in the edit buffer (fid < 0)
            return
        pending = self._added.setdefault(layer.id(), [])
        pending.append(fid)
        if len(pending) == 1:  # one look after the current edit command (a paste adds many at once)
            QTimer.singleShot(0, lambda: self._open(layer))

    def _open(self, layer: QgsVectorLayer):
        fids = [f for f in self._added.pop(layer.id(), []) if layer.getFeature(f).isValid()]
        carrying = [f for f in fids if layer.getFeature(f)[CODE_FIELD]]
        fresh = [f for f in fids if f not in carrying]
        if carrying:
            _message(self.iface, tr("{} new features of layer {} carry a copied code: give them their own with "
                                    "Split in the code form").format(len(carrying), layer.name()),
                     Qgis.MessageLevel.Warning)
        if len(fresh) > 1:
            _message(self.iface, tr("{} features were added to layer {} at once: code them with the batch tool "
                                    "or one by one with the code tool").format(len(fresh), layer.name()),
                     Qgis.MessageLevel.Warning)
        elif fresh:
            self.forms = self.forms[-4:] + [open_code_form(self.iface, layer, fresh[0], self.config_factory(),
                                                           birth=True, runner=self.run_form)]
