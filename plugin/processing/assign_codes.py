"""citycode:assigncodes — place buildings in their township/street division and give each a unified code."""
import json

from qgis.core import (
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorDestination,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..core.engine import building_parts
from .base import ENGINES, CityCodeAlgorithm, current_year
from .in_database import in_db_plan, run_in_db_or_here

RULES = ("area", "centroid")
PARTS_LABELS = {"units": QT_TRANSLATE_NOOP("CityCode", "Coded as units of their building"),
                "report": QT_TRANSLATE_NOOP("CityCode", "Reported, left uncoded")}


class AssignCodesAlgorithm(CityCodeAlgorithm):
    _name = "assigncodes"
    _layer_params = ("BUILDINGS", "DIVISIONS")
    _multi_layer_param = "PLANNING"

    def initAlgorithm(self, config=None):
        polygon = [QgsProcessing.SourceType.TypeVectorPolygon]
        any_field = QgsProcessingParameterField.DataType.Any
        # Any geometry: points and lines get a message, or are coded as points when NON_POLYGONS_AS_POINTS says so
        self.addParameter(QgsProcessingParameterFeatureSource(
            "BUILDINGS", self.tr("Buildings"), [QgsProcessing.SourceType.TypeVectorAnyGeometry]))
        self.addParameter(QgsProcessingParameterFeatureSource(
            "DIVISIONS", self.tr("Divisions (township/street)"), polygon))
        # Optional only so that scripts and qgis_process may leave it out: empty means "code".
        self.addParameter(QgsProcessingParameterField(
            "DIVISION_FIELD", self.tr("Division code field"), "code", "DIVISIONS", any_field, optional=True))
        self.addParameter(QgsProcessingParameterField(
            "YEAR_FIELD", self.tr("Year field"), None, "BUILDINGS", any_field, optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            "DEFAULT_YEAR", self.tr("Default year"), QgsProcessingParameterNumber.Type.Integer,
            current_year(), optional=True, minValue=1800, maxValue=2100))
        self.addParameter(QgsProcessingParameterField(
            "ID_FIELD", self.tr("Identity field (empty = geometry fingerprint)"), None, "BUILDINGS", any_field,
            optional=True))
        self.addParameter(QgsProcessingParameterField(
            "UNIT_FIELD", self.tr("Unit field"), None, "BUILDINGS", any_field, optional=True))
        self.add_namespace_param()
        self.addParameter(self.named_enum(QgsProcessingParameterEnum(
            "RULE", self.tr("Division of a straddling building"),
            [self.tr("Largest area share"), self.tr("Centroid (JGJ/T 246)")], defaultValue=0), RULES))
        self.addParameter(QgsProcessingParameterMultipleLayers(
            "PLANNING", self.tr("Planning layers (三区三线)"), QgsProcessing.SourceType.TypeVectorPolygon,
            optional=True))
        self.add_profile_params("building")
        self.add_registry_output_param()
        self.addParameter(self.advanced(QgsProcessingParameterBoolean(
            "NON_POLYGONS_AS_POINTS", self.tr("Code points and lines as point features (lines by their midpoint)"),
            False)))
        self.addParameter(self.advanced(QgsProcessingParameterBoolean(
            "ALLOW_FINGERPRINTS", self.tr("Allow coding by geometry fingerprint when a shapefile's .dbf is missing"),
            False)))
        self.addParameter(self.choice_enum(
            "PARTS", self.tr("Building parts (OSM building:part, or by a parent field)"), building_parts.CHOICES,
            building_parts.UNITS, PARTS_LABELS))
        self.addParameter(self.advanced(QgsProcessingParameterField(
            "PARTS_FIELD", self.tr("Parent building id of parts (empty = OSM building:part, found by location)"),
            None, "BUILDINGS", any_field, optional=True)))
        self.add_datum_param("BUILDINGS_DATUM", self.tr("Buildings"))
        self.add_datum_param("DIVISIONS_DATUM", self.tr("Divisions"))
        self.add_datum_param("PLANNING_DATUM", self.tr("Planning layers"))
        self.add_engine_param()
        self.addParameter(self.advanced(QgsProcessingParameterString(
            "OUTPUT_TABLE", self.tr("Output table when run inside PostGIS (schema.table)"), optional=True)))
        self.addParameter(QgsProcessingParameterVectorDestination(
            "OUTPUT", self.tr("Coded buildings"), QgsProcessing.SourceType.TypeVectorPolygon))
        self.add_report_param(self.tr("Report"))
        for key, label in (("CODED", self.tr("Coded buildings")),
                           ("NEW", self.tr("New codes issued")),
                           ("EXISTING", self.tr("Existing codes kept")),
                           ("STRADDLING", self.tr("Straddling buildings")),
                           ("OUTSIDE", self.tr("Buildings outside every division")),
                           ("FAILED", self.tr("Buildings left without a code"))):
            self.addOutput(QgsProcessingOutputNumber(key, label))
        self.addOutput(QgsProcessingOutputString("COUNTS", self.tr("Features by outcome (JSON)")))

    def prepareAlgorithm(self, parameters, context, feedback):  # noqa: N802 (QGIS API name)
        """Also decide here (where the project's layers may be touched) whether the run goes into PostGIS."""
        super().prepareAlgorithm(parameters, context, feedback)
        self.namespace = self.namespace_value(parameters, "BUILDINGS", context)
        self.in_db, self.not_in_db = in_db_plan(self, parameters, context, ("BUILDINGS", "DIVISIONS"), True)
        return True

    def process(self, parameters, context, feedback):
        from ..core.engine.assign import AssignJob, run_assign

        buildings, divisions, planning = (self.inputs[k] for k in ("BUILDINGS", "DIVISIONS", "PLANNING"))
        self.apply_datums(parameters, context, {"BUILDINGS_DATUM": buildings, "DIVISIONS_DATUM": divisions,
                                                "PLANNING_DATUM": planning})
        year = parameters.get("DEFAULT_YEAR")
        profile = self.profile_value(parameters, context, "building")
        source = self.parameterAsSource(parameters, "BUILDINGS", context)
        if source is not None and source.featureCount() == 0:
            raise QgsProcessingException(self.tr("The buildings layer has no features: there is nothing to code. "
                                                 "Nothing was changed."))
        job = AssignJob(
            buildings=buildings,
            divisions=divisions,
            output="",
            division_field=self.optional_field(parameters, "DIVISION_FIELD", context) or "code",
            year_field=self.optional_field(parameters, "YEAR_FIELD", context),
            default_year=None if year in (None, "") else self.parameterAsInt(parameters, "DEFAULT_YEAR", context),
            id_field=self.optional_field(parameters, "ID_FIELD", context),
            unit_field=self.optional_field(parameters, "UNIT_FIELD", context),
            rule=self.enum_value(parameters, "RULE", context, RULES),
            planning=planning,
            profile=profile,
            registry=self.optional_file(parameters, "REGISTRY", context),
            report=self.optional_file(parameters, "REPORT", context),
            engine=self.enum_value(parameters, "ENGINE", context, ENGINES),
            namespace=self.namespace,
            non_polygons_as_points=self.parameterAsBoolean(parameters, "NON_POLYGONS_AS_POINTS", context),
            allow_fingerprints=self.parameterAsBoolean(parameters, "ALLOW_FINGERPRINTS", context),
            parts=self.enum_value(parameters, "PARTS", context, building_parts.CHOICES),
            parts_field=self.optional_field(parameters, "PARTS_FIELD", context),
        )
        result, dest = run_in_db_or_here(self, job, run_assign, "run_assign_in_db", parameters, context, feedback)
        counts = dict(result.counts or {})
        self.report_counts(feedback, counts)
        return {
            "OUTPUT": self.load_output(context, dest, result),
            "REPORT": result.report,
            "REGISTRY": job.registry or getattr(result, "registry", None),
            "CODED": counts.get("coded", 0),
            "NEW": counts.get("new", 0),
            "EXISTING": counts.get("existing", 0),
            "STRADDLING": counts.get("straddling", 0),
            "OUTSIDE": counts.get("outside", 0),
            "FAILED": counts.get("failed", 0),
            "COUNTS": json.dumps(counts),
        }
