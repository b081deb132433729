"""The read audit, walked over every URL pattern of the namespaces that hold student data
(``students``, ``caseload``, ``privacy``): every page, PDF and export that shows a student's
data writes an audit event naming that student (passend.privacy.audit: ``student_data.viewed``
with ``extra.student``, or a list event with the codes in ``extra.students``), with the actor and
the role they acted in (``on_behalf_of``); no audit event holds the narrative texts.

Every URL pattern in those namespaces is classified here: in READS (how to build its arguments
from ``caseload_world`` and whose data it shows), in NO_STUDENT_DATA (with the reason), or in
AUDITED_WITHOUT_STUDENT. A new URL that is in none of them fails ``test_every_url_is_classified``.
"""

from __future__ import annotations

import json
import time

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from passend.accounts.middleware import SESSION_STARTED_KEY
from passend.audit.models import AuditEvent
from passend.caseload.models import Recommendation
from passend.privacy.audit import VIEW_ACTION
from tests import audit_applications, audit_due, audit_plans, audit_transitions
from tests.audit_reads import Quiet, Reads

#: The classification of the later apps' URLs, one module each.
APP_RULES = (audit_plans, audit_applications, audit_transitions, audit_due)

pytestmark = pytest.mark.django_db

NAMESPACES = (
    "students",
    "caseload",
    "privacy",
    "plans",
    "applications",
    "transitions",
    "due",
)


def _student(cw):
    return [cw.student.code]


def _case(cw):
    return [cw.case.code]


def _school(cw):
    return [cw.world.a.code]


READS: dict[str, Reads] = {
    "students:student_list": Reads(_school, lambda cw: [cw.student, cw.student16]),
    "students:student_detail": Reads(_student),
    "students:student_edit": Reads(_student),
    "students:my_mentor_students": Reads(lambda cw: [], persona="mentor"),
    "caseload:case_list": Reads(_school),
    "caseload:my_cases": Reads(lambda cw: [], persona="bpo"),
    "caseload:case_create": Reads(_student),
    "caseload:case_detail": Reads(_case),
    "caseload:case_edit": Reads(_case),
    "caseload:contact_create": Reads(_case),
    "caseload:observation_create": Reads(_case),
    "caseload:recommendation_create": Reads(_case),
    "caseload:observation_pdf": Reads(lambda cw: [cw.observation.code]),
    "caseload:recommendation_follow_up": Reads(lambda cw: [cw.recommendation.code]),
    "caseload:mentor_report": Reads(_student),
    "caseload:mentor_report_pdf": Reads(_student),
    "caseload:consent_create": Reads(_student),
    "caseload:case_share": Reads(_case),
    "privacy:student_access_log": Reads(_student),
    "privacy:student_export_json": Reads(_student),
    "privacy:student_export_pdf": Reads(_student),
    "caseload:meeting_mine": Reads(lambda cw: [], persona="partner"),
    "caseload:meeting_detail": Reads(lambda cw: [cw.meeting.code]),
    "caseload:agenda_item_edit": Reads(lambda cw: [cw.item.code]),
    "caseload:meeting_recap": Reads(lambda cw: [cw.final.code]),
    "caseload:meeting_recap_pdf": Reads(lambda cw: [cw.final.code]),
}

NO_STUDENT_DATA: dict[str, str] = {
    "students:student_create": "form for a new student: the school and its mentors, no student",
    "students:roster_upload": "upload form and earlier imports (file name, uploader, status)",
    "students:roster_apply": "POST-only action, redirects to the import page",
    "students:roster_cancel": "POST-only action, redirects to the upload page",
    "caseload:case_status": "POST-only action, redirects to the case page",
    "caseload:consent_withdraw": "POST-only action, redirects to the student page",
    "caseload:share_end": "POST-only action, redirects to the sharing page",
    "caseload:approach_list": "the partnership's library of approaches, no student",
    "caseload:approach_create": "form for an approach in the library, no student",
    "caseload:approach_edit": "form for an approach in the library, no student",
    "caseload:meeting_list": "a school's meetings: dates, places and counts, no student",
    "caseload:meeting_create": "form for a new meeting: the school's staff and SOT, no student",
    "caseload:meeting_edit": "form of a meeting's date, place and attendees, no student",
    "caseload:meeting_presence": "POST-only action, redirects to the meeting page",
    "caseload:meeting_finalise": "POST-only action, redirects to the meeting page",
    "caseload:agenda_item_add": "POST-only action, redirects to the meeting page",
    "caseload:agenda_item_remove": "POST-only action, redirects to the meeting page",
    "caseload:action_point_done": "POST-only action, redirects back",
}

AUDITED_WITHOUT_STUDENT: dict[str, str] = {
    # The rows shown are those of the uploaded file, not (yet) students' files in passend.
    "students:roster_preview": "roster_import.previewed",
}

#: GET pages of NO_STUDENT_DATA, opened to check that they show no student (the library is kept
#: by the partnership admin).
QUIET_PAGES: dict[str, Quiet] = {
    "students:student_create": Quiet(_school, "coordinator"),
    "students:roster_upload": Quiet(_school, "coordinator"),
    "caseload:approach_list": Quiet(lambda cw: [cw.world.p.code], "coordinator"),
    "caseload:approach_create": Quiet(lambda cw: [cw.world.p.code], "partnership_admin"),
    "caseload:approach_edit": Quiet(lambda cw: [cw.approach.code], "partnership_admin"),
    "caseload:meeting_list": Quiet(_school, "coordinator"),
    "caseload:meeting_create": Quiet(_school, "coordinator"),
    "caseload:meeting_edit": Quiet(lambda cw: [cw.meeting.code], "coordinator"),
}

for _module in APP_RULES:
    READS.update(_module.READS)
    NO_STUDENT_DATA.update(_module.NO_STUDENT_DATA)
    QUIET_PAGES.update(_module.QUIET_PAGES)

FOLLOW_UP = "Mentor heeft de vaste plek ingevoerd."


@pytest.fixture(autouse=True)
def _plain_settings(settings):
    settings.REQUIRE_2FA = False


@pytest.fixture
def walk_world(meeting_world):
    """``caseload_world`` with a follow-up text on the recommendation (one more narrative) and
    the SOT meetings of ``meeting_world`` as attributes: ``meeting`` (open, ``case`` on its
    agenda as ``item``) and ``final`` (finalised, with an open action point for the partner)."""
    cw = meeting_world.cw
    Recommendation.objects.filter(pk=cw.recommendation.pk).update(follow_up=FOLLOW_UP)
    cw.meeting, cw.item, cw.final = meeting_world.meeting, meeting_world.item, meeting_world.final
    cw.final_item = meeting_world.final_item
    return cw


def sign_in(client, user) -> None:
    client.force_login(user)
    session = client.session
    session[SESSION_STARTED_KEY] = time.time()
    session.save()


def url_names(resolver: URLResolver | None = None, prefix: str = "") -> list[str]:
    """Every named URL pattern as ``namespace:name``, recursively."""
    resolver = resolver or get_resolver()
    names: list[str] = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            names.extend(url_names(entry, namespace))
        elif isinstance(entry, URLPattern) and entry.name:
            names.append(f"{prefix}{entry.name}")
    return names


def walked_names() -> list[str]:
    return sorted({n for n in url_names() if n.split(":", 1)[0] in NAMESPACES})


def fetch(client, address: str):
    """GET ``address``; a streamed response is read to the end, which closes it (the test
    client's wrapper closes it with the database connections left alone — closing it again
    here would fire request_finished and close the test's PostgreSQL connection)."""
    response = client.get(address)
    if response.streaming:
        b"".join(response.streaming_content)
    return response


def names_student(event: AuditEvent, code: str) -> bool:
    extra = event.extra or {}
    if event.action == VIEW_ACTION:
        return extra.get("student") == code
    return code in (extra.get("students") or [])


# --- Classification ----------------------------------------------------------------------------


def test_every_url_is_classified():
    classified = set(READS) | set(NO_STUDENT_DATA) | set(AUDITED_WITHOUT_STUDENT)
    unclassified = [name for name in walked_names() if name not in classified]
    assert not unclassified, (
        f"unclassified URL(s) in the namespaces {', '.join(NAMESPACES)}: {unclassified}. Add each "
        "to READS in tests/test_audit_walk.py (its arguments from caseload_world and the "
        "students whose data it shows: the page must write an audit event naming them) or, if "
        "it shows no student data, to NO_STUDENT_DATA with the reason."
    )
    assert not set(READS) & set(NO_STUDENT_DATA), "a URL cannot both show and not show data"
    stale = sorted(classified - set(walked_names()))
    assert not stale, f"classified URLs that no longer exist: {stale}"


# --- The walk -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(READS))
def test_every_read_of_student_data_is_audited(client, request, name):
    reads = READS[name]
    cw = request.getfixturevalue(reads.fixture)
    user = cw.world.users[reads.persona]
    sign_in(client, user)
    address = reverse(name, args=reads.args(cw))
    mark = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    response = fetch(client, address)
    assert response.status_code == 200, (name, response.status_code)
    events = list(AuditEvent.objects.filter(pk__gt=mark))
    for student in reads.students(cw):
        code = str(student.code)
        naming = [e for e in events if names_student(e, code)]
        assert naming, f"{name}: no audit event names student {student} ({code})"
        for event in naming:
            assert event.actor == user, (name, event.action)
            assert event.extra.get("on_behalf_of") == reads.persona, (name, event.extra)


def test_roster_preview_is_audited_without_naming_students(client, walk_world):
    """The preview shows the rows of an uploaded file: its reading is audited with counts."""
    from passend.students.models import RosterImport

    cw = walk_world
    coordinator = cw.world.users["coordinator"]
    item = RosterImport(
        partnership=cw.world.p,
        school=cw.world.a,
        uploaded_by=coordinator,
        original_name="leerlingen.csv",
        mapping={"student_number": 0, "first_name": 1, "last_name": 2, "date_of_birth": 3},
    )
    item.file.save("upload.csv", ContentFile(b"nr;roepnaam;naam;geboren\r\n"), save=False)
    item.save()
    sign_in(client, coordinator)
    assert fetch(client, reverse("students:roster_preview", args=[item.code])).status_code == 200
    action = AUDITED_WITHOUT_STUDENT["students:roster_preview"]
    assert AuditEvent.objects.filter(action=action, actor=coordinator).exists()


@pytest.mark.parametrize("name", sorted(QUIET_PAGES))
def test_pages_without_student_data_show_none(client, request, walk_world, name):
    assert name in NO_STUDENT_DATA
    quiet = QUIET_PAGES[name]
    cw = request.getfixturevalue(quiet.fixture)
    args, persona = quiet.args, quiet.persona
    sign_in(client, cw.world.users[persona])
    mark = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    response = fetch(client, reverse(name, args=args(cw)))
    assert response.status_code == 200, (name, response.status_code)
    assert not AuditEvent.objects.filter(pk__gt=mark, action=VIEW_ACTION).exists(), name
    text = response.content.decode()
    for student in (walk_world.student, walk_world.student16):
        assert student.full_name not in text and student.student_number not in text, name


def test_no_audit_event_holds_narrative_text(client, walk_world):
    cw = walk_world
    for name in sorted(READS):
        reads = READS[name]
        if reads.fixture != "walk_world":
            continue  # the app's own tests check its narrative texts
        sign_in(client, cw.world.users[reads.persona])
        assert fetch(client, reverse(name, args=reads.args(cw))).status_code == 200, name
    narratives = {
        "signal": cw.case.signal,
        "question": cw.case.question,
        "notes": cw.contact.notes,
        "report": cw.observation.report,
        "recommendation": cw.recommendation.text,
        "follow_up": FOLLOW_UP,
        "minutes": cw.final_item.minutes,
        "decisions": cw.final_item.decisions,
    }
    events = list(AuditEvent.objects.all())
    assert any(e.action == VIEW_ACTION for e in events)
    for event in events:
        extra = json.dumps(event.extra, ensure_ascii=False)
        for what, text in narratives.items():
            assert text not in extra, (event.action, what)
