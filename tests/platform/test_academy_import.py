"""Trainee database (学员库, 第十条): streaming import with row checks, error report, no duplicates on
re-import, nothing left behind by an interrupted import, both task backends, upgrade facts."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from academy_helpers import csv_bytes, ids, row, upload, xlsx_bytes

from jiangxin.platform.academy import facts, importer, services
from jiangxin.platform.academy.models import ImportJob, ImportStatus, Trainee
from jiangxin.platform.audit.models import AuditEvent
from jiangxin.platform.people.crypto import id_hash
from jiangxin.policy.registry import get_computation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def good_rows(n: int = 5) -> list[list[str]]:
    return [row(i, name=f"学员{k}", before="中级工" if k % 2 else "", after="高级工" if k % 2 else "初级工")
            for k, i in enumerate(ids(n))]


def test_art10_good_rows_are_imported_with_hash_and_mask_only(users: dict[str, Any]) -> None:
    rows = good_rows(5)
    job = services.start_import(users["unit"], upload("学员.csv", csv_bytes(rows)))
    assert job.status == ImportStatus.SUCCEEDED
    assert (job.processed, job.inserted, job.duplicates, job.errors) == (5, 5, 0, 0)
    stored = Trainee.objects.get(id_hash=id_hash(rows[0][1]))
    assert stored.id_mask == rows[0][1][:6] + "********" + rows[0][1][-4:]
    assert stored.academy == users["unit"].organisation
    assert stored.birth_date == dt.date(int(rows[0][1][6:10]), int(rows[0][1][10:12]), int(rows[0][1][12:14]))
    # the plain number is nowhere in the row
    assert all(rows[0][1] not in str(v) for v in Trainee.objects.filter(pk=stored.pk).values().first().values())
    assert AuditEvent.objects.filter(action="academy.import.finish", object_id=str(job.pk)).exists()


def test_art10_xlsx_import_reads_dates_and_levels(users: dict[str, Any]) -> None:
    n = ids(2)
    rows = [row(n[0]), [*row(n[1])[:4], dt.datetime(2026, 4, 1), dt.datetime(2026, 4, 30), "初级工", "技师",
                        "是", "", "否"]]
    job = services.start_import(users["unit"], upload("学员.xlsx", xlsx_bytes(rows)))
    assert (job.status, job.inserted, job.errors) == (ImportStatus.SUCCEEDED, 2, 0)
    t = Trainee.objects.get(id_hash=id_hash(n[1]))
    assert (t.start_date, t.end_date, t.level_before, t.level_after) == (
        dt.date(2026, 4, 1), dt.date(2026, 4, 30), "junior", "technician")
    assert t.upgraded and t.migrant_worker and not t.unemployed_graduate


def test_art10_bad_rows_are_reported_by_row_and_field_and_good_rows_still_go_in(users: dict[str, Any]) -> None:
    good = ids(3)
    bad_check = good[0][:17] + ("0" if good[0][17] != "0" else "1")
    rows = [row(good[1]),
            row(bad_check),                                     # row 3: check digit
            row(good[2], start="2026-13-01"),                   # row 4: not a date
            row(ids(4)[3], before="技师", after="中级工"),        # row 5: level goes down
            row(ids(5)[4], after="大师"),                        # row 6: not a 新八级 level
            row(ids(6)[5], flags=("也许", "否", "否")),            # row 7: flag
            row(ids(7)[6], name="", end="2026-02-01"),          # row 8: two errors, counted once
            row(ids(8)[7], end="2999-01-01")]                   # row 9: training not yet over
    job = services.start_import(users["unit"], upload("学员.csv", csv_bytes(rows)))
    assert (job.processed, job.inserted, job.errors) == (8, 1, 7)
    with open(job.error_report, encoding="utf-8-sig") as fh:
        report = list(csv.reader(fh))
    assert report[0] == ["行号", "字段", "错误说明"]
    by_row = {(r[0], r[1]): r[2] for r in report[1:]}
    assert "校验码" in by_row[("3", "公民身份号码")]
    assert "不是有效日期" in by_row[("4", "培训开始日期")]
    assert "低于培训前等级" in by_row[("5", "培训后技能等级")]
    assert "新八级" in by_row[("6", "培训后技能等级")]
    assert "是" in by_row[("7", "农民工")]
    assert ("8", "姓名") in by_row and "早于开始日期" in by_row[("8", "培训结束日期")]
    assert "晚于导入当日" in by_row[("9", "培训结束日期")]


def test_art10_error_report_download_is_scoped(users: dict[str, Any], client_for: Any, make_user: Any,
                                                 org_tree: Any) -> None:
    job = services.start_import(users["unit"], upload("学员.csv", csv_bytes([row("123")])))
    response = client_for(users["unit"]).get(f"/academy/trainees/imports/{job.pk}/errors.csv")
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "2,公民身份号码,公民身份号码应为18位" in body
    other = make_user("unit", org_tree["unit_b"])
    assert client_for(other).get(f"/academy/trainees/imports/{job.pk}/errors.csv").status_code == 404


def test_art10_reimporting_the_same_file_adds_nothing(users: dict[str, Any]) -> None:
    data = csv_bytes(good_rows(20) + good_rows(20)[:3])  # three in-file duplicates too
    first = services.start_import(users["unit"], upload("学员.csv", data))
    assert (first.inserted, first.duplicates) == (20, 3)
    second = services.start_import(users["unit"], upload("学员.csv", data))
    assert (second.status, second.inserted, second.duplicates) == (ImportStatus.SUCCEEDED, 0, 23)
    assert Trainee.objects.count() == 20


def test_art10_same_person_in_another_session_is_a_new_record(users: dict[str, Any]) -> None:
    n = ids(1)[0]
    services.start_import(users["unit"], upload("a.csv", csv_bytes([row(n)])))
    job = services.start_import(users["unit"], upload("b.csv", csv_bytes([row(n, session="2026-焊工-02")])))
    assert job.inserted == 1 and Trainee.objects.filter(id_hash=id_hash(n)).count() == 2


def test_art10_wrong_header_fails_without_rows(users: dict[str, Any]) -> None:
    job = services.start_import(users["unit"], upload("x.csv", csv_bytes(good_rows(2), header=("a", "b"))))
    assert job.status == ImportStatus.FAILED and "表头" in job.message
    assert Trainee.objects.count() == 0


def test_art10_a_csv_saved_in_gbk_is_imported(users: dict[str, Any]) -> None:
    """Excel's plain "CSV" on Chinese Windows is GBK: read, names and all."""
    data = csv_bytes(good_rows(3)).decode("utf-8").lstrip("\ufeff").encode("gbk")
    job = services.start_import(users["unit"], upload("gbk.csv", data))
    assert job.status == ImportStatus.SUCCEEDED and job.inserted == 3
    assert set(Trainee.objects.values_list("name", flat=True)) == {"学员0", "学员1", "学员2"}


def test_art10_an_unreadable_file_is_refused_in_words_not_exception_names(users: dict[str, Any]) -> None:
    import io
    import zipfile

    not_a_workbook = io.BytesIO()
    with zipfile.ZipFile(not_a_workbook, "w") as archive:
        archive.writestr("word/document.xml", "<x/>")
    for name, data in (("t.xlsx", not_a_workbook.getvalue()), ("t.csv", b"\xff\xfe\xff\xff,\x80\n")):
        job = services.start_import(users["unit"], upload(name, data))
        assert job.status == ImportStatus.FAILED and ("XLSX" in job.message or "编码" in job.message)
        assert "Error" not in job.message and "：" not in job.message.split("（")[0]
    assert Trainee.objects.count() == 0


def test_art10_interrupted_import_leaves_nothing_half_written(users: dict[str, Any], monkeypatch: Any) -> None:
    kept = services.start_import(users["unit"], upload("a.csv", csv_bytes(good_rows(3))))
    assert kept.inserted == 3
    monkeypatch.setattr(importer, "BATCH", 10)
    calls = {"n": 0}

    def explode(job: ImportJob, batches: int) -> None:
        calls["n"] = batches
        if batches == 3:
            raise RuntimeError("disk on fire")

    monkeypatch.setattr(importer, "after_batch", explode)
    rows = good_rows(60)  # includes the 3 rows already kept (same seed): they must survive
    # the immediate backend records the task as failed instead of raising into the request
    services.start_import(users["unit"], upload("b.csv", csv_bytes(rows)))
    job = ImportJob.objects.latest("id")
    assert calls["n"] == 3
    assert job.status == ImportStatus.FAILED and job.inserted == 0 and "撤销" in job.message
    assert Trainee.objects.filter(import_job=job).count() == 0
    assert Trainee.objects.count() == 3 and set(Trainee.objects.values_list("import_job", flat=True)) == {kept.pk}
    assert AuditEvent.objects.filter(action="academy.import.rollback", object_id=str(job.pk)).exists()


def test_art10_stale_running_job_is_rolled_back(users: dict[str, Any]) -> None:
    from django.utils import timezone

    job = services.start_import(users["unit"], upload("a.csv", csv_bytes(good_rows(4))))
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING,
                                               heartbeat_at=timezone.now() - dt.timedelta(hours=1))
    assert importer.recover_stale_jobs() == 1
    assert Trainee.objects.count() == 0
    assert ImportJob.objects.get(pk=job.pk).status == ImportStatus.FAILED


def test_a_second_import_waits_for_the_running_one(users: dict[str, Any]) -> None:
    from django.utils import timezone

    job = services.start_import(users["unit"], upload("a.csv", csv_bytes(good_rows(1))))
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING, heartbeat_at=timezone.now())
    with pytest.raises(services.AcademyError, match="正在进行"):
        services.start_import(users["unit"], upload("b.csv", csv_bytes(good_rows(2))))


def test_import_runs_through_a_queueing_backend_too(users: dict[str, Any], settings: Any) -> None:
    """With a real queue (here the dummy backend, which only records), the job waits; a worker then runs it."""
    from django_tasks import default_task_backend  # noqa: F401  (ensures the backend module is importable)

    from jiangxin.platform.academy.jobs import import_trainees

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    job = services.start_import(users["unit"], upload("a.csv", csv_bytes(good_rows(6))))
    assert job.status == ImportStatus.QUEUED and Trainee.objects.count() == 0
    result = import_trainees.call(job.pk)  # what a worker does
    assert result["status"] == ImportStatus.SUCCEEDED and Trainee.objects.count() == 6


def test_parallel_checking_gives_the_same_result(users: dict[str, Any], settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    rows = [*good_rows(30), row("36010219900101001X")]
    job = services.start_import(users["unit"], upload("a.csv", csv_bytes(rows)))
    importer.BATCH, saved = 7, importer.BATCH
    try:
        importer.run(job.pk, workers=2)
    finally:
        importer.BATCH = saved
    job.refresh_from_db()
    assert (job.inserted, job.errors) == (30, 1)


def test_art21_upgrades_feed_the_upgrade_subsidy_and_the_annex2_promotions(users: dict[str, Any]) -> None:
    n = ids(6)
    rows = [row(n[0], before="中级工", after="高级工"), row(n[1], before="中级工", after="高级工"),
            row(n[2], before="", after="初级工"), row(n[3], before="技师", after="技师"),
            row(n[4], before="高级工", after="技师", end="2025-12-20", start="2025-12-01"),
            row(n[0], before="中级工", after="高级工", session="2026-焊工-09")]  # same person again: counted once
    services.start_import(users["unit"], upload("a.csv", csv_bytes(rows)))
    org = users["unit"].organisation
    assert facts.promotion_counts(org.pk, 2026) == {"初级工": 1, "高级工": 2}
    assert facts.promotion_counts(org.pk, 2025) == {"技师": 1}
    outcome = get_computation("nanchang_academy", "upgrade_subsidy").run(facts.upgrade_subsidy_facts(org.pk, 2026))
    assert str(outcome.value.granted) in ("4500", "4500.00")  # 500 + 2 × 2000


def test_art16_public_welfare_counts(users: dict[str, Any]) -> None:
    n = ids(3)
    rows = [row(n[0], flags=("是", "否", "否")), row(n[1], flags=("否", "是", "是"), session="S2"), row(n[2])]
    services.start_import(users["unit"], upload("a.csv", csv_bytes(rows)))
    assert facts.public_welfare_counts(users["unit"].organisation.pk, 2026) == {"sessions": 2, "person_times": 2}


def test_template_level_labels_match_the_people_registry() -> None:
    from jiangxin.platform.academy.rows import LEVEL_LABELS
    from jiangxin.platform.people.levels import SkillLevel

    assert LEVEL_LABELS == {value: str(label) for value, label in SkillLevel.choices}
