"""citycode:convertdatum — move a vector layer between the web-map datums GCJ-02 / BD-09 and WGS84 / CGCS2000."""
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeature,
    QgsFeatureSink,
    QgsGeometry,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsWkbTypes,
)

from ..core.china import datums
from ..core.speedups import SHAPELY_OK
from .base import CityCodeAlgorithm

CHUNK = 1000  # features converted together: one array conversion per chunk
FROM_CHOICES = datums.DATUMS + ("auto",)  # auto last: the numbers scripts give stay what they were


def lonlat_transforms(crs, transform_context):
    """(to lon/lat, back to `crs`) for projected data, e.g. EPSG:3857 web-map tiles drawn in GCJ-02;
    (None, None) when the data is lon/lat already (or has no CRS) and converts as it is.

    Lon/lat here is EPSG:4326: web maps project their GCJ-02/BD-09 lon/lat as if it were WGS84, and
    for CGCS2000-based projections the step to 4326 is a null transformation.
    """
    if not crs.isValid() or crs.isGeographic():
        return None, None
    lonlat = QgsCoordinateReferenceSystem("EPSG:4326")
    return (QgsCoordinateTransform(crs, lonlat, transform_context),
            QgsCoordinateTransform(lonlat, crs, transform_context))


def _reprojected(geometries, transform):
    if transform is None:
        return geometries
    out = []
    for geometry in geometries:
        geometry = QgsGeometry(geometry)
        if not geometry.isNull():
            geometry.transform(transform)
        out.append(geometry)
    return out


def _convert_with_shapely(geometries, src, dst):
    import numpy as np
    import shapely

    wkb = np.array([None if g.isNull() else bytes(g.asWkb()) for g in geometries], dtype=object)
    converted = datums.convert_geometries(shapely.from_wkb(wkb), src, dst)
    out = []
    for data in shapely.to_wkb(converted, output_dimension=3):  # 3 keeps Z where there is one
        geometry = QgsGeometry()
        if data is not None:
            geometry.fromWkb(data)
        out.append(geometry)
    return out


class ConvertDatumAlgorithm(CityCodeAlgorithm):
    _name = "convertdatum"
    _json_params = ("INPUT",)

    def initAlgorithm(self, config=None):
        self.addParameter(QgsProcessingParameterFeatureSource(
            "INPUT", self.tr("Input layer"), [QgsProcessing.SourceType.TypeVectorAnyGeometry]))
        self.addParameter(self.choice_enum("FROM", self.tr("From datum"), FROM_CHOICES, datums.GCJ02))
        self.addParameter(self.choice_enum("TO", self.tr("To datum"), datums.DATUMS, datums.CGCS2000))
        self.addParameter(QgsProcessingParameterFeatureSink("OUTPUT", self.tr("Converted")))

    def process(self, parameters, context, feedback):
        with self.raw_geometries(context):  # a datum shift needs no valid geometry: pass everything through
            source = self.source(parameters, "INPUT", context)
        json_fields = self.json_fields("INPUT", source, feedback)
        src = self.enum_value(parameters, "FROM", context, FROM_CHOICES)
        if src == "auto":
            src = self.detected_datum(source, feedback)
        dst = self.enum_value(parameters, "TO", context, datums.DATUMS)

        crs = source.sourceCrs()
        to_lonlat, from_lonlat = lonlat_transforms(crs, context.transformContext())
        out_crs = crs if to_lonlat is not None else QgsCoordinateReferenceSystem(datums.lonlat_authid(dst))
        sink, dest_id = self.sink(parameters, context, json_fields.fields, source.wkbType(), out_crs)

        wkb_type = source.wkbType()
        # shapely 2 has neither M values nor curves: those layers go through QGIS geometry.
        use_shapely = SHAPELY_OK and not QgsWkbTypes.hasM(wkb_type) and not QgsWkbTypes.isCurvedType(wkb_type)
        convert = _convert_with_shapely if use_shapely else datums.convert_qgs_geometries
        if not crs.isValid():
            feedback.pushWarning(self.tr("The input has no CRS: its coordinates are taken as longitude/latitude."))

        def flush(chunk):
            geometries = _reprojected([f.geometry() for f in chunk], to_lonlat)
            geometries = _reprojected(convert(geometries, src, dst), from_lonlat)
            for feature, geometry in zip(chunk, geometries):
                out = QgsFeature(json_fields.fields, feature.id())
                out.setAttributes(json_fields.attributes(feature))
                out.setGeometry(geometry)
                sink.addFeature(out, QgsFeatureSink.Flag.FastInsert)

        self.in_chunks(source, feedback, flush, CHUNK)
        return {"OUTPUT": dest_id}

    def detected_datum(self, source, feedback):
        """The web-map datum the input shows (core/datum_detect.py), said in the log; stops when none is clear."""
        from ..core.china import datum_detect
        from ..core.engine.layers import LayerInput, read
        path, layer = self.json_files.get("INPUT") or (None, None)
        inp = LayerInput(path=path, layer=layer) if path else LayerInput(source=source, name=source.sourceName())
        found = datum_detect.detect(inp, read(inp, engine="auto" if path else "qgis"))
        evidence = "; ".join(found.evidence) or self.tr("nothing")
        if found.datum is None or not found.clear:
            raise QgsProcessingException(self.tr(
                "Cannot tell which web-map datum {} is in (found: {}); choose the From datum").format(
                source.sourceName(), evidence))
        feedback.pushInfo(self.tr("{}: converting from {} ({})").format(source.sourceName(), found.datum.upper(),
                                                                        evidence))
        return found.datum
