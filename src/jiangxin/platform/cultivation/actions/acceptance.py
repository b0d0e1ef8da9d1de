"""The acceptance of a training unit (江苏卓越技师办法 第二十二条, 附件4): the rubric score and the trainees'
certificates.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from jiangxin.platform.audit.service import record, snapshot
from jiangxin.platform.cultivation import guards
from jiangxin.platform.cultivation.access import CultivationError
from jiangxin.platform.cultivation.common_results import (
    _citation,
    _person_users,
    _require_office,
    _run,
    _unit_users,
)
from jiangxin.platform.cultivation.models import (
    CultivationYear,
    Enrolment,
    EnrolmentStatus,
    UnitAcceptance,
    UnitGrading,
)
from jiangxin.platform.cultivation.selectors.results import _funding_facts, posted_entries, rubric_items
from jiangxin.platform.cultivation.transitions import action
from jiangxin.platform.notifications.services import notify
from jiangxin.platform.orgs.models import Organisation


def certificate_number(enrolment: Enrolment) -> str:
    return f"JSZYJS-{enrolment.year.year}-{enrolment.pk:06d}"


@action("cultivation.assess_unit")
def assess_unit(actor: Any, year: CultivationYear, unit: Organisation, *, item_scores: Mapping[str, Any],
                finance_bureau: str, provincial_assessor: str = "", city_assessor: str = "") -> UnitAcceptance:
    """省级考核验收 (第二十二条, 附件4): score the 20 items, take the passing counts from the unit's grading,
    work out the funding and number the certificates of those who pass. Re-assessing is possible until the
    funding is posted."""
    _require_office(actor)
    grading = UnitGrading.objects.filter(year=year, training_unit=unit).first()
    if grading is None:
        raise CultivationError(gettext("该承训单位尚未完成培育对象评定，不能验收。"), citations=[guards.cite("第二十条"),
                                                                                    guards.cite("第二十二条")])
    if not finance_bureau.strip():
        raise CultivationError(gettext("请填写承训单位所在地财政部门。"))
    acceptance = UnitAcceptance.objects.filter(year=year, training_unit=unit).first()
    if acceptance is not None and posted_entries(year, unit).exists():
        raise CultivationError(gettext("经费已核拨，验收结果不能再修改。"), citations=[guards.cite("第二十二条")])
    keys = [i["key"] for i in rubric_items()]
    missing = [i["title"] for i in rubric_items() if item_scores.get(i["key"]) in (None, "")]
    if missing:
        raise CultivationError(f"请逐项评分（未评：{'、'.join(missing)}）。")
    scores = {k: str(item_scores[k]) for k in keys}
    outcome = _run("unit_acceptance_score", {"as_of": timezone.localdate().isoformat(), **scores})
    passing_ids = {int(k[1:]) for k, row in grading.outcome["value"]["trainees"].items() if row["passing"]}
    graded = list(Enrolment.objects.filter(year=year, major__training_unit=unit, status=EnrolmentStatus.GRADED))
    passing = [e for e in graded if e.pk in passing_ids]
    by_track = {"A": sum(1 for e in passing if e.track == "A"), "B": sum(1 for e in passing if e.track == "B")}
    funding = _run("funding", _funding_facts(unit, finance_bureau.strip(), year.year,
                                             [(year.year, t, n) for t, n in by_track.items()]))
    with transaction.atomic():
        before = snapshot(acceptance) if acceptance else None
        if acceptance is None:
            acceptance = UnitAcceptance(year=year, training_unit=unit)
        acceptance.item_scores = scores
        acceptance.outcome = outcome
        acceptance.total = Decimal(str(outcome["value"]["total"]))
        acceptance.passing_a, acceptance.passing_b = by_track["A"], by_track["B"]
        acceptance.finance_bureau = finance_bureau.strip()
        acceptance.funding_outcome = funding
        acceptance.provincial_assessor, acceptance.city_assessor = provincial_assessor, city_assessor
        acceptance.assessed_by, acceptance.assessed_at = actor, timezone.now()
        acceptance.save()
        for e in graded:
            e.passed = e.pk in passing_ids
            e.certificate_no = certificate_number(e) if e.passed else ""
            e.save(update_fields=["passed", "certificate_no"])
        record("cultivation.acceptance", acceptance, actor=actor,
               summary=f"{unit.name} {year.year}学年验收：{acceptance.total}分，合格A类{by_track['A']}人、"
                       f"B类{by_track['B']}人", before=before, after=snapshot(acceptance))
        url = reverse("cultivation:results_acceptance", args=[unit.pk])
        notify(_unit_users(unit), title=f"{year.year}学年省级考核验收结果：{acceptance.total}分",
               body=_citation(outcome), url=url)
        for e in passing:
            notify(_person_users(e.person), title=f"{year.year}学年验收合格，可下载合格证书",
                   body=_citation(outcome), url=reverse("cultivation:results_mine"))
    return acceptance
