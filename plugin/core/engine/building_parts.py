"""Building parts (OSM `building:part`, or features naming their building in a parent field) in a layer of
buildings: a part is not a building of its own and must not take a building number.

- Recognised by a field `building:part` / `building_part` with a value other than "no" (OSM), or by a value in
  the parent field the user chose (it holds the id of the part's building, in the identity field).
- Its building: the one named in the parent field, else the non-part feature holding the largest share (at
  least half) of the part's area.
- As the user chooses: "units" gives each part its building's code with the profile's unit segment numbered
  00001, 00002 … in the layer's order; "report" leaves parts uncoded. Either way the log
  and the report say how many parts there were and what was done; a part without a building is left uncoded.
Part codes are derived from their building's registered code (same division, year and sequence): the registry
holds the building's code, and the unit numbers keep the parts' codes apart.
"""
from dataclasses import dataclass, field
from typing import Dict, List, Optional

import numpy as np

from ..i18n import tr
from .input_checks import MAX_NOTES_PER_KIND, Note
from .layers import Table
from ..exceptions import CityCodeError

UNITS, REPORT = "units", "report"
CHOICES = (UNITS, REPORT)
OSM_FIELDS = ("building:part", "building_part", "building_pa")  # as exported; a shapefile cuts names at 10 bytes
STATUS_PART, STATUS_PART_UNIT = "part", "part_unit"
MIN_SHARE = 0.5  # a part lies inside its building: at least half of its area


class PartsError(CityCodeError, ValueError):
    """A parts setting that cannot work (the message says what to choose)."""


@dataclass
class Parts:
    mask: np.ndarray                         # the features that are parts
    parent: np.ndarray                       # index of each part's building (-1: none found)
    choice: str = UNITS
    how: str = ""                            # how they were recognised, for the messages
    notes: List[Note] = field(default_factory=list)

    def __bool__(self):
        return bool(self.mask.any())

    def code(self, codes: np.ndarray, status: np.ndarray, profile) -> None:
        """Parts' codes from their buildings' (choice "units"), in place; their status says what was done."""
        status[self.mask] = STATUS_PART
        if self.choice != UNITS or profile.segment("unit") is None:
            return
        width = profile.segment("unit").length
        numbered: Dict[int, int] = {}
        for i in np.flatnonzero(self.mask & (self.parent >= 0)).tolist():
            home = codes[self.parent[i]]
            if not home:
                continue  # its building got no code (outside, conflict …): neither does the part
            numbered[self.parent[i]] = unit = numbered.get(self.parent[i], 0) + 1
            if unit >= 10 ** width:
                continue
            seg = profile.parse(home)
            codes[i] = profile.compose(seg["division"], int(seg.get("year") or 0), int(seg["sequence"]),
                                       str(unit).zfill(width))
            status[i] = STATUS_PART_UNIT

    def counts(self, counts: Dict[str, int], status: np.ndarray) -> None:
        """The parts in the run's counts: parts are no buildings, so none of them counts as failed."""
        counts["parts"] = int(self.mask.sum())
        counts["part_units"] = int((status == STATUS_PART_UNIT).sum())
        counts["failed"] -= counts["parts"]

    def summary(self, layer: str, status: np.ndarray) -> Note:
        n, units = int(self.mask.sum()), int((status == STATUS_PART_UNIT).sum())
        orphans = int((self.mask & (self.parent < 0)).sum())
        done = tr("{} coded as units of their building").format(units) if self.choice == UNITS else \
            tr("left uncoded, as chosen")
        return Note("building_parts", layer, tr("{}: {} building parts ({}): {}; {} without a building found, left "
                                                "uncoded").format(layer, n, self.how, done, orphans))


def find(table: Table, geo, choice: str, parent_field: Optional[str], id_field: Optional[str]) -> Parts:
    """The parts of `table` (geo: the engine's BuildingGeometry, before it is released)."""
    if choice not in CHOICES:
        raise PartsError(tr("Unknown choice for building parts '{}': use one of {}").format(choice, ", ".join(CHOICES)))
    n = len(table)
    none = Parts(np.zeros(n, dtype=bool), np.full(n, -1, dtype=np.int64), choice)
    if parent_field:
        if not id_field:
            raise PartsError(tr("A parent field ({}) names each part's building by its id: choose the identity "
                                "field too").format(parent_field))
        parents = [_text(v) for v in table.column(parent_field).tolist()]
        ids = {}
        for i, v in enumerate(_text(v) for v in table.column(id_field).tolist()):
            ids.setdefault(v, i)
        mask = np.array([p is not None for p in parents], dtype=bool)
        parent = np.array([ids.get(p, -1) if p is not None else -1 for p in parents], dtype=np.int64)
        parent[parent == np.arange(n)] = -1  # naming itself names no building
        how = tr("field {}").format(parent_field)
    else:
        osm = next((c for c in table.field_order if c.lower() in OSM_FIELDS and c in table.columns), None)
        if osm is None:
            return none
        mask = np.array([_text(v) not in (None, "no") for v in table.column(osm).tolist()], dtype=bool)
        parent = np.full(n, -1, dtype=np.int64)
        how = tr("OSM {}").format(osm)
    if not mask.any():
        return none
    if not parent_field:
        _inside(geo, mask, parent)
    parts = Parts(mask, parent, choice, how)
    for i in np.flatnonzero(mask & (parent < 0))[:MAX_NOTES_PER_KIND].tolist():
        parts.notes.append(Note("building_part_alone", table.name, tr(
            "{}: row {} is a building part without a building found for it; left uncoded").format(table.name, i + 1)))
    return parts


def _inside(geo, mask: np.ndarray, parent: np.ndarray) -> None:
    """Each part's building: the non-part feature holding most (at least MIN_SHARE) of its area."""
    g, usable = geo.g, geo.usable
    hosts = np.flatnonzero(~mask & usable)
    parts = np.flatnonzero(mask & usable)
    if not len(hosts) or not len(parts):
        return
    loc = g.locate(geo.geoms[parts], np.ones(len(parts), dtype=bool), geo.geoms[hosts], "area")
    ok = (loc.home >= 0) & (loc.share >= MIN_SHARE)
    parent[parts[ok]] = hosts[loc.home[ok]]


def _text(value) -> Optional[str]:
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None
