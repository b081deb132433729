"""``passend demo``: the demo data set, idempotent, and accounts that work as printed."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from passend.accounts.choices import PARTNERSHIP_ONLY_ROLES, SCHOOL_ONLY_ROLES, Role
from passend.accounts.models import Membership, User
from passend.demo.services import SCHOOL_A, SCHOOL_B
from passend.organisations.models import (
    Enrollment,
    Partnership,
    School,
    SchoolYear,
    SupportTeamMember,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _plain_settings(settings):
    settings.REQUIRE_2FA = False  # as the demo runs (PASSEND_REQUIRE_2FA=0)


@pytest.fixture
def demo():
    call_command("demo", stdout=StringIO())


@pytest.fixture
def accounts(demo) -> list[dict]:
    out = StringIO()
    call_command("demo", "--accounts", "--json", stdout=out)
    return json.loads(out.getvalue())


def _tenant_accounts(accounts):
    return [a for a in accounts if a["partnership"]]


def _partnerships():
    """The partnerships in the order the demo creates them: the DUO one first."""
    return list(Partnership.objects.order_by("pk"))


def test_demo_loads_two_partnerships_and_every_role(demo):
    assert Partnership.objects.count() == 2
    held = set(Membership.objects.values_list("role", flat=True))
    assert held == {r.value for r in Role}
    # Memberships are consistent: school roles at a school of their own partnership.
    for m in Membership.objects.select_related("school"):
        if m.role in PARTNERSHIP_ONLY_ROLES:
            assert m.school is None
        elif m.role in SCHOOL_ONLY_ROLES:
            assert m.school is not None
        if m.school is not None:
            assert m.school.partnership_id == m.partnership_id


def test_demo_first_partnership_has_two_staffed_schools_with_sot(demo):
    first = _partnerships()[0]
    staffed = [
        school
        for school in School.objects.filter(partnership=first)
        if {Role.COORDINATOR, Role.BPO}
        <= set(Membership.objects.filter(school=school).values_list("role", flat=True))
    ]
    assert len(staffed) >= 2
    year = SchoolYear.current()
    for school in staffed:
        members = SupportTeamMember.objects.filter(school=school, team__school_year=year)
        assert members.exists(), school
        assert all(m.team.school_id == school.pk for m in members)
    years = set(Enrollment.objects.filter(partnership=first).values_list("school_year", flat=True))
    assert len(years) >= 2
    for school in staffed:
        assert Enrollment.objects.filter(school=school).count() >= 2


def _snapshot() -> dict[str, list[tuple]]:
    models = [
        *apps.get_app_config("accounts").get_models(),
        *apps.get_app_config("organisations").get_models(),
        *apps.get_app_config("audit").get_models(),
        *apps.get_app_config("quality").get_models(),
        *apps.get_app_config("staffing").get_models(),
        *apps.get_app_config("development").get_models(),
        *apps.get_app_config("activities").get_models(),
        TOTPDevice,
    ]
    snap = {}
    for model in models:
        fields = [f.attname for f in model._meta.concrete_fields]
        rows = [tuple(repr(v) for v in row) for row in model.objects.values_list(*fields)]
        snap[model._meta.label] = sorted(rows)
    # Many-to-many links of users (groups, permissions) count as rows too.
    snap["user_groups"] = sorted(User.groups.through.objects.values_list("user_id", "group_id"))
    return snap


def test_demo_twice_changes_nothing(demo):
    before = _snapshot()
    assert sum(len(rows) for rows in before.values()) > 0
    call_command("demo", stdout=StringIO())
    after = _snapshot()
    assert after == before


def test_accounts_json_lists_every_account(accounts):
    assert accounts
    for a in accounts:
        assert {"email", "password", "roles", "schools"} <= set(a)
        assert a["email"] and a["password"] and a["roles"]
        assert User.objects.filter(email=a["email"]).exists()
    emails = [a["email"] for a in accounts]
    assert len(emails) == len(set(emails))
    # Every demo account with a role is listed with exactly the roles and schools it holds.
    for a in _tenant_accounts(accounts):
        user = User.objects.get(email=a["email"])
        current = Membership.objects.current().filter(user=user).select_related("school")
        assert sorted(a["roles"]) == sorted({m.role for m in current})
        assert sorted(a["schools"]) == sorted({m.school.name for m in current if m.school})
    listed = set(emails)
    assert set(Membership.objects.values_list("user__email", flat=True)) <= listed
    assert set(User.objects.filter(is_superuser=True).values_list("email", flat=True)) <= listed


def _login(email, password) -> Client:
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": email, "password": password})
    assert response.status_code == 302, (email, response.status_code)
    assert response.url == reverse("front:home")
    return client


def test_every_listed_account_logs_in_and_sees_its_own_schools_only(accounts):
    all_schools = {s for a in accounts for s in a["schools"]}
    assert len(all_schools) >= 3
    for a in accounts:
        client = _login(a["email"], a["password"])
        home = client.get(reverse("front:home"))
        assert home.status_code == 200
        body = home.content.decode()
        for name in a["schools"]:
            assert name in body, (a["email"], name)
        for name in all_schools - set(a["schools"]):
            assert name not in body, (a["email"], name)


def test_voorbeeldregio_accounts_see_nothing_of_the_first_partnership(accounts):
    first, second = _partnerships()
    first_schools = list(School.objects.filter(partnership=first).values_list("name", flat=True))
    second_accounts = [a for a in accounts if a["partnership"] == second.name]
    assert second_accounts
    for a in second_accounts:
        client = _login(a["email"], a["password"])
        for url in (reverse("front:home"), reverse("organisations:school_list")):
            body = client.get(url).content.decode()
            assert first.name not in body
            for name in first_schools:
                assert name not in body, (a["email"], url, name)
        listing = client.get(reverse("organisations:school_list"))
        shown = {s.partnership_id for s in listing.context["page_obj"]}
        assert shown <= {second.pk}
        assert (
            client.get(reverse("organisations:partnership_detail", args=[first.code])).status_code
            == 404
        )


def test_coordinator_of_school_b_gets_404_for_school_a(accounts):
    school_a = School.objects.get(location_code=SCHOOL_A)
    school_b = School.objects.get(location_code=SCHOOL_B)
    oc_b = next(
        a for a in accounts if a["roles"] == [Role.COORDINATOR] and a["schools"] == [school_b.name]
    )
    client = _login(oc_b["email"], oc_b["password"])
    home = client.get(reverse("front:home")).content.decode()
    assert school_b.name in home and school_a.name not in home
    assert (
        client.get(reverse("organisations:school_detail", args=[school_b.code])).status_code == 200
    )
    response = client.get(reverse("organisations:school_detail", args=[school_a.code]))
    assert response.status_code == 404
    assert school_a.name not in response.content.decode()


def test_accounts_only_does_not_load_anything(db):
    out = StringIO()
    call_command("demo", "--accounts", "--json", stdout=out)
    assert json.loads(out.getvalue())
    assert not Partnership.objects.exists()
    assert not User.objects.exists()
