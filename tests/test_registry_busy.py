"""The registry under stress: another job writing it (wait, say who, cancel, give up), a full disk (for the
output and for the registry), stale files of killed runs; each time a message and nothing stored changed."""
import json
import os
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from test_core_engine import _Feedback, tiny_job, write_tiny

from citycode.plugin.core.engine import assign as engine

from citycode.plugin.core.engine import jobs
from citycode.plugin.core.engine import layer_writer
from citycode.plugin.core.engine.assign import run_assign
from citycode.plugin.core.engine.jobs import EngineError
from citycode.plugin.core.registry.backends import open_registry
from citycode.plugin.core.registry.sqlite_holder import HOLDER, holder

PKGROOT = Path(__file__).resolve().parent.parent / "build" / "pkgroot"


@pytest.fixture()
def tiny(tmp_path):
    return write_tiny(tmp_path / "tiny.gpkg")


def _bytes(path):
    return Path(path).read_bytes() if Path(path).exists() else None


def _side_files(folder):
    return sorted(p.name for p in Path(folder).iterdir() if p.name.endswith(("-wal", "-shm", "-journal", HOLDER))
                  or "citycode-tmp" in p.name)


class HoldingJob:
    """Another process that keeps the registry's write lock for `seconds` (as a long batch would)."""

    def __init__(self, registry, seconds):
        code = textwrap.dedent(f"""
            import sys, time
            from citycode.plugin.core.registry.backends import open_registry
            reg = open_registry({str(registry)!r})
            reg.job = "coding the whole city"
            with reg.pending():
                print("held", flush=True)
                time.sleep({seconds})
            reg.close()
        """)
        env = dict(os.environ, PYTHONPATH=str(PKGROOT))
        self.proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, env=env)
        assert self.proc.stdout.readline().strip() == "held"

    def wait(self):
        assert self.proc.wait(timeout=60) == 0
        self.proc.stdout.close()


class Watching(_Feedback):
    """Feedback that never cancels unless told to, and keeps the messages."""

    def __init__(self, cancel_after_waiting=False):
        super().__init__(cancel_at=10 ** 9)
        self.cancel_after_waiting = cancel_after_waiting

    def isCanceled(self):  # noqa: N802 (QGIS API name)
        return self.cancel_after_waiting and any("Waiting for the registry" in m for m in self.messages)


def test_a_busy_registry_is_waited_for_and_says_who_holds_it(tiny, tmp_path):
    job = tiny_job(tiny, tmp_path / "out")
    run_assign(job)  # the registry exists
    other = HoldingJob(job.registry, 2.5)
    feedback = Watching()
    started = time.monotonic()
    result = run_assign(tiny_job(tiny, tmp_path / "out", output=str(tmp_path / "out" / "second.gpkg"),
                                 namespace="second"), feedback=feedback)
    other.wait()
    assert time.monotonic() - started >= 1.5  # it did wait
    waiting = [m for m in feedback.messages if "Waiting for the registry" in m]
    assert waiting, feedback.messages
    assert f"process {other.proc.pid} on {socket.gethostname()}: coding the whole city" in waiting[0]
    assert result.counts["new"] > 0
    assert not (tmp_path / "out" / ("registry.sqlite" + HOLDER)).exists()


def test_waiting_gives_up_after_the_configured_time_and_changes_nothing(tiny, tmp_path, monkeypatch):
    job = tiny_job(tiny, tmp_path / "out")
    first = run_assign(job)
    earlier = _bytes(first.output)
    registry = _bytes(job.registry)
    monkeypatch.setenv("CITYCODE_REGISTRY_WAIT", "1")
    other = HoldingJob(job.registry, 4)
    try:
        with pytest.raises(EngineError, match=r"is busy: .*process {}.*gave up after waiting 1 s\. Nothing was "
                                              r"changed.*CITYCODE_REGISTRY_WAIT".format(other.proc.pid)):
            run_assign(tiny_job(tiny, tmp_path / "out", namespace="second"))
    finally:
        other.wait()
    assert _bytes(job.registry) == registry and _bytes(first.output) == earlier
    assert _side_files(tmp_path / "out") == []


def test_waiting_can_be_canceled(tiny, tmp_path):
    job = tiny_job(tiny, tmp_path / "out")
    first = run_assign(job)
    registry, earlier = _bytes(job.registry), _bytes(first.output)
    other = HoldingJob(job.registry, 3)
    feedback = Watching(cancel_after_waiting=True)
    try:
        with pytest.raises(EngineError, match="Canceled while waiting for the registry; nothing was changed") as e:
            run_assign(tiny_job(tiny, tmp_path / "out", namespace="second"), feedback=feedback)
        assert e.value.canceled
    finally:
        other.wait()
    assert _bytes(job.registry) == registry and _bytes(first.output) == earlier


def test_the_write_lock_is_not_held_while_the_output_is_written(tiny, tmp_path, monkeypatch):
    """While one job writes its (large) output another job can issue codes at once."""
    job = tiny_job(tiny, tmp_path / "out")
    run_assign(job)
    real, seen = layer_writer.write_layer, []

    def write_and_look(path, *args, **kwargs):
        env = dict(os.environ, PYTHONPATH=str(PKGROOT), CITYCODE_REGISTRY_WAIT="0")
        code = textwrap.dedent(f"""
            from citycode.plugin.core.registry.backends import open_registry
            with open_registry({job.registry!r}) as reg, reg.pending():
                reg.update(reg.find("")[0].code, "other", name="written meanwhile")
        """)
        seen.append(subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(layer_writer, "write_layer", write_and_look)
    run_assign(tiny_job(tiny, tmp_path / "out", namespace="second"))
    assert seen and seen[0].returncode == 0, seen[0].stderr


def test_a_killed_writers_lock_file_names_nobody_and_is_removed(tmp_path):
    registry = tmp_path / "registry.sqlite"
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    lock = Path(str(registry) + HOLDER)
    lock.write_text(json.dumps({"host": socket.gethostname(), "pid": dead.pid, "user": "ghost", "job": "x",
                                "since": "2026-01-01T00:00:00"}), encoding="utf-8")
    assert holder(str(registry)) == "another program"
    assert not lock.exists()
    lock.write_text(json.dumps({"host": "elsewhere", "pid": 4242, "user": "li", "job": "batch",
                                "since": "2026-01-01T00:00:00"}), encoding="utf-8")
    assert holder(str(registry)) == "li (process 4242 on elsewhere: batch, since 2026-01-01T00:00:00)"


# -- stale temporary files ------------------------------------------------------------------------------
def test_stale_staged_outputs_of_killed_runs_are_cleaned_and_logged(tiny, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    old = [out / "coded.citycode-tmp-123.gpkg", out / "coded.citycode-tmp-123.gpkg-wal",
           out / "other.citycode-tmp-77.shp", out / "other.citycode-tmp-77.dbf"]
    fresh = out / "busy.citycode-tmp-555.gpkg"  # another run writing right now
    mine = out / "notes.tmp"                    # not ours
    for p in old + [fresh, mine]:
        p.write_bytes(b"x")
    long_ago = time.time() - jobs.STALE_AGE - 60
    for p in old + [mine]:
        os.utime(p, (long_ago, long_ago))
    feedback = Watching()
    run_assign(tiny_job(tiny, out), feedback=feedback)
    assert not any(p.exists() for p in old)
    assert fresh.exists() and mine.exists()
    said = [m for m in feedback.messages if m.startswith("Removed 4 temporary files left by runs that were stopped")]
    assert said and all(p.name in said[0] for p in old)


# -- a full disk ----------------------------------------------------------------------------------------
@pytest.fixture()
def small_disk(tmp_path):
    """A folder on a tiny file system of its own (tmpfs; needs root), else the test is skipped."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)],
                                           capture_output=True).returncode != 0:
        pytest.skip("a small file system cannot be mounted here (needs root)")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill(folder, leave):
    """Fill the file system of `folder` up to `leave` bytes."""
    st = os.statvfs(folder)
    with open(Path(folder) / "filler", "wb") as f:
        f.write(b"\0" * max(0, st.f_bavail * st.f_frsize - leave))


def test_disk_full_for_a_new_registry_leaves_no_registry_behind(tiny, tmp_path, small_disk):
    _fill(small_disk, 4096)
    with pytest.raises(EngineError, match="disk is full"):
        run_assign(tiny_job(tiny, tmp_path / "out", registry=str(small_disk / "registry.sqlite")))
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler"]
    assert not (tmp_path / "out" / "coded.gpkg").exists() and _side_files(tmp_path / "out") == []


@pytest.mark.parametrize("when", ["before_opening", "while_issuing"])
def test_disk_full_for_the_registry_keeps_it_byte_identical(tiny, tmp_path, small_disk, monkeypatch, when):
    registry = small_disk / "registry.sqlite"
    job = tiny_job(tiny, tmp_path / "out", registry=str(registry))
    first = run_assign(job)
    before, earlier = _bytes(registry), _bytes(first.output)
    if when == "before_opening":
        _fill(small_disk, 0)
    else:  # the registry is open (its WAL index made) when the disk fills up
        real = engine.datasets.legacy_codes

        def fill_then(*args):
            _fill(small_disk, 0)
            return real(*args)
        monkeypatch.setattr(engine.datasets, "legacy_codes", fill_then)
    failed = "cannot be opened for writing" if when == "before_opening" else "could not be written"
    with pytest.raises(EngineError, match=f"registry .* {failed}: the disk is full.*Nothing was"):
        run_assign(tiny_job(tiny, tmp_path / "out", registry=str(registry), namespace="second"))
    assert _bytes(registry) == before and _bytes(first.output) == earlier
    assert _side_files(small_disk) == [] and _side_files(tmp_path / "out") == []
    os.remove(small_disk / "filler")
    monkeypatch.undo()
    again = run_assign(tiny_job(tiny, tmp_path / "out", registry=str(registry), namespace="second"))
    assert again.counts["new"] == first.counts["new"]


def test_a_full_disk_for_the_output_is_found_before_any_code_is_issued(tiny, tmp_path, small_disk):
    out = small_disk / "out"
    registry = tmp_path / "registry.sqlite"
    first = run_assign(tiny_job(tiny, out, registry=str(registry)))
    earlier, before = _bytes(first.output), _bytes(registry)
    _fill(small_disk, 0)
    with pytest.raises(EngineError, match=r"The disk of .* is full: 0\.0 MB free, the output needs at least .*Nothing "
                                          r"was changed"):
        run_assign(tiny_job(tiny, out, registry=str(registry), namespace="second"))
    assert _bytes(first.output) == earlier and _bytes(registry) == before and _side_files(out) == []


def test_a_disk_that_fills_up_while_the_output_is_written_keeps_the_earlier_one(tiny, tmp_path, small_disk,
                                                                                monkeypatch):
    out = small_disk / "out"
    registry = tmp_path / "registry.sqlite"
    first = run_assign(tiny_job(tiny, out, registry=str(registry)))
    earlier = _bytes(first.output)
    with open_registry(str(registry)) as reg:
        count = reg.count()
    real = layer_writer.write_layer

    def fill_then_write(*args, **kwargs):
        _fill(small_disk, 0)
        return real(*args, **kwargs)

    monkeypatch.setattr(layer_writer, "write_layer", fill_then_write)
    with pytest.raises(EngineError, match=r"output .* could not be written: the disk is full\. An earlier output "
                                          r"was left as it was.*same codes"):
        run_assign(tiny_job(tiny, out, registry=str(registry), namespace="second"))
    monkeypatch.undo()
    assert _bytes(first.output) == earlier and _side_files(out) == []
    os.remove(small_disk / "filler")
    again = run_assign(tiny_job(tiny, out, registry=str(registry), namespace="second"))
    with open_registry(str(registry)) as reg:
        assert again.counts["new"] == 0 and reg.count() == count + again.counts["existing"]


# -- the order of the steps: the registry commits, then the output is written ------------------------------
@pytest.fixture(params=["sqlite", "postgres"])
def registry(request, tmp_path):
    if request.param == "sqlite":
        return str(tmp_path / "registry.sqlite")
    from test_registry_postgres import new_uri
    return new_uri(request.getfixturevalue("pg_server"))


def test_an_output_that_fails_after_the_commit_gets_the_same_codes_on_the_next_run(tiny, tmp_path, monkeypatch,
                                                                                     registry):
    """Both registries: the codes are committed before the output is written; when writing fails the
    message says the codes are kept, and the next run finds them (none new, the same codes)."""
    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(layer_writer, "write_layer", fail)
    with pytest.raises(EngineError, match="keeps the 4 new codes"):
        run_assign(tiny_job(tiny, tmp_path / "out", registry=registry))
    monkeypatch.undo()
    assert not (tmp_path / "out" / "coded.gpkg").exists() and _side_files(tmp_path / "out") == []
    with open_registry(registry) as reg:
        issued = {r.identity: r.code for r in reg.find("", limit=100)}
    again = run_assign(tiny_job(tiny, tmp_path / "out", registry=registry))
    assert (again.counts["new"], again.counts["existing"]) == (0, 4)
    with open_registry(registry) as reg:
        assert {r.identity: r.code for r in reg.find("", limit=100)} == issued


def test_the_code_form_gives_up_sooner_and_changes_neither_layer_nor_registry(tmp_path, monkeypatch, qgis_app):
    """The form blocks its window while it waits: it gives up after FORM_WAIT, with the same message."""
    from test_feature_coding import DIV_A, YEAR, _geom, _layer, _write

    from citycode.plugin.core.engine import feature_coding as fc
    from citycode.plugin.core.registry.base import RegistryError
    gpkg = tmp_path / "town.gpkg"
    _write(gpkg, "divisions", [("code", "string")], [((DIV_A,), _geom((0, 0, 100, 100)))])
    _write(gpkg, "houses", [("id", "integer"), ("citycode", "string")], [((1, None), _geom((10, 10, 30, 30)))])
    registry = tmp_path / "registry.sqlite"
    open_registry(str(registry)).close()
    layer = _layer(gpkg, "houses")
    config = fc.CodingConfig(registry_path=str(registry), division_layer=_layer(gpkg, "divisions"), actor="tester")
    monkeypatch.setattr(fc, "FORM_WAIT", 1.0)
    before = _bytes(registry)
    other = HoldingJob(registry, 4)
    try:
        started = time.monotonic()
        with pytest.raises(RegistryError, match="is busy: .*gave up after waiting 1 s"):
            fc.FeatureCoder(layer, config).assign(fc.Assignment(fid=next(layer.getFeatures()).id(),
                                                                profile="building", division=DIV_A, year=YEAR))
        assert time.monotonic() - started < 3
    finally:
        other.wait()
    assert _bytes(registry) == before
    assert [f["citycode"] for f in _layer(gpkg, "houses").getFeatures()] == [None]
    layer.deleteLater()
    config.division_layer.deleteLater()


def test_only_a_registry_nothing_was_recorded_in_is_discarded(tmp_path, tiny):
    """What a failed run made is removed; a registry another job made meanwhile (it has a batch) stays."""
    from citycode.plugin.core.registry.sqlite import discard_if_unused
    empty = tmp_path / "empty.sqlite"
    open_registry(str(empty)).close()
    discard_if_unused(str(empty))
    assert list(tmp_path.glob("empty.sqlite*")) == []
    job = tiny_job(tiny, tmp_path / "out")
    run_assign(job)
    before = _bytes(job.registry)
    discard_if_unused(job.registry)
    assert _bytes(job.registry) == before


def test_a_busy_postgres_registry_is_waited_for_and_says_who_writes(tiny, tmp_path, pg_server):
    """PostgreSQL: a batch waiting for another's sequence locks says who writes (database user, server
    process, client, since when) and goes on once they commit; the codes are numbered after theirs."""
    from test_core_engine import DIV_A, DIV_B
    from test_registry_postgres import new_uri
    registry = new_uri(pg_server)
    open_registry(registry).close()
    code = textwrap.dedent(f"""
        import time
        import numpy as np
        from citycode.plugin.core.codes.profiles import load_profile
        from citycode.plugin.core.registry.base import IssueRequest
        from citycode.plugin.core.registry.backends import open_registry
        keys = [(d, y) for d in ({DIV_A!r}, {DIV_B!r}) for y in range(2001, 2006)]
        with open_registry({registry!r}) as reg, reg.pending():
            reg.issue(load_profile("building"), IssueRequest(
                identity=np.array(["other:%s:%s" % k for k in keys], dtype=object),
                division=np.array([d for d, _ in keys]), year=np.array([y for _, y in keys]),
                order=np.arange(len(keys))), "other")
            print("held", flush=True)
            time.sleep(2.5)
    """)
    env = dict(os.environ, PYTHONPATH=str(PKGROOT))
    other = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, env=env)
    assert other.stdout.readline().strip() == "held"
    feedback = Watching()
    try:
        result = run_assign(tiny_job(tiny, tmp_path / "out", registry=registry), feedback=feedback)
    finally:
        assert other.wait(timeout=60) == 0
        other.stdout.close()
    waiting = [m for m in feedback.messages if "Waiting for the registry, held by" in m]
    assert waiting and "(process " in waiting[0] and "another program" not in waiting[0], feedback.messages
    with open_registry(registry) as reg:
        mine = [reg.get(c) for (c,) in reg._sql("SELECT code FROM codes WHERE identity NOT LIKE ?", ("other:%",),
                                                "all")]
    assert len(mine) == result.counts["new"] > 0 and all(r.sequence == 2 for r in mine)  # after the other's 1
