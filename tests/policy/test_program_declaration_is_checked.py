"""A program's ``platform.yaml`` is checked when it loads: a declaration the platform cannot act on is refused with
the place and the reason, never half-read (policy/declaration.py)."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from jiangxin.policy.declaration import DeclarationError, Text, load_declaration, parse_declaration
from jiangxin.policy.registry import PROGRAMS, load_programs

load_programs()
ACADEMY_YAML: dict[str, Any] = yaml.safe_load((PROGRAMS["nanchang_academy"].folder / "platform.yaml").read_text("utf-8"))


def _with(change: Any) -> dict[str, Any]:
    data = copy.deepcopy(ACADEMY_YAML)
    change(data)
    return data


def test_every_shipped_program_declares_what_the_platform_reads() -> None:
    for key, program in PROGRAMS.items():
        d = program.declaration
        assert d.program == key and d.applicant in {"unit", "individual"} and d.applicant_roles
        assert d.designation.certificate_prefix and d.panel.manual_review.document == key


def test_the_academy_declaration_reads_its_money_features_and_texts() -> None:
    d = parse_declaration("nanchang_academy", ACADEMY_YAML)
    assert d.funding.naming_money == "tranches" and "online_academy" in d.features
    assert d.revocation_bar is not None and d.revocation_bar.article == "第二十六条"
    assert d.assessment is not None and d.assessment.title.in_language("en").startswith("Academy annual")
    assert str(d.assessment.title) == d.assessment.title.in_language("zh-hans")
    assert Text("中文", "").in_language("en") == "中文"  # no English given: the Chinese term is shown


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d["applicant"].update(kind="company"), "applicant.kind"),
    (lambda d: d.pop("applicant"), "section 'applicant' is missing"),
    (lambda d: d["designation"].update(kind="medal"), "designation.kind"),
    (lambda d: d["application_sheet"][0].update(widget="slider"), "widget 'slider'"),
    (lambda d: d["application_sheet"][0].update(label=["x"]), "expected a text"),
    (lambda d: d["funding"].update(naming_money="lottery"), "funding.naming_money"),
    (lambda d: d.update(features=["rocket"]), "features must be among"),
    (lambda d: d["panel"].update(manual_review=""), "expected an article"),
    (lambda d: d["assessment"].update(citation={"clause": "（一）"}), "assessment.citation"),
])
def test_article_less_or_unknown_declarations_are_refused_with_their_place(change: Any, message: str) -> None:
    with pytest.raises(DeclarationError, match=re.escape(message)):
        parse_declaration("nanchang_academy", _with(change), "nanchang_academy/platform.yaml")


def test_a_folder_without_platform_yaml_or_with_a_missing_key_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DeclarationError, match=r"has no platform\.yaml"):
        load_declaration("nanchang_academy", tmp_path)
    broken = _with(lambda d: d["designation"].pop("certificate_prefix"))
    (tmp_path / "platform.yaml").write_text(yaml.safe_dump(broken, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DeclarationError, match="missing or malformed"):
        load_declaration("nanchang_academy", tmp_path)
