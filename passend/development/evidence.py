"""Derived evidence providers for the quality framework (see passend.quality.evidence).

- Aspects 11 and 15 (taking part in the SWV's professional development): which of the school's
  BPOs attended events of the school's SWV in the school year, and how many.
- Aspect 12 (other professional development): the own records of those BPOs in that year.

The school's BPOs in a year: people holding the bpo role at the school for part of the year, or
with a regular BPO assignment at the school for that year. Each provider is one query.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from passend.accounts.choices import Role
from passend.development.services import year_bounds
from passend.quality.evidence import Evidence, provides


def _school_bpos(school, school_year):
    """Users who were BPO of ``school`` in ``school_year`` (a queryset, not evaluated)."""
    from passend.accounts.models import Membership, User
    from passend.staffing.choices import AssignmentKind
    from passend.staffing.models import BpoAssignment

    by_role = (
        Membership.objects.filter(school=school, role=Role.BPO)
        .during(school_year)
        .values("user_id")
    )
    by_assignment = BpoAssignment.objects.filter(
        school=school, school_year=school_year, kind=AssignmentKind.REGULAR
    ).values("bpo_id")
    return User.objects.filter(Q(pk__in=by_role) | Q(pk__in=by_assignment))


def _hours(value) -> str:
    value = (value or Decimal("0")).normalize()
    return f"{value:f}".replace(".", ",")


@provides("11", "15")
def swv_events_attended(school, school_year) -> Evidence:
    start, end = year_bounds(school_year)
    attended = Q(
        pd_registrations__attended=True,
        pd_registrations__event__partnership_id=school.partnership_id,
        pd_registrations__event__starts_at__gte=start,
        pd_registrations__event__starts_at__lt=end,
    )
    rows = list(
        _school_bpos(school, school_year)
        .annotate(events=Count("pd_registrations", filter=attended))
        .order_by("full_name")
        .values_list("full_name", "events")
    )
    went = [(name, n) for name, n in rows if n]
    if not went:
        if rows:
            return Evidence(
                False,
                _(
                    "In passend is voor %(year)s geen deelname vastgelegd van de bpo'er "
                    "(%(names)s) aan bijeenkomsten van het samenwerkingsverband."
                )
                % {"year": school_year.name, "names": ", ".join(name for name, _n in rows)},
            )
        return Evidence(
            False,
            _(
                "In passend is voor %(year)s geen deelname van een bpo'er van de school aan "
                "bijeenkomsten van het samenwerkingsverband vastgelegd."
            )
            % {"year": school_year.name},
        )
    parts = [
        ngettext("%(name)s: %(n)s bijeenkomst", "%(name)s: %(n)s bijeenkomsten", n)
        % {"name": name, "n": n}
        for name, n in went
    ]
    missing = [name for name, n in rows if not n]
    text = _("Deelname aan bijeenkomsten van het samenwerkingsverband in %(year)s: %(list)s.") % {
        "year": school_year.name,
        "list": "; ".join(parts),
    }
    if missing:
        text += " " + _("Geen deelname vastgelegd van: %(names)s.") % {"names": ", ".join(missing)}
    return Evidence(True, text)


@provides("12")
def own_development_records(school, school_year) -> Evidence:
    in_year = Q(
        pd_records__date__gte=school_year.start,
        pd_records__date__lte=school_year.end,
    )
    rows = list(
        _school_bpos(school, school_year)
        .annotate(
            records=Count("pd_records", filter=in_year),
            hours=Sum("pd_records__hours", filter=in_year),
        )
        .order_by("full_name")
        .values_list("full_name", "records", "hours")
    )
    kept = [(name, n, hours) for name, n, hours in rows if n]
    if not kept:
        return Evidence(
            None,
            _(
                "In passend is voor %(year)s geen eigen professionalisering van de bpo'er "
                "vastgelegd."
            )
            % {"year": school_year.name},
        )
    parts = [
        ngettext(
            "%(name)s: %(n)s activiteit, %(hours)s uur",
            "%(name)s: %(n)s activiteiten, %(hours)s uur",
            n,
        )
        % {"name": name, "n": n, "hours": _hours(hours)}
        for name, n, hours in kept
    ]
    return Evidence(
        True,
        _("Eigen professionalisering in %(year)s: %(list)s.")
        % {"year": school_year.name, "list": "; ".join(parts)},
    )
