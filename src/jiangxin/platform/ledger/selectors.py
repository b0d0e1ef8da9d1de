"""Reading the ledger (no state changes): the entries a user sees, a designation's balance and its
invariants, the year's committed money against its budget, the batches of a user's jurisdiction, a run job's
progress, and what the claim pages show (claimable items, the facts the platform fills in, the award quotas,
a double claim). The yearly run's compute phase and the what-if comparison are ``ledger.run_compute``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet, Sum
from django.utils import timezone

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.ledger import engine
from jiangxin.platform.ledger import progress as live
from jiangxin.platform.ledger.base import ZERO
from jiangxin.platform.ledger.models import (
    Budget,
    ClaimStatus,
    DisbursementBatch,
    EntryKind,
    LedgerEntry,
    RunJob,
    Sanction,
    SanctionKind,
    SubsidyClaim,
)
from jiangxin.platform.orgs.scope import scope
from jiangxin.policy import funding as f
from jiangxin.policy.registry import get_computation


def entries_for(user: Any) -> QuerySet[LedgerEntry]:
    """Entries the user may see (scoped by the designation's organisation)."""
    qs = LedgerEntry.objects.select_related("designation", "batch")
    if getattr(user, "role", "") in (Role.UNIT, Role.TRAINING_UNIT):
        return scope(qs, user, org_field="designation__holder_org")
    return scope(qs, user, org_field="designation__scope_org")


def balance(designation: Any) -> Decimal:
    """Net money of a designation = the sum of its entries."""
    return LedgerEntry.objects.filter(designation=designation).balance()


def paid_by_kind(designation: Any) -> dict[str, Decimal]:
    rows = LedgerEntry.objects.filter(designation=designation).values("kind").annotate(s=Sum("amount"))
    return {r["kind"]: Decimal(r["s"]) for r in rows}


def check_invariants(designation: Any) -> list[str]:
    """Problems with a designation's ledger (empty when sound): tranches never above the plan's total,
    nothing after a revocation, balance = sum of entries."""
    problems: list[str] = []
    entries = list(LedgerEntry.objects.filter(designation=designation).order_by("year", "id"))
    if designation.program in engine.TRANCHE_PROGRAMS:
        planner = engine.Planner(designation.program, engine.program_parameters(designation.program))
        plan = planner.plan(designation.year)
        tranches = sum((e.amount for e in entries if e.kind == EntryKind.TRANCHE), ZERO)
        if tranches > plan.total:
            problems.append(f"tranches {tranches} exceed the total {plan.total}")
    revoked = [s.year for s in Sanction.objects.filter(designation=designation, kind=SanctionKind.REVOCATION)]
    if revoked:
        after = [e for e in entries if e.year > min(revoked) and e.amount > 0]
        if after:
            problems.append(f"{len(after)} payments after the revocation in {min(revoked)}")
    if sum((e.amount for e in entries), ZERO) != balance(designation):
        problems.append("balance differs from the sum of entries")
    return problems


def committed(program: str, year: int) -> Decimal:
    return LedgerEntry.objects.filter(program=program, year=year).balance()


def budget_warning(program: str, year: int, extra: Decimal) -> str:
    """A warning when ``extra`` on top of the year's entries would exceed the budget ("" when fine)."""
    budget = Budget.objects.filter(program=program, year=year).first()
    if budget is None:
        return ""
    used = committed(program, year)
    if used + extra > budget.amount:
        return (f"超出预算：{year}年度预算 {budget.amount} 元，已入账 {used} 元，本次 {extra} 元，"
                f"超出 {used + extra - budget.amount} 元。")
    return ""


def program_bans_on_fraud(program: str) -> bool:
    """Whether the program's tranche machine itself bars reapplication on a fraud finding."""
    return program in engine.TRANCHE_PROGRAMS


def programs_of(user: Any) -> tuple[str, ...]:
    """Programs run in the jurisdiction of the user's organisation (a finance bureau pays only its own)."""
    from jiangxin.platform.rounds.catalog import PROGRAM_INFO

    org = getattr(user, "organisation", None)
    if org is None:
        return ()
    return tuple(key for key, info in PROGRAM_INFO.items() if info.jurisdiction == org.jurisdiction)


def batches_for(user: Any) -> QuerySet[DisbursementBatch]:
    """Batches office and finance staff may see: those of their own jurisdiction's programs."""
    if getattr(user, "role", "") in (Role.OFFICE, Role.FINANCE):
        return DisbursementBatch.objects.filter(program__in=programs_of(user))
    return DisbursementBatch.objects.none()


#: what the polling page says the run is doing
PHASES = {"compute": "计算中", "commit": "写入中"}


def job_progress(job: RunJob) -> dict[str, Any]:
    """The job's progress for its page: live (from ``ledger.progress``) while queued or running, else the row's."""
    out = {"phase": "", "done": job.done, "total": job.total, "percent": job.percent}
    if job.status in (RunJob.Status.QUEUED, RunJob.Status.RUNNING):
        data = live.read("run", job.pk)
        if data is not None:
            out.update(phase=PHASES.get(str(data.get("phase", "")), ""), done=int(data.get("done", 0)),
                       total=int(data.get("total", 0)), percent=live.percent(data, commit=job.commit))
    return out


#: statuses of a claim that still count against a yearly quota or a cap
LIVE_CLAIM_STATUSES = (ClaimStatus.SUBMITTED, ClaimStatus.APPROVED)


def claimable(program: str) -> tuple[str, ...]:
    from jiangxin.platform.rounds.catalog import PROGRAM_INFO, declaration

    # the per-item subsidies the program declares (funding.claims in its platform.yaml)
    return declaration(program).funding.claims if program in PROGRAM_INFO else ()


def claim_as_of(year: int) -> dt.date:
    """The day a claim of ``year`` is priced on: today, or the year's last day for a past year."""
    return min(timezone.localdate(), dt.date(year, 12, 31))


def course_already_granted(designation: Any) -> Decimal:
    """Course subsidy already entered in the ledger for the designation (the 第二十一条（四） cap counts it)."""
    return LedgerEntry.objects.filter(designation=designation, claim__computation="course_subsidy").balance()


def _teacher_lessons(organisation_id: int) -> list[dict[str, Any]]:
    """One lesson row per approved teacher of the academy's pool (hours are the unit's to enter)."""
    from jiangxin.platform.academy.models import Teacher, TeacherStatus
    from jiangxin.programs.nanchang_academy.funding import Honour, Title

    honours = {h.value for h in Honour}
    titles = {t.value for t in Title}
    rows = []
    for t in Teacher.objects.filter(organisation_id=organisation_id, status=TeacherStatus.APPROVED):
        rows.append({"teacher": t.name, "honours": [h for h in t.honour_list if h in honours],
                     "title": t.title if t.title in titles else None})
    return rows


def claim_prefill(designation: Any, computation: str, year: int) -> dict[str, Any]:
    """Facts the platform already knows, so the unit does not type them: upgrades from the academy trainee
    records, lesson rows from the teacher pool, new courses from the course library and the course cap's
    already-granted money from the ledger, the award year."""
    org_id = designation.holder_org_id
    from jiangxin.platform.rounds.catalog import declaration

    academy = "online_academy" in declaration(designation.program).features  # records kept by the online academy
    if computation == "upgrade_subsidy" and org_id and academy:
        from jiangxin.platform.academy.facts import upgrade_subsidy_facts

        facts = upgrade_subsidy_facts(org_id, year)
        return facts if facts["upgrades"] else {}
    if computation == "course_subsidy":
        out: dict[str, Any] = {"already_granted": str(course_already_granted(designation))}
        if org_id:
            from jiangxin.platform.academy.facts import new_course_count

            courses = new_course_count(org_id, year)
            if courses:
                out["offline_courses"] = courses
        return out
    if computation == "teaching_subsidy" and org_id:
        lessons = _teacher_lessons(org_id)
        return {"lessons": lessons} if lessons else {}
    if computation == "innovation_awards":
        return {"year": year}
    return {}


def same_item_claims(claim: SubsidyClaim) -> QuerySet[SubsidyClaim]:
    """The designation's other live claims of the same item and year (the office checks for a double claim)."""
    return SubsidyClaim.objects.filter(designation=claim.designation, computation=claim.computation,
                                       year=claim.year, status__in=LIVE_CLAIM_STATUSES).exclude(pk=claim.pk)


def platform_facts(designation: Any, computation: str, facts: Mapping[str, Any]) -> dict[str, Any]:
    """The facts with what only the platform may state put in: the course cap's already-granted money."""
    out = dict(facts)
    if computation == "course_subsidy":
        out["already_granted"] = str(course_already_granted(designation))
    return out


def _earlier_awards(designation: Any, year: Any, claim: Any = None) -> list[dict[str, Any]]:
    """Awards of the designation's other live claims for the same award year (the quota is yearly)."""
    qs = SubsidyClaim.objects.filter(designation=designation, computation="innovation_awards",
                                     status__in=LIVE_CLAIM_STATUSES).order_by("id")
    if claim is not None and claim.pk:
        qs = qs.exclude(pk=claim.pk)
    return [a for c in qs if str(c.facts.get("year")) == str(year) for a in c.facts.get("awards", [])]


def award_quotas(designation: Any, year: int, claim: Any = None) -> list[dict[str, Any]]:
    """The yearly award quotas with the places the designation's live claims already use (for the pages)."""
    comp = get_computation(designation.program, "innovation_awards")
    params = comp.program.parameters()
    day = claim_as_of(year)
    quotas = params.value("funding_award_quotas", day)
    amounts = params.value("funding_award_amounts", day)
    used: dict[str, int] = defaultdict(int)
    for award in _earlier_awards(designation, year, claim):
        used[str(award.get("category"))] += 1
    rows = [{"category": c, "quota": int(q), "used": used[c], "left": max(int(q) - used[c], 0),
             "amount": Decimal(str(amounts.get(c, 0)))} for c, q in quotas.items()]
    name, members = f.INNOVATION_GROUP
    together = int(params.value("funding_award_innovation_total", day))
    count = sum(used[m] for m in members)
    rows.append({"category": name, "quota": together, "used": count, "left": max(together - count, 0),
                 "amount": None})
    return rows
