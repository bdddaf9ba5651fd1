"""Qt6 / QGIS 4 readiness (scripts/check_qt6.py): every Qt name the plugin uses resolves in the real
PyQt6 (from PyPI, in build/qt6-venv), no exec_() or direct PyQt5 import, QGIS's enums scoped; the
checker itself is shown to catch what it should; metadata.txt claims supportsQt6 only while it passes;
the names that differ between QGIS versions (core/compat.py) work on this QGIS."""
import configparser
import re
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import check_qt6  # noqa: E402

# What pip says when it cannot reach an index (then, and only with no cached venv, the test skips).
OFFLINE = re.compile(r"NewConnectionError|Failed to establish|Temporary failure in name resolution|"
                     r"Network is unreachable|No matching distribution found|Could not find a version")


@pytest.fixture(scope="module")
def qt6_py():
    try:
        return check_qt6.qt6_python()
    except check_qt6.Qt6Unavailable as e:
        if OFFLINE.search(str(e)):
            pytest.skip(f"PyPI unreachable and no cached {check_qt6.QT6_VENV}: {e}")
        raise


@pytest.fixture(scope="module")
def plugin_findings(qt6_py):
    return check_qt6.check(qt6_py=qt6_py)


def test_plugin_uses_only_what_qt6_and_qgis4_have(plugin_findings):
    assert not plugin_findings, "QGIS 4 / Qt6 would not have:\n" + "\n".join(plugin_findings)


def test_metadata_claims_qt6_only_while_the_check_passes(plugin_findings):
    meta = configparser.ConfigParser(interpolation=None)
    meta.read(ROOT / "metadata.txt", encoding="utf-8")
    claims = meta.get("general", "supportsQt6", fallback="False").strip().lower() in ("true", "yes", "1")
    assert not (claims and plugin_findings), "metadata.txt says supportsQt6=True, but:\n" + "\n".join(plugin_findings)


def test_the_check_catches_what_qgis4_lacks(tmp_path, qt6_py):
    planted = tmp_path / "planted.py"
    planted.write_text(textwrap.dedent("""\
        from qgis.core import Qgis, QgsCoordinateReferenceSystem, QgsProcessing, QgsWkbTypes
        from qgis.PyQt.QtCore import Qt, QRegExp
        from qgis.PyQt.QtWidgets import QAction, QDialog, QMessageBox
        from PyQt5.QtCore import QTimer
        a = Qt.AlignLeft
        d = QDialog()
        d.exec_()
        b = QMessageBox.Ok
        c = QgsProcessing.TypeVectorPolygon
        e = Qgis.Warning
        f = Qt.MouseButton.LeftButton + 1
        g = 1  # Qt5 only
        ok1 = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
        ok2 = d.exec()
        ok3 = QMessageBox.StandardButton.Ok
        ok4 = QgsProcessing.SourceType.TypeVectorPolygon
        ok5 = Qgis.MessageLevel.Warning
        ok6 = QgsWkbTypes.GeometryType.PolygonGeometry
        ok7 = Qt.ItemDataRole.UserRole + 1
        ok8 = QAction
        h = QgsCoordinateReferenceSystem.fromProj4("+proj=longlat")
        h.createFromProj4("+proj=longlat")
        ok9 = QgsCoordinateReferenceSystem.fromProj("+proj=longlat")
        class Tool:
            def canvasReleaseEvent(self, event):
                return event.x(), event.pos(), event.button()
            def show(self):
                self.box = QDialog()
                return self.box.fontMetrics().width("a"), self.box.fontMetrics().horizontalAdvance("a")
        """), encoding="utf-8")
    findings = check_qt6.check([planted], qt6_py=qt6_py)
    by_line = {int(f.split(":")[1]): f for f in findings}
    assert sorted(by_line) == [2, 4, 5, 7, 8, 9, 10, 11, 12, 21, 22, 26, 29], "\n".join(findings)
    assert "QRegExp is not in PyQt6" in by_line[2]
    assert "import Qt through qgis.PyQt" in by_line[4]
    assert "use Qt.AlignmentFlag.AlignLeft" in by_line[5]
    assert ".exec_()" in by_line[7]
    assert "use QMessageBox.StandardButton.Ok" in by_line[8]
    assert "use QgsProcessing.SourceType.TypeVectorPolygon" in by_line[9]
    assert "use Qgis.MessageLevel.Warning" in by_line[10]
    assert "not an int in PyQt6" in by_line[11]
    assert "outside plugin/core/compat.py" in by_line[12]
    assert "fromProj4 is deprecated" in by_line[21] and ".createFromProj4() is deprecated" in by_line[22]
    assert "QMouseEvent.x is not in PyQt6" in by_line[26] and len([f for f in findings if ":26:" in f]) == 1
    assert "QFontMetrics.width is not in PyQt6" in by_line[29] and len([f for f in findings if ":29:" in f]) == 1
    assert all(f.startswith(f"{planted}:") for f in findings)


def test_compat_names_work_on_this_qgis(qgis_app, tmp_path):
    import numpy as np
    from osgeo import gdal
    from qgis.core import QgsField, QgsRasterLayer
    from qgis.PyQt.QtCore import QMetaType

    from citycode.plugin.core.compat import field_type
    from citycode.plugin.core.points.sampling import _QgisReader

    # The same field on every QGIS: QgsField.type() is a QMetaType.Type or a QVariant.Type of that value.
    kinds = {"Bool": "Bool", "Int": "Int", "LongLong": "LongLong", "Double": "Double", "String": "QString"}
    for kind, meta in kinds.items():
        assert QgsField("f", field_type(kind)).type() == getattr(QMetaType.Type, meta), kind
    # A band QGIS reads as alpha (compat.ALPHA_BAND) hides the cells it masks (compat.IDENTIFY_VALUE).
    path = str(tmp_path / "alpha.tif")
    ds = gdal.GetDriverByName("GTiff").Create(path, 4, 4, 2, gdal.GDT_Byte)
    ds.SetGeoTransform((0, 1, 0, 4, 0, -1))
    ds.GetRasterBand(1).WriteArray(np.arange(16, dtype=np.uint8).reshape(4, 4))
    ds.GetRasterBand(2).SetColorInterpretation(gdal.GCI_AlphaBand)
    mask = np.full((4, 4), 255, dtype=np.uint8)
    mask[0, 0] = 0
    ds.GetRasterBand(2).WriteArray(mask)
    ds = None
    layer = QgsRasterLayer(path, "alpha")
    reader = _QgisReader(layer.dataProvider(), layer)
    assert reader.alpha == [2]
    values, valid = reader.read([1], np.array([0, 1]), np.array([0, 1]))
    assert valid.tolist() == [[False, True]] and values[0, 1] == 5
