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
from abc import ABC, abstractmethod
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Dict, Iterator, List, Optional, Sequence

import numpy as np

from .i18n import tr
from .profiles import CodeProfile, load_profile


class RegistryError(Exception):
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
               exhausted: np.ndarray):
        """Sequences after `last` (one per group) in order; codes composed into `code`, rows past the
        profile's limit flagged in `exhausted`. Returns (idx, division, year, sequence, unit) of the coded rows."""
        rank = np.arange(len(self.d)) - np.repeat(self.starts, self.group_len)
        seq = np.repeat(last, self.group_len) + rank + 1
        ok = seq <= profile.sequence_limit
        exhausted[self.idx[~ok]] = True
        idx, d, y, seq = self.idx[ok], self.d[ok], self.y[ok], seq[ok]
        unit = None if request.unit is None else np.asarray(request.unit)[idx]
        kind = None if request.kind is None else np.asarray(request.kind)[idx]
        code[idx] = profile.compose_many(d, y, seq, unit, kind).astype("U").tolist()
        return idx, d, y, seq, unit

    def top(self, profile: CodeProfile, last: np.ndarray) -> List[int]:
        """The highest sequence reached per group (capped at the limit: exhausted groups stay exhausted)."""
        return np.minimum(last + self.group_len, profile.sequence_limit).tolist()


def group_rows(request: IssueRequest, rows: np.ndarray, division: np.ndarray, year: np.ndarray) -> Numbered:
    """`rows` of a request sorted by division, year and `order`, with their division + year groups."""
    d, y, o = division[rows].astype("S"), year[rows], np.asarray(request.order)[rows]
    sort = np.lexsort((o, y, d))
    d, y = d[sort], y[sort]
    starts = np.flatnonzero(np.r_[True, (d[1:] != d[:-1]) | (y[1:] != y[:-1])])
    return Numbered(d, y, rows[sort], starts, np.diff(np.r_[starts, len(d)]),
                    [(d[s].decode(), int(y[s])) for s in starts])


def default_actor() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (e.g. a service): still record something
        return "unknown"


class Registry(ABC):
    """Interface shared by all registry backends."""

    def issue(self, profile: CodeProfile, request: IssueRequest, actor: str, note: str = "") -> IssueResult:
        """Codes for the request: existing ones by identity, new ones allocated in one transaction."""
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
            return IssueResult(code=code, is_new=is_new, exhausted=exhausted, batch=batch)
        return self._run(work)

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
    def _batch(self, actor: str, action: str, note: str, count: int) -> int:
        """A new batch row; returns its id."""

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
                raise RegistryError(tr("The sequence of division {} in {} is used up").format(division, year))
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


def open_registry(uri: str) -> Registry:
    """The registry behind `uri`: a file path (SQLite), or a PostgreSQL location (postgresql://…,
    service=…, qgis:<QGIS connection name>; see pg_connection)."""
    if not uri:
        raise RegistryError(tr("No registry location was given"))
    from .pg_connection import is_postgres_location
    if is_postgres_location(uri):
        from .registry_postgres import PostgresRegistry
        return PostgresRegistry(uri)
    from .registry_sqlite import SQLiteRegistry
    return SQLiteRegistry(uri)
