"""The README's main job, headless: citycode:assigncodes through qgis_process.bin on the sample town.

Run in QGIS's own process, pyogrio talks to QGIS's GDAL (3.6) rather than its bundled one, and shapely to
QGIS's GEOS; this test guards that path end to end against the geometric truth computed here with shapely.
The run slices even this small layer for threads (CITYCODE_SLICE_FROM): inside QGIS, two threads using one
prepared geometry crashed the process.
"""
import json
import os
import subprocess

import numpy as np
import pyogrio
import pytest
import shapely

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLE = os.path.join(REPO, "resources", "sample", "sample_town.gpkg")
PLANNING = ("stbhhx", "yjjbnt", "czkfbj")


def _geoms(layer):
    _, table = pyogrio.read_arrow(SAMPLE, layer=layer)
    return table, shapely.from_wkb(table.column("geom").to_numpy(zero_copy_only=False))


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    args = [os.path.join(REPO, "scripts", "qgis_process.sh"), "--json", "run", "citycode:assigncodes", "--",
            f"BUILDINGS={SAMPLE}|layername=buildings", f"DIVISIONS={SAMPLE}|layername=divisions",
            "DIVISION_FIELD=code", "YEAR_FIELD=year", "ID_FIELD=id",
            *[f"PLANNING={SAMPLE}|layername={p}" for p in PLANNING],
            f"REGISTRY={out / 'registry.sqlite'}", f"OUTPUT={out / 'coded.gpkg'}", f"REPORT={out / 'report.json'}"]
    env = dict(os.environ, CITYCODE_THREADS="3", CITYCODE_SLICE_FROM="2")
    proc = subprocess.run(args, capture_output=True, text=True, timeout=300, env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return out


def test_headless_overlaps_match_geometry(demo_run):
    _, result = pyogrio.read_arrow(str(demo_run / "coded.gpkg"))
    buildings, bgeoms = _geoms("buildings")
    ok = ~shapely.is_missing(bgeoms) & shapely.is_valid(bgeoms)
    ids = result.column("id").to_numpy()
    assert (ids == buildings.column("id").to_numpy()).all()
    for name in PLANNING:
        _, pgeoms = _geoms(name)
        truth = np.array([shapely.area(shapely.intersection(g, shapely.union_all(pgeoms))) if k else 0.0
                          for g, k in zip(bgeoms, ok)])
        got = result.column(f"{name}_area").to_numpy()
        assert (truth > 0.01).sum() > 0, name
        assert np.allclose(got[ok], truth[ok], atol=1e-3), name


def test_headless_report_counts(demo_run):
    rep = json.loads((demo_run / "report.json").read_text(encoding="utf-8"))
    buildings, bgeoms = _geoms("buildings")
    notes = [n or "" for n in buildings.column("note").to_pylist()]
    assert rep["counts"]["total"] == len(bgeoms)
    assert rep["counts"]["empty"] == int(shapely.is_missing(bgeoms).sum())
    assert rep["counts"]["repaired"] == int((~shapely.is_missing(bgeoms) & ~shapely.is_valid(bgeoms)).sum())
    assert rep["counts"]["straddling"] == sum(n.startswith("跨界") for n in notes)
    assert rep["counts"]["outside"] == sum(n.startswith("界外") for n in notes)
    assert rep["counts"]["coded"] == rep["counts"]["total"] - rep["counts"]["outside"] - rep["counts"]["empty"]
    assert sum(d["buildings"] for d in rep["divisions"].values()) == rep["counts"]["coded"]
