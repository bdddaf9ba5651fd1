"""Code profiles and ISO 7064 check characters (plugin/core/codes/checkdigit.py, profiles.py, validation.py).

Truth comes from python-stdnum (an independent ISO 7064 implementation) and from the profile JSON
files themselves, never from values copied out of a run.
"""
import json
import random
import string

import numpy as np
import pytest
from stdnum.iso7064 import mod_11_2, mod_37_36

from citycode.plugin.core.codes import checkdigit
from citycode.plugin.core.codes import validation
from citycode.plugin.core.codes.profiles import (CodeProfile, ProfileError, SegmentError, YEAR_RANGE,
                                                 builtin_profiles, load_profile, match_profile)
from citycode.plugin.core.exceptions import CityCodeError

ALNUM = string.digits + string.ascii_uppercase
DIV = "340104001"


@pytest.fixture(scope="module")
def building():
    return load_profile("building")


@pytest.fixture(scope="module")
def project():
    return load_profile("project")


def _strings(rng, alphabet, count, min_len=1, max_len=30):
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(min_len, max_len))) for _ in range(count)]


def _matrix(strings):
    return np.array([s.encode() for s in strings]).view(np.uint8).reshape(len(strings), -1)


# -- check characters ---------------------------------------------------------------------------------
def test_mod11_2_matches_stdnum():
    rng = random.Random(11_2)
    for s in _strings(rng, string.digits, 500):
        assert checkdigit.check_char("iso7064_mod11_2", s) == mod_11_2.calc_check_digit(s), s
    # the vectorised form, on equal-length rows (like a batch of codes)
    for length in (1, 17, 22):
        rows = _strings(rng, string.digits, 300, length, length)
        got = checkdigit.mod11_2_many(_matrix(rows)).tobytes().decode()
        assert got == "".join(mod_11_2.calc_check_digit(s) for s in rows)


def test_mod11_2_produces_x():
    """The value 10 is written 'X' (as in the 18-digit 身份证号): find inputs that need it."""
    rng = random.Random(7)
    rows = _strings(rng, string.digits, 400, 22, 22)
    got = checkdigit.mod11_2_many(_matrix(rows)).tobytes().decode()
    assert "X" in got
    for s, c in zip(rows, got):
        assert mod_11_2.is_valid(s + c)


def test_mod37_36_matches_stdnum():
    rng = random.Random(37_36)
    for s in _strings(rng, ALNUM, 500):
        assert checkdigit.check_char("iso7064_mod37_36", s) == mod_37_36.calc_check_digit(s), s
    # lower case is read as upper case
    s = "340104001xm2024abc"
    assert checkdigit.check_char("iso7064_mod37_36", s) == mod_37_36.calc_check_digit(s.upper())
    for length in (1, 20):
        rows = _strings(rng, ALNUM, 300, length, length)
        got = checkdigit.mod37_36_many(_matrix(rows)).tobytes().decode()
        assert got == "".join(mod_37_36.calc_check_digit(s) for s in rows)


def test_check_rejects_characters_outside_alphabet():
    with pytest.raises(ValueError):
        checkdigit.mod11_2_many(_matrix(["12A4"]))
    with pytest.raises(ValueError):
        checkdigit.mod37_36_many(_matrix(["12-4"]))


# -- layout ------------------------------------------------------------------------------------------
def test_building_layout(building):
    assert [(s.type, s.length) for s in building.segments] == [
        ("division", 9), ("year", 4), ("sequence", 4), ("unit", 5), ("check", 1)]
    assert building.length == 23
    assert building.sequence_limit == 9999
    code = building.compose(DIV, 2024, 37)
    assert len(code) == 23 and code[:22].isdigit() and code[22] in "0123456789X"
    assert code[:22] == DIV + "2024" + "0037" + "00000"
    assert code[22] == mod_11_2.calc_check_digit(code[:22])
    assert mod_11_2.is_valid(code)
    assert building.parse(code) == {"division": DIV, "year": "2024", "sequence": "0037", "unit": "00000",
                                    "check": code[22]}
    assert building.validate(code) == []
    # an explicit unit
    unit_code = building.compose(DIV, 2024, 37, unit="00102")
    assert unit_code[17:22] == "00102" and mod_11_2.is_valid(unit_code)


def test_project_layout(project):
    code = project.compose(DIV, 2021, 123)
    assert len(code) == project.length == 9 + 2 + 4 + 5 + 1
    assert code[:20] == DIV + "XM" + "2021" + "00123"
    assert mod_37_36.is_valid(code)
    assert project.validate(code) == []


def test_project_codes_never_collide_with_building_codes(building, project):
    rng = np.random.default_rng(5)
    n = 2000
    div = np.array([f"{d:09d}" for d in rng.integers(100000000, 999999999, n)])
    year = rng.integers(1900, 2100, n)
    seq = rng.integers(1, 9999, n)
    b = set(building.compose_many(div, year, seq).astype("U").tolist())
    p = set(project.compose_many(div, year, seq).astype("U").tolist())
    assert not b & p
    # each kind of code is recognised as its own kind only
    for code in list(b)[:200]:
        assert project.validate(code) != []
        assert match_profile(code).name == "building"
    for code in list(p)[:200]:
        assert building.validate(code) != []
        assert match_profile(code).name == "project"


def test_point_layout_kind_and_no_year():
    point = load_profile("point")
    code = point.compose(DIV, 2024, 123, kind="04")
    assert len(code) == point.length == 9 + 2 + 2 + 6 + 1
    assert code[:19] == DIV + "JC" + "04" + "000123" and mod_37_36.is_valid(code)
    assert point.compose(DIV, 1999, 123, kind="04") == code  # the year is not part of a point code
    assert point.compose(DIV, 0, 1)[11:13] == "99"  # the kind's default
    assert point.sequence_year(2024) == 0 and load_profile("building").sequence_year(2024) == 2024
    with pytest.raises(ValueError, match="kind"):
        point.compose(DIV, 0, 1, kind="42")  # not a kind of the profile
    assert [v.reason for v in point.validate(code[:11] + "42" + code[13:])] == ["kind"]
    assert match_profile(code).name == "point"


@pytest.mark.parametrize("text, kind", [
    ("04", "04"), ("4", "04"), ("1号水质监测站", "03"), ("空气", "04"), ("地面沉降", "05"), ("Air quality", "04"),
    ("地下水水质", "06"),  # the longer word wins: 地下水 (3) over 水质 (2)
    ("噪声", "11"), ("", None), ("未知", None), ("42", None),
])
def test_kind_named_by_free_text(text, kind):
    assert load_profile("point").segment("kind").match(text) == kind


def test_sequence_scope_must_be_known(tmp_path):
    bad = [{"type": "division", "length": 6}, {"type": "sequence", "length": 3, "scope": ["division", "kind"]}]
    with pytest.raises(ProfileError):
        CodeProfile.from_dict(_profile(bad))


def test_compose_and_compose_many_agree(building, project):
    rng = np.random.default_rng(42)
    n = 300
    div = np.array([f"{d:09d}" for d in rng.integers(0, 10 ** 9, n)])
    year = rng.integers(1800, 2101, n)
    seq = rng.integers(1, 10 ** 4, n)
    unit = np.array([f"{u:05d}" for u in rng.integers(0, 10 ** 5, n)])
    many = building.compose_many(div, year, seq, unit).astype("U")
    assert many.dtype == np.dtype("U23")
    for i in range(n):
        single = building.compose(div[i], int(year[i]), int(seq[i]), unit[i])
        assert single == many[i]
        assert mod_11_2.is_valid(single)
    many_p = project.compose_many(div, year, seq).astype("U")
    for i in range(0, n, 7):
        assert project.compose(div[i], int(year[i]), int(seq[i])) == many_p[i]
        assert mod_37_36.is_valid(many_p[i])


@pytest.mark.parametrize("division, year, sequence, unit", [
    ("34010400", 2024, 1, None),        # division too short
    ("3401040011", 2024, 1, None),      # division too long
    ("", 2024, 1, None),                # no division
    ("三四零一零四零零一", 2024, 1, None),  # not ASCII
    ("34010400A", 2024, 1, None),       # a letter in a digit-only code
    (DIV, 10000, 1, None),              # year of five digits
    (DIV, -1, 1, None),
    (DIV, 2024, 10000, None),           # sequence of five digits
    (DIV, 2024, -5, None),
    (DIV, 2024, 1, "000001"),           # unit too long
    (DIV, 2024, 1, "0001"),             # unit too short
])
def test_parts_that_do_not_fit_raise(building, division, year, sequence, unit):
    with pytest.raises(ValueError):
        building.compose(division, year, sequence, unit)


def test_compose_many_rejects_one_bad_row(building):
    div = np.array([DIV, DIV, "1234"])
    with pytest.raises(SegmentError):  # a CityCodeError, and a ValueError for the callers that catch those
        building.compose_many(div, np.array([2024] * 3), np.array([1, 2, 3]))
    assert issubclass(SegmentError, CityCodeError) and issubclass(SegmentError, ValueError)
    with pytest.raises(ValueError):
        building.compose_many(np.array([DIV] * 3), np.array([2024] * 3), np.array([1, 10000, 3]))


def test_compose_never_returns_a_code_its_profile_rejects(project):
    try:
        code = project.compose("34010400A", 2024, 1)
    except ValueError:
        return
    assert project.validate(code) == [], code


# -- validation reasons --------------------------------------------------------------------------------
def _reasons(profile, code, known=None):
    return [v.reason for v in profile.validate(code, known)]


def _with_check(profile, body):
    """body + the right check character, so that only the intended defect remains."""
    algorithm = profile.segments[-1].algorithm
    calc = mod_11_2 if algorithm == "iso7064_mod11_2" else mod_37_36
    return body + calc.calc_check_digit(body)


def test_validate_reasons(building):
    good = building.compose(DIV, 2024, 15)
    assert _reasons(building, good) == []
    assert _reasons(building, None) == ["empty"]
    assert _reasons(building, "   ") == ["empty"]
    assert _reasons(building, good[:-1]) == ["length"]
    assert _reasons(building, good + "0") == ["length"]

    wrong = good[:-1] + next(c for c in "0123456789X" if c != good[-1])
    assert _reasons(building, wrong) == ["check"]
    msg = building.validate(wrong)[0].message
    assert good[-1] in msg  # names the expected character

    # a transposition of two different neighbouring digits is caught by MOD 11-2
    body = list(good[:22])
    i = next(k for k in range(13, 21) if body[k] != body[k + 1])  # sequence or unit
    body[i], body[i + 1] = body[i + 1], body[i]
    assert "check" in _reasons(building, "".join(body) + good[-1])

    letters = good[:13] + "00A1" + good[17:]  # a letter in the sequence segment
    assert _reasons(building, letters) == ["charset"]

    assert _reasons(building, _with_check(building, DIV + "1799" + "0001" + "00000")) == ["year"]
    assert _reasons(building, _with_check(building, DIV + "2101" + "0001" + "00000")) == ["year"]
    assert YEAR_RANGE == (1800, 2100)
    assert _reasons(building, _with_check(building, DIV + "1800" + "0001" + "00000")) == []
    assert _reasons(building, _with_check(building, DIV + "2024" + "0000" + "00000")) == ["sequence"]

    assert _reasons(building, good, known={DIV}) == []
    assert _reasons(building, good, known={"340104002"}) == ["division"]
    assert _reasons(building, good, known=set()) == ["division"]


def test_validate_project_literal_and_case(project):
    good = project.compose(DIV, 2024, 15)
    assert _reasons(project, good.lower()) == []  # lower case letters are accepted
    body = good[:9] + "XN" + good[11:20]
    assert _reasons(project, _with_check(project, body)) == ["literal"]
    wrong = good[:-1] + next(c for c in ALNUM if c != good[-1])
    assert _reasons(project, wrong) == ["check"]


def test_match_profile(building, project):
    b = building.compose(DIV, 2024, 1)
    p = project.compose(DIV, 2024, 1)
    assert match_profile(b) is not None and match_profile(b).name == "building"
    assert match_profile(p).name == "project"
    assert match_profile(" " + p.lower() + " ").name == "project"
    # a township code without its check character has the county layout (22 digits): it is matched as
    # that, and is invalid there; with a letter in a digit segment it matches no layout
    assert match_profile(b[:-1]).name == "building_county"
    assert load_profile("building_county").validate(b[:-1]) != []  # its year 0012 is out of range
    assert match_profile(b[:2] + "A" + b[3:-1]) is None
    assert match_profile(p[:9] + "ZZ" + p[11:]) is None  # right length, wrong marker
    assert match_profile("") is None and match_profile(None) is None
    assert set(builtin_profiles()) >= {"building", "project", "point"}


# -- profile files -----------------------------------------------------------------------------------
def _profile(segments, **extra):
    d = {"name": "t", "kind": "t", "segments": segments}
    d.update(extra)
    return d


GOOD_SEGMENTS = [{"type": "division", "length": 6}, {"type": "sequence", "length": 3},
                 {"type": "check", "algorithm": "iso7064_mod11_2"}]


def test_custom_profile_file_loads(tmp_path):
    path = tmp_path / "custom.json"
    path.write_text(json.dumps(_profile(GOOD_SEGMENTS)), encoding="utf-8")
    p = load_profile(str(path))
    assert p.length == 10 and p.sequence_limit == 999
    code = p.compose("110101", 0, 5)
    assert code[:9] == "110101005" and mod_11_2.is_valid(code)


@pytest.mark.parametrize("segments", [
    [{"type": "division", "length": 6}, {"type": "sequense", "length": 3}],               # unknown type
    [{"type": "division", "length": 6}, {"type": "sequence", "length": 3},
     {"type": "check", "algorithm": "luhn"}],                                                # unknown check
    [{"type": "division", "length": 6}, {"type": "sequence", "length": 0}],               # no length
    [{"type": "division", "length": 6}, {"type": "division", "length": 6},
     {"type": "sequence", "length": 3}],                                                     # two divisions
    [{"type": "division", "length": 6}],                                                     # no sequence
    [{"type": "division", "length": 6}, {"type": "check", "algorithm": "iso7064_mod11_2"},
     {"type": "sequence", "length": 3}],                                                     # check not last
])
def test_bad_profile_files_raise(tmp_path, segments):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(_profile(segments)), encoding="utf-8")
    with pytest.raises(ProfileError):
        CodeProfile.from_file(str(path))
    with pytest.raises(ProfileError):
        load_profile(str(path))


def test_profile_missing_keys_and_unknown_name(tmp_path):
    with pytest.raises(ProfileError):
        CodeProfile.from_dict({"name": "x"})
    with pytest.raises(ProfileError):
        CodeProfile.from_dict({"segments": GOOD_SEGMENTS})
    with pytest.raises(ProfileError):
        load_profile("no_such_profile")
    assert issubclass(ProfileError, ValueError)


# -- validate_values -------------------------------------------------------------------------------------
def test_validate_values_auto_detect(building, project):
    b = building.compose(DIV, 2024, 3)
    p = project.compose(DIV, 2024, 3)
    bad_check = b[:-1] + next(c for c in "0123456789X" if c != b[-1])
    values = [b, p, bad_check, "12345", None, "", " " + p.lower() + " "]
    rows = validation.validate_values(values)
    assert [r.value for r in rows] == values
    assert [r.kind for r in rows] == ["building", "project", "building", None, None, None, "project"]
    assert [r.ok for r in rows] == [True, True, False, False, False, False, True]
    assert all(r.reasons for r in rows if not r.ok) and not any(r.reasons for r in rows if r.ok)

    forced = validation.validate_values([b, p], kind="project")
    assert [r.kind for r in forced] == ["project", "project"]
    assert [r.ok for r in forced] == [False, True]

    known = validation.validate_values([b, p], known_divisions={"999999999"})
    assert [r.ok for r in known] == [False, False]
    known = validation.validate_values([b, p], known_divisions={DIV})
    assert [r.ok for r in known] == [True, True]

    with pytest.raises(ValueError):
        validation.validate_values([b], kind="no_such_kind")
    assert list(validation.kinds())[0] == validation.AUTO
