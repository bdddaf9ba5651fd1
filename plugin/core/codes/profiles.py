"""Code profiles: a code scheme described as data (resources/profiles/*.json), not as code.

A profile is an ordered list of segments:
  division  the township/street code the feature falls in (digits, fixed length)
  literal   a fixed marker such as "XM" that keeps kinds of code apart
  year      from a field or a default
  sequence  zero-padded counter per scope (e.g. division + year), issued by the registry
  unit      sub-unit (e.g. 00000 = whole building), from a field or a default
  kind      what a feature is (e.g. 01 = weather station), from a field or a default; `values` lists the
            allowed kind codes with their titles
  check     a check character over everything before it (see checkdigit.py)

The sequence's scope says what it counts within. A profile whose scope has no year (monitoring points)
keeps one counter per division for ever: the registry then files its sequences under year 0.
"""
import json
import os
from dataclasses import dataclass, field
from typing import Dict, List, Optional

import numpy as np
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from .checkdigit import ALGORITHMS_MANY, check_char
from ..definitions import RESOURCES_DIR
from ..exceptions import CityCodeError
from ..i18n import tr

PROFILE_DIR = os.path.join(RESOURCES_DIR, "profiles")
SEGMENT_TYPES = ("division", "literal", "year", "sequence", "unit", "kind", "check")
SCOPES = ("division", "year")
YEAR_RANGE = (1800, 2100)
# The titles in resources/profiles/*.json, for the translation catalogue: the forms show tr(profile.title).
SHIPPED_TITLES = (QT_TRANSLATE_NOOP("CityCode", "Building (JGJ/T 246-2012 房屋代码 layout)"),
                  QT_TRANSLATE_NOOP("CityCode", "Major project (重大项目)"),
                  QT_TRANSLATE_NOOP("CityCode", "Monitoring point (监测点)"),
                  # one per division level (division_levels.py): the same layouts over 2/4/6/12-digit divisions
                  QT_TRANSLATE_NOOP("CityCode", "Building, province-level division (省级)"),
                  QT_TRANSLATE_NOOP("CityCode", "Building, prefecture-level division (地级)"),
                  QT_TRANSLATE_NOOP("CityCode", "Building, county-level division (县级)"),
                  QT_TRANSLATE_NOOP("CityCode", "Building, village-level division (村级)"),
                  QT_TRANSLATE_NOOP("CityCode", "Monitoring point, province-level division (省级)"),
                  QT_TRANSLATE_NOOP("CityCode", "Monitoring point, prefecture-level division (地级)"),
                  QT_TRANSLATE_NOOP("CityCode", "Monitoring point, county-level division (县级)"),
                  QT_TRANSLATE_NOOP("CityCode", "Monitoring point, village-level division (村级)"))


class ProfileError(CityCodeError, ValueError):
    """A profile file that cannot be used."""


class SegmentError(CityCodeError, ValueError):
    """A value (division, unit, kind, year, sequence) that does not fit its segment of the profile."""


@dataclass
class Segment:
    type: str
    length: int = 0
    value: str = ""
    default: str = ""
    algorithm: str = ""
    scope: List[str] = field(default_factory=list)
    values: Dict[str, str] = field(default_factory=dict)
    aliases: Dict[str, List[str]] = field(default_factory=dict)   # words that name a value (kind), for matching

    @classmethod
    def from_dict(cls, d: dict) -> "Segment":
        seg = cls(type=d.get("type", ""), length=int(d.get("length", 0)), value=str(d.get("value", "")),
                  default=str(d.get("default", "")), algorithm=d.get("algorithm", ""),
                  scope=list(d.get("scope", ["division", "year"] if d.get("type") == "sequence" else [])),
                  values={str(k): str(v) for k, v in d.get("values", {}).items()},
                  aliases={str(k): [str(w) for w in v] for k, v in d.get("aliases", {}).items()})
        if seg.type not in SEGMENT_TYPES:
            raise ProfileError(tr("Unknown segment type: {}").format(seg.type))
        if [s for s in seg.scope if s not in SCOPES]:
            raise ProfileError(tr("A sequence counts within division and/or year, not {}").format(seg.scope))
        if seg.type == "literal":
            seg.length = len(seg.value)
        if seg.type == "check":
            if seg.algorithm not in ALGORITHMS_MANY:
                raise ProfileError(tr("Unknown check algorithm: {}").format(seg.algorithm))
            seg.length = 1
        if seg.length <= 0:
            raise ProfileError(tr("Segment {} needs a positive length").format(seg.type))
        return seg


    def match(self, text) -> Optional[str]:
        """The value (e.g. kind code) a free text names: the code itself ("4" or "04"), or the value whose
        title or alias is the longest one found in the text ("1号水质监测站" -> 03); None when nothing or
        two values match equally well."""
        text = str(text if text is not None else "").strip()
        if text.isdigit() and text.zfill(self.length) in self.values:
            return text.zfill(self.length)
        low = text.lower()
        best, best_len = set(), 0
        for value, title in self.values.items():
            for word in title.split(" ", 1) + self.aliases.get(value, []):
                word = word.strip().lower()
                if word and (word in low or low == word) and len(word) >= best_len:
                    best, best_len = (best | {value}) if len(word) == best_len else {value}, len(word)
        return next(iter(best)) if len(best) == 1 else None


@dataclass
class Violation:
    """Why a code fails its profile: a stable reason key and a translated message."""
    reason: str
    message: str


class CodeProfile:
    def __init__(self, name: str, kind: str, segments: List[Segment], title: str = "", note: str = ""):
        self.name, self.kind, self.segments, self.title, self.note = name, kind, segments, title, note
        types = [s.type for s in segments]
        for required in ("division", "sequence"):
            if types.count(required) != 1:
                raise ProfileError(tr("Profile {} needs exactly one {} segment").format(name, required))
        if "check" in types and types.index("check") != len(types) - 1:
            raise ProfileError(tr("The check segment must come last in profile {}").format(name))
        self.length = sum(s.length for s in segments)
        self._by_type: Dict[str, Segment] = {s.type: s for s in segments}

    @classmethod
    def from_dict(cls, d: dict) -> "CodeProfile":
        try:
            segments = [Segment.from_dict(s) for s in d["segments"]]
            return cls(d["name"], d.get("kind", d["name"]), segments, d.get("title", ""), d.get("note", ""))
        except KeyError as missing:
            raise ProfileError(tr("Profile is missing the key {}").format(missing)) from None

    @classmethod
    def from_file(cls, path: str) -> "CodeProfile":
        with open(path, encoding="utf-8") as f:
            return cls.from_dict(json.load(f))

    def segment(self, type_: str) -> Optional[Segment]:
        return self._by_type.get(type_)

    @property
    def sequence_limit(self) -> int:
        return 10 ** self._by_type["sequence"].length - 1

    def sequence_year(self, year):
        """The year the registry files a sequence under: 0 when the sequence does not count per year."""
        if "year" in self._by_type["sequence"].scope:
            return year
        return np.zeros_like(year) if isinstance(year, np.ndarray) else 0

    def compose(self, division: str, year: int, sequence: int, unit: Optional[str] = None,
                kind: Optional[str] = None) -> str:
        """The full code for these parts; raises SegmentError when a part does not fit its segment."""
        def one(v):
            return None if v in (None, "") else np.array([str(v)])
        return self.compose_many(np.array([str(division)]), np.array([year]), np.array([sequence]),
                                 one(unit), one(kind))[0].decode()

    def compose_many(self, division: np.ndarray, year: np.ndarray, sequence: np.ndarray,
                     unit: Optional[np.ndarray] = None, kind: Optional[np.ndarray] = None) -> np.ndarray:
        """Codes for N parts at once, as a fixed-width bytes array (dtype S<length>).

        division: strings; year, sequence: integers; unit, kind: strings or None for the segment default.
        """
        n = len(division)
        out = np.empty((n, self.length), dtype=np.uint8, order="F")  # columns contiguous
        pos = 0
        for seg in self.segments:
            cols = slice(pos, pos + seg.length)
            if seg.type in ("division", "unit", "kind"):
                values = {"division": division, "unit": unit, "kind": kind}[seg.type]
                if values is None:
                    values = np.full(n, seg.default.zfill(seg.length))
                out[:, cols] = _fixed_width(values, seg.length, seg.type, self.name)
                if seg.values:
                    unknown = ~np.isin(out[:, cols].copy().view(f"S{seg.length}").ravel().astype("U"),
                                       list(seg.values))
                    if unknown.any():
                        raise SegmentError(tr("{} '{}' is not one of the {} codes of profile {}").format(
                            seg.type, np.asarray(values)[unknown][0], len(seg.values), self.name))
            elif seg.type == "literal":
                out[:, cols] = np.frombuffer(seg.value.encode(), dtype=np.uint8)
            elif seg.type in ("year", "sequence"):
                values = np.asarray(year if seg.type == "year" else sequence, dtype=np.int64)
                if ((values < 0) | (values >= 10 ** seg.length)).any():
                    raise SegmentError(tr("{} {} does not fit the {}-digit segment of profile {}").format(
                        seg.type, values[(values < 0) | (values >= 10 ** seg.length)][0], seg.length, self.name))
                for k in range(seg.length):  # most significant digit first
                    out[:, pos + k] = 48 + values // 10 ** (seg.length - 1 - k) % 10
            else:  # check, always last
                out[:, pos] = ALGORITHMS_MANY[seg.algorithm](out[:, :pos])
            pos += seg.length
        return np.ascontiguousarray(out).view(f"S{self.length}").reshape(n)

    def parse(self, code: str) -> Dict[str, str]:
        """Split a code into its segments by position (no validation)."""
        parts, pos = {}, 0
        for seg in self.segments:
            parts[seg.type] = code[pos:pos + seg.length]
            pos += seg.length
        return parts

    def validate(self, code, known_divisions=None) -> List[Violation]:
        """Every reason why `code` is not a valid code of this profile (empty list = valid).

        known_divisions: a container of valid division codes; when given, the division segment must be in it.
        """
        if code is None or str(code).strip() == "":
            return [Violation("empty", tr("The code is empty"))]
        code = str(code).strip().upper()
        if len(code) != self.length:
            return [Violation("length", tr("Length is {}, profile {} needs {}")
                              .format(len(code), self.name, self.length))]
        out, pos = [], 0
        for seg in self.segments:
            part = code[pos:pos + seg.length]
            if seg.type == "literal":
                if part != seg.value:
                    out.append(Violation("literal", tr("Characters {}-{} must be '{}', found '{}'")
                                         .format(pos + 1, pos + seg.length, seg.value, part)))
            elif seg.type == "check":
                expected = check_char(seg.algorithm, code[:pos]) if not out else None
                if expected is not None and part != expected:
                    out.append(Violation("check", tr("Check character is '{}', expected '{}'").format(part, expected)))
            elif not part.isdigit():
                out.append(Violation("charset", tr("The {} segment '{}' must be digits").format(seg.type, part)))
            elif seg.type == "year" and not YEAR_RANGE[0] <= int(part) <= YEAR_RANGE[1]:
                out.append(Violation("year", tr("Year {} is out of range").format(part)))
            elif seg.type == "sequence" and int(part) == 0:
                out.append(Violation("sequence", tr("Sequence 0 is never issued")))
            elif seg.type == "division" and known_divisions is not None and part not in known_divisions:
                out.append(Violation("division", tr("Division {} does not exist").format(part)))
            elif seg.type == "kind" and seg.values and part not in seg.values:
                out.append(Violation("kind", tr("Kind {} is not one of {}").format(part, ", ".join(seg.values))))
            pos += seg.length
        return out


def _fixed_width(values, length: int, what: str, profile: str) -> np.ndarray:
    """(N, length) uint8 ASCII matrix of strings that must be exactly `length` digits long."""
    arr = np.asarray(values)
    if arr.dtype.kind != "S":
        arr = arr.astype("U").astype("S")  # non-ASCII text fails here, as it should
    n = len(arr)
    width = max(arr.dtype.itemsize, length)
    if arr.dtype.itemsize != width:
        arr = arr.astype(f"S{width}")
    mat = arr.view(np.uint8).reshape(n, width)
    body = mat[:, :length]
    bad = ((body < 48) | (body > 57)).any(axis=1) | (mat[:, length:] != 0).any(axis=1)  # digits only
    if bad.any():
        raise SegmentError(tr("{} '{}' does not fit the {}-character segment of profile {}")
                         .format(what, arr[bad][0].decode(errors="replace"), length, profile))
    return body


def builtin_profiles() -> Dict[str, CodeProfile]:
    """The profiles shipped in resources/profiles, by name."""
    profiles = {}
    for fn in sorted(os.listdir(PROFILE_DIR)):
        if fn.endswith(".json"):
            p = CodeProfile.from_file(os.path.join(PROFILE_DIR, fn))
            profiles[p.name] = p
    return profiles


def load_profile(name_or_path: str) -> CodeProfile:
    """A shipped profile by name, or a profile JSON file by path ("auto" is resolved from the division codes:
    division_levels.resolve)."""
    if name_or_path and os.path.isfile(name_or_path):
        return CodeProfile.from_file(name_or_path)
    profiles = builtin_profiles()
    if name_or_path not in profiles:
        raise ProfileError(tr("No code profile named '{}' (known: {})")
                           .format(name_or_path, ", ".join(sorted(profiles))))
    return profiles[name_or_path]


def match_profile(code: str, profiles=None) -> Optional[CodeProfile]:
    """The profile whose layout a code has (length, literals, and digits where the profile has digits), or
    None. Digits matter: a project code (…XM…, 21) and a prefecture-level building code (21 digits) have the
    same length."""
    code = str(code or "").strip().upper()
    for p in (profiles or builtin_profiles()).values():
        if len(code) == p.length and not [v for v in p.validate(code) if v.reason in ("length", "literal", "charset")]:
            return p
    return None
