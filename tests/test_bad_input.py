"""Bad input end to end through the engine (issue 4): what real data gets wrong gets a clear message and a
report row, and nothing already in the registry or an earlier output is lost or changed.

The fixture is a tiny town made here in a CGCS2000 3° Gauss-Krüger zone with prefix (EPSG:4527, zone 39):
  D1 340104001  x 0-1000, with a hole 400-600 (a gap: nothing covers it)
  D2 340104002  x 1000-2000
  D3 340104003  x 1900-3000 (overlaps D2 in 1900-2000)
  D4 "3401"     x 0-1000, y 1000-2000 (not a 9-digit code)
Truth is the geometry made here, not the engine's output.
"""
import json
from pathlib import Path

import numpy as np
import pytest
import shapely
from dbdump import dump as registry_dump
from pyogrio.raw import read as ogr_read, write as ogr_write
from pyproj import Transformer
from qgis.core import QgsGeometry

from citycode.plugin.core.china import datums
from citycode.plugin.core.engine.assign import AssignJob, LayerInput, OverlayJob, run_assign, run_overlay
from citycode.plugin.core.engine.jobs import EngineError

X0, Y0 = 39_500_000.0, 3_500_000.0  # zone 39 with prefix, near Hefei (117°E, 31.6°N)
GK_PREFIXED, GK_PLAIN = "EPSG:4527", "EPSG:4548"  # zone 39 with / without prefix (CM 117°E)

DIVISIONS = [
    ("340104001", shapely.Polygon([(0, 0), (1000, 0), (1000, 1000), (0, 1000)],
                                  [[(400, 400), (600, 400), (600, 600), (400, 600)]])),
    ("340104002", shapely.box(1000, 0, 2000, 1000)),
    ("340104003", shapely.box(1900, 0, 3000, 1000)),
    ("3401", shapely.box(0, 1000, 1000, 2000)),
]
# id -> (geometry in local metres, expected division, expected status)
BUILDINGS = {
    1: (shapely.box(100, 100, 120, 120), "340104001", "new"),
    2: (shapely.box(490, 490, 510, 510), None, "outside"),            # in the gap
    3: (shapely.box(1940, 100, 1960, 120), "340104002", "new"),       # in the overlap: first in the layer
    4: (shapely.box(100, 1100, 120, 1120), None, "no_division_code"),
    5: (shapely.MultiPolygon([shapely.box(1200, 200, 1210, 210), shapely.box(1220, 200, 1230, 210)]),
        "340104002", "new"),                                           # multipart, written with Z and M
    6: (shapely.box(990, 700, 1030, 720), "340104002", "new"),         # straddles D1/D2, 75 % in D2
}


def _shift(geom, dx=X0, dy=Y0):
    return shapely.transform(geom, lambda xy: xy + [dx, dy])


def _zm_wkt(g):
    """WKT with Z and M (shapely cannot write M): every vertex gets z=5, m=7."""
    parts = ["((" + ", ".join(f"{x} {y} 5 7" for x, y in shapely.get_coordinates(p.exterior)) + "))"
             for p in shapely.get_parts(g)]
    return "MULTIPOLYGON ZM (" + ", ".join(parts) + ")"


def write_layer(path, layer, geoms, fields, crs, geometry_type="MultiPolygon"):
    wkb = [shapely.to_wkb(g) for g in geoms]
    names = list(fields)
    ogr_write(str(path), np.array(wkb, dtype=object), [np.asarray(fields[n]) for n in names], names,
              layer=layer, driver="GPKG", crs=crs, geometry_type=geometry_type, append=Path(path).exists())


@pytest.fixture
def town(tmp_path):
    path = tmp_path / "town.gpkg"
    write_layer(path, "divisions", [_shift(g) for _, g in DIVISIONS],
                {"code": np.array([c for c, _ in DIVISIONS], dtype=object)}, GK_PREFIXED, "Polygon")
    ids = sorted(BUILDINGS)
    write_layer(path, "buildings", [_shift(BUILDINGS[i][0]) for i in ids],
                {"id": np.array(ids, dtype=np.int64), "year": np.full(len(ids), 2020, dtype=np.int64)},
                GK_PREFIXED)
    return path


def job(tmp_path, buildings, divisions, **kw):
    kw.setdefault("output", str(tmp_path / "out" / "coded.gpkg"))
    kw.setdefault("registry", str(tmp_path / "out" / "registry.sqlite"))
    kw.setdefault("report", str(tmp_path / "out" / "report.json"))
    return AssignJob(buildings=buildings, divisions=divisions, division_field="code", year_field="year",
                     id_field="id", actor="tester", **kw)


def results(result):
    meta, _, _, fields = ogr_read(result.output, layer=result.output_layer)
    cols = dict(zip(meta["fields"], fields))
    return {int(i): (d, s) for i, d, s in zip(cols["id"], cols["division"], cols["cc_status"])}


def report_checks(result, kind):
    return [n for n in json.loads(Path(result.report).read_text("utf-8"))["input_checks"] if n["kind"] == kind]


# -- the division layer --------------------------------------------------------------------------------
def test_division_layer_gaps_overlaps_and_bad_codes_are_reported_with_where(tmp_path, town):
    res = run_assign(job(tmp_path, LayerInput(path=str(town), layer="buildings"),
                         LayerInput(path=str(town), layer="divisions")))
    got = results(res)
    for i, (_, division, status) in BUILDINGS.items():
        assert got[i] == (division, status), i

    gap, = report_checks(res, "gap")
    assert gap["area_m2"] == pytest.approx(200 * 200)
    assert 400 < gap["x"] - X0 < 600 and 400 < gap["y"] - Y0 < 600  # in the layer's own coordinates
    overlap, = report_checks(res, "overlap")
    assert overlap["area_m2"] == pytest.approx(100 * 1000)
    assert 1900 < overlap["x"] - X0 < 2000
    assert "340104002" in overlap["message"] and "340104003" in overlap["message"]
    bad, = report_checks(res, "division_code")
    assert "'3401'" in bad["message"] and "row 4" in bad["message"]
    assert res.counts["no_division_code"] == 1 and res.counts["outside"] == 1
    # the straddler's share is measured, not assumed
    meta, _, _, fields = ogr_read(res.output, layer=res.output_layer)
    cols = dict(zip(meta["fields"], fields))
    assert float(cols["div_share"][list(cols["id"]).index(6)]) == pytest.approx(0.75)


def test_multipart_with_z_and_m_is_coded_and_keeps_its_geometry(tmp_path, town):
    from qgis.core import QgsCoordinateTransformContext, QgsFeature, QgsVectorFileWriter, QgsVectorLayer
    mem = QgsVectorLayer("MultiPolygonZM?crs=" + GK_PREFIXED + "&field=id:integer&field=year:integer", "b", "memory")
    ids = sorted(BUILDINGS)
    features = []
    for i in ids:
        f = QgsFeature(mem.fields())
        f.setAttributes([i, 2020])
        f.setGeometry(QgsGeometry.fromWkt(_zm_wkt(_shift(BUILDINGS[i][0]))))
        features.append(f)
    assert mem.dataProvider().addFeatures(features)[0]
    path = tmp_path / "zm.gpkg"
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName, options.layerName = "GPKG", "buildings"
    err = QgsVectorFileWriter.writeAsVectorFormatV3(mem, str(path), QgsCoordinateTransformContext(), options)
    assert err[0] == QgsVectorFileWriter.WriterError.NoError, err
    res = run_assign(job(tmp_path, LayerInput(path=str(path), layer="buildings"),
                         LayerInput(path=str(town), layer="divisions")))
    assert results(res)[5] == ("340104002", "new")
    assert res.counts["empty"] == 0
    meta, _, wkb, _ = ogr_read(res.output, layer=res.output_layer)
    assert "Z" in meta["geometry_type"]
    assert shapely.get_num_geometries(shapely.from_wkb(wkb[ids.index(5)])) == 2


# -- coordinate systems --------------------------------------------------------------------------------
def _buildings_as(tmp_path, crs, dx=X0, dy=Y0, name="b.gpkg"):
    path = tmp_path / name
    ids = sorted(BUILDINGS)
    write_layer(path, "buildings", [_shift(BUILDINGS[i][0], dx, dy) for i in ids],
                {"id": np.array(ids, dtype=np.int64), "year": np.full(len(ids), 2020, dtype=np.int64)}, crs)
    return path


@pytest.mark.parametrize("declared, dx, found", [
    (None, X0, GK_PREFIXED),                 # no CRS at all, prefixed zone coordinates
    ("EPSG:4490", X0, GK_PREFIXED),          # declared geographic, but the numbers are Gauss-Krüger metres
    (None, X0 - 39_000_000, GK_PLAIN),       # no CRS, no zone prefix: the zone comes from the division layer
])
def test_missing_or_wrong_crs_is_inferred_and_said(tmp_path, town, declared, dx, found):
    path = _buildings_as(tmp_path, declared, dx=dx)
    res = run_assign(job(tmp_path, LayerInput(path=str(path), layer="buildings"),
                         LayerInput(path=str(town), layer="divisions")))
    assert {i: v for i, v in results(res).items()} == {i: (d, s) for i, (_, d, s) in BUILDINGS.items()}
    assumed, = report_checks(res, "crs_assumed")
    assert found in assumed["message"]


def test_a_crs_that_cannot_be_told_stops_the_job_and_keeps_everything(tmp_path, town):
    good = job(tmp_path, LayerInput(path=str(town), layer="buildings"), LayerInput(path=str(town), layer="divisions"))
    run_assign(good)
    before_registry = registry_dump(good.registry)
    before_output = Path(good.output).read_bytes()

    local = _buildings_as(tmp_path, None, dx=0, dy=0, name="local.gpkg")  # a local grid: no CRS fits
    with pytest.raises(EngineError) as err:
        run_assign(job(tmp_path, LayerInput(path=str(local), layer="buildings"),
                       LayerInput(path=str(town), layer="divisions")))
    assert "CRS" in str(err.value) and "nothing was changed" in str(err.value)
    assert registry_dump(good.registry) == before_registry
    assert Path(good.output).read_bytes() == before_output

    # the user's own choice of CRS is taken as is (here: the right one); the copy is told it is the same dataset
    res = run_assign(job(tmp_path, LayerInput(path=str(_buildings_as(tmp_path, None, name="c.gpkg")),
                                              layer="buildings", crs_wkt=_wkt(GK_PREFIXED)),
                         LayerInput(path=str(town), layer="divisions"), output=str(tmp_path / "o2.gpkg"),
                         namespace="file:{}|buildings".format(Path(town).resolve())))
    assert not report_checks(res, "crs_assumed")
    assert results(res)[1] == ("340104001", "existing")


def _wkt(authid):
    from pyproj import CRS
    return CRS.from_user_input(authid).to_wkt()


# -- web-map datums ------------------------------------------------------------------------------------
def test_buildings_drawn_on_a_gcj02_map_are_placed_where_they_really_are(tmp_path, town):
    to_lonlat = Transformer.from_crs(GK_PREFIXED, "EPSG:4490", always_xy=True)
    ids = sorted(BUILDINGS)
    true_lonlat = [shapely.transform(_shift(BUILDINGS[i][0]), lambda xy: np.column_stack(
        to_lonlat.transform(xy[:, 0], xy[:, 1]))) for i in ids]
    gcj = datums.convert_geometries(np.array(true_lonlat, dtype=object), datums.CGCS2000, datums.GCJ02)
    path = tmp_path / "gcj.gpkg"
    write_layer(path, "buildings", list(gcj), {"id": np.array(ids, dtype=np.int64),
                                                "year": np.full(len(ids), 2020, dtype=np.int64)}, "EPSG:4326")
    # as labelled (WGS84), the buildings land hundreds of metres off: some in the wrong division
    naive = run_assign(job(tmp_path, LayerInput(path=str(path), layer="buildings"),
                           LayerInput(path=str(town), layer="divisions"), output=str(tmp_path / "naive.gpkg"),
                           registry=str(tmp_path / "naive.sqlite")))
    assert results(naive) != {i: (d, s) for i, (_, d, s) in BUILDINGS.items()}

    res = run_assign(job(tmp_path, LayerInput(path=str(path), layer="buildings", datum="gcj02"),
                         LayerInput(path=str(town), layer="divisions")))
    assert results(res) == {i: (d, s) for i, (_, d, s) in BUILDINGS.items()}
    note, = report_checks(res, "datum")
    assert "GCJ02" in note["message"]
    # the output holds the corrected geometry (CGCS2000), within a centimetre of the truth
    meta, _, wkb, _ = ogr_read(res.output, layer=res.output_layer)
    back = Transformer.from_crs("EPSG:4490", GK_PREFIXED, always_xy=True)
    for k, i in enumerate(ids):
        got = shapely.transform(shapely.from_wkb(wkb[k]),
                                lambda xy: np.column_stack(back.transform(xy[:, 0], xy[:, 1])))
        assert shapely.hausdorff_distance(got, _shift(BUILDINGS[i][0])) < 0.01


def test_overlay_check_settles_crs_and_datum_too(tmp_path, town):
    path = _buildings_as(tmp_path, None)
    res = run_overlay(OverlayJob(buildings=LayerInput(path=str(path), layer="buildings"),
                                 planning=[LayerInput(path=str(town), layer="divisions", name="div")],
                                 output=str(tmp_path / "ov.gpkg"), report=str(tmp_path / "ov.json")))
    assert report_checks(res, "crs_assumed")
    meta, _, _, fields = ogr_read(res.output, layer=res.output_layer)
    cols = dict(zip(meta["fields"], fields))
    by_id = dict(zip(cols["id"].tolist(), cols["div_area"].tolist()))
    assert by_id[2] == 0 and by_id[1] == pytest.approx(400)  # in the hole / wholly inside


def test_processing_takes_the_datum_and_reports_the_checks(tmp_path, town, citycode_processing):
    import processing
    to_lonlat = Transformer.from_crs(GK_PREFIXED, "EPSG:4490", always_xy=True)
    ids = sorted(BUILDINGS)
    bd = datums.convert_geometries(np.array([shapely.transform(_shift(BUILDINGS[i][0]), lambda xy: np.column_stack(
        to_lonlat.transform(xy[:, 0], xy[:, 1]))) for i in ids], dtype=object), datums.CGCS2000, datums.BD09)
    path = tmp_path / "bd.gpkg"
    write_layer(path, "buildings", list(bd), {"id": np.array(ids, dtype=np.int64),
                                               "year": np.full(len(ids), 2020, dtype=np.int64)}, "EPSG:4326")
    out = processing.run("citycode:assigncodes", {
        "BUILDINGS": f"{path}|layername=buildings", "DIVISIONS": f"{town}|layername=divisions",
        "DIVISION_FIELD": "code", "YEAR_FIELD": "year", "ID_FIELD": "id", "BUILDINGS_DATUM": "bd09",
        "REGISTRY": str(tmp_path / "r.sqlite"), "OUTPUT": str(tmp_path / "p.gpkg"),
        "REPORT": str(tmp_path / "p.json")})
    meta, _, _, fields = ogr_read(str(tmp_path / "p.gpkg"))
    cols = dict(zip(meta["fields"], fields))
    got = {int(i): (d, s) for i, d, s in zip(cols["id"], cols["division"], cols["cc_status"])}
    assert got == {i: (d, s) for i, (_, d, s) in BUILDINGS.items()}
    kinds = {n["kind"] for n in json.loads(Path(out["REPORT"]).read_text("utf-8"))["input_checks"]}
    assert {"datum", "gap", "overlap", "division_code"} <= kinds
