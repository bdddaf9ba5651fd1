"""The registry inside a field package (see fieldwork/): the embedded registry's tables in the package's
GeoPackage, issuing only from the blocks of sequence numbers reserved for the package, offline."""
import os
import pathlib
import sqlite3

import numpy as np

from ..i18n import tr
from .field_sync import Block
from .base import RegistryError
from .sqlite import SQLiteRegistry


def is_field_package(path: str) -> bool:
    """Whether `path` is a field package made by check_out (read without changing the file)."""
    if not path or not os.path.isfile(path):
        return False
    try:
        con = sqlite3.connect(pathlib.Path(path).resolve().as_uri() + "?mode=ro", uri=True)
        try:
            found = con.execute("SELECT count(*) FROM sqlite_master WHERE type='table' "
                                "AND name IN ('package', 'base', 'meta', 'blocks')").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return False
    return found == 4


class FieldPackageRegistry(SQLiteRegistry):
    """The registry inside a field package: issues only from the package's reserved blocks, offline."""
    JOURNAL_MODE = "DELETE"  # a GeoPackage QGIS reads: QGIS 3.22's pooled readers break on WAL files

    @classmethod
    def handles(cls, location: str) -> bool:
        return is_field_package(location)

    def __init__(self, path: str):
        super().__init__(path)
        try:
            self.info = dict(self.db.execute("SELECT key, value FROM package"))
            self.package_id = self.info["id"]
        except (sqlite3.Error, KeyError):
            self.db.close()
            raise RegistryError(tr("{} is not a complete field package").format(path)) from None
        self._blocks = {(b[1], b[2], b[3]): Block(*b) for b in self.db.execute(
            "SELECT package, profile, division, year, first_seq, last_seq FROM blocks WHERE package=?",
            (self.package_id,))}

    def _numbering(self, profile, keys):
        known = self._last_seqs(profile.name, keys)
        last, limit = [], []
        for key in keys:
            block = self._blocks.get((profile.name,) + tuple(key))
            # No block: nothing to issue (limit 0), never a number the shared registry may give out.
            last.append(max(known.get(key, 0), block.first - 1) if block else 0)
            limit.append(block.last if block else 0)
        return np.array(last, dtype=np.int64), np.array(limit, dtype=np.int64)

    def exhausted_message(self, profile, division, year):
        block = self._blocks.get((profile.name, str(division), int(year)))
        if block is None:
            return tr("This field package has no reserved sequence numbers for division {} ({}, year {}); "
                      "check out a package for that division and year. No code was issued for it.").format(
                division, profile.name, year)
        return tr("The block of sequence numbers {}-{} reserved in this field package for division {} ({}, year "
                  "{}) is used up; check the package in and check out a new block (or choose a larger block "
                  "size). No code outside the block was issued.").format(block.first, block.last, division,
                                                                          profile.name, year)

    def reserve_blocks(self, profile, keys, size, package_id, actor):
        raise RegistryError(tr("A field package cannot reserve sequence numbers: check it in, then check out "
                               "a new package from the shared registry"))
