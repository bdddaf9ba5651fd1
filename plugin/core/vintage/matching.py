"""Matching new buildings to old ones by geometry: the candidate pairs (boxes meet) and, of each, how much of
either side lies in the other; a pair is a link when one side lies mostly in the other (share >= LINK).
A building moved as a whole (most of a survey) is recognised from its vertices and needs no intersection."""
import numpy as np

from ..engine.jobs import return_freed_memory
from .plan import LINK, MOVED_EPS


CHUNK = 100_000  # old buildings made and met at a time


def links(ops, old, new: np.ndarray, ok_new: np.ndarray, new_area: np.ndarray, chunk: int = CHUNK):
    """The links (ni, oj) between new and old buildings (indices; ok_new: the new ones with a geometry), with the
    share of each side's area in the other (s_new, s_old), the shift (dx, dy) of a building moved as a whole (NaN
    for the others), and the area of every old building (0: none).

    old: geometries, an array or made when indexed (plan.MadeWhenAsked): they are met `chunk` at a time against a
    tree of the new ones, so only a chunk of them lives at once; the pairs left to intersect make theirs again."""
    tree = ops.tree(new[ok_new])
    old_area = np.zeros(len(old))
    found = [_met(ops, tree, new, ok_new, new_area, old[np.arange(k, min(k + chunk, len(old)))], k, old_area)
             for k in range(0, len(old), chunk)]
    del tree
    return_freed_memory()  # the tree's and the chunks' GEOS heap: the arrays below would not reuse it
    if found:
        ni, oj, shift, perimeter = (np.concatenate(column) for column in zip(*found))
        del found
    else:
        ni, oj, shift, perimeter = np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros((0, 2)), np.zeros(0)
    # A building moved as a whole (most of a survey) overlaps its old self by at least its area less what its
    # outline sweeps: enough to be sure of the link without intersecting it. The others are intersected.
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
    link = np.flatnonzero(np.maximum(s_new, s_old) >= LINK)
    link = link[np.lexsort((oj[link], ni[link]))]  # by new building, as a tree of the old ones would give them
    return ni[link], oj[link], s_new[link], s_old[link], shift[link], old_area


def _met(ops, tree, new, ok_new, new_area, geoms, k, old_area):
    """The candidate pairs (ni, oj, shift, the old ring's perimeter) of old buildings k, k + 1, ... (`geoms`),
    their areas written to old_area."""
    ok = np.flatnonzero(np.array([g is not None for g in geoms], dtype=bool))
    old_area[k + ok] = ops.area(geoms[ok])
    oj, ni = ops.query(tree, geoms[ok])  # candidates: boxes meet
    ni, oj = ok_new[ni], ok[oj]
    met, at = np.unique(ni, return_inverse=True)  # the new buildings met: their rings only
    met = new[met]
    xy_n, off_n = ops.rings(met)
    xy_o, off_o = ops.rings(geoms)
    shift, perimeter = _moved((xy_n, off_n, _frames(xy_n, off_n)), (xy_o, off_o, _frames(xy_o, off_o)), at, oj)
    # a pair not moved as a whole whose boxes overlap by less than a link needs is none (most candidates are
    # neighbours whose boxes meet), nor does it bound another link (see rest_ in links): dropped now
    bn, bo = ops.bounds(met)[at], ops.bounds(geoms[oj])
    box = np.clip(np.minimum(bn[:, 2], bo[:, 2]) - np.maximum(bn[:, 0], bo[:, 0]), 0, None) * \
        np.clip(np.minimum(bn[:, 3], bo[:, 3]) - np.maximum(bn[:, 1], bo[:, 1]), 0, None)
    keep = np.isfinite(shift[:, 0]) | (box >= LINK * np.minimum(new_area[ni], old_area[k + oj]) * (1 - 1e-9))
    # (the margin: GEOS's intersection area may round above the boxes' overlap)
    return ni[keep], k + oj[keep], shift[keep], perimeter[keep]


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
    that shift within MOVED_EPS (NaN otherwise), and the old ring's perimeter. Rings as (xy, offsets, _frames);
    pairs `chunk` at a time: a million pairs of a few vertices each would otherwise need several hundred MB."""
    (xy_n, off_n, fn), (xy_o, off_o, fo) = new_rings, old_rings
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
