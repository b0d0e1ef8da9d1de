"""Screening (筛查) through the pages: the office screens its people registry or an uploaded list, sees who
qualifies and who is one condition short with the article, opens a row's full trace, exports; other roles and other
jurisdictions cannot."""

from __future__ import annotations

import io
from typing import Any

import fixtures_apps
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from fixtures_apps import World
from openpyxl import load_workbook

from jiangxin.platform.screening.models import ScreeningRun

pytestmark = pytest.mark.django_db
world = fixtures_apps.world
media = fixtures_apps.media

LIST = ("编号,培育类别（A/B）,出生日期,原法定退休年龄（60/55/50）,职业技能等级,B类：经核实符合企业首席技师条件,推荐日期\n"
        "甲,B,1980-05-12,60,高级技师,是,2026-11-20\n"
        "乙,B,1980-05-12,60,技师,是,2026-11-20\n"
        "丙,B,1966-03-01,60,高级技师,否,2026-11-20\n")


def _start(world: World, **data: Any) -> Any:
    form = {"target": "jiangsu_technician/eligibility", "source": "upload", "plan_year": 2027,
            "as_of": "2026-12-01", "track": "B"} | data
    return world.client("office_js").post("/screening/", form, follow=True)


def test_第二条_an_uploaded_list_is_screened_with_near_misses_named_by_article(world: World) -> None:
    response = _start(world, upload=SimpleUploadedFile("名单.csv", LIST.encode("utf-8")))
    page = response.content.decode()
    run = ScreeningRun.objects.get()
    assert (run.status, run.total, run.eligible, run.near) == ("succeeded", 3, 1, 1)
    assert "江苏卓越技师办法 第二条（人选技能等级）" in page and "乙" in page  # the default list: one short
    eligible = world.client("office_js").get(f"/screening/runs/{run.pk}/?which=eligible").content.decode()
    assert "甲" in eligible and "乙" not in eligible
    trace = world.client("office_js").get(f"/screening/runs/{run.pk}/rows/1/").content.decode()
    assert "江苏卓越技师办法 第二条" in trace and "逐条" in trace
    export = world.client("office_js").get(f"/screening/runs/{run.pk}/export.xlsx?which=all")
    rows = list(load_workbook(io.BytesIO(b"".join(export.streaming_content))).active.iter_rows(values_only=True))
    assert [r[:2] for r in rows] == [("编号", "结论"), ("甲", "符合"), ("乙", "差一项"), ("丙", "不符合")]


def test_the_people_registry_in_scope_is_screened(world: World, register: Any) -> None:
    register(name="钱高工", first17="32010219800512001", employer=world.orgs["nanjing"],
             skill_level="senior_technician", original_retirement_age=60)
    register(name="孙高工", first17="36010219800512001", employer=world.orgs["unit_a"],
             skill_level="senior_technician", original_retirement_age=60)  # Nanchang: outside Jiangsu's scope
    _start(world, source="registry")
    run = ScreeningRun.objects.get()
    assert (run.status, run.total) == ("succeeded", 1)
    # the registry holds no confirmed class basis: the person is one condition short, under 第三条
    basis = next(c for c in run.summary["near_by_condition"] if c["condition"] == "basis")
    assert (run.near, basis["count"], basis["article"]) == (1, 1, "江苏卓越技师办法 第三条")


def test_an_unreadable_list_fails_with_row_and_column_and_keeps_nothing(world: World) -> None:
    bad = LIST.replace("1980-05-12,60,技师", "1980-13-45,60,技师")
    page = _start(world, upload=SimpleUploadedFile("名单.csv", bad.encode("utf-8"))).content.decode()
    run = ScreeningRun.objects.get()
    assert run.status == "failed" and "第3行" in run.message and "出生日期" in page
    assert not run.result_file


def test_other_roles_and_other_jurisdictions_cannot_screen_or_read_runs(world: World) -> None:
    _start(world, upload=SimpleUploadedFile("名单.csv", LIST.encode("utf-8")))
    run = ScreeningRun.objects.get()
    assert world.client("unit_a").get("/screening/").status_code == 403
    assert world.client("office_nc").get(f"/screening/runs/{run.pk}/").status_code == 404
    refused = world.client("office_nc").post("/screening/", {
        "target": "jiangsu_technician/eligibility", "source": "registry", "plan_year": 2027,
        "as_of": "2026-12-01"}, follow=True)
    assert ScreeningRun.objects.count() == 1 and refused.status_code in (200, 403)
