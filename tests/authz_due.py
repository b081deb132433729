"""Authorization rules for the URLs of passend/due (see tests/authz.py): the due page and the
digest choice are every signed-in user's own (each sees only their own items)."""

from __future__ import annotations

from django.urls import reverse

from tests.authz import Rule, statuses

RULES: dict[str, Rule] = {
    "due:due_list": Rule(lambda w: reverse("due:due_list"), statuses(200)),
    "due:digest_preference": Rule(
        lambda w: reverse("due:digest_preference"),
        statuses(302),
        method="post",
        data=lambda w: {"digest": "on"},
    ),
}
