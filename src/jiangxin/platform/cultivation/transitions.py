"""The cultivation year's transitions (江苏卓越技师培育计划 状态流转登记): every state change of the app, with its
from-states, to-state, acting roles, guard computation and article.

The functions in the modules of :mod:`.actions` (one per kind of record changed) are registered in place with
``@action("<key>")``; this table is their declaration (read by ``docs/process.md``). The functions'
own finer checks (province office vs. city lead, own trainee, own unit) and the guards in :mod:`.guards` refuse
with the Chinese reason and the article; the registry adds the role, the from-state under a row lock, ``expect=``
for stale forms and one transaction.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.core.declare import declarer
from jiangxin.platform.core.transitions import track
from jiangxin.platform.cultivation.access import CultivationError

J = "江苏卓越技师办法"
OFFICE = (Role.OFFICE,)
LEADS = (Role.OFFICE, Role.DISTRICT)
UNIT = (Role.TRAINING_UNIT,)
LIVE_PHASES = ("choosing", "training", "grading", "acceptance")


def _spec(title: Any, record: str, *, field: str = "status", sources: tuple[str, ...] = ("*",), target: str = "",
          roles: tuple[str, ...], guard: str = "", citation: str = "", who: str = "",
          refused: dict[str, str] | None = None) -> dict[str, Any]:
    # the cultivation services write their own, richer audit record; ``who`` names the app's own permission
    # check (module .who), answered before the registry's role check
    return {"title": title, "record": record, "field": field, "sources": sources, "target": target,
            "roles": roles, "guard": guard, "citation": citation, "audit": False,
            "who": f"jiangxin.platform.cultivation.who:{who}" if who else "", "refused": refused or {},
            "error": CultivationError}


YEAR, ENROLMENT, PLAN = "cultivation.CultivationYear", "cultivation.Enrolment", "cultivation.TrainingPlan"

SPECS: dict[str, dict[str, Any]] = {
    # --- the year (学年) ------------------------------------------------------------------------------------
    "cultivation.open_year": _spec(_("开设培育学年"), YEAR, target="choosing", roles=OFFICE,
                                   citation=f"{J} 第七条；第二十四条", who="province_office"),
    "cultivation.set_year_dates": _spec(_("调整学年时间安排"), YEAR, field="choice_closes_on", roles=OFFICE,
                                        guard="cultivation/year_dates_allowed",
                                        citation=f"{J} 第七条；第十九条", who="province_office"),
    "cultivation.advance_phase": _spec(_("进入下一阶段"), YEAR, sources=LIVE_PHASES, roles=OFFICE,
                                       guard="cultivation/phase_blockers",
                                       citation=f"{J} 第九条；第二十条；第二十二条", who="province_office",
                                       refused={"closed": "本学年已结束。"}),
    # --- enrolment and choice (附件1) ----------------------------------------------------------------------
    "cultivation.enrol": _spec(_("纳入培育名单"), ENROLMENT, target="choosing", roles=OFFICE,
                               guard="jiangsu_technician/eligibility",
                               citation=f"{J} 第七条；第二十一条；第二十三条", who="province_office"),
    "cultivation.enrol_cohort": _spec(_("批量纳入培育名单"), ENROLMENT, target="choosing", roles=OFFICE,
                                      guard="jiangsu_technician/eligibility",
                                      citation=f"{J} 第七条；第二十一条；第二十三条", who="province_office"),
    "cultivation.save_major": _spec(_("保存承训专业"), "cultivation.Major", field="published", roles=UNIT,
                                    citation=f"{J} 第七条", who="own_unit"),
    "cultivation.publish_major": _spec(_("发布或撤回承训专业"), "cultivation.Major", field="published",
                                       roles=UNIT, citation=f"{J} 第七条", who="own_unit"),
    "cultivation.choose_major": _spec(_("选择承训单位和专业"), ENROLMENT, sources=("choosing", "enrolled"),
                                      target="enrolled", roles=(Role.TRAINEE,), guard="cultivation/choice_allowed",
                                      citation=f"{J} 第七条；第八条；第二十条；第二十二条", who="the_trainee",
                                      refused={"*": "当前状态不能选择专业。"}),
    "cultivation.record_choice": _spec(_("代为登记选择"), ENROLMENT, sources=("choosing", "enrolled"),
                                       target="enrolled", roles=LEADS, guard="cultivation/choice_allowed",
                                       citation=f"{J} 第七条；第八条；第二十条；第二十二条",
                                       refused={"*": "当前状态不能选择专业。"}),
    # --- mentors and plans --------------------------------------------------------------------------------
    "cultivation.register_mentor": _spec(_("登记指导教师"), "cultivation.Mentor", field="active", roles=UNIT,
                                         guard="jiangsu_technician/mentor_check",
                                         citation=f"{J} 第十六条", who="own_unit"),
    "cultivation.assign_mentor": _spec(_("配备指导教师"), ENROLMENT, sources=("enrolled",), roles=UNIT,
                                       guard="jiangsu_technician/mentor_check",
                                       citation=f"{J} 第十六条", who="own_unit",
                                       refused={"*": "只有已选定专业的在训培育对象可以配备指导教师。"}),
    "cultivation.save_plan": _spec(_("编制培训计划"), PLAN, sources=("draft", "returned"), target="draft",
                                   roles=UNIT, guard="jiangsu_technician/training_plan_check",
                                   citation=f"{J} 第十二条；第九条；第十五条；第十七条", who="own_unit"),
    "cultivation.save_session": _spec(_("编排课程"), PLAN, sources=("draft", "returned"), target="draft",
                                      roles=UNIT, citation=f"{J} 第十二条；第十五条；第十七条",
                                      refused={"approved": "培训计划已审核通过，已锁定，不能修改。", "submitted": "培训计划正在审核中，不能修改。"}),
    "cultivation.delete_session": _spec(_("删除课程"), PLAN, sources=("draft", "returned"), roles=UNIT,
                                        citation=f"{J} 第十二条；第十五条；第十七条",
                                        refused={"approved": "培训计划已审核通过，已锁定，不能修改。", "submitted": "培训计划正在审核中，不能修改。"}),
    "cultivation.submit_plan": _spec(_("提交培训计划"), PLAN, sources=("draft", "returned"), target="submitted",
                                     roles=UNIT, guard="jiangsu_technician/training_plan_check",
                                     citation=f"{J} 第九条；第十二条；第十五条；第十七条",
                                     refused={"approved": "培训计划已审核通过，不能重复提交。", "submitted": "培训计划已提交，正在审核中。"}),
    "cultivation.decide_plan": _spec(_("审核培训计划（通过或退回）"), PLAN, sources=("submitted",),
                                     roles=LEADS, guard="jiangsu_technician/training_plan_check",
                                     citation=f"{J} 第十二条",
                                     refused={"*": "该培训计划不在待审核状态。"}),
    # --- training ------------------------------------------------------------------------------------------
    "cultivation.record_attendance": _spec(_("登记考勤"), "cultivation.Attendance", field="hours", roles=UNIT,
                                           guard="cultivation/unit_closed",
                                           citation=f"{J} 第十七条；第二十条", who="attendance_unit"),
    "cultivation.import_attendance": _spec(_("导入考勤"), "cultivation.Attendance", field="hours", roles=UNIT,
                                           guard="cultivation/unit_closed",
                                           citation=f"{J} 第十七条；第二十条", who="import_unit"),
    "cultivation.request_leave": _spec(_("申请请假"), "cultivation.LeaveRequest", target="pending",
                                       roles=(Role.TRAINEE,), citation=f"{J} 第十二条"),
    "cultivation.decide_leave": _spec(_("审批请假"), "cultivation.LeaveRequest", sources=("pending",),
                                      roles=LEADS, citation=f"{J} 第十二条", who="leave_decider",
                                      refused={"*": "该请假已审批，不能重复审批。"}),
    "cultivation.submit_report": _spec(_("提交研修报告"), "cultivation.ResearchReport", field="score",
                                       roles=(Role.TRAINEE,), citation=f"{J} 第十九条"),
    "cultivation.evaluate_report": _spec(_("评估研修报告"), "cultivation.ResearchReport", field="score",
                                         roles=(Role.EXPERT,), guard="cultivation/unit_closed",
                                         citation=f"{J} 第十九条；第二十条"),
    # --- results ------------------------------------------------------------------------------------------
    "cultivation.grade_unit": _spec(_("评定培育对象"), ENROLMENT, sources=("enrolled", "graded"), target="graded",
                                    roles=(Role.TRAINING_UNIT, Role.OFFICE),
                                    guard="jiangsu_technician/trainee_grading",
                                    citation=f"{J} 第二十条；第二十一条；第二十二条"),
    "cultivation.record_incident": _spec(_("登记违纪或不支持参训情形"), "cultivation.Incident", field="kind",
                                         roles=(Role.TRAINING_UNIT, Role.OFFICE, Role.DISTRICT),
                                         guard="jiangsu_technician/discipline_sanctions",
                                         citation=f"{J} 第二十一条"),
    "cultivation.request_deferral": _spec(_("申请延期"), ENROLMENT, sources=("enrolled",), roles=(Role.TRAINEE,),
                                          citation=f"{J} 第二十四条",
                                          refused={"*": "只有在训的培育对象可以申请延期。"}),
    "cultivation.decide_deferral": _spec(_("审批延期"), ENROLMENT, sources=("enrolled",), roles=LEADS,
                                         guard="jiangsu_technician/deferral",
                                         citation=f"{J} 第二十四条", who="deferral_decider",
                                         refused={"*": "该培育对象已不在训，不能审批延期。"}),
    "cultivation.assess_unit": _spec(_("省级考核验收"), "cultivation.UnitAcceptance", field="total",
                                     roles=OFFICE, guard="jiangsu_technician/unit_acceptance_score",
                                     citation=f"{J} 第二十二条；附件4", who="province_office_results"),
    "cultivation.post_funding": _spec(_("核拨培育经费"), "cultivation.UnitAcceptance", field="total",
                                      roles=OFFICE, guard="jiangsu_technician/funding",
                                      citation=f"{J} 第二条；第二十二条", who="province_office_results"),
    "cultivation.record_expense": _spec(_("登记经费支出"), "cultivation.Expense", field="category", roles=UNIT,
                                        guard="jiangsu_technician/spending_split",
                                        citation=f"{J} 第十条；第十一条", who="expense_unit"),
    "cultivation.submit_satisfaction": _spec(_("填写满意度调查"), "cultivation.SurveyResponse", field="kind",
                                             roles=(Role.TRAINEE,), citation=f"{J} 第十二条；附件2"),
    "cultivation.submit_employer_survey": _spec(_("填写用人单位调查"), "cultivation.SurveyResponse", field="kind",
                                                roles=(Role.UNIT,), citation=f"{J} 第二十二条；附件3"),
}

action = declarer(SPECS)

track("cultivation.CultivationYear", "status", "choice_closes_on", "report_due_on")
track("cultivation.Enrolment", "status", "major", "grade", "passed", "certificate_no")
track("cultivation.TrainingPlan", "status")
track("cultivation.LeaveRequest", "status")
track("cultivation.Major", "published")
track("cultivation.ResearchReport", "score")


def _register() -> None:
    """Import the action modules so that every declared action is registered (autodiscovery imports this)."""
    from jiangxin.platform.cultivation.actions import (  # noqa: F401
        acceptance,
        attendance,
        choices,
        deferral,
        enrolment,
        funding,
        grading,
        incidents,
        leave,
        majors,
        mentors,
        plans,
        reports,
        surveys,
        year,
    )


_register()
