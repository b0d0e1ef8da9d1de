"""Identity numbers: resident ID (GB 11643 公民身份号码) and unified social credit code (GB 32100).

Checks use python-stdnum (``stdnum.cn.ric`` / ``stdnum.cn.uscc``) for normalisation and check digits.
The resident ID's address code is checked for form (a known province-level prefix), not against a
district register: new county codes appear every year and a stale register would reject real people.

Every error is an :class:`IdentityError` whose message has a Chinese part and an English part.
ID numbers are personal data: show them only through :func:`mask_resident_id`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Literal

from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError

from jiangxin.policy.errors import PolicyError
from jiangxin.policy.outcome import Citation, cite

__all__ = ["GB11643", "GB32100", "IdentityError", "ResidentId", "mask_resident_id", "parse_resident_id",
           "validate_credit_code"]

GB11643: Citation = cite("gb11643", "GB 11643-1999")
GB32100: Citation = cite("gb32100", "GB 32100-2015")

#: Province-level prefixes of GB/T 2260 address codes, plus 81/82/83 used by residence permits of
#: Hong Kong, Macao and Taiwan residents.
_PROVINCES = frozenset({
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
    "71", "81", "82", "83",
})
_EARLIEST_BIRTH = dt.date(1900, 1, 1)
#: GB 32100 registration authority codes (1 机构编制 … 9 市场监管, A 军队, N 农业农村, Y 其他). python-stdnum's
#: ``uscc.validate`` demands 8 leading digits and so rejects N- and Y-prefixed codes: only its check
#: character computation is used.
_REGISTRATION_AUTHORITIES = frozenset("123456789ANY")
_USCC_ALPHABET = frozenset("0123456789ABCDEFGHJKLMNPQRTUWXY")


class IdentityError(PolicyError):
    """An identity number that is malformed or fails its check digit (message: 中文 / English)."""

    def __init__(self, message: str, field: str = ""):
        self.field = field
        super().__init__(message)


@dataclasses.dataclass(frozen=True, slots=True)
class ResidentId:
    """A checked resident ID number and what it encodes."""

    number: str
    birth_date: dt.date
    sex: Literal["male", "female"]
    region_code: str

    @property
    def masked(self) -> str:
        return mask_resident_id(self.number)


def _compact(text: str, what: str) -> str:
    if not isinstance(text, str):
        raise IdentityError(f"{what}必须是文本 / {what} must be given as text")
    return text.replace(" ", "").replace("-", "").strip().upper()


def parse_resident_id(text: str) -> ResidentId:
    """Check an 18-digit resident ID (GB 11643) and return its birth date, sex and address code.

    Checks: 18 characters, 17 digits then a digit or X, a known province prefix, a real birth date
    (not before 1900), and the ISO 7064 MOD 11-2 check digit. Sex comes from the 17th digit (odd = male).
    """
    number = _compact(text, "公民身份号码")
    if len(number) != 18:
        raise IdentityError(f"公民身份号码应为18位，实际为{len(number)}位 / a resident ID number has 18 "
                            f"characters, got {len(number)}")
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise IdentityError("公民身份号码前17位应为数字，末位为数字或X / a resident ID number is 17 digits "
                            "followed by a digit or X")
    if number[:2] not in _PROVINCES:
        raise IdentityError(f"公民身份号码地址码{number[:6]}无效（省级代码不存在） / address code "
                            f"{number[:6]} has no valid province prefix")
    try:
        birth = ric.get_birth_date(number)
    except ValidationError:
        raise IdentityError(f"公民身份号码出生日期{number[6:14]}不是有效日期 / birth date {number[6:14]} "
                            f"is not a valid date (YYYYMMDD)") from None
    if birth < _EARLIEST_BIRTH:
        raise IdentityError(f"公民身份号码出生日期{number[6:14]}早于1900年 / birth date {number[6:14]} is "
                            f"before 1900")
    expected = ric.calc_check_digit(number)
    if number[17] != expected:
        raise IdentityError(f"公民身份号码校验码错误（应为{expected}） / resident ID check digit is wrong "
                            f"(expected {expected})")
    sex: Literal["male", "female"] = "male" if int(number[16]) % 2 == 1 else "female"
    return ResidentId(number, birth, sex, number[:6])


def mask_resident_id(text: str) -> str:
    """Keep the first 6 and last 4 characters, star the rest: ``360102********1234``.

    Never raises and never reveals more: a value too short to keep 10 characters is fully starred.
    """
    number = text.replace(" ", "").strip().upper() if isinstance(text, str) else ""
    if len(number) <= 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def validate_credit_code(text: str) -> str:
    """Check an 18-character unified social credit code (GB 32100); returns it normalised upper-case."""
    code = _compact(text, "统一社会信用代码")
    if len(code) != 18:
        raise IdentityError(f"统一社会信用代码应为18位，实际为{len(code)}位 / a unified social credit code has "
                            f"18 characters, got {len(code)}")
    if code[0] not in _REGISTRATION_AUTHORITIES or not code[1].isdigit() or code[1] == "0":
        raise IdentityError(f"统一社会信用代码登记管理部门码或机构类别码{code[:2]}无效 / registration authority "
                            f"or category code {code[:2]} is not valid")
    if not code[2:8].isdigit():
        raise IdentityError(f"统一社会信用代码第3–8位应为行政区划码（6位数字），实际为{code[2:8]} / characters "
                            f"3–8 must be the 6-digit region code, got {code[2:8]}")
    bad = [c for c in code[8:] if c not in _USCC_ALPHABET]
    if bad:
        raise IdentityError(f"统一社会信用代码含有不允许的字符{bad[0]}（不用I、O、Z、S、V） / character "
                            f"{bad[0]} is not allowed (I, O, Z, S and V are never used)")
    expected = uscc.calc_check_digit(code)
    if code[17] != expected:
        raise IdentityError(f"统一社会信用代码校验码错误（应为{expected}） / unified social credit code check "
                            f"character is wrong (expected {expected})")
    return code
