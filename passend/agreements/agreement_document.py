"""What the werkafspraken pages and the werkafspraken PDF show: tasks grouped per task area with
subtotals and a total, the school's task description per area, and the PDF itself
(templates/agreements/pdf/agreement.html with the shared document.css)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from passend.activities.choices import TaskArea
from passend.agreements import documents, services
from passend.agreements.models import WorkAgreement
from passend.staffing.evidence import weekdays


@dataclass
class TaskGroup:
    """The tasks of one task area with their hours."""

    area: str
    label: str
    items: list = field(default_factory=list)
    hours: Decimal = Decimal(0)


@dataclass
class AgreementTasks:
    groups: list[TaskGroup]
    total: Decimal


def task_groups(agreement: WorkAgreement, tasks=None) -> AgreementTasks:
    """The agreement's tasks per task area in task-area order, each with its subtotal (one query,
    none when ``tasks`` is given)."""
    tasks = list(agreement.tasks.all()) if tasks is None else list(tasks)
    hours = agreement.hours_by_area(tasks)
    groups = [
        TaskGroup(area, str(TaskArea(area).label), [t for t in tasks if t.area == area], total)
        for area, total in hours.items()
    ]
    return AgreementTasks(groups, sum(hours.values(), Decimal(0)))


def description_groups(description) -> list[TaskGroup]:
    """The items of a task description per task area (the editor's reference list)."""
    items = list(description.items.all())
    return [
        TaskGroup(area, str(label), [i for i in items if i.area == area])
        for area, label in TaskArea.choices
        if any(i.area == area for i in items)
    ]


def pdf_context(agreement: WorkAgreement) -> dict:
    """Everything the PDF shows (a fixed number of queries)."""
    agreement = (
        WorkAgreement.objects.select_related(
            "school",
            "school__partnership",
            "school_year",
            "bpo",
            "previous",
            "coordinator_confirmed_by",
            "acknowledged_by",
        )
        .filter(pk=agreement.pk)
        .get()
    )
    from passend.quality.reports import page_counter_css

    return {
        "agreement": agreement,
        "school": agreement.school,
        "partnership": agreement.school.partnership,
        "presence_days": weekdays(agreement.presence_days),
        "tasks": task_groups(agreement),
        "changes": services.agreement_changes(agreement),
        "generated_at": timezone.localtime(),
        "page_counter_css": page_counter_css(),
    }


def render_agreement_pdf(agreement: WorkAgreement, *, uncompressed: bool = False) -> bytes:
    """The werkafspraken as a PDF for signing and archiving; ``uncompressed`` writes plain
    content streams (tests read the text back from them)."""
    return documents.render_pdf(
        "agreements/pdf/agreement.html", pdf_context(agreement), uncompressed=uncompressed
    )


def pdf_filename(agreement: WorkAgreement) -> str:
    return documents.filename(
        "werkafspraken",
        agreement.school.name,
        agreement.bpo.full_name,
        agreement.school_year.name,
        f"v{agreement.version}",
    )
