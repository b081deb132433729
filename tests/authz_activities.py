"""Authorization rules for the activity log URLs (fixture: activities_world;
passend/activities/views).

Only people with a school to log time at (the ``bpo`` persona) have an activity log; every
other signed-in persona gets 403 (passend.activities.access.require_logger). A BPO sees and
changes only their own activities: another BPO's activity is a 404 (tested in
tests/test_activities.py, as the personas hold no second logger).
"""

from __future__ import annotations

from django.urls import reverse

from tests.authz import Rule, statuses


def _rule(url, expect, **kw) -> Rule:
    return Rule(url, expect, fixture="activities_world", **kw)


def _bpo_only(ok: int = 200) -> dict:
    return statuses(403, bpo=ok)


RULES: dict[str, Rule] = {
    "activities:week": _rule(lambda aw: reverse("activities:week"), _bpo_only()),
    "activities:activity_create": _rule(
        lambda aw: reverse("activities:activity_create"), _bpo_only()
    ),
    "activities:week_bulk": _rule(lambda aw: reverse("activities:week_bulk"), _bpo_only()),
    "activities:activity_import": _rule(
        lambda aw: reverse("activities:activity_import"), _bpo_only()
    ),
    "activities:activity_export": _rule(
        lambda aw: reverse("activities:activity_export"), _bpo_only()
    ),
    "activities:activity_edit": _rule(
        lambda aw: reverse("activities:activity_edit", args=[aw.activity.code]), _bpo_only()
    ),
    "activities:activity_delete": _rule(
        lambda aw: reverse("activities:activity_delete", args=[aw.activity.code]),
        _bpo_only(302),
        method="post",
    ),
}
