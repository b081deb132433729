"""Demo transitions at school A, on top of the caseload demo's students (passend/demo/caseload.py).

- Incoming PO → VO: Daan Visser (12, first year, class 1A) came from primary school at the
  start of this school year. Before the summer the BPO (bpo.a) had the warm handover with his
  group 8 teacher and the school's intern begeleider; his mother consented to sharing the
  onderwijskundig rapport and the summary of his support needs.
- Outgoing VO → MBO: Noa Bakker (17, class 5A) moves to an MBO college after this school year;
  she consented herself (from 16 the student decides) to sharing the summary of her support
  needs and the handelingsadviezen. The warm handover is still to be planned.

Through passend.transitions.services, by the BPO and the coordinator, so the audit trail has
the events. Idempotent: a student who has any transition gets nothing new. Dates are relative
to the day of the run.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from passend.accounts.models import User
from passend.caseload.choices import ConsentGiver
from passend.demo import caseload as demo_caseload
from passend.demo.services import SCHOOL_A
from passend.organisations.models import SchoolYear
from passend.students.models import Student
from passend.transitions import services
from passend.transitions.choices import Direction, SharedPart, TransitionKind

INCOMING_STUDENT = "31001"  # Daan Visser, 1A
OUTGOING_STUDENT = "31025"  # Noa Bakker, 5A, 17

HANDOVER_NOTES = (
    "Daan is een nieuwsgierige, taalsterke leerling die snel afgeleid is in drukke situaties. "
    "In groep 8 werkte hij met een vaste plek en een weekplanner; dat hielp goed. Hij vindt "
    "nieuwe situaties spannend: een kennismaking met de mentor vóór de eerste schooldag is "
    "afgesproken. Moeder is betrokken en wil graag contact na de eerste zes weken."
)


def _student(number: str) -> Student | None:
    return (
        Student.objects.filter(school__location_code=SCHOOL_A, student_number=number)
        .select_related("school")
        .first()
    )


def load(users: dict[str, User]) -> None:
    coordinator = users[demo_caseload.COORDINATOR_A]
    bpo = users[demo_caseload.BPO_A]
    today = timezone.localdate()
    year = SchoolYear.current()
    with transaction.atomic():
        daan = _student(INCOMING_STUDENT)
        if daan is not None and not daan.transitions.exists():
            handover_on = year.start - timedelta(days=45)
            mother = daan.guardians.filter(has_authority=True).order_by("position").first()
            services.create_transition(
                daan,
                services.TransitionInput(
                    kind=TransitionKind.PO_VO,
                    direction=Direction.INCOMING,
                    date=year.start,
                    other_name="Basisschool De Springplank, Dordrecht",
                    handover_on=handover_on,
                    handover_with="Groepsleerkracht groep 8 en intern begeleider",
                    handover_notes=HANDOVER_NOTES,
                    consent_given=True,
                    consent_given_by=ConsentGiver.GUARDIAN,
                    consent_guardian=mother,
                    consent_on=handover_on - timedelta(days=7),
                    shared_parts=[SharedPart.EDUCATION_REPORT, SharedPart.SUPPORT_SUMMARY],
                ),
                acting_user=bpo,
            )
        noa = _student(OUTGOING_STUDENT)
        if noa is not None and not noa.transitions.exists():
            services.create_transition(
                noa,
                services.TransitionInput(
                    kind=TransitionKind.VO_MBO,
                    direction=Direction.OUTGOING,
                    date=year.end + timedelta(days=1),
                    other_name="Da Vinci College, Dordrecht",
                    consent_given=True,
                    consent_given_by=ConsentGiver.STUDENT,
                    consent_on=today - timedelta(days=5),
                    shared_parts=[SharedPart.SUPPORT_SUMMARY, SharedPart.RECOMMENDATIONS],
                ),
                acting_user=coordinator,
            )
