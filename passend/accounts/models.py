"""People and what they may do: users log in with e-mail; memberships give roles."""

import uuid
from datetime import date

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from passend.accounts.choices import PARTNERSHIP_ONLY_ROLES, SCHOOL_ONLY_ROLES, Role


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra) -> "User":
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)  # None gives an unusable password (invite first)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra) -> "User":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> "User":
        # E-mail addresses are stored lower-case; log-in is case-insensitive.
        return self.get(email__iexact=username or "")


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in (gebruiker). Identified by e-mail; roles come from memberships.

    ``is_staff``/``is_superuser`` only open Django's admin for technical maintenance; they give
    no access to tenant data in passend itself, which goes through memberships alone.
    """

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("e-mailadres"), max_length=254, unique=True)
    full_name = models.CharField(_("naam"), max_length=150)
    phone = models.CharField(_("telefoonnummer"), max_length=30, blank=True)
    is_active = models.BooleanField(_("actief"), default=True)
    is_staff = models.BooleanField(_("toegang tot beheer"), default=False)
    date_joined = models.DateTimeField(_("aangemaakt"), default=timezone.now)
    # The weekly e-mail of what is due (passend digest; counts and links only, never names).
    due_digest = models.BooleanField(_("wekelijkse e-mail met wat er te doen is"), default=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        ordering = ["full_name", "email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class MembershipQuerySet(models.QuerySet["Membership"]):
    def current(self, on: date | None = None) -> "MembershipQuerySet":
        """Memberships valid on ``on`` (today by default): started and not yet ended."""
        on = on or timezone.localdate()
        return self.filter(valid_from__lte=on).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=on)
        )

    def during(self, school_year) -> "MembershipQuerySet":
        """Memberships valid on at least one day of ``school_year``."""
        return self.filter(valid_from__lte=school_year.end).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=school_year.start)
        )


class Membership(models.Model):
    """A role of a person in a partnership or at one school, for a date range (lidmaatschap).

    Partnership roles (partnership_admin, office) have no school; school roles have one; a
    consultant is held either for the whole partnership or at each assigned school.
    ``partnership`` is always set (the tenant key), also for school roles, so that every query
    can be scoped by partnership without a join.
    """

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("gebruiker")
    )
    partnership = models.ForeignKey(
        "organisations.Partnership",
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("samenwerkingsverband"),
    )
    school = models.ForeignKey(
        "organisations.School",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("school"),
    )
    role = models.CharField(_("rol"), max_length=32, choices=Role.choices)
    valid_from = models.DateField(_("geldig vanaf"), default=timezone.localdate)
    valid_until = models.DateField(_("geldig tot en met"), null=True, blank=True)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("rol")
        verbose_name_plural = _("rollen")
        ordering = ["-valid_from"]
        indexes = [models.Index(fields=["user", "valid_from", "valid_until"])]
        constraints = [
            models.CheckConstraint(
                name="membership_school_matches_role",
                condition=(
                    Q(role__in=sorted(PARTNERSHIP_ONLY_ROLES), school__isnull=True)
                    | Q(role__in=sorted(SCHOOL_ONLY_ROLES), school__isnull=False)
                    | Q(role=Role.CONSULTANT)
                ),
                violation_error_message=_(
                    "Een SWV-rol hoort bij het samenwerkingsverband, een schoolrol bij één school."
                ),
            ),
            models.CheckConstraint(
                name="membership_dates_in_order",
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                violation_error_message=_("De einddatum ligt vóór de begindatum."),
            ),
        ]

    def __str__(self) -> str:
        place = self.school or self.partnership
        return f"{self.user} – {self.get_role_display()} – {place}"

    def is_current(self, on: date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.valid_from <= on and (self.valid_until is None or self.valid_until >= on)
