"""Generate the synthetic CityCode sample data set (a small town near Hefei).

Run from the plugin root with a Python that has shapely>=2, pyogrio, numpy, pyproj:

    python3 scripts/make_sample_data.py [--out resources/sample/sample_town.gpkg]

Deterministic: fixed seed and pinned GPKG timestamps, so reruns give identical bytes
(with the same pyogrio/GDAL). All layers are EPSG:4527 (CGCS2000 / 3-degree GK zone
39, with zone prefix). Layers and deliberate defects: resources/sample/README.md.
"""
import argparse
import os

import numpy as np
import pyogrio
import pyogrio.raw
import shapely
import shapely.ops
from pyproj import Transformer
from shapely import Point, Polygon, box

SEED = 20240601
W, H = 6000.0, 5000.0          # town extent in metres; built in local coords first
COUNTY = "340104"
rng = np.random.default_rng(SEED)


def blob(cx, cy, r, n=48):
    """Star-shaped wobbly polygon: always valid because the radius stays > 0."""
    t = np.linspace(0, 2 * np.pi, n, endpoint=False)
    rr = r * (1 + sum(rng.uniform(0.05, 0.13) * np.sin(k * t + rng.uniform(0, 6.3)) for k in (2, 3, 5)))
    return Polygon(np.c_[cx + rr * np.cos(t), cy + rr * np.sin(t)])


def wiggly(p0, p1, amp, step=250.0):
    """Polyline p0->p1 with vertices displaced sideways (ends fixed on the extent)."""
    p0, p1 = np.asarray(p0, float), np.asarray(p1, float)
    n = max(2, int(np.hypot(*(p1 - p0)) / step))
    t = np.linspace(0, 1, n + 1)[:, None]
    normal = np.array([-(p1 - p0)[1], (p1 - p0)[0]]) / np.hypot(*(p1 - p0))
    off = rng.uniform(-amp, amp, n + 1)
    off[[0, -1]] = 0
    return shapely.LineString(p0 + t * (p1 - p0) + off[:, None] * normal)


def rotated(coords, angle, origin):
    c, s = np.cos(angle), np.sin(angle)
    d = np.asarray(coords) - origin
    return d @ np.array([[c, s], [-s, c]]) + origin


def fill_block(cx, cy, w, h, nx, ny, smin, smax, gap=8.0, skip=0.15):
    """Buildings in an nx*ny slot grid; one building per slot, so no overlaps."""
    angle, out = np.radians(rng.uniform(-3, 3)), []
    sx, sy = w / nx, h / ny
    for i in range(nx):
        for j in range(ny):
            if rng.random() < skip:
                continue
            bw = rng.uniform(smin, min(smax, sx - gap))
            bh = rng.uniform(smin, min(smax, sy - gap))
            x0 = cx - w / 2 + i * sx + gap / 2 + rng.uniform(0, sx - gap - bw)
            y0 = cy - h / 2 + j * sy + gap / 2 + rng.uniform(0, sy - gap - bh)
            if rng.random() < 0.25 and min(bw, bh) > 18:   # L-shape (~15% overall): cut a corner
                fx, fy = rng.uniform(0.4, 0.7) * bw, rng.uniform(0.4, 0.7) * bh
                ring = np.array([(0, 0), (bw, 0), (bw, fy), (fx, fy), (fx, bh), (0, bh)])
                if rng.random() < 0.5:                       # mirror to vary which corner
                    ring = np.c_[bw - ring[:, 0], ring[:, 1]][::-1]
            else:
                ring = np.array([(0, 0), (bw, 0), (bw, bh), (0, bh)])
            out.append(Polygon(rotated(ring + (x0, y0), angle, (cx, cy))))
    return out


# ---- divisions: warped 3x2 grid, polygonized so neighbours share edges exactly
extent = box(0, 0, W, H)
lines = [extent.exterior, wiggly((2000, 0), (2000, H), 120),
         wiggly((4000, 0), (4000, H), 120), wiggly((0, 2500), (W, 2500), 120)]
faces = sorted(shapely.polygonize(shapely.get_parts(shapely.union_all(lines))).geoms,
               key=lambda g: (g.centroid.x // 2000, -g.centroid.y))
# west column = rural towns (镇, codes 100+), the rest = urban streets (街道, 001+)
div_attrs = [("340104100", "井岗镇"), ("340104101", "南岗镇"),
             ("340104001", "三里庵街道"), ("340104003", "稻香村街道"),
             ("340104002", "琥珀街道"), ("340104004", "五里墩街道")]
assert len(faces) == 6 and abs(shapely.union_all(faces).area - W * H) < 1e-3

# ---- planning layers
red = [blob(800, 3950, 600), blob(5400, 1000, 500), blob(3000, 4350, 380), blob(3250, 650, 280)]
red_attrs = [("董铺水库水源涵养生态保护红线", "水源涵养"), ("大蜀山水土保持生态保护红线", "水土保持"),
             ("小蜀山生物多样性维护生态保护红线", "生物多样性维护"), ("南淝河湿地生态保护红线", "水源涵养")]
red_all = shapely.union_all(red)
# the development boundary must not overlap red line (the real-world rule), so cut it out
inner = box(150, 150, W - 150, H - 150)
czk = [blob(4000, 2600, 1750).intersection(inner).difference(red_all),
       blob(900, 1150, 380).difference(red_all)]
czk_all = shapely.union_all(czk)

farm = []
while len(farm) < 14:   # rejection sampling: rural, clear of red line and of each other
    c = rng.uniform((100, 100), (W - 100, H - 100))
    fw, fh = rng.uniform(180, 450, 2)
    q = np.array([(-fw, -fh), (fw, -fh), (fw, fh), (-fw, fh)]) / 2 + rng.uniform(-30, 30, (4, 2))
    q = Polygon(rotated(q + c, np.radians(rng.uniform(-20, 20)), c))
    if (q.within(extent.buffer(-20)) and not q.intersects(czk_all.buffer(20))
            and not q.intersects(red_all.buffer(30)) and not any(q.intersects(f.buffer(20)) for f in farm)):
        farm.append(q)

# ---- buildings: urban blocks on a 250x200 m street grid inside the development boundary
estates = [a + b for a in ("翡翠", "琥珀", "梅山", "安居", "天鹅湖", "西园", "南岗", "科学城",
                            "荷叶地", "稻香", "绿城", "新华", "潜山", "明珠", "和平", "幸福")
           for b in ("小区", "花园", "新村", "家园", "苑", "公寓")]
villages = ["王岗村", "李湾村", "张洼村", "大郢村", "桃园村", "陈圩村", "汪塘村", "高店村", "杨庄村", "周湾村",
            "刘河村", "吴岗村", "孙郢村", "马店村"]
bld = []   # (polygon, name, year, floors)


def add_block(polys, label, suffix, years, rural):
    base = rng.integers(*years)
    for k, p in enumerate(polys, 1):
        year = int(np.clip(base + rng.integers(-3, 4), 1960, 2025))
        if rural:
            floors = rng.integers(1, 4)
        else:
            floors = rng.integers(*((2, 7) if year < 1990 else (5, 13) if year < 2005 else (6, 34)))
        bld.append((p, f"{label}{k}{suffix}", year, int(floors)))


for cx in np.arange(125, W, 250):
    for cy in np.arange(100, H, 200):
        if czk_all.contains(Point(cx, cy)):
            polys = fill_block(cx, cy, 230, 180, rng.integers(3, 5), rng.integers(2, 4), 10, 60, skip=0.25)
            add_block(polys, rng.choice(estates), "号楼", (1960, 2026), False)
taken = shapely.union_all([b[0] for b in bld]).buffer(3)   # grows as villages are added
# villages, placed to create planning conflicts: one astride each red-line edge (facing the
# town), 4 in the middle of farmland (wholly inside), 4 astride a farmland edge, 2 elsewhere
core_c = czk[0].centroid
spots = [shapely.ops.nearest_points(r.exterior, core_c)[0] for r in red]
spots += [f.centroid for f in farm[:4]] + [shapely.LineString(f.exterior.coords[:2]).centroid for f in farm[4:8]]
while len(spots) < len(villages):
    c = Point(rng.uniform((300, 300), (W - 300, H - 300)))
    if not czk_all.buffer(150).contains(c):
        spots.append(c)
for c, vname in zip(spots, villages):
    polys = [p for p in fill_block(c.x, c.y, 180, 110, 5, 3, 10, 25, skip=0.1) if not p.intersects(taken)]
    taken = taken.union(shapely.union_all(polys).buffer(3))
    add_block(polys, vname, "号民房", (1975, 2026), True)

# ---- deliberate problems
within_one = np.array([any(f.contains(b[0]) for f in faces) for b in bld])
cross = np.flatnonzero(~within_one)
keep = set(rng.choice(cross, size=min(30, len(cross)), replace=False).tolist())
bld = [b + (None if within_one[i] else "跨界：跨越乡镇（街道）界线",) for i, b in enumerate(bld)
       if within_one[i] or i in keep]

specials = [  # (polygon, note); placed in town, clearing whatever was generated there
    (Polygon([(3010, 3010), (3040, 3040), (3040, 3010), (3010, 3040)]), "无效几何：自相交（蝴蝶结形）"),
    (Polygon([(3300, 3300), (3330, 3300), (3330, 3320), (3315, 3320), (3315, 3350), (3315, 3320), (3300, 3320)]),
     "无效几何：尖刺（环自接触）"),
] + [(box(W + 30 + 10 * i, y, W + 55 + 10 * i, y + 20), "界外：位于所有乡镇（街道）范围之外")
     for i, y in enumerate((1200, 2600, 3900))]
clear = shapely.union_all([shapely.envelope(p).buffer(10) for p, _ in specials])
bld = [b for b in bld if not b[0].intersects(clear)]
bld += [(p, None, int(rng.integers(1980, 2020)), int(rng.integers(2, 7)), note) for p, note in specials]
bld.append((None, "幸福小区99号楼", 2001, 6, "空几何：无图形"))
bld = [bld[i] for i in rng.permutation(len(bld))]   # real data is not sorted spatially

# ---- projects and monitoring points
proj_names = ["合肥蜀山智能制造产业园一期", "合肥南岗新能源汽车零部件产业园", "井岗现代物流园二期",
              "三里庵片区城市更新项目", "琥珀湖生态公园建设工程", "科学城人工智能创新中心",
              "蜀山区第二人民医院新院区", "南淝河综合治理工程"]
projects = []
for i, pname in enumerate(proj_names, 1):
    area, asp = rng.uniform(1e4, 2e5), rng.uniform(0.6, 1.6)
    pw, ph = np.sqrt(area * asp), np.sqrt(area / asp)
    c = rng.uniform((400, 400), (W - 400, H - 400))
    ring = np.array([(-pw, -ph), (pw, -ph), (pw, ph), (-pw, ph)]) / 2 + c
    year = int(rng.integers(2019, 2026))
    code = (f"{year}-{COUNTY}-{rng.choice([36, 44, 47, 48, 54, 78, 84]):02d}-"
            f"{rng.integers(1, 4):02d}-{rng.integers(1, 999999):06d}")
    projects.append((Polygon(rotated(ring, np.radians(rng.uniform(-15, 15)), c)), i, pname, code, year))

kinds, counter, points = ["水质", "空气", "地面沉降", "噪声"], {}, []
for i in range(1, 31):
    kind = kinds[rng.integers(4)]
    counter[kind] = counter.get(kind, 0) + 1
    points.append((Point(rng.uniform((100, 100), (W - 100, H - 100))), i, f"{counter[kind]}号{kind}监测站", kind))

# ---- write: shift to real EPSG:4527 coordinates near Hefei (117.25E, 31.85N)
cx, cy = Transformer.from_crs("EPSG:4490", "EPSG:4527", always_xy=True).transform(117.25, 31.85)
OFFSET = np.array([np.round(cx - W / 2, -1), np.round(cy - H / 2, -1)])


def write(path, layer, gtype, geoms, fields, multi=False):
    """fields: list of (name, numpy dtype, values); None values become NULL."""
    geoms = shapely.transform(np.array(geoms, dtype=object), lambda c: np.round(c + OFFSET, 2))
    if multi:   # build MultiPolygons ourselves; shapely does not validate, so bad rings survive
        geoms = np.array([None if g is None else shapely.multipolygons([g]) for g in geoms], dtype=object)
    data, masks = [], []
    for _, dtype, vals in fields:
        mask = np.array([v is None for v in vals])
        data.append(np.array([(0 if dtype is not object else None) if v is None else v for v in vals], dtype=dtype))
        masks.append(mask if mask.any() else None)
    pyogrio.raw.write(path, shapely.to_wkb(geoms), data, [f[0] for f in fields], field_mask=masks,
                      layer=layer, driver="GPKG", geometry_type=gtype, crs="EPSG:4527",
                      # GPKG 1.2: QGIS 3.22's GDAL 3.6 warns on the newer 1.4 default
                      dataset_options=None if os.path.exists(path) else {"VERSION": "1.2"})


def rows(items, k):
    return [it[k] for it in items]


ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
ap.add_argument("--out", default="resources/sample/sample_town.gpkg")
out = ap.parse_args().out
os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": "2024-06-01T00:00:00Z"})   # fixed timestamps
if os.path.exists(out):
    os.remove(out)   # pyogrio would otherwise add layers to the old file

TEXT = object   # numpy dtype of the string columns
write(out, "divisions", "Polygon", faces, [("code", TEXT, rows(div_attrs, 0)), ("name", TEXT, rows(div_attrs, 1)),
                                           ("county", TEXT, [COUNTY] * 6)])
names = [None if rng.random() < 0.10 else b[1] for b in bld]
years = [None if rng.random() < 0.02 else b[2] for b in bld]
write(out, "buildings", "MultiPolygon", rows(bld, 0),
      [("id", np.int64, list(range(1, len(bld) + 1))), ("year", np.int32, years), ("name", TEXT, names),
       ("floors", np.int32, rows(bld, 3)), ("note", TEXT, rows(bld, 4))], multi=True)
write(out, "stbhhx", "Polygon", red, [("name", TEXT, rows(red_attrs, 0)), ("hxlx", TEXT, rows(red_attrs, 1))])
write(out, "yjjbnt", "Polygon", farm, [("tbbh", TEXT, [f"{COUNTY}{i:06d}" for i in range(1, len(farm) + 1)]),
                                       ("dlmc", TEXT, [["水田", "旱地", "水浇地"][rng.integers(3)] for _ in farm])])
write(out, "czkfbj", "Polygon", czk, [("name", TEXT, ["蜀山区中心城区城镇开发边界", "南岗镇区城镇开发边界"])])
write(out, "projects", "Polygon", rows(projects, 0),
      [("id", np.int32, rows(projects, 1)), ("name", TEXT, rows(projects, 2)),
       ("xmdm", TEXT, rows(projects, 3)), ("year", np.int32, rows(projects, 4))])
write(out, "monitoring_points", "Point", rows(points, 0),
      [("id", np.int32, rows(points, 1)), ("name", TEXT, rows(points, 2)), ("kind", TEXT, rows(points, 3))])

# ---- summary, recomputed from the file so it reflects what was really written
def read(layer):
    return shapely.from_wkb(pyogrio.raw.read(out, layer=layer)[2])


for lyr in pyogrio.list_layers(out)[:, 0]:
    print(f"{lyr:18s} {pyogrio.read_info(out, layer=lyr)['features']:5d} features")
g = read("buildings")
present = ~shapely.is_missing(g)
valid = present & shapely.is_valid(g)
gv = g[valid]
div_g = read("divisions")
inside_one = np.any([shapely.contains(d, gv) for d in div_g], axis=0)
touching = shapely.intersects(gv, shapely.union_all(div_g))
print(f"buildings: {(~present).sum()} null geometry, {(present & ~valid).sum()} invalid, "
      f"{(touching & ~inside_one).sum()} straddling a division border, {(~touching).sum()} outside all divisions")
pairs = shapely.STRtree(gv).query(gv, predicate="intersects")
assert (pairs[0] == pairs[1]).all(), "valid buildings must not touch each other"
for lyr in ("stbhhx", "yjjbnt", "czkfbj", "projects"):
    u = shapely.union_all(read(lyr))
    hit = shapely.intersects(gv, u) & ~shapely.touches(gv, u)
    print(f"buildings overlapping {lyr:8s}: {hit.sum():4d} ({shapely.within(gv, u).sum()} wholly inside)")
