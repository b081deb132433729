"""Authorization rules for BPO assignments and qualifications (fixture: staffing_world;
passend/staffing/views/assignments.py).

Assignments (passend.staffing.access): a school's assignments are seen by its director,
coordinator and BPO, the consultant assigned to it, and the SWV's partnership_admin and office;
changed (create, edit, end) by the director, coordinator and partnership_admin — the other
viewers get 403. Partners, mentors, coordinator_b (for school A), other partnerships, the
superuser and people without a role: 404.

Qualifications: every signed-in person keeps their own (``me/bpo/``, add). Someone else's are
read (profile, diploma download) by the leadership of a school where that person is a BPO or has
an assignment — for the ``bpo`` persona: partnership_admin, the consultant and director and
coordinator of A, and coordinator_b because of the persona's BPO+ hours at B; only the owner
changes or deletes them (the readers get 403, everyone else 404). The office reads the
directory, not diplomas: 404.
"""

from __future__ import annotations

from django.urls import reverse

from tests.authz import Rule, only, statuses

VIEWERS_A = ["partnership_admin", "consultant", "office", "director", "coordinator", "bpo"]
EDITORS_A = ["partnership_admin", "director", "coordinator"]
READ_ONLY_A = [p for p in VIEWERS_A if p not in EDITORS_A]
PEOPLE_READERS = ["partnership_admin", "consultant", "director", "coordinator", "coordinator_b"]


def _rule(url, expect, **kw) -> Rule:
    return Rule(url, expect, fixture="staffing_world", **kw)


RULES: dict[str, Rule] = {
    "staffing:school_assignments": _rule(
        lambda sw: reverse("staffing:school_assignments", args=[sw.world.a.code]),
        only(VIEWERS_A),
    ),
    "staffing:assignment_create": _rule(
        lambda sw: reverse("staffing:assignment_create", args=[sw.world.a.code]),
        only(EDITORS_A, inside=READ_ONLY_A),
    ),
    "staffing:assignment_detail": _rule(
        lambda sw: reverse("staffing:assignment_detail", args=[sw.assignment_a.code]),
        only(VIEWERS_A),
    ),
    "staffing:assignment_edit": _rule(
        lambda sw: reverse("staffing:assignment_edit", args=[sw.assignment_a.code]),
        only(EDITORS_A, inside=READ_ONLY_A),
    ),
    "staffing:assignment_end": _rule(
        lambda sw: reverse("staffing:assignment_end", args=[sw.assignment_a.code]),
        only(EDITORS_A, ok=302, inside=READ_ONLY_A),
        method="post",
        data=lambda sw: {"end_date": sw.year.end.isoformat()},
    ),
    "staffing:assignment_agreement": _rule(
        lambda sw: reverse("staffing:assignment_agreement", args=[sw.assignment_a.code]),
        only(VIEWERS_A),
    ),
    "staffing:my_staffing": _rule(lambda sw: reverse("staffing:my_staffing"), statuses(200)),
    "staffing:qualification_create": _rule(
        lambda sw: reverse("staffing:qualification_create"), statuses(200)
    ),
    "staffing:qualification_edit": _rule(
        lambda sw: reverse("staffing:qualification_edit", args=[sw.qualification.code]),
        only(["bpo"], inside=PEOPLE_READERS),
    ),
    "staffing:qualification_delete": _rule(
        lambda sw: reverse("staffing:qualification_delete", args=[sw.qualification.code]),
        only(["bpo"], ok=302, inside=PEOPLE_READERS),
        method="post",
    ),
    "staffing:qualification_file": _rule(
        lambda sw: reverse("staffing:qualification_file", args=[sw.qualification.code]),
        only(["bpo", *PEOPLE_READERS]),
    ),
    "staffing:bpo_profile": _rule(
        lambda sw: reverse("staffing:bpo_profile", args=[sw.bpo.code]),
        only(["bpo", *PEOPLE_READERS]),
    ),
}
