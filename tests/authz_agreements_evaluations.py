"""Authorization rules for the evaluations and competency profiles (passend/agreements/views/
evaluations.py and profiles.py). Fixture: agreements_world — ``evaluation`` is a draft annual
evaluation of ``agreement`` (the bpo persona at school A, agreed); ``profile`` is the bpo
persona's competency profile at A.

Evaluations and profiles of school A are seen by its coordinator and director, the BPO concerned
and the school's consultant; everyone else gets 404. Coordinator and director evaluate (the BPO
and the consultant read: 403 on the evaluation's writes); the BPO rates themself and the
coordinator rates the BPO (director and consultant: 403).
"""

from __future__ import annotations

from django.urls import reverse

from tests.authz import Rule, only

SEE = ["coordinator", "director", "bpo", "consultant"]
EVALUATE = ["coordinator", "director"]
RATE = ["coordinator", "bpo"]


def _rule(url, expect, **kw) -> Rule:
    return Rule(url, expect, fixture="agreements_world", **kw)


def _inside(allowed: list[str]) -> list[str]:
    return [p for p in SEE if p not in allowed]


RULES: dict[str, Rule] = {
    "agreements:evaluation_create": _rule(
        lambda aw: reverse("agreements:evaluation_create", args=[aw.agreement.code]),
        only(EVALUATE, inside=_inside(EVALUATE)),
    ),
    "agreements:evaluation_detail": _rule(
        lambda aw: reverse("agreements:evaluation_detail", args=[aw.evaluation.code]), only(SEE)
    ),
    "agreements:evaluation_edit": _rule(
        lambda aw: reverse("agreements:evaluation_edit", args=[aw.evaluation.code]),
        only(EVALUATE, inside=_inside(EVALUATE)),
    ),
    # Without a conclusion the finalising is refused with a message: a redirect either way.
    "agreements:evaluation_finalise": _rule(
        lambda aw: reverse("agreements:evaluation_finalise", args=[aw.evaluation.code]),
        only(EVALUATE, ok=302, inside=_inside(EVALUATE)),
        method="post",
        data=lambda aw: {"decision": "keep"},
    ),
    "agreements:evaluation_pdf": _rule(
        lambda aw: reverse("agreements:evaluation_pdf", args=[aw.evaluation.code]), only(SEE)
    ),
    "agreements:profile_start": _rule(
        lambda aw: reverse("agreements:profile_start", args=[aw.agreement.code]),
        only(RATE, ok=302, inside=_inside(RATE)),
        method="post",
    ),
    "agreements:profile_detail": _rule(
        lambda aw: reverse("agreements:profile_detail", args=[aw.profile.code]), only(SEE)
    ),
    "agreements:profile_rate": _rule(
        lambda aw: reverse("agreements:profile_rate", args=[aw.profile.code]),
        only(RATE, inside=_inside(RATE)),
    ),
}
