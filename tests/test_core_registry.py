"""The SQLite code registry (plugin/core/registry/base.py, sqlite.py).

Every expectation is computed from the request itself (sequence = rank of `order` inside division +
year, code = profile.compose of those parts, check character = stdnum), and "nothing changed" is
checked on a full dump of the registry file read through a separate sqlite3 connection.
"""
import datetime
import shutil
import sqlite3

import numpy as np
import pytest
from dbdump import dump
from stdnum.iso7064 import mod_11_2

from citycode.plugin.core.codes.profiles import load_profile
from citycode.plugin.core.registry.base import IssueRequest, RegistryError
from citycode.plugin.core.registry.backends import open_registry
from citycode.plugin.core.registry.sqlite import SQLiteRegistry

DIV_A, DIV_B = "340104001", "340104002"
ACTOR = "tester"


@pytest.fixture(scope="module")
def building():
    return load_profile("building")


@pytest.fixture()
def reg_path(tmp_path):
    return str(tmp_path / "registry.sqlite")


@pytest.fixture()
def reg(reg_path):
    r = open_registry(reg_path)
    yield r
    r.close()


def request(identities, division, year, order=None, **kw):
    n = len(identities)
    return IssueRequest(
        identity=np.array(identities, dtype=object),
        division=np.array(division if not isinstance(division, str) else [division] * n),
        year=np.array(year if not np.isscalar(year) else [year] * n),
        order=np.arange(n) if order is None else np.asarray(order), **kw)


def sequences(path):
    con = sqlite3.connect(path)
    try:
        return {(p, d, y): s for p, d, y, s in con.execute("SELECT profile, division, year, last_seq FROM sequences")}
    finally:
        con.close()


def seq_of(profile, code):
    return int(profile.parse(code)["sequence"])


# -- issuing -------------------------------------------------------------------------------------------
def test_sequences_follow_order_per_division_and_year(reg, building):
    rng = np.random.default_rng(3)
    n = 120
    identity = [f"ns:{i}" for i in range(n)]
    division = rng.choice([DIV_A, DIV_B], n)
    year = rng.choice([2019, 2024], n)
    order = rng.permutation(n) * 10 + 5  # any sortable key, not the input position
    res = reg.issue(building, request(identity, division, year, order), ACTOR)
    assert res.is_new.all() and not res.exhausted.any()
    codes = res.code.tolist()
    assert len(set(codes)) == n
    for d in (DIV_A, DIV_B):
        for y in (2019, 2024):
            members = np.flatnonzero((division == d) & (year == y))
            ranked = members[np.argsort(order[members])]
            for rank, i in enumerate(ranked, start=1):
                assert codes[i] == building.compose(d, int(y), rank), (d, y, rank)
                assert mod_11_2.is_valid(codes[i])
                rec = reg.get(codes[i])
                assert (rec.division, rec.year, rec.sequence, rec.identity, rec.status) == \
                       (d, int(y), rank, identity[i], "active")
    assert reg.count() == n


def test_reissue_returns_the_same_codes(reg, reg_path, building):
    ids = [f"ns:{i}" for i in range(10)]
    first = reg.issue(building, request(ids, DIV_A, 2024), ACTOR)
    before = sequences(reg_path)
    # the same identities, in another order and with other order keys
    again = reg.issue(building, request(ids[::-1], DIV_A, 2024, order=np.arange(10)[::-1] * 3), ACTOR)
    assert not again.is_new.any() and not again.exhausted.any()
    assert again.code.tolist() == first.code.tolist()[::-1]
    assert reg.count() == 10 and sequences(reg_path) == before
    # old and new identities mixed: the old keep their code, the new continue after the last sequence
    mixed = reg.issue(building, request(ids[:3] + ["ns:new1", "ns:new2"], DIV_A, 2024), ACTOR)
    assert mixed.is_new.tolist() == [False, False, False, True, True]
    assert mixed.code[:3].tolist() == first.code[:3].tolist()
    assert [seq_of(building, c) for c in mixed.code[3:]] == [11, 12]
    assert reg.count() == 12


def test_retired_code_is_never_reissued(reg, building):
    first = reg.issue(building, request([f"ns:{i}" for i in range(5)], DIV_A, 2024), ACTOR).code.tolist()
    middle = first[2]
    reg.retire(middle, ACTOR, "demolished")
    assert reg.get(middle).status == "retired"
    nxt = reg.issue(building, request(["ns:a", "ns:b", "ns:c"], DIV_A, 2024), ACTOR).code.tolist()
    assert [seq_of(building, c) for c in nxt] == [6, 7, 8]
    assert middle not in nxt
    # the identity of the retired code asks again: it gets a new code, not the retired one
    again = reg.issue(building, request(["ns:2"], DIV_A, 2024), ACTOR)
    assert again.is_new[0] and again.code[0] != middle and seq_of(building, again.code[0]) == 9


def test_retiring_the_last_code_does_not_free_its_sequence(reg, reg_path, building):
    codes = reg.issue(building, request([f"ns:{i}" for i in range(5)], DIV_B, 2020), ACTOR).code.tolist()
    last = max(codes, key=lambda c: seq_of(building, c))
    assert seq_of(building, last) == 5
    reg.retire(last, ACTOR)
    nxt = reg.issue(building, request(["ns:x"], DIV_B, 2020), ACTOR).code[0]
    assert nxt != last and seq_of(building, nxt) == 6
    assert sequences(reg_path)[("building", DIV_B, 2020)] == 6
    # also through a fresh connection (nothing kept in memory)
    with open_registry(reg_path) as other:
        nxt2 = other.issue(building, request(["ns:y"], DIV_B, 2020), ACTOR).code[0]
    assert seq_of(building, nxt2) == 7


def test_groups_are_independent_per_profile_division_year(reg, building):
    project = load_profile("project")
    b = reg.issue(building, request(["b:1", "b:2"], DIV_A, 2024), ACTOR).code
    p = reg.issue(project, request(["p:1"], DIV_A, 2024), ACTOR).code
    other_year = reg.issue(building, request(["b:3"], DIV_A, 2023), ACTOR).code
    assert [seq_of(building, c) for c in b] == [1, 2]
    assert seq_of(project, p[0]) == 1 and p[0] == project.compose(DIV_A, 2024, 1)
    assert seq_of(building, other_year[0]) == 1


def test_one_active_code_per_identity_within_a_batch(reg, building):
    """A request naming one identity twice is refused whole (the engine reports such rows as duplicate_id)."""
    with pytest.raises(RegistryError):
        reg.issue(building, request(["ns:1", "ns:2", "ns:1"], DIV_A, 2024), ACTOR)
    assert reg.count() == 0
    assert reg.issue(building, request(["ns:1"], DIV_A, 2024), ACTOR).code[0] == building.compose(DIV_A, 2024, 1)


# -- lineage ---------------------------------------------------------------------------------------------
def test_split(reg, building):
    parent = reg.issue(building, request(["ns:p", "ns:q"], DIV_A, 2022), ACTOR).code[0]
    children = reg.split(parent, ["ns:p1", "ns:p2", "ns:p3"], "alice")
    assert len(children) == 3 and len(set(children)) == 3 and parent not in children
    assert reg.get(parent).status == "retired"
    for c in children:
        rec = reg.get(c)
        assert rec.status == "active" and rec.division == DIV_A and rec.year == 2022
        assert building.validate(c) == []
        assert reg.lineage(c) == {"parents": [parent], "children": []}
    assert [seq_of(building, c) for c in children] == [3, 4, 5]  # after the two issued before
    assert sorted(reg.lineage(parent)["children"]) == sorted(children)
    assert reg.lineage(parent)["parents"] == []
    hist = reg.history(parent)
    assert [h["action"] for h in hist] == ["issue", "retire"]
    assert hist[1]["actor"] == "alice" and "split" in hist[1]["detail"]
    for c in children:
        h = reg.history(c)
        assert {x["action"] for x in h} == {"issue", "split_from"}
        assert all(x["actor"] == "alice" for x in h)
        assert parent in [x for x in h if x["action"] == "split_from"][0]["detail"]
    # a split child can be re-found by its identity
    again = reg.issue(building, request(["ns:p2"], DIV_A, 2022), ACTOR)
    assert not again.is_new[0] and again.code[0] == children[1]
    with pytest.raises(RegistryError):
        reg.split(children[0], ["only-one"], "alice")


def test_merge(reg, building):
    a, b, c = reg.issue(building, request(["ns:a", "ns:b", "ns:c"], DIV_B, 2021), ACTOR).code.tolist()
    merged = reg.merge([a, b], "ns:ab", "bob")
    assert merged not in (a, b, c) and seq_of(building, merged) == 4
    assert reg.get(merged).status == "active" and reg.get(merged).division == DIV_B
    assert reg.get(a).status == reg.get(b).status == "retired" and reg.get(c).status == "active"
    assert sorted(reg.lineage(merged)["parents"]) == sorted([a, b])
    assert reg.lineage(a)["children"] == [merged] == reg.lineage(b)["children"]
    h = reg.history(merged)
    assert [x["action"] for x in h] == ["issue", "merged_from"] and {x["actor"] for x in h} == {"bob"}
    assert a in h[1]["detail"] and b in h[1]["detail"]
    assert [x["action"] for x in reg.history(a)] == ["issue", "retire"]
    # into another division
    other = reg.merge([c, merged], "ns:abc", "bob", division=DIV_A, year=2025)
    assert reg.get(other).division == DIV_A and other == building.compose(DIV_A, 2025, 1)
    with pytest.raises(RegistryError):
        reg.merge([other], "ns:x", "bob")


def test_refused_changes_change_nothing(reg, reg_path, building):
    codes = reg.issue(building, request(["ns:1", "ns:2", "ns:3"], DIV_A, 2024), ACTOR).code.tolist()
    reg.retire(codes[0], ACTOR)
    before = dump(reg_path)
    unknown = building.compose(DIV_A, 2024, 999)
    for action in (lambda: reg.retire(unknown, ACTOR),
                   lambda: reg.retire(codes[0], ACTOR),                 # already retired
                   lambda: reg.retire("not a code", ACTOR),
                   lambda: reg.update(codes[0], ACTOR, name="x"),        # retired
                   lambda: reg.update(unknown, ACTOR, name="x"),
                   lambda: reg.split(codes[0], ["a", "b"], ACTOR),       # retired parent
                   lambda: reg.merge([codes[1], codes[0]], "ab", ACTOR),  # one parent retired
                   lambda: reg.merge([codes[1], unknown], "ab", ACTOR)):
        with pytest.raises(RegistryError):
            action()
        assert dump(reg_path) == before
    assert reg.get(codes[1]).status == "active"


def test_merge_that_cannot_issue_rolls_back(tmp_path, full_registry, building):
    """The target division+year is used up: the parents were already retired inside the transaction."""
    path = str(tmp_path / "full.sqlite")
    shutil.copy(full_registry, path)
    with open_registry(path) as reg:
        reg.issue(building, request(["x:last"], DIV_A, 2020), ACTOR)  # sequence 9999: now used up
        a, b = reg.issue(building, request(["m:a", "m:b"], DIV_B, 2020), ACTOR).code.tolist()
        before = dump(path)
        with pytest.raises(RegistryError):
            reg.merge([a, b], "m:ab", ACTOR, division=DIV_A)
        assert dump(path) == before
        assert reg.get(a).status == reg.get(b).status == "active"
        with pytest.raises(RegistryError):
            reg.split(reg.get(building.compose(DIV_A, 2020, 17)).code, ["s:1", "s:2"], ACTOR)
        assert dump(path) == before


# -- the sequence limit ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def full_registry(tmp_path_factory, building):
    """A registry file with 9998 codes in DIV_A / 2020 (one IssueRequest)."""
    path = str(tmp_path_factory.mktemp("full") / "registry.sqlite")
    n = 9998
    with open_registry(path) as reg:
        res = reg.issue(building, request([f"fill:{i}" for i in range(n)], DIV_A, 2020), ACTOR)
        assert res.is_new.all()
    return path


def test_sequence_limit(tmp_path, full_registry, building):
    path = str(tmp_path / "reg.sqlite")
    shutil.copy(full_registry, path)
    assert sequences(path) == {("building", DIV_A, 2020): 9998}
    with open_registry(path) as reg:
        assert reg.count() == 9998
        ids = ["late:1", "late:2", "late:3", "other:1"]
        res = reg.issue(building, request(ids, [DIV_A, DIV_A, DIV_A, DIV_B], 2020, order=[30, 10, 20, 1]), ACTOR)
        # the lowest order key gets the last sequence; the other two are exhausted, not coded
        assert res.code[1] == building.compose(DIV_A, 2020, 9999)
        assert res.exhausted.tolist() == [True, False, True, False]
        assert res.code[0] is None and res.code[2] is None
        assert res.is_new.tolist() == [False, True, False, True]
        assert res.code[3] == building.compose(DIV_B, 2020, 1)  # another division is not affected
        assert reg.count() == 10000
        con = sqlite3.connect(path)
        distinct = con.execute("SELECT count(DISTINCT code), count(*), max(seq) FROM codes "
                               "WHERE division=? AND year=2020", (DIV_A,)).fetchone()
        con.close()
        assert distinct == (9999, 9999, 9999)
        assert sequences(path)[("building", DIV_A, 2020)] == 9999
        # still used up later, also after retiring a code
        reg.retire(res.code[1], ACTOR)
        later = reg.issue(building, request(["late:4"], DIV_A, 2020), ACTOR)
        assert later.exhausted.tolist() == [True] and later.code[0] is None and reg.count() == 10000


# -- transactions ------------------------------------------------------------------------------------
def test_failure_inside_allocation_rolls_back(reg, reg_path, building, monkeypatch):
    reg.issue(building, request(["ns:1", "ns:2"], DIV_A, 2024), ACTOR)
    before, seq_before, count_before = dump(reg_path), sequences(reg_path), reg.count()

    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(building, "compose_many", boom)
    with pytest.raises(RuntimeError):
        reg.issue(building, request(["ns:1", "ns:3", "ns:4"], [DIV_A, DIV_A, DIV_B], 2024), ACTOR)
    monkeypatch.undo()
    assert dump(reg_path) == before and sequences(reg_path) == seq_before and reg.count() == count_before
    # the registry is usable and continues where it was
    res = reg.issue(building, request(["ns:3"], DIV_A, 2024), ACTOR)
    assert seq_of(building, res.code[0]) == 3


def test_work_alongside_sees_the_codes_and_commits_with_them(reg, reg_path, building):
    """issue(alongside=...): the work runs once the codes are known, while they are stored; the batch
    commits only when it succeeds."""
    reg.issue(building, request(["ns:1"], DIV_A, 2024), ACTOR)
    before, count_before = dump(reg_path), reg.count()
    seen = []

    def fails(result):
        seen.append(list(result.code))
        raise OSError("output disk full")

    with pytest.raises(OSError):
        reg.issue(building, request(["ns:2", "ns:3"], DIV_A, 2024), ACTOR, alongside=fails)
    assert [seq_of(building, c) for c in seen[0]] == [2, 3]
    assert dump(reg_path) == before and reg.count() == count_before  # nothing of that batch stayed

    res = reg.issue(building, request(["ns:2", "ns:3"], DIV_A, 2024), ACTOR, alongside=seen.append)
    assert list(seen[-1].code) == list(res.code) and [seq_of(building, c) for c in res.code] == [2, 3]
    assert reg.count() == count_before + 2 and reg.get(res.code[1]).identity == "ns:3"


class _FailingSequencesDb:
    """Delegates to the real connection but fails the sequence update, after the codes were inserted."""

    def __init__(self, db):
        self._db = db

    def __getattr__(self, name):
        return getattr(self._db, name)

    def executemany(self, sql, rows):
        if "INTO sequences" in sql:
            raise sqlite3.OperationalError("simulated failure after the codes were inserted")
        return self._db.executemany(sql, rows)


def test_failure_after_codes_inserted_rolls_back(reg, reg_path, building):
    reg.issue(building, request(["ns:1"], DIV_A, 2024), ACTOR)
    before = dump(reg_path)
    real = reg.db
    reg.db = _FailingSequencesDb(real)
    try:
        with pytest.raises(RegistryError, match="could not be written: simulated failure.*Nothing was issued"):
            reg.issue(building, request(["ns:2", "ns:3"], DIV_A, 2024), ACTOR)
    finally:
        reg.db = real
    assert dump(reg_path) == before
    res = reg.issue(building, request(["ns:2"], DIV_A, 2024), ACTOR)
    assert seq_of(building, res.code[0]) == 2


def test_two_connections_never_issue_the_same_code(reg_path, building):
    one, two = SQLiteRegistry(reg_path), SQLiteRegistry(reg_path)
    try:
        codes = []
        for k in range(20):
            r = one if k % 2 == 0 else two
            res = r.issue(building, request([f"c:{k}:{j}" for j in range(k % 3 + 1)], DIV_A, 2024), f"user{k % 2}")
            codes += res.code.tolist()
        assert len(codes) == len(set(codes))
        assert sorted(seq_of(building, c) for c in codes) == list(range(1, len(codes) + 1))
        # an identity issued through one connection is found through the other
        mine = one.issue(building, request(["shared"], DIV_A, 2024), ACTOR).code[0]
        theirs = two.issue(building, request(["shared"], DIV_A, 2024), ACTOR)
        assert theirs.code[0] == mine and not theirs.is_new[0]
        assert one.count() == two.count() == len(codes) + 1
    finally:
        one.close()
        two.close()


# -- audit -----------------------------------------------------------------------------------------------
def test_history_records_who_when_what(reg, building):
    t0 = datetime.datetime.now().astimezone().replace(microsecond=0)
    code = reg.issue(building, request(["ns:h"], DIV_A, 2024), "carol", note="first batch").code[0]
    reg.update(code, "dave", name="一号楼", attrs={"uscc": "91340100MA2XXXXXX1"})
    rec = reg.get(code)
    assert rec.name == "一号楼" and rec.attrs == {"uscc": "91340100MA2XXXXXX1"}
    assert rec.created_by == "carol"
    reg.update(code, "dave", attrs={"floors": 5})
    assert reg.get(code).attrs == {"uscc": "91340100MA2XXXXXX1", "floors": 5} and reg.get(code).name == "一号楼"
    reg.retire(code, "erin", "demolished")
    hist = reg.history(code)
    assert [(h["action"], h["actor"]) for h in hist] == [
        ("issue", "carol"), ("update", "dave"), ("update", "dave"), ("retire", "erin")]
    assert hist[0]["detail"] == "first batch" and "demolished" in hist[-1]["detail"]
    assert "一号楼" in hist[1]["detail"]
    t1 = datetime.datetime.now().astimezone()
    for h in hist:
        at = datetime.datetime.fromisoformat(h["at"])
        assert at.tzinfo is not None and t0 <= at <= t1
    assert reg.history(code.lower()) == hist
    assert reg.history(building.compose(DIV_B, 2024, 1)) == []
    assert [r.code for r in reg.find("一号楼")] == [code]


def test_open_registry_refusals(tmp_path):
    with pytest.raises(RegistryError):
        open_registry("")
    with pytest.raises(RegistryError):
        open_registry("postgresql://host/db")
    with pytest.raises(RegistryError):
        open_registry(str(tmp_path / "missing-folder" / "r.sqlite"))
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"this is not a database" * 100)
    with pytest.raises(RegistryError):
        open_registry(str(junk))


def test_a_file_with_other_data_is_refused_and_left_unchanged(tmp_path):
    """Pointing the registry at a GeoPackage (or any SQLite file with other tables) must not write into it."""
    from conftest import SAMPLE_GPKG
    target = tmp_path / "my_data.gpkg"
    shutil.copy(SAMPLE_GPKG, target)
    before = target.read_bytes()
    with pytest.raises(RegistryError) as err:
        open_registry(str(target))
    assert "not a CityCode registry" in str(err.value) and "gpkg_contents" in str(err.value)
    assert target.read_bytes() == before
    assert not (tmp_path / "my_data.gpkg-wal").exists()


def test_point_sequences_count_per_division_for_ever(reg):
    """Point codes have no year: issuing in two years must continue one counter, never repeat a code."""
    point = load_profile("point")
    first = reg.issue(point, IssueRequest(identity=np.array(["p1", "p2"], dtype=object),
                                          division=np.array([DIV_A, DIV_A]), year=np.array([2024, 2024]),
                                          order=np.array([0, 1]), kind=np.array(["01", "04"])), ACTOR)
    again = reg.issue(point, IssueRequest(identity=np.array(["p3"], dtype=object), division=np.array([DIV_A]),
                                          year=np.array([2025]), order=np.array([0]), kind=np.array(["01"])), ACTOR)
    codes = list(first.code) + list(again.code)
    assert codes == [point.compose(DIV_A, 0, 1, kind="01"), point.compose(DIV_A, 0, 2, kind="04"),
                     point.compose(DIV_A, 0, 3, kind="01")]
    assert reg.preview(point, DIV_A, 2030, kind="09") == point.compose(DIV_A, 0, 4, kind="09")
    # a split keeps the parent's kind
    children = reg.split(codes[1], ["p2a", "p2b"], ACTOR)
    assert [point.parse(c)["kind"] for c in children] == ["04", "04"]
    assert [point.parse(c)["sequence"] for c in children] == ["000004", "000005"]
