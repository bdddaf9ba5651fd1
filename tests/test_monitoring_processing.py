"""The monitoring-point algorithms run for real (processing.run) on the committed sample files
(resources/sample/monitoring_points.csv, dem.tif, observations.csv, thresholds.csv; made by
scripts/make_sample_monitoring.py). Every expectation is computed here from the sample files themselves
(csv module, regular expressions, the DEM's formula), not from the code under test.
"""
import csv
import importlib.util
import math
import re
import shutil
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "resources" / "sample"
POINTS_CSV = SAMPLE / "monitoring_points.csv"
DEM = SAMPLE / "dem.tif"
OBSERVATIONS_CSV = SAMPLE / "observations.csv"
THRESHOLDS_CSV = SAMPLE / "thresholds.csv"
GPKG = SAMPLE / "sample_town.gpkg"
NAMESPACE = "monitoring_points"  # what the coding run names the points' identities after (the file name)
DMS = re.compile(r"^(\d+)[度°](\d+)[分′](\d+(?:\.\d+)?)[秒″]$")


def _make_script():
    spec = importlib.util.spec_from_file_location("make_sample_monitoring",
                                                  ROOT / "scripts" / "make_sample_monitoring.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _csv(path):
    """[(line, row dict)] of a one-line-per-record CSV; the header is line 1."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        return [(i + 2, row) for i, row in enumerate(csv.DictReader(f))]


def _degrees(text):
    """Degrees of a cell as the sample writes them (decimal or d-m-s text); None when unreadable."""
    text = (text or "").strip()
    m = DMS.match(text)
    if m:
        d, mi, s = int(m.group(1)), int(m.group(2)), float(m.group(3))
        return d + mi / 60 + s / 3600 if mi < 60 and s < 60 else None
    try:
        return float(text)
    except ValueError:
        return None


def _layer_rows(path):
    from qgis.core import QgsVectorLayer
    layer = QgsVectorLayer(str(path), "out", "ogr")
    assert layer.isValid(), path
    names = layer.fields().names()
    return layer, [dict(zip(names, f.attributes()), _geometry=f.geometry()) for f in layer.getFeatures()]


def _null(value):
    return value is None or (hasattr(value, "isNull") and value.isNull())


@pytest.fixture()
def dem(tmp_path):
    """A copy of dem.tif: QGIS writes statistics beside a raster it loads (.aux.xml), not into the repository."""
    return str(shutil.copy(DEM, tmp_path / "dem.tif"))


@pytest.fixture(scope="module")
def imported(citycode_processing, tmp_path_factory):
    import processing
    out = tmp_path_factory.mktemp("points")
    result = processing.run("citycode:importpoints", {
        "INPUT": str(POINTS_CSV), "OUTPUT": str(out / "points.gpkg"), "PROBLEMS": str(out / "problems.csv")})
    return result, out


def test_import_points_counts_lines_and_coordinates(imported):
    result, out = imported
    rows = _csv(POINTS_CSV)
    broken = [line for line, r in rows if _degrees(r["经度"]) is None or _degrees(r["纬度"]) is None]
    assert len(broken) == 3  # the sample's empty latitude, "abc" and 75 minutes
    assert result["POINTS"] == len(rows) - 3 and result["NOT_IMPORTED"] == 3

    with open(out / "problems.csv", encoding="utf-8-sig", newline="") as f:
        problems = list(csv.DictReader(f))
    assert [int(p["line"]) for p in problems] == broken
    by_line = dict(rows)
    bad_column = {line: "经度" if _degrees(by_line[line]["经度"]) is None else "纬度" for line in broken}
    assert [(p["column"], p["value"]) for p in problems] == [(bad_column[line], by_line[line][bad_column[line]])
                                                             for line in broken]
    assert all(p["reason"] for p in problems)

    layer, features = _layer_rows(result["OUTPUT"])
    assert layer.crs().authid() == "EPSG:4490"
    assert sorted(f["src_line"] for f in features) == [line for line, _ in rows if line not in broken]
    for f in features:
        src = by_line[f["src_line"]]
        assert f["点位编号"] == src["点位编号"] and f["类型"] == src["类型"]
        # CGCS2000 in, CGCS2000 out: the degrees as written, whichever notation the row uses
        assert f["lon_cgcs"] == pytest.approx(_degrees(src["经度"]), abs=1e-9)
        assert f["lat_cgcs"] == pytest.approx(_degrees(src["纬度"]), abs=1e-9)
        point = f["_geometry"].asPoint()
        assert (point.x(), point.y()) == pytest.approx((f["lon_cgcs"], f["lat_cgcs"]), abs=1e-9)


def test_sample_rasters_matches_the_dem_formula(imported, dem, tmp_path):
    import processing
    from pyproj import Transformer
    script = _make_script()
    result = processing.run("citycode:samplerasters", {
        "INPUT": imported[0]["OUTPUT"], "RASTERS": [dem], "OUTPUT": str(tmp_path / "sampled.gpkg")})
    _, features = _layer_rows(result["OUTPUT"])
    lon = np.array([f["_geometry"].asPoint().x() for f in features])
    lat = np.array([f["_geometry"].asPoint().y() for f in features])
    x, y = Transformer.from_crs("EPSG:4490", script.CRS, always_xy=True).transform(lon, lat)
    dx, dy = (script.X1 - script.X0) / script.COLS, (script.Y1 - script.Y0) / script.ROWS
    cx = script.X0 + (np.floor((x - script.X0) / dx) + 0.5) * dx  # the centre of the cell each point is in
    cy = script.Y1 - (np.floor((script.Y1 - y) / dy) + 0.5) * dy
    in_hole = np.hypot(cx - script.HOLE[0], cy - script.HOLE[1]) <= script.HOLE[2]
    expected = np.round(script.dem_value(cx, cy), 2).astype(np.float32)
    assert in_hole.sum() >= 3
    for f, hole, value in zip(features, in_hole, expected):
        if hole:
            assert _null(f["dem"]) and f["dem_why"] == "nodata", f["点位编号"]
        else:
            assert f["dem"] == pytest.approx(float(value), abs=1e-4) and f["dem_why"] == "", f["点位编号"]
    assert result["MISSING"] == int(in_hole.sum()) and result["VALID"] == len(features) - int(in_hole.sum())


def test_sample_rasters_outside_and_no_geometry(citycode_processing, dem, tmp_path):
    import processing
    from qgis.core import QgsFeature, QgsGeometry, QgsPointXY, QgsVectorLayer
    layer = QgsVectorLayer("Point?crs=EPSG:4527&field=name:string", "pts", "memory")
    features = []
    for name, xy in (("in", (39523000.0, 3524000.0)), ("far", (39600000.0, 3524000.0)), ("none", None)):
        f = QgsFeature(layer.fields())
        f.setAttributes([name])
        if xy:
            f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(*xy)))
        features.append(f)
    assert layer.dataProvider().addFeatures(features)[0]
    result = processing.run("citycode:samplerasters", {
        "INPUT": layer, "RASTERS": [dem], "BANDS": "1", "OUTPUT": str(tmp_path / "s.gpkg")})
    _, rows = _layer_rows(result["OUTPUT"])
    why = {r["name"]: r["dem_why"] for r in rows}
    assert why == {"in": "", "far": "outside", "none": "no_geometry"}
    script = _make_script()
    dx, dy = (script.X1 - script.X0) / script.COLS, (script.Y1 - script.Y0) / script.ROWS
    cx = script.X0 + (math.floor((39523000.0 - script.X0) / dx) + 0.5) * dx
    cy = script.Y1 - (math.floor((script.Y1 - 3524000.0) / dy) + 0.5) * dy
    assert next(r["dem"] for r in rows if r["name"] == "in") == pytest.approx(
        round(float(script.dem_value(cx, cy)), 2), abs=1e-4)
    assert (result["VALID"], result["MISSING"]) == (1, 2)


# -- observations ---------------------------------------------------------------------------------------------
VALUE = re.compile(r"^(<)?(\d+(?:\.\d+)?)$")


@pytest.fixture()
def coded(citycode_processing, tmp_path_factory):
    """The sample points coded into a fresh registry (by the lead's core); (registry, {point id: code})."""
    import pyogrio.raw
    from citycode.plugin.core.engine.layers import LayerInput
    from citycode.plugin.core.points.monitoring import PointJob, run_points
    out = tmp_path_factory.mktemp("coded")
    registry = out / "registry.sqlite"
    result = run_points(PointJob(points=LayerInput(path=str(POINTS_CSV)),
                                 divisions=LayerInput(path=str(GPKG), layer="divisions"),
                                 output=str(out / "coded.gpkg"), kind_field="类型", id_field="点位编号",
                                 registry=str(registry)))
    meta, _, _, values = pyogrio.raw.read(result.output, layer=result.output_layer, read_geometry=False)
    table = dict(zip(meta["fields"], values))
    return registry, dict(zip(table["点位编号"], table["citycode"]))


def _expected_observations():
    """(good rows [(line, row, value, censored)], broken lines) of observations.csv."""
    good, broken = [], []
    for line, r in _csv(OBSERVATIONS_CSV):
        m = VALUE.match(r["监测值"].strip())
        if m:
            good.append((line, r, float(m.group(2)), m.group(1) or ""))
        else:
            broken.append(line)
    return good, broken


def test_import_observations_counts_reimport_and_exceedances(coded, tmp_path):
    import processing
    registry, codes = coded
    good, broken = _expected_observations()
    assert len(broken) == 1 and any(c == "<" for *_, c in good)
    params = {"INPUT": str(OBSERVATIONS_CSV), "REGISTRY": str(registry), "NAMESPACE": NAMESPACE,
              "THRESHOLDS": str(THRESHOLDS_CSV), "REPORT": str(tmp_path / "report.csv"),
              "EXCEEDANCES": str(tmp_path / "exceedances.csv")}
    first = processing.run("citycode:importobservations", params)
    assert (first["ADDED"], first["UNCHANGED"], first["CONFLICTS"], first["UNRESOLVED"], first["INVALID"]) == \
        (len(good), 0, 0, 0, 1)
    with open(tmp_path / "report.csv", encoding="utf-8-sig", newline="") as f:
        assert [int(r["line"]) for r in csv.DictReader(f)] == broken

    limits = {r["指标"]: float(r["上限"]) for _, r in _csv(THRESHOLDS_CSV)}
    over = {(codes[r["点位编号"]], r["点位编号"], r["监测项目"], r["监测时间"], line)
            for line, r, value, censored in good if censored != "<" and value > limits[r["监测项目"]]}
    assert over  # the sample has exceedances of both kinds
    assert {v for _, _, v, _, _ in over} == {"PM2.5", "噪声"}
    with open(tmp_path / "exceedances.csv", encoding="utf-8-sig", newline="") as f:
        written = list(csv.DictReader(f))
    assert {(r["编码(code)"], r["点位编号(key)"], r["指标(variable)"], r["时间(time)"][:10], int(r["行号(line)"]))
            for r in written} == over
    assert len(written) == len(over) == first["EXCEEDANCES_COUNT"]

    again = processing.run("citycode:importobservations", dict(params, THRESHOLDS=None))
    assert (again["ADDED"], again["UNCHANGED"], again["CONFLICTS"]) == (0, len(good), 0)
    assert again["EXCEEDANCES_COUNT"] == len(over)  # the file's exceedances, as stored


def test_import_observations_keys_codes_namespace_and_conflicts(coded, tmp_path):
    import processing
    registry, codes = coded
    good, _ = _expected_observations()
    line, row, value, _ = good[0]
    station = row["点位编号"]
    path = tmp_path / "more.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["点位编码", "监测时间", "监测项目", "监测值", "单位"])
        out.writerow([codes[station], "2024-06-01", "PM2.5", "20", "μg/m³"])   # a code: used as is
        out.writerow([station, "2024-06-01", "噪声", "50", "dB(A)"])            # an id: needs the namespace
        out.writerow([station, row["监测时间"], row["监测项目"], str(value + 1), row["单位"]])  # differs
    processing.run("citycode:importobservations", {"INPUT": str(OBSERVATIONS_CSV), "REGISTRY": str(registry),
                                                   "NAMESPACE": NAMESPACE})
    base = {"INPUT": str(path), "REGISTRY": str(registry), "ON_CONFLICT": "replace"}
    run = processing.run("citycode:importobservations", base)  # no namespace: ids are not found
    assert (run["ADDED"], run["UNRESOLVED"]) == (1, 2)
    run = processing.run("citycode:importobservations", dict(base, NAMESPACE=NAMESPACE))
    assert (run["ADDED"], run["UNCHANGED"], run["CONFLICTS"], run["UNRESOLVED"]) == (1, 1, 1, 0)

    out = tmp_path / "export.csv"
    exported = processing.run("citycode:exportobservations", {
        "REGISTRY": str(registry), "CODES": codes[station], "VARIABLES": row["监测项目"], "OUTPUT": str(out)})
    with open(out, encoding="utf-8-sig", newline="") as f:
        back = list(csv.DictReader(f))
    wanted = [r for _, r, _, _ in good if r["点位编号"] == station and r["监测项目"] == row["监测项目"]]
    extra = 1 if row["监测项目"] == "PM2.5" else 0  # the 2024-06-01 value added above
    assert exported["ROWS"] == len(back) == len(wanted) + extra
    assert {r["编码(code)"] for r in back} == {codes[station]}
    replaced = next(r for r in back if r["时间(time)"].startswith(row["监测时间"]))
    assert float(replaced["数值(value)"]) == pytest.approx(value + 1)


def test_export_observations_xlsx_and_errors(coded, tmp_path):
    import processing
    from osgeo import ogr
    from qgis.core import QgsProcessingException
    registry, codes = coded
    good, _ = _expected_observations()
    stations = sorted({r["点位编号"] for _, r, _, _ in good})[:2]
    processing.run("citycode:importobservations", {"INPUT": str(OBSERVATIONS_CSV), "REGISTRY": str(registry),
                                                   "NAMESPACE": NAMESPACE})
    path = tmp_path / "two.xlsx"
    result = processing.run("citycode:exportobservations", {
        "REGISTRY": str(registry), "CODES": "{}，\n{}".format(codes[stations[0]], codes[stations[1]]),
        "OUTPUT": str(path)})
    ds = ogr.Open(str(path))
    assert ds.GetLayer(0).GetFeatureCount() == result["ROWS"] == sum(r["点位编号"] in stations for _, r, _, _ in good)
    with pytest.raises(QgsProcessingException, match="not found"):
        processing.run("citycode:exportobservations", {
            "REGISTRY": str(tmp_path / "none.sqlite"), "OUTPUT": str(tmp_path / "x.csv")})
