"""Session limits and the two-factor gate."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

from passend.accounts.access import scope_for

SESSION_STARTED_KEY = "passend_started_at"


class SessionLimitsMiddleware:
    """Ends a session 12 hours after log-in, however active it was (ASVS 7.3.2).

    The idle limit of 30 minutes is the cookie age itself (SESSION_COOKIE_AGE, renewed on every
    request by SESSION_SAVE_EVERY_REQUEST).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            started = request.session.get(SESSION_STARTED_KEY)
            if started is None or time.time() - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                return redirect(f"{reverse('accounts:login')}?next={request.path}")
        return self.get_response(request)


#: Paths a half-logged-in user may reach: the second step itself, log-out, language, health.
TWO_FACTOR_EXEMPT_NAMES = ("accounts:otp_verify", "accounts:otp_setup", "accounts:logout")


def requires_two_factor(user) -> bool:
    """Whether ``user`` must pass the second factor before reaching any page.

    Anyone who enrolled a device must use it; in production (REQUIRE_2FA) the roles that can see
    student files (coordinator, bpo, partner) must enrol.
    """
    from django_otp import user_has_device

    if user_has_device(user, confirmed=True):
        return True
    return settings.REQUIRE_2FA and bool(scope_for(user).roles & set(settings.TWO_FACTOR_ROLES))


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not user.is_verified() and requires_two_factor(user):
            exempt = {reverse(name) for name in TWO_FACTOR_EXEMPT_NAMES}
            exempt |= {reverse("set_language"), reverse("healthz")}
            if request.path not in exempt and not request.path.startswith(settings.STATIC_URL):
                from django_otp import user_has_device

                target = "accounts:otp_verify" if user_has_device(user) else "accounts:otp_setup"
                return redirect(target)
        return self.get_response(request)
