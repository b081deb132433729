"""Consent and sharing blocks for pages of other parts: the student page includes
``{% student_consents student request.user %}``, the case page
``{% case_sharing case request.user %}``. Both show nothing to anyone but the school's
coordinator and BPOs (a partner never sees who else a case is shared with)."""

from __future__ import annotations

from django import template
from django.utils import timezone

from passend.caseload import access
from passend.caseload import consent as services

register = template.Library()


@register.inclusion_tag("caseload/consent/_consent_list.html", takes_context=True)
def student_consents(context, student, user) -> dict:
    """The student's consents with their status, withdraw buttons and the link to record one
    (one query)."""
    show = services.may_manage(user, student.school_id)
    return {
        "show": show,
        "student": student,
        "rows": services.student_consents(student) if show else [],
        "may_manage": show,
        "today": timezone.localdate(),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("caseload/consent/_case_sharing.html", takes_context=True)
def case_sharing(context, case, user) -> dict:
    """The case's shares, whether a valid consent covers each, and the link to manage them
    (three queries)."""
    show = access.can_work(user, case)
    return {
        "show": show,
        "case": case,
        "rows": services.share_coverage(case) if show else [],
        "csrf_token": context.get("csrf_token"),
    }
