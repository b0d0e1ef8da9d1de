"""Publicity transitions: open a notice, receive an objection, verify it; clearance for naming.

Rules we chose where the documents are silent (see docs/parts/interpretations-PUB.md):
- I-PUB-01 anonymous objections are accepted; a contact is required either way (follow-up);
- I-PUB-02 objections are received from the publication day to the last day of the window, both included;
- I-PUB-03 an application is clear for naming only from the day after the window's last day, and only when
  every objection against it is settled; an upheld objection disqualifies it (review.services.disqualify);
- I-PUB-04 the objection form is rate-limited per sender address (``JIANGXIN_OBJECTION_LIMIT`` per hour).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import hmac
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.applications.models import Application
from jiangxin.platform.audit.service import record, snapshot
from jiangxin.platform.core import answers
from jiangxin.platform.core.formats import chinese_date
from jiangxin.platform.core.transitions import TransitionRefused, transition
from jiangxin.platform.notifications.services import notify, notify_roles
from jiangxin.platform.publicity.models import (
    PENDING,
    Notice,
    NoticeEntry,
    Objection,
    ObjectionStatus,
)
from jiangxin.platform.rounds.models import Round
from jiangxin.policy.errors import CalendarYearUnknownError, FactsError, PolicyError

#: objections one sender address may file per hour (I-PUB-04)
DEFAULT_OBJECTION_LIMIT = 5
OFFICE_ROLES = (Role.OFFICE, Role.PARK_OFFICE)
#: applications in these states cannot be put on a notice
NOT_PUBLISHABLE = ("draft", "withdrawn", "rejected")


class PublicityError(TransitionRefused):
    """A refused publicity step, with a message for the user (Chinese). ``field`` names the form field."""

    def __init__(self, message: str, field: str | None = None, citations: Sequence[str] = (),
                 calendar_year: int | None = None):
        super().__init__(message, citations=citations)
        self.field = field
        self.calendar_year = calendar_year  # set when the working-day calendar of that year is not entered yet


# ---- who may do what ----------------------------------------------------------------------------------

def can_run(user: Any, rnd: Round) -> bool:
    """Office staff who manage the round's program run its publicity."""
    from jiangxin.platform.rounds.services import can_manage

    return bool(getattr(user, "is_active", False)) and can_manage(user, rnd.program)


def visible_notices(user: Any) -> QuerySet[Notice]:
    from jiangxin.platform.rounds.services import managed_programs

    qs = Notice.objects.select_related("round", "round__program", "round__organiser")
    if not getattr(user, "is_authenticated", False) or user.role not in OFFICE_ROLES:
        return qs.none()
    return qs.filter(round__program__in=managed_programs(user))


def public_notices(today: dt.date | None = None) -> QuerySet[Notice]:
    """Notices anyone may read: every notice already published."""
    today = today or timezone.localdate()
    return Notice.objects.select_related("round", "round__program").filter(published__lte=today)


def _require(user: Any, rnd: Round) -> None:
    if not can_run(user, rnd):
        raise PermissionDenied("only the program's office runs its publicity")


# ---- the window -----------------------------------------------------------------------------------------

def publicity_computation(program_key: str) -> Any:
    from jiangxin.policy.registry import COMPUTATIONS, all_computations

    all_computations()
    return COMPUTATIONS.get((program_key, "publicity_window"))


def compute_window(rnd: Round, start: dt.date) -> dict[str, Any]:
    """The program's ``publicity_window`` Outcome as JSON, for a notice published on ``start``."""
    comp = publicity_computation(rnd.program.key)
    if comp is None:
        raise PublicityError(f"“{rnd.program.title}”的政策文件没有规定公示期，本系统不能为其计算公示期。",
                             field="start")
    key = "publicity_start" if "publicity_start" in comp.facts.model_fields else "start"
    try:
        outcome = comp.run({"as_of": start.isoformat(), key: start.isoformat()},
                           rnd.office_parameters or None, rnd.notice_reference)
    except CalendarYearUnknownError as exc:
        raise PublicityError(
            f"系统尚未载入{exc.year}年国务院办公厅节假日安排（工作日日历），无法按工作日计算公示期。"
            f"请先由系统管理员在“工作日日历”中录入{exc.year}年的日历，或改选其他发布日期。", field="start",
            calendar_year=exc.year) from None
    except FactsError as exc:
        raise PublicityError("公示期计算的输入有误：" + "；".join(f"{f}：{e}" for f, e in exc.problems),
                             field="start") from None
    except PolicyError as exc:
        raise PublicityError(f"无法计算公示期：{exc}", field="start") from None
    data: dict[str, Any] = outcome.to_dict()
    return data


def _uses_working_days(outcome: dict[str, Any]) -> bool:
    for step in outcome.get("trace", []):
        for value in (step.get("parameters") or {}).values():
            if isinstance(value, dict) and value.get("unit") == "working_days":
                return True
    return False


def _entry_fields(app: Application) -> dict[str, Any]:
    person = app.applicant_person
    if app.kind == "individual" and person is not None:
        unit = person.employer.name if person.employer is not None else (app.applicant_org.name if app.applicant_org else "")
        return {"display_name": person.name, "unit": unit, "masked_id": person.id_mask,
                "extra": {"occupation": person.skill_occupation} if person.skill_occupation else {}}
    return {"display_name": app.title, "unit": app.applicant_org.name if app.applicant_org else "",
            "masked_id": "", "extra": {}}


@transition("publicity.open_notice", title=gettext_lazy("发布公示"), record="publicity.Notice", field="published",
            sources=("*",), target="", roles=OFFICE_ROLES,
            guard="<program>/publicity_window；policy.workflow.round_at_stage；案卷须在公示环节",
            citation="各项目公示条款（南昌工匠学院办法 第十九条（三）、南昌创新工作室办法 第七条、赣州工匠办法 第七条（四））；"
                     "I-PUB-08")
def open_notice(rnd: Round, applications: Iterable[Application], *, start: dt.date, actor: Any,
                stage_key: str = "", title: str = "", reference: str = "", intro: str = "",
                today: dt.date | None = None) -> Notice:
    """Publish a notice for ``applications`` from ``start``; the window comes from the program's rules.

    Only cases waiting at the publicity stage go on a notice, and only when the whole round has reached it
    (I-PUB-08, I-WF-05); the publication date is not before the day the notice is entered (``today``)."""
    _require(actor, rnd)
    today = today or timezone.localdate()
    apps = list(applications)
    if not apps:
        raise PublicityError(_("请至少选择一项拟公示的申报。"), field="applications")
    for app in apps:
        if app.round_id != rnd.pk:
            raise PublicityError(_("“%(t)s”不属于本批次。") % {"t": app.title}, field="applications")
        if app.status in NOT_PUBLISHABLE:
            raise PublicityError(_("“%(t)s”当前状态为“%(s)s”，不能公示。") % {
                "t": app.title, "s": app.get_status_display()}, field="applications")
    # which stage the cases must be at to go on a notice, and that they all are: answered by the review app
    stage = answers.ask("publicity.publishable_stage", rnd, apps, stage_key)
    stage_key = stage.key
    if start < today:
        raise PublicityError(_("公示发布日期（%(start)s）早于今天（%(today)s）：公示期自发布之日起计算，不能倒签。") % {
            "start": chinese_date(start), "today": chinese_date(today)}, field="start",
            citations=[stage.citation.label, "匠心解释口径 I-PUB-08"])
    outcome = compute_window(rnd, start)
    value = outcome["value"]
    with transaction.atomic():
        notice = Notice.objects.create(
            round=rnd, stage_key=stage_key or "publicity", title=title or f"{rnd.title}拟命名名单公示",
            reference=reference, issuing_body=rnd.organiser.name, intro=intro, published=start,
            window_start=dt.date.fromisoformat(value["start"]), window_end=dt.date.fromisoformat(value["end"]),
            working_days=_uses_working_days(outcome), outcome=outcome, created_by=actor)
        NoticeEntry.objects.bulk_create([NoticeEntry(notice=notice, application=app, position=i, **_entry_fields(app))
                                         for i, app in enumerate(apps, start=1)])
        record("publicity.notice.open", notice, actor=actor,
               summary=f"发布公示：{notice.title}（{notice.window_start}至{notice.window_end}）",
               after={**snapshot(notice, exclude=("outcome",)), "applications": [a.pk for a in apps]})
        notify([a.applicant_user for a in apps], title=f"您的申报已进入公示：{notice.title}",
               body=f"公示期 {notice.window_start:%Y-%m-%d} 至 {notice.window_end:%Y-%m-%d}。",
               url=f"/public/notices/{notice.pk}/", kind="info")
    return notice


# ---- objections -----------------------------------------------------------------------------------------

def address_hash(address: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), (address or "").encode(), hashlib.sha256).hexdigest()


def objection_limit() -> int:
    return int(getattr(settings, "JIANGXIN_OBJECTION_LIMIT", DEFAULT_OBJECTION_LIMIT))


def rate_limited(address: str, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    recent = Objection.objects.filter(address_hash=address_hash(address),
                                      submitted_at__gte=now - dt.timedelta(hours=1)).count()
    return recent >= objection_limit()


@transition("publicity.submit_objection", title=gettext_lazy("提交公示异议"), record="publicity.Objection",
            sources=("*",), target="received", roles=(), guard="公示期内受理（I-PUB-02）；频率限制（I-PUB-04）",
            citation="各项目公示条款；I-PUB-01、I-PUB-02")
def submit_objection(notice: Notice, *, entry: NoticeEntry, anonymous: bool, name: str, contact: str,
                     content: str, address: str, now: dt.datetime | None = None) -> Objection:
    """A member of the public objects to an entry (no login). All or nothing."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    if entry.notice_id != notice.pk:
        raise PublicityError("所选公示对象不属于本公示。", field="entry")
    if not notice.is_open_on(today) and today < notice.window_end:
        raise PublicityError("公示尚未开始，暂不受理异议。")
    if today > notice.window_end:
        raise PublicityError(f"公示期已于{chinese_date(notice.window_end)}结束，不再受理异议。")
    name, contact, content = (name or "").strip(), (contact or "").strip(), (content or "").strip()
    if not anonymous and not name:
        raise PublicityError("实名反映须填写姓名；不愿留名的请选择“匿名反映”。", field="name")
    if not contact:
        raise PublicityError("请填写联系方式，以便核实和反馈。", field="contact")
    if not content:
        raise PublicityError("请填写异议内容。", field="content")
    if rate_limited(address, now):
        raise PublicityError("提交过于频繁，请一小时后再试。")
    with transaction.atomic():
        objection = Objection.objects.create(
            notice=notice, entry=entry, anonymous=anonymous, name="" if anonymous else name, contact=contact,
            content=content, submitted_at=now, address_hash=address_hash(address))
        # the audit log keeps who the objection is about, never the sender's name or contact
        record("publicity.objection.submit", objection, actor=None,
               summary=f"收到公示异议 {objection.receipt}：{entry.display_name}",
               after={"notice": notice.pk, "entry": entry.pk, "anonymous": anonymous, "status": objection.status})
        notify_roles(notice.round.organiser, OFFICE_ROLES, title=f"收到公示异议：{entry.display_name}",
                     body=f"受理编号 {objection.receipt}，请核实。", url=f"/publicity/{notice.pk}/", kind="action")
    return objection


TRANSITIONS: dict[str, tuple[str, ...]] = {
    ObjectionStatus.RECEIVED: (ObjectionStatus.VERIFYING, ObjectionStatus.UPHELD, ObjectionStatus.DISMISSED),
    ObjectionStatus.VERIFYING: (ObjectionStatus.UPHELD, ObjectionStatus.DISMISSED),
}


@transition("publicity.verify_objection", title=gettext_lazy("核实公示异议"), record="publicity.Objection",
            sources=("received", "verifying"), target="", roles=OFFICE_ROLES, audit=False,
            guard="异议核实结论；属实 → review.disqualify", citation="各项目公示条款；I-PUB-03")
def verify_objection(objection: Objection, *, actor: Any, status: str, note: str) -> Objection:
    """Record the office's verification; upheld → the application is disqualified through review."""
    notice = objection.notice
    _require(actor, notice.round)
    note = (note or "").strip()
    if status not in TRANSITIONS.get(objection.status, ()):
        raise PublicityError(f"异议当前状态为“{objection.get_status_display()}”，不能改为该状态。", field="status")
    if status in (ObjectionStatus.UPHELD, ObjectionStatus.DISMISSED) and not note:
        raise PublicityError("请填写核实情况。", field="note")
    with transaction.atomic():
        locked = Objection.objects.select_for_update().get(pk=objection.pk)
        if locked.status != objection.status:
            raise PublicityError("该异议已被其他人处理，请刷新页面。")
        before = snapshot(locked, fields=["status", "verification_note", "decided_by", "decided_at"])
        locked.status = status
        locked.verification_note = note
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "verification_note", "decided_by", "decided_at"])
        record("publicity.objection.verify", locked, actor=actor,
               summary=f"核实公示异议 {locked.receipt}：{locked.get_status_display()}", before=before,
               after=snapshot(locked, fields=["status", "verification_note", "decided_by", "decided_at"]))
        if status == ObjectionStatus.UPHELD:
            app = locked.entry.application
            # an upheld objection disqualifies the application in the review chain (answered by the review app)
            answers.ask("publicity.disqualify", app, reason=f"公示异议经核实属实（受理编号 {locked.receipt}）：{note}",
                        citation=notice.citation_label, actor=actor)
            notify([app.applicant_user], title=f"公示异议经核实属实：{app.title}",
                   body=note, url=f"/applications/{app.pk}/", kind="result")
    objection.refresh_from_db()
    return objection


# ---- clearance and the naming deadline -----------------------------------------------------------------

@dataclasses.dataclass(frozen=True, slots=True)
class Clearance:
    clear: bool
    reasons: list[str]
    window_end: dt.date | None


def clearance(application: Application, today: dt.date | None = None) -> Clearance:
    """May the application be named? Only after its latest notice closed with every objection settled."""
    today = today or timezone.localdate()
    entry = (NoticeEntry.objects.filter(application=application).select_related("notice")
             .order_by("-notice__published", "-notice_id").first())
    if entry is None:
        return Clearance(False, ["尚未公示"], None)
    notice = entry.notice
    reasons: list[str] = []
    if today <= notice.window_end:
        reasons.append(f"公示期未结束（截至{chinese_date(notice.window_end)}）")
    objections = list(Objection.objects.filter(entry__application=application, notice=notice))
    pending = [o for o in objections if o.status in PENDING]
    if pending:
        reasons.append(f"有{len(pending)}条异议尚未核实完毕")
    upheld = [o for o in objections if o.status == ObjectionStatus.UPHELD]
    if upheld:
        reasons.append("异议经核实属实，已取消资格（受理编号 " + "、".join(o.receipt for o in upheld) + "）")
    return Clearance(not reasons, reasons, notice.window_end)


@dataclasses.dataclass(frozen=True, slots=True)
class NamingCheck:
    deadline: dt.date | None
    planned: dt.date | None
    warning: str
    outcome: dict[str, Any] | None
    calendar_year: int | None = None  # the working-day calendar year that is missing, when that stops the check


def naming_check(rnd: Round, planned: dt.date | None = None, notices: Sequence[Notice] | None = None) -> NamingCheck:
    """Would naming on ``planned`` (default: the day after the round's last publicity window) miss the
    program's naming deadline (31 December)? Uses the program's ``naming_deadline`` computation."""
    from jiangxin.policy.registry import COMPUTATIONS, all_computations

    all_computations()
    comp = COMPUTATIONS.get((rnd.program.key, "naming_deadline"))
    if comp is None:
        return NamingCheck(None, planned, "", None)
    rows = list(notices) if notices is not None else list(rnd.notices.all())
    publicity_end = max((n.window_end for n in rows), default=None)
    if planned is None and publicity_end is not None:
        planned = publicity_end + dt.timedelta(days=1)
    raw = {"as_of": (planned or timezone.localdate()).isoformat(), "round_year": rnd.year,
           "planned_naming_date": planned.isoformat() if planned else None,
           "publicity_end": publicity_end.isoformat() if publicity_end else None}
    try:
        outcome = comp.run(raw, rnd.office_parameters or None, rnd.notice_reference)
    except CalendarYearUnknownError as exc:
        return NamingCheck(None, planned, "", None, calendar_year=exc.year)  # the page says so, with a link
    except PolicyError as exc:
        return NamingCheck(None, planned, f"无法检查命名期限：{exc}", None)
    data: dict[str, Any] = outcome.to_dict()
    deadline = dt.date.fromisoformat(data["value"]["deadline"])
    warning = ""
    if data["value"].get("meets_deadline") is False and planned is not None:
        warning = (f"按当前安排最早于{chinese_date(planned)}命名，将晚于{chinese_date(deadline)}的命名期限"
                   f"（{comp.citation.label}），请提前安排。")
    inside = inside_publicity(data)
    if inside and planned is not None and publicity_end is not None:
        warning = " ".join(filter(None, [warning, _(
            "计划命名日期%(planned)s在公示期内（公示截至%(end)s），公示期满且异议处理完毕后方可命名（%(cite)s；"
            "匠心解释口径 I-PUB-09）。") % {"planned": chinese_date(planned), "end": chinese_date(publicity_end),
                                     "cite": inside}]))
    return NamingCheck(deadline, planned, warning, data)


def inside_publicity(outcome: dict[str, Any] | None) -> str:
    """The article cited when a ``naming_deadline`` outcome found the planned date not after the publicity
    (its ``after_publicity`` rule failed); "" otherwise."""
    for failure in (outcome or {}).get("failures", []):
        if failure.get("rule") == "after_publicity":
            return str((failure.get("citation") or {}).get("label", ""))
    return ""
