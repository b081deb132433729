"""The due list of a user: everything due or overdue for them, from every provider in
passend.due.items.PROVIDERS (imported on first use), sorted overdue first, then by deadline.
And the one change the due list knows: the user's choice of the weekly e-mail digest.

Each provider costs a constant number of queries however many items it finds, so ``due_for``
does too (tests/test_due_list.py asserts it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from passend.audit.services import record
from passend.due import items as due_items
from passend.due.items import DueItem


@cache
def _provider(path: str) -> Callable[[object, date], list[DueItem]]:
    return import_string(path)


def due_for(user, on: date | None = None) -> list[DueItem]:
    """What is due for ``user`` on ``on`` (today): overdue first, then by deadline."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    on = on or timezone.localdate()
    found = [item for path in due_items.PROVIDERS for item in _provider(path)(user, on)]
    return sorted(found, key=lambda i: (not i.overdue(on), i.due_on, i.kind_label, i.title))


@dataclass
class Grouped:
    """The items of a due list split as the pages show them."""

    overdue: list[DueItem] = field(default_factory=list)
    soon: list[DueItem] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.overdue) + len(self.soon)


def grouped(items: list[DueItem], on: date) -> Grouped:
    result = Grouped()
    for item in items:
        (result.overdue if item.overdue(on) else result.soon).append(item)
    return result


def students_of(items: list[DueItem]) -> list:
    """The students the items name, each once (for the read audit)."""
    return list({item.student.pk: item.student for item in items if item.student}.values())


def set_digest(user, *, enabled: bool, acting_user):
    """Turn the weekly e-mail of what is due on or off; only for oneself."""
    if not acting_user.is_authenticated or acting_user.pk != user.pk:
        raise PermissionDenied
    enabled = bool(enabled)
    if user.due_digest == enabled:
        return user
    with transaction.atomic():
        user.due_digest = enabled
        user.save(update_fields=["due_digest"])
        record("user.due_digest", actor=acting_user, obj=user, enabled=enabled)
    return user
