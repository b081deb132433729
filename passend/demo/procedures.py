"""Demo data for the appointment procedure: one open procedure at school B (Hans Petri School)
for a new BPO, with its first two steps ticked by B's coordinator.

Idempotent: the procedure is found by school and candidate e-mail; a second run changes nothing.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import transaction

from passend.demo.services import SCHOOL_B
from passend.organisations.models import School, SchoolYear
from passend.staffing.choices import EmploymentType, ProcedureStep
from passend.staffing.models import AppointmentProcedure

CANDIDATE_EMAIL = "noor.nieuwkomer@drechtsteden.example"
CANDIDATE_NAME = "Noor Nieuwkomer"
COORDINATOR_B = "oc.b@drechtsteden.example"


def load(users: dict) -> None:
    from passend.staffing.procedures import start_procedure, tick_step

    school = School.objects.get(location_code=SCHOOL_B)
    if AppointmentProcedure.objects.filter(school=school, candidate_email=CANDIDATE_EMAIL).exists():
        return
    coordinator = users[COORDINATOR_B]
    year = SchoolYear.current()
    # Planned for the start of the next term, at the latest the last day of the school year.
    planned = min(max(year.start, _today() + timedelta(days=42)), year.end)
    with transaction.atomic():
        procedure = start_procedure(
            school=school,
            school_year=year,
            candidate_name=CANDIDATE_NAME,
            candidate_email=CANDIDATE_EMAIL,
            planned_hours_per_week=Decimal("16"),
            employment_type=EmploymentType.HIRED,
            planned_start=planned,
            acting_user=coordinator,
        )
        tick_step(
            procedure,
            ProcedureStep.TASKS_AGREED,
            acting_user=coordinator,
            note="Werkafspraken besproken: SOT, coaching van mentoren, twee dagdelen per week.",
        )
        tick_step(
            procedure,
            ProcedureStep.QUALIFICATIONS_CHECKED,
            acting_user=coordinator,
            note="Lerarenopleiding VO en Master SEN (diploma's gezien): voldoet aan aspect 13.",
        )


def _today():
    from django.utils import timezone

    return timezone.localdate()
