#!/usr/bin/env python3
"""Province scale inside PostGIS (issue 8): citycode:assigncodes' in-database engine (postgis_engine.run_assign_in_db)
on a synthetic province made by tiling the 1M-building city, timed per size, with the server's peak memory.

A PostgreSQL server of its own (tests/pg_server.PgServer: a fresh data directory under /tmp, removed at the end)
is tuned for the run (SETTINGS below) and restarted. build/bench/data/city_1M.gpkg (EPSG:4527; divisions, buildings,
redline, farmland) is loaded once with GDAL; a province of T tiles is the city repeated T times side by side
(ST_Translate by 40 km steps, 5 tiles a row), with distinct division codes (the first two digits 34 + tile) and ids
(tile * 10^7 + id). Each size gets a fresh registry schema and is dropped after its run (disk).

Timed: the engine call only (clean + work CRS, subdivide, locate, overlaps with redline and farmland, codes into the
registry, output table with primary key and spatial index, one transaction); the province's making is reported apart.
Peak server memory: the largest sum of the proportional set size (Pss, shared buffers counted once) of all server
processes, sampled every 0.5 s.

usage: .venv/bin/python scripts/bench_postgis.py [--sizes 1M,3M,10M] [--md build/bench/extra/40_postgis.md]
Target (issue 8): >= 100 000 buildings/s on 2 cores.
"""
import argparse
import os
import shutil
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "build", "pkgroot"))
sys.path.insert(0, os.path.join(ROOT, "tests"))
CITY = os.path.join(ROOT, "build", "bench", "data", "city_1M.gpkg")
CITY_BUILDINGS = 1_000_000
TILE_M = 40_000.0
ROW = 5
TARGET = 100_000
GB_PER_MILLION = 2.5  # input + work tables + output + codes, measured with some margin
SETTINGS = {
    "shared_buffers": "2GB", "work_mem": "256MB", "maintenance_work_mem": "1GB", "effective_cache_size": "8GB",
    "max_worker_processes": "8", "max_parallel_workers": "4", "max_parallel_workers_per_gather": "2",
    "max_parallel_maintenance_workers": "2", "max_wal_size": "16GB", "checkpoint_timeout": "30min",
    "wal_level": "minimal", "max_wal_senders": "0", "jit": "off",
    # (tests/pg_server.py already sets fsync, synchronous_commit and full_page_writes off: a throw-away server)
}


def parse_n(text: str) -> int:
    text = text.strip().lower()
    return int(float(text[:-1]) * {"k": 1e3, "m": 1e6}[text[-1]]) if text[-1] in "km" else int(text)


class PeakMemory:
    """Peak sum of Pss over the server's processes (postmaster and its children), sampled in a thread."""

    def __init__(self, postmaster_pid: int):
        self.root, self.peak, self._stop = postmaster_pid, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _pids(self):
        pids = [self.root]
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open("/proc/{}/stat".format(entry)) as f:
                        if int(f.read().rsplit(")", 1)[1].split()[1]) == self.root:
                            pids.append(int(entry))
                except (OSError, IndexError, ValueError):
                    pass
        return pids

    def _pss_kb(self, pid):
        try:
            with open("/proc/{}/smaps_rollup".format(pid)) as f:
                for line in f:
                    if line.startswith("Pss:"):
                        return int(line.split()[1])
        except OSError:
            pass
        return 0

    def _run(self):
        while not self._stop.wait(0.5):
            self.peak = max(self.peak, sum(self._pss_kb(p) for p in self._pids()))

    def __enter__(self):
        self.peak = 0
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def start_server():
    from pg_server import PgServer, find_bindir
    bindir = find_bindir()
    if not bindir:
        sys.exit("PostgreSQL server binaries missing (scripts/setup_env.sh installs them)")
    server = PgServer(bindir).start()
    server.sql("CREATE DATABASE bench", dbname="postgres")
    server.sql("CREATE EXTENSION postgis", dbname="bench")
    for name, value in SETTINGS.items():
        server.sql("ALTER SYSTEM SET {} = '{}'".format(name, value), dbname="postgres")
    server._run("pg_ctl", "-D", server.data_dir, "-l", os.path.join(server.root, "server.log"), "-o",
                "-p {}".format(server.port), "-w", "-t", "120", "restart")
    return server


def postmaster_pid(server) -> int:
    with open(os.path.join(server.data_dir, "postmaster.pid")) as f:
        return int(f.readline())


def load_city(server):
    from osgeo import gdal
    gdal.UseExceptions()
    server.sql("CREATE SCHEMA city", dbname="bench")
    t = time.perf_counter()
    for layer in ("divisions", "buildings", "redline", "farmland"):
        gdal.VectorTranslate("PG:" + server.dsn("bench"), CITY, layers=[layer], layerName=layer,
                             layerCreationOptions=["SCHEMA=city", "GEOMETRY_NAME=geom", "FID=fid",
                                                   "SPATIAL_INDEX=NONE"], options=["-preserve_fid"])
    return time.perf_counter() - t


def make_province(server, schema: str, tiles: int) -> float:
    """schema.{divisions,buildings,redline,farmland}: the city tiled `tiles` times."""
    t = time.perf_counter()
    server.sql("DROP SCHEMA IF EXISTS {s} CASCADE; CREATE SCHEMA {s}".format(s=schema), dbname="bench")
    shift = ("ST_Translate(c.geom, (t % {row}) * {m}, (t / {row}) * {m})::geometry(Polygon, 4527)"
             .format(row=ROW, m=TILE_M))
    tiles_sql = "generate_series(0, {}) AS t".format(tiles - 1)
    server.sql("CREATE TABLE {s}.divisions AS SELECT (t * 10000000 + c.fid)::bigint AS fid, "
               "(34 + t)::text || substr(c.code, 3) AS code, c.name, {g} AS geom FROM city.divisions c, {t} "
               "ORDER BY 1".format(s=schema, g=shift, t=tiles_sql), dbname="bench")
    server.sql("CREATE TABLE {s}.buildings AS SELECT (t * 10000000 + c.fid)::bigint AS fid, "
               "(t * 10000000 + c.id)::bigint AS id, c.year, c.name, {g} AS geom FROM city.buildings c, {t} "
               "ORDER BY 1".format(s=schema, g=shift, t=tiles_sql), dbname="bench")
    for layer in ("redline", "farmland"):
        server.sql("CREATE TABLE {s}.{l} AS SELECT (t * 10000000 + c.fid)::bigint AS fid, c.name, {g} AS geom "
                   "FROM city.{l} c, {t} ORDER BY 1".format(s=schema, l=layer, g=shift, t=tiles_sql), dbname="bench")
    for layer in ("divisions", "buildings", "redline", "farmland"):
        server.sql("ALTER TABLE {s}.{l} ADD PRIMARY KEY (fid); CREATE INDEX ON {s}.{l} USING gist(geom); "
                   "ANALYZE {s}.{l}".format(s=schema, l=layer), dbname="bench")
    return time.perf_counter() - t


def run_size(server, tiles: int) -> dict:
    from citycode.plugin.core.engine import postgis as pe
    from citycode.plugin.core.engine.postgis_db import PgLayer
    from citycode.plugin.core.engine.assign import AssignJob, LayerInput
    schema, registry = "p{}".format(tiles), "reg{}".format(tiles)
    making = make_province(server, schema, tiles)
    layer = lambda table: PgLayer(conninfo=server.dsn("bench"), schema=schema, table=table)  # noqa: E731
    indb = pe.InDb(buildings=layer("buildings"), divisions=layer("divisions"),
                   planning=[layer("redline"), layer("farmland")], output="buildings_coded")
    job = AssignJob(buildings=LayerInput(name="buildings"), divisions=LayerInput(name="divisions"), output="",
                    division_field="code", year_field="year", id_field="id", default_year=2024,
                    planning=[LayerInput(name="redline"), LayerInput(name="farmland")],
                    registry=server.uri(registry, dbname="bench"), actor="bench")
    with PeakMemory(postmaster_pid(server)) as mem:
        t = time.perf_counter()
        result = pe.run_assign_in_db(job, indb)
        wall = time.perf_counter() - t
    size_mb = server.sql("SELECT pg_database_size('bench') / 1048576", dbname="bench")[0][0]
    server.sql("DROP SCHEMA {} CASCADE; DROP SCHEMA {} CASCADE".format(schema, registry), dbname="bench")
    n = tiles * CITY_BUILDINGS
    return {"buildings": n, "wall_s": round(wall, 1), "per_s": round(n / wall), "making_s": round(making, 1),
            "timings": result.timings, "counts": result.counts, "peak_server_mb": round(mem.peak / 1024),
            "db_mb": int(size_mb)}


def markdown(rows, load_s) -> str:
    lines = ["## Province scale inside PostGIS (issue 8)", "",
             "`citycode:assigncodes` run inside PostgreSQL 15 + PostGIS 3 (postgis_engine.run_assign_in_db) on a "
             "province made by tiling the 1M-building city (300 divisions, red line, farmland; tiles side by side, "
             "distinct division codes and ids), registry in the same database, one transaction "
             "(scripts/bench_postgis.py). Server: {} (fsync off: a throw-away server). Timed: the engine call; "
             "loading the city took {:.0f} s, making each province is shown apart.".format(
                 ", ".join("{}={}".format(k, v) for k, v in SETTINGS.items()), load_s), "",
             "| buildings | wall s | buildings/s (target ≥ {:,}) | growth (time ×, size ×) | read+clean | locate | "
             "overlaps (2) | statuses | codes + registry + output | peak server MB | database MB | "
             "making s |".format(TARGET),
             "|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        t = r["timings"]
        growth = "×{:.2f}, ×{:.0f}".format(r["wall_s"] / rows[0]["wall_s"], r["buildings"] / rows[0]["buildings"]) \
            if r is not rows[0] else "–"
        lines.append("| {:,} | {} | {:,} | {} | {} | {} | {} | {} | {} | {:,} | {:,} | {} |".format(
            r["buildings"], r["wall_s"], r["per_s"], growth, t.get("read"), t.get("locate"),
            round(sum(v for k, v in t.items() if k.startswith("overlap_")), 3), t.get("prepare_codes"),
            t.get("registry"), r["peak_server_mb"], r["db_mb"], r["making_s"]))
    lines.append("")
    lines.append("Every run coded all buildings but the ones outside every division: " + "; ".join(
        "{:,}: {:,} new, {:,} straddling, {:,} outside".format(r["buildings"], r["counts"]["new"],
                                                                 r["counts"]["straddling"], r["counts"]["outside"])
        for r in rows) + ".")
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1M,3M,10M")
    ap.add_argument("--md", default=os.path.join(ROOT, "build", "bench", "extra", "40_postgis.md"))
    a = ap.parse_args()
    if not os.path.exists(CITY):
        sys.exit("{} not found: run `make bench` (scripts/bench.py makes the synthetic cities) first".format(CITY))
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    server = start_server()
    try:
        load_s = load_city(server)
        print("city loaded in {:.0f} s".format(load_s), file=sys.stderr)
        rows = []
        for size in a.sizes.split(","):
            tiles = max(1, round(parse_n(size) / CITY_BUILDINGS))
            free_gb = shutil.disk_usage(server.root).free / 1e9
            if free_gb < GB_PER_MILLION * tiles + 5:
                print("{}: skipped, {:.0f} GB free".format(size, free_gb), file=sys.stderr)
                continue
            rows.append(run_size(server, tiles))
            print(rows[-1], file=sys.stderr)
        text = markdown(rows, load_s)
        print(text)
        os.makedirs(os.path.dirname(a.md), exist_ok=True)
        with open(a.md, "w", encoding="utf-8") as f:
            f.write(text)
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
