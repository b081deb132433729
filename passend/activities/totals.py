"""Totals of the activity log: hours per (school, task area), in one aggregate query. They feed
the evaluations, the hours table (spent) and reports."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Sum

from passend.activities.models import Activity


def totals(bpo=None, school=None, school_year=None, start=None, end=None, schools=None):
    """{(school_id, area): Decimal hours} for the given filters (all optional)."""
    qs = Activity.objects.all()
    if bpo is not None:
        qs = qs.filter(bpo=bpo)
    if school is not None:
        qs = qs.filter(school=school)
    if schools is not None:
        qs = qs.filter(school__in=schools)
    if school_year is not None:
        qs = qs.filter(school_year=school_year)
    if start is not None:
        qs = qs.filter(date__gte=start)
    if end is not None:
        qs = qs.filter(date__lte=end)
    rows = qs.order_by().values("school_id", "area").annotate(total=Sum("hours"))
    return {(r["school_id"], r["area"]): r["total"] or Decimal(0) for r in rows}


def weeks_elapsed(school_year, on) -> Decimal:
    """The weeks of ``school_year`` up to and including ``on`` (at least one)."""
    last = min(on, school_year.end)
    days = (last - school_year.start).days + 1
    return max(Decimal(1), Decimal(days) / Decimal(7))


def spent_per_week(partnership, school_year, on) -> dict[int, Decimal]:
    """{school_id: average hours per week} logged at the partnership's schools in
    ``school_year`` up to ``on`` (ONE aggregate query; none for an unsaved school year)."""
    if school_year.pk is None:
        return {}
    rows = (
        Activity.objects.filter(
            school__partnership=partnership, school_year=school_year, date__lte=on
        )
        .order_by()
        .values("school_id")
        .annotate(total=Sum("hours"))
    )
    weeks = weeks_elapsed(school_year, on)
    return {
        r["school_id"]: (r["total"] / weeks).quantize(Decimal("0.01")) for r in rows if r["total"]
    }
