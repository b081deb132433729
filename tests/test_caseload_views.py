"""The support case pages end to end through the test client (passend/caseload/views/cases.py):
open a case from the student, edit it, step its status, record contacts, observations (with
their PDF) and recommendations citing approaches, follow them up, and the mentor report. Bad
input gives the form again with an error on the field and writes nothing; another school's
coordinator gets 404; the lists and pages keep a constant number of queries however many cases
and records there are."""

from __future__ import annotations

import datetime
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from passend.accounts.choices import Role
from passend.accounts.middleware import SESSION_STARTED_KEY
from passend.audit.models import AuditEvent
from passend.caseload.choices import CaseStatus
from passend.caseload.models import (
    Approach,
    CaseShare,
    CaseStatusChange,
    Consent,
    Contact,
    Observation,
    Recommendation,
    SupportCase,
)
from passend.caseload.views.cases import mentor_report_pdf_bytes
from passend.organisations.choices import Domain
from passend.privacy.audit import VIEW_ACTION
from passend.students.models import Student
from tests import factories
from tests.fixtures_caseload import years_ago
from tests.pdftext import pdf_text

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _plain_settings(settings):
    settings.REQUIRE_2FA = False


def sign_in(client, user) -> None:
    client.force_login(user)
    session = client.session
    session[SESSION_STARTED_KEY] = time.time()
    session.save()


def url(name: str, obj) -> str:
    return reverse(f"caseload:{name}", args=[obj.code])


def body(response) -> str:
    return response.content.decode()


def written() -> dict:
    """Row counts of everything a case page can write (reads are audited, so view events are
    left out of the audit count)."""
    return {
        "cases": SupportCase.objects.count(),
        "status_changes": CaseStatusChange.objects.count(),
        "contacts": Contact.objects.count(),
        "observations": Observation.objects.count(),
        "recommendations": Recommendation.objects.count(),
        "cited": Recommendation.approaches.through.objects.count(),
        "audit": AuditEvent.objects.exclude(action=VIEW_ACTION).count(),
    }


def case_data(cw, **overrides) -> dict:
    data = {
        "signal_source": "teacher",
        "signalled_by_name": "Docent Engels",
        "signalled_on": cw.today.isoformat(),
        "signal": "Komt vaak te laat en slaapt in de les.",
        "question": "Hoe krijgt Noor weer ritme?",
        "bpo": str(cw.world.users["bpo"].code),
        "domains": [Domain.YOUTH_CARE],
    }
    data.update(overrides)
    return data


def assert_field_error(response, field: str) -> None:
    """The form is shown again (200) with an error on ``field``, and the page shows it."""
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors, (field, form.errors)
    for message in form.errors[field]:
        assert escape(message) in body(response), message


# --- The happy path ----------------------------------------------------------------------------


def test_open_a_case_from_the_student_edit_it_and_step_the_status(client, caseload_world):
    cw = caseload_world
    sign_in(client, cw.world.users["coordinator"])
    create = reverse("caseload:case_create", args=[cw.student16.code])
    form_page = client.get(create)
    assert form_page.status_code == 200
    assert form_page.context["student"] == cw.student16

    response = client.post(create, case_data(cw))
    case = SupportCase.objects.get(student=cw.student16)
    assert response.status_code == 302
    assert response["Location"] == url("case_detail", case)
    assert case.status == CaseStatus.SIGNAL and case.school == cw.world.a
    assert case.bpo == cw.world.users["bpo"] and case.domains == [Domain.YOUTH_CARE]
    assert case.opened_by == cw.world.users["coordinator"]
    assert list(case.status_changes.values_list("from_status", "to_status")) == [("", "signal")]

    page = client.get(url("case_detail", case))
    assert page.status_code == 200
    assert page.context["case"] == case
    assert "Komt vaak te laat en slaapt in de les." in body(page)
    assert "Hoe krijgt Noor weer ritme?" in body(page)
    student_page = client.get(reverse("students:student_detail", args=[cw.student16.code]))
    assert url("case_detail", case) in body(student_page)

    edit = url("case_edit", case)
    assert client.get(edit).context["form"].initial["signal"] == case.signal
    response = client.post(edit, case_data(cw, question="Wat helpt Noor 's ochtends?", bpo=""))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.question == "Wat helpt Noor 's ochtends?" and case.bpo is None
    assert escape("Wat helpt Noor 's ochtends?") in body(client.get(url("case_detail", case)))

    status = url("case_status", case)
    assert client.post(status, {"status": CaseStatus.ANALYSIS}).status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.ANALYSIS and case.closed_on is None
    assert client.post(status, {"status": CaseStatus.CLOSED}).status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.closed_on == cw.today
    steps = list(case.status_changes.order_by("pk").values_list("from_status", "to_status"))
    assert steps == [("", "signal"), ("signal", "analysis"), ("analysis", "closed")]
    page = client.get(url("case_detail", case))
    assert CaseStatus.CLOSED not in [value for value, _label in page.context["steps"]]
    assert url("contact_create", case) not in body(page)  # nothing is recorded in a closed case

    # Reopening clears the closing date.
    assert client.post(status, {"status": CaseStatus.GUIDANCE}).status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.GUIDANCE and case.closed_on is None


def test_record_contact_observation_recommendation_and_follow_up(client, caseload_world):
    cw = caseload_world
    case = cw.case
    sign_in(client, cw.world.users["bpo"])

    assert client.get(url("contact_create", case)).status_code == 200
    response = client.post(
        url("contact_create", case),
        {"date": cw.today.isoformat(), "kind": "student", "with_whom": "", "notes": "Sam vertelt."},
    )
    assert response.status_code == 302 and response["Location"] == url("case_detail", case)
    contact = Contact.objects.get(case=case, kind="student")  # notes are encrypted
    assert contact.notes == "Sam vertelt." and contact.author == cw.world.users["bpo"]

    assert client.get(url("observation_create", case)).status_code == 200
    response = client.post(
        url("observation_create", case),
        {
            "date": (cw.today - DAY).isoformat(),
            "lesson": "Engels",
            "teacher_name": "Mevr. De Boer",
            "report": "Sam zit achterin en doet niet mee.",
        },
    )
    assert response.status_code == 302
    observation = Observation.objects.get(case=case, lesson="Engels")
    assert observation.date == cw.today - DAY

    for item in (observation, cw.observation):
        pdf = client.get(url("observation_pdf", item))
        assert pdf.status_code == 200
        assert pdf["Content-Type"] == "application/pdf"
        assert "attachment" in pdf["Content-Disposition"]
        assert b"".join(pdf.streaming_content).startswith(b"%PDF-")

    form_page = client.get(url("recommendation_create", case))
    assert cw.approach in form_page.context["form"].fields["approaches"].queryset
    response = client.post(
        url("recommendation_create", case),
        {
            "date": cw.today.isoformat(),
            "audience": "teacher",
            "text": "Geef Sam een vaste taak.",
            "approaches": [str(cw.approach.code)],
        },
    )
    assert response.status_code == 302
    recommendation = Recommendation.objects.get(case=case, audience="teacher")
    assert recommendation.text == "Geef Sam een vaste taak."
    assert list(recommendation.approaches.all()) == [cw.approach]
    assert recommendation.status == "open"

    page = body(client.get(url("case_detail", case)))
    for text in ("Sam vertelt.", "Sam zit achterin en doet niet mee.", "Geef Sam een vaste taak."):
        assert text in page, text
    assert cw.approach.name in page
    assert url("observation_pdf", observation) in page
    assert url("recommendation_follow_up", recommendation) in page

    follow_up = url("recommendation_follow_up", recommendation)
    assert client.get(follow_up).context["form"].initial["status"] == "open"
    response = client.post(follow_up, {"status": "done", "follow_up": "Werkt goed."})
    assert response.status_code == 302 and response["Location"] == url("case_detail", case)
    recommendation.refresh_from_db()
    assert (recommendation.status, recommendation.follow_up) == ("done", "Werkt goed.")
    assert "Werkt goed." in body(client.get(url("case_detail", case)))


def test_mentor_report_shows_only_the_advice_for_the_mentor(client, caseload_world):
    cw = caseload_world
    users = cw.world.users
    for audience, text in (("teacher", "Advies voor docenten."), ("parents", "Advies voor thuis.")):
        Recommendation.objects.create(
            case=cw.case, date=cw.today, author=users["bpo"], audience=audience, text=text
        )
    report = reverse("caseload:mentor_report", args=[cw.student.code])
    for persona in ("mentor", "coordinator"):
        sign_in(client, users[persona])
        response = client.get(report)
        assert response.status_code == 200
        assert response.context["recommendations"] == [cw.recommendation]
        assert cw.recommendation.text in body(response)
        assert "Advies voor docenten." not in body(response)
        assert "Advies voor thuis." not in body(response)
    pdf = client.get(reverse("caseload:mentor_report_pdf", args=[cw.student.code]))
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF-")
    text = " ".join(pdf_text(mentor_report_pdf_bytes(cw.student, uncompressed=True)).split())
    assert cw.recommendation.text in text
    assert "Advies voor docenten." not in text and "Advies voor thuis." not in text
    # Another student's mentor report holds none of Sam's advice.
    sign_in(client, users["coordinator"])
    other = client.get(reverse("caseload:mentor_report", args=[cw.student16.code]))
    assert other.context["recommendations"] == []


# --- Bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"signal": ""}, "signal"),
        ({"signal": "   "}, "signal"),
        ({"signalled_on": "future"}, "signalled_on"),
        ({"signalled_on": "2025-02-30"}, "signalled_on"),
        ({"signal_source": "neighbour"}, "signal_source"),
        ({"bpo": "mentor"}, "bpo"),  # not a BPO of the school
        ({"domains": ["nonsense"]}, "domains"),
    ],
)
def test_bad_case_input_gives_a_field_error_and_writes_nothing(
    client, caseload_world, overrides, field
):
    cw = caseload_world
    if overrides.get("signalled_on") == "future":
        overrides = {"signalled_on": (cw.today + DAY).isoformat()}
    if overrides.get("bpo") == "mentor":
        overrides = {"bpo": str(cw.world.users["mentor"].code)}
    sign_in(client, cw.world.users["coordinator"])
    before = written()
    create = reverse("caseload:case_create", args=[cw.student16.code])
    assert_field_error(client.post(create, case_data(cw, **overrides)), field)
    signal = cw.case.signal
    assert_field_error(client.post(url("case_edit", cw.case), case_data(cw, **overrides)), field)
    assert written() == before
    cw.case.refresh_from_db()
    assert cw.case.signal == signal


@pytest.mark.parametrize(
    ("name", "data", "field"),
    [
        ("contact_create", {"date": "future", "kind": "parents", "notes": "x"}, "date"),
        ("contact_create", {"date": "today", "kind": "neighbour", "notes": "x"}, "kind"),
        ("observation_create", {"date": "future", "report": "Rustig."}, "date"),
        ("observation_create", {"date": "today", "report": ""}, "report"),
        ("observation_create", {"date": "today", "report": "  "}, "report"),
        ("recommendation_create", {"date": "future", "audience": "mentor", "text": "x"}, "date"),
        ("recommendation_create", {"date": "today", "audience": "mentor", "text": ""}, "text"),
        ("recommendation_create", {"date": "today", "audience": "bus", "text": "x"}, "audience"),
        (
            "recommendation_create",
            {"date": "today", "audience": "mentor", "text": "x", "approaches": "other_swv"},
            "approaches",
        ),
        (
            "recommendation_create",
            {"date": "today", "audience": "mentor", "text": "x", "approaches": "inactive"},
            "approaches",
        ),
    ],
)
def test_bad_record_input_gives_a_field_error_and_writes_nothing(
    client, caseload_world, name, data, field
):
    cw = caseload_world
    days = {"today": cw.today.isoformat(), "future": (cw.today + DAY).isoformat()}
    data = {**data, "date": days[data["date"]]}
    if data.get("approaches") == "other_swv":
        # An approach of partnership Q's library, passed by its code.
        foreign = Approach.objects.create(partnership=cw.world.q, name="Elders", kind="method")
        data["approaches"] = [str(foreign.code)]
    elif data.get("approaches") == "inactive":
        retired = Approach.objects.create(
            partnership=cw.world.p, name="Oud", kind="method", active=False
        )
        data["approaches"] = [str(retired.code)]
    sign_in(client, cw.world.users["bpo"])
    before = written()
    assert_field_error(client.post(url(name, cw.case), data), field)
    assert written() == before


def test_records_in_a_closed_case_are_refused(client, caseload_world):
    cw = caseload_world
    SupportCase.objects.filter(pk=cw.case.pk).update(status=CaseStatus.CLOSED)
    sign_in(client, cw.world.users["bpo"])
    before = written()
    response = client.post(
        url("contact_create", cw.case),
        {"date": cw.today.isoformat(), "kind": "parents", "notes": "Nog een gesprek."},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert written() == before


def test_bad_follow_up_status_gives_a_field_error_and_writes_nothing(client, caseload_world):
    cw = caseload_world
    sign_in(client, cw.world.users["bpo"])
    before = written()
    response = client.post(
        url("recommendation_follow_up", cw.recommendation),
        {"status": "forgotten", "follow_up": "Niet gedaan."},
    )
    assert_field_error(response, "status")
    assert written() == before
    cw.recommendation.refresh_from_db()
    assert (cw.recommendation.status, cw.recommendation.follow_up) == ("open", "")


@pytest.mark.parametrize("status", ["unknown", "", CaseStatus.SIGNAL])
def test_bad_status_step_is_refused_back_on_the_case_page(client, caseload_world, status):
    """The status buttons post to an action that redirects back with a message (no form page):
    an unknown status or the current one changes nothing."""
    cw = caseload_world
    sign_in(client, cw.world.users["coordinator"])
    before = written()
    response = client.post(url("case_status", cw.case), {"status": status}, follow=True)
    assert response.redirect_chain == [(url("case_detail", cw.case), 302)]
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert written() == before
    cw.case.refresh_from_db()
    assert cw.case.status == CaseStatus.SIGNAL


def test_status_url_is_post_only(client, caseload_world):
    cw = caseload_world
    sign_in(client, cw.world.users["coordinator"])
    assert client.get(url("case_status", cw.case)).status_code == 405
    cw.case.refresh_from_db()
    assert cw.case.status == CaseStatus.SIGNAL


def test_coordinator_of_school_b_gets_404_for_school_a(client, caseload_world):
    cw = caseload_world
    sign_in(client, cw.world.users["coordinator_b"])
    before = written()
    for address in (
        reverse("caseload:case_list", args=[cw.world.a.code]),
        url("case_detail", cw.case),
        url("case_edit", cw.case),
        url("contact_create", cw.case),
        url("observation_pdf", cw.observation),
        url("recommendation_follow_up", cw.recommendation),
        reverse("caseload:case_create", args=[cw.student.code]),
    ):
        assert client.get(address).status_code == 404, address
    assert client.post(url("case_status", cw.case), {"status": "analysis"}).status_code == 404
    follow_up = url("recommendation_follow_up", cw.recommendation)
    assert client.post(follow_up, {"status": "done", "follow_up": ""}).status_code == 404
    assert written() == before
    assert not AuditEvent.objects.filter(action=VIEW_ACTION).exists()
    # Their own school's case and list they do see.
    assert client.get(url("case_detail", cw.case_b)).status_code == 200
    listing = client.get(reverse("caseload:case_list", args=[cw.world.b.code]))
    assert list(listing.context["page_obj"]) == [cw.case_b]


# --- Query counts ------------------------------------------------------------------------------


def _students(cw, count: int, start: int) -> list[Student]:
    return Student.objects.bulk_create(
        Student(
            partnership=cw.world.p,
            school=cw.world.a,
            student_number=str(start + n),
            first_name=f"Kind{n}",
            last_name="Bakker",
            date_of_birth=years_ago(13),
            class_name="2C",
            mentor=cw.world.users["mentor"],
            enrolled_on=cw.year.start,
        )
        for n in range(count)
    )


def _bpos(cw, count: int) -> list:
    """``count`` different BPOs of school A (so that a missing select_related shows)."""
    return [factories.member(Role.BPO, school=cw.world.a) for _ in range(count)]


def _cases(cw, students, bpos) -> None:
    SupportCase.objects.bulk_create(
        SupportCase(
            partnership=cw.world.p,
            school=cw.world.a,
            student=student,
            signal_source="mentor",
            signalled_on=cw.today - n * DAY,
            signal="Signaal.",
            bpo=bpos[n % len(bpos)],
            opened_by=bpos[0],
        )
        for n, student in enumerate(students)
    )


def _count(client, address: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
    return len(queries)


def test_case_list_query_count_is_constant(client, caseload_world):
    cw = caseload_world
    sign_in(client, cw.world.users["coordinator"])
    address = reverse("caseload:case_list", args=[cw.world.a.code])
    bpos = _bpos(cw, 14)
    _cases(cw, _students(cw, 1, 6000), bpos)  # 2 cases at A
    client.get(address)
    few = _count(client, address)
    _cases(cw, _students(cw, 13, 6100), bpos)  # 15 cases at A
    many = client.get(address)
    assert len(many.context["page_obj"]) == 15
    assert _count(client, address) == few


def test_student_page_query_count_is_constant(client, caseload_world):
    cw = caseload_world
    users = cw.world.users
    sign_in(client, users["coordinator"])
    address = reverse("students:student_detail", args=[cw.student.code])
    bpos = _bpos(cw, 14)

    def add(count: int) -> None:
        _cases(cw, [cw.student] * count, bpos)
        Consent.objects.bulk_create(
            Consent(
                partnership=cw.world.p,
                school=cw.world.a,
                student=cw.student,
                given_by="guardian",
                guardian=cw.guardian,
                partner=users["partner"] if n % 2 else None,
                domain="" if n % 2 else Domain.YOUTH_HEALTH,
                purpose="Overleg",
                given_on=cw.today - (n + 1) * DAY,
                recorded_by=bpos[n],
            )
            for n in range(count)
        )

    add(1)  # 2 cases, 2 consents
    client.get(address)
    few = _count(client, address)
    add(13)  # 15 of each
    page = client.get(address)
    assert len(page.context["cases"]) == 15
    assert _count(client, address) == few


def test_case_page_query_count_is_constant(client, caseload_world):
    cw = caseload_world
    users = cw.world.users
    case = cw.case
    sign_in(client, users["coordinator"])
    address = url("case_detail", case)
    bpos = _bpos(cw, 14)
    statuses = [s for s in CaseStatus.values if s != CaseStatus.SIGNAL]

    def add(count: int, start: int) -> None:
        for n in range(count):
            author = bpos[n]
            CaseStatusChange.objects.create(
                case=case,
                from_status=CaseStatus.SIGNAL,
                to_status=statuses[n % len(statuses)],
                changed_by=author,
            )
            Contact.objects.create(
                case=case, date=cw.today, author=author, kind="mentor", notes=f"Notitie {n}"
            )
            Observation.objects.create(
                case=case, date=cw.today, author=author, lesson=f"Les {n}", report="Verslag."
            )
            recommendation = Recommendation.objects.create(
                case=case, date=cw.today, author=author, audience="teacher", text=f"Advies {n}"
            )
            recommendation.approaches.add(
                Approach.objects.create(
                    partnership=cw.world.p, name=f"Aanpak {start + n}", kind="method"
                )
            )
            CaseShare.objects.create(
                case=case,
                partner=factories.member(Role.PARTNER, school=cw.world.a),
                shared_by=author,
                shared_on=cw.today,
            )

    add(1, 0)  # 2 of each record (with the fixture's), 2 shares
    client.get(address)
    few = _count(client, address)
    add(13, 100)  # 15 of each
    page = client.get(address)
    assert len([e for e in page.context["timeline"] if e.kind == "contact"]) == 15
    assert _count(client, address) == few
