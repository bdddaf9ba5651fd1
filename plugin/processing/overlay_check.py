"""citycode:overlaycheck — how much of each building lies in each 三区三线 planning layer (no codes)."""
from qgis.core import (
    QgsProcessing,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorDestination,
)

from .base import ENGINES, CityCodeAlgorithm
from .in_database import in_db_plan, run_in_db_or_here


class OverlayCheckAlgorithm(CityCodeAlgorithm):
    _name = "overlaycheck"
    _layer_params = ("BUILDINGS",)
    _multi_layer_param = "PLANNING"

    def initAlgorithm(self, config=None):
        polygon = QgsProcessing.SourceType.TypeVectorPolygon
        self.addParameter(QgsProcessingParameterFeatureSource("BUILDINGS", self.tr("Buildings"), [polygon]))
        planning = QgsProcessingParameterMultipleLayers("PLANNING", self.tr("Planning layers (三区三线)"), polygon)
        planning.setMinimumNumberInputs(1)
        self.addParameter(planning)
        self.add_datum_param("BUILDINGS_DATUM", self.tr("Buildings"))
        self.add_datum_param("PLANNING_DATUM", self.tr("Planning layers"))
        self.add_engine_param()
        self.addParameter(self.advanced(QgsProcessingParameterString(
            "OUTPUT_TABLE", self.tr("Output table when run inside PostGIS (schema.table)"), optional=True)))
        self.addParameter(QgsProcessingParameterVectorDestination(
            "OUTPUT", self.tr("Buildings with overlaps"), polygon))
        self.add_report_param(self.tr("Report"))

    def prepareAlgorithm(self, parameters, context, feedback):  # noqa: N802 (QGIS API name)
        """Also decide here (where the project's layers may be touched) whether the run goes into PostGIS."""
        super().prepareAlgorithm(parameters, context, feedback)
        self.in_db, self.not_in_db = in_db_plan(self, parameters, context, ("BUILDINGS",), False)
        return True

    def process(self, parameters, context, feedback):
        from ..core.engine.assign import OverlayJob, run_overlay

        buildings, planning = self.inputs["BUILDINGS"], self.inputs["PLANNING"]
        self.apply_datums(parameters, context, {"BUILDINGS_DATUM": buildings, "PLANNING_DATUM": planning})
        job = OverlayJob(
            buildings=buildings,
            planning=planning,
            output="",
            report=self.optional_file(parameters, "REPORT", context),
            engine=self.enum_value(parameters, "ENGINE", context, ENGINES),
        )
        result, dest = run_in_db_or_here(self, job, run_overlay, "run_overlay_in_db", parameters, context, feedback)
        self.report_counts(feedback, dict(result.counts or {}))
        return {"OUTPUT": self.load_output(context, dest, result), "REPORT": result.report}
