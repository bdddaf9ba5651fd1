"""Adding the optional speed-ups (core/speedups.py) to the Python of the running QGIS: which interpreter, which
pip command, what it did. No Qt widgets: gui/speedups_dialog.py runs the command and shows the result.

Inside QGIS sys.executable is QGIS itself (qgis, qgis-bin.exe, QGIS.app/Contents/MacOS/QGIS), so the Python
that pip must run in is looked for beside it: /usr/bin/python3.<minor> on Linux, python.exe in sys.prefix with
OSGeo4W and the standalone Windows installer, the bundle's bin/python3 on macOS. pip installs for the user only
(--user: nothing of QGIS or of the system changes), ready-made wheels only, and with numpy pinned to the numpy
QGIS has loaded, so pip never replaces it.
"""
import importlib.metadata
import ntpath
import os
import posixpath
import re
import shlex
import subprocess
import sys
import sysconfig
from dataclasses import dataclass, field
from typing import Callable, List, Optional

from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from . import speedups
from .i18n import tr

# module -> (what pip installs, what CityCode uses while it is missing; translated where shown)
_FILES_WITHOUT = QT_TRANSLATE_NOOP("CityCode", "GDAL's Arrow stream and OGR for reading and writing files")
SPEEDUPS = {
    "shapely": ("shapely>=2", QT_TRANSLATE_NOOP("CityCode", "QGIS's own geometry engine")),
    "pyogrio": ("pyogrio", _FILES_WITHOUT),
    "pyarrow": ("pyarrow", _FILES_WITHOUT),
    "rasterio": ("rasterio", QT_TRANSLATE_NOOP("CityCode", "QGIS's raster providers for raster values")),
}
# With a numpy 1.x: pyarrow 26 needs numpy 2 to load but does not tell pip (numpy is not among its requirements),
# so pinning numpy alone would let pip pick it.
FOR_NUMPY_1 = {"pyarrow": "pyarrow<26"}


def missing() -> List[str]:
    """The speed-ups CityCode does not use now (missing, too old, broken, or hidden by CITYCODE_SPEEDUPS)."""
    found = {"shapely": speedups.SHAPELY_OK, "rasterio": speedups.RASTERIO_OK}
    for module in ("pyogrio", "pyarrow"):
        found[module] = speedups.ARROW_OK or bool(speedups.version_of(module))
    return [module for module in SPEEDUPS if not found[module]]


def installed_version(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return ""


def status_message(absent: Optional[List[str]] = None) -> str:
    """What is used, what is missing and what CityCode uses instead; '' when nothing is missing."""
    absent = missing() if absent is None else absent
    if not absent:
        return ""
    instead = []
    for module in absent:
        text = tr(SPEEDUPS[module][1])
        if text not in instead:
            instead.append(text)
    message = tr("Optional speed-ups not in use: {}. CityCode works without them, with {}; with them large batch "
                 "jobs run faster.").format(", ".join(absent), "; ".join(instead))
    if speedups.ALLOWED is not None:
        message += " " + tr("(CITYCODE_SPEEDUPS is set: CityCode leaves out the ones it does not name.)")
    return message


def qgis_python(platform: str = sys.platform, executable: str = sys.executable, prefix: str = sys.prefix,
                version=sys.version_info[:2], exists: Callable[[str], bool] = os.path.isfile,
                base_prefix: str = sys.base_prefix) -> str:
    """The Python interpreter of the running QGIS ('' when none is found)."""
    path = ntpath if platform.startswith("win") else posixpath
    inside = any(path.normcase(executable).startswith(path.normcase(path.join(p, ""))) for p in (prefix, base_prefix))
    if path.basename(executable).lower().startswith("python") and inside:
        return executable  # a plain Python (a script, a virtualenv, the tests): that one
    # Embedded in QGIS, Python guesses sys.executable from PATH (a pyenv or conda python3 there is another
    # Python): so only an interpreter of this prefix, and of this version first.
    minor = "python{}.{}".format(*version)
    here = path.dirname(executable)
    if platform.startswith("win"):  # OSGeo4W / standalone installer: <root>\apps\Python3xx\python.exe = sys.prefix
        candidates = [path.join(prefix, "python.exe"), path.join(prefix, "python3.exe"),
                      path.join(here, "python3.exe"), path.join(here, "python.exe")]
    elif platform == "darwin":  # QGIS.app/Contents/MacOS/QGIS beside QGIS.app/Contents/MacOS/bin/python3
        candidates = [path.join(here, "bin", minor), path.join(here, "bin", "python3"),
                      path.join(prefix, "bin", minor), path.join(prefix, "bin", "python3")]
    else:  # Linux packages: QGIS links the system's libpython, so /usr/bin/python3.<minor> is its Python
        candidates = [path.join(prefix, "bin", minor), path.join(prefix, "bin", "python3"),
                      "/usr/bin/" + minor, "/usr/bin/python3"]
    return next((c for c in candidates if exists(c)), "")


def in_virtualenv() -> bool:
    return sys.prefix != sys.base_prefix


def externally_managed(stdlib: str = sysconfig.get_path("stdlib"), venv: Optional[bool] = None) -> bool:
    """PEP 668: Debian 12+ and Ubuntu 23.04+ mark their Python as managed by apt (not inside a virtualenv)."""
    venv = in_virtualenv() if venv is None else venv
    return not venv and os.path.isfile(os.path.join(stdlib, "EXTERNALLY-MANAGED"))


@dataclass
class InstallCommand:
    argv: List[str]                 # the program and its arguments ([] when no Python was found)
    modules: List[str]              # the speed-ups it installs
    platform: str = sys.platform
    notes: List[str] = field(default_factory=list)  # why each flag is there, for people

    def run_argv(self) -> List[str]:
        """The command as the plugin runs it: without questions or progress bars (its output is shown line by line)."""
        return self.argv + ["--disable-pip-version-check", "--no-input", "--progress-bar", "off"] \
            if self.argv[2:4] == ["pip", "install"] else list(self.argv)

    def text(self) -> str:
        """The command to paste into a terminal (cmd / OSGeo4W Shell on Windows)."""
        if self.platform.startswith("win"):  # cmd.exe would take the > of shapely>=2 for a redirection
            return " ".join('"{}"'.format(a) if re.search(r'[\s<>|&^]', a) else a for a in self.argv)
        return " ".join(shlex.quote(a) for a in self.argv)


def install_command(modules: List[str], python: str, numpy_version: str, platform: str = sys.platform,
                    managed: bool = False, venv: bool = False, user_site: str = "") -> InstallCommand:
    """pip install of `modules` for the user of `python`; numpy pinned to `numpy_version`."""
    notes = []
    argv = [python or ("python" if platform.startswith("win") else "python3"), "-m", "pip", "install"]
    if venv:
        notes.append(tr("QGIS runs in a virtual environment: the packages go into it."))
    else:
        argv.append("--user")
        notes.append(tr("--user: into your own Python folder{}; nothing of QGIS or of the system changes "
                        "(pip uninstall removes them).").format(" ({})".format(user_site) if user_site else ""))
        if managed:
            argv.append("--break-system-packages")
            notes.append(tr("--break-system-packages: this Python is managed by the system's packages (PEP 668) "
                            "and pip refuses even --user installs without it; with --user nothing the system "
                            "installed is touched."))
    argv.append("--only-binary=:all:")
    notes.append(tr("--only-binary=:all:: ready-made packages only, nothing is compiled."))
    numpy_1 = numpy_version.split(".")[0] == "1"
    argv += [FOR_NUMPY_1.get(m, SPEEDUPS[m][0]) if numpy_1 else SPEEDUPS[m][0] for m in modules]
    if numpy_version:
        argv.append("numpy=={}".format(numpy_version))
        notes.append(tr("numpy=={}: the numpy QGIS has loaded, so pip keeps it and chooses versions that work "
                        "with it.").format(numpy_version))
    return InstallCommand(argv, list(modules), platform, notes)


def command_for_this_qgis(modules: Optional[List[str]] = None) -> InstallCommand:
    import numpy
    import site

    return install_command(missing() if modules is None else modules, qgis_python(), numpy.__version__,
                           managed=externally_managed(), venv=in_virtualenv(),
                           user_site="" if in_virtualenv() else site.getusersitepackages())


def pip_available(python: str, run=subprocess.run) -> bool:
    """Whether `python -m pip` works (Debian's QGIS does not pull in python3-pip)."""
    if not python:
        return False
    flags = getattr(subprocess, "CREATE_NO_WINDOW", 0)  # no console window flashing up on Windows
    try:
        return run([python, "-m", "pip", "--version"], capture_output=True, timeout=60,
                   creationflags=flags).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def pip_missing_hint(python: str, platform: str = sys.platform) -> str:
    """How to get pip for this Python, before running the install command."""
    if platform.startswith("linux"):
        return tr("Install pip first (Debian / Ubuntu: sudo apt install python3-pip), then run this in a terminal:")
    if platform.startswith("win"):
        return tr("Add pip first (OSGeo4W Setup: the python3-pip package), then run this in the OSGeo4W Shell:")
    return tr("Add pip first ({} -m ensurepip --user), then run this in a terminal:").format(python or "python3")


def import_problems(python: str, modules: List[str], run=subprocess.run) -> List[str]:
    """'module: error' for each module that does not load in `python` (as this QGIS will load it after a restart:
    a package pip accepted may still need another numpy or library)."""
    problems = []
    flags = getattr(subprocess, "CREATE_NO_WINDOW", 0)
    for module in modules:
        try:
            done = run([python, "-c", "import " + module], capture_output=True, text=True, timeout=120,
                       creationflags=flags)
        except (OSError, subprocess.SubprocessError) as err:
            problems.append("{}: {}".format(module, err))
            continue
        if done.returncode != 0:
            last = next((line for line in reversed(done.stderr.splitlines()) if line.strip()), "")
            problems.append("{}: {}".format(module, last))
    return problems


SUCCESS = re.compile(r"^Successfully installed (.+)$", re.MULTILINE)


def installed_from_output(output: str) -> List[str]:
    """'name version' of every package pip says it installed (the last word of 'name-1.2' is the version)."""
    found = []
    for line in SUCCESS.findall(output):
        for item in line.split():
            name, _, version = item.rpartition("-")
            found.append("{} {}".format(name, version) if name else item)
    return found
