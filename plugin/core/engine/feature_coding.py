"""Coding one feature at a time (赋码 in the code form): what the form does, without a screen.

`FeatureCoder` writes codes to a layer and the registry together or not at all. A layer that is not
being edited is edited, saved and the registry committed in one go; a layer in edit mode (a feature
just digitised) gets its codes while it is saved: issued in an open registry transaction just before
the layer commits, committed when the layer's commit succeeded, rolled back when it failed.
Identities are those a batch run over the layer gives (feature_analysis.feature_identity), and a split gives
parts that share their parent's id ids of their own in the layer, so a batch run afterwards finds every
child's code and never codes a retired footprint again.
"""
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from qgis.core import (
    Qgis,
    QgsExpression,
    QgsFeatureRequest,
    QgsGeometry,
    QgsMessageLog,
    QgsProject,
    QgsSettings,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QTimer

from .feature_analysis import FeatureCodingError, feature_identity, field_text
from ..i18n import tr
from .layers import qgs_field
from ..codes.profiles import load_profile
from ..registry.base import RegistryError, default_actor
from ..registry.backends import open_registry
from ..definitions import CODE_FIELD, NAME_FIELD

SETTING_DIVISION_LAYER = "citycode/division_layer"
SETTING_DIVISION_FIELD = "citycode/division_field"
LOG_TAG = "CityCode"
FORM_WAIT = 60.0  # s a form waits for a registry another job is writing (the window waits meanwhile)


# -- the code field --------------------------------------------------------------------------------
def has_code_field(layer: QgsVectorLayer) -> bool:
    return layer.fields().indexOf(CODE_FIELD) >= 0


def add_code_field(layer: QgsVectorLayer) -> None:
    """Add the citycode text field (to the edit buffer when the layer is being edited)."""
    if has_code_field(layer):
        return
    new = qgs_field(CODE_FIELD, "String")
    ok = layer.addAttribute(new) if layer.isEditable() else \
        layer.dataProvider().addAttributes([new]) and (layer.updateFields() or True)
    if not ok or not has_code_field(layer):
        raise FeatureCodingError(tr("Cannot add the field '{}' to layer {}").format(CODE_FIELD, layer.name()))


# -- where settings come from ------------------------------------------------------------------------
@dataclass
class CodingConfig:
    """What the form needs besides the feature; the plugin fills it from its settings (from_settings)."""
    registry_path: str = ""
    division_layer: Optional[QgsVectorLayer] = None
    division_field: str = "code"
    planning_layers: List[QgsVectorLayer] = field(default_factory=list)
    id_field: Optional[str] = None   # identity field of coded layers (None: "id" when the layer has it)
    year_field: str = "year"
    rule: str = "area"
    actor: Optional[str] = None

    @classmethod
    def from_settings(cls, project: Optional[QgsProject] = None) -> "CodingConfig":
        from ..planning.loader import project_planning_layers
        from .. import settings as settings_mod
        project = project or QgsProject.instance()
        s = QgsSettings()
        layer = project.mapLayer(s.value(SETTING_DIVISION_LAYER, "") or "")
        field_name = s.value(SETTING_DIVISION_FIELD, "code") or "code"
        if not isinstance(layer, QgsVectorLayer):
            layer = guess_division_layer(project, field_name)
        values = settings_mod.load(s)
        return cls(registry_path=values.registry_path, division_layer=layer, division_field=field_name,
                   planning_layers=project_planning_layers(project, values, exclude=[layer]))

    def remember_division(self, layer: Optional[QgsVectorLayer], field_name: str) -> None:
        self.division_layer, self.division_field = layer, field_name or self.division_field
        s = QgsSettings()
        s.setValue(SETTING_DIVISION_LAYER, layer.id() if layer is not None else "")
        s.setValue(SETTING_DIVISION_FIELD, self.division_field)

    def identity_field(self, layer: QgsVectorLayer) -> Optional[str]:
        name = self.id_field or "id"
        return name if layer.fields().indexOf(name) >= 0 else None


def guess_division_layer(project: QgsProject, field_name: str) -> Optional[QgsVectorLayer]:
    """Until the user chose one: the first polygon layer whose `field_name` holds 9-digit codes."""
    for layer in project.mapLayers().values():
        if isinstance(layer, QgsVectorLayer) and layer.geometryType() == QgsWkbTypes.GeometryType.PolygonGeometry \
                and layer.fields().indexOf(field_name) >= 0:
            value = next(layer.getFeatures(QgsFeatureRequest().setLimit(1)), None)
            if value is not None and str(value[field_name] or "").isdigit() and len(str(value[field_name])) == 9:
                return layer
    return None


# -- writing codes -----------------------------------------------------------------------------------
@dataclass
class Assignment:
    """What the form asks for one feature."""
    fid: int
    profile: str
    division: str
    year: int
    unit: Optional[str] = None
    name: Optional[str] = None
    links: Dict[str, str] = field(default_factory=dict)
    kind: Optional[str] = None   # for profiles with a kind segment (monitoring points)


# An operation runs inside an open registry transaction and returns the layer values to write:
# {feature id: {field name: value}}.
Operation = Callable[[object], Dict[int, Dict[str, object]]]


class FeatureCoder:
    """Codes features of one layer; the layer and the registry change together or not at all.

    notify(text, ok) tells the user what happened at a save (the GUI puts it in the message bar);
    every message also goes to the QGIS log under "CityCode".
    """

    def __init__(self, layer: QgsVectorLayer, config: CodingConfig,
                 notify: Optional[Callable[[str, bool], None]] = None):
        self.layer, self.config, self.notify = layer, config, notify
        self.staged: Dict[object, Operation] = {}   # key (fid or ("split", code) ...) -> operation
        self._open = None                            # (registry, transaction, written) during a save
        self._saving_now = False
        layer.beforeCommitChanges.connect(self._before_commit)
        layer.afterCommitChanges.connect(self._after_commit)
        layer.afterRollBack.connect(self._discarded)

    @property
    def actor(self) -> str:
        return self.config.actor or default_actor()

    def _say(self, text: str, ok: bool = True):
        QgsMessageLog.logMessage(text, LOG_TAG, Qgis.MessageLevel.Info if ok else Qgis.MessageLevel.Warning)
        if self.notify is not None:
            self.notify(text, ok)

    def _registry(self):
        if not self.config.registry_path:
            raise FeatureCodingError(tr("No registry is set (CityCode settings)"))
        reg = open_registry(self.config.registry_path)
        reg.wait_limit = min(reg.wait_limit, FORM_WAIT)
        return reg

    def identity(self, fid: int) -> str:
        feature = self.layer.getFeature(fid)
        if not feature.isValid():
            raise FeatureCodingError(tr("Feature {} is not in layer {}").format(fid, self.layer.name()))
        return feature_identity(self.layer, feature, self.config.identity_field(self.layer))

    # -- what the form calls -----------------------------------------------------------------------
    def assign(self, a: Assignment) -> Optional[str]:
        """Issue a code for a feature and write it (with name and linked codes). Returns the code, or None
        when the layer is being edited: then the code is issued when the layer is saved."""
        profile = load_profile(a.profile)
        links = {k: v for k, v in a.links.items() if field_text(v)}

        def op(reg):
            if not self.layer.getFeature(a.fid).isValid():  # deleted before the save
                return {}
            with reg.pending_issue(profile, self.identity(a.fid), a.division, a.year, self.actor, unit=a.unit,
                                   name=a.name or None, attrs=links or None, kind=a.kind,
                                   note=tr("code form: {}").format(self.layer.name())) as issued:
                pass
            return {a.fid: dict({CODE_FIELD: issued.code, NAME_FIELD: a.name or None}, **a.links)}
        return self._execute(a.fid, op)

    def update(self, fid: int, code: str, name: Optional[str], links: Dict[str, str]) -> None:
        """Name and linked codes of a coded feature, in the registry and the layer's fields."""
        def op(reg):
            reg.update(code, self.actor, name=name or None, attrs={k: field_text(v) for k, v in links.items()})
            return {fid: dict({NAME_FIELD: name or None}, **links)}
        self._execute(("update", fid), op)

    def retire(self, code: str, reason: str) -> None:
        """Retire a code; the registry only (the feature keeps showing the code, which is now retired)."""
        with self._registry() as reg:
            reg.retire(code, self.actor, reason)

    def split(self, code: str, fids: Sequence[int], year: Optional[int] = None) -> Optional[List[str]]:
        """Retire `code` and give each part (features of this layer) a new code in its division. Parts that
        share an id (a feature cut in two keeps its attributes) get new ids after the first, written with
        their codes: a batch run afterwards finds every part's code by its id."""
        fids = list(dict.fromkeys(fids))
        if len(fids) < 2:
            raise FeatureCodingError(tr("Select at least two parts to split into"))

        def op(reg):
            new_ids = self._own_ids(fids)
            children = reg.split(code, self.identities(fids, new_ids), self.actor, year)
            id_field = self.config.identity_field(self.layer)
            return {fid: dict({CODE_FIELD: child}, **({id_field: new_ids[fid]} if fid in new_ids else {}))
                    for fid, child in zip(fids, children)}
        return self._execute(("split", code), op, lambda changes: [changes[f][CODE_FIELD] for f in fids])

    def merge(self, fids: Sequence[int], target: int) -> Optional[str]:
        """Merge coded features into `target`: its geometry becomes their union, the others are deleted,
        their codes are retired and the merged feature gets one new code."""
        fids = list(dict.fromkeys([target] + list(fids)))
        feats = [self.layer.getFeature(f) for f in fids]
        codes = [field_text(f[CODE_FIELD]) if has_code_field(self.layer) else "" for f in feats]
        if len(fids) < 2 or not all(codes):
            raise FeatureCodingError(tr("Select at least two features that have codes to merge"))
        union = QgsGeometry.unaryUnion([f.geometry() for f in feats])
        if self.layer.wkbType() != union.wkbType() and QgsWkbTypes.isMultiType(self.layer.wkbType()):
            union.convertToMultiType()

        def prepare():
            if not self.layer.changeGeometry(target, union) or not self.layer.deleteFeatures(fids[1:]):
                raise FeatureCodingError(tr("Layer {} refused the merged geometry").format(self.layer.name()))

        def op(reg):
            return {target: {CODE_FIELD: reg.merge(codes, self.identity(target), self.actor)}}
        return self._execute(("merge", target), op, lambda changes: changes[target][CODE_FIELD], prepare)

    def identities(self, fids: Sequence[int], new_ids: Optional[Dict[int, object]] = None) -> List[str]:
        """Identities of features, those in `new_ids` as they will be with that id."""
        out = []
        for fid in fids:
            if fid not in (new_ids or {}):
                out.append(self.identity(fid))
                continue
            feature = self.layer.getFeature(fid)
            feature[self.config.identity_field(self.layer)] = new_ids[fid]
            out.append(feature_identity(self.layer, feature, self.config.identity_field(self.layer)))
        return out

    def _own_ids(self, fids: Sequence[int]) -> Dict[int, object]:
        """New id values for the parts among `fids` whose id an earlier part has (numbers after the layer's
        highest, or "<id>-2", "<id>-3" ... for text ids); {} without an id field."""
        id_field = self.config.identity_field(self.layer)
        if not id_field:
            return {}
        index = self.layer.fields().indexOf(id_field)
        taken = {field_text(f[id_field]) for f in self.layer.getFeatures(QgsFeatureRequest().setSubsetOfAttributes(
            [index]).setFlags(QgsFeatureRequest.Flag.NoGeometry))}
        numeric = self.layer.fields().at(index).isNumeric()
        top = max([int(float(v)) for v in taken if v.lstrip("-").replace(".", "", 1).isdigit()] + [0])
        seen, new = set(), {}
        for fid in fids:
            value = field_text(self.layer.getFeature(fid)[id_field])
            if value and value not in seen:
                seen.add(value)
                continue
            if numeric:
                top += 1
                new[fid] = top
            else:
                k = 2
                while "{}-{}".format(value, k) in taken:
                    k += 1
                new[fid] = "{}-{}".format(value, k)
                taken.add(new[fid])
        return new

    # -- now, or at the next save --------------------------------------------------------------------
    def _execute(self, key, op: Operation, result=None, prepare=None):
        """Run op now (edit, save, commit the registry) or, when the layer is being edited, at its save."""
        result = result or (lambda changes: next(iter(changes.values()), {}).get(CODE_FIELD))
        if self.layer.isEditable():
            if prepare:
                prepare()
            self.staged[key] = op
            return None
        if not self.layer.startEditing():
            raise FeatureCodingError(tr("Layer {} cannot be edited (read-only?); nothing was changed")
                                     .format(self.layer.name()))
        saved = False
        written = {}
        self._saving_now = True
        try:
            if prepare:
                prepare()
            with self._registry() as reg, reg.pending():
                changes = op(reg)
                written = self._write(changes)
                if not self.layer.commitChanges():
                    errors = "; ".join(self.layer.commitErrors())
                    raise FeatureCodingError(tr("Layer {} could not be saved, no code was issued: {}")
                                             .format(self.layer.name(), errors))
                saved = True
        except BaseException:
            if self.layer.isEditable():
                self.layer.rollBack()
            elif saved:  # the layer saved but the registry could not commit: take the codes out again
                self._unwrite(written)
            raise
        finally:
            self._saving_now = False
        return result(changes)

    def _write(self, changes: Dict[int, Dict[str, object]]) -> Dict[str, Tuple[int, object]]:
        """Write values to the edit buffer (fields the layer lacks are skipped); returns what the codes
        replaced: {code: (fid, old value)}."""
        fields = self.layer.fields()
        replaced = {}
        for fid, values in changes.items():
            for name, value in values.items():
                i = fields.indexOf(name)
                if i < 0:
                    continue
                old = self.layer.getFeature(fid).attribute(i)
                if name == CODE_FIELD:
                    replaced[value] = (fid, old)
                if not self.layer.changeAttributeValue(fid, i, value if value not in ("",) else None):
                    raise FeatureCodingError(tr("Layer {} refused the value of field '{}'")
                                             .format(self.layer.name(), name))
        return replaced

    def _unwrite(self, replaced: Dict[str, Tuple[int, object]]):
        """After a saved layer whose registry commit failed: the new codes out of the layer again."""
        i = self.layer.fields().indexOf(CODE_FIELD)
        if not replaced or i < 0 or not self.layer.startEditing():
            return
        expr = "{} IN ({})".format(QgsExpression.quotedColumnRef(CODE_FIELD),
                                   ", ".join(QgsExpression.quotedValue(c) for c in replaced))
        for f in self.layer.getFeatures(QgsFeatureRequest().setFilterExpression(expr)):
            self.layer.changeAttributeValue(f.id(), i, replaced[f[CODE_FIELD]][1])
        if not self.layer.commitChanges():
            self.layer.rollBack()
            self._say(tr("The registry could not store codes {} that layer {} saved: remove them from the "
                         "layer").format(", ".join(replaced), self.layer.name()), False)

    # -- the layer's save ---------------------------------------------------------------------------
    def _before_commit(self, *args):
        if self._saving_now or not self.staged:
            return
        self._close_failed()  # an earlier save whose outcome never came
        reg = transaction = None
        try:
            reg = self._registry()
            transaction = reg.pending()
            transaction.__enter__()
            changes = {}
            for op in list(self.staged.values()):
                changes.update(op(reg))
            self._open = (reg, transaction, self._write(changes))
        except Exception as e:  # noqa: BLE001 - any failure: the layer is saved without the codes
            if transaction is not None:
                transaction.__exit__(type(e), e, e.__traceback__)
            if reg is not None:
                reg.close()
            self.staged.clear()
            self._say(tr("No code was issued, the features of layer {} are saved without codes: {}")
                      .format(self.layer.name(), e), False)
            return
        QTimer.singleShot(0, self._close_failed)  # commitChanges returns before the event loop runs

    def _after_commit(self):
        if self._open is None:
            return
        reg, transaction, written = self._open
        self._open = None
        self.staged.clear()
        try:
            transaction.__exit__(None, None, None)
        except Exception as e:  # noqa: BLE001
            self._unwrite(written)
            self._say(tr("The registry could not store the codes; they were taken out of layer {}: {}")
                      .format(self.layer.name(), e), False)
            return
        finally:
            reg.close()
        if written:
            self._say(tr("Layer {} saved with codes {}").format(self.layer.name(), ", ".join(written)))

    def _close_failed(self):
        """The layer's commit failed (no afterCommitChanges came): roll the registry back and put the old
        values back in the edit buffer; the operations stay staged for the next save."""
        if self._open is None:
            return
        reg, transaction, written = self._open
        self._open = None
        transaction.__exit__(RegistryError, RegistryError("layer commit failed"), None)
        reg.close()
        i = self.layer.fields().indexOf(CODE_FIELD)
        if self.layer.isEditable() and i >= 0:
            for fid, old in written.values():
                self.layer.changeAttributeValue(fid, i, old)
        self._say(tr("Layer {} could not be saved, no code was issued").format(self.layer.name()), False)

    def _discarded(self):
        self.staged.clear()


_CODERS: Dict[str, FeatureCoder] = {}


def coder_for(layer: QgsVectorLayer, config: CodingConfig,
              notify: Optional[Callable[[str, bool], None]] = None) -> FeatureCoder:
    """The one FeatureCoder of a layer (so codes staged by several forms are issued at one save)."""
    coder = _CODERS.get(layer.id())
    if coder is None or coder.layer is not layer:
        coder = FeatureCoder(layer, config, notify)
        _CODERS[layer.id()] = coder
        layer.willBeDeleted.connect(lambda lid=layer.id(): _CODERS.pop(lid, None))
    else:
        coder.config = config
        coder.notify = notify or coder.notify
    return coder
