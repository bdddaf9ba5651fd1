"""The History tab of the code form: what the registry recorded for a code (who did what, when) and its
lineage (the codes it was split or merged from, the codes it became)."""
import json

from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP, Qt
from qgis.PyQt.QtWidgets import QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from ..core.i18n import tr
from ..core.registry.base import RegistryError
from ..core.registry.backends import open_registry
from ..core.times import local_time

# The registry's audit actions and detail keys as the History tab names them (stored in English, shown translated).
HISTORY_WORDS = {
    "issue": QT_TRANSLATE_NOOP("CityCode", "Issued"), "update": QT_TRANSLATE_NOOP("CityCode", "Edited"),
    "retire": QT_TRANSLATE_NOOP("CityCode", "Retired"), "split_from": QT_TRANSLATE_NOOP("CityCode", "Split from"),
    "merged_from": QT_TRANSLATE_NOOP("CityCode", "Merged from"),
    "resolve": QT_TRANSLATE_NOOP("CityCode", "Conflict settled"),
    "name": QT_TRANSLATE_NOOP("CityCode", "name"), "reason": QT_TRANSLATE_NOOP("CityCode", "reason"),
    "parent": QT_TRANSLATE_NOOP("CityCode", "from code"), "parents": QT_TRANSLATE_NOOP("CityCode", "from codes"),
    "package": QT_TRANSLATE_NOOP("CityCode", "field package"), "choice": QT_TRANSLATE_NOOP("CityCode", "kept"),
}


def history_word(word) -> str:
    return tr(HISTORY_WORDS.get(word, word)) if word else ""


def detail_text(detail) -> str:
    """An audit detail for people: 'name: old → new; uscc: → new' for updates, the text otherwise."""
    try:
        data = json.loads(detail) if detail else None
    except (TypeError, ValueError):
        return str(detail or "")
    if not isinstance(data, dict):
        return str(detail or "")
    changes = []
    old_attrs, new_attrs = data.get("attrs") or [{}, {}]
    pairs = [("name", data["name"])] if "name" in data else []
    pairs += [(k, [old_attrs.get(k), new_attrs.get(k)]) for k in sorted(set(old_attrs) | set(new_attrs))]
    for key, (old, new) in pairs:
        if new is not None and old != new:
            changes.append("{}: {} → {}".format(history_word(key), old or "", new))
    rest = ["{}: {}".format(history_word(k), v) for k, v in data.items() if k not in ("name", "attrs")]
    return "; ".join(changes + rest)


class CodeHistory(QWidget):
    """The audit rows of a code, then its lineage; show_error(text) tells a registry that cannot be read."""

    def __init__(self, show_error, parent=None):
        super().__init__(parent)
        self.show_error = show_error
        box = QVBoxLayout(self)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels([tr("When"), tr("Who"), tr("Action"), tr("Detail")])
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.lineage_label = QLabel()
        self.lineage_label.setWordWrap(True)
        self.lineage_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.addWidget(self.table)
        box.addWidget(self.lineage_label)

    def show_record(self, record, registry_path):
        """The history of `record` (a registry record, or None: nothing to show) read from the registry."""
        history, lineage = [], {"parents": [], "children": []}
        if record is not None:
            try:
                with open_registry(registry_path) as reg:
                    history, lineage = reg.history(record.code), reg.lineage(record.code)
            except RegistryError as e:
                self.show_error(str(e))
        self.table.setRowCount(len(history))
        for r, h in enumerate(history):
            cells = [local_time(h["at"]), h["actor"] or "", history_word(h["action"]), detail_text(h["detail"])]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        parts = []
        if lineage["parents"]:
            parts.append(tr("From: {}").format(", ".join(lineage["parents"])))
        if lineage["children"]:
            parts.append(tr("Became: {}").format(", ".join(lineage["children"])))
        self.lineage_label.setText("<br>".join(parts) or (tr("No split or merge") if record else ""))
