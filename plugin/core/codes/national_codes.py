"""Validators for the national codes a unified city code links (多码合一).

Each validator takes one value and returns every reason why it is not a valid code of its kind (an
empty list = valid). A reason that is a `Notice` is worth telling but does not make the code invalid:
a division code that the shipped GB/T 2260 table does not know may still be right (development
zones, codes newer than the table).

  统一社会信用代码   GB 32100-2015                18 characters
  不动产单元号       GB/T 37346-2019              28 characters
  投资项目代码       全国投资项目在线审批监管平台  YYYY-XXXXXX-XX-XX-XXXXXX
  行政区划代码       GB/T 2260                    6 digits
"""
import re
import unicodedata
from datetime import date
from typing import Callable, Dict, List, Tuple

from .checkdigit import GB32100_ALPHABET, check_char
from ..i18n import tr


class Notice(str):
    """A reason that does not make the code invalid."""


def errors(reasons: List[str]) -> List[str]:
    """The reasons that make a code invalid."""
    return [r for r in reasons if not isinstance(r, Notice)]


def _division_reasons(code: str) -> List[str]:
    from ..china.divisions import county_code_reasons  # lazily: the division table loads on first use
    return county_code_reasons(code)


def _division_notices(code: str, where: str) -> List[str]:
    """The division table's doubts about a division code inside another code, as notices."""
    return [Notice(tr("Note: {}: {}").format(where, r)) for r in _division_reasons(code)]


# Dashes people type between the groups of a code (full-width ones become "-" under NFKC).
_DASHES = re.compile(r"[\u2010-\u2015\u2212\ufe58\ufe63]")
_SPACES = re.compile(r"[\s\u3000]+")


def _clean(value) -> str:
    """A code as written, compacted before it is checked (as python-stdnum's compact does): full-width
    characters made half-width, spaces removed, any dash made "-", upper case."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    return _DASHES.sub("-", _SPACES.sub("", text)).upper()


def _compact(value) -> str:
    """_clean without the dashes: for codes whose layout has none (统一社会信用代码, 不动产单元号), where
    "91-110000-600037341L" is the code written in groups."""
    return _clean(value).replace("-", "")


def _empty_or_length(code: str, length: int, kind: str) -> List[str]:
    if not code:
        return [tr("The code is empty")]
    if len(code) != length:
        return [tr("Length is {}, a {} has {} characters").format(len(code), kind, length)]
    return []


def _digits(code: str, first: int, last: int, what: str) -> List[str]:
    """Positions first..last (1-based, inclusive) must be digits."""
    part = code[first - 1:last]
    if part.isdigit() and part.isascii():
        return []
    return [tr("Positions {}-{} ({}) must be digits, found '{}'").format(first, last, what, part)]


# -- 统一社会信用代码 (GB 32100-2015) ------------------------------------------------------------------
# Position 1 登记管理部门代码 -> the position-2 机构类别代码 it allows. GB 32100-2015 appendix A lists
# 1 机构编制, 5 民政, 9 工商, Y 其他; the other departments were added by the code's administrator
# (全国组织机构统一社会信用代码数据服务中心); table as reproduced e.g. at
# https://blog.csdn.net/lh1424573495/article/details/108776492 and https://osuse.cn/post/10002590.html
USCC_TYPES: Dict[str, str] = {
    "1": "1239",    # 机构编制: 机关, 事业单位, 中央编办直接管理机构编制的群众团体, 其他
    "2": "19",      # 外交: 外国常驻新闻机构, 其他
    "3": "123459",  # 司法行政: 律师执业机构, 公证处, 基层法律服务所, 司法鉴定机构, 仲裁委员会, 其他
    "4": "19",      # 文化: 外国在华文化中心, 其他
    "5": "1239",    # 民政: 社会团体, 民办非企业单位, 基金会, 其他
    "6": "129",     # 旅游: 外国旅游部门常驻代表机构, 港澳台地区旅游部门常驻内地（大陆）代表机构, 其他
    "7": "129",     # 宗教: 宗教活动场所, 宗教院校, 其他
    "8": "19",      # 工会: 基层工会, 其他
    "9": "123",     # 工商: 企业, 个体工商户, 农民专业合作社
    "A": "19",      # 中央军委改革和编制办公室: 军队事业单位, 其他
    "N": "1239",    # 农业: 组级, 村级, 乡镇级集体经济组织, 其他
    "Y": "1",       # 其他: no further types
}


def uscc_reasons(value) -> List[str]:
    """统一社会信用代码: every reason why `value` is not one (GB 32100-2015). Each defect is named for what it
    is: length, a character outside the alphabet, 登记管理部门, 机构类别, division, organisation code; the check
    character is judged only when the rest has the right shape (a wrong first letter is not a bad check)."""
    code = _compact(value)
    out = _empty_or_length(code, 18, tr("unified social credit code"))
    if out:
        return out
    bad = [(i + 1, c) for i, c in enumerate(code) if c not in GB32100_ALPHABET]
    for pos, c in bad:
        out.append(tr("Character {} '{}' is not allowed: GB 32100 uses 0-9 and A-Z without I, O, S, V, Z")
                   .format(pos, c))
    authority, kind = code[0], code[1]
    if authority not in USCC_TYPES:
        out.append(tr("Position 1 '{}' is not a registration authority code (登记管理部门代码); allowed: {}")
                   .format(authority, " ".join(USCC_TYPES)))
    elif kind not in USCC_TYPES[authority]:
        out.append(tr("Position 2 '{}' is not an organisation type (机构类别代码) of registration authority "
                      "'{}'; allowed: {}").format(kind, authority, " ".join(USCC_TYPES[authority])))
    digits = _digits(code, 3, 8, tr("division code of the registration authority"))
    out += digits or _division_notices(code[2:8], tr("Positions 3-8"))
    org = code[8:17]
    if not [p for p, _ in bad if 9 <= p <= 17]:
        expected = check_char("gb11714", org[:8])
        if org[8] != expected:
            out.append(tr("Positions 9-17 '{}' are not an organisation code (组织机构代码, GB 11714): its check "
                          "character is '{}', expected '{}'").format(org, org[8], expected))
    if not errors(out):  # charset, authority, category, division digits and organisation code are right
        expected = check_char("gb32100", code[:17])
        if code[17] != expected:
            out.append(tr("Check character (position 18) is '{}', expected '{}'").format(code[17], expected))
    return out


# -- 不动产单元号 (GB/T 37346-2019 不动产单元设定与代码编制规则) ------------------------------------------
# 6 县级行政区划 + 3 地籍区 + 3 地籍子区 + 2 宗地（宗海）特征码 + 5 宗地（宗海）顺序号 + 1 定着物特征码
# + 8 定着物单元号. Letters per GB/T 37346-2019 §8.2 (its appendix A examples read e.g.
# "340123 002004 GB00011"); the second-letter list follows the standard's 宗地特征码 table as summarised at
# https://360docs.net/doc/657554573.html, with L and N that the 2019 edition added (used e.g. in the
# gtmap realestate DjdcbEnum: "林地使用权宗地（承包经营权以外的）", "农用地使用权宗地（承包经营以外的、非林地）").
BDCDYH_OWNERSHIP = "GJZ"  # 国家土地所有权, 集体土地所有权, 土地所有权未确定或有争议
BDCDYH_PARCEL_TYPES = "ABSXCDEFLNHGWY"
# A 土地所有权宗地, B/S/X 建设用地使用权宗地（地表/地上/地下）, C 宅基地使用权宗地, D/E/F 土地承包经营权宗地
# （耕地/林地/草地）, L 林地使用权宗地（承包经营以外的）, N 农用地使用权宗地（承包经营以外的、非林地）,
# H 海域使用权宗海, G 无居民海岛使用权, W 使用权未确定或有争议, Y 其他使用权
BDCDYH_FIXTURES = "FLQW"  # 房屋等建筑物、构筑物, 森林、林木, 其他定着物, 无定着物


def bdcdyh_reasons(value) -> List[str]:
    """不动产单元号: every reason why `value` is not one (GB/T 37346-2019)."""
    code = _compact(value)
    out = _empty_or_length(code, 28, tr("real estate unit number"))
    if out:
        return out
    county = _digits(code, 1, 6, tr("county code"))
    out += county or _division_notices(code[:6], tr("Positions 1-6"))
    out += _digits(code, 7, 9, tr("cadastral district, 地籍区"))
    out += _digits(code, 10, 12, tr("cadastral subdistrict, 地籍子区"))
    if code[12] not in BDCDYH_OWNERSHIP:
        out.append(tr("Position 13 '{}' is not an ownership letter of the parcel code (宗地特征码); "
                      "GB/T 37346 allows G (state), J (collective), Z (undetermined)").format(code[12]))
    if code[13] not in BDCDYH_PARCEL_TYPES:
        out.append(tr("Position 14 '{}' is not a parcel type letter of the parcel code (宗地特征码); "
                      "GB/T 37346 allows {}").format(code[13], " ".join(BDCDYH_PARCEL_TYPES)))
    parcel = _digits(code, 15, 19, tr("parcel number, 宗地顺序号"))
    if not parcel and code[14:19] == "00000":
        parcel = [tr("Parcel number (宗地顺序号, positions 15-19) 00000 is never assigned")]
    out += parcel
    fixture, unit = code[19], code[20:]
    if fixture not in BDCDYH_FIXTURES:
        out.append(tr("Position 20 '{}' is not a fixture letter (定着物特征码); GB/T 37346 allows F (building), "
                      "L (forest or trees), Q (other fixture), W (none)").format(fixture))
        return out
    unit_digits = _digits(code, 21, 28, tr("fixture unit number, 定着物单元号"))
    if unit_digits:
        return out + unit_digits
    if fixture == "W" and unit != "00000000":
        out.append(tr("Without a fixture (W) positions 21-28 must be 00000000, found '{}'").format(unit))
    elif fixture == "F" and unit[:4] == "0000":
        # 幢号 (21-24) + 户号 (25-28); 户号 0000 is not rejected: the text we could reach does not say
        # whether a unit of a whole building may use it
        out.append(tr("Building number (幢号, positions 21-24) 0000 is never assigned"))
    elif fixture in "LQ" and unit == "00000000":
        out.append(tr("Fixture unit number (定着物单元号) 00000000 is only for W (no fixture)"))
    return out


# -- 投资项目代码 (全国投资项目在线审批监管平台) ------------------------------------------------------------
# 24 characters YYYY-XXXXXX-XX-XX-XXXXXX. Two generations share the layout:
#  - the platform's codes from 2016/2017: year, division code, industry code, approval type, sequence;
#  - 发改投资〔2020〕1439号 and GB/T 40058-2021 (from November 2020): 时间代码, 地区代码,
#    中央业务指导部门代码, 项目类型代码, 随机码 + 校验码.
# Only the layout, the division code and the time segment are checked: the value tables of the two
# 2-digit segments and the last digit's check algorithm differ between the generations and their text
# was not reachable (only GB/T 40058's table of contents), so they are checked as digits. The time
# segment is accepted as a year since the platform began (2014) or as year + month (YYMM), the
# reading of GB/T 40058's 时间代码 that fits codes issued since 2020 (unconfirmed against its text).
XMDM_LAYOUT = re.compile(r"^(.{4})-(.{6})-(.{2})-(.{2})-(.{6})$")
XMDM_FIRST_YEAR = 2014


def _plausible_time(part: str, today: date) -> bool:
    year, yy, mm = int(part), int(part[:2]), int(part[2:])
    as_year = XMDM_FIRST_YEAR <= year <= today.year
    as_month = 1 <= mm <= 12 and 20 <= yy and (2000 + yy, mm) <= (today.year, today.month)
    return as_year or as_month


def xmdm_reasons(value) -> List[str]:
    """投资项目代码: every reason why `value` is not one."""
    code = _clean(value)
    if not code:
        return [tr("The code is empty")]
    m = XMDM_LAYOUT.match(code)
    if not m:
        return [tr("The layout must be YYYY-XXXXXX-XX-XX-XXXXXX (24 characters with dashes), found '{}'")
                .format(code)]
    field = tr("2-digit field")
    names = (tr("time"), tr("division code"), field, field, tr("sequence"))
    out = []
    for number, (name, part) in enumerate(zip(names, m.groups()), 1):
        if not (part.isdigit() and part.isascii()):
            out.append(tr("Segment {} ({}) must be {} digits, found '{}'").format(number, name, len(part), part))
    if out:
        return out
    today = date.today()
    if not _plausible_time(m.group(1), today):
        out.append(tr("Segment 1 '{}' is neither a year from {} to {} nor a year and month (YYMM)")
                   .format(m.group(1), XMDM_FIRST_YEAR, today.year))
    return out + _division_notices(m.group(2), tr("Segment 2"))


# -- 行政区划代码 (GB/T 2260) -------------------------------------------------------------------------------
def gb2260_reasons(value) -> List[str]:
    """A GB/T 2260 division code: exists in the shipped table now, or did once (then with a notice)."""
    from ..china.divisions import FormerCode
    code = _clean(value)
    out = _empty_or_length(code, 6, tr("GB/T 2260 division code")) or _digits(code, 1, 6, tr("division code"))
    return out or [Notice(r) if isinstance(r, FormerCode) else r for r in _division_reasons(code)]


def kinds() -> Dict[str, Tuple[str, Callable[[object], List[str]], Callable[[str], bool]]]:
    """Kind key -> (title, validator, does a cleaned-up value have this kind's layout)."""
    return {
        "uscc": (tr("Unified social credit code (GB 32100)"), uscc_reasons,
                 lambda text: len(_compact(text)) == 18),
        "bdcdyh": (tr("Real estate unit number (GB/T 37346)"), bdcdyh_reasons,
                   lambda text: len(_compact(text)) == 28),
        "xmdm": (tr("Investment project code"), xmdm_reasons, lambda text: bool(XMDM_LAYOUT.match(_clean(text)))),
        "gb2260": (tr("Division code (GB/T 2260)"), gb2260_reasons, lambda text: len(_compact(text)) == 6),
    }
