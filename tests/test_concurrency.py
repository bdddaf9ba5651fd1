"""Six processes coding large layers (50 000 buildings each) into ONE SQLite registry at the same moment: none
fails on a lock (the write lock is held only while a batch stores its codes; the others wait for it), every
code is unique, and each process's codes are its own (the registry files them under its dataset)."""
import os
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest
import shapely
from pyogrio.raw import read as ogr_read, write as ogr_write

PKGROOT = Path(__file__).resolve().parent.parent / "build" / "pkgroot"
X0, Y0 = 39_500_000.0, 3_500_000.0
CRS = "EPSG:4527"
JOBS, PER_JOB = 6, 50_000
DIVISIONS = {"340104001": (0, 0, 2000, 2000), "340104002": (2000, 0, 4000, 2000),
             "340104003": (0, 2000, 2000, 4000), "340104004": (2000, 2000, 4000, 4000)}


def _buildings(path, k):
    """PER_JOB 8 m squares on a grid over the four divisions, shifted per job (each its own dataset), built in 25
    years: a division's sequence of a year holds 9999 codes."""
    side = int(np.ceil(np.sqrt(PER_JOB)))
    i = np.arange(PER_JOB)
    x = X0 + 5 + (i % side) * (3990 / side) + k * 0.5
    y = Y0 + 5 + (i // side) * (3990 / side)
    geoms = shapely.box(x, y, x + 8, y + 8)
    ogr_write(str(path), shapely.to_wkb(geoms), [np.arange(1, PER_JOB + 1, dtype=np.int64),
                                                 2000 + i % 25], ["id", "year"],
              layer="buildings", driver="GPKG", crs=CRS, geometry_type="Polygon")


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    folder = tmp_path_factory.mktemp("concurrency")
    divisions = folder / "divisions.gpkg"
    ogr_write(str(divisions), shapely.to_wkb([shapely.box(X0 + a, Y0 + b, X0 + c, Y0 + d)
                                              for a, b, c, d in DIVISIONS.values()]),
              [np.array(list(DIVISIONS), dtype=object)], ["code"], layer="divisions", driver="GPKG", crs=CRS,
              geometry_type="Polygon")
    for k in range(JOBS):
        _buildings(folder / f"district_{k}.gpkg", k)
    return folder


JOB = """
import sys
from citycode.plugin.core.engine.assign import AssignJob, LayerInput, run_assign
folder, k = sys.argv[1], int(sys.argv[2])
result = run_assign(AssignJob(
    buildings=LayerInput(path=f"{folder}/district_{k}.gpkg", layer="buildings"),
    divisions=LayerInput(path=f"{folder}/divisions.gpkg", layer="divisions"), division_field="code",
    id_field="id", year_field="year", registry=f"{folder}/registry.sqlite", output=f"{folder}/coded_{k}.gpkg",
    actor=f"job{k}"))
print("NEW", result.counts["new"])
"""


def test_six_processes_code_large_layers_into_one_registry_at_once(city):
    env = dict(os.environ, PYTHONPATH=str(PKGROOT), QT_QPA_PLATFORM="offscreen")
    started = time.monotonic()
    procs = [subprocess.Popen([sys.executable, "-c", textwrap.dedent(JOB), str(city), str(k)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for k in range(JOBS)]
    outcomes = [p.communicate(timeout=600) for p in procs]
    took = time.monotonic() - started
    for p, (out, err) in zip(procs, outcomes):
        assert p.returncode == 0 and "database is locked" not in err, err[-2000:]
        assert f"NEW {PER_JOB}" in out, (out, err[-2000:])
    con = sqlite3.connect(city / "registry.sqlite")
    try:
        identity = dict(con.execute("SELECT code, identity FROM codes"))
        batches = con.execute("SELECT actor, count FROM batches WHERE action='issue' ORDER BY actor").fetchall()
    finally:
        con.close()
    assert len(identity) == JOBS * PER_JOB
    assert batches == [(f"job{k}", PER_JOB) for k in range(JOBS)]
    seen = set()
    for k in range(JOBS):
        meta, _, _, values = ogr_read(str(city / f"coded_{k}.gpkg"), columns=["citycode", "id"], read_geometry=False)
        columns = dict(zip(meta["fields"], values))
        codes, ids = columns["citycode"].tolist(), columns["id"]
        assert len(set(codes)) == PER_JOB and not seen & set(codes)  # unique, and no other job's
        seen |= set(codes)
        own = f"file:{city / f'district_{k}.gpkg'}|buildings:"
        assert all(identity[c] == own + str(i) for c, i in zip(codes, ids.tolist()))  # filed as this job's
    print(f"{JOBS} x {PER_JOB} buildings into one registry at once: {took:.1f} s")
