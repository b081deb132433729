"""Demo data for the hours policy: the demo SWV's formula for 2025-2026 and for the current
school year (4 hours per location + 1 hour per 100 students, half-days of 4 hours, at least
4 hours), with the allocations stored. Idempotent: a year that has a policy is left alone."""

from __future__ import annotations

from decimal import Decimal

from passend.demo.services import DRECHTSTEDEN
from passend.organisations.models import Partnership, SchoolYear
from passend.staffing.hours import Formula, can_edit, save_policy
from passend.staffing.models import HoursPolicy

DEMO_FORMULA = Formula(
    base_hours=Decimal("4"),
    hours_per_unit=Decimal("1"),
    students_per_unit=100,
    half_day_hours=Decimal("4"),
    minimum_hours=Decimal("4"),
)


def load(users: dict) -> None:
    """``users``: email → User of passend.demo.services.ACCOUNTS (the policy is saved as the
    demo SWV's partnership_admin, so the audit log shows who set it)."""
    partnership = Partnership.objects.get(duo_number=DRECHTSTEDEN["number"])
    admin = users.get("beheer@drechtsteden.example")
    if admin is not None and not can_edit(admin, partnership):
        admin = None  # memberships not loaded yet: saved as the system
    years = {SchoolYear.get_or_create_for_start_year(2025), SchoolYear.current()}
    for year in sorted(years, key=lambda y: y.start):
        if HoursPolicy.objects.filter(partnership=partnership, school_year=year).exists():
            continue
        save_policy(partnership, year, DEMO_FORMULA, acting_user=admin)
