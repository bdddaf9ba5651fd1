"""The rows of a points or observations file that were not imported, in a file of their own: CSV for Excel, or
the core's HTML / JSON report."""
import csv
import datetime
import os

REPORT_FILES = "HTML (*.html);;CSV (*.csv);;JSON (*.json)"
PROBLEM_COLUMNS = ("line", "column", "value", "reason")
SHOWN_PROBLEMS = 20  # problems also pushed to the log; the report has them all


def write_problems(path, title, output, counts, problems, notes):
    """The rows not imported (dicts with PROBLEM_COLUMNS) to .csv (UTF-8 with BOM, for Excel), or as the
    core's report (.html, .json) with the counts and the notes."""
    os.makedirs(os.path.dirname(os.path.abspath(path)) or ".", exist_ok=True)
    if path.lower().endswith(".csv"):
        with open(path, "w", encoding="utf-8-sig", newline="") as f:
            out = csv.writer(f)
            out.writerow(PROBLEM_COLUMNS)
            for p in problems:
                out.writerow(["" if p.get(c) is None else p[c] for c in PROBLEM_COLUMNS])
        return path
    from ..core.engine.report import write_report
    return write_report(dict(title=title, created=datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
                             output=output, counts=counts, not_imported=list(problems),
                             input_checks=[{"message": n} for n in notes]), path)
