"""The vintage update, a new building survey matched to last year's coded buildings: `prepare` reads and
classifies (plan.read, classify.classify), a review may change the plan, `commit` applies it (apply.apply: the
registry and the new layer in one transaction) and writes the change report; `run_update` does both at once
(citycode:updatevintage, whatever is ambiguous left for review)."""
import os
from dataclasses import dataclass
from typing import Dict, Optional

import numpy as np

from ..i18n import tr
from ..engine.jobs import filled
from ..registry.base import RegistryError
from .apply import Applied, apply
from .classify import classify
from .plan import AMBIGUOUS, CLASSES, MERGED, NEW, OUTSIDE, SPLIT, Session, VintageJob, class_label, read
from .report import report, write_report


@dataclass
class VintageResult:
    output: str
    output_layer: str
    report: Optional[str]
    summary: Dict
    registry: str
    applied: Applied
    code_field: str = "citycode"


def prepare(job: VintageJob, feedback=None) -> Session:
    """Read the layers and classify every building; nothing is written."""
    from ..engine.jobs import EngineError, return_freed_memory
    s = read(job, feedback)
    try:
        s.plan = plan = classify(s.geo.g, s.old_geoms, np.where(s.geo.usable, s.geo.geoms, None), job.tolerance,
                                 s.area)
    except ValueError as e:
        raise EngineError(str(e)) from None
    return_freed_memory()  # what matching let go of (some 100 MB at 1M): applying needs room
    plan.new_class[~s.geo.usable] = AMBIGUOUS  # no geometry: nothing to match or code
    counts = ["{} {}".format(int((plan.new_class == c).sum()), class_label(c)) for c in CLASSES
              if (plan.new_class == c).any()]
    s.progress.step("match", tr("Matched: {}").format(", ".join(counts)))
    return s


def commit(s: Session, release: bool = False) -> VintageResult:
    """Apply the (reviewed) plan: registry changes and the new layer in one transaction, then the report.
    release: let go of the geometries once they are no longer needed (a session that is not applied again)."""
    from ..engine import jobs, layer_writer, layers, wkb
    from ..engine.identities import identities
    from ..registry.datasets import division_of, resolve
    from ..registry.base import default_actor
    from ..registry.backends import open_registry

    job, plan, g = s.job, s.plan, s.geo.g
    n = len(plan.new_class)
    # made now, not when read: a million identities weigh some 90 MB, matching's peak needs none of them
    identity = identities(s.new, s.geo, job.id_field, resolve(job.new, s.new.name).namespace)
    # new buildings without a code to carry (none matched, or their old building had none): where do they lie
    carries = plan.carried >= 0
    carries[carries] = np.not_equal(np.asarray(s.old_codes, dtype=object)[plan.carried[carries]], None)
    located = np.flatnonzero(~carries)
    usable = np.zeros(n, dtype=bool)
    usable[located] = s.geo.usable[located]
    division = filled(n, "")
    if usable.any():
        home = g.locate(s.geo.geoms, usable, s.div_geoms, "area").home
        division[home >= 0] = s.div_codes[home[home >= 0]]
    no_division = (plan.new_class == NEW) & (division == "")
    if no_division.any():  # no division to code them in: left for review
        plan.new_class[no_division] = AMBIGUOUS
        s.progress.info(tr("{} new buildings lie in no division: left for review").format(int(no_division.sum())))
    if release:  # the layer is written from the WKB as read
        s.old_geoms = s.div_geoms = None
        s.geo.release()  # (hands what both freed back to the system)
    s.progress.step("locate")

    actor = job.actor or default_actor()
    registry_path = jobs.registry_location(job.registry, job.output)
    layer_name = "buildings_" + str(s.year)
    keep_old = np.flatnonzero(np.isin(plan.old_class, (OUTSIDE, AMBIGUOUS)))

    def write(done: Applied):
        status = done.status
        parents = np.full(n, None, dtype=object)
        for new_i, old_j in plan.members_of(plan.new_group[np.isin(status, (SPLIT, MERGED))]).values():
            parents[new_i] = ";".join(s.old_codes[old_j].astype(str))
        carried = np.flatnonzero(plan.carried >= 0)
        parents[carried] = s.old_codes[plan.carried[carried]]
        ours = _OUTPUT_FIELDS | {job.code_field.lower()}
        columns = [(f, np.concatenate([np.asarray(s.new.column(f), dtype=object), np.full(len(keep_old), None)]))
                   for f in s.new.field_order if f.lower() not in ours]
        columns += [
            (job.code_field, np.r_[done.code, s.old_codes[keep_old]]),
            ("cc_change", np.r_[status, plan.old_class[keep_old]]),
            ("cc_old", np.r_[parents, np.full(len(keep_old), None)]),
            ("cc_shift", np.r_[np.round(plan.shift, 3), np.full(len(keep_old), np.nan)]),
            ("cc_area_chg", np.r_[np.round(plan.area_change, 4), np.full(len(keep_old), np.nan)]),
        ]
        old_wkb = s.old.wkb[keep_old]
        if s.old.crs_wkt != s.new.crs_wkt and len(keep_old):
            old_wkb = g.to_wkb(g.reproject(g.from_wkb(old_wkb), s.old.crs_wkt, s.new.crs_wkt))
        boxes = None
        if s.geo.boxes is not None:  # the survey's as written (as read: repaired ones too), then the old ones kept
            boxes = s.geo.boxes.copy()
            boxes[s.geo.repaired] = wkb.bounds_many(s.new.wkb[s.geo.repaired])
            boxes = np.r_[boxes, wkb.bounds_many(old_wkb)]
        layer_writer.write_table(tmp, layer_name, columns, np.r_[s.new.wkb, old_wkb], "MultiPolygon"
                           if "Multi" in s.new.geometry_type or "Multi" in s.old.geometry_type else "Polygon",
                           s.new.crs_wkt, kinds=s.new.field_types, boxes=boxes)

    try:
        with jobs.staged_output(job.output) as tmp, open_registry(registry_path) as reg:
            done = apply(reg, s.profile, plan, s.old_codes, identity, division.astype(str), s.year, actor,
                         tr("vintage {}: {} -> {}").format(s.year, s.new.name, os.path.basename(job.output)),
                         alongside=write)
    except (RegistryError, ValueError, layers.InputError) as e:
        raise jobs.EngineError(str(e)) from None
    s.progress.step("registry", tr("Registry {}: {} new codes, {} retired, {} splits, {} merges").format(
        registry_path, done.issued, done.retired, done.splits, done.merges), cancelable=False)
    for m in done.messages:
        s.progress.info(m)
    del identity  # (some 90 MB at 1M)
    # divisions as fixed-width text: a million codes' divisions as objects would weigh ~60 MB a side
    coded = np.not_equal(done.code, None)
    found = division_of(s.profile, done.code[coded])
    new_div = division.astype(str)
    new_div = new_div.astype(np.result_type(new_div, found))  # wide enough for both
    new_div[coded] = found
    has = np.not_equal(s.old_codes, None)
    found = division_of(s.profile, s.old_codes[has])
    old_div = np.zeros(len(s.old_codes), dtype=found.dtype)
    old_div[has] = found
    summary = report(plan, done, new_div, old_div, s.old_codes)
    summary.update(year=s.year, old=s.old.name, new=s.new.name, output=job.output, registry=registry_path,
                   tolerance=job.tolerance)
    path = write_report(summary, job.report) if job.report else None
    s.progress.step("report", cancelable=False)
    return VintageResult(job.output, layer_name, path, summary, registry_path, done, job.code_field)


_OUTPUT_FIELDS = {"cc_change", "cc_old", "cc_shift", "cc_area_chg"}


def run_update(job: VintageJob, feedback=None) -> VintageResult:
    """citycode:updatevintage: classify, apply what is certain, leave the ambiguous for review."""
    return commit(prepare(job, feedback), release=True)
