"""Authorization rules for the werkafspraken pages (passend/agreements/views/agreements.py;
fixture: agreements_world).

``agreement`` is agreed and belongs to the ``bpo`` persona at school A; ``draft`` belongs to
``bpo_a2`` (no persona) at A, so the ``bpo`` persona does not see it (404). A school's
werkafspraken are seen by its coordinator, director and consultant; the BPO concerned sees only
their own (passend.agreements.access). The coordinator drafts, edits and confirms; the BPO
confirms their own; the director acknowledges; the consultant only reads (403 on actions).
"""

from __future__ import annotations

from django.urls import reverse

from tests.authz import Rule, only, statuses


def _rule(url, expect, **kw) -> Rule:
    return Rule(url, expect, fixture="agreements_world", **kw)


SCHOOL_READERS = ["coordinator", "director", "consultant"]
#: Who sees the ``bpo`` persona's agreement: the school's readers and the BPO themself.
AGREEMENT_READERS = [*SCHOOL_READERS, "bpo"]


def _agreement(name: str):
    return lambda aw: reverse(f"agreements:{name}", args=[aw.agreement.code])


def _draft(name: str):
    return lambda aw: reverse(f"agreements:{name}", args=[aw.draft.code])


def _school(name: str):
    return lambda aw: reverse(f"agreements:{name}", args=[aw.world.a.code])


RULES: dict[str, Rule] = {
    "agreements:my_agreements": _rule(
        lambda aw: reverse("agreements:my_agreements"), statuses(200)
    ),
    "agreements:school_agreements": _rule(_school("school_agreements"), only(SCHOOL_READERS)),
    "agreements:agreement_create": _rule(
        _school("agreement_create"), only(["coordinator"], inside=["director", "consultant"])
    ),
    "agreements:agreement_detail": _rule(_agreement("agreement_detail"), only(AGREEMENT_READERS)),
    "agreements:agreement_edit": _rule(
        _draft("agreement_edit"), only(["coordinator"], inside=["director", "consultant"])
    ),
    # The draft of bpo_a2: the coordinator confirms; the bpo persona does not see it (404).
    "agreements:agreement_confirm": _rule(
        _draft("agreement_confirm"),
        only(["coordinator"], ok=302, inside=["director", "consultant"]),
        method="post",
    ),
    # The agreed version: only the director acknowledges; the BPO sees it, may not (403).
    "agreements:agreement_acknowledge": _rule(
        _agreement("agreement_acknowledge"),
        only(["director"], ok=302, inside=["coordinator", "consultant", "bpo"]),
        method="post",
    ),
    "agreements:agreement_pdf": _rule(_agreement("agreement_pdf"), only(AGREEMENT_READERS)),
}
