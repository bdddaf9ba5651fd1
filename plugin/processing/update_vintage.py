"""citycode:updatevintage — a new building survey meets last year's coded buildings: codes carried forward,
changes classified, lineage kept in the registry (core: plugin/core/vintage/)."""
import json

from qgis.core import (
    QgsProcessing,
    QgsProcessingOutputString,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterVectorDestination,
)

from .base import CityCodeAlgorithm, current_year


class UpdateVintageAlgorithm(CityCodeAlgorithm):
    _name = "updatevintage"
    _layer_params = ("OLD", "NEW", "DIVISIONS")

    def initAlgorithm(self, config=None):
        polygon = [QgsProcessing.SourceType.TypeVectorPolygon]
        any_field = QgsProcessingParameterField.DataType.Any
        self.addParameter(QgsProcessingParameterFeatureSource("OLD", self.tr("Coded buildings (last year)"), polygon))
        self.addParameter(QgsProcessingParameterField(
            "CODE_FIELD", self.tr("Code field"), "citycode", "OLD", any_field, optional=True))
        self.addParameter(QgsProcessingParameterFeatureSource("NEW", self.tr("New survey"), polygon))
        self.addParameter(QgsProcessingParameterField(
            "ID_FIELD", self.tr("Survey identity field (empty = geometry fingerprint)"), None, "NEW", any_field,
            optional=True))
        self.addParameter(QgsProcessingParameterFeatureSource(
            "AREA", self.tr("Surveyed area (empty = the survey's convex hull)"), polygon, optional=True))
        self.addParameter(QgsProcessingParameterFeatureSource(
            "DIVISIONS", self.tr("Divisions (township/street)"), polygon))
        self.addParameter(QgsProcessingParameterField(
            "DIVISION_FIELD", self.tr("Division code field"), "code", "DIVISIONS", any_field, optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            "TOLERANCE", self.tr("Tolerance (m): a shift up to this is unchanged"),
            QgsProcessingParameterNumber.Type.Double, 2.0, minValue=0.0, maxValue=100.0))
        self.addParameter(QgsProcessingParameterNumber(
            "YEAR", self.tr("Survey year"), QgsProcessingParameterNumber.Type.Integer, current_year(),
            minValue=1800, maxValue=2100))
        self.add_registry_output_param()
        self.addParameter(QgsProcessingParameterVectorDestination(
            "OUTPUT", self.tr("Coded buildings (this year)"), QgsProcessing.SourceType.TypeVectorPolygon))
        self.add_report_param(self.tr("Change report"))
        self.addParameter(QgsProcessingParameterFileDestination(
            "MAP", self.tr("Change map"), self.tr("PDF (*.pdf);;PNG image (*.png)"), optional=True,
            createByDefault=False))
        self.addOutput(QgsProcessingOutputString("COUNTS", self.tr("Buildings per change (JSON)")))

    def prepareAlgorithm(self, parameters, context, feedback):  # noqa: N802 (QGIS API name)
        super().prepareAlgorithm(parameters, context, feedback)
        with self.raw_geometries(context):
            self.area = self.layer_input(parameters, "AREA", context) if parameters.get("AREA") else None
        return True

    def process(self, parameters, context, feedback):
        from ..core.vintage.plan import VintageJob
        from ..core.vintage.update import run_update

        job = VintageJob(
            old=self.inputs["OLD"], new=self.inputs["NEW"], divisions=self.inputs["DIVISIONS"], area=self.area,
            output=self.output_path(parameters, "OUTPUT", context),
            code_field=self.optional_field(parameters, "CODE_FIELD", context) or "citycode",
            division_field=self.optional_field(parameters, "DIVISION_FIELD", context) or "code",
            id_field=self.optional_field(parameters, "ID_FIELD", context),
            tolerance=self.parameterAsDouble(parameters, "TOLERANCE", context),
            year=self.parameterAsInt(parameters, "YEAR", context),
            registry=self.optional_file(parameters, "REGISTRY", context),
            report=self.optional_file(parameters, "REPORT", context),
        )
        result = run_update(job, feedback)
        totals = result.summary["totals"]
        change_map = self.optional_file(parameters, "MAP", context)
        if change_map:
            self.write_map(result, change_map, parameters, context, feedback)
        self.report_counts(feedback, totals)
        dest = self.parameterAsOutputLayer(parameters, "OUTPUT", context)
        return {"OUTPUT": self.load_output(context, dest, result), "REPORT": result.report,
                "REGISTRY": result.registry, "COUNTS": json.dumps(totals), "MAP": change_map}

    def divisions_layer(self):
        """The divisions for the map, opened here (this may be a task thread: the project's layers are not
        touched); None when they are no file."""
        from qgis.core import QgsVectorLayer
        inp = self.inputs["DIVISIONS"]
        if inp.path is None:
            return None
        uri = inp.path + ("|layername={}".format(inp.layer) if inp.layer else "")
        return QgsVectorLayer(uri, inp.label, "ogr")

    def write_map(self, result, path, parameters, context, feedback):
        """The change map; the update is done by then, so a map that fails is reported, not undone."""
        from qgis.core import QgsProcessingException
        from ..core.output import layouts
        from ..core.vintage.change_map import change_map
        try:
            files = change_map(result, path, self.divisions_layer(),
                               self.optional_field(parameters, "DIVISION_FIELD", context) or "code",
                               "png" if path.lower().endswith(".png") else "pdf")
        except layouts.MapError as e:
            raise QgsProcessingException(self.tr("The update is done, but the change map failed: {}").format(e))
        feedback.pushInfo(self.tr("Change map: {}").format(", ".join(files)))
