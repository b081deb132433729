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


def record(
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
    """Write one audit event. ``obj`` is named by type and public ``code`` (or pk)."""
    if obj is not None:
        from passend.organisations.models import Partnership, School

        if isinstance(obj, School):
            school = school or obj
        elif isinstance(obj, Partnership):
            partnership = partnership or obj
        else:
            school = school or getattr(obj, "school", None)
            partnership = partnership or getattr(obj, "partnership", None)
    if school is not None and partnership is None:
        partnership = school.partnership
    with transaction.atomic():
        chain.lock()
        event = AuditEvent(
            actor=actor if actor is not None and actor.is_authenticated else None,
            actor_label=actor_label
            or (actor.email if actor is not None and actor.is_authenticated else ""),
            partnership=partnership,
            school=school,
            action=action,
            object_type=obj._meta.label if obj is not None else "",
            object_code=str(getattr(obj, "code", obj.pk)) if obj is not None else "",
            ip_address=client_ip(request),
            extra=extra,
        )
        event.previous_hash = chain.head(AuditEvent)
        event.hash = chain.digest(event.previous_hash, event)
        event.save(force_insert=True)
    return event
