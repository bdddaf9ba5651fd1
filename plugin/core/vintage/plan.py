"""The vintage update's terms and its input: the change classes and thresholds, the Plan (what the survey
changes, per building, as numpy arrays), the job, and the Session (a job read, then classified, not yet applied)
with `read`, which reads and checks the layers.

Matching is by geometry only (a survey brings its own ids, or none): every new building is intersected with the
old ones its box meets, and a pair is a link when one side lies mostly in the other (share of its area >= LINK).
The links make groups (connected components); the shape of a group is its change:

  1 old - 1 new    unchanged (shift <= tolerance, area within AREA_TOL, both shares >= LINK) or modified;
  1 old - n new    split (each part mostly inside the old building);
  n old - 1 new    merged (each old building mostly inside the new one);
  0 old - 1 new    new;       1 old - 0 new   demolished, only when wholly inside the surveyed area
                                             (else outside: untouched);
  anything else    ambiguous: left for review, nothing changed.
"""
from dataclasses import dataclass
from typing import Dict, List, Optional

import numpy as np

from ..i18n import tr
from ..engine.layers import LayerInput

UNCHANGED, MODIFIED, NEW, DEMOLISHED = "unchanged", "modified", "new", "demolished"
SPLIT, MERGED, AMBIGUOUS, OUTSIDE, REJECTED = "split", "merged", "ambiguous", "outside", "rejected"
CLASSES = (UNCHANGED, MODIFIED, NEW, DEMOLISHED, SPLIT, MERGED, AMBIGUOUS, OUTSIDE)

LINK = 0.5        # a pair is linked when this share of one side's area lies in the other
KEEP_SHARE = 0.3  # 1-1: below this share of the smaller side it is no longer the same building (ambiguous)
AREA_TOL = 0.05   # unchanged: area within +-5 % (redrawing moves vertices by centimetres)
DEFAULT_TOLERANCE = 2.0  # metres a survey may be shifted and still be unchanged
MOVED_EPS = 0.1   # a building whose every vertex moved by the same shift within this (m) is the same shape moved
# colours of the classes on the review map and the change map
COLORS = {UNCHANGED: "#bdbdbd", MODIFIED: "#ff9800", NEW: "#2e7d32", DEMOLISHED: "#d50000", SPLIT: "#00acc1",
          MERGED: "#1565c0", AMBIGUOUS: "#ffd600", OUTSIDE: "#eeeeee", REJECTED: "#795548"}


def class_label(name: str) -> str:
    return {UNCHANGED: tr("unchanged"), MODIFIED: tr("modified"), NEW: tr("new"), DEMOLISHED: tr("demolished"),
            SPLIT: tr("split"), MERGED: tr("merged"), AMBIGUOUS: tr("ambiguous"), OUTSIDE: tr("outside the survey"),
            REJECTED: tr("rejected")}.get(name, name)


@dataclass
class Plan:
    """What the survey changes. new_* per new building, old_* per old one; a group is a connected set of links
    (ids shared by both sides; a building without links is a group of its own). carried: the old building whose
    code a new one keeps (-1: none)."""
    new_class: np.ndarray
    old_class: np.ndarray
    new_group: np.ndarray
    old_group: np.ndarray
    carried: np.ndarray
    shift: np.ndarray          # per new building in a 1-1 group: how far it moved (m), else NaN
    area_change: np.ndarray    # per new building in a 1-1 group: new area / old area - 1, else NaN
    new_area: np.ndarray
    old_area: np.ndarray

    def members(self, group: int):
        """(new indices, old indices) of a group."""
        return np.flatnonzero(self.new_group == group), np.flatnonzero(self.old_group == group)

    def members_of(self, groups) -> Dict[int, tuple]:
        """{group: (new indices, old indices)} of many groups at once (one sort instead of a scan per group)."""
        wanted = np.unique(np.asarray(list(groups), dtype=np.int64))
        empty = np.zeros(0, dtype=np.int64)
        found = [{}, {}]
        for side, group in enumerate((self.new_group, self.old_group)):
            idx = np.flatnonzero(np.isin(group, wanted))
            idx = idx[np.argsort(group[idx], kind="stable")]
            keys, starts = np.unique(group[idx], return_index=True)
            found[side] = dict(zip(keys.tolist(), np.split(idx, starts[1:])))
        return {g: (found[0].get(g, empty), found[1].get(g, empty)) for g in wanted.tolist()}

    def changes(self) -> List[int]:
        """Every group that changes something (all but unchanged), largest area first."""
        groups = np.unique(np.r_[self.new_group[self.new_class != UNCHANGED],
                                 self.old_group[(self.old_class != UNCHANGED) & (self.old_class != OUTSIDE)]])
        if not len(groups):
            return []
        size = int(max(self.new_group.max(initial=0), self.old_group.max(initial=0))) + 1
        area = np.maximum(np.bincount(self.new_group, self.new_area, size), np.bincount(self.old_group, self.old_area,
                                                                                        size))
        return groups[np.argsort(-area[groups], kind="stable")].tolist()

    def group_class(self, group: int) -> str:
        new, old = self.members(group)
        return str(self.new_class[new[0]] if len(new) else self.old_class[old[0]])

    def reject(self, group: int) -> None:
        """Leave a group as it was: old buildings untouched (codes kept), new ones not coded."""
        new, old = self.members(group)
        self.new_class[new] = REJECTED
        self.carried[new] = -1
        self.old_class[old] = OUTSIDE

    def rematch(self, new: int, old: int) -> None:
        """The reviewer's match: new building `new` continues old building `old` (modified, code carried), or
        is new (old = -1). Both leave their groups; what is left of those stays ambiguous for review."""
        fresh = int(max(self.new_group.max(initial=-1), self.old_group.max(initial=-1))) + 1
        for g in {int(self.new_group[new])} | ({int(self.old_group[old])} if old >= 0 else set()):
            n, o = self.members(g)
            self.new_class[n[n != new]] = AMBIGUOUS
            self.carried[n[n != new]] = -1
            self.old_class[o[o != old]] = AMBIGUOUS
        self.new_group[new] = fresh
        if old >= 0:
            prev = np.flatnonzero(self.carried == old)
            self.carried[prev] = -1
            self.new_class[prev] = AMBIGUOUS
            self.old_group[old], self.old_class[old] = fresh, MODIFIED
            self.new_class[new], self.carried[new] = MODIFIED, old
        else:
            self.new_class[new], self.carried[new] = NEW, -1
        self.shift[new] = self.area_change[new] = np.nan
        if old >= 0:
            self.area_change[new] = self.new_area[new] / self.old_area[old] - 1 if self.old_area[old] else np.nan


@dataclass
class VintageJob:
    old: LayerInput                # last year's coded buildings
    new: LayerInput                # this year's survey
    divisions: LayerInput          # where new buildings get their codes
    output: str
    code_field: str = "citycode"
    division_field: str = "code"
    id_field: Optional[str] = None  # the survey's own ids (None: geometry fingerprints)
    area: Optional[LayerInput] = None  # the polygons surveyed (None: the survey's convex hull)
    tolerance: float = DEFAULT_TOLERANCE
    year: Optional[int] = None
    registry: Optional[str] = None
    report: Optional[str] = None
    actor: Optional[str] = None
    engine: str = "auto"


class MadeWhenAsked:
    """Geometries made when indexed (by an index or an array of them), e.g. the old buildings from their WKB:
    a million GEOS geometries weigh some 350 MB, and matching meets each once (a chunk at a time), then only
    the few it intersects or the review shows."""

    def __init__(self, n: int, make):
        self.n, self.make = n, make  # make(int array) -> object array of geometries (None: missing)

    def __len__(self):
        return self.n

    def __getitem__(self, idx):
        if np.ndim(idx) == 0:
            return self.make(np.array([idx], dtype=np.int64))[0]
        idx = np.asarray(idx)
        return self.make(np.flatnonzero(idx) if idx.dtype == bool else idx.astype(np.int64))


@dataclass
class Session:
    """A job read (`read`) and classified, not yet applied: the review changes `plan`, then `commit` applies it."""
    job: VintageJob
    old: object                    # Table
    new: object                    # Table
    geo: object                    # engine.BuildingGeometry of the survey
    old_geoms: MadeWhenAsked       # in geo.work_crs
    old_codes: np.ndarray
    profile: object
    div_geoms: np.ndarray
    div_codes: np.ndarray
    year: int
    progress: object
    engine: str
    area: Optional[np.ndarray] = None  # the polygons surveyed, in geo.work_crs (None: the survey's convex hull)
    plan: Optional[Plan] = None


def read(job: VintageJob, feedback=None) -> Session:
    """Read the layers, check the old codes and make the geometries (one CRS in metres); nothing is written."""
    import datetime
    from ..engine.buildings import BuildingGeometry
    from ..engine.layers import InputError
    from ..engine import jobs

    inputs = [job.new, job.old, job.divisions] + ([job.area] if job.area else [])
    engine = jobs.engine_for(job.engine, inputs)
    progress = jobs.Progress(feedback, 6)
    tables = jobs.read_all(inputs, engine, progress, columns={1: [job.code_field]})  # of the old: only the codes
    new, old, divisions = tables[:3]
    for table, name in ((old, job.code_field), (new, job.id_field)):
        if name:
            try:
                table.column(name)
            except InputError as e:
                raise jobs.EngineError(str(e)) from None
    progress.step("read", tr("Read {} old buildings, {} surveyed").format(len(old), len(new)))
    for table in (old, new):  # the output is written from the WKB and numpy columns: Arrow's batches (its
        table.columns = {n: table.column(n) for n in table.columns}  # copy of the geometries too) can go
        table.geometry_arrow = table.arrow = None
    jobs.return_freed_memory()
    geo = BuildingGeometry(new)
    g = geo.g

    def old_geoms(idx):  # cleaned, in the work CRS (None: no usable geometry)
        if not len(idx):
            return np.zeros(0, dtype=object)
        cleaned = g.clean(g.from_wkb(old.wkb[idx]))
        return np.where(cleaned.empty, None, g.reproject(cleaned.geoms, old.crs_wkt, geo.work_crs))
    area = geo.polygons(tables[3]) if job.area else None
    found = jobs.division_codes(divisions, job.division_field, "auto")
    div_clean = g.clean(g.from_wkb(divisions.wkb))
    keep = ~div_clean.empty
    div_geoms = g.reproject(div_clean.geoms[keep], divisions.crs_wkt, geo.work_crs)
    old_codes = np.array([None if c in (None, "") or c != c else str(c) for c in old.column(job.code_field).tolist()],
                         dtype=object)
    coded = old_codes[old_codes != None]  # noqa: E711 (element-wise)
    if not len(coded):
        raise jobs.EngineError(tr("The old layer has no codes in field {}: choose the coded layer and its code "
                               "field").format(job.code_field))
    if (np.char.str_len(coded.astype(str)) != found.profile.length).any():
        raise jobs.EngineError(tr("Codes in field {} are not {}-character codes of profile {} (the profile of the "
                               "divisions' level); choose the matching code field and divisions").format(
            job.code_field, found.profile.length, found.profile.name))
    progress.step("prepare")
    return Session(job, old, new, geo, MadeWhenAsked(len(old), old_geoms), old_codes, found.profile, div_geoms,
                   found.codes[keep], int(job.year or datetime.date.today().year), progress, engine, area)
