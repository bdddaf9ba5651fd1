"""citycode:repairtext — find the encoding of a layer's text, repair garbled text, report text lost for good."""
import os
from dataclasses import replace
from types import SimpleNamespace

import numpy as np
from qgis.core import (
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterFile,
    QgsProcessingParameterVectorDestination,
    QgsProcessingParameterVectorLayer,
)

from ..core.china.encodings import GARBLED, LOST, REPAIRED
from .base import CityCodeAlgorithm

AUTO = "auto"
# Encodings offered besides auto detection; names GDAL, Qt and Python all know.
ENCODINGS = (AUTO, "GB18030", "GBK", "UTF-8", "BIG5", "CP1252", "ISO-8859-1")
STATUS_FIELD, DETAIL_FIELD = "enc_status", "enc_fields"  # at most 10 bytes: shapefiles keep them as they are
FLAGS = {REPAIRED: "repaired", GARBLED: "garbled", LOST: "lost"}  # enc_status values, the worst last


class RepairTextAlgorithm(CityCodeAlgorithm):
    _name = "repairtext"

    def initAlgorithm(self, config=None):
        self.addParameter(QgsProcessingParameterFile(
            "INPUT", self.tr("Input file (shapefile or other vector file)"),
            QgsProcessingParameterFile.Behavior.File, optional=True,
            fileFilter=self.tr("Shapefiles (*.shp *.SHP);;dBase tables (*.dbf *.DBF);;All files (*.*)")))
        self.addParameter(QgsProcessingParameterVectorLayer(
            "LAYER", self.tr("…or input layer"), optional=True))
        self.addParameter(self.choice_enum("ENCODING", self.tr("Encoding"), ENCODINGS, AUTO))
        self.addParameter(QgsProcessingParameterVectorDestination("OUTPUT", self.tr("Repaired layer")))
        self.addOutput(QgsProcessingOutputString("ENCODING_FOUND", self.tr("Encoding found")))
        self.addOutput(QgsProcessingOutputString("FOUND_BY", self.tr("How the encoding was found")))
        self.addOutput(QgsProcessingOutputNumber("REPAIRED", self.tr("Rows repaired")))
        self.addOutput(QgsProcessingOutputNumber("GARBLED", self.tr("Rows with text garbled beyond repair")))
        self.addOutput(QgsProcessingOutputNumber("LOST", self.tr("Rows with text lost for good")))

    def _input(self, parameters, context, encoding):
        from ..core.engine.layers import LayerInput

        path = self.parameterAsFile(parameters, "INPUT", context)
        layer = self.parameterAsVectorLayer(parameters, "LAYER", context)
        if bool(path) == (layer is not None):
            raise QgsProcessingException(self.tr("Give either an input file or an input layer"))
        if path:
            return LayerInput(path=path, encoding=encoding)
        found = self._file_of(layer)
        if found:
            return LayerInput(path=found[0], layer=found[1], name=self.display_name(layer, context),
                              encoding=encoding)
        return LayerInput(source=layer, name=self.display_name(layer, context))

    def process(self, parameters, context, feedback):
        from ..core.china import encodings
        from ..core.engine import layer_writer, layers

        choice = self.enum_value(parameters, "ENCODING", context, ENCODINGS)
        inp = self._input(parameters, context, None if choice == AUTO else choice)
        dest = self.output_path(parameters, "OUTPUT", context)
        if inp.path and os.path.abspath(os.path.splitext(inp.path)[0]) == os.path.abspath(os.path.splitext(dest)[0]):
            raise QgsProcessingException(self.tr("Choose an output other than the input"))
        table = layers.read(inp)
        if table.encoding_how == "" and choice != AUTO:
            feedback.pushInfo(self.tr("The chosen encoding applies to shapefiles only; {} is read as its "
                                      "format says").format(inp.label))
        elif table.encoding_how == "":
            feedback.pushInfo(self.tr("{} is not a shapefile: its text is read as its format says "
                                      "(GeoPackage: UTF-8)").format(inp.label))
        if table.encoding_note:
            feedback.pushInfo(table.encoding_note)
        if any(f.garbled or f.lost for f in table.text_repair.fields):  # what is left as it was: a warning
            feedback.pushWarning(table.text_repair.message)
        elif table.text_repair.message:
            feedback.pushInfo(table.text_repair.message)
        feedback.setProgress(20)

        renamed, taken = {}, {f.lower() for f in table.field_order}
        for old in table.field_order:
            new = encodings.repair_text(old)
            if new and new.lower() not in taken:  # two names repairing to one: keep the second as it is
                renamed[old] = new
                taken.add(new.lower())
                feedback.pushInfo(self.tr("Field name repaired: {} → {}").format(old, new))
        n = len(table)
        # The text was repaired as it was read (layers.read, as for every reader); here the rows are marked.
        flagged_in = {status: np.full(n, "", dtype=object) for status in FLAGS}
        for name, status in table.text_repair.status.items():
            for code, where in flagged_in.items():
                mask = status == code
                where[mask] = where[mask] + renamed.get(name, name) + ", "
        order = [renamed.get(f, f) for f in table.field_order]
        columns = {renamed.get(f, f): table.columns[f] for f in table.field_order}
        arrow = None
        if table.arrow is not None:
            import pyarrow as pa
            arrow = pa.table({f: columns[f] for f in order})
        out = replace(table, columns=columns, field_order=order, arrow=arrow,
                      field_types={renamed.get(f, f): k for f, k in table.field_types.items()})

        rows = {code: where != "" for code, where in flagged_in.items()}
        status = np.full(n, "ok", dtype=object)
        for code, flag in FLAGS.items():  # the worst one shows
            status[rows[code]] = flag
        detail = np.full(n, None, dtype=object)
        for i in np.flatnonzero(status != "ok"):
            detail[i] = "; ".join("{}: {}".format(FLAGS[code], where[i].rstrip(", "))
                                  for code, where in flagged_in.items() if where[i])
        layers.remove_dataset(dest)
        shortened = layer_writer.write_layer(dest, out.name, out, {STATUS_FIELD: status, DETAIL_FIELD: detail}, None,
                                             "auto")
        for old, new in shortened.items():
            feedback.pushInfo(self.tr("Field {} is named {} in the shapefile (at most 10 bytes)").format(old, new))
        feedback.setProgress(100)
        counts = {code: int(r.sum()) for code, r in rows.items()}
        feedback.pushInfo(self.tr("Rows: {}; repaired: {}; garbled beyond repair: {}; with text lost for good: {} "
                                  "(left as they are)").format(n, counts[REPAIRED],
                                                               counts[GARBLED], counts[LOST]))
        result = SimpleNamespace(output=dest, output_layer=out.name)
        return {"OUTPUT": self.load_output(context, dest, result), "ENCODING_FOUND": table.encoding or "",
                "FOUND_BY": table.encoding_how, "REPAIRED": counts[REPAIRED],
                "GARBLED": counts[GARBLED], "LOST": counts[LOST]}

