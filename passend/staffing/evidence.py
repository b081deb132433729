"""Derived evidence providers for the quality framework (see passend.quality.evidence).

What the BPO assignments and qualifications of a school year say about aspects 1–6 and 13, one
line per BPO. The school's BPOs of a year are its regular assignments in that year (BPO+ hours at
the school are expertise on request, not the school's own BPO); for aspects 1 and 13 also people
holding the bpo role at the school during the year without an assignment. A provider answers None
when it knows nothing (no assignment in the year): aspect 1 then reports the missing BPO.

Each provider is one query. :func:`checks` gives the same verdicts for one assignment, for the
assignment pages.
"""

from __future__ import annotations

from collections import OrderedDict
from decimal import Decimal

from django.db.models import DecimalField, Q, Value
from django.template.defaultfilters import floatformat
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from passend.accounts.choices import Role
from passend.quality.evidence import Evidence, provides
from passend.staffing.choices import AssignmentKind, EmploymentType, Weekday
from passend.staffing.rules import ASPECT_13

#: Employment in which the school (or its board) sets the normjaartaak (aspect 5).
SCHOOL_EMPLOYED = frozenset({EmploymentType.SCHOOL, EmploymentType.BOARD})


def hours(value: Decimal | None) -> str:
    """12.50 → "12,5" (localised, no trailing zeros)."""
    return floatformat(value, "-2") if value is not None else ""


def day(value) -> str:
    return date_format(value, "j F Y")


def weekdays(values) -> str:
    labels = [str(Weekday(v).label) for v in Weekday.values if v in (values or [])]
    return ", ".join(labels)


# --- Per assignment ------------------------------------------------------------------------------


def workplace(a) -> Evidence:
    if a.workplace_confirmed:
        return Evidence(True, _("werkplek op school bevestigd."))
    return Evidence(False, _("werkplek op school niet bevestigd."))


def student_system(a) -> Evidence:
    if a.student_system_access:
        return Evidence(True, _("toegang tot het leerlingvolgsysteem bevestigd."))
    return Evidence(False, _("toegang tot het leerlingvolgsysteem niet bevestigd."))


def presence(a) -> Evidence:
    per_week = hours(a.hours_per_week)
    if a.presence_days:
        return Evidence(
            True,
            _("aanwezig op %(days)s (%(hours)s uur per week).")
            % {"days": weekdays(a.presence_days), "hours": per_week},
        )
    return Evidence(
        False,
        _("geen aanwezigheidsdagen vastgelegd (%(hours)s uur per week).") % {"hours": per_week},
    )


def annual_hours(a) -> Evidence:
    if a.employment_type not in SCHOOL_EMPLOYED:
        return Evidence(
            None,
            _("%(employment)s: de normjaartaak is niet aan de school.")
            % {"employment": a.get_employment_type_display().lower()},
        )
    if a.annual_hours is None:
        return Evidence(
            False,
            _(
                "in dienst van de school of het schoolbestuur, maar geen normjaartaak (uren per "
                "jaar) vastgelegd."
            ),
        )
    return Evidence(
        True, _("normjaartaak %(hours)s uur per jaar.") % {"hours": hours(a.annual_hours)}
    )


def management(a) -> Evidence:
    """Aspect 6: a manager; with external hire the written agreement on management, dated."""
    manager = a.manager_display
    if a.is_hired_in:
        employer = (
            _("extern ingehuurd bij %(employer)s") % {"employer": a.employer_name}
            if a.employer_name
            else _("extern ingehuurd")
        )
        has_file = bool(a.management_agreement)
        has_date = a.management_agreement_date is not None
        if not has_file and not has_date:
            return Evidence(
                False,
                _("%(employer)s: de schriftelijke overeenkomst over de aansturing ontbreekt.")
                % {"employer": employer},
            )
        if not has_file:
            return Evidence(
                False,
                _(
                    "%(employer)s: de overeenkomst over de aansturing (%(date)s) ontbreekt als "
                    "bestand."
                )
                % {"employer": employer, "date": day(a.management_agreement_date)},
            )
        if not has_date:
            return Evidence(
                False,
                _("%(employer)s: de datum van de overeenkomst over de aansturing ontbreekt.")
                % {"employer": employer},
            )
        text = _("%(employer)s: aansturing vastgelegd in een overeenkomst van %(date)s.") % {
            "employer": employer,
            "date": day(a.management_agreement_date),
        }
        if manager:
            text += " " + _("Leidinggevende: %(manager)s.") % {"manager": manager}
        return Evidence(True, text)
    if manager:
        return Evidence(True, _("aangestuurd door %(manager)s.") % {"manager": manager})
    return Evidence(False, _("geen leidinggevende vastgelegd."))


def salary_scale(a, minimum: int) -> Evidence | None:
    """The framework asks for at least scale ``minimum``; below is allowed but flagged."""
    if a.salary_scale is None:
        return None
    if a.salary_scale < minimum:
        return Evidence(
            False,
            _("schaal %(scale)s: lager dan de schaal %(minimum)s die het kwaliteitskader vraagt.")
            % {"scale": a.salary_scale, "minimum": minimum},
        )
    return Evidence(True, _("schaal %(scale)s.") % {"scale": a.salary_scale})


CHECKS = {
    "2": workplace,
    "3": student_system,
    "4": presence,
    "5": annual_hours,
    "6": management,
}


def checks(a) -> dict[str, Evidence]:
    """The verdicts on one assignment for aspects 2–6."""
    return {number: check(a) for number, check in CHECKS.items()}


# --- Providers -----------------------------------------------------------------------------------


def _name(a) -> str:
    name = a.bpo.full_name or a.bpo.email
    if a.end_date is not None:
        name = _("%(name)s (tot %(date)s)") % {"name": name, "date": day(a.end_date)}
    return name


def _regular(school, school_year):
    from passend.staffing.models import BpoAssignment

    return BpoAssignment.objects.filter(
        school=school, school_year=school_year, kind=AssignmentKind.REGULAR
    )


def _per_assignment(school, school_year, number: str) -> list[Evidence] | None:
    rows = list(
        _regular(school, school_year)
        .select_related("bpo", "manager")
        .order_by("bpo__full_name", "start_date", "pk")
    )
    if not rows:
        return None
    check = CHECKS[number]
    lines = []
    for a in rows:
        verdict = check(a)
        lines.append(Evidence(verdict.met, f"{_name(a)}: {verdict.text}"))
    return lines


def _bpo_members(school, school_year):
    from passend.accounts.models import Membership

    return Membership.objects.filter(school=school, role=Role.BPO).during(school_year)


@provides("1")
def bpo_assigned(school, school_year) -> Evidence:
    """The BPO tasks are demonstrably assigned: regular assignments in the year (one union
    query with the people holding the bpo role at the school)."""
    assigned = (
        _regular(school, school_year).values_list("bpo__full_name", "hours_per_week").order_by()
    )
    members = (
        _bpo_members(school, school_year)
        .values_list(
            "user__full_name",
            Value(None, output_field=DecimalField(max_digits=5, decimal_places=2)),
        )
        .order_by()
    )
    per_week: dict[str, Decimal] = OrderedDict()
    role_only: set[str] = set()
    for name, week in assigned.union(members, all=True):
        if week is None:
            role_only.add(name)
        else:
            per_week[name] = per_week.get(name, Decimal("0")) + Decimal(week)
    role_only -= set(per_week)
    if not per_week and not role_only:
        return Evidence(False, _("Er is in dit schooljaar geen bpo'er aan de school verbonden."))
    if not per_week:
        return Evidence(
            None,
            _(
                "Bpo'er in dit schooljaar: %(names)s; de inzet (uren, dienstverband) is nog niet "
                "vastgelegd."
            )
            % {"names": ", ".join(sorted(role_only))},
        )
    assigned_text = ", ".join(
        _("%(name)s (%(hours)s uur per week)") % {"name": name, "hours": hours(week)}
        for name, week in sorted(per_week.items())
    )
    text = _("Inzet bpo'er vastgelegd voor dit schooljaar: %(names)s.") % {"names": assigned_text}
    if role_only:
        text += " " + _("Zonder vastgelegde inzet: %(names)s.") % {
            "names": ", ".join(sorted(role_only))
        }
    return Evidence(True, text)


@provides("2")
def workplace_confirmed(school, school_year) -> list[Evidence] | None:
    return _per_assignment(school, school_year, "2")


@provides("3")
def student_system_access(school, school_year) -> list[Evidence] | None:
    return _per_assignment(school, school_year, "3")


@provides("4")
def presence_recorded(school, school_year) -> list[Evidence] | None:
    return _per_assignment(school, school_year, "4")


@provides("5")
def annual_hours_recorded(school, school_year) -> list[Evidence] | None:
    return _per_assignment(school, school_year, "5")


@provides("6")
def management_arranged(school, school_year) -> list[Evidence] | None:
    return _per_assignment(school, school_year, "6")


@provides("13")
def qualifications_meet_profile(school, school_year) -> list[Evidence] | None:
    """Per BPO of the school in the year the aspect-13 verdict with its reasons (one query: the
    people joined with their qualification kinds)."""
    from passend.accounts.models import User

    assigned = _regular(school, school_year).values("bpo_id")
    members = _bpo_members(school, school_year).values("user_id")
    rows = (
        User.objects.filter(Q(pk__in=assigned) | Q(pk__in=members))
        .order_by("full_name", "pk")
        .values_list("pk", "full_name", "qualifications__kind")
    )
    people: dict[int, tuple[str, set[str]]] = {}
    for pk, name, kind in rows:
        entry = people.setdefault(pk, (name, set()))
        if kind:
            entry[1].add(kind)
    if not people:
        return None
    lines = []
    for name, kinds in people.values():
        result = ASPECT_13.evaluate(kinds)
        lines.append(Evidence(result.met, f"{name}: {' '.join(result.reasons)}"))
    return lines
