"""What is due in development plans (OPP), for the due list (passend.due.items):

- "plan_to_set": a first version not set while its six weeks (``trigger_date`` + 42 days) end
  within ``SET_NOTICE_DAYS`` or have passed. Later versions are revisions of a plan in force and
  run no six-week clock.
- "plan_evaluation_due": the plan in force whose next evaluation
  (``DevelopmentPlan.next_evaluation_due``) falls within ``EVALUATION_NOTICE_DAYS`` or has passed.

For the school's coordinator and BPOs (passend.plans.access), for current students only. Two
queries for the plans, whatever their number (plus the scope, cached per request).
"""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from passend.due.items import DueItem
from passend.plans import access, clocks
from passend.plans.choices import PlanStatus

SET_NOTICE_DAYS = 14
EVALUATION_NOTICE_DAYS = 30


def due_items(user, on: datetime.date) -> list[DueItem]:
    plans = access.visible_plans(user).filter(
        Q(student__left_on__isnull=True) | Q(student__left_on__gt=on)
    )
    related = ("student", "school")
    items: list[DueItem] = []

    # The latest trigger date whose deadline is within the notice period.
    latest_trigger = on + datetime.timedelta(days=SET_NOTICE_DAYS - clocks.SET_WITHIN_DAYS)
    to_set = (
        plans.filter(previous__isnull=True, trigger_date__lte=latest_trigger)
        .exclude(status=PlanStatus.SET)
        .select_related(*related)
    )
    for plan in to_set:
        items.append(
            DueItem(
                kind="plan_to_set",
                kind_label=_("OPP vaststellen"),
                title=_("OPP van %(name)s vaststellen") % {"name": plan.student.full_name},
                due_on=plan.set_deadline,
                url=reverse("plans:plan_detail", args=[plan.code]),
                school=plan.school,
                student=plan.student,
            )
        )

    horizon = on + datetime.timedelta(days=EVALUATION_NOTICE_DAYS)
    for plan in plans.in_force().with_state().select_related(*related):
        due = plan.next_evaluation_due()
        if due is not None and due <= horizon:
            items.append(
                DueItem(
                    kind="plan_evaluation_due",
                    kind_label=_("OPP evalueren"),
                    title=_("OPP van %(name)s evalueren") % {"name": plan.student.full_name},
                    due_on=due,
                    url=reverse("plans:evaluation_create", args=[plan.code]),
                    school=plan.school,
                    student=plan.student,
                )
            )
    items.sort(key=lambda item: (item.due_on, item.title))
    return items
