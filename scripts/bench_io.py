#!/usr/bin/env python3
"""Reading and writing the buildings of a synthetic city through each of the plugin's readers and writers,
side by side in one process: (a) pyogrio + pyarrow, (b) osgeo.ogr alone (GDAL's Arrow stream in; OGR,
SQLite and the packed spatial index out), (c) QGIS feature iteration in, QgsVectorFileWriter out (what
the plugin did before (b) when pyogrio was missing). The output is the input's fields plus the columns
the engine adds (codes, statuses, overlaps), to a GeoPackage with its spatial index.

usage: .venv/bin/python scripts/bench_io.py --city /tmp/citycode-bench/city_1M.gpkg [--only a,b,c] [--json out]
(another QGIS: PYTHONPATH=<a folder holding the plugin as citycode/> python3 scripts/bench_io.py ...)
"""
import argparse
import json
import os
import sys
import tempfile
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "build", "pkgroot"))  # build/pkgroot/citycode -> ROOT (or PYTHONPATH)


def engine_columns(n: int) -> dict:
    """Columns like the ones run_assign adds (text, integers, areas with nulls)."""
    i = np.arange(n)
    text = np.array(["3401040010012019{:07d}".format(k) for k in range(n)], dtype=object)
    return {"citycode": text, "cc_status": np.where(i % 50 == 0, "outside", "new").astype(object),
            "cc_div": np.where(i % 50 == 0, None, "340104001").astype(object),
            "cc_straddle": (i % 30 == 0).astype(np.int32), "cc_shares": np.where(i % 30 == 0, "a:0.9;b:0.1", None),
            "cc_flags": np.full(n, None, dtype=object), "cc_year": np.full(n, 2019, dtype=np.int32),
            "redline_area": np.where(i % 20 == 0, 12.5, 0.0), "redline_pct": np.where(i % 20 == 0, 3.1, 0.0),
            "redline_hit": (i % 20 == 0).astype(np.int32), "farmland_area": np.where(i % 9 == 0, 40.25, np.nan),
            "farmland_pct": np.where(i % 9 == 0, 11.0, 0.0), "farmland_hit": (i % 9 == 0).astype(np.int32)}


def write_qgis(path, table, columns, wkb):
    """QgsVectorFileWriter feature by feature (the plugin's writer before the OGR one)."""
    from qgis.core import (QgsCoordinateReferenceSystem, QgsCoordinateTransformContext, QgsFeature, QgsFields,
                           QgsGeometry, QgsVectorFileWriter, QgsWkbTypes)
    from citycode.plugin.core.engine.layer_writer import field_kind, plain_values
    from citycode.plugin.core.engine.layers import qgs_field
    fields = QgsFields()
    kinds = [field_kind(v, table.field_types.get(n)) for n, v in columns]
    for (name, _), kind in zip(columns, kinds):
        fields.append(qgs_field(name, kind if kind in ("Int", "LongLong", "Double", "String", "Bool") else "String"))
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName, options.layerName, options.fileEncoding = "GPKG", "coded", "UTF-8"
    writer = QgsVectorFileWriter.create(path, fields, QgsWkbTypes.MultiPolygon,
                                        QgsCoordinateReferenceSystem.fromWkt(table.crs_wkt),
                                        QgsCoordinateTransformContext(), options)
    lists = [plain_values(v, k) for (_, v), k in zip(columns, kinds)]
    for i, g in enumerate(wkb.tolist()):
        f = QgsFeature(fields)
        f.setAttributes([col[i] for col in lists])
        if g is not None:
            geom = QgsGeometry()
            geom.fromWkb(g)
            f.setGeometry(geom)
        writer.addFeature(f)
    del writer


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--city", default="/tmp/citycode-bench/city_1M.gpkg")
    ap.add_argument("--only", default="a,b,c")
    ap.add_argument("--json")
    a = ap.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from qgis.core import QgsApplication
    app = QgsApplication([], False)
    app.initQgis()
    from osgeo import gdal
    from citycode.plugin.core.engine import layer_writer, layers
    from citycode.plugin.core import speedups

    inp = layers.LayerInput(path=a.city, layer="buildings")
    cases = {"a": ("pyogrio + pyarrow", layers.PYOGRIO), "b": ("osgeo.ogr (GDAL Arrow stream, OGR + SQLite)",
                                                             layers.GDAL_ARROW), "c": ("QGIS iteration", layers.QGIS)}
    # Of the OGR writer's time, what packing the GeoPackage's spatial index takes (the rest: rows).
    from citycode.plugin.core.engine import gpkg_rtree
    spent = {}
    fill = gpkg_rtree.fill

    def timed_fill(*args):
        t0 = time.perf_counter()
        fill(*args)
        spent["index_s"] = spent.get("index_s", 0.0) + time.perf_counter() - t0
    gpkg_rtree.fill = timed_fill

    results = []
    work = tempfile.mkdtemp(prefix="citycode-bench-io-", dir="/tmp")
    for key in a.only.split(","):
        label, reader = cases[key]
        if reader == layers.PYOGRIO and not speedups.ARROW_OK:
            continue
        t = time.perf_counter()
        table = layers.read(inp, engine=reader)
        read_s = time.perf_counter() - t
        new = engine_columns(len(table))
        out = os.path.join(work, f"out_{key}.gpkg")
        keep = list(table.field_order)
        spent.clear()
        t = time.perf_counter()
        if reader == layers.PYOGRIO and speedups.ARROW_WRITE_OK:
            layer_writer._write_arrow(out, "coded", table, keep, new, table.wkb, np.zeros(len(table), dtype=bool))
        elif reader != layers.QGIS:  # pyogrio with a GDAL older than 3.8 writes through OGR too
            layer_writer._write_ogr(out, "coded", table, keep, new, table.wkb)
        else:
            write_qgis(out, table, [(f, table.columns[f]) for f in keep] + list(new.items()), table.wkb)
        write_s = time.perf_counter() - t
        phases = {k: round(v, 2) for k, v in spent.items()}
        check = layers.read(layers.LayerInput(path=out), engine=layers.GDAL_ARROW if layers.GDAL_ARROW_OK else "auto")
        row = dict(case=key, what=label, rows=len(table), read_s=round(read_s, 2), write_s=round(write_s, 2),
                   **phases, written=len(check), gdal=gdal.__version__,
                   pyogrio_gdal=".".join(map(str, speedups._pyogrio_gdal())) if reader == layers.PYOGRIO else None)
        print(json.dumps(row), flush=True)
        results.append(row)
        del table, check
        layers.remove_dataset(out)
    if a.json:
        with open(a.json, "w") as f:
            json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
