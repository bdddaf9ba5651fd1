"""Observations as values: their units, their times, the thresholds of their variables and the one rule
that says when a value exceeds one. No storage here (observations.py keeps them).

Times are kept as 'YYYY-MM-DDTHH:MM:SS' (local time, as monitoring data is kept in China): a time
with a UTC offset is converted to China Standard Time (UTC+08:00); a date alone is midnight.

Exceedance: value > upper or value < lower, after converting the value into the threshold's unit.
A censored value ('<' 0.5) is only known to lie below its detection limit, so it never exceeds an
upper limit; it is below a lower limit when its detection limit already is. A value exactly at a limit
does not exceed it. Units that cannot be converted into the threshold's unit are reported as a
mismatch and never flagged: nothing is guessed.
"""
import datetime
from dataclasses import dataclass
from typing import Optional, Sequence

import numpy as np

CST = datetime.timezone(datetime.timedelta(hours=8))
REL_TOL = 1e-9  # 0.075 mg/m³ is 75 μg/m³ although 0.075 * 1000 is 75.00000000000001 in floats


# -- units ------------------------------------------------------------------------------------------
# canonical spelling: (quantity, factor to the quantity's base unit). Only these convert into each other.
UNITS = {
    "ng/m³": ("mass/volume", 1e-3), "μg/m³": ("mass/volume", 1.0), "mg/m³": ("mass/volume", 1e3),
    "g/m³": ("mass/volume", 1e6), "μg/L": ("mass/volume", 1e3), "mg/L": ("mass/volume", 1e6),
    "g/L": ("mass/volume", 1e9),
    "μg/kg": ("mass/mass", 1e-3), "mg/kg": ("mass/mass", 1.0), "g/kg": ("mass/mass", 1e3),
    "mm": ("length", 1e-3), "cm": ("length", 1e-2), "m": ("length", 1.0), "km": ("length", 1e3),
    "L/s": ("flow", 1e-3), "m³/s": ("flow", 1.0), "m³/h": ("flow", 1 / 3600),
    "°C": ("temperature", 1.0), "dB(A)": ("sound level", 1.0), "%": ("ratio", 1.0),
}
UNIT_ALIASES = {
    "微克/立方米": "μg/m³", "毫克/立方米": "mg/m³", "纳克/立方米": "ng/m³", "微克/升": "μg/L",
    "毫克/升": "mg/L", "克/升": "g/L", "毫克/千克": "mg/kg", "微克/千克": "μg/kg", "μg/g": "mg/kg",
    "毫米": "mm", "厘米": "cm", "米": "m", "千米": "km", "公里": "km", "升/秒": "L/s", "立方米/秒": "m³/s",
    "立方米/小时": "m³/h", "℃": "°C", "摄氏度": "°C", "degc": "°C", "db(a)": "dB(A)", "dba": "dB(A)",
    "分贝": "dB(A)", "百分比": "%",
}


def _unit_key(text: str) -> str:
    """Spelling-insensitive form: µ (micro sign) and u as μ, ³ as 3, no spaces, lower case."""
    key = str(text or "").strip().replace(" ", "").replace("µ", "μ").replace("³", "3").lower()
    return key.replace("ug/", "μg/").replace("mcg/", "μg/")


_UNIT_LOOKUP = {_unit_key(u): u for u in UNITS}
_UNIT_LOOKUP.update({_unit_key(alias): u for alias, u in UNIT_ALIASES.items()})


def normalize_unit(text) -> str:
    """The canonical spelling of a known unit (ug/m3, µg/m³, 微克/立方米 -> μg/m³), else the text stripped."""
    text = "" if text is None else str(text).strip()
    return _UNIT_LOOKUP.get(_unit_key(text), text)


def unit_factor(from_unit, to_unit) -> Optional[float]:
    """Multiply a value in `from_unit` by this to get it in `to_unit`; 1 when either is empty (nothing to
    convert); None when they measure different things or one is unknown and they differ."""
    a, b = normalize_unit(from_unit), normalize_unit(to_unit)
    if not a or not b or _unit_key(a) == _unit_key(b):
        return 1.0
    if a in UNITS and b in UNITS and UNITS[a][0] == UNITS[b][0]:
        return UNITS[a][1] / UNITS[b][1]
    return None


# -- times ------------------------------------------------------------------------------------------
def iso_time(value) -> Optional[str]:
    """'YYYY-MM-DDTHH:MM:SS' for an ISO 8601 text, date or datetime; None when it is not one."""
    if isinstance(value, np.datetime64):
        value = value.astype("datetime64[s]").item()
    if isinstance(value, datetime.datetime):
        moment = value
    elif isinstance(value, datetime.date):
        moment = datetime.datetime(value.year, value.month, value.day)
    else:
        text = str(value or "").strip()
        if text.endswith(("Z", "z")):  # fromisoformat knows 'Z' only from Python 3.11 on
            text = text[:-1] + "+00:00"
        try:
            moment = datetime.datetime.fromisoformat(text)
        except ValueError:
            return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(CST).replace(tzinfo=None)
    return moment.replace(microsecond=0).isoformat()


def is_date_only(value) -> bool:
    """A date without a time of day: a date, or ISO text of 10 characters."""
    return isinstance(value, datetime.date) and not isinstance(value, datetime.datetime) or \
        isinstance(value, str) and len(value.strip()) == 10


# -- data -------------------------------------------------------------------------------------------
@dataclass
class ObservationBatch:
    """Observations to store, arrays of equal length (observation_import.import_observations reads them).

    key: point code or point id / identity; time: ISO 8601 text; variable: what was measured;
    value: float; unit: as written; censored: '<' for a value below the detection limit (the value
    is the limit), '' otherwise; line: the row's line number in the source file (for messages)."""
    key: Sequence
    time: Sequence
    variable: Sequence
    value: Sequence
    unit: Sequence
    censored: Sequence
    line: Sequence

    def __len__(self):
        return len(self.key)


@dataclass
class Threshold:
    variable: str
    lower: Optional[float]
    upper: Optional[float]
    unit: str = ""
    at: str = ""
    actor: str = ""


@dataclass
class Series:
    """Observations, oldest first (per code and variable when several are asked for)."""
    code: np.ndarray            # str
    variable: np.ndarray        # str
    time: np.ndarray            # datetime64[s]
    value: np.ndarray           # float, in `unit`
    unit: np.ndarray            # str (canonical spelling)
    censored: np.ndarray        # '<' or ''
    exceeds: np.ndarray         # bool
    unit_mismatch: np.ndarray   # bool: the unit cannot be converted into the threshold's unit

    def __len__(self):
        return len(self.time)

    def in_unit(self, unit: str) -> np.ndarray:
        """The values converted into `unit`; NaN where a value's unit does not convert."""
        out = np.full(len(self), np.nan)
        for u in set(self.unit.tolist()):
            factor = unit_factor(u, unit)
            if factor is not None:
                rows = self.unit == u
                out[rows] = self.value[rows] * factor
        return out


def exceedance(value: np.ndarray, unit: np.ndarray, censored: np.ndarray, threshold: Optional[Threshold]):
    """(exceeds, unit_mismatch, kind) per value against one variable's threshold; kind is 'upper',
    'lower' or ''. The one place the exceedance rule lives (see the module's docstring)."""
    n = len(value)
    exceeds, mismatch, kind = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool), np.full(n, "", dtype=object)
    if threshold is None:
        return exceeds, mismatch, kind
    for u in set(unit.tolist()):
        rows = np.flatnonzero(unit == u)
        factor = unit_factor(u, threshold.unit)
        if factor is None:
            mismatch[rows] = True
            continue
        v = value[rows] * factor
        if threshold.upper is not None:
            up = (v > threshold.upper) & ~np.isclose(v, threshold.upper, rtol=REL_TOL, atol=0) & \
                 (censored[rows] != "<")
            kind[rows[up]] = "upper"
            exceeds[rows[up]] = True
        if threshold.lower is not None:
            low = (v < threshold.lower) & ~np.isclose(v, threshold.lower, rtol=REL_TOL, atol=0)
            kind[rows[low]] = "lower"
            exceeds[rows[low]] = True
    return exceeds, mismatch, kind
