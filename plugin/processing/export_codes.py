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
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..core.output import exports
from .base import CityCodeAlgorithm


class ExportCodesAlgorithm(CityCodeAlgorithm):
    _name = "exportcodes"
    _display = QT_TRANSLATE_NOOP("CityCode", "Export coded data (GeoPackage, Shapefile, CSV, Excel, GeoJSON)")
    _group_id = "output"
    _layer_params = ("INPUT",)

    def shortHelpString(self):
        return self.tr(
            "<p>Writes a layer (e.g. the coded buildings) in a format other systems read: GeoPackage, Shapefile, "
            "CSV, Excel (XLSX) or GeoJSON. Codes stay text, Chinese text stays intact, and whatever a format "
            "cannot hold as it is is changed and listed in the log and the REPORT output, with the features "
            "concerned (by their code, else their row number). The file appears complete or not at all.</p>"
            "<h3>Formats</h3><ul>"
            "<li><b>gpkg</b>: everything as it is (the fastest).</li>"
            "<li><b>shp</b>: field names of at most 10 bytes (the full names are in <i>name</i>.fields.csv beside "
            "it), text of at most 254 bytes (longer values are cut and listed), date-times as text, at most 2 GB "
            "per file (refused before writing). A .cpg file says the encoding.</li>"
            "<li><b>csv</b>: UTF-8 with a BOM so Excel shows Chinese right, a .csvt beside it so GIS programs "
            "keep codes as text. Excel ignores the .csvt: opening a CSV, it turns digit-only text into numbers "
            "(a 23-digit code becomes 3.4E+22, leading zeros go) and 1-2 into a date. Tick <i>CSV for Excel</i> "
            "to write such values as =\"...\", a formula whose result is the text itself, which every Excel "
            "shows as it is (a leading apostrophe or tab would stay in the cell); other programs then read those "
            "characters too. Without it, the log lists the fields Excel would spoil.</li>"
            "<li><b>xlsx</b> (the choice for Excel users): text is written as text cells, so codes show as they "
            "are and stay text. At most 1 048 575 rows.</li>"
            "<li><b>geojson</b>: RFC 7946: WGS84 longitude/latitude, 7 decimals (about 1 cm).</li></ul>"
            "<h3>Parameters</h3><ul>"
            "<li><b>Encoding</b> (Shapefile): UTF-8, or GBK for ArcGIS 10.x and older Chinese systems (the .cpg "
            "then says 936, the code page of GBK, and so does the .dbf's code page byte). Text GBK "
            "cannot hold (rare characters such as 𠀾, emoji) stops the export with the features listed; choose "
            "UTF-8 then, or tick <i>Write '?' for characters GBK cannot hold</i>.</li>"
            "<li><b>Fields</b>: the fields to write, in this order (empty: all).</li>"
            "<li><b>Datum</b>: as_input keeps the layer's CRS (GeoJSON: WGS84); wgs84 / cgcs2000 write "
            "longitude/latitude. CGCS2000 and WGS84 differ by centimetres, so CGCS2000 data goes to WGS84 as it "
            "is. gcj02 (AMap/Tencent's offset datum) is written only when chosen here.</li>"
            "<li><b>Geometry</b> (CSV, XLSX): a WKT column, the x/y of a point (for lines and polygons their "
            "centroid or a point surely inside them, in the chosen datum), or none.</li></ul>")

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
