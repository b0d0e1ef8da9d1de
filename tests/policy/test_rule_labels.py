"""Every rule id a computation emits has a short Chinese and English title (jiangxin.policy.labels).

The platform shows failed conditions to applicants and reviewers by these titles; the rule id stays a
stable machine key. The rule ids are collected by running every example and every YAML case of every
computation (as tests/policy/test_examples_and_cases.py does).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from jiangxin.policy.errors import PolicyError
from jiangxin.policy.labels import GENERIC_FILE, PROGRAMS_DIR, generic_labels, program_labels, rule_label
from jiangxin.policy.registry import all_computations, get_computation

HAN = re.compile(r"[\u3400-\u9fff]")
MAX_HAN = 19
MAX_EN = 60


def _emitted_rules() -> dict[tuple[str, str], str]:
    """(program, rule id) → where it was seen, for every step of every example and case outcome."""
    seen: dict[tuple[str, str], str] = {}
    for comp in all_computations():
        outcome = comp.run(comp.example.get("facts", comp.example), comp.example.get("parameters"))
        for step in outcome.trace:
            seen.setdefault((comp.program.key, step.rule), f"example {comp.program.key}/{comp.name}")
    for path in sorted(PROGRAMS_DIR.glob("*/cases/*.yaml")):
        program = path.parent.parent.name
        for case in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            try:
                outcome = get_computation(program, case["computation"]).run(case["facts"], case.get("parameters"))
            except PolicyError:
                continue  # cases that expect an error emit no trace
            for step in outcome.trace:
                seen.setdefault((program, step.rule), f"case {program}:{case['name']}")
    return seen


EMITTED = _emitted_rules()


def test_examples_and_cases_emit_many_rules():
    assert len(EMITTED) > 250
    assert ("nanchang_studio", "leader_honour") in EMITTED
    assert ("jiangsu_technician", "retirement_margin") in EMITTED


@pytest.mark.parametrize(("program", "rule"), sorted(EMITTED), ids=lambda v: str(v))
def test_every_emitted_rule_has_a_chinese_and_english_title(program, rule):
    zh = rule_label(program, rule, "zh")
    en = rule_label(program, rule, "en")
    assert zh != rule, f"{rule} (seen in {EMITTED[(program, rule)]}) has no zh title"
    assert en != rule, f"{rule} (seen in {EMITTED[(program, rule)]}) has no en title"
    assert HAN.search(zh), f"zh title of {rule} is not Chinese: {zh!r}"


def _all_label_files() -> list[Path]:
    return [GENERIC_FILE, *sorted(PROGRAMS_DIR.glob("*/labels.yaml"))]


@pytest.mark.parametrize("path", _all_label_files(), ids=lambda p: p.parent.name)
def test_labels_are_short_paraphrases_not_sentences(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data, f"{path} is empty"
    for rule, entry in data.items():
        assert set(entry) == {"zh", "en"}, rule
        assert len(HAN.findall(entry["zh"])) <= MAX_HAN, f"{rule}: {entry['zh']} is too long"
        assert not re.search(r"[。；;]", entry["zh"]), f"{rule}: a title, not a sentence"
        assert 0 < len(entry["en"]) <= MAX_EN, f"{rule}: {entry['en']} is too long"


def test_every_program_has_a_labels_file():
    programs = {c.program.key for c in all_computations()}
    assert programs == {p.parent.name for p in PROGRAMS_DIR.glob("*/labels.yaml")}
    assert all(program_labels(p) for p in programs)


def test_nanchang_studio_art2_leader_honour_title_in_both_languages():
    assert rule_label("nanchang_studio", "leader_honour") == "领衔人荣誉"
    assert rule_label("nanchang_studio", "leader_honour", "zh-hans") == "领衔人荣誉"
    assert rule_label("nanchang_studio", "leader_honour", "en") == "Leader's honours"


def test_program_title_wins_over_generic_and_generic_fills_in():
    assert rule_label("jiangsu_technician", "statutory_retirement_date") == "法定退休日期"
    # a generic rule (publicity.py) shown for a program that has no own title for it
    assert rule_label("nanchang_academy", "publicity_window") == generic_labels()["publicity_window"]["zh"] == "公示期"
    assert rule_label(None, "yellow_card", "en") == "Yellow card warning"


def test_unknown_rule_or_program_falls_back_to_the_rule_id():
    assert rule_label("nanchang_studio", "no_such_rule") == "no_such_rule"
    assert rule_label("no_such_program", "leader_honour") == "leader_honour"
    assert rule_label("../../etc", "leader_honour", "en") == "leader_honour"


def test_labels_file_with_a_missing_language_is_rejected(tmp_path):
    from jiangxin.policy import labels

    bad = tmp_path / "labels.yaml"
    bad.write_text("leader_honour: {zh: 领衔人荣誉}\n", encoding="utf-8")
    with pytest.raises(PolicyError, match="leader_honour"):
        labels._read(bad)
