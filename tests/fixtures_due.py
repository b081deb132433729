"""Fixtures of due (loaded by conftest.py)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest


@dataclass
class DueWorld:
    """On top of ``caseload_world``: ``consent`` (Sam's guardian consent for the youth-health
    domain at school A) ends in 10 days and ``consent_b`` (Bo's at school B) in 12, so each
    school's coordinator and BPOs have one "consent expiring" item. ``world``, ``student`` and
    ``student16`` as in caseload_world (the read-audit walk uses them)."""

    cw: object
    consent: object
    consent_b: object
    today: datetime.date

    @property
    def world(self):
        return self.cw.world

    @property
    def student(self):
        return self.cw.student

    @property
    def student16(self):
        return self.cw.student16


@pytest.fixture
def due_world(caseload_world) -> DueWorld:
    from passend.caseload.models import Consent
    from passend.students.models import Guardian

    cw = caseload_world
    today = cw.today
    consent = Consent.objects.create(
        partnership=cw.world.p,
        school=cw.world.a,
        student=cw.student,
        given_by="guardian",
        guardian=cw.guardian,
        domain="youth_health",
        purpose="Overleg met de jeugdverpleegkundige",
        given_on=today - datetime.timedelta(days=100),
        expires_on=today + datetime.timedelta(days=10),
        recorded_by=cw.world.users["coordinator"],
    )
    father = Guardian.objects.create(
        student=cw.student_b, name="Piet Jansen", relation="father", has_authority=True
    )
    consent_b = Consent.objects.create(
        partnership=cw.world.p,
        school=cw.world.b,
        student=cw.student_b,
        given_by="guardian",
        guardian=father,
        domain="youth_care",
        purpose="Bespreking in het SOT",
        given_on=today - datetime.timedelta(days=100),
        expires_on=today + datetime.timedelta(days=12),
        recorded_by=cw.world.users["coordinator_b"],
    )
    return DueWorld(cw=cw, consent=consent, consent_b=consent_b, today=today)
