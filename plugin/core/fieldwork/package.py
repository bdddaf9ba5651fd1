"""Offline field work: a field package is ONE GeoPackage to take where there is no network.

It holds the features of an area (buildings, projects ... with their codes), the divisions of the area,
the planning layers that reach into it, and the package's own registry tables (the embedded registry's,
registry/sqlite_schema.py) holding a snapshot of the area's codes and a block of sequence numbers per
profile + division + year reserved for the package in the shared registry (Registry.reserve_blocks).
Tables of the package besides the embedded registry's:
  package  key/value: id (uuid), source (the registry location), area, profiles, years, block size,
           created, actor, base_batch (batches after it were made offline)
  base     per snapshot code its name/attrs/status at check-out: what an offline edit started from
  package_layers    per layer of features taken along: the layer it came from (QGIS provider and source,
                    without a password; NULL when it cannot be written back), a CRS set on it by the user
  package_features  per feature taken along (layer, code): its geometry (WKB) and attributes at check-out

open_registry(<package>) gives a FieldPackageRegistry (registry/field_package.py): an embedded registry that
issues sequence numbers only from the package's blocks (a block used up gives the "exhausted" status and a
message, never a code outside it) and never connects anywhere, so assigncodes, codepoints and the code form
work offline as they are. The jobs: checkout.py writes a package, checkin.py brings it home, features.py
writes its features back to their layers.
"""
import pathlib
import sqlite3
from typing import Dict

from ..i18n import tr
from ..registry.field_package import is_field_package
from ..exceptions import CityCodeError

PACKAGE_SCHEMA = """
CREATE TABLE package(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE base(code TEXT PRIMARY KEY, version TEXT NOT NULL);
CREATE TABLE package_layers(layer TEXT PRIMARY KEY, provider TEXT, source TEXT, crs TEXT);
CREATE TABLE package_features(layer TEXT NOT NULL, code TEXT NOT NULL, geometry BLOB, attrs TEXT NOT NULL,
    PRIMARY KEY(layer, code));
"""
DIVISIONS_LAYER = "divisions"
STATUS_FIELD, RETIRED = "cc_status", "retired"  # the engine's status field; a retired code's status there
# Names a package layer cannot take: the tables of the package's registry.
RESERVED = {"meta", "codes", "sequences", "batches", "audit", "lineage", "blocks", "checkins", "conflicts",
            "package", "base", "package_layers", "package_features"}


class FieldPackageError(CityCodeError):
    """A check-out or check-in that could not run; nothing was changed."""


def package_info(path: str) -> Dict[str, str]:
    """The package table of a field package (id, source, area, ...)."""
    if not is_field_package(path):
        raise FieldPackageError(tr("{} is not a CityCode field package").format(path))
    con = sqlite3.connect(pathlib.Path(path).resolve().as_uri() + "?mode=ro", uri=True)
    try:
        return dict(con.execute("SELECT key, value FROM package"))
    finally:
        con.close()
