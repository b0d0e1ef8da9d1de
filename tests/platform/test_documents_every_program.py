"""Every program issues its declared documents as signed PDFs (documents.yaml per program folder), and the demo
(load_demo) shows a valid and a revoked 赣州工匠 certificate on the public verify page; a publicity notice and an
approved payment batch are issued as signed PDFs too, and the guards refuse a revoked academy (第二十四条) and a
batch not yet approved."""

from __future__ import annotations

import datetime as dt
import io
import random
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from pub_helpers import at_publicity
from signed_docs_helpers import needs_font, validate

from jiangxin.platform.documents import catalogue

pytestmark = [pytest.mark.django_db, needs_font]


def test_each_program_declares_its_documents() -> None:
    declared = {p: {e["source"] for e in catalogue.catalogue(p)} for p in catalogue.programs()}
    assert set(declared) == {"ganzhou_craftsman", "jiangsu_technician", "nanchang_academy", "nanchang_studio",
                             "zhenjiang_park"}
    assert all({"notice", "payment_batch"} <= sources for sources in declared.values())
    assert "enrolment" in declared["jiangsu_technician"] and "residency" in declared["zhenjiang_park"]
    assert all(any(e.get("certificate") for e in catalogue.catalogue(p)) for p in declared)


@pytest.fixture
def demo(settings: Any, tmp_path: Path) -> Path:
    settings.JIANGXIN_PDF_SIGNING = {"key_dir": str(tmp_path / "signing")}
    call_command("load_programs", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())
    return tmp_path / "signing" / "ca.cert.pem"


def test_demo_shows_a_valid_and_a_revoked_certificate_and_signs_for_every_program(demo: Path) -> None:
    from jiangxin.platform.accounts.models import User
    from jiangxin.platform.core.transitions import TransitionRefused
    from jiangxin.platform.designations.models import Designation, DesignationStatus
    from jiangxin.platform.documents.issued import IssuedDocument
    from jiangxin.platform.documents.transitions import issue

    gz = list(IssuedDocument.objects.filter(program="ganzhou_craftsman").order_by("number"))
    assert len(gz) == 2
    pages = [Client().get(f"/verify/{d.number}/").content.decode() for d in gz]
    assert 'data-status="valid"' in pages[0]
    assert 'data-status="revoked"' in pages[1] and "第十二条" in pages[1]
    assert "证书查验" in Client().get("/public/directory/").content.decode()

    def user(name: str) -> Any:
        return User.objects.get(username=name)

    studio = Designation.objects.get(program="nanchang_studio")
    issue("designation", studio.pk, "naming_certificate", actor=user("demo_office_nc"))
    park = Designation.objects.get(program="zhenjiang_park", status=DesignationStatus.ACTIVE)
    issue("designation", park.pk, "admission_certificate", actor=user("demo_park_zj"))
    programs = set(IssuedDocument.objects.values_list("program", flat=True))
    assert programs == set(catalogue.programs())
    for doc in IssuedDocument.objects.all():
        assert validate(bytes(doc.pdf), demo).bottom_line, doc.number
        assert 'data-status="valid"' in Client().get(f"/verify/{doc.number}/").content.decode() or doc == gz[1]

    revoked_academy = Designation.objects.get(program="nanchang_academy", status=DesignationStatus.REVOKED)
    with pytest.raises(TransitionRefused) as refused:
        issue("designation", revoked_academy.pk, "naming_certificate", actor=user("demo_office_nc"))
    assert "第二十四条" in str(refused.value)
    assert "签名文书演示数据已存在" in _again()


def test_issuing_panels_on_the_park_cultivation_and_designation_pages(demo: Path) -> None:
    from jiangxin.platform.accounts.models import User
    from jiangxin.platform.core.transitions import TransitionRefused
    from jiangxin.platform.documents.issued import IssuedDocument
    from jiangxin.platform.documents.transitions import issue

    agreement = IssuedDocument.objects.get(source="residency")
    park = Client()
    park.force_login(User.objects.get(username="demo_park_zj"))
    html = park.get(f"/park/{agreement.subject_id}/").content.decode()
    assert "签名文书（PDF）" in html and agreement.number in html

    certificate = IssuedDocument.objects.get(source="enrolment")
    province = Client()
    province.force_login(User.objects.get(username="demo_office_js"))
    enrolment = certificate.subject_id
    from jiangxin.platform.cultivation.models import Enrolment

    e = Enrolment.objects.select_related("major__training_unit", "year").get(pk=enrolment)
    html = province.get(f"/cultivation/results/acceptance/{e.major.training_unit_id}/?year={e.year.year}").content.decode()
    assert certificate.number in html
    with pytest.raises(TransitionRefused):  # the park office is not the issuer of a Jiangsu certificate
        issue("enrolment", enrolment, "qualification_certificate", actor=User.objects.get(username="demo_park_zj"))

    revoked = IssuedDocument.objects.filter(program="ganzhou_craftsman").order_by("number").last()
    office = Client()
    office.force_login(User.objects.get(username="demo_office_gz"))
    html = office.get(f"/designations/{revoked.subject_id}/").content.decode()
    assert revoked.number in html and "公开查验页面已显示为“已撤销”" in html and ">赣州工匠办法 第十二条</cite>）" in html


def _again() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


@pytest.fixture
def notice_world(settings: Any, tmp_path: Path) -> dict[str, Any]:
    from django.utils import timezone

    from jiangxin.platform.accounts.models import User
    from jiangxin.platform.accounts.roles import Role
    from jiangxin.platform.applications.models import Application
    from jiangxin.platform.core.demo_fixtures import resident_id
    from jiangxin.platform.documents.demo import ensure_office_certificates
    from jiangxin.platform.orgs.models import Jurisdiction, Organisation
    from jiangxin.platform.orgs.seed import seed_org_tree
    from jiangxin.platform.people.services import register_person
    from jiangxin.platform.publicity.services import open_notice
    from jiangxin.platform.rounds import services as round_services
    from jiangxin.platform.rounds.models import Program, Round, RoundStatus

    settings.JIANGXIN_PDF_SIGNING = {"key_dir": str(tmp_path / "signing")}
    round_services.sync_programs()
    seed_org_tree()
    nc = Organisation.objects.get(name="南昌市总工会", jurisdiction=Jurisdiction.NANCHANG)
    office = User.objects.create(username="office_nc", role=Role.OFFICE, organisation=nc, must_change_password=False)
    person = register_person(name="周师傅", id_number=resident_id(random.Random(5), "360102", dt.date(1979, 4, 2),
                                                                   "male"), original_retirement_age=60)
    applicant = User.objects.create(username="zhou", role=Role.INDIVIDUAL, organisation=nc, person=person,
                                    must_change_password=False)
    today = timezone.localdate()
    rnd = Round.objects.create(program=Program.objects.get(key="nanchang_academy"), year=today.year,
                               title="工匠学院评定（测试）", organiser=nc, opens=today - dt.timedelta(days=60),
                               closes=today - dt.timedelta(days=30), status=RoundStatus.CLOSED)
    app = at_publicity(Application.objects.create(
        round=rnd, kind="individual", title="周师傅工匠学院", applicant_org=nc, applicant_person=person,
        applicant_user=applicant, status="recommended"))
    notice = open_notice(rnd, [app], start=today, actor=office, title="工匠学院拟命名名单公示（测试）")
    root = ensure_office_certificates(tmp_path / "signing")
    return {"office": office, "notice": notice, "person": person, "root": root, "round": rnd, "nc": nc}


def test_notice_and_payment_batch_are_signed_pdfs_with_masked_ids(notice_world: dict[str, Any]) -> None:
    import pypdfium2 as pdfium

    from jiangxin.platform.core.transitions import TransitionRefused
    from jiangxin.platform.documents.transitions import issue
    from jiangxin.platform.ledger.models import BatchStatus, DisbursementBatch

    office, person = notice_world["office"], notice_world["person"]
    notice = issue("notice", notice_world["notice"].pk, "notice", actor=office)
    assert validate(bytes(notice.pdf), notice_world["root"]).bottom_line
    text = pdfium.PdfDocument(bytes(notice.pdf))[0].get_textpage().get_text_range()
    assert "工匠学院拟命名名单公示（测试）" in text and "周师傅" in text
    assert person.reveal_id_number() not in text.replace(" ", "")
    assert b"/verify/" not in bytes(notice.pdf)  # a notice is no certificate: no QR code

    with pytest.raises(TransitionRefused):  # 命名决定 only once someone is cleared by the publicity
        issue("round_naming", notice_world["round"].pk, "naming_decision", actor=office)

    draft = DisbursementBatch.objects.create(program="nanchang_academy", year=2026, title="2026年第一批补助")
    with pytest.raises(TransitionRefused) as refused:
        issue("payment_batch", draft.pk, "payment_list", actor=office)
    assert "尚未审批" in str(refused.value)
    approved = DisbursementBatch.objects.create(program="nanchang_academy", year=2026, title="2026年第二批补助",
                                                status=BatchStatus.APPROVED)
    paid = issue("payment_batch", approved.pk, "payment_list", actor=office)
    assert validate(bytes(paid.pdf), notice_world["root"]).bottom_line
    assert paid.title == "南昌市工匠学院补助资金拨付明细表"


def test_notice_page_offers_the_signed_pdf(notice_world: dict[str, Any]) -> None:
    client = Client()
    client.force_login(notice_world["office"])
    page = client.get(f"/publicity/{notice_world['notice'].pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "签名文书（PDF）" in html and 'name="source" value="notice"' in html


def test_naming_decision_once_the_publicity_has_cleared(notice_world: dict[str, Any]) -> None:
    import pypdfium2 as pdfium
    from django.utils import timezone

    from jiangxin.platform.accounts.models import User
    from jiangxin.platform.applications.models import Application
    from jiangxin.platform.documents.transitions import issue
    from jiangxin.platform.publicity.services import open_notice

    rnd, office = notice_world["round"], notice_world["office"]
    unit_user = User.objects.get(username="zhou")
    app = at_publicity(Application.objects.create(
        round=rnd, kind="unit", title="东湖工匠学院", applicant_org=notice_world["nc"], applicant_user=unit_user,
        status="recommended"))
    earlier = timezone.localdate() - dt.timedelta(days=40)  # entered and published 40 days ago: long cleared
    open_notice(rnd, [app], start=earlier, today=earlier, actor=office, title="早前的公示")
    decision = issue("round_naming", rnd.pk, "naming_decision", actor=office)
    assert decision.title == f"关于{rnd.title}命名的决定"
    text = pdfium.PdfDocument(bytes(decision.pdf))[0].get_textpage().get_text_range()
    assert "东湖工匠学院" in text and decision.number in text
    assert validate(bytes(decision.pdf), notice_world["root"]).bottom_line
