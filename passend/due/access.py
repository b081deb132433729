"""Who sees what in the due list: each user sees only their own items. Every provider
(passend.due.items.PROVIDERS) scopes its items through its own app's access layer, built on
the one scope of passend.accounts.access, so the due list shows nothing the user could not open
on the provider's own pages. The digest goes only to active users who chose it.
"""

from __future__ import annotations

from django.db.models import QuerySet


def digest_recipients() -> QuerySet:
    """Active users who opted in to the weekly e-mail (``User.due_digest``)."""
    from passend.accounts.models import User

    return User.objects.filter(is_active=True, due_digest=True).exclude(email="").order_by("pk")
