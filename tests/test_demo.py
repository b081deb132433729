"""``passend demo``: the demo data set, idempotent, and accounts that work as printed."""

from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.apps import apps
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from passend.accounts.choices import PARTNERSHIP_ONLY_ROLES, SCHOOL_ONLY_ROLES, Role
from passend.accounts.models import Membership, User
from passend.caseload import access as case_access
from passend.caseload.choices import CaseStatus
from passend.caseload.consent import EXPIRED, VALID, WITHDRAWN, student_consents
from passend.caseload.models import Approach, Recommendation, SupportCase
from passend.demo import caseload as demo_caseload
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
        *apps.get_app_config("students").get_models(),
        *apps.get_app_config("caseload").get_models(),
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


def test_demo_again_days_later_changes_no_student_or_case(demo):
    """``make run`` on another day: the caseload (dated relative to the day) stays as it was."""
    labels = {
        m._meta.label
        for app in ("students", "caseload")
        for m in apps.get_app_config(app).get_models()
    }
    before = {k: v for k, v in _snapshot().items() if k in labels}
    with time_machine.travel(timezone.now() + timedelta(days=3)):
        call_command("demo", stdout=StringIO())
    after = {k: v for k, v in _snapshot().items() if k in labels}
    assert after == before


def _user(email: str) -> User:
    return User.objects.get(email=email)


def test_demo_caseload_students_at_school_a_and_b(demo):
    school_a = School.objects.get(location_code=SCHOOL_A)
    today = timezone.localdate()
    students = list(school_a.students.prefetch_related("guardians"))
    assert len(students) >= 25
    assert {s.class_name for s in students} >= {"1A", "2B", "3A", "4A", "5A", "6A"}
    for s in students:
        assert 12 <= s.age_on(today) <= 17, s
        assert s.level and s.year_of_study and s.enrolled_on <= today
        assert any(g.has_authority for g in s.guardians.all()), s
    mentor = _user(demo_caseload.MENTOR_A)
    assert {s.mentor for s in students} == {mentor, None}
    assert School.objects.get(location_code=SCHOOL_B).students.count() >= 3


def test_demo_caseload_cases_in_every_status_with_records(demo):
    cases = demo_caseload.demo_cases()
    assert list(cases) == demo_caseload.CASE_KEYS
    statuses = {c.status for c in cases.values()}
    assert statuses == set(CaseStatus.values)
    today = timezone.localdate()
    bpo_a = _user(demo_caseload.BPO_A)
    at_a = SupportCase.objects.filter(school__location_code=SCHOOL_A)
    assert set(case_access.visible_cases(bpo_a)) == set(at_a)
    assert at_a.filter(bpo=bpo_a).count() == at_a.count() >= 6
    for case in cases.values():
        assert case.signalled_on <= today
        assert case.status_changes.count() >= 1
        for model in (case.contacts, case.observations, case.recommendations):
            assert all(r.date <= today for r in model.all())
    closed = cases[demo_caseload.CLOSED_CASE]
    assert closed.closed_on is not None and closed.closed_on <= today
    assert Approach.objects.filter(partnership=closed.partnership).count() >= 6
    cited = Recommendation.objects.filter(case__in=at_a, approaches__isnull=False).distinct()
    assert {r.audience for r in cited} >= {"teacher", "mentor", "parents"}
    assert Recommendation.objects.filter(case__in=at_a).exclude(follow_up="").exists()
    # School B's BPO sees school B's case only.
    bpo_b = _user(demo_caseload.BPO_B)
    assert list(case_access.visible_cases(bpo_b)) == [cases[demo_caseload.SCHOOL_B_CASE]]


def test_demo_partner_opens_the_shared_case_only(demo):
    cases = demo_caseload.demo_cases()
    shared = cases[demo_caseload.SHARED_CASE]
    partner = _user(demo_caseload.PARTNER_A)
    assert Membership.objects.current().filter(user=partner, role=Role.PARTNER).exists()
    assert case_access.partner_access(partner) == {shared.pk: case_access.FULL}
    assert list(case_access.visible_cases(partner)) == [shared]
    client = _login(partner.email, "passend-demo-2026")
    assert client.get(reverse("caseload:case_detail", args=[shared.code])).status_code == 200
    other = cases[demo_caseload.ADVICE_CASE]
    assert client.get(reverse("caseload:case_detail", args=[other.code])).status_code == 404
    # Consent: a guardian's for Sem (14), Noa's own (17); an expired and a withdrawn one.
    sem = [row.status for row in student_consents(shared.student)]
    noa_case = cases[demo_caseload.OWN_CONSENT_CASE]
    noa = [row.status for row in student_consents(noa_case.student)]
    assert (
        shared.student.age_on(timezone.localdate())
        < 16
        <= noa_case.student.age_on(timezone.localdate())
    )
    assert sorted(sem) == sorted([VALID, EXPIRED]) and sorted(noa) == sorted([VALID, WITHDRAWN])
    # Nobody else sees cases: mentor, director, consultant.
    for email in (
        demo_caseload.MENTOR_A,
        "directeur.a@drechtsteden.example",
        "consulent@drechtsteden.example",
    ):
        assert not case_access.visible_cases(_user(email)).exists(), email


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
    of_partnership: dict[str, set[str]] = {}
    for a in accounts:
        of_partnership.setdefault(a["partnership"], set()).update(a["schools"])
    for a in accounts:
        client = _login(a["email"], a["password"])
        home = client.get(reverse("front:home"))
        assert home.status_code == 200
        body = home.content.decode()
        for name in a["schools"]:
            assert name in body, (a["email"], name)
        # The SWV's admin holds no school role but decides the applications of all its schools:
        # its due list may name them; never a school of another partnership.
        allowed = set(a["schools"])
        if Role.PARTNERSHIP_ADMIN in a["roles"]:
            allowed |= of_partnership[a["partnership"]]
        for name in all_schools - allowed:
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


def test_demo_meetings_show_the_consent_rule_and_the_recap(demo):
    from passend.caseload.models import ActionPoint, Meeting

    cases = demo_caseload.demo_cases()
    school_a = School.objects.get(location_code=SCHOOL_A)
    finalised = Meeting.objects.get(school=school_a, finalised_at__isnull=False)
    upcoming = Meeting.objects.get(school=school_a, finalised_at__isnull=True)
    today = timezone.localdate()
    assert finalised.date < today < upcoming.date
    # The partner attends the SOT meeting, so only the case shared with them is on its agenda.
    assert [i.case for i in finalised.items.all()] == [cases[demo_caseload.SHARED_CASE]]
    assert finalised.finalised_at.date() == finalised.date
    assert {i.case for i in upcoming.items.all()} == {
        cases[demo_caseload.ADVICE_CASE],
        cases[demo_caseload.EVALUATION_CASE],
    }
    partner = _user(demo_caseload.PARTNER_A)
    open_point = ActionPoint.objects.get(item__meeting=finalised, done_on__isnull=True)
    assert open_point.owner == partner
    assert ActionPoint.objects.filter(item__meeting=finalised, done_on__isnull=False).exists()

    client = _login(partner.email, "passend-demo-2026")
    recap = client.get(reverse("caseload:meeting_recap", args=[finalised.code]))
    assert recap.status_code == 200
    assert open_point.description in recap.content.decode()
    mine = client.get(reverse("caseload:meeting_mine")).content.decode()
    assert open_point.description in mine
    assert client.get(reverse("caseload:meeting_detail", args=[upcoming.code])).status_code == 404
