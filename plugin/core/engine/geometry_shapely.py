"""The shapely 2 geometry backend (see geometry): vectorised GEOS on whole layers.

shapely 2 lets go of the GIL inside its vectorised calls, so the heavy ones (validity, predicates,
intersections, tree queries) run as a few slices in threads on large layers: about 1.5x on 2 cores
(scripts/bench_floor.py). Slices come back in order, so results are the same as in one call.
"""
import os
import sys
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import shapely

from . import location
from .geometry_types import (  # noqa: F401 (the backend's API: constants and types)
    BOUNDARY_PIECE, FINGERPRINT_GRID, PIECE_VERTICES, SHARE_EPS, SLIVER_M2, SUBDIVIDE_FROM, Cleaned, Location,
    first_hit)

# CITYCODE_THREADS=1 turns the threads off; CITYCODE_SLICE_FROM lets tests slice small layers too.
THREADS = int(os.environ.get("CITYCODE_THREADS", 0)) or min(4, os.cpu_count() or 1)
SLICE_FROM = int(os.environ.get("CITYCODE_SLICE_FROM", 0)) or 20_000  # fewer items: too short for threads to pay
_pool = None
TREE_TAKES_BOXES = False  # GEOS reads the boxes off its geometries
LAZY = False  # shapely makes a million geometries in a second: no clean_lazily


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


def query(tree, geoms, predicate=None, prepared=None):
    """tree.query(geoms, predicate) in slices of geoms on threads: (input index, tree index).
    Sliced from a few hundred inputs: each division or planning polygon meets many buildings."""
    cuts = _slices(len(geoms), min(256, SLICE_FROM))
    out = _map(lambda s, e: tree.query(geoms[s:e], predicate=predicate) + np.array([[s], [0]]), cuts)
    return out[0] if len(out) == 1 else np.concatenate(out, axis=1)


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


def boundary_pieces(polygons: np.ndarray):
    """Short line pieces of every polygon ring (holes too), for finding the buildings that meet an edge, with
    the index of the polygon each came from."""
    parts, part_of = shapely.get_parts(polygons, return_index=True)
    rings, ring_of_part = shapely.get_rings(parts, return_index=True)
    coords, ring_of = shapely.get_coordinates(rings, return_index=True)
    starts = np.flatnonzero(np.r_[True, ring_of[1:] != ring_of[:-1]])
    ends = np.r_[starts[1:], len(coords)]
    pieces, owner = [], []
    for s, e in zip(starts.tolist(), ends.tolist()):
        for a in range(s, e - 1, BOUNDARY_PIECE):
            pieces.append(shapely.linestrings(coords[a:min(a + BOUNDARY_PIECE + 1, e)]))
            owner.append(part_of[ring_of_part[ring_of[s]]])
    return np.array(pieces, dtype=object), np.array(owner, dtype=np.int64)


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


def tree(geoms: np.ndarray, boxes=None):  # noqa: ARG001 - GEOS takes the boxes from the geometries
    return shapely.STRtree(geoms)


def prepare(polygons: np.ndarray) -> np.ndarray:
    shapely.prepare(polygons)
    return polygons


def bounds(geoms: np.ndarray) -> np.ndarray:
    return shapely.bounds(geoms)


def area(geoms: np.ndarray) -> np.ndarray:
    return shapely.area(geoms)


def is_point(geoms: np.ndarray) -> np.ndarray:
    return shapely.get_type_id(geoms) == 0


def is_multipart(geoms: np.ndarray) -> np.ndarray:
    """Multipolygons of more than one part."""
    return (shapely.get_type_id(geoms) == 6) & (shapely.get_num_geometries(geoms) > 1)


def tree_bounds(tree) -> np.ndarray:
    """bounds() of the geometries a tree was made of."""
    return shapely.bounds(tree.geometries)


def first_xy(geoms: np.ndarray):
    """x, y of points as they are; of anything else of the first vertex (of the first part's shell)."""
    first = np.where(is_point(geoms), geoms, shapely.get_point(
        shapely.get_exterior_ring(shapely.get_geometry(geoms, 0)), 0))
    return shapely.get_x(first), shapely.get_y(first)


def contains_properly(prepared: np.ndarray, pj: np.ndarray, geoms: np.ndarray) -> np.ndarray:
    return sliced(shapely.contains_properly, prepared[pj], geoms, by=pj)


def intersects_pairs(prepared: np.ndarray, pj: np.ndarray, geoms: np.ndarray) -> np.ndarray:
    return sliced(shapely.intersects, prepared[pj], geoms, by=pj)


def pieces_outside(pieces, pk, geoms, gi):  # noqa: ARG001 - the QGIS backend's API
    """None: shapely asks GEOS of every pair at once (location.overlap_area), as fast as a test in numpy."""
    return None


def query_xy(tree, x: np.ndarray, y: np.ndarray, prepared=None):  # noqa: ARG001 - the tree's are prepared
    """(point index, tree index) of the points (x, y) on a geometry of the tree."""
    return tree.query(shapely.points(x, y), predicate="intersects")


def intersects_xy(prepared: np.ndarray, pj: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return shapely.intersects_xy(prepared[pj], x, y)


def intersection_area(prepared: np.ndarray, pj: np.ndarray, geoms: np.ndarray) -> np.ndarray:
    return sliced(lambda x, y: shapely.area(shapely.intersection(x, y)), geoms, prepared[pj])


def locate(buildings: np.ndarray, usable: np.ndarray, divisions: np.ndarray, rule: str, tree=None) -> Location:
    return location.locate(sys.modules[__name__], buildings, usable, divisions, rule, tree)


def overlap_area(buildings: np.ndarray, usable: np.ndarray, polygons: np.ndarray, tree=None, areas=None
                 ) -> np.ndarray:
    return location.overlap_area(sys.modules[__name__], buildings, usable, polygons, tree, areas)


def to_wkb(geoms: np.ndarray, multi: bool = False) -> np.ndarray:
    """WKB of each geometry (None stays None); multi: polygons as one-part multipolygons (a Multi layer)."""
    if multi:
        geoms = np.array([shapely.multipolygons(shapely.get_parts(g)) if shapely.get_type_id(g) == 3 else g
                          for g in geoms], dtype=object)
    return shapely.to_wkb(geoms)


def fingerprint_wkb(geoms: np.ndarray, grid: float = FINGERPRINT_GRID, xy=None) -> list:
    """The geometry on a `grid`, normalized, as 2D WKB: equal for equal shapes whatever their vertex order.
    xy: x, y arrays -> x, y arrays, applied first (a projection)."""
    if xy is not None:
        geoms = shapely.transform(geoms, lambda c: np.column_stack(xy(c[:, 0], c[:, 1])))
    norm = shapely.normalize(shapely.set_precision(geoms, grid, mode="pointwise"))
    return shapely.to_wkb(norm, output_dimension=2).tolist()


def first_polygon(x: np.ndarray, y: np.ndarray, polygons: np.ndarray) -> np.ndarray:
    """Index of the first polygon each point (x, y arrays, in the polygons' CRS) intersects, -1 for none.

    Bounding boxes come from a tree over the polygons; the candidates are then tested against the
    prepared polygons (a point-in-polygon test on a prepared polygon does not walk every vertex)."""
    polygons = np.asarray(polygons, dtype=object)
    finite = np.flatnonzero(np.isfinite(x) & np.isfinite(y))
    out = np.full(len(x), -1, dtype=np.int64)
    if not len(polygons) or not len(finite):
        return out
    pi, pj = shapely.STRtree(polygons).query(shapely.points(x[finite], y[finite]))
    shapely.prepare(polygons)
    hit = shapely.intersects_xy(polygons[pj], x[finite][pi], y[finite][pi])
    out[finite] = first_hit(pi[hit], pj[hit], len(finite))
    return out


def representative_points(geoms: np.ndarray, centroid: bool) -> np.ndarray:
    """The centroid of each geometry, or a point surely on it."""
    return shapely.centroid(geoms) if centroid else shapely.point_on_surface(geoms)


def union(geoms: np.ndarray):
    return shapely.union_all(geoms)


def box(x0: float, y0: float, x1: float, y1: float):
    return shapely.box(x0, y0, x1, y1)


def intersects(geoms: np.ndarray, other) -> np.ndarray:
    return shapely.intersects(geoms, other)


def coverage(geoms: np.ndarray, min_area: float, limit: int):
    """Gaps (holes enclosed by the union of `geoms`) and overlaps between them larger than `min_area`, at most
    `limit` of each: ([(x, y, area)], [(i, j, x, y, area)]) with x, y a point on the gap or overlap."""
    def where(piece):
        p = shapely.point_on_surface(piece)
        return float(shapely.get_x(p)), float(shapely.get_y(p)), float(shapely.area(piece))

    union_ = shapely.union_all(geoms)
    gaps, overlaps = [], []
    for poly in shapely.get_parts(union_):
        for k in range(shapely.get_num_interior_rings(poly)):
            hole = shapely.polygons(shapely.get_interior_ring(poly, k))
            if shapely.area(hole) > min_area and len(gaps) < limit:
                gaps.append(where(hole))
    if shapely.area(geoms).sum() - shapely.area(union_) > min_area:
        a, b = shapely.STRtree(geoms).query(geoms, predicate="overlaps")
        order = np.lexsort((b, a))
        for i, j in zip(a[order].tolist(), b[order].tolist()):
            if i < j and len(overlaps) < limit:
                piece = shapely.intersection(geoms[i], geoms[j])
                if shapely.area(piece) > min_area:
                    overlaps.append((i, j) + where(piece))
    return gaps, overlaps


def centroid_xy(geoms: np.ndarray) -> np.ndarray:
    """(n, 2) centroid coordinates (NaN for a missing geometry)."""
    c = shapely.centroid(geoms)
    return np.c_[shapely.get_x(c), shapely.get_y(c)]


def polygon(xy: np.ndarray):
    """A polygon from one closed ring of coordinates (m, 2)."""
    return shapely.polygons(xy)


def pair_intersection_area(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Area of a[i] ∩ b[i] for every pair (nothing prepared: each pair is met once; only those that meet are
    intersected)."""
    def areas(x, y):
        out = np.zeros(len(x))
        meet = shapely.intersects(x, y)
        out[meet] = shapely.area(shapely.intersection(x[meet], y[meet]))
        return out
    return sliced(areas, a, b)


def rings(geoms: np.ndarray):
    """(xy (m, 2), offsets (n + 1)): the closed outer ring of each one-part polygon without holes; others (and
    missing ones) get no coordinates."""
    simple = (shapely.get_type_id(geoms) == 3) & (shapely.get_num_interior_rings(geoms) == 0)
    counts = np.where(simple, shapely.get_num_coordinates(geoms), 0)  # no ring objects made: a million weigh
    return shapely.get_coordinates(geoms[simple]), np.r_[0, np.cumsum(counts)]  # some 300 MB
