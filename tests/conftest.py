"""Shared test setup: real QGIS, headless.

- `import citycode` works: build/pkgroot/citycode is a symlink to the repository root (the plugin
  folder), and build/pkgroot is put on sys.path. Import the code as `citycode.plugin...`.
- pytest-qgis (<3, configured in pytest.ini) starts the QgsApplication and gives the qgis_app,
  qgis_iface, qgis_canvas fixtures; its QGIS settings live in a temporary directory.
- `citycode_processing` (session): Processing initialised and the CityCode provider registered.
  A test that removes the provider must call ensure_citycode_provider() afterwards.
- `pg_server` (session, from pg_server.py): a real PostgreSQL (+ PostGIS) server the tests start and stop.

Keep tests/ without an __init__.py: the repository root has one (it is the plugin), and pytest would
then name test modules after the parent folder.
"""
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before any QGIS/Qt application exists
# QGIS 3.22 turns every GeoPackage it edits into WAL mode and reads through pooled read-only GDAL
# connections; when the last writer closes, SQLite deletes the -wal file and those pooled readers
# fail ("unable to open database file") until the pool drops them, so reads come back empty at
# random on a loaded 1-CPU machine. Rollback journals keep the tests about our code, not that race.
os.environ.setdefault("OGR_SQLITE_JOURNAL", "DELETE")

import pytest  # noqa: E402

from pg_server import pg_server  # noqa: E402,F401 (session fixture for every test module)

ROOT = Path(__file__).resolve().parent.parent
PKGROOT = ROOT / "build" / "pkgroot"
SAMPLE_GPKG = ROOT / "resources" / "sample" / "sample_town.gpkg"
PROVIDER_ID = "citycode"
QGIS_PLUGINS_DIR = "/usr/share/qgis/python/plugins"  # QGIS's own Python plugins (processing)


def _link_package():
    link = PKGROOT / "citycode"
    PKGROOT.mkdir(parents=True, exist_ok=True)
    if link.is_symlink() and Path(os.path.realpath(link)) != ROOT:
        link.unlink()  # points at another checkout
    if not link.exists():
        try:
            link.symlink_to(ROOT, target_is_directory=True)
        except FileExistsError:  # created meanwhile by a parallel run
            pass
    if str(PKGROOT) not in sys.path:
        sys.path.insert(0, str(PKGROOT))


def _add_qgis_plugins_dir():
    plugins_dir = QGIS_PLUGINS_DIR
    try:
        from qgis.core import QgsApplication

        candidate = os.path.join(QgsApplication.pkgDataPath(), "python", "plugins")
        if os.path.isdir(os.path.join(candidate, "processing")):
            plugins_dir = candidate
    except Exception:  # noqa: BLE001 - fall back to Debian's path
        pass
    if plugins_dir not in sys.path:
        sys.path.append(plugins_dir)


_link_package()
_add_qgis_plugins_dir()


# Python must keep the providers it registers alive: QGIS holds only the C++ side, and a collected
# wrapper leaves a provider whose Python methods are gone (algorithm ids become ':').
_KEEP_ALIVE = []


def ensure_citycode_provider():
    """Register the CityCode provider unless a provider with id 'citycode' is already there; return it."""
    from qgis.core import QgsApplication

    registry = QgsApplication.processingRegistry()
    provider = registry.providerById(PROVIDER_ID)
    if provider is None:
        from citycode.plugin.processing.provider import CityCodeProvider

        provider = CityCodeProvider()
        _KEEP_ALIVE.append(provider)
        assert registry.addProvider(provider), "could not register the CityCode provider"
    return registry.providerById(PROVIDER_ID)


@pytest.fixture(scope="session")
def citycode_processing(qgis_app):
    """QGIS Processing initialised with the CityCode provider; yields the provider.

    Use processing.run("citycode:assigncodes", {...}) in tests (`import processing` works).
    """
    from processing.core.Processing import Processing

    Processing.initialize()
    yield ensure_citycode_provider()
    from qgis.core import QgsApplication

    registry = QgsApplication.processingRegistry()
    if registry.providerById(PROVIDER_ID) is not None:
        registry.removeProvider(PROVIDER_ID)


@pytest.fixture(scope="session")
def repo_root():
    """The repository root (= the plugin folder)."""
    return ROOT


@pytest.fixture(scope="session")
def sample_gpkg():
    """resources/sample/sample_town.gpkg (layers divisions, buildings, stbhhx, yjjbnt, czkfbj, projects, ...)."""
    assert SAMPLE_GPKG.is_file(), "missing {} (scripts/make_sample_data.py makes it)".format(SAMPLE_GPKG)
    return SAMPLE_GPKG


# QGIS 3.22 now and then segfaults while Python tears down its Qt objects after the last test, with every
# result already printed (seen in CI: "82 passed" then "Segmentation fault"). End the process with pytest's
# own status once everything is reported, instead of running those destructors.
_EXIT_STATUS = {}


def pytest_sessionfinish(session, exitstatus):
    _EXIT_STATUS["status"] = int(exitstatus)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config):
    if "status" in _EXIT_STATUS and not os.environ.get("CITYCODE_FULL_TEARDOWN"):
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(_EXIT_STATUS["status"])
