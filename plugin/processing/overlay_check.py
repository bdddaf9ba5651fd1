"""citycode:overlaycheck — how much of each building lies in each 三区三线 planning layer (no codes)."""
from qgis.core import (
    QgsProcessing,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorDestination,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from .base import ENGINES, CityCodeAlgorithm
from .in_database import in_db_plan, run_in_db_or_here


class OverlayCheckAlgorithm(CityCodeAlgorithm):
    _name = "overlaycheck"
    _display = QT_TRANSLATE_NOOP("CityCode", "Check against planning layers (三区三线 overlay)")
    _group_id = "overlay"
    _layer_params = ("BUILDINGS",)
    _multi_layer_param = "PLANNING"

    def shortHelpString(self):
        return self.tr(
            "<p>Measures how much of each building lies in each planning layer (三区三线: 生态保护红线, "
            "永久基本农田, 城镇开发边界, …). Codes and the registry are not touched.</p>"
            "<h3>Parameters</h3><ul>"
            "<li><b>Buildings</b>: polygons to check.</li>"
            "<li><b>Planning layers</b>: one or more polygon layers; each layer's name names its output fields "
            "(e.g. 生态保护红线_area).</li>"
            "<li><b>Buildings: coordinates really in</b>: for layers drawn on Chinese web maps, which label "
            "GCJ-02 (AMap, Tencent) or BD-09 (Baidu) coordinates as WGS84; they are moved to CGCS2000 first.</li>"
            "<li><b>Engine</b>: auto picks the fast file reader when it can, otherwise QGIS.</li>"
            "<li><b>Report</b>: an HTML or JSON summary.</li></ul>"
            "<h3>Inside PostGIS (province scale)</h3><p>When the buildings and every planning layer are PostGIS "
            "tables of one database, the check runs inside the database as set-based SQL (same areas); the result "
            "is a table there: choose <i>Save to PostGIS table…</i> for the output, or name it in <b>Output "
            "table</b> (schema.table; from qgis_process: OUTPUT_TABLE=public.buildings_overlay); left temporary, "
            "it is &lt;buildings table&gt;_overlay beside the buildings, replaced when it exists. Otherwise the "
            "check runs in QGIS and the log says why.</p>"
            "<h3>Output fields</h3><p>The building fields, plus for each planning layer:</p><ul>"
            "<li><b>&lt;layer&gt;_area</b>: area of overlap (square metres).</li>"
            "<li><b>&lt;layer&gt;_pct</b>: that area as a percentage of the building.</li>"
            "<li><b>&lt;layer&gt;_hit</b>: 1 when the building overlaps the layer (slivers below 0.01 m² "
            "do not count).</li></ul>") + self.datum_help()

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
