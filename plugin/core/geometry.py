"""Vectorised geometry work on whole layers (shapely 2): repair, division lookup, overlap areas.

Query orientation matters: a tree over the buildings queried with each division or planning polygon
prepares every big polygon once, instead of testing a million points against unprepared polygons
(30x faster on 585-vertex divisions, see shared/bench/RESULTS.md).
"""
from dataclasses import dataclass

import numpy as np
import shapely

# A share below this (or an intersection below SLIVER_M2) is a digitising sliver along a shared edge,
# not a real straddle.
SHARE_EPS = 1e-4
SLIVER_M2 = 0.01
# Division boundaries are cut into pieces of this many vertices so each piece has a tight bounding box.
BOUNDARY_PIECE = 16


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
    invalid = ~empty & ~shapely.is_valid(geoms)
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


def first_hit(point_idx: np.ndarray, poly_idx: np.ndarray, n: int) -> np.ndarray:
    """For each point, the lowest polygon index it hit (-1 for none): the tie-break on shared edges."""
    out = np.full(n, -1, dtype=np.int64)
    order = np.lexsort((-poly_idx, point_idx))  # the last write per point wins: lowest polygon index
    out[point_idx[order]] = poly_idx[order]
    return out


def locate(buildings: np.ndarray, usable: np.ndarray, divisions: np.ndarray, rule: str, tree=None) -> Location:
    """Division of each building.

    rule 'area': the division holding the largest share of its area; a building that crosses no
    division boundary takes the division of its representative point (fast path).
    rule 'centroid' (JGJ/T 246): the division containing its centroid; if the centroid lies in none,
    the largest share decides and the building is flagged.
    Straddlers are found and their shares reported under both rules.
    tree: an STRtree over buildings[usable], when the caller already has one.
    """
    n = len(buildings)
    idx = np.flatnonzero(usable)
    geoms = buildings[idx]
    point = shapely.centroid(geoms) if rule == "centroid" else shapely.point_on_surface(geoms)
    tree_pts = shapely.STRtree(point)
    di, pi = tree_pts.query(divisions, predicate="intersects")
    home = np.full(n, -1, dtype=np.int64)
    home[idx] = first_hit(pi, di, len(idx))

    # Buildings crossing a boundary piece are the only candidates for straddling or sticking out.
    tree = tree or shapely.STRtree(geoms)
    _, bi = tree.query(_boundary_pieces(divisions), predicate="intersects")
    cross = np.unique(bi)
    share = np.where(home >= 0, 1.0, 0.0)
    straddle = np.zeros(n, dtype=bool)
    partly_outside = np.zeros(n, dtype=bool)
    centroid_outside = np.zeros(n, dtype=bool)
    shares = {}
    candidates = np.union1d(cross, np.flatnonzero(home[idx] < 0))
    if len(candidates):
        cg = geoms[candidates]
        ci, dj = shapely.STRtree(divisions).query(cg, predicate="intersects")
        area = shapely.area(shapely.intersection(cg[ci], divisions[dj]))
        barea = shapely.area(cg)
        frac = area / np.where(barea[ci] > 0, barea[ci], 1.0)
        real = (area > SLIVER_M2) & (frac > SHARE_EPS)
        ci, dj, frac = ci[real], dj[real], frac[real]
        total = np.bincount(ci, weights=frac, minlength=len(candidates))
        count = np.bincount(ci, minlength=len(candidates))
        # largest share per building (ties: lowest division index)
        order = np.lexsort((dj, -frac, ci))
        best = np.full(len(candidates), -1, dtype=np.int64)
        best_frac = np.zeros(len(candidates))
        first = np.r_[True, ci[order][1:] != ci[order][:-1]] if len(order) else np.zeros(0, bool)
        best[ci[order][first]] = dj[order][first]
        best_frac[ci[order][first]] = frac[order][first]
        g = idx[candidates]
        straddle[g] = count > 1
        partly_outside[g] = (count > 0) & (total < 1 - SHARE_EPS)
        if rule == "centroid":
            centroid_outside[g] = (home[g] < 0) & (best >= 0)
            share[g] = np.where(home[g] >= 0, _share_of(ci, dj, frac, home[g]), best_frac)
            home[g] = np.where(home[g] >= 0, home[g], best)
        else:
            hit = best >= 0
            home[g[hit]] = best[hit]
            share[g] = np.where(hit, best_frac, share[g])
        for k in np.flatnonzero(count > 1):
            m = ci == k
            shares[int(g[k])] = sorted(zip(dj[m].tolist(), frac[m].tolist()), key=lambda t: -t[1])
    return Location(home=home, share=share, straddle=straddle, partly_outside=partly_outside,
                    centroid_outside=centroid_outside, shares=shares)


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
    pj, bi = tree.query(polygons, predicate="intersects")
    area = np.zeros(n)
    if len(bi):
        inside_p, inside_b = tree.query(polygons, predicate="contains_properly")
        inside = np.zeros(len(geoms), dtype=bool)
        inside[inside_b] = True
        cut = ~inside[bi]
        part = np.zeros(len(bi))
        part[~cut] = shapely.area(geoms[bi[~cut]])
        part[cut] = shapely.area(shapely.intersection(geoms[bi[cut]], polygons[pj[cut]]))
        area[idx] = np.bincount(bi, weights=part, minlength=len(idx))
    return area
