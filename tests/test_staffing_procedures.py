"""The appointment procedure of a new BPO (seed 000 §5) through HTTP: start, tick the five steps
by the roles that may, complete (account, bpo role, assignment, invitation, audit); who may
tick what; refusals; the aspect-13 verdict on the qualifications step; bad input."""

from __future__ import annotations

import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from passend.accounts.choices import Role
from passend.accounts.middleware import SESSION_STARTED_KEY
from passend.accounts.models import Membership, User
from passend.audit.models import AuditEvent
from passend.organisations.models import SchoolYear
from passend.staffing.choices import (
    EmploymentType,
    ProcedureStatus,
    ProcedureStep,
    QualificationKind,
)
from passend.staffing.models import AppointmentProcedure, AppointmentStep, BpoAssignment
from passend.staffing.procedures import STEP_ROLES, may_tick
from tests import factories
from tests.fixtures_procedures import start, tick_all

SCRIPT = "<script>alert(1)</script>"
STEPS = list(ProcedureStep.values)


@pytest.fixture(autouse=True)
def _plain_settings(settings):
    settings.REQUIRE_2FA = False


def sign_in(client, user) -> None:
    client.logout()
    client.force_login(user)
    session = client.session
    session[SESSION_STARTED_KEY] = time.time()
    session.save()


def step_url(procedure, step) -> str:
    return reverse("staffing:procedure_step", args=[procedure.code, step])


def detail_url(procedure) -> str:
    return reverse("staffing:procedure_detail", args=[procedure.code])


def today():
    return timezone.localdate()


def snapshot() -> dict:
    return {
        "procedures": sorted(AppointmentProcedure.objects.values_list("pk", "status")),
        "steps": sorted(AppointmentStep.objects.values_list("pk", "done_at", "date", "note")),
        "users": User.objects.count(),
        "memberships": Membership.objects.count(),
        "assignments": BpoAssignment.objects.count(),
        "audit": AuditEvent.objects.count(),
        "mails": len(mail.outbox),
    }


# --- Who may tick which step: the one map, tested as a table --------------------------------------

EXPECTED = {
    # persona: steps they may tick at school A
    "director": set(STEPS),
    "coordinator": set(STEPS),
    "consultant": {ProcedureStep.INTRODUCTION_MEETING},
    "office": {ProcedureStep.DETAILS_TO_OFFICE, ProcedureStep.ADDED_TO_DIRECTORY},
    "partnership_admin": set(),
    "bpo": set(),
    "partner": set(),
    "mentor": set(),
    "coordinator_b": set(),
    "other_swv": set(),
    "no_role": set(),
}


def test_step_roles_cover_every_step_in_order():
    assert list(STEP_ROLES) == STEPS
    assert STEPS[0] == ProcedureStep.TASKS_AGREED and len(STEPS) == 5


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_who_may_tick_which_step(procedure_world, persona):
    w = procedure_world.world
    user = w.users[persona]
    allowed = {step for step in STEPS if may_tick(user, procedure_world.open_a, step)}
    assert allowed == EXPECTED[persona]


def test_swv_wide_consultant_may_tick_the_introduction(procedure_world):
    w = procedure_world.world
    consultant = factories.member(Role.CONSULTANT, partnership=w.p)
    allowed = {s for s in STEPS if may_tick(consultant, procedure_world.open_a, s)}
    assert allowed == {ProcedureStep.INTRODUCTION_MEETING}


# --- The whole procedure through HTTP ------------------------------------------------------------


def test_full_procedure_through_http(client, world):
    users = world.users
    year = SchoolYear.current()
    planned_start = max(year.start, today())
    sign_in(client, users["coordinator"])
    since = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    # The coordinator starts the procedure (Dutch decimal comma for the hours).
    form = client.get(reverse("staffing:procedure_create", args=[world.a.code]))
    assert form.status_code == 200
    response = client.post(
        reverse("staffing:procedure_create", args=[world.a.code]),
        {
            "candidate_name": "Noor Nieuw",
            "candidate_email": "Noor.Nieuw@Example.org",
            "planned_hours_per_week": "12,5",
            "employment_type": EmploymentType.HIRED,
            "school_year": year.name,
            "planned_start": planned_start.isoformat(),
        },
    )
    procedure = AppointmentProcedure.objects.get(school=world.a)
    assert response.status_code == 302 and response.url == detail_url(procedure)
    assert procedure.candidate_email == "noor.nieuw@example.org"
    assert procedure.planned_hours_per_week == Decimal("12.5")
    assert procedure.status == ProcedureStatus.OPEN
    assert procedure.steps.count() == 5
    page = client.get(detail_url(procedure))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Noor Nieuw" in body and "0 van 5 stappen afgevinkt" in body
    # No account, no qualifications: the school is asked to check the diplomas itself.
    assert "Toets de diploma" in body

    # The coordinator ticks the school's two steps.
    ok = client.post(step_url(procedure, ProcedureStep.TASKS_AGREED), {"action": "done"})
    assert ok.status_code == 302 and ok.url.endswith(f"#step-{ProcedureStep.TASKS_AGREED}")
    ok = client.post(
        step_url(procedure, ProcedureStep.QUALIFICATIONS_CHECKED),
        {"action": "done", "note": "Pabo en Master SEN gezien; voldoet aan aspect 13."},
    )
    assert ok.status_code == 302
    # She may not complete yet.
    client.post(reverse("staffing:procedure_complete", args=[procedure.code]))
    procedure.refresh_from_db()
    assert procedure.status == ProcedureStatus.OPEN

    # The consultant ticks the introduction meeting, with its date.
    sign_in(client, users["consultant"])
    meeting = today() + timedelta(days=7)
    ok = client.post(
        step_url(procedure, ProcedureStep.INTRODUCTION_MEETING),
        {"action": "done", "date": meeting.isoformat(), "note": "Kennismaking op school."},
    )
    assert ok.status_code == 302
    # The consultant cannot complete (403).
    assert (
        client.post(reverse("staffing:procedure_complete", args=[procedure.code])).status_code
        == 403
    )

    # The office ticks its two steps.
    sign_in(client, users["office"])
    for step in (ProcedureStep.DETAILS_TO_OFFICE, ProcedureStep.ADDED_TO_DIRECTORY):
        assert client.post(step_url(procedure, step), {"action": "done"}).status_code == 302
    steps = {s.step: s for s in procedure.steps.all()}
    assert steps[ProcedureStep.INTRODUCTION_MEETING].date == meeting
    assert steps[ProcedureStep.INTRODUCTION_MEETING].done_by == users["consultant"]
    assert steps[ProcedureStep.DETAILS_TO_OFFICE].done_by == users["office"]
    assert steps[ProcedureStep.TASKS_AGREED].done_by == users["coordinator"]
    assert all(s.done_at is not None for s in steps.values())

    # The coordinator completes it.
    sign_in(client, users["coordinator"])
    page = client.get(detail_url(procedure)).content.decode()
    assert "5 van 5 stappen afgevinkt" in page and "Procedure afronden" in page
    assert "Afgevinkt door" in page and users["consultant"].full_name in page
    response = client.post(reverse("staffing:procedure_complete", args=[procedure.code]))
    assert response.status_code == 302

    procedure.refresh_from_db()
    assert procedure.status == ProcedureStatus.COMPLETED and procedure.completed_at
    person = User.objects.get(email="noor.nieuw@example.org")
    assert person.full_name == "Noor Nieuw" and not person.has_usable_password()
    assert procedure.candidate == person
    membership = Membership.objects.get(user=person)
    assert (membership.role, membership.school, membership.partnership) == (
        Role.BPO,
        world.a,
        world.p,
    )
    assert membership.valid_from == planned_start
    assignment = BpoAssignment.objects.get(bpo=person)
    assert assignment.procedure == procedure
    assert (assignment.school, assignment.school_year) == (world.a, year)
    assert assignment.hours_per_week == Decimal("12.5")
    assert assignment.employment_type == EmploymentType.HIRED
    assert assignment.start_date == planned_start

    # One invitation to choose a password.
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["noor.nieuw@example.org"]

    # Every change audited, by whom it was done.
    events = list(
        AuditEvent.objects.filter(pk__gt=since).order_by("pk").values_list("action", "actor_id")
    )
    actions = [a for a, _actor in events]
    assert actions[0] == "procedure.start"
    assert actions.count("procedure.step_done") == 5
    assert ("procedure.step_done", users["consultant"].pk) in events
    assert ("procedure.step_done", users["office"].pk) in events
    for action in ("user.create", "membership.grant", "assignment.create", "procedure.complete"):
        assert (action, users["coordinator"].pk) in events, action
    assert actions[-1] == "procedure.complete"
    grant = AuditEvent.objects.get(pk__gt=since, action="membership.grant")
    assert grant.school == world.a and grant.extra["procedure"] == str(procedure.code)

    # The page says so and leads to the directory, where the new BPO is listed with the hours.
    page = client.get(detail_url(procedure)).content.decode()
    assert "Afgerond op" in page
    assert reverse("staffing:assignment_detail", args=[assignment.code]) in page
    directory = reverse("staffing:directory", args=[world.p.code])
    assert directory in page
    body = client.get(directory).content.decode()
    assert "Noor Nieuw" in body and "noor.nieuw@example.org" in body and "12,5" in body

    # A completed procedure cannot change any more.
    before = snapshot()
    client.post(step_url(procedure, ProcedureStep.TASKS_AGREED), {"action": "undo"})
    client.post(reverse("staffing:procedure_complete", args=[procedure.code]))
    client.post(reverse("staffing:procedure_cancel", args=[procedure.code]))
    assert snapshot() == before


def test_procedure_list_shows_open_and_finished(client, procedure_world):
    w = procedure_world.world
    cancelled = start(w, email="weg@example.org", name="Wim Weg")
    sign_in(client, w.users["coordinator"])
    client.post(reverse("staffing:procedure_cancel", args=[cancelled.code]))
    response = client.get(reverse("staffing:procedure_list", args=[w.a.code]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Kim Kandidaat" in body and "Kees Klaar" in body and "Wim Weg" in body
    assert "2 van 5" in body and "5 van 5" in body and "Gestopt" in body
    assert reverse("staffing:procedure_create", args=[w.a.code]) in body
    # Viewers without the right to run see no start button.
    sign_in(client, w.users["office"])
    body = client.get(reverse("staffing:procedure_list", args=[w.a.code])).content.decode()
    assert reverse("staffing:procedure_create", args=[w.a.code]) not in body


def test_list_query_count_is_constant(client, procedure_world):
    w = procedure_world.world
    sign_in(client, w.users["coordinator"])
    url = reverse("staffing:procedure_list", args=[w.a.code])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(8):
        start(w, email=f"extra{i}@example.org", name=f"Extra {i}")
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


# --- Refusals ------------------------------------------------------------------------------------


def test_completing_with_a_step_open_is_refused(client, procedure_world):
    w = procedure_world.world
    procedure = procedure_world.open_a
    sign_in(client, w.users["coordinator"])
    before = snapshot()
    response = client.post(
        reverse("staffing:procedure_complete", args=[procedure.code]), follow=True
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Nog niet alle stappen zijn afgevinkt" in body
    assert "Kennismaking met de consulent" in body
    procedure.refresh_from_db()
    assert procedure.status == ProcedureStatus.OPEN
    assert snapshot() == before
    assert not User.objects.filter(email="kandidaat@example.org").exists()


@pytest.mark.parametrize(
    "persona,step",
    [
        ("consultant", ProcedureStep.TASKS_AGREED),
        ("consultant", ProcedureStep.DETAILS_TO_OFFICE),
        ("office", ProcedureStep.QUALIFICATIONS_CHECKED),
        ("office", ProcedureStep.INTRODUCTION_MEETING),
        ("partnership_admin", ProcedureStep.ADDED_TO_DIRECTORY),
    ],
)
def test_ticking_a_step_your_role_may_not_is_403(client, procedure_world, persona, step):
    w = procedure_world.world
    sign_in(client, w.users[persona])
    before = snapshot()
    response = client.post(
        step_url(procedure_world.open_a, step), {"action": "done", "date": "2030-01-01"}
    )
    assert response.status_code == 403
    assert snapshot() == before
    # Nor may they untick a step that is done.
    done = step_url(procedure_world.open_a, ProcedureStep.TASKS_AGREED)
    if ProcedureStep.TASKS_AGREED not in EXPECTED[persona]:
        assert client.post(done, {"action": "undo"}).status_code == 403
        assert snapshot() == before


@pytest.mark.parametrize("persona", ["coordinator_b", "bpo", "partner", "mentor", "other_swv"])
def test_outside_the_procedure_scope_is_404(client, procedure_world, persona):
    w = procedure_world.world
    procedure = procedure_world.open_a
    sign_in(client, w.users[persona])
    before = snapshot()
    urls_get = [
        detail_url(procedure),
        reverse("staffing:procedure_list", args=[w.a.code]),
        reverse("staffing:procedure_create", args=[w.a.code]),
    ]
    for url in urls_get:
        assert client.get(url).status_code == 404, url
    for url in (
        step_url(procedure, ProcedureStep.TASKS_AGREED),
        reverse("staffing:procedure_cancel", args=[procedure.code]),
        reverse("staffing:procedure_complete", args=[procedure_world.ready_a.code]),
    ):
        assert client.post(url, {"action": "done"}).status_code == 404, url
    assert snapshot() == before


def test_other_schools_procedure_is_404_for_its_coordinator(client, procedure_world):
    """School B's coordinator runs B's procedures; A's coordinator gets 404 for them."""
    w = procedure_world.world
    at_b = start(w, w.b, email="bee@example.org", name="Bea Bee")
    sign_in(client, w.users["coordinator"])
    assert client.get(detail_url(at_b)).status_code == 404
    assert client.post(step_url(at_b, ProcedureStep.TASKS_AGREED)).status_code == 404
    sign_in(client, w.users["coordinator_b"])
    assert client.get(detail_url(at_b)).status_code == 200
    assert client.post(step_url(at_b, ProcedureStep.TASKS_AGREED)).status_code == 302


def test_unknown_step_is_404(client, procedure_world):
    w = procedure_world.world
    sign_in(client, w.users["coordinator"])
    assert client.post(step_url(procedure_world.open_a, "hire_anyway")).status_code == 404


def test_cancel_stops_the_procedure(client, procedure_world):
    w = procedure_world.world
    procedure = procedure_world.ready_a
    sign_in(client, w.users["director"])
    response = client.post(reverse("staffing:procedure_cancel", args=[procedure.code]))
    assert response.status_code == 302
    procedure.refresh_from_db()
    assert procedure.status == ProcedureStatus.CANCELLED
    assert AuditEvent.objects.filter(action="procedure.cancel", actor=w.users["director"]).exists()
    before = snapshot()
    page = client.post(
        reverse("staffing:procedure_complete", args=[procedure.code]), follow=True
    ).content.decode()
    assert "kan niet meer wijzigen" in page
    assert snapshot() == before
    body = client.get(detail_url(procedure)).content.decode()
    assert "Procedure afronden" not in body and "afvinken" not in body


def test_untick_reopens_a_step(client, procedure_world):
    w = procedure_world.world
    procedure = procedure_world.open_a
    sign_in(client, w.users["coordinator"])
    response = client.post(step_url(procedure, ProcedureStep.TASKS_AGREED), {"action": "undo"})
    assert response.status_code == 302
    row = procedure.steps.get(step=ProcedureStep.TASKS_AGREED)
    assert row.done_at is None and row.done_by is None
    assert AuditEvent.objects.filter(
        action="procedure.step_undone", extra__step=ProcedureStep.TASKS_AGREED
    ).exists()
    # Ticking a done step again changes its note, keeps who ticked it first.
    qual = ProcedureStep.QUALIFICATIONS_CHECKED
    first = procedure.steps.get(step=qual)
    sign_in(client, w.users["director"])
    client.post(step_url(procedure, qual), {"action": "done", "note": "Ook VO-bevoegdheid."})
    again = procedure.steps.get(step=qual)
    assert again.note == "Ook VO-bevoegdheid." and again.done_by == first.done_by
    assert again.done_at == first.done_at
    assert AuditEvent.objects.filter(action="procedure.step_update").count() == 1


# --- The candidate with an account ---------------------------------------------------------------


def _qualify(user, *kinds):
    from passend.staffing.models import Qualification

    for kind in kinds:
        Qualification.objects.create(user=user, kind=kind, title=str(kind))


def test_verdict_of_a_candidate_the_school_may_see(client, world):
    """School A's own BPO, with a psychology degree, is the candidate for more hours: the
    qualifications step shows the aspect-13 verdict and needs no note."""
    bpo = world.users["bpo"]
    _qualify(bpo, QualificationKind.PSYCHOLOGY)
    procedure = start(world, email=bpo.email.upper(), name=bpo.full_name)
    assert procedure.candidate == bpo
    sign_in(client, world.users["coordinator"])
    body = client.get(detail_url(procedure)).content.decode()
    assert "Aspect 13: voldoet" in body and "psychologie of orthopedagogiek" in body
    response = client.post(
        step_url(procedure, ProcedureStep.QUALIFICATIONS_CHECKED), {"action": "done"}
    )
    assert response.status_code == 302


def test_not_met_verdict_still_asks_for_a_note(client, world):
    bpo = world.users["bpo"]
    _qualify(bpo, QualificationKind.TEACHING_VO)
    procedure = start(world, email=bpo.email, name=bpo.full_name)
    sign_in(client, world.users["coordinator"])
    body = client.get(detail_url(procedure)).content.decode()
    assert "Aspect 13: voldoet (nog) niet" in body and "geen opleiding speciale" in body
    response = client.post(
        step_url(procedure, ProcedureStep.QUALIFICATIONS_CHECKED), {"action": "done"}
    )
    assert response.status_code == 200
    assert "Noteer welke diploma" in response.content.decode()
    assert procedure.steps.get(step=ProcedureStep.QUALIFICATIONS_CHECKED).done_at is None


def test_verdict_of_someone_the_school_may_not_see_is_not_revealed(client, world):
    """A BPO of school B typed in by school A: A's coordinator learns nothing about the account;
    the SWV's partnership_admin, who may read it, sees the verdict."""
    other = factories.member(Role.BPO, school=world.b)
    _qualify(other, QualificationKind.TEACHING_PO, QualificationKind.SEN)
    procedure = start(world, email=other.email, name="Iemand Anders")
    sign_in(client, world.users["coordinator"])
    body = client.get(detail_url(procedure)).content.decode()
    assert "Aspect 13: voldoet" not in body and "Toets de diploma" in body
    sign_in(client, world.users["partnership_admin"])
    body = client.get(detail_url(procedure)).content.decode()
    assert "Aspect 13: voldoet" in body


def test_completing_for_an_existing_account(client, world):
    """No new account and no invitation; the bpo role at B is added; the name is kept."""
    person = factories.member(Role.BPO, school=world.a, email="ervaren@example.org")
    procedure = start(world, world.b, email="ERVAREN@example.org", name="Andere Naam")
    tick_all(world, procedure)
    sign_in(client, world.users["coordinator_b"])
    users_before = User.objects.count()
    response = client.post(reverse("staffing:procedure_complete", args=[procedure.code]))
    assert response.status_code == 302
    assert User.objects.count() == users_before
    assert mail.outbox == []
    person.refresh_from_db()
    assert person.full_name != "Andere Naam"
    assert Membership.objects.filter(user=person, role=Role.BPO, school=world.b).exists()
    assert BpoAssignment.objects.get(procedure=procedure).bpo == person
    assert not AuditEvent.objects.filter(action="user.create", object_code=str(person.code))


def test_completing_when_the_role_is_held_already(client, world):
    bpo = world.users["bpo"]
    procedure = start(world, email=bpo.email, name=bpo.full_name)
    tick_all(world, procedure)
    sign_in(client, world.users["coordinator"])
    memberships = Membership.objects.filter(user=bpo).count()
    client.post(reverse("staffing:procedure_complete", args=[procedure.code]))
    procedure.refresh_from_db()
    assert procedure.status == ProcedureStatus.COMPLETED
    assert Membership.objects.filter(user=bpo).count() == memberships
    assert BpoAssignment.objects.filter(bpo=bpo, procedure=procedure).exists()


def test_completion_refused_by_the_assignment_rules_writes_nothing(client, world):
    """A's BPO already has an open-ended regular assignment at A this year: the new one would
    overlap, so completing is refused and nothing of it is kept."""
    from passend.staffing.services import create_assignment

    bpo = world.users["bpo"]
    year = SchoolYear.current()
    coordinator = world.users["coordinator"]
    create_assignment(
        school=world.a,
        school_year=year,
        bpo=bpo,
        hours_per_week=Decimal("8"),
        employment_type=EmploymentType.SCHOOL,
        start_date=year.start,
        acting_user=coordinator,
    )
    procedure = start(world, email=bpo.email, name=bpo.full_name)
    tick_all(world, procedure)
    sign_in(client, coordinator)
    before = snapshot()
    response = client.post(
        reverse("staffing:procedure_complete", args=[procedure.code]), follow=True
    )
    assert response.status_code == 200
    assert "al een inzet" in response.content.decode()
    assert snapshot() == before
    procedure.refresh_from_db()
    assert procedure.status == ProcedureStatus.OPEN


# --- Bad input -----------------------------------------------------------------------------------


def _create_data(year, **overrides) -> dict:
    data = {
        "candidate_name": "Noor Nieuw",
        "candidate_email": "noor@example.org",
        "planned_hours_per_week": "8",
        "employment_type": EmploymentType.SCHOOL,
        "school_year": year.name,
        "planned_start": max(year.start, today()).isoformat(),
    }
    data.update(overrides)
    return data


BAD_CREATE = [
    {"candidate_name": ""},
    {"candidate_name": "x" * 1000},
    {"candidate_email": "geen-adres"},
    {"candidate_email": SCRIPT},
    {"planned_hours_per_week": "0"},
    {"planned_hours_per_week": "61"},
    {"planned_hours_per_week": "acht"},
    {"planned_hours_per_week": "8,125"},
    {"employment_type": "slavery"},
    {"school_year": "1999-2000"},
    {"planned_start": "2025-13-45"},
    {"planned_start": "1990-01-01"},
    {"candidate_name": "\x00"},
]


@pytest.mark.parametrize("overrides", BAD_CREATE, ids=[",".join(d) for d in BAD_CREATE])
def test_start_with_bad_input_shows_form_errors(client, world, overrides):
    year = SchoolYear.current()
    sign_in(client, world.users["coordinator"])
    before = snapshot()
    response = client.post(
        reverse("staffing:procedure_create", args=[world.a.code]), _create_data(year, **overrides)
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert SCRIPT.encode() not in response.content
    assert snapshot() == before


def test_second_open_procedure_for_the_same_candidate_is_refused(client, procedure_world):
    w = procedure_world.world
    sign_in(client, w.users["coordinator"])
    before = snapshot()
    response = client.post(
        reverse("staffing:procedure_create", args=[w.a.code]),
        _create_data(procedure_world.year, candidate_email="KANDIDAAT@example.org"),
    )
    assert response.status_code == 200
    assert "loopt al een procedure" in response.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize(
    "step,data,message",
    [
        (ProcedureStep.INTRODUCTION_MEETING, {"action": "done"}, "datum van de kennismaking"),
        (ProcedureStep.INTRODUCTION_MEETING, {"date": "2025-13-45"}, "geldige datum"),
        (ProcedureStep.TASKS_AGREED, {"note": "x" * 501}, "500 tekens"),
        (ProcedureStep.TASKS_AGREED, {"action": "burn"}, "geldige keuze"),
        (ProcedureStep.TASKS_AGREED, {"note": "\x00"}, "Null"),
        (ProcedureStep.DETAILS_TO_OFFICE, {"note": SCRIPT + "x" * 600}, "500 tekens"),
    ],
)
def test_step_with_bad_input_shows_form_errors(client, procedure_world, step, data, message):
    w = procedure_world.world
    sign_in(client, w.users["coordinator"])
    before = snapshot()
    response = client.post(step_url(procedure_world.open_a, step), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert message.lower() in body.lower()
    assert SCRIPT not in body
    assert snapshot() == before


# --- Demo ----------------------------------------------------------------------------------------


def test_demo_procedure_is_idempotent(db, settings):
    from io import StringIO

    from django.core.management import call_command

    from passend.demo import procedures as demo
    from passend.demo.services import ACCOUNTS, SCHOOL_B

    call_command("demo", stdout=StringIO())
    users = {a.email: User.objects.get(email=a.email) for a in ACCOUNTS}
    demo.load(users)
    procedure = AppointmentProcedure.objects.get(candidate_email=demo.CANDIDATE_EMAIL)
    assert procedure.school.location_code == SCHOOL_B
    assert procedure.status == ProcedureStatus.OPEN
    done = procedure.steps.filter(done_at__isnull=False)
    assert set(done.values_list("step", flat=True)) == {
        ProcedureStep.TASKS_AGREED,
        ProcedureStep.QUALIFICATIONS_CHECKED,
    }
    before = snapshot()
    demo.load(users)
    assert snapshot() == before
