"""No 500 on any form with bad input (empty, too long, HTML, unicode): a form error, no writes.

Every form / POST endpoint is fed the same list of bad values, one field at a time. The answer is
the form again with an error (200), or the designed redirect (302); never a server error (the test
client re-raises any exception a view raises). Nothing is written, and HTML in the input is never
echoed unescaped.
"""

from __future__ import annotations

import time
from datetime import date, timedelta

import pytest
from axes.utils import reset as axes_reset
from django.contrib.auth.password_validation import CommonPasswordValidator
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice

from passend.accounts.choices import Role
from passend.accounts.middleware import SESSION_STARTED_KEY
from passend.accounts.models import Membership, User
from passend.audit.models import AuditEvent
from passend.organisations.models import School
from tests import factories

SCRIPT = "<script>alert(1)</script>"
BAD_VALUES = [
    "",
    " ",
    "x" * 10000,
    SCRIPT,
    "ééé 𝕏 漢字 🙂",
    "\x00",
    "'; DROP TABLE x; --",
    "2025-13-45",
]
BAD_IDS = ["empty", "blank", "long", "html", "unicode", "nul", "sql", "bad-date"]

#: Failed log-ins are audited by design (``auth.login_failed``); everything else must not move.
DESIGNED_EVENTS = ["auth.login_failed"]


@pytest.fixture(autouse=True)
def _plain_settings(db, settings):
    settings.REQUIRE_2FA = False
    axes_reset()  # no lock-out carried between cases (the database is rolled back anyway)


def sign_in(client, user) -> None:
    client.force_login(user)
    session = client.session
    session[SESSION_STARTED_KEY] = time.time()
    session.save()


def snapshot() -> dict:
    return {
        "users": User.objects.count(),
        "memberships": Membership.objects.count(),
        "membership_rows": sorted(
            Membership.objects.values_list(
                "pk", "user_id", "role", "school_id", "valid_from", "valid_until"
            )
        ),
        "audit": AuditEvent.objects.exclude(action__in=DESIGNED_EVENTS).count(),
        "confirmed_devices": TOTPDevice.objects.filter(confirmed=True).count(),
        "passwords": sorted(User.objects.values_list("pk", "password")),
        "mails": len(mail.outbox),
    }


def assert_safe(response) -> None:
    assert response.status_code != 500
    assert SCRIPT.encode() not in response.content


def follow(client, response):
    """The page a redirect leads to (same site only), checked as well."""
    if response.status_code == 302 and response.url.startswith("/"):
        page = client.get(response.url)
        assert_safe(page)
        return page
    return response


def has_form_error(response) -> bool:
    form = response.context["form"]
    return bool(form.errors)


# --- Log-in ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", BAD_VALUES, ids=BAD_IDS)
@pytest.mark.parametrize("field", ["username", "password", "both"])
def test_login_with_bad_input(client, world, field, value):
    person = world.users["coordinator"]
    data = {"username": person.email, "password": factories.PASSWORD}
    if field == "both":
        data = {"username": value, "password": value}
    else:
        data[field] = value
    before = snapshot()
    failed_before = AuditEvent.objects.filter(action="auth.login_failed").count()

    response = client.post(reverse("accounts:login"), data)

    assert_safe(response)
    assert response.status_code == 200
    assert has_form_error(response)
    assert "_auth_user_id" not in client.session
    assert snapshot() == before
    # The designed trace: one failed-login event, its label storable in any database.
    failed = AuditEvent.objects.filter(action="auth.login_failed")
    assert failed.count() == failed_before + 1
    label = failed.latest("pk").actor_label
    assert "\x00" not in label
    assert len(label) <= AuditEvent._meta.get_field("actor_label").max_length


def test_login_failure_event_keeps_a_bounded_label(client, world):
    client.post(reverse("accounts:login"), {"username": "x" * 10000, "password": "x"})
    event = AuditEvent.objects.get(action="auth.login_failed")
    assert len(event.actor_label) <= AuditEvent._meta.get_field("actor_label").max_length


# --- Two-factor verify and set-up -----------------------------------------------------------------


@pytest.mark.parametrize("value", BAD_VALUES, ids=BAD_IDS)
def test_two_factor_verify_with_bad_input(client, world, value):
    person = world.users["coordinator"]
    TOTPDevice.objects.create(user=person, name="phone", confirmed=True)
    sign_in(client, person)
    before = snapshot()

    response = client.post(reverse("accounts:otp_verify"), {"token": value})

    assert_safe(response)
    assert response.status_code == 200
    assert has_form_error(response)
    assert snapshot() == before
    # Still not through the second step: other pages send one back to it.
    assert client.get(reverse("front:home")).url == reverse("accounts:otp_verify")


@pytest.mark.parametrize("value", BAD_VALUES, ids=BAD_IDS)
def test_two_factor_setup_with_bad_input(client, world, value):
    person = world.users["coordinator"]
    sign_in(client, person)
    client.get(reverse("accounts:otp_setup"))  # creates the (unconfirmed) device to enrol
    before = snapshot()

    response = client.post(reverse("accounts:otp_setup"), {"token": value})

    assert_safe(response)
    assert response.status_code == 200
    assert has_form_error(response)
    assert snapshot() == before
    assert not TOTPDevice.objects.filter(user=person, confirmed=True).exists()


# --- Password reset -------------------------------------------------------------------------------


@pytest.mark.parametrize("value", BAD_VALUES, ids=BAD_IDS)
def test_password_reset_request_with_bad_input(client, world, value):
    before = snapshot()

    response = client.post(reverse("accounts:password_reset"), {"email": value})

    assert_safe(response)
    assert response.status_code == 200
    assert has_form_error(response)
    assert snapshot() == before
    assert mail.outbox == []


def _reset_form_url(client, user) -> str:
    """Follow a valid reset link; Django moves the token to the session and redirects."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    response = client.get(reverse("accounts:password_reset_confirm", args=[uid, token]))
    assert response.status_code == 302
    return response.url


COMMON = next(
    p
    for p in sorted(CommonPasswordValidator().passwords)
    if len(p) >= 12 and p.isascii() and p.isalnum() and not p.isdigit()
)
RESET_CASES = {
    "mismatch": ("a perfectly fine passphrase", "a perfectly fine passphrasf"),
    "too-short": ("kort1!", "kort1!"),
    "common": (COMMON, COMMON),
    "numeric": ("1234509876123409", "1234509876123409"),
    "too-long": ("x" * 10000, "x" * 10000),
    "nul": ("abc\x00defghijklmnop", "abc\x00defghijklmnop"),
    **{f"bad-{i}": (v, v + "-other") for i, v in zip(BAD_IDS, BAD_VALUES, strict=True)},
    **{
        f"bad-{i}-twice": (v, v)
        for i, v in zip(BAD_IDS, BAD_VALUES, strict=True)
        if len(v.strip()) < 12 or "\x00" in v or len(v) > 256
    },
}


@pytest.mark.parametrize("case", sorted(RESET_CASES))
def test_password_reset_confirm_refuses_bad_passwords(client, world, case):
    person = world.users["coordinator"]
    first, second = RESET_CASES[case]
    url = _reset_form_url(client, person)
    before = snapshot()

    response = client.post(url, {"new_password1": first, "new_password2": second})

    assert_safe(response)
    assert response.status_code == 200
    assert has_form_error(response)
    assert snapshot() == before
    person.refresh_from_db()
    assert person.check_password(factories.PASSWORD)


# --- Add a person ---------------------------------------------------------------------------------


def _person_data(world, **overrides) -> dict:
    data = {
        "full_name": "Nieuwe Persoon",
        "email": "nieuw@example.org",
        "role": Role.COORDINATOR,
        "school": str(world.b.code),
        "valid_from": timezone.localdate().isoformat(),
        "valid_until": "",
    }
    data.update(overrides)
    return data


def _acceptable(field: str, value: str) -> bool:
    """Whether ``value`` is, by design, a valid entry for ``field`` (the rest stays valid)."""
    if field == "full_name":
        return bool(value.strip()) and len(value.strip()) <= 150 and "\x00" not in value
    if field == "valid_until":
        return value == ""  # optional: empty means open-ended (a lone space is not a date)
    return False


@pytest.mark.parametrize("value", BAD_VALUES, ids=BAD_IDS)
@pytest.mark.parametrize(
    "field", ["full_name", "email", "role", "school", "valid_from", "valid_until"]
)
def test_add_person_with_bad_input(client, world, field, value):
    admin = world.users["partnership_admin"]
    sign_in(client, admin)
    before = snapshot()
    url = reverse("accounts:user_create", args=[world.p.code])

    response = client.post(url, _person_data(world, **{field: value}))

    assert_safe(response)
    if _acceptable(field, value):
        # A legitimate (if unusual) entry: stored as typed, shown escaped.
        assert response.status_code == 302
        created = User.objects.get(email="nieuw@example.org")
        if field == "full_name":
            assert created.full_name == value.strip()
        else:
            assert created.memberships.get().valid_until is None
        page = follow(client, response)
        assert page.status_code == 200
        return
    assert response.status_code == 200
    assert has_form_error(response)
    assert snapshot() == before
    assert not User.objects.filter(email="nieuw@example.org").exists()


def test_add_person_shows_html_name_escaped(client, world):
    sign_in(client, world.users["partnership_admin"])
    response = client.post(
        reverse("accounts:user_create", args=[world.p.code]), _person_data(world, full_name=SCRIPT)
    )
    page = follow(client, response)
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in page.content
    listing = client.get(reverse("accounts:user_list", args=[world.p.code]))
    assert_safe(listing)


def test_add_person_at_school_of_another_partnership_is_refused(client, world):
    sign_in(client, world.users["partnership_admin"])
    before = snapshot()

    response = client.post(
        reverse("accounts:user_create", args=[world.p.code]),
        _person_data(world, school=str(world.c.code)),
    )

    assert response.status_code == 200
    assert "school" in response.context["form"].errors
    assert world.c.name not in response.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize("role", [Role.PARTNERSHIP_ADMIN, Role.OFFICE])
def test_add_person_partnership_role_with_a_school_is_refused(client, world, role):
    sign_in(client, world.users["partnership_admin"])
    before = snapshot()
    response = client.post(
        reverse("accounts:user_create", args=[world.p.code]), _person_data(world, role=role)
    )
    assert response.status_code == 200
    assert "school" in response.context["form"].errors
    assert snapshot() == before


def test_a_consultant_can_be_assigned_to_a_school_or_to_the_whole_partnership(client, world):
    sign_in(client, world.users["partnership_admin"])
    url = reverse("accounts:user_create", args=[world.p.code])
    data = _person_data(world, role=Role.CONSULTANT)
    assert client.post(url, data).status_code == 302
    assigned = Membership.objects.get(user__email=data["email"])
    assert assigned.school == world.b
    wide = {**data, "email": "wide." + data["email"], "school": ""}
    assert client.post(url, wide).status_code == 302
    assert Membership.objects.get(user__email=wide["email"]).school is None


def test_add_person_end_before_start_is_refused(client, world):
    sign_in(client, world.users["partnership_admin"])
    before = snapshot()
    today = timezone.localdate()
    response = client.post(
        reverse("accounts:user_create", args=[world.p.code]),
        _person_data(world, valid_until=(today - timedelta(days=1)).isoformat()),
    )
    assert response.status_code == 200
    assert "valid_until" in response.context["form"].errors
    assert snapshot() == before


# --- Grant a role on the person page --------------------------------------------------------------


def _grant_data(world, **overrides) -> dict:
    data = {
        "role": Role.BPO,
        "school": str(world.b.code),
        "valid_from": timezone.localdate().isoformat(),
        "valid_until": "",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("value", BAD_VALUES, ids=BAD_IDS)
@pytest.mark.parametrize("field", ["role", "school", "valid_from", "valid_until"])
def test_grant_role_with_bad_input(client, world, field, value):
    member = world.users["coordinator"]
    sign_in(client, world.users["partnership_admin"])
    before = snapshot()
    url = reverse("accounts:user_detail", args=[world.p.code, member.code])

    response = client.post(url, _grant_data(world, **{field: value}))

    assert_safe(response)
    if _acceptable(field, value):
        assert response.status_code == 302
        granted = Membership.objects.get(user=member, role=Role.BPO)
        assert granted.school == world.b and granted.valid_until is None
        assert follow(client, response).status_code == 200
        return
    assert response.status_code == 200
    assert has_form_error(response)
    assert snapshot() == before


def test_grant_role_at_school_of_another_partnership_is_refused(client, world):
    """A crafted POST naming school C (partnership Q) on P's person page writes nothing."""
    member = world.users["coordinator"]
    sign_in(client, world.users["partnership_admin"])
    before = snapshot()

    response = client.post(
        reverse("accounts:user_detail", args=[world.p.code, member.code]),
        _grant_data(world, role=Role.COORDINATOR, school=str(world.c.code)),
    )

    assert response.status_code in (200, 403, 404)
    if response.status_code == 200:
        assert "school" in response.context["form"].errors
    assert world.c.name not in response.content.decode()
    assert snapshot() == before
    assert not Membership.objects.filter(school=world.c, user=member).exists()


def test_grant_role_on_partnership_of_another_admin_is_refused(client, world):
    """The same crafted grant through Q's URL: P's admin has no business there."""
    member = world.users["coordinator"]
    sign_in(client, world.users["partnership_admin"])
    before = snapshot()
    response = client.post(
        reverse("accounts:user_detail", args=[world.q.code, member.code]),
        _grant_data(world, role=Role.COORDINATOR, school=str(world.c.code)),
    )
    assert response.status_code == 404
    assert snapshot() == before


# --- End a role -----------------------------------------------------------------------------------


@pytest.mark.parametrize("value", BAD_VALUES, ids=BAD_IDS)
def test_end_role_with_bad_input(client, world, value):
    membership = Membership.objects.get(user=world.users["coordinator"])
    sign_in(client, world.users["partnership_admin"])
    before = snapshot()
    url = reverse("accounts:membership_end", args=[world.p.code, membership.code])

    response = client.post(url, {"valid_until": value})

    # By design the end form always returns to the person page, with the error as a message.
    assert response.status_code == 302
    assert response.url == reverse(
        "accounts:user_detail", args=[world.p.code, membership.user.code]
    )
    page = follow(client, response)
    assert page.status_code == 200
    assert [m for m in page.context["messages"] if m.level_tag == "error"]
    assert snapshot() == before
    membership.refresh_from_db()
    assert membership.valid_until is None


def test_end_role_before_its_start_is_refused(client, world):
    membership = Membership.objects.get(user=world.users["coordinator"])
    sign_in(client, world.users["partnership_admin"])
    before = snapshot()
    too_early = membership.valid_from - timedelta(days=1)
    response = client.post(
        reverse("accounts:membership_end", args=[world.p.code, membership.code]),
        {"valid_until": too_early.isoformat()},
    )
    assert response.status_code == 302
    assert snapshot() == before


def test_end_role_of_another_partnership_is_refused(client, world):
    other = Membership.objects.get(user=world.users["other_swv"])
    sign_in(client, world.users["partnership_admin"])
    before = snapshot()
    response = client.post(
        reverse("accounts:membership_end", args=[world.p.code, other.code]),
        {"valid_until": date.today().isoformat()},
    )
    assert response.status_code == 404
    assert snapshot() == before


# --- Language switch ------------------------------------------------------------------------------


@pytest.mark.parametrize("value", BAD_VALUES, ids=BAD_IDS)
@pytest.mark.parametrize("field", ["language", "next"])
def test_language_switch_with_bad_input(client, world, settings, field, value):
    sign_in(client, world.users["coordinator"])
    data = {"language": "en", "next": "/"}
    data[field] = value
    before = snapshot()

    response = client.post(reverse("set_language"), data)

    assert_safe(response)
    assert response.status_code == 302
    assert SCRIPT not in response.get("Location", "")
    assert "\x00" not in response.get("Location", "")
    cookie = response.cookies.get(settings.LANGUAGE_COOKIE_NAME)
    if field == "language":
        assert cookie is None  # an unknown language is ignored, never stored
    else:
        assert cookie is not None and cookie.value == "en"
    assert snapshot() == before


# --- School list search ---------------------------------------------------------------------------


@pytest.mark.parametrize("value", BAD_VALUES, ids=BAD_IDS)
@pytest.mark.parametrize("persona", ["partnership_admin", "coordinator"])
def test_school_search_with_bad_input(client, world, persona, value):
    sign_in(client, world.users[persona])
    before = snapshot()

    response = client.get(reverse("organisations:school_list"), {"q": value})

    assert_safe(response)
    assert response.status_code == 200
    shown = {s.pk for s in response.context["page_obj"]}
    visible = set(School.objects.visible_to(world.users[persona]).values_list("pk", flat=True))
    assert shown <= visible
    assert world.c.name not in response.content.decode()
    assert snapshot() == before
    # What reaches the database is bounded and free of NUL bytes (PostgreSQL refuses them).
    query = response.context["query"]
    assert "\x00" not in query and len(query) <= 100


@pytest.mark.parametrize("value", BAD_VALUES, ids=BAD_IDS)
def test_school_search_bad_page_number(client, world, value):
    sign_in(client, world.users["partnership_admin"])
    response = client.get(reverse("organisations:school_list"), {"q": "", "page": value})
    assert_safe(response)
    assert response.status_code == 200


def test_school_search_with_htmx_and_html(client, world):
    sign_in(client, world.users["partnership_admin"])
    response = client.get(
        reverse("organisations:school_list"), {"q": SCRIPT}, headers={"HX-Request": "true"}
    )
    assert_safe(response)
    assert response.status_code == 200
