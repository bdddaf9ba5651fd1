"""The shared registry on PostgreSQL (plugin/core/registry/postgres.py, pg_connection.py), on a real server.

tests/pg_server.py starts a PostgreSQL server of its own for the session (Debian's binaries); every test
gets a fresh schema. The embedded registry's behaviour tests (test_core_registry.py) run here unchanged
against this backend: they are imported, their `reg`/`reg_path` fixtures yield a PostgreSQL registry and
their `dump`/`sequences` helpers read the schema through a separate connection. Concurrency and faults are
tested with real client processes: 8 clients coding at once, clients killed with SIGKILL inside and
between batches, connections terminated by the server. Expected codes are composed from the requests
(sequence = rank of `order` inside division + year), not taken from the backend.
"""
import itertools
import multiprocessing
import os
import signal
import sys
import threading
import time
import traceback
from urllib.parse import quote

import numpy as np
import psycopg2
import pytest
from psycopg2 import sql

import test_core_registry as shared
from citycode.plugin.core.registry import pg_connection
from citycode.plugin.core.registry import postgres as rp
from citycode.plugin.core.codes.profiles import load_profile
from citycode.plugin.core.registry.base import RegistryError
from citycode.plugin.core.registry.postgres import PermissionDenied, PostgresRegistry
from citycode.plugin.core.registry.sqlite import SQLiteRegistry
from pg_server import DATABASE
# The embedded registry's behaviour tests, collected here again and run against PostgreSQL:
from test_core_registry import (  # noqa: F401
    ACTOR, DIV_A, DIV_B, building, request, seq_of, test_failure_inside_allocation_rolls_back,
    test_groups_are_independent_per_profile_division_year, test_history_records_who_when_what, test_merge,
    test_one_active_code_per_identity_within_a_batch, test_point_sequences_count_per_division_for_ever,
    test_refused_changes_change_nothing, test_reissue_returns_the_same_codes, test_retired_code_is_never_reissued,
    test_retiring_the_last_code_does_not_free_its_sequence, test_sequences_follow_order_per_division_and_year,
    test_split, test_work_alongside_sees_the_codes_and_commits_with_them)

DIVISIONS = ["3401040{:02d}".format(i) for i in range(1, 7)]
_schemas = itertools.count(1)


def new_uri(server, user=None) -> str:
    schema = "reg_{}_{}".format(os.getpid(), next(_schemas))
    return server.uri(schema, user=user) if user else server.uri(schema)


@pytest.fixture()
def reg_path(pg_server):
    return new_uri(pg_server)


@pytest.fixture()
def reg(reg_path):
    r = PostgresRegistry(reg_path)
    yield r
    r.close()


def query(uri, statement, args=None):
    """Rows of one statement on the registry's schema, through a connection of its own."""
    location = pg_connection.resolve(uri)
    con = psycopg2.connect(**location.connect_args())
    con.autocommit = True
    try:
        with con.cursor() as cur:
            cur.execute("SELECT set_config('search_path', quote_ident(%s), false)", (location.schema,))
            cur.execute(statement, args)
            return cur.fetchall() if cur.description else None
    finally:
        con.close()


def pg_dump(uri):
    """Every row of every table of the registry's schema."""
    schema = pg_connection.resolve(uri).schema
    tables = [r[0] for r in query(uri, "SELECT tablename FROM pg_tables WHERE schemaname=%s ORDER BY 1", (schema,))]
    return {t: sorted(map(repr, query(uri, sql.SQL("SELECT * FROM {}").format(sql.Identifier(schema, t)))))
            for t in tables}


def pg_sequences(uri):
    return {(p, d, y): s for p, d, y, s in query(uri, "SELECT profile, division, year, last_seq FROM sequences")}


@pytest.fixture(autouse=True)
def _shared_tests_on_postgres():
    """test_core_registry's tests read and reopen the registry through these: point them at PostgreSQL.
    (A MonkeyPatch of its own: some of those tests call monkeypatch.undo().)"""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(shared, "dump", pg_dump)
        patch.setattr(shared, "sequences", pg_sequences)
        patch.setattr(shared, "open_registry", PostgresRegistry)
        yield


def expected_codes(profile, identity, division, year, order):
    """identity -> code: sequence = rank of `order` inside division + year (all ids new, issued in order)."""
    seq = [0] * len(identity)
    keys = sorted(range(len(identity)), key=lambda i: (division[i], year[i], order[i]))
    for _, members in itertools.groupby(keys, key=lambda i: (division[i], year[i])):
        for rank, i in enumerate(members, start=1):
            seq[i] = rank
    codes = profile.compose_many(np.array(division), np.array(year), np.array(seq)).astype("U")
    return dict(zip(identity, codes.tolist()))


def assert_consistent(uri, profile):
    """The registry's invariants; returns {identity: active code}."""
    rows = query(uri, "SELECT code, division, year, seq, identity, status, batch FROM codes")
    if rows:
        code, division, year, seq = (np.array(col) for col in list(zip(*rows))[:4])
        assert (profile.compose_many(division, year, seq).astype("U") == code).all()  # parts and code agree
    active = {}
    for code, d, y, s, ident, status, _ in rows:
        if status == "active":
            assert ident not in active, "two active codes for " + ident
            active[ident] = code
    groups = {}
    for _, d, y, s, *_ in rows:
        groups.setdefault((d, y), []).append(s)
    last = pg_sequences(uri)
    for (d, y), seqs in groups.items():  # contiguous: no number lost, none issued twice
        assert sorted(seqs) == list(range(1, len(seqs) + 1)), (d, y)
        assert last[(profile.name, d, y)] == len(seqs)
    assert set(k[1:] for k in last) == set(groups)
    # the issuing batches account for every code
    counts = query(uri, "SELECT b.count, count(c.code) FROM batches b LEFT JOIN codes c ON c.batch = b.id "
                        "WHERE b.action = 'issue' GROUP BY b.id, b.count")
    assert all(declared == found for declared, found in counts)
    assert query(uri, "SELECT count(*) FROM codes WHERE batch NOT IN (SELECT id FROM batches)") == [(0,)]
    assert sum(found for _, found in counts) == len(rows)
    return active


# -- processes ---------------------------------------------------------------------------------------
def _context():
    """Client processes forked from a clean server process that has imported this module once (fast, and no
    fork of the QGIS application's threads)."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload([__name__])
    return ctx


def _client(uri, worker, plan, barrier, results):
    """One QGIS instance: its own connection, its batches as fast as it can, then identity -> code."""
    try:
        profile = load_profile("building")
        with PostgresRegistry(uri) as reg:
            barrier.wait(120)
            t0 = time.perf_counter()
            got, new = {}, 0
            for ids, divs, years, order in plan:
                res = reg.issue(profile, request(ids, divs, years, order), "client{}".format(worker))
                got.update(zip(ids, res.code.tolist()))
                new += int(res.is_new.sum())
            results.put((worker, got, new, time.perf_counter() - t0))
    except BaseException:
        results.put((worker, traceback.format_exc(), 0, 0))


def _run_clients(uri, plans):
    ctx = _context()
    barrier, results = ctx.Barrier(len(plans) + 1), ctx.Queue()
    procs = [ctx.Process(target=_client, args=(uri, w, plan, barrier, results)) for w, plan in enumerate(plans)]
    for p in procs:
        p.start()
    barrier.wait(120)  # all connected: start together
    t0 = time.perf_counter()
    out = [results.get(timeout=300) for _ in procs]
    wall = time.perf_counter() - t0
    for p in procs:
        p.join(30)
    errors = [r[1] for r in out if isinstance(r[1], str)]
    assert not errors, errors[0]
    return sorted(out, key=lambda r: r[0]), wall


def test_eight_clients_coding_at_once_never_share_a_code(pg_server, building):
    uri = new_uri(pg_server)
    PostgresRegistry(uri).close()
    rng = np.random.default_rng(8)
    sizes = [1, 3, 17, 64, 250, 1000, 2500]
    plans, meta = [], {}
    for w in range(8):
        ids = ["w{}:{}".format(w, i) for i in range(10000)]
        divs, years = rng.choice(DIVISIONS, 10000), rng.choice([2023, 2024], 10000)
        order = rng.permutation(10000)
        plan, start = [], 0
        for size in itertools.cycle(sizes[w % 3:] + sizes[:w % 3]):  # batches of various sizes, every division
            if start >= 10000:
                break
            s = slice(start, start + size)
            plan.append((ids[s], divs[s].tolist(), years[s].tolist(), order[s].tolist()))
            start += size
        plans.append(plan)
        meta.update((i, (d, int(y))) for i, d, y in zip(ids, divs, years))
    results, wall = _run_clients(uri, plans)
    print("\n8 clients: {} codes in {:.2f} s = {:.0f} codes/s".format(80000, wall, 80000 / wall))

    codes = [c for _, got, _, _ in results for c in got.values()]
    assert len(codes) == 80000 and None not in codes
    assert len(set(codes)) == 80000                                  # 0 duplicates
    assert sum(new for _, _, new, _ in results) == 80000
    active = assert_consistent(uri, building)                       # contiguous per division + year
    assert len(active) == 80000                                     # 0 lost
    for _, got, _, _ in results:
        assert all(active[i] == c for i, c in got.items())
    for ident, code in active.items():
        parts = building.parse(code)
        assert (parts["division"], int(parts["year"])) == meta[ident]
    # the audit: one issuing batch per request, by the client that made it, together all 80k codes
    batches = query(uri, "SELECT actor, action, count(*), sum(count) FROM batches GROUP BY 1, 2 ORDER BY 1")
    assert batches == [("client{}".format(w), "issue", len(plans[w]), 10000) for w in range(8)]
    wrong_actor = query(uri, "SELECT count(*) FROM codes c JOIN batches b ON b.id = c.batch "
                             "WHERE 'client' || substr(split_part(c.identity, ':', 1), 2) <> b.actor")
    assert wrong_actor == [(0,)]


def test_clients_coding_the_same_features_at_once_agree(pg_server, building):
    """Every client asks for the same 600 identities, in its own order and batches: each gets the one code."""
    uri = new_uri(pg_server)
    PostgresRegistry(uri).close()
    ids = ["shared:{}".format(i) for i in range(600)]
    division = {i: DIVISIONS[k % 3] for k, i in enumerate(ids)}
    rng = np.random.default_rng(5)
    plans = []
    for w in range(8):
        mine = [ids[k] for k in rng.permutation(600)]
        plans.append([(mine[s:s + 40], [division[i] for i in mine[s:s + 40]], [2024] * 40,
                       [ids.index(i) for i in mine[s:s + 40]]) for s in range(0, 600, 40)])
    results, _ = _run_clients(uri, plans)
    active = assert_consistent(uri, building)
    assert len(active) == 600 == query(uri, "SELECT count(*) FROM codes")[0][0]
    assert sum(new for _, _, new, _ in results) == 600  # each code was new for exactly one client
    for _, got, _, _ in results:
        assert got == active


def test_two_users_coding_one_feature_at_the_same_moment(reg, reg_path, building):
    """Bob's batch (another division: no sequence lock in common) waits on Ann's uncommitted code for the same
    identity, fails when she commits, and is run again: it gets her code, and its first try left no gap."""
    other = PostgresRegistry(reg_path)
    bob = other.conn.get_backend_pid()
    outcome = {}
    try:
        with reg.pending():
            mine = reg.issue(building, request(["x", "y"], DIV_A, 2024), "ann").code.tolist()
            thread = threading.Thread(target=lambda: outcome.update(
                res=other.issue(building, request(["z", "x"], DIV_B, 2024), "bob")))
            thread.start()
            _wait_for(lambda: query(reg_path, "SELECT wait_event_type FROM pg_stat_activity WHERE pid=%s",
                                    (bob,)) == [("Lock",)])
        thread.join(30)
        res = outcome["res"]
        assert res.code[1] == mine[0] and res.is_new.tolist() == [True, False]
        assert res.code[0] == building.compose(DIV_B, 2024, 1)
        assert len(assert_consistent(reg_path, building)) == 3
        assert query(reg_path, "SELECT actor, count FROM batches ORDER BY id") == [("ann", 2), ("bob", 1)]
    finally:
        other.close()


def test_a_split_child_cannot_take_an_identity_with_an_active_code(reg, reg_path, building):
    a, b = reg.issue(building, request(["a", "b"], DIV_A, 2024), ACTOR).code.tolist()
    before = pg_dump(reg_path)
    with pytest.raises(RegistryError) as err:
        reg.split(a, ["b", "c"], ACTOR)
    assert b in str(err.value) and pg_dump(reg_path) == before
    merged = reg.merge([a, b], "a", ACTOR)  # the identity of a parent retired by the merge is free again
    assert reg.active_code("building", "a") == merged


# -- faults ------------------------------------------------------------------------------------------
JOB_SIZE, JOB_BATCH = 6000, 500


def job_rows(n=JOB_SIZE):
    ids = ["job:{}".format(i) for i in range(n)]
    divs = [DIVISIONS[i * 7 % 3] for i in range(n)]
    years = [2023 + i % 2 for i in range(n)]
    return ids, divs, years, list(range(n))


def run_job(reg, profile, n=JOB_SIZE, size=JOB_BATCH, hold_at=None, hold_open=False, held=None):
    """The batch job: n features in batches; optionally stop before batch `hold_at` (with it open)."""
    ids, divs, years, order = job_rows(n)
    out = {}
    for k, start in enumerate(range(0, n, size)):
        s = slice(start, start + size)
        if k == hold_at:
            if hold_open:
                with reg.pending():
                    reg.issue(profile, request(ids[s], divs[s], years[s], order[s]), "job")
                    held.set()
                    time.sleep(600)
            held.set()
            time.sleep(600)
        res = reg.issue(profile, request(ids[s], divs[s], years[s], order[s]), "job")
        out.update((i, (c, bool(n))) for i, c, n in zip(ids[s], res.code.tolist(), res.is_new.tolist()))
    return out


def _job_process(uri, n, size, hold_at, hold_open, started, held, backend):
    with PostgresRegistry(uri) as reg:
        backend.value = reg.conn.get_backend_pid()
        started.set()
        run_job(reg, load_profile("building"), n, size, hold_at, hold_open, held)


def _kill(server, proc, backend_pid):
    assert proc.is_alive(), "the client finished before it was killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.join(30)
    deadline = time.monotonic() + 30  # the server ends the dead client's session (and rolls it back) by itself
    while server.sql("SELECT count(*) FROM pg_stat_activity WHERE pid=%s", (backend_pid,))[0][0]:
        assert time.monotonic() < deadline, "the killed client's session is still there"
        time.sleep(0.05)


def _start_job(uri, n=JOB_SIZE, size=JOB_BATCH, hold_at=None, hold_open=False):
    ctx = _context()
    started, held, backend = ctx.Event(), ctx.Event(), ctx.Value("i", 0)
    proc = ctx.Process(target=_job_process, args=(uri, n, size, hold_at, hold_open, started, held, backend))
    proc.start()
    assert started.wait(60)
    return proc, held, backend


@pytest.mark.parametrize("open_transaction", [True, False], ids=["inside-a-batch", "between-batches"])
def test_a_killed_client_leaves_the_registry_consistent(pg_server, building, open_transaction):
    uri = new_uri(pg_server)
    PostgresRegistry(uri).close()
    proc, held, backend = _start_job(uri, hold_at=3, hold_open=open_transaction)
    assert held.wait(60)
    if open_transaction:  # the fourth batch is written but not committed: its sequence rows are locked
        assert query(uri, "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                          "WHERE a.pid = %s AND l.mode = 'RowExclusiveLock'", (backend.value,))[0][0] > 0
    _kill(pg_server, proc, backend.value)
    active = assert_consistent(uri, building)
    assert len(active) == 3 * JOB_BATCH  # three committed batches; nothing of the fourth
    expected = expected_codes(building, *job_rows())
    assert all(expected[i] == c for i, c in active.items())
    # running the job again finishes it: the coded features keep their codes, the others get the rest
    with PostgresRegistry(uri) as reg:
        again = run_job(reg, building)
    assert {i: c for i, (c, _) in again.items()} == expected
    assert {i for i, (_, new) in again.items() if not new} == set(active)
    assert assert_consistent(uri, building) == expected


def test_clients_killed_at_random_moments(pg_server, building):
    uri = new_uri(pg_server)
    PostgresRegistry(uri).close()
    n, size = 30000, 100  # 300 batches: much longer than the three delays together
    expected = expected_codes(building, *job_rows(n))
    for delay in np.random.default_rng(11).uniform(0.02, 0.3, 3):
        proc, _, backend = _start_job(uri, n, size)
        time.sleep(delay)
        _kill(pg_server, proc, backend.value)
        active = assert_consistent(uri, building)
        assert len(active) % size == 0 and all(expected[i] == c for i, c in active.items())
    with PostgresRegistry(uri) as reg:
        run_job(reg, building, n, size)
    assert assert_consistent(uri, building) == expected


def _wait_for(condition, timeout=30):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline
        time.sleep(0.02)


def test_a_connection_dropped_during_a_batch(reg, reg_path, pg_server, building):
    reg.issue(building, request(["a", "b"], DIV_A, 2024), ACTOR)
    before = pg_dump(reg_path)
    schema = pg_connection.resolve(reg_path).schema
    # another session holds DIV_A's sequence row: the batch waits there with its batch row already written
    blocker = psycopg2.connect(pg_server.dsn())
    with blocker.cursor() as cur:
        cur.execute(sql.SQL("SELECT * FROM {} WHERE division=%s FOR UPDATE").format(
            sql.Identifier(schema, "sequences")), (DIV_A,))
    victim = reg.conn.get_backend_pid()
    outcome = {}

    def batch():
        try:
            reg.issue(building, request(["n:{}".format(i) for i in range(3000)], [DIV_A, DIV_B] * 1500, 2024), ACTOR)
        except Exception as e:  # noqa: BLE001 - the test looks at it
            outcome["error"] = e

    thread = threading.Thread(target=batch)
    thread.start()
    _wait_for(lambda: pg_server.sql("SELECT wait_event_type FROM pg_stat_activity WHERE pid=%s", (victim,))
              == [("Lock",)])
    pg_server.sql("SELECT pg_terminate_backend(%s)", (victim,))
    thread.join(30)
    blocker.close()
    error = outcome.get("error")
    assert isinstance(error, RegistryError), error
    assert "connection" in str(error) and "lost" in str(error) and "nothing of this change was saved" in str(error)
    assert pg_dump(reg_path) == before
    # the same registry object carries on over a new connection, without a gap
    assert seq_of(building, reg.issue(building, request(["c"], DIV_A, 2024), ACTOR).code[0]) == 3
    assert reg.conn.get_backend_pid() != victim


def test_a_connection_dropped_inside_a_pending_block(reg, reg_path, pg_server, building):
    reg.issue(building, request(["a"], DIV_A, 2024), ACTOR)
    before = pg_dump(reg_path)
    with pytest.raises(RegistryError) as err:
        with reg.pending_issue(building, "b", DIV_A, 2024, ACTOR, name="B", attrs={"floors": 3}) as issued:
            assert issued.is_new
            pg_server.sql("SELECT pg_terminate_backend(%s)", (reg.conn.get_backend_pid(),))
            # (the caller writes the code to its layer here)
    assert "lost" in str(err.value) and "nothing of this change was saved" in str(err.value)
    assert pg_dump(reg_path) == before
    assert reg.active_code("building", "b") is None


def test_a_commit_whose_answer_is_lost(reg, reg_path, building, monkeypatch):
    """The connection breaks around COMMIT: the registry asks the server (new connection) whether it was saved."""
    real_exec, real_connect = reg._exec, reg._connect

    def drop_at_commit(commit_first):
        def _exec(statement, args=None, fetch=""):
            if statement != "COMMIT":
                return real_exec(statement, args, fetch)
            if commit_first:
                real_exec(statement)
            reg.conn.close()
            raise psycopg2.OperationalError("server closed the connection unexpectedly")
        return _exec

    monkeypatch.setattr(reg, "_exec", drop_at_commit(True))
    saved = reg.issue(building, request(["a"], DIV_A, 2024), ACTOR).code[0]  # no error: it was saved
    monkeypatch.setattr(reg, "_exec", drop_at_commit(False))
    with pytest.raises(RegistryError) as err:
        reg.issue(building, request(["b"], DIV_A, 2024), ACTOR)
    assert "nothing of this change was saved" in str(err.value)

    def no_server():
        raise RegistryError("down")

    monkeypatch.setattr(reg, "_connect", no_server)
    with pytest.raises(RegistryError) as err:
        reg.issue(building, request(["c"], DIV_A, 2024), ACTOR)
    assert "may or may not be saved" in str(err.value)
    monkeypatch.setattr(reg, "_exec", real_exec)
    monkeypatch.setattr(reg, "_connect", real_connect)
    assert query(reg_path, "SELECT identity, code FROM codes") == [("a", saved)]
    assert reg.issue(building, request(["b"], DIV_A, 2024), ACTOR).code[0] == building.compose(DIV_A, 2024, 2)


# -- behaviour the shared tests cannot see ---------------------------------------------------------------
def test_same_codes_as_the_embedded_registry(reg, tmp_path, building):
    point = load_profile("point")
    rng = np.random.default_rng(7)
    pool = np.array(["p:{}".format(i) for i in range(1500)], dtype=object)
    lite = SQLiteRegistry(str(tmp_path / "r.sqlite"))
    both = (lite, reg)
    try:
        codes = set()
        for k in range(8):
            n = int(rng.integers(1, 400))
            req = request(rng.choice(pool, n, replace=False).tolist(), rng.choice(DIVISIONS[:3], n),
                          rng.choice([2019, 2024], n), order=rng.integers(0, 50, n),  # ties: input order decides
                          unit=rng.choice(["00000", "00001"], n) if k % 2 else None,
                          name=["名{}".format(i) for i in range(n)])
            a, b = (r.issue(building, req, ACTOR, note="batch {}".format(k)) for r in both)
            assert a.code.tolist() == b.code.tolist() and a.is_new.tolist() == b.is_new.tolist()
            assert a.exhausted.tolist() == b.exhausted.tolist()
            codes.update(c for c in a.code if c)
        a, b = (r.issue(point, request(["q1", "q2", "q3"], DIV_A, 2024, kind=np.array(["01", "04", "01"])), ACTOR)
                for r in both)
        assert a.code.tolist() == b.code.tolist()
        codes.update(a.code)
        ordered = sorted(codes)
        for r in both:
            r.retire(ordered[0], "ann", "demolished")
            r.update(ordered[1], "bob", name="一号楼", attrs={"floors": 5})
        children = [r.split(ordered[2], ["s:1", "s:2"], "cat") for r in both]
        merged = [r.merge([ordered[3], ordered[4]], "m:1", "dan", division=DIV_B) for r in both]
        assert children[0] == children[1] and merged[0] == merged[1]
        split_point = [r.split(a.code[1], ["k:1", "k:2"], "cat") for r in both]
        assert split_point[0] == split_point[1]
        for code in ordered + children[0] + [merged[0]] + split_point[0]:
            x, y = (r.get(code) for r in both)
            assert (x.code, x.profile, x.division, x.year, x.sequence, x.unit, x.identity, x.status, x.name,
                    x.attrs, x.created_by) == (y.code, y.profile, y.division, y.year, y.sequence, y.unit,
                                               y.identity, y.status, y.name, y.attrs, y.created_by)
            hx, hy = (r.history(code) for r in both)
            assert [(h["actor"], h["action"], h["detail"]) for h in hx] == \
                   [(h["actor"], h["action"], h["detail"]) for h in hy]
            assert lite.lineage(code) == reg.lineage(code)
        for d in DIVISIONS[:3]:
            assert lite.preview(building, d, 2024) == reg.preview(building, d, 2024)
        assert lite.preview(point, DIV_A, 2030, kind="09") == reg.preview(point, DIV_A, 2030, kind="09")
        for ident in ("p:1", "p:2", "s:1", "m:1", "nobody"):
            assert lite.active_code("building", ident) == reg.active_code("building", ident)
        assert [r.code for r in lite.find("一号")] == [r.code for r in reg.find("一号")]
        assert [r.code for r in lite.find(DIV_B)] == [r.code for r in reg.find(DIV_B)]
        for args in ((), ("building",), ("building", "retired"), (None, "active")):
            assert lite.count(*args) == reg.count(*args)
    finally:
        lite.close()


def test_sequence_limit_and_a_merge_that_cannot_issue(reg, reg_path, building):
    reg.issue(building, request(["fill:{}".format(i) for i in range(9998)], DIV_A, 2020), ACTOR)
    ids = ["late:1", "late:2", "late:3", "other:1"]
    res = reg.issue(building, request(ids, [DIV_A, DIV_A, DIV_A, DIV_B], 2020, order=[30, 10, 20, 1]), ACTOR)
    assert res.code[1] == building.compose(DIV_A, 2020, 9999)
    assert res.exhausted.tolist() == [True, False, True, False] and res.code[0] is None and res.code[2] is None
    assert res.code[3] == building.compose(DIV_B, 2020, 1)
    assert pg_sequences(reg_path)[("building", DIV_A, 2020)] == 9999
    with pytest.raises(RegistryError):
        reg.preview(building, DIV_A, 2020)
    a, b = reg.issue(building, request(["m:a", "m:b"], DIV_B, 2020), ACTOR).code.tolist()
    before = pg_dump(reg_path)
    with pytest.raises(RegistryError):
        reg.merge([a, b], "m:ab", ACTOR, division=DIV_A)  # the parents were already retired in the transaction
    with pytest.raises(RegistryError):
        reg.split(building.compose(DIV_A, 2020, 17), ["s:1", "s:2"], ACTOR)
    assert pg_dump(reg_path) == before
    reg.retire(res.code[1], ACTOR)
    later = reg.issue(building, request(["late:4"], DIV_A, 2020), ACTOR)
    assert later.exhausted.tolist() == [True] and later.code[0] is None and reg.count() == 10002


def test_hostile_text_is_stored_verbatim(pg_server, building):
    schema = 'we"ird; DROP SCHEMA public --'
    hostile = ["x'); DROP TABLE codes; --", "tab\there", "new\nline\r", "back\\slash", "\\N", "%_*", "名字'\"", "",
               "Robert'); DELETE FROM batches; --"]
    with PostgresRegistry(pg_server.uri(quote(schema, safe=""))) as reg:
        res = reg.issue(building, request(hostile, DIV_A, 2024, name=hostile[::-1]), hostile[0], note=hostile[3])
        for ident, name, code in zip(hostile, hostile[::-1], res.code):
            rec = reg.get(code)
            assert (rec.identity, rec.name, rec.created_by) == (ident, name, hostile[0])
            assert reg.active_code("building", ident) == code
            assert reg.history(code)[0]["detail"] == hostile[3]
        assert [r.code for r in reg.find("Robert')")] == [res.code[0]]  # its name
        code = res.code[0]
        reg.update(code, hostile[8], name=hostile[2], attrs={"k'; --": 'v"); DROP'})
        assert reg.get(code).attrs == {"k'; --": 'v"); DROP'} and reg.get(code).name == hostile[2]
        reg.retire(code, hostile[1], reason=hostile[0])
        assert hostile[0] in reg.history(code)[-1]["detail"] and reg.history(code)[-1]["actor"] == hostile[1]
        assert reg.find("Robert')") == [] and reg.count() == len(hostile)
        with pytest.raises(RegistryError):  # PostgreSQL text cannot hold NUL: refused, nothing written
            reg.issue(building, request(["nul\x00byte"], DIV_A, 2024), ACTOR)
        with pytest.raises(RegistryError):
            reg.update(res.code[1], ACTOR, name="nul\x00byte")
        with pytest.raises(RegistryError):
            reg.issue(building, request(["fine"], DIV_A, 2024, name=["nul\x00byte"]), ACTOR)
        assert reg.count() == len(hostile)
    assert pg_server.sql("SELECT count(*) FROM pg_namespace WHERE nspname IN (%s, 'public')", (schema,)) == [(2,)]


def test_roles_read_code_admin(pg_server, building, monkeypatch):
    uri = new_uri(pg_server)
    schema = pg_connection.resolve(uri).schema
    with PostgresRegistry(uri) as admin:
        first = admin.issue(building, request(["r:1", "r:2", "r:3", "r:4"], DIV_A, 2024), ACTOR).code.tolist()
        admin.grant_roles()
        admin.grant_roles()  # again: nothing to do, no error
    for user, role in (("ann_read", "citycode_read"), ("bob_code", "citycode_code"),
                       ("cat_admin", "citycode_admin"), ("dan_none", None)):
        pg_server.sql(sql.SQL("CREATE ROLE {} LOGIN" + (" IN ROLE {}" if role else "")).format(
            *[sql.Identifier(n) for n in (user, role) if n]))
    as_user = {u: uri.replace("user=cc_super", "user=" + u) for u in ("ann_read", "bob_code", "cat_admin", "dan_none")}
    with PostgresRegistry(as_user["ann_read"]) as r:
        assert r.get(first[0]).status == "active" and r.count() == 4 and r.history(first[0])
        assert r.preview(building, DIV_A, 2024) == building.compose(DIV_A, 2024, 5)
        with pytest.raises(PermissionDenied) as err:
            r.issue(building, request(["r:5"], DIV_A, 2024), "ann")
        assert "citycode_code" in str(err.value)
        with pytest.raises(PermissionDenied):
            r.retire(first[0], "ann")
    with PostgresRegistry(as_user["bob_code"]) as r:
        new = r.issue(building, request(["r:5"], DIV_A, 2024), "bob").code[0]
        assert seq_of(building, new) == 5
        r.update(first[0], "bob", name="x")
        r.retire(first[0], "bob")
        assert len(r.split(first[1], ["r:2a", "r:2b"], "bob")) == 2
        r.merge([first[2], first[3]], "r:34", "bob")
        with pytest.raises(PermissionDenied):
            r.grant_roles()
        with pytest.raises(psycopg2.errors.InsufficientPrivilege):  # codes are never deleted
            with r.conn.cursor() as cur:
                cur.execute("DELETE FROM codes")
    with pytest.raises(PermissionDenied):
        PostgresRegistry(as_user["dan_none"])
    with pytest.raises(PermissionDenied) as err:  # no CREATE on the database: cannot make a new registry
        PostgresRegistry(new_uri(pg_server, user="dan_none"))
    assert "no registry" in str(err.value)
    # a plugin upgrade brings a migration: only an administrator may apply it, then everybody works again
    monkeypatch.setattr(rp, "MIGRATIONS", rp.MIGRATIONS + ("CREATE TABLE {s}.notes(code text PRIMARY KEY);",))
    monkeypatch.setattr(rp, "SCHEMA_VERSION", len(rp.MIGRATIONS))
    with pytest.raises(PermissionDenied) as err:
        PostgresRegistry(as_user["bob_code"])
    assert "upgrade from schema version {} to {}".format(rp.SCHEMA_VERSION - 1, rp.SCHEMA_VERSION) in str(err.value)
    PostgresRegistry(as_user["cat_admin"]).close()
    assert query(uri, "SELECT tableowner FROM pg_tables WHERE schemaname=%s AND tablename='notes'",
                 (schema,)) == [("citycode_admin",)]
    assert query(uri, "SELECT value FROM meta WHERE key='schema_version'") == [(str(rp.SCHEMA_VERSION),)]
    with PostgresRegistry(as_user["ann_read"]) as r:
        with r.conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM notes")  # the new table is granted too
    PostgresRegistry(as_user["bob_code"]).close()


def test_clients_opening_a_new_registry_at_once_create_it_once(pg_server):
    uri = new_uri(pg_server)
    barrier, errors = threading.Barrier(6), []

    def open_it():
        barrier.wait(30)
        try:
            PostgresRegistry(uri).close()
        except Exception as e:  # noqa: BLE001 - the test looks at it
            errors.append(e)

    threads = [threading.Thread(target=open_it) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert query(uri, "SELECT key, value FROM meta") == [("schema_version", str(rp.SCHEMA_VERSION))]


def test_locations(pg_server, tmp_path, monkeypatch, building):
    service = tmp_path / "pg_service.conf"
    service.write_text("[cc_test]\nhost={}\nport={}\nuser=cc_super\ndbname={}\n".format(
        pg_server.socket_dir, pg_server.port, DATABASE))
    monkeypatch.setenv("PGSERVICEFILE", str(service))
    codes = set()
    for uri in ("service=cc_test schema=svc", "service=cc_test  schema='svc'", pg_server.uri("svc")):
        with PostgresRegistry(uri) as reg:
            assert reg.schema == "svc"
            codes.add(reg.issue(building, request(["same"], DIV_A, 2024), ACTOR).code[0])
    assert codes == {building.compose(DIV_A, 2024, 1)}  # one registry, three ways to name it
    PostgresRegistry("service=cc_test").close()
    assert pg_server.sql("SELECT count(*) FROM pg_tables WHERE schemaname='citycode'") == [(len(rp.TABLES),)]
    for uri, message in (
            ("postgresql://cc_super:secret@127.0.0.1:{}/{}".format(pg_server.port, DATABASE), "password"),
            ("service=cc_test password=secret", "password"),
            ("service=cc_test nonsense=1", "not a valid"),
            ("postgresql://cc_super@127.0.0.1:1/{}?connect_timeout=3".format(DATABASE), "Cannot connect"),
            ("service=cc_test schema=" + "x" * 64, "63")):
        with pytest.raises(RegistryError) as err:
            PostgresRegistry(uri)
        assert message in str(err.value) and "secret" not in str(err.value)
    # a schema holding someone else's tables is refused and left alone
    pg_server.sql("CREATE SCHEMA theirs; CREATE TABLE theirs.parcels(id int)")
    with pytest.raises(RegistryError) as err:
        PostgresRegistry("service=cc_test schema=theirs")
    assert "not a CityCode registry" in str(err.value) and "parcels" in str(err.value)
    assert pg_server.sql("SELECT tablename FROM pg_tables WHERE schemaname='theirs'") == [("parcels",)]
    # without psycopg2: a message, not a crash
    monkeypatch.setitem(sys.modules, "psycopg2", None)
    with pytest.raises(RegistryError) as err:
        PostgresRegistry("service=cc_test")
    assert "psycopg2" in str(err.value)


def test_qgis_connection_with_the_authentication_database(pg_server, qgis_app, monkeypatch, tmp_path, building):
    from qgis.core import QgsApplication, QgsAuthMethodConfig, QgsSettings
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "no-pgpass"))
    password = "S3cret-pw'; --"
    pg_server.sql(sql.SQL("CREATE ROLE eve LOGIN PASSWORD {}").format(sql.Literal(password)))
    pg_server.sql("GRANT CREATE ON DATABASE {} TO eve".format(DATABASE))
    manager = QgsApplication.authManager()
    assert manager.setMasterPassword("master", True)

    def auth_config(secret):
        config = QgsAuthMethodConfig("Basic")
        config.setName("registry login")
        config.setConfig("username", "eve")
        config.setConfig("password", secret)
        manager.storeAuthenticationConfig(config)
        return config.id()

    settings = QgsSettings()
    key = "PostgreSQL/connections/CityCode shared/"
    for item, value in (("host", "127.0.0.1"), ("port", str(pg_server.port)), ("database", DATABASE),
                        ("sslmode", "SslDisable"), ("authcfg", auth_config(password)), ("saveUsername", "false"),
                        ("savePassword", "false")):
        settings.setValue(key + item, value)
    settings.sync()
    with PostgresRegistry("qgis:CityCode shared?schema=shared") as reg:
        code = reg.issue(building, request(["q:1"], DIV_A, 2024), ACTOR).code[0]
        with reg.conn.cursor() as cur:
            cur.execute("SELECT current_user, inet_client_addr() IS NOT NULL")  # over TCP, with the password
            assert cur.fetchone() == ("eve", True)
    assert query(pg_server.uri("shared"), "SELECT code FROM codes") == [(code,)]
    location = pg_connection.resolve("qgis:CityCode shared")
    assert location.schema == "citycode" and "sslmode=disable" in location.dsn
    assert password not in location.dsn + location.label + repr(location)
    with open(settings.fileName(), encoding="utf-8", errors="replace") as f:
        assert "S3cret" not in f.read()
    settings.setValue(key + "authcfg", auth_config("wrong"))
    with pytest.raises(RegistryError) as err:
        PostgresRegistry("qgis:CityCode shared?schema=shared")
    assert "Cannot connect" in str(err.value) and "password authentication failed" in str(err.value)
    with pytest.raises(RegistryError) as err:
        PostgresRegistry("qgis:No such connection")
    assert "CityCode shared" in str(err.value)


def test_throughput_single_client(reg, building):
    n = 100000
    division = np.repeat(["3401{:05d}".format(i) for i in range(50)], n // 50)
    ids = np.array(["t:{}".format(i) for i in range(n)], dtype=object)
    t0 = time.perf_counter()
    res = reg.issue(building, request(ids, division, 2024), ACTOR)
    seconds = time.perf_counter() - t0
    print("\n1 client: {} codes in {:.2f} s = {:.0f} codes/s".format(n, seconds, n / seconds))
    assert res.is_new.all() and len(set(res.code.tolist())) == n and reg.count() == n
    assert res.code[-1] == building.compose(division[-1], 2024, n // 50)
    assert seconds < 30


def test_postgis_on_the_test_server(pg_server):
    """The registry does not need PostGIS; the shared planning layers (later work) do."""
    if pg_server.postgis is None:
        message = "PostGIS is not installed for this PostgreSQL (Debian package postgresql-15-postgis-3)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    assert pg_server.sql("SELECT round(ST_Area(ST_MakeEnvelope(0, 0, 3, 2))::numeric, 1)") == [(6.0,)]
