"""Importing observation files: long (code, time, variable, value, unit: one row per measurement) or wide
(one column per variable, the unit in its header) CSV/XLSX tables → long arrays; times as ISO 8601 text
(naive times stay naive, a date alone stays a date), detection-limit values ("<0.01", "0.01L") flagged as
censored. Every row that cannot be used is a RowProblem with its line; ObservationStore.add stores the rest.
"""
import datetime as dt
import math
import os
import re
import unicodedata
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

import numpy as np

from ..engine.layers import InputError
from ..i18n import tr
from .columns import DETECT_SAMPLE
from .observation_series import ObservationBatch
from .tables import RowProblem, RowSource, base_name, cell_text, empty_reason, is_number, read_rows


@dataclass
class ObservationImport(ObservationBatch):
    """The batch of a file (key: point code or id; time: ISO 8601 text, 2024-05-01T08:00:00, with +08:00 only
    when the source had a zone; unit: "" when unknown; censored: "", "<" (below the detection limit given as
    value) or ">"), with what reading it found."""
    problems: List[RowProblem]
    notes: List[str]
    layout: str           # long or wide
    columns: Dict[str, Optional[str]]


ROLES = ("key", "time", "variable", "value", "unit")
_ROLE_NAMES = {
    "key": ("点位编码", "点位编号", "监测点编码", "站点编码", "测站编码", "编码", "站号", "点号", "站码", "编号",
            "code", "id", "station_id", "stationid", "site_id", "point_id"),
    "time": ("监测时间", "采样时间", "时间", "日期", "日期时间", "datetime", "time", "date", "timestamp"),
    "variable": ("监测项目", "指标", "项目", "因子", "监测因子", "variable", "parameter", "item"),
    "value": ("监测值", "数值", "值", "浓度", "value", "result"),
    "unit": ("单位", "unit", "units"),
}
# Columns of a wide table that are not variables.
_NOT_VARIABLES = re.compile(r"^(名称|站名|点名|点位|站点|.*名称|备注|说明|remark|note|name|station|lon|lat|"
                            r".*经度|.*纬度|x|y|序号|no)$")
_UNIT_IN_NAME = re.compile(r"^(?P<name>.*?)\s*[(（\[【](?P<unit>[^)）\]】]*)[)）\]】]\s*$")
_TIME = re.compile(r"""(?P<y>\d{4})\s*[-/.年]\s*(?P<mo>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?
    (?:(?:\s*T\s*|\s+|(?<=日))(?P<h>\d{1,2})\s*           # hour: 08:00, 8时, T08
       (?:[:时点]\s*(?:(?P<mi>\d{1,2})\s*
          (?:[:分]\s*(?:(?P<s>\d{1,2}(?:\.\d+)?)\s*秒?)?)?)?)?)?
    \s*(?P<tz>Z|[+-]\d{2}(?::?\d{2})?)?""", re.X)
_TIME_COMPACT = re.compile(r"(?P<y>\d{4})(?P<mo>\d{2})(?P<d>\d{2})(?:(?P<h>\d{2})(?P<mi>\d{2})(?P<s>\d{2})?)?")
_UNIT_LIKE = re.compile(r"[/%℃°‰]|^(ppm|ppb|db|dba|db\(a\)|ntu|pfu|cfu|mm|cm|m|km|m³|m3|kg|g|mg|μg|µg|ug|l|ml|"
                        r"无量纲|度|级|个|pa|hpa|kpa|mpa|lux|lx|w/m2|ms|s|h|min)$", re.I)
_ZONE = re.compile(r"[+-]\d\d:\d\d$")
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)
_EXCEL_MAX = 2958466  # 10000-01-01
_VALUE = re.compile(r"(?P<cmp>[<>])?\s*(?P<num>[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*(?P<L>[Ll])?")
_THOUSANDS = re.compile(r"[-+]?[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?")


def parse_time(value, excel: bool = True) -> str:
    """A time as ISO 8601 text (raises ValueError with the reason): 2024-05-01 08:00, 2024/5/1 8:00,
    2024年5月1日 8时, 20240501, ISO 8601 with a zone, Excel serial days (excel=True). A date without a time
    stays a date ("2024-05-01"); a zone is kept only when given."""
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None or not str(value).strip():
        raise ValueError(empty_reason())
    text = unicodedata.normalize("NFKC", str(value)).strip()
    m = _TIME.fullmatch(text) or _TIME_COMPACT.fullmatch(text)
    if m is None:
        if excel and is_number(text) and 1 <= float(text) < _EXCEL_MAX:
            t = _EXCEL_EPOCH + dt.timedelta(seconds=round(float(text) * 86400))
            return t.isoformat() if float(text) % 1 else t.date().isoformat()
        raise ValueError(tr("not a date or time"))
    g = m.groupdict()
    try:
        date = dt.date(int(g["y"]), int(g["mo"]), int(g["d"]))
        if g["h"] is None:
            return date.isoformat()
        seconds = float(g.get("s") or 0)
        t = dt.datetime(date.year, date.month, date.day, int(g["h"]), int(g["mi"] or 0), int(seconds),
                        int(round((seconds % 1) * 1e6)))
    except ValueError:
        raise ValueError(tr("not a valid date or time")) from None
    tz = g.get("tz")
    if tz:
        offset = dt.timedelta(0) if tz == "Z" else dt.timedelta(
            hours=int(tz[1:3]), minutes=int(tz[-2:]) if len(tz) > 3 else 0) * (-1 if tz[0] == "-" else 1)
        t = t.replace(tzinfo=dt.timezone(offset))
    return t.isoformat()


def parse_value(value) -> Tuple[float, str]:
    """(number, censored) of a measured value: "12.5", "12,5" (decimal comma), "1,234.5", full-width digits,
    "<0.01" / "0.01L" (below the detection limit 0.01: censored "<"), ">500" (">"). Raises ValueError."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if not math.isfinite(value):
            raise ValueError(tr("not a number"))
        return float(value), ""
    if value is None or not str(value).strip():
        raise ValueError(empty_reason())
    text = unicodedata.normalize("NFKC", str(value)).strip().replace("≤", "<").replace("≥", ">").replace(" ", "")
    if _THOUSANDS.fullmatch(text.lstrip("<>")):
        text = text.replace(",", "")
    elif text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    m = _VALUE.fullmatch(text)
    if m is None:
        raise ValueError(tr("not a number"))
    censored = m.group("cmp") or ("<" if m.group("L") else "")
    return float(m.group("num")), censored


def _role_columns(header: List[str], chosen: Optional[Dict[str, str]]) -> Dict[str, Optional[str]]:
    bases = {h: base_name(h) for h in header}
    found: Dict[str, Optional[str]] = {}
    taken = set()
    for role in ROLES:
        if chosen and chosen.get(role):
            found[role] = chosen[role]
        else:
            found[role] = next((h for n in _ROLE_NAMES[role] for h in header if bases[h] == n and h not in taken),
                               None)
        taken.add(found[role])
    return found


def _split_unit(name: str) -> Tuple[str, str]:
    """"PM2.5(μg/m³)" → ("PM2.5", "μg/m³"); brackets that are not a unit stay: "总磷(以P计)"."""
    text = str(name).strip()
    m = _UNIT_IN_NAME.match(text)
    if m and m.group("name") and _UNIT_LIKE.search(m.group("unit").strip()):
        return m.group("name").strip(), m.group("unit").strip()
    return text, ""


def _named_variable(name, unit_cell) -> Tuple[Optional[str], str]:
    """(variable, unit) of a long table's row: the unit column's unit, else the one in the variable's name."""
    variable, unit = _split_unit(name) if name is not None else (None, "")
    return variable, str(unit_cell).strip() if unit_cell is not None else unit


def import_observations(path: str, layer: Optional[str] = None, columns: Optional[Dict[str, str]] = None,
                        encoding: Optional[str] = None) -> ObservationImport:
    """Observations of monitoring points (CSV/XLSX), long or wide, as long arrays (see ObservationImport).

    columns: {role: column} for the roles key, time, variable, value, unit (the rest detected by name). A
    table without variable and value columns but with numeric columns besides key and time is wide: each
    such column is a variable, its unit taken from the header ("PM2.5(μg/m³)").
    """
    src = read_rows(path, layer, encoding)
    roles = _roles(src, columns)
    layout, measured, notes = _measured(src, roles)
    notes = list(src.notes) + notes + [tr("Columns: {}").format(
        ", ".join("{} '{}'".format(r, c) for r, c in roles.items() if c))]
    excel = src.kind == "spreadsheet"
    out = {k: [] for k in ("key", "time", "variable", "value", "unit", "censored", "line")}
    problems = list(src.problems)
    times = _parse_cells(src.columns[roles["time"]], lambda v: parse_time(v, excel))
    keys = [cell_text(v).strip() if v is not None else None for v in src.columns[roles["key"]]]
    empty_cells = 0
    parsed = [(name, var_col, value_col, unit_col, _parse_cells(value_col, parse_value))
              for name, var_col, value_col, unit_col in measured]
    for i in range(len(src)):
        line = int(src.line[i])
        wrong = [(c, v, r) for c, v, r in (
            (roles["key"], src.columns[roles["key"]][i], None if keys[i] else empty_reason()),
            (roles["time"], src.columns[roles["time"]][i], times[i] if isinstance(times[i], Exception) else None))
            if r is not None]
        if wrong:
            problems += [RowProblem(line, c, cell_text(v), str(r)) for c, v, r in wrong]
            continue
        for wide_name, var_col, value_col, unit_col, values in parsed:
            if wide_name:
                if value_col[i] is None:
                    empty_cells += 1  # no measurement of this variable in this row
                    continue
                variable, unit = _split_unit(wide_name)
            else:
                variable, unit = _named_variable(var_col[i], unit_col[i] if unit_col is not None else None)
            if not variable:
                problems.append(RowProblem(line, roles["variable"], None, empty_reason()))
                continue
            if isinstance(values[i], Exception):
                problems.append(RowProblem(line, wide_name or roles["value"], cell_text(value_col[i]),
                                           str(values[i])))
                continue
            out["key"].append(keys[i])
            out["time"].append(times[i])
            out["variable"].append(variable)
            out["value"].append(values[i][0])
            out["censored"].append(values[i][1])
            out["unit"].append(unit)
            out["line"].append(line)
    if empty_cells:
        notes.append(tr("{} empty cells (no measurement) skipped").format(empty_cells))
    if any("T" in t and not _ZONE.search(t) for t in out["time"]):
        notes.append(tr("Times without a time zone are kept as written (local time)"))
    problems.sort(key=lambda p: (p.line, p.column or ""))
    return ObservationImport(
        key=np.array(out["key"], dtype=object), time=np.array(out["time"], dtype=object),
        variable=np.array(out["variable"], dtype=object), value=np.array(out["value"], dtype=float),
        unit=np.array(out["unit"], dtype=object), censored=np.array(out["censored"], dtype=object),
        line=np.array(out["line"], dtype=np.int64), problems=problems, notes=notes, layout=layout, columns=roles)


def _roles(src: RowSource, chosen: Optional[Dict[str, str]]) -> Dict[str, Optional[str]]:
    """The column of each role: chosen, else found by name; the key and time columns must be there."""
    name = os.path.basename(src.path)
    for role, column in (chosen or {}).items():
        if role not in ROLES:
            raise InputError(tr("Unknown column role '{}': use one of {}").format(role, ", ".join(ROLES)))
        if column and column not in src.columns:
            raise InputError(tr("{} has no column '{}' (columns: {})").format(name, column, ", ".join(src.header)))
    roles = _role_columns(src.header, chosen)
    missing = [r for r in ("key", "time") if not roles[r]]
    if missing:
        raise InputError(tr("{}: no {} column found (columns: {}); choose it").format(
            name, tr("point code") if "key" in missing else tr("time"), ", ".join(src.header)))
    return roles


def _measured(src: RowSource, roles: Dict[str, Optional[str]]):
    """(layout, [(wide column name or None, variable column, value column, unit column)], notes): long with
    variable and value columns, else wide: every column of mostly numbers besides the roles' is a variable."""
    if roles["variable"] and roles["value"]:
        return "long", [(None, src.columns[roles["variable"]], src.columns[roles["value"]],
                         src.columns[roles["unit"]] if roles["unit"] else None)], []
    candidates = [h for h in src.header if h not in roles.values() and not _NOT_VARIABLES.match(base_name(h))]
    variables = [h for h in candidates if _mostly_values(src.columns[h])]
    if not variables:
        raise InputError(tr("{}: neither variable and value columns nor columns of numbers per variable found "
                            "(columns: {})").format(os.path.basename(src.path), ", ".join(src.header)))
    return "wide", [(h, None, src.columns[h], None) for h in variables], [
        tr("Wide table: one column per variable ({})").format(", ".join(variables))]


def _parse_cells(values, parse) -> list:
    """parse() per distinct value; the result, or the ValueError saying why not."""
    cache, out = {}, []
    for v in values:
        if v not in cache:
            try:
                cache[v] = parse(v)
            except ValueError as e:
                cache[v] = e
        out.append(cache[v])
    return out


def _mostly_values(values) -> bool:
    filled = [v for v in values[:DETECT_SAMPLE] if v is not None]
    if not filled:
        return False
    parsed = _parse_cells(filled, parse_value)
    return sum(not isinstance(p, Exception) for p in parsed) >= 0.5 * len(filled)
