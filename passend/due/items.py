"""What is due, computed from the data (never stored reminders): the item every provider returns
and the list of providers.

A provider is a function ``due_items(user, on: date) -> list[DueItem]`` in an app's ``due.py``
that returns what is due or overdue *for that user* on day ``on``, scoped through the app's
access layer (the one scope of passend.accounts.access), in a constant number of queries
however many items there are. ``PROVIDERS`` names them; passend.due collects them for the start
page panel, the due page and the e-mail digest.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

#: The providers, as dotted paths (imported on first use, so an app's models are ready).
PROVIDERS: list[str] = [
    "passend.agreements.due.due_items",
    "passend.quality.due.due_items",
    "passend.caseload.due.due_items",
    "passend.applications.due.due_items",
    "passend.plans.due.due_items",
]


@dataclass(frozen=True)
class DueItem:
    """One thing due for a user.

    ``kind`` is a stable key ("plan_to_set", "consent_expiring", …) and ``kind_label`` its
    translated name without any personal data (the digest counts per kind and shows only this);
    ``title`` is what the due page shows and may name a student; ``student`` is set when it
    does, so that the page audits the read (passend.privacy.audit.record_views). ``due_on`` is
    the deadline; the item is overdue when it has passed. ``url`` is where to act on it.
    """

    kind: str
    kind_label: str
    title: str
    due_on: date
    url: str
    school: object | None = None
    student: object | None = None

    def overdue(self, on: date) -> bool:
        return self.due_on < on
