"""Who may see and change werkafspraken, evaluations, task descriptions and competency profiles;
built on passend.accounts.access (one scope per user).

- Werkafspraken, evaluations and competency profiles of a school: its coordinator and director,
  the BPO concerned (only their own), and the SWV's consultants of that school (SWV-wide or
  assigned; read-only). Nobody else, not the partnership_admin or the office either (404).
  The coordinator drafts and edits, the coordinator and the BPO each confirm, the director
  acknowledges; coordinator and director run evaluations; the BPO rates themself, the
  coordinator rates the BPO.
- The partnership's template task description and competency set: read by everyone with a role
  in the partnership except partners and mentors; maintained by the partnership_admin.
- A school's own task description: read by the school's coordinator, director and BPO(s), its
  consultant and the partnership_admin; adopted and adapted by the coordinator or director.

Outside the scope → 404; in scope without the right → 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from passend.accounts.access import _parse_code, school_q, scope_for
from passend.accounts.choices import Role
from passend.agreements.choices import AgreementStatus

#: School roles that see all werkafspraken of their school.
SCHOOL_ROLES = frozenset({Role.COORDINATOR, Role.DIRECTOR})
#: Reads werkafspraken of the schools they are consultant of (SWV-wide or assigned).
READ_ROLES = frozenset({Role.CONSULTANT})
DRAFT_ROLES = frozenset({Role.COORDINATOR})
ACKNOWLEDGE_ROLES = frozenset({Role.DIRECTOR})
EVALUATE_ROLES = frozenset({Role.COORDINATOR, Role.DIRECTOR})
RATE_ROLES = frozenset({Role.COORDINATOR})

TEMPLATE_READ_ROLES = frozenset(
    {
        Role.PARTNERSHIP_ADMIN,
        Role.CONSULTANT,
        Role.OFFICE,
        Role.DIRECTOR,
        Role.COORDINATOR,
        Role.BPO,
    }
)
TEMPLATE_EDIT_ROLES = frozenset({Role.PARTNERSHIP_ADMIN})
DESCRIPTION_READ_ROLES = frozenset(
    {Role.PARTNERSHIP_ADMIN, Role.CONSULTANT, Role.DIRECTOR, Role.COORDINATOR, Role.BPO}
)
DESCRIPTION_EDIT_ROLES = frozenset({Role.COORDINATOR, Role.DIRECTOR})


def _visible_q(user) -> Q:
    """Rows of werkafspraken, evaluations and profiles (all carry ``school`` and ``bpo``)."""
    return school_q(user, SCHOOL_ROLES | READ_ROLES) | Q(bpo=user)


def can(user, school, roles) -> bool:
    return scope_for(user).has_school_role(school, roles)


# --- Werkafspraken -------------------------------------------------------------------------------


def visible_agreements(user) -> QuerySet:
    from passend.agreements.models import WorkAgreement

    if not user.is_authenticated:
        return WorkAgreement.objects.none()
    return WorkAgreement.objects.filter(_visible_q(user))


def agreement_rights(user, agreement) -> dict[str, bool]:
    """What ``user`` may do with a visible agreement (the templates show buttons from this;
    the services check the same rules)."""
    draft = agreement.is_draft
    is_bpo = agreement.bpo_id == user.pk
    coordinator = can(user, agreement.school, DRAFT_ROLES)
    return {
        "edit": draft and coordinator,
        "confirm_coordinator": draft and coordinator and agreement.coordinator_confirmed_at is None,
        "confirm_bpo": draft and is_bpo and agreement.bpo_confirmed_at is None,
        "acknowledge": agreement.status == AgreementStatus.AGREED
        and can(user, agreement.school, ACKNOWLEDGE_ROLES),
        "evaluate": agreement.is_agreed and can(user, agreement.school, EVALUATE_ROLES),
    }


def get_agreement_for_user(user, code, *, action: str | None = None):
    """A werkafspraak the user may see (404), optionally with the right to ``action``: "edit",
    "confirm", "acknowledge" or "evaluate" (403 without it)."""
    agreement = (
        visible_agreements(user)
        .select_related("school", "school__partnership", "school_year", "bpo", "previous")
        .filter(code=_parse_code(code))
        .first()
    )
    if agreement is None:
        raise Http404
    if action is None:
        return agreement
    school = agreement.school
    allowed = {
        "edit": lambda: can(user, school, DRAFT_ROLES),
        "confirm": lambda: can(user, school, DRAFT_ROLES) or agreement.bpo_id == user.pk,
        "acknowledge": lambda: can(user, school, ACKNOWLEDGE_ROLES),
        "evaluate": lambda: can(user, school, EVALUATE_ROLES),
    }[action]()
    if not allowed:
        raise PermissionDenied
    return agreement


def agreement_schools(user, roles=SCHOOL_ROLES | READ_ROLES) -> QuerySet:
    """Schools whose werkafspraken list the user may open."""
    from passend.organisations.models import School

    if not user.is_authenticated:
        return School.objects.none()
    return School.objects.filter(school_q(user, roles, prefix=""))


def get_agreement_school(user, code, *, write: bool = False):
    """A school whose werkafspraken the user may list (404); ``write``: may draft new ones
    (403)."""
    school = agreement_schools(user).select_related("partnership").filter(code=_parse_code(code))
    school = school.first()
    if school is None:
        raise Http404
    if write and not can(user, school, DRAFT_ROLES):
        raise PermissionDenied
    return school


# --- Evaluations ---------------------------------------------------------------------------------


def visible_evaluations(user) -> QuerySet:
    from passend.agreements.models import AgreementEvaluation

    if not user.is_authenticated:
        return AgreementEvaluation.objects.none()
    return AgreementEvaluation.objects.filter(_visible_q(user))


def get_evaluation_for_user(user, code, *, write: bool = False):
    evaluation = (
        visible_evaluations(user)
        .select_related(
            "school", "school__partnership", "school_year", "bpo", "agreement", "coordinator"
        )
        .filter(code=_parse_code(code))
        .first()
    )
    if evaluation is None:
        raise Http404
    if write and not can(user, evaluation.school, EVALUATE_ROLES):
        raise PermissionDenied
    return evaluation


# --- Competency profiles -------------------------------------------------------------------------


def visible_profiles(user) -> QuerySet:
    from passend.agreements.models import CompetencyProfile

    if not user.is_authenticated:
        return CompetencyProfile.objects.none()
    return CompetencyProfile.objects.filter(_visible_q(user))


def profile_rights(user, profile) -> dict[str, bool]:
    return {
        "rate_self": profile.bpo_id == user.pk,
        "rate_coordinator": can(user, profile.school, RATE_ROLES) and profile.bpo_id != user.pk,
    }


def get_profile_for_user(user, code, *, write: bool = False):
    """A profile the user may see (404); ``write``: the BPO themself or the school's
    coordinator (403 otherwise)."""
    profile = (
        visible_profiles(user)
        .select_related("school", "school__partnership", "school_year", "bpo")
        .filter(code=_parse_code(code))
        .first()
    )
    if profile is None:
        raise Http404
    if write and not any(profile_rights(user, profile).values()):
        raise PermissionDenied
    return profile


# --- Task descriptions and the competency set ----------------------------------------------------


def template_partnership_ids(user, roles=TEMPLATE_READ_ROLES) -> frozenset[int]:
    """Partnerships whose template task description and competency set the user reads."""
    from passend.organisations.models import School

    scope = scope_for(user)
    school_ids = scope.school_ids(roles)
    via_schools = (
        set(School.objects.filter(pk__in=school_ids).values_list("partnership_id", flat=True))
        if school_ids
        else set()
    )
    return frozenset(scope.partnership_ids(roles) | via_schools)


def may_edit_template(user, partnership) -> bool:
    """Whether ``user`` maintains the partnership's template task description and competency
    set."""
    return partnership.pk in scope_for(user).partnership_ids(TEMPLATE_EDIT_ROLES)


def get_template_partnership(user, code, *, write: bool = False):
    from passend.organisations.models import Partnership

    partnership = Partnership.objects.filter(
        pk__in=template_partnership_ids(user), code=_parse_code(code)
    ).first()
    if partnership is None:
        raise Http404
    if write and not may_edit_template(user, partnership):
        raise PermissionDenied
    return partnership


def description_schools(user) -> QuerySet:
    from passend.organisations.models import School

    if not user.is_authenticated:
        return School.objects.none()
    return School.objects.filter(school_q(user, DESCRIPTION_READ_ROLES, prefix=""))


def get_description_school(user, code, *, write: bool = False):
    school = (
        description_schools(user)
        .select_related("partnership")
        .filter(code=_parse_code(code))
        .first()
    )
    if school is None:
        raise Http404
    if write and not can(user, school, DESCRIPTION_EDIT_ROLES):
        raise PermissionDenied
    return school
