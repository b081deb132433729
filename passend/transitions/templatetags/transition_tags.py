"""The transitions block of the student page: ``{% student_transitions student request.user %}``
shows the student's transitions and the link to record one, to the school's coordinator and
BPOs only (passend.transitions.access). One query, however many transitions."""

from __future__ import annotations

from django import template

from passend.transitions import access

register = template.Library()


@register.inclusion_tag("transitions/_student_transitions.html")
def student_transitions(student, user) -> dict:
    show = access.may_manage(user, student.school_id)
    rows = (
        list(
            access.visible_transitions(user)
            .filter(student=student)
            .select_related("other_school")
            .order_by("-date", "-created_at")
        )
        if show
        else []
    )
    return {"show": show, "student": student, "transitions": rows}
