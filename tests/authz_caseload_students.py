"""Authorization rules for the student pages and the roster import (passend/students/views;
fixture: caseload_world).

A school's student files are seen by its coordinator and BPOs (passend.students.access); only
the coordinator creates and edits students and imports the roster (a BPO gets 403). Directors,
consultants, mentors, partners, other schools and the SWV see no student files (404). Every
signed-in user may open their own mentor list (empty when they have no mentor students).
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.urls import reverse

from tests.authz import Rule, only, statuses

FILE = ["coordinator", "bpo"]
ROSTER = {"allowed": ["coordinator"], "inside": ["bpo"]}
CSV = b"leerlingnummer;roepnaam;achternaam;geboortedatum\n1001;Sam;Jansen;01-01-2012\n"


def _rule(url, expect, **kw) -> Rule:
    return Rule(url, expect, fixture="caseload_world", **kw)


def _school(name: str):
    return lambda cw: reverse(f"students:{name}", args=[cw.world.a.code])


def _student(name: str):
    return lambda cw: reverse(f"students:{name}", args=[cw.student.code])


def _pending_import(name: str):
    """A pending roster import of school A with its file, made for the request."""

    def url(cw) -> str:
        from passend.students.models import RosterImport

        item = RosterImport(
            partnership=cw.world.p,
            school=cw.world.a,
            uploaded_by=cw.world.users["coordinator"],
            original_name="leerlingen.csv",
            mapping={"student_number": 0, "first_name": 1, "last_name": 2, "date_of_birth": 3},
        )
        item.file.save("upload.csv", ContentFile(CSV), save=False)
        item.save()
        return reverse(f"students:{name}", args=[item.code])

    return url


RULES: dict[str, Rule] = {
    "students:student_list": _rule(_school("student_list"), only(FILE)),
    "students:student_create": _rule(_school("student_create"), only(**ROSTER)),
    "students:student_detail": _rule(_student("student_detail"), only(FILE)),
    "students:student_edit": _rule(_student("student_edit"), only(**ROSTER)),
    "students:my_mentor_students": _rule(
        lambda cw: reverse("students:my_mentor_students"), statuses(200)
    ),
    "students:roster_upload": _rule(_school("roster_upload"), only(**ROSTER)),
    "students:roster_preview": _rule(_pending_import("roster_preview"), only(**ROSTER)),
    "students:roster_apply": _rule(
        _pending_import("roster_apply"),
        only(["coordinator"], ok=302, inside=["bpo"]),
        method="post",
    ),
    "students:roster_cancel": _rule(
        _pending_import("roster_cancel"),
        only(["coordinator"], ok=302, inside=["bpo"]),
        method="post",
    ),
}
