"""Signed PDFs (签名文书): an issued 赣州工匠 certificate validates with pyHanko against the test CA, breaks when one
byte changes, embeds its CJK font as a subset, and carries a QR code that decodes to its verify URL."""

from __future__ import annotations

import hashlib
import re
from typing import Any

import pytest
import signed_docs_helpers
from signed_docs_helpers import needs_font, qr_texts, validate

pytestmark = [pytest.mark.django_db, needs_font]
gz_world = signed_docs_helpers.gz_world


def _issue(world: dict[str, Any], which: int = 0) -> Any:
    from jiangxin.platform.documents.transitions import issue

    return issue("designation", world["designations"][which].pk, "certificate", actor=world["office"])


def test_signed_certificate_validates_against_the_test_ca(gz_world: dict[str, Any]) -> None:
    doc = _issue(gz_world)
    data = bytes(doc.pdf)
    status = validate(data, gz_world["root"])
    assert status.bottom_line and status.intact and status.valid and status.trusted
    assert "赣州市人力资源和社会保障局" in status.signing_cert.subject.human_friendly
    assert doc.sha256 == hashlib.sha256(data).hexdigest()


def test_changing_one_byte_breaks_the_signature(gz_world: dict[str, Any]) -> None:
    data = bytearray(bytes(_issue(gz_world).pdf))
    position = data.index(b"stream") + 40  # inside the first page's content, covered by the signature
    data[position] ^= 0x01
    status = validate(bytes(data), gz_world["root"])
    assert not status.intact and not status.bottom_line


def test_qr_code_decodes_to_the_verify_url(gz_world: dict[str, Any]) -> None:
    doc = _issue(gz_world)
    assert qr_texts(bytes(doc.pdf)) == [f"https://jiangxin.example.gov.cn/verify/{doc.number}/"]


def test_font_is_embedded_as_a_subset_and_no_full_id_is_printed(gz_world: dict[str, Any]) -> None:
    import pypdfium2 as pdfium

    doc = _issue(gz_world)
    data = bytes(doc.pdf)
    assert re.search(rb"/BaseFont /[A-Z]{6}\+", data)  # subset tag, as embedded subsets are named
    text = pdfium.PdfDocument(data)[0].get_textpage().get_text_range()
    person = gz_world["people"][0]
    assert "赣州工匠证书" in text and person.name in text and doc.number in text
    assert person.reveal_id_number() not in text.replace(" ", "")
    assert person.id_mask in text


def test_numbers_run_per_prefix_and_year(gz_world: dict[str, Any]) -> None:
    first, second = _issue(gz_world, 0), _issue(gz_world, 1)
    year = first.issued_on.year
    assert (first.number, second.number) == (f"GZGJ-{year}-00001", f"GZGJ-{year}-00002")
