from django.urls import path

from jiangxin.platform.documents import issue_views, views

app_name = "documents"
urlpatterns = [
    path("", views.index, name="index"),
    path("rounds/<int:pk>/ranking.xlsx", views.ranking, name="ranking_xlsx"),
    path("rounds/<int:pk>/naming-list.xlsx", views.naming_list, name="naming_list_xlsx"),
    path("rounds/<int:pk>/naming-decision.docx", views.naming_decision, name="naming_decision_docx"),
    path("notices/<int:pk>/notice.docx", views.notice_docx, name="notice_docx"),
    path("applications/<int:pk>/certificate.docx", views.certificate, name="certificate_docx"),
    path("issue/", issue_views.issue, name="issue"),
    path("issued/<int:pk>/reissue/", issue_views.reissue, name="reissue"),
    path("issued/<int:pk>/withdraw/", issue_views.withdraw, name="withdraw"),
    path("issued/<int:pk>/signed.pdf", issue_views.download, name="issued_pdf"),
    path("templates/upload/", views.template_upload, name="template_upload"),
    path("templates/<str:kind>/default/", views.default_template, name="default_template"),
    path("templates/<str:kind>/reset/", views.template_reset, name="template_reset"),
    path("templates/<int:pk>/download/", views.template_download, name="template_download"),
]
