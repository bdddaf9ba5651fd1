"""Layer parameters turned into the core's LayerInput: a file the fast engine can read directly when nothing
QGIS-side changes what the layer shows, otherwise the QGIS feature source itself."""
import os

from qgis.core import (
    QgsFeatureRequest,
    QgsFields,
    QgsProcessingException,
    QgsProcessingFeatureSource,
    QgsProcessingFeatureSourceDefinition,
    QgsProcessingUtils,
    QgsProperty,
    QgsProviderRegistry,
    QgsVectorLayer,
)


class LayerInputsMixin:
    """For a QgsProcessingAlgorithm: its feature-source and layer parameters as the core's inputs."""

    @staticmethod
    def raw_geometries(context):
        """Context manager: Processing sources pass invalid geometries through (the engine repairs and
        counts them), so the QGIS path sees the same features as the file fast path."""
        return _GeometryCheckOff(context)

    @staticmethod
    def _file_of(layer):
        """(path, layer name) when the fast engine can read `layer` straight from its file, else None.

        That is an OGR layer whose file exists, without a subset string or an OGR-side geometry-type
        filter, without unsaved edits, joined or virtual fields, addressed by layer name or as the
        only/first layer.
        """
        if not isinstance(layer, QgsVectorLayer) or layer.providerType() != "ogr" or layer.subsetString():
            return None
        if layer.isModified():
            return None  # unsaved edits: only QGIS sees them
        fields = layer.fields()
        if any(fields.fieldOrigin(i) != QgsFields.FieldOrigin.OriginProvider for i in range(fields.count())):
            return None  # joined or virtual (expression) fields are not in the file
        parts = QgsProviderRegistry.instance().decodeUri("ogr", layer.source())
        path = parts.get("path") or ""
        if not path or not os.path.exists(path) or parts.get("subset") or parts.get("geometryType"):
            return None
        layer_name = parts.get("layerName") or None
        layer_id = parts.get("layerId")
        if layer_name is None and layer_id not in (None, ""):
            try:
                if int(layer_id) != 0:
                    return None  # addressed by index only: leave it to QGIS
            except (TypeError, ValueError):
                return None
        full_path = (parts.get("vsiPrefix") or "") + path + (parts.get("vsiSuffix") or "")
        return full_path, layer_name

    @staticmethod
    def display_name(layer, context):
        """The name a user knows a layer by: its name in the project, or for a layer Processing loaded from
        a path (e.g. qgis_process, models) the layer name inside the file rather than the file name."""
        if context is not None and context.temporaryLayerStore().mapLayer(layer.id()) is not None:
            parts = QgsProviderRegistry.instance().decodeUri(layer.providerType(), layer.source())
            if parts.get("layerName"):
                return str(parts["layerName"])
        return layer.name()

    @staticmethod
    def _crs_override(layer):
        """The layer CRS as WKT when the user set one that differs from what the file says, else None."""
        provider = layer.dataProvider()
        if layer.crs().isValid() and (provider is None or layer.crs() != provider.crs()):
            return layer.crs().toWkt()
        return None

    def layer_input(self, parameters, name, context, feedback=None):
        """The core's LayerInput for a feature-source parameter.

        Fast path (the engine reads the file itself): an OGR file layer (see _file_of), and not
        "selected features only", a feature limit or a per-input invalid-geometry filter. Otherwise the
        QgsProcessingFeatureSource (which applies selection, subset, edits, filters) goes to the engine.
        """
        from ..core.engine.assign import LayerInput

        value = parameters.get(name)
        if isinstance(value, QgsProperty):
            value = value.valueAsString(context.expressionContext())
        restricted = False
        if isinstance(value, QgsProcessingFeatureSourceDefinition):
            restricted = bool(value.selectedFeaturesOnly) or value.featureLimit not in (-1, None)
            if (value.flags & QgsProcessingFeatureSourceDefinition.Flag.FlagOverrideDefaultGeometryCheck
                    and value.geometryCheck != QgsFeatureRequest.InvalidGeometryCheck.GeometryNoCheck):
                restricted = True  # this input filters invalid geometries: let QGIS do it
            if getattr(value, "filterExpression", ""):  # QGIS >= 3.32
                restricted = True
        layer = self.parameterAsVectorLayer(parameters, name, context)
        if layer is not None and not restricted:
            found = self._file_of(layer)
            if found:
                path, layer_name = found
                return LayerInput(path=path, layer=layer_name, name=self.display_name(layer, context),
                                  crs_wkt=self._crs_override(layer))
        source = self.parameterAsSource(parameters, name, context)
        if source is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, name))
        display = self.display_name(layer, context) if layer is not None else (source.sourceName() or name)
        return LayerInput(source=source, name=display)

    def layer_inputs(self, parameters, name, context):
        """LayerInputs for a multiple-layers parameter, with unique display names (they name output fields)."""
        from ..core.engine.assign import LayerInput

        out, seen = [], {}
        for layer in self.parameterAsLayerList(parameters, name, context):
            if not isinstance(layer, QgsVectorLayer):
                continue
            display = self.display_name(layer, context) or os.path.splitext(
                os.path.basename(layer.source().split("|")[0]))[0]
            count = seen.get(display.lower(), 0) + 1
            seen[display.lower()] = count
            if count > 1:
                display = "{}_{}".format(display, count)
            found = self._file_of(layer)
            if found:
                out.append(LayerInput(path=found[0], layer=found[1], name=display,
                                      crs_wkt=self._crs_override(layer)))
            else:
                # Wrap so iteration honours the context (e.g. transform context) like any Processing source.
                out.append(LayerInput(source=QgsProcessingFeatureSource(layer, context, False), name=display))
        return out

    def _source_file(self, parameters, name, context):
        """(path, layer name) of a feature-source parameter's file (see _file_of), selected features or not."""
        value = parameters.get(name)
        if isinstance(value, QgsProcessingFeatureSourceDefinition):  # selected features: still the layer's file
            layer = QgsProcessingUtils.mapLayerFromString(value.source.valueAsString(context.expressionContext())[0],
                                                          context)
        else:
            layer = self.parameterAsVectorLayer(parameters, name, context)
        return self._file_of(layer)

    def json_fields(self, name, source, feedback):
        """The source's fields with nested or mixed GeoJSON values as JSON text (see core/json_fields.py), read
        from the layer's file where there is one (found in prepareAlgorithm); said in the log."""
        from ..core.engine.json_fields import JsonFields
        fields = JsonFields(source.fields(), *(getattr(self, "json_files", {}).get(name) or (None, None)))
        if fields:
            feedback.pushInfo(fields.message(source.sourceName()))
        return fields


class _GeometryCheckOff:
    def __init__(self, context):
        self.context = context
        self.saved = None

    def __enter__(self):
        self.saved = self.context.invalidGeometryCheck()
        self.context.setInvalidGeometryCheck(QgsFeatureRequest.InvalidGeometryCheck.GeometryNoCheck)
        return self

    def __exit__(self, *exc):
        self.context.setInvalidGeometryCheck(self.saved)
        return False

