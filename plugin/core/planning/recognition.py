"""Recognition: which planning kind a layer is (三区三线 control line, 用地用海, planning raster), how sure and why.

- What a layer is comes from evidence, each piece with a score: its name (Chinese names, pinyin initials,
  English), its title/alias, its field names (those of the national 三区三线 delivery databases: HXBM/HXMC/HXLX
  for 生态保护红线, YJJBNTTBBH/YJJBNTMJ for 永久基本农田) and the values in its fields (用地用海 codes per the 2023
  classification, "城镇集中建设区" for the planning zones inside the 城镇开发边界, a kind's Chinese name in a type
  field).
- A 用地用海 layer is recognised by a field whose values are codes of the classification table, whatever the
  field is called; integer fields that lost the leading zero (101 for 0101) count too.
- A raster is recognised by the same evidence: its name and title, and its cells: a raster whose cell values
  are 用地用海 codes (0101 stored as 101), or with a raster attribute table holding the codes, is a 用地用海
  raster; 0/1 cells make a 三区三线 mask more likely. A raster only named like a planning layer is a "planning
  raster" (loaded as is).
"""
import os
import re
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

from qgis.core import QgsMapLayer

from ..i18n import tr
from .sources import CELL_VALUES, LayerInfo, describe_layer
from .standard import (
    CZKFBJ,
    KINDS,
    NONE,
    RASTER,
    ROOT_GROUP,
    SQSX_GROUP,
    SQSX_KINDS,
    STBHHX,
    STYLE_FILES,
    STYLES_DIR,
    YDYH,
    YDYH_GROUP,
    YJJBNT,
    kind_label,
    normalise_code,
    ydyh_codes,
)

YDYH_SHARE = 0.9        # share of a field's distinct values that must be 用地用海 codes

# Names, as they appear in layer names and titles (compared without case, spaces, "_", "-", ".").
NAME_PATTERNS = {
    STBHHX: ("生态保护红线", "生态红线", "stbhhx", "sthx", "stbh", "ecologicalprotectionredline",
             "ecologicalredline", "ecoredline"),
    YJJBNT: ("永久基本农田", "基本农田", "yjjbnt", "jbnt", "permanentbasicfarmland", "basicfarmland"),
    CZKFBJ: ("城镇开发边界", "czkfbj", "kfbj", "urbandevelopmentboundary"),
    YDYH: ("用地用海", "规划用地", "土地利用规划", "用地规划", "规划地类", "ydyh", "ghyd", "landuseplan"),
}
# Names that look like a kind but are something else: 基本农田储备区 (reserve), 村庄开发边界 (villages).
NAME_EXCLUDED = {YJJBNT: ("储备",), CZKFBJ: ("村庄",)}
RASTER_PATTERNS = ("规划", "用地", "用海", "三区三线", "红线", "农田", "开发边界", "ydyh", "ghyd", "planning")

# Field names of the 三区三线 delivery databases (upper case), with their Chinese aliases.
FIELD_EVIDENCE = {
    STBHHX: ("HXBM", "HXMC", "HXLX", "红线编码", "红线名称", "红线类型"),
    YJJBNT: ("YJJBNTTBBH", "YJJBNTTBMJ", "YJJBNTMJ", "JBNTTBBH", "JBNTMJ", "永久基本农田图斑编号",
             "基本农田图斑编号", "永久基本农田面积"),
}
# Field values: the planning zones (规划分区) of the area inside the 城镇开发边界, and the kinds' own names.
VALUE_EVIDENCE = {
    CZKFBJ: ("城镇集中建设区", "城镇弹性发展区", "特别用途区", "城镇开发边界"),
    STBHHX: ("生态保护红线",),
    YJJBNT: ("永久基本农田",),
}
# Usual names of the 用地用海 code field, preferred when several fields hold codes.
YDYH_FIELDS = ("YDYHFLDM", "YDYHDM", "GHYDDM", "GHDLBM", "YDDM", "YDYHEJLDM", "DLBM", "用地用海代码",
               "用地用海分类代码", "规划地类编码", "地类编码")


@dataclass
class PlanItem:
    """One layer of a plan: what it is, where it goes, how sure and why. `kind` may be corrected by the user."""
    info: LayerInfo
    kind: str
    confidence: float
    why: str
    code_field: Optional[str] = None  # the field holding 用地用海 codes, if any
    code_padded: bool = False         # its codes lost the leading zero (integer field)
    load: bool = True

    @property
    def group(self) -> Tuple[str, ...]:
        if self.kind in SQSX_KINDS:
            return ROOT_GROUP, SQSX_GROUP
        if self.kind == YDYH:
            return ROOT_GROUP, YDYH_GROUP
        return (ROOT_GROUP,) if self.kind == RASTER else ()

    @property
    def style(self) -> Optional[str]:
        """The QML of a vector layer's kind (rasters get a renderer made from their cells)."""
        name = STYLE_FILES.get(self.kind) if self.info.layer_type == "vector" else None
        return os.path.join(STYLES_DIR, name) if name else None



def _squash(text: str) -> str:
    return re.sub(r"[\s_\-.·/()（）]+", "", text or "").lower()


def _name_kinds(text: str) -> List[Tuple[str, str]]:
    """(kind, matched pattern) for the planning kinds a name or title mentions."""
    squashed = _squash(text)
    found = []
    for kind, patterns in NAME_PATTERNS.items():
        if any(x in squashed for x in NAME_EXCLUDED.get(kind, ())):
            continue
        hit = next((p for p in patterns if p in squashed), None)
        if hit:
            found.append((kind, hit))
    return found


def find_code_field(info: LayerInfo) -> Tuple[Optional[str], float, bool]:
    """(the field whose values are 用地用海 codes, the share of its distinct values that are codes, whether
    the codes lost their leading zero). A field qualifies with at least YDYH_SHARE of its values codes and at
    least one code below the first level (a field of small numbers 1-24 is not a code field)."""
    codes = ydyh_codes()
    known = {n.upper() for n in YDYH_FIELDS}
    best = (None, 0.0, False)
    best_key = (False, 0.0)
    for name, values in info.values.items():
        normalised = [normalise_code(v) for v in values]
        hits = [c for c in normalised if c in codes]
        if not hits or not any(len(c) >= 4 for c in hits):
            continue
        share = len(hits) / len(values)
        if share < YDYH_SHARE:
            continue
        key = ((name.upper() in known or info.fields.get(name, "").upper() in known), share)
        if key > best_key:
            padded = any(c != v.strip() for c, v in zip(normalised, values) if c in codes)
            best, best_key = (name, share, padded), key
    return best


def recognise(info: LayerInfo) -> PlanItem:
    """What the layer is, how sure (0-1) and why, from its name, title, fields and values."""
    evidence: Dict[str, List[Tuple[float, str]]] = {}

    def add(kind, score, why):
        evidence.setdefault(kind, []).append((score, why))

    for kind, hit in _name_kinds(info.name):
        add(kind, 0.9, tr("layer name '{}' matches '{}'").format(info.name, hit))
    if info.title:
        for kind, hit in _name_kinds(info.title):
            add(kind, 0.8, tr("title '{}' matches '{}'").format(info.title, hit))

    upper = {n.upper(): n for n in info.fields}
    upper.update({a.upper(): n for n, a in info.fields.items() if a})
    for kind, names in FIELD_EVIDENCE.items():
        present = sorted({upper[n.upper()] for n in names if n.upper() in upper})
        if present:
            add(kind, 0.7, tr("fields {} are those of a {} layer in the 三区三线 database")
                .format(", ".join(present), kind_label(kind)))

    for kind, words in VALUE_EVIDENCE.items():
        for name, values in info.values.items():
            hit = next((v for v in values if any(w in v for w in words)), None)
            if hit and sum(1 for v in values if any(w in v for w in words)) * 2 >= len(values):
                add(kind, 0.6, tr("field {} holds values such as '{}'").format(name, hit))
                break

    code_field, share, padded = find_code_field(info)
    if code_field:
        distinct = len(info.values[code_field])
        score = 0.5 + 0.3 * share + (0.1 if code_field.upper() in {n.upper() for n in YDYH_FIELDS} else 0) \
            - (0.15 if distinct < 3 else 0)
        examples = ", ".join(info.values[code_field][:3])
        if code_field == CELL_VALUES:
            why = tr("{share:.0%} of the cell values are 用地用海 codes (e.g. {examples})")
        else:
            why = tr("{share:.0%} of the values of field {field} are 用地用海 codes (e.g. {examples})")
        add(YDYH, round(score, 2), why.format(share=share, field=code_field, examples=examples))
    elif YDYH in evidence:
        but = tr("but its cells are not 用地用海 codes, so it cannot be coloured by class") \
            if info.layer_type == "raster" else tr("but no field holds 用地用海 codes, so the style cannot colour it")
        evidence[YDYH] = [(0.4, why + "; " + but) for _, why in evidence[YDYH]]

    if info.layer_type == "raster":
        if info.cells and set(info.cells) <= {0, 1}:
            for kind in set(evidence) & set(SQSX_KINDS):
                add(kind, 0.5, tr("its cells are 0 and 1: a mask"))
        if not any(s >= 0.5 for ev in evidence.values() for s, _ in ev):
            squashed = _squash(info.name + info.title)
            hit = next((p for p in RASTER_PATTERNS if p in squashed), None)
            if hit:
                add(RASTER, 0.7, tr("raster named like a planning layer ('{}')").format(hit))
        if not evidence:
            return PlanItem(info, NONE, 0.0, tr("nothing in its name, title or cell values marks this raster as "
                                                "a planning layer"), load=False)
    if not evidence:
        return PlanItem(info, NONE, 0.0, tr("nothing in its name, title, fields or values marks it as a planning "
                                            "layer"), code_field=code_field, code_padded=padded, load=False)
    scored = {k: min(0.99, max(s for s, _ in ev) + 0.05 * (len(ev) - 1)) for k, ev in evidence.items()}
    kind = max(scored, key=lambda k: (scored[k], -KINDS.index(k)))
    reasons = [why for _, why in sorted(evidence[kind], reverse=True)]
    others = [k for k in scored if k != kind]
    if others:
        reasons.append(tr("also looks like: {}").format(", ".join(kind_label(k) for k in others)))
    return PlanItem(info, kind, round(scored[kind], 2), "; ".join(reasons), code_field=code_field,
                    code_padded=padded, load=scored[kind] >= 0.5)


def make_plan(infos: Sequence[LayerInfo]) -> List[PlanItem]:
    return [recognise(i) if not i.error else PlanItem(i, NONE, 0.0, i.error, load=False) for i in infos]


def layer_kind(layer: QgsMapLayer) -> str:
    """The planning kind `layer` is recognised as (by name, title, fields and values), NONE when it is none."""
    item = recognise(describe_layer(layer))
    return item.kind if item.load else NONE
