"""Demo development plans (OPP) at school A, on top of the caseload demo
(passend/demo/caseload.py), one in each telling state:

- Sara Koster (the case in evaluation): extra support started 120 days ago; her OPP was drafted
  by the BPO, discussed with her parents (agreement reached), consented to by her mother, set
  by the coordinator on day 20, and evaluated once, five days ago (continue). Her own view is
  recorded.
- Noa Bakker (17, her own consent case): an OPP in consultation. Her mother refused the action
  part (dropping a subject), with the reason: it stays in consultation and cannot be set; its
  six weeks have passed as well.
- Youssef Benali (the advice case): a draft whose six weeks ended a week ago, not set: the due
  list of oc.a shows it as overdue.

Through the plan services, by the persons who would do it (bpo.a drafts, oc.a consults, records
consent and sets), so the audit trail has the events. Dates are relative to today and never in
the future. Idempotent: a student who has any plan gets nothing new.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from passend.accounts.models import User
from passend.demo import caseload as demo_caseload
from passend.plans import services
from passend.plans.choices import (
    ConsentDecision,
    ConsultationParty,
    EvaluationDecision,
    ExitDestination,
    GoalResult,
    PlanConsentGiver,
    PlanTrigger,
)
from passend.plans.models import DevelopmentPlan

DAY = timedelta(days=1)

SARA_GOALS = [
    services.GoalInput(
        goal="Sara maakt schriftelijke toetsen zonder dat ze 'dichtklapt'.",
        approach="Faalangstreductietraining (acht bijeenkomsten) en een vaste aanpak bij de "
        "start van elke toets.",
        who="Bpo'er en trainer",
        when="Tot de kerstvakantie",
        measure="Sara haalt bij drie toetsen op rij een cijfer dat past bij haar opdrachten.",
    ),
    services.GoalInput(
        goal="Sara bereidt toetsen gespreid voor.",
        approach="Weekplanner; elke maandag kort bespreken met de mentor.",
        who="Mentor",
        when="Wekelijks",
        measure="De planner is zes van de acht weken ingevuld en gevolgd.",
    ),
]

NOA_GOALS = [
    services.GoalInput(
        goal="Noa haalt de achterstand bij de examenvakken in.",
        approach="Inhaalplan per vak met hooguit twee opdrachten per week.",
        who="Mentor en vakdocenten",
        when="Voor de meivakantie",
        measure="Alle verplichte opdrachten van het PTA zijn ingeleverd.",
    ),
]


def _sara(student, case, guardian, *, coordinator, bpo, today) -> None:
    trigger = today - 120 * DAY
    plan = services.create_plan(
        student,
        case=case,
        fields={
            "trigger": PlanTrigger.EXTRA_SUPPORT,
            "trigger_date": trigger,
            "exit_destination": ExitDestination.VWO,
            "exit_explanation": "Sara haalt bij opdrachten en presentaties vwo-niveau; de "
            "toetscijfers blijven achter door toetsangst, niet door het niveau.",
            "hindering_factors": "Toetsangst bij schriftelijke toetsen; hoge eigen verwachtingen.",
            "supporting_factors": "Gemotiveerd, sterk in mondelinge opdrachten, betrokken ouders.",
            "programme_deviations": "Toetsen waar mogelijk in een rustig lokaal.",
            "support_offered": "Faalangstreductietraining; wekelijks gesprek met de mentor over "
            "de planning.",
            "student_view": "Ik wil op het gymnasium blijven. De training lijkt me goed, als "
            "niet de hele klas het weet.",
            "student_heard_on": trigger + 8 * DAY,
        },
        acting_user=bpo,
    )
    services.update_goals(plan, SARA_GOALS, acting_user=bpo)
    services.add_consultation(
        plan,
        date=trigger + 10 * DAY,
        party=ConsultationParty.GUARDIAN_AND_STUDENT,
        guardian=guardian,
        summary="Plan besproken met moeder en Sara. Eens over de training en de planner; het "
        "rustige lokaal is afhankelijk van de roosters.",
        agreement_reached=True,
        acting_user=coordinator,
    )
    services.record_consent(
        plan,
        given_by=PlanConsentGiver.GUARDIAN,
        guardian=guardian,
        date=trigger + 14 * DAY,
        decision=ConsentDecision.GIVEN,
        acting_user=coordinator,
    )
    services.set_plan(plan, set_on=trigger + 20 * DAY, acting_user=coordinator)
    services.add_evaluation(
        plan,
        date=today - 5 * DAY,
        results=[
            services.ResultInput(str(goal.code), result, note)
            for goal, (result, note) in zip(
                plan.goals.all(),
                [
                    (GoalResult.ACHIEVED, "Training afgerond; de toetscijfers zijn gestegen."),
                    (GoalResult.PARTLY, "De planner wordt gebruikt, niet elke week."),
                ],
                strict=True,
            )
        ],
        conclusion="De training heeft geholpen; Sara blijft op het vwo.",
        next_steps="Planner blijven gebruiken; na de volgende rapportvergadering opnieuw kijken.",
        decision=EvaluationDecision.CONTINUE,
        acting_user=coordinator,
    )


def _noa(student, case, guardian, *, coordinator, bpo, today) -> None:
    trigger = today - 60 * DAY
    plan = services.create_plan(
        student,
        case=case,
        fields={
            "trigger": PlanTrigger.EXTRA_SUPPORT,
            "trigger_date": trigger,
            "exit_destination": ExitDestination.HAVO,
            "exit_explanation": "Na maanden ziekte is het vwo-examen dit jaar niet haalbaar; "
            "havo met een verlengd programma wel.",
            "hindering_factors": "Grote achterstand na ziekte (pfeiffer); weinig energie.",
            "supporting_factors": "Noa wil zelf graag verder en vraagt om hulp.",
            "programme_deviations": "Eén vak laten vallen en het programma over twee jaar "
            "spreiden.",
            "support_offered": "Inhaalplan per vak; wekelijks contact met de bpo'er.",
            "student_view": "Ik wil liever een vak laten vallen dan het hele jaar overdoen.",
            "student_heard_on": trigger + 5 * DAY,
        },
        acting_user=bpo,
    )
    services.update_goals(plan, NOA_GOALS, acting_user=bpo)
    services.add_consultation(
        plan,
        date=trigger + 10 * DAY,
        party=ConsultationParty.GUARDIAN_AND_STUDENT,
        guardian=guardian,
        summary="Moeder en Noa zijn het eens over het inhaalplan, niet over het laten vallen "
        "van een vak.",
        agreement_reached=False,
        acting_user=coordinator,
    )
    services.record_consent(
        plan,
        given_by=PlanConsentGiver.GUARDIAN,
        guardian=guardian,
        date=today - 20 * DAY,
        decision=ConsentDecision.REFUSED,
        reason="Moeder wil niet dat Noa een vak laat vallen; eerst zien hoe het inhaalplan gaat.",
        acting_user=coordinator,
    )


def _youssef(student, case, *, bpo, today) -> None:
    plan = services.create_plan(
        student,
        case=case,
        fields={
            "trigger": PlanTrigger.EXTRA_SUPPORT,
            "trigger_date": today - 50 * DAY,
            "exit_destination": ExitDestination.VWO,
            "exit_explanation": "",
            "hindering_factors": "Reageert fel op correctie, vooral in de laatste lesuren.",
            "supporting_factors": "Goede band met de mentor.",
            "programme_deviations": "",
            "support_offered": "Time-out kaart; dagelijkse check-in/check-out.",
            "student_view": "",
            "student_heard_on": None,
        },
        acting_user=bpo,
    )
    services.update_goals(
        plan,
        [
            services.GoalInput(
                goal="Youssef blijft in de les als hij boos wordt.",
                approach="Time-out kaart met vaste terugkeer na tien minuten.",
                who="Docenten en bpo'er",
                when="Dagelijks",
                measure="Hooguit één keer per week de les uit, en hij komt terug.",
            )
        ],
        acting_user=bpo,
    )


def load(users: dict[str, User]) -> None:
    cases = demo_caseload.demo_cases()
    coordinator = users[demo_caseload.COORDINATOR_A]
    bpo = users[demo_caseload.BPO_A]
    today = timezone.localdate()
    wanted = {
        key: cases[key]
        for key in (
            demo_caseload.EVALUATION_CASE,
            demo_caseload.OWN_CONSENT_CASE,
            demo_caseload.ADVICE_CASE,
        )
        if key in cases
    }
    planned = set(
        DevelopmentPlan.objects.filter(
            student__in=[c.student for c in wanted.values()]
        ).values_list("student_id", flat=True)
    )
    with transaction.atomic():
        for key, case in wanted.items():
            student = case.student
            if student.pk in planned:
                continue
            guardian = student.guardians.filter(has_authority=True).order_by("position").first()
            if key == demo_caseload.EVALUATION_CASE:
                _sara(student, case, guardian, coordinator=coordinator, bpo=bpo, today=today)
            elif key == demo_caseload.OWN_CONSENT_CASE:
                _noa(student, case, guardian, coordinator=coordinator, bpo=bpo, today=today)
            else:
                _youssef(student, case, bpo=bpo, today=today)
