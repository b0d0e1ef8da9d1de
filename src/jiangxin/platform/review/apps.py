from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "jiangxin.platform.review"
    label = "review"
    verbose_name = "评审流程"

    def ready(self) -> None:
        from jiangxin.platform.core import answers
        from jiangxin.platform.review import signals  # noqa: F401  (opens a case when an application is submitted)
        from jiangxin.platform.review.bans import submission_bans
        from jiangxin.platform.review.services import check_publishable, disqualify, returned_until

        # what the applications and publicity apps (lower floors) ask of the review chain
        answers.answer("applications.submission_bars", submission_bans)
        answers.answer("applications.return_deadline", returned_until)
        answers.answer("publicity.publishable_stage", check_publishable)
        answers.answer("publicity.disqualify", disqualify)
