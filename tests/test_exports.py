"""Exports other systems read back (plugin/core/output/exports.py, citycode:exportcodes).

The fixture is a small coded layer as CityCode writes it (GeoPackage, CGCS2000 3° Gauss-Krüger zone 39 with
prefix): 23-character codes (digit-only ones too, one with leading zeros), Chinese names, a long Chinese field
name, a text longer than a shapefile holds in UTF-8 (but not in GBK), a rare character GBK cannot hold (𠀾), a
date and a date-time. Every export is read back with another reader (pyogrio, csv, zipfile + XML, json) and
compared with the values the fixture was made from.
"""
import csv
import json
import os
import re
import xml.etree.ElementTree as ET
import zipfile

import numpy as np
import pytest
import shapely
from pyogrio.raw import write as ogr_write

from citycode.plugin.core.output import exports
from citycode.plugin.core.engine.layers import LayerInput

X0, Y0 = 39_500_000.0, 3_500_000.0  # EPSG:4527, near 117°E 31.6°N
CODES = ["34010400120240001000015", "3401040012024000200000X", "01010400120240003000011"]
NAMES = ["城关镇幸福路12号楼", "𠀾家老宅", "东门街道综合楼"]
LONG_NAME = "建筑物详细名称说明"           # 27 bytes in UTF-8, 18 in GBK
LONG_TEXT = "a" * 100 + "中" * 70      # 310 bytes in UTF-8, 240 in GBK
NOTES = [LONG_TEXT, "备注", None]
FLOORS = [6, 12, 3]
BUILT = ["2024-01-02", "2023-12-31", "2020-06-30"]
SURVEYED = ["2024-05-06T07:08:09", "2024-05-06T10:00:00", "2024-05-07T00:00:01"]
FIELDS = ["citycode", "名称", LONG_NAME, "long_english_field", "floors", "built", "surveyed"]


def polygons():
    return [shapely.Polygon([(X0 + 30 * i, Y0), (X0 + 30 * i + 20, Y0), (X0 + 30 * i + 20, Y0 + 15),
                             (X0 + 30 * i, Y0 + 15)]) for i in range(3)]


@pytest.fixture()
def coded(tmp_path):
    path = str(tmp_path / "coded.gpkg")
    values = [np.array(CODES, dtype=object), np.array(NAMES, dtype=object), np.array(NOTES, dtype=object),
              np.array(["x", "y", "z"], dtype=object), np.array(FLOORS, dtype=np.int64),
              np.array(BUILT, dtype="datetime64[D]"), np.array(SURVEYED, dtype="datetime64[s]")]
    ogr_write(path, shapely.to_wkb(np.array(polygons(), dtype=object)), values, FIELDS, layer="楼栋_coded",
              driver="GPKG", geometry_type="Polygon", crs="EPSG:4527")
    return path


@pytest.fixture()
def points(tmp_path):
    path = str(tmp_path / "points.gpkg")
    ogr_write(path, shapely.to_wkb(np.array([shapely.Point(117.123456789, 31.5), shapely.Point(118.0, 32.25)])),
              [np.array(CODES[:2], dtype=object), np.array(NAMES[::2][:2], dtype=object)], ["citycode", "名称"],
              driver="GPKG", geometry_type="Point", crs="EPSG:4490")
    return path


def export(src, path, **options):
    return exports.export_layer(LayerInput(path=src), str(path), exports.ExportOptions(**options))


def read_back(path, **kw):
    import pyogrio
    meta, table = pyogrio.read_arrow(str(path), **kw)
    geom = meta["geometry_name"] or "wkb_geometry"
    geoms = shapely.from_wkb(table.column(geom).to_numpy(zero_copy_only=False)) if geom in table.column_names \
        else None
    return meta, {n: table.column(n).to_pylist() for n in table.column_names if n != geom}, geoms


def same_shapes(a, b, tolerance):
    return all(shapely.equals_exact(shapely.normalize(x), shapely.normalize(y), tolerance) for x, y in zip(a, b))


def leftovers(folder, keep):
    return sorted(set(os.listdir(folder)) - set(keep))


# -- GeoPackage ---------------------------------------------------------------------------------------
def test_geopackage_is_exact(coded, tmp_path):
    result = export(coded, tmp_path / "out.gpkg")
    meta, cols, geoms = read_back(tmp_path / "out.gpkg")
    assert result.features == 3 and result.changes == []
    assert cols["citycode"] == CODES and cols["名称"] == NAMES and cols[LONG_NAME] == NOTES
    assert [str(d) for d in cols["built"]] == BUILT
    assert [d.replace(tzinfo=None).isoformat() for d in cols["surveyed"]] == SURVEYED
    assert "4527" in meta["crs"]
    assert all(shapely.equals_exact(a, b, 0) for a, b in zip(geoms, polygons()))


def test_field_subset_in_the_order_given(coded, tmp_path):
    export(coded, tmp_path / "out.gpkg", fields=["名称", "citycode"])
    _, cols, _ = read_back(tmp_path / "out.gpkg")
    assert list(cols) == ["名称", "citycode"] and cols["citycode"] == CODES


def test_qgis_feature_path_gives_the_same_file(coded, tmp_path):
    """A memory layer (QGIS features, no Arrow table behind it) exports the same values."""
    from qgis.core import QgsFeatureRequest, QgsVectorLayer
    layer = QgsVectorLayer(coded + "|layername=楼栋_coded", "楼栋", "ogr")
    memory = layer.materialize(QgsFeatureRequest())
    result = exports.export_layer(LayerInput(source=memory, name="楼栋"), str(tmp_path / "mem.gpkg"),
                                  exports.ExportOptions())
    _, cols, geoms = read_back(tmp_path / "mem.gpkg")
    assert result.features == 3
    assert cols["citycode"] == CODES and cols["名称"] == NAMES and cols["floors"] == FLOORS
    assert all(shapely.equals_exact(a, b, 0) for a, b in zip(geoms, polygons()))


# -- Shapefile ------------------------------------------------------------------------------------------
def mapping(shp):
    with open(os.path.splitext(str(shp))[0] + ".fields.csv", "rb") as f:
        raw = f.read()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0] == ["original_name", "shapefile_name", "type"]
    return {r[0]: (r[1], r[2]) for r in rows[1:]}


def test_shapefile_utf8(coded, tmp_path):
    shp = tmp_path / "out.shp"
    result = export(coded, shp, format=exports.SHP)
    with open(tmp_path / "out.cpg") as f:
        assert f.read().strip() == "UTF-8"
    names = mapping(shp)
    assert set(names) == set(FIELDS)
    assert all(len(new.encode("utf-8")) <= 10 for new, _ in names.values())
    assert names["citycode"] == ("citycode", "String") and names["floors"][1].startswith("Integer")
    _, cols, geoms = read_back(shp)
    back = {old: cols[new] for old, (new, _) in names.items()}
    assert back["citycode"] == CODES and back["名称"] == NAMES and back["floors"] == FLOORS
    # 310 bytes of UTF-8 cut to 254 on a character boundary, and reported with the feature's code
    assert len(back[LONG_NAME][0].encode("utf-8")) <= 254 and LONG_TEXT.startswith(back[LONG_NAME][0])
    assert len(back[LONG_NAME][0].encode("utf-8")) > 251 and back[LONG_NAME][1:] == NOTES[1:]
    cut = [c for c in result.changes if c.kind == "truncated"]
    assert len(cut) == 1 and cut[0].ids == [CODES[0]] and CODES[0] in cut[0].message
    assert [str(d) for d in back["built"]] == BUILT
    assert back["surveyed"] == SURVEYED and any(c.kind == "datetime_text" for c in result.changes)
    assert same_shapes(geoms, polygons(), 1e-9)
    assert leftovers(tmp_path, []) == sorted(["coded.gpkg"] + ["out" + e for e in (
        ".shp", ".shx", ".dbf", ".prj", ".cpg", ".fields.csv")])


def test_shapefile_gbk_refuses_unencodable_text(coded, tmp_path):
    with pytest.raises(exports.ExportError) as e:
        export(coded, tmp_path / "out.shp", format=exports.SHP, encoding=exports.GBK)
    assert CODES[1] in str(e.value) and "𠀾" in str(e.value) and "名称" in str(e.value)
    assert leftovers(tmp_path, ["coded.gpkg"]) == []


def test_shapefile_gbk_with_replacement(coded, tmp_path):
    shp = tmp_path / "gbk.shp"
    result = export(coded, shp, format=exports.SHP, encoding=exports.GBK, replace_unencodable=True)
    with open(tmp_path / "gbk.cpg") as f:
        assert f.read().strip() == "936"  # GBK's code page
    names = mapping(shp)
    assert all(len(new.encode("gbk")) <= 10 for new, _ in names.values())
    assert names[LONG_NAME][0] == "建筑物详细"  # 2 bytes a character in GBK: five fit, not three
    with open(tmp_path / "gbk.dbf", "rb") as f:
        dbf = f.read()
    assert "城关镇幸福路12号楼".encode("gbk") in dbf and "城关镇".encode("utf-8") not in dbf
    _, cols, _ = read_back(shp)
    back = {old: cols[new] for old, (new, _) in names.items()}
    assert back["citycode"] == CODES and back["名称"][0] == NAMES[0] and back["名称"][2] == NAMES[2]
    assert back["名称"][1] == "?家老宅"
    assert back[LONG_NAME][0] == LONG_TEXT  # 240 bytes in GBK: fits, nothing cut
    reported = [c for c in result.changes if c.kind == "unencodable"]
    assert len(reported) == 1 and reported[0].ids == [CODES[1]] and reported[0].field == "名称"
    assert not any(c.kind == "truncated" for c in result.changes)


def test_shapefile_over_the_size_limit_is_refused_before_writing(coded, tmp_path, monkeypatch):
    monkeypatch.setattr(exports, "SHAPEFILE_MAX_BYTES", 500)
    with pytest.raises(exports.ExportError, match="2 GB"):
        export(coded, tmp_path / "big.shp", format=exports.SHP)
    assert leftovers(tmp_path, ["coded.gpkg"]) == []


def test_wkb_writer_of_older_gdal(coded, tmp_path, monkeypatch):
    """QGIS 3.22's GDAL (< 3.8) cannot write through Arrow: pyogrio's WKB writer gives the same files."""
    monkeypatch.setattr(exports, "ARROW_WRITE_OK", False)
    export(coded, tmp_path / "old.shp", format=exports.SHP, encoding=exports.GBK, replace_unencodable=True)
    export(coded, tmp_path / "old.xlsx", format=exports.XLSX)
    names = mapping(tmp_path / "old.shp")
    _, cols, geoms = read_back(tmp_path / "old.shp")
    assert cols[names["citycode"][0]] == CODES and cols[names["名称"][0]][2] == NAMES[2]
    assert same_shapes(geoms, polygons(), 1e-9)
    _, cols, _ = read_back(tmp_path / "old.xlsx")
    assert cols["citycode"] == CODES and cols["名称"] == NAMES


# -- CSV ------------------------------------------------------------------------------------------------
def read_csv(path):
    with open(path, "rb") as f:
        raw = f.read()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with a BOM
    return list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))


def test_csv_wkt(coded, tmp_path):
    result = export(coded, tmp_path / "out.csv", format=exports.CSV)
    rows = read_csv(tmp_path / "out.csv")
    assert len(rows) == 3 and list(rows[0])[0] == "WKT"
    assert set(FIELDS) <= set(rows[0])  # full Chinese names
    assert [r["citycode"] for r in rows] == CODES and [r["名称"] for r in rows] == NAMES
    assert rows[0][LONG_NAME] == LONG_TEXT  # CSV keeps everything
    assert same_shapes(shapely.from_wkt([r["WKT"] for r in rows]), polygons(), 1e-6)
    assert os.path.exists(tmp_path / "out.csvt")
    # Excel would spoil two codes (23 digits, a leading zero) when it opens the file: said, not changed
    assert [(c.kind, c.field, c.count) for c in result.changes] == [("excel_numbers", "citycode", 2)]
    _, cols, _ = read_back(tmp_path / "out.csv")  # GDAL, with the .csvt: codes stay text
    assert cols["citycode"] == CODES


def test_csv_xy_in_wgs84_and_excel_formulas(coded, tmp_path):
    from pyproj import Transformer
    result = export(coded, tmp_path / "xy.csv", format=exports.CSV, geometry=exports.GEOMETRY_XY,
                    point=exports.POINT_ON_SURFACE, datum="wgs84", excel_formula=True)
    rows = read_csv(tmp_path / "xy.csv")
    assert "WKT" not in rows[0]
    to_gk = Transformer.from_crs("EPSG:4326", "EPSG:4527", always_xy=True)
    for row, polygon in zip(rows, polygons()):
        x, y = to_gk.transform(float(row["x"]), float(row["y"]))
        assert polygon.contains(shapely.Point(x, y))
    assert [r["citycode"] for r in rows] == ['="{}"'.format(CODES[0]), CODES[1], '="{}"'.format(CODES[2])]
    assert {c.kind for c in result.changes} == {"datum", "excel_formula"}


# -- XLSX -----------------------------------------------------------------------------------------------
def xlsx_cells(path):
    """{header: [(cell type, text)]} of the first sheet, read from the XML itself."""
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    with zipfile.ZipFile(path) as z:
        shared = [("".join(t.text or "" for t in si.iter("{%s}t" % ns["m"])))
                  for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", ns)]
        sheet = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
    rows = []
    for row in sheet.find("m:sheetData", ns).findall("m:row", ns):
        cells = {}  # column letters -> (type, text); empty cells are left out of the XML
        for c in row.findall("m:c", ns):
            v = c.find("m:v", ns)
            text = None if v is None else (shared[int(v.text)] if c.get("t") == "s" else v.text)
            cells[c.get("r").rstrip("0123456789")] = (c.get("t"), text)
        rows.append(cells)
    return {text: [r.get(col, (None, None)) for r in rows[1:]] for col, (_, text) in rows[0].items()}


def test_xlsx_codes_are_text_cells(coded, tmp_path):
    result = export(coded, tmp_path / "out.xlsx", format=exports.XLSX)
    cells = xlsx_cells(tmp_path / "out.xlsx")
    assert cells["citycode"] == [("s", c) for c in CODES]
    assert [t for _, t in cells["名称"]] == NAMES
    assert [t for t, _ in cells["floors"]] == [None] * 3  # numbers stay numbers
    _, cols, _ = read_back(tmp_path / "out.xlsx")
    assert cols["citycode"] == CODES and cols[LONG_NAME][0] == LONG_TEXT and result.features == 3
    assert same_shapes(shapely.from_wkt(cols["WKT"]), polygons(), 1e-6)


def test_xlsx_row_limit(coded, tmp_path, monkeypatch):
    monkeypatch.setattr(exports, "XLSX_MAX_ROWS", 2)
    with pytest.raises(exports.ExportError, match="at most 2 rows"):
        export(coded, tmp_path / "out.xlsx", format=exports.XLSX)
    assert leftovers(tmp_path, ["coded.gpkg"]) == []


# -- GeoJSON --------------------------------------------------------------------------------------------
def test_geojson_rfc7946_in_wgs84(coded, tmp_path):
    from pyproj import Transformer
    result = export(coded, tmp_path / "out.geojson", format=exports.GEOJSON)
    raw = (tmp_path / "out.geojson").read_bytes()
    assert "城关镇幸福路12号楼".encode("utf-8") in raw and b"\\u" not in raw  # unescaped UTF-8
    doc = json.loads(raw)
    assert len(doc["features"]) == 3 and "crs" not in doc
    assert [f["properties"]["citycode"] for f in doc["features"]] == CODES
    assert [f["properties"]["名称"] for f in doc["features"]] == NAMES
    lonlat = Transformer.from_crs("EPSG:4527", "EPSG:4326", always_xy=True)
    expected = [shapely.transform(p, lambda xy: np.column_stack(lonlat.transform(xy[:, 0], xy[:, 1])))
                for p in polygons()]
    written = [shapely.geometry.shape(f["geometry"]) for f in doc["features"]]
    assert same_shapes(written, expected, 1e-7)
    ring = doc["features"][0]["geometry"]["coordinates"][0]
    assert all(len(repr(v).split(".")[-1]) <= 7 for xy in ring for v in xy)
    assert shapely.is_ccw(shapely.LinearRing(ring))  # RFC 7946 §3.1.6
    assert [c.kind for c in result.changes] == ["datum"] and "no datum shift" in result.changes[0].message


def test_geojson_of_cgcs2000_lonlat_keeps_coordinates(points, tmp_path):
    export(points, tmp_path / "p.geojson", format=exports.GEOJSON)
    doc = json.loads((tmp_path / "p.geojson").read_text(encoding="utf-8"))
    coords = [f["geometry"]["coordinates"] for f in doc["features"]]
    assert np.allclose(coords, [[117.1234568, 31.5], [118.0, 32.25]], atol=1e-7, rtol=0)


def test_gcj02_only_when_asked(points, tmp_path):
    from pyproj import Geod
    export(points, tmp_path / "gcj.geojson", format=exports.GEOJSON, datum="gcj02")
    doc = json.loads((tmp_path / "gcj.geojson").read_text(encoding="utf-8"))
    lon, lat = doc["features"][0]["geometry"]["coordinates"]
    moved = Geod(ellps="WGS84").inv(117.123456789, 31.5, lon, lat)[2]
    assert 100 < moved < 1000  # GCJ-02's offset: hundreds of metres


# -- errors ---------------------------------------------------------------------------------------------
def test_missing_folder_and_wrong_extension(coded, tmp_path):
    with pytest.raises(exports.ExportError, match="does not exist"):
        export(coded, tmp_path / "nowhere" / "out.gpkg")
    with pytest.raises(exports.ExportError, match=r"\.shp"):
        export(coded, tmp_path / "out.gpkg", format=exports.SHP)
    assert leftovers(tmp_path, ["coded.gpkg"]) == []


def test_replaces_an_earlier_export(coded, tmp_path):
    (tmp_path / "out.csv").write_text("old", encoding="utf-8")
    export(coded, tmp_path / "out.csv", format=exports.CSV)
    assert len(read_csv(tmp_path / "out.csv")) == 3


# -- Processing -----------------------------------------------------------------------------------------
@pytest.fixture()
def provider(citycode_processing):
    from conftest import ensure_citycode_provider
    return ensure_citycode_provider()


def test_processing_shapefile_gbk(provider, coded, tmp_path):
    import processing
    out = str(tmp_path / "建筑.shp")
    result = processing.run("citycode:exportcodes", {
        "INPUT": coded, "FORMAT": "shp", "ENCODING": "GBK", "REPLACE_UNENCODABLE": True,
        "FIELDS": ["citycode", "名称", LONG_NAME], "OUTPUT": out})
    assert result["OUTPUT"] == out and result["FEATURES"] == 3
    assert result["FIELD_MAP"] == str(tmp_path / "建筑.fields.csv")
    assert CODES[1] in result["REPORT"] and result["CHANGES"] == 2  # renamed 建筑物详细名称说明, unencodable
    names = mapping(out)
    _, cols, _ = read_back(out)
    assert list(names) == ["citycode", "名称", LONG_NAME] and cols[names["citycode"][0]] == CODES


def test_processing_errors_leave_nothing(provider, coded, tmp_path):
    import processing
    from qgis.core import QgsProcessingException
    with pytest.raises(QgsProcessingException):
        processing.run("citycode:exportcodes", {
            "INPUT": coded, "FORMAT": "shp", "ENCODING": "GBK", "OUTPUT": str(tmp_path / "gbk.shp")})
    with pytest.raises(QgsProcessingException):
        processing.run("citycode:exportcodes", {
            "INPUT": coded, "FORMAT": "gpkg", "OUTPUT": str(tmp_path / "missing" / "out.gpkg")})
    assert leftovers(tmp_path, ["coded.gpkg"]) == []


def test_processing_format_sets_the_extension(provider, coded, tmp_path):
    import processing
    result = processing.run("citycode:exportcodes", {
        "INPUT": coded, "FORMAT": "xlsx", "OUTPUT": str(tmp_path / "codes.csv")})
    assert result["OUTPUT"] == str(tmp_path / "codes.xlsx")
    assert xlsx_cells(result["OUTPUT"])["citycode"] == [("s", c) for c in CODES]



# -- exports that open right where people open them (issue 15, class 7) ----------------------------------
# 23-digit codes only (no letter to keep them text), one with leading zeros, and names of everyday and rarer
# GBK characters (堃, 琤 are GBK, not GB2312), as in a real coded district.
DIGIT_CODES = ["3401040012024{:010d}".format(7 * i + 1) for i in range(40)] + ["01010400120240003000011"]
CHINESE = "城关镇幸福路东门街道综合楼包河区人民医院蜀山第一中学堃琤小区期栋单元号"
MANY_NAMES = ["{}{}{}号楼".format(CHINESE[i % len(CHINESE)], CHINESE[(5 * i + 3) % len(CHINESE)], i) for i in range(41)]


@pytest.fixture()
def district(tmp_path):
    path = str(tmp_path / "district.gpkg")
    n = len(DIGIT_CODES)
    ogr_write(path, shapely.to_wkb(np.array([shapely.Point(X0 + i, Y0) for i in range(n)], dtype=object)),
              [np.array(DIGIT_CODES, dtype=object), np.array(MANY_NAMES, dtype=object),
               np.arange(n, dtype=np.int64)], ["citycode", "名称", "floors"], layer="楼栋", driver="GPKG",
              geometry_type="Point", crs="EPSG:4527")
    return path


def gdal_reads(path):
    """{field: values} as GDAL reads a file in a process of its own (Debian's GDAL, no QGIS in it: QGIS turns
    GDAL's shapefile recoding off for the whole process)."""
    import subprocess
    import sys
    script = ("import json, sys\nfrom osgeo import ogr\nds = ogr.Open(sys.argv[1])\nlayer = ds.GetLayer(0)\n"
              "d = layer.GetLayerDefn()\nnames = [d.GetFieldDefn(i).GetName() for i in range(d.GetFieldCount())]\n"
              "rows = [[f.GetField(i) for i in range(len(names))] for f in layer]\n"
              "print(json.dumps({n: [r[i] for r in rows] for i, n in enumerate(names)}))\n")
    python = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
    out = subprocess.run([python, "-c", script, str(path)], capture_output=True, check=True, timeout=120)
    return json.loads(out.stdout)


def qgis_reads(path):
    from qgis.core import QgsVectorLayer
    layer = QgsVectorLayer(str(path), "check", "ogr")
    assert layer.isValid()
    names = layer.fields().names()
    rows = [f.attributes() for f in layer.getFeatures()]
    return layer.dataProvider().encoding(), {n: [r[i] for r in rows] for i, n in enumerate(names)}


@pytest.mark.parametrize("arrow_write", [True, False])
def test_gbk_shapefile_is_gbk_for_gdal_qgis_and_arcgis(provider, district, tmp_path, monkeypatch, arrow_write):
    import processing
    if arrow_write and not exports.ARROW_WRITE_OK:
        pytest.skip("pyogrio's Arrow writer is not there (hidden, or its GDAL is older than 3.8)")
    monkeypatch.setattr(exports, "ARROW_WRITE_OK", arrow_write)
    out = tmp_path / "楼栋_gbk.shp"
    result = processing.run("citycode:exportcodes", {"INPUT": district, "FORMAT": "shp", "ENCODING": "GBK",
                                                     "OUTPUT": str(out)})
    assert result["FEATURES"] == len(MANY_NAMES) and result["CHANGES"] == 0
    dbf = out.with_suffix(".dbf").read_bytes()
    assert all(n.encode("gbk") in dbf for n in MANY_NAMES)
    assert not any(n.encode("utf-8") in dbf for n in MANY_NAMES)
    assert out.with_suffix(".cpg").read_text() == "936" and dbf[29] == 0x4D  # LDID 0x4D: code page 936
    back = gdal_reads(out)  # through the .cpg
    assert back["名称"] == MANY_NAMES and back["citycode"] == DIGIT_CODES
    encoding, back = qgis_reads(out)
    assert encoding in ("GBK", "CP936", "windows-936") and back["名称"] == MANY_NAMES
    assert back["citycode"] == DIGIT_CODES
    out.with_suffix(".cpg").unlink()  # a reader that only knows the dBase code page byte
    assert gdal_reads(out)["名称"] == MANY_NAMES


def excel_shows(cell):
    """What Excel makes of a CSV cell it opens: ="..." evaluated to its text, a number kept to 15 significant
    digits (what it stores), anything else as written."""
    if cell.startswith('="') and cell.endswith('"'):
        return cell[2:-1].replace('""', '"')
    if re.fullmatch(r"[+-]?\d+(\.\d*)?", cell):
        return "{:.15G}".format(float(cell))
    return cell


def test_csv_for_excel_keeps_codes_as_text(district, tmp_path):
    result = export(district, tmp_path / "excel.csv", format=exports.CSV, geometry=exports.GEOMETRY_NONE,
                    excel_formula=True)
    rows = read_csv(tmp_path / "excel.csv")  # UTF-8 with a BOM
    assert [excel_shows(r["citycode"]) for r in rows] == DIGIT_CODES
    assert [r["名称"] for r in rows] == MANY_NAMES  # Chinese text as it is, no formula
    assert [r["floors"] for r in rows] == [str(i) for i in range(len(DIGIT_CODES))]  # numbers stay numbers
    changed = {c.field: c.count for c in result.changes if c.kind == "excel_formula"}
    assert changed == {"citycode": len(DIGIT_CODES)}
    _, cols, _ = read_back(tmp_path / "excel.csv")  # GDAL reads the formulas as written (said in the help)
    assert cols["citycode"] == ['="{}"'.format(c) for c in DIGIT_CODES] and cols["名称"] == MANY_NAMES
    # Without the option Excel spoils every code (3.4010400120240E+22, zeros lost): said in the report
    plain = export(district, tmp_path / "plain.csv", format=exports.CSV, geometry=exports.GEOMETRY_NONE)
    shown = [excel_shows(r["citycode"]) for r in read_csv(tmp_path / "plain.csv")]
    assert all(s != c for s, c in zip(shown, DIGIT_CODES)) and "E+22" in shown[0]
    assert [(c.kind, c.field, c.count) for c in plain.changes] == [("excel_numbers", "citycode",
                                                                   len(DIGIT_CODES))]
    assert "XLSX" in plain.report()


def test_excel_formulas_for_what_excel_would_convert(tmp_path):
    values = ["1-2", "2024/5/6", "8:30", "1E5", "5%", "+8613800138000", "=SUM(A1:A2)", "@home", "-3",
              "TRUE", "3401X", "合肥", 'say "hi"', "9" * 300]
    path = str(tmp_path / "misc.gpkg")
    ogr_write(path, None, [np.array(values, dtype=object)], ["text"], driver="GPKG")
    export(path, tmp_path / "misc.csv", format=exports.CSV, excel_formula=True)
    written = [r["text"] for r in read_csv(tmp_path / "misc.csv")]
    converted = values[:10]
    assert written[:10] == ['="{}"'.format(v) for v in converted]
    assert written[10:] == values[10:]  # text Excel keeps as it is; a formula holds at most 255 characters
    assert [excel_shows(w) for w in written[:10]] == converted


def test_xlsx_for_excel_users_codes_are_text_cells(district, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")  # test-only (requirements-dev.txt)
    export(district, tmp_path / "out.xlsx", format=exports.XLSX, geometry=exports.GEOMETRY_NONE)
    sheet = openpyxl.load_workbook(tmp_path / "out.xlsx").worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header == ["citycode", "名称", "floors"]
    rows = list(sheet.iter_rows(min_row=2))
    assert [r[0].value for r in rows] == DIGIT_CODES and {r[0].data_type for r in rows} == {"s"}
    assert {r[0].number_format for r in rows} == {"@"}  # Text: an edited code stays text
    assert [r[1].value for r in rows] == MANY_NAMES
    assert [r[2].value for r in rows] == list(range(len(DIGIT_CODES))) and {r[2].data_type for r in rows} == {"n"}
    assert {r[2].number_format.lower() for r in rows} == {"general"}  # numbers as GDAL wrote them
    _, cols, _ = read_back(tmp_path / "out.xlsx")  # GDAL too
    assert cols["citycode"] == DIGIT_CODES and cols["名称"] == MANY_NAMES


def test_plain_csv_names_the_codes_excel_would_spoil(tmp_path):
    """12-digit statistics codes show as 3.40104E+11 in Excel and are saved so; 9 digits are safe."""
    path = str(tmp_path / "codes.gpkg")
    ogr_write(path, None, [np.array(["340104001001", "340104001002"], dtype=object),
                           np.array(["340104001", "340104002"], dtype=object)], ["stats", "township"], driver="GPKG")
    result = export(path, tmp_path / "codes.csv", format=exports.CSV)
    assert [(c.kind, c.field, c.count) for c in result.changes] == [("excel_numbers", "stats", 2)]
