"""Coordinate values: text or numbers → degrees, one reason per unreadable value.

Decimal degrees; degrees-minutes-seconds text in every notation (116°20′30″E, 116度20分30秒, 116 20 30,
东经116:20:30); and the degrees.minutes (116.2030 = 116°20.30′) or packed degrees.minutes.seconds
(116.2030 = 116°20′30″) numbers of station lists, told from decimal degrees by their header or, on strong
evidence only, by their values (infer_format).
"""
import math
import re
import unicodedata
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from ..exceptions import CityCodeError
from ..i18n import tr
from .tables import empty_reason, name_key

DECIMAL, DM, DMS_PACKED = "decimal", "dm", "dms_packed"
FORMATS = (DECIMAL, DM, DMS_PACKED)
LON, LAT = "lon", "lat"
CHINA_LON, CHINA_LAT = (73.0, 136.0), (3.0, 54.0)  # crs.CHINA_LONLAT, per axis
# Degrees.minutes is inferred from values only when a decimal-degree reading would leave the points out of the
# x.60-x.99 part of every degree they span with a chance below this (points spread at random over their range,
# counting each 0.1° cell holding points once).
DM_EVIDENCE_CHANCE = 1e-4
DM_MIN_VALUES = 8
PROJECTED_MIN = 360.0  # coordinates beyond any degree value are metres


class CoordinateError(CityCodeError, ValueError):
    """A coordinate that cannot be read; str() is the reason, for the user."""


@dataclass
class ParsedColumn:
    values: np.ndarray     # degrees, NaN where unreadable
    reasons: np.ndarray    # object: None, or why the value cannot be read (translated)
    hemisphere: np.ndarray  # object: "", "N", "S", "E", "W" as written
    fmt: str
    dms_text: int = 0      # values written with degree/minute/second marks or separators


# -- coordinate values -----------------------------------------------------------------------------------
_HEMI_WORDS = {"东经": "E", "西经": "W", "北纬": "N", "南纬": "S"}
_HEMI_PREFIX = re.compile(r"^(东经|西经|北纬|南纬|[NSEWnesw])\s*")
_HEMI_SUFFIX = re.compile(r"\s*(东经|西经|北纬|南纬|[NSEWnew])$")  # a trailing "s" is seconds (116d20m30s)
# Marks NFKC would spoil (º → "o", ″ → ′′, ˚ → a combining ring), replaced before it; letters and
# Chinese units after the hemisphere is taken off (a trailing "s" is seconds, "S" south).
_MARKS = str.maketrans({"º": "°", "˚": "°", "′": "'", "’": "'", "‘": "'", "´": "'", "″": '"', "”": '"', "“": '"',
                        "−": "-", "–": "-", "—": "-"})
_UNITS = str.maketrans({"度": "°", "d": "°", "D": "°", "分": "'", "m": "'", "M": "'", "秒": '"', "s": '"'})
_QUICK_DMS = re.compile(r"([NSEW]?)(-?)(\d{1,3})[°度d: ](\d{1,2})[′'分m: ](\d{1,2}(?:\.\d+)?)[″\"秒s]?([NSEW]?)")
_AROUND_UNITS = re.compile(r"\s*([°'\"])\s*")
_DMS = re.compile(r"""(?P<sign>[-+])?
    (?P<d>\d+(?:\.\d+)?)(?P<du>°)?
    (?:(?P<s1>[:\x20])?(?P<m>\d+(?:\.\d+)?)(?P<mu>')?
       (?:(?P<s2>[:\x20])?(?P<s>\d+(?:\.\d+)?)"?)?
    )?""", re.X)


def _r_not_coordinate():
    return tr("not a coordinate")


def _parse_text(text: str):
    """(signed degrees, hemisphere letter, written with DMS marks) or the reason it is unreadable.
    Without marks the number is returned as written, for the column's format to interpret."""
    m = _QUICK_DMS.fullmatch(text)  # the usual full d-m-s forms, without normalising first (5x faster)
    if m and not (m.group(1) and m.group(6)):
        d, mi, s = int(m.group(3)), int(m.group(4)), float(m.group(5))
        if mi >= 60:
            return tr("minutes must be less than 60")
        if s >= 60:
            return tr("seconds must be less than 60")
        hemi = m.group(1) or m.group(6)
        value = d + mi / 60 + s / 3600
        return (-value if m.group(2) or hemi in ("S", "W") else value), hemi, True
    t = unicodedata.normalize("NFKC", text.translate(_MARKS)).strip()
    hemi = ""
    m = _HEMI_PREFIX.match(t)
    if m:
        hemi, t = _HEMI_WORDS.get(m.group(1), m.group(1).upper()), t[m.end():]
    m = _HEMI_SUFFIX.search(t)
    if m:
        if hemi:
            return _r_not_coordinate()
        hemi, t = _HEMI_WORDS.get(m.group(1), m.group(1).upper()), t[:m.start()]
    t = t.replace("''", '"').translate(_UNITS)
    t = re.sub(r"\s+", " ", _AROUND_UNITS.sub(r"\1", t)).strip()
    m = _DMS.fullmatch(t)
    if not t or not m:
        return _r_not_coordinate()
    d, mi, s = m.group("d"), m.group("m"), m.group("s")
    if mi is not None and (not (m.group("du") or m.group("s1")) or "." in d):
        return _r_not_coordinate()
    if s is not None and (not (m.group("mu") or m.group("s2")) or "." in mi):
        return _r_not_coordinate()
    if mi is not None and float(mi) >= 60:
        return tr("minutes must be less than 60")
    if s is not None and float(s) >= 60:
        return tr("seconds must be less than 60")
    value = float(d) + float(mi or 0) / 60 + float(s or 0) / 3600
    negative = m.group("sign") == "-" or hemi in ("S", "W")
    return (-value if negative else value), hemi, bool(m.group("du") or mi is not None)


def to_floats(values) -> Tuple[np.ndarray, List[int]]:
    """Values as floats, trying the whole column at once first; the indices that are not plain numbers."""
    try:
        out = np.asarray(values, dtype=float)
        if out.ndim == 1 and np.all(np.isfinite(out)):
            return out, []
    except (TypeError, ValueError):
        pass
    out, rest = [], []
    for i, v in enumerate(values):
        try:
            f = float(v)
        except (TypeError, ValueError):
            f = math.nan
        if not math.isfinite(f):  # also "nan", "inf" written out
            rest.append(i)
            f = math.nan
        out.append(f)
    return np.array(out, dtype=float), rest


def _unpack(values: np.ndarray, fmt: str) -> Tuple[np.ndarray, np.ndarray]:
    """Degrees.minutes (116.3015 = 116°30.15′) or packed degrees.minutes.seconds (116.2030 = 116°20′30″)
    numbers → decimal degrees; and per value 0, or 1 (minutes ≥ 60), 2 (seconds ≥ 60)."""
    a = np.abs(values)
    deg = np.floor(a)
    minutes = np.round((a - deg) * 100, 9)  # rounding: 116.6 - 116 is 0.59999999999999
    bad = np.where(minutes >= 60, 1, 0)
    if fmt == DM:
        out = deg + minutes / 60
    else:
        whole = np.floor(minutes)
        seconds = np.round((minutes - whole) * 100, 7)
        bad = np.where((bad == 0) & (seconds >= 60), 2, bad)
        out = deg + whole / 60 + seconds / 3600
    return np.copysign(out, values), bad


def parse_column(values: Sequence, kind: Optional[str] = None, fmt: str = DECIMAL,
                 ranges: bool = True) -> ParsedColumn:
    """Coordinates of one column → degrees (NaN + a reason where unreadable).

    kind: "lon", "lat" or None (either); fmt: how plain numbers are read (decimal, dm, dms_packed) — text with
    degree/minute/second marks is always read as such. ranges: check ±180 / ±90.
    """
    if fmt not in FORMATS:
        raise ValueError(tr("Unknown coordinate format '{}': use one of {}").format(fmt, ", ".join(FORMATS)))
    values = list(values)
    n = len(values)
    reasons = np.full(n, None, dtype=object)
    hemi = np.full(n, "", dtype="<U1")
    numbers, rest = to_floats(values)
    marked = np.zeros(n, dtype=bool)  # DMS text: already degrees
    found, failed = _parse_texts(values, rest)
    if found:
        idx, number, letter, mark = (list(c) for c in zip(*found))
        numbers[idx], hemi[idx], marked[idx] = number, letter, mark
    out = numbers.copy()
    plain = np.isfinite(numbers) & ~marked
    if fmt != DECIMAL and plain.any():
        out[plain], unpack_bad = _unpack(numbers[plain], fmt)
        idx = np.flatnonzero(plain)
        failed += [(i, tr("minutes must be less than 60")) for i in idx[unpack_bad == 1]]
        failed += [(i, tr("seconds must be less than 60")) for i in idx[unpack_bad == 2]]
    if failed:
        idx, why = zip(*failed)
        reasons[list(idx)] = why
    bad = reasons != None  # noqa: E711

    def flag(mask, reason):
        reasons[mask & ~bad] = reason
        bad[mask] = True

    if kind == LON:
        flag((hemi == "N") | (hemi == "S"), tr("N/S marks a latitude, not a longitude"))
    elif kind == LAT:
        flag((hemi == "E") | (hemi == "W"), tr("E/W marks a longitude, not a latitude"))
    if ranges:
        with np.errstate(invalid="ignore"):
            far = np.abs(out) > (90.0 if kind == LAT else 180.0)
        flag(far, tr("latitude out of range (-90 to 90)") if kind == LAT else
             tr("longitude out of range (-180 to 180)"))
    out[bad] = np.nan
    return ParsedColumn(values=out, reasons=reasons, hemisphere=hemi, fmt=fmt, dms_text=int(marked.sum()))


def _parse_texts(values: list, rows: List[int]):
    """([(row, degrees, hemisphere, marked)], [(row, reason)]) of the values at `rows`, which are not plain
    numbers; each distinct text parsed once."""
    cache, found, failed = {}, [], []
    for i in rows:
        v = values[i]
        text = v.strip() if isinstance(v, str) else v
        if text is None or text == "":
            failed.append((i, empty_reason()))
            continue
        r = cache.get(text)
        if r is None:
            r = cache[text] = _parse_text(str(text))
        if isinstance(r, str):
            failed.append((i, r))
        else:
            found.append((i,) + r)
    return found, failed


def parse_coordinate(text, kind: Optional[str] = None, fmt: str = DECIMAL) -> float:
    """One coordinate → degrees; raises CoordinateError with the reason."""
    p = parse_column([text], kind, fmt)
    if p.reasons[0] is not None:
        raise CoordinateError(p.reasons[0])
    return float(p.values[0])


_DMS_HINT = re.compile(r"度\.?分\.?秒|ddd?mmss|dms")
_DM_HINT = re.compile(r"度\.?分|ddd?mm|(^|[^a-z])dm([^a-z]|$)")
_DECIMAL_HINT = re.compile(r"十进制|小数|decimal|^[^(（]*[(（]度[)）]$")


def infer_format(columns: Dict[str, Sequence]) -> Tuple[Dict[str, str], List[str]]:
    """How the plain numbers of coordinate columns {header: values} are to be read, with a note per column.

    A header hint decides (度.分 / 度分 / DDMM → dm; 度分秒 / DDMMSS / DMS → dms_packed; 十进制, (度) → decimal),
    also for a column without a hint beside one with a dm/dms_packed hint. Without any hint, degrees.minutes
    is taken only on strong evidence, from all columns together: every value's minute part (first two
    decimals) below 60, and read as decimal degrees the points would avoid the .60-.99 part of every degree
    they span — a chance below DM_EVIDENCE_CHANCE for points spread at random. Four or more decimals whose
    seconds part is always below 60 could be either dm or dms_packed: left decimal, with a note. Otherwise
    decimal degrees. Points in a few towns are not spread at random: each 0.1° cell holding points counts once.
    """
    formats, notes = _header_formats(columns)
    open_ = [h for h in columns if h not in formats]
    said = [f for f in formats.values() if f != DECIMAL]
    if open_ and said:  # one station list, one format: a column without a hint follows its neighbour's
        for h in open_:
            formats[h] = said[0]
            notes.append(tr("'{}': {}, like the other coordinate column").format(h, format_label(said[0])))
        return formats, notes
    if not open_:
        return formats, notes
    chance, decimals, seconds_ok, spans = 1.0, 0, True, []
    for h in open_:
        texts = [str(v).strip() for v in columns[h] if v is not None and str(v).strip()]
        nums, rest = to_floats(texts)
        skip = set(rest)
        plain = [t for i, t in enumerate(texts) if i not in skip]
        a = np.abs(nums[np.isfinite(nums)])
        if len(a) < DM_MIN_VALUES or np.any(np.round((a - np.floor(a)) * 100, 9) >= 60):
            chance = 1.0
            break
        frac = [re.search(r"\.(\d*)", t) for t in plain]
        digits = [f.group(1) if f else "" for f in frac]
        decimals = max(decimals, max(len(d) for d in digits))
        seconds_ok &= all(int((d[2:4] + "00")[:2]) < 60 for d in digits if len(d) > 2)
        lo, hi = float(a.min()), float(a.max())
        cells = len(np.unique(np.floor(a * 10)))
        chance *= (1 - _strip_share(lo, hi)) ** cells
        spans.append((h, lo, hi, len(a)))
    if chance < DM_EVIDENCE_CHANCE and (decimals <= 2 or not seconds_ok):
        for h, lo, hi, n in spans:
            formats[h] = DM
            notes.append(tr("'{}': degrees.minutes (116.2030 = 116°20.30′): all {} values have minutes below 60, "
                            "and as decimal degrees none would lie in the .60-.99 part of any degree from {:.2f} to "
                            "{:.2f} (chance {:.1e})").format(h, n, lo, hi, chance))
        return formats, notes
    for h in open_:
        formats[h] = DECIMAL
    if chance < DM_EVIDENCE_CHANCE:
        notes.append(tr("{}: the values look like degrees and minutes, but could be degrees.minutes or packed "
                        "degrees.minutes.seconds; read as decimal degrees — choose the format if that is "
                        "wrong").format(", ".join("'{}'".format(h) for h in open_)))
    return formats, notes


def _header_formats(columns) -> Tuple[Dict[str, str], List[str]]:
    """The formats the headers name, with a note for each but decimal; columns without a hint left out."""
    formats, notes = {}, []
    for h in columns:
        b = name_key(h)
        if _DMS_HINT.search(b):
            formats[h] = DMS_PACKED
            notes.append(tr("'{}': packed degrees.minutes.seconds (116.2030 = 116°20′30″), as its header "
                            "says").format(h))
        elif _DM_HINT.search(b):
            formats[h] = DM
            notes.append(tr("'{}': degrees.minutes (116.2030 = 116°20.30′), as its header says").format(h))
        elif _DECIMAL_HINT.search(b):
            formats[h] = DECIMAL
    return formats, notes


def _strip_share(lo: float, hi: float) -> float:
    """Share of [lo, hi] covered by the strips [k + 0.6, k + 1) of each degree k."""
    if hi - lo <= 0:
        return 0.0
    covered = sum(max(0.0, min(hi, k + 1.0) - max(lo, k + 0.6)) for k in range(int(lo), int(hi) + 1))
    return covered / (hi - lo)


def format_label(fmt: str) -> str:
    return {DECIMAL: tr("decimal degrees"), DM: tr("degrees.minutes"),
            DMS_PACKED: tr("packed degrees.minutes.seconds")}[fmt]
