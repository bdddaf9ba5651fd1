"""The vintage update: a new building survey matched to last year's coded buildings.

Matching is by geometry only (a survey brings its own ids, or none): every new building is intersected with the
old ones its box meets, and a pair is a link when one side lies mostly in the other (share of its area >= LINK).
The links make groups (connected components); the shape of a group is its change:

  1 old - 1 new    unchanged (shift <= tolerance, area within AREA_TOL, both shares >= LINK) or modified;
  1 old - n new    split (each part mostly inside the old building);
  n old - 1 new    merged (each old building mostly inside the new one);
  0 old - 1 new    new;       1 old - 0 new   demolished, only when wholly inside the surveyed area
                                             (else outside: untouched);
  anything else    ambiguous: left for review, nothing changed.

`classify` gives a Plan (numpy arrays, whatever the geometry backend); `apply` carries it out in the registry
in one transaction, with the registry's own split / merge / retire, so the lineage is the one the code form
records; it can be run again: what is done already is found and reused, nothing changes twice.
"""
import os
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional

import numpy as np

from ..i18n import tr
from ..engine.layers import LayerInput
from ..registry.base import IssueRequest, RegistryError

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


def _components(a: np.ndarray, b: np.ndarray, n: int) -> np.ndarray:
    """Connected component label (its smallest node) of each of n nodes joined by the edges a-b."""
    label = np.arange(n)
    while True:
        m = np.minimum(label[a], label[b])
        before = label.copy()
        np.minimum.at(label, a, m)
        np.minimum.at(label, b, m)
        while True:  # pointer jumping: every node to its root
            jumped = label[label]
            if (jumped == label).all():
                break
            label = jumped
        if (label == before).all():
            return label


def convex_hull(xy: np.ndarray) -> np.ndarray:
    """The closed ring of the convex hull of points (m, 2): the points inside the octagon of the extreme ones
    dropped at once (Akl-Toussaint), the rest by Andrew's monotone chain."""
    pts = xy[np.isfinite(xy).all(axis=1)]
    if len(pts) >= 8:
        x, y = pts[:, 0], pts[:, 1]
        ext = [int(np.argmax(v)) for v in (x, x + y, y, y - x, -x, -x - y, -y, x - y)]
        octagon = pts[list(dict.fromkeys(ext))]
        if len(octagon) >= 3:
            inside = np.ones(len(pts), dtype=bool)
            for a, b in zip(octagon, np.roll(octagon, -1, axis=0)):  # counter-clockwise: inside is left
                inside &= (b[0] - a[0]) * (y - a[1]) - (b[1] - a[1]) * (x - a[0]) > 0
            pts = pts[~inside]
    pts = sorted(set(map(tuple, pts.tolist())))
    if len(pts) < 3:
        raise ValueError(tr("The new survey has no area: it needs buildings with geometries"))

    def half(points):
        out = []
        for p in points:
            while len(out) >= 2 and (out[-1][0] - out[-2][0]) * (p[1] - out[-2][1]) - \
                    (out[-1][1] - out[-2][1]) * (p[0] - out[-2][0]) <= 0:
                out.pop()
            out.append(p)
        return out[:-1]
    ring = half(pts) + half(pts[::-1])
    return np.array(ring + ring[:1], dtype=float)


def _ring_frames(xy: np.ndarray, offsets: np.ndarray):
    """Per ring (closed, as ops.rings gives them): its number of distinct vertices, the vertex to start from (the
    lowest along a fixed slanted direction; -1 when the next lowest is within 2 MOVED_EPS of it, so noise could
    swap them), its direction (+1 counter-clockwise) and its perimeter."""
    n = np.diff(offsets) - 1
    first = offsets[:-1]
    ok = n >= 3
    start = np.full(len(n), -1, dtype=np.int64)
    step = np.ones(len(n), dtype=np.int64)
    perimeter = np.zeros(len(n))
    if not ok.any() or not len(xy):
        return n, start, step, perimeter
    seg = np.hypot(*np.diff(xy, axis=0).T)
    seg = np.r_[seg, 0.0]
    ring_of = np.repeat(np.arange(len(n)), n + 1)
    last = np.zeros(len(xy), dtype=bool)
    last[offsets[1:][n + 1 > 0] - 1] = True  # the closing vertex: no edge from it, not a vertex of its own
    perimeter = np.bincount(ring_of[~last], seg[~last], minlength=len(n))
    cross = xy[:-1, 0] * xy[1:, 1] - xy[1:, 0] * xy[:-1, 1]
    twice_area = np.bincount(ring_of[:-1][~last[:-1]], cross[~last[:-1]], minlength=len(n))
    step[twice_area < 0] = -1
    proj = xy @ np.array([0.8090169943749475, 0.5877852522924731])  # 36 degrees: no building edge runs so
    proj[last] = np.inf
    rings_with = np.flatnonzero(n + 1 > 0)
    low_value = np.full(len(n), np.inf)
    low_value[rings_with] = np.minimum.reduceat(proj, offsets[rings_with])
    hits = np.flatnonzero(proj == low_value[ring_of])
    ring_hit, first_hit_at = np.unique(ring_of[hits], return_index=True)  # the first lowest vertex of each ring
    low = hits[first_hit_at]
    rest = proj.copy()
    rest[low] = np.inf
    second_value = np.minimum.reduceat(rest, offsets[rings_with])
    start[ring_hit] = low - first[ring_hit]
    start[rings_with[second_value - low_value[rings_with] < 2 * MOVED_EPS]] = -1
    start[~ok] = -1
    return n, start, step, perimeter


def _frames(xy: np.ndarray, offsets: np.ndarray, chunk: int = 200_000):
    """_ring_frames of `chunk` rings at a time (its temporaries for a million rings would take ~0.5 GB)."""
    parts = []
    for k in range(0, len(offsets) - 1, chunk):
        off = offsets[k:k + chunk + 1]
        parts.append(_ring_frames(xy[off[0]:off[-1]], off - off[0]))
    if not parts:
        return _ring_frames(xy, offsets)
    return tuple(np.concatenate(column) for column in zip(*parts))


def _moved(new_rings, old_rings, ni, oj, chunk: int = 200_000):
    """For the pairs (ni, oj): the shift (dx, dy) when the new building is the old one moved, every vertex by
    that shift within MOVED_EPS (NaN otherwise), and the old ring's perimeter. Pairs `chunk` at a time: a
    million pairs of a few vertices each would otherwise need several hundred MB at once."""
    (xy_n, off_n), (xy_o, off_o) = new_rings, old_rings
    fn, fo = _frames(xy_n, off_n), _frames(xy_o, off_o)
    n = fn[0][ni]
    test = np.flatnonzero((n == fo[0][oj]) & (n >= 3) & (fn[1][ni] >= 0) & (fo[1][oj] >= 0))
    shift = np.full((len(ni), 2), np.nan)
    for k in range(0, len(test), chunk):
        part = test[k:k + chunk]
        shift[part] = _shift_of(xy_n, off_n, fn, xy_o, off_o, fo, ni[part], oj[part], n[part])
    return shift, fo[3][oj]


def _shift_of(xy_n, off_n, fn, xy_o, off_o, fo, i, j, m):
    """The common shift of pairs of rings with m vertices each (NaN where a vertex strays beyond MOVED_EPS)."""
    pair = np.repeat(np.arange(len(i)), m)
    t = np.arange(m.sum()) - np.repeat(np.cumsum(m) - m, m)
    vn = off_n[i][pair] + (fn[1][i][pair] + fn[2][i][pair] * t) % m[pair]
    vo = off_o[j][pair] + (fo[1][j][pair] + fo[2][j][pair] * t) % m[pair]
    d = xy_n[vn] - xy_o[vo]
    mean = np.c_[np.bincount(pair, d[:, 0]), np.bincount(pair, d[:, 1])] / m[:, None]
    dev = np.hypot(*(d - mean[pair]).T)
    worst = np.maximum.reduceat(dev, np.cumsum(m) - m)  # each pair's vertices lie together
    mean[worst > MOVED_EPS] = np.nan
    return mean


def surveyed(ops, old: np.ndarray, new: np.ndarray, area: Optional[np.ndarray] = None, tree=None) -> np.ndarray:
    """Old buildings wholly inside the surveyed area (the given polygons, else the hull of the new survey).
    tree: ops.tree of the old buildings that have a geometry, when the caller has one."""
    if area is None or not len(area):
        b = ops.bounds(new)
        corners = np.r_[b[:, [0, 1]], b[:, [2, 1]], b[:, [2, 3]], b[:, [0, 3]]]
        region = ops.polygon(convex_hull(corners))
    else:
        region = ops.union(area)
    inside = np.zeros(len(old), dtype=bool)
    usable = np.flatnonzero(np.array([g is not None for g in old], dtype=bool))
    one = np.array([region], dtype=object)
    pj, bi = ops.query(tree or ops.tree(old[usable]), one)
    if len(bi):
        inside[usable[bi[ops.contains_properly(ops.prepare(one), pj, old[usable][bi])]]] = True
    return inside


def classify(ops, old: np.ndarray, new: np.ndarray, tolerance: float = DEFAULT_TOLERANCE,
             area: Optional[np.ndarray] = None) -> Plan:
    """The plan of changes from old to new buildings (geometries of backend `ops`, one CRS in metres; None:
    missing). area: the polygons surveyed (None: the new survey's convex hull)."""
    if tolerance < 0:
        raise ValueError(tr("The tolerance must be 0 metres or more"))
    n_new, n_old = len(new), len(old)
    ok_old = np.flatnonzero(np.array([g is not None for g in old], dtype=bool))
    ok_new = np.flatnonzero(np.array([g is not None for g in new], dtype=bool))
    old_area, new_area = np.zeros(n_old), np.zeros(n_new)
    old_area[ok_old], new_area[ok_new] = ops.area(old[ok_old]), ops.area(new[ok_new])
    # candidates: boxes meet; then the real overlap of each pair
    tree = ops.tree(old[ok_old])
    ni, oj = ops.query(tree, new[ok_new])
    ni, oj = ok_new[ni], ok_old[oj]
    # A building moved as a whole (most of a survey) overlaps its old self by at least its area less what its
    # outline sweeps: enough to be sure of the link without intersecting it. The others are intersected.
    shift, perimeter = _moved(ops.rings(new), ops.rings(old), ni, oj)
    sure = np.minimum(new_area[ni], old_area[oj]) - perimeter * (np.hypot(shift[:, 0], shift[:, 1]) + MOVED_EPS)
    sure = np.where(np.isfinite(sure), sure, -1.0)
    inter = sure.copy()
    # what is left of a building beside its moved self bounds its overlap with any other: too little to link
    rest_new, rest_old = new_area.copy(), old_area.copy()
    np.minimum.at(rest_new, ni, np.maximum(new_area[ni] - sure, 0.0))
    np.minimum.at(rest_old, oj, np.maximum(old_area[oj] - sure, 0.0))
    can_link = np.minimum(rest_new[ni], rest_old[oj]) >= LINK * np.minimum(new_area[ni], old_area[oj])
    exact = np.flatnonzero((sure < LINK * np.maximum(new_area[ni], old_area[oj])) & can_link)
    if len(exact):
        inter[exact] = ops.pair_intersection_area(new[ni[exact]], old[oj[exact]])
    s_new = inter / np.where(new_area[ni] > 0, new_area[ni], 1.0)
    s_old = inter / np.where(old_area[oj] > 0, old_area[oj], 1.0)
    link = np.maximum(s_new, s_old) >= LINK
    ni, oj, inter, s_new, s_old, shift = ni[link], oj[link], inter[link], s_new[link], s_old[link], shift[link]

    label = _components(ni, n_new + oj, n_new + n_old)
    linked = np.zeros(n_new + n_old, dtype=bool)
    linked[ni] = linked[n_new + oj] = True
    new_group, old_group = label[:n_new], label[n_new:]  # a building without links is a group of its own
    new_linked, old_linked = linked[:n_new], linked[n_new:]
    size = n_new + n_old
    kn = np.bincount(new_group, minlength=size)
    ko = np.bincount(old_group, minlength=size)
    # per group: every link's shares must hold for a split (parts inside the old) or merge (olds inside the new)
    g = label[ni]
    min_s_new = np.ones(size)
    np.minimum.at(min_s_new, g, s_new)
    min_s_old = np.ones(size)
    np.minimum.at(min_s_old, g, s_old)
    cover_old = np.bincount(g, weights=s_old, minlength=size)  # how much of the (one) old the parts cover
    cover_new = np.bincount(g, weights=s_new, minlength=size)

    kind = np.full(size, AMBIGUOUS, dtype=object)
    one = (kn == 1) & (ko == 1)
    kind[one] = MODIFIED
    kind[one & (np.minimum(min_s_new, min_s_old) < KEEP_SHARE)] = AMBIGUOUS
    kind[(kn >= 2) & (ko == 1) & (min_s_new >= LINK) & (cover_old >= LINK)] = SPLIT
    kind[(kn == 1) & (ko >= 2) & (min_s_old >= LINK) & (cover_new >= LINK)] = MERGED

    new_class = np.full(n_new, NEW, dtype=object)
    new_class[new_linked] = kind[new_group[new_linked]]
    old_class = np.where(surveyed(ops, old, new, area, tree), DEMOLISHED, OUTSIDE).astype(object)
    old_class[old_linked] = kind[old_group[old_linked]]

    # 1-1: the code is carried; unchanged when it did not move beyond the tolerance nor change its area
    carried = np.full(n_new, -1, dtype=np.int64)
    pair = one[g] & (kind[g] == MODIFIED)
    pn, po = ni[pair], oj[pair]
    carried[pn] = po
    moved, area_change = np.full(n_new, np.nan), np.full(n_new, np.nan)
    if len(pn):
        d = shift[pair]  # of a building moved as a whole: its vertices' shift; of the others: their centroids'
        redo = np.flatnonzero(np.isnan(d[:, 0]))
        d[redo] = ops.centroid_xy(new[pn[redo]]) - ops.centroid_xy(old[po[redo]])
        moved[pn] = np.hypot(d[:, 0], d[:, 1])
        area_change[pn] = new_area[pn] / np.where(old_area[po] > 0, old_area[po], 1.0) - 1
        same = (moved[pn] <= tolerance) & (np.abs(area_change[pn]) <= AREA_TOL) & \
            (np.minimum(s_new[pair], s_old[pair]) >= LINK)
        new_class[pn[same]], old_class[po[same]] = UNCHANGED, UNCHANGED
    return Plan(new_class, old_class, new_group, old_group, carried, moved, area_change, new_area, old_area)


@dataclass
class Applied:
    """What `apply` did: the code per new building and the counts of registry changes."""
    code: np.ndarray
    status: np.ndarray          # the class written per new building (ambiguous where the registry disagrees)
    issued: int = 0
    retired: int = 0
    splits: int = 0
    merges: int = 0
    recorded: int = 0           # modified codes whose change was recorded
    already: int = 0            # changes found done by an earlier run
    messages: List[str] = field(default_factory=list)


def _active(reg, codes: List[str]) -> set:
    """The codes among `codes` that are active."""
    rows = reg._in("SELECT code FROM codes WHERE status='active' AND code IN ({})", sorted(set(codes)))
    return {r[0] for r in rows}


def _children(reg, code: str, profile: str) -> Dict[str, str]:
    """{identity: code} of the codes `code` was split or merged into."""
    out = {}
    for child in reg.lineage(code)["children"]:
        rec = reg.get(child)
        if rec is not None and rec.profile == profile and rec.identity:
            out[rec.identity] = child
    return out


def apply(reg, profile, plan: Plan, old_codes: np.ndarray, identity: np.ndarray, division: np.ndarray, year: int,
          actor: str, note: str, alongside: Optional[Callable[[Applied], None]] = None) -> Applied:
    """Carry out the plan in registry `reg` in one transaction; alongside(applied) (e.g. writing the new layer)
    runs inside it, so layer and registry stand or fall together.

    identity: of each new building (its code's identity), division: where each new building lies (for new
    codes). The registry records what its own retire / split / merge / update record (parent retired with its
    reason, lineage parent -> child, split_from / merged_from, the change in the code's attributes), with one
    batch per kind of change instead of one per building, and every new code (new buildings, parts, merged
    buildings) issued in one batch: a survey changes tens of thousands of buildings. What an earlier run did is
    found and reused, so a re-run changes nothing.
    """
    n = len(plan.new_class)
    code = np.full(n, None, dtype=object)
    status = plan.new_class.copy()
    done = Applied(code=code, status=status)
    old_codes = np.asarray(old_codes, dtype=object)
    uncoded = np.equal(old_codes, None)
    # An old building without a code (outside every division, or never coded) that is still there has none to
    # carry: where it now lies in a division it is coded as new, else it stays without a code.
    carried = np.flatnonzero(plan.carried >= 0)
    fresh = carried[uncoded[plan.carried[carried]]]
    status[fresh[np.asarray(division, dtype=str)[fresh] != ""]] = NEW
    changed = np.flatnonzero(np.isin(plan.old_class, (DEMOLISHED, SPLIT, MERGED)))
    if uncoded[changed].any():
        raise RegistryError(tr("{} old buildings that the survey changes have no code; code the old layer "
                               "first").format(int(uncoded[changed].sum())))
    touched = np.flatnonzero(np.isin(plan.old_class, (UNCHANGED, MODIFIED, DEMOLISHED, SPLIT, MERGED)) & ~uncoded)

    def refuse(idx, why):
        status[idx] = AMBIGUOUS
        code[idx] = None
        done.messages.append(why)

    def work():
        active = _active(reg, old_codes[touched].tolist())
        carry = carried[~uncoded[plan.carried[carried]]]
        code[carry] = old_codes[plan.carried[carry]]
        for i in carry[~np.isin(code[carry].astype(str), list(active))].tolist() if len(carry) else []:
            refuse([i], tr("Code {} is no longer active in the registry: building left for review").format(code[i]))
        # splits and merges to do (parents active) or done by an earlier run (found through the lineage)
        todo = []  # (kind, parents, new indices)
        for g, (new_i, old_j) in plan.members_of(plan.new_group[np.isin(status, (SPLIT, MERGED))]).items():
            parents, ids = old_codes[old_j].tolist(), identity[new_i].tolist()
            if all(p in active for p in parents):
                todo.append((str(status[new_i[0]]), parents, new_i))
                continue
            found = [_children(reg, p, profile.name) for p in parents]
            kids = {k: v for k, v in found[0].items() if all(f.get(k) == v for f in found[1:])}
            if all(i in kids for i in ids):
                code[new_i] = [kids[i] for i in ids]
                done.already += 1
            else:
                refuse(new_i, tr("Codes {} changed in the registry since the old layer was made: left for "
                                 "review").format(", ".join(parents)))
        # every new code in one batch: new buildings where they lie, parts and merged ones in their first parent's
        # division (as the registry's split and merge); an identity coded by an earlier run keeps its code
        rows = np.r_[np.flatnonzero(status == NEW), np.concatenate([t[2] for t in todo]) if todo else []]
        rows = rows.astype(np.int64)
        where = division.astype(object).copy()
        for kind, parents, new_i in todo:
            where[new_i] = reg._active(parents[0]).division
        known = reg._existing(profile.name, identity[rows]) if len(rows) else {}
        if len(known) == len(rows):  # all coded by an earlier run: no batch at all
            code[rows] = [known.get(i) for i in identity[rows]]
            done.already += len(rows)
        else:
            issued = reg.issue(profile, IssueRequest(
                identity=identity[rows], division=where[rows].astype(str), year=np.full(len(rows), int(year)),
                order=rows), actor, note)
            code[rows] = issued.code
            done.issued = int(issued.is_new.sum())
            done.messages += issued.messages
            status[rows[issued.exhausted]] = AMBIGUOUS
            fresh = set(rows[issued.is_new].tolist())
            done.already += len(rows) - len(fresh) - int(issued.exhausted.sum())
            for kind, parents, new_i in [t for t in todo if not set(t[2].tolist()) <= fresh]:
                refuse(new_i, tr("Codes {} changed in the registry since the old layer was made: left for "
                                 "review").format(", ".join(parents)))
            todo = [t for t in todo if set(t[2].tolist()) <= fresh]
        _record_changes(reg, plan, todo, code, old_codes, active, status, year, actor, note, done)
        if alongside:
            alongside(done)
        return done

    with reg.pending():
        return work()


def _record_changes(reg, plan, todo, code, old_codes, active, status, year, actor, note, done):
    """The registry's records of modified, demolished, split and merged buildings (see apply)."""
    import json
    changed = []
    for i in np.flatnonzero(status == MODIFIED).tolist():
        rec = reg._active(code[i])
        change = {"year": int(year), "area_change": round(float(plan.area_change[i]), 4),
                  "shift_m": None if np.isnan(plan.shift[i]) else round(float(plan.shift[i]), 3)}
        if rec.attrs.get("vintage") == change:
            done.already += 1
        else:
            changed.append((rec, dict(rec.attrs, vintage=change)))
    if changed:  # as Registry.update
        batch = reg.new_batch(actor, "update", note, len(changed))
        for rec, attrs in changed:
            reg._set_descriptive(rec.code, rec.name, json.dumps(attrs, ensure_ascii=False))
            reg._audit(batch, rec.code, "update", {"name": [rec.name, rec.name], "attrs": [rec.attrs, attrs]})
        done.recorded = len(changed)
    gone = [c for c in old_codes[plan.old_class == DEMOLISHED].tolist() if c in active]
    done.already += int((plan.old_class == DEMOLISHED).sum()) - len(gone)
    if gone:  # as Registry.retire
        reason = tr("demolished (survey {})").format(year)
        batch = reg.new_batch(actor, "retire", reason, len(gone))
        for c in gone:
            reg._retire(reg._active(c), batch, reason)
        done.retired = len(gone)
    for kind in (SPLIT, MERGED):  # as Registry.split and Registry.merge
        groups = [t for t in todo if t[0] == kind]
        if not groups:
            continue
        batch = reg.new_batch(actor, "split" if kind == SPLIT else "merge", note,
                           sum(len(t[2]) if kind == SPLIT else len(t[1]) for t in groups))
        for _, parents, new_i in groups:
            for p in parents:
                reg._retire(reg._active(p), batch, "split" if kind == SPLIT else "merge")
            for child in code[new_i].tolist():
                for p in parents:
                    reg._link(p, child, "split" if kind == SPLIT else "merge", batch)
                if kind == SPLIT:
                    reg._audit(batch, child, "split_from", {"parent": parents[0]})
                else:
                    reg._audit(batch, child, "merged_from", {"parents": parents})
        if kind == SPLIT:
            done.splits = len(groups)
        else:
            done.merges = len(groups)


def report(plan: Plan, done: Applied, new_division: np.ndarray, old_division: np.ndarray, old_codes: np.ndarray,
           largest: int = 20) -> Dict:
    """Counts per division and class (new buildings by where they lie; demolished ones by their old code) and
    the largest changes."""
    rows: Dict[tuple, int] = {}
    for d, c in zip(new_division.tolist(), done.status.tolist()):
        rows[(d or "", c)] = rows.get((d or "", c), 0) + 1
    for d, c in zip(old_division.tolist(), plan.old_class.tolist()):
        if c == DEMOLISHED:
            rows[(d or "", c)] = rows.get((d or "", c), 0) + 1
    per_division: Dict[str, Dict[str, int]] = {}
    for (d, c), k in sorted(rows.items()):
        per_division.setdefault(d, {})[c] = k
    totals = {c: int((done.status == c).sum()) for c in CLASSES + (REJECTED,)}
    totals[DEMOLISHED] = int((plan.old_class == DEMOLISHED).sum())
    totals[OUTSIDE] = int((plan.old_class == OUTSIDE).sum())
    big = []
    for g in plan.changes()[:largest]:
        new_i, old_j = plan.members(g)
        big.append({"class": plan.group_class(g), "old": [str(old_codes[j]) for j in old_j],
                    "new": [str(done.code[i]) if done.code[i] else None for i in new_i],
                    "old_area": round(float(plan.old_area[old_j].sum()), 1),
                    "new_area": round(float(plan.new_area[new_i].sum()), 1)})
    return {"totals": {k: v for k, v in totals.items() if v}, "per_division": per_division, "largest": big,
            "changes": {"issued": done.issued, "retired": done.retired, "splits": done.splits,
                         "merges": done.merges, "recorded": done.recorded, "already": done.already},
            "messages": done.messages}


# -- the job: read, classify, (review), apply and write ---------------------------------------------------------
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


@dataclass
class Session:
    """A job read and classified, not yet applied: the review changes `plan`, then `commit` applies it."""
    job: VintageJob
    plan: Plan
    old: object                    # Table
    new: object                    # Table
    geo: object                    # engine.BuildingGeometry of the survey
    old_geoms: np.ndarray          # in geo.work_crs
    old_codes: np.ndarray
    identity: np.ndarray
    profile: object
    div_geoms: np.ndarray
    div_codes: np.ndarray
    year: int
    progress: object
    engine: str


@dataclass
class VintageResult:
    output: str
    output_layer: str
    report: Optional[str]
    summary: Dict
    registry: str
    applied: Applied
    code_field: str = "citycode"


def prepare(job: VintageJob, feedback=None) -> Session:
    """Read the layers and classify every building; nothing is written."""
    import datetime
    from ..engine.buildings import BuildingGeometry
    from ..engine.identities import identities
    from ..engine.layers import InputError
    from ..engine import jobs
    from ..registry.datasets import resolve

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
    geo = BuildingGeometry(new)
    g = geo.g
    new_geoms = np.where(geo.usable, geo.geoms, None)
    old_clean = g.clean(g.from_wkb(old.wkb))
    old_geoms = np.where(old_clean.empty, None, g.reproject(old_clean.geoms, old.crs_wkt, geo.work_crs))
    for table in (old, new):  # the output is written from the WKB and the columns: Arrow's copy of the
        table.geometry_arrow = table.arrow = None  # geometries can go
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
    try:
        plan = classify(g, old_geoms, new_geoms, job.tolerance, area)
    except ValueError as e:
        raise jobs.EngineError(str(e)) from None
    plan.new_class[~geo.usable] = AMBIGUOUS  # no geometry: nothing to match or code
    counts = ["{} {}".format(int((plan.new_class == c).sum()), class_label(c)) for c in CLASSES
              if (plan.new_class == c).any()]
    progress.step("match", tr("Matched: {}").format(", ".join(counts)))
    dataset = resolve(job.new, new.name)
    identity = identities(new, geo, job.id_field, dataset.namespace)
    return Session(job, plan, old, new, geo, old_geoms, old_codes, identity, found.profile, div_geoms,
                   found.codes[keep], int(job.year or datetime.date.today().year), progress, engine)


def commit(s: Session, release: bool = False) -> VintageResult:
    """Apply the (reviewed) plan: registry changes and the new layer in one transaction, then the report.
    release: let go of the geometries once they are no longer needed (a session that is not applied again)."""
    from ..engine import jobs, layer_writer, layers
    from ..registry.datasets import division_of
    from ..registry.base import default_actor
    from ..registry.backends import open_registry

    job, plan, g = s.job, s.plan, s.geo.g
    n = len(plan.new_class)
    # new buildings without a code to carry (none matched, or their old building had none): where do they lie
    carries = plan.carried >= 0
    carries[carries] = np.not_equal(np.asarray(s.old_codes, dtype=object)[plan.carried[carries]], None)
    located = np.flatnonzero(~carries)
    usable = np.zeros(n, dtype=bool)
    usable[located] = s.geo.usable[located]
    division = np.full(n, "", dtype=object)
    if usable.any():
        home = g.locate(s.geo.geoms, usable, s.div_geoms, "area").home
        division[home >= 0] = s.div_codes[home[home >= 0]]
    no_division = (plan.new_class == NEW) & (division == "")
    if no_division.any():  # no division to code them in: left for review
        plan.new_class[no_division] = AMBIGUOUS
        s.progress.info(tr("{} new buildings lie in no division: left for review").format(int(no_division.sum())))
    if release:  # the layer is written from the WKB as read
        s.geo.release()
        s.old_geoms = s.div_geoms = None
    s.progress.step("locate")

    actor = job.actor or default_actor()
    registry_path = jobs.registry_location(job.registry, job.output)
    layer_name = "buildings_" + str(s.year)
    keep_old = np.flatnonzero(np.isin(plan.old_class, (OUTSIDE, AMBIGUOUS)))

    def write(done: Applied):
        status = done.status
        parents = np.full(n, None, dtype=object)
        for new_i, old_j in plan.members_of(plan.new_group[np.isin(status, (SPLIT, MERGED))]).values():
            parents[new_i] = ";".join(s.old_codes[old_j].astype(str))
        carried = np.flatnonzero(plan.carried >= 0)
        parents[carried] = s.old_codes[plan.carried[carried]]
        ours = _OUTPUT_FIELDS | {job.code_field.lower()}
        columns = [(f, np.concatenate([np.asarray(s.new.column(f), dtype=object), np.full(len(keep_old), None)]))
                   for f in s.new.field_order if f.lower() not in ours]
        columns += [
            (job.code_field, np.r_[done.code, s.old_codes[keep_old]]),
            ("cc_change", np.r_[status, plan.old_class[keep_old]]),
            ("cc_old", np.r_[parents, np.full(len(keep_old), None)]),
            ("cc_shift", np.r_[np.round(plan.shift, 3), np.full(len(keep_old), np.nan)]),
            ("cc_area_chg", np.r_[np.round(plan.area_change, 4), np.full(len(keep_old), np.nan)]),
        ]
        old_wkb = s.old.wkb[keep_old]
        if s.old.crs_wkt != s.new.crs_wkt and len(keep_old):
            old_wkb = g.to_wkb(g.reproject(g.from_wkb(old_wkb), s.old.crs_wkt, s.new.crs_wkt))
        layer_writer.write_table(tmp, layer_name, columns, np.r_[s.new.wkb, old_wkb], "MultiPolygon"
                                 if "Multi" in s.new.geometry_type or "Multi" in s.old.geometry_type else "Polygon",
                                 s.new.crs_wkt, kinds=s.new.field_types)

    try:
        with jobs.staged_output(job.output) as tmp, open_registry(registry_path) as reg:
            done = apply(reg, s.profile, plan, s.old_codes, s.identity, division.astype(str), s.year, actor,
                         tr("vintage {}: {} -> {}").format(s.year, s.new.name, os.path.basename(job.output)),
                         alongside=write)
    except (RegistryError, ValueError, layers.InputError) as e:
        raise jobs.EngineError(str(e)) from None
    s.progress.step("registry", tr("Registry {}: {} new codes, {} retired, {} splits, {} merges").format(
        registry_path, done.issued, done.retired, done.splits, done.merges), cancelable=False)
    for m in done.messages:
        s.progress.info(m)
    coded = np.array([c is not None for c in done.code], dtype=bool)
    new_div = division.copy()
    new_div[coded] = division_of(s.profile, done.code[coded].astype(str))
    old_div = np.full(len(s.old_codes), "", dtype=object)
    has = s.old_codes != None  # noqa: E711 (element-wise)
    old_div[has] = division_of(s.profile, s.old_codes[has].astype(str))
    summary = report(plan, done, new_div, old_div, s.old_codes)
    summary.update(year=s.year, old=s.old.name, new=s.new.name, output=job.output, registry=registry_path,
                   tolerance=job.tolerance)
    path = write_report(summary, job.report) if job.report else None
    s.progress.step("report", cancelable=False)
    return VintageResult(job.output, layer_name, path, summary, registry_path, done, job.code_field)


_OUTPUT_FIELDS = {"cc_change", "cc_old", "cc_shift", "cc_area_chg"}


def run_update(job: VintageJob, feedback=None) -> VintageResult:
    """citycode:updatevintage: classify, apply what is certain, leave the ambiguous for review."""
    return commit(prepare(job, feedback), release=True)


def write_report(summary: Dict, path: str) -> str:
    """The change report as JSON (.json) or HTML."""
    import html
    import json
    os.makedirs(os.path.dirname(os.path.abspath(path)) or ".", exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        if path.lower().endswith(".json"):
            json.dump(summary, f, ensure_ascii=False, indent=1)
            return path
        e = html.escape
        classes = [c for c in CLASSES + (REJECTED,) if c in summary["totals"]]
        rows = "".join("<tr><td>{}</td>{}</tr>".format(e(d or "-"), "".join(
            "<td>{}</td>".format(counts.get(c, "")) for c in classes)) for d, counts in summary["per_division"].items())
        big = "".join("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>".format(
            e(class_label(b["class"])), e(", ".join(b["old"])), e(", ".join(c or "-" for c in b["new"])),
            b["old_area"], b["new_area"]) for b in summary["largest"])
        f.write("<!DOCTYPE html><html><head><meta charset='utf-8'><title>{0}</title></head><body><h1>{0}</h1>"
                "<p>{1}</p><h2>{2}</h2><table border='1'><tr><th>{3}</th>{4}</tr>{5}</table>"
                "<h2>{6}</h2><table border='1'><tr><th>{7}</th><th>{8}</th><th>{9}</th><th>{10}</th><th>{11}</th>"
                "</tr>{12}</table></body></html>".format(
                    e(tr("Vintage update {}").format(summary["year"])),
                    e(tr("{} (old) and {} (survey); registry: {}").format(summary["old"], summary["new"],
                                                                          summary["registry"])),
                    e(tr("Changes per division")), e(tr("Division")),
                    "".join("<th>{}</th>".format(e(class_label(c))) for c in classes), rows,
                    e(tr("Largest changes")), e(tr("Change")), e(tr("Old codes")), e(tr("New codes")),
                    e(tr("Old area (m²)")), e(tr("New area (m²)")), big))
    return path


def class_renderer(field_name: str = "cc_change", outline_only: bool = False):
    """A categorized renderer colouring features by change class (outline_only: the old buildings, dashed)."""
    from qgis.core import QgsCategorizedSymbolRenderer, QgsFillSymbol, QgsRendererCategory
    categories = []
    for name, color in COLORS.items():
        props = {"color": "0,0,0,0", "outline_color": color, "outline_width": "0.5", "outline_style": "dash"} \
            if outline_only else {"color": color, "outline_color": "#424242", "outline_width": "0.1"}
        categories.append(QgsRendererCategory(name, QgsFillSymbol.createSimple(props), class_label(name)))
    return QgsCategorizedSymbolRenderer(field_name, categories)


def change_map(result: VintageResult, path: str, divisions=None, division_field: str = "code", fmt: str = "pdf",
               title: str = "") -> List[str]:
    """The change map through the map export (maps.build_map): this year's buildings coloured by change class,
    with the divisions; PDF or PNG. Returns the files written."""
    from qgis.core import QgsVectorLayer
    from ..output import maps
    layer = QgsVectorLayer("{}|layername={}".format(result.output, result.output_layer), result.output_layer, "ogr")
    doc = maps.build_map(maps.MapInputs(buildings=layer, divisions=divisions, division_field=division_field,
                                        code_field=result.code_field),
                         title=title or tr("Changes of the {} survey").format(result.summary["year"]))
    doc.layers["buildings"].setRenderer(class_renderer())
    legend = doc.layout.itemById("legend")
    if legend is not None:  # the classes in the legend (build_map hides the buildings' own rules)
        from qgis.core import QgsLegendRenderer, QgsLegendStyle
        node = legend.model().rootGroup().findLayer(doc.layers["buildings"])
        if node is not None:
            QgsLegendRenderer.setNodeLegendStyle(node, QgsLegendStyle.Style.Subgroup)
            node.setName(tr("Change"))
        legend.updateLegend()
    return maps.export(doc, path, fmt)
