#!/usr/bin/env python3
"""`make bench`: CityCode's one-pass engine against the peer tools of ../shared/bench.

1. Data: synthetic cities from ../shared/bench/make_city.py (default seed) for --sizes, cached in
   build/bench/data/city_<size>.gpkg (+ .json, written last = complete). A cached city is reused;
   --data-from DIR copies an existing city_<size>.gpkg/.json from DIR instead of generating it
   (generating 1M takes ~3.5 min).
2. Runs, in ONE interleaved loop (repeat 1 of every size and case, then repeat 2, ...), every case
   as its own process under /usr/bin/time -v (wall, peak RSS, user/sys CPU):
     citycode_engine        .venv python scripts/bench_citycode.py (run_assign in-process: code +
                            overlap with redline & farmland + registry + output GPKG + JSON report)
     citycode_qgis_process  scripts/qgis_process.sh run citycode:assigncodes (same job via Processing)
     peers                  ../shared/bench/run_bench.py's run_case (a_qgis_processing_code, ...)
   Peers' d_*/e_* cases need geopandas + pandas in the .venv; when missing they are installed into
   the .venv with pip ("geopandas<1.2" "pandas<2.3", numpy and pyproj pinned to what is there).
3. Agreement: citycode[:17] == the peers' bcode for every building (joined on id); redline/farmland
   areas against the shapely peer (max abs difference).
4. Writes build/bench/raw.jsonl (one JSON line per run, plus meta and agreement lines) and
   regenerates docs/BENCHMARKS.md from it.

usage: .venv/bin/python scripts/bench.py [--sizes 10k,100k,1M] [--repeats-small 3] [--repeats-large 1]
       .venv/bin/python scripts/bench.py --sizes 10k --repeats 1 --cases citycode_engine,d_shapely_code_arrow
       .venv/bin/python scripts/bench.py --doc-only          # rebuild docs/BENCHMARKS.md from raw.jsonl
"""
import argparse
import datetime
import json
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.normpath(os.environ.get("CITYCODE_BENCH_SHARED", os.path.join(ROOT, "..", "shared", "bench")))
VPY = os.path.join(ROOT, ".venv", "bin", "python")
QPY = "/usr/bin/python3"
QGIS_PROCESS = os.path.join(ROOT, "scripts", "qgis_process.sh")
BENCH_CASE = os.path.join(ROOT, "scripts", "bench_citycode.py")
BUILD = os.path.join(ROOT, "build", "bench")

OURS = {
    "citycode_engine": "CityCode engine in-process (.venv python, run_assign): code + overlap redline/farmland "
                       "+ registry + output GPKG + report, one pass",
    "citycode_qgis_process": "CityCode via qgis_process run citycode:assigncodes (same one pass, QGIS start-up "
                             "included)",
}
PEERS = ["a_qgis_processing_code", "b_qgis_calc_overlaps", "c_pyqgis_loop_code", "c_pyqgis_loop_overlap",
         "d_shapely_code_arrow", "d_shapely_overlap_pyogrio", "e_io_pyogrio_arrow"]
ALL_CASES = list(OURS) + PEERS
# peer pairs whose code job + overlap job together do what our one pass does
PAIRS = [
    ("QGIS Processing: (a) code chain + (b) calculatevectoroverlaps", "a_qgis_processing_code", "b_qgis_calc_overlaps"),
    ("PyQGIS loop: (c) code + (c') overlap", "c_pyqgis_loop_code", "c_pyqgis_loop_overlap"),
    ("shapely 2 + pyogrio: (d) code (arrow) + (d) overlap", "d_shapely_code_arrow", "d_shapely_overlap_pyogrio"),
]
JOB = {"citycode_engine": "one pass", "citycode_qgis_process": "one pass", "a_qgis_processing_code": "code",
       "b_qgis_calc_overlaps": "overlap", "c_pyqgis_loop_code": "code", "c_pyqgis_loop_overlap": "overlap",
       "d_shapely_code_arrow": "code", "d_shapely_code_pyogrio": "code", "d_shapely_overlap_pyogrio": "overlap",
       "e_io_pyogrio_arrow": "I/O floor", "e_io_pyogrio": "I/O floor", "e_io_qgis": "I/O floor"}
TARGET_WALL_S, TARGET_RSS_MB, TARGET_K = 10.0, 1536.0, 1.1


def parse_n(s):
    s = str(s).strip().lower()
    mult = 1
    if s.endswith("k"):
        mult, s = 1_000, s[:-1]
    elif s.endswith("m"):
        mult, s = 1_000_000, s[:-1]
    return int(float(s) * mult)


def log(msg):
    print(f"[bench] {msg}", flush=True)


# ------------------------------------------------------------------------------------------ setup
def ensure_peer_deps():
    """geopandas + pandas for the peers' shapely/pyogrio scripts (write_dataframe / read_dataframe)."""
    check = [VPY, "-c", "import geopandas, pandas, pyogrio, shapely, pyarrow"]
    if subprocess.run(check, capture_output=True).returncode == 0:
        return
    pins = ['geopandas<1.2', 'pandas<2.3']
    for mod in ("numpy", "pyproj"):  # keep what the .venv already sees (Debian's numpy/pyproj)
        p = subprocess.run([VPY, "-c", f"import {mod}; print({mod}.__version__)"], capture_output=True, text=True)
        if p.returncode == 0 and p.stdout.strip():
            pins.append(f"{mod}=={p.stdout.strip()}")
    log("installing the peers' packages into .venv (bench only): " + " ".join(pins))
    cmd = [VPY, "-m", "pip", "install", "--disable-pip-version-check", "--quiet"]
    if subprocess.run(cmd + pins).returncode != 0:
        log("pinned install failed; retrying without the pyproj pin")
        subprocess.run(cmd + [p for p in pins if not p.startswith("pyproj")], check=True)
    subprocess.run(check, check=True)


def ensure_data(sizes, data_dir, data_from):
    os.makedirs(data_dir, exist_ok=True)
    for size in sizes:
        gpkg = os.path.join(data_dir, f"city_{size}.gpkg")
        meta = os.path.splitext(gpkg)[0] + ".json"
        if os.path.isfile(gpkg) and os.path.isfile(meta):
            log(f"data {size}: reusing {gpkg}")
            continue
        for p in (gpkg, meta):
            if os.path.lexists(p):
                os.remove(p)
        src = os.path.join(data_from, f"city_{size}") if data_from else None
        if src and os.path.isfile(src + ".gpkg") and os.path.isfile(src + ".json"):
            log(f"data {size}: copying {src}.gpkg")
            shutil.copyfile(src + ".gpkg", gpkg)
            shutil.copyfile(src + ".json", meta)  # last: marks the copy complete
            continue
        log(f"data {size}: generating with make_city.py (1M takes minutes)")
        t = time.time()
        subprocess.run([VPY, os.path.join(SHARED, "make_city.py"), "--n", size, "--out", gpkg], check=True,
                       stdout=subprocess.DEVNULL)
        log(f"data {size}: {time.time() - t:.0f} s")


def import_run_bench(data_dir, out_dir):
    os.environ["BENCH_DATA"], os.environ["BENCH_OUT"], os.environ["BENCH_VENV_PY"] = data_dir, out_dir, VPY
    if SHARED not in sys.path:
        sys.path.insert(0, SHARED)
    import run_bench as rb
    rb.DATA, rb.OUT, rb.VPY = data_dir, out_dir, VPY
    for name, (py, script, args, label) in list(rb.CASES.items()):  # CASES captured VPY at import time
        if py != rb.QPY:
            rb.CASES[name] = (VPY, script, args, label)
    return rb


# ------------------------------------------------------------------------------------------ running
def _rm(path):
    for p in (path, path + "-wal", path + "-shm", path + "-journal"):
        if os.path.lexists(p):
            os.remove(p)


def run_ours(rb, name, size, data_dir, out_dir, timeout):
    gpkg = os.path.join(data_dir, f"city_{size}.gpkg")
    out = os.path.join(out_dir, f"{name}_{size}.gpkg")
    registry = os.path.join(out_dir, f"{name}_{size}_registry.sqlite")
    report = os.path.join(out_dir, f"{name}_{size}_report.json")
    for p in (registry, report):  # a fresh registry: every building gets a new code
        _rm(p)
    if name == "citycode_engine":
        cmd = [VPY, BENCH_CASE, "--gpkg", gpkg, "--out", out, "--registry", registry, "--report", report,
               "--rule", "centroid"]
    else:
        cmd = [QGIS_PROCESS, "run", "citycode:assigncodes", "--",
               f"BUILDINGS={gpkg}|layername=buildings", f"DIVISIONS={gpkg}|layername=divisions",
               "DIVISION_FIELD=code", "YEAR_FIELD=year", "ID_FIELD=id", "RULE=1",  # 1 = Centroid (JGJ/T 246)
               f"PLANNING={gpkg}|layername=redline", f"PLANNING={gpkg}|layername=farmland",
               f"REGISTRY={registry}", f"OUTPUT={out}", f"REPORT={report}"]
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    t = time.time()
    try:
        p = subprocess.run(["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True, timeout=timeout,
                           env=env, cwd=ROOT)
        rc, so, se = p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired:
        rc, so, se = "timeout", "", ""
    wall, rss, user, sys_ = rb.parse_time_v(se)
    res = None
    for line in so.splitlines():
        if line.startswith("RESULT "):
            res = json.loads(line[7:])
    if name == "citycode_qgis_process" and rc == 0 and os.path.isfile(report):
        with open(report, encoding="utf-8") as fh:
            rep = json.load(fh)
        phases = rep.get("timings_s") or {}
        res = dict(tool="citycode_qgis_process", n=int((rep.get("counts") or {}).get("total", 0)), phases=phases,
                   work_s=round(sum(phases.values()), 3), counts=rep.get("counts"), engine=rep.get("engine"))
    rec = dict(case=name, size=size, rc=rc, wall_s=wall if wall is not None else round(time.time() - t, 2),
               peak_rss_mb=round(rss, 1) if rss else None, user_s=user, sys_s=sys_, result=res,
               label=OURS[name], ts=time.strftime("%Y-%m-%dT%H:%M:%S"))
    if rc != 0:
        rec["stderr_tail"] = se[-1500:]
        rec["stdout_tail"] = so[-1500:]
    return rec


# ------------------------------------------------------------------------------------------ agreement
def _load(path, cols):
    import pyogrio
    if not os.path.isfile(path):
        return None
    layer = pyogrio.list_layers(path)[0][0]
    have = set(pyogrio.read_info(path, layer=layer)["fields"])
    cols = [c for c in cols if c in have]
    _, tbl = pyogrio.read_arrow(path, layer=layer, columns=cols, read_geometry=False)
    import numpy as np
    d = {c: tbl.column(c).to_numpy(zero_copy_only=False) for c in cols}
    order = np.argsort(d["id"], kind="stable")
    return {c: v[order] for c, v in d.items()}


def agreement(size, out_dir, cases_run):
    import numpy as np
    res = dict(kind="agreement", size=size, codes=[], areas=[])
    ours = {n: _load(os.path.join(out_dir, f"{n}_{size}.gpkg"),
                     ["id", "citycode", "redline_area", "farmland_area"]) for n in OURS if n in cases_run}
    peers_code = {n: _load(os.path.join(out_dir, f"{n}_{size}.gpkg"), ["id", "bcode"])
                  for n in ("d_shapely_code_arrow", "a_qgis_processing_code", "c_pyqgis_loop_code") if n in cases_run}
    peers_ovl = {n: _load(os.path.join(out_dir, f"{n}_{size}.gpkg"), ["id", "redline_area", "farmland_area"])
                 for n in ("d_shapely_overlap_pyogrio", "b_qgis_calc_overlaps", "c_pyqgis_loop_overlap")
                 if n in cases_run}
    for on, o in ours.items():
        if o is None:
            continue
        ours17 = np.array([c[:17] if isinstance(c, str) else "" for c in o["citycode"].tolist()], dtype=object)
        for pn, p in peers_code.items():
            if p is None:
                continue
            same_ids = len(p["id"]) == len(o["id"]) and bool(np.array_equal(p["id"], o["id"]))
            bcode = np.array([b if isinstance(b, str) else None for b in p["bcode"].tolist()], dtype=object)
            eq = (ours17 == bcode) if same_ids else np.zeros(len(o["id"]), dtype=bool)
            bad = np.flatnonzero(~eq)[:5]
            res["codes"].append(dict(
                ours=on, peer=pn, n=int(len(o["id"])), same_ids=same_ids, equal=int(eq.sum()),
                ours_null=int((ours17 == "").sum()), peer_null=int(sum(b is None for b in bcode.tolist())),
                ours_distinct=int(len(set(o["citycode"].tolist()) - {None})),
                examples=[dict(id=int(o["id"][i]), citycode=o["citycode"][i],
                               bcode=bcode[i] if same_ids else None) for i in bad]))
        for pn, p in peers_ovl.items():
            if p is None:
                continue
            same_ids = len(p["id"]) == len(o["id"]) and bool(np.array_equal(p["id"], o["id"]))
            row = dict(ours=on, peer=pn, same_ids=same_ids)
            for col in ("redline_area", "farmland_area"):
                a = np.nan_to_num(np.asarray(o.get(col, np.zeros(len(o["id"]))), dtype=float))
                b = np.nan_to_num(np.asarray(p[col], dtype=float))
                if not same_ids:
                    continue
                d = np.abs(a - b)
                row[col] = dict(max_abs_diff_m2=float(d.max()) if len(d) else 0.0,
                                n_diff_gt_0_01m2=int((d > 0.01).sum()), ours_sum_m2=round(float(a.sum()), 2),
                                peer_sum_m2=round(float(b.sum()), 2), ours_hits=int((a > 0).sum()),
                                peer_hits=int((b > 0).sum()))
            res["areas"].append(row)
    return res


# ------------------------------------------------------------------------------------------ meta
def _cmd_out(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=120).stdout.strip()
    except Exception:
        return ""


def git_state():
    """HEAD and whether the plugin code differs from it (what was measured)."""
    head = _cmd_out(["git", "-C", ROOT, "log", "-1", "--format=%h %ad %s", "--date=iso"])
    dirty = _cmd_out(["git", "-C", ROOT, "status", "--porcelain", "--", "plugin", "__init__.py"])
    tree = _cmd_out(["git", "-C", ROOT, "rev-parse", "HEAD:plugin"])
    return dict(head=head, plugin_tree=tree, plugin_dirty=bool(dirty), dirty_files=dirty.splitlines()[:20])


def _plugin_tree(g):
    if g.get("plugin_tree"):
        return g["plugin_tree"]
    sha = (g.get("head") or "").split(" ")[0]
    return _cmd_out(["git", "-C", ROOT, "rev-parse", f"{sha}:plugin"]) if sha else ""


def _shared_results():
    """(case, size) -> median wall s from ../shared/bench/RESULTS.md's generated table, for context."""
    out = {}
    try:
        with open(os.path.join(SHARED, "RESULTS.md"), encoding="utf-8") as fh:
            for line in fh:
                m = re.match(r"^\| ([a-z_]+) \| (\d+[kM]) \| \d+ \| ([\d.]+) \|", line)
                if m:
                    out[(m.group(1), m.group(2))] = float(m.group(3))
    except OSError:
        pass
    return out


def machine_meta():
    cpu = ""
    try:
        with open("/proc/cpuinfo") as fh:
            m = re.search(r"model name\s*:\s*(.*)", fh.read())
            cpu = m.group(1).strip() if m else ""
    except OSError:
        pass
    mem_gb = None
    try:
        with open("/proc/meminfo") as fh:
            mem_gb = round(int(re.search(r"MemTotal:\s*(\d+)", fh.read()).group(1)) / 1024 ** 2, 1)
    except (OSError, AttributeError):
        pass
    osname = ""
    try:
        with open("/etc/os-release") as fh:
            m = re.search(r'PRETTY_NAME="([^"]*)"', fh.read())
            osname = m.group(1) if m else ""
    except OSError:
        pass
    qgis = _cmd_out([QPY, "-c", "from qgis.core import Qgis; from osgeo import gdal; import sys; "
                                "print(Qgis.QGIS_VERSION, gdal.__version__, sys.version.split()[0])"]).split()
    venv = _cmd_out([VPY, "-c", "import json, numpy, shapely, pyogrio, pyarrow\n"
                                "d = dict(numpy=numpy.__version__, shapely=shapely.__version__, "
                                "shapely_geos=shapely.geos_version_string, pyogrio=pyogrio.__version__, "
                                "pyogrio_gdal=pyogrio.__gdal_version_string__, pyarrow=pyarrow.__version__)\n"
                                "for m in ('pandas', 'geopandas', 'pyproj'):\n"
                                "    try:\n        d[m] = __import__(m).__version__\n"
                                "    except Exception:\n        d[m] = None\n"
                                "print(json.dumps(d))"])
    geos = _cmd_out([QPY, "-c", "from qgis.core import Qgis; print(Qgis.geosVersion())"])
    try:
        venv = json.loads(venv)
    except ValueError:
        venv = {}
    return dict(kind="meta", date=datetime.date.today().isoformat(), git=git_state(), cores=os.cpu_count(), cpu=cpu,
                mem_gb=mem_gb, os=osname, kernel=platform.release(), qgis=qgis[0] if qgis else None,
                gdal=qgis[1] if len(qgis) > 1 else None, python=qgis[2] if len(qgis) > 2 else None,
                geos=geos or None, venv=venv)


# ------------------------------------------------------------------------------------------ report
def _med(vals):
    vals = [v for v in vals if v is not None]
    return statistics.median(vals) if vals else None


def _f(v, nd=2):
    if v is None:
        return "–"
    if isinstance(v, float) and (math.isnan(v) or math.isinf(v)):
        return "–"
    return f"{v:,.{nd}f}"


def summarize(runs):
    """(case, size) -> stats over the successful runs."""
    groups = {}
    for r in runs:
        groups.setdefault((r["case"], r["size"]), []).append(r)
    out = {}
    for key, rs in groups.items():
        ok = [r for r in rs if r["rc"] == 0]
        walls = [r["wall_s"] for r in ok]
        phases = {}
        for r in ok:
            for k, v in ((r.get("result") or {}).get("phases") or {}).items():
                phases.setdefault(k, []).append(v)
        work = []
        for r in ok:
            res = r.get("result") or {}
            if key[0] == "citycode_engine":
                work.append(res.get("run_assign_s"))
            elif key[0] == "citycode_qgis_process":
                work.append(res.get("work_s"))
            elif res.get("phases"):
                ph = dict(res["phases"])
                for k in ("init", "startup", "import"):
                    ph.pop(k, None)
                work.append(round(sum(ph.values()), 3))
        out[key] = dict(runs=len(ok), failed=len(rs) - len(ok), wall=_med(walls),
                        wall_min=min(walls) if walls else None, wall_max=max(walls) if walls else None,
                        rss=_med([r["peak_rss_mb"] for r in ok]),
                        rss_max=max([r["peak_rss_mb"] or 0 for r in ok]) if ok else None,
                        cpu=_med([(r["user_s"] or 0) + (r["sys_s"] or 0) for r in ok]),
                        work=_med(work), phases={k: _med(v) for k, v in phases.items()},
                        label=rs[-1].get("label", ""), fails=[r for r in rs if r["rc"] != 0])
    return out


def write_doc(raw_path, doc_path, argv_note, extra_notes=(), data_dir=os.path.join(BUILD, "data")):
    runs, agreements, metas, notes = [], {}, [], [dict(text=t) for t in extra_notes]
    meta_end = {}
    with open(raw_path, encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if not line:
                continue
            r = json.loads(line)
            kind = r.get("kind", "run")
            if kind == "run":
                runs.append(r)
            elif kind == "agreement":
                agreements[r["size"]] = r  # the latest check per size
            elif kind == "meta":
                metas.append(r)
            elif kind == "meta_end":
                meta_end = r
            elif kind == "note":
                notes.append(r)
    meta = metas[-1] if metas else {}
    stats = summarize(runs)
    sizes = sorted({r["size"] for r in runs}, key=parse_n)
    cases = [c for c in ALL_CASES if any(k[0] == c for k in stats)] + \
        sorted({k[0] for k in stats} - set(ALL_CASES))
    big = sizes[-1] if sizes else None
    L = []
    w = L.append
    v = meta.get("venv") or {}
    w("# CityCode benchmarks — one-pass 落图+赋码 + 三区三线 overlap vs the peer tools")
    w("")
    w("*Generated by `scripts/bench.py` (`make bench`) from `build/bench/raw.jsonl`; do not edit by hand — re-run "
      "`.venv/bin/python scripts/bench.py --doc-only` to regenerate.*")
    w("")
    w("## Where and how this was measured")
    w("")
    w(f"* Date {meta.get('date', '?')}; this VM: {meta.get('cores', '?')} cores ({meta.get('cpu') or '?'}), "
      f"{meta.get('mem_gb', '?')} GB RAM, {meta.get('os', '?')} (kernel {meta.get('kernel', '?')}). A shared, "
      "noisy VM: treat differences under ~10 % as noise.")
    w(f"* System: QGIS {meta.get('qgis')}, GDAL {meta.get('gdal')}, GEOS {meta.get('geos')}, Python "
      f"{meta.get('python')} (`/usr/bin/python3` runs the PyQGIS peers; `qgis_process` runs our Processing case).")
    w(f"* `.venv` (our engine and the shapely/pyogrio peers): numpy {v.get('numpy')}, shapely {v.get('shapely')} "
      f"(GEOS {v.get('shapely_geos')}), pyogrio {v.get('pyogrio')} (bundled GDAL {v.get('pyogrio_gdal')}), "
      f"pyarrow {v.get('pyarrow')}, pandas {v.get('pandas')}, geopandas {v.get('geopandas')}, pyproj "
      f"{v.get('pyproj')}. pandas/geopandas are only needed by the peers' scripts (installed by `scripts/bench.py`).")
    w("* Data: `../shared/bench/make_city.py`, default seed 20240501, EPSG:4527: 300 divisions (~585 vertices "
      "each), 2000 red-line and 5000 farmland polygons, N buildings (see `../shared/bench/README.md`). "
      "Cached in `build/bench/data/`.")
    dstats = []
    for sz in sizes:
        try:
            with open(os.path.join(data_dir, f"city_{sz}.json"), encoding="utf-8") as fh:
                d = json.load(fh)
            mb = os.path.getsize(os.path.join(data_dir, f"city_{sz}.gpkg")) / 1024 ** 2
            dstats.append(f"{sz}: seed {d.get('seed')}, {d.get('n_buildings'):,} buildings, "
                          f"{d.get('buildings_crossing_division_border'):,} on a division border, "
                          f"{d.get('buildings_touching_redline'):,} / {d.get('buildings_touching_farmland'):,} "
                          f"touching red line / farmland, {mb:.0f} MB")
        except (OSError, ValueError, TypeError):
            pass
    if dstats:
        w("* Cities used (from their make_city.py .json): " + "; ".join(dstats) + ".")
    w("* Every number is a whole process under `/usr/bin/time -v` (interpreter / QGIS start-up + read GPKG + work "
      "+ write GPKG): median wall seconds and median peak RSS over the repeats, which ran interleaved (repeat 1 of "
      "every case and size, then repeat 2, ...). Raw runs: `build/bench/raw.jsonl`.")
    w("* Our cases: **citycode_engine** = `.venv/bin/python scripts/bench_citycode.py` (`run_assign`, rule "
      "`centroid`, fresh registry each run) — division lookup + code + overlap with `redline` and `farmland` + "
      "registry (SQLite) write + output GPKG + JSON report, in one pass. **citycode_qgis_process** = the same job "
      "through `scripts/qgis_process.sh run citycode:assigncodes` (RULE=1 = centroid), QGIS start-up included.")
    w("* Peers (`../shared/bench/run_bench.py` `run_case`, their scripts unchanged): (a) QGIS Processing chain "
      "for the code, (b) `native:calculatevectoroverlaps`, (c)/(c') PyQGIS loops, (d) shapely 2 + pyogrio "
      "(code with `use_arrow`, overlap), (e) pyogrio arrow read + write of the buildings (I/O floor, no work). "
      "A peer's code and overlap are two jobs (two reads, two writes); our one pass does both, so ratios compare "
      "our wall with the **sum** of the peer's code + overlap walls.")
    g0, g1 = meta.get("git") or {}, meta_end.get("git") or {}
    if g0:
        w(f"* Code measured: commit `{g0.get('head')}`"
          + (" **with uncommitted changes in plugin/**: " + ", ".join(f"`{x.strip()}`" for x in g0["dirty_files"])
             if g0.get("plugin_dirty") else " (plugin/ clean)") + ".")
    if g1 and (_plugin_tree(g1) != _plugin_tree(g0) or g1.get("dirty_files") != g0.get("dirty_files")):
        w(f"* **The plugin code changed during the run**: at the end HEAD was `{g1.get('head')}`"
          + (" with uncommitted changes in plugin/" if g1.get("plugin_dirty") else "") + ".")
    elif g1 and g1.get("head") != g0.get("head"):
        w(f"* HEAD moved to `{g1.get('head')}` during the run, but plugin/ was the same tree throughout.")
    if meta_end.get("elapsed_s"):
        w(f"* The runs took {meta_end['elapsed_s'] / 60:.0f} min in all.")
    ref = _shared_results()
    parts = []
    for sz in sizes:
        rs = [(c, stats[(c, sz)]["wall"] / ref[(c, sz)] - 1) for c in PEERS
              if (c, sz) in stats and (c, sz) in ref and stats[(c, sz)]["wall"]]
        if rs:
            parts.append(f"{sz} {min(r for _, r in rs):+.0%} … {max(r for _, r in rs):+.0%}")
    if parts:
        w("* The peers ran in the same interleaved loop, so the ratios are like for like. Their median walls "
          "here against `../shared/bench/RESULTS.md` (same VM, earlier): " + "; ".join(parts) + ".")
    for n in notes:
        w(f"* {n.get('text')}")
    reps = {}
    for (c, s), st in stats.items():
        reps.setdefault(s, set()).add(st["runs"])
    w("* Repeats per size: " + ", ".join(f"{s}: {'/'.join(str(x) for x in sorted(reps[s]))}" for s in sizes) + ".")
    argv_note = argv_note or meta.get("command")
    if argv_note:
        w(f"* Command: `{argv_note}`")
    skipped = [(c, s) for s in sizes for c in cases if (c, s) not in stats]
    if skipped:
        w("* Not run: " + ", ".join(f"{c} at {s}" for c, s in skipped) + ".")
    failed = [(k, st) for k, st in stats.items() if st["failed"]]
    for (c, s), st in failed:
        tail = (st["fails"][-1].get("stderr_tail") or "").strip().splitlines()[-3:]
        w(f"* **FAILED** {c} at {s}: {st['failed']} run(s), rc={st['fails'][-1]['rc']}: `{' / '.join(tail)}`")
    w("")

    # ---- targets
    eng = stats.get(("citycode_engine", big)) if big else None
    qp = stats.get(("citycode_qgis_process", big)) if big else None
    w("## Targets (from the issue)")
    w("")
    w("| target | measured | status |")
    w("|---|---|---|")

    def met(ok):
        return "**MET**" if ok else "**NOT MET**"

    for name, st in (("citycode_engine", eng), ("citycode_qgis_process", qp)):
        if st and st["wall"] is not None and parse_n(big) >= 1_000_000:
            w(f"| {big} buildings: code + overlap (red line, farmland) + registry write in one pass ≤ "
              f"{TARGET_WALL_S:.0f} s wall — {name} | {_f(st['wall'])} s (median of {st['runs']}; "
              f"min {_f(st['wall_min'])}) | {met(st['wall'] <= TARGET_WALL_S)} |")
            w(f"| same, peak RSS ≤ 1.5 GB ({TARGET_RSS_MB:.0f} MiB) — {name} | {_f(st['rss'], 0)} MB "
              f"(max {_f(st['rss_max'], 0)}) | {met(st['rss'] <= TARGET_RSS_MB)} |")
    lo = next((s for s in sizes if parse_n(s) == parse_n(big) // 10), None) if big else None
    if lo:
        for name in OURS:
            a, b = stats.get((name, lo)), stats.get((name, big))
            if a and b and a["wall"] and b["wall"]:
                k = math.log10(b["wall"] / a["wall"])
                kw = math.log10(b["work"] / a["work"]) if a.get("work") and b.get("work") else None
                w(f"| growth {lo}→{big} linear (k = log10(t{big}/t{lo}) ≤ {TARGET_K}) — {name} | wall k = "
                  f"{k:.2f} ({_f(a['wall'])} → {_f(b['wall'])} s); in-process work k = "
                  f"{'–' if kw is None else f'{kw:.2f}'} | {met(max(k, kw if kw is not None else k) <= TARGET_K)} |")
    for name in OURS:
        rows = [(s, c) for s in sizes for c in (agreements.get(s) or {}).get("codes", [])
                if c["ours"] == name and c["peer"] == "d_shapely_code_arrow"]
        if rows:
            ok = all(c["same_ids"] and c["equal"] == c["n"] for _, c in rows)
            txt = "; ".join(f"{s}: {c['equal']:,}/{c['n']:,}" for s, c in rows)
            w(f"| centroid-rule codes identical to the peers' bcode (citycode[:17]) — {name} | {txt} | {met(ok)} |")
    w("")
    w("Wall and RSS targets are judged on the median; 1.5 GB is taken as 1536 MiB (`/usr/bin/time` reports KiB). "
      "Linear growth: k = 1.0 is linear; MET needs both the wall k and the in-process work k (start-up excluded) "
      "≤ 1.1, the peers' RESULTS.md goal per decade.")
    w("")

    # ---- per size
    w("## Wall time and peak RSS per size")
    w("")
    for s in sizes:
        n = parse_n(s)
        w(f"### {s} buildings")
        w("")
        w("| case | job | runs | median wall s | min | max | peak RSS MB | CPU s (user+sys) | buildings/s |")
        w("|---|---|---|---|---|---|---|---|---|")
        for c in cases:
            st = stats.get((c, s))
            if not st:
                continue
            bold = "**" if c in OURS else ""
            fps = f"{n / st['wall']:,.0f}" if st["wall"] else "–"
            failures = f" ({st['failed']} failed)" if st["failed"] else ""
            w(f"| {bold}{c}{bold} | {JOB.get(c, '')} | {st['runs']}{failures} "
              f"| {bold}{_f(st['wall'])}{bold} | {_f(st['wall_min'])} | {_f(st['wall_max'])} | {_f(st['rss'], 0)} "
              f"| {_f(st['cpu'])} | {fps} |")
        w("")

    # ---- ratios
    w("## Ratios: peer wall / our wall (code + overlap peers summed)")
    w("")
    w("A ratio > 1 means our one pass is faster. Each cell: peer seconds / our seconds = ratio.")
    w("")
    for ours_name in OURS:
        if not any((ours_name, s) in stats for s in sizes):
            continue
        w(f"**vs {ours_name}**")
        w("")
        w("| peer | " + " | ".join(sizes) + " |")
        w("|---|" + "---|" * len(sizes))
        rows = [(lbl, [a, b]) for lbl, a, b in PAIRS] + [("I/O floor only: (e) pyogrio arrow read + write, no work",
                                                         ["e_io_pyogrio_arrow"])]
        for lbl, members in rows:
            cells = []
            for s in sizes:
                o = stats.get((ours_name, s))
                ps = [stats.get((m, s)) for m in members]
                if not o or not o["wall"] or any(p is None or p["wall"] is None for p in ps):
                    cells.append("–")
                    continue
                tot = sum(p["wall"] for p in ps)
                cells.append(f"{tot:.2f} / {o['wall']:.2f} = **{tot / o['wall']:.1f}x**")
            w(f"| {lbl} | " + " | ".join(cells) + " |")
        w("")
    # peak RSS comparison at the biggest size
    if big:
        w(f"Peak RSS at {big} (MB): " + ", ".join(
            f"{c} {_f(stats[(c, big)]['rss'], 0)}" for c in cases if (c, big) in stats) + ".")
        w("")

    # ---- growth
    w("## Growth with N")
    w("")
    w("k = log10(t(10N) / t(N)) on the median wall (1.0 = linear); work = in-process time without "
      "interpreter/QGIS start-up (ours: `run_assign`; peers: their phases minus init/start-up).")
    w("")
    pairs = [(a, b) for a in sizes for b in sizes if parse_n(b) == 10 * parse_n(a)]
    head = ["case"] + [f"wall {s}" for s in sizes]
    for a_, b_ in pairs:
        head += [f"k wall {a_}→{b_}", f"k work {a_}→{b_}"]
    w("| " + " | ".join(head) + " |")
    w("|---|" + "---|" * (len(sizes) + 2 * len(pairs)))
    for c in cases:
        cells = [_f((stats.get((c, s)) or {}).get("wall")) for s in sizes]
        for a, b in pairs:
            sa, sb = stats.get((c, a)), stats.get((c, b))
            kw = kk = "–"
            if sa and sb and sa["wall"] and sb["wall"]:
                kw = f"{math.log10(sb['wall'] / sa['wall']):.2f}"
            if sa and sb and sa.get("work") and sb.get("work"):
                kk = f"{math.log10(sb['work'] / sa['work']):.2f}"
            cells += [kw, kk]
        bold = "**" if c in OURS else ""
        w(f"| {bold}{c}{bold} | " + " | ".join(cells) + " |")
    w("")

    # ---- phases
    w("## Our per-phase timings (median s)")
    w("")
    w("`import` = importing the plugin package (engine case only); the rest are `run_assign`'s own phases "
      "(`result.timings`: read = buildings + divisions via pyogrio/Arrow; prepare = WKB → shapely, cleaning, "
      "division codes; locate = STRtree division lookup; overlap_* = intersection areas per planning layer; "
      "prepare_codes = identities, years, duplicates; registry = the SQLite issue transaction (the only time the "
      "write lock is held); write = the output GPKG, written after the commit; report = JSON report). "
      "Start-up = wall − phases.")
    w("")
    for name in OURS:
        for s in sizes:
            st = stats.get((name, s))
            if not st or not st["phases"]:
                continue
            ph = st["phases"]
            tot = sum(x for x in ph.values() if x is not None)
            w(f"* **{name} {s}** (wall {_f(st['wall'])} s, phases sum {_f(tot)} s, start-up/exit ≈ "
              f"{_f(st['wall'] - tot if st['wall'] else None)} s): " +
              ", ".join(f"{k} {_f(x)}" for k, x in ph.items()))
    w("")
    if big and (("citycode_engine", big) in stats):
        ph = stats[("citycode_engine", big)]["phases"]
        tot = sum(x for x in ph.values() if x is not None) or 1
        top = sorted(ph.items(), key=lambda kv: -(kv[1] or 0))[:4]
        w(f"At {big} the biggest engine phases are " + ", ".join(
            f"{k} {_f(x)} s ({100 * x / tot:.0f} %)" for k, x in top) + ".")
        w("")

    # ---- our phases against the shapely peer's
    if big and ("citycode_engine", big) in stats:
        ours_ph = stats[("citycode_engine", big)]["phases"]
        dc, do = stats.get(("d_shapely_code_arrow", big)), stats.get(("d_shapely_overlap_pyogrio", big))
        if dc and do and dc["phases"] and do["phases"]:
            def g(ph, *keys):
                return sum(ph.get(k) or 0 for k in keys)
            pc, po = dc["phases"], do["phases"]
            rows = [
                ("read GPKG", g(ours_ph, "read"), "buildings + divisions, once",
                 g(pc, "read_buildings", "read_divisions") + g(po, "read_buildings", "read_overlays"),
                 "buildings read twice (code job, overlap job), shapely objects built while reading"),
                ("geometry preparation", g(ours_ph, "prepare"), "WKB → shapely, validity/cleaning, CRS check",
                 None, "inside the peers' read"),
                ("division lookup", g(ours_ph, "locate"), "STRtree, rule centroid (+ area shares, straddle flags)",
                 g(pc, "centroids", "point_in_division"), "centroids + STRtree(points).query(divisions)"),
                ("overlaps", g(ours_ph, "overlap_redline", "overlap_farmland"), "both planning layers",
                 g(po, "tree_query", "intersection_area", "aggregate"), "both layers"),
                ("codes", g(ours_ph, "prepare_codes"), "identities, duplicates, years",
                 g(pc, "sequence_and_code"), "pandas cumcount, nothing stored"),
                ("write GPKG", g(ours_ph, "registry", "write"),
                 "the SQLite registry transaction, then one output with code + overlap fields",
                 g(pc, "write") + g(po, "write"), "two outputs, nothing stored"),
                ("report", g(ours_ph, "report"), "JSON report", None, "–"),
            ]
            w(f"### Where the time goes at {big}: our engine against the shapely + pyogrio peer (median s)")
            w("")
            w("| step | citycode_engine | what | d code + d overlap | what |")
            w("|---|---|---|---|---|")
            for step, o, what_o, p, what_p in rows:
                w(f"| {step} | {_f(o)} | {what_o} | {_f(p)} | {what_p} |")
            so = stats[("citycode_engine", big)]["wall"] - sum(x or 0 for x in ours_ph.values()) + \
                g(ours_ph, "import")
            sp = dc["wall"] - sum(x or 0 for x in pc.values()) + do["wall"] - sum(x or 0 for x in po.values())
            w(f"| start-up / exit | {_f(so)} | interpreter + `import citycode` + exit | {_f(sp)} | two interpreters |")
            w(f"| **wall** | **{_f(stats[('citycode_engine', big)]['wall'])}** | "
              f"| **{_f(dc['wall'] + do['wall'])}** | |")
            w("")

    # ---- findings computed from the figures above
    e_st, q_st = stats.get(("citycode_engine", big)), stats.get(("citycode_qgis_process", big))
    if big and e_st and e_st["wall"]:
        w(f"### Reading the numbers at {big}")
        w("")
        w(f"* citycode_engine: {_f(e_st['wall'])} s and {_f(e_st['rss'], 0)} MB = {e_st['wall'] / TARGET_WALL_S:.1f}x "
          f"the {TARGET_WALL_S:.0f} s target and {e_st['rss'] / TARGET_RSS_MB:.2f}x the 1.5 GB target.")
        dc, do = stats.get(("d_shapely_code_arrow", big)), stats.get(("d_shapely_overlap_pyogrio", big))
        if dc and do and dc["wall"] and do["wall"]:
            w(f"* Against the fastest peer pair (shapely + pyogrio, {_f(dc['wall'] + do['wall'])} s for the two jobs) "
              f"the one pass is {(dc['wall'] + do['wall']) / e_st['wall']:.1f}x: what one read and one write save "
              "is spent again on the division lookup with straddler shares, the identities + registry transaction "
              "and the report (table above).")
        if q_st and q_st["wall"] and q_st["phases"]:
            qs = q_st["wall"] - sum(x or 0 for x in q_st["phases"].values())
            es = e_st["wall"] - sum(x or 0 for x in e_st["phases"].values()) + (e_st["phases"].get("import") or 0)
            w(f"* citycode_qgis_process is {_f(q_st['wall'] - e_st['wall'])} s slower than the in-process engine: "
              f"write {_f(q_st['phases'].get('write'))} s vs {_f(e_st['phases'].get('write'))} s (inside "
              f"`qgis_process` pyogrio runs on QGIS's GDAL {meta.get('gdal')}, older than 3.8, so the engine "
              "writes through its WKB-array fallback instead of Arrow — see `plugin/core/speedups.py`) and "
              f"start-up/exit {_f(qs)} s vs {_f(es)} s.")
        single = all((st["cpu"] or 0) <= 1.3 * (st["wall"] or 1) for (c, sz), st in stats.items() if sz == big)
        if single:
            w("* Every case is effectively single-threaded (user+sys CPU ≈ wall); the second core idles.")
        w("")

    # ---- agreement
    w("## Agreement with the peers")
    w("")
    w("Outputs of the last repeat, joined on `id`. Codes: our `citycode[:17]` (division 9 + year 4 + sequence 4; "
      "the full code adds the unit segment and the check character) against the peer's `bcode`.")
    w("")
    w("| size | ours | peer | same ids | equal codes | ours uncoded | peer uncoded | our distinct codes "
      "| examples of differences |")
    w("|---|---|---|---|---|---|---|---|---|")
    for s in sizes:
        for c in (agreements.get(s) or {}).get("codes", []):
            ex = "; ".join(f"id {e['id']}: {e['citycode']} vs {e['bcode']}" for e in c["examples"][:3])
            w(f"| {s} | {c['ours']} | {c['peer']} | {'yes' if c['same_ids'] else 'NO'} | {c['equal']:,}/{c['n']:,} "
              f"| {c['ours_null']:,} | {c['peer_null']:,} | {c['ours_distinct']:,} | {ex or '–'} |")
    w("")
    w("Overlap areas (m²) against the peers' `redline_area` / `farmland_area` (ours are rounded to 4 decimals; "
      "hits = buildings with area > 0):")
    w("")
    w("| size | ours | peer | layer | max abs diff m² | buildings with diff > 0.01 m² | hits ours / peer "
      "| total area ours / peer m² |")
    w("|---|---|---|---|---|---|---|---|")
    broken_qp = []
    for s in sizes:
        for row in (agreements.get(s) or {}).get("areas", []):
            for col in ("redline_area", "farmland_area"):
                d = row.get(col)
                if not d:
                    continue
                w(f"| {s} | {row['ours']} | {row['peer']} | {col.split('_')[0]} | {d['max_abs_diff_m2']:.4g} | "
                  f"{d['n_diff_gt_0_01m2']:,} | {d['ours_hits']:,} / {d['peer_hits']:,} | "
                  f"{d['ours_sum_m2']:,.1f} / {d['peer_sum_m2']:,.1f} |")
                if row["ours"] == "citycode_qgis_process" and d["ours_hits"] == 0 and d["peer_hits"] > 0:
                    broken_qp.append((s, col))
    w("")
    few = [(s, r["ours"], r["peer"], col, r[col]) for s in sizes for r in (agreements.get(s) or {}).get("areas", [])
           for col in ("redline_area", "farmland_area") if r.get(col) and r[col]["ours_hits"] < r[col]["peer_hits"]
           and r[col]["max_abs_diff_m2"] <= 5.01e-5]
    if few:
        w("Where our hit count is below the shapely/PyQGIS peer's, the max abs difference is ≤ 0.00005 m²: those "
          "buildings touch the layer by less than 0.00005 m², which our 4-decimal rounding writes as 0 (the "
          "engine's `<layer>_hit` also ignores slivers). `native:calculatevectoroverlaps` differs by up to "
          "~0.03 m² and misses some slivers (see ../shared/bench/RESULTS.md).")
        w("")
    if broken_qp:
        w("**Problem found:** through `qgis_process` the planning overlaps come out as **zero for every building** "
          "(" + ", ".join(f"{c.split('_')[0]} at {s}" for s, c in broken_qp) + ") while the in-process engine and "
          "every peer find overlaps, so the `citycode_qgis_process` timings above do not include real overlap work. "
          "Seen before (fixed in commit 7838687): inside `qgis_process` pyogrio runs on QGIS's GDAL 3.6.2, where "
          "`pyogrio.read_arrow(..., columns=[])` returns an empty WKB for every feature, so every planning polygon "
          "was dropped as empty.")
        w("")

    # ---- the other jobs (make bench writes their tables into build/bench/extra/, one section a file)
    extra = os.path.join(os.path.dirname(raw_path), "extra")
    for name in sorted(os.listdir(extra)) if os.path.isdir(extra) else []:
        if name.endswith(".md"):
            with open(os.path.join(extra, name), encoding="utf-8") as fh:
                L.extend(fh.read().rstrip("\n").splitlines())
            w("")

    # ---- reproduce
    w("## Reproduce")
    w("")
    w("```bash")
    w("make bench                     # = make env + .venv/bin/python scripts/bench.py (10k,100k,1M; repeats 3/3/1)")
    w(".venv/bin/python scripts/bench.py --sizes 10k,100k,1M --repeats-small 3 --repeats-large 1 \\")
    w("    --data-from /tmp/ccbench/data   # copy already generated cities instead of making them")
    w(".venv/bin/python scripts/bench.py --sizes 100k --repeats 1 "
      "--cases citycode_engine,d_shapely_code_arrow --append")
    w(".venv/bin/python scripts/bench.py --doc-only   # only regenerate this file from build/bench/raw.jsonl")
    w("/usr/bin/time -v .venv/bin/python scripts/bench_citycode.py --gpkg build/bench/data/city_1M.gpkg \\")
    w("    --out build/bench/out/one.gpkg   # a single engine run")
    w("```")
    w("")
    os.makedirs(os.path.dirname(doc_path), exist_ok=True)
    with open(doc_path, "w", encoding="utf-8") as fh:
        fh.write("\n".join(L))
    log(f"wrote {doc_path}")


# ------------------------------------------------------------------------------------------ main
def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10k,100k,1M")
    ap.add_argument("--repeats", type=int, default=None, help="repeats for every size (overrides the two below)")
    ap.add_argument("--repeats-small", type=int, default=3, help="repeats for sizes below 1M (default 3)")
    ap.add_argument("--repeats-large", type=int, default=1, help="repeats for sizes of 1M and more (default 1)")
    ap.add_argument("--cases", default=",".join(ALL_CASES), help="comma list; any run_bench.py case name works")
    ap.add_argument("--skip", default="", help="comma list of cases not to run")
    ap.add_argument("--skip-large", default="", help="comma list of cases not to run at sizes of 1M and more")
    ap.add_argument("--timeout", type=int, default=1800, help="seconds per run")
    ap.add_argument("--data-dir", default=os.path.join(BUILD, "data"))
    ap.add_argument("--data-from", default=None, help="copy city_<size>.gpkg/.json from this dir when not cached")
    ap.add_argument("--out-dir", default=os.path.join(BUILD, "out"))
    ap.add_argument("--raw", default=os.path.join(BUILD, "raw.jsonl"))
    ap.add_argument("--doc", default=os.path.join(ROOT, "docs", "BENCHMARKS.md"))
    ap.add_argument("--append", action="store_true", help="add to raw.jsonl instead of starting it afresh")
    ap.add_argument("--note", action="append", default=[], help="a line for the doc's 'how measured' list")
    ap.add_argument("--doc-only", action="store_true", help="only regenerate the doc from raw.jsonl")
    ap.add_argument("--no-doc", action="store_true")
    a = ap.parse_args()
    argv_note = "scripts/bench.py " + " ".join(sys.argv[1:]) if sys.argv[1:] else "scripts/bench.py"

    if a.doc_only:
        write_doc(a.raw, a.doc, None, a.note, a.data_dir)
        return 0
    sizes = [s.strip() for s in a.sizes.split(",") if s.strip()]
    skip = set(a.skip.split(",")) - {""}
    skip_large = set(a.skip_large.split(",")) - {""}
    cases = [c for c in a.cases.split(",") if c and c not in skip]
    if not os.path.isfile(VPY):
        sys.exit("scripts/bench.py: .venv/bin/python not found; run `make env` first")
    rb = import_run_bench(a.data_dir, a.out_dir)
    unknown = [c for c in cases if c not in OURS and c not in rb.CASES]
    if unknown:
        sys.exit(f"scripts/bench.py: unknown case(s) {unknown}; known: {list(OURS) + list(rb.CASES)}")
    if any(c not in OURS and rb.CASES[c][0] == VPY for c in cases):
        ensure_peer_deps()
    ensure_data(sizes, a.data_dir, a.data_from)
    os.makedirs(a.out_dir, exist_ok=True)
    os.makedirs(os.path.dirname(a.raw), exist_ok=True)
    if not a.append and os.path.exists(a.raw):
        os.replace(a.raw, a.raw + ".prev")

    def emit(rec):
        with open(a.raw, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(rec, ensure_ascii=False, default=str) + "\n")

    emit(dict(machine_meta(), command=argv_note))
    for text in a.note:
        emit(dict(kind="note", text=text))
    reps = {s: a.repeats if a.repeats is not None else (a.repeats_large if parse_n(s) >= 1_000_000 else a.repeats_small)
            for s in sizes}
    t_all = time.time()
    for r in range(max(reps.values())):
        for s in sizes:
            if r >= reps[s]:
                continue
            for c in cases:
                if c in skip_large and parse_n(s) >= 1_000_000:
                    continue
                if c in OURS:
                    rec = run_ours(rb, c, s, a.data_dir, a.out_dir, a.timeout)
                else:
                    rec = rb.run_case(c, s, a.timeout)
                rec["repeat"] = r + 1
                rec["kind"] = "run"
                emit(rec)
                log(f"[r{r + 1}] {s:>5} {c:26s} rc={rec['rc']} wall={rec['wall_s']:.2f}s "
                    f"rss={rec['peak_rss_mb']}MB  ({time.time() - t_all:.0f} s so far)")
    emit(dict(kind="meta_end", git=git_state(), ts=time.strftime("%Y-%m-%dT%H:%M:%S"),
              elapsed_s=round(time.time() - t_all)))
    for s in sizes:
        res = agreement(s, a.out_dir, cases)
        emit(res)
        for c in res["codes"]:
            log(f"agreement {s} {c['ours']} vs {c['peer']}: {c['equal']}/{c['n']} equal codes")
        for row in res["areas"]:
            log(f"agreement {s} {row['ours']} vs {row['peer']}: " + ", ".join(
                f"{k} max|d|={row[k]['max_abs_diff_m2']:.3g} hits {row[k]['ours_hits']}/{row[k]['peer_hits']}"
                for k in ("redline_area", "farmland_area") if k in row))
    if not a.no_doc:
        write_doc(a.raw, a.doc, argv_note, (), a.data_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
