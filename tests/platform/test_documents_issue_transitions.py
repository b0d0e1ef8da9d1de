"""Issuing is a registered transition (documents.issue / reissue / withdraw): office roles only, refused for a
revoked holder (citing the revocation article) and before the naming decision, audited, nothing written when
refused; and the issue buttons and signed-PDF download on the designation page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import signed_docs_helpers
from django.test import Client
from signed_docs_helpers import needs_font

pytestmark = [pytest.mark.django_db, needs_font]
gz_world = signed_docs_helpers.gz_world


def test_issue_reissue_withdraw_are_registered_with_office_roles() -> None:
    from jiangxin.platform.core.transitions import REGISTRY, autodiscover

    autodiscover()
    for key in ("documents.issue", "documents.reissue", "documents.withdraw"):
        declared = REGISTRY[key]
        assert set(declared.roles) == {"office", "park_office"}
        assert declared.guard and declared.citation
    assert REGISTRY["documents.withdraw"].sources == ("issued",)


def test_revoked_holder_gets_no_certificate_and_the_refusal_cites_article_12(gz_world: dict[str, Any]) -> None:
    from jiangxin.platform.core.transitions import TransitionRefused
    from jiangxin.platform.designations.models import DesignationStatus
    from jiangxin.platform.designations.services import set_status
    from jiangxin.platform.documents.issued import IssuedDocument
    from jiangxin.platform.documents.transitions import issue
    from jiangxin.policy.outcome import cite

    d = gz_world["designations"][0]
    set_status(d, DesignationStatus.REVOKED, reason="骗取称号", citation=cite("ganzhou_craftsman", "第十二条").label,
               actor=gz_world["office"], on=dt.date(2026, 9, 1))
    with pytest.raises(TransitionRefused) as refused:
        issue("designation", d.pk, "certificate", actor=gz_world["office"])
    assert "第十二条" in str(refused.value)
    assert not IssuedDocument.objects.exists()


def test_no_certificate_before_the_naming_decision_takes_effect(gz_world: dict[str, Any]) -> None:
    from django.utils import timezone

    from jiangxin.platform.core.transitions import TransitionRefused
    from jiangxin.platform.designations.models import Designation
    from jiangxin.platform.documents.transitions import issue

    d = gz_world["designations"][0]
    Designation.objects.filter(pk=d.pk).update(designated_on=timezone.localdate() + dt.timedelta(days=3))
    with pytest.raises(TransitionRefused) as refused:
        issue("designation", d.pk, "certificate", actor=gz_world["office"])
    assert "第八条" in str(refused.value)  # the article on which the certificate rests


def test_only_office_roles_issue_and_each_issue_is_audited(gz_world: dict[str, Any]) -> None:
    from jiangxin.platform.accounts.models import User
    from jiangxin.platform.accounts.roles import Role
    from jiangxin.platform.audit.models import AuditEvent
    from jiangxin.platform.core.transitions import TransitionRefused
    from jiangxin.platform.documents.transitions import issue

    d = gz_world["designations"][0]
    finance = User.objects.create(username="fin", role=Role.FINANCE, organisation=gz_world["gz"])
    with pytest.raises(TransitionRefused):
        issue("designation", d.pk, "certificate", actor=finance)
    doc = issue("designation", d.pk, "certificate", actor=gz_world["office"])
    event = AuditEvent.objects.get(action="transition:documents.issue")
    assert event.after["number"] == doc.number and event.after["sha256"] == doc.sha256
    with pytest.raises(TransitionRefused):  # one live certificate per record: corrections are re-issues
        issue("designation", d.pk, "certificate", actor=gz_world["office"])


def test_withdraw_needs_reason_and_article_and_refuses_a_stale_form(gz_world: dict[str, Any]) -> None:
    from jiangxin.platform.core.transitions import TransitionRefused
    from jiangxin.platform.documents.issued import IssueStatus
    from jiangxin.platform.documents.transitions import issue, withdraw

    doc = issue("designation", gz_world["designations"][0].pk, "certificate", actor=gz_world["office"])
    with pytest.raises(TransitionRefused):
        withdraw(doc, actor=gz_world["office"], reason="作废", citation="")
    withdraw(doc, actor=gz_world["office"], reason="作废", citation="赣州工匠办法 第十二条")
    doc.refresh_from_db()
    assert doc.status == IssueStatus.WITHDRAWN
    with pytest.raises(TransitionRefused):
        withdraw(doc, actor=gz_world["office"], reason="再次", citation="赣州工匠办法 第十二条",
                 expect=IssueStatus.ISSUED)


def test_designation_page_issues_and_downloads_the_signed_pdf(gz_world: dict[str, Any]) -> None:
    from jiangxin.platform.documents.issued import IssuedDocument

    d = gz_world["designations"][0]
    client = Client()
    client.force_login(gz_world["office"])
    page = client.get(f"/designations/{d.pk}/").content.decode()
    assert "签名文书（PDF）" in page and "赣州工匠证书" in page and 'name="doc_type" value="certificate"' in page
    response = client.post("/documents/issue/", {"source": "designation", "subject": d.pk,
                                                 "doc_type": "certificate", "next": f"/designations/{d.pk}/"})
    assert response.status_code == 302 and response["Location"] == f"/designations/{d.pk}/"
    doc = IssuedDocument.objects.get()
    page = client.get(f"/designations/{d.pk}/").content.decode()
    assert f"/documents/issued/{doc.pk}/signed.pdf" in page and doc.number in page
    pdf = client.get(f"/documents/issued/{doc.pk}/signed.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content == bytes(doc.pdf)


def test_a_refused_issue_is_a_chinese_message_not_an_error(gz_world: dict[str, Any]) -> None:
    client = Client()
    client.force_login(gz_world["office"])
    response = client.post("/documents/issue/", {"source": "designation", "subject": "x", "doc_type": "certificate"},
                           follow=True)
    assert response.status_code == 200 and "所涉记录不存在" in response.content.decode()
    response = client.post("/documents/issue/", {"source": "designation", "subject": gz_world["designations"][0].pk,
                                                 "doc_type": "no_such"}, follow=True)
    assert "该项目不签发此类文书" in response.content.decode()


def test_missing_office_certificate_is_reported_to_the_operator(gz_world: dict[str, Any], settings: Any,
                                                                tmp_path: Any) -> None:
    from jiangxin.platform.documents.issued import IssuedDocument

    settings.JIANGXIN_PDF_SIGNING = {"key_dir": str(tmp_path / "empty")}
    client = Client()
    client.force_login(gz_world["office"])
    response = client.post("/documents/issue/", {"source": "designation", "subject": gz_world["designations"][0].pk,
                                                 "doc_type": "certificate"}, follow=True)
    assert "未配置" in response.content.decode() and "签名证书" in response.content.decode()
    assert not IssuedDocument.objects.exists()


def test_the_holder_downloads_their_own_certificate_and_no_one_elses(gz_world: dict[str, Any]) -> None:
    from jiangxin.platform.accounts.models import User
    from jiangxin.platform.accounts.roles import Role
    from jiangxin.platform.documents.transitions import issue

    mine, other = (issue("designation", d.pk, "certificate", actor=gz_world["office"])
                   for d in gz_world["designations"])
    holder = User.objects.create(username="zhong", role=Role.INDIVIDUAL, organisation=gz_world["gz"],
                                 person=gz_world["people"][0], must_change_password=False)
    client = Client()
    client.force_login(holder)
    page = client.get("/designations/mine/").content.decode()
    assert f"/documents/issued/{mine.pk}/signed.pdf" in page and 'name="doc_type"' not in page  # no issue button
    assert client.get(f"/documents/issued/{mine.pk}/signed.pdf").content == bytes(mine.pdf)
    assert client.get(f"/documents/issued/{other.pk}/signed.pdf").status_code == 404
    assert client.post("/documents/issue/", {"source": "designation", "subject": gz_world["designations"][0].pk,
                                             "doc_type": "certificate"}).status_code == 403
