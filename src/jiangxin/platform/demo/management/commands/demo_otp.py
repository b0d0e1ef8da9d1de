"""`jiangxin-admin demo_otp <username>`: the current one-time code of a demo administrator's authenticator.

Demo only: refuses any account that is not one of the demo logins, and refuses when DEBUG is off (production).
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from jiangxin.platform.demo.data import LOGINS


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():0{device.digits}d}"


class Command(BaseCommand):
    help = "Print the current one-time code of a demo administrator (demo only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        username = options["username"]
        if not settings.DEBUG:
            raise CommandError("仅用于演示环境（DEBUG=1）。")
        if username not in {u for u, *_ in LOGINS}:
            raise CommandError(f"{username} 不是演示账号。")
        device = TOTPDevice.objects.filter(user__username=username, confirmed=True).first()
        if device is None:
            raise CommandError(f"{username} 没有绑定身份验证器。")
        self.stdout.write(current_code(device))
