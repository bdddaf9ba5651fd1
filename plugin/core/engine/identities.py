"""What the registry keys a building's code by (registry.base.IssueRequest): its identity (the dataset's
namespace + its id, else a fingerprint of its geometry), its year, and its place in the order of sequence
numbers; and what the log says about identities that are shared or missing."""
import hashlib
from typing import Optional

import numpy as np

from . import input_checks, jobs
from .buildings import BuildingGeometry
from ..china.crs import GK3, GK3_PREFIXED
from .geometry_types import FINGERPRINT_GRID
from ..i18n import tr
from .layers import Table


def identities(table: Table, geo: BuildingGeometry, id_field: Optional[str], namespace: str):
    """Stable identity per feature: namespace + id value, or a fingerprint of the geometry (1 cm grid in metres,
    see fingerprints) where there is no id field or the id is null."""
    identity = np.full(len(table), None, dtype=object)
    null = null_ids(table, id_field) if id_field else np.ones(len(table), dtype=bool)
    if id_field:
        identity[~null] = [f"{namespace}:{v}" for v in table.column(id_field)[~null].tolist()]
    idx = np.flatnonzero(geo.usable & null)
    for i, fingerprint in zip(idx.tolist(), fingerprints(geo.g, geo.source_geoms[idx], table.crs_wkt)):
        identity[i] = "geom:" + hashlib.sha1(fingerprint).hexdigest()
    return identity


def degree_fingerprints(table: Table, geo: BuildingGeometry, identity: np.ndarray) -> np.ndarray:
    """For lon/lat layers, the identity each fingerprinted feature had while fingerprints were taken on a 0.01
    grid in the layer's own units (degrees), so codes issued then are carried over (None elsewhere)."""
    old = np.full(len(identity), None, dtype=object)
    if not _geographic(table.crs_wkt):
        return old
    idx = np.flatnonzero([i is not None and i.startswith("geom:") for i in identity.tolist()])
    for i, fingerprint in zip(idx.tolist(), geo.g.fingerprint_wkb(geo.source_geoms[idx])):
        old[i] = "geom:" + hashlib.sha1(fingerprint).hexdigest()
    return old


def fingerprints(g, geoms: np.ndarray, crs_wkt: Optional[str]) -> list:
    """The fingerprint WKB of each geometry (module g: the geometry backend): on a 1 cm grid in metres.

    Projected data are taken in their own coordinates (so identities already in registries stay as they
    are). Lon/lat data are projected first, each geometry into the CGCS2000 3° Gauss-Krüger zone of its own
    centre, with the zone number in x (as EPSG:4513-4533; the coordinates' numbers as they are, no datum
    shift): the fingerprint depends on the geometry alone, not on what else the layer holds, the project or
    the machine, and EPSG:4326 and EPSG:4490 copies of a building have the same one."""
    if not _geographic(crs_wkt):
        return g.fingerprint_wkb(geoms)
    from pyproj import Proj
    b = g.bounds(geoms)
    zone = np.clip(np.floor((b[:, 0] + b[:, 2]) / 6.0 + 0.5), GK3.first_zone, GK3.last_zone)
    zone[~np.isfinite(zone)] = GK3.first_zone
    out = [None] * len(geoms)
    for z in np.unique(zone).astype(int).tolist():
        here = np.flatnonzero(zone == z)
        proj = Proj(proj="tmerc", lon_0=GK3.central_meridian(z), k=1, x_0=GK3_PREFIXED.false_easting(z), y_0=0,
                    ellps="GRS80", units="m")
        for i, fp in zip(here.tolist(), g.fingerprint_wkb(geoms[here], FINGERPRINT_GRID, proj)):
            out[i] = fp
    return out


def _geographic(crs_wkt: Optional[str]) -> bool:
    if not crs_wkt:
        return False
    from pyproj import CRS
    try:
        return CRS.from_user_input(crs_wkt).is_geographic
    except Exception:  # noqa: BLE001 - pyproj's CRSError: an unreadable CRS is taken as it is
        return False


def years_of(table: Table, year_field: Optional[str], default_year: int):
    """Year per feature; null or implausible years fall back to the default and are flagged."""
    if not year_field:
        return np.full(len(table), default_year, dtype=np.int64), np.zeros(len(table), dtype=bool)
    raw = table.column(year_field)
    if raw.dtype.kind in "iuf":  # numeric field (nulls arrive as NaN)
        years = np.where(np.isfinite(raw), raw, -1).astype(np.int64)
    else:  # text such as "2019" or "2019-05-01"
        years = np.array([leading_int(v) for v in raw.tolist()], dtype=np.int64)
    defaulted = (years < 1800) | (years > 2100)
    years[defaulted] = default_year
    return years, defaulted


def leading_int(v) -> int:
    try:
        return int(str(v).strip()[:4])
    except (TypeError, ValueError):
        return -1


def null_ids(table: Table, id_field: Optional[str]) -> np.ndarray:
    if not id_field:
        return np.zeros(len(table), dtype=bool)
    return np.array([v is None or v != v for v in table.column(id_field).tolist()], dtype=bool)


def identity_notes(progress: jobs.Progress, layer: str, id_field, identity, status, duplicate_of, null_id):
    """Say which features share an identity and why, and which fell back to their fingerprint."""
    notes = []
    dup = np.flatnonzero(status == jobs.STATUS_DUPLICATE)
    if len(dup):
        by_geometry = sum(str(identity[i]).startswith("geom:") for i in dup.tolist())
        examples = ", ".join("{}={}".format(i + 1, duplicate_of[i] + 1) for i in dup[:5].tolist())
        notes.append(input_checks.Note("duplicate_id", layer, tr(
            "{}: {} features have the identity of an earlier feature and are not coded ({} the same id, {} the same "
            "geometry to 1 cm); rows (this=first): {} — see duplicate_id in the report").format(
            layer, len(dup), len(dup) - by_geometry, by_geometry, examples)))
    if null_id.any():
        rows = np.flatnonzero(null_id)
        notes.append(input_checks.Note("null_id", layer, tr(
            "{}: {} features have no value in the id field {}; their identity is their geometry fingerprint "
            "(rows {}{})").format(layer, len(rows), id_field, ", ".join(str(r + 1) for r in rows[:20].tolist()),
                                  ", …" if len(rows) > 20 else "")))
    for n in notes:
        progress.info(n.message)
    progress.notes.extend(notes)


def order_key(table: Table, id_field: Optional[str], n: int) -> np.ndarray:
    """Sequence numbers follow the id (numeric ids numerically), else the input order."""
    if id_field:
        values = table.column(id_field)
        try:
            return np.array([np.inf if v is None else float(v) for v in values.tolist()])
        except (TypeError, ValueError):
            return np.unique(np.array(["" if v is None else str(v) for v in values.tolist()]),
                             return_inverse=True)[1]
    return np.arange(n)
