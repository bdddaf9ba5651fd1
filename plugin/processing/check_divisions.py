"""citycode:checkdivisions — check a division layer's codes (and names) against the national table."""
from qgis.core import (
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFile,
)

from .base import CityCodeAlgorithm, attribute_text

# Output number per status (the core's finding kinds, plus ok).
COUNTS = (("ok", "OK"), ("wrong_length", "WRONG_LENGTH"), ("unknown", "UNKNOWN"), ("outdated", "OUTDATED"),
          ("wrong_parent", "WRONG_PARENT"), ("name_mismatch", "NAME_MISMATCH"), ("adcode_mapped", "ADCODE_MAPPED"))


class CheckDivisionsAlgorithm(CityCodeAlgorithm):
    _name = "checkdivisions"
    _json_params = ("INPUT",)

    def initAlgorithm(self, config=None):
        self.addParameter(QgsProcessingParameterFeatureSource(
            "INPUT", self.tr("Division layer"), [QgsProcessing.SourceType.TypeVector]))
        self.addParameter(QgsProcessingParameterField(
            "CODE_FIELD", self.tr("Code field"), None, "INPUT", QgsProcessingParameterField.DataType.Any))
        self.addParameter(QgsProcessingParameterField(
            "NAME_FIELD", self.tr("Name field"), None, "INPUT", QgsProcessingParameterField.DataType.String,
            optional=True))
        self.addParameter(self.advanced(QgsProcessingParameterField(
            "PARENT_FIELD", self.tr("Parent code field"), None, "INPUT", QgsProcessingParameterField.DataType.Any,
            optional=True)))
        self.addParameter(QgsProcessingParameterFile(
            "MAPPING", self.tr("Adcode mapping (CSV)"), QgsProcessingParameterFile.Behavior.File,
            extension="csv", optional=True))
        self.addParameter(QgsProcessingParameterFeatureSink("OUTPUT", self.tr("Checked divisions")))
        for key, label in (("OK", self.tr("Rows without findings")),
                           ("WRONG_LENGTH", self.tr("Rows that are not division codes")),
                           ("UNKNOWN", self.tr("Unknown codes")),
                           ("OUTDATED", self.tr("Former (outdated) codes")),
                           ("WRONG_PARENT", self.tr("Codes under the wrong parent")),
                           ("NAME_MISMATCH", self.tr("Name mismatches")),
                           ("ADCODE_MAPPED", self.tr("Map-vendor adcodes mapped to statistics codes"))):
            self.addOutput(QgsProcessingOutputNumber(key, label))

    def process(self, parameters, context, feedback):
        from ..core.china.divisions import division_table

        source = self.source(parameters, "INPUT", context)
        json_fields = self.json_fields("INPUT", source, feedback)
        indexes = {}
        for param in ("CODE_FIELD", "NAME_FIELD", "PARENT_FIELD"):
            name = self.optional_field(parameters, param, context)
            if name is None:
                continue
            indexes[param] = self.field_index(source, name)
        if "CODE_FIELD" not in indexes:
            raise QgsProcessingException(self.tr("Choose the code field"))

        table = division_table()
        mapping_file = self.parameterAsFile(parameters, "MAPPING", context) or None
        try:
            mapping = table.adcode_map(mapping_file)
        except OSError as e:
            raise QgsProcessingException(self.tr("The adcode mapping {} cannot be read: {}").format(
                mapping_file, e.strerror or e)) from None
        feedback.pushInfo(self.tr("National division table: {} vintage (统计用区划代码, cut-off {}), {} divisions")
                          .format(table.vintage, table.metadata.get("cutoff", "?"),
                                  sum(table.metadata.get("counts", {}).values())))

        sink, dest_id, fields = self.extended_sink(parameters, context, source, json_fields,
                                                   [(name, "String") for name in ("status", "message", "stat_code")])

        def column(feats, param):
            index = indexes.get(param)
            if index is None:
                return None
            return [attribute_text(values[index]) for values in map(json_fields.attributes, feats)]

        counts = {status: 0 for status, _ in COUNTS}

        def flush(chunk):
            rows = table.check(column(chunk, "CODE_FIELD"), column(chunk, "NAME_FIELD"), mapping,
                               column(chunk, "PARENT_FIELD"))
            for feature, row in zip(chunk, rows):
                self.add_row(sink, fields, feature,
                             json_fields.attributes(feature) + [row.status, row.message or None, row.code])
                counts[row.status] += 1

        self.in_chunks(source, feedback, flush)
        self.report_counts(feedback, {k: v for k, v in counts.items() if v})
        result = {"OUTPUT": dest_id}
        result.update({key: counts[status] for status, key in COUNTS})
        return result
