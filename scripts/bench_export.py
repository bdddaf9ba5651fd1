#!/usr/bin/env python3
"""Export speed: coded buildings to GeoPackage, Shapefile (UTF-8 and GBK), CSV (WKT), XLSX (WKT) and GeoJSON,
at 100k and 1M features, each case in its own process (wall time and peak RSS), as a Markdown table.

Input: the coded output of `make bench` (build/bench/out/citycode_engine_<size>.gpkg) when it is there;
otherwise the synthetic city of build/bench/data/city_<size>.gpkg (made by scripts/bench.py) is coded first
with scripts/bench_citycode.py into --work (default /tmp/citycode-bench-export), never into the repository.
Outputs go to --work and are removed after each case.

usage: .venv/bin/python scripts/bench_export.py [--sizes 100k,1M] [--formats gpkg,shp,shp_gbk,csv,xlsx,geojson]
                                                [--work /tmp/citycode-bench-export]
Target (issue 7): 1M coded buildings to GeoPackage in at most 10 s.
"""
import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PKGROOT = os.path.join(ROOT, "build", "pkgroot")
VPY = os.path.join(ROOT, ".venv", "bin", "python")
CASES = {  # name -> (format, options)
    "gpkg": ("gpkg", {}),
    "shp": ("shp", {}),
    "shp_gbk": ("shp", {"encoding": "GBK", "replace_unencodable": True}),
    "csv": ("csv", {}),
    "xlsx": ("xlsx", {}),
    "geojson": ("geojson", {}),
}
TARGET_GPKG_1M_S = 10.0


def coded_input(size: str, work: str) -> str:
    made = os.path.join(ROOT, "build", "bench", "out", f"citycode_engine_{size}.gpkg")
    if os.path.exists(made):
        return made
    ours = os.path.join(work, f"coded_{size}.gpkg")
    if not os.path.exists(ours):
        city = os.path.join(ROOT, "build", "bench", "data", f"city_{size}.gpkg")
        if not os.path.exists(city):
            sys.exit(f"{city} is missing: run `.venv/bin/python scripts/bench.py --sizes {size} --cases "
                     f"citycode_engine` first (it generates the synthetic city)")
        subprocess.run([VPY, os.path.join(ROOT, "scripts", "bench_citycode.py"), "--gpkg", city, "--out", ours],
                       check=True)
    return ours


def run_case(src: str, fmt: str, options: dict, out: str):
    """In a child process: export, print one RESULT line."""
    if PKGROOT not in sys.path:
        sys.path.insert(0, PKGROOT)
    import pyarrow
    pyarrow.set_cpu_count(1)  # the machine is shared: one core
    from citycode.plugin.core.output import exports
    from citycode.plugin.core.engine.layers import LayerInput, read
    t0 = time.perf_counter()
    table = read(LayerInput(path=src, layer="buildings_coded"))
    t1 = time.perf_counter()
    result = exports.export_table(table, out, exports.ExportOptions(format=fmt, **options))
    t2 = time.perf_counter()
    size = sum(os.path.getsize(os.path.join(os.path.dirname(out), f)) for f in os.listdir(os.path.dirname(out)))
    print("RESULT " + json.dumps({"read_s": t1 - t0, "write_s": t2 - t1, "features": result.features,
                                  "changes": len(result.changes), "bytes": size,
                                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="100k,1M")
    ap.add_argument("--formats", default=",".join(CASES))
    ap.add_argument("--work", default="/tmp/citycode-bench-export")
    ap.add_argument("--case", nargs=4, metavar=("SRC", "FORMAT", "OPTIONS", "OUT"), help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.case:
        run_case(a.case[0], a.case[1], json.loads(a.case[2]), a.case[3])
        return
    os.makedirs(a.work, exist_ok=True)
    rows = []
    for size in a.sizes.split(","):
        src = coded_input(size, a.work)
        for name in a.formats.split(","):
            fmt, options = CASES[name]
            folder = os.path.join(a.work, f"out_{name}_{size}")
            shutil.rmtree(folder, ignore_errors=True)
            os.makedirs(folder)
            out = os.path.join(folder, "buildings" + {"shp": ".shp"}.get(fmt, "." + fmt))
            t0 = time.perf_counter()
            proc = subprocess.run([VPY, os.path.abspath(__file__), "--case", src, fmt, json.dumps(options), out],
                                  capture_output=True, text=True)
            wall = time.perf_counter() - t0
            line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")), None)
            if line is None:
                print(f"[bench_export] {name} {size} failed:\n{proc.stderr[-2000:]}", file=sys.stderr)
                rows.append((size, name, None, wall))
            else:
                rows.append((size, name, json.loads(line[7:]), wall))
                print(f"[bench_export] {name} {size}: {rows[-1][2]}", file=sys.stderr, flush=True)
            shutil.rmtree(folder, ignore_errors=True)
    print("| size | format | read s | export s | process wall s | peak RSS MB | output MB | changes |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for size, name, r, wall in rows:
        if r is None:
            print(f"| {size} | {name} | failed | | {wall:.1f} | | | |")
            continue
        print(f"| {size} | {name} | {r['read_s']:.1f} | {r['write_s']:.1f} | {wall:.1f} | {r['rss_mb']:.0f} | "
              f"{r['bytes'] / 2 ** 20:.0f} | {r['changes']} |")
    gpkg_1m = [r for size, name, r, _ in rows if name == "gpkg" and r and r["features"] >= 1_000_000]
    if gpkg_1m:
        total = gpkg_1m[0]["read_s"] + gpkg_1m[0]["write_s"]
        print(f"\nGeoPackage, 1M: read + export {total:.1f} s (target <= {TARGET_GPKG_1M_S:.0f} s): "
              f"{'met' if total <= TARGET_GPKG_1M_S else 'NOT met'}")


if __name__ == "__main__":
    main()
