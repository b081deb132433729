"""Who may see and work on development plans (OPP): the one rule for the plan pages, the PDF,
the student and case pages' plan section, the due list and the export, built on
passend.students.access.

- The school's coordinator and BPOs — the people who open student files
  (passend.students.access.file_school_ids) — read and write the plans of the school's
  students.
- Nobody else: not the director (student files are not for directors), not the mentor (who has
  the mentor report), not an SOT partner (a case shared with them does not share the OPP), not
  the SWV (it receives the plan in an application's dossier, passend.plans.services.dossier_plan),
  not other schools.

Outside the scope → 404. Everyone in scope may also write, so no 403 arises today; ``write`` is
kept so that a read-only role can be added in one place.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from passend.accounts.access import _parse_code
from passend.students.access import file_school_ids, get_student_for_user


def visible_plans(user) -> QuerySet:
    from passend.plans.models import DevelopmentPlan

    return DevelopmentPlan.objects.filter(school_id__in=file_school_ids(user))


def student_versions(user, student) -> QuerySet:
    """The versions of ``student``'s plan line that ``user`` sees (all or none)."""
    return visible_plans(user).filter(student=student)


def case_choices(user, student) -> QuerySet:
    """The cases of ``student`` a plan can come from: those the user sees."""
    from passend.caseload.access import visible_cases

    return visible_cases(user).filter(student=student)


def can_read(user, school_id: int) -> bool:
    return school_id in file_school_ids(user)


def can_work(user, obj) -> bool:
    """Draw up, consult, record consent, set, evaluate: the school's coordinator and BPOs.
    ``obj`` is anything with a ``school_id`` (a plan, a student)."""
    return obj.school_id in file_school_ids(user)


def get_plan_for_user(user, code, *, write: bool = False):
    """A plan version with its student, school and case (one query)."""
    plan = (
        visible_plans(user)
        .select_related(
            "student", "student__mentor", "school", "school__partnership", "case", "previous"
        )
        .filter(code=_parse_code(code))
        .first()
    )
    if plan is None:
        raise Http404
    if write and not can_work(user, plan):
        raise PermissionDenied
    return plan


def get_student_for_plans(user, code, *, write: bool = False):
    """A student whose plans the user may open (404 otherwise)."""
    student = get_student_for_user(user, code)
    if write and not can_work(user, student):
        raise PermissionDenied
    return student


def get_evaluation_for_user(user, code):
    from passend.plans.models import PlanEvaluation

    evaluation = (
        PlanEvaluation.objects.filter(school_id__in=file_school_ids(user), code=_parse_code(code))
        .select_related("plan", "plan__student", "plan__school", "evaluated_by", "led_to")
        .first()
    )
    if evaluation is None:
        raise Http404
    return evaluation
