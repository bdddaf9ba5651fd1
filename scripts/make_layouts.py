"""Write the print layout templates resources/layouts/*.qpt from plugin/core/output/layouts.py's designs.

    .venv/bin/python scripts/make_layouts.py

A4 and A3, landscape and portrait (title, map with a CGCS2000 degrees-minutes grid, overview, legend,
scale bar in metres, north arrow, issuing unit, date), and the code card (code_card.qpt). Edit the
designs in layouts.py and run this again rather than editing the .qpt files by hand.
"""
import importlib
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(ROOT))  # the repository root is the plugin package

from qgis.core import QgsApplication, QgsProject, QgsReadWriteContext  # noqa: E402


def main():
    app = QgsApplication([], False)
    app.initQgis()
    layouts = importlib.import_module(os.path.basename(ROOT) + ".plugin.core.output.layouts")
    os.makedirs(layouts.LAYOUTS_DIR, exist_ok=True)
    project = QgsProject()
    designs = {name: layouts.design_map_layout(project, *name.split()) for name in layouts.TEMPLATES}
    designs[layouts.CARD_TEMPLATE] = layouts.design_card_layout(project)
    for name, layout in designs.items():
        path = layouts.template_file(name)
        if not layout.saveAsTemplate(path, QgsReadWriteContext()):
            raise SystemExit("could not write " + path)
        print(path)
    app.exitQgis()


if __name__ == "__main__":
    main()
