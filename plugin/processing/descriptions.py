"""What the toolbox and the Processing dialog show of each CityCode algorithm, by algorithm name: its group,
its title and its help (the text beside the parameters).

A help is in pieces, each translated on its own (the translation file holds them so);
CityCodeAlgorithm.shortHelpString joins them.
"""
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

# Toolbox groups: id -> name.
GROUPS = {
    "coding": "落图+赋码 / Coding",
    "overlay": "Overlay / 叠加分析",
    "validation": "Validation / 校验",
    "data": "Data preparation / 数据预处理",
    "monitoring": "Monitoring points / 监测点",
    "output": "Maps and exports / 出图与导出",
}

# Algorithm name -> (group id, title shown in the toolbox).
TITLES = {
    "assigncodes": ("coding", QT_TRANSLATE_NOOP("CityCode", "Assign unified codes (落图+赋码)")),
    "checkdivisions": ("validation", QT_TRANSLATE_NOOP("CityCode", "Check division codes against the national table")),
    "codepoints": ("monitoring", QT_TRANSLATE_NOOP("CityCode", "Code monitoring points (import, code, place, sample)")),
    "convertdatum": ("data", QT_TRANSLATE_NOOP("CityCode", "Convert web-map datum (GCJ-02/BD-09)")),
    "exportcodedmap": ("output", QT_TRANSLATE_NOOP("CityCode", "Export coded map")),
    "exportcodes": ("output", QT_TRANSLATE_NOOP(
        "CityCode", "Export coded data (GeoPackage, Shapefile, CSV, Excel, GeoJSON)")),
    "checkout": ("coding", QT_TRANSLATE_NOOP("CityCode", "Check out a field package")),
    "checkin": ("coding", QT_TRANSLATE_NOOP("CityCode", "Check in a field package")),
    "resolveconflict": ("coding", QT_TRANSLATE_NOOP("CityCode", "Resolve a field package conflict")),
    "importpoints": ("monitoring", QT_TRANSLATE_NOOP("CityCode", "Import monitoring points")),
    "importobservations": ("monitoring", QT_TRANSLATE_NOOP("CityCode", "Import observations")),
    "exportobservations": ("monitoring", QT_TRANSLATE_NOOP("CityCode", "Export observations")),
    "overlaycheck": ("overlay", QT_TRANSLATE_NOOP("CityCode", "Check against planning layers (三区三线 overlay)")),
    "repairtext": ("data", QT_TRANSLATE_NOOP("CityCode", "Detect and repair text encoding")),
    "samplerasters": ("monitoring", QT_TRANSLATE_NOOP("CityCode", "Sample rasters at points")),
    "updatevintage": ("coding", QT_TRANSLATE_NOOP("CityCode", "Update to a new survey (vintage update)")),
    "validatecodes": ("validation", QT_TRANSLATE_NOOP("CityCode", "Validate codes")),
}

# The help paragraph of the *_DATUM parameters, shared by the coding algorithms.
DATUM_HELP = QT_TRANSLATE_NOOP(
    "CityCode",
    "<p><b>Datums</b> (a choice per input): <i>Detect automatically</i> (the default) tests each layer — "
    "its seat points against a shipped reference of division seats (GeoNames), DataV/AMap/Baidu field sets, "
    "names such as 高德, 百度, gcj, bd09, datav — and moves it from GCJ-02 / BD-09 to CGCS2000 when the "
    "evidence is clear; the log and the report say what was found and what was done. <i>As labelled</i> "
    "converts nothing but warns when a layer looks drawn on a web map.</p>")

HELP = {
    "assigncodes": (
        QT_TRANSLATE_NOOP(
            "CityCode",
            "<p>Places every building in the township/street division it lies in (落图) and gives it a unified "
            "city code (赋码): division code + year + sequence + unit + check character (the chosen profile). "
            "Codes already issued are kept: a registry remembers each building, so re-running after edits only "
            "codes what is new.</p>"
            "<h3>Parameters</h3><ul>"
            "<li><b>Buildings</b>: polygons to code. A layer of points or lines is refused, unless <b>code points "
            "and lines as point features</b> is set: points are coded where they are, lines by the point halfway "
            "along them (of a multi-line, along its longest part). Geometry collections are coded by their "
            "polygons; a feature whose coordinates are not numbers (NaN, infinite) is left out as "
            "invalid_geometry and the others are coded.</li>"
            "<li><b>Divisions</b> and <b>division code field</b>: division polygons and their code at any level: "
            "2/4/6 digits (GB/T 2260 province/prefecture/county, DataV/AMap adcodes; 320500 is prefecture 3205), "
            "9 digits (township/street) or 12 digits (statistics codes; 110101001000 is township 110101001).</li>"
            "<li><b>Year field</b> / <b>default year</b>: the year segment of new codes; features without a year "
            "use the default (empty = the current year).</li>"
            "<li><b>Identity field</b>: a stable ID of each building. Without it, a geometry fingerprint "
            "identifies buildings across re-runs (a reshaped building then counts as new): the geometry on a 1 cm "
            "grid in metres (lon/lat layers are projected first). Features whose id is empty fall back to it; "
            "the report lists them, and names for each duplicate identity the feature that has it first. "
            "A shapefile whose .dbf is missing has no ids: it is coded by fingerprint only when <b>allow coding "
            "by geometry fingerprint</b> is set.</li>"
            "<li><b>Unit field</b>: the unit segment (empty = whole building, 00000).</li>"
            "<li><b>Rule</b>: the division a straddling building belongs to — the one holding the largest share "
            "of its area, or the one containing its centroid (JGJ/T 246).</li>"
            "<li><b>Planning layers</b>: optional 三区三线 polygons (e.g. 生态保护红线, 永久基本农田, 城镇开发边界) "
            "to measure each building against.</li>"
            "<li><b>Code profile</b> / <b>profile file</b>: the code layout; a JSON file overrides the choice. "
            "auto (the default) takes the building profile of the divisions' level (building for townships, "
            "building_county for 6-digit county codes …; the log and the report say which). "
            "Scripts and qgis_process give the profile by name, e.g. PROFILE=building_county.</li>"
            "<li><b>Registry</b>: the file recording issued codes (created if missing, updated in place). "
            "Empty = beside the output. Set it when the output is temporary, or codes will not persist.</li>"
            "<li><b>Buildings / Divisions: coordinates really in</b>: for layers drawn on Chinese web maps, "
            "which label GCJ-02 (AMap, Tencent) or BD-09 (Baidu) coordinates as WGS84; they are moved to "
            "CGCS2000 first.</li>"
            "<li>A layer without a CRS, or whose CRS does not fit its coordinates, gets the CRS its coordinates "
            "show when that is certain (the log and the report say which); otherwise the run stops and asks you "
            "to set it. A CRS you set on the layer is used as is.</li>"
            "<li><b>Engine</b>: auto picks the fast file reader when it can, otherwise QGIS.</li>"
            "<li><b>Report</b>: an HTML or JSON summary.</li></ul>"
            "<h3>Inside PostGIS (province scale)</h3><p>When buildings, divisions and planning layers are all "
            "PostGIS tables of one database and the registry is a PostgreSQL registry in that database "
            "(postgresql://…, service=… or qgis:&lt;connection&gt;), the whole run happens inside the database as "
            "set-based SQL, with the same codes; nothing is read into QGIS. The result is a table in that database: "
            "choose <i>Save to PostGIS table…</i> for <b>Coded buildings</b>, or name it in <b>Output table</b> "
            "(schema.table; from qgis_process: OUTPUT_TABLE=public.buildings_coded); left temporary, it is "
            "&lt;buildings table&gt;_coded beside the buildings. An existing output table is replaced. Codes, the "
            "batch and the output table are committed together. Otherwise (a file output, selected features only, "
            "unsaved edits, another engine chosen …) the run happens in QGIS and the log says why.</p>"
            "<h3>Output fields</h3><p>The building fields, plus:</p><ul>"
            "<li><b>citycode</b>: the unified code (empty when the building could not be coded).</li>"
            "<li><b>division</b>: the division code the building was placed in.</li>"
            "<li><b>div_share</b>: share (0–1) of the building's area inside that division.</li>"
            "<li><b>straddle</b>: 1 when the building crosses a division boundary; <b>div_shares</b> then "
            "lists each division with its share.</li>"
            "<li><b>cc_status</b>: new, existing (code kept from an earlier run), outside (in no division), "
            "empty (no geometry), duplicate_id (identity already used by another feature) or exhausted "
            "(no sequence numbers left).</li>"
            "<li><b>cc_flags</b>: notes such as repaired (invalid geometry fixed), partly_outside, "
            "year_default (year field empty or implausible).</li>"
            "<li><b>&lt;layer&gt;_area</b>, <b>&lt;layer&gt;_pct</b>, <b>&lt;layer&gt;_hit</b>: for each planning "
            "layer, the overlap area (square metres), its percentage of the building, and 1 when they "
            "overlap.</li></ul>"),
        DATUM_HELP,
        QT_TRANSLATE_NOOP(
            "CityCode",
            "<p><b>Building parts</b> (OSM <i>building:part</i> polygons inside their building, or features whose "
            "<b>parent field</b> holds their building's id) get no building number of their own: they are coded as "
            "units of their building (its code with the unit segment 00001, 00002 …; cc_status part_unit) or "
            "reported and left uncoded (cc_status part), as chosen. The log and the report say how many there "
            "were.</p>"),
    ),
    "checkdivisions": (
        QT_TRANSLATE_NOOP(
            "CityCode",
            "<p>Checks the codes of a division layer (provinces down to townships/streets) against the "
            "national statistics division codes (统计用区划代码) shipped with the plugin; the log names "
            "the table's vintage.</p>"
            "<h3>Parameters</h3><ul>"
            "<li><b>Code field</b>: codes of 2, 4, 6, 9 or 12 digits (a 12-digit code ending in 000 is "
            "its 9-digit township; 6-digit GB/T 2260 spellings such as 110000 or 110100 are read as the "
            "province or prefecture).</li>"
            "<li><b>Name field</b> (optional): compared with the table's name, forgiving whitespace, "
            "街道办事处/街道 and 镇/乡.</li>"
            "<li><b>Parent code field</b> (optional): the parent each row claims, e.g. the county code of "
            "a township. Where the hierarchy has no real level in between, the level above is right too: "
            "the province for 省直辖县级行政单位 (仙桃 429004, 济源 419001, 兵团 cities 659xxx) and for the "
            "districts of 直辖市, the province for a 地级市 without districts (东莞 441900, 嘉峪关 620200) and that "
            "city for its townships.</li>"
            "<li><b>Adcode mapping</b> (optional): a CSV with the columns statistics_code and adcode (and "
            "optionally name, vendor, note), added to the shipped pairs (e.g. 苏州工业园区: statistics "
            "320576, map vendors 320571). Adcodes found in the layer are checked as their statistics "
            "code.</li></ul>"
            "<h3>Output fields</h3><p>The input fields, plus:</p><ul>"
            "<li><b>status</b>: ok, or the most serious finding: wrong_length, unknown, outdated (a former "
            "code; the message names its successor when known), wrong_parent, name_mismatch, "
            "adcode_mapped.</li>"
            "<li><b>message</b>: every finding, one per line.</li>"
            "<li><b>stat_code</b>: the statistics code the row was checked as.</li></ul>"),
    ),
    "codepoints": (
        QT_TRANSLATE_NOOP(
            "CityCode",
            "<p>Monitoring points (stations, survey marks, sensors) in one pass: read from a file or a point "
            "layer, placed in their township/street division, given a unified point code (division + JC + kind "
            "+ sequence, never reused, in the same registry as buildings), checked against the planning layers "
            "and sampled on rasters. Re-running on the same file keeps the codes already issued.</p>"
            "<h3>Parameters</h3><ul>"
            "<li><b>Points file</b>: CSV/TXT, Excel (.xlsx), GeoJSON, GeoPackage or Shapefile. Coordinate columns "
            "are found by name (经度/纬度, lon/lat, X/Y ...) or by their values; coordinates may be decimal degrees, "
            "degree-minute-second text (116°20′30″E, 116度20分30秒, 116 20 30) or metres of a CGCS2000 "
            "Gauss-Krüger zone. Rows that cannot be read are listed in the report with their line numbers.</li>"
            "<li><b>Or point layer</b>: a point layer of the project instead of a file.</li>"
            "<li><b>X / Y column</b>, <b>coordinate format</b>, <b>datum</b>, <b>encoding</b>: only when the "
            "detection gets them wrong. Station lists often write degrees.minutes (116.2 = 116°20′): choose "
            "dm, or dms_packed for 116.2030 = 116°20′30″. Datum: coordinates from AMap/Tencent are GCJ-02, from "
            "Baidu BD-09; they are moved to CGCS2000.</li>"
            "<li><b>Divisions</b>: codes of any level (2/4/6/9/12 digits); the code profile auto takes the point "
            "profile of that level (point for townships, point_county for 6-digit county codes …), a profile "
            "file any layout with a kind segment.</li>"
            "<li><b>Kind field</b>: what each point is, as a kind code (04) or in words (空气, 水质监测站, "
            "地面沉降 ...); words that name no kind get the default kind, and the report lists them.</li>"
            "<li><b>Identity field</b>: the station id (编号, 站号 ...; found by name when empty); without one, "
            "points are told apart by their coordinates and name.</li>"
            "<li><b>Planning layers</b> and <b>rasters</b>: the zones each point lies in (with their class, e.g. "
            "the 用地用海 code) and the raster values at it (empty where the raster has no data).</li></ul>"
            "<h3>Output</h3><p>Points in CGCS2000 longitude/latitude with the source columns and: citycode, "
            "division, cc_kind, cc_status (new, existing, outside, duplicate_id ...), cc_flags, src_line (the "
            "source line), lon_cgcs / lat_cgcs, &lt;layer&gt;_in and &lt;layer&gt;_class per planning layer, "
            "and one column per raster band.</p>"),
        DATUM_HELP,
    ),
    "convertdatum": (
        QT_TRANSLATE_NOOP(
            "CityCode",
            "<p>Moves points, lines or polygons between the Chinese web-map datums and WGS84 / CGCS2000, "
            "e.g. to overlay points picked on AMap or Baidu maps with survey data, or the reverse.</p>"
            "<p><b>GCJ-02</b> (国测局坐标, \"Mars coordinates\") is WGS84 with a deliberate, irregular "
            "offset of a few hundred metres that Chinese regulations require of published maps. AMap "
            "(高德), Tencent (腾讯) and Google's map of China use it. It applies only inside a rectangle "
            "around China (72.004–137.8347°E, 0.8293–55.8271°N); points outside are left unchanged.</p>"
            "<p><b>BD-09</b> (百度坐标) is Baidu's own second offset on top of GCJ-02, about 1 km more.</p>"
            "<p><b>Beware of labels</b>: data from AMap or Tencent labelled EPSG:4326 / WGS84 is really "
            "GCJ-02, and from Baidu it is BD-09. Choose the datum the coordinates are really in, not the "
            "one the file claims.</p>"
            "<p>WGS84 and CGCS2000 are treated as the same datum (they differ by centimetres). Converting "
            "to GCJ-02 or BD-09 is exact; converting back is iterative, to better than 1 cm (the common "
            "one-step formula is off by up to about 5 m).</p>"
            "<h3>Parameters</h3><ul>"
            "<li><b>Input layer</b>: any vector layer. Lon/lat data is converted as it is; projected data "
            "(e.g. EPSG:3857 web-map tiles) is unprojected, converted and projected back.</li>"
            "<li><b>From datum</b>, <b>To datum</b>: wgs84, cgcs2000, gcj02 or bd09 (scripts and "
            "qgis_process give them by name, e.g. FROM=gcj02 TO=cgcs2000).</li></ul>"),
        QT_TRANSLATE_NOOP(
            "CityCode",
            "<p><b>From datum</b> <i>Detect automatically</i> (FROM=auto) converts from the datum the layer's seat "
            "points, its fields (DataV/AMap, Baidu) or its names show, and stops when they show none clearly.</p>"
            "<h3>Output</h3><p>The input features and fields, with converted geometries (Z and M kept). "
            "Lon/lat output is labelled EPSG:4490 for CGCS2000 and EPSG:4326 otherwise; projected input "
            "keeps its CRS.</p>"),
    ),
    "exportcodedmap": (
        QT_TRANSLATE_NOOP(
            "CityCode",
            "<p>Prints coded buildings or projects: a single map, an atlas with one page per division "
            "(township), or a code card per feature with its code, name, division, overlaps with the planning "
            "layers, linked codes, a small map and a QR code.</p>"
            "<h3>Parameters</h3><ul>"
            "<li><b>Coded layer</b>: the output of Assign codes (field citycode).</li>"
            "<li><b>Division layer</b> and <b>division code field</b>: boundaries on the map; the atlas makes a "
            "page per division. Division names come from a field called name (or mc, 名称).</li>"
            "<li><b>Planning layers</b>: drawn with the 三区三线 / 用地用海 styles, named by their kind or their own "
            "name (the layer inside a GeoPackage, not the file's); the cards list the feature's overlap with each. "
            "None chosen: the project's planning layers (those Planning layers… loaded, those of the group named "
            "in the CityCode settings, those recognised as 三区三线 / 用地用海).</li>"
            "<li><b>Template</b>: A4 or A3, landscape or portrait, or your own .qpt (it needs a map item with the id "
            "'map'; labels may use @citycode_title, @citycode_issuer and @citycode_crs).</li>"
            "<li><b>Issuing unit</b> and <b>QR URL template</b>: empty = from the CityCode settings. With a URL "
            "template such as https://example.gov.cn/code/{code} the QR code holds that address, otherwise the "
            "code.</li>"
            "<li><b>Codes</b>: the codes to make cards for (separated by commas, spaces or new lines); or tick "
            "<b>selected features only</b>; neither = a card for every coded feature.</li>"
            "<li><b>Format</b>: PDF (one file, a page per division or card) or PNG (one file per page, named "
            "after the output file and the division or code).</li></ul>"),
        QT_TRANSLATE_NOOP(
            "CityCode",
            "<h3>On paper</h3><ul>"
            "<li>Atlas: code labels are at least 6 pt on paper and never overlap; when some building of a page "
            "cannot be labelled, a table of the codes of its division follows the page.</li>"
            "<li>Cards: one A5 page each. <b>Cards for the features of this division</b> limits them to one "
            "division; the log says how many pages there are before printing, and more than {} are printed only "
            "with <b>print them all</b> ticked.</li></ul>"),
    ),
    "exportcodes": (
        QT_TRANSLATE_NOOP(
            "CityCode",
            "<p>Writes a layer (e.g. the coded buildings) in a format other systems read: GeoPackage, Shapefile, "
            "CSV, Excel (XLSX) or GeoJSON. Codes stay text, Chinese text stays intact, and whatever a format "
            "cannot hold as it is is changed and listed in the log and the REPORT output, with the features "
            "concerned (by their code, else their row number). The file appears complete or not at all.</p>"
            "<h3>Formats</h3><ul>"
            "<li><b>gpkg</b>: everything as it is (the fastest).</li>"
            "<li><b>shp</b>: field names of at most 10 bytes (the full names are in <i>name</i>.fields.csv beside "
            "it), text of at most 254 bytes (longer values are cut and listed), date-times as text, at most 2 GB "
            "per file (refused before writing). A .cpg file says the encoding.</li>"
            "<li><b>csv</b>: UTF-8 with a BOM so Excel shows Chinese right, a .csvt beside it so GIS programs "
            "keep codes as text. Excel ignores the .csvt: opening a CSV, it turns digit-only text into numbers "
            "(a 23-digit code becomes 3.4E+22, leading zeros go) and 1-2 into a date. Tick <i>CSV for Excel</i> "
            "to write such values as =\"...\", a formula whose result is the text itself, which every Excel "
            "shows as it is (a leading apostrophe or tab would stay in the cell); other programs then read those "
            "characters too. Without it, the log lists the fields Excel would spoil.</li>"
            "<li><b>xlsx</b> (the choice for Excel users): text is written as text cells, so codes show as they "
            "are and stay text. At most 1 048 575 rows.</li>"
            "<li><b>geojson</b>: RFC 7946: WGS84 longitude/latitude, 7 decimals (about 1 cm).</li></ul>"
            "<h3>Parameters</h3><ul>"
            "<li><b>Encoding</b> (Shapefile): UTF-8, or GBK for ArcGIS 10.x and older Chinese systems (the .cpg "
            "then says 936, the code page of GBK, and so does the .dbf's code page byte). Text GBK "
            "cannot hold (rare characters such as 𠀾, emoji) stops the export with the features listed; choose "
            "UTF-8 then, or tick <i>Write '?' for characters GBK cannot hold</i>.</li>"
            "<li><b>Fields</b>: the fields to write, in this order (empty: all).</li>"
            "<li><b>Datum</b>: as_input keeps the layer's CRS (GeoJSON: WGS84); wgs84 / cgcs2000 write "
            "longitude/latitude. CGCS2000 and WGS84 differ by centimetres, so CGCS2000 data goes to WGS84 as it "
            "is. gcj02 (AMap/Tencent's offset datum) is written only when chosen here.</li>"
            "<li><b>Geometry</b> (CSV, XLSX): a WKT column, the x/y of a point (for lines and polygons their "
            "centroid or a point surely inside them, in the chosen datum), or none.</li></ul>"),
    ),
    "checkout": (
        QT_TRANSLATE_NOOP(
            "CityCode",
            "<p>Writes one GeoPackage to take into the field, where there is no network: the features of an area "
            "with their codes, its divisions, the planning layers reaching into it, a copy of the area's codes, "
            "and a block of sequence numbers per division and year reserved for the package in the shared "
            "registry. Codes issued from the package (Assign unified codes, Code monitoring points or the code "
            "form with the package as registry) come only from its blocks, so packages coded on several "
            "laptops and the office never give out the same code. Bring the work back with 'Check in a field "
            "package'.</p>"
            "<h3>Parameters</h3><ul>"
            "<li><b>Shared registry</b>: where the codes are kept (file or PostgreSQL).</li>"
            "<li><b>Features</b>: buildings, projects ... to take along (with their citycode field).</li>"
            "<li><b>Divisions</b>, <b>division code field</b>: township/street polygons.</li>"
            "<li><b>Area</b>: division codes separated by commas, or an extent (the divisions it touches).</li>"
            "<li><b>Code profiles</b>, <b>years</b>: the blocks to reserve (years separated by commas, empty = "
            "this year; profiles without a year segment ignore them).</li>"
            "<li><b>Block size</b>: sequence numbers per division and year; a block used up in the field gives "
            "the status 'exhausted', never a code outside it.</li></ul>"),
    ),
    "checkin": (
        QT_TRANSLATE_NOOP(
            "CityCode",
            "<p>Merges what was done with a field package back into the shared registry, in one transaction: "
            "codes issued in the field (checked to lie in the package's reserved blocks, otherwise nothing is "
            "checked in), edited names and linked codes, retirements, splits and merges. Running it again "
            "changes nothing. A code changed in the registry since the check-out and also in the package is "
            "not applied: it is kept as a conflict with both versions until you resolve it ('Resolve a field "
            "package conflict', or the conflicts dialog).</p>"
            "<p>Then the features come home: the package's buildings (projects ...) are written to the layer they "
            "were checked out from, or to the <b>target layer</b>, matched by their code: features coded in the "
            "field are added, features moved or edited in the field are updated (the target's own fields; "
            "reprojected when its CRS differs). A feature changed in the target too since the check-out is not "
            "overwritten: it becomes a conflict with both versions. A feature whose code was retired in the field "
            "stays in the layer, with cc_status 'retired' when the layer has that field. The registry is saved "
            "first; when the layer cannot be saved, run the check-in again once it can: it finishes the job "
            "without doing anything twice. Save or discard your own edits of the target layer first.</p>"),
    ),
    "resolveconflict": (
        QT_TRANSLATE_NOOP(
            "CityCode",
            "<p>Settles a conflict left by a check-in: keep the registry's version of the code, or apply the "
            "package's. Either way the conflict is closed and the registry's history records who chose "
            "what. For a feature changed both in the field and in the target layer, 'package' writes the "
            "package's feature to that layer.</p>"),
    ),
    "importpoints": (
        QT_TRANSLATE_NOOP(
            "CityCode",
            "<p>Reads monitoring points (stations, survey marks, sensors) from the files staff receive and makes "
            "a point layer in CGCS2000 longitude/latitude (EPSG:4490). Coordinates may be decimal degrees, "
            "degrees-minutes-seconds text in any notation (117°15′04″, 117度15分04秒, 117 15 04, 东经117:15:04), "
            "the degrees.minutes numbers of station lists, or Gauss-Krüger metres; in CGCS2000/WGS84 or in a "
            "web-map datum. Nothing is dropped silently: every row that cannot be imported is listed with its "
            "line in the file, the column, the value and why.</p>"
            "<h3>Parameters</h3><ul>"
            "<li><b>Points file</b>: CSV/TXT (UTF-8 or GBK, any delimiter; delimited text is read as such whatever "
            "its extension, e.g. a station list saved as .ini or .dat), XLSX, GeoJSON, GeoPackage or "
            "shapefile. Station lists: degrees and minutes as whole numbers (纬度 3954 = 39°54′) are read as "
            "such; an altitude column (海拔高度, altitude ...) whose estimated values carry 10000 m (or 100000 in "
            "0.1 m) gets alt_true (metres) and alt_flag (estimated); text with characters lost for good ('?', "
            "U+FFFD, 锟斤拷) is named per row in text_lost.</li>"
            "<li><b>Sheet or layer</b>: of a spreadsheet or GeoPackage (empty: the first).</li>"
            "<li><b>Longitude / X column</b>, <b>Latitude / Y column</b>: empty: found by name (经度, 纬度, lon, "
            "X ...) or by value. Give only the first for a column holding both (\"117.25, 31.85\").</li>"
            "<li><b>Coordinate format</b>: how plain numbers are read: auto (decimal degrees unless the header "
            "or the values say degrees.minutes), decimal, dm (116.2030 = 116°20.30′), dms_packed "
            "(116.2030 = 116°20′30″). Text with degree/minute/second marks is always read as such.</li>"
            "<li><b>Datum</b>: auto (the layer's CRS, else a hint in the header or file name such as 高德, 百度, "
            "GCJ, else CGCS2000), or the datum the coordinates are really in: WGS84, CGCS2000, GCJ02 "
            "(AMap/Tencent), BD09 (Baidu).</li>"
            "<li><b>Id column</b>: the points' ids (empty: found by name, e.g. 点位编号); without one a point is "
            "identified by its coordinates as written. Repeated ids are reported, the first kept.</li>"
            "<li><b>Text encoding</b>: auto (byte order mark, else UTF-8, else GBK), UTF-8 or GBK.</li>"
            "<li><b>CRS of coordinates in metres</b>: empty: inferred from the values (CGCS2000 Gauss-Krüger "
            "zones).</li>"
            "<li><b>Problems report</b> (optional): .html, .csv or .json, every row not imported with its "
            "line, column, value and reason.</li></ul>"
            "<h3>Outputs</h3><ul>"
            "<li><b>Points</b>: the file's columns, plus <b>src_line</b> (the row's line in the file: CSV "
            "lines counted from the header as line 1, spreadsheet rows, feature ids), <b>lon_cgcs</b> and "
            "<b>lat_cgcs</b> (CGCS2000 degrees).</li>"
            "<li><b>POINTS</b>, <b>NOT_IMPORTED</b>: points imported, rows not imported.</li></ul>"
            "<p>The format, datum and columns found are written to the log.</p>"),
    ),
    "importobservations": (
        QT_TRANSLATE_NOOP(
            "CityCode",
            "<p>Stores what was measured at coded monitoring points in the code registry, checks it against "
            "thresholds and lists the exceedances. The file may be long (one row per point, time and variable: "
            "点位编号, 监测时间, 监测项目, 监测值, 单位) or wide (one column per variable, the unit in the header: "
            "PM2.5(μg/m³)). Values below the detection limit (\"&lt;0.01\", \"0.01L\") are kept as such and never "
            "exceed an upper limit. Importing the same file again adds nothing; a value that differs from the "
            "stored one is a conflict.</p>"
            "<h3>Parameters</h3><ul>"
            "<li><b>Observations file</b>: CSV (UTF-8 or GBK) or XLSX.</li>"
            "<li><b>Code registry</b>: the registry the points were coded into (empty: the one in the CityCode "
            "settings).</li>"
            "<li><b>Namespace of the point ids</b>: the file's point column may hold codes, or the ids of the "
            "points file that was coded. Ids are looked up under this namespace: the name of that points file "
            "without its extension (monitoring_points for monitoring_points.csv) or of its layer, unless the "
            "coding run gave another. Empty: the file must hold codes.</li>"
            "<li><b>When a stored value differs</b>: keep the stored value, or replace it; either way the conflict "
            "is reported and audited.</li>"
            "<li><b>Thresholds</b> (optional): a CSV with the columns 指标 (variable), 下限 (lower), 上限 (upper), "
            "单位 (unit), stored in the registry before the import; a value exactly at a limit does not exceed "
            "it.</li>"
            "<li><b>Point / time / variable / value / unit column</b>: empty: found by name.</li>"
            "<li><b>Report</b> (optional, .html, .csv or .json): every row not stored as it came, with its line "
            "and the reason (unreadable, unknown point, repeated, conflict, unit that does not convert).</li>"
            "<li><b>Exceedances</b> (optional CSV): the observations of this file that exceed their threshold, "
            "as stored after the import, with the point id and line in the file.</li></ul>"
            "<h3>Outputs</h3><p><b>ADDED</b>, <b>UNCHANGED</b> (already stored with the same value), "
            "<b>CONFLICTS</b>, <b>UNRESOLVED</b> (point not found), <b>INVALID</b> (unreadable or repeated rows), "
            "<b>EXCEEDANCES_COUNT</b>.</p>"),
    ),
    "exportobservations": (
        QT_TRANSLATE_NOOP(
            "CityCode",
            "<p>Writes the observations stored in the code registry to a CSV (UTF-8 with BOM, for Excel) or "
            "XLSX file: one row per point code, variable and time, with the value, its unit, the detection-limit "
            "mark, the variable's limits and whether the value exceeds them (empty when its unit does not "
            "convert into the threshold's).</p>"
            "<h3>Parameters</h3><ul>"
            "<li><b>Code registry</b>: empty: the one in the CityCode settings.</li>"
            "<li><b>Point codes</b>: codes separated by commas or new lines (empty: every point).</li>"
            "<li><b>Variables</b>: variables separated by commas or new lines, e.g. PM2.5, 噪声 (empty: every "
            "variable).</li>"
            "<li><b>Output file</b>: .csv or .xlsx.</li></ul>"
            "<h3>Outputs</h3><p><b>ROWS</b>: observations written.</p>"),
    ),
    "overlaycheck": (
        QT_TRANSLATE_NOOP(
            "CityCode",
            "<p>Measures how much of each building lies in each planning layer (三区三线: 生态保护红线, "
            "永久基本农田, 城镇开发边界, …). Codes and the registry are not touched.</p>"
            "<h3>Parameters</h3><ul>"
            "<li><b>Buildings</b>: polygons to check.</li>"
            "<li><b>Planning layers</b>: one or more polygon layers; each layer's name names its output fields "
            "(e.g. 生态保护红线_area).</li>"
            "<li><b>Buildings: coordinates really in</b>: for layers drawn on Chinese web maps, which label "
            "GCJ-02 (AMap, Tencent) or BD-09 (Baidu) coordinates as WGS84; they are moved to CGCS2000 first.</li>"
            "<li><b>Engine</b>: auto picks the fast file reader when it can, otherwise QGIS.</li>"
            "<li><b>Report</b>: an HTML or JSON summary.</li></ul>"
            "<h3>Inside PostGIS (province scale)</h3><p>When the buildings and every planning layer are PostGIS "
            "tables of one database, the check runs inside the database as set-based SQL (same areas); the result "
            "is a table there: choose <i>Save to PostGIS table…</i> for the output, or name it in <b>Output "
            "table</b> (schema.table; from qgis_process: OUTPUT_TABLE=public.buildings_overlay); left temporary, "
            "it is &lt;buildings table&gt;_overlay beside the buildings, replaced when it exists. Otherwise the "
            "check runs in QGIS and the log says why.</p>"
            "<h3>Output fields</h3><p>The building fields, plus for each planning layer:</p><ul>"
            "<li><b>&lt;layer&gt;_area</b>: area of overlap (square metres).</li>"
            "<li><b>&lt;layer&gt;_pct</b>: that area as a percentage of the building.</li>"
            "<li><b>&lt;layer&gt;_hit</b>: 1 when the building overlaps the layer (slivers below 0.01 m² "
            "do not count).</li></ul>"),
        DATUM_HELP,
    ),
    "repairtext": (
        QT_TRANSLATE_NOOP(
            "CityCode",
            "<p>Reads a layer with the right text encoding, repairs text garbled by an earlier wrong reading and "
            "reports text lost for good. Typical Chinese data: shapefiles in GBK without a .cpg file, which other "
            "programs read as Latin-1 (城关镇 shows as ³Ç¹ØÕò), and copies saved in that state.</p>"
            "<h3>Parameters</h3><ul>"
            "<li><b>Input file</b> or <b>input layer</b>: a shapefile (or any vector file), or a layer of the "
            "project. Give one of them.</li>"
            "<li><b>Encoding</b>: auto takes the .cpg file of a shapefile, else the code page byte of its .dbf, "
            "else what its text decodes as (UTF-8, else GB18030, which covers GBK and GB2312); the log says which "
            "and how. Choose an encoding to override it (shapefiles only).</li>"
            "<li><b>Output</b>: a GeoPackage or a shapefile (in UTF-8, with a .cpg file).</li></ul>"
            "<h3>What is repaired</h3><p>Text read in the wrong encoding and saved, up to three times over: GBK "
            "or UTF-8 read as Latin-1 or cp1252 (城关镇 as ³Ç¹ØÕò), that saved as UTF-8 and read as Latin-1 "
            "again (a .cpg saying ISO-8859-1 over UTF-8 bytes), UTF-8 read twice (åŸŽå…³é•‡), and GBK read as "
            "UTF-8 where the bytes were kept; in field values and field names. A value counts as repaired only "
            "when the result reads as Chinese (common characters, no stray Latin letters or symbols). A wrong .cpg "
            "or code page byte (ISO-8859-1 or cp1252 over UTF-8 or GBK text, GBK over UTF-8) is found from the "
            "text and said in the log. Every CityCode algorithm reading a layer repairs its text the same way.</p>"
            "<p>Not repaired, left as they are and reported per field: text that looks garbled but gives no "
            "Chinese text in any encoding, and text lost for good (锟斤拷, the replacement character �, question "
            "marks in place of characters).</p>"
            "<h3>Output fields</h3><p>The input fields, plus:</p><ul>"
            "<li><b>enc_status</b>: ok, repaired, garbled (some text of the row garbled beyond repair) or lost "
            "(some text of the row lost for good).</li>"
            "<li><b>enc_fields</b>: which fields were repaired, garbled or lost.</li></ul>"),
    ),
    "samplerasters": (
        QT_TRANSLATE_NOOP(
            "CityCode",
            "<p>Adds the values of one or more rasters at each point: a point takes the value of the cell it "
            "falls in (on a cell edge, the cell to its right / below, as in GDAL and QGIS). The points may be in "
            "any CRS; they are moved into each raster's CRS, never the rasters. The band's scale and offset are "
            "applied; the nodata value, NaN and masked cells are missing values. Large rasters are read only "
            "around the points.</p>"
            "<h3>Parameters</h3><ul>"
            "<li><b>Points</b>: a point layer (a multipoint stands for its first point).</li>"
            "<li><b>Rasters</b>: one or more raster layers.</li>"
            "<li><b>Bands</b>: band numbers read from every raster, e.g. 1 or 1,3 (empty: every band except "
            "alpha bands).</li></ul>"
            "<h3>Output fields</h3><p>The input fields, plus per raster band:</p><ul>"
            "<li><b>&lt;raster&gt;</b> (<b>&lt;raster&gt;_b&lt;band&gt;</b> for a raster with several bands): "
            "the value, empty (NULL) where it is missing.</li>"
            "<li><b>&lt;column&gt;_why</b> beside each value column: why its value is missing: <i>nodata</i> "
            "(nodata value or masked cell), <i>outside</i> (the point is not on the raster), <i>no_geometry</i>; "
            "empty when there is a value.</li></ul>"
            "<h3>Outputs</h3><p><b>VALID</b> and <b>MISSING</b>: values read and values missing, over every "
            "point and band.</p>"),
    ),
    "updatevintage": (
        QT_TRANSLATE_NOOP(
            "CityCode",
            "<p>Takes last year's coded buildings and this year's survey and makes this year's coded layer: "
            "every new building is matched to the old ones by geometry (share of overlap both ways, shift, area) "
            "and classified. Codes are carried, issued or retired, each for a stated reason, and the registry's "
            "history shows why.</p><ul>"
            "<li><b>unchanged</b>: moved at most the tolerance, same area: the code is carried.</li>"
            "<li><b>modified</b>: the same building changed: the code is carried, the change (area, shift) is "
            "recorded with it.</li>"
            "<li><b>new</b>: a new code in the division it lies in.</li>"
            "<li><b>demolished</b>: the old code is retired with the reason; only inside the surveyed area.</li>"
            "<li><b>split</b> / <b>merged</b>: the registry's split and merge, as the code form does: old codes "
            "retired, new ones issued, lineage kept.</li>"
            "<li><b>ambiguous</b>: left for review (menu <i>Review a vintage update</i>); nothing is changed.</li>"
            "</ul><p>Buildings outside the surveyed area (the <b>surveyed area</b> polygons, else the survey's "
            "convex hull) are untouched and copied to the output with their codes. All registry changes and the "
            "output are one transaction; running it again changes nothing.</p>"
            "<h3>Output fields</h3><p>The survey's fields, plus the code field, <b>cc_change</b> (the class), "
            "<b>cc_old</b> (the old code(s) it continues), <b>cc_shift</b> (m) and <b>cc_area_chg</b> (new area "
            "/ old area - 1).</p>"),
    ),
    "validatecodes": (
        QT_TRANSLATE_NOOP(
            "CityCode",
            "<p>Checks the codes in a field: CityCode's own codes and the national codes a unified code links "
            "(统一社会信用代码, 不动产单元号, 投资项目代码, GB/T 2260 division codes) — length, layout, allowed "
            "characters and letters, year, division code and check characters. Works on any layer or table; a "
            "row per input feature comes out.</p>"
            "<h3>Parameters</h3><ul>"
            "<li><b>Input</b>: the layer or table holding the codes.</li>"
            "<li><b>Code field</b>: the field to check.</li>"
            "<li><b>Kind of code</b>: auto recognises the kind of each code by its layout; otherwise every "
            "value is checked against the chosen kind. Scripts and qgis_process give it by name, e.g. KIND=auto, "
            "KIND=building or KIND=uscc.</li></ul>"
            "<h3>Output fields</h3><p>The input fields, plus:</p><ul>"
            "<li><b>valid</b>: true when the code passes every check.</li>"
            "<li><b>profile</b>: the kind of code it was checked as (empty when none matched).</li>"
            "<li><b>reasons</b>: what is wrong, one reason per line (empty when valid); a valid code may carry a "
            "note, e.g. a division code missing from the shipped GB/T 2260 table.</li></ul>"
            "<h3>Kinds of code</h3><ul>"),
    ),
}
