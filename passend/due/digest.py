"""The weekly e-mail of what is due (``passend digest``): per user who chose it, the number of
items per kind and links to passend — never a student's name or number, nor any other title
of an item: the mail leaves passend, its links lead back behind the log-in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from passend.due.services import due_for


@dataclass(frozen=True)
class KindCount:
    """How many items of one kind, and how many of them overdue."""

    label: str
    total: int
    overdue: int


def kind_counts(items, on: date) -> list[KindCount]:
    """Counts per ``kind`` in the order the list shows them (overdue first)."""
    totals: dict[str, list] = {}
    for item in items:
        row = totals.setdefault(item.kind, [item.kind_label, 0, 0])
        row[1] += 1
        row[2] += item.overdue(on)
    return [KindCount(label, total, overdue) for label, total, overdue in totals.values()]


def absolute(path: str) -> str:
    return f"{settings.PASSEND_BASE_URL}{path}"


def digest_message(user, on: date) -> EmailMessage | None:
    """The digest for ``user`` on day ``on``; None when nothing is due."""
    with translation.override(settings.LANGUAGE_CODE):
        items = due_for(user, on)
        if not items:
            return None
        counts = kind_counts(items, on)
        context = {
            "user": user,
            "on": on,
            "counts": counts,
            "total": len(items),
            "overdue": sum(c.overdue for c in counts),
            "due_url": absolute(reverse("due:due_list")),
        }
        subject = " ".join(render_to_string("due/email/digest_subject.txt", context).split())
        body = render_to_string("due/email/digest.txt", context)
    return EmailMessage(subject, body, to=[user.email])
