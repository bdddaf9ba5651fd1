"""Division codes at every level (issue 15, item 1): 2/4/6-digit GB/T 2260 / DataV adcodes, 9-digit townships,
12-digit statistics codes — the level recognised from the data, the level's shipped profile chosen by auto,
codes of different levels kept apart in one registry, and messages that say what was found and what to choose.

Truth: the codes the tests write (the level of each is known by construction) and the profile layouts.
"""
import json
from pathlib import Path

import numpy as np
import pytest
import shapely
from pyogrio.raw import read as ogr_read, write as ogr_write

from citycode.plugin.core.china import division_levels as L
from citycode.plugin.core.engine.assign import AssignJob, LayerInput, run_assign
from citycode.plugin.core.engine.jobs import EngineError
from citycode.plugin.core.points.monitoring import PointJob, run_points
from citycode.plugin.core.codes.profiles import builtin_profiles, load_profile, match_profile
from citycode.plugin.core.registry.backends import open_registry

CGCS2000_GK39 = 4527  # 3° zone 39 with prefix: x ≈ 39 500 000


def _polygons_gpkg(path, layer, codes, field="adcode", size=1000.0, per_division=0, x0=39_500_000.0, y0=3_500_000.0):
    """A row of squares `size` m wide with their codes (divisions), or per_division buildings in each."""
    geoms, values = [], []
    for k, code in enumerate(codes):
        left = x0 + k * size
        if per_division:
            for j in range(per_division):
                x = left + 100 + j * 40
                geoms.append(shapely.box(x, y0 + 100, x + 20, y0 + 120))
                values.append("{}-{}".format(k, j))
        else:
            geoms.append(shapely.box(left, y0, left + size, y0 + size))
            values.append(code)
    ogr_write(str(path), layer=layer, geometry=shapely.to_wkb(np.array(geoms, dtype=object)),
              field_data=[np.array(values, dtype=object)], fields=[field if not per_division else "id"],
              geometry_type="Polygon", crs="EPSG:{}".format(CGCS2000_GK39), driver="GPKG", append=Path(path).exists())


def _job(tmp_path, codes, name="d", **kw):
    gpkg = tmp_path / "{}.gpkg".format(name)
    _polygons_gpkg(gpkg, "divisions", codes)
    _polygons_gpkg(gpkg, "buildings", codes, per_division=3)
    kw.setdefault("registry", str(tmp_path / "registry.sqlite"))
    return AssignJob(buildings=LayerInput(path=str(gpkg), layer="buildings"),
                     divisions=LayerInput(path=str(gpkg), layer="divisions"),
                     output=str(tmp_path / (name + "_out.gpkg")), division_field="adcode", id_field="id",
                     default_year=2024, actor="tester", report=str(tmp_path / (name + "_report.json")), **kw)


def _codes(result):
    meta, _, _, fields = ogr_read(result.output, layer=result.output_layer)
    cols = dict(zip(meta["fields"], fields))
    return [c for c in cols["citycode"].tolist() if c], cols["division"].tolist()


# -- the level of a code and of a layer ------------------------------------------------------------------
@pytest.mark.parametrize("code, length", [
    ("32", 2), ("320000", 2), ("3205", 4), ("320500", 4), ("320505", 6), ("441900", 4),
    ("320505001", 9), ("320505000", 6), ("320505001000", 9), ("320505001001", 12), ("110000000000", 2),
    ("000000", 0), ("32050", 0), ("32a505", 0), ("", 0), ("３２０５０５", 0)])
def test_level_of_a_code(code, length):
    assert L.level_length(code) == length


def test_each_level_has_its_building_and_point_profile_and_their_codes_never_collide():
    profiles = builtin_profiles()
    for length in L.LEVELS:
        for kind in ("building", "point"):
            p = L.profile_for_level(kind, length)
            assert p is not None and p.kind == kind and p.segment("division").length == length
    # one code of every shipped profile: each is recognised as its own profile and no two are equal
    division = {2: "32", 4: "3205", 6: "320505", 9: "320505001", 12: "320505001001"}
    codes = {}
    for name, p in profiles.items():
        d = division[p.segment("division").length]
        kind = "04" if p.segment("kind") else None
        codes[name] = p.compose(d, 2024, 1, kind=kind)
        assert match_profile(codes[name]).name == name, (name, codes[name])
        assert p.validate(codes[name]) == []
    assert len(set(codes.values())) == len(codes)
    # same length, told apart by their letters: a project code is no prefecture-level building code
    assert len(codes["project"]) == len(codes["building_prefecture"])
    building_lengths = [p.length for p in profiles.values() if p.kind == "building"]
    assert len(set(building_lengths)) == len(building_lengths)  # no building level shares a length


def test_auto_picks_the_level_and_says_so():
    found = L.resolve(["320505", "320506"] * 8, L.AUTO, "building", "adcode")
    assert found.profile.name == "building_county" and found.level == "county"
    assert "all 16 values have 6 digits: county level" in found.message and "building_county" in found.message

    found = L.resolve(["320500", "320400", "321000"], L.AUTO, "building", "adcode")  # DataV city list
    assert found.profile.name == "building_prefecture" and found.codes.tolist() == ["3205", "3204", "3210"]
    assert "prefecture level written in 6 digits" in found.message and "320500 → 3205" in found.message

    found = L.resolve(["320505001000", "320505002000"], L.AUTO, "building", "code")  # statistics codes
    assert found.profile.name == "building" and found.codes.tolist() == ["320505001", "320505002"]

    found = L.resolve(["320505001001", "320505001201"], L.AUTO, "building", "code")
    assert found.profile.name == "building_village" and found.level == "village"

    # a county-level entry among the counties (东莞 441900 in a Guangdong county list) stays a county code
    found = L.resolve(["440303", "441900", "442000"], L.AUTO, "building", "adcode")
    assert found.profile.name == "building_county" and found.codes.tolist() == ["440303", "441900", "442000"]

    # numbers from a float field; rows that are no code stay unusable, said in the message
    found = L.resolve([320505.0, None, "abc", 320506], L.AUTO, "point", "adcode")
    assert found.profile.name == "point_county" and found.codes.tolist() == ["320505", "", "", "320506"]
    assert "1 values are no division code (e.g. 'abc')" in found.message and "1 values are empty" in found.message

    # a shorter code in a township layer is not padded into a township
    found = L.resolve(["320505001", "320505002", "3401"], L.AUTO, "building", "code")
    assert found.codes.tolist() == ["320505001", "320505002", ""]


def test_what_does_not_fit_says_what_was_found_and_what_to_choose():
    with pytest.raises(ValueError) as e:
        L.resolve(["320505"] * 16, "building", "building", "adcode")
    assert "all 16 values have 6 digits: county level" in str(e.value)
    assert "Choose the profile building_county" in str(e.value) and "'320505'" not in str(e.value)
    with pytest.raises(ValueError) as e:
        L.resolve(["320505"] * 3, L.AUTO, "project", "adcode")
    assert "county level" in str(e.value) and "no shipped project profile" in str(e.value)
    with pytest.raises(ValueError) as e:
        L.resolve(["abc", None], L.AUTO, "building", "name")
    assert "No value of field 'name' is a division code" in str(e.value) and "2, 4, 6, 9 or 12" in str(e.value)
    with pytest.raises(ValueError) as e:  # townships written in 12 digits: the township profile is the one
        L.resolve(["320505001000"] * 2, "building_county", "building", "code")
    assert "township level written in 12 digits" in str(e.value) and "Choose the profile building " in str(e.value)
    # a profile of a longer division takes a 12-digit township code cut to 9, not a 6-digit one padded
    assert L.resolve(["320505001000"], "building", "building", "code").codes.tolist() == ["320505001"]


# -- the engine ------------------------------------------------------------------------------------------
def test_county_codes_are_coded_with_the_county_profile(tmp_path):
    counties = ["320505", "320506", "320507"]
    result = run_assign(_job(tmp_path, counties))
    codes, divisions = _codes(result)
    county = load_profile("building_county")
    assert len(codes) == 9 and all(county.validate(c) == [] for c in codes)
    assert sorted(set(divisions)) == counties and sorted({c[:6] for c in codes}) == counties
    report = json.loads(Path(result.report).read_text(encoding="utf-8"))
    assert report["inputs"]["profile"] == "building_county"
    level = [n for n in report["input_checks"] if n["kind"] == "division_level"]
    assert len(level) == 1 and "county level" in level[0]["message"]

    # the township profile chosen by hand: refused, saying what was found and what to choose; nothing stored
    with open_registry(str(tmp_path / "registry.sqlite")) as reg:
        before = reg.count()
    with pytest.raises(EngineError) as e:
        run_assign(_job(tmp_path, counties, name="again", profile="building"))
    assert "all 3 values have 6 digits: county level" in str(e.value) and "building_county" in str(e.value)
    with open_registry(str(tmp_path / "registry.sqlite")) as reg:
        assert reg.count() == before


def test_levels_share_a_registry_without_colliding(tmp_path):
    """The same area coded at three levels in one registry: three profiles, three sequences, no code twice."""
    runs = {"township": ["320505001", "320505002"], "prefecture": ["320500", "320400"],
            "statistics": ["320505001000", "320505002000"]}
    codes = {}
    for name, divisions in runs.items():
        codes[name], _ = _codes(run_assign(_job(tmp_path, divisions, name=name)))
    assert {c[:9] for c in codes["statistics"]} == {"320505001", "320505002"}
    assert all(match_profile(c).name == "building" for c in codes["township"] + codes["statistics"])
    assert all(match_profile(c).name == "building_prefecture" for c in codes["prefecture"])
    # statistics codes of the townships are the same divisions: their buildings are other features here
    # (another dataset), so they are numbered on in the township sequences, never issued twice
    everything = sum(codes.values(), [])
    assert len(everything) == len(set(everything)) == 18
    with open_registry(str(tmp_path / "registry.sqlite")) as reg:
        assert reg.count() == 18


def test_points_take_the_point_profile_of_the_divisions_level(tmp_path):
    gpkg = tmp_path / "d.gpkg"
    _polygons_gpkg(gpkg, "divisions", ["110101", "110102"], size=2000.0, x0=39_500_000.0, y0=4_400_000.0)
    from pyproj import Transformer
    lon, lat = Transformer.from_crs(CGCS2000_GK39, 4490, always_xy=True).transform(
        [39_500_500.0, 39_502_500.0], [4_400_500.0, 4_400_500.0])
    csv = tmp_path / "stations.csv"
    csv.write_text("站号,站名,经度,纬度\n54511,甲站,{:.6f},{:.6f}\n54512,乙站,{:.6f},{:.6f}\n".format(
        lon[0], lat[0], lon[1], lat[1]), encoding="utf-8")
    result = run_points(PointJob(points=LayerInput(path=str(csv)),
                                 divisions=LayerInput(path=str(gpkg), layer="divisions"),
                                 output=str(tmp_path / "points.gpkg"), division_field="adcode",
                                 registry=str(tmp_path / "registry.sqlite"), report=str(tmp_path / "points.json"),
                                 actor="tester"))
    codes, divisions = _codes(result)
    assert divisions == ["110101", "110102"] and len(codes) == 2
    assert all(match_profile(c).name == "point_county" and c[6:8] == "JC" for c in codes)
    report = json.loads(Path(result.report).read_text(encoding="utf-8"))
    assert report["inputs"]["profile"] == "point_county"


def test_assigncodes_algorithm_codes_adcode_districts_by_default(citycode_processing, tmp_path):
    """DataV/AMap district codes through citycode:assigncodes with its defaults: county-level codes; the
    township profile chosen by name is refused with what to choose."""
    import processing
    from qgis.core import QgsProcessingException, QgsVectorLayer
    job = _job(tmp_path, ["320505", "320506"])
    params = {"BUILDINGS": job.buildings.path + "|layername=buildings",
              "DIVISIONS": job.divisions.path + "|layername=divisions", "DIVISION_FIELD": "adcode",
              "ID_FIELD": "id", "DEFAULT_YEAR": 2024, "REGISTRY": job.registry, "OUTPUT": str(tmp_path / "out.gpkg")}
    result = processing.run("citycode:assigncodes", params)
    codes = [f["citycode"] for f in QgsVectorLayer(result["OUTPUT"]).getFeatures()]
    assert len(codes) == 6 and all(match_profile(c).name == "building_county" for c in codes)
    with pytest.raises(QgsProcessingException) as e:
        processing.run("citycode:assigncodes", dict(params, PROFILE="building", OUTPUT=str(tmp_path / "o2.gpkg")))
    assert "building_county" in str(e.value)
