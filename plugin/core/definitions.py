"""Names shared across the plugin: where its files are, and the fields coded layers carry.

The bottom of the core: it imports nothing of the plugin, so every module may import it.
"""
import os

PLUGIN_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RESOURCES_DIR = os.path.join(PLUGIN_DIR, "resources")
ICON_PATH = os.path.join(RESOURCES_DIR, "icons", "citycode.svg")

CODE_FIELD = "citycode"  # the code field of coded layers (engine output, code form, exports, locator)
NAME_FIELD = "name"
