"""Writes the point-import fixtures of tests/test_point_import.py into this folder (the files are committed;
run again only to change them): `.venv/bin/python tests/data/points/make_fixtures.py`.

The CSVs are written out as text here (so their encoding is exact: UTF-8 with BOM, GBK without); the XLSX files
go through GDAL's XLSX driver, as the importer reads them. GCJ-02 coordinates are made from true positions with
PRCoords' forward formula (plugin/vendor/prcoords.py, the reference the datum module vendors).
"""
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent.parent

# mixed.csv: line numbers are physical lines (S06's remark spans lines 7-8).
MIXED = """站号,站名,经度,纬度,备注
S01,天安门,116.397477,39.908692,十进制度
S02,颐和园,116°16′31″E,39°59′57″N,度分秒符号加EN后缀
S03,八达岭,116 0 56,40 21 22,空格分隔的度分秒
S04,密云水库,116度50分30秒,40度29分15秒,中文度分秒
S05,通州站,116.6564E,39.9097N,十进制加后缀
S06,房山站,116°8′24″,39°44′6″,"带引号的
两行备注"
S07,怀柔站,东经116:38:15,北纬40:18:36,冒号分隔
S08,平谷站,117.1213,40.1406,
S09,缺经度站,,40.1,经度为空
S10,乱码站,abc,39.9,经度非数字
S11,分超限站,116°75′10″,39°50′,分≥60
S12,纬度超限站,116.4,95.0,纬度95
S13,列不足站,116.4
S14,延庆站,115°58′30″,40°27′18″,
S15,门头沟站,116.1017,39.9405,
S16,昌平站,１１６．２３１２,４０．２２０７,全角数字
S02,颐和园东门,116.2800,39.9990,站号重复
"""

# gbk_stations.csv: GBK without BOM, semicolons; the full-width comma in G01's name is text, not a delimiter.
GBK = """编号;站点名称;经度;纬度;说明
G01;合肥市监测站，一号;117.2272;31.8206;位于蜀山区
G02;芜湖站;118.4331;31.3526;
G03;安庆站;117.0634;30.5435;长江北岸
"""

# dm_stations.csv: degrees.minutes, as station lists give them (116.28 = 116°28′); the header says 度.分.
DM = """站号,站名,经度(度.分),纬度(度.分)
54511,北京,116.28,39.48
54398,密云,116.52,40.23
54416,上甸子,117.07,40.39
54419,怀柔,116.38,40.22
54406,延庆,115.58,40.27
54433,朝阳,116.75,39.57
"""

# observations.csv: long form. One PM2.5 day above 75 (S01, 2024-05-02), one "<0.01", one broken time.
OBSERVATIONS = """点位编码,监测时间,监测项目,监测值,单位
S01,2024-05-01 00:00,PM2.5,35,μg/m³
S01,2024-05-01 00:00,PM10,60,μg/m³
S01,2024/5/2 0:00,PM2.5,82.5,μg/m³
S01,2024/5/2 0:00,PM10,120,μg/m³
S01,2024年5月3日 0时,PM2.5,41,μg/m³
S02,2024-05-01T00:00:00+08:00,PM2.5,28,μg/m³
S02,2024-05-02 00:00,PM2.5,"55,5",μg/m³
S02,2024-05-03 00:00,PM2.5,６０,μg/m³
S02,2024-05-03 00:00,铅,<0.01,μg/m³
S03,2024-13-01 00:00,PM2.5,30,μg/m³
S03,2024-05-02 00:00,PM2.5,74.9,μg/m³
"""

# gcj_points.xlsx: (编号, 名称, true CGCS2000/WGS84 lon, lat); None = an empty spreadsheet row.
GCJ_TRUTH = [
    ("P01", "人民广场", 117.283042, 31.861190),
    ("P02", "大蜀山", 117.169514, 31.844722),
    None,
    ("P03", "巢湖南岸", 117.555556, 31.538889),
    ("P04", "东京参考点", 139.767125, 35.681236),  # outside China: GCJ-02 does not apply, a problem
    ("P05", "滨湖湿地", 117.300278, 31.710833),
]

# observations_wide.xlsx: 点位编码, 监测时间 (date cells), PM2.5 (numbers), SO2 (text: one "<3"), 备注.
WIDE = [
    ("S01", (2024, 5, 1, 8, 0), 35.0, "12", ""),
    ("S01", (2024, 5, 1, 9, 0), 82.0, "<3", "SO2低于检出限"),
    ("S02", (2024, 5, 1, 8, 0), None, "9", "PM2.5缺测"),
]


def _gcj(lon, lat):
    vendor = str(ROOT / "plugin" / "vendor")
    if vendor not in sys.path:
        sys.path.insert(0, vendor)
    import prcoords
    c = prcoords.wgs_gcj(prcoords.Coords(lat, lon), True)
    return round(c.lon, 7), round(c.lat, 7)


def _xlsx(path, fields, rows):
    from osgeo import gdal, ogr
    gdal.UseExceptions()
    if path.exists():
        path.unlink()
    ds = ogr.GetDriverByName("XLSX").CreateDataSource(str(path))
    layer = ds.CreateLayer("Sheet1", geom_type=ogr.wkbNone)
    for name, kind in fields:
        layer.CreateField(ogr.FieldDefn(name, kind))
    for row in rows:
        f = ogr.Feature(layer.GetLayerDefn())
        for i, v in enumerate(row or ()):
            if isinstance(v, tuple):
                f.SetField(i, *v, 0, 0)
            elif v is not None and v != "":
                f.SetField(i, v)
        layer.CreateFeature(f)
    ds = None


def main():
    from osgeo import ogr
    (HERE / "mixed.csv").write_bytes(b"\xef\xbb\xbf" + MIXED.encode("utf-8"))
    (HERE / "gbk_stations.csv").write_bytes(GBK.encode("gbk"))
    (HERE / "dm_stations.csv").write_bytes(DM.encode("utf-8"))
    (HERE / "observations.csv").write_bytes(OBSERVATIONS.encode("utf-8"))
    rows = [None if t is None else (t[0], t[1]) + _gcj(t[2], t[3]) for t in GCJ_TRUTH]
    _xlsx(HERE / "gcj_points.xlsx", [("编号", ogr.OFTString), ("名称", ogr.OFTString), ("经度", ogr.OFTReal),
                                     ("纬度", ogr.OFTReal)], rows)
    _xlsx(HERE / "observations_wide.xlsx", [("点位编码", ogr.OFTString), ("监测时间", ogr.OFTDateTime),
                                            ("PM2.5(μg/m³)", ogr.OFTReal), ("SO2（μg/m³）", ogr.OFTString),
                                            ("备注", ogr.OFTString)], WIDE)


if __name__ == "__main__":
    os.chdir(HERE)
    main()
