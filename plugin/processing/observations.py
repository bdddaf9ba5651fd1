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

from ..core.exceptions import CityCodeError
from .base import CityCodeAlgorithm
from .problems import REPORT_FILES, SHOWN_PROBLEMS, write_problems

OBSERVATION_FILES = "Observations (*.csv *.txt *.tsv *.xlsx *.xls *.ods);;All files (*.*)"
REGISTRY_FILES = "Registry (*.sqlite *.gpkg)"
COLUMN_PARAMS = (("key", "CODE_FIELD"), ("time", "TIME_FIELD"), ("variable", "VARIABLE_FIELD"),
                 ("value", "VALUE_FIELD"), ("unit", "UNIT_FIELD"))
# The file column a problem of the store is about, by its kind (ObsProblem.kind).
PROBLEM_ROLE = {"unresolved": "key", "duplicate": "key", "time": "time"}
EXCEEDANCE_EXTRA = (("key", "点位编号(key)"), ("line", "行号(line)"), ("limit", "超标类型(limit)"),
                    ("threshold", "限值(threshold)"))


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
        from ..core.registry.backends import open_registry
        from ..core.registry.sqlite import SQLiteRegistry
        from ..core.settings import load
        path = self.parameterAsFile(parameters, "REGISTRY", context) or load().registry_path
        if not os.path.isfile(path):
            raise QgsProcessingException(self.tr("Registry {} not found: code the monitoring points first").format(
                path))
        registry = open_registry(path)
        if not isinstance(registry, SQLiteRegistry):
            registry.close()
            raise QgsProcessingException(self.tr("Observations are kept in a registry file (SQLite), not in {}")
                                         .format(path))
        try:
            return registry, ObservationStore(registry)
        except CityCodeError:
            registry.close()
            raise


class ImportObservationsAlgorithm(_RegistryMixin, CityCodeAlgorithm):
    _name = "importobservations"

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
        self.add_encoding_param()
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

    def process(self, parameters, context, feedback):
        from ..core.points.observation_import import import_observations
        from ..core.registry.base import default_actor

        path = self.parameterAsFile(parameters, "INPUT", context)
        namespace = self.text_value(parameters, "NAMESPACE", context)
        on_conflict = self.enum_value(parameters, "ON_CONFLICT", context, ["keep", "replace"])
        columns = {role: self.text_value(parameters, name, context) for role, name in COLUMN_PARAMS}
        try:
            imp = import_observations(path, self.text_value(parameters, "SHEET", context),
                                      {r: c for r, c in columns.items() if c},
                                      self.encoding_value(parameters, context))
        except ValueError as e:  # the reader's plain ValueErrors
            raise QgsProcessingException(str(e)) from e
        for note in imp.notes:
            feedback.pushInfo(note)
        actor = default_actor()
        registry, store = self.open_store(parameters, context)
        try:
            self._load_thresholds(store, self.parameterAsFile(parameters, "THRESHOLDS", context), actor, feedback)
            resolve = namespaced_resolver(registry, namespace)
            result = store.add(imp, actor, path, resolve, on_conflict)
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

    def _load_thresholds(self, store, path, actor, feedback):
        """The thresholds of the CSV at `path` (if any) into the store, all or none."""
        if not path:
            return
        try:
            count, problems = store.load_thresholds(path, actor)
        except OSError as e:
            raise QgsProcessingException(self.tr("Cannot read {}: {}").format(path, e)) from e
        if problems:
            raise QgsProcessingException("\n".join(problems))
        feedback.pushInfo(self.tr("{} thresholds set from {}").format(count, os.path.basename(path)))

    @staticmethod
    def _exceedances(store, imp, resolve):
        """The stored observations of the file's rows that exceed their threshold, with the row's key and line."""
        from ..core.points.observation_series import iso_time
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

    def initAlgorithm(self, config=None):
        self.add_registry_param()
        self.addParameter(QgsProcessingParameterString(
            "CODES", self.tr("Point codes (empty = every point)"), multiLine=True, optional=True))
        self.addParameter(QgsProcessingParameterString(
            "VARIABLES", self.tr("Variables (empty = every variable)"), multiLine=True, optional=True))
        self.addParameter(QgsProcessingParameterFileDestination(
            "OUTPUT", self.tr("Output file"), "CSV (*.csv);;Excel (*.xlsx)"))
        self.addOutput(QgsProcessingOutputNumber("ROWS", self.tr("Observations written")))

    def process(self, parameters, context, feedback):
        path = self.parameterAsFileOutput(parameters, "OUTPUT", context)
        codes = split_list(self.parameterAsString(parameters, "CODES", context), r"[\s,，;；]+") or None
        variables = split_list(self.parameterAsString(parameters, "VARIABLES", context)) or None
        registry, store = self.open_store(parameters, context)
        try:
            if codes:
                unknown = sorted(set(codes) - set(store.codes()))
                if unknown:
                    feedback.pushWarning(self.tr("No observations at {}").format(", ".join(unknown[:20])))
            rows = store.export(path, codes, variables)
        finally:
            store.close()
            registry.close()
        feedback.pushInfo(self.tr("{} observations written to {}").format(rows, path))
        return {"OUTPUT": path, "ROWS": rows}
