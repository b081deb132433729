"""What is due in consent, for the due list (passend.due): consents that end within
``EXPIRING_DAYS`` for the coordinator and BPOs of the student's school (the people who record
consent, passend.students.access).

A consent ends on its ``expires_on``, or — given by a guardian — on the day before the student
turns 16, when the student decides themself (passend.caseload.consent); whichever comes first.
One that is already invalid, or whose scope (domain or named partner) a newer consent still
covers the day after, is not due. A constant number of queries, however many consents.
"""

from __future__ import annotations

import datetime
from datetime import date, timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from passend.caseload.choices import ConsentGiver
from passend.students.access import visible_students
from passend.students.models import CONSENT_AGE

#: A consent shows as due from this many days before it ends.
EXPIRING_DAYS = 30
DAY = timedelta(days=1)


def _birthday(born: date, age: int) -> date:
    """The day someone born on ``born`` turns ``age`` (29 February: on 1 March, as age_on)."""
    try:
        return born.replace(year=born.year + age)
    except ValueError:
        return date(born.year + age, 3, 1)


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def last_valid_day(consent) -> datetime.date | None:
    """The last day ``consent`` can be valid (None: no end). Student and guardian loaded."""
    ends = [consent.expires_on] if consent.expires_on is not None else []
    if consent.given_by == ConsentGiver.GUARDIAN:
        ends.append(_birthday(consent.student.date_of_birth, CONSENT_AGE) - DAY)
    return min(ends, default=None)


def expiring_consents(user, on: date) -> list:
    """``(consent, last valid day)`` of the consents that end within EXPIRING_DAYS of ``on``,
    of the students whose file ``user`` opens, soonest first (two queries)."""
    from passend.caseload.models import Consent

    horizon = on + timedelta(days=EXPIRING_DAYS)
    # Guardian consents of students turning 16 in the window (a day's slack for 29 February).
    born_after = _years_before(on, CONSENT_AGE) - DAY
    born_until = _years_before(horizon, CONSENT_AGE) + 2 * DAY
    candidates = list(
        Consent.objects.filter(student__in=visible_students(user), given_on__lte=on)
        .filter(Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=on))
        .filter(
            Q(expires_on__gte=on, expires_on__lte=horizon)
            | Q(
                given_by=ConsentGiver.GUARDIAN,
                student__date_of_birth__gte=born_after,
                student__date_of_birth__lte=born_until,
            )
        )
        .select_related("student", "guardian", "partner", "school")
    )
    ending = []
    for consent in candidates:
        end = last_valid_day(consent)
        if end is not None and on <= end <= horizon and consent.is_valid_on(on):
            ending.append((consent, end))
    if not ending:
        return []
    others: dict[int, list] = {}
    for other in Consent.objects.filter(
        student_id__in={c.student_id for c, _end in ending}
    ).select_related("student", "guardian"):
        others.setdefault(other.student_id, []).append(other)
    result = []
    for consent, end in ending:
        renewed = any(
            other.pk != consent.pk
            and other.domain == consent.domain
            and other.partner_id == consent.partner_id
            and other.is_valid_on(end + DAY)
            for other in others.get(consent.student_id, [])
        )
        if not renewed:
            result.append((consent, end))
    return sorted(result, key=lambda pair: (pair[1], pair[0].student.last_name, pair[0].pk))


def due_items(user, on: date):
    """Expiring consents as items of the due list; each names its student."""
    from passend.due.items import DueItem

    items = []
    for consent, end in expiring_consents(user, on):
        student = consent.student
        scope = consent.get_domain_display() if consent.domain else consent.partner.full_name
        if consent.expires_on is not None and end == consent.expires_on:
            title = _("Toestemming %(scope)s van %(name)s verloopt") % {
                "scope": scope,
                "name": student.full_name,
            }
        else:
            title = _(
                "Toestemming %(scope)s van %(name)s vervalt: de leerling wordt 16 en beslist "
                "daarna zelf"
            ) % {"scope": scope, "name": student.full_name}
        items.append(
            DueItem(
                kind="consent_expiring",
                kind_label=_("Toestemming verloopt"),
                title=title,
                due_on=end,
                url=reverse("students:student_detail", args=[student.code]),
                school=consent.school,
                student=student,
            )
        )
    return items
