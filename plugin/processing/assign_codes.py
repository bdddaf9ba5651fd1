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
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorDestination,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..core.engine import building_parts
from .base import ENGINES, CityCodeAlgorithm, current_year, tr

RULES = ("area", "centroid")
PARTS_LABELS = {"units": QT_TRANSLATE_NOOP("CityCode", "Coded as units of their building"),
                "report": QT_TRANSLATE_NOOP("CityCode", "Reported, left uncoded")}


def profile_names():
    """Names of the shipped code profiles (from the core, so new profiles show up here by themselves)."""
    from ..core.codes.profiles import builtin_profiles
    names = list(builtin_profiles())
    return names or ["building"]


def profile_choices(kind):
    """auto, then the shipped profiles of `kind` (building, point): the PROFILE choices of a coding algorithm."""
    from ..core.china.division_levels import profile_choices as choices
    return choices(kind)


def profile_labels():
    """Profile name -> "name — title" in the user's language, as the choosers show them (auto included)."""
    from ..core.codes.profiles import builtin_profiles
    labels = {name: "{} — {}".format(name, tr(p.title)) for name, p in builtin_profiles().items() if p.title}
    labels["auto"] = "auto — " + tr("the profile of the division codes' level")
    return labels


class AssignCodesAlgorithm(CityCodeAlgorithm):
    _name = "assigncodes"
    _display = QT_TRANSLATE_NOOP("CityCode", "Assign unified codes (落图+赋码)")
    _group_id = "coding"
    _layer_params = ("BUILDINGS", "DIVISIONS")
    _multi_layer_param = "PLANNING"

    def shortHelpString(self):
        return self.tr(
            "<p>Places every building in the township/street division it lies in (落图) and gives it a unified "
            "city code (赋码): division code + year + sequence + unit + check character (the chosen profile). "
            "Codes already issued are kept: a registry remembers each building, so re-running after edits only "
            "codes what is new.</p>"
            "<h3>Parameters</h3><ul>"
            "<li><b>Buildings</b>: polygons to code. A layer of points or lines is refused, unless <b>code points "
            "and lines as point features</b> is set: points are coded where they are, lines by the point halfway "
            "along them (of a multi-line, along its longest part). Geometry collections are coded by their "
            "polygons; a feature whose coordinates are not numbers (NaN, infinite) is left out as "
            "invalid_geometry and the others are coded.</li>"
            "<li><b>Divisions</b> and <b>division code field</b>: division polygons and their code at any level: "
            "2/4/6 digits (GB/T 2260 province/prefecture/county, DataV/AMap adcodes; 320500 is prefecture 3205), "
            "9 digits (township/street) or 12 digits (statistics codes; 110101001000 is township 110101001).</li>"
            "<li><b>Year field</b> / <b>default year</b>: the year segment of new codes; features without a year "
            "use the default (empty = the current year).</li>"
            "<li><b>Identity field</b>: a stable ID of each building. Without it, a geometry fingerprint "
            "identifies buildings across re-runs (a reshaped building then counts as new): the geometry on a 1 cm "
            "grid in metres (lon/lat layers are projected first). Features whose id is empty fall back to it; "
            "the report lists them, and names for each duplicate identity the feature that has it first. "
            "A shapefile whose .dbf is missing has no ids: it is coded by fingerprint only when <b>allow coding "
            "by geometry fingerprint</b> is set.</li>"
            "<li><b>Unit field</b>: the unit segment (empty = whole building, 00000).</li>"
            "<li><b>Rule</b>: the division a straddling building belongs to — the one holding the largest share "
            "of its area, or the one containing its centroid (JGJ/T 246).</li>"
            "<li><b>Planning layers</b>: optional 三区三线 polygons (e.g. 生态保护红线, 永久基本农田, 城镇开发边界) "
            "to measure each building against.</li>"
            "<li><b>Code profile</b> / <b>profile file</b>: the code layout; a JSON file overrides the choice. "
            "auto (the default) takes the building profile of the divisions' level (building for townships, "
            "building_county for 6-digit county codes …; the log and the report say which). "
            "Scripts and qgis_process give the profile by name, e.g. PROFILE=building_county.</li>"
            "<li><b>Registry</b>: the file recording issued codes (created if missing, updated in place). "
            "Empty = beside the output. Set it when the output is temporary, or codes will not persist.</li>"
            "<li><b>Buildings / Divisions: coordinates really in</b>: for layers drawn on Chinese web maps, "
            "which label GCJ-02 (AMap, Tencent) or BD-09 (Baidu) coordinates as WGS84; they are moved to "
            "CGCS2000 first.</li>"
            "<li>A layer without a CRS, or whose CRS does not fit its coordinates, gets the CRS its coordinates "
            "show when that is certain (the log and the report say which); otherwise the run stops and asks you "
            "to set it. A CRS you set on the layer is used as is.</li>"
            "<li><b>Engine</b>: auto picks the fast file reader when it can, otherwise QGIS.</li>"
            "<li><b>Report</b>: an HTML or JSON summary.</li></ul>"
            "<h3>Inside PostGIS (province scale)</h3><p>When buildings, divisions and planning layers are all "
            "PostGIS tables of one database and the registry is a PostgreSQL registry in that database "
            "(postgresql://…, service=… or qgis:&lt;connection&gt;), the whole run happens inside the database as "
            "set-based SQL, with the same codes; nothing is read into QGIS. The result is a table in that database: "
            "choose <i>Save to PostGIS table…</i> for <b>Coded buildings</b>, or name it in <b>Output table</b> "
            "(schema.table; from qgis_process: OUTPUT_TABLE=public.buildings_coded); left temporary, it is "
            "&lt;buildings table&gt;_coded beside the buildings. An existing output table is replaced. Codes, the "
            "batch and the output table are committed together. Otherwise (a file output, selected features only, "
            "unsaved edits, another engine chosen …) the run happens in QGIS and the log says why.</p>"
            "<h3>Output fields</h3><p>The building fields, plus:</p><ul>"
            "<li><b>citycode</b>: the unified code (empty when the building could not be coded).</li>"
            "<li><b>division</b>: the division code the building was placed in.</li>"
            "<li><b>div_share</b>: share (0–1) of the building's area inside that division.</li>"
            "<li><b>straddle</b>: 1 when the building crosses a division boundary; <b>div_shares</b> then "
            "lists each division with its share.</li>"
            "<li><b>cc_status</b>: new, existing (code kept from an earlier run), outside (in no division), "
            "empty (no geometry), duplicate_id (identity already used by another feature) or exhausted "
            "(no sequence numbers left).</li>"
            "<li><b>cc_flags</b>: notes such as repaired (invalid geometry fixed), partly_outside, "
            "year_default (year field empty or implausible).</li>"
            "<li><b>&lt;layer&gt;_area</b>, <b>&lt;layer&gt;_pct</b>, <b>&lt;layer&gt;_hit</b>: for each planning "
            "layer, the overlap area (square metres), its percentage of the building, and 1 when they "
            "overlap.</li></ul>") + self.datum_help() + self.tr(
            "<p><b>Building parts</b> (OSM <i>building:part</i> polygons inside their building, or features whose "
            "<b>parent field</b> holds their building's id) get no building number of their own: they are coded as "
            "units of their building (its code with the unit segment 00001, 00002 …; cc_status part_unit) or "
            "reported and left uncoded (cc_status part), as chosen. The log and the report say how many there "
            "were.</p>")

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
        self.addParameter(self.choice_enum(
            "PROFILE", self.tr("Code profile"), profile_choices("building"), "auto", profile_labels()))
        self.addParameter(self.advanced(QgsProcessingParameterFile(
            "PROFILE_FILE", self.tr("Code profile file (overrides the profile)"),
            QgsProcessingParameterFile.Behavior.File, "json", optional=True)))
        registry = QgsProcessingParameterFileDestination(
            "REGISTRY", self.tr("Code registry (empty = beside the output)"),
            self.tr("Registry (*.sqlite *.gpkg)"), optional=True, createByDefault=False)
        self.addParameter(registry)
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
        self.addParameter(QgsProcessingParameterFileDestination(
            "REPORT", self.tr("Report"), self.tr("HTML report (*.html);;JSON report (*.json)"),
            optional=True, createByDefault=True))
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

    def processAlgorithm(self, parameters, context, feedback):
        from ..core.engine.assign import AssignJob, run_assign

        buildings, divisions, planning = (self.inputs[k] for k in ("BUILDINGS", "DIVISIONS", "PLANNING"))
        self.apply_datums(parameters, context, {"BUILDINGS_DATUM": buildings, "DIVISIONS_DATUM": divisions,
                                                "PLANNING_DATUM": planning})
        year = parameters.get("DEFAULT_YEAR")
        profile_file = self.profile_file(parameters, context)
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
            profile=profile_file or self.enum_value(parameters, "PROFILE", context, profile_choices("building")),
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


def in_db_plan(alg, parameters, context, layer_params, need_registry):
    """(InDb or None, why not) for postgis_engine.processing_plan from an algorithm's parameters."""
    from qgis.core import QgsProcessingFeatureSourceDefinition
    from ..core.engine.postgis import output_target, processing_plan

    layers = [alg.parameterAsVectorLayer(parameters, name, context) for name in layer_params]
    layers += [layer for layer in alg.parameterAsLayerList(parameters, "PLANNING", context)
               if layer is not None and hasattr(layer, "isModified")]
    restricted = any(isinstance(v, QgsProcessingFeatureSourceDefinition) and (
        v.selectedFeaturesOnly or v.featureLimit not in (-1, None)) for v in (parameters.get(n) for n in layer_params))
    # A conversion chosen keeps the run in QGIS; "auto" does not (tables in the database are not tested).
    datums = [d for name in ("BUILDINGS_DATUM", "DIVISIONS_DATUM", "PLANNING_DATUM")
              if (d := alg.datum_value(parameters, name, context)) != "auto"]
    registry = alg.optional_file(parameters, "REGISTRY", context) if need_registry else None
    target = output_target(parameters.get("OUTPUT"), alg.parameterAsString(parameters, "OUTPUT_TABLE", context))
    return processing_plan([layer for layer in layers], restricted, alg.enum_value(
        parameters, "ENGINE", context, ENGINES), datums, target, registry, need_registry)


def run_in_db_or_here(alg, job, run_here, in_db_name, parameters, context, feedback):
    """Run `job` inside PostGIS when prepareAlgorithm planned it (postgis_engine.<in_db_name>), else (or when the
    database says it cannot) with `run_here` on a file output. Returns (Result, the output to load)."""
    from ..core.engine import postgis as postgis_engine
    from ..core.engine.postgis_db import InDbError

    reason = alg.not_in_db
    if alg.in_db is not None:
        feedback.pushInfo(alg.tr("Inside the database, layers are taken in the datum they are labelled with: web-map "
                                 "datums are not detected there (choose a file output to have them detected)"))
        if alg.parameterDefinition("PARTS") is not None:
            feedback.pushInfo(alg.tr("Inside the database, building parts are not recognised: they are coded as "
                                     "buildings (choose a file output to have them recognised)"))
        try:
            result = alg.run_job(lambda j, fb: getattr(postgis_engine, in_db_name)(j, alg.in_db, fb), job, feedback)
            result.output = "postgres://" + result.output  # how Processing names a layer of another provider
            return result, alg.parameterAsOutputLayer(parameters, "OUTPUT", context)
        except InDbError as e:
            reason = str(e)
    if reason:
        feedback.pushInfo(alg.tr("Running in QGIS, not inside the database: {}").format(reason))
    job.output = alg.output_path(parameters, "OUTPUT", context)
    return alg.run_job(run_here, job, feedback), job.output
