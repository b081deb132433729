"""Retention (bewaartermijn): students who left more than N years ago (per partnership,
default 2) are deleted with everything about them (guardians, cases with their contacts,
observations and recommendations, consents, roster traces). ``purge`` is all-or-nothing; the
audit trail records counts per school, never names."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from passend.audit.services import record
from passend.privacy.models import DEFAULT_RETENTION_YEARS, RetentionPolicy


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


@dataclass
class RetentionReport:
    on: datetime.date
    applied: bool
    #: (school name, location code) → number of students
    per_school: Counter = field(default_factory=Counter)
    students: int = 0
    cases: int = 0
    consents: int = 0


def expired_students(on: datetime.date | None = None):
    """Students whose retention period has passed on ``on`` (two queries)."""
    from django.db.models import Q

    from passend.organisations.models import Partnership
    from passend.students.models import Student

    on = on or timezone.localdate()
    years = dict(RetentionPolicy.objects.values_list("partnership_id", "years_after_leaving"))
    condition = Q(pk__in=[])
    for partnership_id in Partnership.objects.values_list("pk", flat=True):
        limit = _years_before(on, years.get(partnership_id, DEFAULT_RETENTION_YEARS))
        condition |= Q(partnership_id=partnership_id, left_on__lt=limit)
    return Student.objects.filter(left_on__isnull=False).filter(condition)


def purge(*, apply: bool, on: datetime.date | None = None) -> RetentionReport:
    from passend.caseload.models import Consent, SupportCase

    on = on or timezone.localdate()
    report = RetentionReport(on=on, applied=apply)
    with transaction.atomic():
        students = expired_students(on).select_related("school")
        ids = []
        for student in students:
            ids.append(student.pk)
            report.per_school[(student.school.name, student.school.location_code)] += 1
        report.students = len(ids)
        report.cases = SupportCase.objects.filter(student_id__in=ids).count()
        report.consents = Consent.objects.filter(student_id__in=ids).count()
        if apply and ids:
            from passend.students.models import Student

            Consent.objects.filter(student_id__in=ids).delete()  # before the guardians they name
            Student.objects.filter(pk__in=ids).delete()
            for (_name, location), count in sorted(report.per_school.items()):
                record(
                    "retention.purged",
                    actor_label="passend retention",
                    students=count,
                    school_location=location,
                )
    return report
