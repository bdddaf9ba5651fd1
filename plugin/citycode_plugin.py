"""The object QGIS loads: registers the Processing provider and adds the CityCode menu and toolbar.

The menu entries only open Processing dialogs; all the work is done by the algorithms
(citycode:assigncodes, citycode:overlaycheck, citycode:validatecodes), which also run headless
in qgis_process. Qt is imported only through qgis.PyQt so the same code runs on Qt5 and Qt6.
"""
import os

from qgis.core import QgsApplication, QgsProcessingException, QgsSettings
from qgis.PyQt.QtCore import QCoreApplication, QLocale, QTranslator
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import QMenu

try:  # Qt6: QAction lives in QtGui
    from qgis.PyQt.QtGui import QAction
except ImportError:  # Qt5
    from qgis.PyQt.QtWidgets import QAction

from .core.i18n import tr

PLUGIN_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ICON_PATH = os.path.join(PLUGIN_DIR, "resources", "icons", "citycode.svg")
I18N_DIR = os.path.join(PLUGIN_DIR, "i18n")
PROVIDER_ID = "citycode"
MENU_OBJECT_NAME = "CityCodeMenu"
TOOLBAR_OBJECT_NAME = "CityCodeToolbar"


def user_locale() -> str:
    """The locale QGIS runs in, e.g. "zh_CN" (QGIS stores the effective one in locale/userLocale)."""
    value = QgsSettings().value("locale/userLocale", "") or ""
    return str(value) or QLocale().name()


def find_translation(locale: str) -> str:
    """Path of i18n/citycode_<locale>.qm trying the full locale ("zh_CN") then the language ("zh"); "" if none."""
    for name in (locale[:5], locale[:2]):
        path = os.path.join(I18N_DIR, "citycode_{}.qm".format(name))
        if name and os.path.isfile(path):
            return path
    return ""


class CityCodePlugin:
    """QGIS plugin entry object (see classFactory in the package's __init__.py)."""

    def __init__(self, iface):
        self.iface = iface
        self.provider = None
        self.translator = None
        self.menu = None
        self.toolbar = None
        self.actions = []

    # -- translations -------------------------------------------------------------------------
    def _install_translator(self):
        if self.translator is not None:
            return
        path = find_translation(user_locale())
        if not path:
            return
        translator = QTranslator()
        if translator.load(path):
            QCoreApplication.installTranslator(translator)
            self.translator = translator

    def _remove_translator(self):
        if self.translator is not None:
            QCoreApplication.removeTranslator(self.translator)
            self.translator = None

    # -- Processing ---------------------------------------------------------------------------
    def initProcessing(self):  # noqa: N802 (QGIS API name)
        """Register the CityCode provider; QGIS calls this on its own for qgis_process and the toolbox."""
        self._install_translator()
        if self.provider is not None:
            return
        registry = QgsApplication.processingRegistry()
        if registry.providerById(PROVIDER_ID) is not None:
            return  # registered by someone else (e.g. a test session); leave it to them
        from .processing.provider import CityCodeProvider

        provider = CityCodeProvider()
        if registry.addProvider(provider):
            self.provider = provider

    # -- GUI ----------------------------------------------------------------------------------
    def initGui(self):  # noqa: N802 (QGIS API name)
        self.initProcessing()
        main_window = self.iface.mainWindow()

        self.menu = QMenu(tr("CityCode"), main_window)
        self.menu.setObjectName(MENU_OBJECT_NAME)
        self.menu.setIcon(QIcon(ICON_PATH))
        self.toolbar = self.iface.addToolBar(tr("CityCode"))
        self.toolbar.setObjectName(TOOLBAR_OBJECT_NAME)

        self._add_action("citycode_assigncodes", QIcon(ICON_PATH), tr("Assign codes (batch)…"),
                         tr("Give buildings or projects unified city codes in one batch"), "citycode:assigncodes")
        self._add_action("citycode_overlaycheck", QgsApplication.getThemeIcon("/algorithms/mAlgorithmIntersect.svg"),
                         tr("Check against planning layers…"),
                         tr("Check features against planning layers (red lines, farmland, development boundary)"),
                         "citycode:overlaycheck")
        self._add_action("citycode_validatecodes",
                         QgsApplication.getThemeIcon("/algorithms/mAlgorithmCheckGeometry.svg"),
                         tr("Validate codes…"), tr("Check existing codes against their profile and check character"),
                         "citycode:validatecodes")

        menu_bar = main_window.menuBar()
        right_menu = self.iface.firstRightStandardMenu() if hasattr(self.iface, "firstRightStandardMenu") else None
        if right_menu is not None:
            menu_bar.insertMenu(right_menu.menuAction(), self.menu)  # before "Help"
        else:
            menu_bar.addMenu(self.menu)

    def _add_action(self, name, icon, text, tip, algorithm_id):
        action = QAction(icon, text, self.iface.mainWindow())
        action.setObjectName(name)
        action.setToolTip(tip)
        action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False, alg=algorithm_id: self.open_algorithm(alg))
        self.menu.addAction(action)
        self.toolbar.addAction(action)
        self.actions.append(action)
        return action

    def open_algorithm(self, algorithm_id):
        """Open the Processing dialog of one of our algorithms."""
        try:
            import processing  # QGIS's Processing plugin, not our plugin.processing package

            processing.execAlgorithmDialog(algorithm_id)
        except (ImportError, QgsProcessingException) as err:
            self.iface.messageBar().pushWarning(
                tr("CityCode"), tr("Cannot open the algorithm {}: {}").format(algorithm_id, err))

    def unload(self):
        for action in self.actions:
            if self.menu is not None:
                self.menu.removeAction(action)
            if self.toolbar is not None:
                self.toolbar.removeAction(action)
            action.deleteLater()
        self.actions = []
        if self.menu is not None:
            self.iface.mainWindow().menuBar().removeAction(self.menu.menuAction())
            self.menu.deleteLater()
            self.menu = None
        if self.toolbar is not None:
            self.iface.mainWindow().removeToolBar(self.toolbar)
            self.toolbar.deleteLater()
            self.toolbar = None
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
        self._remove_translator()
