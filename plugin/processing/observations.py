"""citycode:importobservations and citycode:exportobservations — what was measured at coded monitoring points,
stored in the code registry, checked against thresholds, and exported for Excel."""
import csv
import os
import re

from qgis.core import (
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterString,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from .base import CityCodeAlgorithm
from .import_points import (
    MONITORING_GROUP,
    REPORT_FILES,
    SHOWN_PROBLEMS,
    add_encoding_param,
    encoding_value,
    text_value,
    write_problems,
)

OBSERVATION_FILES = "Observations (*.csv *.txt *.tsv *.xlsx *.xls *.ods);;All files (*.*)"
REGISTRY_FILES = "Registry (*.sqlite *.gpkg)"
COLUMN_PARAMS = (("key", "CODE_FIELD"), ("time", "TIME_FIELD"), ("variable", "VARIABLE_FIELD"),
                 ("value", "VALUE_FIELD"), ("unit", "UNIT_FIELD"))
# The file column a problem of the store is about, by its kind (ObsProblem.kind).
PROBLEM_ROLE = {"unresolved": "key", "duplicate": "key", "time": "time"}
EXCEEDANCE_EXTRA = (("key", "点位编号(key)"), ("line", "行号(line)"), ("limit", "超标类型(limit)"),
                    ("threshold", "限值(threshold)"))


def observation_batch(imp):
    """point_import.ObservationImport -> observations.ObservationBatch (the one place the two meet)."""
    from ..core.points.observations import ObservationBatch
    return ObservationBatch(key=imp.key, time=imp.time, variable=imp.variable, value=imp.value, unit=imp.unit,
                            censored=imp.censored, line=imp.line)


def namespaced_resolver(registry, namespace):
    """Keys to codes: a key that is an active point code is used as is, else '<namespace>:<key>' is looked up
    as the identity the points got when they were coded (citycode:codepoints: namespace = the points' file
    or layer name)."""
    from ..core.points.observations import registry_resolver
    resolve = registry_resolver(registry, "point")
    if not namespace:
        return resolve
    return lambda key: resolve(key) or resolve("{}:{}".format(namespace, key))


def split_list(text, separators=r"[,，;；\n]+"):
    return [p.strip() for p in re.split(separators, text or "") if p.strip()]


class _RegistryMixin:
    def add_registry_param(self):
        self.addParameter(QgsProcessingParameterFile(
            "REGISTRY", self.tr("Code registry (empty = the one in the CityCode settings)"),
            QgsProcessingParameterFile.Behavior.File, optional=True, fileFilter=REGISTRY_FILES))

    def open_store(self, parameters, context):
        """(registry, store) of the REGISTRY parameter, else the settings' registry; it must exist."""
        from ..core.points.observations import ObservationStore
        from ..core.registry.base import RegistryError
        from ..core.registry.backends import open_registry
        from ..core.registry.sqlite import SQLiteRegistry
        from ..core.settings import load
        path = self.parameterAsFile(parameters, "REGISTRY", context) or load().registry_path
        if not os.path.isfile(path):
            raise QgsProcessingException(self.tr("Registry {} not found: code the monitoring points first").format(
                path))
        try:
            registry = open_registry(path)
        except RegistryError as e:
            raise QgsProcessingException(str(e)) from e
        if not isinstance(registry, SQLiteRegistry):
            registry.close()
            raise QgsProcessingException(self.tr("Observations are kept in a registry file (SQLite), not in {}")
                                         .format(path))
        try:
            return registry, ObservationStore(registry)
        except RegistryError as e:
            registry.close()
            raise QgsProcessingException(str(e)) from e


class ImportObservationsAlgorithm(_RegistryMixin, CityCodeAlgorithm):
    _name = "importobservations"
    _display = QT_TRANSLATE_NOOP("CityCode", "Import observations")
    _group_id = MONITORING_GROUP

    def shortHelpString(self):
        return self.tr(
            "<p>Stores what was measured at coded monitoring points in the code registry, checks it against "
            "thresholds and lists the exceedances. The file may be long (one row per point, time and variable: "
            "点位编号, 监测时间, 监测项目, 监测值, 单位) or wide (one column per variable, the unit in the header: "
            "PM2.5(μg/m³)). Values below the detection limit (\"&lt;0.01\", \"0.01L\") are kept as such and never "
            "exceed an upper limit. Importing the same file again adds nothing; a value that differs from the "
            "stored one is a conflict.</p>"
            "<h3>Parameters</h3><ul>"
            "<li><b>Observations file</b>: CSV (UTF-8 or GBK) or XLSX.</li>"
            "<li><b>Code registry</b>: the registry the points were coded into (empty: the one in the CityCode "
            "settings).</li>"
            "<li><b>Namespace of the point ids</b>: the file's point column may hold codes, or the ids of the "
            "points file that was coded. Ids are looked up under this namespace: the name of that points file "
            "without its extension (monitoring_points for monitoring_points.csv) or of its layer, unless the "
            "coding run gave another. Empty: the file must hold codes.</li>"
            "<li><b>When a stored value differs</b>: keep the stored value, or replace it; either way the conflict "
            "is reported and audited.</li>"
            "<li><b>Thresholds</b> (optional): a CSV with the columns 指标 (variable), 下限 (lower), 上限 (upper), "
            "单位 (unit), stored in the registry before the import; a value exactly at a limit does not exceed "
            "it.</li>"
            "<li><b>Point / time / variable / value / unit column</b>: empty: found by name.</li>"
            "<li><b>Report</b> (optional, .html, .csv or .json): every row not stored as it came, with its line "
            "and the reason (unreadable, unknown point, repeated, conflict, unit that does not convert).</li>"
            "<li><b>Exceedances</b> (optional CSV): the observations of this file that exceed their threshold, "
            "as stored after the import, with the point id and line in the file.</li></ul>"
            "<h3>Outputs</h3><p><b>ADDED</b>, <b>UNCHANGED</b> (already stored with the same value), "
            "<b>CONFLICTS</b>, <b>UNRESOLVED</b> (point not found), <b>INVALID</b> (unreadable or repeated rows), "
            "<b>EXCEEDANCES_COUNT</b>.</p>")

    def initAlgorithm(self, config=None):
        self.addParameter(QgsProcessingParameterFile(
            "INPUT", self.tr("Observations file"), QgsProcessingParameterFile.Behavior.File,
            fileFilter=OBSERVATION_FILES))
        self.add_registry_param()
        self.addParameter(QgsProcessingParameterString(
            "NAMESPACE", self.tr("Namespace of the point ids (the coded points file's name; empty = codes only)"),
            optional=True))
        self.addParameter(self.choice_enum(
            "ON_CONFLICT", self.tr("When a stored value differs"), ["keep", "replace"], "keep"))
        self.addParameter(QgsProcessingParameterFile(
            "THRESHOLDS", self.tr("Thresholds (CSV)"), QgsProcessingParameterFile.Behavior.File, optional=True,
            fileFilter="CSV (*.csv)"))
        self.addParameter(self.advanced(QgsProcessingParameterString(
            "SHEET", self.tr("Sheet (empty = the first)"), optional=True)))
        labels = (self.tr("Point column (code or id)"), self.tr("Time column"), self.tr("Variable column"),
                  self.tr("Value column"), self.tr("Unit column"))
        for (_, name), label in zip(COLUMN_PARAMS, labels):
            self.addParameter(self.advanced(QgsProcessingParameterString(
                name, self.tr("{} (empty = found by name)").format(label), optional=True)))
        add_encoding_param(self)
        self.addParameter(QgsProcessingParameterFileDestination(
            "REPORT", self.tr("Report"), REPORT_FILES, optional=True, createByDefault=False))
        self.addParameter(QgsProcessingParameterFileDestination(
            "EXCEEDANCES", self.tr("Exceedances"), "CSV (*.csv)", optional=True, createByDefault=False))
        for key, label in (("ADDED", self.tr("Observations added")),
                           ("UNCHANGED", self.tr("Observations already stored")),
                           ("CONFLICTS", self.tr("Conflicts with stored values")),
                           ("UNRESOLVED", self.tr("Rows of unknown points")),
                           ("INVALID", self.tr("Unreadable or repeated rows")),
                           ("EXCEEDANCES_COUNT", self.tr("Exceedances"))):
            self.addOutput(QgsProcessingOutputNumber(key, label))

    def processAlgorithm(self, parameters, context, feedback):
        from ..core.engine.layers import InputError
        from ..core.points.observations import ObservationError
        from ..core.points.importer import import_observations
        from ..core.registry.base import default_actor

        path = self.parameterAsFile(parameters, "INPUT", context)
        namespace = text_value(self, parameters, "NAMESPACE", context)
        on_conflict = self.enum_value(parameters, "ON_CONFLICT", context, ["keep", "replace"])
        columns = {role: text_value(self, parameters, name, context) for role, name in COLUMN_PARAMS}
        try:
            imp = import_observations(path, text_value(self, parameters, "SHEET", context),
                                      {r: c for r, c in columns.items() if c},
                                      encoding_value(self, parameters, context))
        except (InputError, ValueError) as e:
            raise QgsProcessingException(str(e)) from e
        for note in imp.notes:
            feedback.pushInfo(note)
        actor = default_actor()
        registry, store = self.open_store(parameters, context)
        try:
            thresholds = self.parameterAsFile(parameters, "THRESHOLDS", context)
            if thresholds:
                try:
                    count, problems = store.load_thresholds(thresholds, actor)
                except OSError as e:
                    raise QgsProcessingException(self.tr("Cannot read {}: {}").format(thresholds, e)) from e
                if problems:
                    raise QgsProcessingException("\n".join(problems))
                feedback.pushInfo(self.tr("{} thresholds set from {}").format(count, os.path.basename(thresholds)))
            resolve = namespaced_resolver(registry, namespace)
            try:
                result = store.add(observation_batch(imp), actor, path, resolve, on_conflict)
            except ObservationError as e:
                raise QgsProcessingException(str(e)) from e
            exceedances = self._exceedances(store, imp, resolve)
        finally:
            store.close()
            registry.close()

        # The store's messages name their line already; the file's problems get it here.
        problems = [dict(line=p.line, column=p.column or "", value=p.value or "", reason=p.reason,
                         message=self.tr("Line {}: {}").format(p.line, p.reason)) for p in imp.problems]
        problems += [dict(line=p.line, column=imp.columns.get(PROBLEM_ROLE.get(p.kind, "value")) or "",
                          value=p.key, reason=p.message, message=p.message) for p in result.problems]
        problems.sort(key=lambda p: p["line"])
        invalid = result.invalid + len({p.line for p in imp.problems})
        counts = {"observations": len(imp), "added": result.added, "unchanged": result.unchanged,
                  "conflicts": result.conflicts, "unresolved": result.unresolved, "invalid": invalid,
                  "not_imported": result.unresolved + invalid, "exceedances": len(exceedances)}
        for p in problems[:SHOWN_PROBLEMS]:
            feedback.pushWarning(p["message"])
        if result.unresolved and not namespace:
            feedback.pushWarning(self.tr("{} rows name no point code. If the file holds the ids of a coded points "
                                         "file, give its name as the namespace").format(result.unresolved))
        feedback.pushInfo(self.tr("Added {}, already stored {}, conflicts {}, unknown points {}, invalid {}, "
                                  "exceedances {}").format(result.added, result.unchanged, result.conflicts,
                                                           result.unresolved, invalid, len(exceedances)))
        out = {"ADDED": result.added, "UNCHANGED": result.unchanged, "CONFLICTS": result.conflicts,
               "UNRESOLVED": result.unresolved, "INVALID": invalid, "EXCEEDANCES_COUNT": len(exceedances),
               "REPORT": None, "EXCEEDANCES": None}
        if parameters.get("REPORT") not in (None, ""):
            out["REPORT"] = write_problems(self.parameterAsFileOutput(parameters, "REPORT", context),
                                           self.tr("Observations imported from {}").format(os.path.basename(path)),
                                           store.path, counts, problems, imp.notes)
        if parameters.get("EXCEEDANCES") not in (None, ""):
            out["EXCEEDANCES"] = self._write_exceedances(
                self.parameterAsFileOutput(parameters, "EXCEEDANCES", context), exceedances)
        return out

    @staticmethod
    def _exceedances(store, imp, resolve):
        """The stored observations of the file's rows that exceed their threshold, with the row's key and line."""
        from ..core.points.observations import iso_time
        codes, rows = {}, {}
        for key, variable, time, line in zip(imp.key.tolist(), imp.variable.tolist(), imp.time.tolist(),
                                             imp.line.tolist()):
            if key not in codes:
                codes[key] = resolve(key)
            if codes[key]:
                rows.setdefault((codes[key], variable, iso_time(time)), (key, line))
        out = []
        for code in sorted({c for c, _, _ in rows}):
            for e in store.exceedances(code=code):
                found = rows.get((e["code"], e["variable"], e["time"]))
                if found:
                    out.append(dict(e, key=found[0], line=found[1]))
        return out

    @staticmethod
    def _write_exceedances(path, rows):
        from ..core.points.observations import EXPORT_COLUMNS
        titles = dict(EXPORT_COLUMNS, **dict(EXCEEDANCE_EXTRA))
        keys = ["code", "key", "line", "time", "variable", "value", "unit", "censored", "limit", "threshold",
                "threshold_unit"]
        os.makedirs(os.path.dirname(os.path.abspath(path)) or ".", exist_ok=True)
        with open(path, "w", encoding="utf-8-sig", newline="") as f:  # BOM: Excel shows the Chinese
            out = csv.writer(f)
            out.writerow([titles[k] for k in keys])
            for r in rows:
                cells = dict(r, time=r["time"].replace("T", " "), value=repr(r["value"]))
                out.writerow(["" if cells[k] is None else cells[k] for k in keys])
        return path


class ExportObservationsAlgorithm(_RegistryMixin, CityCodeAlgorithm):
    _name = "exportobservations"
    _display = QT_TRANSLATE_NOOP("CityCode", "Export observations")
    _group_id = MONITORING_GROUP

    def shortHelpString(self):
        return self.tr(
            "<p>Writes the observations stored in the code registry to a CSV (UTF-8 with BOM, for Excel) or "
            "XLSX file: one row per point code, variable and time, with the value, its unit, the detection-limit "
            "mark, the variable's limits and whether the value exceeds them (empty when its unit does not "
            "convert into the threshold's).</p>"
            "<h3>Parameters</h3><ul>"
            "<li><b>Code registry</b>: empty: the one in the CityCode settings.</li>"
            "<li><b>Point codes</b>: codes separated by commas or new lines (empty: every point).</li>"
            "<li><b>Variables</b>: variables separated by commas or new lines, e.g. PM2.5, 噪声 (empty: every "
            "variable).</li>"
            "<li><b>Output file</b>: .csv or .xlsx.</li></ul>"
            "<h3>Outputs</h3><p><b>ROWS</b>: observations written.</p>")

    def initAlgorithm(self, config=None):
        self.add_registry_param()
        self.addParameter(QgsProcessingParameterString(
            "CODES", self.tr("Point codes (empty = every point)"), multiLine=True, optional=True))
        self.addParameter(QgsProcessingParameterString(
            "VARIABLES", self.tr("Variables (empty = every variable)"), multiLine=True, optional=True))
        self.addParameter(QgsProcessingParameterFileDestination(
            "OUTPUT", self.tr("Output file"), "CSV (*.csv);;Excel (*.xlsx)"))
        self.addOutput(QgsProcessingOutputNumber("ROWS", self.tr("Observations written")))

    def processAlgorithm(self, parameters, context, feedback):
        from ..core.points.observations import ObservationError
        path = self.parameterAsFileOutput(parameters, "OUTPUT", context)
        codes = split_list(self.parameterAsString(parameters, "CODES", context), r"[\s,，;；]+") or None
        variables = split_list(self.parameterAsString(parameters, "VARIABLES", context)) or None
        registry, store = self.open_store(parameters, context)
        try:
            if codes:
                unknown = sorted(set(codes) - set(store.codes()))
                if unknown:
                    feedback.pushWarning(self.tr("No observations at {}").format(", ".join(unknown[:20])))
            try:
                rows = store.export(path, codes, variables)
            except ObservationError as e:
                raise QgsProcessingException(str(e)) from e
        finally:
            store.close()
            registry.close()
        feedback.pushInfo(self.tr("{} observations written to {}").format(rows, path))
        return {"OUTPUT": path, "ROWS": rows}
