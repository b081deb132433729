"""What is due in werkafspraken, for the start page (product outline §8: "werkafspraken missing
for the new year, evaluations due").

- Coordinators: per school of theirs, BPOs of the current school year without werkafspraken;
  drafts waiting for the coordinator's confirmation.
- BPOs: their drafts waiting for their confirmation.
- Directors: agreed werkafspraken waiting to be acknowledged.
- Coordinators and directors: agreed werkafspraken of the current year without a final annual
  evaluation once the year's end is less than ``EVALUATION_DUE_DAYS`` away; those of the previous
  school year without one are overdue.

``agreements_due_for`` costs a constant number of queries, whatever the number of schools and
agreements.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from passend.accounts.access import scope_for
from passend.accounts.choices import Role
from passend.agreements import access
from passend.agreements.choices import AgreementStatus, EvaluationKind, EvaluationStatus

#: The annual evaluation shows as due from this many days before the end of the school year.
EVALUATION_DUE_DAYS = 120


@dataclass(frozen=True)
class Missing:
    """A BPO of ``school`` without werkafspraken for ``school_year``."""

    school: object
    school_year: object
    bpo: object


@dataclass
class AgreementsDue:
    school_year: object = None
    missing: list[Missing] = field(default_factory=list)
    to_confirm: list = field(default_factory=list)
    to_acknowledge: list = field(default_factory=list)
    evaluation_due: list = field(default_factory=list)
    evaluation_overdue: list = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(
            self.missing
            or self.to_confirm
            or self.to_acknowledge
            or self.evaluation_due
            or self.evaluation_overdue
        )


def agreements_due_for(user, on: date | None = None) -> AgreementsDue:
    from passend.accounts.models import Membership
    from passend.agreements.models import AgreementEvaluation, WorkAgreement
    from passend.organisations.models import School, SchoolYear
    from passend.staffing.models import BpoAssignment

    on = on or timezone.localdate()
    scope = scope_for(user)
    coordinator_ids = scope.school_ids(access.DRAFT_ROLES)
    director_ids = scope.school_ids(access.ACKNOWLEDGE_ROLES)
    is_bpo = Role.BPO in scope.roles
    if not (coordinator_ids or director_ids or is_bpo):
        return AgreementsDue()
    year = SchoolYear.current(on)
    previous = SchoolYear.get_or_create_for_start_year(year.start.year - 1)
    due = AgreementsDue(school_year=year)
    visible = access.visible_agreements(user).latest_versions()
    related = ("school", "school_year", "bpo")

    # Drafts waiting for this user's confirmation, agreed ones waiting for the director.
    waiting = visible.filter(school_year__in=[year, previous]).filter(
        Q(status=AgreementStatus.DRAFT, bpo=user, bpo_confirmed_at__isnull=True)
        | Q(
            status=AgreementStatus.DRAFT,
            school_id__in=coordinator_ids,
            coordinator_confirmed_at__isnull=True,
        )
        | Q(status=AgreementStatus.AGREED, school_id__in=director_ids)
    )
    for agreement in waiting.select_related(*related).order_by("school__name", "bpo__full_name"):
        if agreement.status == AgreementStatus.AGREED:
            due.to_acknowledge.append(agreement)
        else:
            due.to_confirm.append(agreement)

    leader_ids = coordinator_ids | director_ids
    if not leader_ids:
        return due

    # BPOs of the year without werkafspraken (coordinators only: they draft them).
    if coordinator_ids:
        roles = Membership.objects.filter(school_id__in=coordinator_ids, role=Role.BPO).during(year)
        pairs = set(roles.values_list("school_id", "user_id")) | set(
            BpoAssignment.objects.filter(
                school_id__in=coordinator_ids, school_year=year
            ).values_list("school_id", "bpo_id")
        )
        made = set(
            WorkAgreement.objects.filter(
                school_id__in=coordinator_ids, school_year=year
            ).values_list("school_id", "bpo_id")
        )
        open_pairs = sorted(pairs - made)
        if open_pairs:
            from passend.accounts.models import User

            schools = School.objects.in_bulk({s for s, _ in open_pairs})
            people = User.objects.in_bulk({u for _, u in open_pairs})
            due.missing = sorted(
                (
                    Missing(schools[s], year, people[u])
                    for s, u in open_pairs
                    if people[u].is_active
                ),
                key=lambda m: (m.school.name, m.bpo.full_name),
            )

    # Annual evaluations: due near the end of this year, overdue for last year.
    annual = AgreementEvaluation.objects.filter(
        school=OuterRef("school"),
        school_year=OuterRef("school_year"),
        bpo=OuterRef("bpo"),
        kind=EvaluationKind.ANNUAL,
        status=EvaluationStatus.FINAL,
    )
    years = [previous]
    if on >= year.end - timedelta(days=EVALUATION_DUE_DAYS):
        years.append(year)
    unevaluated = (
        WorkAgreement.objects.filter(
            school_id__in=leader_ids,
            school_year__in=years,
            version=1,
            status__in=[AgreementStatus.AGREED, AgreementStatus.ACKNOWLEDGED],
        )
        .exclude(Exists(annual))
        .select_related(*related)
        .order_by("school_year__start", "school__name", "bpo__full_name")
    )
    for agreement in unevaluated:
        if agreement.school_year_id == year.pk:
            due.evaluation_due.append(agreement)
        else:
            due.evaluation_overdue.append(agreement)
    return due


# --- For the due list (passend.due) -------------------------------------------------------------


def due_items(user, on: date):
    """``agreements_due_for`` as items of the due list (passend.due.items.DueItem), with these
    deadlines: werkafspraken belong to the start of their school year (missing ones and first
    versions still waiting for confirmation are overdue from then); an adjusted version or a
    director's acknowledgement has no date of its own and is due now; the annual evaluation is
    due by the end of the school year. Names the BPO and the school, never a student."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from passend.due.items import DueItem

    due = agreements_due_for(user, on)
    items: list[DueItem] = []
    for missing in due.missing:
        url = reverse("agreements:agreement_create", args=[missing.school.code])
        items.append(
            DueItem(
                kind="agreement_missing",
                kind_label=_("Werkafspraken ontbreken"),
                title=_("Werkafspraken %(year)s opstellen – %(bpo)s, %(school)s")
                % {
                    "year": missing.school_year.name,
                    "bpo": missing.bpo.full_name,
                    "school": missing.school.name,
                },
                due_on=missing.school_year.start,
                url=f"{url}?bpo={missing.bpo.code}&jaar={missing.school_year.name}",
                school=missing.school,
            )
        )
    for agreement in due.to_confirm:
        items.append(
            DueItem(
                kind="agreement_to_confirm",
                kind_label=_("Werkafspraken bevestigen"),
                title=_("Werkafspraken (versie %(v)s) bevestigen – %(bpo)s, %(school)s")
                % _agreement_names(agreement),
                due_on=agreement.school_year.start if agreement.version == 1 else on,
                url=reverse("agreements:agreement_detail", args=[agreement.code]),
                school=agreement.school,
            )
        )
    for agreement in due.to_acknowledge:
        items.append(
            DueItem(
                kind="agreement_to_acknowledge",
                kind_label=_("Werkafspraken voor gezien tekenen"),
                title=_("Werkafspraken (versie %(v)s) voor gezien tekenen – %(bpo)s, %(school)s")
                % _agreement_names(agreement),
                due_on=on,
                url=reverse("agreements:agreement_detail", args=[agreement.code]),
                school=agreement.school,
            )
        )
    for agreement in [*due.evaluation_overdue, *due.evaluation_due]:
        items.append(
            DueItem(
                kind="agreement_evaluation",
                kind_label=_("Jaarlijkse evaluatie niet gehouden"),
                title=_("Jaarlijkse evaluatie %(year)s houden – %(bpo)s, %(school)s")
                % {**_agreement_names(agreement), "year": agreement.school_year.name},
                due_on=agreement.school_year.end,
                url=reverse("agreements:agreement_detail", args=[agreement.code]),
                school=agreement.school,
            )
        )
    return items


def _agreement_names(agreement) -> dict:
    return {
        "v": agreement.version,
        "bpo": agreement.bpo.full_name,
        "school": agreement.school.name,
    }
