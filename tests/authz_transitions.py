"""Authorization rules for the URLs of passend/transitions (see tests/authz.py). Fixture
``transition_world``: Sam's transition at school A. The school's coordinator and BPOs read and
record transitions; everyone else gets 404 (the partner who may see Sam's case too: a
transition is not part of the shared case)."""

from __future__ import annotations

from django.urls import reverse

from tests.authz import Rule, only

FIXTURE = "transition_world"
STAFF = ["coordinator", "bpo"]

RULES: dict[str, Rule] = {
    "transitions:transition_list": Rule(
        lambda tw: reverse("transitions:transition_list", args=[tw.world.a.code]),
        only(STAFF),
        fixture=FIXTURE,
    ),
    "transitions:transition_create": Rule(
        lambda tw: reverse("transitions:transition_create", args=[tw.student.code]),
        only(STAFF),
        fixture=FIXTURE,
    ),
    "transitions:transition_detail": Rule(
        lambda tw: reverse("transitions:transition_detail", args=[tw.transition.code]),
        only(STAFF),
        fixture=FIXTURE,
    ),
    "transitions:transition_edit": Rule(
        lambda tw: reverse("transitions:transition_edit", args=[tw.transition.code]),
        only(STAFF),
        fixture=FIXTURE,
    ),
}
