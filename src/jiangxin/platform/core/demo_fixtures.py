"""What the demo loaders of every app share: the demo password, a stand-in PDF, and synthetic but VALID
identity numbers (resident IDs, GB 11643; credit codes, GB 32100).

It sits in core, the bottom floor, so that an app's own demo loader never imports the ``demo`` app (the top).
"""

from __future__ import annotations

import datetime as dt
import random

from stdnum.cn import ric, uscc

from jiangxin.policy.identity import parse_resident_id, validate_credit_code

#: the one password of every demo account (demo only: printed by ``demo_logins``)
DEMO_PASSWORD = "Jiangxin#Demo2026"

_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def _org_code_check(digits: str) -> str:
    """GB 11714 check character of an 8-digit organisation code."""
    total = sum(int(d) * w for d, w in zip(digits, _ORG_WEIGHTS, strict=True))
    value = 11 - total % 11
    return "X" if value == 10 else "0" if value == 11 else str(value)


def credit_code(rng: random.Random, region: str, authority: str = "9", kind: str = "1") -> str:
    """A unified social credit code with correct organisation-code and GB 32100 check characters."""
    body = "".join(str(rng.randrange(10)) for _ in range(8))
    first17 = f"{authority}{kind}{region}{body}{_org_code_check(body)}"
    return validate_credit_code(first17 + uscc.calc_check_digit(first17))


def resident_id(rng: random.Random, region: str, birth: dt.date, sex: str) -> str:
    """A resident ID number with the GB 11643 check digit; sequence parity encodes sex (odd = male)."""
    seq = rng.randrange(0, 500) * 2 + (1 if sex == "male" else 0)
    first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
    number = first17 + ric.calc_check_digit(first17 + "0")
    parse_resident_id(number)  # raises if anything is off
    return number


def demo_pdf(title: str) -> bytes:
    """A tiny valid one-page PDF (ASCII content only) standing in for a scanned certificate."""
    text = "Jiangxin demo evidence"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 144] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        None,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    stream = f"BT /F1 14 Tf 20 70 Td ({text}) Tj ET".encode()
    objects[3] = b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream"
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        assert body is not None, "the content stream (object 4) is filled in above"
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)
