"""Selects, radios and checkboxes of every program's derived forms show Chinese labels (county → 县级),
looked up in the programs' labels.yaml (``enum.*`` entries) by policy.labels.enum_label; the posted value
stays the policy core's code."""

from __future__ import annotations

import re

import fixtures_apps
import pytest
from django import forms
from fixtures_apps import World

from jiangxin.platform.applications import services
from jiangxin.platform.applications.formgen import FactsForm, program_of
from jiangxin.platform.applications.models import Application
from jiangxin.policy.labels import enum_label
from jiangxin.policy.registry import all_computations

HAN = re.compile(r"[\u3400-\u9fff]")
world = fixtures_apps.world
media = fixtures_apps.media
COMPUTATIONS = sorted(all_computations(), key=lambda c: (c.program.key, c.name))


@pytest.mark.parametrize("comp", COMPUTATIONS, ids=lambda c: f"{c.program.key}/{c.name}")
def test_every_choice_of_every_facts_form_has_a_chinese_label(comp) -> None:
    form = FactsForm(comp.facts)
    for name, field in form.fields.items():
        if isinstance(field, forms.ChoiceField):
            for value, label in field.choices:
                if value:
                    assert HAN.search(str(label)), f"{comp.program.key}/{comp.name} {name}={value!r} shows {label!r}"


def test_application_forms_of_every_program_use_chinese_labels() -> None:
    programs = {c.program.key for c in COMPUTATIONS}
    checked = set()
    for program in sorted(programs):
        comp = services.eligibility_computation(program)
        if comp is None:
            continue
        assert program_of(comp.facts) == program
        checked.add(program)
    assert checked == programs


def test_field_specific_label_wins_and_unknown_values_fall_back() -> None:
    assert enum_label("nanchang_studio", "level", "county") == "县级"
    assert enum_label("nanchang_studio", "prior_naming", "county") == "县级工会"
    assert enum_label("ganzhou_craftsman", "level", "national") == "国家级大赛"
    assert enum_label(None, "level", "national") == "国家级"
    assert enum_label("jiangsu_technician", "sex", "female", "en") == "Female"
    assert enum_label("nanchang_academy", "level", "市级") == "市级"
    assert enum_label("nanchang_studio", "x", "no_such_code") == "no_such_code"


@pytest.mark.django_db
def test_studio_edit_page_shows_chinese_options_and_keeps_the_codes(world: World) -> None:
    c = world.client("unit_a")
    c.post(f"/applications/new/{world.rounds['studio'].pk}/")
    app = Application.objects.get(applicant_user=world.users["unit_a"])
    page = c.get(f"/applications/{app.pk}/edit/").content.decode()
    assert re.search(r'<option value="county"[^>]*>县级</option>', page)
    assert re.search(r'<option value="innovation_team"[^>]*>创新团队</option>', page)
    assert not re.search(r'<option value="county"[^>]*>county</option>', page)
