"""A student's development plans in the data export on request (right of access, AVG art. 15;
passend.privacy.export): every version with its goals, consultations, decisions on the action
part (superseded ones included) and evaluations with their results. A constant number of
queries."""

from __future__ import annotations

import datetime

from django.db.models import Prefetch


def _day(value):
    return value.isoformat() if isinstance(value, datetime.date) else value


def student_plans(student) -> list[dict]:
    from passend.plans.models import DevelopmentPlan, PlanEvaluation, PlanGoalResult

    results = PlanGoalResult.objects.select_related("goal")
    plans = (
        DevelopmentPlan.objects.filter(student=student)
        .prefetch_related(
            "goals",
            "consultations",
            "consents",
            Prefetch(
                "evaluations",
                queryset=PlanEvaluation.objects.prefetch_related(
                    Prefetch("results", queryset=results)
                ).order_by("date", "pk"),
            ),
        )
        .order_by("version")
    )
    return [
        {
            "version": p.version,
            "status": p.get_status_display(),
            "trigger": p.get_trigger_display(),
            "trigger_date": _day(p.trigger_date),
            "set_on": _day(p.set_on),
            "set_late": p.set_late,
            "exit_destination": p.get_exit_destination_display(),
            "exit_explanation": p.exit_explanation,
            "hindering_factors": p.hindering_factors,
            "supporting_factors": p.supporting_factors,
            "programme_deviations": p.programme_deviations,
            "support_offered": p.support_offered,
            "student_view": p.student_view,
            "student_heard_on": _day(p.student_heard_on),
            "goals": [
                {
                    "goal": g.goal,
                    "approach": g.approach,
                    "who": g.who,
                    "when": g.when,
                    "measure": g.measure,
                }
                for g in p.goals.all()
            ],
            "consultations": [
                {
                    "date": _day(c.date),
                    "with": c.get_party_display(),
                    "guardian": c.with_name,
                    "summary": c.summary,
                    "agreement_reached": c.agreement_reached,
                }
                for c in p.consultations.all()
            ],
            "consents": [
                {
                    "date": _day(c.date),
                    "by": c.given_by_name,
                    "given_by": c.get_given_by_display(),
                    "decision": c.get_decision_display(),
                    "reason": c.reason,
                    "superseded": c.superseded,
                }
                for c in p.consents.all()
            ],
            "evaluations": [
                {
                    "date": _day(e.date),
                    "conclusion": e.conclusion,
                    "next_steps": e.next_steps,
                    "decision": e.get_decision_display(),
                    "results": [
                        {"goal": r.goal.goal, "result": r.get_result_display(), "note": r.note}
                        for r in e.results.all()
                    ],
                }
                for e in p.evaluations.all()
            ],
        }
        for p in plans
    ]
