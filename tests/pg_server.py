"""A throw-away PostgreSQL server for tests: Debian's binaries, a temporary data directory, gone afterwards.

`PgServer().start()` runs initdb (fsync off) and pg_ctl in a fresh directory under /tmp, listening on
a unix socket in that directory and on a free 127.0.0.1 port; `stop()` stops it and removes the
directory. As root (CI containers) the server runs as the `postgres` system user, since initdb refuses
root; otherwise as the current user. The superuser is `cc_super`: local socket connections are trusted,
TCP connections need a password (scram-sha-256), so password logins can be tested.

The session fixture `pg_server` yields a started server with a database `citycode_test` (and PostGIS
in it when installed). Without the binaries it skips, except in CI (CI=true), where that is a failure.
"""
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time

import pytest

SUPERUSER = "cc_super"
DATABASE = "citycode_test"


def find_bindir():
    """The newest /usr/lib/postgresql/<version>/bin holding initdb and pg_ctl, or None."""
    found = []
    for initdb in glob.glob("/usr/lib/postgresql/*/bin/initdb"):
        version = os.path.basename(os.path.dirname(os.path.dirname(initdb)))
        if version.isdigit() and os.access(os.path.join(os.path.dirname(initdb), "pg_ctl"), os.X_OK):
            found.append((int(version), os.path.dirname(initdb)))
    return max(found)[1] if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PgServer:
    def __init__(self, bindir: str):
        self.bindir = bindir
        self.root = None
        self.port = None
        self.as_user = None  # run the server binaries as this system user (root cannot)
        if os.geteuid() == 0:
            try:
                pwd.getpwnam("postgres")
            except KeyError:
                raise RuntimeError("running as root and there is no 'postgres' user to run the server") from None
            self.as_user = "postgres"

    @property
    def socket_dir(self) -> str:
        return self.root

    @property
    def data_dir(self) -> str:
        return os.path.join(self.root, "data")

    def _run(self, *args, check=True):
        cmd = [os.path.join(self.bindir, args[0]), *args[1:]]
        if self.as_user:
            cmd = ["runuser", "-u", self.as_user, "--", *cmd]
        return subprocess.run(cmd, check=check, capture_output=True, text=True, cwd=self.root)

    def start(self) -> "PgServer":
        self.root = tempfile.mkdtemp(prefix="citycode-pg-")  # short: unix socket paths are limited to 107 bytes
        if self.as_user:
            entry = pwd.getpwnam(self.as_user)
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
        self._run("initdb", "-D", self.data_dir, "-U", SUPERUSER, "-N", "-E", "UTF8", "--locale=C.UTF-8",
                  "--auth-local=trust", "--auth-host=scram-sha-256")
        with open(os.path.join(self.data_dir, "postgresql.conf"), "a") as conf:
            conf.write("\n".join((
                "unix_socket_directories = '{}'".format(self.root), "listen_addresses = '127.0.0.1'",
                "fsync = off", "synchronous_commit = off", "full_page_writes = off",
                "max_connections = 60", "shared_buffers = 64MB", "log_min_messages = warning", "")))
        for attempt in range(3):  # the free port may be taken between choosing and binding it
            self.port = _free_port()
            started = self._run("pg_ctl", "-D", self.data_dir, "-l", os.path.join(self.root, "server.log"),
                                "-o", "-p {}".format(self.port), "-w", "-t", "60", "start", check=False)
            if started.returncode == 0:
                return self
        raise RuntimeError("PostgreSQL did not start: {}\n{}".format(started.stderr, self.log()))

    def log(self) -> str:
        try:
            with open(os.path.join(self.root, "server.log")) as f:
                return f.read()[-3000:]
        except OSError:
            return ""

    def stop(self):
        if self.root and os.path.isdir(self.data_dir):
            self._run("pg_ctl", "-D", self.data_dir, "-m", "immediate", "-w", "stop", check=False)
        if self.root:
            shutil.rmtree(self.root, ignore_errors=True)
            self.root = None

    def dsn(self, dbname: str = DATABASE, user: str = SUPERUSER) -> str:
        """libpq key/value conninfo over the unix socket."""
        return "host={} port={} user={} dbname={}".format(self.socket_dir, self.port, user, dbname)

    def uri(self, schema: str = None, dbname: str = DATABASE, user: str = SUPERUSER) -> str:
        """A registry location (postgresql:// URI) over the unix socket, with an optional schema."""
        uri = "postgresql:///{}?host={}&port={}&user={}".format(dbname, self.socket_dir, self.port, user)
        return uri + ("&schema=" + schema if schema else "")

    def sql(self, statement: str, args=None, dbname: str = DATABASE):
        """Run one statement as the superuser (autocommit); the rows when it returns any."""
        import psycopg2
        con = psycopg2.connect(self.dsn(dbname))
        con.autocommit = True
        try:
            with con.cursor() as cur:
                cur.execute(statement, args)
                return cur.fetchall() if cur.description else None
        finally:
            con.close()


def _wait_accepting(server: PgServer, timeout: float = 30):
    import psycopg2
    deadline = time.monotonic() + timeout
    while True:
        try:
            psycopg2.connect(server.dsn("postgres")).close()
            return
        except psycopg2.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


@pytest.fixture(scope="session")
def pg_server():
    """A running PostgreSQL server with the database `citycode_test`; `.postgis` is PostGIS's version or None."""
    bindir = find_bindir()
    if bindir is None:
        message = "PostgreSQL server binaries (/usr/lib/postgresql/<version>/bin, Debian package postgresql) missing"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + " (CI must have them: scripts/setup_env.sh installs them)")
        pytest.skip(message)
    server = PgServer(bindir).start()
    try:
        _wait_accepting(server)
        server.sql("CREATE DATABASE " + DATABASE, dbname="postgres")
        import psycopg2
        try:
            server.postgis = server.sql("CREATE EXTENSION postgis; SELECT postgis_lib_version()")[0][0]
        except psycopg2.Error:  # extension package (postgresql-<version>-postgis-3) not installed
            server.postgis = None
        yield server
    finally:
        server.stop()
