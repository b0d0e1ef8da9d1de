from django.apps import AppConfig


class ParkConfig(AppConfig):
    name = "jiangxin.platform.park"
    label = "park"
    verbose_name = "镇江技能大师产业创新园"

    def ready(self) -> None:
        from jiangxin.platform.assessments.services import register_prefill_source
        from jiangxin.platform.park.selectors import assessment_prefill

        register_prefill_source("park_evaluation", assessment_prefill)
