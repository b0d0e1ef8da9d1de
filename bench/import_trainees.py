"""Trainee import benchmark (not a timed test): `.venv/bin/python bench/import_trainees.py [--rows N ...]`.

Generates CSV files of valid trainee rows (real GB 11643 check digits), then on a scratch SQLite database
(WAL, the project's settings) measures in separate child processes, so each has its own peak memory:

  (a) raw limit — read prevalidated rows (the same values the import inserts: keyed hash, mask, ISO dates,
      level codes, flags; prepared before the clock starts) with the csv module and insert them with no checks
      into the same table with the same INSERT … ON CONFLICT DO NOTHING, in the same batches;
  (b) the real import — ``academy.importer.run`` exactly as the background task runs it: row checks
      (GB 11643 via jiangxin.policy.identity, dates, 新八级 levels, flags), keyed hash and mask, error report,
      batch commits with job id, progress updates, final count;
  (b1) the real import forced into one process (no checking workers), for reference (files ≤ 200,000 rows).

Rows/second and peak memory (max RSS of the child, and of its worker processes) go to
bench/results/import.json and are printed. Default: 100,000 and 1,000,000 rows.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
REGIONS = ["360102", "360103", "360104", "360111", "360121", "360123", "360124", "360722", "361002", "320102"]
MAJORS = ["焊工", "电工", "钳工", "数控车工", "汽车维修工", "装配钳工", "化工总控工", "中式烹调师"]
LEVELS = ["", "学徒工", "初级工", "中级工", "高级工", "技师", "高级技师"]


def check_digit(first17: str) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(c) * w for c, w in zip(first17, weights, strict=True))
    return "10X98765432"[total % 11]


def generate(path: Path, rows: int, seed: int = 20261123) -> None:
    """``rows`` distinct valid trainee rows (the same seed gives the same file)."""
    rng = random.Random(seed)
    headers = ("姓名", "公民身份号码", "培训专业", "培训期次编号", "培训开始日期", "培训结束日期",
               "培训前技能等级", "培训后技能等级", "农民工", "未就业大学生", "困难职工")
    surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
    given = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(headers)
        for i in range(rows):
            birth = dt.date(1965, 1, 1) + dt.timedelta(days=rng.randrange(0, 13000))
            first17 = f"{REGIONS[i % len(REGIONS)]}{birth:%Y%m%d}{i % 1000:03d}"
            number = first17 + check_digit(first17)
            start = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(0, 300))
            before = rng.randrange(0, 5)
            after = min(len(LEVELS) - 1, before + rng.randrange(0, 3))
            w.writerow((rng.choice(surnames) + rng.choice(given), number, MAJORS[i % len(MAJORS)],
                        f"S{i // 50:06d}", start.isoformat(), (start + dt.timedelta(days=20)).isoformat(),
                        LEVELS[before], LEVELS[after], "是" if i % 7 == 0 else "否", "否",
                        "是" if i % 11 == 0 else ""))


# --- child process: one measurement ---------------------------------------------------------------------------


def _setup(db: Path) -> tuple[Any, Any]:
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiangxin.platform.settings")
    os.environ.setdefault("DEBUG", "1")  # a throw-away database on this machine, like `make demo`
    os.environ["JIANGXIN_MEDIA_ROOT"] = str(db.parent / "media")
    import django

    django.setup()
    from django.core.management import call_command

    from jiangxin.platform.accounts.models import User
    from jiangxin.platform.orgs.models import Category, Jurisdiction, Level, Organisation

    call_command("migrate", verbosity=0)
    org = Organisation.objects.filter(name="基准测试工匠学院").first()
    if org is None:
        root = Organisation(name="南昌市总工会", level=Level.AUTHORITY, category=Category.UNION,
                            jurisdiction=Jurisdiction.NANCHANG)
        root.save()
        org = Organisation(name="基准测试工匠学院", level=Level.MEMBER, category=Category.ENTERPRISE,
                           jurisdiction=Jurisdiction.NANCHANG, parent=root)
        org.save()
    user, _ = User.objects.get_or_create(username="bench_unit", defaults={"role": "unit", "organisation": org})
    return org, user


def _empty_table() -> None:
    from django.db import connection

    from jiangxin.platform.academy.models import Trainee

    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Trainee._meta.db_table}")
        cursor.execute("VACUUM")


def prevalidate(path: Path, org_id: int) -> Path:
    """The rows exactly as the import would insert them (keyed hash, mask, ISO dates, level codes, 0/1
    flags), written to a second CSV before the clock starts: the input of the raw-limit run."""
    import datetime as dt

    from jiangxin.platform.academy import importer
    from jiangxin.platform.academy import rows as R
    from jiangxin.platform.people import crypto

    R.configure(crypto._hash_key(), dt.date.today())
    out = path.with_suffix(".prevalidated.csv")
    with open(out, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        source = iter(importer.read_rows(path, "csv"))
        next(source)
        for chunk in importer._chunks(source, importer.BATCH):
            good, _ = R.check_chunk(chunk)
            w.writerows((*r[:11], int(r[11]), int(r[12]), int(r[13]), int(r[14])) for r in good)
    return out


def raw(path: Path) -> dict[str, Any]:
    """Read prevalidated rows and insert them unchecked, with the importer's statement and batches."""
    org, _ = _setup(path.parent / "bench.sqlite3")
    from django.db import transaction

    from jiangxin.platform.academy import importer

    _empty_table()
    ready = prevalidate(path, org.pk)
    sql = importer.insert_sql()
    t0 = time.perf_counter()
    n = 0
    batch: list[tuple[Any, ...]] = []
    prefix = (org.pk, None)
    with open(ready, encoding="utf-8", newline="") as fh:
        for r in csv.reader(fh):
            batch.append(prefix + tuple(r))
            if len(batch) >= importer.BATCH:
                with transaction.atomic():
                    importer.insert_batch(sql, batch)
                n += len(batch)
                batch = []
        if batch:
            with transaction.atomic():
                importer.insert_batch(sql, batch)
            n += len(batch)
    seconds = time.perf_counter() - t0
    ready.unlink()
    return {"rows": n, "seconds": round(seconds, 3), "rows_per_second": round(n / seconds)}


def real(path: Path, workers: int | None) -> dict[str, Any]:
    org, user = _setup(path.parent / "bench.sqlite3")
    from django.core.files import File

    from jiangxin.platform.academy import importer
    from jiangxin.platform.academy.models import ImportJob, Trainee

    _empty_table()
    with open(path, "rb") as fh:
        job = ImportJob(academy=org, created_by=user, source_name=path.name, file_format="csv")
        job.source.save(path.name, File(fh), save=False)
        job.save()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    result = importer.run(job.pk, workers=workers)
    seconds = time.perf_counter() - t0
    assert result["status"] == "succeeded", result
    n = int(result["processed"])
    return {"rows": n, "inserted": Trainee.objects.count(), "errors": result["errors"],
            "workers": workers if workers is not None else importer.worker_count(path.stat().st_size),
            "seconds": round(seconds, 3), "rows_per_second": round(n / seconds),
            "rss_before_import_mb": round(rss_before / 1024, 1)}


def _descendant_rss_kb(root: int) -> list[int]:
    """RSS (kB) of every process below ``root`` (the forkserver and its checking workers)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status") as fh:
                fields = dict(line.split(":", 1) for line in fh if ":" in line)
        except OSError:
            continue
        pid = int(entry)
        children.setdefault(int(fields.get("PPid", "0").strip() or 0), []).append(pid)
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0] or 0)
    out: list[int] = []
    todo = list(children.get(root, []))
    while todo:
        pid = todo.pop()
        out.append(rss.get(pid, 0))
        todo.extend(children.get(pid, []))
    return out


def child(kind: str, path: Path, workers: int | None) -> None:
    import threading

    peak = {"worker_kb": 0}
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(0.5):
            found = _descendant_rss_kb(os.getpid())
            if found:
                peak["worker_kb"] = max(peak["worker_kb"], max(found))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out = raw(path) if kind == "raw" else real(path, workers)
    stop.set()
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    out["peak_rss_workers_mb"] = round(peak["worker_kb"] / 1024, 1)
    print(json.dumps(out))


def run_child(kind: str, path: Path, workers: int | None = None) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--child", kind, "--file", str(path)]
    if workers is not None:
        cmd += ["--workers", str(workers)]
    done = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=ROOT)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="*", default=[100_000, 1_000_000])
    parser.add_argument("--child")
    parser.add_argument("--file")
    parser.add_argument("--workers", type=int)
    args = parser.parse_args()
    if args.child:
        child(args.child, Path(args.file), args.workers)
        return
    results: dict[str, Any] = {"machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                                           "platform": platform.platform(),
                                           "load_average_at_start": os.getloadavg()},
                               "database": "SQLite (WAL, synchronous=NORMAL)", "runs": {}}
    with tempfile.TemporaryDirectory(prefix="jiangxin-bench-") as tmp:
        for rows in args.rows:
            path = Path(tmp) / f"trainees-{rows}.csv"
            t0 = time.perf_counter()
            generate(path, rows)
            print(f"{rows:>9,} rows: file {path.stat().st_size / 1048576:.1f} MB generated in "
                  f"{time.perf_counter() - t0:.1f} s", flush=True)
            run: dict[str, Any] = {"file_mb": round(path.stat().st_size / 1048576, 1)}
            # the raw limit is measured before and after the import and the faster run is used, so a busy
            # machine can only make the ratio look worse, never better
            raws = [run_child("raw", path)]
            run["b_import"] = run_child("real", path)
            raws.append(run_child("raw", path))
            run["a_raw_limit"] = max(raws, key=lambda r: r["rows_per_second"])
            run["a_raw_runs_rows_per_second"] = [r["rows_per_second"] for r in raws]
            keys = ["a_raw_limit", "b_import"]
            run["b_over_a"] = round(run["b_import"]["rows_per_second"] / run["a_raw_limit"]["rows_per_second"], 3)
            if rows <= 200_000:
                run["b1_import_one_process"] = run_child("real", path, workers=0)
                run["b1_over_a"] = round(run["b1_import_one_process"]["rows_per_second"]
                                         / run["a_raw_limit"]["rows_per_second"], 3)
                keys.append("b1_import_one_process")
            results["runs"][str(rows)] = run
            for key in keys:
                r = run[key]
                print(f"  {key:<22} {r['rows_per_second']:>9,} rows/s  {r['seconds']:>8.2f} s  "
                      f"peak RSS {r['peak_rss_mb']:>7.1f} MB (workers {r['peak_rss_workers_mb']:.1f} MB)", flush=True)
            print(f"  b/a = {run['b_over_a']:.0%}", flush=True)
    results["load_average_at_end"] = os.getloadavg()
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "import.json").write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
