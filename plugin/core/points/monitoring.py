"""Monitoring points in one pass: import, code, place and sample.

Points come from a file of any common format (point_import: CSV/XLSX coordinates in odd formats and
datums, every unreadable row reported with its line) or from a point layer QGIS holds. Each point gets
its township (division), a code of the point profile (division + kind + sequence, never reused, in the
same registry as buildings), the planning zones it lies in with their class, and the values of chosen
rasters at its position. One output layer in CGCS2000 longitude/latitude and one report are written;
like the building engine, nothing is stored before all the work succeeded, and a failed run leaves the
registry and an earlier output as they were.
"""
import dataclasses
import os
from dataclasses import dataclass, field
from typing import Dict, List, Optional

import numpy as np

from ..engine import assign as building_engine

from ..engine import jobs, layer_writer
from ..engine import report as report_mod
from ..i18n import tr
from ..engine.layers import InputError, LayerInput, Table
from ..china.division_levels import AUTO
from .point_import import FlagNote
from ..registry.base import IssueRequest, RegistryError, default_actor
from ..registry.backends import open_registry

STATUS_NEW, STATUS_EXISTING = jobs.STATUS_NEW, jobs.STATUS_EXISTING
STATUS_OUTSIDE, STATUS_NO_DIVISION_CODE = jobs.STATUS_OUTSIDE, jobs.STATUS_NO_DIVISION_CODE
STATUS_DUPLICATE, STATUS_EXHAUSTED = jobs.STATUS_DUPLICATE, jobs.STATUS_EXHAUSTED


@dataclass
class PointJob:
    points: LayerInput                   # a file (any format point_import reads) or a QGIS point layer
    divisions: LayerInput
    output: str
    division_field: str = "code"
    kind_field: Optional[str] = None     # free text or kind codes: "04", "空气", "1号水质监测站" ...
    default_kind: Optional[str] = None   # for points whose kind field says nothing known (None: the profile's)
    id_field: Optional[str] = None       # None: detected (编号, 站号 ...) for files; geometry for layers
    x_field: Optional[str] = None        # coordinate columns of a table file (None: detected)
    y_field: Optional[str] = None
    coordinate_format: str = "auto"      # auto, decimal, dm (度.分), dms_packed (度.分秒)
    datum: Optional[str] = None          # WGS84, CGCS2000, GCJ02, BD09 (None: inferred)
    encoding: Optional[str] = None
    planning: List[LayerInput] = field(default_factory=list)
    rasters: List[object] = field(default_factory=list)   # paths, QgsRasterLayers or sampling.RasterInput
    profile: str = AUTO                  # or a profile name or file; AUTO: the point profile of the divisions' level
    registry: Optional[str] = None
    report: Optional[str] = None
    actor: Optional[str] = None
    engine: str = "auto"
    namespace: Optional[str] = None      # identity namespace (default: the file or layer name)


@dataclass
class Points:
    """Points as CGCS2000 longitude/latitude with their attributes and where each came from."""
    lon: np.ndarray
    lat: np.ndarray
    attributes: Dict[str, list]
    field_order: List[str]
    line: np.ndarray                     # source line (files) or feature number (layers)
    identity: np.ndarray                 # object: namespace:id, or a fingerprint of the coordinates
    name: str
    problems: List[dict] = field(default_factory=list)   # rows not imported: line, column, value, reason
    notes: List[str] = field(default_factory=list)


def read_points(job: PointJob, feedback=None) -> Points:
    """The job's points in CGCS2000 lon/lat: files through point_import (line numbers, odd coordinate
    formats, datums), QGIS layers through the engine's reader and its CRS/datum checks."""
    from .point_import import import_points
    inp = job.points
    namespace = job.namespace or inp.label
    if inp.path and inp.source is None:
        if not os.path.exists(inp.path):
            raise jobs.EngineError(tr("File not found: {}").format(inp.path))
        try:
            imp = import_points(inp.path, layer=inp.layer, x=job.x_field, y=job.y_field, fmt=job.coordinate_format,
                                datum=job.datum or inp.datum, id_field=job.id_field,
                                encoding=job.encoding or inp.encoding, crs=inp.crs_wkt)
        except (InputError, ValueError) as e:
            raise jobs.EngineError(str(e)) from None
        identity = np.array([f"{namespace}:{i}" for i in imp.identity], dtype=object)
        order = [h for h in imp.attributes]
        return Points(lon=imp.lon, lat=imp.lat, attributes=imp.attributes, field_order=order, line=imp.line,
                      identity=identity, name=namespace,
                      problems=[dict(line=p.line, column=p.column or "", value=p.value or "", reason=p.reason)
                                for p in imp.problems], notes=list(imp.notes))
    return _layer_points(job, namespace, feedback)


def _layer_points(job: PointJob, namespace: str, feedback) -> Points:
    from ..china.crs import CGCS2000_GEOGRAPHIC
    from ..engine.geometry import point_mapper
    from ..engine.wkb import point_xy
    progress = jobs.Progress(feedback, 1)
    engine = jobs.engine_for(job.engine, [job.points])
    table: Table = jobs.read_all([job.points], engine, progress)[0]
    kinds, x, y = point_xy(table.wkb)  # one point per feature: a multipoint stands for its first part
    if (~np.isin(kinds, (0, 1, 4))).any():
        raise jobs.EngineError(tr("Layer {} holds lines or polygons, not points; code them with "
                                             "Assign codes").format(table.name))
    usable = np.isfinite(x) & np.isfinite(y)
    if not table.crs_wkt:
        raise jobs.EngineError(tr("Layer {} has no CRS; set it and run again").format(table.name))
    from pyproj import CRS
    to_lonlat = point_mapper(table.crs_wkt, CRS.from_epsg(CGCS2000_GEOGRAPHIC).to_wkt())
    lon, lat = to_lonlat(x[usable], y[usable]) if to_lonlat else (x[usable], y[usable])  # None: already CGCS2000
    rows = np.flatnonzero(usable)
    problems = [dict(line=int(i) + 1, column="", value="", reason=tr("no geometry"))
                for i in np.flatnonzero(~usable)]
    attributes = {f: [table.column(f)[i] for i in rows] for f in table.field_order}
    if job.id_field:
        ids = table.column(job.id_field)[rows]
        identity = np.array([None if v is None or v != v else f"{namespace}:{v}" for v in ids.tolist()],
                            dtype=object)
    else:
        identity = np.full(len(rows), None, dtype=object)
    missing = identity == None  # noqa: E711 (element-wise)
    identity[missing] = ["{}:xy:{:.7f},{:.7f}".format(namespace, a, b) for a, b in zip(lon[missing], lat[missing])]
    return Points(lon=np.asarray(lon, dtype=float), lat=np.asarray(lat, dtype=float), attributes=attributes,
                  field_order=list(table.field_order), line=rows + 1, identity=identity, name=table.name,
                  problems=problems, notes=[n.message for n in progress.notes])


def point_kinds(values, n: int, profile, default: Optional[str] = None):
    """Kind code per point from free text (see Segment.match; values None: every point the default);
    what names no kind gets the default kind. Returns (kinds, defaulted mask, {text: count} of the texts
    that named no kind)."""
    seg = profile.segment("kind")
    fallback = seg.match(default) if default else seg.default.zfill(seg.length)
    if default and fallback is None:
        raise jobs.EngineError(tr("Kind '{}' is not one of {}").format(
            default, ", ".join(f"{k} {v}" for k, v in seg.values.items())))
    if values is None:
        return np.full(n, fallback, dtype=object), np.zeros(n, dtype=bool), {}
    texts = ["" if v is None or v != v else str(v).strip() for v in values]
    found = {t: seg.match(t) for t in set(texts)}
    kinds = np.array([found[t] or fallback for t in texts], dtype=object)
    defaulted = np.array([found[t] is None for t in texts], dtype=bool)
    unknown = {}
    for t in texts:
        if found[t] is None and t:
            unknown[t] = unknown.get(t, 0) + 1
    return kinds, defaulted, unknown


def _order(points: Points, id_field: Optional[str]) -> np.ndarray:
    """Sequence numbers follow the id (numeric ids numerically), else the source order."""
    if id_field and id_field in points.attributes:
        values = points.attributes[id_field]
        try:
            return np.array([np.inf if v is None else float(v) for v in values])
        except (TypeError, ValueError):
            return np.unique(np.array(["" if v is None else str(v) for v in values]), return_inverse=True)[1]
    return np.asarray(points.line, dtype=float)


def run_points(job: PointJob, feedback=None) -> jobs.Result:
    from pyproj import CRS
    from . import sampling
    from ..china.crs import CGCS2000_GEOGRAPHIC
    from ..engine.geometry import backend
    from ..engine.wkb import points as point_wkb
    progress = jobs.Progress(feedback, 7)
    lonlat_wkt = CRS.from_epsg(CGCS2000_GEOGRAPHIC).to_wkt()

    points = read_points(job, feedback)
    for note in points.notes:
        progress.info(note)
    progress.notes += [building_engine.input_checks.Note("point_flags", points.name, n) for n in points.notes
                       if isinstance(n, FlagNote)]  # estimated altitudes, lost characters: per row in columns
    for p in points.problems[:20]:
        progress.info(tr("Line {}: {}").format(p["line"], p["reason"]))
    n = len(points.lon)
    if job.kind_field and job.kind_field not in points.attributes:
        raise jobs.EngineError(tr("Layer {} has no field '{}' (fields: {})").format(
            points.name, job.kind_field, ", ".join(points.field_order)))
    progress.step("read", tr("Read {} points ({} rows not imported)").format(n, len(points.problems)))

    engine = jobs.engine_for(job.engine, [job.divisions])
    divisions = jobs.read_all([job.divisions], engine, progress, columns={0: [job.division_field]})[0]
    found = jobs.division_codes(divisions, job.division_field, job.profile, "point")
    profile, div_codes, div_len = found.profile, found.codes, found.profile.segment("division").length
    if profile.segment("kind") is None:
        raise jobs.EngineError(tr("Profile {} has no kind segment: monitoring points need the point "
                                             "profile or one like it").format(profile.name))
    if job.profile == AUTO:  # the report names the profile the codes have
        job = dataclasses.replace(job, profile=profile.name)
    progress.info(found.message)
    progress.notes.append(jobs.division_level_note(divisions.name, found))
    hits = sampling.divisions_at_points(points.lon, points.lat, lonlat_wkt, backend().from_wkb(divisions.wkb),
                                        div_codes, divisions.crs_wkt)
    division = np.array([c or "" for c in hits.code.tolist()], dtype=f"U{div_len}")
    kinds, kind_defaulted, unknown_kinds = point_kinds(
        points.attributes[job.kind_field] if job.kind_field else None, n, profile, job.default_kind)
    for text, count in sorted(unknown_kinds.items(), key=lambda kv: -kv[1])[:20]:
        progress.info(tr("Kind '{}' ({} points) names no kind of the profile: coded as {}").format(
            text, count, kinds[kind_defaulted][0]))
    progress.step("locate")

    zones = sampling.zones_at_points(points.lon, points.lat, lonlat_wkt, job.planning, engine=job.engine) \
        if job.planning else {}
    for z in zones.values():
        for note in z.notes:
            progress.info(note)
    progress.step("zones")
    try:
        samples = sampling.sample_rasters(points.lon, points.lat, lonlat_wkt, job.rasters) if job.rasters else {}
    except InputError as e:
        raise jobs.EngineError(str(e)) from None
    progress.step("rasters")

    status = jobs.filled(n, "")
    status[hits.index < 0] = STATUS_OUTSIDE
    status[(hits.index >= 0) & (division == "")] = STATUS_NO_DIVISION_CODE
    status[jobs.duplicates(points.identity) & (status == "")] = STATUS_DUPLICATE
    want = np.flatnonzero(status == "")
    registry_path = jobs.registry_location(job.registry, job.output)
    codes = np.full(n, None, dtype=object)
    names = _names(points)
    note = tr("points {} -> {}").format(points.name, os.path.basename(job.output))
    try:
        with open_registry(registry_path) as reg:
            reg.on_wait, reg.job = jobs.on_registry_wait(progress), note  # another job writing: say who
            issued = reg.issue(profile, IssueRequest(
                identity=points.identity[want], division=division[want], year=np.zeros(len(want), dtype=np.int64),
                order=_order(points, job.id_field)[want], kind=np.asarray(kinds, dtype="U")[want],
                name=None if names is None else [names[i] for i in want]),
                job.actor or default_actor(), note=note)
    except (RegistryError, ValueError) as e:
        raise jobs.EngineError(str(e)) from None
    codes[want] = issued.code
    status[want] = np.where(issued.is_new, STATUS_NEW, STATUS_EXISTING)
    status[want[issued.exhausted]] = STATUS_EXHAUSTED
    jobs.registry_step(progress, registry_path, issued)

    out_cols = {
        "citycode": codes, "division": np.where(division == "", None, division).astype(object),
        "cc_kind": np.asarray(kinds, dtype=object), "cc_status": status,
        "cc_flags": np.where(kind_defaulted, "kind_default", None).astype(object),
        "src_line": np.asarray(points.line, dtype=np.int64),
        "lon_cgcs": np.round(points.lon, 8), "lat_cgcs": np.round(points.lat, 8),
    }
    for name, z in zones.items():
        out_cols[f"{name}_in"] = z.inside.astype(np.int32)
        if z.values is not None:
            out_cols[f"{name}_class"] = np.array([None if v is None else str(v) for v in z.values], dtype=object)
    for name, s in samples.items():
        out_cols[name] = s.values  # NaN (written as null) where nodata or outside
    table = Table(columns={f: points.attributes[f] for f in points.field_order},
                  wkb=point_wkb(points.lon, points.lat), crs_wkt=lonlat_wkt,
                  name=points.name, field_order=[f for f in points.field_order if f.lower() not in
                                                 {c.lower() for c in out_cols}], geometry_type="Point")
    layer_name = points.name + "_coded"
    jobs.replace_output(
        lambda path: layer_writer.write_layer(path, layer_name, table, out_cols, None, "arrow"), job.output,
        progress)
    progress.step("write", cancelable=False)

    counts = _counts(status, points, kind_defaulted, zones, samples)
    rep = report_mod.build_points(job, points, division, status, counts, zones, samples, unknown_kinds,
                                  registry_path, progress.timings, progress.notes)
    report_path = report_mod.write_report(rep, job.report) if job.report else None
    progress.step("report", cancelable=False)
    return jobs.Result(output=job.output, output_layer=layer_name, report=report_path, counts=counts,
                                  engine=engine, registry=registry_path, timings=progress.timings)


def _names(points: Points) -> Optional[List]:
    from .columns import detect_columns
    guess = detect_columns(points.field_order, [])
    if guess.name and guess.name in points.attributes:
        return [None if v is None else str(v) for v in points.attributes[guess.name]]
    return None


def _counts(status, points: Points, kind_defaulted, zones, samples) -> Dict[str, int]:
    c = {
        "total": int(len(status) + len({p["line"] for p in points.problems})),
        "coded": int(np.isin(status, (STATUS_NEW, STATUS_EXISTING)).sum()),
        "new": int((status == STATUS_NEW).sum()),
        "existing": int((status == STATUS_EXISTING).sum()),
        "not_imported": len({p["line"] for p in points.problems}),
        "outside": int((status == STATUS_OUTSIDE).sum()),
        "duplicate_id": int((status == STATUS_DUPLICATE).sum()),
        "exhausted": int((status == STATUS_EXHAUSTED).sum()),
        "no_division_code": int((status == STATUS_NO_DIVISION_CODE).sum()),
        "kind_default": int(kind_defaulted.sum()),
    }
    c["failed"] = c["total"] - c["coded"]
    for name, z in zones.items():
        c[f"{name}_hits"] = int(z.inside.sum())
    for name, s in samples.items():
        c[f"{name}_missing"] = int((~s.valid).sum())
    return c


