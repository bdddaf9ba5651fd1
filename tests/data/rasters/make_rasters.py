"""Makes the raster fixtures of tests/test_sampling.py (run again only to change them; the .tif files are committed).

- dem_nodata.tif: 60 x 40 Float32 in EPSG:4490 (CGCS2000 lon/lat), origin 117.0E 31.8N, cells 0.001°.
  Cell (row, col) holds row * 100 + col; nodata -9999 in rows 10-14, cols 20-29 (a hole); NaN at (30, 5).
- multiband_scaled.tif: 100 x 100 UInt16, 3 bands, in EPSG:4527 (CGCS2000 3° Gauss-Krüger zone 39 with
  prefix), origin x 39500200 y 3519400, cells 40 m, over the same ground as the DEM. Band b holds
  b * 10000 + row * 100 + col raw; band 1 declares scale 0.5 offset 10, band 3 scale 0.01 offset -100,
  band 2 none. No nodata value; a per-dataset mask hides rows 0-4, cols 0-4.

Usage: .venv/bin/python tests/data/rasters/make_rasters.py
"""
import os

import numpy as np
import rasterio
from rasterio.transform import from_origin

HERE = os.path.dirname(os.path.abspath(__file__))

DEM = dict(name="dem_nodata.tif", width=60, height=40, crs="EPSG:4490", x0=117.0, y0=31.8, res=0.001,
           nodata=-9999.0, hole=(slice(10, 15), slice(20, 30)), nan_cell=(30, 5))
MULTI = dict(name="multiband_scaled.tif", width=100, height=100, crs="EPSG:4527", x0=39500200.0, y0=3519400.0,
             res=40.0, scales=(0.5, 1.0, 0.01), offsets=(10.0, 0.0, -100.0), masked=(slice(0, 5), slice(0, 5)))


def formula(rows, cols, band=0):
    """The raw value of a cell (band 0: the DEM)."""
    return band * 10000 + np.asarray(rows) * 100 + np.asarray(cols)


def make_dem(path):
    d = DEM
    rows, cols = np.mgrid[0:d["height"], 0:d["width"]]
    data = formula(rows, cols).astype("float32")
    data[d["hole"]] = d["nodata"]
    data[d["nan_cell"]] = np.nan
    with rasterio.open(path, "w", driver="GTiff", width=d["width"], height=d["height"], count=1, dtype="float32",
                       crs=d["crs"], transform=from_origin(d["x0"], d["y0"], d["res"], d["res"]),
                       nodata=d["nodata"]) as ds:
        ds.write(data, 1)


def make_multiband(path):
    d = MULTI
    rows, cols = np.mgrid[0:d["height"], 0:d["width"]]
    with rasterio.Env(GDAL_TIFF_INTERNAL_MASK=True):
        with rasterio.open(path, "w", driver="GTiff", width=d["width"], height=d["height"], count=3,
                           dtype="uint16", crs=d["crs"], transform=from_origin(d["x0"], d["y0"], d["res"], d["res"])
                           ) as ds:
            for b in (1, 2, 3):
                ds.write(formula(rows, cols, b).astype("uint16"), b)
            ds.scales, ds.offsets = d["scales"], d["offsets"]
            mask = np.full((d["height"], d["width"]), 255, dtype="uint8")
            mask[d["masked"]] = 0
            ds.write_mask(mask)


if __name__ == "__main__":
    make_dem(os.path.join(HERE, DEM["name"]))
    make_multiband(os.path.join(HERE, MULTI["name"]))
    print("written to", HERE)
