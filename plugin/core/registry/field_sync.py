"""Field-package sync, shared by the registry backends: blocks of sequence numbers reserved for a package,
the snapshot it takes along, its check-in (codes issued, edited and retired offline) and the conflicts
it leaves until resolved (see fieldwork/). Written once over a backend's storage steps (`_sql` and the
locks below), inside the transactions of `Registry.run_transaction`.
"""
import json
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence

from ..i18n import tr
from ..codes.profiles import CodeProfile, load_profile
from .base import CodeRecord, RegistryError


@dataclass
class Block:
    """Sequence numbers first..last of a profile + division + year, reserved for a field package."""
    package: str
    profile: str
    division: str
    year: int
    first: int
    last: int


@dataclass
class Conflict:
    """A field package's change not applied because the registry changed the same code meanwhile."""
    id: int
    package: str
    code: str
    kind: str                 # "edit": both edited the code; "identity": both coded the same feature;
    #                           "feature": its feature changed both in the target layer and in the package
    registry_version: Dict    # the registry's (code, name, attrs, status); feature: the layer's (geometry, attrs)
    package_version: Dict     # the package's
    at: str
    actor: str                # who checked the package in
    status: str = "open"
    choice: Optional[str] = None
    target: Optional[str] = None  # feature: the layer it is written to (see fieldwork.checkin.resolve_conflict)


@dataclass
class FieldChange:
    """A change a field package brings back (made by fieldwork.checkin.read_changes)."""
    id: str                   # stable: the same change checked in twice is applied once
    code: str
    kind: str                 # "new": issued offline; "edit": a code of the snapshot edited or retired offline
    version: Dict             # the package's record: code, profile, division, year, seq, unit, identity, status,
    #                           name, attrs
    base: Optional[Dict] = None  # edit: name/attrs/status when checked out
    origin: Dict = field(default_factory=dict)   # who/when offline: batch_at, batch_actor, batch_action, batch_note
    parents: List[tuple] = field(default_factory=list)   # new: (parent, op) lineage from a split/merge
    history: List[Dict] = field(default_factory=list)    # new: offline audit rows (at, actor, action, detail)


@dataclass
class CheckInResult:
    new: int = 0
    updated: int = 0
    retired: int = 0
    conflicts: int = 0
    already: int = 0          # checked in before, or the registry has that version already
    conflict_ids: List[int] = field(default_factory=list)
    messages: List[str] = field(default_factory=list)


def _version(rec: CodeRecord) -> Dict:
    """What an edit changes: compared between the package, its base and the registry."""
    return {"name": rec.name, "attrs": rec.attrs or {}, "status": rec.status}


def _json(value):
    return json.loads(value) if isinstance(value, str) else value


def canonical_json(value) -> Optional[str]:
    """JSON with sorted keys, so the same value is the same text (hashed into change ids, compared); None stays
    None (NULL)."""
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def _when(value) -> str:
    return value if isinstance(value, str) else value.astimezone().isoformat(timespec="seconds")


class FieldSync(ABC):
    """Field-package sync, mixed into each backend before `Registry` (whose steps it uses)."""

    def reserve_blocks(self, profile: CodeProfile, keys: Sequence[tuple], size: int, package_id: str,
                       actor: str) -> List[Block]:
        """Reserve `size` sequence numbers per (division, year) of `keys` for a field package: the sequences
        move past the blocks under the locks issuing takes, so no batch can ever issue into a block."""
        size = int(size)
        if size < 1:
            raise RegistryError(tr("A reserved block needs at least one sequence number"))
        keys = sorted({(str(d), int(profile.sequence_year(int(y)))) for d, y in keys})
        if not keys:
            raise RegistryError(tr("Choose at least one division to reserve sequence numbers for"))

        def work():
            batch = self.new_batch(actor, "reserve", package_id, size * len(keys))
            last = self._lock_last_seqs(profile.name, keys)
            blocks = []
            for d, y in keys:
                first = last.get((d, y), 0) + 1
                if first + size - 1 > profile.sequence_limit:
                    raise RegistryError(tr("Division {} ({}, year {}) has {} sequence numbers left, fewer than a "
                                           "block of {}; choose a smaller block. Nothing was reserved.").format(
                        d, profile.name, y, profile.sequence_limit - first + 1, size))
                blocks.append(Block(package_id, profile.name, d, y, first, first + size - 1))
            self._set_last_seqs(profile.name, keys, [b.last for b in blocks])
            for b in blocks:
                self._sql("INSERT INTO blocks(package, profile, division, year, first_seq, last_seq, batch) "
                          "VALUES(?,?,?,?,?,?,?)", (b.package, b.profile, b.division, b.year, b.first, b.last, batch))
            return blocks
        return self.run_transaction(work)

    def blocks(self, package_id: Optional[str] = None) -> List[Block]:
        """The reserved blocks (of one package), in reservation order."""
        rows = self._sql("SELECT package, profile, division, year, first_seq, last_seq FROM blocks "
                         "WHERE ? IS NULL OR package=? ORDER BY id", (package_id, package_id), "all")
        return [Block(*r) for r in rows]

    def conflicts(self, open_only: bool = True) -> List[Conflict]:
        """Changes from field packages that were not applied because the registry changed the same code."""
        rows = self._sql("SELECT c.id, c.package, c.code, c.kind, c.registry_version, c.package_version, b.at, "
                         "b.actor, c.status, c.choice, c.target FROM conflicts c JOIN batches b ON b.id = c.batch "
                         "WHERE c.status='open' OR ?=0 ORDER BY c.id", (1 if open_only else 0,), "all")
        return [Conflict(r[0], r[1], r[2], r[3], _json(r[4]), _json(r[5]), _when(r[6]), r[7], r[8], r[9], r[10])
                for r in rows]

    def resolve_conflict(self, conflict_id: int, choice: str, actor: str, apply_feature=None) -> None:
        """Settle an open conflict: keep the registry's version, or apply the package's (audited).

        A feature conflict's package version is written to its layer by apply_feature(conflict) inside this
        transaction (fieldwork.checkin.resolve_conflict does that); it raises to leave the conflict open."""
        if choice not in ("registry", "package"):
            raise RegistryError(tr("Choose 'registry' or 'package' to resolve a conflict"))

        def work():
            batch = self.new_batch(actor, "resolve", "conflict {}: {}".format(conflict_id, choice), 1)
            # Claimed by the update: a second resolver waits, then finds it resolved.
            self._sql("UPDATE conflicts SET status='resolved', choice=?, resolved_batch=? WHERE id=? AND status='open'",
                      (choice, batch, int(conflict_id)))
            row = self._sql("SELECT package, change, code, kind, registry_version, package_version, resolved_batch, "
                            "target FROM conflicts WHERE id=?", (int(conflict_id),), "one")
            if row is None:
                raise RegistryError(tr("There is no conflict {}").format(conflict_id))
            package, change, code, kind, theirs, ours, resolved, target = row
            if resolved != batch:
                raise RegistryError(tr("Conflict {} is already resolved").format(conflict_id))
            theirs, ours = _json(theirs), _json(ours)
            field_info = {"package": package, "conflict": int(conflict_id)}
            if kind == "feature":
                if choice == "package":
                    if apply_feature is None:
                        raise RegistryError(tr("Conflict {} is about a feature of a layer; resolve it with the "
                                               "conflicts dialog or 'Resolve a field package conflict'").format(
                            conflict_id))
                    apply_feature(Conflict(int(conflict_id), package, code, kind, theirs, ours, "", actor,
                                           target=target))
                kept = ours if choice == "package" else theirs  # what the layer holds now: the next base
                self._audit(batch, code, "resolve", dict(field_info, choice=choice, target=target,
                                                         registry=theirs.get("attrs"), field=ours.get("attrs")))
                self._sql("INSERT INTO checkins(change, package, code, version, batch, target) VALUES(?,?,?,?,?,?)",
                          (change, package, code, canonical_json({"key": kept.get("key")}), batch, target))
                return
            if kind == "edit":
                self._lock_codes([code])
                if choice == "package":
                    self._apply_version(self.get(code), ours, batch, field_info)
            else:  # a code issued offline for an identity the registry coded meanwhile
                if choice == "package":
                    taken = self.active_code(ours["profile"], ours["identity"])
                    if taken:
                        self._lock_codes([taken])
                        self._retire(self.get(taken), batch, "conflict {}".format(conflict_id))
                self._insert_code(ours if choice == "package" else dict(ours, status="retired"), batch)
            self._audit(batch, code, "resolve", dict(field_info, choice=choice, registry=theirs, field=ours))
            self._sql("INSERT INTO checkins(change, package, code, version, batch) VALUES(?,?,?,?,?)",
                      (change, package, code, canonical_json(_version(self.get(code))), batch))
        self.run_transaction(work)

    def apply_field_changes(self, package_id: str, changes: Sequence[FieldChange], actor: str) -> CheckInResult:
        """Merge what a field package changed (see fieldwork.checkin.read_changes), in one transaction.

        A change already checked in (its id is in `checkins`) or already held as a conflict is skipped, so a
        second check-in changes nothing. Codes issued offline must lie in the package's reserved blocks, else
        nothing is applied. An edit applies when the registry still has the version the package started
        from; when both changed the code it becomes a conflict holding both versions."""
        result = CheckInResult()
        new = [c for c in changes if c.kind == "new"]
        edits = [c for c in changes if c.kind == "edit"]

        def work():
            self._lock_package(package_id)
            if not self.blocks(package_id):
                raise RegistryError(tr("Field package {} was not checked out from this registry; nothing was "
                                       "checked in").format(package_id))
            self._lock_codes(sorted(c.code for c in edits))
            done = {r[0] for r in self._sql("SELECT change FROM checkins WHERE package=? UNION "
                                            "SELECT change FROM conflicts WHERE package=?",
                                            (package_id, package_id), "all")}
            todo_new = [c for c in new if c.id not in done]
            self._check_in_blocks(package_id, todo_new)
            state = {"batch": None, "mirrored": {}}

            def checkin_batch():  # written only when something changes: a repeated check-in writes nothing
                if state["batch"] is None:
                    state["batch"] = self.new_batch(actor, "checkin", package_id, 0)
                return state["batch"]

            def applied(change, version):
                self._sql("INSERT INTO checkins(change, package, code, version, batch) VALUES(?,?,?,?,?)",
                          (change.id, package_id, change.code, canonical_json(version), checkin_batch()))

            def conflict(change, kind, theirs):
                cid = self._sql("INSERT INTO conflicts(package, change, code, kind, registry_version, package_version, "
                                "batch) VALUES(?,?,?,?,?,?,?)", (package_id, change.id, change.code, kind,
                                                                 canonical_json(theirs), canonical_json(change.version),
                                                                 checkin_batch()), "id")
                result.conflicts += 1
                result.conflict_ids.append(cid)

            for change in edits:  # first: an identity whose code was retired offline may be coded anew
                if change.id in done:
                    result.already += 1
                    continue
                rec = self.get(change.code)
                if rec is None:
                    raise RegistryError(tr("The package edits code {}, which is not in this registry; nothing was "
                                           "checked in").format(change.code))
                now = _version(rec)
                mine = dict(name=change.version.get("name"), attrs=change.version.get("attrs") or {},
                            status=change.version.get("status"))
                last = self._sql("SELECT version FROM checkins WHERE package=? AND code=? AND target IS NULL "
                                 "ORDER BY batch DESC",
                                 (package_id, change.code), "one")
                base = _json(last[0]) if last else change.base
                if now == mine:
                    result.already += 1
                    applied(change, now)
                elif now == base:
                    upd, ret = self._apply_version(rec, mine, checkin_batch(),
                                                   {"package": package_id, "field": change.origin})
                    result.updated += upd
                    result.retired += ret
                    applied(change, _version(self.get(change.code)))
                else:
                    conflict(change, "edit", dict(now, code=rec.code, identity=rec.identity))
            for change in todo_new:
                v = change.version
                taken = self.active_code(v["profile"], v["identity"]) \
                    if v.get("identity") and v.get("status") == "active" else None
                if taken:
                    rec = self.get(taken)
                    conflict(change, "identity", dict(_version(rec), code=taken, identity=rec.identity))
                    continue
                key = tuple(change.origin.get(k) for k in ("batch_at", "batch_actor", "batch_action", "batch_note"))
                if key not in state["mirrored"]:  # the offline batch that issued it: who and when in the field
                    state["mirrored"][key] = [self.new_batch(key[1], key[2], tr("{} (field package {})").format(
                        key[3] or "", package_id), 0, at=key[0]), 0]
                mirror = state["mirrored"][key]
                self._insert_code(v, mirror[0])
                mirror[1] += 1
                for parent, op in change.parents:
                    self._link(parent, change.code, op, mirror[0])
                for entry in change.history:
                    self._audit(checkin_batch(), change.code, entry["action"],
                                dict(entry["detail"], package=package_id, field={"at": entry["at"],
                                                                                  "actor": entry["actor"]}))
                result.new += 1
                applied(change, _version(self.get(change.code)))
            result.already += len(new) - len(todo_new)
            for batch, count in state["mirrored"].values():
                self._set_batch_count(batch, count)
            if state["batch"] is not None:
                self._set_batch_count(state["batch"], result.new + result.updated + result.retired)
            return result
        return self.run_transaction(work)

    def feature_checkins(self, package_id: str, target: str) -> tuple:
        """(ids of the package's feature changes applied or held as conflicts, {code: the version last written
        to `target` from the package}) for fieldwork.checkin.check_in."""
        done = {r[0] for r in self._sql("SELECT change FROM checkins WHERE package=? AND target IS NOT NULL UNION "
                                        "SELECT change FROM conflicts WHERE package=? AND kind='feature'",
                                        (package_id, package_id), "all")}
        last = {r[0]: _json(r[1]) for r in self._sql("SELECT code, version FROM checkins WHERE package=? AND "
                                                     "target=? ORDER BY batch, change", (package_id, target), "all")}
        return done, last

    def record_features(self, package_id: str, target: str, actor: str, applied: Sequence[tuple] = (),
                        conflicts: Sequence[tuple] = ()) -> List[int]:
        """Book a package's features written to `target` (change id, code, version) and those held as
        conflicts (change id, code, the layer's version, the package's); returns the new conflicts' ids."""
        if not applied and not conflicts:
            return []

        def work():
            self._lock_package(package_id)  # a check-in of the same package at the same time books nothing twice
            done = self.feature_checkins(package_id, target)[0]
            batch = self.new_batch(actor, "checkin", tr("{} features of field package {}").format(
                len(applied) + len(conflicts), package_id), 0)
            for change, code, version in applied:
                if change not in done:
                    self._sql("INSERT INTO checkins(change, package, code, version, batch, target) "
                              "VALUES(?,?,?,?,?,?)", (change, package_id, code, canonical_json(version), batch, target))
            return [self._sql("INSERT INTO conflicts(package, change, code, kind, registry_version, package_version, "
                              "batch, target) VALUES(?,?,?,'feature',?,?,?,?)",
                              (package_id, change, code, canonical_json(theirs), canonical_json(ours), batch,
                               target), "id")
                    for change, code, theirs, ours in conflicts if change not in done]
        return self.run_transaction(work)

    def _check_in_blocks(self, package_id: str, new: Sequence[FieldChange]):
        """Refuse the check-in when a code issued offline is not one its package could issue."""
        blocks = {(b.profile, b.division, b.year): b for b in self.blocks(package_id)}
        bad = []
        for change in new:
            v = change.version
            try:
                profile = load_profile(v["profile"])
                year = int(profile.sequence_year(int(v["year"])))
                block = blocks.get((v["profile"], v["division"], year))
                ok = block is not None and block.first <= int(v["seq"]) <= block.last and profile.compose(
                    v["division"], int(v["year"]), int(v["seq"]), v.get("unit"),
                    profile.parse(change.code).get("kind")) == change.code
            except (ValueError, KeyError, TypeError):
                ok = False
            if ok and self.get(change.code) is not None:
                ok = False  # only this package issues from its blocks: the code cannot be there already
            if not ok:
                bad.append(change.code)
        if bad:
            raise RegistryError(tr("The package holds {} codes that lie outside the blocks reserved for it in this "
                                   "registry (e.g. {}); it was changed outside CityCode or belongs to another "
                                   "registry. Nothing was checked in.").format(len(bad), ", ".join(bad[:3])))

    def _apply_version(self, rec: CodeRecord, version: Dict, batch: int, detail: Dict) -> tuple:
        """Give a code the name/attrs of `version` and retire it when `version` is retired (a retired code
        never becomes active again); audited. Returns (updated, retired)."""
        updated = (rec.name, rec.attrs) != (version.get("name"), version.get("attrs") or {})
        if updated:
            self._set_descriptive(rec.code, version.get("name"),
                                  json.dumps(version.get("attrs") or {}, ensure_ascii=False))
            self._audit(batch, rec.code, "update", dict(detail, name=[rec.name, version.get("name")],
                                                         attrs=[rec.attrs, version.get("attrs") or {}]))
        retired = version.get("status") == "retired" and rec.status == "active"
        if retired:
            self._retire(rec, batch, (detail.get("field") or {}).get("reason") or "field package")
        return int(updated), int(retired)

    def _insert_code(self, v: Dict, batch: int) -> None:
        self._sql("INSERT INTO codes(code, profile, division, year, seq, unit, identity, status, name, attrs, batch) "
                  "VALUES(?,?,?,?,?,?,?,?,?,?,?)",
                  (v["code"], v["profile"], v["division"], int(v["year"]), int(v["seq"]), v.get("unit"),
                   v.get("identity"), v.get("status") or "active", v.get("name"),
                   json.dumps(v["attrs"], ensure_ascii=False) if v.get("attrs") else None, batch))

    def snapshot(self, divisions: Sequence[str], codes: Sequence[str] = ()) -> Dict[str, List[tuple]]:
        """The rows of the codes of `divisions` and of `codes` (all profiles and states) with their batches,
        audit and lineage, for a field package: {table: rows}; times as ISO text, attrs as JSON text."""
        columns = "SELECT code, profile, division, year, seq, unit, identity, status, name, attrs, batch FROM codes "
        rows = {r[0]: r for r in self._in(columns + "WHERE division IN ({})", sorted(set(map(str, divisions))))}
        rows.update((r[0], r) for r in self._in(columns + "WHERE code IN ({})", sorted(set(codes) - set(rows))))
        code_list = sorted(rows)
        audit = sorted(set(self._in("SELECT id, batch, code, action, detail FROM audit WHERE code IN ({})",
                                    code_list)))
        lineage = sorted(set(self._in("SELECT parent, child, op, batch FROM lineage WHERE child IN ({0}) "
                                      "OR parent IN ({0})", code_list, 2)))
        batches = self._in("SELECT id, at, actor, action, note, count FROM batches WHERE id IN ({})",
                           sorted({r[10] for r in rows.values()} | {r[1] for r in audit} | {r[3] for r in lineage}))
        return {"codes": [r[:9] + (canonical_json(r[9]) if isinstance(r[9], dict) else r[9], r[10])
                          for r in (rows[c] for c in code_list)],
                "audit": audit, "lineage": lineage,
                "batches": sorted((r[0], _when(r[1])) + tuple(r[2:]) for r in batches)}

    def records(self, codes) -> Dict:
        """The records of many codes at once, a few hundred to a query (see Registry.records)."""
        rows = self._in(self._COLUMNS + "WHERE c.code IN ({})", [str(c).strip().upper() for c in codes])
        return {rec.code: rec for rec in map(self._record, rows)}

    def inactive(self, codes, part: int = 50_000) -> set:
        """The codes among `codes` that are not active (retired, or not in the registry), `part` at a time in code
        order: the active codes between the first and last of each part in one range of the primary key (an
        old layer's codes are most of that range), else asked a few hundred at a time. The active ones, nearly
        all, are never held at once."""
        codes = sorted(set(map(str, codes)))
        out = set()
        for k in range(0, len(codes), part):
            asked = codes[k:k + part]
            span = (asked[0], asked[-1])
            if self._sql("SELECT count(*) FROM codes WHERE code BETWEEN ? AND ?", span, "one")[0] <= 2 * len(asked):
                rows = self._sql("SELECT code FROM codes WHERE code BETWEEN ? AND ? AND status='active'", span, "all")
            else:
                rows = self._in("SELECT code FROM codes WHERE status='active' AND code IN ({})", asked)
            active = {r[0] for r in rows}
            out.update(c for c in asked if c not in active)
        return out

    def _in(self, statement: str, values: List, repeat: int = 1, size: int = 500) -> List[tuple]:
        """Rows of `statement` whose IN ({}) lists take `values`, a few hundred at a time."""
        out = []
        for i in range(0, len(values), size):
            part = list(values[i:i + size])
            out += [tuple(r) for r in self._sql(statement.format(",".join("?" * len(part))), part * repeat, "all")]
        return out

    # Storage steps (inside the transaction `run_transaction` opens).
    @abstractmethod
    def _sql(self, statement: str, args=(), fetch: str = ""):
        """One statement with ? placeholders; fetch "all", "one", or "id" (the new row's id column)."""

    @abstractmethod
    def _lock_last_seqs(self, profile: str, keys: List[tuple]) -> Dict[tuple, int]:
        """Last sequence per (division, year), locked for the transaction as issuing locks it."""

    @abstractmethod
    def _set_last_seqs(self, profile: str, keys: List[tuple], top: List[int]) -> None:
        """Move the sequences of (division, year) `keys` forward to `top` (never back)."""

    def _lock_codes(self, codes: Sequence[str]) -> None:
        """Lock these code rows for the transaction (a backend whose transactions exclude each other skips it)."""

    def _lock_package(self, package_id: str) -> None:
        """Serialize check-ins of one package (likewise)."""
