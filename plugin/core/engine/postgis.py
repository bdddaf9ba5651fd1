"""Province scale: 落图+赋码 and the planning overlay as set-based SQL inside PostGIS.

When the buildings, divisions and planning layers are tables of one PostGIS database (and, for coding,
the registry is a PostgreSQL registry in that same database), nothing is read into Python: the work runs
where the data is, as a few statements PostgreSQL can run in parallel, and gives the codes the embedded
engine (engine.py) gives:

  * geometries are cleaned (ST_MakeValid, polygons kept) and moved to the work CRS of crs.area_crs_wkt;
  * divisions, their boundaries and the planning polygons are cut with ST_Subdivide into unlogged work
    tables with GiST indexes;
  * a building that touches no division boundary takes the division of one of its vertices (a point in
    polygon test); only buildings crossing a boundary are intersected, and the largest share decides
    (ties: the lowest division); the centroid rule, the flags and div_shares are those of geometry.locate;
  * overlaps with each planning layer: ST_Intersection only where a building is not wholly inside a piece;
  * codes: existing active codes by identity are kept; new ones are numbered with row_number() per
    division + year in the order of the id after the last sequence, with the sequence rows locked by
    registry_postgres itself (so this runs safely beside other registry clients), check characters in SQL.
    Codes, the batch row, the moved sequences and the output table are committed in ONE transaction.

Work tables are UNLOGGED (parallel workers can read them, temporary tables they cannot), named
citycode_tmp_<pid>_<random>_* in the output schema, and dropped at the end.
"""
import dataclasses
import datetime
import os
import threading
import uuid
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Dict, List, Optional

import numpy as np

from ..registry import datasets
from . import assign as engine, report as report_mod
from . import jobs
from ..china.crs import area_crs_wkt
from .geometry import SHARE_EPS, SLIVER_M2
from ..i18n import tr
from .layers import Table
from ..codes.profiles import CodeProfile
from ..registry.base import RegistryError, default_actor
from ..exceptions import CityCodeError

ENGINE_NAME = "postgis"
# ST_Subdivide: pieces of at most this many vertices have tight bounding boxes (as geometry.py cuts them)
PIECE_VERTICES = 64
BOUNDARY_VERTICES = 16
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


@dataclass
class InDb:
    """The PostGIS tables of a job: what run_assign_in_db / run_overlay_in_db work on."""
    buildings: PgLayer
    divisions: Optional[PgLayer] = None
    planning: List[PgLayer] = field(default_factory=list)
    output: Optional[str] = None  # "schema.table" or "table" (then the buildings' schema); None: <buildings>_coded


class InDbError(CityCodeError):
    """Why the in-database engine cannot run this job (the caller falls back to the embedded engine)."""


def pg_layer(layer) -> Optional[PgLayer]:
    """The PgLayer of a QGIS vector layer from the 'postgres' provider (a table, not a query), else None."""
    if layer is None or not hasattr(layer, "providerType") or layer.providerType() != "postgres":
        return None
    from qgis.core import QgsDataSourceUri
    uri = QgsDataSourceUri(layer.source())
    if not uri.table() or uri.table().lstrip().startswith("(") or not uri.geometryColumn():
        return None
    key = uri.keyColumn().replace('"', "")
    return PgLayer(conninfo=uri.connectionInfo(True), schema=uri.schema() or "public", table=uri.table(),
                   geometry=uri.geometryColumn(), key=key if key and "," not in key else None,
                   sql=layer.subsetString() or "", uri=layer.source())


def output_target(value, output_table: str = ""):
    """Where a Processing run should write: ("table", "schema.table") for a PostGIS destination
    (postgis:/postgres:// …) or OUTPUT_TABLE, ("temporary", "") for the temporary default, ("file", path)."""
    from qgis.core import QgsDataSourceUri, QgsProcessing, QgsProcessingOutputLayerDefinition, QgsProperty
    if isinstance(value, QgsProcessingOutputLayerDefinition):
        value = value.sink
    if isinstance(value, QgsProperty):
        value = value.staticValue()
    text = str(value or "").strip()
    for prefix in ("postgis:", "postgres://"):
        if text.startswith(prefix):
            uri = QgsDataSourceUri(text[len(prefix):])
            return "table", "{}.{}".format(uri.schema() or "public", uri.table())
    if output_table and output_table.strip():
        return "table", output_table.strip()
    if text in ("", QgsProcessing.TEMPORARY_OUTPUT):
        return "temporary", ""
    return "file", text


def processing_plan(layers, restricted: bool, engine_choice: str, datums, target, registry: Optional[str] = None,
                    need_registry: bool = False):
    """Whether a Processing run on QGIS `layers` (buildings first) runs in the database: (InDb, None) when it
    does, (None, why not) when some input is a PostGIS table but it cannot, (None, None) when none is.
    `layers`: buildings[, divisions], then the planning layers; target: output_target's answer."""
    pgs = [pg_layer(layer) for layer in layers]
    if not any(pgs):
        return None, None
    from ..registry.pg_connection import is_postgres_location
    why = None
    if not all(pgs):
        why = tr("not every input layer is a PostGIS table")
    elif restricted:
        why = tr("only selected features or a limited number of them are to be used")
    elif any(layer.isModified() for layer in layers):
        why = tr("a layer has unsaved edits")
    elif any(layer.crs() != layer.dataProvider().crs() for layer in layers):
        why = tr("a layer's CRS was set in QGIS, different from its table's")
    elif engine_choice != "auto":
        why = tr("the engine {} was chosen").format(engine_choice)
    elif any(datums):
        why = tr("a layer's coordinates are to be moved from GCJ-02/BD-09")
    elif need_registry and not is_postgres_location(registry or ""):
        why = tr("the registry is not a PostgreSQL registry (in the database of the layers)")
    elif target[0] == "file":
        why = tr("the output is a file; choose a PostGIS table (or OUTPUT_TABLE) to run in the database")
    if why:
        return None, why
    n = 2 if need_registry else 1
    return InDb(buildings=pgs[0], divisions=pgs[1] if need_registry else None, planning=pgs[n:],
                output=target[1] or None), None


def layer_uri(base_uri: str, schema: str, table: str, geometry: str, key: str) -> str:
    """A QGIS 'postgres' data source URI for `schema.table` on the connection of `base_uri`."""
    from qgis.core import QgsDataSourceUri
    uri = QgsDataSourceUri(base_uri)
    uri.setDataSource(schema, table, geometry, "", key)
    uri.setSql("")
    return uri.uri(False)


def output_name(indb: InDb, suffix: str):
    """(schema, table) of the output: as given, or <buildings table>_<suffix> beside the buildings."""
    out = (indb.output or "").strip()
    if not out:
        return indb.buildings.schema, indb.buildings.table + "_" + suffix
    schema, _, table = out.rpartition(".")
    return (schema.strip('"') or indb.buildings.schema), table.strip('"')


# -- check characters in SQL -------------------------------------------------------------------------------
def check_sql(algorithm: str, text: str, length: int) -> str:
    """An SQL expression for the check character of `text` (an expression of exactly `length` characters),
    the same as checkdigit.ALGORITHMS_MANY[algorithm]; unrolled, so it costs no function call per row."""
    def value(i):
        c = "ascii(substr({}, {}, 1))".format(text, i + 1)
        return "({c} - CASE WHEN {c} >= 65 THEN 55 ELSE 48 END)".format(c=c)  # 0-9, A-Z = 10..35
    # mod() rather than %: the expressions go into statements with driver parameters
    if algorithm == "iso7064_mod11_2":
        # Horner's (t + c) * 2 mod 11 is linear: the sum of c_i 2^(L-i+1) mod 11
        total = " + ".join("{} * {}".format(value(i), pow(2, length - i, 11)) for i in range(length))
        return "substr('0123456789X', mod(12 - mod({}, 11), 11) + 1, 1)".format(total or "0")
    if algorithm == "iso7064_mod37_36":
        check = "18"
        for i in range(length):  # (check or 36) * 2 mod 37 + c, mod 36
            check = "mod(mod((mod({} + 35, 36) + 1) * 2, 37) + {}, 36)".format(check, value(i))
        return "substr('{}', mod(mod(1 - mod((mod({} + 35, 36) + 1) * 2, 37), 36) + 36, 36) + 1, 1)".format(
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", check)
    raise InDbError(tr("The check algorithm {} is not available inside the database").format(algorithm))


CHECK_FUNCTIONS = {"iso7064_mod11_2": "cc_check_iso7064_mod11_2", "iso7064_mod37_36": "cc_check_iso7064_mod37_36"}


def ensure_check_functions(cur, schema: str, max_length: int = 40):
    """SQL functions <schema>.cc_check_<algorithm>(text) for users' own queries (e.g. validating codes
    in SQL): the unrolled expressions of check_sql per length, NULL for another length or alphabet."""
    for algorithm, name in CHECK_FUNCTIONS.items():
        alphabet = "0-9" if algorithm == "iso7064_mod11_2" else "0-9A-Z"
        cases = " ".join("WHEN {n} THEN {e}".format(n=n, e=check_sql(algorithm, "p", n))
                         for n in range(1, max_length + 1))
        cur.execute("CREATE OR REPLACE FUNCTION {s}.{f}(p text) RETURNS text LANGUAGE sql IMMUTABLE STRICT "
                    "PARALLEL SAFE AS $$ SELECT CASE WHEN p ~ '^[{a}]+$' THEN CASE length(p) {c} END END $$"
                    .format(s=_ident(cur, schema), f=name, a=alphabet, c=cases))


def prefix_sql(profile: CodeProfile, division: str, year: str, seq: str, unit: str):
    """(SQL expression, length) of everything before the check character of profile.compose(division, year,
    seq, unit) for the given SQL expressions (division, unit: text of the right length; year, seq: integers
    in range). check_sql over it gives the check character."""
    parts, length = [], 0
    for seg in profile.segments:
        if seg.type == "division":
            parts.append(division)
        elif seg.type == "literal":
            parts.append(_literal(seg.value))
        elif seg.type in ("year", "sequence"):
            parts.append("lpad(({})::text, {}, '0')".format(year if seg.type == "year" else seq, seg.length))
        elif seg.type == "unit":
            parts.append(unit)
        elif seg.type == "kind":
            parts.append(_literal(seg.default.zfill(seg.length)))
        else:  # check, always last
            break
        length += seg.length
    return "({})".format(" || ".join(parts)), length


def code_sql(profile: CodeProfile, prefix: str, length: int) -> str:
    """The full code from a column holding prefix_sql's value (a column: the check reads it many times)."""
    check = profile.segment("check")
    return prefix if check is None else "({} || {})".format(prefix, check_sql(check.algorithm, prefix, length))


def _offer_check_functions(work: "_Work", schema: str):
    """ensure_check_functions in the registry schema once, when this user may create there."""
    name = "{}.{}(text)".format(work.q(schema), CHECK_FUNCTIONS["iso7064_mod11_2"])
    if work.run("SELECT has_schema_privilege(%s, 'CREATE') AND to_regprocedure(%s) IS NULL", (schema, name), "one")[0]:
        with work.conn.cursor() as cur:
            ensure_check_functions(cur, schema)


# -- connections, work tables, cancel ------------------------------------------------------------------------
def _ident(cur_or_conn, name: str) -> str:
    from psycopg2.extensions import quote_ident
    return quote_ident(name, cur_or_conn)


def _literal(text: str) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def _connect(conninfo: str):
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
    other = _connect(conninfo)
    try:
        pid, started, dbname = _backend(other)
        with conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM pg_stat_activity WHERE pid=%s AND backend_start=%s AND datname=%s",
                        (pid, started, dbname))
            return cur.fetchone()[0] == 1
    finally:
        other.close()


class _Canceler:
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


class _Work:
    """Statements on one connection; unlogged work tables in `schema`, dropped by drop()."""

    def __init__(self, conn, schema: str, progress):
        self.conn, self.schema, self.progress = conn, schema, progress
        self.prefix = "{}{}_{}_".format(TMP_PREFIX, os.getpid(), uuid.uuid4().hex[:6])
        self.tables: List[str] = []
        self.q = lambda name: _ident(conn, name)

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


# -- reading the tables' shape -----------------------------------------------------------------------------
@dataclass
class _Columns:
    names: List[str]
    types: Dict[str, str]       # column -> pg_type.typname
    categories: Dict[str, str]  # column -> pg_type.typcategory (N numeric, S text, B bool, D date ...)


def _columns(work: _Work, layer: PgLayer) -> _Columns:
    rows = work.run("SELECT a.attname, t.typname, t.typcategory FROM pg_attribute a JOIN pg_type t ON t.oid=a.atttypid "
                    "WHERE a.attrelid = (quote_ident(%s) || '.' || quote_ident(%s))::regclass AND a.attnum > 0 "
                    "AND NOT a.attisdropped ORDER BY a.attnum", (layer.schema, layer.table), "all")
    if not rows:
        raise InDbError(tr("Table {} not found").format(layer.label))
    return _Columns([r[0] for r in rows], {r[0]: r[1] for r in rows}, {r[0]: r[2] for r in rows})


def _key(work: _Work, layer: PgLayer) -> str:
    if layer.key:
        return layer.key
    row = work.run("SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid=i.indrelid AND "
                   "a.attnum = ANY(i.indkey) WHERE i.indrelid = (quote_ident(%s) || '.' || quote_ident(%s))::regclass "
                   "AND i.indisprimary AND i.indnatts = 1", (layer.schema, layer.table), "one")
    if not row:
        raise InDbError(tr("Table {} has no single-column primary key").format(layer.label))
    return row[0]


def _srid(work: _Work, layer: PgLayer) -> int:
    row = work.run("SELECT srid FROM geometry_columns WHERE f_table_schema=%s AND f_table_name=%s AND "
                   "f_geometry_column=%s", (layer.schema, layer.table, layer.geometry), "one")
    srid = row[0] if row else 0
    if not srid:
        row = work.run("SELECT ST_SRID({g}) FROM {t} WHERE {g} IS NOT NULL LIMIT 1".format(
            g=work.q(layer.geometry), t=_table(work, layer)), fetch="one")
        srid = row[0] if row else 0
    if not srid:
        raise InDbError(tr("Table {} has no CRS (SRID 0)").format(layer.label))
    return srid


def _table(work: _Work, layer: PgLayer) -> str:
    return "{}.{}".format(work.q(layer.schema), work.q(layer.table))


def _source(work: _Work, layer: PgLayer) -> str:
    """The rows QGIS shows of a layer: the table, filtered by its subset string."""
    if layer.sql.strip():
        return "(SELECT * FROM {} WHERE ({})) AS s".format(_table(work, layer), layer.sql)
    return "{} AS s".format(_table(work, layer))


def _crs_wkt(work: _Work, srid: int) -> str:
    from pyproj import CRS
    auth, code, srtext = work.run("SELECT auth_name, auth_srid, srtext FROM spatial_ref_sys WHERE srid=%s",
                                  (srid,), "one") or (None, None, None)
    return CRS.from_user_input("{}:{}".format(auth, code) if auth and code else srtext).to_wkt()


def _work_srid(work: _Work, layer: PgLayer, key: str, srid: int):
    """(work SRID, work CRS WKT): crs.area_crs_wkt over the first 10 000 rows, as the embedded engine decides."""
    from pyproj import CRS
    wkt = _crs_wkt(work, srid)
    row = work.run("SELECT ST_AsBinary(ST_Envelope(ST_Extent(g))) FROM (SELECT {g} AS g FROM {s} ORDER BY {k} "
                   "LIMIT 10000) x".format(g=work.q(layer.geometry), s=_source(work, layer),
                                           k="s." + work.q(key)), fetch="one")
    sample = np.array([bytes(row[0])] if row and row[0] is not None else [], dtype=object)
    area_wkt = area_crs_wkt(wkt, sample)
    if area_wkt == wkt:
        return srid, wkt
    epsg = CRS.from_wkt(area_wkt).to_epsg()
    found = work.run("SELECT srid FROM spatial_ref_sys WHERE auth_name='EPSG' AND auth_srid=%s", (epsg,), "one")
    if not found:
        raise InDbError(tr("The work CRS EPSG:{} is missing from spatial_ref_sys").format(epsg))
    return found[0], area_wkt


def _py_text(q: str, category: str, typname: str) -> str:
    """SQL for Python's str() of a value as the embedded engine reads it (12.0 -> '12.0', True -> 'True')."""
    if typname in ("float4", "float8"):
        return ("CASE WHEN {v} = trunc({v}) AND abs({v}) < 1e16 THEN trunc({v})::numeric::text || '.0' "
                "ELSE {v}::text END").format(v=q)
    if category == "B":
        return "CASE WHEN {v} THEN 'True' ELSE 'False' END".format(v=q)
    return "({})::text".format(q)


def _clean_sql(geom: str, src_srid: int, work_srid: int) -> str:
    """A lateral subquery giving (empty, repaired, fixed, g) for `geom`: fixed is the repaired geometry in
    its own CRS (ST_MakeValid, polygons kept, as geometry.clean), g the usable geometry in the work CRS."""
    to_work = "ST_Transform({}, {})" if src_srid != work_srid else "{}"
    return """
      (SELECT e.empty, r.repaired, f.fixed,
              CASE WHEN e.empty THEN NULL ELSE {to_work} END AS g
       FROM (SELECT {g} IS NOT NULL AND NOT ST_IsEmpty({g}) AND NOT ST_IsValid({g}) AS repaired) r
       LEFT JOIN LATERAL (SELECT CASE WHEN GeometryType(v) IN ('POLYGON', 'MULTIPOLYGON') THEN v
                                      ELSE ST_UnaryUnion(ST_CollectionExtract(v, 3)) END AS fixed
                          FROM ST_MakeValid({g}) AS v WHERE r.repaired) f ON true
       CROSS JOIN LATERAL (SELECT {g} IS NULL OR ST_IsEmpty({g}) OR (r.repaired AND (f.fixed IS NULL OR
                                  ST_IsEmpty(f.fixed) OR ST_Area(f.fixed) = 0)) AS empty) e)
    """.format(g=geom, to_work=to_work.format("CASE WHEN r.repaired THEN f.fixed ELSE {} END".format(geom),
                                              work_srid))


def _polygons(work: _Work, name: str, layers: List[PgLayer], work_srid: int, vertices: int = PIECE_VERTICES):
    """Work table <name>(j, g): the cleaned polygons of each layer j, in the work CRS, cut into pieces."""
    selects = []
    for j, layer in enumerate(layers):
        srid = _srid(work, layer)
        selects.append("SELECT {j} AS j, c.g FROM {s} CROSS JOIN LATERAL {clean} c WHERE NOT c.empty".format(
            j=j, s=_source(work, layer), clean=_clean_sql("s." + work.q(layer.geometry), srid, work_srid)))
    return work.create(name, "SELECT j, ST_Subdivide(g, {}) AS g FROM ({}) x".format(
        vertices, " UNION ALL ".join(selects)), gist="g")


# -- the shared steps --------------------------------------------------------------------------------------
@dataclass
class _Buildings:
    layer: PgLayer
    key: str
    columns: _Columns
    srid: int
    work_srid: int
    table: str = ""       # work table: k, empty, repaired, fixed, g (work CRS), area + attributes asked for
    count: int = 0


def _buildings(work: _Work, layer: PgLayer, extra: Dict[str, str]) -> _Buildings:
    """The buildings' work table: cleaned geometries in the work CRS, their area, and `extra` columns
    (name -> SQL over the source row `s`)."""
    key, columns, srid = _key(work, layer), _columns(work, layer), _srid(work, layer)
    if layer.geometry not in columns.names:
        raise InDbError(tr("Table {} has no geometry column {}").format(layer.label, layer.geometry))
    work_srid, _ = _work_srid(work, layer, key, srid)
    cols = "".join(", {} AS {}".format(sql, work.q(name)) for name, sql in extra.items())
    b = _Buildings(layer, key, columns, srid, work_srid)
    b.table = work.create("b", """
        SELECT y.*, CASE WHEN y.empty THEN 0 ELSE ST_Area(y.g) END AS area FROM (
          SELECT s.{k} AS k, c.empty, c.repaired, c.fixed, c.g {cols}
          FROM {src} CROSS JOIN LATERAL {clean} c) y
        """.format(k=work.q(key), cols=cols, src=_source(work, layer),
                   clean=_clean_sql("s." + work.q(layer.geometry), srid, work_srid)), index="k", gist="g")
    b.count = work.run("SELECT count(*) FROM {}".format(b.table), fetch="one")[0]
    return b


def _overlaps(work: _Work, b: _Buildings, planning: List[PgLayer]) -> Optional[str]:
    """Work table o(k, j, a): area of building k inside planning layer j (ST_Intersection only where a
    building is not wholly inside a piece), at most the building's area, as engine._overlaps."""
    if not planning:
        return None
    pieces = _polygons(work, "p", planning, b.work_srid)
    return work.create("o", """
        SELECT b.k, p.j, least(sum(CASE WHEN ST_ContainsProperly(p.g, b.g) THEN b.area
                                        ELSE ST_Area(ST_Intersection(b.g, p.g)) END), max(b.area)) AS a
        FROM {b} b JOIN {p} p ON p.g && b.g AND ST_Intersects(p.g, b.g)
        WHERE NOT b.empty GROUP BY b.k, p.j""".format(b=b.table, p=pieces), index="k")


def _overlap_columns(work: _Work, names: List[str]) -> List[str]:
    """Output columns <name>_area, _pct, _hit (rounded as np.round) over the pivot `o` joined as `ov`."""
    cols = []
    for j, name in enumerate(names):
        a = "coalesce(ov.a{}, 0)".format(j)
        cols += ["round({a} * 1e4) / 1e4 AS {n}".format(a=a, n=work.q(name + "_area")),
                 "round(CASE WHEN b.area > 0 THEN {a} * 100.0 / b.area ELSE 0 END * 1e4) / 1e4 AS {n}".format(
                     a=a, n=work.q(name + "_pct")),
                 "({a} > {s})::int AS {n}".format(a=a, s=SLIVER_M2, n=work.q(name + "_hit"))]
    return cols


def _overlap_pivot(overlaps: Optional[str], n: int) -> str:
    if not overlaps:
        return ""
    return "LEFT JOIN (SELECT k, {} FROM {} GROUP BY k) ov ON ov.k = b.k".format(
        ", ".join("max(a) FILTER (WHERE j = {0}) AS a{0}".format(j) for j in range(n)), overlaps)


def _output(work: _Work, b: _Buildings, schema: str, table: str, new_columns: List[str], joins: str):
    """CREATE TABLE schema.table: the building columns (but those the result replaces), the new columns,
    the geometry (repaired where it was invalid), primary key and spatial index. Replaces an earlier output."""
    q = work.q
    new_names = {c.rsplit(" AS ", 1)[1].strip('"').lower() for c in new_columns}
    keep = [c for c in b.columns.names if c != b.layer.geometry and c.lower() not in new_names]
    gtype = work.run("SELECT type FROM geometry_columns WHERE f_table_schema=%s AND f_table_name=%s AND "
                     "f_geometry_column=%s", (b.layer.schema, b.layer.table, b.layer.geometry), "one")
    gtype = (gtype[0] if gtype else "GEOMETRY").upper()
    fixed = "ST_Multi(b.fixed)" if gtype.startswith("MULTI") else "b.fixed"
    if gtype == "POLYGON" and work.run("SELECT count(*) FROM {} WHERE repaired AND GeometryType(fixed) <> 'POLYGON'"
                                       .format(b.table), fetch="one")[0]:
        gtype = "GEOMETRY"  # a repair made a multipolygon: the column takes any type
    typmod = "geometry({}, {})".format({"MULTIPOLYGON": "MultiPolygon", "POLYGON": "Polygon"}.get(gtype, "Geometry"),
                                       b.srid)
    out = "{}.{}".format(q(schema), q(table))
    work.run("DROP TABLE IF EXISTS {}".format(out))
    work.run("""CREATE TABLE {out} AS
        SELECT {keep}{sep}{new}, (CASE WHEN b.repaired THEN {fixed} ELSE s.{g} END)::{typmod} AS {g}
        FROM {src} JOIN {b} b ON b.k = s.{k} {joins}""".format(
        out=out, keep=", ".join("s." + q(c) for c in keep), sep=", " if keep else "", new=", ".join(new_columns),
        fixed=fixed, g=q(b.layer.geometry), typmod=typmod, src=_source(work, b.layer), b=b.table, k=q(b.key),
        joins=joins))
    work.run("ALTER TABLE {} ADD PRIMARY KEY ({})".format(out, q(b.key)))
    work.run("CREATE INDEX ON {} USING gist({})".format(out, q(b.layer.geometry)))
    return out


# -- locating buildings in divisions -----------------------------------------------------------------------
def _divisions(work: _Work, layer: PgLayer, field_name: str, profile: str, work_srid: int, progress):
    """Work tables d(di, code, g) (division index di among the usable divisions in key order, as the engine
    numbers them), dp (pieces) and dl (boundary pieces). The codes are checked by the engine's own rules."""
    q = work.q
    key, columns, srid = _key(work, layer), _columns(work, layer), _srid(work, layer)
    raw_sql = _py_text("s." + q(field_name), columns.categories.get(field_name, "S"), columns.types.get(
        field_name, "text")) if field_name in columns.names else "NULL"
    cleaned = work.create("dc", "SELECT s.{k} AS k, {raw} AS raw, c.empty, c.g FROM {src} CROSS JOIN LATERAL {clean} c"
                          .format(k=q(key), raw=raw_sql, src=_source(work, layer),
                                  clean=_clean_sql("s." + q(layer.geometry), srid, work_srid)))
    rows = work.run("SELECT k, raw, empty FROM {} ORDER BY k".format(cleaned), fetch="all")
    names = [c for c in columns.names if c != layer.geometry]
    table = Table(columns={field_name: [r[1] for r in rows]} if field_name in columns.names else {},
                  wkb=np.full(len(rows), None, dtype=object), crs_wkt=None, name=layer.table, field_order=names)
    found = jobs.division_codes(table, field_name, profile)
    codes_all, length = found.codes, found.profile.segment("division").length
    from . import input_checks
    for n in [jobs.division_level_note(layer.table, found)] + input_checks.division_code_notes(
            layer.table, [r[1] for r in rows], codes_all != "", length):
        progress.info(n.message)
        progress.notes.append(n)
    keep = np.array([not r[2] for r in rows], dtype=bool)
    keys = [r[0] for r in rows]
    d = work.create("d", """
        SELECT (row_number() OVER (ORDER BY c.k) - 1)::int AS di, v.code COLLATE "C" AS code, c.g
        FROM {dc} c JOIN unnest(%s, %s::text[]) AS v(k, code) ON v.k = c.k WHERE NOT c.empty""".format(dc=cleaned),
        (keys, codes_all.tolist()))
    work.create("dp", "SELECT di, ST_Subdivide(g, {}) AS g FROM {}".format(PIECE_VERTICES, d), gist="g")
    work.create("dl", "SELECT ST_Subdivide(ST_Boundary(g), {}) AS g FROM {}".format(BOUNDARY_VERTICES, d), gist="g")
    return d, codes_all[keep], found.profile


def _locate(work: _Work, b: _Buildings, rule: str) -> str:
    """Work table l(k, home, share, straddle, partly_outside, centroid_outside, shares) for the usable buildings,
    by the rules of geometry.locate (see the module doc)."""
    dp, dl, d = work.t("dp"), work.t("dl"), work.t("d")
    # Buildings crossing a division boundary (a few percent), then their area per division (pieces of one
    # division add up).
    # A join, not EXISTS per row: PostgreSQL runs joins in parallel, subplans not.
    c = work.create("c", """
        SELECT DISTINCT b.k FROM {b} b JOIN {dl} l ON l.g && b.g AND ST_Intersects(l.g, b.g)
        WHERE NOT b.empty AND GeometryType(b.g) NOT IN ('POINT', 'MULTIPOINT')""".format(b=b.table, dl=dl),
                    index="k")
    x = work.create("x", """
        SELECT t.k, t.di, t.a / CASE WHEN t.ba > 0 THEN t.ba ELSE 1 END AS frac, t.a FROM (
          SELECT b.k, p.di, max(b.area) AS ba,  -- the crossing buildings first (OFFSET 0), each then meets its pieces
                 sum(CASE WHEN ST_ContainsProperly(p.g, b.g) THEN b.area
                          ELSE ST_Area(ST_Intersection(b.g, p.g)) END) AS a
          FROM (SELECT b.k, b.g, b.area FROM {c} c JOIN {b} b ON b.k = c.k OFFSET 0) b
          JOIN {dp} p ON p.g && b.g AND ST_Intersects(p.g, b.g)
          GROUP BY b.k, p.di) t""".format(c=c, b=b.table, dp=dp), index="k")
    s = work.create("s", """
        SELECT x.k, count(*) FILTER (WHERE r.real) AS n, coalesce(sum(x.frac) FILTER (WHERE r.real), 0) AS total,
               (array_agg(x.di ORDER BY x.frac DESC, x.di) FILTER (WHERE r.real))[1] AS home,
               coalesce(max(x.frac) FILTER (WHERE r.real), 0) AS share,
               string_agg(d.code || ':' || to_char(x.frac, 'FM0.0000'), ';' ORDER BY x.frac DESC, x.di)
                 FILTER (WHERE r.real) AS shares
        FROM {x} x JOIN {d} d ON d.di = x.di CROSS JOIN LATERAL (SELECT x.a > {sliver} AND x.frac > {eps} AS real) r
        GROUP BY x.k""".format(x=x, d=d, sliver=SLIVER_M2, eps=SHARE_EPS), index="k")

    def division_at(name, point, where):
        # The points get an index, so each division piece looks up the points in its box: consecutive tests
        # against one piece reuse its prepared geometry (a million index probes from the points did not).
        pts = work.create(name + "_pt", "SELECT b.k, {pt} AS g FROM {b} b WHERE NOT b.empty AND {where}".format(
            b=b.table, pt=point, where=where), gist="g")
        return work.create(name, """
            SELECT t.k, min(p.di) AS di FROM {dp} p JOIN {pts} t ON t.g && p.g AND ST_Intersects(p.g, t.g)
            GROUP BY t.k""".format(dp=dp, pts=pts), index="k")
    # One vertex decides for a building crossing no boundary: it lies wholly inside (or outside) each division.
    v = division_at("v", "ST_PointN(ST_ExteriorRing(ST_GeometryN(b.g, 1)), 1)",
                    "NOT EXISTS (SELECT 1 FROM {c} c WHERE c.k = b.k)".format(c=c))
    at = division_at("at", "ST_Centroid(b.g)", "true") if rule == "centroid" else None
    return work.create("l", """
        SELECT z.k, coalesce(z.at, z.home) AS home,
               CASE WHEN z.at IS NULL THEN z.share WHEN z.crossing THEN coalesce(xa.frac, 0)
                    ELSE (z.at = z.home)::int END AS share,
               z.crossing AND z.n > 1 AS straddle, z.crossing AND z.n > 0 AND z.total < 1 - {eps} AS partly_outside,
               z.at IS NULL AND z.home IS NOT NULL AND {centroid} AS centroid_outside,
               CASE WHEN z.n > 1 THEN z.shares END AS shares
        FROM (
          SELECT b.k, s.k IS NOT NULL AS crossing, s.n, s.total, s.shares, {at_di} AS at,
                 CASE WHEN s.k IS NOT NULL THEN s.home ELSE v.di END AS home,
                 CASE WHEN s.k IS NOT NULL THEN s.share WHEN v.di IS NOT NULL THEN 1 ELSE 0 END AS share
          FROM {b} b LEFT JOIN {s} s ON s.k = b.k LEFT JOIN {v} v ON v.k = b.k {at_join}
          WHERE NOT b.empty) z
        LEFT JOIN {x} xa ON xa.k = z.k AND xa.di = z.at AND xa.a > {sliver} AND xa.frac > {eps}""".format(
        x=x, s=s, b=b.table, v=v, sliver=SLIVER_M2, eps=SHARE_EPS, centroid="true" if rule == "centroid" else "false",
        at_di="a.di" if at else "NULL::int", at_join="LEFT JOIN {} a ON a.k = b.k".format(at) if at else ""),
        index="k")


# -- jobs ----------------------------------------------------------------------------------------------------
def _year_sql(q: str, category: str) -> str:
    """engine._years before the default: numbers truncated, text by its first four characters, else -1."""
    if category == "N":
        return "CASE WHEN {v} IS NULL OR {v}::float8 IN ('NaN', 'Infinity', '-Infinity') THEN -1 " \
               "ELSE trunc({v}::float8)::bigint END".format(v=q)
    return "CASE WHEN left(btrim(({v})::text), 4) ~ '^\\s*[+-]?[0-9]+\\s*$' THEN left(btrim(({v})::text), 4)" \
           "::bigint ELSE -1 END".format(v=q)


def _order_sql(work: _Work, b_src: PgLayer, id_field: Optional[str], columns: _Columns) -> Dict[str, str]:
    """engine._order_key in SQL: numeric ids numerically (null last), other ids as text, no id: input order.
    Returns the columns ord_n (float8) and ord_t (text) of the work table."""
    if not id_field:
        return {"ord_n": "NULL::float8", "ord_t": "NULL::text"}
    v = "s." + work.q(id_field)
    if columns.categories.get(id_field) == "N":
        return {"ord_n": "coalesce({}::float8, 'Infinity')".format(v), "ord_t": "NULL::text"}
    numeric = work.run("SELECT bool_and(btrim(v) ~ '^[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?$') "
                       "FROM (SELECT ({})::text AS v FROM {}) x WHERE v IS NOT NULL".format(v, _source(work, b_src)),
                       fetch="one")[0]
    if numeric:
        return {"ord_n": "coalesce(btrim(({})::text)::float8, 'Infinity')".format(v), "ord_t": "NULL::text"}
    return {"ord_n": "NULL::float8", "ord_t": "coalesce(({})::text, '') COLLATE \"C\"".format(v)}


def _check_fields(columns: _Columns, layer: PgLayer, names):
    for name in names:
        if name and name not in columns.names:
            raise jobs.EngineError(tr("Layer {} has no field '{}' (fields: {})").format(
                layer.table, name, ", ".join(c for c in columns.names if c != layer.geometry)))


def run_assign_in_db(job: "engine.AssignJob", indb: InDb, feedback=None) -> "jobs.Result":
    """engine.run_assign inside the database of `indb` (see the module doc). job.registry must be a PostgreSQL
    registry in that database; the output is the table indb.output. Raises EngineError like run_assign,
    InDbError when the job cannot run in the database (nothing changed)."""
    from ..registry.postgres import PostgresRegistry
    progress = jobs.Progress(feedback, 7 + len(job.planning))
    progress.info(tr("Engine: {}").format(ENGINE_NAME))
    if job.rule not in ("area", "centroid"):
        raise jobs.EngineError(tr("Unknown rule '{}': use 'area' or 'centroid'").format(job.rule))
    default_year = job.default_year or datetime.date.today().year
    try:
        reg = PostgresRegistry(job.registry)
    except RegistryError as e:
        raise jobs.EngineError(str(e)) from None
    schema, out_table = output_name(indb, "coded")
    return _guarded(reg.conn, reg.close, schema, progress, feedback, lambda work: _assign(
        job, indb, reg, work, default_year, schema, out_table, progress))


def _guarded(conn, close, schema: str, progress, feedback, job):
    """job(work) with cancel through the connection, its work tables dropped and the connection closed after."""
    work = _Work(conn, schema, progress)
    try:
        with _Canceler(conn, feedback) as canceler:
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


def _assign(job, indb, reg, work, default_year, schema, out_table, progress):
    q = work.q
    for layer in [indb.buildings, indb.divisions] + list(indb.planning):
        if not same_database(reg.conn, layer.conninfo):
            raise InDbError(tr("Table {} is not in the database of the registry").format(layer.label))
    if (schema, out_table) in [(lay.schema, lay.table) for lay in [indb.buildings, indb.divisions] + indb.planning]:
        raise jobs.EngineError(tr("The output table {}.{} is one of the inputs; choose another").format(
            schema, out_table))
    work.tune()
    _offer_check_functions(work, reg.schema)
    columns = _columns(work, indb.buildings)
    _check_fields(columns, indb.buildings, (job.year_field, job.id_field, job.unit_field))
    namespace = job.namespace or job.buildings.label
    extra = _order_sql(work, indb.buildings, job.id_field, columns)
    if job.id_field:
        v = "s." + q(job.id_field)
        nan = " OR {}::float8 = 'NaN'".format(v) if columns.types.get(job.id_field) in ("float4", "float8") else ""
        extra["ident"] = "CASE WHEN {v} IS NULL{nan} THEN NULL ELSE {ns} || ':' || {text} END COLLATE \"C\"".format(
            v=v, nan=nan, ns=_literal(namespace), text=_py_text(v, columns.categories[job.id_field],
                                                                  columns.types[job.id_field]))
    else:
        extra["ident"] = "NULL::text COLLATE \"C\""
    if job.year_field:
        extra["year_raw"] = _year_sql("s." + q(job.year_field), columns.categories[job.year_field])
    if job.unit_field:
        u = _py_text("s." + q(job.unit_field), columns.categories[job.unit_field], columns.types[job.unit_field])
        extra["unit"] = "CASE WHEN {v} IS NULL OR ({t}) IN ('', '0', 'False') THEN '' ELSE {t} END".format(
            v="s." + q(job.unit_field), t=u)
    b = _buildings(work, indb.buildings, extra)
    _fingerprints(work, b)
    _, div_codes, profile = _divisions(work, indb.divisions, job.division_field, job.profile, b.work_srid, progress)
    div_len = profile.segment("division").length
    if job.profile == engine.AUTO:  # the report names the profile the codes have
        job = dataclasses.replace(job, profile=profile.name)
    progress.step("read", tr("Read {} buildings and {} divisions").format(b.count, len(div_codes)))
    progress.step("prepare")
    loc = _locate(work, b, job.rule)
    progress.step("locate")
    names = engine.planning_names(job.planning)
    overlaps = _overlaps(work, b, indb.planning)
    for name in names:
        progress.step("overlap_" + name)

    seq_year = "y.year" if "year" in profile.segment("sequence").scope else "0"
    year = ("CASE WHEN b.year_raw < 1800 OR b.year_raw > 2100 THEN {d} ELSE b.year_raw END".format(d=default_year)
            if job.year_field else str(default_year))
    year_default = "(b.year_raw < 1800 OR b.year_raw > 2100)" if job.year_field else "false"
    unit_seg = profile.segment("unit")
    unit = "CASE WHEN length(b.unit) >= {n} THEN b.unit ELSE lpad(b.unit, {n}, '0') END".format(
        n=unit_seg.length if unit_seg else 5) if job.unit_field else "NULL::text"
    # The rows to code and everything the output says about each building (status before coding: pre).
    r = work.create("r", """
        SELECT b.k, b.ident, y.year, {seq_year} AS sy, {year_default} AS year_default, u.unit, b.ord_n, b.ord_t,
               l.home, nullif(d.code, '') AS division,
               CASE WHEN b.empty THEN 'empty' WHEN l.home IS NULL THEN 'outside'
                    WHEN d.code = '' THEN 'no_division_code'
                    WHEN b.ident IS NOT NULL AND row_number() OVER (PARTITION BY b.ident ORDER BY b.k) > 1
                    THEN 'duplicate_id' END AS pre
        FROM {b} b LEFT JOIN {l} l ON l.k = b.k LEFT JOIN {d} d ON d.di = l.home
        CROSS JOIN LATERAL (SELECT {year} AS year) y CROSS JOIN LATERAL (SELECT {unit} AS unit) u""".format(
        seq_year=seq_year, year_default=year_default, b=b.table, l=loc, d=work.t("d"), year=year, unit=unit),
        index="k")
    if unit_seg is not None and job.unit_field:
        bad = work.run("SELECT unit FROM {} WHERE pre IS NULL AND unit !~ '^[0-9]{{{}}}$' LIMIT 1".format(
            r, unit_seg.length), fetch="one")
        if bad:
            try:  # the profile's own message
                profile.compose_many(np.array(["0" * div_len]), np.array([2000]), np.array([1]), np.array([bad[0]]))
            except ValueError as e:
                raise jobs.EngineError(str(e)) from None
    progress.step("prepare_codes")

    note = tr("batch {} -> {}").format(job.buildings.label, "{}.{}".format(schema, out_table))
    actor = job.actor or default_actor()
    out_uri = {}

    def transaction():
        issued = _issue(work, reg, profile, r, actor, note)
        flags = ("concat_ws(',', CASE WHEN b.repaired THEN 'repaired' END, CASE WHEN l.straddle THEN 'straddle' END, "
                 "CASE WHEN l.partly_outside THEN 'partly_outside' END, CASE WHEN l.centroid_outside THEN "
                 "'centroid_outside' END, CASE WHEN r.year_default THEN 'year_default' END)")
        # an existing code of another division is a conflict, not reused (the rule of engine.run_assign)
        start, end = datasets.division_span(profile)
        moved = "(n.old IS NOT NULL AND substr(n.code, {s}, {n}) <> r.division AND (substr(n.code, {s}, {n}) IN " \
                "(SELECT code FROM {d}) OR NOT coalesce(l.partly_outside, false)))".format(
                    s=start + 1, n=end - start, d=work.t("d"))
        status = "coalesce(r.pre, CASE WHEN n.code IS NOT NULL THEN CASE WHEN n.old IS NULL THEN 'new' " \
                 "WHEN {} THEN 'conflict' ELSE 'existing' END ELSE 'exhausted' END)".format(moved)
        new_columns = ["CASE WHEN {} THEN NULL ELSE n.code END::text AS citycode".format(moved),
                       "r.division::text AS division",
                       "round(coalesce(l.share, 0) * 1e6) / 1e6 AS div_share",
                       "coalesce(l.straddle, false)::int AS straddle", "l.shares::text AS div_shares",
                       "{}::text AS cc_status".format(status), "nullif({}, '') AS cc_flags".format(flags)]
        new_columns += _overlap_columns(work, names)
        joins = "JOIN {r} r ON r.k = b.k LEFT JOIN {l} l ON l.k = b.k LEFT JOIN {n} n ON n.k = b.k {ov}".format(
            r=r, l=loc, n=issued, ov=_overlap_pivot(overlaps, len(names)))
        out_uri["table"] = _output(work, b, schema, out_table, new_columns, joins)
    try:
        reg.run_transaction(transaction)  # one transaction; run again when another client won a race for an identity
    except RegistryError as e:
        raise jobs.EngineError(str(e)) from None
    counts = _counts(work, schema, out_table, names, b)
    progress.step("registry", tr("Registry {}: {} new codes, {} existing").format(
        reg.location.label, counts["new"], counts["existing"]), cancelable=False)
    progress.step("write", cancelable=False)

    report_path = None
    if job.report:
        report_path = _assign_report(job, work, b, schema, out_table, names, div_codes, counts, reg.location.label,
                                     progress)
    progress.step("report", cancelable=False)
    uri = layer_uri(indb.buildings.uri, schema, out_table, indb.buildings.geometry, b.key) if indb.buildings.uri \
        else "{}.{}".format(schema, out_table)
    return jobs.Result(output=uri, output_layer=out_table, report=report_path, counts=counts, engine=ENGINE_NAME,
                         registry=job.registry, timings=progress.timings)


def _fingerprints(work: _Work, b: _Buildings):
    """Identities of usable buildings without an id: engine.identities' geometry fingerprint over the source
    geometries cleaned by the geometry backend, so they are byte for byte the embedded engine's."""
    from .geometry import backend
    geometry = backend()
    rows = work.run("SELECT s.{k}, ST_AsBinary(s.{g}) FROM {src} JOIN {b} b ON b.k = s.{k} "
                    "WHERE b.ident IS NULL AND NOT b.empty".format(k=work.q(b.key), g=work.q(b.layer.geometry),
                                                                   src=_source(work, b.layer), b=b.table), fetch="all")
    if not rows:
        return
    cleaned = geometry.clean(geometry.from_wkb(np.array([bytes(r[1]) for r in rows], dtype=object)))
    geo = SimpleNamespace(usable=~cleaned.empty, source_geoms=cleaned.geoms, g=geometry)
    ident = engine.identities(Table(columns={}, wkb=cleaned.geoms, crs_wkt=_crs_wkt(work, b.srid), name=""), geo,
                              None, "")
    work.run("UPDATE {b} t SET ident = v.ident FROM unnest(%s, %s::text[]) AS v(k, ident) WHERE t.k = v.k".format(
        b=b.table), ([r[0] for r in rows], ident.tolist()))


def _issue(work: _Work, reg, profile: CodeProfile, r: str, actor: str, note: str) -> str:
    """Codes for the rows of `r` without a status: the identity's active code, or a new one numbered after
    the last sequence of its division + year (sequence rows locked as registry_postgres locks them), written
    to the registry with a batch row. Inside the caller's transaction. Returns the work table
    n(k, code, old) (code NULL: exhausted)."""
    s = reg.schema
    codes, seqs = "{}.codes".format(work.q(s)), "{}.sequences".format(work.q(s))
    active = "c.profile = %(profile)s AND c.identity = r.ident AND c.status = 'active'"
    groups = work.run("SELECT DISTINCT r.division, r.sy FROM {r} r WHERE r.pre IS NULL AND NOT EXISTS "
                      "(SELECT 1 FROM {codes} c WHERE {active})".format(r=r, codes=codes, active=active),
                      {"profile": profile.name}, "all")
    last = reg.lock_sequences(profile.name, sorted(groups)) if groups else {}
    # After the locks: identities another client coded meanwhile get that client's code.
    numbered = work.create("nn", """
        SELECT r.k, r.ident, r.division, r.year, r.sy, r.unit, c.code AS old,
               CASE WHEN c.code IS NULL THEN g.last_seq + row_number() OVER (
                    PARTITION BY r.division, r.sy, c.code IS NULL ORDER BY r.ord_n, r.ord_t, r.k) END AS seq
        FROM {r} r LEFT JOIN {codes} c ON {active}
        LEFT JOIN unnest(%(d)s::text[], %(y)s::int[], %(l)s::int[]) AS g(d, y, last_seq)
               ON g.d = r.division AND g.y = r.sy
        WHERE r.pre IS NULL""".format(r=r, codes=codes, active=active),
        {"profile": profile.name, "d": [k[0] for k in last], "y": [int(k[1]) for k in last],
         "l": list(last.values())})
    unit_seg = profile.segment("unit")
    default_unit = _literal(unit_seg.default.zfill(unit_seg.length)) if unit_seg is not None else "NULL::text"
    prefix, length = prefix_sql(profile, "x.division", "x.year", "x.seq", "coalesce(x.unit, {})".format(default_unit))
    # OFFSET 0 keeps the prefix a column: inlined, the check would compose it again for every character.
    n = work.create("n", """
        SELECT y.k, y.ident, y.division, y.sy, y.seq, y.old, y.unit,
               coalesce(y.old, CASE WHEN y.seq <= {limit} THEN {code} END) AS code
        FROM (SELECT x.*, {prefix} AS prefix FROM {nn} x OFFSET 0) y""".format(
        limit=profile.sequence_limit, code=code_sql(profile, "y.prefix", length), prefix=prefix, nn=numbered),
        index="k")
    count = work.run("SELECT count(*) FROM {} WHERE old IS NULL AND code IS NOT NULL".format(n), fetch="one")[0]
    batch = reg.new_batch(actor, "issue", note, count)
    stored_unit = "coalesce(x.unit, {})".format(default_unit)
    # In identity order, as registry_postgres writes: racing batches wait on each other in the same order.
    work.run("""INSERT INTO {codes}(code, profile, division, year, seq, unit, identity, name, batch)
        SELECT x.code, %s, x.division, x.sy, x.seq, {unit}, x.ident, NULL, %s FROM {n} x
        WHERE x.old IS NULL AND x.code IS NOT NULL ORDER BY x.ident""".format(codes=codes, unit=stored_unit, n=n),
             (profile.name, batch))
    work.run("""UPDATE {seqs} q SET last_seq = least(t.top, {limit}) FROM (
        SELECT division, sy, max(seq) AS top FROM {n} WHERE old IS NULL GROUP BY division, sy) t
        WHERE q.profile = %s AND q.division = t.division AND q.year = t.sy""".format(
        seqs=seqs, limit=profile.sequence_limit, n=n), (profile.name,))
    return n


def _counts(work: _Work, schema: str, table: str, names: List[str], b: _Buildings) -> Dict[str, int]:
    """report.counts over the output table (the same keys), without reading it into Python."""
    q = work.q
    out = "{}.{}".format(q(schema), q(table))
    statuses = ("new", "existing", "outside", "empty", "duplicate_id", "invalid_geometry", "exhausted",
                "no_division_code", "conflict")
    flags = ("partly_outside", "repaired", "year_default")
    row = work.run("SELECT count(*), {s}, {f}, coalesce(sum(straddle), 0){h} FROM {out}".format(
        s=", ".join("count(*) FILTER (WHERE cc_status = '{}')".format(v) for v in statuses),
        f=", ".join("count(*) FILTER (WHERE ',' || cc_flags || ',' LIKE '%,{},%')".format(v) for v in flags),
        h="".join(", coalesce(sum({}), 0)".format(q(n + "_hit")) for n in names), out=out), fetch="one")
    vals = dict(zip(("total",) + statuses + flags + ("straddling",) + tuple(n + "_hits" for n in names),
                    [int(v) for v in row]))
    c = {k: vals[k] for k in ("total",)}
    c["coded"] = vals["new"] + vals["existing"]
    for k in ("new", "existing", "straddling", "partly_outside", "outside", "empty", "repaired", "duplicate_id",
              "invalid_geometry", "exhausted", "no_division_code", "conflict", "year_default"):
        c[k] = vals[k]
    c["failed"] = c["total"] - c["coded"]
    for n in names:
        c[n + "_hits"] = vals[n + "_hits"]
    return c


def _fetch_result(work: _Work, schema: str, table: str, b: _Buildings, cols: List[str]):
    """Columns of the output table in the input's order, as arrays (for the report)."""
    q = work.q
    rows = work.run("SELECT {} FROM {}.{} o JOIN {} b ON b.k = o.{} ORDER BY o.{}".format(
        ", ".join(cols), q(schema), q(table), b.table, q(b.key), q(b.key)), fetch="all")
    return [np.array([r[i] for r in rows], dtype=object) for i in range(len(cols))]


def _overlap_arrays(work, schema, table, b, names, extra_cols):
    q = work.q
    cols = list(extra_cols)
    for n in names:
        cols += ["o." + q(n + "_area"), "o." + q(n + "_pct"), "o." + q(n + "_hit")]
    arrays = _fetch_result(work, schema, table, b, cols)
    head, rest = arrays[:len(extra_cols)], arrays[len(extra_cols):]
    overlaps = {n: (rest[3 * i].astype(float), rest[3 * i + 1].astype(float), rest[3 * i + 2].astype(int) > 0)
                for i, n in enumerate(names)}
    return head, overlaps


def _assign_report(job, work, b, schema, table, names, div_codes, counts, registry_label, progress):
    """report.build over the output table (read back without geometries)."""
    q = work.q
    id_col = ["o." + q(job.id_field)] if job.id_field else []
    head, overlaps = _overlap_arrays(work, schema, table, b, names, [
        "o.cc_status", "coalesce(o.division, '')", "o.cc_flags", "b.k", "b.ident"] + id_col)
    status, division, flags, keys, identity = head[:5]
    flag_sets = [set((f or "").split(",")) for f in flags.tolist()]

    def flagged(name):
        return np.array([name in f for f in flag_sets], dtype=bool)
    index = {k: i for i, k in enumerate(keys.tolist())}
    shares = {}
    for k, text in work.run("SELECT k, shares FROM {} WHERE straddle".format(work.t("l")), fetch="all"):
        code_index = {c: i for i, c in enumerate(div_codes.tolist())}
        shares[index[k]] = [(code_index.get(c, -1), float(s)) for c, s in (p.rsplit(":", 1) for p in text.split(";"))]
    loc = SimpleNamespace(straddle=flagged("straddle"), partly_outside=flagged("partly_outside"), shares=shares)
    geo = SimpleNamespace(repaired=flagged("repaired"))
    buildings = Table(columns={job.id_field: head[5]} if job.id_field else {}, wkb=np.full(len(keys), None),
                      crs_wkt=None, name=job.buildings.label)
    rep = report_mod.build(job, buildings, div_codes, division.astype(str), status, loc, geo, overlaps, counts,
                           identity, registry_label, ENGINE_NAME, progress.timings, progress.notes)
    rep["output"] = "{}.{}".format(schema, table)
    return report_mod.write_report(rep, job.report)


def run_overlay_in_db(job: "engine.OverlayJob", indb: InDb, feedback=None) -> "jobs.Result":
    """engine.run_overlay inside the database of `indb`; the output is the table indb.output."""
    if not job.planning:
        raise jobs.EngineError(tr("Choose at least one planning layer to check against"))
    progress = jobs.Progress(feedback, 3 + len(job.planning))
    progress.info(tr("Engine: {}").format(ENGINE_NAME))
    conn = _connect(indb.buildings.conninfo)
    schema, out_table = output_name(indb, "overlay")
    return _guarded(conn, conn.close, schema, progress, feedback,
                    lambda work: _overlay(job, indb, work, schema, out_table, progress))


def _overlay(job, indb, work, schema, out_table, progress):
    for layer in indb.planning:
        if not same_database(work.conn, layer.conninfo):
            raise InDbError(tr("Table {} is not in the database of the buildings").format(layer.label))
    if (schema, out_table) in [(lay.schema, lay.table) for lay in [indb.buildings] + indb.planning]:
        raise jobs.EngineError(tr("The output table {}.{} is one of the inputs; choose another").format(
            schema, out_table))
    work.tune()
    b = _buildings(work, indb.buildings, {})
    progress.step("read", tr("Read {} features").format(b.count))
    names = engine.planning_names(job.planning)
    overlaps = _overlaps(work, b, indb.planning)
    for name in names:
        progress.step("overlap_" + name)
    work.run("BEGIN")  # the output appears whole or not at all
    try:
        _output(work, b, schema, out_table, _overlap_columns(work, names), _overlap_pivot(overlaps, len(names)))
    except BaseException:
        if not work.conn.closed:
            work.run("ROLLBACK")
        raise
    work.run("COMMIT")
    progress.step("write")
    q = work.q
    row = work.run("SELECT count(*), count(*) FILTER (WHERE empty), count(*) FILTER (WHERE repaired) FROM {}".format(
        b.table), fetch="one")
    # the same keys as run_overlay; non-finite coordinates are not set aside inside the database (yet)
    counts = {"total": row[0], "empty": row[1], "repaired": row[2], "invalid_geometry": 0}
    for name in names:
        counts[name + "_hits"] = work.run("SELECT coalesce(sum({}), 0) FROM {}.{}".format(
            q(name + "_hit"), q(schema), q(out_table)), fetch="one")[0]
    report_path = None
    if job.report:
        head, overlaps_arr = _overlap_arrays(work, schema, out_table, b, names, ["b.empty", "b.repaired"])
        geo = SimpleNamespace(empty=head[0].astype(bool), repaired=head[1].astype(bool))
        buildings = Table(columns={}, wkb=np.full(len(head[0]), None), crs_wkt=None, name=job.buildings.label)
        rep = report_mod.build_overlay(job, buildings, geo, overlaps_arr, counts, ENGINE_NAME, progress.timings,
                                       progress.notes)
        rep["output"] = "{}.{}".format(schema, out_table)
        report_path = report_mod.write_report(rep, job.report)
    progress.step("report")
    uri = layer_uri(indb.buildings.uri, schema, out_table, indb.buildings.geometry, b.key) if indb.buildings.uri \
        else "{}.{}".format(schema, out_table)
    return jobs.Result(output=uri, output_layer=out_table, report=report_path, counts=counts, engine=ENGINE_NAME,
                         timings=progress.timings)
