"""The CRS and datum the coordinates of a file are in, and projected (Gauss-Krüger) metres to CGCS2000
longitude/latitude.

The datum is chosen, or inferred: the layer's CRS, a hint in the header or the file name (高德/GCJ-02,
百度/BD-09, WGS84, CGCS2000), else CGCS2000 assumed; every guess says why in a note.
"""
import os
import re
from typing import Optional, Sequence, Tuple

import numpy as np

from ..china import crs as crs_mod
from ..china import datums
from ..engine.layers import InputError
from ..i18n import tr
from .columns import DETECT_SAMPLE, ColumnGuess, coordinate_names, surveying_note
from .coordinates import CHINA_LAT, CHINA_LON, DECIMAL, PROJECTED_MIN, parse_column, to_floats
from .tables import RowSource, name_key

# Datum hints in header or file names, checked in this order.
DATUM_HINTS = (
    (datums.BD09, re.compile(r"bd-?09|百度|baidu")),
    (datums.GCJ02, re.compile(r"gcj|高德|火星|腾讯|amap|gaode|autonavi")),
    (datums.CGCS2000, re.compile(r"cgcs|2000国家大地|国家2000|2000坐标")),
    (datums.WGS84, re.compile(r"wgs-?84")),
)


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
        t = name_key(text)
        for datum, pattern in DATUM_HINTS:
            if pattern.search(t):
                found.setdefault(datum, text)
                break
    if len({datums.WGS84 if d == datums.CGCS2000 else d for d in found}) == 1:
        datum = next(iter(found))
        return datum, found[datum]
    return None, ""


def datum_of_crs(crs_wkt: str) -> Optional[str]:
    """CGCS2000 or WGS84 when the CRS is on either, else None."""
    from pyproj import CRS
    crs = CRS.from_wkt(crs_wkt)
    geodetic = crs.geodetic_crs
    name = geodetic.datum.name if geodetic is not None else ""
    if "China 2000" in name:
        return datums.CGCS2000
    if "World Geodetic System 1984" in name or "WGS" in name:
        return datums.WGS84
    return None


def datum_label(datum: str) -> str:
    return {datums.WGS84: "WGS84", datums.CGCS2000: "CGCS2000", datums.GCJ02: "GCJ-02", datums.BD09: "BD-09"}[datum]


def choose_datum(datum: Optional[str], src: RowSource, crs_datum: Optional[str]) -> Tuple[str, str]:
    """The datum of the source coordinates and a note saying why: chosen; the CRS's when it is CGCS2000 (or
    WGS84 with nothing saying otherwise); a hint in the header, else in the file or layer name; else CGCS2000."""
    if datum:
        used = datum_name(datum)
        return used, tr("Datum: {} (chosen)").format(datum_label(used))
    hint, text = datum_hint(src.header)
    if hint is None:
        hint, text = datum_hint([os.path.splitext(os.path.basename(src.path))[0], src.layer or ""])
    if crs_datum == datums.CGCS2000 or (crs_datum and not hint):
        return crs_datum, tr("Datum: {} (from the CRS)").format(datum_label(crs_datum))
    if hint:
        why = tr("Datum: {} (the name '{}' says so)").format(datum_label(hint), text)
        if crs_datum == datums.WGS84 and hint in (datums.GCJ02, datums.BD09):
            why += " " + tr("— its CRS says WGS84, as web-map data often does")
        return hint, why
    return datums.CGCS2000, tr("Datum: CGCS2000 assumed (nothing in the file says otherwise); choose GCJ-02 for "
                               "AMap/Tencent coordinates, BD-09 for Baidu")


# -- coordinates in metres ------------------------------------------------------------------------------------
def in_metres(xs, ys) -> bool:
    """The values of either axis are beyond any degree: metres."""
    step = max(1, len(xs) // DETECT_SAMPLE)  # a sample spread over the file tells
    for values in (xs[::step], ys[::step]):
        numbers, _ = to_floats(values)
        if np.isfinite(numbers).any() and np.nanmedian(np.abs(numbers)) > PROJECTED_MIN:
            return True
    return False


def crs_from(text):
    from pyproj import CRS
    try:
        return CRS.from_user_input(int(text) if str(text).isdigit() else text)
    except Exception as e:  # noqa: BLE001 - pyproj's CRSError
        raise InputError(tr("Unknown CRS '{}': {}").format(text, e)) from None


def is_projected(crs_wkt: str) -> bool:
    return crs_from(crs_wkt).is_projected


def unproject(xs, ys, cols: ColumnGuess, crs_text: Optional[str]):
    """Metre coordinates → CGCS2000 lon/lat, in the CRS given, else the one their values show (crs.infer_crs).
    (lon, lat, checks, source CRS WKT, its EPSG code, notes)."""
    from pyproj import CRS, Transformer
    xname, yname = coordinate_names(cols)
    px = parse_column(xs, None, DECIMAL, ranges=False)
    py = parse_column(ys, None, DECIMAL, ranges=False)
    notes = []
    if crs_text:
        source = crs_from(crs_text)
        notes.append(tr("CRS: {}").format(crs_mod.crs_label(source.to_wkt())))
    else:
        ok = np.isfinite(px.values) & np.isfinite(py.values)
        bounds = (px.values[ok].min(), py.values[ok].min(), px.values[ok].max(), py.values[ok].max()) \
            if ok.any() else None
        guess = crs_mod.infer_crs(bounds)
        if guess.swapped and guess.epsg:
            px, py, xname, yname, xs, ys = py, px, yname, xname, ys, xs
            notes.append(surveying_note(xname, yname))
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
