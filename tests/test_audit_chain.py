"""The audit trail's hash chain: ``passend audit verify`` passes on an intact log and fails,
naming the row, when a row is altered or deleted directly in the database."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from passend.audit.models import AuditEvent
from passend.audit.services import record

pytestmark = pytest.mark.django_db


def _log(n: int = 5) -> list[AuditEvent]:
    return [record("test.event", n=i, text="é ünïcode") for i in range(n)]


def _verify() -> str:
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue()


def _raw(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(AuditEvent._meta.db_table)
        cursor.execute(sql.format(table=table), params)


def test_intact_log_verifies(world):
    events = _log()
    assert events[0].previous_hash != events[1].previous_hash
    assert events[1].previous_hash == events[0].hash
    assert "intact" in _verify()


def test_altered_row_is_named(world):
    events = _log()
    target = events[2]
    _raw("UPDATE {table} SET action = %s WHERE id = %s", ["test.forged", target.pk])
    with pytest.raises(CommandError, match=rf"row {target.pk}: its content was changed"):
        _verify()


def test_altered_extra_is_detected(world):
    events = _log()
    _raw("UPDATE {table} SET extra = %s WHERE id = %s", ['{"n": 99}', events[1].pk])
    with pytest.raises(CommandError, match=rf"row {events[1].pk}"):
        _verify()


def test_deleted_row_is_detected_at_the_next_one(world):
    events = _log()
    _raw("DELETE FROM {table} WHERE id = %s", [events[2].pk])
    with pytest.raises(CommandError, match=rf"row {events[3].pk}: the row before it"):
        _verify()


def test_emptied_foreign_keys_do_not_break_the_chain(world):
    """Deleting a user or school empties the FK (SET_NULL): legitimate, not tampering."""
    user = world.users["no_role"]
    record("test.event", actor=user, school=world.a)
    user.delete()
    assert "intact" in _verify()


def test_events_written_together_chain_in_order(world):
    from django.test.utils import CaptureQueriesContext

    from passend.audit.services import build, record_many

    first = record("test.event", n=0)
    one = [build("test.bulk", n=-1)]
    with CaptureQueriesContext(connection) as single:
        record_many(one)
    events = [build("test.bulk", n=i) for i in range(30)]
    # savepoint, (lock on PostgreSQL), head, one INSERT: the same for 30 events as for one
    with CaptureQueriesContext(connection) as many:
        record_many(events)
    assert len(many) == len(single)
    assert one[0].previous_hash == first.hash
    assert events[0].previous_hash == one[0].hash
    assert [e.previous_hash for e in events[1:]] == [e.hash for e in events[:-1]]
    assert "intact: 32 rows" in _verify()
