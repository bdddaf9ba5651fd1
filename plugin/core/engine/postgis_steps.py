"""The in-database steps of both jobs, as set-based SQL into work tables (the rules: see postgis): the input
tables' shape, the buildings cleaned into the work CRS, their overlaps with planning layers, the divisions and
the division of each building, the output table, and what the report reads back of it."""
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Dict, List, Optional

import numpy as np

from . import input_checks, jobs
from ..china.crs import area_crs_wkt
from .geometry import backend
from .geometry_types import BOUNDARY_PIECE, PIECE_VERTICES, SHARE_EPS, SLIVER_M2
from ..i18n import tr
from .identities import identities
from .layers import Table
from .postgis_db import InDbError, PgLayer, Work


@dataclass
class Columns:
    names: List[str]
    types: Dict[str, str]       # column -> pg_type.typname
    categories: Dict[str, str]  # column -> pg_type.typcategory (N numeric, S text, B bool, D date ...)


def table_columns(work: Work, layer: PgLayer) -> Columns:
    rows = work.run("SELECT a.attname, t.typname, t.typcategory FROM pg_attribute a JOIN pg_type t ON t.oid=a.atttypid "
                    "WHERE a.attrelid = (quote_ident(%s) || '.' || quote_ident(%s))::regclass AND a.attnum > 0 "
                    "AND NOT a.attisdropped ORDER BY a.attnum", (layer.schema, layer.table), "all")
    if not rows:
        raise InDbError(tr("Table {} not found").format(layer.label))
    return Columns([r[0] for r in rows], {r[0]: r[1] for r in rows}, {r[0]: r[2] for r in rows})


def primary_key(work: Work, layer: PgLayer) -> str:
    if layer.key:
        return layer.key
    row = work.run("SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid=i.indrelid AND "
                   "a.attnum = ANY(i.indkey) WHERE i.indrelid = (quote_ident(%s) || '.' || quote_ident(%s))::regclass "
                   "AND i.indisprimary AND i.indnatts = 1", (layer.schema, layer.table), "one")
    if not row:
        raise InDbError(tr("Table {} has no single-column primary key").format(layer.label))
    return row[0]


def layer_srid(work: Work, layer: PgLayer) -> int:
    row = work.run("SELECT srid FROM geometry_columns WHERE f_table_schema=%s AND f_table_name=%s AND "
                   "f_geometry_column=%s", (layer.schema, layer.table, layer.geometry), "one")
    srid = row[0] if row else 0
    if not srid:
        row = work.run("SELECT ST_SRID({g}) FROM {t} WHERE {g} IS NOT NULL LIMIT 1".format(
            g=work.q(layer.geometry), t=table_name(work, layer)), fetch="one")
        srid = row[0] if row else 0
    if not srid:
        raise InDbError(tr("Table {} has no CRS (SRID 0)").format(layer.label))
    return srid


def table_name(work: Work, layer: PgLayer) -> str:
    return "{}.{}".format(work.q(layer.schema), work.q(layer.table))


def source_rows(work: Work, layer: PgLayer) -> str:
    """The rows QGIS shows of a layer: the table, filtered by its subset string."""
    if layer.sql.strip():
        return "(SELECT * FROM {} WHERE ({})) AS s".format(table_name(work, layer), layer.sql)
    return "{} AS s".format(table_name(work, layer))


def crs_wkt_of(work: Work, srid: int) -> str:
    from pyproj import CRS
    auth, code, srtext = work.run("SELECT auth_name, auth_srid, srtext FROM spatial_ref_sys WHERE srid=%s",
                                  (srid,), "one") or (None, None, None)
    return CRS.from_user_input("{}:{}".format(auth, code) if auth and code else srtext).to_wkt()


def work_srid_of(work: Work, layer: PgLayer, key: str, srid: int):
    """(work SRID, work CRS WKT): crs.area_crs_wkt over the first 10 000 rows, as the embedded engine decides."""
    from pyproj import CRS
    wkt = crs_wkt_of(work, srid)
    row = work.run("SELECT ST_AsBinary(ST_Envelope(ST_Extent(g))) FROM (SELECT {g} AS g FROM {s} ORDER BY {k} "
                   "LIMIT 10000) x".format(g=work.q(layer.geometry), s=source_rows(work, layer),
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


def py_text(q: str, category: str, typname: str) -> str:
    """SQL for Python's str() of a value as the embedded engine reads it (12.0 -> '12.0', True -> 'True')."""
    if typname in ("float4", "float8"):
        return ("CASE WHEN {v} = trunc({v}) AND abs({v}) < 1e16 THEN trunc({v})::numeric::text || '.0' "
                "ELSE {v}::text END").format(v=q)
    if category == "B":
        return "CASE WHEN {v} THEN 'True' ELSE 'False' END".format(v=q)
    return "({})::text".format(q)


def clean_sql(geom: str, src_srid: int, work_srid: int) -> str:
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


def polygon_pieces(work: Work, name: str, layers: List[PgLayer], work_srid: int):
    """Work table <name>(j, g): the cleaned polygons of each layer j, in the work CRS, cut into pieces."""
    selects = []
    for j, layer in enumerate(layers):
        srid = layer_srid(work, layer)
        selects.append("SELECT {j} AS j, c.g FROM {s} CROSS JOIN LATERAL {clean} c WHERE NOT c.empty".format(
            j=j, s=source_rows(work, layer), clean=clean_sql("s." + work.q(layer.geometry), srid, work_srid)))
    return work.create(name, "SELECT j, ST_Subdivide(g, {}) AS g FROM ({}) x".format(
        PIECE_VERTICES, " UNION ALL ".join(selects)), gist="g")


@dataclass
class Buildings:
    layer: PgLayer
    key: str
    columns: Columns
    srid: int
    work_srid: int
    table: str = ""       # work table: k, empty, repaired, fixed, g (work CRS), area + attributes asked for
    count: int = 0


def building_table(work: Work, layer: PgLayer, extra: Dict[str, str]) -> Buildings:
    """The buildings' work table: cleaned geometries in the work CRS, their area, and `extra` columns
    (name -> SQL over the source row `s`)."""
    key, columns, srid = primary_key(work, layer), table_columns(work, layer), layer_srid(work, layer)
    if layer.geometry not in columns.names:
        raise InDbError(tr("Table {} has no geometry column {}").format(layer.label, layer.geometry))
    work_srid, _ = work_srid_of(work, layer, key, srid)
    cols = "".join(", {} AS {}".format(sql, work.q(name)) for name, sql in extra.items())
    b = Buildings(layer, key, columns, srid, work_srid)
    b.table = work.create("b", """
        SELECT y.*, CASE WHEN y.empty THEN 0 ELSE ST_Area(y.g) END AS area FROM (
          SELECT s.{k} AS k, c.empty, c.repaired, c.fixed, c.g {cols}
          FROM {src} CROSS JOIN LATERAL {clean} c) y
        """.format(k=work.q(key), cols=cols, src=source_rows(work, layer),
                   clean=clean_sql("s." + work.q(layer.geometry), srid, work_srid)), index="k", gist="g")
    b.count = work.run("SELECT count(*) FROM {}".format(b.table), fetch="one")[0]
    return b


def fingerprint_identities(work: Work, b: Buildings):
    """Identities of usable buildings without an id: identities.identities' geometry fingerprint over the source
    geometries cleaned by the geometry backend, so they are byte for byte the embedded engine's."""
    geometry = backend()
    rows = work.run("SELECT s.{k}, ST_AsBinary(s.{g}) FROM {src} JOIN {b} b ON b.k = s.{k} "
                    "WHERE b.ident IS NULL AND NOT b.empty".format(k=work.q(b.key), g=work.q(b.layer.geometry),
                                                                   src=source_rows(work, b.layer), b=b.table),
                    fetch="all")
    if not rows:
        return
    cleaned = geometry.clean(geometry.from_wkb(np.array([bytes(r[1]) for r in rows], dtype=object)))
    geo = SimpleNamespace(usable=~cleaned.empty, source_geoms=cleaned.geoms, g=geometry)
    ident = identities(Table(columns={}, wkb=cleaned.geoms, crs_wkt=crs_wkt_of(work, b.srid), name=""), geo,
                       None, "")
    work.run("UPDATE {b} t SET ident = v.ident FROM unnest(%s, %s::text[]) AS v(k, ident) WHERE t.k = v.k".format(
        b=b.table), ([r[0] for r in rows], ident.tolist()))


def overlap_table(work: Work, b: Buildings, planning: List[PgLayer]) -> Optional[str]:
    """Work table o(k, j, a): area of building k inside planning layer j (ST_Intersection only where a
    building is not wholly inside a piece), at most the building's area, as buildings.planning_overlaps."""
    if not planning:
        return None
    pieces = polygon_pieces(work, "p", planning, b.work_srid)
    return work.create("o", """
        SELECT b.k, p.j, least(sum(CASE WHEN ST_ContainsProperly(p.g, b.g) THEN b.area
                                        ELSE ST_Area(ST_Intersection(b.g, p.g)) END), max(b.area)) AS a
        FROM {b} b JOIN {p} p ON p.g && b.g AND ST_Intersects(p.g, b.g)
        WHERE NOT b.empty GROUP BY b.k, p.j""".format(b=b.table, p=pieces), index="k")


def overlap_columns(work: Work, names: List[str]) -> List[str]:
    """Output columns <name>_area, _pct, _hit (rounded as np.round) over the pivot `o` joined as `ov`."""
    cols = []
    for j, name in enumerate(names):
        a = "coalesce(ov.a{}, 0)".format(j)
        cols += ["round({a} * 1e4) / 1e4 AS {n}".format(a=a, n=work.q(name + "_area")),
                 "round(CASE WHEN b.area > 0 THEN {a} * 100.0 / b.area ELSE 0 END * 1e4) / 1e4 AS {n}".format(
                     a=a, n=work.q(name + "_pct")),
                 "({a} > {s})::int AS {n}".format(a=a, s=SLIVER_M2, n=work.q(name + "_hit"))]
    return cols


def overlap_pivot(overlaps: Optional[str], n: int) -> str:
    if not overlaps:
        return ""
    return "LEFT JOIN (SELECT k, {} FROM {} GROUP BY k) ov ON ov.k = b.k".format(
        ", ".join("max(a) FILTER (WHERE j = {0}) AS a{0}".format(j) for j in range(n)), overlaps)


def create_output(work: Work, b: Buildings, schema: str, table: str, new_columns: List[str], joins: str):
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
        fixed=fixed, g=q(b.layer.geometry), typmod=typmod, src=source_rows(work, b.layer), b=b.table, k=q(b.key),
        joins=joins))
    work.run("ALTER TABLE {} ADD PRIMARY KEY ({})".format(out, q(b.key)))
    work.run("CREATE INDEX ON {} USING gist({})".format(out, q(b.layer.geometry)))
    return out


def division_tables(work: Work, layer: PgLayer, field_name: str, profile: str, work_srid: int, progress):
    """Work tables d(di, code, g) (division index di among the usable divisions in key order, as the engine
    numbers them), dp (pieces) and dl (boundary pieces). The codes are checked by the engine's own rules."""
    q = work.q
    key, columns, srid = primary_key(work, layer), table_columns(work, layer), layer_srid(work, layer)
    raw_sql = py_text("s." + q(field_name), columns.categories.get(field_name, "S"), columns.types.get(
        field_name, "text")) if field_name in columns.names else "NULL"
    cleaned = work.create("dc", "SELECT s.{k} AS k, {raw} AS raw, c.empty, c.g FROM {src} CROSS JOIN LATERAL {clean} c"
                          .format(k=q(key), raw=raw_sql, src=source_rows(work, layer),
                                  clean=clean_sql("s." + q(layer.geometry), srid, work_srid)))
    rows = work.run("SELECT k, raw, empty FROM {} ORDER BY k".format(cleaned), fetch="all")
    names = [c for c in columns.names if c != layer.geometry]
    table = Table(columns={field_name: [r[1] for r in rows]} if field_name in columns.names else {},
                  wkb=np.full(len(rows), None, dtype=object), crs_wkt=None, name=layer.table, field_order=names)
    found = jobs.division_codes(table, field_name, profile)
    codes_all, length = found.codes, found.profile.segment("division").length
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
    work.create("dl", "SELECT ST_Subdivide(ST_Boundary(g), {}) AS g FROM {}".format(BOUNDARY_PIECE, d), gist="g")
    return d, codes_all[keep], found.profile


def locate_table(work: Work, b: Buildings, rule: str) -> str:
    """Work table l(k, home, share, straddle, partly_outside, centroid_outside, shares) for the usable buildings,
    by the rules of location.locate (see postgis)."""
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


def year_sql(q: str, category: str) -> str:
    """identities.years_of before the default: numbers truncated, text by its first four characters, else -1."""
    if category == "N":
        return "CASE WHEN {v} IS NULL OR {v}::float8 IN ('NaN', 'Infinity', '-Infinity') THEN -1 " \
               "ELSE trunc({v}::float8)::bigint END".format(v=q)
    return "CASE WHEN left(btrim(({v})::text), 4) ~ '^\\s*[+-]?[0-9]+\\s*$' THEN left(btrim(({v})::text), 4)" \
           "::bigint ELSE -1 END".format(v=q)


def order_sql(work: Work, b_src: PgLayer, id_field: Optional[str], columns: Columns) -> Dict[str, str]:
    """identities.order_key in SQL: numeric ids numerically (null last), other ids as text, no id: input order.
    Returns the columns ord_n (float8) and ord_t (text) of the work table."""
    if not id_field:
        return {"ord_n": "NULL::float8", "ord_t": "NULL::text"}
    v = "s." + work.q(id_field)
    if columns.categories.get(id_field) == "N":
        return {"ord_n": "coalesce({}::float8, 'Infinity')".format(v), "ord_t": "NULL::text"}
    numeric = work.run("SELECT bool_and(btrim(v) ~ '^[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?$') "
                       "FROM (SELECT ({})::text AS v FROM {}) x WHERE v IS NOT NULL".format(
                           v, source_rows(work, b_src)),
                       fetch="one")[0]
    if numeric:
        return {"ord_n": "coalesce(btrim(({})::text)::float8, 'Infinity')".format(v), "ord_t": "NULL::text"}
    return {"ord_n": "NULL::float8", "ord_t": "coalesce(({})::text, '') COLLATE \"C\"".format(v)}


def check_fields(columns: Columns, layer: PgLayer, names):
    for name in names:
        if name and name not in columns.names:
            raise jobs.EngineError(tr("Layer {} has no field '{}' (fields: {})").format(
                layer.table, name, ", ".join(c for c in columns.names if c != layer.geometry)))


def output_counts(work: Work, schema: str, table: str, names: List[str], b: Buildings) -> Dict[str, int]:
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


def fetch_result(work: Work, schema: str, table: str, b: Buildings, cols: List[str]):
    """Columns of the output table in the input's order, as arrays (for the report)."""
    q = work.q
    rows = work.run("SELECT {} FROM {}.{} o JOIN {} b ON b.k = o.{} ORDER BY o.{}".format(
        ", ".join(cols), q(schema), q(table), b.table, q(b.key), q(b.key)), fetch="all")
    return [np.array([r[i] for r in rows], dtype=object) for i in range(len(cols))]


def overlap_arrays(work, schema, table, b, names, extra_cols):
    q = work.q
    cols = list(extra_cols)
    for n in names:
        cols += ["o." + q(n + "_area"), "o." + q(n + "_pct"), "o." + q(n + "_hit")]
    arrays = fetch_result(work, schema, table, b, cols)
    head, rest = arrays[:len(extra_cols)], arrays[len(extra_cols):]
    overlaps = {n: (rest[3 * i].astype(float), rest[3 * i + 1].astype(float), rest[3 * i + 2].astype(int) > 0)
                for i, n in enumerate(names)}
    return head, overlaps
