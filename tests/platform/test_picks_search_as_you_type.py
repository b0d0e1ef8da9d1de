"""Search-as-you-type choices (issue 13 item 3, decision 0028): the endpoint answers only what the caller may
choose, labels people with the masked ID number, at most 20 rows; forms refuse an id outside the scope and,
without JavaScript, resolve a typed name; the people list no longer renders every organisation."""

from __future__ import annotations

from typing import Any

import fixtures_people
import pytest
from fixtures_people import NUMBERS, Reg

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.core.picks import LIMIT
from jiangxin.platform.orgs.models import Category, Level, Organisation
from jiangxin.platform.people.models import Person

pytestmark = pytest.mark.django_db
media = fixtures_people.media
reg = fixtures_people.reg


def _labels(reg: Reg, role: str, url: str) -> list[str]:
    response = reg.client(role).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    return [row["label"] for row in response.json()["results"]]


def test_person_search_never_returns_another_jurisdictions_people(reg: Reg) -> None:
    assert _labels(reg, Role.OFFICE, "/picks/people.persons/?q=丙") == []  # 丙大师 works in Ganzhou
    assert _labels(reg, Role.PARK_OFFICE, "/picks/people.persons/?q=丙") != []
    assert _labels(reg, Role.DISTRICT, "/picks/people.persons/?q=乙") == []  # another district's employee


def test_person_search_shows_the_masked_id_number_only(reg: Reg) -> None:
    person = reg.persons["A"]
    labels = _labels(reg, Role.OFFICE, "/picks/people.persons/?q=甲工")
    assert labels == [f"甲工匠（{person.id_mask}，东湖精工有限公司）"]
    body = reg.client(Role.OFFICE).get("/picks/people.persons/?q=甲工").content.decode()
    assert NUMBERS["A"] not in body and NUMBERS["A"][6:14] not in body


def test_organisation_search_stays_in_scope_and_answers_at_most_twenty_rows(reg: Reg) -> None:
    donghu = reg.orgs["donghu"]
    for i in range(LIMIT + 5):
        Organisation.objects.create(name=f"东湖配套企业{i:02d}", level=Level.MEMBER, category=Category.ENTERPRISE,
                                    jurisdiction=donghu.jurisdiction, parent=donghu)
    assert len(_labels(reg, Role.OFFICE, "/picks/people.organisations/?q=东湖")) == LIMIT
    assert _labels(reg, Role.OFFICE, "/picks/people.organisations/?q=赣州") == []
    assert _labels(reg, Role.DISTRICT, "/picks/people.organisations/?q=西湖") == []
    # "contains" matches come after the prefix matches
    assert _labels(reg, Role.OFFICE, "/picks/people.organisations/?q=精工") == ["东湖精工有限公司"]


def test_pick_endpoint_requires_sign_in_and_a_known_source(reg: Reg) -> None:
    from django.test import Client

    response = Client().get("/picks/people.persons/?q=甲")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert reg.client(Role.OFFICE).get("/picks/nothing.here/?q=甲").status_code == 404
    assert _labels(reg, Role.SYSTEM_ADMIN, "/picks/people.persons/?q=甲") == []


def _edit_data(person: Person, **extra: Any) -> dict[str, Any]:
    return {"name": person.name, "title_level": person.title_level, **extra}


def test_person_form_refuses_an_employer_outside_the_scope(reg: Reg) -> None:
    person = reg.persons["A"]
    client = reg.client(Role.OFFICE)
    response = client.post(f"/people/{person.pk}/edit/", _edit_data(person, employer=reg.orgs["ganzhou"].pk))
    assert response.status_code == 200 and "只能选择您管辖范围内的单位。" in response.content.decode()
    person.refresh_from_db()
    assert person.employer == reg.orgs["unit_a"]


def test_without_javascript_a_typed_unique_name_is_resolved_and_an_ambiguous_one_refused(reg: Reg) -> None:
    person = reg.persons["A"]
    client = reg.client(Role.OFFICE)
    response = client.post(f"/people/{person.pk}/edit/", _edit_data(person, employer__text="西湖机电有限公司"))
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.employer == reg.orgs["unit_b"]
    response = client.post(f"/people/{person.pk}/edit/", _edit_data(person, employer__text="有限公司"))
    assert "对应多个选项" in response.content.decode()
    response = client.post(f"/people/{person.pk}/edit/", _edit_data(person, employer__text="赣州市人力资源和社会保障局"))
    assert "未找到" in response.content.decode()
    person.refresh_from_db()
    assert person.employer == reg.orgs["unit_b"]


def test_people_list_with_many_organisations_no_longer_renders_them_all(reg: Reg) -> None:
    nanchang = reg.orgs["nanchang"]
    Organisation.objects.bulk_create([
        Organisation(name=f"南昌会员单位{i:04d}", level=Level.MEMBER, category=Category.ENTERPRISE,
                     jurisdiction=nanchang.jurisdiction, parent=nanchang, path=f"{nanchang.path}x{i}/")
        for i in range(2000)])
    page = reg.client(Role.OFFICE).get("/people/").content.decode()
    assert page.count("南昌会员单位") == 0 and page.count("<option") < 40
    assert len(page.encode()) < 60_000
    assert 'data-pick-url="/picks/people.organisations/"' in page
    # the filter still works by the picked id
    filtered = reg.client(Role.OFFICE).get(f"/people/?employer={reg.orgs['xihu'].pk}").content.decode()
    assert "乙技师" in filtered and "甲工匠" not in filtered
