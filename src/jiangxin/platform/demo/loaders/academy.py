"""Demo data for the online academy: call :func:`load_academy_demo` after the platform demo (``load_demo``).

Uses the platform demo's accounts (demo_unit_nc, demo_unit_nc2, demo_office_nc) and goes through the
services, so the audit log tells the story. Idempotent: does nothing when academy demo data exists.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from jiangxin.platform.academy import services
from jiangxin.platform.academy.models import Teacher
from jiangxin.platform.academy.rows import HEADERS
from jiangxin.platform.accounts.models import User

SEED = 20261124
MARKER = "演示：刘国强"


def _rid(rng: random.Random, region: str) -> str:
    from stdnum.cn import ric

    birth = dt.date(rng.randrange(1975, 2003), rng.randrange(1, 13), rng.randrange(1, 29))
    first17 = f"{region}{birth:%Y%m%d}{rng.randrange(1000):03d}"
    return first17 + ric.calc_check_digit(first17 + "0")


def _mp4() -> bytes:
    return b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x00" * 64


def _trainee_csv(rng: random.Random, count: int, sessions: list[tuple[str, str, str, str]]) -> bytes:
    surnames = "王李张刘陈杨黄赵吴周徐孙"
    given = "伟芳娜敏静丽强磊军洋勇艳杰"
    levels = ["", "初级工", "中级工", "高级工", "技师"]
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(HEADERS)
    for i in range(count):
        code, major, start, end = sessions[i % len(sessions)]
        before = rng.randrange(0, 4)
        after = before + (1 if rng.random() < 0.4 else 0)
        w.writerow([rng.choice(surnames) + rng.choice(given), _rid(rng, rng.choice(["360102", "360103", "360111"])),
                    major, code, start, end, levels[before], levels[after],
                    "是" if i % 5 == 0 else "否", "是" if i % 13 == 0 else "否", "是" if i % 17 == 0 else "否"])
    w.writerow(["错误示例", "360102199001010000", "焊工", "2026-焊工-01", "2026-03-01", "2026-03-20", "", "", "", "", ""])
    return out.getvalue().encode("utf-8")


def load_academy_demo(out: Any = None) -> bool:
    def say(text: str) -> None:
        if out is not None:
            out.write(text)

    if Teacher.objects.filter(name=MARKER).exists():
        say("网上工匠学院演示数据已存在，未做改动。\n")
        return False
    users = {u.username: u for u in User.objects.filter(username__in=["demo_unit_nc", "demo_unit_nc2",
                                                                      "demo_office_nc"])}
    if len(users) < 3:
        say("缺少平台演示账号（先运行 load_demo），跳过网上工匠学院演示数据。\n")
        return False
    rng = random.Random(SEED)
    unit, unit2, office = users["demo_unit_nc"], users["demo_unit_nc2"], users["demo_office_nc"]
    assert unit.organisation is not None and unit2.organisation is not None, "demo units belong to organisations"
    with transaction.atomic():
        t1 = services.submit_teacher(unit, {"name": MARKER, "employer": unit.organisation.name,
                                            "majors": "焊工、压力容器焊接", "honours": ["洪城工匠"], "title": "工程师"})
        services.review_teacher(office, t1, True)
        t2 = services.submit_teacher(unit, {"name": "演示：陈晓东", "employer": unit.organisation.name,
                                            "majors": "数控车工", "honours": ["能工巧匠"], "title": ""})
        services.submit_teacher(unit, {"name": "演示：周丽", "employer": unit.organisation.name, "majors": "电工",
                                       "honours": [], "title": "讲师"})
        rejected = services.submit_teacher(unit2, {"name": "演示：吴建平", "employer": unit2.organisation.name,
                                                   "majors": "装配钳工", "honours": [], "title": ""})
        services.review_teacher(office, rejected, False, "请补充职称或荣誉证明")
        services.review_teacher(office, t2, True)
        services.invite_teacher(office, {"name": "演示：黄教授", "employer": "南昌大学（示例）",
                                         "majors": "机械制造、数控车工", "honours": [], "title": "教授"})
        services.invite_teacher(office, {"name": "演示：郭能手", "employer": "江西某装备集团（示例）",
                                         "majors": "焊工", "honours": ["全国技术能手"], "title": ""})
        for user, titles in ((unit, [("焊工", "压力容器焊接工艺"), ("焊工", "焊缝外观检验"),
                                     ("数控车工", "数控车削对刀与试切"), ("电工", "低压配电安全操作")]),
                             (unit2, [("装配钳工", "精密装配基础")])):
            for i, (major, title) in enumerate(titles):
                course = services.create_course(user, major=major, title=title, description=f"{title}（演示课程）")
                services.add_material(user, course, "video", SimpleUploadedFile(f"{title}.mp4", _mp4()))
                from jiangxin.platform.core.demo_fixtures import demo_pdf

                services.add_material(user, course, "courseware", SimpleUploadedFile(f"{title}.pdf", demo_pdf(title)))
                if i < len(titles) - 1 or user is unit2:
                    services.publish_course(user, course, declared=True)
        services.create_offering(unit, title="2026年焊工技能提升班（第四期）", major="焊工", starts=dt.date(2026, 12, 7),
                                 ends=dt.date(2026, 12, 18), place="东湖区实训基地", capacity=60,
                                 public_welfare=False, published=True)
        services.create_offering(unit, title="携手小康·农民工电工公益培训", major="电工", starts=dt.date(2026, 12, 14),
                                 ends=dt.date(2026, 12, 20), place="东湖区实训基地", capacity=80,
                                 public_welfare=True, published=True)
        from jiangxin.platform.portal.services import publish_listing

        publish_listing(kind="notice", source_key="demo:academy:bulletin:1", name="网上工匠学院课程资源库上线（演示）",
                        status="已发布", since=dt.date(2026, 11, 1), summary="各工匠学院可上传课程资料。", actor=office)
    sessions = [("2026-焊工-01", "焊工", "2026-03-02", "2026-03-20"), ("2026-焊工-02", "焊工", "2026-05-11", "2026-05-29"),
                ("2026-数控-01", "数控车工", "2026-06-01", "2026-06-26"), ("2026-电工-公益", "电工", "2026-09-07", "2026-09-18")]
    job = services.start_import(unit, SimpleUploadedFile("2026学员名单.csv", _trainee_csv(rng, 240, sessions)))
    job2 = services.start_import(unit2, SimpleUploadedFile("学员.csv", _trainee_csv(
        rng, 60, [("2026-钳工-01", "装配钳工", "2026-04-06", "2026-04-24")])))
    say(f"网上工匠学院：师资 {Teacher.objects.count()} 人，学员导入 {job.get_status_display()}（新增 {job.inserted}，"
        f"错误 {job.errors}）与 {job2.get_status_display()}（新增 {job2.inserted}），课程与培训项目已载入。\n")
    return True
