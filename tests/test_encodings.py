"""Text encodings of real Chinese data (plugin/core/china/encodings.py, the encoding parts of core/layers.py and
citycode:repairtext).

Fixtures are written here the way such files come about: GDAL writes GBK text (pyogrio, encoding="GBK"),
then the .cpg is deleted and the dBase code page byte (LDID, offset 29) set as ArcGIS on Chinese Windows
leaves it (0x4D = CP936, 0x57 = "system code page", 0 = none). Garbled copies are made by reading the GBK
bytes as Latin-1 / cp1252 and saving as UTF-8. The truth is always the Chinese text the fixture started from.
"""
import os
from pathlib import Path

import numpy as np
import pytest
import shapely
from pyogrio.raw import read as ogr_read, write as ogr_write

from citycode.plugin.core.china import encodings
from citycode.plugin.core.engine import layer_writer, layers
from citycode.plugin.core.engine.assign import AssignJob, LayerInput, run_assign
from citycode.plugin.core.speedups import ARROW_WRITE_OK

X0, Y0 = 38_500_000.0, 4_400_000.0
NAMES = ["城关镇幸福路12号楼", "东门街道综合楼", "包河区人民医院", "蜀山区第一中学"]
ADDRESSES = ["合肥市蜀山区", "合肥市包河区", "芜湖市镜湖区", "安庆市迎江区"]
FIELDS = ["名称", "地址"]

def boxes(n):
    return shapely.to_wkb(np.array([shapely.box(X0 + 20 * i, Y0, X0 + 20 * i + 10, Y0 + 10) for i in range(n)],
                                   dtype=object))


def write_shp(path, columns, encoding, ids=None):
    """A polygon shapefile with text columns {name: values} (and an integer id), in `encoding` (GDAL writes
    the .cpg); returns the path as str."""
    n = len(next(iter(columns.values())))
    names = list(columns) + ["id"]
    values = [np.array(v, dtype=object) for v in columns.values()] + [np.array(ids or range(1, n + 1))]
    ogr_write(str(path), boxes(n), values, names, driver="ESRI Shapefile", geometry_type="Polygon",
              crs="EPSG:4526", encoding=encoding)
    return str(path)


def strip_cpg(shp, ldid):
    """Delete the .cpg and set the dBase LDID byte: what ArcGIS on Chinese Windows leaves."""
    os.remove(os.path.splitext(shp)[0] + ".cpg")
    with open(os.path.splitext(shp)[0] + ".dbf", "r+b") as f:
        f.seek(29)
        f.write(bytes([ldid]))
    return shp


def gbk_shapefile(folder, ldid, name="房屋建筑.shp"):
    Path(folder).mkdir(parents=True, exist_ok=True)
    return strip_cpg(write_shp(Path(folder) / name, dict(zip(FIELDS, (NAMES, ADDRESSES))), "GBK"), ldid)


def as_latin1(text):
    """GBK bytes read as ISO-8859-1: what GDAL shows for a GBK shapefile without .cpg or LDID."""
    return text.encode("gbk").decode("latin-1")


def as_cp1252(text):
    """GBK bytes read as Windows-1252 (undefined bytes kept as U+0080-U+009F, as Windows does)."""
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in text.encode("gbk"))


def read_back(path):
    meta, _, _, values = ogr_read(str(path))
    return dict(zip(meta["fields"].tolist(), [v.tolist() for v in values]))


def qgis_read_back(path):
    from qgis.core import QgsVectorLayer
    layer = QgsVectorLayer(str(path), "check", "ogr")
    assert layer.isValid()
    names = [f.name() for f in layer.fields()]
    rows = [f.attributes() for f in layer.getFeatures()]
    return {n: [r[i] for r in rows] for i, n in enumerate(names)}


# -- detection ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("ldid", [0, 0x57])
def test_gbk_without_cpg_or_code_page_is_found_from_the_text(tmp_path, ldid):
    shp = gbk_shapefile(tmp_path, ldid)
    found = encodings.detect_encoding(shp)
    assert found.encoding == "GB18030" and found.how == "content"
    assert found.sampled == found.records == len(NAMES) and found.undecodable == 0
    assert "房屋建筑.shp" in found.message and "GB18030" in found.message
    assert ("0x57" in found.message) == (ldid == 0x57)


@pytest.mark.parametrize("ldid, codepage", [(0x4D, "CP936"), (0x7A, "CP936"), (0x03, "CP1252")])
def test_code_page_byte_is_read(tmp_path, ldid, codepage):
    shp = strip_cpg(write_shp(tmp_path / "a.shp", {"name": ["plain", "ascii"]}, "UTF-8"), ldid)
    found = encodings.detect_encoding(shp)
    assert (found.encoding, found.how) == (codepage, "ldid")
    assert "0x{:02X}".format(ldid) in found.message


def test_gbk_with_code_page_byte(tmp_path):
    found = encodings.detect_encoding(gbk_shapefile(tmp_path, 0x4D))
    assert (found.encoding, found.how, found.undecodable) == ("CP936", "ldid", 0)


def test_utf8_without_cpg_is_found_from_the_text(tmp_path):
    shp = strip_cpg(write_shp(tmp_path / "u.shp", dict(zip(FIELDS, (NAMES, ADDRESSES))), "UTF-8"), 0)
    found = encodings.detect_encoding(shp)
    assert (found.encoding, found.how) == ("UTF-8", "content")


def test_cpg_is_trusted_and_checked(tmp_path):
    shp = write_shp(tmp_path / "c.shp", dict(zip(FIELDS, (NAMES, ADDRESSES))), "GBK")
    assert (encodings.detect_encoding(shp).encoding, encodings.detect_encoding(shp).how) == ("GBK", "cpg")
    # A .cpg copied from elsewhere that says UTF-8 over GBK text: the text decides, and the message says why.
    Path(shp).with_suffix(".cpg").write_text("UTF-8")
    found = encodings.detect_encoding(shp)
    assert (found.encoding, found.how) == ("GB18030", "content")
    assert "UTF-8" in found.message


def test_ascii_only_leaves_the_driver_alone(tmp_path):
    shp = strip_cpg(write_shp(tmp_path / "a.shp", {"name": ["North Gate", "East Road"]}, "UTF-8"), 0)
    found = encodings.detect_encoding(shp)
    assert (found.encoding, found.how) == (None, "ascii")


def test_detection_samples_large_files(tmp_path):
    n = 3000
    names = [NAMES[i % len(NAMES)] + str(i) for i in range(n)]
    shp = strip_cpg(write_shp(tmp_path / "big.shp", {"名称": names}, "GBK"), 0)
    found = encodings.detect_encoding(shp, sample=100)
    assert (found.sampled, found.records, found.encoding) == (100, n, "GB18030")
    assert "100 of 3000" in found.message


def test_cpg_labels():
    assert encodings.cpg_encoding("936") == "CP936"
    assert encodings.cpg_encoding(" UTF-8\r\n") == "UTF-8"
    assert encodings.cpg_encoding("65001") == "UTF-8"
    assert encodings.cpg_encoding("88591") == "ISO-8859-1"
    assert encodings.cpg_encoding("GB2312") == "GB2312"


# -- reading ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("ldid", [0, 0x57, 0x4D])
@pytest.mark.parametrize("engine", ["arrow", "qgis"])
def test_read_gbk_shapefile_with_chinese_names(tmp_path, qgis_app, ldid, engine):
    table = layers.read(LayerInput(path=gbk_shapefile(tmp_path, ldid)), engine=engine)
    assert table.field_order[:2] == FIELDS
    assert table.column("名称").tolist() == NAMES and table.column("地址").tolist() == ADDRESSES
    assert table.encoding_how == ("ldid" if ldid == 0x4D else "content") and table.encoding_note


def test_chosen_encoding_overrides_detection(tmp_path):
    shp = gbk_shapefile(tmp_path, 0)
    table = layers.read(LayerInput(path=shp, encoding="GBK"))
    assert (table.encoding, table.encoding_how) == ("GBK", "chosen")
    assert table.column("名称").tolist() == NAMES


# -- garbled and lost text ----------------------------------------------------------------------------------
def test_repair_double_encoded_text():
    garbled = [as_latin1(t) for t in NAMES] + [as_cp1252(t) for t in ADDRESSES] \
        + ["城市更新".encode("utf-8").decode("latin-1")]
    values, status = encodings.repair_texts(garbled)
    assert values.tolist() == NAMES + ADDRESSES + ["城市更新"]
    assert (status == encodings.REPAIRED).all()


def test_genuine_text_is_left_alone():
    genuine = ["城关镇", "Müller", "São Paulo", "Zürich Straße", "A-12", None, "", "王小明 (经理)", "100%"]
    values, status = encodings.repair_texts(genuine)
    assert values.tolist() == genuine
    assert (status == encodings.OK).all()


def test_lost_text_is_reported_not_repaired():
    lost = ["锟斤拷锟斤拷", "城关镇\ufffd\ufffd路", "??路12号", "王?明", as_latin1("城关") + "??"]
    values, status = encodings.repair_texts(lost + ["Is it?"])
    assert values.tolist() == lost + ["Is it?"]
    assert status.tolist() == [encodings.LOST] * len(lost) + [encodings.OK]


def test_repair_keeps_arrow_chunks_and_nulls():
    import pyarrow as pa
    chunked = pa.chunked_array([[as_latin1("东门"), None], ["ok", as_latin1("西门")]])
    values, status = encodings.repair_texts(chunked)
    assert values.tolist() == ["东门", None, "ok", "西门"]
    assert status.tolist() == [encodings.REPAIRED, encodings.OK, encodings.OK, encodings.REPAIRED]


def test_shapefile_field_names_fit_ten_bytes():
    names = ["房屋建筑名称", "房屋建筑地址", "name", "NAME", "生态保护红线_area", "id"]
    out = encodings.shapefile_field_names(names)
    assert out["name"] == "name" and out["id"] == "id"
    assert all(len(v.encode("utf-8")) <= 10 for v in out.values())
    assert len({v.lower() for v in out.values()}) == len(names)
    assert all(names[i].startswith(out[names[i]].split("_")[0]) for i in range(len(names)))


# -- writing -------------------------------------------------------------------------------------------------
WRITERS = {  # (ARROW_WRITE_OK, ARROW_OK, reader) -> pyogrio's Arrow writer, else OGR (after each reader)
    "arrow": (True, True, "arrow"), "ogr": (False, True, "gdal-arrow"), "ogr-qgis": (False, False, "qgis")}


@pytest.mark.parametrize("writer", list(WRITERS))
def test_every_written_shapefile_has_a_cpg(tmp_path, qgis_app, monkeypatch, writer):
    arrow_write, arrow, read_engine = WRITERS[writer]
    if arrow_write and not ARROW_WRITE_OK:
        pytest.skip("pyogrio's Arrow writer is not there (hidden, or its GDAL is older than 3.8)")
    table = layers.read(LayerInput(path=gbk_shapefile(tmp_path / "in", 0)), engine=read_engine)
    monkeypatch.setattr(layer_writer, "ARROW_WRITE_OK", arrow_write)
    monkeypatch.setattr(layers, "ARROW_OK", arrow)
    out = tmp_path / "输出" / "房屋建筑_结果.shp"
    out.parent.mkdir()
    extra = {"房屋建筑名称": np.array(["甲", None, "丙", "丁"], dtype=object)}
    renamed = layer_writer.write_layer(str(out), "结果", table, extra, None, "auto")
    assert out.with_suffix(".cpg").read_text().strip().upper() == "UTF-8"
    new_name = renamed["房屋建筑名称"]
    assert len(new_name.encode("utf-8")) <= 10 and "房屋建筑名称".startswith(new_name)
    for back in (read_back(out), qgis_read_back(out)):
        assert back["名称"] == NAMES and back["地址"] == ADDRESSES
        assert [v or None for v in back[new_name]] == ["甲", None, "丙", "丁"]


# -- the engine -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("engine", ["arrow", "qgis"])
def test_assign_keeps_chinese_names_of_gbk_shapefile(tmp_path, qgis_app, engine):
    shp = gbk_shapefile(tmp_path, 0x57, name="房屋建筑.shp")
    divisions = str(tmp_path / "divisions.gpkg")
    ogr_write(divisions, shapely.to_wkb(np.array([shapely.box(X0 - 10, Y0 - 10, X0 + 200, Y0 + 50)], dtype=object)),
              [np.array(["340104001"], dtype=object)], ["code"], layer="divisions", driver="GPKG", crs="EPSG:4526",
              geometry_type="Polygon")
    out = tmp_path / "out" / "编码结果.shp"
    result = run_assign(AssignJob(buildings=LayerInput(path=shp),
                                  divisions=LayerInput(path=divisions, layer="divisions"), output=str(out),
                                  id_field="id", default_year=2024, engine=engine,
                                  registry=str(tmp_path / "registry.sqlite"), actor="tester"))
    assert (result.counts["total"], result.counts["coded"]) == (len(NAMES), len(NAMES))
    assert out.with_suffix(".cpg").read_text().strip().upper() == "UTF-8"
    back = read_back(out)
    by_id = dict(zip([int(i) for i in back["id"]], back["名称"]))
    assert by_id == dict(zip(range(1, len(NAMES) + 1), NAMES))
    assert dict(zip([int(i) for i in back["id"]], back["地址"])) == dict(zip(range(1, len(NAMES) + 1), ADDRESSES))
    assert all(c and c.startswith("340104001") for c in back["citycode"])


# -- the algorithm ------------------------------------------------------------------------------------------
def run_repair(params):
    import processing
    return processing.run("citycode:repairtext", params)


def test_algorithm_repairs_double_encoded_shapefile(tmp_path, citycode_processing):
    garbled = {as_latin1("名称"): [as_latin1(NAMES[0]), as_cp1252(NAMES[1]), "锟斤拷锟斤拷", NAMES[3]],
               as_latin1("地址"): [ADDRESSES[0], "合肥市\ufffd\ufffd区", as_latin1(ADDRESSES[2]), ADDRESSES[3]]}
    shp = write_shp(tmp_path / "乱码.shp", garbled, "UTF-8")
    out = tmp_path / "修复.shp"
    result = run_repair({"INPUT": shp, "ENCODING": "auto", "OUTPUT": str(out)})
    assert (result["ENCODING_FOUND"], result["FOUND_BY"]) == ("UTF-8", "cpg")
    assert (result["REPAIRED"], result["LOST"]) == (3, 2)  # rows with a repaired value / with lost text
    assert out.with_suffix(".cpg").is_file()
    back = qgis_read_back(out)
    assert back["名称"] == [NAMES[0], NAMES[1], "锟斤拷锟斤拷", NAMES[3]]
    assert back["地址"] == [ADDRESSES[0], "合肥市\ufffd\ufffd区", ADDRESSES[2], ADDRESSES[3]]
    assert back["enc_status"] == ["repaired", "lost", "lost", "ok"]
    assert back["enc_fields"][0] == "repaired: 名称"
    assert back["enc_fields"][2] == "repaired: 地址; lost: 名称"


@pytest.mark.parametrize("encoding, found_by", [("auto", "content"), ("GBK", "chosen")])
def test_algorithm_reads_gbk_shapefile_given_as_layer(tmp_path, citycode_processing, encoding, found_by):
    from qgis.core import QgsVectorLayer
    shp = gbk_shapefile(tmp_path, 0)
    layer = QgsVectorLayer(shp, "房屋建筑", "ogr")
    out = tmp_path / "房屋建筑_utf8.gpkg"
    result = run_repair({"LAYER": layer, "ENCODING": encoding, "OUTPUT": str(out)})
    assert result["FOUND_BY"] == found_by and (result["REPAIRED"], result["LOST"]) == (0, 0)
    back = read_back(out)
    assert back["名称"] == NAMES and back["enc_status"] == ["ok"] * len(NAMES)


def test_algorithm_needs_one_input(tmp_path, citycode_processing):
    from qgis.core import QgsProcessingException
    with pytest.raises(QgsProcessingException):
        run_repair({"ENCODING": "auto", "OUTPUT": str(tmp_path / "x.gpkg")})


def test_algorithm_repairs_a_geopackage(tmp_path, citycode_processing):
    gpkg = str(tmp_path / "转换后.gpkg")
    ogr_write(gpkg, boxes(2), [np.array([as_latin1(NAMES[0]), "Müller"], dtype=object)], [as_latin1("名称")],
              layer="buildings", driver="GPKG", crs="EPSG:4526", geometry_type="Polygon")
    result = run_repair({"INPUT": gpkg, "ENCODING": "auto", "OUTPUT": str(tmp_path / "out.gpkg")})
    assert (result["ENCODING_FOUND"], result["FOUND_BY"], result["REPAIRED"]) == ("", "", 1)
    back = read_back(tmp_path / "out.gpkg")
    assert back["名称"] == [NAMES[0], "Müller"] and back["enc_status"] == ["repaired", "ok"]
