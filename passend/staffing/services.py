"""Mutations of BPO staffing: one function per action, each in a transaction, checking the actor's
right (passend.staffing.access) and writing its audit event.

Sections:
- Who may be chosen: the BPOs and managers a school may name in an assignment.
- Assignments: ``create_assignment`` is the single way to create a BpoAssignment (the assignment
  form and the completion of an appointment procedure both call it); change, end, and the
  audited download of the management agreement.
- Qualifications: a BPO keeps their own (aspect 13); the audited download of an evidence file.
- Verdicts: the aspect-13 rule over a person's qualifications.

``acting_user=None`` means the system (the demo loader); views always pass the signed-in user.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from passend.accounts.choices import Role
from passend.accounts.models import Membership, User
from passend.audit.services import record
from passend.staffing import access
from passend.staffing.choices import AssignmentKind, EmploymentType, Weekday
from passend.staffing.models import BpoAssignment, Qualification
from passend.staffing.rules import ASPECT_13, RuleResult

#: The framework's minimum salary scale (CAO VO) when the school year has no published framework
#: that names one: "passend bij een functiewaardering minimaal in schaal 10".
DEFAULT_MINIMUM_SCALE = 10
#: Roles whose holders at the school (or, for the SWV director, SWV-wide) can be the manager.
MANAGER_SCHOOL_ROLES = (Role.DIRECTOR, Role.COORDINATOR)
MANAGER_PARTNERSHIP_ROLES = (Role.PARTNERSHIP_ADMIN,)


# --- Who may be chosen ---------------------------------------------------------------------------


def bpo_candidates(school, school_year, *, at_school_only: bool = False) -> QuerySet:
    """Users with the bpo role in the school's partnership during the year: any BPO of the SWV
    (for BPO+ and SWV-employed assignments), or with ``at_school_only`` the school's own."""
    memberships = Membership.objects.filter(partnership_id=school.partnership_id, role=Role.BPO)
    if at_school_only:
        memberships = memberships.filter(school=school)
    ids = memberships.during(school_year).values("user_id")
    return User.objects.filter(pk__in=ids, is_active=True).order_by("full_name", "email")


def needs_school_bpo(kind: str, employment_type: str) -> bool:
    """A regular assignment of a BPO the school employs or hires must name a BPO of the school;
    BPO+ and SWV-employed assignments may name any BPO of the SWV."""
    return kind == AssignmentKind.REGULAR and employment_type != EmploymentType.SWV


def manager_candidates(school, school_year) -> QuerySet:
    """Who can be named as the BPO's manager: the school's director or coordinator, or the
    SWV's partnership_admin (the SWV director for SWV-employed BPOs), during the year."""
    memberships = Membership.objects.filter(
        Q(school=school, role__in=MANAGER_SCHOOL_ROLES)
        | Q(
            partnership_id=school.partnership_id,
            school__isnull=True,
            role__in=MANAGER_PARTNERSHIP_ROLES,
        )
    )
    ids = memberships.during(school_year).values("user_id")
    return User.objects.filter(pk__in=ids, is_active=True).order_by("full_name", "email")


def minimum_salary_scale(partnership, school_year) -> int:
    """The minimum scale of the year's published framework, else the seed's scale 10."""
    from passend.quality.services import current_framework

    framework = current_framework(partnership, school_year)
    if framework is not None and framework.minimum_salary_scale:
        return framework.minimum_salary_scale
    return DEFAULT_MINIMUM_SCALE


# --- Assignments ---------------------------------------------------------------------------------

#: Fields of an assignment that the assignment form (and update_assignment) may set.
DETAIL_FIELDS = frozenset(
    {
        "request_note",
        "annual_hours",
        "employer_name",
        "manager",
        "manager_name",
        "management_agreement_date",
        "salary_scale",
        "end_date",
        "workplace_confirmed",
        "student_system_access",
        "presence_days",
        "presence_note",
    }
)
EDITABLE_FIELDS = DETAIL_FIELDS | {"hours_per_week", "employment_type", "start_date"}


def _require_edit(acting_user, school) -> None:
    if acting_user is not None and not access.can(acting_user, school, access.EDIT_ROLES):
        raise PermissionDenied


def _validate(assignment: BpoAssignment) -> None:
    """The rules beyond the model's own validators; raises ValidationError per field."""
    errors: dict[str, str] = {}
    year = assignment.school_year
    start, end = assignment.start_date, assignment.end_date
    if start is not None and not (year.start <= start <= year.end):
        errors["start_date"] = _("De begindatum valt niet in schooljaar %(year)s.") % {
            "year": year.name
        }
    if end is not None and start is not None and end < start:
        errors["end_date"] = _("De einddatum ligt vóór de begindatum.")
    elif end is not None and end > year.end:
        errors["end_date"] = _("De einddatum valt na het einde van schooljaar %(year)s.") % {
            "year": year.name
        }
    days = assignment.presence_days
    if not isinstance(days, list) or not set(days) <= set(Weekday.values):
        errors["presence_days"] = _("Kies de aanwezigheidsdagen uit maandag tot en met vrijdag.")
    else:
        # Stored in week order, each day once.
        assignment.presence_days = [d for d in Weekday.values if d in days]
    school = assignment.school
    at_school_only = needs_school_bpo(assignment.kind, assignment.employment_type)
    eligible = bpo_candidates(school, year, at_school_only=at_school_only)
    if not eligible.filter(pk=assignment.bpo_id).exists():
        if at_school_only:
            errors["bpo"] = _(
                "Kies een bpo'er van deze school. Een bpo'er van een andere school kan alleen "
                "als BPO+ of in dienst van het samenwerkingsverband."
            )
        else:
            errors["bpo"] = _("Kies een bpo'er van het samenwerkingsverband.")
    if assignment.manager_id is not None:
        if not manager_candidates(school, year).filter(pk=assignment.manager_id).exists():
            errors["manager"] = _(
                "Kies als leidinggevende de directeur of ondersteuningscoördinator van de school "
                "of de SWV-beheerder; anders vul je de naam in."
            )
    if assignment.kind == AssignmentKind.REGULAR:
        assignment.request_note = ""
    if errors:
        raise ValidationError(errors)
    overlapping = BpoAssignment.objects.filter(
        bpo_id=assignment.bpo_id,
        school=school,
        school_year=year,
        kind=assignment.kind,
    ).filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
    if end is not None:
        overlapping = overlapping.filter(start_date__lte=end)
    if assignment.pk is not None:
        overlapping = overlapping.exclude(pk=assignment.pk)
    if overlapping.exists():
        raise ValidationError(
            {
                "bpo": _(
                    "Deze bpo'er heeft in dit schooljaar al een inzet van deze soort op deze "
                    "school in dezelfde periode. Pas die aan of beëindig hem eerst."
                )
            }
        )


def _set_agreement(assignment: BpoAssignment, upload) -> None:
    assignment.management_agreement = upload
    assignment.management_agreement_filename = upload.name[:200]


def create_assignment(
    *,
    school,
    school_year,
    bpo,
    hours_per_week: Decimal,
    employment_type: str,
    start_date: datetime.date,
    acting_user,
    kind: str = AssignmentKind.REGULAR,
    procedure=None,
    management_agreement=None,
    request=None,
    **details,
) -> BpoAssignment:
    """A BPO's assignment at ``school`` in ``school_year``: the only way one is created.

    ``details`` are optional fields of :data:`DETAIL_FIELDS` (annual hours, manager, salary
    scale, aspects 2–4 …); ``management_agreement`` an already checked upload. ``procedure``
    links the appointment procedure it came from. Raises PermissionDenied without an edit role
    at the school and ValidationError (per field) for anything the rules refuse.
    """
    unknown = set(details) - DETAIL_FIELDS
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    _require_edit(acting_user, school)
    assignment = BpoAssignment(
        partnership_id=school.partnership_id,
        school=school,
        school_year=school_year,
        bpo=bpo,
        kind=kind,
        hours_per_week=hours_per_week,
        employment_type=employment_type,
        start_date=start_date,
        procedure=procedure,
        **details,
    )
    if management_agreement is not None:
        _set_agreement(assignment, management_agreement)
    with transaction.atomic():
        # Serialise assignments of one person, so two saves cannot both pass the overlap check.
        User.objects.select_for_update().filter(pk=bpo.pk).first()
        _validate(assignment)
        assignment.full_clean(exclude=["partnership", "school", "school_year", "bpo"])
        assignment.save()
        record(
            "assignment.create",
            actor=acting_user,
            obj=assignment,
            request=request,
            bpo=str(bpo.code),
            kind=kind,
            school_year=school_year.name,
            hours_per_week=str(assignment.hours_per_week),
            employment_type=employment_type,
            agreement=bool(assignment.management_agreement),
            procedure=str(procedure.code) if procedure is not None else "",
        )
    return assignment


def update_assignment(
    assignment: BpoAssignment,
    *,
    acting_user,
    management_agreement=None,
    remove_agreement: bool = False,
    request=None,
    **fields,
) -> BpoAssignment:
    """Change the terms of an assignment (not its person, school, year or kind).

    A new ``management_agreement`` replaces the stored file; ``remove_agreement`` removes it.
    The replaced file is deleted from storage once the change is committed.
    """
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    _require_edit(acting_user, assignment.school)
    old_file = assignment.management_agreement.name if assignment.management_agreement else ""
    changed = [name for name, value in fields.items() if getattr(assignment, name) != value]
    for name in changed:
        setattr(assignment, name, fields[name])
    if management_agreement is not None:
        _set_agreement(assignment, management_agreement)
        changed.append("management_agreement")
    elif remove_agreement and old_file:
        assignment.management_agreement = None
        assignment.management_agreement_filename = ""
        changed.append("management_agreement")
    if not changed:
        return assignment
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=assignment.bpo_id).first()
        _validate(assignment)
        assignment.full_clean(exclude=["partnership", "school", "school_year", "bpo"])
        assignment.save()
        record(
            "assignment.update",
            actor=acting_user,
            obj=assignment,
            request=request,
            fields=sorted(set(changed)),
        )
    new_file = assignment.management_agreement.name if assignment.management_agreement else ""
    if old_file and old_file != new_file:
        storage = assignment.management_agreement.storage
        transaction.on_commit(lambda: storage.delete(old_file))
    return assignment


def end_assignment(
    assignment: BpoAssignment, *, end_date: datetime.date, acting_user, request=None
) -> BpoAssignment:
    """Set the last day of the assignment (also to change an end date set before)."""
    _require_edit(acting_user, assignment.school)
    year = assignment.school_year
    if end_date < assignment.start_date:
        raise ValidationError({"end_date": _("De einddatum ligt vóór de begindatum.")})
    if end_date > year.end:
        raise ValidationError(
            {
                "end_date": _("De einddatum valt na het einde van schooljaar %(year)s.")
                % {"year": year.name}
            }
        )
    with transaction.atomic():
        previous = assignment.end_date
        assignment.end_date = end_date
        assignment.save(update_fields=["end_date"])
        record(
            "assignment.end",
            actor=acting_user,
            obj=assignment,
            request=request,
            end_date=end_date.isoformat(),
            previous=previous.isoformat() if previous else "",
        )
    return assignment


def open_management_agreement(assignment: BpoAssignment, *, acting_user, request=None):
    """The agreement on management, opened for reading, for someone who may see the assignment;
    the download is audited. FileNotFoundError when there is none (or it is gone from disk)."""
    if not access.visible_assignments(acting_user).filter(pk=assignment.pk).exists():
        raise PermissionDenied
    if not assignment.management_agreement:
        raise FileNotFoundError("no management agreement")
    handle = assignment.management_agreement.storage.open(
        assignment.management_agreement.name, "rb"
    )
    record("assignment.agreement_download", actor=acting_user, obj=assignment, request=request)
    return handle


# --- Qualifications ------------------------------------------------------------------------------

QUALIFICATION_FIELDS = frozenset({"kind", "title", "institution", "year"})


def _require_own(acting_user, qualification: Qualification) -> None:
    if acting_user is not None and qualification.user_id != acting_user.pk:
        raise PermissionDenied


def add_qualification(
    *,
    acting_user,
    kind: str,
    title: str,
    institution: str = "",
    year: int | None = None,
    evidence_file=None,
    user=None,
    request=None,
) -> Qualification:
    """A qualification of the signed-in person (``user`` only for the system: the demo)."""
    owner = acting_user if acting_user is not None else user
    if owner is None or (user is not None and acting_user is not None and user != acting_user):
        raise PermissionDenied
    qualification = Qualification(
        user=owner, kind=kind, title=title, institution=institution, year=year
    )
    if evidence_file is not None:
        qualification.evidence_file = evidence_file
        qualification.evidence_filename = evidence_file.name[:200]
    with transaction.atomic():
        qualification.full_clean(exclude=["user"])
        qualification.save()
        record(
            "qualification.create",
            actor=acting_user,
            obj=qualification,
            request=request,
            user=str(owner.code),
            kind=kind,
            file=bool(qualification.evidence_file),
        )
    return qualification


def update_qualification(
    qualification: Qualification,
    *,
    acting_user,
    evidence_file=None,
    remove_file: bool = False,
    request=None,
    **fields,
) -> Qualification:
    unknown = set(fields) - QUALIFICATION_FIELDS
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    _require_own(acting_user, qualification)
    old_file = qualification.evidence_file.name if qualification.evidence_file else ""
    changed = [name for name, value in fields.items() if getattr(qualification, name) != value]
    for name in changed:
        setattr(qualification, name, fields[name])
    if evidence_file is not None:
        qualification.evidence_file = evidence_file
        qualification.evidence_filename = evidence_file.name[:200]
        changed.append("evidence_file")
    elif remove_file and old_file:
        qualification.evidence_file = None
        qualification.evidence_filename = ""
        changed.append("evidence_file")
    if not changed:
        return qualification
    with transaction.atomic():
        qualification.full_clean(exclude=["user"])
        qualification.save()
        record(
            "qualification.update",
            actor=acting_user,
            obj=qualification,
            request=request,
            fields=sorted(set(changed)),
        )
    new_file = qualification.evidence_file.name if qualification.evidence_file else ""
    if old_file and old_file != new_file:
        storage = qualification.evidence_file.storage
        transaction.on_commit(lambda: storage.delete(old_file))
    return qualification


def delete_qualification(qualification: Qualification, *, acting_user, request=None) -> None:
    _require_own(acting_user, qualification)
    stored = qualification.evidence_file.name if qualification.evidence_file else ""
    storage = qualification.evidence_file.storage
    with transaction.atomic():
        record(
            "qualification.delete",
            actor=acting_user,
            obj=qualification,
            request=request,
            kind=qualification.kind,
        )
        qualification.delete()
    if stored:
        transaction.on_commit(lambda: storage.delete(stored))


def open_qualification_file(qualification: Qualification, *, acting_user, request=None):
    """The evidence file (diploma), opened for reading, for someone who may read the person's
    qualifications; audited. FileNotFoundError when there is none."""
    if not access.visible_people(acting_user).filter(pk=qualification.user_id).exists():
        raise PermissionDenied
    if not qualification.evidence_file:
        raise FileNotFoundError("no evidence file")
    handle = qualification.evidence_file.storage.open(qualification.evidence_file.name, "rb")
    record(
        "qualification.file_download",
        actor=acting_user,
        obj=qualification,
        request=request,
        user=str(qualification.user.code),
    )
    return handle


# --- Verdicts ------------------------------------------------------------------------------------


def aspect13_verdict(qualifications) -> RuleResult:
    """The aspect-13 rule over a person's qualifications (objects or kinds)."""
    return ASPECT_13.evaluate(getattr(q, "kind", q) for q in qualifications)
