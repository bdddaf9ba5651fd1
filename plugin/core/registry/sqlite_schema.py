"""The embedded registry's tables (SQLite; a field package holds them too).

Tables
  codes      every code ever issued (status active/retired); a code is its primary key, so it exists once
  sequences  the last sequence number issued per profile + division + year; it only moves forward
  batches    one row per change: when, who, which action, a note (a batch run is one row for all its codes)
  audit      what a change did to a code after it was issued (update, retire, split, merge)
  lineage    parent -> child links from split and merge
  blocks     sequence numbers reserved for field packages (package, profile, division, year, first..last)
  checkins   the field-package changes applied (a stable id each: a second check-in applies nothing); target:
             the layer a feature change was written to (NULL: a change of the registry's own records)
  conflicts  field-package changes not applied because the registry (or, kind 'feature', the target layer)
             changed the same code; both versions, and the target layer of a feature conflict
"""

SCHEMA_VERSION = 3  # 2: blocks, checkins, conflicts (field packages); 3: their target columns (features);
# added to older files on opening
IDENTITY_INDEX = "CREATE INDEX IF NOT EXISTS codes_identity ON codes(identity) WHERE status = 'active'"
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS codes(
    code TEXT PRIMARY KEY, profile TEXT NOT NULL, division TEXT NOT NULL, year INTEGER NOT NULL,
    seq INTEGER NOT NULL, unit TEXT, identity TEXT, status TEXT NOT NULL DEFAULT 'active',
    name TEXT, attrs TEXT, batch INTEGER NOT NULL);
{identity_index};
CREATE INDEX IF NOT EXISTS codes_name ON codes(name) WHERE name IS NOT NULL;
CREATE TABLE IF NOT EXISTS sequences(
    profile TEXT NOT NULL, division TEXT NOT NULL, year INTEGER NOT NULL, last_seq INTEGER NOT NULL,
    PRIMARY KEY(profile, division, year));
CREATE TABLE IF NOT EXISTS batches(
    id INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
    note TEXT, count INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS audit(
    id INTEGER PRIMARY KEY, batch INTEGER NOT NULL REFERENCES batches(id), code TEXT NOT NULL,
    action TEXT NOT NULL, detail TEXT);
CREATE INDEX IF NOT EXISTS audit_code ON audit(code);
CREATE TABLE IF NOT EXISTS lineage(
    parent TEXT NOT NULL, child TEXT NOT NULL, op TEXT NOT NULL, batch INTEGER NOT NULL,
    PRIMARY KEY(parent, child));
CREATE TABLE IF NOT EXISTS blocks(
    id INTEGER PRIMARY KEY, package TEXT NOT NULL, profile TEXT NOT NULL, division TEXT NOT NULL,
    year INTEGER NOT NULL, first_seq INTEGER NOT NULL, last_seq INTEGER NOT NULL, batch INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS blocks_package ON blocks(package);
CREATE TABLE IF NOT EXISTS checkins(
    change TEXT PRIMARY KEY, package TEXT NOT NULL, code TEXT NOT NULL, version TEXT, batch INTEGER NOT NULL,
    target TEXT);
CREATE INDEX IF NOT EXISTS checkins_package ON checkins(package, code);
CREATE TABLE IF NOT EXISTS conflicts(
    id INTEGER PRIMARY KEY, package TEXT NOT NULL, change TEXT NOT NULL UNIQUE, code TEXT NOT NULL,
    kind TEXT NOT NULL, registry_version TEXT, package_version TEXT, batch INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'open', choice TEXT, resolved_batch INTEGER, target TEXT);
""".format(identity_index=IDENTITY_INDEX)
# Columns added after a table first shipped: CREATE TABLE IF NOT EXISTS leaves an older file's table as it was.
ADDED_COLUMNS = (("checkins", "target", "TEXT"), ("conflicts", "target", "TEXT"))
