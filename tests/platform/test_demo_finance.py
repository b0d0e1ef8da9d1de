"""Demo covers every chain: each jurisdiction has a finance user (南昌市财政局、镇江市财政局、赣州市财政局、
江苏省财政厅), and every demo disbursement batch can be approved by its own finance user through the page."""

from __future__ import annotations

import io
from typing import Any

import fixtures_apps
import pytest
from django.core.management import call_command
from django.test import Client

from jiangxin.platform.accounts.models import User
from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.demo.data import LOGINS
from jiangxin.platform.ledger import services
from jiangxin.platform.ledger.models import DisbursementBatch

pytestmark = pytest.mark.django_db
media = fixtures_apps.media
FINANCE = {"demo_finance_nc": "南昌市财政局", "demo_finance_zj": "镇江市财政局", "demo_finance_gz": "赣州市财政局",
           "demo_finance_js": "江苏省财政厅"}


def test_every_demo_batch_is_approved_by_its_jurisdictions_finance_user(media: Any, settings: Any) -> None:
    call_command("load_programs", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())
    settings.JIANGXIN_TRANSITIONS_CHECK = "raise"  # approving changes state only inside ledger.approve_batch
    listed = {u for u, *_ in LOGINS}
    for username, bureau in FINANCE.items():
        user = User.objects.get(username=username)
        assert username in listed and user.role == Role.FINANCE and user.organisation.name == bureau
        assert services.programs_of(user), username
    batches = list(DisbursementBatch.objects.all())
    assert {"nanchang_academy", "ganzhou_craftsman"} <= {b.program for b in batches}
    for batch in batches:
        payers = [u for u in User.objects.filter(username__in=FINANCE) if batch.program in services.programs_of(u)]
        assert len(payers) == 1, batch.program
        client = Client()
        client.force_login(payers[0])
        assert batch.title in client.get("/ledger/batches/").content.decode()
        response = client.post(f"/ledger/batches/{batch.pk}/approve/", {"expect": batch.status})
        assert response.status_code == 302
        batch.refresh_from_db()
        assert batch.status == "approved" and batch.approved_by == payers[0]
    nanchang = DisbursementBatch.objects.get(program="nanchang_academy")
    assert nanchang.approved_by.username == "demo_finance_nc"
