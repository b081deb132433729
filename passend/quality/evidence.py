"""Derived evidence: what passend already knows about an aspect, shown beside the school's rating.

Providers are registered per aspect number with ``@provides("6")``; each receives the school and
school year and returns ``Evidence``, a list of them (one line per person, e.g. per BPO), or None
(nothing known). Later capabilities (BPO assignments, qualifications, PD attendance,
werkafspraken) register their own providers here.
Each provider costs at most one query, so a page's query count does not depend on data size.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from passend.accounts.choices import Role
from passend.organisations.choices import Domain


@dataclass(frozen=True)
class Evidence:
    """``met``: True (the data supports the aspect), False (it contradicts it), None (neutral)."""

    met: bool | None
    text: str


Provider = Callable[..., "Evidence | list[Evidence] | None"]
PROVIDERS: dict[str, list[Provider]] = {}


def provides(*numbers: str) -> Callable[[Provider], Provider]:
    def register(function: Provider) -> Provider:
        for number in numbers:
            PROVIDERS.setdefault(number, []).append(function)
        return function

    return register


def derived_evidence(school, school_year, numbers=None) -> dict[str, list[Evidence]]:
    """Evidence per aspect number for ``school`` in ``school_year`` (only numbers with data)."""
    result: dict[str, list[Evidence]] = {}
    cache: dict[Provider, list[Evidence]] = {}
    for number, providers in PROVIDERS.items():
        if numbers is not None and number not in numbers:
            continue
        for provider in providers:
            if provider not in cache:
                found = provider(school, school_year)
                if found is None:
                    found = []
                cache[provider] = [found] if isinstance(found, Evidence) else list(found)
            if cache[provider]:
                result.setdefault(number, []).extend(cache[provider])
    return result


def _people_with_role(school, school_year, role) -> list[str]:
    from passend.accounts.models import Membership

    return sorted(
        Membership.objects.filter(school=school, role=role)
        .during(school_year)
        .values_list("user__full_name", flat=True)
        .distinct()
    )


# Aspect 1 (BPO tasks demonstrably assigned) comes from the BPO assignments of the year, with
# the people holding the bpo role: passend.staffing.evidence.bpo_assigned.


@provides("6")
def coordinator_set(school, school_year) -> Evidence:
    names = _people_with_role(school, school_year, Role.COORDINATOR)
    if not names:
        return Evidence(False, _("Er is geen ondersteuningscoördinator vastgelegd."))
    return Evidence(True, _("Ondersteuningscoördinator: %(names)s.") % {"names": ", ".join(names)})


@provides("7")
def bpo_in_support_team(school, school_year) -> Evidence:
    """Is a BPO of the school a member of its SOT (domain onderwijsondersteuning)? One query:
    the year's SOT joined with its members, each marked when linked to a BPO of the school."""
    from passend.accounts.models import Membership
    from passend.organisations.models import SupportTeam

    bpo = (
        Membership.objects.filter(user=OuterRef("members__user"), school=school, role=Role.BPO)
        .during(school_year)
        .values("pk")
    )
    rows = list(
        SupportTeam.objects.filter(school=school, school_year=school_year)
        .annotate(is_bpo=Exists(bpo))
        .values_list("members__name", "members__domain", "is_bpo")
    )
    if not rows:
        return Evidence(False, _("Er is voor dit schooljaar geen SOT vastgelegd."))
    education = sorted({n for n, d, _b in rows if n and d == Domain.EDUCATION_SUPPORT})
    bpos = sorted({n for n, d, b in rows if n and d == Domain.EDUCATION_SUPPORT and b})
    if bpos:
        return Evidence(
            True,
            _("De bpo'er is lid van het SOT (onderwijsondersteuning): %(names)s.")
            % {"names": ", ".join(bpos)},
        )
    if education:
        return Evidence(
            None,
            _(
                "Lid van het SOT (onderwijsondersteuning): %(names)s; in passend niet "
                "gekoppeld aan de bpo'er van de school."
            )
            % {"names": ", ".join(education)},
        )
    return Evidence(
        False,
        _("Het SOT van dit schooljaar heeft geen lid uit het domein onderwijsondersteuning."),
    )
