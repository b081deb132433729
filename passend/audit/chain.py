"""The hash chain over the audit trail: each event stores the SHA-256 of its own content and of
the previous event's hash, so that changing or deleting a row breaks the chain from that row on
(``passend audit verify`` names it). Deleting the newest rows is only detectable against a head
hash kept elsewhere: ``verify`` prints the head so operators can archive it.

Writers take a lock first (PostgreSQL: a transaction-level advisory lock; SQLite serialises
writers with IMMEDIATE transactions), so the chain never forks.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass

from django.db import connection

GENESIS = "0" * 64
LOCK_KEY = 7513  # NEN 7513, the audit-logging standard for care data


def content(event) -> str:
    """The canonical text hashed for ``event``: immutable columns only (the actor, school and
    partnership foreign keys may legitimately be emptied when those rows are deleted; the
    actor's label stays). The order of rows is covered by the chain itself."""
    timestamp = event.timestamp.astimezone(datetime.UTC).isoformat(timespec="microseconds")
    extra = json.loads(json.dumps(event.extra or {}, default=str))
    return json.dumps(
        [
            timestamp,
            event.actor_label,
            event.action,
            event.object_type,
            event.object_code,
            event.ip_address or "",
            extra,
        ],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )


def digest(previous: str, event) -> str:
    return hashlib.sha256((previous + content(event)).encode("utf-8")).hexdigest()


def lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


def head(model) -> str:
    last = model.objects.order_by("-pk").values_list("hash", flat=True).first()
    return last or GENESIS


@dataclass
class Verdict:
    ok: bool
    checked: int
    head: str
    broken_at: int | None = None
    reason: str = ""


def verify(model, batch: int = 2000) -> Verdict:
    """Walk the chain in id order (in batches) and recompute every hash."""
    previous = GENESIS
    checked = 0
    last_pk = 0
    while True:
        rows = list(model.objects.filter(pk__gt=last_pk).order_by("pk")[:batch])
        if not rows:
            return Verdict(True, checked, previous)
        for event in rows:
            if event.previous_hash != previous:
                return Verdict(False, checked, previous, event.pk, "previous_hash")
            if event.hash != digest(previous, event):
                return Verdict(False, checked, previous, event.pk, "content")
            previous = event.hash
            checked += 1
            last_pk = event.pk
