"""Fixtures of applications (loaded by conftest.py), built through passend.applications.services
on top of ``caseload_world``."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from passend.applications import services
from passend.applications.choices import ApplicationKind, DossierPart, Outcome

ALL_PARTS = list(DossierPart.values)
ADVICE_ORTHO = "De orthopedagoog adviseert een plaatsing in het VSO."
ADVICE_OTHER = "De jeugdarts sluit zich bij dit advies aan."


def ready_draft(cw, *, kind=ApplicationKind.TLV_VSO, parts=ALL_PARTS, by=None):
    """A draft of ``kind`` for ``cw.student`` from ``cw.case`` with the case's observation and
    recommendation, two independent advices (an orthopedagogue and a physician) and the
    guardian's consent for ``parts``: ready to submit."""
    bpo = by or cw.world.users["bpo"]
    application = services.start_application(cw.case, kind=kind, acting_user=bpo)
    services.update_application(
        application,
        kind=kind,
        question=cw.case.question,
        tried="Vaste plek en check-in bij de start van de les.",
        observations=[cw.observation],
        recommendations=[cw.recommendation],
        mdo_on=cw.today,
        acting_user=bpo,
    )
    for profession, name, text in (
        ("orthopedagogue", "Drs. O. Pedagoog", ADVICE_ORTHO),
        ("physician", "Dr. A. Arts", ADVICE_OTHER),
    ):
        services.add_advice(
            application,
            profession=profession,
            name=name,
            given_on=cw.today,
            advice=text,
            independent=True,
            acting_user=bpo,
        )
    services.record_dossier_consent(
        application,
        given_by="guardian",
        guardian=cw.guardian,
        given_on=cw.today,
        parts=parts,
        acting_user=bpo,
    )
    return application


def submitted(cw, **kwargs):
    application = ready_draft(cw, **kwargs)
    return services.submit_application(application, acting_user=cw.world.users["coordinator"])


def under_review(cw, **kwargs):
    application = submitted(cw, **kwargs)
    return services.start_review(application, acting_user=cw.world.users["consultant"])


def granted(cw, *, category="M", starts_on=None, ends_on=None, **kwargs):
    application = under_review(cw, **kwargs)
    return services.decide_application(
        application,
        outcome=Outcome.GRANTED,
        decision_number="TLV-2026-001",
        decided_on=cw.today,
        category=category,
        starts_on=starts_on or cw.today,
        ends_on=ends_on,
        acting_user=cw.world.users["consultant"],
    )


@dataclass
class ApplicationsWorld:
    """On top of ``caseload_world`` (``cw``): for ``cw.student`` at school A a TLV VSO ``draft``
    ready to submit (its first advice ``advice``), an arrangement Op Maat ``submitted`` to the
    SWV, a TLV VSO ``reviewing`` (under review) and a TLV VSO ``granted`` (category M)."""

    world: object
    cw: object
    student: object
    student16: object
    draft: object
    advice: object
    submitted: object
    reviewing: object
    granted: object
    today: datetime.date


@pytest.fixture
def applications_world(caseload_world) -> ApplicationsWorld:
    cw = caseload_world
    draft = ready_draft(cw)
    return ApplicationsWorld(
        world=cw.world,
        cw=cw,
        student=cw.student,
        student16=cw.student16,
        draft=draft,
        advice=draft.advices.order_by("pk").first(),
        submitted=submitted(cw, kind=ApplicationKind.ARRANGEMENT_OP_MAAT),
        reviewing=under_review(cw),
        granted=granted(cw),
        today=cw.today,
    )
