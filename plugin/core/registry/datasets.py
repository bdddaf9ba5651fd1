"""Which dataset a layer is: the namespace of its features' identities in the registry.

An identity is "<namespace>:<id value>". The namespace used to be the layer's name, so every layer called
`buildings` shared one and a second city got the first city's codes. Now it comes from the dataset itself:

  given      NAMESPACE chosen by the user (Processing parameter, batch dialog)
  stored     kept with the data: a row of a GeoPackage's standard metadata (gpkg_metadata, referring to the
             layer's table), or a sidecar "<name>.citycode" beside a shapefile. Every coded output carries its
             input's namespace, so the usual way of working (code a layer, then keep working on the coded
             layer, copy it, rename it, code it again) keeps finding its codes.
  source     otherwise the source itself: "file:/data/city_a/buildings.shp", or for a database table what the
             caller passes (e.g. "postgres:dbname=gis host=db/public.buildings"). Inputs are never written to,
             so a raw input moved elsewhere is another dataset: give it a NAMESPACE, or code its coded output.

Registries coded before this have identities under the bare layer name. A run whose ids are found there, and
none under its own namespace yet, adopts them once (renamed to its namespace, recorded as a batch) when the
codes' divisions agree with where its features lie (ADOPT_SHARE of them); else those codes are another
dataset's and stay where they are.
"""
import collections
import json
import os
import pathlib
import sqlite3
from dataclasses import dataclass
from typing import Optional

import numpy as np

from ..i18n import tr

METADATA_URI = "urn:citycode:dataset"  # md_standard_uri of our row in a GeoPackage's gpkg_metadata
SIDECAR = ".citycode"
ADOPT_SHARE = 0.95  # of the codes found under the layer name, this share must lie in the features' divisions


@dataclass
class Dataset:
    namespace: str
    how: str                      # given / stored / source
    legacy: Optional[str] = None  # the layer name: the namespace of registries made before datasets

    def describe(self) -> str:
        text = {"given": tr("Namespace {} (given)"), "stored": tr("Namespace {} (stored with the data)"),
                "source": tr("Namespace {} (the source; give a NAMESPACE to keep it when the file moves)")}
        return text[self.how].format(self.namespace)


def _gpkg_table(con: sqlite3.Connection, layer: Optional[str]) -> Optional[str]:
    """The feature table a GeoPackage layer reads (layer None: the first, as OGR lists them)."""
    if layer:
        return layer
    row = con.execute("SELECT table_name FROM gpkg_contents WHERE data_type='features' ORDER BY rowid").fetchone()
    return row[0] if row else None


def _ro(path: str) -> sqlite3.Connection:
    return sqlite3.connect(pathlib.Path(path).resolve().as_uri() + "?mode=ro", uri=True)


_FIND = ("SELECT m.metadata FROM gpkg_metadata m JOIN gpkg_metadata_reference r ON r.md_file_id = m.id "
         "WHERE m.md_standard_uri = ? AND r.reference_scope = 'table' AND r.table_name = ? ORDER BY m.id LIMIT 1")


def read_namespace(path: str, layer: Optional[str] = None) -> Optional[str]:
    """The namespace stored with a GeoPackage layer or a shapefile, or None."""
    ext = os.path.splitext(path)[1].lower()
    try:
        if ext == ".shp":
            with open(os.path.splitext(path)[0] + SIDECAR, encoding="utf-8") as f:
                return str(json.load(f)["namespace"])
        if ext == ".gpkg":
            con = _ro(path)
            try:
                row = con.execute(_FIND, (METADATA_URI, _gpkg_table(con, layer))).fetchone()
            finally:
                con.close()
            return str(json.loads(row[0])["namespace"]) if row else None
    except (OSError, ValueError, KeyError, TypeError, sqlite3.Error):
        return None
    return None


# The GeoPackage metadata extension (OGC 12-128r18, F.8), made when the file has no metadata yet.
_METADATA_TABLES = """
CREATE TABLE IF NOT EXISTS gpkg_metadata(
    id INTEGER CONSTRAINT m_pk PRIMARY KEY ASC NOT NULL, md_scope TEXT NOT NULL DEFAULT 'dataset',
    md_standard_uri TEXT NOT NULL, mime_type TEXT NOT NULL DEFAULT 'text/xml', metadata TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS gpkg_metadata_reference(
    reference_scope TEXT NOT NULL, table_name TEXT, column_name TEXT, row_id_value INTEGER,
    timestamp DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')), md_file_id INTEGER NOT NULL,
    md_parent_id INTEGER, CONSTRAINT crmr_mfi_fk FOREIGN KEY (md_file_id) REFERENCES gpkg_metadata(id),
    CONSTRAINT crmr_mpi_fk FOREIGN KEY (md_parent_id) REFERENCES gpkg_metadata(id));
CREATE TABLE IF NOT EXISTS gpkg_extensions(
    table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL, definition TEXT NOT NULL,
    scope TEXT NOT NULL, CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name));
INSERT OR IGNORE INTO gpkg_extensions VALUES
    ('gpkg_metadata', NULL, 'gpkg_metadata', 'http://www.geopackage.org/spec120/#extension_metadata', 'read-write'),
    ('gpkg_metadata_reference', NULL, 'gpkg_metadata', 'http://www.geopackage.org/spec120/#extension_metadata',
     'read-write');
"""


def store_namespace(path: str, layer: Optional[str], namespace: str) -> bool:
    """Keep `namespace` with a GeoPackage layer (a row of its standard metadata: no extra layer appears) or
    a shapefile (a sidecar); one already there is kept. Whether it is stored."""
    ext = os.path.splitext(path)[1].lower()
    try:
        if ext == ".shp":
            side = os.path.splitext(path)[0] + SIDECAR
            if not os.path.exists(side):
                with open(side, "w", encoding="utf-8") as f:
                    json.dump({"namespace": namespace, "note": "CityCode dataset id: keep it with the shapefile"},
                              f, ensure_ascii=False)
        elif ext == ".gpkg":
            con = sqlite3.connect(path, timeout=10)
            try:
                with con:
                    table = _gpkg_table(con, layer)
                    con.executescript("SAVEPOINT md;" + _METADATA_TABLES + "RELEASE md;")
                    if table and con.execute(_FIND, (METADATA_URI, table)).fetchone() is None:
                        md = con.execute("INSERT INTO gpkg_metadata(md_scope, md_standard_uri, mime_type, metadata) "
                                         "VALUES('dataset', ?, 'application/json', ?)",
                                         (METADATA_URI, json.dumps({"namespace": namespace}))).lastrowid
                        con.execute("INSERT INTO gpkg_metadata_reference(reference_scope, table_name, md_file_id) "
                                    "VALUES('table', ?, ?)", (table, md))
            finally:
                con.close()
        else:
            return False
    except (OSError, sqlite3.Error):
        return False
    return read_namespace(path, layer) == namespace


def postgres_namespace(source: str) -> str:
    """The namespace of a PostgreSQL table (a QGIS data source URI): its server, database, schema and table,
    never its user or password."""
    from qgis.core import QgsDataSourceUri
    uri = QgsDataSourceUri(source)
    where = "service={}".format(uri.service()) if uri.service() else "host={} port={}".format(uri.host(), uri.port())
    return "postgres:{} dbname={}/{}.{}".format(where, uri.database(), uri.schema(), uri.table())


def resolve(inp, layer_name: str, given: Optional[str] = None) -> Dataset:
    """The dataset of the job's buildings `inp` (a LayerInput) read as `layer_name`. Nothing is written to
    the input: its namespace is stored with the coded output (store_namespace), whose copies and renames keep it."""
    if given and given.strip():
        return Dataset(given.strip(), "given", layer_name)
    if inp.path is None:  # a QGIS source: the caller passes what identifies it (e.g. a PostGIS table) as `given`
        return Dataset(layer_name, "source", layer_name)
    found = read_namespace(inp.path, inp.layer)
    if found:
        return Dataset(found, "stored", layer_name)
    where = os.path.abspath(inp.path) + ("|" + inp.layer if inp.layer else "")
    return Dataset("file:" + where, "source", layer_name)


def legacy_fingerprint_codes(reg, profile, old: np.ndarray, identity: np.ndarray, division: np.ndarray) -> tuple:
    """Codes issued to lon/lat buildings without ids while fingerprints were taken on a 0.01 grid in degrees
    (about 1 km: neighbours collided), carried over to their fingerprints in metres, once: a building takes
    the code of its old fingerprint when it alone had that fingerprint in this layer, the code lies in the
    building's division and its new fingerprint has no code yet. old: the old fingerprint identity of each
    feature (None: none). Returns (old identities, new identities, codes of old fingerprints that several
    buildings share here: which one had it cannot be told, so none takes it); nothing is written."""
    rows = np.flatnonzero(np.not_equal(old, None))
    if not len(rows) or not reg._sql("SELECT 1 FROM codes WHERE profile=? AND status='active' AND identity >= ? "
                                     "AND identity < ? LIMIT 1", (profile.name, "geom:", "geom;"), "one"):
        return [], [], 0
    found = reg._existing(profile.name, old[rows])
    counts = collections.Counter(old[rows].tolist())
    shared = sum(1 for k in found if counts[k] > 1)
    taken = reg._existing(profile.name, identity[rows])
    rows = rows[[old[r] in found and counts[old[r]] == 1 and identity[r] not in taken for r in rows.tolist()]]
    if len(rows):
        rows = rows[division_of(profile, [found[old[r]] for r in rows.tolist()]) == division[rows].astype("U")]
    return old[rows].tolist(), identity[rows].tolist(), shared


def division_span(profile) -> tuple:
    """(start, end) of the division segment in a code of `profile`."""
    start = 0
    for seg in profile.segments:
        if seg.type == "division":
            return start, start + seg.length
        start += seg.length


def division_of(profile, codes) -> np.ndarray:
    """The division segment of each code (codes: strings of `profile`)."""
    start, end = division_span(profile)
    raw = np.asarray(codes, dtype=object).astype(f"S{profile.length}")  # codes are ASCII: cut as bytes, at once
    cut = raw.view(np.uint8).reshape(len(raw), profile.length)[:, start:end].copy()
    return cut.view(f"S{end - start}").ravel().astype(f"U{end - start}")


def legacy_codes(reg, profile, dataset: Dataset, identity: np.ndarray, division: np.ndarray) -> tuple:
    """Codes issued under the bare layer name (registries made before datasets) that this dataset adopts, once:
    a dataset whose id was stored at an earlier run has had its chance. identity: the identities asking for
    codes, division: where those features lie. Returns (old identities, new identities, codes found under the
    layer name but left as another dataset's); nothing is written."""
    if dataset.how == "stored" or not dataset.legacy or dataset.legacy == dataset.namespace or not len(identity):
        return [], [], 0
    # Any code under the layer name at all? A range on the identity: one quick look, not a read of every code.
    if not reg._sql("SELECT 1 FROM codes WHERE profile=? AND status='active' AND identity >= ? AND identity < ? "
                    "LIMIT 1", (profile.name, dataset.legacy + ":", dataset.legacy + ";"), "one"):
        return [], [], 0
    prefix = dataset.namespace + ":"
    legacy = np.array([dataset.legacy + i[len(dataset.namespace):] if i is not None and i.startswith(prefix)
                       else None for i in identity.tolist()], dtype=object)
    found = reg._existing(profile.name, legacy)
    if not found or reg._existing(profile.name, identity):
        return [], [], len(found)
    rows = np.array([i for i, key in enumerate(legacy.tolist()) if key in found])
    agree = division_of(profile, [found[legacy[i]] for i in rows]) == division[rows].astype("U")
    if agree.mean() < ADOPT_SHARE:
        return [], [], len(found)
    return legacy[rows].tolist(), identity[rows].tolist(), 0
