"""Roster import at scale (issue 6): a school's student-system export of N rows (default 50,000,
each with a guardian) is uploaded, checked and written all-or-nothing through the same service
functions the pages use (passend.students.roster), then imported again with 1% of the rows
changed and 1% gone (updates and leavers). Budget: the first import in well under a minute."""

from __future__ import annotations

import datetime
import io
import time
from dataclasses import dataclass, field

#: Seconds for upload + apply of the first import of 50,000 rows ("well under a minute").
BUDGET_SECONDS = 30.0

HEADER = [
    "Stamnummer",
    "Roepnaam",
    "Tussenvoegsel",
    "Achternaam",
    "Geboortedatum",
    "Klas",
    "Leerjaar",
    "Opleiding",
    "Mentor e-mail",
    "Datum inschrijving",
    "Ouder1 naam",
    "Ouder1 relatie",
    "Ouder1 gezag",
]
FIRST = ["Sam", "Noa", "Daan", "Emma", "Finn", "Julia", "Lucas", "Mila", "Sem", "Tess"]
LAST = ["de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder"]


@dataclass
class Measure:
    label: str
    value: float
    unit: str
    budget: float | None = None

    @property
    def shown(self) -> str:
        digits = 2 if self.unit == "s" else 0
        return f"{self.value:,.{digits}f} {self.unit}"

    @property
    def ok(self) -> bool:
        return self.budget is None or self.value <= self.budget


@dataclass
class Result:
    name: str
    database: str
    measures: list[Measure] = field(default_factory=list)
    note: str = ""


def roster_csv(rows: int, *, mentor: str, today: datetime.date, skip: int = 0, bump: int = 0):
    """CSV bytes of ``rows`` students numbered 100000…; the first ``skip`` are left out (they
    left) and the next ``bump`` are in another class (updates)."""
    out = io.StringIO()
    out.write(";".join(HEADER) + "\r\n")
    for n in range(skip, rows):
        age = 12 + n % 6
        born = today.replace(year=today.year - age) - datetime.timedelta(days=n % 300)
        year = min(age - 11, 6)
        klas = f"{year}{'ABCD'[n % 4]}" if n >= skip + bump else f"{year}Z"
        first, last = FIRST[n % len(FIRST)], LAST[n // len(FIRST) % len(LAST)]
        out.write(
            f"{100000 + n};{first};;{last};{born:%d-%m-%Y};{klas};{year};havo;{mentor};"
            f"01-08-2025;Ouder van {first};Moeder;ja\r\n"
        )
    return out.getvalue().encode()


def _world():
    from passend.accounts.choices import Role
    from passend.accounts.models import Membership, User
    from passend.organisations.models import Partnership, School, SchoolBoard

    partnership = Partnership.objects.create(name="SWV Bench", duo_number="VO 99-01")
    school = School.objects.create(
        partnership=partnership,
        board=SchoolBoard.objects.create(duo_number="99999"),
        institution_code="99ZZ",
        location_code="99ZZ00",
        name="Benchmark College",
        town="DORDRECHT",
        municipality="DORDRECHT",
    )
    people = {}
    for role in (Role.COORDINATOR, Role.MENTOR):
        person = User.objects.create_user(
            email=f"{role}@bench.example", password=None, full_name=f"Bench {role}"
        )
        Membership.objects.create(
            user=person,
            role=role,
            partnership=partnership,
            school=school,
            valid_from=datetime.date(2020, 8, 1),
        )
        people[role] = person
    return school, people[Role.COORDINATOR], people[Role.MENTOR]


def _import(school, coordinator, data: bytes, today) -> tuple[float, float, int, dict]:
    """Upload and apply; returns (upload seconds, apply seconds, queries of apply, counts)."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from passend.students import roster

    started = time.perf_counter()
    item = roster.upload(
        school, SimpleUploadedFile("leerlingen.csv", data, "text/csv"), acting_user=coordinator
    )
    uploaded = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        counts = roster.apply(item, acting_user=coordinator, today=today)
    applied = time.perf_counter()
    return uploaded - started, applied - uploaded, len(queries), counts


def bench(*, rows: int, database: str) -> Result:
    from django.utils import timezone

    from passend.students.models import Guardian, Student

    today = timezone.localdate()
    school, coordinator, mentor = _world()
    first = roster_csv(rows, mentor=mentor.email, today=today)
    up1, apply1, queries1, counts1 = _import(school, coordinator, first, today)
    assert counts1["created"] == rows, counts1
    assert Student.objects.filter(school=school).count() == rows
    assert Guardian.objects.filter(student__school=school).count() == rows

    churn = max(rows // 100, 1)
    second = roster_csv(rows, mentor=mentor.email, today=today, skip=churn, bump=churn)
    up2, apply2, queries2, counts2 = _import(school, coordinator, second, today)
    assert counts2["left"] == churn and counts2["updated"] == churn, counts2

    name = f"roster import, {rows:,} rows"
    total = up1 + apply1
    return Result(
        name=name,
        database=database,
        measures=[
            Measure("first import: upload + check", up1, "s"),
            Measure("first import: validate + write", apply1, "s"),
            Measure("first import: total", total, "s", BUDGET_SECONDS if rows >= 50_000 else None),
            Measure("first import: rows per second", rows / total, "rows/s"),
            Measure("first import: queries of the write", queries1, "queries"),
            Measure("re-import (1% changed, 1% left): total", up2 + apply2, "s"),
            Measure("re-import: queries of the write", queries2, "queries"),
        ],
        note=(
            f"{len(first) / 1e6:.1f} MB CSV with a guardian per row, through "
            "passend.students.roster.upload and .apply (all-or-nothing); the re-import updated "
            f"{counts2['updated']:,}, kept {counts2['unchanged']:,} and marked "
            f"{counts2['left']:,} as left."
        ),
    )
