"""What the two geometry backends (geometry_shapely, geometry_qgis) share: their constants and result types.

Each backend hands these names on as its own, so callers (and tests) read and set them on the backend module.
"""
from dataclasses import dataclass

import numpy as np

# A share below this (or an intersection below SLIVER_M2) is a digitising sliver along a shared edge,
# not a real straddle.
SHARE_EPS = 1e-4
SLIVER_M2 = 0.01
# Division boundaries are cut into pieces of this many vertices so each piece has a tight bounding box;
# division areas into pieces of at most PIECE_VERTICES vertices for the same reason.
BOUNDARY_PIECE = 16
PIECE_VERTICES = 64
SUBDIVIDE_FROM = 300_000  # buildings (at 100k cutting costs more than it saves; at 1M it saves a quarter)
FINGERPRINT_GRID = 0.01   # identities: geometries compared on a 1 cm grid


@dataclass
class Cleaned:
    geoms: np.ndarray     # geometries (None where missing)
    empty: np.ndarray     # no geometry, or an empty one
    repaired: np.ndarray  # was invalid, repaired by make_valid


@dataclass
class Location:
    home: np.ndarray            # index of the division (-1: none)
    share: np.ndarray           # share of the building's area in that division
    straddle: np.ndarray        # area in two or more divisions
    partly_outside: np.ndarray  # some area outside every division
    centroid_outside: np.ndarray  # centroid rule could not be applied (centroid in no division)
    shares: dict                # building index -> [(division index, share), ...] for straddlers


def first_hit(point_idx: np.ndarray, poly_idx: np.ndarray, n: int) -> np.ndarray:
    """For each point, the lowest polygon index it hit (-1 for none): the tie-break on shared edges."""
    out = np.full(n, -1, dtype=np.int64)
    order = np.lexsort((-poly_idx, point_idx))  # the last write per point wins: lowest polygon index
    out[point_idx[order]] = poly_idx[order]
    return out
