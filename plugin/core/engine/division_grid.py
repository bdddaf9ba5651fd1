"""Which division holds a point, read off a raster of the divisions that GDAL burns once.

Asking every building's point of a million against prepared division polygons one by one is the slowest
part of locating without shapely (a Python call per point). Most points lie far from any boundary: on a
grid of cells, a cell that no division boundary passes through, nor through a neighbouring cell, lies
wholly inside one division (or outside all), so its burned value is the exact answer for every point in
it. Points in the cells along the boundaries (a few percent) are answered by the caller's exact test.
The answer is the lowest division index holding the point, as the exact test gives it (overlapping
divisions are burned in descending order, so the lowest is written last).
"""
import numpy as np
from osgeo import gdal, ogr

from .layers import GdalErrors

MIN_SIDE, MAX_SIDE = 256, 2048  # cells along the longer side: 16 MB of Int32 at most
ASK = -2         # lookup(): near a boundary, ask the geometries


class DivisionGrid:
    def __init__(self, division_wkbs, boxes: np.ndarray, points: int):
        """division_wkbs: WKB of each division (None for none), in the CRS of the points asked;
        boxes: their bounding boxes (n, 4: xmin, ymin, xmax, ymax); points: about how many will be asked
        (the grid grows with them: about one cell per point)."""
        boxes = np.asarray(boxes, dtype=float).reshape(-1, 4)
        ok = np.flatnonzero(np.array([w is not None for w in division_wkbs], dtype=bool)
                            & np.isfinite(boxes).all(axis=1))
        self.owner = None
        if not len(ok):
            return
        x0, y0 = boxes[ok, 0].min(), boxes[ok, 1].min()
        x1, y1 = boxes[ok, 2].max(), boxes[ok, 3].max()
        side = int(np.clip(2 * np.sqrt(points), MIN_SIDE, MAX_SIDE))
        self.cell = max(x1 - x0, y1 - y0) / (side - 4)
        if not self.cell > 0:
            return
        # one spare cell around the extent: a point beyond it lies in no division
        self.ox, self.oy = x0 - 2 * self.cell, y1 + 2 * self.cell
        cols = int(np.ceil((x1 - x0) / self.cell)) + 4
        rows = int(np.ceil((y1 - y0) / self.cell)) + 4
        transform = (self.ox, self.cell, 0.0, self.oy, 0.0, -self.cell)
        with GdalErrors():  # exceptions as the caller had them (osgeo is shared with QGIS and other plugins)
            self._burn(division_wkbs, ok, cols, rows, transform)

    def _burn(self, division_wkbs, ok, cols, rows, transform):
        # GDAL >= 3.11 has vectors in MEM ("Memory" is its old name)
        vectors = (ogr.GetDriverByName("MEM") or ogr.GetDriverByName("Memory")).CreateDataSource("")
        areas = vectors.CreateLayer("divisions", geom_type=ogr.wkbUnknown)
        areas.CreateField(ogr.FieldDefn("idx", ogr.OFTInteger))
        lines = vectors.CreateLayer("boundaries", geom_type=ogr.wkbUnknown)
        for i in ok[::-1].tolist():
            geom = ogr.CreateGeometryFromWkb(bytes(division_wkbs[i]))
            boundary = geom.GetBoundary() if geom is not None else None
            if boundary is None:
                return  # no grid: every point is asked of the geometries
            f = ogr.Feature(areas.GetLayerDefn())
            f.SetField("idx", i)
            f.SetGeometry(geom)
            areas.CreateFeature(f)
            line = ogr.Feature(lines.GetLayerDefn())
            line.SetGeometry(boundary)
            lines.CreateFeature(line)

        mem = gdal.GetDriverByName("MEM")
        owner = mem.Create("", cols, rows, 1, gdal.GDT_Int32)
        owner.SetGeoTransform(transform)
        owner.GetRasterBand(1).Fill(-1)
        gdal.RasterizeLayer(owner, [1], areas, options=["ATTRIBUTE=idx"])
        edge = mem.Create("", cols, rows, 1, gdal.GDT_Byte)
        edge.SetGeoTransform(transform)
        gdal.RasterizeLayer(edge, [1], lines, burn_values=[1], options=["ALL_TOUCHED=TRUE"])
        near = edge.GetRasterBand(1).ReadAsArray().astype(bool)
        # a cell next to a boundary cell may still be touched by it (at a corner): ask there too
        grown = near.copy()
        grown[1:, :] |= near[:-1, :]
        grown[:-1, :] |= near[1:, :]
        near = grown.copy()
        near[:, 1:] |= grown[:, :-1]
        near[:, :-1] |= grown[:, 1:]
        self.owner = owner.GetRasterBand(1).ReadAsArray()
        self.owner[near] = ASK
        self.rows, self.cols = rows, cols

    def lookup(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Division index at each point, -1 for none, ASK where the grid cannot tell."""
        x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        out = np.full(len(x), ASK, dtype=np.int64)
        if self.owner is None:
            return out
        with np.errstate(invalid="ignore"):
            col = np.floor((x - self.ox) / self.cell)
            row = np.floor((self.oy - y) / self.cell)
        finite = np.isfinite(col) & np.isfinite(row)
        inside = finite & (col >= 0) & (col < self.cols) & (row >= 0) & (row < self.rows)
        out[finite & ~inside] = -1
        k = np.flatnonzero(inside)
        out[k] = self.owner[row[k].astype(np.int64), col[k].astype(np.int64)]
        return out
