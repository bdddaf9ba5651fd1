"""The observations of one monitoring point as a chart: one variable at a time, its threshold lines,
exceedances in red (core.observations decides what exceeds; this only draws it).

Times: the store keeps China Standard Time without an offset (core.observations); the chart and the table
show them in the user's local time with the zone (core.times), e.g. "2024-03-01 08:00:00 CST (UTC+08:00)".

matplotlib is optional (QGIS ships it on Windows, not every Linux has it): without it the widget says
so and lists the values in a table instead.
"""
import datetime
from collections import Counter
from typing import Optional

import numpy as np
from qgis.PyQt.QtGui import QBrush, QColor
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.i18n import tr
from ..core.points.observation_series import CST
from ..core.times import local_time

EXCEED_COLOR, LINE_COLOR, LOWER_COLOR, HIT_BACKGROUND = "#c62828", "#1f5fa8", "#e07b00", "#fde2e1"
# Fonts with Chinese glyphs, by platform; matplotlib 3.6 sees a .ttc collection by its first face only
# (Debian's fonts-noto-cjk shows as "Noto Sans CJK JP", which has the Chinese glyphs too).
CJK_FONTS = ("Noto Sans CJK SC", "Microsoft YaHei", "SimHei", "PingFang SC", "Source Han Sans SC",
             "WenQuanYi Micro Hei", "Noto Sans CJK JP")
# Numeric dates only: ConciseDateFormatter's defaults would show English month names in a Chinese UI.
DATE_FORMATS = ["%Y", "%Y-%m", "%m-%d", "%H:%M", "%H:%M", "%S.%f"]
DATE_OFFSETS = ["", "%Y", "%Y-%m", "%Y-%m-%d", "%Y-%m-%d", "%Y-%m-%d %H:%M"]
ZERO_FORMATS = ["", "%Y", "%m-%d", "%m-%d", "%H:%M", "%H:%M"]  # a new month shows its day, not "2024-03"


def _stored_moment(value) -> datetime.datetime:
    """A stored observation time (datetime64 or ISO text, China Standard Time) as an aware datetime."""
    moment = value.astype("datetime64[s]").item() if isinstance(value, np.datetime64) else \
        datetime.datetime.fromisoformat(str(value))
    return moment.replace(tzinfo=CST)


def _local(value) -> datetime.datetime:
    """A stored time in the local zone, naive (matplotlib draws naive times as they are)."""
    return _stored_moment(value).astimezone().replace(tzinfo=None)


def _zone(value) -> str:
    """The local zone at a stored time as local_time names it, e.g. "CST (UTC+08:00)"."""
    return local_time(_stored_moment(value))[len("YYYY-MM-DD HH:MM:SS "):]


def _matplotlib():
    """(matplotlib, Figure, canvas class, dates module), or None when matplotlib is missing or broken."""
    try:
        import matplotlib
        from matplotlib import dates
        from matplotlib.figure import Figure
        try:  # Qt5 and Qt6 (matplotlib >= 3.5)
            from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
        except ImportError:
            from matplotlib.backends.backend_qt5agg import FigureCanvasQTAgg
    except Exception:  # missing, or built against another numpy/Qt: either way not usable
        return None
    return matplotlib, Figure, FigureCanvasQTAgg, dates


def _cjk_rc(matplotlib) -> dict:
    """rcParams that make Chinese text render: the installed CJK fonts first, the usual ones after."""
    from matplotlib import font_manager
    installed = {f.name for f in font_manager.fontManager.ttflist}
    cjk = [name for name in CJK_FONTS if name in installed]
    return {"font.family": "sans-serif", "axes.unicode_minus": False,
            "font.sans-serif": cjk + [f for f in matplotlib.rcParams["font.sans-serif"] if f not in cjk]}


class ObservationChart(QWidget):
    """A point's series per variable. `store` is a core.observations.ObservationStore (not owned)."""

    def __init__(self, store, code: Optional[str], parent=None):
        super().__init__(parent)
        self.store, self.code = store, None
        self.variable_combo = QComboBox()
        self.variable_combo.currentIndexChanged.connect(self.redraw)
        top = QHBoxLayout()
        top.addWidget(QLabel(tr("Variable:")))
        top.addWidget(self.variable_combo, 1)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels([tr("Time"), tr("Value"), tr("Unit of measure"),
                                              tr("Below detection limit"), tr("Exceeds")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.message)
        self._mpl = _matplotlib()
        if self._mpl is None:
            self.canvas = self.figure = None
            self._note = tr("matplotlib is not installed, so the chart cannot be drawn; the values are listed "
                            "below. Install matplotlib (pip install matplotlib) to see the chart.")
            layout.addWidget(self.table, 1)
        else:
            matplotlib, Figure, Canvas, _ = self._mpl
            self._rc = _cjk_rc(matplotlib)
            rc = self._rc

            class CJKCanvas(Canvas):
                def draw(self):  # tick labels are made while drawing: they need the CJK fonts too
                    with matplotlib.rc_context(rc):
                        super().draw()

            self._note = ""
            with matplotlib.rc_context(rc):
                self.figure = Figure(figsize=(7, 4), dpi=100, constrained_layout=True)
            self.canvas = CJKCanvas(self.figure)
            self.canvas.setMinimumSize(420, 260)
            layout.addWidget(self.canvas, 1)
            self.table.hide()
        self.set_code(code)

    def set_code(self, code: Optional[str]):
        """Show another point; the variable shown stays when the point has it."""
        self.code = code
        current = self.variable_combo.currentText()
        variables = self.store.variables(code) if code else []
        self.variable_combo.blockSignals(True)
        self.variable_combo.clear()
        self.variable_combo.addItems(variables)
        if current in variables:
            self.variable_combo.setCurrentIndex(variables.index(current))
        self.variable_combo.blockSignals(False)
        self.variable_combo.setEnabled(bool(variables))
        self.redraw()

    def _display_unit(self, series, threshold) -> str:
        """The threshold's unit when it has one (its lines stay as set), else the series' commonest unit."""
        if threshold is not None and threshold.unit:
            return threshold.unit
        units = Counter(u for u in series.unit.tolist() if u)
        return units.most_common(1)[0][0] if units else ""

    def redraw(self):
        variable = self.variable_combo.currentText()
        series = self.store.series(self.code, variable) if self.code and variable else None
        threshold = self.store.thresholds().get(variable) if variable else None
        notes = [self._note] if self._note else []
        if series is None or not len(series):
            notes.append(tr("No observations at {}.").format(self.code) if self.code else tr("No point selected."))
        unit = self._display_unit(series, threshold) if series is not None else ""
        values = series.in_unit(unit) if series is not None else None
        if values is not None and np.isnan(values).any():
            notes.append(tr("{} values are in units that do not convert into {}: they are not shown.").format(
                int(np.isnan(values).sum()), unit))
        self.message.setText(" ".join(notes))
        self.message.setVisible(bool(notes))
        if self.figure is not None:
            self._plot(series, values, threshold, variable, unit)
        else:
            self._fill_table(series)

    def _plot(self, series, values, threshold, variable, unit):
        matplotlib, _, _, dates = self._mpl
        with matplotlib.rc_context(self._rc):
            self.figure.clear()
            ax = self.figure.add_subplot(111)
            if series is not None and len(series):
                shown = ~np.isnan(values)
                t, v = np.array([_local(x) for x in series.time[shown]], dtype=object), values[shown]
                ex, below = series.exceeds[shown], series.censored[shown] == "<"
                ax.plot(t, v, "-o", color=LINE_COLOR, markersize=4, linewidth=1.2, label=tr("Observed"))
                if below.any():
                    ax.plot(t[below], v[below], "o", markersize=6, markerfacecolor="white", color=LINE_COLOR,
                            label=tr("Below detection limit (<)"))
                if ex.any():
                    ax.plot(t[ex], v[ex], "o", markersize=8, color=EXCEED_COLOR, zorder=3,
                            label=tr("Exceeds threshold ({})").format(int(ex.sum())))
                locator = dates.AutoDateLocator()
                ax.xaxis.set_major_locator(locator)
                ax.xaxis.set_major_formatter(dates.ConciseDateFormatter(locator, formats=DATE_FORMATS,
                                                                        zero_formats=ZERO_FORMATS,
                                                                        offset_formats=DATE_OFFSETS))
            suffix = " ({})".format(unit) if unit else ""
            if threshold is not None:
                for limit, color, text in ((threshold.upper, EXCEED_COLOR, tr("Upper limit {}")),
                                           (threshold.lower, LOWER_COLOR, tr("Lower limit {}"))):
                    if limit is not None:
                        ax.axhline(limit, color=color, linestyle="--", linewidth=1,
                                   label=text.format("{:g}{}".format(limit, " " + unit if unit else "")))
            ax.set_title("{} · {}{}".format(self.code or "", variable, suffix))
            ax.set_ylabel(variable + suffix)
            if series is not None and len(series):
                ax.set_xlabel(tr("Local time, {}").format(_zone(series.time[-1])))
            ax.grid(True, color="#dddddd", linewidth=0.6)
            if ax.get_legend_handles_labels()[0]:
                ax.legend(loc="best", fontsize="small", framealpha=0.85)
        self.canvas.draw()

    def _fill_table(self, series):
        n = len(series) if series is not None else 0
        self.table.setRowCount(n)
        red = QBrush(QColor(HIT_BACKGROUND))
        for row in range(n):
            cells = [local_time(_stored_moment(series.time[row])), "{:g}".format(series.value[row]), series.unit[row],
                     series.censored[row], tr("yes") if series.exceeds[row] else ""]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if series.exceeds[row]:
                    item.setBackground(red)
                    item.setForeground(QBrush(QColor(EXCEED_COLOR)))
                self.table.setItem(row, col, item)
