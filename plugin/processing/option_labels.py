"""What the Processing dialogs show for the options of the algorithms' choice parameters, in the user's language.

Scripts, models and qgis_process keep passing the stable names ("gpkg", "gcj02", "atlas") or the numbers that
`qgis_process help` lists (CityCodeAlgorithm.choice_enum); people see these labels. A name without a label
here is shown as it is (encodings such as GB18030, profile names get their titles where they are made).
"""
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

LABELS = {
    # datums: what a layer labelled WGS84 really is, and conversions
    "as_labelled": QT_TRANSLATE_NOOP("CityCode", "As labelled (no conversion)"),
    "as_input": QT_TRANSLATE_NOOP("CityCode", "As the input layer"),
    "wgs84": "WGS84", "WGS84": "WGS84", "cgcs2000": "CGCS2000", "CGCS2000": "CGCS2000",
    "gcj02": QT_TRANSLATE_NOOP("CityCode", "GCJ-02 (AMap, Tencent)"),
    "GCJ02": QT_TRANSLATE_NOOP("CityCode", "GCJ-02 (AMap, Tencent)"),
    "bd09": QT_TRANSLATE_NOOP("CityCode", "BD-09 (Baidu)"), "BD09": QT_TRANSLATE_NOOP("CityCode", "BD-09 (Baidu)"),
    # detection
    "auto": QT_TRANSLATE_NOOP("CityCode", "Detect automatically"),
    # data out
    "gpkg": "GeoPackage", "shp": "Shapefile",
    "csv": QT_TRANSLATE_NOOP("CityCode", "CSV (UTF-8 with BOM, opens in Excel)"),
    "xlsx": QT_TRANSLATE_NOOP("CityCode", "Excel workbook (XLSX)"),
    "geojson": QT_TRANSLATE_NOOP("CityCode", "GeoJSON (RFC 7946, WGS84)"),
    "GBK": QT_TRANSLATE_NOOP("CityCode", "GBK (ArcGIS 10.x and older systems)"),
    "wkt": QT_TRANSLATE_NOOP("CityCode", "A WKT column"),
    "xy": QT_TRANSLATE_NOOP("CityCode", "x and y columns"),
    "none": QT_TRANSLATE_NOOP("CityCode", "No geometry"),
    "centroid": QT_TRANSLATE_NOOP("CityCode", "Centroid"),
    "point_on_surface": QT_TRANSLATE_NOOP("CityCode", "A point surely inside"),
    # maps
    "single": QT_TRANSLATE_NOOP("CityCode", "Single map"),
    "atlas": QT_TRANSLATE_NOOP("CityCode", "Atlas (a page per division)"),
    "cards": QT_TRANSLATE_NOOP("CityCode", "Code cards with QR code"),
    "A4 portrait": QT_TRANSLATE_NOOP("CityCode", "A4 portrait"),
    "A4 landscape": QT_TRANSLATE_NOOP("CityCode", "A4 landscape"),
    "A3 portrait": QT_TRANSLATE_NOOP("CityCode", "A3 portrait"),
    "A3 landscape": QT_TRANSLATE_NOOP("CityCode", "A3 landscape"),
    "pdf": "PDF", "png": "PNG",
    # coordinates of monitoring points
    "decimal": QT_TRANSLATE_NOOP("CityCode", "Decimal degrees"),
    "dm": QT_TRANSLATE_NOOP("CityCode", "Degrees.minutes (116.2030 = 116°20.30′)"),
    "dms_packed": QT_TRANSLATE_NOOP("CityCode", "Packed degrees.minutes.seconds (116.2030 = 116°20′30″)"),
    # conflicts
    "registry": QT_TRANSLATE_NOOP("CityCode", "The registry's version"),
    "package": QT_TRANSLATE_NOOP("CityCode", "The field package's version"),
    "keep": QT_TRANSLATE_NOOP("CityCode", "Keep the stored value"),
    "replace": QT_TRANSLATE_NOOP("CityCode", "Replace it with the file's value"),
}
