"""Fixtures for the staffing tests and the authorization matrix (loaded by conftest.py)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from passend.accounts.choices import Role
from passend.staffing.choices import AssignmentKind, EmploymentType, QualificationKind, Weekday
from tests import factories

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def pdf(name: str = "overeenkomst.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@dataclass
class StaffingWorld:
    """On top of ``world``, in the current school year:

    - ``assignment_a``: the ``bpo`` persona at school A, employed by the school, all terms set
      (manager: the director; aspects 2–5 recorded; scale 11) and, although not hired in, a
      written agreement on management as a PDF (so its download can be tested);
    - ``hired_b``: ``bpo_b`` (a BPO of school B, not a persona) hired in at school B, without
      the agreement on management (aspect 6 flagged);
    - ``plus_b``: BPO+ hours of the ``bpo`` persona at school B, employed by the SWV;
    - qualifications: the ``bpo`` persona has a teaching qualification VO and a Master SEN with
      a diploma PDF (``qualification``; aspect 13 met); ``bpo_b`` a teaching qualification PO
      only (not met).

    Because of ``plus_b``, coordinator_b may read the ``bpo`` persona's qualifications
    (passend.staffing.access.visible_people: BPOs assigned at a school one leads).
    """

    world: object
    year: object
    bpo: object
    bpo_b: object
    assignment_a: object
    hired_b: object
    plus_b: object
    qualification: object
    qualification_b: object


@pytest.fixture
def staffing_world(world) -> StaffingWorld:
    from passend.organisations.models import SchoolYear
    from passend.staffing.services import add_qualification, create_assignment

    year = SchoolYear.current()
    users = world.users
    bpo = users["bpo"]
    bpo_b = factories.member(Role.BPO, school=world.b)
    bpo_b.full_name = "Ingrid Inhuur"
    bpo_b.save(update_fields=["full_name"])
    assignment_a = create_assignment(
        school=world.a,
        school_year=year,
        bpo=bpo,
        hours_per_week=Decimal("16"),
        employment_type=EmploymentType.SCHOOL,
        start_date=year.start,
        acting_user=users["coordinator"],
        annual_hours=Decimal("640"),
        manager=users["director"],
        salary_scale=11,
        workplace_confirmed=True,
        student_system_access=True,
        presence_days=[Weekday.TUESDAY, Weekday.THURSDAY],
        management_agreement=pdf("Afspraken aansturing.pdf"),
        management_agreement_date=year.start,
    )
    hired_b = create_assignment(
        school=world.b,
        school_year=year,
        bpo=bpo_b,
        hours_per_week=Decimal("12"),
        employment_type=EmploymentType.HIRED,
        start_date=year.start,
        acting_user=users["coordinator_b"],
        employer_name="Bureau Buitenaf",
        manager_name="Hanna Hoofd",
        workplace_confirmed=True,
        presence_days=[Weekday.MONDAY],
    )
    plus_b = create_assignment(
        school=world.b,
        school_year=year,
        bpo=bpo,
        kind=AssignmentKind.PLUS,
        hours_per_week=Decimal("2"),
        annual_hours=Decimal("40"),
        employment_type=EmploymentType.SWV,
        start_date=year.start,
        acting_user=users["coordinator_b"],
        request_note="Expertise faalangst voor het mentorenteam",
    )
    add_qualification(
        acting_user=bpo,
        kind=QualificationKind.TEACHING_VO,
        title="Lerarenopleiding Nederlands",
        institution="Hogeschool Rotterdam",
        year=2010,
    )
    qualification = add_qualification(
        acting_user=bpo,
        kind=QualificationKind.SEN,
        title="Master Educational Needs",
        institution="Hogeschool Windesheim",
        year=2016,
        evidence_file=pdf("Diploma SEN.pdf"),
    )
    qualification_b = add_qualification(
        acting_user=bpo_b, kind=QualificationKind.TEACHING_PO, title="Pabo", year=2005
    )
    return StaffingWorld(
        world=world,
        year=year,
        bpo=bpo,
        bpo_b=bpo_b,
        assignment_a=assignment_a,
        hired_b=hired_b,
        plus_b=plus_b,
        qualification=qualification,
        qualification_b=qualification_b,
    )
