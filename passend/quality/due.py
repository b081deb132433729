"""What is due in the quality framework, for the start page.

- Coordinators and directors see, per school of theirs, that the self-assessment of the current
  school year is not yet submitted, once the SWV's due date (``assessment_due`` of the current
  published framework) is less than ``DUE_SOON_DAYS`` away or past.
- Consultants see which of their schools (assigned ones; all schools of the SWV for an SWV-wide
  consultant) have not submitted for the current year, and which submitted ones await review.

``due_for`` costs a constant number of queries, whatever the number of schools.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone

from passend.accounts.access import scope_for
from passend.quality.access import EDIT_ROLES, REVIEW_ROLES, school_filter
from passend.quality.choices import AssessmentStatus, FrameworkStatus

DUE_SOON_DAYS = 30
DONE = frozenset({AssessmentStatus.SUBMITTED, AssessmentStatus.REVIEWED})


@dataclass(frozen=True)
class DueItem:
    """One school's self-assessment of ``school_year``, as far as it is due."""

    school: object
    school_year: object
    due: date | None
    overdue: bool
    status: str  # "" when not started
    assessment_code: object | None

    @property
    def url(self) -> str:
        if self.assessment_code is not None:
            return reverse("quality:assessment_detail", args=[self.assessment_code])
        return reverse("quality:school_assessments", args=[self.school.code])

    @property
    def status_label(self) -> str:
        from django.utils.translation import gettext as _

        if not self.status:
            return _("Nog niet gestart")
        return str(AssessmentStatus(self.status).label)


@dataclass
class Due:
    school_year: object = None
    #: For coordinators and directors: their schools' assessments due soon or overdue.
    school_items: list[DueItem] = field(default_factory=list)
    #: For consultants: their schools that have not submitted for the current year.
    not_submitted: list[DueItem] = field(default_factory=list)
    #: For consultants: submitted assessments waiting for their review.
    to_review: list[DueItem] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.school_items or self.not_submitted or self.to_review)


def due_for(user, on: date | None = None) -> Due:
    """What is due for ``user`` on day ``on`` (today by default)."""
    from passend.organisations.models import School, SchoolYear
    from passend.quality.models import QualityAssessment, QualityFramework

    scope = scope_for(user)
    roles = EDIT_ROLES | REVIEW_ROLES
    if not (scope.partnership_ids(roles) or scope.school_ids(roles)):
        return Due()
    on = on or timezone.localdate()
    year = SchoolYear.current(on)
    assessments = QualityAssessment.objects.filter(school=OuterRef("pk"), school_year=year)
    schools = list(
        School.objects.filter(school_filter(user, roles))
        .annotate(
            assessment_status=Subquery(assessments.values("status")[:1]),
            assessment_code=Subquery(assessments.values("code")[:1]),
        )
        .only("pk", "code", "name", "partnership_id")
        .order_by("name", "pk")
    )
    if not schools:
        return Due(school_year=year)
    frameworks: dict[int, QualityFramework] = {}
    for framework in QualityFramework.objects.filter(
        partnership_id__in={s.partnership_id for s in schools},
        school_year=year,
        status=FrameworkStatus.PUBLISHED,
    ).order_by("partnership_id", "-version"):
        frameworks.setdefault(framework.partnership_id, framework)

    due = Due(school_year=year)
    for school in schools:
        framework = frameworks.get(school.partnership_id)
        if framework is None:
            continue
        status = school.assessment_status or ""
        deadline = framework.assessment_due
        item = DueItem(
            school=school,
            school_year=year,
            due=deadline,
            overdue=framework.assessment_overdue(on),
            status=status,
            assessment_code=school.assessment_code,
        )
        if scope.has_school_role(school, EDIT_ROLES):
            if (
                status not in DONE
                and deadline is not None
                and on >= deadline - timedelta(days=DUE_SOON_DAYS)
            ):
                due.school_items.append(item)
        if scope.has_school_role(school, REVIEW_ROLES):
            if status == AssessmentStatus.SUBMITTED:
                due.to_review.append(item)
            elif status not in DONE:
                due.not_submitted.append(item)
    return due


# --- For the due list (passend.due) -------------------------------------------------------------


def due_items(user, on: date):
    """``due_for`` as items of the due list (passend.due.items.DueItem): a school's assessment
    not submitted, due by the framework's date (for the school's coordinator and director, and
    for its consultant once that date is less than ``DUE_SOON_DAYS`` away or past), and
    submitted assessments waiting for the consultant's review (no date of their own: due now).
    Names schools, never a student."""
    from django.utils.translation import gettext as _

    from passend.due.items import DueItem as ListItem

    due = due_for(user, on)
    soon = on + timedelta(days=DUE_SOON_DAYS)
    items: list[ListItem] = []
    seen: set[int] = set()
    consultant_items = [i for i in due.not_submitted if i.due is not None and i.due <= soon]
    for item in [*due.school_items, *consultant_items]:
        if item.school.pk in seen:  # a coordinator who is also the school's consultant
            continue
        seen.add(item.school.pk)
        items.append(
            ListItem(
                kind="assessment_not_submitted",
                kind_label=_("Zelfevaluatie kwaliteitskader niet ingediend"),
                title=_("Zelfevaluatie kwaliteitskader %(year)s nog niet ingediend – %(school)s")
                % {"year": item.school_year.name, "school": item.school.name},
                due_on=item.due,
                url=item.url,
                school=item.school,
            )
        )
    for item in due.to_review:
        items.append(
            ListItem(
                kind="assessment_to_review",
                kind_label=_("Zelfevaluatie beoordelen"),
                title=_("Zelfevaluatie kwaliteitskader %(year)s beoordelen – %(school)s")
                % {"year": item.school_year.name, "school": item.school.name},
                due_on=on,
                url=item.url,
                school=item.school,
            )
        )
    return items
