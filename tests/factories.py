"""Small factories for test data (no fixtures files): each builds one object with defaults."""

from __future__ import annotations

import itertools
from datetime import date

from passend.accounts.choices import Role
from passend.accounts.models import Membership, User
from passend.organisations.models import Enrollment, Partnership, School, SchoolBoard, SchoolYear

PASSWORD = "correct horse battery staple"  # noqa: S105
_seq = itertools.count(1)


def partnership(**kw) -> Partnership:
    n = next(_seq)
    return Partnership.objects.create(
        name=kw.pop("name", f"SWV {n}"), duo_number=kw.pop("duo_number", f"VO {n:02d}-01"), **kw
    )


def board(**kw) -> SchoolBoard:
    n = next(_seq)
    return SchoolBoard.objects.create(duo_number=kw.pop("duo_number", f"{90000 + n}"), **kw)


def school(partnership: Partnership, **kw) -> School:
    n = next(_seq)
    institution = kw.pop("institution_code", f"{n % 100:02d}Q{chr(65 + n % 26)}")
    return School.objects.create(
        partnership=partnership,
        board=kw.pop("board", None) or board(),
        institution_code=institution,
        location_code=kw.pop("location_code", f"{institution}{n % 100:02d}"),
        name=kw.pop("name", f"School {n}"),
        town=kw.pop("town", "DORDRECHT"),
        municipality=kw.pop("municipality", "DORDRECHT"),
        **kw,
    )


def user(email: str | None = None, **kw) -> User:
    n = next(_seq)
    return User.objects.create_user(
        email=email or f"user{n}@example.org",
        password=kw.pop("password", PASSWORD),
        full_name=kw.pop("full_name", f"Persoon {n}"),
        **kw,
    )


def member(
    role: str,
    *,
    partnership: Partnership | None = None,
    school: School | None = None,
    email: str | None = None,
    **kw,
) -> User:
    """A user holding ``role`` at ``school`` (school roles) or ``partnership``."""
    person = user(email)
    Membership.objects.create(
        user=person,
        role=role,
        partnership=school.partnership if school is not None else partnership,
        school=school,
        valid_from=kw.pop("valid_from", date(2020, 8, 1)),
        **kw,
    )
    return person


def enrollment(school: School, start_year: int = 2025, count: int = 500) -> Enrollment:
    return Enrollment.objects.create(
        school=school,
        partnership=school.partnership,
        school_year=SchoolYear.get_or_create_for_start_year(start_year),
        student_count=count,
        count_date=date(start_year, 10, 1),
    )


ALL_ROLES = [r.value for r in Role]
