"""Every CityCode algorithm through qgis_process, on the sample data, as a user of that QGIS would run it.

Run by scripts/qgis_matrix.sh with the Python of the QGIS under test (no .venv, nothing of the repository on
the path); the plugin is the one installed from the ZIP into the profile in QGIS_CUSTOM_CONFIG_PATH.

    python3 run_algorithms.py --plugin <profile>/python/plugins/citycode --sample resources/sample \
        --work <empty dir> --out result.json

Writes {"listed": {...}, "algorithms": {id: {"ok", "seconds", "detail"}}} and exits 1 when anything failed.
Outputs are checked with osgeo.ogr / sqlite3 / csv only, so a broken plugin cannot hide its own failure.
"""
import argparse
import ast
import csv
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time
import traceback

from osgeo import ogr

ogr.UseExceptions()

QGIS_PROCESS = os.environ.get("QGIS_PROCESS_BIN", "/usr/bin/qgis_process.bin")
DIV = "340104001"      # 三里庵 in the sample town
SAMPLE_BUILDINGS = 1535
SAMPLE_OUTSIDE = 3     # resources/sample/README.md: 界外
SAMPLE_POINTS_BAD = 3  # monitoring_points.csv: an empty latitude, "abc" and 75 minutes
NEW_BUILDINGS = 3


class Failed(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failed(message)


def expected_algorithms(plugin):
    """citycode:<name> for each algorithm the provider's loadAlgorithms() adds, read from the installed source."""
    processing = os.path.join(plugin, "plugin", "processing")
    names = {}  # class name -> _name
    for file in sorted(os.listdir(processing)):
        if file.endswith(".py"):
            tree = ast.parse(open(os.path.join(processing, file), encoding="utf-8").read())
            for node in ast.walk(tree):
                if isinstance(node, ast.ClassDef):
                    for stmt in node.body:
                        if (isinstance(stmt, ast.Assign) and [getattr(t, "id", None) for t in stmt.targets] == ["_name"]
                                and isinstance(stmt.value, ast.Constant)):
                            names[node.name] = stmt.value.value
    tree = ast.parse(open(os.path.join(processing, "provider.py"), encoding="utf-8").read())
    load = next(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == "loadAlgorithms")
    added = [n.func.id for n in ast.walk(load) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
             and n.func.id in names]
    check(added, "no algorithm found in provider.py's loadAlgorithms()")
    return sorted("citycode:" + names[c] for c in added)


def qgis_process(*args, timeout=600):
    proc = subprocess.run([QGIS_PROCESS, *args], capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        raise Failed("qgis_process {} exited with {}:\n{}\n{}".format(
            " ".join(args[:3]), proc.returncode, proc.stdout[-4000:], proc.stderr[-4000:]))
    return proc.stdout


def run(alg, **params):
    """qgis_process --json run; a list value repeats the parameter (multi-layer inputs). Returns the results."""
    args = []
    for key, value in params.items():
        for v in value if isinstance(value, list) else [value]:
            args.append("{}={}".format(key, v))
    out = qgis_process("--json", "run", alg, "--", *args)
    try:
        return json.loads(out[out.index("{"):])["results"]
    except (ValueError, KeyError) as e:
        raise Failed("qgis_process {}: no JSON results ({}):\n{}".format(alg, e, out[-4000:]))


def open_layer(uri):
    path, _, rest = uri.partition("|")
    layer_name = dict(p.split("=", 1) for p in rest.split("|") if "=" in p).get("layername")
    ds = ogr.Open(path)
    check(ds is not None, "cannot open " + path)
    layer = ds.GetLayerByName(layer_name) if layer_name else ds.GetLayer(0)
    check(layer is not None, "no layer {} in {}".format(layer_name, path))
    return ds, layer


def rows(uri, *fields):
    ds, layer = open_layer(uri)
    names = [layer.GetLayerDefn().GetFieldDefn(i).GetName() for i in range(layer.GetLayerDefn().GetFieldCount())]
    missing = [f for f in fields if f not in names]
    check(not missing, "{}: no field {} (fields: {})".format(uri, missing, names))
    out = [dict({f: feat.GetField(f) for f in names}, _geom=feat.GetGeometryRef().Clone()
                if feat.GetGeometryRef() else None) for feat in layer]
    del ds
    return out, names


def read_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


class Runs:
    """The algorithms in an order where each one's input is an earlier one's output."""

    def __init__(self, sample, work):
        self.s, self.w, self.r = sample, work, {}
        self.gpkg = os.path.join(sample, "sample_town.gpkg")

    def layer(self, name):
        return "{}|layername={}".format(self.gpkg, name)

    def path(self, name):
        return os.path.join(self.w, name)

    def assigncodes(self):
        res = run("citycode:assigncodes", BUILDINGS=self.layer("buildings"), DIVISIONS=self.layer("divisions"),
                  DIVISION_FIELD="code", YEAR_FIELD="year", ID_FIELD="id",
                  PLANNING=[self.layer("stbhhx"), self.layer("yjjbnt"), self.layer("czkfbj")],
                  REGISTRY=self.path("registry.sqlite"), OUTPUT=self.path("coded.gpkg"),
                  REPORT=self.path("report.html"))
        feats, names = rows(res["OUTPUT"], "citycode", "division", "cc_status")
        codes = [f["citycode"] for f in feats if f["citycode"]]
        check(len(feats) == SAMPLE_BUILDINGS, "{} buildings out, {} in".format(len(feats), SAMPLE_BUILDINGS))
        check(res["OUTSIDE"] == SAMPLE_OUTSIDE, "OUTSIDE={}".format(res["OUTSIDE"]))
        check(len(codes) == res["CODED"] == res["NEW"] >= SAMPLE_BUILDINGS - SAMPLE_OUTSIDE - 1,
              "{} codes in the layer, CODED={} NEW={}".format(len(codes), res["CODED"], res["NEW"]))
        check(len(set(codes)) == len(codes) and all(len(c) == 23 for c in codes), "codes not unique / not 23 long")
        check(all(f["citycode"].startswith(f["division"]) for f in feats if f["citycode"]), "code without its division")
        check(any(n.endswith("_hit") and "stbhhx" in n for n in names), "no stbhhx overlap field: {}".format(names))
        check(os.path.getsize(res["REPORT"]) > 0, "empty report")
        with sqlite3.connect(res["REGISTRY"]) as db:
            check(db.execute("SELECT count(*) FROM codes").fetchone()[0] == len(codes), "registry count")
        self.r["coded"], self.r["codes"] = res["OUTPUT"], len(codes)
        return "{} buildings, {} coded, {} outside".format(len(feats), len(codes), res["OUTSIDE"])

    def overlaycheck(self):
        res = run("citycode:overlaycheck", BUILDINGS=self.layer("buildings"),
                  PLANNING=[self.layer("stbhhx"), self.layer("yjjbnt")], OUTPUT=self.path("overlay.gpkg"),
                  REPORT=self.path("overlay.json"))
        feats, names = rows(res["OUTPUT"])
        hit = {p: next(n for n in names if n.endswith("_area") and p in n) for p in ("stbhhx", "yjjbnt")}
        counts = {p: sum(1 for f in feats if (f[n] or 0) > 0) for p, n in hit.items()}
        check(len(feats) == SAMPLE_BUILDINGS and "citycode" not in names, "overlay output: {}".format(len(feats)))
        # resources/sample/README.md: 41 / 82 valid buildings overlap (the two repaired ones may add one each)
        check(41 <= counts["stbhhx"] <= 43 and 82 <= counts["yjjbnt"] <= 84, "overlaps {}".format(counts))
        return "overlaps {}".format(counts)

    def validatecodes(self):
        res = run("citycode:validatecodes", INPUT=self.r["coded"], FIELD="citycode", KIND="auto",
                  OUTPUT=self.path("validated.gpkg"))
        check(res["VALID"] == self.r["codes"] and res["INVALID"] == SAMPLE_BUILDINGS - self.r["codes"],
              "VALID={} INVALID={}".format(res["VALID"], res["INVALID"]))
        return "{} valid".format(res["VALID"])

    def checkdivisions(self):
        res = run("citycode:checkdivisions", INPUT=self.layer("divisions"), CODE_FIELD="code", NAME_FIELD="name",
                  OUTPUT=self.path("divisions_checked.gpkg"))
        feats, _ = rows(res["OUTPUT"])
        check(len(feats) == 6, "{} divisions".format(len(feats)))
        check(res["WRONG_LENGTH"] == 0, "WRONG_LENGTH={}".format(res["WRONG_LENGTH"]))
        return "6 divisions, OK={} UNKNOWN={}".format(res["OK"], res["UNKNOWN"])

    def convertdatum(self):
        res = run("citycode:convertdatum", INPUT=self.layer("monitoring_points"), FROM="gcj02", TO="cgcs2000",
                  OUTPUT=self.path("datum.gpkg"))
        before, _ = rows(self.layer("monitoring_points"))
        after, _ = rows(res["OUTPUT"])
        check(len(after) == len(before) == 30, "{} points".format(len(after)))
        shift = [a["_geom"].Distance(b["_geom"]) for a, b in zip(after, before)]
        # GCJ-02 is offset from CGCS2000 by a few hundred metres around Hefei
        check(all(100 < s < 1000 for s in shift), "shift {:.1f}..{:.1f} m".format(min(shift), max(shift)))
        return "30 points moved {:.0f}-{:.0f} m".format(min(shift), max(shift))

    def repairtext(self):
        shp = self.path("gbk_divisions.shp")  # a GBK shapefile that lost its .cpg, as they come
        src = ogr.Open(self.gpkg)
        drv = ogr.GetDriverByName("ESRI Shapefile")
        ds = drv.CreateDataSource(shp)
        ds.CopyLayer(src.GetLayerByName("divisions"), "gbk_divisions", ["ENCODING=GBK"])
        del ds, src
        os.remove(shp[:-4] + ".cpg")
        res = run("citycode:repairtext", INPUT=shp, OUTPUT=self.path("repaired.gpkg"))
        names = sorted(f["name"] for f in rows(res["OUTPUT"], "name")[0])
        wanted = sorted(f["name"] for f in rows(self.layer("divisions"), "name")[0])
        check(names == wanted, "repaired names {} != {}".format(names, wanted))
        check(res["ENCODING_FOUND"].upper() in ("GBK", "GB18030"), "found " + res["ENCODING_FOUND"])
        return "{} found, {} names back".format(res["ENCODING_FOUND"], len(names))

    def exportcodes(self):
        res = run("citycode:exportcodes", INPUT=self.r["coded"], FORMAT="shp", ENCODING="GBK",
                  OUTPUT=self.path("export.shp"))
        check(res["FEATURES"] == SAMPLE_BUILDINGS, "FEATURES={}".format(res["FEATURES"]))
        check(open(self.path("export.cpg")).read().strip().upper() in ("GBK", "CP936", "936"), "no GBK .cpg")
        feats, names = rows(self.path("export.shp"))
        code_field = next((n for n in names if n.lower().startswith("citycode")), None)
        check(code_field and sum(1 for f in feats if f[code_field]) == self.r["codes"], "codes lost: {}".format(names))
        res = run("citycode:exportcodes", INPUT=self.r["coded"], FORMAT="xlsx", OUTPUT=self.path("export.xlsx"))
        check(res["FEATURES"] == SAMPLE_BUILDINGS and os.path.getsize(self.path("export.xlsx")) > 0, "xlsx")
        return "shp (GBK) and xlsx, {} features".format(res["FEATURES"])

    def exportcodedmap(self):
        res = run("citycode:exportcodedmap", BUILDINGS=self.r["coded"], DIVISIONS=self.layer("divisions"),
                  PLANNING=[self.layer("stbhhx")], MODE="atlas", FORMAT="pdf", DPI=72,
                  OUTPUT=self.path("atlas.pdf"))
        check(res["PAGES"] >= 6, "PAGES={}".format(res["PAGES"]))  # a page per division, and code tables
        with open(res["OUTPUT"], "rb") as f:
            check(f.read(5) == b"%PDF-", "not a PDF")
        return "atlas of {} pages".format(res["PAGES"])

    def importpoints(self):
        csv_path = os.path.join(self.s, "monitoring_points.csv")
        res = run("citycode:importpoints", INPUT=csv_path, OUTPUT=self.path("points.gpkg"),
                  PROBLEMS=self.path("problems.csv"))
        total = len(read_csv(csv_path))
        check(res["NOT_IMPORTED"] == SAMPLE_POINTS_BAD and res["POINTS"] == total - SAMPLE_POINTS_BAD,
              "POINTS={} NOT_IMPORTED={}".format(res["POINTS"], res["NOT_IMPORTED"]))
        check(len(read_csv(self.path("problems.csv"))) == SAMPLE_POINTS_BAD, "problems.csv")
        check(len(rows(res["OUTPUT"])[0]) == res["POINTS"], "points layer")
        self.r["points"], self.r["npoints"] = res["OUTPUT"], res["POINTS"]
        return "{} points, {} rows reported".format(res["POINTS"], res["NOT_IMPORTED"])

    def samplerasters(self):
        dem = os.path.join(self.s, "dem.tif")
        res = run("citycode:samplerasters", INPUT=self.r["points"], RASTERS=[dem], OUTPUT=self.path("sampled.gpkg"))
        feats, names = rows(res["OUTPUT"], "dem", "dem_why")
        check(res["VALID"] + res["MISSING"] == self.r["npoints"] and res["MISSING"] >= 3,
              "VALID={} MISSING={}".format(res["VALID"], res["MISSING"]))
        check(sum(1 for f in feats if f["dem"] is not None) == res["VALID"], "dem values")
        return "{} sampled, {} nodata".format(res["VALID"], res["MISSING"])

    def codepoints(self):
        res = run("citycode:codepoints", INPUT_FILE=os.path.join(self.s, "monitoring_points.csv"),
                  DIVISIONS=self.layer("divisions"), KIND_FIELD="类型", ID_FIELD="点位编号",
                  PLANNING=[self.layer("stbhhx")], RASTERS=[os.path.join(self.s, "dem.tif")],
                  REGISTRY=self.path("points_registry.sqlite"), OUTPUT=self.path("points_coded.gpkg"),
                  REPORT=self.path("points_report.html"))
        feats, _ = rows(res["OUTPUT"], "citycode")
        coded = [f["citycode"] for f in feats if f["citycode"]]
        check(res["NOT_IMPORTED"] == SAMPLE_POINTS_BAD and len(coded) == res["CODED"] > 0,
              "CODED={} NOT_IMPORTED={} codes={}".format(res["CODED"], res["NOT_IMPORTED"], len(coded)))
        self.r["points_registry"] = res["REGISTRY"]
        return "{} points coded".format(res["CODED"])

    def importobservations(self):
        params = dict(INPUT=os.path.join(self.s, "observations.csv"), REGISTRY=self.r["points_registry"],
                      NAMESPACE="monitoring_points", THRESHOLDS=os.path.join(self.s, "thresholds.csv"),
                      REPORT=self.path("obs_report.csv"), EXCEEDANCES=self.path("exceedances.csv"))
        first = run("citycode:importobservations", **params)
        check(first["ADDED"] > 0 and first["INVALID"] == 1 and first["UNRESOLVED"] == 0,
              "ADDED={} INVALID={} UNRESOLVED={}".format(first["ADDED"], first["INVALID"], first["UNRESOLVED"]))
        check(len(read_csv(self.path("exceedances.csv"))) == first["EXCEEDANCES_COUNT"] > 0, "exceedances")
        again = run("citycode:importobservations", **params)
        check(again["ADDED"] == 0 and again["UNCHANGED"] == first["ADDED"], "re-import added {}".format(again["ADDED"]))
        self.r["observations"] = first["ADDED"]
        return "{} added, {} exceedances, re-import adds 0".format(first["ADDED"], first["EXCEEDANCES_COUNT"])

    def exportobservations(self):
        res = run("citycode:exportobservations", REGISTRY=self.r["points_registry"], OUTPUT=self.path("obs.csv"))
        check(res["ROWS"] == self.r["observations"] == len(read_csv(self.path("obs.csv"))),
              "ROWS={}".format(res["ROWS"]))
        return "{} rows".format(res["ROWS"])

    def checkout(self):
        res = run("citycode:checkout", REGISTRY=self.path("registry.sqlite"), BUILDINGS=[self.r["coded"]],
                  DIVISIONS=self.layer("divisions"), DIVISION_CODES=DIV, PLANNING=[self.layer("stbhhx")],
                  PROFILES="building", YEARS="2026", BLOCK_SIZE=20, OUTPUT=self.path("package.gpkg"))
        check(res["BLOCKS"] == 1 and res["CODES"] > 0, "BLOCKS={} CODES={}".format(res["BLOCKS"], res["CODES"]))
        self.r["package"] = res["OUTPUT"]
        return "package with {} codes, {} block".format(res["CODES"], res["BLOCKS"])

    def checkin(self):
        # New buildings coded offline in the package, and the same ones coded in the office meanwhile:
        # check-in keeps both versions as conflicts.
        new = self.path("new_buildings.gpkg")
        src = ogr.Open(self.r["coded"].split("|")[0])
        layer = src.GetLayer(0)
        layer.SetAttributeFilter("division = '{}' AND citycode IS NOT NULL".format(DIV))
        out = ogr.GetDriverByName("GPKG").CreateDataSource(new)
        dst = out.CreateLayer("new_buildings", layer.GetSpatialRef(), ogr.wkbMultiPolygon)
        dst.CreateField(ogr.FieldDefn("id", ogr.OFTInteger64))
        for i, feat in zip(range(NEW_BUILDINGS), layer):
            f = ogr.Feature(dst.GetLayerDefn())
            f.SetField("id", 900001 + i)
            f.SetGeometry(feat.GetGeometryRef())
            dst.CreateFeature(f)
        del out, src
        offline = run("citycode:assigncodes", BUILDINGS=new, DIVISIONS=self.r["package"] + "|layername=divisions",
                      DIVISION_FIELD="code", ID_FIELD="id", DEFAULT_YEAR=2026, REGISTRY=self.r["package"],
                      OUTPUT=self.path("offline.gpkg"))
        office = run("citycode:assigncodes", BUILDINGS=new, DIVISIONS=self.layer("divisions"), DIVISION_FIELD="code",
                     ID_FIELD="id", DEFAULT_YEAR=2026, REGISTRY=self.path("registry.sqlite"),
                     OUTPUT=self.path("office.gpkg"))
        check(offline["NEW"] == office["NEW"] == NEW_BUILDINGS, "NEW offline={} office={}".format(
            offline["NEW"], office["NEW"]))
        res = run("citycode:checkin", PACKAGE=self.r["package"], REGISTRY=self.path("registry.sqlite"))
        check(res["CONFLICTS"] == NEW_BUILDINGS, "CONFLICTS={} NEW={}".format(res["CONFLICTS"], res["NEW"]))
        again = run("citycode:checkin", PACKAGE=self.r["package"], REGISTRY=self.path("registry.sqlite"))
        check(again["CONFLICTS"] == 0 and again["NEW"] == 0, "second check-in: {}".format(again))
        return "{} conflicts kept, second check-in changes nothing".format(res["CONFLICTS"])

    def resolveconflict(self):
        registry = self.path("registry.sqlite")
        with sqlite3.connect(registry) as db:
            cid = db.execute("SELECT min(id) FROM conflicts WHERE status = 'open'").fetchone()[0]
        check(cid is not None, "no open conflict")
        run("citycode:resolveconflict", REGISTRY=registry, CONFLICT=cid, CHOICE="package")
        with sqlite3.connect(registry) as db:
            status, choice = db.execute("SELECT status, choice FROM conflicts WHERE id = ?", (cid,)).fetchone()
        check(status != "open" and choice == "package", "conflict {}: {} {}".format(cid, status, choice))
        return "conflict {} {}".format(cid, status)


    def updatevintage(self):
        """The coded sample against a survey that is the same buildings again: every code carried, none issued."""
        registry = self.path("registry.sqlite")
        with sqlite3.connect(registry) as db:
            before = db.execute("SELECT count(*), count(*) FILTER (WHERE status = 'active') FROM codes").fetchone()
        res = run("citycode:updatevintage", OLD=self.path("coded.gpkg") + "|layername=buildings_coded",
                  NEW=self.layer("buildings"), ID_FIELD="id", DIVISIONS=self.layer("divisions"), REGISTRY=registry,
                  OUTPUT=self.path("vintage.gpkg"), REPORT=self.path("vintage.json"))
        counts = json.loads(res["COUNTS"])
        feats, _ = rows(res["OUTPUT"], "citycode", "cc_change")
        carried = [f for f in feats if f["citycode"]]
        with sqlite3.connect(registry) as db:
            after = db.execute("SELECT count(*), count(*) FILTER (WHERE status = 'active') FROM codes").fetchone()
        check(after == before, "registry changed: {} -> {}".format(before, after))
        check(len(carried) >= SAMPLE_BUILDINGS - SAMPLE_OUTSIDE - 1, "{} codes carried".format(len(carried)))
        return "{} codes carried, registry unchanged ({})".format(len(carried), counts)


ORDER = ["assigncodes", "overlaycheck", "validatecodes", "checkdivisions", "convertdatum", "repairtext",
         "exportcodes", "exportcodedmap", "importpoints", "samplerasters", "codepoints", "importobservations",
         "exportobservations", "updatevintage", "checkout", "checkin", "resolveconflict"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plugin", required=True)
    parser.add_argument("--sample", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    sample = os.path.join(args.work, "sample")  # a copy: QGIS writes .aux.xml beside rasters it reads
    shutil.rmtree(sample, ignore_errors=True)
    shutil.copytree(args.sample, sample)
    result = {"python": sys.version.split()[0]}

    expected = expected_algorithms(args.plugin)
    listed = {"expected": expected}
    try:
        qgis_process("plugins", "enable", "citycode")
        found = sorted(set(re.findall(r"\bcitycode:\w+", qgis_process("list"))))
        listed.update(found=found, ok=found == expected,
                      detail="{} of {} listed".format(len(found), len(expected)))
    except Failed as e:
        listed.update(found=[], ok=False, detail=str(e))
    result["listed"] = listed

    runs, algs = Runs(sample, args.work), {}
    for alg in sorted(set(expected) - {"citycode:" + n for n in ORDER}):
        algs[alg] = {"ok": False, "seconds": 0, "detail": "no run for it in scripts/matrix/run_algorithms.py"}
    for name in ORDER:
        start = time.monotonic()
        try:
            detail, ok = getattr(runs, name)(), True
        except Failed as e:
            detail, ok = str(e), False
        except Exception:  # a bug in an earlier step's output shows here, with its traceback
            detail, ok = traceback.format_exc(), False
        algs["citycode:" + name] = {"ok": ok, "seconds": round(time.monotonic() - start, 1), "detail": detail}
        print("{:32s} {:4s} {:6.1f}s  {}".format("citycode:" + name, "ok" if ok else "FAIL",
                                                 algs["citycode:" + name]["seconds"], detail.splitlines()[0] if ok
                                                 else detail), flush=True)
    result["algorithms"] = algs
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(result, f, ensure_ascii=False, indent=1)
    return 0 if listed["ok"] and all(a["ok"] for a in algs.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
