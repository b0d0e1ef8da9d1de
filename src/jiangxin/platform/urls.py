"""Root URLs. Each app owns its own urls module."""

from django.urls import include, path

from jiangxin.platform.core import security

urlpatterns = [
    path(".well-known/security.txt", security.security_txt, name="security_txt"),
    path("security/", security.security_page, name="security_contact"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("jiangxin.platform.accounts.urls")),
    path("api/", include("jiangxin.platform.api.urls")),
    path("people/", include("jiangxin.platform.people.urls")),
    path("orgs/", include("jiangxin.platform.orgs.urls")),
    path("audit/", include("jiangxin.platform.audit.urls")),
    path("rounds/", include("jiangxin.platform.rounds.urls")),
    path("applications/", include("jiangxin.platform.applications.urls")),
    path("academy/", include("jiangxin.platform.academy.urls")),
    path("notifications/", include("jiangxin.platform.notifications.urls")),
    path("panels/", include("jiangxin.platform.panels.urls")),
    path("review/", include("jiangxin.platform.review.urls")),
    path("designations/", include("jiangxin.platform.designations.urls")),
    path("worklog/", include("jiangxin.platform.worklog.urls")),
    path("publicity/", include("jiangxin.platform.publicity.urls")),
    path("documents/", include("jiangxin.platform.documents.urls")),
    path("ledger/", include("jiangxin.platform.ledger.urls")),
    path("public/notices/", include("jiangxin.platform.publicity.public_urls")),
    path("public/park/", include("jiangxin.platform.park.public_urls")),
    path("park/", include("jiangxin.platform.park.urls")),
    path("cultivation/", include("jiangxin.platform.cultivation.urls")),
    path("assessments/", include("jiangxin.platform.assessments.urls")),
    path("calendar/", include("jiangxin.platform.workcalendar.urls")),
    path("dashboards/", include("jiangxin.platform.dashboards.urls")),
    path("public/statistics/", include("jiangxin.platform.dashboards.public_urls")),
    path("public/", include("jiangxin.platform.portal.urls")),
    path("", include("jiangxin.platform.ops.urls")),
    path("screening/", include("jiangxin.platform.screening.urls")),
    path("verify/", include("jiangxin.platform.documents.public_urls")),
    path("", include("jiangxin.platform.core.urls")),
]
