"""Authorization rules for passend/quality/views/frameworks.py (fixture: quality_world).

Frameworks are read by everyone who may see an assessment in partnership P (its admin, the
consultant, director, coordinator and BPO of school A, the coordinator of school B); they get
403 on the management pages, which only P's partnership_admin uses. Office, partner and mentor
see no assessments and get 404, as do other_swv (partnership Q), the superuser (no role in P)
and no_role.

Changing a published framework is not a permission question: the admin gets a message and a
redirect (302) to the framework, and nothing is written (tests/test_quality_frameworks.py).
The rules below use P's draft (``w.draft``) for the draft-only actions.
"""

from __future__ import annotations

from django.urls import reverse

from tests.authz import Rule, only

#: Personas who read P's frameworks (quality.access.VIEW_ROLES in P or at a school of P).
READERS = ["partnership_admin", "consultant", "director", "coordinator", "bpo", "coordinator_b"]
MANAGERS = ["partnership_admin"]


def _aspect(w):
    return w.draft.aspects.get(number="16.2")


def _manage(ok: int = 200):
    return only(MANAGERS, ok=ok, inside=READERS)


RULES: dict[str, Rule] = {
    "quality:framework_list": Rule(
        lambda w: reverse("quality:framework_list", args=[w.world.p.code]),
        only(READERS),
        fixture="quality_world",
    ),
    "quality:framework_import": Rule(
        lambda w: reverse("quality:framework_import", args=[w.world.p.code]),
        _manage(),
        fixture="quality_world",
    ),
    "quality:framework_detail": Rule(
        lambda w: reverse("quality:framework_detail", args=[w.framework.code]),
        only(READERS),
        fixture="quality_world",
    ),
    "quality:framework_edit": Rule(
        lambda w: reverse("quality:framework_edit", args=[w.draft.code]),
        _manage(),
        fixture="quality_world",
    ),
    "quality:framework_export": Rule(
        lambda w: reverse("quality:framework_export", args=[w.framework.code]),
        only(READERS),
        fixture="quality_world",
    ),
    "quality:framework_copy": Rule(
        lambda w: reverse("quality:framework_copy", args=[w.framework.code]),
        _manage(302),
        method="post",
        data=lambda w: {"school_year": w.next_year.name},
        fixture="quality_world",
    ),
    "quality:framework_publish": Rule(
        lambda w: reverse("quality:framework_publish", args=[w.draft.code]),
        _manage(302),
        method="post",
        data=lambda w: {"confirm": "on"},
        fixture="quality_world",
    ),
    "quality:aspect_create": Rule(
        lambda w: reverse("quality:aspect_create", args=[w.draft.code]),
        _manage(),
        fixture="quality_world",
    ),
    "quality:aspect_edit": Rule(
        lambda w: reverse("quality:aspect_edit", args=[w.draft.code, _aspect(w).code]),
        _manage(),
        fixture="quality_world",
    ),
    "quality:aspect_delete": Rule(
        lambda w: reverse("quality:aspect_delete", args=[w.draft.code, _aspect(w).code]),
        _manage(302),
        method="post",
        fixture="quality_world",
    ),
}
