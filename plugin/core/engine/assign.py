"""The one-pass batch engine: 落图+赋码 and planning overlay.

Buildings are read once; division, code and overlap with every planning layer are computed together;
the registry issues the codes in one short transaction; one output layer and one report are written.
Nothing is written to the registry before all geometry work succeeded, and the output replaces an
earlier one only once it is complete, so a failed or canceled run leaves everything as it was; when the
output cannot be written after the codes were issued, running the job again finds them (the same codes).
"""
import ctypes
import dataclasses
import datetime
import hashlib
import os
import sqlite3
import sys
import time
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from typing import Dict, List, Optional

import numpy as np

from . import building_parts, input_checks, layers, report as report_mod, wkb
from ..registry import datasets
from ..china import datum_detect
from ..china.crs import GK3, GK3_PREFIXED, area_crs_wkt
from .geometry import FINGERPRINT_GRID, backend as geometry_backend
from ..i18n import tr
from .layers import InputError, LayerInput, Table
from ..registry.pg_connection import is_postgres_location
from ..china.division_levels import AUTO, DivisionCodes, resolve as resolve_division_codes
from ..registry.base import IssueRequest, RegistryError, check_file_location, default_actor, open_registry
from ..registry.sqlite import discard_if_unused, disk_full, input_damage
from ..speedups import missing_message
from ..exceptions import CityCodeError

__all__ = ["LayerInput", "AssignJob", "OverlayJob", "Result", "EngineError", "run_assign", "run_overlay"]

STATUS_NEW, STATUS_EXISTING = "new", "existing"
STATUS_OUTSIDE, STATUS_EMPTY = "outside", "empty"
STATUS_DUPLICATE, STATUS_EXHAUSTED, STATUS_NO_DIVISION_CODE = "duplicate_id", "exhausted", "no_division_code"
STATUS_CONFLICT = "conflict"  # its identity's code is of another division than the one it lies in: not reused
STATUS_INVALID = "invalid_geometry"  # coordinates that are not numbers (NaN, inf): set aside, the rest coded


class EngineError(CityCodeError):
    """A job that could not run; the message tells the user what to do. Nothing stored was changed."""

    def __init__(self, message: str, canceled: bool = False):
        super().__init__(message)
        self.canceled = canceled


@dataclass
class AssignJob:
    buildings: LayerInput
    divisions: LayerInput
    output: str
    division_field: str = "code"
    year_field: Optional[str] = None
    default_year: Optional[int] = None
    id_field: Optional[str] = None
    unit_field: Optional[str] = None
    rule: str = "area"
    planning: List[LayerInput] = field(default_factory=list)
    profile: str = AUTO                # or a profile name or file; AUTO: the building profile of the divisions' level
    registry: Optional[str] = None
    report: Optional[str] = None
    actor: Optional[str] = None
    engine: str = "auto"
    namespace: Optional[str] = None    # identity namespace for id-field identities (default: see datasets.py)
    non_polygons_as_points: bool = False  # points and lines in the building layer: coded as points, not refused
    allow_fingerprints: bool = False   # a shapefile without its .dbf may be coded by geometry fingerprint
    parts: str = building_parts.UNITS  # building parts: coded as units of their building, or "report"
    parts_field: Optional[str] = None  # a part's building id (else OSM building:part, found by location)


@dataclass
class OverlayJob:
    buildings: LayerInput
    planning: List[LayerInput]
    output: str
    report: Optional[str] = None
    engine: str = "auto"


@dataclass
class Result:
    output: str
    output_layer: str
    report: Optional[str]
    counts: Dict[str, int]
    engine: str
    registry: Optional[str] = None
    timings: Dict[str, float] = field(default_factory=dict)


class _Progress:
    """Progress, cancel and messages through a QgsProcessingFeedback-like object (or nothing)."""

    def __init__(self, feedback, steps: int):
        self.feedback, self.steps, self.done = feedback, steps, 0
        self.timings: Dict[str, float] = {}
        self.notes: List[input_checks.Note] = []
        self._t = datetime.datetime.now()

    def step(self, name: str, message: str = "", cancelable: bool = True):
        """Record a finished step. Steps after the registry committed are not cancelable: stopping
        there would leave issued codes without their output, so the run finishes instead."""
        now = datetime.datetime.now()
        self.timings[name] = round((now - self._t).total_seconds(), 3)
        self._t = now
        self.done += 1
        if self.feedback is not None:
            if cancelable and self.feedback.isCanceled():
                raise EngineError(tr("Canceled; nothing was changed"), canceled=True)
            self.feedback.setProgress(100.0 * self.done / self.steps)
            if message:
                self.feedback.pushInfo(message)

    def info(self, message: str):
        if self.feedback is not None:
            self.feedback.pushInfo(message)


def _engine_for(job_engine: str, inputs: List[LayerInput]) -> str:
    if job_engine == "auto" and not all(layers.can_read_fast(i) for i in inputs):
        return "qgis"
    # Arrow: pyogrio's when it is there, else GDAL's own stream in osgeo.ogr (named "gdal-arrow")
    return layers.fast_reader() if job_engine in ("auto", "arrow") else job_engine


def _read(inp: LayerInput, engine: str, columns=None) -> Table:
    try:
        return layers.read(inp, columns=columns, engine=engine)
    except InputError as e:
        raise EngineError(input_damage(inp.path) or str(e)) from None


def _read_all(inputs: List[LayerInput], engine: str, progress: "_Progress", columns=None) -> List[Table]:
    return _read_inputs(inputs, engine, progress, columns)[0]


def _read_inputs(inputs: List[LayerInput], engine: str, progress: "_Progress", columns=None, buildings: int = -1,
                 as_points: bool = False, labels=None):
    """Read the job's layers and settle what real data gets wrong (see input_checks): geometries with
    coordinates that are not numbers, geometry collections, points or lines where buildings (the table at
    index `buildings`) should be polygons, web-map datums, CRSs missing or not fitting the coordinates (the
    first layer is the reference), text encodings. labels: {index: column naming the rows in notes}.
    Returns (tables, per table: True where a geometry was set aside for non-finite coordinates)."""
    tables = [_read(inp, engine, (columns or {}).get(i)) for i, inp in enumerate(inputs)]
    notes = input_checks.encoding_notes(tables)
    try:
        bad = []
        for i, t in enumerate(tables):
            label = (labels or {}).get(i)
            found, more = input_checks.settle_geometries(t, i == buildings, as_points, t.column(label).tolist()
                                                         if label in t.columns else None)
            bad.append(found)
            notes += more
        notes += [n for inp, t in zip(inputs, tables) for n in datum_detect.settle(inp, t)]
        notes += input_checks.settle_crs(inputs, tables, reference=0)
    except (InputError, ValueError) as e:
        raise EngineError(str(e)) from None
    for n in notes:
        progress.info(n.message)
    progress.notes.extend(notes)
    return tables, bad


# -- the parts shared by assign and overlay ----------------------------------------------------------
class BuildingGeometry:
    """Buildings as geometries of the geometry backend (g) in a CRS where areas are in m², cleaned once."""

    def __init__(self, table: Table):
        self.g = g = geometry_backend()
        self.work_crs = area_crs_wkt(table.crs_wkt, table.wkb)
        cleaned = g.clean(g.from_wkb(table.wkb))
        self.source_geoms = cleaned.geoms
        self.geoms = g.reproject(cleaned.geoms, table.crs_wkt, self.work_crs)
        self.empty, self.repaired = cleaned.empty, cleaned.repaired
        self.usable = ~self.empty
        self.area = np.where(self.usable, g.area(self.geoms), 0.0)
        self._tree, self._wkb, self._source_crs = None, table.wkb, table.crs_wkt

    @property
    def tree(self):
        """One tree over the usable buildings, shared by the division lookup and every overlap."""
        if self._tree is None:
            self._tree = self.g.tree(self.geoms[self.usable], self._boxes())
        return self._tree

    def _boxes(self):
        """The usable buildings' bounding boxes read off their WKB at once (a QGIS-only backend would ask each
        geometry), the repaired ones from their repair; None: the backend takes them from the geometries."""
        if not self.g.TREE_TAKES_BOXES or self.work_crs != self._source_crs:
            return None
        boxes = wkb.bounds_many(self._wkb)
        fixed = np.flatnonzero(self.repaired & self.usable)
        boxes[fixed] = self.g.bounds(self.geoms[fixed])
        return boxes[self.usable]

    def release(self):
        """Drop the geometries once the geometry work is done (about 40 % of a large run's memory);
        only the repaired ones are still needed, for the output."""
        self.source_geoms = np.where(self.repaired, self.source_geoms, None)
        self.geoms = self._tree = self._wkb = None
        _return_freed_memory()

    def polygons(self, table: Table) -> np.ndarray:
        cleaned = self.g.clean(self.g.from_wkb(table.wkb))
        return self.g.reproject(cleaned.geoms[~cleaned.empty], table.crs_wkt, self.work_crs)


def _return_freed_memory():
    """Hand the heap freed by a million geometries back to the system (glibc keeps it otherwise, and Python's
    own arenas for the output cannot reuse it: 200 MB more peak at 1M)."""
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL("libc.so.6").malloc_trim(0)
        except (OSError, AttributeError):  # not glibc (musl): nothing to hand back this way
            pass


def planning_names(planning: List[LayerInput]) -> List[str]:
    names, seen = [], set()
    for p in planning:
        base = "".join(ch if ch.isalnum() else "_" for ch in p.label).strip("_") or "layer"
        name, k = base, 2
        while name.lower() in seen:  # two layers called "city" must not share output fields
            name, k = f"{base}_{k}", k + 1
        seen.add(name.lower())
        names.append(name)
    return names


def _overlaps(geo: BuildingGeometry, planning: List[LayerInput], tables: List[Table], progress: _Progress):
    """{field prefix: (area m², share %, hit)} for every planning layer."""
    out = {}
    points = np.flatnonzero(geo.usable & (geo.area == 0))  # point features: a hit is lying inside
    for table, name in zip(tables, planning_names(planning)):
        polys = geo.polygons(table)
        area = np.minimum(geo.g.overlap_area(geo.geoms, geo.usable, polys, geo.tree), geo.area)
        pct = np.divide(area * 100.0, geo.area, out=np.zeros_like(area), where=geo.area > 0)
        hit = area > geo.g.SLIVER_M2
        if len(points):
            x0, y0, _, _ = geo.g.bounds(geo.geoms[points]).T
            hit[points] = geo.g.first_polygon(x0, y0, polys) >= 0
            pct[points] = np.where(hit[points], 100.0, 0.0)
        out[name] = (area, pct, hit)
        progress.step("overlap_" + name)
    return out


def _overlap_columns(overlaps) -> Dict[str, np.ndarray]:
    cols = {}
    for name, (area, pct, hit) in overlaps.items():
        cols[f"{name}_area"] = np.round(area, 4)
        cols[f"{name}_pct"] = np.round(pct, 4)
        cols[f"{name}_hit"] = hit.astype(np.int32)
    return cols


def identities(table: Table, geo: BuildingGeometry, id_field: Optional[str], namespace: str):
    """Stable identity per feature: namespace + id value, or a fingerprint of the geometry (1 cm grid in metres,
    see fingerprints) where there is no id field or the id is null."""
    identity = np.full(len(table), None, dtype=object)
    null = _null_ids(table, id_field) if id_field else np.ones(len(table), dtype=bool)
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


def _years(table: Table, year_field: Optional[str], default_year: int):
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


def _division_codes(table: Table, field_name: str, profile: str, kind: str = "building") -> DivisionCodes:
    """The division codes at the level of the profile (AUTO: the `kind` profile of the layer's level, see
    division_levels), "" where a row has no usable code."""
    if field_name not in table.columns:
        raise EngineError(tr("The division layer has no field '{}' (fields: {}); choose the field that "
                             "holds the division code").format(field_name, ", ".join(table.field_order)))
    try:
        return resolve_division_codes(table.column(field_name).tolist(), profile, kind, field_name)
    except ValueError as e:
        raise EngineError(str(e)) from None


def division_level_note(layer: str, found: DivisionCodes) -> input_checks.Note:
    """The level the division codes were read at, for the log and the report's input checks."""
    return input_checks.Note("division_level", layer, found.message)


def registry_location(registry: Optional[str], output: str) -> str:
    """The registry a job uses: the one chosen, else a file beside the output; a file's folder is made
    (a database location is left alone: it is no path)."""
    location = registry or os.path.splitext(output)[0] + "_registry.sqlite"
    if not is_postgres_location(location):
        try:
            check_file_location(location)  # before a folder is made for it
        except RegistryError as e:
            raise EngineError(str(e)) from None
        if os.path.abspath(location) == os.path.abspath(output):  # the output is replaced whole
            raise EngineError(tr("The output cannot be the registry (or field package) {}: choose another output "
                                 "file. Nothing was changed.").format(location))
        os.makedirs(os.path.dirname(os.path.abspath(location)), exist_ok=True)
    return location


STAGED = ".citycode-tmp"  # in the names of outputs being written (and their side files)
STALE_AGE = 3600  # s: a staged file untouched this long was left by a run that was killed


def _remove_stale(folder: str, progress: Optional[_Progress] = None) -> List[str]:
    """Remove our staged files in `folder` that no run has touched for STALE_AGE (killed runs leave them);
    the log says which."""
    old = time.time() - STALE_AGE
    removed = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    for name in sorted(names):
        full = os.path.join(folder, name)
        try:
            if STAGED in name and os.path.isfile(full) and os.path.getmtime(full) < old:
                os.remove(full)
                removed.append(name)
        except OSError:
            pass  # another run took care of it, or we may not: left as it is
    if removed and progress is not None:
        progress.info(tr("Removed {} temporary files left by runs that were stopped: {}").format(
            len(removed), ", ".join(removed)))
    return removed


def _output_folder(path: str) -> str:
    """The folder of an output, made when missing; an EngineError when it cannot be made or written."""
    folder = os.path.dirname(os.path.abspath(path))
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError as e:
        raise EngineError(tr("The folder {} of the output cannot be made: {}. Nothing was changed.").format(
            folder, e.strerror or e)) from None
    if not os.access(folder, os.W_OK):
        raise EngineError(tr("The folder {} of the output cannot be written (permissions). Nothing was changed.")
                          .format(folder))
    return folder


MIN_ROW_BYTES = 300  # an output row takes at least this much (its geometry, code and result columns)


def _room_for_output(path: str, rows: int) -> None:
    """Refuse before any code is issued when the output's disk surely cannot hold it (a disk that fills up
    while the output is written is told after: the codes are kept then, see _output_error)."""
    folder = _output_folder(path)
    try:
        st = os.statvfs(folder)
    except (OSError, AttributeError):  # (no statvfs on Windows: the write will tell)
        return
    free, need = st.f_bavail * st.f_frsize, rows * MIN_ROW_BYTES + 2 ** 20
    if free < need:
        raise EngineError(tr("The disk of {} is full: {:.1f} MB free, the output needs at least {:.1f} MB. Nothing "
                             "was changed; free some space and run again.").format(folder, free / 2 ** 20,
                                                                                    need / 2 ** 20))


@contextmanager
def _staged_output(path: str, progress: Optional[_Progress] = None):
    """A temporary file beside `path` to write (its name this process's own: jobs writing the same output at
    once do not clash); moved over an earlier output when the block succeeds, removed when it fails (an
    earlier output stays as it was). Old staged files of killed runs in that folder are cleaned first."""
    folder = _output_folder(path)
    _remove_stale(folder, progress)
    base, ext = os.path.splitext(path)
    tmp = f"{base}{STAGED}-{os.getpid()}{ext}"
    layers.remove_dataset(tmp)
    try:
        yield tmp
    except BaseException:
        layers.remove_dataset(tmp)
        raise
    layers.remove_dataset(path)
    layers.move_dataset(tmp, path)


def _replace_output(write, path: str, progress: Optional[_Progress] = None):
    """write(temporary path), then that file moved over `path`; returns what write returns."""
    with _staged_output(path, progress) as tmp:
        return write(tmp)


def _waiting(progress: _Progress):
    """on_wait for a registry another job is writing: says who holds it every 10 s; a cancel gives up."""
    said = [0.0]

    def on_wait(who: str, waited: float):
        if progress.feedback is not None and progress.feedback.isCanceled():
            raise EngineError(tr("Canceled while waiting for the registry; nothing was changed"), canceled=True)
        if waited >= said[0]:
            progress.info(tr("Waiting for the registry, held by {} ({:.0f} s)").format(who, waited))
            said[0] = waited + 10
    return on_wait


def _output_error(path: str, e: Exception, issued) -> str:
    """What to tell the user when the output cannot be written after the registry committed."""
    new = int(issued.is_new.sum())
    why = tr("the disk is full") if disk_full(e) else str(e)
    return tr("The output {} could not be written: {}. An earlier output was left as it was. The registry keeps "
              "the {} new codes of this run: run it again once that is solved, and the same features get the same "
              "codes.").format(path, why, new)


def _log_renamed(progress: _Progress, renamed: Dict[str, str]):
    for old, new in (renamed or {}).items():
        progress.info(tr("Field {} is named {} in the shapefile (at most 10 bytes)").format(old, new))


# -- jobs --------------------------------------------------------------------------------------------
def run_assign(job: AssignJob, feedback=None) -> Result:
    engine = _engine_for(job.engine, [job.buildings, job.divisions] + list(job.planning))
    progress = _Progress(feedback, 7 + len(job.planning))
    progress.info(tr("Engine: {}").format(engine))
    if missing_message():
        progress.info(missing_message())
    if job.rule not in ("area", "centroid"):
        raise EngineError(tr("Unknown rule '{}': use 'area' or 'centroid'").format(job.rule))
    default_year = job.default_year or datetime.date.today().year
    no_table = input_checks.missing_table(job.buildings)
    if no_table and not job.allow_fingerprints:
        raise EngineError(tr("The attribute table of {} (its .dbf file) is missing: the buildings have no ids, only "
                             "their geometry. Restore the .dbf, or allow coding by geometry fingerprint (parameter "
                             "ALLOW_FINGERPRINTS; the dialog asks). Nothing was changed.").format(no_table))

    # Planning layers are read with all columns: GDAL 3.6's Arrow reader (the one inside QGIS 3.22)
    # returns empty geometries when asked for none, and planning layers are small.
    (divisions, buildings, *planning), (_, invalid, *_) = _read_inputs(
        [job.divisions, job.buildings] + list(job.planning), engine, progress, columns={0: [job.division_field]},
        buildings=1, as_points=job.non_polygons_as_points, labels={0: job.division_field})
    for table, what in ((buildings, tr("building")), (divisions, tr("division"))):
        if not len(table):
            raise EngineError(tr("The {} layer {} has no features: nothing to code. Choose a layer with features; "
                                 "nothing was changed.").format(what, table.name))
    for name in (job.year_field, job.id_field, job.unit_field, job.parts_field):
        if name:
            try:
                buildings.column(name)
            except InputError as e:
                raise EngineError(str(e)) from None
    if no_table:
        progress.notes.append(input_checks.Note("no_table", buildings.name, tr(
            "{}: the attribute table (.dbf) is missing; the buildings are coded by geometry fingerprint, as allowed")
            .format(no_table)))
        progress.info(progress.notes[-1].message)
    progress.step("read", tr("Read {} buildings and {} divisions").format(len(buildings), len(divisions)))

    geo = BuildingGeometry(buildings)
    found = _division_codes(divisions, job.division_field, job.profile)
    profile, div_codes_all, div_len = found.profile, found.codes, found.profile.segment("division").length
    if job.profile == AUTO:  # the report names the profile the codes have
        job = dataclasses.replace(job, profile=profile.name)
    div_clean = geo.g.clean(geo.g.from_wkb(divisions.wkb))
    keep = ~div_clean.empty  # a division without a usable code still holds its buildings (not coded)
    div_codes, div_geoms, notes = input_checks.merge_same_codes(
        divisions.name, div_codes_all[keep], div_clean.geoms[keep], np.flatnonzero(keep),
        geo.g.bounds(div_clean.geoms[keep]), geo.g)
    div_geoms = geo.g.reproject(div_geoms, divisions.crs_wkt, geo.work_crs)
    notes.insert(0, division_level_note(divisions.name, found))
    notes += input_checks.division_code_notes(divisions.name, divisions.column(job.division_field).tolist(),
                                             div_codes_all != "", div_len)
    notes += input_checks.coverage_notes(divisions.name, div_geoms, div_codes,
                                         geo.g.point_mapper(geo.work_crs, divisions.crs_wkt))
    for n in notes:
        progress.info(n.message)
    progress.notes.extend(notes)
    progress.step("prepare")

    # (Running these two in threads was measured slower: the GIL is held between GEOS calls.)
    loc = geo.g.locate(geo.geoms, geo.usable, div_geoms, job.rule, geo.tree)
    try:
        parts = building_parts.find(buildings, geo, job.parts, job.parts_field, job.id_field)
    except ValueError as e:
        raise EngineError(str(e)) from None
    progress.step("locate")
    overlaps = _overlaps(geo, job.planning, planning, progress)

    n = len(buildings)
    dataset = datasets.resolve(job.buildings, buildings.name, job.namespace)
    progress.info(dataset.describe())
    identity = identities(buildings, geo, job.id_field, dataset.namespace)
    old_fingerprints = degree_fingerprints(buildings, geo, identity)
    geo.release()
    layers.release_wkb(buildings, geo.repaired)
    years, year_defaulted = _years(buildings, job.year_field, default_year)
    status = np.full(n, "", dtype=object)
    status[geo.empty] = STATUS_EMPTY
    status[invalid] = STATUS_INVALID
    status[~geo.empty & (loc.home < 0)] = STATUS_OUTSIDE
    status[(loc.home >= 0) & (div_codes[np.maximum(loc.home, 0)] == "")] = STATUS_NO_DIVISION_CODE
    duplicate_of = _duplicate_of(identity)
    status[(duplicate_of >= 0) & (status == "")] = STATUS_DUPLICATE
    null_id = _null_ids(buildings, job.id_field) & geo.usable
    _identity_notes(progress, buildings.name, job.id_field, identity, status, duplicate_of, null_id)
    status[parts.mask] = building_parts.STATUS_PART  # coded from their building's code, not on their own
    want = np.flatnonzero(status == "")
    order = _order_key(buildings, job.id_field, n)
    unit = buildings.column(job.unit_field) if job.unit_field else None
    division = np.full(n, "", dtype=f"U{div_len}")
    division[loc.home >= 0] = div_codes[loc.home[loc.home >= 0]]  # "" where the division has no usable code
    progress.step("prepare_codes")

    actor = job.actor or default_actor()
    registry_path = registry_location(job.registry, job.output)
    codes = np.full(n, None, dtype=object)
    flags = _flags(n, geo.repaired, loc, year_defaulted)
    div_shares = np.full(n, None, dtype=object)
    for i, pairs in loc.shares.items():
        div_shares[i] = ";".join(f"{div_codes[d]}:{s:.4f}" for d, s in pairs)
    layer_name = buildings.name + "_coded"
    renamed = {}

    registered = np.full(n, None, dtype=object)  # conflicts: the identity's code in the registry

    def settle(issued):
        """Codes and status per feature from what the registry issued."""
        codes[want] = issued.code
        status[want] = np.where(issued.is_new, STATUS_NEW, STATUS_EXISTING)
        status[want[issued.exhausted]] = STATUS_EXHAUSTED
        # A code of another division than the one the feature lies in is a conflict, unless that division is
        # not in this division layer and the feature reaches beyond the layer (a field package's partial area).
        found = want[np.flatnonzero(~issued.is_new & ~issued.exhausted)]
        code_div = datasets.division_of(profile, codes[found])
        moved = found[(code_div != division[found]) & (np.isin(code_div, div_codes) | ~loc.partly_outside[found])]
        registered[moved], codes[moved], status[moved] = codes[moved], None, STATUS_CONFLICT
        parts.code(codes, status, profile)

    def write_output(tmp):
        out_cols = {
            "citycode": codes, "division": np.where(division == "", None, division).astype(object),
            "div_share": np.round(loc.share, 6), "straddle": loc.straddle.astype(np.int32),
            "div_shares": div_shares, "cc_status": status, "cc_flags": flags,
        }
        out_cols.update(_overlap_columns(overlaps))
        renamed.update(layers.write_layer(tmp, layer_name, buildings, out_cols, geo, engine))

    # The registry's write lock is held only while it stores the codes; the output is written after the
    # commit (a failure there: a re-run finds the codes by identity).
    _room_for_output(job.output, n)  # before any code is issued
    fresh = not is_postgres_location(registry_path) and not os.path.exists(registry_path)
    note = tr("batch {} -> {}").format(buildings.name, os.path.basename(job.output))
    try:
        with open_registry(registry_path) as reg:
            reg.on_wait, reg.job = _waiting(progress), note
            old, new, left = datasets.legacy_codes(reg, profile, dataset, identity[want], division[want])
            fp_old, fp_new, fp_shared = datasets.legacy_fingerprint_codes(
                reg, profile, old_fingerprints[want], identity[want], division[want])
            with reg.pending() if old or fp_old else nullcontext():  # adopted with the batch, or not at all
                if old:
                    reg.adopt_identities(profile, old, new, actor, f"{dataset.legacy} -> {dataset.namespace}")
                if fp_old:
                    reg.adopt_identities(profile, fp_old, fp_new, actor, "fingerprints: degrees -> metres")
                issued = reg.issue(profile, IssueRequest(
                    identity=identity[want], division=division[want], year=years[want], order=order[want],
                    unit=None if unit is None else np.array([str(u or "").zfill(5) for u in unit[want]])),
                    actor, note=note)
    except BaseException as e:
        if fresh:  # e.g. a full disk or a cancel while waiting: no empty registry left behind
            discard_if_unused(registry_path)
        if isinstance(e, (RegistryError, ValueError)):
            raise EngineError(str(e)) from None
        raise
    settle(issued)
    registry_step(progress, registry_path, issued, "registry")
    try:
        with _staged_output(job.output, progress) as tmp:
            write_output(tmp)
    except (OSError, RuntimeError, InputError, sqlite3.Error) as e:
        raise EngineError(_output_error(job.output, e, issued)) from None
    progress.step("write", cancelable=False)
    datasets.store_namespace(job.output, layer_name, dataset.namespace)  # coding the output again finds its codes
    adoption = {"adopted": len(old), "left": left}
    if old:
        progress.info(tr("{} codes issued under the layer name {} were adopted by this dataset").format(
            len(old), dataset.legacy))
    if fp_old:
        progress.info(tr("{} codes issued to these buildings under their former fingerprints (0.01° grid) were "
                         "carried over to their fingerprints in metres").format(len(fp_old)))
    if fp_shared:
        progress.info(tr("{} codes were issued under former fingerprints (0.01° grid) that several of these "
                         "buildings share: which building had each cannot be told, so they were not carried over; "
                         "retire them in the code form (History shows them) if they are no longer needed")
                      .format(fp_shared))
    if left:
        progress.info(tr("{} ids of this layer are in the registry under the layer name {} but lie in other "
                         "divisions: they belong to another dataset and were not used").format(left, dataset.legacy))
    if (status == STATUS_CONFLICT).any():
        progress.info(tr("{} features have a code in the registry of another division than the one they lie in "
                         "now: listed as conflicts, not coded (see the report)").format(
            int((status == STATUS_CONFLICT).sum())))
    _log_renamed(progress, renamed)

    counts = report_mod.counts(status, loc, geo, overlaps, year_defaulted)
    if parts:
        parts.counts(counts, status)
        progress.notes += [parts.summary(buildings.name, status)] + parts.notes
        progress.info(progress.notes[-1 - len(parts.notes)].message)
    rep = report_mod.build(job, buildings, div_codes, division, status, loc, geo, overlaps, counts,
                           identity, registry_path, engine, progress.timings, progress.notes,
                           dataset=dataset, adoption=adoption, registered=registered, duplicate_of=duplicate_of,
                           null_id=null_id)
    report_path = report_mod.write_report(rep, job.report) if job.report else None
    progress.step("report", cancelable=False)
    return Result(output=job.output, output_layer=layer_name, report=report_path, counts=counts,
                  engine=engine, registry=registry_path, timings=progress.timings)


def registry_step(progress: _Progress, registry_path: str, issued, name: str = "registry") -> None:
    """Log what the registry did, including every sequence (or field-package block) that ran out."""
    for message in issued.messages:
        progress.info(message)
    progress.step(name, tr("Registry {}: {} new codes, {} existing")
                  .format(registry_path, int(issued.is_new.sum()), int((~issued.is_new & ~issued.exhausted).sum())),
                  cancelable=False)


def _duplicates(identity: np.ndarray) -> np.ndarray:
    """True for every feature whose identity an earlier feature already has (the first keeps it)."""
    return _duplicate_of(identity) >= 0


def _duplicate_of(identity: np.ndarray) -> np.ndarray:
    """Per feature, the index of the first feature with the same identity when that is an earlier one, else -1."""
    out = np.full(len(identity), -1, dtype=np.int64)
    first = {}
    for i, key in enumerate(identity.tolist()):  # a dict beats sorting a million strings (4x)
        if key is not None and first.setdefault(key, i) != i:
            out[i] = first[key]
    return out


def _null_ids(table: Table, id_field: Optional[str]) -> np.ndarray:
    if not id_field:
        return np.zeros(len(table), dtype=bool)
    return np.array([v is None or v != v for v in table.column(id_field).tolist()], dtype=bool)


def _identity_notes(progress: _Progress, layer: str, id_field, identity, status, duplicate_of, null_id):
    """Say which features share an identity and why, and which fell back to their fingerprint."""
    notes = []
    dup = np.flatnonzero(status == STATUS_DUPLICATE)
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


def _order_key(table: Table, id_field: Optional[str], n: int) -> np.ndarray:
    """Sequence numbers follow the id (numeric ids numerically), else the input order."""
    if id_field:
        values = table.column(id_field)
        try:
            return np.array([np.inf if v is None else float(v) for v in values.tolist()])
        except (TypeError, ValueError):
            return np.unique(np.array(["" if v is None else str(v) for v in values.tolist()]),
                             return_inverse=True)[1]
    return np.arange(n)


def _flags(n, repaired, loc, year_defaulted) -> np.ndarray:
    flags = np.full(n, "", dtype=object)
    for mask, name in ((repaired, "repaired"), (loc.straddle, "straddle"), (loc.partly_outside, "partly_outside"),
                       (loc.centroid_outside, "centroid_outside"), (year_defaulted, "year_default")):
        flags[mask] = flags[mask] + name + ","
    flags = np.array([f.rstrip(",") or None for f in flags.tolist()], dtype=object)
    return flags


def run_overlay(job: OverlayJob, feedback=None) -> Result:
    if not job.planning:
        raise EngineError(tr("Choose at least one planning layer to check against"))
    engine = _engine_for(job.engine, [job.buildings] + list(job.planning))
    progress = _Progress(feedback, 3 + len(job.planning))
    (buildings, *planning), (invalid, *_) = _read_inputs([job.buildings] + list(job.planning), engine, progress)
    progress.step("read", tr("Read {} features").format(len(buildings)))
    geo = BuildingGeometry(buildings)
    overlaps = _overlaps(geo, job.planning, planning, progress)
    out_cols = _overlap_columns(overlaps)
    layer_name = buildings.name + "_overlay"
    _log_renamed(progress, _replace_output(
        lambda path: layers.write_layer(path, layer_name, buildings, out_cols, geo, engine), job.output, progress))
    progress.step("write")
    counts = {"total": len(buildings), "empty": int(geo.empty.sum()), "repaired": int(geo.repaired.sum()),
              "invalid_geometry": int(invalid.sum())}
    for name, (area, _, hit) in overlaps.items():
        counts[f"{name}_hits"] = int(hit.sum())
    rep = report_mod.build_overlay(job, buildings, geo, overlaps, counts, engine, progress.timings, progress.notes)
    report_path = report_mod.write_report(rep, job.report) if job.report else None
    progress.step("report")
    return Result(output=job.output, output_layer=layer_name, report=report_path, counts=counts, engine=engine,
                  timings=progress.timings)
