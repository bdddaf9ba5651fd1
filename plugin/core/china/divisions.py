"""The national division table (统计用区划代码, province → township) and checks against it.

Data: resources/divisions/ (made by scripts/update_divisions.py):
  divisions.csv.gz  code,name,parent,level of the current vintage (codes of 2/4/6/9 digits)
  history.csv.gz    code,name,level,last_vintage,successor,source: codes of earlier vintages gone now;
                    source "statistics" (statistics tables, 2015 on) or "gb2260" (the civil-affairs
                    GB/T 2260 lists of 2002-2014: counties and above, the same 6-digit county codes)
  metadata.json     vintage and source
  adcode_map.csv    statistics_code,adcode,name,vendor,note: where map vendors' adcodes differ

Statistics codes and map-vendor adcodes differ for some functional zones: 苏州工业园区 is 320576 in
the 2023 statistics table (320571 until 2022) and 320571 in map vendors' district lists. A layer
coded with adcodes is checked after mapping them to statistics codes (shipped map + a user CSV of
the same shape).
"""
import csv
import gzip
import json
import os
import re
import threading
from ..definitions import RESOURCES_DIR
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Dict, Iterable, List, Optional, Tuple

from ..exceptions import CityCodeError
from ..i18n import tr

DIVISION_DIR = os.path.join(RESOURCES_DIR, "divisions")
LEVEL_BY_DIGITS = {2: "province", 4: "prefecture", 6: "county", 9: "township"}
NATIONAL = "100000"  # GB/T 2260 code of the whole country (e.g. national registration authorities)
# Prefecture-level rows of the table that are no prefecture: the counties of 直辖市 and the 省直辖县级行政单位.
PLACEHOLDER_PREFECTURES = ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划")

# Finding kinds, most serious first: a row's status is its first finding's kind.
KINDS = ("wrong_length", "unknown", "outdated", "wrong_parent", "name_mismatch", "adcode_mapped")
OK = "ok"

_SPACE = re.compile(r"\s+")
# Name suffixes told apart when saying what differs (longest first).
_SUFFIXES = ("街道办事处", "办事处", "街道", "自治县", "自治旗", "自治州", "地区", "苏木", "镇", "乡", "县",
             "市", "区", "旗", "盟")


class FormerCode(str):
    """A reason saying a code existed in an earlier vintage: callers that accept former codes (identity
    numbers, registration codes keep them) can tell it from the reasons of codes that never existed."""


def _plain(name) -> str:
    return _SPACE.sub("", str(name or "")).replace("街道办事处", "街道")


def name_key(name) -> str:
    """A name as compared: without whitespace, 街道办事处 = 街道, and 镇 = 乡 at the end."""
    s = _plain(name)
    if s.endswith("办事处"):
        s = s[:-3]
    if s.endswith("乡"):
        s = s[:-1] + "镇"
    return s


def _split_suffix(name: str) -> Tuple[str, str]:
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[:-len(suffix)], suffix
    return name, ""


def name_difference(given, table) -> str:
    """What differs between a user's name and the table's, in words (empty when nothing specific)."""
    g, t = _plain(given), _plain(table)
    if g and t.startswith(g):
        return tr("the table's name goes on with '{}'").format(t[len(g):])
    if t and g.startswith(t):
        return tr("'{}' at the end is not in the table's name").format(g[len(t):])
    (gs, gsuf), (ts, tsuf) = _split_suffix(g), _split_suffix(t)
    if gs == ts:
        return tr("the suffix differs: '{}' here, '{}' in the table").format(gsuf, tsuf)
    if gsuf == tsuf and gsuf:
        return tr("the part before '{}' differs").format(gsuf)
    return ""


def level_of(code) -> Optional[str]:
    """province / prefecture / county / township from the number of digits (2/4/6/9), else None."""
    text = str(code or "").strip()
    return LEVEL_BY_DIGITS.get(len(text)) if text.isdigit() else None


def normalize(code) -> str:
    """A code as stored: stripped, a 12-digit code of a township (ending in 000) cut to 9 digits."""
    text = str(code if code is not None else "").strip()
    if len(text) == 12 and text.isdigit() and text.endswith("000"):
        return text[:9]
    return text


class DivisionTableError(CityCodeError, ValueError):
    """A division table or adcode mapping file that cannot be read."""


def _open_csv(path):
    """Rows of a UTF-8 CSV (BOM or not); a file saved from Excel in GB18030/GBK also works."""
    with open(path, "rb") as f:
        raw = f.read()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise DivisionTableError(tr("Cannot read {}: not UTF-8 or GB18030 text").format(path))
    return list(csv.DictReader(text.splitlines()))


@dataclass
class AdcodeMap:
    """Statistics code ↔ map-vendor adcode pairs. Keys are county (6-digit) codes or exact codes;
    a township code is mapped through its county when only that is listed."""
    to_statistics: Dict[str, str] = field(default_factory=dict)
    to_adcode: Dict[str, str] = field(default_factory=dict)
    vendor: Dict[str, str] = field(default_factory=dict)  # adcode -> vendor, for messages

    def add_file(self, path):
        rows = _open_csv(path)
        if rows and not {"statistics_code", "adcode"} <= set(rows[0]):
            raise DivisionTableError(tr("{} needs the columns statistics_code and adcode").format(path))
        for row in rows:
            stat, ad = normalize(row.get("statistics_code")), normalize(row.get("adcode"))
            if not (stat.isdigit() and ad.isdigit()):
                continue
            self.to_statistics[ad] = stat
            self.to_adcode[stat] = ad
            self.vendor[ad] = (row.get("vendor") or "").strip()
        return self

    def statistics_of(self, adcode) -> Optional[str]:
        return self._lookup(self.to_statistics, normalize(adcode))

    def adcode_of(self, code) -> Optional[str]:
        return self._lookup(self.to_adcode, normalize(code))

    @staticmethod
    def _lookup(pairs, code):
        if code in pairs:
            return pairs[code]
        if len(code) == 9 and code[:6] in pairs:
            return pairs[code[:6]] + code[6:]
        return None


class DivisionTable:
    """The shipped division table, read on first use (use division_table() for the shared one)."""

    def __init__(self, directory: Optional[str] = None):
        self.directory = directory or DIVISION_DIR
        self._lock = threading.Lock()
        self._rows = None       # code -> (name, parent, level)
        self._former = None     # code -> (name, level, last vintage, successor, source)
        self._meta = None
        self._children = None
        self._by_name = None
        self._maps = {}

    # -- loading ------------------------------------------------------------------------------------
    def _load(self):
        if self._rows is not None:
            return
        with self._lock:
            if self._rows is not None:
                return
            with open(os.path.join(self.directory, "metadata.json"), encoding="utf-8") as f:
                meta = json.load(f)
            former = {}
            with gzip.open(os.path.join(self.directory, "history.csv.gz"), "rt", encoding="utf-8", newline="") as f:
                for r in csv.DictReader(f):
                    former[r["code"]] = (r["name"], r["level"], r["last_vintage"], r["successor"] or None,
                                         r.get("source") or "statistics")
            rows = {}
            with gzip.open(os.path.join(self.directory, "divisions.csv.gz"), "rt", encoding="utf-8", newline="") as f:
                for r in csv.DictReader(f):
                    rows[r["code"]] = (r["name"], r["parent"] or None, r["level"])
            self._meta, self._former, self._rows = meta, former, rows

    @property
    def metadata(self) -> dict:
        self._load()
        return self._meta

    @property
    def vintage(self) -> str:
        return self.metadata["vintage"]

    @property
    def earliest_vintage(self) -> str:
        history = self.metadata.get("history") or []
        return min((h["vintage"] for h in history), default=self.vintage)

    # -- look-ups -----------------------------------------------------------------------------------
    def exists(self, code) -> bool:
        self._load()
        return normalize(code) in self._rows

    def _column(self, code, column, former=False):
        """A column of the code's row (of its row among the former codes: former); None when it has none."""
        self._load()
        row = (self._former if former else self._rows).get(normalize(code))
        return row[column] if row else None

    def name(self, code) -> Optional[str]:
        return self._column(code, 0)

    def parent(self, code) -> Optional[str]:
        return self._column(code, 1)

    @staticmethod
    def level(code) -> Optional[str]:
        return level_of(normalize(code))

    def former(self, code) -> Optional[Tuple[str, str]]:
        """(name, last vintage seen) of a code that existed in an earlier vintage but not now."""
        self._load()
        row = self._former.get(normalize(code))
        return (row[0], row[2]) if row else None

    def successor(self, code) -> Optional[str]:
        """The current code of a former code's division, when the refresh could tell it."""
        return self._column(code, 3, former=True)

    def _index(self, attribute, key):
        """self.<attribute>: the current codes by key(row), skipping rows whose key is None; made on first use,
        once, whichever thread asks first."""
        self._load()
        if getattr(self, attribute) is None:
            with self._lock:
                if getattr(self, attribute) is None:
                    index = defaultdict(list)
                    for c, row in sorted(self._rows.items()):
                        if key(row) is not None:
                            index[key(row)].append(c)
                    setattr(self, attribute, dict(index))
        return getattr(self, attribute)

    def children(self, code) -> List[str]:
        return list(self._index("_children", lambda row: row[1] or None).get(normalize(code), ()))

    def find(self, name, level: Optional[str] = None) -> List[str]:
        """Current codes whose name matches `name` (compared as name_key does), optionally of one level."""
        found = self._index("_by_name", lambda row: name_key(row[0])).get(name_key(name), [])
        return [c for c in found if level is None or self._rows[c][2] == level]

    def label(self, code) -> str:
        """'CODE NAME' for messages."""
        name = self.name(code)
        return "{} {}".format(code, name) if name else str(code)

    # -- adcodes ------------------------------------------------------------------------------------
    def adcode_map(self, mapping=None) -> AdcodeMap:
        """The shipped map, plus a user CSV (path) of the same shape when given; an AdcodeMap passes through."""
        if isinstance(mapping, AdcodeMap):
            return mapping
        path = os.path.abspath(os.fspath(mapping)) if mapping else None
        key = (path, os.path.getmtime(path)) if path else None  # a user file edited meanwhile is read again
        if key not in self._maps:
            m = AdcodeMap()
            shipped = os.path.join(self.directory, "adcode_map.csv")
            if os.path.exists(shipped):
                m.add_file(shipped)
            if path:
                m.add_file(path)
            self._maps[key] = m
        return self._maps[key]

    def to_statistics(self, code, mapping=None) -> str:
        """The statistics code for a map-vendor adcode (the code itself when no pair is known)."""
        return self.adcode_map(mapping).statistics_of(code) or normalize(code)

    def to_adcode(self, code, mapping=None) -> str:
        """The map-vendor adcode for a statistics code (the code itself when no pair is known)."""
        return self.adcode_map(mapping).adcode_of(code) or normalize(code)

    # -- reasons ------------------------------------------------------------------------------------
    def former_reason(self, code) -> Optional[str]:
        former = self.former(code)
        if not former:
            return None
        succ = self.successor(code)
        if self._former[normalize(code)][4] == "gb2260":  # before 2015: the civil-affairs list, not a table
            if succ:
                return FormerCode(tr("{} is a former code ({}), last seen in the {} GB/T 2260 list; now {}").format(
                    code, former[0], former[1], self.label(succ)))
            return FormerCode(tr("{} is a former code ({}), last seen in the {} GB/T 2260 list; no successor is "
                                 "known").format(code, former[0], former[1]))
        if succ:
            return FormerCode(tr("{} is a former code ({}), last seen in the {} table; now {}").format(
                code, former[0], former[1], self.label(succ)))
        return FormerCode(tr("{} is a former code ({}), last seen in the {} table; no successor is known").format(
            code, former[0], former[1]))

    def unknown_reason(self, code) -> str:
        return tr("{} is not in the {} national division table, nor in the earlier ones since {}").format(
            code, self.vintage, self.earliest_vintage)

    def county_code_reasons(self, code) -> List[str]:
        """Why a GB/T 2260 6-digit division code (xx0000 province, xxxx00 prefecture, else county) is not a
        current division; [] when it is."""
        text = normalize(code)
        if len(text) != 6 or not text.isdigit():
            return [tr("A division code has 6 digits: '{}'").format(text)]
        if text == NATIONAL:
            return []
        candidates = [text]  # a county first: 东莞 441900 is a county-level entry of the table
        if text.endswith("0000"):
            candidates.append(text[:2])
        elif text.endswith("00"):
            candidates.append(text[:4])
        if any(self.exists(c) for c in candidates):
            return []
        for c in candidates:
            reason = self.former_reason(c)
            if reason:
                return [reason]
        return [self.unknown_reason(text)]

    # -- layer check --------------------------------------------------------------------------------
    def check(self, codes: Iterable, names: Optional[Iterable] = None, mapping=None,
              parents: Optional[Iterable] = None) -> List["DivisionRow"]:
        amap = self.adcode_map(mapping)
        codes = list(codes)
        names = list(names) if names is not None else [None] * len(codes)
        parents = list(parents) if parents is not None else [None] * len(codes)
        return [self._check_one(c, n, p, amap) for c, n, p in zip(codes, names, parents)]

    def _statistics_code(self, text) -> str:
        """6-digit GB/T-style spellings of provinces and prefectures (110000, 110100) as 2 or 4 digits."""
        if len(text) == 6 and not self.exists(text) and not self.former(text):
            if text.endswith("0000"):
                return text[:2]
            if text.endswith("00"):
                return text[:4]
        return text

    def parents_accepted(self, code) -> List[str]:
        """The parent codes a layer may rightly give for `code`: the table's parent, and where the hierarchy
        has no real level in between, the level above it —
          - 省直辖县级行政单位 (仙桃 429004, 济源 419001, Hainan's 469xxx, 兵团 cities 659xxx) and the districts
            and counties of the 直辖市 sit under a placeholder prefecture (4290 省直辖县级行政区划, 1101 市辖区)
            that map vendors leave out: the province is their parent there;
          - a 不设区的地级市 (东莞 4419, 中山 4420, 儋州 4604, 嘉峪关 6202) has one county-level entry in the
            table (441900) that stands for the city itself: its parent may be the province, and its
            townships' parent the city (4419) as well as the entry (441900).
        自治州 and 盟 are ordinary prefectures (2224 延边朝鲜族自治州, 1525 锡林郭勒盟): nothing is added."""
        self._load()
        parent = self.parent(code)
        if not parent:
            return []
        out = [parent]
        grandparent = self.parent(parent)
        if grandparent and (self.name(parent) in PLACEHOLDER_PREFECTURES or self._stands_for_parent(code)):
            out.append(grandparent)
        if self._stands_for_parent(parent):
            out.append(self.parent(parent))
        return out

    def _stands_for_parent(self, code) -> bool:
        """A county-level entry that is its prefecture's only child and has its name (441900 东莞市 in 4419)."""
        parent = self.parent(code)
        return bool(parent) and len(normalize(code)) == 6 and self.children(parent) == [normalize(code)] and \
            name_key(self.name(code)) == name_key(self.name(parent))

    def _nearby(self, name, code) -> List[str]:
        """Current divisions named `name` at the level of `code`, in its prefecture (townships) or province:
        hints further away are more likely namesakes than the division meant."""
        near = code[:4] if len(code) == 9 else code[:2]
        return [c for c in self.find(name, level_of(code)) if c.startswith(near)]

    def _check_one(self, value, given_name, given_parent, amap: AdcodeMap) -> "DivisionRow":
        text = normalize(value)
        findings = []

        def add(kind, message):
            findings.append(Finding(kind, message))

        if not text:
            add("wrong_length", tr("No code"))
            return DivisionRow(value, None, findings)
        if not text.isdigit():
            add("wrong_length", tr("'{}' is not a division code: digits only").format(text))
            return DivisionRow(value, None, findings)
        if len(text) == 12:
            add("wrong_length", tr("{} is a village-level code: the table goes down to townships (9 digits)")
                .format(text))
            return DivisionRow(value, None, findings)
        if len(text) not in LEVEL_BY_DIGITS:
            add("wrong_length", tr("{} has {} digits: division codes have 2, 4, 6, 9 or 12 digits")
                .format(text, len(text)))
            return DivisionRow(value, None, findings)

        # Adcodes first: 620200 is a vendor's county code, not the GB/T spelling of prefecture 6202.
        code = amap.statistics_of(text)
        if code is None:
            code = self._statistics_code(text)
        elif code != text:
            vendor = amap.vendor.get(text) or amap.vendor.get(text[:6]) or tr("map vendor")
            message = tr("{} is a map-vendor adcode ({}); checked as statistics code {}").format(
                text, vendor, self.label(code))
            if self.former(text):
                message += tr("; {} was also its statistics code until {}").format(text, self.former(text)[1])
            add("adcode_mapped", message)

        if not self.exists(code):
            reason = self.former_reason(code)
            if reason:
                add("outdated", reason)
            else:
                message = self.unknown_reason(code)
                ancestor = next((code[:n] for n in (2, 4, 6) if n < len(code) and not self.exists(code[:n])), None)
                if ancestor:
                    message += tr("; its parent {} does not exist either").format(ancestor)
                same = self._nearby(given_name, code) if given_name else []
                if same:
                    message += tr("; '{}' is {}").format(given_name, ", ".join(same[:3]))
                add("unknown", message)
            return DivisionRow(value, code, findings)

        table_parent = self.parent(code)
        if given_parent not in (None, ""):
            gp_text = normalize(given_parent)
            gp = amap.statistics_of(gp_text) or self._statistics_code(gp_text)
            if table_parent and gp not in self.parents_accepted(code):
                add("wrong_parent", tr("The parent given is {}; in the table {} lies in {}").format(
                    gp, code, self.label(table_parent)))

        if given_name not in (None, "") and name_key(given_name) != name_key(self.name(code)):
            table_name = self.name(code)
            elsewhere = [c for c in self._nearby(given_name, code) if c != code]
            # Same number within another parent: the name is right, the parent part of the code is not.
            local = 3 if len(code) == 9 else 2
            moved = [c for c in elsewhere if c[-local:] == code[-local:]]
            if moved and self.parent(moved[0]) != table_parent:
                add("wrong_parent", tr("{} is {} in the table, in {}; this code puts it in {}").format(
                    given_name, moved[0], self.label(self.parent(moved[0])), self.label(table_parent)))
            else:
                detail = name_difference(given_name, table_name)
                message = tr("The name '{}' differs from the table's '{}'").format(given_name, table_name)
                if detail:
                    message += " ({})".format(detail)
                if elsewhere:
                    message += tr("; '{}' is {}").format(given_name, ", ".join(elsewhere[:3]))
                add("name_mismatch", message)
        return DivisionRow(value, code, findings)


@dataclass
class Finding:
    kind: str
    message: str


@dataclass
class DivisionRow:
    value: object
    code: Optional[str]            # the statistics code the row was checked as (None: not a code)
    findings: List[Finding]

    @property
    def status(self) -> str:
        kinds = {f.kind for f in self.findings}
        return next((k for k in KINDS if k in kinds), OK)

    @property
    def ok(self) -> bool:
        return not self.findings

    @property
    def message(self) -> str:
        return "\n".join(f.message for f in self.findings)


@lru_cache(maxsize=None)
def division_table() -> DivisionTable:
    """The shipped table, shared (its files are read on first use)."""
    return DivisionTable()


def county_code_reasons(code) -> List[str]:
    """Why a GB/T 2260 6-digit division code is not a current division: [] when it is, else one reason:
    a FormerCode ("… is a former code (…), last seen in the 2022 table; now …") when it existed in an
    earlier vintage (statistics tables 2015 on, GB/T 2260 lists 2002-2014), or a plain str ("not in the
    national table …")."""
    return division_table().county_code_reasons(code)


def check_division_layer(codes: Iterable, names: Optional[Iterable] = None, mapping=None,
                         parents: Optional[Iterable] = None) -> List[DivisionRow]:
    """Check a division layer's codes (and names, and stated parent codes) against the current table.

    mapping: None (the shipped adcode map), a CSV path (added to it) or an AdcodeMap.
    Returns one DivisionRow per code: status (ok or the most serious finding kind), findings with messages.
    """
    return division_table().check(codes, names, mapping, parents)


def to_statistics(code, mapping=None) -> str:
    return division_table().to_statistics(code, mapping)


def to_adcode(code, mapping=None) -> str:
    return division_table().to_adcode(code, mapping)
