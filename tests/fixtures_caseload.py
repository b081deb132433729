"""Fixtures for students and the caseload (loaded by conftest.py). Built with the ORM so that
every app's tests can use them whatever services exist."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone


def years_ago(years: int, days: int = 0) -> datetime.date:
    today = timezone.localdate()
    try:
        born = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        born = today.replace(year=today.year - years, day=28)
    return born - datetime.timedelta(days=days)


@dataclass
class CaseloadWorld:
    """On top of ``world``: students at A (``student`` 14 years old, mentor = the mentor
    persona, one guardian with authority; ``student16`` 17 years old) and at B
    (``student_b``); ``case`` at A for ``student`` with the bpo persona, shared with the
    youth-care domain, where the partner persona sits in A's SOT, under a valid guardian consent
    (``consent``); ``case_b`` at B; a contact, an observation and a recommendation for the
    mentor in ``case``; an approach in P's library."""

    world: object
    year: object
    student: object
    guardian: object
    student16: object
    student_b: object
    case: object
    case_b: object
    consent: object
    share: object
    contact: object
    observation: object
    recommendation: object
    approach: object
    today: datetime.date


@pytest.fixture
def caseload_world(world) -> CaseloadWorld:
    from passend.caseload.models import (
        Approach,
        CaseShare,
        Consent,
        Contact,
        Observation,
        Recommendation,
        SupportCase,
    )
    from passend.organisations.choices import Domain
    from passend.organisations.models import SchoolYear, SupportTeam, SupportTeamMember
    from passend.students.models import Guardian, Student

    today = timezone.localdate()
    year = SchoolYear.current()
    users = world.users

    def student(school, number, first, born, mentor=None):
        return Student.objects.create(
            partnership=school.partnership,
            school=school,
            student_number=number,
            first_name=first,
            last_name="Jansen",
            date_of_birth=born,
            class_name="2B",
            year_of_study=2,
            level="havo",
            mentor=mentor,
            enrolled_on=year.start,
        )

    s = student(world.a, "1001", "Sam", years_ago(14), mentor=users["mentor"])
    guardian = Guardian.objects.create(
        student=s, name="Ria Jansen", relation="mother", has_authority=True
    )
    s16 = student(world.a, "1002", "Noor", years_ago(17))
    sb = student(world.b, "2001", "Bo", years_ago(13))
    team = SupportTeam.objects.create(school=world.a, partnership=world.p, school_year=year)
    SupportTeamMember.objects.create(
        team=team,
        school=world.a,
        user=users["partner"],
        name=users["partner"].full_name,
        domain=Domain.YOUTH_CARE,
    )

    def case(school, stu, bpo):
        return SupportCase.objects.create(
            partnership=school.partnership,
            school=school,
            student=stu,
            signal_source="mentor",
            signalled_by_name="Mentor 2B",
            signalled_on=today,
            signal="Trekt zich terug in de les.",
            question="Wat heeft Sam nodig om mee te doen?",
            bpo=bpo,
            opened_by=bpo,
        )

    c = case(world.a, s, users["bpo"])
    cb = case(world.b, sb, None)
    consent = Consent.objects.create(
        partnership=world.p,
        school=world.a,
        student=s,
        given_by="guardian",
        guardian=guardian,
        domain=Domain.YOUTH_CARE,
        purpose="Bespreking in het SOT",
        given_on=today - datetime.timedelta(days=7),
        recorded_by=users["coordinator"],
    )
    share = CaseShare.objects.create(
        case=c, domain=Domain.YOUTH_CARE, shared_by=users["coordinator"], shared_on=today
    )
    contact = Contact.objects.create(
        case=c, date=today, author=users["bpo"], kind="parents", notes="Gesprek met moeder."
    )
    observation = Observation.objects.create(
        case=c, date=today, author=users["bpo"], lesson="Wiskunde", report="Rustige les."
    )
    approach = Approach.objects.create(
        partnership=world.p, name="Time-out kaart", kind="instrument"
    )
    recommendation = Recommendation.objects.create(
        case=c, date=today, author=users["bpo"], audience="mentor", text="Vaste plek in de klas."
    )
    recommendation.approaches.add(approach)
    return CaseloadWorld(
        world=world,
        year=year,
        student=s,
        guardian=guardian,
        student16=s16,
        student_b=sb,
        case=c,
        case_b=cb,
        consent=consent,
        share=share,
        contact=contact,
        observation=observation,
        recommendation=recommendation,
        approach=approach,
        today=today,
    )
