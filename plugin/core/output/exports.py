"""Coded data out, in the formats other systems read back: GeoPackage, Shapefile, CSV, XLSX, GeoJSON.

What each format cannot hold is changed on the way out and reported (never silently):
- Shapefile: field names of at most 10 bytes (in the chosen encoding; the mapping is written beside it as
  <name>.fields.csv), text values of at most 254 bytes (cut on a character boundary), no date-time type
  (written as ISO text), 2 GB per file (refused before writing). UTF-8 by default; GBK for ArcGIS 10.x and
  legacy Chinese systems, where text GBK cannot hold (rare characters such as 𠀾, emoji) stops the export
  unless the user accepts '?' in its place. Every shapefile gets a .cpg saying its encoding (GBK: 936, and
  the dBase code page byte too).
- CSV: UTF-8 with a BOM (Excel otherwise reads it in the system code page), geometry as a WKT column or
  the x/y of a point, a .csvt beside it so GIS readers keep codes as text. Excel ignores the .csvt: "CSV for
  Excel" writes what it would turn into numbers, dates or formulas as ="..." (see _excel_formulas); without
  it, digits Excel would spoil are reported.
- XLSX: text stays text cells formatted as Text, so Excel shows 23-digit codes as they are and keeps them
  text when a cell is edited; geometry as for CSV.
- GeoJSON: RFC 7946 (WGS84 lon/lat, 7 decimals, counter-clockwise outer rings), Chinese text as UTF-8.
- Datum: CGCS2000 and WGS84 differ by centimetres (the data cannot tell them apart), so CGCS2000 data
  goes to WGS84 as it is; GCJ-02 (AMap/Tencent) is written only when asked for by name.

The file appears complete or not at all: everything is written into a temporary folder beside the output
and moved into place at the end.
"""
import csv
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from typing import Dict, List, Optional

import numpy as np

from ..china import datums
from ..i18n import tr
from ..engine.layer_writer import arrow_column, field_kind, write_table
from ..engine.layers import InputError, LayerInput, ShapeEncoding, Table, read, remove_dataset
from ..speedups import ARROW_WRITE_OK

GPKG, SHP, CSV, XLSX, GEOJSON = "gpkg", "shp", "csv", "xlsx", "geojson"
FORMATS = (GPKG, SHP, CSV, XLSX, GEOJSON)
EXTENSIONS = {GPKG: ".gpkg", SHP: ".shp", CSV: ".csv", XLSX: ".xlsx", GEOJSON: ".geojson"}
DRIVERS = {GPKG: "GPKG", SHP: "ESRI Shapefile", CSV: "CSV", XLSX: "XLSX", GEOJSON: "GeoJSON"}

# DATUM choices: keep the layer's CRS, or lon/lat in one of these. GeoJSON "as_input" means WGS84 (RFC 7946).
AS_INPUT = "as_input"
DATUM_CHOICES = (AS_INPUT, datums.WGS84, datums.CGCS2000, datums.GCJ02)
_LONLAT_EPSG = {datums.WGS84: 4326, datums.CGCS2000: 4490, datums.GCJ02: 4326}

UTF8, GBK = "UTF-8", "GBK"
ENCODINGS = (UTF8, GBK)

# Geometry in CSV / XLSX: a WKT column, the x/y of a point (a polygon's centroid or a point surely inside
# it), or none.
GEOMETRY_WKT, GEOMETRY_XY, GEOMETRY_NONE = "wkt", "xy", "none"
GEOMETRY_CHOICES = (GEOMETRY_WKT, GEOMETRY_XY, GEOMETRY_NONE)
POINT_CENTROID, POINT_ON_SURFACE = "centroid", "point_on_surface"
POINT_CHOICES = (POINT_CENTROID, POINT_ON_SURFACE)

SHAPEFILE_MAX_BYTES = 2 ** 31 - 1   # per .shp / .dbf: what ArcGIS and most readers take
DBF_TEXT_MAX_BYTES = 254
XLSX_MAX_ROWS = 1_048_575           # Excel's 1 048 576 rows, one of them the header
GEOJSON_DECIMALS = 7                # RFC 7946 §11.2: about 1 cm
MAX_IDS = 20                        # feature ids listed per reported change
EXCEL_FORMULA_MAX = 255             # characters of text in an Excel formula
# Text Excel reads as something else when it opens a CSV: numbers (signed, decimal, 1E5, 5%), dates and
# times (1-2, 2024/5/6, 8:30), booleans, and formulas (=, +, -, @ first).
_EXCEL_CONVERTS = re.compile(r"^\s*([+-]?(\d[\d,]*\.?\d*|\.\d+)([eE][+-]?\d+)?%?|\d{1,4}[-/.]\d{1,2}([-/.]\d{1,4})?"
                             r"|\d{1,2}:\d{2}(:\d{2})?|true|false)\s*$|^[=+\-@]", re.IGNORECASE)
# ... and digit strings it visibly spoils: 12 digits or more (shown as 3.40104E+11 in a General cell and saved
# so; beyond 15 digits the number itself is cut), or a leading zero.
_EXCEL_LOSES = re.compile(r"^\s*(\d{12,}|0\d+)\s*$")
# GBK shapefiles say so in the .cpg as Windows' code page number 936 (ArcGIS takes code page numbers; GDAL
# and QGIS read it as CP936 = GBK) and in the dBase code page byte (LDID 0x4D) for readers without .cpg.
GBK_CPG, GBK_LDID = "936", 0x4D


class ExportError(InputError):
    """An export that cannot be done as asked; nothing was written."""


@dataclass
class ExportOptions:
    format: str = GPKG
    fields: Optional[List[str]] = None      # a subset, in this order (None: all)
    datum: str = AS_INPUT
    encoding: str = UTF8                    # shapefiles only
    replace_unencodable: bool = False       # GBK: write '?' for what GBK cannot hold instead of stopping
    geometry: str = GEOMETRY_WKT            # CSV / XLSX
    point: str = POINT_CENTROID             # for GEOMETRY_XY of lines and polygons
    excel_formula: bool = False             # CSV for Excel: text Excel would convert as ="..." (kept as text)
    id_field: Optional[str] = None          # names features in the report (default: citycode, else row number)


@dataclass
class Change:
    """Something the format could not hold as it was, and what was done about it."""
    kind: str                   # renamed, truncated, unencodable, datetime_text, datum, excel_formula,
    #                             excel_numbers (a plain CSV whose digits Excel would spoil: said, not changed)
    field: str
    count: int
    ids: List[str] = field(default_factory=list)
    message: str = ""


@dataclass
class ExportResult:
    path: str
    format: str
    features: int
    fields: List[str]                                      # as written
    crs: str                                               # what the output is labelled with
    changes: List[Change] = field(default_factory=list)
    renamed: Dict[str, str] = field(default_factory=dict)  # shapefile: original -> written field name
    mapping_path: Optional[str] = None                     # shapefile: the .fields.csv

    def report(self) -> str:
        return "\n".join(c.message for c in self.changes)


def output_path_for(path: str, fmt: str) -> str:
    """`path` with the extension of `fmt` (".json" counts as GeoJSON's)."""
    base, ext = os.path.splitext(path)
    if ext.lower() == EXTENSIONS[fmt] or (fmt == GEOJSON and ext.lower() == ".json"):
        return path
    return base + EXTENSIONS[fmt]


def export_layer(inp: LayerInput, path: str, options: ExportOptions, feedback=None) -> ExportResult:
    """Read a layer (fast path for files, QGIS features otherwise) and export it; see export_table."""
    _check_output(path, options)  # before reading what may be a large layer
    return export_table(read(inp), path, options, feedback)


def export_table(table: Table, path: str, options: ExportOptions, feedback=None) -> ExportResult:
    """Write `table` to `path` in options.format. `feedback`: anything with setProgress(0-100) and
    isCanceled() (a QgsProcessingFeedback). Raises ExportError, leaving no output behind."""
    _check_output(path, options)
    fmt = options.format
    if fmt == XLSX and len(table) > XLSX_MAX_ROWS:
        raise ExportError(tr("An Excel sheet holds at most {} rows; the layer has {}. Export to CSV or "
                             "GeoPackage instead.").format(XLSX_MAX_ROWS, len(table)))
    attrs = _attributes(table, options.fields)
    ids = _namer(table, options.id_field)
    changes: List[Change] = []
    _progress(feedback, 5)

    geom, crs_wkt, geom_type = _geometry(table, fmt, options, changes)
    _progress(feedback, 30)

    renamed: Dict[str, str] = {}
    if fmt == SHP:
        attrs, renamed = _shapefile_attributes(attrs, ids, options, changes)
        _check_shapefile_size(attrs, geom, options.encoding)
    elif fmt in (CSV, XLSX):
        attrs = _table_geometry(attrs, geom, options)
        geom = None
        if fmt == CSV and options.excel_formula:
            attrs = _excel_formulas(attrs, changes)
        elif fmt == CSV:
            _excel_warnings(attrs, changes)
    _progress(feedback, 50)
    if feedback is not None and feedback.isCanceled():
        raise ExportError(tr("Canceled; nothing was written."))

    folder = os.path.dirname(os.path.abspath(path))
    work = tempfile.mkdtemp(prefix=".citycode-export-", dir=folder)
    try:
        tmp = os.path.join(work, os.path.basename(path))
        _write(tmp, fmt, table.name, attrs, geom, geom_type, crs_wkt, options)
        _progress(feedback, 90)
        if fmt == SHP:
            _write_mapping(tmp, os.path.splitext(tmp)[0] + ".fields.csv", list(attrs.column_names), renamed)
            if options.encoding == GBK:
                _mark_gbk(tmp)
        elif fmt == XLSX:
            _text_cells(tmp)
        _replace(work, path, fmt)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    _progress(feedback, 100)
    return ExportResult(path=path, format=fmt, features=len(table), fields=list(attrs.column_names),
                        crs=_label(crs_wkt), changes=changes, renamed=renamed,
                        mapping_path=os.path.splitext(path)[0] + ".fields.csv" if fmt == SHP else None)


# -- checks ----------------------------------------------------------------------------------------
def _check_output(path: str, options: ExportOptions):
    if options.format not in FORMATS:
        raise ExportError(tr("Unknown export format '{}': use one of {}").format(options.format, ", ".join(FORMATS)))
    if output_path_for(path, options.format) != path:
        raise ExportError(tr("A {} file must end with {}: {}").format(
            options.format, EXTENSIONS[options.format], path))
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise ExportError(tr("The folder {} does not exist; create it or choose another").format(folder))
    if options.encoding not in ENCODINGS:
        raise ExportError(tr("Unknown encoding '{}': use one of {}").format(options.encoding, ", ".join(ENCODINGS)))
    if options.datum not in DATUM_CHOICES:
        raise ExportError(tr("Unknown datum '{}': use one of {}").format(options.datum, ", ".join(DATUM_CHOICES)))


def _progress(feedback, value):
    if feedback is not None:
        feedback.setProgress(value)


# -- attributes ------------------------------------------------------------------------------------
@dataclass
class _Attributes:
    """The attributes going out: name -> numpy array (text: object arrays, None = null) and its kind
    (layers' kinds: String, Int, LongLong, Double, Date, DateTime ...), in order."""
    columns: Dict[str, np.ndarray]
    kinds: Dict[str, str]
    rows: int

    @property
    def column_names(self) -> List[str]:
        return list(self.columns)

    def set(self, name: str, values: np.ndarray, kind: str, first: bool = False):
        self.kinds[name] = kind
        self.columns = dict([(name, values)] + list(self.columns.items())) if first else \
            dict(self.columns, **{name: values})

    def rename(self, renamed: Dict[str, str]):
        self.columns = {renamed.get(n, n): v for n, v in self.columns.items()}
        self.kinds = {renamed.get(n, n): k for n, k in self.kinds.items()}


def _attributes(table: Table, fields: Optional[List[str]]) -> _Attributes:
    """The chosen fields with the kinds the layer declares (an integer field with nulls stays integer)."""
    names = list(fields) if fields else list(table.field_order)
    missing = [f for f in names if f not in table.columns]
    if missing:
        raise ExportError(tr("Layer {} has no field '{}' (fields: {})").format(
            table.name, ", ".join(missing), ", ".join(table.field_order)))
    kinds = {n: field_kind(table.columns[n], table.field_types.get(n)) for n in names}
    columns = {n: np.asarray(table.column(n), dtype=object) if kinds[n] == "String" else table.column(n)
               for n in names}
    return _Attributes(columns, kinds, len(table))


def _namer(table: Table, id_field: Optional[str]):
    """rows -> how the report names those features: the id field's value, else the row number (1 = first)."""
    name = id_field or ("citycode" if "citycode" in table.columns else None)
    if name and name not in table.columns:
        raise ExportError(tr("Layer {} has no field '{}' (fields: {})").format(
            table.name, name, ", ".join(table.field_order)))
    values = table.columns[name] if name else None

    def names(rows):
        out = []
        for row in (int(r) for r in rows):
            value = values[row] if values is not None else None
            value = value.as_py() if hasattr(value, "as_py") else value.item() if isinstance(value, np.generic) \
                else value
            if isinstance(value, float) and value.is_integer():  # an integer field with nulls, read as floats
                value = int(value)
            out.append(str(row + 1) if value is None or value != value else str(value))
        return out
    return names


def _change(kind, field_name, mask, ids, message) -> Change:
    where = np.flatnonzero(mask)
    listed = ids(where[:MAX_IDS])
    more = len(where) - len(listed)
    text = message + " " + tr("Features: {}").format(", ".join(listed)) + (
        " " + tr("and {} more").format(more) if more > 0 else "")
    return Change(kind, field_name, int(len(where)), listed, text)


def _text_columns(attrs: _Attributes) -> List[str]:
    return [n for n in attrs.column_names if attrs.kinds[n] == "String"]


def _mask(values: np.ndarray, test) -> np.ndarray:
    """test(value) for each non-null value of a text column, False for nulls."""
    return np.array([v is not None and test(v) for v in values.tolist()], dtype=bool)


def _shapefile_attributes(attrs: _Attributes, ids, options: ExportOptions, changes: List[Change]):
    """Attributes as a shapefile can hold them: dates-times as text, text encodable and ≤ 254 bytes,
    names ≤ 10 bytes. Raises ExportError when GBK cannot hold some text and replacing was not accepted."""
    from ..china.encodings import shapefile_field_names
    enc = options.encoding
    for name in list(attrs.column_names):
        if attrs.kinds[name] == "DateTime":
            text = _datetime_text(attrs.columns[name])
            attrs.set(name, text, "String")
            changes.append(Change("datetime_text", name, int(np.not_equal(text, None).sum()), [], tr(
                "Field {}: shapefiles have no date-time type; written as text (YYYY-MM-DDThh:mm:ss).").format(name)))
    unencodable = []
    for name in _text_columns(attrs):
        values = attrs.columns[name].copy()
        non_ascii = np.zeros(len(values), dtype=bool) if enc == UTF8 else _mask(values, lambda v: not v.isascii())
        # UTF-8 bytes >= GBK bytes for text GBK holds: only values over the limit in UTF-8 can be over it.
        long = _mask(values, lambda v: len(v) * 4 > DBF_TEXT_MAX_BYTES and len(v.encode("utf-8")) > DBF_TEXT_MAX_BYTES)
        if not (non_ascii.any() or long.any()):
            continue
        if non_ascii.any():
            bad_values = {v for v in set(values[non_ascii].tolist()) if not _encodes(v, enc)}
            if bad_values:
                bad = np.zeros(len(values), dtype=bool)
                bad[np.flatnonzero(non_ascii)] = [v in bad_values for v in values[non_ascii]]
                chars = sorted({c for v in bad_values for c in v if not _encodes(c, enc)})
                unencodable.append((name, bad, "".join(chars[:10])))
                values[bad] = [v.encode(enc, "replace").decode(enc) for v in values[bad]]  # used only if accepted
        if long.any():
            cut = [v.encode(enc)[:DBF_TEXT_MAX_BYTES].decode(enc, "ignore") for v in values[long]]
            changed = np.zeros(len(values), dtype=bool)
            changed[np.flatnonzero(long)] = [c != v for c, v in zip(cut, values[long])]
            values[long] = cut
            if changed.any():
                changes.append(_change("truncated", name, changed, ids, tr(
                    "Field {}: {} values longer than {} bytes cut to fit a shapefile.").format(
                    name, int(changed.sum()), DBF_TEXT_MAX_BYTES)))
        attrs.set(name, values, "String")
    for name, bad, chars in unencodable:
        if options.replace_unencodable:
            changes.append(_change("unencodable", name, bad, ids, tr(
                "Field {}: {} values hold characters {} cannot hold ({}); written with '?' in their place.")
                .format(name, int(bad.sum()), enc, chars)))
    if unencodable and not options.replace_unencodable:
        details = "; ".join(_change("unencodable", n, b, ids, tr("field {}: {} values ({})").format(
            n, int(b.sum()), c)).message for n, b, c in unencodable)
        raise ExportError(tr("Some text cannot be written in {}: {}. Export in UTF-8, or accept '?' in place of "
                             "those characters; nothing was written.").format(enc, details))

    names = list(attrs.column_names)
    unnamed = [n for n in names if not _encodes(n, enc)]
    if unnamed:
        raise ExportError(tr("Field names that cannot be written in {}: {}. Rename them or export in UTF-8.")
                          .format(enc, ", ".join(unnamed)))
    renamed = {k: v for k, v in shapefile_field_names(names, encoding=enc).items() if k != v}
    if renamed:
        attrs.rename(renamed)
        for old, new in renamed.items():
            changes.append(Change("renamed", old, 0, [], tr(
                "Field {} is named {} in the shapefile (at most 10 bytes); see the .fields.csv beside it.")
                .format(old, new)))
    return attrs, renamed


def _datetime_text(values) -> np.ndarray:
    """Date-times as YYYY-MM-DDThh:mm:ss text (None for nulls), from datetime64 or datetime objects."""
    if values.dtype.kind == "M":
        text = np.datetime_as_string(values.astype("datetime64[s]"), unit="s")
        return np.array([None if t == "NaT" else t for t in text.tolist()] + [None], dtype=object)[:-1]
    return np.array([None if v is None else v.strftime("%Y-%m-%dT%H:%M:%S") for v in values.tolist()] + [None],
                    dtype=object)[:-1]


def _encodes(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
        return True
    except UnicodeEncodeError:
        return False


def _check_shapefile_size(attrs: _Attributes, geom, encoding: str):
    """Refuse, before writing, a .shp or .dbf over 2 GB (estimated from the WKB and the text widths)."""
    n = attrs.rows
    shp = 100 + 48 * n + (sum(len(g) for g in _wkb_array(geom).tolist() if g is not None) if geom is not None else 0)
    widths = 0
    for name in attrs.column_names:
        kind = attrs.kinds[name]
        if kind == "String":
            longest = max([len(v.encode("utf-8")) for v in attrs.columns[name].tolist() if v is not None] + [1])
            widths += min(longest, DBF_TEXT_MAX_BYTES)  # UTF-8 bytes: an upper bound for GBK
        else:
            widths += 8 if kind == "Date" else 24
    dbf = 33 + 32 * len(attrs.columns) + n * (1 + widths)
    if max(shp, dbf) > SHAPEFILE_MAX_BYTES:
        raise ExportError(tr("The shapefile would be about {:.1f} GB (.shp) and {:.1f} GB (.dbf); shapefiles hold "
                             "at most 2 GB per file. Export to GeoPackage, or fewer features or fields; nothing "
                             "was written.").format(shp / 2 ** 30, dbf / 2 ** 30))


def _excel_formulas(attrs: _Attributes, changes: List[Change]):
    """Text Excel would change when it opens the CSV written as ="..." (a formula whose result is that text:
    Excel shows it as it is, codes stay text). Double-clicking a CSV makes Excel read "34010400120240001000015"
    as the number 3.4E+22 (15 significant digits), "0101…" loses its zeros, "1-2" becomes a date, "=…" a formula;
    a leading apostrophe or tab is kept as a character of the cell (an apostrophe shows), and Excel 365's
    "automatic data conversion" options are per user. Formula text holds at most 255 characters: longer values
    (never numbers) stay as they are."""
    for name in _text_columns(attrs):
        values = attrs.columns[name]
        converted = _mask(values, lambda v: len(v) <= EXCEL_FORMULA_MAX and _EXCEL_CONVERTS.match(v) is not None)
        if converted.any():
            values = values.copy()
            values[converted] = ['="{}"'.format(v.replace('"', '""')) for v in values[converted]]
            attrs.set(name, values, "String")
            changes.append(Change("excel_formula", name, int(converted.sum()), [], tr(
                "Field {}: {} values Excel would turn into numbers, dates or formulas written as =\"...\" so "
                "Excel keeps them as text.").format(name, int(converted.sum()))))
    return attrs


def _excel_warnings(attrs: _Attributes, changes: List[Change]):
    """A plain CSV: the text columns Excel would change when the file is double-clicked, said (not changed)."""
    for name in _text_columns(attrs):
        at_risk = _mask(attrs.columns[name], lambda v: _EXCEL_LOSES.match(v) is not None)
        if at_risk.any():
            changes.append(Change("excel_numbers", name, int(at_risk.sum()), [], tr(
                "Field {}: {} values are digits Excel spoils when it opens the CSV (12 digits or more show as "
                "e.g. 3.4E+22 and are saved so, leading zeros go); GIS programs read them right (.csvt). For "
                "Excel, export XLSX or tick 'CSV for Excel'.").format(name, int(at_risk.sum()))))


# -- geometry --------------------------------------------------------------------------------------
def _geometry(table: Table, fmt: str, options: ExportOptions, changes: List[Change]):
    """(WKB geometry or None, output CRS WKT, geometry type) in the chosen datum. The geometry is the pyarrow
    column as read when it goes out unchanged (no copy), else a numpy object array of WKB."""
    datum = options.datum
    if fmt == GEOJSON and datum == AS_INPUT:
        datum = datums.WGS84  # RFC 7946
    no_geometry = table.geometry_type in ("None", "NoGeometry") or (
        table.geometry_arrow is None and not np.not_equal(table.wkb, None).any())
    if no_geometry or (fmt in (CSV, XLSX) and options.geometry == GEOMETRY_NONE):
        return None, table.crs_wkt, None
    point_out = fmt in (CSV, XLSX) and options.geometry == GEOMETRY_XY
    if datum == AS_INPUT and not point_out:
        if table.geometry_arrow is not None:  # as read: no copy
            return table.geometry_arrow, table.crs_wkt, table.geometry_type
        return table.wkb, table.crs_wkt, table.geometry_type

    wkb, geom_type = table.wkb, table.geometry_type
    if point_out:  # in the layer's own CRS (true areas), then moved like any point
        from ..engine.geometry import backend
        g = backend()
        wkb = g.to_wkb(g.representative_points(g.from_wkb(wkb), options.point == POINT_CENTROID))
        geom_type = "Point"
    crs_wkt = table.crs_wkt
    if datum != AS_INPUT:
        wkb, crs_wkt = _to_datum(wkb, table, datum, changes)
    return np.asarray(wkb, dtype=object), crs_wkt, geom_type


def _wkb_array(geom) -> np.ndarray:
    return np.asarray(geom.to_numpy(zero_copy_only=False) if hasattr(geom, "to_numpy") else geom, dtype=object)


def _to_datum(wkb, table: Table, datum: str, changes: List[Change]):
    """The WKBs moved to `datum`'s lon/lat (every vertex, Z and M kept) and that CRS."""
    from pyproj import CRS, Transformer
    from ..china.crs import crs_label
    from ..engine.wkb import transform_xy
    if not table.crs_wkt:
        raise ExportError(tr("{} has no CRS: set the layer's CRS before exporting it in {}").format(
            table.name, datum.upper()))
    target = CRS.from_epsg(_LONLAT_EPSG[datum]).to_wkt()
    source = CRS.from_user_input(table.crs_wkt)
    wkb = transform_xy(wkb, Transformer.from_crs(source, CRS.from_wkt(target), always_xy=True).transform)
    said = tr("Coordinates written in {} lon/lat (from {}).").format(datum.upper(), crs_label(source.to_wkt()))
    if datum == datums.WGS84 and "China 2000" in source.datum.name:
        said += " " + tr("CGCS2000 and WGS84 differ by centimetres, below what the data can tell: no datum "
                         "shift is applied.")
    if datum == datums.GCJ02:
        wkb = transform_xy(wkb, lambda x, y: datums.convert_xy(x, y, datums.WGS84, datums.GCJ02))
        said += " " + tr("GCJ-02 is AMap/Tencent's offset datum, hundreds of metres off the true position; the "
                         "file is labelled EPSG:4326 as web maps expect. Do not overlay it with survey data.")
    changes.append(Change("datum", "", len(table), [], said))
    return wkb, target


def _table_geometry(attrs: _Attributes, geom, options: ExportOptions):
    """CSV / XLSX: the geometry as a WKT column (named WKT: GDAL and QGIS read it back as geometry) or x, y."""
    from ..engine.wkb import point_xy, to_wkt
    if geom is None:
        return attrs
    wkb = _wkb_array(geom)
    if options.geometry == GEOMETRY_XY:
        _, x, y = point_xy(wkb)
        attrs.set("x", np.asarray(x, dtype=float), "Double")
        attrs.set("y", np.asarray(y, dtype=float), "Double")
        return attrs
    attrs.set("WKT", np.asarray(to_wkt(wkb), dtype=object), "String", first=True)
    return attrs


def _label(crs_wkt: Optional[str]) -> str:
    if not crs_wkt:
        return ""
    from ..china.crs import crs_label
    return crs_label(crs_wkt)


# -- writing ---------------------------------------------------------------------------------------
def _write(path, fmt, layer_name, attrs, geom, geom_type, crs_wkt, options: ExportOptions):
    """One call into GDAL: pyogrio's Arrow writer when its GDAL can (>= 3.8), else OGR (layer_writer.write_table)."""
    driver = DRIVERS[fmt]
    layer_options, kwargs = {}, {}
    if fmt == SHP:
        kwargs["encoding"] = options.encoding
    elif fmt == CSV:
        layer_options = {"WRITE_BOM": "YES", "CREATE_CSVT": "YES", "STRING_QUOTING": "IF_AMBIGUOUS"}
    elif fmt == GEOJSON:
        layer_options = {"RFC7946": "YES", "COORDINATE_PRECISION": str(GEOJSON_DECIMALS)}
    layer = layer_name[:31] if fmt == XLSX else layer_name  # Excel's sheet-name limit
    geom_type = (geom_type or "Unknown") if geom is not None else None
    crs = crs_wkt if geom is not None else None
    try:
        if ARROW_WRITE_OK:
            import pyarrow as pa
            import pyogrio
            out = pa.table({n: pa.array(v.tolist(), type=pa.string()) if attrs.kinds[n] == "String"
                            else arrow_column(v, attrs.kinds[n]) for n, v in attrs.columns.items()}) \
                if attrs.columns else pa.table({"_": pa.nulls(attrs.rows)}).drop(["_"])
            if geom is not None:
                if not hasattr(geom, "type"):
                    geom = pa.array(geom.tolist(), type=pa.binary())
                out = out.append_column(pa.field("geom", geom.type,
                                                 metadata={"ARROW:extension:name": "geoarrow.wkb"}), geom)
            with ShapeEncoding(kwargs.get("encoding")):
                pyogrio.write_arrow(out, path, layer=layer, driver=driver, geometry_name="geom" if geom is not None
                                    else None, geometry_type=geom_type, crs=crs, layer_options=layer_options,
                                    **kwargs)
        else:
            write_table(path, layer, list(attrs.columns.items()), None if geom is None else _wkb_array(geom),
                        geom_type, crs, kinds=attrs.kinds, driver=driver,
                        layer_options=["{}={}".format(*o) for o in layer_options.items()],
                        encoding=kwargs.get("encoding", "UTF-8"))
    except Exception as e:  # pyogrio's and GDAL's own errors: say which file and why
        raise ExportError(tr("Cannot write {}: {}").format(os.path.basename(path), e)) from None


def _write_mapping(shp: str, mapping: str, written: List[str], renamed: Dict[str, str]):
    """<name>.fields.csv (UTF-8 with BOM): original name, shapefile name, type as GDAL wrote it."""
    from osgeo import ogr
    ds = ogr.Open(shp)
    defn = ds.GetLayer(0).GetLayerDefn()
    types = {f.GetName(): f.GetTypeName() for f in (defn.GetFieldDefn(i) for i in range(defn.GetFieldCount()))}
    ds = None
    original = {v: k for k, v in renamed.items()}
    with open(mapping, "w", encoding="utf-8-sig", newline="") as f:
        out = csv.writer(f)
        out.writerow(["original_name", "shapefile_name", "type"])
        for name in written:
            out.writerow([original.get(name, name), name, types.get(name, "")])


def _mark_gbk(shp: str):
    """The .cpg and the dBase code page byte of a GBK shapefile, as ArcGIS, GDAL and QGIS all read them."""
    base = os.path.splitext(shp)[0]
    with open(base + ".cpg", "w", encoding="ascii") as f:
        f.write(GBK_CPG)
    with open(base + ".dbf", "r+b") as f:
        f.seek(29)
        f.write(bytes([GBK_LDID]))


def _text_cells(xlsx: str):
    """Text cells formatted as Text (number format 49, "@"), so a code stays text when someone edits its cell
    (in a General cell Excel reads the edit again: 34010400120240001000015 becomes 3.4E+22). GDAL writes text
    as shared strings without a format; one cell format is added and given to every text cell."""
    import zipfile
    with zipfile.ZipFile(xlsx) as z:
        members = [(info, z.read(info)) for info in z.infolist()]
    parts = {info.filename: data for info, data in members}
    styles, sheets = parts.get("xl/styles.xml", b""), [n for n in parts if n.startswith("xl/worksheets/sheet")]
    found = re.search(rb'<cellXfs count="(\d+)">', styles)
    if found is None or b"</cellXfs>" not in styles:
        return  # not the layout GDAL writes: left as it is (the cells are text all the same)
    text_style = int(found.group(1))
    styles = styles.replace(found.group(0), b'<cellXfs count="%d">' % (text_style + 1), 1).replace(
        b"</cellXfs>", b'<xf numFmtId="49" xfId="0" applyNumberFormat="1"/>\n</cellXfs>', 1)
    changed = {"xl/styles.xml": styles}
    for name in sheets:  # GDAL writes a text cell as <c r="A2" t="s">
        changed[name] = parts[name].replace(b'" t="s">', b'" s="%d" t="s">' % text_style)
    with zipfile.ZipFile(xlsx + ".tmp", "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        for info, data in members:
            out.writestr(info, changed.get(info.filename, data))
    os.replace(xlsx + ".tmp", xlsx)


def _replace(work: str, path: str, fmt: str):
    """Move everything written in `work` into place, replacing an earlier export of the same name (and only
    its own side files: a.shp's a.fields.csv stays when a.xlsx is written)."""
    side = {SHP: ".fields.csv", CSV: ".csvt"}.get(fmt)
    remove_dataset(path)
    if side and os.path.exists(os.path.splitext(path)[0] + side):
        os.remove(os.path.splitext(path)[0] + side)
    folder = os.path.dirname(os.path.abspath(path))
    for name in sorted(os.listdir(work), key=lambda n: n == os.path.basename(path)):  # the main file last
        os.replace(os.path.join(work, name), os.path.join(folder, name))

