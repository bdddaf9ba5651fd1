"""Importing monitoring points (stations, survey marks, sensors) and their observation files.

What staff receive: CSV (UTF-8 with or without BOM, or GBK from Chinese Excel), XLSX, GeoJSON, GeoPackage or
Shapefile, with coordinates as decimal degrees, degrees-minutes-seconds text in every notation
(116°20′30″E, 116度20分30秒, 116 20 30, 东经116:20:30), the degrees.minutes numbers of station lists, or
Gauss-Krüger metres; in CGCS2000/WGS84 or in a web-map datum (GCJ-02 from AMap/Tencent, BD-09 from Baidu).

- `read_rows`: any of those files → header + rows of plain values, each row with its line in the source
  (CSV: the physical line, header = line 1, quoted multi-line fields counted; spreadsheets: the row number;
  vector files: the feature id). Point geometries are offered as two extra coordinate columns.
- `detect_columns`: which columns hold the coordinates (by name, else by value), the id and the name.
- `parse_column` / `parse_coordinate`: coordinate text → degrees, one reason per unreadable value.
- `import_points`: all of it, then the datum (chosen, or inferred: layer CRS, header/file name hints,
  else CGCS2000 assumed) and the conversion to CGCS2000 longitude/latitude (EPSG:4490).
- `import_observations`: long (code, time, variable, value, unit) or wide (one column per variable)
  observation tables → long arrays; times as ISO 8601 text (naive times stay naive, a date alone stays a
  date), detection-limit values ("<0.01", "0.01L") flagged as censored.

Nothing is dropped silently: every row that cannot be used is a RowProblem with its line number, and
every guess (encoding, delimiter, columns, format, datum, CRS) is a note.
"""
import codecs
import csv
import datetime as dt
import hashlib
import io
import math
import os
import re
import unicodedata
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from ..china import crs as crs_mod
from ..china import datums
from ..china.encodings import _guess as guess_text_encoding, detect_encoding, repair_columns, repair_text
from ..i18n import tr
from ..engine.layers import InputError
from ..exceptions import CityCodeError

DECIMAL, DM, DMS_PACKED = "decimal", "dm", "dms_packed"
FORMATS = (DECIMAL, DM, DMS_PACKED)
LON, LAT = "lon", "lat"

CSV_EXTENSIONS = (".csv", ".txt", ".tsv")
SPREADSHEET_DRIVERS = {".xlsx": "XLSX", ".xls": "XLS", ".ods": "ODS"}
DELIMITERS = (",", ";", "\t", "|")  # the full-width comma "，" is text, never a delimiter
SNIFF_LINES = 50
SNIFF_BYTES = 64 * 1024
# Files GDAL reads as layers; anything else that is delimited text is read as a table whatever its extension.
VECTOR_EXTENSIONS = (".shp", ".dbf", ".gpkg", ".geojson", ".json", ".geojsonl", ".kml", ".kmz", ".gml", ".gpx",
                     ".sqlite", ".fgb", ".tab", ".mif", ".gdb", ".zip", ".parquet", ".osm", ".pbf")
HEADER_SEARCH_ROWS = 10  # title rows above the header ("XX市监测点位一览表") are skipped up to here
DETECT_SAMPLE = 500      # values per column looked at when detecting columns
GEOMETRY_X, GEOMETRY_Y = "geometry_x", "geometry_y"

CHINA_LON, CHINA_LAT = (73.0, 136.0), (3.0, 54.0)  # crs.CHINA_LONLAT, per axis
# Degrees.minutes is inferred from values only when a decimal-degree reading would leave the points out of the
# x.60-x.99 part of every degree they span with a chance below this (points spread at random over their range,
# counting each 0.1° cell holding points once).
DM_EVIDENCE_CHANCE = 1e-4
DM_MIN_VALUES = 8
PROJECTED_MIN = 360.0  # coordinates beyond any degree value are metres

# Datum hints in header or file names, checked in this order.
DATUM_HINTS = (
    (datums.BD09, re.compile(r"bd-?09|百度|baidu")),
    (datums.GCJ02, re.compile(r"gcj|高德|火星|腾讯|amap|gaode|autonavi")),
    (datums.CGCS2000, re.compile(r"cgcs|2000国家大地|国家2000|2000坐标")),
    (datums.WGS84, re.compile(r"wgs-?84")),
)


class FlagNote(str):
    """A note about values flagged per row in a column of their own (alt_flag, text_lost): it belongs in the
    report, not only the log."""


class CoordinateError(CityCodeError, ValueError):
    """A coordinate that cannot be read; str() is the reason, for the user."""


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


@dataclass
class ColumnGuess:
    """Which columns hold what. x/y: longitude/easting and latitude/northing; xy: one column holding both."""
    x: Optional[str] = None
    y: Optional[str] = None
    xy: Optional[str] = None
    id: Optional[str] = None
    name: Optional[str] = None
    how: str = ""          # how the coordinate columns were found: name, value, chosen, geometry
    notes: List[str] = field(default_factory=list)


@dataclass
class ParsedColumn:
    values: np.ndarray     # degrees, NaN where unreadable
    reasons: np.ndarray    # object: None, or why the value cannot be read (translated)
    hemisphere: np.ndarray  # object: "", "N", "S", "E", "W" as written
    fmt: str
    dms_text: int = 0      # values written with degree/minute/second marks or separators


@dataclass
class PointImport:
    lon: np.ndarray            # CGCS2000 (EPSG:4490), one per imported point
    lat: np.ndarray
    attributes: Dict[str, list]
    line: np.ndarray
    identity: List[str]
    problems: List[RowProblem]
    notes: List[str]
    columns: ColumnGuess
    formats: Dict[str, str]    # coordinate column -> decimal / dm / dms_packed ("" for metres)
    datum: str                 # the datum of the source coordinates (datums.DATUMS)
    source_epsg: Optional[int] = None  # the projected CRS the coordinates were in, if any
    encoding: Optional[str] = None
    delimiter: Optional[str] = None
    rows: int = 0              # data rows read (points + rows with problems)

    def __len__(self):
        return len(self.lon)


@dataclass
class ObservationImport:
    key: np.ndarray       # point code or id, text
    time: np.ndarray      # ISO 8601 text: 2024-05-01T08:00:00, with +08:00 only when the source had a zone
    variable: np.ndarray
    value: np.ndarray     # float
    unit: np.ndarray      # text, "" when unknown
    censored: np.ndarray  # "", "<" (below the detection limit given as value) or ">"
    line: np.ndarray
    problems: List[RowProblem]
    notes: List[str]
    layout: str           # long or wide
    columns: Dict[str, Optional[str]]

    def __len__(self):
        return len(self.value)


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
    enc, bad = guess_text_encoding([raw])
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
    numbers = sum(_is_number(v) for v in first[:width] if v is not None)
    if numbers * 2 >= width:  # half the "header" is numbers: there is no header
        header = _unique(["column_{}".format(i + 1) for i in range(width)])
        data = [i for i in filled if i >= start]
        notes.append(tr("No header row: columns named column_1 … column_{}").format(width))
    else:
        header = _unique([str(v).strip() if v is not None else "column_{}".format(i + 1)
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


def _unique(names: List[str]) -> List[str]:
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
        gx, gy = _unique(header + [GEOMETRY_X, GEOMETRY_Y])[-2:]
        src.columns[gx], src.columns[gy] = xs, ys
        src.header += [gx, gy]
        src.xy_columns = (gx, gy)
    else:
        notes.append(tr("Layer '{}' has no point geometries: coordinates are taken from its columns").format(
            lyr.GetName()))
    return src


# -- column detection -------------------------------------------------------------------------------------
_BRACKETS = re.compile(r"\s*[(（\[【][^)）\]】]*[)）\]】]\s*")


def _norm(name: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(name))).lower()


def _base(name: str) -> str:
    """Lower-case name without unit brackets: 经度(度) → 经度, X(m) → x."""
    return _BRACKETS.sub("", _norm(name))


_LON_NAMES = re.compile(r"^(lon|lng|long|longitude|lon_?deg|经度.*|.*经度|东经.*)$")
_LAT_NAMES = re.compile(r"^(lat|latitude|lat_?deg|纬度.*|.*纬度|北纬.*)$")
_X_NAMES = re.compile(r"^(x|x坐标|坐标x|x_?coord|easting|east|东坐标|横坐标|point_?x|pointx)$")
_Y_NAMES = re.compile(r"^(y|y坐标|坐标y|y_?coord|northing|north|北坐标|纵坐标|point_?y|pointy)$")
# Not 位置/location: those usually hold addresses.
_XY_NAMES = re.compile(r"^(坐标|经纬度|经纬度坐标|坐标位置|coordinates?|coords?|lnglat|lonlat|latlng|latlon|lat_?lng|"
                       r"lng_?lat)$")
_ID_NAMES = ("点位编码", "点位编号", "测站编码", "测站编号", "站点编码", "站点编号", "监测点编号", "监测点编码",
             "编号", "站号", "点号", "站码", "编码", "代码", "id", "code", "stationid", "station_id", "siteid",
             "site_id", "pointid", "point_id")  # not 序号/no: row numbers change when rows are added
_ID_SUFFIX = re.compile(r"(编号|编码|代码|站号|点号|_id|_code)$")
_NAME_NAMES = ("名称", "站名", "点名", "站点名称", "点位名称", "测站名称", "监测点名称", "点位", "站点", "name",
               "station", "stationname", "station_name", "site", "sitename")


def detect_columns(header: Sequence[str], rows: Sequence[Sequence]) -> ColumnGuess:
    """Coordinate, id and name columns of a table, by name, else (coordinates) by value."""
    header = list(header)
    sample = rows[:DETECT_SAMPLE]
    guess = _detect(header, {h: [r[i] if i < len(r) else None for r in sample] for i, h in enumerate(header)})
    guess.notes = _column_notes(guess)
    return guess


def _detect(header: List[str], columns: Dict[str, list]) -> ColumnGuess:
    guess = ColumnGuess()
    bases = {h: _base(h) for h in header}
    guess.id = next((h for n in _ID_NAMES for h in header if bases[h] == n), None) or \
        next((h for h in header if _ID_SUFFIX.search(bases[h])), None)
    guess.name = next((h for n in _NAME_NAMES for h in header if bases[h] == n), None) or \
        next((h for h in header if bases[h].endswith("名称")), None)
    used = {guess.id, guess.name}

    def named(pattern):
        return [h for h in header if h not in used and pattern.match(bases[h])]

    lon, lat = named(_LON_NAMES), named(_LAT_NAMES)
    xs, ys = named(_X_NAMES), named(_Y_NAMES)
    combined = named(_XY_NAMES)
    if lon and lat:
        guess.x, guess.y, guess.how = lon[0], lat[0], "name"
    elif xs and ys:
        (guess.x, guess.y), guess.how = _order_by_value(xs[0], ys[0], columns), "name"
    elif combined:
        guess.xy, guess.how = combined[0], "name"
    else:
        pair = _pair_by_value([h for h in header if h not in used], columns)
        both = None if pair else next((h for h in header if h not in used and _splits(columns[h])), None)
        if pair:
            (guess.x, guess.y), guess.how = pair, "value"
        elif both:
            guess.xy, guess.how = both, "value"
    return guess


def _column_notes(guess: ColumnGuess) -> List[str]:
    how = {"name": tr("by name"), "value": tr("by value"), "chosen": tr("chosen"),
           "geometry": tr("the point geometries")}.get(guess.how, "")
    notes = []
    if guess.xy:
        notes.append(tr("Coordinates: both in column '{}' ({})").format(guess.xy, how))
    elif guess.x:
        notes.append(tr("Coordinates: x (longitude or easting) '{}', y (latitude or northing) '{}' ({})").format(
            guess.x, guess.y, how))
        if _Y_NAMES.match(_base(guess.x)) and _X_NAMES.match(_base(guess.y)):
            notes.append(_surveying_note(guess.x, guess.y))
    if guess.name:
        notes.append(tr("Name: column '{}'").format(guess.name))
    return notes


def _surveying_note(x: str, y: str) -> str:
    return tr("'{}' holds the eastings and '{}' the northings (the surveying convention: X is the northing)").format(
        x, y)


def _numbers(values) -> np.ndarray:
    """Degrees or metres of a sample (NaN where unreadable), DMS text included."""
    return parse_column(values, None, DECIMAL, ranges=False).values if len(values) else np.zeros(0)


def _share(v: np.ndarray, lo: float, hi: float) -> float:
    ok = v[np.isfinite(v)]
    return float(np.mean((ok >= lo) & (ok <= hi))) if len(ok) else 0.0


def _order_by_value(a: str, b: str, columns) -> Tuple[str, str]:
    """(x, y): a/b swapped when the values say so — latitudes in a, longitudes in b; or, in metres, northings
    in a (the surveying convention: X is the northing)."""
    va, vb = _numbers(columns[a]), _numbers(columns[b])
    if _share(va, *CHINA_LAT) > 0.8 and _share(vb, *CHINA_LON) > 0.8 and _share(va, *CHINA_LON) < 0.5:
        return b, a
    if _share(va, 1e6, 6e6) > 0.8 and (_share(vb, 1e5, 1e6) + _share(vb, 1.3e7, 4.6e7)) > 0.8:
        return b, a
    return a, b


def _pair_by_value(header: List[str], columns) -> Optional[Tuple[str, str]]:
    """Longitude and latitude columns, or easting and northing columns, recognised by their values. Whole
    numbers (ids, years, counts) are never taken for degrees."""
    stats = {}
    for h in header:
        v = _numbers(columns[h])
        finite = v[np.isfinite(v)]
        filled = sum(1 for x in columns[h] if x is not None)
        if filled == 0 or len(finite) < 0.8 * filled:
            continue
        fractional = np.mean(finite != np.round(finite)) >= 0.5 or any(
            isinstance(x, str) and not _is_number(x) for x in columns[h] if x is not None)
        stats[h] = (v, fractional)
    lon = [h for h, (v, frac) in stats.items() if frac and _share(v, *CHINA_LON) > 0.9]
    lat = [h for h, (v, frac) in stats.items() if frac and _share(v, *CHINA_LAT) > 0.9 and h not in lon]
    if lon and lat:
        return lon[0], lat[0]
    north = [h for h, (v, _) in stats.items() if _share(v, 1e6, 6e6) > 0.9]
    east = [h for h, (v, _) in stats.items() if h not in north and
            _share(v, 1e5, 1e6) + _share(v, 1.3e7, 4.6e7) > 0.9]
    if north and east:
        return east[0], north[0]
    return None


_SPLIT = re.compile(r"\s*[,，;；/]\s*")


def _splits(values) -> bool:
    """Most values are two coordinates in one text."""
    texts = [v for v in values if isinstance(v, str)]
    if not texts:
        return False
    parts = [_SPLIT.split(t.strip()) for t in texts]
    two = [p for p in parts if len(p) == 2]
    if len(two) < 0.8 * len(texts):
        return False
    a = _numbers([p[0] for p in two])
    b = _numbers([p[1] for p in two])
    return bool(np.mean(np.isfinite(a) & np.isfinite(b)) >= 0.8)


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


def _is_number(v) -> bool:
    if isinstance(v, (int, float)):
        return math.isfinite(v)
    try:
        return math.isfinite(float(v))
    except (TypeError, ValueError):
        return False


def _r_empty():
    return tr("empty")


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


def _floats(values) -> Tuple[np.ndarray, List[int]]:
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
    numbers, rest = _floats(values)
    marked = np.zeros(n, dtype=bool)  # DMS text: already degrees
    cache, found, failed = {}, [], []
    for i in rest:
        v = values[i]
        text = v.strip() if isinstance(v, str) else v
        if text is None or text == "":
            failed.append((i, _r_empty()))
            continue
        r = cache.get(text)
        if r is None:
            r = cache[text] = _parse_text(str(text))
        if isinstance(r, str):
            failed.append((i, r))
        else:
            found.append((i,) + r)
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
    formats, notes, open_ = {}, [], []
    for h in columns:
        b = _norm(h)
        if _DMS_HINT.search(b):
            formats[h] = DMS_PACKED
            notes.append(tr("'{}': packed degrees.minutes.seconds (116.2030 = 116°20′30″), as its header "
                            "says").format(h))
        elif _DM_HINT.search(b):
            formats[h] = DM
            notes.append(tr("'{}': degrees.minutes (116.2030 = 116°20.30′), as its header says").format(h))
        elif _DECIMAL_HINT.search(b):
            formats[h] = DECIMAL
        else:
            open_.append(h)
    said = [f for f in formats.values() if f != DECIMAL]
    if open_ and said:  # one station list, one format: a column without a hint follows its neighbour's
        for h in open_:
            formats[h] = said[0]
            notes.append(tr("'{}': {}, like the other coordinate column").format(h, _format_label(said[0])))
        return formats, notes
    if not open_:
        return formats, notes
    chance, decimals, seconds_ok, spans = 1.0, 0, True, []
    for h in open_:
        texts = [str(v).strip() for v in columns[h] if v is not None and str(v).strip()]
        nums, rest = _floats(texts)
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


def _strip_share(lo: float, hi: float) -> float:
    """Share of [lo, hi] covered by the strips [k + 0.6, k + 1) of each degree k."""
    if hi - lo <= 0:
        return 0.0
    covered = sum(max(0.0, min(hi, k + 1.0) - max(lo, k + 0.6)) for k in range(int(lo), int(hi) + 1))
    return covered / (hi - lo)


# -- datums ----------------------------------------------------------------------------------------------------
def datum_name(name: str) -> str:
    """WGS84 / CGCS2000 / GCJ-02 / BD-09 in any spelling → the names of datums.py."""
    key = re.sub(r"[-_\s]", "", str(name)).lower()
    if key not in datums.DATUMS:
        raise InputError(tr("Unknown datum '{}': use one of {}").format(name, "WGS84, CGCS2000, GCJ02, BD09"))
    return key


def datum_hint(texts: Sequence[str]) -> Tuple[Optional[str], str]:
    """(datum, the text that says so) from names such as 高德, 百度, GCJ, BD09, WGS84, CGCS2000; (None, "")
    when nothing — or contradicting things — are said."""
    found = {}
    for text in texts:
        t = _norm(text)
        for datum, pattern in DATUM_HINTS:
            if pattern.search(t):
                found.setdefault(datum, text)
                break
    if len({datums.WGS84 if d == datums.CGCS2000 else d for d in found}) == 1:
        datum = next(iter(found))
        return datum, found[datum]
    return None, ""


def _crs_datum(crs_wkt: str) -> Optional[str]:
    from pyproj import CRS
    crs = CRS.from_wkt(crs_wkt)
    geodetic = crs.geodetic_crs
    name = geodetic.datum.name if geodetic is not None else ""
    if "China 2000" in name:
        return datums.CGCS2000
    if "World Geodetic System 1984" in name or "WGS" in name:
        return datums.WGS84
    return None


# -- points ------------------------------------------------------------------------------------------------------
def import_points(path: str, layer: Optional[str] = None, x: Optional[str] = None, y: Optional[str] = None,
                  fmt: str = "auto", datum: Optional[str] = None, id_field: Optional[str] = None,
                  encoding: Optional[str] = None, crs: Optional[str] = None) -> PointImport:
    """Monitoring points of a file as CGCS2000 longitude/latitude, every unreadable row a RowProblem.

    x, y: coordinate columns (x alone: one column holding both); fmt: auto, decimal, dm, dms_packed;
    datum: WGS84, CGCS2000, GCJ02, BD09 (None: inferred); id_field: the id column (None: detected);
    crs: the coordinates' CRS (EPSG code, "EPSG:n" or WKT): the zone of Gauss-Krüger metres, or a geographic
    CRS whose datum is then the source datum (None: the layer's CRS, else inferred from the values).
    """
    if fmt != "auto" and fmt not in FORMATS:
        raise InputError(tr("Unknown coordinate format '{}': use one of {}").format(fmt, ", ".join(FORMATS)))
    src = read_rows(path, layer, encoding)
    if not len(src):
        raise InputError(tr("{}: no rows or features: nothing to import. Nothing was changed.").format(
            os.path.basename(path) + (" ({})".format(layer) if layer else "")))
    notes, problems = list(src.notes), list(src.problems)
    cols = _columns(src, x, y, id_field)
    notes += cols.notes
    labels = {"altitude": tr("Altitude"), "province": tr("Province")}
    notes += [tr("{}: column '{}'").format(labels[k], h) for k, h in recognised_columns(src.header).items()]
    n = len(src)
    xs, ys, checks = _coordinate_texts(src, cols)
    geometry = src.xy_columns is not None and (cols.x, cols.y) == src.xy_columns
    if not geometry and crs is None and fmt in ("auto", DM):
        xs, ys, packed = _whole_number_dm(xs, ys, cols)
        if packed:
            notes.append(packed)
            fmt = DM
    layer_crs = src.crs_wkt if geometry else None
    source_epsg = None
    if crs is not None:  # the user's CRS stands for the coordinates' own, be they a layer's geometries or columns
        layer_crs = _crs_from(crs).to_wkt()
    if (layer_crs and _projected(layer_crs)) or (not layer_crs and _in_metres(xs, ys)):
        lon, lat, coord_checks, source_wkt, source_epsg, crs_notes = _unproject(xs, ys, cols, layer_crs)
        notes += crs_notes
        formats = {c: "" for c in _coordinate_names(cols)}
        crs_datum = _crs_datum(source_wkt)
    else:
        # A GIS layer's point geometries are decimal degrees, whatever their digits look like.
        lon, lat, coord_checks, formats, format_notes = _degrees(xs, ys, cols, DECIMAL if geometry and fmt == "auto"
                                                                 else fmt)
        notes += format_notes
        crs_datum = _crs_datum(layer_crs) if layer_crs else None
    bad = np.zeros(n, dtype=bool)
    for column, reasons, raw in checks + coord_checks:
        for i in np.flatnonzero(reasons != None):  # noqa: E711
            if not bad[i]:
                problems.append(RowProblem(int(src.line[i]), column, _text(raw[i]), reasons[i]))
                bad[i] = True

    used, datum_note = _choose_datum(datum, src, crs_datum)
    notes.append(datum_note)
    if used in (datums.GCJ02, datums.BD09):
        outside = ~bad & ~datums.in_china(lon, lat)
        for i in np.flatnonzero(outside):
            problems.append(RowProblem(int(src.line[i]), cols.xy or cols.x, "{}, {}".format(
                _text(xs[i]), _text(ys[i])), tr("outside China, where {} does not apply").format(_datum_label(used))))
        bad |= outside

    identity, id_problems, id_notes = _identities(src, cols, xs, ys, ~bad)
    notes += id_notes
    for i, p in id_problems:
        problems.append(p)
        bad[i] = True
    keep = np.flatnonzero(~bad)
    out_lon, out_lat = datums.convert_xy(lon[keep], lat[keep], used, datums.CGCS2000)
    attributes = {h: [src.columns[h][i] for i in keep] for h in src.header
                  if src.xy_columns is None or h not in src.xy_columns}
    for name, values, note in _altitude_flags(src, cols) + _lost_text_flags(src, cols):
        attributes[_unique(list(attributes) + [name])[-1]] = [values[i] for i in keep]
        if note:
            notes.append(FlagNote(note))
    problems.sort(key=lambda p: (p.line, p.column or ""))
    rows = n + len(src.problems)
    if problems:
        notes.append(tr("{} of {} rows not imported: see the problems").format(len({p.line for p in problems}), rows))
    return PointImport(lon=np.asarray(out_lon, dtype=float), lat=np.asarray(out_lat, dtype=float),
                       attributes=attributes, line=src.line[keep], identity=[identity[i] for i in keep],
                       problems=problems, notes=notes, columns=cols, formats=formats, datum=used,
                       source_epsg=source_epsg, encoding=src.encoding, delimiter=src.delimiter, rows=rows)


def _format_label(fmt: str) -> str:
    return {DECIMAL: tr("decimal degrees"), DM: tr("degrees.minutes"),
            DMS_PACKED: tr("packed degrees.minutes.seconds")}[fmt]


def _datum_label(datum: str) -> str:
    return {datums.WGS84: "WGS84", datums.CGCS2000: "CGCS2000", datums.GCJ02: "GCJ-02", datums.BD09: "BD-09"}[datum]


def _text(v) -> Optional[str]:
    return None if v is None else v if isinstance(v, str) else repr(v) if isinstance(v, float) else str(v)


def _coordinate_names(cols: ColumnGuess) -> Tuple[str, str]:
    return (cols.xy, cols.xy) if cols.xy else (cols.x, cols.y)


def _columns(src: RowSource, x, y, id_field) -> ColumnGuess:
    for name in (x, y, id_field):
        if name and name not in src.columns:
            raise InputError(tr("{} has no column '{}' (columns: {})").format(
                os.path.basename(src.path), name, ", ".join(src.header)))
    sample = {h: v[:DETECT_SAMPLE] for h, v in src.columns.items()}
    guess = _detect([h for h in src.header if src.xy_columns is None or h not in src.xy_columns], sample)
    if x or y:
        guess.x, guess.y, guess.xy, guess.how = (x, y, None, "chosen") if x and y else (None, None, x or y, "chosen")
    elif src.xy_columns:
        (guess.x, guess.y), guess.xy, guess.how = src.xy_columns, None, "geometry"
    if id_field:
        guess.id = id_field
    if not (guess.xy or (guess.x and guess.y)):
        raise InputError(tr("{}: no coordinate columns found (columns: {}). Choose the longitude and latitude "
                            "columns").format(os.path.basename(src.path), ", ".join(src.header)))
    guess.notes = _column_notes(guess)
    return guess


def _coordinate_texts(src: RowSource, cols: ColumnGuess):
    """x and y values per row, and checks [(column, reasons, raw values)]: a combined column is split in two."""
    if not cols.xy:
        return src.columns[cols.x], src.columns[cols.y], []
    raw = src.columns[cols.xy]
    xs, ys = [None] * len(raw), [None] * len(raw)
    reasons = np.full(len(raw), None, dtype=object)
    for i, v in enumerate(raw):
        parts = _SPLIT.split(v.strip()) if isinstance(v, str) else []
        if len(parts) == 2:
            xs[i], ys[i] = parts
        else:
            reasons[i] = _r_empty() if v is None else tr("not two coordinates separated by a comma")
    return xs, ys, [(cols.xy, reasons, raw)]


def _whole_number_dm(xs, ys, cols: ColumnGuess):
    """Station lists (中国气象局 and others) write degrees and minutes as one whole number: 纬度 3954 is
    39°54′, 经度 11628 is 116°28′. Taken so when the columns are named longitude/latitude, the values are
    beyond any degree but below 18000 / 9000 and every minute part is below 60 (Gauss-Krüger metres in
    China are hundreds of thousands). Returns (x values, y values as degrees.minutes, note) or the values
    unchanged and ""."""
    if cols.xy or not (_LON_NAMES.match(_base(cols.x)) and _LAT_NAMES.match(_base(cols.y))):
        return xs, ys, ""
    nx, ny = _floats(xs)[0], _floats(ys)[0]
    ok = np.isfinite(nx) & np.isfinite(ny)
    ax, ay = np.abs(nx[ok]), np.abs(ny[ok])
    if not ok.any() or np.median(ax) <= PROJECTED_MIN or ax.max() >= 18000 or ay.max() >= 9000 or \
            (np.floor(ax) % 100 >= 60).any() or (np.floor(ay) % 100 >= 60).any():
        return xs, ys, ""

    def scaled(values, numbers):
        return [n / 100 if math.isfinite(n) else v for v, n in zip(values, numbers.tolist())]
    note = tr("'{}', '{}': degrees and minutes written as whole numbers ({} = {}°{:02d}′), as station lists "
              "write them").format(cols.x, cols.y, _text(ys[int(np.flatnonzero(ok)[0])]), int(ay[0] // 100),
                                   int(ay[0] % 100))
    return scaled(xs, nx), scaled(ys, ny), note


# -- columns beside the coordinates: altitude, province, text lost for good ------------------------------
_ALT_NAMES = re.compile(r"^(海拔高度|海拔|高程|海拔高程|测站高度|观测场海拔高度|观测场海拔|高度|"
                        r"altitude|elevation|alt|elev|height|z)$")
_PROVINCE_NAMES = ("省", "省份", "省名", "省区", "省市", "所在省", "province", "prov")
ALT_COLUMN, ALT_FLAG_COLUMN, LOST_COLUMN = "alt_true", "alt_flag", "text_lost"
ESTIMATED = "estimated"
# 中国气象局 station lists mark an estimated altitude by writing a 1 before it: 10000 m added (13301.5 is
# 3301.5 m, estimated); where the altitude is in 0.1 m (header "(0.1m)"), 100000 added (133015). No station
# lies above 8848 m, so the marked values cannot be read otherwise.
ESTIMATED_OFFSET_M = 10000.0
_LOST = re.compile("\ufffd|锟斤拷")
_QUESTION = re.compile("[?？]")
_CJK = re.compile("[\u3400-\u9fff]")


def _text_lost(text: str) -> bool:
    """U+FFFD or 锟斤拷 anywhere; '?' where a Chinese character was lost: in Chinese text, or as all of it
    (an English question mark is no loss)."""
    if _LOST.search(text):
        return True
    return bool(_QUESTION.search(text)) and (bool(_CJK.search(text)) or not _QUESTION.sub("", text).strip())


def _altitude_column(header) -> Optional[str]:
    return next((h for h in header if _ALT_NAMES.match(_base(h))), None)


def _altitude_flags(src: RowSource, cols: ColumnGuess) -> List[Tuple[str, list, str]]:
    """[(column, values, note)]: the true altitude in metres and its flag, when the altitude column has values
    marked estimated by the station-list convention; [] otherwise."""
    name = _altitude_column([h for h in src.header if h not in (cols.x, cols.y, cols.xy)])
    if name is None:
        return []
    tenths = "0.1" in _norm(name)
    offset = ESTIMATED_OFFSET_M * (10 if tenths else 1)
    numbers = _floats(src.columns[name])[0]
    marked = np.isfinite(numbers) & (numbers >= offset)
    if not marked.any():
        return []
    true = np.where(marked, numbers - offset, numbers) / (10 if tenths else 1)
    values = [None if not math.isfinite(v) else round(float(v), 3) for v in true.tolist()]
    flags = [ESTIMATED if m else None for m in marked.tolist()]
    first = int(np.flatnonzero(marked)[0])
    note = tr("'{}': {} altitudes are marked estimated ({} added, the 中国气象局 station-list convention; e.g. {} "
              "is {} m): the altitude in metres is in {}, '{}' in {}").format(
        name, int(marked.sum()), "{:g}".format(offset), _text(src.columns[name][first]), "{:g}".format(true[first]),
        ALT_COLUMN, ESTIMATED, ALT_FLAG_COLUMN)
    return [(ALT_COLUMN, values, note), (ALT_FLAG_COLUMN, flags, None)]


def _lost_text_flags(src: RowSource, cols: ColumnGuess) -> List[Tuple[str, list, str]]:
    """[(column, values, note)]: per row the text columns with characters lost for good ('?' or U+FFFD where
    a character could not be converted, 锟斤拷 where U+FFFD itself was converted again), when any row has one."""
    skip = {cols.x, cols.y, cols.xy} | set(src.xy_columns or ())
    found = {}
    for h in src.header:
        if h in skip:
            continue
        rows = [i for i, v in enumerate(src.columns[h]) if isinstance(v, str) and _text_lost(v)]
        if rows:
            found[h] = rows
    if not found:
        return []
    per_row = [[] for _ in range(len(src))]
    for h, rows in found.items():
        for i in rows:
            per_row[i].append(h)
    values = [",".join(r) or None for r in per_row]
    h, rows = next(iter(found.items()))
    note = tr("{} rows have characters lost for good ('?', U+FFFD or 锟斤拷; e.g. line {}, '{}': '{}'): the "
              "columns are named in {}; the right text must come from the source").format(
        sum(1 for v in values if v), int(src.line[rows[0]]), h, src.columns[h][rows[0]], LOST_COLUMN)
    return [(LOST_COLUMN, values, note)]


def recognised_columns(header) -> Dict[str, str]:
    """Station-list columns found by their header words (Chinese or English): altitude and province."""
    out = {}
    alt = _altitude_column(header)
    if alt:
        out["altitude"] = alt
    province = next((h for h in header if _base(h) in _PROVINCE_NAMES), None)
    if province:
        out["province"] = province
    return out


def _in_metres(xs, ys) -> bool:
    step = max(1, len(xs) // DETECT_SAMPLE)  # a sample spread over the file tells
    for values in (xs[::step], ys[::step]):
        numbers, _ = _floats(values)
        if np.isfinite(numbers).any() and np.nanmedian(np.abs(numbers)) > PROJECTED_MIN:
            return True
    return False


def _degrees(xs, ys, cols: ColumnGuess, fmt: str):
    """(lon, lat, checks, formats, notes) of coordinates in degrees."""
    xname, yname = _coordinate_names(cols)
    notes = []
    if fmt != "auto":
        formats = {xname: fmt, yname: fmt}
    elif cols.xy:  # the two halves apart: together they would span from the latitudes to the longitudes
        halves = ("{} [1]".format(cols.xy), "{} [2]".format(cols.xy))
        found, notes = infer_format({halves[0]: xs, halves[1]: ys})
        formats = {cols.xy: found[halves[0]]}
    else:
        formats, notes = infer_format({xname: xs, yname: ys})
    px = parse_column(xs, None if cols.xy else LON, formats[xname])
    py = parse_column(ys, None if cols.xy else LAT, formats[yname])
    if cols.xy:
        lon, lat, reasons = _combined_order(px, py)
        checks = [(cols.xy, reasons, [None if a is None else "{}, {}".format(a, b) for a, b in zip(xs, ys)])]
    else:
        lon, lat = px.values, py.values
        checks = [(xname, px.reasons, xs), (yname, py.reasons, ys)]
    marked = {xname: px.dms_text}
    marked[yname] = marked.get(yname, 0) + py.dms_text
    notes += [tr("'{}': {} values written as degrees, minutes, seconds").format(h, k) for h, k in marked.items() if k]
    notes.append(tr("Coordinate format: {}").format(", ".join(
        "'{}' {}".format(h, _format_label(f)) for h, f in formats.items())))
    return lon, lat, checks, formats, notes


def _combined_order(px: ParsedColumn, py: ParsedColumn):
    """(lon, lat, reasons) of a combined column: the hemisphere letters say which is which, else the column's
    majority in China's ranges (longitude 73-136, latitude 3-54), else longitude first."""
    a, b = px.values, py.values
    with np.errstate(invalid="ignore"):
        lat_first = np.sum((a >= CHINA_LAT[0]) & (a <= CHINA_LAT[1]) & (b >= CHINA_LON[0]) & (b <= CHINA_LON[1]))
        lon_first = np.sum((a >= CHINA_LON[0]) & (a <= CHINA_LON[1]) & (b >= CHINA_LAT[0]) & (b <= CHINA_LAT[1]))
    swap = np.full(len(a), lat_first > lon_first)
    lat_mark, lon_mark = ("N", "S"), ("E", "W")
    swap[np.isin(px.hemisphere, lat_mark) | np.isin(py.hemisphere, lon_mark)] = True
    swap[np.isin(px.hemisphere, lon_mark) | np.isin(py.hemisphere, lat_mark)] = False
    lon, lat = np.where(swap, b, a), np.where(swap, a, b)
    reasons = np.where(px.reasons != None, px.reasons, py.reasons)  # noqa: E711
    with np.errstate(invalid="ignore"):
        reasons[(reasons == None) & (np.abs(lat) > 90)] = tr("latitude out of range (-90 to 90)")  # noqa: E711
    return lon, lat, reasons


def _crs_from(text):
    from pyproj import CRS
    try:
        return CRS.from_user_input(int(text) if str(text).isdigit() else text)
    except Exception as e:  # noqa: BLE001 - pyproj's CRSError
        raise InputError(tr("Unknown CRS '{}': {}").format(text, e)) from None


def _projected(crs_wkt: str) -> bool:
    return _crs_from(crs_wkt).is_projected


def _unproject(xs, ys, cols: ColumnGuess, crs_text: Optional[str]):
    """Metre coordinates → CGCS2000 lon/lat, in the CRS given, else the one their values show (crs.infer_crs).
    (lon, lat, checks, source CRS WKT, its EPSG code, notes)."""
    from pyproj import CRS, Transformer
    xname, yname = _coordinate_names(cols)
    px = parse_column(xs, None, DECIMAL, ranges=False)
    py = parse_column(ys, None, DECIMAL, ranges=False)
    notes = []
    if crs_text:
        source = _crs_from(crs_text)
        notes.append(tr("CRS: {}").format(crs_mod.crs_label(source.to_wkt())))
    else:
        ok = np.isfinite(px.values) & np.isfinite(py.values)
        bounds = (px.values[ok].min(), py.values[ok].min(), px.values[ok].max(), py.values[ok].max()) \
            if ok.any() else None
        guess = crs_mod.infer_crs(bounds)
        if guess.swapped and guess.epsg:
            px, py, xname, yname, xs, ys = py, px, yname, xname, ys, xs
            notes.append(_surveying_note(xname, yname))
            guess = crs_mod.infer_crs((bounds[1], bounds[0], bounds[3], bounds[2]))
        if guess.epsg is None or not guess.confident:
            raise InputError(tr("The coordinates are in metres, but their CRS cannot be told: {} Choose the "
                                "CRS.").format(guess.message))
        source = CRS.from_wkt(guess.wkt)
        notes.append(guess.message)
    epsg = guess.epsg if not crs_text else source.to_epsg()
    to_4490 = Transformer.from_crs(source, CRS.from_epsg(crs_mod.CGCS2000_GEOGRAPHIC), always_xy=True)
    with np.errstate(invalid="ignore"):
        lon, lat = (np.asarray(v, dtype=float) for v in to_4490.transform(px.values, py.values, errcheck=False))
        off = np.isfinite(px.values) & np.isfinite(py.values) & ~(
            (lon >= CHINA_LON[0]) & (lon <= CHINA_LON[1]) & (lat >= CHINA_LAT[0]) & (lat <= CHINA_LAT[1]))
    reasons = px.reasons.copy()
    reasons[off] = tr("outside China in {}").format(crs_mod.crs_label(source.to_wkt()))
    return lon, lat, [(xname, reasons, xs), (yname, py.reasons, ys)], source.to_wkt(), epsg, notes


def _choose_datum(datum: Optional[str], src: RowSource, crs_datum: Optional[str]) -> Tuple[str, str]:
    """The datum of the source coordinates and a note saying why: chosen; the CRS's when it is CGCS2000 (or
    WGS84 with nothing saying otherwise); a hint in the header, else in the file or layer name; else CGCS2000."""
    if datum:
        used = datum_name(datum)
        return used, tr("Datum: {} (chosen)").format(_datum_label(used))
    hint, text = datum_hint(src.header)
    if hint is None:
        hint, text = datum_hint([os.path.splitext(os.path.basename(src.path))[0], src.layer or ""])
    if crs_datum == datums.CGCS2000 or (crs_datum and not hint):
        return crs_datum, tr("Datum: {} (from the CRS)").format(_datum_label(crs_datum))
    if hint:
        why = tr("Datum: {} (the name '{}' says so)").format(_datum_label(hint), text)
        if crs_datum == datums.WGS84 and hint in (datums.GCJ02, datums.BD09):
            why += " " + tr("— its CRS says WGS84, as web-map data often does")
        return hint, why
    return datums.CGCS2000, tr("Datum: CGCS2000 assumed (nothing in the file says otherwise); choose GCJ-02 for "
                               "AMap/Tencent coordinates, BD-09 for Baidu")


def _fingerprint(*parts) -> str:
    text = "\x1f".join(unicodedata.normalize("NFKC", p).strip() if p else "" for p in parts)
    return "fp:" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def _identities(src: RowSource, cols: ColumnGuess, xs, ys, ok: np.ndarray):
    """Per row: the id column's value, else a fingerprint of the coordinates as written and the name.
    Returns (identities, [(row, problem)] for second occurrences among `ok` rows, notes)."""
    ids = src.columns[cols.id] if cols.id else None
    names = src.columns[cols.name] if cols.name else [None] * len(src)
    identity, fallback = [], []
    for i in range(len(src)):
        value = ids[i] if ids is not None and ids[i] is not None else ""
        value = (value if isinstance(value, str) else _text(value)).strip()
        if value:
            identity.append(value if value.isascii() else unicodedata.normalize("NFKC", value))
            continue
        identity.append(_fingerprint(_text(xs[i]), _text(ys[i]), _text(names[i])))
        if ids is not None and ok[i]:
            fallback.append(int(src.line[i]))
    if cols.id:
        notes = [tr("Identity: column '{}'").format(cols.id)]
    elif cols.name:
        notes = [tr("Identity: no id column; a fingerprint of the coordinates as written and the name ('{}')")
                 .format(cols.name)]
    else:
        notes = [tr("Identity: no id column; a fingerprint of the coordinates as written")]
    if fallback:
        notes.append(tr("{} points have an empty '{}' and are identified by their coordinates (lines {})").format(
            len(fallback), cols.id, ", ".join(str(n) for n in fallback[:20])))
    first, problems = {}, []
    for i in np.flatnonzero(ok):
        key = identity[i]
        if key in first:
            problems.append((i, RowProblem(int(src.line[i]), cols.id, key, tr(
                "duplicate identity '{}' (first at line {})").format(key, first[key]))))
        else:
            first[key] = int(src.line[i])
    return identity, problems, notes


# -- observations --------------------------------------------------------------------------------------------------
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
        raise ValueError(_r_empty())
    text = unicodedata.normalize("NFKC", str(value)).strip()
    m = _TIME.fullmatch(text) or _TIME_COMPACT.fullmatch(text)
    if m is None:
        if excel and _is_number(text) and 1 <= float(text) < _EXCEL_MAX:
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
        raise ValueError(_r_empty())
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
    bases = {h: _base(h) for h in header}
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


def import_observations(path: str, layer: Optional[str] = None, columns: Optional[Dict[str, str]] = None,
                        encoding: Optional[str] = None) -> ObservationImport:
    """Observations of monitoring points (CSV/XLSX), long or wide, as long arrays (see ObservationImport).

    columns: {role: column} for the roles key, time, variable, value, unit (the rest detected by name). A
    table without variable and value columns but with numeric columns besides key and time is wide: each
    such column is a variable, its unit taken from the header ("PM2.5(μg/m³)").
    """
    src = read_rows(path, layer, encoding)
    for role, name in (columns or {}).items():
        if role not in ROLES:
            raise InputError(tr("Unknown column role '{}': use one of {}").format(role, ", ".join(ROLES)))
        if name and name not in src.columns:
            raise InputError(tr("{} has no column '{}' (columns: {})").format(
                os.path.basename(path), name, ", ".join(src.header)))
    roles = _role_columns(src.header, columns)
    notes = list(src.notes)
    missing = [r for r in ("key", "time") if not roles[r]]
    if missing:
        raise InputError(tr("{}: no {} column found (columns: {}); choose it").format(
            os.path.basename(path), tr("point code") if "key" in missing else tr("time"), ", ".join(src.header)))
    excel = src.kind == "spreadsheet"
    out = {k: [] for k in ("key", "time", "variable", "value", "unit", "censored", "line")}
    problems = list(src.problems)
    times = _parse_cells(src.columns[roles["time"]], lambda v: parse_time(v, excel))
    keys = [_text(v).strip() if v is not None else None for v in src.columns[roles["key"]]]
    if roles["variable"] and roles["value"]:
        layout = "long"
        measured = [(None, src.columns[roles["variable"]], src.columns[roles["value"]],
                     src.columns[roles["unit"]] if roles["unit"] else None)]
    else:
        layout = "wide"
        candidates = [h for h in src.header if h not in roles.values() and not _NOT_VARIABLES.match(_base(h))]
        variables = [h for h in candidates if _mostly_values(src.columns[h])]
        if not variables:
            raise InputError(tr("{}: neither variable and value columns nor columns of numbers per variable found "
                                "(columns: {})").format(os.path.basename(path), ", ".join(src.header)))
        measured = [(h, None, src.columns[h], None) for h in variables]
        notes.append(tr("Wide table: one column per variable ({})").format(", ".join(variables)))
    notes.append(tr("Columns: {}").format(", ".join("{} '{}'".format(r, c) for r, c in roles.items() if c)))
    empty_cells = 0
    parsed = [(name, var_col, value_col, unit_col, _parse_cells(value_col, parse_value))
              for name, var_col, value_col, unit_col in measured]
    for i in range(len(src)):
        line = int(src.line[i])
        wrong = [(c, v, r) for c, v, r in (
            (roles["key"], src.columns[roles["key"]][i], None if keys[i] else _r_empty()),
            (roles["time"], src.columns[roles["time"]][i], times[i] if isinstance(times[i], Exception) else None))
            if r is not None]
        if wrong:
            problems += [RowProblem(line, c, _text(v), str(r)) for c, v, r in wrong]
            continue
        for wide_name, var_col, value_col, unit_col, values in parsed:
            if wide_name:
                if value_col[i] is None:
                    empty_cells += 1  # no measurement of this variable in this row
                    continue
                variable, unit = _split_unit(wide_name)
            else:
                variable, unit = _split_unit(var_col[i]) if var_col[i] is not None else (None, "")
                if unit_col is not None and unit_col[i] is not None:
                    unit = str(unit_col[i]).strip()
            if not variable:
                problems.append(RowProblem(line, roles["variable"], None, _r_empty()))
                continue
            if isinstance(values[i], Exception):
                problems.append(RowProblem(line, wide_name or roles["value"], _text(value_col[i]), str(values[i])))
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
