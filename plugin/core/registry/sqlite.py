"""Embedded registry: one SQLite file beside the user's data (works offline, no server).

Tables: see sqlite_schema.py.
Busy: one writer at a time. A write waiting for another asks SQLite in short slices and in between tells
`on_wait` who holds the registry: each writer keeps a small file "<registry>.citycode-lock" (host, pid,
user, job, since) for as long as its transaction is open; after `wait_limit()` seconds it gives up.
A code's history is its issuing batch plus its audit rows, so a million-code batch writes a million
code rows and a single batch row instead of a million audit rows. `issue` checks identities inside its
write transaction, which keeps one active code per identity: a batch reads them all in one scan, a few
(the code form's one feature) are looked up in the partial index codes_identity (without it one
assignment read every code: 0.7 s at 1M codes).
"""
import errno
import itertools
import json
import os
import pathlib
import sqlite3
import time
from contextlib import contextmanager
from typing import Dict, List, Optional

import numpy as np

from ..i18n import tr
from ..codes.profiles import CodeProfile
from ..sqlite_bulk import insert_rows
from ..times import now
from .base import (
    CodeRecord,
    IssueRequest,
    IssueResult,
    Registry,
    RegistryError,
    check_file_location,
    find_codes,
    group_rows,
    wait_limit,
)
from .field_sync import FieldSync
from .sqlite_holder import HOLDER, hold, holder, let_go
from .sqlite_schema import ADDED_COLUMNS, IDENTITY_INDEX, SCHEMA, SCHEMA_VERSION

FEW_IDENTITIES = 500  # up to this many identities are looked up one by one, more are read in one scan
ROWS_PER_INSERT = 50  # rows of one INSERT statement of a batch (see sqlite_bulk.insert_rows)
SQLITE_MAGIC = b"SQLite format 3\x00"
WAIT_SLICE = 0.5  # s: SQLite's own busy wait between two looks at who holds the registry
SIDE_FILES = ("-wal", "-shm", "-journal", HOLDER)


def _literal(value) -> str:
    """An SQL literal for a text value (or NULL)."""
    return "NULL" if value is None else "'" + str(value).replace("'", "''") + "'"


def _ro_uri(path: str, immutable: bool = False) -> str:
    return pathlib.Path(path).resolve().as_uri() + ("?immutable=1" if immutable else "?mode=ro")


def read_only_connection(path: str, **kw) -> sqlite3.Connection:
    """A connection that cannot write `path`; a WAL file whose -shm cannot be made here (a folder we may not
    write) is read as it is."""
    try:
        con = sqlite3.connect(_ro_uri(path), uri=True, **kw)
        con.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError:
        con = sqlite3.connect(_ro_uri(path, immutable=True), uri=True, **kw)
        con.execute("SELECT count(*) FROM sqlite_master").fetchone()
    return con


def file_damage(path: str) -> Optional[str]:
    """Why an existing SQLite file (a registry, a GeoPackage) cannot be read, or None: not SQLite at all, or
    damaged. Read only; a file of 0 bytes is an empty database, not damage."""
    try:
        with open(path, "rb") as f:
            head = f.read(len(SQLITE_MAGIC))
    except OSError as e:
        return tr("{} cannot be read: {}").format(path, e.strerror or e)
    if head and head != SQLITE_MAGIC:
        return tr("{} is not a CityCode registry or GeoPackage (not an SQLite file: another kind of file, or "
                  "damaged beyond recognition). It was not changed.").format(path)
    try:
        read_only_connection(path).close()  # it reads the schema
    except sqlite3.DatabaseError as e:
        return tr("{} is damaged ({}); restore it from a backup. It was not changed.").format(path, e)
    return None


def input_damage(path: str) -> Optional[str]:
    """Why an existing GeoPackage / SQLite input cannot be read (see file_damage), or None; QGIS and OGR call
    such a file "not found" or give SQLite's words."""
    path = (path or "").split("|")[0]
    if not path.lower().endswith((".gpkg", ".sqlite", ".db")) or not os.path.isfile(path):
        return None
    return file_damage(path)


def _busy(e: Exception) -> bool:
    return isinstance(e, sqlite3.OperationalError) and ("locked" in str(e) or "busy" in str(e))


def disk_full(e: Exception) -> bool:
    """A write that failed because the disk (or the user's quota) is full: SQLite's words, or the OS error."""
    return getattr(e, "errno", None) in (errno.ENOSPC, errno.EDQUOT) or any(
        words in str(e) for words in ("disk is full", "No space left on device", "Disk quota exceeded"))


def no_space(folder: str) -> bool:
    """The file system of `folder` has no room left (SQLite may call that a "disk I/O error")."""
    try:
        st = os.statvfs(folder)
    except (OSError, AttributeError):  # (no statvfs on Windows)
        return False
    return st.f_bavail * st.f_frsize < 65536


class SQLiteRegistry(FieldSync, Registry):
    JOURNAL_MODE = "WAL"

    @classmethod
    def handles(cls, location: str) -> bool:
        return True  # every location no other backend takes is a file (see check_file_location)

    def __init__(self, path: str):
        check_file_location(path)
        self.path = path
        self.read_only = False
        folder = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(folder):
            raise RegistryError(tr("The registry folder does not exist: {}").format(folder))
        existed = os.path.exists(path)
        version = self._inspect(path) if existed else None
        self.wait_limit = wait_limit()
        self._holding = False
        if version is not None and not (os.access(path, os.W_OK) and os.access(folder, os.W_OK)):
            self._open_read_only(path)
            return
        try:
            # WAL: only writers wait for each other, in slices (see _patiently); a rollback journal (field
            # packages) makes reads and commits wait for readers too: SQLite's own long wait for those.
            self.db = sqlite3.connect(path, timeout=WAIT_SLICE if self.JOURNAL_MODE == "WAL" else 60,
                                      isolation_level=None)
            self._patiently(lambda: self.db.execute("PRAGMA journal_mode=" + self.JOURNAL_MODE))
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA cache_size=-131072")  # 128 MB: a million-row batch fits the B-trees
            self.db.execute("PRAGMA threads=2")  # a helper thread sorts for CREATE INDEX codes_identity (_allocate)
            self._patiently(lambda: self.db.executescript(SCHEMA))
        except (sqlite3.OperationalError, RegistryError) as e:
            if getattr(self, "db", None) is not None:
                self.db.close()
            if not existed:  # e.g. a full disk: no empty registry is left behind (one another job made: kept)
                discard_if_unused(path)
            else:
                _remove_stillborn_wal(path)
            if isinstance(e, RegistryError):
                raise
            if disk_full(e) or no_space(folder):
                raise RegistryError(tr("The registry {} cannot be opened for writing: the disk is full ({}). "
                                       "Nothing was changed; free some space and try again.").format(path, e)) \
                    from None
            if "readonly" not in str(e) or version is None:
                raise RegistryError(tr("The registry {} cannot be opened: {}").format(path, e)) from None
            self.db.close()  # a read-only file system or file the access check could not tell
            self._open_read_only(path)
            return
        except sqlite3.DatabaseError as e:
            raise RegistryError(file_damage(path) or tr("The registry {} cannot be opened: {}").format(path, e)) \
                from None
        if version is None:
            self._patiently(lambda: self.db.execute("INSERT OR IGNORE INTO meta VALUES('schema_version', ?)",
                                                    (str(SCHEMA_VERSION),)))
        elif version < SCHEMA_VERSION:  # SCHEMA above has just added the tables the file lacked
            with self.pending():
                for table, column, kind in ADDED_COLUMNS:
                    if column not in {r[1] for r in self.db.execute("PRAGMA table_info({})".format(table))}:
                        self.db.execute("ALTER TABLE {} ADD COLUMN {} {}".format(table, column, kind))
                self.db.execute("UPDATE meta SET value=? WHERE key='schema_version'", (str(SCHEMA_VERSION),))

    @staticmethod
    def _inspect(path: str) -> Optional[int]:
        """The schema version of an existing file, read without writing a byte: refused when it is damaged, holds
        someone else's data, or was made by a newer CityCode. None: an empty file (a new registry)."""
        damage = file_damage(path)
        if damage:
            raise RegistryError(damage)
        con = read_only_connection(path)
        try:
            tables = {name for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            version = con.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone() \
                if "meta" in tables else None
        finally:
            con.close()
        if not tables:
            return None
        if "meta" not in tables:  # someone's data (e.g. a GeoPackage): never write into it
            raise RegistryError(tr("{} is not a CityCode registry but holds other data ({}); choose a new file or "
                                   "an existing registry. Nothing was changed.").format(
                path, ", ".join(sorted(tables)[:5])))
        if version is None or not str(version[0]).isdigit():
            raise RegistryError(tr("{} is not a CityCode registry (it has no schema version); nothing was changed")
                                .format(path))
        if int(version[0]) > SCHEMA_VERSION:
            raise RegistryError(tr("The registry {} was made by a newer CityCode (schema {}, this one knows {}); "
                                   "update the plugin. Nothing was changed.").format(path, version[0], SCHEMA_VERSION))
        return int(version[0])

    def _open_read_only(self, path: str):
        """A registry we may not write (file or folder permissions, read-only media): lookups only."""
        self.read_only = True
        self.db = read_only_connection(path, timeout=60, isolation_level=None)

    def _patiently(self, step):
        """step() (a statement that takes the write lock), again while another process writes; on_wait hears
        who that is between tries. Gives up after `wait_limit` seconds, nothing changed."""
        start = time.monotonic()
        while True:
            try:
                return step()
            except sqlite3.OperationalError as e:
                if not _busy(e):
                    raise
            waited = time.monotonic() - start
            who = holder(self.path)
            if waited >= self.wait_limit:
                raise RegistryError(tr("The registry {} is busy: {} is writing to it, and this job gave up after "
                                       "waiting {:.0f} s. Nothing was changed; run it again later, or let jobs wait "
                                       "longer (setting citycode/registry_wait or CITYCODE_REGISTRY_WAIT, in "
                                       "seconds).").format(self.path, who, waited))
            if self.on_wait is not None:
                self.on_wait(who, waited)

    def _hold(self):
        self._holding = hold(self.path, self.job)

    def _let_go(self):
        if self._holding:
            self._holding = False
            let_go(self.path)

    # -- transactions -------------------------------------------------------------------------
    def _begin(self):
        if self.read_only:
            raise RegistryError(tr("The registry {} is read-only (you may not write the file or its folder): codes "
                                   "can be looked up, not issued or changed. Nothing was changed.").format(self.path))
        # IMMEDIATE takes the write lock now, so two processes never read the same last sequence.
        self._patiently(lambda: self.db.execute("BEGIN IMMEDIATE"))
        self._hold()

    def new_batch(self, actor: str, action: str, note: str, count: int, at: Optional[str] = None) -> int:
        cur = self.db.execute("INSERT INTO batches(at, actor, action, note, count) VALUES(?,?,?,?,?)",
                              (at or now(), actor, action, note, count))
        return cur.lastrowid

    def _sql(self, statement, args=(), fetch=""):
        cur = self.db.execute(statement, tuple(args))
        return cur.fetchall() if fetch == "all" else cur.fetchone() if fetch == "one" else \
            cur.lastrowid if fetch == "id" else None

    def run_transaction(self, work):
        """Run work() in one write transaction (a savepoint inside `pending`); roll back on any error."""
        with self.pending():
            return work()

    _savepoints = itertools.count(1)

    @contextmanager
    def pending(self):
        if not self.db.in_transaction:
            self._begin()
            commit, rollback = ["COMMIT"], ["ROLLBACK"]
        else:  # nested: a savepoint, so an inner failure undoes only its own changes
            name = "cc_{}".format(next(self._savepoints))
            self.db.execute("SAVEPOINT " + name)
            commit, rollback = ["RELEASE " + name], ["ROLLBACK TO " + name, "RELEASE " + name]
        outer = commit == ["COMMIT"]
        try:
            try:
                yield self
            except BaseException as e:
                for sql in rollback:
                    self.db.execute(sql)
                if outer and isinstance(e, sqlite3.OperationalError):
                    raise self._write_error(e) from None
                raise
            try:
                for sql in commit:
                    self._patiently(lambda: self.db.execute(sql))
            except sqlite3.Error as e:
                if outer and self.db.in_transaction:  # a failed COMMIT leaves it open
                    self.db.execute("ROLLBACK")
                if outer and isinstance(e, sqlite3.OperationalError):
                    raise self._write_error(e) from None
                raise
        finally:
            if outer:
                self._let_go()

    def _write_error(self, e: sqlite3.OperationalError) -> RegistryError:
        """What a failed write means for the user (the transaction was rolled back)."""
        if disk_full(e) or no_space(os.path.dirname(os.path.abspath(self.path))):
            return RegistryError(tr("The registry {} could not be written: the disk is full ({}). Nothing was "
                                    "issued or changed; free some space and run again.").format(self.path, e))
        return RegistryError(tr("The registry {} could not be written: {}. Nothing was issued or changed.")
                             .format(self.path, e))

    # -- issuing ------------------------------------------------------------------------------
    def _existing(self, profile: str, identity: np.ndarray) -> Dict[str, str]:
        wanted = set(identity.tolist())
        if len(wanted) <= FEW_IDENTITIES:  # looked up in the index
            marks = ",".join("?" * len(wanted))
            return dict(self.db.execute("SELECT identity, code FROM codes WHERE profile=? AND status='active' "
                                        "AND identity IN ({})".format(marks), [profile] + list(wanted)))
        rows = self.db.execute("SELECT max(rowid) FROM codes").fetchone()[0] or 0
        if 2 * len(wanted) < rows:  # a few of many (a survey's new buildings): looked up, a few hundred at a time
            found = self._in("SELECT identity, code, profile FROM codes WHERE status='active' AND identity IN ({})",
                             list(wanted))
            return {i: c for i, c, p in found if p == profile}
        rows = self.db.execute("SELECT identity, code FROM codes WHERE profile=? AND status='active' "
                               "AND identity IS NOT NULL", (profile,))
        return {i: c for i, c in rows if i in wanted}

    def issue(self, profile: CodeProfile, request: IssueRequest, actor: str, note: str = "",
              alongside=None) -> IssueResult:
        try:
            return super().issue(profile, request, actor, note, alongside)
        except sqlite3.IntegrityError as e:
            raise RegistryError(tr("The registry refused the batch, nothing was issued: {}").format(e)) from None

    def _before_alongside(self):
        self.db.execute("PRAGMA shrink_memory")  # the batch's pages are written: the caller's work needs the room

    def _set_batch_count(self, batch, count):
        self.db.execute("UPDATE batches SET count=? WHERE id=?", (count, batch))

    def _allocate(self, profile, request, identity, new, division, year, code, exhausted, batch):
        """Sequence numbers per division+year in `order`, continuing after the last one ever issued; every
        row of `new` gets a code or is exhausted (one writer at a time: nobody else issues meanwhile)."""
        groups = group_rows(request, new, division, year)
        last, limit = self._numbering(profile, groups.keys)
        idx, d, y, seq, unit = groups.number(profile, request, last, code, exhausted, limit)
        codes = code[idx]  # object array: iterating gives the code strings themselves
        d = d.astype("U")
        unit_seg = profile.segment("unit")
        default_unit = unit_seg.default.zfill(unit_seg.length) if unit_seg else None
        # Values the same for every row are SQL literals: binding them per row doubles the insert time.
        columns = {"code": "?", "division": "?", "year": "?", "seq": "?", "identity": "?",
                   "profile": _literal(profile.name), "batch": str(int(batch)),
                   "unit": "?" if unit is not None else _literal(default_unit),
                   "name": "?" if request.name is not None else "NULL"}
        # Rows made one at a time as SQLite takes them: lists of every value cost ~250 MB on a million rows.
        rows = [codes, map(str, d), map(int, y), map(int, seq),
                request.identity[idx] if hasattr(request.identity, "tolist") else (request.identity[i] for i in idx)]
        if unit is not None:
            rows.append(map(str, unit))
        if request.name is not None:
            rows.append(request.name[i] for i in idx)
        # A batch that is a good part of the registry writes its rows without the identity index and builds it
        # after in one sorted pass: kept up row by row it costs 3-10 s per million random identities.
        rebuild = len(idx) >= 10_000 and 4 * len(idx) >= (self.db.execute("SELECT max(rowid) FROM codes").fetchone()[0]
                                                          or 0)
        if rebuild:
            self.db.execute("DROP INDEX IF EXISTS codes_identity")
        insert_rows(self.db, "INSERT INTO codes({}) VALUES ".format(", ".join(columns)),
                    "({})".format(", ".join(columns.values())), len(rows), len(idx), zip(*rows), ROWS_PER_INSERT)
        if rebuild:
            self.db.execute(IDENTITY_INDEX)
        self._set_last_seqs(profile.name, groups.keys, groups.top(profile, last, limit))
        return new

    def _numbering(self, profile: CodeProfile, keys: List[tuple]):
        """(last sequence, limit or None for the profile's) per (division, year) group, as arrays."""
        known = self._last_seqs(profile.name, keys)
        return np.array([known.get(k, 0) for k in keys], dtype=np.int64), None

    def _set_last_seqs(self, profile, keys, top):
        self.db.executemany(
            "INSERT INTO sequences VALUES(?,?,?,?) ON CONFLICT(profile, division, year) "
            "DO UPDATE SET last_seq=max(last_seq, excluded.last_seq)",
            [(profile, div, yr, t) for (div, yr), t in zip(keys, top)])

    def _lock_last_seqs(self, profile, keys):  # the transaction holds the write lock (BEGIN IMMEDIATE)
        return self._last_seqs(profile, keys)

    def _last_seqs(self, profile: str, keys: List[tuple]) -> Dict[tuple, int]:
        """Last sequence per (division, year): one query per key for a few keys, one scan for a batch."""
        if len(keys) <= 8:
            sql = "SELECT division, year, last_seq FROM sequences WHERE profile=? AND division=? AND year=?"
            rows = [r for d, y in keys for r in self.db.execute(sql, (profile, d, y))]
        else:
            rows = self.db.execute("SELECT division, year, last_seq FROM sequences WHERE profile=?", (profile,))
        return {(d, y): s for d, y, s in rows}

    def _issue_one(self, profile: CodeProfile, identity: str, division: str, year: int, batch: int,
                   kind: Optional[str] = None) -> str:
        year = profile.sequence_year(year)
        existing = self.active_code(profile.name, identity)
        if existing:  # a child must not become a second active code of an identity
            raise RegistryError(tr("{} already has the active code {}; retire it first").format(identity, existing))
        request = IssueRequest(identity=np.array([identity], dtype=object), division=np.array([division]),
                               year=np.array([year]), order=np.array([0]),
                               kind=None if kind is None else np.array([kind]))
        code = np.full(1, None, dtype=object)
        exhausted = np.zeros(1, dtype=bool)
        self._allocate(profile, request, request.identity, np.array([0]), request.division, request.year, code,
                       exhausted, batch)
        if exhausted[0]:
            raise RegistryError(self.exhausted_message(profile, division, year))
        return code[0]

    def _rename_identities(self, profile, old, new):
        # Identities have no index: one scan of the codes, each looked up in a keyed temporary table.
        self.db.execute("CREATE TEMP TABLE IF NOT EXISTS cc_rename(old TEXT PRIMARY KEY, new TEXT NOT NULL)")
        self.db.execute("DELETE FROM cc_rename")
        self.db.executemany("INSERT INTO cc_rename VALUES(?,?)", zip(old, new))
        moved = self.db.execute("UPDATE codes SET identity=(SELECT new FROM cc_rename WHERE old=codes.identity) "
                                "WHERE profile=? AND status='active' AND identity IN (SELECT old FROM cc_rename)",
                                (profile,)).rowcount
        self.db.execute("DELETE FROM cc_rename")
        return moved

    def preview(self, profile, division, year, unit=None, kind=None):
        key = (str(division), int(profile.sequence_year(year)))
        last, limit = self._numbering(profile, [key])
        if last[0] >= (profile.sequence_limit if limit is None else limit[0]):
            raise RegistryError(self.exhausted_message(profile, key[0], key[1]))
        return profile.compose(str(division), int(year), int(last[0]) + 1, unit, kind)

    def active_code(self, profile, identity):
        row = self.db.execute("SELECT code FROM codes WHERE profile=? AND identity=? AND status='active'",
                              (profile, identity)).fetchone()
        return row[0] if row else None

    # -- reading ------------------------------------------------------------------------------
    _COLUMNS = ("SELECT c.code, c.profile, c.division, c.year, c.seq, c.unit, c.identity, c.status, c.name, "
                "c.attrs, b.at, b.actor FROM codes c JOIN batches b ON b.id = c.batch ")

    @staticmethod
    def _record(row) -> CodeRecord:
        return CodeRecord(code=row[0], profile=row[1], division=row[2], year=row[3], sequence=row[4],
                          unit=row[5], identity=row[6], status=row[7], name=row[8],
                          attrs=json.loads(row[9]) if row[9] else {}, created_at=row[10], created_by=row[11])

    def get(self, code: str) -> Optional[CodeRecord]:
        row = self.db.execute(self._COLUMNS + "WHERE c.code=?", (str(code).strip().upper(),)).fetchone()
        return self._record(row) if row else None

    def find(self, text: str, limit: int = 20) -> List[CodeRecord]:
        pattern = "%" + text.strip().replace("%", "").replace("_", "") + "%"

        def codes_containing(ranked):  # in code order from the primary key's index, stopping at `limit`
            order = "status='active' DESC, code" if ranked else "code"
            return self.db.execute("SELECT code, status FROM codes WHERE code LIKE ? ORDER BY {} LIMIT ?".format(order),
                                   (pattern.upper(), limit)).fetchall()

        def names_containing():  # names have their partial index
            return self.db.execute("SELECT code, status FROM codes WHERE name IS NOT NULL AND name LIKE ? "
                                   "ORDER BY status='active' DESC, code LIMIT ?", (pattern, limit)).fetchall()

        codes = find_codes(codes_containing, names_containing, limit)
        marks = ",".join("?" * len(codes))
        records = {r[0]: self._record(r) for r in self.db.execute(
            self._COLUMNS + "WHERE c.code IN ({})".format(marks), codes)} if codes else {}
        return [records[c] for c in codes]

    def count(self, profile: Optional[str] = None, status: Optional[str] = None) -> int:
        sql, args = "SELECT count(*) FROM codes WHERE 1=1", []
        if profile:
            sql, args = sql + " AND profile=?", args + [profile]
        if status:
            sql, args = sql + " AND status=?", args + [status]
        return self.db.execute(sql, args).fetchone()[0]

    def history(self, code: str) -> List[Dict]:
        code = str(code).strip().upper()
        rows = self.db.execute(
            "SELECT b.at, b.actor, 'issue', b.note FROM codes c JOIN batches b ON b.id=c.batch WHERE c.code=? "
            "UNION ALL SELECT b.at, b.actor, a.action, a.detail FROM audit a JOIN batches b ON b.id=a.batch "
            "WHERE a.code=? ORDER BY 1", (code, code))
        return [dict(at=r[0], actor=r[1], action=r[2], detail=r[3]) for r in rows]

    def lineage(self, code: str) -> Dict[str, List[str]]:
        code = str(code).strip().upper()
        parents = [r[0] for r in self.db.execute("SELECT parent FROM lineage WHERE child=?", (code,))]
        children = [r[0] for r in self.db.execute("SELECT child FROM lineage WHERE parent=?", (code,))]
        return {"parents": parents, "children": children}

    # -- changes ------------------------------------------------------------------------------
    def _active(self, code: str) -> CodeRecord:
        rec = self.get(code)
        if rec is None:
            raise RegistryError(tr("Code {} is not in the registry").format(code))
        if rec.status != "active":
            raise RegistryError(tr("Code {} is {}, not active").format(code, rec.status))
        return rec

    def _audit_rows(self, batch: int, rows):
        self.db.executemany("INSERT INTO audit(batch, code, action, detail) VALUES(?,?,?,?)",
                            ((batch, code, action, json.dumps(detail, ensure_ascii=False))
                             for code, action, detail in rows))

    def _set_descriptive_rows(self, rows):
        self.db.executemany("UPDATE codes SET name=?, attrs=? WHERE code=?",
                            ((name, attrs_json, code) for code, name, attrs_json in rows))

    def _set_retired(self, code):
        self.db.execute("UPDATE codes SET status='retired' WHERE code=?", (code,))

    def _link_rows(self, rows):
        self.db.executemany("INSERT INTO lineage VALUES(?,?,?,?)", rows)

    def _retire_rows(self, codes, batch, reason):
        retired = [r[0] for r in self._in("SELECT code FROM codes WHERE status='active' AND code IN ({})", codes)]
        self.db.executemany("UPDATE codes SET status='retired' WHERE code=?", ((c,) for c in retired))
        self._audit_rows(batch, [(c, "retire", {"reason": reason}) for c in retired])
        return retired

    def close(self):
        self._let_go()
        self.db.close()

def _remove_stillborn_wal(path: str) -> None:
    """Remove the -wal/-shm pair a failed opening left (a full disk: an empty WAL, a shared-memory file too
    short for any connection to be using it)."""
    wal, shm = path + "-wal", path + "-shm"
    try:
        if os.path.getsize(wal) == 0 and os.path.getsize(shm) < 32768:
            os.remove(shm)
            os.remove(wal)
    except OSError:
        pass


def discard_if_unused(path: str) -> None:
    """Remove a registry file nothing was ever recorded in (made by a run that then failed), with its side
    files; a registry with a batch (e.g. another job's, made at the same moment) stays."""
    if not os.path.exists(path):
        return
    try:
        con = sqlite3.connect(_ro_uri(path), uri=True, timeout=1)
        try:
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            unused = "batches" not in tables or con.execute("SELECT count(*) FROM batches").fetchone()[0] == 0
        finally:
            con.close()
    except sqlite3.Error:
        unused = os.path.getsize(path) == 0
    if unused:
        remove_registry_files(path)


def remove_registry_files(path: str) -> None:
    """Remove a registry file and the files SQLite and CityCode keep beside it."""
    for name in (path,) + tuple(path + s for s in SIDE_FILES):
        try:
            os.remove(name)
        except FileNotFoundError:
            pass
