from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "jiangxin.platform.documents"
    label = "documents"
