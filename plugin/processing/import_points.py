"""citycode:importpoints — monitoring points from a CSV/XLSX/GeoJSON/GPKG/SHP file, whatever their coordinates
look like, as a CGCS2000 point layer; every row that could not be imported is reported with its line."""
import os

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsFeatureSink,
    QgsFields,
    QgsGeometry,
    QgsPointXY,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterCrs,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterString,
    QgsWkbTypes,
)

from ..core.engine.layers import qgs_field
from .base import CityCodeAlgorithm
from .problems import REPORT_FILES, SHOWN_PROBLEMS, write_problems

FORMATS = ("auto", "decimal", "dm", "dms_packed")
DATUM_CHOICES = ("auto", "WGS84", "CGCS2000", "GCJ02", "BD09")
POINT_FILES = "Points (*.csv *.txt *.tsv *.dat *.ini *.xlsx *.xls *.ods *.geojson *.json *.gpkg *.shp);;All files (*.*)"
EXTRA_FIELDS = (("src_line", "LongLong"), ("lon_cgcs", "Double"), ("lat_cgcs", "Double"))


def _field_type(values):
    """The field type holding every value: whole numbers, numbers, else text (CSV and XLSX cells are text)."""
    filled = [v for v in values if v is not None]
    if filled and all(isinstance(v, int) and not isinstance(v, bool) for v in filled):
        return "LongLong"
    if filled and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in filled):
        return "Double"
    return "String"


class ImportPointsAlgorithm(CityCodeAlgorithm):
    _name = "importpoints"

    def initAlgorithm(self, config=None):
        self.addParameter(QgsProcessingParameterFile(
            "INPUT", self.tr("Points file"), QgsProcessingParameterFile.Behavior.File, fileFilter=POINT_FILES))
        self.addParameter(self.advanced(QgsProcessingParameterString(
            "LAYER", self.tr("Sheet or layer (empty = the first)"), optional=True)))
        self.addParameter(QgsProcessingParameterString(
            "X_FIELD", self.tr("Longitude / X column (empty = found by name or value)"), optional=True))
        self.addParameter(QgsProcessingParameterString(
            "Y_FIELD", self.tr("Latitude / Y column (empty = found by name or value)"), optional=True))
        self.addParameter(self.choice_enum("FORMAT", self.tr("Coordinate format"), FORMATS, "auto"))
        self.addParameter(self.choice_enum("DATUM", self.tr("Datum of the coordinates"), DATUM_CHOICES, "auto"))
        self.addParameter(QgsProcessingParameterString(
            "ID_FIELD", self.tr("Id column (empty = found by name)"), optional=True))
        self.add_encoding_param()
        self.addParameter(self.advanced(QgsProcessingParameterCrs(
            "CRS", self.tr("CRS of coordinates in metres (empty = from the values)"), optional=True)))
        self.addParameter(QgsProcessingParameterFeatureSink(
            "OUTPUT", self.tr("Points"), QgsProcessing.SourceType.TypeVectorPoint))
        self.addParameter(QgsProcessingParameterFileDestination(
            "PROBLEMS", self.tr("Problems report"), REPORT_FILES, optional=True, createByDefault=False))
        self.addOutput(QgsProcessingOutputNumber("POINTS", self.tr("Points imported")))
        self.addOutput(QgsProcessingOutputNumber("NOT_IMPORTED", self.tr("Rows not imported")))

    def process(self, parameters, context, feedback):
        from ..core.points.point_import import import_points

        path = self.parameterAsFile(parameters, "INPUT", context)
        datum = self.enum_value(parameters, "DATUM", context, DATUM_CHOICES)
        crs = self.parameterAsCrs(parameters, "CRS", context)
        try:
            imp = import_points(path, layer=self.text_value(parameters, "LAYER", context),
                                x=self.text_value(parameters, "X_FIELD", context),
                                y=self.text_value(parameters, "Y_FIELD", context),
                                fmt=self.enum_value(parameters, "FORMAT", context, FORMATS),
                                datum=None if datum == "auto" else datum,
                                id_field=self.text_value(parameters, "ID_FIELD", context),
                                encoding=self.encoding_value(parameters, context),
                                crs=(crs.authid() or crs.toWkt()) if crs.isValid() else None)
        except ValueError as e:  # the reader's plain ValueErrors (e.g. an unknown coordinate format)
            raise QgsProcessingException(str(e)) from e
        for note in imp.notes:
            feedback.pushInfo(note)

        taken = {name.lower() for name, _ in EXTRA_FIELDS}  # recomputed here, so not copied from the file
        columns = [h for h in imp.attributes if h.lower() not in taken]
        fields = QgsFields()
        types = {}
        for h in columns:
            types[h] = _field_type(imp.attributes[h])
            fields.append(qgs_field(h, types[h]))
        for name, type_name in EXTRA_FIELDS:
            fields.append(qgs_field(name, type_name))
        sink, dest_id = self.sink(parameters, context, fields, QgsWkbTypes.Type.Point,
                                  QgsCoordinateReferenceSystem("EPSG:4490"))
        values = [[None if v is None else v if types[h] != "String" else str(v) for v in imp.attributes[h]]
                  for h in columns]
        total = max(len(imp), 1)
        for i in range(len(imp)):
            if feedback.isCanceled():
                break
            feature = QgsFeature(fields)
            lon, lat = float(imp.lon[i]), float(imp.lat[i])
            feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(lon, lat)))
            feature.setAttributes([column[i] for column in values] + [int(imp.line[i]), lon, lat])
            sink.addFeature(feature, QgsFeatureSink.Flag.FastInsert)
            feedback.setProgress(100.0 * (i + 1) / total)

        problems = [dict(line=p.line, column=p.column or "", value=p.value or "", reason=p.reason)
                    for p in imp.problems]
        not_imported = len({p.line for p in imp.problems})
        for p in problems[:SHOWN_PROBLEMS]:
            feedback.pushWarning(self.tr("Line {}: {} '{}': {}").format(p["line"], p["column"], p["value"],
                                                                        p["reason"]))
        feedback.pushInfo(self.tr("{} points imported, {} rows not imported").format(len(imp), not_imported))
        report = None
        if parameters.get("PROBLEMS") not in (None, ""):
            report = write_problems(self.parameterAsFileOutput(parameters, "PROBLEMS", context),
                                    self.tr("Points not imported from {}").format(os.path.basename(path)),
                                    dest_id, {"total": imp.rows, "not_imported": not_imported}, problems, imp.notes)
        return {"OUTPUT": dest_id, "POINTS": len(imp), "NOT_IMPORTED": not_imported, "PROBLEMS": report}
