"""What a user waits for on a large registry: one assignment in the code form, one locator search, the form
opening on a feature. Run by `make bench` (build/bench/extra/50_latency.md, a section of docs/BENCHMARKS.md).

    .venv/bin/python scripts/bench_latency.py [--codes 1M] [--runs 50] [--postgres] [--md FILE]

The registry (SQLite in a temporary folder; with --postgres also one on a server tests/pg_server.py starts)
is filled through the registry API, open_registry(...).issue(...), in batches: CODES codes of the building
profile over 100 divisions and 10 years. The coded layer is a GeoPackage of RUNS + 1 buildings, as a user's
would be. Each figure is the median and the 95th percentile of RUNS runs:
- assign: FeatureCoder.assign, what the form's Assign button calls (layer edited and saved, code issued);
- locator: the locator filter's fetchResults for a code's last digits (the layer and the registry searched);
- form: CodeForm on a feature, built and shown (offscreen), its overlaps and registry record read.
"""
import argparse
import os
import statistics
import sys
import tempfile
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DIVISIONS = ["340104{:03d}".format(i) for i in range(1, 101)]
YEARS = list(range(2015, 2025))
LIMITS_MS = {"assign": 100, "locator": 100, "form": 300}
BATCH = 100_000


def _count(text: str) -> int:
    text = text.strip().lower()
    factor = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text.rstrip("km")) * factor)


def fill_registry(location: str, n: int) -> float:
    """n codes of the building profile issued through the registry API in batches; returns the seconds."""
    import numpy as np

    from citycode.plugin.core.codes.profiles import load_profile
    from citycode.plugin.core.registry.base import IssueRequest
    from citycode.plugin.core.registry.backends import open_registry

    profile = load_profile("building")
    keys = len(DIVISIONS) * len(YEARS)
    started = time.perf_counter()
    with open_registry(location) as registry:
        for first in range(0, n, BATCH):
            i = np.arange(first, min(n, first + BATCH))
            division = np.array(DIVISIONS, dtype=object)[i % len(DIVISIONS)]
            year = np.array(YEARS)[(i // len(DIVISIONS)) % len(YEARS)]
            identity = np.array(["bench-{}".format(k) for k in i], dtype=object)
            registry.issue(profile, IssueRequest(identity=identity, division=division, year=year, order=i // keys),
                           "bench")
    return time.perf_counter() - started


def make_layer(folder: str, runs: int):
    """A GeoPackage of runs + 1 uncoded buildings and one division polygon around them (EPSG:4527)."""
    from qgis.core import QgsVectorLayer

    sys.path.insert(0, os.path.join(ROOT, "scripts"))
    from bench_atlas import _box, _write

    path = os.path.join(folder, "town.gpkg")
    x0, y0 = 39_500_000.0, 3_500_000.0
    div_uri = _write(path, "divisions", ["code", "name"], [([DIVISIONS[0], "第一街道"], _box(x0, y0, 2000, 2000))])
    rows = [([str(k + 1), "", "{}号楼".format(k + 1)],
             _box(x0 + 20 + (k % 20) * 90, y0 + 20 + (k // 20) * 90, 40, 30)) for k in range(runs + 1)]
    bld_uri = _write(path, "buildings", ["id", "citycode", "name"], rows)
    buildings, divisions = QgsVectorLayer(bld_uri, "buildings", "ogr"), QgsVectorLayer(div_uri, "divisions", "ogr")
    assert buildings.isValid() and divisions.isValid()
    return buildings, divisions


def _stats(samples):
    ms = sorted(s * 1000 for s in samples)
    return statistics.median(ms), ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))]


def measure(location: str, n: int, buildings, divisions, runs: int, app):
    """{"assign" | "locator" | "form": [seconds per run]} on the registry at `location`."""
    from qgis.core import QgsFeedback, QgsLocatorContext, QgsProject

    from citycode.plugin.core.engine.feature_coding import Assignment, CodingConfig, FeatureCoder
    from citycode.plugin.gui.code_form import CodeForm
    from citycode.plugin.gui.locator import CityCodeLocatorFilter

    QgsProject.instance().addMapLayers([buildings, divisions])
    config = CodingConfig(registry_path=location, division_layer=divisions, division_field="code")
    coder = FeatureCoder(buildings, config)
    fids = sorted(buildings.allFeatureIds())
    times = {"assign": [], "locator": [], "form": []}
    codes = []
    for fid in fids[:runs]:
        started = time.perf_counter()
        codes.append(coder.assign(Assignment(fid=fid, profile="building", division=DIVISIONS[0], year=2025)))
        times["assign"].append(time.perf_counter() - started)
    assert all(codes) and len(set(codes)) == runs, codes

    flt = CityCodeLocatorFilter(None)
    found = []
    flt.resultFetched.connect(found.append)
    for k in range(runs):
        # year + building sequence: what one remembers of a code (not its start: no index helps)
        query = "{}{:04d}".format(YEARS[k % len(YEARS)], (k * 37) % (n // (len(DIVISIONS) * len(YEARS))) + 1)
        started = time.perf_counter()
        flt.prepare(query, QgsLocatorContext())
        flt._registry_path = location  # the bench's registry, not the one in the user's settings
        found.clear()
        flt.fetchResults(query, QgsLocatorContext(), QgsFeedback())
        times["locator"].append(time.perf_counter() - started)
        assert found, query

    for fid in fids[:runs]:
        started = time.perf_counter()
        form = CodeForm(buildings, fid, config)
        form.show()
        app.processEvents()
        times["form"].append(time.perf_counter() - started)
        assert form.code_label.text(), fid
        form.close()
        form.deleteLater()
    app.processEvents()
    coder.layer.beforeCommitChanges.disconnect(coder._before_commit)
    QgsProject.instance().removeAllMapLayers()
    return times


def table(rows) -> str:
    lines = ["| registry | codes | what | median ms | p95 ms | limit ms | runs |", "|---|---:|---|---:|---:|---:|---:|"]
    for backend, n, what, samples in rows:
        median, p95 = _stats(samples)
        verdict = "" if p95 <= LIMITS_MS[what] else " ✗"
        lines.append("| {} | {:,} | {} | {:.1f} | {:.1f}{} | ≤ {} | {} |".format(
            backend, n, what, median, p95, verdict, LIMITS_MS[what], len(samples)))
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--codes", default="1M")
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--postgres", action="store_true", help="also a PostgreSQL registry (tests/pg_server.py)")
    parser.add_argument("--md", help="write the table (with a heading) to this file too")
    args = parser.parse_args()
    n = _count(args.codes)

    sys.path.insert(0, os.path.join(ROOT, "build", "pkgroot"))  # `import citycode` as in the tests
    link = os.path.join(ROOT, "build", "pkgroot", "citycode")
    if not os.path.exists(link):
        os.makedirs(os.path.dirname(link), exist_ok=True)
        os.symlink(ROOT, link)
    from qgis.core import QgsApplication
    from qgis.PyQt.QtWidgets import QApplication  # noqa: F401 (widgets: the form)

    app = QgsApplication([], True)
    app.initQgis()
    folder = tempfile.mkdtemp(prefix="citycode_bench_latency_")
    locations = [("SQLite", os.path.join(folder, "registry.sqlite"))]
    server = None
    if args.postgres:
        sys.path.insert(0, os.path.join(ROOT, "tests"))
        from pg_server import DATABASE, PgServer, _wait_accepting, find_bindir
        server = PgServer(find_bindir()).start()
        _wait_accepting(server)
        server.sql("CREATE DATABASE " + DATABASE, dbname="postgres")
        locations.append(("PostgreSQL", server.uri("bench")))
    rows, notes = [], []
    try:
        for backend, location in locations:
            seconds = fill_registry(location, n)
            notes.append("{}: {:,} codes issued through the registry API in {:.0f} s.".format(backend, n, seconds))
            os.makedirs(os.path.join(folder, backend))
            buildings, divisions = make_layer(os.path.join(folder, backend), args.runs)
            for what, samples in measure(location, n, buildings, divisions, args.runs, app).items():
                rows.append((backend, n, what, samples))
    finally:
        if server is not None:
            server.stop()
    notes.append("Load average (1 min) at the end: {:.1f} on {} CPUs.".format(os.getloadavg()[0], os.cpu_count()))
    text = table(rows) + "\n\n" + " ".join(notes)
    print(text)
    if args.md:
        with open(args.md, "w", encoding="utf-8") as f:
            f.write("## Latency on a large registry (issue 16)\n\nWhat a user waits for, scripts/bench_latency.py: "
                    "median and 95th percentile of {} runs each.\n\n{}\n".format(args.runs, text))
    app.exitQgis()


if __name__ == "__main__":
    main()
