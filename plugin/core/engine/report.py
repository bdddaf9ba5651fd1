"""The run report: counts per division, straddlers, outside, repaired, conflicts per planning layer.

Built as a plain dict (written as JSON for other programs) and rendered as HTML for people; the same
dict is what the GUI shows after a run.
"""
import datetime
import html
import json
import os
from typing import Dict

import numpy as np

from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..i18n import tr
from ..times import local_time

# At most this many rows are listed per problem kind (counts are always complete).
MAX_LISTED = 500


def counts(status, loc, geo, overlaps, year_defaulted) -> Dict[str, int]:
    c = {
        "total": int(len(status)),
        "coded": int(np.isin(status, ("new", "existing")).sum()),
        "new": int((status == "new").sum()),
        "existing": int((status == "existing").sum()),
        "straddling": int(loc.straddle.sum()),
        "partly_outside": int(loc.partly_outside.sum()),
        "outside": int((status == "outside").sum()),
        "empty": int((status == "empty").sum()),
        "repaired": int(geo.repaired.sum()),
        "duplicate_id": int((status == "duplicate_id").sum()),
        "invalid_geometry": int((status == "invalid_geometry").sum()),
        "exhausted": int((status == "exhausted").sum()),
        "no_division_code": int((status == "no_division_code").sum()),
        "conflict": int((status == "conflict").sum()),
        "year_default": int(year_defaulted.sum()),
    }
    c["failed"] = c["total"] - c["coded"]
    for name, (_, _, hit) in overlaps.items():
        c[f"{name}_hits"] = int(hit.sum())
    return c


def _feature_ref(ids, i: int):
    """Row number and id (ids: the id column, None without one) of feature i."""
    ref = {"row": int(i) + 1}
    if ids is not None:
        v = ids[i]
        ref["id"] = v.item() if hasattr(v, "item") else v
    return ref


def _listed(ids, idx, extra=None):
    rows = []
    for i in idx[:MAX_LISTED]:
        r = _feature_ref(ids, int(i))
        if extra:
            r.update(extra(int(i)))
        rows.append(r)
    return rows


def _duplicate(ids, identity, duplicate_of, i: int) -> Dict:
    """A duplicate identity: which feature has it first, and why they share it."""
    out = {"identity": identity[i]}
    if duplicate_of is not None and duplicate_of[i] >= 0:
        first = _feature_ref(ids, int(duplicate_of[i]))
        out.update({"same_as_" + k: v for k, v in first.items()})
        out["why"] = (tr("the same geometry (to 1 cm) as row {}") if str(identity[i]).startswith("geom:")
                      else tr("the same id as row {}")).format(first["row"])
    return out


def _planning_section(overlaps):
    return {name: {"hits": int(hit.sum()), "area_m2": round(float(area.sum()), 2),
                   "wholly_inside": int((pct >= 99.999).sum())}
            for name, (area, pct, hit) in overlaps.items()}


def build(job, buildings, div_codes, division, status, loc, geo, overlaps, c, identity, registry, engine, timings,
          notes=(), dataset=None, adoption=None, registered=None, duplicate_of=None, null_id=None):
    """dataset: datasets.Dataset of the buildings; adoption: {"adopted", "left"} codes of the layer-name
    namespace; registered: per feature in conflict, its code in the registry (of another division);
    duplicate_of: per feature, the earlier feature with its identity (-1: none); null_id: no id, fingerprinted."""
    ids = buildings.column(job.id_field) if job.id_field else None  # once: a million values each time
    coded = np.isin(status, ("new", "existing"))
    located = division != ""
    names, which = np.unique(division[located], return_inverse=True)
    per_kind = {k: np.bincount(which, weights=m[located], minlength=len(names)).astype(int)
                for k, m in (("buildings", located), ("new", status == "new"), ("existing", status == "existing"),
                             ("straddling", loc.straddle))}
    per_div = {str(code): {k: int(v[i]) for k, v in per_kind.items()} for i, code in enumerate(names)}
    conflicts = {}
    for name, (area, pct, hit) in overlaps.items():
        idx = np.flatnonzero(hit)
        conflicts[name] = _listed(ids, idx, lambda i, a=area, p=pct: {
            "area_m2": round(float(a[i]), 2), "pct": round(float(p[i]), 2)})
    return {
        "title": tr("CityCode coding report"),
        "created": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "inputs": {"buildings": buildings.name, "divisions": job.divisions.label, "rule": job.rule,
                   "profile": job.profile, "year_field": job.year_field, "id_field": job.id_field,
                   "planning": [p.label for p in job.planning]},
        "output": job.output, "registry": registry, "engine": engine, "timings_s": timings,
        "namespace": dataset.namespace if dataset else None,
        "namespace_note": dataset.describe() if dataset else None,
        "namespace_adoption": adoption or {},
        "counts": c,
        "divisions": per_div,
        "divisions_without_buildings": sorted(set(map(str, div_codes)) - set(per_div)),
        "planning": _planning_section(overlaps),
        "straddling": _listed(ids, np.flatnonzero(loc.straddle), lambda i: {
            "division": str(division[i]), "shares": {str(div_codes[d]): round(s, 4) for d, s in loc.shares[i]}}),
        "outside": _listed(ids, np.flatnonzero(status == "outside")),
        "partly_outside": _listed(ids, np.flatnonzero(loc.partly_outside)),
        "empty": _listed(ids, np.flatnonzero(status == "empty")),
        "repaired": _listed(ids, np.flatnonzero(geo.repaired)),
        "duplicate_id": _listed(ids, np.flatnonzero(status == "duplicate_id"),
                                lambda i: _duplicate(ids, identity, duplicate_of, i)),
        "invalid_geometry": _listed(ids, np.flatnonzero(status == "invalid_geometry")),
        "null_id": _listed(ids, np.flatnonzero(null_id if null_id is not None else []),
                           lambda i: {"identity": identity[i]}),
        "exhausted": _listed(ids, np.flatnonzero(status == "exhausted")),
        "no_division_code": _listed(ids, np.flatnonzero(status == "no_division_code")),
        "registry_conflicts": _listed(ids, np.flatnonzero(status == "conflict"), lambda i: {
            "identity": identity[i], "registry_code": registered[i], "division": str(division[i])}),
        "input_checks": [n.as_dict() for n in notes],
        "conflicts": conflicts,
        "uncoded": int((~coded).sum()),
    }


def build_overlay(job, buildings, geo, overlaps, c, engine, timings, notes=()):
    conflicts = {name: _listed(None, np.flatnonzero(hit), lambda i, a=area, p=pct: {
        "area_m2": round(float(a[i]), 2), "pct": round(float(p[i]), 2)})
        for name, (area, pct, hit) in overlaps.items()}
    return {
        "title": tr("CityCode planning overlay report"),
        "created": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "inputs": {"buildings": buildings.name, "planning": [p.label for p in job.planning]},
        "output": job.output, "engine": engine, "timings_s": timings, "counts": c,
        "planning": _planning_section(overlaps),
        "empty": _listed(None, np.flatnonzero(geo.empty)),
        "repaired": _listed(None, np.flatnonzero(geo.repaired)),
        "input_checks": [n.as_dict() for n in notes],
        "conflicts": conflicts,
    }


def _point_ref(points, i: int):
    return {"line": int(points.line[i]), "identity": str(points.identity[i])}


def build_points(job, points, division, status, c, zones, samples, unknown_kinds, registry, timings, notes=()):
    """The report of a monitoring-point run (monitoring.run_points)."""
    located = division != ""
    names, which = np.unique(division[located], return_inverse=True)
    per_div = {str(code): {k: int(v) for k, v in (
        ("points", (which == i).sum()), ("new", (status[located][which == i] == "new").sum()),
        ("existing", (status[located][which == i] == "existing").sum()))} for i, code in enumerate(names)}

    def listed(mask):
        return [_point_ref(points, i) for i in np.flatnonzero(mask)[:MAX_LISTED]]
    zone_rows = {}
    for name, z in zones.items():
        classes = {}
        if z.values is not None:
            for v in z.values[z.inside].tolist():
                classes[str(v)] = classes.get(str(v), 0) + 1
        zone_rows[name] = {"inside": int(z.inside.sum()), "class_field": z.class_field or "",
                           "classes": dict(sorted(classes.items(), key=lambda kv: -kv[1]))}
    raster_rows = {}
    for name, smp in samples.items():
        v = smp.values[smp.valid]
        raster_rows[name] = {"valid": int(smp.valid.sum()), "nodata": int((smp.reason == "nodata").sum()),
                             "outside": int((smp.reason == "outside").sum()),
                             "min": round(float(v.min()), 4) if len(v) else "", "max": round(float(v.max()), 4)
                             if len(v) else ""}
    return {
        "title": tr("CityCode monitoring points report"),
        "created": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "inputs": {"points": points.name, "divisions": job.divisions.label, "profile": job.profile,
                   "kind_field": job.kind_field, "id_field": job.id_field,
                   "planning": [p.label for p in job.planning], "rasters": [str(getattr(r, "label", r))
                                                                           for r in job.rasters]},
        "output": job.output, "registry": registry, "timings_s": timings, "counts": c,
        "divisions": per_div,
        "not_imported": points.problems[:MAX_LISTED],
        "unknown_kinds": [{"text": t, "points": k} for t, k in sorted(unknown_kinds.items(), key=lambda kv: -kv[1])],
        "zones": zone_rows, "rasters": raster_rows,
        "outside": listed(status == "outside"),
        "duplicate_id": listed(status == "duplicate_id"),
        "exhausted": listed(status == "exhausted"),
        "no_division_code": listed(status == "no_division_code"),
        "input_checks": [n.as_dict() for n in notes],
    }


def write_report(rep: Dict, path: str) -> str:
    os.makedirs(os.path.dirname(os.path.abspath(path)) or ".", exist_ok=True)
    if path.lower().endswith(".json"):
        with open(path, "w", encoding="utf-8") as f:
            json.dump(rep, f, ensure_ascii=False, indent=1, default=str)
    else:
        with open(path, "w", encoding="utf-8") as f:
            f.write(to_html(rep))
    return path


# QT_TRANSLATE_NOOP: the labels are translated where they are shown; this puts them in the catalogue.
OUTCOME_LABELS = {
    "total": QT_TRANSLATE_NOOP("CityCode", "Features"), "coded": QT_TRANSLATE_NOOP("CityCode", "Coded"),
    "new": QT_TRANSLATE_NOOP("CityCode", "New codes"),
    "existing": QT_TRANSLATE_NOOP("CityCode", "Existing codes (re-run)"),
    "straddling": QT_TRANSLATE_NOOP("CityCode", "Straddling a division border"),
    "partly_outside": QT_TRANSLATE_NOOP("CityCode", "Partly outside every division"),
    "outside": QT_TRANSLATE_NOOP("CityCode", "Outside every division (not coded)"),
    "empty": QT_TRANSLATE_NOOP("CityCode", "No geometry (not coded)"),
    "repaired": QT_TRANSLATE_NOOP("CityCode", "Invalid geometry, repaired"),
    "duplicate_id": QT_TRANSLATE_NOOP("CityCode", "Duplicate id (not coded)"),
    "invalid_geometry": QT_TRANSLATE_NOOP("CityCode", "Coordinates that are not numbers (not coded)"),
    "exhausted": QT_TRANSLATE_NOOP("CityCode", "Sequence used up (not coded)"),
    "no_division_code": QT_TRANSLATE_NOOP("CityCode", "In a division without a usable code (not coded)"),
    "conflict": QT_TRANSLATE_NOOP("CityCode", "Registry code of another division (conflict, not coded)"),
    "year_default": QT_TRANSLATE_NOOP("CityCode", "Year missing or implausible, default used"),
    "parts": QT_TRANSLATE_NOOP("CityCode", "Building parts (no building number of their own)"),
    "part_units": QT_TRANSLATE_NOOP("CityCode", "Building parts coded as units of their building"),
    "failed": QT_TRANSLATE_NOOP("CityCode", "Not coded"),
    "not_imported": QT_TRANSLATE_NOOP("CityCode", "Rows not imported (see below)"),
    "kind_default": QT_TRANSLATE_NOOP("CityCode", "Kind not recognised, default kind used"),
    "observations": QT_TRANSLATE_NOOP("CityCode", "Observations in the file"),
    "added": QT_TRANSLATE_NOOP("CityCode", "Observations added"),
    "unchanged": QT_TRANSLATE_NOOP("CityCode", "Observations already stored"),
    "conflicts": QT_TRANSLATE_NOOP("CityCode", "Conflicts with stored values"),
    "unresolved": QT_TRANSLATE_NOOP("CityCode", "Rows of unknown points"),
    "invalid": QT_TRANSLATE_NOOP("CityCode", "Unreadable or repeated rows"),
    "exceedances": QT_TRANSLATE_NOOP("CityCode", "Exceedances"),
}


def _table(rows, columns):
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(r.get(c, '')))}</td>" for c in columns) + "</tr>"
                   for r in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def _namespace_line(rep: Dict) -> str:
    """Whose ids these are, and what happened to codes issued under the layer name (datasets.py)."""
    line, adoption = rep["namespace_note"], rep.get("namespace_adoption") or {}
    if adoption.get("adopted"):
        line += "; " + tr("{} codes issued under the layer name adopted").format(adoption["adopted"])
    if adoption.get("left"):
        line += "; " + tr("{} codes under the layer name lie in other divisions: another dataset's, not used").format(
            adoption["left"])
    return line


def to_html(rep: Dict) -> str:
    parts = [f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(rep['title'])}</title>"
             "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin:.5em 0 1.5em}"
             "td,th{border:1px solid #bbb;padding:2px 8px;text-align:left}th{background:#eee}</style></head><body>",
             f"<h1>{html.escape(rep['title'])}</h1>",
             "<p>{} · {}</p>".format(html.escape(local_time(rep["created"])),  # the reader's time, with its zone
                                     html.escape(tr("Output: {}").format(rep["output"]))
                                     + (" · " + html.escape(tr("Registry: {}").format(rep["registry"]))
                                        if rep.get("registry") else "")),
             "<p>{}</p>".format(html.escape(_namespace_line(rep))) if rep.get("namespace_note") else "",
             "<h2>{}</h2>".format(html.escape(tr("Summary"))),
             _table([{"": tr(OUTCOME_LABELS.get(k, k)), "n": v} for k, v in rep["counts"].items()], ["", "n"])]
    if rep.get("divisions"):
        parts.append("<h2>{}</h2>".format(html.escape(tr("Per division"))))
        rows = [dict(division=k, **v) for k, v in rep["divisions"].items()]
        parts.append(_table(rows, list(rows[0])))
    if rep.get("planning"):
        parts.append("<h2>{}</h2>".format(html.escape(tr("Planning layers"))))
        parts.append(_table([dict(layer=k, **v) for k, v in rep["planning"].items()],
                            ["layer", "hits", "wholly_inside", "area_m2"]))
    if rep.get("not_imported"):
        rows = rep["not_imported"]
        parts.append("<h2>{} ({})</h2>".format(html.escape(tr("Rows not imported")), rep["counts"]["not_imported"]))
        parts.append(_table(rows, ["line", "column", "value", "reason"]))
    if rep.get("unknown_kinds"):
        parts.append("<h2>{}</h2>".format(html.escape(tr("Kinds not recognised (default kind used)"))))
        parts.append(_table(rep["unknown_kinds"], ["text", "points"]))
    if rep.get("zones"):
        parts.append("<h2>{}</h2>".format(html.escape(tr("Planning zones at the points"))))
        parts.append(_table([dict(layer=k, inside=v["inside"], class_field=v["class_field"],
                                  classes="; ".join(f"{c}: {n}" for c, n in list(v["classes"].items())[:20]))
                             for k, v in rep["zones"].items()], ["layer", "inside", "class_field", "classes"]))
    if rep.get("rasters"):
        parts.append("<h2>{}</h2>".format(html.escape(tr("Raster values at the points"))))
        parts.append(_table([dict(raster=k, **v) for k, v in rep["rasters"].items()],
                            ["raster", "valid", "nodata", "outside", "min", "max"]))
    if rep.get("input_checks"):
        rows = rep["input_checks"]
        parts.append("<h2>{} ({})</h2>".format(html.escape(tr("Input checks")), len(rows)))
        parts.append(_table(rows, [k for k in ("kind", "layer", "message", "x", "y", "area_m2")
                                   if any(k in r for r in rows)]))
    for key, title in (("straddling", tr("Straddling buildings")), ("outside", tr("Outside every division")),
                       ("partly_outside", tr("Partly outside every division")), ("empty", tr("No geometry")),
                       ("repaired", tr("Repaired geometries")), ("duplicate_id", tr("Duplicate ids")),
                       ("invalid_geometry", tr("Coordinates that are not numbers (NaN, inf; not coded)")),
                       ("null_id", tr("No id: coded by geometry fingerprint")),
                       ("exhausted", tr("Sequence used up")),
                       ("no_division_code", tr("In a division without a usable code")),
                       ("registry_conflicts", tr("Registry code of another division (conflicts, not coded)"))):
        rows = rep.get(key) or []
        if rows:
            cols = sorted({k for r in rows for k in r}, key=lambda k: (k not in ("row", "id"), k))
            parts.append(f"<h2>{html.escape(title)} ({len(rows)})</h2>" + _table(rows, cols))
    for name, rows in (rep.get("conflicts") or {}).items():
        if rows:
            parts.append("<h2>{} ({})</h2>".format(html.escape(tr("Conflicts with {}").format(name)), len(rows)))
            parts.append(_table(rows, [k for k in ("row", "id", "area_m2", "pct") if k in rows[0]]))
    parts.append("</body></html>")
    return "\n".join(parts)
