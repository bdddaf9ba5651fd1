"""Province scale: 落图+赋码 and the planning overlay as set-based SQL inside PostGIS.

When the buildings, divisions and planning layers are tables of one PostGIS database (and, for coding,
the registry is a PostgreSQL registry in that same database), nothing is read into Python: the work runs
where the data is, as a few statements PostgreSQL can run in parallel, and gives the codes the embedded
engine (assign.py) gives:

  * geometries are cleaned (ST_MakeValid, polygons kept) and moved to the work CRS of crs.area_crs_wkt;
  * divisions, their boundaries and the planning polygons are cut with ST_Subdivide into unlogged work
    tables with GiST indexes;
  * a building that touches no division boundary takes the division of one of its vertices (a point in
    polygon test); only buildings crossing a boundary are intersected, and the largest share decides
    (ties: the lowest division); the centroid rule, the flags and div_shares are those of location.locate;
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
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import List, Optional

import numpy as np

from ..registry import datasets
from . import jobs, postgis_codes as coding, postgis_db as db, postgis_steps as steps, report as report_mod
from .assign import AssignJob, OverlayJob
from .buildings import planning_names
from ..china.division_levels import AUTO
from ..i18n import tr
from .layers import Table
from ..registry.base import RegistryError, default_actor

ENGINE_NAME = "postgis"


@dataclass
class InDb:
    """The PostGIS tables of a job: what run_assign_in_db / run_overlay_in_db work on."""
    buildings: db.PgLayer
    divisions: Optional[db.PgLayer] = None
    planning: List[db.PgLayer] = field(default_factory=list)
    output: Optional[str] = None  # "schema.table" or "table" (then the buildings' schema); None: <buildings>_coded


def pg_layer(layer) -> Optional[db.PgLayer]:
    """The PgLayer of a QGIS vector layer from the 'postgres' provider (a table, not a query), else None."""
    if layer is None or not hasattr(layer, "providerType") or layer.providerType() != "postgres":
        return None
    from qgis.core import QgsDataSourceUri
    uri = QgsDataSourceUri(layer.source())
    if not uri.table() or uri.table().lstrip().startswith("(") or not uri.geometryColumn():
        return None
    key = uri.keyColumn().replace('"', "")
    return db.PgLayer(conninfo=uri.connectionInfo(True), schema=uri.schema() or "public", table=uri.table(),
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


def output_uri(indb: InDb, schema: str, table: str, key: str) -> str:
    """The output table as QGIS opens it: a data source URI on the buildings' connection, else schema.table."""
    if not indb.buildings.uri:
        return "{}.{}".format(schema, table)
    return layer_uri(indb.buildings.uri, schema, table, indb.buildings.geometry, key)


def run_assign_in_db(job: AssignJob, indb: InDb, feedback=None) -> jobs.Result:
    """assign.run_assign inside the database of `indb` (see the module doc). job.registry must be a PostgreSQL
    registry in that database; the output is the table indb.output. Raises EngineError like run_assign,
    db.InDbError when the job cannot run in the database (nothing changed)."""
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
    return db.guarded(reg.conn, reg.close, schema, progress, feedback, lambda work: _assign(
        job, indb, reg, work, default_year, schema, out_table, progress))


def _assign(job, indb, reg, work, default_year, schema, out_table, progress):
    q = work.q
    for layer in [indb.buildings, indb.divisions] + list(indb.planning):
        if not db.same_database(reg.conn, layer.conninfo):
            raise db.InDbError(tr("Table {} is not in the database of the registry").format(layer.label))
    if (schema, out_table) in [(lay.schema, lay.table) for lay in [indb.buildings, indb.divisions] + indb.planning]:
        raise jobs.EngineError(tr("The output table {}.{} is one of the inputs; choose another").format(
            schema, out_table))
    work.tune()
    coding.offer_check_functions(work, reg.schema)
    columns = steps.table_columns(work, indb.buildings)
    steps.check_fields(columns, indb.buildings, (job.year_field, job.id_field, job.unit_field))
    namespace = job.namespace or job.buildings.label
    extra = steps.order_sql(work, indb.buildings, job.id_field, columns)
    if job.id_field:
        v = "s." + q(job.id_field)
        nan = " OR {}::float8 = 'NaN'".format(v) if columns.types.get(job.id_field) in ("float4", "float8") else ""
        extra["ident"] = "CASE WHEN {v} IS NULL{nan} THEN NULL ELSE {ns} || ':' || {text} END COLLATE \"C\"".format(
            v=v, nan=nan, ns=db.literal(namespace), text=steps.py_text(v, columns.categories[job.id_field],
                                                                       columns.types[job.id_field]))
    else:
        extra["ident"] = "NULL::text COLLATE \"C\""
    if job.year_field:
        extra["year_raw"] = steps.year_sql("s." + q(job.year_field), columns.categories[job.year_field])
    if job.unit_field:
        u = steps.py_text("s." + q(job.unit_field), columns.categories[job.unit_field], columns.types[job.unit_field])
        extra["unit"] = "CASE WHEN {v} IS NULL OR ({t}) IN ('', '0', 'False') THEN '' ELSE {t} END".format(
            v="s." + q(job.unit_field), t=u)
    b = steps.building_table(work, indb.buildings, extra)
    steps.fingerprint_identities(work, b)
    _, div_codes, profile = steps.division_tables(work, indb.divisions, job.division_field, job.profile, b.work_srid,
                                                  progress)
    div_len = profile.segment("division").length
    if job.profile == AUTO:  # the report names the profile the codes have
        job = dataclasses.replace(job, profile=profile.name)
    progress.step("read", tr("Read {} buildings and {} divisions").format(b.count, len(div_codes)))
    progress.step("prepare")
    loc = steps.locate_table(work, b, job.rule)
    progress.step("locate")
    names = planning_names(job.planning)
    overlaps = steps.overlap_table(work, b, indb.planning)
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
        issued = coding.issue_codes(work, reg, profile, r, actor, note)
        flags = ("concat_ws(',', CASE WHEN b.repaired THEN 'repaired' END, CASE WHEN l.straddle THEN 'straddle' END, "
                 "CASE WHEN l.partly_outside THEN 'partly_outside' END, CASE WHEN l.centroid_outside THEN "
                 "'centroid_outside' END, CASE WHEN r.year_default THEN 'year_default' END)")
        # an existing code of another division is a conflict, not reused (the rule of assign.run_assign)
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
        new_columns += steps.overlap_columns(work, names)
        joins = "JOIN {r} r ON r.k = b.k LEFT JOIN {l} l ON l.k = b.k LEFT JOIN {n} n ON n.k = b.k {ov}".format(
            r=r, l=loc, n=issued, ov=steps.overlap_pivot(overlaps, len(names)))
        out_uri["table"] = steps.create_output(work, b, schema, out_table, new_columns, joins)
    try:
        reg.run_transaction(transaction)  # one transaction; run again when another client won a race for an identity
    except RegistryError as e:
        raise jobs.EngineError(str(e)) from None
    counts = steps.output_counts(work, schema, out_table, names, b)
    progress.step("registry", tr("Registry {}: {} new codes, {} existing").format(
        reg.location.label, counts["new"], counts["existing"]), cancelable=False)
    progress.step("write", cancelable=False)

    report_path = None
    if job.report:
        report_path = _assign_report(job, work, b, schema, out_table, names, div_codes, counts, reg.location.label,
                                     progress)
    progress.step("report", cancelable=False)
    uri = output_uri(indb, schema, out_table, b.key)
    return jobs.Result(output=uri, output_layer=out_table, report=report_path, counts=counts, engine=ENGINE_NAME,
                       registry=job.registry, timings=progress.timings)


def _assign_report(job, work, b, schema, table, names, div_codes, counts, registry_label, progress):
    """report.build over the output table (read back without geometries)."""
    q = work.q
    id_col = ["o." + q(job.id_field)] if job.id_field else []
    head, overlaps = steps.overlap_arrays(work, schema, table, b, names, [
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


def run_overlay_in_db(job: OverlayJob, indb: InDb, feedback=None) -> jobs.Result:
    """assign.run_overlay inside the database of `indb`; the output is the table indb.output."""
    if not job.planning:
        raise jobs.EngineError(tr("Choose at least one planning layer to check against"))
    progress = jobs.Progress(feedback, 3 + len(job.planning))
    progress.info(tr("Engine: {}").format(ENGINE_NAME))
    conn = db.connect(indb.buildings.conninfo)
    schema, out_table = output_name(indb, "overlay")
    return db.guarded(conn, conn.close, schema, progress, feedback,
                      lambda work: _overlay(job, indb, work, schema, out_table, progress))


def _overlay(job, indb, work, schema, out_table, progress):
    for layer in indb.planning:
        if not db.same_database(work.conn, layer.conninfo):
            raise db.InDbError(tr("Table {} is not in the database of the buildings").format(layer.label))
    if (schema, out_table) in [(lay.schema, lay.table) for lay in [indb.buildings] + indb.planning]:
        raise jobs.EngineError(tr("The output table {}.{} is one of the inputs; choose another").format(
            schema, out_table))
    work.tune()
    b = steps.building_table(work, indb.buildings, {})
    progress.step("read", tr("Read {} features").format(b.count))
    names = planning_names(job.planning)
    overlaps = steps.overlap_table(work, b, indb.planning)
    for name in names:
        progress.step("overlap_" + name)
    work.run("BEGIN")  # the output appears whole or not at all
    try:
        steps.create_output(work, b, schema, out_table, steps.overlap_columns(work, names),
                            steps.overlap_pivot(overlaps, len(names)))
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
        head, overlaps_arr = steps.overlap_arrays(work, schema, out_table, b, names, ["b.empty", "b.repaired"])
        geo = SimpleNamespace(empty=head[0].astype(bool), repaired=head[1].astype(bool))
        buildings = Table(columns={}, wkb=np.full(len(head[0]), None), crs_wkt=None, name=job.buildings.label)
        rep = report_mod.build_overlay(job, buildings, geo, overlaps_arr, counts, ENGINE_NAME, progress.timings,
                                       progress.notes)
        rep["output"] = "{}.{}".format(schema, out_table)
        report_path = report_mod.write_report(rep, job.report)
    progress.step("report")
    uri = output_uri(indb, schema, out_table, b.key)
    return jobs.Result(output=uri, output_layer=out_table, report=report_path, counts=counts, engine=ENGINE_NAME,
                       timings=progress.timings)
