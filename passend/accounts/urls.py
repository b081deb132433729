from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from passend.accounts import forms, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("login/verify/", views.otp_verify, name="otp_verify"),
    path("account/two-factor/", views.otp_setup, name="otp_setup"),
    path("partnerships/<uuid:partnership_code>/users/", views.user_list, name="user_list"),
    path("partnerships/<uuid:partnership_code>/users/new/", views.user_create, name="user_create"),
    path(
        "partnerships/<uuid:partnership_code>/users/<uuid:user_code>/",
        views.user_detail,
        name="user_detail",
    ),
    path(
        "partnerships/<uuid:partnership_code>/roles/<uuid:membership_code>/end/",
        views.membership_end,
        name="membership_end",
    ),
]

# Choosing a password (invitation) and forgetting one use Django's token-based reset views.
urlpatterns += [
    path(
        "password/reset/",
        auth_views.PasswordResetView.as_view(
            template_name="accounts/password_reset.html",
            form_class=forms.PasswordResetForm,
            email_template_name="accounts/email/password_reset.txt",
            subject_template_name="accounts/email/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            form_class=forms.SetPasswordForm,
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
]
