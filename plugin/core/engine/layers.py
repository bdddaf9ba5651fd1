"""Reading inputs into one in-memory shape (writing it back: layer_writer).

Three ways in, one shape out (`Table`): for files, GDAL's Arrow stream — through pyogrio + pyarrow when
they are there, else through osgeo.ogr's own (`GetArrowStreamAsNumPy`, GDAL >= 3.6, in every QGIS);
QGIS feature iteration for everything else (memory layers, PostGIS, selections, subset filters). The
engine works on a Table and never knows which reader made it, which is why all give the same codes.
"""
import contextlib
import os
from dataclasses import dataclass, field
from typing import Dict, List, Optional

import numpy as np

from ..i18n import tr
from .json_fields import open_options
from ..speedups import ARROW_OK
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


class ShapeEncoding:
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


GEOMETRY_NAMES = {0: "Unknown", 1: "Point", 2: "LineString", 3: "Polygon", 4: "MultiPoint", 5: "MultiLineString",
                   6: "MultiPolygon", 7: "GeometryCollection", 100: "None"}


def _geometry_type_name(code: int) -> str:
    """An OGR geometry type as pyogrio names it ("MultiPolygon", "Polygon Z", "None")."""
    from osgeo import ogr
    name = GEOMETRY_NAMES.get(ogr.GT_Flatten(code), "Unknown")
    dims = ("Z" if ogr.GT_HasZ(code) else "") + ("M" if ogr.GT_HasM(code) else "")
    return name + (" " + dims if dims and name not in ("Unknown", "None") else "")


def _read_ogr(inp: LayerInput, columns, encoding=None) -> Table:
    """GDAL's own Arrow stream through osgeo.ogr (no pyogrio, no pyarrow): record batches of numpy arrays,
    in C; text decoded here (GDAL gives UTF-8, recoded from a shapefile's ENCODING)."""
    from osgeo import gdal
    with GdalErrors(), ShapeEncoding(encoding):
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


# -- dataset files -----------------------------------------------------------------------------------------
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


def qgs_field(name: str, kind: str):
    """A QgsField of a basic kind (Bool, Int, LongLong, Double, String), on any QGIS (see compat)."""
    from qgis.core import QgsField
    from ..compat import field_type
    return QgsField(name, field_type(kind))
