"""Reading the tables staff receive: CSV and other delimited text (UTF-8 with or without BOM, or GBK from
Chinese Excel), XLSX/XLS/ODS sheets, and GIS layers (GeoJSON, GeoPackage, Shapefile, ...), as a header and
columns of plain values, each row with its line in the source (CSV: the physical line, header = line 1,
quoted multi-line fields counted; spreadsheets: the row number; vector files: the feature id). Point
geometries are offered as two extra coordinate columns.

Also the cell helpers every reader of these tables shares: numbers, text, header names.
"""
import codecs
import csv
import io
import math
import os
import re
import unicodedata
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

import numpy as np

from ..china.encodings import guess_encoding, detect_encoding, repair_columns, repair_text
from ..engine.layers import InputError
from ..i18n import tr

CSV_EXTENSIONS = (".csv", ".txt", ".tsv")
SPREADSHEET_DRIVERS = {".xlsx": "XLSX", ".xls": "XLS", ".ods": "ODS"}
DELIMITERS = (",", ";", "\t", "|")  # the full-width comma "，" is text, never a delimiter
SNIFF_LINES = 50
SNIFF_BYTES = 64 * 1024
# Files GDAL reads as layers; anything else that is delimited text is read as a table whatever its extension.
VECTOR_EXTENSIONS = (".shp", ".dbf", ".gpkg", ".geojson", ".json", ".geojsonl", ".kml", ".kmz", ".gml", ".gpx",
                     ".sqlite", ".fgb", ".tab", ".mif", ".gdb", ".zip", ".parquet", ".osm", ".pbf")
HEADER_SEARCH_ROWS = 10  # title rows above the header ("XX市监测点位一览表") are skipped up to here
GEOMETRY_X, GEOMETRY_Y = "geometry_x", "geometry_y"


@dataclass
class RowProblem:
    line: int               # in the source: CSV physical line, spreadsheet row, feature id
    column: Optional[str]
    value: Optional[str]
    reason: str             # translated


@dataclass
class RowSource:
    """A file's table: header, values per column (None = empty cell), and each row's line in the source."""
    path: str
    kind: str                       # csv, spreadsheet, vector
    header: List[str]
    columns: Dict[str, list]
    line: np.ndarray                # int64, one per row
    layer: Optional[str] = None     # sheet or layer read
    encoding: Optional[str] = None  # the text encoding used (CSV, shapefile)
    delimiter: Optional[str] = None
    crs_wkt: Optional[str] = None   # the layer's CRS (vector files)
    xy_columns: Optional[Tuple[str, str]] = None  # the point geometry's x/y columns (vector files)
    problems: List[RowProblem] = field(default_factory=list)  # rows with the wrong number of values: not in rows
    notes: List[str] = field(default_factory=list)

    def __len__(self):
        return len(self.line)

    @property
    def rows(self) -> List[list]:
        return [list(r) for r in zip(*(self.columns[h] for h in self.header))] if self.header else []


# -- reading files -------------------------------------------------------------------------------------
def read_rows(path: str, layer: Optional[str] = None, encoding: Optional[str] = None) -> RowSource:
    """A CSV/XLSX/GeoJSON/GeoPackage/Shapefile as header + rows with line numbers (see RowSource)."""
    if not os.path.isfile(path):
        raise InputError(tr("File not found: {}").format(path))
    ext = os.path.splitext(path)[1].lower()
    if ext in CSV_EXTENSIONS:
        src = _read_csv(path, encoding)
    elif ext in SPREADSHEET_DRIVERS:
        src = _read_spreadsheet(path, layer, SPREADSHEET_DRIVERS[ext])
    elif ext not in VECTOR_EXTENSIONS and _delimited_text(path):
        # station lists come as .ini, .dat, .txt or without extension: the content says what they are
        src = _read_csv(path, encoding)
        src.notes.insert(0, tr("{}: read as delimited text (its content; the extension does not say)").format(
            os.path.basename(path)))
    else:
        src = _read_vector(path, layer, encoding)
    # text garbled by a wrong encoding repaired as every reader does (encodings), column names too
    repair = repair_columns(src.columns, [h for h in src.header if h not in (src.xy_columns or ())],
                            os.path.basename(path))
    if repair.message:
        src.notes.append(repair.message)
    names = {h: new for h in src.header if (new := repair_text(h)) and new not in src.header}
    if names:
        src.header = [names.get(h, h) for h in src.header]
        src.columns = {names.get(h, h): v for h, v in src.columns.items()}
        src.notes.append(tr("Column names repaired: {}").format(", ".join(
            "{} → {}".format(old, new) for old, new in names.items())))
    return src


def _delimited_text(path: str) -> bool:
    """The start of the file is text (UTF-8 or GBK, no NUL bytes) whose lines split into the same number
    (> 1) of fields."""
    with open(path, "rb") as f:
        head = f.read(SNIFF_BYTES)
    if not head or b"\0" in head:
        return False
    for enc in ("utf-8", "gb18030"):
        try:
            text = head.decode(enc)
            break
        except UnicodeDecodeError as e:
            if e.start > len(head) - 4:  # a character cut at the end of the sample
                text = head[:e.start].decode(enc)
                break
    else:
        return False
    lines = [ln for ln in text.splitlines()[:SNIFF_LINES] if ln.strip()]
    if len(lines) > 2 and not head.endswith((b"\n", b"\r")):
        lines = lines[:-1]  # the last line of the sample may be cut
    widths = Counter(len(r) for r in csv.reader(lines, delimiter=_sniff(lines)))
    return bool(widths) and max(widths) > 1 and widths.most_common(1)[0][1] >= max(1, len(lines) * 0.8)


def _decode(raw: bytes, path: str, encoding: Optional[str]) -> Tuple[str, str, str]:
    """(text, encoding used, note)."""
    name = os.path.basename(path)
    if encoding:
        try:
            return raw.decode(encoding), encoding, tr("{}: text read as {} (chosen)").format(name, encoding)
        except (UnicodeDecodeError, LookupError) as e:
            raise InputError(tr("{} cannot be read as {}: {}").format(name, encoding, e)) from None
    for bom, enc in ((codecs.BOM_UTF8, "UTF-8"), (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16")):
        if raw.startswith(bom):
            return raw.decode("utf-8-sig" if enc == "UTF-8" else enc), enc, \
                tr("{}: text read as {} (byte order mark)").format(name, enc)
    enc, bad = guess_encoding([raw])
    if bad:
        raise InputError(tr("{} is neither UTF-8 nor GBK/GB18030 text: choose its encoding").format(name))
    if enc == "UTF-8":
        return raw.decode("utf-8"), enc, tr("{}: text read as UTF-8").format(name)
    return raw.decode("gb18030"), enc, tr("{}: text read as GB18030 (GBK): it is not UTF-8").format(name)


def _sniff(lines: List[str]) -> str:
    """The delimiter that splits the first lines into the same number (> 1) of fields most often."""
    best, best_score = ",", (0, 0)
    for d in DELIMITERS:
        counts = [len(r) for r in csv.reader(lines, delimiter=d) if any(v.strip() for v in r)]
        if not counts:
            continue
        width, n = Counter(counts).most_common(1)[0]
        if width > 1 and (n, width) > best_score:
            best, best_score = d, (n, width)
    return best


def _read_csv(path: str, encoding: Optional[str]) -> RowSource:
    with open(path, "rb") as f:
        raw = f.read()
    text, used, note = _decode(raw, path, encoding)
    delimiter = _sniff(text.splitlines()[:SNIFF_LINES])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records, lines, previous = [], [], 0
    for record in reader:
        lines.append(previous + 1)  # a record starts on the line after the previous one ended
        previous = reader.line_num
        records.append([v if v and not v.isspace() else None for v in record])
    names = {",": tr("comma"), ";": tr("semicolon"), "\t": tr("tab"), "|": tr("vertical bar")}
    notes = [note, tr("Delimiter: {}").format(names[delimiter])]
    src = _table(path, "csv", records, lines, notes)
    src.encoding, src.delimiter = used, delimiter
    return src


def _table(path: str, kind: str, records: List[list], lines: List[int], notes: List[str],
           layer: Optional[str] = None) -> RowSource:
    """Header row found, rows of the wrong width reported, blank rows skipped."""
    filled = [i for i, r in enumerate(records) if r.count(None) != len(r)]
    if not filled:
        raise InputError(tr("{} holds no data").format(os.path.basename(path)))
    widest = max(sum(v is not None for v in records[i]) for i in filled[:20])
    start = next((i for i in filled[:HEADER_SEARCH_ROWS]
                  if sum(v is not None for v in records[i]) >= max(2, math.ceil(widest / 2))), filled[0])
    if start != filled[0]:
        notes.append(tr("Lines above line {} taken as a title, not data").format(lines[start]))
    first = records[start]
    width = max(i + 1 for i, v in enumerate(first) if v is not None)
    numbers = sum(is_number(v) for v in first[:width] if v is not None)
    if numbers * 2 >= width:  # half the "header" is numbers: there is no header
        header = unique_names(["column_{}".format(i + 1) for i in range(width)])
        data = [i for i in filled if i >= start]
        notes.append(tr("No header row: columns named column_1 … column_{}").format(width))
    else:
        header = unique_names([str(v).strip() if v is not None else "column_{}".format(i + 1)
                          for i, v in enumerate(first[:width])])
        data = [i for i in filled if i > start]
    good, kept, problems = [], [], []
    for i in data:
        record = records[i]
        if len(record) != width:
            if len(record) < width or record.count(None) - record[:width].count(None) != len(record) - width:
                given = len(record) if len(record) < width else \
                    max(k + 1 for k, v in enumerate(record) if v is not None)
                problems.append(RowProblem(lines[i], None, _joined(record), tr(
                    "{} values where the header has {} columns").format(given, width)))
                continue
            record = record[:width]
        good.append(record)
        kept.append(lines[i])
    columns = {h: list(c) for h, c in zip(header, zip(*good))} if good else {h: [] for h in header}
    return RowSource(path=path, kind=kind, header=header, columns=columns, line=np.array(kept, dtype=np.int64),
                     layer=layer, problems=problems, notes=notes)


def _joined(record) -> str:
    return ",".join("" if v is None else str(v) for v in record)


def unique_names(names: List[str]) -> List[str]:
    out, seen = [], set()
    for name in names:
        new, k = name, 2
        while new in seen:
            new, k = "{}_{}".format(name, k), k + 1
        seen.add(new)
        out.append(new)
    return out


@contextmanager
def _gdal_config(options: Dict[str, str]):
    """GDAL config options for this thread while the block runs (the spreadsheet drivers read them lazily,
    when the sheet is first read)."""
    from osgeo import gdal
    before = {k: gdal.GetThreadLocalConfigOption(k, None) for k in options}
    try:
        for k, v in options.items():
            gdal.SetThreadLocalConfigOption(k, v)
        yield
    finally:
        for k, v in before.items():
            gdal.SetThreadLocalConfigOption(k, v)


def _gdal_open(path: str, open_options=()):
    from osgeo import gdal
    try:
        ds = gdal.OpenEx(path, gdal.OF_VECTOR, open_options=list(open_options))
    except RuntimeError as e:
        raise InputError(tr("Cannot read {}: {}").format(os.path.basename(path), e)) from None
    if ds is None:
        raise InputError(tr("Cannot read {}").format(os.path.basename(path)))
    return ds


def _layer(ds, layer: Optional[str], path: str):
    lyr = ds.GetLayerByName(layer) if layer else ds.GetLayer(0)
    if lyr is None:
        names = [ds.GetLayer(i).GetName() for i in range(ds.GetLayerCount())]
        raise InputError(tr("{} has no sheet or layer '{}' (it has: {})").format(
            os.path.basename(path), layer, ", ".join(names)))
    return lyr


def _read_spreadsheet(path: str, layer: Optional[str], driver: str) -> RowSource:
    # Every cell as text and no header guessing by GDAL: the header row is found like a CSV's, and the feature
    # id is then the spreadsheet row number. Date cells come as "2024/05/01 08:00:00".
    with _gdal_config({"OGR_{}_HEADERS".format(driver): "DISABLE", "OGR_{}_FIELD_TYPES".format(driver): "STRING"}):
        ds = _gdal_open(path)
        lyr = _layer(ds, layer, path)
        n_fields = lyr.GetLayerDefn().GetFieldCount()
        records, lines = [], []
        for f in lyr:
            records.append([f.GetField(i) if f.IsFieldSetAndNotNull(i) and str(f.GetField(i)).strip() else None
                            for i in range(n_fields)])
            lines.append(f.GetFID())
    notes = []
    if ds.GetLayerCount() > 1:
        notes.append(tr("Sheet '{}' read ({} sheets in the file)").format(lyr.GetName(), ds.GetLayerCount()))
    return _table(path, "spreadsheet", records, lines, notes, layer=lyr.GetName())


def _read_vector(path: str, layer: Optional[str], encoding: Optional[str]) -> RowSource:
    from osgeo import ogr
    from ..engine.json_fields import open_options
    notes, options = [], open_options(path)  # GeoJSON arrays as JSON text, as its objects are
    detected = detect_encoding(path) if not encoding else None  # shapefiles only; says nothing for others
    if encoding or (detected and detected.encoding):
        options.append("ENCODING={}".format(encoding or detected.encoding))
    if encoding:
        notes.append(tr("{}: text read as {} (chosen)").format(os.path.basename(path), encoding))
    elif detected.message:
        notes.append(detected.message)
    ds = _gdal_open(path, options)
    lyr = _layer(ds, layer, path)
    defn = lyr.GetLayerDefn()
    header = [defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())]
    points = ogr.GT_Flatten(lyr.GetGeomType()) in (ogr.wkbPoint, ogr.wkbMultiPoint, ogr.wkbUnknown)
    columns = {h: [] for h in header}
    xs, ys, lines = [], [], []
    for f in lyr:
        for i, h in enumerate(header):
            columns[h].append(f.GetField(i) if f.IsFieldSetAndNotNull(i) else None)
        x = y = None
        g = f.GetGeometryRef()
        if points and g is not None and not g.IsEmpty():
            if ogr.GT_Flatten(g.GetGeometryType()) == ogr.wkbMultiPoint and g.GetGeometryCount() == 1:
                g = g.GetGeometryRef(0)
            if ogr.GT_Flatten(g.GetGeometryType()) == ogr.wkbPoint:
                x, y = g.GetX(), g.GetY()
        xs.append(x)
        ys.append(y)
        lines.append(f.GetFID())
    srs = lyr.GetSpatialRef()
    src = RowSource(path=path, kind="vector", header=list(header), columns=columns,
                    line=np.array(lines, dtype=np.int64), layer=lyr.GetName(),
                    encoding=encoding or (detected.encoding if detected else None),
                    crs_wkt=srs.ExportToWkt() if srs is not None else None, notes=notes)
    if any(x is not None for x in xs):
        gx, gy = unique_names(header + [GEOMETRY_X, GEOMETRY_Y])[-2:]
        src.columns[gx], src.columns[gy] = xs, ys
        src.header += [gx, gy]
        src.xy_columns = (gx, gy)
    else:
        notes.append(tr("Layer '{}' has no point geometries: coordinates are taken from its columns").format(
            lyr.GetName()))
    return src


# -- cells and header names ----------------------------------------------------------------------------------
_BRACKETS = re.compile(r"\s*[(（\[【][^)）\]】]*[)）\]】]\s*")


def name_key(name: str) -> str:
    """A header name compared without case, spaces or full-width forms."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(name))).lower()


def base_name(name: str) -> str:
    """Lower-case name without unit brackets: 经度(度) → 经度, X(m) → x."""
    return _BRACKETS.sub("", name_key(name))


def is_number(v) -> bool:
    if isinstance(v, (int, float)):
        return math.isfinite(v)
    try:
        return math.isfinite(float(v))
    except (TypeError, ValueError):
        return False


def empty_reason():
    """Why an empty cell cannot be read (translated)."""
    return tr("empty")


def cell_text(v) -> Optional[str]:
    """A cell as the text it was written as (floats in full)."""
    return None if v is None else v if isinstance(v, str) else repr(v) if isinstance(v, float) else str(v)
