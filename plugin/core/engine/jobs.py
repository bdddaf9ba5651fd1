"""The job kernel shared by every batch job (the one-pass engine, monitoring points, field packages, the
vintage update, the in-database twin): progress and cancel, the user-facing EngineError, reading and settling
inputs, division codes, the registry's location and log lines, and outputs staged beside their destination so
that a failed run leaves an earlier output as it was."""
import ctypes
import datetime
import os
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Dict, List, Optional

import numpy as np

from . import input_checks, layers
from ..china import datum_detect
from ..china.division_levels import DivisionCodes, resolve as resolve_division_codes
from ..exceptions import CityCodeError
from ..i18n import tr
from ..registry.base import RegistryError, check_file_location
from ..registry.pg_connection import is_postgres_location
from ..registry.sqlite import disk_full, input_damage
from .layers import InputError, LayerInput, Table


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
class Result:
    output: str
    output_layer: str
    report: Optional[str]
    counts: Dict[str, int]
    engine: str
    registry: Optional[str] = None
    timings: Dict[str, float] = field(default_factory=dict)


class Progress:
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


def engine_for(job_engine: str, inputs: List[LayerInput]) -> str:
    if job_engine == "auto" and not all(layers.can_read_fast(i) for i in inputs):
        return "qgis"
    # Arrow: pyogrio's when it is there, else GDAL's own stream in osgeo.ogr (named "gdal-arrow")
    return layers.fast_reader() if job_engine in ("auto", "arrow") else job_engine


def _read(inp: LayerInput, engine: str, columns=None) -> Table:
    try:
        return layers.read(inp, columns=columns, engine=engine)
    except InputError as e:
        raise EngineError(input_damage(inp.path) or str(e)) from None


def read_all(inputs: List[LayerInput], engine: str, progress: "Progress", columns=None) -> List[Table]:
    return read_inputs(inputs, engine, progress, columns)[0]


def read_inputs(inputs: List[LayerInput], engine: str, progress: "Progress", columns=None, buildings: int = -1,
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


def return_freed_memory():
    """Hand the heap freed by a million geometries back to the system (glibc keeps it otherwise, and Python's
    own arenas for the output cannot reuse it: 200 MB more peak at 1M)."""
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL("libc.so.6").malloc_trim(0)
        except (OSError, AttributeError):  # not glibc (musl): nothing to hand back this way
            pass


def division_codes(table: Table, field_name: str, profile: str, kind: str = "building") -> DivisionCodes:
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


def _remove_stale(folder: str, progress: Optional[Progress] = None) -> List[str]:
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


def room_for_output(path: str, rows: int) -> None:
    """Refuse before any code is issued when the output's disk surely cannot hold it (a disk that fills up
    while the output is written is told after: the codes are kept then, see output_error)."""
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
def staged_output(path: str, progress: Optional[Progress] = None):
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


def replace_output(write, path: str, progress: Optional[Progress] = None):
    """write(temporary path), then that file moved over `path`; returns what write returns."""
    with staged_output(path, progress) as tmp:
        return write(tmp)


def on_registry_wait(progress: Progress):
    """on_wait for a registry another job is writing: says who holds it every 10 s; a cancel gives up."""
    said = [0.0]

    def on_wait(who: str, waited: float):
        if progress.feedback is not None and progress.feedback.isCanceled():
            raise EngineError(tr("Canceled while waiting for the registry; nothing was changed"), canceled=True)
        if waited >= said[0]:
            progress.info(tr("Waiting for the registry, held by {} ({:.0f} s)").format(who, waited))
            said[0] = waited + 10
    return on_wait


def output_error(path: str, e: Exception, issued) -> str:
    """What to tell the user when the output cannot be written after the registry committed."""
    new = int(issued.is_new.sum())
    why = tr("the disk is full") if disk_full(e) else str(e)
    return tr("The output {} could not be written: {}. An earlier output was left as it was. The registry keeps "
              "the {} new codes of this run: run it again once that is solved, and the same features get the same "
              "codes.").format(path, why, new)


def log_renamed(progress: Progress, renamed: Dict[str, str]):
    for old, new in (renamed or {}).items():
        progress.info(tr("Field {} is named {} in the shapefile (at most 10 bytes)").format(old, new))


def registry_step(progress: Progress, registry_path: str, issued, name: str = "registry") -> None:
    """Log what the registry did, including every sequence (or field-package block) that ran out."""
    for message in issued.messages:
        progress.info(message)
    progress.step(name, tr("Registry {}: {} new codes, {} existing")
                  .format(registry_path, int(issued.is_new.sum()), int((~issued.is_new & ~issued.exhausted).sum())),
                  cancelable=False)


def filled(n: int, value: str) -> np.ndarray:
    """An object array of n references to one string (np.full makes a copy of it per element: ~60 MB a
    million)."""
    out = np.empty(n, dtype=object)
    out[:] = value
    return out


def duplicates(identity: np.ndarray) -> np.ndarray:
    """True for every feature whose identity an earlier feature already has (the first keeps it)."""
    return duplicate_of(identity) >= 0


def duplicate_of(identity: np.ndarray) -> np.ndarray:
    """Per feature, the index of the first feature with the same identity when that is an earlier one, else -1."""
    out = np.full(len(identity), -1, dtype=np.int64)
    first = {}
    for i, key in enumerate(identity.tolist()):  # a dict beats sorting a million strings (4x)
        if key is not None and first.setdefault(key, i) != i:
            out[i] = first[key]
    return out
