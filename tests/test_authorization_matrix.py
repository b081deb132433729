"""The authorization matrix (security.md S1): every URL pattern × every persona.

Every named URL pattern in the resolver must have an entry in MATRIX; a new URL without one
fails ``test_every_url_pattern_has_a_rule``. Each entry says how to build the URL for the
``world`` fixture, the method, and the expected status per persona. Outside one's scope the
answer is 404 (never 403), read-only roles get 403 on writes, anonymous users go to log-in.
"""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from passend.accounts.models import Membership
from tests.authz import IN_P, LOGIN, PERSONAS, SEES_A, Rule, only, statuses  # noqa: E402
from tests.authz_activities import RULES as ACTIVITY_RULES  # noqa: E402
from tests.authz_agreements import RULES as AGREEMENT_RULES  # noqa: E402
from tests.authz_applications import RULES as APPLICATION_RULES  # noqa: E402
from tests.authz_caseload import RULES as CASELOAD_RULES  # noqa: E402
from tests.authz_development import RULES as DEVELOPMENT_RULES  # noqa: E402
from tests.authz_due import RULES as DUE_RULES  # noqa: E402
from tests.authz_hours import RULES as HOURS_RULES  # noqa: E402
from tests.authz_plans import RULES as PLAN_RULES  # noqa: E402
from tests.authz_procedures import RULES as PROCEDURE_RULES  # noqa: E402
from tests.authz_quality import RULES as QUALITY_RULES  # noqa: E402
from tests.authz_staffing import RULES as STAFFING_RULES  # noqa: E402
from tests.authz_support_team import RULES as SUPPORT_TEAM_RULES  # noqa: E402
from tests.authz_transitions import RULES as TRANSITION_RULES  # noqa: E402


def first_membership(w):
    return Membership.objects.get(user=w.users["coordinator"])


CORE_RULES: dict[str, Rule] = {
    "healthz": Rule(lambda w: reverse("healthz"), statuses(200, anonymous=200)),
    "set_language": Rule(
        lambda w: reverse("set_language"),
        statuses(302, anonymous=302),
        method="post",
        data=lambda w: {"language": "en", "next": "/"},
    ),
    "accounts:login": Rule(lambda w: reverse("accounts:login"), statuses(302, anonymous=200)),
    "accounts:logout": Rule(
        lambda w: reverse("accounts:logout"), statuses(302, anonymous=302), method="post"
    ),
    # Without a confirmed device the verify step sends one to enrolment.
    "accounts:otp_verify": Rule(lambda w: reverse("accounts:otp_verify"), statuses(302)),
    "accounts:otp_setup": Rule(lambda w: reverse("accounts:otp_setup"), statuses(200)),
    "accounts:password_reset": Rule(
        lambda w: reverse("accounts:password_reset"), statuses(200, anonymous=200)
    ),
    "accounts:password_reset_done": Rule(
        lambda w: reverse("accounts:password_reset_done"), statuses(200, anonymous=200)
    ),
    "accounts:password_reset_confirm": Rule(
        lambda w: reverse("accounts:password_reset_confirm", args=["MQ", "bad-token"]),
        statuses(200, anonymous=200),
    ),
    "accounts:password_reset_complete": Rule(
        lambda w: reverse("accounts:password_reset_complete"), statuses(200, anonymous=200)
    ),
    "front:home": Rule(lambda w: reverse("front:home"), statuses(200)),
    "organisations:school_list": Rule(
        lambda w: reverse("organisations:school_list"), statuses(200)
    ),
    "organisations:partnership_detail": Rule(
        lambda w: reverse("organisations:partnership_detail", args=[w.p.code]), only(IN_P)
    ),
    "organisations:school_detail": Rule(
        lambda w: reverse("organisations:school_detail", args=[w.a.code]), only(SEES_A)
    ),
    "accounts:user_list": Rule(
        lambda w: reverse("accounts:user_list", args=[w.p.code]),
        only(["partnership_admin"], inside=IN_P),
    ),
    "accounts:user_create": Rule(
        lambda w: reverse("accounts:user_create", args=[w.p.code]),
        only(["partnership_admin"], inside=IN_P),
    ),
    "accounts:user_detail": Rule(
        lambda w: reverse("accounts:user_detail", args=[w.p.code, w.users["coordinator"].code]),
        only(["partnership_admin"], inside=IN_P),
    ),
    "accounts:membership_end": Rule(
        lambda w: reverse("accounts:membership_end", args=[w.p.code, first_membership(w).code]),
        only(["partnership_admin"], ok=302, inside=IN_P),
        method="post",
        data=lambda w: {"valid_until": "2099-01-01"},
    ),
}

MATRIX: dict[str, Rule] = {
    **CORE_RULES,
    **QUALITY_RULES,
    **STAFFING_RULES,
    **PROCEDURE_RULES,
    **HOURS_RULES,
    **DEVELOPMENT_RULES,
    **ACTIVITY_RULES,
    **AGREEMENT_RULES,
    **CASELOAD_RULES,
    **SUPPORT_TEAM_RULES,
    **PLAN_RULES,
    **APPLICATION_RULES,
    **TRANSITION_RULES,
    **DUE_RULES,
}

# Django's admin: one gate (superuser only) guards its whole namespace; a sample of its pages
# is walked for every persona.
ADMIN_SAMPLE = [
    "admin:index",
    "admin:accounts_user_changelist",
    "admin:organisations_school_changelist",
    "admin:audit_auditevent_changelist",
]
ADMIN_EXPECT = statuses(302, superuser=200)


def url_patterns(resolver: URLResolver | None = None, prefix: str = "") -> list[tuple[str, str]]:
    """Every URL pattern as (namespace prefix, qualified name or its regex), recursively."""
    resolver = resolver or get_resolver()
    found: list[tuple[str, str]] = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            found.extend(url_patterns(entry, ns))
        elif isinstance(entry, URLPattern):
            found.append(
                (prefix, f"{prefix}{entry.name}" if entry.name else f"<unnamed {entry.pattern}>")
            )
    return found


def test_every_url_pattern_has_a_rule():
    patterns = url_patterns()
    # Django's admin namespace is covered by the superuser gate test below.
    missing = [name for ns, name in patterns if not ns.startswith("admin:") and name not in MATRIX]
    assert not missing, f"URL patterns without an authorization rule: {missing}"
    assert set(MATRIX) <= {name for _, name in patterns}, "rules for URLs that do not exist"


def _login(client, world, persona):
    if persona != "anonymous":
        client.force_login(world.users[persona])
        session = client.session
        import time

        from passend.accounts.middleware import SESSION_STARTED_KEY

        session[SESSION_STARTED_KEY] = time.time()
        session.save()


def _check(response, expected, persona, name):
    if expected == LOGIN:
        assert response.status_code == 302, (name, persona, response.status_code)
        assert response.url.startswith(reverse("accounts:login")), (name, persona, response.url)
    else:
        assert response.status_code == expected, (name, persona, response.status_code)


@pytest.mark.parametrize("name", sorted(MATRIX))
@pytest.mark.parametrize("persona", PERSONAS)
def test_matrix(request, client, world, name, persona):
    rule = MATRIX[name]
    subject = request.getfixturevalue(rule.fixture)
    _login(client, world, persona)
    url = rule.url(subject)
    response = getattr(client, rule.method)(url, rule.data(subject))
    _check(response, rule.expect[persona], persona, name)
    if response.status_code == 404:
        # A denied lookup must not leak what is behind it. Only the page content counts: the
        # header names the persona's own roles (an office user of P sees "SWV Pe" there).
        body = response.content.decode()
        main = re.search(r"<main\b.*?</main>", body, re.S)
        content = main.group(0) if main else body
        assert world.a.name not in content and world.p.name not in content


@pytest.mark.parametrize("name", ADMIN_SAMPLE)
@pytest.mark.parametrize("persona", PERSONAS)
def test_admin_is_for_superusers_only(client, world, name, persona):
    _login(client, world, persona)
    response = client.get(reverse(name))
    expected = ADMIN_EXPECT[persona]
    if expected == 200:
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert reverse("admin:login") in response.url


# Django's set_language answers GET with a redirect by design; everything else is POST-only.
@pytest.mark.parametrize(
    "name", [n for n, r in MATRIX.items() if r.method == "post" and n != "set_language"]
)
def test_post_only_urls_refuse_get(request, client, world, name):
    rule = MATRIX[name]
    subject = request.getfixturevalue(rule.fixture)
    allowed = next(p for p, e in rule.expect.items() if e in (200, 302) and p != "anonymous")
    _login(client, world, allowed)
    assert client.get(rule.url(subject)).status_code == 405


def test_coordinator_of_b_gets_404_for_school_a(client, world):
    _login(client, world, "coordinator_b")
    response = client.get(reverse("organisations:school_detail", args=[world.a.code]))
    assert response.status_code == 404
    assert world.a.name not in response.content.decode()


def test_school_list_shows_only_the_scope(client, world):
    cases = {
        "partnership_admin": ({"School Aa", "School Bee"}, {"School Cee"}),
        "coordinator": ({"School Aa"}, {"School Bee", "School Cee"}),
        "coordinator_b": ({"School Bee"}, {"School Aa", "School Cee"}),
        "other_swv": ({"School Cee"}, {"School Aa", "School Bee"}),
        "superuser": (set(), {"School Aa", "School Bee", "School Cee"}),
    }
    for persona, (shown, hidden) in cases.items():
        client.logout()
        _login(client, world, persona)
        body = client.get(reverse("organisations:school_list")).content.decode()
        for name in shown:
            assert name in body, (persona, name)
        for name in hidden:
            assert name not in body, (persona, name)


def test_ended_membership_gives_no_access(client, world):
    from datetime import date

    Membership.objects.filter(user=world.users["coordinator"]).update(valid_until=date(2021, 1, 1))
    _login(client, world, "coordinator")
    response = client.get(reverse("organisations:school_detail", args=[world.a.code]))
    assert response.status_code == 404


def test_malformed_codes_are_404_not_500(client, world):
    _login(client, world, "partnership_admin")
    for url in (
        "/schools/not-a-uuid/",
        "/partnerships/123/users/",
        "/schools/00000000-0000-0000-0000-000000000000/",
    ):
        assert client.get(url).status_code == 404
