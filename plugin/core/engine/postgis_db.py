"""The in-database engine's hold on the database: the PostGIS tables it works on (PgLayer), a connection to
their database, the unlogged work tables of one job, and canceling it; InDbError says why a job cannot run
there (the caller falls back to the embedded engine)."""
import os
import threading
import uuid
from dataclasses import dataclass
from typing import List, Optional

from . import jobs
from ..exceptions import CityCodeError
from ..i18n import tr
from ..registry.base import RegistryError

PARALLEL_WORKERS = max(2, os.cpu_count() or 2)
TMP_PREFIX = "citycode_tmp_"


@dataclass
class PgLayer:
    """A PostGIS table (or a QGIS subset of it) as input or output."""
    conninfo: str                 # libpq conninfo (credentials of a QGIS authcfg expanded in memory only)
    schema: str
    table: str
    geometry: str = "geom"
    key: Optional[str] = None     # primary key column (None: looked up)
    sql: str = ""                 # QGIS subset string (a WHERE clause)
    uri: str = ""                 # QGIS data source URI (without expanded credentials), for the output layer

    @property
    def label(self) -> str:
        return "{}.{}".format(self.schema, self.table)


class InDbError(CityCodeError):
    """Why the in-database engine cannot run this job (the caller falls back to the embedded engine)."""


def ident(cur_or_conn, name: str) -> str:
    from psycopg2.extensions import quote_ident
    return quote_ident(name, cur_or_conn)


def literal(text: str) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def connect(conninfo: str):
    from ..registry.pg_connection import driver
    pg = driver()
    try:
        conn = pg.connect(conninfo)
    except pg.Error as e:
        raise InDbError(tr("Cannot connect to the database of the layers: {}").format(str(e).strip())) from None
    conn.autocommit = True
    return conn


def _backend(conn):
    with conn.cursor() as cur:
        cur.execute("SELECT pid, backend_start, current_database() FROM pg_stat_activity WHERE pid = pg_backend_pid()")
        return cur.fetchone()


def same_database(conn, conninfo: str) -> bool:
    """Whether `conninfo` reaches the database `conn` is connected to (same server, same database): the other
    connection's backend must be one of this server's, in this database."""
    other = connect(conninfo)
    try:
        pid, started, dbname = _backend(other)
        with conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM pg_stat_activity WHERE pid=%s AND backend_start=%s AND datname=%s",
                        (pid, started, dbname))
            return cur.fetchone()[0] == 1
    finally:
        other.close()


class Canceler:
    """Cancels the running statement when the user cancels (feedback.isCanceled), polled from a thread."""

    def __init__(self, conn, feedback):
        self.conn, self.feedback, self.canceled = conn, feedback, False
        self._stop = threading.Event()
        self._thread = None

    def __enter__(self):
        if self.feedback is not None:
            self._thread = threading.Thread(target=self._watch, daemon=True)
            self._thread.start()
        return self

    def _watch(self):
        while not self._stop.wait(0.3):
            if self.feedback.isCanceled():
                self.canceled = True
                try:
                    self.conn.cancel()
                except Exception:  # noqa: BLE001 - the connection may be gone meanwhile: nothing to cancel
                    pass
                return

    def __exit__(self, *exc):
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        return False


class Work:
    """Statements on one connection; unlogged work tables in `schema`, dropped by drop()."""

    def __init__(self, conn, schema: str, progress):
        self.conn, self.schema, self.progress = conn, schema, progress
        self.prefix = "{}{}_{}_".format(TMP_PREFIX, os.getpid(), uuid.uuid4().hex[:6])
        self.tables: List[str] = []
        self.q = lambda name: ident(conn, name)

    def t(self, name: str) -> str:
        return "{}.{}".format(self.q(self.schema), self.q(self.prefix + name))

    def run(self, statement: str, args=None, fetch: str = ""):
        with self.conn.cursor() as cur:
            cur.execute(statement, args)
            return cur.fetchall() if fetch == "all" else cur.fetchone() if fetch == "one" else None

    def create(self, name: str, select: str, args=None, gist: Optional[str] = None, index: Optional[str] = None):
        """CREATE UNLOGGED TABLE <name> AS <select> (PostgreSQL may run the select in parallel), indexed
        and analysed so the following joins are planned on real numbers."""
        table = self.t(name)
        self.run("DROP TABLE IF EXISTS {}".format(table))
        self.tables.append(table)
        self.run("CREATE UNLOGGED TABLE {} AS {}".format(table, select), args)
        if gist:
            self.run("CREATE INDEX ON {} USING gist({})".format(table, self.q(gist)))
        if index:
            self.run("CREATE INDEX ON {} ({})".format(table, index))
        self.run("ANALYZE {}".format(table))
        return table

    def drop(self):
        if self.conn.closed:
            return
        for table in reversed(self.tables):
            try:
                self.run("DROP TABLE IF EXISTS {}".format(table))
            except Exception:  # noqa: BLE001 - e.g. an aborted transaction: the tables went with it
                pass

    def tune(self):
        """Session settings for large set-based statements: PostGIS on the search path (the registry's connection
        has only its schema there), parallel workers, memory for sorts and hashes."""
        row = self.run("SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
                       "WHERE e.extname = 'postgis'", fetch="one")
        if not row:
            raise InDbError(tr("PostGIS is not installed in the database of the layers"))
        self.run("SELECT set_config('search_path', current_setting('search_path') || ', ' || quote_ident(%s), false)",
                 (row[0],))
        self.run("SET max_parallel_workers_per_gather = %s", (PARALLEL_WORKERS,))
        self.run("SET work_mem = '256MB'")
        self.run("SET parallel_setup_cost = 100")
        self.run("SET parallel_tuple_cost = 0.01")


def guarded(conn, close, schema: str, progress, feedback, job):
    """job(work) with cancel through the connection, its work tables dropped and the connection closed after."""
    work = Work(conn, schema, progress)
    try:
        with Canceler(conn, feedback) as canceler:
            try:
                return job(work)
            except Exception as e:  # noqa: BLE001 - a canceled statement surfaces as the driver's error
                if canceler.canceled:
                    raise jobs.EngineError(tr("Canceled; nothing was changed"), canceled=True) from None
                raise _engine_error(e) from None
    finally:
        work.drop()
        close()


def _engine_error(e: Exception) -> Exception:
    if isinstance(e, (jobs.EngineError, InDbError)):
        return e
    if isinstance(e, RegistryError):
        return jobs.EngineError(str(e))
    detail = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
    return jobs.EngineError(tr("The database could not run the job; nothing was changed: {}").format(detail))
