"""What lies at monitoring points: raster values, planning zones and divisions, for many points at once.

Points come as numpy arrays x / y in one CRS (WKT; e.g. CGCS2000 lon/lat EPSG:4490). They are moved
into each layer's CRS once (pyproj), never the layers to the points' CRS.

Rasters. A point takes the value of the cell it falls in (a point on a cell edge belongs to the cell to
its right / below, as in GDAL and QGIS). The cell is found with the raster's affine transform in numpy;
values are read either with rasterio, in windows around the points (small rasters in one read, large
ones tile by tile, so a 20000 x 20000 raster is never read whole), or through QGIS's raster provider
(QgsRasterDataProvider.sample at the centre of each distinct cell) for what rasterio cannot open or
when rasterio is missing. Both apply the band's scale and offset, and treat as missing the nodata value,
NaN, and cells a GDAL mask or alpha band hides; alpha bands are masks, never value columns.

Planning zones and divisions: a point lies in a polygon when it intersects it, so a point on the
boundary counts as inside; where polygons overlap (or share an edge) the first feature of the layer
wins, the same tie-break as geometry.locate. Invalid polygons are repaired with geometry.clean first.
"""
import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence

import numpy as np

from ..i18n import tr
from ..engine.layers import InputError, LayerInput
from ..speedups import RASTERIO_OK


VALID, NODATA, OUTSIDE = "", "nodata", "outside"
ONE_READ_CELLS = 1 << 22   # points whose cells span at most this many cells are read in one window
TILE = 256                 # otherwise tile by tile (rounded up to the raster's block size)
CACHE_BYTES = 64 << 20     # decoded blocks kept by GDAL for one raster before they are dropped


@dataclass
class Sample:
    """One value column: float values (NaN where missing), which are valid, and why the others are not."""
    values: np.ndarray
    valid: np.ndarray
    reason: np.ndarray  # "" (valid), "nodata" (nodata value, NaN or masked), "outside" (not on the raster)


@dataclass
class RasterInput:
    source: object                        # a file path (anything GDAL opens) or a QgsRasterLayer
    bands: Optional[Sequence[int]] = None  # 1-based; None: every band except alpha bands
    name: str = ""                         # names the output columns (default: file or layer name)

    @property
    def label(self) -> str:
        if self.name:
            return self.name
        if isinstance(self.source, str):
            return os.path.splitext(os.path.basename(self.source.split("|", 1)[0]))[0]
        return self.source.name()


@dataclass
class ZoneHits:
    """Which points lie in a planning layer, in which feature, and that feature's class."""
    inside: np.ndarray                 # bool
    feature: np.ndarray                # row of the (first) feature holding the point, in reading order; -1: none
    values: Optional[np.ndarray]       # class field value per point (None where outside); None: no class field
    class_field: Optional[str] = None
    kind: str = ""                     # planning.recognise's kind of the layer ("" = not recognised)
    notes: List[str] = field(default_factory=list)  # CRS assumed, datum moved ... (for the log)


@dataclass
class DivisionHits:
    index: np.ndarray  # division index per point (-1: none; on a shared edge the lowest index)
    code: np.ndarray   # its code (None: none)


def rasterio_missing_message() -> str:
    """One sentence for the log when rasterio is missing ('' when it is there)."""
    if RASTERIO_OK:
        return ""
    return tr("Optional speed-up rasterio not found: CityCode reads raster values through QGIS, which is "
              "slower on many points. Install it with pip to speed this up.")


# -- rasters -------------------------------------------------------------------------------------------
def sample_rasters(x, y, crs_wkt: str, rasters: Sequence, engine: str = "auto") -> Dict[str, Sample]:
    """Values of `rasters` (paths, QgsRasterLayers or RasterInputs) at the points, one column per band:
    "<raster>" for a single-band raster, "<raster>_b<n>" otherwise. engine: auto (rasterio when it opens
    the source), rasterio, or qgis. A raster without a CRS is taken to be in the points' CRS."""
    from ..engine.buildings import planning_names
    if engine == "rasterio" and not RASTERIO_OK:
        raise InputError(rasterio_missing_message())
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    inputs = [r if isinstance(r, RasterInput) else RasterInput(r) for r in rasters]
    out = {}
    for inp, name in zip(inputs, planning_names(inputs)):
        reader = _open(inp, engine)
        try:
            value_bands = reader.value_bands()
            bands = list(inp.bands) if inp.bands else value_bands
            bad = [b for b in bands if not 1 <= b <= reader.band_count]
            if bad:
                raise InputError(tr("{} has no band {} (it has {} bands)").format(
                    inp.label, ", ".join(map(str, bad)), reader.band_count))
            px, py = _to_crs(x, y, crs_wkt, reader.crs_wkt)
            row, col, on = _cells(px, py, reader.geotransform, reader.height, reader.width)
            values, ok = np.full((len(bands), len(x)), np.nan), np.zeros((len(bands), len(x)), dtype=bool)
            if on.any():
                values[:, on], ok[:, on] = reader.read(bands, row[on], col[on])
            ok &= ~np.isnan(values)
        finally:
            reader.close()
        for k, band in enumerate(bands):
            column = name if len(value_bands) == 1 else f"{name}_b{band}"
            reason = np.where(ok[k], VALID, np.where(on, NODATA, OUTSIDE))
            out[column] = Sample(values=np.where(ok[k], values[k], np.nan), valid=ok[k], reason=reason)
    return out


def _to_crs(x, y, src_wkt, dst_wkt):
    from ..engine.geometry import point_mapper
    mapper = point_mapper(src_wkt, dst_wkt)
    return (x, y) if mapper is None else tuple(np.asarray(a, dtype=float) for a in mapper(x, y))


def _cells(x, y, gt, height, width):
    """(row, col, on the raster) of each point; gt is a GDAL geotransform (x0, dx, rx, y0, ry, dy)."""
    x0, dx, rx, y0, ry, dy = gt
    with np.errstate(invalid="ignore"):
        if rx == 0 and ry == 0:  # north-up: the same arithmetic as GDAL and QGIS, exact on cell edges
            fc, fr = (x - x0) / dx, (y - y0) / dy
        else:
            det = dx * dy - rx * ry
            fc = (dy * (x - x0) - rx * (y - y0)) / det
            fr = (dx * (y - y0) - ry * (x - x0)) / det
        col, row = np.floor(fc), np.floor(fr)
        on = (col >= 0) & (col < width) & (row >= 0) & (row < height)  # False for NaN / inf positions
    return np.where(on, row, 0).astype(np.int64), np.where(on, col, 0).astype(np.int64), on


def _open(inp: RasterInput, engine: str):
    """A reader for the source: rasterio when allowed and it can, else the QGIS provider."""
    from qgis.core import QgsRasterLayer
    layer = inp.source if isinstance(inp.source, QgsRasterLayer) else None
    path = inp.source if layer is None else _gdal_path(layer)
    if engine != "qgis" and RASTERIO_OK and path:
        import rasterio
        try:
            return _RasterioReader(rasterio.open(path))
        except (rasterio.errors.RasterioError, rasterio.errors.RasterioIOError):
            if engine == "rasterio":
                _must_exist(path)
                raise InputError(tr("rasterio cannot open {}").format(inp.label)) from None
    if layer is not None:
        provider = layer.dataProvider() if layer.isValid() else None
    else:
        # A provider, not a layer: a layer computes statistics for its renderer and GDAL saves them beside
        # the file (.aux.xml).
        from qgis.core import QgsDataProvider, QgsProviderRegistry
        provider = QgsProviderRegistry.instance().createProvider("gdal", str(inp.source),
                                                                 QgsDataProvider.ProviderOptions())
        if provider is None or not provider.isValid():
            _must_exist(str(inp.source))
    if provider is None or not provider.isValid():
        raise InputError(tr("Cannot open {} as a raster layer").format(inp.label))
    return _QgisReader(provider, layer, _file_geotransform(path) if provider.name() == "gdal" else None)


def _file_geotransform(path: Optional[str]):
    """A north-up GDAL file's own geotransform: the provider's extent divided by the raster size is off by a
    few ulps, enough to put points on a cell edge into the neighbouring cell."""
    from osgeo import gdal
    try:
        gt = gdal.Open(path).GetGeoTransform() if path else None
    except (RuntimeError, AttributeError):  # not a plain file GDAL opens by that name
        return None
    return tuple(gt) if gt and gt[2] == 0 and gt[4] == 0 else None


def _must_exist(source: str):
    """A plain path that is not there (GDAL names such as GPKG:file:table or /vsizip/... are left to GDAL)."""
    path = source.split("|", 1)[0]
    if not path.startswith("/vsi") and ":" not in path[2:] and not os.path.exists(path):
        raise InputError(tr("File not found: {}").format(path))


def _gdal_path(layer) -> Optional[str]:
    """What rasterio may open for a QGIS raster layer: a GDAL source whose no-data settings are the file's
    own (extra no-data values set on the layer are known to QGIS only)."""
    p = layer.dataProvider()
    if layer.providerType() != "gdal" or "|" in layer.source():
        return None
    for band in range(1, p.bandCount() + 1):
        if p.userNoDataValues(band) or not p.useSourceNoDataValue(band):
            return None
    return layer.source()


class _RasterioReader:
    def __init__(self, ds):
        self.ds = ds
        self.crs_wkt = ds.crs.to_wkt() if ds.crs else None
        self.geotransform = ds.transform.to_gdal()
        self.height, self.width, self.band_count = ds.height, ds.width, ds.count

    def value_bands(self) -> List[int]:
        from rasterio.enums import ColorInterp
        return [b for b, ci in enumerate(self.ds.colorinterp, 1) if ci != ColorInterp.alpha] or [1]

    def read(self, bands, row, col):
        """(values, valid) of shape (bands, points), scale and offset applied."""
        import rasterio
        from rasterio.enums import MaskFlags
        from rasterio.windows import Window
        values = np.empty((len(bands), len(row)))
        valid = np.empty((len(bands), len(row)), dtype=bool)
        bh, bw = self.ds.block_shapes[0]
        block_bytes = bh * bw * self.ds.count * max(np.dtype(t).itemsize for t in self.ds.dtypes)
        cached = 0
        # A nodata value is compared at the points only; GDAL masks and alpha bands are read with the values.
        flags = {f for b in bands for f in self.ds.mask_flag_enums[b - 1]}
        masks = not flags <= {MaskFlags.all_valid, MaskFlags.nodata}
        for idx, r0, c0, h, w in _windows(row, col, (bh, bw)):
            # GDAL keeps every block it decoded (up to 5 % of RAM); closing the dataset drops its blocks.
            cached += (-(-(r0 + h) // bh) - r0 // bh) * (-(-(c0 + w) // bw) - c0 // bw) * block_bytes
            if cached > CACHE_BYTES:
                name = self.ds.name
                self.ds.close()
                self.ds, cached = rasterio.open(name), 0
            block = self.ds.read(bands, window=Window(c0, r0, w, h), masked=masks)
            r, c = row[idx] - r0, col[idx] - c0
            values[:, idx] = np.ma.getdata(block)[:, r, c]
            valid[:, idx] = ~np.ma.getmaskarray(block)[:, r, c] if masks else True
        if not masks:
            for k, b in enumerate(bands):
                nodata, dtype = self.ds.nodatavals[b - 1], np.dtype(self.ds.dtypes[b - 1])
                if nodata is not None:  # as GDAL compares: a float band's nodata at the band's precision
                    valid[k] &= values[k] != (dtype.type(nodata) if dtype.kind == "f" else nodata)
        return _scaled(values, [self.ds.scales[b - 1] for b in bands], [self.ds.offsets[b - 1] for b in bands]), valid

    def close(self):
        self.ds.close()


def _windows(row, col, block_shape):
    """(indices of the points, row0, col0, height, width) of the windows to read: one window when the points'
    cells span few cells, else one per tile (a multiple of the raster's blocks) holding points, each just
    covering its points."""
    r0, r1, c0, c1 = row.min(), row.max(), col.min(), col.max()
    if (r1 - r0 + 1) * (c1 - c0 + 1) <= ONE_READ_CELLS:
        yield np.arange(len(row)), int(r0), int(c0), int(r1 - r0 + 1), int(c1 - c0 + 1)
        return
    th, tw = (-(-TILE // s) * s for s in block_shape)  # TILE rounded up to whole blocks
    tile = (row // th) * (col.max() // tw + 1) + col // tw
    order = np.argsort(tile, kind="stable")
    starts = np.flatnonzero(np.r_[True, tile[order][1:] != tile[order][:-1]])
    for idx in np.split(order, starts[1:]):
        tr_, tc = row[idx], col[idx]
        yield idx, int(tr_.min()), int(tc.min()), int(tr_.max() - tr_.min() + 1), int(tc.max() - tc.min() + 1)


def _scaled(values, scales, offsets):
    for k, (s, o) in enumerate(zip(scales, offsets)):
        if s != 1 or o != 0:
            values[k] = values[k] * s + o
    return values


class _QgisReader:
    """QGIS's raster provider: any source QGIS opens (GeoPackage rasters, WMS/WCS, PostGIS rasters ...)."""

    def __init__(self, provider, layer=None, geotransform=None):
        self.layer = layer  # a layer's provider lives only as long as the layer
        p = self.p = provider
        self.crs_wkt = p.crs().toWkt() or None
        e = p.extent()
        self.height, self.width, self.band_count = p.ySize(), p.xSize(), p.bandCount()
        self.geotransform = geotransform or (e.xMinimum(), e.width() / self.width, 0.0, e.yMaximum(), 0.0,
                                             -e.height() / self.height)
        from ..compat import ALPHA_BAND
        self.alpha = [b for b in range(1, self.band_count + 1) if p.colorInterpretation(b) == ALPHA_BAND]

    def value_bands(self) -> List[int]:
        return [b for b in range(1, self.band_count + 1) if b not in self.alpha] or [1]

    def read(self, bands, row, col):
        """(values, valid) of shape (bands, points); the provider applies scale and offset itself."""
        from qgis.core import QgsPointXY

        from ..compat import IDENTIFY_VALUE
        values = np.empty((len(bands), len(row)))
        valid = np.empty((len(bands), len(row)), dtype=bool)
        x0, dx, _, y0, _, dy = self.geotransform
        sample, identify = self.p.sample, self.p.identify
        with _gdal_cache_cap():
            for idx, *_ in _windows(row, col, (1, 1)):  # tile by tile, so GDAL decodes each block once
                cell, back = np.unique(row[idx] * self.width + col[idx], return_inverse=True)
                # Each distinct cell is sampled at its centre, so QGIS reads the very cell found here.
                centres = [QgsPointXY(cx, cy) for cx, cy in zip((x0 + (cell % self.width + 0.5) * dx).tolist(),
                                                                (y0 + (cell // self.width + 0.5) * dy).tolist())]
                shown = np.ones(len(cell), dtype=bool)
                if self.alpha:  # 0 hides the cell in every band; sample() cannot read a mask QGIS shows as alpha
                    for i, c in enumerate(centres):
                        found = identify(c, IDENTIFY_VALUE).results()
                        shown[i] = all(found.get(band) for band in self.alpha)
                for k, band in enumerate(bands):
                    got = np.array([sample(c, band) for c in centres]).reshape(-1, 2)
                    values[k, idx] = got[back, 0]
                    valid[k, idx] = (got[:, 1] != 0)[back] & shown[back]
        return values, valid

    def close(self):
        pass


@contextmanager
def _gdal_cache_cap():
    """GDAL's block cache held at CACHE_BYTES while QGIS reads (GDAL keeps every block it decodes, up to
    5 % of RAM); QGIS gives no way to drop one dataset's blocks, so the process-wide limit is lowered
    for the time being and restored after."""
    try:
        from osgeo import gdal
    except ImportError:
        yield
        return
    before = gdal.GetCacheMax()
    gdal.SetCacheMax(min(before, CACHE_BYTES))
    try:
        yield
    finally:
        gdal.SetCacheMax(before)


# -- planning zones and divisions --------------------------------------------------------------------------
def zones_at_points(x, y, crs_wkt: str, layers: Sequence, class_fields: Optional[Dict[str, Optional[str]]] = None,
                    engine: str = "auto") -> Dict[str, ZoneHits]:
    """Per planning layer (LayerInputs, file paths or QgsVectorLayers), whether each point lies in it and
    the value of its class field there. Keys are the layer names as the overlay's output fields use them.

    The class field is the one planning.recognise finds (the 用地用海 code field; codes that lost their
    leading zero get it back), unless class_fields names one for the layer's key (None or "": none).
    A layer without a CRS is taken to be in the points' CRS, unless its coordinates show another
    (input_checks.settle_crs, which also stops on a CRS that fits neither)."""
    from ..china import datum_detect
    from ..engine import input_checks
    from ..engine import layers as layers_mod
    from ..engine.buildings import planning_names
    from ..engine.geometry import backend
    from ..planning.standard import normalise_code
    geometry = backend()
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    inputs = [_layer_input(item) for item in layers]
    out, moved = {}, {}
    for inp, name in zip(inputs, planning_names(inputs)):
        table = layers_mod.read(inp, engine=engine)
        notes = [n.message for n in datum_detect.settle(inp, table)]
        if not table.crs_wkt:
            table.crs_wkt = crs_wkt
            notes.append(tr("{} has no CRS: taken to be that of the points").format(table.name))
        notes += [n.message for n in input_checks.settle_crs([inp], [table])]
        kind, found, padded = _recognised(inp)
        wanted = (class_fields or {}).get(name, found)
        cleaned = geometry.clean(geometry.from_wkb(table.wkb))
        keep = np.flatnonzero(~cleaned.empty)
        if table.crs_wkt not in moved:  # points moved once per CRS, not once per layer
            moved[table.crs_wkt] = _to_crs(x, y, crs_wkt, table.crs_wkt)
        px, py = moved[table.crs_wkt]
        hit = geometry.first_polygon(px, py, cleaned.geoms[keep])
        feature = np.where(hit >= 0, keep[np.maximum(hit, 0)], -1)
        values = None
        if wanted:
            column = [None if v != v else v for v in table.column(wanted).tolist()]  # NaN: a null number
            if wanted == found and padded:
                column = [normalise_code(_integral(v)) or v for v in column]
            values = np.full(len(x), None, dtype=object)
            values[feature >= 0] = np.array(column + [None], dtype=object)[feature[feature >= 0]]
        out[name] = ZoneHits(inside=feature >= 0, feature=feature, values=values, class_field=wanted or None,
                             kind=kind, notes=notes)
    return out


def _integral(v):
    """101.0 -> 101: an integer field with nulls comes out of Arrow as floats."""
    return int(v) if isinstance(v, float) and v.is_integer() else v


def _layer_input(item) -> LayerInput:
    if isinstance(item, LayerInput):
        return item
    if isinstance(item, str):
        path, _, rest = item.partition("|layername=")
        return LayerInput(path=path, layer=rest.split("|", 1)[0] or None)
    return LayerInput(source=item, name=item.name())


def _recognised(inp: LayerInput):
    """(kind, class field, its codes lost the leading zero) as planning.recognise sees the layer."""
    from ..planning.recognition import recognise
    from ..planning.sources import describe_layer, describe_uri
    from ..planning.standard import NONE
    if inp.source is not None:
        info = describe_layer(inp.source)
    else:
        uri = inp.path + (f"|layername={inp.layer}" if inp.layer else "")
        info = describe_uri(uri, "ogr", inp.label)
    if info.error:
        return NONE, None, False
    item = recognise(info)
    return item.kind, item.code_field, item.code_padded


def divisions_at_points(x, y, crs_wkt: str, division_geoms, codes, divisions_crs_wkt: Optional[str] = None
                        ) -> DivisionHits:
    """The division of each point: geometry.locate is made for polygons (under its default area rule a
    point has no area and lands nowhere), so points get their own lookup with the same tie-break (on a
    shared edge or in an overlap, the lowest division index). division_geoms: the geometry backend's polygons
    in divisions_crs_wkt (None: the points' CRS), repaired with its clean; codes: one per division."""
    from ..engine.geometry import backend
    geometry = backend()
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    cleaned = geometry.clean(division_geoms)
    px, py = _to_crs(x, y, crs_wkt, divisions_crs_wkt or crs_wkt)
    keep = np.flatnonzero(~cleaned.empty)
    hit = geometry.first_polygon(px, py, cleaned.geoms[keep])
    index = np.where(hit >= 0, keep[np.maximum(hit, 0)], -1)
    code = np.full(len(x), None, dtype=object)
    code[index >= 0] = np.asarray(codes, dtype=object)[index[index >= 0]]
    return DivisionHits(index=index, code=code)


def bench_sampling(n_points: int, raster, zone_layers: Sequence = (), engine: str = "auto", seed: int = 0
                   ) -> Dict[str, float]:
    """Seconds to sample `n_points` random points spread over `raster` and to find them in `zone_layers`
    (a measurement for `make bench` and reports, not a test), with the process's peak memory in MB."""
    import time
    reader = _open(raster if isinstance(raster, RasterInput) else RasterInput(raster), engine)
    x0, dx, _, y0, _, dy = reader.geotransform
    rng = np.random.default_rng(seed)
    x, y = x0 + rng.random(n_points) * dx * reader.width, y0 + rng.random(n_points) * dy * reader.height
    crs_wkt = reader.crs_wkt
    reader.close()
    t0 = time.perf_counter()
    sample_rasters(x, y, crs_wkt, [raster], engine=engine)
    t1 = time.perf_counter()
    if zone_layers:
        zones_at_points(x, y, crs_wkt, zone_layers)
    t2 = time.perf_counter()
    out = {"points": n_points, "raster_s": round(t1 - t0, 3), "zones_s": round(t2 - t1, 3)}
    try:
        import resource
        out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    except ImportError:  # Windows
        pass
    return out
