"""Check-in: merge a field package back into the shared registry it was checked out from.

check_in() merges the codes issued offline, edits, retirements, splits and merges back into the shared
registry in one transaction (Registry.apply_field_changes): a second check-in changes nothing; a code
changed both in the registry and in the package becomes a conflict holding both versions until
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
import hashlib
import json
import pathlib
import sqlite3
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

from ..i18n import tr
from ..registry.base import RegistryError, default_actor
from ..registry.backends import open_registry
from ..registry.field_package import FieldPackageRegistry
from ..registry.field_sync import CheckInResult, Conflict, FieldChange, canonical_json
from .features import Target, crs_from_text, layers_to_write, plan_layer
from .package import RETIRED, FieldPackageError, package_info


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
            digest = hashlib.sha1(canonical_json(mine).encode()).hexdigest()[:16]
            change_id = "{}/{}/{}".format(package_id, code, digest)
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
    layers, notes = layers_to_write(package_path, target or {})
    retired_offline = {c.code for c in changes if c.kind == "edit" and c.version.get("status") == RETIRED
                       and (c.base or {}).get("status") != RETIRED}
    with open_registry(registry_location) as reg:
        if isinstance(reg, FieldPackageRegistry):
            raise FieldPackageError(tr("Check a package in to the shared registry, not into another field package"))
        merged = reg.apply_field_changes(package_id, changes, actor)
        # Planned on the merged registry; each step is a transaction of its own, and one lost is redone by
        # the next check-in (which finds what is booked, written or still missing).
        plans = [plan_layer(reg, package_id, layer, retired_offline) for layer in layers]
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
    target = Target(where["provider"], where["source"], crs_from_text(ours.get("crs")), where.get("crs"))
    fields = target.layer.fields()
    version = dict(ours, attrs={n: v for n, v in ours["attrs"].items() if fields.indexOf(n) >= 0})
    current = target.features([], [conflict.code]).get(conflict.code)
    target.write([] if current else [version], [(current[0], version, True)] if current else [])
