"""Demo of signed, verifiable documents: a test CA with one certificate per issuing office (under var/signing/,
never committed), and two 赣州工匠 certificates — one valid, one whose title was later revoked under 第十二条 —
both listed in the public directory with a link to their verify page. Running it twice changes nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.db import transaction

from jiangxin.platform.accounts.models import User
from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.documents import test_ca
from jiangxin.platform.documents.issued import IssuedDocument
from jiangxin.platform.documents.signing import office_stem, signing_settings
from jiangxin.policy.outcome import cite

DEMO_BASE_URL = "http://127.0.0.1:8000"


def ensure_office_certificates(directory: Path | None = None) -> Path:
    """The demo root and a signing certificate for every office that issues documents; returns the root's path."""
    from jiangxin.platform.orgs.models import Organisation

    directory = directory or Path(signing_settings()["key_dir"])
    root = test_ca.ensure_ca(directory)
    offices = Organisation.objects.filter(users__role__in=(Role.OFFICE, Role.PARK_OFFICE)).distinct()
    for office in offices:
        test_ca.ensure_office(directory, office_stem(office), office.name)
    return root


def load_documents_demo(say: Any = None) -> list[IssuedDocument]:
    from jiangxin.platform.designations.models import Designation, DesignationStatus
    from jiangxin.platform.designations.services import designate, set_status
    from jiangxin.platform.documents.pdf import FontMissing, font_path
    from jiangxin.platform.documents.transitions import issue

    say = say or (lambda text: None)
    try:
        font_path()
    except FontMissing as exc:
        say(f"未生成签名文书演示：{exc}\n")
        return []
    root = ensure_office_certificates()
    say(f"签名证书（演示根证书 {root}）已就绪。\n")
    if IssuedDocument.objects.filter(program="ganzhou_craftsman").exists():
        say("签名文书演示数据已存在，未做任何改动。\n")
        return []
    office = User.objects.filter(username="demo_office_gz").first()
    first, second = (User.objects.filter(username=u).first() for u in ("demo_individual_gz", "demo_individual_gz2"))
    if office is None or first is None or first.person is None or second is None or second.person is None:
        return []
    made: list[IssuedDocument] = []
    with transaction.atomic():
        valid = Designation.objects.filter(program="ganzhou_craftsman", holder_person=first.person).first()
        if valid is not None and valid.is_live:
            made.append(issue("designation", valid.pk, "certificate", actor=office, on=valid.designated_on,
                              base_url=DEMO_BASE_URL))
        person = second.person
        revoked = Designation.objects.filter(program="ganzhou_craftsman", holder_person=person).first()
        if revoked is None:
            revoked = designate(program="ganzhou_craftsman", name=f"赣州工匠 {person.name}", on=dt.date(2025, 12, 20),
                                actor=office, holder_person=person, scope_org=second.organisation,
                                leader_person=person, reason="确定为赣州工匠（演示）")
        if revoked.is_live:
            made.append(issue("designation", revoked.pk, "certificate", actor=office, on=revoked.designated_on,
                              base_url=DEMO_BASE_URL))
            set_status(revoked, DesignationStatus.REVOKED, reason="经核实以弄虚作假方式获得称号，撤销称号并收回证书（演示）",
                       citation=cite("ganzhou_craftsman", "第十二条").label, actor=office, on=dt.date(2026, 9, 1))
        made += _other_programs()
    say(f"签名文书：{len(made)} 份（含赣州工匠证书有效、已撤销各 1 份）\n")
    from jiangxin.platform.documents.transitions import verify_path

    for doc in made:
        say(f"  公开查验：{verify_path(doc.number)}（{doc.title}）\n")
    return made


def _other_programs() -> list[IssuedDocument]:
    """One document of each other kind the demo has a record for (skipped where a guard refuses)."""
    from jiangxin.platform.core.transitions import TransitionRefused
    from jiangxin.platform.cultivation.models import Enrolment
    from jiangxin.platform.designations.models import LIVE, Designation
    from jiangxin.platform.documents.transitions import issue
    from jiangxin.platform.park.models import Residency, ResidencyStatus

    wanted: list[tuple[str, str, Any, str]] = []
    academy = Designation.objects.filter(program="nanchang_academy", status__in=LIVE).order_by("pk").first()
    if academy is not None:
        wanted.append(("designation", "naming_certificate", academy, "demo_office_nc"))
    residency = Residency.objects.filter(status=ResidencyStatus.ACTIVE).order_by("pk").first()
    if residency is not None:
        wanted.append(("residency", "residency_agreement", residency, "demo_park_zj"))
    enrolment = Enrolment.objects.filter(passed=True).order_by("pk").first()
    if enrolment is not None:
        wanted.append(("enrolment", "qualification_certificate", enrolment, "demo_office_js"))
    made = []
    for source, doc_type, obj, username in wanted:
        actor = User.objects.filter(username=username).first()
        if actor is None:
            continue
        try:
            made.append(issue(source, obj.pk, doc_type, actor=actor, base_url=DEMO_BASE_URL))
        except TransitionRefused:
            continue
    return made
