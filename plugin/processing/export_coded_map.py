"""citycode:exportcodedmap — coded maps out: a single map, an atlas per division, code cards with a QR code."""
import os
import re

from qgis.core import (
    QgsProcessing,
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterField,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorLayer,
    QgsVectorLayer,
)

from .base import CityCodeAlgorithm, attribute_text, tr
from .descriptions import HELP


class ExportCodedMapAlgorithm(CityCodeAlgorithm):
    _name = "exportcodedmap"

    def flags(self):
        # Layouts, their private project and the layer clones are QObjects made and rendered together;
        # QGIS runs the algorithm on the main thread then (qgis_process does anyway), so nothing of the
        # user's project is touched from a task thread and the layout renders where it was made.
        return super().flags() | QgsProcessingAlgorithm.Flag.FlagNoThreading

    def shortHelpString(self):
        from ..core.output import maps

        parameters_help, paper_help = HELP[self._name]
        return tr(parameters_help) + tr(paper_help).format(maps.CARD_PAGE_LIMIT)

    def initAlgorithm(self, config=None):
        from ..core.output import layouts, maps

        self.addParameter(QgsProcessingParameterVectorLayer(
            "BUILDINGS", self.tr("Coded layer (buildings or projects)"), [QgsProcessing.SourceType.TypeVector]))
        self.addParameter(QgsProcessingParameterVectorLayer(
            "DIVISIONS", self.tr("Division layer"), [QgsProcessing.SourceType.TypeVectorPolygon], optional=True))
        self.addParameter(QgsProcessingParameterField(
            "DIVISION_FIELD", self.tr("Division code field"), "code", "DIVISIONS", optional=True))
        self.addParameter(QgsProcessingParameterMultipleLayers(
            "PLANNING", self.tr("Planning layers"), QgsProcessing.SourceType.TypeVectorPolygon, optional=True))
        self.addParameter(self.choice_enum(
            "MODE", self.tr("What to make (single map, atlas per division, code cards)"), maps.MODES, maps.MODES[0]))
        self.addParameter(self.choice_enum("TEMPLATE", self.tr("Template"), layouts.TEMPLATES, layouts.TEMPLATES[0]))
        self.addParameter(self.advanced(QgsProcessingParameterFile(
            "TEMPLATE_FILE", self.tr("Own layout template (.qpt), instead of the one above"),
            extension="qpt", optional=True)))
        self.addParameter(QgsProcessingParameterString("TITLE", self.tr("Title"), optional=True))
        self.addParameter(QgsProcessingParameterString(
            "ISSUER", self.tr("Issuing unit (empty = from the settings)"), optional=True))
        self.addParameter(QgsProcessingParameterString(
            "QR_URL", self.tr("QR URL template, e.g. https://example.gov.cn/code/{code} (empty = from the "
                              "settings)"), optional=True))
        self.addParameter(QgsProcessingParameterString(
            "CODES", self.tr("Codes to make cards for"), multiLine=True, optional=True))
        self.addParameter(QgsProcessingParameterBoolean(
            "SELECTED", self.tr("Cards for the selected features only"), defaultValue=False))
        self.addParameter(QgsProcessingParameterString(
            "CARD_DIVISION", self.tr("Cards for the features of this division (its code)"), optional=True))
        self.addParameter(QgsProcessingParameterBoolean(
            "ALLOW_MANY", self.tr("Print them all, even more than {} cards").format(maps.CARD_PAGE_LIMIT),
            defaultValue=False))
        self.addParameter(self.advanced(QgsProcessingParameterField(
            "CODE_FIELD", self.tr("Code field"), "citycode", "BUILDINGS", optional=True)))
        self.addParameter(self.choice_enum("FORMAT", self.tr("Format"), maps.FORMATS, maps.FORMATS[0]))
        self.addParameter(QgsProcessingParameterNumber(
            "DPI", self.tr("Resolution (dpi)"), QgsProcessingParameterNumber.Type.Integer, 150, False, 50, 1200))
        self.addParameter(QgsProcessingParameterFileDestination(
            "OUTPUT", self.tr("Output file"), self.tr("PDF files (*.pdf);;PNG files (*.png)")))
        self.addOutput(QgsProcessingOutputString("FILES", self.tr("Files written")))
        self.addOutput(QgsProcessingOutputNumber("PAGES", self.tr("Pages")))

    def prepareAlgorithm(self, parameters, context, feedback):  # noqa: N802 (QGIS API name)
        self.buildings = self.parameterAsVectorLayer(parameters, "BUILDINGS", context)
        if self.buildings is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, "BUILDINGS"))
        self.divisions = self.parameterAsVectorLayer(parameters, "DIVISIONS", context)
        self.planning = [layer for layer in self.parameterAsLayerList(parameters, "PLANNING", context)
                         if isinstance(layer, QgsVectorLayer)]
        if not parameters.get("PLANNING") and context.project() is not None:  # as the form and batch see them
            from ..core.planning.loader import project_planning_layers
            self.planning = project_planning_layers(context.project(), exclude=[self.buildings, self.divisions])
        return True

    def process(self, parameters, context, feedback):
        from ..core import settings
        from ..core.definitions import CODE_FIELD
        from ..core.output import layouts, maps

        mode = self.enum_value(parameters, "MODE", context, maps.MODES)
        fmt = self.enum_value(parameters, "FORMAT", context, maps.FORMATS)
        template = self.parameterAsFile(parameters, "TEMPLATE_FILE", context) or \
            self.enum_value(parameters, "TEMPLATE", context, layouts.TEMPLATES)
        stored = settings.load()
        issuer = self.parameterAsString(parameters, "ISSUER", context) or stored.issuing_unit or layouts.DEFAULT_ISSUER
        qr_url = self.parameterAsString(parameters, "QR_URL", context) or stored.qr_url_template or \
            maps.DEFAULT_QR_URL
        codes = [c for c in re.split(r"[\s,;，；]+", self.parameterAsString(parameters, "CODES", context) or "") if c]
        code_field = self.optional_field(parameters, "CODE_FIELD", context) or CODE_FIELD
        if mode == "cards" and self.parameterAsBoolean(parameters, "SELECTED", context):
            codes += [attribute_text(f[code_field]) for f in self.buildings.getSelectedFeatures()
                      if code_field in f.fields().names() and attribute_text(f[code_field])]
            if not codes:
                raise QgsProcessingException(self.tr("No feature with a code is selected"))
        output = self.parameterAsFileOutput(parameters, "OUTPUT", context)
        output = os.path.splitext(output)[0] + "." + fmt
        inputs = maps.MapInputs(buildings=self.buildings, divisions=self.divisions,
                                division_field=self.optional_field(parameters, "DIVISION_FIELD", context) or "code",
                                planning=self.planning, code_field=code_field)
        doc = maps.build_map(inputs, mode, template, self.parameterAsString(parameters, "TITLE", context),
                             issuer, qr_url, codes or None,
                             qr_folder=os.path.splitext(output)[0] + "_qr" if mode == "cards" else "",
                             division=(self.parameterAsString(parameters, "CARD_DIVISION", context) or "").strip(),
                             allow_many=self.parameterAsBoolean(parameters, "ALLOW_MANY", context),
                             dpi=self.parameterAsInt(parameters, "DPI", context))
        for warning in doc.warnings:
            feedback.pushWarning(warning)
        pages = doc.page_count()
        feedback.pushInfo(self.tr("{} page(s) to write").format(pages))
        if doc.code_tables:
            feedback.pushInfo(self.tr("Not every building could be labelled on the pages of {}: a table of "
                                      "their codes follows each of these pages").format(", ".join(doc.code_tables)))
        files = maps.export(doc, output, fmt, self.parameterAsInt(parameters, "DPI", context), feedback)
        feedback.pushInfo(self.tr("Written: {}").format(", ".join(files[:5]) + (" …" if len(files) > 5 else "")))
        return {"OUTPUT": output, "FILES": ";".join(files), "PAGES": pages}
