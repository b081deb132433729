"""Transitions (passend.transitions.services): the consent rule for sharing (a guardian with
authority under 16, the student from 16, by the age on the consent date), the refusal of
sharing without a consent recorded as given, the kind/direction and other-school rules, the
audit holding codes only, the handover notes encrypted at rest (canary), the student's data
export and retention, and the demo."""

from __future__ import annotations

import datetime
import json
import uuid
from io import StringIO

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from passend.audit.models import AuditEvent
from passend.privacy.export import student_data
from passend.privacy.fields import encrypted_fields
from passend.privacy.retention import purge
from passend.privacy.views import export_pdf_bytes
from passend.students.models import Guardian, Student
from passend.transitions import services
from passend.transitions.models import Transition
from tests.fixtures_transitions import HANDOVER
from tests.pdftext import pdf_text
from tests.test_privacy_encryption import _dump, _raw_database_text

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def _input(**overrides) -> services.TransitionInput:
    fields = {
        "kind": "vo_mbo",
        "direction": "outgoing",
        "date": datetime.date(2027, 8, 1),
        "other_name": "Da Vinci College",
        "other_duo_code": "25lx",
    }
    fields.update(overrides)
    return services.TransitionInput(**fields)


def _errors(excinfo) -> dict:
    return excinfo.value.message_dict


def _student_turning_16_on(cw, birthday_16: datetime.date) -> Student:
    """A student of school A who turns 16 on ``birthday_16``, with a mother with authority."""
    born = birthday_16.replace(year=birthday_16.year - 16)
    student = Student.objects.create(
        partnership=cw.world.p,
        school=cw.world.a,
        student_number="1500",
        first_name="Lies",
        last_name="Dekker",
        date_of_birth=born,
        enrolled_on=cw.year.start,
    )
    Guardian.objects.create(
        student=student, name="Moeder Dekker", relation="mother", has_authority=True
    )
    return student


# --- Consent and sharing ---------------------------------------------------------------------


def test_sharing_without_a_recorded_consent_is_refused(caseload_world):
    cw = caseload_world
    coordinator = cw.world.users["coordinator"]
    with pytest.raises(ValidationError) as excinfo:
        services.create_transition(
            cw.student16, _input(shared_parts=["support_summary"]), acting_user=coordinator
        )
    assert "Er is geen toestemming vastgelegd" in " ".join(_errors(excinfo)["shared_parts"])
    # Refused consent: nothing may be shared either.
    refused = _input(
        shared_parts=["support_summary"],
        consent_given=False,
        consent_given_by="student",
        consent_on=cw.today,
    )
    with pytest.raises(ValidationError) as excinfo:
        services.create_transition(cw.student16, refused, acting_user=coordinator)
    assert "geweigerd" in " ".join(_errors(excinfo)["shared_parts"])
    assert not Transition.objects.filter(student=cw.student16).exists()

    # Recorded as refused without parts, or given with parts: both are recorded.
    no = services.create_transition(
        cw.student16,
        _input(consent_given=False, consent_given_by="student", consent_on=cw.today),
        acting_user=coordinator,
    )
    assert no.consent_given is False and no.shared_parts == []
    yes = services.create_transition(
        cw.student16,
        _input(
            consent_given=True,
            consent_given_by="student",
            consent_on=cw.today,
            shared_parts=["recommendations", "support_summary", "support_summary"],
        ),
        acting_user=coordinator,
    )
    yes.refresh_from_db()
    assert yes.shared_parts == ["support_summary", "recommendations"]  # once, in list order
    assert yes.other_duo_code == "25LX"


def test_the_database_refuses_parts_without_consent(caseload_world):
    cw = caseload_world
    for consent in (None, False):
        with pytest.raises(IntegrityError), transaction.atomic():
            Transition.objects.create(
                partnership=cw.world.p,
                school=cw.world.a,
                student=cw.student16,
                kind="vo_mbo",
                direction="outgoing",
                other_name="Da Vinci College",
                date=cw.today,
                shared_parts=["plan"],
                consent_given=consent,
                consent_given_by="student" if consent is not None else "",
                consent_on=cw.today if consent is not None else None,
            )


def test_consent_age_is_computed_on_the_consent_date(caseload_world):
    """16 on the consent date decides: the day before the 16th birthday a guardian consents,
    from the birthday the student; today's age does not matter."""
    cw = caseload_world
    coordinator = cw.world.users["coordinator"]
    birthday = cw.today - 10 * DAY  # 16 since ten days
    student = _student_turning_16_on(cw, birthday)
    mother = student.guardians.get()

    def attempt(**consent):
        return services.create_transition(
            student,
            _input(consent_given=True, shared_parts=["plan"], **consent),
            acting_user=coordinator,
        )

    # The student consented the day before turning 16: too young then.
    with pytest.raises(ValidationError) as excinfo:
        attempt(consent_given_by="student", consent_on=birthday - DAY)
    assert "15 jaar" in " ".join(_errors(excinfo)["consent_given_by"])
    # The mother on the birthday: the student decides from that day.
    with pytest.raises(ValidationError) as excinfo:
        attempt(consent_given_by="guardian", consent_guardian=mother, consent_on=birthday)
    assert "16 jaar" in " ".join(_errors(excinfo)["consent_given_by"])
    # A guardian must be named, hold authority and belong to the student.
    with pytest.raises(ValidationError) as excinfo:
        attempt(consent_given_by="guardian", consent_on=birthday - DAY)
    assert "consent_guardian" in _errors(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        attempt(
            consent_given_by="guardian", consent_guardian=cw.guardian, consent_on=birthday - DAY
        )
    assert "hoort niet bij deze leerling" in " ".join(_errors(excinfo)["consent_guardian"])
    assert not student.transitions.exists()

    by_mother = attempt(
        consent_given_by="guardian", consent_guardian=mother, consent_on=birthday - DAY
    )
    assert by_mother.consent_guardian_name == "Moeder Dekker"
    by_student = attempt(consent_given_by="student", consent_on=birthday)
    assert by_student.consent_given_by == "student" and by_student.consent_guardian is None


def test_consent_needs_who_and_when_and_no_future_date(caseload_world):
    cw = caseload_world
    coordinator = cw.world.users["coordinator"]
    with pytest.raises(ValidationError) as excinfo:
        services.create_transition(
            cw.student16, _input(consent_given=True), acting_user=coordinator
        )
    errors = _errors(excinfo)
    assert "consent_on" in errors and "consent_given_by" in errors
    with pytest.raises(ValidationError) as excinfo:
        services.create_transition(
            cw.student16,
            _input(consent_given=True, consent_given_by="student", consent_on=cw.today + DAY),
            acting_user=coordinator,
        )
    assert "toekomst" in " ".join(_errors(excinfo)["consent_on"])
    # Not recorded: who and when are dropped, not half-stored.
    loose = services.create_transition(
        cw.student16,
        _input(consent_given_by="student", consent_on=cw.today),
        acting_user=coordinator,
    )
    assert loose.consent_given is None and loose.consent_given_by == "" and loose.consent_on is None


# --- Kind, direction, the other school -----------------------------------------------------


def test_kind_direction_and_other_school_rules(caseload_world):
    cw = caseload_world
    w = cw.world
    coordinator = w.users["coordinator"]

    def errors_of(data):
        with pytest.raises(ValidationError) as excinfo:
            services.create_transition(cw.student, data, acting_user=coordinator)
        return _errors(excinfo)

    assert "direction" in errors_of(_input(kind="po_vo", direction="outgoing"))
    assert "direction" in errors_of(_input(kind="vo_mbo", direction="incoming"))
    assert "kind" in errors_of(_input(kind="vo_hbo"))
    assert "other_name" in errors_of(_input(other_name="  "))
    assert "other_duo_code" in errors_of(_input(other_duo_code="ABCD12"))
    assert "date" in errors_of(_input(date=None))
    # A school of the partnership only for VO → VO and VO → VSO, never one's own or another SWV's.
    assert "other_school" in errors_of(_input(kind="vo_mbo", other_school=w.b))
    assert "other_school" in errors_of(_input(kind="vo_vo", other_school=w.a))
    assert "other_school" in errors_of(_input(kind="vo_vo", other_school=w.c))
    assert "handover_on" in errors_of(_input(handover_notes="Notities zonder datum"))
    assert not Transition.objects.exists()

    vo_vo = services.create_transition(
        cw.student,
        _input(kind="vo_vo", direction="outgoing", other_school=w.b, other_name="ignored"),
        acting_user=coordinator,
    )
    assert vo_vo.other_school == w.b and vo_vo.other_name == w.b.name
    assert vo_vo.other_duo_code == w.b.location_code
    assert vo_vo.school == w.a and vo_vo.partnership == w.p


def test_only_the_schools_coordinator_and_bpos_record(caseload_world):
    cw = caseload_world
    users = cw.world.users
    for persona in ("mentor", "director", "partner", "coordinator_b", "consultant"):
        with pytest.raises(PermissionDenied):
            services.create_transition(cw.student16, _input(), acting_user=users[persona])
    assert services.create_transition(cw.student16, _input(), acting_user=users["bpo"])


def test_update_audits_codes_only(transition_world):
    tw = transition_world
    coordinator = tw.world.users["coordinator"]
    notes = f"Nieuwe afspraken {uuid.uuid4().hex}"
    data = _input(
        kind="po_vo",
        direction="incoming",
        date=tw.transition.date,
        other_name="Basisschool De Linde",
        other_duo_code="12AB",
        handover_on=tw.transition.handover_on,
        handover_with="Leerkracht groep 8",
        handover_notes=notes,
        consent_given=True,
        consent_given_by="guardian",
        consent_guardian=tw.cw.guardian,
        consent_on=tw.transition.consent_on,
        shared_parts=["education_report", "support_summary"],
    )
    services.update_transition(tw.transition, data, acting_user=coordinator)
    tw.transition.refresh_from_db()
    assert tw.transition.handover_notes == notes
    event = AuditEvent.objects.get(action="transition.update")
    assert event.extra["fields"] == ["handover_notes", "shared_parts"]
    assert event.extra["student"] == str(tw.student.code)
    extra = json.dumps(event.extra, ensure_ascii=False)
    for secret in (notes, tw.student.full_name, "Basisschool De Linde", tw.cw.guardian.name):
        assert secret not in extra
    # Saving the same again changes nothing and writes nothing.
    services.update_transition(tw.transition, data, acting_user=coordinator)
    assert AuditEvent.objects.filter(action="transition.update").count() == 1


# --- Privacy ---------------------------------------------------------------------------------


def test_handover_notes_are_encrypted(caseload_world):
    """A canary typed in through the service is in no byte of the database, nor in the SQL,
    the audit trail; it reads back through the model."""
    found = {(model, name) for model, names in encrypted_fields() for name in names}
    assert (Transition, "handover_notes") in found

    cw = caseload_world
    canary = f"CANARY-Transition-handover_notes-{uuid.uuid4().hex}"
    with CaptureQueriesContext(connection) as queries:
        transition = services.create_transition(
            cw.student16,
            _input(handover_on=cw.today, handover_notes=canary),
            acting_user=cw.world.users["bpo"],
        )
    transition.refresh_from_db()
    assert transition.handover_notes == canary
    assert canary not in _raw_database_text()
    assert canary not in _dump()
    assert canary not in "\n".join(q["sql"] for q in queries.captured_queries)
    assert canary not in "\n".join(str(e.extra) for e in AuditEvent.objects.all())


def test_export_holds_the_transitions(transition_world):
    tw = transition_world
    data = student_data(tw.student)
    (row,) = data["transitions"]
    assert row["kind"] == "PO → VO" and row["direction"] == "Inkomend"
    assert row["handover_notes"] == tw.transition.handover_notes
    assert row["consent"] == "given" and row["consent_guardian"] == tw.cw.guardian.name
    assert row["shared_parts"] == ["Onderwijskundig rapport"]
    json.dumps(data)  # serialisable as the JSON export
    assert student_data(tw.student16)["transitions"] == []
    # … and in the PDF of the export.
    text = " ".join(pdf_text(export_pdf_bytes(tw.student, uncompressed=True)).split())
    assert "Overstappen" in text and "Basisschool De Linde (12AB)" in text
    assert HANDOVER in text and "Onderwijskundig rapport" in text


def test_retention_deletes_the_transitions_of_students_who_left(transition_world):
    tw = transition_world
    left = tw.cw.year.start - datetime.timedelta(days=3 * 365)
    Student.objects.filter(pk=tw.student.pk).update(left_on=left, enrolled_on=left - 400 * DAY)
    report = purge(apply=True)
    assert report.students == 1
    assert not Transition.objects.filter(pk=tw.transition.pk).exists()
    assert Transition.objects.filter(pk=tw.transition_b.pk).exists()


# --- Demo ------------------------------------------------------------------------------------


def test_demo_transitions(settings):
    from passend.accounts.models import User
    from passend.demo.transitions import INCOMING_STUDENT, OUTGOING_STUDENT, load

    settings.REQUIRE_2FA = False
    with time_machine.travel(datetime.datetime(2026, 12, 7, 12, 0), tick=False):
        call_command("demo", stdout=StringIO())
        # The lead wires passend.demo.transitions into the demo; until then it is loaded here.
        load({u.email: u for u in User.objects.all()})
        incoming = Transition.objects.get(student__student_number=INCOMING_STUDENT)
        assert (incoming.kind, incoming.direction) == ("po_vo", "incoming")
        assert incoming.student.class_name == "1A" and incoming.handover_notes
        assert incoming.consent_given and incoming.consent_given_by == "guardian"
        assert incoming.date == datetime.date(2026, 8, 1)
        outgoing = Transition.objects.get(student__student_number=OUTGOING_STUDENT)
        assert (outgoing.kind, outgoing.direction) == ("vo_mbo", "outgoing")
        assert outgoing.student.age_on(outgoing.consent_on) == 17
        assert outgoing.consent_given_by == "student" and outgoing.shared_parts
        assert AuditEvent.objects.filter(action="transition.create").count() == 2
        # Idempotent.
        call_command("demo", stdout=StringIO())
        load({u.email: u for u in User.objects.all()})
        assert Transition.objects.count() == 2
