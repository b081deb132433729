"""The appointment procedure of a new BPO (seed 000 §5) as services: start, tick or untick a
step, cancel, complete. Each runs in a transaction, checks the actor's right and writes its
audit event.

Who may tick which step is decided in one place, :data:`STEP_ROLES`: the school's director or
coordinator runs the procedure and may tick every step; the consultant of the school ticks the
introduction meeting (kennismaking met de consulent); the SWV office ticks the two steps that are
its own (persoonsgegevens ontvangen, opgenomen in het overzicht). The partnership_admin only
reads.

Completing a procedure makes the candidate a BPO of the school: the account is created when the
e-mail address is new (unusable password, invitation e-mail as
``passend.accounts.services.do_add_person`` does), the bpo role at the school is granted and the
assignment is created through ``passend.staffing.services.create_assignment``.

The role is granted here, not through ``do_grant_membership``: that service is for the
partnership_admin (user management), while the appointment is the school's own decision. The
path is narrow: only the bpo role, only at the procedure's school, only from a completed
procedure whose five steps are done, by the school's director or coordinator; its audit event
(``membership.grant``) names the procedure.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from passend.accounts.access import forget_scope, scope_for
from passend.accounts.choices import Role
from passend.accounts.models import Membership, User
from passend.audit.services import record
from passend.staffing import access
from passend.staffing.choices import ProcedureStatus, ProcedureStep
from passend.staffing.models import AppointmentProcedure, AppointmentStep
from passend.staffing.rules import ASPECT_13, RuleResult

#: Who may tick (and untick) each step, besides nobody else: roles held at the procedure's
#: school (or SWV-wide for the partnership roles office and consultant).
RUN_ROLES = frozenset({Role.DIRECTOR, Role.COORDINATOR})
STEP_ROLES: dict[str, frozenset[str]] = {
    ProcedureStep.TASKS_AGREED: RUN_ROLES,
    ProcedureStep.QUALIFICATIONS_CHECKED: RUN_ROLES,
    ProcedureStep.INTRODUCTION_MEETING: RUN_ROLES | {Role.CONSULTANT},
    ProcedureStep.DETAILS_TO_OFFICE: RUN_ROLES | {Role.OFFICE},
    ProcedureStep.ADDED_TO_DIRECTORY: RUN_ROLES | {Role.OFFICE},
}
#: Steps whose tick needs a date: the day of the introduction meeting.
DATE_REQUIRED = frozenset({ProcedureStep.INTRODUCTION_MEETING})
STEP_ORDER = list(ProcedureStep.values)


def may_tick(user, procedure: AppointmentProcedure, step: str) -> bool:
    roles = STEP_ROLES.get(step)
    return roles is not None and scope_for(user).has_school_role(procedure.school, roles)


def may_run(user, procedure: AppointmentProcedure) -> bool:
    return scope_for(user).has_school_role(procedure.school, RUN_ROLES)


def _require_open(procedure: AppointmentProcedure) -> None:
    if procedure.status != ProcedureStatus.OPEN:
        raise ValidationError(_("Deze procedure is afgerond of gestopt en kan niet meer wijzigen."))


# --- The candidate's qualifications ------------------------------------------------------------


def candidate_account(procedure: AppointmentProcedure) -> User | None:
    """The candidate's account: linked, or found by the e-mail address (one query at most)."""
    if procedure.candidate_id is not None:
        return procedure.candidate
    return User.objects.filter(email__iexact=procedure.candidate_email).first()


def candidate_verdict(procedure: AppointmentProcedure, viewer) -> RuleResult | None:
    """The aspect-13 verdict on the candidate's recorded qualifications, or None.

    None when the candidate has no account, no qualifications, or when ``viewer`` may not read
    that person's qualifications (passend.staffing.access.visible_people): a typed-in e-mail
    address must not reveal whether someone has an account or what they studied.
    """
    candidate = candidate_account(procedure)
    if candidate is None:
        return None
    if not access.visible_people(viewer).filter(pk=candidate.pk).exists():
        return None
    kinds = list(candidate.qualifications.values_list("kind", flat=True))
    if not kinds:
        return None
    return ASPECT_13.evaluate(kinds)


# --- Start ---------------------------------------------------------------------------------------


def start_procedure(
    *,
    school,
    school_year,
    candidate_name: str,
    candidate_email: str,
    planned_hours_per_week: Decimal,
    employment_type: str,
    planned_start: datetime.date,
    acting_user,
    request=None,
) -> AppointmentProcedure:
    """Open the checklist for a candidate at ``school``, with its five steps still to do."""
    if not access.can(acting_user, school, RUN_ROLES):
        raise PermissionDenied
    email = candidate_email.strip().lower()
    if not (school_year.start <= planned_start <= school_year.end):
        raise ValidationError(
            {
                "planned_start": _("De begindatum valt niet in schooljaar %(year)s.")
                % {"year": school_year.name}
            }
        )
    with transaction.atomic():
        # One start at a time per school, so a double submit cannot open two procedures.
        type(school).objects.select_for_update().filter(pk=school.pk).first()
        open_already = AppointmentProcedure.objects.filter(
            school=school, candidate_email__iexact=email, status=ProcedureStatus.OPEN
        ).exists()
        if open_already:
            raise ValidationError(
                {"candidate_email": _("Voor deze kandidaat loopt al een procedure op deze school.")}
            )
        procedure = AppointmentProcedure(
            partnership=school.partnership,
            school=school,
            school_year=school_year,
            candidate_name=candidate_name.strip(),
            candidate_email=email,
            candidate=User.objects.filter(email__iexact=email).first(),
            planned_hours_per_week=planned_hours_per_week,
            employment_type=employment_type,
            planned_start=planned_start,
            started_by=acting_user,
        )
        procedure.full_clean()
        procedure.save()
        AppointmentStep.objects.bulk_create(
            AppointmentStep(procedure=procedure, step=step) for step in STEP_ORDER
        )
        record(
            "procedure.start",
            actor=acting_user,
            obj=procedure,
            request=request,
            school_year=school_year.name,
        )
    return procedure


# --- Steps ---------------------------------------------------------------------------------------


def _step(procedure: AppointmentProcedure, step: str) -> AppointmentStep:
    # Steps are created with the procedure; get_or_create covers a procedure made elsewhere.
    row, _created = AppointmentStep.objects.select_for_update().get_or_create(
        procedure=procedure, step=step
    )
    return row


def tick_step(
    procedure: AppointmentProcedure,
    step: str,
    *,
    acting_user,
    date: datetime.date | None = None,
    note: str = "",
    request=None,
) -> AppointmentStep:
    """Mark ``step`` done (or change the date and note of a done step)."""
    if step not in STEP_ROLES:
        raise ValidationError(_("Onbekende stap."))
    if not may_tick(acting_user, procedure, step):
        raise PermissionDenied
    note = note.strip()
    errors = {}
    if step in DATE_REQUIRED and date is None:
        errors["date"] = _("Vul de datum van de kennismaking in.")
    if step == ProcedureStep.QUALIFICATIONS_CHECKED and not note:
        verdict = candidate_verdict(procedure, acting_user)
        if verdict is None or not verdict.met:
            errors["note"] = _(
                "Noteer welke diploma's je hebt getoetst aan aspect 13 van het kwaliteitskader "
                "en met welke uitkomst."
            )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _require_open(procedure)
        row = _step(procedure, step)
        was_done = row.is_done
        if not was_done:
            row.done_at = timezone.now()
            row.done_by = acting_user
        row.date = date
        row.note = note
        row.full_clean()
        row.save()
        record(
            "procedure.step_update" if was_done else "procedure.step_done",
            actor=acting_user,
            obj=procedure,
            request=request,
            step=step,
        )
    return row


def untick_step(
    procedure: AppointmentProcedure, step: str, *, acting_user, request=None
) -> AppointmentStep:
    """Mark ``step`` as not done again (date and note are kept)."""
    if step not in STEP_ROLES:
        raise ValidationError(_("Onbekende stap."))
    if not may_tick(acting_user, procedure, step):
        raise PermissionDenied
    with transaction.atomic():
        _require_open(procedure)
        row = _step(procedure, step)
        if row.is_done:
            row.done_at = None
            row.done_by = None
            row.save(update_fields=["done_at", "done_by"])
            record(
                "procedure.step_undone",
                actor=acting_user,
                obj=procedure,
                request=request,
                step=step,
            )
    return row


# --- Cancel and complete -------------------------------------------------------------------------


def cancel_procedure(
    procedure: AppointmentProcedure, *, acting_user, request=None
) -> AppointmentProcedure:
    if not may_run(acting_user, procedure):
        raise PermissionDenied
    with transaction.atomic():
        _require_open(procedure)
        procedure.status = ProcedureStatus.CANCELLED
        procedure.save(update_fields=["status"])
        record("procedure.cancel", actor=acting_user, obj=procedure, request=request)
    return procedure


def open_steps(procedure: AppointmentProcedure) -> list[str]:
    done = set(procedure.steps.filter(done_at__isnull=False).values_list("step", flat=True))
    return [step for step in STEP_ORDER if step not in done]


def grant_bpo_role(
    *, user: User, procedure: AppointmentProcedure, acting_user, request=None
) -> Membership | None:
    """The bpo role at the procedure's school from its planned start (None if already held).

    The appointment's own path to a role; see the module docstring for why it is not
    ``do_grant_membership``. Only called from :func:`complete_procedure`.
    """
    school = procedure.school
    valid_from = procedure.planned_start
    held = (
        Membership.objects.current(valid_from)
        .filter(user=user, partnership_id=school.partnership_id, school=school, role=Role.BPO)
        .exists()
    )
    if held:
        return None
    membership = Membership(
        user=user,
        partnership_id=school.partnership_id,
        school=school,
        role=Role.BPO,
        valid_from=valid_from,
    )
    membership.full_clean()
    membership.save()
    record(
        "membership.grant",
        actor=acting_user,
        obj=membership,
        partnership=school.partnership,
        school=school,
        request=request,
        role=Role.BPO,
        user=str(user.code),
        procedure=str(procedure.code),
    )
    forget_scope(user)
    return membership


def complete_procedure(procedure: AppointmentProcedure, *, acting_user, request=None):
    """Finish a procedure whose five steps are done: the candidate's account (created and
    invited when new), the bpo role at the school and the assignment. Returns the assignment."""
    from passend.accounts.services import send_invitation
    from passend.staffing.services import create_assignment

    if not may_run(acting_user, procedure):
        raise PermissionDenied
    with transaction.atomic():
        procedure = AppointmentProcedure.objects.select_for_update().get(pk=procedure.pk)
        _require_open(procedure)
        missing = open_steps(procedure)
        if missing:
            labels = ", ".join(str(ProcedureStep(step).label) for step in missing)
            raise ValidationError(
                _("Nog niet alle stappen zijn afgevinkt: %(steps)s.") % {"steps": labels}
            )
        school = procedure.school
        email = procedure.candidate_email.strip().lower()
        user = User.objects.filter(email__iexact=email).first()
        created = user is None
        if created:
            user = User.objects.create_user(
                email=email, password=None, full_name=procedure.candidate_name
            )
            record(
                "user.create",
                actor=acting_user,
                obj=user,
                partnership=school.partnership,
                request=request,
                procedure=str(procedure.code),
            )
        grant_bpo_role(user=user, procedure=procedure, acting_user=acting_user, request=request)
        assignment = create_assignment(
            school=school,
            school_year=procedure.school_year,
            bpo=user,
            hours_per_week=procedure.planned_hours_per_week,
            employment_type=procedure.employment_type,
            start_date=procedure.planned_start,
            acting_user=acting_user,
            procedure=procedure,
            request=request,
        )
        procedure.status = ProcedureStatus.COMPLETED
        procedure.completed_at = timezone.now()
        procedure.candidate = user
        procedure.save(update_fields=["status", "completed_at", "candidate"])
        record(
            "procedure.complete",
            actor=acting_user,
            obj=procedure,
            request=request,
            assignment=str(assignment.code),
            user=str(user.code),
            account_created=created,
        )
    if created:
        send_invitation(user, request=request)
    return assignment
