"""CityCode QGIS plugin: unified city codes for buildings and major projects (落图+赋码)."""


def classFactory(iface):  # noqa: N802 (name required by QGIS)
    """QGIS entry point: build the plugin object. Imports stay lazy so loading the package is cheap."""
    from .plugin.citycode_plugin import CityCodePlugin

    return CityCodePlugin(iface)
