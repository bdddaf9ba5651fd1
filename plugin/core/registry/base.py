"""The code registry: the one place that issues codes.

Its promises, whatever the backend:
  * every allocation is one transaction: all codes of a batch are issued, or none;
  * a code once issued is never issued again, also after it is retired (sequences only move forward);
  * asking again for the same identity returns its existing active code instead of a new one;
  * retire, split and merge keep lineage; every change records who, when and what (the audit log).

Callers use `open_registry(uri)` (backends.py) and the `Registry` methods only; this module knows no backend.
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
            batch = self.new_batch(actor, "issue", note, 0)
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
        return self.run_transaction(work)

    def _before_alongside(self) -> None:
        """Room for the caller's work: e.g. let go of cache memory the batch no longer needs."""

    def exhausted_message(self, profile: CodeProfile, division: str, year: int) -> str:
        """What to tell the user when the sequence of a division + year ran out (year as filed)."""
        return tr("The sequence of division {} in {} is used up").format(division, year)

    @abstractmethod
    def get(self, code: str) -> Optional[CodeRecord]:
        """The record of a code (active or retired), or None."""

    @abstractmethod
    def inactive(self, codes: Sequence[str]) -> set:
        """The codes among `codes` that are not active: retired, or not in the registry."""

    @abstractmethod
    def records(self, codes: Sequence[str]) -> Dict[str, CodeRecord]:
        """The records of many codes at once ({code: record}; codes not in the registry are left out)."""

    @abstractmethod
    def find(self, text: str, limit: int = 20) -> List[CodeRecord]:
        """Codes or names containing `text`, active first."""

    # -- changes after issuing: the same logic for every backend, over the storage steps below ----------
    def update(self, code: str, actor: str, name: Optional[str] = None, attrs: Optional[Dict] = None) -> None:
        """Edit the descriptive fields of an active code (name, linked codes ...)."""
        def work():
            rec = self._active(code)
            new_attrs = dict(rec.attrs, **(attrs or {}))
            batch = self.new_batch(actor, "update", "", 1)
            self._set_descriptive(rec.code, rec.name if name is None else name,
                                  json.dumps(new_attrs, ensure_ascii=False))
            self._audit(batch, rec.code, "update", {"name": [rec.name, name], "attrs": [rec.attrs, new_attrs]})
        self.run_transaction(work)

    def update_many(self, attrs: Dict[str, Dict], actor: str, note: str = "") -> int:
        """update() of the attributes of many active codes in one batch ({code: attributes to set}), a few
        statements for all of them; a code that is not active refuses the whole batch. Returns how many."""
        attrs = {str(c).strip().upper(): v for c, v in attrs.items()}

        def work():
            recs = self.records(list(attrs))
            for code in attrs:
                if code not in recs or recs[code].status != "active":
                    self._active(code)  # says why (not in the registry, or retired)
            batch = self.new_batch(actor, "update", note, len(attrs))
            rows, audits = [], []
            for code, extra in attrs.items():
                rec = recs[code]
                new_attrs = dict(rec.attrs, **extra)
                rows.append((rec.code, rec.name, json.dumps(new_attrs, ensure_ascii=False)))
                audits.append((rec.code, "update", {"name": [rec.name, rec.name], "attrs": [rec.attrs, new_attrs]}))
            self._set_descriptive_rows(rows)
            self._audit_rows(batch, audits)
            return len(rows)
        return self.run_transaction(work)

    def retire(self, code: str, actor: str, reason: str = "") -> None:
        """Retire a code; it stays in the registry and is never issued again."""
        def work():
            rec = self._active(code)
            self._retire(rec, self.new_batch(actor, "retire", reason, 1), reason)
        self.run_transaction(work)

    def split(self, code: str, identities: Sequence[str], actor: str, year: Optional[int] = None) -> List[str]:
        """Retire `code` and issue one new code per identity in its division; lineage parent -> children."""
        if len(identities) < 2:
            raise RegistryError(tr("A split needs at least two parts"))

        def work():
            rec = self._active(code)
            profile = load_profile(rec.profile)
            batch = self.new_batch(actor, "split", rec.code, len(identities))
            self._retire(rec, batch, "split")
            children = []
            for ident in identities:
                child = self._issue_one(profile, ident, rec.division, year or rec.year, batch,
                                        profile.parse(rec.code).get("kind"))
                self._link(rec.code, child, "split", batch)
                self._audit(batch, child, "split_from", {"parent": rec.code})
                children.append(child)
            return children
        return self.run_transaction(work)

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
            batch = self.new_batch(actor, "merge", ",".join(r.code for r in recs), len(recs))
            for r in recs:
                self._retire(r, batch, "merge")
            profile = load_profile(recs[0].profile)
            child = self._issue_one(profile, identity, division or recs[0].division, year or recs[0].year, batch,
                                    profile.parse(recs[0].code).get("kind"))
            for r in recs:
                self._link(r.code, child, "merge", batch)
            self._audit(batch, child, "merged_from", {"parents": [r.code for r in recs]})
            return child
        return self.run_transaction(work)

    def adopt_identities(self, profile: CodeProfile, old: Sequence[str], new: Sequence[str], actor: str,
                         note: str = "") -> int:
        """Give the active codes of identities `old` the identities `new` (a dataset taking over the codes
        issued under its layer name, see datasets.py); one batch row records it. Returns how many moved."""
        def work():
            batch = self.new_batch(actor, "adopt", note, 0)
            moved = self._rename_identities(profile.name, list(old), list(new))
            self._set_batch_count(batch, moved)
            return moved
        return self.run_transaction(work)

    def retire_many(self, codes: Sequence[str], actor: str, reason: str = "", batch: Optional[int] = None) -> int:
        """Retire active `codes` all at once (a vintage update, a big job): one batch row for them all, or the
        `batch` of the caller's open transaction; a code not active refuses them all. Returns how many."""
        codes = list(dict.fromkeys(str(c).strip().upper() for c in codes))
        if not codes:
            return 0

        def work():
            retired = set(self._retire_rows(codes, self.new_batch(actor, "retire", reason, len(codes))
                                            if batch is None else batch, reason))
            for code in codes:
                if code not in retired:
                    self._active(code)  # says that it is missing or not active
            return len(retired)
        return self.run_transaction(work)

    def record_lineage(self, rows: Sequence[tuple], batch: int) -> int:
        """Lineage rows (parent, child, op: "split" or "merge") of `batch` and each child's audit row (split_from
        its parent, merged_from its parents, as split and merge write them), all at once in the caller's open
        transaction (see `new_batch`). Returns how many lineage rows."""
        rows = [(str(p), str(c), str(op), int(batch)) for p, c, op in rows]
        parents: Dict[tuple, List[str]] = {}
        for p, c, op, _ in rows:
            parents.setdefault((c, op), []).append(p)
        audits = [(c, "split_from", {"parent": ps[0]}) if op == "split" else (c, "merged_from", {"parents": ps})
                  for (c, op), ps in parents.items()]

        def work():
            self._link_rows(rows)
            self._audit_rows(int(batch), audits)
        if rows:
            self.run_transaction(work)
        return len(rows)

    # Steps for callers that compose their own transactions (the in-database twin, the vintage update).
    @abstractmethod
    def run_transaction(self, work):
        """work() in one write transaction (a savepoint inside an open one); rolled back on any error."""

    @abstractmethod
    def new_batch(self, actor: str, action: str, note: str, count: int, at: Optional[str] = None) -> int:
        """A new batch row (at: when it happened, if not now, e.g. offline); returns its id."""

    def _retire(self, rec: CodeRecord, batch: int, reason: str):
        self._set_retired(rec.code)
        self._audit(batch, rec.code, "retire", {"reason": reason})

    def _link(self, parent: str, child: str, op: str, batch: int) -> None:
        self._link_rows([(parent, child, op, batch)])

    # Storage steps each backend provides (inside the transaction `run_transaction` opens).
    @abstractmethod
    def _active(self, code: str) -> CodeRecord:
        """The record of an active code (locked for the transaction where the backend can), else RegistryError."""

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

    def _audit(self, batch: int, code: str, action: str, detail: Dict) -> None:
        """An audit row for a change to `code`."""
        self._audit_rows(batch, [(code, action, detail)])

    @abstractmethod
    def _audit_rows(self, batch: int, rows: List[tuple]) -> None:
        """Audit rows (code, action, detail) of one batch."""

    @abstractmethod
    def _issue_one(self, profile: CodeProfile, identity: str, division: str, year: int, batch: int,
                   kind: Optional[str] = None) -> str:
        """One new code in `batch` (an identity with an active code already is refused)."""

    def _set_descriptive(self, code: str, name: Optional[str], attrs_json: str) -> None:
        """Store a code's name and attributes (JSON text)."""
        self._set_descriptive_rows([(code, name, attrs_json)])

    @abstractmethod
    def _set_descriptive_rows(self, rows: List[tuple]) -> None:
        """Store names and attributes: rows of (code, name, attributes as JSON text)."""

    @abstractmethod
    def _set_retired(self, code: str) -> None:
        """Mark a code retired."""

    @abstractmethod
    def _link_rows(self, rows: List[tuple]) -> None:
        """Lineage rows (parent, child, op, batch)."""

    @abstractmethod
    def _retire_rows(self, codes: List[str], batch: int, reason: str) -> List[str]:
        """Retire those of `codes` that are active, each with its audit row; returns those."""

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
