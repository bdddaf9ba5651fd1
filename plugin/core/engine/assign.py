"""The one-pass batch engine: 落图+赋码 and planning overlay.

Buildings are read once; division, code and overlap with every planning layer are computed together;
the registry issues the codes in one short transaction; one output layer and one report are written.
Nothing is written to the registry before all geometry work succeeded, and the output replaces an
earlier one only once it is complete, so a failed or canceled run leaves everything as it was; when the
output cannot be written after the codes were issued, running the job again finds them (the same codes).
"""
import dataclasses
import datetime
import os
import sqlite3
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import List, Optional

import numpy as np

from . import building_parts, input_checks, jobs, layer_writer, report as report_mod
from ..registry import datasets
from .buildings import BuildingGeometry, overlap_columns, planning_overlaps
from .geometry import point_mapper
from ..i18n import tr
from .identities import degree_fingerprints, identities, identity_notes, null_ids, order_key, years_of
from .layers import InputError, LayerInput
from ..registry.pg_connection import is_postgres_location
from ..china.division_levels import AUTO
from ..registry.base import IssueRequest, RegistryError, default_actor
from ..registry.backends import open_registry
from ..registry.sqlite import discard_if_unused
from ..speedups import missing_message

__all__ = ["LayerInput", "AssignJob", "OverlayJob", "run_assign", "run_overlay"]


@dataclass
class AssignJob:
    buildings: LayerInput
    divisions: LayerInput
    output: str
    division_field: str = "code"
    year_field: Optional[str] = None
    default_year: Optional[int] = None
    id_field: Optional[str] = None
    unit_field: Optional[str] = None
    rule: str = "area"
    planning: List[LayerInput] = field(default_factory=list)
    profile: str = AUTO                # or a profile name or file; AUTO: the building profile of the divisions' level
    registry: Optional[str] = None
    report: Optional[str] = None
    actor: Optional[str] = None
    engine: str = "auto"
    namespace: Optional[str] = None    # identity namespace for id-field identities (default: see datasets.py)
    non_polygons_as_points: bool = False  # points and lines in the building layer: coded as points, not refused
    allow_fingerprints: bool = False   # a shapefile without its .dbf may be coded by geometry fingerprint
    parts: str = building_parts.UNITS  # building parts: coded as units of their building, or "report"
    parts_field: Optional[str] = None  # a part's building id (else OSM building:part, found by location)


@dataclass
class OverlayJob:
    buildings: LayerInput
    planning: List[LayerInput]
    output: str
    report: Optional[str] = None
    engine: str = "auto"


# -- jobs --------------------------------------------------------------------------------------------
def run_assign(job: AssignJob, feedback=None) -> jobs.Result:
    engine = jobs.engine_for(job.engine, [job.buildings, job.divisions] + list(job.planning))
    progress = jobs.Progress(feedback, 7 + len(job.planning))
    progress.info(tr("Engine: {}").format(engine))
    if missing_message():
        progress.info(missing_message())
    if job.rule not in ("area", "centroid"):
        raise jobs.EngineError(tr("Unknown rule '{}': use 'area' or 'centroid'").format(job.rule))
    default_year = job.default_year or datetime.date.today().year
    no_table = input_checks.missing_table(job.buildings)
    if no_table and not job.allow_fingerprints:
        raise jobs.EngineError(tr("The attribute table of {} (its .dbf file) is missing: the buildings have no ids, "
                                  "only their geometry. Restore the .dbf, or allow coding by geometry fingerprint "
                                  "(parameter ALLOW_FINGERPRINTS; the dialog asks). Nothing was changed.")
                               .format(no_table))

    # Planning layers are read with all columns: GDAL 3.6's Arrow reader (the one inside QGIS 3.22)
    # returns empty geometries when asked for none, and planning layers are small.
    (divisions, buildings, *planning), (_, invalid, *_) = jobs.read_inputs(
        [job.divisions, job.buildings] + list(job.planning), engine, progress, columns={0: [job.division_field]},
        buildings=1, as_points=job.non_polygons_as_points, labels={0: job.division_field})
    for table, what in ((buildings, tr("building")), (divisions, tr("division"))):
        if not len(table):
            raise jobs.EngineError(tr("The {} layer {} has no features: nothing to code. Choose a layer with features; "
                                      "nothing was changed.").format(what, table.name))
    for name in (job.year_field, job.id_field, job.unit_field, job.parts_field):
        if name:
            try:
                buildings.column(name)
            except InputError as e:
                raise jobs.EngineError(str(e)) from None
    if no_table:
        progress.notes.append(input_checks.Note("no_table", buildings.name, tr(
            "{}: the attribute table (.dbf) is missing; the buildings are coded by geometry fingerprint, as allowed")
            .format(no_table)))
        progress.info(progress.notes[-1].message)
    progress.step("read", tr("Read {} buildings and {} divisions").format(len(buildings), len(divisions)))

    geo = BuildingGeometry(buildings, lazy=True)
    found = jobs.division_codes(divisions, job.division_field, job.profile)
    profile, div_codes_all, div_len = found.profile, found.codes, found.profile.segment("division").length
    if job.profile == AUTO:  # the report names the profile the codes have
        job = dataclasses.replace(job, profile=profile.name)
    div_clean = geo.g.clean(geo.g.from_wkb(divisions.wkb))
    keep = ~div_clean.empty  # a division without a usable code still holds its buildings (not coded)
    div_codes, div_geoms, notes = input_checks.merge_same_codes(
        divisions.name, div_codes_all[keep], div_clean.geoms[keep], np.flatnonzero(keep),
        geo.g.bounds(div_clean.geoms[keep]), geo.g)
    div_geoms = geo.g.reproject(div_geoms, divisions.crs_wkt, geo.work_crs)
    notes.insert(0, jobs.division_level_note(divisions.name, found))
    notes += input_checks.division_code_notes(divisions.name, divisions.column(job.division_field).tolist(),
                                              div_codes_all != "", div_len)
    notes += input_checks.coverage_notes(divisions.name, div_geoms, div_codes,
                                         point_mapper(geo.work_crs, divisions.crs_wkt))
    for n in notes:
        progress.info(n.message)
    progress.notes.extend(notes)
    progress.step("prepare")

    # (Running these two in threads was measured slower: the GIL is held between GEOS calls.)
    loc = geo.g.locate(geo.geoms, geo.usable, div_geoms, job.rule, geo.tree)
    try:
        parts = building_parts.find(buildings, geo, job.parts, job.parts_field, job.id_field)
    except ValueError as e:
        raise jobs.EngineError(str(e)) from None
    progress.step("locate")
    overlaps = planning_overlaps(geo, job.planning, planning, progress)

    n = len(buildings)
    dataset = datasets.resolve(job.buildings, buildings.name, job.namespace)
    progress.info(dataset.describe())
    identity = identities(buildings, geo, job.id_field, dataset.namespace)
    old_fingerprints = degree_fingerprints(buildings, geo, identity)
    geo.release()
    layer_writer.release_wkb(buildings, geo.repaired)
    years, year_defaulted = years_of(buildings, job.year_field, default_year)
    status = jobs.filled(n, "")
    status[geo.empty] = jobs.STATUS_EMPTY
    status[invalid] = jobs.STATUS_INVALID
    status[~geo.empty & (loc.home < 0)] = jobs.STATUS_OUTSIDE
    status[(loc.home >= 0) & (div_codes[np.maximum(loc.home, 0)] == "")] = jobs.STATUS_NO_DIVISION_CODE
    duplicate_of = jobs.duplicate_of(identity)
    status[(duplicate_of >= 0) & (status == "")] = jobs.STATUS_DUPLICATE
    null_id = null_ids(buildings, job.id_field) & geo.usable
    identity_notes(progress, buildings.name, job.id_field, identity, status, duplicate_of, null_id)
    status[parts.mask] = building_parts.STATUS_PART  # coded from their building's code, not on their own
    want = np.flatnonzero(status == "")
    order = order_key(buildings, job.id_field, n)
    unit = buildings.column(job.unit_field) if job.unit_field else None
    division = np.full(n, "", dtype=f"U{div_len}")
    division[loc.home >= 0] = div_codes[loc.home[loc.home >= 0]]  # "" where the division has no usable code
    progress.step("prepare_codes")

    actor = job.actor or default_actor()
    registry_path = jobs.registry_location(job.registry, job.output)
    codes = np.full(n, None, dtype=object)
    flags = _flags(n, geo.repaired, loc, year_defaulted)
    div_shares = np.full(n, None, dtype=object)
    for i, pairs in loc.shares.items():
        div_shares[i] = ";".join(f"{div_codes[d]}:{s:.4f}" for d, s in pairs)
    layer_name = buildings.name + "_coded"
    renamed = {}

    registered = np.full(n, None, dtype=object)  # conflicts: the identity's code in the registry

    def settle(issued):
        """Codes and status per feature from what the registry issued."""
        codes[want] = issued.code
        status[want] = np.where(issued.is_new, jobs.STATUS_NEW, jobs.STATUS_EXISTING)
        status[want[issued.exhausted]] = jobs.STATUS_EXHAUSTED
        # A code of another division than the one the feature lies in is a conflict, unless that division is
        # not in this division layer and the feature reaches beyond the layer (a field package's partial area).
        found = want[np.flatnonzero(~issued.is_new & ~issued.exhausted)]
        code_div = datasets.division_of(profile, codes[found])
        moved = found[(code_div != division[found]) & (np.isin(code_div, div_codes) | ~loc.partly_outside[found])]
        registered[moved], codes[moved], status[moved] = codes[moved], None, jobs.STATUS_CONFLICT
        parts.code(codes, status, profile)

    def write_output(tmp):
        out_cols = {
            "citycode": codes, "division": np.where(division == "", None, division).astype(object),
            "div_share": np.round(loc.share, 6), "straddle": loc.straddle.astype(np.int32),
            "div_shares": div_shares, "cc_status": status, "cc_flags": flags,
        }
        out_cols.update(overlap_columns(overlaps))
        renamed.update(layer_writer.write_layer(tmp, layer_name, buildings, out_cols, geo, engine))

    # The registry's write lock is held only while it stores the codes; the output is written after the
    # commit (a failure there: a re-run finds the codes by identity).
    jobs.room_for_output(job.output, n)  # before any code is issued
    fresh = not is_postgres_location(registry_path) and not os.path.exists(registry_path)
    note = tr("batch {} -> {}").format(buildings.name, os.path.basename(job.output))
    try:
        with open_registry(registry_path) as reg:
            reg.on_wait, reg.job = jobs.on_registry_wait(progress), note
            old, new, left = datasets.legacy_codes(reg, profile, dataset, identity[want], division[want])
            fp_old, fp_new, fp_shared = datasets.legacy_fingerprint_codes(
                reg, profile, old_fingerprints[want], identity[want], division[want])
            with reg.pending() if old or fp_old else nullcontext():  # adopted with the batch, or not at all
                if old:
                    reg.adopt_identities(profile, old, new, actor, f"{dataset.legacy} -> {dataset.namespace}")
                if fp_old:
                    reg.adopt_identities(profile, fp_old, fp_new, actor, "fingerprints: degrees -> metres")
                issued = reg.issue(profile, IssueRequest(
                    identity=identity[want], division=division[want], year=years[want], order=order[want],
                    unit=None if unit is None else np.array([str(u or "").zfill(5) for u in unit[want]])),
                    actor, note=note)
    except BaseException as e:
        if fresh:  # e.g. a full disk or a cancel while waiting: no empty registry left behind
            discard_if_unused(registry_path)
        if isinstance(e, (RegistryError, ValueError)):
            raise jobs.EngineError(str(e)) from None
        raise
    settle(issued)
    jobs.registry_step(progress, registry_path, issued, "registry")
    try:
        with jobs.staged_output(job.output, progress) as tmp:
            write_output(tmp)
    except (OSError, RuntimeError, InputError, sqlite3.Error) as e:
        raise jobs.EngineError(jobs.output_error(job.output, e, issued)) from None
    progress.step("write", cancelable=False)
    datasets.store_namespace(job.output, layer_name, dataset.namespace)  # coding the output again finds its codes
    adoption = {"adopted": len(old), "left": left}
    if old:
        progress.info(tr("{} codes issued under the layer name {} were adopted by this dataset").format(
            len(old), dataset.legacy))
    if fp_old:
        progress.info(tr("{} codes issued to these buildings under their former fingerprints (0.01° grid) were "
                         "carried over to their fingerprints in metres").format(len(fp_old)))
    if fp_shared:
        progress.info(tr("{} codes were issued under former fingerprints (0.01° grid) that several of these "
                         "buildings share: which building had each cannot be told, so they were not carried over; "
                         "retire them in the code form (History shows them) if they are no longer needed")
                      .format(fp_shared))
    if left:
        progress.info(tr("{} ids of this layer are in the registry under the layer name {} but lie in other "
                         "divisions: they belong to another dataset and were not used").format(left, dataset.legacy))
    if (status == jobs.STATUS_CONFLICT).any():
        progress.info(tr("{} features have a code in the registry of another division than the one they lie in "
                         "now: listed as conflicts, not coded (see the report)").format(
            int((status == jobs.STATUS_CONFLICT).sum())))
    jobs.log_renamed(progress, renamed)

    counts = report_mod.counts(status, loc, geo, overlaps, year_defaulted)
    if parts:
        parts.counts(counts, status)
        progress.notes += [parts.summary(buildings.name, status)] + parts.notes
        progress.info(progress.notes[-1 - len(parts.notes)].message)
    rep = report_mod.build(job, buildings, div_codes, division, status, loc, geo, overlaps, counts,
                           identity, registry_path, engine, progress.timings, progress.notes,
                           dataset=dataset, adoption=adoption, registered=registered, duplicate_of=duplicate_of,
                           null_id=null_id)
    report_path = report_mod.write_report(rep, job.report) if job.report else None
    progress.step("report", cancelable=False)
    return jobs.Result(output=job.output, output_layer=layer_name, report=report_path, counts=counts,
                       engine=engine, registry=registry_path, timings=progress.timings)


def _flags(n, repaired, loc, year_defaulted) -> np.ndarray:
    flags = jobs.filled(n, "")
    for mask, name in ((repaired, "repaired"), (loc.straddle, "straddle"), (loc.partly_outside, "partly_outside"),
                       (loc.centroid_outside, "centroid_outside"), (year_defaulted, "year_default")):
        flags[mask] = flags[mask] + name + ","
    flags = np.array([f.rstrip(",") or None for f in flags.tolist()], dtype=object)
    return flags


def run_overlay(job: OverlayJob, feedback=None) -> jobs.Result:
    if not job.planning:
        raise jobs.EngineError(tr("Choose at least one planning layer to check against"))
    engine = jobs.engine_for(job.engine, [job.buildings] + list(job.planning))
    progress = jobs.Progress(feedback, 3 + len(job.planning))
    (buildings, *planning), (invalid, *_) = jobs.read_inputs([job.buildings] + list(job.planning), engine, progress)
    progress.step("read", tr("Read {} features").format(len(buildings)))
    geo = BuildingGeometry(buildings, lazy=True)
    overlaps = planning_overlaps(geo, job.planning, planning, progress)
    out_cols = overlap_columns(overlaps)
    layer_name = buildings.name + "_overlay"
    jobs.log_renamed(progress, jobs.replace_output(
        lambda path: layer_writer.write_layer(path, layer_name, buildings, out_cols, geo, engine), job.output,
        progress))
    progress.step("write")
    counts = {"total": len(buildings), "empty": int(geo.empty.sum()), "repaired": int(geo.repaired.sum()),
              "invalid_geometry": int(invalid.sum())}
    for name, (area, _, hit) in overlaps.items():
        counts[f"{name}_hits"] = int(hit.sum())
    rep = report_mod.build_overlay(job, buildings, geo, overlaps, counts, engine, progress.timings, progress.notes)
    report_path = report_mod.write_report(rep, job.report) if job.report else None
    progress.step("report")
    return jobs.Result(output=job.output, output_layer=layer_name, report=report_path, counts=counts, engine=engine,
                       timings=progress.timings)
