"""Is a layer drawn on a Chinese web map? GCJ-02 (AMap/高德, Tencent, DataV) or BD-09 (Baidu/百度) coordinates
labelled WGS84 land a few hundred metres off, and nothing in the file says so. Evidence, strongest first:

1. Coordinates: seat points — the features of a point layer, or the `center` property DataV/AMap give each
   division — matched by division code to resources/reference/division_seats.csv (WGS84). The offset common to
   them is compared with what each datum's shift of the reference (datums.py's forward transforms) predicts; the
   datum that explains it, when it stands out from the points' scatter, decides — against any name or schema.
2. Schema: the field sets DataV/AMap (adcode, center, centroid, childrenNum, acroutes …), AMap POI and Baidu
   place exports carry.
3. Names: 高德, 百度, gcj, bd09, amap, gaode, baidu, datav … in the file, layer or field names (as point_import's
   datum_hint reads them); WGS84 / CGCS2000 there says the opposite.
Schema and names count only for a layer labelled WGS84, Web Mercator or nothing: one labelled CGCS2000 was
converted or surveyed, whatever fields it kept.

`settle` applies the user's choice: "auto" converts when the evidence is clear, "as labelled" (None) converts
nothing but warns, gcj02/bd09 convert. Every finding is a Note for the log and the report.
"""
import csv
import json
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Dict, List, Optional, Tuple

import numpy as np

from . import datums
from ..i18n import tr
from ..engine.input_checks import Note, to_cgcs2000
from ..engine.json_fields import open_options
from ..engine.layers import LayerInput, Table
from ..definitions import RESOURCES_DIR

AUTO = "auto"
REFERENCE = os.path.join(RESOURCES_DIR, "reference", "division_seats.csv")
# (datum, schema name, its fields, fields that must be there, how many of the fields make a match)
SCHEMAS = (
    (datums.GCJ02, "DataV/AMap", {"adcode", "name", "center", "centroid", "childrennum", "level", "parent",
                                  "subfeatureindex", "acroutes"}, {"adcode"}, 4),
    (datums.GCJ02, "AMap POI", {"typecode", "pname", "cityname", "adname", "pcode", "citycode", "adcode",
                                "business_area"}, set(), 4),
    (datums.BD09, "Baidu", {"uid", "street_id", "detail", "detail_info", "province", "city", "area", "address",
                            "telephone"}, {"uid"}, 3),
)
CODE_FIELDS = ("adcode", "code", "xzqdm", "xzqhdm", "区划代码", "行政区划代码", "代码")
CENTER_FIELDS = ("center",)
MIN_SEATS = 3           # fewer matched seats tell nothing
AGREE_M = 150.0         # a common offset this small (or within 2 standard errors) is "explained"
APART_M = 200.0         # the other datums must leave at least this much more (and 3 standard errors)
MAX_POINTS = 20000      # point layers: the first ones are enough for the test


@dataclass
class Detection:
    datum: Optional[str] = None        # gcj02 / bd09 when the layer looks drawn on a web map
    clear: bool = False                # evidence enough to convert under "auto"
    evidence: List[str] = field(default_factory=list)


# -- reference -------------------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def reference() -> Dict[str, Tuple[float, float]]:
    """Division code (2 or 4 digits) -> (lon, lat) of its seat, WGS84."""
    with open(REFERENCE, encoding="utf-8") as f:
        return {r["code"]: (float(r["lon"]), float(r["lat"])) for r in csv.DictReader(f)}


def seat_key(code) -> Optional[str]:
    """The reference key of a province or prefecture code in any spelling (11, 1101, 110100, 110100000000);
    None for counties and below, whose seats are not in the reference."""
    text = re.sub(r"\D", "", str(code if code is not None else ""))
    if len(text) in (6, 9, 12) and text[4:].strip("0") == "":
        text = text[:4]
    if len(text) == 4 and text.endswith("00"):
        text = text[:2]
    return text if len(text) in (2, 4) else None


# -- the coordinate test ---------------------------------------------------------------------------------------
def coordinate_test(codes, lon, lat) -> Tuple[Optional[str], str]:
    """(datum, what was measured) from seat points `lon`, `lat` (degrees) of divisions `codes`: the datum whose
    shift of the reference seats explains their common offset, or None with why not (no datum when too few
    points match or the scatter hides it)."""
    ref = reference()
    keys = [seat_key(c) for c in codes]
    pick = [i for i, k in enumerate(keys) if k in ref and np.isfinite(lon[i]) and np.isfinite(lat[i])]
    if len(pick) < MIN_SEATS:
        return None, ""
    ref_lon = np.array([ref[keys[i]][0] for i in pick])
    ref_lat = np.array([ref[keys[i]][1] for i in pick])
    obs_lon, obs_lat = np.asarray(lon, float)[pick], np.asarray(lat, float)[pick]
    k = np.cos(np.radians(ref_lat)) * 111320.0
    bias, scatter = {}, {}
    for datum in (datums.WGS84, datums.GCJ02, datums.BD09):
        ex, ey = datums.convert_xy(ref_lon, ref_lat, datums.WGS84, datum)
        dx, dy = (obs_lon - ex) * k, (obs_lat - ey) * 110574.0
        mx, my = np.median(dx), np.median(dy)
        bias[datum] = float(np.hypot(mx, my))
        mad = np.median(np.hypot(dx - mx, dy - my))  # robust scatter of one point about the common offset
        scatter[datum] = float(1.4826 * mad / np.sqrt(len(pick)))
    best = min(bias, key=bias.get)
    se = scatter[best]
    said = tr("{} seats matched the reference: common offset {:.0f} m as labelled, {:.0f} m as GCJ-02, {:.0f} m "
              "as BD-09 (± {:.0f} m)").format(len(pick), bias[datums.WGS84], bias[datums.GCJ02], bias[datums.BD09],
                                              se)
    others = [b for d, b in bias.items() if d != best]
    if bias[best] <= max(AGREE_M, 2 * se) and all(b - bias[best] >= max(APART_M, 3 * se) for b in others):
        return best, said
    return None, said


# -- what the layer says -----------------------------------------------------------------------------------------
def _fields_and_rows(inp: LayerInput, table: Table, wanted) -> Tuple[List[str], Dict[str, list]]:
    """The layer's field names, and the values of the `wanted` ones (lower-case names) among them. The job may
    have read only some columns: the rest come from the file (GDAL) or the QGIS source."""
    names = list(table.field_order)
    values = {}
    if inp.path:
        try:
            from osgeo import gdal
            ds = gdal.OpenEx(inp.path, gdal.OF_VECTOR, open_options=open_options(inp.path))
            lyr = ds.GetLayerByName(inp.layer) if inp.layer else ds.GetLayer(0)
            defn = lyr.GetLayerDefn()
            names = [defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())]
            take = [n for n in names if n.lower() in wanted]
            if take and lyr.GetFeatureCount() <= MAX_POINTS:
                lyr.SetIgnoredFields([n for n in names if n not in take] + ["OGR_GEOMETRY"])
                rows = [[f.GetFieldAsString(n) if f.IsFieldSetAndNotNull(n) else None for n in take] for f in lyr]
                values = {n: [r[j] for r in rows] for j, n in enumerate(take)}
        except (RuntimeError, AttributeError):  # not for GDAL: what the job read is all there is
            pass
    elif inp.source is not None and hasattr(inp.source, "fields"):
        names = inp.source.fields().names()
    for n in names:
        if n.lower() in wanted and n not in values and n in table.columns and len(table) <= MAX_POINTS:
            values[n] = table.column(n).tolist()
    return names, values


def _labelled_cgcs2000(crs_wkt: Optional[str]) -> bool:
    if not crs_wkt:
        return False
    from pyproj import CRS
    geodetic = CRS.from_wkt(crs_wkt).geodetic_crs
    return geodetic is not None and "China 2000" in geodetic.datum.name


def _lonlat_points(table: Table):
    """Longitudes and latitudes of a point layer's features (NaN where none), or None for other layers."""
    if "point" not in table.geometry_type.lower() or len(table) > MAX_POINTS:
        return None
    from osgeo import ogr
    xy = np.full((len(table), 2), np.nan)
    for i, w in enumerate(table.wkb.tolist()):
        g = ogr.CreateGeometryFromWkb(bytes(w)) if w is not None else None
        if g is not None and not g.IsEmpty() and g.GetGeometryType() in (ogr.wkbPoint, ogr.wkbPoint25D):
            xy[i] = g.GetX(), g.GetY()
    if table.crs_wkt:
        from pyproj import CRS, Transformer
        crs = CRS.from_wkt(table.crs_wkt)
        if not crs.is_geographic:
            xy[:, 0], xy[:, 1] = Transformer.from_crs(crs, CRS.from_epsg(4326), always_xy=True).transform(
                xy[:, 0], xy[:, 1])
    return xy[:, 0], xy[:, 1]


def _center(value) -> Tuple[float, float]:
    """A DataV `center` ([lon, lat], as a list, an array or its text) as (lon, lat); NaN when it is none."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            value = re.findall(r"-?\d+(?:\.\d+)?", value)
    try:
        lon, lat = (float(v) for v in list(value)[:2])
        return lon, lat
    except (TypeError, ValueError):
        return np.nan, np.nan


def detect(inp: LayerInput, table: Table) -> Detection:
    """What the layer's coordinates, schema and names say about its datum (see the module's docstring)."""
    from ..points.source_crs import datum_hint
    found = Detection()
    wanted = set(CODE_FIELDS) | set(CENTER_FIELDS)
    names, values = _fields_and_rows(inp, table, wanted)
    lower = {n.lower() for n in names}

    # 1. coordinates
    code_cols = [n for n in names if n.lower() in CODE_FIELDS and n in values]
    points = _lonlat_points(table) if code_cols else None
    if code_cols and points is None:
        center = next((n for n in names if n.lower() in CENTER_FIELDS and n in values), None)
        points = tuple(np.array(v) for v in zip(*map(_center, values[center]))) if center else None
    measured = None
    if points and len(points[0]):
        tests = [coordinate_test(values[c], *points) for c in code_cols]
        measured, said = max(tests, key=lambda t: (t[0] is not None, len(t[1])))
        if said:
            found.evidence.append(said)
    if measured in (datums.GCJ02, datums.BD09):
        found.datum, found.clear = measured, True
        return found

    # 2. schema, 3. names — for layers a web map would label so
    if _labelled_cgcs2000(table.crs_wkt):
        return found
    hints = []
    for datum, schema, fields, required, enough in SCHEMAS:
        if required <= lower and len(fields & lower) >= enough:
            hints.append((datum, tr("fields {} are those of {} data").format(
                ", ".join(sorted(n for n in names if n.lower() in fields)), schema)))
    texts = [os.path.splitext(os.path.basename(inp.path or ""))[0], inp.layer or "", table.name] + names
    hint, text = datum_hint(texts)
    if hint is None and any("datav" in t.lower() for t in texts):
        hint, text = datums.GCJ02, next(t for t in texts if "datav" in t.lower())
    if hint in (datums.WGS84, datums.CGCS2000):
        found.evidence.append(tr("the name '{}' says {}").format(text, hint.upper()))
        return found
    if hint:
        hints.append((hint, tr("the name '{}' says {}").format(text, {datums.GCJ02: "GCJ-02",
                                                                     datums.BD09: "BD-09"}[hint])))
    said = {d for d, _ in hints}
    found.evidence += [why for _, why in hints]
    if len(said) == 1:
        found.datum = said.pop()
        found.clear = measured is None  # coordinates that agree with the label outweigh names
    return found


def _label(datum: str) -> str:
    return {datums.GCJ02: "GCJ-02", datums.BD09: "BD-09"}.get(datum, datum.upper())


def settle(inp: LayerInput, table: Table) -> List[Note]:
    """Apply the layer's datum choice (inp.datum): gcj02 / bd09 convert; "auto" detects and converts when the
    evidence is clear; None (as labelled) converts nothing but warns when the layer looks drawn on a web map."""
    choice = inp.datum
    if choice not in (None, AUTO):
        note = to_cgcs2000(table, choice)
        return [note] if note else []
    found = detect(inp, table)
    if found.datum is None:
        return []
    evidence = "; ".join(found.evidence)
    if choice == AUTO and found.clear:
        note = to_cgcs2000(table, found.datum)
        note.kind, note.message = "datum_detected", tr(
            "{}: looks drawn on a Chinese web map ({}): coordinates converted from {} to CGCS2000 (datum "
            "'auto'; choose 'as labelled' to keep them)").format(table.name, evidence, _label(found.datum))
        return [note]
    return [Note("datum_suspect", table.name, tr(
        "{}: may be in {}, not what it is labelled ({}); not converted. If so, choose {} as its datum or run "
        "'Convert web-map datum' first").format(table.name, _label(found.datum), evidence, _label(found.datum)))]
