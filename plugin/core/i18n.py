"""Translation for messages the core hands to users.

The core runs inside QGIS and headless; both have QtCore, so messages go through Qt's translator
(context "CityCode"). Without a QCoreApplication the source text (English) is returned unchanged.
"""
from qgis.PyQt.QtCore import QCoreApplication


def tr(text: str) -> str:
    return QCoreApplication.translate("CityCode", text)
