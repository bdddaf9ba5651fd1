"""Locator filter "ccd": find a code, part of one, or a name — in loaded layers and in the registry.

(QGIS ignores plugin prefixes shorter than 3 characters, hence "ccd" — city code — rather than "cc".
Without a prefix the filter takes part in every locator search as well.)

Results from loaded layers (those with a `citycode` field) zoom to the feature and flash it; registry
records zoom to the loaded feature holding that code, or say that none is loaded.
"""
import os

from qgis.core import (
    Qgis,
    QgsCoordinateTransform,
    QgsExpression,
    QgsFeatureRequest,
    QgsLocatorFilter,
    QgsLocatorResult,
    QgsMessageLog,
    QgsProject,
    QgsVectorLayer,
    QgsVectorLayerFeatureSource,
)

from ..core import settings as cc_settings
from ..core.i18n import tr
from ..core.registry.pg_connection import is_postgres_location
from ..core.registry.base import RegistryError
from ..core.registry.backends import open_registry
from ..core.definitions import CODE_FIELD, NAME_FIELD

PREFIX = "ccd"
LOG_TAG = "CityCode"
MIN_CHARS = 2      # one character matches nearly every code
LIMIT = 30         # results per layer and from the registry
MIN_VIEW = 100.0   # metres shown around a small feature at least (it would fill the view otherwise)
MIN_VIEW_DEGREES = 0.001


def _set_data(result, data):
    if hasattr(result, "setUserData"):  # QGIS >= 3.34
        result.setUserData(data)
    else:
        result.userData = data


def _data(result):
    return result.userData() if callable(getattr(result, "userData", None)) else result.getUserData()


def coded_layers(project=None):
    """Vector layers of the project that have a citycode field."""
    return [layer for layer in (project or QgsProject.instance()).mapLayers().values()
            if isinstance(layer, QgsVectorLayer) and layer.fields().indexOf(CODE_FIELD) >= 0]


def _search_expression(text, has_name):
    pattern = QgsExpression.quotedValue("%{}%".format(text))
    expression = "{} ILIKE {}".format(QgsExpression.quotedColumnRef(CODE_FIELD), pattern)
    if has_name:
        expression += " OR {} ILIKE {}".format(QgsExpression.quotedColumnRef(NAME_FIELD), pattern)
    return expression


class CityCodeLocatorFilter(QgsLocatorFilter):
    def __init__(self, iface):
        super().__init__()
        self.iface = iface
        self._sources = []
        self._registry_path = ""

    def name(self):
        return "citycode"

    def displayName(self):  # noqa: N802 (QGIS API names)
        return "城市码 / CityCode"

    def prefix(self):
        return PREFIX

    def clone(self):
        return CityCodeLocatorFilter(self.iface)

    def prepare(self, string, context):
        """Main thread: feature sources the search thread may read safely, and where the registry is."""
        self._sources = [(layer.id(), layer.name(), QgsVectorLayerFeatureSource(layer),
                          layer.fields().indexOf(NAME_FIELD) >= 0) for layer in coded_layers()]
        self._registry_path = cc_settings.load().registry_path
        return []

    def fetchResults(self, string, context, feedback):  # noqa: N802
        text = string.strip()
        if len(text) < MIN_CHARS:
            return
        seen = set()
        for layer_id, layer_name, source, has_name in self._sources:
            request = QgsFeatureRequest().setFilterExpression(_search_expression(text, has_name))
            request.setFlags(QgsFeatureRequest.Flag.NoGeometry).setLimit(LIMIT)
            for feature in source.getFeatures(request):
                if feedback.isCanceled():
                    return
                code = feature[CODE_FIELD] or ""
                name = feature[NAME_FIELD] if has_name else ""
                seen.add(code)
                self._emit(code or tr("(no code)"), " · ".join(str(v) for v in (name, layer_name) if v),
                           layer_name, {"layer": layer_id, "fid": feature.id(), "code": code})
        self._registry_results(text, seen, feedback)

    def _registry_results(self, text, seen, feedback):
        if not (is_postgres_location(self._registry_path) or os.path.isfile(self._registry_path)):
            return  # opening a missing registry file would create it
        try:
            with open_registry(self._registry_path) as registry:
                records = registry.find(text, LIMIT)
        except RegistryError as e:
            QgsMessageLog.logMessage(tr("Locator: cannot read the registry: {}").format(e), LOG_TAG,
                                     Qgis.MessageLevel.Warning)
            return
        for rec in records:
            if feedback.isCanceled():
                return
            if rec.code in seen:
                continue  # already listed with its feature
            self._emit(rec.code, " · ".join(str(v) for v in (rec.name, rec.status, rec.division, rec.year) if v),
                       tr("Registry"), {"code": rec.code, "name": rec.name or "", "status": rec.status})

    def _emit(self, display, description, group, data):
        result = QgsLocatorResult()
        result.filter = self
        result.displayString = display
        result.description = description
        result.group = group
        _set_data(result, data)
        self.resultFetched.emit(result)

    # -- choosing a result (main thread) --------------------------------------------------------
    def triggerResult(self, result):  # noqa: N802
        data = _data(result) or {}
        layer = QgsProject.instance().mapLayer(data.get("layer") or "")
        fid = data.get("fid")
        if layer is None or fid is None:
            layer, fid = self.find_loaded(data.get("code") or "")
        if layer is None:
            self.iface.messageBar().pushMessage(
                LOG_TAG, tr("{} ({}) is in the registry, but no loaded layer holds it; add the coded layer to "
                            "the map to see it.").format(data.get("code"), data.get("status")),
                Qgis.MessageLevel.Info, 8)
            return
        self.zoom_to(layer, fid)

    @staticmethod
    def find_loaded(code):
        """(layer, feature id) of the first loaded feature with this code, or (None, None)."""
        if not code:
            return None, None
        expression = "{} = {}".format(QgsExpression.quotedColumnRef(CODE_FIELD), QgsExpression.quotedValue(code))
        for layer in coded_layers():
            request = QgsFeatureRequest().setFilterExpression(expression).setLimit(1)
            request.setFlags(QgsFeatureRequest.Flag.NoGeometry).setNoAttributes()
            for feature in layer.getFeatures(request):
                return layer, feature.id()
        return None, None

    def zoom_to(self, layer, fid):
        canvas = self.iface.mapCanvas()
        geometry = layer.getFeature(fid).geometry()
        if geometry.isEmpty():
            self.iface.messageBar().pushMessage(LOG_TAG, tr("This feature has no geometry"),
                                                Qgis.MessageLevel.Info, 5)
            return
        crs = canvas.mapSettings().destinationCrs()
        box = QgsCoordinateTransform(layer.crs(), crs, QgsProject.instance()).transformBoundingBox(
            geometry.boundingBox())
        box.scale(3.0)
        margin = MIN_VIEW_DEGREES if crs.isGeographic() else MIN_VIEW
        if max(box.width(), box.height()) < margin:  # a point or a small building: show its surroundings
            box.grow(margin / 2)
        canvas.setExtent(box)
        canvas.refresh()
        canvas.flashFeatureIds(layer, [fid])
