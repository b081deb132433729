"""The student's transitions in their data export on request (passend.privacy.export): every
field, the handover notes included (the student has a right to them). One query."""

from __future__ import annotations

import datetime


def _day(value):
    return value.isoformat() if isinstance(value, datetime.date) else value


def student_transitions(student) -> list[dict]:
    from passend.transitions.models import Transition

    return [
        {
            "kind": t.get_kind_display(),
            "direction": t.get_direction_display(),
            "other_school": t.other_name,
            "other_duo_code": t.other_duo_code,
            "date": _day(t.date),
            "handover_on": _day(t.handover_on),
            "handover_with": t.handover_with,
            "handover_notes": t.handover_notes,
            "consent": {True: "given", False: "refused"}.get(t.consent_given, ""),
            "consent_given_by": t.get_consent_given_by_display() if t.consent_given_by else "",
            "consent_guardian": t.consent_guardian_name,
            "consent_on": _day(t.consent_on),
            "shared_parts": [str(label) for label in t.shared_part_labels],
        }
        for t in Transition.objects.filter(student=student).order_by("date", "pk")
    ]
