"""Consent (toestemming) and the sharing of cases with SOT partners: record and withdraw a
consent, share a case with a domain or a named partner and stop sharing, and what the pages show
about them (the status of each consent, whether a valid consent covers each share).

A partner sees a case only while a share AND a valid consent cover them
(passend.caseload.access.partner_access); sharing without consent is allowed — the share alone
gives no access — and the pages warn about it. Under 16 a guardian with legal authority consents,
from 16 the student (age on the day of consent, passend.students.models.CONSENT_AGE).

Only the school's coordinator and BPOs (passend.students.access.file_school_ids) record consent
and share. Every change writes an audit event with codes only: never the purpose text.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from passend.accounts.access import _parse_code
from passend.accounts.choices import Role
from passend.audit.services import record
from passend.caseload import access
from passend.caseload.choices import ConsentGiver
from passend.caseload.models import CaseShare, Consent
from passend.organisations.choices import Domain
from passend.students.access import file_school_ids
from passend.students.models import CONSENT_AGE

PURPOSE_MAX = 300

# Status codes of a consent on a day (``consent_status``).
VALID = "valid"
NOT_YET = "not_yet"
EXPIRED = "expired"
WITHDRAWN = "withdrawn"
TURNED_16 = "turned_16"
NO_AUTHORITY = "no_authority"
TOO_YOUNG = "too_young"


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def may_manage(user, school_id: int) -> bool:
    """Record consent and share cases at a school: its coordinator and BPOs."""
    return school_id in file_school_ids(user)


# --- Lookups (built on the access rules; 404 outside the scope) -------------------------------


def get_consent_for_user(user, code) -> Consent:
    """A consent of a student whose file ``user`` may open (404 otherwise)."""
    consent = (
        Consent.objects.filter(student__school_id__in=file_school_ids(user), code=_parse_code(code))
        .select_related("student", "student__school", "student__school__partnership", "guardian")
        .first()
    )
    if consent is None:
        raise Http404
    return consent


def get_share_for_user(user, code) -> CaseShare:
    """A share of a case ``user`` may see (404), whose case they work in (403)."""
    share = (
        CaseShare.objects.filter(case__in=access.visible_cases(user), code=_parse_code(code))
        .select_related("case", "case__school", "case__school__partnership", "partner")
        .first()
    )
    if share is None:
        raise Http404
    _require(access.can_work(user, share.case))
    return share


def partner_users(school) -> QuerySet:
    """Users holding the partner role at ``school`` today (the named partners one can choose)."""
    from passend.accounts.models import Membership, User

    ids = (
        Membership.objects.current()
        .filter(school=school, role=Role.PARTNER)
        .values_list("user_id", flat=True)
    )
    return User.objects.filter(pk__in=ids, is_active=True).order_by("full_name", "pk")


# --- Validation --------------------------------------------------------------------------------


def _scope_errors(school, domain: str, partner, errors: dict) -> None:
    """Exactly one of a domain (one of the SOT domains) and a partner of ``school``."""
    if domain and partner is not None:
        errors.setdefault("partner", []).append(_("Kies een domein óf een partner, niet allebei."))
    elif not domain and partner is None:
        errors.setdefault("domain", []).append(_("Kies een domein of een partner."))
    elif domain and domain not in Domain.values:
        errors.setdefault("domain", []).append(_("Kies een van de domeinen van het SOT."))
    elif partner is not None and not partner_users(school).filter(pk=partner.pk).exists():
        errors.setdefault("partner", []).append(
            _("Deze persoon is geen partner van het SOT van deze school.")
        )


def _giver_errors(student, given_by: str, guardian, given_on, errors: dict) -> None:
    """Under 16 a guardian of this student with legal authority, from 16 the student."""
    if given_by not in ConsentGiver.values:
        errors.setdefault("given_by", []).append(_("Kies wie de toestemming gaf."))
        return
    if given_on is None:
        return
    age = student.age_on(given_on)
    if given_by == ConsentGiver.GUARDIAN:
        if age >= CONSENT_AGE:
            errors.setdefault("given_by", []).append(
                _(
                    "De leerling was op die datum %(age)s jaar. Vanaf 16 jaar beslist de "
                    "leerling zelf: leg de toestemming van de leerling vast."
                )
                % {"age": age}
            )
        if guardian is None:
            errors.setdefault("guardian", []).append(
                _("Kies de ouder/verzorger die toestemming gaf.")
            )
        elif guardian.student_id != student.pk:
            errors.setdefault("guardian", []).append(
                _("Deze ouder/verzorger hoort niet bij deze leerling.")
            )
        elif not guardian.has_authority:
            errors.setdefault("guardian", []).append(
                _("Alleen een ouder/verzorger met gezag kan toestemming geven.")
            )
    elif age < CONSENT_AGE:
        errors.setdefault("given_by", []).append(
            _(
                "De leerling was op die datum %(age)s jaar. Onder de 16 geeft een "
                "ouder/verzorger met gezag toestemming."
            )
            % {"age": age}
        )


def _date_errors(given_on, expires_on, today, errors: dict) -> None:
    if given_on is None:
        errors.setdefault("given_on", []).append(_("Vul de datum van de toestemming in."))
    elif given_on > today:
        errors.setdefault("given_on", []).append(
            _("De datum van de toestemming ligt in de toekomst.")
        )
    elif expires_on is not None and expires_on < given_on:
        errors.setdefault("expires_on", []).append(
            _("De einddatum ligt vóór de datum van de toestemming.")
        )


# --- Consent -----------------------------------------------------------------------------------


def record_consent(
    student,
    *,
    given_by: str,
    guardian=None,
    domain: str = "",
    partner=None,
    purpose: str,
    given_on: datetime.date | None,
    expires_on: datetime.date | None = None,
    acting_user,
) -> Consent:
    """Record a consent for ``student`` to share their case with a domain or a named partner.
    Raises ValidationError with per-field errors; nothing is written then."""
    _require(may_manage(acting_user, student.school_id))
    purpose = (purpose or "").strip()
    errors: dict[str, list[str]] = {}
    _giver_errors(student, given_by, guardian, given_on, errors)
    _scope_errors(student.school, domain or "", partner, errors)
    _date_errors(given_on, expires_on, timezone.localdate(), errors)
    if not purpose:
        errors.setdefault("purpose", []).append(_("Beschrijf het doel van het delen."))
    elif len(purpose) > PURPOSE_MAX:
        errors.setdefault("purpose", []).append(
            _("Het doel is te lang (hooguit %(n)s tekens).") % {"n": PURPOSE_MAX}
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        consent = Consent.objects.create(
            partnership_id=student.partnership_id,
            school_id=student.school_id,
            student=student,
            given_by=given_by,
            guardian=guardian if given_by == ConsentGiver.GUARDIAN else None,
            domain=domain or "",
            partner=partner,
            purpose=purpose,
            given_on=given_on,
            expires_on=expires_on,
            recorded_by=acting_user,
        )
        record(
            "consent.record",
            actor=acting_user,
            obj=consent,
            school=student.school,
            student=str(student.code),
            given_by=given_by,
            domain=consent.domain,
            partner=str(partner.code) if partner is not None else "",
            given_on=given_on.isoformat(),
            expires_on=expires_on.isoformat() if expires_on else "",
        )
    return consent


def withdraw_consent(
    consent: Consent, *, withdrawn_on: datetime.date | None = None, acting_user
) -> Consent:
    """Withdraw a consent from ``withdrawn_on`` (today by default): from that day no partner
    sees the case through it."""
    _require(may_manage(acting_user, consent.school_id))
    today = timezone.localdate()
    withdrawn_on = withdrawn_on or today
    if consent.withdrawn_on is not None:
        raise ValidationError({"withdrawn_on": _("Deze toestemming is al ingetrokken.")})
    if withdrawn_on < consent.given_on:
        raise ValidationError(
            {"withdrawn_on": _("De intrekking ligt vóór de datum van de toestemming.")}
        )
    if withdrawn_on > today:
        raise ValidationError({"withdrawn_on": _("De intrekking ligt in de toekomst.")})
    with transaction.atomic():
        consent.withdrawn_on = withdrawn_on
        consent.save(update_fields=["withdrawn_on"])
        record(
            "consent.withdraw",
            actor=acting_user,
            obj=consent,
            school=consent.school,
            student=str(consent.student.code),
            withdrawn_on=withdrawn_on.isoformat(),
        )
    return consent


@dataclass(frozen=True)
class ConsentRow:
    consent: Consent
    status: str

    @property
    def is_valid(self) -> bool:
        return self.status == VALID

    @property
    def may_withdraw(self) -> bool:
        return self.consent.withdrawn_on is None

    @property
    def status_label(self) -> str:
        c = self.consent
        labels = {
            VALID: _("Geldig"),
            NOT_YET: _("Nog niet geldig"),
            EXPIRED: _("Verlopen"),
            WITHDRAWN: _("Ingetrokken"),
            TURNED_16: _("Niet meer geldig: de leerling is 16 geworden en beslist nu zelf"),
            NO_AUTHORITY: _("Niet geldig: de ouder/verzorger heeft geen gezag"),
            TOO_YOUNG: _("Niet geldig: de leerling was jonger dan 16"),
        }
        label = labels[self.status]
        if self.status == WITHDRAWN:
            label = _("Ingetrokken op %(date)s") % {"date": _date(c.withdrawn_on)}
        elif self.status == EXPIRED:
            label = _("Verlopen op %(date)s") % {"date": _date(c.expires_on)}
        return label


def _date(day: datetime.date) -> str:
    from django.utils.formats import date_format

    return date_format(day, "j F Y")


def consent_status(consent: Consent, on: datetime.date | None = None) -> str:
    """Why a consent is (not) valid on ``on`` (today); consistent with Consent.is_valid_on."""
    on = on or timezone.localdate()
    if consent.is_valid_on(on):
        return VALID
    if consent.withdrawn_on is not None and consent.withdrawn_on <= on:
        return WITHDRAWN
    if on < consent.given_on:
        return NOT_YET
    if consent.expires_on is not None and on > consent.expires_on:
        return EXPIRED
    if consent.given_by == ConsentGiver.STUDENT:
        return TOO_YOUNG
    if consent.guardian is None or not consent.guardian.has_authority:
        return NO_AUTHORITY
    return TURNED_16


def student_consents(student, on: datetime.date | None = None) -> list[ConsentRow]:
    """The student's consents, newest first, with their status (one query)."""
    consents = Consent.objects.filter(student=student).select_related("guardian", "partner")
    rows = []
    for consent in consents:
        consent.student = student
        rows.append(ConsentRow(consent, consent_status(consent, on)))
    return rows


# --- Sharing -----------------------------------------------------------------------------------


def share_case(case, *, domain: str = "", partner=None, acting_user) -> CaseShare:
    """Share ``case`` with an SOT domain or a named partner of the school from today. Allowed
    without consent (the share alone gives no access): ``share_coverage`` tells the page."""
    _require(access.can_work(acting_user, case))
    errors: dict[str, list[str]] = {}
    _scope_errors(case.school, domain or "", partner, errors)
    if errors:
        raise ValidationError(errors)
    today = timezone.localdate()
    active = CaseShare.objects.filter(case=case).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=today)
    )
    if domain and active.filter(domain=domain).exists():
        raise ValidationError({"domain": _("De casus is al gedeeld met dit domein.")})
    if partner is not None and active.filter(partner=partner).exists():
        raise ValidationError({"partner": _("De casus is al gedeeld met deze partner.")})
    with transaction.atomic():
        share = CaseShare.objects.create(
            case=case,
            domain=domain or "",
            partner=partner,
            shared_by=acting_user,
            shared_on=today,
        )
        record(
            "case.share",
            actor=acting_user,
            obj=share,
            school=case.school,
            case=str(case.code),
            domain=share.domain,
            partner=str(partner.code) if partner is not None else "",
        )
    return share


def end_share(share: CaseShare, *, acting_user) -> CaseShare:
    """Stop sharing from today: the partner loses access at once."""
    _require(access.can_work(acting_user, share.case))
    if share.ended_on is not None and share.ended_on <= timezone.localdate():
        raise ValidationError(_("Het delen is al gestopt."), code="ended")
    with transaction.atomic():
        share.ended_on = max(timezone.localdate(), share.shared_on)
        share.save(update_fields=["ended_on"])
        record(
            "case.share_end",
            actor=acting_user,
            obj=share,
            school=share.case.school,
            case=str(share.case.code),
        )
    return share


@dataclass(frozen=True)
class ShareRow:
    share: CaseShare
    covering: list[Consent]
    is_active: bool

    @property
    def is_covered(self) -> bool:
        return bool(self.covering)


def share_coverage(case, on: datetime.date | None = None) -> list[ShareRow]:
    """The case's shares (active first), each with the consents valid on ``on`` that cover it:
    for a domain the consents for that domain or for a named partner in it; for a named partner
    the consents naming them or for one of their SOT domains at the school. Three queries."""
    from passend.organisations.models import SupportTeamMember

    on = on or timezone.localdate()
    shares = list(
        CaseShare.objects.filter(case=case).select_related("partner").order_by("-shared_on", "-pk")
    )
    if not shares:
        return []
    valid = [
        c
        for c in Consent.objects.filter(student_id=case.student_id).select_related(
            "student", "guardian", "partner"
        )
        if c.is_valid_on(on)
    ]
    domains_of: dict[int, set[str]] = {}  # the school's SOT: a handful of people
    for user_id, domain in SupportTeamMember.objects.filter(
        school_id=case.school_id, user__isnull=False
    ).values_list("user_id", "domain"):
        domains_of.setdefault(user_id, set()).add(domain)
    rows = []
    for share in shares:
        if share.partner_id:
            mine = domains_of.get(share.partner_id, set())
            covering = [c for c in valid if c.covers(user_id=share.partner_id, domains=mine)]
        else:
            covering = [
                c
                for c in valid
                if c.domain == share.domain
                or (c.partner_id and share.domain in domains_of.get(c.partner_id, set()))
            ]
        active = share.shared_on <= on and (share.ended_on is None or share.ended_on > on)
        rows.append(ShareRow(share, covering, active))
    rows.sort(key=lambda row: not row.is_active)
    return rows


def is_covered(share: CaseShare, on: datetime.date | None = None) -> bool:
    """Whether a consent valid on ``on`` (today) covers ``share``."""
    return any(row.is_covered for row in share_coverage(share.case, on) if row.share.pk == share.pk)
