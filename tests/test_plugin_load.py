"""The plugin as QGIS sees it: metadata, classFactory, menu/toolbar, provider, translations, qgis_process."""
import configparser
import os
import subprocess
import sys

import pytest
from qgis.core import QgsApplication, QgsSettings
from qgis.PyQt.QtCore import QCoreApplication, QEvent
from qgis.PyQt.QtWidgets import QMenu, QToolBar

from conftest import PKGROOT, PROVIDER_ID, ROOT, ensure_citycode_provider

# email, repository, tracker, homepage and changelog come from release.env and CHANGELOG.md: test_package.py
REQUIRED_KEYS = ("name", "qgisMinimumVersion", "description", "about", "version", "author")
OUR_KEYS = ("qgisMaximumVersion", "hasProcessingProvider", "category", "tags", "icon", "experimental", "supportsQt6")
TOOLBAR_ACTION_NAMES = {"citycode_planning", "citycode_codetool", "citycode_batch", "citycode_assigncodes",
                        "citycode_overlaycheck", "citycode_validatecodes", "citycode_exportcodedmap"}
# Menu entries that open an algorithm's dialog are named after it: citycode_<id> -> citycode:<id>.
ALGORITHM_ACTIONS = {"citycode_assigncodes", "citycode_overlaycheck", "citycode_validatecodes", "citycode_codepoints",
                     "citycode_importpoints", "citycode_samplerasters", "citycode_importobservations",
                     "citycode_exportobservations", "citycode_exportcodedmap", "citycode_exportcodes",
                     "citycode_checkout", "citycode_checkin"}
ACTION_NAMES = TOOLBAR_ACTION_NAMES | ALGORITHM_ACTIONS | {"citycode_settings", "citycode_codeform",
                                                           "citycode_conflicts", "citycode_vintagereview"}
ALGORITHM_IDS = {name.replace("_", ":", 1) for name in ALGORITHM_ACTIONS}


def read_metadata():
    cp = configparser.ConfigParser()
    with open(ROOT / "metadata.txt", encoding="utf-8") as f:
        cp.read_file(f)
    return cp["general"]


def test_metadata_has_required_keys():
    meta = read_metadata()
    for key in REQUIRED_KEYS + OUR_KEYS:
        assert meta.get(key, "").strip(), "metadata.txt lacks " + key
    assert meta["name"] == "CityCode"
    assert meta["qgisMinimumVersion"] == "3.22"
    assert meta["version"] == "0.1.0"
    assert meta["hasProcessingProvider"] == "yes"
    assert meta["supportsQt6"] == "True"
    assert (ROOT / meta["icon"]).is_file()


def test_qgis_finds_the_plugin():
    from qgis import utils

    found = dict(utils.findPlugins(str(PKGROOT)))
    assert "citycode" in found and found["citycode"] is not None
    assert found["citycode"].get("general", "name") == "CityCode"


def test_package_import_is_light():
    code = ("import sys; sys.path.insert(0, {!r}); import citycode; "
            "heavy = [m for m in sys.modules if m.startswith(('qgis', 'PyQt', 'citycode.plugin'))]; "
            "assert not heavy, heavy").format(str(PKGROOT))
    subprocess.run([sys.executable, "-c", code], check=True)


def _menu_in_menubar(main_window):
    for action in main_window.menuBar().actions():
        menu = action.menu()
        if menu is not None and menu.objectName() == "CityCodeMenu":
            return menu
    return None


@pytest.fixture
def without_session_provider(qgis_app):
    """Take out a provider registered by the test session, so the plugin registers (and removes) its own."""
    registry = QgsApplication.processingRegistry()
    had = registry.providerById(PROVIDER_ID) is not None
    if had:
        registry.removeProvider(PROVIDER_ID)
    yield registry
    if had:
        ensure_citycode_provider()


def test_plugin_gui_lifecycle(qgis_iface, without_session_provider):
    import citycode

    registry = without_session_provider
    main_window = qgis_iface.mainWindow()
    plugin = citycode.classFactory(qgis_iface)
    plugin.initGui()
    try:
        menu = _menu_in_menubar(main_window)
        assert menu is not None, "no CityCode menu in the menu bar"
        actions = [a for a in menu.actions() if not a.isSeparator()]
        assert {a.objectName() for a in actions} == ACTION_NAMES
        assert all(a.text() for a in actions)
        assign = next(a for a in menu.actions() if a.objectName() == "citycode_assigncodes")
        assert not assign.icon().isNull()

        toolbar = main_window.findChild(QToolBar, "CityCodeToolbar")
        assert toolbar is not None
        assert {a.objectName() for a in toolbar.actions()} == TOOLBAR_ACTION_NAMES

        provider = registry.providerById(PROVIDER_ID)
        assert provider is not None
        assert ALGORITHM_IDS <= {alg.id() for alg in provider.algorithms()}
        for alg_id in ALGORITHM_IDS:
            assert registry.algorithmById(alg_id) is not None, alg_id

        # the 赋码 map tool goes on the canvas; coding at birth watches the project
        tool_action = next(a for a in toolbar.actions() if a.objectName() == "citycode_codetool")
        tool_action.trigger()
        assert type(qgis_iface.mapCanvas().mapTool()).__name__ == "CodeMapTool"
        assert tool_action.isChecked()
        assert plugin.coding_at_birth is not None
    finally:
        plugin.unload()
    assert plugin.coding_at_birth is None and plugin.code_tool is None
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)

    assert _menu_in_menubar(main_window) is None
    assert main_window.findChild(QMenu, "CityCodeMenu") is None
    assert main_window.findChild(QToolBar, "CityCodeToolbar") is None
    assert registry.providerById(PROVIDER_ID) is None
    for alg_id in ALGORITHM_IDS:
        assert registry.algorithmById(alg_id) is None
    plugin.unload()  # a second unload is harmless


def test_plugin_speaks_chinese(qgis_iface, without_session_provider):
    import citycode
    from citycode.plugin.core.i18n import tr

    assert (ROOT / "i18n" / "citycode_zh_CN.qm").is_file()
    settings = QgsSettings()
    old_locale = settings.value("locale/userLocale", "")
    settings.setValue("locale/userLocale", "zh_CN")
    plugin = citycode.classFactory(qgis_iface)
    try:
        plugin.initGui()
        menu = _menu_in_menubar(qgis_iface.mainWindow())
        texts = {a.objectName(): a.text() for a in menu.actions()}
        assert texts["citycode_validatecodes"] == "编码校验…"
        assert tr("Validate codes…") == "编码校验…"
    finally:
        plugin.unload()
        settings.setValue("locale/userLocale", old_locale)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert tr("Validate codes…") == "Validate codes…"


def test_qgis_process_loads_plugin(tmp_path):
    """scripts/qgis_process.sh: the plugin loads headless and its algorithms are listed."""
    env = dict(os.environ)
    env.pop("QGIS_CUSTOM_CONFIG_PATH", None)  # the wrapper sets its own (build/qgis-profile)
    result = subprocess.run([str(ROOT / "scripts" / "qgis_process.sh"), "list"], cwd=str(tmp_path), env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True, timeout=300)
    assert result.returncode == 0, result.stdout
    for alg_id in ALGORITHM_IDS:
        assert alg_id in result.stdout, result.stdout
