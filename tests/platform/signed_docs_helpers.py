"""Fixtures for signed-PDF tests: a Ganzhou office with a test CA in a temporary folder, two 赣州工匠 (one will be
revoked), and helpers to validate a PDF's signature and decode its QR code.

Use the fixture in a test module with ``gz_world = signed_docs_helpers.gz_world``."""

from __future__ import annotations

import datetime as dt
import io
import random
import warnings
from pathlib import Path
from typing import Any

import pytest

from jiangxin.platform.documents.pdf import FONT_CANDIDATES

HAS_FONT = any(Path(p).is_file() for p in FONT_CANDIDATES)
needs_font = pytest.mark.skipif(not HAS_FONT, reason="no Debian CJK font: run `make fonts`")


@pytest.fixture
def gz_world(db: None, settings: Any, tmp_path: Path) -> dict[str, Any]:
    from jiangxin.platform.accounts.models import User
    from jiangxin.platform.accounts.roles import Role
    from jiangxin.platform.core.demo_fixtures import resident_id
    from jiangxin.platform.designations.services import designate
    from jiangxin.platform.documents.demo import ensure_office_certificates
    from jiangxin.platform.orgs.models import Organisation
    from jiangxin.platform.orgs.seed import seed_org_tree
    from jiangxin.platform.people.services import register_person
    from jiangxin.platform.rounds import services as round_services

    settings.JIANGXIN_PDF_SIGNING = {"key_dir": str(tmp_path / "signing")}
    settings.JIANGXIN_PUBLIC_URL = "https://jiangxin.example.gov.cn"
    round_services.sync_programs()
    seed_org_tree()
    gz = Organisation.objects.get(name="赣州市人力资源和社会保障局")
    office = User.objects.create(username="office_gz", role=Role.OFFICE, organisation=gz, must_change_password=False)
    rng = random.Random(17)
    people = []
    for name, birth in (("钟建国", dt.date(1980, 5, 6)), ("刘海涛", dt.date(1978, 3, 9))):
        people.append(register_person(name=name, id_number=resident_id(rng, "360702", birth, "male"),
                                      original_retirement_age=60))
    designations = [designate(program="ganzhou_craftsman", name=f"赣州工匠 {p.name}", on=dt.date(2025, 12, 20),
                              actor=office, holder_person=p, scope_org=gz, leader_person=p, reason="确定")
                    for p in people]
    root = ensure_office_certificates(tmp_path / "signing")
    return {"office": office, "gz": gz, "people": people, "designations": designations, "root": root}


def validate(data: bytes, root: Path) -> Any:
    """pyHanko's validation of the document's (only) signature against ``root`` as the trust anchor."""
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reader = PdfFileReader(io.BytesIO(data))
        signatures = reader.embedded_signatures
        assert len(signatures) == 1
        context = ValidationContext(trust_roots=[load_cert_from_pemder(str(root))])
        return validate_pdf_signature(signatures[0], context)


def qr_texts(data: bytes) -> list[str]:
    """The QR codes on the first page, rendered with PDFium and decoded with zxing-cpp."""
    import pypdfium2 as pdfium
    import zxingcpp

    page = pdfium.PdfDocument(data)[0]
    image = page.render(scale=3).to_pil()
    return [b.text for b in zxingcpp.read_barcodes(image)]
