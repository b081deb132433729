"""The school support team (SOT) per school year: its members by domain, with or without an
account. A member with an account and the partner role at the school is the "partner" of the
caseload's access rule (passend.caseload.access.partner_domains): their domain here decides
which shared cases they may open, so changes are audited.

The coordinator, who has the SOT's *regie* (seed 000 §2), and the director manage it; everyone
who sees the school sees who is in it (no student data).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from passend.accounts.access import get_school_for_user, scope_for
from passend.accounts.choices import Role
from passend.audit.services import record
from passend.organisations.choices import Domain
from passend.organisations.models import SchoolYear, SupportTeam, SupportTeamMember

MANAGE_ROLES = frozenset({Role.COORDINATOR, Role.DIRECTOR})
#: Who can be a member with an account: SOT partners, and the school's own coordinator/BPOs.
MEMBER_ROLES = (Role.PARTNER, Role.COORDINATOR, Role.BPO)


def may_manage(user, school) -> bool:
    return school.pk in scope_for(user).school_ids(MANAGE_ROLES)


def get_team_school(user, code, *, write: bool = False):
    school = get_school_for_user(user, code)
    if write and not may_manage(user, school):
        raise PermissionDenied
    return school


def members(school, year: SchoolYear) -> QuerySet:
    return (
        SupportTeamMember.objects.filter(school=school, team__school_year=year)
        .select_related("user")
        .order_by("domain", "name", "pk")
    )


def member_user_choices(school) -> QuerySet:
    """Users who can be linked to a member: the partner, coordinator or BPO role at the school
    today."""
    from passend.accounts.models import Membership, User

    ids = (
        Membership.objects.current()
        .filter(school=school, role__in=MEMBER_ROLES)
        .values_list("user_id", flat=True)
    )
    return User.objects.filter(pk__in=ids, is_active=True).order_by("full_name", "pk")


def _team(school, year: SchoolYear) -> SupportTeam:
    team, _created = SupportTeam.objects.get_or_create(
        school=school, school_year=year, defaults={"partnership_id": school.partnership_id}
    )
    return team


def add_member(
    school,
    *,
    year: SchoolYear,
    user,
    name: str,
    function: str,
    domain: str,
    organisation: str,
    acting_user,
) -> SupportTeamMember:
    if not may_manage(acting_user, school):
        raise PermissionDenied
    errors = {}
    if domain not in Domain.values:
        errors["domain"] = _("Kies een van de mogelijkheden.")
    if user is not None and not member_user_choices(school).filter(pk=user.pk).exists():
        errors["user"] = _(
            "Deze persoon heeft geen rol als partner, coördinator of bpo'er op de school."
        )
    name = (name or "").strip() or (user.full_name if user is not None else "")
    if not name:
        errors["name"] = _("Vul de naam in of kies een gebruiker.")
    if user is not None and members(school, year).filter(user=user).exists():
        errors["user"] = _("Deze persoon is al lid van het SOT in dit schooljaar.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        member = SupportTeamMember.objects.create(
            team=_team(school, year),
            school=school,
            user=user,
            name=name[:150],
            function=(function or "").strip()[:150],
            domain=domain,
            organisation=(organisation or "").strip()[:200],
        )
        record(
            "sot.member_added",
            actor=acting_user,
            obj=member,
            school=school,
            school_year=year.name,
            domain=domain,
            user=str(user.code) if user is not None else "",
        )
    return member


def remove_member(member: SupportTeamMember, *, acting_user) -> None:
    if not may_manage(acting_user, member.school):
        raise PermissionDenied
    with transaction.atomic():
        record(
            "sot.member_removed",
            actor=acting_user,
            obj=member,
            school=member.school,
            school_year=member.team.school_year.name,
            domain=member.domain,
            user=str(member.user.code) if member.user_id else "",
        )
        member.delete()


def copy_previous_year(school, year: SchoolYear, *, acting_user) -> int:
    """Copy last school year's members who are not in this year's team yet; the number copied."""
    if not may_manage(acting_user, school):
        raise PermissionDenied
    previous = SchoolYear.objects.filter(start__lt=year.start).order_by("-start").first()
    if previous is None:
        return 0
    present = {(m.user_id, m.name, m.domain) for m in members(school, year)}
    new = [m for m in members(school, previous) if (m.user_id, m.name, m.domain) not in present]
    if not new:
        return 0
    with transaction.atomic():
        team = _team(school, year)
        SupportTeamMember.objects.bulk_create(
            [
                SupportTeamMember(
                    team=team,
                    school=school,
                    user=m.user,
                    name=m.name,
                    function=m.function,
                    domain=m.domain,
                    organisation=m.organisation,
                )
                for m in new
            ]
        )
        record(
            "sot.members_copied",
            actor=acting_user,
            school=school,
            school_year=year.name,
            from_year=previous.name,
            count=len(new),
        )
    return len(new)
