"""Multi-step mojibake, as real Chinese files carry it (issue 15, class 5): repaired by every reader
(layers.read under assigncodes and repairtext, the point imports), marked repaired only when the result is
plausible Chinese, and what cannot be repaired reported per field.

Each fixture is made the way such text comes about, from the Chinese it started as:
- GBK bytes read as Latin-1 (or cp1252) and saved as UTF-8; then a .cpg saying ISO-8859-1 put beside the
  UTF-8 bytes, so GDAL reads them as Latin-1 once more (the issue's shapefile);
- UTF-8 read as Latin-1 / cp1252 and saved again, once, twice or three times (double UTF-8);
- GBK read as UTF-8 with the undecodable bytes kept (surrogateescape: recoverable) or replaced (U+FFFD: lost).
Files are written with osgeo.ogr alone, so the tests run in stock QGIS too.
"""
import os

import numpy as np
import pytest

from citycode.plugin.core.china import encodings
from citycode.plugin.core.engine import layers
from citycode.plugin.core.engine.assign import AssignJob, LayerInput, run_assign
from feedback import Log

X0, Y0 = 38_500_000.0, 4_400_000.0
NAMES = ["城关镇幸福路12号楼", "东门街道综合楼", "包河区人民医院", "琤堃小区（二期）3栋", "镇"]


def as_latin1(text, encoding="gbk"):
    return text.encode(encoding).decode("latin-1")


def as_cp1252(text, encoding="gbk"):
    """Bytes read as Windows-1252, its 5 undefined bytes kept as U+0081 … (as Windows does)."""
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in text.encode(encoding))


def utf8_as_latin1(text, times):
    for _ in range(times):
        text = as_latin1(text, "utf-8")
    return text


GARBLINGS = {  # name -> how the text was garbled
    "gbk-latin1": as_latin1,
    "gbk-cp1252": as_cp1252,
    "gbk-latin1-latin1": lambda t: utf8_as_latin1(as_latin1(t), 1),
    "gbk-cp1252-cp1252": lambda t: as_cp1252(as_cp1252(t), "utf-8"),
    "utf8-latin1": lambda t: utf8_as_latin1(t, 1),
    "utf8-cp1252-cp1252": lambda t: as_cp1252(as_cp1252(t, "utf-8"), "utf-8"),
    "utf8-latin1-x3": lambda t: utf8_as_latin1(t, 3),
    "gbk-utf8-bytes-kept": lambda t: t.encode("gbk").decode("utf-8", "surrogateescape"),
}


def write_shp(path, columns, encoding="UTF-8", cpg=None):
    """A polygon shapefile with text columns {name: values} and an integer id, its text in `encoding`;
    `cpg`: the .cpg text put beside it afterwards (what another program left), None: GDAL's own."""
    from osgeo import osr
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4526)
    with layers.ShapeEncoding(encoding):  # QGIS sets SHAPE_ENCODING="" once it opened a shapefile: GDAL would
        _write_shp(path, columns, encoding, srs)  # then write UTF-8 bytes whatever ENCODING says
    if cpg is not None:
        with open(os.path.splitext(str(path))[0] + ".cpg", "w") as f:
            f.write(cpg)
    return str(path)


def _write_shp(path, columns, encoding, srs):
    from osgeo import ogr
    ds = ogr.GetDriverByName("ESRI Shapefile").CreateDataSource(str(path))
    layer = ds.CreateLayer(os.path.splitext(os.path.basename(str(path)))[0], srs, ogr.wkbPolygon,
                           ["ENCODING=" + encoding])
    for name in columns:
        field = ogr.FieldDefn(name, ogr.OFTString)
        field.SetWidth(200)
        layer.CreateField(field)
    layer.CreateField(ogr.FieldDefn("id", ogr.OFTInteger))
    n = len(next(iter(columns.values())))
    for i in range(n):
        f = ogr.Feature(layer.GetLayerDefn())
        for k, values in enumerate(columns.values()):
            if values[i] is not None:
                f.SetField(k, values[i])
        f.SetField("id", i + 1)
        x = X0 + 20 * i
        f.SetGeometry(ogr.CreateGeometryFromWkt(
            "POLYGON(({0} {1},{2} {1},{2} {3},{0} {3},{0} {1}))".format(x, Y0, x + 10, Y0 + 10)))
        layer.CreateFeature(f)
    ds = layer = None


def issue_shapefile(folder, name="房屋.shp"):
    """The issue's file: names in GBK, read as Latin-1 and saved as UTF-8, with a .cpg saying ISO-8859-1."""
    return write_shp(folder / name, {"name": [as_latin1(t) for t in NAMES], "addr": ["合肥市"] * len(NAMES)},
                     cpg="ISO-8859-1")


# -- repair of values ------------------------------------------------------------------------------------
@pytest.mark.parametrize("garbling", list(GARBLINGS))
def test_every_kind_of_mojibake_is_fully_repaired(garbling):
    garbled = [GARBLINGS[garbling](t) for t in NAMES]
    values, status = encodings.repair_texts(garbled)
    assert values.tolist() == NAMES
    assert (status == encodings.REPAIRED).all()


def test_a_half_repair_is_never_taken():
    """One step back from a two-step garbling is itself garbled ("³Ç¹ØÕò"): the repair goes on to the end."""
    twice = utf8_as_latin1(as_latin1("城关镇"), 1)
    once = as_latin1("城关镇")
    assert twice.encode("latin-1").decode("utf-8") == once  # the half repair of old
    assert encodings.repair_text(twice) == "城关镇"
    assert not encodings.plausible_chinese(once)


def test_utf8_read_as_gbk_one_step_back_is_not_taken():
    """UTF-8 bytes decode as GBK into common characters ("盲赂颅" for 中): UTF-8 is tried first, every step."""
    assert encodings.repair_text(as_cp1252(as_cp1252("中", "utf-8"), "utf-8")) == "中"
    assert encodings.repair_text(utf8_as_latin1("中学", 2)) == "中学"


def test_plausible_chinese():
    assert encodings.plausible_chinese("合肥市蜀山区（二期）3栋·南门")
    assert encodings.plausible_chinese("琤堃花园小区")      # rare characters, most of the text common
    assert not encodings.plausible_chinese("M黮ler")         # "Müller" decoded as GBK
    assert not encodings.plausible_chinese("Caf茅 ü")        # accented Latin left over
    assert not encodings.plausible_chinese("城关\ue000")      # private use
    assert not encodings.plausible_chinese("╔城关╗")          # box drawing
    assert not encodings.plausible_chinese("plain ascii")
    assert not encodings.plausible_chinese("Th殁tre")        # "Théâtre" decoded as GBK
    assert not encodings.plausible_chinese("浛洸镇") and encodings.plausible_chinese("浛洸镇", strict=False)


def test_european_text_and_its_double_utf8():
    genuine = ["Müller", "São Paulo", "Zürich Straße", "Ça va", "naïve façade", "Dvořák", "Москва", "100%"]
    values, status = encodings.repair_texts(genuine)
    assert values.tolist() == genuine and (status == encodings.OK).all()
    values, status = encodings.repair_texts([utf8_as_latin1(t, 1) for t in genuine[:6]])
    assert values.tolist() == genuine[:6] and (status == encodings.REPAIRED).all()


def test_european_text_is_not_taken_for_gbk():
    """Accented letters side by side are valid GBK ("Théâtre" decodes as "Th殁tre"): not Chinese, not repaired."""
    words = ["Théâtre", "THÉÂTRE", "Größe", "GRÖSSE", "Ääne", "MÜLLER", "crème brûlée", "Ærøskøbing"]
    values, status = encodings.repair_texts(words)
    assert values.tolist() == words and not (status == encodings.REPAIRED).any()
    # ... while Chinese with Latin letters beside it is repaired
    mixed = ["A栋", "B区3号楼", "A区B栋3单元", "CBD中心"]
    assert encodings.repair_texts([as_latin1(t) for t in mixed])[0].tolist() == mixed


def test_rare_characters():
    """Valid UTF-8 is evidence enough: rare characters come back. Decoded as GBK they must be common enough
    to tell from chance; 浛洸镇 (1 of 3 in GB2312) is then reported as garbled, never changed."""
    assert encodings.repair_texts([utf8_as_latin1("浛洸镇", 2)])[0].tolist() == ["浛洸镇"]
    values, status = encodings.repair_texts([as_latin1("浛洸镇")])
    assert values.tolist() == [as_latin1("浛洸镇")] and status.tolist() == [encodings.GARBLED]


def test_characters_lost_before_the_garbling_stay_lost():
    garbled = "湖?镇".encode("gbk").decode("latin-1")
    values, status = encodings.repair_texts([garbled])
    assert values.tolist() == ["湖?镇"] and status.tolist() == [encodings.LOST]


def test_what_cannot_be_repaired_is_reported_per_field():
    columns = {
        "name": [as_latin1(NAMES[0]), "Ã\x83Â¿Ã¿Ã¿Ã", NAMES[2], None],      # repaired, garbled, ok, null
        "addr": ["合肥市\ufffd\ufffd区", NAMES[0].encode("gbk").decode("utf-8", "replace"), "锟斤拷", "ok"],
        "code": ["3401", "3402", "3403", "3404"],
    }
    found = encodings.repair_columns(columns, list(columns), "房屋")
    assert columns["name"] == [NAMES[0], "Ã\x83Â¿Ã¿Ã¿Ã", NAMES[2], None]
    by_field = {f.field: f for f in found.fields}
    assert set(by_field) == {"name", "addr"}  # nothing in code
    assert (by_field["name"].repaired, by_field["name"].garbled, by_field["name"].lost) == (1, 1, 0)
    assert (by_field["addr"].repaired, by_field["addr"].garbled, by_field["addr"].lost) == (0, 0, 3)
    assert found.status["name"].tolist() == [encodings.REPAIRED, encodings.GARBLED, encodings.OK, encodings.OK]
    message = found.message
    assert message.startswith("房屋:") and "field name: 1 values repaired" in message
    assert "field addr: 3 values have characters lost for good" in message and "Ã\x83Â¿" in message


def test_arrow_columns_are_repaired_in_place():
    pa = pytest.importorskip("pyarrow")
    columns = {"name": pa.chunked_array([[as_latin1(NAMES[0])], [None, "ok"]])}
    found = encodings.repair_columns(columns, ["name"])
    assert columns["name"].to_pylist() == [NAMES[0], None, "ok"] and found.fields[0].repaired == 1


# -- a .cpg that lies ----------------------------------------------------------------------------------------
def test_cpg_saying_latin1_over_utf8_bytes_is_found(tmp_path):
    found = encodings.detect_encoding(issue_shapefile(tmp_path))
    assert (found.encoding, found.how) == ("UTF-8", "content")
    assert "ISO-8859-1" in found.message and "wrong" in found.message


def test_cpg_saying_latin1_over_gbk_bytes_is_found(tmp_path):
    shp = write_shp(tmp_path / "gbk.shp", {"name": NAMES}, encoding="GBK", cpg="ISO-8859-1")
    found = encodings.detect_encoding(shp)
    assert (found.encoding, found.how) == ("GB18030", "content") and "ISO-8859-1" in found.message
    assert layers.read(LayerInput(path=shp)).column("name").tolist() == NAMES


def test_a_true_latin1_cpg_is_kept(tmp_path):
    shp = write_shp(tmp_path / "de.shp", {"name": ["Müller", "Zürich Straße", "Ça va"]}, encoding="ISO-8859-1",
                    cpg="ISO-8859-1")
    found = encodings.detect_encoding(shp)
    assert (found.encoding, found.how) == ("ISO-8859-1", "cpg")
    table = layers.read(LayerInput(path=shp))
    assert table.column("name").tolist() == ["Müller", "Zürich Straße", "Ça va"] and not table.text_repair.fields


# -- every reader ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("engine", ["arrow", "gdal-arrow", "qgis"])
def test_reading_repairs_the_issue_shapefile(tmp_path, qgis_app, engine):
    table = layers.read(LayerInput(path=issue_shapefile(tmp_path)), engine=engine)
    assert table.column("name").tolist() == NAMES and table.column("addr").tolist() == ["合肥市"] * len(NAMES)
    assert table.text_repair.fields[0].repaired == len(NAMES)
    assert "wrong" in table.encoding_note and "field name: 5 values repaired" in table.text_repair.message
    if table.arrow is not None:
        assert table.arrow.column("name").to_pylist() == NAMES


@pytest.mark.parametrize("engine", ["arrow", "qgis"])
def test_assigncodes_writes_the_repaired_names(tmp_path, qgis_app, engine):
    from osgeo import ogr
    shp = issue_shapefile(tmp_path)
    divisions = write_shp(tmp_path / "divisions.shp", {"code": ["340104001"]})
    ds = ogr.Open(divisions, 1)  # one division around all buildings
    f = ds.GetLayer(0).GetFeature(0)
    f.SetGeometry(ogr.CreateGeometryFromWkt("POLYGON(({0} {1},{2} {1},{2} {3},{0} {3},{0} {1}))".format(
        X0 - 10, Y0 - 10, X0 + 200, Y0 + 50)))
    ds.GetLayer(0).SetFeature(f)
    ds = f = None
    out = tmp_path / "out" / "编码结果.gpkg"
    out.parent.mkdir()
    log = Log()
    result = run_assign(AssignJob(buildings=LayerInput(path=shp), divisions=LayerInput(path=divisions),
                                  output=str(out), id_field="id", default_year=2024, engine=engine,
                                  registry=str(tmp_path / "registry.sqlite"), actor="tester"), log)
    assert result.counts["coded"] == len(NAMES)
    ds = ogr.Open(str(out))
    back = {f.GetField("id"): f.GetField("name") for f in ds.GetLayer(0)}
    ds = None
    assert back == dict(zip(range(1, len(NAMES) + 1), NAMES))
    assert any("field name: 5 values repaired" in line for line in log.lines)


def test_repairtext_finishes_the_issue_shapefile(tmp_path, citycode_processing):
    import processing
    from osgeo import ogr
    columns = {"name": [as_latin1(NAMES[0]), as_cp1252(NAMES[1]), utf8_as_latin1(NAMES[2], 2), "Ã\x83Â¿Ã¿Ã¿Ã",
                        "锟斤拷"],
               as_latin1("地址"): ["合肥市"] * 5}
    shp = write_shp(tmp_path / "乱码.shp", columns, cpg="ISO-8859-1")
    out = tmp_path / "修复.gpkg"
    result = processing.run("citycode:repairtext", {"INPUT": shp, "ENCODING": "auto", "OUTPUT": str(out)})
    assert (result["ENCODING_FOUND"], result["FOUND_BY"]) == ("UTF-8", "content")
    assert (result["REPAIRED"], result["GARBLED"], result["LOST"]) == (3, 1, 1)
    ds = ogr.Open(str(out))
    rows = [(f.GetField("name"), f.GetField("地址"), f.GetField("enc_status"), f.GetField("enc_fields"))
            for f in ds.GetLayer(0)]
    ds = None
    assert [r[0] for r in rows] == NAMES[:3] + ["Ã\x83Â¿Ã¿Ã¿Ã", "锟斤拷"]
    assert {r[1] for r in rows} == {"合肥市"}  # field name repaired too
    assert [r[2] for r in rows] == ["repaired"] * 3 + ["garbled", "lost"]
    assert [r[3] for r in rows] == ["repaired: name"] * 3 + ["garbled: name", "lost: name"]


def test_point_import_of_a_wholly_garbled_station_list(tmp_path):
    """A GBK station list opened as Latin-1 and saved as UTF-8: header and names repaired, columns found."""
    from citycode.plugin.core.points.point_import import import_points
    text = "站号,站名,纬度,经度\n58321,合肥,31.82,117.23\n58424,安庆,30.53,117.05\n"
    path = tmp_path / "stations.txt"
    path.write_bytes(as_latin1(text).encode("utf-8"))
    result = import_points(str(path))
    assert list(result.attributes)[:2] == ["站号", "站名"] and result.attributes["站名"] == ["合肥", "安庆"]
    assert result.lat.round(2).tolist() == [31.82, 30.53]
    assert any("站名" in n and "→" in n for n in result.notes)


def test_point_import_repairs_garbled_text(tmp_path):
    from citycode.plugin.core.points.point_import import import_points
    csv = tmp_path / "站点.csv"
    rows = ["站号,站名,经度,纬度", "58321,{},117.23,31.82".format(as_latin1("合肥")),
            "58424,{},117.05,30.53".format(utf8_as_latin1("安庆", 2)), "58236,滁州,118.30,32.30"]
    csv.write_bytes(("\n".join(rows) + "\n").encode("utf-8"))
    result = import_points(str(csv))
    assert result.attributes["站名"] == ["合肥", "安庆", "滁州"]
    assert any("field 站名: 2 values repaired" in n for n in result.notes)


def test_clean_columns_are_passed_over_quickly():
    """A column with nothing garbled or lost is looked at in one pass, not value by value."""
    import time
    values = np.array(["合肥市蜀山区{}号".format(i) for i in range(200_000)], dtype=object)
    start = time.perf_counter()
    found = encodings.repair_columns({"addr": values}, ["addr"])
    assert not found.fields and time.perf_counter() - start < 0.5


def test_cpg_saying_gbk_over_utf8_bytes_is_found(tmp_path):
    """Chinese in UTF-8 often decodes as GBK too, into other characters ("城关" as "鍩庡叧"): UTF-8 wins."""
    names = ["城关", "东门街道", "包河区"]
    assert names[0].encode("utf-8").decode("gbk") == "鍩庡叧"
    shp = write_shp(tmp_path / "u.shp", {"name": names}, encoding="UTF-8", cpg="GBK")
    found = encodings.detect_encoding(shp)
    assert (found.encoding, found.how) == ("UTF-8", "content") and "GBK" in found.message
    assert layers.read(LayerInput(path=shp)).column("name").tolist() == names
