"""Applications and the privacy controls: the narrative fields (support question, what was tried,
the expert advice) are encrypted at rest — a canary typed into each form appears in no byte of
the database, the SQL, the audit trail or the logs; the student's data export includes their
applications; retention deletes them with the student; the demo loads its three applications
through the services."""

from __future__ import annotations

import datetime
import io
import logging
import time
import uuid

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from passend.accounts.middleware import SESSION_STARTED_KEY
from passend.accounts.models import User
from passend.applications.choices import ApplicationKind, ApplicationStatus, Outcome
from passend.applications.models import (
    Application,
    ApplicationStatusChange,
    DossierConsent,
    ExpertAdvice,
)
from passend.audit.models import AuditEvent
from passend.caseload.models import SupportCase
from passend.privacy import crypto
from passend.privacy.export import student_data
from passend.privacy.fields import encrypted_fields
from passend.privacy.retention import purge
from passend.students.models import Guardian, Student
from tests.fixtures_applications import ADVICE_ORTHO, granted, submitted
from tests.test_privacy_encryption import _dump, _raw_database_text

pytestmark = pytest.mark.django_db

NARRATIVE = {
    (Application, "question"),
    (Application, "tried"),
    (ExpertAdvice, "advice"),
}


@pytest.fixture(autouse=True)
def _plain_settings(settings):
    settings.REQUIRE_2FA = False


def test_every_narrative_field_of_applications_is_encrypted():
    found = {(model, name) for model, names in encrypted_fields() for name in names}
    assert NARRATIVE <= found
    # And nothing else of the app is narrative: these are all its encrypted fields.
    mine = {(m, n) for m, n in found if m._meta.app_label == "applications"}
    assert mine == NARRATIVE


def test_canaries_typed_into_the_forms_are_nowhere_at_rest(client, caseload_world, caplog):
    cw = caseload_world
    bpo = cw.world.users["bpo"]
    client.force_login(bpo)
    session = client.session
    session[SESSION_STARTED_KEY] = time.time()
    session.save()
    caplog.set_level(logging.DEBUG)
    canary = {name: f"CANARY-{name}-{uuid.uuid4().hex}" for name in ("question", "tried", "advice")}
    today = cw.today.isoformat()

    def post(address, data):
        response = client.post(address, data)
        assert response.status_code == 302, response.content.decode()[:2000]

    with CaptureQueriesContext(connection) as queries:
        post(reverse("applications:application_create", args=[cw.case.code]), {"kind": "tlv_vso"})
        application = Application.objects.get(case=cw.case)
        post(
            reverse("applications:application_edit", args=[application.code]),
            {"kind": "tlv_vso", "question": canary["question"], "tried": canary["tried"]},
        )
        post(
            reverse("applications:advice_create", args=[application.code]),
            {
                "profession": "orthopedagogue",
                "name": "Drs. K. Kanarie",
                "given_on": today,
                "advice": canary["advice"],
                "independent": "on",
            },
        )
        # Read back through the pages (the school's and, once submitted, the SWV's).
        client.get(reverse("applications:application_detail", args=[application.code]))
    application.refresh_from_db()
    assert application.question == canary["question"]  # readable through the model
    assert ExpertAdvice.objects.get(application=application).advice == canary["advice"]

    raw = _raw_database_text()
    dump = _dump()
    sql = "\n".join(q["sql"] for q in queries.captured_queries)
    audit = "\n".join(str(e.extra) for e in AuditEvent.objects.all())
    for value in canary.values():
        assert value not in raw
        assert value not in dump
        assert value not in sql
        assert value not in audit
        assert value not in caplog.text
    assert crypto.PREFIX in raw


def test_the_students_export_has_their_applications(caseload_world):
    cw = caseload_world
    application = granted(cw, category="H")
    data = student_data(cw.student)
    (exported,) = data["applications"]
    assert exported["kind"] == "TLV voortgezet speciaal onderwijs (VSO)"
    assert exported["status"] == "Toegekend"
    assert exported["question"] == cw.case.question
    assert exported["tried"] == application.tried
    assert [a["advice"] for a in exported["expert_advices"]][0] == ADVICE_ORTHO
    assert exported["dossier_consent"]["guardian"] == "Ria Jansen"
    assert exported["decision"]["category"] == "H"
    assert [h["status"] for h in exported["history"]][-1] == "Toegekend"
    assert student_data(cw.student16)["applications"] == []


def test_the_export_pdf_shows_the_applications(client, caseload_world):
    from passend.privacy.views import export_pdf_bytes
    from tests.pdftext import pdf_text

    cw = caseload_world
    granted(cw)
    text = pdf_text(export_pdf_bytes(cw.student, uncompressed=True))
    assert "Aanvraag TLV voortgezet speciaal onderwijs (VSO)" in text
    assert "Drs. O. Pedagoog" in text


def _leave(student, years_ago: int) -> None:
    today = datetime.date.today()
    student.left_on = today.replace(year=today.year - years_ago) - datetime.timedelta(days=1)
    student.enrolled_on = min(student.enrolled_on, student.left_on)
    student.save()


def test_retention_deletes_the_applications_with_the_student(caseload_world):
    cw = caseload_world
    application = granted(cw)
    other = submitted(cw, kind=ApplicationKind.ARRANGEMENT_OP_MAAT)
    _leave(cw.student, 3)
    report = purge(apply=True)
    assert report.students == 1
    assert not Student.objects.filter(pk=cw.student.pk).exists()
    assert not Guardian.objects.filter(pk=cw.guardian.pk).exists()
    assert not SupportCase.objects.filter(pk=cw.case.pk).exists()
    for model in (Application, ExpertAdvice, DossierConsent, ApplicationStatusChange):
        assert not model.objects.filter(
            **({"pk__in": [application.pk, other.pk]} if model is Application else {})
        ).exists(), model
    assert Student.objects.filter(pk=cw.student16.pk).exists()


def test_a_case_with_an_application_is_not_deleted_on_its_own(caseload_world):
    from django.db.models import RestrictedError

    cw = caseload_world
    submitted(cw)
    with pytest.raises(RestrictedError):
        SupportCase.objects.filter(pk=cw.case.pk).delete()


def test_a_guardian_dropped_from_the_roster_keeps_the_consent_readable(caseload_world):
    cw = caseload_world
    application = submitted(cw)
    cw.consent.delete()  # the caseload consent protects its guardian; the dossier's does not
    Guardian.objects.filter(pk=cw.guardian.pk).delete()
    consent = DossierConsent.objects.get(application=application)
    assert consent.guardian is None and consent.guardian_name == "Ria Jansen"


# --- The demo -----------------------------------------------------------------------------------


def test_demo_loads_the_three_applications_through_the_services(settings):
    from passend.applications.due import OBJECTION_DEADLINE, TLV_ENDING, TO_DECIDE, due_items
    from passend.demo import applications as demo_applications
    from passend.demo.services import SCHOOL_A

    call_command("demo", stdout=io.StringIO())
    users = {u.email: u for u in User.objects.all()}
    demo_applications.load(users)
    demo_applications.load(users)  # idempotent
    at_a = Application.objects.filter(school__location_code=SCHOOL_A)
    assert at_a.count() == 3
    today = datetime.date.today()

    tlv = at_a.get(kind=ApplicationKind.TLV_VSO)
    assert tlv.status == ApplicationStatus.GRANTED and tlv.outcome == Outcome.GRANTED
    assert tlv.category == "M" and today < tlv.ends_on <= today + datetime.timedelta(days=92)
    assert tlv.advices.filter(independent=True).count() == 2
    assert tlv.student.first_name == "Sara"
    op_maat = at_a.get(kind=ApplicationKind.ARRANGEMENT_OP_MAAT)
    assert op_maat.status == ApplicationStatus.SUBMITTED and op_maat.submitted_on < today
    assert op_maat.dossier_consent.parts == ["question", "tried", "recommendations"]
    draft = at_a.get(status=ApplicationStatus.DRAFT)
    assert draft.kind == ApplicationKind.ARRANGEMENT_WITHIN_SCHOOL
    # Through the services: every step is in the audit trail.
    assert AuditEvent.objects.filter(action="application.granted").count() == 1
    assert AuditEvent.objects.filter(action="application.submitted").count() == 2

    coordinator = users["oc.a@drechtsteden.example"]
    kinds = [(i.kind, i.student.pk) for i in due_items(coordinator, today)]
    assert (TLV_ENDING, tlv.student_id) in kinds
    assert not any(k == OBJECTION_DEADLINE for k, _ in kinds)  # decided eight months ago
    consultant = users["consulent@drechtsteden.example"]
    waiting = [i.student.pk for i in due_items(consultant, today) if i.kind == TO_DECIDE]
    assert waiting == [op_maat.student_id]
    assert due_items(users["oc.b@drechtsteden.example"], today) == []
