"""Which columns of a table hold what: the coordinates (by name, else by value), the id and the name of
each point, and the station-list columns beside them (altitude, province)."""
import os
import re
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from ..engine.layers import InputError
from ..i18n import tr
from .coordinates import CHINA_LAT, CHINA_LON, DECIMAL, parse_column
from .tables import RowSource, base_name, is_number

DETECT_SAMPLE = 500      # values per column looked at when detecting columns


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
    bases = {h: base_name(h) for h in header}
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
        if _Y_NAMES.match(base_name(guess.x)) and _X_NAMES.match(base_name(guess.y)):
            notes.append(surveying_note(guess.x, guess.y))
    if guess.name:
        notes.append(tr("Name: column '{}'").format(guess.name))
    return notes


def surveying_note(x: str, y: str) -> str:
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
            isinstance(x, str) and not is_number(x) for x in columns[h] if x is not None)
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


PAIR_SPLIT = re.compile(r"\s*[,，;；/]\s*")


def _splits(values) -> bool:
    """Most values are two coordinates in one text."""
    texts = [v for v in values if isinstance(v, str)]
    if not texts:
        return False
    parts = [PAIR_SPLIT.split(t.strip()) for t in texts]
    two = [p for p in parts if len(p) == 2]
    if len(two) < 0.8 * len(texts):
        return False
    a = _numbers([p[0] for p in two])
    b = _numbers([p[1] for p in two])
    return bool(np.mean(np.isfinite(a) & np.isfinite(b)) >= 0.8)


def coordinate_names(cols: ColumnGuess) -> Tuple[str, str]:
    """The x and y columns; a combined column twice."""
    return (cols.xy, cols.xy) if cols.xy else (cols.x, cols.y)


def lon_lat_by_name(cols: ColumnGuess) -> bool:
    """x and y are two columns named longitude and latitude."""
    return not cols.xy and bool(_LON_NAMES.match(base_name(cols.x)) and _LAT_NAMES.match(base_name(cols.y)))


def choose_columns(src: RowSource, x, y, id_field) -> ColumnGuess:
    """The columns of an import: those chosen, else the layer's point geometries, else detected; the id column
    chosen, else detected."""
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


# -- station-list columns beside the coordinates ------------------------------------------------------------
_ALT_NAMES = re.compile(r"^(海拔高度|海拔|高程|海拔高程|测站高度|观测场海拔高度|观测场海拔|高度|"
                        r"altitude|elevation|alt|elev|height|z)$")
_PROVINCE_NAMES = ("省", "省份", "省名", "省区", "省市", "所在省", "province", "prov")


def altitude_column(header) -> Optional[str]:
    return next((h for h in header if _ALT_NAMES.match(base_name(h))), None)


def recognised_columns(header) -> Dict[str, str]:
    """Station-list columns found by their header words (Chinese or English): altitude and province."""
    out = {}
    alt = altitude_column(header)
    if alt:
        out["altitude"] = alt
    province = next((h for h in header if base_name(h) in _PROVINCE_NAMES), None)
    if province:
        out["province"] = province
    return out
