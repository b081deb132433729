"""System checks for what ``check --deploy`` does not cover (security.md §3, test S7)."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def passend_deploy_checks(app_configs=None, **kwargs):
    errors = []
    if "csp.middleware.CSPMiddleware" not in settings.MIDDLEWARE:
        errors.append(Error("Content-Security-Policy middleware is missing.", id="passend.E001"))
    directives = getattr(settings, "CONTENT_SECURITY_POLICY", {}).get("DIRECTIVES", {})
    if "'unsafe-inline'" in directives.get("script-src", []):
        errors.append(Error("CSP script-src allows 'unsafe-inline'.", id="passend.E002"))
    for name in ("object-src", "base-uri", "frame-ancestors"):
        if directives.get(name) != ["'none'"]:
            errors.append(Error(f"CSP {name} must be 'none'.", id="passend.E003"))
    if settings.SESSION_COOKIE_AGE > 12 * 60 * 60:
        errors.append(Error("SESSION_COOKIE_AGE is longer than 12 hours.", id="passend.E004"))
    if settings.SESSION_ABSOLUTE_SECONDS > 12 * 60 * 60:
        errors.append(Error("The absolute session limit exceeds 12 hours.", id="passend.E005"))
    for name in ("SESSION_COOKIE_NAME", "CSRF_COOKIE_NAME"):
        if not getattr(settings, name).startswith("__Host-"):
            errors.append(Error(f"{name} must start with __Host-.", id="passend.E006"))
    if settings.DEBUG:
        errors.append(Error("DEBUG is on.", id="passend.E007"))
    if not settings.REQUIRE_2FA:
        errors.append(
            Error(
                "Two-factor authentication is not required (PASSEND_REQUIRE_2FA).",
                id="passend.E008",
            )
        )
    if not settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher"):
        errors.append(Error("Passwords must be hashed with Argon2.", id="passend.E009"))
    return errors
