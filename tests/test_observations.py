"""Observations at monitoring points (plugin/core/points/observations.py) and their chart
(plugin/gui/observation_chart.py).

The observations share the registry file with the codes: every test makes a real registry with
open_registry, issues point codes in it, and checks the registry's own tables are left as they were.
Exceedances are checked against a plain loop over the values written here; "nothing changed" is a full
dump of the file read through another connection.
"""
import csv
import datetime
import os
import sqlite3
import subprocess
import sys
import warnings

import numpy as np
import pytest
from dbdump import dump

from citycode.plugin.core.points.observation_series import ObservationBatch, normalize_unit, unit_factor
from citycode.plugin.core.points.observations import ObservationError, ObservationStore, registry_resolver
from citycode.plugin.core.codes.profiles import load_profile
from citycode.plugin.core.registry.base import IssueRequest, RegistryError
from citycode.plugin.core.registry.backends import open_registry
from citycode.plugin.core.registry.sqlite import SQLiteRegistry

ACTOR = "tester"
REGISTRY_TABLES = ("meta", "codes", "sequences", "batches", "audit", "lineage")


@pytest.fixture()
def reg_path(tmp_path):
    """A registry file holding two monitoring point codes (identities P-001 air, P-002 water)."""
    path = str(tmp_path / "citycode_registry.sqlite")
    with open_registry(path) as reg:
        reg.issue(load_profile("point"), IssueRequest(
            identity=np.array(["P-001", "P-002"], dtype=object), division=np.array(["340104001"] * 2),
            year=np.array([2024, 2024]), order=np.arange(2), kind=np.array(["04", "03"])), ACTOR)
    return path


@pytest.fixture()
def codes(reg_path):
    with open_registry(reg_path) as reg:
        return reg.active_code("point", "P-001"), reg.active_code("point", "P-002")


@pytest.fixture()
def store(reg_path):
    s = ObservationStore(reg_path)
    yield s
    s.close()


@pytest.fixture()
def resolve(reg_path):
    reg = open_registry(reg_path)
    yield registry_resolver(reg, "point")
    reg.close()


def batch(rows, first_line=2):
    """rows: (key, time, variable, value, unit, censored) as a parser would hand them over."""
    cols = list(zip(*rows))
    return ObservationBatch(key=list(cols[0]), time=list(cols[1]), variable=list(cols[2]),
                            value=np.array(cols[3], dtype=float), unit=list(cols[4]), censored=list(cols[5]),
                            line=np.arange(first_line, first_line + len(rows)))


def stored_rows(path):
    con = sqlite3.connect(path)
    try:
        return sorted(con.execute("SELECT s.code, s.variable, o.time, o.value, o.unit, o.censored "
                                  "FROM observations o JOIN obs_series s ON s.id=o.series"))
    finally:
        con.close()


def registry_part(path):
    return {t: rows for t, rows in dump(path).items() if t in REGISTRY_TABLES}


AIR = [("P-001", "2024-03-01T08:00:00", "PM2.5", 35.0, "μg/m³", ""),
       ("P-001", "2024-03-02T08:00:00", "PM2.5", 80.0, "ug/m3", ""),
       ("P-001", "2024-03-03T08:00:00", "PM2.5", 0.05, "mg/m³", ""),
       ("P-002", "2024-03-01", "氨氮", 0.2, "mg/L", "<")]


# -- one file, two owners --------------------------------------------------------------------------
def test_observations_live_in_the_registry_file(reg_path, codes, resolve):
    before = registry_part(reg_path)
    with ObservationStore(reg_path) as store:
        result = store.add(batch(AIR), ACTOR, "air.csv", resolve)
        assert result.added == 4
    assert registry_part(reg_path) == before  # the registry's tables are not written
    with SQLiteRegistry(reg_path) as reg:  # and the registry still opens it and knows its codes
        assert reg.get(codes[0]).status == "active"
        assert reg.count(profile="point") == 2
    assert {c for c, *_ in stored_rows(reg_path)} == set(codes)


def test_store_shares_an_open_registry(reg_path, codes):
    with open_registry(reg_path) as reg:
        store = ObservationStore(reg)
        with pytest.raises(RuntimeError):
            with reg.pending():  # one transaction for codes and observations: the failure undoes both
                store.add(batch(AIR[:1]), ACTOR, "air.csv", registry_resolver(reg))
                reg.retire(codes[1], ACTOR)
                raise RuntimeError("later step failed")
        store.close()  # leaves the registry open: its owner closes it
        assert reg.get(codes[1]).status == "active"
    assert stored_rows(reg_path) == []


def test_refuses_a_file_holding_other_data(tmp_path):
    path = str(tmp_path / "buildings.sqlite")
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE buildings(id INTEGER, name TEXT)")
    con.execute("INSERT INTO buildings VALUES(1, '综合楼')")
    con.commit()
    con.close()
    before = dump(path)
    with pytest.raises(RegistryError):
        ObservationStore(path)
    assert dump(path) == before


# -- adding ----------------------------------------------------------------------------------------
def test_reimport_adds_nothing_new(store, reg_path, resolve):
    first = store.add(batch(AIR), ACTOR, "air.csv", resolve)
    assert (first.added, first.unchanged, first.conflicts, first.unresolved) == (4, 0, 0, 0)
    rows = stored_rows(reg_path)
    again = store.add(batch(AIR), ACTOR, "air.csv", resolve)
    assert (again.added, again.unchanged, again.conflicts, again.unresolved) == (0, 4, 0, 0)
    assert again.problems == []
    assert stored_rows(reg_path) == rows
    # the same instant written another way (space, no seconds) and the same value in another unit
    # (0.08 mg/m³ = 80 μg/m³) is the same observation
    same = batch([("P-001", "2024-03-02 08:00", "PM2.5", 0.08, "mg/m3", "")])
    assert store.add(same, ACTOR, "air2.csv", resolve).unchanged == 1
    assert [(i["source"], i["added"], i["unchanged"]) for i in store.imports()] == \
        [("air.csv", 4, 0), ("air.csv", 0, 4), ("air2.csv", 0, 1)]


@pytest.mark.parametrize("on_conflict", ["keep", "replace"])
def test_conflict_keep_or_replace_is_audited(store, codes, resolve, on_conflict):
    store.add(batch(AIR), ACTOR, "air.csv", resolve)
    changed = list(AIR)
    changed[1] = ("P-001", "2024-03-02T08:00:00", "PM2.5", 95.0, "μg/m³", "")
    result = store.add(batch(changed, first_line=10), "reviewer", "air_fixed.csv", resolve, on_conflict=on_conflict)
    assert (result.added, result.unchanged, result.conflicts) == (0, 3, 1)
    assert [(p.line, p.kind) for p in result.problems] == [(11, "conflict")]
    s = store.series(codes[0], "PM2.5")
    value = s.value[s.time == np.datetime64("2024-03-02T08:00:00")]
    assert value.tolist() == ([80.0] if on_conflict == "keep" else [95.0])
    (record,) = store.audit(codes[0])
    assert (record["action"], record["actor"], record["variable"], record["time"]) == \
        (on_conflict, "reviewer", "PM2.5", "2024-03-02T08:00:00")
    assert record["detail"]["old"] == "80 μg/m³" and record["detail"]["new"] == "95 μg/m³"
    assert datetime.datetime.fromisoformat(record["at"]).date() == datetime.date.today()


def test_bad_on_conflict_is_refused(store, resolve):
    with pytest.raises(ObservationError):
        store.add(batch(AIR), ACTOR, "air.csv", resolve, on_conflict="overwrite")


def test_unresolved_and_bad_rows_are_reported_with_their_lines(store, reg_path, codes, resolve):
    rows = [("P-001", "2024-03-01T08:00:00", "PM2.5", 35.0, "μg/m³", ""),   # line 2: fine
            ("P-999", "2024-03-01T08:00:00", "PM2.5", 40.0, "μg/m³", ""),   # line 3: no such point
            (codes[1], "2024-03-01", "氨氮", 0.3, "mg/L", ""),               # line 4: a code as key: fine
            ("P-001", "3/1/2024", "PM2.5", 36.0, "μg/m³", ""),              # line 5: not ISO 8601
            ("P-001", "2024-03-04T08:00:00", "PM2.5", np.nan, "μg/m³", ""),  # line 6: no value
            ("P-001", "2024-03-05T08:00:00", "PM2.5", 1.0, "μg/m³", ">"),   # line 7: unknown mark
            ("P-001", "2024-03-01T08:00:00", "PM2.5", 35.0, "μg/m³", ""),   # line 8: repeats line 2
            ("340104001JC04000009X", "2024-03-01", "PM2.5", 1.0, "", "")]    # line 9: unknown code
    result = store.add(batch(rows), ACTOR, "mixed.csv", resolve)
    assert (result.added, result.unresolved, result.invalid) == (2, 2, 4)
    assert [(p.line, p.kind) for p in result.problems] == \
        [(3, "unresolved"), (5, "time"), (6, "value"), (7, "censored"), (8, "duplicate"), (9, "unresolved")]
    assert "P-999" in result.problems[0].message and "3" in result.problems[0].message
    assert [(c, v) for c, v, *_ in stored_rows(reg_path)] == sorted([(codes[0], "PM2.5"), (codes[1], "氨氮")])


def test_a_failure_midway_leaves_the_store_as_it_was(store, reg_path, resolve, monkeypatch):
    store.add(batch(AIR[:2]), ACTOR, "first.csv", resolve)
    before = dump(reg_path)
    inserted = []
    original = ObservationStore._store

    def store_then_fail(self, rows, *args):
        original(self, rows, *args)
        inserted.append(self.db.execute("SELECT count(*) FROM observations").fetchone()[0])
        raise OSError("disk full")

    monkeypatch.setattr(ObservationStore, "_store", store_then_fail)
    with pytest.raises(OSError):
        store.add(batch(AIR), ACTOR, "second.csv", resolve, on_conflict="replace")
    assert inserted == [4]  # the rows were in before the failure ...
    assert dump(reg_path) == before  # ... and are gone with it, import record included


CRASH = """
import os, sys
sys.path.insert(0, {pkgroot!r})
import numpy as np
from citycode.plugin.core.points.observation_series import ObservationBatch
from citycode.plugin.core.points.observations import ObservationStore
original = ObservationStore._store
def store_then_die(self, *args):
    original(self, *args)
    os._exit(3)  # the process dies inside the transaction: no rollback, no cleanup
ObservationStore._store = store_then_die
ObservationStore({path!r}).add(ObservationBatch(
    key=["A"] * 3, time=["2024-01-0%d" % d for d in (1, 2, 3)], variable=["pH"] * 3,
    value=np.array([7.0, 7.1, 7.2]), unit=[""] * 3, censored=[""] * 3, line=[2, 3, 4]),
    "tester", "crash.csv", {{"A": "CODE-A"}})
"""


def test_a_crash_midway_leaves_the_store_as_it_was(store, reg_path, resolve, repo_root):
    store.add(batch(AIR), ACTOR, "first.csv", resolve)
    store.close()
    before = dump(reg_path)
    script = CRASH.format(pkgroot=str(repo_root / "build" / "pkgroot"), path=reg_path)
    done = subprocess.run([sys.executable, "-c", script], env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 3, done.stderr
    assert dump(reg_path) == before


# -- thresholds, units, exceedances ----------------------------------------------------------------
def test_thresholds_from_csv_chinese_gbk_and_english(store, tmp_path):
    zh = tmp_path / "限值.csv"
    zh.write_bytes("指标,下限,上限,单位\nPM2.5,,75,微克/立方米\npH,6,9,\n".encode("gbk"))  # as Excel saves it
    assert store.load_thresholds(str(zh), actor="张工") == (2, [])
    en = tmp_path / "limits.csv"
    en.write_text("variable,lower,upper,unit\nDO,5,,mg/L\n", encoding="utf-8-sig")
    assert store.load_thresholds(str(en)) == (1, [])
    got = {v: (t.lower, t.upper, t.unit) for v, t in store.thresholds().items()}
    assert got == {"PM2.5": (None, 75.0, "μg/m³"), "pH": (6.0, 9.0, ""), "DO": (5.0, None, "mg/L")}
    assert store.thresholds()["pH"].actor == "张工"
    assert [a["variable"] for a in store.audit() if a["action"] == "threshold"] == ["PM2.5", "pH", "DO"]

    bad = tmp_path / "bad.csv"
    bad.write_text("variable,lower,upper,unit\nCOD,,20,mg/L\nNH3,abc,1,mg/L\nTP,3,1,mg/L\n", encoding="utf-8")
    count, problems = store.load_thresholds(str(bad))
    assert count == 0 and len(problems) == 2
    assert problems[0].startswith("Line 3") and problems[1].startswith("Line 4")
    assert "COD" not in store.thresholds()  # one bad row: none is set


def test_set_threshold_refuses_lower_above_upper_and_removes(store):
    with pytest.raises(ObservationError):
        store.set_threshold("pH", upper=6, lower=9, actor=ACTOR)
    store.set_threshold("pH", upper=9, lower=6, actor=ACTOR)
    store.set_threshold("pH", actor=ACTOR)  # neither limit: removed
    assert store.thresholds() == {}
    assert [a["detail"]["new"] for a in store.audit()] == [[6, 9, ""], None]


def test_units_normalised_and_converted():
    for spelling in ("μg/m³", "µg/m³", "ug/m3", "UG/M3", "μg/m3", " 微克/立方米 "):  # Greek mu and micro sign
        assert normalize_unit(spelling) == "μg/m³"
    assert normalize_unit("mg/l") == normalize_unit("毫克/升") == "mg/L"
    assert unit_factor("mg/m3", "ug/m³") == 1000
    assert unit_factor("μg/m³", "mg/m³") == pytest.approx(0.001)
    assert unit_factor("mg/L", "μg/L") == 1000
    assert unit_factor("ppm", "μg/m³") is None  # needs the gas's molar mass: not guessed
    assert unit_factor("mg/L", "mg/kg") is None
    assert unit_factor("NTU", "ntu") == 1 and unit_factor("", "mg/L") == 1


def test_exceedance_across_units_and_mismatch(store, codes, resolve):
    store.set_threshold("PM2.5", upper=75, unit="μg/m³", actor=ACTOR)
    rows = [("P-001", "2024-03-0%dT08:00:00" % (i + 1), "PM2.5", v, u, "")
            for i, (v, u) in enumerate([(0.074, "mg/m³"), (0.075, "mg/m³"), (0.076, "mg/m3"), (80, "ug/m3"),
                                        (75, "μg/m³"), (0.2, "ppm")])]
    result = store.add(batch(rows), ACTOR, "air.csv", resolve)
    assert result.added == 6
    assert [(p.line, p.kind) for p in result.problems] == [(7, "unit")]  # stored, with a warning
    s = store.series(codes[0], "PM2.5")
    # 74 no, 75 (at the limit, however written) no, 76 yes, 80 yes, 75 no, ppm: cannot say
    assert s.exceeds.tolist() == [False, False, True, True, False, False]
    assert s.unit_mismatch.tolist() == [False] * 5 + [True]
    assert s.in_unit("μg/m³")[:5] == pytest.approx([74, 75, 76, 80, 75])
    assert np.isnan(s.in_unit("μg/m³")[5])
    assert store.unit_mismatches() == [dict(code=codes[0], variable="PM2.5", unit="ppm", threshold_unit="μg/m³",
                                            count=1)]


def test_exceedances_match_a_plain_loop(store, codes, resolve):
    rng = np.random.default_rng(7)
    lower, upper = 20.0, 100.0
    start = datetime.datetime(2024, 1, 1)
    values = np.round(rng.uniform(0, 130, 60), 1)
    values[:4] = [upper, lower, upper + 0.1, lower - 0.1]  # at and just beyond the limits
    censored = np.where(rng.random(60) < 0.2, "<", "")
    censored[4:6] = "<"
    values[4:6] = [120.0, 10.0]  # '<120' may be anything below 120: not above 100; '<10' is below 20
    times = [(start + datetime.timedelta(days=i)).isoformat() for i in range(60)]
    rows = [(key, t, "COD", float(v), "mg/L", c) for key in ("P-001", "P-002")
            for t, v, c in zip(times, values, censored)]
    store.set_threshold("COD", upper=upper, lower=lower, unit="mg/L", actor=ACTOR)
    store.add(batch(rows), ACTOR, "cod.csv", resolve)

    truth = set()
    for t, v, c in zip(times, values, censored):
        if (v > upper and c != "<") or v < lower:
            truth.add((t, float(v)))
    found = store.exceedances(code=codes[1], variable="COD")
    assert {(r["time"], r["value"]) for r in found} == truth
    assert (times[2], upper + 0.1) in truth and (times[4], 120.0) not in truth and (times[5], 10.0) in truth
    assert {r["threshold"] for r in found if r["limit"] == "upper"} == {upper}
    assert len(store.exceedances()) == 2 * len(truth)  # both points
    assert store.exceedances(variable="PM2.5") == []


def test_series_time_range_and_time_zones(store, codes, resolve):
    rows = [("P-001", t, "PM10", float(i), "μg/m³", "") for i, t in enumerate(
        ["2024-03-01T00:00:00Z", "2024-03-01T23:30:00+08:00", "2024-03-02T00:00:00", "2024-03-03"])]
    store.add(batch(rows), ACTOR, "pm10.csv", resolve)
    s = store.series(codes[0], "PM10")
    assert s.time.astype(str).tolist() == ["2024-03-01T08:00:00", "2024-03-01T23:30:00", "2024-03-02T00:00:00",
                                           "2024-03-03T00:00:00"]  # UTC 00:00 is 08:00 in China
    assert len(store.series(codes[0], "PM10", end="2024-03-01")) == 2  # a date as end: the whole day
    assert len(store.series(codes[0], "PM10", start=datetime.date(2024, 3, 2), end="2024-03-02T00:00:00")) == 1
    with pytest.raises(ObservationError):
        store.series(codes[0], start="yesterday")


# -- export ----------------------------------------------------------------------------------------
def test_export_csv_with_bom_and_xlsx(store, codes, resolve, tmp_path):
    from osgeo import ogr
    store.set_threshold("PM2.5", upper=75, unit="μg/m³", actor=ACTOR)
    store.add(batch(AIR), ACTOR, "air.csv", resolve)
    # PM2.5: 35 μg/m³ no, 80 μg/m³ yes, 0.05 mg/m³ = 50 no; 氨氮 has no threshold
    expected = {(codes[0], "2024-03-01 08:00:00", "PM2.5", 35.0, "0"),
                (codes[0], "2024-03-02 08:00:00", "PM2.5", 80.0, "1"),
                (codes[0], "2024-03-03 08:00:00", "PM2.5", 0.05, "0"),
                (codes[1], "2024-03-01 00:00:00", "氨氮", 0.2, "0")}

    path = tmp_path / "监测数据.csv"
    assert store.export(str(path)) == 4
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    table = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert {(r["编码(code)"], r["时间(time)"], r["指标(variable)"], float(r["数值(value)"]), r["超标(exceeds)"])
            for r in table} == expected
    ammonia = next(r for r in table if r["指标(variable)"] == "氨氮")
    assert (ammonia["检出限标记(censored)"], ammonia["单位(unit)"]) == ("<", "mg/L")
    assert not [n for n in os.listdir(tmp_path) if "partial" in n]

    xlsx = tmp_path / "监测数据.xlsx"
    assert store.export(str(xlsx), codes=[codes[0]], variables=["PM2.5"]) == 3
    ds = ogr.Open(str(xlsx))
    layer = ds.GetLayer(0)
    got = set()
    for f in layer:
        when = datetime.datetime(*[int(x) for x in f.GetFieldAsDateTime("时间(time)")[:6]])
        got.add((f["编码(code)"], when.strftime("%Y-%m-%d %H:%M:%S"), f["指标(variable)"], f["数值(value)"],
                 str(f["超标(exceeds)"])))
        assert f["上限(upper)"] == 75 and f["限值单位(threshold_unit)"] == "μg/m³"
    ds = None
    assert got == {e for e in expected if e[2] == "PM2.5"}
    with pytest.raises(ObservationError):
        store.export(str(tmp_path / "data.json"))


# -- the chart -------------------------------------------------------------------------------------
@pytest.fixture()
def chart_store(store, codes, resolve):
    store.set_threshold("二氧化硫", upper=150, lower=5, unit="μg/m³", actor=ACTOR)
    day = datetime.date(2024, 3, 1)
    values = [42, 58, 61, 95, 172, 133, 88, 64, 3, 47, 55, 160, 71, 39]
    rows = [("P-001", (day + datetime.timedelta(days=i)).isoformat(), "二氧化硫", float(v), "μg/m³",
             "<" if i == 9 else "") for i, v in enumerate(values)]
    rows.append(("P-001", "2024-03-01", "PM2.5", 30.0, "μg/m³", ""))
    store.add(batch(rows), ACTOR, "so2.csv", resolve)
    return store, codes[0], sum(v > 150 or v < 5 for v in values)


def test_chart_draws_series_thresholds_and_exceedances(qgis_app, chart_store, repo_root):
    from citycode.plugin.gui.observation_chart import EXCEED_COLOR, ObservationChart
    from matplotlib.colors import to_hex
    store, code, n_exceeding = chart_store
    chart = ObservationChart(store, code)
    chart.resize(760, 480)
    assert [chart.variable_combo.itemText(i) for i in range(chart.variable_combo.count())] == ["PM2.5", "二氧化硫"]
    chart.variable_combo.setCurrentText("二氧化硫")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        chart.show()
        qgis_app.processEvents()
        chart.canvas.draw()
        path = repo_root / "docs" / "screenshots" / "observation_chart.png"
        assert chart.grab().save(str(path))
    assert not [w for w in caught if "missing from" in str(w.message)]  # CJK glyphs found
    ax = chart.figure.axes[0]
    assert ax.get_title() == "{} · 二氧化硫 (μg/m³)".format(code)
    red_points = [line for line in ax.lines if to_hex(line.get_color()) == EXCEED_COLOR and line.get_marker() == "o"]
    assert len(red_points) == 1 and len(red_points[0].get_xdata()) == n_exceeding
    limits = sorted(line.get_ydata()[0] for line in ax.lines if line.get_linestyle() == "--")
    assert limits == [5, 150]
    chart.set_code(None)
    assert chart.variable_combo.count() == 0 and not chart.figure.axes[0].lines
    chart.close()


def test_chart_without_matplotlib_lists_the_values(qgis_app, chart_store, monkeypatch):
    from citycode.plugin.gui.observation_chart import ObservationChart
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib now raises ImportError
    store, code, n_exceeding = chart_store
    chart = ObservationChart(store, code)
    chart.variable_combo.setCurrentText("二氧化硫")
    assert chart.figure is None
    assert "matplotlib" in chart.message.text() and not chart.message.isHidden()
    assert chart.table.rowCount() == 14
    red = [r for r in range(14) if chart.table.item(r, 4).text()]
    assert len(red) == n_exceeding
    assert chart.table.item(red[0], 0).background().color().name() == "#fde2e1"
    chart.close()


@pytest.fixture()
def berlin(monkeypatch):
    """The user's clock in Central European Time (stored times are China Standard Time)."""
    import time
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_chart_shows_local_time_with_the_zone(qgis_app, chart_store, berlin, monkeypatch):
    from citycode.plugin.gui.observation_chart import ObservationChart
    store, code, _ = chart_store
    chart = ObservationChart(store, code)
    chart.variable_combo.setCurrentText("二氧化硫")
    ax = chart.figure.axes[0]
    first = ax.lines[0].get_xdata()[0]  # 2024-03-01 00:00 in Beijing is 2024-02-29 17:00 in Berlin
    assert first == datetime.datetime(2024, 2, 29, 17, 0)
    assert ax.get_xlabel().endswith("CET (UTC+01:00)")
    chart.close()
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # the table lists the same local times
    chart = ObservationChart(store, code)
    chart.variable_combo.setCurrentText("二氧化硫")
    assert chart.table.item(0, 0).text() == "2024-02-29 17:00:00 CET (UTC+01:00)"
    chart.close()
