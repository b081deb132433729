"""What is due in applications (a provider of passend.due.items):

- for the school's coordinator and BPOs: a granted TLV that ends within three months
  (``tlv_ending``: end date within 92 days), and a decision whose objection period (six weeks,
  42 days) is still running while no objection was filed (``objection_deadline``);
- for the SWV (partnership_admin; consultants SWV-wide or assigned to the school): submitted
  applications awaiting review or decision (``application_to_decide``), due eight weeks after
  submission (Awb 4:13, passend.applications.services.DECISION_DAYS).

Scoped through passend.applications.access; three queries at most, however many items.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from passend.accounts.access import school_q, scope_for
from passend.applications import access
from passend.applications.choices import AWAITING_DECISION, DECIDED, TLV_KINDS, Outcome
from passend.applications.models import OBJECTION_DAYS, Application
from passend.applications.services import DECISION_DAYS
from passend.due.items import DueItem
from passend.students.access import file_school_ids

#: "Within three months".
TLV_ENDING_DAYS = 92

TLV_ENDING = "tlv_ending"
OBJECTION_DEADLINE = "objection_deadline"
TO_DECIDE = "application_to_decide"


def _day(day: date) -> str:
    return date_format(day, "j F Y")


def _url(application: Application) -> str:
    return reverse("applications:application_detail", args=[application.code])


def _item(kind: str, label: str, title: str, due_on: date, application: Application) -> DueItem:
    return DueItem(
        kind=kind,
        kind_label=label,
        title=title,
        due_on=due_on,
        url=_url(application),
        school=application.school,
        student=application.student,
    )


def due_items(user, on: date) -> list[DueItem]:
    """What is due in applications for ``user`` on day ``on``."""
    items: list[DueItem] = []
    if not user.is_authenticated:
        return items
    school_ids = file_school_ids(user)
    if school_ids:
        own = Application.objects.filter(school_id__in=school_ids).select_related(
            "student", "school"
        )
        ending = own.filter(
            kind__in=sorted(TLV_KINDS),
            outcome=Outcome.GRANTED,
            ends_on__gte=on,
            ends_on__lte=on + timedelta(days=TLV_ENDING_DAYS),
        ).order_by("ends_on", "pk")
        for application in ending:
            items.append(
                _item(
                    TLV_ENDING,
                    _("TLV loopt binnen drie maanden af"),
                    _("De %(kind)s van %(name)s loopt af op %(date)s")
                    % {
                        "kind": application.get_kind_display(),
                        "name": application.student.full_name,
                        "date": _day(application.ends_on),
                    },
                    application.ends_on,
                    application,
                )
            )
        objectable = own.filter(
            status__in=sorted(DECIDED),
            objection_filed_on__isnull=True,
            decided_on__gte=on - timedelta(days=OBJECTION_DAYS),
        ).order_by("decided_on", "pk")
        for application in objectable:
            deadline = application.objection_deadline()
            items.append(
                _item(
                    OBJECTION_DEADLINE,
                    _("Bezwaartermijn loopt"),
                    _("Bezwaar tegen het besluit over %(name)s (%(kind)s) kan tot en met %(date)s")
                    % {
                        "kind": application.get_kind_display(),
                        "name": application.student.full_name,
                        "date": _day(deadline),
                    },
                    deadline,
                    application,
                )
            )
    scope = scope_for(user)
    if scope.partnership_ids(access.SWV_ROLES) or scope.school_ids(access.SWV_ROLES):
        waiting = (
            Application.objects.filter(
                school_q(user, access.SWV_ROLES), status__in=sorted(AWAITING_DECISION)
            )
            .select_related("student", "school")
            .order_by("submitted_on", "pk")
        )
        for application in waiting:
            items.append(
                _item(
                    TO_DECIDE,
                    _("Aanvraag wacht op besluit van het SWV"),
                    _("%(kind)s voor %(name)s (%(school)s), ingediend op %(date)s")
                    % {
                        "kind": application.get_kind_display(),
                        "name": application.student.full_name,
                        "school": application.school.name,
                        "date": _day(application.submitted_on),
                    },
                    application.submitted_on + timedelta(days=DECISION_DAYS),
                    application,
                )
            )
    return items
