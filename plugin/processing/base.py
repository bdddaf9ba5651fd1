"""Shared plumbing for the CityCode Processing algorithms.

- tr() with the translation context "CityCode" (the same as the core's messages)
- group, title and help of each algorithm (from descriptions.py), icon
- layer parameters as the core's LayerInputs (layer_inputs.py), read where QGIS allows it (prepareAlgorithm)
- the parameters several algorithms share (engine, datums, namespace, code profiles, text encoding) and
  reading them back
- one place turning a CityCodeError (the user-facing errors of the core) into a QgsProcessingException:
  algorithms implement process(), processAlgorithm runs it
"""
import os
import re
from datetime import date

from qgis.core import (
    QgsFeature,
    QgsFeatureRequest,
    QgsFeatureSink,
    QgsFields,
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterString,
    QgsProcessingUtils,
)
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtGui import QIcon

from .descriptions import GROUPS, HELP, TITLES
from .layer_inputs import LayerInputsMixin
from .option_labels import LABELS
from ..core.definitions import ICON_PATH
from ..core.engine.layers import qgs_field
from ..core.exceptions import CityCodeError


# Choices of the ENGINE parameter (values handed to the core as is).
ENGINES = ("auto", "arrow", "qgis")
# Choices of the *_DATUM parameters: the datum a layer's coordinates are really in (web maps label
# GCJ-02 / BD-09 data as WGS84); the core moves such layers to CGCS2000 on reading. auto: detected
# (core/datum_detect.py), converted when the evidence is clear; as_labelled: never converted, a warning.
DATUMS = ("auto", "as_labelled", "gcj02", "bd09")
# Choices of the ENCODING parameter of the point and observation files -> the codec read with
# (GB18030: GBK and the characters GBK lacks).
FILE_ENCODINGS = {"auto": None, "UTF-8": "UTF-8", "GBK": "GB18030"}
# Metadata key of a numbered enum parameter: the stable names its options can also be given by.
ENUM_NAMES = "citycode_names"


def tr(text):
    return QCoreApplication.translate("CityCode", text)


def current_year():
    return date.today().year


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


def attribute_text(value):
    """An attribute as text for the validators: NULL -> None, 12.0 -> "12"."""
    if value is None or (hasattr(value, "isNull") and value.isNull()):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


class CityCodeAlgorithm(LayerInputsMixin, QgsProcessingAlgorithm):
    """Base class: subclasses set _name (their group, title and help are in descriptions.py) and implement
    initAlgorithm and process() (what processAlgorithm would be: it runs it)."""

    _name = ""
    # Layer parameters turned into the core's LayerInputs in prepareAlgorithm (self.inputs[name]).
    _layer_params = ()
    _multi_layer_param = None
    # Feature-source parameters copied through a QGIS sink: their file, found in prepareAlgorithm (json_fields).
    _json_params = ()

    def prepareAlgorithm(self, parameters, context, feedback):  # noqa: N802 (QGIS API name)
        """Resolve the layer parameters here: QGIS calls this in the thread that owns the project's layers,
        and may then run processAlgorithm in a task thread, where touching those layers crashes QGIS."""
        with self.raw_geometries(context):
            self.inputs = {name: self.layer_input(parameters, name, context) for name in self._layer_params}
            if self._multi_layer_param:
                self.inputs[self._multi_layer_param] = self.layer_inputs(parameters, self._multi_layer_param,
                                                                         context)
        self.json_files = {name: self._source_file(parameters, name, context) for name in self._json_params}
        return True

    def tr(self, text):
        return tr(text)

    def createInstance(self):
        return type(self)()

    def name(self):
        return self._name

    def displayName(self):
        return self.tr(TITLES[self._name][1])

    def group(self):
        return GROUPS[self.groupId()]

    def groupId(self):
        return TITLES[self._name][0]

    def icon(self):
        return QIcon(ICON_PATH) if os.path.isfile(ICON_PATH) else super().icon()

    def svgIconPath(self):
        return ICON_PATH if os.path.isfile(ICON_PATH) else super().svgIconPath()

    def shortHelpString(self):
        """The algorithm's help (descriptions.HELP), each piece translated as it was written."""
        return "".join(map(tr, HELP[self._name]))

    def helpUrl(self):
        return ""

    # -- parameters ---------------------------------------------------------------------------------
    @staticmethod
    def advanced(param):
        param.setFlags(param.flags() | QgsProcessingParameterDefinition.Flag.FlagAdvanced)
        return param

    @staticmethod
    def named_enum(param, names):
        """A numbered enum (its options are translated labels) that also takes these stable names."""
        metadata = param.metadata()
        metadata[ENUM_NAMES] = list(names)
        param.setMetadata(metadata)
        return param

    @classmethod
    def choice_enum(cls, name, description, values, default, labels=None, multiple=False):
        """A choice among stable `values` (what scripts pass) shown by their labels in the user's language: from
        `labels` (value -> label), else option_labels.LABELS, else the value itself."""
        values, labels = list(values), labels or {}
        options = [tr(labels.get(v) or LABELS.get(v, v)) for v in values]
        index = [values.index(d) for d in default] if multiple else values.index(default)
        return cls.named_enum(QgsProcessingParameterEnum(name, description, options, allowMultiple=multiple,
                                                         defaultValue=index), values)

    @staticmethod
    def enum_choice(param, value):
        """An enum value as the parameter stores it (a static enum: the option text; else its number), given
        as a number, an option or a stable name: `qgis_process help` lists options by number, and QGIS takes
        only the text of a static enum and only the number of another. Anything else is left for QGIS to
        refuse."""
        options = param.options()
        names = param.metadata().get(ENUM_NAMES) or options
        if isinstance(value, str) and param.allowMultiple() and "," in value and value.strip() not in options + names:
            value = value.split(",")  # "0,2" or "building,point" (an option's own comma stays)
        if isinstance(value, (list, tuple)):
            return [CityCodeAlgorithm.enum_choice(param, v) for v in value]
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            return value
        text = str(value).strip()
        if text in options:
            index = options.index(text)
        elif text in names:
            index = names.index(text)
        elif text.isdigit() and int(text) < len(options):
            index = int(text)
        else:
            return value
        return options[index] if param.usesStaticStrings() else index

    def enum_parameters(self, parameters):
        """`parameters` with every enum value as QGIS expects it (see enum_choice)."""
        out = dict(parameters)
        for param in self.parameterDefinitions():
            if isinstance(param, QgsProcessingParameterEnum) and param.name() in out:
                out[param.name()] = self.enum_choice(param, out[param.name()])
        return out

    def checkParameterValues(self, parameters, context):  # noqa: N802 (QGIS API name)
        ok, message = super().checkParameterValues(self.enum_parameters(parameters), context)
        if not ok:  # a damaged GeoPackage is "not found" to QGIS: say what it is
            from ..core.registry.sqlite import input_damage
            paths = [v for value in parameters.values() for v in (value if isinstance(value, (list, tuple))
                                                                   else [value]) if isinstance(v, str)]
            message = next(filter(None, map(input_damage, paths)), message)
        return ok, message

    def enum_value(self, parameters, name, context, values):
        """The chosen value of an enum parameter built with `values` as its options, static or not."""
        param = self.parameterDefinition(name)
        parameters = {name: self.enum_choice(param, parameters[name])} if name in parameters else {}
        if param.usesStaticStrings():
            value = self.parameterAsEnumString(parameters, name, context)
            return value if value in values else values[0]
        index = self.parameterAsEnum(parameters, name, context)
        return values[index] if 0 <= index < len(values) else values[0]

    def enum_values(self, parameters, name, context, values):
        """The chosen values of a multiple enum parameter built with `values` as its options."""
        param = self.parameterDefinition(name)
        parameters = {name: self.enum_choice(param, parameters[name])} if name in parameters else {}
        if param.usesStaticStrings():
            return [v for v in self.parameterAsEnumStrings(parameters, name, context) if v in values]
        return [values[i] for i in self.parameterAsEnums(parameters, name, context) if 0 <= i < len(values)]

    def add_engine_param(self):
        self.addParameter(self.advanced(self.named_enum(QgsProcessingParameterEnum(
            "ENGINE", self.tr("Engine"),
            [self.tr("Auto"), self.tr("Fast (shapely + pyogrio)"), self.tr("QGIS")], defaultValue=0), ENGINES)))

    def add_datum_param(self, name, layer_description):
        self.addParameter(self.advanced(self.choice_enum(
            name, self.tr("{}: coordinates really in (detected, as labelled, GCJ-02 of AMap/Tencent, BD-09 of "
                          "Baidu)").format(layer_description), DATUMS, DATUMS[0])))

    def datum_value(self, parameters, name, context):
        """The LayerInput.datum a *_DATUM parameter asks for: "auto", gcj02, bd09, or None (as labelled)."""
        if self.parameterDefinition(name) is None:
            return None
        value = self.enum_value(parameters, name, context, DATUMS)
        return None if value == "as_labelled" else value

    def apply_datums(self, parameters, context, inputs):
        """Set each LayerInput's datum from its parameter: `inputs` maps a *_DATUM parameter to one LayerInput
        or a list of them (the planning layers)."""
        for name, items in inputs.items():
            for item in items if isinstance(items, list) else [items]:
                item.datum = self.datum_value(parameters, name, context)

    def add_namespace_param(self):
        self.addParameter(self.advanced(QgsProcessingParameterString(
            "NAMESPACE", self.tr("Dataset namespace of the ids (empty = stored with the data, else its source)"),
            optional=True)))

    def namespace_value(self, parameters, layer_param, context):
        """NAMESPACE, else for a database layer its table (a file's namespace the core finds: datasets.py);
        call it where the project's layers may be touched (prepareAlgorithm)."""
        given = (self.parameterAsString(parameters, "NAMESPACE", context) or "").strip()
        if given:
            return given
        layer = self.parameterAsVectorLayer(parameters, layer_param, context)
        if layer is None or layer.providerType() != "postgres":
            return None
        from ..core.registry.datasets import postgres_namespace
        return postgres_namespace(layer.source())

    def add_profile_params(self, kind, advanced=False):
        """PROFILE (auto or a shipped profile of `kind`) and PROFILE_FILE (a JSON profile overriding it)."""
        profile = self.choice_enum("PROFILE", self.tr("Code profile"), profile_choices(kind), "auto",
                                   profile_labels())
        self.addParameter(self.advanced(profile) if advanced else profile)
        self.addParameter(self.advanced(QgsProcessingParameterFile(
            "PROFILE_FILE", self.tr("Code profile file (overrides the profile)"),
            QgsProcessingParameterFile.Behavior.File, "json", optional=True)))

    def profile_value(self, parameters, context, kind):
        """The profile file when given (see profile_file), else the chosen profile name (or auto)."""
        return self.profile_file(parameters, context) or self.enum_value(parameters, "PROFILE", context,
                                                                         profile_choices(kind))

    def add_registry_output_param(self):
        self.addParameter(QgsProcessingParameterFileDestination(
            "REGISTRY", self.tr("Code registry (empty = beside the output)"),
            self.tr("Registry (*.sqlite *.gpkg)"), optional=True, createByDefault=False))

    def add_report_param(self, description):
        self.addParameter(QgsProcessingParameterFileDestination(
            "REPORT", description, self.tr("HTML report (*.html);;JSON report (*.json)"),
            optional=True, createByDefault=True))

    def add_encoding_param(self):
        self.addParameter(self.advanced(self.choice_enum("ENCODING", self.tr("Text encoding"), FILE_ENCODINGS,
                                                         "auto")))

    def encoding_value(self, parameters, context):
        """The codec of the ENCODING parameter (add_encoding_param); None for auto."""
        return FILE_ENCODINGS[self.enum_value(parameters, "ENCODING", context, list(FILE_ENCODINGS))]

    def text_value(self, parameters, name, context):
        """An optional string parameter, stripped; None when empty."""
        return (self.parameterAsString(parameters, name, context) or "").strip() or None

    def profile_file(self, parameters, context):
        """PROFILE_FILE (a code profile JSON) when given, read once here so a missing or broken file is a
        message rather than the parser's words."""
        path = self.parameterAsFile(parameters, "PROFILE_FILE", context)
        if not path:
            return None
        from ..core.codes.profiles import CodeProfile
        if not os.path.isfile(path):
            raise QgsProcessingException(self.tr("The code profile file {} does not exist").format(path))
        try:
            CodeProfile.from_file(path)
        except (OSError, ValueError, KeyError, TypeError) as e:
            raise QgsProcessingException(self.tr("The code profile file {} cannot be used: {}. Nothing was "
                                                 "changed.").format(path, e)) from None
        return path

    def optional_field(self, parameters, name, context):
        fields = self.parameterAsFields(parameters, name, context)
        return fields[0] if fields else None

    def output_path(self, parameters, name, context):
        """A .gpkg or .shp path for a vector destination parameter (the engine writes files only)."""
        dest = self.parameterAsOutputLayer(parameters, name, context)
        if not dest:
            raise QgsProcessingException(self.tr("Choose where to save {}").format(
                self.parameterDefinition(name).description()))
        ext = os.path.splitext(dest)[1].lower()
        if ext not in (".gpkg", ".shp") or re.match(r"^[A-Za-z]{2,}:", dest):
            raise QgsProcessingException(
                self.tr("CityCode writes GeoPackage (.gpkg) or shapefile (.shp) files; "
                        "choose a file path instead of {}").format(dest))
        return dest

    def optional_file(self, parameters, name, context):
        if parameters.get(name) in (None, ""):
            return None
        return self.parameterAsFileOutput(parameters, name, context) or None

    # -- running --------------------------------------------------------------------------------------
    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 (QGIS API name)
        """process(), with the core's errors for the user (CityCodeError) shown as Processing errors: their
        message, no traceback. Anything else is a bug and keeps its traceback."""
        if feedback is None:
            feedback = QgsProcessingFeedback()
        try:
            return self.process(parameters, context, feedback)
        except CityCodeError as e:
            if getattr(e, "canceled", False):
                feedback.reportError(self.tr("Canceled; nothing was changed."))
            raise QgsProcessingException(str(e)) from e

    def process(self, parameters, context, feedback):
        raise NotImplementedError

    def source(self, parameters, name, context):
        """The feature source of a parameter; a Processing error when it cannot be read."""
        source = self.parameterAsSource(parameters, name, context)
        if source is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, name))
        return source

    def sink(self, parameters, context, fields, wkb_type, crs, name="OUTPUT"):
        """(sink, its id) of a feature sink parameter; a Processing error when it cannot be made."""
        sink, dest_id = self.parameterAsSink(parameters, name, context, fields, wkb_type, crs)
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, name))
        return sink, dest_id

    def extended_sink(self, parameters, context, source, json_fields, extra):
        """(sink, its id, its fields) for the source's features with the fields `extra` ((name, kind) pairs,
        kinds as qgs_field takes them) after their own."""
        added = QgsFields()
        for name, kind in extra:
            added.append(qgs_field(name, kind))
        fields = QgsProcessingUtils.combineFields(json_fields.fields, added)
        sink, dest_id = self.sink(parameters, context, fields, source.wkbType(), source.sourceCrs())
        return sink, dest_id, fields

    def field_index(self, source, name):
        """The index of the source's field `name`; a Processing error when there is none."""
        index = source.fields().lookupField(name) if name else -1
        if index < 0:
            raise QgsProcessingException(self.tr("The input has no field named '{}'").format(name))
        return index

    @staticmethod
    def add_row(sink, fields, feature, attributes):
        """A copy of `feature` with these attributes into the sink."""
        out = QgsFeature(fields)
        out.setGeometry(feature.geometry())
        out.setAttributes(attributes)
        sink.addFeature(out, QgsFeatureSink.Flag.FastInsert)

    def load_output(self, context, dest, result):
        """Point the layer QGIS loads after the run at the engine's actual output layer."""
        uri = result.output or dest
        layer_name = getattr(result, "output_layer", None)
        if layer_name and uri.lower().endswith(".gpkg"):
            uri = "{}|layername={}".format(uri, layer_name)
        if context.willLoadLayerOnCompletion(dest) and uri != dest:
            layers = context.layersToLoadOnCompletion()
            details = layers.pop(dest)
            layers[uri] = details
            context.setLayersToLoadOnCompletion(layers)
        return uri

    @staticmethod
    def in_chunks(source, feedback, handle, size=1000, request=None):
        """Feed the source's features to handle(list of features) in chunks (one vectorised call each),
        with progress; stops at a cancel. Returns False when canceled."""
        total = source.featureCount()
        step = 100.0 / total if total and total > 0 else 0
        done, chunk = 0, []
        for feature in source.getFeatures(request or QgsFeatureRequest()):
            if feedback.isCanceled():
                return False
            chunk.append(feature)
            done += 1
            if len(chunk) >= size:
                handle(chunk)
                chunk = []
                feedback.setProgress(done * step)
        if chunk and not feedback.isCanceled():
            handle(chunk)
        feedback.setProgress(100)
        return not feedback.isCanceled()

    @staticmethod
    def report_counts(feedback, counts):
        if feedback is not None and counts:
            feedback.pushInfo(", ".join("{}: {}".format(k, v) for k, v in counts.items()))
