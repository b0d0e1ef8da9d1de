"""Synthetic but VALID identity numbers for demo data: resident IDs (GB 11643) and credit codes (GB 32100)."""

from __future__ import annotations

import datetime as dt
import random

from stdnum.cn import ric, uscc

from jiangxin.policy.identity import parse_resident_id, validate_credit_code

_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def _org_code_check(digits: str) -> str:
    """GB 11714 check character of an 8-digit organisation code."""
    total = sum(int(d) * w for d, w in zip(digits, _ORG_WEIGHTS, strict=True))
    value = 11 - total % 11
    return "X" if value == 10 else "0" if value == 11 else str(value)


def credit_code(rng: random.Random, region: str, authority: str = "9", kind: str = "1") -> str:
    """A unified social credit code with correct organisation-code and GB 32100 check characters."""
    body = "".join(str(rng.randrange(10)) for _ in range(8))
    first17 = f"{authority}{kind}{region}{body}{_org_code_check(body)}"
    return validate_credit_code(first17 + uscc.calc_check_digit(first17))


def resident_id(rng: random.Random, region: str, birth: dt.date, sex: str) -> str:
    """A resident ID number with the GB 11643 check digit; sequence parity encodes sex (odd = male)."""
    seq = rng.randrange(0, 500) * 2 + (1 if sex == "male" else 0)
    first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
    number = first17 + ric.calc_check_digit(first17 + "0")
    parse_resident_id(number)  # raises if anything is off
    return number
