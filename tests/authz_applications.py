"""Authorization rules for the URLs of passend/applications (see tests/authz.py). Fixture
``applications_world``: at school A a TLV ``draft`` ready to submit, an arrangement
``submitted`` to the SWV, a TLV ``reviewing`` (under review) and a TLV ``granted``.

The school's coordinator and BPO draw up applications; the SWV (partnership_admin of P, the
consultant assigned to A) sees them once submitted and decides — the school's staff get 403 on
the SWV's actions, the SWV 404 on a draft. The director, mentor, partner, office, school B's
coordinator and the other partnership's admin see nothing (404)."""

from __future__ import annotations

from django.urls import reverse

from tests.authz import Rule, only

FIXTURE = "applications_world"
STAFF = ["coordinator", "bpo"]
SWV = ["partnership_admin", "consultant"]


def _on(attribute: str, name: str, expect: dict, **kwargs) -> Rule:
    return Rule(
        lambda aw: reverse(f"applications:{name}", args=[getattr(aw, attribute).code]),
        expect,
        fixture=FIXTURE,
        **kwargs,
    )


RULES: dict[str, Rule] = {
    "applications:school_list": Rule(
        lambda aw: reverse("applications:school_list", args=[aw.world.a.code]),
        only(STAFF),
        fixture=FIXTURE,
    ),
    "applications:swv_list": Rule(
        lambda aw: reverse("applications:swv_list", args=[aw.world.p.code]),
        only(SWV),
        fixture=FIXTURE,
    ),
    "applications:kinds_edit": Rule(
        lambda aw: reverse("applications:kinds_edit", args=[aw.world.p.code]),
        only(["partnership_admin"], inside=["consultant"]),
        fixture=FIXTURE,
    ),
    # The partner reads the case (shared under consent) but does not work in it.
    "applications:application_create": Rule(
        lambda aw: reverse("applications:application_create", args=[aw.cw.case.code]),
        only(STAFF, inside=["partner"]),
        fixture=FIXTURE,
    ),
    "applications:application_detail": _on("submitted", "application_detail", only([*STAFF, *SWV])),
    "applications:dossier_pdf": _on("submitted", "dossier_pdf", only([*STAFF, *SWV])),
    # A draft: the SWV does not see it.
    "applications:application_edit": _on("draft", "application_edit", only(STAFF)),
    "applications:advice_create": _on("draft", "advice_create", only(STAFF)),
    "applications:dossier_consent": _on("draft", "dossier_consent", only(STAFF)),
    "applications:advice_delete": _on(
        "advice", "advice_delete", only(STAFF, ok=302), method="post"
    ),
    "applications:application_submit": _on(
        "draft", "application_submit", only(STAFF, ok=302), method="post"
    ),
    # Submitted: the school sees it, only the SWV acts.
    "applications:application_review": _on(
        "submitted", "application_review", only(SWV, ok=302, inside=STAFF), method="post"
    ),
    "applications:application_decide": _on(
        "reviewing", "application_decide", only(SWV, inside=STAFF)
    ),
    "applications:application_objection": _on(
        "granted", "application_objection", only(SWV, inside=STAFF)
    ),
    "applications:application_close": _on(
        "granted", "application_close", only(SWV, ok=302, inside=STAFF), method="post"
    ),
}
