from __future__ import annotations

import unicodedata
from typing import Any

from django.core.management.base import BaseCommand

from jiangxin.platform.accounts.models import User
from jiangxin.platform.demo.data import DEMO_PASSWORD, LOGINS


def display_width(text: str) -> int:
    """Terminal columns ``text`` takes: wide and full-width characters (CJK, full-width punctuation) take two,
    combining marks none, everything else one (Unicode East Asian Width)."""
    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


_width = display_width


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


class Command(BaseCommand):
    help = "Print the demo accounts: role, username, password, what to try."

    def handle(self, *args: Any, **options: Any) -> None:
        existing = set(User.objects.filter(username__in=[u for u, *_ in LOGINS]).values_list("username", flat=True))
        if not existing:
            self.stdout.write("尚未载入演示数据：请先运行 load_demo。")
            return
        rows = [("角色", "用户名", "密码", "可以试试")]
        for username, role, who, hint in LOGINS:
            if username in existing:
                label = str(dict(User._meta.get_field("role").choices or ()).get(role, role))
                rows.append((f"{label}（{who}）", username, DEMO_PASSWORD, hint))
        widths = [max(_width(r[i]) for r in rows) for i in range(3)]
        for i, row in enumerate(rows):
            self.stdout.write("  ".join(_pad(row[c], widths[c]) for c in range(3)) + "  " + row[3])
            if i == 0:
                self.stdout.write("-" * (sum(widths) + 6 + 20))
        self.stdout.write("\n演示账号仅供本机演示，首次登录无需改密；请勿在生产环境载入演示数据。")
        self._second_factor()

    def _second_factor(self) -> None:
        """The three administrators sign in with a one-time code as well (双因素认证)."""
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from jiangxin.platform.accounts.otp import secret_base32
        from jiangxin.platform.demo.management.commands.demo_otp import current_code

        devices = (TOTPDevice.objects.filter(user__username__in=[u for u, *_ in LOGINS], confirmed=True)
                   .select_related("user").order_by("user__username"))
        if not devices:
            return
        self.stdout.write("\n管理员登录还须输入动态验证码。可把下列密钥加入任一 TOTP 身份验证器应用，"
                          "或随时运行 `.venv/bin/jiangxin-admin demo_otp <用户名>` 取得当前验证码：")
        for device in devices:
            self.stdout.write(f"  {device.user.username}  密钥 {secret_base32(device)}  "
                              f"当前验证码 {current_code(device)}（30 秒内有效）")
