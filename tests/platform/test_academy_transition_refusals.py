"""南昌工匠学院办法 第九条 (teacher pool) and 第十条 (course library) through the pages: a decided record is not
decided again, and each refusal names the article and changes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from jiangxin.platform.academy import services
from jiangxin.platform.academy.models import TeacherStatus
from jiangxin.platform.core import transitions as tr

pytestmark = pytest.mark.django_db


def _teacher(users: dict[str, Any]) -> Any:
    return services.submit_teacher(users["unit"], {"name": "李师傅", "employer": "东湖精工有限公司",
                                                   "majors": "焊工", "honours": ["洪城工匠"], "title": "副教授",
                                                   "other_honours": "", "id_number": ""})


def test_nanchang_academy_第九条_a_decided_teacher_record_is_not_reviewed_again(users: dict[str, Any],
                                                                           client_for: Any) -> None:
    t = _teacher(users)
    office = client_for(users["office"])
    office.post(f"/academy/teachers/{t.pk}/review/", {"decision": "approve", "reason": ""})
    t.refresh_from_db()
    assert t.status == TeacherStatus.APPROVED
    page = office.post(f"/academy/teachers/{t.pk}/review/", {"decision": "reject", "reason": "补交材料"},
                       follow=True).content.decode()
    assert "只能审核“待审核”的记录" in page and "南昌工匠学院办法 第九条" in page
    t.refresh_from_db()
    assert t.status == TeacherStatus.APPROVED


def test_nanchang_academy_第九条_only_the_office_reviews(users: dict[str, Any], client_for: Any) -> None:
    t = _teacher(users)
    assert client_for(users["unit"]).post(f"/academy/teachers/{t.pk}/review/",
                                          {"decision": "approve", "reason": ""}).status_code == 403
    t.refresh_from_db()
    assert t.status == TeacherStatus.PENDING


def test_academy_transitions_are_registered_with_the_article() -> None:
    keys = {t.key for t in tr.by_app()["academy"]}
    assert {"academy.review_teacher", "academy.publish_course", "academy.withdraw_course",
            "academy.start_import"} <= keys
    assert all(t.citation.startswith("南昌工匠学院办法") for t in tr.by_app()["academy"])
    assert tr.REGISTRY["academy.review_teacher"].sources == ("pending",)
