"""Password policy: besides length and common-password checks, at least three character classes."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class CharacterClassValidator:
    classes = (re.compile(r"[a-z]"), re.compile(r"[A-Z]"), re.compile(r"\d"), re.compile(r"[^A-Za-z0-9]"))

    def validate(self, password: str, user: Any = None) -> None:
        if sum(1 for c in self.classes if c.search(password)) < 3:
            raise ValidationError(_("密码须包含大写字母、小写字母、数字、符号中的至少三类。"),
                                  code="password_too_simple")

    def get_help_text(self) -> str:
        return _("至少包含大写字母、小写字母、数字、符号中的三类。")
