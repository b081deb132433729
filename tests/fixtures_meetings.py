"""Fixtures of SOT meetings (loaded by conftest.py), built with the ORM on ``caseload_world``."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone


@dataclass
class MeetingWorld:
    """On top of ``caseload_world``: ``meeting`` at school A (open, today) with the coordinator,
    the bpo and the partner persona (youth care) as attendees and ``case`` on its agenda
    (``item``); ``final``, a finalised meeting of last week with ``case`` discussed
    (``final_item``: minutes, decisions) and an open action point for the partner
    (``action``)."""

    cw: object
    meeting: object
    item: object
    final: object
    final_item: object
    action: object

    @property
    def world(self):
        return self.cw.world


def _attendees(meeting, users) -> None:
    from passend.caseload.models import MeetingAttendee
    from passend.organisations.choices import Domain

    MeetingAttendee.objects.bulk_create(
        [
            MeetingAttendee(meeting=meeting, user=users["coordinator"], name="Coördinator"),
            MeetingAttendee(meeting=meeting, user=users["bpo"], name="Bpo'er"),
            MeetingAttendee(
                meeting=meeting,
                user=users["partner"],
                name=users["partner"].full_name,
                function="Schoolmaatschappelijk werker",
                domain=Domain.YOUTH_CARE,
            ),
        ]
    )


@pytest.fixture
def meeting_world(caseload_world) -> MeetingWorld:
    from passend.caseload.models import ActionPoint, AgendaItem, Meeting

    cw = caseload_world
    users = cw.world.users
    today = timezone.localdate()

    def meeting(day, **extra):
        m = Meeting.objects.create(
            partnership=cw.world.p,
            school=cw.world.a,
            kind="sot",
            date=day,
            location="Kamer 12",
            chair=users["coordinator"],
            created_by=users["coordinator"],
            **extra,
        )
        _attendees(m, users)
        return m

    open_meeting = meeting(today)
    item = AgendaItem.objects.create(meeting=open_meeting, case=cw.case, position=1)
    final = meeting(
        today - datetime.timedelta(days=7),
        finalised_at=timezone.now(),
        finalised_by=users["coordinator"],
    )
    final_item = AgendaItem.objects.create(
        meeting=final,
        case=cw.case,
        position=1,
        minutes="Sam voelt zich buitengesloten in de pauze.",
        decisions="Gesprek met ouders en mentor plannen.",
    )
    action = ActionPoint.objects.create(
        item=final_item,
        description="Huisbezoek afleggen.",
        owner=users["partner"],
        due_on=today + datetime.timedelta(days=14),
    )
    return MeetingWorld(cw, open_meeting, item, final, final_item, action)
