#!/usr/bin/env python3
"""Monitoring points speed (issue 6): N points imported from a CSV, coded, placed in their division and the
red line / farmland zones of the synthetic city, and sampled on one raster, in one run of
monitoring.run_points — each size in its own process (wall time, phase timings, peak RSS), as Markdown.

Input: build/bench/data/city_<size>.gpkg of scripts/bench.py (its 300 divisions, red line and farmland, EPSG:4527).
The CSV (lon/lat in CGCS2000 text, as station lists come) and a 4000 x 4000 tiled DEM over the city are made
in --work (default /tmp/citycode-bench-points), never in the repository.

usage: .venv/bin/python scripts/bench_points.py [--points 100k] [--city 100k] [--md out.md]
Target (issue 6): 100k points imported, coded, placed and sampled on one raster in at most 5 s.
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PKGROOT = os.path.join(ROOT, "build", "pkgroot")
VPY = os.path.join(ROOT, ".venv", "bin", "python")
TARGET_S = 5.0


def parse_n(text: str) -> int:
    text = text.strip().lower()
    return int(float(text[:-1]) * {"k": 1e3, "m": 1e6}[text[-1]]) if text[-1] in "km" else int(text)


def make_inputs(n: int, city: str, work: str):
    """A CSV of n stations inside the city and a DEM over it (kept between runs)."""
    import numpy as np
    import pyogrio
    import rasterio
    from pyproj import Transformer
    from rasterio.transform import from_origin
    os.makedirs(work, exist_ok=True)
    csv = os.path.join(work, f"points_{n}.csv")
    dem = os.path.join(work, "dem.tif")
    x0, y0, x1, y1 = pyogrio.read_info(city, layer="divisions")["total_bounds"]
    if not os.path.exists(csv):
        rng = np.random.default_rng(7)
        x, y = rng.uniform(x0, x1, n), rng.uniform(y0, y1, n)
        lon, lat = Transformer.from_crs("EPSG:4527", "EPSG:4490", always_xy=True).transform(x, y)
        kinds = np.array(["水质", "空气", "噪声", "地面沉降", "气象站", "地下水"])[rng.integers(0, 6, n)]
        with open(csv, "w", encoding="utf-8") as f:
            f.write("站号,站名,类型,经度,纬度\n")
            for i in range(n):
                f.write(f"S{i + 1:07d},{kinds[i]}{i + 1}号站,{kinds[i]},{lon[i]:.7f},{lat[i]:.7f}\n")
    if not os.path.exists(dem):
        size, res = 4000, (x1 - x0) / 4000
        rows, cols = np.mgrid[0:size, 0:size]
        values = (20 + 0.01 * rows + 0.02 * cols).astype("float32")
        values[1000:1200, 1000:1400] = -9999
        with rasterio.open(dem, "w", driver="GTiff", width=size, height=size, count=1, dtype="float32",
                           crs="EPSG:4527", transform=from_origin(x0, y1, res, res), nodata=-9999,
                           tiled=True, blockxsize=256, blockysize=256, compress="deflate") as ds:
            ds.write(values, 1)
    return csv, dem


def one_run(csv: str, dem: str, city: str, work: str) -> dict:
    """Runs in a child process: the engine only, timed from the call to its return."""
    sys.path.insert(0, PKGROOT)
    from qgis.core import QgsApplication
    app = QgsApplication([], False)
    app.initQgis()
    from citycode.plugin.core.engine.layers import LayerInput
    from citycode.plugin.core.points.monitoring import PointJob, run_points
    registry = os.path.join(work, "registry.sqlite")
    for path in (registry, registry + "-wal", registry + "-shm"):
        if os.path.exists(path):
            os.remove(path)
    job = PointJob(points=LayerInput(path=csv), divisions=LayerInput(path=city, layer="divisions"),
                   output=os.path.join(work, "points_coded.gpkg"), kind_field="类型", id_field="站号",
                   planning=[LayerInput(path=city, layer="redline"), LayerInput(path=city, layer="farmland")],
                   rasters=[dem], registry=registry)
    t = time.perf_counter()
    result = run_points(job)
    wall = time.perf_counter() - t
    return {"wall_s": round(wall, 2), "timings": result.timings, "coded": result.counts["coded"],
            "not_imported": result.counts["not_imported"], "dem_missing": result.counts.get("dem_missing"),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--points", default="100k")
    ap.add_argument("--city", default="100k", help="which synthetic city's divisions and zones")
    ap.add_argument("--work", default="/tmp/citycode-bench-points")
    ap.add_argument("--md", help="also write the Markdown table to this file")
    ap.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        print(json.dumps(one_run(*a.child)))
        return 0
    city = os.path.join(ROOT, "build", "bench", "data", f"city_{a.city}.gpkg")
    if not os.path.exists(city):
        sys.exit(f"{city} not found: run `make bench` (scripts/bench.py makes the synthetic cities) first")
    rows = []
    for size in a.points.split(","):
        n = parse_n(size)
        csv, dem = make_inputs(n, city, a.work)
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
        out = subprocess.run([VPY, __file__, "--child", csv, dem, city, a.work], capture_output=True, text=True,
                             env=env, check=True)
        rec = json.loads(out.stdout.strip().splitlines()[-1])
        rec["size"] = size
        rows.append(rec)
        print(f"{size}: {rec}", file=sys.stderr)
    lines = ["| points | wall s (target ≤ {:.0f} s at 100k) | read | locate | zones (2 layers) | raster | registry | "
             "write | peak RSS MB | coded |".format(TARGET_S), "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        t = r["timings"]
        lines.append("| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |".format(
            r["size"], r["wall_s"], t.get("read"), t.get("locate"), t.get("zones"), t.get("rasters"),
            t.get("registry"), t.get("write"), r["peak_rss_mb"], r["coded"]))
    text = "\n".join(lines) + "\n"
    print(text)
    if a.md:
        with open(a.md, "w", encoding="utf-8") as f:
            f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
