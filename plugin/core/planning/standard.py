"""The 三区三线 and 用地用海 standard as CityCode draws it: the planning kinds, the 用地用海 classification table
(2023, with colours), the QML style of each kind and the layer groups planning layers go in.

- The kinds: 生态保护红线 (STBHHX), 永久基本农田 (YJJBNT), 城镇开发边界 (CZKFBJ), 用地用海 (YDYH), and a raster only
  named like a planning layer (RASTER).
- The classification table is resources/styles/ydyh_classes.csv (scripts/make_styles.py writes ydyh.qml from it):
  code, name, parent class, level and colour; integer fields lose the leading zero of a code (101 for 0101),
  normalise_code puts it back.
"""
import csv
import os
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

from ..definitions import RESOURCES_DIR
from ..i18n import tr

STYLES_DIR = os.path.join(RESOURCES_DIR, "styles")
CLASSES_CSV = os.path.join(STYLES_DIR, "ydyh_classes.csv")

STBHHX, YJJBNT, CZKFBJ, YDYH, RASTER = "stbhhx", "yjjbnt", "czkfbj", "ydyh", "raster"
NONE = ""  # not a planning layer
KINDS = (STBHHX, YJJBNT, CZKFBJ, YDYH, RASTER)
SQSX_KINDS = (STBHHX, YJJBNT, CZKFBJ)

ROOT_GROUP = "规划图层 / Planning"
HAND_GROUPS = ("规划图层", "Planning")  # what people call the group when they make it by hand
SQSX_GROUP = "三区三线"
YDYH_GROUP = "用地用海"
STYLE_FILES = {STBHHX: "stbhhx.qml", YJJBNT: "yjjbnt.qml", CZKFBJ: "czkfbj.qml", YDYH: "ydyh.qml"}
YDYH_STYLE_FIELD = "YDYHFLDM"  # the field ydyh.qml classifies on (scripts/make_styles.py)
# Drawing order in the group, top first: the boundary outline over the red line over the farmland over
# the (opaque) land use fills, rasters at the bottom (and below the vectors of their kind).
DRAW_ORDER = (CZKFBJ, STBHHX, YJJBNT, YDYH, RASTER)
# The colour each 三区三线 kind is known by (the outline of its vector style; a mask raster's cells).
SQSX_COLOURS = {STBHHX: (230, 0, 0), YJJBNT: (190, 140, 0), CZKFBJ: (150, 40, 200)}
MASK_ALPHA = 130  # a mask raster lets what lies under it show through


def kind_label(kind: str) -> str:
    return {
        STBHHX: tr("Ecological protection red line"),
        YJJBNT: tr("Permanent basic farmland"),
        CZKFBJ: tr("Urban development boundary"),
        YDYH: tr("Land and sea use"),
        RASTER: tr("Planning raster"),
    }.get(kind, tr("Not a planning layer"))


# -- the classification table ------------------------------------------------------------------------------
@dataclass(frozen=True)
class YdyhClass:
    code: str
    name: str
    parent: str  # "" for the 24 first-level classes
    level: int
    rgb: Tuple[int, int, int]
    colour_source: str  # "official" (制图规范 附录 B), "official_parent" (its parent's official colour),
    # "palette" (ours, for the few first-level classes the table does not list) or "derived" (a shade of it)


_CLASSES: Dict[str, List[YdyhClass]] = {}


def ydyh_classes(path: str = CLASSES_CSV) -> List[YdyhClass]:
    """The 用地用海 classification (2023) with colours, in table order."""
    if path not in _CLASSES:
        with open(path, encoding="utf-8", newline="") as f:
            _CLASSES[path] = [YdyhClass(code=r["code"], name=r["name"], parent=r["parent"], level=int(r["level"]),
                                        rgb=(int(r["r"]), int(r["g"]), int(r["b"])),
                                        colour_source=r["colour_source"])
                              for r in csv.DictReader(f)]
    return _CLASSES[path]


def ydyh_codes() -> Dict[str, str]:
    """code -> name."""
    return {c.code: c.name for c in ydyh_classes()}


def normalise_code(value) -> Optional[str]:
    """A field value as a 用地用海 code candidate: digits with the leading zero an integer field lost
    (101 -> "0101", 70101 -> "070101"); None for anything that is not digits."""
    if value is None:
        return None
    text = str(value).strip()
    if not text.isdigit() or len(text) > 6:
        return None
    return "0" + text if len(text) % 2 else text
