"""The vintage update (plugin/core/vintage/update.py, citycode:updatevintage) against scripts/make_survey.py's truth.

A 10k synthetic city (../shared/bench/make_city.py) is coded by the engine, a survey is drawn from it with every
kind of change, and the classes must match the truth with precision and recall >= 99 % per class, on both
geometry backends. Edge cases are drawn by hand: a split whose part is merged with a neighbour, a footprint
demolished and rebuilt, straddlers of the survey's edge, partial coverage.
"""
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import shapely
from osgeo import ogr

from citycode.plugin.core.engine import geometry_shapely as S
from citycode.plugin.core.engine import geometry_qgis as Q
from citycode.plugin.core.engine import layers
from citycode.plugin.core.vintage.classify import classify
from citycode.plugin.core.vintage.matching import links
from citycode.plugin.core.vintage.plan import MadeWhenAsked
from citycode.plugin.core.engine.assign import AssignJob, LayerInput, run_assign

ROOT = Path(__file__).resolve().parent.parent
MAKE_SURVEY = ROOT / "scripts" / "make_survey.py"
X0, Y0 = 39_500_000.0, 3_500_000.0


def make_city_script():
    """../shared/bench/make_city.py beside the repository (or beside the folder of worktrees)."""
    for base in (ROOT.parent, ROOT.parent.parent):
        path = base / "shared" / "bench" / "make_city.py"
        if path.exists():
            return path
    pytest.skip("../shared/bench/make_city.py is not beside the repository")


def survey(coded: Path, out: Path, *args) -> Path:
    subprocess.run([sys.executable, str(MAKE_SURVEY), "--coded", str(coded), "--layer", "buildings_coded",
                    "--out", str(out), *args], check=True, capture_output=True, timeout=600)
    return out


@pytest.fixture(scope="module")
def city(tmp_path_factory, qgis_app):
    """(coded GeoPackage, its registry, the city's GeoPackage) of a 10k city."""
    d = tmp_path_factory.mktemp("vintage")
    gpkg = d / "city.gpkg"
    subprocess.run([sys.executable, str(make_city_script()), "--n", "10k", "--out", str(gpkg)], check=True,
                   capture_output=True, timeout=600, cwd=str(d))
    run_assign(AssignJob(buildings=LayerInput(path=str(gpkg), layer="buildings"),
                         divisions=LayerInput(path=str(gpkg), layer="divisions"), division_field="code",
                         year_field="year", id_field="id", registry=str(d / "registry.sqlite"),
                         output=str(d / "coded.gpkg")))
    return d / "coded.gpkg", d / "registry.sqlite", gpkg


@pytest.fixture(scope="module")
def drawn(city, tmp_path_factory):
    """A survey with every change (rebuilt footprints too) and 0.5 m jitter."""
    return survey(city[0], tmp_path_factory.mktemp("survey") / "survey.gpkg", "--rebuild", "0.003")


def truth(path: Path):
    ds = ogr.Open(str(path))
    new = {f["sid"]: (f["class"], f["old"]) for f in ds.GetLayerByName("truth_new")}
    old = {f["code"]: f["class"] for f in ds.GetLayerByName("truth_old")}
    return new, old


def read_geoms(ops, path, layer):
    table = layers.read(layers.LayerInput(path=str(path), layer=layer))
    return table, ops.clean(ops.from_wkb(table.wkb)).geoms


def precision_recall(pred, want, classes):
    out = {}
    for c in classes:
        tp = int(((pred == c) & (want == c)).sum())
        out[c] = (tp / max(int((pred == c).sum()), 1), tp / max(int((want == c).sum()), 1),
                  int((want == c).sum()))
    return out


def test_generator_writes_every_change_and_its_truth(city, drawn):
    new, old = truth(drawn)
    kinds = {c for c, _ in new.values()}
    assert kinds == {"unchanged", "modified", "new", "split", "merged"}
    assert set(old.values()) == {"unchanged", "modified", "demolished", "split", "merged"}
    ds, old_ds = ogr.Open(str(drawn)), ogr.Open(str(city[0]))  # a layer lives only as long as its dataset
    survey_layer = ds.GetLayerByName("survey")
    assert survey_layer.GetFeatureCount() == len(new)
    # a split's parts lie inside their parent; a merge names two parents; an unchanged one moved <= 0.5 m
    coded = {f["citycode"]: shapely.from_wkb(bytes(f.GetGeometryRef().ExportToWkb()))
             for f in old_ds.GetLayer(0)}
    for f in survey_layer:
        g = shapely.from_wkb(bytes(f.GetGeometryRef().ExportToWkb()))
        cls, parents = new[f["sid"]]
        if cls == "split":
            assert shapely.area(shapely.intersection(g, coded[parents])) > 0.6 * shapely.area(g)
        elif cls == "merged":
            assert len(parents.split(";")) == 2
        elif cls == "unchanged":
            assert shapely.distance(shapely.centroid(g), shapely.centroid(coded[parents])) <= 0.5 + 0.05


@pytest.mark.parametrize("ops", [S, Q], ids=["shapely", "qgis"])
def test_classes_match_the_truth(city, drawn, ops):
    old_t, old_g = read_geoms(ops, city[0], "buildings_coded")
    new_t, new_g = read_geoms(ops, drawn, "survey")
    plan = classify(ops, old_g, new_g)
    t_new, t_old = truth(drawn)
    sid, codes = new_t.column("sid"), old_t.column("citycode")
    want_new = np.array([t_new[s][0] for s in sid], dtype=object)
    want_old = np.array([t_old[c] for c in codes], dtype=object)
    for side, got, want, classes in (("new", plan.new_class, want_new, ("unchanged", "modified", "new", "split",
                                                                       "merged")),
                                     ("old", plan.old_class, want_old, ("unchanged", "modified", "demolished",
                                                                       "split", "merged"))):
        for c, (p, r, n) in precision_recall(got, want, classes).items():
            assert n > 0 and p >= 0.99 and r >= 0.99, (side, c, p, r, n)
    carried = np.flatnonzero(plan.carried >= 0)
    assert len(carried) == int(np.isin(want_new, ("unchanged", "modified")).sum())
    assert all(codes[plan.carried[i]] == t_new[sid[i]][1] for i in carried)
    assert np.nanmax(plan.shift[plan.new_class == "unchanged"]) <= 0.5 + 0.05


@pytest.mark.parametrize("ops", [S, Q], ids=["shapely", "qgis"])
def test_old_buildings_made_a_chunk_at_a_time(city, drawn, ops):
    """The links are the same whether the old geometries are all there or made when asked, a chunk at a time."""
    _, old_g = read_geoms(ops, city[0], "buildings_coded")
    _, new_g = read_geoms(ops, drawn, "survey")
    ok_new = np.flatnonzero([g is not None for g in new_g])
    new_area = np.zeros(len(new_g))
    new_area[ok_new] = ops.area(new_g[ok_new])
    asked = []
    made = MadeWhenAsked(len(old_g), lambda idx: asked.append(len(idx)) or old_g[idx])
    whole = links(ops, old_g, new_g, ok_new, new_area)
    for a, b in zip(whole, links(ops, made, new_g, ok_new, new_area, chunk=997)):
        np.testing.assert_array_equal(a, b)
    assert asked[:len(old_g) // 997] == [997] * (len(old_g) // 997) and sum(asked) < 1.2 * len(old_g)
    assert made[3] is old_g[3] and list(made[np.array([5, 2])]) == [old_g[5], old_g[2]]


def box(x0, y0, x1, y1):
    return shapely.box(X0 + x0, Y0 + y0, X0 + x1, Y0 + y1)


def as_ops(ops, geoms):
    geoms = np.array(geoms, dtype=object)
    return geoms if ops is S else Q.from_wkb(shapely.to_wkb(geoms))


@pytest.mark.parametrize("ops", [S, Q], ids=["shapely", "qgis"])
def test_edge_cases(ops, qgis_app):
    old = [
        box(0, 0, 20, 10), box(22, 0, 32, 10),    # 0 split, its right part merged with 1
        box(100, 0, 120, 20),                      # 2 demolished, rebuilt turned on a corner of its ground
        box(200, 0, 210, 10),                      # 3 unchanged, shifted 1.5 m (tolerance 2 m)
        box(300, 0, 310, 10),                      # 4 shifted 3 m: modified (beyond the tolerance)
        box(395, 0, 405, 10),                      # 5 straddles the surveyed area's edge, not surveyed: outside
        box(600, 0, 610, 10),                      # 6 outside the surveyed area: untouched
        box(150, 5, 160, 15),                      # 7 inside the area, gone: demolished
    ]
    new = [
        box(0, 0, 8, 10), box(8, 0, 32, 10),       # 0: left part; 1: right part + old 1 in one building
        box(112, 12, 122, 32),                      # 2: rebuilt, a quarter of it on the old ground
        box(201.5, 0, 211.5, 10),                   # 3
        box(303, 0, 313, 10),                       # 4
        box(50, 50, 60, 60),                        # 5 new
    ]
    area = as_ops(ops, [box(-10, -10, 400, 100)])
    plan = classify(ops, as_ops(ops, old), as_ops(ops, new), tolerance=2.0, area=area)
    assert plan.new_class.tolist() == ["ambiguous", "ambiguous", "new", "unchanged", "modified", "new"]
    assert plan.old_class.tolist() == ["ambiguous", "ambiguous", "demolished", "unchanged", "modified", "outside",
                                       "outside", "demolished"]
    assert plan.carried.tolist() == [-1, -1, -1, 3, 4, -1]
    assert plan.shift[4] == pytest.approx(3.0)
    # without an area the survey's hull decides: old 5 and 6 lie beyond it, old 7 inside
    plan = classify(ops, as_ops(ops, old), as_ops(ops, new), tolerance=2.0)
    assert plan.old_class[[5, 6, 7]].tolist() == ["outside", "outside", "demolished"]
    # a reviewer settles the ambiguous group: new 0 continues old 0, new 1 is new
    group = plan.new_group[0]
    assert group in plan.changes()
    plan.rematch(0, 0)
    plan.rematch(1, -1)
    assert plan.new_class[:2].tolist() == ["modified", "new"] and plan.carried[0] == 0
    assert plan.old_class[:2].tolist() == ["modified", "ambiguous"]
    plan.reject(plan.old_group[1])
    assert plan.old_class[1] == "outside"


def test_negative_tolerance_is_refused(qgis_app):
    with pytest.raises(ValueError, match="tolerance"):
        classify(S, np.array([box(0, 0, 1, 1)]), np.array([box(0, 0, 1, 1)]), tolerance=-1)


# -- the algorithm: registry, output, report, re-run ---------------------------------------------------------------
def rows(path, layer):
    ds = ogr.Open(str(path))
    out = [f.items() for f in ds.GetLayerByName(layer)]
    return out


def vintage_params(city, survey_path, tmp, registry, **extra):
    return dict({"OLD": f"{city[0]}|layername=buildings_coded", "NEW": f"{survey_path}|layername=survey",
                 "ID_FIELD": "sid", "DIVISIONS": f"{city[2]}|layername=divisions", "DIVISION_FIELD": "code",
                 "TOLERANCE": 2.0, "YEAR": 2025, "REGISTRY": str(registry), "OUTPUT": str(tmp / "out.gpkg"),
                 "REPORT": str(tmp / "report.json")}, **extra)


@pytest.fixture()
def registry_copy(city, tmp_path):
    import shutil
    path = tmp_path / "registry.sqlite"
    shutil.copy(city[1], path)
    return path


def test_algorithm_carries_issues_retires_with_lineage_and_a_rerun_changes_nothing(
        city, drawn, tmp_path, registry_copy, citycode_processing):
    import json
    import processing
    from conftest import ensure_citycode_provider
    from dbdump import dump
    from citycode.plugin.core.registry.backends import open_registry
    ensure_citycode_provider()
    params = vintage_params(city, drawn, tmp_path, registry_copy)
    result = processing.run("citycode:updatevintage", params)
    t_new, t_old = truth(drawn)
    out = rows(result["OUTPUT"].split("|")[0], "buildings_2025")
    surveyed = [r for r in out if r["sid"] is not None]
    assert len(surveyed) == len(t_new) and len(out) == len(t_new)  # the whole city was surveyed: nothing kept
    by_class = {}
    for r in surveyed:
        cls, parents = t_new[r["sid"]]
        assert r["cc_change"] == cls, r
        by_class.setdefault(cls, []).append(r)
        if cls in ("unchanged", "modified"):
            assert r["citycode"] == parents and r["cc_old"] == parents
        else:
            assert r["citycode"] and r["citycode"] not in t_old  # a new code
    with open_registry(str(registry_copy)) as reg:
        split = by_class["split"][0]
        parent = split["cc_old"]
        assert reg.get(parent).status == "retired"
        assert split["citycode"] in reg.lineage(parent)["children"]
        assert reg.lineage(split["citycode"])["parents"] == [parent]
        merged = by_class["merged"][0]
        assert sorted(reg.lineage(merged["citycode"])["parents"]) == sorted(merged["cc_old"].split(";"))
        gone = next(c for c, k in t_old.items() if k == "demolished")
        assert reg.get(gone).status == "retired"
        assert any(h["action"] == "retire" and "demolished" in json.dumps(h["detail"], ensure_ascii=False)
                   for h in reg.history(gone))
        changed = by_class["modified"][0]
        assert reg.get(changed["citycode"]).attrs["vintage"]["year"] == 2025
        assert reg.get(by_class["new"][0]["citycode"]).status == "active"
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert report["totals"]["demolished"] == sum(k == "demolished" for k in t_old.values())
    assert sum(sum(v.values()) for v in report["per_division"].values()) == len(t_new) + report["totals"]["demolished"]
    assert report["largest"] and report["largest"][0]["class"] in ("merged", "split", "modified", "new", "demolished")
    # again: the registry and the codes stay as they are
    before = dump(str(registry_copy))
    again = processing.run("citycode:updatevintage", dict(params, OUTPUT=str(tmp_path / "again.gpkg")))
    assert dump(str(registry_copy)) == before
    assert {r["sid"]: r["citycode"] for r in rows(again["OUTPUT"].split("|")[0], "buildings_2025")} == \
        {r["sid"]: r["citycode"] for r in surveyed}


def test_partial_survey_leaves_the_rest_untouched(city, tmp_path, registry_copy, qgis_app):
    from citycode.plugin.core.registry.backends import open_registry
    from citycode.plugin.core.vintage.plan import VintageJob
    from citycode.plugin.core.vintage.update import run_update
    part = survey(city[0], tmp_path / "part.gpkg", "--area", "0,0,0.5,1", "--seed", "3")
    t_new, t_old = truth(part)
    res = run_update(VintageJob(
        old=LayerInput(path=str(city[0]), layer="buildings_coded"), new=LayerInput(path=str(part), layer="survey"),
        divisions=LayerInput(path=str(city[2]), layer="divisions"), area=LayerInput(path=str(part),
                                                                                     layer="survey_area"),
        output=str(tmp_path / "out.gpkg"), registry=str(registry_copy), year=2025))
    out = rows(res.output, res.output_layer)
    kept = [r for r in out if r["sid"] is None]
    outside = {c for c, k in t_old.items() if k == "outside"}
    assert outside and {r["citycode"] for r in kept} == outside and all(r["cc_change"] == "outside" for r in kept)
    with open_registry(str(registry_copy)) as reg:
        assert all(reg.get(c).status == "active" for c in list(outside)[:200])
    assert res.summary["totals"]["demolished"] == sum(k == "demolished" for k in t_old.values())


def test_a_failed_write_changes_nothing_and_bad_input_is_refused(city, drawn, tmp_path, registry_copy, qgis_app,
                                                                monkeypatch):
    from dbdump import dump
    from citycode.plugin.core.engine import layer_writer, layers as layers_mod
    from citycode.plugin.core.engine.jobs import EngineError
    from citycode.plugin.core.vintage.plan import VintageJob
    from citycode.plugin.core.vintage.update import run_update
    job = VintageJob(old=LayerInput(path=str(city[0]), layer="buildings_coded"),
                     new=LayerInput(path=str(drawn), layer="survey"),
                     divisions=LayerInput(path=str(city[2]), layer="divisions"), output=str(tmp_path / "out.gpkg"),
                     registry=str(registry_copy), year=2025)
    before = dump(str(registry_copy))

    def broken(*a, **k):
        raise layers_mod.InputError("disk full")
    monkeypatch.setattr(layer_writer, "write_table", broken)
    with pytest.raises(EngineError, match="disk full"):
        run_update(job)
    assert dump(str(registry_copy)) == before and not (tmp_path / "out.gpkg").exists()
    monkeypatch.undo()
    job.code_field = "name"  # a field without codes
    with pytest.raises(EngineError, match="name"):
        run_update(job)
    assert dump(str(registry_copy)) == before and not (tmp_path / "out.gpkg").exists()


def test_postgresql_registry(city, drawn, tmp_path, pg_server, qgis_app):
    from citycode.plugin.core.registry.backends import open_registry
    from citycode.plugin.core.vintage.plan import VintageJob
    from citycode.plugin.core.vintage.update import run_update
    uri = pg_server.uri("vintage_{}".format(id(tmp_path) % 100000))
    coded = run_assign(AssignJob(buildings=LayerInput(path=str(city[2]), layer="buildings"),
                                 divisions=LayerInput(path=str(city[2]), layer="divisions"), division_field="code",
                                 year_field="year", id_field="id", registry=uri, output=str(tmp_path / "coded.gpkg")))
    part = survey(Path(coded.output), tmp_path / "part.gpkg", "--area", "0.3,0.3,0.7,0.7")
    t_new, t_old = truth(part)
    job = VintageJob(old=LayerInput(path=coded.output, layer="buildings_coded"),
                     new=LayerInput(path=str(part), layer="survey"),
                     divisions=LayerInput(path=str(city[2]), layer="divisions"), output=str(tmp_path / "out.gpkg"),
                     registry=uri, year=2025, id_field="sid")
    first = run_update(job)
    got = {r["sid"]: r["cc_change"] for r in rows(first.output, first.output_layer) if r["sid"] is not None}
    assert got == {s: c for s, (c, _) in t_new.items()}
    with open_registry(uri) as reg:
        before = rows_in(reg)
        split = next(c for c, k in t_old.items() if k == "split")
        assert reg.get(split).status == "retired" and len(reg.lineage(split)["children"]) >= 2
    second = run_update(dict_replace(job, output=str(tmp_path / "again.gpkg")))
    assert second.applied.issued == second.applied.retired == second.applied.splits == 0
    with open_registry(uri) as reg:
        assert rows_in(reg) == before


def rows_in(reg):
    return tuple(reg._sql("SELECT (SELECT count(*) FROM batches), (SELECT count(*) FROM audit), "
                          "(SELECT count(*) FROM codes)", (), "one"))


def dict_replace(job, **kw):
    import dataclasses
    return dataclasses.replace(job, **kw)


STOCK_QGIS_RUN = """
import json, sys
from citycode.plugin.core import speedups
assert not speedups.SHAPELY_OK
from citycode.plugin.core.engine.layers import LayerInput
from citycode.plugin.core.vintage.plan import VintageJob
from citycode.plugin.core.vintage.update import run_update
spec = json.loads(sys.argv[1])
res = run_update(VintageJob(old=LayerInput(**spec["old"]), new=LayerInput(**spec["new"]),
                            divisions=LayerInput(**spec["divisions"]), output=spec["output"], registry=spec["registry"],
                            year=2025, id_field="sid"))
print(json.dumps(res.summary["totals"]))
"""


def test_stock_qgis_without_shapely(city, drawn, tmp_path, registry_copy, qgis_app):
    """CITYCODE_SPEEDUPS=off: QGIS's geometry and OGR only, as in a stock QGIS; the same classes."""
    import json
    import os
    spec = {"old": {"path": str(city[0]), "layer": "buildings_coded"}, "new": {"path": str(drawn), "layer": "survey"},
            "divisions": {"path": str(city[2]), "layer": "divisions"}, "output": str(tmp_path / "out.gpkg"),
            "registry": str(registry_copy)}
    env = dict(os.environ, CITYCODE_SPEEDUPS="off", QT_QPA_PLATFORM="offscreen",
               PYTHONPATH=str(ROOT / "build" / "pkgroot"))
    proc = subprocess.run([sys.executable, "-c", STOCK_QGIS_RUN, json.dumps(spec)], capture_output=True, text=True,
                          timeout=600, env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    t_new, t_old = truth(drawn)
    got = {r["sid"]: r["cc_change"] for r in rows(spec["output"], "buildings_2025")}
    assert got == {s: c for s, (c, _) in t_new.items()}
    totals = json.loads(proc.stdout.strip().splitlines()[-1])
    assert totals["demolished"] == sum(k == "demolished" for k in t_old.values())


def test_change_map_through_the_map_export(city, drawn, tmp_path, registry_copy, citycode_processing):
    import processing
    from conftest import ensure_citycode_provider
    from qgis.PyQt.QtGui import QImage
    ensure_citycode_provider()
    png = tmp_path / "changes.png"
    result = processing.run("citycode:updatevintage", vintage_params(city, drawn, tmp_path, registry_copy,
                                                                     MAP=str(png)))
    assert result["MAP"] == str(png) and png.exists()
    image = QImage(str(png))
    assert image.width() > 1000
    # the classes' colours are on the page (new green, split cyan; the demolished are gone)
    colors = {image.pixelColor(x, y).name() for x in range(0, image.width(), 3) for y in range(0, image.height(), 3)}
    assert "#2e7d32" in colors and "#00acc1" in colors


def test_field_package_registry(city, tmp_path, registry_copy, qgis_app):
    """Offline: the update runs against a field package as against the shared file; its new codes come from the
    package's reserved blocks, and checking the package in brings the changes home."""
    from dbdump import dump
    from citycode.plugin.core.fieldwork import checkin, checkout
    from citycode.plugin.core.registry.backends import open_registry
    from citycode.plugin.core.vintage.plan import VintageJob
    from citycode.plugin.core.vintage.update import run_update
    part = survey(city[0], tmp_path / "part.gpkg", "--area", "0.45,0.45,0.55,0.55", "--seed", "11")
    ds = ogr.Open(str(part))
    x0, x1, y0, y1 = ds.GetLayerByName("survey_area").GetExtent()
    ds = None
    package = tmp_path / "package.gpkg"
    checkout.check_out(checkout.CheckOutJob(registry=str(registry_copy), output=str(package),
                                divisions=LayerInput(path=str(city[2]), layer="divisions"),
                                extent=(x0, y0, x1, y1), years=[2025], block_size=1000))
    t_new, t_old = truth(part)
    job = VintageJob(old=LayerInput(path=str(city[0]), layer="buildings_coded"),
                     new=LayerInput(path=str(part), layer="survey"),
                     area=LayerInput(path=str(part), layer="survey_area"),
                     divisions=LayerInput(path=str(city[2]), layer="divisions"), output=str(tmp_path / "out.gpkg"),
                     registry=str(package), year=2025, id_field="sid")
    res = run_update(job)
    got = {r["sid"]: (r["cc_change"], r["citycode"]) for r in rows(res.output, res.output_layer) if r["sid"]}
    assert {s: c for s, (c, _) in got.items()} == {s: c for s, (c, _) in t_new.items()}
    with open_registry(str(package)) as reg:
        blocks = reg.blocks()
        for cls, code in got.values():
            if cls in ("new", "split", "merged"):
                rec = reg.get(code)
                assert any(b.division == rec.division and b.first <= rec.sequence <= b.last for b in blocks)
        gone = next(c for c, k in t_old.items() if k == "demolished")
        assert reg.get(gone).status == "retired"
    before = dump(str(package))
    run_update(dict_replace(job, output=str(tmp_path / "again.gpkg")))
    assert {k: v for k, v in dump(str(package)).items() if not k.startswith("gpkg")} == \
        {k: v for k, v in before.items() if not k.startswith("gpkg")}
    checkin.check_in(str(package), str(registry_copy))
    with open_registry(str(registry_copy)) as reg:
        assert reg.get(gone).status == "retired"
        split = next(c for c, k in t_old.items() if k == "split")
        assert reg.get(split).status == "retired" and len(reg.lineage(split)["children"]) >= 2


def test_old_buildings_without_a_code_do_not_block_the_update(tmp_path, sample_gpkg, citycode_processing):
    """The sample town coded as users code it leaves buildings outside every division without a code; the same
    buildings surveyed again: every code carried, the uncoded ones stay uncoded, the registry unchanged."""
    import json
    import processing
    import sqlite3
    sample = str(sample_gpkg)
    registry = str(tmp_path / "registry.sqlite")
    coded = processing.run("citycode:assigncodes", {
        "BUILDINGS": sample + "|layername=buildings", "DIVISIONS": sample + "|layername=divisions",
        "ID_FIELD": "id", "YEAR_FIELD": "year", "REGISTRY": registry, "OUTPUT": str(tmp_path / "coded.gpkg")})
    assert coded["OUTSIDE"] >= 1
    with sqlite3.connect(registry) as db:
        before = db.execute("SELECT code, status, identity FROM codes ORDER BY code").fetchall()
    res = processing.run("citycode:updatevintage", {
        "OLD": str(tmp_path / "coded.gpkg") + "|layername=buildings_coded", "NEW": sample + "|layername=buildings",
        "ID_FIELD": "id", "DIVISIONS": sample + "|layername=divisions", "REGISTRY": registry,
        "OUTPUT": str(tmp_path / "vintage.gpkg"), "REPORT": str(tmp_path / "vintage.json")})
    counts = json.loads(res["COUNTS"])
    assert counts["unchanged"] >= coded["CODED"]
    with sqlite3.connect(registry) as db:
        assert db.execute("SELECT code, status, identity FROM codes ORDER BY code").fetchall() == before
    old = {f["id"]: f["citycode"] for f in layers_rows(str(tmp_path / "coded.gpkg"))}
    new = {f["id"]: f["citycode"] for f in layers_rows(res["OUTPUT"].split("|")[0])}
    assert all(new[i] == c for i, c in old.items() if c) and sum(c is not None for c in old.values()) == coded["CODED"]


def layers_rows(path):
    ds = ogr.Open(path)
    rows = [f.items() for f in ds.GetLayer(0)]
    ds = None
    return rows
