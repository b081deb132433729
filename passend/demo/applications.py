"""Demo applications at school A, on top of the caseload demo (passend/demo/caseload.py).

- Sara Koster (evaluation case): a TLV VSO granted by the SWV eight months ago, category M,
  ending in two months — so it is on the due list of the coordinator and the BPO ("TLV ending
  within three months"); two independent advices (an orthopedagogue and a child psychiatrist),
  her mother's consent for the whole dossier.
- Youssef Benali (advice case): an arrangement Op Maat submitted to the SWV last week, awaiting
  the consultant (on the SWV's due list); his mother consented to the question, what was tried
  and the recommendations, not to the observations or the contacts.
- Lotte Vos (analysis case): a draft arrangement within the school, no consent yet.

Through the application services (start, dossier, advices, consent, submit, review, decide) by
bpo.a, oc.a and the consultant, so the audit trail has the events; the services stamp today, so
the granted TLV's and the submitted application's dates are backdated with the ORM afterwards.
Idempotent: nothing is added when school A has any application.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from passend.accounts.models import User
from passend.applications import services
from passend.applications.choices import ApplicationKind, DossierPart, Outcome, TlvCategory
from passend.applications.models import Application, ApplicationStatusChange
from passend.demo import caseload as demo_caseload
from passend.demo.services import SCHOOL_A
from passend.organisations.models import School

CONSULTANT = "consulent@drechtsteden.example"


def _dossier(application, case, *, tried: str, mdo_on, bpo) -> None:
    services.update_application(
        application,
        kind=application.kind,
        question=case.question,
        tried=tried,
        observations=list(case.observations.all()),
        recommendations=list(case.recommendations.all()),
        mdo_on=mdo_on,
        acting_user=bpo,
    )


def _consent(application, case, parts, *, given_on, bpo) -> None:
    guardian = case.student.guardians.filter(has_authority=True).order_by("position").first()
    services.record_dossier_consent(
        application,
        given_by="guardian",
        guardian=guardian,
        given_on=given_on,
        parts=parts,
        acting_user=bpo,
    )


def _backdate(application, days_ago: dict[str, int], today) -> None:
    """Set the date fields in ``days_ago`` to that many days before ``today``, and the history
    steps to the day of the matching date."""
    Application.objects.filter(pk=application.pk).update(
        **{field: today - timedelta(days=days) for field, days in days_ago.items()}
    )
    steps = {"submitted": "submitted_on", "under_review": "submitted_on", "granted": "decided_on"}
    for status, field in steps.items():
        if field in days_ago:
            moment = timezone.now() - timedelta(days=days_ago[field])
            ApplicationStatusChange.objects.filter(
                application=application, to_status=status
            ).update(changed_at=moment)


def load(users: dict[str, User]) -> None:
    school = School.objects.get(location_code=SCHOOL_A)
    if Application.objects.filter(school=school).exists():
        return
    coordinator = users[demo_caseload.COORDINATOR_A]
    bpo = users[demo_caseload.BPO_A]
    consultant = users[CONSULTANT]
    cases = demo_caseload.demo_cases()
    today = timezone.localdate()
    with transaction.atomic():
        # Sara: a granted TLV VSO, ending within three months.
        case = cases[demo_caseload.EVALUATION_CASE]
        tlv = services.start_application(case, kind=ApplicationKind.TLV_VSO, acting_user=bpo)
        _dossier(
            tlv,
            case,
            tried=(
                "Een jaar begeleiding binnen de school: een vaste mentor-coach, een aangepast "
                "rooster met een rustplek, en een plusarrangement van het SWV. Sara kwam in die "
                "tijd steeds minder op school."
            ),
            mdo_on=today,
            bpo=bpo,
        )
        for profession, name, advice in (
            (
                "orthopedagogue",
                "Drs. Marloes van Rijn",
                "Sara heeft een kleine, voorspelbare leeromgeving nodig met veel nabijheid van "
                "een vaste volwassene. Het VSO kan dat bieden; het regulier onderwijs na een jaar "
                "intensieve begeleiding niet.",
            ),
            (
                "child_psychiatrist",
                "Dr. Ahmed Yilmaz",
                "Vanuit de behandeling sluit ik mij aan bij het advies voor het VSO, met "
                "afstemming tussen school en behandelaar.",
            ),
        ):
            services.add_advice(
                tlv,
                profession=profession,
                name=name,
                given_on=today,
                advice=advice,
                independent=True,
                acting_user=bpo,
            )
        _consent(tlv, case, list(DossierPart.values), given_on=today, bpo=bpo)
        services.submit_application(tlv, acting_user=coordinator)
        services.start_review(tlv, acting_user=consultant)
        services.decide_application(
            tlv,
            outcome=Outcome.GRANTED,
            decision_number=f"TLV-{today.year}-0147",
            decided_on=today,
            category=TlvCategory.M,
            starts_on=today - timedelta(days=230),
            ends_on=today + timedelta(days=60),
            acting_user=consultant,
        )
        _backdate(tlv, {"mdo_on": 262, "submitted_on": 255, "decided_on": 240}, today)

        # Youssef: an arrangement Op Maat awaiting the SWV.
        case = cases[demo_caseload.ADVICE_CASE]
        op_maat = services.start_application(
            case, kind=ApplicationKind.ARRANGEMENT_OP_MAAT, acting_user=bpo
        )
        _dossier(
            op_maat,
            case,
            tried=(
                "Afspraken over korte, één-op-één correctie, een time-outkaart en een vaste plek "
                "om even af te koelen. Het uitlopen is minder geworden, maar in de laatste uren "
                "lukt het nog niet."
            ),
            mdo_on=today,
            bpo=bpo,
        )
        parts = [DossierPart.QUESTION, DossierPart.TRIED, DossierPart.RECOMMENDATIONS]
        _consent(op_maat, case, parts, given_on=today, bpo=bpo)
        services.submit_application(op_maat, acting_user=coordinator)
        _backdate(op_maat, {"mdo_on": 14, "submitted_on": 7}, today)

        # Lotte: a draft.
        case = cases[demo_caseload.ANALYSIS_CASE]
        draft = services.start_application(
            case, kind=ApplicationKind.ARRANGEMENT_WITHIN_SCHOOL, acting_user=bpo
        )
        _dossier(
            draft,
            case,
            tried="Gesprekken met de mentor over de spanning rond toetsen.",
            mdo_on=None,
            bpo=bpo,
        )
