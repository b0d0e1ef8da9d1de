"""What an application form asks beyond the eligibility facts: the program's application sheet
(e.g. the park's 附件1 入驻申报表). Stored in ``Application.details``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext

TEXT, AREA = "text", "area"


def sheet_fields(program_key: str) -> list[tuple[str, str, str, bool]]:
    """The program's application sheet as it declares it: (name, label in the reader's language, widget, required)."""
    from jiangxin.platform.rounds.catalog import PROGRAM_INFO, declaration, text

    if program_key not in PROGRAM_INFO:
        return []
    return [(f.name, text(f.label), f.widget, f.required) for f in declaration(program_key).sheet]


class DetailsForm(forms.Form):
    prefix = "d"

    def __init__(self, program_key: str, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.required_names = []
        for name, label, widget, required in sheet_fields(program_key):
            self.fields[name] = forms.CharField(
                label=gettext(label) + (" *" if required else ""), required=False, max_length=4000,
                widget=forms.Textarea(attrs={"rows": 3}) if widget == AREA else forms.TextInput())
            if required:
                self.required_names.append(name)

    def missing(self, details: dict[str, Any]) -> list[str]:
        """Labels of required sheet fields still empty (checked at submission)."""
        return [str(self.fields[n].label).rstrip(" *") for n in self.required_names if not details.get(n)]
