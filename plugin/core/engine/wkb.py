"""Geometry work done on WKB bytes themselves, with numpy only: the same in every geometry backend.

- `normalized`: the WKB GEOS writes for normalize(set_precision(g, grid, mode="pointwise")) in 2D, byte
  for byte (coordinates rounded as GEOS rounds them; rings started at their lowest vertex, shells
  clockwise, holes counter-clockwise, holes and parts in GEOS's order, a one-part multi-geometry as its part).
  Geometry fingerprints must not depend on which backend computed them, nor on a QGIS version
  (QgsGeometry.normalize() may change). `normalized_many` does the usual one-ring polygons on arrays.
- `transform_xy`: every x, y through one array function (a datum shift), Z and M kept, curves too.
- `to_wkt` (as GEOS writes it), `points`, `point_xy`, `rings`.
"""
from fractions import Fraction
from struct import Struct, error as StructError
from typing import Callable, List, Optional, Sequence

import numpy as np
from ..exceptions import CityCodeError

_HEAD = Struct("<BI")
_COUNT = {0: Struct(">I"), 1: Struct("<I")}
_TYPE = {0: Struct(">I"), 1: Struct("<I")}
_POINTS = {1}                             # one coordinate
_RUNS = {2, 8}                            # linestring, circular string: a run of coordinates
_RINGS = {3, 17}                          # polygon, triangle: runs
_PARTS = {4, 5, 6, 7, 9, 10, 11, 12, 15, 16}  # collections of whole geometries


class WkbError(CityCodeError, ValueError):
    pass


def _header(buf, off):
    order = buf[off]
    if order not in (0, 1):
        raise WkbError("bad byte order")
    code = _TYPE[order].unpack_from(buf, off + 1)[0]
    off += 5
    z = bool(code & 0x80000000)
    m = bool(code & 0x40000000)
    if code & 0x20000000:  # EWKB SRID
        off += 4
    code &= 0x0FFFFFFF
    base, iso = code % 1000, code // 1000
    return order, base, z or iso in (1, 3), m or iso in (2, 3), off


def _parse(buf, off):
    """(tree, end offset). tree: (type, coords (n, dims) array) for points and runs, (type, [ring arrays])
    for polygons, (type, [subtrees]) for collections; coordinates are views into buf."""
    order, base, z, m, off = _header(buf, off)
    dims = 2 + z + m
    dtype = "<f8" if order else ">f8"
    if base in _POINTS:
        xy = np.frombuffer(buf, dtype, dims, off).reshape(1, dims)
        return (base, xy[:0] if np.isnan(xy[0, :2]).all() else xy), off + 8 * dims
    count = _COUNT[order].unpack_from(buf, off)[0]
    off += 4
    if base in _RUNS:
        return (base, np.frombuffer(buf, dtype, count * dims, off).reshape(count, dims)), off + 8 * dims * count
    children = []
    for _ in range(count):
        if base in _RINGS:
            n = _COUNT[order].unpack_from(buf, off)[0]
            children.append(np.frombuffer(buf, dtype, n * dims, off + 4).reshape(n, dims))
            off += 4 + 8 * dims * n
        elif base in _PARTS:
            child, off = _parse(buf, off)
            children.append(child)
        else:
            raise WkbError(f"geometry type {base}")
    return (base, children), off


def parse(data: bytes):
    return _parse(memoryview(bytes(data)), 0)[0]


def _runs(tree):
    """Every coordinate array of a parsed geometry, in WKB order."""
    base, body = tree
    if base in _POINTS or base in _RUNS:
        yield body
    elif base in _RINGS:
        yield from body
    else:
        for child in body:
            yield from _runs(child)


# -- bounds, points, transforms -----------------------------------------------------------------------
def rings(data: bytes) -> List[np.ndarray]:
    """The x, y of every polygon ring (shells and holes) in a WKB."""
    out = []

    def walk(tree):
        base, body = tree
        if base in _RINGS:
            out.extend(r[:, :2] for r in body)
        elif base in _PARTS:
            for child in body:
                walk(child)
    walk(parse(data))
    return out


def bounds(data: bytes) -> np.ndarray:
    """(xmin, ymin, xmax, ymax) of a WKB; NaN for an empty geometry."""
    runs = [r[:, :2] for r in _runs(parse(data)) if len(r)]
    xy = np.concatenate(runs) if runs else np.full((1, 2), np.nan)
    xy = xy[~np.isnan(xy).any(axis=1)] if len(runs) else xy  # an empty point is written as NaN, NaN
    if not len(xy):
        return np.full(4, np.nan)
    return np.r_[xy.min(axis=0), xy.max(axis=0)]


# Little-endian 2D polygons of one ring (and multipolygons of one such polygon), most buildings: the bytes
# before their coordinates.
_POLYGON_1 = b"\x01\x03\x00\x00\x00\x01\x00\x00\x00"
_MULTIPOLYGON_1 = b"\x01\x06\x00\x00\x00\x01\x00\x00\x00" + _POLYGON_1


class _OneRings:
    """WKBs laid end to end, with where the coordinates of the one-ring polygons among them start (`fast`:
    little-endian 2D polygons of one ring of at least 4 points, or multipolygons of one such polygon)."""

    def __init__(self, wkbs: Sequence[Optional[bytes]]):
        self.present = np.flatnonzero(np.not_equal(np.asarray(wkbs, dtype=object), None))
        self.data = data = [bytes(wkbs[i]) for i in self.present.tolist()]
        lens = np.fromiter(map(len, data), np.int64, len(data))
        self.joined = b"".join(data)
        buf = np.frombuffer(self.joined, np.uint8)
        starts = np.cumsum(lens) - lens
        head = np.zeros(len(data), dtype=np.int64)  # bytes before the coordinates of a one-ring polygon
        for prefix in (_POLYGON_1, _MULTIPOLYGON_1):
            k = len(prefix)
            fits = np.flatnonzero(lens >= k + 64)  # at least 4 points
            same = (buf[starts[fits, None] + np.arange(k)] == np.frombuffer(prefix, np.uint8)).all(axis=1)
            head[fits[same]] = k + 4  # the ring's point count follows the prefix
        self.fast = (head > 0) & ((lens - head) % 16 == 0)
        f = np.flatnonzero(self.fast)
        self.first = starts[f] + head[f]  # byte offset of the first x of each fast one
        self.npts = (lens[f] - head[f]) // 16

    def coordinates(self):
        """(x, y) of every point of the fast ones, one ring after the other (as many as npts each)."""
        x, y = np.empty(int(self.npts.sum())), np.empty(int(self.npts.sum()))
        at = np.cumsum(self.npts) - self.npts
        for align in range(8):  # doubles are read from a view starting on this byte
            g = np.flatnonzero(self.first % 8 == align)
            if not len(g):
                continue
            view = np.frombuffer(self.joined, "<f8", (len(self.joined) - align) // 8, align)
            n = self.npts[g]
            step = np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n)
            pos = np.repeat((self.first[g] - align) // 8, n) + 2 * step
            out = np.repeat(at[g], n) + step
            x[out], y[out] = view[pos], view[pos + 1]
        return x, y


def first_points(wkbs: Sequence[Optional[bytes]]) -> np.ndarray:
    """(x, y) of the first point of each one-ring polygon (as _OneRings reads them; NaN rows for the others)."""
    rings_ = _OneRings(wkbs)
    out = np.full((len(wkbs), 2), np.nan)
    if len(rings_.npts):
        x, y = rings_.coordinates()
        at = np.cumsum(rings_.npts) - rings_.npts
        out[rings_.present[rings_.fast]] = np.column_stack([x[at], y[at]])
    return out


def bounds_many(wkbs: Sequence[Optional[bytes]]) -> np.ndarray:
    """bounds() of each WKB as an (n, 4) array (NaN rows for None and empty geometries). One-ring polygons,
    most buildings, are read all at once from the WKBs laid end to end; the others one by one."""
    return _bounds(_OneRings(wkbs), len(wkbs))


def _bounds(rings_: _OneRings, n: int, xy=None) -> np.ndarray:
    out = np.full((n, 4), np.nan)
    for r in np.flatnonzero(~rings_.fast).tolist():  # holes, parts, Z/M, big-endian, curves, other types
        try:
            out[rings_.present[r]] = bounds(rings_.data[r])
        except (WkbError, IndexError, ValueError, StructError):
            pass  # not readable WKB: no bounds, as a backend gives for a geometry it cannot read
    if len(rings_.npts):
        x, y = xy or rings_.coordinates()
        at = np.cumsum(rings_.npts) - rings_.npts
        out[rings_.present[rings_.fast]] = np.column_stack([np.minimum.reduceat(x, at), np.minimum.reduceat(y, at),
                                                           np.maximum.reduceat(x, at), np.maximum.reduceat(y, at)])
    return out


SIMPLE_EDGES = 24  # rings of up to this many edges are checked for crossings here (the others by GEOS)


def simple_polygons(wkbs: Sequence[Optional[bytes]], chunk: int = 1 << 17):
    """(simple, area, bounds) of each WKB, read off the bytes in numpy. `simple`: a one-ring polygon GEOS would
    find valid — closed, and either convex (turning one way, once round, at most collinear points between) or
    of at most SIMPLE_EDGES edges none of which meets another but its neighbours at their shared ends (every
    pair tested; touching, a spike or a doubtful case is left to GEOS). `area`: theirs by the shoelace, as
    GEOS, on coordinates taken relative to the first point (NaN elsewhere). `bounds` as bounds_many. Most
    buildings are such polygons: they need no geometry object at all to be checked and measured."""
    n = len(wkbs)
    simple, area, box = np.zeros(n, dtype=bool), np.full(n, np.nan), np.full((n, 4), np.nan)
    for start in range(0, n, chunk):  # a million buildings' coordinates at once would take ~200 MB more
        rings_ = _OneRings(wkbs[start:start + chunk])
        x, y = rings_.coordinates()
        box[start:start + chunk] = _bounds(rings_, len(wkbs[start:start + chunk]), (x, y))
        if not len(rings_.npts):
            continue
        npts = rings_.npts
        at = np.cumsum(npts) - npts
        x -= np.repeat(x[at], npts)
        y -= np.repeat(y[at], npts)
        last = at + npts - 1
        closed = (x[last] == 0) & (y[last] == 0)
        edge = np.ones(len(x), dtype=bool)
        edge[last] = False  # edge k runs from point k to k + 1
        ex, ey = (x[1:] - x[:-1])[edge[:-1]], (y[1:] - y[:-1])[edge[:-1]]
        twice = (x[:-1] * y[1:] - x[1:] * y[:-1])[edge[:-1]]
        eat = at - np.arange(len(at))  # first edge of each ring (npts - 1 edges each)
        prev = np.arange(len(ex)) - 1
        prev[eat] = eat + npts - 2  # the edge before the first is the last
        cross = ex[prev] * ey - ey[prev] * ex
        turn = np.arctan2(cross, ex[prev] * ex + ey[prev] * ey)
        left, right = np.maximum.reduceat(cross, eat), np.minimum.reduceat(cross, eat)
        ok = closed & ((right >= 0) | (left <= 0)) & (np.maximum.reduceat(np.abs(turn), eat) < np.pi - 1e-9) \
            & (np.abs(np.abs(np.add.reduceat(turn, eat)) - 2 * np.pi) < 1e-6)
        spiky = np.maximum.reduceat(np.abs(turn), eat) >= np.pi - 1e-9  # goes straight back at a vertex
        for m in np.unique(npts[~ok & closed & ~spiky & (npts - 1 <= SIMPLE_EDGES)] - 1).tolist():
            rings = np.flatnonzero(~ok & closed & ~spiky & (npts - 1 == m))
            ok[rings] = _no_crossing(x, y, at[rings], m)
        rows = start + rings_.present[rings_.fast]
        twice_area = np.abs(np.add.reduceat(twice, eat))
        ok &= twice_area > 0
        simple[rows] = ok
        area[rows[ok]] = twice_area[ok] / 2
    return simple, area, box


def _no_crossing(x, y, at, m: int) -> np.ndarray:
    """For rings of m edges starting at points `at`: no two edges meet but neighbours at their shared end.
    A pair counts as apart only if one edge lies clearly on one side of the other's line (a margin of 1e-9
    of the ring's size squared: floating-point noise never passes for apart)."""
    k = np.arange(m + 1)
    px, py = x[at[:, None] + k], y[at[:, None] + k]
    size = np.maximum(np.ptp(px, axis=1), np.ptp(py, axis=1))
    margin = (1e-9 * size * size)[:, None]
    i, j = np.triu_indices(m, 2)
    keep = ~((i == 0) & (j == m - 1))  # the first and last edge are neighbours too
    i, j = i[keep], j[keep]
    return _apart(px[:, i], py[:, i], px[:, i + 1], py[:, i + 1], px[:, j], py[:, j], px[:, j + 1], py[:, j + 1],
                  margin).all(axis=1)


def _apart(ax, ay, bx, by, cx, cy, dx, dy, margin) -> np.ndarray:
    """Segments a-b and c-d clearly apart: one lies on one side of the other's line by more than `margin` (as
    twice a triangle's area). Segments that meet always straddle each other's lines, so this never holds for
    them; segments closer than floating-point noise can tell are never called apart either."""
    def side(ox, oy, ux, uy, vx, vy):  # which side of line o->u point v is on
        return (ux - ox) * (vy - oy) - (uy - oy) * (vx - ox)

    def one_side(s, t):
        return ((s > margin) & (t > margin)) | ((s < -margin) & (t < -margin))

    return one_side(side(ax, ay, bx, by, cx, cy), side(ax, ay, bx, by, dx, dy)) | \
        one_side(side(cx, cy, dx, dy, ax, ay), side(cx, cy, dx, dy, bx, by))


OUTSIDE_EDGES = 64  # polygons of up to this many edges are tested against lines here (the others by GEOS)


def lines_outside(polygon_wkbs: Sequence[Optional[bytes]], lines: Sequence[np.ndarray], pp: np.ndarray,
                  pl: np.ndarray, chunk: int = 1 << 15) -> np.ndarray:
    """For each pair (polygon_wkbs[pp[i]], lines[pl[i]]: an (m, 2) array of points): True where the line lies
    clearly outside the polygon — every segment of it apart (_apart) from every edge of the polygon, with a
    margin of 1e-9 of the larger one's size squared, and its first point outside — so it neither meets nor
    nears the polygon. The polygons must be simple one-ring ones (see simple_polygons; others: False). False
    wherever in doubt: the caller asks GEOS then."""
    out = np.zeros(len(pp), dtype=bool)
    rings_ = _OneRings(polygon_wkbs)
    if not len(pp) or not len(rings_.npts):
        return out
    n = len(polygon_wkbs)
    x, y = rings_.coordinates()
    npts, at = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64)
    rows = rings_.present[rings_.fast]
    npts[rows], at[rows] = rings_.npts, np.cumsum(rings_.npts) - rings_.npts
    box = _bounds(rings_, n, (x, y))
    size = np.fmax(box[:, 2] - box[:, 0], box[:, 3] - box[:, 1])
    lines = [np.asarray(line, dtype=float)[:, :2] for line in lines]
    ln = np.fromiter(map(len, lines), np.int64, len(lines))
    lat = np.cumsum(ln) - ln
    lxy = np.concatenate(lines) if lines else np.zeros((0, 2))
    lx, ly = lxy[:, 0], lxy[:, 1]
    todo = np.flatnonzero((npts[pp] >= 4) & (npts[pp] - 1 <= OUTSIDE_EDGES) & (ln[pl] >= 2))
    for s in range(0, len(todo), chunk):
        k = todo[s:s + chunk]
        out[k] = _outside(x, y, at, npts, box, size, lx, ly, lat, ln, pp[k], pl[k])
    return out


def _steps(count: np.ndarray):
    """(owner, step) for `count[i]` steps of each i: owner repeats i, step runs 0 .. count[i] - 1."""
    owner = np.repeat(np.arange(len(count)), count)
    return owner, np.arange(len(owner)) - np.repeat(np.cumsum(count) - count, count)


def _outside(x, y, at, npts, box, size, lx, ly, lat, ln, pp, pl) -> np.ndarray:
    """lines_outside for one chunk of pairs."""
    # Each segment of each line whose box meets the polygon's box (the others are apart for sure) ...
    sp, step = _steps(ln[pl] - 1)
    s0 = lat[pl[sp]] + step
    sx0, sy0, sx1, sy1 = lx[s0], ly[s0], lx[s0 + 1], ly[s0 + 1]
    b = box[pp[sp]]
    meets = (np.minimum(sx0, sx1) <= b[:, 2]) & (np.maximum(sx0, sx1) >= b[:, 0]) & \
        (np.minimum(sy0, sy1) <= b[:, 3]) & (np.maximum(sy0, sy1) >= b[:, 1])
    sp, sx0, sy0, sx1, sy1 = sp[meets], sx0[meets], sy0[meets], sx1[meets], sy1[meets]
    # ... against each edge of the polygon, on coordinates taken relative to the polygon's first point.
    ep, edge = _steps(npts[pp[sp]] - 1)
    e0 = at[pp[sp[ep]]] + edge
    ox, oy = x[at[pp[sp[ep]]]], y[at[pp[sp[ep]]]]
    cx, cy, dx, dy = sx0[ep] - ox, sy0[ep] - oy, sx1[ep] - ox, sy1[ep] - oy
    reach = np.fmax(size[pp[sp[ep]]], np.hypot(dx - cx, dy - cy))
    apart = _apart(x[e0] - ox, y[e0] - oy, x[e0 + 1] - ox, y[e0 + 1] - oy, cx, cy, dx, dy, 1e-9 * reach * reach)
    clear = np.bincount(sp[ep[~apart]], minlength=len(pp)) == 0
    # A line clear of the edges lies wholly inside or wholly outside: its first point tells (even-odd rule).
    px, py = lx[lat[pl]], ly[lat[pl]]
    b = box[pp]
    maybe = np.flatnonzero(clear & (px >= b[:, 0]) & (px <= b[:, 2]) & (py >= b[:, 1]) & (py <= b[:, 3]))
    ip, edge = _steps(npts[pp[maybe]] - 1)
    e0 = at[pp[maybe[ip]]] + edge
    ox, oy = x[at[pp[maybe[ip]]]], y[at[pp[maybe[ip]]]]
    qx, qy = px[maybe[ip]] - ox, py[maybe[ip]] - oy
    ax, ay, bx, by = x[e0] - ox, y[e0] - oy, x[e0 + 1] - ox, y[e0 + 1] - oy
    spans = (ay > qy) != (by > qy)
    crossing = spans & (qx < ax + (qy - ay) * (bx - ax) / np.where(spans, by - ay, 1.0))
    inside = np.bincount(ip[crossing], minlength=len(maybe)) % 2 == 1
    clear[maybe[inside]] = False
    return clear


def point_xy(wkbs: Sequence[Optional[bytes]]):
    """(geometry type per WKB: 1 point ... 7 collection, 0 none; x; y) with x, y of points and of the first
    point of multipoints, NaN for everything else."""
    kind = np.zeros(len(wkbs), dtype=np.int64)
    xy = np.full((len(wkbs), 2), np.nan)
    for i, data in enumerate(wkbs):
        if data is None:
            continue
        try:
            base, body = parse(data)
        except (WkbError, ValueError, IndexError):
            continue
        kind[i] = base
        if base == 4 and body:
            body = body[0][1]
        if base in (1, 4) and len(body):
            xy[i] = body[0, :2]
    return kind, xy[:, 0], xy[:, 1]


_NAMES = {1: "POINT", 2: "LINESTRING", 3: "POLYGON", 4: "MULTIPOINT", 5: "MULTILINESTRING", 6: "MULTIPOLYGON",
          7: "GEOMETRYCOLLECTION", 8: "CIRCULARSTRING", 9: "COMPOUNDCURVE", 10: "CURVEPOLYGON", 11: "MULTICURVE",
          12: "MULTISURFACE", 15: "POLYHEDRALSURFACE", 16: "TIN", 17: "TRIANGLE"}


def to_wkt(wkbs: Sequence[Optional[bytes]]) -> np.ndarray:
    """WKT as GEOS writes it untrimmed of precision (shapely.to_wkt(rounding_precision=-1)): every
    coordinate in its shortest exact decimal form; None for no geometry."""
    out = np.full(len(wkbs), None, dtype=object)
    for i, data in enumerate(wkbs):
        if data is not None:
            tree = parse(data)
            dims = 3 if _header(memoryview(bytes(data)), 0)[2] else 2  # M is dropped, as GEOS 3.11 reads it
            out[i] = _NAMES.get(tree[0], "GEOMETRY") + (" Z" if dims == 3 else "") + " " + _wkt_body(tree, dims)
    return out


def _number(v: float) -> str:
    return np.format_float_positional(v, trim="-")


def _wkt_run(run: np.ndarray, dims: int) -> str:
    return ", ".join(" ".join(_number(v) for v in row[:dims]) for row in run.tolist())


def _wkt_body(tree, dims: int) -> str:
    base, body = tree
    if _is_empty(tree):
        return "EMPTY"
    if base in _POINTS or base in _RUNS:
        return "(" + _wkt_run(body, dims) + ")"
    if base in _RINGS:
        return "(" + ", ".join("(" + _wkt_run(r, dims) + ")" for r in body) + ")"
    if base == 4:  # GEOS 3.11 writes multipoints without parentheses around each point
        return "(" + ", ".join(_wkt_run(c[1], dims) for c in body) + ")"
    parts = [(_NAMES.get(c[0], "GEOMETRY") + (" Z" if dims == 3 else "") + " " if base == 7 else "") +
             _wkt_body(c, dims) for c in body]
    return "(" + ", ".join(parts) + ")"


def points(x, y) -> np.ndarray:
    """2D WKB points (little endian) for x, y arrays, as GEOS writes them."""
    xy = np.empty((len(x), 2), dtype="<f8")
    xy[:, 0], xy[:, 1] = x, y
    head = _HEAD.pack(1, 1)
    out = np.empty(len(x), dtype=object)
    out[:] = [head + row.tobytes() for row in xy]
    return out


def transform_xy(wkbs: Sequence[Optional[bytes]], fn: Callable) -> np.ndarray:
    """Copies of the WKBs with every x, y replaced by fn(x array, y array) -> (x, y) in one call; Z, M,
    structure and byte order kept. Geometries that are not WKB come back as None."""
    out = np.full(len(wkbs), None, dtype=object)
    bufs, runs = [], []
    for i, data in enumerate(wkbs):
        if data is None:
            continue
        buf = bytearray(data)
        try:
            tree = _parse(memoryview(buf), 0)[0]
        except (WkbError, ValueError, IndexError):
            continue
        out[i] = buf
        bufs.append(buf)
        runs.extend(r for r in _runs(tree) if len(r))
    if runs:
        sizes = [len(r) for r in runs]
        x = np.concatenate([r[:, 0] for r in runs]).astype(float)
        y = np.concatenate([r[:, 1] for r in runs]).astype(float)
        nx, ny = fn(x, y)
        start = 0
        for r, n in zip(runs, sizes):  # the runs are views into the copies: write through them
            r[:, 0], r[:, 1] = nx[start:start + n], ny[start:start + n]
            start += n
    for i in np.flatnonzero(np.not_equal(out, None)):
        out[i] = bytes(out[i])
    return out


# -- normalize (GEOS's rules) ---------------------------------------------------------------------------
def geos_round(values: np.ndarray, grid: float) -> np.ndarray:
    """GEOS's pointwise set_precision: v / grid rounded half up (Java's Math.round), times grid."""
    v = values / grid
    n = np.trunc(v)
    f = np.abs(v - n)
    up = np.where(f < 0.5, np.floor(v), np.where(f > 0.5, np.ceil(v), n + 1.0))
    down = np.where(f < 0.5, np.ceil(v), np.where(f > 0.5, np.floor(v), n))
    return np.where(v >= 0, up, down) * grid


def _orientation(p1, p2, q) -> int:
    """GEOS's robust orientation index: 1 left (counter-clockwise), -1 right, 0 collinear (exact sign)."""
    det = (Fraction(p2[0]) - Fraction(p1[0])) * (Fraction(q[1]) - Fraction(p2[1])) - \
          (Fraction(p2[1]) - Fraction(p1[1])) * (Fraction(q[0]) - Fraction(p2[0]))
    return (det > 0) - (det < 0)


def _is_ccw(ring: np.ndarray) -> bool:
    """GEOS 3.10+ Orientation::isCCW on a closed ring (also for flat and degenerate rings)."""
    n = len(ring) - 1
    if n < 3:
        return False
    y = ring[:, 1]
    top = y.max()
    rising = np.flatnonzero((y[1:] == top) & (y[:-1] < y[1:])) + 1
    if not len(rising):
        return False  # flat
    hi = int(rising[-1])
    up_hi, up_low = ring[hi], ring[hi - 1]
    low = hi
    while True:
        low = (low + 1) % n
        if low == hi or y[low] != up_hi[1]:
            break
    down_low = ring[low]
    down_hi = ring[low - 1 if low > 0 else n - 1]
    if up_hi[0] == down_hi[0] and up_hi[1] == down_hi[1]:
        if (up_low == up_hi).all() or (down_low == up_hi).all() or (up_low == down_low).all():
            return False
        return _orientation(up_low, up_hi, down_low) == 1
    return down_hi[0] - up_hi[0] < 0


def _ring(coords: np.ndarray, clockwise: bool) -> np.ndarray:
    if not len(coords):
        return coords
    unique = coords[:-1]
    first = np.lexsort((unique[:, 1], unique[:, 0]))[0]  # stable: the first of equal lowest vertices
    ring = np.concatenate([unique[first:], unique[:first], unique[first:first + 1]])
    return ring[::-1] if len(ring) >= 4 and _is_ccw(ring) == clockwise else ring


def _line(coords: np.ndarray) -> np.ndarray:
    n = len(coords)
    if n and coords[0, 0] == coords[-1, 0] and coords[0, 1] == coords[-1, 1]:
        return _ring(coords, True)  # a closed line: as a shell
    for i in range(n // 2):
        a, b = coords[i], coords[n - 1 - i]
        if a[0] != b[0] or a[1] != b[1]:
            return coords[::-1] if (a[0], a[1]) > (b[0], b[1]) else coords
    return coords


# GEOS's class order, for comparing the members of a collection
_SORT_INDEX = {1: 0, 4: 1, 2: 2, 5: 4, 3: 5, 6: 6, 7: 7}


def _cmp(a, b) -> int:
    return int(a > b) - int(a < b)


def _cmp_coords(a: np.ndarray, b: np.ndarray) -> int:
    """LineString::compareToSameClass: more points is greater, then coordinate by coordinate (x, y)."""
    if len(a) != len(b):
        return _cmp(len(a), len(b))
    diff = np.flatnonzero((a[:, 0] != b[:, 0]) | (a[:, 1] != b[:, 1]))
    if not len(diff):
        return 0
    i = diff[0]
    return _cmp((a[i, 0], a[i, 1]), (b[i, 0], b[i, 1]))


def _compare(a, b) -> int:
    """Geometry::compareTo of two normalized trees."""
    (ta, ba), (tb, bb) = a, b
    if ta != tb:
        return _cmp(_SORT_INDEX.get(ta, 9), _SORT_INDEX.get(tb, 9))
    empty_a, empty_b = _is_empty(a), _is_empty(b)
    if empty_a or empty_b:
        return _cmp(not empty_a, not empty_b)
    if ta in _POINTS or ta in _RUNS:
        return _cmp_coords(ba, bb) if ta in _RUNS else _cmp((ba[0, 0], ba[0, 1]), (bb[0, 0], bb[0, 1]))
    if ta in _RINGS:
        c = _cmp_coords(ba[0], bb[0])
        if c or len(ba) == len(bb) == 1:
            return c
        if len(ba) != len(bb):
            return _cmp(len(ba), len(bb))
        for ra, rb in zip(ba[1:], bb[1:]):
            c = _cmp_coords(ra, rb)
            if c:
                return c
        return 0
    for pa, pb in zip(ba, bb):
        c = _compare(pa, pb)
        if c:
            return c
    return _cmp(len(ba), len(bb))


def _is_empty(tree) -> bool:
    base, body = tree
    if base in _POINTS or base in _RUNS:
        return not len(body)
    if base in _RINGS:
        return not body or not len(body[0])
    return all(_is_empty(c) for c in body)


def _sorted_desc(items, key_cmp):
    from functools import cmp_to_key
    return sorted(items, key=cmp_to_key(lambda a, b: -key_cmp(a, b)))


def _normalize(tree, grid: float):
    base, body = tree
    if base in _POINTS:
        return base, geos_round(body[:, :2], grid)
    if base in _RUNS:
        return base, _line(geos_round(body[:, :2], grid))
    if base in _RINGS:
        rings = [geos_round(r[:, :2], grid) for r in body]
        if not rings:
            return base, rings
        holes = [_ring(r, False) for r in rings[1:]]
        if len(holes) > 1:
            holes = _sorted_desc(holes, _cmp_coords)
        return base, [_ring(rings[0], True)] + holes
    # GEOS rebuilds collections without their empty parts, and a multi-geometry of one part as that part
    parts = [_normalize(c, grid) for c in body if not _is_empty(c)]
    if base in (4, 5, 6) and body and len(parts) < 2:
        return parts[0] if parts else (7, [])
    return base, _sorted_desc(parts, _compare) if len(parts) > 1 else parts


def _write(tree, out: List[bytes]):
    base, body = tree
    if base in _POINTS:
        out.append(_HEAD.pack(1, base))
        out.append(np.ascontiguousarray(body[:, :2], "<f8").tobytes() if len(body) else
                   np.array([np.nan, np.nan], "<f8").tobytes())
    elif base in _RUNS:
        out.append(_HEAD.pack(1, base) + _COUNT[1].pack(len(body)))
        out.append(np.ascontiguousarray(body, "<f8").tobytes())
    elif base in _RINGS:
        out.append(_HEAD.pack(1, base) + _COUNT[1].pack(len(body)))
        for ring in body:
            out.append(_COUNT[1].pack(len(ring)))
            out.append(np.ascontiguousarray(ring, "<f8").tobytes())
    else:
        out.append(_HEAD.pack(1, base) + _COUNT[1].pack(len(body)))
        for child in body:
            _write(child, out)


def normalized(data: bytes, grid: float) -> bytes:
    """shapely.to_wkb(normalize(set_precision(g, grid, mode="pointwise")), output_dimension=2) of WKB `data`."""
    out: List[bytes] = []
    _write(_normalize(parse(data), grid), out)
    return b"".join(out)


_POLYGON_CODES = {3: 2, 1003: 3, 2003: 3, 3003: 4, 0x80000003: 3, 0x40000003: 3, 0xC0000003: 4}


def _one_ring(data: bytes):
    """(offset of the coordinates, points, dims) of a little-endian polygon of one ring of at least 4 points,
    or of a multipolygon of one such polygon (normalized as that polygon); None for anything else."""
    off = 9 if data[:9] == b"\x01\x06\x00\x00\x00\x01\x00\x00\x00" else 0
    if len(data) < off + 13 or data[off] != 1:
        return None
    dims = _POLYGON_CODES.get(_COUNT[1].unpack_from(data, off + 1)[0])
    if dims is None or _COUNT[1].unpack_from(data, off + 5)[0] != 1:
        return None
    n = _COUNT[1].unpack_from(data, off + 9)[0]
    if n < 4 or len(data) != off + 13 + 8 * dims * n:
        return None
    return off + 13, n, dims


def normalized_many(wkbs: Sequence[Optional[bytes]], grid: float, xy: Optional[Callable] = None) -> list:
    """normalized() of each WKB (None stays None), its x, y first through xy(x array, y array) -> (x, y) when
    given (a projection). Polygons of one ring, most buildings, go all at once: the same rounding,
    lowest-vertex start and GEOS's isCCW, on arrays."""
    out = [None] * len(wkbs)
    which, heads, runs = [], [], []
    for i, data in enumerate(wkbs):
        if data is None:
            continue
        data = bytes(data)
        found = _one_ring(data)
        if found is None:
            out[i] = normalized(data if xy is None else transform_xy([data], xy)[0], grid)
            continue
        off, n, dims = found
        which.append(i)
        heads.append(_HEAD.pack(1, 3) + _COUNT[1].pack(1) + _COUNT[1].pack(n))
        runs.append(np.frombuffer(data, "<f8", n * dims, off).reshape(n, dims)[:, :2])
    if not runs:
        return out
    lens = np.array([len(r) for r in runs])
    xy = np.concatenate(runs) if xy is None else np.column_stack(xy(*np.concatenate(runs).T))
    xy = geos_round(xy, grid)
    starts = np.r_[0, np.cumsum(lens)[:-1]]
    ring = np.repeat(np.arange(len(lens)), lens)
    local = np.arange(len(xy)) - starts[ring]
    unique = lens - 1  # without the closing point
    # start at the first lowest vertex (x, then y)
    cand = np.flatnonzero(local < unique[ring])
    order = np.lexsort((cand, xy[cand, 1], xy[cand, 0], ring[cand]))
    first = cand[order][np.r_[True, ring[cand][order][1:] != ring[cand][order][:-1]]]
    shift = first - starts
    rot = xy[starts[ring] + (shift[ring] + np.where(local < unique[ring], local, 0)) % unique[ring]]
    ccw = _is_ccw_many(rot, starts, lens, ring, local)
    final = np.where(ccw[ring], lens[ring] - 1 - local, local)  # shells go clockwise
    blob = np.ascontiguousarray(rot[starts[ring] + final], "<f8").tobytes()
    for i, head, s, n in zip(which, heads, starts.tolist(), lens.tolist()):
        out[i] = head + blob[16 * s:16 * (s + n)]
    return out


def _is_ccw_many(rings: np.ndarray, starts, lens, ring, local) -> np.ndarray:
    """_is_ccw of closed rings stored one after another (rings[starts[r]:starts[r] + lens[r]])."""
    y = rings[:, 1]
    top = np.maximum.reduceat(y, starts)
    rising = (local >= 1) & (y == top[ring]) & (np.r_[np.inf, y[:-1]] < y)
    hi = np.maximum.reduceat(np.where(rising, np.arange(len(y)), -1), starts)
    flat = hi < 0
    hi = np.where(flat, starts + 1, hi)
    m = lens - 1
    hi_local = hi - starts
    low = hi_local.copy()
    todo = ~flat
    while todo.any():  # the next point after the top that is lower (usually the next one)
        low[todo] = (low[todo] + 1) % m[todo]
        todo &= (low != hi_local) & (y[starts + low] == top)
    up_hi, up_low = rings[hi], rings[hi - 1]
    down_low = rings[starts + low]
    down_hi = rings[starts + np.where(low > 0, low - 1, m - 1)]
    same = (up_hi == down_hi).all(axis=1)
    collapsed = (up_low == up_hi).all(axis=1) | (down_low == up_hi).all(axis=1) | (up_low == down_low).all(axis=1)
    a = (up_hi[:, 0] - up_low[:, 0]) * (down_low[:, 1] - up_hi[:, 1])
    b = (up_hi[:, 1] - up_low[:, 1]) * (down_low[:, 0] - up_hi[:, 0])
    left = a - b > 1e-9 * (np.abs(a) + np.abs(b))
    for r in np.flatnonzero(same & ~collapsed & (np.abs(a - b) <= 1e-9 * (np.abs(a) + np.abs(b)))).tolist():
        left[r] = _orientation(up_low[r], up_hi[r], down_low[r]) == 1  # too close to call in floating point
    ccw = np.where(same, ~collapsed & left, down_hi[:, 0] - up_hi[:, 0] < 0)
    return ccw & ~flat
