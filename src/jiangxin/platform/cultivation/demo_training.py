"""Cultivation-year demo, training part (idempotent); called by cultivation.demo.load_cultivation_demo().

For the demo year that the setup part built (skipped quietly when there is none): the demo expert of the 南京
training unit (``demo_expert_js``), attendance in every unit with an approved plan (two trainees of each end
below 70 %), one pending and one approved leave request, and research reports for most trainees of the 南京
unit, most of them already scored by the demo expert.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction

DEMO_UNIT = "南京技师学院（示例承训单位）"
EXPERT_USERNAME = "demo_expert_js"
TRAINEE_USERNAME = "demo_trainee_js"
LEAD_USERNAME = "demo_lead_js"
TOPICS = ("高强钢焊接变形控制", "自动化产线故障诊断", "数控加工精度补偿", "工业机器人离线编程", "精密装配工艺优化",
          "液压系统节能改造", "智能检测工装设计", "复杂曲面加工刀路优化")


def _pdf(title: str) -> bytes:
    from jiangxin.platform.core.demo_fixtures import demo_pdf

    return demo_pdf(title)


def _demo_year() -> tuple[Any, Any, Any] | None:
    from jiangxin.platform.cultivation.models import PlanStatus, TrainingPlan
    from jiangxin.platform.orgs.models import Organisation

    unit = Organisation.objects.filter(name=DEMO_UNIT).first()
    if unit is None:
        return None
    plan = (TrainingPlan.objects.filter(training_unit=unit, status=PlanStatus.APPROVED)
            .select_related("year").order_by("-year__year").first())
    if plan is None:
        return None
    return plan.year, unit, plan


def _expert(unit: Any) -> Any:
    from jiangxin.platform.accounts.models import User
    from jiangxin.platform.accounts.roles import Role
    from jiangxin.platform.accounts.services import create_user
    from jiangxin.platform.core.demo_fixtures import DEMO_PASSWORD

    user = User.objects.filter(username=EXPERT_USERNAME).first()
    if user is None:
        user, _ = create_user(username=EXPERT_USERNAME, role=Role.EXPERT, organisation=unit,
                              display_name="承训单位评估专家", password=DEMO_PASSWORD)
        user.must_change_password = False
        user.save(update_fields=["must_change_password"])
    return user


def _attendance(year: Any, unit: Any, plan: Any, unit_user: Any, enrolments: list[Any]) -> None:
    from jiangxin.platform.cultivation.actions.attendance import record_attendance
    from jiangxin.platform.cultivation.models import Attendance, Delivery
    from jiangxin.platform.cultivation.selectors.training import session_trainees, unit_sessions

    if Attendance.objects.filter(session__plan=plan).exists():
        return
    sessions = list(unit_sessions(unit, year))
    for s in sessions:
        rows = []
        trainees = {e.pk for e in session_trainees(s)}
        for i, e in enumerate(enrolments):
            if e.pk not in trainees:
                continue
            share = Decimal("0.5") if i in (1, 2) else Decimal("1") if i % 4 else Decimal("0.9")
            online = s.delivery == Delivery.ONLINE or (s.delivery == Delivery.BLENDED and e.remote)
            rows.append({"enrolment": e, "hours": (s.hours * share).quantize(Decimal("0.1")),
                         "credits": (s.credits * share).quantize(Decimal("0.1")), "online": online})
        if rows:
            record_attendance(unit_user, s, rows)


def _leave(year: Any, enrolments: list[Any], trainee_user: Any, unit: Any) -> None:
    """One approved and one pending request; the pending one waits for demo_lead_js when a trainee from 南京 is
    there (the demo trainee's own if they are in training; else preferably one trained outside the demo unit,
    whose grading the results demo leaves open)."""
    from jiangxin.platform.audit.service import record
    from jiangxin.platform.cultivation.actions.leave import decide_leave, request_leave
    from jiangxin.platform.cultivation.common_training import city_leads
    from jiangxin.platform.cultivation.models import LeaveRequest

    if LeaveRequest.objects.filter(enrolment__in=[e.pk for e in enrolments]).exists() or len(enrolments) < 2:
        return
    own = next((e for e in enrolments if trainee_user is not None and e.person_id == trainee_user.person_id), None)
    led = [e for e in enrolments if city_leads(e).filter(username=LEAD_USERNAME).exists()]
    elsewhere = [e for e in led if e.major.training_unit_id != unit.pk]
    pending_for = own or (elsewhere or led or enrolments)[0]
    approved_for = next(e for e in (led or enrolments) + enrolments if e.pk != pending_for.pk)
    start = dt.date(year.year, 5, 11)
    approved = LeaveRequest.objects.create(enrolment=approved_for, start=start, end=start + dt.timedelta(days=2),
                                           reason="参加本单位紧急技术攻关任务")
    record("cultivation.leave_request", approved, summary=f"{approved_for.person.name} 申请请假（演示数据）")
    lead = city_leads(approved_for).first()
    if lead is not None:
        decide_leave(lead, approved, approve=True, note="同意，请做好课程补学。")
    if own is not None and trainee_user is not None:
        request_leave(trainee_user, own, start=dt.date(year.year, 6, 15), end=dt.date(year.year, 6, 16),
                               reason="家中老人住院，需要陪护")
    else:
        pending = LeaveRequest.objects.create(enrolment=pending_for, start=dt.date(year.year, 6, 15),
                                              end=dt.date(year.year, 6, 16), reason="家中老人住院，需要陪护")
        record("cultivation.leave_request", pending, summary=f"{pending_for.person.name} 申请请假（演示数据）")


def _reports(enrolments: list[Any], expert: Any, trainee_user: Any) -> None:
    from jiangxin.platform.audit.service import record
    from jiangxin.platform.cultivation.access import CultivationError
    from jiangxin.platform.cultivation.actions.reports import evaluate_report
    from jiangxin.platform.cultivation.models import ResearchReport

    # the demo trainee submits their own report in the demo, so they get none here; two others have not yet
    writers = [e for e in enrolments if trainee_user is None or e.person_id != trainee_user.person_id][:-2]
    for i, e in enumerate(writers):
        if ResearchReport.objects.filter(enrolment=e).exists():
            continue
        title = f"{TOPICS[i % len(TOPICS)]}研究"
        report = ResearchReport(enrolment=e, title=title, abstract=f"围绕{e.major.name}岗位中的实际问题，总结改进方法与成效。")
        report.file.save(f"report-{e.pk}.pdf", ContentFile(_pdf(f"research report {e.pk}")), save=False)
        report.save()
        record("cultivation.report_submit", report, summary=f"{e.person.name} 提交研修报告《{title}》（演示数据）")
        if i % 5 == 4:
            continue  # left for the demo expert to score
        try:
            evaluate_report(expert, report, score=Decimal(68 + (i * 7) % 30), comment="选题贴近生产实际。")
        except CultivationError:
            return


def load() -> None:
    from jiangxin.platform.accounts.models import User
    from jiangxin.platform.accounts.roles import Role
    from jiangxin.platform.cultivation.models import (
        Enrolment,
        EnrolmentStatus,
        PlanStatus,
        TrainingPlan,
        YearStatus,
    )

    found = _demo_year()
    if found is None:
        return
    year, unit, _plan = found
    if year.status == YearStatus.CLOSED:
        return
    trainee_user = User.objects.filter(username=TRAINEE_USERNAME).first()
    in_training = (Enrolment.objects.filter(year=year, status=EnrolmentStatus.ENROLLED, major__isnull=False)
                   .select_related("person", "major", "major__training_unit", "home_city", "year")
                   .order_by("person__name", "pk"))
    with transaction.atomic():
        expert = _expert(unit)
        # attendance in every unit whose plan was approved, entered by that unit's own account
        for plan in TrainingPlan.objects.filter(year=year, status=PlanStatus.APPROVED).select_related("training_unit"):
            unit_user = (User.objects.filter(role=Role.TRAINING_UNIT, organisation=plan.training_unit, is_active=True)
                         .order_by("username").first())
            trainees = [e for e in in_training if e.major.training_unit_id == plan.training_unit_id]
            if unit_user is not None and trainees:
                _attendance(year, plan.training_unit, plan, unit_user, trainees)
        _leave(year, list(in_training), trainee_user, unit)
        _reports([e for e in in_training if e.major.training_unit_id == unit.pk], expert, trainee_user)
