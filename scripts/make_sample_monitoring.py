"""Generate the sample monitoring data of the sample town (resources/sample/).

Run from the plugin root with a Python that has shapely>=2, pyogrio, numpy, pyproj and osgeo.gdal:

    python3 scripts/make_sample_monitoring.py [--out resources/sample]

Deterministic (fixed seed, no timestamps in the files): reruns give identical bytes. Writes

- monitoring_points.csv  40 stations inside the town's divisions (UTF-8 with BOM, as Excel saves it),
                         columns 点位编号, 点位名称, 类型, 经度, 纬度 (CGCS2000). The coordinates mix decimal
                         degrees, 度分秒 text and °′″ text row by row; 3 rows are broken on purpose
                         (BROKEN: an empty latitude, a longitude "abc", 75 minutes).
- dem.tif                a 200 x 200 cell DEM over the town in EPSG:4527, values dem_value() at each
                         cell centre (rounded to cm), with a nodata hole (HOLE) holding 3 stations.
- observations.csv       long form: 点位编号, 监测时间, 监测项目, 监测值, 单位 — PM2.5 (μg/m³) and 噪声 (dB(A)),
                         daily for 14 days at 10 stations; a few exceedances, one value exactly at the
                         limit, one "<2" (below the detection limit) and one broken value ("仪器故障").
- thresholds.csv         PM2.5 upper 75 μg/m³ (GB 3095-2012, grade II, 24-hour mean);
                         噪声 upper 60 dB(A) (GB 3096-2008, class 2, day).
"""
import argparse
import csv
import datetime as dt
import os

import numpy as np
import pyogrio.raw
import shapely
from pyproj import Transformer

SEED = 20240615
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GPKG = os.path.join(ROOT, "resources", "sample", "sample_town.gpkg")
CRS = "EPSG:4527"
# The divisions' extent: x 39520660-39526660, y 3522750-3527750 (EPSG:4527 metres).
X0, Y0, X1, Y1 = 39520660.0, 3522750.0, 39526660.0, 3527750.0
COLS = ROWS = 200
NODATA = -9999.0
HOLE = (39521800.0, 3526400.0, 320.0)  # centre x, y and radius (m) of the DEM's nodata hole, in 井岗镇
KINDS = ["空气"] * 12 + ["噪声"] * 8 + ["水质"] * 6 + ["地面沉降"] * 5 + ["地下水"] * 5 + ["气象"] * 4
N_STATIONS = len(KINDS)  # 40
BROKEN = {11: ("lat", ""), 23: ("lon", "abc"), 35: ("lon", "117度75分10秒")}  # row index (0-based data row) -> fault
START = dt.date(2024, 5, 1)
DAYS = 14


def dem_value(x, y):
    """Ground height (m) at EPSG:4527 x, y: a gentle slope to the south-east with two hills and a valley."""
    u, v = (np.asarray(x, dtype=float) - X0) / 1000.0, (np.asarray(y, dtype=float) - Y0) / 1000.0
    return (18.0 + 1.5 * u + 2.0 * v
            + 14.0 * np.exp(-((u - 1.5) ** 2 + (v - 3.8) ** 2) / 1.2)
            + 9.0 * np.exp(-((u - 4.6) ** 2 + (v - 1.4) ** 2) / 0.8)
            - 4.0 * np.exp(-((u - 3.0) ** 2) / 0.15))


def dem_grid():
    """(values float32 with the hole, geotransform) of dem.tif."""
    dx, dy = (X1 - X0) / COLS, (Y1 - Y0) / ROWS
    cx = X0 + (np.arange(COLS) + 0.5) * dx
    cy = Y1 - (np.arange(ROWS) + 0.5) * dy
    gx, gy = np.meshgrid(cx, cy)
    z = np.round(dem_value(gx, gy), 2).astype(np.float32)
    z[np.hypot(gx - HOLE[0], gy - HOLE[1]) <= HOLE[2]] = NODATA
    return z, (X0, dx, 0.0, Y1, 0.0, -dy)


def write_dem(path):
    from osgeo import gdal, osr
    z, gt = dem_grid()
    ds = gdal.GetDriverByName("GTiff").Create(path, COLS, ROWS, 1, gdal.GDT_Float32,
                                              ["COMPRESS=DEFLATE", "PREDICTOR=3", "TILED=NO"])
    ds.SetGeoTransform(gt)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4527)
    ds.SetProjection(srs.ExportToWkt())
    band = ds.GetRasterBand(1)
    band.SetNoDataValue(NODATA)
    band.WriteArray(z)
    ds = None
    aux = path + ".aux.xml"
    if os.path.exists(aux):
        os.remove(aux)


def divisions():
    meta, _, geometry, fields = pyogrio.raw.read(GPKG, layer="divisions")
    names = dict(zip(meta["fields"], fields))
    return list(names["name"]), shapely.from_wkb(geometry)


def place_stations(rng):
    """x, y (EPSG:4527) and division name of each station: 3 in the DEM hole, the rest spread over the
    divisions at least 250 m apart and 150 m from any division edge, none near the hole."""
    names, polygons = divisions()
    hx, hy, hr = HOLE
    xs = [hx - 120.0, hx + 90.0, hx + 30.0]
    ys = [hy + 60.0, hy + 110.0, hy - 150.0]
    while len(xs) < N_STATIONS:
        x, y = rng.uniform(X0, X1), rng.uniform(Y0, Y1)
        p = shapely.Point(x, y)
        inner = [poly for poly in polygons if poly.buffer(-150.0).contains(p)]
        if not inner or np.hypot(x - hx, y - hy) < hr + 250.0:
            continue
        if min(np.hypot(np.array(xs) - x, np.array(ys) - y)) < 250.0:
            continue
        xs.append(x)
        ys.append(y)
    points = shapely.points(xs, ys)
    owner = [next(n for n, poly in zip(names, polygons) if poly.contains(p)) for p in points]
    return np.array(xs), np.array(ys), owner


def dms(value, marks):
    """117.251234 -> 117度15分04.44秒 (marks 度分秒) or 117°15′04.44″ (marks °′″)."""
    total = round(abs(value) * 360000)  # hundredths of a second
    d, rest = divmod(total, 360000)
    m, s = divmod(rest, 6000)
    return "{}{}{:02d}{}{:05.2f}{}".format(d, marks[0], m, marks[1], s / 100, marks[2])


def points_rows(rng):
    x, y, owner = place_stations(rng)
    lon, lat = Transformer.from_crs(CRS, "EPSG:4490", always_xy=True).transform(x, y)
    kinds = list(rng.permutation(KINDS))
    kinds[:3] = ["地面沉降", "地下水", "水质"]  # the stations on the DEM hole
    count = {}
    rows = []
    for i in range(N_STATIONS):
        count[kinds[i]] = count.get(kinds[i], 0) + 1
        name = "{}{}监测点{}号".format(owner[i], kinds[i], count[kinds[i]])
        style = i % 3
        if style == 0:
            cells = ["{:.6f}".format(lon[i]), "{:.6f}".format(lat[i])]
        else:
            marks = "度分秒" if style == 1 else "°′″"
            cells = [dms(lon[i], marks), dms(lat[i], marks)]
        rows.append(["P{:03d}".format(i + 1), name, kinds[i]] + cells)
    for index, (axis, text) in sorted(BROKEN.items()):
        bad = list(rows[index % N_STATIONS])
        bad[0] = "P{:03d}".format(N_STATIONS + len([k for k in BROKEN if k < index]) + 1)
        bad[1] = bad[1].replace("监测点", "备用监测点")
        bad[3 if axis == "lon" else 4] = text
        rows.insert(index, bad)
    return rows


def observation_rows(rng, points):
    """Long-form rows for 6 air and 4 noise stations (each measures both variables)."""
    good = [r for r in points if r[3] not in ("", "abc") and "75分" not in r[3] and r[4]]
    stations = [r[0] for r in good if r[2] == "空气"][:6] + [r[0] for r in good if r[2] == "噪声"][:4]
    rows = []
    for k, station in enumerate(stations):
        for day in range(DAYS):
            date = (START + dt.timedelta(days=day)).isoformat()
            pm = 38.0 + 12.0 * np.sin(day / 2.0 + k) + rng.normal(0, 5)
            if day in (6, 7) and k % 3 == 0:  # a pollution episode at some stations
                pm += 45.0 + 5 * k
            noise = 53.0 + 3.0 * np.sin(day + k) + rng.normal(0, 1.5) + (5.5 if k >= 6 and day % 5 == 0 else 0)
            rows.append([station, date, "PM2.5", "{:.1f}".format(max(pm, 3.0)), "μg/m³"])
            rows.append([station, date, "噪声", "{:.1f}".format(noise), "dB(A)"])
    rows[4 * 2 * DAYS + 3 * 2][3] = "75.0"        # exactly at the limit: not an exceedance
    rows[2 * 2 * DAYS + 10 * 2][3] = "<2"         # below the detection limit
    rows[5 * 2 * DAYS + 9 * 2 + 1][3] = "仪器故障"  # instrument fault: not a number
    return rows


def write_csv(path, header, rows):
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(header)
        out.writerows(rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=os.path.join(ROOT, "resources", "sample"))
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    rng = np.random.default_rng(SEED)
    points = points_rows(rng)
    write_csv(os.path.join(args.out, "monitoring_points.csv"), ["点位编号", "点位名称", "类型", "经度", "纬度"], points)
    write_dem(os.path.join(args.out, "dem.tif"))
    observations = observation_rows(rng, points)
    write_csv(os.path.join(args.out, "observations.csv"), ["点位编号", "监测时间", "监测项目", "监测值", "单位"],
              observations)
    write_csv(os.path.join(args.out, "thresholds.csv"), ["指标", "下限", "上限", "单位", "依据"], [
        ["PM2.5", "", "75", "μg/m³", "GB 3095-2012 二级 24小时平均"],
        ["噪声", "", "60", "dB(A)", "GB 3096-2008 2类 昼间"]])
    broken = [i + 2 for i, r in enumerate(points) if r[3] in ("", "abc") or "75分" in r[3] or not r[4]]
    values = [r for r in observations if r[3][0].isdigit()]
    over = sum(float(r[3]) > (75 if r[2] == "PM2.5" else 60) for r in values)
    print("monitoring_points.csv: {} rows, broken on lines {}".format(len(points), broken))
    print("observations.csv: {} rows, {} over the thresholds".format(len(observations), over))
    print("dem.tif: {} x {} cells, nodata hole r={} m at {}, {}".format(COLS, ROWS, HOLE[2], HOLE[0], HOLE[1]))


if __name__ == "__main__":
    main()
