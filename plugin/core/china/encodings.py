"""Text encodings of real Chinese data.

- Which encoding a shapefile's text is in: its .cpg, else the code page byte (LDID) of its .dbf, else what
  the bytes of its records decode as (UTF-8 when they all do, else GB18030, the superset of GBK/GB2312).
  Chinese shapefiles from ArcGIS on Chinese Windows often have no .cpg and LDID 0x57 ("the code page of
  the computer that wrote it") or 0: GDAL then reads their GBK bytes as ISO-8859-1.
- A .cpg or LDID that decodes the bytes but is wrong (ISO-8859-1 over UTF-8 or GBK, GBK over UTF-8): found
  from the bytes and said.
- Text garbled by such wrong readings and saved again, up to three times over ("³Ç¹ØÕò" for "城关镇", read as
  cp1252 once more "Â³Ã‡Â¹Ã˜…"), repaired by every reader (layers.read, the point imports) and marked
  repaired only when the result reads as Chinese; garbled text no encoding makes Chinese is reported per field.
- Text lost for good ("锟斤拷", U+FFFD, "??"): reported, never "repaired".
- Shapefile field names of at most 10 bytes, cut on character boundaries (GDAL cuts UTF-8 names mid-character).
"""
import bisect
import codecs
import itertools
import os
import re
import struct
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Tuple

import numpy as np

from ..exceptions import CityCodeError
from ..i18n import tr

# Records looked at (spread evenly over the file) when guessing an encoding from the text itself.
SAMPLE_RECORDS = 20000

# The dBase LDID byte (offset 29) -> Windows code page, as GDAL reads it
# (ogr/ogrsf_frmts/shape/ogrshapelayer.cpp, GetEncodingFromLDIDNumber).
LDID_CODEPAGES = {
    1: 437, 2: 850, 3: 1252, 4: 10000, 8: 865, 10: 850, 11: 437, 13: 437, 14: 850, 15: 437, 16: 850,
    17: 437, 18: 850, 19: 932, 20: 850, 21: 437, 22: 850, 23: 865, 24: 437, 25: 437, 26: 850, 27: 437,
    28: 863, 29: 850, 31: 852, 34: 852, 35: 852, 36: 860, 37: 850, 38: 866, 55: 850, 64: 852,
    0x4D: 936, 78: 949, 79: 950, 80: 874, 88: 1252, 89: 1252, 100: 852, 101: 866, 102: 865, 103: 861,
    104: 895, 105: 620, 106: 737, 107: 857, 108: 863, 120: 950, 121: 949, 0x7A: 936, 123: 932, 124: 874,
    134: 737, 135: 852, 136: 857, 150: 10007, 151: 10029, 200: 1250, 201: 1251, 202: 1254, 203: 1253,
    204: 1257,
}
# "The ANSI code page of the computer that wrote the file": GDAL takes ISO-8859-1, which is wrong for files
# from Chinese Windows (CP936), so we look at the text instead, as for LDID 0.
LDID_SYSTEM_ANSI = 0x57

# Per-value result of repair_texts (GARBLED: looks garbled, but no repair gives plausible text).
OK, REPAIRED, LOST, GARBLED = 0, 1, 2, 3

# Signs of text lost for good: U+FFFD (a decoder gave up), "锟斤拷" (U+FFFD's UTF-8 bytes EF BF BD read as
# GBK), and "?" put in by an encoder for characters it could not write (runs of them, or next to Chinese).
LOST_PATTERN = "\uFFFD|锟斤|斤拷|\\?{2,}|[\u3400-\u9FFF]\\?|\\?[\u3400-\u9FFF]"

# cp1252 puts printable characters at 0x80-0x9F where ISO-8859-1 has control codes; a text garbled through
# either is made of these characters only.
_CP1252_HIGH = {bytes([b]).decode("cp1252"): b for b in range(0x80, 0xA0) if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)}
_TO_LATIN1 = str.maketrans({c: chr(b) for c, b in _CP1252_HIGH.items()})
_HIGH_CHARS = "\\x80-\\xff" + "".join(_CP1252_HIGH)


# -- which encoding --------------------------------------------------------------------------------------
@dataclass
class Detected:
    encoding: Optional[str]  # a name GDAL (iconv), Qt and Python know; None = leave it to the driver
    how: str                 # "cpg", "ldid", "content", "ascii", "chosen"; "" = not a dBase file
    message: str = ""        # one sentence for the user: what was found and how
    sampled: int = 0         # records whose text was looked at ...
    records: int = 0         # ... of this many
    undecodable: int = 0     # sampled text values that do not decode with `encoding`


@dataclass
class DbfField:
    name: bytes
    type: str
    offset: int   # in the record, after the deletion flag
    length: int


@dataclass
class DbfHeader:
    records: int
    header_length: int
    record_length: int
    ldid: int
    fields: List[DbfField]


def dbf_path(path: str) -> Optional[str]:
    """The .dbf holding the attributes of a .shp (or a .dbf itself); None for other files."""
    base, ext = os.path.splitext(path)
    if ext.lower() not in (".shp", ".dbf"):
        return None
    for candidate in (base + ".dbf", base + ".DBF"):
        if os.path.isfile(candidate):
            return candidate
    return None


def cpg_label(path: str) -> Optional[str]:
    """The text of the .cpg beside a .shp/.dbf, None when there is none (or it is empty)."""
    base = os.path.splitext(path)[0]
    for candidate in (base + ".cpg", base + ".CPG"):
        if os.path.isfile(candidate):
            with open(candidate, "rb") as f:
                text = f.read(100).decode("ascii", "replace").strip()
            return text or None
    return None


def cpg_encoding(label: str) -> str:
    """A .cpg label as an encoding name, the way GDAL reads it (plus 65001, Windows' number for UTF-8)."""
    text = label.strip()
    number = int(text) if text.isdigit() else None
    if number is not None and (437 <= number <= 950 or 1250 <= number <= 1258):
        return "CP{}".format(number)
    if number == 65001 or text.upper().replace("-", "").startswith("UTF8"):
        return "UTF-8"
    if text.upper().startswith("8859"):
        return "ISO-8859-" + text[4:].lstrip("-")
    if text.upper().startswith("ANSI 1251"):
        return "CP1251"
    return text


def ldid_encoding(ldid: int) -> Optional[str]:
    cp = LDID_CODEPAGES.get(ldid)
    return "CP{}".format(cp) if cp else None


class DbfError(CityCodeError, ValueError):
    """A .dbf file that is not a dBase file."""


def read_dbf_header(path: str) -> DbfHeader:
    with open(path, "rb") as f:
        head = f.read(32)
        if len(head) < 32:
            raise DbfError(tr("{} is not a dBase file").format(path))
        records, header_length, record_length = struct.unpack("<IHH", head[4:12])
        raw = f.read(max(header_length - 32, 0))
    fields, offset = [], 1
    for i in range(0, len(raw) - 31, 32):
        if raw[i] == 0x0D:
            break
        desc = raw[i:i + 32]
        length = desc[16]
        fields.append(DbfField(name=desc[:11].split(b"\x00", 1)[0], type=chr(desc[11]), offset=offset,
                               length=length))
        offset += length
    return DbfHeader(records=records, header_length=header_length, record_length=record_length, ldid=head[29],
                     fields=fields)


def sample_text(path: str, header: DbfHeader, sample: int = SAMPLE_RECORDS) -> Tuple[List[bytes], int]:
    """(distinct non-ASCII text values of the character fields in up to `sample` records spread evenly
    over the file, the number of records looked at)."""
    size = os.path.getsize(path)
    n = min(header.records, max(size - header.header_length, 0) // max(header.record_length, 1))
    text_fields = [f for f in header.fields if f.type == "C" and f.length]
    if n == 0 or not text_fields:
        return [], 0
    rows = np.memmap(path, dtype=np.uint8, mode="r", offset=header.header_length, shape=(n, header.record_length))
    index = np.arange(n) if n <= sample else np.unique(np.linspace(0, n - 1, sample).astype(np.int64))
    picked = np.asarray(rows[index])
    del rows
    values = set()
    for f in text_fields:
        block = picked[:, f.offset:f.offset + f.length]
        for i in np.flatnonzero((block >= 0x80).any(axis=1)):
            values.add(block[i].tobytes().rstrip(b" \x00"))
    return sorted(values), len(index)


def _decodes(raw: bytes, encoding: str) -> bool:
    """Strict decoding, except that a character cut off at the end (a value cut to its field width) is fine."""
    try:
        codecs.getincrementaldecoder(encoding)().decode(raw, final=False)
        return True
    except UnicodeDecodeError:
        return False


def _known(encoding: str) -> bool:
    try:
        codecs.lookup(encoding)
        return True
    except LookupError:
        return False


def _undecodable(values: Iterable[bytes], encoding: str) -> int:
    return sum(1 for v in values if not _decodes(v, encoding))


def guess_encoding(values: List[bytes]) -> Tuple[str, int]:
    """UTF-8 when every value decodes as UTF-8 (GBK text practically never does), else GB18030
    (the superset of GBK and GB2312) unless UTF-8 fails on fewer values."""
    utf8_bad = _undecodable(values, "utf-8")
    if utf8_bad == 0:
        return "UTF-8", 0
    gb_bad = _undecodable(values, "gb18030")
    return ("GB18030", gb_bad) if gb_bad <= utf8_bad else ("UTF-8", utf8_bad)


def _single_byte(encoding: str) -> bool:
    """Every byte is a character (ISO-8859-x, cp1252 ...): such a declaration never fails to decode, so it
    is checked against the text instead."""
    if not _known(encoding):
        return False
    high = bytes(range(0x80, 0x100)).decode(encoding, "replace")
    return len(high) == 0x80 and high.count("\ufffd") < 0x10  # cp1252 leaves 5 bytes undefined, UTF-8 all


def _declared_wrong(values: List[bytes], declared: str) -> Optional[str]:
    """The encoding the text is really in when a declaration that decodes it (a .cpg saying ISO-8859-1 or
    GBK, an LDID saying cp1252) is wrong, else None. UTF-8 when every value decodes as UTF-8: accented Latin
    or GBK text practically never does, while UTF-8 bytes read as GBK often decode into the wrong Chinese
    ("城关" as "鍩庡叧"). Under a single-byte declaration, GB18030 when every value decodes as GB18030 and most
    read as Chinese (Latin text decoded as GBK gives rare characters, see plausible_chinese)."""
    if not values or codecs.lookup(declared).name == "utf-8":
        return None
    if _undecodable(values, "utf-8") == 0:
        return "UTF-8"
    if _single_byte(declared) and _undecodable(values, "gb18030") == 0:
        chinese = sum(1 for v in values if plausible_chinese(v.decode("gb18030", "ignore")))
        if 2 * chinese > len(values):
            return "GB18030"
    return None


def detect_encoding(path: str, sample: int = SAMPLE_RECORDS) -> Detected:
    """The encoding of a shapefile's (or a .dbf's) text, how it was found, and a sentence saying so."""
    dbf = dbf_path(path)
    if dbf is None:
        return Detected(encoding=None, how="")
    name = os.path.basename(path)
    header = read_dbf_header(dbf)
    values, sampled = sample_text(dbf, header, sample)
    values += [f.name for f in header.fields if any(b >= 0x80 for b in f.name)]
    found = dict(sampled=sampled, records=header.records)
    checked = tr("checked {} text values in {} of {} records").format(len(values), sampled, header.records)

    label = cpg_label(dbf)
    if label:
        declared, how = cpg_encoding(label), "cpg"
        said = tr("its .cpg file says {}").format(label)
    elif ldid_encoding(header.ldid):
        declared, how = ldid_encoding(header.ldid), "ldid"
        said = tr("the code page byte of its .dbf (LDID 0x{:02X}) says {}").format(header.ldid, declared)
    else:
        declared, how = None, "content"
        said = tr("the .dbf only says 'the code page of the computer that wrote it' (LDID 0x57)") \
            if header.ldid == LDID_SYSTEM_ANSI else tr("there is no .cpg file and no code page byte in the .dbf")

    if declared is not None:
        bad = _undecodable(values, declared) if _known(declared) else 0
        if bad == 0:
            wrong = _declared_wrong(values, declared)
            if wrong:
                return Detected(wrong, "content", tr("{}: {}, but its text is {} ({}): the declaration is "
                                                     "wrong; read as {}").format(name, said, wrong, checked, wrong),
                                **found)
            return Detected(declared, how, tr("{}: text read as {}: {}").format(name, declared, said), **found)
        guess, guess_bad = guess_encoding(values)
        if guess_bad < bad:
            return Detected(guess, "content", tr("{}: {}, but {} of its text values are not {}; they read as {} "
                                                 "({})").format(name, said, bad, declared, guess, checked),
                            undecodable=guess_bad, **found)
        return Detected(declared, how, tr("{}: text read as {}: {}; {} text values do not decode ({})")
                        .format(name, declared, said, bad, checked), undecodable=bad, **found)
    if not values:
        return Detected(None, "ascii", tr("{}: {}; all text is plain ASCII ({})").format(name, said, checked), **found)
    guess, bad = guess_encoding(values)
    message = tr("{}: {}; the text reads as {} ({})").format(name, said, guess, checked)
    if bad:
        message += " " + tr("{} text values do not decode as {} either").format(bad, guess)
    return Detected(guess, "content", message, undecodable=bad, **found)


# -- garbled and lost text ----------------------------------------------------------------------------------
# How many wrong readings are undone at most: GBK read as Latin-1 and saved as UTF-8, that read as Latin-1
# again (a .cpg saying ISO-8859-1 over UTF-8 bytes) is two; three leaves a margin for one more round.
MAX_STEPS = 3
# A repair is taken only when the result reads as Chinese: at least this share of its ideographs in GB2312
# (the 6,763 characters of everyday Chinese; names hold rarer ones, e.g. 琤 and 堃 in 琤堃花园). European
# text decoded as GBK gives rare characters (or none: its bytes rarely pair up as GBK at all).
COMMON_SHARE = 0.6

_CJK_RANGES = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK = re.compile("[{}]".format(_CJK_RANGES))
# What else Chinese text holds beside ASCII and ideographs: CJK and full-width punctuation, ·, ×, °, №,
# dashes and quotes, ①…, Ⅰ…, bopomofo. Anything else (Latin letters with accents, box drawing, private use,
# control codes) in a "repaired" text means the repair went wrong.
_CHINESE_TEXT = re.compile("^[\\x09\\x0a\\x0d\\x20-\\x7e\u00b0\u00b7\u00d7\u2010-\u2027\u2030-\u203b\u2116"
                           "\u2160-\u217f\u2460-\u24ff\u3000-\u303f\u3105-\u312f\uff01-\uff5e\uffe0-\uffe5"
                           + _CJK_RANGES + "]*$")
# Signs of garbling left in a text: bytes that could not be decoded kept as lone surrogates (Python's
# surrogateescape: GBK read as UTF-8), C1 control codes (bytes 0x80-0x9F read as Latin-1), private use.
_LATIN_BESIDE_CJK = re.compile("[a-z][{0}]|[{0}][a-z]".format(_CJK_RANGES))
_LATIN = re.compile("[A-Za-z]")
_GARBLE_SIGNS = re.compile("[\udc80-\udcff\u0080-\u009f\ue000-\uf8ff]")
_HIGH = re.compile("[{}]".format(_HIGH_CHARS))
# Anything a column must hold for a value to be garbled or lost: looked for in the whole column at once.
_SUSPECT_CHARS = _HIGH_CHARS + "\\ud800-\\udfff\\ue000-\\uf8ff\\ufffd锟斤?"
_SUSPECT = re.compile("[{}]".format(_SUSPECT_CHARS))
_SUSPECT_RE2 = "[{}]".format(_HIGH_CHARS.replace("\\x80-\\xff", "\\x{80}-\\x{ff}")
                             + "\\x{e000}-\\x{f8ff}\\x{fffd}锟斤?")


def plausible_chinese(text: str, strict: bool = True) -> bool:
    """Text that reads as Chinese: at least one ideograph, and besides them only ASCII and the punctuation
    Chinese text uses. Strict (for text decoded as GBK, which almost any pair of high bytes is): most ideographs
    (COMMON_SHARE) in GB2312 too, none touching a lower-case Latin letter, and at least half as many as Latin
    letters (European text decoded as GBK: "Théâtre" gives "Th殁tre", "THÉÂTRE" "TH陕TRE"). Valid UTF-8 is
    evidence enough for rare characters."""
    ideographs = _CJK.findall(text)
    if not ideographs or _CHINESE_TEXT.match(text) is None:
        return False
    if not strict:
        return True
    uncommon = "".join(ideographs).encode("gb2312", "replace").count(b"?")
    return len(ideographs) - uncommon >= COMMON_SHARE * len(ideographs) and _LATIN_BESIDE_CJK.search(text) is None \
        and 2 * len(ideographs) >= len(_LATIN.findall(text))


def _source_bytes(text: str) -> Optional[bytes]:
    """The bytes a wrongly decoded text came from, when it shows which: one character per byte (read as
    ISO-8859-1 or cp1252), or bytes kept as lone surrogates (read as UTF-8 with surrogateescape). None
    otherwise, or when every byte is ASCII (nothing to undo)."""
    try:
        raw = text.translate(_TO_LATIN1).encode("latin-1")
    except UnicodeEncodeError:
        try:
            raw = text.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:
            return None
        if raw.decode("utf-8", "replace") == text:  # no escaped bytes: not garbled this way
            return None
    return None if raw.isascii() else raw


def _looks_garbled(text: str) -> bool:
    """Escaped bytes, control codes or private use characters, or mostly accented Latin letters where Chinese
    text was (at least two, and half the text): European words such as "Zürich Straße" do not qualify."""
    if _GARBLE_SIGNS.search(text):
        return True
    high = len(_HIGH.findall(text))
    return high >= 2 and 2 * high >= len(text.strip()) and _source_bytes(text) is not None


def repair_text(text: str) -> Optional[str]:
    """The text before it was garbled, or None when no repair gives plausible text.

    Garbled = bytes read in the wrong encoding and saved as characters, up to MAX_STEPS times over: UTF-8 or
    GBK/GB18030 bytes read as ISO-8859-1 / cp1252 (each character stands for one byte), or GBK read as UTF-8
    with the undecodable bytes kept (surrogateescape). Each step decodes the bytes as UTF-8 when they are
    valid UTF-8 (hard to meet by chance), else as GB18030 (almost any pair of high bytes is GBK: UTF-8 bytes
    read as GBK give common characters, 中 read twice as Latin-1 gives "盲赂颅" one step back). The first
    plausible Chinese result is taken (strictly judged once a step was GB18030); failing that, the last result
    of UTF-8 steps alone if it holds neither Chinese nor a sign of garbling ("CafÃ©" → "Café"). A half-repaired
    text is never returned.
    """
    current, utf8_only, fallback = text, True, None
    for _ in range(MAX_STEPS):
        raw = _source_bytes(current) if current else None
        if raw is None:
            break
        try:
            current = raw.decode("utf-8")
        except UnicodeDecodeError:
            try:
                current, utf8_only = raw.decode("gb18030"), False
            except UnicodeDecodeError:
                break
        if plausible_chinese(current, strict=not utf8_only):
            return current
        if utf8_only:
            fallback = current
    if fallback is None or _CJK.search(fallback) or _looks_garbled(fallback):
        return None
    return fallback


def text_columns(table) -> List[str]:
    """Names of the text columns of a core Table (Arrow string columns, text kinds, or arrays / lists holding
    strings)."""
    out = []
    for name in table.field_order:
        col = table.columns[name]
        if hasattr(col, "type"):  # pyarrow
            if str(col.type) in ("string", "large_string"):
                out.append(name)
        elif isinstance(col, np.ndarray) and col.dtype != object:
            continue
        elif table.field_types.get(name, "String") != "String":
            continue
        elif any(isinstance(v, str) for v in col) and all(v is None or isinstance(v, str) for v in col):
            out.append(name)
    return out


def _suspect_rows(values) -> np.ndarray:
    """The rows of a column (a sequence of str / None, or a pyarrow array) holding a character of a garbled
    or lost text, found in one pass over the whole column: the others need no look of their own."""
    if hasattr(values, "type"):  # pyarrow: its own regex engine (RE2), no Python strings made
        import pyarrow.compute as pc
        mask = pc.fill_null(pc.match_substring_regex(values, _SUSPECT_RE2), False)
        return np.flatnonzero(mask.to_numpy(zero_copy_only=False))
    parts = values.tolist() if isinstance(values, np.ndarray) else list(values)
    try:
        joined = "\n".join(parts)
    except TypeError:  # nulls (or numbers in a list column)
        parts = [v if isinstance(v, str) else "" for v in parts]
        joined = "\n".join(parts)
    found = _SUSPECT.search(joined)
    if found is None:
        return np.empty(0, dtype=np.int64)
    ends = list(itertools.accumulate(len(p) + 1 for p in parts))  # where each value's line ends
    rows = []
    while found is not None:  # one search per suspect row, however many suspect characters it has
        row = bisect.bisect_right(ends, found.start())
        rows.append(row)
        found = _SUSPECT.search(joined, ends[row])
    return np.array(rows, dtype=np.int64)


def _classify(text: str) -> Tuple[int, str]:
    """(OK / REPAIRED / LOST / GARBLED, the value to keep) for one text holding a suspect character."""
    if re.search(LOST_PATTERN, text) is not None:
        return LOST, text
    fixed = repair_text(text)
    if fixed is not None:  # characters lost before the garbling stay lost: the rest is repaired all the same
        return (LOST if re.search(LOST_PATTERN, fixed) else REPAIRED), fixed
    return (GARBLED if _looks_garbled(text) else OK), text


def repair_texts(values, rows: Optional[np.ndarray] = None) -> Tuple[np.ndarray, np.ndarray]:
    """Repair a column of text (a sequence of str / None, or a pyarrow array).

    Returns (the repaired values as a numpy object array, per value OK / REPAIRED / LOST / GARBLED as int8).
    Lost values (LOST_PATTERN) and garbled ones no repair makes plausible (GARBLED) are left as they are.
    Only the rows holding a suspect character are looked at (`rows`: those found before), each distinct
    value once.
    """
    if rows is None:
        rows = _suspect_rows(values)
    if hasattr(values, "to_pylist"):
        values = values.to_pylist()
    out = np.array(list(values) + [None], dtype=object)[:-1]
    status = np.zeros(len(out), dtype=np.int8)
    seen: Dict[str, Tuple[int, str]] = {}
    for i in rows.tolist():
        text = out[i]
        if text not in seen:
            seen[text] = _classify(text)
        status[i], out[i] = seen[text]
    return out, status


@dataclass
class FieldRepair:
    """What was found in one text field."""
    field: str
    repaired: int = 0
    garbled: int = 0       # look garbled, but no repair gives plausible Chinese: left as they are
    lost: int = 0          # characters lost for good: left as they are
    example: str = ""      # the first repaired value, "before → after"
    unrepaired: str = ""   # the first garbled or lost value

    def message(self) -> str:
        parts = []
        if self.repaired:
            parts.append(tr("{} values repaired (e.g. {})").format(self.repaired, self.example))
        if self.garbled:
            parts.append(tr("{} values look garbled but no encoding gives Chinese text: left as they are")
                         .format(self.garbled))
        if self.lost:
            parts.append(tr("{} values have characters lost for good ('?', U+FFFD or 锟斤拷): left as they are")
                         .format(self.lost))
        if self.garbled or self.lost:
            parts.append(tr("e.g. '{}'").format(self.unrepaired))
        return tr("field {}: {}").format(self.field, ", ".join(parts))


@dataclass
class TextRepair:
    """Garbled text repaired in a table: per field what was found, per value its status (fields with
    nothing garbled or lost are left out)."""
    name: str = ""
    fields: List[FieldRepair] = field(default_factory=list)
    status: Dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def message(self) -> str:
        if not self.fields:
            return ""
        return tr("{}: text garbled by a wrong encoding, or lost: {}.").format(
            self.name, "; ".join(f.message() for f in self.fields))


def repair_columns(columns: Dict[str, object], names: Iterable[str], name: str = "") -> TextRepair:
    """Repair the text columns `names` of `columns` in place (a column keeps its kind: list, numpy array or
    pyarrow array); columns without a character of a garbled or lost text are passed over in one look."""
    found = TextRepair(name=name)
    for column in names:
        values = columns[column]
        rows = _suspect_rows(values) if values is not None else ()
        if len(rows) == 0:
            continue
        fixed, status = repair_texts(values, rows)
        if not (status != OK).any():
            continue
        report = FieldRepair(column, *(int((status == s).sum()) for s in (REPAIRED, GARBLED, LOST)))
        if report.repaired:
            i = int(np.flatnonzero(status == REPAIRED)[0])
            before = values[i].as_py() if hasattr(values[i], "as_py") else values[i]
            report.example = "'{}' → '{}'".format(before, fixed[i])
            if hasattr(values, "type"):
                import pyarrow as pa
                columns[column] = pa.chunked_array([pa.array(fixed.tolist(), type=pa.string())]) \
                    if hasattr(values, "chunks") else pa.array(fixed.tolist(), type=pa.string())
            else:
                columns[column] = fixed if isinstance(values, np.ndarray) else fixed.tolist()
        if report.garbled or report.lost:
            report.unrepaired = str(fixed[int(np.flatnonzero((status == GARBLED) | (status == LOST))[0])])
        found.fields.append(report)
        found.status[column] = status
    return found


def repair_table(table) -> TextRepair:
    """Repair a core Table's text in place (its Arrow table too, when it has one); see repair_columns."""
    found = repair_columns(table.columns, text_columns(table), table.name)
    if table.arrow is not None and any(f.repaired for f in found.fields):
        for f in found.fields:
            if f.repaired:
                table.arrow = table.arrow.set_column(table.arrow.column_names.index(f.field), f.field,
                                                     table.columns[f.field])
    return found


# -- shapefile field names ------------------------------------------------------------------------------------
def _cut(name: str, max_bytes: int, encoding: str = "utf-8") -> str:
    """The longest start of `name` whose bytes in `encoding` fit, ending on a character boundary."""
    return name.encode(encoding)[:max_bytes].decode(encoding, "ignore")


def shapefile_field_names(names: List[str], max_bytes: int = 10, encoding: str = "utf-8") -> Dict[str, str]:
    """name -> a dBase field name of at most 10 bytes in the file's encoding, unique without regard to case.

    GDAL cuts long names at byte 10, which splits a Chinese character (3 bytes in UTF-8, 2 in GBK) and leaves
    a name no reader can decode; this cuts on character boundaries and numbers clashes like GDAL does (name_1).
    """
    out: Dict[str, str] = {}
    taken = set()
    for name in names:
        new = _cut(name, max_bytes, encoding)
        number = 1
        while new.lower() in taken:
            suffix = "_{}".format(number)
            new = _cut(name, max_bytes - len(suffix), encoding) + suffix
            number += 1
        taken.add(new.lower())
        out[name] = new
    return out
