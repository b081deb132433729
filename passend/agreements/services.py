"""Mutations of werkafspraken, evaluations, task descriptions and competency profiles: one
function per action, each in a transaction, checking the actor's right
(passend.agreements.access) and writing its audit event.

Sections:
- Defaults: the shipped template task description and competency set (loaded per partnership).
- Task descriptions: the partnership's template; a school adopts (copies) and adapts it.
- Werkafspraken: create (pre-filled from last year's or the task description), update a draft
  (optimistic locking with ``revision``), confirm (coordinator, BPO), acknowledge (director).
- Evaluations: start, update, finalise (stores realised hours; "adjust" opens the next version
  of the werkafspraken, copied from the latest, with each task remembering its origin).
- Competency profiles: start, rate (self or coordinator), goals.

``acting_user=None`` means the system (the demo loader and data commands).
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from passend.accounts.choices import Role
from passend.accounts.models import Membership, User
from passend.activities.choices import TaskArea
from passend.agreements import access
from passend.agreements.choices import (
    AgreementStatus,
    CompetencyDomain,
    EvaluationDecision,
    EvaluationKind,
    EvaluationStatus,
)
from passend.agreements.models import (
    MAX_TASK_HOURS,
    AgreedTask,
    AgreementEvaluation,
    Competency,
    CompetencyProfile,
    CompetencyRating,
    EvaluationArea,
    TaskDescription,
    TaskDescriptionItem,
    WorkAgreement,
)
from passend.audit.services import record

DATA = Path(__file__).parent / "data"


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _system_or(acting_user, check) -> None:
    """Services called by the system (``acting_user=None``) skip the permission check."""
    if acting_user is not None:
        _require(check())


# --- Defaults ------------------------------------------------------------------------------------


def default_task_description() -> dict:
    return json.loads((DATA / "task-description.json").read_text(encoding="utf-8"))


def default_competencies() -> dict:
    return json.loads((DATA / "competencies.json").read_text(encoding="utf-8"))


def template_for(partnership) -> TaskDescription:
    """The partnership's template task description; created from the shipped default the first
    time it is asked for (so every partnership has one without a separate set-up step)."""
    existing = TaskDescription.objects.filter(partnership=partnership, school__isnull=True).first()
    if existing is not None:
        return existing
    data = default_task_description()
    with transaction.atomic():
        template = TaskDescription.objects.create(
            partnership=partnership, title=data["title"], introduction=data["introduction"]
        )
        TaskDescriptionItem.objects.bulk_create(
            TaskDescriptionItem(
                description=template,
                area=item["area"],
                text=item["text"],
                source=item.get("source", ""),
                position=position,
            )
            for position, item in enumerate(data["items"], start=1)
        )
    return template


def competencies_for(partnership, *, active_only: bool = True) -> list[Competency]:
    """The partnership's competency set, loaded from the shipped default the first time."""
    if not Competency.objects.filter(partnership=partnership).exists():
        Competency.objects.bulk_create(
            Competency(
                partnership=partnership, domain=item["domain"], text=item["text"], position=i
            )
            for i, item in enumerate(default_competencies()["competencies"], start=1)
        )
    qs = Competency.objects.filter(partnership=partnership)
    if active_only:
        qs = qs.filter(active=True)
    return sorted(qs, key=lambda c: (CompetencyDomain.values.index(c.domain), c.position, c.pk))


# --- Task descriptions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemInput:
    area: str
    text: str
    source: str = ""


def _clean_items(items: list[ItemInput]) -> list[ItemInput]:
    problems = []
    cleaned = []
    for number, item in enumerate(items, start=1):
        text = (item.text or "").strip()
        if not text:
            continue  # an emptied row is a removed row
        if item.area not in TaskArea.values:
            problems.append(_("Regel %(n)s: kies een taakgebied.") % {"n": number})
        if len(text) > 2000:
            problems.append(
                _("Regel %(n)s: de tekst is te lang (max. 2000 tekens).") % {"n": number}
            )
        cleaned.append(ItemInput(item.area, text, (item.source or "").strip()[:100]))
    if not cleaned:
        problems.append(_("Een taakomschrijving heeft ten minste één taak."))
    if problems:
        raise ValidationError(problems)
    return cleaned


def update_task_description(
    description: TaskDescription,
    *,
    title: str,
    introduction: str,
    items: list[ItemInput],
    acting_user,
) -> TaskDescription:
    """Replace the title, introduction and tasks (the template: partnership_admin; a school's
    own description: its coordinator or director)."""
    if description.is_template:
        _system_or(
            acting_user,
            lambda: access.may_edit_template(acting_user, description.partnership),
        )
    else:
        _system_or(
            acting_user,
            lambda: access.can(acting_user, description.school, access.DESCRIPTION_EDIT_ROLES),
        )
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Geef de taakomschrijving een titel.")})
    cleaned = _clean_items(items)
    with transaction.atomic():
        description.title = title[:200]
        description.introduction = introduction or ""
        description.updated_by = acting_user
        description.save(update_fields=["title", "introduction", "updated_by", "updated_at"])
        description.items.all().delete()
        TaskDescriptionItem.objects.bulk_create(
            TaskDescriptionItem(
                description=description,
                area=item.area,
                text=item.text,
                source=item.source,
                position=position,
            )
            for position, item in enumerate(cleaned, start=1)
        )
        record(
            "task_description.updated",
            actor=acting_user,
            obj=description,
            partnership=description.partnership,
            school=description.school,
            items=len(cleaned),
        )
    return description


def adopt_task_description(school, *, acting_user) -> TaskDescription:
    """The school takes over the partnership's template as its own task description (aspect 8),
    to adapt it afterwards. Refused when the school already has one."""
    _system_or(acting_user, lambda: access.can(acting_user, school, access.DESCRIPTION_EDIT_ROLES))
    if TaskDescription.objects.filter(school=school).exists():
        raise ValidationError(_("Deze school heeft al een eigen taakomschrijving."))
    template = template_for(school.partnership)
    with transaction.atomic():
        own = TaskDescription.objects.create(
            partnership_id=school.partnership_id,
            school=school,
            title=template.title,
            introduction=template.introduction,
            based_on=template,
            updated_by=acting_user,
        )
        TaskDescriptionItem.objects.bulk_create(
            TaskDescriptionItem(
                description=own,
                area=item.area,
                text=item.text,
                source=item.source,
                position=item.position,
            )
            for item in template.items.all()
        )
        record("task_description.adopted", actor=acting_user, obj=own, school=school)
    return own


def description_for(school) -> TaskDescription:
    """The school's own task description, else the partnership's template."""
    own = TaskDescription.objects.filter(school=school).first()
    return own if own is not None else template_for(school.partnership)


# --- Werkafspraken -------------------------------------------------------------------------------


def bpo_choices(school, school_year):
    """BPOs a werkafspraak can be made with: the bpo role at the school during the year, or a
    staffing assignment at the school in that year (BPO+ included)."""
    from passend.staffing.models import BpoAssignment

    roles = (
        Membership.objects.filter(school=school, role=Role.BPO)
        .during(school_year)
        .values("user_id")
    )
    assigned = BpoAssignment.objects.filter(school=school, school_year=school_year).values("bpo_id")
    return User.objects.filter(Q(pk__in=roles) | Q(pk__in=assigned), is_active=True).order_by(
        "full_name", "email"
    )


@dataclass(frozen=True)
class TaskInput:
    area: str
    description: str
    hours: object = Decimal(0)
    origin_id: int | None = None


def _clean_tasks(tasks: list[TaskInput]) -> list[TaskInput]:
    problems = []
    cleaned = []
    for number, task in enumerate(tasks, start=1):
        text = (task.description or "").strip()
        if not text:
            continue
        if task.area not in TaskArea.values:
            problems.append(_("Taak %(n)s: kies een taakgebied.") % {"n": number})
        try:
            hours = Decimal(str(task.hours if task.hours not in (None, "") else 0))
        except InvalidOperation:
            problems.append(_("Taak %(n)s: de uren zijn geen getal.") % {"n": number})
            continue
        if hours < 0 or hours > MAX_TASK_HOURS:
            problems.append(
                _("Taak %(n)s: de uren liggen tussen 0 en %(max)s.")
                % {"n": number, "max": MAX_TASK_HOURS}
            )
            continue
        cleaned.append(TaskInput(task.area, text, hours.quantize(Decimal("0.1")), task.origin_id))
    if problems:
        raise ValidationError(problems)
    return cleaned


def create_agreement(school, school_year, bpo, *, acting_user) -> WorkAgreement:
    """Version 1 of the werkafspraken of ``bpo`` at ``school`` in ``school_year``, as a draft.
    Pre-filled from the latest version of the previous school year (hours and arrangements
    carried over), or else from the school's task description (every task, 0 hours)."""
    from passend.staffing.models import BpoAssignment

    _system_or(acting_user, lambda: access.can(acting_user, school, access.DRAFT_ROLES))
    if not bpo_choices(school, school_year).filter(pk=bpo.pk).exists():
        raise ValidationError(
            {"bpo": _("Deze persoon is in dit schooljaar geen bpo'er van de school.")}
        )
    if WorkAgreement.objects.filter(school=school, bpo=bpo, school_year=school_year).exists():
        raise ValidationError(
            {"bpo": _("Er zijn al werkafspraken met deze bpo'er voor dit schooljaar.")}
        )
    assignment = (
        BpoAssignment.objects.filter(school=school, school_year=school_year, bpo=bpo)
        .order_by("kind", "-start_date")
        .first()
    )
    last_year = (
        WorkAgreement.objects.filter(
            school=school, bpo=bpo, school_year__start__lt=school_year.start
        )
        .order_by("-school_year__start", "-version")
        .prefetch_related("tasks")
        .first()
    )
    with transaction.atomic():
        agreement = WorkAgreement.objects.create(
            partnership_id=school.partnership_id,
            school=school,
            school_year=school_year,
            bpo=bpo,
            assignment=assignment,
            version=1,
            presence_days=(
                list(assignment.presence_days)
                if assignment
                else (list(last_year.presence_days) if last_year else [])
            ),
            presence_times=(last_year.presence_times if last_year else "")
            or (assignment.presence_note if assignment else ""),
            sot_participation=last_year.sot_participation if last_year else "",
            management=(last_year.management if last_year else "")
            or (_management_text(assignment) if assignment else ""),
            sot_informed=last_year.sot_informed if last_year else "",
            created_by=acting_user,
        )
        if last_year is not None:
            rows = [(t.area, t.description, t.hours) for t in last_year.tasks.all()]
        else:
            rows = [(i.area, i.text, Decimal(0)) for i in description_for(school).items.all()]
        AgreedTask.objects.bulk_create(
            AgreedTask(agreement=agreement, area=area, description=text, hours=hours, position=n)
            for n, (area, text, hours) in enumerate(rows, start=1)
        )
        record(
            "work_agreement.created",
            actor=acting_user,
            obj=agreement,
            school=school,
            bpo=bpo.email,
            school_year=school_year.name,
        )
    return agreement


def _management_text(assignment) -> str:
    name = assignment.manager_display
    return _("Aangestuurd door %(name)s.") % {"name": name} if name else ""


AGREEMENT_FIELDS = (
    "presence_days",
    "presence_times",
    "sot_participation",
    "management",
    "sot_informed",
    "notes",
)


def update_agreement(
    agreement: WorkAgreement, *, revision: int, fields: dict, tasks: list[TaskInput], acting_user
) -> WorkAgreement:
    """Save a draft's arrangements and tasks (the coordinator). ``revision`` is the revision the
    editor started from: if someone saved in between, the save is refused (nothing lost: the
    editor's form stays filled). A change after a confirmation withdraws the confirmations,
    because each party confirmed the text as it was."""
    _system_or(acting_user, lambda: access.can(acting_user, agreement.school, access.DRAFT_ROLES))
    cleaned = _clean_tasks(tasks)
    unknown = set(fields) - set(AGREEMENT_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    with transaction.atomic():
        current = WorkAgreement.objects.select_for_update().get(pk=agreement.pk)
        if current.status != AgreementStatus.DRAFT:
            raise ValidationError(
                _("Deze versie is al overeengekomen en kan niet meer veranderen.")
            )
        if current.revision != revision:
            raise ValidationError(
                _(
                    "Iemand anders heeft deze werkafspraken intussen opgeslagen. Jouw wijzigingen "
                    "zijn niet opgeslagen: open de werkafspraken opnieuw en breng ze daarna aan."
                ),
                code="conflict",
            )
        known_origins = (
            set(
                AgreedTask.objects.filter(agreement__next_version=current).values_list(
                    "pk", flat=True
                )
            )
            if current.previous_id
            else set()
        )
        for name, value in fields.items():
            setattr(current, name, value)
        current.revision += 1
        had_confirmation = bool(current.coordinator_confirmed_at or current.bpo_confirmed_at)
        current.coordinator_confirmed_at = None
        current.coordinator_confirmed_by = None
        current.bpo_confirmed_at = None
        current.save()
        current.tasks.all().delete()
        AgreedTask.objects.bulk_create(
            AgreedTask(
                agreement=current,
                area=task.area,
                description=task.description,
                hours=task.hours,
                position=n,
                origin_id=task.origin_id if task.origin_id in known_origins else None,
            )
            for n, task in enumerate(cleaned, start=1)
        )
        record(
            "work_agreement.updated",
            actor=acting_user,
            obj=current,
            school=current.school,
            tasks=len(cleaned),
            confirmations_withdrawn=had_confirmation,
        )
    agreement.refresh_from_db()
    return agreement


def confirm_agreement(agreement: WorkAgreement, *, acting_user) -> WorkAgreement:
    """The coordinator or the BPO confirms the draft as it is; with both, it is agreed and from
    then on immutable."""
    is_coordinator = access.can(acting_user, agreement.school, access.DRAFT_ROLES)
    is_bpo = agreement.bpo_id == acting_user.pk
    _require(is_coordinator or is_bpo)
    with transaction.atomic():
        current = WorkAgreement.objects.select_for_update().get(pk=agreement.pk)
        if current.status != AgreementStatus.DRAFT:
            raise ValidationError(_("Deze werkafspraken zijn al overeengekomen."))
        if not current.tasks.exists():
            raise ValidationError(_("Leg eerst ten minste één taak vast."))
        now = timezone.now()
        changed = []
        if is_bpo and current.bpo_confirmed_at is None:
            current.bpo_confirmed_at = now
            changed.append("bpo_confirmed_at")
        if is_coordinator and not is_bpo and current.coordinator_confirmed_at is None:
            current.coordinator_confirmed_at = now
            current.coordinator_confirmed_by = acting_user
            changed += ["coordinator_confirmed_at", "coordinator_confirmed_by"]
        if not changed:
            raise ValidationError(_("Je hebt deze werkafspraken al bevestigd."))
        if current.bpo_confirmed_at and current.coordinator_confirmed_at:
            current.status = AgreementStatus.AGREED
            changed.append("status")
        current.save(update_fields=[*changed, "updated_at"])
        record(
            "work_agreement.confirmed",
            actor=acting_user,
            obj=current,
            school=current.school,
            by="bpo" if "bpo_confirmed_at" in changed else "coordinator",
            agreed=current.status == AgreementStatus.AGREED,
        )
    agreement.refresh_from_db()
    return agreement


def acknowledge_agreement(agreement: WorkAgreement, *, acting_user) -> WorkAgreement:
    """The director takes note of agreed werkafspraken (aspect 9: the coordinator accounts for
    them to the director)."""
    _require(access.can(acting_user, agreement.school, access.ACKNOWLEDGE_ROLES))
    with transaction.atomic():
        current = WorkAgreement.objects.select_for_update().get(pk=agreement.pk)
        if current.status != AgreementStatus.AGREED:
            raise ValidationError(
                _("Alleen overeengekomen werkafspraken kunnen voor gezien worden getekend.")
            )
        current.status = AgreementStatus.ACKNOWLEDGED
        current.acknowledged_at = timezone.now()
        current.acknowledged_by = acting_user
        current.save(update_fields=["status", "acknowledged_at", "acknowledged_by", "updated_at"])
        record("work_agreement.acknowledged", actor=acting_user, obj=current, school=current.school)
    agreement.refresh_from_db()
    return agreement


def next_version(agreement: WorkAgreement, *, acting_user) -> WorkAgreement:
    """A new draft version copied from the latest version of the same (school, BPO, year); when
    the latest is itself still a draft, that draft is returned (there is one open version)."""
    latest = (
        WorkAgreement.objects.filter(
            school_id=agreement.school_id,
            bpo_id=agreement.bpo_id,
            school_year_id=agreement.school_year_id,
        )
        .order_by("-version")
        .first()
    )
    if latest.status == AgreementStatus.DRAFT:
        return latest
    new = WorkAgreement.objects.create(
        partnership_id=latest.partnership_id,
        school_id=latest.school_id,
        school_year_id=latest.school_year_id,
        bpo_id=latest.bpo_id,
        assignment_id=latest.assignment_id,
        version=latest.version + 1,
        previous=latest,
        **{name: getattr(latest, name) for name in AGREEMENT_FIELDS},
        created_by=acting_user,
    )
    AgreedTask.objects.bulk_create(
        AgreedTask(
            agreement=new,
            area=t.area,
            description=t.description,
            hours=t.hours,
            position=t.position,
            origin=t,
        )
        for t in latest.tasks.all()
    )
    record(
        "work_agreement.new_version",
        actor=acting_user,
        obj=new,
        school=new.school,
        version=new.version,
    )
    return new


# --- Differences between versions ----------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One difference between two versions: ``kind`` is "added", "removed" or "changed";
    ``label`` names the field or task area; ``old``/``new`` are display texts."""

    kind: str
    label: str
    old: str
    new: str


def agreement_changes(new: WorkAgreement) -> list[Change]:
    """What changed from ``new.previous`` to ``new`` (empty for version 1)."""
    from django.template.defaultfilters import floatformat

    from passend.staffing.evidence import weekdays

    old = new.previous
    if old is None:
        return []
    changes: list[Change] = []
    for name in AGREEMENT_FIELDS:
        before, after = getattr(old, name), getattr(new, name)
        if name == "presence_days":
            before, after = weekdays(before), weekdays(after)
        if before != after:
            label = str(WorkAgreement._meta.get_field(name).verbose_name)
            changes.append(Change("changed", label.capitalize(), before or "–", after or "–"))
    old_tasks = {t.pk: t for t in old.tasks.all()}
    seen: set[int] = set()
    for task in new.tasks.all():
        area = str(TaskArea(task.area).label)
        before = old_tasks.get(task.origin_id) if task.origin_id else None
        if before is None:
            changes.append(
                Change("added", area, "", f"{task.description} ({floatformat(task.hours, -1)} u)")
            )
            continue
        seen.add(before.pk)
        if (before.area, before.description, before.hours) != (
            task.area,
            task.description,
            task.hours,
        ):
            changes.append(
                Change(
                    "changed",
                    area,
                    f"{before.description} ({floatformat(before.hours, -1)} u)",
                    f"{task.description} ({floatformat(task.hours, -1)} u)",
                )
            )
    for pk, task in old_tasks.items():
        if pk not in seen:
            changes.append(
                Change(
                    "removed",
                    str(TaskArea(task.area).label),
                    f"{task.description} ({floatformat(task.hours, -1)} u)",
                    "",
                )
            )
    return changes


# --- Evaluations ---------------------------------------------------------------------------------


def realised_hours(evaluation: AgreementEvaluation) -> dict[str, Decimal]:
    """{area: hours} the BPO logged at the school from the start of the school year up to the
    evaluation date (one aggregate query)."""
    from passend.activities.totals import totals

    found = totals(
        bpo=evaluation.bpo_id,
        school=evaluation.school_id,
        school_year=evaluation.school_year_id,
        end=evaluation.date,
    )
    return {area: hours for (_school, area), hours in found.items()}


def _check_evaluation_date(date: datetime.date, school_year) -> None:
    if not (school_year.start <= date <= school_year.end):
        raise ValidationError(
            {"date": _("De datum valt buiten schooljaar %(year)s.") % {"year": school_year.name}}
        )


def start_evaluation(
    agreement: WorkAgreement, *, kind: str, date: datetime.date, acting_user
) -> AgreementEvaluation:
    """A draft evaluation of an agreed version: one row per task area that has agreed tasks or
    logged hours; the coordinator and, for a hired-in BPO, the home-organisation manager are
    filled in from the assignment."""
    _system_or(
        acting_user, lambda: access.can(acting_user, agreement.school, access.EVALUATE_ROLES)
    )
    if not agreement.is_agreed:
        raise ValidationError(_("Alleen overeengekomen werkafspraken kunnen worden geëvalueerd."))
    if kind not in EvaluationKind.values:
        raise ValidationError({"kind": _("Kies jaarlijkse of tussentijdse evaluatie.")})
    _check_evaluation_date(date, agreement.school_year)
    coordinator = (
        acting_user
        if acting_user is not None and access.can(acting_user, agreement.school, access.DRAFT_ROLES)
        else None
    )
    assignment = agreement.assignment
    home_manager = ""
    if assignment is not None and assignment.is_hired_in:
        home_manager = assignment.manager_name or ""
    with transaction.atomic():
        evaluation = AgreementEvaluation.objects.create(
            partnership_id=agreement.partnership_id,
            school_id=agreement.school_id,
            school_year_id=agreement.school_year_id,
            bpo_id=agreement.bpo_id,
            agreement=agreement,
            kind=kind,
            date=date,
            coordinator=coordinator,
            home_manager_name=home_manager,
            created_by=acting_user,
        )
        agreed = agreement.hours_by_area()
        realised = realised_hours(evaluation)
        areas = [a for a in TaskArea.values if a in agreed or a in realised]
        EvaluationArea.objects.bulk_create(
            EvaluationArea(evaluation=evaluation, area=a, agreed_hours=agreed.get(a, Decimal(0)))
            for a in areas
        )
        record(
            "agreement_evaluation.started",
            actor=acting_user,
            obj=evaluation,
            school=agreement.school,
            kind=kind,
        )
    return evaluation


EVALUATION_FIELDS = (
    "date",
    "coordinator",
    "bpo_present",
    "home_manager_name",
    "other_participants",
    "conclusion",
)


def coordinator_choices(school, school_year):
    roles = (
        Membership.objects.filter(school=school, role=Role.COORDINATOR)
        .during(school_year)
        .values("user_id")
    )
    return User.objects.filter(pk__in=roles).order_by("full_name", "email")


@dataclass(frozen=True)
class AreaInput:
    went_well: str = ""
    to_change: str = ""


def update_evaluation(
    evaluation: AgreementEvaluation,
    *,
    revision: int,
    fields: dict,
    areas: dict[str, AreaInput],
    acting_user,
) -> AgreementEvaluation:
    """Save a draft evaluation (coordinator or director); refused once final, and with a
    conflict message when someone else saved in between."""
    _system_or(
        acting_user, lambda: access.can(acting_user, evaluation.school, access.EVALUATE_ROLES)
    )
    unknown = set(fields) - set(EVALUATION_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    if "date" in fields:
        _check_evaluation_date(fields["date"], evaluation.school_year)
    coordinator = fields.get("coordinator")
    if (
        coordinator is not None
        and not coordinator_choices(evaluation.school, evaluation.school_year)
        .filter(pk=coordinator.pk)
        .exists()
    ):
        raise ValidationError(
            {"coordinator": _("Kies een ondersteuningscoördinator van de school.")}
        )
    with transaction.atomic():
        current = AgreementEvaluation.objects.select_for_update().get(pk=evaluation.pk)
        if current.status != EvaluationStatus.DRAFT:
            raise ValidationError(_("Deze evaluatie is vastgesteld en kan niet meer veranderen."))
        if current.revision != revision:
            raise ValidationError(
                _(
                    "Iemand anders heeft deze evaluatie intussen opgeslagen. Jouw wijzigingen zijn "
                    "niet opgeslagen: open de evaluatie opnieuw en breng ze daarna aan."
                ),
                code="conflict",
            )
        for name, value in fields.items():
            setattr(current, name, value)
        current.revision += 1
        current.save()
        # Areas where hours were logged after the evaluation started get their row now, so
        # that what went well / what to change can be written for them too.
        present = set(current.areas.values_list("area", flat=True))
        missing = [a for a in TaskArea.values if a in realised_hours(current) and a not in present]
        EvaluationArea.objects.bulk_create(
            EvaluationArea(evaluation=current, area=a) for a in missing
        )
        for row in current.areas.all():
            given = areas.get(row.area)
            if given is not None:
                row.went_well = given.went_well or ""
                row.to_change = given.to_change or ""
                row.save(update_fields=["went_well", "to_change"])
        record(
            "agreement_evaluation.updated", actor=acting_user, obj=current, school=current.school
        )
    evaluation.refresh_from_db()
    return evaluation


def finalise_evaluation(
    evaluation: AgreementEvaluation, *, decision: str, acting_user
) -> AgreementEvaluation:
    """Fix the evaluation: realised hours are stored per area; with decision "adjust", the next
    version of the werkafspraken opens as a draft, copied from the latest version."""
    _system_or(
        acting_user, lambda: access.can(acting_user, evaluation.school, access.EVALUATE_ROLES)
    )
    if decision not in EvaluationDecision.values:
        raise ValidationError({"decision": _("Kies of de werkafspraken worden aangepast.")})
    with transaction.atomic():
        current = AgreementEvaluation.objects.select_for_update().get(pk=evaluation.pk)
        if current.status != EvaluationStatus.DRAFT:
            raise ValidationError(_("Deze evaluatie is al vastgesteld."))
        if not current.conclusion.strip():
            raise ValidationError({"conclusion": _("Schrijf eerst een conclusie.")})
        realised = realised_hours(current)
        rows = {row.area: row for row in current.areas.all()}
        for area in realised:
            if area not in rows:
                rows[area] = EvaluationArea.objects.create(evaluation=current, area=area)
        for area, row in rows.items():
            row.realised_hours = realised.get(area, Decimal(0))
            row.save(update_fields=["realised_hours"])
        current.decision = decision
        current.status = EvaluationStatus.FINAL
        current.finalised_at = timezone.now()
        current.finalised_by = acting_user
        if decision == EvaluationDecision.ADJUST:
            current.next_agreement = next_version(current.agreement, acting_user=acting_user)
        current.save()
        record(
            "agreement_evaluation.finalised",
            actor=acting_user,
            obj=current,
            school=current.school,
            decision=decision,
        )
    evaluation.refresh_from_db()
    return evaluation


def evaluation_rows(evaluation: AgreementEvaluation) -> list[EvaluationArea]:
    """The evaluation's area rows in task-area order, each with ``realised`` set: the stored
    hours once final, the live totals from the activity log while a draft."""
    rows = sorted(evaluation.areas.all(), key=lambda r: r.sort_key)
    live = realised_hours(evaluation) if not evaluation.is_final else {}
    present = {row.area for row in rows}
    if not evaluation.is_final:
        rows += [
            EvaluationArea(evaluation=evaluation, area=a, agreed_hours=Decimal(0))
            for a in TaskArea.values
            if a in live and a not in present
        ]
        rows.sort(key=lambda r: r.sort_key)
    for row in rows:
        row.realised = row.realised_hours if evaluation.is_final else live.get(row.area, Decimal(0))
    return rows


# --- Competency profiles -------------------------------------------------------------------------


def profile_for(school, school_year, bpo) -> CompetencyProfile | None:
    return CompetencyProfile.objects.filter(school=school, school_year=school_year, bpo=bpo).first()


def start_profile(school, school_year, bpo, *, acting_user) -> CompetencyProfile:
    """The competency profile of ``bpo`` at ``school`` for the year (the BPO or the school's
    coordinator starts it); one row per active competency of the partnership's set."""
    _system_or(
        acting_user,
        lambda: acting_user.pk == bpo.pk or access.can(acting_user, school, access.RATE_ROLES),
    )
    existing = profile_for(school, school_year, bpo)
    if existing is not None:
        return existing
    competencies = competencies_for(school.partnership)
    with transaction.atomic():
        profile = CompetencyProfile.objects.create(
            partnership_id=school.partnership_id, school=school, school_year=school_year, bpo=bpo
        )
        CompetencyRating.objects.bulk_create(
            CompetencyRating(profile=profile, competency=c) for c in competencies
        )
        record("competency_profile.started", actor=acting_user, obj=profile, school=school)
    return profile


def rate_competencies(
    profile: CompetencyProfile,
    *,
    levels: dict[int, int | None],
    as_coordinator: bool,
    development_goals: str | None = None,
    acting_user,
) -> CompetencyProfile:
    """Store the BPO's self-rating (``as_coordinator=False``, only the BPO) or the coordinator's
    rating; ``levels`` maps competency ids to 1–4 or None. Development goals are written by
    either."""
    rights = access.profile_rights(acting_user, profile)
    _require(rights["rate_coordinator"] if as_coordinator else rights["rate_self"])
    bad = [v for v in levels.values() if v is not None and v not in (1, 2, 3, 4)]
    if bad:
        raise ValidationError(_("Kies een score van 1 tot en met 4."))
    field = "coordinator_level" if as_coordinator else "self_level"
    with transaction.atomic():
        for rating in profile.ratings.select_for_update().filter(competency_id__in=levels):
            setattr(rating, field, levels[rating.competency_id])
            rating.save(update_fields=[field])
        stamp = "coordinator_rated_at" if as_coordinator else "self_rated_at"
        setattr(profile, stamp, timezone.now())
        update = [stamp]
        if development_goals is not None:
            profile.development_goals = development_goals
            update.append("development_goals")
        profile.save(update_fields=update)
        record(
            "competency_profile.rated",
            actor=acting_user,
            obj=profile,
            school=profile.school,
            by="coordinator" if as_coordinator else "self",
        )
    return profile


def update_competency_set(partnership, *, rows: list[dict], acting_user) -> list[Competency]:
    """Maintain the partnership's competency set (partnership_admin): ``rows`` are dicts with
    ``id`` (None for new), ``domain``, ``text``, ``active``. Competencies are never deleted,
    only retired, so that profiles keep their texts; an active one added later is added to
    profiles when they are next started (existing profiles keep their set)."""
    _system_or(
        acting_user,
        lambda: access.may_edit_template(acting_user, partnership),
    )
    problems = []
    for number, row in enumerate(rows, start=1):
        if row.get("domain") not in CompetencyDomain.values:
            problems.append(_("Regel %(n)s: kies een domein.") % {"n": number})
        if not (row.get("text") or "").strip():
            problems.append(_("Regel %(n)s: vul de competentie in.") % {"n": number})
    if problems:
        raise ValidationError(problems)
    competencies_for(partnership)
    existing = {c.pk: c for c in Competency.objects.filter(partnership=partnership)}
    next_position = (
        Competency.objects.filter(partnership=partnership).aggregate(m=Max("position"))["m"] or 0
    )
    with transaction.atomic():
        for row in rows:
            competency = existing.get(row.get("id"))
            if competency is None:
                next_position += 1
                Competency.objects.create(
                    partnership=partnership,
                    domain=row["domain"],
                    text=row["text"].strip(),
                    active=row.get("active", True),
                    position=next_position,
                )
                continue
            competency.domain = row["domain"]
            competency.text = row["text"].strip()
            competency.active = bool(row.get("active", True))
            competency.save(update_fields=["domain", "text", "active"])
        record("competency_set.updated", actor=acting_user, obj=partnership, rows=len(rows))
    return competencies_for(partnership, active_only=False)
