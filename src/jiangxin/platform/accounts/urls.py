from django.urls import path

from jiangxin.platform.accounts import views, views_admin, views_otp

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("otp/verify/", views_otp.otp_verify, name="otp_verify"),
    path("otp/setup/", views_otp.otp_setup, name="otp_setup"),
    path("otp/recovery-codes/", views_otp.otp_recovery_codes, name="otp_recovery_codes"),
    # system administrator
    path("users/", views_admin.user_list, name="user_list"),
    path("users/new/", views_admin.user_create, name="user_create"),
    path("users/<int:pk>/", views_admin.user_detail, name="user_detail"),
    path("users/<int:pk>/active/", views_admin.user_set_active, name="user_set_active"),
    path("users/<int:pk>/reset-password/", views_admin.user_reset_password, name="user_reset_password"),
    # security administrator
    path("security/logins/", views_admin.login_log, name="login_log"),
    path("security/locked/", views_admin.locked_accounts, name="locked_accounts"),
    path("security/locked/<int:pk>/unlock/", views_admin.unlock_account, name="unlock_account"),
    path("security/policy/", views_admin.security_policy, name="security_policy"),
    path("security/second-factor/", views_otp.second_factor_policy, name="second_factor_policy"),
    path("security/second-factor/<int:pk>/reset/", views_otp.second_factor_reset, name="second_factor_reset"),
]
