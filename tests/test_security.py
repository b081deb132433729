"""Security baseline (security.md S3–S8).

Lockout, two-factor, sessions, passwords, deployment configuration and response headers.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

import passend.settings as passend_settings
from passend.accounts.models import Membership
from passend.audit.models import AuditEvent
from tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _reset_axes(db):
    from axes.utils import reset

    reset()
    yield
    reset()


def login(client, user, password=PASSWORD, **extra):
    return client.post(
        reverse("accounts:login"), {"username": user.email, "password": password}, **extra
    )


# --- S3: brute force and X-Forwarded-For -------------------------------------------------------


def test_lockout_after_five_failures_even_with_the_right_password(client, world):
    user = world.users["coordinator"]
    codes = [login(client, user, "wrong-password").status_code for _ in range(5)]
    assert codes[:4] == [200, 200, 200, 200]  # the form again, with an error
    assert codes[4] == 429
    assert login(client, user).status_code == 429
    assert "_auth_user_id" not in client.session


def test_rotating_x_forwarded_for_does_not_reset_the_counter(client, world):
    user = world.users["coordinator"]
    codes = [
        login(client, user, "wrong-password", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}").status_code
        for i in range(20)
    ]
    assert 429 in codes[:5]
    assert set(codes[5:]) == {429}
    assert login(client, user, HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 429


def test_logins_and_failures_are_audited(client, world):
    user = world.users["coordinator"]
    login(client, user, "wrong-password")
    failed = AuditEvent.objects.get(action="auth.login_failed")
    assert failed.actor is None and failed.actor_label == user.email
    assert failed.ip_address == "127.0.0.1"
    assert "wrong-password" not in str(failed.extra)
    assert login(client, user).status_code == 302
    assert AuditEvent.objects.filter(action="auth.login", actor=user).count() == 1
    client.post(reverse("accounts:logout"))
    assert AuditEvent.objects.filter(action="auth.logout", actor=user).count() == 1


# --- S4: two-factor ----------------------------------------------------------------------------


def current_token(device: TOTPDevice, offset: int = 0) -> str:
    token = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset)
    return f"{token:06d}"


@override_settings(REQUIRE_2FA=True)
def test_two_factor_is_required_for_roles_that_see_student_files(client, world):
    user = world.users["coordinator"]
    assert login(client, user).status_code == 302
    response = client.get(reverse("front:home"))
    assert response.status_code == 302 and response.url == reverse("accounts:otp_setup")
    # Every non-public page redirects, not only the start page.
    school_page = client.get(reverse("organisations:school_detail", args=[world.a.code]))
    assert school_page.status_code == 302
    # Enrolment: the setup page creates an unconfirmed device; a correct code confirms it.
    assert client.get(reverse("accounts:otp_setup")).status_code == 200
    device = TOTPDevice.objects.get(user=user)
    assert not device.confirmed
    with time_machine.travel(time.time(), tick=False) as traveller:
        bad = client.post(reverse("accounts:otp_setup"), {"token": "000000"})
        if current_token(device) != "000000":
            assert bad.status_code == 200 and not TOTPDevice.objects.get(pk=device.pk).confirmed
        # django-otp throttles after a failure (1 s, doubling): wait it out.
        traveller.shift(3)
        response = client.post(reverse("accounts:otp_setup"), {"token": current_token(device)})
    assert response.status_code == 302
    assert client.get(reverse("front:home")).status_code == 200
    assert AuditEvent.objects.filter(action="auth.two_factor_enrolled", actor=user).exists()


@override_settings(REQUIRE_2FA=True)
def test_roles_without_student_files_are_not_forced(client, world):
    assert login(client, world.users["partnership_admin"]).status_code == 302
    assert client.get(reverse("front:home")).status_code == 200


@override_settings(REQUIRE_2FA=False)
def test_an_enrolled_device_is_always_asked_and_a_token_is_single_use(client, world):
    user = world.users["partnership_admin"]
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    login(client, user)
    response = client.get(reverse("front:home"))
    assert response.status_code == 302 and response.url == reverse("accounts:otp_verify")
    token = current_token(device)
    assert client.post(reverse("accounts:otp_verify"), {"token": token}).status_code == 302
    assert client.get(reverse("front:home")).status_code == 200
    client.post(reverse("accounts:logout"))
    # A second session replaying the same code is refused.
    login(client, user)
    replay = client.post(reverse("accounts:otp_verify"), {"token": token})
    assert replay.status_code == 200
    assert client.get(reverse("front:home")).status_code == 302


@override_settings(REQUIRE_2FA=True)
def test_password_reset_does_not_bypass_the_second_factor(client, world):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    user = world.users["bpo"]
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    url = reverse(
        "accounts:password_reset_confirm", args=[uid, default_token_generator.make_token(user)]
    )
    response = client.get(url, follow=True)
    new = "an entirely new passphrase 2026"
    client.post(response.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    user.refresh_from_db()
    assert user.check_password(new)
    login(client, user, new)
    response = client.get(reverse("front:home"))
    assert response.status_code == 302 and response.url == reverse("accounts:otp_verify")


# --- S5: sessions ------------------------------------------------------------------------------


def test_session_key_changes_on_login_and_old_cookie_dies_on_logout(client, world):
    client.get(reverse("accounts:login"))
    client.session.save()
    before = client.session.session_key
    login(client, world.users["coordinator"])
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after and after != before
    client.post(reverse("accounts:logout"))
    client.cookies[settings.SESSION_COOKIE_NAME] = after  # replay the old cookie
    response = client.get(reverse("front:home"))
    assert response.status_code == 302 and reverse("accounts:login") in response.url


def test_idle_timeout_after_thirty_minutes(client, world):
    with time_machine.travel("2026-03-02 09:00 +0100", tick=False) as traveller:
        login(client, world.users["coordinator"])
        assert client.get(reverse("front:home")).status_code == 200
        traveller.shift(29 * 60)
        assert client.get(reverse("front:home")).status_code == 200  # activity renews
        traveller.shift(31 * 60)
        response = client.get(reverse("front:home"))
        assert response.status_code == 302 and reverse("accounts:login") in response.url


def test_absolute_timeout_after_twelve_hours_of_activity(client, world):
    with time_machine.travel("2026-03-02 07:00 +0100", tick=False) as traveller:
        login(client, world.users["coordinator"])
        for _ in range(12 * 60 // 20):  # a request every 20 minutes for 12 hours
            traveller.shift(20 * 60)
            last = client.get(reverse("front:home"))
        assert last.status_code == 200 or last.status_code == 302
        traveller.shift(20 * 60)
        response = client.get(reverse("front:home"))
        assert response.status_code == 302 and reverse("accounts:login") in response.url
        assert "_auth_user_id" not in client.session


def test_deactivated_user_and_ended_role_lose_access_at_the_next_request(client, world):
    user = world.users["coordinator"]
    login(client, user)
    school_url = reverse("organisations:school_detail", args=[world.a.code])
    assert client.get(school_url).status_code == 200
    Membership.objects.filter(user=user).update(valid_until="2021-01-01")
    assert client.get(school_url).status_code == 404
    user.is_active = False
    user.save(update_fields=["is_active"])
    response = client.get(reverse("front:home"))
    assert response.status_code == 302 and reverse("accounts:login") in response.url


# --- S6: passwords -----------------------------------------------------------------------------


def test_password_policy():
    validate_password("a long passphrase that is fine " * 2)  # 62+ characters accepted
    validate_password("x" * 64 + "Yz!")
    for bad in ("short1!", "password1234", "123456789012", "y" * 257):
        with pytest.raises(ValidationError):
            validate_password(bad)


def test_production_hasher_is_argon2id_with_enough_memory():
    assert passend_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    with override_settings(PASSWORD_HASHERS=passend_settings.PASSWORD_HASHERS):
        encoded = make_password("correct horse battery staple")
    assert encoded.startswith("argon2$argon2id$")
    params = dict(p.split("=") for p in encoded.split("$")[3].split(","))
    assert int(params["m"]) >= 19456 and int(params["t"]) >= 2


# --- S7: deployment configuration --------------------------------------------------------------


def run_passend(*args, env_extra=None, tmp_path=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PASSEND_")}
    env.update(
        PASSEND_ENV="production",
        PASSEND_ALLOWED_HOSTS="passend.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'check.sqlite3'}",
        PASSEND_FIELD_KEYS="SRv6ZG7BWtcHaVmO0GI2V5kYbBHrA8xYn5mVvxCDI0I=",
    )
    env.update(env_extra or {})
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "passend.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )


def test_check_deploy_is_clean_in_production(tmp_path):
    secret_file = tmp_path / "secret"
    secret_file.write_text("s3cr3t-" + "k" * 60)
    result = run_passend(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_extra={"PASSEND_SECRET_KEY_FILE": str(secret_file)},
        tmp_path=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_fails_without_two_factor_or_secret(tmp_path):
    result = run_passend(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_extra={"PASSEND_SECRET_KEY": "s" * 64, "PASSEND_REQUIRE_2FA": "0"},
        tmp_path=tmp_path,
    )
    assert result.returncode != 0 and "passend.E008" in result.stdout + result.stderr
    no_secret = run_passend("check", tmp_path=tmp_path)
    assert no_secret.returncode != 0 and "PASSEND_SECRET_KEY" in no_secret.stderr


def test_production_refuses_to_start_without_field_keys(tmp_path):
    result = run_passend(
        "check",
        env_extra={"PASSEND_SECRET_KEY": "s" * 64, "PASSEND_FIELD_KEYS": ""},
        tmp_path=tmp_path,
    )
    assert result.returncode != 0 and "PASSEND_FIELD_KEYS" in result.stderr


def test_own_deploy_checks_catch_what_django_misses():
    from passend.accounts.checks import passend_deploy_checks

    prod = {
        "DEBUG": False,
        "SESSION_COOKIE_NAME": "__Host-sessionid",
        "CSRF_COOKIE_NAME": "__Host-csrftoken",
        "REQUIRE_2FA": True,
        "PASSWORD_HASHERS": passend_settings.PASSWORD_HASHERS,
    }
    with override_settings(**prod):
        assert passend_deploy_checks() == []
    broken = {
        "MIDDLEWARE": [m for m in settings.MIDDLEWARE if "csp" not in m],
        "SESSION_COOKIE_AGE": 14 * 24 * 3600,
        "SESSION_COOKIE_NAME": "sessionid",
    }
    with override_settings(**{**prod, **broken}):
        ids = {e.id for e in passend_deploy_checks()}
    assert {"passend.E001", "passend.E004", "passend.E006"} <= ids


# --- S8: response headers ----------------------------------------------------------------------


def test_security_headers_on_html_and_json(client, world):
    login(client, world.users["partnership_admin"])
    urls = [
        reverse("front:home"),
        reverse("organisations:school_list"),
        reverse("organisations:school_detail", args=[world.a.code]),
        reverse("accounts:user_list", args=[world.p.code]),
        reverse("organisations:school_detail", args=[world.c.code]),  # a 404 page
    ]
    for url in urls:
        response = client.get(url)
        assert response["Content-Type"].startswith("text/html")
        csp = response["Content-Security-Policy"]
        for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
            assert directive in csp, (url, csp)
        assert "unsafe-inline" not in csp
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        assert response["Cache-Control"] == "no-store"
    health = client.get(reverse("healthz"))
    assert health["Content-Type"] == "application/json"
    anonymous_login = client.__class__().get(reverse("accounts:login"))
    assert "frame-ancestors 'none'" in anonymous_login["Content-Security-Policy"]


# --- SQLite: concurrent writers queue instead of failing ---------------------------------------

CONCURRENCY_SCRIPT = """
import os, sys
from multiprocessing import Pool
import django
os.environ["DJANGO_SETTINGS_MODULE"] = "passend.settings"
django.setup()
from django.db import connection, transaction

def work(n):
    errors = 0
    for _ in range(50):
        try:
            with transaction.atomic():
                with connection.cursor() as c:
                    c.execute("SELECT value FROM counter WHERE id = 1")
                    value = c.fetchone()[0]
                    c.execute("UPDATE counter SET value = %s WHERE id = 1", [value + 1])
        except Exception as e:
            errors += 1
    connection.close()
    return errors

if __name__ == "__main__":
    with connection.cursor() as c:
        c.execute("CREATE TABLE counter (id integer primary key, value integer)")
        c.execute("INSERT INTO counter VALUES (1, 0)")
    connection.close()
    with Pool(4) as pool:
        errors = sum(pool.map(work, range(4)))
    with connection.cursor() as c:
        c.execute("SELECT value FROM counter WHERE id = 1")
        value = c.fetchone()[0]
        c.execute("PRAGMA journal_mode")
        mode = c.fetchone()[0]
    print(errors, value, mode)
"""


def test_sqlite_concurrent_read_modify_write_has_no_lock_errors(tmp_path):
    script = tmp_path / "concurrency.py"
    script.write_text(CONCURRENCY_SCRIPT)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PASSEND_")}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'c.sqlite3'}"
    env["PYTHONPATH"] = str(ROOT)
    result = subprocess.run(  # noqa: S603
        [sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=300
    )
    assert result.returncode == 0, result.stderr
    errors, value, mode = result.stdout.split()
    assert (int(errors), int(value), mode) == (0, 200, "wal")


# --- S17: an oversized body is refused before it is read ---------------------------------------


def test_oversized_request_is_refused_before_reading_the_body(rf, settings):
    """The declared Content-Length decides; neither the body nor the view is touched."""
    from passend.front.middleware import RequestSizeLimitMiddleware

    class Unreadable:
        def read(self, *args):
            raise AssertionError("the body was read")

        readline = read

    settings.MAX_REQUEST_BYTES = 1000
    request = rf.post("/login/", data="x", content_type="application/octet-stream")
    request.META["CONTENT_LENGTH"] = "5000"
    request.META["wsgi.input"] = Unreadable()
    request._stream = Unreadable()

    def view(request):
        raise AssertionError("the view was called")

    response = RequestSizeLimitMiddleware(view)(request)
    assert response.status_code == 413


def test_oversized_upload_gets_413_and_writes_nothing(client, world, settings):
    settings.MAX_REQUEST_BYTES = 1000
    login(client, world.users["partnership_admin"])
    before = (AuditEvent.objects.count(), Membership.objects.count())
    url = reverse("accounts:user_create", args=[world.p.code])
    response = client.post(url, {"full_name": "x" * 2000, "email": "big@example.org"})
    assert response.status_code == 413
    assert "Content-Security-Policy" in response
    assert (AuditEvent.objects.count(), Membership.objects.count()) == before
    assert client.get(url).status_code == 200  # ordinary requests still pass
