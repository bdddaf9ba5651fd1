"""citycode:codepoints — monitoring points imported, coded, placed in their division and planning zones,
and sampled on rasters, in one pass."""
from qgis.core import (
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFile,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorDestination,
    QgsRasterLayer,
)

from .base import ENGINES, CityCodeAlgorithm

COORDINATE_FORMATS = ("auto", "decimal", "dm", "dms_packed")
POINT_DATUMS = ("auto", "CGCS2000", "WGS84", "GCJ02", "BD09")
ENCODINGS = ("auto", "UTF-8", "GBK")


class CodePointsAlgorithm(CityCodeAlgorithm):
    _name = "codepoints"
    _layer_params = ("DIVISIONS",)
    _multi_layer_param = "PLANNING"

    def initAlgorithm(self, config=None):
        from ..core.codes.profiles import load_profile
        any_field = QgsProcessingParameterField.DataType.Any
        self.addParameter(QgsProcessingParameterFile(
            "INPUT_FILE", self.tr("Points file (CSV, Excel, GeoJSON, GeoPackage, Shapefile)"),
            QgsProcessingParameterFile.Behavior.File, optional=True,
            fileFilter=self.tr("Point files (*.csv *.txt *.dat *.ini *.xlsx *.geojson *.json *.gpkg *.shp)"
                               ";;All files (*)")))
        self.addParameter(QgsProcessingParameterFeatureSource(
            "INPUT", self.tr("Or point layer"), [QgsProcessing.SourceType.TypeVectorPoint], optional=True))
        self.addParameter(QgsProcessingParameterFeatureSource(
            "DIVISIONS", self.tr("Divisions (township/street)"), [QgsProcessing.SourceType.TypeVectorPolygon]))
        self.addParameter(QgsProcessingParameterField(
            "DIVISION_FIELD", self.tr("Division code field"), "code", "DIVISIONS", any_field, optional=True))
        self.addParameter(QgsProcessingParameterString(
            "KIND_FIELD", self.tr("Kind field"), optional=True))
        # A kind code or word (04, 空气) rather than an enum of long option texts to type in scripts.
        kinds = load_profile("point").segment("kind")
        self.addParameter(QgsProcessingParameterString(
            "DEFAULT_KIND", self.tr("Default kind ({})").format(
                ", ".join("{} {}".format(k, v.split(" ")[0]) for k, v in kinds.values.items())),
            kinds.default, optional=True))
        self.addParameter(QgsProcessingParameterString(
            "ID_FIELD", self.tr("Identity field (empty = found by name, else coordinates)"), optional=True))
        self.addParameter(self.advanced(QgsProcessingParameterString(
            "NAMESPACE", self.tr("Namespace of the ids (empty = the points' file or layer name; importing "
                                 "observations looks ids up under it)"), optional=True)))
        self.addParameter(QgsProcessingParameterMultipleLayers(
            "PLANNING", self.tr("Planning layers"), QgsProcessing.SourceType.TypeVectorPolygon, optional=True))
        self.addParameter(QgsProcessingParameterMultipleLayers(
            "RASTERS", self.tr("Rasters to sample"), QgsProcessing.SourceType.TypeRaster, optional=True))
        for name, label in (("X_FIELD", self.tr("X / longitude column (empty = detected)")),
                            ("Y_FIELD", self.tr("Y / latitude column (empty = detected)"))):
            self.addParameter(self.advanced(QgsProcessingParameterString(name, label, optional=True)))
        for name, label, values in (
                ("COORDINATE_FORMAT", self.tr("Coordinate format"), COORDINATE_FORMATS),
                ("DATUM", self.tr("Datum of the coordinates"), POINT_DATUMS),
                ("ENCODING", self.tr("Text encoding of the file"), ENCODINGS)):
            self.addParameter(self.advanced(self.choice_enum(name, label, values, values[0])))
        self.add_profile_params("point", advanced=True)
        self.add_registry_output_param()
        self.add_datum_param("DIVISIONS_DATUM", self.tr("Divisions"))
        self.add_datum_param("PLANNING_DATUM", self.tr("Planning layers"))
        self.add_engine_param()
        self.addParameter(QgsProcessingParameterVectorDestination(
            "OUTPUT", self.tr("Coded points"), QgsProcessing.SourceType.TypeVectorPoint))
        self.add_report_param(self.tr("Report"))
        for key, label in (("CODED", self.tr("Coded points")), ("NEW", self.tr("New codes issued")),
                           ("EXISTING", self.tr("Existing codes kept")),
                           ("NOT_IMPORTED", self.tr("Rows not imported")),
                           ("OUTSIDE", self.tr("Points outside every division")),
                           ("FAILED", self.tr("Points left without a code"))):
            self.addOutput(QgsProcessingOutputNumber(key, label))

    def prepareAlgorithm(self, parameters, context, feedback):  # noqa: N802 (QGIS API name)
        super().prepareAlgorithm(parameters, context, feedback)
        path = self.parameterAsFile(parameters, "INPUT_FILE", context)
        has_layer = parameters.get("INPUT") not in (None, "")
        if bool(path) == has_layer:
            raise QgsProcessingException(self.tr("Give either a points file or a point layer"))
        if path:
            from ..core.engine.layers import LayerInput
            self.inputs["POINTS"] = LayerInput(path=path)
        else:
            with self.raw_geometries(context):
                self.inputs["POINTS"] = self.layer_input(parameters, "INPUT", context)
        # Rasters as file paths where GDAL reads them (safe in a task thread), else a copy of the layer.
        self.rasters = [layer.source() if layer.providerType() == "gdal" else layer.clone()
                        for layer in self.parameterAsLayerList(parameters, "RASTERS", context)
                        if isinstance(layer, QgsRasterLayer)]
        return True

    def process(self, parameters, context, feedback):
        from ..core.points.monitoring import PointJob, run_points

        def text(name):
            return self.text_value(parameters, name, context)

        datum = self.enum_value(parameters, "DATUM", context, POINT_DATUMS)
        encoding = self.enum_value(parameters, "ENCODING", context, ENCODINGS)
        dest = self.output_path(parameters, "OUTPUT", context)
        self.apply_datums(parameters, context, {"DIVISIONS_DATUM": self.inputs["DIVISIONS"],
                                                "PLANNING_DATUM": self.inputs["PLANNING"]})
        if self.inputs["POINTS"].source is not None:  # a layer only QGIS reads: the engine's reader applies it
            self.inputs["POINTS"].datum = "auto" if datum == "auto" else datum.lower()
        job = PointJob(
            points=self.inputs["POINTS"], divisions=self.inputs["DIVISIONS"], output=dest,
            division_field=self.optional_field(parameters, "DIVISION_FIELD", context) or "code",
            kind_field=text("KIND_FIELD"), default_kind=text("DEFAULT_KIND"),
            id_field=text("ID_FIELD"), x_field=text("X_FIELD"), y_field=text("Y_FIELD"), namespace=text("NAMESPACE"),
            coordinate_format=self.enum_value(parameters, "COORDINATE_FORMAT", context, COORDINATE_FORMATS),
            datum=None if datum == "auto" else datum, encoding=None if encoding == "auto" else encoding,
            planning=self.inputs["PLANNING"], rasters=self.rasters,
            profile=self.profile_value(parameters, context, "point"),
            registry=self.optional_file(parameters, "REGISTRY", context),
            report=self.optional_file(parameters, "REPORT", context),
            engine=self.enum_value(parameters, "ENGINE", context, ENGINES))
        result = run_points(job, feedback)
        counts = dict(result.counts or {})
        self.report_counts(feedback, counts)
        return {
            "OUTPUT": self.load_output(context, dest, result),
            "REPORT": result.report,
            "REGISTRY": result.registry,
            "CODED": counts.get("coded", 0), "NEW": counts.get("new", 0), "EXISTING": counts.get("existing", 0),
            "NOT_IMPORTED": counts.get("not_imported", 0), "OUTSIDE": counts.get("outside", 0),
            "FAILED": counts.get("failed", 0),
        }
