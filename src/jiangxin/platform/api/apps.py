from typing import Any

from django.apps import AppConfig


def _revoke_tokens(sender: Any, *, user: Any, why: str, **kwargs: Any) -> None:
    from jiangxin.platform.api.services import revoke_all

    revoke_all(user, why)


class ApiConfig(AppConfig):
    name = "jiangxin.platform.api"
    label = "api"

    def ready(self) -> None:
        from jiangxin.platform.accounts.signals import credentials_revoked

        # a password change, an administrator's reset or a deactivation voids the user's API tokens
        credentials_revoked.connect(_revoke_tokens, dispatch_uid="api.revoke_tokens")
