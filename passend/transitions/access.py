"""Who may see and record transitions: the school's coordinator and its BPOs, the people who
open the student file (passend.students.access.file_school_ids; seed 001: the BPO is involved
in the transitions PO/VO and VO/MBO). They read and record alike, so there is no read-only
role: everyone else gets 404 ("the error for a thing you can't see is the same as for a thing
that does not exist"). Students are looked up through passend.students.access.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from passend.accounts.access import _parse_code
from passend.students.access import file_school_ids


def may_manage(user, school_id: int) -> bool:
    """Record and change transitions of the school's students: its coordinator and BPOs."""
    return school_id in file_school_ids(user)


def visible_transitions(user) -> QuerySet:
    """The transitions of the schools whose student files ``user`` opens."""
    from passend.transitions.models import Transition

    return Transition.objects.filter(school_id__in=file_school_ids(user))


def get_transition_for_user(user, code):
    """A transition of a school whose student files ``user`` opens (404 otherwise)."""
    transition = (
        visible_transitions(user)
        .select_related(
            "school", "school__partnership", "student", "student__school", "other_school"
        )
        .filter(code=_parse_code(code))
        .first()
    )
    if transition is None:
        raise Http404
    return transition


def transition_schools(user) -> QuerySet:
    """Schools whose list of transitions ``user`` may open."""
    from passend.organisations.models import School

    return School.objects.filter(pk__in=file_school_ids(user))


def get_transition_school(user, code):
    """A school whose transitions ``user`` may see (404 otherwise)."""
    school = (
        transition_schools(user).select_related("partnership").filter(code=_parse_code(code))
    ).first()
    if school is None:
        raise Http404
    return school
