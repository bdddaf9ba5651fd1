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


from citycode.plugin.core.engine import jobs
from citycode.plugin.core.registry import pg_connection
from citycode.plugin.core.codes.profiles import load_profile
from citycode.plugin.core.registry.base import IssueRequest, RegistryError
from citycode.plugin.core.registry.backends import open_registry
from citycode.plugin.core.registry.sqlite import SQLiteRegistry
from citycode.plugin.core.registry.sqlite_schema import SCHEMA_VERSION

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
    with pytest.raises(jobs.EngineError, match="neither a PostgreSQL connection"):
        jobs.registry_location("registry for=city b", str(tmp_path / "out.gpkg"))
    assert jobs.registry_location(closed_port, str(tmp_path / "out.gpkg")) == closed_port
    assert files_in(tmp_path) == []


def test_settings_refuse_a_mistyped_connection(tmp_path):
    from citycode.plugin.core.settings import registry_problem
    assert "neither a PostgreSQL connection" in registry_problem("registry for=city b")
    assert "must not contain a password" in registry_problem("host=db dbname=gis password=x")
    assert registry_problem(str(tmp_path / "my registry=old.sqlite")) == ""


def test_qgis_process_registry_conninfo_is_postgres_not_a_file(tmp_path, sample_gpkg):
    """The issue's run: REGISTRY=host=… port=… dbname=… user=… through qgis_process made a SQLite file named
    after it and issued codes from 1. Now it is a PostgreSQL connection (none listens at port 1)."""
    work = tmp_path / "cwd"
    work.mkdir()
    cmd = [os.path.join(ROOT, "scripts", "qgis_process.sh"), "run", "citycode:assigncodes", "--",
           "BUILDINGS={}|layername=buildings".format(sample_gpkg),
           "DIVISIONS={}|layername=divisions".format(sample_gpkg),
           "ID_FIELD=id", "REGISTRY=host=127.0.0.1 port=1 dbname=gis user=alice connect_timeout=2",
           "OUTPUT={}".format(tmp_path / "out.gpkg")]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300, cwd=str(work))
    assert proc.returncode != 0
    assert "Cannot connect to the registry database host=127.0.0.1 port=1" in proc.stdout + proc.stderr
    assert os.listdir(str(work)) == [] and not os.path.exists(str(tmp_path / "out.gpkg"))


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


def damage_gpkg(sample_gpkg, tmp_path):
    path = str(tmp_path / "town.gpkg")
    shutil.copy(str(sample_gpkg), path)
    with open(path, "r+b") as f:
        f.seek(100)
        f.write(b"\xa5" * 3000)  # the schema page
    return path


def test_damaged_geopackage_input_says_damaged(sample_gpkg, tmp_path):
    from citycode.plugin.core.engine.assign import AssignJob, LayerInput, run_assign
    bad = damage_gpkg(sample_gpkg, tmp_path)
    before = digest(bad)
    with pytest.raises(jobs.EngineError) as err:
        run_assign(AssignJob(buildings=LayerInput(path=bad, layer="buildings"),
                             divisions=LayerInput(path=str(sample_gpkg), layer="divisions"),
                             output=str(tmp_path / "out.gpkg")))
    assert "is damaged" in str(err.value) and "not found" not in str(err.value)
    assert digest(bad) == before and not os.path.exists(str(tmp_path / "out.gpkg"))


def test_damaged_geopackage_in_processing_says_damaged(sample_gpkg, tmp_path, citycode_processing):
    import processing
    from qgis.core import QgsProcessingException
    bad = damage_gpkg(sample_gpkg, tmp_path)
    before = digest(bad)
    with pytest.raises(QgsProcessingException) as err:
        processing.run("citycode:assigncodes", {
            "BUILDINGS": bad + "|layername=buildings", "DIVISIONS": str(sample_gpkg) + "|layername=divisions",
            "OUTPUT": str(tmp_path / "out.gpkg")})
    assert "is damaged" in str(err.value) and "not found" not in str(err.value)
    assert digest(bad) == before


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
        from citycode.plugin.core.codes.profiles import load_profile
        from citycode.plugin.core.registry.base import IssueRequest, RegistryError
        from citycode.plugin.core.registry.backends import open_registry
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


# -- dataset namespaces: two cities with layers named `buildings` never share a code --------------------------
def write_city(folder, divisions, x0, moved=()):
    """A city: two divisions side by side, 20 buildings (ids 1..20) in a layer named `buildings`; the ids in
    `moved` lie in the other division."""
    import shapely
    from pyogrio.raw import write as ogr_write
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "city.gpkg")
    y0 = 4_400_000
    boxes = [shapely.box(x0, y0, x0 + 1000, y0 + 1000), shapely.box(x0 + 1000, y0, x0 + 2000, y0 + 1000)]
    ogr_write(path, shapely.to_wkb(np.array(boxes, dtype=object)), [np.array(divisions, dtype=object)], ["code"],
              layer="divisions", driver="GPKG", crs="EPSG:4526", geometry_type="Polygon")
    ids = np.arange(1, 21)
    xs = [x0 + 50 + 90 * (i % 10) + (1000 if (i > 10) != (i in moved) else 0) for i in ids]
    footprints = [shapely.box(x, y0 + 100 + 3 * i, x + 20, y0 + 120 + 3 * i) for x, i in zip(xs, ids)]
    ogr_write(path, shapely.to_wkb(np.array(footprints, dtype=object)), [ids, np.full(20, 2024)], ["id", "year"],
              layer="buildings", driver="GPKG", crs="EPSG:4526", geometry_type="Polygon")
    return path


CITY_A, CITY_B = ("340104001", "340104002"), ("350102001", "350102002")


def read_rows(path):
    """The output's attribute rows as dicts, read with OGR alone (no pandas in the test environment)."""
    from osgeo import ogr
    ds = ogr.Open(path)
    rows = [f.items() for f in ds.GetLayer(0)]
    ds = None
    return rows


def col(rows, name):
    return [r[name] for r in rows]


def code_city(path, registry, out, **kw):
    from citycode.plugin.core.engine.assign import AssignJob, LayerInput, run_assign
    result = run_assign(AssignJob(buildings=LayerInput(path=path, layer="buildings"),
                                  divisions=LayerInput(path=path, layer="divisions"), output=out,
                                  registry=registry, year_field="year", id_field="id", actor="tester",
                                  report=os.path.splitext(out)[0] + ".json", **kw))
    import json
    table = read_rows(out)
    with open(result.report, encoding="utf-8") as f:
        return result, table, json.load(f)


def test_two_cities_named_buildings_never_share_a_code(tmp_path):
    registry = str(tmp_path / "registry.sqlite")
    a = write_city(str(tmp_path / "city_a"), CITY_A, 38_500_000)
    b = write_city(str(tmp_path / "city_b"), CITY_B, 38_600_000)
    before_a, before_b = digest(a), digest(b)
    ra, ta, rep_a = code_city(a, registry, str(tmp_path / "a_coded.gpkg"))
    rb, tb, rep_b = code_city(b, registry, str(tmp_path / "b_coded.gpkg"))
    assert ra.counts["new"] == 20 and rb.counts["new"] == 20 and rb.counts["existing"] == 0
    assert not set(col(ta, "citycode")) & set(col(tb, "citycode"))
    for table in (ta, tb):
        assert all(r["citycode"][:9] == r["division"] for r in table)  # every code of its own division
    assert rep_a["namespace"] == "file:{}|buildings".format(os.path.abspath(a)) != rep_b["namespace"]
    assert digest(a) == before_a and digest(b) == before_b  # inputs are never written to
    # the same city again, and its coded output (which carries the namespace): the same codes
    again, t2, _ = code_city(a, registry, str(tmp_path / "a_again.gpkg"))
    assert again.counts["existing"] == 20 and col(t2, "citycode") == col(ta, "citycode")
    copy = str(tmp_path / "elsewhere" / "renamed.gpkg")
    os.makedirs(os.path.dirname(copy))
    shutil.copy(str(tmp_path / "a_coded.gpkg"), copy)
    from citycode.plugin.core.engine.assign import AssignJob, LayerInput, run_assign
    res = run_assign(AssignJob(buildings=LayerInput(path=copy, layer="buildings_coded"),
                               divisions=LayerInput(path=a, layer="divisions"), output=str(tmp_path / "c.gpkg"),
                               registry=registry, year_field="year", id_field="id", actor="tester"))
    assert res.counts["existing"] == 20 and res.counts["new"] == 0


@pytest.fixture(params=["sqlite", "postgres"])
def any_registry(request, tmp_path):
    if request.param == "sqlite":
        return str(tmp_path / "registry.sqlite")
    from test_registry_postgres import new_uri
    return new_uri(request.getfixturevalue("pg_server"))


def test_layer_name_identities_are_adopted_only_by_the_dataset_whose_divisions_agree(tmp_path, any_registry):
    """A registry from before namespaces: city A's codes under "buildings:<id>". City B (same ids, layer name)
    does not take them; city A adopts them once, and they are its codes from then on."""
    registry = any_registry
    a = write_city(str(tmp_path / "city_a"), CITY_A, 38_500_000)
    b = write_city(str(tmp_path / "city_b"), CITY_B, 38_600_000)
    with open_registry(registry) as reg:
        ids = np.arange(1, 21)
        old = reg.issue(load_profile("building"), IssueRequest(
            identity=np.array(["buildings:{}".format(i) for i in ids], dtype=object),
            division=np.array([CITY_A[0] if i <= 10 else CITY_A[1] for i in ids]), year=np.full(20, 2024),
            order=ids), "tester").code
    rb, tb, rep_b = code_city(b, registry, str(tmp_path / "b_coded.gpkg"))
    assert rb.counts["new"] == 20 and not set(col(tb, "citycode")) & set(old)
    assert rep_b["namespace_adoption"] == {"adopted": 0, "left": 20}
    from citycode.plugin.core.engine.report import to_html
    assert "20 codes under the layer name lie in other divisions" in to_html(rep_b)
    ra, ta, rep_a = code_city(a, registry, str(tmp_path / "a_coded.gpkg"))
    assert ra.counts["existing"] == 20 and col(ta, "citycode") == list(old)
    assert rep_a["namespace_adoption"] == {"adopted": 20, "left": 0}
    with open_registry(registry) as reg:
        assert reg.get(old[0]).identity == "file:{}|buildings:1".format(os.path.abspath(a))
        assert reg.count() == 40


def test_an_existing_code_of_another_division_is_a_conflict_not_reused(tmp_path):
    registry = str(tmp_path / "registry.sqlite")
    a = write_city(str(tmp_path / "city_a"), CITY_A, 38_500_000)
    _, first, _ = code_city(a, registry, str(tmp_path / "a1.gpkg"))
    a = write_city(str(tmp_path / "city_a"), CITY_A, 38_500_000, moved=(3,))  # building 3 now lies in the other
    result, table, rep = code_city(a, registry, str(tmp_path / "a2.gpkg"))
    (row,) = [r for r in table if r["id"] == 3]
    assert row["cc_status"] == "conflict" and row["citycode"] is None and row["division"] == CITY_A[1]
    assert result.counts["conflict"] == 1 and result.counts["existing"] == 19
    (listed,) = rep["registry_conflicts"]
    (old,) = [r["citycode"] for r in first if r["id"] == 3]
    assert listed["id"] == 3 and listed["registry_code"] == old and listed["division"] == CITY_A[1]
    assert old[:9] == CITY_A[0]
    with open_registry(registry) as reg:
        assert reg.count() == 20 and reg.get(old).status == "active"


def test_the_same_namespace_given_to_two_cities_gives_conflicts_not_codes(tmp_path):
    """Even when a user gives both cities one NAMESPACE, city A's codes never reach city B: they are of
    divisions where B's buildings do not lie."""
    registry = str(tmp_path / "registry.sqlite")
    a = write_city(str(tmp_path / "city_a"), CITY_A, 38_500_000)
    b = write_city(str(tmp_path / "city_b"), CITY_B, 38_600_000)
    _, ta, _ = code_city(a, registry, str(tmp_path / "a.gpkg"), namespace="city")
    rb, tb, rep = code_city(b, registry, str(tmp_path / "b.gpkg"), namespace="city")
    assert rb.counts["conflict"] == 20 and rb.counts["coded"] == 0 and all(c is None for c in col(tb, "citycode"))
    assert rep["namespace"] == "city" and rep["namespace_note"] == "Namespace city (given)"
    assert sorted(r["registry_code"] for r in rep["registry_conflicts"]) == sorted(col(ta, "citycode"))


# -- enum parameters through qgis_process: the number `help` lists, or the name ------------------------------
SAMPLE = os.path.join(ROOT, "resources", "sample")
# Per algorithm: its other parameters ({tmp}: the test's folder), and per enum parameter the option to choose
# (not the default where a run shows the choice), by name; its number is looked up in the parameter.
ENUM_RUNS = {
    "citycode:assigncodes": (["BUILDINGS={gpkg}|layername=buildings", "DIVISIONS={gpkg}|layername=divisions",
                              "ID_FIELD=id", "YEAR_FIELD=year", "REGISTRY={tmp}/registry.sqlite",
                              "OUTPUT={tmp}/coded.gpkg", "REPORT={tmp}/assign.json"],
                             {"RULE": "centroid", "PROFILE": "building", "BUILDINGS_DATUM": "as_labelled",
                              "DIVISIONS_DATUM": "as_labelled", "PLANNING_DATUM": "as_labelled", "PARTS": "report",
                              "ENGINE": "qgis"}),
    "citycode:overlaycheck": (["BUILDINGS={gpkg}|layername=buildings", "PLANNING={gpkg}|layername=stbhhx",
                               "OUTPUT={tmp}/overlay.gpkg", "REPORT={tmp}/overlay.json"],
                              {"BUILDINGS_DATUM": "as_labelled", "PLANNING_DATUM": "as_labelled", "ENGINE": "qgis"}),
    "citycode:checkout": (["REGISTRY={tmp}/registry.sqlite", "DIVISIONS={gpkg}|layername=divisions",
                           "DIVISION_CODES=340104001", "BLOCK_SIZE=5", "OUTPUT={tmp}/package.gpkg"],
                          {"PROFILES": "project"}),
    "citycode:codepoints": (["INPUT_FILE={sample}/monitoring_points.csv", "DIVISIONS={gpkg}|layername=divisions",
                             "REGISTRY={tmp}/points_registry.sqlite", "OUTPUT={tmp}/points.gpkg"],
                            {"COORDINATE_FORMAT": "auto", "DATUM": "auto", "ENCODING": "UTF-8",
                             "PROFILE": "point", "DIVISIONS_DATUM": "as_labelled", "PLANNING_DATUM": "as_labelled",
                             "ENGINE": "auto"}),
    "citycode:convertdatum": (["INPUT={tmp}/points.gpkg", "OUTPUT={tmp}/converted.gpkg"],
                              {"FROM": "gcj02", "TO": "wgs84"}),
    "citycode:exportcodedmap": (["BUILDINGS={tmp}/coded.gpkg", "OUTPUT={tmp}/map.png", "DPI=50"],
                                {"MODE": "single", "TEMPLATE": "A4 portrait", "FORMAT": "png"}),
    "citycode:exportcodes": (["INPUT={tmp}/coded.gpkg", "OUTPUT={tmp}/codes.csv"],
                             {"FORMAT": "csv", "ENCODING": "UTF-8", "DATUM": "as_input",
                              "GEOMETRY": "xy", "POINT": "point_on_surface"}),
    "citycode:importobservations": (["INPUT={sample}/observations.csv", "REGISTRY={tmp}/points_registry.sqlite",
                                     "NAMESPACE=monitoring_points"],
                                    {"ON_CONFLICT": "replace", "ENCODING": "auto"}),
    "citycode:importpoints": (["INPUT={sample}/monitoring_points.csv", "OUTPUT={tmp}/imported.gpkg"],
                              {"FORMAT": "auto", "DATUM": "WGS84", "ENCODING": "UTF-8"}),
    "citycode:repairtext": (["INPUT={tmp}/codes_shp/codes.shp", "OUTPUT={tmp}/repaired.gpkg"],
                            {"ENCODING": "UTF-8"}),
    "citycode:resolveconflict": (["REGISTRY={tmp}/registry.sqlite", "CONFLICT=1"], {"CHOICE": "package"}),
    "citycode:validatecodes": (["INPUT={tmp}/coded.gpkg", "FIELD=citycode", "OUTPUT={tmp}/validated.gpkg"],
                               {"KIND": "xmdm"}),
}


def test_the_enum_table_covers_every_enum_parameter(citycode_processing):
    from qgis.core import QgsApplication
    found = {(alg.id(), d.name()) for alg in QgsApplication.processingRegistry().providerById("citycode").algorithms()
             for d in alg.parameterDefinitions() if d.type() == "enum"}
    assert found == {(alg, name) for alg, (_, enums) in ENUM_RUNS.items() for name in enums}


def test_every_enum_option_by_number_and_by_name(citycode_processing):
    """In process, for every option of every enum parameter: its number (as text and as a number) and its name
    are taken and mean the same option; an unknown value is refused."""
    from qgis.core import QgsApplication, QgsProcessingContext
    from citycode.plugin.processing.base import ENUM_NAMES
    context = QgsProcessingContext()
    for alg in QgsApplication.processingRegistry().providerById("citycode").algorithms():
        for d in alg.parameterDefinitions():
            if d.type() != "enum":
                continue
            names = d.metadata().get(ENUM_NAMES) or d.options()
            for i, name in enumerate(names):
                stored = {alg.enum_choice(d, v) for v in (i, str(i), name, d.options()[i])}
                assert len(stored) == 1, (alg.id(), d.name(), name, stored)
                assert d.checkValueIsAcceptable(stored.pop(), context), (alg.id(), d.name(), name)
            assert not d.checkValueIsAcceptable(alg.enum_choice(d, "no such option"), context)
            assert not d.checkValueIsAcceptable(alg.enum_choice(d, str(len(names))), context)


@pytest.fixture(scope="module")
def enum_runs(tmp_path_factory, sample_gpkg, citycode_processing):
    """Every algorithm through qgis_process.bin (scripts/qgis_process.sh), its enums once by number and once by
    name, in an order where each finds what an earlier one made: {(algorithm, "number"/"name"): (rc, output)}."""
    from osgeo import gdal
    from qgis.core import QgsApplication
    from citycode.plugin.processing.base import ENUM_NAMES

    def number(alg, param, name):
        d = QgsApplication.processingRegistry().algorithmById(alg).parameterDefinition(param)
        return (d.metadata().get(ENUM_NAMES) or d.options()).index(name)
    out = {}
    for style in ("number", "name"):
        tmp = str(tmp_path_factory.mktemp(style))
        gpkg = os.path.join(tmp, "town.gpkg")
        shutil.copy(str(sample_gpkg), gpkg)
        for alg, (args, enums) in ENUM_RUNS.items():
            if alg == "citycode:repairtext":  # a shapefile to repair: the coded buildings
                os.makedirs(os.path.join(tmp, "codes_shp"))
                gdal.VectorTranslate(os.path.join(tmp, "codes_shp", "codes.shp"), os.path.join(tmp, "coded.gpkg"),
                                     options=gdal.VectorTranslateOptions(
                                         selectFields=["id", "citycode"],
                                         layerCreationOptions=["ENCODING=UTF-8"]))
            values = [f"{k}={number(alg, k, v) if style == 'number' else v}" for k, v in enums.items()]
            cmd = [os.path.join(ROOT, "scripts", "qgis_process.sh"), "--json", "run", alg, "--"] + \
                [a.format(tmp=tmp, gpkg=gpkg, sample=SAMPLE) for a in args] + values
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
            out[(alg, style)] = (proc.returncode, proc.stdout + proc.stderr, tmp)
    return out


@pytest.mark.parametrize("alg", sorted(ENUM_RUNS))
@pytest.mark.parametrize("style", ["number", "name"])
def test_qgis_process_takes_enum_numbers_and_names(enum_runs, alg, style):
    import json
    rc, text, tmp = enum_runs[(alg, style)]
    assert "Incorrect parameter value" not in text, text[-2000:]
    if alg == "citycode:resolveconflict":  # no conflict in the registry: the algorithm ran and said so
        assert "There is no conflict 1" in text, text[-2000:]
        return
    assert rc == 0, text[-3000:]
    if alg == "citycode:assigncodes":  # the choices reached the engine
        with open(os.path.join(tmp, "assign.json"), encoding="utf-8") as f:
            rep = json.load(f)
        assert rep["inputs"]["rule"] == "centroid" and rep["engine"] == "qgis"
    elif alg == "citycode:exportcodes":
        with open(os.path.join(tmp, "codes.csv"), encoding="utf-8-sig") as f:
            header = f.readline()
        assert "x" in header.lower().split(",") and "wkt" not in header.lower()
    elif alg == "citycode:exportcodedmap":
        assert os.path.isfile(os.path.join(tmp, "map.png"))
    elif alg == "citycode:validatecodes":  # building codes are no 投资项目代码
        results = json.loads(text[text.index("{"):text.rindex("}") + 1])["results"]
        assert results["VALID"] == 0 and results["INVALID"] > 0
    elif alg == "citycode:checkout":
        with open_registry(os.path.join(tmp, "package.gpkg")) as reg:
            assert {b.profile for b in reg.blocks()} == {"project"}


def test_namespace_from_the_batch_dialog_and_codepoints(qgis_iface, citycode_processing, tmp_path):
    """The batch dialog's namespace goes to assigncodes (its report names it); codepoints takes NAMESPACE."""
    import json
    import processing
    from qgis.core import QgsProject, QgsVectorLayer
    from citycode.plugin.gui import batch
    a = write_city(str(tmp_path / "city_a"), CITY_A, 38_500_000)
    layers = [QgsVectorLayer("{}|layername={}".format(a, n), n, "ogr") for n in ("buildings", "divisions")]
    QgsProject.instance().addMapLayers(layers)
    try:
        dialog = batch.BatchDialog(qgis_iface)
        dialog.features.setLayer(layers[0])
        dialog.divisions.setLayer(layers[1])
        dialog.id_field.setField("id")
        dialog.namespace.setText("  city-a  ")
        dialog.output.setFilePath(str(tmp_path / "coded.gpkg"))
        dialog.registry.setFilePath(str(tmp_path / "registry.sqlite"))
        params = dialog.parameters()
        assert params["NAMESPACE"] == "city-a"
        params["PLANNING"] = []
        processing.run("citycode:assigncodes", dict(params, REPORT=str(tmp_path / "report.json")))
        with open(str(tmp_path / "report.json"), encoding="utf-8") as f:
            assert json.load(f)["namespace"] == "city-a"
        with open_registry(str(tmp_path / "registry.sqlite")) as reg:
            assert all(r.identity.startswith("city-a:") for r in reg.find(CITY_A[0]))
    finally:
        QgsProject.instance().removeMapLayers([layer.id() for layer in layers])
    out = processing.run("citycode:codepoints", {
        "INPUT_FILE": os.path.join(SAMPLE, "monitoring_points.csv"),
        "DIVISIONS": os.path.join(SAMPLE, "sample_town.gpkg") + "|layername=divisions",
        "NAMESPACE": "stations-2024", "REGISTRY": str(tmp_path / "points.sqlite"),
        "OUTPUT": str(tmp_path / "points.gpkg")})
    with open_registry(out["REGISTRY"]) as reg:
        found = reg.find("340", limit=1000)
        assert found and all(r.identity.startswith("stations-2024:") for r in found)


def test_in_database_run_lists_a_code_of_another_division_as_a_conflict(pg_server, sample_gpkg, tmp_path):
    """The in-PostGIS twin of the engine follows the same rule: a building moved into another division keeps
    its registry code there, and the run lists it as a conflict instead of reusing it."""
    if not pg_server.postgis:
        pytest.skip("PostGIS is not installed")
    from citycode.plugin.core.engine import postgis as pe
    from test_postgis_engine import indb, job, load, new_schema, table_rows
    schema = new_schema(pg_server, "trust")
    load(pg_server, sample_gpkg, schema, ("divisions", "buildings"))
    reg = pg_server.uri(new_schema(pg_server, "trustreg"))
    first = pe.run_assign_in_db(job(tmp_path, reg, planning=()), indb(pg_server, schema, "coded1", planning=()))
    rows = table_rows(pg_server, schema, "coded1")
    moved = min(i for i, r in rows.items() if r["cc_status"] == "new" and not r["straddle"])
    old_code, old_div = rows[moved]["citycode"], rows[moved]["division"]
    pg_server.sql('UPDATE "{0}".buildings b SET geom = ST_Translate(b.geom, ST_X(p) - ST_X(ST_Centroid(b.geom)), '
                  'ST_Y(p) - ST_Y(ST_Centroid(b.geom))) FROM (SELECT ST_PointOnSurface(geom) AS p FROM '
                  '"{0}".divisions WHERE code <> %s ORDER BY ST_Area(geom) DESC LIMIT 1) d WHERE b.id = %s'.format(
                      schema), (old_div, moved))
    again = pe.run_assign_in_db(job(tmp_path, reg, planning=()), indb(pg_server, schema, "coded2", planning=()))
    row = table_rows(pg_server, schema, "coded2")[moved]
    assert row["cc_status"] == "conflict" and row["citycode"] is None and row["division"] != old_div
    assert again.counts["conflict"] == 1 and again.counts["new"] == 0
    assert again.counts["existing"] == first.counts["new"] - 1
    with open_registry(reg) as r:
        assert r.get(old_code).status == "active" and r.count() == first.counts["new"]
