"""Optional speed-ups: shapely 2 (vectorised GEOS), pyogrio with pyarrow (Arrow I/O), rasterio (raster sampling).

This module is the one boundary between the plugin and them. QGIS does not ship them everywhere (Debian 12's
QGIS 3.22 has none), so every feature also works without them: geometry through QGIS's own geometry classes,
reading through GDAL's Arrow stream in osgeo.ogr, writing through OGR. Nothing else in the plugin imports
shapely, pyogrio or pyarrow unless the flag here says it may.

CITYCODE_SPEEDUPS=off hides all of them (the tests run the same cases both ways; users can compare);
CITYCODE_SPEEDUPS=shapely keeps only the ones named (as in Debian 13's QGIS 3.40, which ships shapely only).
"""
import importlib
import os

_CHOSEN = os.environ.get("CITYCODE_SPEEDUPS", "").strip().lower()
ALLOWED = None if _CHOSEN in ("", "on", "all") else \
    set() if _CHOSEN in ("0", "off", "no", "none", "false") else {m.strip() for m in _CHOSEN.split(",")}


def _import(module: str):
    """import_module, keeping GDAL's PROJ search paths as they were. Inside QGIS the GDAL calls of pyogrio's
    (and rasterio's) wheel go to QGIS's own GDAL, so their import points QGIS's GDAL at the wheel's proj.db,
    even when the import then fails; a proj.db older than the PROJ of QGIS (Debian sid's PROJ 9.9) then breaks
    every CRS lookup in the process (seen in the QGIS matrix, scripts/qgis_matrix.sh)."""
    from osgeo import osr
    paths = osr.GetPROJSearchPaths()
    try:
        return importlib.import_module(module)
    finally:
        if osr.GetPROJSearchPaths() != paths:
            osr.SetPROJSearchPaths(paths)


def _version(module: str):
    if ALLOWED is not None and module not in ALLOWED:
        return None
    try:
        return _import(module).__version__
    except Exception:  # missing, or broken against this numpy: either way not usable
        return None


SHAPELY_VERSION = _version("shapely")
SHAPELY_OK = bool(SHAPELY_VERSION) and int(SHAPELY_VERSION.split(".")[0]) >= 2
ARROW_OK = SHAPELY_OK and bool(_version("pyogrio")) and bool(_version("pyarrow"))
RASTERIO_OK = bool(_version("rasterio"))  # raster values at many points; else QGIS's raster providers


def _pyogrio_gdal():
    """The GDAL pyogrio really calls: inside QGIS it is QGIS's own (already loaded), not pyogrio's bundled one."""
    try:
        import pyogrio
        return tuple(pyogrio.__gdal_version__)
    except Exception:
        return (0, 0, 0)


# Writing through Arrow needs GDAL >= 3.8; older GDALs write through pyogrio's WKB-array writer.
ARROW_WRITE_OK = ARROW_OK and _pyogrio_gdal() >= (3, 8)


def missing_message() -> str:
    """One sentence for the log when a speed-up is missing, '' when all are there."""
    from .i18n import tr
    if ARROW_OK:
        return ""
    missing = [name for name, ok in (("shapely>=2", SHAPELY_OK), ("pyogrio", _version("pyogrio")),
                                     ("pyarrow", _version("pyarrow"))) if not ok]
    return tr("Optional speed-ups not found ({}): CityCode uses QGIS's own reading and geometry, "
              "which is slower on large layers. Install them with pip to speed up batch jobs.") \
        .format(", ".join(missing))


def version_of(module: str):
    """The version of one optional module as CityCode sees it: None when missing, broken or left out by
    CITYCODE_SPEEDUPS (core/speedup_install.py offers to install what is missing)."""
    return _version(module)
