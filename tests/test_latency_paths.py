"""The paths scripts/bench_latency.py times, run once on a small registry (functional, not timed): the form's
assignment through FeatureCoder.assign, the locator's query on the registry, the form opening on a feature; and
the SQLite registry looks a few identities up in its index instead of reading every code."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "scripts"))


def test_the_benchmarked_paths_work_on_a_small_registry(qgis_app, tmp_path):
    import bench_latency

    registry = str(tmp_path / "registry.sqlite")
    bench_latency.fill_registry(registry, 3000)
    from qgis.core import QgsVectorLayer

    buildings, divisions = bench_latency.make_layer(str(tmp_path), 3)
    source = buildings.source()
    times = bench_latency.measure(registry, 3000, buildings, divisions, 3, qgis_app)
    assert {k: len(v) for k, v in times.items()} == {"assign": 3, "locator": 3, "form": 3}
    codes = sorted(f["citycode"] for f in QgsVectorLayer(source, "b", "ogr").getFeatures() if f["citycode"])
    assert len(codes) == 3 and all(c.startswith(bench_latency.DIVISIONS[0] + "2025") for c in codes)
    table = bench_latency.table([("SQLite", 3000, what, samples) for what, samples in times.items()])
    assert table.count("\n| SQLite | 3,000 |") == 3


def test_a_few_identities_are_looked_up_in_the_index(qgis_app, tmp_path):
    from citycode.plugin.core.codes.profiles import load_profile
    from citycode.plugin.core.registry.base import IssueRequest
    from citycode.plugin.core.registry.backends import open_registry
    from citycode.plugin.core.registry.sqlite import FEW_IDENTITIES

    profile = load_profile("building")
    with open_registry(str(tmp_path / "r.sqlite")) as registry:
        ids = np.array(["b{}".format(i) for i in range(FEW_IDENTITIES + 20)], dtype=object)
        n = len(ids)
        first = registry.issue(profile, IssueRequest(identity=ids, division=np.array(["340104001"] * n),
                                                     year=np.array([2024] * n), order=np.arange(n)), "t")
        plan = " ".join(str(r) for r in registry.db.execute(
            "EXPLAIN QUERY PLAN SELECT identity, code FROM codes WHERE profile='building' AND status='active' "
            "AND identity IN ('b1')"))
        assert "codes_identity" in plan, plan
        few = registry._existing("building", np.array(["b3", "b7", "nobody"], dtype=object))
        many = registry._existing("building", ids)  # the one-scan path
        assert few == {"b3": first.code[3], "b7": first.code[7]}
        assert many == dict(zip(ids.tolist(), first.code.tolist()))
        again = registry.issue(profile, IssueRequest(identity=ids[:2], division=np.array(["340104001"] * 2),
                                                     year=np.array([2024] * 2), order=np.arange(2)), "t")
        assert again.code.tolist() == first.code[:2].tolist() and not again.is_new.any()  # found, not reissued


def test_existing_looks_up_a_few_hundred_at_a_time_what_is_a_small_part_of_the_registry(qgis_app, tmp_path):
    """Identities more than FEW_IDENTITIES yet fewer than half the registry's codes (a survey's new buildings):
    looked up in the index in parts, the same answer as the scan, other profiles' codes left out."""
    from citycode.plugin.core.codes.profiles import load_profile
    from citycode.plugin.core.registry.base import IssueRequest
    from citycode.plugin.core.registry.backends import open_registry
    from citycode.plugin.core.registry.sqlite import FEW_IDENTITIES

    profile = load_profile("building")
    with open_registry(str(tmp_path / "r.sqlite")) as registry:
        ids = np.array(["b{}".format(i) for i in range(3 * FEW_IDENTITIES)], dtype=object)
        n = len(ids)
        first = registry.issue(profile, IssueRequest(identity=ids, division=np.array(["340104001"] * n),
                                                     year=np.array([2024] * n), order=np.arange(n)), "t")
        asked = np.r_[ids[::2][:FEW_IDENTITIES + 20], ["nobody"]]
        want = {i: c for i, c in zip(ids.tolist(), first.code.tolist()) if i in set(asked.tolist())}
        assert registry._existing("building", asked) == want
        assert registry._existing("other", asked) == {}


def test_find_ranks_as_before_active_first_then_by_code(qgis_app, tmp_path):
    """find stops reading codes early; its answer is still every match of code or name, active first, then by
    code, cut at the limit (checked against all records, with retired codes among the first matches)."""
    from citycode.plugin.core.codes.profiles import load_profile
    from citycode.plugin.core.registry.base import IssueRequest
    from citycode.plugin.core.registry.backends import open_registry

    profile = load_profile("building")
    n = 60
    with open_registry(str(tmp_path / "r.sqlite")) as registry:
        issued = registry.issue(profile, IssueRequest(
            identity=np.array(["b{}".format(i) for i in range(n)], dtype=object),
            division=np.array(["340104001"] * 30 + ["340104002"] * 30), year=np.array([2024] * n),
            order=np.arange(n), name=["{}号楼".format(i) if i % 3 == 0 else None for i in range(n)]), "t")
        codes = issued.code.tolist()
        for code in codes[:5] + codes[31:33]:  # retired codes sort first by code
            registry.retire(code, "t")
        everything = [registry.get(c) for c in codes]
        for text in ("340104001", "34010400", "2024", "0001", "号楼", "1号", "no such thing", "3401040022024"):
            for limit in (1, 3, 10, 30, 100):
                expected = sorted((r for r in everything if text.upper() in r.code or text in (r.name or "")),
                                  key=lambda r: (r.status != "active", r.code))[:limit]
                assert [r.code for r in registry.find(text, limit)] == [r.code for r in expected], (text, limit)


def test_a_large_batch_builds_the_identity_index_after_its_rows(qgis_app, tmp_path):
    """A batch that is a good part of the registry drops the identity index and builds it after its rows (one
    sorted pass instead of a B-tree insert per row); the index is there afterwards and finds the identities."""
    from citycode.plugin.core.codes.profiles import load_profile
    from citycode.plugin.core.registry.base import IssueRequest
    from citycode.plugin.core.registry.backends import open_registry

    profile = load_profile("building")
    n = 12_000
    statements = []
    with open_registry(str(tmp_path / "r.sqlite")) as registry:
        registry.db.set_trace_callback(statements.append)
        ids = np.array(["g{:05x}".format(i * 7919 % 65536) for i in range(n)], dtype=object)
        issued = registry.issue(profile, IssueRequest(
            identity=ids, division=np.array(["3401040{:02d}".format(i % 90 + 10) for i in range(n)]),
            year=np.array([2024] * n), order=np.arange(n)), "t")
        registry.db.set_trace_callback(None)
        assert any(s.startswith("DROP INDEX IF EXISTS codes_identity") for s in statements)
        assert registry.db.execute("SELECT count(*) FROM sqlite_master WHERE name='codes_identity'").fetchone()[0] == 1
        assert registry._existing("building", ids[[5, 11_999]]) == {ids[5]: issued.code[5],
                                                                     ids[11_999]: issued.code[11_999]}
