"""The form the system administrator fills from the State Council's yearly holiday notice."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiangxin.policy.workdays import known_years

_SPLIT = re.compile(r"[\s,，、;；]+")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:~|～|至|\.\.)(\d{4}-\d{2}-\d{2})$")
MAX_RANGE_DAYS = 31
REQUIRED = {"required": gettext_lazy("此项为必填项。")}


def parse_dates(text: str) -> list[dt.date]:
    """Dates separated by spaces, commas or new lines; ``2027-02-06~2027-02-12`` stands for every day between.

    Raises ``forms.ValidationError`` naming the first token that is not a date; duplicates are kept (the form
    reports them)."""
    out: list[dt.date] = []
    for token in (t for t in _SPLIT.split(text.strip()) if t):
        match = _RANGE.match(token)
        try:
            if match:
                first, last = dt.date.fromisoformat(match[1]), dt.date.fromisoformat(match[2])
                if last < first or (last - first).days >= MAX_RANGE_DAYS:
                    raise forms.ValidationError(
                        _("“%(t)s”不是有效的日期区间（起日不晚于止日，且不超过%(n)s天）。") % {"t": token, "n": MAX_RANGE_DAYS})
                out.extend(first + dt.timedelta(days=i) for i in range((last - first).days + 1))
            else:
                out.append(dt.date.fromisoformat(token))
        except ValueError:
            raise forms.ValidationError(
                _("“%(t)s”不是日期，请按“2027-01-01”的格式填写，区间写作“2027-02-06~2027-02-12”。") % {"t": token}) from None
    return out


def _duplicates(days: list[dt.date]) -> list[dt.date]:
    seen: set[dt.date] = set()
    return sorted({d for d in days if d in seen or seen.add(d)})  # type: ignore[func-returns-value]


class CalendarYearForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("年度"), min_value=2000, max_value=2100, error_messages=REQUIRED)
    notice_reference = forms.CharField(label=gettext_lazy("通知文号"), max_length=200, error_messages=REQUIRED,
                                       help_text=gettext_lazy("国务院办公厅关于该年部分节假日安排的通知文号，例如“国办发明电〔2026〕7号”。"))
    holidays = forms.CharField(label=gettext_lazy("放假日期"), error_messages=REQUIRED, widget=forms.Textarea(attrs={"rows": 5}),
                               help_text=gettext_lazy("该年通知中所有放假的日期（含放假期间的周末），每行一个或用逗号分隔；"
                                            "连续日期可写作“2027-02-06~2027-02-12”。"))
    makeup_workdays = forms.CharField(label=gettext_lazy("调休上班日期"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 3}),
                                      help_text=gettext_lazy("通知中调休上班的周六、周日；没有则留空。"))

    def __init__(self, *args: Any, editing_year: int | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.editing_year = editing_year
        if editing_year is not None:
            self.fields["year"].disabled = True

    def clean_year(self) -> int:
        year: int = self.cleaned_data["year"]
        if self.editing_year is not None:
            return self.editing_year
        if year in known_years():
            raise forms.ValidationError(
                _("%(y)s年的日历已随系统提供（依据国务院办公厅通知），不能在此覆盖。如发现有误，请联系系统运维人员更正随附日历。")
                % {"y": year})
        from jiangxin.platform.workcalendar.models import CalendarYear

        if CalendarYear.objects.filter(year=year).exists():
            raise forms.ValidationError(_("%(y)s年的日历已录入，请在列表中点“修改”。") % {"y": year})
        return year

    def clean_holidays(self) -> list[dt.date]:
        days = parse_dates(self.cleaned_data["holidays"])
        if not days:
            raise forms.ValidationError(_("请至少填写一个放假日期。"))
        return days

    def clean_makeup_workdays(self) -> list[dt.date]:
        return parse_dates(self.cleaned_data.get("makeup_workdays") or "")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None, "Form.clean() returns cleaned_data"
        year = data.get("year")
        holidays: list[dt.date] | None = data.get("holidays")
        workdays: list[dt.date] | None = data.get("makeup_workdays")
        if year is None or holidays is None or workdays is None:
            return data
        for field, days in (("holidays", holidays), ("makeup_workdays", workdays)):
            outside = [d for d in days if d.year != year]
            if outside:
                self.add_error(field, _("%(d)s不在%(y)s年内。") % {"d": outside[0].isoformat(), "y": year})
            twice = _duplicates(days)
            if twice:
                self.add_error(field, _("%(d)s重复填写。") % {"d": twice[0].isoformat()})
        weekday = [d for d in workdays if d.weekday() < 5]
        if weekday:
            self.add_error("makeup_workdays", _("%(d)s是工作日（周一至周五），调休上班日只能是周六或周日。")
                           % {"d": weekday[0].isoformat()})
        both = sorted(set(holidays) & set(workdays))
        if both:
            self.add_error("makeup_workdays", _("%(d)s同时填在放假日期和调休上班日期中。") % {"d": both[0].isoformat()})
        return data
