"""Demo data for BPO staffing: assignments of the demo BPOs and their qualifications.

In the current school year, in the Drechtsteden demo partnership:
- Bram Begeleider (bpo.a) is school A's BPO, employed by the school, all terms recorded;
- Fatima Begeleider (bpo.b) is hired in at school B, with the written agreement on management
  (a small PDF) and its date;
- Bram also gives BPO+ hours, employed by the SWV, at a third Drechtsteden school.
Qualifications: Bram has a teaching qualification VO and a Master SEN (meets aspect 13); Fatima
a teaching qualification VO only (does not).

Idempotent: what exists (same person, school, year and kind; same person, kind and title) is
left alone. Created through passend.staffing.services as the system (acting_user None).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction

from passend.accounts.models import User
from passend.demo.services import SCHOOL_A, SCHOOL_B
from passend.organisations.models import School, SchoolYear
from passend.staffing.choices import AssignmentKind, EmploymentType, QualificationKind, Weekday
from passend.staffing.models import BpoAssignment, Qualification
from passend.staffing.services import add_qualification, create_assignment

BPO_A = "bpo.a@drechtsteden.example"
BPO_B = "bpo.b@drechtsteden.example"
DIRECTOR_A = "directeur.a@drechtsteden.example"

AGREEMENT_PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
    b"trailer << /Root 1 0 R >>\n%%EOF\n"
)

QUALIFICATIONS = {
    BPO_A: [
        (
            QualificationKind.TEACHING_VO,
            "Lerarenopleiding Nederlands (tweedegraads)",
            "Hogeschool Rotterdam",
            2008,
        ),
        (QualificationKind.SEN, "Master Educational Needs", "Hogeschool Windesheim", 2015),
    ],
    BPO_B: [
        (QualificationKind.TEACHING_VO, "Lerarenopleiding Biologie", "Hogeschool Utrecht", 2012),
        (QualificationKind.OTHER, "Cursus oplossingsgericht coachen", "RINO Groep", 2020),
    ],
}


def _plus_school(partnership_id: int) -> School | None:
    """A third Drechtsteden school, the same one every run."""
    return (
        School.objects.filter(partnership_id=partnership_id)
        .exclude(location_code__in=[SCHOOL_A, SCHOOL_B])
        .order_by("location_code")
        .first()
    )


def _assign(*, school, year, bpo, kind=AssignmentKind.REGULAR, **fields) -> None:
    exists = BpoAssignment.objects.filter(
        school=school, school_year=year, bpo=bpo, kind=kind
    ).exists()
    if not exists:
        create_assignment(
            school=school, school_year=year, bpo=bpo, kind=kind, acting_user=None, **fields
        )


def load(users: dict[str, User]) -> None:
    with transaction.atomic():
        year = SchoolYear.current()
        school_a = School.objects.get(location_code=SCHOOL_A)
        school_b = School.objects.get(location_code=SCHOOL_B)
        bpo_a, bpo_b = users[BPO_A], users[BPO_B]
        _assign(
            school=school_a,
            year=year,
            bpo=bpo_a,
            hours_per_week=Decimal("16"),
            annual_hours=Decimal("664"),
            employment_type=EmploymentType.SCHOOL,
            start_date=year.start,
            manager=users[DIRECTOR_A],
            salary_scale=11,
            workplace_confirmed=True,
            student_system_access=True,
            presence_days=[Weekday.MONDAY, Weekday.TUESDAY, Weekday.THURSDAY],
            presence_note="Bij het SOT-overleg op dinsdagmiddag.",
        )
        _assign(
            school=school_b,
            year=year,
            bpo=bpo_b,
            hours_per_week=Decimal("12"),
            employment_type=EmploymentType.HIRED,
            employer_name="Onderwijsadviesbureau Drechtsteden (demo)",
            manager_name="Hanneke de Vries (adviesbureau)",
            management_agreement=ContentFile(AGREEMENT_PDF, name="Overeenkomst aansturing.pdf"),
            management_agreement_date=year.start,
            salary_scale=10,
            start_date=year.start,
            workplace_confirmed=True,
            student_system_access=True,
            presence_days=[Weekday.WEDNESDAY, Weekday.FRIDAY],
        )
        plus_school = _plus_school(school_a.partnership_id)
        if plus_school is not None:
            _assign(
                school=plus_school,
                year=year,
                bpo=bpo_a,
                kind=AssignmentKind.PLUS,
                request_note="Expertise executieve functies voor het mentorenteam",
                hours_per_week=Decimal("2"),
                annual_hours=Decimal("80"),
                employment_type=EmploymentType.SWV,
                start_date=year.start,
            )
        for email, rows in QUALIFICATIONS.items():
            person = users[email]
            for kind, title, institution, obtained in rows:
                if Qualification.objects.filter(user=person, kind=kind, title=title).exists():
                    continue
                add_qualification(
                    acting_user=None,
                    user=person,
                    kind=kind,
                    title=title,
                    institution=institution,
                    year=obtained,
                )
