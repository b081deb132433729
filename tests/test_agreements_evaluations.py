"""Evaluations (aspect 10) and competency profiles (seed 000 §7) through the views
(passend/agreements/views/evaluations.py and profiles.py)."""

from __future__ import annotations

import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from passend.accounts.middleware import SESSION_STARTED_KEY
from passend.activities.choices import TaskArea
from passend.activities.services import log_activity
from passend.agreements import services
from passend.agreements.choices import AgreementStatus, EvaluationDecision, EvaluationStatus
from passend.agreements.models import (
    AgreementEvaluation,
    CompetencyProfile,
    CompetencyRating,
    WorkAgreement,
)
from passend.agreements.views.evaluations import evaluation_pdf_bytes
from passend.audit.models import AuditEvent
from tests.pdftext import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _plain_settings(settings):
    settings.REQUIRE_2FA = False


def sign_in(client, user) -> None:
    client.force_login(user)
    session = client.session
    session[SESSION_STARTED_KEY] = time.time()
    session.save()


def _user(aw, persona):
    return aw.world.users[persona]


def _as(client, aw, persona):
    sign_in(client, _user(aw, persona))
    return client


def _url(name, obj) -> str:
    return reverse(f"agreements:{name}", args=[obj.code])


def _log(aw, bpo, school, n, area=TaskArea.STUDENT, hours="1.5"):
    """``n`` activities of ``bpo`` at ``school`` on the days from the school year's start."""
    span = (aw.today - aw.year.start).days + 1
    for i in range(n):
        log_activity(
            bpo=bpo,
            school=school,
            date=aw.year.start + timedelta(days=i % span),
            hours=Decimal(hours),
            area=area,
            acting_user=bpo,
        )


def _edit_data(evaluation, **overrides) -> dict:
    """A complete edit form for ``evaluation`` as it is stored."""
    rows = sorted(evaluation.areas.all(), key=lambda r: r.sort_key)
    data = {
        "date": evaluation.date.isoformat(),
        "coordinator": evaluation.coordinator.code if evaluation.coordinator else "",
        "bpo_present": "on",
        "home_manager_name": "",
        "other_participants": "Mentor 2b",
        "conclusion": "Goed jaar; meer tijd voor ouders.",
        "revision": evaluation.revision,
        "area-TOTAL_FORMS": len(rows),
        "area-INITIAL_FORMS": len(rows),
    }
    for i, row in enumerate(rows):
        data[f"area-{i}-went_well"] = f"goed {row.area}"
        data[f"area-{i}-to_change"] = f"anders {row.area}"
    data.update(overrides)
    return data


def _with_conclusion(aw):
    return services.update_evaluation(
        aw.evaluation,
        revision=aw.evaluation.revision,
        fields={"conclusion": "Afspraken werken goed."},
        areas={},
        acting_user=_user(aw, "coordinator"),
    )


# --- Detail: realised hours ----------------------------------------------------------------------


def test_detail_shows_realised_hours_from_the_activity_log(client, agreements_world):
    aw = agreements_world
    bpo = _user(aw, "bpo")
    _log(aw, bpo, aw.world.a, 3, TaskArea.STUDENT, "1.5")
    _log(aw, bpo, aw.world.a, 2, TaskArea.PARENTS, "2.25")
    # Another BPO at the same school and another school's BPO do not count.
    _log(aw, aw.bpo_a2, aw.world.a, 4, TaskArea.STUDENT, "3")
    _log(aw, aw.bpo_b, aw.world.b, 4, TaskArea.STUDENT, "3")

    response = _as(client, aw, "consultant").get(_url("evaluation_detail", aw.evaluation))
    assert response.status_code == 200
    realised = {line.row.area: line.realised for line in response.context["table"].lines}
    assert realised[TaskArea.STUDENT] == Decimal("4.5")
    assert realised[TaskArea.PARENTS] == Decimal("4.5")
    assert all(v == 0 for a, v in realised.items() if a not in (TaskArea.STUDENT, "parents"))
    assert response.context["table"].realised == Decimal("9")
    body = response.content.decode()
    assert aw.world.a.name in body and bpo.full_name in body and aw.year.name in body
    assert "4,5" in body
    # Read-only for the consultant: no edit or finalise controls.
    assert _url("evaluation_edit", aw.evaluation) not in body
    assert _url("evaluation_finalise", aw.evaluation) not in body


def test_detail_shows_actions_for_the_coordinator_and_the_profile(client, agreements_world):
    aw = agreements_world
    profile = aw.profile
    first, second = list(profile.ratings.all())[:2]
    services.rate_competencies(
        profile, levels={first.competency_id: 1}, as_coordinator=False, acting_user=_user(aw, "bpo")
    )
    services.rate_competencies(
        profile,
        levels={first.competency_id: 4},
        as_coordinator=True,
        development_goals="Systeemgericht werken",
        acting_user=_user(aw, "coordinator"),
    )
    body = _as(client, aw, "coordinator").get(_url("evaluation_detail", aw.evaluation))
    body = body.content.decode()
    assert _url("evaluation_edit", aw.evaluation) in body
    assert _url("evaluation_finalise", aw.evaluation) in body
    assert _url("agreement_detail", aw.agreement) in body
    assert "Systeemgericht werken" in body and "bespreken" in body


def test_detail_query_count_is_constant_in_the_number_of_activities(client, agreements_world):
    aw = agreements_world
    bpo = _user(aw, "bpo")
    _as(client, aw, "coordinator")
    url = _url("evaluation_detail", aw.evaluation)
    _log(aw, bpo, aw.world.a, 1)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    _log(aw, bpo, aw.world.a, 29, TaskArea.TEAM)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(one)


def test_other_school_gets_404_and_readers_403(client, agreements_world):
    aw = agreements_world
    for persona in ("coordinator_b", "partnership_admin", "office"):
        client.logout()
        response = _as(client, aw, persona).get(_url("evaluation_detail", aw.evaluation))
        assert response.status_code == 404
    for persona in ("bpo", "consultant"):
        client.logout()
        response = _as(client, aw, persona).get(_url("evaluation_edit", aw.evaluation))
        assert response.status_code == 403
        response = client.post(_url("evaluation_finalise", aw.evaluation), {"decision": "keep"})
        assert response.status_code == 403
    assert AgreementEvaluation.objects.get(pk=aw.evaluation.pk).status == EvaluationStatus.DRAFT


def test_wrong_methods_are_405(client, agreements_world):
    aw = agreements_world
    _as(client, aw, "coordinator")
    assert client.get(_url("evaluation_finalise", aw.evaluation)).status_code == 405
    assert client.get(_url("profile_start", aw.agreement)).status_code == 405
    assert client.post(_url("evaluation_detail", aw.evaluation)).status_code == 405
    assert client.post(_url("evaluation_pdf", aw.evaluation)).status_code == 405
    assert client.post(_url("profile_detail", aw.profile)).status_code == 405


# --- Create --------------------------------------------------------------------------------------


def test_create_redirects_to_the_edit_page(client, agreements_world):
    aw = agreements_world
    _as(client, aw, "director")
    assert client.get(_url("evaluation_create", aw.agreement)).status_code == 200
    response = client.post(
        _url("evaluation_create", aw.agreement), {"kind": "interim", "date": aw.today.isoformat()}
    )
    evaluation = AgreementEvaluation.objects.exclude(pk=aw.evaluation.pk).get()
    assert evaluation.kind == "interim" and evaluation.date == aw.today
    assert response.status_code == 302
    assert response.url == _url("evaluation_edit", evaluation)
    assert AuditEvent.objects.filter(action="agreement_evaluation.started").count() == 2


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "annual", "date": "2001-01-01"},  # outside the school year
        {"kind": "monthly", "date": "today"},  # unknown kind
        {"kind": "annual", "date": "not a date"},
    ],
)
def test_create_with_bad_input_writes_nothing(client, agreements_world, data):
    aw = agreements_world
    if data["date"] == "today":
        data = {**data, "date": aw.today.isoformat()}
    response = _as(client, aw, "coordinator").post(_url("evaluation_create", aw.agreement), data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert AgreementEvaluation.objects.count() == 1


def test_create_for_a_draft_agreement_shows_the_service_error(client, agreements_world):
    aw = agreements_world
    response = _as(client, aw, "coordinator").post(
        _url("evaluation_create", aw.draft), {"kind": "annual", "date": aw.today.isoformat()}
    )
    assert response.status_code == 200
    assert "Alleen overeengekomen werkafspraken" in response.content.decode()
    assert not AgreementEvaluation.objects.filter(agreement=aw.draft).exists()


# --- Edit ----------------------------------------------------------------------------------------


def test_edit_saves_participants_conclusion_and_areas(client, agreements_world):
    aw = agreements_world
    evaluation = aw.evaluation
    _as(client, aw, "coordinator")
    page = client.get(_url("evaluation_edit", evaluation))
    assert page.status_code == 200 and "Wat ging goed" in page.content.decode()
    response = client.post(_url("evaluation_edit", evaluation), _edit_data(evaluation))
    assert response.status_code == 302
    assert response.url == _url("evaluation_detail", evaluation)
    evaluation.refresh_from_db()
    assert evaluation.conclusion == "Goed jaar; meer tijd voor ouders."
    assert evaluation.other_participants == "Mentor 2b" and evaluation.revision == 1
    student = evaluation.areas.get(area=TaskArea.STUDENT)
    assert (student.went_well, student.to_change) == ("goed student", "anders student")


@pytest.mark.parametrize(
    "overrides",
    [
        {"date": "2001-01-01"},  # outside the school year (the service's rule)
        {"date": ""},
        {"coordinator": "00000000-0000-0000-0000-000000000000"},
        {"area-0-went_well": "x" * 5001},
    ],
)
def test_edit_with_bad_input_writes_nothing(client, agreements_world, overrides):
    aw = agreements_world
    response = _as(client, aw, "coordinator").post(
        _url("evaluation_edit", aw.evaluation), _edit_data(aw.evaluation, **overrides)
    )
    assert response.status_code == 200
    evaluation = AgreementEvaluation.objects.get(pk=aw.evaluation.pk)
    assert evaluation.revision == 0 and evaluation.conclusion == ""
    assert not evaluation.areas.exclude(went_well="").exists()


def test_edit_conflict_keeps_the_input_and_writes_nothing(client, agreements_world):
    aw = agreements_world
    data = _edit_data(aw.evaluation, conclusion="Mijn eigen conclusie")
    _with_conclusion(aw)  # someone else saves in between
    response = _as(client, aw, "director").post(_url("evaluation_edit", aw.evaluation), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Iemand anders heeft deze evaluatie intussen opgeslagen" in body
    assert "Mijn eigen conclusie" in body
    assert response.context["conflict"]
    evaluation = AgreementEvaluation.objects.get(pk=aw.evaluation.pk)
    assert evaluation.conclusion == "Afspraken werken goed." and evaluation.revision == 1


# --- Finalise ------------------------------------------------------------------------------------


def test_finalise_keep_stays_on_the_detail(client, agreements_world):
    aw = agreements_world
    _with_conclusion(aw)
    _log(aw, _user(aw, "bpo"), aw.world.a, 2, TaskArea.TEAM, "2")
    response = _as(client, aw, "coordinator").post(
        _url("evaluation_finalise", aw.evaluation), {"decision": "keep"}
    )
    assert response.status_code == 302
    assert response.url == _url("evaluation_detail", aw.evaluation)
    evaluation = AgreementEvaluation.objects.get(pk=aw.evaluation.pk)
    assert evaluation.status == EvaluationStatus.FINAL
    assert evaluation.decision == EvaluationDecision.KEEP and evaluation.next_agreement is None
    assert evaluation.areas.get(area=TaskArea.TEAM).realised_hours == Decimal("4")
    assert WorkAgreement.objects.filter(bpo=_user(aw, "bpo")).count() == 1


def test_finalise_adjust_opens_version_2(client, agreements_world):
    aw = agreements_world
    _with_conclusion(aw)
    v1_tasks = list(aw.agreement.tasks.values_list("area", "description", "hours"))
    response = _as(client, aw, "coordinator").post(
        _url("evaluation_finalise", aw.evaluation), {"decision": "adjust"}
    )
    evaluation = AgreementEvaluation.objects.get(pk=aw.evaluation.pk)
    v2 = evaluation.next_agreement
    assert v2.version == 2 and v2.status == AgreementStatus.DRAFT and v2.previous == aw.agreement
    assert response.status_code == 302 and response.url == _url("agreement_edit", v2)
    v1 = WorkAgreement.objects.get(pk=aw.agreement.pk)
    assert v1.status == AgreementStatus.AGREED
    assert list(v1.tasks.values_list("area", "description", "hours")) == v1_tasks
    # The detail links to the new version.
    detail = client.get(_url("evaluation_detail", evaluation)).content.decode()
    assert _url("agreement_detail", v2) in detail
    assert _url("evaluation_finalise", evaluation) not in detail


@pytest.mark.parametrize("data", [{"decision": "maybe"}, {}])
def test_finalise_with_bad_decision_writes_nothing(client, agreements_world, data):
    aw = agreements_world
    _with_conclusion(aw)
    response = _as(client, aw, "coordinator").post(_url("evaluation_finalise", aw.evaluation), data)
    assert response.status_code == 302
    assert response.url == _url("evaluation_detail", aw.evaluation)
    assert AgreementEvaluation.objects.get(pk=aw.evaluation.pk).status == EvaluationStatus.DRAFT
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages


def test_finalise_without_conclusion_flashes_the_error(client, agreements_world):
    aw = agreements_world
    _as(client, aw, "coordinator")
    response = client.post(
        _url("evaluation_finalise", aw.evaluation), {"decision": "keep"}, follow=True
    )
    assert "Schrijf eerst een conclusie." in response.content.decode()
    assert AgreementEvaluation.objects.get(pk=aw.evaluation.pk).status == EvaluationStatus.DRAFT


def test_final_evaluation_is_immutable_through_the_views(client, agreements_world):
    aw = agreements_world
    _with_conclusion(aw)
    services.finalise_evaluation(aw.evaluation, decision="keep", acting_user=_user(aw, "director"))
    evaluation = AgreementEvaluation.objects.get(pk=aw.evaluation.pk)
    _as(client, aw, "coordinator")
    response = client.get(_url("evaluation_edit", evaluation))
    assert response.status_code == 302 and response.url == _url("evaluation_detail", evaluation)
    response = client.post(
        _url("evaluation_edit", evaluation), _edit_data(evaluation, conclusion="Anders")
    )
    assert response.status_code == 302
    response = client.post(_url("evaluation_finalise", evaluation), {"decision": "adjust"})
    assert response.status_code == 302 and response.url == _url("evaluation_detail", evaluation)
    after = AgreementEvaluation.objects.get(pk=evaluation.pk)
    assert after.conclusion == "Afspraken werken goed." and after.decision == "keep"
    assert after.next_agreement is None and after.revision == evaluation.revision
    assert WorkAgreement.objects.filter(bpo=_user(aw, "bpo")).count() == 1


# --- PDF -----------------------------------------------------------------------------------------


def test_pdf_contains_the_evaluation(client, agreements_world):
    aw = agreements_world
    _with_conclusion(aw)
    evaluation = AgreementEvaluation.objects.get(pk=aw.evaluation.pk)
    text = " ".join(pdf_text(evaluation_pdf_bytes(evaluation, uncompressed=True)).split())
    for expected in (
        aw.world.a.name,
        _user(aw, "bpo").full_name,
        aw.year.name,
        str(TaskArea.STUDENT.label),
        "Afspraken werken goed.",
        "Evaluatie functioneren begeleider passend onderwijs",
        aw.agreement.tasks.first().description[:40],
    ):
        assert expected in text, expected

    response = _as(client, aw, "bpo").get(_url("evaluation_pdf", evaluation))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    event = AuditEvent.objects.get(action="agreement_evaluation.export_pdf")
    assert event.actor == _user(aw, "bpo") and event.school == aw.world.a


# --- Competency profiles -------------------------------------------------------------------------


def _rating_data(profile, level, goals="Meer systeemgericht werken") -> dict:
    data = {"development_goals": goals}
    for rating in profile.ratings.all():
        data[f"level_{rating.competency_id}"] = level
    return data


def test_bpo_rates_themself_and_coordinator_rates_the_bpo(client, agreements_world):
    aw = agreements_world
    profile = aw.profile
    url = _url("profile_rate", profile)
    page = _as(client, aw, "bpo").get(url)
    assert page.status_code == 200 and not page.context["as_coordinator"]
    response = client.post(url, _rating_data(profile, "3"))
    assert response.status_code == 302 and response.url == _url("profile_detail", profile)
    levels = set(
        CompetencyRating.objects.filter(profile=profile).values_list(
            "self_level", "coordinator_level"
        )
    )
    assert levels == {(3, None)}

    client.logout()
    page = _as(client, aw, "coordinator").get(url)
    assert page.context["as_coordinator"]
    response = client.post(url, _rating_data(profile, "1", goals="Gespreksvoering"))
    assert response.status_code == 302
    levels = set(
        CompetencyRating.objects.filter(profile=profile).values_list(
            "self_level", "coordinator_level"
        )
    )
    assert levels == {(3, 1)}
    profile.refresh_from_db()
    assert profile.development_goals == "Gespreksvoering"
    assert profile.self_rated_at and profile.coordinator_rated_at
    assert AuditEvent.objects.filter(action="competency_profile.rated").count() == 2

    detail = client.get(_url("profile_detail", profile)).content.decode()
    assert "3 – bekwaam" in detail and "1 – beginnend" in detail
    assert "bespreken: verschil van 2 of meer" in detail
    for domain in ("Leerling", "Docent", "Systeem"):
        assert f"Domein {domain}" in detail


def test_rating_with_a_bad_level_writes_nothing(client, agreements_world):
    aw = agreements_world
    profile = aw.profile
    data = _rating_data(profile, "2")
    first = profile.ratings.first()
    data[f"level_{first.competency_id}"] = "7"
    response = _as(client, aw, "bpo").post(_url("profile_rate", profile), data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not CompetencyRating.objects.filter(profile=profile, self_level__isnull=False).exists()
    profile.refresh_from_db()
    assert profile.development_goals == "" and profile.self_rated_at is None


def test_rating_is_refused_to_others(client, agreements_world):
    aw = agreements_world
    for persona, status in (("director", 403), ("consultant", 403), ("coordinator_b", 404)):
        client.logout()
        response = _as(client, aw, persona).post(
            _url("profile_rate", aw.profile), _rating_data(aw.profile, "4")
        )
        assert response.status_code == status, persona
    assert not CompetencyRating.objects.exclude(self_level=None, coordinator_level=None).exists()


def test_profile_start_by_the_coordinator_and_refused_to_the_director(client, agreements_world):
    aw = agreements_world
    _as(client, aw, "director")
    assert client.post(_url("profile_start", aw.draft)).status_code == 403
    assert not CompetencyProfile.objects.filter(bpo=aw.bpo_a2).exists()
    client.logout()
    response = _as(client, aw, "coordinator").post(_url("profile_start", aw.draft))
    profile = CompetencyProfile.objects.get(bpo=aw.bpo_a2)
    assert response.status_code == 302 and response.url == _url("profile_rate", profile)
    assert profile.school == aw.world.a and profile.school_year == aw.year
    assert profile.ratings.count() == len(services.competencies_for(aw.world.p))
    # The BPO of another agreement cannot start it (not visible: 404).
    client.logout()
    assert _as(client, aw, "bpo").post(_url("profile_start", aw.draft)).status_code == 404


def test_profile_detail_query_count_is_constant(client, agreements_world):
    aw = agreements_world
    _as(client, aw, "consultant")
    url = _url("profile_detail", aw.profile)
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    services.rate_competencies(
        aw.profile,
        levels={r.competency_id: 2 for r in aw.profile.ratings.all()},
        as_coordinator=False,
        acting_user=_user(aw, "bpo"),
    )
    with CaptureQueriesContext(connection) as after:
        assert client.get(url).status_code == 200
    assert len(after) == len(before)


def test_detail_without_a_profile_offers_to_start_one(client, agreements_world):
    aw = agreements_world
    aw.profile.delete()
    body = _as(client, aw, "coordinator").get(_url("evaluation_detail", aw.evaluation))
    body = body.content.decode()
    assert "Er is nog geen competentieprofiel" in body
    assert _url("profile_start", aw.agreement) in body
    client.logout()
    body = _as(client, aw, "director").get(_url("evaluation_detail", aw.evaluation))
    assert _url("profile_start", aw.agreement) not in body.content.decode()
