"""Authorization rules for the task descriptions and the competency set (fixture:
agreements_world; passend/agreements/views/descriptions.py, rules in
passend/agreements/access.py).

- The partnership's template and competency set: read by partnership_admin, consultant, office,
  director, coordinator, bpo and coordinator_b (all in P); partner and mentor of P get 404 like
  everyone outside P. Only the partnership_admin edits (403 for the other readers).
- School A's task description: read by partnership_admin, its consultant, director,
  coordinator and bpo; office, partner, mentor and coordinator_b (school B) get 404. The
  coordinator and director adopt (302 back to the page) and edit; the other readers get 403.
"""

from __future__ import annotations

from django.urls import reverse

from tests.authz import Rule, only

TEMPLATE_READERS = [
    "partnership_admin",
    "consultant",
    "office",
    "director",
    "coordinator",
    "bpo",
    "coordinator_b",
]
DESCRIPTION_READERS = ["partnership_admin", "consultant", "director", "coordinator", "bpo"]
DESCRIPTION_EDITORS = ["director", "coordinator"]


def _rule(url, expect, **kw) -> Rule:
    return Rule(url, expect, fixture="agreements_world", **kw)


def _swv(name: str):
    return lambda aw: reverse(f"agreements:{name}", args=[aw.world.p.code])


def _school(name: str):
    return lambda aw: reverse(f"agreements:{name}", args=[aw.world.a.code])


def _adopted_edit_url(aw) -> str:
    """School A's edit page, after the system adopted the template for it: before adoption
    the page sends the editors back to the description (tested in
    tests/test_agreements_descriptions.py), so here it must render for them."""
    from passend.agreements.services import adopt_task_description

    adopt_task_description(aw.world.a, acting_user=None)
    return reverse("agreements:school_description_edit", args=[aw.world.a.code])


ADMIN_ONLY = only(["partnership_admin"], inside=TEMPLATE_READERS)

RULES: dict[str, Rule] = {
    "agreements:template_detail": _rule(_swv("template_detail"), only(TEMPLATE_READERS)),
    "agreements:template_edit": _rule(_swv("template_edit"), ADMIN_ONLY),
    "agreements:competency_set": _rule(_swv("competency_set"), only(TEMPLATE_READERS)),
    "agreements:competency_set_edit": _rule(_swv("competency_set_edit"), ADMIN_ONLY),
    "agreements:school_description": _rule(
        _school("school_description"), only(DESCRIPTION_READERS)
    ),
    "agreements:school_description_adopt": _rule(
        _school("school_description_adopt"),
        only(DESCRIPTION_EDITORS, ok=302, inside=DESCRIPTION_READERS),
        method="post",
    ),
    "agreements:school_description_edit": _rule(
        _adopted_edit_url, only(DESCRIPTION_EDITORS, inside=DESCRIPTION_READERS)
    ),
}
