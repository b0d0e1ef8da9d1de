"""The transition registry itself: roles, from-states, stale forms, one transaction, audit, bypass reporting."""

from __future__ import annotations

from typing import Any

import pytest

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.audit.models import AuditEvent
from jiangxin.platform.core import transitions as tr
from jiangxin.platform.orgs.models import Organisation

pytestmark = pytest.mark.django_db

# Organisation is used as a stand-in record: its ``name`` plays the state field in these tests only.
KEY = "tests.rename_org"


@tr.transition(KEY, title="测试改名", record="orgs.Organisation", field="name", sources=("甲",),
               target="乙", roles=(Role.OFFICE, tr.SYSTEM))
def rename(org: Organisation, *, actor: Any, fail: bool = False) -> Organisation:
    org.name = "乙"
    org.save(update_fields=["name"])
    if fail:
        raise tr.TransitionRefused("不符合条件。", citations=["某办法 第一条"])
    return org


@pytest.fixture
def org(org_tree: dict[str, Organisation]) -> Organisation:
    org = next(iter(org_tree.values()))
    Organisation.objects.filter(pk=org.pk).update(name="甲")
    org.refresh_from_db()
    return org


def test_registered_transition_changes_state_and_writes_audit(org: Organisation, users: dict[str, Any]) -> None:
    rename(org, actor=users[Role.OFFICE])
    org.refresh_from_db()
    assert org.name == "乙"
    event = AuditEvent.objects.filter(action=f"transition:{KEY}").get()
    assert event.before == {"name": "甲"} and event.after == {"name": "乙"}
    assert tr.REGISTRY[KEY].target == "乙"


def test_wrong_role_is_refused_and_nothing_changes(org: Organisation, users: dict[str, Any]) -> None:
    with pytest.raises(tr.TransitionRefused, match="角色"):
        rename(org, actor=users[Role.UNIT])
    org.refresh_from_db()
    assert org.name == "甲"


def test_state_outside_sources_is_refused(org: Organisation, users: dict[str, Any]) -> None:
    rename(org, actor=users[Role.OFFICE])
    with pytest.raises(tr.TransitionRefused, match="当前状态"):
        rename(org, actor=users[Role.OFFICE])


def test_stale_form_is_refused(org: Organisation, users: dict[str, Any]) -> None:
    with pytest.raises(tr.TransitionRefused, match="刷新"):
        rename(org, actor=users[Role.OFFICE], expect="丙")
    org.refresh_from_db()
    assert org.name == "甲"


def test_refusal_inside_the_function_rolls_everything_back(org: Organisation, users: dict[str, Any]) -> None:
    with pytest.raises(tr.TransitionRefused) as refused:
        rename(org, actor=users[Role.OFFICE], fail=True)
    assert "某办法 第一条" in str(refused.value)
    org.refresh_from_db()
    assert org.name == "甲"
    assert not AuditEvent.objects.filter(action=f"transition:{KEY}").exists()


def test_system_actor_only_where_declared(org: Organisation) -> None:
    rename(org, actor=None)
    org.refresh_from_db()
    assert org.name == "乙"


def test_change_of_a_tracked_field_outside_a_transition_is_reported(org: Organisation, settings: Any) -> None:
    settings.JIANGXIN_TRANSITIONS_CHECK = "raise"
    tr.track(Organisation, "name")
    try:
        org.name = "丁"
        with pytest.raises(tr.UnregisteredStateChange):
            org.save()
        with tr.within(KEY):
            org.save()
    finally:
        tr._TRACKED.pop(Organisation._meta.label, None)
