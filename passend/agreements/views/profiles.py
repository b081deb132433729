"""Competentieprofiel views (seed 000 §7): start the profile of a werkafspraak's BPO for the
school year, read it (self and coordinator levels per competency, grouped by domain, with the
development goals) and rate it — the BPO rates themself, the school's coordinator rates the
BPO. Lookups go through passend.agreements.access; changes through
passend.agreements.services."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from passend.agreements import access, services
from passend.agreements.choices import CompetencyDomain
from passend.agreements.forms.profiles import RatingForm, level_label
from passend.agreements.models import CompetencyProfile, CompetencyRating
from passend.front.feedback import add_service_error

#: A self and a coordinator level this far apart are marked for discussion.
DISCUSS_GAP = 2


@dataclass(frozen=True)
class RatingRow:
    """One competency as shown: the levels as labels ("–" when not rated) and whether the two
    ratings differ so much that they are to be discussed."""

    text: str
    self_label: str
    coordinator_label: str
    discuss: bool


def ordered_ratings(profile: CompetencyProfile) -> list[CompetencyRating]:
    """The profile's ratings with their competency, by domain and position (one query)."""
    ratings = profile.ratings.select_related("competency")
    return sorted(
        ratings,
        key=lambda r: (
            CompetencyDomain.values.index(r.competency.domain),
            r.competency.position,
            r.competency_id,
        ),
    )


def competency_groups(profile: CompetencyProfile | None) -> list[tuple[str, list[RatingRow]]]:
    """(domain label, rows) for the profile, leerling–docent–systeem (empty without one)."""
    if profile is None:
        return []
    groups: dict[str, list[RatingRow]] = {}
    for r in ordered_ratings(profile):
        both = r.self_level is not None and r.coordinator_level is not None
        groups.setdefault(str(CompetencyDomain(r.competency.domain).label), []).append(
            RatingRow(
                text=r.competency.text,
                self_label=level_label(r.self_level),
                coordinator_label=level_label(r.coordinator_level),
                discuss=both and abs(r.self_level - r.coordinator_level) >= DISCUSS_GAP,
            )
        )
    return list(groups.items())


@login_required
@require_POST
def profile_start(request: HttpRequest, code) -> HttpResponse:
    """Open (or reopen) the competency profile of the werkafspraak's BPO at the school for the
    school year: the BPO themself or the school's coordinator."""
    agreement = access.get_agreement_for_user(request.user, code)
    if not (
        agreement.bpo_id == request.user.pk
        or access.can(request.user, agreement.school, access.RATE_ROLES)
    ):
        raise PermissionDenied
    profile = services.start_profile(
        agreement.school, agreement.school_year, agreement.bpo, acting_user=request.user
    )
    return redirect("agreements:profile_rate", profile.code)


@login_required
@require_GET
def profile_detail(request: HttpRequest, code) -> HttpResponse:
    profile = access.get_profile_for_user(request.user, code)
    rights = access.profile_rights(request.user, profile)
    return render(
        request,
        "agreements/profiles/profile_detail.html",
        {
            "profile": profile,
            "groups": competency_groups(profile),
            "may_rate": rights["rate_self"] or rights["rate_coordinator"],
            "is_bpo": rights["rate_self"],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile_rate(request: HttpRequest, code) -> HttpResponse:
    """The BPO's self-rating or the coordinator's rating, with the development goals."""
    profile = access.get_profile_for_user(request.user, code, write=True)
    as_coordinator = not access.profile_rights(request.user, profile)["rate_self"]
    form = RatingForm(
        request.POST or None,
        ratings=ordered_ratings(profile),
        as_coordinator=as_coordinator,
        goals=profile.development_goals,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.rate_competencies(
                profile,
                levels=form.levels(),
                as_coordinator=as_coordinator,
                development_goals=form.cleaned_data["development_goals"],
                acting_user=request.user,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("De beoordeling is opgeslagen."))
            return redirect("agreements:profile_detail", profile.code)
    return render(
        request,
        "agreements/profiles/profile_rate.html",
        {"profile": profile, "form": form, "as_coordinator": as_coordinator},
    )


urlpatterns = [
    path("werkafspraken/<uuid:code>/competentieprofiel/", profile_start, name="profile_start"),
    path("competentieprofielen/<uuid:code>/", profile_detail, name="profile_detail"),
    path("competentieprofielen/<uuid:code>/beoordelen/", profile_rate, name="profile_rate"),
]
