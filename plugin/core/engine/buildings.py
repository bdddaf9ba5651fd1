"""The buildings as both batch jobs (coding and the planning overlay) see them: cleaned geometries in a CRS
where areas are in m², and their overlap with every planning layer."""
from typing import Dict, List

import numpy as np

from . import jobs, wkb
from ..china.crs import area_crs_wkt
from .geometry import backend as geometry_backend
from .layers import LayerInput, Table


class BuildingGeometry:
    """Buildings as geometries of the geometry backend (g) in a CRS where areas are in m², cleaned once.

    lazy: with a backend that makes geometries lazily (QGIS's) and no reprojection, most buildings are
    checked and measured on their WKB and become geometries only where a job needs them (near an edge)."""

    def __init__(self, table: Table, lazy: bool = False):
        self.g = g = geometry_backend()
        self.work_crs = area_crs_wkt(table.crs_wkt, table.wkb)
        # Bounds of each geometry as cleaned, in the layer's CRS, where they come cheaply (read off the WKB, or
        # shapely's all at once): kept for the output's spatial index.
        self.boxes = None
        if lazy and g.LAZY and self.work_crs == table.crs_wkt:
            cleaned, area, self.boxes = g.clean_lazily(table.wkb)
            self.source_geoms = self.geoms = cleaned.geoms
        else:
            cleaned = g.clean(g.from_wkb(table.wkb))
            self.source_geoms = cleaned.geoms
            self.geoms = g.reproject(cleaned.geoms, table.crs_wkt, self.work_crs)
            area = g.area(self.geoms)
            if not g.LAZY:
                self.boxes = g.bounds(cleaned.geoms)
        self.empty, self.repaired = cleaned.empty, cleaned.repaired
        self.usable = ~self.empty
        self.area = np.where(self.usable, area, 0.0)
        self._tree, self._wkb, self._source_crs = None, table.wkb, table.crs_wkt

    @property
    def tree(self):
        """One tree over the usable buildings, shared by the division lookup and every overlap."""
        if self._tree is None:
            self._tree = self.g.tree(self.geoms[self.usable], self._boxes())
        return self._tree

    def _boxes(self):
        """The usable buildings' bounding boxes read off their WKB at once (a QGIS-only backend would ask each
        geometry), the repaired ones from their repair; None: the backend takes them from the geometries."""
        if not self.g.TREE_TAKES_BOXES or self.work_crs != self._source_crs:
            return None
        if self.boxes is not None:
            return self.boxes[self.usable]
        boxes = wkb.bounds_many(self._wkb)
        fixed = np.flatnonzero(self.repaired & self.usable)
        boxes[fixed] = self.g.bounds(self.geoms[fixed])
        return boxes[self.usable]

    def release(self):
        """Drop the geometries once the geometry work is done (about 40 % of a large run's memory);
        only the repaired ones are still needed, for the output."""
        kept = np.full(len(self.usable), None, dtype=object)
        for i in np.flatnonzero(self.repaired).tolist():
            kept[i] = self.source_geoms[i]
        self.source_geoms = kept
        self.geoms = self._tree = self._wkb = None
        jobs.return_freed_memory()

    def polygons(self, table: Table) -> np.ndarray:
        cleaned = self.g.clean(self.g.from_wkb(table.wkb))
        return self.g.reproject(cleaned.geoms[~cleaned.empty], table.crs_wkt, self.work_crs)


def planning_names(planning: List[LayerInput]) -> List[str]:
    names, seen = [], set()
    for p in planning:
        base = "".join(ch if ch.isalnum() else "_" for ch in p.label).strip("_") or "layer"
        name, k = base, 2
        while name.lower() in seen:  # two layers called "city" must not share output fields
            name, k = f"{base}_{k}", k + 1
        seen.add(name.lower())
        names.append(name)
    return names


def planning_overlaps(geo: BuildingGeometry, planning: List[LayerInput], tables: List[Table], progress: jobs.Progress):
    """{field prefix: (area m², share %, hit)} for every planning layer."""
    out = {}
    points = np.flatnonzero(geo.usable & (geo.area == 0))  # point features: a hit is lying inside
    for table, name in zip(tables, planning_names(planning)):
        polys = geo.polygons(table)
        area = np.minimum(geo.g.overlap_area(geo.geoms, geo.usable, polys, geo.tree, geo.area), geo.area)
        pct = np.divide(area * 100.0, geo.area, out=np.zeros_like(area), where=geo.area > 0)
        hit = area > geo.g.SLIVER_M2
        if len(points):
            x0, y0, _, _ = geo.g.bounds(geo.geoms[points]).T
            hit[points] = geo.g.first_polygon(x0, y0, polys) >= 0
            pct[points] = np.where(hit[points], 100.0, 0.0)
        out[name] = (area, pct, hit)
        progress.step("overlap_" + name)
    return out


def overlap_columns(overlaps) -> Dict[str, np.ndarray]:
    cols = {}
    for name, (area, pct, hit) in overlaps.items():
        cols[f"{name}_area"] = np.round(area, 4)
        cols[f"{name}_pct"] = np.round(pct, 4)
        cols[f"{name}_hit"] = hit.astype(np.int32)
    return cols
