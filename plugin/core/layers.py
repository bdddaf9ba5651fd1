"""Reading inputs into one in-memory shape, and writing the coded result.

Two ways in, one shape out (`Table`): pyogrio's Arrow reader for files (fast path), and QGIS feature
iteration for everything else (memory layers, PostGIS, selections, subset filters). The engine works on
a Table and never knows which reader made it, which is why both paths give the same codes.
"""
import os
from dataclasses import dataclass, field
from typing import Dict, List, Optional

import numpy as np

from .i18n import tr
from .speedups import ARROW_OK, ARROW_WRITE_OK


class InputError(Exception):
    """An input the user must fix (missing file, field, CRS ...)."""


@dataclass
class LayerInput:
    path: Optional[str] = None      # an OGR file for the fast path ...
    layer: Optional[str] = None     # ... and the layer inside it (None = the first)
    source: object = None           # otherwise a QgsFeatureSource / QgsVectorLayer
    name: str = ""                  # display name; planning layers name their output fields after it
    crs_wkt: Optional[str] = None   # override for a layer without (or with a wrong) CRS
    encoding: Optional[str] = None  # text encoding of a shapefile, chosen by the user (None = detect it)
    datum: Optional[str] = None     # gcj02 / bd09: drawn on a Chinese web map, moved to CGCS2000 on reading

    @property
    def label(self) -> str:
        if self.name:
            return self.name
        if self.layer:
            return self.layer
        if self.path:
            return os.path.splitext(os.path.basename(self.path))[0]
        return getattr(self.source, "name", lambda: "layer")() if self.source is not None else "layer"


@dataclass
class Table:
    """Attributes (column name -> list or array), geometries as WKB (object array, None = no geometry)."""
    columns: Dict[str, object]
    wkb: np.ndarray
    crs_wkt: Optional[str]
    name: str
    field_order: List[str] = field(default_factory=list)
    arrow: object = None            # the pyarrow table when read by pyogrio (written back without copying)
    geometry_type: str = "Unknown"
    encoding: Optional[str] = None  # the shapefile text encoding it was read with (None: the driver's own)
    encoding_how: str = ""          # found from: cpg, ldid, content, ascii (all ASCII), chosen; "" = not a shapefile
    encoding_note: str = ""         # one sentence saying which encoding and how it was found, for the log / report
    geometry_arrow: object = None   # the geometry column as read by Arrow, while `wkb` still holds the same

    def __len__(self):
        return len(self.wkb)

    def column(self, name: Optional[str]):
        if not name:
            return None
        if name not in self.columns:
            raise InputError(tr("Layer {} has no field '{}' (fields: {})")
                             .format(self.name, name, ", ".join(self.field_order)))
        col = self.columns[name]
        return col.to_numpy(zero_copy_only=False) if hasattr(col, "to_numpy") else np.asarray(col, dtype=object)


def can_read_fast(inp: LayerInput) -> bool:
    return ARROW_OK and inp.path is not None and inp.source is None


def read(inp: LayerInput, columns=None, engine: str = "auto") -> Table:
    """Read a whole layer. engine 'qgis' forces QGIS iteration even for files."""
    if inp.path is not None and not os.path.exists(inp.path):
        raise InputError(tr("File not found: {}").format(inp.path))
    detected = _text_encoding(inp)
    if engine != "qgis" and can_read_fast(inp):
        table = _read_arrow(inp, columns, detected.encoding)
    else:
        table = _read_qgis(inp, columns, detected.encoding)
    table.encoding, table.encoding_how, table.encoding_note = detected.encoding, detected.how, detected.message
    return table


def _text_encoding(inp: LayerInput):
    """The encoding of a shapefile's text (chosen, or detected: .cpg, LDID, the text itself); for other
    sources the driver knows (GeoPackage is UTF-8) and this says nothing."""
    from .encodings import Detected, dbf_path, detect_encoding
    if inp.path is None or inp.source is not None or dbf_path(inp.path) is None:
        return Detected(encoding=None, how="")
    if inp.encoding:
        return Detected(encoding=inp.encoding, how="chosen", message=tr("{}: text read as {} (chosen)").format(
            os.path.basename(inp.path), inp.encoding))
    try:
        return detect_encoding(inp.path)
    except (OSError, ValueError):  # a broken .dbf: the reader says what is wrong with it
        return Detected(encoding=None, how="")


def _read_arrow(inp: LayerInput, columns, encoding=None) -> Table:
    import pyogrio
    try:
        meta, table = pyogrio.read_arrow(inp.path, layer=inp.layer, columns=columns,
                                         **({"encoding": encoding} if encoding else {}))
        geom_col = meta.get("geometry_name") or "wkb_geometry"
        names = table.column_names  # Arrow decodes field names as UTF-8 here: fails on a wrong encoding
    except UnicodeDecodeError:
        raise InputError(tr("Cannot read the text of {}: its encoding is not {}. Run 'Detect and repair text "
                            "encoding' on it, or choose its encoding there").format(
                                inp.label, encoding or "UTF-8")) from None
    except Exception as e:  # pyogrio raises its own DataSourceError / DataLayerError ...
        raise InputError(tr("Cannot read {}: {}").format(inp.label, e)) from None
    wkb = table.column(geom_col).to_numpy(zero_copy_only=False) if geom_col in names \
        else np.full(table.num_rows, None, dtype=object)
    attrs = table.drop([geom_col]) if geom_col in names else table
    crs = inp.crs_wkt or (_crs_wkt(meta["crs"]) if meta.get("crs") else None)
    return Table(columns={n: attrs.column(n) for n in attrs.column_names}, wkb=wkb, crs_wkt=crs,
                 name=inp.label, field_order=list(attrs.column_names), arrow=attrs,
                 geometry_type=meta.get("geometry_type") or "Unknown",
                 geometry_arrow=table.column(geom_col) if geom_col in names else None)


def _crs_wkt(crs: str) -> str:
    from pyproj import CRS
    return CRS.from_user_input(crs).to_wkt()


def _qgis_layer(inp: LayerInput, encoding=None):
    from qgis.core import QgsVectorLayer
    if inp.source is not None:
        return inp.source
    uri = inp.path + (f"|layername={inp.layer}" if inp.layer else "")
    layer = QgsVectorLayer(uri, inp.label, "ogr")
    if not layer.isValid():
        raise InputError(tr("Cannot open {} as a vector layer").format(uri))
    if encoding:
        layer.setProviderEncoding(encoding)
    return layer


def _read_qgis(inp: LayerInput, columns, encoding=None) -> Table:
    from qgis.core import QgsFeatureRequest, QgsWkbTypes
    src = _qgis_layer(inp, encoding)
    fields = src.fields()
    names = [f.name() for f in fields if columns is None or f.name() in columns]
    idx = [fields.indexOf(n) for n in names]
    values = {n: [] for n in names}
    wkb = []
    request = QgsFeatureRequest()
    if columns is not None:
        request.setSubsetOfAttributes(idx)
    for f in src.getFeatures(request):
        attrs = f.attributes()
        for n, i in zip(names, idx):
            v = attrs[i]
            values[n].append(None if v is None or (hasattr(v, "isNull") and v.isNull()) else _plain(v))
        g = f.geometry()
        wkb.append(None if g.isNull() else bytes(g.asWkb()))
    crs = inp.crs_wkt or (src.sourceCrs().toWkt() if hasattr(src, "sourceCrs") else src.crs().toWkt()) or None
    return Table(columns=values, wkb=np.array(wkb + [None], dtype=object)[:-1], crs_wkt=crs, name=inp.label,
                 field_order=names, geometry_type=QgsWkbTypes.displayString(src.wkbType()))


def _plain(v):
    """QVariant-ish values (QDate, QDateTime ...) to plain Python for the writers."""
    if hasattr(v, "toPyDateTime"):
        return v.toPyDateTime()
    if hasattr(v, "toPyDate"):
        return v.toPyDate()
    return v


# -- writing -----------------------------------------------------------------------------------------
def remove_dataset(path: str):
    """Remove a dataset file and its side files (.shp/.dbf/.cpg..., -wal/-shm)."""
    base, ext = os.path.splitext(path)
    sides = [".shx", ".dbf", ".prj", ".cpg", ".qix", ".sbn", ".sbx"] if ext.lower() == ".shp" else []
    for p in [path, path + "-wal", path + "-shm", path + "-journal"] + [base + s for s in sides]:
        if os.path.exists(p):
            os.remove(p)


def move_dataset(src: str, dst: str):
    sb, ext = os.path.splitext(src)
    db, _ = os.path.splitext(dst)
    sides = [".shx", ".dbf", ".prj", ".cpg"] if ext.lower() == ".shp" else []
    os.replace(src, dst)
    for s in sides:
        if os.path.exists(sb + s):
            os.replace(sb + s, db + s)


def _driver(path: str) -> str:
    ext = os.path.splitext(path)[1].lower()
    return {".shp": "ESRI Shapefile", ".geojson": "GeoJSON", ".json": "GeoJSON", ".fgb": "FlatGeobuf"}.get(
        ext, "GPKG")


def write_layer(path: str, layer_name: str, table: Table, new_columns: Dict[str, np.ndarray], geo, engine: str
                ) -> Dict[str, str]:
    """The input's fields and geometry (repaired where it was invalid; geo None = as read) plus the new columns.

    A re-run on an already coded layer replaces the earlier result columns instead of adding copies.
    Shapefiles are written in UTF-8 with a .cpg saying so; their field names are cut to 10 bytes on
    character boundaries. Returns the fields renamed that way ({name: new name}).
    """
    wkb = table.wkb
    repaired = geo.repaired if geo is not None else np.zeros(len(wkb), dtype=bool)
    if repaired.any():  # keep the layer's declared type: a repaired polygon of a Multi layer as a multipolygon
        wkb = wkb.copy()
        wkb[repaired] = geo.g.to_wkb(geo.source_geoms[repaired], multi=table.geometry_type.startswith("Multi"))
    keep = [f for f in table.field_order if f.lower() not in {c.lower() for c in new_columns}]
    renamed = {}
    if _driver(path) == "ESRI Shapefile":
        from .encodings import shapefile_field_names
        renamed = {k: v for k, v in shapefile_field_names(keep + list(new_columns)).items() if k != v}
        if renamed:
            table, keep = _renamed(table, keep, renamed), [renamed.get(f, f) for f in keep]
            new_columns = {renamed.get(k, k): v for k, v in new_columns.items()}
    if ARROW_WRITE_OK:
        _write_arrow(path, layer_name, table, keep, new_columns, wkb, repaired)
    elif ARROW_OK:
        _write_wkb(path, layer_name, table, keep, new_columns, wkb)
    else:
        _write_qgis(path, layer_name, table, keep, new_columns, wkb)
    return renamed


def release_wkb(table: Table, repaired: np.ndarray) -> None:
    """Drop a table's WKB objects when its Arrow geometry column will be written as it is (a million
    polygons: ~200 MB); the table keeps its length."""
    if ARROW_WRITE_OK and table.geometry_arrow is not None and len(table.geometry_arrow) == len(table.wkb) \
            and not repaired.any():
        table.wkb = np.full(len(table.wkb), None, dtype=object)


def _renamed(table: Table, keep: List[str], renamed: Dict[str, str]) -> Table:
    """The table with its kept fields renamed (the Arrow table too, which the Arrow writer takes as is)."""
    from dataclasses import replace
    arrow = table.arrow.select(keep).rename_columns([renamed.get(f, f) for f in keep]) \
        if table.arrow is not None else None
    return replace(table, columns={renamed.get(f, f): table.columns[f] for f in keep},
                   field_order=[renamed.get(f, f) for f in keep], arrow=arrow)


def _write_arrow(path, layer_name, table, keep, new_columns, wkb, geo_repaired):
    import pyarrow as pa
    import pyogrio
    if table.arrow is not None:
        out = table.arrow.select(keep)
    else:
        out = pa.table({f: pa.array(list(table.columns[f])) for f in keep})
    for name, values in new_columns.items():
        # Object columns are text; say so, or an all-null column gets Arrow's null type, which GDAL refuses.
        out = out.append_column(name, pa.array(values.tolist(), type=pa.string()) if values.dtype == object
                                else pa.array(values, from_pandas=values.dtype.kind == "f"))  # NaN -> null
    # Declare the input's type; a repair can turn a Polygon into a MultiPolygon, which then decides.
    geom_type = table.geometry_type if table.geometry_type != "Unknown" else None
    if geom_type == "Polygon" and any(g is not None and g[1:5] in (b"\x06\x00\x00\x00", b"\x00\x00\x00\x06")
                                      for g in wkb[geo_repaired]):
        geom_type = "Unknown"
    # Unchanged geometries go out as they came in, without a copy (a few hundred MB on a large layer).
    same = table.geometry_arrow is not None and not geo_repaired.any() and len(table.geometry_arrow) == len(wkb)
    column = table.geometry_arrow if same else pa.array(wkb.tolist(), type=pa.binary())
    out = out.append_column(pa.field("geom", column.type, metadata={"ARROW:extension:name": "geoarrow.wkb"}),
                            column)
    driver = _driver(path)
    options = {"encoding": "UTF-8"} if driver == "ESRI Shapefile" else {}
    pyogrio.write_arrow(out, path, layer=layer_name, driver=driver, geometry_name="geom",
                        geometry_type=geom_type or "Unknown", crs=table.crs_wkt, **options)


def _write_wkb(path, layer_name, table, keep, new_columns, wkb):
    """pyogrio's WKB-array writer: for a GDAL older than 3.8 (e.g. the one QGIS 3.22 loads)."""
    from pyogrio.raw import write
    cols = [(f, _column_array(table.columns[f])) for f in keep] + list(new_columns.items())
    driver = _driver(path)
    geom_type = table.geometry_type if table.geometry_type != "Unknown" else "Unknown"
    write(path, np.asarray(wkb, dtype=object), [c for _, c in cols], [n for n, _ in cols], layer=layer_name,
          driver=driver, geometry_type=geom_type, crs=table.crs_wkt, promote_to_multi=geom_type.startswith("Multi"),
          encoding="UTF-8" if driver == "ESRI Shapefile" else None)


def _column_array(values) -> np.ndarray:
    if hasattr(values, "to_numpy"):  # pyarrow: keep numbers numeric; nulls in numbers become NaN
        return values.to_numpy(zero_copy_only=False)
    arr = np.asarray(values, dtype=object)
    sample = next((v for v in arr.tolist() if v is not None), None)
    if isinstance(sample, (int, float)) and not isinstance(sample, bool) and all(v is not None for v in arr):
        return arr.astype(float if isinstance(sample, float) else np.int64)
    return arr


def _write_qgis(path, layer_name, table, keep, new_columns, wkb):
    from qgis.core import (QgsCoordinateReferenceSystem, QgsCoordinateTransformContext, QgsFeature,
                           QgsFields, QgsGeometry, QgsVectorFileWriter, QgsWkbTypes)
    fields = QgsFields()
    columns = [(f, table.columns[f]) for f in keep] + list(new_columns.items())
    for name, values in columns:
        fields.append(qgs_field(name, _field_kind(values)))
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = _driver(path)
    options.layerName = layer_name
    options.fileEncoding = "UTF-8"
    crs = QgsCoordinateReferenceSystem.fromWkt(table.crs_wkt) if table.crs_wkt else QgsCoordinateReferenceSystem()
    wkb_types = QgsWkbTypes.Type  # Qgis.WkbType from QGIS 3.30, still under this name in QGIS 4
    writer = QgsVectorFileWriter.create(
        path, fields, wkb_types.MultiPolygon if "Polygon" in table.geometry_type else wkb_types.Unknown,
        crs, QgsCoordinateTransformContext(), options)
    if writer.hasError() != QgsVectorFileWriter.WriterError.NoError:
        raise InputError(tr("Cannot write {}: {}").format(path, writer.errorMessage()))
    lists = [v.tolist() if hasattr(v, "tolist") else list(v) for _, v in columns]
    for i in range(len(wkb)):
        f = QgsFeature(fields)
        f.setAttributes([_py(col[i]) for col in lists])
        if wkb[i] is not None:
            g = QgsGeometry()
            g.fromWkb(wkb[i])
            f.setGeometry(g)
        writer.addFeature(f)
    del writer


def _py(v):
    return v.item() if isinstance(v, np.generic) else v


def qgs_field(name: str, kind: str):
    """A QgsField of a basic kind (Bool, Int, LongLong, Double, String), on any QGIS (see compat)."""
    from qgis.core import QgsField
    from .compat import field_type
    return QgsField(name, field_type(kind))


def _field_kind(values) -> str:
    arr = np.asarray(values.to_numpy(zero_copy_only=False) if hasattr(values, "to_numpy") else values)
    if arr.dtype.kind == "f":
        return "Double"
    if arr.dtype.kind in "iub":
        return "LongLong"
    sample = next((v for v in arr.tolist() if v is not None), None)
    if isinstance(sample, bool):
        return "Bool"
    if isinstance(sample, int):
        return "LongLong"
    if isinstance(sample, float):
        return "Double"
    return "String"
