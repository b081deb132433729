"""Authorization rules for a school's SOT page (passend/organisations/team_views.py). Fixture
``caseload_world``: school A's SOT of this school year has the partner persona (youth care).
Everyone who sees school A sees who is in its SOT; its coordinator and director manage it."""

from __future__ import annotations

from django.urls import reverse

from tests.authz import SEES_A, Rule, only

FIXTURE = "caseload_world"
MANAGERS = ["coordinator", "director"]
READERS_ONLY = [p for p in SEES_A if p not in MANAGERS]


def _member(cw):
    from passend.organisations.models import SupportTeamMember

    return SupportTeamMember.objects.get(user=cw.world.users["partner"])


RULES: dict[str, Rule] = {
    "organisations:support_team": Rule(
        lambda cw: reverse("organisations:support_team", args=[cw.world.a.code]),
        only(SEES_A),
        fixture=FIXTURE,
    ),
    "organisations:support_team_copy": Rule(
        lambda cw: reverse("organisations:support_team_copy", args=[cw.world.a.code]),
        only(MANAGERS, ok=302, inside=READERS_ONLY),
        method="post",
        fixture=FIXTURE,
    ),
    "organisations:support_team_member_remove": Rule(
        lambda cw: reverse("organisations:support_team_member_remove", args=[_member(cw).code]),
        only(MANAGERS, ok=302, inside=READERS_ONLY),
        method="post",
        fixture=FIXTURE,
    ),
}
