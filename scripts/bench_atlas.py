"""Time an atlas of N divisions (one PDF page each) on a synthetic coded town, for scripts/bench.py.

    .venv/bin/python scripts/bench_atlas.py [N]        # default 300

bench_atlas(n_divisions) returns {"divisions", "buildings", "pages", "seconds", "per_page", "pdf"}: the time
covers building the layout and writing the PDF (A4 landscape, 150 dpi), not making the data. The data: a
grid of 800 m square divisions in CGCS2000 / 3-degree GK zone 39 (EPSG:4527), BUILDINGS_PER_DIVISION coded
buildings in each, a red-line polygon, written to a GeoPackage in a temporary folder as a user's would be.
"""
import os
import random
import sys
import tempfile
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILDINGS_PER_DIVISION = 40
SIZE = 800.0
X0, Y0 = 39_500_000.0, 3_500_000.0


def _write(path, name, fields, rows):
    from qgis.core import (QgsCoordinateReferenceSystem, QgsCoordinateTransformContext, QgsFeature, QgsField,
                           QgsFields, QgsGeometry, QgsVectorFileWriter, QgsWkbTypes)
    from qgis.PyQt.QtCore import QVariant

    qfields = QgsFields()
    for f in fields:
        qfields.append(QgsField(f, QVariant.String))
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    options.layerName = name
    action = QgsVectorFileWriter.ActionOnExistingFile
    options.actionOnExistingFile = (action.CreateOrOverwriteLayer if os.path.exists(path)
                                    else action.CreateOrOverwriteFile)
    writer = QgsVectorFileWriter.create(path, qfields, QgsWkbTypes.Type.Polygon,
                                        QgsCoordinateReferenceSystem("EPSG:4527"),
                                        QgsCoordinateTransformContext(), options)
    for attrs, wkt in rows:
        feature = QgsFeature(qfields)
        feature.setAttributes(attrs)
        feature.setGeometry(QgsGeometry.fromWkt(wkt))
        writer.addFeature(feature)
    del writer
    return "{}|layername={}".format(path, name)


def _box(x, y, w, h):
    return "POLYGON(({0} {1},{2} {1},{2} {3},{0} {3},{0} {1}))".format(x, y, x + w, y + h)


def make_town(folder, n_divisions):
    """(buildings uri, divisions uri, red line uri) of a synthetic coded town with n_divisions divisions."""
    from citycode.plugin.core.codes.profiles import load_profile

    profile = load_profile("building")
    rng = random.Random(7)
    cols = max(1, int(round(n_divisions ** 0.5 * 1.3)))
    divisions, buildings = [], []
    for i in range(n_divisions):
        x, y = X0 + (i % cols) * SIZE, Y0 + (i // cols) * SIZE
        code = "340104{:03d}".format(i + 1)
        divisions.append(([code, "第{}街道".format(i + 1)], _box(x, y, SIZE, SIZE)))
        for seq in range(1, BUILDINGS_PER_DIVISION + 1):
            w, h = rng.uniform(12, 40), rng.uniform(12, 40)
            bx, by = x + rng.uniform(20, SIZE - 60), y + rng.uniform(20, SIZE - 60)
            buildings.append(([profile.compose(code, 2024, seq), code, "{}号楼".format(seq)], _box(bx, by, w, h)))
    path = os.path.join(folder, "town.gpkg")
    div_uri = _write(path, "divisions", ["code", "name"], divisions)
    bld_uri = _write(path, "buildings", ["citycode", "division", "name"], buildings)
    red_uri = _write(path, "stbhhx", ["name"], [(["生态保护红线"], _box(X0 + SIZE * 0.5, Y0 + SIZE * 0.5,
                                                                      SIZE * 3, SIZE * 2))])
    return bld_uri, div_uri, red_uri


def bench_atlas(n_divisions=300, folder=None):
    from qgis.core import QgsVectorLayer

    from citycode.plugin.core.output import maps

    folder = folder or tempfile.mkdtemp(prefix="citycode_bench_atlas_")
    bld_uri, div_uri, red_uri = make_town(folder, n_divisions)
    buildings = QgsVectorLayer(bld_uri, "buildings", "ogr")
    divisions = QgsVectorLayer(div_uri, "divisions", "ogr")
    redline = QgsVectorLayer(red_uri, "stbhhx", "ogr")
    pdf = os.path.join(folder, "atlas.pdf")
    started = time.perf_counter()
    doc = maps.build_map(maps.MapInputs(buildings, divisions, "code", "name", [redline]), "atlas", "A4 landscape",
                         "基准测试", "CityCode")
    pages = doc.page_count()
    maps.export(doc, pdf, "pdf", 150)
    seconds = time.perf_counter() - started
    return {"divisions": n_divisions, "buildings": buildings.featureCount(), "pages": pages,
            "seconds": round(seconds, 1), "per_page": round(seconds / max(pages, 1), 3), "pdf": pdf}


def main():
    from qgis.core import QgsApplication

    sys.path.insert(0, os.path.join(ROOT, "build", "pkgroot"))  # `import citycode` as in the tests
    link = os.path.join(ROOT, "build", "pkgroot", "citycode")
    if not os.path.exists(link):
        os.makedirs(os.path.dirname(link), exist_ok=True)
        os.symlink(ROOT, link)
    app = QgsApplication([], False)
    app.initQgis()
    r = bench_atlas(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
    print("| divisions (pages) | buildings | seconds (target ≤ 120) | s per page | PDF MB |\n"
          "|---:|---:|---:|---:|---:|")
    print("| {} | {} | {} | {} | {:.0f} |".format(r["pages"], r["buildings"], r["seconds"], r["per_page"],
                                                 os.path.getsize(r["pdf"]) / 1e6))
    app.exitQgis()


if __name__ == "__main__":
    main()
