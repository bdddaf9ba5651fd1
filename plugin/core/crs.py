"""Coordinate systems for area work.

Areas are computed in a projected CRS in metres: the data's own CRS when it is projected (e.g. a
CGCS2000 3-degree Gauss-Krüger zone, EPSG:4513-4554), else the CGCS2000 3-degree Gauss-Krüger zone
without prefix whose central meridian is nearest the data (EPSG:4534-4554, CM 75°E-135°E).
"""
from typing import Optional

import numpy as np

CGCS2000_GK3_FIRST_EPSG, CGCS2000_GK3_FIRST_ZONE, CGCS2000_GK3_LAST_ZONE = 4534, 25, 45


def gk3_zone_epsg(longitude: float) -> int:
    """EPSG code of the CGCS2000 3° Gauss-Krüger zone (no zone prefix) for a longitude."""
    zone = int(round(longitude / 3.0))
    zone = min(max(zone, CGCS2000_GK3_FIRST_ZONE), CGCS2000_GK3_LAST_ZONE)
    return CGCS2000_GK3_FIRST_EPSG + zone - CGCS2000_GK3_FIRST_ZONE


def area_crs_wkt(crs_wkt: Optional[str], wkb: np.ndarray) -> Optional[str]:
    """The CRS to compute areas in for data in `crs_wkt` (None: no CRS, the coordinates are used as they are)."""
    if not crs_wkt:
        return None
    from pyproj import CRS
    crs = CRS.from_wkt(crs_wkt)
    if crs.is_projected:
        return crs_wkt
    import shapely
    geoms = shapely.from_wkb(wkb[np.not_equal(wkb, None)][:10000], on_invalid="ignore")
    xmin, _, xmax, _ = shapely.total_bounds(geoms)
    centre = (xmin + xmax) / 2 if np.isfinite(xmin) else 117.0
    return CRS.from_epsg(gk3_zone_epsg(centre)).to_wkt()
