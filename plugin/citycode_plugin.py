"""The object QGIS loads: registers the Processing provider, the CityCode menu and toolbar, and the
"ccd" locator filter.

The menu entries open dialogs (Processing's own, batch coding, settings); all the work is done by the
algorithms (citycode:assigncodes, citycode:overlaycheck, citycode:validatecodes), which also run
headless in qgis_process. Qt is imported only through qgis.PyQt so the same code runs on Qt5 and Qt6.
"""
import os
import re
from .core.definitions import ICON_PATH, PLUGIN_DIR

from qgis.core import Qgis, QgsApplication, QgsMessageLog, QgsProcessingException, QgsSettings
from qgis.gui import QgsMessageBarItem
from qgis.PyQt.QtCore import QCoreApplication, QLocale, QTranslator
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import QAction, QMenu, QPushButton  # QAction is in QtGui under Qt6; QGIS 4 also has it here

from .core.i18n import tr

I18N_DIR = os.path.join(PLUGIN_DIR, "i18n")
PROVIDER_ID = "citycode"
MENU_OBJECT_NAME = "CityCodeMenu"
MENU_TITLE = "城市码 CityCode"  # the same in every language: both names are the plugin's name
TOOLBAR_OBJECT_NAME = "CityCodeToolbar"
SPEEDUPS_OFFERED = "citycode_speedups_offered"  # application property: the offer is made once per QGIS session
OFFER_SECONDS = 30


def user_locale() -> str:
    """The locale QGIS runs in, e.g. "zh_CN" (QGIS stores the effective one in locale/userLocale)."""
    value = QgsSettings().value("locale/userLocale", "") or ""
    return str(value) or QLocale().name()


def find_translation(locale: str) -> str:
    """Path of i18n/citycode_<lang>_<REGION>.qm for a QGIS locale, else of the language's catalogue; "" if none.

    QGIS names locales in several ways ("zh_CN", "zh-CN", "zh-Hans" for 简体中文, "zh_Hans_CN", "zh", "zh_CN.UTF-8"):
    the language is the first part, the region the first two-letter part. Every Chinese locale gets the one
    Chinese catalogue (zh_CN): its planning terms are the mainland's, and it reads better than English.
    """
    parts = [p for p in re.split(r"[-_.@]", locale or "") if p]
    if not parts:
        return ""
    language = parts[0].lower()
    region = next((p.upper() for p in parts[1:] if len(p) == 2 and p.isalpha()), "")
    names = ([language + "_" + region] if region else []) + (["zh_CN"] if language == "zh" else []) + [language]
    for name in names:
        path = os.path.join(I18N_DIR, "citycode_{}.qm".format(name))
        if os.path.isfile(path):
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
        self.locator_filter = None
        self.code_tool = None        # gui.code_tool.CodeMapTool, made on first use
        self.coding_at_birth = None  # gui.code_tool.CodingAtBirth: new features on coded layers get the form
        self.speedups_dialog = None

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

        self.menu = QMenu(MENU_TITLE, main_window)  # no icon: a menu bar shows a menu's icon instead of its title
        self.menu.setObjectName(MENU_OBJECT_NAME)
        self.toolbar = self.iface.addToolBar(tr("CityCode"))
        self.toolbar.setObjectName(TOOLBAR_OBJECT_NAME)

        for spec in self._action_specs():
            if spec is None:
                self.menu.addSeparator()
            else:
                self._add_action(*spec)
        self._find_action("citycode_codetool").setCheckable(True)
        self._register_locator()
        self._start_coding_at_birth()
        self._offer_speedups()

        menu_bar = main_window.menuBar()
        right_menu = self.iface.firstRightStandardMenu() if hasattr(self.iface, "firstRightStandardMenu") else None
        if right_menu is not None:
            menu_bar.insertMenu(right_menu.menuAction(), self.menu)  # before "Help"
        else:
            menu_bar.addMenu(self.menu)

    def _action_specs(self):
        """Every menu entry in order, None for a separator: (object name, icon, text, tip, callback,
        also on the toolbar)."""
        def algorithm(alg_id):
            return lambda: self.open_algorithm(alg_id)

        return [
            ("citycode_planning", QgsApplication.getThemeIcon("/mActionAddLayer.svg"), tr("Planning layers…"),
             tr("Load 三区三线 and 用地用海 layers from a GeoPackage, a folder or PostGIS, grouped and styled"),
             self.open_planning, True),
            None,
            ("citycode_codetool", QIcon(ICON_PATH), tr("Code tool (click a building or project)"),
             tr("Click a feature: see its division and planning overlaps, assign, edit, retire, split or merge "
                "its code"), self.activate_code_tool, True),
            ("citycode_codeform", QgsApplication.getThemeIcon("/mActionOpenTable.svg"),
             tr("Code form of the selected feature…"), tr("Open the code form of the selected feature"),
             self.open_code_form, False),
            None,
            ("citycode_batch", QgsApplication.getThemeIcon("/mActionStart.svg"), tr("Batch assign…"),
             tr("Code a layer in the background with the registry and profile from the settings; the coded "
                "layer is added with its codes as labels"), self.open_batch, True),
            ("citycode_assigncodes", QIcon(ICON_PATH), tr("Assign codes (Processing dialog)…"),
             tr("Give buildings or projects unified city codes in one batch"), algorithm("citycode:assigncodes"),
             True),
            ("citycode_vintagereview", QgsApplication.getThemeIcon("/mActionNewMap.svg"),
             tr("Review a vintage update…"),
             tr("Match a new building survey to last year's coded buildings, review the changes, then carry, issue "
                "and retire codes"), self.open_vintage_review, False),
            ("citycode_overlaycheck", QgsApplication.getThemeIcon("/algorithms/mAlgorithmIntersect.svg"),
             tr("Check against planning layers…"),
             tr("Check features against planning layers (red lines, farmland, development boundary)"),
             algorithm("citycode:overlaycheck"), True),
            ("citycode_validatecodes", QgsApplication.getThemeIcon("/algorithms/mAlgorithmCheckGeometry.svg"),
             tr("Validate codes…"), tr("Check existing codes against their profile and check character"),
             algorithm("citycode:validatecodes"), True),
            None,
            ("citycode_codepoints", QgsApplication.getThemeIcon("/mActionCapturePoint.svg"),
             tr("Code monitoring points…"),
             tr("Import monitoring points from a file or layer, code them, place them in divisions and planning "
                "zones and sample rasters, in one pass"), algorithm("citycode:codepoints"), False),
            ("citycode_importpoints", QgsApplication.getThemeIcon("/mActionAddDelimitedTextLayer.svg"),
             tr("Import monitoring points…"),
             tr("Read points from CSV, Excel, GeoJSON, GeoPackage or Shapefile; rows that cannot be read are "
                "listed with their line numbers"), algorithm("citycode:importpoints"), False),
            ("citycode_samplerasters", QgsApplication.getThemeIcon("/mActionIdentify.svg"),
             tr("Sample rasters at points…"), tr("Add the values of raster layers at points (nodata left empty)"),
             algorithm("citycode:samplerasters"), False),
            ("citycode_importobservations", QgsApplication.getThemeIcon("/mActionAddTable.svg"),
             tr("Import observations…"),
             tr("Import the time series measured at monitoring points, with thresholds and exceedances"),
             algorithm("citycode:importobservations"), False),
            ("citycode_exportobservations", QgsApplication.getThemeIcon("/mActionFileSaveAs.svg"),
             tr("Export observations…"), tr("Write the observations of the registry to CSV or Excel"),
             algorithm("citycode:exportobservations"), False),
            None,
            ("citycode_exportcodedmap", QgsApplication.getThemeIcon("/mActionNewLayout.svg"),
             tr("Print coded map, atlas or code cards…"),
             tr("PDF or PNG: one map, one page per division, or a card with QR code per feature"),
             algorithm("citycode:exportcodedmap"), True),
            ("citycode_exportcodes", QgsApplication.getThemeIcon("/mActionFileSaveAs.svg"),
             tr("Export coded data…"),
             tr("GeoPackage, Shapefile (UTF-8 or GBK), CSV, Excel or GeoJSON that other systems read back"),
             algorithm("citycode:exportcodes"), False),
            None,
            ("citycode_checkout", QgsApplication.getThemeIcon("/mActionFileSave.svg"),
             tr("Check out a field package…"),
             tr("One GeoPackage for work without network: the area's features, divisions, planning layers and "
                "reserved code numbers"), algorithm("citycode:checkout"), False),
            ("citycode_checkin", QgsApplication.getThemeIcon("/mActionFileOpen.svg"),
             tr("Check in a field package…"),
             tr("Merge the codes, edits and retirements made offline back into the shared registry"),
             algorithm("citycode:checkin"), False),
            ("citycode_conflicts", QgsApplication.getThemeIcon("/mIconWarning.svg"), tr("Field package conflicts…"),
             tr("Changes made both offline and in the registry: see both versions and choose one"),
             self.open_conflicts, False),
            None,
            ("citycode_settings", QgsApplication.getThemeIcon("/mActionOptions.svg"), tr("Settings…"),
             tr("Registry location, code profiles, default year, issuing unit, planning layer sources"),
             self.open_settings, False),
        ]

    def _add_action(self, name, icon, text, tip, callback, on_toolbar):
        action = QAction(icon, text, self.iface.mainWindow())
        action.setObjectName(name)
        action.setToolTip(tip)
        action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: callback())
        self.menu.addAction(action)
        if on_toolbar:
            self.toolbar.addAction(action)
        self.actions.append(action)
        return action

    def _register_locator(self):
        from .gui.locator import CityCodeLocatorFilter

        if hasattr(self.iface, "registerLocatorFilter"):  # test stubs of QgisInterface lack it
            self.locator_filter = CityCodeLocatorFilter(self.iface)
            self.iface.registerLocatorFilter(self.locator_filter)

    def _deregister_locator(self):
        if self.locator_filter is not None:
            self.iface.deregisterLocatorFilter(self.locator_filter)
            self.locator_filter = None

    def open_batch(self):
        """The batch dialog; the coding itself runs as a task (see gui/batch.py)."""
        from .gui.batch import open_batch_dialog

        self.initProcessing()
        open_batch_dialog(self.iface)

    def _find_action(self, name):
        return next(a for a in self.actions if a.objectName() == name)

    def _code_tool_module(self):
        """gui.code_tool needs shapely 2; without it the message says what to install instead of failing."""
        try:
            from .gui import code_tool
            return code_tool
        except ImportError as err:
            from .core.speedups import missing_message
            self.iface.messageBar().pushWarning(tr("CityCode"), missing_message() or str(err))
            return None

    def _start_coding_at_birth(self):
        code_tool = self._code_tool_module()
        if code_tool is not None:
            self.coding_at_birth = code_tool.CodingAtBirth(self.iface)
            self.coding_at_birth.start()

    def activate_code_tool(self):
        code_tool = self._code_tool_module()
        action = self._find_action("citycode_codetool")
        if code_tool is None:
            action.setChecked(False)
            return
        if self.code_tool is None:
            self.code_tool = code_tool.CodeMapTool(self.iface)
            self.code_tool.setAction(action)  # unchecked when the user picks another map tool
        self.iface.mapCanvas().setMapTool(self.code_tool)

    def open_code_form(self):
        code_tool = self._code_tool_module()
        if code_tool is not None:
            code_tool.open_code_form_for_selection(self.iface)

    def _offer_speedups(self):
        """Once per session, when speed-ups are missing: say what CityCode uses instead (message bar and log) and
        offer to install them. Not when CITYCODE_SPEEDUPS chose which to use."""
        from .core import speedup_install, speedups

        app = QCoreApplication.instance()
        if speedups.ALLOWED is not None or app.property(SPEEDUPS_OFFERED):
            return
        message = speedup_install.status_message()
        if not message:
            return
        app.setProperty(SPEEDUPS_OFFERED, True)
        QgsMessageLog.logMessage(message, "CityCode", Qgis.MessageLevel.Info)
        bar = self.iface.messageBar()
        if not hasattr(bar, "pushItem"):  # test stubs of QgisInterface have a bare message bar
            bar.pushMessage(tr("CityCode"), message, Qgis.MessageLevel.Info, OFFER_SECONDS)
            return
        item = QgsMessageBarItem(tr("CityCode"), message, Qgis.MessageLevel.Info, OFFER_SECONDS)
        button = QPushButton(tr("Install speed-ups…"), item)
        button.setObjectName("citycode_install_speedups")
        button.clicked.connect(self.open_speedups)
        item.layout().addWidget(button)
        bar.pushItem(item)

    def open_speedups(self):
        from .gui.speedups_dialog import SpeedupsDialog

        self.speedups_dialog = SpeedupsDialog(self.iface.mainWindow())
        self.speedups_dialog.open()

    def open_planning(self):
        from .gui.planning_dialog import open_planning_dialog

        open_planning_dialog(self.iface)

    def open_conflicts(self):
        from .gui.conflicts_dialog import show_conflicts

        show_conflicts(self.iface)

    def open_vintage_review(self):
        from .gui.vintage_review import open_vintage_review

        self.vintage_review = open_vintage_review(self.iface)

    def open_settings(self):
        from .gui.settings_dialog import open_settings_dialog

        open_settings_dialog(self.iface)

    def open_algorithm(self, algorithm_id):
        """Open the Processing dialog of one of our algorithms."""
        try:
            import processing  # QGIS's Processing plugin, not our plugin.processing package

            processing.execAlgorithmDialog(algorithm_id)
        except (ImportError, QgsProcessingException) as err:
            self.iface.messageBar().pushMessage(
                tr("CityCode"), tr("Cannot open the algorithm {}: {}").format(algorithm_id, err),
                Qgis.MessageLevel.Warning, 0)

    def unload(self):
        self._deregister_locator()
        if self.coding_at_birth is not None:
            self.coding_at_birth.stop()
            self.coding_at_birth = None
        if self.code_tool is not None:
            self.iface.mapCanvas().unsetMapTool(self.code_tool)
            self.code_tool = None
        if self.actions:  # the GUI was set up, so batch runs may be going
            from .gui.batch import cancel_all

            cancel_all()
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
