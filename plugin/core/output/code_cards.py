"""Code cards: one A5 page per chosen building/project with its code, name, division, planning overlaps,
linked codes, a small map and a QR code, headless.

The cards are an atlas over a memory layer made here, one feature per card, with the text the card shows and
the path of its QR code: an SVG written by the vendored segno, drawn by a picture item as vectors, so it stays
sharp in the PDF.
"""
import os
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Dict, List, Optional, Sequence

from qgis.core import QgsFeature, QgsFeatureRequest, QgsGeometry, QgsVectorLayer

from ..definitions import NAME_FIELD
from ..engine.feature_analysis import LINK_KINDS, analyse
from ..engine.layers import qgs_field
from ..i18n import tr
from .layouts import MapError, text_value
from .map_styles import DIVISION_DIGITS, outline, rule_renderer

if TYPE_CHECKING:
    from .documents import MapInputs

# Card coverage fields (the card template's labels and QR picture refer to them).
CARD_FIELDS = ("card_code", "card_name", "card_division", "card_overlaps", "card_links", "card_qr")
LINK_LABELS = {"bdcdyh": "不动产单元号", "uscc": "统一社会信用代码", "xmdm": "投资项目代码"}


def qr_text(code: str, url_template: str = "") -> str:
    """What the QR code holds: the code, or the URL template with {code} replaced (code appended when the
    template has no {code})."""
    template = (url_template or "").strip()
    if not template:
        return code
    return template.replace("{code}", code) if "{code}" in template else template + code


def qr_code(text: str):
    """A segno QR code (never a Micro QR: phone scanners often cannot read those), error level M."""
    from ...vendor import segno

    return segno.make(text, error="m", micro=False, boost_error=False)


def write_qr_svg(text: str, path: str) -> str:
    """The QR code of `text` as an SVG file (4-module quiet zone, as the standard asks)."""
    qr_code(text).save(path, kind="svg", border=4, scale=10, dark="#000000", light="#ffffff",
                       xmldecl=True, svgns=True)
    return path


@dataclass
class CardRow:
    code: str
    name: str
    division: str
    division_name: str
    overlaps: List[tuple]        # (planning layer label, area m², share 0..1)
    links: Dict[str, str]        # link kind -> value (only those present)
    geometry: QgsGeometry


def card_rows(inputs: "MapInputs", layers: Dict[str, QgsVectorLayer], plan_layers: Sequence[QgsVectorLayer],
              codes: Optional[Sequence[str]] = None, warnings: Optional[List[str]] = None,
              division: str = "") -> List[CardRow]:
    """What each card shows, for the features whose code is in `codes` (None: every coded feature), of
    `division` only when one is given."""
    buildings = layers["buildings"]
    fields = buildings.fields().names()
    wanted = None if codes is None else {c.strip() for c in codes if c and c.strip()}
    names = {}
    if "divisions" in layers:
        div = layers["divisions"]
        name_field = inputs.name_field(div)
        request = QgsFeatureRequest().setFlags(QgsFeatureRequest.Flag.NoGeometry)
        names = {text_value(f[inputs.division_field]): text_value(f[name_field]) for f in div.getFeatures(request)}
    rows, seen = [], set()
    for feature in buildings.getFeatures():
        code = text_value(feature[inputs.code_field])
        if not code or (wanted is not None and code not in wanted) or code in seen:
            continue
        feature_division = text_value(feature["division"]) if "division" in fields else code[:DIVISION_DIGITS]
        if division and feature_division != division:
            continue
        seen.add(code)
        facts = analyse(feature.geometry(), buildings.crs(), None, "", plan_layers)
        rows.append(CardRow(
            code=code, name=text_value(feature[NAME_FIELD]) if NAME_FIELD in fields else "",
            division=feature_division, division_name=names.get(feature_division, ""),
            overlaps=[(o.layer, o.area, o.share) for o in facts.overlaps],
            links={k: text_value(feature[k]) for k in LINK_KINDS if k in fields and text_value(feature[k])},
            geometry=QgsGeometry(feature.geometry())))
    if wanted is not None and wanted - seen and warnings is not None:
        warnings.append(tr("Codes not found in the layer: {}").format(", ".join(sorted(wanted - seen))))
    if not rows:
        raise MapError(tr("No coded feature of division {} to make a card for").format(division) if division
                       else tr("No coded feature to make a card for"))
    return sorted(rows, key=lambda r: r.code)


def overlaps_text(overlaps) -> str:
    if not overlaps:
        return "未提供规划图层"
    return "\n".join("{}：{}".format(label, "{:.1f}%，{:,.0f} m²".format(share * 100, area) if area > 0 else "无")
                     for label, area, share in overlaps)


def links_text(links: Dict[str, str]) -> str:
    return "\n".join("{}：{}".format(LINK_LABELS.get(k, k), v) for k, v in links.items()) or "无"


def cards_layer(rows: Sequence[CardRow], crs, qr_folder: str, qr_url: str) -> QgsVectorLayer:
    """The cards' atlas coverage: a feature per row with the card's texts and the path of its QR code (written
    into qr_folder), the card's own feature outlined in red on its map."""
    from qgis.core import QgsWkbTypes

    os.makedirs(qr_folder, exist_ok=True)
    geometry_type = QgsWkbTypes.displayString(rows[0].geometry.wkbType()) if rows else "Polygon"
    layer = QgsVectorLayer("{}?crs={}".format(geometry_type, crs.authid() or "EPSG:4490"), "cards", "memory")
    if not crs.authid():
        layer.setCrs(crs)
    layer.dataProvider().addAttributes([qgs_field(n, "String") for n in CARD_FIELDS])
    layer.updateFields()
    features = []
    for row in rows:
        qr_path = os.path.join(qr_folder, re.sub(r"[^0-9A-Za-z_-]", "_", row.code) + ".svg")
        write_qr_svg(qr_text(row.code, qr_url), qr_path)
        division = "{}（{}）".format(row.division_name, row.division) if row.division_name else row.division
        feature = QgsFeature(layer.fields())
        feature.setAttributes([row.code, row.name or None, division, overlaps_text(row.overlaps),
                               links_text(row.links), qr_path])
        feature.setGeometry(row.geometry)
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    layer.updateExtents()
    layer.setRenderer(rule_renderer([("", "$id = @atlas_featureid", outline("#e00000", 0.8))]))
    return layer
