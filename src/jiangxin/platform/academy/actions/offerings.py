"""Academy actions on training offerings (培训班次, 第十六条): registering an offering."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from jiangxin.platform.academy.errors import AcademyError
from jiangxin.platform.academy.models import TrainingOffering
from jiangxin.platform.academy.selectors import require_academy
from jiangxin.platform.academy.transitions import action
from jiangxin.platform.audit.service import record, snapshot


@action("academy.create_offering")
def create_offering(user: Any, **values: Any) -> TrainingOffering:
    org = require_academy(user)
    if values["ends"] < values["starts"]:
        raise AcademyError("结束日期不能早于开始日期")
    with transaction.atomic():
        offering = TrainingOffering.objects.create(academy=org, **values)
        record("academy.offering.create", offering, actor=user, summary=f"发布培训项目：{offering.title}",
               after=snapshot(offering))
    return offering
