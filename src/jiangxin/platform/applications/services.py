"""Every state change of an application: checked, written and audited in one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy

from jiangxin.platform.accounts.roles import APPLICANT_ROLES, Role
from jiangxin.platform.applications.details import DetailsForm
from jiangxin.platform.applications.models import ACTIVE, EDITABLE, Application, Evidence, Status
from jiangxin.platform.applications.prefill import prefill_details, prefill_facts
from jiangxin.platform.applications.uploads import check_upload
from jiangxin.platform.audit.service import record
from jiangxin.platform.core import answers
from jiangxin.platform.core.transitions import TransitionRefused, transition
from jiangxin.platform.orgs.scope import scope
from jiangxin.platform.rounds.catalog import PROGRAM_INFO, condition_choices
from jiangxin.platform.rounds.models import Round, RoundStatus
from jiangxin.policy.errors import CalendarYearUnknownError, FactsError, PolicyError


class ApplicationError(TransitionRefused):
    """A refused change, with a message for the user (Chinese). ``problems`` lists bad facts if any."""

    def __init__(self, message: str, problems: list[tuple[str, str]] | None = None, citations: Sequence[str] = ()):
        super().__init__(message, citations=citations)
        self.problems = problems or []


APPLICANTS = tuple(str(r) for r in (Role.UNIT, Role.INDIVIDUAL, Role.TRAINING_UNIT, Role.TRAINEE))


# ---- reading ------------------------------------------------------------------------------------------

def visible_applications(user: Any) -> QuerySet[Application]:
    """Applications the user may see: applicants their own (drafts included); staff their subtree's
    applications once submitted (a draft is the applicant's own business)."""
    qs = scope(Application.objects.select_related("round", "round__program", "applicant_org",
                                                  "applicant_person", "applicant_user"),
               user, org_field="applicant_org", owner_field="applicant_user")
    if getattr(user, "role", "") not in APPLICANT_ROLES:
        qs = qs.exclude(status=Status.DRAFT)
    return qs


def is_owner(user: Any, app: Application) -> bool:
    if getattr(user, "role", "") not in APPLICANT_ROLES:
        return False
    if app.applicant_user_id == user.pk:
        return True
    return (app.kind == "unit" and user.role in (Role.UNIT, Role.TRAINING_UNIT)
            and app.applicant_org_id is not None and app.applicant_org_id == getattr(user, "organisation_id", None))


def eligibility_computation(program_key: str) -> Any:
    """The registry computation deciding eligibility for the program, or None when none is registered."""
    from jiangxin.policy.registry import COMPUTATIONS, all_computations

    all_computations()
    for name in PROGRAM_INFO[program_key].eligibility:
        if (program_key, name) in COMPUTATIONS:
            return COMPUTATIONS[(program_key, name)]
    return None


def facts_date(rnd: Round) -> dt.date:
    """The date eligibility is judged on: the round's closing day (the same for every applicant)."""
    return rnd.closes


def run_eligibility(rnd: Round, facts: dict[str, Any]) -> dict[str, Any]:
    """Run the program's eligibility computation on the facts (with the round's office parameters).

    Returns {"available": bool, "ok": bool, "status", "outcome", "problems"}; never raises for bad facts."""
    comp = eligibility_computation(rnd.program.key)
    if comp is None:
        return {"available": False, "ok": True, "status": "", "outcome": None, "problems": []}
    raw = {**facts, "as_of": facts_date(rnd).isoformat()}
    try:
        outcome = comp.run(raw, rnd.office_parameters or None, rnd.notice_reference)
    except FactsError as exc:
        return {"available": True, "ok": False, "status": "incomplete", "outcome": None,
                "problems": [(f, e) for f, e in exc.problems]}
    except CalendarYearUnknownError:
        raise  # the page says plainly which calendar year is missing (workcalendar middleware)
    except PolicyError as exc:
        return {"available": True, "ok": False, "status": "error", "outcome": None,
                "problems": [("(input)", str(exc))]}
    data = outcome.to_dict()
    data["computation"] = f"{comp.program.key}/{comp.name}"
    data["citation"] = comp.citation.to_dict()
    return {"available": True, "ok": data["status"] in ("eligible", "ok", "passed") and not data["failures"],
            "status": data["status"], "outcome": data, "problems": []}


# what a draft may leave open: a value not yet given (a required field, an empty list or text)
_INCOMPLETE = ("required field is missing", "List should have at least", "Dictionary should have at least",
               "String should have at least")


def impossible_facts(rnd: Round, facts: dict[str, Any]) -> list[tuple[str, str]]:
    """The facts of a draft that no application could have: the problems the policy core's fact schema finds
    (the same validation submission runs, its declared bounds), less what is merely missing and less the
    cross-field checks, which the core runs on complete facts only (submission still reports those)."""
    from jiangxin.policy.facts import parse_facts

    comp = eligibility_computation(rnd.program.key)
    if comp is None:
        return []
    try:
        parse_facts(comp.facts, {**facts, "as_of": facts_date(rnd).isoformat()})
    except FactsError as exc:
        return [(field, expected) for field, expected in exc.problems
                if field != "(input)" and not expected.startswith(_INCOMPLETE)]
    return []


# ---- applicant actions ----------------------------------------------------------------------------------

def _require_open(rnd: Round) -> None:
    if rnd.status != RoundStatus.OPEN:
        raise ApplicationError("该批次未开放申报。")
    if timezone.localdate() > rnd.closes:
        raise ApplicationError(f"该批次已于 {rnd.closes:%Y年%m月%d日} 截止申报。")


def can_apply(user: Any, rnd: Round) -> bool:
    return getattr(user, "role", "") in PROGRAM_INFO[rnd.program.key].applicant_roles


def create_application(user: Any, rnd: Round, title: str = "") -> Application:
    if not can_apply(user, rnd):
        raise ApplicationError("您的账号角色不能申报该项目。")
    _require_open(rnd)
    kind = PROGRAM_INFO[rnd.program.key].applicant
    org = getattr(user, "organisation", None)
    person = getattr(user, "person", None)
    if kind == "unit" and org is None:
        raise ApplicationError("单位申报须使用已关联单位的账号。")
    if kind == "individual" and person is None:
        raise ApplicationError("个人申报须先在人员库中关联本人档案。")
    existing = Application.objects.filter(round=rnd, status__in=ACTIVE)
    existing = existing.filter(applicant_org=org) if kind == "unit" else existing.filter(applicant_user=user)
    if existing.exists():
        raise ApplicationError("您在该批次已有一份申报，请勿重复申报。")
    if not title:
        title = f"{rnd.title} — {org.name if kind == 'unit' and org else getattr(person, 'name', user)}"
    comp = eligibility_computation(rnd.program.key)
    who = person if kind == "individual" else None
    facts = prefill_facts(comp.facts, year=rnd.year, person=who, org=org) if comp is not None else {}
    details = prefill_details(rnd.program.key, person=who, org=org)
    try:
        with transaction.atomic():
            app = Application.objects.create(round=rnd, kind=kind, title=title[:200], applicant_org=org,
                                             applicant_person=who, applicant_user=user, facts=facts,
                                             details=details)
            record("application.create", app, actor=user, summary=f"新建申报 {app.title}",
                   after={"round": rnd.pk, "kind": kind})
    except IntegrityError:
        raise ApplicationError("您在该批次已有一份申报，请勿重复申报。") from None
    return app


def _require_editable(user: Any, app: Application) -> None:
    if not is_owner(user, app):
        raise ApplicationError("只有申报人本人可以修改该申报。")
    if app.status not in EDITABLE:
        raise ApplicationError(f"申报当前状态为“{app.get_status_display()}”，已提交的申报不能修改；"
                               "如需修改请先撤回或等待退回。")


def save_draft(user: Any, app: Application, facts: dict[str, Any], details: dict[str, Any] | None = None,
               title: str | None = None) -> Application:
    with transaction.atomic():
        app = Application.objects.select_for_update().get(pk=app.pk)
        _require_editable(user, app)
        impossible = impossible_facts(app.round, facts)
        if impossible:
            raise ApplicationError("草稿未保存：有填写内容超出政策规定的范围，请按提示修改。", impossible)
        before = {"facts": app.facts, "details": app.details}
        app.facts = facts
        if details is not None:
            app.details = details
        if title:
            app.title = title[:200]
        result = run_eligibility(app.round, facts)
        app.eligibility = result["outcome"]
        app.eligibility_status = result["status"]
        app.eligibility_checked_at = timezone.now()
        app.save()
        record("application.save_draft", app, actor=user, summary=f"保存申报草稿 {app.title}", before=before,
               after={"facts": app.facts, "details": app.details})
    return app


def submit(user: Any, app: Application) -> Application:
    """Submit: facts complete, eligibility passed, round open; twice → a friendly refusal, nothing doubled."""
    return submit_application(app, actor=user)


@transition("applications.submit", title=gettext_lazy("提交申报"), record="applications.Application",
            sources=(Status.DRAFT, Status.RETURNED, Status.SUBMITTED, Status.RECOMMENDED, Status.REJECTED),
            target=Status.SUBMITTED, roles=APPLICANTS, audit=False,
            guard="<program>/eligibility（资格审查）；申报表完整；批次开放或在退回修改期限内；禁止申报名单",
            citation="各项目申报条件条款（如南昌创新工作室办法 第二条、第七条）")
def submit_application(app: Application, *, actor: Any) -> Application:
    """Only a draft or a returned application is actually submitted; the other listed states get the friendly
    "already submitted" refusal (the service checks the state itself)."""
    user = actor
    with transaction.atomic():
        app = Application.objects.select_for_update().select_related("round", "round__program").get(pk=app.pk)
        if not is_owner(user, app):
            raise ApplicationError("只有申报人本人可以提交该申报。")
        if app.status in (Status.SUBMITTED, Status.RECOMMENDED, Status.REJECTED):
            raise ApplicationError("该申报已经提交，无需重复提交。")
        if app.status not in EDITABLE:
            raise ApplicationError(f"申报当前状态为“{app.get_status_display()}”，不能提交。")
        if app.status == Status.RETURNED:
            _require_within_return_deadline(app)  # a returned application may come back after the round closed
        else:
            _require_open(app.round)
        # the bars to applying in force (bans, an earlier revocation): answered by the review app
        bans = answers.ask("applications.submission_bars", app)
        if bans:
            raise ApplicationError("；".join(bans))
        missing = DetailsForm(app.round.program.key).missing(app.details or {})
        if missing:
            raise ApplicationError("申报表尚未填写完整：" + "、".join(missing) + "。")
        result = run_eligibility(app.round, app.facts)
        if result["problems"]:
            raise ApplicationError("申报信息不完整或有误，请按提示修改后再提交。", result["problems"])
        if not result["ok"]:
            raise ApplicationError("资格审查未通过，请对照未满足的条件修改后再提交。")
        before = {"status": app.status}
        app.eligibility = result["outcome"]
        app.eligibility_status = result["status"]
        app.eligibility_checked_at = timezone.now()
        app.status = Status.SUBMITTED
        app.submitted_at = timezone.now()
        app.status_note = ""
        app.save()
        record("application.submit", app, actor=user, summary=f"提交申报 {app.title}", before=before,
               after={"status": app.status, "eligibility_status": app.eligibility_status})
    return app


def _require_within_return_deadline(app: Application) -> None:
    # the date set when the case was returned for revision: answered by the review app
    deadline = answers.ask("applications.return_deadline", app)
    if deadline is not None and timezone.localdate() > deadline:
        raise ApplicationError(f"退回修改的截止日期（{deadline:%Y年%m月%d日}）已过，不能再提交。")


def withdraw(user: Any, app: Application) -> Application:
    return withdraw_application(app, actor=user)


@transition("applications.withdraw", title=gettext_lazy("撤回申报"), record="applications.Application",
            sources=(Status.DRAFT, Status.SUBMITTED, Status.RETURNED), target=Status.WITHDRAWN, roles=APPLICANTS,
            audit=False, guard="申报人本人", citation="申报人撤回申报")
def withdraw_application(app: Application, *, actor: Any) -> Application:
    user = actor
    with transaction.atomic():
        app = Application.objects.select_for_update().get(pk=app.pk)
        if not is_owner(user, app):
            raise ApplicationError("只有申报人本人可以撤回该申报。")
        if app.status not in (Status.DRAFT, Status.SUBMITTED, Status.RETURNED):
            raise ApplicationError(f"申报当前状态为“{app.get_status_display()}”，不能撤回。")
        before = {"status": app.status}
        app.status = Status.WITHDRAWN
        app.save(update_fields=["status", "updated_at"])
        record("application.withdraw", app, actor=user, summary=f"撤回申报 {app.title}", before=before,
               after={"status": app.status})
    return app


# ---- staff actions (the full review workflow is a later issue) ------------------------------------------

def _staff_in_scope(user: Any, app: Application) -> None:
    if getattr(user, "role", "") not in (Role.DISTRICT, Role.OFFICE, Role.PARK_OFFICE):
        raise ApplicationError("只有初审或主管部门人员可以办理。")
    if not visible_applications(user).filter(pk=app.pk).exists():
        raise ApplicationError("该申报不在您的管辖范围内。")


def return_for_changes(user: Any, app: Application, note: str) -> Application:
    return return_application(app, actor=user, note=note)


@transition("applications.return", title=gettext_lazy("退回申报修改"), record="applications.Application",
            sources=(Status.SUBMITTED,), target=Status.RETURNED, roles=("district", "office", "park_office"),
            audit=False, guard="管辖范围内的已提交申报", citation="各项目初审条款")
def return_application(app: Application, *, actor: Any, note: str) -> Application:
    user = actor
    _staff_in_scope(user, app)
    with transaction.atomic():
        app = Application.objects.select_for_update().get(pk=app.pk)
        if app.status != Status.SUBMITTED:
            raise ApplicationError("只能退回已提交的申报。")
        before = {"status": app.status}
        app.status, app.status_note = Status.RETURNED, note[:300]
        app.save(update_fields=["status", "status_note", "updated_at"])
        record("application.return", app, actor=user, summary=f"退回修改 {app.title}：{note}"[:300],
               before=before, after={"status": app.status})
    return app


def record_district_result(user: Any, app: Application, passed: bool, note: str = "") -> Application:
    return district_result(app, actor=user, passed=passed, note=note)


@transition("applications.district_result", title=gettext_lazy("初审结论"), record="applications.Application",
            sources=(Status.SUBMITTED,), target="", roles=("district", "office", "park_office"), audit=False,
            guard="管辖范围内的已提交申报", citation="各项目初审条款")
def district_result(app: Application, *, actor: Any, passed: bool, note: str = "") -> Application:
    user = actor
    _staff_in_scope(user, app)
    with transaction.atomic():
        app = Application.objects.select_for_update().get(pk=app.pk)
        if app.status != Status.SUBMITTED:
            raise ApplicationError("只能对已提交的申报作出初审结论。")
        before = {"status": app.status}
        app.status = Status.RECOMMENDED if passed else Status.REJECTED
        app.status_note = note[:300]
        app.save(update_fields=["status", "status_note", "updated_at"])
        record("application.district_result", app, actor=user, summary=f"初审结论 {app.title}",
               before=before, after={"status": app.status})
    return app


# ---- evidence -----------------------------------------------------------------------------------------

def add_evidence(user: Any, app: Application, uploaded: Any, condition: str, description: str = "") -> Evidence:
    """Check and store an evidence file. Nothing is stored when any check or write fails."""
    _require_editable(user, app)
    if condition not in dict(condition_choices(app.round.program.key)):
        raise ApplicationError("请选择材料对应的条件。")
    file_type, digest = check_upload(uploaded)
    evidence = Evidence(application=app, condition=condition, original_name=str(uploaded.name)[:255],
                        file_type=file_type, size=uploaded.size, sha256=digest, description=description[:200],
                        uploaded_by=user)
    stored_name = ""
    try:
        with transaction.atomic():
            evidence.file.save(uploaded.name, uploaded, save=False)
            stored_name = evidence.file.name
            evidence.save()
            record("evidence.add", evidence, actor=user, summary=f"上传材料 {evidence.original_name}",
                   after={"application": app.pk, "condition": condition, "sha256": digest,
                          "size": evidence.size})
    except Exception:
        if stored_name:
            evidence.file.storage.delete(stored_name)
        raise
    return evidence


def delete_evidence(user: Any, evidence: Evidence) -> None:
    app = evidence.application
    _require_editable(user, app)
    name = evidence.file.name
    with transaction.atomic():
        record("evidence.delete", evidence, actor=user, summary=f"删除材料 {evidence.original_name}",
               before={"application": app.pk, "sha256": evidence.sha256})
        evidence.delete()
        transaction.on_commit(lambda: evidence.file.storage.delete(name))
