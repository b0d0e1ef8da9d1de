"""Public verify page (/verify/<number>): no login; shows program, masked holder, issuing office, date, the SHA-256
of the signed file and the *current* status read from the designation — revoked with date and article (赣州工匠
办法 第十二条), expired, claw-back — the moment it is recorded; rate-limited per address, counted in the database."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import signed_docs_helpers
from django.test import Client
from signed_docs_helpers import needs_font

pytestmark = [pytest.mark.django_db, needs_font]
gz_world = signed_docs_helpers.gz_world
FULL_ID = re.compile(r"(?<![0-9])[1-9][0-9]{16}[0-9Xx](?![0-9])")


def _issue(world: dict[str, Any], which: int = 0) -> Any:
    from jiangxin.platform.documents.transitions import issue

    return issue("designation", world["designations"][which].pk, "certificate", actor=world["office"])


def _page(number: str) -> tuple[int, str]:
    response = Client().get(f"/verify/{number}/")
    return response.status_code, response.content.decode()


def test_valid_certificate_shows_masked_holder_office_and_hash(gz_world: dict[str, Any]) -> None:
    doc = _issue(gz_world)
    status, html = _page(doc.number)
    person = gz_world["people"][0]
    assert status == 200
    assert 'data-status="valid"' in html and "有效" in html
    assert "赣州工匠" in html and "赣州市人力资源和社会保障局" in html and doc.sha256 in html
    assert "钟*" in html and person.name not in html
    assert person.reveal_id_number() not in html and not FULL_ID.search(html)
    assert person.id_mask in html


def test_revoked_ganzhou_craftsman_says_revoked_under_article_12_at_once(gz_world: dict[str, Any]) -> None:
    from jiangxin.platform.designations.models import DesignationStatus
    from jiangxin.platform.designations.services import set_status
    from jiangxin.policy.outcome import cite

    doc = _issue(gz_world)
    set_status(gz_world["designations"][0], DesignationStatus.REVOKED, reason="骗取称号", actor=gz_world["office"],
               citation=cite("ganzhou_craftsman", "第十二条").label, on=dt.date(2026, 9, 1))
    status, html = _page(doc.number)
    assert status == 200
    assert 'data-status="revoked"' in html
    assert "已撤销" in html and "第十二条" in html and "2026年9月1日" in html


def test_expiry_and_clawback_show_from_the_live_records(gz_world: dict[str, Any]) -> None:
    from jiangxin.platform.designations.models import Designation
    from jiangxin.platform.ledger.models import Sanction, SanctionKind

    doc = _issue(gz_world)
    d = gz_world["designations"][0]
    Sanction.objects.create(designation=d, year=2026, kind=SanctionKind.CLAWBACK, reason="收回奖励资金",
                            citation="赣州工匠办法 第十二条")
    Designation.objects.filter(pk=d.pk).update(ends_on=dt.date(2026, 1, 1))  # the term ran out
    _status, html = _page(doc.number)
    assert 'data-status="expired"' in html and "已过期" in html
    assert "追回资金" in html and "收回奖励资金" in html


def test_withdrawn_and_reissued_documents_say_so(gz_world: dict[str, Any]) -> None:
    from jiangxin.platform.documents.transitions import reissue, withdraw

    first = _issue(gz_world, 0)
    second = reissue(first, actor=gz_world["office"], reason="更正工作单位")
    _status, html = _page(first.number)
    assert 'data-status="superseded"' in html and second.number in html
    withdraw(second, actor=gz_world["office"], reason="证书遗失作废", citation="赣州工匠办法 第八条")
    _status, html = _page(second.number)
    assert 'data-status="withdrawn"' in html and "已收回" in html and "证书遗失作废" in html


def test_unknown_number_is_a_clear_chinese_answer(gz_world: dict[str, Any]) -> None:
    status, html = _page("GZGJ-1999-99999")
    assert status == 404 and "未查到编号为" in html


def test_form_sends_a_typed_number_to_its_page(gz_world: dict[str, Any]) -> None:
    doc = _issue(gz_world)
    client = Client()
    assert client.get("/verify/").status_code == 200
    response = client.get("/verify/", {"number": f" {doc.number.lower()} "})
    assert response.status_code == 302 and response["Location"] == f"/verify/{doc.number}/"
    response = client.get("/verify/", {"number": ""})
    assert response.status_code == 200


def test_rate_limit_per_address_is_counted_in_the_database(gz_world: dict[str, Any], settings: Any) -> None:
    from jiangxin.platform.documents.issued import VerifyHit

    settings.JIANGXIN_VERIFY_PER_MINUTE = 2
    doc = _issue(gz_world)
    first, second = Client(REMOTE_ADDR="10.0.0.1"), Client(REMOTE_ADDR="10.0.0.1")  # two "processes"
    assert first.get(f"/verify/{doc.number}/").status_code == 200
    assert second.get(f"/verify/{doc.number}/").status_code == 200
    limited = first.get(f"/verify/{doc.number}/")
    assert limited.status_code == 429 and "查询过于频繁" in limited.content.decode()
    assert Client(REMOTE_ADDR="10.0.0.2").get(f"/verify/{doc.number}/").status_code == 200
    assert not VerifyHit.objects.filter(address__contains="10.0.0").exists()  # addresses are stored hashed


def test_public_directory_links_to_the_certificate(gz_world: dict[str, Any]) -> None:
    doc = _issue(gz_world)
    html = Client().get("/public/directory/").content.decode()
    assert f"/verify/{doc.number}/" in html


def test_verify_page_in_english(gz_world: dict[str, Any]) -> None:
    from django.conf import settings

    doc = _issue(gz_world)
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(f"/verify/{doc.number}/").content.decode()
    assert "<h1>Verify a certificate</h1>" in html and "Issuing office" in html and "SHA-256 of the signed file" in html
