"""The read-audit walk's building blocks (tests/test_audit_walk.py): how a URL that shows student
data is opened. Each app with such URLs classifies them in ``tests/audit_<app>.py`` (``READS``,
``NO_STUDENT_DATA``, ``QUIET_PAGES``), merged by the walk."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Reads:
    """A GET page, PDF or export showing student data: its URL arguments, the students whose
    data it shows, and who opens it (the school-A coordinator, except for the pages that list
    one's own students or cases, which are empty for the coordinator). ``args`` and
    ``students`` receive ``walk_world``, or the fixture named by ``fixture`` (which must have
    ``world``, the personas' World, as an attribute)."""

    args: Callable
    students: Callable = lambda cw: [cw.student]
    persona: str = "coordinator"
    fixture: str = "walk_world"


@dataclass(frozen=True)
class Quiet:
    """A GET page of NO_STUDENT_DATA, opened to check that it shows no student: URL arguments
    from the fixture named ``fixture`` and who opens it."""

    args: Callable
    persona: str = "coordinator"
    fixture: str = "walk_world"
