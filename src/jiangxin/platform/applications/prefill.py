"""Prefill an application's facts from the registries (人员库/组织库) so applicants type less."""

from __future__ import annotations

from typing import Any

from jiangxin.platform.applications.formgen import facts_tree

#: facts named ``works_in_<key>`` / ``lives_in_<key>`` and the city name the registry records for them
LOCAL_CITIES = {"ganzhou": "赣州"}


def _works_in(person: Any, key: str, city: str) -> bool:
    """Known from the registry: the employer belongs to that city's organisations, or the work city names it.
    Only a yes is prefilled; anything else is left for the applicant to answer."""
    employer = getattr(person, "employer", None)
    return (employer is not None and getattr(employer, "jurisdiction", "") == key) or \
        city in (getattr(person, "work_city", "") or "")


def _enum_value(node_choices: list[Any], *candidates: Any) -> Any:
    for candidate in candidates:
        for choice in node_choices:
            if candidate is not None and str(choice) == str(candidate):
                return choice
    return None


def prefill_facts(model: type[Any], *, year: int, person: Any = None, org: Any = None) -> dict[str, Any]:
    """Values known from the registries, only for fields the facts model actually has."""
    nodes = {n.name: n for n in facts_tree(model)}
    out: dict[str, Any] = {}
    if "plan_year" in nodes:
        out["plan_year"] = year
    if person is not None:
        if "birth_date" in nodes and getattr(person, "birth_date", None):
            out["birth_date"] = person.birth_date.isoformat()
        if "sex" in nodes and getattr(person, "sex", None):
            value = _enum_value(nodes["sex"].choices, person.sex)
            if value is not None:
                out["sex"] = value
        if "original_retirement_age" in nodes and getattr(person, "original_retirement_age", None):
            value = _enum_value(nodes["original_retirement_age"].choices, person.original_retirement_age)
            if value is not None:
                out["original_retirement_age"] = value
        if "skill_level" in nodes and getattr(person, "skill_level", None):
            from jiangxin.platform.people.levels import POLICY_NAME

            # the rules' own level name, never the label (which is English in the English interface)
            value = _enum_value(nodes["skill_level"].choices, person.skill_level,
                                POLICY_NAME.get(person.skill_level, ""))
            if value is not None:
                out["skill_level"] = value
        if "certificate_level" in nodes and getattr(person, "skill_level", None):
            from jiangxin.platform.people.levels import POLICY_NAME

            value = _enum_value(nodes["certificate_level"].choices, POLICY_NAME.get(person.skill_level, ""))
            if value is not None:
                out["certificate_level"] = value
        for key, city in LOCAL_CITIES.items():
            if f"works_in_{key}" in nodes and _works_in(person, key, city):
                out[f"works_in_{key}"] = True
            if f"lives_in_{key}" in nodes and city in (getattr(person, "residence_city", "") or ""):
                out[f"lives_in_{key}"] = True
        if "leader_field" in nodes and getattr(person, "skill_occupation", None):
            out["leader_field"] = person.skill_occupation
    return out


def prefill_details(program_key: str, *, person: Any = None, org: Any = None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if person is not None:
        if getattr(person, "skill_occupation", ""):
            out["occupation"] = person.skill_occupation
        if getattr(person, "employer", None) is not None:
            out["employer"] = person.employer.name
        out["leader_name"] = person.name
    return out
