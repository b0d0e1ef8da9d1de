from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operations (运维): health checks, metrics, request ids, backups and the move to PostgreSQL."""

    name = "jiangxin.platform.ops"
    label = "ops"
