"""Planning sources: what the planning layers of a file, folder or PostGIS schema are, read once per layer.

- A layer is described by its name, title/alias (GeoPackage identifier, FileGDB alias, PostGIS table comment),
  field names and aliases and a sample of its field values (LayerInfo); recognition.py says what it is.
- Raster planning layers (GeoTIFFs, GeoPackage raster tables, ...) are described by their name and title and
  their cells: the distinct values of band 1 (integer classes) and the raster attribute table, if any.
- Shapefiles are opened in their detected text encoding.
- The sources used are remembered in the QGIS settings (files, folders, "postgis:<connection>/<schema>").
"""
import os
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

from qgis.core import (
    QgsAbstractDatabaseProviderConnection,
    QgsDataSourceUri,
    QgsFeatureRequest,
    QgsMapLayer,
    QgsMapLayerType,
    QgsProviderRegistry,
    QgsRasterLayer,
    QgsSettings,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QMetaType

from ..china.encodings import detect_encoding
from ..i18n import tr

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

# QgsField.type(): QMetaType.Type in QGIS 4, a QVariant.Type of the same value before
_INTEGER_TYPES = (QMetaType.Type.Int, QMetaType.Type.LongLong, QMetaType.Type.UInt, QMetaType.Type.ULongLong)


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


def source_key(source: str) -> str:
    """A layer source as compared with the remembered planning sources: file path + layer name for files
    (however the path is spelled), the URI itself otherwise."""
    parts = QgsProviderRegistry.instance().decodeUri("ogr", source)
    path = parts.get("path") or ""
    if path and os.path.exists(path):
        return "{}|{}".format(os.path.normcase(os.path.realpath(path)), parts.get("layerName") or "")
    return source.strip()
