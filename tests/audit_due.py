"""The read-audit walk's classification of the URLs of passend/due
(tests/test_audit_walk.py, tests/audit_reads.py). The due page names the students of its items
(fixture ``due_world``: Sam's consent expires in 10 days, so school A's coordinator sees him)."""

from __future__ import annotations

from tests.audit_reads import Quiet, Reads

#: URL name -> how to open it and whose data it shows; every read must be audited.
READS: dict[str, Reads] = {
    "due:due_list": Reads(lambda dw: [], lambda dw: [dw.student], fixture="due_world"),
}
#: URL name -> why it shows no student data.
NO_STUDENT_DATA: dict[str, str] = {
    "due:digest_preference": "POST-only action, redirects to the due page",
}
#: GET pages of NO_STUDENT_DATA opened to check they show no student.
QUIET_PAGES: dict[str, Quiet] = {}
