"""A program of a city the platform does not ship names that city in its platform.yaml (issue 16)."""

from __future__ import annotations

from typing import Any

import pytest

from jiangxin.policy.declaration import DeclarationError, Text, parse_declaration
from jiangxin.policy.registry import PROGRAMS, program_folder, program_folders


def minimal(**extra: Any) -> dict[str, Any]:
    return {"jurisdiction": "somecity", "applicant": {"kind": "unit", "roles": ["unit"]},
            "designation": {"kind": "named", "certificate_prefix": "X", "holder_is_unit": True},
            "panel": {"manual_review": "第一条"}, **extra}


def test_a_declared_city_title_is_read_in_both_languages() -> None:
    d = parse_declaration("nanchang_academy", minimal(jurisdiction_title={"zh": "某市", "en": "Some city"}))
    assert d.jurisdiction == "somecity" and d.jurisdiction_title == Text("某市", "Some city")
    assert d.jurisdiction_title.in_language("en") == "Some city"


def test_a_shipped_city_needs_no_title_and_a_malformed_one_is_refused() -> None:
    assert parse_declaration("nanchang_academy", minimal()).jurisdiction_title is None
    with pytest.raises(DeclarationError, match="jurisdiction_title"):
        parse_declaration("nanchang_academy", minimal(jurisdiction_title=["某市"]))


def test_the_shipped_programs_declare_cities_the_platform_ships() -> None:
    folders = program_folders()
    assert list(folders) == sorted(PROGRAMS)
    for key, folder in folders.items():
        assert program_folder(key) == folder and (folder / "platform.yaml").is_file()
        assert PROGRAMS[key].declaration.jurisdiction_title is None
