"""PYQGIS_STARTUP of the matrix's GUI run: QGIS runs it before it loads plugins, so what the plugin's loading
says reaches the record too.

- Every QgsMessageLog message (the "Python error" tracebacks among them) goes to $CITYCODE_MATRIX_OUT/qgis_log.txt.
- A modal dialog that is not CityCode's own (a Python error box, a first-run question) would stop the run
  with nobody to click it: its text goes to the log and to modal_dialogs.json, and it is closed.
"""
import json
import os

from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QTimer
from qgis.PyQt.QtWidgets import QApplication, QLabel, QMessageBox, QTextEdit

MATRIX_OUT = os.environ["CITYCODE_MATRIX_OUT"]
_log = open(os.path.join(MATRIX_OUT, "qgis_log.txt"), "a", encoding="utf-8")
_dialogs = []


def _on_message(message, tag, level):
    _log.write("[{}] {}: {}\n".format(int(level), tag, message))
    _log.flush()


def _dialog_text(widget):
    parts = [widget.windowTitle()]
    if isinstance(widget, QMessageBox):
        parts += [widget.text(), widget.informativeText(), widget.detailedText()]
    parts += [w.text() for w in widget.findChildren(QLabel)]
    parts += [w.toPlainText() for w in widget.findChildren(QTextEdit)]
    return "\n".join(p for p in parts if p)


def _close_foreign_modal():
    widget = QApplication.activeModalWidget()
    if widget is None or widget.objectName().startswith("CityCode"):
        return
    text = _dialog_text(widget)
    _dialogs.append({"class": type(widget).__name__, "text": text})
    _on_message("modal {} closed by the matrix:\n{}".format(type(widget).__name__, text), "matrix", 2)
    with open(os.path.join(MATRIX_OUT, "modal_dialogs.json"), "w", encoding="utf-8") as f:
        json.dump(_dialogs, f, ensure_ascii=False, indent=1)
    widget.close()


QgsApplication.messageLog().messageReceived.connect(_on_message)
_watch = QTimer()
_watch.timeout.connect(_close_foreign_modal)
_watch.start(500)
