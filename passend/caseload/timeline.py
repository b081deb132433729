"""A case's timeline: status changes, contacts, class observations, recommendations and SOT
discussions (finalised meetings) merged by
date, newest first, in a constant number of queries (one per kind, one for the approaches the
recommendations cite), however long the case runs."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from passend.caseload.models import (
    AgendaItem,
    CaseStatusChange,
    Contact,
    Observation,
    Recommendation,
)

STATUS = "status"
CONTACT = "contact"
OBSERVATION = "observation"
RECOMMENDATION = "recommendation"
MEETING = "meeting"


@dataclass(frozen=True)
class Entry:
    """One line of the timeline; ``kind`` says what ``item`` is (the template shows it)."""

    kind: str
    date: datetime.date
    at: datetime.datetime
    item: object
    author: object

    @property
    def sort_key(self) -> tuple:
        return (self.date, self.at)


def timeline(case) -> list[Entry]:
    entries: list[Entry] = []
    for change in CaseStatusChange.objects.filter(case=case).select_related("changed_by"):
        day = timezone.localdate(change.changed_at)
        entries.append(Entry(STATUS, day, change.changed_at, change, change.changed_by))
    for kind, model in ((CONTACT, Contact), (OBSERVATION, Observation)):
        for item in model.objects.filter(case=case).select_related("author"):
            entries.append(Entry(kind, item.date, item.created_at, item, item.author))
    recommendations = (
        Recommendation.objects.filter(case=case)
        .select_related("author")
        .prefetch_related("approaches")
    )
    for item in recommendations:
        entries.append(Entry(RECOMMENDATION, item.date, item.created_at, item, item.author))
    # Discussions in finalised SOT meetings, with what was agreed.
    for item in AgendaItem.objects.filter(
        case=case, meeting__finalised_at__isnull=False
    ).select_related("meeting", "meeting__finalised_by"):
        meeting = item.meeting
        entries.append(
            Entry(MEETING, meeting.date, meeting.finalised_at, item, meeting.finalised_by)
        )
    entries.sort(key=lambda e: e.sort_key, reverse=True)
    return entries
