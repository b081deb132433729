"""The demo data set: one partnership from real DUO data, one small invented one, every role.

Idempotent: a second run finds everything in place and changes nothing (passwords are set only
when an account is created).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.db import transaction

from passend.accounts.choices import Role
from passend.accounts.models import Membership, User
from passend.organisations.choices import Domain, EnrollmentSource
from passend.organisations.models import (
    Enrollment,
    Partnership,
    School,
    SchoolBoard,
    SchoolYear,
    SupportTeam,
    SupportTeamMember,
)
from passend.organisations.services import import_duo

DUO_DIR = Path(__file__).resolve().parent.parent / "organisations" / "data" / "duo"
#: One password for every demo account; printed by ``passend demo``. Demo use only.
DEMO_PASSWORD = "passend-demo-2026"  # noqa: S105
DEMO_VALID_FROM = date(2024, 8, 1)

DRECHTSTEDEN = {
    "number": "VO 28-12",
    "name": "SWV VO Drechtsteden (demo)",
    "municipalities": ["Dordrecht", "Zwijndrecht", "Papendrecht"],
}
SCHOOL_A = "20KZ00"  # Johan de Witt-gymnasium, Dordrecht
SCHOOL_B = "27VF00"  # Hans Petri School, Dordrecht

VOORBEELD = {"number": "VO 99-01", "name": "SWV Voorbeeldregio (verzonnen)"}
VOORBEELD_BOARD = "99901"
VOORBEELD_SCHOOLS = [
    ("99ZX00", "Het Voorbeeld College", "VOORBEELDSTAD", "VWO/HAVO/VMBO", 812),
    ("99ZX01", "Praktijkschool De Proef", "VOORBEELDSTAD", "PRO", 164),
]


@dataclass(frozen=True)
class DemoAccount:
    email: str
    full_name: str
    role: str
    partnership: str  # DUO number
    schools: tuple[str, ...] = ()  # location codes, for roles held at schools
    superuser: bool = False


ACCOUNTS = [
    DemoAccount(
        "beheer@drechtsteden.example",
        "Anna de Beheerder",
        Role.PARTNERSHIP_ADMIN,
        DRECHTSTEDEN["number"],
    ),
    # The consultant is assigned to schools A and B (a koersconsulent has "their" schools).
    DemoAccount(
        "consulent@drechtsteden.example",
        "Karim Consulent",
        Role.CONSULTANT,
        DRECHTSTEDEN["number"],
        (SCHOOL_A, SCHOOL_B),
    ),
    DemoAccount(
        "office@drechtsteden.example", "Olga van Kantoor", Role.OFFICE, DRECHTSTEDEN["number"]
    ),
    DemoAccount(
        "directeur.a@drechtsteden.example",
        "Dirk Directeur",
        Role.DIRECTOR,
        DRECHTSTEDEN["number"],
        (SCHOOL_A,),
    ),
    DemoAccount(
        "oc.a@drechtsteden.example",
        "Olivia Coördinator",
        Role.COORDINATOR,
        DRECHTSTEDEN["number"],
        (SCHOOL_A,),
    ),
    DemoAccount(
        "bpo.a@drechtsteden.example",
        "Bram Begeleider",
        Role.BPO,
        DRECHTSTEDEN["number"],
        (SCHOOL_A,),
    ),
    DemoAccount(
        "mentor.a@drechtsteden.example",
        "Mira Mentor",
        Role.MENTOR,
        DRECHTSTEDEN["number"],
        (SCHOOL_A,),
    ),
    DemoAccount(
        "smw.a@drechtsteden.example",
        "Sanne Maatschappelijk Werk",
        Role.PARTNER,
        DRECHTSTEDEN["number"],
        (SCHOOL_A,),
    ),
    DemoAccount(
        "oc.b@drechtsteden.example",
        "Bas Coördinator",
        Role.COORDINATOR,
        DRECHTSTEDEN["number"],
        (SCHOOL_B,),
    ),
    DemoAccount(
        "bpo.b@drechtsteden.example",
        "Fatima Begeleider",
        Role.BPO,
        DRECHTSTEDEN["number"],
        (SCHOOL_B,),
    ),
    DemoAccount(
        "beheer@voorbeeldregio.example",
        "Vera Voorbeeld",
        Role.PARTNERSHIP_ADMIN,
        VOORBEELD["number"],
    ),
    DemoAccount(
        "oc@voorbeeldregio.example",
        "Victor Coördinator",
        Role.COORDINATOR,
        VOORBEELD["number"],
        (VOORBEELD_SCHOOLS[0][0],),
    ),
    DemoAccount(
        "bpo@voorbeeldregio.example",
        "Vincent Begeleider",
        Role.BPO,
        VOORBEELD["number"],
        (VOORBEELD_SCHOOLS[0][0],),
    ),
]
SUPERUSER = DemoAccount("admin@passend.example", "Technisch Beheer", "", "", superuser=True)

SOT_PARTNERS = [
    ("Lotte Leerplicht", "Leerplichtambtenaar", Domain.SAFETY, "Gemeente Dordrecht"),
    (
        "Sanne Maatschappelijk Werk",
        "Schoolmaatschappelijk werker",
        Domain.YOUTH_CARE,
        "Wijkteam Dordrecht",
    ),
    (
        "Joke Jeugdverpleegkundige",
        "Jeugdverpleegkundige",
        Domain.YOUTH_HEALTH,
        "Dienst Gezondheid & Jeugd",
    ),
]


def load_demo() -> None:
    with transaction.atomic():
        for start_year, filename in ((2024, "2024"), (2025, "2025")):
            import_duo(
                locations=DUO_DIR / "alle-vestigingen-vo.csv",
                enrollments=DUO_DIR / f"leerlingen-vo-per-vestiging-{filename}.csv",
                school_year=SchoolYear.name_for_start_year(start_year),
                partnership_number=DRECHTSTEDEN["number"],
                partnership_name=DRECHTSTEDEN["name"],
                municipalities=DRECHTSTEDEN["municipalities"],
            )
        _load_voorbeeld()
        users = {a.email: _account(a) for a in [*ACCOUNTS, SUPERUSER]}
        for account in ACCOUNTS:
            _membership(users[account.email], account)
        for code in (SCHOOL_A, SCHOOL_B):
            _support_team(School.objects.get(location_code=code), users)
        _load_quality(users)
        # Staffing, professional development, activities, werkafspraken and the caseload: a
        # module per topic.
        from passend.demo import (
            activities,
            agreements,
            applications,
            caseload,
            development,
            hours,
            meetings,
            plans,
            procedures,
            staffing,
            transitions,
        )

        for topic in (
            staffing,
            procedures,
            hours,
            development,
            activities,
            agreements,
            caseload,
            meetings,
            plans,
            transitions,
            applications,
        ):
            topic.load(users)


def _load_voorbeeld() -> None:
    partnership, _ = Partnership.objects.get_or_create(
        duo_number=VOORBEELD["number"], defaults={"name": VOORBEELD["name"]}
    )
    board, _ = SchoolBoard.objects.get_or_create(
        duo_number=VOORBEELD_BOARD, defaults={"name": "Stichting Voorbeeldonderwijs"}
    )
    year = SchoolYear.get_or_create_for_start_year(2025)
    for location_code, name, town, structure, count in VOORBEELD_SCHOOLS:
        school, _ = School.objects.get_or_create(
            location_code=location_code,
            defaults={
                "partnership": partnership,
                "board": board,
                "institution_code": location_code[:4],
                "name": name,
                "town": town,
                "municipality": town,
                "education_structure": structure,
            },
        )
        Enrollment.objects.get_or_create(
            school=school,
            school_year=year,
            defaults={
                "partnership": partnership,
                "student_count": count,
                "source": EnrollmentSource.SCHOOL,
                "count_date": date(2025, 10, 1),
            },
        )


def _account(account: DemoAccount) -> User:
    user = User.objects.filter(email=account.email).first()
    if user is None:
        user = User.objects.create_user(
            email=account.email,
            password=DEMO_PASSWORD,
            full_name=account.full_name,
            is_staff=account.superuser,
            is_superuser=account.superuser,
        )
    return user


def _membership(user: User, account: DemoAccount) -> None:
    partnership = Partnership.objects.get(duo_number=account.partnership)
    schools = [School.objects.get(location_code=code) for code in account.schools] or [None]
    for school in schools:
        Membership.objects.get_or_create(
            user=user,
            partnership=partnership,
            school=school,
            role=account.role,
            defaults={"valid_from": DEMO_VALID_FROM},
        )


def _support_team(school: School, users: dict[str, User]) -> None:
    team, _ = SupportTeam.objects.get_or_create(
        school=school,
        school_year=SchoolYear.current(),
        defaults={"partnership": school.partnership},
    )
    bpo = next(
        users[a.email] for a in ACCOUNTS if a.role == Role.BPO and school.location_code in a.schools
    )
    members = [(bpo.full_name, "Begeleider passend onderwijs", Domain.EDUCATION_SUPPORT, "")]
    members += SOT_PARTNERS
    for name, function, domain, organisation in members:
        SupportTeamMember.objects.get_or_create(
            team=team,
            name=name,
            defaults={
                "school": school,
                "function": function,
                "domain": domain,
                "organisation": organisation,
                "user": next((u for u in users.values() if u.full_name == name), None),
            },
        )


def accounts_for_display() -> list[dict]:
    """The demo accounts with their roles and schools, as printed by ``passend demo``."""
    names = {
        s.location_code: s.name
        for s in School.objects.filter(
            location_code__in={code for a in ACCOUNTS for code in a.schools}
        )
    }
    partnerships = dict(Partnership.objects.values_list("duo_number", "name"))
    rows = [
        {
            "email": a.email,
            "password": DEMO_PASSWORD,
            "name": a.full_name,
            "roles": [a.role],
            "partnership": partnerships.get(a.partnership, a.partnership),
            "schools": [names.get(code, code) for code in a.schools],
        }
        for a in ACCOUNTS
    ]
    rows.append(
        {
            "email": SUPERUSER.email,
            "password": DEMO_PASSWORD,
            "name": SUPERUSER.full_name,
            "roles": ["superuser (Django admin)"],
            "partnership": None,
            "schools": [],
        }
    )
    return rows


# --- Quality framework and self-assessments ------------------------------------------------------

FRAMEWORK_FILE = (
    Path(__file__).resolve().parent.parent / "quality" / "data" / "koers-vo-2021-2022.json"
)


def _framework(partnership: Partnership, start_year: int, due: date):
    """The shipped Koers VO framework, published for the year, unless the year has one."""
    from passend.quality.frameworkfile import parse
    from passend.quality.models import QualityFramework
    from passend.quality.services import (
        create_framework_from_file,
        publish_framework,
        update_framework,
    )

    year = SchoolYear.get_or_create_for_start_year(start_year)
    existing = QualityFramework.objects.filter(partnership=partnership, school_year=year).first()
    if existing is not None:
        return existing
    framework = create_framework_from_file(
        parse(FRAMEWORK_FILE.read_bytes()), partnership=partnership, school_year=year
    )
    # The SWV adopts Koers VO's framework for this year under its own title.
    update_framework(
        framework, acting_user=None, title=f"Kwaliteitskader BPO {year}", assessment_due=due
    )
    return publish_framework(framework, acting_user=None)


def _load_quality(users: dict[str, User]) -> None:
    from passend.quality.choices import Rating
    from passend.quality.models import QualityAssessment
    from passend.quality.services import (
        rate_aspect,
        review_assessment,
        start_assessment,
        submit_assessment,
    )

    drechtsteden = Partnership.objects.get(duo_number=DRECHTSTEDEN["number"])
    voorbeeld = Partnership.objects.get(duo_number=VOORBEELD["number"])
    _framework(drechtsteden, 2025, date(2026, 6, 1))
    current = SchoolYear.current()
    for partnership in (drechtsteden, voorbeeld):
        _framework(partnership, current.start.year, date(current.end.year, 6, 1))

    coordinator_a = users["oc.a@drechtsteden.example"]
    coordinator_b = users["oc.b@drechtsteden.example"]
    consultant = users["consulent@drechtsteden.example"]
    last_year = SchoolYear.get_or_create_for_start_year(2025)
    school_a = School.objects.get(location_code=SCHOOL_A)
    school_b = School.objects.get(location_code=SCHOOL_B)
    # A rating pattern per school, so the SWV matrix shows variety.
    patterns = {
        SCHOOL_A: [Rating.MEETS] * 9 + [Rating.PARTLY] + [Rating.MEETS] * 17,
        SCHOOL_B: [Rating.MEETS, Rating.PARTLY, Rating.NOT_MET] * 9,
    }
    for school, coordinator in ((school_a, coordinator_a), (school_b, coordinator_b)):
        if QualityAssessment.objects.filter(school=school, school_year=last_year).exists():
            continue
        assessment = start_assessment(school=school, school_year=last_year, acting_user=coordinator)
        ratings = assessment.ratings.select_related("aspect", "assessment").order_by(
            "aspect__sort_key"
        )
        for rating, value in zip(ratings, patterns[school.location_code], strict=False):
            rate_aspect(
                rating,
                acting_user=coordinator,
                rating_value=value,
                evidence="Besproken in het SOT; zie de werkafspraken van dit schooljaar.",
                comment="",
            )
        submit_assessment(assessment, acting_user=coordinator)
        if school == school_a:
            review_assessment(
                assessment,
                acting_user=consultant,
                review_comment="Helder onderbouwd. Aandachtspunt: evaluatie werkafspraken (10).",
            )
