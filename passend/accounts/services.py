"""Mutations of accounts and roles. Each runs in a transaction and writes its audit event."""

from datetime import date

from django.contrib.auth import login, logout
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from passend.accounts.access import USER_ADMIN_ROLES, forget_scope, scope_for
from passend.accounts.choices import PARTNERSHIP_ONLY_ROLES
from passend.accounts.middleware import SESSION_STARTED_KEY
from passend.accounts.models import Membership, User
from passend.audit.services import record


def do_log_in(request: HttpRequest, user: User) -> None:
    """Log ``user`` in (new session key, so a planted session id is useless) and audit it."""
    login(request, user)
    request.session[SESSION_STARTED_KEY] = timezone.now().timestamp()
    record("auth.login", actor=user, request=request)


def do_record_failed_login(request: HttpRequest, email: str) -> None:
    # The attempted address is kept (truncated) to spot attacks; the password never is.
    # NUL bytes are dropped: PostgreSQL refuses them in text columns.
    record("auth.login_failed", request=request, actor_label=email.replace("\x00", "")[:254])


def do_log_out(request: HttpRequest) -> None:
    if request.user.is_authenticated:
        record("auth.logout", actor=request.user, request=request)
    logout(request)


def do_verify_two_factor(request: HttpRequest, device) -> None:
    from django_otp import login as otp_login

    otp_login(request, device)
    record("auth.two_factor_verified", actor=request.user, request=request)


def do_confirm_totp_device(request: HttpRequest, device) -> None:
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        record("auth.two_factor_enrolled", actor=request.user, request=request)
    do_verify_two_factor(request, device)


def _require_user_admin(acting_user: User, partnership) -> None:
    if partnership.pk not in scope_for(acting_user).partnership_ids(USER_ADMIN_ROLES):
        raise PermissionDenied


def do_add_person(
    *,
    partnership,
    full_name: str,
    email: str,
    role: str,
    school=None,
    valid_from: date,
    valid_until: date | None = None,
    acting_user: User,
    request=None,
) -> Membership:
    """Give a person their first role here, creating the account when the e-mail is new.

    An existing account (for instance a BPO who also works in another partnership) gets the role
    added; the answer is the same either way, so another partnership's people are not revealed.
    A new account has no usable password: an invitation with a set-password link is sent.
    """
    _require_user_admin(acting_user, partnership)
    email = email.strip().lower()
    with transaction.atomic():
        user = User.objects.filter(email__iexact=email).first()
        created = user is None
        if created:
            user = User.objects.create_user(email=email, password=None, full_name=full_name)
            record(
                "user.create", actor=acting_user, obj=user, partnership=partnership, request=request
            )
        membership = do_grant_membership(
            user=user,
            partnership=partnership,
            role=role,
            school=school,
            valid_from=valid_from,
            valid_until=valid_until,
            acting_user=acting_user,
            request=request,
        )
    if created:
        send_invitation(user, request=request)
    return membership


def send_invitation(user: User, *, request=None) -> None:
    """E-mail a link to choose a password (Django's password-reset token, single use)."""
    from passend.accounts.forms import PasswordResetForm

    form = PasswordResetForm({"email": user.email})
    if form.is_valid():
        form.save(
            request=request,
            use_https=bool(request and request.is_secure()),
            domain_override=request.get_host() if request else "localhost",
            subject_template_name="accounts/email/invitation_subject.txt",
            email_template_name="accounts/email/invitation.txt",
        )


def do_grant_membership(
    *,
    user: User,
    partnership,
    role: str,
    school=None,
    valid_from: date,
    valid_until: date | None = None,
    acting_user: User,
    request=None,
) -> Membership:
    _require_user_admin(acting_user, partnership)
    if school is not None and school.partnership_id != partnership.pk:
        raise PermissionDenied
    if role in PARTNERSHIP_ONLY_ROLES:
        school = None
    with transaction.atomic():
        duplicate = (
            Membership.objects.current(valid_from)
            .filter(user=user, partnership=partnership, role=role, school=school)
            .exists()
        )
        if duplicate:
            raise ValidationError({"role": _("Deze persoon heeft deze rol hier al.")})
        membership = Membership(
            user=user,
            partnership=partnership,
            school=school,
            role=role,
            valid_from=valid_from,
            valid_until=valid_until,
        )
        membership.full_clean()
        membership.save()
        record(
            "membership.grant",
            actor=acting_user,
            obj=membership,
            partnership=partnership,
            school=school,
            request=request,
            role=role,
            user=str(user.code),
        )
    forget_scope(user)
    return membership


def do_end_membership(
    *, membership: Membership, valid_until: date, acting_user: User, request=None
) -> Membership:
    _require_user_admin(acting_user, membership.partnership)
    if valid_until < membership.valid_from:
        raise ValidationError({"valid_until": _("De einddatum ligt vóór de begindatum.")})
    with transaction.atomic():
        membership.valid_until = valid_until
        membership.save(update_fields=["valid_until"])
        record(
            "membership.end",
            actor=acting_user,
            obj=membership,
            request=request,
            valid_until=valid_until.isoformat(),
        )
    forget_scope(membership.user)
    return membership
