"""Authorization rules for SOT meetings (passend/caseload/views/meetings.py). Fixture
``meeting_world`` (tests/fixtures_meetings.py): an open and a finalised meeting at school A with
the coordinator, the bpo and the partner persona attending; ``case`` (shared with the partner
under valid consent) on both agendas; an action point for the partner."""

from __future__ import annotations

from django.urls import reverse

from tests.authz import Rule, only, statuses

FIXTURE = "meeting_world"
STAFF = ["coordinator", "bpo"]
READERS = [*STAFF, "partner"]  # the partner attends and sees the shared case


def _rule(name: str, target, expect, **kwargs) -> Rule:
    return Rule(
        lambda mw: reverse(f"caseload:{name}", args=[target(mw).code]),
        expect,
        fixture=FIXTURE,
        **kwargs,
    )


def _open(mw):
    return mw.meeting


def _school(mw):
    return mw.world.a


RULES: dict[str, Rule] = {
    "caseload:meeting_list": _rule("meeting_list", _school, only(STAFF)),
    "caseload:meeting_create": _rule("meeting_create", _school, only(STAFF)),
    "caseload:meeting_mine": Rule(
        lambda mw: reverse("caseload:meeting_mine"), statuses(200), fixture=FIXTURE
    ),
    "caseload:meeting_detail": _rule("meeting_detail", _open, only(READERS)),
    "caseload:meeting_edit": _rule("meeting_edit", _open, only(STAFF, inside=["partner"])),
    "caseload:meeting_presence": _rule(
        "meeting_presence", _open, only(STAFF, ok=302, inside=["partner"]), method="post"
    ),
    "caseload:agenda_item_add": _rule(
        "agenda_item_add", _open, only(STAFF, ok=302, inside=["partner"]), method="post"
    ),
    "caseload:meeting_finalise": _rule(
        "meeting_finalise", _open, only(STAFF, ok=302, inside=["partner"]), method="post"
    ),
    "caseload:meeting_recap": _rule("meeting_recap", lambda mw: mw.final, only(READERS)),
    "caseload:meeting_recap_pdf": _rule("meeting_recap_pdf", lambda mw: mw.final, only(READERS)),
    "caseload:agenda_item_edit": _rule(
        "agenda_item_edit", lambda mw: mw.item, only(STAFF, inside=["partner"])
    ),
    "caseload:agenda_item_remove": _rule(
        "agenda_item_remove",
        lambda mw: mw.item,
        only(STAFF, ok=302, inside=["partner"]),
        method="post",
    ),
    "caseload:action_point_done": _rule(
        "action_point_done", lambda mw: mw.action, only(READERS, ok=302), method="post"
    ),
}
