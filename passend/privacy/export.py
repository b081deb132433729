"""A student's data on request (right of access, AVG art. 15): everything passend holds about
the student — the file, guardians, cases with contacts, observations and recommendations,
consents — and who looked at it (the access log), as JSON and as a PDF. A constant number of
queries."""

from __future__ import annotations

import datetime

from django.utils import timezone

from passend.privacy.audit import VIEW_ACTION


def access_log(student):
    """Who viewed the student's data, newest first."""
    from passend.audit.models import AuditEvent

    return AuditEvent.objects.filter(action=VIEW_ACTION, extra__student=str(student.code)).order_by(
        "-timestamp", "-pk"
    )


def _day(value):
    return value.isoformat() if isinstance(value, datetime.date) else value


def student_data(student) -> dict:
    from passend.applications.export import student_applications
    from passend.caseload.models import Consent, SupportCase
    from passend.plans.export import student_plans
    from passend.transitions.export import student_transitions

    cases = (
        SupportCase.objects.filter(student=student)
        .select_related("bpo")
        .prefetch_related(
            "contacts", "observations", "recommendations__approaches", "status_changes"
        )
        .order_by("signalled_on", "pk")
    )
    consents = Consent.objects.filter(student=student).select_related("guardian", "partner")
    return {
        "generated_at": timezone.now().isoformat(),
        "student": {
            "student_number": student.student_number,
            "first_name": student.first_name,
            "name_prefix": student.name_prefix,
            "last_name": student.last_name,
            "date_of_birth": _day(student.date_of_birth),
            "school": student.school.name,
            "class": student.class_name,
            "year_of_study": student.year_of_study,
            "level": student.level,
            "mentor": student.mentor.full_name if student.mentor else "",
            "enrolled_on": _day(student.enrolled_on),
            "left_on": _day(student.left_on),
        },
        "guardians": [
            {
                "name": g.name,
                "relation": g.get_relation_display(),
                "has_authority": g.has_authority,
                "email": g.email,
                "phone": g.phone,
            }
            for g in student.guardians.all()
        ],
        "cases": [
            {
                "signalled_on": _day(c.signalled_on),
                "signal_source": c.get_signal_source_display(),
                "signalled_by": c.signalled_by_name,
                "signal": c.signal,
                "question": c.question,
                "status": c.get_status_display(),
                "bpo": c.bpo.full_name if c.bpo else "",
                "closed_on": _day(c.closed_on),
                "contacts": [
                    {"date": _day(x.date), "with": x.get_kind_display(), "notes": x.notes}
                    for x in c.contacts.all()
                ],
                "observations": [
                    {"date": _day(x.date), "lesson": x.lesson, "report": x.report}
                    for x in c.observations.all()
                ],
                "recommendations": [
                    {
                        "date": _day(x.date),
                        "for": x.get_audience_display(),
                        "text": x.text,
                        "approaches": [a.name for a in x.approaches.all()],
                        "follow_up": x.get_status_display(),
                        "follow_up_note": x.follow_up,
                    }
                    for x in c.recommendations.all()
                ],
            }
            for c in cases
        ],
        "consents": [
            {
                "given_by": c.get_given_by_display(),
                "guardian": c.guardian.name if c.guardian else "",
                "scope": c.get_domain_display()
                if c.domain
                else (c.partner.full_name if c.partner else ""),
                "purpose": c.purpose,
                "given_on": _day(c.given_on),
                "expires_on": _day(c.expires_on),
                "withdrawn_on": _day(c.withdrawn_on),
            }
            for c in consents
        ],
        "transitions": student_transitions(student),
        "applications": student_applications(student),
        "development_plans": student_plans(student),
        "access_log": [
            {
                "at": e.timestamp.isoformat(),
                "who": e.actor_label,
                "what": e.extra.get("what", ""),
                "on_behalf_of": e.extra.get("on_behalf_of", ""),
            }
            for e in access_log(student)
        ],
    }
