"""Planning layers: recognise 三区三线 and 用地用海 layers, and load them grouped with the standard styles.

- What a layer is comes from evidence, each piece with a score: its name (Chinese names, pinyin initials,
  English), its title/alias (GeoPackage identifier, FileGDB alias, PostGIS table comment), its field names
  (those of the national 三区三线 delivery databases: HXBM/HXMC/HXLX for 生态保护红线, YJJBNTTBBH/YJJBNTMJ for
  永久基本农田) and the values in its fields (用地用海 codes per the 2023 classification, "城镇集中建设区" for the
  planning zones inside the 城镇开发边界, a kind's Chinese name in a type field).
- A 用地用海 layer is recognised by a field whose values are codes of the classification table
  (resources/styles/ydyh_classes.csv), whatever the field is called; integer fields that lost the leading
  zero (101 for 0101) count too.
- Raster planning layers (GeoTIFFs, GeoPackage raster tables, ...) are recognised by the same evidence: their
  name and title, and their cells: a raster whose cell values are 用地用海 codes (0101 stored as 101), or with a
  raster attribute table holding the codes, is a 用地用海 raster; 0/1 cells make a 三区三线 mask more likely.
  A raster only named like a planning layer is a "planning raster" (loaded as is).
- The loader puts the layers in the project under "规划图层 / Planning" (sub-groups 三区三线 and 用地用海),
  applies the QML styles of resources/styles/ and points the 用地用海 style at the layer's own code field.
  Rasters get a paletted renderer made from their cell values: 用地用海 classes in the colours of the vector
  style with their names, 三区三线 masks in the kind's colour, translucent, 0 and nodata transparent.
No widgets here: the dialog (plugin/gui/planning_dialog.py) only shows and edits a plan made by this module.
"""
import csv
import os
import re
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

from qgis.core import (
    QgsAbstractDatabaseProviderConnection,
    QgsCategorizedSymbolRenderer,
    QgsDataSourceUri,
    QgsExpression,
    QgsFeatureRequest,
    QgsLayerTreeGroup,
    QgsLayerTreeLayer,
    QgsMapLayer,
    QgsMapLayerType,
    QgsPalettedRasterRenderer,
    QgsProject,
    QgsProviderRegistry,
    QgsRasterLayer,
    QgsSettings,
    QgsSymbolLayerUtils,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QMetaType

from ..china.encodings import detect_encoding
from ..definitions import RESOURCES_DIR
from ..i18n import tr

STYLES_DIR = os.path.join(RESOURCES_DIR, "styles")
CLASSES_CSV = os.path.join(STYLES_DIR, "ydyh_classes.csv")

STBHHX, YJJBNT, CZKFBJ, YDYH, RASTER = "stbhhx", "yjjbnt", "czkfbj", "ydyh", "raster"
NONE = ""  # not a planning layer
KINDS = (STBHHX, YJJBNT, CZKFBJ, YDYH, RASTER)
SQSX_KINDS = (STBHHX, YJJBNT, CZKFBJ)

ROOT_GROUP = "规划图层 / Planning"
HAND_GROUPS = ("规划图层", "Planning")  # what people call the group when they make it by hand
SQSX_GROUP = "三区三线"
YDYH_GROUP = "用地用海"
STYLE_FILES = {STBHHX: "stbhhx.qml", YJJBNT: "yjjbnt.qml", CZKFBJ: "czkfbj.qml", YDYH: "ydyh.qml"}
YDYH_STYLE_FIELD = "YDYHFLDM"  # the field ydyh.qml classifies on (scripts/make_styles.py)
# Drawing order in the group, top first: the boundary outline over the red line over the farmland over
# the (opaque) land use fills, rasters at the bottom (and below the vectors of their kind).
DRAW_ORDER = (CZKFBJ, STBHHX, YJJBNT, YDYH, RASTER)
# The colour each 三区三线 kind is known by (the outline of its vector style; a mask raster's cells).
SQSX_COLOURS = {STBHHX: (230, 0, 0), YJJBNT: (190, 140, 0), CZKFBJ: (150, 40, 200)}
MASK_ALPHA = 130  # a mask raster lets what lies under it show through

SETTINGS_KEY = "citycode/planning_sources"
POSTGIS_PREFIX = "postgis:"  # remembered PostGIS sources read "postgis:<connection name>/<schema>"
REMEMBER = 20

VECTOR_EXTENSIONS = (".gpkg", ".shp", ".geojson", ".json", ".sqlite", ".kml", ".tab", ".mif")
RASTER_EXTENSIONS = (".tif", ".tiff", ".img", ".vrt", ".jp2", ".ecw", ".asc")
SAMPLE_FEATURES = 1000  # features read to sample field values (the first ones: bounded cost on any size)
SAMPLE_VALUES = 200     # distinct values kept per field
CELL_VALUES = "<cells>"  # LayerInfo.values key (and PlanItem.code_field) of a raster's own cell values
MAX_CELL_RANGE = 300000  # integer rasters whose values span more than this are not classes (codes end at 24xxxx)
MAX_CLASSES = 1000       # nor are rasters with more distinct values (elevations, ...)
EXACT_CELLS = 64_000_000  # larger rasters are counted from their overviews or a sample (GDAL's approx_ok)
YDYH_SHARE = 0.9        # share of a field's distinct values that must be 用地用海 codes

# Names, as they appear in layer names and titles (compared without case, spaces, "_", "-", ".").
NAME_PATTERNS = {
    STBHHX: ("生态保护红线", "生态红线", "stbhhx", "sthx", "stbh", "ecologicalprotectionredline",
             "ecologicalredline", "ecoredline"),
    YJJBNT: ("永久基本农田", "基本农田", "yjjbnt", "jbnt", "permanentbasicfarmland", "basicfarmland"),
    CZKFBJ: ("城镇开发边界", "czkfbj", "kfbj", "urbandevelopmentboundary"),
    YDYH: ("用地用海", "规划用地", "土地利用规划", "用地规划", "规划地类", "ydyh", "ghyd", "landuseplan"),
}
# Names that look like a kind but are something else: 基本农田储备区 (reserve), 村庄开发边界 (villages).
NAME_EXCLUDED = {YJJBNT: ("储备",), CZKFBJ: ("村庄",)}
RASTER_PATTERNS = ("规划", "用地", "用海", "三区三线", "红线", "农田", "开发边界", "ydyh", "ghyd", "planning")

# Field names of the 三区三线 delivery databases (upper case), with their Chinese aliases.
FIELD_EVIDENCE = {
    STBHHX: ("HXBM", "HXMC", "HXLX", "红线编码", "红线名称", "红线类型"),
    YJJBNT: ("YJJBNTTBBH", "YJJBNTTBMJ", "YJJBNTMJ", "JBNTTBBH", "JBNTMJ", "永久基本农田图斑编号",
             "基本农田图斑编号", "永久基本农田面积"),
}
# Field values: the planning zones (规划分区) of the area inside the 城镇开发边界, and the kinds' own names.
VALUE_EVIDENCE = {
    CZKFBJ: ("城镇集中建设区", "城镇弹性发展区", "特别用途区", "城镇开发边界"),
    STBHHX: ("生态保护红线",),
    YJJBNT: ("永久基本农田",),
}
# Usual names of the 用地用海 code field, preferred when several fields hold codes.
YDYH_FIELDS = ("YDYHFLDM", "YDYHDM", "GHYDDM", "GHDLBM", "YDDM", "YDYHEJLDM", "DLBM", "用地用海代码",
               "用地用海分类代码", "规划地类编码", "地类编码")

# QgsField.type(): QMetaType.Type in QGIS 4, a QVariant.Type of the same value before
_INTEGER_TYPES = (QMetaType.Type.Int, QMetaType.Type.LongLong, QMetaType.Type.UInt, QMetaType.Type.ULongLong)


def kind_label(kind: str) -> str:
    return {
        STBHHX: tr("Ecological protection red line"),
        YJJBNT: tr("Permanent basic farmland"),
        CZKFBJ: tr("Urban development boundary"),
        YDYH: tr("Land and sea use"),
        RASTER: tr("Planning raster"),
    }.get(kind, tr("Not a planning layer"))


# -- the classification table ------------------------------------------------------------------------------
@dataclass(frozen=True)
class YdyhClass:
    code: str
    name: str
    parent: str  # "" for the 24 first-level classes
    level: int
    rgb: Tuple[int, int, int]
    colour_source: str  # "official" (制图规范 附录 B), "official_parent" (its parent's official colour),
    # "palette" (ours, for the few first-level classes the table does not list) or "derived" (a shade of it)


_CLASSES: Dict[str, List[YdyhClass]] = {}


def ydyh_classes(path: str = CLASSES_CSV) -> List[YdyhClass]:
    """The 用地用海 classification (2023) with colours, in table order."""
    if path not in _CLASSES:
        with open(path, encoding="utf-8", newline="") as f:
            _CLASSES[path] = [YdyhClass(code=r["code"], name=r["name"], parent=r["parent"], level=int(r["level"]),
                                        rgb=(int(r["r"]), int(r["g"]), int(r["b"])),
                                        colour_source=r["colour_source"])
                              for r in csv.DictReader(f)]
    return _CLASSES[path]


def ydyh_codes() -> Dict[str, str]:
    """code -> name."""
    return {c.code: c.name for c in ydyh_classes()}


def normalise_code(value) -> Optional[str]:
    """A field value as a 用地用海 code candidate: digits with the leading zero an integer field lost
    (101 -> "0101", 70101 -> "070101"); None for anything that is not digits."""
    if value is None:
        return None
    text = str(value).strip()
    if not text.isdigit() or len(text) > 6:
        return None
    return "0" + text if len(text) % 2 else text


# -- what is known about a layer ---------------------------------------------------------------------------
@dataclass
class LayerInfo:
    uri: str
    provider: str                   # "ogr", "gdal", "postgres", ...
    name: str
    layer_type: str = "vector"      # or "raster"
    title: str = ""                 # alias / identifier / table comment
    fields: Dict[str, str] = field(default_factory=dict)         # field name -> alias ("" when none)
    values: Dict[str, List[str]] = field(default_factory=dict)   # field -> distinct sampled values (text)
    integer_fields: List[str] = field(default_factory=list)
    encoding: Optional[str] = None  # shapefile text encoding to open it with
    source: str = ""                # the GeoPackage / folder / PostGIS schema it was found in
    error: str = ""                 # why it could not be read ("" = read)
    cells: List[int] = field(default_factory=list)  # raster: the distinct values of band 1 (integer classes)
    rat: Dict[str, Dict[int, str]] = field(default_factory=dict)  # raster attribute table: column -> cell -> text


@dataclass
class PlanItem:
    """One layer of a plan: what it is, where it goes, how sure and why. `kind` may be corrected by the user."""
    info: LayerInfo
    kind: str
    confidence: float
    why: str
    code_field: Optional[str] = None  # the field holding 用地用海 codes, if any
    code_padded: bool = False         # its codes lost the leading zero (integer field)
    load: bool = True

    @property
    def group(self) -> Tuple[str, ...]:
        if self.kind in SQSX_KINDS:
            return ROOT_GROUP, SQSX_GROUP
        if self.kind == YDYH:
            return ROOT_GROUP, YDYH_GROUP
        return (ROOT_GROUP,) if self.kind == RASTER else ()

    @property
    def style(self) -> Optional[str]:
        """The QML of a vector layer's kind (rasters get a renderer made from their cells)."""
        name = STYLE_FILES.get(self.kind) if self.info.layer_type == "vector" else None
        return os.path.join(STYLES_DIR, name) if name else None


def own_name(layer: QgsMapLayer) -> str:
    """The name a layer is known by: its name, unless that is only the name of the file it was read from
    (Processing and qgis_process call a layer read from "town.gpkg|layername=yjjbnt" "town"): then its name
    inside the file, else its title."""
    name = layer.name()
    parts = QgsProviderRegistry.instance().decodeUri(layer.providerType(), layer.source())
    path = parts.get("path") or ""
    if not path or name != os.path.splitext(os.path.basename(path))[0]:
        return name
    return str(parts.get("layerName") or "") or layer.title() or layer.metadata().title() or name


def _field_type_ok(fld) -> bool:
    return fld.type() == QMetaType.Type.QString or fld.type() in _INTEGER_TYPES


def describe_layer(layer: QgsMapLayer, source: str = "", title: str = "") -> LayerInfo:
    """Name, title, fields, aliases and sampled values of a loaded layer."""
    is_raster = layer.type() == QgsMapLayerType.RasterLayer
    info = LayerInfo(uri=layer.source(), provider=layer.providerType(), name=own_name(layer),
                     layer_type="raster" if is_raster else "vector", source=source,
                     title=title or layer.title() or layer.metadata().title())
    if is_raster:
        _describe_cells(info)
        return info
    if not isinstance(layer, QgsVectorLayer):
        return info
    fields = layer.fields()
    sampled = [i for i, f in enumerate(fields) if _field_type_ok(f)]
    info.fields = {f.name(): f.alias() for f in fields}
    info.integer_fields = [fields[i].name() for i in sampled if fields[i].type() in _INTEGER_TYPES]
    if not sampled:
        return info
    request = QgsFeatureRequest().setFlags(QgsFeatureRequest.Flag.NoGeometry).setSubsetOfAttributes(sampled)
    request.setLimit(SAMPLE_FEATURES)
    seen: Dict[int, set] = {i: set() for i in sampled}
    for feature in layer.getFeatures(request):
        attrs = feature.attributes()
        for i in sampled:
            value = attrs[i]
            if value is None or (hasattr(value, "isNull") and value.isNull()) or len(seen[i]) >= SAMPLE_VALUES:
                continue
            text = str(value).strip()
            if text:
                seen[i].add(text)
    info.values = {fields[i].name(): sorted(v) for i, v in seen.items() if v}
    return info


def _gdal_band(uri: str):
    """(dataset, band 1) of a raster GDAL opens from `uri` (a file, "GPKG:<file>:<table>", ...), or (None, None)."""
    try:
        from osgeo import gdal
    except ImportError:
        return None, None
    try:
        dataset = gdal.OpenEx(uri, gdal.OF_RASTER)
    except RuntimeError:  # gdal.UseExceptions() somewhere in the process
        return None, None
    if dataset is None or dataset.RasterCount < 1:
        return None, None
    return dataset, dataset.GetRasterBand(1)


def _distinct_cells(band) -> List[int]:
    """The distinct values of an integer band (nodata left out), from GDAL's histogram (counted in C, in one
    pass); [] for a band of floats or of too many values to be classes."""
    from osgeo import gdal
    if band.DataType not in (gdal.GDT_Byte, gdal.GDT_UInt16, gdal.GDT_Int16, gdal.GDT_UInt32, gdal.GDT_Int32):
        return []
    approx = band.XSize * band.YSize > EXACT_CELLS
    try:
        low, high = band.ComputeRasterMinMax(approx)
    except (RuntimeError, TypeError):  # no valid cell at all
        return []
    low, high = int(low), int(high)
    if high - low >= MAX_CELL_RANGE:
        return []
    counts = band.GetHistogram(low - 0.5, high + 0.5, high - low + 1, False, approx)
    nodata = band.GetNoDataValue()
    values = [low + i for i, n in enumerate(counts) if n and low + i != nodata]
    return values if len(values) <= MAX_CLASSES else []


def _attribute_table(band) -> Dict[str, Dict[int, str]]:
    """The band's raster attribute table as column -> cell value -> text: rows are keyed by the value column
    (usage MinMax/Min, or a column named Value), else by their row number as GDAL's thematic tables are."""
    from osgeo import gdal
    rat = band.GetDefaultRAT()
    if rat is None or rat.GetRowCount() == 0:
        return {}
    names = [rat.GetNameOfCol(i) for i in range(rat.GetColumnCount())]
    key = next((i for i in range(len(names)) if rat.GetUsageOfCol(i) in (gdal.GFU_MinMax, gdal.GFU_Min)), None)
    if key is None:
        key = next((i for i, n in enumerate(names) if n.lower() == "value"), None)
    rows = range(rat.GetRowCount())
    cells = [rat.GetValueAsInt(r, key) for r in rows] if key is not None else list(rows)
    return {name: {cell: rat.GetValueAsString(r, i).strip() for r, cell in zip(rows, cells)}
            for i, name in enumerate(names) if i != key}


def _describe_cells(info: LayerInfo) -> None:
    """A raster's distinct cell values, its attribute table (as fields and their values) and, for GeoPackage
    raster tables, its title (identifier)."""
    if info.provider != "gdal":
        return
    dataset, band = _gdal_band(info.uri)
    if band is None:
        return
    if not info.title:
        title = (dataset.GetMetadataItem("IDENTIFIER") or "").strip()
        info.title = title if title != info.name else ""
    info.cells = _distinct_cells(band)
    if info.cells:
        info.values[CELL_VALUES] = [str(v) for v in info.cells]
    info.rat = _attribute_table(band)
    for name, column in info.rat.items():
        info.fields[name] = ""
        info.values[name] = sorted({v for v in column.values() if v})[:SAMPLE_VALUES]


def open_layer(info: LayerInfo) -> QgsMapLayer:
    """A map layer for `info` (not added to any project), shapefiles opened in their detected encoding."""
    if info.layer_type == "raster":
        return QgsRasterLayer(info.uri, info.name, info.provider)
    layer = QgsVectorLayer(info.uri, info.name, info.provider)
    if info.encoding and layer.isValid():
        layer.setProviderEncoding(info.encoding)
    return layer


def layer_error(layer: QgsMapLayer) -> str:
    """Why QGIS could not open `layer`. (QgsError.summary() of an empty error crashes QGIS 3.22, and the
    PostgreSQL provider leaves the layer's error empty: its reasons go to the message log only.)"""
    error = layer.error()
    return (error.summary() if not error.isEmpty() else "") or tr("QGIS cannot open this layer")


def _shapefile_encoding(uri: str) -> Optional[str]:
    path = uri.split("|", 1)[0]
    return detect_encoding(path).encoding if path.lower().endswith((".shp", ".dbf")) else None


def describe_uri(uri: str, provider: str, name: str, layer_type: str = "vector", source: str = "",
                 title: str = "") -> LayerInfo:
    info = LayerInfo(uri=uri, provider=provider, name=name, layer_type=layer_type, source=source, title=title)
    if layer_type == "vector" and provider == "ogr":
        info.encoding = _shapefile_encoding(uri)
    layer = open_layer(info)
    if not layer.isValid():
        info.error = layer_error(layer)
        return info
    described = describe_layer(layer, source=source, title=title)
    described.name, described.encoding = name, info.encoding
    return described


# -- scanning sources --------------------------------------------------------------------------------------
def postgis_source(connection: str, schema: str) -> str:
    return "{}{}/{}".format(POSTGIS_PREFIX, connection, schema)


def parse_postgis_source(source: str) -> Optional[Tuple[str, str]]:
    """(connection, schema) of a "postgis:<connection>/<schema>" source, None for anything else."""
    if not source.startswith(POSTGIS_PREFIX) or "/" not in source:
        return None
    connection, _, schema = source[len(POSTGIS_PREFIX):].rpartition("/")
    return connection, schema


def _ogr_titles(path: str) -> Dict[str, str]:
    """Layer name -> title from the dataset itself: GeoPackage identifier/description, FileGDB alias."""
    try:
        from osgeo import ogr
    except ImportError:
        return {}
    dataset = ogr.Open(path)
    if dataset is None:
        return {}
    titles = {}
    for i in range(dataset.GetLayerCount()):
        lyr = dataset.GetLayerByIndex(i)
        for item in ("ALIAS_NAME", "IDENTIFIER", "DESCRIPTION"):
            text = (lyr.GetMetadataItem(item) or "").strip()
            if text and text != lyr.GetName():
                titles[lyr.GetName()] = text
                break
    return titles


def scan_dataset(path: str, source: str = "") -> List[LayerInfo]:
    """Every layer of one file or FileGDB folder (GeoPackage, shapefile, GeoTIFF, ...)."""
    titles = _ogr_titles(path) if not path.lower().endswith(RASTER_EXTENSIONS) else {}
    infos = []
    for detail in QgsProviderRegistry.instance().querySublayers(path):
        is_raster = detail.type() == QgsMapLayerType.RasterLayer
        name = detail.name() or os.path.splitext(os.path.basename(path))[0]
        infos.append(describe_uri(detail.uri(), detail.providerKey(), name, "raster" if is_raster else "vector",
                                  source=source or path, title=titles.get(detail.name(), "")))
    return infos


def scan_folder(folder: str) -> List[LayerInfo]:
    """The layers of the files in a folder and its sub-folders (shapefiles, GeoPackages, GeoTIFFs, FileGDBs)."""
    infos = []
    for root, dirs, files in os.walk(folder):
        for d in sorted(dirs):
            if d.lower().endswith(".gdb"):
                infos += scan_dataset(os.path.join(root, d), source=folder)
        dirs[:] = sorted(d for d in dirs if not d.lower().endswith(".gdb") and not d.startswith("."))
        for name in sorted(files):
            if name.lower().endswith(VECTOR_EXTENSIONS + RASTER_EXTENSIONS):
                infos += scan_dataset(os.path.join(root, name), source=folder)
    return infos


def postgis_connections() -> List[str]:
    """The PostgreSQL connections saved in QGIS, read again (the provider's cached list misses changes made
    to the settings since it was first read)."""
    return sorted(QgsProviderRegistry.instance().providerMetadata("postgres").connections(False).keys())


def postgis_schemas(connection: str) -> List[str]:
    conn = QgsProviderRegistry.instance().providerMetadata("postgres").createConnection(connection)
    return [s for s in conn.schemas() if not s.startswith("pg_") and s != "information_schema"]


def _postgis_key(connection: str, schema: str, table) -> str:
    """The key column(s) of a table or view: a table's primary key; for a view, as QGIS's Browser chooses it,
    the key the user picked for it in QGIS (PostgreSQL/connections/<name>/keys/<schema>/<view>), else its first
    candidate column. (A view's candidates are all of its columns; QGIS cannot open a view keyed on all of
    them, or on none.)"""
    candidates = list(table.primaryKeyColumns())
    views = QgsAbstractDatabaseProviderConnection.TableFlag.View | \
        QgsAbstractDatabaseProviderConnection.TableFlag.MaterializedView
    if not table.flags() & views:
        chosen = candidates
    else:
        chosen = QgsSettings().value("PostgreSQL/connections/{}/keys/{}/{}".format(
            connection, schema, table.tableName()), candidates[:1])
        if isinstance(chosen, str):  # a list of one is read back as a plain string
            chosen = [chosen]
    return ",".join('"{}"'.format(c.replace('"', '""')) for c in (chosen or []))


def scan_postgis(connection: str, schema: str) -> List[LayerInfo]:
    """The spatial tables and views of a schema of a stored PostGIS connection: one layer per geometry column
    and kind of geometry (a column of polygons and multipolygons is one layer of multipolygons)."""
    conn = QgsProviderRegistry.instance().providerMetadata("postgres").createConnection(connection)
    source = postgis_source(connection, schema)
    estimated = QgsDataSourceUri(conn.uri()).useEstimatedMetadata()
    infos = []
    for table in conn.tables(schema, QgsAbstractDatabaseProviderConnection.TableFlag.Vector):
        families: Dict[int, Tuple[int, object]] = {}  # geometry family -> (multi WKB type, CRS)
        for column_type in table.geometryColumnTypes():
            family = QgsWkbTypes.geometryType(column_type.wkbType)
            families.setdefault(family, (QgsWkbTypes.multiType(column_type.wkbType), column_type.crs))
        for wkb_type, crs in families.values() or [(QgsWkbTypes.Type.Unknown, None)]:
            uri = QgsDataSourceUri(conn.uri())
            uri.setDataSource(schema, table.tableName(), table.geometryColumn(), "",
                              _postgis_key(connection, schema, table))
            uri.setUseEstimatedMetadata(estimated)
            if wkb_type != QgsWkbTypes.Type.Unknown:
                uri.setWkbType(wkb_type)
            if crs is not None and crs.isValid() and crs.postgisSrid():
                uri.setSrid(str(crs.postgisSrid()))
            name = table.tableName() if len(families) < 2 else "{} ({})".format(
                table.tableName(), QgsWkbTypes.geometryDisplayString(QgsWkbTypes.geometryType(wkb_type)))
            infos.append(describe_uri(uri.uri(False), "postgres", name, source=source, title=table.comment()))
    return infos


def scan_source(source: str) -> List[LayerInfo]:
    """The layers of a remembered source string: a file, a folder or "postgis:<connection>/<schema>"."""
    pg = parse_postgis_source(source)
    if pg is not None:
        return scan_postgis(*pg)
    if os.path.isdir(source) and not source.lower().endswith(".gdb"):
        return scan_folder(source)
    return scan_dataset(source)


# -- recognition -------------------------------------------------------------------------------------------
def _squash(text: str) -> str:
    return re.sub(r"[\s_\-.·/()（）]+", "", text or "").lower()


def _name_kinds(text: str) -> List[Tuple[str, str]]:
    """(kind, matched pattern) for the planning kinds a name or title mentions."""
    squashed = _squash(text)
    found = []
    for kind, patterns in NAME_PATTERNS.items():
        if any(x in squashed for x in NAME_EXCLUDED.get(kind, ())):
            continue
        hit = next((p for p in patterns if p in squashed), None)
        if hit:
            found.append((kind, hit))
    return found


def find_code_field(info: LayerInfo) -> Tuple[Optional[str], float, bool]:
    """(the field whose values are 用地用海 codes, the share of its distinct values that are codes, whether
    the codes lost their leading zero). A field qualifies with at least YDYH_SHARE of its values codes and at
    least one code below the first level (a field of small numbers 1-24 is not a code field)."""
    codes = ydyh_codes()
    known = {n.upper() for n in YDYH_FIELDS}
    best = (None, 0.0, False)
    best_key = (False, 0.0)
    for name, values in info.values.items():
        normalised = [normalise_code(v) for v in values]
        hits = [c for c in normalised if c in codes]
        if not hits or not any(len(c) >= 4 for c in hits):
            continue
        share = len(hits) / len(values)
        if share < YDYH_SHARE:
            continue
        key = ((name.upper() in known or info.fields.get(name, "").upper() in known), share)
        if key > best_key:
            padded = any(c != v.strip() for c, v in zip(normalised, values) if c in codes)
            best, best_key = (name, share, padded), key
    return best


def recognise(info: LayerInfo) -> PlanItem:
    """What the layer is, how sure (0-1) and why, from its name, title, fields and values."""
    evidence: Dict[str, List[Tuple[float, str]]] = {}

    def add(kind, score, why):
        evidence.setdefault(kind, []).append((score, why))

    for kind, hit in _name_kinds(info.name):
        add(kind, 0.9, tr("layer name '{}' matches '{}'").format(info.name, hit))
    if info.title:
        for kind, hit in _name_kinds(info.title):
            add(kind, 0.8, tr("title '{}' matches '{}'").format(info.title, hit))

    upper = {n.upper(): n for n in info.fields}
    upper.update({a.upper(): n for n, a in info.fields.items() if a})
    for kind, names in FIELD_EVIDENCE.items():
        present = sorted({upper[n.upper()] for n in names if n.upper() in upper})
        if present:
            add(kind, 0.7, tr("fields {} are those of a {} layer in the 三区三线 database")
                .format(", ".join(present), kind_label(kind)))

    for kind, words in VALUE_EVIDENCE.items():
        for name, values in info.values.items():
            hit = next((v for v in values if any(w in v for w in words)), None)
            if hit and sum(1 for v in values if any(w in v for w in words)) * 2 >= len(values):
                add(kind, 0.6, tr("field {} holds values such as '{}'").format(name, hit))
                break

    code_field, share, padded = find_code_field(info)
    if code_field:
        distinct = len(info.values[code_field])
        score = 0.5 + 0.3 * share + (0.1 if code_field.upper() in {n.upper() for n in YDYH_FIELDS} else 0) \
            - (0.15 if distinct < 3 else 0)
        examples = ", ".join(info.values[code_field][:3])
        if code_field == CELL_VALUES:
            why = tr("{share:.0%} of the cell values are 用地用海 codes (e.g. {examples})")
        else:
            why = tr("{share:.0%} of the values of field {field} are 用地用海 codes (e.g. {examples})")
        add(YDYH, round(score, 2), why.format(share=share, field=code_field, examples=examples))
    elif YDYH in evidence:
        but = tr("but its cells are not 用地用海 codes, so it cannot be coloured by class") \
            if info.layer_type == "raster" else tr("but no field holds 用地用海 codes, so the style cannot colour it")
        evidence[YDYH] = [(0.4, why + "; " + but) for _, why in evidence[YDYH]]

    if info.layer_type == "raster":
        if info.cells and set(info.cells) <= {0, 1}:
            for kind in set(evidence) & set(SQSX_KINDS):
                add(kind, 0.5, tr("its cells are 0 and 1: a mask"))
        if not any(s >= 0.5 for ev in evidence.values() for s, _ in ev):
            squashed = _squash(info.name + info.title)
            hit = next((p for p in RASTER_PATTERNS if p in squashed), None)
            if hit:
                add(RASTER, 0.7, tr("raster named like a planning layer ('{}')").format(hit))
        if not evidence:
            return PlanItem(info, NONE, 0.0, tr("nothing in its name, title or cell values marks this raster as "
                                                "a planning layer"), load=False)
    if not evidence:
        return PlanItem(info, NONE, 0.0, tr("nothing in its name, title, fields or values marks it as a planning "
                                            "layer"), code_field=code_field, code_padded=padded, load=False)
    scored = {k: min(0.99, max(s for s, _ in ev) + 0.05 * (len(ev) - 1)) for k, ev in evidence.items()}
    kind = max(scored, key=lambda k: (scored[k], -KINDS.index(k)))
    reasons = [why for _, why in sorted(evidence[kind], reverse=True)]
    others = [k for k in scored if k != kind]
    if others:
        reasons.append(tr("also looks like: {}").format(", ".join(kind_label(k) for k in others)))
    return PlanItem(info, kind, round(scored[kind], 2), "; ".join(reasons), code_field=code_field,
                    code_padded=padded, load=scored[kind] >= 0.5)


def make_plan(infos: Sequence[LayerInfo]) -> List[PlanItem]:
    return [recognise(i) if not i.error else PlanItem(i, NONE, 0.0, i.error, load=False) for i in infos]


# -- styles and loading ------------------------------------------------------------------------------------
def code_expression(field_name: str, padded: bool) -> str:
    """The renderer's class attribute for the user's code field (the leading zero put back if lost)."""
    if not padded:
        return field_name
    return "CASE WHEN length(to_string({0})) % 2 = 1 THEN '0' || to_string({0}) ELSE to_string({0}) END" \
        .format(QgsExpression.quotedColumnRef(field_name))


def raster_classes(item: PlanItem) -> List[Tuple[int, str, Tuple[int, int, int, int], str]]:
    """(cell value, 用地用海 code or "", RGBA, label) for each class of a raster planning layer: the 用地用海 classes
    its cells (or its attribute table) hold, in the colours of the vector style; a 三区三线 mask's non-zero
    values in the kind's colour. [] when there is nothing to classify (0 and nodata stay transparent)."""
    info = item.info
    if item.kind == YDYH and item.code_field:
        classes = {c.code: c for c in ydyh_classes()}
        if item.code_field == CELL_VALUES:
            pairs = [(v, normalise_code(v)) for v in info.cells]
        else:
            pairs = sorted((v, normalise_code(text)) for v, text in info.rat.get(item.code_field, {}).items())
        return [(v, code, classes[code].rgb + (255,), "{} {}".format(code, classes[code].name))
                for v, code in pairs if code in classes]
    if item.kind in SQSX_KINDS:
        values = [v for v in info.cells if v != 0] or [1]  # a mask of unknown cells: 1 marks the area
        label = kind_label(item.kind)
        return [(v, "", SQSX_COLOURS[item.kind] + (MASK_ALPHA,), label if len(values) == 1 else
                 "{} {}".format(label, v)) for v in values]
    return []


def _style_raster(layer: QgsRasterLayer, item: PlanItem) -> str:
    classes = raster_classes(item)
    if not classes:
        if item.kind == YDYH:
            return tr("{} has no cells with 用地用海 codes: it is shown as it is").format(layer.name())
        return ""
    renderer = QgsPalettedRasterRenderer(layer.dataProvider(), 1, [
        QgsPalettedRasterRenderer.Class(v, QgsSymbolLayerUtils.decodeColor("{},{},{},{}".format(*rgba)), label)
        for v, _, rgba, label in classes])
    layer.setRenderer(renderer)
    layer.triggerRepaint()
    return ""


def apply_style(layer: QgsMapLayer, item: PlanItem) -> str:
    """Load the kind's QML; for 用地用海 classify on the layer's own code field; a raster gets a paletted
    renderer of its classes (raster_classes). Returns a problem or ""."""
    if isinstance(layer, QgsRasterLayer):
        return _style_raster(layer, item)
    if item.style is None or not isinstance(layer, QgsVectorLayer):
        return ""
    message, ok = layer.loadNamedStyle(item.style)
    if not ok:
        return tr("Style {} could not be applied to {}: {}").format(os.path.basename(item.style), layer.name(),
                                                                    message)
    renderer = layer.renderer()
    if item.kind == YDYH and isinstance(renderer, QgsCategorizedSymbolRenderer):
        if item.code_field:
            renderer.setClassAttribute(code_expression(item.code_field, item.code_padded))
        elif layer.fields().lookupField(YDYH_STYLE_FIELD) < 0:
            return tr("{} has no field with 用地用海 codes: its features are not coloured").format(layer.name())
    layer.triggerRepaint()
    return ""


def _subgroup(parent, name: str, order: Sequence[str]):
    group = parent.findGroup(name)
    if group is not None:
        return group
    # keep the sub-groups in `order`, whatever order they are made in
    index = sum(1 for child in parent.children() if getattr(child, "name", lambda: None)() in
                order[:order.index(name)])
    return parent.insertGroup(index, name)


def load_plan(items: Sequence[PlanItem], project: Optional[QgsProject] = None) -> Tuple[List[QgsMapLayer], List[str]]:
    """Add the items marked `load` (with a kind) to the project, grouped and styled.
    Returns (the layers added, problems to tell the user)."""
    project = project or QgsProject.instance()
    chosen = sorted((i for i in items if i.load and i.kind in KINDS),
                    key=lambda i: (DRAW_ORDER.index(i.kind), i.info.layer_type == "raster"))
    if not chosen:
        return [], []
    root = project.layerTreeRoot()
    top = root.findGroup(ROOT_GROUP) or root.insertGroup(0, ROOT_GROUP)
    layers, problems = [], []
    for item in chosen:
        layer = open_layer(item.info)
        if not layer.isValid():
            problems.append(tr("{} could not be opened: {}").format(item.info.name, layer_error(layer)))
            continue
        problem = apply_style(layer, item)
        if problem:
            problems.append(problem)
        project.addMapLayer(layer, False)
        group = top if len(item.group) == 1 else _subgroup(top, item.group[1], (SQSX_GROUP, YDYH_GROUP))
        group.addLayer(layer)
        layers.append(layer)
    return layers, problems


# -- the planning layers of a project ------------------------------------------------------------------------
def source_key(source: str) -> str:
    """A layer source as compared with the remembered planning sources: file path + layer name for files
    (however the path is spelled), the URI itself otherwise."""
    parts = QgsProviderRegistry.instance().decodeUri("ogr", source)
    path = parts.get("path") or ""
    if path and os.path.exists(path):
        return "{}|{}".format(os.path.normcase(os.path.realpath(path)), parts.get("layerName") or "")
    return source.strip()


def layer_kind(layer: QgsMapLayer) -> str:
    """The planning kind `layer` is recognised as (by name, title, fields and values), NONE when it is none."""
    item = recognise(describe_layer(layer))
    return item.kind if item.load else NONE


def project_planning_layers(project: Optional[QgsProject] = None, values=None,
                            exclude: Sequence[QgsMapLayer] = ()) -> List[QgsVectorLayer]:
    """The planning layers of a project: one rule for the code form, the batch dialog and the map exports.

    The polygon layers in the loader's group (ROOT_GROUP), in a group named 规划图层 or Planning or in the
    group named in the settings (at any depth), read from a planning source of the settings, or recognised as a
    三区三线 / 用地用海 layer wherever they are; in the order of the layer tree, `exclude` left out.
    values: the CityCode settings (None: the saved ones)."""
    from .. import settings as cc_settings
    project = project or QgsProject.instance()
    values = values or cc_settings.load()
    groups = {n.strip() for n in (ROOT_GROUP,) + HAND_GROUPS + (values.planning_group,) if n.strip()}
    sources = {source_key(s) for s in values.planning_sources}
    found: List[QgsVectorLayer] = []

    def walk(group, inside: bool):
        for child in group.children():
            if isinstance(child, QgsLayerTreeGroup):
                walk(child, inside or child.name().strip() in groups)
                continue
            layer = child.layer() if isinstance(child, QgsLayerTreeLayer) else None
            if not isinstance(layer, QgsVectorLayer) or layer in exclude or layer in found or \
                    layer.geometryType() != QgsWkbTypes.GeometryType.PolygonGeometry:
                continue
            if inside or source_key(layer.source()) in sources or layer_kind(layer) in KINDS:
                found.append(layer)
    walk(project.layerTreeRoot(), False)
    return found


# -- remembered sources ------------------------------------------------------------------------------------
def remembered_sources() -> List[str]:
    value = QgsSettings().value(SETTINGS_KEY, [])
    if isinstance(value, str):  # a list of one is read back as a plain string
        value = [value] if value else []
    return [str(v) for v in (value or []) if v]


def remember_source(source: str) -> List[str]:
    """Put `source` first in the remembered sources (no duplicates, at most REMEMBER); returns the list."""
    sources = [source] + [s for s in remembered_sources() if s != source]
    QgsSettings().setValue(SETTINGS_KEY, sources[:REMEMBER])
    return sources[:REMEMBER]
