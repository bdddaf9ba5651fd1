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
        from .divisions import check_division_layer
        for row in check_division_layer(codes):
            if row.status in ("unknown", "outdated"):
                notes.append(Note("division_" + row.status, name, row.message))
    return notes


def coverage_notes(name: str, geoms: np.ndarray, codes: Sequence[str], to_layer_xy=None) -> List[Note]:
    """Gaps (holes enclosed by the divisions) and overlaps between divisions, with where they are.

    geoms are in a metric CRS; to_layer_xy maps a point back to the layer's own CRS for the message."""
    from .geometry_backend import backend
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
