"""SOT meetings (issue 6, point 4): planning with attendees, an agenda of only the cases every
attendee may see, minutes and action points (all or nothing), finalising, the recap for the
attendees, per-viewer filtering when consent ends, the attendance-only partner, cross-school
404s, audit of every read and constant query counts."""

from __future__ import annotations

import datetime
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from passend.accounts.choices import Role
from passend.accounts.middleware import SESSION_STARTED_KEY
from passend.audit.models import AuditEvent
from passend.caseload import access, meetings
from passend.caseload.models import (
    ActionPoint,
    AgendaItem,
    CaseShare,
    Consent,
    Meeting,
    MeetingAttendee,
    SupportCase,
)
from passend.organisations.choices import Domain
from passend.organisations.models import SupportTeam, SupportTeamMember
from passend.privacy.audit import VIEW_ACTION as VIEWED
from tests import factories

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def _login(client, user):
    client.force_login(user)
    session = client.session
    session[SESSION_STARTED_KEY] = time.time()
    session.save()
    return client


def _case(cw, student, bpo=None):
    return SupportCase.objects.create(
        partnership=cw.world.p,
        school=student.school,
        student=student,
        signal_source="mentor",
        signalled_on=cw.today,
        signal="Komt vaak te laat.",
        bpo=bpo,
    )


def _candidate_keys(school, day, *users):
    keys = {c.user.pk: c.key for c in meetings.candidates(school, day) if c.user is not None}
    return [keys[u.pk] for u in users]


# --- Planning -----------------------------------------------------------------------------------


def test_plan_a_meeting_with_sot_members_and_other_attendees(client, caseload_world):
    cw = caseload_world
    users = cw.world.users
    _login(client, users["coordinator"])
    url = reverse("caseload:meeting_create", args=[cw.world.a.code])
    page = client.get(url)
    assert page.status_code == 200
    # The SOT member (partner, youth care) and the school's staff are offered.
    assert users["partner"].full_name in page.content.decode()
    keys = _candidate_keys(cw.world.a, cw.today, users["coordinator"], users["partner"])
    response = client.post(
        url,
        {
            "kind": "sot",
            "date": cw.today.isoformat(),
            "starts_at": "14:30",
            "location": "Kamer 12",
            "chair": str(users["coordinator"].code),
            "attendees": keys,
            "others": "Ilse de Boer, mentor 2B\n\n",
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("caseload:meeting_detail", args=[meeting.code])
    people = {a.name: a for a in meeting.attendees.all()}
    assert people[users["partner"].full_name].domain == Domain.YOUTH_CARE
    assert people[users["partner"].full_name].user == users["partner"]
    assert people["Ilse de Boer"].function == "mentor 2B" and people["Ilse de Boer"].domain == ""
    assert meeting.chair == users["coordinator"] and meeting.starts_at == datetime.time(14, 30)
    assert AuditEvent.objects.filter(action="meeting.planned").count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"attendees": [], "others": ""}, "attendees"),
        ({"attendees": ["member:999999"]}, "attendees"),
        ({"date": "2100-01-01"}, "date"),
        ({"date": "31-02-2026"}, "date"),
        ({"kind": "party"}, "kind"),
    ],
)
def test_bad_meeting_input_writes_nothing(client, caseload_world, change, field):
    cw = caseload_world
    users = cw.world.users
    _login(client, users["bpo"])
    data = {
        "kind": "sot",
        "date": cw.today.isoformat(),
        "attendees": _candidate_keys(cw.world.a, cw.today, users["bpo"]),
        **change,
    }
    response = client.post(reverse("caseload:meeting_create", args=[cw.world.a.code]), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Meeting.objects.exists() and not MeetingAttendee.objects.exists()


# --- The agenda rule ----------------------------------------------------------------------------


def test_a_case_goes_on_the_agenda_only_if_every_attendee_may_see_it(client, meeting_world):
    mw = meeting_world
    cw = mw.cw
    users = cw.world.users
    not_shared = _case(cw, cw.student16)  # no share, no consent: the partner may not see it
    _login(client, users["coordinator"])
    url = reverse("caseload:agenda_item_add", args=[mw.meeting.code])
    response = client.post(url, {"case": str(not_shared.code)}, follow=True)
    assert not AgendaItem.objects.filter(case=not_shared).exists()
    text = response.content.decode()
    assert "kan niet op de agenda" in text and users["partner"].full_name in text

    # Without the partner on the list it can be discussed.
    mw.meeting.attendees.filter(user=users["partner"]).delete()
    client.post(url, {"case": str(not_shared.code)})
    assert AgendaItem.objects.filter(meeting=mw.meeting, case=not_shared).exists()

    # ... and then the partner cannot be added back.
    keys = _candidate_keys(cw.world.a, cw.today, users["coordinator"], users["partner"])
    edit = client.post(
        reverse("caseload:meeting_edit", args=[mw.meeting.code]),
        {"kind": "sot", "date": cw.today.isoformat(), "attendees": keys},
    )
    assert edit.status_code == 200
    assert "attendees" in edit.context["form"].errors
    assert not mw.meeting.attendees.filter(user=users["partner"]).exists()


def test_a_partner_known_by_name_only_needs_share_and_consent_for_their_domain(caseload_world):
    cw = caseload_world
    attendee = MeetingAttendee(name="Leerplicht", domain=Domain.SAFETY)
    assert not access.attendee_may_see(attendee, cw.case, cw.today)  # shared with youth care
    attendee.domain = Domain.YOUTH_CARE
    assert access.attendee_may_see(attendee, cw.case, cw.today)
    Consent.objects.filter(pk=cw.consent.pk).update(withdrawn_on=cw.today)
    assert not access.attendee_may_see(attendee, cw.case, cw.today)
    assert access.attendee_may_see(MeetingAttendee(name="Mentor 2B"), cw.case, cw.today)


def test_other_schools_cases_cannot_go_on_the_agenda(client, meeting_world):
    mw = meeting_world
    cw = mw.cw
    _login(client, cw.world.users["coordinator"])
    client.post(
        reverse("caseload:agenda_item_add", args=[mw.meeting.code]), {"case": str(cw.case_b.code)}
    )
    assert not AgendaItem.objects.filter(case=cw.case_b).exists()
    with pytest.raises(Exception, match="casus van deze school"):
        meetings.add_item(mw.meeting, cw.case_b, acting_user=cw.world.users["coordinator"])


# --- Minutes, action points, finalising ---------------------------------------------------------


def _minutes_data(item, rows, minutes="Besproken.", decisions="Afspraak."):
    data = {
        "minutes": minutes,
        "decisions": decisions,
        "actions-TOTAL_FORMS": str(len(rows)),
        "actions-INITIAL_FORMS": "0",
        "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": "30",
    }
    for n, row in enumerate(rows):
        for key, value in row.items():
            data[f"actions-{n}-{key}"] = value
    return data


def test_minutes_and_action_points_are_saved_together(client, meeting_world):
    mw = meeting_world
    users = mw.cw.world.users
    _login(client, users["bpo"])
    url = reverse("caseload:agenda_item_edit", args=[mw.item.code])
    due = (mw.cw.today + 10 * DAY).isoformat()
    rows = [
        {"description": "Ouders bellen", "owner": str(users["bpo"].code), "due_on": due},
        {"description": "Rapport opvragen", "owner_name": "Huisarts", "due_on": due},
    ]
    response = client.post(url, _minutes_data(mw.item, rows))
    assert response.status_code == 302
    mw.item.refresh_from_db()
    assert mw.item.minutes == "Besproken." and mw.item.decisions == "Afspraak."
    points = {p.description: p for p in mw.item.action_points.all()}
    assert points["Ouders bellen"].owner == users["bpo"]
    assert points["Rapport opvragen"].who == "Huisarts"


@pytest.mark.parametrize(
    "row",
    [
        {"description": "Bellen", "owner_name": "X"},  # no due date
        {"description": "Bellen", "due_on": "2026-13-01", "owner_name": "X"},  # impossible date
        {"description": "", "due_on": "2026-12-20", "owner_name": "X"},  # no description
        {"description": "Bellen", "due_on": "2026-12-20"},  # nobody
    ],
)
def test_a_bad_action_row_saves_nothing(client, meeting_world, row):
    mw = meeting_world
    _login(client, mw.cw.world.users["bpo"])
    good = {"description": "Ouders bellen", "owner_name": "Mentor", "due_on": "2026-12-20"}
    response = client.post(
        reverse("caseload:agenda_item_edit", args=[mw.item.code]),
        _minutes_data(mw.item, [good, row], minutes="Nieuw verslag"),
    )
    assert response.status_code == 200
    assert "Niets opgeslagen" in response.content.decode()
    mw.item.refresh_from_db()
    assert mw.item.minutes == "" and not mw.item.action_points.exists()


def test_an_owner_must_be_an_attendee(meeting_world):
    mw = meeting_world
    outsider = factories.member(Role.BPO, school=mw.world.b)
    with pytest.raises(Exception, match="deelnemer"):
        meetings.record_minutes(
            mw.item,
            minutes="",
            decisions="",
            actions=[meetings.ActionInput("Bellen", mw.cw.today, owner=outsider)],
            acting_user=mw.world.users["bpo"],
        )


def test_finalise_needs_minutes_then_locks_and_opens_the_recap(client, meeting_world):
    mw = meeting_world
    users = mw.cw.world.users
    _login(client, users["coordinator"])
    finalise = reverse("caseload:meeting_finalise", args=[mw.meeting.code])
    client.post(finalise)
    mw.meeting.refresh_from_db()
    assert not mw.meeting.is_final  # the item has no minutes yet
    recap = reverse("caseload:meeting_recap", args=[mw.meeting.code])
    assert client.get(recap).status_code == 404

    mw.item.decisions = "Mentor houdt wekelijks een gesprek."
    mw.item.save()
    ActionPoint.objects.create(
        item=mw.item, description="Gesprek plannen", owner=users["bpo"], due_on=mw.cw.today
    )
    assert client.post(finalise).status_code == 302
    mw.meeting.refresh_from_db()
    assert mw.meeting.is_final and mw.meeting.finalised_by == users["coordinator"]

    page = client.get(recap).content.decode()
    assert mw.cw.student.full_name in page  # who was discussed
    assert "Mentor houdt wekelijks een gesprek." in page  # what was agreed
    assert "Gesprek plannen" in page and users["bpo"].full_name in page  # who does what

    # Closed for changes.
    response = client.post(
        reverse("caseload:agenda_item_edit", args=[mw.item.code]),
        _minutes_data(mw.item, [], minutes="Later veranderd"),
    )
    assert response.status_code == 302
    mw.item.refresh_from_db()
    assert mw.item.minutes == ""
    client.post(
        reverse("caseload:agenda_item_remove", args=[mw.item.code]),
    )
    assert AgendaItem.objects.filter(pk=mw.item.pk).exists()
    pdf = client.get(reverse("caseload:meeting_recap_pdf", args=[mw.meeting.code]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_the_owner_ticks_off_an_action_point(client, meeting_world):
    mw = meeting_world
    partner = mw.cw.world.users["partner"]
    _login(client, partner)
    mine = client.get(reverse("caseload:meeting_mine")).content.decode()
    assert "Huisbezoek afleggen." in mine
    client.post(reverse("caseload:action_point_done", args=[mw.action.code]), {"next": "mine"})
    mw.action.refresh_from_db()
    assert mw.action.done_on == timezone.localdate()
    assert (
        "Huisbezoek afleggen." not in client.get(reverse("caseload:meeting_mine")).content.decode()
    )


# --- Who sees what ------------------------------------------------------------------------------


def test_the_partner_sees_only_shared_cases_and_loses_them_when_consent_ends(client, meeting_world):
    mw = meeting_world
    cw = mw.cw
    partner = cw.world.users["partner"]
    # A second case on the finalised meeting that the partner may not see (never shared).
    other = _case(cw, cw.student16)
    AgendaItem.objects.create(meeting=mw.final, case=other, minutes="Geheim verslag", position=2)
    _login(client, partner)
    recap = reverse("caseload:meeting_recap", args=[mw.final.code])
    page = client.get(recap).content.decode()
    assert cw.student.full_name in page and "Gesprek met ouders en mentor plannen." in page
    assert cw.student16.full_name not in page and "Geheim verslag" not in page

    Consent.objects.filter(pk=cw.consent.pk).update(withdrawn_on=cw.today)
    page = client.get(recap).content.decode()
    assert cw.student.full_name not in page
    assert "Gesprek met ouders en mentor plannen." not in page
    detail = client.get(reverse("caseload:meeting_detail", args=[mw.final.code])).content.decode()
    assert cw.student.full_name not in detail
    assert (
        "Huisbezoek afleggen." not in client.get(reverse("caseload:meeting_mine")).content.decode()
    )


def test_the_attendance_officer_sees_who_was_discussed_not_the_minutes(client, meeting_world):
    mw = meeting_world
    cw = mw.cw
    officer = factories.member(Role.PARTNER, school=cw.world.a, email="lpa@example.org")
    team = SupportTeam.objects.get(school=cw.world.a)
    SupportTeamMember.objects.create(
        team=team, school=cw.world.a, user=officer, name="Leerplicht", domain=Domain.SAFETY
    )
    CaseShare.objects.create(case=cw.case, domain=Domain.SAFETY, shared_on=cw.today)
    Consent.objects.filter(pk=cw.consent.pk).update(domain=Domain.SAFETY)
    MeetingAttendee.objects.create(
        meeting=mw.final, user=officer, name="Leerplicht", domain=Domain.SAFETY
    )
    assert access.partner_access(officer)[cw.case.pk] == access.ATTENDANCE
    _login(client, officer)
    page = client.get(reverse("caseload:meeting_recap", args=[mw.final.code])).content.decode()
    assert cw.student.full_name in page
    assert "Gesprek met ouders en mentor plannen." not in page
    assert "Sam voelt zich buitengesloten" not in page
    assert (
        client.get(reverse("caseload:agenda_item_edit", args=[mw.final_item.code])).status_code
        == 404
    )


@pytest.mark.parametrize(
    ("name", "target"),
    [
        ("meeting_detail", "meeting"),
        ("meeting_recap", "final"),
        ("meeting_recap_pdf", "final"),
        ("agenda_item_edit", "item"),
    ],
)
def test_staff_of_another_school_get_404(client, meeting_world, name, target):
    mw = meeting_world
    _login(client, mw.world.users["coordinator_b"])
    response = client.get(reverse(f"caseload:{name}", args=[getattr(mw, target).code]))
    assert response.status_code == 404
    assert mw.cw.student.full_name not in response.content.decode()
    assert (
        mw.cw.student.full_name not in client.get(reverse("caseload:meeting_mine")).content.decode()
    )


def test_a_partner_who_left_the_school_no_longer_sees_the_meeting(client, meeting_world):
    from passend.accounts.models import Membership

    mw = meeting_world
    partner = mw.world.users["partner"]
    Membership.objects.filter(user=partner, role=Role.PARTNER).update(
        valid_until=timezone.localdate() - DAY
    )
    _login(client, partner)
    assert client.get(reverse("caseload:meeting_recap", args=[mw.final.code])).status_code == 404


# --- Audit and queries --------------------------------------------------------------------------


def test_meeting_pages_log_every_student_shown_without_narrative(client, meeting_world):
    mw = meeting_world
    _login(client, mw.world.users["partner"])
    client.get(reverse("caseload:meeting_recap", args=[mw.final.code]))
    events = AuditEvent.objects.filter(action=VIEWED)
    assert [e.extra["student"] for e in events] == [str(mw.cw.student.code)]
    event = events.get()
    assert event.actor == mw.world.users["partner"] and event.extra["on_behalf_of"] == "partner"
    every_extra = " ".join(str(e.extra) for e in AuditEvent.objects.all())
    assert "buitengesloten" not in every_extra and "Huisbezoek" not in every_extra


def _fill(mw, n):
    from passend.students.models import Student

    cw = mw.cw
    for i in range(n):
        student = Student.objects.create(
            partnership=cw.world.p,
            school=cw.world.a,
            student_number=f"9{i:03}",
            first_name=f"Kind{i}",
            last_name="Test",
            date_of_birth=cw.student.date_of_birth,
            enrolled_on=cw.student.enrolled_on,
        )
        case = _case(cw, student, bpo=cw.world.users["bpo"])
        CaseShare.objects.create(case=case, domain=Domain.YOUTH_CARE, shared_on=cw.today)
        Consent.objects.create(
            partnership=cw.world.p,
            school=cw.world.a,
            student=student,
            given_by="guardian",
            guardian=student.guardians.create(name="Ouder", relation="mother", has_authority=True),
            domain=Domain.YOUTH_CARE,
            purpose="SOT",
            given_on=cw.today - DAY,
        )
        item = AgendaItem.objects.create(meeting=mw.final, case=case, position=i + 2, decisions="x")
        ActionPoint.objects.create(item=item, description="y", owner_name="Z", due_on=cw.today)


@pytest.mark.parametrize("persona", ["coordinator", "partner"])
@pytest.mark.parametrize("name", ["meeting_detail", "meeting_recap"])
def test_meeting_page_query_count_is_constant(client, meeting_world, persona, name):
    mw = meeting_world
    _login(client, mw.world.users[persona])
    url = reverse(f"caseload:{name}", args=[mw.final.code])
    client.get(url)  # warm caches (session, scope)

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return len(queries), response

    small, _ = count()
    _fill(mw, 12)
    large, response = count()
    assert "Kind11" in response.content.decode()
    assert large == small


def test_the_case_timeline_shows_the_discussion(client, meeting_world):
    mw = meeting_world
    _login(client, mw.world.users["bpo"])
    page = client.get(reverse("caseload:case_detail", args=[mw.cw.case.code])).content.decode()
    assert "Gesprek met ouders en mentor plannen." in page
    assert reverse("caseload:meeting_recap", args=[mw.final.code]) in page
