"""The geometry backend: which of its two implementations to use.

`backend()` is the one chooser: `geometry_shapely` (shapely 2, vectorised GEOS) when that speed-up is there,
else `geometry_qgis` (QGIS's own QgsGeometry / prepared QgsGeometryEngine, boxes in numpy). Both take and give
numpy object arrays of their own geometries (None = missing) and give the same divisions, statuses and
codes, areas equal to floating-point noise; tests/test_geometry_backends.py holds them to that. What they
share is in geometry_types (constants, result types) and location (the division lookup and overlap areas).
This module imports neither shapely nor QGIS.
"""


def backend():
    """The geometry module to use: shapely's when shapely 2 may be used, else QGIS's."""
    from ..speedups import SHAPELY_OK
    if SHAPELY_OK:
        from . import geometry_shapely as module
    else:
        from . import geometry_qgis as module
    return module


def point_mapper(src_wkt: str, dst_wkt: str):
    """A function (x, y) -> (x, y) from one CRS to another (None: the same CRS)."""
    if not src_wkt or not dst_wkt or src_wkt == dst_wkt:
        return None
    from pyproj import CRS, Transformer
    t = Transformer.from_crs(CRS.from_wkt(src_wkt), CRS.from_wkt(dst_wkt), always_xy=True)
    return t.transform
