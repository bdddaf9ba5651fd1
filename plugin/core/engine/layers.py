"""Reading inputs into one in-memory shape, and writing the coded result.

Three ways in, one shape out (`Table`): for files, GDAL's Arrow stream — through pyogrio + pyarrow when
they are there, else through osgeo.ogr's own (`GetArrowStreamAsNumPy`, GDAL >= 3.6, in every QGIS);
QGIS feature iteration for everything else (memory layers, PostGIS, selections, subset filters). The
engine works on a Table and never knows which reader made it, which is why all give the same codes.

Writing goes through pyogrio when it is there, else through OGR: the layer made by GDAL, its rows added
in one transaction, the spatial index built once at the end (GeoPackage rows go in through SQLite
directly: see _insert_gpkg).
"""
import contextlib
import datetime
import os
import sqlite3
import struct
from dataclasses import dataclass, field
from typing import Dict, List, Optional

import numpy as np

from . import wkb
from ..i18n import tr
from .json_fields import open_options
from ..speedups import ARROW_OK, ARROW_WRITE_OK
from ..exceptions import CityCodeError

# The readers, as the engine and its report name them.
PYOGRIO, GDAL_ARROW, QGIS = "arrow", "gdal-arrow", "qgis"


def _gdal_arrow_ok() -> bool:
    try:
        from osgeo import gdal, ogr
    except ImportError:
        return False
    return int(gdal.VersionInfo()) >= 3060000 and hasattr(ogr.Layer, "GetArrowStreamAsNumPy")


GDAL_ARROW_OK = _gdal_arrow_ok()


class InputError(CityCodeError):
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
    field_types: Dict[str, str] = field(default_factory=dict)  # name -> kind (see _KINDS) as the file declares it
    reader: str = ""                # PYOGRIO, GDAL_ARROW or QGIS
    text_repair: object = None      # encodings.TextRepair: garbled text repaired on reading, lost text found

    def __len__(self):
        return len(self.wkb)

    def column(self, name: Optional[str]):
        """A column as a numpy array (nulls: NaN in numbers, NaT in dates, None otherwise)."""
        if not name:
            return None
        if name not in self.columns:
            raise InputError(tr("Layer {} has no field '{}' (fields: {})")
                             .format(self.name, name, ", ".join(self.field_order)))
        col = self.columns[name]
        if hasattr(col, "to_numpy"):
            return col.to_numpy(zero_copy_only=False)
        return col if isinstance(col, np.ndarray) else np.asarray(col, dtype=object)


def fast_reader() -> str:
    """The reader files get: pyogrio's Arrow when it is there, else GDAL's own Arrow stream."""
    return PYOGRIO if ARROW_OK else GDAL_ARROW if GDAL_ARROW_OK else QGIS


def can_read_fast(inp: LayerInput) -> bool:
    return fast_reader() != QGIS and inp.path is not None and inp.source is None


def read(inp: LayerInput, columns=None, engine: str = "auto") -> Table:
    """Read a whole layer. engine 'qgis' forces QGIS iteration even for files, 'gdal-arrow' osgeo.ogr's
    Arrow stream; 'auto' and 'arrow' take the fastest reader there is."""
    if inp.path is not None and not os.path.exists(inp.path):
        raise InputError(tr("File not found: {}").format(inp.path))
    detected = _text_encoding(inp)
    if engine != QGIS and can_read_fast(inp):
        reader = GDAL_ARROW if engine == GDAL_ARROW and GDAL_ARROW_OK else fast_reader()
        table = (_read_arrow if reader == PYOGRIO else _read_ogr)(inp, columns, detected.encoding)
    else:
        table = _read_qgis(inp, columns, detected.encoding)
    table.encoding, table.encoding_how, table.encoding_note = detected.encoding, detected.how, detected.message
    from ..china.encodings import repair_table
    table.text_repair = repair_table(table)  # every reader: text garbled by wrong encodings repaired
    return table


def _text_encoding(inp: LayerInput):
    """The encoding of a shapefile's text (chosen, or detected: .cpg, LDID, the text itself); for other
    sources the driver knows (GeoPackage is UTF-8) and this says nothing."""
    from ..china.encodings import Detected, dbf_path, detect_encoding
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
                                         **({"encoding": encoding} if encoding else {}),
                                         **dict(o.split("=") for o in open_options(inp.path)))
        geom_col = meta.get("geometry_name") or "wkb_geometry"
        names = table.column_names  # Arrow decodes field names as UTF-8 here: fails on a wrong encoding
    except UnicodeDecodeError:
        raise _undecodable(inp, encoding) from None
    except Exception as e:  # pyogrio raises its own DataSourceError / DataLayerError ...
        raise InputError(tr("Cannot read {}: {}").format(inp.label, e)) from None
    wkb = table.column(geom_col).to_numpy(zero_copy_only=False) if geom_col in names \
        else np.full(table.num_rows, None, dtype=object)
    attrs = table.drop([geom_col]) if geom_col in names else table
    crs = inp.crs_wkt or (_crs_wkt(meta["crs"]) if meta.get("crs") else None)
    return Table(columns={n: attrs.column(n) for n in attrs.column_names}, wkb=wkb, crs_wkt=crs,
                 name=inp.label, field_order=list(attrs.column_names), arrow=attrs,
                 geometry_type=meta.get("geometry_type") or "Unknown", reader=PYOGRIO,
                 geometry_arrow=table.column(geom_col) if geom_col in names else None)


def _undecodable(inp: LayerInput, encoding) -> InputError:
    return InputError(tr("Cannot read the text of {}: its encoding is not {}. Run 'Detect and repair text "
                         "encoding' on it, or choose its encoding there").format(inp.label, encoding or "UTF-8"))


class _ShapeEncoding:
    """The shapefile text encoding GDAL recodes from / to while we read or write: QGIS sets SHAPE_ENCODING=""
    (do not recode) for its own provider, which would otherwise win over our ENCODING options (and over
    pyogrio's, which runs on QGIS's GDAL inside QGIS)."""

    def __init__(self, encoding: Optional[str]):
        self.encoding = encoding

    def __enter__(self):
        from osgeo import gdal
        self.before = gdal.GetThreadLocalConfigOption("SHAPE_ENCODING", None)
        if self.encoding:
            gdal.SetThreadLocalConfigOption("SHAPE_ENCODING", self.encoding)
        return self

    def __exit__(self, *exc):
        from osgeo import gdal
        gdal.SetThreadLocalConfigOption("SHAPE_ENCODING", self.before)


class GdalErrors:
    """GDAL calls that fail return None and leave a message; warnings go quiet while we read and write.
    Exceptions are off meanwhile and as the caller had them after (GDAL >= 3.7: ExceptionMgr; without it
    GDAL >= 3.9 warns that GDAL 4 will turn them on), so other plugins sharing osgeo see no change."""

    def __enter__(self):
        from osgeo import gdal, ogr, osr
        self.modes = contextlib.ExitStack()
        for module in (gdal, ogr, osr):
            if hasattr(module, "ExceptionMgr"):
                self.modes.enter_context(module.ExceptionMgr(useExceptions=False))
        gdal.PushErrorHandler("CPLQuietErrorHandler")
        gdal.ErrorReset()
        return self

    def __exit__(self, *exc):
        from osgeo import gdal
        gdal.PopErrorHandler()
        self.modes.close()

    @staticmethod
    def message(fallback=None) -> str:
        from osgeo import gdal
        return gdal.GetLastErrorMsg() or (str(fallback) if fallback else tr("unknown GDAL error"))


# OGR field type (and subtype) -> kind; a kind is also what qgs_field takes for the basic ones.
_KINDS = {"Integer": "Int", "Integer64": "LongLong", "Real": "Double", "String": "String", "Date": "Date",
          "DateTime": "DateTime", "Time": "Time", "Binary": "Binary"}


def _ogr_kind(defn) -> str:
    from osgeo import ogr
    if defn.GetType() == ogr.OFTInteger and defn.GetSubType() == ogr.OFSTBoolean:
        return "Bool"
    return _KINDS.get(defn.GetFieldTypeName(defn.GetType()), "String")


_GEOMETRY_NAMES = {0: "Unknown", 1: "Point", 2: "LineString", 3: "Polygon", 4: "MultiPoint", 5: "MultiLineString",
                   6: "MultiPolygon", 7: "GeometryCollection", 100: "None"}


def _geometry_type_name(code: int) -> str:
    """An OGR geometry type as pyogrio names it ("MultiPolygon", "Polygon Z", "None")."""
    from osgeo import ogr
    name = _GEOMETRY_NAMES.get(ogr.GT_Flatten(code), "Unknown")
    dims = ("Z" if ogr.GT_HasZ(code) else "") + ("M" if ogr.GT_HasM(code) else "")
    return name + (" " + dims if dims and name not in ("Unknown", "None") else "")


def _read_ogr(inp: LayerInput, columns, encoding=None) -> Table:
    """GDAL's own Arrow stream through osgeo.ogr (no pyogrio, no pyarrow): record batches of numpy arrays,
    in C; text decoded here (GDAL gives UTF-8, recoded from a shapefile's ENCODING)."""
    from osgeo import gdal
    with GdalErrors(), _ShapeEncoding(encoding):
        try:
            ds = gdal.OpenEx(inp.path, gdal.OF_VECTOR,
                             open_options=([f"ENCODING={encoding}"] if encoding else []) + open_options(inp.path))
            layer = None if ds is None else ds.GetLayerByName(inp.layer) if inp.layer else ds.GetLayer(0)
        except RuntimeError as e:
            raise InputError(tr("Cannot read {}: {}").format(inp.label, e)) from None
        if layer is None:
            reason = GdalErrors.message() if ds is None else tr("it has no layer {}").format(inp.layer or 0)
            raise InputError(tr("Cannot read {}: {}").format(inp.label, reason))
        defn = layer.GetLayerDefn()
        fields = [defn.GetFieldDefn(i) for i in range(defn.GetFieldCount())]
        names = [f.GetName() for f in fields if columns is None or f.GetName() in columns]
        if columns is not None:
            layer.SetIgnoredFields([f.GetName() for f in fields if f.GetName() not in names])
        kinds = {f.GetName(): _ogr_kind(f) for f in fields if f.GetName() in names}
        parts: Dict[str, list] = {n: [] for n in names}
        wkb_parts = []
        try:
            # GDAL 3.6 gives empty geometries in batches without any other column: the FID comes along then
            fid = "NO" if names else (layer.GetFIDColumn() or "OGC_FID")
            stream = layer.GetArrowStreamAsNumPy(["INCLUDE_FID=" + ("NO" if names else "YES"),
                                                  "GEOMETRY_ENCODING=WKB"])
            for batch in stream:
                geom = [k for k in batch if k not in parts and k != fid]
                for n in names:
                    parts[n].append(_numpy_column(batch[n], kinds[n]))
                wkb_parts.append(_numpy_column(batch[geom[0]], "Binary") if geom else
                                 np.full(len(next(iter(batch.values()))), None, dtype=object))
        except UnicodeDecodeError:
            raise _undecodable(inp, encoding) from None
        except KeyError:  # a field of a type the stream does not carry (GDAL leaves it out): QGIS reads it
            return _read_qgis(inp, columns, encoding)
        except Exception as e:  # osgeo raises RuntimeError or a bare Exception ("GetArrowStream() failed")
            raise InputError(tr("Cannot read {}: {}").format(inp.label, GdalErrors.message(e))) from None
        crs = inp.crs_wkt or _srs_wkt(layer.GetSpatialRef())
        geometry_type = _geometry_type_name(layer.GetGeomType())
    cols = {n: np.concatenate(parts[n]) if parts[n] else _empty(kinds[n]) for n in names}
    wkb = np.concatenate(wkb_parts) if wkb_parts else np.empty(0, dtype=object)
    return Table(columns=cols, wkb=wkb, crs_wkt=crs, name=inp.label, field_order=names,
                 geometry_type=geometry_type, field_types=kinds, reader=GDAL_ARROW)


_EMPTY_DTYPES = {"Int": np.int32, "LongLong": np.int64, "Double": np.float64, "Date": "datetime64[D]",
                 "DateTime": "datetime64[ms]"}


def _empty(kind: str) -> np.ndarray:
    return np.empty(0, dtype=_EMPTY_DTYPES.get(kind, object))


def _numpy_column(values, kind: str) -> np.ndarray:
    """One column of a GDAL record batch with nulls as the pyarrow reader gives them (pyarrow's to_numpy):
    numbers NaN (integers with nulls become floats), dates NaT, text / bytes / booleans None."""
    mask = np.ma.getmaskarray(values) if isinstance(values, np.ma.MaskedArray) else None
    data = values.data if isinstance(values, np.ma.MaskedArray) else values
    if mask is not None and not mask.any():
        mask = None
    if data.dtype.kind == "S":  # text: fixed-width UTF-8 bytes
        data = np.array([v.decode("utf-8") for v in data.tolist()] + [None], dtype=object)[:-1]
    elif data.dtype.kind == "V":  # binary values all of one length
        data = np.array([bytes(v) for v in data.tolist()] + [None], dtype=object)[:-1]
    if mask is None:
        return data
    if data.dtype.kind in "iuf":
        data = data.astype(np.float64)
        data[mask] = np.nan
    elif data.dtype.kind == "M":
        data = data.copy()
        data[mask] = np.datetime64("NaT")
    else:
        data = data.astype(object)
        data[mask] = None
    return data


# What GDAL's GeoPackage driver reports for a layer without a CRS (srs_id 0, -1, or one it does not know):
# no CRS at all, so that the coordinates decide, as with pyogrio and QGIS.
_UNDEFINED_SRS = ("undefined geographic srs", "undefined cartesian srs", "undefined srs")


def _srs_wkt(srs) -> Optional[str]:
    if srs is None or (srs.GetName() or "").lower() in _UNDEFINED_SRS:
        return None
    return srs.ExportToWkt(["FORMAT=WKT2_2019"])


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
    from .json_fields import JsonFields
    nested = JsonFields(fields, inp.path, inp.layer)  # nested GeoJSON values as JSON text, as the files give them
    for f in src.getFeatures(request):
        attrs = nested.attributes(f) if nested else f.attributes()
        for n, i in zip(names, idx):
            v = attrs[i]
            values[n].append(None if v is None or (hasattr(v, "isNull") and v.isNull()) else _plain(v))
        g = f.geometry()
        wkb.append(None if g.isNull() else bytes(g.asWkb()))
    crs = inp.crs_wkt or (src.sourceCrs().toWkt() if hasattr(src, "sourceCrs") else src.crs().toWkt()) or None
    return Table(columns=values, wkb=np.array(wkb + [None], dtype=object)[:-1], crs_wkt=crs, name=inp.label,
                 field_order=names, geometry_type=QgsWkbTypes.displayString(src.wkbType()), reader=QGIS)


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
        from ..china.encodings import shapefile_field_names
        renamed = {k: v for k, v in shapefile_field_names(keep + list(new_columns)).items() if k != v}
        if renamed:
            table, keep = _renamed(table, keep, renamed), [renamed.get(f, f) for f in keep]
            new_columns = {renamed.get(k, k): v for k, v in new_columns.items()}
    # pyogrio's Arrow writer needs GDAL >= 3.8; with an older one (QGIS 3.22's 3.6.2 inside QGIS) OGR
    # is faster than pyogrio's feature-by-feature writer (1M: 14 s vs 30 s, docs/BENCHMARKS.md).
    if ARROW_WRITE_OK:
        _write_arrow(path, layer_name, table, keep, new_columns, wkb, repaired)
    else:
        _write_ogr(path, layer_name, table, keep, new_columns, wkb)
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
                   field_order=[renamed.get(f, f) for f in keep], arrow=arrow,
                   field_types={renamed.get(f, f): k for f, k in table.field_types.items() if f in keep})


def _write_arrow(path, layer_name, table, keep, new_columns, wkb, geo_repaired):
    import pyarrow as pa
    import pyogrio
    if table.arrow is not None:
        out = table.arrow.select(keep)
    else:
        out = pa.table({f: _arrow_column(table.columns[f], table.field_types.get(f)) for f in keep})
    if not keep:  # a table of no columns has no rows either: its rows come with the first column added
        out = pa.table({"_rows": pa.nulls(len(wkb))})
    for name, values in new_columns.items():
        # Object columns are text; say so, or an all-null column gets Arrow's null type, which GDAL refuses.
        out = out.append_column(name, pa.array(values.tolist(), type=pa.string()) if values.dtype == object
                                else pa.array(values, from_pandas=values.dtype.kind == "f"))  # NaN -> null
    if not keep:
        out = out.drop(["_rows"])
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
    with _ShapeEncoding(options.get("encoding")):  # pyogrio inside QGIS runs on QGIS's GDAL
        pyogrio.write_arrow(out, path, layer=layer_name, driver=driver, geometry_name="geom",
                            geometry_type=geom_type or "Unknown", crs=table.crs_wkt, **options)


def _arrow_column(values, kind: Optional[str]):
    """A column of a table not read by pyarrow, for its writer: NaN / NaT are nulls, integers stay integers."""
    import pyarrow as pa
    if isinstance(values, np.ndarray) and values.dtype != object:
        col = pa.array(values, from_pandas=True)
        return col.cast(pa.int64()) if kind in ("Int", "LongLong") and values.dtype.kind == "f" else col
    return pa.array(list(values), from_pandas=True)


def _write_ogr(path, layer_name, table, keep, new_columns, wkb):
    columns = [(f, table.columns[f]) for f in keep] + list(new_columns.items())
    write_table(path, layer_name, columns, wkb, table.geometry_type, table.crs_wkt, kinds=table.field_types)


def write_table(path: str, layer_name: str, columns, wkb, geometry_type: Optional[str], crs_wkt: Optional[str],
                kinds: Optional[Dict[str, str]] = None, driver: Optional[str] = None, layer_options=None,
                encoding: str = "UTF-8"):
    """Write [(name, values)] and WKB geometries (wkb None: a table without geometry) with OGR alone.

    The layer is made by GDAL (fields, CRS, metadata), its rows go in in one transaction, and a
    GeoPackage's spatial index is built once at the end by GDAL (CreateSpatialIndex: in memory, bulk,
    from GDAL 3.8). `kinds` keeps types the values cannot show (an integer field with nulls read as
    floats). Values: numpy arrays, lists or pyarrow arrays; None / NaN / NaT are nulls."""
    from osgeo import ogr, osr
    driver = driver or _driver(path)
    geometry = wkb is not None and geometry_type not in ("None", "NoGeometry")
    prepared = [(name, _field_kind(values, (kinds or {}).get(name))) for name, values in columns]
    options = list(layer_options or [])
    if driver == "GPKG":
        options += ["SPATIAL_INDEX=NO", "GEOMETRY_NAME=geom"]
    elif driver == "ESRI Shapefile":
        options += [f"ENCODING={encoding}"]
    elif driver == "FlatGeobuf" and geometry and any(g is None for g in wkb):
        options += ["SPATIAL_INDEX=NO"]  # its index cannot hold features without geometry: keep them all
    geom_type = _ogr_geometry_type(geometry_type) if geometry else ogr.wkbNone
    n = len(wkb) if wkb is not None else len(columns[0][1]) if columns else 0
    blobs = _as_declared(np.asarray(wkb, dtype=object), geom_type) if geometry else None
    with GdalErrors(), _ShapeEncoding(encoding if driver == "ESRI Shapefile" else None):
        # A GeoPackage that is there gets one more layer (replacing one of the same name), as with pyogrio
        added = driver == "GPKG" and os.path.exists(path)
        try:
            srs = None
            if geometry and crs_wkt:
                srs = osr.SpatialReference()
                if srs.ImportFromWkt(crs_wkt) != 0:
                    raise RuntimeError(GdalErrors.message())
                srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
            if added:
                ds = ogr.Open(path, 1)
                old = ds.GetLayerByName(layer_name) if ds is not None else None
                if old is not None:
                    ds.DeleteLayer(old.GetName())
            else:
                if os.path.exists(path):
                    ogr.GetDriverByName(driver).DeleteDataSource(path)
                ds = ogr.GetDriverByName(driver).CreateDataSource(path)
            layer = ds.CreateLayer(layer_name, srs, geom_type, options) if ds is not None else None
            if layer is None:
                raise RuntimeError(GdalErrors.message())
            for (name, kind), (_, values) in zip(prepared, columns):
                if layer.CreateField(_ogr_field(name, kind, driver, values)) != 0:
                    raise RuntimeError(GdalErrors.message())
            names = [f.GetName() for f in layer.schema]  # as the driver named them
            table_name = layer.GetName()
            if driver != "GPKG":
                _insert_ogr(ds, layer, _chunks(columns, prepared, blobs, n))
            ds = layer = None  # closes: GDAL has written the table and its metadata
            if driver == "GPKG":
                _insert_gpkg(path, table_name, names, _chunks(columns, prepared, blobs, n), blobs is not None)
        except (RuntimeError, sqlite3.Error) as e:
            ds = layer = None
            if not added:
                remove_dataset(path)
            raise InputError(tr("Cannot write {}: {}").format(path, e)) from None


_OGR_TYPES = {"Bool": "OFTInteger", "Int": "OFTInteger", "LongLong": "OFTInteger64", "Double": "OFTReal",
              "String": "OFTString", "Date": "OFTDate", "DateTime": "OFTDateTime", "Time": "OFTTime",
              "Binary": "OFTBinary"}


def _ogr_field(name: str, kind: str, driver: str, values):
    from osgeo import ogr
    defn = ogr.FieldDefn(name, getattr(ogr, _OGR_TYPES[kind]))
    if kind == "Bool":
        defn.SetSubType(ogr.OFSTBoolean)
    if driver == "ESRI Shapefile" and kind == "String":  # as wide as the longest value (dBase: 254 bytes at most)
        texts = _plain_values(values, kind)
        defn.SetWidth(min(254, max([len(v.encode("utf-8")) for v in texts if v is not None] + [1])))
    return defn


# Rows go to OGR / SQLite this many at a time: Python values for all rows at once would double the memory.
CHUNK_ROWS = 65536


def _chunks(columns, prepared, blobs, n):
    """(rows as Python value lists per column, their WKB) per CHUNK_ROWS rows."""
    for start in range(0, n, CHUNK_ROWS):
        end = min(start + CHUNK_ROWS, n)
        yield ([_plain_values(values[start:end], kind) for (_, values), (_, kind) in zip(columns, prepared)],
               blobs[start:end] if blobs is not None else None)


def _ogr_geometry_type(name: str) -> int:
    """"MultiPolygon", "Polygon Z", "PolygonZ", "MultiPolygon25D" ... -> the OGR geometry type."""
    from osgeo import ogr
    text = (name or "Unknown").replace(" ", "")
    dims = ""
    for suffix in ("25D", "ZM", "Z", "M"):
        if text.endswith(suffix) and text[:-len(suffix)] in _GEOMETRY_NAMES.values():
            text, dims = text[:-len(suffix)], suffix
            break
    code = {v: k for k, v in _GEOMETRY_NAMES.items()}.get(text, ogr.wkbUnknown)
    if code in (ogr.wkbUnknown, ogr.wkbNone):
        return code
    if dims in ("25D", "Z", "ZM"):
        code = ogr.GT_SetZ(code)
    return ogr.GT_SetM(code) if dims in ("M", "ZM") else code


def _as_declared(wkb: np.ndarray, geom_type: int) -> np.ndarray:
    """Single parts of a layer declared Multi* as one-part multis (as pyogrio's promote_to_multi)."""
    from osgeo import ogr
    base = {ogr.wkbMultiPoint: 1, ogr.wkbMultiLineString: 2, ogr.wkbMultiPolygon: 3}.get(ogr.GT_Flatten(geom_type))
    if base is None:
        return wkb
    out = wkb
    for i, g in enumerate(wkb.tolist()):
        if g is None or len(g) < 5:
            continue
        order = "<" if g[0] == 1 else ">"
        code = struct.unpack(order + "I", g[1:5])[0]
        if (code & 0x0FFFFFFF) % 1000 == base:
            if out is wkb:
                out = wkb.copy()
            out[i] = g[:1] + struct.pack(order + "II", code + 3, 1) + g
    return out


def _plain_values(values, kind: str) -> list:
    """A column as Python values for OGR / SQLite: None for nulls, text for dates (ISO, as GDAL reads it)."""
    if hasattr(values, "to_pylist"):  # pyarrow
        values = values.to_pylist()
    arr = values if isinstance(values, np.ndarray) else np.array(list(values) + [None], dtype=object)[:-1]
    if arr.dtype.kind == "f":
        out = [None if v != v else v for v in arr.tolist()]
        return [v if v is None else int(v) for v in out] if kind in ("Int", "LongLong", "Bool") else out
    if arr.dtype.kind == "M":
        unit = "D" if kind == "Date" else "ms"
        text = np.datetime_as_string(arr.astype(f"datetime64[{unit}]"), unit=unit)
        return [None if t == "NaT" else t for t in text.tolist()]
    out = arr.tolist()
    sample = next((v for v in out if v is not None), None)
    if isinstance(sample, np.generic):
        out = [v if v is None else v.item() for v in out]
    elif isinstance(sample, float):
        out = [None if v is None or v != v else v for v in out]
    elif hasattr(sample, "isoformat"):  # datetime / date / time objects
        out = [v if v is None else v.isoformat() for v in out]
    return out


def _insert_ogr(ds, layer, chunks):
    """Feature by feature through OGR, in one transaction where the format has them."""
    from osgeo import ogr
    transaction = ds.TestCapability(ogr.ODsCTransactions)
    if transaction:
        ds.StartTransaction()
    feature = ogr.Feature(layer.GetLayerDefn())
    setters = []
    for i, f in enumerate(layer.schema):
        kind = f.GetType()
        setters.append(feature.SetFieldInteger64 if kind in (ogr.OFTInteger, ogr.OFTInteger64) else
                       feature.SetFieldString if kind in (ogr.OFTString, ogr.OFTDate, ogr.OFTDateTime, ogr.OFTTime)
                       else (lambda i, v: feature.SetFieldBinaryFromHexString(i, v.hex())) if kind == ogr.OFTBinary
                       else feature.SetField)
    for rows, blobs in chunks:
        for r in range(len(blobs) if blobs is not None else len(rows[0])):
            for i, (setter, column) in enumerate(zip(setters, rows)):
                v = column[r]
                if v is None:
                    feature.SetFieldNull(i)
                else:
                    setter(i, v)
            if blobs is not None:
                feature.SetGeometryDirectly(None if blobs[r] is None else ogr.CreateGeometryFromWkb(blobs[r]))
            feature.SetFID(-1)
            if layer.CreateFeature(feature) != 0:
                raise RuntimeError(GdalErrors.message())
    if transaction and ds.CommitTransaction() != 0:
        raise RuntimeError(GdalErrors.message())


def _insert_gpkg(path, table_name, names, chunks, geometry: bool):
    """GeoPackage rows straight into SQLite in one transaction (GDAL has made the table, its metadata and
    CRS; per feature through OGR's Python API is 3x slower: 12.7 s vs 3.9 s for 1M rows of 20 fields, GDAL 3.6),
    then the spatial index built once by GDAL (SELECT CreateSpatialIndex). Each geometry carries its envelope,
    as GDAL writes them: the index is then built from the headers without parsing (a third faster), and the
    layer's extent is theirs."""
    from osgeo import ogr
    con = sqlite3.connect(path, isolation_level=None)
    try:
        geom_col, srs_id = con.execute("SELECT column_name, srs_id FROM gpkg_geometry_columns WHERE table_name = ?",
                                       (table_name,)).fetchone() or (None, 0)
        geometry = geometry and geom_col is not None
        cols = ([geom_col] if geometry else []) + names
        sql = 'INSERT INTO "{}" ({}) VALUES ({})'.format(
            table_name.replace('"', '""'), ", ".join('"{}"'.format(c.replace('"', '""')) for c in cols),
            ", ".join("?" * len(cols)))
        # GeoPackage binary: "GP", version 0, flags (bit 0 little-endian, bits 1-3 envelope: 1 = x/y; bit 4
        # empty), srs_id, [minx, maxx, miny, maxy], WKB
        srs = struct.pack("<i", srs_id)
        boxed, plain, empty = b"GP\x00\x03" + srs, b"GP\x00\x01" + srs, b"GP\x00\x11" + srs
        extent = np.array([np.inf, np.inf, -np.inf, -np.inf])
        n = 0
        con.execute("BEGIN")
        # GDAL's feature-count triggers update gpkg_ogr_contents once per row (a third of the time here):
        # set aside and the count set once, as GDAL does while it writes.
        triggers = con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? AND "
                               "name LIKE 'trigger_%_feature_count_%'", (table_name,)).fetchall()
        for name, _ in triggers:
            con.execute('DROP TRIGGER "{}"'.format(name.replace('"', '""')))
        for rows, blobs in chunks:
            if geometry:
                box = wkb.bounds_many(blobs)  # NaN for an empty (or unreadable) geometry
                extent = np.r_[np.fmin(extent[:2], np.nanmin(box[:, :2], axis=0, initial=np.inf)),
                               np.fmax(extent[2:], np.nanmax(box[:, 2:], axis=0, initial=-np.inf))]
                env = np.ascontiguousarray(box[:, [0, 2, 1, 3]], "<f8").tobytes()
                has = np.isfinite(box).all(axis=1).tolist()
                rows.insert(0, [None if g is None else boxed + env[32 * i:32 * i + 32] + g if has[i] else
                                (empty if len(g) <= 21 and _is_empty(g) else plain) + g  # empty: 9 to 21 bytes
                                for i, g in enumerate(blobs.tolist())])
            con.executemany(sql, zip(*rows))
            n += len(rows[0]) if rows else 0
        if con.execute("SELECT 1 FROM sqlite_master WHERE name = 'gpkg_ogr_contents'").fetchone():
            con.execute("UPDATE gpkg_ogr_contents SET feature_count = ? WHERE lower(table_name) = lower(?)",
                        (n, table_name))
        for _, trigger in triggers:
            con.execute(trigger)
        con.execute("COMMIT")
    finally:
        con.close()
    if not geometry:
        return
    ds = ogr.Open(path, 1)
    if ds is None:
        raise RuntimeError(GdalErrors.message())
    result = ds.ExecuteSQL("SELECT CreateSpatialIndex('{}', '{}')".format(table_name.replace("'", "''"),
                                                                          geom_col.replace("'", "''")))
    if result is None:
        raise RuntimeError(GdalErrors.message())
    ds.ReleaseResultSet(result)
    ds = None
    if np.isfinite(extent).all():  # the extent GDAL would have stored, exact
        con = sqlite3.connect(path, isolation_level=None)
        try:
            con.execute("UPDATE gpkg_contents SET min_x = ?, min_y = ?, max_x = ?, max_y = ? WHERE table_name = ?",
                        extent.tolist() + [table_name])
        finally:
            con.close()


def _is_empty(g: bytes) -> bool:
    """An empty geometry's WKB: no points / rings / parts (points: NaN coordinates)."""
    order = "<" if g[0] == 1 else ">"
    code = struct.unpack(order + "I", g[1:5])[0] & 0x0FFFFFFF
    if code % 1000 == 1:
        return len(g) >= 13 and np.isnan(struct.unpack(order + "d", g[5:13])[0])
    return len(g) >= 9 and struct.unpack(order + "I", g[5:9])[0] == 0


def qgs_field(name: str, kind: str):
    """A QgsField of a basic kind (Bool, Int, LongLong, Double, String), on any QGIS (see compat)."""
    from qgis.core import QgsField
    from ..compat import field_type
    return QgsField(name, field_type(kind))


def _field_kind(values, declared: Optional[str] = None) -> str:
    """The kind of a column (as _KINDS): as declared by the file it was read from, else from its values."""
    if declared:
        return declared
    if hasattr(values, "type"):  # pyarrow: its type says (integers with nulls would come out as floats)
        arrow = str(values.type)
        return "Bool" if arrow == "bool" else "LongLong" if arrow in ("int64", "uint32", "uint64") else \
            "Int" if arrow.startswith(("int", "uint")) else "Double" if arrow in ("float", "double", "halffloat") \
            else "Date" if arrow.startswith("date") else "DateTime" if arrow.startswith("timestamp") else \
            "Binary" if "binary" in arrow else "String"
    arr = values if isinstance(values, np.ndarray) else np.array(list(values) + [None], dtype=object)[:-1]
    if arr.dtype.kind == "f":
        return "Double"
    if arr.dtype.kind == "b":
        return "Bool"
    if arr.dtype.kind in "iu":
        return "LongLong" if arr.dtype.itemsize > 4 or arr.dtype == np.uint32 else "Int"
    if arr.dtype.kind == "M":
        return "Date" if arr.dtype == np.dtype("datetime64[D]") else "DateTime"
    sample = next((v for v in arr.tolist() if v is not None), None)
    if isinstance(sample, (bool, np.bool_)):
        return "Bool"
    if isinstance(sample, (int, np.integer)):
        return "LongLong"
    if isinstance(sample, (float, np.floating)):
        return "Double"
    if isinstance(sample, (bytes, bytearray)):
        return "Binary"
    if isinstance(sample, datetime.datetime):
        return "DateTime"
    if isinstance(sample, datetime.date):
        return "Date"
    return "String"
