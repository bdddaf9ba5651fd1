"""Install speed-ups…: runs the pip command of core/speedup_install.py for the Python of this QGIS, in a QProcess
(QGIS stays responsive; Cancel stops pip), and says what was installed and that QGIS must be restarted.

Without pip, or without a Python found, it shows the exact command to copy instead.
"""
from qgis.core import Qgis, QgsMessageLog
from qgis.PyQt.QtCore import QProcess
from qgis.PyQt.QtGui import QFont, QGuiApplication
from qgis.PyQt.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
)

from ..core import speedup_install
from ..core.i18n import tr

LOG_TAG = "CityCode"


class SpeedupsDialog(QDialog):
    """`command`: the speedup_install.InstallCommand to run; `pip_ok`: whether pip works for its Python.
    Both default to this QGIS's (tests give a harmless command)."""

    def __init__(self, parent=None, command=None, pip_ok=None):
        super().__init__(parent)
        self.setObjectName("CityCodeSpeedupsDialog")
        self.setWindowTitle(tr("Install speed-ups"))
        self.command = command or speedup_install.command_for_this_qgis()
        python = self.command.argv[0] if self.command.argv else ""
        self.pip_ok = speedup_install.pip_available(python) if pip_ok is None else pip_ok
        self.process = None
        self.canceled = False
        self.output = []
        self.result_text = ""

        intro = QLabel(self)
        intro.setWordWrap(True)
        modules = ", ".join(self.command.modules) or tr("none")
        intro.setText(tr("CityCode installs {modules} with pip for the Python of this QGIS ({python}), for your "
                         "user only:").format(modules=modules, python=python))
        self.command_view = QPlainTextEdit(self.command.text(), self)
        self.command_view.setObjectName("speedups_command")
        self.command_view.setReadOnly(True)
        self.command_view.setFont(QFont("monospace"))
        self.command_view.setFixedHeight(self.command_view.fontMetrics().lineSpacing() * 3 + 12)
        copy = QPushButton(tr("Copy command"), self)
        copy.setObjectName("copy_command")
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.command.text()))
        notes = QLabel("<ul style='margin-left:-20px'>" + "".join("<li>{}</li>".format(n) for n in self.command.notes)
                       + "</ul>", self)
        notes.setWordWrap(True)

        self.status = QLabel(self)
        self.status.setObjectName("speedups_status")
        self.status.setWordWrap(True)
        self.progress = QProgressBar(self)
        self.progress.setVisible(False)
        self.log_view = QPlainTextEdit(self)
        self.log_view.setObjectName("speedups_output")
        self.log_view.setReadOnly(True)
        self.log_view.setVisible(False)

        self.install_button = QPushButton(tr("Install"), self)
        self.install_button.setObjectName("install")
        self.install_button.clicked.connect(self.start)
        self.cancel_button = QPushButton(tr("Cancel"), self)
        self.cancel_button.setObjectName("cancel")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        for button in (copy, self.install_button, self.cancel_button):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(self.buttons)

        layout = QVBoxLayout(self)
        for widget in (intro, self.command_view, notes, self.status, self.progress, self.log_view):
            layout.addWidget(widget)
        layout.addLayout(row)

        if not self.command.modules:
            self._finish(tr("Every speed-up is already in use."), Qgis.MessageLevel.Success)
            self.install_button.setEnabled(False)
        elif not self.pip_ok:
            self.install_button.setEnabled(False)
            intro.setText(tr("pip is not available for the Python of this QGIS ({}).").format(python or "?") + " "
                          + speedup_install.pip_missing_hint(python, self.command.platform))
        self.resize(820, self.sizeHint().height())

    # -- running pip ------------------------------------------------------------------------------
    def start(self):
        self.output = []
        self.log_view.clear()
        self.log_view.setVisible(True)
        self.progress.setVisible(True)
        self.progress.setRange(0, 0)  # pip says what it does, not how far it is
        self.install_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self._show(tr("Running pip…"))
        self.process = QProcess(self)
        self.process.setProcessChannelMode(QProcess.ProcessChannelMode.MergedChannels)
        self.process.readyReadStandardOutput.connect(self._read)
        self.process.finished.connect(self._finished)
        self.process.errorOccurred.connect(self._failed_to_start)
        argv = self.command.run_argv()
        QgsMessageLog.logMessage(tr("Installing speed-ups: {}").format(" ".join(argv)), LOG_TAG,
                                 Qgis.MessageLevel.Info)
        self.process.start(argv[0], argv[1:])

    def running(self) -> bool:
        return self.process is not None and self.process.state() != QProcess.ProcessState.NotRunning

    def cancel(self):
        if self.running():
            self.canceled = True
            self.process.kill()  # pip leaves finished packages installed, never half-written ones

    def _read(self):
        text = bytes(self.process.readAllStandardOutput()).decode("utf-8", "replace")
        self.output.append(text)
        self.log_view.appendPlainText(text.rstrip("\n"))
        last = [line for line in text.splitlines() if line.strip()]
        if last:
            self._show(last[-1].strip())

    def _finished(self, exit_code, exit_status):
        output = "".join(self.output)
        if self.canceled:
            self.canceled = False
            self._finish(tr("Canceled: pip was stopped. Packages it had finished stay installed (pip uninstall "
                            "removes them); run Install again to complete."), Qgis.MessageLevel.Warning)
        elif exit_code != 0 or exit_status != QProcess.ExitStatus.NormalExit:
            last = next((line for line in reversed(output.splitlines()) if line.strip()), "")
            self._finish(tr("pip failed (exit code {}): {} — the full output is above and in the CityCode log. You "
                            "can also run the command yourself.").format(exit_code, last), Qgis.MessageLevel.Critical)
        else:
            installed = speedup_install.installed_from_output(output)
            problems = speedup_install.import_problems(self.command.argv[0], self.command.modules)
            if problems:
                self._finish(tr("pip installed {}, but this does not load in the Python of this QGIS: {}. Remove it "
                                "with pip uninstall; CityCode goes on without it.").format(
                                    ", ".join(installed) or tr("nothing new"), "; ".join(problems)),
                             Qgis.MessageLevel.Critical)
            elif installed:
                self._finish(tr("Installed: {}. Restart QGIS to use them.").format(", ".join(installed)),
                             Qgis.MessageLevel.Success)
            else:
                self._finish(tr("Already installed: nothing new was needed. Restart QGIS if CityCode does not use "
                                "them yet."), Qgis.MessageLevel.Success)
        QgsMessageLog.logMessage(output, LOG_TAG, Qgis.MessageLevel.Info)

    def _failed_to_start(self, error):
        if error == QProcess.ProcessError.FailedToStart:
            self._finish(tr("Could not start {}: {}. Run the command yourself in a terminal.").format(
                self.command.argv[0], self.process.errorString()), Qgis.MessageLevel.Critical)

    def _show(self, text, level=Qgis.MessageLevel.Info):
        colour = {Qgis.MessageLevel.Critical: "#b00020", Qgis.MessageLevel.Warning: "#8a5a00",
                  Qgis.MessageLevel.Success: "#1b5e20"}.get(level)
        self.status.setStyleSheet("color: {};".format(colour) if colour else "")
        self.status.setText(text)

    def _finish(self, text, level):
        self.result_text = text
        self._show(text, level)
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.cancel_button.setEnabled(False)
        self.install_button.setEnabled(level != Qgis.MessageLevel.Success and bool(self.command.modules)
                                       and self.pip_ok)
        QgsMessageLog.logMessage(text, LOG_TAG, level)

    def reject(self):
        self.cancel()  # closing the dialog stops pip
        super().reject()
