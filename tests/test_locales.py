"""Every Chinese locale QGIS uses gets the Chinese UI; the menu bar entry reads "城市码 CityCode" in every language."""
import os

import pytest
from qgis.core import QgsApplication, QgsSettings
from qgis.PyQt.QtCore import QCoreApplication, QEvent, QRect

from citycode.plugin.citycode_plugin import MENU_OBJECT_NAME, MENU_TITLE, find_translation
from conftest import PROVIDER_ID, ROOT, ensure_citycode_provider

ZH_QM = str(ROOT / "i18n" / "citycode_zh_CN.qm")
SCREENSHOTS = ROOT / "docs" / "screenshots"
# "zh-Hans" is what QGIS's 简体中文 choice stores; the others come from systems, older QGIS and Qt.
CHINESE = ["zh-Hans", "zh_CN", "zh-CN", "zh", "zh_Hans_CN", "zh-Hans-CN", "zh_SG", "zh_CN.UTF-8", "ZH_cn", "zh-Hant",
           "zh_TW"]
OTHERS = ["en_US", "en", "de_DE", "fr", "C", "", "z", "_CN"]


@pytest.mark.parametrize("locale", CHINESE)
def test_chinese_locales_find_the_chinese_catalogue(locale):
    assert os.path.samefile(find_translation(locale), ZH_QM)


@pytest.mark.parametrize("locale", OTHERS)
def test_other_locales_stay_english(locale):
    assert find_translation(locale) == ""


@pytest.fixture
def plugin_in(qgis_iface):
    """Start the plugin in a QGIS set to a locale (as QGIS's Options › General › Override system locale does)."""
    import citycode

    settings = QgsSettings()
    old = settings.value("locale/userLocale", "")
    registry = QgsApplication.processingRegistry()
    had_provider = registry.providerById(PROVIDER_ID) is not None
    if had_provider:  # the session's provider: the plugin registers its own, translated
        registry.removeProvider(PROVIDER_ID)
    started = []

    def start(locale):
        settings.setValue("locale/userLocale", locale)
        plugin = citycode.classFactory(qgis_iface)
        plugin.initGui()
        started.append(plugin)
        menu = next(a.menu() for a in qgis_iface.mainWindow().menuBar().actions()
                    if a.menu() is not None and a.menu().objectName() == MENU_OBJECT_NAME)
        return plugin, menu

    yield start
    for plugin in started:
        plugin.unload()
    settings.setValue("locale/userLocale", old)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    if had_provider:
        ensure_citycode_provider()


@pytest.mark.parametrize("locale", ["zh-Hans", "zh_CN", "zh-CN", "zh"])
def test_plugin_speaks_chinese_in_every_chinese_locale(plugin_in, locale):
    from citycode.plugin.core.i18n import tr

    plugin, menu = plugin_in(locale)
    assert menu.title() == MENU_TITLE == "城市码 CityCode"
    assert menu.icon().isNull()  # a menu bar shows a menu's icon instead of its title
    texts = {a.objectName(): a.text() for a in menu.actions()}
    assert texts["citycode_batch"] == tr("Batch assign…") == "批量赋码…"
    algorithm = QgsApplication.processingRegistry().algorithmById("citycode:validatecodes")
    assert algorithm.displayName() == "编码校验"


def test_menu_bar_entry_reads_its_name_in_english_too(plugin_in, qgis_iface):
    plugin, menu = plugin_in("en_US")
    assert menu.title() == "城市码 CityCode"
    assert {a.text() for a in menu.actions()} >= {"Batch assign…", "Settings…"}


def test_menu_bar_screenshot(plugin_in, qgis_iface):
    """The menu bar as a user of QGIS in 简体中文 sees it, with the CityCode menu open."""
    from qgis.PyQt.QtGui import QPainter, QPixmap

    window = qgis_iface.mainWindow()
    bar = window.menuBar()
    old_size = window.size()
    added = [bar.addMenu(title) for title in ("项目(&J)", "编辑(&E)", "视图(&V)", "图层(&L)", "设置(&S)", "插件(&P)")]
    try:
        plugin, menu = plugin_in("zh-Hans")
        bar.addAction(menu.menuAction())  # after QGIS's menus, before 帮助, as QGIS places it
        added.append(bar.addMenu("帮助(&H)"))
        window.resize(1600, 600)  # room for every entry (the picture is cut to what they take)
        window.layout().activate()
        entry = bar.actionGeometry(menu.menuAction())
        assert entry.width() > bar.fontMetrics().horizontalAdvance("CityCode"), "the entry shows no title"
        menu.resize(menu.sizeHint())
        menu_picture = menu.grab()
        bar_picture = bar.grab(QRect(0, 0, bar.actionGeometry(bar.actions()[-1]).right() + 12, bar.height()))
        canvas = QPixmap(max(bar_picture.width(), entry.left() + menu_picture.width()),
                         bar_picture.height() + menu_picture.height())
        canvas.fill(window.palette().window().color())
        painter = QPainter(canvas)
        painter.drawPixmap(0, 0, bar_picture)
        painter.drawPixmap(entry.left(), bar_picture.height(), menu_picture)
        painter.end()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        assert canvas.save(str(SCREENSHOTS / "menu_zh.png"))
    finally:
        for added_menu in added:
            bar.removeAction(added_menu.menuAction())
        window.resize(old_size)


@pytest.fixture
def zh_cn(qgis_app):
    from qgis.PyQt.QtCore import QTranslator

    translator = QTranslator()
    assert translator.load(ZH_QM)
    QCoreApplication.installTranslator(translator)
    yield
    QCoreApplication.removeTranslator(translator)


def test_processing_options_are_shown_in_chinese_and_taken_by_name(zh_cn):
    from citycode.plugin.processing.base import ENUM_NAMES
    from citycode.plugin.processing.export_codes import ExportCodesAlgorithm
    from citycode.plugin.processing.export_coded_map import ExportCodedMapAlgorithm

    alg = ExportCodesAlgorithm()
    alg.initAlgorithm()
    fmt = alg.parameterDefinition("FORMAT")
    assert fmt.options() == ["GeoPackage", "Shapefile", "CSV（带 BOM 的 UTF-8，可用 Excel 直接打开）",
                             "Excel 工作簿（XLSX）", "GeoJSON（RFC 7946，WGS84）"]
    assert fmt.metadata()[ENUM_NAMES] == ["gpkg", "shp", "csv", "xlsx", "geojson"]
    assert fmt.defaultValue() == 0
    for given in ("xlsx", 3, "3", "Excel 工作簿（XLSX）"):  # scripts' names, help's numbers, the label shown
        assert alg.enum_choice(fmt, given) == 3
    maps = ExportCodedMapAlgorithm()
    maps.initAlgorithm()
    assert maps.parameterDefinition("MODE").options() == ["单幅地图", "图集（每个行政区划一页）", "带二维码的编码卡"]
    assert "A4 横向" in maps.parameterDefinition("TEMPLATE").options()


def test_history_actions_in_chinese(zh_cn):
    from citycode.plugin.gui.code_history import detail_text, history_word

    assert [history_word(a) for a in ("issue", "update", "retire", "split_from", "merged_from", "resolve")] == \
        ["已发放", "已修改", "已注销", "拆分自", "合并自", "冲突已处理"]
    assert history_word("a_future_action") == "a_future_action"
    assert detail_text('{"reason": "拆除"}') == "原因: 拆除"
