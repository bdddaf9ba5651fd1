"""Building parts (plugin/core/engine/building_parts.py) in assigncodes: OSM building:part polygons inside
their building, or parts naming their building in a parent field,
coded as units of the building or reported, as chosen."""
import json
from pathlib import Path

import pytest
from osgeo import ogr

from citycode.plugin.core.engine.assign import AssignJob, LayerInput, run_assign
from citycode.plugin.core.engine.jobs import EngineError
from citycode.plugin.core.codes.profiles import load_profile
from feedback import Log

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = str(ROOT / "resources" / "sample" / "sample_town.gpkg")
HOSTS = (1, 2, 3)        # sample building ids that get two parts each
ORPHAN_ID = 900099       # a part far from every building


def write_with_parts(path, field="building:part", parent_field=None):
    """The sample buildings plus, for each of HOSTS, two parts inside it (its outline shrunk by 1 m and 2 m),
    and one part on open ground; `field` = "yes" on the parts (OSM), or `parent_field` = the building's id."""
    sample = ogr.Open(SAMPLE)  # kept: its layer dies with it
    src = sample.GetLayerByName("buildings")
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    out = ds.CreateLayer("buildings", src.GetSpatialRef(), ogr.wkbMultiPolygon)
    for i in range(src.GetLayerDefn().GetFieldCount()):
        out.CreateField(src.GetLayerDefn().GetFieldDefn(i))
    out.CreateField(ogr.FieldDefn(parent_field or field, ogr.OFTString))
    defn = out.GetLayerDefn()
    hosts = {}
    for f in src:
        g = ogr.Feature(defn)
        g.SetFrom(f)
        out.CreateFeature(g)
        if f.GetField("id") in HOSTS:
            hosts[f.GetField("id")] = f.GetGeometryRef().Clone()
    k = 900000
    for host_id, geom in sorted(hosts.items()):
        for shrink in (1.0, 2.0):
            k += 1
            part = ogr.Feature(defn)
            part.SetGeometry(ogr.ForceToMultiPolygon(geom.Buffer(-shrink)))
            part.SetField("id", k)
            part.SetField("year", 2020)
            part.SetField(parent_field or field, str(host_id) if parent_field else "yes")
            out.CreateFeature(part)
    env = hosts[HOSTS[0]].GetEnvelope()
    alone = ogr.Feature(defn)
    alone.SetGeometry(ogr.CreateGeometryFromWkt("MULTIPOLYGON ((({x} {y}, {x2} {y}, {x2} {y2}, {x} {y})))".format(
        x=env[0] - 60, y=env[2] - 60, x2=env[0] - 50, y2=env[2] - 50)))
    alone.SetField("id", ORPHAN_ID)
    alone.SetField(parent_field or field, "999999" if parent_field else "yes")
    out.CreateFeature(alone)
    ds = None
    return str(path)


def run(tmp, buildings, **kw):
    log = Log()
    result = run_assign(AssignJob(
        buildings=LayerInput(path=buildings, layer="buildings"), divisions=LayerInput(path=SAMPLE, layer="divisions"),
        id_field="id", year_field="year", default_year=2024, output=str(tmp / "coded.gpkg"),
        registry=str(tmp / "registry.sqlite"), actor="tester", **kw), log)
    ds = ogr.Open(result.output)  # noqa: F841 - kept while its layer is read
    rows = {f.GetField("id"): (f.GetField("citycode"), f.GetField("cc_status")) for f in ds.GetLayer(0)}
    return result, rows, log


@pytest.fixture(scope="module")
def plain(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("plain")
    return run(tmp, SAMPLE)[1]


def test_osm_parts_are_coded_as_units_of_their_building(tmp_path, plain):
    result, rows, log = run(tmp_path, write_with_parts(tmp_path / "osm.gpkg"))
    profile = load_profile("building")
    for host in HOSTS:
        host_code = rows[host][0]
        assert host_code == plain[host][0]  # the buildings keep the codes they get without parts
        def building_of(code):  # division, year, sequence
            return {k: v for k, v in profile.parse(code).items() if k not in ("unit", "check")}
        parts = sorted(c for i, (c, s) in rows.items() if s == "part_unit" and building_of(c) == building_of(host_code))
        assert [profile.parse(c)["unit"] for c in parts] == ["00001", "00002"]
        assert all(profile.validate(c) == [] for c in parts)
    assert sum(s == "part_unit" for _, s in rows.values()) == 6
    assert rows[ORPHAN_ID] == (None, "part")
    assert {i: r for i, r in rows.items() if i < 900000} == plain  # nothing else changed
    assert result.counts["parts"] == 7 and result.counts["part_units"] == 6
    assert result.counts["failed"] == sum(1 for c, _ in plain.values() if c is None)
    said = [line for line in log.lines if "7 building parts" in line]
    assert said and "6 coded as units" in said[0] and "1 without a building" in said[0]


def test_parts_reported_and_left_uncoded_when_chosen(tmp_path, plain):
    result, rows, log = run(tmp_path, write_with_parts(tmp_path / "osm.gpkg"), parts="report")
    assert all(rows[i] == (None, "part") for i in rows if i > 900000)
    assert {i: r for i, r in rows.items() if i < 900000} == plain
    assert result.counts["parts"] == 7 and result.counts["part_units"] == 0
    assert any("left uncoded, as chosen" in line for line in log.lines)


def test_parts_named_by_a_parent_field(tmp_path, plain):
    result, rows, _ = run(tmp_path, write_with_parts(tmp_path / "parent.gpkg", parent_field="parent"),
                          parts_field="parent")
    assert sum(s == "part_unit" for c, s in rows.values()) == 6
    assert rows[ORPHAN_ID] == (None, "part")  # names a building that is not there


def test_parent_field_needs_the_identity_field(tmp_path):
    buildings = write_with_parts(tmp_path / "parent.gpkg", parent_field="parent")
    with pytest.raises(EngineError, match="identity field"):
        run_assign(AssignJob(buildings=LayerInput(path=buildings, layer="buildings"),
                             divisions=LayerInput(path=SAMPLE, layer="divisions"), parts_field="parent",
                             output=str(tmp_path / "coded.gpkg"), registry=str(tmp_path / "registry.sqlite")))
    assert not (tmp_path / "coded.gpkg").exists() and not (tmp_path / "registry.sqlite").exists()


def test_layers_without_parts_are_untouched(plain):
    assert not any(s.startswith("part") for _, s in plain.values())


def test_assigncodes_parameter(citycode_processing, tmp_path):
    import processing
    buildings = write_with_parts(tmp_path / "osm.gpkg")
    for choice, units in (("units", 6), ("report", 0)):
        result = processing.run("citycode:assigncodes", {
            "BUILDINGS": buildings + "|layername=buildings", "DIVISIONS": SAMPLE + "|layername=divisions",
            "ID_FIELD": "id", "PARTS": choice, "REGISTRY": str(tmp_path / (choice + ".sqlite")),
            "OUTPUT": str(tmp_path / (choice + ".gpkg"))})
        counts = json.loads(result["COUNTS"])
        assert counts["parts"] == 7
        ds = ogr.Open(result["OUTPUT"].split("|")[0])  # noqa: F841 - kept while its layer is read
        statuses = [f.GetField("cc_status") for f in ds.GetLayer(0) if f.GetField("id") > 900000]
        assert (statuses.count("part_unit"), statuses.count("part")) == (units, 7 - units)


def test_shipped_osm_sample(tmp_path):
    """resources/sample/osm_buildings_with_parts.geojson (made by scripts/make_sample_web_data.py): WGS84 lon/lat
    buildings with building:part polygons inside 8 of them, coded against the sample's divisions."""
    osm = str(ROOT / "resources" / "sample" / "osm_buildings_with_parts.geojson")
    log = Log()
    result = run_assign(AssignJob(
        buildings=LayerInput(path=osm), divisions=LayerInput(path=SAMPLE, layer="divisions"), id_field="id",
        default_year=2024, output=str(tmp_path / "coded.gpkg"), registry=str(tmp_path / "registry.sqlite"),
        actor="tester"), log)
    assert result.counts["parts"] == 16 and result.counts["part_units"] == 16
    assert result.counts["coded"] == result.counts["total"] - 16
    ds = ogr.Open(result.output)  # noqa: F841 - kept while its layer is read
    rows = {f.GetField("id"): f.GetField("citycode") for f in ds.GetLayer(0)}
    profile = load_profile("building")
    for host in range(1, 9):
        units = sorted(profile.parse(rows[900000 + 10 * host + k])["unit"] for k in (0, 1))
        assert units == ["00001", "00002"]
        assert rows[900000 + 10 * host][:-6] == rows[1000 + host][:-6]  # the building's code but unit and check


def test_report_names_the_parts(tmp_path):
    buildings = write_with_parts(tmp_path / "osm.gpkg")
    run_assign(AssignJob(buildings=LayerInput(path=buildings, layer="buildings"),
                         divisions=LayerInput(path=SAMPLE, layer="divisions"), id_field="id", default_year=2024,
                         output=str(tmp_path / "coded.gpkg"), registry=str(tmp_path / "registry.sqlite"),
                         report=str(tmp_path / "report.html"), actor="tester"))
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "Building parts coded as units of their building</td><td>6<" in html
    assert "7 building parts (OSM building:part)" in html
