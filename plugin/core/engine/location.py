"""Where buildings lie, written once over the primitives of a geometry backend (`ops`: geometry_shapely or
geometry_qgis, each of which hands its own module in): the division of each building (locate) and its area
inside a set of polygons (overlap_area). This module imports neither shapely nor QGIS.
"""
import numpy as np

from .division_grid import ASK, DivisionGrid
from .geometry_types import SHARE_EPS, SLIVER_M2, Location, first_hit


def locate(ops, buildings: np.ndarray, usable: np.ndarray, divisions: np.ndarray, rule: str, tree=None) -> Location:
    """Division of each building, with the primitives of backend module `ops`.

    rule 'area': the division holding the largest share of its area.
    rule 'centroid' (JGJ/T 246): the division containing its centroid; if the centroid lies in none,
    the largest share decides and the building is flagged.
    Only buildings that cross a division boundary are intersected (their shares are reported under both
    rules); one point decides for the others: the centre of their bounding box when it meets no
    boundary, else their first vertex (and their centroid under the centroid rule). Those points are read
    off a raster of the divisions (DivisionGrid) where it can tell, and tested against the division pieces
    (cut to PIECE_VERTICES, prepared once) near the boundaries.
    tree: ops.tree(buildings[usable]), when the caller already has one.
    """
    n = len(buildings)
    idx = np.flatnonzero(usable)
    geoms = buildings[idx]
    m = len(idx)
    tree = tree or ops.tree(geoms)
    # Cutting the divisions costs ~0.5 s for a city's townships: it pays only for many buildings.
    if m >= ops.SUBDIVIDE_FROM:
        pieces, owner = ops.subdivide(divisions, ops.PIECE_VERTICES)
    else:
        pieces, owner = divisions, np.arange(len(divisions))
    prepared = ops.prepare(pieces)
    boundary = ops.boundary_pieces(divisions)[0]
    near = np.zeros(m, dtype=bool)
    near[ops.query(tree, boundary)[1]] = True  # bounding boxes only: cheap
    cross = np.zeros(m, dtype=bool)
    cross[ops.query(tree, boundary, "intersects")[1]] = True
    k = np.flatnonzero(near)
    cross[k] |= ops.is_multipart(geoms[k])  # its parts may lie in two divisions without crossing a boundary
    k = np.flatnonzero(cross)
    cross[k] &= ~ops.is_point(geoms[k])  # a point on a boundary has no area to share: the first division takes it

    piece_tree = ops.tree(pieces)
    grid = DivisionGrid(ops.to_wkb(divisions), ops.bounds(divisions), m)

    def division_at(x, y):
        """Division index at points (-1: none; on a shared edge the lowest index): the grid, else exact."""
        at = grid.lookup(x, y)
        ask = np.flatnonzero(at == ASK)
        if len(ask):
            pi, pk = ops.query_xy(piece_tree, x[ask], y[ask], prepared)
            at[ask] = first_hit(pi, owner[pk], len(ask))
        return at

    # Far from every boundary: the bounding box lies wholly inside one division (or outside all); its
    # centre decides.
    x0, y0, x1, y1 = ops.tree_bounds(tree).T
    local = np.full(m, -1, dtype=np.int64)  # division per usable building
    k = np.flatnonzero(~near)
    local[k] = division_at(((x0 + x1) / 2)[k], ((y0 + y1) / 2)[k])
    share = (local >= 0).astype(float)

    # Near a boundary without crossing it: wholly inside the division of any of its vertices.
    k = np.flatnonzero(near & ~cross)
    local[k] = division_at(*ops.first_xy(geoms[k]))
    share[k] = (local[k] >= 0).astype(float)

    # Crossing: shares from intersections with the division pieces.
    c = np.flatnonzero(cross)
    ci, dj, frac = _division_shares(ops, piece_tree, prepared, owner, len(divisions), geoms[c])
    home_c, share_c, straddle_c, outside_c, pairs = shares_of(ci, dj, frac, len(c))
    local[c], share[c] = home_c, share_c
    straddle, partly_outside = np.zeros(m, dtype=bool), np.zeros(m, dtype=bool)
    straddle[c], partly_outside[c] = straddle_c, outside_c
    shares = {int(idx[c[j]]): p for j, p in pairs.items()}

    centroid_outside = np.zeros(m, dtype=bool)
    if rule == "centroid":
        # Only a near building's centroid can fall in another division than the one its area is in.
        k = np.flatnonzero(near)
        at = division_at(*ops.centroid_xy(geoms[k]).T)
        centroid_outside[k] = (at < 0) & (local[k] >= 0)
        share_k = (at == local[k]).astype(float)  # a building crossing no boundary is wholly in it
        pos = np.searchsorted(k, c)  # the crossing buildings are near ones too
        share_k[pos] = share_at(ci, dj, frac, at[pos])
        has = at >= 0
        local[k[has]] = at[has]
        share[k[has]] = share_k[has]

    home = np.full(n, -1, dtype=np.int64)
    home[idx] = local

    def widen(a):
        out = np.zeros(n, dtype=a.dtype)
        out[idx] = a
        return out

    return Location(home=home, share=widen(share), straddle=widen(straddle),
                    partly_outside=widen(partly_outside), centroid_outside=widen(centroid_outside),
                    shares=shares)


def _division_shares(ops, piece_tree, prepared, owner, n_div, geoms):
    """(building, division, share) for every real overlap of `geoms` with the division pieces."""
    gi, pk = ops.query(piece_tree, geoms, "intersects")
    barea = ops.area(geoms)
    area = barea[gi].copy()
    cut = ~ops.contains_properly(prepared, pk, geoms[gi])
    area[cut] = ops.intersection_area(prepared, pk[cut], geoms[gi[cut]])
    pair, which = np.unique(gi * n_div + owner[pk], return_inverse=True)  # pieces of one division add up
    area = np.bincount(which, weights=area, minlength=len(pair))
    gi, dj = pair // n_div, pair % n_div
    frac = area / np.where(barea[gi] > 0, barea[gi], 1.0)
    real = (area > SLIVER_M2) & (frac > SHARE_EPS)
    return gi[real], dj[real], frac[real]


def shares_of(ci, dj, frac, count: int):
    """Home division, share, straddle, partly outside and the straddlers' shares ({k: [(division, share)]},
    largest first) of `count` buildings from their real overlaps (building ci, division dj, share frac):
    the largest share wins, ties the lowest division index."""
    total = np.bincount(ci, weights=frac, minlength=count)
    n = np.bincount(ci, minlength=count)
    order = np.lexsort((dj, -frac, ci))
    first = np.r_[True, ci[order][1:] != ci[order][:-1]] if len(order) else np.zeros(0, bool)
    home = np.full(count, -1, dtype=np.int64)
    share = np.zeros(count)
    home[ci[order][first]] = dj[order][first]
    share[ci[order][first]] = frac[order][first]
    strad = n[ci[order]] > 1
    pairs = {}
    for j, d, f in zip(ci[order][strad].tolist(), dj[order][strad].tolist(), frac[order][strad].tolist()):
        pairs.setdefault(j, []).append((d, f))
    return home, share, n > 1, (n > 0) & (total < 1 - SHARE_EPS), pairs


def share_at(ci, dj, frac, wanted):
    """Share of building k (0..len(wanted)-1) in division wanted[k], 0 where it has none."""
    out = np.zeros(len(wanted))
    m = dj == wanted[ci]
    out[ci[m]] = frac[m]
    return out


def overlap_area(ops, buildings: np.ndarray, usable: np.ndarray, polygons: np.ndarray, tree=None, areas=None):
    """Area (map units²) of each building inside the union of `polygons` (assumed not overlapping).

    Only buildings that meet a polygon's edge are intersected. Which ones may is asked first of the boxes of
    short pieces of the edges: a building whose box meets none of a polygon's lies wholly inside it or wholly
    outside, as the centre of its box tells, and inside keeps its own area (`areas`, else ops.area). So does a
    building all of whose nearby pieces lie clearly outside it (ops.pieces_outside), as its first vertex tells:
    no edge meets it and no ring lies inside it. Such buildings need no geometry (the QGIS backend makes none
    for them)."""
    n = len(buildings)
    idx = np.flatnonzero(usable)
    geoms = buildings[idx]
    tree = tree or ops.tree(geoms)
    area = np.zeros(n)
    pj, bi = ops.query(tree, polygons)
    if not len(bi):
        return area
    pieces, owner = ops.boundary_pieces(polygons)
    qk, qb = ops.query(tree, pieces)
    near = np.isin(bi * len(polygons) + pj, np.unique(qb * len(polygons) + owner[qk]))
    prepared = ops.prepare(polygons)
    own = (lambda rows: areas[idx[bi[rows]]]) if areas is not None else (lambda rows: ops.area(geoms[bi[rows]]))
    part = np.zeros(len(bi))
    far = np.flatnonzero(~near)
    x0, y0, x1, y1 = ops.tree_bounds(tree)[bi[far]].T
    inside = far[ops.intersects_xy(prepared, pj[far], (x0 + x1) / 2, (y0 + y1) / 2)]
    part[inside] = own(inside)
    k = np.flatnonzero(near)
    outside = ops.pieces_outside(pieces, qk, geoms, qb)  # None: this backend asks GEOS of every pair at once
    if outside is None:
        meet = k[ops.intersects_pairs(prepared, pj[k], geoms[bi[k]])]
    else:
        touched = np.isin(bi[k] * len(polygons) + pj[k], qb[~outside] * len(polygons) + owner[qk[~outside]])
        clear, meet = k[~touched], k[touched]
        x, y = ops.first_xy(geoms[bi[clear]])
        inside = clear[ops.intersects_xy(prepared, pj[clear], x, y)]
        part[inside] = own(inside)
        # The others meet an edge or come close: mostly cut (an intersection that turns out empty measures 0).
    cut = ~ops.contains_properly(prepared, pj[meet], geoms[bi[meet]])
    part[meet[~cut]] = own(meet[~cut])
    part[meet[cut]] = ops.intersection_area(prepared, pj[meet[cut]], geoms[bi[meet[cut]]])
    area[idx] = np.bincount(bi, weights=part, minlength=len(idx))
    return area
