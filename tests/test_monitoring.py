"""Monitoring points in one pass (core/monitoring.py, citycode:codepoints): import, code, place, sample.

Truths come from the fixture itself: divisions split at a known longitude, a raster whose value is a
formula of its cell, kinds named in the CSV; the import's own row handling is tested in test_point_import.
"""
import json
from pathlib import Path

import numpy as np
import pyogrio
import pyogrio.raw
import pytest
import shapely

from citycode.plugin.core.engine.layers import LayerInput
from citycode.plugin.core.points.monitoring import PointJob, point_kinds, run_points
from citycode.plugin.core.points.point_import import import_points
from citycode.plugin.core.codes.profiles import load_profile
from citycode.plugin.core.registry.backends import open_registry

MIXED = Path(__file__).parent / "data" / "points" / "mixed.csv"
WEST, EAST, SPLIT = "110101001", "110101002", 116.3
X0, Y0, RES = 115.5, 40.6, 0.01  # the raster: 120 x 100 cells of 0.01° from (115.5, 40.6) down


@pytest.fixture()
def beijing(tmp_path):
    """Two divisions split at 116.3°E in EPSG:4490, and a red line over the city centre."""
    gpkg = tmp_path / "beijing.gpkg"
    from pyogrio.raw import write
    boxes = [shapely.box(115, 39, SPLIT, 41), shapely.box(SPLIT, 39, 118, 41)]
    write(str(gpkg), shapely.to_wkb(np.array(boxes)), [np.array([WEST, EAST], dtype=object)], ["code"],
          layer="divisions", driver="GPKG", geometry_type="Polygon", crs="EPSG:4490")
    write(str(gpkg), shapely.to_wkb(np.array([shapely.box(116.3, 39.85, 116.5, 39.95)])),
          [np.array(["核心区红线"], dtype=object)], ["name"], layer="stbhhx", driver="GPKG",
          geometry_type="Polygon", crs="EPSG:4490", append=True)
    return gpkg


@pytest.fixture()
def dem(tmp_path):
    import rasterio
    from rasterio.transform import from_origin
    path = tmp_path / "dem.tif"
    rows, cols = np.mgrid[0:100, 0:120]
    values = (rows * 1000 + cols).astype("float32")
    values[0:10, :] = -9999  # the north strip (north of 40.5°N) has no data
    with rasterio.open(path, "w", driver="GTiff", width=120, height=100, count=1, dtype="float32",
                       crs="EPSG:4490", transform=from_origin(X0, Y0, RES, RES), nodata=-9999) as ds:
        ds.write(values, 1)
    return path


def _job(beijing, tmp_path, **kw):
    args = dict(points=LayerInput(path=str(MIXED)), divisions=LayerInput(path=str(beijing), layer="divisions"),
                output=str(tmp_path / "out" / "points.gpkg"), registry=str(tmp_path / "registry.sqlite"),
                report=str(tmp_path / "out" / "report.json"))
    args.update(kw)
    return PointJob(**args)


class _Layer:
    """An output layer read with pyogrio alone (no geopandas): columns as numpy arrays, x / y of the points."""

    def __init__(self, path):
        meta, _, wkb, values = pyogrio.raw.read(path)
        self.columns = list(meta["fields"])
        self._values = dict(zip(self.columns, values))
        points = shapely.from_wkb(wkb)
        self.x, self.y = shapely.get_x(points), shapely.get_y(points)

    def __getitem__(self, name):
        return np.asarray(self._values[name])

    def __len__(self):
        return len(self.x)


def _read(path):
    return _Layer(path)


def test_points_are_coded_placed_and_reported(beijing, tmp_path):
    truth = import_points(str(MIXED))
    result = run_points(_job(beijing, tmp_path, planning=[LayerInput(path=str(beijing), layer="stbhhx")]))
    df = _read(result.output)
    point = load_profile("point")
    assert len(df) == len(truth.lon) and result.counts["coded"] == len(df)
    assert result.counts["not_imported"] == len({p.line for p in truth.problems}) > 0
    expected_division = np.where(truth.lon < SPLIT, WEST, EAST)
    assert df["division"].tolist() == expected_division.tolist()
    for code, div in zip(df["citycode"], df["division"]):
        assert point.validate(code) == [] and code.startswith(div + "JC99")  # no kind field: default kind
    # sequences per division in source order, starting at 1
    for div in (WEST, EAST):
        seqs = [int(point.parse(c)["sequence"]) for c in df["citycode"][df["division"] == div]]
        assert seqs == list(range(1, len(seqs) + 1))
    inside = (truth.lon >= 116.3) & (truth.lon <= 116.5) & (truth.lat >= 39.85) & (truth.lat <= 39.95)
    assert df["stbhhx_in"].tolist() == inside.astype(int).tolist() and inside.any()
    assert np.allclose(df.x, truth.lon) and np.allclose(df["lat_cgcs"], truth.lat)
    assert df["src_line"].tolist() == truth.line.tolist()
    report = json.loads(Path(result.report).read_text(encoding="utf-8"))
    assert sorted(r["line"] for r in report["not_imported"]) == sorted(p.line for p in truth.problems)
    # a re-run issues nothing new and gives every point its code again
    again = run_points(_job(beijing, tmp_path, output=str(tmp_path / "again.gpkg")))
    assert again.counts["new"] == 0 and again.counts["existing"] == len(df)
    assert _read(again.output)["citycode"].tolist() == df["citycode"].tolist()


def test_raster_values_and_nodata_at_points(beijing, dem, tmp_path):
    result = run_points(_job(beijing, tmp_path, rasters=[str(dem)]))
    df = _read(result.output)
    col = np.floor((df.x - X0) / RES).astype(int)
    row = np.floor((Y0 - df.y) / RES).astype(int)
    on = (col >= 0) & (col < 120) & (row >= 10) & (row < 100)
    assert on.any() and (~on).any()
    assert np.allclose(df["dem"][on], row[on] * 1000 + col[on])
    assert np.isnan(df["dem"][~on].astype(float)).all()  # nodata strip and off the raster: null, never -9999
    assert result.counts["dem_missing"] == int((~on).sum())


def test_kinds_from_words_and_the_default(beijing, tmp_path):
    point = load_profile("point")
    kinds, defaulted, unknown = point_kinds(["空气", "04", "1号水质监测站", "未知", None], 5, point, "09")
    assert kinds.tolist() == ["04", "04", "03", "09", "09"] and defaulted.tolist() == [0, 0, 0, 1, 1]
    assert unknown == {"未知": 1}
    with pytest.raises(Exception, match="not one of"):
        point_kinds(None, 2, point, "77")
    csv = tmp_path / "kinds.csv"
    csv.write_text("编号,名称,类型,经度,纬度\n1,甲站,空气,116.2,39.9\n2,乙站,噪声,116.4,39.9\n3,丙站,雷达,116.45,39.9\n",
                   encoding="utf-8")
    result = run_points(_job(beijing, tmp_path, points=LayerInput(path=str(csv)), kind_field="类型",
                             id_field="编号"))
    df = _read(result.output)
    assert df["cc_kind"].tolist() == ["04", "11", "99"] and df["cc_flags"].tolist()[2] == "kind_default"
    assert [c[11:13] for c in df["citycode"]] == ["04", "11", "99"]
    with open_registry(result.registry) as reg:
        rec = reg.get(df["citycode"][0])
        assert rec.identity == "kinds:1" and rec.name == "甲站" and rec.profile == "point"


def test_a_point_layer_in_a_projected_crs(beijing, tmp_path, qgis_app):
    from qgis.core import QgsFeature, QgsGeometry, QgsPointXY, QgsVectorLayer
    from pyproj import Transformer
    layer = QgsVectorLayer("Point?crs=EPSG:4527&field=sid:integer&field=kind:string", "stations", "memory")
    to_gk = Transformer.from_crs("EPSG:4490", "EPSG:4527", always_xy=True)
    lonlat = [(116.2, 39.9), (116.4, 39.9)]
    feats = []
    for sid, (lon, lat) in enumerate(lonlat, 1):
        f = QgsFeature(layer.fields())
        f.setAttributes([sid, "水质"])
        f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(*to_gk.transform(lon, lat))))
        feats.append(f)
    layer.dataProvider().addFeatures(feats)
    result = run_points(_job(beijing, tmp_path, points=LayerInput(source=layer, name="stations"),
                             kind_field="kind", id_field="sid"))
    df = _read(result.output)
    assert df["division"].tolist() == [WEST, EAST] and df["cc_kind"].tolist() == ["03", "03"]
    assert np.allclose(df.x, [p[0] for p in lonlat], atol=1e-7)
    with open_registry(result.registry) as reg:
        assert reg.get(df["citycode"][1]).identity == "stations:2"


def test_codepoints_algorithm(beijing, dem, tmp_path, citycode_processing):
    import processing
    out = str(tmp_path / "coded.gpkg")
    result = processing.run("citycode:codepoints", {
        "INPUT_FILE": str(MIXED), "DIVISIONS": f"{beijing}|layername=divisions", "DIVISION_FIELD": "code",
        "RASTERS": [str(dem)], "PLANNING": [f"{beijing}|layername=stbhhx"], "DEFAULT_KIND": "08",
        "REGISTRY": str(tmp_path / "reg.sqlite"), "OUTPUT": out, "REPORT": str(tmp_path / "report.html")})
    truth = import_points(str(MIXED))
    assert result["CODED"] == len(truth.lon) and result["NOT_IMPORTED"] == len({p.line for p in truth.problems})
    df = _read(out)
    assert all(c[11:13] == "08" for c in df["citycode"]) and "dem" in df.columns
    html = Path(result["REPORT"]).read_text(encoding="utf-8")
    assert "Rows not imported" in html and str(truth.problems[0].line) in html
    from qgis.core import QgsProcessingException, QgsProcessingFeedback

    class Feedback(QgsProcessingFeedback):
        errors = []

        def reportError(self, error, fatalError=False):  # noqa: N802 (QGIS API name)
            self.errors.append(error)
    feedback = Feedback()
    with pytest.raises(QgsProcessingException):
        processing.run("citycode:codepoints", {"DIVISIONS": f"{beijing}|layername=divisions",
                                               "OUTPUT": str(tmp_path / "x.gpkg")}, feedback=feedback)
    assert any("either a points file or a point layer" in e for e in feedback.errors)


def test_point_form_codes_with_its_kind_and_charts_observations(tmp_path, qgis_iface):
    """The code form on a point layer: the kind comes from the point's own field, and once coded the point's
    observations are charted in its form."""
    import shutil
    from qgis.core import QgsProject, QgsVectorLayer
    from citycode.plugin.core.engine import feature_coding as fc
    from citycode.plugin.core.points.observation_series import ObservationBatch
    from citycode.plugin.core.points.observations import ObservationStore
    from citycode.plugin.gui.code_form import CodeForm
    sample = Path(__file__).parent.parent / "resources" / "sample" / "sample_town.gpkg"
    gpkg = tmp_path / "town.gpkg"
    shutil.copy(sample, gpkg)
    points = QgsVectorLayer(f"{gpkg}|layername=monitoring_points", "monitoring_points", "ogr")
    divisions = QgsVectorLayer(f"{gpkg}|layername=divisions", "divisions", "ogr")
    config = fc.CodingConfig(registry_path=str(tmp_path / "registry.sqlite"), division_layer=divisions,
                             division_field="code", planning_layers=[], actor="tester")
    QgsProject.instance().addMapLayers([points, divisions])
    feature = next(f for f in points.getFeatures() if f["kind"] == "空气")
    form = CodeForm(points, feature.id(), config, iface=qgis_iface)
    assert form.kind_combo.currentData() == "point" and form._point_kind() == "04"
    assert form.preview_code[9:13] == "JC04" and form.facts.division.found
    form.confirm = lambda text: True
    preview = form.preview_code
    form.assign_button.click()
    code = next(f for f in QgsVectorLayer(f"{gpkg}|layername=monitoring_points", "p", "ogr").getFeatures()
                if f["id"] == feature["id"])["citycode"]
    assert code == preview and code[:9] == form.facts.division.code
    with ObservationStore(config.registry_path) as store:
        batch = ObservationBatch(key=np.array([code] * 3), time=np.array(
            ["2024-05-01T00:00:00", "2024-05-02T00:00:00", "2024-05-03T00:00:00"]),
            variable=np.array(["PM2.5"] * 3), value=np.array([30.0, 90.0, 40.0]), unit=np.array(["μg/m³"] * 3),
            censored=np.array([""] * 3), line=np.array([2, 3, 4]))
        store.set_threshold("PM2.5", upper=75, unit="μg/m³", actor="tester")
        assert store.add(batch, "tester", "test", {code: code}).added == 3
    form.reload()
    titles = [form.tabs.tabText(i) for i in range(form.tabs.count())]
    assert "Observations" in titles
    form.tabs.setCurrentWidget(form.observations_page)
    form.resize(820, 640)
    form.show()
    form.grab().save(str(Path(__file__).parent.parent / "docs" / "screenshots" / "point_form_observations.png"))
    form.close()
    QgsProject.instance().removeAllMapLayers()  # the form closes with its layer, as in QGIS
