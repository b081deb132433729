"""A student's applications in the data export on request (right of access, AVG art. 15;
passend.privacy.export): everything passend holds, the parts the consent excludes included —
the export is for the student, not for the SWV. A constant number of queries."""

from __future__ import annotations

import datetime

from django.db.models import Prefetch


def _day(value):
    return value.isoformat() if isinstance(value, datetime.date) else value


def student_applications(student) -> list[dict]:
    from passend.applications.models import Application, ApplicationStatusChange, ExpertAdvice

    applications = (
        Application.objects.filter(student=student)
        .select_related("case", "dossier_consent")
        .prefetch_related(
            "observations",
            "recommendations",
            Prefetch("advices", queryset=ExpertAdvice.objects.order_by("given_on", "pk")),
            Prefetch(
                "status_changes", queryset=ApplicationStatusChange.objects.order_by("changed_at")
            ),
        )
        .order_by("created_at", "pk")
    )
    result = []
    for a in applications:
        consent = getattr(a, "dossier_consent", None)
        result.append(
            {
                "kind": a.get_kind_display(),
                "status": a.get_status_display(),
                "case_signalled_on": _day(a.case.signalled_on),
                "question": a.question,
                "tried": a.tried,
                "observations": [_day(o.date) for o in a.observations.all()],
                "recommendations": [_day(r.date) for r in a.recommendations.all()],
                "mdo_on": _day(a.mdo_on),
                "submitted_on": _day(a.submitted_on),
                "expert_advices": [
                    {
                        "profession": x.get_profession_display(),
                        "name": x.name,
                        "given_on": _day(x.given_on),
                        "advice": x.advice,
                        "independent": x.independent,
                    }
                    for x in a.advices.all()
                ],
                "dossier_consent": {
                    "given_by": consent.get_given_by_display(),
                    "guardian": consent.guardian_name,
                    "given_on": _day(consent.given_on),
                    "parts": consent.part_labels,
                }
                if consent is not None
                else None,
                "decision": {
                    "outcome": a.get_outcome_display(),
                    "decision_number": a.decision_number,
                    "decided_on": _day(a.decided_on),
                    "category": a.category,
                    "starts_on": _day(a.starts_on),
                    "ends_on": _day(a.ends_on),
                    "objection_filed_on": _day(a.objection_filed_on),
                }
                if a.outcome
                else None,
                "history": [
                    {"status": c.get_to_status_display(), "at": c.changed_at.isoformat()}
                    for c in a.status_changes.all()
                ],
            }
        )
    return result
