"""citycode:exportcodes — coded data out as GeoPackage, Shapefile, CSV, XLSX or GeoJSON, with a report of what
each format could not hold as it was."""
import os

from qgis.core import (
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputFile,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFileDestination,
)

from ..core.output import exports
from .base import CityCodeAlgorithm


class ExportCodesAlgorithm(CityCodeAlgorithm):
    _name = "exportcodes"
    _layer_params = ("INPUT",)

    def initAlgorithm(self, config=None):
        self.addParameter(QgsProcessingParameterFeatureSource(
            "INPUT", self.tr("Input layer"), [QgsProcessing.SourceType.TypeVector]))
        self.addParameter(self.choice_enum("FORMAT", self.tr("Format"), exports.FORMATS, exports.GPKG))
        self.addParameter(self.choice_enum("ENCODING", self.tr("Shapefile encoding"), exports.ENCODINGS, exports.UTF8))
        self.addParameter(QgsProcessingParameterBoolean(
            "REPLACE_UNENCODABLE", self.tr("Write '?' for characters GBK cannot hold"), defaultValue=False))
        self.addParameter(QgsProcessingParameterField(
            "FIELDS", self.tr("Fields (empty = all)"), None, "INPUT", QgsProcessingParameterField.DataType.Any,
            allowMultiple=True, optional=True))
        self.addParameter(self.choice_enum(
            "DATUM", self.tr("Datum (as_input: the layer's CRS; GeoJSON: WGS84)"), exports.DATUM_CHOICES,
            exports.AS_INPUT))
        self.addParameter(self.choice_enum(
            "GEOMETRY", self.tr("Geometry in CSV / XLSX"), exports.GEOMETRY_CHOICES, exports.GEOMETRY_WKT))
        self.addParameter(self.advanced(self.choice_enum(
            "POINT", self.tr("x/y of lines and polygons"), exports.POINT_CHOICES, exports.POINT_CENTROID)))
        self.addParameter(QgsProcessingParameterBoolean(
            "EXCEL_FORMULA", self.tr("CSV for Excel: codes and other number-like text kept as text (=\"...\")"),
            defaultValue=False))
        self.addParameter(QgsProcessingParameterFileDestination(
            "OUTPUT", self.tr("Output file"),
            self.tr("GeoPackage (*.gpkg);;Shapefile (*.shp);;CSV (*.csv);;Excel (*.xlsx);;GeoJSON (*.geojson)")))
        self.addOutput(QgsProcessingOutputNumber("FEATURES", self.tr("Features written")))
        self.addOutput(QgsProcessingOutputNumber("CHANGES", self.tr("Changes reported")))
        self.addOutput(QgsProcessingOutputString("REPORT", self.tr("What was changed")))
        self.addOutput(QgsProcessingOutputFile("FIELD_MAP", self.tr("Field name mapping (Shapefile)")))

    def process(self, parameters, context, feedback):
        fmt = self.enum_value(parameters, "FORMAT", context, exports.FORMATS)
        dest = self.parameterAsFileOutput(parameters, "OUTPUT", context)
        if not dest:
            raise QgsProcessingException(self.tr("Choose where to save the export"))
        path = exports.output_path_for(dest, fmt)
        if path != dest:
            feedback.pushInfo(self.tr("Writing {} (the extension of the format)").format(path))
        options = exports.ExportOptions(
            format=fmt,
            fields=self.parameterAsFields(parameters, "FIELDS", context) or None,
            datum=self.enum_value(parameters, "DATUM", context, exports.DATUM_CHOICES),
            encoding=self.enum_value(parameters, "ENCODING", context, exports.ENCODINGS),
            replace_unencodable=self.parameterAsBoolean(parameters, "REPLACE_UNENCODABLE", context),
            geometry=self.enum_value(parameters, "GEOMETRY", context, exports.GEOMETRY_CHOICES),
            point=self.enum_value(parameters, "POINT", context, exports.POINT_CHOICES),
            excel_formula=self.parameterAsBoolean(parameters, "EXCEL_FORMULA", context),
        )
        result = exports.export_layer(self.inputs["INPUT"], path, options, feedback)
        for change in result.changes:
            feedback.pushWarning(change.message)
        feedback.pushInfo(self.tr("{} features written to {} ({} fields{})").format(
            result.features, os.path.basename(result.path), len(result.fields),
            ", " + result.crs if result.crs else ""))
        return {"OUTPUT": result.path, "FEATURES": result.features, "CHANGES": len(result.changes),
                "REPORT": result.report(), "FIELD_MAP": result.mapping_path}
