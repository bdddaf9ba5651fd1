"""The features of a field package going back to their layers (see checkin.py): which layers and where to,
what changed offline and in the target (keys over geometry and plain attribute values), and the writing."""
import datetime
import hashlib
import json
import os
import pathlib
import sqlite3
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

import numpy as np

from ..i18n import tr
from ..registry.field_sync import Conflict, canonical_json
from ..definitions import CODE_FIELD
from .package import RETIRED, STATUS_FIELD, FieldPackageError, package_info


def safe_source(provider: str, source: str) -> str:
    """A layer source to keep in a package or the registry: database passwords left out (QGIS finds them in
    its authentication database or the service file); files with their absolute path."""
    from qgis.core import QgsDataSourceUri, QgsProviderRegistry
    if provider == "ogr":
        parts = QgsProviderRegistry.instance().decodeUri("ogr", source)
        if parts.get("path") and not os.path.isabs(parts["path"]):
            parts["path"] = os.path.abspath(parts["path"])
            return QgsProviderRegistry.instance().encodeUri("ogr", parts)
        return source
    uri = QgsDataSourceUri(source)
    if uri.password():
        uri.setPassword("")
        return uri.uri(False)
    return source


def feature_conflict_summary(conflict: Conflict) -> Dict[str, object]:
    """What changed in a feature conflict's geometry, in metres: geometry_changed (bool), area_registry and
    area_package (m², None when that side has no geometry), centroid_shift (m, None likewise)."""
    from qgis.core import QgsDistanceArea, QgsGeometry, QgsProject
    ours, theirs = conflict.package_version, conflict.registry_version
    crs = crs_from_text(ours.get("crs"))
    measure = QgsDistanceArea()
    measure.setSourceCrs(crs, QgsProject.instance().transformContext())
    measure.setEllipsoid(crs.ellipsoidAcronym() or "EPSG:7019")  # CGCS2000's ellipsoid is GRS 1980's
    geoms = []
    for version in (theirs, ours):
        hexed = version.get("geometry")
        geometry = QgsGeometry()
        if hexed:
            geometry.fromWkb(bytes.fromhex(hexed))
        geoms.append(None if geometry.isNull() else geometry)
    grid = _grid(crs)
    keys = feature_keys([None if g is None else bytes(g.asWkb()) for g in geoms], [{}, {}], [], grid)
    area = [None if g is None else measure.measureArea(g) for g in geoms]
    shift = None if None in geoms else measure.measureLine(geoms[0].centroid().asPoint(), geoms[1].centroid().asPoint())
    return {"geometry_changed": keys[0] != keys[1], "area_registry": area[0], "area_package": area[1],
            "centroid_shift": shift}


def plain_value(value):
    """An attribute value as plain JSON-able Python, the same whichever reader gave it (QGIS, Arrow, a
    GeoPackage writer that turned integers with nulls into reals): NULL/NaN/"" -> None, 3.0 -> 3, dates as ISO
    text, booleans as 0/1, bytes as hex."""
    if value is None or (hasattr(value, "isNull") and value.isNull()):  # QVariant NULL, invalid QDate ...
        return None
    if isinstance(value, np.generic):
        value = value.item()
    for convert in ("toPyDateTime", "toPyDate", "toPyTime"):
        if hasattr(value, convert):
            value = getattr(value, convert)()
            break
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, float):
        return None if value != value else int(value) if value.is_integer() else value
    if isinstance(value, (bytes, bytearray)) or type(value).__name__ == "QByteArray":
        return bytes(value).hex()
    if isinstance(value, str):
        return value or None
    if isinstance(value, int):
        return value
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))  # maps, lists


def feature_keys(wkbs: Sequence[Optional[bytes]], attrs: Sequence[Dict], fields: Iterable[str],
                 grid: float) -> List[str]:
    """A hash per feature of its geometry, on a `grid` (CRS units), so that a round trip through another
    format or CRS is no change, and of the plain values of `fields`."""
    from ..engine.wkb import normalized_many
    norm = [g or b"" for g in normalized_many(wkbs, grid)]  # (a one-part multi-polygon is that polygon)
    names = sorted(fields)
    return [hashlib.sha1(g + canonical_json([a.get(n) for n in names]).encode()).hexdigest()
            for g, a in zip(norm, attrs)]


def _grid(crs) -> float:
    return 1e-8 if crs.isGeographic() else 0.001  # about 1 mm


def crs_from_text(text: Optional[str]):
    from qgis.core import QgsCoordinateReferenceSystem
    if not text:
        return QgsCoordinateReferenceSystem()
    crs = QgsCoordinateReferenceSystem(text)
    return crs if crs.isValid() else QgsCoordinateReferenceSystem.fromWkt(text)


def _crs_text(crs) -> str:
    return crs.authid() or crs.toWkt()


class Target:
    """A layer features are written back to, checked to be writable, with transforms from/to the package's CRS."""

    def __init__(self, provider: str, source: str, package_crs, crs_override: Optional[str] = None):
        from qgis.core import QgsCoordinateTransform, QgsProject, QgsVectorDataProvider, QgsVectorLayer
        self.id = canonical_json({"provider": provider, "source": source, "crs": crs_override})
        self.label = source
        layer = QgsVectorLayer(source, "citycode_target", provider)
        if not layer.isValid():
            raise FieldPackageError(tr("The layer {} to write the features back to cannot be opened; give the "
                                       "check-in another target layer. Nothing was checked in.").format(source))
        if crs_override:
            layer.setCrs(crs_from_text(crs_override))
        caps = QgsVectorDataProvider.Capability
        needed = caps.AddFeatures | caps.ChangeGeometries | caps.ChangeAttributeValues
        if layer.readOnly() or int(layer.dataProvider().capabilities() & needed) != int(needed):
            raise FieldPackageError(tr("The layer {} cannot be written (a read-only file or database table, or a "
                                       "format QGIS cannot edit); make it writable or give the check-in another "
                                       "target layer. Nothing was checked in.").format(source))
        if layer.fields().indexOf(CODE_FIELD) < 0:
            raise FieldPackageError(tr("The layer {} has no {} field to find the package's features by; give the "
                                       "check-in the coded layer. Nothing was checked in.").format(source, CODE_FIELD))
        self.layer, self.package_crs = layer, package_crs
        context = QgsProject.instance().transformContext()
        same = not (layer.crs().isValid() and package_crs.isValid()) or layer.crs() == package_crs
        self.to_target = None if same else QgsCoordinateTransform(package_crs, layer.crs(), context)
        self.to_package = None if same else QgsCoordinateTransform(layer.crs(), package_crs, context)

    def features(self, fields: Sequence[str], codes: Iterable[str]) -> Dict[str, tuple]:
        """{code: (feature id, WKB in the package's CRS, plain values of `fields`)} of the features with these
        codes (the first feature of a code), asked for a few hundred codes at a time: a city's layer is large."""
        from qgis.core import QgsExpression, QgsFeatureRequest
        out, codes = {}, sorted(set(codes))
        for i in range(0, len(codes), 500):
            request = QgsFeatureRequest().setFilterExpression("{} IN ({})".format(
                QgsExpression.quotedColumnRef(CODE_FIELD), ", ".join(map(QgsExpression.quotedValue, codes[i:i + 500]))))
            for f in self.layer.getFeatures(request):
                code = str(plain_value(f[CODE_FIELD])).strip().upper()
                if code not in out:
                    out[code] = (f.id(), _wkb(f.geometry(), self.to_package), {n: plain_value(f[n]) for n in fields})
        return out

    def write(self, adds: Sequence[Dict], updates: Sequence[tuple]) -> None:
        """Add features and change (feature id, version, geometry too?) from package versions (WKB hex in the
        package's CRS, plain attribute values of the layer's fields) in one edit session; on failure the
        layer is rolled back and FieldPackageError says why."""
        from qgis.core import QgsFeature
        if not adds and not updates:
            return
        layer = self.layer
        if not layer.startEditing():
            raise FieldPackageError(tr("Layer {} cannot be edited.").format(self.label))
        try:
            fields = layer.fields()
            ok = True
            for version in adds:
                feature = QgsFeature(fields)
                for name, value in version["attrs"].items():
                    feature.setAttribute(fields.indexOf(name), value)
                feature.setGeometry(self._geometry(version))
                ok = layer.addFeature(feature) and ok
            for fid, version, geometry in updates:
                if geometry:
                    ok = layer.changeGeometry(fid, self._geometry(version)) and ok
                current = layer.getFeature(fid)
                changed = {fields.indexOf(n): v for n, v in version["attrs"].items() if plain_value(current[n]) != v}
                ok = (not changed or layer.changeAttributeValues(fid, changed)) and ok
            if not ok or not layer.commitChanges():
                raise FieldPackageError(tr("Layer {} could not be saved: {}.").format(
                    self.label, "; ".join(layer.commitErrors()) or tr("it refused the edits")))
        finally:
            if layer.isEditable():
                layer.rollBack()

    def _geometry(self, version: Dict):
        """The version's geometry in the layer's CRS and geometry type (e.g. made multi-part)."""
        from qgis.core import QgsFeature, QgsGeometry, QgsVectorLayerUtils
        geometry = QgsGeometry()
        if version.get("geometry"):
            geometry.fromWkb(bytes.fromhex(version["geometry"]))
            if self.to_target is not None:
                geometry.transform(self.to_target)
        feature = QgsFeature(self.layer.fields())
        feature.setGeometry(geometry)
        fitted = QgsVectorLayerUtils.makeFeatureCompatible(feature, self.layer)
        return fitted[0].geometry() if fitted else geometry


def _wkb(geometry, transform=None) -> Optional[bytes]:
    from qgis.core import QgsGeometry
    if geometry is None or geometry.isNull():
        return None
    if transform is not None:
        geometry = QgsGeometry(geometry)
        geometry.transform(transform)
    return bytes(geometry.asWkb())


@dataclass
class _PackageLayer:
    name: str
    features: object         # the package's QgsVectorLayer
    target: Target
    fields: List[str]        # compared and written: the package's fields the target has
    base: Dict[str, tuple]   # code -> (WKB, attrs) at check-out


def layers_to_write(package_path: str, given: Dict[str, object]) -> Tuple[List[_PackageLayer], List[str]]:
    """The package layers whose features go back, with their targets opened (FieldPackageError when one cannot
    be written: nothing has changed yet), and notes on layers left out."""
    from qgis.core import QgsVectorLayer
    con = sqlite3.connect(pathlib.Path(package_path).resolve().as_uri() + "?mode=ro", uri=True)
    try:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "package_layers" not in tables:
            return [], [tr("This package was checked out by an older CityCode that did not record its features' "
                           "layers: only the registry was checked in.")] if given else []
        recorded = con.execute("SELECT layer, provider, source, crs FROM package_layers ORDER BY layer").fetchall()
        base = {}
        for name, code, wkb, attrs in con.execute("SELECT layer, code, geometry, attrs FROM package_features"):
            base.setdefault(name, {})[code] = (wkb, json.loads(attrs))
    finally:
        con.close()
    unknown = sorted(set(given) - {r[0] for r in recorded})
    if unknown:
        raise FieldPackageError(tr("The package has no layer of features named {} (it has: {}). Nothing was "
                                   "checked in.").format(", ".join(unknown), ", ".join(r[0] for r in recorded) or "-"))
    out, notes = [], []
    for name, provider, source, crs in recorded:
        if name in given:
            if not given[name]:
                continue
            (provider, source), crs = _target_of(given[name]), None
        elif not source:
            notes.append(tr("The features of layer {} were not written back: it did not come from a layer CityCode "
                            "can write to; check in again with a target layer for it.").format(name))
            continue
        features = QgsVectorLayer("{}|layername={}".format(package_path, name), name, "ogr")
        if not features.isValid():
            raise FieldPackageError(tr("The package's layer {} cannot be read. Nothing was checked in.").format(name))
        target = Target(provider, source, features.crs(), crs)
        own = {features.fields().at(i).name() for i in features.dataProvider().pkAttributeIndexes()}
        fields = [f.name() for f in features.fields()
                  if f.name() not in own and target.layer.fields().indexOf(f.name()) >= 0]
        out.append(_PackageLayer(name, features, target, fields, base.get(name, {})))
    return out, notes


def feature_layer_names(package_path: str) -> List[str]:
    """The package's layers of features taken along (those check_in writes back)."""
    package_info(package_path)  # (a field package, or FieldPackageError)
    con = sqlite3.connect(pathlib.Path(package_path).resolve().as_uri() + "?mode=ro", uri=True)
    try:
        if not con.execute("SELECT count(*) FROM sqlite_master WHERE name='package_layers'").fetchone()[0]:
            return []
        return [r[0] for r in con.execute("SELECT layer FROM package_layers ORDER BY layer")]
    finally:
        con.close()


def _target_of(value) -> Tuple[str, str]:
    """(provider, source) of a target given as a layer, a (provider, source) pair or a source text."""
    from qgis.core import QgsDataSourceUri, QgsVectorLayer
    if isinstance(value, QgsVectorLayer):
        return value.providerType(), safe_source(value.providerType(), value.source())
    if isinstance(value, (tuple, list)):
        return value[0], safe_source(value[0], value[1])
    text = str(value)
    database = ("dbname=" in text or "service=" in text) and QgsDataSourceUri(text).table()
    provider = "postgres" if database else "ogr"
    return provider, safe_source(provider, text)


@dataclass
class LayerPlan:
    layer: _PackageLayer
    adds: List[Dict] = field(default_factory=list)
    updates: List[tuple] = field(default_factory=list)     # (feature id, version, geometry changed)
    applied: List[tuple] = field(default_factory=list)     # (change id, code, version booked)
    conflicts: List[tuple] = field(default_factory=list)   # (change id, code, the layer's version, the package's)
    conflict_ids: List[int] = field(default_factory=list)
    waiting: List[str] = field(default_factory=list)       # codes issued offline the registry did not take
    dropped: List[str] = field(default_factory=list)       # ... and retired when their conflict was resolved
    uncoded: int = 0

    def summary(self) -> str:
        text = tr("Layer {}: {} features added, {} updated, {} conflicts").format(
            self.layer.target.label, len(self.adds), len(self.updates), len(self.conflicts))
        if self.waiting:
            text += tr("; {} features wait for their codes' conflicts to be resolved (check in again then): {}"
                       ).format(len(self.waiting), ", ".join(self.waiting[:5]))
        if self.dropped:
            text += tr("; {} features were not added: the registry kept its own code for them ({})").format(
                len(self.dropped), ", ".join(self.dropped[:5]))
        if self.uncoded:
            text += tr("; {} features without a code were not written back (code them, then check in again)"
                       ).format(self.uncoded)
        return text


def plan_layer(reg, package_id: str, layer: _PackageLayer, retired_offline: set) -> LayerPlan:
    """What to write to the target: features new or changed offline, the status of codes retired offline,
    and the conflicts where the target changed the same feature (the registry merge is applied already)."""
    plan = LayerPlan(layer)
    fields, target = layer.fields, layer.target
    status = STATUS_FIELD if target.layer.fields().indexOf(STATUS_FIELD) >= 0 else None
    grid = _grid(target.package_crs)
    ours = {}
    has_code = layer.features.fields().indexOf(CODE_FIELD) >= 0
    for f in layer.features.getFeatures():
        code = plain_value(f[CODE_FIELD]) if has_code else None
        if code is None:
            plan.uncoded += 1
        elif str(code).strip().upper() not in ours:
            ours[str(code).strip().upper()] = (_wkb(f.geometry()), {n: plain_value(f[n]) for n in fields})
    theirs = target.features(fields, set(ours) | retired_offline)
    base = {c: (w, {n: a.get(n) for n in fields}) for c, (w, a) in layer.base.items()}

    def keys(rows):
        codes = sorted(rows)
        return dict(zip(codes, feature_keys([rows[c][-2] for c in codes], [rows[c][-1] for c in codes], fields,
                                            grid)))
    key_ours, key_base, key_theirs = keys(ours), keys(base), keys(theirs)
    done, last = reg.feature_checkins(package_id, target.id)
    records = {c: reg.get(c) for c in set(ours) - set(base) | retired_offline}
    retired = {c for c in retired_offline if records[c] is not None and records[c].status == RETIRED}
    change_id = "{}/feature/{}/{{}}/{{}}".format(package_id, layer.name).format

    for code in sorted(set(ours) | (retired & set(theirs))):
        if code not in ours or key_ours[code] == key_base.get(code):  # unchanged offline (or deleted there)
            if code in retired and status and code in theirs and theirs[code][2].get(status) != RETIRED \
                    and change_id(code, RETIRED) not in done:  # the layer shows the retirement, nothing else
                fid, wkb, attrs = theirs[code]
                after = dict(attrs, **{status: RETIRED})
                plan.updates.append((fid, {"geometry": None, "attrs": {status: RETIRED}}, False))
                plan.applied.append((change_id(code, RETIRED), code,
                                     {"key": feature_keys([wkb], [after], fields, grid)[0]}))
            continue
        if code not in base and records[code] is None:  # issued offline, not taken by the registry (a conflict)
            plan.waiting.append(code)
            continue
        if code not in base and records[code].status == RETIRED and code not in retired:
            plan.dropped.append(code)  # its conflict was resolved for the registry's own code of the feature
            continue
        wkb, attrs = ours[code]
        if code in retired and status:
            attrs = dict(attrs, **{status: RETIRED})
        key = feature_keys([wkb], [attrs], fields, grid)[0]
        change = change_id(code, key[:16])
        if change in done:
            continue
        version = {"code": code, "layer": layer.name, "geometry": wkb.hex() if wkb else None, "attrs": attrs,
                   "key": key, "crs": _crs_text(target.package_crs)}
        before = (last.get(code) or {}).get("key") or key_base.get(code)  # what the target held from us
        if key_theirs.get(code) == key:
            pass  # the target has it already (e.g. written by a run whose booking failed)
        elif code not in theirs and before is None:
            plan.adds.append(version)
        elif code in theirs and key_theirs[code] == before:
            fid, their_wkb, _ = theirs[code]
            moved = feature_keys([wkb, their_wkb], [{}, {}], [], grid)
            plan.updates.append((fid, version, moved[0] != moved[1]))
        else:  # changed in the target too (or removed from it): both versions kept, the target untouched
            if code in theirs:
                their_wkb, their_attrs = theirs[code][1:]
                theirs_version = {"code": code, "geometry": their_wkb.hex() if their_wkb else None,
                                  "attrs": their_attrs, "key": key_theirs[code]}
            else:
                theirs_version = {"code": code, "geometry": None, "attrs": {}, "key": None, "missing": True}
            plan.conflicts.append((change, code, theirs_version, version))
            continue
        plan.applied.append((change, code, {"key": key}))
    return plan
