"""Bars to applying, checked at submission (南昌工匠学院 第八条/第二十六条, 创新工作室 第十五条, and every
program's 禁止申报 records): active bans of the person or organisation for the program (or all programs),
and for the academy and the studio an earlier revocation of the unit's designation, which bars it for good."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone

from jiangxin.platform.people.models import Ban


def revocation_bar(program: str) -> str:
    """The article barring a holder whose designation was revoked from applying again ("" when the program's
    document has none): ``applicant.revocation_bar`` in its platform.yaml (academy 第二十六条, studio 第十五条)."""
    from jiangxin.platform.rounds.catalog import PROGRAM_INFO, declaration

    bar = declaration(program).revocation_bar if program in PROGRAM_INFO else None
    return bar.label if bar is not None else ""


def submission_bans(application: Any) -> list[str]:
    """Chinese messages, one per bar in force; empty when the application may be submitted."""
    program = application.round.program.key
    today = timezone.localdate()
    person = application.applicant_person
    org = application.applicant_org if application.kind == "unit" else None
    subject = Q()
    if person is not None:
        subject |= Q(person=person)
    if org is not None:
        subject |= Q(organisation=org)
    if not subject:
        return []
    messages: list[str] = []
    seen: set[int] = set()
    for ban in Ban.objects.active_on(today).for_program(program).filter(subject).order_by("start", "id"):
        seen.add(ban.pk)
        until = "永久" if ban.end is None else f"至{ban.end:%Y年%m月%d日}"
        messages.append(f"禁止申报（{until}）：{ban.reason}（{ban.citation_label}）")
    bar = revocation_bar(program)
    if bar and org is not None:
        # a revoked academy or studio may never apply again, whatever its bans say
        from jiangxin.platform.designations.models import Designation, DesignationStatus

        revoked = Designation.objects.filter(program=program, holder_org=org, status=DesignationStatus.REVOKED).exists()
        if not revoked:  # revocations recorded before designations were kept: as a ban on the register
            revoked = any("撤销" in ban.reason or "摘牌" in ban.reason
                          for ban in Ban.objects.for_program(program).filter(organisation=org).exclude(pk__in=seen))
        if revoked:
            messages.append(f"曾被撤销命名并摘牌，不得再次申报（{bar}）")
    return messages
