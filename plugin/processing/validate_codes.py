"""citycode:validatecodes — check the codes in a field, row by row, and say what is wrong with each."""
from qgis.core import (
    QgsProcessing,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
)

from .base import CityCodeAlgorithm, attribute_text

AUTO = "auto"  # the core's validation.AUTO


def kinds():
    """Kinds of code to check against, "auto" first; from the core, so the list grows with it."""
    from ..core.codes.validation import AUTO as CORE_AUTO, kinds as core_kinds
    names = [str(k) for k in core_kinds()]
    return [CORE_AUTO] + [n for n in names if n != CORE_AUTO]


class ValidateCodesAlgorithm(CityCodeAlgorithm):
    _name = "validatecodes"
    _json_params = ("INPUT",)

    def shortHelpString(self):
        from ..core.codes.validation import kinds as core_kinds
        listed = "".join("<li><b>{}</b>: {}</li>".format(k, t) for k, t in core_kinds().items())
        return super().shortHelpString() + listed + "</ul>"

    def initAlgorithm(self, config=None):
        self.addParameter(QgsProcessingParameterFeatureSource(
            "INPUT", self.tr("Input layer"), [QgsProcessing.SourceType.TypeVector]))
        self.addParameter(QgsProcessingParameterField(
            "FIELD", self.tr("Code field"), "citycode", "INPUT", QgsProcessingParameterField.DataType.Any))
        from ..core.codes.validation import kinds as titles
        self.addParameter(self.choice_enum("KIND", self.tr("Kind of code"), kinds(), AUTO, titles()))
        self.addParameter(QgsProcessingParameterFeatureSink("OUTPUT", self.tr("Validated codes")))
        self.addOutput(QgsProcessingOutputNumber("VALID", self.tr("Valid codes")))
        self.addOutput(QgsProcessingOutputNumber("INVALID", self.tr("Invalid codes")))

    def process(self, parameters, context, feedback):
        from ..core.codes.validation import validate_values

        source = self.source(parameters, "INPUT", context)
        index = self.field_index(source, self.optional_field(parameters, "FIELD", context))
        kind = self.enum_value(parameters, "KIND", context, kinds())
        json_fields = self.json_fields("INPUT", source, feedback)

        sink, dest_id, fields = self.extended_sink(parameters, context, source, json_fields,
                                                   (("valid", "Bool"), ("profile", "String"), ("reasons", "String")))

        counts = {"valid": 0, "invalid": 0}

        def flush(chunk):
            rows = validate_values([attribute_text(json_fields.attributes(f)[index]) for f in chunk], kind)
            for feature, row in zip(chunk, rows):
                self.add_row(sink, fields, feature, json_fields.attributes(feature) + [
                    bool(row.ok), getattr(row, "kind", None) or None, "\n".join(row.reasons) or None])
                counts["valid" if row.ok else "invalid"] += 1

        self.in_chunks(source, feedback, flush)
        feedback.pushInfo(self.tr("Valid: {}, invalid: {}").format(counts["valid"], counts["invalid"]))
        return {"OUTPUT": dest_id, "VALID": counts["valid"], "INVALID": counts["invalid"]}
