"""The change of every building: the links (matching.links) make groups, the shape of a group is its class
(see plan), and old buildings without a link are demolished when wholly inside the surveyed area."""
from typing import Optional

import numpy as np

from ..engine.jobs import filled, return_freed_memory
from ..i18n import tr
from .matching import links
from .plan import (AMBIGUOUS, AREA_TOL, DEFAULT_TOLERANCE, DEMOLISHED, KEEP_SHARE, LINK, MERGED, MODIFIED, NEW,
                   OUTSIDE, SPLIT, UNCHANGED, Plan)


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


def _hull_candidates(xy: np.ndarray) -> np.ndarray:
    """The points of xy (m, 2) that may be vertices of its convex hull: those inside the octagon of the extreme
    ones dropped (Akl-Toussaint)."""
    pts = xy[np.isfinite(xy).all(axis=1)]
    if len(pts) < 8:
        return pts
    x, y = np.ascontiguousarray(pts[:, 0]), np.ascontiguousarray(pts[:, 1])
    ext = [int(np.argmax(v)) for v in (x, x + y, y, y - x, -x, -x - y, -y, x - y)]
    octagon = pts[list(dict.fromkeys(ext))]
    if len(octagon) < 3:
        return pts
    inside = np.ones(len(pts), dtype=bool)
    for a, b in zip(octagon, np.roll(octagon, -1, axis=0)):  # counter-clockwise: inside is left
        inside &= (b[0] - a[0]) * (y - a[1]) - (b[1] - a[1]) * (x - a[0]) > 0
    return pts[~inside]


def convex_hull(xy: np.ndarray, chunk: int = 1 << 20) -> np.ndarray:
    """The closed ring of the convex hull of points (m, 2): the candidates of each `chunk` of points (see
    _hull_candidates: a few temporaries of a chunk's size at a time), then Andrew's monotone chain."""
    pts = np.concatenate([_hull_candidates(xy[k:k + chunk]) for k in range(0, len(xy), chunk)] or [xy[:0]])
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


def _corners(boxes: np.ndarray) -> np.ndarray:
    """The corners (4n, 2) of boxes (n, 4)."""
    return np.r_[boxes[:, [0, 1]], boxes[:, [2, 1]], boxes[:, [2, 3]], boxes[:, [0, 3]]]


def surveyed(ops, old: np.ndarray, new: np.ndarray, area: Optional[np.ndarray] = None) -> np.ndarray:
    """Old buildings wholly inside the surveyed area (the given polygons, else the hull of the new survey)."""
    if area is None or not len(area):
        step = 1 << 16  # buildings at a time: only their boxes' corners that may be on the hull are kept
        region = ops.polygon(convex_hull(np.concatenate(
            [_hull_candidates(_corners(ops.bounds(new[k:k + step]))) for k in range(0, len(new), step)]
            or [np.zeros((0, 2))])))
    else:
        region = ops.union(area)
    inside = np.zeros(len(old), dtype=bool)
    usable = np.flatnonzero(np.array([g is not None for g in old], dtype=bool))
    one = np.array([region], dtype=object)
    if not len(usable):
        return inside
    pj, bi = ops.query(ops.tree(old[usable]), one)
    if len(bi):
        inside[usable[bi[ops.contains_properly(ops.prepare(one), pj, old[usable][bi])]]] = True
    return inside


def classify(ops, old, new: np.ndarray, tolerance: float = DEFAULT_TOLERANCE,
             area: Optional[np.ndarray] = None) -> Plan:
    """The plan of changes from old to new buildings (geometries of backend `ops`, one CRS in metres; None:
    missing; the old ones may be made when indexed, see matching.links). area: the polygons surveyed (None: the
    new survey's convex hull)."""
    if tolerance < 0:
        raise ValueError(tr("The tolerance must be 0 metres or more"))
    n_new, n_old = len(new), len(old)
    ok_new = np.flatnonzero(np.array([g is not None for g in new], dtype=bool))
    new_area = np.zeros(n_new)
    new_area[ok_new] = ops.area(new[ok_new])
    ni, oj, s_new, s_old, shift, old_area = links(ops, old, new, ok_new, new_area)
    return_freed_memory()  # what matching let go of: the arrays per group below would not reuse it

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

    kind = filled(size, AMBIGUOUS)
    one = (kn == 1) & (ko == 1)
    kind[one] = MODIFIED
    kind[one & (np.minimum(min_s_new, min_s_old) < KEEP_SHARE)] = AMBIGUOUS
    kind[(kn >= 2) & (ko == 1) & (min_s_new >= LINK) & (cover_old >= LINK)] = SPLIT
    kind[(kn == 1) & (ko >= 2) & (min_s_old >= LINK) & (cover_new >= LINK)] = MERGED
    del kn, ko, min_s_new, min_s_old, cover_old, cover_new  # ~100 MB at 1M that the steps below can use

    new_class = filled(n_new, NEW)
    new_class[new_linked] = kind[new_group[new_linked]]
    old_class = filled(n_old, OUTSIDE)
    alone = np.flatnonzero(~old_linked)  # only these can be demolished: the others are what their group is
    old_class[alone[surveyed(ops, old[alone], new, area)]] = DEMOLISHED
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
