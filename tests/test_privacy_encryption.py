"""Narrative fields are encrypted at rest (issue 6, point 6): a canary typed into each appears
in no byte of the database (every table, read raw; the SQLite dump or pg_dump), not in the SQL
sent to the database, not in the audit table and not in the logs; keys rotate."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import uuid

import pytest
from cryptography.fernet import Fernet
from django.db import connection
from django.test.utils import CaptureQueriesContext

from passend.caseload.models import (
    ActionPoint,
    AgendaItem,
    Contact,
    Observation,
    Recommendation,
    SupportCase,
)
from passend.privacy import crypto
from passend.privacy.fields import EncryptedTextField, encrypted_fields

pytestmark = pytest.mark.django_db

NARRATIVE = {
    (SupportCase, "signal"),
    (SupportCase, "question"),
    (Contact, "notes"),
    (Observation, "report"),
    (Recommendation, "text"),
    (Recommendation, "follow_up"),
    (AgendaItem, "minutes"),
    (AgendaItem, "decisions"),
    (ActionPoint, "description"),
}


def _fill_with_canaries(cw) -> dict[str, str]:
    canaries = {}
    for model, field in NARRATIVE:
        if model in (AgendaItem, ActionPoint):
            continue  # typed through the forms in test_canaries_typed_into_the_forms_…
        canary = f"CANARY-{model.__name__}-{field}-{uuid.uuid4().hex}"
        canaries[f"{model.__name__}.{field}"] = canary
        obj = {
            SupportCase: cw.case,
            Contact: cw.contact,
            Observation: cw.observation,
            Recommendation: cw.recommendation,
        }[model]
        setattr(obj, field, canary)
        obj.save()
    return canaries


def _raw_database_text() -> str:
    """Every text value of every table of passend, read with raw SQL (no field conversion)."""
    parts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                parts.extend(str(value) for value in row if value is not None)
    return "\n".join(parts)


def _dump() -> str:
    if connection.vendor == "sqlite":
        return "\n".join(connection.connection.iterdump())
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        pytest.skip("pg_dump is not installed; the raw-table check above still ran")
    s = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": s.get("PASSWORD") or ""}
    args = [pg_dump, "--data-only", "-d", s["NAME"]]
    if s.get("HOST"):
        args += ["-h", s["HOST"]]
    if s.get("PORT"):
        args += ["-p", str(s["PORT"])]
    if s.get("USER"):
        args += ["-U", s["USER"]]
    return subprocess.run(args, capture_output=True, text=True, check=True, env=env).stdout  # noqa: S603


def test_every_narrative_field_is_encrypted():
    found = {(model, name) for model, names in encrypted_fields() for name in names}
    assert NARRATIVE <= found


def test_canaries_are_nowhere_at_rest(caseload_world, caplog):
    cw = caseload_world
    caplog.set_level(logging.DEBUG)
    with CaptureQueriesContext(connection) as queries:
        canaries = _fill_with_canaries(cw)
    for obj in (cw.case, cw.contact, cw.observation, cw.recommendation):
        obj.refresh_from_db()
    assert cw.case.signal == canaries["SupportCase.signal"]  # readable through the model
    assert cw.recommendation.follow_up == canaries["Recommendation.follow_up"]

    raw = _raw_database_text()
    dump = _dump()
    sql = "\n".join(q["sql"] for q in queries.captured_queries)
    from passend.audit.models import AuditEvent

    audit = "\n".join(str(e.extra) for e in AuditEvent.objects.all())
    for canary in canaries.values():
        assert canary not in raw
        assert canary not in dump
        assert canary not in sql
        assert canary not in audit
        assert canary not in caplog.text
    assert crypto.PREFIX in raw  # the values are there, encrypted


def test_key_rotation_and_reencrypt(caseload_world, settings):
    from django.core.management import call_command

    cw = caseload_world
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    crypto.reset_keys()
    try:
        cw.case.refresh_from_db()  # old rows stay readable
        assert cw.case.signal == "Trekt zich terug in de les."
        call_command("reencrypt", stdout=open(os.devnull, "w"))  # noqa: SIM115
        settings.FIELD_ENCRYPTION_KEYS = [new_key]
        crypto.reset_keys()
        cw.case.refresh_from_db()
        assert cw.case.signal == "Trekt zich terug in de les."
        cw.contact.refresh_from_db()
        assert cw.contact.notes == "Gesprek met moeder."
        settings.FIELD_ENCRYPTION_KEYS = [old_key]
        crypto.reset_keys()
        with pytest.raises(ValueError, match="no configured key"):
            SupportCase.objects.get(pk=cw.case.pk)
    finally:
        crypto.reset_keys()


def test_tampered_or_plain_values_are_refused(caseload_world):
    cw = caseload_world
    table = connection.ops.quote_name(SupportCase._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET question = %s WHERE id = %s", ["plain", cw.case.pk])  # noqa: S608
    with pytest.raises(ValueError, match="did not encrypt"):
        SupportCase.objects.get(pk=cw.case.pk)


def test_encrypted_fields_cannot_be_searched():
    from django.core.exceptions import FieldError

    assert isinstance(SupportCase._meta.get_field("signal"), EncryptedTextField)
    with pytest.raises(FieldError):
        list(SupportCase.objects.filter(signal__icontains="x"))
    assert list(SupportCase.objects.filter(question="")) == []


def test_canaries_typed_into_the_forms_are_nowhere_at_rest(client, meeting_world, caplog, capfd):
    """The acceptance test as a user does it: every narrative field typed into its form."""
    import time

    from django.urls import reverse

    from passend.accounts.middleware import SESSION_STARTED_KEY

    mw = meeting_world
    cw = mw.cw
    bpo = cw.world.users["bpo"]
    client.force_login(bpo)
    session = client.session
    session[SESSION_STARTED_KEY] = time.time()
    session.save()
    caplog.set_level(logging.DEBUG)
    canary = {
        name: f"CANARY-{name}-{uuid.uuid4().hex}"
        for name in (
            "signal",
            "question",
            "notes",
            "report",
            "text",
            "follow_up",
            "minutes",
            "decisions",
            "action",
        )
    }
    today = cw.today.isoformat()

    def post(url, data):
        response = client.post(url, data)
        assert response.status_code == 302, response.content.decode()[:2000]
        return response

    with CaptureQueriesContext(connection) as queries:
        post(
            reverse("caseload:case_create", args=[cw.student16.code]),
            {
                "signal_source": "mentor",
                "signalled_on": today,
                "signal": canary["signal"],
                "question": canary["question"],
                "bpo": str(bpo.code),
            },
        )
        case = SupportCase.objects.get(student=cw.student16)
        post(
            reverse("caseload:contact_create", args=[case.code]),
            {"date": today, "kind": "parents", "notes": canary["notes"]},
        )
        post(
            reverse("caseload:observation_create", args=[case.code]),
            {"date": today, "lesson": "Engels", "report": canary["report"]},
        )
        post(
            reverse("caseload:recommendation_create", args=[case.code]),
            {"date": today, "audience": "mentor", "text": canary["text"]},
        )
        recommendation = Recommendation.objects.get(case=case)
        post(
            reverse("caseload:recommendation_follow_up", args=[recommendation.code]),
            {"status": "in_progress", "follow_up": canary["follow_up"]},
        )
        post(
            reverse("caseload:agenda_item_edit", args=[mw.item.code]),
            {
                "minutes": canary["minutes"],
                "decisions": canary["decisions"],
                "actions-TOTAL_FORMS": "1",
                "actions-INITIAL_FORMS": "0",
                "actions-MIN_NUM_FORMS": "0",
                "actions-MAX_NUM_FORMS": "30",
                "actions-0-description": canary["action"],
                "actions-0-owner": str(bpo.code),
                "actions-0-due_on": today,
            },
        )
        # Reading it all back (pages and PDFs) must not leak it either.
        shown = client.get(reverse("caseload:case_detail", args=[case.code])).content.decode()
        client.get(reverse("caseload:meeting_detail", args=[mw.meeting.code]))
    assert canary["signal"] in shown and canary["follow_up"] in shown  # readable in the app
    assert ActionPoint.objects.get(item=mw.item).description == canary["action"]

    raw = _raw_database_text()
    dump = _dump()
    sql = "\n".join(q["sql"] for q in queries.captured_queries)
    from passend.audit.models import AuditEvent

    audit = "\n".join(f"{e.action} {e.object_code} {e.extra}" for e in AuditEvent.objects.all())
    out, err = capfd.readouterr()
    for value in canary.values():
        assert value not in raw
        assert value not in dump
        assert value not in sql
        assert value not in audit
        assert value not in caplog.text
        assert value not in out and value not in err
