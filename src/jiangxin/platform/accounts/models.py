"""Users: one role, one organisation node, lockout and forced password change."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiangxin.platform.accounts.roles import ADMIN_ROLES, Role


class User(AbstractUser):
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    organisation = models.ForeignKey("orgs.Organisation", verbose_name=_("所属组织"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="users")
    person = models.ForeignKey("people.Person", verbose_name=_("本人档案"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="accounts")
    display_name = models.CharField(_("姓名"), max_length=50, blank=True)
    must_change_password = models.BooleanField(_("首次登录须修改密码"), default=True)
    failed_logins = models.PositiveSmallIntegerField(_("连续登录失败次数"), default=0)
    locked_until = models.DateTimeField(_("锁定至"), null=True, blank=True)
    #: an administrator's reset leaves no usable password: only this one-time code (hashed; sent to the user,
    #: never shown to the administrator) can be turned into a new password at the next sign-in
    reset_code_hash = models.CharField(_("重置码摘要"), max_length=128, blank=True, editable=False)
    reset_code_expires = models.DateTimeField(_("重置码有效期至"), null=True, blank=True, editable=False)

    #: not stored: the authentication backend, set (as ``authenticate()`` does) before ``login()``
    backend: str

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def is_locked(self) -> bool:
        return self.locked_until is not None and self.locked_until > timezone.now()

    @property
    def is_administrator(self) -> bool:
        return self.role in ADMIN_ROLES

    def has_role(self, *roles: str) -> bool:
        return self.role in roles


class LoginEvent(models.Model):
    """登录日志: every attempt, successful or not."""

    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    username = models.CharField(_("用户名"), max_length=150)
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL)
    succeeded = models.BooleanField(_("成功"))
    reason = models.CharField(_("说明"), max_length=100, blank=True)
    address = models.GenericIPAddressField(_("地址"), null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at"]  # noqa: RUF012
        verbose_name = _("登录日志")


class SecondFactorRole(models.Model):
    """A role for which the security administrator made the second factor (TOTP) mandatory.

    The three administrators always need it, whatever this table says (accounts.otp.requires_second_factor).
    """

    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, unique=True)
    set_at = models.DateTimeField(_("设置时间"), default=timezone.now)
    set_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("须双因素认证的角色")


class RateLimitHit(models.Model):
    """One counted attempt (login, token creation, objection…) for a hashed key, kept in the database so the
    limit holds across processes and servers (accounts.ratelimit)."""

    scope = models.CharField(max_length=30)
    key = models.CharField(max_length=64)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["scope", "key", "at"])]  # noqa: RUF012
