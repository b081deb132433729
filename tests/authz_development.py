"""Authorization rules for the development URLs (fixture: development_world).

- P's events are seen by its partnership_admin, consultant and office, and by the directors,
  coordinators and BPOs of its schools; partners, mentors, other partnerships: 404.
- BPOs and coordinators register; the other viewers get 403 on registering.
- partnership_admin and office create/edit events and record attendance; other viewers 403.
- Own records: the owner (the BPO of school A) edits; those who may read the BPO's
  qualifications (school A's leadership, its consultant, the partnership_admin) read the
  certificate and get 403 on changes; everyone else 404.
"""

from __future__ import annotations

from django.urls import reverse

from tests.authz import Rule, only

VIEWERS = [
    "partnership_admin",
    "consultant",
    "office",
    "director",
    "coordinator",
    "bpo",
    "coordinator_b",
]
MANAGERS = ["partnership_admin", "office"]
REGISTRANTS = ["coordinator", "bpo", "coordinator_b"]
RECORD_READERS = ["bpo", "partnership_admin", "consultant", "director", "coordinator"]
FIXTURE = "development_world"


def _others(allowed, among=VIEWERS):
    return [p for p in among if p not in allowed]


def _event(name: str, attr: str = "upcoming"):
    return lambda dw: reverse(f"development:{name}", args=[getattr(dw, attr).code])


def _record(name: str):
    return lambda dw: reverse(f"development:{name}", args=[dw.record.code])


RULES: dict[str, Rule] = {
    "development:event_list": Rule(
        lambda dw: reverse("development:event_list", args=[dw.world.p.code]),
        only(VIEWERS),
        fixture=FIXTURE,
    ),
    "development:event_create": Rule(
        lambda dw: reverse("development:event_create", args=[dw.world.p.code]),
        only(MANAGERS, inside=_others(MANAGERS)),
        fixture=FIXTURE,
    ),
    "development:event_detail": Rule(_event("event_detail"), only(VIEWERS), fixture=FIXTURE),
    "development:event_edit": Rule(
        _event("event_edit"), only(MANAGERS, inside=_others(MANAGERS)), fixture=FIXTURE
    ),
    "development:event_register": Rule(
        _event("event_register"),
        only(REGISTRANTS, ok=302, inside=_others(REGISTRANTS)),
        method="post",
        fixture=FIXTURE,
    ),
    # Someone not registered is told so (a message) and sent back: 302 as well.
    "development:event_cancel_registration": Rule(
        _event("event_cancel_registration"),
        only(REGISTRANTS, ok=302, inside=_others(REGISTRANTS)),
        method="post",
        fixture=FIXTURE,
    ),
    "development:event_attendance": Rule(
        _event("event_attendance", "past"),
        only(MANAGERS, ok=302, inside=_others(MANAGERS)),
        method="post",
        data=lambda dw: {
            "listed": [str(dw.past_registration.code)],
            "present": [str(dw.past_registration.code)],
        },
        fixture=FIXTURE,
    ),
    "development:event_ics": Rule(_event("event_ics"), only(VIEWERS), fixture=FIXTURE),
    # Q's admin sees Q's events, so has a development page of their own.
    "development:my_development": Rule(
        lambda dw: reverse("development:my_development"),
        only([*VIEWERS, "other_swv"]),
        fixture=FIXTURE,
    ),
    "development:record_create": Rule(
        lambda dw: reverse("development:record_create"),
        only(REGISTRANTS, inside=_others(REGISTRANTS, [*VIEWERS, "other_swv"])),
        fixture=FIXTURE,
    ),
    "development:record_edit": Rule(
        _record("record_edit"),
        only(["bpo"], inside=_others(["bpo"], RECORD_READERS)),
        fixture=FIXTURE,
    ),
    "development:record_delete": Rule(
        _record("record_delete"),
        only(["bpo"], ok=302, inside=_others(["bpo"], RECORD_READERS)),
        method="post",
        fixture=FIXTURE,
    ),
    "development:record_certificate": Rule(
        _record("record_certificate"), only(RECORD_READERS), fixture=FIXTURE
    ),
}
