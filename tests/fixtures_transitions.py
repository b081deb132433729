"""Fixtures of transitions (loaded by conftest.py)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

HANDOVER = "Sam heeft baat bij een vaste plek en een korte check-in bij de start van de dag."


@dataclass
class TransitionWorld:
    """On top of ``caseload_world``: ``transition``, Sam's (14) incoming PO → VO transition at
    school A with a warm handover (``HANDOVER``) and his mother's consent for the education
    report; ``transition_b``, Bo's VO → VO transition at school B. ``world``, ``student`` and
    ``student16`` as in caseload_world (the read-audit walk uses them)."""

    cw: object
    transition: object
    transition_b: object

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
def transition_world(caseload_world) -> TransitionWorld:
    from passend.transitions.models import Transition

    cw = caseload_world
    start = cw.year.start
    transition = Transition.objects.create(
        partnership=cw.world.p,
        school=cw.world.a,
        student=cw.student,
        kind="po_vo",
        direction="incoming",
        other_name="Basisschool De Linde",
        other_duo_code="12AB",
        date=start,
        handover_on=start - datetime.timedelta(days=40),
        handover_with="Leerkracht groep 8",
        handover_notes=HANDOVER,
        shared_parts=["education_report"],
        consent_given=True,
        consent_given_by="guardian",
        consent_guardian=cw.guardian,
        consent_guardian_name=cw.guardian.name,
        consent_on=start - datetime.timedelta(days=50),
        created_by=cw.world.users["bpo"],
    )
    transition_b = Transition.objects.create(
        partnership=cw.world.p,
        school=cw.world.b,
        student=cw.student_b,
        kind="vo_vo",
        direction="outgoing",
        other_school=cw.world.a,
        other_name=cw.world.a.name,
        date=start,
    )
    return TransitionWorld(cw=cw, transition=transition, transition_b=transition_b)
