"""The batch engine (plugin/core/engine/assign.py): 落图+赋码 and planning overlay, run for real.

Truth comes from the inputs, never from an earlier run: the `note` field of the sample buildings,
shapely on the input geometries (divisions, shares, overlap areas), the code profile for the layout,
and, for the centroid rule, the peer benchmark's own recipe (../shared/bench/shapely_vec.py).
"""
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from dbdump import dump as registry_dump
import shapely
from pyogrio.raw import read as ogr_read, write as ogr_write
from stdnum.iso7064 import mod_11_2

from citycode.plugin.core.engine.assign import AssignJob, LayerInput, OverlayJob, run_assign, run_overlay
from citycode.plugin.core.engine.jobs import EngineError
from citycode.plugin.core.codes.profiles import load_profile
from citycode.plugin.core.registry.backends import open_registry
from citycode.plugin.core.engine.report import MAX_LISTED
from citycode.plugin.core.speedups import ARROW_OK

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = str(ROOT / "resources" / "sample" / "sample_town.gpkg")
PLANNING = ("stbhhx", "yjjbnt", "czkfbj", "projects")
DEFAULT_YEAR = 2024
NOTE_STRADDLE, NOTE_OUTSIDE, NOTE_INVALID, NOTE_EMPTY = "跨界", "界外", "无效几何", "空几何"

needs_arrow = pytest.mark.skipif(not ARROW_OK, reason="pyogrio/pyarrow not importable")


# -- helpers -------------------------------------------------------------------------------------------
def read_layer(path, layer=None):
    """({field: array}, shapely geometries) of a layer, read with pyogrio (not through the engine)."""
    meta, _, wkb, fields = ogr_read(str(path), layer=layer)
    cols = dict(zip(meta["fields"], fields))
    geoms = np.array([None if w is None else shapely.from_wkb(w, on_invalid="ignore") for w in wkb], dtype=object)
    return cols, geoms


def out_by_id(result):
    cols, _ = read_layer(result.output, result.output_layer)
    ids = cols["id"].astype(np.int64).tolist()
    return {name: dict(zip(ids, values.tolist())) for name, values in cols.items()}


def sample_job(tmp, registry=None, planning=PLANNING, **kw):
    Path(tmp).mkdir(parents=True, exist_ok=True)
    kw.setdefault("output", str(Path(tmp) / "coded.gpkg"))
    return AssignJob(
        buildings=LayerInput(path=SAMPLE, layer="buildings"), divisions=LayerInput(path=SAMPLE, layer="divisions"),
        division_field="code", year_field="year", id_field="id", default_year=DEFAULT_YEAR,
        planning=[LayerInput(path=SAMPLE, layer=p) for p in planning],
        registry=registry or str(Path(tmp) / "registry.sqlite"), actor="tester", **kw)


def registry_copy(src, dst):
    """A consistent copy of a (WAL) registry file."""
    a, b = sqlite3.connect(src), sqlite3.connect(dst)
    try:
        a.backup(b)
    finally:
        a.close()
        b.close()


def polygonal_valid(geoms):
    """make_valid where needed (the lines and points make_valid may add have no area anyway)."""
    return np.array([None if g is None or g.is_empty else (g if g.is_valid else shapely.make_valid(g))
                     for g in geoms], dtype=object)


def parse_shares(text):
    return {k: float(v) for k, v in (p.split(":") for p in text.split(";"))} if text else {}


# -- the sample town: truth from its note field and from shapely -----------------------------------------
@pytest.fixture(scope="module")
def truth():
    b, bgeom = read_layer(SAMPLE, "buildings")
    d, dgeom = read_layer(SAMPLE, "divisions")
    ids = b["id"].astype(np.int64)
    notes = np.array([n or "" for n in b["note"]])
    fixed = polygonal_valid(bgeom)
    usable = np.array([g is not None for g in fixed])
    inter = np.zeros((len(fixed), len(dgeom)))
    inter[usable] = shapely.area(shapely.intersection(np.stack(fixed[usable])[:, None], dgeom[None, :]))
    barea = np.array([0.0 if g is None else g.area for g in fixed])
    years = np.array([DEFAULT_YEAR if y != y or y is None else int(y) for y in b["year"].tolist()])
    planning = {}
    for name in PLANNING:
        _, pgeom = read_layer(SAMPLE, name)
        union = shapely.union_all(polygonal_valid(pgeom))
        area = np.zeros(len(fixed))
        area[usable] = shapely.area(shapely.intersection(np.stack(fixed[usable]), union))
        planning[name] = area
    by_note = {key: set(ids[np.char.startswith(notes, key)].tolist())
               for key in (NOTE_STRADDLE, NOTE_OUTSIDE, NOTE_INVALID, NOTE_EMPTY)}
    return dict(ids=ids, notes=notes, fixed=fixed, usable=usable, inter=inter, barea=barea, years=years,
                div_codes=np.array(d["code"].tolist()), planning=planning, by_note=by_note)


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("sample")
    job = sample_job(tmp, report=str(tmp / "report.json"))
    result = run_assign(job)
    return dict(job=job, result=result, out=out_by_id(result), tmp=tmp)


def test_sample_counts_match_the_note_field(sample_run, truth):
    c, out, notes = sample_run["result"].counts, sample_run["out"], truth["by_note"]
    assert len(notes[NOTE_STRADDLE]) == 30 and len(notes[NOTE_OUTSIDE]) == 3
    assert len(notes[NOTE_INVALID]) == 2 and len(notes[NOTE_EMPTY]) == 1
    assert c["total"] == len(truth["ids"])
    assert c["straddling"] == len(notes[NOTE_STRADDLE])
    assert c["outside"] == len(notes[NOTE_OUTSIDE])
    assert c["empty"] == len(notes[NOTE_EMPTY])
    assert c["repaired"] == len(notes[NOTE_INVALID])
    assert c["duplicate_id"] == 0 and c["exhausted"] == 0
    assert c["coded"] == c["new"] == c["total"] - c["outside"] - c["empty"]
    # the same buildings, not just the same numbers
    assert {i for i, s in out["straddle"].items() if s} == notes[NOTE_STRADDLE]
    assert {i for i, s in out["cc_status"].items() if s == "outside"} == notes[NOTE_OUTSIDE]
    assert {i for i, s in out["cc_status"].items() if s == "empty"} == notes[NOTE_EMPTY]
    assert {i for i, f in out["cc_flags"].items() if f and "repaired" in f.split(",")} == notes[NOTE_INVALID]
    # and shapely agrees with the notes
    n_div = (truth["inter"] > 0.01).sum(axis=1)
    assert set(truth["ids"][n_div > 1].tolist()) == notes[NOTE_STRADDLE]
    assert set(truth["ids"][truth["usable"] & (n_div == 0)].tolist()) == notes[NOTE_OUTSIDE]


def test_sample_codes_are_valid_unique_and_located(sample_run, truth):
    profile = load_profile("building")
    out = sample_run["out"]
    known = set(truth["div_codes"].tolist())
    coded = {i: c for i, c in out["citycode"].items() if c}
    assert len(set(coded.values())) == len(coded) == sample_run["result"].counts["coded"]
    best = truth["div_codes"][truth["inter"].argmax(axis=1)]
    row = {i: k for k, i in enumerate(truth["ids"].tolist())}
    for i, code in coded.items():
        k = row[i]
        assert profile.validate(code, known_divisions=known) == [], (i, code)
        assert mod_11_2.is_valid(code)
        assert code[:9] == out["division"][i], i
        assert out["division"][i] == best[k], i  # area rule: the division holding most of the footprint
        assert code[9:13] == str(truth["years"][k]), i
        assert code[17:22] == "00000"
    # sequences: 1..n per division + year, in ascending id (a fresh registry)
    groups = {}
    for i in sorted(coded):
        groups.setdefault(coded[i][:13], []).append(i)
    for key, members in groups.items():
        assert [int(coded[i][13:17]) for i in members] == list(range(1, len(members) + 1)), key
    # straddlers: reported shares are shapely's intersection shares and sum to 1
    for i in truth["by_note"][NOTE_STRADDLE]:
        k = row[i]
        shares = parse_shares(out["div_shares"][i])
        assert len(shares) >= 2 and sum(shares.values()) == pytest.approx(1.0, abs=1e-3)
        for div, s in shares.items():
            j = truth["div_codes"].tolist().index(div)
            assert s == pytest.approx(truth["inter"][k, j] / truth["barea"][k], abs=1e-4)
        assert out["div_share"][i] == pytest.approx(max(shares.values()), abs=1e-4)
    for i in truth["by_note"][NOTE_OUTSIDE] | truth["by_note"][NOTE_EMPTY]:
        assert not out["citycode"][i] and not out["division"][i]


def test_sample_rerun_gives_the_same_codes(sample_run):
    tmp = sample_run["tmp"]
    again = run_assign(sample_job(tmp, registry=sample_run["job"].registry, output=str(tmp / "again.gpkg")))
    out1, out2 = sample_run["out"], out_by_id(again)
    assert out2["citycode"] == out1["citycode"]
    coded = [i for i, c in out1["citycode"].items() if c]
    assert {out2["cc_status"][i] for i in coded} == {"existing"}
    assert again.counts["new"] == 0 and again.counts["existing"] == len(coded)


def test_rerun_after_retire_issues_a_new_code(sample_run, tmp_path):
    out = sample_run["out"]
    registry = str(tmp_path / "registry.sqlite")
    registry_copy(sample_run["job"].registry, registry)
    coded = {i: c for i, c in out["citycode"].items() if c}
    first = coded[min(coded)]                      # sequence 1 of its group
    other_group = sorted(c[:13] for c in coded.values() if c[:13] != first[:13])[0]
    last = max((c for c in coded.values() if c[:13] == other_group), key=lambda c: c[13:17])  # last of its group
    retired = {i for i, c in coded.items() if c in (first, last)}
    with open_registry(registry) as reg:
        for code in (first, last):
            reg.retire(code, "tester", "test")
    again = out_by_id(run_assign(sample_job(tmp_path, registry=registry)))
    for i in retired:
        old, new = coded[i], again["citycode"][i]
        assert new and new != old and again["cc_status"][i] == "new"
        group_size = sum(1 for c in coded.values() if c[:13] == old[:13])
        assert new[:13] == old[:13] and int(new[13:17]) == group_size + 1
    for i in set(coded) - retired:
        assert again["citycode"][i] == coded[i] and again["cc_status"][i] == "existing"


# -- the two engine paths -----------------------------------------------------------------------------
COMPARED = ["citycode", "division", "straddle", "div_shares", "cc_status", "cc_flags"]


def _assert_same(a, b, floats):
    for name in COMPARED:
        assert a[name] == b[name], name
    for name in floats:
        for i, v in a[name].items():
            assert b[name][i] == pytest.approx(v, abs=1e-6), (name, i)


@needs_arrow
def test_arrow_and_qgis_engines_agree(tmp_path, qgis_app):
    arrow = run_assign(sample_job(tmp_path / "a", engine="arrow"))
    qgis = run_assign(sample_job(tmp_path / "q", engine="qgis"))
    assert (arrow.engine, qgis.engine) == ("arrow", "qgis")
    a, q = out_by_id(arrow), out_by_id(qgis)
    assert set(a["citycode"]) == set(q["citycode"])
    floats = ["div_share"] + [f"{p}_{s}" for p in PLANNING for s in ("area", "pct", "hit")]
    _assert_same(a, q, floats)
    assert {k: v for k, v in arrow.counts.items()} == qgis.counts


def test_memory_layer_gives_the_same_codes_as_the_file(tmp_path, qgis_app):
    from qgis.core import QgsFeatureRequest, QgsVectorLayer
    layer = QgsVectorLayer(SAMPLE + "|layername=buildings", "buildings", "ogr")
    assert layer.isValid()
    memory = layer.materialize(QgsFeatureRequest())
    assert memory.providerType() == "memory" and memory.featureCount() == layer.featureCount()
    planning_mem = QgsVectorLayer(SAMPLE + "|layername=stbhhx", "stbhhx", "ogr").materialize(QgsFeatureRequest())
    job = sample_job(tmp_path / "m", planning=())
    job.buildings = LayerInput(source=memory, name="buildings")
    job.planning = [LayerInput(source=planning_mem, name="stbhhx"), LayerInput(path=SAMPLE, layer="yjjbnt")]
    from_memory = run_assign(job)
    assert from_memory.engine == "qgis"
    from_file = run_assign(sample_job(tmp_path / "f", planning=("stbhhx", "yjjbnt")))
    m, f = out_by_id(from_memory), out_by_id(from_file)
    assert set(m["citycode"]) == set(f["citycode"])
    _assert_same(m, f, ["div_share", "stbhhx_area", "yjjbnt_area", "stbhhx_pct", "yjjbnt_pct"])


# -- planning overlap ---------------------------------------------------------------------------------
def _assert_overlaps(out, truth, layers):
    row = {i: k for k, i in enumerate(truth["ids"].tolist())}
    for name in layers:
        area_t = truth["planning"][name]
        for i, k in row.items():
            area = out[f"{name}_area"][i]
            assert area == pytest.approx(area_t[k], abs=1e-3), (name, i)
            pct_t = 100.0 * area_t[k] / truth["barea"][k] if truth["barea"][k] > 0 else 0.0
            assert out[f"{name}_pct"][i] == pytest.approx(pct_t, abs=1e-3), (name, i)
            assert bool(out[f"{name}_hit"][i]) == (area_t[k] > 0.01), (name, i)
        assert (area_t > 0.01).sum() > 0  # the sample has conflicts with every layer


def test_overlap_columns_equal_shapely(sample_run, truth):
    _assert_overlaps(sample_run["out"], truth, PLANNING)
    c = sample_run["result"].counts
    for name in PLANNING:
        assert c[f"{name}_hits"] == int((truth["planning"][name] > 0.01).sum())


def test_run_overlay_equals_shapely(tmp_path, truth):
    result = run_overlay(OverlayJob(buildings=LayerInput(path=SAMPLE, layer="buildings"),
                                    planning=[LayerInput(path=SAMPLE, layer=p) for p in PLANNING],
                                    output=str(tmp_path / "overlay.gpkg"), report=str(tmp_path / "overlay.json")))
    out = out_by_id(result)
    assert "citycode" not in out
    _assert_overlaps(out, truth, PLANNING)
    rep = json.loads(Path(result.report).read_text(encoding="utf-8"))
    for name in PLANNING:
        assert rep["planning"][name]["hits"] == int((truth["planning"][name] > 0.01).sum())
    with pytest.raises(EngineError):
        run_overlay(OverlayJob(buildings=LayerInput(path=SAMPLE, layer="buildings"), planning=[],
                               output=str(tmp_path / "none.gpkg")))


# -- tiny fixtures -------------------------------------------------------------------------------------
X0, Y0 = 38_500_000.0, 4_400_000.0
DIV_A, DIV_B = "110101001", "110101002"


def _poly(coords):
    return shapely.Polygon([(X0 + x, Y0 + y) for x, y in coords])


def _box(xmin, ymin, xmax, ymax):
    return _poly([(xmin, ymin), (xmax, ymin), (xmax, ymax), (xmin, ymax)])


# An L: a long thin arm in A (90 x 10 m = 900 m²) and a block in B (30 x 40 m = 1200 m²).
# Most area is in B, but the centroid (x ≈ 89.3) lies in A.
L_SHAPE = _poly([(10, 20), (130, 20), (130, 60), (100, 60), (100, 30), (10, 30)])
STRADDLE_70_30 = _box(72, 70, 112, 90)  # 28 m in A, 12 m in B
TINY_BUILDINGS = [(1, 2001, L_SHAPE), (2, 2002, STRADDLE_70_30), (3, 2003, _box(150, 10, 160, 20)),
                  (4, 2004, _box(20, 80, 30, 90)), (5, 2005, _box(300, 300, 310, 310))]


def write_tiny(path, buildings=TINY_BUILDINGS):
    divisions = [(DIV_A, _box(0, 0, 100, 100)), (DIV_B, _box(100, 0, 200, 100))]
    ogr_write(str(path), shapely.to_wkb(np.array([g for _, g in divisions], dtype=object)),
              [np.array([c for c, _ in divisions], dtype=object)], ["code"], layer="divisions", driver="GPKG",
              crs="EPSG:4526", geometry_type="Polygon")
    ogr_write(str(path), shapely.to_wkb(np.array([g for *_, g in buildings], dtype=object)),
              [np.array([i for i, *_ in buildings], dtype=np.int64), np.array([y for _, y, _ in buildings])],
              ["id", "year"], layer="buildings", driver="GPKG", crs="EPSG:4526", geometry_type="Polygon")
    return str(path)


def tiny_job(gpkg, out_dir, **kw):
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    kw.setdefault("output", str(Path(out_dir) / "coded.gpkg"))
    kw.setdefault("registry", str(Path(out_dir) / "registry.sqlite"))
    kw.setdefault("year_field", "year")
    kw.setdefault("id_field", "id")
    return AssignJob(buildings=LayerInput(path=gpkg, layer="buildings"),
                     divisions=LayerInput(path=gpkg, layer="divisions"), actor="tester", **kw)


@pytest.fixture()
def tiny(tmp_path):
    return write_tiny(tmp_path / "tiny.gpkg")


def test_failed_output_write_keeps_the_earlier_output_and_a_rerun_gets_the_same_codes(tiny, tmp_path, monkeypatch):
    """The registry commits the codes before the output is written (its lock is not held while the file is
    written): if the output fails, an earlier output stays as it was, the message says so, and a re-run
    finds the codes just issued by identity: the same codes, none new."""
    from citycode.plugin.core.engine import layer_writer
    out_dir = tmp_path / "out"
    first = run_assign(tiny_job(tiny, out_dir, rule="area"))
    earlier = Path(first.output).read_bytes()
    with open_registry(first.registry) as reg:
        count = reg.count()
    # a second run on more buildings (another namespace): new codes are due, but the disk fails
    real = layer_writer.write_layer

    def full_disk(path, *args, **kwargs):
        real(path, *args, **kwargs)  # most of the file is there when the error comes
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(layer_writer, "write_layer", full_disk)
    with pytest.raises(EngineError, match="could not be written: the disk is full.*same codes"):
        run_assign(tiny_job(tiny, out_dir, rule="area", namespace="other"))
    monkeypatch.undo()
    with open_registry(first.registry) as reg:
        issued = reg.count() - count
        assert issued == first.counts["new"] > 0
    assert Path(first.output).read_bytes() == earlier
    assert sorted(p.name for p in out_dir.iterdir() if "citycode-tmp" in p.name) == []
    again = run_assign(tiny_job(tiny, out_dir, rule="area", namespace="other"))
    assert (again.counts["new"], again.counts["existing"]) == (0, issued)
    with open_registry(first.registry) as reg:
        assert reg.count() == count + issued


def test_output_keeps_every_geometry(tiny, tmp_path):
    """The engine drops its WKB copies once the geometry work is done; the output still has every outline."""
    result = run_assign(tiny_job(tiny, tmp_path / "out"))
    _, _, out_geoms, out_fields = ogr_read(result.output, layer=result.output_layer)
    _, _, in_geoms, in_fields = ogr_read(tiny, layer="buildings")
    assert out_fields[0].tolist() == in_fields[0].tolist()  # same ids, same order
    assert shapely.equals_exact(shapely.from_wkb(out_geoms), shapely.from_wkb(in_geoms), 0).all()


def test_area_rule_and_centroid_rule(tiny, tmp_path):
    div_a, div_b = _box(0, 0, 100, 100), _box(100, 0, 200, 100)
    in_a, in_b = L_SHAPE.intersection(div_a).area, L_SHAPE.intersection(div_b).area
    assert in_b > in_a and div_a.contains(L_SHAPE.centroid)  # the fixture is what it claims
    area = out_by_id(run_assign(tiny_job(tiny, tmp_path / "area", rule="area")))
    centroid = out_by_id(run_assign(tiny_job(tiny, tmp_path / "centroid", rule="centroid")))
    assert area["division"][1] == DIV_B and area["citycode"][1].startswith(DIV_B + "2001")
    assert centroid["division"][1] == DIV_A and centroid["citycode"][1].startswith(DIV_A + "2001")
    assert area["div_share"][1] == pytest.approx(in_b / L_SHAPE.area, abs=1e-6)
    assert centroid["div_share"][1] == pytest.approx(in_a / L_SHAPE.area, abs=1e-6)
    for out in (area, centroid):
        assert out["straddle"][1] == 1
        assert parse_shares(out["div_shares"][1]) == pytest.approx(
            {DIV_A: in_a / L_SHAPE.area, DIV_B: in_b / L_SHAPE.area}, abs=1e-4)
        assert out["division"][3] == DIV_B and out["division"][4] == DIV_A and out["straddle"][3] == 0
        assert out["cc_status"][5] == "outside" and not out["citycode"][5]


def test_straddler_shares(tiny, tmp_path):
    result = run_assign(tiny_job(tiny, tmp_path))
    out = out_by_id(result)
    b = STRADDLE_70_30
    truth = {DIV_A: b.intersection(_box(0, 0, 100, 100)).area / b.area,
             DIV_B: b.intersection(_box(100, 0, 200, 100)).area / b.area}
    assert truth[DIV_A] == pytest.approx(0.7)
    shares = parse_shares(out["div_shares"][2])
    assert shares == pytest.approx(truth, abs=1e-4) and sum(shares.values()) == pytest.approx(1.0, abs=1e-4)
    assert out["division"][2] == DIV_A and out["div_share"][2] == pytest.approx(0.7, abs=1e-6)
    assert "straddle" in out["cc_flags"][2].split(",")
    assert result.counts["straddling"] == 2 and result.counts["outside"] == 1 and result.counts["coded"] == 4


# -- the peer benchmark's codes (centroid rule) --------------------------------------------------------
def peer_bcodes(gpkg):
    """bcode exactly as ../shared/bench/shapely_vec.py --task code computes it (method tree_points)."""
    b, bgeom = read_layer(gpkg, "buildings")
    d, dgeom = read_layer(gpkg, "divisions")
    cent = shapely.centroid(bgeom)
    di, pi = shapely.STRtree(cent).query(dgeom, predicate="intersects")
    order = np.lexsort((di, pi))
    pi, di = pi[order], di[order]
    first = np.r_[True, pi[1:] != pi[:-1]]
    code = np.full(len(bgeom), None, dtype=object)
    code[pi[first]] = np.asarray(d["code"], dtype=object)[di[first]]
    ids, years = b["id"].astype(np.int64), b["year"].astype(np.int64)
    bcode, counter = {}, {}
    for k in np.argsort(ids, kind="stable"):
        if code[k] is None:
            continue
        key = (code[k], years[k])
        counter[key] = counter.get(key, 0) + 1
        bcode[int(ids[k])] = f"{code[k]}{years[k]}{counter[key]:04d}"
    return bcode


def test_centroid_rule_matches_the_peer_benchmark(repo_root, tmp_path):
    bench = Path(repo_root).parent / "shared" / "bench"
    if not (bench / "make_city.py").is_file():
        pytest.skip("../shared/bench/make_city.py is not beside the repository")
    gpkg = tmp_path / "city_10k.gpkg"
    subprocess.run([sys.executable, str(bench / "make_city.py"), "--n", "10k", "--out", str(gpkg)],
                   check=True, capture_output=True, timeout=300, cwd=str(tmp_path))
    expected = peer_bcodes(gpkg)
    assert len(expected) > 9000
    result = run_assign(AssignJob(buildings=LayerInput(path=str(gpkg), layer="buildings"),
                                  divisions=LayerInput(path=str(gpkg), layer="divisions"),
                                  output=str(tmp_path / "coded.gpkg"), registry=str(tmp_path / "registry.sqlite"),
                                  rule="centroid", id_field="id", year_field="year", actor="tester"))
    out = out_by_id(result)
    got = {i: c for i, c in out["citycode"].items() if c}
    assert set(got) == set(expected)
    mismatched = [i for i in expected if got[i][:17] != expected[i]]
    assert mismatched == [], mismatched[:10]


# -- bad input -------------------------------------------------------------------------------------------
def _snapshot(out_dir):
    files = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in Path(out_dir).iterdir()
             if not p.name.startswith("registry.sqlite")}
    return files, registry_dump(str(Path(out_dir) / "registry.sqlite"))


@pytest.mark.parametrize("bad, word", [({"division_field": "qhdm"}, "qhdm"), ({"year_field": "jzsj"}, "jzsj"),
                                       ({"id_field": "bsm"}, "bsm")])
def test_missing_field_changes_nothing(tiny, tmp_path, bad, word):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    run_assign(tiny_job(tiny, out_dir, report=str(out_dir / "report.json")))
    before = _snapshot(out_dir)
    assert before[1]["codes"]  # the first run issued codes
    with pytest.raises(EngineError) as err:
        run_assign(tiny_job(tiny, out_dir, report=str(out_dir / "report.json"), **bad))
    assert word in str(err.value)
    assert _snapshot(out_dir) == before


def test_duplicate_ids(tmp_path):
    # (the straddler 9 is there only because a layer without any straddler cannot be written, see below)
    boxes = [_box(10, 10, 20, 20), _box(30, 10, 40, 20), _box(50, 10, 60, 20), _box(95, 10, 105, 20)]
    gpkg = write_tiny(tmp_path / "dup.gpkg", [(7, 2010, boxes[0]), (8, 2010, boxes[1]), (7, 2011, boxes[2]),
                                              (9, 2010, boxes[3])])
    result = run_assign(tiny_job(gpkg, tmp_path))
    cols, geoms = read_layer(result.output, result.output_layer)
    # output rows in input order: row 2 repeats the id of row 0
    assert cols["id"].tolist() == [7, 8, 7, 9]
    assert all(g.equals(e) for g, e in zip(geoms, boxes))
    assert cols["cc_status"].tolist() == ["new", "new", "duplicate_id", "new"]
    assert cols["citycode"][2] is None and all(cols["citycode"][[0, 1, 3]])
    assert result.counts["duplicate_id"] == 1 and result.counts["coded"] == 3
    with open_registry(result.registry) as reg:
        assert reg.count() == 3
        assert reg.get(cols["citycode"][0]).identity == "file:{}|buildings:7".format(os.path.abspath(gpkg))


def test_layer_without_straddlers(tmp_path):
    gpkg = write_tiny(tmp_path / "plain.gpkg", [(1, 2010, _box(10, 10, 20, 20)), (2, 2010, _box(110, 10, 120, 20))])
    out_dir = tmp_path / "out"
    try:
        result = run_assign(tiny_job(gpkg, out_dir))
    except EngineError:
        result = None
    leftovers = sorted(p.name for p in out_dir.iterdir() if not p.name.startswith("registry.sqlite"))
    assert result is not None, leftovers
    out = out_by_id(result)
    assert out["division"] == {1: DIV_A, 2: DIV_B}
    assert out["div_shares"] == {1: None, 2: None} and out["straddle"] == {1: 0, 2: 0}


def test_default_registry_beside_output_in_new_folder(tiny, tmp_path):
    output = tmp_path / "new" / "folder" / "coded.gpkg"
    result = run_assign(AssignJob(buildings=LayerInput(path=tiny, layer="buildings"),
                                  divisions=LayerInput(path=tiny, layer="divisions"), output=str(output),
                                  year_field="year", id_field="id", actor="tester"))
    assert output.is_file() and Path(result.registry).is_file()


class _Feedback:
    """A QgsProcessingFeedback-like object that reports canceled from its n-th isCanceled() call on."""

    def __init__(self, cancel_at=1):
        self.cancel_at, self.calls, self.progress, self.messages = cancel_at, 0, [], []

    def isCanceled(self):
        self.calls += 1
        return self.calls >= self.cancel_at

    def setProgress(self, p):
        self.progress.append(p)

    def pushInfo(self, m):
        self.messages.append(m)


def test_canceled_run_writes_nothing(tiny, tmp_path):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    with pytest.raises(EngineError) as err:
        run_assign(tiny_job(tiny, out_dir, report=str(out_dir / "report.html")), feedback=_Feedback())
    assert err.value.canceled
    assert list(out_dir.iterdir()) == []


# Without planning layers the engine reports 7 steps: read, prepare, locate, prepare_codes, registry (the
# registry transaction), write (the output), report. Canceling is honoured up to the registry transaction;
# once codes are committed the run finishes rather than leave codes without output.
@pytest.mark.parametrize("cancel_at", [1, 2, 3, 4])
def test_cancel_at_any_step_changes_nothing(tiny, tmp_path, cancel_at):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    feedback = _Feedback(cancel_at)
    try:
        run_assign(tiny_job(tiny, out_dir, report=str(out_dir / "report.json")), feedback=feedback)
    except EngineError as e:
        assert e.canceled
    else:
        pytest.fail("the run was not canceled")
    assert feedback.calls == cancel_at
    registry = out_dir / "registry.sqlite"
    issued = 0
    if registry.exists():
        with open_registry(str(registry)) as reg:
            issued = reg.count()
    leftovers = sorted(p.name for p in out_dir.iterdir() if not p.name.startswith("registry.sqlite"))
    assert (issued, leftovers) == (0, [])


def test_cancel_after_commit_finishes_the_run(tiny, tmp_path):
    """A cancel asked for after the registry committed is not honoured: codes and output stay together."""
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    feedback = _Feedback(cancel_at=5)
    result = run_assign(tiny_job(tiny, out_dir, report=str(out_dir / "report.json")), feedback=feedback)
    cols, _ = read_layer(result.output, result.output_layer)
    with open_registry(result.registry) as reg:
        assert reg.count() == sum(c is not None for c in cols["citycode"]) > 0
    assert (out_dir / "report.json").is_file()


# -- report ----------------------------------------------------------------------------------------------
def test_json_report(sample_run, truth):
    rep = json.loads(Path(sample_run["result"].report).read_text(encoding="utf-8"))
    out = sample_run["out"]
    assert rep["counts"] == sample_run["result"].counts
    located = [d for d in out["division"].values() if d]
    assert len(located) == len(truth["ids"]) - len(truth["by_note"][NOTE_OUTSIDE]) - len(truth["by_note"][NOTE_EMPTY])
    rows = rep["divisions"]
    assert sum(r["buildings"] for r in rows.values()) == len(located)
    for div, r in rows.items():
        assert r["buildings"] == located.count(div), div
    assert sum(r["new"] for r in rows.values()) == rep["counts"]["new"]
    assert sum(r["straddling"] for r in rows.values()) == len(truth["by_note"][NOTE_STRADDLE])
    assert set(rows) | set(rep["divisions_without_buildings"]) == set(truth["div_codes"].tolist())
    assert {r["id"] for r in rep["outside"]} == truth["by_note"][NOTE_OUTSIDE]
    assert {r["id"] for r in rep["straddling"]} == truth["by_note"][NOTE_STRADDLE]
    assert {r["id"] for r in rep["repaired"]} == truth["by_note"][NOTE_INVALID]
    for name in PLANNING:
        hits = set(truth["ids"][truth["planning"][name] > 0.01].tolist())
        assert rep["planning"][name]["hits"] == len(hits)
        listed = {r["id"] for r in rep["conflicts"][name]}
        assert listed <= hits and len(listed) == min(len(hits), MAX_LISTED)


def test_html_report(tiny, tmp_path):
    result = run_assign(tiny_job(tiny, tmp_path, report=str(tmp_path / "report.html")))
    assert result.report and os.path.isfile(result.report)
    html = Path(result.report).read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    assert "<h2>Summary</h2>" in html and "<table>" in html
    coded = sum(1 for *_, g in TINY_BUILDINGS if g.intersects(_box(0, 0, 200, 100)))
    assert f"<td>Coded</td><td>{coded}</td>" in html
    assert f"<td>{DIV_A}</td>" in html and f"<td>{DIV_B}</td>" in html


@pytest.mark.parametrize("rule", ["area", "centroid"])
def test_locate_gives_the_same_with_and_without_cutting_the_divisions(rule, monkeypatch):
    """Large layers cut the divisions into small pieces first (geometry.subdivide); small ones do not."""
    from citycode.plugin.core.engine import geometry_shapely as geometry
    _, buildings = read_layer(SAMPLE, "buildings")
    _, divisions = read_layer(SAMPLE, "divisions")
    usable = np.array([g is not None and not g.is_empty for g in buildings])
    buildings = np.where(usable, shapely.make_valid(np.where(usable, buildings, None)), None)
    whole = geometry.locate(buildings, usable, divisions, rule)
    monkeypatch.setattr(geometry, "SUBDIVIDE_FROM", 0)
    monkeypatch.setattr(geometry, "PIECE_VERTICES", 8)  # many pieces, even for the sample's divisions
    cut = geometry.locate(buildings, usable, divisions, rule)
    assert len(geometry.subdivide(divisions, 8)[0]) > 3 * len(divisions)
    assert (whole.home == cut.home).all() and (whole.straddle == cut.straddle).all()
    assert np.allclose(whole.share, cut.share, atol=1e-9)
    assert whole.shares.keys() == cut.shares.keys()


@pytest.mark.parametrize("rule", ["area", "centroid"])
def test_threads_give_the_same_as_one_call(rule, monkeypatch):
    """Large layers run the heavy GEOS calls in slices on threads; results equal one call, in order."""
    from citycode.plugin.core.engine import geometry_shapely as geometry
    _, buildings = read_layer(SAMPLE, "buildings")
    _, divisions = read_layer(SAMPLE, "divisions")
    _, redline = read_layer(SAMPLE, "stbhhx")
    usable = np.array([g is not None and not g.is_empty for g in buildings])
    monkeypatch.setattr(geometry, "THREADS", 1)
    one = geometry.locate(buildings, usable, divisions, rule)
    one_area = geometry.overlap_area(buildings, usable, redline)
    one_clean = geometry.clean(buildings)
    monkeypatch.setattr(geometry, "THREADS", 3)
    monkeypatch.setattr(geometry, "SLICE_FROM", 2)
    monkeypatch.setattr(geometry, "_pool", None)
    assert len(geometry._slices(len(buildings))) == 3
    many = geometry.locate(buildings, usable, divisions, rule)
    assert (one.home == many.home).all() and (one.straddle == many.straddle).all()
    assert np.array_equal(one.share, many.share) and one.shares == many.shares
    assert np.array_equal(one_area, geometry.overlap_area(buildings, usable, redline)) and one_area.sum() > 0
    many_clean = geometry.clean(buildings)
    assert (one_clean.repaired == many_clean.repaired).all() and one_clean.repaired.any()


def test_slices_never_share_a_prepared_geometry(monkeypatch):
    """GEOS prepared geometries are not for two threads at once: elements grouped `by` one stay in one slice."""
    from citycode.plugin.core.engine import geometry_shapely as geometry
    monkeypatch.setattr(geometry, "THREADS", 3)
    monkeypatch.setattr(geometry, "SLICE_FROM", 2)
    monkeypatch.setattr(geometry, "_pool", None)
    key = np.array([5, 1, 1, 1, 1, 1, 1, 2, 5, 2, 0, 5, 3, 3])
    seen = []

    def record(k, values):
        seen.append(set(k.tolist()))
        return values * 10

    out = geometry.sliced(record, key, np.arange(len(key)), by=key)
    assert out.tolist() == (np.arange(len(key)) * 10).tolist()  # back in the input order
    assert len(seen) > 1 and all(a.isdisjoint(b) for i, a in enumerate(seen) for b in seen[i + 1:])
    assert set().union(*seen) == set(key.tolist())


RACE = """
import sys
import numpy as np, shapely
from citycode.plugin.core.engine import geometry_shapely as geometry
geometry.THREADS, geometry.SLICE_FROM = 4, 2
rng = np.random.default_rng(1)
centres = rng.uniform(0, 1000, (40, 2))
for rep in range(20):
    polys = shapely.buffer(shapely.points(centres), 30, quad_segs=128)  # fresh: GEOS builds their index lazily
    shapely.prepare(polys)
    pk = rng.integers(0, len(polys), 200_000)
    xy = centres[pk] + rng.uniform(-35, 35, (len(pk), 2))
    boxes = shapely.box(xy[:, 0], xy[:, 1], xy[:, 0] + 2, xy[:, 1] + 2)
    got = geometry.sliced(shapely.contains_properly, polys[pk], boxes, by=pk)
    assert (got == shapely.contains_properly(polys[pk], boxes)).all()
print("ok")
"""


def test_threads_survive_qgis_geos(tmp_path):
    """Inside QGIS, shapely runs on QGIS's GEOS (3.11.1 on Debian 12), whose prepared geometries crash when two
    threads use one at once (the 1M run through qgis_process did, every time; this script without by= does
    too). LD_PRELOAD puts that GEOS under shapely here, as QGIS does."""
    geos = "/usr/lib/x86_64-linux-gnu/libgeos_c.so.1"
    if not os.path.exists(geos):
        pytest.skip("no system GEOS to run under")
    script = tmp_path / "race.py"
    script.write_text(RACE, encoding="utf-8")
    env = dict(os.environ, LD_PRELOAD=geos,
               PYTHONPATH=str(Path(__file__).resolve().parent.parent / "build" / "pkgroot"))
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300, env=env)
    assert (proc.returncode, proc.stdout.strip()) == (0, "ok"), proc.stderr[-2000:]


@pytest.mark.parametrize("rule", ["area", "centroid"])
def test_locate_points_inside_on_a_boundary_and_outside(rule):
    """Points have no area: each goes to the division holding it; on a shared edge the first one."""
    from citycode.plugin.core.engine import geometry_shapely as geometry
    divisions = np.array([shapely.box(0, 0, 10, 10), shapely.box(10, 0, 20, 10)])
    points = shapely.points([(5, 5), (10, 5), (15, 5), (30, 5), (0, 0)])
    loc = geometry.locate(points, np.ones(5, dtype=bool), divisions, rule)
    assert loc.home.tolist() == [0, 0, 1, -1, 0]
    assert loc.share.tolist() == [1, 1, 1, 0, 1] and not loc.straddle.any()


def test_registry_location_makes_folders_for_files_only(tmp_path, monkeypatch):
    from citycode.plugin.core.engine.jobs import registry_location
    monkeypatch.chdir(tmp_path)
    out = str(tmp_path / "new" / "coded.gpkg")
    assert registry_location(None, out) == str(tmp_path / "new" / "coded_registry.sqlite")
    assert (tmp_path / "new").is_dir()
    for uri in ("postgresql:///citycode_test?host=/tmp/x", "qgis:office", "service=citycode"):
        assert registry_location(uri, out) == uri
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new"]  # no folder named after a database URI


def test_output_over_the_registry_is_refused(tmp_path):
    from citycode.plugin.core.engine.jobs import EngineError, registry_location
    reg = tmp_path / "registry.sqlite"
    reg.write_bytes(b"keep")
    with pytest.raises(EngineError, match="cannot be the registry"):
        registry_location(str(reg), str(reg))
    assert reg.read_bytes() == b"keep"
