"""The one access layer: what a user may see and do, derived from current memberships.

Rules (product.md):
- partnership roles (partnership_admin, consultant, office) see every school of their partnership;
- school roles (director, coordinator, bpo, partner, mentor) see only the schools they hold a
  role at;
- ``is_superuser`` opens Django's admin only and gives no tenant access here.
Outside the scope the answer is 404 (``Http404``), so existence is never confirmed; inside the
scope but without the right to act, it is 403 (``PermissionDenied``).

Views, commands and the API reach tenant data only through ``scope_for(user)`` and the
``get_*_for_user`` functions below (and the ``visible_to`` querysets built on them).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from passend.accounts.choices import Role


@dataclass(frozen=True)
class Scope:
    """The current roles of one user, resolved once per request."""

    # role -> partnership ids where the user holds that partnership role
    partnership_roles: dict[str, frozenset[int]] = field(default_factory=dict)
    # role -> school ids where the user holds that school role
    school_roles: dict[str, frozenset[int]] = field(default_factory=dict)
    # partnership id of every school the user holds a school role at
    school_partnerships: frozenset[int] = frozenset()

    @property
    def is_empty(self) -> bool:
        return not self.partnership_roles and not self.school_roles

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(self.partnership_roles) | frozenset(self.school_roles)

    def partnership_ids(self, roles: Iterable[str] | None = None) -> frozenset[int]:
        """Partnerships where the user holds one of ``roles`` SWV-wide (any role if None)."""
        ids: set[int] = set()
        for role, pids in self.partnership_roles.items():
            if roles is None or role in roles:
                ids |= pids
        return frozenset(ids)

    def school_ids(self, roles: Iterable[str] | None = None) -> frozenset[int]:
        wanted = set(roles) if roles is not None else None
        ids: set[int] = set()
        for role, sids in self.school_roles.items():
            if wanted is None or role in wanted:
                ids |= sids
        return frozenset(ids)

    def visible_partnership_ids(self) -> frozenset[int]:
        """Partnerships the user belongs to at all (through a partnership or a school role)."""
        return self.partnership_ids() | self.school_partnerships

    def schools(self, queryset: QuerySet) -> QuerySet:
        """Filter a School queryset to the schools this user may see."""
        if self.is_empty:
            return queryset.none()
        return queryset.filter(
            Q(partnership_id__in=self.partnership_ids()) | Q(pk__in=self.school_ids())
        )

    def has_school_role(self, school, roles: Iterable[str]) -> bool:
        """Whether the user holds one of ``roles`` at ``school``, SWV-wide or at the school."""
        roles = set(roles)
        return school.partnership_id in self.partnership_ids(roles) or school.pk in self.school_ids(
            roles
        )

    def can_see_school(self, school) -> bool:
        return school.partnership_id in self.partnership_ids() or school.pk in self.school_ids()


def build_scope(user) -> Scope:
    from passend.accounts.models import Membership

    if user is None or not user.is_authenticated or not user.is_active:
        return Scope()
    partnership_roles: dict[str, set[int]] = {}
    school_roles: dict[str, set[int]] = {}
    school_partnerships: set[int] = set()
    rows = (
        Membership.objects.current()
        .filter(user=user)
        .values_list("role", "partnership_id", "school_id")
    )
    for role, partnership_id, school_id in rows:
        if school_id is None:
            partnership_roles.setdefault(role, set()).add(partnership_id)
        else:
            school_roles.setdefault(role, set()).add(school_id)
            school_partnerships.add(partnership_id)
    return Scope(
        partnership_roles={k: frozenset(v) for k, v in partnership_roles.items()},
        school_roles={k: frozenset(v) for k, v in school_roles.items()},
        school_partnerships=frozenset(school_partnerships),
    )


def scope_for(user) -> Scope:
    """The user's scope, computed once and cached on the user object (i.e. per request)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Scope()
    cached = getattr(user, "_passend_scope", None)
    if cached is None:
        cached = build_scope(user)
        user._passend_scope = cached
    return cached


def forget_scope(user) -> None:
    """Drop the cached scope after memberships of ``user`` changed within a request."""
    for name in ("_passend_scope", "_passend_file_schools"):
        if hasattr(user, name):
            delattr(user, name)


# --- Lookups by public code --------------------------------------------------------------------
#: Who may change a school's own data (its SOT and profile).
SCHOOL_WRITE_ROLES = frozenset({Role.PARTNERSHIP_ADMIN, Role.DIRECTOR, Role.COORDINATOR})
#: Who may manage users and roles of a partnership.
USER_ADMIN_ROLES = frozenset({Role.PARTNERSHIP_ADMIN})


def school_q(user, roles: Iterable[str], prefix: str = "school__") -> Q:
    """A Q on rows with a school (``prefix``; ``""`` for School itself) where ``user`` holds
    one of ``roles``: SWV-wide at the school's partnership, or at the school."""
    scope = scope_for(user)
    return Q(**{f"{prefix}partnership_id__in": scope.partnership_ids(roles)}) | Q(
        **{f"{prefix}id__in": scope.school_ids(roles)}
    )


def _parse_code(code) -> UUID:
    try:
        return code if isinstance(code, UUID) else UUID(str(code))
    except (TypeError, ValueError):
        raise Http404 from None


def get_school_for_user(user, code, *, write: bool = False):
    """The school with public ``code`` if the user may see it (404 otherwise).

    ``write=True`` also requires a role that may change school data (403 otherwise).
    """
    from passend.organisations.models import School

    scope = scope_for(user)
    school = (
        School.objects.visible_to(user)
        .select_related("partnership", "board")
        .filter(code=_parse_code(code))
        .first()
    )
    if school is None:
        raise Http404
    if write and not scope.has_school_role(school, SCHOOL_WRITE_ROLES):
        raise PermissionDenied
    return school


def get_partnership_for_user(user, code, *, manage_users: bool = False):
    """The partnership with public ``code`` if the user belongs to it (404 otherwise).

    ``manage_users=True`` requires the partnership_admin role there (403 otherwise).
    """
    from passend.organisations.models import Partnership

    scope = scope_for(user)
    partnership = (
        Partnership.objects.filter(pk__in=scope.visible_partnership_ids())
        .filter(code=_parse_code(code))
        .first()
    )
    if partnership is None:
        raise Http404
    if manage_users and partnership.pk not in scope.partnership_ids(USER_ADMIN_ROLES):
        raise PermissionDenied
    return partnership


def visible_partnerships(user) -> QuerySet:
    from passend.organisations.models import Partnership

    return Partnership.objects.filter(pk__in=scope_for(user).visible_partnership_ids())


def get_member_for_admin(acting_user, partnership, user_code):
    """A user who holds (or held) a role in ``partnership``, for its partnership_admin."""
    from passend.accounts.models import User

    get_partnership_for_user(acting_user, partnership.code, manage_users=True)
    user = (
        User.objects.filter(memberships__partnership=partnership, code=_parse_code(user_code))
        .distinct()
        .first()
    )
    if user is None:
        raise Http404
    return user


def get_membership_for_admin(acting_user, partnership, membership_code):
    from passend.accounts.models import Membership

    get_partnership_for_user(acting_user, partnership.code, manage_users=True)
    membership = (
        Membership.objects.filter(partnership=partnership, code=_parse_code(membership_code))
        .select_related("user", "school")
        .first()
    )
    if membership is None:
        raise Http404
    return membership
