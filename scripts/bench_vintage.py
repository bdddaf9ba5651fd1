#!/usr/bin/env python3
"""Benchmark of the vintage update (citycode:updatevintage) with a peer for its matching step, in one run.

Data (cached in --data): a synthetic city from ../shared/bench/make_city.py, coded by the engine (its registry
kept as the base), and a survey drawn from it by scripts/make_survey.py (0.5 m jitter, 2 % new, 2 % demolished,
1 % split, 1 % merged, 1 % modified, 30 % redrawn). Cases, each its own process under /usr/bin/time -v:

  citycode  plugin/core/vintage/update.run_update on a fresh copy of the registry: read, match, classify, registry
            (one transaction), output layer, report; precision and recall per class against the truth;
  peer      the matching step as one would do it in QGIS without CityCode: native:joinattributesbylocation
            (new buildings x old, intersects, one-to-many, the old code joined) and a PyQGIS loop over the
            joined pairs computing each overlap with a prepared geometry engine (the shares both ways).

usage: .venv/bin/python scripts/bench_vintage.py [--size 1M] [--data build/bench/data] [--out build/bench/vintage]
           [--md build/bench/extra/55_vintage.md] [--skip-peer] [--peer-timeout 1800]
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PKGROOT = os.path.join(ROOT, "build", "pkgroot")
VPY = os.path.join(ROOT, ".venv", "bin", "python")
QPY = "/usr/bin/python3"
RATES = ["--jitter", "0.5", "--add", "0.02", "--drop", "0.02", "--split", "0.01", "--merge", "0.01",
         "--modify", "0.01", "--redraw", "0.3"]
CLASSES_NEW = ("unchanged", "modified", "new", "split", "merged")


def log(msg):
    print(f"[bench_vintage {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def shared_bench():
    for base in (os.path.dirname(ROOT), os.path.dirname(os.path.dirname(ROOT))):
        path = os.path.join(base, "shared", "bench")
        if os.path.isfile(os.path.join(path, "make_city.py")):
            return path
    sys.exit("../shared/bench/make_city.py is not beside the repository")


def _env():
    return dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=PKGROOT)


def ensure_data(size, data):
    os.makedirs(data, exist_ok=True)
    city, coded = os.path.join(data, f"city_{size}.gpkg"), os.path.join(data, f"vintage_coded_{size}.gpkg")
    registry, survey = os.path.join(data, f"vintage_registry_{size}.sqlite"), os.path.join(data, f"survey_{size}.gpkg")
    if not os.path.isfile(os.path.splitext(city)[0] + ".json"):
        log(f"city {size}: make_city.py (1M takes minutes)")
        subprocess.run([VPY, os.path.join(shared_bench(), "make_city.py"), "--n", size, "--out", city], check=True,
                       stdout=subprocess.DEVNULL, cwd=data)
    if not os.path.isfile(registry + ".done"):
        log(f"coding {size} with the engine")
        for p in (coded, registry):
            if os.path.exists(p):
                os.remove(p)
        code = ("from citycode.plugin.core.engine.assign import AssignJob, LayerInput, run_assign\n"
                f"g = {city!r}\n"
                "run_assign(AssignJob(buildings=LayerInput(path=g, layer='buildings'), divisions=LayerInput(path=g, "
                f"layer='divisions'), division_field='code', year_field='year', id_field='id', registry={registry!r}, "
                f"output={coded!r}))\n")
        subprocess.run([VPY, "-c", code], check=True, env=_env())
        open(registry + ".done", "w").close()
    if not os.path.isfile(survey + ".done"):
        log(f"survey {size}: make_survey.py {' '.join(RATES)}")
        subprocess.run([VPY, os.path.join(ROOT, "scripts", "make_survey.py"), "--coded", coded, "--layer",
                        "buildings_coded", "--out", survey] + RATES, check=True)
        open(survey + ".done", "w").close()
    return city, coded, registry, survey


CITYCODE_CASE = """
import json, sys, time
t0 = time.perf_counter()
from citycode.plugin.core.engine.layers import LayerInput
from citycode.plugin.core.vintage.plan import VintageJob
from citycode.plugin.core.vintage.update import run_update
city, coded, registry, survey, out = sys.argv[1:6]
res = run_update(VintageJob(old=LayerInput(path=coded, layer="buildings_coded"), new=LayerInput(path=survey,
                 layer="survey"), divisions=LayerInput(path=city, layer="divisions"), id_field="sid", output=out,
                 registry=registry, report=out + ".json", year=2025))
print("RESULT " + json.dumps({"total_s": round(time.perf_counter() - t0, 2), "changes": res.summary["changes"],
                              "totals": res.summary["totals"], "layer": res.output_layer}))
"""

PEER_CASE = """
import json, os, sys, time
t0 = time.perf_counter()
from qgis.core import QgsApplication, QgsGeometry, QgsVectorLayer
app = QgsApplication([], False)
app.initQgis()
sys.path.append("/usr/share/qgis/python/plugins")
from processing.core.Processing import Processing
import processing
Processing.initialize()
coded, survey, out = sys.argv[1:4]
t1 = time.perf_counter()
processing.run("native:joinattributesbylocation", {
    "INPUT": survey + "|layername=survey", "JOIN": coded + "|layername=buildings_coded", "PREDICATE": [0],
    "JOIN_FIELDS": ["citycode"], "METHOD": 0, "DISCARD_NONMATCHING": False, "PREFIX": "old_", "OUTPUT": out})
t2 = time.perf_counter()
old = QgsVectorLayer(coded + "|layername=buildings_coded", "old", "ogr")
geoms = {f["citycode"]: f.geometry() for f in old.getFeatures()}
joined = QgsVectorLayer(out, "joined", "ogr")
links = 0
pairs = 0
for f in joined.getFeatures():
    code = f["old_citycode"]
    if not code:
        continue
    g = f.geometry()
    engine = QgsGeometry.createGeometryEngine(g.constGet())
    engine.prepareGeometry()
    o = geoms[code]
    part = engine.intersection(o.constGet())
    inter = QgsGeometry(part).area() if part is not None else 0.0
    pairs += 1
    if max(inter / g.area(), inter / o.area()) >= 0.5:
        links += 1
t3 = time.perf_counter()
print("RESULT " + json.dumps({"total_s": round(t3 - t0, 2), "join_s": round(t2 - t1, 2),
                              "loop_s": round(t3 - t2, 2), "pairs": pairs, "links": links}))
"""


def timed(cmd, env=None, timeout=None):
    """(RESULT dict, wall seconds, peak RSS MB) of one process under /usr/bin/time -v."""
    t = time.perf_counter()
    try:
        proc = subprocess.run(["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True, env=env,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, time.perf_counter() - t, None
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        sys.exit(proc.stderr[-4000:])
    result = json.loads(next(line for line in proc.stdout.splitlines() if line.startswith("RESULT "))[7:])
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    return result, wall, int(rss.group(1)) / 1024 if rss else None


def scores(out, layer, survey, registry):
    """Precision and recall per class: new buildings (by sid) and old ones (by code)."""
    import numpy as np
    import pyogrio.raw
    _, _, _, (sid, change) = pyogrio.raw.read(out, layer=layer, columns=["sid", "cc_change"], read_geometry=False)
    _, _, _, (t_sid, t_class) = pyogrio.raw.read(survey, layer="truth_new", columns=["sid", "class"],
                                                 read_geometry=False)
    _, _, _, (t_code, t_old) = pyogrio.raw.read(survey, layer="truth_old", columns=["code", "class"],
                                                read_geometry=False)
    got = dict(zip(sid[~np.isnan(sid.astype(float))].astype(np.int64).tolist(),
                   change[~np.isnan(sid.astype(float))].tolist()))
    pred = np.array([got.get(int(s)) for s in t_sid], dtype=object)
    rows = []
    for c in CLASSES_NEW:
        tp = int(((pred == c) & (t_class == c)).sum())
        rows.append(("new: " + c, int((t_class == c).sum()), tp / max(int((pred == c).sum()), 1),
                     tp / max(int((t_class == c).sum()), 1)))
    # old buildings: the codes the registry retired as demolished
    import sqlite3
    con = sqlite3.connect(registry)
    retired = {r[0] for r in con.execute("SELECT a.code FROM audit a JOIN batches b ON b.id = a.batch "
                                         "WHERE a.action = 'retire' AND b.action = 'retire'")}
    con.close()
    truth = set(t_code[t_old == "demolished"].tolist())
    tp = len(retired & truth)
    rows.append(("old: demolished (retired)", len(truth), tp / max(len(retired), 1), tp / max(len(truth), 1)))
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", default="1M")
    ap.add_argument("--data", default=os.path.join(ROOT, "build", "bench", "data"))
    ap.add_argument("--out", default=os.path.join(ROOT, "build", "bench", "vintage"))
    ap.add_argument("--md", default=None)
    ap.add_argument("--skip-peer", action="store_true")
    ap.add_argument("--peer-timeout", type=float, default=1800)
    a = ap.parse_args()
    if not os.path.exists(os.path.join(PKGROOT, "citycode")):
        os.makedirs(PKGROOT, exist_ok=True)
        os.symlink(ROOT, os.path.join(PKGROOT, "citycode"))
    city, coded, registry, survey = ensure_data(a.size, a.data)
    os.makedirs(a.out, exist_ok=True)
    reg = os.path.join(a.out, "registry.sqlite")
    shutil.copyfile(registry, reg)
    out = os.path.join(a.out, f"citycode_{a.size}.gpkg")
    log("citycode: run_update")
    ours, wall, rss = timed([VPY, "-c", CITYCODE_CASE, city, coded, reg, survey, out], _env())
    rows = scores(out, ours["layer"], survey, reg)
    lines = ["## Vintage update (issue 18)", "",
             "`scripts/bench_vintage.py` (run by `make bench`): the 1M city of ../shared/bench/make_city.py, coded by "
             "the engine, and a survey drawn from it by scripts/make_survey.py. Targets: <= 30 s and <= 1.5 GB "
             "with speed-ups, precision and recall >= 99 % per class; the peer does the matching step only.", "",
             f"### Vintage update, {a.size} old vs {a.size} new", "",
             "Survey: " + " ".join(RATES) + " (scripts/make_survey.py); every case its own process, "
             "wall time and peak RSS from /usr/bin/time -v.", "",
             "| case | wall s | peak RSS MB | notes |", "|---|---:|---:|---|",
             f"| citycode:updatevintage (whole run: read, match, registry, output, report) | {wall:.1f} | "
             f"{rss:.0f} | registry: {json.dumps(ours['changes'])} |"]
    if not a.skip_peer:
        log("peer: joinattributesbylocation + PyQGIS loop")
        joined = os.path.join(a.out, f"peer_join_{a.size}.gpkg")
        if os.path.exists(joined):
            os.remove(joined)
        peer, pwall, prss = timed([QPY, "-c", PEER_CASE, coded, survey, joined],
                                  dict(os.environ, QT_QPA_PLATFORM="offscreen"), a.peer_timeout)
        if peer is None:
            lines.append("| peer: matching step only (join by location + PyQGIS overlap loop) | > {:.0f} | | "
                         "stopped at the timeout |".format(a.peer_timeout))
        else:
            lines.append(f"| peer: matching step only (join by location + PyQGIS overlap loop) | {pwall:.1f} | "
                         f"{prss:.0f} | join {peer['join_s']} s, loop {peer['loop_s']} s over {peer['pairs']} pairs |")
    lines += ["", "| class | in the truth | precision | recall |", "|---|---:|---:|---:|"]
    lines += [f"| {c} | {n} | {p:.4f} | {r:.4f} |" for c, n, p, r in rows]
    text = "\n".join(lines) + "\n"
    print(text)
    if a.md:
        os.makedirs(os.path.dirname(os.path.abspath(a.md)), exist_ok=True)
        with open(a.md, "w", encoding="utf-8") as f:
            f.write(text)


if __name__ == "__main__":
    main()
