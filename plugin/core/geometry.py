"""Vectorised geometry work on whole layers (shapely 2): repair, division lookup, overlap areas.

Query orientation matters: a tree over the buildings queried with each division or planning polygon
prepares every big polygon once, instead of testing a million points against unprepared polygons
(30x faster on 585-vertex divisions, see shared/bench/RESULTS.md).

shapely 2 lets go of the GIL inside its vectorised calls, so the heavy ones (validity, predicates,
intersections, tree queries) run as a few slices in threads on large layers: about 1.5x on 2 cores
(scripts/bench_floor.py). Slices come back in order, so results are the same as in one call.
"""
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import shapely

# A share below this (or an intersection below SLIVER_M2) is a digitising sliver along a shared edge,
# not a real straddle.
SHARE_EPS = 1e-4
SLIVER_M2 = 0.01
# Division boundaries are cut into pieces of this many vertices so each piece has a tight bounding box;
# division areas into pieces of at most PIECE_VERTICES vertices for the same reason.
BOUNDARY_PIECE = 16
PIECE_VERTICES = 64
SUBDIVIDE_FROM = 100_000  # buildings
# CITYCODE_THREADS=1 turns the threads off; CITYCODE_SLICE_FROM lets tests slice small layers too.
THREADS = int(os.environ.get("CITYCODE_THREADS", 0)) or min(4, os.cpu_count() or 1)
SLICE_FROM = int(os.environ.get("CITYCODE_SLICE_FROM", 0)) or 20_000  # fewer items: too short for threads to pay
_pool = None


def _slices(n: int, slice_from: int = 0):
    k = THREADS if n >= (slice_from or SLICE_FROM) else 1
    bounds = np.linspace(0, n, k + 1).astype(int)
    return list(zip(bounds[:-1], bounds[1:]))


def _map(fn, parts):
    global _pool
    if len(parts) == 1:
        return [fn(*parts[0])]
    if _pool is None:
        _pool = ThreadPoolExecutor(THREADS, thread_name_prefix="citycode-geos")
    return list(_pool.map(lambda a: fn(*a), parts))


def sliced(fn, *arrays, by=None):
    """fn(*arrays) for element-wise fn, computed in slices on threads.

    by: the index of a prepared geometry per element (e.g. the division piece of each pair). GEOS's
    prepared geometries must not be used by two threads at once (it crashed inside QGIS), so the elements
    are grouped by it and each group stays in one slice."""
    n = len(arrays[0])
    cuts = _slices(n)
    if len(cuts) == 1:
        return fn(*arrays)
    order = None
    if by is not None:
        order = np.argsort(by, kind="stable")
        arrays = [a[order] for a in arrays]
        key = np.asarray(by)[order]
        # move each cut forward to where a new group starts
        cuts = [int(np.searchsorted(key, key[s], side="left")) if 0 < s < n else s for s, _ in cuts] + [n]
        cuts = [(s, e) for s, e in zip(cuts[:-1], cuts[1:]) if e > s]
    out = _map(fn, [[a[s:e] for a in arrays] for s, e in cuts])
    out = np.concatenate(out)
    if order is not None:
        back = np.empty_like(out)
        back[order] = out
        out = back
    return out


def query(tree, geoms, predicate=None):
    """tree.query(geoms, predicate) in slices of geoms on threads: (input index, tree index).
    Sliced from a few hundred inputs: each division or planning polygon meets many buildings."""
    cuts = _slices(len(geoms), min(256, SLICE_FROM))
    out = _map(lambda s, e: tree.query(geoms[s:e], predicate=predicate) + np.array([[s], [0]]), cuts)
    return out[0] if len(out) == 1 else np.concatenate(out, axis=1)


@dataclass
class Cleaned:
    geoms: np.ndarray     # shapely geometries (None where missing)
    empty: np.ndarray     # no geometry, or an empty one
    repaired: np.ndarray  # was invalid, repaired by make_valid


@dataclass
class Location:
    home: np.ndarray            # index of the division (-1: none)
    share: np.ndarray           # share of the building's area in that division
    straddle: np.ndarray        # area in two or more divisions
    partly_outside: np.ndarray  # some area outside every division
    centroid_outside: np.ndarray  # centroid rule could not be applied (centroid in no division)
    shares: dict                # building index -> [(division index, share), ...] for straddlers


def from_wkb(wkb: np.ndarray) -> np.ndarray:
    return shapely.from_wkb(wkb, on_invalid="ignore")


def clean(geoms: np.ndarray, polygonal: bool = True) -> Cleaned:
    """Flag empty geometries; repair invalid ones with make_valid (keeping the polygonal part)."""
    geoms = np.asarray(geoms, dtype=object)
    empty = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    invalid = ~empty & ~sliced(shapely.is_valid, geoms)
    if invalid.any():
        fixed = shapely.make_valid(geoms[invalid])
        if polygonal:
            fixed = np.array([_polygonal(g) for g in fixed], dtype=object)
        geoms = geoms.copy()
        geoms[invalid] = fixed
        lost = shapely.is_empty(fixed) | (shapely.area(fixed) == 0) if polygonal else shapely.is_empty(fixed)
        empty[np.flatnonzero(invalid)[lost]] = True
    return Cleaned(geoms=geoms, empty=empty, repaired=invalid)


def _polygonal(g):
    """The polygons of what make_valid returned (it may add stray lines and points)."""
    if shapely.get_type_id(g) in (3, 6):
        return g
    parts = [p for p in shapely.get_parts(g) if shapely.get_type_id(p) in (3, 6)]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def reproject(geoms: np.ndarray, src_wkt: str, dst_wkt: str) -> np.ndarray:
    if not src_wkt or not dst_wkt or src_wkt == dst_wkt:
        return geoms
    from pyproj import CRS, Transformer
    src, dst = CRS.from_wkt(src_wkt), CRS.from_wkt(dst_wkt)
    if src.equals(dst):
        return geoms
    t = Transformer.from_crs(src, dst, always_xy=True)
    return shapely.transform(geoms, lambda xy: np.column_stack(t.transform(xy[:, 0], xy[:, 1])))


def point_mapper(src_wkt: str, dst_wkt: str):
    """A function (x, y) -> (x, y) from one CRS to another, for telling users where something is."""
    if not src_wkt or not dst_wkt or src_wkt == dst_wkt:
        return None
    from pyproj import CRS, Transformer
    t = Transformer.from_crs(CRS.from_wkt(src_wkt), CRS.from_wkt(dst_wkt), always_xy=True)
    return t.transform


def _boundary_pieces(divisions: np.ndarray):
    """Short line pieces of every division ring, for finding the buildings that cross a boundary."""
    rings = shapely.get_rings(shapely.get_parts(divisions))
    coords, ring_of = shapely.get_coordinates(rings, return_index=True)
    starts = np.flatnonzero(np.r_[True, ring_of[1:] != ring_of[:-1]])
    ends = np.r_[starts[1:], len(coords)]
    pieces = []
    for s, e in zip(starts, ends):
        for a in range(s, e - 1, BOUNDARY_PIECE):
            pieces.append(shapely.linestrings(coords[a:min(a + BOUNDARY_PIECE + 1, e)]))
    return np.array(pieces, dtype=object)


def subdivide(polygons: np.ndarray, max_vertices: int):
    """Cut polygons into pieces of at most `max_vertices` vertices by halving their bounding boxes
    (like PostGIS's ST_Subdivide), returning (pieces, index of the polygon each piece came from).

    Small pieces have tight bounding boxes, so tree queries and intersections against them touch a few
    dozen vertices instead of a whole township boundary."""
    geoms, owner = shapely.get_parts(polygons, return_index=True)
    done_g, done_o = [], []
    while len(geoms):
        small = shapely.get_num_coordinates(geoms) <= max_vertices
        done_g.append(geoms[small])
        done_o.append(owner[small])
        geoms, owner = geoms[~small], owner[~small]
        if not len(geoms):
            break
        x0, y0, x1, y1 = shapely.bounds(geoms).T
        wide = (x1 - x0) >= (y1 - y0)
        xm, ym = (x0 + x1) / 2, (y0 + y1) / 2
        halves = (shapely.box(x0, y0, np.where(wide, xm, x1), np.where(wide, y1, ym)),
                  shapely.box(np.where(wide, xm, x0), np.where(wide, y0, ym), x1, y1))
        cut = np.concatenate([shapely.intersection(geoms, h) for h in halves])
        parts, k = shapely.get_parts(cut, return_index=True)
        keep = (shapely.get_type_id(parts) == 3) & (shapely.area(parts) > 0)  # drop edge lines/points
        geoms, owner = parts[keep], np.tile(owner, 2)[k[keep]]
    return np.concatenate(done_g), np.concatenate(done_o)


def first_hit(point_idx: np.ndarray, poly_idx: np.ndarray, n: int) -> np.ndarray:
    """For each point, the lowest polygon index it hit (-1 for none): the tie-break on shared edges."""
    out = np.full(n, -1, dtype=np.int64)
    order = np.lexsort((-poly_idx, point_idx))  # the last write per point wins: lowest polygon index
    out[point_idx[order]] = poly_idx[order]
    return out


def locate(buildings: np.ndarray, usable: np.ndarray, divisions: np.ndarray, rule: str, tree=None) -> Location:
    """Division of each building.

    rule 'area': the division holding the largest share of its area.
    rule 'centroid' (JGJ/T 246): the division containing its centroid; if the centroid lies in none,
    the largest share decides and the building is flagged.
    Only buildings that cross a division boundary are intersected (their shares are reported under both
    rules); one point decides for the others: the centre of their bounding box when it meets no
    boundary, else their first vertex (and their centroid under the centroid rule).
    tree: an STRtree over buildings[usable], when the caller already has one.
    """
    n = len(buildings)
    idx = np.flatnonzero(usable)
    geoms = buildings[idx]
    m = len(idx)
    tree = tree or shapely.STRtree(geoms)
    # Cutting the divisions costs ~0.5 s for a city's townships: it pays only for many buildings.
    if m >= SUBDIVIDE_FROM:
        pieces, owner = subdivide(divisions, PIECE_VERTICES)
    else:
        pieces, owner = divisions.copy(), np.arange(len(divisions))
    shapely.prepare(pieces)
    boundary = _boundary_pieces(divisions)
    near = np.zeros(m, dtype=bool)
    near[tree.query(boundary)[1]] = True  # bounding boxes only: cheap
    cross = np.zeros(m, dtype=bool)
    cross[query(tree, boundary, "intersects")[1]] = True
    points = shapely.get_type_id(geoms) == 0
    cross &= ~points  # a point on a boundary has no area to share: the first division holding it takes it

    # Far from every boundary: the bounding box lies wholly inside one division (or outside all).
    x0, y0, x1, y1 = shapely.bounds(geoms).T
    pj, bk = query(tree, pieces)
    far = ~near[bk]
    pj, bk = pj[far], bk[far]
    inside = sliced(shapely.intersects_xy, pieces[pj], ((x0 + x1) / 2)[bk], ((y0 + y1) / 2)[bk], by=pj)
    local = first_hit(bk[inside], owner[pj[inside]], m)  # division per usable building
    share = (local >= 0).astype(float)

    piece_tree = shapely.STRtree(pieces)
    # Near a boundary without crossing it: wholly inside the division of any of its vertices.
    k = np.flatnonzero(near & ~cross)
    local[k] = _division_at(piece_tree, pieces, owner, np.where(points[k], geoms[k], shapely.get_point(
        shapely.get_exterior_ring(shapely.get_geometry(geoms[k], 0)), 0)))
    share[k] = (local[k] >= 0).astype(float)

    # Crossing: shares from intersections with the division pieces.
    straddle, partly_outside = np.zeros(m, dtype=bool), np.zeros(m, dtype=bool)
    shares = {}
    c = np.flatnonzero(cross)
    ci, dj, frac = _division_shares(piece_tree, pieces, owner, len(divisions), geoms[c])
    total = np.bincount(ci, weights=frac, minlength=len(c))
    count = np.bincount(ci, minlength=len(c))
    order = np.lexsort((dj, -frac, ci))  # largest share first; ties: lowest division index
    first = np.r_[True, ci[order][1:] != ci[order][:-1]] if len(order) else np.zeros(0, bool)
    local[c] = -1
    share[c] = 0.0
    local[c[ci[order][first]]] = dj[order][first]
    share[c[ci[order][first]]] = frac[order][first]
    straddle[c] = count > 1
    partly_outside[c] = (count > 0) & (total < 1 - SHARE_EPS)
    strad = count[ci[order]] > 1
    for j, d, f in zip(ci[order][strad].tolist(), dj[order][strad].tolist(), frac[order][strad].tolist()):
        shares.setdefault(int(idx[c[j]]), []).append((d, f))  # largest share first

    centroid_outside = np.zeros(m, dtype=bool)
    if rule == "centroid":
        # Only a near building's centroid can fall in another division than the one its area is in.
        k = np.flatnonzero(near)
        at = _division_at(piece_tree, pieces, owner, shapely.centroid(geoms[k]))
        centroid_outside[k] = (at < 0) & (local[k] >= 0)
        share_at = (at == local[k]).astype(float)  # a building crossing no boundary is wholly in it
        pos = np.searchsorted(k, c)  # the crossing buildings are near ones too
        share_at[pos] = _share_of(ci, dj, frac, at[pos])
        has = at >= 0
        local[k[has]] = at[has]
        share[k[has]] = share_at[has]

    home = np.full(n, -1, dtype=np.int64)
    home[idx] = local

    def widen(a):
        out = np.zeros(n, dtype=a.dtype)
        out[idx] = a
        return out

    return Location(home=home, share=widen(share), straddle=widen(straddle),
                    partly_outside=widen(partly_outside), centroid_outside=widen(centroid_outside),
                    shares=shares)


def _division_at(piece_tree, pieces, owner, points) -> np.ndarray:
    """Division index at each point (-1: none; on a shared edge the lowest index)."""
    pi, pk = query(piece_tree, points, "intersects")
    return first_hit(pi, owner[pk], len(points))


def _division_shares(piece_tree, pieces, owner, n_div, geoms):
    """(building, division, share) for every real overlap of `geoms` with the division pieces."""
    gi, pk = query(piece_tree, geoms, "intersects")
    barea = shapely.area(geoms)
    area = barea[gi].copy()
    cut = ~sliced(shapely.contains_properly, pieces[pk], geoms[gi], by=pk)
    area[cut] = _intersection_area(geoms[gi[cut]], pieces[pk[cut]])
    pair, which = np.unique(gi * n_div + owner[pk], return_inverse=True)  # pieces of one division add up
    area = np.bincount(which, weights=area, minlength=len(pair))
    gi, dj = pair // n_div, pair % n_div
    frac = area / np.where(barea[gi] > 0, barea[gi], 1.0)
    real = (area > SLIVER_M2) & (frac > SHARE_EPS)
    return gi[real], dj[real], frac[real]


def _intersection_area(a, b) -> np.ndarray:
    return sliced(lambda x, y: shapely.area(shapely.intersection(x, y)), a, b)


def _share_of(ci, dj, frac, wanted):
    """Share of building k (0..len(wanted)-1) in division wanted[k], 0 where it has none."""
    out = np.zeros(len(wanted))
    m = dj == wanted[ci]
    out[ci[m]] = frac[m]
    return out


def overlap_area(buildings: np.ndarray, usable: np.ndarray, polygons: np.ndarray, tree=None):
    """Area (map units²) of each building inside the union of `polygons` (assumed not overlapping).

    Buildings wholly inside a polygon keep their own area; only the ones cut by an edge are intersected.
    """
    n = len(buildings)
    idx = np.flatnonzero(usable)
    geoms = buildings[idx]
    tree = tree or shapely.STRtree(geoms)
    pj, bi = query(tree, polygons, "intersects")
    area = np.zeros(n)
    if len(bi):
        inside_p, inside_b = query(tree, polygons, "contains_properly")
        inside = np.zeros(len(geoms), dtype=bool)
        inside[inside_b] = True
        cut = ~inside[bi]
        part = np.zeros(len(bi))
        part[~cut] = shapely.area(geoms[bi[~cut]])
        part[cut] = _intersection_area(geoms[bi[cut]], polygons[pj[cut]])
        area[idx] = np.bincount(bi, weights=part, minlength=len(idx))
    return area
