"""Coordinate systems of Chinese data: the CGCS2000 family, guessing a missing CRS, spotting a wrong one,
and the CRS areas are computed in.

The CGCS2000 family (EPSG):
- EPSG:4490: geographic, longitude/latitude in degrees;
- 3° Gauss-Krüger zones 25-45 (central meridian 3 × zone, 75°E-135°E): with the zone number as prefix
  of x (false easting zone × 1 000 000 + 500 000) EPSG:4513-4533, without it (false easting 500 000)
  EPSG:4534-4554;
- 6° Gauss-Krüger zones 13-23 (central meridian 6 × zone - 3): with prefix EPSG:4491-4501, without
  EPSG:4502-4512. A 6° zone without prefix is the same projection as the 3° zone without prefix on the
  same central meridian.
A Gauss-Krüger CRS is recognised by its projection parameters, not only by its EPSG code: QGIS's WKT of
these CRSs carries no code.

Guessing a CRS from coordinates (`infer_crs`): longitudes/latitudes in China → EPSG:4490; x starting with
a zone number → that 3° (25-45) or 6° (13-23) zone with prefix, when x lies within the zone's reach of
its central meridian; metres without prefix fit every zone alike, so the zone comes from another layer
of the same job (where it lies, else its CRS) or is left to the user; Web Mercator metres over China →
EPSG:3857 (its x overlap those of 6° zones 13-15 with prefix: the other layer decides, else the user).
Beijing 1954 and Xian 1980 coordinates look the same as CGCS2000 ones (up to
about 100 m apart): CGCS2000 is assumed and the message says so. Swapped axes are reported, never
swapped silently.

Areas (`area_crs_wkt`) are computed in the data's own CRS when it is projected and keeps areas true
near the data (area scale within 2 % of 1 at the data's centre, as in Gauss-Krüger, UTM and equal-area
CRSs); otherwise (geographic data, Web Mercator) in the CGCS2000 3° Gauss-Krüger zone without prefix
whose central meridian is nearest the data's centre (EPSG:4534-4554). Other layers are reprojected to
it. Data without any CRS is measured in its own coordinates.
"""
from dataclasses import dataclass
from functools import lru_cache
from typing import List, Optional, Sequence, Tuple

import numpy as np

from ..i18n import tr

Bounds = Tuple[float, float, float, float]  # xmin, ymin, xmax, ymax; x = easting or longitude

CGCS2000_GEOGRAPHIC = 4490
WEB_MERCATOR = 3857


@dataclass(frozen=True)
class GkFamily:
    """CGCS2000 Gauss-Krüger zones of one width, with or without the zone number as prefix of x."""
    width: int        # degrees of longitude per zone
    prefixed: bool
    first_epsg: int
    first_zone: int
    last_zone: int

    def zones(self) -> range:
        return range(self.first_zone, self.last_zone + 1)

    def central_meridian(self, zone: int) -> int:
        return self.width * zone - (3 if self.width == 6 else 0)

    def false_easting(self, zone: int) -> float:
        return zone * 1e6 + 5e5 if self.prefixed else 5e5

    def epsg(self, zone: int) -> int:
        return self.first_epsg + zone - self.first_zone

    def zone_of_epsg(self, epsg: int) -> Optional[int]:
        zone = epsg - self.first_epsg + self.first_zone
        return zone if zone in self.zones() else None

    def zone_of_meridian(self, cm: float) -> Optional[int]:
        return next((z for z in self.zones() if self.central_meridian(z) == cm), None)


GK3_PREFIXED = GkFamily(3, True, 4513, 25, 45)
GK3 = GkFamily(3, False, 4534, 25, 45)
GK6_PREFIXED = GkFamily(6, True, 4491, 13, 23)
GK6 = GkFamily(6, False, 4502, 13, 23)
GK_FAMILIES = (GK3_PREFIXED, GK3, GK6_PREFIXED, GK6)

# EPSG's area for CGCS2000 ends at 16.7°N; the South China Sea islands reach 3.9°N.
CHINA_LONLAT = (73.0, 3.0, 136.0, 54.0)
CHINESE_DATUMS = ("China 2000", "Beijing 1954", "Xian 1980", "New Beijing")
# Gauss-Krüger northings of latitudes 3°N-54°N.
NORTHING = (3.0e5, 6.0e6)
# How far x may lie from a zone's central meridian: a zone spans at most 167 km (3°) / 334 km (6°) to
# either side in China; the rest is room for data spilling over the zone's edge.
EASTING_REACH = {3: 3.0e5, 6: 4.0e5}
# Data this far (degrees) outside a CRS's area of use is implausible in it.
AREA_MARGIN_DEG = 3.0
ZONE_MARGIN_DEG = 1.0
# A candidate zone "puts the data on the other layer" when the data's centre is this close to it.
HINT_MARGIN_DEG = 0.5
AREA_SCALE_TOLERANCE = 0.02


@dataclass(frozen=True)
class CrsGuess:
    """What the coordinates say about their CRS. epsg None: no guess (see candidates and message)."""
    epsg: Optional[int]
    wkt: Optional[str]
    message: str                    # translated: what was assumed, from which evidence
    confident: bool                 # False: ask the user (ambiguous, swapped axes, or no guess)
    candidates: Tuple[int, ...] = ()  # every EPSG code the coordinates fit
    swapped: bool = False           # fits only with x and y exchanged: the data must be fixed first

    @property
    def ambiguous(self) -> bool:
        return self.epsg is None and len(self.candidates) > 1


@dataclass(frozen=True)
class CrsProblem:
    """A declared CRS the coordinates do not fit."""
    kind: str   # missing, unreadable, swapped, not_degrees, prefix_missing, prefix_mismatch,
    #             prefix_unexpected, off_zone, outside_area
    message: str  # translated: what does not fit, then the guess's message
    guess: CrsGuess


@dataclass(frozen=True)
class _Gk:
    """Gauss-Krüger parameters read from a CRS (any datum)."""
    cm: float
    prefix: Optional[int]  # zone number carried by x, None without prefix
    width: int
    cgcs2000: bool

    @property
    def family(self) -> GkFamily:
        return {(3, True): GK3_PREFIXED, (3, False): GK3, (6, True): GK6_PREFIXED, (6, False): GK6}[
            (self.width, self.prefix is not None)]

    @property
    def cgcs2000_epsg(self) -> Optional[int]:
        """EPSG code of the CGCS2000 CRS with this projection."""
        zone = self.prefix or self.family.zone_of_meridian(self.cm)
        return self.family.epsg(zone) if zone in self.family.zones() else None


# -- public helpers ---------------------------------------------------------------------------------
def gk3_zone_epsg(longitude: float) -> int:
    """EPSG code of the CGCS2000 3° Gauss-Krüger zone (no zone prefix) for a longitude."""
    zone = min(max(int(round(longitude / 3.0)), GK3.first_zone), GK3.last_zone)
    return GK3.epsg(zone)


def wkb_bounds(wkb: np.ndarray, limit: Optional[int] = 10000) -> Optional[Bounds]:
    """Bounds of the first `limit` geometries (None: all); None when there is no geometry."""
    from ..engine.wkb import bounds_many
    present = wkb[np.not_equal(wkb, None)]
    b = bounds_many(present[:limit] if limit else present)
    if not np.isfinite(b).all(axis=1).any():
        return None
    return (float(np.nanmin(b[:, 0])), float(np.nanmin(b[:, 1])), float(np.nanmax(b[:, 2])),
            float(np.nanmax(b[:, 3])))


def crs_label(crs_wkt: str) -> str:
    """'name (EPSG:n)' for messages and reports."""
    return _label(_crs(crs_wkt))


def area_crs_wkt(crs_wkt: Optional[str], wkb: np.ndarray) -> Optional[str]:
    """The CRS to compute areas in for data in `crs_wkt` (None: no CRS, the coordinates are used as they are)."""
    if not crs_wkt:
        return None
    crs = _crs(crs_wkt)
    if crs.is_projected and _gk_params(crs):
        return crs_wkt
    b = wkb_bounds(wkb)
    lonlat = _to_lonlat(crs, b) if b else None
    if crs.is_projected and (lonlat is None or _keeps_areas(crs, lonlat)):
        return crs_wkt
    centre = (lonlat[0] + lonlat[2]) / 2 if lonlat else 117.0
    return _epsg_crs(gk3_zone_epsg(centre)).to_wkt()


def infer_crs(bounds: Optional[Sequence[float]], hint_crs_wkt: Optional[str] = None,
              hint_bounds: Optional[Sequence[float]] = None) -> CrsGuess:
    """Guess the CRS of data with these bounds.

    hint_crs_wkt / hint_bounds: another layer of the same job (e.g. the divisions) — its CRS, and where
    it lies in that CRS; they decide between zones that the coordinates alone cannot tell apart.
    """
    b = _bounds(bounds)
    if b is None:
        return CrsGuess(None, None, tr("The layer has no coordinates to tell its CRS from."), False)
    guess = _infer(b, hint_crs_wkt, hint_bounds, mercator=True)
    if guess.candidates:
        return guess
    swapped = _infer((b[1], b[0], b[3], b[2]), hint_crs_wkt, hint_bounds, mercator=False)
    if swapped.candidates:
        message = tr("x {x} look like northings or latitudes and y {y} like eastings or longitudes: the axes "
                     "are swapped in the data. Swap them first (Processing: Swap X and Y coordinates); "
                     "nothing was changed. After swapping: {rest}").format(
            x=_span(b[0], b[2]), y=_span(b[1], b[3]), rest=swapped.message)
        return CrsGuess(swapped.epsg, swapped.wkt, message, False, swapped.candidates, swapped=True)
    return guess


def check_crs(crs_wkt: Optional[str], bounds: Optional[Sequence[float]], hint_crs_wkt: Optional[str] = None,
              hint_bounds: Optional[Sequence[float]] = None) -> Optional[CrsProblem]:
    """None when the declared CRS is plausible for these bounds, else what is wrong and the inferred alternative."""
    b = _bounds(bounds)
    if b is None:
        return None
    guess = infer_crs(b, hint_crs_wkt, hint_bounds)
    if not crs_wkt:
        return CrsProblem("missing", tr("The layer has no CRS.") + " " + guess.message, guess)
    try:
        crs = _crs(crs_wkt)
    except Exception:  # noqa: BLE001 - pyproj's CRSError; an unreadable CRS is as good as none
        return CrsProblem("unreadable", tr("The layer's CRS cannot be read.") + " " + guess.message, guess)
    found = _problem(crs, b, guess)
    if found is None:
        return None
    kind, text = found
    return CrsProblem(kind, text + " " + guess.message, guess)


# -- inference --------------------------------------------------------------------------------------
def _infer(b: Bounds, hint_crs_wkt, hint_bounds, mercator: bool) -> CrsGuess:
    x, y = _span(b[0], b[2]), _span(b[1], b[3])
    candidates = _candidates(b, mercator)
    if not candidates:
        p0, p1 = int(b[0] // 1e6), int(b[2] // 1e6)
        if p0 != p1 and all(_prefix_family(p) for p in (p0, p1)) and _northing_ok(b):
            text = tr("x {x} starts with different zone numbers ({first} to {last}): the layer mixes "
                      "Gauss-Krüger zones, which no single CRS can hold.").format(x=x, first=p0, last=p1)
        else:
            text = tr("x {x} and y {y} fit no CGCS2000 coordinate system nor Web Mercator (a local city grid?). "
                      "Set the layer's CRS.").format(x=x, y=y)
        return CrsGuess(None, None, text, False)
    if len(candidates) == 1:
        return _guess(candidates[0], _evidence(candidates[0], b), True, candidates)
    chosen, why = _resolve(candidates, b, hint_crs_wkt, hint_bounds)
    unprefixed = all(_unprefixed_gk(e) for e in candidates)
    if chosen is not None:
        evidence = (tr("x {x} and y {y} are Gauss-Krüger metres without zone prefix; {why}") if unprefixed else
                    tr("x {x} and y {y} fit several coordinate systems; {why}")).format(x=x, y=y, why=why)
        return _guess(chosen, evidence, True, candidates)
    if unprefixed:
        text = tr("x {x} and y {y} are Gauss-Krüger metres without zone prefix, which do not tell the zone "
                  "(central meridian). Choose the CRS: the CGCS2000 zones without prefix are EPSG:{gk3} (3°) "
                  "and EPSG:{gk6} (6°), central meridians 75°E-135°E.").format(
            x=x, y=y, gk3=_epsg_range(GK3), gk6=_epsg_range(GK6))
    else:
        text = tr("x {x} and y {y} fit several coordinate systems: {crss}. Choose the CRS.").format(
            x=x, y=y, crss="; ".join(_label(_epsg_crs(e)) for e in candidates))
    return CrsGuess(None, None, text, False, tuple(candidates))


def _candidates(b: Bounds, mercator: bool) -> List[int]:
    if _inside(b, CHINA_LONLAT):
        return [CGCS2000_GEOGRAPHIC]
    out = []
    if _northing_ok(b):
        p0, p1 = int(b[0] // 1e6), int(b[2] // 1e6)
        for fam in GK_FAMILIES:
            reach = EASTING_REACH[fam.width]
            if fam.prefixed:
                if p0 == p1 and p0 in fam.zones() and _easting_ok(b, fam.false_easting(p0), reach) \
                        and (fam.width == 3 or _in_zone_area(fam.epsg(p0), b)):
                    out.append(fam.epsg(p0))
            elif _easting_ok(b, 5e5, reach):
                out.extend(fam.epsg(z) for z in fam.zones())
    if mercator and b[0] > 0:
        lonlat = _to_lonlat(_epsg_crs(WEB_MERCATOR), b)
        if lonlat and _inside(lonlat, CHINA_LONLAT):
            out.append(WEB_MERCATOR)
    return out


def _resolve(candidates: List[int], b: Bounds, hint_crs_wkt, hint_bounds) -> Tuple[Optional[int], str]:
    """The one candidate another layer points at: by where it lies (the layers of a job overlap), else by
    its CRS (the same zone)."""
    try:
        hint = _crs(hint_crs_wkt) if hint_crs_wkt else None
    except Exception:  # noqa: BLE001 - an unreadable hint is no hint
        hint = None
    if hint is None:
        return None, ""
    hint_epsg, gk = _epsg_of(hint), _gk_params(hint)

    def prefer(same):  # among candidates with one projection: the hint's own, its family's, else 3°
        return next((e for e in same if e == hint_epsg), None) or \
            next((e for e in same if gk and _gk_params(_epsg_crs(e)).width == gk.width), None) or \
            next((e for e in same if GK3.zone_of_epsg(e)), same[0])

    hb = _bounds(hint_bounds)
    area = _to_lonlat(hint, hb) if hb else None
    if area is not None:
        on_it = []
        for e in candidates:
            lonlat = _to_lonlat(_epsg_crs(e), b)
            centre = ((lonlat[0] + lonlat[2]) / 2, (lonlat[1] + lonlat[3]) / 2) if lonlat else None
            if centre and _inside(centre * 2, area, HINT_MARGIN_DEG):
                on_it.append(e)
        if len({_projection_key(e) for e in on_it}) == 1:
            chosen = prefer(on_it)
            return chosen, tr("only {crs} puts the data on the other layer ({lon}°E, {lat}°N)").format(
                crs=_label(_epsg_crs(chosen)), lon=_span(area[0], area[2]), lat=_span(area[1], area[3]))
    if hint_epsg in candidates:
        return hint_epsg, tr("the other layer's CRS is {crs}").format(crs=_label(hint))
    same = [e for e in candidates if gk and _unprefixed_gk(e) and _projection_key(e)[0] == gk.cm]
    if same:
        return prefer(same), tr("the other layer's CRS ({crs}) has central meridian {cm}°E").format(
            crs=_label(hint), cm=_num(gk.cm))
    return None, ""


def _evidence(epsg: int, b: Bounds) -> str:
    x, y = _span(b[0], b[2]), _span(b[1], b[3])
    if epsg == CGCS2000_GEOGRAPHIC:
        return tr("x {x} and y {y} are longitudes and latitudes in China").format(x=x, y=y)
    if epsg == WEB_MERCATOR:
        return tr("x {x} and y {y} are Web Mercator metres over China").format(x=x, y=y)
    gk = _gk_params(_epsg_crs(epsg))
    return tr("x {x} starts with {zone}, the number of a {width}° Gauss-Krüger zone (central meridian {cm}°E), "
              "and y {y} are northings in China").format(x=x, y=y, zone=gk.prefix, width=gk.width, cm=_num(gk.cm))


def _guess(epsg: int, evidence: str, confident: bool, candidates) -> CrsGuess:
    crs = _epsg_crs(epsg)
    text = tr("{evidence}: assumed {crs}.").format(evidence=evidence, crs=_label(crs))
    if epsg == WEB_MERCATOR:
        text += " " + tr("Coordinates from Chinese web maps are usually GCJ-02 (Baidu: BD-09), up to several "
                         "hundred metres off CGCS2000: check the alignment against a trusted layer.")
    else:
        text += " " + tr("Beijing 1954 and Xian 1980 coordinates look the same but lie up to about 100 m away; "
                         "CGCS2000 is assumed.")
    return CrsGuess(epsg, crs.to_wkt(), text, confident, tuple(candidates))


# -- checking a declared CRS ------------------------------------------------------------------------
def _problem(crs, b: Bounds, guess: CrsGuess) -> Optional[Tuple[str, str]]:
    name, x, y = _label(crs), _span(b[0], b[2]), _span(b[1], b[3])
    swapped = (b[1], b[0], b[3], b[2])
    swap_text = tr("{crs} fits x {x} and y {y} only with x and y exchanged.").format(crs=name, x=x, y=y)
    gk = _gk_params(crs)
    if crs.is_geographic:
        if _inside(swapped, CHINA_LONLAT) and not _inside(b, CHINA_LONLAT):
            return "swapped", swap_text
        if not _inside(b, (-180.0, -90.0, 180.0, 90.0)):
            return "not_degrees", tr("{crs} is in degrees, but x {x} and y {y} are not longitudes and "
                                     "latitudes.").format(crs=name, x=x, y=y)
    elif gk:
        fe, reach = (gk.prefix or 0) * 1e6 + 5e5, EASTING_REACH[gk.width]
        if _northing_ok(b) and _easting_ok(b, fe, reach):
            return None
        if _northing_ok(swapped) and _easting_ok(swapped, fe, reach):
            return "swapped", swap_text
        p0, p1 = int(b[0] // 1e6), int(b[2] // 1e6)
        if gk.prefix and b[2] < 1e6:
            return "prefix_missing", tr("{crs} expects x to start with the zone number {zone}, but x {x} has no "
                                        "zone prefix.").format(crs=name, zone=gk.prefix, x=x)
        if gk.prefix and (p0, p1) != (gk.prefix, gk.prefix) and b[0] >= 1e6:
            return "prefix_mismatch", tr("{crs} is zone {zone}, but x {x} starts with {found}.").format(
                crs=name, zone=gk.prefix, x=x, found=p0 if p0 == p1 else "{}-{}".format(p0, p1))
        if not gk.prefix and b[0] >= 1e7:
            return "prefix_unexpected", tr("{crs} has no zone prefix, but x {x} starts with a zone number "
                                           "({found}).").format(crs=name, x=x, found=p0)
        return "off_zone", tr("In {crs}, x {x} and y {y} lie too far from the central meridian {cm}°E or "
                              "outside China.").format(crs=name, x=x, y=y, cm=_num(gk.cm))
    lonlat = _to_lonlat(crs, b)
    if lonlat is None:
        return "outside_area", tr("In {crs}, x {x} and y {y} are not on the earth.").format(crs=name, x=x, y=y)
    area = _area_of_use(crs)
    where = dict(crs=name, x=x, y=y, lon=_span(lonlat[0], lonlat[2]), lat=_span(lonlat[1], lonlat[3]))
    if area and not _inside(lonlat, area, AREA_MARGIN_DEG):
        return "outside_area", tr("In {crs}, x {x} and y {y} lie at {lon}°E, {lat}°N, far outside the area "
                                  "the CRS is made for.").format(**where)
    if guess.confident and not _inside(lonlat, CHINA_LONLAT, AREA_MARGIN_DEG):
        return "outside_area", tr("In {crs}, x {x} and y {y} lie at {lon}°E, {lat}°N, outside China.").format(**where)
    return None


# -- small pieces -----------------------------------------------------------------------------------
@lru_cache(maxsize=64)
def _crs(text: str):
    from pyproj import CRS
    return CRS.from_user_input(text)


@lru_cache(maxsize=128)
def _epsg_crs(epsg: int):
    from pyproj import CRS
    return CRS.from_epsg(epsg)


def _epsg_of(crs) -> Optional[int]:
    gk = _gk_params(crs)
    if gk and gk.cgcs2000:
        return gk.cgcs2000_epsg
    return crs.to_epsg(min_confidence=70)


def _label(crs) -> str:
    epsg = _epsg_of(crs)
    return "{} (EPSG:{})".format(crs.name, epsg) if epsg else crs.name


def _gk_params(crs) -> Optional[_Gk]:
    """The Gauss-Krüger parameters of a projected CRS: transverse Mercator, scale 1 on the central meridian,
    false easting 500 000 m with or without a zone-number prefix."""
    op = crs.coordinate_operation if crs.is_projected else None
    if op is None or op.method_name.lower() != "transverse mercator" or crs.axis_info[0].unit_name != "metre":
        return None
    p = {q.name.lower(): q.value for q in op.params}
    origin = (p.get("latitude of natural origin"), p.get("scale factor at natural origin"), p.get("false northing"))
    if origin != (0, 1, 0):
        return None
    prefix, rest = divmod(p.get("false easting", 0.0), 1e6)
    cm = p.get("longitude of natural origin")
    if rest != 5e5 or cm is None:
        return None
    prefix = int(prefix) or None
    if prefix:
        width = 3 if cm == 3 * prefix else 6 if cm == 6 * prefix - 3 else None
        if width is None:
            return None
    else:  # 6° meridians are 3° meridians too: only the name tells the families apart
        width = 6 if cm % 6 == 3 and "3-degree" not in crs.name else 3
    return _Gk(cm=cm, prefix=prefix, width=width, cgcs2000=crs.datum.name == "China 2000")


def _epsg_range(family: GkFamily) -> str:
    return "{}-{}".format(family.first_epsg, family.epsg(family.last_zone))


def _unprefixed_gk(epsg: int) -> bool:
    return any(not f.prefixed and f.zone_of_epsg(epsg) for f in GK_FAMILIES)


def _projection_key(epsg: int):
    """Equal for CRSs whose coordinates mean the same (a 3° and a 6° zone on one meridian)."""
    gk = _gk_params(_epsg_crs(epsg))
    return (gk.cm, gk.prefix) if gk else (None, epsg)


def _prefix_family(prefix: int) -> Optional[GkFamily]:
    return next((f for f in (GK3_PREFIXED, GK6_PREFIXED) if prefix in f.zones()), None)


def _in_zone_area(epsg: int, b: Bounds) -> bool:
    """Within the zone's area of use (1° margin): the x of 6° zones 13-15 with prefix overlap Web Mercator's
    over eastern China, and the zones cover only China's far west."""
    crs = _epsg_crs(epsg)
    lonlat = _to_lonlat(crs, b)
    return lonlat is not None and _inside(lonlat, crs.area_of_use.bounds, ZONE_MARGIN_DEG)


def _northing_ok(b: Bounds) -> bool:
    return NORTHING[0] <= b[1] and b[3] <= NORTHING[1]


def _easting_ok(b: Bounds, false_easting: float, reach: float) -> bool:
    return false_easting - reach <= b[0] and b[2] <= false_easting + reach


def _inside(b: Bounds, box: Sequence[float], margin: float = 0.0) -> bool:
    return (box[0] - margin <= b[0] and b[2] <= box[2] + margin
            and box[1] - margin <= b[1] and b[3] <= box[3] + margin)


def _bounds(bounds) -> Optional[Bounds]:
    if bounds is None:
        return None
    b = tuple(float(v) for v in bounds)
    return b if len(b) == 4 and all(np.isfinite(b)) and b[0] <= b[2] and b[1] <= b[3] else None


def _to_lonlat(crs, b: Bounds) -> Optional[Bounds]:
    """The box around b's corners, edge midpoints and centre in longitude/latitude; None off the earth."""
    if crs.is_geographic:
        return b if _inside(b, (-180.0, -90.0, 180.0, 90.0)) else None
    t = _to_geodetic(crs)
    xs, ys = np.meshgrid([b[0], (b[0] + b[2]) / 2, b[2]], [b[1], (b[1] + b[3]) / 2, b[3]])
    lon, lat = t.transform(xs.ravel(), ys.ravel(), errcheck=False)
    lon, lat = np.asarray(lon), np.asarray(lat)
    if not (np.all(np.isfinite(lon)) and np.all(np.isfinite(lat)) and np.all(np.abs(lat) <= 90)):
        return None
    return float(lon.min()), float(lat.min()), float(lon.max()), float(lat.max())


@lru_cache(maxsize=64)
def _to_geodetic(crs):
    from pyproj import Transformer
    return Transformer.from_crs(crs, crs.geodetic_crs, always_xy=True)


def _area_of_use(crs) -> Optional[Bounds]:
    """Where the CRS is meant for, in longitude/latitude; Chinese datums also cover the South China Sea."""
    area = crs.area_of_use
    if area is None:
        epsg = _epsg_of(crs)
        area = _epsg_crs(epsg).area_of_use if epsg else None
    if area is None:
        return None
    box = area.bounds
    if crs.datum is not None and crs.datum.name in CHINESE_DATUMS:
        box = (min(box[0], CHINA_LONLAT[0]), min(box[1], CHINA_LONLAT[1]),
               max(box[2], CHINA_LONLAT[2]), max(box[3], CHINA_LONLAT[3]))
    return box


def _keeps_areas(crs, lonlat: Bounds) -> bool:
    from pyproj import Proj
    f = Proj(crs).get_factors((lonlat[0] + lonlat[2]) / 2, (lonlat[1] + lonlat[3]) / 2)
    return abs(f.areal_scale - 1) <= AREA_SCALE_TOLERANCE


def _num(v: float) -> str:
    return "{:.0f}".format(v) if abs(v) >= 1000 else "{:.4f}".format(v).rstrip("0").rstrip(".")


def _span(a: float, b: float) -> str:
    return _num(a) if _num(a) == _num(b) else "{}–{}".format(_num(a), _num(b))
