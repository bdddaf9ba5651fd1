"""The code registry: the one place that issues codes.

Its promises, whatever the backend:
  * every allocation is one transaction: all codes of a batch are issued, or none;
  * a code once issued is never issued again, also after it is retired (sequences only move forward);
  * asking again for the same identity returns its existing active code instead of a new one;
  * retire, split and merge keep lineage; every change records who, when and what (the audit log).

Callers use `open_registry(uri)` and the `Registry` methods only, so a PostgreSQL backend can be added
beside the embedded SQLite one without touching them.
"""
import getpass
import json
import os
from abc import ABC, abstractmethod
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Callable, Dict, Iterator, List, Optional, Sequence

import numpy as np

from ..i18n import tr
from ..codes.profiles import CodeProfile, load_profile
from ..exceptions import CityCodeError


class RegistryError(CityCodeError):
    """A registry operation that was refused; nothing was changed."""


@dataclass
class IssueRequest:
    """N features asking for codes of one profile (arrays of equal length).

    identity: stable key of each feature (id field value or geometry fingerprint);
    order: sort key for sequence numbers inside a division+year (e.g. the id), so runs are reproducible.
    """
    identity: np.ndarray
    division: np.ndarray
    year: np.ndarray
    order: np.ndarray
    unit: Optional[np.ndarray] = None
    name: Optional[Sequence] = None
    kind: Optional[np.ndarray] = None   # for profiles with a kind segment (None: its default)


@dataclass
class IssueResult:
    code: np.ndarray          # object array of str, None where no code could be issued
    is_new: np.ndarray        # bool
    exhausted: np.ndarray     # bool: the division+year sequence ran out
    batch: int = 0
    messages: List[str] = field(default_factory=list)  # what ran out, one sentence per division + year


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
class Issued:
    """One code from `Registry.pending_issue`: new, or the identity's existing active code."""
    code: str
    is_new: bool


@dataclass
class CodeRecord:
    code: str
    profile: str
    division: str
    year: int
    sequence: int
    unit: str
    identity: Optional[str]
    status: str
    name: Optional[str]
    attrs: Dict = field(default_factory=dict)
    created_at: str = ""
    created_by: str = ""


@dataclass
class Numbered:
    """Rows of one batch put in sequence order, grouped by division + year (see `group_rows`)."""
    d: np.ndarray           # division per row (bytes: they sort faster)
    y: np.ndarray           # year the sequence is filed under
    idx: np.ndarray         # the request row of each
    starts: np.ndarray      # first row of each group
    group_len: np.ndarray
    keys: List[tuple]       # (division, year) of each group

    def number(self, profile: CodeProfile, request: IssueRequest, last: np.ndarray, code: np.ndarray,
               exhausted: np.ndarray, limit: Optional[np.ndarray] = None):
        """Sequences after `last` (one per group) in order; codes composed into `code`, rows past the
        limit (per group; default the profile's) flagged in `exhausted`. Returns (idx, division, year,
        sequence, unit) of the coded rows."""
        rank = np.arange(len(self.d)) - np.repeat(self.starts, self.group_len)
        seq = np.repeat(last, self.group_len) + rank + 1
        ok = seq <= (profile.sequence_limit if limit is None else np.repeat(limit, self.group_len))
        exhausted[self.idx[~ok]] = True
        idx, d, y, seq = self.idx[ok], self.d[ok], self.y[ok], seq[ok]
        unit = None if request.unit is None else np.asarray(request.unit)[idx]
        kind = None if request.kind is None else np.asarray(request.kind)[idx]
        code[idx] = profile.compose_many(d, y, seq, unit, kind).astype("U").tolist()
        return idx, d, y, seq, unit

    def top(self, profile: CodeProfile, last: np.ndarray, limit: Optional[np.ndarray] = None) -> List[int]:
        """The highest sequence reached per group (capped at the limit: exhausted groups stay exhausted)."""
        return np.minimum(last + self.group_len, profile.sequence_limit if limit is None else limit).tolist()


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
    target: Optional[str] = None  # feature: the layer it is written to (see field_package.resolve_conflict)


@dataclass
class FieldChange:
    """A change a field package brings back (made by field_package.read_changes)."""
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


def _dumps(value) -> Optional[str]:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def _when(value) -> str:
    return value if isinstance(value, str) else value.astimezone().isoformat(timespec="seconds")


def group_rows(request: IssueRequest, rows: np.ndarray, division: np.ndarray, year: np.ndarray) -> Numbered:
    """`rows` of a request sorted by division, year and `order`, with their division + year groups."""
    d, y, o = division[rows].astype("S"), year[rows], np.asarray(request.order)[rows]
    sort = np.lexsort((o, y, d))
    d, y = d[sort], y[sort]
    starts = np.flatnonzero(np.r_[True, (d[1:] != d[:-1]) | (y[1:] != y[:-1])])
    return Numbered(d, y, rows[sort], starts, np.diff(np.r_[starts, len(d)]),
                    [(d[s].decode(), int(y[s])) for s in starts])


def find_codes(codes_containing, names_containing, limit: int) -> List[str]:
    """The codes `find` returns, active first, then by code: the first `limit` matches of a code's text in code
    order (a backend reads its primary key in order and stops there: no index serves a substring) are the
    answer unless a retired code is among them, then the code matches are ranked whole; name matches join.
    codes_containing(ranked) and names_containing() give (code, status) rows, at most `limit`."""
    codes = codes_containing(False)
    if len(codes) >= limit and any(status != "active" for _, status in codes):
        codes = codes_containing(True)
    found = sorted(set(map(tuple, codes)) | set(map(tuple, names_containing())), key=lambda r: (r[1] != "active", r[0]))
    return [code for code, _ in found[:limit]]


def default_actor() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (e.g. a service): still record something
        return "unknown"


WAIT_SETTING = "citycode/registry_wait"  # seconds a job waits for a registry another job is writing
WAIT_ENV = "CITYCODE_REGISTRY_WAIT"       # the same, for qgis_process and scripts (wins over the setting)
DEFAULT_WAIT = 600.0


def wait_limit() -> float:
    """How long to wait for a registry that another job is writing before giving up (seconds):
    $CITYCODE_REGISTRY_WAIT, else the QGIS setting citycode/registry_wait, else 10 minutes."""
    value = os.environ.get(WAIT_ENV)
    if value is None:
        try:
            from qgis.core import QgsSettings
            value = QgsSettings().value(WAIT_SETTING, None)
        except ImportError:
            value = None
    try:
        return max(0.0, float(value)) if value not in (None, "") else DEFAULT_WAIT
    except (TypeError, ValueError):
        return DEFAULT_WAIT


class Registry(ABC):
    """Interface shared by all registry backends.

    on_wait(holder, waited): called about twice a second while a write waits for another writer (holder: who,
    as far as known; waited: seconds); it may raise to give up (e.g. the user canceled). job: a few words on
    what this process is doing, shown to the others while it writes; wait_limit: seconds before giving up."""
    on_wait: Optional[Callable[[str, float], None]] = None
    job: str = ""
    wait_limit: float = DEFAULT_WAIT

    def issue(self, profile: CodeProfile, request: IssueRequest, actor: str, note: str = "",
              alongside: Optional[Callable[[IssueResult], None]] = None) -> IssueResult:
        """Codes for the request: existing ones by identity, new ones allocated in one transaction.

        alongside(result): work to do once the codes are stored, before the batch commits: the batch commits only
        if it succeeds, so codes and that work stand or fall together. Keep it short: every other writer waits
        meanwhile (the engine writes its output after the commit instead; a re-run finds the codes)."""
        n = len(request.identity)
        identity = np.array([None if i is None else str(i) for i in request.identity], dtype=object)
        if len(set(identity.tolist())) != n:
            raise RegistryError(tr("The request names the same identity more than once; nothing was issued"))
        division = np.asarray(request.division).astype("U")
        year = profile.sequence_year(np.asarray(request.year, dtype=np.int64))

        def work():
            existing = self._existing(profile.name, identity)
            code = np.array([existing.get(i) for i in identity], dtype=object) if existing \
                else np.full(n, None, dtype=object)
            new = np.flatnonzero(code == None)  # noqa: E711 (element-wise)
            exhausted = np.zeros(n, dtype=bool)
            batch = self._batch(actor, "issue", note, 0)
            if len(new):
                new = self._allocate(profile, request, identity, new, division, year, code, exhausted, batch)
            issued = code[new] != None  # noqa: E711
            self._set_batch_count(batch, int(issued.sum()))
            is_new = np.zeros(n, dtype=bool)
            is_new[new] = issued
            used_up = sorted({(division[i], int(year[i])) for i in np.flatnonzero(exhausted)})
            result = IssueResult(code=code, is_new=is_new, exhausted=exhausted, batch=batch,
                                 messages=[self.exhausted_message(profile, d, y) for d, y in used_up])
            if alongside:
                self._before_alongside()
                alongside(result)
            return result
        return self._run(work)

    def _before_alongside(self) -> None:
        """Room for the caller's work: e.g. let go of cache memory the batch no longer needs."""

    def exhausted_message(self, profile: CodeProfile, division: str, year: int) -> str:
        """What to tell the user when the sequence of a division + year ran out (year as filed)."""
        return tr("The sequence of division {} in {} is used up").format(division, year)

    @abstractmethod
    def get(self, code: str) -> Optional[CodeRecord]:
        """The record of a code (active or retired), or None."""

    @abstractmethod
    def find(self, text: str, limit: int = 20) -> List[CodeRecord]:
        """Codes or names containing `text`, active first."""

    # -- changes after issuing: the same logic for every backend, over the storage steps below ----------
    def update(self, code: str, actor: str, name: Optional[str] = None, attrs: Optional[Dict] = None) -> None:
        """Edit the descriptive fields of an active code (name, linked codes ...)."""
        def work():
            rec = self._active(code)
            new_attrs = dict(rec.attrs, **(attrs or {}))
            batch = self._batch(actor, "update", "", 1)
            self._set_descriptive(rec.code, rec.name if name is None else name,
                                  json.dumps(new_attrs, ensure_ascii=False))
            self._audit(batch, rec.code, "update", {"name": [rec.name, name], "attrs": [rec.attrs, new_attrs]})
        self._run(work)

    def retire(self, code: str, actor: str, reason: str = "") -> None:
        """Retire a code; it stays in the registry and is never issued again."""
        def work():
            rec = self._active(code)
            self._retire(rec, self._batch(actor, "retire", reason, 1), reason)
        self._run(work)

    def split(self, code: str, identities: Sequence[str], actor: str, year: Optional[int] = None) -> List[str]:
        """Retire `code` and issue one new code per identity in its division; lineage parent -> children."""
        if len(identities) < 2:
            raise RegistryError(tr("A split needs at least two parts"))

        def work():
            rec = self._active(code)
            profile = load_profile(rec.profile)
            batch = self._batch(actor, "split", rec.code, len(identities))
            self._retire(rec, batch, "split")
            children = []
            for ident in identities:
                child = self._issue_one(profile, ident, rec.division, year or rec.year, batch,
                                        profile.parse(rec.code).get("kind"))
                self._link(rec.code, child, "split", batch)
                self._audit(batch, child, "split_from", {"parent": rec.code})
                children.append(child)
            return children
        return self._run(work)

    def merge(self, codes: Sequence[str], identity: str, actor: str, division: Optional[str] = None,
              year: Optional[int] = None) -> str:
        """Retire `codes` and issue one new code (in the first code's division unless given)."""
        codes = list(dict.fromkeys(codes))
        if len(codes) < 2:
            raise RegistryError(tr("A merge needs at least two codes"))

        def work():
            locked = {c: self._active(c) for c in sorted(codes)}  # sorted: two merges never deadlock
            recs = [locked[c] for c in codes]
            if len({r.profile for r in recs}) > 1:
                raise RegistryError(tr("Codes of different kinds cannot be merged"))
            batch = self._batch(actor, "merge", ",".join(r.code for r in recs), len(recs))
            for r in recs:
                self._retire(r, batch, "merge")
            profile = load_profile(recs[0].profile)
            child = self._issue_one(profile, identity, division or recs[0].division, year or recs[0].year, batch,
                                    profile.parse(recs[0].code).get("kind"))
            for r in recs:
                self._link(r.code, child, "merge", batch)
            self._audit(batch, child, "merged_from", {"parents": [r.code for r in recs]})
            return child
        return self._run(work)

    def adopt_identities(self, profile: CodeProfile, old: Sequence[str], new: Sequence[str], actor: str,
                         note: str = "") -> int:
        """Give the active codes of identities `old` the identities `new` (a dataset taking over the codes
        issued under its layer name, see datasets.py); one batch row records it. Returns how many moved."""
        def work():
            batch = self._batch(actor, "adopt", note, 0)
            moved = self._rename_identities(profile.name, list(old), list(new))
            self._set_batch_count(batch, moved)
            return moved
        return self._run(work)

    def _retire(self, rec: CodeRecord, batch: int, reason: str):
        self._set_retired(rec.code)
        self._audit(batch, rec.code, "retire", {"reason": reason})

    # Storage steps each backend provides (inside the transaction `_run` opens).
    @abstractmethod
    def _run(self, work):
        """work() in one write transaction; rolled back on any error."""

    @abstractmethod
    def _active(self, code: str) -> CodeRecord:
        """The record of an active code (locked for the transaction where the backend can), else RegistryError."""

    @abstractmethod
    def _batch(self, actor: str, action: str, note: str, count: int, at: Optional[str] = None) -> int:
        """A new batch row (at: when it happened, if not now, e.g. offline); returns its id."""

    @abstractmethod
    def _set_batch_count(self, batch: int, count: int) -> None:
        """How many codes a batch issued, once known."""

    @abstractmethod
    def _existing(self, profile: str, identity: np.ndarray) -> Dict[str, str]:
        """{identity: active code} for those of `identity` that have one."""

    @abstractmethod
    def _allocate(self, profile: CodeProfile, request: IssueRequest, identity: np.ndarray, new: np.ndarray,
                  division: np.ndarray, year: np.ndarray, code: np.ndarray, exhausted: np.ndarray,
                  batch: int) -> np.ndarray:
        """New codes for the rows `new` (written into `code`, used-up sequences into `exhausted`); returns
        the rows this batch issued or found exhausted."""

    @abstractmethod
    def _rename_identities(self, profile: str, old: List[str], new: List[str]) -> int:
        """Active codes of identities `old` get `new` (pairwise); returns how many rows changed."""

    @abstractmethod
    def _audit(self, batch: int, code: str, action: str, detail: Dict) -> None:
        """An audit row for a change to `code`."""

    @abstractmethod
    def _issue_one(self, profile: CodeProfile, identity: str, division: str, year: int, batch: int,
                   kind: Optional[str] = None) -> str:
        """One new code in `batch` (an identity with an active code already is refused)."""

    @abstractmethod
    def _set_descriptive(self, code: str, name: Optional[str], attrs_json: str) -> None:
        """Store a code's name and attributes (JSON text)."""

    @abstractmethod
    def _set_retired(self, code: str) -> None:
        """Mark a code retired."""

    @abstractmethod
    def _link(self, parent: str, child: str, op: str, batch: int) -> None:
        """A lineage row parent -> child."""

    @abstractmethod
    def history(self, code: str) -> List[Dict]:
        """Audit log entries of a code, oldest first: at, actor, action, detail."""

    @abstractmethod
    def lineage(self, code: str) -> Dict[str, List[str]]:
        """{'parents': [...], 'children': [...]} of a code."""

    @abstractmethod
    def preview(self, profile: CodeProfile, division: str, year: int, unit: Optional[str] = None,
                kind: Optional[str] = None) -> str:
        """The code the next issue for this division + year would get; nothing is written or reserved."""

    @abstractmethod
    def active_code(self, profile: str, identity: str) -> Optional[str]:
        """The active code of an identity (issuing for it would return this code), or None."""

    @abstractmethod
    def pending(self):
        """Context manager: every change made inside is committed at its end, all together, or rolled back
        when the block raises. Blocks nest (an inner block that raises undoes only its own changes)."""

    @contextmanager
    def pending_issue(self, profile: CodeProfile, identity: str, division: str, year: int, actor: str,
                      unit: Optional[str] = None, name: Optional[str] = None, attrs: Optional[Dict] = None,
                      note: str = "", kind: Optional[str] = None) -> Iterator[Issued]:
        """Issue one code (or find the identity's active one) and store name/attrs with it, committed only
        when the block succeeds: write the code to the layer inside the block, and when that fails, raise
        and the registry is as it was."""
        with self.pending():
            result = self.issue(profile, IssueRequest(
                identity=np.array([identity], dtype=object), division=np.array([str(division)]),
                year=np.array([int(year)]), order=np.array([0]),
                unit=None if unit in (None, "") else np.array([str(unit)]), name=[name],
                kind=None if kind in (None, "") else np.array([str(kind)])), actor, note)
            if result.exhausted[0]:
                raise RegistryError(result.messages[0])
            issued = Issued(code=result.code[0], is_new=bool(result.is_new[0]))
            if attrs or (name is not None and not issued.is_new):
                self.update(issued.code, actor, name=name, attrs=attrs)
            yield issued

    # -- field packages: reserved blocks, check-in, conflicts (see field_package.py) -----------------------
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
            batch = self._batch(actor, "reserve", package_id, size * len(keys))
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
        return self._run(work)

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
        transaction (field_package.resolve_conflict does that); it raises to leave the conflict open."""
        if choice not in ("registry", "package"):
            raise RegistryError(tr("Choose 'registry' or 'package' to resolve a conflict"))

        def work():
            batch = self._batch(actor, "resolve", "conflict {}: {}".format(conflict_id, choice), 1)
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
                          (change, package, code, _dumps({"key": kept.get("key")}), batch, target))
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
                      (change, package, code, _dumps(_version(self.get(code))), batch))
        self._run(work)

    def apply_field_changes(self, package_id: str, changes: Sequence[FieldChange], actor: str) -> CheckInResult:
        """Merge what a field package changed (see field_package.read_changes), in one transaction.

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
                    state["batch"] = self._batch(actor, "checkin", package_id, 0)
                return state["batch"]

            def applied(change, version):
                self._sql("INSERT INTO checkins(change, package, code, version, batch) VALUES(?,?,?,?,?)",
                          (change.id, package_id, change.code, _dumps(version), checkin_batch()))

            def conflict(change, kind, theirs):
                cid = self._sql("INSERT INTO conflicts(package, change, code, kind, registry_version, package_version, "
                                "batch) VALUES(?,?,?,?,?,?,?)", (package_id, change.id, change.code, kind,
                                                                 _dumps(theirs), _dumps(change.version),
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
                    state["mirrored"][key] = [self._batch(key[1], key[2], tr("{} (field package {})").format(
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
        return self._run(work)

    def feature_checkins(self, package_id: str, target: str) -> tuple:
        """(ids of the package's feature changes applied or held as conflicts, {code: the version last written
        to `target` from the package}) for field_package.check_in."""
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
            batch = self._batch(actor, "checkin", tr("{} features of field package {}").format(
                len(applied) + len(conflicts), package_id), 0)
            for change, code, version in applied:
                if change not in done:
                    self._sql("INSERT INTO checkins(change, package, code, version, batch, target) "
                              "VALUES(?,?,?,?,?,?)", (change, package_id, code, _dumps(version), batch, target))
            return [self._sql("INSERT INTO conflicts(package, change, code, kind, registry_version, package_version, "
                              "batch, target) VALUES(?,?,?,'feature',?,?,?,?)",
                              (package_id, change, code, _dumps(theirs), _dumps(ours), batch, target), "id")
                    for change, code, theirs, ours in conflicts if change not in done]
        return self._run(work)

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
        return {"codes": [r[:9] + (_dumps(r[9]) if isinstance(r[9], dict) else r[9], r[10])
                          for r in (rows[c] for c in code_list)],
                "audit": audit, "lineage": lineage,
                "batches": sorted((r[0], _when(r[1])) + tuple(r[2:]) for r in batches)}

    def _in(self, statement: str, values: List, repeat: int = 1, size: int = 500) -> List[tuple]:
        """Rows of `statement` whose IN ({}) lists take `values`, a few hundred at a time."""
        out = []
        for i in range(0, len(values), size):
            part = list(values[i:i + size])
            out += [tuple(r) for r in self._sql(statement.format(",".join("?" * len(part))), part * repeat, "all")]
        return out

    # Storage steps of field packages (inside the transaction `_run` opens).
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

    @abstractmethod
    def close(self) -> None:
        """Release the connection."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def check_file_location(path: str) -> None:
    """Refuse a registry file location that reads as a mistyped connection rather than a path: text with "="
    and spaces that names no existing file and no folder (e.g. "host=… dbname=…" with a wrong keyword) would
    otherwise become a new registry file named after it."""
    if os.path.exists(path) or "=" not in path or not any(ch.isspace() for ch in path):
        return
    if os.sep in path or (os.altsep and os.altsep in path):
        return  # an explicit path, e.g. "/data/my registry=old.sqlite"
    raise RegistryError(tr("The registry location {} is neither a PostgreSQL connection (libpq key=value text "
                           "such as host=… port=… dbname=… user=…, postgresql://…, service=… or "
                           "qgis:<connection>) nor a registry file; for a file write its folder too (e.g. "
                           "./{}). Nothing was created.").format(path, path))


def open_registry(uri: str) -> Registry:
    """The registry behind `uri`: a file path (SQLite; a field package made by field_package.check_out
    issues only from its reserved blocks), or a PostgreSQL location (postgresql://…, service=…,
    qgis:<QGIS connection name>, host=… dbname=…; see pg_connection). A file is never made from text that
    reads as a connection."""
    if not uri or not uri.strip():
        raise RegistryError(tr("No registry location was given"))
    from .pg_connection import is_postgres_location
    if is_postgres_location(uri):
        from .postgres import PostgresRegistry
        return PostgresRegistry(uri)
    check_file_location(uri)
    from ..fieldwork.package import FieldPackageRegistry, is_field_package
    if is_field_package(uri):
        return FieldPackageRegistry(uri)
    from .sqlite import SQLiteRegistry
    return SQLiteRegistry(uri)
