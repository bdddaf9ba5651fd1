#!/usr/bin/env python3
"""The floor of the in-database job at 1M buildings: each step it cannot skip, as the plainest SQL, on the server
scripts/bench_postgis.py tunes (same settings, parallel workers on).

Steps: the validity check of every building; the division of each building (a point per building, indexed, joined
with the divisions: the cheapest rule); a million code rows into the registry's codes table (its primary key and
its one-active-code-per-identity index, as any registry needs); the output table with the buildings' geometry and
their code, its primary key and spatial index. The overlap with planning layers is left out (it is smaller).
The sum is what the server needs at the least; at 100 000 buildings/s the whole job would have 10 s.

usage: .venv/bin/python scripts/bench_postgis_floor.py [--md build/bench/extra/45_postgis_floor.md]
"""
import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_postgis  # noqa: E402 (the server, its settings and the city)

STEPS = (
    ("validity check of every building (ST_IsValid)",
     "CREATE UNLOGGED TABLE f.v AS SELECT fid, ST_IsValid(geom) AS ok FROM city.buildings"),
    ("a point per building, with a spatial index",
     "CREATE UNLOGGED TABLE f.p AS SELECT fid, ST_PointOnSurface(geom) AS g FROM city.buildings; "
     "CREATE INDEX ON f.p USING gist(g)"),
    ("division of each point (indexed join)",
     "CREATE UNLOGGED TABLE f.d AS SELECT p.fid, min(d.code) AS code FROM city.divisions d JOIN f.p p "
     "ON p.g && d.geom AND ST_Intersects(d.geom, p.g) GROUP BY p.fid"),
    ("a million code rows into the registry",
     "INSERT INTO {reg}.codes(code, profile, division, year, seq, unit, identity, batch) "
     "SELECT d.code || '2024' || lpad(d.fid::text, 9, '0'), 'building', d.code, 2024, d.fid, '00000', "
     "'city:' || d.fid, 1 FROM f.d d"),
    ("output table: geometry + code, primary key, spatial index",
     "CREATE TABLE f.o AS SELECT b.fid, b.geom, d.code FROM city.buildings b JOIN f.d d USING (fid); "
     "ALTER TABLE f.o ADD PRIMARY KEY (fid); CREATE INDEX ON f.o USING gist(geom)"),
)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--md", default=None)
    a = ap.parse_args()
    server = bench_postgis.start_server()
    try:
        bench_postgis.load_city(server)
        server.sql("CREATE INDEX ON city.divisions USING gist(geom); ANALYZE city.divisions; ANALYZE city.buildings; "
                   "CREATE SCHEMA f", dbname="bench")
        from citycode.plugin.core.registry.postgres import PostgresRegistry
        PostgresRegistry(server.uri("floorreg", dbname="bench")).close()  # the registry's own tables and indexes
        n = server.sql("SELECT count(*) FROM city.buildings", dbname="bench")[0][0]
        rows = []
        for name, sql in STEPS:
            t = time.perf_counter()
            server.sql("SET max_parallel_workers_per_gather = 2; " + sql.format(reg="floorreg"), dbname="bench")
            rows.append((name, time.perf_counter() - t))
            print("{}: {:.2f} s".format(name, rows[-1][1]), flush=True)
    finally:
        server.stop()
    total = sum(s for _, s in rows)
    budget = n / bench_postgis.TARGET
    lines = ["## The floor of the in-database job ({:,} buildings)".format(n), "",
             "`scripts/bench_postgis_floor.py`, on the server of the section above: the steps the job cannot skip, "
             "as the plainest SQL (no cleaning, no straddler shares, no overlaps, no sequences, no report).", "",
             "| step | s |", "|---|---|"]
    lines += ["| {} | {:.2f} |".format(name, s) for name, s in rows]
    lines += ["| **sum** | **{:.2f}** |".format(total), "",
              "At {:,} buildings/s the whole job would have {:.0f} s; these steps alone take {:.1f} s, i.e. at most "
              "{:,.0f} buildings/s before any of the work the issue asks on top.".format(
                  bench_postgis.TARGET, budget, total, n / total), ""]
    text = "\n".join(lines)
    print(text)
    if a.md:
        with open(a.md, "w", encoding="utf-8") as fh:
            fh.write(text)


if __name__ == "__main__":
    main()
