"""Province scale inside PostGIS (plugin/core/engine/postgis.py) against the embedded engine, on a real server.

The sample town's layers are loaded into PostGIS with GDAL; the in-database run (PostgreSQL registry in the same
database) and the embedded engine (the GeoPackage, a fresh SQLite registry) must give every building the same
code, division, status, flags and overlaps. Check characters in SQL are compared with checkdigit.py, codes
composed in SQL with profiles.py.
"""
import itertools
import json
import os
import random

import numpy as np
import psycopg2
import pytest
from osgeo import gdal

from citycode.plugin.core.engine import postgis as pe, postgis_codes
from citycode.plugin.core.engine.postgis_db import PgLayer
from citycode.plugin.core.codes.checkdigit import check_char
from citycode.plugin.core.engine.assign import AssignJob, LayerInput, OverlayJob, run_assign, run_overlay
from citycode.plugin.core.codes.profiles import load_profile
from citycode.plugin.core.registry.base import IssueRequest
from citycode.plugin.core.registry.backends import open_registry
from pyogrio.raw import read as ogr_read

PLANNING = ("stbhhx", "yjjbnt", "czkfbj")
LAYERS = ("divisions", "buildings") + PLANNING
DEFAULT_YEAR = 2024
_schemas = itertools.count(1)
gdal.UseExceptions()


@pytest.fixture(scope="module")
def pg(pg_server):
    if not pg_server.postgis:
        pytest.skip("PostGIS is not installed (Debian package postgresql-<version>-postgis-3)")
    return pg_server


def new_schema(pg, prefix="t"):
    # "indb_": the server is shared by every test module, and others number their schemas the same way
    name = "indb_{}_{}_{}".format(prefix, os.getpid(), next(_schemas))
    pg.sql("CREATE SCHEMA " + name)
    return name


def load(pg, gpkg, schema, layers=LAYERS):
    """The GeoPackage's layers as PostGIS tables (fid kept as the primary key, geometry column geom)."""
    for layer in layers:
        gdal.VectorTranslate("PG:" + pg.dsn(), str(gpkg), layers=[layer], layerName=layer,
                             layerCreationOptions=["SCHEMA=" + schema, "GEOMETRY_NAME=geom", "FID=fid",
                                                   "SPATIAL_INDEX=GIST"], options=["-preserve_fid"])


@pytest.fixture(scope="module")
def town(pg, sample_gpkg):
    schema = new_schema(pg, "town")
    load(pg, sample_gpkg, schema)
    return schema


def pg_layer(pg, schema, table):
    return PgLayer(conninfo=pg.dsn(), schema=schema, table=table, geometry="geom")


def indb(pg, schema, output, planning=PLANNING, buildings="buildings"):
    return pe.InDb(buildings=pg_layer(pg, schema, buildings), divisions=pg_layer(pg, schema, "divisions"),
                   planning=[pg_layer(pg, schema, p) for p in planning], output=output)


def job(tmp_path, registry, gpkg=None, planning=PLANNING, **kw):
    """The same job for both engines; layer names as in the GeoPackage (they name identities and fields)."""
    def inp(layer):
        return LayerInput(path=str(gpkg), layer=layer, name=layer) if gpkg else LayerInput(name=layer)
    kw.setdefault("output", str(tmp_path / "coded.gpkg"))
    kw.setdefault("id_field", "id")
    return AssignJob(buildings=inp("buildings"), divisions=inp("divisions"), division_field="code",
                     year_field="year", default_year=DEFAULT_YEAR,
                     planning=[inp(p) for p in planning], registry=registry, actor="tester", **kw)


def file_rows(path, layer):
    meta, _, _, fields = ogr_read(str(path), layer=layer)
    cols = dict(zip(meta["fields"], fields))
    return {int(i): {k: v[n] for k, v in cols.items()} for n, i in enumerate(cols["id"])}


def table_rows(pg, schema, table):
    con = psycopg2.connect(pg.dsn())
    try:
        with con.cursor() as cur:
            cur.execute('SELECT * FROM "{}"."{}"'.format(schema, table))
            names = [d[0] for d in cur.description]
            return {int(r[names.index("id")]): dict(zip(names, r)) for r in cur.fetchall()}
    finally:
        con.close()


def none_if_nan(v):
    return None if v is None or (isinstance(v, float) and v != v) else v


def assert_same(embedded, indb_rows, columns, float_columns):
    assert set(embedded) == set(indb_rows)
    for i, e in embedded.items():
        d = indb_rows[i]
        for c in columns:
            assert none_if_nan(e[c]) == none_if_nan(d[c]), (i, c, e[c], d[c])
        for c in float_columns:
            assert float(d[c]) == pytest.approx(float(e[c]), rel=1e-6, abs=1e-4), (i, c, e[c], d[c])


def codes_table(pg, schema):
    return pg.sql("SELECT code, identity, division, year, seq, unit, status, batch FROM {}.codes ORDER BY code"
                  .format(schema))


# -- check characters and codes in SQL ------------------------------------------------------------------------
def test_sql_check_characters_equal_checkdigit(pg):
    schema = new_schema(pg, "chk")
    con = psycopg2.connect(pg.dsn())
    con.autocommit = True
    rnd = random.Random(7)
    try:
        with con.cursor() as cur:
            postgis_codes.ensure_check_functions(cur, schema)
            for algorithm, alphabet in (("iso7064_mod11_2", "0123456789"),
                                        ("iso7064_mod37_36", "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")):
                texts = ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 30))) for _ in range(3000)]
                texts += ["0" * 22, "9" * 22, alphabet[-1] * 20]
                cur.execute("SELECT {s}.{f}(t) FROM unnest(%s::text[]) WITH ORDINALITY AS u(t, n) ORDER BY n"
                            .format(s=schema, f=postgis_codes.CHECK_FUNCTIONS[algorithm]), (texts,))
                assert [r[0] for r in cur.fetchall()] == [check_char(algorithm, t) for t in texts]
            cur.execute("SELECT {}.cc_check_iso7064_mod11_2('12A4')".format(schema))
            assert cur.fetchone()[0] is None  # not digits: no check character, as checkdigit refuses it
    finally:
        con.close()


@pytest.mark.parametrize("name", ["building", "project", "point"])
def test_codes_composed_in_sql_equal_the_profile(pg, name):
    profile = load_profile(name)
    rnd = random.Random(name)
    n = 2000
    division = ["{:09d}".format(rnd.randrange(10 ** 9)) for _ in range(n)]
    year = [rnd.randint(1800, 2100) for _ in range(n)]
    seq = [rnd.randint(1, profile.sequence_limit) for _ in range(n)]
    unit_seg = profile.segment("unit")
    unit = ["{:05d}".format(rnd.randrange(10 ** 5)) for _ in range(n)]
    prefix, length = postgis_codes.prefix_sql(profile, "d", "y", "q", "u" if unit_seg else "NULL")
    rows = pg.sql("SELECT {code} FROM (SELECT {prefix} AS p, n FROM unnest(%s::text[], %s::int[], %s::int[], "
                  "%s::text[]) WITH ORDINALITY AS v(d, y, q, u, n) OFFSET 0) x ORDER BY n".format(
                      code=postgis_codes.code_sql(profile, "p", length), prefix=prefix), (division, year, seq, unit))
    expected = profile.compose_many(np.array(division), np.array(year), np.array(seq),
                                    np.array(unit) if unit_seg else None).astype("U").tolist()
    assert [r[0] for r in rows] == expected


# -- assign: in the database vs embedded ------------------------------------------------------------------------
ASSIGN_COLUMNS = ("citycode", "division", "cc_status", "cc_flags", "straddle", "div_shares") + tuple(
    "{}_hit".format(p) for p in PLANNING)
ASSIGN_FLOATS = ("div_share",) + tuple("{}_{}".format(p, s) for p in PLANNING for s in ("area", "pct"))


@pytest.fixture(scope="module")
def assigned(pg, town, sample_gpkg, tmp_path_factory):
    """One in-database run and one embedded run of the same job (rule: area)."""
    tmp = tmp_path_factory.mktemp("assign")
    reg = pg.uri(new_schema(pg, "reg"))
    pg.sql("DROP SCHEMA {} CASCADE".format(reg.rsplit("schema=", 1)[1]))  # a new registry: the registry makes it
    in_db = pe.run_assign_in_db(job(tmp, reg, report=str(tmp / "indb.json")), indb(pg, town, "coded"))
    embedded = run_assign(job(tmp, str(tmp / "registry.sqlite"), gpkg=sample_gpkg, report=str(tmp / "emb.json")))
    return dict(reg=reg, in_db=in_db, embedded=embedded, tmp=tmp)


def test_assign_in_db_gives_the_embedded_engines_codes(pg, town, assigned):
    embedded = file_rows(assigned["embedded"].output, assigned["embedded"].output_layer)
    in_db = table_rows(pg, town, "coded")
    assert_same(embedded, in_db, ASSIGN_COLUMNS, ASSIGN_FLOATS)
    assert assigned["in_db"].counts == assigned["embedded"].counts
    c = assigned["in_db"].counts
    # the sample holds what makes this comparison worth something
    assert c["new"] > 100 and c["straddling"] > 0 and c["outside"] > 0 and c["stbhhx_hits"] > 0, c
    assert assigned["in_db"].engine == pe.ENGINE_NAME


def test_assign_in_db_writes_the_registry_as_the_api_does(pg, assigned):
    schema = assigned["reg"].rsplit("schema=", 1)[1]
    codes = codes_table(pg, schema)
    embedded = file_rows(assigned["embedded"].output, assigned["embedded"].output_layer)
    assert sorted(r[0] for r in codes) == sorted(e["citycode"] for e in embedded.values() if e["citycode"])
    assert {r[1] for r in codes} == {"buildings:{}".format(i) for i, e in embedded.items() if e["citycode"]}
    batches = pg.sql("SELECT id, actor, action, count FROM {}.batches".format(schema))
    assert [(b[1], b[2], b[3]) for b in batches] == [("tester", "issue", len(codes))]
    assert {r[7] for r in codes} == {batches[0][0]}
    # sequences moved to the last number issued per division + year
    last = {(d, y): s for d, y, s in pg.sql("SELECT division, year, last_seq FROM {}.sequences".format(schema))}
    top = {}
    for r in codes:
        top[(r[2], r[3])] = max(top.get((r[2], r[3]), 0), r[4])
    assert last == top
    with open_registry(assigned["reg"]) as reg:  # the registry API reads them as its own
        rec = reg.get(codes[0][0])
        assert rec.status == "active" and rec.unit == "00000" and rec.identity == codes[0][1]


def test_report_of_the_in_db_run_matches_the_embedded_one(assigned):
    with open(assigned["tmp"] / "indb.json", encoding="utf-8") as f:
        in_db = json.load(f)
    with open(assigned["tmp"] / "emb.json", encoding="utf-8") as f:
        emb = json.load(f)
    for key in ("counts", "divisions", "straddling", "outside", "partly_outside", "repaired", "duplicate_id"):
        assert in_db[key] == emb[key], key
    assert in_db["engine"] == pe.ENGINE_NAME
    for name in PLANNING:
        assert in_db["planning"][name]["hits"] == emb["planning"][name]["hits"]
        assert in_db["planning"][name]["area_m2"] == pytest.approx(emb["planning"][name]["area_m2"], rel=1e-6)


def test_rerun_in_db_keeps_the_codes_and_adds_no_rows(pg, town, assigned, tmp_path):
    schema = assigned["reg"].rsplit("schema=", 1)[1]
    before = codes_table(pg, schema)
    sequences = pg.sql("SELECT * FROM {}.sequences ORDER BY 1, 2, 3".format(schema))
    first = table_rows(pg, town, "coded")
    again = pe.run_assign_in_db(job(tmp_path, assigned["reg"]), indb(pg, town, "coded_again"))
    rows = table_rows(pg, town, "coded_again")
    assert {i: r["citycode"] for i, r in rows.items()} == {i: r["citycode"] for i, r in first.items()}
    assert again.counts["new"] == 0 and again.counts["existing"] == assigned["in_db"].counts["new"]
    assert {r["cc_status"] for r in rows.values() if r["citycode"]} == {"existing"}
    assert codes_table(pg, schema) == before
    assert pg.sql("SELECT * FROM {}.sequences ORDER BY 1, 2, 3".format(schema)) == sequences
    # like a registry.issue() that found every code: one more batch row, issuing nothing
    assert [r[0] for r in pg.sql("SELECT count FROM {}.batches ORDER BY id".format(schema))] == [len(before), 0]


def test_second_batch_continues_after_other_clients(pg, sample_gpkg, tmp_path):
    """New buildings coded in the database after codes issued through the registry API (another client)
    get the numbers after those, per division and year, in the order of their ids."""
    schema = new_schema(pg, "grow")
    load(pg, sample_gpkg, schema, ("divisions", "buildings"))
    reg = pg.uri(new_schema(pg, "reg2"))
    pe.run_assign_in_db(job(tmp_path, reg, planning=()), indb(pg, schema, "coded", planning=()))
    first = table_rows(pg, schema, "coded")
    plain = [(r["division"], r["year"]) for r in first.values() if r["cc_status"] == "new" and not r["cc_flags"]]
    division, year = max(set(plain), key=plain.count)
    with open_registry(reg) as api:  # another client codes two buildings in that division + year meanwhile
        other = api.issue(load_profile("building"), IssueRequest(
            identity=np.array(["other:1", "other:2"], dtype=object), division=np.array([division, division]),
            year=np.array([year, year]), order=np.array([0, 1])), "someone")
    # copies of up to five buildings of that division + year with new ids, added in reverse id order
    same = sorted(i for i, r in first.items() if r["division"] == division and r["year"] == year
                  and r["cc_status"] == "new" and not r["cc_flags"])[:5]
    assert len(same) >= 3
    pg.sql("INSERT INTO {s}.buildings(fid, id, year, name, geom) SELECT fid + 100000, id + 100000, year, name, geom "
           "FROM {s}.buildings WHERE id = ANY(%s) ORDER BY id DESC".format(s=schema), (same,))
    pe.run_assign_in_db(job(tmp_path, reg, planning=()), indb(pg, schema, "coded", planning=()))
    rows = table_rows(pg, schema, "coded")
    assert {i: rows[i]["citycode"] for i in first} == {i: r["citycode"] for i, r in first.items()}
    taken = [r["citycode"] for r in first.values() if r["division"] == division and r["year"] == year
             and r["citycode"]] + list(other.code)
    last = max(int(c[13:17]) for c in taken)
    new = [rows[i + 100000]["citycode"] for i in same]
    assert [int(c[13:17]) for c in new] == list(range(last + 1, last + 1 + len(same)))  # id order, not insertion
    profile = load_profile("building")
    assert new == [profile.compose(division, year, last + k + 1) for k in range(len(same))]
    assert pg.sql("SELECT last_seq FROM {}.sequences WHERE division=%s AND year=%s".format(
        reg.rsplit("schema=", 1)[1]), (division, year))[0][0] == last + len(same)


def test_centroid_rule_and_fingerprints_equal_the_embedded_engine(pg, town, sample_gpkg, tmp_path):
    """No id field (identities are geometry fingerprints, repaired geometries included) and the centroid rule."""
    reg = pg.uri(new_schema(pg, "reg3"))
    pe.run_assign_in_db(job(tmp_path, reg, id_field=None, rule="centroid"), indb(pg, town, "coded_centroid"))
    embedded = run_assign(job(tmp_path, str(tmp_path / "r.sqlite"), gpkg=sample_gpkg, id_field=None,
                              rule="centroid"))
    assert_same(file_rows(embedded.output, embedded.output_layer), table_rows(pg, town, "coded_centroid"),
                ASSIGN_COLUMNS, ASSIGN_FLOATS)
    identities = {r[0] for r in pg.sql("SELECT identity FROM {}.codes".format(reg.rsplit("schema=", 1)[1]))}
    with open_registry(str(tmp_path / "r.sqlite")) as sqlite:
        assert identities == {sqlite.get(c).identity for c in (r[0] for r in pg.sql(
            "SELECT code FROM {}.codes".format(reg.rsplit("schema=", 1)[1])))}
    assert all(i.startswith("geom:") for i in identities)


def test_overlay_in_db_equals_run_overlay(pg, town, sample_gpkg, tmp_path):
    floats = tuple("{}_{}".format(p, s) for p in PLANNING for s in ("area", "pct"))
    hits = tuple("{}_hit".format(p) for p in PLANNING)
    planning = [LayerInput(path=str(sample_gpkg), layer=p, name=p) for p in PLANNING]
    embedded = run_overlay(OverlayJob(buildings=LayerInput(path=str(sample_gpkg), layer="buildings", name="buildings"),
                                      planning=planning, output=str(tmp_path / "o.gpkg")))
    result = pe.run_overlay_in_db(OverlayJob(buildings=LayerInput(name="buildings"), output="", planning=[
        LayerInput(name=p) for p in PLANNING], report=str(tmp_path / "o.json")), indb(pg, town, None))
    assert result.output_layer == "buildings_overlay"
    assert_same(file_rows(embedded.output, embedded.output_layer), table_rows(pg, town, "buildings_overlay"),
                hits, floats)
    assert result.counts == embedded.counts and result.counts["yjjbnt_hits"] > 0
    assert json.load(open(tmp_path / "o.json", encoding="utf-8"))["counts"] == embedded.counts


def test_output_table_that_is_an_input_is_refused(pg, town, tmp_path):
    with pytest.raises(Exception, match="one of the inputs"):
        pe.run_overlay_in_db(OverlayJob(buildings=LayerInput(name="buildings"), output="", planning=[
            LayerInput(name="stbhhx")]), indb(pg, town, "{}.buildings".format(town), planning=("stbhhx",)))
    assert pg.sql("SELECT count(*) FROM {}.buildings".format(town))[0][0] > 1000


# -- Processing: the algorithms choose the in-database path ----------------------------------------------------
def qgis_layer(pg, schema, table):
    from qgis.core import QgsVectorLayer
    layer = QgsVectorLayer("{} key='fid' table=\"{}\".\"{}\" (geom)".format(pg.dsn(), schema, table), table, "postgres")
    assert layer.isValid(), table
    return layer


class Log:
    def __init__(self):
        from qgis.core import QgsProcessingFeedback
        self.lines = []
        self.feedback = QgsProcessingFeedback()
        self.feedback.pushInfo = self.lines.append


def test_assigncodes_runs_in_the_database_for_postgis_layers(pg, town, citycode_processing, tmp_path):
    import processing
    reg = pg.uri(new_schema(pg, "reg4"))
    log = Log()
    out = processing.run("citycode:assigncodes", {
        "BUILDINGS": qgis_layer(pg, town, "buildings"), "DIVISIONS": qgis_layer(pg, town, "divisions"),
        "DIVISION_FIELD": "code", "YEAR_FIELD": "year", "ID_FIELD": "id", "DEFAULT_YEAR": DEFAULT_YEAR,
        "PLANNING": [qgis_layer(pg, town, p) for p in PLANNING], "REGISTRY": reg,
        "OUTPUT_TABLE": "{}.proc_coded".format(town), "OUTPUT": "TEMPORARY_OUTPUT",
        "REPORT": str(tmp_path / "r.html")}, feedback=log.feedback)
    assert "Engine: postgis" in log.lines, log.lines
    assert out["OUTPUT"].startswith("postgres://") and "proc_coded" in out["OUTPUT"]
    assert out["NEW"] == pg.sql("SELECT count(*) FROM {}.codes".format(reg.rsplit("schema=", 1)[1]))[0][0] > 100
    rows = table_rows(pg, town, "proc_coded")
    assert {r["cc_status"] for r in rows.values()} >= {"new", "outside"}
    from qgis.core import QgsVectorLayer
    loaded = QgsVectorLayer(out["OUTPUT"][len("postgres://"):], "out", "postgres")
    assert loaded.isValid() and loaded.featureCount() == len(rows)


def test_assigncodes_falls_back_and_says_why(pg, town, citycode_processing, tmp_path):
    """PostGIS layers but a registry file: the run happens in QGIS, and the log says why."""
    import processing
    log = Log()
    out = processing.run("citycode:assigncodes", {
        "BUILDINGS": qgis_layer(pg, town, "buildings"), "DIVISIONS": qgis_layer(pg, town, "divisions"),
        "DIVISION_FIELD": "code", "ID_FIELD": "id", "REGISTRY": str(tmp_path / "reg.sqlite"),
        "OUTPUT": str(tmp_path / "out.gpkg")}, feedback=log.feedback)
    assert any("not inside the database" in line and "PostgreSQL registry" in line for line in log.lines), log.lines
    assert "Engine: postgis" not in log.lines
    assert out["NEW"] > 100 and os.path.exists(tmp_path / "out.gpkg")


def test_overlaycheck_runs_in_the_database_for_postgis_layers(pg, town, citycode_processing):
    import processing
    log = Log()
    out = processing.run("citycode:overlaycheck", {
        "BUILDINGS": qgis_layer(pg, town, "buildings"), "PLANNING": [qgis_layer(pg, town, "yjjbnt")],
        "OUTPUT": "TEMPORARY_OUTPUT"}, feedback=log.feedback)
    assert "Engine: postgis" in log.lines, log.lines
    hits = pg.sql("SELECT sum(yjjbnt_hit) FROM {}.buildings_overlay".format(town))[0][0]
    assert out["OUTPUT"].startswith("postgres://") and hits > 0


def test_a_canceled_run_changes_nothing(pg, town, tmp_path):
    from qgis.core import QgsProcessingFeedback
    from citycode.plugin.core.engine.jobs import EngineError
    feedback = QgsProcessingFeedback()
    feedback.cancel()
    reg = pg.uri(new_schema(pg, "reg5"))
    with pytest.raises(EngineError) as err:
        pe.run_assign_in_db(job(tmp_path, reg), indb(pg, town, "coded_canceled"), feedback)
    assert err.value.canceled
    assert pg.sql("SELECT count(*) FROM {}.codes".format(reg.rsplit("schema=", 1)[1]))[0][0] == 0
    assert pg.sql("SELECT to_regclass(%s)", ("{}.coded_canceled".format(town),))[0][0] is None
    assert pg.sql("SELECT count(*) FROM pg_tables WHERE tablename LIKE 'citycode_tmp%%'")[0][0] == 0
