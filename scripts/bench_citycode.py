#!/usr/bin/env python3
"""One CityCode benchmark case as its own process (run it with .venv/bin/python).

Runs the one-pass engine (citycode.plugin.core.engine.assign.run_assign) on a synthetic city made by
../shared/bench/make_city.py: division lookup + code + overlap with `redline` and `farmland`
+ registry write + output GPKG + JSON report, and prints one line

    RESULT {"tool": ..., "n": ..., "phases": {...}, "python_total_s": ..., "counts": {...}}

like the peer benchmark scripts, so scripts/bench.py (or ../shared/bench/run_bench.py) can time it
under /usr/bin/time -v.

usage: .venv/bin/python scripts/bench_citycode.py --gpkg build/bench/data/city_100k.gpkg \
           --out build/bench/out/citycode_engine_100k.gpkg [--registry R.sqlite] [--report R.json] \
           [--rule centroid|area] [--engine auto|arrow|qgis] [--keep-registry]

The registry is deleted before the run (a fresh registry = every building gets a new code) unless
--keep-registry is given. --registry / --report default to files beside --out.
"""
import argparse
import json
import os
import sys
import time

T0 = time.perf_counter()

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PKGROOT = os.path.join(ROOT, "build", "pkgroot")


def _ensure_pkgroot():
    """build/pkgroot/citycode -> repo root, so the plugin is importable as `citycode`."""
    link = os.path.join(PKGROOT, "citycode")
    if not os.path.exists(link):
        os.makedirs(PKGROOT, exist_ok=True)
        os.symlink(ROOT, link)
    if PKGROOT not in sys.path:
        sys.path.insert(0, PKGROOT)


def _remove(path):
    for p in (path, path + "-wal", path + "-shm", path + "-journal"):
        if os.path.exists(p):
            os.remove(p)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gpkg", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--registry", default=None)
    ap.add_argument("--report", default=None)
    ap.add_argument("--rule", choices=["centroid", "area"], default="centroid")
    ap.add_argument("--engine", choices=["auto", "arrow", "qgis"], default="auto")
    ap.add_argument("--keep-registry", action="store_true", help="do not delete the registry first")
    a = ap.parse_args()

    base = os.path.splitext(a.out)[0]
    registry = a.registry or base + "_registry.sqlite"
    report = a.report or base + "_report.json"
    if not a.keep_registry:
        _remove(registry)
    os.makedirs(os.path.dirname(os.path.abspath(a.out)) or ".", exist_ok=True)

    _ensure_pkgroot()
    t = time.perf_counter()
    from citycode.plugin.core.engine.assign import AssignJob, LayerInput, run_assign
    import_s = round(time.perf_counter() - t, 3)

    job = AssignJob(
        buildings=LayerInput(path=a.gpkg, layer="buildings"),
        divisions=LayerInput(path=a.gpkg, layer="divisions"),
        division_field="code", year_field="year", id_field="id", rule=a.rule,
        planning=[LayerInput(path=a.gpkg, layer="redline"), LayerInput(path=a.gpkg, layer="farmland")],
        registry=registry, output=a.out, report=report, engine=a.engine,
    )
    t = time.perf_counter()
    res = run_assign(job)
    run_s = round(time.perf_counter() - t, 3)

    phases = {"import": import_s}
    phases.update(res.timings)
    print("RESULT " + json.dumps(dict(
        tool=f"citycode_engine_{res.engine}_{a.rule}", n=int(res.counts.get("total", 0)), phases=phases,
        run_assign_s=run_s, python_total_s=round(time.perf_counter() - T0, 3), counts=res.counts,
        engine=res.engine, output=res.output, output_layer=res.output_layer, registry=res.registry,
        report=res.report), ensure_ascii=False, default=str), flush=True)


if __name__ == "__main__":
    main()
