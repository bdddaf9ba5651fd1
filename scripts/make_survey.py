#!/usr/bin/env python3
"""A new building survey made from a coded city, with the truth, to test and time the vintage update.

From last year's coded buildings (a layer with a `citycode` field, e.g. ../shared/bench/make_city.py coded by
citycode:assigncodes) it draws this year's survey as a surveyor would bring it back:

  * every surveyed building is shifted by up to --jitter metres (one shift per building) and, at --redraw,
    redrawn: its vertices start elsewhere and move by a few centimetres;
  * --modify: extended (scaled 1.2x from a corner); --drop: demolished; --split: cut in two across its long
    side; --merge: joined with a near neighbour into one building (their hull); --add: new buildings in free
    space; --rebuild: demolished and rebuilt turned and smaller on the same ground (a new building);
  * --area x0,y0,x1,y1 (fractions of the layer's extent): a partial survey; buildings not wholly inside are
    not surveyed (truth 'outside').

Writes one GeoPackage: `survey` (own ids `sid`, shuffled; `year`), `survey_area` (the polygon surveyed),
`truth_new` (sid, class, old codes ';'-joined) and `truth_old` (code, class). Classes: unchanged, modified,
new, demolished, split, merged, outside. Needs shapely 2 and pyogrio (a tool of the repository, like
make_city.py; the plugin itself does not).

usage: .venv/bin/python scripts/make_survey.py --coded coded.gpkg --out survey.gpkg [--layer L] [--seed 7]
       [--jitter 0.5] [--redraw 0.3] [--modify 0.02] [--drop 0.02] [--split 0.01] [--merge 0.01] [--add 0.02]
       [--rebuild 0] [--area 0,0,1,1] [--year 2025]
"""
import argparse
import os
import sys

import numpy as np
import pyogrio.raw
import shapely

CLASSES = ("unchanged", "modified", "new", "demolished", "split", "merged", "outside")


def _split(g, rng):
    """Two pieces of g cut across its long side near the middle (the cut drawn at 35-65 %)."""
    rect = shapely.minimum_rotated_rectangle(g)
    xy = shapely.get_coordinates(rect)[:4]
    e1, e2 = xy[1] - xy[0], xy[2] - xy[1]
    long_, short = (e1, e2) if np.hypot(*e1) >= np.hypot(*e2) else (e2, e1)
    base = xy[0] if np.hypot(*e1) >= np.hypot(*e2) else xy[1]
    t = rng.uniform(0.35, 0.65)
    # a box covering the first t of the long side (oversized across it)
    p0, p1 = base - short * 0.5 - long_ * 0.5, base + long_ * t - short * 0.5
    half = shapely.polygons([p0, p1, p1 + short * 2, p0 + short * 2])
    a, b = shapely.intersection(g, half), shapely.difference(g, half)
    parts = [p for p in shapely.get_parts(np.array([a, b])) if shapely.area(p) > 0.05 * shapely.area(g)]
    return [shapely.normalize(p) for p in parts]


def _redraw(g, rng, noise=0.03):
    """g with its ring starting at another vertex and every vertex moved by up to `noise` metres."""
    ring = shapely.get_coordinates(shapely.get_exterior_ring(g))[:-1]
    ring = np.roll(ring, rng.integers(len(ring)), axis=0) + rng.uniform(-noise, noise, ring.shape)
    holes = [shapely.get_coordinates(shapely.get_interior_ring(g, k)) for k in range(shapely.get_num_interior_rings(g))]
    out = shapely.polygons(np.vstack([ring, ring[:1]]), holes=holes or None)
    return out if shapely.is_valid(out) else g


def make_survey(geoms, codes, rates, seed=7, jitter=0.5, area=(0, 0, 1, 1)):
    """(survey geometries, truth class per survey feature, old codes per survey feature, truth per old code,
    survey area polygon)."""
    rng = np.random.default_rng(seed)
    n = len(geoms)
    x0, y0, x1, y1 = shapely.total_bounds(geoms) + np.array([-1, -1, 1, 1])  # a building on the edge is inside
    box = shapely.box(x0 + (x1 - x0) * area[0], y0 + (y1 - y0) * area[1],
                      x0 + (x1 - x0) * area[2], y0 + (y1 - y0) * area[3])
    cxy = shapely.get_coordinates(shapely.centroid(geoms))
    surveyed = shapely.contains_properly(box, geoms)  # a building across the area's edge is not surveyed
    old_class = np.where(surveyed, "unchanged", "outside").astype(object)
    tree = shapely.STRtree(geoms)
    fate = rng.random(n)
    edges = np.cumsum([rates["drop"], rates["split"], rates["merge"], rates["modify"], rates["rebuild"]])
    pick = np.searchsorted(edges, fate, side="right")  # 0 drop, 1 split, 2 merge, 3 modify, 4 rebuild, 5 keep
    pick[~surveyed] = 5
    used = ~surveyed.copy()
    out_g, out_class, out_old = [], [], []

    # merges first: a pair of near neighbours whose hull meets no third building
    for i in np.flatnonzero(pick == 2):
        if used[i]:
            continue
        near = tree.query(shapely.buffer(geoms[i], 15.0), predicate="intersects")
        near = [j for j in near if j != i and not used[j] and pick[j] == 5]
        if not near:
            continue
        for j in sorted(near, key=lambda k: shapely.distance(geoms[i], geoms[k])):
            hull = shapely.convex_hull(shapely.union(geoms[i], geoms[j]))
            hit = set(tree.query(hull, predicate="intersects").tolist()) - {i, j}
            if not hit and shapely.area(hull) <= 2.5 * (shapely.area(geoms[i]) + shapely.area(geoms[j])):
                break
        else:
            continue
        used[[i, j]] = True
        old_class[[i, j]] = "merged"
        out_g.append(hull)
        out_class.append("merged")
        out_old.append(f"{codes[i]};{codes[j]}")
    for i in range(n):
        if used[i]:
            continue
        used[i] = True
        g, p = geoms[i], pick[i]
        if p == 0:
            old_class[i] = "demolished"
        elif p == 1:
            parts = _split(g, rng)
            if len(parts) < 2:  # too odd a shape to cut: kept
                out_g.append(g), out_class.append("unchanged"), out_old.append(codes[i])
                continue
            old_class[i] = "split"
            out_g += parts
            out_class += ["split"] * len(parts)
            out_old += [codes[i]] * len(parts)
        elif p == 3:
            corner = shapely.get_coordinates(g)[0]
            xy = shapely.get_coordinates(g)
            old_class[i] = "modified"
            out_g.append(shapely.set_coordinates(g, corner + (xy - corner) * 1.2))
            out_class.append("modified"), out_old.append(codes[i])
        elif p == 4:  # rebuilt turned a quarter and halved, overlapping a corner of the old ground
            old_class[i] = "demolished"
            c = shapely.get_coordinates(shapely.centroid(g))[0]
            xy = shapely.get_coordinates(g) - c
            c = c + rng.choice([-1, 1], 2) * np.sqrt(shapely.area(g)) * 0.5
            out_g.append(shapely.set_coordinates(g, np.c_[-xy[:, 1], xy[:, 0]] * 0.5 + c))
            out_class.append("new"), out_old.append("")
        else:
            out_g.append(g), out_class.append("unchanged"), out_old.append(codes[i])

    # new buildings in free ground beside surveyed ones
    want = int(round(rates["add"] * surveyed.sum()))
    added = _free_buildings(rng, want, cxy[surveyed], box, np.array(out_g + list(geoms), dtype=object))
    out_g += list(added)
    out_class += ["new"] * len(added)
    out_old += [""] * len(added)

    out_g = np.array(out_g, dtype=object)
    redraw = rng.random(len(out_g)) < rates["redraw"]
    out_g[redraw] = [_redraw(g, rng) for g in out_g[redraw]]
    out_g = _shifted(out_g, rng, jitter)
    return out_g, np.array(out_class, dtype=object), np.array(out_old, dtype=object), old_class, box


def _free_buildings(rng, want, near, box, taken):
    """`want` rectangles within 60 m of the points `near`, inside `box`, 2 m clear of `taken` and of each other:
    drawn in rounds (three times as many as still wanted), the clear ones kept."""
    added = []
    corners = np.array([[-1, -1], [1, -1], [1, 1], [-1, 1], [-1, -1]]) / 2
    for _ in range(20):
        k = (want - len(added)) * 3
        if k <= 0:
            break
        c = near[rng.integers(len(near), size=k)] + rng.uniform(-60, 60, (k, 2))
        w, h, th = rng.uniform(8, 30, k), rng.uniform(8, 20, k), rng.uniform(0, np.pi, k)
        x, y = corners[:, 0] * w[:, None], corners[:, 1] * h[:, None]
        xy = np.stack([x * np.cos(th)[:, None] - y * np.sin(th)[:, None] + c[:, :1],
                       x * np.sin(th)[:, None] + y * np.cos(th)[:, None] + c[:, 1:]], axis=-1)
        cand = shapely.polygons(xy)
        room = shapely.buffer(cand, 2.0)
        hit = ~shapely.contains_xy(box, c[:, 0], c[:, 1])
        hit[shapely.STRtree(np.r_[taken, np.array(added, dtype=object)]).query(room, predicate="intersects")[0]] = True
        a, b = shapely.STRtree(room).query(room, predicate="intersects")
        order = np.argsort(a, kind="stable")
        keep = ~hit
        for i, j in zip(a[order].tolist(), b[order].tolist()):  # of two that meet, the first drawn stays
            if j < i and keep[j]:
                keep[i] = False
        added += list(cand[keep][:want - len(added)])
    return np.array(added, dtype=object)


def _shifted(geoms, rng, jitter):
    """Each geometry moved by its own random shift of up to `jitter` metres."""
    geoms = np.atleast_1d(np.asarray(geoms, dtype=object))
    r, th = jitter * np.sqrt(rng.random(len(geoms))), rng.uniform(0, 2 * np.pi, len(geoms))
    counts = shapely.get_num_coordinates(geoms)
    xy = shapely.get_coordinates(geoms)
    xy += np.repeat(np.c_[r * np.cos(th), r * np.sin(th)], counts, axis=0)
    out = shapely.set_coordinates(geoms.copy(), xy)
    return out if len(out) > 1 else out[0]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--coded", required=True)
    ap.add_argument("--layer", default=None)
    ap.add_argument("--code-field", default="citycode")
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--year", type=int, default=2025)
    ap.add_argument("--jitter", type=float, default=0.5)
    ap.add_argument("--area", default="0,0,1,1")
    for name, default in (("redraw", 0.3), ("modify", 0.02), ("drop", 0.02), ("split", 0.01), ("merge", 0.01),
                          ("add", 0.02), ("rebuild", 0.0)):
        ap.add_argument(f"--{name}", type=float, default=default)
    a = ap.parse_args(argv)
    meta, _, wkb, fields = pyogrio.raw.read(a.coded, layer=a.layer, columns=[a.code_field])
    geoms = shapely.from_wkb(wkb)
    codes = np.asarray(fields[0], dtype=object)
    keep = (codes != None) & ~shapely.is_empty(geoms)  # noqa: E711 (element-wise)
    geoms, codes = geoms[keep], codes[keep]
    rates = {k: getattr(a, k) for k in ("redraw", "modify", "drop", "split", "merge", "add", "rebuild")}
    g, cls, old, old_class, box = make_survey(geoms, codes, rates, a.seed, a.jitter,
                                              tuple(float(v) for v in a.area.split(",")))
    rng = np.random.default_rng(a.seed + 1)
    order = rng.permutation(len(g))  # a surveyor's own order and ids
    g, cls, old = g[order], cls[order], old[order]
    sid = np.arange(1, len(g) + 1, dtype=np.int64)
    if os.path.exists(a.out):
        os.remove(a.out)
    crs = meta["crs"]
    pyogrio.raw.write(a.out, shapely.to_wkb(g),
                      [sid, np.full(len(g), a.year, dtype=np.int32)], ["sid", "year"], layer="survey",
                      geometry_type="Polygon", crs=crs)
    pyogrio.raw.write(a.out, shapely.to_wkb(np.array([box], dtype=object)), [np.array([1])], ["id"],
                      layer="survey_area", geometry_type="Polygon", crs=crs, append=True)
    pyogrio.raw.write(a.out, None, [sid, cls.astype(str), old.astype(str)], ["sid", "class", "old"],
                      layer="truth_new", append=True)
    pyogrio.raw.write(a.out, None, [codes.astype(str), old_class.astype(str)], ["code", "class"],
                      layer="truth_old", append=True)
    counts = {c: int((cls == c).sum()) for c in CLASSES if c != "demolished" and c != "outside"}
    counts.update({f"old_{c}": int((old_class == c).sum()) for c in CLASSES if c not in ("new",)})
    print(f"survey {len(g)} features from {len(geoms)} old: {counts}", file=sys.stderr)
    return counts


if __name__ == "__main__":
    main()
