"""Offline field work: a field package is ONE GeoPackage to take where there is no network.

check_out() writes it: the features of an area (buildings, projects ... with their codes), the divisions
of the area, the planning layers that reach into it, and the package's own registry tables (the schema
of registry_sqlite.py) holding a snapshot of the area's codes and a block of sequence numbers per
profile + division + year reserved for the package in the shared registry (Registry.reserve_blocks).
Tables of the package besides the embedded registry's:
  package  key/value: id (uuid), source (the registry location), area, profiles, years, block size,
           created, actor, base_batch (batches after it were made offline)
  base     per snapshot code its name/attrs/status at check-out: what an offline edit started from
  package_layers    per layer of features taken along: the layer it came from (QGIS provider and source,
                    without a password; NULL when it cannot be written back), a CRS set on it by the user
  package_features  per feature taken along (layer, code): its geometry (WKB) and attributes at check-out

open_registry(<package>) gives a FieldPackageRegistry: an embedded registry that issues sequence numbers
only from the package's blocks (a block used up gives the "exhausted" status and a message, never a code
outside it) and never connects anywhere, so assigncodes, codepoints and the code form work offline as
they are. check_in() merges the codes issued offline, edits, retirements, splits and merges back into the
shared registry in one transaction (Registry.apply_field_changes): a second check-in changes nothing; a
code changed both in the registry and in the package becomes a conflict holding both versions until
Registry.resolve_conflict settles it.

check_in() also brings the features home: after the registry merge has committed, the features of each
package layer are written to its target layer (the layer recorded at check-out, or one given) in one QGIS
edit session, matched by their code:
  * a feature with a code issued offline is added (fields the target has, CRS transformed);
  * a feature changed offline (geometry or attributes, compared with package_features) is updated, when the
    target still holds it as checked out (or as this package last wrote it); when the target changed it too,
    it is a conflict of kind "feature" holding both versions, and the target is not touched until
    resolve_conflict(..., "package") writes the package's version (or "registry" keeps the layer's);
  * a feature whose code was retired offline stays in the layer (a retired code keeps its place on the map
    and in history) and, when the layer has a cc_status field, gets the status "retired";
  * features deleted offline are left in the layer (removing a building goes through retiring its code).
A second check-in writes nothing: the feature changes applied are booked in the registry (checkins,
target column) with a stable id. When the layer cannot be saved, its edits are rolled back and the message
says that the registry part is saved; running the check-in again writes the features still missing.
"""
import datetime
import hashlib
import json
import os
import pathlib
import sqlite3
import uuid
from dataclasses import dataclass, field, replace
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

import numpy as np

from ..registry import datasets
from ..engine import layer_writer
from ..i18n import tr
from ..engine.layers import InputError, LayerInput, Table
from ..codes.profiles import ProfileError, load_profile
from ..registry.base import Block, CheckInResult, Conflict, FieldChange, RegistryError, default_actor, open_registry
from ..registry.sqlite import SCHEMA, SCHEMA_VERSION, SQLiteRegistry, _now
from ..definitions import CODE_FIELD
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
    # (QGIS provider, source) per entry of `layers`, where check-in writes the features back; None or missing:
    # the file of the LayerInput, or the QgsVectorLayer it holds
    sources: Sequence[Optional[Tuple[str, str]]] = ()


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
    from ..engine.jobs import (EngineError, Progress, division_codes, engine_for, on_registry_wait, read_all,
                               replace_output)
    from ..engine.geometry import backend
    geometry = backend()

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
    progress = Progress(feedback, 4)
    try:
        engine = engine_for(job.engine, inputs)
        divisions, *tables = read_all(inputs, engine, progress)
        codes = division_codes(divisions, job.division_field, job.profiles[0]).codes  # at the profile's level
    except EngineError as e:
        raise FieldPackageError(str(e)) from None
    geoms = geometry.clean(geometry.from_wkb(divisions.wkb)).geoms
    if job.division_codes:
        wanted = {str(c).strip() for c in job.division_codes}
        unknown = sorted(wanted - set(codes.tolist()))
        if unknown:
            raise FieldPackageError(tr("The division layer has no division {}").format(", ".join(unknown)))
        chosen = np.isin(codes, sorted(wanted))
        area = geometry.union(geoms[chosen])
    else:
        area = geometry.box(*[float(v) for v in job.extent])
        if job.extent_crs_wkt and divisions.crs_wkt:
            area = geometry.reproject(np.array([area], dtype=object), job.extent_crs_wkt, divisions.crs_wkt)[0]
        chosen = (codes != "") & geometry.intersects(geoms, area)
    area_codes = sorted(set(codes[chosen].tolist()))
    if not area_codes:
        raise FieldPackageError(tr("No division with a code lies in the chosen area"))
    progress.step("read", tr("Area: {} divisions ({})").format(len(area_codes), ", ".join(area_codes)))

    package_id = str(uuid.uuid4())
    actor = job.actor or default_actor()
    selections = [(DIVISIONS_LAYER, divisions, chosen)]
    used = {DIVISIONS_LAYER} | RESERVED
    for inp, table in zip(list(job.layers) + list(job.planning), tables):
        local = area if not (table.crs_wkt and divisions.crs_wkt) else \
            geometry.reproject(np.array([area], dtype=object), divisions.crs_wkt, table.crs_wkt)[0]
        # A coded layer is named <layer>_coded by the engine: back under its own name, with its namespace
        # (datasets.py; the layer name for layers coded before namespaces).
        label = inp.label[:-len("_coded")] if inp in job.layers and inp.label.endswith("_coded") else inp.label
        name = _unique(label, used)
        selections.append((name, table, geometry.intersects(geometry.from_wkb(table.wkb), local)))

    # Codes of the features taken along, also of those with their home outside the area (straddlers):
    # coded again offline they must be found, not coded anew.
    taken_codes = sorted({str(c).strip().upper() for _, table, mask in selections[1:len(job.layers) + 1]
                          if CODE_FIELD in table.columns for c in np.asarray(table.column(CODE_FIELD))[mask]
                          if c not in (None, "")})
    taken = [(name, _source_of(inp, job.sources[i] if i < len(job.sources) else None), table, mask)
             for i, (inp, (name, table, mask)) in enumerate(zip(job.layers, selections[1:]))]

    def write(path):
        for name, table, mask in selections:
            layer_writer.write_layer(path, name, _subset(table, mask), {}, None, engine)
        for inp, (name, _, _) in zip(job.layers, selections[1:]):  # coded offline, they keep their identities
            datasets.store_namespace(path, name, (inp.path and datasets.read_namespace(inp.path, inp.layer)) or name)
        progress.step("layers")
        with open_registry(job.registry) as reg:
            reg.on_wait = on_registry_wait(progress)  # another job writing: say who
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
        _write_registry(path, info, snapshot, blocks, taken)
        return blocks, snapshot

    try:
        blocks, snapshot = replace_output(write, job.output, progress)
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
    columns = {n: v[mask] if isinstance(v, np.ndarray) else [v[i] for i in rows] for n, v in table.columns.items()}
    return replace(table, wkb=table.wkb[mask], columns=columns)


def _source_of(inp: LayerInput, given: Optional[Tuple[str, str]]) -> Optional[Tuple[str, str, Optional[str]]]:
    """(provider, source without a password, CRS set by the user) of a layer taken along, or None when its
    features cannot be written back there."""
    if inp.datum:  # its coordinates were moved on reading: written back they would be moved twice
        return None
    if given:
        return given[0], _safe_source(*given), inp.crs_wkt
    if inp.path and inp.source is None:
        return "ogr", os.path.abspath(inp.path) + ("|layername={}".format(inp.layer) if inp.layer else ""), inp.crs_wkt
    from qgis.core import QgsVectorLayer
    if isinstance(inp.source, QgsVectorLayer):
        return inp.source.providerType(), _safe_source(inp.source.providerType(), inp.source.source()), inp.crs_wkt
    return None


def _safe_source(provider: str, source: str) -> str:
    """A layer source to keep in a package or the registry: database passwords left out (QGIS finds them in
    its authentication database or the service file); files with their absolute path."""
    from qgis.core import QgsDataSourceUri, QgsProviderRegistry
    if provider == "ogr":
        parts = QgsProviderRegistry.instance().decodeUri("ogr", source)
        if parts.get("path") and not os.path.isabs(parts["path"]):
            parts["path"] = os.path.abspath(parts["path"])
            return QgsProviderRegistry.instance().encodeUri("ogr", parts)
        return source
    uri = QgsDataSourceUri(source)
    if uri.password():
        uri.setPassword("")
        return uri.uri(False)
    return source


def _write_registry(path: str, info: Dict[str, str], snapshot: Dict[str, list], blocks: List[Block],
                    taken: Sequence[tuple] = ()):
    """The package's registry tables: the embedded registry's schema, the snapshot, the blocks, the base, and
    the layers taken along (`taken`: package layer name, its source or None, Table, rows taken) with the
    base state of their coded features."""
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
        for name, source, table, mask in taken:
            con.execute("INSERT INTO package_layers VALUES(?,?,?,?)", (name,) + tuple(source or (None, None, None)))
            if CODE_FIELD not in table.columns:
                continue
            rows = np.flatnonzero(mask)
            columns = {}
            for n in table.field_order:  # as Python values (Arrow's to_numpy turns nullable ints into floats)
                values = table.columns[n]
                values = values.to_pylist() if hasattr(values, "to_pylist") else list(values)
                columns[n] = [values[r] for r in rows]
            for i, (code, wkb) in enumerate(zip(columns[CODE_FIELD], table.wkb[mask].tolist())):
                if code not in (None, ""):  # the first feature of a code is the one check-in matches
                    con.execute("INSERT OR IGNORE INTO package_features VALUES(?,?,?,?)",
                                (name, str(code).strip().upper(), wkb,
                                 _dumps({n: plain_value(v[i]) for n, v in columns.items()})))
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


@dataclass
class FieldCheckInResult(CheckInResult):
    features_added: int = 0
    features_updated: int = 0    # geometry or attributes changed, or the status of a retired code set
    feature_conflicts: int = 0   # also counted in `conflicts`


class FeatureWriteError(FieldPackageError):
    """The registry part of a check-in is saved but a target layer could not be (see the message); running
    the check-in again finishes it. `result` says what was done."""

    def __init__(self, message: str, result: FieldCheckInResult):
        super().__init__(message)
        self.result = result


def check_in(package_path: str, registry_location: str, actor: Optional[str] = None,
             target: Optional[Dict[str, object]] = None) -> FieldCheckInResult:
    """Merge a field package back into the shared registry it was checked out from (one transaction), then
    write its features to their layers (see the module docstring).

    target: {package layer name: the layer to write its features to} — a QgsVectorLayer, an OGR source
    ("file.gpkg|layername=x"), a PostGIS source ("dbname=… table=…"), a (provider, source) pair, or None to
    leave that layer's features out; layers not named go to the layer recorded at check-out. A target that
    cannot be opened for writing stops the check-in before anything changes."""
    package_id, changes = read_changes(package_path)
    actor = actor or default_actor()
    layers, notes = _feature_layers(package_path, target or {})
    retired_offline = {c.code for c in changes if c.kind == "edit" and c.version.get("status") == RETIRED
                       and (c.base or {}).get("status") != RETIRED}
    with open_registry(registry_location) as reg:
        if isinstance(reg, FieldPackageRegistry):
            raise FieldPackageError(tr("Check a package in to the shared registry, not into another field package"))
        merged = reg.apply_field_changes(package_id, changes, actor)
        # Planned on the merged registry; each step is a transaction of its own, and one lost is redone by
        # the next check-in (which finds what is booked, written or still missing).
        plans = [_plan(reg, package_id, layer, retired_offline) for layer in layers]
        for plan in plans:
            plan.conflict_ids = reg.record_features(package_id, plan.layer.target.id, actor, conflicts=plan.conflicts)
        result = FieldCheckInResult(**vars(merged))
        result.messages.append(tr("Field package {}: {} new codes, {} updated, {} retired, {} conflicts, {} "
                                  "already checked in").format(package_id, result.new, result.updated,
                                                               result.retired, result.conflicts, result.already))
        if result.conflicts:
            result.messages.append(tr("{} changes were not applied because the registry changed the same codes "
                                      "since the check-out; both versions are kept until you resolve them").format(
                result.conflicts))
        failed = []
        for plan in plans:  # the registry merge is committed: now the layers
            result.feature_conflicts += len(plan.conflicts)
            result.conflicts += len(plan.conflicts)
            result.conflict_ids += plan.conflict_ids
            try:
                plan.layer.target.write(plan.adds, plan.updates)
            except FieldPackageError as e:
                failed.append(str(e))
                continue
            try:
                reg.record_features(package_id, plan.layer.target.id, actor, applied=plan.applied)
            except RegistryError as e:  # written, not booked: the next check-in finds them written and books them
                failed.append(tr("The features written to layer {} could not be recorded in the registry: {}")
                              .format(plan.layer.target.label, e))
            result.features_added += len(plan.adds)
            result.features_updated += len(plan.updates)
            result.messages.append(plan.summary())
    result.messages += notes
    if failed:
        raise FeatureWriteError(tr("The registry part of the check-in is saved ({} new codes, {} updated, {} "
                                   "retired), but not all features could be written: {} What the layer did not "
                                   "save was rolled back. Fix this and run the check-in again: the registry part "
                                   "is not repeated, and the features still missing are written then (none "
                                   "twice).").format(
            result.new, result.updated, result.retired, " ".join(failed)), result)
    return result


def resolve_conflict(registry_location: str, conflict_id: int, choice: str, actor: Optional[str] = None) -> None:
    """Registry.resolve_conflict for every kind of conflict: a feature conflict resolved as "package" writes
    the package's version of the feature to its layer (the conflict stays open when that fails)."""
    with open_registry(registry_location) as reg:
        reg.resolve_conflict(conflict_id, choice, actor or default_actor(), apply_feature=_apply_feature)


def _apply_feature(conflict: Conflict) -> None:
    where, ours = json.loads(conflict.target), conflict.package_version
    target = _Target(where["provider"], where["source"], _crs(ours.get("crs")), where.get("crs"))
    fields = target.layer.fields()
    version = dict(ours, attrs={n: v for n, v in ours["attrs"].items() if fields.indexOf(n) >= 0})
    current = target.features([], [conflict.code]).get(conflict.code)
    target.write([] if current else [version], [(current[0], version, True)] if current else [])


def feature_conflict_summary(conflict: Conflict) -> Dict[str, object]:
    """What changed in a feature conflict's geometry, in metres: geometry_changed (bool), area_registry and
    area_package (m², None when that side has no geometry), centroid_shift (m, None likewise)."""
    from qgis.core import QgsDistanceArea, QgsGeometry, QgsProject
    ours, theirs = conflict.package_version, conflict.registry_version
    crs = _crs(ours.get("crs"))
    measure = QgsDistanceArea()
    measure.setSourceCrs(crs, QgsProject.instance().transformContext())
    measure.setEllipsoid(crs.ellipsoidAcronym() or "EPSG:7019")  # CGCS2000's ellipsoid is GRS 1980's
    geoms = []
    for version in (theirs, ours):
        hexed = version.get("geometry")
        geometry = QgsGeometry()
        if hexed:
            geometry.fromWkb(bytes.fromhex(hexed))
        geoms.append(None if geometry.isNull() else geometry)
    grid = _grid(crs)
    keys = feature_keys([None if g is None else bytes(g.asWkb()) for g in geoms], [{}, {}], [], grid)
    area = [None if g is None else measure.measureArea(g) for g in geoms]
    shift = None if None in geoms else measure.measureLine(geoms[0].centroid().asPoint(), geoms[1].centroid().asPoint())
    return {"geometry_changed": keys[0] != keys[1], "area_registry": area[0], "area_package": area[1],
            "centroid_shift": shift}


# -- features: keys, layers, plans ------------------------------------------------------------------------
def plain_value(value):
    """An attribute value as plain JSON-able Python, the same whichever reader gave it (QGIS, Arrow, a
    GeoPackage writer that turned integers with nulls into reals): NULL/NaN/"" -> None, 3.0 -> 3, dates as ISO
    text, booleans as 0/1, bytes as hex."""
    if value is None or (hasattr(value, "isNull") and value.isNull()):  # QVariant NULL, invalid QDate ...
        return None
    if isinstance(value, np.generic):
        value = value.item()
    for convert in ("toPyDateTime", "toPyDate", "toPyTime"):
        if hasattr(value, convert):
            value = getattr(value, convert)()
            break
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, float):
        return None if value != value else int(value) if value.is_integer() else value
    if isinstance(value, (bytes, bytearray)) or type(value).__name__ == "QByteArray":
        return bytes(value).hex()
    if isinstance(value, str):
        return value or None
    if isinstance(value, int):
        return value
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))  # maps, lists


def feature_keys(wkbs: Sequence[Optional[bytes]], attrs: Sequence[Dict], fields: Iterable[str],
                 grid: float) -> List[str]:
    """A hash per feature of its geometry, on a `grid` (CRS units), so that a round trip through another
    format or CRS is no change, and of the plain values of `fields`."""
    from ..engine.wkb import normalized_many
    norm = [g or b"" for g in normalized_many(wkbs, grid)]  # (a one-part multi-polygon is that polygon)
    names = sorted(fields)
    return [hashlib.sha1(g + _dumps([a.get(n) for n in names]).encode()).hexdigest() for g, a in zip(norm, attrs)]


def _grid(crs) -> float:
    return 1e-8 if crs.isGeographic() else 0.001  # about 1 mm


def _crs(text: Optional[str]):
    from qgis.core import QgsCoordinateReferenceSystem
    if not text:
        return QgsCoordinateReferenceSystem()
    crs = QgsCoordinateReferenceSystem(text)
    return crs if crs.isValid() else QgsCoordinateReferenceSystem.fromWkt(text)


def _crs_text(crs) -> str:
    return crs.authid() or crs.toWkt()


class _Target:
    """A layer features are written back to, checked to be writable, with transforms from/to the package's CRS."""

    def __init__(self, provider: str, source: str, package_crs, crs_override: Optional[str] = None):
        from qgis.core import QgsCoordinateTransform, QgsProject, QgsVectorDataProvider, QgsVectorLayer
        self.id = _dumps({"provider": provider, "source": source, "crs": crs_override})
        self.label = source
        layer = QgsVectorLayer(source, "citycode_target", provider)
        if not layer.isValid():
            raise FieldPackageError(tr("The layer {} to write the features back to cannot be opened; give the "
                                       "check-in another target layer. Nothing was checked in.").format(source))
        if crs_override:
            layer.setCrs(_crs(crs_override))
        caps = QgsVectorDataProvider.Capability
        needed = caps.AddFeatures | caps.ChangeGeometries | caps.ChangeAttributeValues
        if layer.readOnly() or int(layer.dataProvider().capabilities() & needed) != int(needed):
            raise FieldPackageError(tr("The layer {} cannot be written (a read-only file or database table, or a "
                                       "format QGIS cannot edit); make it writable or give the check-in another "
                                       "target layer. Nothing was checked in.").format(source))
        if layer.fields().indexOf(CODE_FIELD) < 0:
            raise FieldPackageError(tr("The layer {} has no {} field to find the package's features by; give the "
                                       "check-in the coded layer. Nothing was checked in.").format(source, CODE_FIELD))
        self.layer, self.package_crs = layer, package_crs
        context = QgsProject.instance().transformContext()
        same = not (layer.crs().isValid() and package_crs.isValid()) or layer.crs() == package_crs
        self.to_target = None if same else QgsCoordinateTransform(package_crs, layer.crs(), context)
        self.to_package = None if same else QgsCoordinateTransform(layer.crs(), package_crs, context)

    def features(self, fields: Sequence[str], codes: Iterable[str]) -> Dict[str, tuple]:
        """{code: (feature id, WKB in the package's CRS, plain values of `fields`)} of the features with these
        codes (the first feature of a code), asked for a few hundred codes at a time: a city's layer is large."""
        from qgis.core import QgsExpression, QgsFeatureRequest
        out, codes = {}, sorted(set(codes))
        for i in range(0, len(codes), 500):
            request = QgsFeatureRequest().setFilterExpression("{} IN ({})".format(
                QgsExpression.quotedColumnRef(CODE_FIELD), ", ".join(map(QgsExpression.quotedValue, codes[i:i + 500]))))
            for f in self.layer.getFeatures(request):
                code = str(plain_value(f[CODE_FIELD])).strip().upper()
                if code not in out:
                    out[code] = (f.id(), _wkb(f.geometry(), self.to_package), {n: plain_value(f[n]) for n in fields})
        return out

    def write(self, adds: Sequence[Dict], updates: Sequence[tuple]) -> None:
        """Add features and change (feature id, version, geometry too?) from package versions (WKB hex in the
        package's CRS, plain attribute values of the layer's fields) in one edit session; on failure the
        layer is rolled back and FieldPackageError says why."""
        from qgis.core import QgsFeature
        if not adds and not updates:
            return
        layer = self.layer
        if not layer.startEditing():
            raise FieldPackageError(tr("Layer {} cannot be edited.").format(self.label))
        try:
            fields = layer.fields()
            ok = True
            for version in adds:
                feature = QgsFeature(fields)
                for name, value in version["attrs"].items():
                    feature.setAttribute(fields.indexOf(name), value)
                feature.setGeometry(self._geometry(version))
                ok = layer.addFeature(feature) and ok
            for fid, version, geometry in updates:
                if geometry:
                    ok = layer.changeGeometry(fid, self._geometry(version)) and ok
                current = layer.getFeature(fid)
                changed = {fields.indexOf(n): v for n, v in version["attrs"].items() if plain_value(current[n]) != v}
                ok = (not changed or layer.changeAttributeValues(fid, changed)) and ok
            if not ok or not layer.commitChanges():
                raise FieldPackageError(tr("Layer {} could not be saved: {}.").format(
                    self.label, "; ".join(layer.commitErrors()) or tr("it refused the edits")))
        finally:
            if layer.isEditable():
                layer.rollBack()

    def _geometry(self, version: Dict):
        """The version's geometry in the layer's CRS and geometry type (e.g. made multi-part)."""
        from qgis.core import QgsFeature, QgsGeometry, QgsVectorLayerUtils
        geometry = QgsGeometry()
        if version.get("geometry"):
            geometry.fromWkb(bytes.fromhex(version["geometry"]))
            if self.to_target is not None:
                geometry.transform(self.to_target)
        feature = QgsFeature(self.layer.fields())
        feature.setGeometry(geometry)
        fitted = QgsVectorLayerUtils.makeFeatureCompatible(feature, self.layer)
        return fitted[0].geometry() if fitted else geometry


def _wkb(geometry, transform=None) -> Optional[bytes]:
    from qgis.core import QgsGeometry
    if geometry is None or geometry.isNull():
        return None
    if transform is not None:
        geometry = QgsGeometry(geometry)
        geometry.transform(transform)
    return bytes(geometry.asWkb())


@dataclass
class _PackageLayer:
    name: str
    features: object         # the package's QgsVectorLayer
    target: _Target
    fields: List[str]        # compared and written: the package's fields the target has
    base: Dict[str, tuple]   # code -> (WKB, attrs) at check-out


def _feature_layers(package_path: str, given: Dict[str, object]) -> Tuple[List[_PackageLayer], List[str]]:
    """The package layers whose features go back, with their targets opened (FieldPackageError when one cannot
    be written: nothing has changed yet), and notes on layers left out."""
    from qgis.core import QgsVectorLayer
    con = sqlite3.connect(pathlib.Path(package_path).resolve().as_uri() + "?mode=ro", uri=True)
    try:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "package_layers" not in tables:
            return [], [tr("This package was checked out by an older CityCode that did not record its features' "
                           "layers: only the registry was checked in.")] if given else []
        recorded = con.execute("SELECT layer, provider, source, crs FROM package_layers ORDER BY layer").fetchall()
        base = {}
        for name, code, wkb, attrs in con.execute("SELECT layer, code, geometry, attrs FROM package_features"):
            base.setdefault(name, {})[code] = (wkb, json.loads(attrs))
    finally:
        con.close()
    unknown = sorted(set(given) - {r[0] for r in recorded})
    if unknown:
        raise FieldPackageError(tr("The package has no layer of features named {} (it has: {}). Nothing was "
                                   "checked in.").format(", ".join(unknown), ", ".join(r[0] for r in recorded) or "-"))
    out, notes = [], []
    for name, provider, source, crs in recorded:
        if name in given:
            if not given[name]:
                continue
            (provider, source), crs = _target_of(given[name]), None
        elif not source:
            notes.append(tr("The features of layer {} were not written back: it did not come from a layer CityCode "
                            "can write to; check in again with a target layer for it.").format(name))
            continue
        features = QgsVectorLayer("{}|layername={}".format(package_path, name), name, "ogr")
        if not features.isValid():
            raise FieldPackageError(tr("The package's layer {} cannot be read. Nothing was checked in.").format(name))
        target = _Target(provider, source, features.crs(), crs)
        own = {features.fields().at(i).name() for i in features.dataProvider().pkAttributeIndexes()}
        fields = [f.name() for f in features.fields()
                  if f.name() not in own and target.layer.fields().indexOf(f.name()) >= 0]
        out.append(_PackageLayer(name, features, target, fields, base.get(name, {})))
    return out, notes


def feature_layer_names(package_path: str) -> List[str]:
    """The package's layers of features taken along (those check_in writes back)."""
    package_info(package_path)  # (a field package, or FieldPackageError)
    con = sqlite3.connect(pathlib.Path(package_path).resolve().as_uri() + "?mode=ro", uri=True)
    try:
        if not con.execute("SELECT count(*) FROM sqlite_master WHERE name='package_layers'").fetchone()[0]:
            return []
        return [r[0] for r in con.execute("SELECT layer FROM package_layers ORDER BY layer")]
    finally:
        con.close()


def _target_of(value) -> Tuple[str, str]:
    """(provider, source) of a target given as a layer, a (provider, source) pair or a source text."""
    from qgis.core import QgsDataSourceUri, QgsVectorLayer
    if isinstance(value, QgsVectorLayer):
        return value.providerType(), _safe_source(value.providerType(), value.source())
    if isinstance(value, (tuple, list)):
        return value[0], _safe_source(value[0], value[1])
    text = str(value)
    database = ("dbname=" in text or "service=" in text) and QgsDataSourceUri(text).table()
    provider = "postgres" if database else "ogr"
    return provider, _safe_source(provider, text)


@dataclass
class _Plan:
    layer: _PackageLayer
    adds: List[Dict] = field(default_factory=list)
    updates: List[tuple] = field(default_factory=list)     # (feature id, version, geometry changed)
    applied: List[tuple] = field(default_factory=list)     # (change id, code, version booked)
    conflicts: List[tuple] = field(default_factory=list)   # (change id, code, the layer's version, the package's)
    conflict_ids: List[int] = field(default_factory=list)
    waiting: List[str] = field(default_factory=list)       # codes issued offline the registry did not take
    dropped: List[str] = field(default_factory=list)       # ... and retired when their conflict was resolved
    uncoded: int = 0

    def summary(self) -> str:
        text = tr("Layer {}: {} features added, {} updated, {} conflicts").format(
            self.layer.target.label, len(self.adds), len(self.updates), len(self.conflicts))
        if self.waiting:
            text += tr("; {} features wait for their codes' conflicts to be resolved (check in again then): {}"
                       ).format(len(self.waiting), ", ".join(self.waiting[:5]))
        if self.dropped:
            text += tr("; {} features were not added: the registry kept its own code for them ({})").format(
                len(self.dropped), ", ".join(self.dropped[:5]))
        if self.uncoded:
            text += tr("; {} features without a code were not written back (code them, then check in again)"
                       ).format(self.uncoded)
        return text


def _plan(reg, package_id: str, layer: _PackageLayer, retired_offline: set) -> _Plan:
    """What to write to the target: features new or changed offline, the status of codes retired offline,
    and the conflicts where the target changed the same feature (the registry merge is applied already)."""
    plan = _Plan(layer)
    fields, target = layer.fields, layer.target
    status = STATUS_FIELD if target.layer.fields().indexOf(STATUS_FIELD) >= 0 else None
    grid = _grid(target.package_crs)
    ours = {}
    has_code = layer.features.fields().indexOf(CODE_FIELD) >= 0
    for f in layer.features.getFeatures():
        code = plain_value(f[CODE_FIELD]) if has_code else None
        if code is None:
            plan.uncoded += 1
        elif str(code).strip().upper() not in ours:
            ours[str(code).strip().upper()] = (_wkb(f.geometry()), {n: plain_value(f[n]) for n in fields})
    theirs = target.features(fields, set(ours) | retired_offline)
    base = {c: (w, {n: a.get(n) for n in fields}) for c, (w, a) in layer.base.items()}

    def keys(rows):
        codes = sorted(rows)
        return dict(zip(codes, feature_keys([rows[c][-2] for c in codes], [rows[c][-1] for c in codes], fields,
                                            grid)))
    key_ours, key_base, key_theirs = keys(ours), keys(base), keys(theirs)
    done, last = reg.feature_checkins(package_id, target.id)
    records = {c: reg.get(c) for c in set(ours) - set(base) | retired_offline}
    retired = {c for c in retired_offline if records[c] is not None and records[c].status == RETIRED}
    change_id = "{}/feature/{}/{{}}/{{}}".format(package_id, layer.name).format

    for code in sorted(set(ours) | (retired & set(theirs))):
        if code not in ours or key_ours[code] == key_base.get(code):  # unchanged offline (or deleted there)
            if code in retired and status and code in theirs and theirs[code][2].get(status) != RETIRED \
                    and change_id(code, RETIRED) not in done:  # the layer shows the retirement, nothing else
                fid, wkb, attrs = theirs[code]
                after = dict(attrs, **{status: RETIRED})
                plan.updates.append((fid, {"geometry": None, "attrs": {status: RETIRED}}, False))
                plan.applied.append((change_id(code, RETIRED), code,
                                     {"key": feature_keys([wkb], [after], fields, grid)[0]}))
            continue
        if code not in base and records[code] is None:  # issued offline, not taken by the registry (a conflict)
            plan.waiting.append(code)
            continue
        if code not in base and records[code].status == RETIRED and code not in retired:
            plan.dropped.append(code)  # its conflict was resolved for the registry's own code of the feature
            continue
        wkb, attrs = ours[code]
        if code in retired and status:
            attrs = dict(attrs, **{status: RETIRED})
        key = feature_keys([wkb], [attrs], fields, grid)[0]
        change = change_id(code, key[:16])
        if change in done:
            continue
        version = {"code": code, "layer": layer.name, "geometry": wkb.hex() if wkb else None, "attrs": attrs,
                   "key": key, "crs": _crs_text(target.package_crs)}
        before = (last.get(code) or {}).get("key") or key_base.get(code)  # what the target held from us
        if key_theirs.get(code) == key:
            pass  # the target has it already (e.g. written by a run whose booking failed)
        elif code not in theirs and before is None:
            plan.adds.append(version)
        elif code in theirs and key_theirs[code] == before:
            fid, their_wkb, _ = theirs[code]
            moved = feature_keys([wkb, their_wkb], [{}, {}], [], grid)
            plan.updates.append((fid, version, moved[0] != moved[1]))
        else:  # changed in the target too (or removed from it): both versions kept, the target untouched
            if code in theirs:
                their_wkb, their_attrs = theirs[code][1:]
                theirs_version = {"code": code, "geometry": their_wkb.hex() if their_wkb else None,
                                  "attrs": their_attrs, "key": key_theirs[code]}
            else:
                theirs_version = {"code": code, "geometry": None, "attrs": {}, "key": None, "missing": True}
            plan.conflicts.append((change, code, theirs_version, version))
            continue
        plan.applied.append((change, code, {"key": key}))
    return plan
