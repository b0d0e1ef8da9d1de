"""Panels through the service layer: assignment, conflicts of interest, independent scoring, sign-off,
aggregation (mean, trimmed mean, veto) and completion."""

from __future__ import annotations

from decimal import Decimal

import fixtures_panels
import pytest
from fixtures_panels import PanelWorld, academy_entries

from jiangxin.platform.audit.models import AuditEvent
from jiangxin.platform.audit.service import verify_chain
from jiangxin.platform.notifications.models import Notification
from jiangxin.platform.panels import services
from jiangxin.platform.panels.models import ConflictBasis, ConflictDeclaration, ScoreSheet, SheetStatus
from jiangxin.platform.panels.rubrics import parse_post

pytestmark = pytest.mark.django_db
pw = fixtures_panels.pw


def test_office_creates_a_panel_with_the_programs_rubric(pw: PanelWorld) -> None:
    panel = pw.panel()
    rubric = services.panel_rubric(panel)
    assert panel.rubric_key == "nanchang_academy.naming"
    assert rubric.official and rubric.max_total == 100
    assert AuditEvent.objects.filter(action="panels.panel.create", object_id=str(panel.pk)).exists()


def test_programs_without_a_rubric_get_the_manual_overall_score_marked_unofficial(pw: PanelWorld) -> None:
    assert pw.gz_round is not None
    panel = services.create_panel(pw.users["office_gz"], pw.gz_round, stage_key="expert_review", title="赣州评审")
    rubric = services.panel_rubric(panel)
    assert panel.rubric_key == "manual"
    assert not rubric.official and "I-PANEL-05" in rubric.notice
    assert [(i.key, i.points) for i in rubric.items] == [("overall", Decimal(100))]
    assert rubric.citation.label.endswith("第七条（三）")


def test_only_office_staff_of_the_organiser_create_panels(pw: PanelWorld) -> None:
    assert pw.round is not None
    for who in ("district", "unit", "e1", "finance"):
        with pytest.raises(services.PanelError):
            services.create_panel(pw.users[who], pw.round, stage_key="x", title="x")
    with pytest.raises(services.PanelError, match="管理范围"):
        services.create_panel(pw.users["office_gz"], pw.round, stage_key="x", title="x")


def test_one_panel_per_round_and_stage(pw: PanelWorld) -> None:
    pw.panel()
    assert pw.round is not None
    with pytest.raises(services.PanelError, match="已有专家组"):
        services.create_panel(pw.users["office"], pw.round, stage_key="central_review", title="again")


def test_assignment_gives_each_expert_a_sheet_per_application_and_notifies_them(pw: PanelWorld) -> None:
    panel = pw.panel(apps=("a", "b"))
    assert ScoreSheet.objects.filter(member__panel=panel).count() == 6
    assert set(services.assigned_applications(pw.users["e1"])) == {pw.apps["a"], pw.apps["b"]}
    assert services.assigned_applications(pw.users["outsider"]).count() == 0
    titles = list(Notification.objects.filter(recipient=pw.users["e1"]).values_list("title", flat=True))
    assert any("评审专家" in t for t in titles)


def test_draft_applications_cannot_be_assigned(pw: PanelWorld) -> None:
    panel = pw.panel(apps=())
    app = pw.apps["a"]
    app.status = "draft"
    app.save()
    with pytest.raises(services.PanelError, match="不能分配评审"):
        services.assign_applications(pw.users["office"], panel, [app])


def test_expert_from_the_applicant_unit_is_blocked_automatically(pw: PanelWorld) -> None:
    panel = pw.panel(experts=("e1", "e_same"), apps=("a", "b"))
    blocked = pw.sheet(panel, "e_same", "a")
    assert blocked.status == SheetStatus.RECUSED
    declaration = ConflictDeclaration.objects.get(member=blocked.member, application=pw.apps["a"])
    assert declaration.automatic and declaration.basis == ConflictBasis.SAME_EMPLOYER
    # 西湖 is another district: no conflict there
    assert pw.sheet(panel, "e_same", "b").status == SheetStatus.DRAFT


def test_person_employer_counts_as_the_experts_unit(pw: PanelWorld, register: object) -> None:
    person = register(name="刘专家", first17="36010219700101001")  # type: ignore[operator]
    person.employer = pw.orgs["unit_a"]
    person.save()
    expert = pw.users["e4"]
    expert.person = person
    expert.save()
    panel = pw.panel(experts=("e4",))
    assert pw.sheet(panel, "e4").status == SheetStatus.RECUSED


def test_expert_from_the_same_district_is_blocked_automatically(pw: PanelWorld) -> None:
    panel = pw.panel(experts=("e_district",), apps=("a", "b"))
    sheet = pw.sheet(panel, "e_district", "a")
    assert sheet.status == SheetStatus.RECUSED
    assert ConflictDeclaration.objects.get(member=sheet.member, application=pw.apps["a"]).basis == \
        ConflictBasis.SAME_DISTRICT
    assert pw.sheet(panel, "e_district", "b").status == SheetStatus.DRAFT


def test_declared_conflict_recuses_and_the_office_names_a_substitute(pw: PanelWorld) -> None:
    panel = pw.panel(experts=("e1", "e2"))
    sheet = pw.sheet(panel, "e2")
    with pytest.raises(services.PanelError, match="说明"):
        services.declare(pw.users["e2"], sheet, conflict=True, reason=" ")
    services.declare(pw.users["e2"], sheet, conflict=True, reason="申报单位负责人为本人亲属")
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.RECUSED
    assert Notification.objects.filter(recipient=pw.users["office"], title__contains="回避").exists()
    with pytest.raises(services.TransitionRefused):  # a recused sheet is no longer declared on
        services.declare(pw.users["e2"], sheet, conflict=False)
    new = services.replace_expert(pw.users["office"], sheet, pw.users["e5"])
    assert new.status == SheetStatus.DRAFT and new.member.substitute
    # the substitute scores only that application, not later assignments
    services.assign_applications(pw.users["office"], panel, [pw.apps["b"]])
    assert not ScoreSheet.objects.filter(member=new.member, application=pw.apps["b"]).exists()
    # recused sheets are excluded from aggregation
    with pytest.raises(services.TransitionRefused, match="替换回避专家"):  # only a recused sheet is replaced
        services.replace_expert(pw.users["office"], new, pw.users["e6"])


def test_scoring_needs_a_declaration_first(pw: PanelWorld) -> None:
    panel = pw.panel()
    sheet = pw.sheet(panel, "e1")
    rubric = services.panel_rubric(panel)
    with pytest.raises(services.PanelError, match="声明"):
        services.save_entries(pw.users["e1"], sheet, parse_post(rubric, {}))


def test_an_expert_cannot_touch_another_experts_sheet(pw: PanelWorld) -> None:
    panel = pw.panel()
    sheet = pw.sheet(panel, "e1")
    with pytest.raises(services.PanelError, match="本人"):
        services.declare(pw.users["e2"], sheet, conflict=False)


def test_the_policy_scorer_sets_every_items_points_and_the_total(pw: PanelWorld) -> None:
    panel = pw.panel()
    sheet = pw.score_entries(panel, "e1", academy_entries(), sign=False)
    assert sheet.status == SheetStatus.SUBMITTED
    assert sheet.total == Decimal(86) and not sheet.vetoed
    awarded = dict(sheet.entries.values_list("item_key", "awarded"))
    assert awarded["venue_sites"] == Decimal(6) and awarded["training_equipment"] == Decimal(3)
    assert sum(awarded.values()) == Decimal(86)
    assert sheet.result["rubric"] == "nanchang_academy.naming" and sheet.result["trace"]


def test_incomplete_manual_sheet_cannot_be_submitted_and_out_of_range_is_refused(pw: PanelWorld) -> None:
    panel = pw.panel(rubric_key="manual")
    sheet = pw.sheet(panel, "e1")
    services.declare(pw.users["e1"], sheet, conflict=False)
    rubric = services.panel_rubric(panel)
    services.save_entries(pw.users["e1"], sheet, parse_post(rubric, {"i__overall": ""}))
    sheet.refresh_from_db()
    assert sheet.total is None
    with pytest.raises(services.PanelError, match="尚未填写"):
        services.submit_sheet(pw.users["e1"], sheet)
    with pytest.raises(services.PanelError, match="overall"):
        services.save_entries(pw.users["e1"], sheet, parse_post(rubric, {"i__overall": "120"}))


def test_sign_off_locks_the_sheet_and_only_the_office_reopens_it_with_a_reason(pw: PanelWorld) -> None:
    panel = pw.panel(rubric_key="manual")
    sheet = pw.score_manual(panel, "e1", "88")
    rubric = services.panel_rubric(panel)
    assert sheet.status == SheetStatus.SIGNED and sheet.signed_at is not None
    with pytest.raises(services.PanelError, match="不能再修改"):
        services.save_entries(pw.users["e1"], sheet, parse_post(rubric, {"i__overall": "60"}))
    with pytest.raises(services.TransitionRefused):  # signed once
        services.sign_sheet(pw.users["e1"], sheet)
    with pytest.raises(services.TransitionRefused):  # an expert cannot reopen
        services.reopen_sheet(pw.users["e2"], sheet, reason="x")
    with pytest.raises(services.PanelError, match="原因"):
        services.reopen_sheet(pw.users["office"], sheet, reason="")
    services.reopen_sheet(pw.users["office"], sheet, reason="第3项录入有误")
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.DRAFT and sheet.reopen_reason == "第3项录入有误"
    event = AuditEvent.objects.get(action="panels.sheet.reopen", object_id=str(sheet.pk))
    assert event.before["status"] == "signed" and event.after["status"] == "draft"
    services.save_entries(pw.users["e1"], sheet, parse_post(rubric, {"i__overall": "60"}))
    sheet.refresh_from_db()
    assert sheet.total == Decimal(60)
    assert verify_chain() == (True, None)


def test_submitted_sheet_is_frozen_before_sign_off_too(pw: PanelWorld) -> None:
    panel = pw.panel(rubric_key="manual")
    sheet = pw.score_manual(panel, "e1", "88", sign=False)
    with pytest.raises(services.PanelError, match="不能再修改"):
        services.save_entries(pw.users["e1"], sheet, parse_post(services.panel_rubric(panel), {"i__overall": "1"}))


def test_mean_of_three_signed_sheets(pw: PanelWorld) -> None:
    # 80 + 85 + 91 = 256; 256 / 3 = 85.333… → 85.33 (I-PANEL-03)
    panel = pw.panel(rubric_key="manual")
    for expert, value in (("e1", "80"), ("e2", "85"), ("e3", "91")):
        pw.score_manual(panel, expert, value)
    result = services.panel_result(pw.apps["a"])
    assert result is not None
    assert result.total == Decimal("85.33") and result.items == {"overall": Decimal("85.33")}
    assert result.experts == 3 and result.method == "mean" and result.complete and not result.vetoed
    assert [e["total"] for e in result.outcome["experts"]] == ["80.00", "85.00", "91.00"]
    assert result.outcome["trimmed"] == []


def test_trimmed_mean_drops_one_highest_and_one_lowest_of_five(pw: PanelWorld) -> None:
    # 70 | 80 82 84 | 95 → (80 + 82 + 84) / 3 = 82.00; the plain mean would be 82.2
    panel = pw.panel(rubric_key="manual", aggregation="trimmed_mean", experts=("e1", "e2", "e3", "e4", "e5"))
    for expert, value in (("e1", "95"), ("e2", "80"), ("e3", "70"), ("e4", "84"), ("e5", "82")):
        pw.score_manual(panel, expert, value)
    result = services.panel_result(pw.apps["a"])
    assert result is not None
    assert result.total == Decimal("82.00") and result.method == "trimmed_mean" and result.experts == 5
    trimmed = {(t["expert"], t["total"], t["side"]) for t in result.outcome["trimmed"]}
    assert trimmed == {("专家3", "70.00", "lowest"), ("专家1", "95.00", "highest")}
    assert [e["trimmed"] for e in result.outcome["experts"]] == [True, False, True, False, False]


def test_trimmed_mean_falls_back_to_the_mean_below_five_experts(pw: PanelWorld) -> None:
    # four sheets: 70 80 84 95 → mean 82.25, said so in the outcome
    panel = pw.panel(rubric_key="manual", aggregation="trimmed_mean", experts=("e1", "e2", "e3", "e4"))
    for expert, value in (("e1", "95"), ("e2", "80"), ("e3", "70"), ("e4", "84")):
        pw.score_manual(panel, expert, value)
    result = services.panel_result(pw.apps["a"])
    assert result is not None
    assert result.total == Decimal("82.25") and result.method == "mean"
    assert "少于 5 份" in result.outcome["note"]


def test_trim_count_is_a_field(pw: PanelWorld) -> None:
    # trim 2 of each side from 6 (minimum 5): 60 70 | 80 90 | 95 99 → 85.00
    panel = pw.panel(rubric_key="manual", aggregation="trimmed_mean", trim_count=2,
                     experts=("e1", "e2", "e3", "e4", "e5", "e6"))
    for expert, value in zip(("e1", "e2", "e3", "e4", "e5", "e6"), ("60", "70", "80", "90", "95", "99"), strict=True):
        pw.score_manual(panel, expert, value)
    result = services.panel_result(pw.apps["a"])
    assert result is not None and result.total == Decimal("85.00") and len(result.outcome["trimmed"]) == 4


def test_per_item_means_of_the_academy_rubric_add_up_to_the_total(pw: PanelWorld) -> None:
    panel = pw.panel(experts=("e1", "e2"))
    pw.score_entries(panel, "e1", academy_entries())                               # 86
    pw.score_entries(panel, "e2", academy_entries(venue_sites=["专门办公场所"]))       # 86 − 5 = 81
    result = services.panel_result(pw.apps["a"])
    assert result is not None
    assert result.total == Decimal("83.50")
    assert result.items["venue_sites"] == Decimal("3.50") and result.items["media"] == Decimal("4.00")
    assert sum(result.items.values()) == result.total


def test_a_single_experts_veto_vetoes_the_result(pw: PanelWorld) -> None:
    panel = pw.panel(experts=("e1", "e2", "e3"))
    pw.score_entries(panel, "e1", academy_entries())
    pw.score_entries(panel, "e2", academy_entries())
    vetoing = pw.score_entries(panel, "e3", academy_entries(compliance_violation=True))
    assert vetoing.vetoed and vetoing.total == Decimal(86)
    result = services.panel_result(pw.apps["a"])
    assert result is not None
    assert result.vetoed and result.total == Decimal("86.00") and result.outcome["vetoed_by"] == ["专家3"]


def test_complete_only_when_every_non_recused_expert_signed_and_the_office_is_told(pw: PanelWorld) -> None:
    panel = pw.panel(rubric_key="manual", experts=("e1", "e2", "e_same"))
    assert pw.round is not None
    pw.score_manual(panel, "e1", "80")
    pw.score_manual(panel, "e2", "90", sign=False)
    result = services.panel_result(pw.apps["a"])
    assert result is not None and not result.complete and result.experts == 1 and result.total == Decimal("80.00")
    assert [r["expert"] for r in result.outcome["recused"]] == ["同单位专家"]
    assert not services.panel_stage_complete(pw.round, "central_review")
    services.sign_sheet(pw.users["e2"], pw.sheet(panel, "e2"))
    result = services.panel_result(pw.apps["a"])
    assert result is not None and result.complete and result.total == Decimal("85.00") and result.experts == 2
    assert services.panel_stage_complete(pw.round, "central_review")
    assert not services.panel_stage_complete(pw.round, "other_stage")
    panel.refresh_from_db()
    assert panel.completed_at is not None
    assert Notification.objects.filter(recipient=pw.users["office"], title__contains="全部完成").count() == 1


def test_no_panel_no_result(pw: PanelWorld) -> None:
    assert services.panel_result(pw.apps["b"]) is None
    pw.panel(apps=("a",))
    assert services.panel_result(pw.apps["b"]) is None


def test_the_stage_must_be_a_scoring_stage_of_the_programs_workflow(pw: PanelWorld) -> None:
    assert pw.round is not None
    with pytest.raises(services.PanelError, match="central_review"):
        services.create_panel(pw.users["office"], pw.round, stage_key="publicity", title="错误环节")
    assert [k for k, _ in services.stage_choices("zhenjiang_park")] == ["site_inspection", "collective_review", "vote"]
