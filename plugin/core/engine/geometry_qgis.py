"""The QGIS geometry backend (see geometry_backend), for a QGIS without shapely 2 (Debian 12's 3.22).

Geometries are QgsGeometry objects in numpy object arrays. The algorithm is the shapely backend's
(geometry_backend.locate / overlap_area) on the same GEOS: bounding boxes live in numpy arrays and a grid
of them (BoxIndex) gives the candidate pairs; only those are tested, each against the prepared
QgsGeometryEngine of the polygon it meets, and only buildings that cross an edge are intersected.
"""
import sys

import numpy as np
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsCoordinateTransformContext,
    QgsGeometry,
    QgsLineString,
    QgsPoint,
    QgsPolygon,
    QgsRectangle,
    QgsWkbTypes,
)

from . import location
from . import wkb as wkb_codec
from .geometry_types import (  # noqa: F401 (the backend's API: constants and types)
    BOUNDARY_PIECE, FINGERPRINT_GRID, PIECE_VERTICES, SHARE_EPS, SLIVER_M2, SUBDIVIDE_FROM, Cleaned, Location,
    first_hit)

_POLYGONAL = (QgsWkbTypes.Type.Polygon, QgsWkbTypes.Type.MultiPolygon)
TREE_TAKES_BOXES = True  # tree(geoms, boxes): boxes from the WKB beat asking each QgsGeometry
LAZY = True  # clean_lazily: a large layer's geometries made only where they are needed


def _objects(values) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    for i, value in enumerate(values):
        out[i] = value
    return out


def _flat(g):
    return QgsWkbTypes.flatType(g.wkbType())


class BoxIndex:
    """Boxes (n, 4: xmin, ymin, xmax, ymax; rows with NaN are never found) and the pairs that query boxes
    meet (closed boxes, as GEOS's tree), in numpy. Boxes are binned by their lower-left corner on a grid of
    cells at least as large as all but the largest 1 %; those few are tested against every query box."""

    def __init__(self, boxes: np.ndarray):
        self.boxes = b = np.asarray(boxes, dtype=float).reshape(-1, 4)
        ids = np.flatnonzero(np.isfinite(b).all(axis=1))
        self.ids = self.keys = self.big = np.zeros(0, dtype=np.int64)
        if not len(ids):
            return
        size = np.maximum(b[ids, 2] - b[ids, 0], b[ids, 3] - b[ids, 1])
        self.x0, self.y0 = b[ids, 0].min(), b[ids, 1].min()
        spread = max(b[ids, 2].max() - self.x0, b[ids, 3].max() - self.y0)
        # about 16 boxes per cell when they are spread evenly
        self.cell = max(float(np.percentile(size, 99)), spread * 4 / np.sqrt(len(ids)), 1e-9)
        big = size > self.cell
        self.big, small = ids[big], ids[~big]
        col = np.floor((b[small, 0] - self.x0) / self.cell).astype(np.int64)
        row = np.floor((b[small, 1] - self.y0) / self.cell).astype(np.int64)
        self.rows = int(row.max()) + 1 if len(row) else 1
        self.cols = int(col.max()) + 1 if len(col) else 1
        key = col * self.rows + row
        order = np.argsort(key, kind="stable")
        self.keys, self.ids = key[order], small[order]

    def query(self, q: np.ndarray):
        """(query index, box index) of every query box (m, 4) and box that meet."""
        q = np.asarray(q, dtype=float).reshape(-1, 4)
        qi = np.flatnonzero(np.isfinite(q).all(axis=1))
        found_q, found_t = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)]
        if len(self.ids):
            for start in range(0, len(qi), 1 << 13):  # in slices: each query has ~100 candidates meanwhile
                self._small(q, qi[start:start + (1 << 13)], found_q, found_t)
        for start in range(0, len(self.big), 16):  # the large boxes against every query, a few at a time
            big = self.big[start:start + 16]
            self._meet(q, np.repeat(qi, len(big)), np.tile(big, len(qi)), found_q, found_t)
        return np.concatenate(found_q), np.concatenate(found_t)

    def _small(self, q, qi, found_q, found_t):
        """The pairs of queries qi with the boxes binned on the grid."""
        # a box whose corner lies a cell left of / below the query box can still reach into it
        c0 = np.maximum(np.floor((q[qi, 0] - self.cell - self.x0) / self.cell), 0).astype(np.int64)
        c1 = np.minimum(np.floor((q[qi, 2] - self.x0) / self.cell), self.cols - 1).astype(np.int64)
        r0 = np.maximum(np.floor((q[qi, 1] - self.cell - self.y0) / self.cell), 0).astype(np.int64)
        r1 = np.minimum(np.floor((q[qi, 3] - self.y0) / self.cell), self.rows - 1).astype(np.int64)
        ok = (c1 >= c0) & (r1 >= r0)
        qi, c0, c1, r0, r1 = qi[ok], c0[ok], c1[ok], r0[ok], r1[ok]
        ncol = c1 - c0 + 1
        qq = np.repeat(qi, ncol)  # one (query, column) per row of the grid to search
        col = np.repeat(c0, ncol) + np.arange(ncol.sum()) - np.repeat(np.cumsum(ncol) - ncol, ncol)
        lo = np.searchsorted(self.keys, col * self.rows + np.repeat(r0, ncol), side="left")
        hi = np.searchsorted(self.keys, col * self.rows + np.repeat(r1, ncol), side="right")
        n = hi - lo
        qq = np.repeat(qq, n)
        pos = np.repeat(lo - (np.cumsum(n) - n), n) + np.arange(n.sum())
        self._meet(q, qq, self.ids[pos], found_q, found_t)

    def _meet(self, q, qq, tt, found_q, found_t):
        """Keep the candidate pairs whose boxes meet (in slices: each pair costs 80 bytes while tested)."""
        for s in range(0, len(qq), 1 << 20):
            a, b = q[qq[s:s + (1 << 20)]], self.boxes[tt[s:s + (1 << 20)]]
            meet = np.flatnonzero((b[:, 0] <= a[:, 2]) & (b[:, 2] >= a[:, 0]) & (b[:, 1] <= a[:, 3])
                                  & (b[:, 3] >= a[:, 1])) + s
            found_q.append(qq[meet])
            found_t.append(tt[meet])


class _Prepared:
    """The prepared QgsGeometryEngine of each geometry, made when first used (it points into the
    geometry, which this keeps alive)."""

    def __init__(self, geoms: np.ndarray):
        self.geoms = geoms
        self._engines = {}

    def __getitem__(self, j: int):
        engine = self._engines.get(j)
        if engine is None:
            engine = QgsGeometry.createGeometryEngine(self.geoms[j].constGet())
            engine.prepareGeometry()
            self._engines[j] = engine
        return engine


class Tree:
    """The boxes of some geometries, indexed, and (when needed) their prepared engines."""

    def __init__(self, geoms: np.ndarray, boxes=None):
        self.geoms = geoms
        self.index = BoxIndex(bounds(geoms) if boxes is None else boxes)
        self._prepared = None

    @property
    def prepared(self) -> _Prepared:
        if self._prepared is None:
            self._prepared = _Prepared(self.geoms)
        return self._prepared


def tree(geoms: np.ndarray, boxes=None) -> Tree:
    """boxes: bounds(geoms), when the caller has them (from the WKB, at once)."""
    return Tree(geoms, boxes)


def prepare(polygons: np.ndarray) -> _Prepared:
    return _Prepared(polygons)


def _test(engines: _Prepared, ej: np.ndarray, others: np.ndarray, ok: np.ndarray, predicate: str) -> np.ndarray:
    """predicate(engines[ej[i]], others[ok[i]]) for every i ("contains" stands for contains_properly: they
    differ only for a geometry touching the boundary from inside, whose intersection is all of it)."""
    out = np.zeros(len(ej), dtype=bool)
    name = "intersects" if predicate == "intersects" else "contains"
    for n, (j, g) in enumerate(zip(ej.tolist(), items(others, ok))):
        out[n] = getattr(engines[j], name)(g.constGet())
    return out


def query(tree_: Tree, geoms: np.ndarray, predicate=None, prepared=None):
    """(input index, tree index) of the pairs whose boxes meet, and for which predicate(input, tree geometry)
    holds. Intersects is tested on the prepared side with fewer geometries; contains on the input's."""
    qi, tj = tree_.index.query(bounds(geoms))
    if predicate is None or not len(qi):
        return qi, tj
    if predicate == "intersects" and prepared is None and len(tree_.geoms) < len(geoms):
        hit = _test(tree_.prepared, tj, geoms, qi, predicate)
    else:
        hit = _test(prepared or _Prepared(geoms), qi, tree_.geoms, tj, predicate)
    return qi[hit], tj[hit]


class LazyGeometries:
    """The QgsGeometry of each WKB, made when first used and kept. An int index gives one geometry (None where
    there is none); indices or a mask give a view of the same, made lazily too; iterating makes them in turn.
    Most buildings of a city lie far from every division and planning edge: they are checked and measured on
    their WKB (clean_lazily) and never need a geometry object (a million QgsGeometry: ~5 s and ~600 MB)."""

    def __init__(self, wkb: np.ndarray, made: dict, index=None, simple=None):
        self._wkb, self._made, self._index = wkb, made, index
        self._simple = np.zeros(len(wkb), dtype=bool) if simple is None else simple  # the geometry is its WKB

    def __len__(self):
        return len(self._wkb) if self._index is None else len(self._index)

    def __iter__(self):
        return iter(self.items(np.arange(len(self))))

    def __getitem__(self, key):
        if isinstance(key, (int, np.integer)):
            return self.items([key])[0]
        local = np.arange(len(self))[key]
        return LazyGeometries(self._wkb, self._made, local if self._index is None else self._index[local],
                              self._simple)

    def simple_wkb(self, which) -> np.ndarray:
        """The WKB at positions `which` of those that are simple polygons as drawn (wkb.simple_polygons; None
        for the others, whose geometry GEOS checked or repaired)."""
        at = np.asarray(which, dtype=np.int64)
        rows = at if self._index is None else self._index[at]
        return np.where(self._simple[rows], self._wkb[rows], None)

    def items(self, which) -> list:
        """The geometries at positions `which`, as a list (made where not yet)."""
        at = np.asarray(which, dtype=np.int64)
        made, wkb = self._made, self._wkb
        out = []
        for i in (at if self._index is None else self._index[at]).tolist():
            g = made.get(i, made)  # (made itself: not made yet)
            if g is made:
                g = made[i] = _geometry(wkb[i])
            out.append(g)
        return out


def items(geoms, which) -> list:
    """geoms[which] as a list, for geometries in an array or LazyGeometries."""
    return geoms.items(which) if isinstance(geoms, LazyGeometries) else geoms[which].tolist()


def clean_lazily(wkb: np.ndarray):
    """(Cleaned with LazyGeometries, area, bounds) as clean(from_wkb(wkb)), its areas and bounds give: simple
    one-ring polygons (valid: see wkb.simple_polygons) are measured on their WKB; only the others are made
    and checked by GEOS now (repaired ones kept repaired)."""
    simple, area, box = wkb_codec.simple_polygons(wkb)
    others = np.flatnonzero(~simple)
    cleaned = clean(from_wkb(wkb[others]))
    area[others] = [0.0 if g is None else g.area() for g in cleaned.geoms]
    fixed = others[cleaned.repaired]
    box[fixed] = bounds(cleaned.geoms[cleaned.repaired])
    empty, repaired = np.zeros(len(wkb), dtype=bool), np.zeros(len(wkb), dtype=bool)
    empty[others], repaired[others] = cleaned.empty, cleaned.repaired
    made = dict(zip(others.tolist(), cleaned.geoms))
    return Cleaned(geoms=LazyGeometries(wkb, made, simple=simple), empty=empty, repaired=repaired), area, box


# -- per geometry ----------------------------------------------------------------------------------------
def from_wkb(wkb: np.ndarray) -> np.ndarray:
    return _objects([_geometry(data) for data in wkb])


def _geometry(data) -> QgsGeometry:
    """The geometry of one WKB (None for none, or for bytes QGIS cannot read)."""
    if data is None:
        return None
    g = QgsGeometry()
    g.fromWkb(bytes(data))
    return None if g.isNull() else g


def to_wkb(geoms: np.ndarray, multi: bool = False) -> np.ndarray:
    """WKB of each geometry (None stays None); multi: polygons as one-part multipolygons (a Multi layer)."""
    out = np.full(len(geoms), None, dtype=object)
    for i, g in enumerate(geoms):
        if g is not None:
            if multi and _flat(g) == QgsWkbTypes.Type.Polygon:
                g = QgsGeometry(g)
                g.convertToMultiType()
            out[i] = bytes(g.asWkb())
    return out


def clean(geoms: np.ndarray, polygonal: bool = True) -> Cleaned:
    """Flag empty geometries; repair invalid ones with make_valid (keeping the polygonal part)."""
    geoms = np.asarray(geoms, dtype=object)
    empty = np.array([g is None or g.isEmpty() for g in geoms], dtype=bool)
    invalid = np.zeros(len(geoms), dtype=bool)
    for i in np.flatnonzero(~empty).tolist():
        invalid[i] = not geoms[i].isGeosValid()
    if invalid.any():
        geoms = geoms.copy()
        for i in np.flatnonzero(invalid).tolist():
            fixed = geoms[i].makeValid()  # GEOS's MakeValid, as shapely's
            if polygonal:
                fixed = _polygonal(fixed)
            geoms[i] = fixed
            empty[i] = fixed.isEmpty() or (polygonal and fixed.area() == 0)
    return Cleaned(geoms=geoms, empty=empty, repaired=invalid)


def _polygonal(g: QgsGeometry) -> QgsGeometry:
    """The polygons of what make_valid returned (it may add stray lines and points)."""
    if not g.isNull() and _flat(g) in _POLYGONAL:
        return g
    parts = [p for p in g.asGeometryCollection() if _flat(p) in _POLYGONAL] if not g.isNull() else []
    return QgsGeometry.unaryUnion(parts) if parts else QgsGeometry(QgsPolygon())


def reproject(geoms: np.ndarray, src_wkt: str, dst_wkt: str) -> np.ndarray:
    if not src_wkt or not dst_wkt or src_wkt == dst_wkt:
        return geoms
    src, dst = QgsCoordinateReferenceSystem.fromWkt(src_wkt), QgsCoordinateReferenceSystem.fromWkt(dst_wkt)
    if src == dst:
        return geoms
    transform = QgsCoordinateTransform(src, dst, QgsCoordinateTransformContext())
    out = np.full(len(geoms), None, dtype=object)
    for i, g in enumerate(geoms):
        if g is not None:
            out[i] = QgsGeometry(g)
            out[i].transform(transform)
    return out


def bounds(geoms: np.ndarray) -> np.ndarray:
    out = np.full((len(geoms), 4), np.nan)
    for i, g in enumerate(geoms):
        if g is not None and not g.isEmpty():
            r = g.boundingBox()
            out[i] = r.xMinimum(), r.yMinimum(), r.xMaximum(), r.yMaximum()
    return out


def area(geoms: np.ndarray) -> np.ndarray:
    return np.array([0.0 if g is None else g.area() for g in geoms], dtype=float)


_POINTS = {QgsWkbTypes.Type.Point, QgsWkbTypes.Type.PointZ, QgsWkbTypes.Type.PointM, QgsWkbTypes.Type.PointZM,
           QgsWkbTypes.Type.Point25D}
_MULTIPOLYGONS = {QgsWkbTypes.Type.MultiPolygon, QgsWkbTypes.Type.MultiPolygonZ, QgsWkbTypes.Type.MultiPolygonM,
                  QgsWkbTypes.Type.MultiPolygonZM, QgsWkbTypes.Type.MultiPolygon25D}


def is_point(geoms: np.ndarray) -> np.ndarray:
    return np.array([g is not None and g.wkbType() in _POINTS for g in geoms], dtype=bool)


def is_multipart(geoms: np.ndarray) -> np.ndarray:
    """Multipolygons of more than one part."""
    return np.array([g is not None and g.wkbType() in _MULTIPOLYGONS and g.constGet().numGeometries() > 1
                     for g in geoms], dtype=bool)


def tree_bounds(tree_: Tree) -> np.ndarray:
    """bounds() of the geometries a tree was made of."""
    return tree_.index.boxes


def first_xy(geoms: np.ndarray):
    """x, y of points as they are; of anything else of the first vertex (of the first part's shell)."""
    if isinstance(geoms, LazyGeometries):  # simple polygons as drawn: off their WKB, without a geometry
        xy = wkb_codec.first_points(geoms.simple_wkb(np.arange(len(geoms))))
        rest = np.flatnonzero(np.isnan(xy[:, 0]))
        xy[rest] = _first_xy(geoms.items(rest))
    else:
        xy = _first_xy(geoms)
    return xy[:, 0], xy[:, 1]


def _first_xy(geoms) -> np.ndarray:
    return np.array([(v.x(), v.y()) for v in (g.vertexAt(0) for g in geoms)], dtype=float).reshape(-1, 2)


def fingerprint_wkb(geoms: np.ndarray, grid: float = FINGERPRINT_GRID, xy=None) -> list:
    """The geometry on a `grid`, normalized, as 2D WKB: byte for byte what the shapely backend gives.
    xy: x, y arrays -> x, y arrays, applied first (a projection)."""
    return wkb_codec.normalized_many([bytes(g.asWkb()) for g in geoms], grid, xy)


# -- against prepared polygons -----------------------------------------------------------------------------
def query_xy(tree_: Tree, x: np.ndarray, y: np.ndarray, prepared: _Prepared):
    """(point index, tree index) of the points (x, y) on a geometry of the tree (prepared: its engines)."""
    pi, tj = tree_.index.query(np.column_stack([x, y, x, y]))
    hit = intersects_xy(prepared, tj, x[pi], y[pi])
    return pi[hit], tj[hit]


def intersects_xy(prepared: _Prepared, pj: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    out = np.zeros(len(pj), dtype=bool)
    for n, (j, px, py) in enumerate(zip(pj.tolist(), x.tolist(), y.tolist())):
        out[n] = prepared[j].intersects(QgsPoint(px, py))
    return out


def contains_properly(prepared: _Prepared, pj: np.ndarray, geoms: np.ndarray) -> np.ndarray:
    return _test(prepared, pj, geoms, np.arange(len(geoms)), "contains")


def intersects_pairs(prepared: _Prepared, pj: np.ndarray, geoms: np.ndarray) -> np.ndarray:
    return _test(prepared, pj, geoms, np.arange(len(geoms)), "intersects")


def pieces_outside(pieces: np.ndarray, pk: np.ndarray, geoms, gi: np.ndarray) -> np.ndarray:
    """For pairs (pieces[pk[i]], geoms[gi[i]]): True where the edge piece lies clearly outside the building
    (wkb.lines_outside), read off the WKB of buildings that are simple polygons as drawn; False for the others.
    None for geometries made already (not LazyGeometries): GEOS is asked of every pair."""
    if not isinstance(geoms, LazyGeometries):
        return None
    ub, bi = np.unique(gi, return_inverse=True)
    up, pi = np.unique(pk, return_inverse=True)
    lines = [wkb_codec.parse(bytes(g.asWkb()))[1] for g in pieces[up]]
    return wkb_codec.lines_outside(geoms.simple_wkb(ub), lines, bi, pi)


def intersection_area(prepared: _Prepared, pj: np.ndarray, geoms: np.ndarray) -> np.ndarray:
    out = np.zeros(len(pj))
    for n, (j, g) in enumerate(zip(pj.tolist(), geoms)):
        piece = prepared[j].intersection(g.constGet())
        # QgsGeometry.area() is GEOS's; the bare result's own area() loses digits far from the origin
        out[n] = QgsGeometry(piece).area() if piece is not None else 0.0
    return out


def locate(buildings: np.ndarray, usable: np.ndarray, divisions: np.ndarray, rule: str, tree=None) -> Location:
    return location.locate(sys.modules[__name__], buildings, usable, divisions, rule, tree)


def overlap_area(buildings: np.ndarray, usable: np.ndarray, polygons: np.ndarray, tree=None, areas=None
                 ) -> np.ndarray:
    return location.overlap_area(sys.modules[__name__], buildings, usable, polygons, tree, areas)


def boundary_pieces(polygons: np.ndarray):
    """Short line pieces of every polygon ring (holes too), for finding the buildings that meet an edge, with
    the index of the polygon each came from."""
    pieces, owner = [], []
    for k, g in enumerate(polygons):
        for ring in wkb_codec.rings(bytes(g.asWkb())):
            for a in range(0, len(ring) - 1, BOUNDARY_PIECE):
                run = ring[a:a + BOUNDARY_PIECE + 1]
                pieces.append(QgsGeometry(QgsLineString(run[:, 0].tolist(), run[:, 1].tolist())))
                owner.append(k)
    return _objects(pieces), np.array(owner, dtype=np.int64)


def subdivide(polygons: np.ndarray, max_vertices: int):
    """Polygons cut into pieces of at most `max_vertices` (>= 8) vertices by QGIS's subdivide (20x faster here
    than halving boxes in Python), with the index of the polygon each piece came from."""
    done = [(p, k) for k, g in enumerate(polygons) for p in g.subdivide(max(max_vertices, 8)).asGeometryCollection()
            if _flat(p) == QgsWkbTypes.Type.Polygon and p.area() > 0]  # no edge lines or points
    return _objects([g for g, _ in done]), np.array([k for _, k in done], dtype=np.int64)


# -- points, unions, coverage ---------------------------------------------------------------------------
def first_polygon(x: np.ndarray, y: np.ndarray, polygons: np.ndarray) -> np.ndarray:
    """Index of the first polygon each point (x, y arrays, in the polygons' CRS) intersects, -1 for none."""
    polygons = np.asarray(polygons, dtype=object)
    finite = np.flatnonzero(np.isfinite(x) & np.isfinite(y))
    out = np.full(len(x), -1, dtype=np.int64)
    if not len(polygons) or not len(finite):
        return out
    px, py = x[finite], y[finite]
    pi, pj = BoxIndex(bounds(polygons)).query(np.column_stack([px, py, px, py]))
    hit = intersects_xy(_Prepared(polygons), pj, px[pi], py[pi])
    out[finite] = first_hit(pi[hit], pj[hit], len(finite))
    return out


def representative_points(geoms: np.ndarray, centroid: bool) -> np.ndarray:
    """The centroid of each geometry, or a point surely on it."""
    return _objects([None if g is None else g.centroid() if centroid else g.pointOnSurface() for g in geoms])


def union(geoms: np.ndarray) -> QgsGeometry:
    return QgsGeometry.unaryUnion([g for g in geoms if g is not None])


def box(x0: float, y0: float, x1: float, y1: float) -> QgsGeometry:
    return QgsGeometry.fromRect(QgsRectangle(x0, y0, x1, y1))


def intersects(geoms: np.ndarray, other: QgsGeometry) -> np.ndarray:
    if other is None or other.isEmpty():
        return np.zeros(len(geoms), dtype=bool)
    engine = QgsGeometry.createGeometryEngine(other.constGet())
    engine.prepareGeometry()
    return np.array([g is not None and not g.isEmpty() and engine.intersects(g.constGet()) for g in geoms],
                    dtype=bool)


def coverage(geoms: np.ndarray, min_area: float, limit: int):
    """Gaps (holes enclosed by the union of `geoms`) and overlaps between them larger than `min_area`, at most
    `limit` of each: ([(x, y, area)], [(i, j, x, y, area)]) with x, y a point on the gap or overlap."""
    def where(piece):
        p = piece.pointOnSurface().asPoint()
        return p.x(), p.y(), piece.area()

    union_ = union(geoms)
    gaps, overlaps = [], []
    for poly in union_.asGeometryCollection():
        polygon = poly.constGet()
        for k in range(polygon.numInteriorRings()):
            hole = QgsPolygon()
            hole.setExteriorRing(polygon.interiorRing(k).clone())
            hole = QgsGeometry(hole)
            if hole.area() > min_area and len(gaps) < limit:
                gaps.append(where(hole))
    if area(geoms).sum() - union_.area() > min_area:
        a, b = query(tree(geoms), geoms, "intersects")
        order = np.lexsort((b, a))
        for i, j in zip(a[order].tolist(), b[order].tolist()):
            if i < j and len(overlaps) < limit and geoms[i].overlaps(geoms[j]):
                piece = geoms[i].intersection(geoms[j])
                if piece.area() > min_area:
                    overlaps.append((i, j) + where(piece))
    return gaps, overlaps


def centroid_xy(geoms: np.ndarray) -> np.ndarray:
    """(n, 2) centroid coordinates (NaN for a missing geometry)."""
    out = np.full((len(geoms), 2), np.nan)
    for i, g in enumerate(geoms):
        if g is not None and not g.isEmpty():
            p = g.centroid().asPoint()
            out[i] = p.x(), p.y()
    return out


def polygon(xy: np.ndarray) -> QgsGeometry:
    """A polygon from one closed ring of coordinates (m, 2)."""
    return QgsGeometry(QgsPolygon(QgsLineString(xy[:, 0].tolist(), xy[:, 1].tolist())))


def pair_intersection_area(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Area of a[i] ∩ b[i] for every pair (nothing prepared: each pair is met once; only those that meet are
    intersected)."""
    return np.array([x.intersection(y).area() if x.intersects(y) else 0.0 for x, y in zip(a, b)], dtype=float)


def rings(geoms: np.ndarray):
    """(xy (m, 2), offsets (n + 1)): the closed outer ring of each one-part polygon without holes; others (and
    missing ones) get no coordinates."""
    parts, counts = [], np.zeros(len(geoms), dtype=np.int64)
    for i, g in enumerate(geoms):
        if g is None or _flat(g) != QgsWkbTypes.Type.Polygon or g.constGet().numInteriorRings():
            continue
        ring = g.constGet().exteriorRing()
        xy = np.c_[np.asarray(ring.xData()), np.asarray(ring.yData())] if hasattr(ring, "xData") else \
            np.array([(p.x(), p.y()) for p in ring.points()])
        parts.append(xy)
        counts[i] = len(xy)
    return (np.concatenate(parts) if parts else np.zeros((0, 2))), np.r_[0, np.cumsum(counts)]
