"""Observations at monitoring points: stored beside the codes, checked against thresholds, exported.

The observations live in the registry file itself (one SQLite file: codes and what was measured at
them travel together), in tables of their own; the registry's tables are never written here.

Tables
  obs_meta        schema version of these tables
  obs_series      one row per point code + variable
  observations    one row per series + time (the key): value, unit, censored ('<': below the detection
                  limit, the value is the limit), the import and source line it came from
  obs_thresholds  lower / upper limit and unit per variable
  obs_imports     one row per `add`: when, who, which file, the counts
  obs_audit       what changed an observation or a threshold after the fact: who, when, old -> new

Times, units and the exceedance rule: observation_series.py.
"""
import csv
import datetime
import json
import math
import os
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

import numpy as np

from ..exceptions import CityCodeError
from ..i18n import tr
from ..registry.base import Registry, RegistryError, default_actor
from ..registry.sqlite import SQLiteRegistry
from ..times import now
from .observation_series import (
    REL_TOL,
    ObservationBatch,
    Series,
    Threshold,
    exceedance,
    is_date_only,
    iso_time,
    normalize_unit,
    unit_factor,
)

OBS_SCHEMA_VERSION = 1
OBS_SCHEMA = """
CREATE TABLE IF NOT EXISTS obs_meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS obs_series(
    id INTEGER PRIMARY KEY, code TEXT NOT NULL, variable TEXT NOT NULL, UNIQUE(code, variable));
CREATE TABLE IF NOT EXISTS observations(
    series INTEGER NOT NULL REFERENCES obs_series(id), time TEXT NOT NULL, value REAL NOT NULL,
    unit TEXT NOT NULL DEFAULT '', censored TEXT NOT NULL DEFAULT '', import INTEGER NOT NULL,
    line INTEGER, PRIMARY KEY(series, time)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS obs_thresholds(
    variable TEXT PRIMARY KEY, lower REAL, upper REAL, unit TEXT NOT NULL DEFAULT '',
    at TEXT NOT NULL, actor TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS obs_imports(
    id INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, source TEXT, on_conflict TEXT,
    added INTEGER, unchanged INTEGER, conflicts INTEGER, unresolved INTEGER, invalid INTEGER);
CREATE TABLE IF NOT EXISTS obs_audit(
    id INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
    import INTEGER, code TEXT, variable TEXT, time TEXT, detail TEXT);
CREATE INDEX IF NOT EXISTS obs_audit_code ON obs_audit(code);
"""
ON_CONFLICT = ("keep", "replace")


class ObservationError(CityCodeError, ValueError):
    """A request the store refused; nothing was changed."""


@dataclass
class ObsProblem:
    """A row of a batch that was not stored as it came (or is stored with a warning: kind 'unit')."""
    line: int
    key: str
    kind: str       # unresolved, time, value, censored, duplicate, conflict, unit
    message: str


@dataclass
class ImportResult:
    added: int = 0
    unchanged: int = 0
    conflicts: int = 0      # rows whose key was stored with another value (kept or replaced: see on_conflict)
    unresolved: int = 0     # rows whose key names no point
    invalid: int = 0        # rows with a bad time, value or censored mark, or repeated within the batch
    problems: List[ObsProblem] = field(default_factory=list)   # by line
    import_id: int = 0


Resolver = Union[Mapping[str, Optional[str]], Callable[[str], Optional[str]]]


def registry_resolver(registry: Registry, profile: str = "point") -> Callable[[str], Optional[str]]:
    """Keys to codes through the registry: an active code is used as is, else the active code of the
    key taken as an identity (a point id) of `profile`."""
    def resolve(key: str) -> Optional[str]:
        record = registry.get(key)
        if record is not None and record.status == "active":
            return record.code
        return registry.active_code(profile, key)
    return resolve


def _float(text) -> Optional[float]:
    text = "" if text is None else str(text).strip()
    if not text:
        return None
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


# Header names of a thresholds CSV, English and Chinese.
THRESHOLD_HEADERS = {"variable": ("variable", "指标", "监测指标", "项目"), "lower": ("lower", "下限", "下限值"),
                     "upper": ("upper", "上限", "上限值", "限值"), "unit": ("unit", "单位")}

# Export layout: one header row, each column named in Chinese and English.
EXPORT_COLUMNS = (("code", "编码(code)"), ("time", "时间(time)"), ("variable", "指标(variable)"),
                  ("value", "数值(value)"), ("unit", "单位(unit)"), ("censored", "检出限标记(censored)"),
                  ("lower", "下限(lower)"), ("upper", "上限(upper)"), ("threshold_unit", "限值单位(threshold_unit)"),
                  ("exceeds", "超标(exceeds)"))


class ObservationStore:
    """Observations in a CityCode registry file. `path` is the file (opened like the registry: a file
    holding other data is refused, an empty one becomes a registry) or an open SQLiteRegistry, whose
    connection and transactions are then shared (the caller keeps closing it)."""

    def __init__(self, path: Union[str, SQLiteRegistry]):
        if isinstance(path, SQLiteRegistry):
            self._registry, self._owns = path, False
        else:
            self._registry, self._owns = SQLiteRegistry(path), True
        self.path = self._registry.path
        self.db = self._registry.db
        try:
            with self._registry.pending():
                for statement in OBS_SCHEMA.split(";"):  # executescript would commit the open transaction
                    if statement.strip():
                        self.db.execute(statement)
                version = self.db.execute("SELECT value FROM obs_meta WHERE key='schema_version'").fetchone()
                if version is None:
                    self.db.execute("INSERT INTO obs_meta VALUES('schema_version', ?)", (str(OBS_SCHEMA_VERSION),))
        except BaseException:
            self.close()
            raise
        if version is not None and int(version[0]) > OBS_SCHEMA_VERSION:
            self.close()
            raise RegistryError(tr("The observations in {} were stored by a newer CityCode; update the plugin")
                                .format(self.path))

    def close(self):
        if self._owns:
            self._registry.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- adding -----------------------------------------------------------------------------------
    def add(self, batch: ObservationBatch, actor: str, source: str, resolve: Resolver,
            on_conflict: str = "keep") -> ImportResult:
        """Store a batch in one transaction (all its good rows or, on any error, nothing).

        Rows whose key resolves to no code, with a time that is not ISO 8601, a missing value or a
        censored mark other than '<' are reported with their lines and skipped; so are later rows
        repeating a key (code + variable + time) of the batch. A key already stored with the same value
        is unchanged; with another value it is a conflict: `on_conflict` 'keep' keeps the stored value,
        'replace' stores the new one; either way an audit record says who offered what, when."""
        if on_conflict not in ON_CONFLICT:
            raise ObservationError(tr("on_conflict must be one of {}, not {}").format(", ".join(ON_CONFLICT),
                                                                                       on_conflict))
        result = ImportResult()
        rows = self._checked_rows(batch, resolve, result)

        with self._registry.pending():
            result.import_id = self.db.execute(
                "INSERT INTO obs_imports(at, actor, source, on_conflict) VALUES(?,?,?,?)",
                (now(), actor, source, on_conflict)).lastrowid
            self._store(rows, actor, on_conflict, result)
            self._record_import(result)
        result.problems.sort(key=lambda p: (p.line, p.kind))
        return result

    def _checked_rows(self, batch: ObservationBatch, resolve: Resolver, result: ImportResult) -> List[tuple]:
        """(code, variable, time, value, unit, censored, line) of the rows fit to store; problems to result."""
        lookup = resolve.get if isinstance(resolve, Mapping) else resolve
        keys = [str(k).strip() for k in batch.key]
        codes = {k: lookup(k) for k in dict.fromkeys(keys)}
        thresholds = self.thresholds()
        seen: Dict[tuple, int] = {}
        rows = []

        def problem(kind, message):
            result.problems.append(ObsProblem(line=line, key=key, kind=kind, message=message))

        for i, key in enumerate(keys):
            line = int(batch.line[i])
            code = codes[key]
            if not code:
                result.unresolved += 1
                problem("unresolved", tr("Line {}: {} is neither a point code nor a known point id").format(line, key))
                continue
            time, variable = iso_time(batch.time[i]), str(batch.variable[i] or "").strip()
            censored = str(batch.censored[i] or "").strip()
            try:
                value = _float(batch.value[i])
            except (TypeError, ValueError):
                value = None
            bad = _fault(line, batch.time[i], (code, variable, time), value, censored, seen)
            if bad:
                result.invalid += 1
                problem(*bad)
                continue
            seen[(code, variable, time)] = line
            unit = normalize_unit(batch.unit[i])
            threshold = thresholds.get(variable)
            if threshold is not None and unit_factor(unit, threshold.unit) is None:
                problem("unit", tr("Line {}: the unit {} of {} does not convert into the threshold's unit {}; "
                                   "stored, but not checked against the threshold").format(
                    line, unit, variable, threshold.unit))
            rows.append((code, variable, time, value, unit, censored, line))
        return rows

    def _series_ids(self, pairs: Iterable[Tuple[str, str]]) -> Dict[Tuple[str, str], int]:
        self.db.executemany("INSERT OR IGNORE INTO obs_series(code, variable) VALUES(?,?)", pairs)
        return {(c, v): i for i, c, v in self.db.execute("SELECT id, code, variable FROM obs_series")}

    def _store(self, rows: List[tuple], actor: str, on_conflict: str, result: ImportResult):
        ids = self._series_ids(sorted({(r[0], r[1]) for r in rows}))
        by_series: Dict[int, List[tuple]] = {}
        for r in rows:
            by_series.setdefault(ids[(r[0], r[1])], []).append(r)
        new, replaced, audit = [], [], []
        for sid, group in by_series.items():
            times = [r[2] for r in group]
            stored = {t: (v, u, c) for t, v, u, c in self.db.execute(
                "SELECT time, value, unit, censored FROM observations WHERE series=? AND time BETWEEN ? AND ?",
                (sid, min(times), max(times)))}
            for code, variable, time, value, unit, censored, line in group:
                old = stored.get(time)
                if old is None:
                    new.append((sid, time, value, unit, censored, result.import_id, line))
                    continue
                factor = unit_factor(unit, old[1])
                if censored == old[2] and factor is not None and \
                        math.isclose(value * factor, old[0], rel_tol=REL_TOL, abs_tol=0):
                    result.unchanged += 1
                    continue
                result.conflicts += 1
                was, offered = _shown(*old), _shown(value, unit, censored)
                if on_conflict == "replace":
                    replaced.append((value, unit, censored, result.import_id, line, sid, time))
                    message = tr("Line {}: {} {} at {} was {}, replaced by {}")
                else:
                    message = tr("Line {}: {} {} at {} is {}, the file says {}: kept")
                result.problems.append(ObsProblem(line=line, key=code, kind="conflict", message=message.format(
                    line, code, variable, time, was, offered)))
                audit.append((now(), actor, "replace" if on_conflict == "replace" else "keep", result.import_id,
                               code, variable, time, json.dumps({"old": was, "new": offered, "line": line},
                                                                ensure_ascii=False)))
        self.db.executemany("INSERT INTO observations(series, time, value, unit, censored, import, line) "
                            "VALUES(?,?,?,?,?,?,?)", new)
        self.db.executemany("UPDATE observations SET value=?, unit=?, censored=?, import=?, line=? "
                            "WHERE series=? AND time=?", replaced)
        self.db.executemany("INSERT INTO obs_audit(at, actor, action, import, code, variable, time, detail) "
                            "VALUES(?,?,?,?,?,?,?,?)", audit)
        result.added = len(new)

    def _record_import(self, result: ImportResult):
        self.db.execute("UPDATE obs_imports SET added=?, unchanged=?, conflicts=?, unresolved=?, invalid=? "
                        "WHERE id=?", (result.added, result.unchanged, result.conflicts, result.unresolved,
                                       result.invalid, result.import_id))

    def imports(self) -> List[Dict]:
        """Every import, oldest first: id, at, actor, source, on_conflict and the counts."""
        cur = self.db.execute("SELECT * FROM obs_imports ORDER BY id")
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r)) for r in cur]

    def audit(self, code: Optional[str] = None) -> List[Dict]:
        """Audit records (conflicts kept or replaced, threshold changes), oldest first."""
        sql, args = "SELECT at, actor, action, import, code, variable, time, detail FROM obs_audit", ()
        if code is not None:
            sql, args = sql + " WHERE code=?", (code,)
        return [dict(at=r[0], actor=r[1], action=r[2], import_id=r[3], code=r[4], variable=r[5], time=r[6],
                     detail=json.loads(r[7]) if r[7] else {}) for r in self.db.execute(sql + " ORDER BY id", args)]

    # -- reading ----------------------------------------------------------------------------------
    def codes(self) -> List[str]:
        return [r[0] for r in self.db.execute("SELECT DISTINCT code FROM obs_series ORDER BY code")]

    def variables(self, code: Optional[str] = None) -> List[str]:
        """The variables observed (at `code`), in name order."""
        sql, args = "SELECT DISTINCT variable FROM obs_series", ()
        if code is not None:
            sql, args = sql + " WHERE code=?", (code,)
        return [r[0] for r in self.db.execute(sql + " ORDER BY variable", args)]

    def series(self, code: Optional[str] = None, variable: Optional[str] = None, start=None, end=None,
               codes: Optional[Sequence[str]] = None, variables: Optional[Sequence[str]] = None) -> Series:
        """Observations of a code (all codes when None) and variable (all when None), oldest first, between
        start and end inclusive (ISO text, date or datetime; an end given as a date includes that day),
        each flagged against its variable's threshold."""
        return self._series(code, variable, start, end, codes, variables)[0]

    def _series(self, code=None, variable=None, start=None, end=None, codes=None, variables=None):
        """(Series, kind of limit exceeded per row: 'upper', 'lower' or '')."""
        sql = ("SELECT s.code, s.variable, o.time, o.value, o.unit, o.censored FROM observations o "
               "JOIN obs_series s ON s.id = o.series WHERE 1=1")
        args: list = []
        for column, one, many in (("s.code", code, codes), ("s.variable", variable, variables)):
            wanted = [one] if one is not None else many
            if wanted is not None:
                sql += " AND {} IN ({})".format(column, ",".join("?" * len(wanted)))
                args += list(wanted)
        for bound, op in ((start, ">="), (end, "<")):
            if bound is None:
                continue
            text = iso_time(bound)
            if text is None:
                raise ObservationError(tr("{} is not a date or time").format(bound))
            if op == "<":  # inclusive end: before the next second, or the next day for a date
                step = datetime.timedelta(days=1) if is_date_only(bound) else datetime.timedelta(seconds=1)
                text = (datetime.datetime.fromisoformat(text) + step).isoformat()
            sql, args = sql + " AND o.time {} ?".format(op), args + [text]
        rows = self.db.execute(sql + " ORDER BY s.code, s.variable, o.time", args).fetchall()
        columns = list(zip(*rows)) if rows else [()] * 6
        out = Series(code=np.array(columns[0], dtype=object), variable=np.array(columns[1], dtype=object),
                     time=np.array(columns[2], dtype="datetime64[s]"), value=np.array(columns[3], dtype=float),
                     unit=np.array(columns[4], dtype=object), censored=np.array(columns[5], dtype=object),
                     exceeds=np.zeros(len(rows), dtype=bool), unit_mismatch=np.zeros(len(rows), dtype=bool))
        return out, self._flag(out)

    def _flag(self, s: Series) -> np.ndarray:
        """Fill s.exceeds and s.unit_mismatch; return the kind of limit exceeded ('upper'/'lower'/'')."""
        kind = np.full(len(s), "", dtype=object)
        thresholds = self.thresholds()
        for variable in set(s.variable.tolist()):
            rows = np.flatnonzero(s.variable == variable)
            exceeds, mismatch, k = exceedance(s.value[rows], s.unit[rows], s.censored[rows],
                                              thresholds.get(variable))
            s.exceeds[rows], s.unit_mismatch[rows], kind[rows] = exceeds, mismatch, k
        return kind

    def exceedances(self, code: Optional[str] = None, variable: Optional[str] = None) -> List[Dict]:
        """Observations beyond their variable's threshold: code, time (ISO text), variable, value, unit,
        censored, limit ('upper' or 'lower'), threshold (that limit's value) and threshold_unit."""
        s, kind = self._series(code, variable)
        thresholds = self.thresholds()
        out = []
        for i in np.flatnonzero(s.exceeds):
            t = thresholds[s.variable[i]]
            out.append(dict(code=s.code[i], time=str(s.time[i]), variable=s.variable[i], value=float(s.value[i]),
                            unit=s.unit[i], censored=s.censored[i], limit=kind[i],
                            threshold=t.upper if kind[i] == "upper" else t.lower, threshold_unit=t.unit))
        return out

    def unit_mismatches(self, code: Optional[str] = None, variable: Optional[str] = None) -> List[Dict]:
        """(code, variable, unit, threshold_unit, count) whose values could not be checked: the units differ."""
        s = self.series(code, variable)
        thresholds = self.thresholds()
        counts = Counter(zip(s.code[s.unit_mismatch], s.variable[s.unit_mismatch], s.unit[s.unit_mismatch]))
        return [dict(code=c, variable=v, unit=u, threshold_unit=thresholds[v].unit, count=n)
                for (c, v, u), n in sorted(counts.items())]

    # -- thresholds -------------------------------------------------------------------------------
    def thresholds(self) -> Dict[str, Threshold]:
        return {r[0]: Threshold(*r) for r in self.db.execute(
            "SELECT variable, lower, upper, unit, at, actor FROM obs_thresholds")}

    def set_threshold(self, variable: str, upper: Optional[float] = None, lower: Optional[float] = None,
                      unit: Optional[str] = None, actor: str = "") -> None:
        """Set (or, with neither limit, remove) the threshold of a variable; the change is audited."""
        with self._registry.pending():
            self._set_threshold(variable, upper, lower, unit, actor or default_actor())

    def _set_threshold(self, variable, upper, lower, unit, actor):
        variable = str(variable or "").strip()
        if not variable:
            raise ObservationError(tr("A threshold needs a variable"))
        if lower is not None and upper is not None and lower > upper:
            raise ObservationError(tr("The lower limit of {} ({}) is above its upper limit ({})").format(
                variable, lower, upper))
        old = self.thresholds().get(variable)
        unit = normalize_unit(unit)
        if upper is None and lower is None:
            self.db.execute("DELETE FROM obs_thresholds WHERE variable=?", (variable,))
        else:
            self.db.execute("INSERT OR REPLACE INTO obs_thresholds VALUES(?,?,?,?,?,?)",
                            (variable, lower, upper, unit, now(), actor))
        detail = {"old": None if old is None else [old.lower, old.upper, old.unit],
                  "new": None if upper is None and lower is None else [lower, upper, unit]}
        self.db.execute("INSERT INTO obs_audit(at, actor, action, variable, detail) VALUES(?,?,?,?,?)",
                        (now(), actor, "threshold", variable, json.dumps(detail, ensure_ascii=False)))

    def load_thresholds(self, path: str, actor: str = "") -> Tuple[int, List[str]]:
        """Thresholds from a CSV with the columns variable, lower, upper, unit (or 指标, 下限, 上限, 单位;
        UTF-8 or GBK as Excel saves it). Every row is set in one transaction, or, when a row is wrong,
        none: returns (rows set, problems with their line numbers)."""
        with open(path, "rb") as f:
            raw = f.read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:  # Excel in China saves CSV in GBK
            text = raw.decode("gb18030")
        reader = csv.reader(text.splitlines())
        header = [h.strip().lower() for h in next(reader, [])]
        where = {name: next((header.index(h) for h in names if h in header), None)
                 for name, names in THRESHOLD_HEADERS.items()}
        if where["variable"] is None or (where["lower"] is None and where["upper"] is None):
            return 0, [tr("{}: the header needs a variable column (variable/指标) and a lower or upper column "
                          "(lower/下限, upper/上限)").format(os.path.basename(path))]
        wanted, problems = [], []
        for line, row in enumerate(reader, start=2):
            if not any(c.strip() for c in row):
                continue
            cell = {k: (row[i].strip() if i is not None and i < len(row) else "") for k, i in where.items()}
            try:
                lower, upper = _float(cell["lower"]), _float(cell["upper"])
            except ValueError:
                problems.append(tr("Line {}: the limits of {} are not numbers").format(line, cell["variable"]))
                continue
            if not cell["variable"] or (lower is None and upper is None):
                problems.append(tr("Line {}: a threshold needs a variable and a lower or upper limit").format(line))
            elif lower is not None and upper is not None and lower > upper:
                problems.append(tr("Line {}: the lower limit of {} is above its upper limit").format(
                    line, cell["variable"]))
            else:
                wanted.append((cell["variable"], upper, lower, cell["unit"]))
        if problems:
            return 0, problems
        with self._registry.pending():
            for variable, upper, lower, unit in wanted:
                self._set_threshold(variable, upper, lower, unit, actor or default_actor())
        return len(wanted), []

    # -- export -----------------------------------------------------------------------------------
    def export(self, path: str, codes: Optional[Sequence[str]] = None,
               variables: Optional[Sequence[str]] = None) -> int:
        """Write observations to .csv (UTF-8 with BOM, so Excel shows the Chinese) or .xlsx (GDAL's
        XLSX driver) in the layout EXPORT_COLUMNS: one header row '中文(english)'; times
        'YYYY-MM-DD HH:MM:SS' (a date/time cell in XLSX); exceeds 1 or 0, empty when the unit does not
        convert into the threshold's. The file is written beside the target and moved there when
        complete. Returns the number of rows."""
        ext = os.path.splitext(path)[1].lower()
        if ext not in (".csv", ".xlsx"):
            raise ObservationError(tr("Export to .csv or .xlsx, not {}").format(ext or path))
        s = self.series(codes=codes, variables=variables)
        thresholds = self.thresholds()
        rows = []
        for i in range(len(s)):
            t = thresholds.get(s.variable[i])
            rows.append(dict(code=s.code[i], time=s.time[i].item(), variable=s.variable[i], value=float(s.value[i]),
                             unit=s.unit[i], censored=s.censored[i], lower=t.lower if t else None,
                             upper=t.upper if t else None, threshold_unit=t.unit if t else "",
                             exceeds=None if s.unit_mismatch[i] else int(s.exceeds[i])))
        stem = os.path.splitext(os.path.abspath(path))[0]
        partial = stem + ".partial" + ext  # GDAL's XLSX writer fails on some names (e.g. with '~')
        try:
            (_write_csv if ext == ".csv" else _write_xlsx)(partial, rows)
            os.replace(partial, path)
        finally:
            if os.path.exists(partial):
                os.remove(partial)
        return len(rows)


def _fault(line: int, written_time, series_time: tuple, value, censored: str,
           seen: Dict[tuple, int]) -> Optional[Tuple[str, str]]:
    """(problem kind, message) of a batch row that cannot be stored, else None. series_time: its (code, variable,
    time as stored); seen: the line of each of those already in the batch."""
    code, variable, time = series_time
    if time is None:
        return "time", tr("Line {}: the time {} is not a date or time (ISO 8601)").format(line, written_time)
    if not variable:
        return "value", tr("Line {}: no variable").format(line)
    if value is None:
        return "value", tr("Line {}: {} has no value").format(line, variable)
    if censored not in ("", "<"):
        return "censored", tr("Line {}: the mark {} is not '<' (below the detection limit)").format(line, censored)
    if series_time in seen:
        return "duplicate", tr("Line {}: {} {} at {} is already on line {}").format(
            line, code, variable, time, seen[series_time])
    return None


def _shown(value, unit, censored) -> str:
    """A value as people write it: '<0.5 mg/L', '75 μg/m³'."""
    return "{}{:g}{}".format(censored, value, " " + unit if unit else "")


def _write_csv(path: str, rows: List[Dict]):
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        out = csv.writer(f)
        out.writerow([title for _, title in EXPORT_COLUMNS])
        for r in rows:
            cells = dict(r, time=r["time"].strftime("%Y-%m-%d %H:%M:%S"), value=repr(r["value"]))
            out.writerow(["" if cells[k] is None else cells[k] for k, _ in EXPORT_COLUMNS])


def _write_xlsx(path: str, rows: List[Dict]):
    from osgeo import gdal, ogr
    types = dict(time=ogr.OFTDateTime, value=ogr.OFTReal, lower=ogr.OFTReal, upper=ogr.OFTReal,
                 exceeds=ogr.OFTInteger)
    driver = ogr.GetDriverByName("XLSX")
    if driver is None:
        raise ObservationError(tr("GDAL has no XLSX driver here; export to .csv instead"))
    ds = driver.CreateDataSource(path)
    if ds is None:
        raise ObservationError(tr("Cannot write {}: {}").format(path, gdal.GetLastErrorMsg()))
    layer = ds.CreateLayer("observations", geom_type=ogr.wkbNone)
    for key, title in EXPORT_COLUMNS:
        layer.CreateField(ogr.FieldDefn(title, types.get(key, ogr.OFTString)))
    for r in rows:
        feature = ogr.Feature(layer.GetLayerDefn())
        for i, (key, _) in enumerate(EXPORT_COLUMNS):
            value = r[key]
            if value is None:
                feature.SetFieldNull(i)
            elif key == "time":
                feature.SetField(i, value.year, value.month, value.day, value.hour, value.minute, value.second, 0)
            else:
                feature.SetField(i, value)
        layer.CreateFeature(feature)
    gdal.ErrorReset()
    ds = None  # closing writes the file, and only says so through GDAL's last error
    if gdal.GetLastErrorType() >= gdal.CE_Failure:
        raise ObservationError(tr("Cannot write {}: {}").format(path, gdal.GetLastErrorMsg()))
