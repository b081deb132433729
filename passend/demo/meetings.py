"""Demo SOT meetings at school A, on top of the caseload demo (passend/demo/caseload.py).

- Last week's SOT meeting (finalised): the coordinator (chair), the BPO and the school social
  worker (smw.a, youth care). Only Sem's case could go on its agenda: it is the one case shared
  with youth care under a valid consent, and an agenda holds only cases every attendee may see.
  Minutes, decisions and two action points: a home visit by smw.a (open) and a talk with the
  mentor by bpo.a (done). The recap is there for all three.
- Next week's student discussion (open, coordinator and BPO only): two cases on the agenda, no
  minutes yet.

Through the meeting services (plan, agenda, minutes, presence, finalise) by the coordinator, so
the audit trail has the events; the finalised meeting's date and finalising time are backdated
with the ORM afterwards, as the services stamp today. Idempotent: nothing is added when school A
has any meeting.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from passend.accounts.models import User
from passend.caseload import meetings
from passend.caseload.choices import MeetingKind
from passend.caseload.models import ActionPoint, Meeting
from passend.demo import caseload as demo_caseload
from passend.demo.services import SCHOOL_A
from passend.organisations.models import School


def _keys(school, day, users: list[User]) -> list[str]:
    """Attendee keys of the meeting form for ``users`` (staff by account, partners as SOT
    members)."""
    wanted = {u.pk for u in users}
    return [
        c.key
        for c in meetings.candidates(school, day)
        if c.user is not None and c.user.pk in wanted
    ]


def load(users: dict[str, User]) -> None:
    school = School.objects.get(location_code=SCHOOL_A)
    if Meeting.objects.filter(school=school).exists():
        return
    coordinator = users[demo_caseload.COORDINATOR_A]
    bpo = users[demo_caseload.BPO_A]
    partner = users[demo_caseload.PARTNER_A]
    cases = demo_caseload.demo_cases()
    today = timezone.localdate()
    with transaction.atomic():
        last_week = today - timedelta(days=7)
        sot = meetings.plan_meeting(
            school,
            kind=MeetingKind.SOT,
            date=last_week,
            starts_at=time(14, 0),
            location="Kamer 1.12",
            chair=coordinator,
            attendees=_keys(school, last_week, [coordinator, bpo, partner]),
            others="",
            acting_user=coordinator,
        )
        item = meetings.add_item(sot, cases[demo_caseload.SHARED_CASE], acting_user=coordinator)
        meetings.record_minutes(
            item,
            minutes=(
                "Sem is rustiger in de klas sinds de vaste plek en de check-in bij de start van "
                "de les. Thuis is de situatie gespannen; moeder staat open voor contact met "
                "schoolmaatschappelijk werk."
            ),
            decisions=(
                "SMW legt een huisbezoek af. De bpo'er bespreekt met de mentor hoe de check-in "
                "ook bij de andere vakken kan. Over zes weken weer op de agenda."
            ),
            actions=[
                meetings.ActionInput(
                    description="Huisbezoek bij moeder afleggen",
                    due_on=today + timedelta(days=7),
                    owner=partner,
                ),
                meetings.ActionInput(
                    description="Check-in bij alle vakken afstemmen met de mentor",
                    due_on=today - timedelta(days=2),
                    owner=bpo,
                ),
            ],
            acting_user=coordinator,
        )
        meetings.set_presence(
            sot, list(sot.attendees.values_list("pk", flat=True)), acting_user=coordinator
        )
        meetings.finalise(sot, acting_user=coordinator)
        done = ActionPoint.objects.get(item=item, owner=bpo)
        meetings.complete_action(done, acting_user=bpo)
        Meeting.objects.filter(pk=sot.pk).update(
            finalised_at=timezone.make_aware(datetime.combine(last_week, time(16, 15)))
        )

        next_week = today + timedelta(days=7)
        discussion = meetings.plan_meeting(
            school,
            kind=MeetingKind.STUDENT_DISCUSSION,
            date=next_week,
            starts_at=time(15, 30),
            location="Kamer 1.12",
            chair=coordinator,
            attendees=_keys(school, next_week, [coordinator, bpo]),
            others="Ilse de Boer, mentor 4A",
            acting_user=coordinator,
        )
        for key in (demo_caseload.ADVICE_CASE, demo_caseload.EVALUATION_CASE):
            meetings.add_item(discussion, cases[key], acting_user=coordinator)
