from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from jiangxin.platform.audit.models import AuditEvent


class AuditFilterForm(forms.Form):
    q = forms.CharField(label=_("摘要包含"), required=False)
    action = forms.CharField(label=_("操作"), required=False)
    actor = forms.CharField(label=_("操作人"), required=False)
    object_type = forms.CharField(label=_("对象类型"), required=False)
    object_id = forms.CharField(label=_("对象编号"), required=False)
    date_from = forms.DateField(label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("截止日期不能早于起始日期。"))
        return data

    def filter(self, qs: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
        if not self.is_valid():
            return qs
        d = self.cleaned_data
        if d.get("q"):
            qs = qs.filter(summary__icontains=d["q"])
        if d.get("action"):
            qs = qs.filter(action__icontains=d["action"])
        if d.get("actor"):
            qs = qs.filter(Q(actor_name__icontains=d["actor"]))
        if d.get("object_type"):
            qs = qs.filter(object_type__icontains=d["object_type"])
        if d.get("object_id"):
            qs = qs.filter(object_id=d["object_id"])
        if d.get("date_from"):
            qs = qs.filter(at__date__gte=d["date_from"])
        if d.get("date_to"):
            qs = qs.filter(at__date__lte=d["date_to"])
        return qs
