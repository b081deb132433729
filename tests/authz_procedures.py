"""Authorization rules for the appointment procedure and the directory (fixture:
procedure_world; passend/staffing/views/procedures.py and directory.py).

Procedures (passend.staffing.access, PROCEDURE_* roles): seen by school A's director and
coordinator, the consultant assigned to A, and the SWV's office and partnership_admin; run
(start, cancel, complete) by the director and coordinator only — the other viewers get 403.
Steps follow passend.staffing.procedures.STEP_ROLES: the introduction meeting is also the
consultant's, so the partnership_admin and office get 403 there. BPOs, partners, mentors,
coordinator_b, other partnerships: 404.

Directory (get_partnership_for_directory): read by the SWV-wide roles (partnership_admin,
office, and an SWV-wide consultant) and by directors and coordinators of P's schools (so also
coordinator_b); bpo, partner and mentor belong to P but have no directory right: 404, as the
access layer answers for partnerships outside one's directory scope (the URL names the
partnership only, and its existence is no secret to them, but the answer does not differ from
any other unknown code). A consultant assigned to schools is SWV staff and reads it too.
Contact edit: office and partnership_admin; the other readers get 403.
"""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from tests.authz import Rule, only

VIEWERS = ["partnership_admin", "consultant", "office", "director", "coordinator"]
RUNNERS = ["director", "coordinator"]
DIRECTORY_READERS = [
    "partnership_admin",
    "office",
    "consultant",
    "director",
    "coordinator",
    "coordinator_b",
]
DIRECTORY_MAINTAINERS = ["partnership_admin", "office"]


def _inside(allowed, among=VIEWERS):
    return [p for p in among if p not in allowed]


def _step_url(pw, step="introduction_meeting"):
    return reverse("staffing:procedure_step", args=[pw.open_a.code, step])


def _step_data(pw):
    return {"action": "done", "date": (timezone.localdate() + timedelta(days=5)).isoformat()}


RULES: dict[str, Rule] = {
    "staffing:procedure_list": Rule(
        lambda pw: reverse("staffing:procedure_list", args=[pw.world.a.code]),
        only(VIEWERS),
        fixture="procedure_world",
    ),
    "staffing:procedure_create": Rule(
        lambda pw: reverse("staffing:procedure_create", args=[pw.world.a.code]),
        only(RUNNERS, inside=_inside(RUNNERS)),
        fixture="procedure_world",
    ),
    "staffing:procedure_detail": Rule(
        lambda pw: reverse("staffing:procedure_detail", args=[pw.open_a.code]),
        only(VIEWERS),
        fixture="procedure_world",
    ),
    "staffing:procedure_step": Rule(
        _step_url,
        only(RUNNERS + ["consultant"], ok=302, inside=["partnership_admin", "office"]),
        method="post",
        data=_step_data,
        fixture="procedure_world",
    ),
    "staffing:procedure_cancel": Rule(
        lambda pw: reverse("staffing:procedure_cancel", args=[pw.open_a.code]),
        only(RUNNERS, ok=302, inside=_inside(RUNNERS)),
        method="post",
        fixture="procedure_world",
    ),
    "staffing:procedure_complete": Rule(
        lambda pw: reverse("staffing:procedure_complete", args=[pw.ready_a.code]),
        only(RUNNERS, ok=302, inside=_inside(RUNNERS)),
        method="post",
        fixture="procedure_world",
    ),
    "staffing:directory": Rule(
        lambda pw: reverse("staffing:directory", args=[pw.world.p.code]),
        only(DIRECTORY_READERS),
        fixture="procedure_world",
    ),
    "staffing:directory_xlsx": Rule(
        lambda pw: reverse("staffing:directory_xlsx", args=[pw.world.p.code]),
        only(DIRECTORY_READERS),
        fixture="procedure_world",
    ),
    "staffing:directory_csv": Rule(
        lambda pw: reverse("staffing:directory_csv", args=[pw.world.p.code]),
        only(DIRECTORY_READERS),
        fixture="procedure_world",
    ),
    "staffing:directory_contact_edit": Rule(
        lambda pw: reverse(
            "staffing:directory_contact_edit",
            args=[pw.world.p.code, pw.world.users["coordinator"].code],
        ),
        only(DIRECTORY_MAINTAINERS, inside=_inside(DIRECTORY_MAINTAINERS, DIRECTORY_READERS)),
        fixture="procedure_world",
    ),
}
