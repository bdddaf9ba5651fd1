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
from dataclasses import asdict, dataclass
from typing import List, Optional, Sequence

import numpy as np

from . import crs as crs_mod
from .i18n import tr
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
    from . import datums
    if not datum or datum in (datums.WGS84, datums.CGCS2000):
        return None
    import shapely
    from pyproj import CRS, Transformer
    geoms = shapely.from_wkb(table.wkb, on_invalid="ignore")
    src = CRS.from_wkt(table.crs_wkt) if table.crs_wkt else CRS.from_epsg(4326)
    if src.is_geographic:
        moved = datums.convert_geometries(geoms, datum, datums.CGCS2000)
        table.crs_wkt = CRS.from_epsg(crs_mod.CGCS2000_GEOGRAPHIC).to_wkt()
    else:
        there = Transformer.from_crs(src, CRS.from_epsg(4326), always_xy=True)
        back = Transformer.from_crs(CRS.from_epsg(4326), src, always_xy=True)
        lonlat = shapely.transform(geoms, lambda xy: np.column_stack(there.transform(xy[:, 0], xy[:, 1])))
        moved = datums.convert_geometries(lonlat, datum, datums.CGCS2000)
        moved = shapely.transform(moved, lambda xy: np.column_stack(back.transform(xy[:, 0], xy[:, 1])))
    table.wkb = np.asarray(shapely.to_wkb(moved, include_srid=False), dtype=object)
    table.wkb[shapely.is_missing(moved)] = None
    table.geometry_arrow = None
    return Note("datum", table.name, tr("{}: coordinates converted from {} to CGCS2000 before use").format(
        table.name, datum.upper()))


def encoding_notes(tables: Sequence[Table]) -> List[Note]:
    return [Note("encoding", t.name, t.encoding_note) for t in tables if t.encoding_note]


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
        from .divisions import check_division_layer
        for row in check_division_layer(codes):
            if row.status in ("unknown", "outdated"):
                notes.append(Note("division_" + row.status, name, row.message))
    return notes


def coverage_notes(name: str, geoms: np.ndarray, codes: Sequence[str], to_layer_xy=None) -> List[Note]:
    """Gaps (holes enclosed by the divisions) and overlaps between divisions, with where they are.

    geoms are in a metric CRS; to_layer_xy maps a point back to the layer's own CRS for the message."""
    import shapely
    notes = []
    union = shapely.union_all(geoms)
    where = to_layer_xy or (lambda x, y: (x, y))

    def note(kind, piece, message):
        p = shapely.point_on_surface(piece)
        x, y = where(shapely.get_x(p), shapely.get_y(p))
        notes.append(Note(kind, name, message.format(x=x, y=y, area=shapely.area(piece)),
                          x=round(float(x), 6), y=round(float(y), 6), area_m2=round(float(shapely.area(piece)), 2)))

    for poly in shapely.get_parts(union):
        for k in range(shapely.get_num_interior_rings(poly)):
            hole = shapely.polygons(shapely.get_interior_ring(poly, k))
            if shapely.area(hole) > COVERAGE_SLIVER_M2 and len(notes) < MAX_NOTES_PER_KIND:
                note("gap", hole, tr("Gap between divisions near x={x:.6g}, y={y:.6g} ({area:.0f} m²): "
                                     "buildings there are not coded"))
    if shapely.area(geoms).sum() - shapely.area(union) > COVERAGE_SLIVER_M2:
        a, b = shapely.STRtree(geoms).query(geoms, predicate="overlaps")
        for i, j in zip(a.tolist(), b.tolist()):
            if i < j and sum(n.kind == "overlap" for n in notes) < MAX_NOTES_PER_KIND:
                piece = shapely.intersection(geoms[i], geoms[j])
                if shapely.area(piece) > COVERAGE_SLIVER_M2:
                    note("overlap", piece, tr("Divisions {} and {} overlap near x={{x:.6g}}, y={{y:.6g}} "
                                              "({{area:.0f}} m²): buildings there go to {}, the first in the layer")
                         .format(codes[i], codes[j], codes[i]))
    return notes
