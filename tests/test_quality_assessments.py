"""The school's self-assessment of the quality framework, through HTTP: start, rate (with evidence
files), submit, the consultant's review, reopen; who may do what; derived evidence; what is due
on the start page; query counts; bad input."""

from __future__ import annotations

import io
import time
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from passend.accounts.choices import Role
from passend.accounts.middleware import SESSION_STARTED_KEY
from passend.accounts.models import Membership
from passend.audit.models import AuditEvent
from passend.organisations.choices import Domain
from passend.organisations.models import SupportTeam, SupportTeamMember
from passend.quality.choices import AssessmentStatus, Rating, Responsibility
from passend.quality.due import due_for
from passend.quality.models import AspectRating, QualityAspect, QualityAssessment
from passend.quality.services import update_framework
from tests import factories

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
SCRIPT = "<script>alert(1)</script>"


@pytest.fixture(autouse=True)
def _plain_settings(settings):
    settings.REQUIRE_2FA = False


def sign_in(client, user) -> None:
    client.logout()
    client.force_login(user)
    session = client.session
    session[SESSION_STARTED_KEY] = time.time()
    session.save()


def ratings_of(assessment) -> list[AspectRating]:
    return list(assessment.ratings.select_related("aspect").order_by("aspect__sort_key"))


def rating_for(assessment, number: str) -> AspectRating:
    return assessment.ratings.select_related("aspect").get(aspect__number=number)


def url(name: str, assessment, rating=None) -> str:
    if rating is None:
        return reverse(f"quality:{name}", args=[assessment.code])
    return reverse(f"quality:{name}", args=[assessment.code, rating.code])


def rate(client, assessment, rating, value=Rating.MEETS, htmx=False, **fields):
    data = {"rating": value, "evidence": "", "comment": "", **fields}
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(url("rating_edit", assessment, rating), data, headers=headers)


def actions(assessment) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_code=str(assessment.code))
        .order_by("pk")
        .values_list("action", flat=True)
    )


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def snapshot(assessment) -> dict:
    return {
        "ratings": sorted(
            assessment.ratings.values_list(
                "pk", "rating", "evidence", "comment", "evidence_file", "evidence_filename"
            )
        ),
        "status": QualityAssessment.objects.get(pk=assessment.pk).status,
        "audit": AuditEvent.objects.count(),
    }


def docx_bytes(part="word/document.xml") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part, "<document/>")
    return buffer.getvalue()


def odt_bytes(mimetype=b"application/vnd.oasis.opendocument.text") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), mimetype)
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


# --- The whole flow -------------------------------------------------------------------------------


def test_full_flow_through_http(client, quality_world):
    qw = quality_world
    w = qw.world
    coordinator, consultant = w.users["coordinator"], w.users["consultant"]
    QualityAssessment.objects.filter(pk=qw.assessment_a.pk).delete()

    # The coordinator starts the assessment of the current year from the school's list.
    sign_in(client, coordinator)
    listing = client.get(reverse("quality:school_assessments", args=[w.a.code]))
    start_url = reverse("quality:assessment_start", args=[w.a.code])
    assert start_url in listing.content.decode()
    response = client.post(start_url, {"school_year": qw.year.name})
    assessment = QualityAssessment.objects.get(school=w.a, school_year=qw.year)
    assert response.status_code == 302
    assert response.url == url("assessment_detail", assessment)
    assert assessment.framework == qw.framework
    assert actions(assessment) == ["assessment.start"]
    ratings = ratings_of(assessment)
    assert len(ratings) == qw.framework.aspects.count()

    # Every aspect but the last two; one of them inline (htmx).
    for rating in ratings[:-2]:
        response = rate(client, assessment, rating, evidence=f"Bewijs {rating.aspect.number}")
        assert response.status_code == 302
        assert response.url == url("assessment_detail", assessment) + f"#r-{rating.code}"
    # Submitting is refused while aspects are unrated; the message names them.
    response = client.post(url("assessment_submit", assessment), follow=True)
    assert response.status_code == 200
    refusal = " ".join(messages_of(response))
    assert ratings[-2].aspect.number in refusal and ratings[-1].aspect.number in refusal
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DRAFT
    assert "assessment.submit" not in actions(assessment)

    rate(client, assessment, ratings[-2], value=Rating.PARTLY)
    response = rate(client, assessment, ratings[-1], value=Rating.NOT_APPLICABLE, htmx=True)
    assert response.status_code == 200
    assert f'id="r-{ratings[-1].code}"' in response.content.decode()
    response = client.post(url("assessment_submit", assessment))
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED
    assert assessment.submitted_by == coordinator
    assert actions(assessment).count("assessment.rate") == len(ratings)

    # The consultant comments on an aspect, then closes the review.
    sign_in(client, consultant)
    response = client.post(
        url("aspect_review", assessment, ratings[9]), {"review_comment": "Evaluatie aanvullen."}
    )
    assert response.status_code == 302
    assert AspectRating.objects.get(pk=ratings[9].pk).review_comment == "Evaluatie aanvullen."
    response = client.post(url("assessment_review", assessment), {"review_comment": "Helder."})
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.REVIEWED
    assert (assessment.reviewed_by, assessment.review_comment) == (consultant, "Helder.")

    # …and reopens it with a reason, which the school sees.
    response = client.post(url("assessment_reopen", assessment), {"reason": "Aspect 10 graag."})
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.REOPENED

    sign_in(client, coordinator)
    page = client.get(url("assessment_detail", assessment)).content.decode()
    assert "Aspect 10 graag." in page and "Evaluatie aanvullen." in page
    response = rate(client, assessment, ratings[9], value=Rating.MEETS, evidence="Aangevuld.")
    assert response.status_code == 302
    assert AspectRating.objects.get(pk=ratings[9].pk).evidence == "Aangevuld."
    client.post(url("assessment_submit", assessment))
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED

    events = AuditEvent.objects.filter(object_code=str(assessment.code))
    by_action = {e.action: e for e in events}
    assert by_action["assessment.start"].actor == coordinator
    assert by_action["assessment.review_comment"].actor == consultant
    assert by_action["assessment.review_comment"].extra["aspect"] == ratings[9].aspect.number
    assert by_action["assessment.review"].actor == consultant
    assert by_action["assessment.reopen"].extra["reason"] == "Aspect 10 graag."
    assert events.filter(action="assessment.submit").count() == 2
    assert all(e.school_id == w.a.pk for e in events)


# --- Who may do what ------------------------------------------------------------------------------


def test_coordinator_of_b_cannot_touch_a(client, quality_world):
    qw = quality_world
    a = qw.assessment_a
    rating = ratings_of(a)[0]
    sign_in(client, qw.world.users["coordinator_b"])
    before = snapshot(a)
    assert client.get(url("assessment_detail", a)).status_code == 404
    assert client.get(url("rating_edit", a, rating)).status_code == 404
    assert rate(client, a, rating).status_code == 404
    assert client.post(url("assessment_submit", a)).status_code == 404
    assert client.get(url("evidence_download", a, rating)).status_code == 404
    school_a = reverse("quality:school_assessments", args=[qw.world.a.code])
    assert client.get(school_a).status_code == 404
    assert snapshot(a) == before


def test_consultant_cannot_rate_and_does_not_see_other_schools(client, quality_world):
    qw = quality_world
    a, b = qw.assessment_a, qw.assessment_b
    rating = ratings_of(a)[0]
    sign_in(client, qw.world.users["consultant"])
    before = snapshot(a)
    page = client.get(url("assessment_detail", a))
    assert page.status_code == 200
    assert url("rating_edit", a, rating) not in page.content.decode()
    assert client.get(url("rating_edit", a, rating)).status_code == 403
    assert rate(client, a, rating).status_code == 403
    assert client.post(url("assessment_submit", a)).status_code == 403
    assert snapshot(a) == before
    # School B is not assigned to this consultant.
    assert client.get(url("assessment_detail", b)).status_code == 404
    assert client.get(url("aspect_review", b, ratings_of(b)[0])).status_code == 404
    assert client.post(url("assessment_review", b)).status_code == 404


def test_director_can_edit(client, quality_world):
    qw = quality_world
    rating = ratings_of(qw.assessment_a)[0]
    sign_in(client, qw.world.users["director"])
    assert rate(client, qw.assessment_a, rating, evidence="Door de directeur.").status_code == 302
    rating.refresh_from_db()
    assert (rating.rating, rating.evidence) == (Rating.MEETS, "Door de directeur.")


@pytest.mark.parametrize("persona", ["bpo", "partnership_admin"])
def test_bpo_and_partnership_admin_read_only(client, quality_world, persona):
    qw = quality_world
    a = qw.assessment_a
    rating = ratings_of(a)[0]
    sign_in(client, qw.world.users[persona])
    before = snapshot(a)
    page = client.get(url("assessment_detail", a))
    assert page.status_code == 200
    body = page.content.decode()
    assert url("rating_edit", a, rating) not in body
    assert url("assessment_submit", a) not in body
    assert client.get(url("rating_edit", a, rating)).status_code == 403
    assert rate(client, a, rating).status_code == 403
    assert client.post(url("assessment_submit", a)).status_code == 403
    assert client.get(url("aspect_review", a, rating)).status_code == 403
    assert client.post(url("assessment_reopen", a), {"reason": "x"}).status_code == 403
    start = reverse("quality:assessment_start", args=[qw.world.a.code])
    assert client.post(start).status_code == 403
    assert snapshot(a) == before


@pytest.mark.parametrize("persona", ["partner", "mentor", "office", "other_swv", "no_role"])
def test_roles_without_quality_access_see_nothing(client, quality_world, persona):
    qw = quality_world
    a = qw.assessment_a
    sign_in(client, qw.world.users[persona])
    assert client.get(url("assessment_detail", a)).status_code == 404
    school_a = reverse("quality:school_assessments", args=[qw.world.a.code])
    assert client.get(school_a).status_code == 404
    assert client.get(url("rating_edit", a, ratings_of(a)[0])).status_code == 404


def test_school_page_links_to_the_assessments_only_for_those_who_see_them(client, quality_world):
    w = quality_world.world
    link = reverse("quality:school_assessments", args=[w.a.code])
    school_page = reverse("organisations:school_detail", args=[w.a.code])
    for persona, shown in [
        ("coordinator", True),
        ("bpo", True),
        ("consultant", True),
        ("office", False),
        ("mentor", False),
    ]:
        sign_in(client, w.users[persona])
        assert (link in client.get(school_page).content.decode()) is shown, persona


def test_start_button_and_refusal_without_a_published_framework(client, quality_world):
    qw = quality_world
    w = qw.world
    # School A has its assessment for this year: no start button, only the link to it.
    sign_in(client, w.users["coordinator"])
    page = client.get(reverse("quality:school_assessments", args=[w.a.code])).content.decode()
    assert reverse("quality:assessment_start", args=[w.a.code]) not in page
    assert url("assessment_detail", qw.assessment_a) in page
    # Another partnership without a framework: no start button; a forged start is refused.
    other = factories.partnership(name="SWV Zonder Kader")
    school = factories.school(other, name="School Zonder")
    coordinator = factories.member(Role.COORDINATOR, school=school)
    sign_in(client, coordinator)
    listing = client.get(reverse("quality:school_assessments", args=[school.code]))
    assert reverse("quality:assessment_start", args=[school.code]) not in listing.content.decode()
    response = client.post(
        reverse("quality:assessment_start", args=[school.code]),
        {"school_year": qw.year.name},
        follow=True,
    )
    assert response.status_code == 200
    assert messages_of(response)
    assert not QualityAssessment.objects.filter(school=school).exists()


def test_starting_next_year_needs_a_published_framework(client, quality_world):
    """P's framework for next year is a draft: starting that year is refused with a message."""
    qw = quality_world
    sign_in(client, qw.world.users["coordinator"])
    response = client.post(
        reverse("quality:assessment_start", args=[qw.world.a.code]),
        {"school_year": qw.next_year.name},
        follow=True,
    )
    assert response.status_code == 200
    assert messages_of(response)
    assert not QualityAssessment.objects.filter(school_year=qw.next_year).exists()


def test_edits_after_submit_are_refused_without_writing(client, quality_world, settings):
    qw = quality_world
    b = qw.assessment_b
    rating = ratings_of(b)[0]
    sign_in(client, qw.world.users["coordinator_b"])
    before = snapshot(b)

    response = rate(client, b, rating, value=Rating.NOT_MET, evidence="Later gewijzigd.")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    response = client.post(
        url("rating_edit", b, rating),
        {"rating": "not_met", "evidence_file": SimpleUploadedFile("x.pdf", PDF)},
    )
    assert response.status_code == 200
    assert client.post(url("assessment_submit", b), follow=True).status_code == 200
    assert snapshot(b) == before
    assert stored_files(settings) == []

    page = client.get(url("rating_edit", b, rating), follow=True)
    assert page.status_code == 200 and messages_of(page)
    htmx = client.get(url("rating_edit", b, rating), headers={"HX-Request": "true"})
    assert htmx["HX-Redirect"] == url("assessment_detail", b) + f"#r-{rating.code}"
    assert snapshot(b) == before


def test_review_actions_follow_the_status(client, quality_world):
    """A draft cannot be reviewed, a draft cannot be reopened: a message, never a 500."""
    qw = quality_world
    a = qw.assessment_a
    rating = ratings_of(a)[0]
    sign_in(client, qw.world.users["consultant"])
    before = snapshot(a)
    for response in (
        client.get(url("aspect_review", a, rating), follow=True),
        client.post(url("assessment_review", a), {"review_comment": "x"}, follow=True),
        client.post(url("assessment_reopen", a), {"reason": "x"}, follow=True),
    ):
        assert response.status_code == 200
        assert messages_of(response)
    response = client.post(url("aspect_review", a, rating), {"review_comment": "x"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    # A reopen needs a reason.
    response = client.post(url("assessment_reopen", a), {"reason": " "}, follow=True)
    assert messages_of(response)
    assert snapshot(a) == before


# --- Inline editing (htmx) ------------------------------------------------------------------------


def test_inline_forms_swap_into_the_aspect_row(client, quality_world):
    qw = quality_world
    a = qw.assessment_a
    rating = rating_for(a, "16.1")
    sign_in(client, qw.world.users["coordinator"])
    htmx = {"HX-Request": "true"}

    form = client.get(url("rating_edit", a, rating), headers=htmx)
    body = form.content.decode()
    assert form.status_code == 200 and "<html" not in body
    assert f'<form id="r-{rating.code}"' in body
    assert "<fieldset" in body and "<legend" in body
    assert 'hx-post="' + url("rating_edit", a, rating) in body
    assert 'action="' + url("rating_edit", a, rating) in body  # the fallback without JS

    invalid = rate(client, a, rating, value="bogus", htmx=True)
    assert invalid.status_code == 200
    assert "<html" not in invalid.content.decode()
    assert 'aria-invalid="true"' in invalid.content.decode()

    saved = rate(client, a, rating, value=Rating.PARTLY, htmx=True, evidence="Zie notulen.")
    body = saved.content.decode()
    assert saved.status_code == 200 and "<html" not in body
    assert f'<div id="r-{rating.code}"' in body and "Zie notulen." in body
    assert 'id="assessment-progress" hx-swap-oob="true"' in body

    page = client.get(url("rating_edit", a, rating))
    assert "<html" in page.content.decode()  # without htmx: a normal page

    sign_in(client, qw.world.users["consultant"])
    b_like = qw.assessment_a
    b_like.status = AssessmentStatus.SUBMITTED
    b_like.save(update_fields=["status"])
    review = client.get(url("aspect_review", a, rating), headers=htmx)
    assert review.status_code == 200 and "<html" not in review.content.decode()
    saved = client.post(url("aspect_review", a, rating), {"review_comment": "Mooi."}, headers=htmx)
    assert saved.status_code == 200 and "Mooi." in saved.content.decode()


def test_detail_shows_symbols_and_sub_aspects_under_their_main_aspect(client, quality_world):
    qw = quality_world
    sign_in(client, qw.world.users["coordinator_b"])
    response = client.get(url("assessment_detail", qw.assessment_b))
    body = response.content.decode()
    assert '<span aria-hidden="true">✔</span> Voldoet' in body
    sections = response.context["sections"]
    mains = [row for _section, rows in sections for row in rows]
    by_number = {row.rating.aspect.number: row for row in mains}
    assert "16.1" not in by_number
    assert [c.rating.aspect.number for c in by_number["16"].children] == [
        "16.1",
        "16.2",
        "16.3",
        "16.4",
    ]
    assert body.index("Aspect 16<") < body.index("Aspect 16.1<") < body.index("Aspect 17<")


# --- Evidence files -------------------------------------------------------------------------------


def upload(client, assessment, rating, name, content, **fields):
    data = {"rating": Rating.MEETS, "evidence": "", "comment": "", **fields}
    data["evidence_file"] = SimpleUploadedFile(name, content, content_type="application/pdf")
    return client.post(url("rating_edit", assessment, rating), data)


def test_good_pdf_is_stored_and_downloadable_by_a_viewer(client, quality_world, settings):
    qw = quality_world
    a = qw.assessment_a
    rating = ratings_of(a)[0]
    sign_in(client, qw.world.users["coordinator"])
    assert upload(client, a, rating, "Werkafspraken 2025.pdf", PDF).status_code == 302
    rating.refresh_from_db()
    assert rating.evidence_filename == "Werkafspraken 2025.pdf"
    assert rating.evidence_file.name.startswith(f"evidence/{qw.world.a.pk}/")
    assert "Werkafspraken" not in rating.evidence_file.name  # a random name on disk
    assert [p.read_bytes() for p in stored_files(settings)] == [PDF]

    for persona in ("bpo", "consultant", "partnership_admin"):
        sign_in(client, qw.world.users[persona])
        response = client.get(url("evidence_download", a, rating))
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
        assert 'filename="Werkafspraken 2025.pdf"' in response["Content-Disposition"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content) == PDF
        event = AuditEvent.objects.filter(action="assessment.evidence_download").latest("pk")
        assert event.actor == qw.world.users[persona]
        assert event.extra["aspect"] == rating.aspect.number
    # The detail page links to it.
    page = client.get(url("assessment_detail", a)).content.decode()
    assert url("evidence_download", a, rating) in page


@pytest.mark.parametrize(
    "name,content",
    [
        ("setup.pdf", EXE),  # an .exe renamed to .pdf
        ("setup.exe", EXE),
        ("notes.txt", b"plain text"),
        ("photo.pdf", PNG),  # content of another allowed type
        ("report.docx", PDF),
        ("report.docx", docx_bytes(part="xl/workbook.xml")),  # an xlsx named docx
        ("sheet.xlsx", docx_bytes()),
        ("text.odt", odt_bytes(mimetype=b"application/vnd.oasis.opendocument.spreadsheet")),
        ("image.png", b"\xff\xd8\xff\xe0" + b"\x00" * 16),
    ],
)
def test_bad_files_are_refused_and_nothing_is_written(
    client, quality_world, settings, name, content
):
    qw = quality_world
    a = qw.assessment_a
    rating = ratings_of(a)[0]
    sign_in(client, qw.world.users["coordinator"])
    before = snapshot(a)
    response = upload(client, a, rating, name, content)
    assert response.status_code == 200
    assert "evidence_file" in response.context["form"].errors
    assert snapshot(a) == before
    assert stored_files(settings) == []


@pytest.mark.parametrize(
    "name,content",
    [
        ("verslag.PDF", PDF),
        ("taak.docx", docx_bytes()),
        ("lijst.xlsx", docx_bytes(part="xl/workbook.xml")),
        ("notulen.odt", odt_bytes()),
        ("foto.png", PNG),
        ("foto.jpeg", b"\xff\xd8\xff\xe0" + b"\x00" * 16),
    ],
)
def test_allowed_types_are_accepted(client, quality_world, settings, name, content):
    qw = quality_world
    rating = ratings_of(qw.assessment_a)[0]
    sign_in(client, qw.world.users["coordinator"])
    assert upload(client, qw.assessment_a, rating, name, content).status_code == 302
    rating.refresh_from_db()
    assert rating.evidence_filename == name
    assert [p.read_bytes() for p in stored_files(settings)] == [content]


def test_oversize_file_is_refused(client, quality_world, settings):
    qw = quality_world
    a = qw.assessment_a
    rating = ratings_of(a)[0]
    sign_in(client, qw.world.users["coordinator"])
    before = snapshot(a)
    with override_settings(EVIDENCE_MAX_BYTES=len(PDF) - 1):
        response = upload(client, a, rating, "groot.pdf", PDF)
    assert response.status_code == 200
    assert "te groot" in " ".join(response.context["form"].errors["evidence_file"])
    assert snapshot(a) == before
    assert stored_files(settings) == []
    with override_settings(EVIDENCE_MAX_BYTES=len(PDF)):
        assert upload(client, a, rating, "precies.pdf", PDF).status_code == 302


@pytest.mark.parametrize(
    "name,kept",
    [
        ("../../x.pdf", "x.pdf"),
        ("..\\..\\windows\\y.pdf", "y.pdf"),
        ("/etc/passwd.pdf", "passwd.pdf"),
        (".hidden.pdf", "hidden.pdf"),
        ("a" * 300 + ".pdf", "a" * 146 + ".pdf"),
    ],
)
def test_client_file_names_are_stored_safely(client, quality_world, settings, name, kept):
    qw = quality_world
    rating = ratings_of(qw.assessment_a)[0]
    sign_in(client, qw.world.users["coordinator"])
    assert upload(client, qw.assessment_a, rating, name, PDF).status_code == 302
    rating.refresh_from_db()
    assert rating.evidence_filename == kept
    media = Path(settings.MEDIA_ROOT).resolve()
    (path,) = stored_files(settings)
    assert path.resolve().is_relative_to(media / "evidence")
    assert path.suffix == ".pdf" and ".." not in rating.evidence_file.name


def test_replacing_and_removing_a_file_deletes_the_old_one(
    client, quality_world, settings, django_capture_on_commit_callbacks
):
    qw = quality_world
    a = qw.assessment_a
    rating = ratings_of(a)[0]
    sign_in(client, qw.world.users["coordinator"])
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, a, rating, "eerste.pdf", PDF)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, a, rating, "tweede.pdf", PDF + b"2")
    assert [p.read_bytes() for p in stored_files(settings)] == [PDF + b"2"]
    # Removing and replacing at once is ambiguous: refused.
    response = upload(client, a, rating, "derde.pdf", PDF, remove_file="on")
    assert response.status_code == 200 and "remove_file" in response.context["form"].errors
    with django_capture_on_commit_callbacks(execute=True):
        response = rate(client, a, rating, remove_file="on")
    assert response.status_code == 302
    rating.refresh_from_db()
    assert not rating.evidence_file and rating.evidence_filename == ""
    assert stored_files(settings) == []
    assert client.get(url("evidence_download", a, rating)).status_code == 404


# --- Derived evidence -----------------------------------------------------------------------------


def _row(response, number):
    for _section, rows in response.context["sections"]:
        for row in rows:
            for candidate in (row, *row.children):
                if candidate.rating.aspect.number == number:
                    return candidate
    raise AssertionError(number)


def test_derived_evidence_beside_the_rating(client, quality_world):
    qw = quality_world
    w = qw.world
    sign_in(client, w.users["director"])
    detail = url("assessment_detail", qw.assessment_a)

    response = client.get(detail)
    body = response.content.decode()
    coordinator = w.users["coordinator"].full_name
    assert any(coordinator in e.text and e.met for e in _row(response, "6").evidence)
    assert coordinator in body
    (sot,) = _row(response, "7").evidence
    assert sot.met is False and "geen SOT" in sot.text
    assert escape(sot.text) in body
    assert "Wat passend weet" in body

    # An SOT with an education-support member who is the school's BPO.
    team = SupportTeam.objects.create(school=w.a, partnership=w.p, school_year=qw.year)
    bpo = w.users["bpo"]
    SupportTeamMember.objects.create(
        team=team, school=w.a, user=bpo, name=bpo.full_name, domain=Domain.EDUCATION_SUPPORT
    )
    SupportTeamMember.objects.create(
        team=team, school=w.a, name="Wijkteam", domain=Domain.YOUTH_CARE
    )
    (sot,) = _row(client.get(detail), "7").evidence
    assert sot.met is True and bpo.full_name in sot.text
    # Without a coordinator role in the year: the missing coordinator shows.
    Membership.objects.filter(role=Role.COORDINATOR, school=w.a).update(
        valid_until=qw.year.start - timedelta(days=1)
    )
    (fact,) = _row(client.get(detail), "6").evidence
    assert fact.met is False


def test_sot_member_not_linked_to_the_bpo_is_neutral(client, quality_world):
    from passend.quality.evidence import derived_evidence

    qw = quality_world
    w = qw.world
    team = SupportTeam.objects.create(school=w.a, partnership=w.p, school_year=qw.year)
    SupportTeamMember.objects.create(
        team=team, school=w.a, name="Externe Bpo", domain=Domain.EDUCATION_SUPPORT
    )
    (fact,) = derived_evidence(w.a, qw.year, numbers={"7"})["7"]
    assert fact.met is None and "Externe Bpo" in fact.text
    SupportTeamMember.objects.all().delete()
    (fact,) = derived_evidence(w.a, qw.year, numbers={"7"})["7"]
    assert fact.met is False and "onderwijsondersteuning" in fact.text


# --- What is due ----------------------------------------------------------------------------------


def _at(day: date):
    return time_machine.travel(datetime(day.year, day.month, day.day, 12, 0), tick=False)


def _home(client, user) -> str:
    sign_in(client, user)
    response = client.get(reverse("front:home"))
    assert response.status_code == 200
    return response.content.decode()


def test_due_on_the_start_page(client, quality_world):
    qw = quality_world
    w = qw.world
    due = date(qw.year.end.year, 6, 1)
    update_framework(qw.framework, acting_user=w.users["partnership_admin"], assessment_due=due)
    notice = f"Zelfevaluatie kwaliteitskader {qw.year.name} nog niet ingediend"
    coordinator, director = w.users["coordinator"], w.users["director"]

    with _at(due - timedelta(days=31)):
        assert notice not in _home(client, coordinator)
    with _at(due - timedelta(days=10)):
        body = _home(client, coordinator)
        assert notice in body and "Uiterlijk 1 juni" in body
        assert url("assessment_detail", qw.assessment_a) in body
        assert notice in _home(client, director)
    with _at(due + timedelta(days=1)):
        body = _home(client, coordinator)
        assert notice in body and "De uiterste datum was 1 juni" in body
        # School B submitted: nothing due for its coordinator.
        assert notice not in _home(client, w.users["coordinator_b"])
        # Roles that do not submit see no notice.
        for persona in ("bpo", "mentor", "office", "partnership_admin"):
            assert notice not in _home(client, w.users[persona]), persona
        # The assigned consultant sees school A as not submitted, not B (not assigned).
        body = _home(client, w.users["consultant"])
        assert notice in body  # the start page's due panel, for the school's consultant
        assert "School Aa" in body and "School Bee" not in body
        # An SWV-wide consultant sees A not submitted and B waiting for review.
        wide = factories.member(Role.CONSULTANT, partnership=w.p)
        result = due_for(wide)
        assert [i.school.name for i in result.not_submitted] == ["School Aa"]
        assert [i.school.name for i in result.to_review] == ["School Bee"]
        assert "School Bee" in _home(client, wide)

    # Not started at all: the notice links to the school's assessments.
    QualityAssessment.objects.filter(pk=qw.assessment_a.pk).delete()
    with _at(due + timedelta(days=1)):
        body = _home(client, coordinator)
        assert notice in body
        assert reverse("quality:school_assessments", args=[w.a.code]) in body
    # Submitted or reviewed: nothing due.
    QualityAssessment.objects.filter(pk=qw.assessment_b.pk).update(status=AssessmentStatus.REVIEWED)
    with _at(due + timedelta(days=1)):
        assert due_for(w.users["coordinator_b"]).school_items == []


def test_nothing_is_due_without_a_due_date(client, quality_world):
    qw = quality_world
    assert qw.framework.assessment_due is None
    assert due_for(qw.world.users["coordinator"]).school_items == []


def test_due_costs_a_constant_number_of_queries(quality_world):
    qw = quality_world
    w = qw.world
    due = date(qw.year.end.year, 6, 1)
    update_framework(qw.framework, acting_user=w.users["partnership_admin"], assessment_due=due)
    coordinator = w.users["coordinator"]
    wide = factories.member(Role.CONSULTANT, partnership=w.p)

    def add(n):
        for i in range(n):
            school = factories.school(w.p, name=f"Extra {i:03d}")
            Membership.objects.create(
                user=coordinator,
                partnership=w.p,
                school=school,
                role=Role.COORDINATOR,
                valid_from=date(2020, 8, 1),
            )

    def measure(user):
        if hasattr(user, "_passend_scope"):
            del user._passend_scope
        with _at(due + timedelta(days=1)), CaptureQueriesContext(connection) as ctx:
            result = due_for(user)
        return result, len(ctx.captured_queries)

    add(2)
    small, small_count = measure(coordinator)
    _, wide_small = measure(wide)
    add(25)
    big, big_count = measure(coordinator)
    wide_big_result, wide_big = measure(wide)
    assert len(big.school_items) == len(small.school_items) + 25
    assert big_count == small_count
    assert wide_big == wide_small
    assert len(wide_big_result.not_submitted) >= 27


# --- Query counts ---------------------------------------------------------------------------------


def test_detail_query_count_is_constant(client, quality_world):
    qw = quality_world
    a = qw.assessment_a
    sign_in(client, qw.world.users["coordinator"])
    detail = url("assessment_detail", a)
    client.get(detail)

    def measured():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(detail)
        assert response.status_code == 200
        return response, len(ctx.captured_queries)

    small, small_count = measured()
    section = qw.framework.sections.order_by("position").last()
    for n in range(19, 31):
        parent = QualityAspect.objects.create(
            framework=qw.framework,
            section=section,
            number=str(n),
            text=f"Extra aspect {n}",
            responsibility=Responsibility.BPO,
        )
        child = QualityAspect.objects.create(
            framework=qw.framework,
            section=section,
            parent=parent,
            number=f"{n}.1",
            text=f"Extra subaspect {n}.1",
            responsibility=Responsibility.BPO,
        )
        for aspect in (parent, child):
            AspectRating.objects.create(
                assessment=a,
                school=qw.world.a,
                aspect=aspect,
                rating=Rating.MEETS,
                evidence="Tekst",
                evidence_filename="x.pdf",
                evidence_file=f"evidence/{qw.world.a.pk}/{aspect.pk}.pdf",
                review_comment="Reactie",
            )
    big, big_count = measured()
    assert big.content.decode().count("Extra subaspect") == 12
    assert big_count == small_count


# --- Bad input ------------------------------------------------------------------------------------

BAD_VALUES = ["", " ", "x" * 10000, SCRIPT, "ééé 𝕏 漢字 🙂", "\x00", "'; DROP TABLE x; --"]
BAD_IDS = ["empty", "blank", "long", "html", "unicode", "nul", "sql"]


def _acceptable(field: str, value: str) -> bool:
    """Text fields are optional and free text: HTML and unicode are stored as typed, shown
    escaped. Too long and NUL are refused; any rating outside the choices is refused."""
    if field == "rating":
        return False
    return len(value) <= 5000 and "\x00" not in value


@pytest.mark.parametrize("value", BAD_VALUES, ids=BAD_IDS)
@pytest.mark.parametrize("field", ["rating", "evidence", "comment"])
def test_rating_form_with_bad_input(client, quality_world, field, value):
    qw = quality_world
    a = qw.assessment_a
    rating = ratings_of(a)[0]
    sign_in(client, qw.world.users["coordinator"])
    before = snapshot(a)
    data = {"rating": Rating.MEETS, "evidence": "Onderbouwing", "comment": "", field: value}

    response = client.post(url("rating_edit", a, rating), data)

    assert response.status_code != 500
    assert SCRIPT.encode() not in response.content
    if _acceptable(field, value):
        assert response.status_code == 302
        rating.refresh_from_db()
        assert getattr(rating, field) == value.strip()
        page = client.get(url("assessment_detail", a))
        assert page.status_code == 200 and SCRIPT.encode() not in page.content
        if value == SCRIPT:
            assert escape(SCRIPT).encode() in page.content
        return
    assert response.status_code == 200
    assert response.context["form"].errors
    assert snapshot(a) == before


@pytest.mark.parametrize("value", BAD_VALUES, ids=BAD_IDS)
def test_review_forms_with_bad_input(client, quality_world, value):
    qw = quality_world
    a = qw.assessment_a
    QualityAssessment.objects.filter(pk=a.pk).update(status=AssessmentStatus.SUBMITTED)
    rating = ratings_of(a)[0]
    sign_in(client, qw.world.users["consultant"])
    before = snapshot(a)
    ok = len(value) <= 5000 and "\x00" not in value

    response = client.post(url("aspect_review", a, rating), {"review_comment": value})
    assert response.status_code == (302 if ok else 200)
    assert SCRIPT.encode() not in response.content
    if not ok:
        assert response.context["form"].errors
        assert snapshot(a) == before

    reopen_ok = ok and bool(value.strip()) and len(value) <= 1000
    before = snapshot(a)
    response = client.post(url("assessment_reopen", a), {"reason": value}, follow=True)
    assert response.status_code == 200
    assert SCRIPT.encode() not in response.content
    if not reopen_ok:
        assert messages_of(response)
        assert snapshot(a) == before
    else:
        assert QualityAssessment.objects.get(pk=a.pk).status == AssessmentStatus.REOPENED


def test_malformed_codes_are_404(client, quality_world):
    qw = quality_world
    sign_in(client, qw.world.users["coordinator"])
    a = qw.assessment_a
    zero = "00000000-0000-0000-0000-000000000000"
    assert client.get(f"/assessments/{zero}/").status_code == 404
    assert client.get(f"/assessments/{a.code}/ratings/{zero}/").status_code == 404
    assert client.get("/assessments/not-a-uuid/").status_code == 404
    # A rating of another assessment, under A's code.
    other = ratings_of(qw.assessment_b)[0]
    assert client.get(f"/assessments/{a.code}/ratings/{other.code}/").status_code == 404
