"""A student's access log and data export (right of access): coordinator only, complete,
audited."""

from __future__ import annotations

import json
import time

import pytest
from django.urls import reverse

from passend.accounts.middleware import SESSION_STARTED_KEY
from passend.audit.models import AuditEvent
from passend.privacy.audit import VIEW_ACTION
from passend.privacy.views import export_pdf_bytes
from tests.pdftext import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _plain_settings(settings):
    settings.REQUIRE_2FA = False


def sign_in(client, user):
    client.force_login(user)
    session = client.session
    session[SESSION_STARTED_KEY] = time.time()
    session.save()


def test_access_log_lists_who_viewed(client, caseload_world, rf):
    from passend.privacy.audit import record_view

    cw = caseload_world
    request = rf.get("/x")
    request.user = cw.world.users["bpo"]
    record_view(request, cw.student, "student")
    sign_in(client, cw.world.users["coordinator"])
    body = client.get(reverse("privacy:student_access_log", args=[cw.student.code])).content
    assert cw.world.users["bpo"].email.encode() in body
    # On whose behalf: the role that gave the access.
    assert AuditEvent.objects.filter(
        action=VIEW_ACTION, actor=cw.world.users["bpo"], extra__on_behalf_of="bpo"
    ).exists()
    # Opening the log is itself a view of the student's data.
    assert AuditEvent.objects.filter(
        action=VIEW_ACTION, extra__student=str(cw.student.code), extra__what="access_log"
    ).exists()


def test_json_export_holds_everything_about_the_student(client, caseload_world):
    cw = caseload_world
    sign_in(client, cw.world.users["coordinator"])
    response = client.get(reverse("privacy:student_export_json", args=[cw.student.code]))
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(b"".join(response.streaming_content))
    assert data["student"]["student_number"] == cw.student.student_number
    assert data["guardians"][0]["name"] == cw.guardian.name
    case = data["cases"][0]
    assert case["signal"] == cw.case.signal and case["question"] == cw.case.question
    assert case["contacts"][0]["notes"] == cw.contact.notes
    assert case["observations"][0]["report"] == cw.observation.report
    assert case["recommendations"][0]["text"] == cw.recommendation.text
    assert case["recommendations"][0]["approaches"] == [cw.approach.name]
    assert data["consents"][0]["purpose"] == cw.consent.purpose
    assert data["access_log"][0]["what"] == "export_json"
    assert "bsn" not in json.dumps(data).lower()


def test_pdf_export(client, caseload_world):
    cw = caseload_world
    text = " ".join(pdf_text(export_pdf_bytes(cw.student, uncompressed=True)).split())
    for expected in (cw.student.full_name, cw.world.a.name, cw.contact.notes, cw.guardian.name):
        assert expected in text, expected
    sign_in(client, cw.world.users["coordinator"])
    response = client.get(reverse("privacy:student_export_pdf", args=[cw.student.code]))
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert AuditEvent.objects.filter(action=VIEW_ACTION, extra__what="export_pdf").exists()


def test_other_roles(client, caseload_world):
    cw = caseload_world
    url = reverse("privacy:student_export_json", args=[cw.student.code])
    sign_in(client, cw.world.users["bpo"])
    assert client.get(url).status_code == 403
    sign_in(client, cw.world.users["coordinator_b"])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code in (404, 405)
