"""citycode:checkout, citycode:checkin, citycode:resolveconflict — offline field packages (core/field_package.py)."""
import os

from qgis.core import (
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterExtent,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorLayer,
    QgsVectorLayer,
)

from .base import CityCodeAlgorithm, profile_labels, profile_names

CHOICES = ("registry", "package")


class _FieldPackageAlgorithm(CityCodeAlgorithm):

    def add_registry_param(self):
        self.addParameter(QgsProcessingParameterString(
            "REGISTRY", self.tr("Shared registry (file, postgresql://…, service=… or qgis:<connection>; "
                                "empty = the one in the CityCode settings)"), optional=True))

    def registry_location(self, parameters, context):
        """The shared registry, which must be there: packages are checked out of and into an existing one."""
        from ..core.registry.pg_connection import is_postgres_location
        from ..core.settings import load
        location = (self.parameterAsString(parameters, "REGISTRY", context) or "").strip() or load().registry_path
        if location and not is_postgres_location(location) and not os.path.exists(location):
            raise QgsProcessingException(self.tr("The registry {} does not exist; choose the shared registry. "
                                                 "Nothing was created.").format(location))
        return location


class CheckOutAlgorithm(_FieldPackageAlgorithm):
    _name = "checkout"
    _layer_params = ("DIVISIONS",)
    _multi_layer_param = "PLANNING"

    def prepareAlgorithm(self, parameters, context, feedback):  # noqa: N802 (QGIS API name)
        super().prepareAlgorithm(parameters, context, feedback)
        with self.raw_geometries(context):
            self.inputs["BUILDINGS"] = self.layer_inputs(parameters, "BUILDINGS", context)
        # Where check-in writes the features back (layer_inputs keeps the vector layers, in this order).
        self.sources = [(layer.providerType(), layer.source())
                        for layer in self.parameterAsLayerList(parameters, "BUILDINGS", context)
                        if isinstance(layer, QgsVectorLayer)]
        return True

    def initAlgorithm(self, config=None):
        polygon = [QgsProcessing.SourceType.TypeVectorPolygon]
        self.add_registry_param()
        self.addParameter(QgsProcessingParameterMultipleLayers(
            "BUILDINGS", self.tr("Features to take along (buildings, projects)"),
            QgsProcessing.SourceType.TypeVectorAnyGeometry, optional=True))
        self.addParameter(QgsProcessingParameterFeatureSource("DIVISIONS", self.tr("Divisions (township/street)"),
                                                              polygon))
        self.addParameter(QgsProcessingParameterField(
            "DIVISION_FIELD", self.tr("Division code field"), "code", "DIVISIONS",
            QgsProcessingParameterField.DataType.Any, optional=True))
        self.addParameter(QgsProcessingParameterString(
            "DIVISION_CODES", self.tr("Area: division codes (separated by commas)"), optional=True))
        self.addParameter(QgsProcessingParameterExtent("EXTENT", self.tr("Area: extent"), optional=True))
        self.addParameter(QgsProcessingParameterMultipleLayers(
            "PLANNING", self.tr("Planning layers (三区三线)"), QgsProcessing.SourceType.TypeVectorPolygon,
            optional=True))
        names = profile_names()
        self.addParameter(self.choice_enum(
            "PROFILES", self.tr("Code profiles"), names, ["building"] if "building" in names else [names[0]],
            profile_labels(), multiple=True))
        self.addParameter(QgsProcessingParameterString(
            "YEARS", self.tr("Years (separated by commas; empty = this year)"), optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            "BLOCK_SIZE", self.tr("Block size (sequence numbers per division and year)"),
            QgsProcessingParameterNumber.Type.Integer, 500, minValue=1))
        self.addParameter(QgsProcessingParameterFileDestination(
            "OUTPUT", self.tr("Field package"), self.tr("GeoPackage (*.gpkg)")))
        self.addOutput(QgsProcessingOutputString("PACKAGE_ID", self.tr("Package id")))
        self.addOutput(QgsProcessingOutputNumber("BLOCKS", self.tr("Reserved blocks")))
        self.addOutput(QgsProcessingOutputNumber("CODES", self.tr("Codes in the package")))

    def process(self, parameters, context, feedback):
        from ..core.fieldwork.checkout import CheckOutJob, check_out

        output = self.parameterAsFileOutput(parameters, "OUTPUT", context)
        if not output.lower().endswith(".gpkg"):
            raise QgsProcessingException(self.tr("A field package is a GeoPackage: choose a .gpkg file"))
        codes = [c.strip() for c in (self.parameterAsString(parameters, "DIVISION_CODES", context) or "").split(",")
                 if c.strip()]
        extent, extent_crs = None, None
        if not codes and parameters.get("EXTENT") not in (None, ""):
            rect = self.parameterAsExtent(parameters, "EXTENT", context)
            if not rect.isNull():
                extent = (rect.xMinimum(), rect.yMinimum(), rect.xMaximum(), rect.yMaximum())
                crs = self.parameterAsExtentCrs(parameters, "EXTENT", context)
                extent_crs = crs.toWkt() if crs.isValid() else None
        try:
            years = [int(y) for y in (self.parameterAsString(parameters, "YEARS", context) or "").split(",")
                     if y.strip()]
        except ValueError:
            raise QgsProcessingException(self.tr("Years are numbers separated by commas, e.g. 2024,2025")) from None
        profiles = self.enum_values(parameters, "PROFILES", context, profile_names())
        job = CheckOutJob(
            registry=self.registry_location(parameters, context), output=output, divisions=self.inputs["DIVISIONS"],
            division_field=self.optional_field(parameters, "DIVISION_FIELD", context) or "code",
            division_codes=codes, extent=extent, extent_crs_wkt=extent_crs, layers=self.inputs["BUILDINGS"],
            planning=self.inputs["PLANNING"], profiles=profiles, years=years,
            block_size=self.parameterAsInt(parameters, "BLOCK_SIZE", context), sources=self.sources)
        result = check_out(job, feedback)
        for b in result.blocks:
            feedback.pushInfo(self.tr("Block {}-{} for division {} ({}, year {})").format(
                b.first, b.last, b.division, b.profile, b.year))
        return {"OUTPUT": output, "PACKAGE_ID": result.package_id, "BLOCKS": len(result.blocks),
                "CODES": result.codes}


class CheckInAlgorithm(_FieldPackageAlgorithm):
    _name = "checkin"

    def initAlgorithm(self, config=None):
        self.addParameter(QgsProcessingParameterFile(
            "PACKAGE", self.tr("Field package"), QgsProcessingParameterFile.Behavior.File, "gpkg"))
        self.add_registry_param()
        self.addParameter(QgsProcessingParameterVectorLayer(
            "TARGET", self.tr("Target layer for the package's features (empty = the layer they were checked out "
                              "from)"), [QgsProcessing.SourceType.TypeVectorAnyGeometry], optional=True))
        self.addParameter(self.advanced(QgsProcessingParameterString(
            "PACKAGE_LAYER", self.tr("Package layer the target is for (empty = the package's only layer of "
                                     "features)"), optional=True)))
        for key, label in (("NEW", self.tr("New codes")), ("UPDATED", self.tr("Updated codes")),
                           ("RETIRED", self.tr("Retired codes")), ("CONFLICTS", self.tr("Conflicts")),
                           ("ALREADY", self.tr("Already checked in")),
                           ("FEATURES_ADDED", self.tr("Features added to the target")),
                           ("FEATURES_UPDATED", self.tr("Features updated in the target"))):
            self.addOutput(QgsProcessingOutputNumber(key, label))

    def prepareAlgorithm(self, parameters, context, feedback):  # noqa: N802 (QGIS API name)
        # The target layer is read here, in the thread that owns the project's layers.
        layer = self.parameterAsVectorLayer(parameters, "TARGET", context) \
            if parameters.get("TARGET") not in (None, "") else None
        if layer is not None and layer.isEditable() and layer.isModified():
            raise QgsProcessingException(self.tr("Layer {} has unsaved edits: save or discard them before the "
                                                 "check-in writes to it").format(layer.name()))
        self.target = None if layer is None else (layer.providerType(), layer.source())
        return True

    def process(self, parameters, context, feedback):
        from ..core.fieldwork.checkin import FeatureWriteError, check_in
        from ..core.fieldwork.features import feature_layer_names

        package = self.parameterAsFile(parameters, "PACKAGE", context)
        if not os.path.isfile(package or ""):
            raise QgsProcessingException(self.tr("Field package {} not found").format(package))
        target = None
        if self.target:
            name = self.text_value(parameters, "PACKAGE_LAYER", context)
            names = feature_layer_names(package)
            if not name and len(names) != 1:
                raise QgsProcessingException(self.tr(
                    "The package holds {} layers of features ({}); name the one the target layer is for").format(
                    len(names), ", ".join(names) or "-"))
            target = {name or names[0]: self.target}
        try:
            result = check_in(package, self.registry_location(parameters, context), target=target)
        except FeatureWriteError as e:  # what was done before the layer failed: said before the error
            for message in e.result.messages:
                feedback.pushInfo(message)
            raise
        for message in result.messages:
            feedback.pushInfo(message)
        for cid in result.conflict_ids:
            feedback.reportError(self.tr("Conflict {} kept for you to resolve").format(cid))
        return {"NEW": result.new, "UPDATED": result.updated, "RETIRED": result.retired,
                "CONFLICTS": result.conflicts, "ALREADY": result.already,
                "FEATURES_ADDED": result.features_added, "FEATURES_UPDATED": result.features_updated}


class ResolveConflictAlgorithm(_FieldPackageAlgorithm):
    _name = "resolveconflict"

    def initAlgorithm(self, config=None):
        self.add_registry_param()
        self.addParameter(QgsProcessingParameterNumber(
            "CONFLICT", self.tr("Conflict id"), QgsProcessingParameterNumber.Type.Integer, minValue=1))
        self.addParameter(self.choice_enum("CHOICE", self.tr("Keep"), CHOICES, CHOICES[0]))

    def process(self, parameters, context, feedback):
        from ..core.fieldwork.checkin import resolve_conflict

        choice = self.enum_value(parameters, "CHOICE", context, CHOICES)
        conflict = self.parameterAsInt(parameters, "CONFLICT", context)
        resolve_conflict(self.registry_location(parameters, context), conflict, choice)
        feedback.pushInfo(self.tr("Conflict {} resolved: kept the {} version").format(conflict, choice))
        return {}
