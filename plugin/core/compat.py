"""The few names that differ between the QGIS versions the plugin runs on: 3.22 (Qt5, the minimum) to
QGIS 4 (Qt6). Everything else is written once, in the form both accept (Qt through qgis.PyQt, enums
scoped through their class); scripts/check_qt6.py checks that and accepts its `# Qt5 only` lines here only.
"""
from qgis.core import Qgis, QgsRaster

if hasattr(Qgis, "RasterIdentifyFormat"):  # QGIS >= 3.30 moved QgsRaster's enums into Qgis
    IDENTIFY_VALUE = Qgis.RasterIdentifyFormat.Value
    ALPHA_BAND = Qgis.RasterColorInterpretation.AlphaBand
else:
    IDENTIFY_VALUE = QgsRaster.IdentifyFormat.IdentifyFormatValue
    ALPHA_BAND = QgsRaster.ColorInterpretation.AlphaBand


# QVariant.Type names whose QMetaType.Type is spelled otherwise
_META_NAMES = {"String": "QString", "Map": "QVariantMap", "List": "QVariantList", "StringList": "QStringList"}


def field_type(kind: str):
    """The QgsField type of a kind (Bool, Int, LongLong, Double, String; Map, List, StringList for JSON): a
    QMetaType.Type from QGIS 3.38 (the only kind QGIS 4 has), a QVariant.Type before."""
    if Qgis.QGIS_VERSION_INT >= 33800:
        from qgis.PyQt.QtCore import QMetaType
        return getattr(QMetaType.Type, _META_NAMES.get(kind, kind))
    from qgis.PyQt.QtCore import QVariant
    return getattr(QVariant.Type, kind)  # Qt5 only
