"""Helpers for the academy/portal tests (ACADEMY helper)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from stdnum.cn import ric

from jiangxin.platform.academy.rows import HEADERS


def rid(n: int, region: str = "360102", birth: dt.date = dt.date(1990, 1, 1)) -> str:
    first17 = f"{region}{birth:%Y%m%d}{n % 1000:03d}"
    return first17 + ric.calc_check_digit(first17 + "0")


def ids(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    out: list[str] = []
    seen: set[str] = set()
    while len(out) < count:
        n = rid(rng.randrange(1000), birth=dt.date(rng.randrange(1970, 2000), rng.randrange(1, 13), rng.randrange(1, 29)))
        if n not in seen:
            seen.add(n)
            out.append(n)
    return out


def row(id_number: str, name: str = "张三", session: str = "2026-焊工-01", start: str = "2026-03-01",
        end: str = "2026-03-20", before: str = "中级工", after: str = "高级工", major: str = "焊工",
        flags: tuple[str, str, str] = ("否", "否", "否")) -> list[str]:
    return [name, id_number, major, session, start, end, before, after, *flags]


def csv_bytes(rows: list[list[Any]], header: tuple[str, ...] = HEADERS) -> bytes:
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(header)
    w.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(list(HEADERS))
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def pdf_bytes() -> bytes:
    from jiangxin.platform.demo.data import demo_pdf

    return demo_pdf("课件")


def mp4_bytes() -> bytes:
    """A minimal ISO-BMFF header (ftyp box) followed by padding: enough for content sniffing."""
    return b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x00" * 64
