"""Offering the optional speed-ups: the pip command for the Python of this QGIS (core/speedup_install.py) on the
layouts of Linux, Windows and macOS; the Settings button and its dialog (gui/speedups_dialog.py) driven offscreen
with pip replaced by a harmless command; one real pip run (--dry-run) of the command Debian 12's QGIS would run;
the message on the first start of a session."""
import os
import socket
import subprocess
import sys
import time

import pytest
from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QCoreApplication, QEvent, Qt
from qgis.PyQt.QtTest import QTest
from qgis.PyQt.QtWidgets import QPushButton

from citycode.plugin.core import speedup_install
from citycode.plugin.core.speedup_install import InstallCommand, install_command, qgis_python
from conftest import ROOT

SCREENSHOTS = ROOT / "docs" / "screenshots"
LEFT = Qt.MouseButton.LeftButton


# -- which Python, which command ---------------------------------------------------------------------------
@pytest.mark.parametrize("platform, executable, prefix, files, expected", [
    # Debian / Ubuntu packages: QGIS (and qgis_process) embed the system's Python 3.11
    ("linux", "/usr/bin/qgis", "/usr", {"/usr/bin/python3.11", "/usr/bin/python3"}, "/usr/bin/python3.11"),
    ("linux", "/usr/bin/qgis_process.bin", "/usr", {"/usr/bin/python3"}, "/usr/bin/python3"),
    ("linux", "/usr/bin/qgis", "/usr", set(), ""),
    # OSGeo4W network installer and the standalone installer: sys.prefix is apps\Python3xx
    ("win32", r"C:\OSGeo4W\bin\qgis-bin.exe", r"C:\OSGeo4W\apps\Python312",
     {r"C:\OSGeo4W\apps\Python312\python.exe"}, r"C:\OSGeo4W\apps\Python312\python.exe"),
    ("win32", r"C:\Program Files\QGIS 3.40.4\bin\qgis-ltr-bin.exe", r"C:\Program Files\QGIS 3.40.4\apps\Python312",
     {r"C:\Program Files\QGIS 3.40.4\apps\Python312\python.exe"},
     r"C:\Program Files\QGIS 3.40.4\apps\Python312\python.exe"),
    # macOS bundle: Contents/MacOS/QGIS with Contents/MacOS/bin/python3
    ("darwin", "/Applications/QGIS-LTR.app/Contents/MacOS/QGIS",
     "/Applications/QGIS-LTR.app/Contents/Frameworks/Python.framework/Versions/3.11",
     {"/Applications/QGIS-LTR.app/Contents/MacOS/bin/python3"},
     "/Applications/QGIS-LTR.app/Contents/MacOS/bin/python3"),
    ("darwin", "/Applications/QGIS.app/Contents/MacOS/QGIS", "/Applications/QGIS.app/Contents/Frameworks",
     {"/Applications/QGIS.app/Contents/Frameworks/bin/python3.11"},
     "/Applications/QGIS.app/Contents/Frameworks/bin/python3.11"),
    # a plain Python (qgis_process run from a script, these tests): that one
    ("linux", "/work/.venv/bin/python", "/work/.venv", set(), "/work/.venv/bin/python"),
    # embedded, Python took sys.executable from PATH: seen in Debian 12's QGIS with a pyenv python3 first on PATH
    ("linux", "/root/.pyenv/shims/python3", "/usr", {"/usr/bin/python3.11"}, "/usr/bin/python3.11"),
    ("win32", r"C:\Users\ann\miniconda3\python.exe", r"C:\OSGeo4W\apps\Python312",
     {r"C:\OSGeo4W\apps\Python312\python.exe"}, r"C:\OSGeo4W\apps\Python312\python.exe"),
])
def test_the_python_of_this_qgis(platform, executable, prefix, files, expected):
    assert qgis_python(platform, executable, prefix, (3, 11), exists=files.__contains__, base_prefix=prefix) == expected


def test_debian_command_for_the_user_with_numpy_kept():
    command = install_command(["pyogrio", "pyarrow"], "/usr/bin/python3.11", "1.24.2", "linux", managed=True,
                              user_site="/home/ann/.local/lib/python3.11/site-packages")
    assert command.argv[:6] == ["/usr/bin/python3.11", "-m", "pip", "install", "--user", "--break-system-packages"]
    assert command.argv[-3:] == ["pyogrio", "pyarrow<26", "numpy==1.24.2"] and "--only-binary=:all:" in command.argv
    assert command.text().startswith("/usr/bin/python3.11 -m pip install --user --break-system-packages ")
    notes = " ".join(command.notes)
    assert "PEP 668" in notes and "/home/ann/.local/lib/python3.11/site-packages" in notes and "numpy==1.24.2" in notes


def test_shapely_is_asked_for_as_version_2_and_quoted_for_each_shell():
    posix = install_command(["shapely"], "/usr/bin/python3", "2.2.4", "linux")
    assert "shapely>=2" in posix.argv and "'shapely>=2'" in posix.text()
    assert "--break-system-packages" not in posix.argv  # not an externally managed Python
    windows = install_command(["shapely", "rasterio"], r"C:\Program Files\QGIS 3.40.4\apps\Python312\python.exe",
                              "1.26.4", "win32")
    assert windows.text().startswith(r'"C:\Program Files\QGIS 3.40.4\apps\Python312\python.exe" -m pip install --user ')
    assert '"shapely>=2" rasterio numpy==1.26.4' in windows.text()  # cmd.exe: > unquoted would redirect


def test_pyarrow_that_needs_numpy_2_is_kept_out_for_numpy_1():
    """pyarrow 26 does not load with numpy 1.x but does not tell pip (seen in QGIS 3.22 after a plain install)."""
    assert "pyarrow<26" in install_command(["pyarrow"], "/usr/bin/python3", "1.26.4", "linux").argv
    assert "pyarrow" in install_command(["pyarrow"], "/usr/bin/python3", "2.2.4", "linux").argv


def test_import_problems_names_what_does_not_load():
    assert speedup_install.import_problems(sys.executable, ["json"]) == []
    problems = speedup_install.import_problems(sys.executable, ["json", "no_such_module_xyz"])
    assert len(problems) == 1 and problems[0].startswith("no_such_module_xyz: ModuleNotFoundError")


def test_in_a_virtualenv_the_packages_go_into_it():
    command = install_command(["pyarrow"], "/opt/venv/bin/python", "1.24.2", "linux", managed=True, venv=True)
    assert "--user" not in command.argv and "--break-system-packages" not in command.argv


def test_externally_managed_python(tmp_path):
    assert not speedup_install.externally_managed(str(tmp_path), venv=False)
    (tmp_path / "EXTERNALLY-MANAGED").write_text("[externally-managed]\n")
    assert speedup_install.externally_managed(str(tmp_path), venv=False)
    assert not speedup_install.externally_managed(str(tmp_path), venv=True)


def test_pip_available():
    assert speedup_install.pip_available(sys.executable)
    assert not speedup_install.pip_available("/nonexistent/python3")
    assert not speedup_install.pip_available("")
    no_pip = lambda argv, **kw: subprocess.CompletedProcess(argv, 1, b"", b"No module named pip")  # noqa: E731
    assert not speedup_install.pip_available("/usr/bin/python3", run=no_pip)


def test_what_pip_installed():
    output = ("Collecting pyogrio\n  Downloading pyogrio-0.10.0-cp311-manylinux.whl (23.9 MB)\n"
              "Installing collected packages: pyarrow, pyogrio\n"
              "Successfully installed pyarrow-18.1.0 pyogrio-0.10.0\n")
    assert speedup_install.installed_from_output(output) == ["pyarrow 18.1.0", "pyogrio 0.10.0"]
    assert speedup_install.installed_from_output("Requirement already satisfied: pyogrio in ...\n") == []


def test_status_says_what_is_used_instead():
    assert speedup_install.status_message([]) == ""
    text = speedup_install.status_message(["shapely", "pyogrio", "pyarrow", "rasterio"])
    assert "shapely, pyogrio, pyarrow, rasterio" in text
    assert "QGIS's own geometry engine" in text and "GDAL's Arrow stream and OGR" in text
    assert text.count("GDAL's Arrow stream") == 1 and "raster providers" in text


def _pypi_reachable():
    try:
        socket.create_connection(("pypi.org", 443), timeout=5).close()
        return True
    except OSError:
        return False


@pytest.mark.skipif(not os.path.isfile("/usr/bin/python3"), reason="no system Python (not Debian)")
def test_real_pip_run_of_the_command_debian_qgis_would_run(tmp_path):
    """The command for Debian 12's stock QGIS, run for real by its Python with --dry-run: pip accepts every flag
    (PEP 668 included), finds wheels of every speed-up for it and keeps its numpy. Nothing is installed."""
    if not _pypi_reachable():
        pytest.skip("PyPI is not reachable from here")
    python = "/usr/bin/python3"
    version = subprocess.run([python, "-c", "import sys, numpy, sysconfig; print(sys.version_info[1], "
                              "numpy.__version__, sysconfig.get_path('stdlib'))"], capture_output=True, text=True,
                             check=True).stdout.split()
    command = install_command(list(speedup_install.SPEEDUPS), qgis_python("linux", "/usr/bin/qgis", "/usr",
                                                                           (3, int(version[0]))),
                              version[1], "linux", managed=speedup_install.externally_managed(version[2], venv=False))
    assert command.argv[0] == "/usr/bin/python3.{}".format(version[0])
    # a user whose ~/.local is still empty, and nothing of the venv on the path
    env = dict(os.environ, HOME=str(tmp_path), PYTHONUSERBASE=str(tmp_path / ".local"))
    env.pop("PYTHONPATH", None)
    assert command.run_argv()[:len(command.argv)] == command.argv and "--no-input" in command.run_argv()
    run = subprocess.run(command.run_argv() + ["--dry-run"], capture_output=True, text=True, env=env, timeout=600)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    would = next(line for line in run.stdout.splitlines() if line.startswith("Would install"))
    for name in ("shapely", "pyogrio", "pyarrow", "rasterio"):  # new, or there already (Debian's python3-rasterio)
        assert name + "-" in would or "Requirement already satisfied: " + name in run.stdout, run.stdout[-3000:]
    assert "shapely-2." in would or "shapely-" not in would
    pyarrow = next((p for p in would.split() if p.startswith("pyarrow-")), None)
    if pyarrow and version[1].startswith("1."):
        assert int(pyarrow.split("-")[1].split(".")[0]) < 26, would  # one that loads with numpy 1.x
    assert "numpy" not in would and "Requirement already satisfied: numpy=={}".format(version[1]) in run.stdout


# -- the Settings button and the install dialog --------------------------------------------------------------
def _fake_pip(script, modules=("pyogrio", "pyarrow")):
    return InstallCommand([sys.executable, "-c", script], list(modules), sys.platform, ["--user: a note"])


FAKE_SUCCESS = ("import time; print('Collecting pyogrio', flush=True); time.sleep(0.2); "
                "print('Installing collected packages: pyarrow, pyogrio', flush=True); "
                "print('Successfully installed pyarrow-18.1.0 pyogrio-0.10.0')")


def _wait(dialog, seconds=30):
    end = time.monotonic() + seconds
    while dialog.running() and time.monotonic() < end:
        QCoreApplication.processEvents()
        time.sleep(0.02)
    QCoreApplication.processEvents()
    assert not dialog.running()


def _close(*dialogs):
    for dialog in dialogs:
        dialog.close()
        dialog.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture
def settings_dialog(qgis_app, monkeypatch):
    from qgis.core import QgsSettings

    from citycode.plugin.gui.settings_dialog import SettingsDialog

    monkeypatch.setattr(speedup_install, "missing", lambda: ["pyogrio", "pyarrow"])  # as on Debian 13's QGIS
    QgsSettings().remove("citycode")
    dialog = SettingsDialog()
    dialog.show()
    yield dialog
    _close(dialog)


def test_settings_button_installs_and_says_restart(settings_dialog):
    dialog = settings_dialog
    status = dialog.speedups_status.text()
    assert "pyogrio, pyarrow" in status and "GDAL's Arrow stream" in status
    assert dialog.speedups_button.isEnabled()
    dialog.speedups_command, dialog.speedups_pip_ok = _fake_pip(FAKE_SUCCESS), True
    QTest.mouseClick(dialog.speedups_button, LEFT)
    install = dialog.speedups_dialog
    assert install.isVisible() and install.command_view.toPlainText() == install.command.text()
    QTest.mouseClick(install.install_button, LEFT)
    assert install.running() and install.cancel_button.isEnabled() and not install.install_button.isEnabled()
    _wait(install)
    assert install.result_text == "Installed: pyarrow 18.1.0, pyogrio 0.10.0. Restart QGIS to use them."
    assert install.status.text() == install.result_text and not install.install_button.isEnabled()
    assert "Installing collected packages: pyarrow, pyogrio" in install.log_view.toPlainText()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    assert dialog.grab().save(str(SCREENSHOTS / "settings_speedups.png"))
    _close(install)


def test_screenshot_of_the_install_dialog_for_debian(settings_dialog):
    """What a user of Debian 12's QGIS sees before pressing Install (the real command for that QGIS)."""
    dialog = settings_dialog
    dialog.speedups_command = install_command(
        list(speedup_install.SPEEDUPS), "/usr/bin/python3.11", "1.24.2", "linux", managed=True,
        user_site="/home/gis/.local/lib/python3.11/site-packages")
    dialog.speedups_pip_ok = True
    QTest.mouseClick(dialog.speedups_button, LEFT)
    install = dialog.speedups_dialog
    QCoreApplication.processEvents()
    assert install.install_button.isEnabled() and "--break-system-packages" in install.command_view.toPlainText()
    assert install.grab().save(str(SCREENSHOTS / "install_speedups.png"))
    _close(install)


def test_pip_failure_is_said_with_its_last_line(settings_dialog):
    dialog = settings_dialog
    dialog.speedups_command = _fake_pip("import sys; print('Collecting rasterio'); "
                                        "print('ERROR: No matching distribution found for rasterio'); sys.exit(1)")
    dialog.speedups_pip_ok = True
    dialog.install_speedups()
    install = dialog.speedups_dialog
    install.start()
    _wait(install)
    assert install.result_text.startswith(
        "pip failed (exit code 1): ERROR: No matching distribution found for rasterio")
    assert install.install_button.isEnabled()  # may be tried again
    _close(install)


def test_a_package_that_does_not_load_is_said(settings_dialog):
    """pip may accept a package that then does not load with QGIS's numpy: the dialog imports each one to see."""
    dialog = settings_dialog
    dialog.speedups_command = _fake_pip(FAKE_SUCCESS, modules=["pyogrio", "no_such_module_xyz"])
    dialog.speedups_pip_ok = True
    dialog.install_speedups()
    install = dialog.speedups_dialog
    install.start()
    _wait(install)
    assert install.result_text.startswith("pip installed pyarrow 18.1.0, pyogrio 0.10.0, but this does not load in "
                                          "the Python of this QGIS: no_such_module_xyz: ModuleNotFoundError")
    assert "pyogrio:" not in install.result_text
    _close(install)


def test_cancel_stops_pip(settings_dialog):
    dialog = settings_dialog
    dialog.speedups_command = _fake_pip("import time; print('Collecting pyarrow', flush=True); time.sleep(60)")
    dialog.speedups_pip_ok = True
    dialog.install_speedups()
    install = dialog.speedups_dialog
    install.start()
    end = time.monotonic() + 10
    while "Collecting pyarrow" not in install.status.text() and time.monotonic() < end:
        QCoreApplication.processEvents()
    assert install.status.text() == "Collecting pyarrow"  # pip's last line is the progress shown
    started = time.monotonic()
    QTest.mouseClick(install.cancel_button, LEFT)
    _wait(install, 10)
    assert time.monotonic() - started < 5 and install.result_text.startswith("Canceled: pip was stopped.")
    _close(install)


def test_without_pip_the_command_is_there_to_copy(settings_dialog):
    from qgis.PyQt.QtGui import QGuiApplication

    dialog = settings_dialog
    dialog.speedups_command = install_command(["pyogrio", "pyarrow"], "/usr/bin/python3.11", "1.24.2", "linux",
                                              managed=True)
    dialog.speedups_pip_ok = False
    dialog.install_speedups()
    install = dialog.speedups_dialog
    assert not install.install_button.isEnabled()
    intro = install.findChildren(type(install.status))[0].text()
    assert "pip is not available" in intro and "sudo apt install python3-pip" in intro
    QTest.mouseClick(install.findChild(QPushButton, "copy_command"), LEFT)
    assert QGuiApplication.clipboard().text() == install.command.text()
    assert QGuiApplication.clipboard().text().startswith("/usr/bin/python3.11 -m pip install --user")
    _close(install)


def test_a_python_that_does_not_start_is_said(settings_dialog):
    dialog = settings_dialog
    dialog.speedups_command = InstallCommand(["/nonexistent/python3", "-m", "pip", "install", "pyarrow"], ["pyarrow"])
    dialog.speedups_pip_ok = True
    dialog.install_speedups()
    install = dialog.speedups_dialog
    install.start()
    _wait(install)
    assert install.result_text.startswith("Could not start /nonexistent/python3")
    _close(install)


def test_all_speedups_in_use(qgis_app, monkeypatch):
    from citycode.plugin.gui.settings_dialog import SettingsDialog

    monkeypatch.setattr(speedup_install, "missing", lambda: [])
    dialog = SettingsDialog()
    assert not dialog.speedups_button.isEnabled()
    assert dialog.speedups_status.text().startswith("In use: shapely 2.")
    _close(dialog)


# -- the first start of a session ------------------------------------------------------------------------------
def test_first_start_says_once_what_is_used_instead(qgis_iface, monkeypatch):
    import citycode
    from citycode.plugin import citycode_plugin
    from citycode.plugin.core import speedups

    monkeypatch.setattr(speedup_install, "missing", lambda: ["shapely", "pyogrio", "pyarrow"])
    monkeypatch.setattr(speedups, "ALLOWED", None)
    app = QCoreApplication.instance()
    app.setProperty(citycode_plugin.SPEEDUPS_OFFERED, False)
    logged = []
    QgsApplication.messageLog().messageReceived.connect(lambda m, tag, level: logged.append((tag, m)))
    from qgis.gui import QgsMessageBar

    bar = QgsMessageBar()  # QGIS's own (pytest-qgis's stand-in has no items)
    monkeypatch.setattr(qgis_iface, "messageBar", lambda: bar)
    plugins = [citycode.classFactory(qgis_iface) for _ in range(2)]
    for plugin in plugins:  # a second start in the same session (e.g. the plugin reloaded) says nothing more
        plugin.initGui()
        plugin.unload()
    offers = [i for i in bar.items() if i.findChild(QPushButton, "citycode_install_speedups")]
    assert len(offers) == 1
    assert "QGIS's own geometry engine" in offers[0].text()
    assert [m for tag, m in logged if tag == "CityCode" and "Optional speed-ups not in use" in m] == [offers[0].text()]
    offers[0].findChild(QPushButton, "citycode_install_speedups").click()  # opens the install dialog
    shown = plugins[0].speedups_dialog
    assert shown.isVisible() and shown.command.modules == ["shapely", "pyogrio", "pyarrow"]
    _close(shown)
    bar.clearWidgets()
    app.setProperty(citycode_plugin.SPEEDUPS_OFFERED, False)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
