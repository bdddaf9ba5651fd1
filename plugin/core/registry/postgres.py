"""Shared registry on PostgreSQL: many QGIS users coding at once, with the promises of base.py.

Location: `postgresql://...`, `service=...` or `qgis:<connection>` with an optional schema (default
"citycode"), see pg_connection.py. The tables are those of sqlite_schema.py, in that schema; PostGIS is
not needed.

Schema, migrations and roles: see postgres_schema.py.

Concurrency:
  * A batch locks the sequence rows of its (profile, division, year) groups, in sorted order (no
    deadlocks), until it commits; the next batch continues after the committed last sequence. A batch
    that is rolled back (error, killed client, lost connection) leaves no gap and no row.
  * One active code per identity is a unique index. When two users code the same identity at the same
    moment, the later batch returns the winner's code (is_new False): it looks the identities up again
    once it holds its sequence locks, and when the winner had no lock in common with it (another division)
    its insert fails on the index, and the batch is rolled back whole and run again. Codes are written in
    identity order, so such races cannot deadlock. Inside an open pending() block a batch cannot be rerun:
    ConcurrentChange asks the user to try again.
  * A batch waiting for another's sequence locks (with `on_wait` set) asks in slices of WAIT_SLICE and tells
    on_wait who writes meanwhile (database user, client, since when); it gives up after `wait_limit`.
  * Codes are written with COPY: about 100 000 codes per second from one client.
"""
import io
import itertools
import json
import time
from contextlib import contextmanager
from typing import Dict, List, Optional

import numpy as np

from . import pg_connection
from ..i18n import tr
from ..codes.profiles import CodeProfile
from .base import CodeRecord, IssueRequest, Registry, RegistryError, find_codes, group_rows, wait_limit
from .field_sync import FieldSync
from .postgres_schema import MIGRATIONS, ROLES, SCHEMA_VERSION, TABLES, WRITTEN_TABLES

LOCK_CLASS = 0x43430001  # first key of the migration advisory lock ("CC" 1); the second is the schema's hash
RETRIES = 5              # reruns of a batch that lost a race on an identity
WAIT_SLICE_MS = 500      # lock_timeout of one try while another batch holds the sequences (see _patiently)


class ConcurrentChange(RegistryError):
    """Another user changed the same codes at the same moment; this change was rolled back."""


class PermissionDenied(RegistryError):
    """The database user lacks the role for this change; nothing was changed."""


def _copy_column(values) -> List[str]:
    """Values (text or None) in COPY's text format, escaped all at once on one joined string (fast)."""
    values = list(values)
    if not values:
        return []
    text = "\x00".join("" if v is None else str(v) for v in values)
    parts = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r").split("\x00")
    if len(parts) != len(values):  # PostgreSQL text cannot hold NUL anyway
        raise RegistryError(tr("Text with a NUL character cannot be stored in the registry"))
    return ["\\N" if v is None else p for v, p in zip(values, parts)]


class PostgresRegistry(FieldSync, Registry):
    @classmethod
    def handles(cls, location: str) -> bool:
        return pg_connection.is_postgres_location(location)

    def __init__(self, uri: str):
        self._pg = pg_connection.driver()
        self.location = pg_connection.resolve(uri)
        self.schema = self.location.schema
        self._depth = 0  # open pending() blocks
        self.wait_limit = wait_limit()
        self._first_batch = None  # the first batch row of the open transaction: tells whether a lost COMMIT happened
        self.conn = None
        self._connect()
        try:
            self._migrate()
        except BaseException:
            self.conn.close()
            raise

    # -- connection ---------------------------------------------------------------------------
    def _connect(self):
        try:
            self.conn = self._pg.connect(**self.location.connect_args())
            self.conn.autocommit = True  # transactions are explicit: BEGIN in pending()
            with self.conn.cursor() as cur:
                cur.execute("SELECT set_config('search_path', quote_ident(%s), false)", (self.schema,))
        except self._pg.Error as e:
            raise RegistryError(tr("Cannot connect to the registry database {}: {}").format(
                self.location.label, str(e).strip())) from None

    def _error(self, e, lost: bool = False, in_doubt: bool = False) -> RegistryError:
        """A RegistryError saying what a database error means for the user (lost: the connection was lost;
        in_doubt: while committing, and whether the transaction was saved is unknown)."""
        errors = self._pg.errors
        detail = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        if lost or self.conn.closed:
            if in_doubt and not getattr(e, "pgcode", None):  # no word from the server
                return RegistryError(tr("The connection to the registry {} was lost while saving; the change may "
                                        "or may not be saved. Check before repeating it (a batch run again keeps "
                                        "the codes already issued): {}").format(self.location.label, detail))
            return RegistryError(tr("The connection to the registry {} was lost; nothing of this change was "
                                    "saved: {}").format(self.location.label, detail))
        if isinstance(e, errors.TransactionRollbackError) or (
                isinstance(e, errors.UniqueViolation) and e.diag.constraint_name == "codes_active_identity"):
            return ConcurrentChange(tr("Another user changed the same codes at the same moment; nothing was "
                                       "saved, please try again"))
        if isinstance(e, errors.InsufficientPrivilege):
            return PermissionDenied(tr("Your database user may not do this in the registry {} (roles: "
                                       "citycode_read reads, citycode_code codes, citycode_admin upgrades): {}").format(
                self.location.label, detail))
        return RegistryError(tr("The registry database refused the change; nothing was saved: {}").format(detail))

    def _exec(self, sql, args=None, fetch: str = ""):
        """Run one statement; fetch "all" or "one" rows. Inside pending() errors go up as they are (the block
        rolls back and reports them); outside, statements only read or BEGIN, so a connection lost while idle
        is replaced once and the statement repeated; other errors become RegistryErrors."""
        for attempt in (1, 2):
            try:
                if self.conn.closed and not self._depth:
                    self._connect()
                with self.conn.cursor() as cur:
                    try:
                        cur.execute(sql, args)
                    except ValueError:  # psycopg2 refuses text with NUL, which PostgreSQL cannot store
                        raise RegistryError(tr("Text with a NUL character cannot be stored in the registry")) from None
                    return cur.fetchall() if fetch == "all" else cur.fetchone() if fetch == "one" else None
            except self._pg.Error as e:
                if self._depth:
                    raise
                if attempt == 1 and self.conn.closed:
                    continue
                raise self._error(e) from None

    # -- schema -------------------------------------------------------------------------------
    def _version(self) -> Optional[int]:
        # pg_tables, not to_regclass: a query reads the catalog as of now, a name lookup may use a stale cache
        tables = [r[0] for r in self._exec("SELECT tablename FROM pg_tables WHERE schemaname=%s ORDER BY 1",
                                           (self.schema,), "all")]
        if "meta" not in tables:
            if tables:  # someone's data: never write into it
                raise RegistryError(tr("The schema {} of {} is not a CityCode registry but holds other tables "
                                       "({}); choose another schema. Nothing was changed.").format(
                    self.schema, self.location.label, ", ".join(tables[:5])))
            return None
        sql = self._pg.sql  # qualified: without USAGE on the schema, search_path would skip it silently
        row = self._exec(sql.SQL("SELECT value FROM {} WHERE key='schema_version'").format(
            sql.Identifier(self.schema, "meta")), fetch="one")
        return int(row[0]) if row else None

    def _migrate(self):
        version = self._version()
        if version == SCHEMA_VERSION:
            return
        if version is not None and version > SCHEMA_VERSION:
            raise RegistryError(tr("The registry {} was made by a newer CityCode; update the plugin")
                                .format(self.location.label))
        sql = self._pg.sql
        try:
            with self.pending():
                self._exec("SELECT pg_advisory_xact_lock(%s, hashtext(%s))", (LOCK_CLASS, self.schema))
                version = self._version() or 0  # again under the lock: another client may have just done it
                if version >= SCHEMA_VERSION:
                    return
                owner = self._exec("SELECT r.rolname, r.rolname <> current_user AND pg_has_role(r.oid, 'MEMBER') "
                                   "FROM pg_namespace n JOIN pg_roles r ON r.oid = n.nspowner WHERE n.nspname=%s",
                                   (self.schema,), "one")
                if owner and owner[1]:  # new objects belong to the schema's owner, as the old ones
                    self._exec(sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(owner[0])))
                for step in MIGRATIONS[version:]:
                    self._exec(sql.SQL(step).format(s=sql.Identifier(self.schema)))
                self._exec("INSERT INTO meta VALUES('schema_version', %s) ON CONFLICT(key) DO UPDATE "
                           "SET value=excluded.value", (str(SCHEMA_VERSION),))
                if self._exec("SELECT count(*) FROM pg_roles WHERE rolname = ANY(%s)", (list(ROLES),),
                              "one")[0] == len(ROLES):
                    self._grant_privileges()
        except PermissionDenied as e:
            if not version:
                raise PermissionDenied(tr("There is no registry in schema {} of {} yet, and your database user may "
                                          "not create it; ask a database administrator. {}").format(
                    self.schema, self.location.label, e)) from None
            raise PermissionDenied(tr("The registry {} needs an upgrade from schema version {} to {} that your "
                                      "database user may not make; ask a registry administrator (role "
                                      "citycode_admin) to open it once. {}").format(
                self.location.label, version, SCHEMA_VERSION, e)) from None

    def _grant_privileges(self):
        sql = self._pg.sql
        s, read, code = (sql.Identifier(n) for n in (self.schema,) + ROLES[:2])
        self._exec(sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(s, read))
        self._exec(sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA {} TO {}").format(s, read))
        self._exec(sql.SQL("GRANT INSERT, UPDATE ON {} TO {}").format(
            sql.SQL(", ").join(sql.Identifier(self.schema, t) for t in WRITTEN_TABLES), code))
        self._exec(sql.SQL("GRANT USAGE ON ALL SEQUENCES IN SCHEMA {} TO {}").format(s, code))

    def grant_roles(self) -> None:
        """Make the roles citycode_read, citycode_code, citycode_admin (each includes the one before) and give
        them this registry: admin owns the schema, so its members can upgrade it. Needs CREATEROLE (or
        existing roles) and ownership of the schema. Grant a login role its rights with e.g.
        GRANT citycode_code TO alice."""
        sql = self._pg.sql
        with self.pending():
            for role in ROLES:
                if not self._exec("SELECT 1 FROM pg_roles WHERE rolname=%s", (role,), "one"):
                    self._exec(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(role)))
            read, code, admin = (sql.Identifier(r) for r in ROLES)
            self._exec(sql.SQL("GRANT {} TO {}").format(read, code))
            self._exec(sql.SQL("GRANT {} TO {}").format(code, admin))
            if not self._exec("SELECT pg_has_role(%s, 'MEMBER')", (ROLES[2],), "one")[0]:
                self._exec(sql.SQL("GRANT {} TO CURRENT_USER").format(admin))  # needed to hand objects over
            self._exec(sql.SQL("ALTER SCHEMA {} OWNER TO {}").format(sql.Identifier(self.schema), admin))
            for table in TABLES:
                self._exec(sql.SQL("ALTER TABLE {} OWNER TO {}").format(sql.Identifier(self.schema, table), admin))
            self._exec(sql.SQL("ALTER FUNCTION {}() OWNER TO {}").format(
                sql.Identifier(self.schema, "batches_db_user"), admin))
            self._grant_privileges()

    # -- transactions -------------------------------------------------------------------------
    def run_transaction(self, work):
        """Run work() in one transaction (a savepoint inside `pending`); a transaction of its own that lost a
        race with another user is run again."""
        for attempt in range(RETRIES if self._depth == 0 else 1):
            try:
                with self.pending():
                    return work()
            except ConcurrentChange:
                if attempt == RETRIES - 1 or self._depth:
                    raise

    @contextmanager
    def pending(self):
        outer = self._depth == 0
        if outer:
            self._exec("BEGIN")
            self._first_batch = None
            commit, rollback = ["COMMIT"], ["ROLLBACK"]
        else:  # nested: a savepoint, so an inner failure undoes only its own changes
            name = "cc_{}".format(self._depth)
            self._exec("SAVEPOINT " + name)
            commit, rollback = ["RELEASE " + name], ["ROLLBACK TO " + name, "RELEASE " + name]
        self._depth += 1  # until COMMIT/ROLLBACK ran: _exec must not reconnect for those
        try:
            try:
                yield self
            except BaseException as e:
                self._undo(rollback)
                if isinstance(e, self._pg.Error):
                    raise self._error(e) from None
                raise
            try:
                for statement in commit:
                    self._exec(statement)
            except self._pg.Error as e:
                lost = bool(self.conn.closed)
                saved = self._saved(self._first_batch) if outer and lost else None
                if saved:
                    return  # only the answer to COMMIT was lost
                self._undo(rollback)
                raise self._error(e, lost, in_doubt=outer and saved is None) from None
        finally:
            self._depth -= 1

    def _saved(self, batch) -> Optional[bool]:
        """Whether a transaction whose COMMIT lost its connection was saved: is its batch row there?
        None when that cannot be told (no batch row written, or no new connection)."""
        if batch is None:
            return None
        try:
            self._connect()
            with self.conn.cursor() as cur:
                cur.execute("SELECT count(*) FROM batches WHERE id=%s", (batch,))
                return cur.fetchone()[0] == 1
        except (RegistryError, self._pg.Error):
            return None

    def _undo(self, rollback):
        if self.conn.closed:
            return  # the server rolls back by itself
        try:
            for statement in rollback:
                self._exec(statement)
        except self._pg.Error:
            pass  # the connection went meanwhile: same

    # -- issuing ------------------------------------------------------------------------------
    def new_batch(self, actor: str, action: str, note: str, count: int, at: Optional[str] = None) -> int:
        batch = self._exec("INSERT INTO batches(at, actor, action, note, count) "
                           "VALUES(coalesce(%s::timestamptz, clock_timestamp()),%s,%s,%s,%s) RETURNING id",
                           (at, actor, action, note, count), "one")[0]
        if self._first_batch is None:
            self._first_batch = batch
        return batch

    def _existing(self, profile: str, identity: np.ndarray) -> Dict[str, str]:
        rows = self._exec("SELECT c.identity, c.code FROM unnest(%s::text[]) AS i(identity) "
                          "JOIN codes c ON c.identity = i.identity WHERE c.profile=%s AND c.status='active'",
                          ([None if i is None else str(i) for i in identity.tolist()], profile), "all")
        return dict(rows)

    def _set_batch_count(self, batch, count):
        self._exec("UPDATE batches SET count=%s WHERE id=%s", (count, batch))

    def _patiently(self, sql, args, fetch):
        """A statement that waits for another batch's locks, tried in slices (a savepoint each) while
        on_wait hears who writes; gives up after wait_limit with nothing changed."""
        if self.on_wait is None:
            return self._exec(sql, args, fetch)
        start = time.monotonic()
        while True:
            self._exec("SAVEPOINT cc_wait")
            self._exec("SET LOCAL lock_timeout = {}".format(WAIT_SLICE_MS))
            try:
                rows = self._exec(sql, args, fetch)
            except self._pg.errors.LockNotAvailable:
                self._exec("ROLLBACK TO SAVEPOINT cc_wait")
                self._exec("RELEASE SAVEPOINT cc_wait")
            else:
                self._exec("SET LOCAL lock_timeout = 0")
                self._exec("RELEASE SAVEPOINT cc_wait")
                return rows
            waited, who = time.monotonic() - start, self._writers()
            if waited >= self.wait_limit:
                raise RegistryError(tr("The registry {} is busy: {} is writing to it, and this job gave up after "
                                       "waiting {:.0f} s. Nothing was changed; run it again later, or let jobs wait "
                                       "longer (setting citycode/registry_wait or CITYCODE_REGISTRY_WAIT, in "
                                       "seconds).").format(self.location.label, who, waited))
            self.on_wait(who, waited)

    def _writers(self) -> str:
        """The other sessions writing the sequences now (not those waiting too): database user, server process,
        client, since when."""
        rows = self._exec("SELECT DISTINCT a.usename, a.pid, coalesce(host(a.client_addr), 'local'), "
                          "to_char(a.xact_start, 'YYYY-MM-DD\"T\"HH24:MI:SS') FROM pg_locks l "
                          "JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.relation = 'sequences'::regclass "
                          "AND l.mode = 'RowExclusiveLock' AND l.pid <> pg_backend_pid() "
                          "AND a.wait_event_type IS DISTINCT FROM 'Lock' ORDER BY 2", fetch="all")
        return ", ".join(tr("{} (process {} on {}{}, since {})").format(user or "?", pid, host, "", since)
                         for user, pid, host, since in rows) or tr("another program")

    def lock_sequences(self, profile: str, keys: List[tuple]) -> Dict[tuple, int]:
        """Last sequence per (division, year), the rows locked until commit (made when new); sorted: no deadlock."""
        divisions, years = [k[0] for k in keys], [int(k[1]) for k in keys]
        rows = self._patiently(
            "INSERT INTO sequences(profile, division, year, last_seq) "
            "SELECT %s, d, y, 0 FROM unnest(%s::text[], %s::int[]) AS k(d, y) ORDER BY d COLLATE \"C\", y "
            "ON CONFLICT(profile, division, year) DO UPDATE SET last_seq = sequences.last_seq "
            "RETURNING division, year, last_seq", (profile, divisions, years), "all")
        return {(d, y): s for d, y, s in rows}

    def _allocate(self, profile, request, identity, new, division, year, code, exhausted, batch,
                  adopt: bool = True) -> np.ndarray:
        """Sequence numbers per division+year in `order`, continuing after the last one ever issued, for the rows
        `new`; returns the rows that got a new code or were exhausted (with `adopt`, not those another user
        coded meanwhile: they get that code)."""
        groups = group_rows(request, new, division, year)
        known = self.lock_sequences(profile.name, groups.keys)
        # Identities coded by a batch that committed while this one waited for the locks: theirs is the code.
        late = self._existing(profile.name, identity[new]) if adopt else None
        if late:
            code[new] = [late.get(i) for i in identity[new]]
            new = new[code[new] == None]  # noqa: E711 (element-wise)
            if not len(new):
                return new
            groups = group_rows(request, new, division, year)
        last = np.array([known[k] for k in groups.keys], dtype=np.int64)
        idx, d, y, seq, unit = groups.number(profile, request, last, code, exhausted)
        codes = code[idx].astype("U")
        unit_seg = profile.segment("unit")
        units = unit.astype("U") if unit is not None else \
            np.full(len(idx), unit_seg.default.zfill(unit_seg.length) if unit_seg else None, dtype=object)
        names = np.array([request.name[i] for i in idx] if request.name is not None else [None] * len(idx),
                         dtype=object)
        # In identity order: two batches racing for the same identities wait on each other in the same order.
        rows = np.argsort(identity[idx].astype("U"), kind="stable")
        constant = "\t".join(_copy_column([profile.name]) + [str(int(batch))])
        columns = [codes[rows].tolist(), d[rows].astype("U").tolist(), y[rows].astype("U").tolist(),
                   seq[rows].astype("U").tolist(), _copy_column(units[rows]), _copy_column(identity[idx[rows]]),
                   _copy_column(names[rows]), itertools.repeat(constant)]
        if len(idx):  # (none when every group is used up)
            text = "\n".join(map("\t".join, zip(*columns))) + "\n"
            with self.conn.cursor() as cur:
                cur.copy_expert("COPY codes(code, division, year, seq, unit, identity, name, profile, batch) "
                                "FROM STDIN", io.StringIO(text))
        # Highest sequence reached per group (capped at the limit: exhausted groups stay exhausted).
        self._set_last_seqs(profile.name, groups.keys, groups.top(profile, last))
        return new

    def _set_last_seqs(self, profile, keys, top):
        """(The rows are locked and exist: lock_sequences made them.)"""
        self._exec("UPDATE sequences s SET last_seq = greatest(s.last_seq, v.t) "
                   "FROM unnest(%s::text[], %s::int[], %s::int[]) AS v(d, y, t) "
                   "WHERE s.profile=%s AND s.division=v.d AND s.year=v.y",
                   ([k[0] for k in keys], [int(k[1]) for k in keys], [int(t) for t in top], profile))

    def _lock_last_seqs(self, profile, keys):
        return self.lock_sequences(profile, keys)

    def _lock_codes(self, codes):
        if codes:  # sorted by the caller: two check-ins never deadlock
            self._exec("SELECT code FROM codes WHERE code = ANY(%s::text[]) ORDER BY code FOR UPDATE",
                       (list(codes),), "all")

    def _lock_package(self, package_id):
        self._exec("SELECT pg_advisory_xact_lock(%s, hashtext(%s))", (LOCK_CLASS + 1, package_id))

    def _sql(self, statement, args=(), fetch=""):
        statement = statement.replace("?", "%s")
        if fetch == "id":
            return self._exec(statement + " RETURNING id", tuple(args), "one")[0]
        return self._exec(statement, tuple(args), fetch)

    def _issue_one(self, profile: CodeProfile, identity: str, division: str, year: int, batch: int,
                   kind: Optional[str] = None) -> str:
        year = profile.sequence_year(year)
        request = IssueRequest(identity=np.array([identity], dtype=object), division=np.array([division]),
                               year=np.array([year]), order=np.array([0]),
                               kind=None if kind is None else np.array([kind]))
        taken = self.active_code(profile.name, identity)
        if taken:  # a child is a new feature: one active code per identity
            raise RegistryError(tr("{} already has the active code {}; retire it first").format(identity, taken))
        code = np.full(1, None, dtype=object)
        exhausted = np.zeros(1, dtype=bool)
        self._allocate(profile, request, request.identity, np.array([0]), request.division.astype("U"),
                       request.year, code, exhausted, batch, adopt=False)
        if exhausted[0]:
            raise RegistryError(self.exhausted_message(profile, division, year))
        return code[0]

    def _rename_identities(self, profile, old, new):
        return len(self._exec("UPDATE codes c SET identity = v.new FROM unnest(%s::text[], %s::text[]) AS v(old, new) "
                              "WHERE c.profile=%s AND c.status='active' AND c.identity = v.old RETURNING c.code",
                              (list(old), list(new), profile), "all"))

    def preview(self, profile, division, year, unit=None, kind=None):
        row = self._exec("SELECT last_seq FROM sequences WHERE profile=%s AND division=%s AND year=%s",
                         (profile.name, str(division), int(profile.sequence_year(year))), "one")
        last = row[0] if row else 0
        if last >= profile.sequence_limit:
            raise RegistryError(self.exhausted_message(profile, division, profile.sequence_year(year)))
        return profile.compose(str(division), int(year), last + 1, unit, kind)

    def active_code(self, profile, identity):
        row = self._exec("SELECT code FROM codes WHERE profile=%s AND identity=%s AND status='active'",
                         (profile, str(identity)), "one")
        return row[0] if row else None

    # -- reading ------------------------------------------------------------------------------
    _COLUMNS = ("SELECT c.code, c.profile, c.division, c.year, c.seq, c.unit, c.identity, c.status, c.name, "
                "c.attrs, b.at, b.actor FROM codes c JOIN batches b ON b.id = c.batch ")

    @staticmethod
    def _at(value) -> str:
        return value.astimezone().isoformat(timespec="seconds")

    def _record(self, row) -> CodeRecord:
        return CodeRecord(code=row[0], profile=row[1], division=row[2], year=row[3], sequence=row[4],
                          unit=row[5], identity=row[6], status=row[7], name=row[8], attrs=row[9] or {},
                          created_at=self._at(row[10]), created_by=row[11])

    def get(self, code: str) -> Optional[CodeRecord]:
        row = self._exec(self._COLUMNS + "WHERE c.code=%s", (str(code).strip().upper(),), "one")
        return self._record(row) if row else None

    def find(self, text: str, limit: int = 20) -> List[CodeRecord]:
        pattern = "%" + text.strip().replace("%", "").replace("_", "").replace("\\", "") + "%"

        def codes_containing(ranked):
            if ranked:
                return self._exec("SELECT code, status FROM codes WHERE code LIKE %s "
                                  "ORDER BY status='active' DESC, code LIMIT %s", (pattern.upper(), limit), "all")
            # the codes alone, in order: the primary key's index can answer without reading the table
            found = [r[0] for r in self._exec("SELECT code FROM codes WHERE code LIKE %s ORDER BY code LIMIT %s",
                                              (pattern.upper(), limit), "all")]
            return self._exec("SELECT code, status FROM codes WHERE code = ANY(%s) ORDER BY code", (found,),
                              "all") if found else []

        def names_containing():  # names have their partial index (migration 5)
            return self._exec("SELECT code, status FROM codes WHERE name IS NOT NULL AND name ILIKE %s "
                              "ORDER BY status='active' DESC, code LIMIT %s", (pattern, limit), "all")

        codes = find_codes(codes_containing, names_containing, limit)
        records = {r[0]: self._record(r) for r in self._exec(
            self._COLUMNS + "WHERE c.code = ANY(%s)", (codes,), "all")} if codes else {}
        return [records[c] for c in codes]

    def count(self, profile: Optional[str] = None, status: Optional[str] = None) -> int:
        return self._exec("SELECT count(*) FROM codes WHERE (%s::text IS NULL OR profile=%s) "
                          "AND (%s::text IS NULL OR status=%s)", (profile, profile, status, status), "one")[0]

    def history(self, code: str) -> List[Dict]:
        code = str(code).strip().upper()
        rows = self._exec(
            "SELECT b.at, b.actor, 'issue', b.note, b.id, 0, b.db_user FROM codes c JOIN batches b ON b.id=c.batch "
            "WHERE c.code=%s UNION ALL SELECT b.at, b.actor, a.action, a.detail, b.id, a.id, b.db_user FROM audit a "
            "JOIN batches b ON b.id=a.batch WHERE a.code=%s ORDER BY 5, 6", (code, code), "all")
        # db_user: the database login that made the change (actor: what the client said, e.g. its OS user)
        return [dict(at=self._at(r[0]), actor=r[1], action=r[2], detail=r[3], db_user=r[6]) for r in rows]

    def lineage(self, code: str) -> Dict[str, List[str]]:
        code = str(code).strip().upper()
        parents = self._exec("SELECT parent FROM lineage WHERE child=%s ORDER BY batch, parent", (code,), "all")
        children = self._exec("SELECT child FROM lineage WHERE parent=%s ORDER BY batch, child", (code,), "all")
        return {"parents": [r[0] for r in parents], "children": [r[0] for r in children]}

    # -- changes ------------------------------------------------------------------------------
    def _active(self, code: str) -> CodeRecord:
        """The active record of a code, locked until the change commits (two users cannot retire it twice)."""
        row = self._exec(self._COLUMNS + "WHERE c.code=%s FOR UPDATE OF c", (str(code).strip().upper(),), "one")
        if row is None:
            raise RegistryError(tr("Code {} is not in the registry").format(code))
        rec = self._record(row)
        if rec.status != "active":
            raise RegistryError(tr("Code {} is {}, not active").format(code, rec.status))
        return rec

    def _audit_rows(self, batch: int, rows):
        if rows:
            codes, actions, details = zip(*rows)
            self._exec("INSERT INTO audit(batch, code, action, detail) SELECT %s, c, a, d "
                       "FROM unnest(%s::text[], %s::text[], %s::text[]) AS v(c, a, d)",
                       (batch, list(codes), list(actions), [json.dumps(d, ensure_ascii=False) for d in details]))

    def _set_descriptive_rows(self, rows):
        if rows:
            self._exec("UPDATE codes SET name = v.n, attrs = v.a::jsonb "
                       "FROM unnest(%s::text[], %s::text[], %s::text[]) AS v(c, n, a) WHERE codes.code = v.c",
                       [list(column) for column in zip(*rows)])

    def _set_retired(self, code):
        self._exec("UPDATE codes SET status='retired' WHERE code=%s", (code,))

    def _link_rows(self, rows):
        self._exec("INSERT INTO lineage SELECT * FROM unnest(%s::text[], %s::text[], %s::text[], %s::bigint[])",
                   [list(column) for column in zip(*rows)])

    def _retire_rows(self, codes, batch, reason):
        self._lock_codes(sorted(codes))
        retired = [r[0] for r in self._exec("UPDATE codes SET status='retired' WHERE code = ANY(%s::text[]) "
                                            "AND status='active' RETURNING code", (list(codes),), "all")]
        self._audit_rows(batch, [(c, "retire", {"reason": reason}) for c in retired])
        return retired

    def close(self):
        if self.conn is not None:
            self.conn.close()
