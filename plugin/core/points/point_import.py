"""Importing monitoring points (stations, survey marks, sensors): a table read (tables), its columns found
(columns), its coordinates read (coordinates) in their CRS and datum (source_crs), and converted to CGCS2000
longitude/latitude (EPSG:4490).

Nothing is dropped silently: every row that cannot be used is a RowProblem with its line number, and every
guess (encoding, delimiter, columns, format, datum, CRS) is a note. Station-list conventions are kept as
columns of their own: altitudes marked estimated (alt_true, alt_flag), text lost for good (text_lost).
"""
import hashlib
import math
import os
import re
import unicodedata
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

import numpy as np

from ..china import datums
from ..engine.layers import InputError
from ..i18n import tr
from .columns import (
    PAIR_SPLIT,
    ColumnGuess,
    altitude_column,
    choose_columns,
    coordinate_names,
    lon_lat_by_name,
    recognised_columns,
)
from .coordinates import (
    CHINA_LAT,
    CHINA_LON,
    DECIMAL,
    DM,
    FORMATS,
    LAT,
    LON,
    PROJECTED_MIN,
    ParsedColumn,
    format_label,
    infer_format,
    parse_column,
    to_floats,
)
from .source_crs import choose_datum, crs_from, datum_label, datum_of_crs, in_metres, is_projected, unproject
from .tables import RowProblem, RowSource, cell_text, empty_reason, name_key, read_rows, unique_names

ALT_COLUMN, ALT_FLAG_COLUMN, LOST_COLUMN = "alt_true", "alt_flag", "text_lost"
ESTIMATED = "estimated"
# 中国气象局 station lists mark an estimated altitude by writing a 1 before it: 10000 m added (13301.5 is
# 3301.5 m, estimated); where the altitude is in 0.1 m (header "(0.1m)"), 100000 added (133015). No station
# lies above 8848 m, so the marked values cannot be read otherwise.
ESTIMATED_OFFSET_M = 10000.0
_LOST = re.compile("\ufffd|锟斤拷")
_QUESTION = re.compile("[?？]")
_CJK = re.compile("[\u3400-\u9fff]")


class FlagNote(str):
    """A note about values flagged per row in a column of their own (alt_flag, text_lost): it belongs in the
    report, not only the log."""


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
    cols = choose_columns(src, x, y, id_field)
    labels = {"altitude": tr("Altitude"), "province": tr("Province")}
    notes += cols.notes + [tr("{}: column '{}'").format(labels[k], h)
                           for k, h in recognised_columns(src.header).items()]
    xs, ys, lon, lat, checks, formats, source_epsg, crs_datum, crs_notes = _locate(src, cols, fmt, crs)
    notes += crs_notes
    problems, bad = _row_problems(src, checks, problems)

    used, datum_note = choose_datum(datum, src, crs_datum)
    notes.append(datum_note)
    if used in (datums.GCJ02, datums.BD09):
        outside = ~bad & ~datums.in_china(lon, lat)
        for i in np.flatnonzero(outside):
            problems.append(RowProblem(int(src.line[i]), cols.xy or cols.x, "{}, {}".format(
                cell_text(xs[i]), cell_text(ys[i])), tr("outside China, where {} does not apply").format(
                datum_label(used))))
        bad |= outside

    identity, id_problems, id_notes = _identities(src, cols, xs, ys, ~bad)
    notes += id_notes
    for i, p in id_problems:
        problems.append(p)
        bad[i] = True
    keep = np.flatnonzero(~bad)
    out_lon, out_lat = datums.convert_xy(lon[keep], lat[keep], used, datums.CGCS2000)
    attributes, flag_notes = _attributes(src, cols, keep)
    notes += flag_notes
    problems.sort(key=lambda p: (p.line, p.column or ""))
    rows = len(src) + len(src.problems)
    if problems:
        notes.append(tr("{} of {} rows not imported: see the problems").format(len({p.line for p in problems}), rows))
    return PointImport(lon=np.asarray(out_lon, dtype=float), lat=np.asarray(out_lat, dtype=float),
                       attributes=attributes, line=src.line[keep], identity=[identity[i] for i in keep],
                       problems=problems, notes=notes, columns=cols, formats=formats, datum=used,
                       source_epsg=source_epsg, encoding=src.encoding, delimiter=src.delimiter, rows=rows)


def _locate(src: RowSource, cols: ColumnGuess, fmt: str, crs: Optional[str]):
    """Each row's longitude/latitude in the source datum: (x values, y values as read, lon, lat, checks
    [(column, reasons, raw values)], formats, the projected CRS's EPSG code, the CRS's datum, notes)."""
    xs, ys, checks = _coordinate_texts(src, cols)
    notes = []
    geometry = src.xy_columns is not None and (cols.x, cols.y) == src.xy_columns
    if not geometry and crs is None and fmt in ("auto", DM):
        xs, ys, packed = _whole_number_dm(xs, ys, cols)
        if packed:
            notes.append(packed)
            fmt = DM
    layer_crs = src.crs_wkt if geometry else None
    source_epsg = None
    if crs is not None:  # the user's CRS stands for the coordinates' own, be they a layer's geometries or columns
        layer_crs = crs_from(crs).to_wkt()
    if (layer_crs and is_projected(layer_crs)) or (not layer_crs and in_metres(xs, ys)):
        lon, lat, coord_checks, source_wkt, source_epsg, crs_notes = unproject(xs, ys, cols, layer_crs)
        notes += crs_notes
        formats = {c: "" for c in coordinate_names(cols)}
        crs_datum = datum_of_crs(source_wkt)
    else:
        # A GIS layer's point geometries are decimal degrees, whatever their digits look like.
        lon, lat, coord_checks, formats, format_notes = _degrees(xs, ys, cols, DECIMAL if geometry and fmt == "auto"
                                                                 else fmt)
        notes += format_notes
        crs_datum = datum_of_crs(layer_crs) if layer_crs else None
    return xs, ys, lon, lat, checks + coord_checks, formats, source_epsg, crs_datum, notes


def _row_problems(src: RowSource, checks, problems: List[RowProblem]):
    """(problems with the first unreadable value of each row added, rows with one)."""
    bad = np.zeros(len(src), dtype=bool)
    for column, reasons, raw in checks:
        for i in np.flatnonzero(reasons != None):  # noqa: E711
            if not bad[i]:
                problems.append(RowProblem(int(src.line[i]), column, cell_text(raw[i]), reasons[i]))
                bad[i] = True
    return problems, bad


def _coordinate_texts(src: RowSource, cols: ColumnGuess):
    """x and y values per row, and checks [(column, reasons, raw values)]: a combined column is split in two."""
    if not cols.xy:
        return src.columns[cols.x], src.columns[cols.y], []
    raw = src.columns[cols.xy]
    xs, ys = [None] * len(raw), [None] * len(raw)
    reasons = np.full(len(raw), None, dtype=object)
    for i, v in enumerate(raw):
        parts = PAIR_SPLIT.split(v.strip()) if isinstance(v, str) else []
        if len(parts) == 2:
            xs[i], ys[i] = parts
        else:
            reasons[i] = empty_reason() if v is None else tr("not two coordinates separated by a comma")
    return xs, ys, [(cols.xy, reasons, raw)]


def _whole_number_dm(xs, ys, cols: ColumnGuess):
    """Station lists (中国气象局 and others) write degrees and minutes as one whole number: 纬度 3954 is
    39°54′, 经度 11628 is 116°28′. Taken so when the columns are named longitude/latitude, the values are
    beyond any degree but below 18000 / 9000 and every minute part is below 60 (Gauss-Krüger metres in
    China are hundreds of thousands). Returns (x values, y values as degrees.minutes, note) or the values
    unchanged and ""."""
    if not lon_lat_by_name(cols):
        return xs, ys, ""
    nx, ny = to_floats(xs)[0], to_floats(ys)[0]
    ok = np.isfinite(nx) & np.isfinite(ny)
    ax, ay = np.abs(nx[ok]), np.abs(ny[ok])
    if not ok.any() or np.median(ax) <= PROJECTED_MIN or ax.max() >= 18000 or ay.max() >= 9000 or \
            (np.floor(ax) % 100 >= 60).any() or (np.floor(ay) % 100 >= 60).any():
        return xs, ys, ""

    def scaled(values, numbers):
        return [n / 100 if math.isfinite(n) else v for v, n in zip(values, numbers.tolist())]
    note = tr("'{}', '{}': degrees and minutes written as whole numbers ({} = {}°{:02d}′), as station lists "
              "write them").format(cols.x, cols.y, cell_text(ys[int(np.flatnonzero(ok)[0])]), int(ay[0] // 100),
                                   int(ay[0] % 100))
    return scaled(xs, nx), scaled(ys, ny), note


def _degrees(xs, ys, cols: ColumnGuess, fmt: str):
    """(lon, lat, checks, formats, notes) of coordinates in degrees."""
    xname, yname = coordinate_names(cols)
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
        "'{}' {}".format(h, format_label(f)) for h, f in formats.items())))
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


def _identities(src: RowSource, cols: ColumnGuess, xs, ys, ok: np.ndarray):
    """Per row: the id column's value, else a fingerprint of the coordinates as written and the name.
    Returns (identities, [(row, problem)] for second occurrences among `ok` rows, notes)."""
    ids = src.columns[cols.id] if cols.id else None
    names = src.columns[cols.name] if cols.name else [None] * len(src)
    identity, fallback = [], []
    for i in range(len(src)):
        value = ids[i] if ids is not None and ids[i] is not None else ""
        value = (value if isinstance(value, str) else cell_text(value)).strip()
        if value:
            identity.append(value if value.isascii() else unicodedata.normalize("NFKC", value))
            continue
        identity.append(_fingerprint(cell_text(xs[i]), cell_text(ys[i]), cell_text(names[i])))
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


def _fingerprint(*parts) -> str:
    text = "\x1f".join(unicodedata.normalize("NFKC", p).strip() if p else "" for p in parts)
    return "fp:" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def _attributes(src: RowSource, cols: ColumnGuess, keep: np.ndarray):
    """(the kept rows' values of every column but the point geometry's, with the flag columns; their notes)."""
    attributes = {h: [src.columns[h][i] for i in keep] for h in src.header
                  if src.xy_columns is None or h not in src.xy_columns}
    notes = []
    for name, values, note in _altitude_flags(src, cols) + _lost_text_flags(src, cols):
        attributes[unique_names(list(attributes) + [name])[-1]] = [values[i] for i in keep]
        if note:
            notes.append(FlagNote(note))
    return attributes, notes


def _text_lost(text: str) -> bool:
    """U+FFFD or 锟斤拷 anywhere; '?' where a Chinese character was lost: in Chinese text, or as all of it
    (an English question mark is no loss)."""
    if _LOST.search(text):
        return True
    return bool(_QUESTION.search(text)) and (bool(_CJK.search(text)) or not _QUESTION.sub("", text).strip())


def _altitude_flags(src: RowSource, cols: ColumnGuess) -> List[Tuple[str, list, str]]:
    """[(column, values, note)]: the true altitude in metres and its flag, when the altitude column has values
    marked estimated by the station-list convention; [] otherwise."""
    name = altitude_column([h for h in src.header if h not in (cols.x, cols.y, cols.xy)])
    if name is None:
        return []
    tenths = "0.1" in name_key(name)
    offset = ESTIMATED_OFFSET_M * (10 if tenths else 1)
    numbers = to_floats(src.columns[name])[0]
    marked = np.isfinite(numbers) & (numbers >= offset)
    if not marked.any():
        return []
    true = np.where(marked, numbers - offset, numbers) / (10 if tenths else 1)
    values = [None if not math.isfinite(v) else round(float(v), 3) for v in true.tolist()]
    flags = [ESTIMATED if m else None for m in marked.tolist()]
    first = int(np.flatnonzero(marked)[0])
    note = tr("'{}': {} altitudes are marked estimated ({} added, the 中国气象局 station-list convention; e.g. {} "
              "is {} m): the altitude in metres is in {}, '{}' in {}").format(
        name, int(marked.sum()), "{:g}".format(offset), cell_text(src.columns[name][first]),
        "{:g}".format(true[first]), ALT_COLUMN, ESTIMATED, ALT_FLAG_COLUMN)
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
