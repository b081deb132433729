"""The read-audit walk's classification of the URLs of passend/transitions
(tests/test_audit_walk.py, tests/audit_reads.py). Every page shows Sam's transition or his
name: each must write a read event naming him (fixture ``transition_world``)."""

from __future__ import annotations

from tests.audit_reads import Quiet, Reads

FIXTURE = "transition_world"

#: URL name -> how to open it and whose data it shows; every read must be audited.
READS: dict[str, Reads] = {
    "transitions:transition_list": Reads(lambda tw: [tw.world.a.code], fixture=FIXTURE),
    "transitions:transition_create": Reads(lambda tw: [tw.student.code], fixture=FIXTURE),
    "transitions:transition_detail": Reads(lambda tw: [tw.transition.code], fixture=FIXTURE),
    "transitions:transition_edit": Reads(lambda tw: [tw.transition.code], fixture=FIXTURE),
}
#: URL name -> why it shows no student data.
NO_STUDENT_DATA: dict[str, str] = {}
#: GET pages of NO_STUDENT_DATA opened to check they show no student.
QUIET_PAGES: dict[str, Quiet] = {}
