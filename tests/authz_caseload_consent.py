"""Authorization rules for consent and sharing (passend/caseload/views/consent.py). Fixture:
caseload_world — ``consent`` is a guardian's consent for ``student`` at school A, ``case`` is
shared with the youth-care domain where the partner persona sits (so the partner sees the case).

Only school A's coordinator and BPO record and withdraw consent and share cases; the partner,
who may see the case, gets 403 on sharing it; everyone else 404 (mentor, director, consultant
and SWV staff see no student files or cases)."""

from __future__ import annotations

from django.urls import reverse

from tests.authz import Rule, only

STAFF = ["coordinator", "bpo"]


def _rule(url, expect, **kw) -> Rule:
    return Rule(url, expect, fixture="caseload_world", **kw)


RULES: dict[str, Rule] = {
    "caseload:consent_create": _rule(
        lambda cw: reverse("caseload:consent_create", args=[cw.student.code]), only(STAFF)
    ),
    "caseload:consent_withdraw": _rule(
        lambda cw: reverse("caseload:consent_withdraw", args=[cw.consent.code]),
        only(STAFF, ok=302),
        method="post",
        data=lambda cw: {"withdrawn_on": ""},
    ),
    "caseload:case_share": _rule(
        lambda cw: reverse("caseload:case_share", args=[cw.case.code]),
        only(STAFF, inside=["partner"]),
    ),
    "caseload:share_end": _rule(
        lambda cw: reverse("caseload:share_end", args=[cw.share.code]),
        only(STAFF, ok=302, inside=["partner"]),
        method="post",
    ),
}
