"""One feature as the code form sees it, without a screen: what the form shows before anything is coded.

- `analyse`: the division a feature falls in (largest share of its area, straddlers with their shares,
  outside with a reason) and its overlap with every planning layer (m², share), with the engine's own
  geometry functions on a one-element array, so a feature gets the same division here as in a batch;
- `check_links`: the linked national codes (不动产单元号, 统一社会信用代码, 投资项目代码) validated;
- `feature_identity`, `feature_year`, `feature_kind`, `profile_for_layer`: what the feature's own values give
  its code: the identity a batch run over the layer gives it (its dataset namespace + id, else the geometry
  fingerprint), its year, its kind, and the profile its layer is coded with.
"""
import os
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeatureRequest,
    QgsGeometry,
    QgsProject,
    QgsProviderRegistry,
    QgsVectorLayer,
    QgsWkbTypes,
)

from ..registry import datasets
from ..china.crs import area_crs_wkt
from .buildings import BuildingGeometry
from .geometry import backend
from .geometry_types import SLIVER_M2
from ..i18n import tr
from .identities import identities, leading_int
from .layers import LayerInput, Table
from ..codes.profiles import YEAR_RANGE, load_profile
from ..codes.validation import validate_values
from ..exceptions import CityCodeError

LINK_KINDS = ("bdcdyh", "uscc", "xmdm")  # also the names of the layer fields that hold them


class FeatureCodingError(CityCodeError):
    """Something the user must fix; nothing was changed."""


# -- where a feature lies ----------------------------------------------------------------------------
@dataclass
class DivisionFound:
    code: Optional[str]                 # None: no division (see reason)
    name: Optional[str] = None
    share: float = 0.0                  # share of the feature's area in that division
    straddle: bool = False
    partly_outside: bool = False
    shares: List[Tuple[str, float]] = field(default_factory=list)  # (division code, share), largest first
    reason: str = ""

    @property
    def found(self) -> bool:
        return self.code is not None


@dataclass
class Overlap:
    layer: str
    layer_id: str
    area: float     # m²
    share: float    # of the feature's area, 0..1
    hit: bool


@dataclass
class FeatureFacts:
    division: DivisionFound
    overlaps: List[Overlap]
    area: float     # m²


class _Shape:
    """The feature as a geometry of the geometry backend in the CRS the engine computes areas in (m²)."""

    def __init__(self, geometry: QgsGeometry, crs: QgsCoordinateReferenceSystem):
        self.crs = crs
        self.crs_wkt = crs.toWkt() if crs.isValid() else None
        present = geometry is not None and not geometry.isNull()
        wkb = np.array([bytes(geometry.asWkb()) if present else None], dtype=object)
        self.work_crs = area_crs_wkt(self.crs_wkt, wkb)
        self.point = present and QgsWkbTypes.geometryType(geometry.wkbType()) == QgsWkbTypes.GeometryType.PointGeometry
        geo = backend()
        cleaned = geo.clean(geo.from_wkb(wkb), polygonal=not self.point)
        self.empty = bool(cleaned.empty[0])
        self.geoms = geo.reproject(cleaned.geoms, self.crs_wkt, self.work_crs)
        self.area = 0.0 if self.empty else float(geo.area(self.geoms)[0])
        self.extent = geometry.boundingBox() if present else None

    def candidates(self, layer: QgsVectorLayer):
        """Polygons of `layer` near the feature, in the work CRS, and their features."""
        rect = self.extent
        if self.crs.isValid() and layer.crs().isValid() and self.crs != layer.crs():
            rect = QgsCoordinateTransform(self.crs, layer.crs(), QgsProject.instance()).transformBoundingBox(rect)
        rect = rect.buffered(max(rect.width(), rect.height(), 1.0) * 1e-6)  # a point has an empty box
        feats = [f for f in layer.getFeatures(QgsFeatureRequest().setFilterRect(rect)) if f.hasGeometry()]
        geo = backend()
        cleaned = geo.clean(geo.from_wkb(np.array([bytes(f.geometry().asWkb()) for f in feats] + [None],
                                                  dtype=object)[:-1]))
        keep = ~cleaned.empty
        wkt = layer.crs().toWkt() if layer.crs().isValid() else None
        return geo.reproject(cleaned.geoms[keep], wkt, self.work_crs), [f for f, k in zip(feats, keep) if k]


def field_text(value) -> str:
    return "" if value is None or (hasattr(value, "isNull") and value.isNull()) else str(value).strip()


def _find_division(shape: _Shape, divisions: QgsVectorLayer, code_field: str, length: int,
                   rule: str) -> DivisionFound:
    if shape.empty:
        return DivisionFound(None, reason=tr("The feature has no geometry"))
    fields = divisions.fields()
    if fields.indexOf(code_field) < 0:
        raise FeatureCodingError(tr("The division layer {} has no field '{}' (fields: {})").format(
            divisions.name(), code_field, ", ".join(fields.names())))
    polys, feats = shape.candidates(divisions)
    outside = tr("The feature lies outside every division of layer {}").format(divisions.name())
    if not len(polys):
        return DivisionFound(None, reason=outside)
    loc = backend().locate(shape.geoms, np.array([True]), polys, rule)
    home = int(loc.home[0])
    if home < 0:
        return DivisionFound(None, reason=outside)
    codes = [field_text(f[code_field]) for f in feats]
    code = codes[home]
    name = field_text(feats[home]["name"]) or None if fields.indexOf("name") >= 0 else None
    pairs = loc.shares.get(0) or [(home, float(loc.share[0]))]
    found = DivisionFound(code, name, float(loc.share[0]), bool(loc.straddle[0]), bool(loc.partly_outside[0]),
                          [(codes[d], float(s)) for d, s in pairs])
    if not (code.isdigit() and code.isascii() and len(code) == length):
        found.code = None
        found.reason = tr("The division here has no {}-digit code in field '{}' (found '{}')").format(
            length, code_field, code)
    return found


def _overlaps(shape: _Shape, planning: Sequence[QgsVectorLayer]) -> List[Overlap]:
    geo = backend()
    out = []
    for layer in planning:
        area, inside = 0.0, False
        if not shape.empty:
            polys, _ = shape.candidates(layer)
            if len(polys) and shape.point:  # a point has no area: it lies in the layer or not
                inside = bool(geo.intersects(polys, shape.geoms[0]).any())
            elif len(polys):
                area = min(float(geo.overlap_area(shape.geoms, np.array([True]), polys)[0]), shape.area)
        share = area / shape.area if shape.area > 0 else float(inside)
        out.append(Overlap(layer.name(), layer.id(), area, share, inside or area > SLIVER_M2))
    return out


def analyse(geometry: QgsGeometry, crs: QgsCoordinateReferenceSystem, divisions: Optional[QgsVectorLayer],
            division_field: str, planning: Sequence[QgsVectorLayer] = (), profile: str = "building",
            rule: str = "area") -> FeatureFacts:
    """Division (by the profile's division length) and planning overlaps of one feature."""
    shape = _Shape(geometry, crs)
    if divisions is None:
        division = DivisionFound(None, reason=tr("Choose the division layer"))
    else:
        length = load_profile(profile).segment("division").length
        division = _find_division(shape, divisions, division_field, length, rule)
    return FeatureFacts(division, _overlaps(shape, planning), shape.area)


# -- the feature's own values ------------------------------------------------------------------------
@dataclass
class LinkCheck:
    kind: str
    value: str
    ok: bool
    reasons: List[str]   # errors and notices; empty for an empty value


def check_links(values: Dict[str, str]) -> Dict[str, LinkCheck]:
    """Each linked code validated by its kind; an empty one is fine (not every feature has each)."""
    out = {}
    for kind, value in values.items():
        text = field_text(value)
        if not text:
            out[kind] = LinkCheck(kind, "", True, [])
            continue
        row = validate_values([text], kind)[0]
        out[kind] = LinkCheck(kind, text, row.ok, [str(r) for r in row.reasons])
    return out


def layer_namespace(layer: QgsVectorLayer) -> str:
    """The namespace a batch run over `layer` gives its ids (datasets.resolve): the one stored with the data,
    else its file (and layer in the file), or its PostgreSQL table; for any other layer, its name."""
    if layer.providerType() == "postgres":
        return datasets.postgres_namespace(layer.source())
    if layer.providerType() == "ogr":
        parts = QgsProviderRegistry.instance().decodeUri("ogr", layer.source())
        path = parts.get("path") or ""
        if path and os.path.exists(path):
            return datasets.resolve(LayerInput(path=path, layer=parts.get("layerName") or None),
                                    layer.name()).namespace
    return layer.name()


def feature_identity(layer: QgsVectorLayer, feature, id_field: Optional[str] = None) -> str:
    """The identity the batch engine gives this feature: the layer's dataset namespace + id value, else the
    geometry fingerprint, so a batch run over the layer later finds the code issued here."""
    geometry = feature.geometry()
    wkb = np.array([None if geometry.isNull() else bytes(geometry.asWkb())], dtype=object)
    id_value = field_text(feature[id_field]) or None if id_field and layer.fields().indexOf(id_field) >= 0 else None
    columns = {id_field: [feature[id_field] if id_value is not None else None]} if id_field else {}
    table = Table(columns=columns, wkb=wkb, crs_wkt=layer.crs().toWkt() or None, name=layer.name(),
                  field_order=list(columns))
    identity = identities(table, BuildingGeometry(table), id_field if id_value is not None else None,
                          layer_namespace(layer))[0]
    if identity is None:
        raise FeatureCodingError(tr("The feature has no geometry and no id: it cannot be coded"))
    return identity


def feature_year(feature, year_field: str = "year") -> Optional[int]:
    """The year in the feature's year field when it is a plausible year, else None."""
    if feature.fields().indexOf(year_field) < 0:
        return None
    year = leading_int(field_text(feature[year_field]))
    return year if YEAR_RANGE[0] <= year <= YEAR_RANGE[1] else None


def profile_for_layer(layer: QgsVectorLayer) -> str:
    """Points are monitoring points; projects carry an investment project code (xmdm); everything else is
    coded as a building."""
    if layer.geometryType() == QgsWkbTypes.GeometryType.PointGeometry:
        return "point"
    return "project" if layer.fields().indexOf("xmdm") >= 0 else "building"


def feature_kind(feature, segment) -> Optional[str]:
    """The kind a point's own fields name (kind, 类型, 类别 ...: a code or words), or None."""
    for name in feature.fields().names():
        if name.lower() in ("kind", "type", "类型", "类别", "监测类型", "站点类型"):
            found = segment.match(field_text(feature[name]))
            if found:
                return found
    return None
