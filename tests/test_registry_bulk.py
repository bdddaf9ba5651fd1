"""Bulk registry operations on both backends: retire_many and record_lineage (vintage update, big jobs)."""
import sqlite3
import uuid

import numpy as np
import pytest

from citycode.plugin.core.codes.profiles import load_profile
from citycode.plugin.core.registry.backends import open_registry
from citycode.plugin.core.registry.base import IssueRequest, RegistryError

DIV = "340104001"


@pytest.fixture(params=["sqlite", "postgres"])
def location(request, tmp_path):
    if request.param == "sqlite":
        return str(tmp_path / "bulk.sqlite")
    return request.getfixturevalue("pg_server").uri("bulk_{}".format(uuid.uuid4().hex[:12]))


def issue(reg, n):
    return reg.issue(load_profile("building"), IssueRequest(
        identity=np.array(["b:{}".format(i) for i in range(n)], dtype=object), division=np.array([DIV] * n),
        year=np.array([2025] * n), order=np.arange(n)), "office").code.tolist()


def test_retire_many_retires_all_or_none(location):
    with open_registry(location) as reg:
        codes = issue(reg, 5)
        assert reg.retire_many([c.lower() for c in codes[:3]] + [codes[0]], "office", "gone in the survey") == 3
        assert [reg.get(c).status for c in codes] == ["retired"] * 3 + ["active"] * 2
        history = reg.history(codes[1])
        assert history[-1]["action"] == "retire" and "gone in the survey" in history[-1]["detail"]
        # one of them retired already: refused, nothing changed
        with pytest.raises(RegistryError, match=codes[2]):
            reg.retire_many(codes[2:], "office")
        assert [reg.get(c).status for c in codes[3:]] == ["active"] * 2
        with pytest.raises(RegistryError, match="NOSUCHCODE"):
            reg.retire_many([codes[4], "nosuchcode"], "office")
        assert reg.get(codes[4]).status == "active"
        assert reg.retire_many([], "office") == 0
        # in the caller's transaction, with its batch
        with reg.pending():
            batch = reg.new_batch("office", "retire", "in my batch", 2)
            assert reg.retire_many(codes[3:], "office", "in my batch", batch=batch) == 2
        assert reg.count(status="active") == 0


def test_record_lineage_in_the_callers_batch(location):
    with open_registry(location) as reg:
        parent, a, b, c = issue(reg, 4)

        def split():
            batch = reg.new_batch("office", "split", parent, 2)
            reg.retire_many([parent], "office", "split", batch=batch)
            return reg.record_lineage([(parent, a, "split"), (parent, b, "split")], batch)
        assert reg.run_transaction(split) == 2
        assert reg.lineage(parent) == {"parents": [], "children": [a, b]}
        assert reg.lineage(b)["parents"] == [parent]
        assert reg.history(b)[-1]["action"] == "split_from" and parent in reg.history(b)[-1]["detail"]
        assert reg.record_lineage([], 1) == 0
        with pytest.raises((RegistryError, sqlite3.IntegrityError)):  # a link twice: refused, all rolled back
            reg.run_transaction(lambda: reg.record_lineage([(a, c, "merge"), (parent, a, "split")],
                                                           reg.new_batch("office", "merge", "", 1)))
        assert reg.lineage(c)["parents"] == [] and "merged_from" not in [h["action"] for h in reg.history(c)]


def test_records_and_update_many(location):
    """records() reads many codes at once; update_many() sets attributes of many active codes in one batch,
    with an audit row each, or refuses the whole batch (nothing changed) when one is not active."""
    with open_registry(location) as reg:
        codes = issue(reg, 4)
        reg.update(codes[0], "office", attrs={"bdcdyh": "340104001001GB00001F00010001"})
        recs = reg.records([c.lower() for c in codes] + ["NOSUCHCODE"])
        assert sorted(recs) == sorted(codes) and recs[codes[0]].attrs["bdcdyh"].startswith("3401")
        assert reg.update_many({codes[0]: {"vintage": {"year": 2026}}, codes[1].lower(): {"vintage": {"year": 2026}}},
                               "office", "survey 2026") == 2
        first, second = reg.get(codes[0]), reg.get(codes[1])
        assert first.attrs == {"bdcdyh": "340104001001GB00001F00010001", "vintage": {"year": 2026}}
        assert second.attrs == {"vintage": {"year": 2026}}
        assert reg.history(codes[1])[-1]["action"] == "update"
        reg.retire(codes[3], "office", "gone")
        with pytest.raises(RegistryError, match=codes[3]):
            reg.update_many({codes[2]: {"x": 1}, codes[3]: {"x": 1}}, "office")
        assert reg.get(codes[2]).attrs == {} and reg.get(codes[3]).attrs == {}
        with pytest.raises(RegistryError, match="NOSUCHCODE"):
            reg.update_many({"nosuchcode": {"x": 1}}, "office")


def test_inactive_finds_retired_and_unknown_codes(location):
    """inactive(): by ranges of the primary key where the asked codes fill them, else by lists (part=2 with
    codes far apart), the same answer."""
    with open_registry(location) as reg:
        codes = issue(reg, 30)
        reg.retire_many([codes[3], codes[17]], "office", "gone")
        unknown = codes[0][:-4] + "9999"
        asked = codes[::2] + codes[3:4] + codes[17:18] + [unknown]
        expected = {codes[3], codes[17], unknown}
        assert reg.inactive(asked) == expected
        assert reg.inactive([codes[0], codes[17], codes[29]]) == {codes[17]}  # a range of 30 codes for 3: lists
        assert reg.inactive([]) == set()
