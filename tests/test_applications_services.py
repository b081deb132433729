"""Applications through their services (passend.applications.services): the legal clocks with
frozen dates (objection within 42 days of the decision, a TLV's end date defaulting to 31 July,
the category a granted TLV needs), what submitting needs (the dossier consent; for a TLV two
independent advices, one by an orthopedagogue or psychologist), the consent's age rule, the
kinds a partnership uses, the order of the steps with their history and audit events, and who
may take each step."""

from __future__ import annotations

import datetime
import json

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from passend.applications import services
from passend.applications.choices import (
    DEFAULT_KINDS,
    ApplicationKind,
    ApplicationStatus,
    DossierPart,
    Outcome,
)
from passend.applications.models import (
    Application,
    ApplicationStatusChange,
    DossierConsent,
    ExpertAdvice,
    school_year_end,
)
from passend.audit.models import AuditEvent
from passend.caseload.models import Observation, SupportCase
from tests.fixtures_applications import (
    ADVICE_ORTHO,
    ALL_PARTS,
    granted,
    ready_draft,
    submitted,
    under_review,
)

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def _users(cw):
    return cw.world.users


def _decide(application, cw, **overrides):
    values = {
        "outcome": Outcome.GRANTED,
        "decision_number": "B-1",
        "decided_on": cw.today,
        "category": "M",
        "starts_on": cw.today,
        "ends_on": None,
    }
    values.update(overrides)
    return services.decide_application(application, **values, acting_user=_users(cw)["consultant"])


def _field_errors(excinfo) -> dict:
    return excinfo.value.message_dict


# --- The legal clocks --------------------------------------------------------------------------


def test_objection_on_day_42_is_in_time_and_day_43_is_late(caseload_world):
    cw = caseload_world
    consultant = _users(cw)["consultant"]
    decided = datetime.date(2026, 3, 2)
    with time_machine.travel(datetime.datetime(2026, 2, 20, 10), tick=False):
        cw.today = datetime.date(2026, 2, 20)
        application = under_review(cw)
    with time_machine.travel(datetime.datetime(2026, 3, 2, 10), tick=False):
        _decide(application, cw, decided_on=decided, starts_on=decided)
    assert application.objection_deadline() == decided + 42 * DAY
    with time_machine.travel(datetime.datetime(2026, 5, 1, 10), tick=False):
        with pytest.raises(ValidationError) as late:
            services.record_objection(
                application, filed_on=decided + 43 * DAY, acting_user=consultant
            )
        assert "Te laat" in " ".join(_field_errors(late)["filed_on"])
        assert "13 april 2026" in " ".join(_field_errors(late)["filed_on"])  # the last day
        application.refresh_from_db()
        assert application.status == ApplicationStatus.GRANTED
        assert application.objection_filed_on is None

        services.record_objection(application, filed_on=decided + 42 * DAY, acting_user=consultant)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.OBJECTION
    assert application.objection_filed_on == datetime.date(2026, 4, 13)


def test_objection_before_the_decision_or_in_the_future_is_refused(caseload_world):
    cw = caseload_world
    application = granted(cw)
    consultant = _users(cw)["consultant"]
    for day in (cw.today - DAY, cw.today + DAY):
        with pytest.raises(ValidationError) as error:
            services.record_objection(application, filed_on=day, acting_user=consultant)
        assert "filed_on" in _field_errors(error)
    draft = ready_draft(cw)
    with pytest.raises(PermissionDenied):  # the SWV does not decide on a draft it cannot see
        services.record_objection(draft, filed_on=cw.today, acting_user=_users(cw)["bpo"])


@pytest.mark.parametrize(
    ("starts_on", "expected"),
    [
        (datetime.date(2026, 8, 1), datetime.date(2027, 7, 31)),  # first day of a school year
        (datetime.date(2026, 9, 14), datetime.date(2027, 7, 31)),
        (datetime.date(2027, 3, 1), datetime.date(2027, 7, 31)),
        (datetime.date(2027, 7, 31), datetime.date(2027, 7, 31)),  # last day
    ],
)
def test_tlv_end_date_defaults_to_31_july_of_the_school_year(caseload_world, starts_on, expected):
    cw = caseload_world
    assert school_year_end(starts_on) == expected
    with time_machine.travel(datetime.datetime(2027, 7, 31, 12), tick=False):
        cw.today = datetime.date(2027, 7, 31)
        application = under_review(cw)
        _decide(application, cw, starts_on=starts_on, ends_on=None)
    application.refresh_from_db()
    assert application.ends_on == expected
    assert application.category == "M" and application.outcome == Outcome.GRANTED


def test_an_end_date_given_is_kept_and_an_arrangement_has_no_default(caseload_world):
    cw = caseload_world
    tlv = under_review(cw)
    _decide(tlv, cw, ends_on=cw.today + 30 * DAY)
    tlv.refresh_from_db()
    assert tlv.ends_on == cw.today + 30 * DAY
    arrangement = under_review(cw, kind=ApplicationKind.ARRANGEMENT_OP_MAAT)
    _decide(arrangement, cw, category="")
    arrangement.refresh_from_db()
    assert arrangement.ends_on is None and arrangement.category == ""


def test_a_granted_tlv_needs_its_category(caseload_world):
    cw = caseload_world
    application = under_review(cw)
    with pytest.raises(ValidationError) as error:
        _decide(application, cw, category="")
    assert "category" in _field_errors(error)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.UNDER_REVIEW and application.outcome == ""


def test_an_arrangement_refuses_a_category(caseload_world):
    """Decided: a category on an arrangement is an error (there is none), not silently dropped."""
    cw = caseload_world
    application = under_review(cw, kind=ApplicationKind.ARRANGEMENT_OP_MAAT)
    with pytest.raises(ValidationError) as error:
        _decide(application, cw, category="M")
    assert _field_errors(error)["category"] == [
        "Een bekostigingscategorie hoort alleen bij een TLV."
    ]
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.UNDER_REVIEW


def test_a_refusal_keeps_no_category_or_dates(caseload_world):
    cw = caseload_world
    application = under_review(cw)
    _decide(
        application,
        cw,
        outcome=Outcome.REFUSED,
        category="H",
        starts_on=cw.today,
        ends_on=cw.today + DAY,
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REFUSED
    assert (application.category, application.starts_on, application.ends_on) == ("", None, None)


def test_the_decision_needs_number_date_and_start(caseload_world):
    cw = caseload_world
    application = under_review(cw)
    with pytest.raises(ValidationError) as error:
        _decide(application, cw, decision_number=" ", decided_on=None, starts_on=None)
    assert {"decision_number", "decided_on", "starts_on"} <= set(_field_errors(error))
    with pytest.raises(ValidationError) as error:
        _decide(application, cw, ends_on=cw.today - DAY)
    assert "ends_on" in _field_errors(error)
    with pytest.raises(ValidationError) as error:
        _decide(application, cw, decided_on=cw.today + DAY)
    assert "decided_on" in _field_errors(error)


# --- Submitting --------------------------------------------------------------------------------


def test_a_tlv_needs_two_advices_one_by_an_orthopedagogue_or_psychologist(caseload_world):
    cw = caseload_world
    bpo = _users(cw)["bpo"]
    application = ready_draft(cw)
    advices = list(application.advices.order_by("pk"))
    services.remove_advice(advices[1], acting_user=bpo)
    with pytest.raises(ValidationError) as error:
        services.submit_application(application, acting_user=bpo)
    assert "twee deskundigen" in " ".join(error.value.messages)
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.DRAFT

    # Two advices, neither by an orthopedagogue or psychologist.
    services.remove_advice(advices[0], acting_user=bpo)
    for profession in ("physician", "social_worker"):
        services.add_advice(
            application,
            profession=profession,
            name="Deskundige",
            given_on=cw.today,
            advice="Advies.",
            independent=True,
            acting_user=bpo,
        )
    with pytest.raises(ValidationError) as error:
        services.submit_application(application, acting_user=bpo)
    assert error.value.messages == [
        "Eén van de twee deskundigen moet orthopedagoog of psycholoog zijn."
    ]

    services.add_advice(
        application,
        profession="psychologist",
        name="Psycholoog",
        given_on=cw.today,
        advice="Advies.",
        independent=False,
        acting_user=bpo,
    )
    with pytest.raises(ValidationError) as error:
        services.submit_application(application, acting_user=bpo)
    assert "onafhankelijk" in " ".join(error.value.messages)
    assert not ApplicationStatusChange.objects.filter(
        application=application, to_status=ApplicationStatus.SUBMITTED
    ).exists()


def test_submitting_needs_the_dossier_consent(caseload_world):
    cw = caseload_world
    application = ready_draft(cw, kind=ApplicationKind.ARRANGEMENT_OP_MAAT)
    DossierConsent.objects.filter(application=application).delete()
    with pytest.raises(ValidationError) as error:
        services.submit_application(application, acting_user=_users(cw)["bpo"])
    assert error.value.messages == [
        "Leg eerst de toestemming vast om het dossier naar het SWV te sturen."
    ]


def test_an_arrangement_needs_no_advices(caseload_world):
    cw = caseload_world
    bpo = _users(cw)["bpo"]
    application = ready_draft(cw, kind=ApplicationKind.ARRANGEMENT_WITHIN_SCHOOL)
    application.advices.all().delete()
    services.submit_application(application, acting_user=bpo)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.submitted_on == cw.today


def test_a_submitted_dossier_is_fixed(caseload_world):
    cw = caseload_world
    bpo = _users(cw)["bpo"]
    application = submitted(cw)
    with pytest.raises(ValidationError):
        services.update_application(
            application,
            kind=application.kind,
            question="Anders",
            tried="",
            mdo_on=None,
            acting_user=bpo,
        )
    with pytest.raises(ValidationError):
        services.add_advice(
            application,
            profession="psychologist",
            name="X",
            given_on=cw.today,
            advice="Y",
            independent=True,
            acting_user=bpo,
        )
    with pytest.raises(ValidationError):
        services.record_dossier_consent(
            application,
            given_by="guardian",
            guardian=cw.guardian,
            given_on=cw.today,
            parts=[],
            acting_user=bpo,
        )
    with pytest.raises(ValidationError):
        services.submit_application(application, acting_user=bpo)
    assert Application.objects.get(pk=application.pk).question == cw.case.question


def test_the_dossier_takes_only_records_of_its_own_case(caseload_world):
    cw = caseload_world
    bpo = _users(cw)["bpo"]
    application = services.start_application(cw.case, kind="tlv_vso", acting_user=bpo)
    other = SupportCase.objects.create(
        partnership=cw.world.p,
        school=cw.world.a,
        student=cw.student16,
        signal_source="mentor",
        signalled_on=cw.today,
        signal="Ander signaal.",
    )
    foreign = Observation.objects.create(case=other, date=cw.today, report="Elders.")
    with pytest.raises(ValidationError) as error:
        services.update_application(
            application,
            kind="tlv_vso",
            question="",
            tried="",
            observations=[foreign],
            mdo_on=None,
            acting_user=bpo,
        )
    assert "observations" in _field_errors(error)
    assert not application.observations.exists()
    with pytest.raises(ValidationError) as error:
        services.update_application(
            application,
            kind="tlv_vso",
            question="",
            tried="",
            mdo_on=cw.today + DAY,
            acting_user=bpo,
        )
    assert "mdo_on" in _field_errors(error)


def test_the_question_is_taken_from_the_case(caseload_world):
    cw = caseload_world
    application = services.start_application(
        cw.case, kind="tlv_vso", acting_user=_users(cw)["coordinator"]
    )
    assert application.question == cw.case.question
    assert application.student == cw.student and application.school == cw.world.a
    assert application.partnership == cw.world.p and application.status == "draft"


# --- The dossier consent -----------------------------------------------------------------------


def test_under_16_a_guardian_with_authority_consents(caseload_world):
    cw = caseload_world
    bpo = _users(cw)["bpo"]
    application = services.start_application(cw.case, kind="tlv_vso", acting_user=bpo)
    with pytest.raises(ValidationError) as error:
        services.record_dossier_consent(
            application, given_by="student", given_on=cw.today, parts=[], acting_user=bpo
        )
    assert "Onder de 16" in " ".join(_field_errors(error)["given_by"])
    with pytest.raises(ValidationError) as error:
        services.record_dossier_consent(
            application, given_by="guardian", given_on=cw.today, parts=[], acting_user=bpo
        )
    assert "guardian" in _field_errors(error)
    cw.guardian.has_authority = False
    cw.guardian.save()
    with pytest.raises(ValidationError) as error:
        services.record_dossier_consent(
            application,
            given_by="guardian",
            guardian=cw.guardian,
            given_on=cw.today,
            parts=[],
            acting_user=bpo,
        )
    assert "gezag" in " ".join(_field_errors(error)["guardian"])
    assert not DossierConsent.objects.exists()

    cw.guardian.has_authority = True
    cw.guardian.save()
    consent = services.record_dossier_consent(
        application,
        given_by="guardian",
        guardian=cw.guardian,
        given_on=cw.today,
        parts=["contacts", "question", "question"],
        acting_user=bpo,
    )
    assert consent.parts == ["question", "contacts"]  # ordered, once each
    assert consent.guardian_name == "Ria Jansen"


def test_from_16_the_student_consents(caseload_world):
    cw = caseload_world
    bpo = _users(cw)["bpo"]
    case = SupportCase.objects.create(
        partnership=cw.world.p,
        school=cw.world.a,
        student=cw.student16,
        signal_source="student",
        signalled_on=cw.today,
        signal="Wil hulp.",
    )
    application = services.start_application(case, kind="tlv_pro", acting_user=bpo)
    with pytest.raises(ValidationError) as error:
        services.record_dossier_consent(
            application, given_by="guardian", given_on=cw.today, parts=[], acting_user=bpo
        )
    assert "Vanaf 16 jaar beslist de leerling zelf" in " ".join(_field_errors(error)["given_by"])
    with pytest.raises(ValidationError) as error:
        services.record_dossier_consent(
            application,
            given_by="student",
            given_on=cw.today + DAY,
            parts=[],
            acting_user=bpo,
        )
    assert "given_on" in _field_errors(error)
    with pytest.raises(ValidationError) as error:
        services.record_dossier_consent(
            application, given_by="student", given_on=cw.today, parts=["bsn"], acting_user=bpo
        )
    assert "parts" in _field_errors(error)
    consent = services.record_dossier_consent(
        application, given_by="student", given_on=cw.today, parts=ALL_PARTS, acting_user=bpo
    )
    assert consent.given_by == "student" and consent.guardian is None
    assert consent.parts == list(DossierPart.values)


# --- Kinds in use ------------------------------------------------------------------------------


def test_kinds_in_use_default_to_all_but_lwoo_and_are_chosen_by_the_admin(caseload_world):
    cw = caseload_world
    users = _users(cw)
    assert services.kinds_in_use(cw.world.p) == list(DEFAULT_KINDS)
    assert "lwoo" not in DEFAULT_KINDS
    with pytest.raises(ValidationError) as error:
        services.start_application(cw.case, kind="lwoo", acting_user=users["bpo"])
    assert "kind" in _field_errors(error)

    for persona in ("consultant", "coordinator", "other_swv"):
        with pytest.raises(PermissionDenied):
            services.set_kinds_in_use(cw.world.p, ["lwoo"], acting_user=users[persona])
    with pytest.raises(ValidationError):
        services.set_kinds_in_use(cw.world.p, [], acting_user=users["partnership_admin"])
    with pytest.raises(ValidationError):
        services.set_kinds_in_use(cw.world.p, ["bsn"], acting_user=users["partnership_admin"])
    services.set_kinds_in_use(
        cw.world.p, ["lwoo", "tlv_vso"], acting_user=users["partnership_admin"]
    )
    assert services.kinds_in_use(cw.world.p) == ["tlv_vso", "lwoo"]
    assert services.kinds_in_use(cw.world.q) == list(DEFAULT_KINDS)  # the other SWV's own
    services.start_application(cw.case, kind="lwoo", acting_user=users["bpo"])
    with pytest.raises(ValidationError):
        services.start_application(cw.case, kind="arrangement_op_maat", acting_user=users["bpo"])
    event = AuditEvent.objects.get(action="application_policy.updated")
    assert event.extra["kinds"] == ["tlv_vso", "lwoo"] and event.partnership_id == cw.world.p.pk


# --- Steps, history, audit, rights -------------------------------------------------------------


def test_every_step_is_kept_in_the_history_and_audited_without_narrative(caseload_world):
    cw = caseload_world
    application = granted(cw)
    services.record_objection(
        application, filed_on=cw.today, acting_user=_users(cw)["partnership_admin"]
    )
    services.close_application(application, acting_user=_users(cw)["consultant"])
    steps = list(
        ApplicationStatusChange.objects.filter(application=application).values_list(
            "from_status", "to_status", "changed_by__email"
        )
    )
    users = _users(cw)
    assert steps == [
        ("", "draft", users["bpo"].email),
        ("draft", "submitted", users["coordinator"].email),
        ("submitted", "under_review", users["consultant"].email),
        ("under_review", "granted", users["consultant"].email),
        ("granted", "objection", users["partnership_admin"].email),
        ("objection", "closed", users["consultant"].email),
    ]
    application.refresh_from_db()
    assert application.closed_on == cw.today
    actions = set(
        AuditEvent.objects.filter(object_code=str(application.code)).values_list(
            "action", flat=True
        )
    )
    assert {
        "application.started",
        "application.updated",
        "application.consent_recorded",
        "application.submitted",
        "application.under_review",
        "application.granted",
        "application.objection",
        "application.closed",
    } <= actions
    advice_events = AuditEvent.objects.filter(action="application.advice_added")
    assert advice_events.count() == 2
    everything = json.dumps([e.extra for e in AuditEvent.objects.all()], ensure_ascii=False)
    for text in (ADVICE_ORTHO, cw.case.question, "Vaste plek en check-in", "Drs. O. Pedagoog"):
        assert text not in everything
    assert cw.student.first_name not in everything


def test_steps_only_in_their_order(caseload_world):
    cw = caseload_world
    consultant = _users(cw)["consultant"]
    application = submitted(cw)
    with pytest.raises(ValidationError):  # not under review yet
        _decide(application, cw)
    with pytest.raises(ValidationError):
        services.close_application(application, acting_user=consultant)
    with pytest.raises(ValidationError):
        services.record_objection(application, filed_on=cw.today, acting_user=consultant)
    services.start_review(application, acting_user=consultant)
    with pytest.raises(ValidationError):
        services.start_review(application, acting_user=consultant)
    _decide(application, cw)
    with pytest.raises(ValidationError):
        _decide(application, cw)
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.GRANTED


def test_who_may_take_which_step(caseload_world):
    cw = caseload_world
    users = _users(cw)
    application = ready_draft(cw)
    for persona in ("consultant", "partnership_admin", "director", "mentor", "coordinator_b"):
        with pytest.raises(PermissionDenied):
            services.submit_application(application, acting_user=users[persona])
        with pytest.raises(PermissionDenied):
            services.start_application(cw.case, kind="tlv_vso", acting_user=users[persona])
    services.submit_application(application, acting_user=users["bpo"])
    for persona in ("coordinator", "bpo", "director", "other_swv", "office"):
        with pytest.raises(PermissionDenied):
            services.start_review(application, acting_user=users[persona])
    services.start_review(application, acting_user=users["partnership_admin"])
    assert ExpertAdvice.objects.filter(application=application).count() == 2
