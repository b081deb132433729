"""The read-audit walk's classification of the URLs of passend/applications
(tests/test_audit_walk.py, tests/audit_reads.py). Fixture ``applications_world``: every
application is ``student``'s, so each page names that student; the SWV's pages are opened by the
consultant (assigned to school A), whose reads must be recorded on behalf of the consultant
role (passend.privacy.audit.acting_role)."""

from __future__ import annotations

from tests.audit_reads import Quiet, Reads

FIXTURE = "applications_world"


def _reads(attribute: str, persona: str = "coordinator") -> Reads:
    return Reads(
        lambda aw: [getattr(aw, attribute).code],
        lambda aw: [aw.student],
        persona=persona,
        fixture=FIXTURE,
    )


#: URL name -> how to open it and whose data it shows; every read must be audited.
READS: dict[str, Reads] = {
    "applications:school_list": Reads(
        lambda aw: [aw.world.a.code], lambda aw: [aw.student], fixture=FIXTURE
    ),
    "applications:swv_list": Reads(
        lambda aw: [aw.world.p.code],
        lambda aw: [aw.student],
        persona="consultant",
        fixture=FIXTURE,
    ),
    "applications:application_create": Reads(
        lambda aw: [aw.cw.case.code], lambda aw: [aw.student], fixture=FIXTURE
    ),
    "applications:application_detail": _reads("submitted"),
    "applications:application_edit": _reads("draft"),
    "applications:advice_create": _reads("draft"),
    "applications:dossier_consent": _reads("draft"),
    "applications:dossier_pdf": _reads("submitted", "consultant"),
    "applications:application_decide": _reads("reviewing", "consultant"),
    "applications:application_objection": _reads("granted", "consultant"),
}
#: URL name -> why it shows no student data.
NO_STUDENT_DATA: dict[str, str] = {
    "applications:kinds_edit": "the partnership's choice of application kinds, no student",
    "applications:advice_delete": "POST-only action, redirects to the application page",
    "applications:application_submit": "POST-only action, redirects to the application page",
    "applications:application_review": "POST-only action, redirects to the application page",
    "applications:application_close": "POST-only action, redirects to the application page",
}
#: GET pages of NO_STUDENT_DATA opened to check they show no student.
QUIET_PAGES: dict[str, Quiet] = {
    "applications:kinds_edit": Quiet(
        lambda aw: [aw.world.p.code], persona="partnership_admin", fixture=FIXTURE
    ),
}
