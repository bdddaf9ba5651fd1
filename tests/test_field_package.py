"""Offline field packages (plugin/core/fieldwork/, registry/field_sync.py, registry/field_package.py).

The sample town is coded by "the office" into a shared registry (SQLite file or a schema on the test
PostgreSQL server); field packages are checked out of it, coded offline with the real engine (and the
Processing algorithms) while the shared registry is out of reach, and checked back in. Expected sequence
numbers come from the office's coded layer (how many 2025 buildings a division already had) and from the
reserved blocks, not from the code under test.
"""
import contextlib
import os
import sqlite3
import uuid

import numpy as np
import psycopg2
import pytest
import shapely
from dbdump import dump
from pyogrio.raw import read, write

from citycode.plugin.core.fieldwork import checkin, checkout, features, package as fp
from citycode.plugin.core.engine.assign import AssignJob, LayerInput, run_assign
from citycode.plugin.core.codes.profiles import load_profile
from citycode.plugin.core.registry.datasets import read_namespace
from citycode.plugin.core.registry.base import IssueRequest, RegistryError, default_actor
from citycode.plugin.core.registry.backends import open_registry
from citycode.plugin.core.registry.sqlite import SQLiteRegistry

DIV_A, DIV_B = "340104001", "340104002"
YEAR = 2025
OFFICE, FIELD_1, FIELD_2 = "office", "field-1", "field-2"


@pytest.fixture(scope="module")
def building():
    return load_profile("building")


@pytest.fixture(params=["sqlite", "postgres"])
def shared(request, tmp_path):
    """The shared registry's location."""
    if request.param == "sqlite":
        return str(tmp_path / "shared.sqlite")
    server = request.getfixturevalue("pg_server")
    return server.uri("fp_{}".format(uuid.uuid4().hex[:12]))


def registry_dump(location):
    if location.startswith("postgresql:"):
        from test_registry_postgres import pg_dump
        return pg_dump(location)
    return dump(location)


@contextlib.contextmanager
def shared_out_of_reach(location, monkeypatch):
    """The shared registry cannot be reached meanwhile: its file is gone, or no connection can be opened."""
    if location.startswith("postgresql:"):
        def refuse(*args, **kwargs):
            raise AssertionError("a field package opened a database connection")
        with monkeypatch.context() as patch:
            patch.setattr(psycopg2, "connect", refuse)
            yield
    else:
        os.rename(location, location + ".away")
        try:
            yield
        finally:
            os.rename(location + ".away", location)


@pytest.fixture()
def office(shared, tmp_path, sample_gpkg):
    """The sample town coded into the shared registry; returns the coded layer's path."""
    coded = str(tmp_path / "coded.gpkg")
    run_assign(AssignJob(buildings=LayerInput(path=str(sample_gpkg), layer="buildings"),
                         divisions=LayerInput(path=str(sample_gpkg), layer="divisions"), output=coded,
                         year_field="year", id_field="id", registry=shared, actor=OFFICE))
    return coded


def coded_rows(path, layer=None):
    _, _, _, cols = read(path, layer=layer, columns=["id", "citycode", "division", "cc_status"])
    return [dict(id=int(i), code=c, division=d, status=s) for i, c, d, s in zip(*cols)]


def office_count(coded, division, year=YEAR):
    """2025 codes of a division issued by the office: from the coded layer (codes carry their year)."""
    return sum(1 for r in coded_rows(coded) if r["division"] == division and r["code"]
               and r["code"][9:13] == str(year))


def new_buildings(path, ids, division, coded):
    """Buildings digitised in the field: footprints inside `division` (shrunk copies of coded ones), new ids."""
    meta, _, geom, cols = read(coded, columns=["division"])
    rows = np.flatnonzero(cols[0] == division)[:len(ids)]
    footprints = shapely.buffer(shapely.from_wkb(geom[rows]), -0.5)
    write(path, shapely.to_wkb(footprints), [np.array(ids), np.full(len(ids), YEAR)], ["id", "year"],
          layer="new", driver="GPKG", geometry_type="MultiPolygon", crs=meta["crs"], promote_to_multi=True)
    return path


def check_out(shared, tmp_path, sample_gpkg, name, divisions, size, coded=None, actor=FIELD_1, **kw):
    job = checkout.CheckOutJob(registry=shared, output=str(tmp_path / name),
                         divisions=LayerInput(path=str(sample_gpkg), layer="divisions"), division_codes=divisions,
                         layers=[LayerInput(path=coded, layer="buildings_coded")] if coded else [],
                         planning=[LayerInput(path=str(sample_gpkg), layer="stbhhx")], years=[YEAR],
                         block_size=size, actor=actor, **kw)
    return checkout.check_out(job)


def code_offline(package, buildings, tmp_path, actor):
    """assigncodes with the package as registry and its own division layer (nothing else is reachable)."""
    out = str(tmp_path / (os.path.basename(buildings) + "_coded.gpkg"))
    run_assign(AssignJob(buildings=LayerInput(path=buildings), divisions=LayerInput(path=package, layer="divisions"),
                         output=out, year_field="year", id_field="id", registry=package, actor=actor,
                         namespace=read_namespace(package, "buildings")))  # the package's layer carries it
    return coded_rows(out)


def seq(code):
    return int(code[13:17])


# -- reserving, coding offline, checking in ---------------------------------------------------------------
def test_packages_never_collide_offline_and_merge_back(shared, office, tmp_path, sample_gpkg, building,
                                                       monkeypatch, citycode_processing):
    import processing
    before_a = office_count(office, DIV_A)
    assert before_a > 0
    out = processing.run("citycode:checkout", {
        "REGISTRY": shared, "BUILDINGS": [office + "|layername=buildings_coded"],
        "DIVISIONS": "{}|layername=divisions".format(sample_gpkg),
        "DIVISION_FIELD": "code", "DIVISION_CODES": "{}, {}".format(DIV_A, DIV_B),
        "PLANNING": ["{}|layername=stbhhx".format(sample_gpkg)], "PROFILES": ["building"], "YEARS": str(YEAR),
        "BLOCK_SIZE": 20, "OUTPUT": str(tmp_path / "a.gpkg")})
    pkg_a = out["OUTPUT"]
    assert out["BLOCKS"] == 2
    b = check_out(shared, tmp_path, sample_gpkg, "b.gpkg", [DIV_A], 20, actor=FIELD_2)
    blocks_a = {blk.division: blk for blk in open_registry(pkg_a).blocks()}
    (block_b,) = b.blocks
    # A's block starts after the office's codes, B's after A's: reserved in the shared registry's sequences
    assert (blocks_a[DIV_A].first, blocks_a[DIV_A].last) == (before_a + 1, before_a + 20)
    assert (block_b.first, block_b.last) == (before_a + 21, before_a + 40)
    with open_registry(shared) as reg:  # an office batch after the reservations continues after the blocks
        office_new = reg.issue(building, IssueRequest(
            identity=np.array(["office:1", "office:2"], dtype=object), division=np.array([DIV_A, DIV_A]),
            year=np.array([YEAR, YEAR]), order=np.arange(2)), OFFICE).code.tolist()
        assert [seq(c) for c in office_new] == [before_a + 41, before_a + 42]
        assert {blk.package for blk in reg.blocks()} == {out["PACKAGE_ID"], b.package_id}
    # the package holds the area: its divisions, buildings with codes, planning layer, and the codes' snapshot
    taken = coded_rows(pkg_a, "buildings")
    home = {r["id"] for r in coded_rows(office) if r["division"] in (DIV_A, DIV_B)}
    assert home <= {r["id"] for r in taken} and len(taken) < len(coded_rows(office))
    snapshot_codes = {r["code"] for r in coded_rows(office) if r["division"] in (DIV_A, DIV_B)} | {
        r["code"] for r in taken if r["code"]}
    with open_registry(pkg_a) as reg:
        assert reg.count() == len(snapshot_codes) and all(reg.get(c) for c in snapshot_codes)

    dump_before = registry_dump(shared)
    with shared_out_of_reach(shared, monkeypatch):
        # the package's own buildings are known offline: nothing new for them
        again = code_offline(pkg_a, _package_layer(pkg_a, tmp_path), tmp_path, FIELD_1)
        assert {r["status"] for r in again} <= {"existing", "outside", "empty"}
        assert {r["code"] for r in again if r["status"] == "existing"} <= snapshot_codes
        rows_a = code_offline(pkg_a, new_buildings(str(tmp_path / "new_a.gpkg"), list(range(9001, 9006)), DIV_A,
                                                   office), tmp_path, FIELD_1)
        rows_b = code_offline(b.output, new_buildings(str(tmp_path / "new_b.gpkg"), list(range(9101, 9106)),
                                                      DIV_A, office), tmp_path, FIELD_2)
        out_b = processing.run("citycode:assigncodes", {  # Processing too, with the package as registry
            "BUILDINGS": new_buildings(str(tmp_path / "new_b2.gpkg"), [9201], DIV_A, office),
            "DIVISIONS": b.output + "|layername=divisions", "DIVISION_FIELD": "code", "YEAR_FIELD": "year",
            "ID_FIELD": "id", "REGISTRY": b.output, "OUTPUT": str(tmp_path / "new_b2_coded.gpkg")})
        assert out_b["NEW"] == 1
        with open_registry(pkg_a) as reg:  # the code form's way: one code, edited, one retired
            with reg.pending_issue(building, "buildings:9301", DIV_A, YEAR, FIELD_1, name="岗亭") as issued:
                assert issued.is_new
            retired = sorted(snapshot_codes)[0]
            reg.retire(retired, FIELD_1, "demolished")
            renamed = sorted(snapshot_codes)[1]
            reg.update(renamed, FIELD_1, name="改造后")
    assert registry_dump(shared) == dump_before  # offline work never touched the shared registry

    codes_a = [r["code"] for r in rows_a] + [issued.code]
    codes_b = [r["code"] for r in rows_b] + [coded_rows(str(tmp_path / "new_b2_coded.gpkg"))[0]["code"]]
    assert all(r["status"] == "new" for r in rows_a + rows_b)
    assert all(blocks_a[DIV_A].first <= seq(c) <= blocks_a[DIV_A].last for c in codes_a)
    assert all(block_b.first <= seq(c) <= block_b.last for c in codes_b)
    assert not set(codes_a) & set(codes_b) and not (set(codes_a) | set(codes_b)) & set(office_new)
    assert all(not building.validate(c) for c in codes_a + codes_b)

    result = checkin.check_in(pkg_a, shared, OFFICE)
    assert (result.new, result.updated, result.retired, result.conflicts) == (6, 1, 1, 0)
    # the office layer the package's buildings came from (recorded by the Processing check-out) shows the retirement
    assert (result.features_added, result.features_updated) == (0, 1)
    assert layer_rows(office)[0][retired][1]["cc_status"] == "retired"
    out = processing.run("citycode:checkin", {"PACKAGE": b.output, "REGISTRY": shared})
    assert (out["NEW"], out["UPDATED"], out["RETIRED"], out["CONFLICTS"]) == (6, 0, 0, 0)
    with open_registry(shared) as reg:
        # who issued each code in the field, and when, is kept (Processing runs as the login user)
        for codes, actor in ((codes_a, FIELD_1), (codes_b[:-1], FIELD_2), (codes_b[-1:], default_actor())):
            assert [(reg.get(c).status, reg.get(c).created_by) for c in codes] == [("active", actor)] * len(codes)
        assert reg.get(issued.code).name == "岗亭" and reg.get(issued.code).identity == "buildings:9301"
        assert reg.get(retired).status == "retired" and reg.get(renamed).name == "改造后"
        assert [h["action"] for h in reg.history(retired)][-1] == "retire"
        assert "demolished" in reg.history(retired)[-1]["detail"]
        assert reg.history(renamed)[-1]["actor"] == OFFICE and FIELD_1 in reg.history(renamed)[-1]["detail"]
        # the blocks stay reserved: the next office code still comes after them
        nxt = reg.issue(building, IssueRequest(identity=np.array(["office:3"], dtype=object),
                                               division=np.array([DIV_A]), year=np.array([YEAR]),
                                               order=np.arange(1)), OFFICE).code[0]
        assert seq(nxt) == before_a + 43
    settled = registry_dump(shared)
    again_a, again_b = checkin.check_in(pkg_a, shared, OFFICE), checkin.check_in(b.output, shared, OFFICE)
    assert (again_a.new, again_a.updated, again_a.retired, again_a.conflicts, again_a.already) == (0, 0, 0, 0, 8)
    assert (again_b.new, again_b.conflicts, again_b.already) == (0, 0, 6)
    assert registry_dump(shared) == settled  # a second check-in changes nothing


def _package_layer(package, tmp_path):
    """The package's buildings layer as its own file (the engine may not write into the package itself)."""
    meta, _, geom, cols = read(package, layer="buildings", columns=["id", "year"])
    path = str(tmp_path / "package_buildings.gpkg")
    write(path, geom, list(cols), ["id", "year"], layer="buildings", driver="GPKG", geometry_type="MultiPolygon",
          crs=meta["crs"], promote_to_multi=True)
    return path


# -- conflicts ---------------------------------------------------------------------------------------------
def test_same_code_edited_in_two_packages_is_a_conflict_until_resolved(shared, office, tmp_path, sample_gpkg,
                                                                       building, citycode_processing):
    import processing
    a = check_out(shared, tmp_path, sample_gpkg, "a.gpkg", [DIV_A], 5)
    b = check_out(shared, tmp_path, sample_gpkg, "b.gpkg", [DIV_A], 5, actor=FIELD_2)
    x, y = sorted(r["code"] for r in coded_rows(office) if r["division"] == DIV_A)[:2]
    with open_registry(a.output) as reg:
        reg.update(x, FIELD_1, name="A 的名字", attrs={"floors": 3})
        reg.update(y, FIELD_1, name="A-y")
        with reg.pending_issue(building, "buildings:9500", DIV_A, YEAR, FIELD_1, name="field") as field_code:
            pass
    with open_registry(b.output) as reg:
        reg.update(x, FIELD_2, name="B 的名字")
        reg.update(y, FIELD_2, name="B-y")
    with open_registry(shared) as reg:  # the office codes the same new building meanwhile
        office_code = reg.issue(building, IssueRequest(
            identity=np.array(["buildings:9500"], dtype=object), division=np.array([DIV_A]),
            year=np.array([YEAR]), order=np.arange(1)), OFFICE).code[0]

    first = checkin.check_in(a.output, shared, OFFICE)
    assert (first.new, first.updated, first.conflicts) == (0, 2, 1)
    second = checkin.check_in(b.output, shared, OFFICE)
    assert (second.new, second.updated, second.conflicts) == (0, 0, 2)
    with open_registry(shared) as reg:
        assert (reg.get(x).name, reg.get(x).attrs, reg.get(y).name) == ("A 的名字", {"floors": 3}, "A-y")
        assert reg.get(field_code.code) is None and reg.get(office_code).status == "active"
        open_ = {(c.code, c.kind): c for c in reg.conflicts()}
        assert set(open_) == {(x, "edit"), (y, "edit"), (field_code.code, "identity")}
        cx = open_[(x, "edit")]
        assert (cx.registry_version["name"], cx.package_version["name"]) == ("A 的名字", "B 的名字")
        assert (cx.package, cx.actor, cx.status) == (b.package_id, OFFICE, "open")
        ident = open_[(field_code.code, "identity")]
        assert ident.registry_version["code"] == office_code and ident.package_version["identity"] == "buildings:9500"
    unresolved = registry_dump(shared)
    assert checkin.check_in(b.output, shared, OFFICE).conflicts == 0  # kept once, not again
    assert registry_dump(shared) == unresolved

    processing.run("citycode:resolveconflict", {"REGISTRY": shared, "CONFLICT": cx.id, "CHOICE": "package"})
    with open_registry(shared) as reg:
        reg.resolve_conflict(open_[(y, "edit")].id, "registry", "lead")
        reg.resolve_conflict(ident.id, "package", "lead")
        with pytest.raises(RegistryError):
            reg.resolve_conflict(ident.id, "registry", "lead")  # settled already
        assert reg.get(x).name == "B 的名字" and reg.get(y).name == "A-y"
        assert reg.get(office_code).status == "retired" and reg.get(field_code.code).status == "active"
        assert reg.active_code("building", "buildings:9500") == field_code.code
        assert reg.conflicts() == []
        assert sorted(c.choice for c in reg.conflicts(open_only=False)) == ["package", "package", "registry"]
        for code, who in ((x, default_actor()), (y, "lead"), (field_code.code, "lead")):
            assert (reg.history(code)[-1]["action"], reg.history(code)[-1]["actor"]) == ("resolve", who)
    settled = registry_dump(shared)
    for package in (a.output, b.output):
        again = checkin.check_in(package, shared, OFFICE)
        assert (again.new, again.updated, again.conflicts) == (0, 0, 0)
    assert registry_dump(shared) == settled


# -- blocks: used up, refused, tampered ----------------------------------------------------------------------
def test_a_used_up_block_says_so_and_never_codes_outside_it(tmp_path, sample_gpkg, building):
    shared = str(tmp_path / "shared.sqlite")
    office = str(tmp_path / "coded.gpkg")
    run_assign(AssignJob(buildings=LayerInput(path=str(sample_gpkg), layer="buildings"),
                         divisions=LayerInput(path=str(sample_gpkg), layer="divisions"), output=office,
                         year_field="year", id_field="id", registry=shared, actor=OFFICE))
    start = office_count(office, DIV_A)
    with open_registry(shared) as reg, pytest.raises(RegistryError) as err:
        reg.reserve_blocks(building, [(DIV_A, YEAR)], building.sequence_limit - start + 1, "too-big", OFFICE)
    assert "left" in str(err.value)
    package = check_out(shared, tmp_path, sample_gpkg, "p.gpkg", [DIV_A], 3).output
    rows = code_offline(package, new_buildings(str(tmp_path / "new.gpkg"), list(range(9001, 9006)), DIV_A, office),
                        tmp_path, FIELD_1)
    assert [r["status"] for r in rows] == ["new"] * 3 + ["exhausted"] * 2
    assert [seq(r["code"]) for r in rows[:3]] == [start + 1, start + 2, start + 3]
    assert rows[3]["code"] is None and rows[4]["code"] is None
    with open_registry(package) as reg:
        res = reg.issue(building, IssueRequest(identity=np.array(["x:1", "x:2"], dtype=object),
                                               division=np.array([DIV_A, DIV_B]), year=np.array([YEAR, 2024]),
                                               order=np.arange(2)), FIELD_1)
        assert res.exhausted.tolist() == [True, True] and res.code.tolist() == [None, None]
        used_up, no_block = res.messages
        block = "{}-{}".format(start + 1, start + 3)
        assert block in used_up and DIV_A in used_up and "check out a new block" in used_up
        assert DIV_B in no_block and "2024" in no_block
        with pytest.raises(RegistryError) as err:
            with reg.pending_issue(building, "x:3", DIV_A, YEAR, FIELD_1):
                pass
        assert block in str(err.value)
        with pytest.raises(RegistryError):
            reg.preview(building, DIV_A, YEAR)
        code = rows[0]["code"]
        with pytest.raises(RegistryError):  # a split needs two new numbers: none left, nothing changes
            reg.split(code, ["s:1", "s:2"], FIELD_1)
        assert reg.get(code).status == "active"
        with pytest.raises(RegistryError):
            reg.reserve_blocks(building, [(DIV_A, YEAR)], 5, "more", FIELD_1)
    con = sqlite3.connect(package)
    assert con.execute("SELECT max(seq) FROM codes WHERE division=? AND year=?", (DIV_A, YEAR)).fetchone() == (
        start + 3,)
    con.close()


def test_a_tampered_or_foreign_package_is_refused_and_changes_nothing(tmp_path, sample_gpkg, building):
    shared = str(tmp_path / "shared.sqlite")
    with open_registry(shared) as reg:
        reg.issue(building, IssueRequest(identity=np.array(["o:1"], dtype=object), division=np.array([DIV_A]),
                                         year=np.array([YEAR]), order=np.arange(1)), OFFICE)
    package = check_out(shared, tmp_path, sample_gpkg, "p.gpkg", [DIV_A], 3)
    (block,) = package.blocks
    with open_registry(package.output) as reg:
        with reg.pending_issue(building, "f:1", DIV_A, YEAR, FIELD_1):
            pass
    before = dump(shared)
    con = sqlite3.connect(package.output)  # a code beyond the block, with a valid check character
    forged = building.compose(DIV_A, YEAR, block.last + 1)
    con.execute("INSERT INTO codes SELECT ?, profile, division, year, ?, unit, 'f:2', status, name, attrs, batch "
                "FROM codes WHERE identity='f:1'", (forged, block.last + 1))
    con.commit()
    con.close()
    with pytest.raises(RegistryError) as err:
        checkin.check_in(package.output, shared, OFFICE)
    assert forged in str(err.value) and "outside the blocks" in str(err.value)
    assert dump(shared) == before
    other = str(tmp_path / "other.sqlite")
    open_registry(other).close()
    other_before = dump(other)
    with pytest.raises(RegistryError) as err:
        checkin.check_in(package.output, other, OFFICE)
    assert "not checked out from this registry" in str(err.value) and dump(other) == other_before
    # an ordinary GeoPackage is still refused as a registry
    with pytest.raises(RegistryError):
        open_registry(str(sample_gpkg))


# -- schema upgrades ---------------------------------------------------------------------------------------
SCHEMA_V1 = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE codes(code TEXT PRIMARY KEY, profile TEXT NOT NULL, division TEXT NOT NULL, year INTEGER NOT NULL,
    seq INTEGER NOT NULL, unit TEXT, identity TEXT, status TEXT NOT NULL DEFAULT 'active', name TEXT, attrs TEXT,
    batch INTEGER NOT NULL);
CREATE TABLE sequences(profile TEXT NOT NULL, division TEXT NOT NULL, year INTEGER NOT NULL,
    last_seq INTEGER NOT NULL, PRIMARY KEY(profile, division, year));
CREATE TABLE batches(id INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
    note TEXT, count INTEGER NOT NULL);
CREATE TABLE audit(id INTEGER PRIMARY KEY, batch INTEGER NOT NULL REFERENCES batches(id), code TEXT NOT NULL,
    action TEXT NOT NULL, detail TEXT);
CREATE TABLE lineage(parent TEXT NOT NULL, child TEXT NOT NULL, op TEXT NOT NULL, batch INTEGER NOT NULL,
    PRIMARY KEY(parent, child));
INSERT INTO meta VALUES('schema_version', '1');
"""


def test_a_version_1_registry_file_is_upgraded_on_opening(tmp_path, building):
    path = str(tmp_path / "old.sqlite")
    code = building.compose(DIV_A, YEAR, 7)
    con = sqlite3.connect(path)
    con.executescript(SCHEMA_V1)
    con.execute("INSERT INTO batches VALUES(1, '2023-05-01T10:00:00+08:00', 'old', 'issue', '', 1)")
    con.execute("INSERT INTO codes VALUES(?, 'building', ?, ?, 7, '00000', 'ns:7', 'active', '旧楼', NULL, 1)",
                (code, DIV_A, YEAR))
    con.execute("INSERT INTO sequences VALUES('building', ?, ?, 7)", (DIV_A, YEAR))
    con.commit()
    con.close()
    with open_registry(path) as reg:
        assert isinstance(reg, SQLiteRegistry) and reg.get(code).name == "旧楼"
        (blk,) = reg.reserve_blocks(building, [(DIV_A, YEAR)], 10, "p", OFFICE)
        assert (blk.first, blk.last) == (8, 17)
    tables = dump(path)
    assert tables["meta"] == [repr(("schema_version", "3"))]
    assert {"blocks", "checkins", "conflicts"} <= set(tables)


SCHEMA_V2_TABLES = """
CREATE TABLE blocks(id INTEGER PRIMARY KEY, package TEXT NOT NULL, profile TEXT NOT NULL, division TEXT NOT NULL,
    year INTEGER NOT NULL, first_seq INTEGER NOT NULL, last_seq INTEGER NOT NULL, batch INTEGER NOT NULL);
CREATE TABLE checkins(change TEXT PRIMARY KEY, package TEXT NOT NULL, code TEXT NOT NULL, version TEXT,
    batch INTEGER NOT NULL);
CREATE TABLE conflicts(id INTEGER PRIMARY KEY, package TEXT NOT NULL, change TEXT NOT NULL UNIQUE, code TEXT NOT NULL,
    kind TEXT NOT NULL, registry_version TEXT, package_version TEXT, batch INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'open', choice TEXT, resolved_batch INTEGER);
INSERT INTO checkins VALUES('p/x/1', 'p', 'X', '{}', 1);
UPDATE meta SET value='2' WHERE key='schema_version';
"""


def test_a_version_2_registry_file_gets_the_target_columns(tmp_path):
    path = str(tmp_path / "v2.sqlite")
    con = sqlite3.connect(path)
    con.executescript(SCHEMA_V1 + SCHEMA_V2_TABLES)
    con.close()
    open_registry(path).close()
    con = sqlite3.connect(path)
    try:
        for table in ("checkins", "conflicts"):
            assert "target" in [r[1] for r in con.execute("PRAGMA table_info({})".format(table))]
        assert con.execute("SELECT * FROM checkins").fetchall() == [("p/x/1", "p", "X", "{}", 1, None)]
        assert con.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone() == ("3",)
    finally:
        con.close()


def test_a_version_1_postgres_registry_is_migrated(pg_server, building, monkeypatch):
    from citycode.plugin.core.registry import postgres as rp
    from test_registry_postgres import query
    uri = pg_server.uri("fp_{}".format(uuid.uuid4().hex[:12]))
    with monkeypatch.context() as patch:
        patch.setattr(rp, "MIGRATIONS", rp.MIGRATIONS[:1])
        patch.setattr(rp, "SCHEMA_VERSION", 1)
        with rp.PostgresRegistry(uri) as reg:
            reg.issue(building, IssueRequest(identity=np.array(["o:1"], dtype=object), division=np.array([DIV_A]),
                                             year=np.array([YEAR]), order=np.arange(1)), OFFICE)
    assert query(uri, "SELECT value FROM meta WHERE key='schema_version'") == [("1",)]
    with open_registry(uri) as reg:
        (blk,) = reg.reserve_blocks(building, [(DIV_A, YEAR)], 10, "p", OFFICE)
        assert (blk.first, blk.last) == (2, 11)
    assert query(uri, "SELECT value FROM meta WHERE key='schema_version'") == [(str(len(rp.MIGRATIONS)),)]
    assert query(uri, "SELECT package, first_seq, last_seq FROM blocks") == [("p", 2, 11)]


# -- the conflicts dialog ----------------------------------------------------------------------------------
def test_conflicts_dialog_keeps_the_chosen_version(qgis_iface, tmp_path, sample_gpkg, building, repo_root):
    from qgis.PyQt.QtCore import Qt
    from qgis.PyQt.QtTest import QTest
    from citycode.plugin.gui.conflicts_dialog import ConflictsDialog

    shared = str(tmp_path / "shared.sqlite")
    with open_registry(shared) as reg:
        x, y = reg.issue(building, IssueRequest(identity=np.array(["o:1", "o:2"], dtype=object),
                                                division=np.array([DIV_A, DIV_A]), year=np.array([YEAR, YEAR]),
                                                order=np.arange(2)), OFFICE).code.tolist()
        reg.update(x, OFFICE, name="三里庵路 12 号",
                   attrs={"floors": 6, "不动产单元号": "340104001001GB00001F00010001"})
    a = check_out(shared, tmp_path, sample_gpkg, "a.gpkg", [DIV_A], 5)
    b = check_out(shared, tmp_path, sample_gpkg, "b.gpkg", [DIV_A], 5, actor=FIELD_2)
    for package, name, floors in ((a.output, "三里庵路 12 号（加层）", 7), (b.output, "三里庵路 12 号 A 座", 6)):
        with open_registry(package) as reg:
            reg.update(x, FIELD_1, name=name, attrs={"floors": floors})
            reg.update(y, FIELD_1, name=name + " 附楼")
    checkin.check_in(a.output, shared, OFFICE)
    assert checkin.check_in(b.output, shared, OFFICE).conflicts == 2

    dialog = ConflictsDialog(qgis_iface, shared)
    dialog.show()
    assert dialog.list.count() == 2 and dialog.table.rowCount() == 6  # code, identity, name, status, 2 attributes
    cells = {dialog.table.item(r, 0).text(): (dialog.table.item(r, 1).text(), dialog.table.item(r, 2).text())
             for r in range(dialog.table.rowCount())}
    assert cells["name"] == ("三里庵路 12 号（加层）", "三里庵路 12 号 A 座") and cells["floors"] == ("7", "6")
    assert cells["identity"] == ("o:1", "o:1") and cells["code"] == (x, x)
    dialog.grab().save(str(repo_root / "docs" / "screenshots" / "field_conflicts.png"))
    QTest.mouseClick(dialog.keep_package, Qt.MouseButton.LeftButton)
    assert dialog.list.count() == 1
    dialog.list.setCurrentRow(0)
    QTest.mouseClick(dialog.keep_registry, Qt.MouseButton.LeftButton)
    assert dialog.list.count() == 0 and not dialog.keep_package.isEnabled()
    with open_registry(shared) as reg:
        assert reg.get(x).name == "三里庵路 12 号 A 座" and reg.get(x).attrs["floors"] == 6
        assert reg.get(y).name == "三里庵路 12 号（加层） 附楼"
        assert reg.conflicts() == []
    dialog.close()


# -- features back home ------------------------------------------------------------------------------------
OFFICE_LAYER = "buildings_coded"


def layer_rows(path, layer=OFFICE_LAYER):
    """Every feature of a layer read with pyogrio (not QGIS): {citycode: (WKB, {field: value})}, and the count."""
    _, _, geom, cols, names = _read_all(path, layer)
    rows = {}
    for i, wkb in enumerate(geom):
        attrs = {n: (None if isinstance(c[i], float) and c[i] != c[i] else c[i]) for n, c in zip(names, cols)}
        rows.setdefault(attrs["citycode"], (wkb, attrs))
    return rows, len(geom)


def _read_all(path, layer):
    from pyogrio import read_info
    names = list(read_info(path, layer=layer)["fields"])
    meta, fids, geom, cols = read(path, layer=layer, return_fids=True)
    return meta, fids, geom, cols, names


def layer_snapshot(path, layer=OFFICE_LAYER):
    """All features of a layer, comparable: sorted (fid, WKB, attribute values)."""
    _, fids, geom, cols, _ = _read_all(path, layer)
    return sorted((int(f), bytes(g) if g is not None else None, tuple(repr(c[i]) for c in cols))
                  for i, (f, g) in enumerate(zip(fids, geom)))


def edit_layer(uri, edit):
    """edit(layer) inside a QGIS edit session of the layer at `uri`, committed."""
    from qgis.core import QgsVectorLayer
    layer = QgsVectorLayer(uri, "edited", "ogr")
    assert layer.isValid() and layer.startEditing()
    result = edit(layer)
    assert layer.commitChanges(), layer.commitErrors()
    return result


def feature_by_code(layer, code):
    from qgis.core import QgsExpression, QgsFeatureRequest
    return next(layer.getFeatures(QgsFeatureRequest().setFilterExpression(
        "citycode = {}".format(QgsExpression.quotedValue(code)))))


def move(layer, code, dx, dy):
    f = feature_by_code(layer, code)
    geometry = f.geometry()
    geometry.translate(dx, dy)
    assert layer.changeGeometry(f.id(), geometry)


def set_value(layer, code, name, value):
    f = feature_by_code(layer, code)
    assert layer.changeAttributeValue(f.id(), layer.fields().indexOf(name), value)


def translated(wkb, dx, dy):
    return shapely.affinity.translate(shapely.from_wkb(wkb), dx, dy)


def home_codes(office, division=DIV_A):
    """Codes of buildings with their home in `division` (all of them are taken along by a package of it)."""
    return sorted(r["code"] for r in coded_rows(office) if r["division"] == division and r["code"])


def test_features_changed_offline_come_home_once(shared, office, tmp_path, sample_gpkg, building):
    import shapely.affinity  # noqa: F401 (translated)
    package = check_out(shared, tmp_path, sample_gpkg, "a.gpkg", [DIV_A], 10, coded=office).output
    before, count = layer_rows(office)
    moved, renamed, retired, untouched = home_codes(office)[:4]
    with open_registry(package) as reg:  # the code form's way: a new building coded from the package's block
        with reg.pending_issue(building, "buildings:9001", DIV_A, YEAR, FIELD_1, name="新建仓库") as issued:
            pass
        reg.retire(retired, FIELD_1, "demolished")
    footprint = shapely.buffer(shapely.from_wkb(before[untouched][0]), -1.0)

    def field_work(layer):
        from qgis.core import QgsFeature, QgsGeometry
        move(layer, moved, 5.0, -3.0)
        set_value(layer, renamed, "name", "改造后的厂房")
        new = QgsFeature(layer.fields())
        new["citycode"], new["id"], new["year"], new["name"] = issued.code, 9001, YEAR, "新建仓库"
        new.setGeometry(QgsGeometry.fromWkt(shapely.to_wkt(footprint)))
        assert layer.addFeature(new)
    edit_layer(package + "|layername=buildings", field_work)

    result = checkin.check_in(package, shared, OFFICE)
    assert (result.new, result.retired) == (1, 1)
    assert (result.features_added, result.features_updated, result.feature_conflicts) == (1, 3, 0)
    after, after_count = layer_rows(office)
    assert after_count == count + 1
    new_wkb, new_attrs = after[issued.code]
    assert shapely.equals_exact(shapely.from_wkb(new_wkb), shapely.multipolygons([footprint]), 1e-6)
    assert (new_attrs["id"], new_attrs["year"], new_attrs["name"]) == (9001, YEAR, "新建仓库")
    assert shapely.equals_exact(shapely.from_wkb(after[moved][0]), translated(before[moved][0], 5.0, -3.0), 1e-6)
    assert after[moved][1] == before[moved][1]
    assert after[renamed][1] == dict(before[renamed][1], name="改造后的厂房")
    assert after[renamed][0] == before[renamed][0]
    # a retired code keeps its building on the map, with the status the coded layer uses
    assert after[retired][1] == dict(before[retired][1], cc_status="retired")
    assert after[retired][0] == before[retired][0]
    assert {c: v for c, v in after.items() if c not in (moved, renamed, retired, issued.code)} == \
        {c: v for c, v in before.items() if c not in (moved, renamed, retired)}

    settled, registry = layer_snapshot(office), registry_dump(shared)
    again = checkin.check_in(package, shared, OFFICE)
    assert (again.new, again.features_added, again.features_updated, again.feature_conflicts) == (0, 0, 0, 0)
    assert layer_snapshot(office) == settled and registry_dump(shared) == registry


def test_the_same_building_moved_in_two_packages_is_a_feature_conflict(shared, office, tmp_path, sample_gpkg,
                                                                       citycode_processing):
    import processing
    import shapely.affinity  # noqa: F401 (translated)
    a = check_out(shared, tmp_path, sample_gpkg, "a.gpkg", [DIV_A], 5, coded=office)
    b = check_out(shared, tmp_path, sample_gpkg, "b.gpkg", [DIV_A], 5, coded=office, actor=FIELD_2)
    before, _ = layer_rows(office)
    code, other = home_codes(office)[:2]
    edit_layer(a.output + "|layername=buildings", lambda layer: move(layer, code, 5.0, 0.0))

    def team_b(layer):
        move(layer, code, 0.0, 12.0)
        set_value(layer, code, "floors", 9)
        move(layer, other, 1.0, 1.0)
    edit_layer(b.output + "|layername=buildings", team_b)

    first = checkin.check_in(a.output, shared, OFFICE)
    assert (first.features_updated, first.feature_conflicts) == (1, 0)
    out = processing.run("citycode:checkin", {"PACKAGE": b.output, "REGISTRY": shared,
                                              "TARGET": "{}|layername={}".format(office, OFFICE_LAYER)})
    assert (out["FEATURES_ADDED"], out["FEATURES_UPDATED"], out["CONFLICTS"]) == (0, 1, 1)
    after, _ = layer_rows(office)
    a_version = translated(before[code][0], 5.0, 0.0)
    b_version = translated(before[code][0], 0.0, 12.0)
    assert shapely.equals_exact(shapely.from_wkb(after[code][0]), a_version, 1e-6)  # not overwritten by B
    assert after[code][1] == before[code][1]
    assert shapely.equals_exact(shapely.from_wkb(after[other][0]), translated(before[other][0], 1.0, 1.0), 1e-6)
    with open_registry(shared) as reg:
        (conflict,) = reg.conflicts()
    assert (conflict.kind, conflict.code, conflict.package) == ("feature", code, b.package_id)
    theirs, ours = conflict.registry_version, conflict.package_version
    assert shapely.equals_exact(shapely.from_wkb(bytes.fromhex(theirs["geometry"])), a_version, 1e-6)
    assert shapely.equals_exact(shapely.from_wkb(bytes.fromhex(ours["geometry"])), b_version, 1e-6)
    assert (theirs["attrs"]["floors"], ours["attrs"]["floors"]) == (before[code][1]["floors"], 9)
    summary = features.feature_conflict_summary(conflict)
    assert summary["geometry_changed"] and summary["centroid_shift"] == pytest.approx(13.0, rel=1e-3)  # (5,0)-(0,12)
    assert summary["area_registry"] == pytest.approx(a_version.area, rel=1e-3)
    assert summary["area_package"] == pytest.approx(summary["area_registry"], rel=1e-6)  # (ellipsoidal)

    unresolved, registry = layer_snapshot(office), registry_dump(shared)
    again = checkin.check_in(b.output, shared, OFFICE)  # kept once, not again
    assert (again.features_updated, again.feature_conflicts) == (0, 0)
    assert layer_snapshot(office) == unresolved and registry_dump(shared) == registry

    processing.run("citycode:resolveconflict", {"REGISTRY": shared, "CONFLICT": conflict.id, "CHOICE": "package"})
    resolved, _ = layer_rows(office)
    assert shapely.equals_exact(shapely.from_wkb(resolved[code][0]), b_version, 1e-6)
    assert resolved[code][1] == dict(before[code][1], floors=9)
    with open_registry(shared) as reg:
        assert reg.conflicts() == [] and reg.history(code)[-1]["action"] == "resolve"
    settled, registry = layer_snapshot(office), registry_dump(shared)
    for package in (a.output, b.output):
        again = checkin.check_in(package, shared, OFFICE)
        assert (again.features_added, again.features_updated, again.conflicts) == (0, 0, 0)
    assert layer_snapshot(office) == settled and registry_dump(shared) == registry


def test_conflicts_dialog_shows_and_resolves_feature_conflicts(qgis_iface, tmp_path, sample_gpkg, repo_root):
    from qgis.PyQt.QtCore import Qt
    from qgis.PyQt.QtTest import QTest
    from citycode.plugin.gui.conflicts_dialog import ConflictsDialog
    import shapely.affinity  # noqa: F401 (translated)

    shared, office = str(tmp_path / "shared.sqlite"), str(tmp_path / "coded.gpkg")
    run_assign(AssignJob(buildings=LayerInput(path=str(sample_gpkg), layer="buildings"),
                         divisions=LayerInput(path=str(sample_gpkg), layer="divisions"), output=office,
                         year_field="year", id_field="id", registry=shared, actor=OFFICE))
    x, y = home_codes(office)[:2]
    a = check_out(shared, tmp_path, sample_gpkg, "a.gpkg", [DIV_A], 5, coded=office)
    b = check_out(shared, tmp_path, sample_gpkg, "b.gpkg", [DIV_A], 5, coded=office, actor=FIELD_2)
    before, _ = layer_rows(office)
    for package, dx, name in ((a.output, 3.0, "仓库（A 组）"), (b.output, -4.0, "仓库（B 组）")):
        def work(layer, dx=dx, name=name):
            for code in (x, y):
                move(layer, code, dx, 0.0)
                set_value(layer, code, "name", name)
        edit_layer(package + "|layername=buildings", work)
    checkin.check_in(a.output, shared, OFFICE)
    assert checkin.check_in(b.output, shared, OFFICE).feature_conflicts == 2

    dialog = ConflictsDialog(qgis_iface, shared)
    dialog.show()
    assert dialog.list.count() == 2 and "feature" in dialog.list.item(0).text()
    assert dialog.table.horizontalHeaderItem(1).text() == "Layer" and dialog.keep_registry.text() == "Keep layer"
    cells = {dialog.table.item(r, 0).text(): (dialog.table.item(r, 1).text(), dialog.table.item(r, 2).text())
             for r in range(dialog.table.rowCount())}
    assert cells["name"] == ("仓库（A 组）", "仓库（B 组）") and cells["code"] == (x, x)
    assert cells["geometry"] == ("", "changed") and cells["centroid shift"] == ("", "7.0 m")  # 3 m east vs 4 m west
    assert cells["area"][0] == cells["area"][1] and cells["area"][0].endswith("m²")
    dialog.grab().save(str(repo_root / "docs" / "screenshots" / "field_feature_conflict.png"))
    QTest.mouseClick(dialog.keep_package, Qt.MouseButton.LeftButton)  # x: B's version goes to the layer
    assert dialog.list.count() == 1
    QTest.mouseClick(dialog.keep_registry, Qt.MouseButton.LeftButton)  # y: the layer keeps A's
    assert dialog.list.count() == 0
    dialog.close()
    after, _ = layer_rows(office)
    assert shapely.equals_exact(shapely.from_wkb(after[x][0]), translated(before[x][0], -4.0, 0.0), 1e-6)
    assert after[x][1]["name"] == "仓库（B 组）"
    assert shapely.equals_exact(shapely.from_wkb(after[y][0]), translated(before[y][0], 3.0, 0.0), 1e-6)
    assert after[y][1]["name"] == "仓库（A 组）"


def _field_work_on_a_package(shared, office, tmp_path, sample_gpkg, building):
    """A package of DIV_A with one building coded and digitised offline and one moved; returns
    (package, new code, moved code, the office layer's rows before)."""
    package = check_out(shared, tmp_path, sample_gpkg, "p.gpkg", [DIV_A], 5, coded=office).output
    before, _ = layer_rows(office)
    moved, template = home_codes(office)[:2]
    with open_registry(package) as reg:
        with reg.pending_issue(building, "buildings:9001", DIV_A, YEAR, FIELD_1) as issued:
            pass

    def work(layer):
        from qgis.core import QgsFeature, QgsGeometry
        move(layer, moved, 2.0, 2.0)
        new = QgsFeature(layer.fields())
        new["citycode"], new["id"], new["year"] = issued.code, 9001, YEAR
        new.setGeometry(QgsGeometry.fromWkt(shapely.to_wkt(translated(before[template][0], 30.0, 0.0))))
        assert layer.addFeature(new)
    edit_layer(package + "|layername=buildings", work)
    return package, issued.code, moved, before


def test_a_target_that_cannot_be_written_stops_the_check_in_before_anything_changes(tmp_path, sample_gpkg,
                                                                                    building):
    import shapely.affinity  # noqa: F401 (translated)
    shared, office = str(tmp_path / "shared.sqlite"), str(tmp_path / "coded.gpkg")
    run_assign(AssignJob(buildings=LayerInput(path=str(sample_gpkg), layer="buildings"),
                         divisions=LayerInput(path=str(sample_gpkg), layer="divisions"), output=office,
                         year_field="year", id_field="id", registry=shared, actor=OFFICE))
    package, new, moved, before = _field_work_on_a_package(shared, office, tmp_path, sample_gpkg, building)
    csv = tmp_path / "buildings.csv"  # a layer QGIS reads but cannot edit
    csv.write_text("citycode,wkt\n{},\"POINT (0 0)\"\n".format(moved))
    registry, layer = dump(shared), layer_snapshot(office)
    read_only = ("delimitedtext", "{}?type=csv&wktField=wkt&crs=EPSG:4527".format(csv.as_uri()))
    with pytest.raises(fp.FieldPackageError) as err:
        checkin.check_in(package, shared, OFFICE, target={"buildings": read_only})
    assert "cannot be written" in str(err.value) and "Nothing was checked in" in str(err.value)
    with pytest.raises(fp.FieldPackageError) as err:
        checkin.check_in(package, shared, OFFICE, target={"houses": office + "|layername=" + OFFICE_LAYER})
    assert "no layer of features named houses" in str(err.value) and "buildings" in str(err.value)
    assert dump(shared) == registry and layer_snapshot(office) == layer
    result = checkin.check_in(package, shared, OFFICE, target={"buildings": office + "|layername=" + OFFICE_LAYER})
    assert (result.new, result.features_added, result.features_updated) == (1, 1, 1)
    after, _ = layer_rows(office)
    assert new in after
    assert shapely.equals_exact(shapely.from_wkb(after[moved][0]), translated(before[moved][0], 2.0, 2.0), 1e-6)


def test_a_layer_that_refuses_the_features_is_rolled_back_and_a_second_check_in_finishes(shared, office, tmp_path,
                                                                                        sample_gpkg, building):
    import shapely.affinity  # noqa: F401 (translated)
    package, new, moved, before = _field_work_on_a_package(shared, office, tmp_path, sample_gpkg, building)
    features = layer_rows(office)[1]
    con = sqlite3.connect(office)  # e.g. another program's rule on the table: no new rows
    con.execute("CREATE TRIGGER refuse BEFORE INSERT ON {} BEGIN SELECT RAISE(ABORT, 'no new rows'); END"
                .format(OFFICE_LAYER))
    con.commit()
    con.close()
    with pytest.raises(checkin.FeatureWriteError) as err:
        checkin.check_in(package, shared, OFFICE)
    message = str(err.value)
    assert "registry part of the check-in is saved (1 new codes" in message and "run the check-in again" in message
    assert OFFICE_LAYER in message and err.value.result.new == 1
    with open_registry(shared) as reg:
        assert reg.get(new).status == "active"  # the registry merge stands
    assert new not in layer_rows(office)[0]

    con = sqlite3.connect(office)
    con.execute("DROP TRIGGER refuse")
    con.commit()
    con.close()
    result = checkin.check_in(package, shared, OFFICE)
    assert (result.new, result.already, result.features_added) == (0, 1, 1)
    after, count = layer_rows(office)
    assert count == features + 1 and new in after
    assert shapely.equals_exact(shapely.from_wkb(after[moved][0]), translated(before[moved][0], 2.0, 2.0), 1e-6)
    settled = layer_snapshot(office)
    again = checkin.check_in(package, shared, OFFICE)
    assert (again.features_added, again.features_updated) == (0, 0) and layer_snapshot(office) == settled


def test_features_come_home_to_a_postgis_table_in_another_crs(pg_server, tmp_path, sample_gpkg, building):
    """The office keeps its buildings in PostGIS in EPSG:4490 (lon/lat); the package is in EPSG:4527 metres."""
    import shapely.affinity  # noqa: F401 (translated)
    from qgis.core import QgsDataSourceUri
    if not pg_server.postgis:
        pytest.skip("PostGIS is not installed")
    shared, office = str(tmp_path / "shared.sqlite"), str(tmp_path / "coded.gpkg")
    run_assign(AssignJob(buildings=LayerInput(path=str(sample_gpkg), layer="buildings"),
                         divisions=LayerInput(path=str(sample_gpkg), layer="divisions"), output=office,
                         year_field="year", id_field="id", registry=shared, actor=OFFICE))
    schema = "fp_{}".format(uuid.uuid4().hex[:12])
    pg_server.sql("CREATE SCHEMA {0}; CREATE TABLE {0}.buildings(fid serial PRIMARY KEY, id integer, year integer, "
                  "name text, floors integer, citycode text, cc_status text, geom geometry(MultiPolygon, 4490))"
                  .format(schema))
    rows, _ = layer_rows(office)

    def number(value):
        return None if value is None else int(value)
    con = psycopg2.connect(pg_server.dsn())
    with con, con.cursor() as cur:
        cur.executemany("INSERT INTO {}.buildings(id, year, name, floors, citycode, cc_status, geom) VALUES "
                        "(%s,%s,%s,%s,%s,%s, ST_Transform(ST_GeomFromWKB(%s, 4527), 4490))".format(schema),
                        [(number(a["id"]), number(a["year"]), a["name"], number(a["floors"]), code, a["cc_status"],
                          bytes(wkb))
                         for code, (wkb, a) in rows.items() if code])
    con.close()
    uri = QgsDataSourceUri()
    uri.setConnection(pg_server.socket_dir, str(pg_server.port), "citycode_test", "cc_super", "")
    uri.setDataSource(schema, "buildings", "geom", "", "fid")

    def table():
        return pg_server.sql("SELECT fid, id, year, name, floors, citycode, cc_status, ST_AsBinary(ST_Transform(geom, "
                             "4527)) FROM {}.buildings ORDER BY fid".format(schema))
    package, new, moved, before = _field_work_on_a_package(shared, office, tmp_path, sample_gpkg, building)
    result = checkin.check_in(package, shared, OFFICE, target={"buildings": uri.uri(False)})
    assert (result.features_added, result.features_updated, result.feature_conflicts) == (1, 1, 0)
    after = {r[5]: r for r in table()}
    assert len(after) == len([c for c in rows if c]) + 1
    assert shapely.equals_exact(shapely.from_wkb(bytes(after[moved][7])), translated(before[moved][0], 2.0, 2.0),
                                1e-3)
    assert after[new][1:3] == (9001, YEAR)
    settled = table()
    assert checkin.check_in(package, shared, OFFICE, target={"buildings": uri.uri(False)}).features_updated == 0
    assert table() == settled
