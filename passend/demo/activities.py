"""Demo data for the activity log: three weeks of activities (Monday to Friday, before today)
of bpo.a at school A and bpo.b at school B.

Idempotent: a BPO who already has activities in the current school year gets none; a second run
changes nothing. Dates are relative to the day of the first run.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from passend.accounts.models import User
from passend.activities import services
from passend.activities.choices import TaskArea
from passend.activities.models import Activity
from passend.demo.services import SCHOOL_A, SCHOOL_B
from passend.organisations.models import School, SchoolYear

BPOS = {"bpo.a@drechtsteden.example": SCHOOL_A, "bpo.b@drechtsteden.example": SCHOOL_B}

# (weekday, task area, hours, sub-area, note) for one week
WEEK = [
    (0, TaskArea.STUDENT, "2", "Leerlinggesprekken", ""),
    (0, TaskArea.TEAM, "1", "Consultatie mentoren", ""),
    (1, TaskArea.PARENTS, "1.5", "Oudergesprek", "Met mentor"),
    (1, TaskArea.ORGANISATION, "1", "Zorgoverleg", ""),
    (2, TaskArea.STUDENT, "2.5", "Handelingsplannen", ""),
    (3, TaskArea.POLICY, "1", "Ondersteuningsprofiel", ""),
    (3, TaskArea.TEAM, "1.5", "Teamscholing", ""),
    (4, TaskArea.PROFESSIONALISATION, "1", "Intervisie", ""),
    (4, TaskArea.STUDENT, "1.25", "", ""),
]


def load(users: dict[str, User]) -> None:
    year = SchoolYear.current()
    today = timezone.localdate()
    this_monday = today - timedelta(days=today.weekday())
    for email, location_code in BPOS.items():
        bpo = users.get(email)
        school = School.objects.filter(location_code=location_code).first()
        if bpo is None or school is None:
            continue
        if Activity.objects.filter(bpo=bpo, school_year=year).exists():
            continue
        rows = []
        for weeks_back in (3, 2, 1):
            monday = this_monday - timedelta(days=7 * weeks_back)
            for weekday, area, hours, sub_area, note in WEEK:
                day = monday + timedelta(days=weekday)
                if year.start <= day <= min(year.end, today):
                    rows.append(services.Row(day, school, Decimal(hours), area, sub_area, note))
        if rows:
            services.log_week(bpo=bpo, rows=rows, acting_user=bpo)
