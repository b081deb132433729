"""The read-audit walk's classification of the URLs of passend/transitions
(tests/test_audit_walk.py, tests/audit_reads.py)."""

from __future__ import annotations

from tests.audit_reads import Quiet, Reads

#: URL name -> how to open it and whose data it shows; every read must be audited.
READS: dict[str, Reads] = {}
#: URL name -> why it shows no student data.
NO_STUDENT_DATA: dict[str, str] = {}
#: GET pages of NO_STUDENT_DATA opened to check they show no student.
QUIET_PAGES: dict[str, Quiet] = {}
