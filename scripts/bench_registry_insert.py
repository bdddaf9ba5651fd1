"""Micro-benchmark of the SQLite registry's bulk insert (issue 13): ways to write N new code rows in one
transaction into the registry schema (WAL, synchronous=NORMAL, as the registry opens it).

    .venv/bin/python scripts/bench_registry_insert.py [rows] [folder]          the ways, side by side
    .venv/bin/python scripts/bench_registry_insert.py [rows] [folder] issue    Registry.issue end to end
"""
import json
import os
import sqlite3
import sys
import tempfile
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "build", "pkgroot"))  # `import citycode` as in the tests
if not os.path.exists(os.path.join(ROOT, "build", "pkgroot", "citycode")):
    os.makedirs(os.path.join(ROOT, "build", "pkgroot"), exist_ok=True)
    os.symlink(ROOT, os.path.join(ROOT, "build", "pkgroot", "citycode"))
from citycode.plugin.core.registry.sqlite_schema import IDENTITY_INDEX, SCHEMA  # noqa: E402

COLUMNS = "code, division, year, seq, identity, profile, batch, unit, name"
CONSTANTS = "'building', 1, '00', NULL"


def rows(n):
    rng = np.random.default_rng(1)
    division = np.repeat(["340{:06d}".format(i) for i in range(n // 5_000 + 1)], 5_000)[:n]  # 5000 per division
    seq = np.arange(n) % 5_000 + 1
    code = np.char.add(np.char.add(np.char.add(division, "2024"), np.char.zfill(seq.astype("U"), 4)), "000007")
    identity = np.array(["layer:{:016x}".format(v) for v in rng.integers(0, 2 ** 62, n)], dtype=object)
    return code.astype(object), division, seq, identity


def executemany(db, code, division, seq, identity):
    db.executemany("INSERT INTO codes({}) VALUES(?,?,?,?,?,{})".format(COLUMNS, CONSTANTS),
                   zip(code, map(str, division), [2024] * len(code), map(int, seq), identity))


def json_each(db, code, division, seq, identity, chunk=100_000):
    sql = ("INSERT INTO codes({}) SELECT value->>0, value->>1, 2024, value->>2, value->>3, {} "
           "FROM json_each(?)").format(COLUMNS, CONSTANTS)
    for i in range(0, len(code), chunk):
        part = slice(i, i + chunk)
        db.execute(sql, (json.dumps(list(zip(code[part].tolist(), division[part].tolist(), seq[part].tolist(),
                                             identity[part].tolist()))),))


def multi_values(db, code, division, seq, identity, per=200):
    one = "(?,?,2024,?,?,{})".format(CONSTANTS)
    sql = "INSERT INTO codes({}) VALUES {}".format(COLUMNS, ",".join([one] * per))
    flat = [v for row in zip(code.tolist(), division.tolist(), seq.tolist(), identity.tolist()) for v in row]
    whole = len(code) // per * per
    db.executemany(sql, (flat[i * 4:(i + per) * 4] for i in range(0, whole, per)))
    if whole < len(code):
        rest = len(code) - whole
        db.execute("INSERT INTO codes({}) VALUES {}".format(COLUMNS, ",".join([one] * rest)), flat[whole * 4:])


def run(name, insert, n, folder, pragmas=(), identity_index_after=True):
    path = os.path.join(folder, "bench_{}.sqlite".format(name))
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("PRAGMA cache_size=-131072")
    db.executescript(SCHEMA)
    data = rows(n)
    start = time.perf_counter()
    db.execute("BEGIN IMMEDIATE")
    for pragma in pragmas:
        db.execute(pragma)
    if identity_index_after:
        db.execute("DROP INDEX IF EXISTS codes_identity")
    insert(db, *data)
    if identity_index_after:
        db.execute(IDENTITY_INDEX)
    db.execute("COMMIT")
    took = time.perf_counter() - start
    assert db.execute("SELECT count(*) FROM codes").fetchone()[0] == n
    db.close()
    for suffix in ("", "-wal", "-shm"):
        os.remove(path + suffix) if os.path.exists(path + suffix) else None
    print("{:<36} {:6.2f} s".format(name, took), flush=True)
    return took


def issue(n, folder):
    """n new codes issued by the registry in one batch (new registry), as the engine asks for them."""
    from citycode.plugin.core.codes.profiles import load_profile
    from citycode.plugin.core.registry.backends import open_registry
    from citycode.plugin.core.registry.base import IssueRequest
    from citycode.plugin.core.registry.sqlite import remove_registry_files
    path = os.path.join(folder, "bench_issue.sqlite")
    remove_registry_files(path)
    code, division, seq, identity = rows(n)
    request = IssueRequest(identity=identity, division=division, year=np.full(n, 2024), order=np.arange(n))
    with open_registry(path) as reg:
        start = time.perf_counter()
        result = reg.issue(load_profile("building"), request, "bench")
        took = time.perf_counter() - start
    assert result.is_new.all()
    remove_registry_files(path)
    print("{:<36} {:6.2f} s".format("Registry.issue", took), flush=True)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    folder = sys.argv[2] if len(sys.argv) > 2 else tempfile.gettempdir()
    print("{} rows in {}".format(n, folder))
    if sys.argv[3:] == ["issue"]:
        return issue(n, folder)
    multi50 = lambda db, *data: multi_values(db, *data, per=50)  # noqa: E731
    run("executemany (one row a statement)", executemany, n, folder)
    run("json_each, 100k per chunk", json_each, n, folder)
    for per in (50, 200, 1000):
        run("multi-row VALUES, {} per stmt".format(per), lambda db, *data: multi_values(db, *data, per=per), n,
            folder)
    run("multi-row 50 + temp_store=MEMORY", multi50, n, folder, ["PRAGMA temp_store=MEMORY"])
    run("multi-row 50 + threads=2 (sorter)", multi50, n, folder, ["PRAGMA threads=2"])
    run("multi-row 50 + cache 512 MB", multi50, n, folder, ["PRAGMA cache_size=-524288"])
    run("multi-row 50, identity index kept", multi50, n, folder, identity_index_after=False)

if __name__ == "__main__":
    main()
