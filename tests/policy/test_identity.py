"""GB 11643 resident ID and GB 32100 unified social credit code checks and masking."""

from __future__ import annotations

import datetime as dt

import pytest

from jiangxin.policy.identity import IdentityError, mask_resident_id, parse_resident_id, validate_credit_code


def test_gb11643_valid_number_gives_birth_date_sex_and_region():
    rid = parse_resident_id("360102199003071236")
    assert rid.birth_date == dt.date(1990, 3, 7)
    assert rid.sex == "male"          # 17th digit 3 is odd
    assert rid.region_code == "360102"
    assert rid.masked == "360102********1236"


def test_gb11643_check_digit_x_and_lower_case_and_spaces():
    rid = parse_resident_id(" 110105 19491231 002x ")
    assert rid.number == "11010519491231002X"
    assert rid.sex == "female"        # 17th digit 2 is even
    assert rid.birth_date == dt.date(1949, 12, 31)


@pytest.mark.parametrize(("text", "fragment"), [
    ("36010219900307123", "18位"),
    ("3601021990030712A6", "17位"),
    ("990102199003071236", "province"),
    ("360102199002301236", "20020230".replace("2002", "1990")),
    ("360102199003071235", "校验码"),
    ("360102189003071234", "1900"),
])
def test_gb11643_errors_are_bilingual_and_specific(text, fragment):
    with pytest.raises(IdentityError) as err:
        parse_resident_id(text)
    message = str(err.value)
    assert fragment in message
    assert " / " in message


def test_mask_keeps_first_six_and_last_four():
    assert mask_resident_id("360102199003071234") == "360102********1234"
    assert mask_resident_id("1234") == "****"
    assert mask_resident_id("") == ""


def test_gb32100_valid_codes_normalised():
    assert validate_credit_code("91110000600037341l") == "91110000600037341L"
    assert validate_credit_code("91360100MA35ABCD1R") == "91360100MA35ABCD1R"


@pytest.mark.parametrize(("text", "fragment"), [
    ("9111000060003734", "18位"),
    ("01110000600037341L", "登记管理部门码"),
    ("9111A000600037341L", "行政区划码"),
    ("91110000600O37341L", "O"),
    ("91110000600037341K", "校验码"),
])
def test_gb32100_errors(text, fragment):
    with pytest.raises(IdentityError) as err:
        validate_credit_code(text)
    assert fragment in str(err.value)
    assert " / " in str(err.value)
