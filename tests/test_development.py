"""Professional development: events, registration with a waitlist (also under concurrency),
attendance, the .ics file, own records with certificates, derived evidence for aspects 11, 12
and 15, who may do what, bad input, query counts and the demo data."""

from __future__ import annotations

import threading
import time
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from passend.accounts.choices import Role
from passend.accounts.middleware import SESSION_STARTED_KEY
from passend.audit.models import AuditEvent
from passend.development import access, calendar, services
from passend.development.choices import EventKind, EventMode, RegistrationStatus
from passend.development.models import PdEvent, PdRecord, PdRegistration
from passend.organisations.models import SchoolYear
from passend.quality.evidence import PROVIDERS, derived_evidence
from tests import factories
from tests.fixtures_development import PDF, make_event

REGISTERED = RegistrationStatus.REGISTERED
WAITLISTED = RegistrationStatus.WAITLISTED
CANCELLED = RegistrationStatus.CANCELLED
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64
SCRIPT = "<script>alert(1)</script>"


@pytest.fixture(autouse=True)
def _plain_settings(settings):
    settings.REQUIRE_2FA = False


def sign_in(client, user) -> None:
    client.logout()
    client.force_login(user)
    session = client.session
    session[SESSION_STARTED_KEY] = time.time()
    session.save()


def url(name: str, *args) -> str:
    return reverse(f"development:{name}", args=args)


def bpos(partnership, n: int) -> list:
    school = factories.school(partnership)
    return [factories.member(Role.BPO, school=school) for _ in range(n)]


def status_of(event, user) -> str:
    return PdRegistration.objects.get(event=event, user=user).status


def fresh(user):
    """The user without a cached scope (roles may have changed in the test)."""
    if hasattr(user, "_passend_scope"):
        del user._passend_scope
    return user


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- Capacity and waitlist -----------------------------------------------------------------------


def test_registration_beyond_capacity_goes_to_the_waitlist(world):
    event = make_event(world.p, capacity=2)
    first, second, third, fourth = bpos(world.p, 4)

    assert services.register(event, acting_user=first).status == REGISTERED
    assert services.register(event, acting_user=second).status == REGISTERED
    assert services.register(event, acting_user=third).status == WAITLISTED
    assert services.register(event, acting_user=fourth).status == WAITLISTED

    assert event.registrations.filter(status=REGISTERED).count() == 2
    assert AuditEvent.objects.filter(action="pd.register").count() == 4
    last = AuditEvent.objects.filter(action="pd.register").latest("pk")
    assert last.extra["status"] == WAITLISTED
    assert last.partnership == world.p
    # Registering twice changes nothing.
    assert services.register(event, acting_user=first).status == REGISTERED
    assert event.registrations.count() == 4
    assert AuditEvent.objects.filter(action="pd.register").count() == 4


def test_without_capacity_everyone_gets_a_seat(world):
    event = make_event(world.p, capacity=None)
    for person in bpos(world.p, 5):
        assert services.register(event, acting_user=person).status == REGISTERED


def test_cancelling_a_seat_promotes_the_first_on_the_waitlist(world):
    event = make_event(world.p, capacity=1)
    holder, first_waiting, second_waiting = bpos(world.p, 3)
    services.register(event, acting_user=holder)
    services.register(event, acting_user=first_waiting)
    services.register(event, acting_user=second_waiting)

    cancelled, promoted = services.cancel_registration(event, acting_user=holder)

    assert cancelled.status == CANCELLED
    assert [r.user for r in promoted] == [first_waiting]
    assert status_of(event, first_waiting) == REGISTERED
    assert status_of(event, second_waiting) == WAITLISTED
    promote = AuditEvent.objects.get(action="pd.registration_promote")
    assert promote.extra["user"] == first_waiting.email
    assert promote.extra["event"] == str(event.code)
    assert AuditEvent.objects.filter(action="pd.cancel").count() == 1


def test_leaving_the_waitlist_promotes_nobody(world):
    event = make_event(world.p, capacity=1)
    holder, waiting, behind = bpos(world.p, 3)
    for person in (holder, waiting, behind):
        services.register(event, acting_user=person)

    _cancelled, promoted = services.cancel_registration(event, acting_user=waiting)

    assert promoted == []
    assert status_of(event, holder) == REGISTERED
    assert status_of(event, behind) == WAITLISTED


def test_registering_again_reuses_the_row_at_the_back_of_the_queue(world):
    event = make_event(world.p, capacity=1)
    holder, person, other = bpos(world.p, 3)
    services.register(event, acting_user=holder)
    first = services.register(event, acting_user=person)
    services.register(event, acting_user=other)
    services.cancel_registration(event, acting_user=person)

    again = services.register(event, acting_user=person)

    assert again.pk == first.pk
    assert again.status == WAITLISTED
    assert event.registrations.filter(user=person).count() == 1
    # ``other`` waited longer: the freed seat goes to them.
    services.cancel_registration(event, acting_user=holder)
    assert status_of(event, other) == REGISTERED
    assert status_of(event, person) == WAITLISTED


def test_a_past_event_refuses_registration_and_cancelling(world):
    event = make_event(world.p, days=-1, capacity=5)
    bpo = world.users["bpo"]
    with pytest.raises(ValidationError):
        services.register(event, acting_user=bpo)
    PdRegistration.objects.create(event=event, user=bpo, status=REGISTERED)
    with pytest.raises(ValidationError):
        services.cancel_registration(event, acting_user=bpo)
    assert status_of(event, bpo) == REGISTERED
    assert not AuditEvent.objects.filter(action__startswith="pd.").exists()


def test_an_event_that_has_begun_refuses_registration_over_http(client, world):
    event = make_event(world.p, days=-0.01, capacity=5)
    sign_in(client, world.users["bpo"])
    response = client.post(url("event_register", event.code), follow=True)
    assert response.status_code == 200
    assert any("al begonnen" in m for m in messages_of(response))
    assert not event.registrations.exists()


def test_only_bpos_and_coordinators_register(world):
    event = make_event(world.p, capacity=5)
    for persona in ("partnership_admin", "office", "consultant", "director"):
        with pytest.raises(PermissionDenied):
            services.register(event, acting_user=world.users[persona])
    with pytest.raises(PermissionDenied):
        services.register(event, acting_user=world.users["other_swv"])
    assert services.register(event, acting_user=world.users["coordinator"]).status == REGISTERED
    assert services.register(event, acting_user=world.users["bpo"]).status == REGISTERED


def test_raising_the_capacity_promotes_waiting_people(world):
    event = make_event(world.p, capacity=1)
    holder, waiting, behind = bpos(world.p, 3)
    for person in (holder, waiting, behind):
        services.register(event, acting_user=person)

    services.update_event(event, acting_user=world.users["office"], capacity=2)

    assert status_of(event, waiting) == REGISTERED
    assert status_of(event, behind) == WAITLISTED
    with pytest.raises(ValidationError) as info:
        services.update_event(event, acting_user=world.users["office"], capacity=1)
    assert "capacity" in info.value.error_dict
    event.refresh_from_db()
    assert event.capacity == 2

    services.update_event(event, acting_user=world.users["office"], capacity=None)
    assert status_of(event, behind) == REGISTERED


# --- Two transactions for the last seat ----------------------------------------------------------


def _register_waiting(event, person):
    """``services.register``, waiting while another writer holds the database.

    PostgreSQL waits by itself (the row lock). So does passend's SQLite file database (its
    busy timeout). The test suite's SQLite database is in memory with a shared cache, where a
    second writer is refused at once with "database table is locked" (SQLITE_LOCKED ignores the
    busy timeout); the transaction is rolled back and tried again, which is what the busy
    timeout does for the file database.
    """
    deadline = time.monotonic() + 20
    while True:
        try:
            return services.register(event, acting_user=person)
        except OperationalError as error:
            locked = connection.vendor == "sqlite" and "locked" in str(error)
            if not locked or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def _race_for_the_last_seat(world, monkeypatch, *, lock: bool = True):
    """Two BPOs ask for the last seat at once, each in its own thread, connection and
    transaction. The seat count is slowed down, so without a lock both would count the seat as
    free before either writes."""
    event = make_event(world.p, capacity=2)
    services.register(event, acting_user=world.users["coordinator"])
    racers = bpos(world.p, 2)
    for person in racers:
        # The scope is computed (and cached on the user) before the race starts.
        assert access.can_register(fresh(person), world.p)

    counted = services._registered_count

    def slow_count(ev):
        result = counted(ev)
        time.sleep(0.3)
        return result

    monkeypatch.setattr(services, "_registered_count", slow_count)
    if not lock:
        monkeypatch.setattr(services, "_lock", lambda ev: PdEvent.objects.get(pk=ev.pk))
    barrier = threading.Barrier(len(racers))
    results: dict[int, str] = {}
    errors: list[BaseException] = []

    def attempt(person):
        try:
            copy = PdEvent.objects.select_related("partnership").get(pk=event.pk)
            barrier.wait(timeout=10)
            results[person.pk] = _register_waiting(copy, person).status
        except BaseException as error:  # noqa: BLE001 (reported by the main thread)
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(p,)) for p in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    return event, racers, results


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_registrations_for_the_last_seat(world, monkeypatch):
    event, racers, results = _race_for_the_last_seat(world, monkeypatch)

    assert sorted(results.values()) == [REGISTERED, WAITLISTED]
    assert event.registrations.filter(status=REGISTERED).count() == 2
    assert event.registrations.filter(status=WAITLISTED).count() == 1
    assert AuditEvent.objects.filter(action="pd.register").count() == 3


@pytest.mark.django_db(transaction=True)
def test_without_the_lock_the_race_is_real(world, monkeypatch):
    """The control experiment: it shows the test above would catch a missing lock."""
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite's IMMEDIATE transactions serialise writers even without a row lock; "
            "the race only exists where the database runs transactions in parallel"
        )
    event, _racers, results = _race_for_the_last_seat(world, monkeypatch, lock=False)
    assert sorted(results.values()) == [REGISTERED, REGISTERED]
    assert event.registrations.filter(status=REGISTERED).count() == 3


# --- Attendance ----------------------------------------------------------------------------------


def test_office_records_attendance(client, development_world):
    dw = development_world
    w = dw.world
    other = PdRegistration.objects.create(
        event=dw.past, user=w.users["coordinator"], status=REGISTERED
    )
    waiting = PdRegistration.objects.create(
        event=dw.past, user=w.users["coordinator_b"], status=WAITLISTED
    )
    sign_in(client, w.users["office"])
    page = client.get(url("event_detail", dw.past.code))
    body = page.content.decode()
    assert f'name="present" value="{dw.past_registration.code}"' in body
    assert f'name="present" value="{waiting.code}"' not in body

    response = client.post(
        url("event_attendance", dw.past.code),
        {
            "listed": [str(dw.past_registration.code), str(other.code), str(waiting.code)],
            "present": [str(dw.past_registration.code), str(waiting.code)],
        },
    )

    assert response.status_code == 302
    dw.past_registration.refresh_from_db()
    other.refresh_from_db()
    waiting.refresh_from_db()
    assert dw.past_registration.attended is True
    assert other.attended is False
    assert waiting.attended is None  # only seats count
    event = AuditEvent.objects.get(action="pd.attendance")
    assert event.actor == w.users["office"]
    assert {c["user"]: c["attended"] for c in event.extra["changes"]} == {
        w.users["bpo"].email: True,
        w.users["coordinator"].email: False,
    }
    # Unchecking someone marks them absent.
    client.post(url("event_attendance", dw.past.code), {"listed": [str(dw.past_registration.code)]})
    dw.past_registration.refresh_from_db()
    assert dw.past_registration.attended is False


def test_coordinator_may_not_record_attendance(client, development_world):
    dw = development_world
    sign_in(client, dw.world.users["coordinator"])
    response = client.post(
        url("event_attendance", dw.past.code),
        {"listed": [str(dw.past_registration.code)], "present": [str(dw.past_registration.code)]},
    )
    assert response.status_code == 403
    dw.past_registration.refresh_from_db()
    assert dw.past_registration.attended is None
    # Nor does the coordinator see the participant list.
    body = client.get(url("event_detail", dw.past.code)).content.decode()
    assert dw.world.users["bpo"].email not in body


def test_attendance_waits_for_the_event_to_begin(client, development_world):
    dw = development_world
    registration = dw.upcoming.registrations.get()
    sign_in(client, dw.world.users["office"])
    response = client.post(
        url("event_attendance", dw.upcoming.code),
        {"listed": [str(registration.code)], "present": [str(registration.code)]},
        follow=True,
    )
    assert any("zodra de bijeenkomst is begonnen" in m for m in messages_of(response))
    registration.refresh_from_db()
    assert registration.attended is None


# --- The calendar file ---------------------------------------------------------------------------


def unfold(body: str) -> list[str]:
    return body.replace("\r\n ", "").replace("\r\n\t", "").split("\r\n")


def ics_properties(body: str) -> dict[str, str]:
    props = {}
    for line in unfold(body):
        if ":" in line:
            name, value = line.split(":", 1)
            props.setdefault(name.split(";")[0], value)
    return props


def unescape(value: str) -> str:
    out, i = [], 0
    while i < len(value):
        if value[i] == "\\" and i + 1 < len(value):
            nxt = value[i + 1]
            out.append("\n" if nxt in "nN" else nxt)
            i += 2
        else:
            out.append(value[i])
            i += 1
    return "".join(out)


def test_ics_is_valid_rfc5545(world):
    winter = timezone.make_aware(datetime(2026, 1, 15, 14, 0))  # CET, UTC+1
    title = (
        "Intervisie; casus, vervolg \\ deel 2 – bpo'ers uit Dordrecht, Zwijndrecht en "
        "Papendrecht 🙂"
    )
    event = make_event(
        world.p,
        title=title,
        starts_at=winter,
        ends_at=winter + timedelta(hours=2, minutes=30),
        location="Kantoor SWV; zaal 2, Dordrecht",
    )
    # Control characters never reach the file (the forms refuse NUL; this is belt and braces).
    event.description = "Eerste regel.\r\nTweede regel; met puntkomma, komma en \\ backslash.\x00"
    stamp = timezone.make_aware(datetime(2025, 12, 1, 9, 30))

    body = calendar.event_calendar(
        event, page_url="https://passend.example/events/x/", host="passend.example", now=stamp
    )

    # CRLF only, and every physical line at most 75 octets; continuations start with a space.
    assert body.endswith("\r\n")
    assert "\n" not in body.replace("\r\n", "") and "\r" not in body.replace("\r\n", "")
    lines = body.split("\r\n")[:-1]
    assert all(len(line.encode("utf-8")) <= 75 for line in lines)
    assert any(line.startswith(" ") for line in lines), "the long summary is folded"
    # Folding never splits a UTF-8 character (each physical line decodes on its own).
    for line in lines:
        line.encode("utf-8").decode("utf-8")
    unfolded = unfold(body)
    assert unfolded[0] == "BEGIN:VCALENDAR" and unfolded[-2] == "END:VCALENDAR"
    assert unfolded.count("BEGIN:VEVENT") == 1 and unfolded.count("END:VEVENT") == 1
    props = ics_properties(body)
    assert props["VERSION"] == "2.0"
    assert props["PRODID"]
    assert props["UID"] == f"{event.code}@passend.example"
    assert props["DTSTAMP"] == "20251201T083000Z"
    assert props["DTSTART"] == "20260115T130000Z"
    assert props["DTEND"] == "20260115T153000Z"
    assert props["SUMMARY"].startswith("Intervisie\\; casus\\, vervolg \\\\ deel 2")
    assert unescape(props["SUMMARY"]) == title
    assert unescape(props["LOCATION"]) == "Kantoor SWV; zaal 2, Dordrecht"
    description = unescape(props["DESCRIPTION"])
    assert "Eerste regel.\nTweede regel; met puntkomma, komma en \\ backslash." in description
    assert "\x00" not in body
    assert props["URL"] == "https://passend.example/events/x/"


def test_ics_summer_time_and_online_link(world):
    summer = timezone.make_aware(datetime(2026, 6, 2, 9, 0))  # CEST, UTC+2
    event = make_event(
        world.p,
        mode=EventMode.ONLINE,
        location="",
        online_url="https://webinar.example.org/opp?a=1,2",
        starts_at=summer,
        ends_at=summer + timedelta(hours=1),
    )
    props = ics_properties(calendar.event_calendar(event))
    assert props["DTSTART"] == "20260602T070000Z"
    assert props["URL"] == "https://webinar.example.org/opp?a=1,2"  # a URI, not escaped TEXT
    assert unescape(props["LOCATION"]) == "https://webinar.example.org/opp?a=1,2"
    assert props["UID"] == f"{event.code}@passend"


def test_fold_counts_octets_not_characters():
    line = "SUMMARY:" + "é" * 100
    folded = calendar.fold(line)
    pieces = folded.split("\r\n")
    assert all(len(p.encode()) <= 75 for p in pieces)
    assert "".join(p[1:] if i else p for i, p in enumerate(pieces)) == line


def test_ics_download(client, development_world):
    dw = development_world
    sign_in(client, dw.world.users["bpo"])
    response = client.get(url("event_ics", dw.upcoming.code))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="intervisie-bpo.ics"'
    body = response.content.decode("utf-8")
    props = ics_properties(body)
    assert props["UID"] == f"{dw.upcoming.code}@testserver"
    assert props["DTSTART"].endswith("Z")
    assert f"/events/{dw.upcoming.code}/" in unescape(props["DESCRIPTION"])


# --- Who may do what (beyond the matrix) ---------------------------------------------------------


@pytest.mark.parametrize("persona", ["partner", "mentor", "other_swv", "no_role"])
def test_outsiders_get_404(client, development_world, persona):
    dw = development_world
    sign_in(client, dw.world.users[persona])
    assert client.get(url("event_list", dw.world.p.code)).status_code == 404
    assert client.get(url("event_detail", dw.upcoming.code)).status_code == 404
    assert client.post(url("event_register", dw.upcoming.code)).status_code == 404
    assert dw.upcoming.registrations.count() == 1


def test_bpo_registers_through_the_pages(client, development_world):
    dw = development_world
    bpo = dw.world.users["bpo"]
    sign_in(client, bpo)
    listing = client.get(url("event_list", dw.world.p.code))
    body = listing.content.decode()
    assert "Intervisie bpo" in body and "Netwerkcafé bpo" in body
    assert "Webinar Qu" not in body  # Q's event
    assert "Nieuwe bijeenkomst" not in body
    upcoming = listing.context["upcoming"]
    assert [e.seats_left for e in upcoming] == [1]

    response = client.post(url("event_register", dw.upcoming.code), follow=True)

    assert response.status_code == 200
    assert any("Je bent aangemeld" in m for m in messages_of(response))
    assert status_of(dw.upcoming, bpo) == REGISTERED
    assert "Je bent aangemeld voor deze bijeenkomst." in response.content.decode()
    listing = client.get(url("event_list", dw.world.p.code))
    assert listing.context["upcoming"][0].seats_left == 0
    assert listing.context["upcoming"][0].my_status == REGISTERED
    # The next one goes on the waitlist and is told so.
    sign_in(client, dw.world.users["coordinator_b"])
    response = client.post(url("event_register", dw.upcoming.code), follow=True)
    assert any("wachtlijst (plaats 1)" in m for m in messages_of(response))
    assert "Je staat op de wachtlijst (plaats 1)." in response.content.decode()
    # The BPO cancels; the coordinator of B moves up.
    sign_in(client, bpo)
    client.post(url("event_cancel_registration", dw.upcoming.code))
    assert status_of(dw.upcoming, bpo) == CANCELLED
    assert status_of(dw.upcoming, dw.world.users["coordinator_b"]) == REGISTERED


def test_consultant_sees_but_does_not_register(client, development_world):
    dw = development_world
    sign_in(client, dw.world.users["consultant"])
    page = client.get(url("event_detail", dw.upcoming.code))
    assert page.status_code == 200
    register_action = f'action="{url("event_register", dw.upcoming.code)}"'
    assert register_action not in page.content.decode()
    assert client.post(url("event_register", dw.upcoming.code)).status_code == 403
    assert dw.upcoming.registrations.count() == 1


def event_data(**overrides) -> dict:
    starts = timezone.localtime() + timedelta(days=14)
    data = {
        "title": "Themabijeenkomst gedrag",
        "kind": EventKind.THEME_MEETING,
        "mode": EventMode.ON_SITE,
        "starts_at": starts.strftime("%Y-%m-%dT14:00"),
        "ends_at": starts.strftime("%Y-%m-%dT16:30"),
        "location": "Kantoor SWV",
        "online_url": "",
        "capacity": "12",
        "hours": "2,5",
        "description": "Over gedrag in de klas.",
    }
    data.update(overrides)
    return data


def test_office_creates_and_edits_an_event(client, world):
    office = world.users["office"]
    sign_in(client, office)
    listing = client.get(url("event_list", world.p.code))
    assert "Nieuwe bijeenkomst" in listing.content.decode()

    response = client.post(url("event_create", world.p.code), event_data())

    event = PdEvent.objects.get(title="Themabijeenkomst gedrag")
    assert response.status_code == 302 and response.url == url("event_detail", event.code)
    assert event.partnership == world.p
    assert event.capacity == 12 and event.hours == Decimal("2.5")
    assert timezone.localtime(event.starts_at).hour == 14
    assert AuditEvent.objects.filter(action="pd.event_create", actor=office).count() == 1

    form_page = client.get(url("event_edit", event.code))
    assert form_page.status_code == 200
    assert 'value="Themabijeenkomst gedrag"' in form_page.content.decode()
    response = client.post(
        url("event_edit", event.code),
        event_data(mode=EventMode.ONLINE, location="", online_url="https://meet.example.org/x"),
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.mode == EventMode.ONLINE and event.online_url == "https://meet.example.org/x"
    update = AuditEvent.objects.get(action="pd.event_update")
    assert set(update.extra["fields"]) == {"mode", "location", "online_url"}


def test_capacity_below_the_seats_taken_is_a_form_error(client, development_world):
    dw = development_world
    services.register(dw.upcoming, acting_user=dw.world.users["bpo"])
    sign_in(client, dw.world.users["office"])
    starts = timezone.localtime(dw.upcoming.starts_at)
    ends = timezone.localtime(dw.upcoming.ends_at)
    response = client.post(
        url("event_edit", dw.upcoming.code),
        event_data(
            title=dw.upcoming.title,
            starts_at=starts.strftime("%Y-%m-%dT%H:%M"),
            ends_at=ends.strftime("%Y-%m-%dT%H:%M"),
            capacity="1",
        ),
    )
    assert response.status_code == 200
    assert "capacity" in response.context["form"].errors
    dw.upcoming.refresh_from_db()
    assert dw.upcoming.capacity == 2


# --- Bad input -----------------------------------------------------------------------------------

BAD_EVENT_INPUT = {
    "end-before-start": {
        "ends_at": (timezone.localtime() + timedelta(days=14)).strftime("%Y-%m-%dT13:00")
    },
    "end-equals-start": {
        "ends_at": (timezone.localtime() + timedelta(days=14)).strftime("%Y-%m-%dT14:00")
    },
    "capacity-0": {"capacity": "0"},
    "capacity-negative": {"capacity": "-3"},
    "capacity-text": {"capacity": "veel"},
    "capacity-huge": {"capacity": "9" * 30},
    "bad-url": {"mode": EventMode.ONLINE, "online_url": "niet een link"},
    "javascript-url": {"mode": EventMode.ONLINE, "online_url": "javascript:alert(1)"},
    "ftp-url": {"mode": EventMode.ONLINE, "online_url": "ftp://files.example.org/x"},
    "online-without-url": {"mode": EventMode.ONLINE, "online_url": ""},
    "on-site-without-location": {"location": "  "},
    "title-empty": {"title": ""},
    "title-blank": {"title": "   "},
    "title-long": {"title": "x" * 10000},
    "title-nul": {"title": "Intervisie\x00"},
    "location-nul": {"location": "\x00"},
    "description-long": {"description": "x" * 10000},
    "description-nul": {"description": "tekst\x00"},
    "bad-date": {"starts_at": "2025-13-45T10:00"},
    "date-text": {"starts_at": SCRIPT},
    "kind-unknown": {"kind": "feest"},
    "mode-unknown": {"mode": SCRIPT},
    "hours-negative": {"hours": "-1"},
    "hours-text": {"hours": "🙂"},
}


@pytest.mark.parametrize("case", sorted(BAD_EVENT_INPUT))
def test_bad_event_input_is_a_form_error(client, world, case):
    sign_in(client, world.users["office"])
    before = (PdEvent.objects.count(), AuditEvent.objects.count())

    response = client.post(url("event_create", world.p.code), event_data(**BAD_EVENT_INPUT[case]))

    assert response.status_code == 200
    assert response.context["form"].errors
    assert (PdEvent.objects.count(), AuditEvent.objects.count()) == before
    assert SCRIPT.encode() not in response.content


@pytest.mark.parametrize("value", [SCRIPT, "ééé 𝕏 漢字 🙂", "'; DROP TABLE x; --"])
def test_html_and_unicode_in_text_are_stored_and_escaped(client, world, value):
    sign_in(client, world.users["office"])
    response = client.post(
        url("event_create", world.p.code), event_data(title=value, description=value)
    )
    assert response.status_code == 302
    event = PdEvent.objects.get(partnership=world.p)
    assert event.title == value
    for page in (url("event_detail", event.code), url("event_list", world.p.code)):
        body = client.get(page).content.decode()
        assert SCRIPT not in body
        assert escape(value) in body


# --- Own records ---------------------------------------------------------------------------------


def record_data(**overrides) -> dict:
    data = {
        "title": "Cursus motiverende gespreksvoering",
        "provider": "Hogeschool Utrecht",
        "date": (timezone.localdate() - timedelta(days=5)).isoformat(),
        "hours": "12,5",
    }
    data.update(overrides)
    return data


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_own_records_crud_with_certificate(client, world, django_capture_on_commit_callbacks):
    bpo = world.users["bpo"]
    sign_in(client, bpo)
    assert client.get(url("record_create")).status_code == 200

    response = client.post(
        url("record_create"),
        {**record_data(), "certificate": upload("../../cert ificaat.pdf", PDF)},
    )

    assert response.status_code == 302
    record = PdRecord.objects.get(user=bpo)
    assert record.hours == Decimal("12.5")
    assert record.certificate_filename == "cert ificaat.pdf"
    assert (
        record.certificate.name.startswith("certificates/") and ".." not in record.certificate.name
    )
    assert AuditEvent.objects.get(action="pd.record_create").extra["certificate"] is True
    page = client.get(url("my_development")).content.decode()
    assert "Cursus motiverende gespreksvoering" in page
    assert url("record_certificate", record.code) in page

    download = client.get(url("record_certificate", record.code))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]
    assert AuditEvent.objects.filter(action="pd.certificate_download", actor=bpo).count() == 1
    # The coordinator of the school may read it as well (and that is audited too).
    sign_in(client, world.users["coordinator"])
    assert client.get(url("record_certificate", record.code)).status_code == 200
    assert AuditEvent.objects.filter(action="pd.certificate_download").count() == 2

    sign_in(client, bpo)
    old_file = record.certificate.name
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("record_edit", record.code),
            {**record_data(title="Cursus MGV", hours="4"), "certificate": upload("foto.png", PNG)},
        )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.title == "Cursus MGV" and record.hours == Decimal("4")
    assert record.certificate_filename == "foto.png"
    storage = record.certificate.storage
    assert not storage.exists(old_file)  # the replaced file is removed after the commit

    png_file = record.certificate.name
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("record_edit", record.code), {**record_data(), "remove_certificate": "on"}
        )
    assert response.status_code == 302
    record.refresh_from_db()
    assert not record.certificate
    assert not storage.exists(png_file)
    assert client.get(url("record_certificate", record.code)).status_code == 404

    response = client.post(url("record_delete", record.code))
    assert response.status_code == 302
    assert not PdRecord.objects.filter(pk=record.pk).exists()
    assert AuditEvent.objects.filter(action="pd.record_delete").count() == 1


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("certificaat.pdf", EXE),  # extension and content disagree
        ("certificaat.exe", EXE),
        ("certificaat.docx", PDF),
        ("certificaat.jpg", PNG),
        ("certificaat", PDF),
    ],
)
def test_bad_certificate_is_refused(client, world, name, content):
    sign_in(client, world.users["bpo"])
    before = (PdRecord.objects.count(), AuditEvent.objects.count())
    response = client.post(
        url("record_create"), {**record_data(), "certificate": upload(name, content)}
    )
    assert response.status_code == 200
    assert "certificate" in response.context["form"].errors
    assert (PdRecord.objects.count(), AuditEvent.objects.count()) == before


BAD_RECORD_INPUT = {
    "title-empty": {"title": ""},
    "title-long": {"title": "x" * 10000},
    "title-nul": {"title": "\x00"},
    "provider-nul": {"provider": "a\x00b"},
    "hours-zero": {"hours": "0"},
    "hours-negative": {"hours": "-2"},
    "hours-text": {"hours": SCRIPT},
    "hours-huge": {"hours": "99999999"},
    "date-bad": {"date": "2025-13-45"},
    "date-empty": {"date": ""},
}


@pytest.mark.parametrize("case", sorted(BAD_RECORD_INPUT))
def test_bad_record_input_is_a_form_error(client, world, case):
    sign_in(client, world.users["bpo"])
    before = (PdRecord.objects.count(), AuditEvent.objects.count())
    response = client.post(url("record_create"), record_data(**BAD_RECORD_INPUT[case]))
    assert response.status_code == 200
    assert response.context["form"].errors
    assert (PdRecord.objects.count(), AuditEvent.objects.count()) == before
    assert SCRIPT.encode() not in response.content


def test_records_are_the_owners_to_change(
    client, development_world, django_capture_on_commit_callbacks
):
    dw = development_world
    sign_in(client, dw.world.users["coordinator"])
    assert client.post(url("record_delete", dw.record.code)).status_code == 403
    assert client.post(url("record_edit", dw.record.code), record_data()).status_code == 403
    dw.record.refresh_from_db()
    assert dw.record.title == "Cursus gespreksvoering"
    # The owner deletes it, certificate and all.
    stored = dw.record.certificate.name
    sign_in(client, dw.world.users["bpo"])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url("record_delete", dw.record.code)).status_code == 302
    assert not dw.record.certificate.storage.exists(stored)
    # Someone without the register roles keeps no records.
    with pytest.raises(PermissionDenied):
        services.save_record(
            acting_user=dw.world.users["director"],
            title="x",
            provider="",
            date=date.today(),
            hours=Decimal("1"),
        )


def test_my_development_lists_registrations_attendance_and_records(client, development_world):
    dw = development_world
    w = dw.world
    dw.past_registration.attended = True
    dw.past_registration.save()
    services.register(dw.upcoming, acting_user=w.users["bpo"])
    sign_in(client, w.users["bpo"])
    response = client.get(url("my_development"))
    assert response.status_code == 200
    context = response.context
    assert [r.event for r in context["upcoming"]] == [dw.upcoming]
    assert [r.event for r in context["attended"]] == [dw.past]
    assert context["attended_hours"] == Decimal("2")
    assert [r.pk for r in context["records"]] == [dw.record.pk]
    assert context["records_hours"] == Decimal("8")
    assert context["may_keep_records"]


# --- Derived evidence ----------------------------------------------------------------------------


def shown(school, year):
    """What the development providers say, checked to be among the framework's derived
    evidence for aspects 11 and 15 (attendance) and 12 (own records)."""
    from passend.development import evidence

    attendance = evidence.swv_events_attended(school, year)
    records = evidence.own_development_records(school, year)
    derived = derived_evidence(school, year)
    assert attendance in derived["11"] and attendance in derived["15"]
    assert records in derived["12"]
    return attendance, records


def test_evidence_for_aspects_11_12_and_15(world):
    from passend.staffing.choices import AssignmentKind, EmploymentType
    from passend.staffing.models import BpoAssignment

    year = SchoolYear.current()
    start, _end = services.year_bounds(year)
    bpo = world.users["bpo"]
    bpo.full_name = "Bram Begeleider"
    bpo.save()
    # Nothing yet: 11 and 15 say no attendance is recorded; 12 is neutral.
    attendance, records = shown(world.a, year)
    assert attendance.met is False and "Bram Begeleider" in attendance.text
    assert records.met is None

    # A BPO by assignment only (no bpo role at the school) counts as well.
    assigned = factories.user(full_name="Ayla Toegewezen")
    BpoAssignment.objects.create(
        partnership=world.p,
        school=world.a,
        school_year=year,
        bpo=assigned,
        hours_per_week=Decimal("8"),
        employment_type=EmploymentType.SWV,
        start_date=year.start,
    )
    in_year = start + timedelta(days=20, hours=14)
    for n in range(2):
        event = make_event(
            world.p,
            starts_at=in_year + timedelta(days=n),
            ends_at=in_year + timedelta(days=n, hours=2),
        )
        PdRegistration.objects.create(event=event, user=bpo, status=REGISTERED, attended=True)
    # Not counted: absent, another partnership's event, last year's event, a BPO+ elsewhere.
    absent = make_event(world.p, starts_at=in_year, ends_at=in_year + timedelta(hours=1))
    PdRegistration.objects.create(event=absent, user=assigned, status=REGISTERED, attended=False)
    other = make_event(world.q, starts_at=in_year, ends_at=in_year + timedelta(hours=1))
    PdRegistration.objects.create(event=other, user=assigned, status=REGISTERED, attended=True)
    last_year = make_event(
        world.p, starts_at=start - timedelta(days=30), ends_at=start - timedelta(days=30, hours=-1)
    )
    PdRegistration.objects.create(event=last_year, user=assigned, status=REGISTERED, attended=True)
    plus = factories.user(full_name="Piet Plus")
    BpoAssignment.objects.create(
        partnership=world.p,
        school=world.a,
        school_year=year,
        bpo=plus,
        kind=AssignmentKind.PLUS,
        hours_per_week=Decimal("2"),
        employment_type=EmploymentType.SWV,
        start_date=year.start,
    )
    PdRecord.objects.create(
        user=bpo, title="Cursus", date=year.start + timedelta(days=40), hours=Decimal("6.5")
    )
    PdRecord.objects.create(
        user=bpo, title="Boek", date=year.start + timedelta(days=50), hours=Decimal("2")
    )
    PdRecord.objects.create(
        user=bpo, title="Oud", date=year.start - timedelta(days=1), hours=Decimal("40")
    )
    PdRecord.objects.create(
        user=plus, title="Elders", date=year.start + timedelta(days=3), hours=Decimal("9")
    )

    attendance, records = shown(world.a, year)

    assert attendance.met is True
    assert "Bram Begeleider: 2 bijeenkomsten" in attendance.text
    assert "Geen deelname vastgelegd van: Ayla Toegewezen" in attendance.text
    assert "Piet Plus" not in attendance.text
    assert records.met is True
    assert "Bram Begeleider: 2 activiteiten, 8,5 uur" in records.text
    assert "Piet Plus" not in records.text and "40" not in records.text
    # School B has no BPO: no attendance to show.
    assert shown(world.b, year)[0].met is False


def test_evidence_providers_cost_one_query_each(world):
    from passend.development import evidence

    year = SchoolYear.current()
    for provider in (evidence.swv_events_attended, evidence.own_development_records):
        assert provider in PROVIDERS["12"] or provider in PROVIDERS["11"]
        with CaptureQueriesContext(connection) as ctx:
            provider(world.a, year)
        assert len(ctx.captured_queries) == 1, provider.__name__
    assert evidence.swv_events_attended in PROVIDERS["15"]


# --- Query counts --------------------------------------------------------------------------------


def _measure(client, page) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(page)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_event_pages_query_counts_are_constant(client, development_world):
    dw = development_world
    w = dw.world
    office = w.users["office"]
    list_url = url("event_list", w.p.code)
    detail_url = url("event_detail", dw.past.code)
    sign_in(client, office)
    client.get(list_url)
    small_list, small_detail = _measure(client, list_url), _measure(client, detail_url)

    people = bpos(w.p, 12)
    for i in range(15):
        event = make_event(w.p, days=i + 1, capacity=3, title=f"Extra {i}")
        for person in people[:5]:
            services.register(event, acting_user=person)
    for person in people:
        PdRegistration.objects.create(event=dw.past, user=person, status=REGISTERED)

    assert _measure(client, list_url) == small_list
    assert _measure(client, detail_url) == small_detail
    # The same for a BPO (own status per event, register buttons).
    sign_in(client, people[0])
    client.get(list_url)
    bpo_list = _measure(client, list_url)
    for i in range(5):
        services.register(make_event(w.p, days=30 + i, capacity=1), acting_user=people[0])
    assert _measure(client, list_url) == bpo_list


# --- Demo data -----------------------------------------------------------------------------------


def test_demo_development_is_idempotent(db):
    from passend.demo import development as demo
    from passend.demo.services import ACCOUNTS

    partnership = factories.partnership(name="SWV VO Drechtsteden (demo)", duo_number="VO 28-12")
    school_a = factories.school(partnership)
    school_b = factories.school(partnership)
    users = {
        demo.BPO_A: factories.member(Role.BPO, school=school_a, email=demo.BPO_A),
        demo.COORDINATOR_B: factories.member(
            Role.COORDINATOR, school=school_b, email=demo.COORDINATOR_B
        ),
    }
    assert {demo.BPO_A, demo.COORDINATOR_B} <= {a.email for a in ACCOUNTS}

    demo.load(users)
    counts = (PdEvent.objects.count(), PdRegistration.objects.count(), PdRecord.objects.count())
    rows = sorted(PdEvent.objects.values_list("title", "starts_at", "capacity"))
    demo.load(users)

    assert counts == (3, 2, 1)
    assert (
        PdEvent.objects.count(),
        PdRegistration.objects.count(),
        PdRecord.objects.count(),
    ) == counts
    assert sorted(PdEvent.objects.values_list("title", "starts_at", "capacity")) == rows
    year = SchoolYear.current()
    start, end = services.year_bounds(year)
    assert all(start <= e.starts_at < end for e in PdEvent.objects.all())
    intervision = PdEvent.objects.get(title=demo.INTERVISION)
    assert intervision.capacity == 2 and intervision.kind == EventKind.INTERVISION
    webinar = PdEvent.objects.get(title=demo.WEBINAR)
    assert webinar.mode == EventMode.ONLINE and webinar.online_url.startswith("https://")
    cafe = PdEvent.objects.get(title=demo.NETWORK_CAFE)
    assert cafe.kind == EventKind.NETWORK_CAFE
    assert cafe.registrations.get(user=users[demo.BPO_A]).attended is True
    assert PdRecord.objects.get().user == users[demo.BPO_A]
    attendance, records = shown(school_a, year)
    assert attendance.met is True
    assert records.met is True
