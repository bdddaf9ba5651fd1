"""Text encodings of real Chinese data.

- Which encoding a shapefile's text is in: its .cpg, else the code page byte (LDID) of its .dbf, else what
  the bytes of its records decode as (UTF-8 when they all do, else GB18030, the superset of GBK/GB2312).
  Chinese shapefiles from ArcGIS on Chinese Windows often have no .cpg and LDID 0x57 ("the code page of
  the computer that wrote it") or 0: GDAL then reads their GBK bytes as ISO-8859-1.
- Text garbled by such a wrong reading and saved again as UTF-8 ("³Ç¹ØÕò" for "城关镇"): repairable.
- Text lost for good ("锟斤拷", U+FFFD, "??"): reported, never "repaired".
- Shapefile field names of at most 10 bytes, cut on character boundaries (GDAL cuts UTF-8 names mid-character).
"""
import codecs
import os
import re
import struct
from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional, Tuple

import numpy as np

from .i18n import tr

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

# Per-value result of repair_texts.
OK, REPAIRED, LOST = 0, 1, 2

# Signs of text lost for good: U+FFFD (a decoder gave up), "锟斤拷" (U+FFFD's UTF-8 bytes EF BF BD read as
# GBK), and "?" put in by an encoder for characters it could not write (runs of them, or next to Chinese).
LOST_PATTERN = "\uFFFD|锟斤|斤拷|\\?{2,}|[\u3400-\u9FFF]\\?|\\?[\u3400-\u9FFF]"

# cp1252 puts printable characters at 0x80-0x9F where ISO-8859-1 has control codes; a text garbled through
# either is made of these characters only.
_CP1252_HIGH = {bytes([b]).decode("cp1252"): b for b in range(0x80, 0xA0) if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)}
_TO_LATIN1 = str.maketrans({c: chr(b) for c, b in _CP1252_HIGH.items()})
_BYTE_CHARS = "\\x00-\\xff" + "".join(_CP1252_HIGH)
_HIGH_CHARS = "\\x80-\\xff" + "".join(_CP1252_HIGH)
GARBLED_PATTERN = "^[{0}]*[{1}][{0}]*$".format(_BYTE_CHARS, _HIGH_CHARS)
_CJK = re.compile("[\u3400-\u9fff]")


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


def read_dbf_header(path: str) -> DbfHeader:
    with open(path, "rb") as f:
        head = f.read(32)
        if len(head) < 32:
            raise ValueError(tr("{} is not a dBase file").format(path))
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


def _guess(values: List[bytes]) -> Tuple[str, int]:
    """UTF-8 when every value decodes as UTF-8 (GBK text practically never does), else GB18030
    (the superset of GBK and GB2312) unless UTF-8 fails on fewer values."""
    utf8_bad = _undecodable(values, "utf-8")
    if utf8_bad == 0:
        return "UTF-8", 0
    gb_bad = _undecodable(values, "gb18030")
    return ("GB18030", gb_bad) if gb_bad <= utf8_bad else ("UTF-8", utf8_bad)


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
            return Detected(declared, how, tr("{}: text read as {}: {}").format(name, declared, said), **found)
        guess, guess_bad = _guess(values)
        if guess_bad < bad:
            return Detected(guess, "content", tr("{}: {}, but {} of its text values are not {}; they read as {} "
                                                 "({})").format(name, said, bad, declared, guess, checked),
                            undecodable=guess_bad, **found)
        return Detected(declared, how, tr("{}: text read as {}: {}; {} text values do not decode ({})")
                        .format(name, declared, said, bad, checked), undecodable=bad, **found)
    if not values:
        return Detected(None, "ascii", tr("{}: {}; all text is plain ASCII ({})").format(name, said, checked), **found)
    guess, bad = _guess(values)
    message = tr("{}: {}; the text reads as {} ({})").format(name, said, guess, checked)
    if bad:
        message += " " + tr("{} text values do not decode as {} either").format(bad, guess)
    return Detected(guess, "content", message, undecodable=bad, **found)


# -- garbled and lost text ----------------------------------------------------------------------------------
def _looks_chinese(text: str) -> bool:
    """At least one CJK ideograph, and at least half the non-ASCII characters in GB2312 (common Chinese):
    keeps European text such as "Müller" (whose bytes happen to be valid GBK) from being "repaired"."""
    if _CJK.search(text) is None:
        return False
    high = len(text) - len(text.encode("ascii", "ignore"))
    uncommon = text.encode("gb2312", "replace").count(b"?") - text.count("?")
    return 2 * uncommon <= high


def repair_text(text: str) -> Optional[str]:
    """The text before it was garbled, or None when it does not look garbled.

    Garbled = bytes in UTF-8 or GBK/GB18030 read as ISO-8859-1 or cp1252 and saved as characters: every
    character then stands for one byte. Those bytes are tried as UTF-8 (strict; its structure is hard to
    meet by chance) and then as GB18030 (strict, and the result must look like Chinese).
    """
    if not text:
        return None
    try:
        raw = text.translate(_TO_LATIN1).encode("latin-1")
    except UnicodeEncodeError:
        return None  # characters beyond one byte: not garbled this way
    if raw.isascii():
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        fixed = raw.decode("gb18030")
    except UnicodeDecodeError:
        return None
    return fixed if _looks_chinese(fixed) else None


def text_columns(table) -> List[str]:
    """Names of the text columns of a core Table (Arrow string columns, or arrays / lists holding strings)."""
    out = []
    for name in table.field_order:
        col = table.columns[name]
        if hasattr(col, "type"):  # pyarrow
            if str(col.type) in ("string", "large_string"):
                out.append(name)
        elif any(isinstance(v, str) for v in col) and all(v is None or isinstance(v, str) for v in col):
            out.append(name)
    return out


def repair_texts(values) -> Tuple[np.ndarray, np.ndarray]:
    """Repair a column of text (a sequence of str / None, or a pyarrow array).

    Returns (the repaired values as a numpy object array, per value OK / REPAIRED / LOST as int8). Lost values
    are left as they are. Each distinct value is looked at once.
    """
    if hasattr(values, "to_pylist"):
        values = values.to_pylist()
    texts = list(values)
    out = np.array(texts + [None], dtype=object)[:-1]
    status = np.zeros(len(texts), dtype=np.int8)
    lost, garbled = re.compile(LOST_PATTERN), re.compile(GARBLED_PATTERN)
    seen: Dict[str, Tuple[int, str]] = {}
    for i, text in enumerate(texts):
        if not text:
            continue
        if text not in seen:
            is_lost = lost.search(text) is not None
            fixed = None if is_lost or not garbled.match(text) else repair_text(text)
            seen[text] = (LOST, text) if is_lost else (REPAIRED, fixed) if fixed is not None else (OK, text)
        status[i], out[i] = seen[text]
    return out, status


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
