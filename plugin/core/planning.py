"""Planning layers: recognise 三区三线 and 用地用海 layers, and load them grouped with the standard styles.

- What a layer is comes from evidence, each piece with a score: its name (Chinese names, pinyin initials,
  English), its title/alias (GeoPackage identifier, FileGDB alias, PostGIS table comment), its field names
  (those of the national 三区三线 delivery databases: HXBM/HXMC/HXLX for 生态保护红线, YJJBNTTBBH/YJJBNTMJ for
  永久基本农田) and the values in its fields (用地用海 codes per the 2023 classification, "城镇集中建设区" for the
  planning zones inside the 城镇开发边界, a kind's Chinese name in a type field).
- A 用地用海 layer is recognised by a field whose values are codes of the classification table
  (resources/styles/ydyh_classes.csv), whatever the field is called; integer fields that lost the leading
  zero (101 for 0101) count too.
- Raster planning layers (GeoTIFF etc.) are recognised by name only.
- The loader puts the layers in the project under "规划图层 / Planning" (sub-groups 三区三线 and 用地用海),
  applies the QML styles of resources/styles/ and points the 用地用海 style at the layer's own code field.
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
    QgsMapLayer,
    QgsMapLayerType,
    QgsProject,
    QgsProviderRegistry,
    QgsRasterLayer,
    QgsSettings,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QVariant

from .encodings import detect_encoding
from .i18n import tr

PLUGIN_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
STYLES_DIR = os.path.join(PLUGIN_DIR, "resources", "styles")
CLASSES_CSV = os.path.join(STYLES_DIR, "ydyh_classes.csv")

STBHHX, YJJBNT, CZKFBJ, YDYH, RASTER = "stbhhx", "yjjbnt", "czkfbj", "ydyh", "raster"
NONE = ""  # not a planning layer
KINDS = (STBHHX, YJJBNT, CZKFBJ, YDYH, RASTER)
SQSX_KINDS = (STBHHX, YJJBNT, CZKFBJ)

ROOT_GROUP = "规划图层 / Planning"
SQSX_GROUP = "三区三线"
YDYH_GROUP = "用地用海"
STYLE_FILES = {STBHHX: "stbhhx.qml", YJJBNT: "yjjbnt.qml", CZKFBJ: "czkfbj.qml", YDYH: "ydyh.qml"}
YDYH_STYLE_FIELD = "YDYHFLDM"  # the field ydyh.qml classifies on (scripts/make_styles.py)
# Drawing order in the group, top first: the boundary outline over the red line over the farmland over
# the (opaque) land use fills, rasters at the bottom.
DRAW_ORDER = (CZKFBJ, STBHHX, YJJBNT, YDYH, RASTER)

SETTINGS_KEY = "citycode/planning_sources"
POSTGIS_PREFIX = "postgis:"  # remembered PostGIS sources read "postgis:<connection name>/<schema>"
REMEMBER = 20

VECTOR_EXTENSIONS = (".gpkg", ".shp", ".geojson", ".json", ".sqlite", ".kml", ".tab", ".mif")
RASTER_EXTENSIONS = (".tif", ".tiff", ".img", ".vrt", ".jp2", ".ecw", ".asc")
SAMPLE_FEATURES = 1000  # features read to sample field values (the first ones: bounded cost on any size)
SAMPLE_VALUES = 200     # distinct values kept per field
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

_INTEGER_TYPES = (QVariant.Int, QVariant.LongLong, QVariant.UInt, QVariant.ULongLong)


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
    colour_source: str  # "palette" (chosen per first-level class) or "derived" (shade of the parent's)


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
        name = STYLE_FILES.get(self.kind)
        return os.path.join(STYLES_DIR, name) if name else None


def _field_type_ok(fld) -> bool:
    return fld.type() == QVariant.String or fld.type() in _INTEGER_TYPES


def describe_layer(layer: QgsMapLayer, source: str = "", title: str = "") -> LayerInfo:
    """Name, title, fields, aliases and sampled values of a loaded layer."""
    is_raster = layer.type() == QgsMapLayerType.RasterLayer
    info = LayerInfo(uri=layer.source(), provider=layer.providerType(), name=layer.name(),
                     layer_type="raster" if is_raster else "vector", source=source,
                     title=title or layer.title() or layer.metadata().title())
    if is_raster or not isinstance(layer, QgsVectorLayer):
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


def open_layer(info: LayerInfo) -> QgsMapLayer:
    """A map layer for `info` (not added to any project), shapefiles opened in their detected encoding."""
    if info.layer_type == "raster":
        return QgsRasterLayer(info.uri, info.name, info.provider)
    layer = QgsVectorLayer(info.uri, info.name, info.provider)
    if info.encoding and layer.isValid():
        layer.setProviderEncoding(info.encoding)
    return layer


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
        info.error = layer.error().summary() or tr("QGIS cannot open this layer")
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
    return sorted(QgsProviderRegistry.instance().providerMetadata("postgres").connections().keys())


def postgis_schemas(connection: str) -> List[str]:
    conn = QgsProviderRegistry.instance().providerMetadata("postgres").createConnection(connection)
    return [s for s in conn.schemas() if not s.startswith("pg_") and s != "information_schema"]


def scan_postgis(connection: str, schema: str) -> List[LayerInfo]:
    """The spatial tables of a schema of a stored PostGIS connection (one layer per geometry column)."""
    conn = QgsProviderRegistry.instance().providerMetadata("postgres").createConnection(connection)
    source = postgis_source(connection, schema)
    infos = []
    for table in conn.tables(schema, QgsAbstractDatabaseProviderConnection.TableFlag.Vector):
        uri = QgsDataSourceUri(conn.uri())
        uri.setDataSource(schema, table.tableName(), table.geometryColumn(), "",
                          ",".join(table.primaryKeyColumns()))
        infos.append(describe_uri(uri.uri(False), "postgres", table.tableName(), source=source,
                                  title=table.comment()))
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

    if info.layer_type == "raster":
        squashed = _squash(info.name + info.title)
        hit = next((p for p in RASTER_PATTERNS if p in squashed), None) or \
            next((p for _, p in _name_kinds(info.name + info.title)), None)
        if hit:
            return PlanItem(info, RASTER, 0.7, tr("raster named like a planning layer ('{}')").format(hit))
        return PlanItem(info, NONE, 0.0, tr("a raster whose name does not say it is a planning layer"), load=False)

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
        add(YDYH, round(score, 2), tr("{share:.0%} of the values of field {field} are 用地用海 codes "
                                      "(e.g. {examples})").format(share=share, field=code_field, examples=examples))
    elif YDYH in evidence:
        evidence[YDYH] = [(0.4, why + "; " + tr("but no field holds 用地用海 codes, so the style cannot colour it"))
                          for _, why in evidence[YDYH]]

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


def apply_style(layer: QgsMapLayer, item: PlanItem) -> str:
    """Load the kind's QML; for 用地用海 classify on the layer's own code field. Returns a problem or ""."""
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
    chosen = sorted((i for i in items if i.load and i.kind in KINDS), key=lambda i: DRAW_ORDER.index(i.kind))
    if not chosen:
        return [], []
    root = project.layerTreeRoot()
    top = root.findGroup(ROOT_GROUP) or root.insertGroup(0, ROOT_GROUP)
    layers, problems = [], []
    for item in chosen:
        layer = open_layer(item.info)
        if not layer.isValid():
            problems.append(tr("{} could not be opened: {}").format(item.info.name, layer.error().summary()))
            continue
        problem = apply_style(layer, item)
        if problem:
            problems.append(problem)
        project.addMapLayer(layer, False)
        group = top if len(item.group) == 1 else _subgroup(top, item.group[1], (SQSX_GROUP, YDYH_GROUP))
        group.addLayer(layer)
        layers.append(layer)
    return layers, problems


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
