"""The national codes a unified code links (plugin/core/codes/national_codes.py, checkdigit.py, validation.py and
citycode:validatecodes).

Truth: python-stdnum for the GB 32100 check character; real 统一社会信用代码 of well-known companies
(their organisation codes carry the GB 11714 check); the 宗地代码 examples of GB/T 37346-2019 appendix A
(e.g. "340123 002004 GB00011"); real GB/T 2260 codes (110101 东城区; 110228 密云县, 密云区 110118 since
2015; 110103 崇文区, merged into 东城区 in 2010). No published 投资项目代码 example was reachable, so those
are built from the layout.

The division lookups go through plugin/core/china/divisions.py (county_code_reasons), written separately.
"""
import random
import string
from datetime import date

import numpy as np
import pytest
from qgis.core import QgsApplication, QgsFeature, QgsField, QgsVectorLayer
from qgis.PyQt.QtCore import QVariant

from citycode.plugin.core.codes import checkdigit
from citycode.plugin.core.codes import validation
from citycode.plugin.core.codes.validation import validate_values
from citycode.plugin.core.codes.national_codes import (BDCDYH_PARCEL_TYPES, Notice, USCC_TYPES, bdcdyh_reasons, errors,
                                                 gb2260_reasons, uscc_reasons, xmdm_reasons)
from citycode.plugin.core.codes.profiles import load_profile

uscc_oracle = pytest.importorskip("stdnum.cn.uscc")

# Unified social credit codes of registered companies (public business licences).
REAL_USCC = [
    "91350100M000100Y43",  # the example of GB 32100-2015 (organisation code with letters)
    "914403001922038216",  # 华为技术有限公司
    "91440300708461136T",  # 深圳市腾讯计算机系统有限公司
    "91330100799655058B",  # 阿里巴巴（中国）有限公司
    "91110000600037341L",  # python-stdnum's example
]
# 宗地代码 of GB/T 37346-2019 appendix A.2 (county 340123, 地籍区 002, 地籍子区 004).
STANDARD_PARCELS = ["340123002004GB00011", "340123002004GS00019", "340123002004GX00020",
                    "340123002004GD00021", "340123002004GE00022"]
PARCEL = STANDARD_PARCELS[0]


def _uscc(body17):
    """body + the check character python-stdnum computes, so only the intended defect remains."""
    return body17 + uscc_oracle.calc_check_digit(body17)


def _only(reasons, *needles):
    """The code's errors are exactly one per needle, each naming it."""
    errs = errors(reasons)
    assert len(errs) == len(needles), errs
    for err, needle in zip(errs, needles):
        assert needle in err, (needle, err)


# -- check characters -----------------------------------------------------------------------------------
def test_gb32100_check_matches_stdnum():
    rng = random.Random(32100)
    alphabet = checkdigit.GB32100_ALPHABET
    assert len(alphabet) == 31 and not set("IOSVZ") & set(alphabet)
    bodies = ["".join(rng.choice(alphabet) for _ in range(17)) for _ in range(500)]
    for body in bodies:
        assert checkdigit.check_char("gb32100", body) == uscc_oracle.calc_check_digit(body), body
    mat = np.array([b.encode() for b in bodies]).view(np.uint8).reshape(len(bodies), 17)
    assert checkdigit.gb32100_many(mat).tobytes().decode() == "".join(uscc_oracle.calc_check_digit(b) for b in bodies)
    with pytest.raises(ValueError):
        checkdigit.check_char("gb32100", "9111000060003734I")  # I is not in the alphabet
    with pytest.raises(ValueError):
        checkdigit.check_char("gb32100", "911100006000373")  # 15 characters


@pytest.mark.parametrize("code", REAL_USCC)
def test_gb11714_check_of_real_organisation_codes(code):
    org = code[8:17]
    assert checkdigit.check_char("gb11714", org[:8]) == org[8]


def test_gb11714_writes_ten_as_x():
    """Some organisation code bodies need check value 10, written 'X'."""
    rng = random.Random(11714)
    bodies = ["".join(rng.choice(string.digits) for _ in range(8)) for _ in range(300)]
    checks = [checkdigit.check_char("gb11714", b) for b in bodies]
    assert "X" in checks and set(checks) <= set("0123456789X")
    with pytest.raises(ValueError):
        checkdigit.check_char("gb11714", "1234567")


# -- 统一社会信用代码 ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("code", REAL_USCC)
def test_real_uscc_are_valid(code):
    assert errors(uscc_reasons(code)) == []
    assert errors(uscc_reasons(" " + code.lower() + " ")) == []  # read like the profiles: trimmed, any case


def test_uscc_reasons():
    good = REAL_USCC[1]
    assert len(uscc_reasons(None)) == 1 and uscc_reasons(None) == uscc_reasons("  ")
    _only(uscc_reasons(good[:17]), "17")
    _only(uscc_reasons(good + "0"), "19")

    wrong = good[:17] + next(c for c in "0123456789" if c != good[17])
    _only(uscc_reasons(wrong), "'{}'".format(uscc_oracle.calc_check_digit(good[:17])))  # names the expected one

    for letter in "IOSVZ":
        _only(uscc_reasons(good[:10] + letter + good[11:]), "Character 11 '{}'".format(letter))

    _only(uscc_reasons(_uscc("X" + good[1:17])), "Position 1 'X'")
    _only(uscc_reasons(_uscc("94" + good[2:17])), "Position 2 '4'")  # 工商 has only 1 2 3
    _only(uscc_reasons(_uscc("Y2" + good[2:17])), "Position 2 '2'")  # 其他 has only 1
    for authority, types in USCC_TYPES.items():
        assert errors(uscc_reasons(_uscc(authority + types[0] + good[2:17]))) == [], authority

    _only(uscc_reasons(_uscc("9144A300" + good[8:17])), "Positions 3-8")

    org = good[8:17]
    bad_org = org[:8] + next(c for c in "0123456789X" if c != org[8])
    _only(uscc_reasons(_uscc(good[:8] + bad_org)), "expected '{}'".format(org[8]))


def test_uscc_is_compacted_before_it_is_checked():
    """Spaces, hyphens, full-width characters and lower case are how people write codes, not defects
    (python-stdnum's compact); what is left is checked."""
    good = "91110000600037341L"
    for written in ("91 110000 600037341L", "91-110000-600037341L", "９１１１００００６０００３７３４１Ｌ",
                    "91\u3000110000\u3000600037341l", " 91110000 6000 3734 1L\t", "91－110000－600037341L"):
        assert errors(uscc_reasons(written)) == [], written
        assert validate_values([written], "auto")[0].kind == "uscc", written
    _only(uscc_reasons("91 110000 600037341"), "Length is 17")  # a lost character is still a length error
    _only(uscc_reasons(good[:17] + "#"), "Character 18 '#'")


def test_uscc_failure_names_its_own_reason_only():
    """A defect is reported for what it is; the check character is judged only on a well-formed code."""
    good = "91110000600037341L"
    _only(uscc_reasons("B" + good[1:]), "Position 1 'B'")             # 登记管理部门, not "check character"
    _only(uscc_reasons("95" + good[2:]), "Position 2 '5'")            # 机构类别 of 工商
    _only(uscc_reasons(good[:8] + "600037342" + good[17]), "Positions 9-17")  # organisation code
    _only(uscc_reasons(good[:17] + "M"), "Check character (position 18) is 'M', expected 'L'")
    _only(uscc_reasons(good[:2] + "11A000" + good[8:]), "Positions 3-8")


def test_bdcdyh_and_xmdm_are_compacted():
    unit = PARCEL + "F00010001"
    assert errors(bdcdyh_reasons(unit)) == []
    assert errors(bdcdyh_reasons("340123 002004 GB00011 F00010001")) == []
    assert errors(bdcdyh_reasons("３４０１２３００２００４ｇｂ０００１１Ｆ０００１０００１")) == []
    assert errors(xmdm_reasons("2104 – 330106 – 04 – 01 – 587766")) == []   # en dashes and spaces
    assert errors(xmdm_reasons("２１０４－３３０１０６－０４－０１－５８７７６６")) == []  # full width
    _only(xmdm_reasons("2104 330106 04 01 587766"), "layout")  # the groups need their dashes


# -- 不动产单元号 ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("parcel", STANDARD_PARCELS)
def test_standard_parcels_are_valid_units(parcel):
    for fixture in ("W00000000", "F00010001", "F00120000", "L00000001", "Q00000003"):
        assert errors(bdcdyh_reasons(parcel + fixture)) == [], parcel + fixture
    assert errors(bdcdyh_reasons((parcel + "F00010001").lower())) == []


def test_bdcdyh_letters_the_standard_allows():
    for second in BDCDYH_PARCEL_TYPES:
        for first in "GJZ":
            assert errors(bdcdyh_reasons(PARCEL[:12] + first + second + PARCEL[14:] + "W00000000")) == []


def test_bdcdyh_reasons():
    good = PARCEL + "F00010001"
    assert len(good) == 28
    _only(bdcdyh_reasons(good[:27]), "27")
    _only(bdcdyh_reasons("34012A" + good[6:]), "Positions 1-6")
    _only(bdcdyh_reasons(good[:6] + "0O2" + good[9:]), "Positions 7-9")
    _only(bdcdyh_reasons(good[:9] + "00A" + good[12:]), "Positions 10-12")
    _only(bdcdyh_reasons(good[:12] + "K" + good[13:]), "Position 13 'K'")
    msg = errors(bdcdyh_reasons(good[:13] + "K" + good[14:]))
    _only(msg, "Position 14 'K'")
    assert "A B S X C D E F L N H G W Y" in msg[0]  # says what the standard allows
    _only(bdcdyh_reasons(good[:14] + "00000" + good[19:]), "00000")
    _only(bdcdyh_reasons(good[:14] + "0001A" + good[19:]), "Positions 15-19")
    _only(bdcdyh_reasons(good[:19] + "M" + good[20:]), "Position 20 'M'")
    _only(bdcdyh_reasons(PARCEL + "W00010001"), "'00010001'")
    _only(bdcdyh_reasons(PARCEL + "F00000001"), "21-24")
    _only(bdcdyh_reasons(PARCEL + "L00000000"), "00000000")
    _only(bdcdyh_reasons(PARCEL + "F0001000A"), "Positions 21-28")
    # several defects: each named
    assert len(errors(bdcdyh_reasons(PARCEL[:12] + "KK" + PARCEL[14:] + "M00000000"))) == 3


# -- 投资项目代码 ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("code", [
    "2017-330106-47-03-000001",  # a year (the platform's codes before 2020)
    "2104-330106-04-01-587766",  # year and month (codes since 2020)
    "2012-110101-04-01-100200",  # December 2020
])
def test_xmdm_valid(code):
    assert errors(xmdm_reasons(code)) == []


def test_xmdm_reasons():
    assert errors(xmdm_reasons(None))
    for layout in ("2017330106470300000 1", "2017-330106-47-03-00001", "2017-330106-4703-000001",
                   "2017_330106_47_03_000001", "2017-330106-47-03-000001-1"):
        _only(xmdm_reasons(layout), "YYYY-XXXXXX-XX-XX-XXXXXX")
    _only(xmdm_reasons("20l7-330106-47-03-000001"), "Segment 1")
    _only(xmdm_reasons("2017-33O106-47-03-000001"), "Segment 2")
    _only(xmdm_reasons("2017-330106-4X-03-000001"), "Segment 3")
    _only(xmdm_reasons("2017-330106-47-0B-000001"), "Segment 4")
    _only(xmdm_reasons("2017-330106-47-03-00000I"), "Segment 5")
    for time in ("1999", "2013", "2999", "2000", "2213"):  # too early, too late, month 00 or 13
        _only(xmdm_reasons(time + "-330106-47-03-000001"), "Segment 1 '{}'".format(time))
    next_year = str(date.today().year + 1)
    if int(next_year[2:]) > 12:  # not readable as YYMM either
        _only(xmdm_reasons(next_year + "-330106-47-03-000001"), "Segment 1")


# -- GB/T 2260 (through divisions.county_code_reasons) -------------------------------------------------
def test_gb2260_codes():
    assert gb2260_reasons("110101") == []  # 东城区
    assert gb2260_reasons("110000") == gb2260_reasons("110100") == []  # 北京市 and its prefecture level
    former = gb2260_reasons("110228")  # 密云县, 密云区 110118 since 2015: valid as a code that existed
    assert former and errors(former) == [] and "110118" in former[0]
    assert errors(gb2260_reasons("999999"))
    _only(gb2260_reasons("11010A"), "digits")
    _only(gb2260_reasons("1101011"), "7")
    assert [r.kind for r in validation.validate_values(["110228", "999999"])] == ["gb2260", "gb2260"]
    assert [r.ok for r in validation.validate_values(["110228", "999999"])] == [True, False]


def test_gb2260_code_abolished_before_2015():
    former = gb2260_reasons("110103")  # 崇文区, merged into 东城区 in 2010
    assert former and errors(former) == [] and "110101" in former[0]


def test_unknown_divisions_inside_other_codes_are_notices():
    """A division code the table does not know leaves the code valid, with a note saying so."""
    code = _uscc("91999999" + REAL_USCC[1][8:17])
    reasons = uscc_reasons(code)
    assert reasons and errors(reasons) == [] and all(isinstance(r, Notice) for r in reasons)
    assert "999999" in reasons[0]
    assert errors(bdcdyh_reasons("999999" + PARCEL[6:] + "W00000000")) == []
    assert bdcdyh_reasons("999999" + PARCEL[6:] + "W00000000")
    assert xmdm_reasons("2017-999999-47-03-000001") and not errors(xmdm_reasons("2017-999999-47-03-000001"))


# -- validate_values and AUTO ------------------------------------------------------------------------------
def test_kinds_list_the_national_codes():
    kinds = validation.kinds()
    assert list(kinds)[0] == validation.AUTO
    assert {"building", "project", "uscc", "bdcdyh", "xmdm", "gb2260"} <= set(kinds)
    assert all(kinds[k] and kinds[k] != k for k in ("uscc", "bdcdyh", "xmdm", "gb2260"))


def test_auto_detects_each_kind():
    building = load_profile("building").compose("340104001", 2024, 3)
    project = load_profile("project").compose("340104001", 2024, 3)
    values = [REAL_USCC[0], PARCEL + "F00010001", "2017-330106-47-03-000001", "110101", building, project,
              REAL_USCC[0][:17] + "0", PARCEL + "X00010001", "2999-330106-47-03-000001", "12345", None]
    rows = validation.validate_values(values)
    assert [r.kind for r in rows] == ["uscc", "bdcdyh", "xmdm", "gb2260", "building", "project",
                                      "uscc", "bdcdyh", "xmdm", None, None]
    assert [r.ok for r in rows] == [True] * 6 + [False] * 5
    assert all(r.reasons for r in rows if not r.ok)

    forced = validation.validate_values([REAL_USCC[0], "110101"], kind="uscc")
    assert [r.kind for r in forced] == ["uscc", "uscc"] and [r.ok for r in forced] == [True, False]


def test_validate_codes_algorithm_on_mixed_table(citycode_processing, tmp_path):
    import processing

    rows = {  # name: (code, kind recognised, valid)
        "uscc_ok": (REAL_USCC[2], "uscc", True),
        "uscc_bad": (REAL_USCC[2][:17] + ("0" if REAL_USCC[2][17] != "0" else "1"), "uscc", False),
        "bdcdyh_ok": (STANDARD_PARCELS[1] + "F00020003", "bdcdyh", True),
        "bdcdyh_bad": (STANDARD_PARCELS[1] + "W00020003", "bdcdyh", False),
        "xmdm_ok": ("2104-330106-04-01-587766", "xmdm", True),
        "county_ok": ("110101", "gb2260", True),
        "nothing": ("hello", None, False),
    }
    table = QgsVectorLayer("None", "codes", "memory")
    table.dataProvider().addAttributes([QgsField("name", QVariant.String), QgsField("code", QVariant.String)])
    table.updateFields()
    features = []
    for name, (code, _, _) in rows.items():
        f = QgsFeature(table.fields())
        f.setAttributes([name, code])
        features.append(f)
    assert table.dataProvider().addFeatures(features)[0]

    result = processing.run("citycode:validatecodes", {"INPUT": table, "FIELD": "code", "KIND": "auto",
                                                       "OUTPUT": str(tmp_path / "checked.gpkg")})
    out = QgsVectorLayer(result["OUTPUT"], "checked", "ogr")
    by_name = {f["name"]: f for f in out.getFeatures()}
    assert set(by_name) == set(rows)
    for name, (_, kind, valid) in rows.items():
        f = by_name[name]
        assert (f["valid"] in (True, 1)) == valid, (name, f["reasons"])
        assert (f["profile"] or None) == kind, name
        assert valid or f["reasons"], name  # an invalid code always says why
    assert uscc_oracle.calc_check_digit(REAL_USCC[2][:17]) in by_name["uscc_bad"]["reasons"]
    assert "W" in by_name["bdcdyh_bad"]["reasons"]
    assert result["VALID"] == 4 and result["INVALID"] == 3

    forced = processing.run("citycode:validatecodes", {"INPUT": table, "FIELD": "code", "KIND": "gb2260",
                                                       "OUTPUT": str(tmp_path / "as_county.gpkg")})
    assert forced["VALID"] == 1 and forced["INVALID"] == 6

    alg = QgsApplication.processingRegistry().algorithmById("citycode:validatecodes")  # the provider may be re-made
    help_text = alg.shortHelpString()
    for key in ("uscc", "bdcdyh", "xmdm", "gb2260"):
        assert "<b>{}</b>".format(key) in help_text
