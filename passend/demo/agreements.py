"""Demo data for werkafspraken: school A adopted the SWV's task description and adapted it; its
BPO (bpo.a) has last year's werkafspraken (acknowledged, annual evaluation held: keep) and this
year's: version 1 acknowledged, an interim evaluation that adjusted them, and version 2 as a
draft with the differences; bpo.a rated their competencies. School B's BPO (bpo.b) confirmed a
draft that waits for the coordinator (oc.b).

Idempotent: a school that already has werkafspraken for the current year gets nothing new.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from passend.accounts.models import User
from passend.activities.choices import TaskArea
from passend.agreements import services
from passend.agreements.choices import EvaluationDecision, EvaluationKind
from passend.agreements.models import WorkAgreement
from passend.agreements.services import AreaInput, ItemInput, TaskInput
from passend.demo.services import SCHOOL_A, SCHOOL_B
from passend.organisations.models import School, SchoolYear

TASKS = [
    (
        TaskArea.STUDENT,
        (
            "Onderzoek naar ondersteuningsvragen en observaties in de klas, met verslag en "
            "handelingsadviezen."
        ),
        "160",
    ),
    (
        TaskArea.STUDENT,
        "Begeleiding van leerlingen met een arrangement (gemiddeld 8 leerlingen).",
        "120",
    ),
    (
        TaskArea.PARENTS,
        "Gesprekken met ouders over de ontwikkeling van hun kind, samen met de mentor.",
        "60",
    ),
    (
        TaskArea.TEAM,
        "Coaching van mentoren en docenten bij handelingsadviezen; spreekuur op dinsdag.",
        "90",
    ),
    (TaskArea.TEAM, "Twee teamscholingen per jaar over sociaal-emotionele ontwikkeling.", "24"),
    (
        TaskArea.ORGANISATION,
        "Deelname aan het SOT (tweewekelijks) en de leerlingbesprekingen.",
        "60",
    ),
    (TaskArea.POLICY, "Bijdrage aan de evaluatie van het schoolondersteuningsprofiel.", "20"),
    (TaskArea.PROFESSIONALISATION, "Intervisie en netwerkcafé van het SWV; eigen scholing.", "40"),
]
ARRANGEMENTS = {
    "presence_days": ["tue", "thu"],
    "presence_times": "Dinsdag en donderdag 8.30–16.30 uur; SOT op donderdag 13.00 uur.",
    "sot_participation": (
        "Vast lid van het SOT; bereidt de casusbespreking voor samen met de "
        "ondersteuningscoördinator."
    ),
    "management": (
        "Werkt onder regie van de ondersteuningscoördinator; aangestuurd door de teamleider "
        "ondersteuning."
    ),
    "sot_informed": (
        "Het takenpakket wordt in de eerste SOT-vergadering van het schooljaar besproken en "
        "staat in het SOT-jaarplan."
    ),
    "notes": "",
}


def _tasks():
    return [TaskInput(area, text, hours) for area, text, hours in TASKS]


def _agree(agreement, coordinator, bpo, director=None):
    agreement = services.update_agreement(
        agreement,
        revision=agreement.revision,
        fields=ARRANGEMENTS,
        tasks=_tasks(),
        acting_user=coordinator,
    )
    services.confirm_agreement(agreement, acting_user=coordinator)
    agreement = services.confirm_agreement(agreement, acting_user=bpo)
    if director is not None:
        agreement = services.acknowledge_agreement(agreement, acting_user=director)
    return agreement


def load(users: dict[str, User]) -> None:
    year = SchoolYear.current()
    today = timezone.localdate()
    last_year = SchoolYear.get_or_create_for_start_year(year.start.year - 1)
    a = School.objects.filter(location_code=SCHOOL_A).first()
    b = School.objects.filter(location_code=SCHOOL_B).first()
    oc_a = users.get("oc.a@drechtsteden.example")
    director_a = users.get("directeur.a@drechtsteden.example")
    bpo_a = users.get("bpo.a@drechtsteden.example")
    if a and oc_a and director_a and bpo_a:
        if not WorkAgreement.objects.filter(school=a, school_year=year).exists():
            _school_a(a, year, last_year, today, oc_a, director_a, bpo_a)
    oc_b = users.get("oc.b@drechtsteden.example")
    bpo_b = users.get("bpo.b@drechtsteden.example")
    if b and oc_b and bpo_b and not WorkAgreement.objects.filter(school=b, school_year=year):
        draft = services.create_agreement(b, year, bpo_b, acting_user=oc_b)
        draft = services.update_agreement(
            draft, revision=draft.revision, fields=ARRANGEMENTS, tasks=_tasks(), acting_user=oc_b
        )
        services.confirm_agreement(draft, acting_user=bpo_b)


def _school_a(a, year, last_year, today, oc_a, director_a, bpo_a) -> None:
    from passend.agreements.models import TaskDescription

    if not TaskDescription.objects.filter(school=a).exists():
        own = services.adopt_task_description(a, acting_user=oc_a)
        items = [ItemInput(i.area, i.text, i.source) for i in own.items.all()]
        items.append(
            ItemInput(
                TaskArea.ORGANISATION,
                "Is aanspreekpunt voor de plusvoorziening (rebound) van de school.",
                "School",
            )
        )
        services.update_task_description(
            own,
            title=f"Taakomschrijving bpo'er {a.name}",
            introduction=own.introduction,
            items=items,
            acting_user=oc_a,
        )
    if not WorkAgreement.objects.filter(school=a, school_year=last_year).exists():
        old = services.create_agreement(a, last_year, bpo_a, acting_user=oc_a)
        old = _agree(old, oc_a, bpo_a, director_a)
        evaluation = services.start_evaluation(
            old,
            kind=EvaluationKind.ANNUAL,
            date=last_year.end - timedelta(days=40),
            acting_user=oc_a,
        )
        services.update_evaluation(
            evaluation,
            revision=evaluation.revision,
            fields={
                "conclusion": (
                    "De bpo'er is goed zichtbaar in de school; de werkafspraken blijven staan."
                )
            },
            areas={TaskArea.TEAM: AreaInput("Mentoren weten de bpo'er te vinden.", "")},
            acting_user=oc_a,
        )
        services.finalise_evaluation(evaluation, decision=EvaluationDecision.KEEP, acting_user=oc_a)
    agreement = services.create_agreement(a, year, bpo_a, acting_user=oc_a)
    agreement = _agree(agreement, oc_a, bpo_a, director_a)
    interim_day = max(year.start, min(today, year.end) - timedelta(days=2))
    interim = services.start_evaluation(
        agreement, kind=EvaluationKind.INTERIM, date=interim_day, acting_user=oc_a
    )
    services.update_evaluation(
        interim,
        revision=interim.revision,
        fields={
            "conclusion": (
                "Meer vragen van ouders dan verwacht; uren voor oudergesprekken omhoog, "
                "teamscholing één keer."
            ),
            "other_participants": "Teamleider ondersteuning",
        },
        areas={
            TaskArea.PARENTS: AreaInput("Ouders weten de bpo'er te vinden.", "Meer uren nodig."),
            TaskArea.TEAM: AreaInput("Spreekuur loopt goed.", "Eén teamscholing is genoeg."),
        },
        acting_user=oc_a,
    )
    interim = services.finalise_evaluation(
        interim, decision=EvaluationDecision.ADJUST, acting_user=oc_a
    )
    v2 = interim.next_agreement
    tasks = [TaskInput(t.area, t.description, t.hours, t.origin_id) for t in v2.tasks.all()]
    tasks = [
        TaskInput(t.area, t.description, "90", t.origin_id)
        if t.area == TaskArea.PARENTS
        else TaskInput(
            t.area,
            t.description.replace("Twee teamscholingen", "Eén teamscholing"),
            "12",
            t.origin_id,
        )
        if "teamscholingen" in t.description
        else t
        for t in tasks
    ]
    services.update_agreement(v2, revision=v2.revision, fields={}, tasks=tasks, acting_user=oc_a)
    profile = services.start_profile(a, year, bpo_a, acting_user=bpo_a)
    levels = {r.competency_id: 3 for r in profile.ratings.all()}
    first = next(iter(levels), None)
    if first is not None:
        levels[first] = 4
    services.rate_competencies(
        profile,
        levels=levels,
        as_coordinator=False,
        development_goals="Verdieping in groepsdynamiek; training oplossingsgericht coachen.",
        acting_user=bpo_a,
    )
