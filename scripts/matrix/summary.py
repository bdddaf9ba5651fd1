"""The QGIS matrix's table: QGIS version x speed-ups absent/present x algorithms listed / run OK / GUI OK.

    python3 scripts/matrix/summary.py build/matrix

Reads what scripts/qgis_matrix.sh left in build/matrix/<target>/<mode>/, writes build/matrix/summary.md with
the table and, for each failed cell, what failed (the qgis_process output, the traceback, the QGIS log),
prints it, and exits 1 if any cell failed. A cell that could not run (a chroot without root) is "skipped":
a failure in CI (CI=true), a note elsewhere.
"""
import json
import os
import sys

MODES = ("absent", "present")
MODE_TEXT = {"absent": "as installed", "present": "speed-ups added"}
LOG_LINES = 60


def read(path, default=""):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read().strip()
    except OSError:
        return default


def load(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def tail(text, lines=LOG_LINES):
    rows = text.splitlines()
    return "\n".join((["…"] if len(rows) > lines else []) + rows[-lines:])


def times(path):
    return {k: int(v) for k, v in (line.split() for line in read(path).splitlines() if line.strip())}


def cell(out, target, mode):
    """One row of the table and, if it failed, what to show."""
    base = os.path.join(out, target, mode)
    row = {"target": target, "mode": mode, "version": read(os.path.join(out, target, "version"), target),
           "os": read(os.path.join(out, target, "os"))}
    skipped = read(os.path.join(out, target, "skipped")) or read(os.path.join(out, target, mode + ".skipped"))
    if skipped:
        return dict(row, skipped=skipped, ok=False, listed="-", run="-", gui="-", speedups="-", seconds=0), []
    algs, gui = load(os.path.join(base, "algorithms.json")), load(os.path.join(base, "gui", "gui.json"))
    problems = []
    if algs is None:
        listed_ok = run_ok = False
        row.update(listed="✗ no result", run="✗ no result")
        problems.append(("qgis_process run", tail(read(os.path.join(base, "algorithms.log")))))
    else:
        listed = algs["listed"]
        listed_ok = listed["ok"]
        row["listed"] = "{} {}/{}".format("✓" if listed_ok else "✗", len(listed["found"]), len(listed["expected"]))
        if not listed_ok:
            problems.append(("qgis_process list", listed.get("detail", "") + "\nmissing: {}".format(
                sorted(set(listed["expected"]) - set(listed["found"])))))
        ran = algs["algorithms"]
        good = [a for a, r in ran.items() if r["ok"]]
        run_ok = len(good) == len(ran) == len(listed["expected"])
        row["run"] = "{} {}/{}".format("✓" if run_ok else "✗", len(good), len(listed["expected"]))
        problems += [(a, tail(r["detail"])) for a, r in ran.items() if not r["ok"]]
    if gui is None:
        gui_ok = False
        row["gui"], row["speedups"] = "✗ no result", "?"
        problems.append(("QGIS desktop (gui.log)", tail(read(os.path.join(base, "gui.log")))))
    else:
        gui_ok = gui["ok"]
        row["gui"] = "✓" if gui_ok else "✗ " + ", ".join(n for n, c in gui["checks"].items() if not c["ok"])
        found = {k: v for k, v in gui.get("speedups", {}).items() if v}
        row["speedups"] = ", ".join("{} {}".format(k, v) for k, v in found.items()) or "none"
        problems += [("GUI " + n, tail(c["detail"])) for n, c in gui["checks"].items() if not c["ok"]]
    if not gui_ok:
        dialogs = load(os.path.join(base, "gui", "modal_dialogs.json")) or []
        problems += [("modal dialog closed by the matrix", tail(d["text"])) for d in dialogs]
        problems.append(("QGIS message log", tail(read(os.path.join(base, "gui", "qgis_log.txt"), "(empty)"))))
    row["seconds"] = sum(times(os.path.join(base, "times")).values())
    row["ok"] = listed_ok and run_ok and gui_ok
    return row, problems


def main(out):
    targets = sorted((t for t in os.listdir(out) if os.path.isdir(os.path.join(out, t))),
                     key=lambda t: ["host", "trixie", "sid"].index(t) if t in ("host", "trixie", "sid") else 9)
    lines = ["# QGIS matrix", "",
             "The `make package` ZIP installed into a fresh QGIS profile, nothing else on the path "
             "(scripts/qgis_matrix.sh).", "",
             "| QGIS | system | speed-ups | algorithms listed | run OK | GUI OK | seconds |",
             "|---|---|---|---|---|---|---|"]
    failures, failed, skipped = [], False, False
    for target in targets:
        setup = sum(times(os.path.join(out, target, "times")).values())  # chroot check or build, speed-ups venv
        for mode in MODES:
            if not any(os.path.exists(os.path.join(out, target, name))
                       for name in (mode, mode + ".skipped", "skipped")):
                continue  # not asked for (CITYCODE_MATRIX_MODES)
            row, problems = cell(out, target, mode)
            if "skipped" in row:
                skipped = True
                lines.append("| {} | {} | {} | skipped: {} | | | |".format(
                    row["version"], row["os"], MODE_TEXT[mode], row["skipped"]))
                continue
            failed |= not row["ok"]
            lines.append("| {} | {} | {}: {} | {} | {} | {} | {} |".format(
                row["version"], row["os"], MODE_TEXT[mode], row["speedups"], row["listed"], row["run"], row["gui"],
                row["seconds"]))
            if problems:
                failures.append("## {} — {} ({})".format(row["version"], MODE_TEXT[mode], os.path.join(target, mode)))
                for title, text in problems:
                    failures += ["", "**{}**".format(title), "", "```", text, "```"]
                failures.append("")
        if setup:
            lines.append("| {} | | chroot check or build (beside the host's cells), speed-ups venv | | | | {} |"
                         .format(read(os.path.join(out, target, "version"), target), setup))
    lines += ["", "Debian packages (\"-\": not installed, so a speed-up of the \"as installed\" row comes from nowhere "
              "else):", ""]
    for target in targets:
        packages = read(os.path.join(out, target, "packages"))
        if packages:
            lines.append("- {}: {}".format(read(os.path.join(out, target, "version"), target),
                                           ", ".join(packages.splitlines())))
    strict = os.environ.get("CI") == "true"
    failed |= skipped and strict
    lines += ["", "Result: **{}**".format("FAILED" if failed else "passed") +
              (" (skipped cells count as failures in CI)" if skipped and strict else
               " (some cells skipped)" if skipped else ""), ""]
    text = "\n".join(lines + failures)
    with open(os.path.join(out, "summary.md"), "w", encoding="utf-8") as f:
        f.write(text)
    print(text)
    print("\nmatrix: summary in {}".format(os.path.join(out, "summary.md")))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "build/matrix"))
