"""Authorization rules for the hours URLs (fixture: hours_world; passend/staffing/views/hours.py).

get_partnership_for_hours: the partnership_admin of P reads and edits; the office and the
consultants (SWV-wide or assigned to schools) read (403 on any POST). School roles (director,
coordinator, bpo, partner, mentor, coordinator_b) have no hours view: 404, as do other
partnerships, the superuser and users without a role.
"""

from __future__ import annotations

from django.urls import reverse

from tests.authz import Rule, only

READERS = ["partnership_admin", "office", "consultant"]
EDITORS = ["partnership_admin"]


def _policy_url(hw) -> str:
    return reverse("staffing:hours_policy", args=[hw.world.p.code, hw.year.name])


RULES: dict[str, Rule] = {
    "staffing:hours": Rule(
        lambda hw: reverse("staffing:hours", args=[hw.world.p.code]),
        only(READERS, ok=302),
        fixture="hours_world",
    ),
    "staffing:hours_policy": Rule(_policy_url, only(READERS), fixture="hours_world"),
    "staffing:hours_xlsx": Rule(
        lambda hw: reverse("staffing:hours_xlsx", args=[hw.world.p.code, hw.year.name]),
        only(READERS),
        fixture="hours_world",
    ),
}

# The POST (preview/save) of the same URL, checked by tests/test_staffing_hours.py with the
# same personas: EDITORS get 302 (save) or 200 (preview), the office 403, the rest 404.
POST_EXPECT = only(EDITORS, ok=302, inside=["office", "consultant"])
