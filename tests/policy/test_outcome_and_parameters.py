import datetime as dt
import json
from decimal import Decimal

import pytest

from jiangxin.cli import main
from jiangxin.policy.errors import FactsError, ParameterError, UnsetParameterError
from jiangxin.policy.outcome import Status, cite
from jiangxin.policy.parameters import Kind, Parameter, ParameterSet, Shares
from jiangxin.policy.registry import get_computation


def test_annex2_grade_bands_include_the_threshold_itself():
    comp = get_computation("nanchang_academy", "annual_grade")
    assert comp.run({"as_of": "2026-11-23", "score": "80"}).value == "合格"
    assert comp.run({"as_of": "2026-11-23", "score": "85"}).value == "良好"
    assert comp.run({"as_of": "2026-11-23", "score": "90"}).value == "优秀"
    low = comp.run({"as_of": "2026-11-23", "score": "79.9"})
    assert (low.value, low.status) == ("不合格", Status.FAILED)
    assert low.trace[0].citation.label == "南昌工匠学院办法 附件2备注2"


def test_bad_facts_name_every_field_and_the_expected_form():
    comp = get_computation("nanchang_academy", "annual_grade")
    with pytest.raises(FactsError) as err:
        comp.run({"as_of": "23/11/2026", "score": "many", "scor": 1})
    fields = {f for f, _ in err.value.problems}
    assert fields == {"as_of", "score", "scor"}
    assert "YYYY-MM-DD" in dict(err.value.problems)["as_of"]


def test_missing_as_of_is_an_error_not_a_default():
    with pytest.raises(FactsError) as err:
        get_computation("nanchang_academy", "annual_grade").run({"score": 81})
    assert err.value.problems[0][0] == "as_of"


def test_shares_split_exactly_in_decimal():
    assert Shares((Decimal(3), Decimal(3), Decimal(4))).split(Decimal("2000000")) == (
        Decimal("600000.00"), Decimal("600000.00"), Decimal("800000.00"))
    parts = Shares((Decimal(1), Decimal(1), Decimal(1))).split(Decimal("100"))
    assert sum(parts) == Decimal("100")


def test_unset_parameter_must_be_supplied_by_the_office():
    unset = Parameter("pass_mark", Kind.UNSET, "合格分数线", "points", (), Kind.SCALAR,
                      cite("zhenjiang_park", "五（二）"))
    params = ParameterSet("zhenjiang_park", {"pass_mark": unset})
    with pytest.raises(UnsetParameterError):
        params.get("pass_mark", dt.date(2026, 1, 1))
    supplied = params.with_overrides({"pass_mark": 120}, reference="镇人社〔2026〕1号")
    value = supplied.get("pass_mark", dt.date(2026, 1, 1))
    assert value.value == Decimal(120)
    assert value.source.value == "office"
    assert "镇人社〔2026〕1号" in value.citation.label


def test_parameter_not_in_force_before_its_first_date():
    params = get_computation("nanchang_academy", "annual_grade").program.parameters()
    with pytest.raises(ParameterError):
        params.get("annual_grade_bands", dt.date(2020, 1, 1))


def test_cli_prints_the_outcome_as_json(tmp_path, capsys):
    facts = tmp_path / "f.json"
    facts.write_text(json.dumps({"as_of": "2026-11-23", "score": "91"}))
    assert main(["rules", "nanchang_academy", "annual_grade", "--input", str(facts)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["value"] == "优秀"
    assert out["trace"][0]["citation"]["article"] == "附件2"


def test_cli_reports_bad_input_with_exit_code_2(tmp_path, capsys):
    facts = tmp_path / "f.json"
    facts.write_text("{not json")
    assert main(["rules", "nanchang_academy", "annual_grade", "--input", str(facts)]) == 2
    assert "valid JSON" in capsys.readouterr().err
