"""Check-out: write a field package for an area (see package.py) and reserve its blocks of sequence numbers
in the shared registry, with a snapshot of the area's codes, in one registry transaction."""
import datetime
import json
import os
import sqlite3
import uuid
from dataclasses import dataclass, field, replace
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from ..registry import datasets
from ..engine import layer_writer
from ..i18n import tr
from ..engine.layers import InputError, LayerInput, Table
from ..codes.profiles import ProfileError, load_profile
from ..registry.base import RegistryError, default_actor
from ..registry.backends import open_registry
from ..registry.field_package import FieldPackageRegistry
from ..registry.field_sync import Block, canonical_json
from ..registry.sqlite_schema import SCHEMA, SCHEMA_VERSION
from ..definitions import CODE_FIELD
from ..times import now
from .features import plain_value, safe_source
from .package import DIVISIONS_LAYER, PACKAGE_SCHEMA, RESERVED, FieldPackageError


@dataclass
class CheckOutJob:
    registry: str                      # the shared registry's location
    output: str                        # the package (.gpkg)
    divisions: LayerInput
    division_field: str = "code"
    division_codes: Sequence[str] = ()  # the area: these divisions ...
    extent: Optional[Sequence[float]] = None  # ... or what lies in xmin, ymin, xmax, ymax
    extent_crs_wkt: Optional[str] = None      # of the extent (None: the divisions' CRS)
    layers: Sequence[LayerInput] = ()  # features coded in the field (buildings, projects), with their codes
    planning: Sequence[LayerInput] = ()
    profiles: Sequence[str] = ("building",)
    years: Sequence[int] = ()          # years to reserve blocks for (empty: this year)
    block_size: int = 500
    actor: Optional[str] = None
    engine: str = "auto"
    # (QGIS provider, source) per entry of `layers`, where check-in writes the features back; None or missing:
    # the file of the LayerInput, or the QgsVectorLayer it holds
    sources: Sequence[Optional[Tuple[str, str]]] = ()


@dataclass
class CheckOutResult:
    output: str
    package_id: str
    divisions: List[str]
    blocks: List[Block]
    codes: int                         # codes in the snapshot
    features: Dict[str, int] = field(default_factory=dict)  # layer name in the package -> features


def check_out(job: CheckOutJob, feedback=None) -> CheckOutResult:
    """Write a field package for the area and reserve its blocks in the shared registry."""
    from ..engine.jobs import (EngineError, Progress, division_codes, engine_for, on_registry_wait, read_all,
                               replace_output)
    from ..engine.geometry import backend
    geometry = backend()

    if os.path.isfile(job.registry) and os.path.abspath(job.registry) == os.path.abspath(job.output):
        raise FieldPackageError(tr("The package cannot be written over the registry it is checked out from"))
    if not job.division_codes and job.extent is None:
        raise FieldPackageError(tr("Choose the area of the package: division codes or an extent"))
    try:
        profiles = [load_profile(p) for p in (job.profiles or ())]
    except ProfileError as e:
        raise FieldPackageError(str(e)) from None
    if not profiles:
        raise FieldPackageError(tr("Choose at least one code profile to reserve sequence numbers for"))
    years = sorted({int(y) for y in job.years}) or [datetime.date.today().year]
    inputs = [job.divisions] + list(job.layers) + list(job.planning)
    progress = Progress(feedback, 4)
    try:
        engine = engine_for(job.engine, inputs)
        divisions, *tables = read_all(inputs, engine, progress)
        codes = division_codes(divisions, job.division_field, job.profiles[0]).codes  # at the profile's level
    except EngineError as e:
        raise FieldPackageError(str(e)) from None
    geoms = geometry.clean(geometry.from_wkb(divisions.wkb)).geoms
    if job.division_codes:
        wanted = {str(c).strip() for c in job.division_codes}
        unknown = sorted(wanted - set(codes.tolist()))
        if unknown:
            raise FieldPackageError(tr("The division layer has no division {}").format(", ".join(unknown)))
        chosen = np.isin(codes, sorted(wanted))
        area = geometry.union(geoms[chosen])
    else:
        area = geometry.box(*[float(v) for v in job.extent])
        if job.extent_crs_wkt and divisions.crs_wkt:
            area = geometry.reproject(np.array([area], dtype=object), job.extent_crs_wkt, divisions.crs_wkt)[0]
        chosen = (codes != "") & geometry.intersects(geoms, area)
    area_codes = sorted(set(codes[chosen].tolist()))
    if not area_codes:
        raise FieldPackageError(tr("No division with a code lies in the chosen area"))
    progress.step("read", tr("Area: {} divisions ({})").format(len(area_codes), ", ".join(area_codes)))

    package_id = str(uuid.uuid4())
    actor = job.actor or default_actor()
    selections = [(DIVISIONS_LAYER, divisions, chosen)]
    used = {DIVISIONS_LAYER} | RESERVED
    for inp, table in zip(list(job.layers) + list(job.planning), tables):
        local = area if not (table.crs_wkt and divisions.crs_wkt) else \
            geometry.reproject(np.array([area], dtype=object), divisions.crs_wkt, table.crs_wkt)[0]
        # A coded layer is named <layer>_coded by the engine: back under its own name, with its namespace
        # (datasets.py; the layer name for layers coded before namespaces).
        label = inp.label[:-len("_coded")] if inp in job.layers and inp.label.endswith("_coded") else inp.label
        name = _unique(label, used)
        selections.append((name, table, geometry.intersects(geometry.from_wkb(table.wkb), local)))

    # Codes of the features taken along, also of those with their home outside the area (straddlers):
    # coded again offline they must be found, not coded anew.
    taken_codes = sorted({str(c).strip().upper() for _, table, mask in selections[1:len(job.layers) + 1]
                          if CODE_FIELD in table.columns for c in np.asarray(table.column(CODE_FIELD))[mask]
                          if c not in (None, "")})
    taken = [(name, _source_of(inp, job.sources[i] if i < len(job.sources) else None), table, mask)
             for i, (inp, (name, table, mask)) in enumerate(zip(job.layers, selections[1:]))]

    def write(path):
        for name, table, mask in selections:
            layer_writer.write_layer(path, name, _subset(table, mask), {}, None, engine)
        for inp, (name, _, _) in zip(job.layers, selections[1:]):  # coded offline, they keep their identities
            datasets.store_namespace(path, name, (inp.path and datasets.read_namespace(inp.path, inp.layer)) or name)
        progress.step("layers")
        with open_registry(job.registry) as reg:
            reg.on_wait = on_registry_wait(progress)  # another job writing: say who
            if isinstance(reg, FieldPackageRegistry):
                raise FieldPackageError(tr("Check out from the shared registry, not from another field package"))
            with reg.pending():  # every block and the snapshot, or nothing
                blocks = [b for p in profiles for b in reg.reserve_blocks(
                    p, [(d, y) for d in area_codes for y in years], job.block_size, package_id, actor)]
                snapshot = reg.snapshot(area_codes, taken_codes)
        progress.step("reserve", tr("Reserved {} blocks of {} sequence numbers").format(len(blocks), job.block_size))
        info = {"id": package_id, "source": job.registry, "created": now(), "actor": actor,
                "area": json.dumps({"divisions": area_codes, "extent": list(job.extent) if job.extent else None},
                                   ensure_ascii=False),
                "profiles": json.dumps([p.name for p in profiles]), "years": json.dumps(years),
                "block_size": str(job.block_size)}
        _write_registry(path, info, snapshot, blocks, taken)
        return blocks, snapshot

    try:
        blocks, snapshot = replace_output(write, job.output, progress)
    except (RegistryError, InputError, ValueError, OSError, sqlite3.Error) as e:
        raise FieldPackageError(str(e)) from None
    progress.step("write", tr("Field package {} written to {}").format(package_id, job.output), cancelable=False)
    return CheckOutResult(output=job.output, package_id=package_id, divisions=area_codes, blocks=blocks,
                          codes=len(snapshot["codes"]),
                          features={name: int(mask.sum()) for name, _, mask in selections})


def _unique(name: str, used: set) -> str:
    base, n = name or "layer", 1
    while name.lower() in used:
        n += 1
        name = "{}_{}".format(base, n)
    used.add(name.lower())
    return name


def _subset(table: Table, mask: np.ndarray) -> Table:
    """The rows of a Table where mask is true (Arrow columns filtered without leaving Arrow)."""
    if table.arrow is not None:
        import pyarrow as pa
        keep = pa.array(mask)
        arrow = table.arrow.filter(keep)
        return replace(table, arrow=arrow, columns={n: arrow.column(n) for n in arrow.column_names},
                       wkb=table.wkb[mask], geometry_arrow=None if table.geometry_arrow is None
                       else table.geometry_arrow.filter(keep))
    rows = np.flatnonzero(mask)
    columns = {n: v[mask] if isinstance(v, np.ndarray) else [v[i] for i in rows] for n, v in table.columns.items()}
    return replace(table, wkb=table.wkb[mask], columns=columns)


def _source_of(inp: LayerInput, given: Optional[Tuple[str, str]]) -> Optional[Tuple[str, str, Optional[str]]]:
    """(provider, source without a password, CRS set by the user) of a layer taken along, or None when its
    features cannot be written back there."""
    if inp.datum:  # its coordinates were moved on reading: written back they would be moved twice
        return None
    if given:
        return given[0], safe_source(*given), inp.crs_wkt
    if inp.path and inp.source is None:
        return "ogr", os.path.abspath(inp.path) + ("|layername={}".format(inp.layer) if inp.layer else ""), inp.crs_wkt
    from qgis.core import QgsVectorLayer
    if isinstance(inp.source, QgsVectorLayer):
        return inp.source.providerType(), safe_source(inp.source.providerType(), inp.source.source()), inp.crs_wkt
    return None


def _write_registry(path: str, info: Dict[str, str], snapshot: Dict[str, list], blocks: List[Block],
                    taken: Sequence[tuple] = ()):
    """The package's registry tables: the embedded registry's schema, the snapshot, the blocks, the base, and
    the layers taken along (`taken`: package layer name, its source or None, Table, rows taken) with the
    base state of their coded features."""
    con = sqlite3.connect(path, isolation_level=None)
    try:
        con.executescript(SCHEMA + PACKAGE_SCHEMA)  # (a failed write leaves only the temporary file)
        con.execute("BEGIN")
        con.execute("INSERT INTO meta VALUES('schema_version', ?)", (str(SCHEMA_VERSION),))
        con.executemany("INSERT INTO batches VALUES(?,?,?,?,?,?)", snapshot["batches"])
        con.executemany("INSERT INTO codes VALUES(?,?,?,?,?,?,?,?,?,?,?)", snapshot["codes"])
        con.executemany("INSERT INTO audit VALUES(?,?,?,?,?)", snapshot["audit"])
        con.executemany("INSERT OR IGNORE INTO lineage VALUES(?,?,?,?)", snapshot["lineage"])
        batch = con.execute("INSERT INTO batches(at, actor, action, note, count) VALUES(?,?,?,?,?)",
                            (info["created"], info["actor"], "checkout", info["source"], len(blocks))).lastrowid
        con.executemany("INSERT INTO blocks(package, profile, division, year, first_seq, last_seq, batch) "
                        "VALUES(?,?,?,?,?,?,?)",
                        [(b.package, b.profile, b.division, b.year, b.first, b.last, batch) for b in blocks])
        con.executemany("INSERT INTO sequences VALUES(?,?,?,?)",
                        [(b.profile, b.division, b.year, b.first - 1) for b in blocks])
        con.executemany("INSERT INTO base VALUES(?,?)", [
            (r[0], canonical_json({"name": r[8], "attrs": json.loads(r[9]) if r[9] else {}, "status": r[7]}))
            for r in snapshot["codes"]])
        con.executemany("INSERT INTO package VALUES(?,?)", list(dict(info, base_batch=str(batch)).items()))
        for name, source, table, mask in taken:
            con.execute("INSERT INTO package_layers VALUES(?,?,?,?)", (name,) + tuple(source or (None, None, None)))
            if CODE_FIELD not in table.columns:
                continue
            rows = np.flatnonzero(mask)
            columns = {}
            for n in table.field_order:  # as Python values (Arrow's to_numpy turns nullable ints into floats)
                values = table.columns[n]
                values = values.to_pylist() if hasattr(values, "to_pylist") else list(values)
                columns[n] = [values[r] for r in rows]
            for i, (code, wkb) in enumerate(zip(columns[CODE_FIELD], table.wkb[mask].tolist())):
                if code not in (None, ""):  # the first feature of a code is the one check-in matches
                    con.execute("INSERT OR IGNORE INTO package_features VALUES(?,?,?,?)",
                                (name, str(code).strip().upper(), wkb,
                                 canonical_json({n: plain_value(v[i]) for n, v in columns.items()})))
        # Listed as a table: QGIS shows the blocks, and GDAL then hides the other registry tables.
        con.execute("INSERT INTO gpkg_contents(table_name, data_type, identifier, description, last_change) "
                    "VALUES('blocks', 'attributes', 'blocks', ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
                    (tr("Sequence numbers reserved for this field package"),))
        con.execute("COMMIT")
    finally:
        con.close()
