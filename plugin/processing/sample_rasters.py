"""citycode:samplerasters — the values of rasters (DEM, land-cover, pollution grids ...) at points, with why a
value is missing."""
import math
import re

import numpy as np
from qgis.core import (
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterString,
    QgsRasterLayer,
)

from .base import CityCodeAlgorithm

NO_GEOMETRY = "no_geometry"  # the reason of a feature without a point (the core's are "", nodata, outside)


def parse_bands(text):
    """"1, 3" -> [1, 3]; empty -> None (every band). Raises ValueError naming what is not a band number."""
    parts = [p for p in re.split(r"[\s,，;；]+", text or "") if p]
    bad = [p for p in parts if not p.isdigit() or int(p) < 1]
    if bad:
        raise ValueError(", ".join(bad))
    return [int(p) for p in parts] or None


def _xy(geometry):
    """x, y of a point (a multipoint's first point); NaN without one."""
    if geometry is None or geometry.isNull() or geometry.isEmpty():
        return math.nan, math.nan
    vertex = geometry.vertexAt(0)
    return vertex.x(), vertex.y()


class SampleRastersAlgorithm(CityCodeAlgorithm):
    _name = "samplerasters"
    _json_params = ("INPUT",)

    def initAlgorithm(self, config=None):
        self.addParameter(QgsProcessingParameterFeatureSource(
            "INPUT", self.tr("Points"), [QgsProcessing.SourceType.TypeVectorPoint]))
        self.addParameter(QgsProcessingParameterMultipleLayers(
            "RASTERS", self.tr("Rasters"), QgsProcessing.SourceType.TypeRaster))
        self.addParameter(QgsProcessingParameterString(
            "BANDS", self.tr("Bands (e.g. 1,3; empty = every band)"), optional=True))
        self.addParameter(QgsProcessingParameterFeatureSink("OUTPUT", self.tr("Sampled points")))
        self.addOutput(QgsProcessingOutputNumber("VALID", self.tr("Values read")))
        self.addOutput(QgsProcessingOutputNumber("MISSING", self.tr("Values missing")))

    def prepareAlgorithm(self, parameters, context, feedback):  # noqa: N802 (QGIS API name)
        """Clones of the raster layers, made here in the thread that owns them (see base.prepareAlgorithm)."""
        from ..core.points.sampling import RasterInput
        try:
            bands = parse_bands(self.parameterAsString(parameters, "BANDS", context))
        except ValueError as e:
            raise QgsProcessingException(self.tr("Bands must be band numbers (1, 2 ...), not {}").format(e)) from e
        layers = [layer for layer in self.parameterAsLayerList(parameters, "RASTERS", context)
                  if isinstance(layer, QgsRasterLayer)]
        if not layers:
            raise QgsProcessingException(self.tr("Choose at least one raster layer"))
        self.rasters = [RasterInput(layer.clone(), bands, name=layer.name()) for layer in layers]
        return super().prepareAlgorithm(parameters, context, feedback)

    def process(self, parameters, context, feedback):
        from ..core.engine.layers import InputError
        from ..core.points.sampling import NODATA, OUTSIDE, VALID, rasterio_missing_message, sample_rasters

        source = self.source(parameters, "INPUT", context)
        if not source.sourceCrs().isValid():
            raise QgsProcessingException(self.tr("The points have no CRS; set it and run again"))
        features, xs, ys = [], [], []
        for feature in source.getFeatures():
            if feedback.isCanceled():
                return {}
            features.append(feature)
            x, y = _xy(feature.geometry())
            xs.append(x)
            ys.append(y)
        x, y = np.array(xs, dtype=float), np.array(ys, dtype=float)
        missing_message = rasterio_missing_message()
        if missing_message:
            feedback.pushInfo(missing_message)
        # The layer clones go with this run: QGIS keeps the traceback of an error raised here, and clones still
        # held by its frames are deleted after QGIS itself at exit (a crash).
        rasters, self.rasters = self.rasters, []
        try:
            samples, error = sample_rasters(x, y, source.sourceCrs().toWkt(), rasters), None
        except InputError as e:
            error = str(e)
        del rasters
        if error:
            raise QgsProcessingException(error)
        feedback.setProgress(50)

        json_fields = self.json_fields("INPUT", source, feedback)
        sink, dest_id, fields = self.extended_sink(parameters, context, source, json_fields, [
            field for column in samples for field in ((column, "Double"), (column + "_why", "String"))])
        empty = np.isnan(x) | np.isnan(y)
        columns = []
        for s in samples.values():
            values = [None if not ok else float(v) for v, ok in zip(s.values.tolist(), s.valid.tolist())]
            reasons = np.where(empty, NO_GEOMETRY, s.reason).tolist()
            columns += [values, reasons]
        for i, feature in enumerate(features):
            self.add_row(sink, fields, feature, json_fields.attributes(feature) + [c[i] for c in columns])

        valid = sum(int(s.valid.sum()) for s in samples.values())
        missing = sum(int((~s.valid).sum()) for s in samples.values())
        for column, s in samples.items():
            reasons = np.where(empty, NO_GEOMETRY, s.reason)
            feedback.pushInfo(self.tr("{}: {} values, {} nodata, {} outside the raster, {} without a point").format(
                column, int((reasons == VALID).sum()), int((reasons == NODATA).sum()),
                int((reasons == OUTSIDE).sum()), int((reasons == NO_GEOMETRY).sum())))
        feedback.setProgress(100)
        return {"OUTPUT": dest_id, "VALID": valid, "MISSING": missing}
