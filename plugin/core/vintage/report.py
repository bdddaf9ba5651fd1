"""The change report: counts per division and class and the largest changes, as a dict and as JSON or HTML."""
import os
from typing import Dict

import numpy as np

from ..i18n import tr
from .apply import Applied
from .plan import CLASSES, DEMOLISHED, OUTSIDE, REJECTED, Plan, class_label


def report(plan: Plan, done: Applied, new_division: np.ndarray, old_division: np.ndarray, old_codes: np.ndarray,
           largest: int = 20) -> Dict:
    """Counts per division and class (new buildings by where they lie; demolished ones by their old code) and
    the largest changes."""
    rows: Dict[tuple, int] = {}
    for d, c in zip(new_division.tolist(), done.status.tolist()):
        rows[(d or "", c)] = rows.get((d or "", c), 0) + 1
    for d, c in zip(old_division.tolist(), plan.old_class.tolist()):
        if c == DEMOLISHED:
            rows[(d or "", c)] = rows.get((d or "", c), 0) + 1
    per_division: Dict[str, Dict[str, int]] = {}
    for (d, c), k in sorted(rows.items()):
        per_division.setdefault(d, {})[c] = k
    totals = {c: int((done.status == c).sum()) for c in CLASSES + (REJECTED,)}
    totals[DEMOLISHED] = int((plan.old_class == DEMOLISHED).sum())
    totals[OUTSIDE] = int((plan.old_class == OUTSIDE).sum())
    big = []
    for g in plan.changes()[:largest]:
        new_i, old_j = plan.members(g)
        big.append({"class": plan.group_class(g), "old": [str(old_codes[j]) for j in old_j],
                    "new": [str(done.code[i]) if done.code[i] else None for i in new_i],
                    "old_area": round(float(plan.old_area[old_j].sum()), 1),
                    "new_area": round(float(plan.new_area[new_i].sum()), 1)})
    return {"totals": {k: v for k, v in totals.items() if v}, "per_division": per_division, "largest": big,
            "changes": {"issued": done.issued, "retired": done.retired, "splits": done.splits,
                         "merges": done.merges, "recorded": done.recorded, "already": done.already},
            "messages": done.messages}



def write_report(summary: Dict, path: str) -> str:
    """The change report as JSON (.json) or HTML."""
    import html
    import json
    os.makedirs(os.path.dirname(os.path.abspath(path)) or ".", exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        if path.lower().endswith(".json"):
            json.dump(summary, f, ensure_ascii=False, indent=1)
            return path
        e = html.escape
        classes = [c for c in CLASSES + (REJECTED,) if c in summary["totals"]]
        rows = "".join("<tr><td>{}</td>{}</tr>".format(e(d or "-"), "".join(
            "<td>{}</td>".format(counts.get(c, "")) for c in classes)) for d, counts in summary["per_division"].items())
        big = "".join("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>".format(
            e(class_label(b["class"])), e(", ".join(b["old"])), e(", ".join(c or "-" for c in b["new"])),
            b["old_area"], b["new_area"]) for b in summary["largest"])
        f.write("<!DOCTYPE html><html><head><meta charset='utf-8'><title>{0}</title></head><body><h1>{0}</h1>"
                "<p>{1}</p><h2>{2}</h2><table border='1'><tr><th>{3}</th>{4}</tr>{5}</table>"
                "<h2>{6}</h2><table border='1'><tr><th>{7}</th><th>{8}</th><th>{9}</th><th>{10}</th><th>{11}</th>"
                "</tr>{12}</table></body></html>".format(
                    e(tr("Vintage update {}").format(summary["year"])),
                    e(tr("{} (old) and {} (survey); registry: {}").format(summary["old"], summary["new"],
                                                                          summary["registry"])),
                    e(tr("Changes per division")), e(tr("Division")),
                    "".join("<th>{}</th>".format(e(class_label(c))) for c in classes), rows,
                    e(tr("Largest changes")), e(tr("Change")), e(tr("Old codes")), e(tr("New codes")),
                    e(tr("Old area (m²)")), e(tr("New area (m²)")), big))
    return path
