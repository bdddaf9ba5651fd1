"""Division codes at every level the country uses, and the code profile that fits them.

Division layers come with codes of any level: 2/4/6 digits (GB/T 2260 province/prefecture/county, as
DataV/AMap adcodes), 9 digits (township, 统计用区划代码) or 12 digits (the statistics codes down to
villages). Higher levels are often written at a lower level's length, padded with zeros: GB/T 2260 writes
苏州市 as 320500, the statistics tables write 东城街道 as 110101001000. A code's level is therefore the
shortest level length after which it has only zeros (320500 → 3205, prefecture), and a layer's level the
deepest level among its codes; every code is then written at that level's length (zeros cut, never added:
a county code in a township layer is no township). Each level has its own shipped profiles
(building_county …): their codes differ in length, so codes of different levels never collide in one
registry, and the registry keeps their sequences apart (profile + division + year).
"""
from collections import Counter
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence

import numpy as np
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..exceptions import CityCodeError
from ..i18n import tr
from ..codes.profiles import CodeProfile, builtin_profiles, load_profile

AUTO = "auto"


class DivisionLevelError(CityCodeError, ValueError):
    """Division codes that fit no profile: what was found and what to choose."""
LEVELS: Dict[int, str] = {2: QT_TRANSLATE_NOOP("CityCode", "province"),
                          4: QT_TRANSLATE_NOOP("CityCode", "prefecture"),
                          6: QT_TRANSLATE_NOOP("CityCode", "county"),
                          9: QT_TRANSLATE_NOOP("CityCode", "township"),
                          12: QT_TRANSLATE_NOOP("CityCode", "village")}


@dataclass
class DivisionCodes:
    profile: CodeProfile
    codes: np.ndarray    # per row: the code at the profile's division length, "" where unusable
    level: str           # province, prefecture, county, township, village (untranslated key)
    message: str         # what was found and which profile codes it, for the log and the report


def code_text(value) -> str:
    """A field value as code text: numbers without a decimal part (320505.0 from a float field → 320505)."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def level_length(code: str) -> int:
    """The length of the level a code stands for (320500 → 4), 0 when it is no division code."""
    if not (code.isdigit() and code.isascii() and len(code) in LEVELS):
        return 0
    return next((n for n in LEVELS if n <= len(code) and int(code[:n]) and not code[n:].strip("0")), 0)


def profile_for_level(kind: str, length: int) -> Optional[CodeProfile]:
    """The shipped profile of `kind` (building, point, project) for division codes of `length` digits."""
    return next((p for p in builtin_profiles().values()
                 if p.kind == kind and p.segment("division").length == length), None)


def level_name(length: int) -> str:
    return tr(LEVELS[length]) if length in LEVELS else tr("{}-digit").format(length)


def describe(texts: Sequence[str]) -> str:
    """What the codes are, e.g. "all 16 values have 6 digits: county level" or "12 values have 9 digits:
    township level; 1 value is no division code ('3401x')"."""
    groups = Counter((len(t), level_length(t)) for t in texts if level_length(t))
    parts = []
    for (written, level), n in sorted(groups.items(), key=lambda kv: -kv[1]):
        if level == written:
            parts.append(tr("{} values have {} digits: {} level").format(n, written, level_name(level)))
        else:
            parts.append(tr("{} values have {} digits ending in {} zeros: {} level written in {} digits").format(
                n, written, written - level, level_name(level), written))
    empty = sum(1 for t in texts if not t)
    other = [t for t in texts if t and not level_length(t)]
    if other:
        parts.append(tr("{} values are no division code (e.g. '{}')").format(len(other), other[0]))
    if empty:
        parts.append(tr("{} values are empty").format(empty))
    if len(parts) == 1 and groups and not other and not empty:
        parts[0] = tr("all {}").format(parts[0])
    return "; ".join(parts)


def resolve(values: Sequence, spec: str, kind: str, field_name: str) -> DivisionCodes:
    """The profile for these division codes and the codes at its level.

    spec: AUTO (the profile of `kind` for the layer's level) or a profile name or file; kind: the family
    AUTO picks from (building, point, project). Raises DivisionLevelError saying what was found and what to choose
    when no code fits."""
    texts = [code_text(v) for v in values]
    levels = np.array([level_length(t) for t in texts], dtype=np.int64)
    written = np.array([len(t) for t in texts], dtype=np.int64)
    found = describe(texts)
    if spec == AUTO:
        if not (levels > 0).any():
            raise DivisionLevelError(tr("No value of field '{}' is a division code of 2, 4, 6, 9 or 12 digits: "
                                        "{}. Choose the field that holds the division codes").format(field_name, found))
        length = int(levels.max())
        profile = profile_for_level(kind, length)
        if profile is None:
            raise DivisionLevelError(tr("The division codes of field '{}' are at {} level ({}), and no shipped {} "
                                        "profile has {}-digit division codes: choose a profile file").format(
                field_name, level_name(length), found, kind, length))
    else:
        profile = load_profile(spec)
        length = profile.segment("division").length
    usable = (levels > 0) & (levels <= length) & (written >= length)
    codes = np.array([t[:length] if ok else "" for t, ok in zip(texts, usable.tolist())], dtype=f"U{max(length, 1)}")
    if not usable.any():
        level = profile_for_level(profile.kind, int(levels.max())) if (levels > 0).any() else None  # what auto takes
        choice = level.name if level is not None else None
        raise DivisionLevelError(tr("No value of field '{}' fits the {}-digit division segment of profile {}: "
                                    "{}. {}").format(
            field_name, length, profile.name, found,
            tr("Choose the profile {} (or auto, which picks the level from the data).").format(choice) if choice
            else tr("Choose the field that holds the division codes, or a profile that fits them.")))
    message = tr("Division codes (field '{}'): {}; coded at {} level with profile {}").format(
        field_name, found, level_name(length), profile.name)
    cut = usable & (written > length)
    if cut.any():
        first = int(np.flatnonzero(cut)[0])
        message += tr(" ({} codes read at {} digits, e.g. {} → {})").format(
            int(cut.sum()), length, texts[first], codes[first])
    return DivisionCodes(profile=profile, codes=codes, level=LEVELS.get(length, str(length)), message=message)


def profile_choices(kind: Optional[str] = None) -> List[str]:
    """AUTO, then the shipped profiles (of `kind` when given), for parameters and dialogs."""
    return [AUTO] + [n for n, p in builtin_profiles().items() if kind is None or p.kind == kind]
