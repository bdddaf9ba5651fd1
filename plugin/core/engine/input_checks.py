"""What real inputs get wrong, checked before a batch job computes anything.

- CRS: a layer without a CRS, or whose declared CRS does not fit its coordinates, gets the CRS its
  coordinates show when that is unambiguous (and the user is told); otherwise the job stops and says
  how to set it. A CRS the user set on the layer is taken as is.
- Web-map datums: a layer drawn on AMap/Tencent (GCJ-02) or Baidu (BD-09) is moved to CGCS2000 first.
- Text encodings: how a shapefile's text was decoded (see encodings.py) goes to the log and report.
- The division layer: rows without a usable code, codes the national table does not know or that are
  outdated, and gaps and overlaps between divisions, each with where it is.
Every finding is a Note for the log and the report; nothing here changes a stored file.
"""
import os
from dataclasses import asdict, dataclass
from typing import List, Optional, Sequence, Tuple

import numpy as np

from ..china import crs as crs_mod
from ..i18n import tr
from .layers import InputError, LayerInput, Table

# Gaps and overlaps smaller than this (m²) are digitising slivers, not worth a report row.
COVERAGE_SLIVER_M2 = 1.0
MAX_NOTES_PER_KIND = 200


@dataclass
class Note:
    kind: str      # crs_assumed, datum, encoding, division_code, division_unknown, division_outdated, gap, overlap
    layer: str
    message: str
    x: Optional[float] = None        # where (in the layer's CRS), for the findings that have a place
    y: Optional[float] = None
    area_m2: Optional[float] = None

    def as_dict(self):
        return {k: v for k, v in asdict(self).items() if v is not None}


# -- CRS ------------------------------------------------------------------------------------------------
def settle_crs(inputs: Sequence[LayerInput], tables: Sequence[Table], reference: int = 0) -> List[Note]:
    """Check each table's CRS against its coordinates; the reference table (the divisions) is checked
    first and is the hint for the others. Assumes the inferred CRS when it is certain, else raises."""
    notes = []
    order = [reference] + [i for i in range(len(tables)) if i != reference]
    hint_wkt = hint_bounds = None
    for i in order:
        inp, table = inputs[i], tables[i]
        bounds = crs_mod.wkb_bounds(table.wkb)
        if not inp.crs_wkt:  # a CRS the user chose is theirs
            problem = crs_mod.check_crs(table.crs_wkt, bounds, hint_wkt, hint_bounds)
            if problem is not None:
                guess = problem.guess
                if guess is None or not guess.confident or guess.swapped or not guess.wkt:
                    raise InputError(tr("{}: {} Set the layer's CRS (Layer Properties → Source) and run again; "
                                        "nothing was changed.").format(table.name, problem.message))
                table.crs_wkt = guess.wkt
                notes.append(Note("crs_assumed", table.name, problem.message))
        if i == reference:
            hint_wkt, hint_bounds = table.crs_wkt, bounds
    return notes


# -- datums ---------------------------------------------------------------------------------------------
def to_cgcs2000(table: Table, datum: Optional[str]) -> Optional[Note]:
    """Move a layer digitised on a Chinese web map (GCJ-02 / BD-09) to CGCS2000, in place.

    Lon/lat layers become EPSG:4490; projected ones (e.g. Web Mercator) keep their CRS."""
    from ..china import datums
    if not datum or datum in (datums.WGS84, datums.CGCS2000):
        return None
    from pyproj import CRS, Transformer

    from .wkb import transform_xy
    src = CRS.from_wkt(table.crs_wkt) if table.crs_wkt else CRS.from_epsg(4326)
    if src.is_geographic:
        table.wkb = transform_xy(table.wkb, lambda x, y: datums.convert_xy(x, y, datum, datums.CGCS2000))
        table.crs_wkt = CRS.from_epsg(crs_mod.CGCS2000_GEOGRAPHIC).to_wkt()
    else:
        there = Transformer.from_crs(src, CRS.from_epsg(4326), always_xy=True)
        back = Transformer.from_crs(CRS.from_epsg(4326), src, always_xy=True)
        table.wkb = transform_xy(table.wkb, lambda x, y: back.transform(
            *datums.convert_xy(*there.transform(x, y), datum, datums.CGCS2000)))
    table.geometry_arrow = None
    return Note("datum", table.name, tr("{}: coordinates converted from {} to CGCS2000 before use").format(
        table.name, datum.upper()))


def encoding_notes(tables: Sequence[Table]) -> List[Note]:
    """How each table's text was decoded, and what garbled text was repaired or lost (encodings.TextRepair)."""
    return [Note("encoding", t.name, m) for t in tables
            for m in (t.encoding_note, t.text_repair.message if t.text_repair else "") if m]


# -- the division layer ---------------------------------------------------------------------------------
def division_code_notes(name: str, raw_codes: Sequence, usable: np.ndarray, length: int) -> List[Note]:
    """Rows whose code is not a `length`-digit code (their area codes nothing), and codes the national
    division table does not know or lists as outdated (a warning: the user's layer may be newer)."""
    notes = []
    for row in np.flatnonzero(~usable)[:MAX_NOTES_PER_KIND].tolist():
        notes.append(Note("division_code", name, tr("Division row {}: '{}' is not a {}-digit division code; "
                                                   "buildings in it are not coded").format(
            row + 1, "" if raw_codes[row] is None else raw_codes[row], length)))
    codes = sorted({str(c) for c, ok in zip(raw_codes, usable) if ok})
    if length in (6, 9, 12):
        from ..china.divisions import check_division_layer
        for row in check_division_layer(codes):
            if row.status in ("unknown", "outdated"):
                notes.append(Note("division_" + row.status, name, row.message))
    return notes


def coverage_notes(name: str, geoms: np.ndarray, codes: Sequence[str], to_layer_xy=None) -> List[Note]:
    """Gaps (holes enclosed by the divisions) and overlaps between divisions, with where they are.

    geoms are in a metric CRS; to_layer_xy maps a point back to the layer's own CRS for the message."""
    from .geometry import backend
    where = to_layer_xy or (lambda x, y: (x, y))
    notes = []

    def note(kind, x, y, area, message):
        x, y = where(x, y)
        notes.append(Note(kind, name, message.format(x=x, y=y, area=area),
                          x=round(float(x), 6), y=round(float(y), 6), area_m2=round(float(area), 2)))

    gaps, overlaps = backend().coverage(geoms, COVERAGE_SLIVER_M2, MAX_NOTES_PER_KIND)
    for x, y, area in gaps:
        note("gap", x, y, area, tr("Gap between divisions near x={x:.6g}, y={y:.6g} ({area:.0f} m²): "
                                   "buildings there are not coded"))
    for i, j, x, y, area in overlaps:
        note("overlap", x, y, area, tr("Divisions {} and {} overlap near x={{x:.6g}}, y={{y:.6g}} "
                                       "({{area:.0f}} m²): buildings there go to {}, the first in the layer")
             .format(codes[i], codes[j], codes[i]))
    return notes


# -- geometries -----------------------------------------------------------------------------------------
POINT_TYPES, LINE_TYPES = (1, 4), (2, 5, 8, 9, 11)   # WKB base types: points; lines and curves
COLLECTION = 7
SURVEY_CHUNK = 200_000


def geometry_survey(wkb: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
    """(WKB base type of each geometry, 0 where there is none; True where a coordinate is NaN or infinite).

    In numpy over the bytes: a little-endian double that is not finite has all exponent bits set (its last
    two bytes 0x7F/0xFF, 0xF·); only the geometries with such bytes somewhere are parsed to be sure."""
    from . import wkb as wkb_codec
    base = np.zeros(len(wkb), dtype=np.int64)
    bad = np.zeros(len(wkb), dtype=bool)
    present = np.flatnonzero(np.not_equal(wkb, None))
    for s in range(0, len(present), SURVEY_CHUNK):
        idx = present[s:s + SURVEY_CHUNK]
        items = [bytes(w) for w in wkb[idx]]
        lens = np.fromiter(map(len, items), dtype=np.int64, count=len(items))
        idx, items, lens = idx[lens >= 5], [w for w in items if len(w) >= 5], lens[lens >= 5]
        if not len(idx):
            continue
        blob = np.frombuffer(b"".join(items), dtype=np.uint8)
        starts = np.r_[0, np.cumsum(lens)[:-1]]
        little = blob[starts] == 1
        b = [blob[starts + k].astype(np.int64) for k in range(1, 5)]
        code = np.where(little, b[0] | b[1] << 8 | b[2] << 16 | b[3] << 24, b[3] | b[2] << 8 | b[1] << 16 | b[0] << 24)
        base[idx] = (code & 0x0FFFFFFF) % 1000
        high = np.flatnonzero(((blob[1:] & 0x7F) == 0x7F) & ((blob[:-1] & 0xF0) == 0xF0)) + 1
        suspect = np.zeros(len(idx), dtype=bool)
        suspect[np.searchsorted(starts, high, side="right") - 1] = True
        for k in np.flatnonzero(suspect | ~little).tolist():
            try:
                runs = wkb_codec._runs(wkb_codec.parse(items[k]))
            except (wkb_codec.WkbError, ValueError, IndexError):
                continue  # not WKB: the geometry backend reads it as none
            bad[idx[k]] = any(len(r) and not np.isfinite(r[:, :2]).all() for r in runs)
    return base, bad


def _ogr(data: bytes):
    from osgeo import ogr
    return ogr.CreateGeometryFromWkb(bytes(data))


def polygon_parts(data: bytes) -> bytes:
    """A geometry collection's polygons as one multipolygon (WKB); its points and lines are left out."""
    from osgeo import ogr
    out = ogr.Geometry(ogr.wkbMultiPolygon)
    g = _ogr(data)
    for k in range(g.GetGeometryCount()):
        part = g.GetGeometryRef(k)
        flat = ogr.GT_Flatten(part.GetGeometryType())
        if flat == ogr.wkbPolygon:
            out.AddGeometry(ogr.ForceTo(part.Clone(), ogr.wkbPolygon))
        elif flat in (ogr.wkbMultiPolygon, ogr.wkbGeometryCollection):
            inner = _ogr(polygon_parts(part.ExportToIsoWkb()))
            for j in range(inner.GetGeometryCount()):
                out.AddGeometry(inner.GetGeometryRef(j))
    return bytes(out.ExportToIsoWkb())


def midpoint(data: bytes) -> bytes:
    """The point halfway along a line (of a multi-line: along its longest part), as 2D WKB."""
    from osgeo import ogr
    g = ogr.ForceTo(_ogr(data), ogr.wkbMultiLineString)
    longest = max((g.GetGeometryRef(k) for k in range(g.GetGeometryCount())), key=lambda p: p.Length())
    half, run = longest.Length() / 2.0, 0.0
    for k in range(1, longest.GetPointCount()):
        (x0, y0), (x1, y1) = longest.GetPoint_2D(k - 1), longest.GetPoint_2D(k)
        step = ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5
        if run + step >= half and step > 0:
            t = (half - run) / step
            return bytes(ogr.CreateGeometryFromWkt("POINT ({!r} {!r})".format(x0 + t * (x1 - x0),
                                                                              y0 + t * (y1 - y0))).ExportToIsoWkb())
        run += step
    x, y = longest.GetPoint_2D(0)
    return bytes(ogr.CreateGeometryFromWkt("POINT ({!r} {!r})".format(x, y)).ExportToIsoWkb())


def settle_geometries(table: Table, buildings: bool = False, as_points: bool = False,
                      labels: Optional[Sequence] = None) -> Tuple[np.ndarray, List[Note]]:
    """Geometries the geometry engine must not see, settled in place before anything is computed.

    Non-finite coordinates (NaN, inf): that geometry is set aside (None) and named, the rest go on.
    Geometry collections: their polygon parts. Buildings that are points or lines: refused (InputError)
    unless `as_points`: then points as they are and lines by the point halfway along them (of a multi-line,
    along its longest part). labels: per row, how a note names it (e.g. the division code).
    Returns (True where the geometry was set aside for non-finite coordinates, notes)."""
    base, bad = geometry_survey(table.wkb)
    notes = []
    if bad.any():
        table.wkb = table.wkb.copy()
        table.wkb[bad] = None
        table.geometry_arrow = None
        for row in np.flatnonzero(bad)[:MAX_NOTES_PER_KIND].tolist():
            what = "" if labels is None else " ({})".format(labels[row])
            notes.append(Note("invalid_geometry", table.name, tr("{}: feature {}{} has coordinates that are not "
                                                                "numbers (NaN or infinite); it is left out").format(
                table.name, row + 1, what)))
    collections = np.flatnonzero((base == COLLECTION) & ~bad)
    if len(collections):
        table.wkb = table.wkb.copy()
        for i in collections.tolist():
            table.wkb[i] = polygon_parts(table.wkb[i])
        table.geometry_type, table.geometry_arrow = "Unknown", None
        notes.append(Note("collection", table.name, tr("{}: {} geometry collections; their polygons are used").format(
            table.name, len(collections))))
    if buildings:
        points, lines = np.isin(base, POINT_TYPES) & ~bad, np.isin(base, LINE_TYPES) & ~bad
        if (points | lines).any() and not as_points:
            raise InputError(tr("{}: {} point and {} line features; buildings are polygons. Choose a polygon "
                                "layer, or let CityCode code them as point features (parameter "
                                "NON_POLYGONS_AS_POINTS; lines by their midpoint). Nothing was changed.").format(
                table.name, int(points.sum()), int(lines.sum())))
        if lines.any():
            table.wkb = table.wkb.copy()
            for i in np.flatnonzero(lines).tolist():
                table.wkb[i] = midpoint(table.wkb[i])
            table.geometry_type, table.geometry_arrow = "Unknown", None
        if (points | lines).any():
            notes.append(Note("points", table.name, tr("{}: {} points and {} lines coded as point features (a line "
                                                       "by the point halfway along it)").format(
                table.name, int(points.sum()), int(lines.sum()))))
    return bad, notes


def missing_table(inp: LayerInput) -> Optional[str]:
    """The shapefile of `inp` when its attribute table (.dbf) is missing (its features then have no ids)."""
    path = inp.path
    if path is None and hasattr(inp.source, "source"):
        path = inp.source.source().split("|")[0]
    if not path or not path.lower().endswith(".shp") or not os.path.exists(path):
        return None
    folder, name = os.path.split(os.path.abspath(path))
    stem = os.path.splitext(name)[0].lower()
    return None if any(f.lower() == stem + ".dbf" for f in os.listdir(folder)) else path


def merge_same_codes(name: str, codes: np.ndarray, geoms: np.ndarray, rows: np.ndarray, boxes: np.ndarray, g):
    """Division polygons sharing one code become one division (one sequence): (codes, geoms, notes), each code
    once. rows: each polygon's row in the layer; boxes: its bounds in the layer's CRS, for the note."""
    found, first, count = np.unique(codes, return_index=True, return_counts=True)
    twice = [c for c, n in zip(found.tolist(), count.tolist()) if n > 1 and c != ""]
    if not twice:
        return codes, geoms, []
    keep = np.unique(np.r_[first, np.flatnonzero(codes == "")])
    codes_out, geoms_out, notes = codes[keep], geoms[keep].copy(), []
    for code in twice:
        sel = np.flatnonzero(codes == code)
        geoms_out[np.flatnonzero(codes_out == code)[0]] = g.union(geoms[sel])
        b = boxes[sel]
        notes.append(Note("division_duplicate", name, tr(
            "Division code {} is on {} polygons (rows {}; together x {:.6g}–{:.6g}, y {:.6g}–{:.6g}): they are coded "
            "as one division, with one sequence").format(
            code, len(sel), ", ".join(str(r + 1) for r in rows[sel].tolist()), np.nanmin(b[:, 0]),
            np.nanmax(b[:, 2]), np.nanmin(b[:, 1]), np.nanmax(b[:, 3]))))
    return codes_out, geoms_out, notes
