"""Retention: students who left more than N years ago (per partnership, default 2) are purged
with their cases and consents by ``passend retention``; a dry run changes nothing."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from passend.audit.models import AuditEvent
from passend.caseload.models import Consent, Contact, SupportCase
from passend.privacy.models import RetentionPolicy
from passend.privacy.retention import purge
from passend.students.models import Guardian, Student

pytestmark = pytest.mark.django_db


def _leave(student, years_ago: int, days: int = 1):
    today = datetime.date.today()
    student.left_on = today.replace(year=today.year - years_ago) - datetime.timedelta(days=days)
    student.enrolled_on = min(student.enrolled_on, student.left_on)
    student.save()


def test_dry_run_reports_and_apply_deletes(caseload_world):
    cw = caseload_world
    _leave(cw.student, 2)  # left 2 years and a day ago: expired under the default
    _leave(cw.student16, 1)  # left a year ago: kept
    out = io.StringIO()
    call_command("retention", "--dry-run", stdout=out)
    assert "would delete: 1 students, 1 cases, 1 consents" in out.getvalue()
    assert Student.objects.filter(pk=cw.student.pk).exists()

    call_command("retention", "--apply", stdout=io.StringIO())
    assert not Student.objects.filter(pk=cw.student.pk).exists()
    assert not SupportCase.objects.filter(pk=cw.case.pk).exists()
    assert not Contact.objects.filter(pk=cw.contact.pk).exists()
    assert not Consent.objects.filter(pk=cw.consent.pk).exists()
    assert not Guardian.objects.filter(pk=cw.guardian.pk).exists()
    assert Student.objects.filter(pk=cw.student16.pk).exists()
    assert Student.objects.filter(pk=cw.student_b.pk).exists()  # never left
    event = AuditEvent.objects.get(action="retention.purged")
    assert event.extra["students"] == 1 and cw.student.first_name not in str(event.extra)


def test_policy_per_partnership(caseload_world):
    cw = caseload_world
    _leave(cw.student, 3)
    RetentionPolicy.objects.create(partnership=cw.world.p, years_after_leaving=5)
    assert purge(apply=False).students == 0
    RetentionPolicy.objects.filter(partnership=cw.world.p).update(years_after_leaving=3)
    assert purge(apply=False).students == 1


def test_command_needs_a_mode(caseload_world):
    with pytest.raises(CommandError):
        call_command("retention")
