"""citycode:checkout, citycode:checkin, citycode:resolveconflict — offline field packages (core/field_package.py)."""
import os

from qgis.core import (
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterEnum,
    QgsProcessingParameterExtent,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from .assign_codes import profile_names
from .base import CityCodeAlgorithm

CHOICES = ("registry", "package")


class _FieldPackageAlgorithm(CityCodeAlgorithm):
    _group_id = "coding"

    def add_registry_param(self):
        self.addParameter(QgsProcessingParameterString(
            "REGISTRY", self.tr("Shared registry (file, postgresql://…, service=… or qgis:<connection>; "
                                "empty = the one in the CityCode settings)"), optional=True))

    def registry_location(self, parameters, context):
        from ..core.settings import load
        return (self.parameterAsString(parameters, "REGISTRY", context) or "").strip() or load().registry_path


class CheckOutAlgorithm(_FieldPackageAlgorithm):
    _name = "checkout"
    _display = QT_TRANSLATE_NOOP("CityCode", "Check out a field package")
    _layer_params = ("DIVISIONS",)
    _multi_layer_param = "PLANNING"

    def shortHelpString(self):
        return self.tr(
            "<p>Writes one GeoPackage to take into the field, where there is no network: the features of an area "
            "with their codes, its divisions, the planning layers reaching into it, a copy of the area's codes, "
            "and a block of sequence numbers per division and year reserved for the package in the shared "
            "registry. Codes issued from the package (Assign unified codes, Code monitoring points or the code "
            "form with the package as registry) come only from its blocks, so packages coded on several "
            "laptops and the office never give out the same code. Bring the work back with 'Check in a field "
            "package'.</p>"
            "<h3>Parameters</h3><ul>"
            "<li><b>Shared registry</b>: where the codes are kept (file or PostgreSQL).</li>"
            "<li><b>Features</b>: buildings, projects ... to take along (with their citycode field).</li>"
            "<li><b>Divisions</b>, <b>division code field</b>: township/street polygons.</li>"
            "<li><b>Area</b>: division codes separated by commas, or an extent (the divisions it touches).</li>"
            "<li><b>Code profiles</b>, <b>years</b>: the blocks to reserve (years separated by commas, empty = "
            "this year; profiles without a year segment ignore them).</li>"
            "<li><b>Block size</b>: sequence numbers per division and year; a block used up in the field gives "
            "the status 'exhausted', never a code outside it.</li></ul>")

    def prepareAlgorithm(self, parameters, context, feedback):  # noqa: N802 (QGIS API name)
        super().prepareAlgorithm(parameters, context, feedback)
        with self.raw_geometries(context):
            self.inputs["BUILDINGS"] = self.layer_inputs(parameters, "BUILDINGS", context)
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
        self.addParameter(self.static_enum(QgsProcessingParameterEnum(
            "PROFILES", self.tr("Code profiles"), names, allowMultiple=True,
            defaultValue=["building"] if "building" in names else [names[0]])))
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

    def processAlgorithm(self, parameters, context, feedback):
        from ..core.field_package import CheckOutJob, FieldPackageError, check_out
        from ..core.registry import RegistryError

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
        param = self.parameterDefinition("PROFILES")
        if hasattr(param, "usesStaticStrings") and param.usesStaticStrings():
            profiles = self.parameterAsEnumStrings(parameters, "PROFILES", context)
        else:
            profiles = [profile_names()[i] for i in self.parameterAsEnums(parameters, "PROFILES", context)]
        job = CheckOutJob(
            registry=self.registry_location(parameters, context), output=output, divisions=self.inputs["DIVISIONS"],
            division_field=self.optional_field(parameters, "DIVISION_FIELD", context) or "code",
            division_codes=codes, extent=extent, extent_crs_wkt=extent_crs, layers=self.inputs["BUILDINGS"],
            planning=self.inputs["PLANNING"], profiles=profiles, years=years,
            block_size=self.parameterAsInt(parameters, "BLOCK_SIZE", context))
        try:
            result = check_out(job, feedback)
        except (FieldPackageError, RegistryError) as e:
            raise QgsProcessingException(str(e)) from e
        for b in result.blocks:
            feedback.pushInfo(self.tr("Block {}-{} for division {} ({}, year {})").format(
                b.first, b.last, b.division, b.profile, b.year))
        return {"OUTPUT": output, "PACKAGE_ID": result.package_id, "BLOCKS": len(result.blocks),
                "CODES": result.codes}


class CheckInAlgorithm(_FieldPackageAlgorithm):
    _name = "checkin"
    _display = QT_TRANSLATE_NOOP("CityCode", "Check in a field package")

    def shortHelpString(self):
        return self.tr(
            "<p>Merges what was done with a field package back into the shared registry, in one transaction: "
            "codes issued in the field (checked to lie in the package's reserved blocks, otherwise nothing is "
            "checked in), edited names and linked codes, retirements, splits and merges. Running it again "
            "changes nothing. A code changed in the registry since the check-out and also in the package is "
            "not applied: it is kept as a conflict with both versions until you resolve it ('Resolve a field "
            "package conflict', or the conflicts dialog).</p>")

    def initAlgorithm(self, config=None):
        self.addParameter(QgsProcessingParameterFile(
            "PACKAGE", self.tr("Field package"), QgsProcessingParameterFile.Behavior.File, "gpkg"))
        self.add_registry_param()
        for key, label in (("NEW", self.tr("New codes")), ("UPDATED", self.tr("Updated codes")),
                           ("RETIRED", self.tr("Retired codes")), ("CONFLICTS", self.tr("Conflicts")),
                           ("ALREADY", self.tr("Already checked in"))):
            self.addOutput(QgsProcessingOutputNumber(key, label))

    def processAlgorithm(self, parameters, context, feedback):
        from ..core.field_package import FieldPackageError, check_in
        from ..core.registry import RegistryError

        package = self.parameterAsFile(parameters, "PACKAGE", context)
        if not os.path.isfile(package or ""):
            raise QgsProcessingException(self.tr("Field package {} not found").format(package))
        try:
            result = check_in(package, self.registry_location(parameters, context))
        except (FieldPackageError, RegistryError) as e:
            raise QgsProcessingException(str(e)) from e
        for message in result.messages:
            feedback.pushInfo(message)
        for cid in result.conflict_ids:
            feedback.reportError(self.tr("Conflict {} kept for you to resolve").format(cid))
        return {"NEW": result.new, "UPDATED": result.updated, "RETIRED": result.retired,
                "CONFLICTS": result.conflicts, "ALREADY": result.already}


class ResolveConflictAlgorithm(_FieldPackageAlgorithm):
    _name = "resolveconflict"
    _display = QT_TRANSLATE_NOOP("CityCode", "Resolve a field package conflict")

    def shortHelpString(self):
        return self.tr(
            "<p>Settles a conflict left by a check-in: keep the registry's version of the code, or apply the "
            "package's. Either way the conflict is closed and the registry's history records who chose "
            "what.</p>")

    def initAlgorithm(self, config=None):
        self.add_registry_param()
        self.addParameter(QgsProcessingParameterNumber(
            "CONFLICT", self.tr("Conflict id"), QgsProcessingParameterNumber.Type.Integer, minValue=1))
        self.addParameter(self.static_enum(QgsProcessingParameterEnum(
            "CHOICE", self.tr("Keep"), list(CHOICES), defaultValue=CHOICES[0])))

    def processAlgorithm(self, parameters, context, feedback):
        from ..core.registry import RegistryError, default_actor, open_registry

        choice = self.enum_value(parameters, "CHOICE", context, CHOICES)
        conflict = self.parameterAsInt(parameters, "CONFLICT", context)
        try:
            with open_registry(self.registry_location(parameters, context)) as reg:
                reg.resolve_conflict(conflict, choice, default_actor())
        except RegistryError as e:
            raise QgsProcessingException(str(e)) from e
        feedback.pushInfo(self.tr("Conflict {} resolved: kept the {} version").format(conflict, choice))
        return {}
