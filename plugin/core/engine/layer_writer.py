"""Writing the coded result: an input's Table with the new columns, or plain columns, to a file.

Through pyogrio when it is there, else through OGR: the layer made by GDAL, its rows added in one
transaction, the spatial index packed once at the end (GeoPackage rows go in through SQLite directly:
see _insert_gpkg).
"""
import datetime
import os
import sqlite3
import struct
from typing import Dict, List, Optional

import numpy as np

from . import gpkg_rtree, wkb
from ..i18n import tr
from ..speedups import ARROW_WRITE_OK
from ..sqlite_bulk import insert_rows
from .layers import GEOMETRY_NAMES, GdalErrors, InputError, Table, ShapeEncoding, remove_dataset


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
        _write_ogr(path, layer_name, table, keep, new_columns, wkb, geo.boxes if geo is not None else None)
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
        out = pa.table({f: arrow_column(table.columns[f], table.field_types.get(f)) for f in keep})
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
    with ShapeEncoding(options.get("encoding")):  # pyogrio inside QGIS runs on QGIS's GDAL
        pyogrio.write_arrow(out, path, layer=layer_name, driver=driver, geometry_name="geom",
                            geometry_type=geom_type or "Unknown", crs=table.crs_wkt, **options)


def arrow_column(values, kind: Optional[str]):
    """A column of a table not read by pyarrow, for its writer: NaN / NaT are nulls, integers stay integers."""
    import pyarrow as pa
    if isinstance(values, np.ndarray) and values.dtype != object:
        col = pa.array(values, from_pandas=True)
        return col.cast(pa.int64()) if kind in ("Int", "LongLong") and values.dtype.kind == "f" else col
    return pa.array(list(values), from_pandas=True)


def _write_ogr(path, layer_name, table, keep, new_columns, wkb, boxes):
    columns = [(f, table.columns[f]) for f in keep] + list(new_columns.items())
    write_table(path, layer_name, columns, wkb, table.geometry_type, table.crs_wkt, kinds=table.field_types,
                boxes=boxes)


def write_table(path: str, layer_name: str, columns, wkb, geometry_type: Optional[str], crs_wkt: Optional[str],
                kinds: Optional[Dict[str, str]] = None, driver: Optional[str] = None, layer_options=None,
                encoding: str = "UTF-8", boxes: Optional[np.ndarray] = None):
    """Write [(name, values)] and WKB geometries (wkb None: a table without geometry) with OGR alone.

    The layer is made by GDAL (fields, CRS, metadata), its rows go in in one transaction, and a
    GeoPackage's spatial index is packed once at the end (gpkg_rtree). `kinds` keeps types the values
    cannot show (an integer field with nulls read as floats). Values: numpy arrays, lists or pyarrow
    arrays; None / NaN / NaT are nulls. boxes: the geometries' bounds (n, 4) when the caller has them."""
    from osgeo import ogr, osr
    driver = driver or _driver(path)
    geometry = wkb is not None and geometry_type not in ("None", "NoGeometry")
    prepared = [(name, field_kind(values, (kinds or {}).get(name))) for name, values in columns]
    options = list(layer_options or [])
    if driver == "GPKG":
        options += ["GEOMETRY_NAME=geom"]  # its spatial index made empty by GDAL, filled at once (_insert_gpkg)
    elif driver == "ESRI Shapefile":
        options += [f"ENCODING={encoding}"]
    elif driver == "FlatGeobuf" and geometry and any(g is None for g in wkb):
        options += ["SPATIAL_INDEX=NO"]  # its index cannot hold features without geometry: keep them all
    geom_type = _ogr_geometry_type(geometry_type) if geometry else ogr.wkbNone
    n = len(wkb) if wkb is not None else len(columns[0][1]) if columns else 0
    blobs = _as_declared(np.asarray(wkb, dtype=object), geom_type) if geometry else None
    with GdalErrors(), ShapeEncoding(encoding if driver == "ESRI Shapefile" else None):
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
                _insert_gpkg(path, table_name, names, _chunks(columns, prepared, blobs, n), blobs is not None,
                             boxes)
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
        texts = plain_values(values, kind)
        defn.SetWidth(min(254, max([len(v.encode("utf-8")) for v in texts if v is not None] + [1])))
    return defn


# Rows go to OGR / SQLite this many at a time: Python values for all rows at once would double the memory.
CHUNK_ROWS = 65536


def _chunks(columns, prepared, blobs, n):
    """(rows as Python value lists per column, their WKB) per CHUNK_ROWS rows."""
    for start in range(0, n, CHUNK_ROWS):
        end = min(start + CHUNK_ROWS, n)
        yield ([plain_values(values[start:end], kind) for (_, values), (_, kind) in zip(columns, prepared)],
               blobs[start:end] if blobs is not None else None)


def _ogr_geometry_type(name: str) -> int:
    """"MultiPolygon", "Polygon Z", "PolygonZ", "MultiPolygon25D" ... -> the OGR geometry type."""
    from osgeo import ogr
    text = (name or "Unknown").replace(" ", "")
    dims = ""
    for suffix in ("25D", "ZM", "Z", "M"):
        if text.endswith(suffix) and text[:-len(suffix)] in GEOMETRY_NAMES.values():
            text, dims = text[:-len(suffix)], suffix
            break
    code = {v: k for k, v in GEOMETRY_NAMES.items()}.get(text, ogr.wkbUnknown)
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


def plain_values(values, kind: str) -> list:
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


def _insert_gpkg(path, table_name, names, chunks, geometry: bool, boxes=None):
    """GeoPackage rows straight into SQLite in one transaction (GDAL has made the table, its metadata, CRS
    and empty spatial index; per feature through OGR's Python API is 3x slower: 12.7 s vs 3.9 s for 1M rows
    of 20 fields, GDAL 3.6), then the spatial index packed at once (gpkg_rtree) from the envelopes each
    geometry carries, as GDAL writes them; the layer's extent is theirs."""
    con = sqlite3.connect(path, isolation_level=None)
    try:
        geom_col, srs_id = con.execute("SELECT column_name, srs_id FROM gpkg_geometry_columns WHERE table_name = ?",
                                       (table_name,)).fetchone() or (None, 0)
        geometry = geometry and geom_col is not None
        fid = con.execute("SELECT name FROM pragma_table_info(?) WHERE pk", (table_name,)).fetchone()[0]
        cols = [fid] + ([geom_col] if geometry else []) + names
        insert = 'INSERT INTO "{}" ({}) VALUES '.format(
            table_name.replace('"', '""'), ", ".join('"{}"'.format(c.replace('"', '""')) for c in cols))
        row = "({})".format(", ".join("?" * len(cols)))
        # GeoPackage binary: "GP", version 0, flags (bit 0 little-endian, bits 1-3 envelope: 1 = x/y; bit 4
        # empty), srs_id, [minx, maxx, miny, maxy], WKB
        srs = struct.pack("<i", srs_id)
        boxed, plain, empty = b"GP\x00\x03" + srs, b"GP\x00\x01" + srs, b"GP\x00\x11" + srs
        given, boxes = boxes, []
        n = 0
        con.execute("BEGIN")
        # GDAL's triggers keep the feature count (gpkg_ogr_contents, once per row: a third of the time here)
        # and the spatial index (row by row, with functions only GDAL has): set aside while the rows go in,
        # both then set at once.
        triggers = con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?",
                               (table_name,)).fetchall()
        for name, _ in triggers:
            con.execute('DROP TRIGGER "{}"'.format(name.replace('"', '""')))
        for rows, blobs in chunks:
            count = len(blobs) if blobs is not None else len(rows[0]) if rows else 0
            if geometry:
                # NaN for an empty (or unreadable) geometry
                box = wkb.bounds_many(blobs) if given is None else given[n:n + count].copy()
                redo = np.flatnonzero(~np.isfinite(box).all(axis=1)) if given is not None else []
                if len(redo):  # none given, e.g. for a curve shapely cannot read: from its WKB
                    box[redo] = wkb.bounds_many(blobs[redo])
                boxes.append(box)
                env = np.ascontiguousarray(box[:, [0, 2, 1, 3]], "<f8").tobytes()
                has = np.isfinite(box).all(axis=1).tolist()
                rows.insert(0, [None if g is None else boxed + env[32 * i:32 * i + 32] + g if has[i] else
                                (empty if len(g) <= 21 and _is_empty(g) else plain) + g  # empty: 9 to 21 bytes
                                for i, g in enumerate(blobs.tolist())])
            insert_rows(con, insert, row, len(cols), count, zip(range(n + 1, n + count + 1), *rows))
            n += count
        if con.execute("SELECT 1 FROM sqlite_master WHERE name = 'gpkg_ogr_contents'").fetchone():
            con.execute("UPDATE gpkg_ogr_contents SET feature_count = ? WHERE lower(table_name) = lower(?)",
                        (n, table_name))
        if geometry:
            box = np.concatenate(boxes) if boxes else np.zeros((0, 4))
            has = np.flatnonzero(np.isfinite(box).all(axis=1))
            rtree = "rtree_{}_{}".format(table_name, geom_col)
            if len(has) and con.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (rtree,)).fetchone():
                gpkg_rtree.fill(con, rtree, has + 1, box[has])
            if len(has):  # the extent GDAL would have stored, exact
                con.execute("UPDATE gpkg_contents SET min_x = ?, min_y = ?, max_x = ?, max_y = ? "
                            "WHERE table_name = ?", box[has, :2].min(axis=0).tolist() +
                            box[has, 2:].max(axis=0).tolist() + [table_name])
        for _, trigger in triggers:
            con.execute(trigger)
        con.execute("COMMIT")
    finally:
        con.close()


def _is_empty(g: bytes) -> bool:
    """An empty geometry's WKB: no points / rings / parts (points: NaN coordinates)."""
    order = "<" if g[0] == 1 else ">"
    code = struct.unpack(order + "I", g[1:5])[0] & 0x0FFFFFFF
    if code % 1000 == 1:
        return len(g) >= 13 and np.isnan(struct.unpack(order + "d", g[5:13])[0])
    return len(g) >= 9 and struct.unpack(order + "I", g[5:9])[0] == 0


def field_kind(values, declared: Optional[str] = None) -> str:
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
