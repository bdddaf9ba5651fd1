"""Codes you can trust (issue 14): registry locations parsed safely, registries refused or opened read-only
with the file byte-identical, the PostgreSQL audit's database user, dataset namespaces that cannot collide,
and enum parameters that take their number and their name from qgis_process.
"""
import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import textwrap

import numpy as np
import pytest

from citycode.plugin.core import engine, pg_connection
from citycode.plugin.core.profiles import load_profile
from citycode.plugin.core.registry import IssueRequest, RegistryError, open_registry
from citycode.plugin.core.registry_sqlite import SCHEMA_VERSION, SQLiteRegistry

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DIV = "340104001"


def digest(path) -> str:
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def files_in(folder):
    return sorted(os.listdir(folder))


def issue_one(reg, identity, division=DIV, year=2024):
    return reg.issue(load_profile("building"), IssueRequest(
        identity=np.array([identity], dtype=object), division=np.array([division]), year=np.array([year]),
        order=np.array([0])), "tester")


@pytest.fixture()
def registry_file(tmp_path):
    """A registry with one code, closed (its WAL folded in)."""
    path = str(tmp_path / "reg" / "registry.sqlite")
    os.makedirs(os.path.dirname(path))
    with open_registry(path) as reg:
        code = issue_one(reg, "b:1").code[0]
    return path, code


# -- registry locations ----------------------------------------------------------------------------------
CONNECTION_STRINGS = [
    "host=127.0.0.1 port=5432 dbname=gis user=alice",
    "host=127.0.0.1 port=5432 dbname=… user=…",
    "  dbname = 'city code' host='/var/run/postgresql'  ",
    "host=db.example.org dbname=gis sslmode=require schema=codes",
    "service=citycode",
    "postgresql://alice@db.example.org:5432/gis?schema=codes",
    "postgres://db.example.org/gis",
    "qgis:office",
]


@pytest.mark.parametrize("text", CONNECTION_STRINGS)
def test_connection_strings_are_postgres_locations(text):
    assert pg_connection.is_postgres_location(text)


@pytest.mark.parametrize("text", ["registry.sqlite", "/data/a=b.sqlite", "a=b.sqlite", "C:\\data\\reg.sqlite",
                                  "/data/my registry=old.sqlite", ""])
def test_file_paths_are_not_postgres_locations(text):
    assert not pg_connection.is_postgres_location(text)


def test_a_connection_string_never_becomes_a_file(tmp_path, monkeypatch):
    """The issue's case: REGISTRY=host=… port=… dbname=… user=… made a SQLite file named after it. Now it is a
    PostgreSQL location (the connection fails: nothing listens there), a password is refused, a key=value
    text that is no connection is refused; no file or folder appears, and a run changes no earlier output."""
    monkeypatch.chdir(tmp_path)
    closed_port = "host=127.0.0.1 port=1 dbname=gis user=alice connect_timeout=2"
    with pytest.raises(RegistryError, match="Cannot connect to the registry database"):
        open_registry(closed_port)
    with pytest.raises(RegistryError, match="must not contain a password") as err:
        open_registry("host=127.0.0.1 dbname=gis user=alice password=s3cret")
    assert "s3cret" not in str(err.value)
    with pytest.raises(RegistryError, match="must not contain a password") as err:
        open_registry("postgresql://alice:s3cret@127.0.0.1/gis")
    assert "s3cret" not in str(err.value)
    with pytest.raises(RegistryError, match="not a valid PostgreSQL connection") as err:
        open_registry("host=127.0.0.1 databse=gis password=s3cret")  # a typo: still no file, no password shown
    assert "s3cret" not in str(err.value)
    with pytest.raises(RegistryError, match="neither a PostgreSQL connection .* nor a registry file"):
        open_registry("my registry=old.sqlite")
    with pytest.raises(engine.EngineError, match="neither a PostgreSQL connection"):
        engine.registry_location("registry for=city b", str(tmp_path / "out.gpkg"))
    assert engine.registry_location(closed_port, str(tmp_path / "out.gpkg")) == closed_port
    assert files_in(tmp_path) == []


def test_an_explicit_path_with_equals_and_spaces_is_a_file(tmp_path):
    path = str(tmp_path / "my registry=old.sqlite")
    with open_registry(path) as reg:
        assert isinstance(reg, SQLiteRegistry)
        issue_one(reg, "b:1")
    assert os.path.isfile(path)


# -- registries that cannot be written: refused or read-only, byte-identical ------------------------------
def test_newer_schema_is_refused_before_anything_is_written(registry_file):
    path, _ = registry_file
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=DELETE")  # as a newer CityCode might leave it: WAL must not be switched on
    con.execute("UPDATE meta SET value=? WHERE key='schema_version'", (str(SCHEMA_VERSION + 1),))
    con.execute("DROP TABLE conflicts")       # nor its tables re-created
    con.commit()
    con.close()
    before, names = digest(path), files_in(os.path.dirname(path))
    with pytest.raises(RegistryError, match="made by a newer CityCode .*Nothing was changed"):
        open_registry(path)
    assert digest(path) == before and files_in(os.path.dirname(path)) == names


@pytest.mark.parametrize("damage", ["garbage_header", "garbage_schema", "truncated"])
def test_damaged_registry_says_damaged(registry_file, damage):
    path, _ = registry_file
    size = os.path.getsize(path)
    with open(path, "r+b") as f:
        if damage == "garbage_header":
            f.write(b"\x00" * 64)
        elif damage == "garbage_schema":
            f.seek(100)
            f.write(b"\xa5" * 3000)  # page 1 below the header: the schema
        else:
            f.truncate(size // 3)
    before = digest(path)
    with pytest.raises(RegistryError) as err:
        open_registry(path)
    message = str(err.value)
    assert "damaged" in message and "not found" not in message and "It was not changed" in message
    assert digest(path) == before


def test_a_geopackage_is_no_registry_and_stays_as_it_was(sample_gpkg, tmp_path):
    gpkg = str(tmp_path / "town.gpkg")
    shutil.copy(sample_gpkg, gpkg)
    before = digest(gpkg)
    with pytest.raises(RegistryError, match="holds other data"):
        open_registry(gpkg)
    assert digest(gpkg) == before


def test_read_only_registry_is_read_only_and_still_answers_lookups(registry_file):
    """Opened by a user who may not write it (the tests run as root, who may write anything: the check runs as
    'nobody' in a child process): lookups work, writing says read-only, the file is byte-identical."""
    if os.geteuid() != 0:
        pytest.skip("needs root to run a child process as another user")
    folder = tempfile.mkdtemp(prefix="citycode-ro-")  # pytest's folders are root's alone
    try:
        os.chmod(folder, 0o755)  # 'nobody' may read but not write the file and its folder
        path = os.path.join(folder, "registry.sqlite")
        shutil.copy(registry_file[0], path)
        os.chmod(path, 0o644)
        _read_only_lookups(path, registry_file[1])
    finally:
        shutil.rmtree(folder)


def _read_only_lookups(path, code):
    folder = os.path.dirname(path)
    before, names = digest(path), files_in(folder)
    script = textwrap.dedent("""
        import sys
        sys.path.insert(0, {tests!r})
        import conftest  # noqa: F401 (import citycode)
        import numpy as np
        from citycode.plugin.core.profiles import load_profile
        from citycode.plugin.core.registry import IssueRequest, RegistryError, open_registry
        with open_registry({path!r}) as reg:
            print("READ_ONLY", reg.read_only)
            print("GET", reg.get({code!r}).code, reg.count())
            print("FIND", [r.code for r in reg.find({code!r}[:10])])
            try:
                reg.issue(load_profile("building"), IssueRequest(
                    identity=np.array(["b:2"], dtype=object), division=np.array(["340104001"]),
                    year=np.array([2024]), order=np.array([0])), "nobody")
            except RegistryError as e:
                print("ISSUE", e)
            try:
                reg.retire({code!r}, "nobody")
            except RegistryError as e:
                print("RETIRE", e)
    """).format(tests=os.path.join(ROOT, "tests"), path=path, code=code)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME="/tmp")
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, env=env,
                          user="nobody", cwd="/tmp")
    out = proc.stdout
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "READ_ONLY True" in out and "GET {} 1".format(code) in out and code in out.split("FIND")[1]
    for action in ("ISSUE", "RETIRE"):
        line = [ln for ln in out.splitlines() if ln.startswith(action)][0]
        assert "is read-only" in line and "Nothing was changed" in line, line
    assert digest(path) == before and files_in(folder) == names


# -- PostgreSQL audit: the database login, whatever the client says -----------------------------------------
def test_postgres_batches_record_session_user(pg_server):
    from test_registry_postgres import new_uri, query
    uri = new_uri(pg_server)
    with open_registry(uri) as reg:
        code = issue_one(reg, "b:1").code[0]
        reg.update(code, "mallory", name="x")
        history = reg.history(code)
        login = query(uri, "SELECT session_user")[0][0]
    assert [(h["actor"], h["db_user"]) for h in history] == [("tester", login), ("mallory", login)]
    # a client that writes db_user itself, or changes it later, does not get its way
    query(uri, "INSERT INTO batches(actor, action, count, db_user) VALUES('x', 'issue', 0, 'somebody_else')")
    query(uri, "UPDATE batches SET db_user='somebody_else'")
    assert query(uri, "SELECT DISTINCT db_user FROM batches") == [(login,)]
