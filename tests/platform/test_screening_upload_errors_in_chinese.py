"""An uploaded list the screen cannot read fails with a message in Chinese saying what is wrong with the file (not
the name of a Python exception), and keeps nothing: a CSV in no encoding it knows, a file named .xlsx that is not
a workbook. A CSV saved in GBK (Excel's default "CSV" on Chinese Windows) is read."""

from __future__ import annotations

from typing import Any

import fixtures_apps
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from fixtures_apps import World

from jiangxin.platform.screening.models import ScreeningRun

pytestmark = pytest.mark.django_db
world = fixtures_apps.world
media = fixtures_apps.media

LIST = ("编号,培育类别（A/B）,出生日期,原法定退休年龄（60/55/50）,职业技能等级,B类：经核实符合企业首席技师条件,推荐日期\n"
        "甲,B,1980-05-12,60,高级技师,是,2026-11-20\n")


def _start(world: World, upload: Any) -> Any:
    return world.client("office_js").post("/screening/", {
        "target": "jiangsu_technician/eligibility", "source": "upload", "plan_year": 2027, "as_of": "2026-12-01",
        "track": "B", "upload": upload}, follow=True)


@pytest.mark.parametrize(("name", "data", "said"), [
    ("名单.csv", b"\xff\xfe\xff\xff,\x80\n", "UTF-8"),
    ("名单.xlsx", b"PK\x03\x04 not a workbook", "XLSX"),
    ("名单.xlsx", LIST.encode("utf-8"), "XLSX"),
])
def test_an_unreadable_upload_fails_with_a_chinese_message_and_keeps_nothing(world: World, name: str, data: bytes,
                                                                            said: str) -> None:
    page = _start(world, SimpleUploadedFile(name, data)).content.decode()
    run = ScreeningRun.objects.get()
    assert run.status == "failed" and not run.result_file
    assert said in run.message and "Error" not in run.message and "Zip" not in run.message
    assert run.message in page


def test_a_csv_saved_in_gbk_is_screened(world: World) -> None:
    _start(world, SimpleUploadedFile("名单.csv", LIST.encode("gbk")))
    run = ScreeningRun.objects.get()
    assert run.status == "succeeded", run.message
    assert run.total == 1
