"""Writing audit events. Every service that changes tenant data calls ``record`` itself."""

from typing import Any

from django.db import models, transaction
from django.http import HttpRequest

from passend.audit import chain
from passend.audit.models import AuditEvent


def client_ip(request: HttpRequest | None) -> str | None:
    """The client address as the lockout sees it (REMOTE_ADDR unless proxies are configured)."""
    if request is None:
        return None
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or None


def build(
    action: str,
    *,
    actor=None,
    obj: models.Model | None = None,
    partnership=None,
    school=None,
    request: HttpRequest | None = None,
    actor_label: str = "",
    **extra: Any,
) -> AuditEvent:
    """An unsaved audit event (``record`` or ``record_many`` write it). ``obj`` is named by
    type and public ``code`` (or pk)."""
    # Ids, not related objects: building an event never costs a query (record_views builds
    # hundreds at once).
    school_id = school.pk if school is not None else None
    partnership_id = partnership.pk if partnership is not None else None
    if obj is not None:
        from passend.organisations.models import Partnership, School

        if isinstance(obj, School):
            school_id = school_id or obj.pk
            partnership_id = partnership_id or obj.partnership_id
        elif isinstance(obj, Partnership):
            partnership_id = partnership_id or obj.pk
        else:
            school_id = school_id or getattr(obj, "school_id", None)
            partnership_id = partnership_id or getattr(obj, "partnership_id", None)
    if school is not None and partnership_id is None:
        partnership_id = school.partnership_id
    return AuditEvent(
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_label=actor_label
        or (actor.email if actor is not None and actor.is_authenticated else ""),
        partnership_id=partnership_id,
        school_id=school_id,
        action=action,
        object_type=obj._meta.label if obj is not None else "",
        object_code=str(getattr(obj, "code", obj.pk)) if obj is not None else "",
        ip_address=client_ip(request),
        extra=extra,
    )


def record_many(events: list[AuditEvent]) -> list[AuditEvent]:
    """Write several events (from ``build``) in one statement, chained in order: a page or
    export that shows many students writes one event per student in a constant number of
    queries."""
    if not events:
        return events
    with transaction.atomic():
        chain.lock()
        previous = chain.head(AuditEvent)
        for event in events:
            event.previous_hash = previous
            event.hash = previous = chain.digest(previous, event)
        # Ids ascend in insertion order on SQLite and PostgreSQL, which verify relies on.
        AuditEvent.objects.bulk_create(events, batch_size=500)
    return events


def record(action: str, **kwargs: Any) -> AuditEvent:
    """Write one audit event (the arguments of ``build``)."""
    return record_many([build(action, **kwargs)])[0]
