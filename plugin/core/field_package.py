"""Offline field work: a field package is ONE GeoPackage to take where there is no network.

check_out() writes it: the features of an area (buildings, projects ... with their codes), the divisions
of the area, the planning layers that reach into it, and the package's own registry tables (the schema
of registry_sqlite.py) holding a snapshot of the area's codes and a block of sequence numbers per
profile + division + year reserved for the package in the shared registry (Registry.reserve_blocks).
Tables of the package besides the embedded registry's:
  package  key/value: id (uuid), source (the registry location), area, profiles, years, block size,
           created, actor, base_batch (batches after it were made offline)
  base     per snapshot code its name/attrs/status at check-out: what an offline edit started from

open_registry(<package>) gives a FieldPackageRegistry: an embedded registry that issues sequence numbers
only from the package's blocks (a block used up gives the "exhausted" status and a message, never a code
outside it) and never connects anywhere, so assigncodes, codepoints and the code form work offline as
they are. check_in() merges the codes issued offline, edits, retirements, splits and merges back into the
shared registry in one transaction (Registry.apply_field_changes): a second check-in changes nothing; a
code changed both in the registry and in the package becomes a conflict holding both versions until
Registry.resolve_conflict settles it.
"""
import datetime
import hashlib
import json
import os
import pathlib
import sqlite3
import uuid
from dataclasses import dataclass, field, replace
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from . import layers
from .i18n import tr
from .layers import InputError, LayerInput, Table
from .profiles import ProfileError, load_profile
from .registry import Block, CheckInResult, FieldChange, RegistryError, default_actor, open_registry
from .registry_sqlite import SCHEMA, SCHEMA_VERSION, SQLiteRegistry, _now

PACKAGE_SCHEMA = """
CREATE TABLE package(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE base(code TEXT PRIMARY KEY, version TEXT NOT NULL);
"""
DIVISIONS_LAYER = "divisions"
CODE_FIELD = "citycode"  # the code field of coded layers (engine output, code form)


class FieldPackageError(Exception):
    """A check-out or check-in that could not run; nothing was changed."""


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

    def issue(self, profile, request, actor, note=""):
        result = super().issue(profile, request, actor, note)
        if result.messages:  # the engine shows counts only: the log tells what to do about a used-up block
            from qgis.core import Qgis, QgsMessageLog
            for message in result.messages:
                QgsMessageLog.logMessage(message, "CityCode", Qgis.MessageLevel.Warning)
        return result

    def reserve_blocks(self, profile, keys, size, package_id, actor):
        raise RegistryError(tr("A field package cannot reserve sequence numbers: check it in, then check out "
                               "a new package from the shared registry"))


# -- check-out ------------------------------------------------------------------------------------------
@dataclass
class CheckOutJob:
    registry: str                      # the shared registry's location
    output: str                        # the package (.gpkg)
    divisions: LayerInput
    division_field: str = "code"
    division_codes: Sequence[str] = ()  # the area: these divisions ...
    extent: Optional[Sequence[float]] = None  # ... or what lies in xmin, ymin, xmax, ymax
    extent_crs_wkt: Optional[str] = None      # of the extent (None: the divisions' CRS)
    layers: Sequence[LayerInput] = ()  # features coded in the field (buildings, projects), with their codes
    planning: Sequence[LayerInput] = ()
    profiles: Sequence[str] = ("building",)
    years: Sequence[int] = ()          # years to reserve blocks for (empty: this year)
    block_size: int = 500
    actor: Optional[str] = None
    engine: str = "auto"


@dataclass
class CheckOutResult:
    output: str
    package_id: str
    divisions: List[str]
    blocks: List[Block]
    codes: int                         # codes in the snapshot
    features: Dict[str, int] = field(default_factory=dict)  # layer name in the package -> features


def check_out(job: CheckOutJob, feedback=None) -> CheckOutResult:
    """Write a field package for the area and reserve its blocks in the shared registry."""
    from .engine import EngineError, _Progress, _division_codes, _engine_for, _read_all, _replace_output
    import shapely
    from . import geometry

    if os.path.isfile(job.registry) and os.path.abspath(job.registry) == os.path.abspath(job.output):
        raise FieldPackageError(tr("The package cannot be written over the registry it is checked out from"))
    if not job.division_codes and job.extent is None:
        raise FieldPackageError(tr("Choose the area of the package: division codes or an extent"))
    try:
        profiles = [load_profile(p) for p in (job.profiles or ())]
    except ProfileError as e:
        raise FieldPackageError(str(e)) from None
    if not profiles:
        raise FieldPackageError(tr("Choose at least one code profile to reserve sequence numbers for"))
    years = sorted({int(y) for y in job.years}) or [datetime.date.today().year]
    inputs = [job.divisions] + list(job.layers) + list(job.planning)
    progress = _Progress(feedback, 4)
    try:
        engine = _engine_for(job.engine, inputs)
        divisions, *tables = _read_all(inputs, engine, progress)
        codes = _division_codes(divisions, job.division_field, profiles[0].segment("division").length)
    except EngineError as e:
        raise FieldPackageError(str(e)) from None
    geoms = shapely.make_valid(geometry.from_wkb(divisions.wkb))
    if job.division_codes:
        wanted = {str(c).strip() for c in job.division_codes}
        unknown = sorted(wanted - set(codes.tolist()))
        if unknown:
            raise FieldPackageError(tr("The division layer has no division {}").format(", ".join(unknown)))
        chosen = np.isin(codes, sorted(wanted))
        area = shapely.union_all(geoms[chosen])
    else:
        area = shapely.box(*[float(v) for v in job.extent])
        if job.extent_crs_wkt and divisions.crs_wkt:
            area = geometry.reproject(np.array([area], dtype=object), job.extent_crs_wkt, divisions.crs_wkt)[0]
        chosen = (codes != "") & shapely.intersects(geoms, area)
    area_codes = sorted(set(codes[chosen].tolist()))
    if not area_codes:
        raise FieldPackageError(tr("No division with a code lies in the chosen area"))
    progress.step("read", tr("Area: {} divisions ({})").format(len(area_codes), ", ".join(area_codes)))

    package_id = str(uuid.uuid4())
    actor = job.actor or default_actor()
    selections = [(DIVISIONS_LAYER, divisions, chosen)]
    used = {DIVISIONS_LAYER}
    for inp, table in zip(list(job.layers) + list(job.planning), tables):
        local = area if not (table.crs_wkt and divisions.crs_wkt) else \
            geometry.reproject(np.array([area], dtype=object), divisions.crs_wkt, table.crs_wkt)[0]
        # A coded layer is named <layer>_coded by the engine; back under its own name, coding it again in
        # the field keeps its identities (the layer name is their namespace).
        label = inp.label[:-len("_coded")] if inp in job.layers and inp.label.endswith("_coded") else inp.label
        name = _unique(label, used)
        selections.append((name, table, shapely.intersects(geometry.from_wkb(table.wkb), local)))

    # Codes of the features taken along, also of those with their home outside the area (straddlers):
    # coded again offline they must be found, not coded anew.
    taken_codes = sorted({str(c).strip().upper() for _, table, mask in selections[1:len(job.layers) + 1]
                          if CODE_FIELD in table.columns for c in np.asarray(table.column(CODE_FIELD))[mask]
                          if c not in (None, "")})

    def write(path):
        for name, table, mask in selections:
            layers.write_layer(path, name, _subset(table, mask), {}, None, engine)
        progress.step("layers")
        with open_registry(job.registry) as reg:
            if isinstance(reg, FieldPackageRegistry):
                raise FieldPackageError(tr("Check out from the shared registry, not from another field package"))
            with reg.pending():  # every block and the snapshot, or nothing
                blocks = [b for p in profiles for b in reg.reserve_blocks(
                    p, [(d, y) for d in area_codes for y in years], job.block_size, package_id, actor)]
                snapshot = reg.snapshot(area_codes, taken_codes)
        progress.step("reserve", tr("Reserved {} blocks of {} sequence numbers").format(len(blocks), job.block_size))
        info = {"id": package_id, "source": job.registry, "created": _now(), "actor": actor,
                "area": json.dumps({"divisions": area_codes, "extent": list(job.extent) if job.extent else None},
                                   ensure_ascii=False),
                "profiles": json.dumps([p.name for p in profiles]), "years": json.dumps(years),
                "block_size": str(job.block_size)}
        _write_registry(path, info, snapshot, blocks)
        return blocks, snapshot

    try:
        blocks, snapshot = _replace_output(write, job.output)
    except (RegistryError, InputError, ValueError, OSError, sqlite3.Error) as e:
        raise FieldPackageError(str(e)) from None
    progress.step("write", tr("Field package {} written to {}").format(package_id, job.output), cancelable=False)
    return CheckOutResult(output=job.output, package_id=package_id, divisions=area_codes, blocks=blocks,
                          codes=len(snapshot["codes"]),
                          features={name: int(mask.sum()) for name, _, mask in selections})


def _unique(name: str, used: set) -> str:
    base, n = name or "layer", 1
    while name.lower() in used:
        n += 1
        name = "{}_{}".format(base, n)
    used.add(name.lower())
    return name


def _subset(table: Table, mask: np.ndarray) -> Table:
    """The rows of a Table where mask is true (Arrow columns filtered without leaving Arrow)."""
    if table.arrow is not None:
        import pyarrow as pa
        keep = pa.array(mask)
        arrow = table.arrow.filter(keep)
        return replace(table, arrow=arrow, columns={n: arrow.column(n) for n in arrow.column_names},
                       wkb=table.wkb[mask], geometry_arrow=None if table.geometry_arrow is None
                       else table.geometry_arrow.filter(keep))
    rows = np.flatnonzero(mask)
    return replace(table, wkb=table.wkb[mask], columns={n: [v[i] for i in rows] for n, v in table.columns.items()})


def _write_registry(path: str, info: Dict[str, str], snapshot: Dict[str, list], blocks: List[Block]):
    """The package's registry tables: the embedded registry's schema, the snapshot, the blocks, the base."""
    con = sqlite3.connect(path, isolation_level=None)
    try:
        con.executescript(SCHEMA + PACKAGE_SCHEMA)  # (a failed write leaves only the temporary file)
        con.execute("BEGIN")
        con.execute("INSERT INTO meta VALUES('schema_version', ?)", (str(SCHEMA_VERSION),))
        con.executemany("INSERT INTO batches VALUES(?,?,?,?,?,?)", snapshot["batches"])
        con.executemany("INSERT INTO codes VALUES(?,?,?,?,?,?,?,?,?,?,?)", snapshot["codes"])
        con.executemany("INSERT INTO audit VALUES(?,?,?,?,?)", snapshot["audit"])
        con.executemany("INSERT OR IGNORE INTO lineage VALUES(?,?,?,?)", snapshot["lineage"])
        batch = con.execute("INSERT INTO batches(at, actor, action, note, count) VALUES(?,?,?,?,?)",
                            (info["created"], info["actor"], "checkout", info["source"], len(blocks))).lastrowid
        con.executemany("INSERT INTO blocks(package, profile, division, year, first_seq, last_seq, batch) "
                        "VALUES(?,?,?,?,?,?,?)",
                        [(b.package, b.profile, b.division, b.year, b.first, b.last, batch) for b in blocks])
        con.executemany("INSERT INTO sequences VALUES(?,?,?,?)",
                        [(b.profile, b.division, b.year, b.first - 1) for b in blocks])
        con.executemany("INSERT INTO base VALUES(?,?)", [
            (r[0], _dumps({"name": r[8], "attrs": json.loads(r[9]) if r[9] else {}, "status": r[7]}))
            for r in snapshot["codes"]])
        con.executemany("INSERT INTO package VALUES(?,?)", list(dict(info, base_batch=str(batch)).items()))
        # Listed as a table: QGIS shows the blocks, and GDAL then hides the other registry tables.
        con.execute("INSERT INTO gpkg_contents(table_name, data_type, identifier, description, last_change) "
                    "VALUES('blocks', 'attributes', 'blocks', ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
                    (tr("Sequence numbers reserved for this field package"),))
        con.execute("COMMIT")
    finally:
        con.close()


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


# -- check-in -------------------------------------------------------------------------------------------
def package_info(path: str) -> Dict[str, str]:
    """The package table of a field package (id, source, area, ...)."""
    if not is_field_package(path):
        raise FieldPackageError(tr("{} is not a CityCode field package").format(path))
    con = sqlite3.connect(pathlib.Path(path).resolve().as_uri() + "?mode=ro", uri=True)
    try:
        return dict(con.execute("SELECT key, value FROM package"))
    finally:
        con.close()


def read_changes(path: str) -> Tuple[str, List[FieldChange]]:
    """(package id, the changes made offline): codes issued in the package, and snapshot codes whose
    name/attrs/status differ from the base or that were changed offline. Each change's id is the package,
    the code and a hash of its version: the same version checked in twice is one change."""
    info = package_info(path)
    package_id, base_batch = info["id"], int(info["base_batch"])
    con = sqlite3.connect(pathlib.Path(path).resolve().as_uri() + "?mode=ro", uri=True)
    try:
        base = {c: json.loads(v) for c, v in con.execute("SELECT code, version FROM base")}
        batches = {r[0]: r[1:] for r in con.execute("SELECT id, at, actor, action, note FROM batches")}
        offline = {}
        for code, batch, action, detail in con.execute(
                "SELECT code, batch, action, detail FROM audit WHERE batch > ? ORDER BY id", (base_batch,)):
            at, who = batches[batch][:2]
            offline.setdefault(code, []).append({"at": at, "actor": who, "action": action,
                                                 "detail": json.loads(detail) if detail else {}})
        parents = {}
        for parent, child, op in con.execute("SELECT parent, child, op FROM lineage WHERE batch > ?", (base_batch,)):
            parents.setdefault(child, []).append((parent, op))
        changes = []
        for row in con.execute("SELECT code, profile, division, year, seq, unit, identity, status, name, attrs, "
                               "batch FROM codes ORDER BY code"):
            code = row[0]
            version = dict(zip(("code", "profile", "division", "year", "seq", "unit", "identity", "status", "name"),
                               row[:9]), attrs=json.loads(row[9]) if row[9] else {})
            mine = {"name": version["name"], "attrs": version["attrs"], "status": version["status"]}
            history = offline.get(code, [])
            if code in base and mine == base[code] and not history:
                continue
            change_id = "{}/{}/{}".format(package_id, code, hashlib.sha1(_dumps(mine).encode()).hexdigest()[:16])
            if code in base:
                last = history[-1] if history else {}
                retire = next((h for h in reversed(history) if h["action"] == "retire"), {})
                origin = {"at": last.get("at"), "actor": last.get("actor"),
                          "reason": retire.get("detail", {}).get("reason")}
                changes.append(FieldChange(change_id, code, "edit", version, base=base[code], origin=origin))
            else:
                at, who, action, note = batches.get(row[10], (None, None, "issue", ""))
                changes.append(FieldChange(change_id, code, "new", version, origin={
                    "batch_at": at, "batch_actor": who, "batch_action": action, "batch_note": note},
                    parents=parents.get(code, []), history=history))
    finally:
        con.close()
    return package_id, changes


def check_in(package_path: str, registry_location: str, actor: Optional[str] = None) -> CheckInResult:
    """Merge a field package back into the shared registry it was checked out from (one transaction)."""
    package_id, changes = read_changes(package_path)
    with open_registry(registry_location) as reg:
        if isinstance(reg, FieldPackageRegistry):
            raise FieldPackageError(tr("Check a package in to the shared registry, not into another field package"))
        result = reg.apply_field_changes(package_id, changes, actor or default_actor())
    result.messages.append(tr("Field package {}: {} new codes, {} updated, {} retired, {} conflicts, {} already "
                              "checked in").format(package_id, result.new, result.updated, result.retired,
                                                   result.conflicts, result.already))
    if result.conflicts:
        result.messages.append(tr("{} changes were not applied because the registry changed the same codes since "
                                  "the check-out; both versions are kept until you resolve them").format(
            result.conflicts))
    return result
