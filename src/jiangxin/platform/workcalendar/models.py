"""An office-entered year of the official working-day calendar (国务院办公厅部分节假日安排)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiangxin.policy.workdays import EnteredYear


class CalendarYear(models.Model):
    """One year's holidays and make-up workdays as the State Council notice sets them (dates as ISO strings)."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    notice_reference = models.CharField(_("通知文号"), max_length=200)
    holidays = models.JSONField(_("放假日期"), default=list)
    makeup_workdays = models.JSONField(_("调休上班日期"), default=list)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("录入人"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-year",)
        verbose_name = _("工作日日历年度")

    def __str__(self) -> str:
        return f"{self.year}"

    def holiday_dates(self) -> list[dt.date]:
        return sorted(dt.date.fromisoformat(d) for d in self.holidays)

    def workday_dates(self) -> list[dt.date]:
        return sorted(dt.date.fromisoformat(d) for d in self.makeup_workdays)

    def as_entered_year(self) -> EnteredYear:
        return EnteredYear(self.year, frozenset(self.holiday_dates()), frozenset(self.workday_dates()),
                           self.notice_reference)
