"""The SWV overview of the quality framework: the matrix of schools × aspects (rows per role,
filters, counts, a constant number of queries), its XLSX and CSV exports, a school's
year-over-year comparison and the assessment as PDF.

Expected values are derived from the database, not copied from the page.
"""

from __future__ import annotations

import csv
import io
import re
import time
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from passend.accounts.choices import Role
from passend.accounts.middleware import SESSION_STARTED_KEY
from passend.audit.models import AuditEvent
from passend.organisations.models import School, SchoolYear
from passend.quality import reports
from passend.quality.choices import AssessmentStatus, Rating
from passend.quality.models import AspectRating, QualityAspect, QualityAssessment
from passend.quality.services import (
    comment_on_aspect,
    copy_framework,
    publish_framework,
    review_assessment,
    start_assessment,
)
from tests import factories
from tests.pdftext import pdf_text


@pytest.fixture(autouse=True)
def _plain_settings(settings):
    settings.REQUIRE_2FA = False


def sign_in(client, user) -> None:
    client.force_login(user)
    session = client.session
    session[SESSION_STARTED_KEY] = time.time()
    session.save()


def matrix_url(qw, fmt: str = "") -> str:
    name = {"": "quality:matrix", "xlsx": "quality:matrix_xlsx", "csv": "quality:matrix_csv"}[fmt]
    return reverse(name, args=[qw.framework.code])


def get_matrix(client, qw, user, data=None):
    sign_in(client, user)
    response = client.get(matrix_url(qw), data or {})
    assert response.status_code == 200
    return response, response.context["matrix"]


def school_names(matrix) -> set[str]:
    return {row.school.name for row in matrix.rows}


def rate(assessment, number: str, value: str) -> None:
    """Set one rating directly (test set-up; the services are tested elsewhere)."""
    AspectRating.objects.filter(assessment=assessment, aspect__number=number).update(rating=value)


def db_ratings(qw) -> dict[tuple[int, str], str]:
    return {
        (school_id, number): rating
        for school_id, number, rating in AspectRating.objects.filter(
            assessment__school_year=qw.year
        ).values_list("school_id", "aspect__number", "rating")
    }


@pytest.fixture
def rated(quality_world):
    """School A with a mix of ratings (the rest still unrated), B all 'meets' (submitted)."""
    qw = quality_world
    rate(qw.assessment_a, "1", Rating.PARTLY)
    rate(qw.assessment_a, "2", Rating.NOT_MET)
    rate(qw.assessment_a, "3", Rating.NOT_APPLICABLE)
    rate(qw.assessment_a, "16.1", Rating.MEETS)
    rate(qw.assessment_b, "4", Rating.PARTLY)
    return qw


# --- The matrix --------------------------------------------------------------------------------


def test_matrix_for_partnership_admin_shows_every_school_of_p_with_its_ratings(client, rated):
    qw = rated
    w = qw.world
    response, matrix = get_matrix(client, qw, w.users["partnership_admin"])
    assert school_names(matrix) == set(
        School.objects.filter(partnership=w.p).values_list("name", flat=True)
    )
    numbers = list(
        qw.framework.aspects.order_by("section__position", "sort_key").values_list(
            "number", flat=True
        )
    )
    assert [a.number for a in matrix.aspects] == numbers
    expected = db_ratings(qw)
    for row in matrix.rows:
        assert [cell.value for cell in row.cells] == [
            expected.get((row.school.pk, n), "") for n in numbers
        ], row.school.name
    by_name = {row.school.name: row for row in matrix.rows}
    assert by_name["School Bee"].status == AssessmentStatus.SUBMITTED
    assert by_name["School Aa"].status == AssessmentStatus.DRAFT

    body = response.content.decode()
    assert "School Aa" in body and "School Bee" in body and "School Cee" not in body
    # Readable without colour: each cell has the symbol and the label as text.
    a_row = re.search(r"School Aa.*?</tr>", body, re.S).group(0)
    assert (
        '<span aria-hidden="true">◐</span><span class="passend-visually-hidden">Voldoet deels'
        in a_row
    )
    assert "✘" in a_row and "Voldoet niet" in a_row
    assert '<span aria-hidden="true">?</span>' in a_row and "Nog niet ingevuld" in a_row
    assert 'scope="row"' in body and 'scope="col"' in body and "<caption" in body
    assert "style=" not in body and "<style" not in body
    # The school links to its year-over-year comparison.
    assert reverse("quality:school_comparison", args=[w.a.code]) in body


def test_matrix_rows_follow_the_role(client, rated):
    qw = rated
    w = qw.world
    cases = {
        "consultant": {"School Aa"},  # assigned to A only
        "coordinator": {"School Aa"},
        "director": {"School Aa"},
        "bpo": {"School Aa"},
        "coordinator_b": {"School Bee"},
    }
    for persona, expected in cases.items():
        client.logout()
        response, matrix = get_matrix(client, qw, w.users[persona])
        assert school_names(matrix) == expected, persona
        body = response.content.decode()
        for hidden in {"School Aa", "School Bee", "School Cee"} - expected:
            assert hidden not in body, (persona, hidden)


def test_mine_filter_is_the_consultants_own_schools(client, rated):
    qw = rated
    w = qw.world
    consultant = w.users["consultant"]
    response, matrix = get_matrix(client, qw, consultant, {"mine": "1"})
    assert "mine" in response.context["form"].fields
    assert school_names(matrix) == {"School Aa"}

    # An SWV-wide consultant sees every school, and all of them are 'mine'.
    swv_consultant = factories.member(Role.CONSULTANT, partnership=w.p)
    client.logout()
    _response, matrix = get_matrix(client, qw, swv_consultant)
    assert school_names(matrix) == {"School Aa", "School Bee"}
    _response, matrix = get_matrix(client, qw, swv_consultant, {"mine": "1"})
    assert school_names(matrix) == {"School Aa", "School Bee"}

    # A partnership_admin is nobody's consultant: the filter is not offered (and ignored).
    client.logout()
    response, matrix = get_matrix(client, qw, w.users["partnership_admin"], {"mine": "1"})
    assert "mine" not in response.context["form"].fields
    assert school_names(matrix) == {"School Aa", "School Bee"}


def test_status_filter(client, rated):
    qw = rated
    w = qw.world
    factories.school(w.p, name="School Dee")  # no assessment yet
    admin = w.users["partnership_admin"]
    cases = {
        AssessmentStatus.SUBMITTED: {"School Bee"},
        AssessmentStatus.DRAFT: {"School Aa"},
        AssessmentStatus.REVIEWED: set(),
        reports.STATUS_NONE: {"School Dee"},
        "": {"School Aa", "School Bee", "School Dee"},
    }
    for status, expected in cases.items():
        response, matrix = get_matrix(client, qw, admin, {"status": status})
        assert school_names(matrix) == expected, status
    dee = next(r for r in matrix.rows if r.school.name == "School Dee")
    assert dee.status == "" and dee.assessment_code is None
    assert all(cell.value == "" for cell in dee.cells)
    # An unknown status is reported and filters nothing.
    response, matrix = get_matrix(client, qw, admin, {"status": "bogus"})
    assert response.context["form"].errors
    assert school_names(matrix) == {"School Aa", "School Bee", "School Dee"}


def test_htmx_request_gets_only_the_matrix(client, rated):
    qw = rated
    sign_in(client, qw.world.users["partnership_admin"])
    response = client.get(matrix_url(qw), {"status": "draft"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="matrix"')
    assert "<html" not in body
    assert "School Aa" in body and "School Bee" not in body
    # The export links carry the filter.
    assert f"{matrix_url(qw, 'xlsx')}?status=draft" in body


def test_counts_per_aspect_equal_the_database(client, rated):
    qw = rated
    w = qw.world
    factories.school(w.p, name="School Dee")  # counts as 'not rated' everywhere
    _response, matrix = get_matrix(client, qw, w.users["partnership_admin"])
    schools = School.objects.filter(partnership=w.p)
    for aspect, counts in zip(matrix.aspects, matrix.counts, strict=True):
        in_db = Counter(
            AspectRating.objects.filter(
                assessment__school_year=qw.year, school__in=schools, aspect__number=aspect.number
            ).values_list("rating", flat=True)
        )
        for value in Rating.values:
            assert counts[value] == in_db[value], (aspect.number, value)
        rated_count = sum(in_db[v] for v in Rating.values)
        assert counts[""] == schools.count() - rated_count, aspect.number
    # The footer rows show the same numbers, per rating.
    count_rows = {display.value: numbers for display, numbers in matrix.count_rows}
    first = matrix.aspects.index(next(a for a in matrix.aspects if a.number == "1"))
    assert count_rows[Rating.PARTLY][first] == 1  # school A
    assert count_rows[Rating.MEETS][first] == 1  # school B
    assert count_rows[""][first] == 1  # school Dee


def add_rated_schools(qw, n: int, offset: int) -> None:
    """``n`` schools of P, each with a submitted assessment rating every aspect (bulk)."""
    w = qw.world
    board = factories.board()
    schools = School.objects.bulk_create(
        School(
            partnership=w.p,
            board=board,
            institution_code=f"Z{offset + i:03d}",
            location_code=f"Z{offset + i:03d}00",
            name=f"Matrixschool {offset + i:03d}",
        )
        for i in range(n)
    )
    assessments = QualityAssessment.objects.bulk_create(
        QualityAssessment(
            partnership=w.p,
            school=school,
            school_year=qw.year,
            framework=qw.framework,
            status=AssessmentStatus.SUBMITTED,
        )
        for school in schools
    )
    values = [*Rating.values, ""]
    aspects = list(qw.framework.aspects.all())
    AspectRating.objects.bulk_create(
        AspectRating(
            assessment=assessment,
            school=assessment.school,
            aspect=aspect,
            rating=values[(i + j) % len(values)],
        )
        for i, assessment in enumerate(assessments)
        for j, aspect in enumerate(aspects)
    )


def test_matrix_query_count_is_constant(client, quality_world):
    qw = quality_world
    w = qw.world
    # 30 aspects, as in the acceptance criterion (the shipped framework has 27).
    section = qw.framework.sections.order_by("-position").first()
    for number in ("19", "20", "21"):
        QualityAspect.objects.create(
            framework=qw.framework,
            section=section,
            number=number,
            text=f"Extra aspect {number}",
            responsibility=section.responsibility,
        )
    assert qw.framework.aspects.count() == 30
    sign_in(client, w.users["partnership_admin"])
    url = matrix_url(qw)
    client.get(url)  # warm-up: first-request work (session, content types) is not counted

    add_rated_schools(qw, 1, offset=0)  # with A and B: 3 schools
    with CaptureQueriesContext(connection) as small:
        response = client.get(url)
    assert len(response.context["matrix"].rows) == 3

    add_rated_schools(qw, 97, offset=1)  # 100 schools
    with CaptureQueriesContext(connection) as big:
        response = client.get(url)
    matrix = response.context["matrix"]
    assert len(matrix.rows) == 100
    assert len(matrix.aspects) == 30
    assert sum(1 for row in matrix.rows for cell in row.cells if cell.is_rated) > 2000
    assert len(big.captured_queries) == len(small.captured_queries), [
        q["sql"] for q in big.captured_queries
    ]


# --- Exports -----------------------------------------------------------------------------------


def test_xlsx_export_reads_back(client, rated):
    qw = rated
    w = qw.world
    sign_in(client, w.users["partnership_admin"])
    response = client.get(matrix_url(qw, "xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith("attachment;")
    assert ".xlsx" in response["Content-Disposition"]

    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    numbers = [a.number for a in qw.framework.aspects.order_by("section__position", "sort_key")]
    assert list(rows[0]) == ["School", "Vestigingscode", "Status", *numbers]
    assert sheet.freeze_panes == "D2"
    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) == {"School Aa", "School Bee"}
    a_row = dict(zip(numbers, by_name["School Aa"][3:], strict=True))
    assert a_row["1"] == "Voldoet deels"
    assert a_row["2"] == "Voldoet niet"
    assert a_row["3"] == "N.v.t."
    assert a_row["16.1"] == "Voldoet"
    assert a_row["5"] is None  # not rated: empty
    assert by_name["School Bee"][1] == w.b.location_code
    assert by_name["School Bee"][2] == "Ingediend"
    # The aspects' texts and the counts are on their own sheets.
    legend = {row[0]: row[2] for row in workbook["Aspecten"].iter_rows(min_row=2, values_only=True)}
    assert legend["16.1"] == qw.framework.aspects.get(number="16.1").text
    totals = list(workbook["Aantallen"].iter_rows(values_only=True))
    assert totals[0][:3] == ("Aspect", "Voldoet", "Voldoet deels")
    assert dict((row[0], row[1:]) for row in totals[1:])["1"][:2] == (1, 1)
    assert AuditEvent.objects.filter(action="framework.export_matrix").exists()


def test_csv_export_reads_back_and_is_injection_safe(client, rated):
    qw = rated
    w = qw.world
    w.b.name = '=HYPERLINK("https://evil.example","klik")'
    w.b.save()
    sign_in(client, w.users["partnership_admin"])
    response = client.get(matrix_url(qw, "csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.startswith("\ufeff".encode())  # BOM: Excel reads UTF-8
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    numbers = [a.number for a in qw.framework.aspects.order_by("section__position", "sort_key")]
    assert rows[0] == ["School", "Vestigingscode", "Status", *(f"Aspect {n}" for n in numbers)]
    by_code = {row[1]: row for row in rows[1:]}
    a_row = dict(zip(numbers, by_code[w.a.location_code][3:], strict=True))
    assert by_code[w.a.location_code][0] == "School Aa"
    assert a_row["1"] == "Voldoet deels" and a_row["16.1"] == "Voldoet" and a_row["5"] == ""
    # A cell that starts like a formula is prefixed with a quote.
    assert by_code[w.b.location_code][0] == "'" + w.b.name

    # XLSX: the same name is stored as text, not as a formula.
    xlsx = client.get(matrix_url(qw, "xlsx"))
    sheet = load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    cell = next(c for c in sheet["A"] if c.value == w.b.name)
    assert cell.data_type == "s"


def test_exports_follow_the_filter_and_the_role(client, rated):
    qw = rated
    w = qw.world
    sign_in(client, w.users["partnership_admin"])
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(matrix_url(qw, "csv"), {"status": "draft"}).content.decode("utf-8-sig")
            ),
            delimiter=";",
        )
    )
    assert [row[0] for row in rows[1:]] == ["School Aa"]
    client.logout()
    sign_in(client, w.users["coordinator_b"])
    sheet = load_workbook(io.BytesIO(client.get(matrix_url(qw, "xlsx")).content)).worksheets[0]
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["School Bee"]


def test_spreadsheet_safe():
    for risky in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert reports.spreadsheet_safe(risky) == "'" + risky
    for plain in ("School Aa", "N.v.t.", "– n.v.t.", ""):
        assert reports.spreadsheet_safe(plain) == plain


# --- Year-over-year comparison -----------------------------------------------------------------


def test_comparison_shows_two_years_with_changes(client, quality_world):
    qw = quality_world
    w = qw.world
    admin = w.users["partnership_admin"]
    previous_year = SchoolYear.get_or_create_for_start_year(qw.year.start.year - 1)
    old_framework = copy_framework(qw.framework, school_year=previous_year, acting_user=admin)
    publish_framework(old_framework, acting_user=admin)
    old = start_assessment(
        school=w.b, school_year=previous_year, acting_user=w.users["coordinator_b"]
    )
    AspectRating.objects.filter(assessment=old).update(rating=Rating.MEETS)
    rate(old, "1", Rating.PARTLY)  # partly → meets: better
    rate(old, "3", Rating.MEETS)
    rate(qw.assessment_b, "3", Rating.NOT_MET)  # meets → not met: worse
    rate(old, "4", Rating.NOT_APPLICABLE)  # n.v.t. → meets: not comparable

    sign_in(client, w.users["partnership_admin"])
    response = client.get(reverse("quality:school_comparison", args=[w.b.code]))
    assert response.status_code == 200
    comparison = response.context["comparison"]
    assert [a.school_year for a in comparison.assessments] == [previous_year, qw.year]
    rows = {row.number: row for row in comparison.rows}
    assert [c.rating.value for c in rows["1"].cells] == [Rating.PARTLY, Rating.MEETS]
    assert [c.change for c in rows["1"].cells] == ["", "better"]
    assert rows["3"].cells[1].change == "worse"
    assert rows["4"].cells[1].change == ""
    assert rows["2"].cells[1].change == "same"
    assert comparison.changes == Counter({"same": len(rows) - 3, "better": 1, "worse": 1})
    body = response.content.decode()
    assert previous_year.name in body and qw.year.name in body
    # The change is said in text, not by colour alone.
    assert "beter dan het jaar ervoor" in body and "slechter dan het jaar ervoor" in body
    assert "style=" not in body
    # Each year's assessment can be downloaded as PDF from here.
    assert reverse("quality:assessment_pdf", args=[old.code]) in body
    assert reverse("quality:assessment_pdf", args=[qw.assessment_b.code]) in body


def test_comparison_without_assessments(client, world):
    sign_in(client, world.users["partnership_admin"])
    response = client.get(reverse("quality:school_comparison", args=[world.b.code]))
    assert response.status_code == 200
    assert "nog geen zelfevaluatie" in response.content.decode()


# --- PDF ---------------------------------------------------------------------------------------


def test_assessment_pdf(client, quality_world):
    qw = quality_world
    w = qw.world
    b = qw.assessment_b
    consultant = factories.member(Role.CONSULTANT, partnership=w.p)  # SWV-wide: reviews B
    rating_1 = b.ratings.select_related("aspect", "assessment").get(aspect__number="1")
    comment_on_aspect(rating_1, acting_user=consultant, review_comment="Mooi onderbouwd.")
    review_assessment(b, acting_user=consultant, review_comment="Goed op weg, Bee.")
    AspectRating.objects.filter(pk=rating_1.pk).update(evidence_filename="werkafspraken.pdf")

    sign_in(client, w.users["coordinator_b"])
    response = client.get(reverse("quality:assessment_pdf", args=[b.code]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "school-bee" in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(
        action="assessment.export_pdf", object_code=str(b.code)
    ).exists()

    # The same document, uncompressed, read back as text the way a PDF reader extracts it.
    b.refresh_from_db()
    text = pdf_text(reports.assessment_pdf(b, uncompressed=True))
    for expected in (
        "School Bee",
        w.b.location_code,
        "SWV Pe",
        "Zelfevaluatie kwaliteitskader BPO",
        qw.year.name,
        "Beoordeeld",
        "Zie werkafspraken.",
        "werkafspraken.pdf",
        "Mooi onderbouwd.",
        "Goed op weg, Bee.",
        consultant.full_name,
        "Pagina 2 van",
    ):
        assert expected in text, expected
    # Every aspect is there with its number.
    for number in qw.framework.aspects.values_list("number", flat=True):
        assert re.search(rf"^{re.escape(number)}$", text, re.M), number


def test_pdf_and_comparison_are_for_those_who_see_the_assessment(client, quality_world):
    qw = quality_world
    w = qw.world
    pdf_a = reverse("quality:assessment_pdf", args=[qw.assessment_a.code])
    comparison_a = reverse("quality:school_comparison", args=[w.a.code])
    for persona in ("coordinator_b", "partner", "mentor", "office", "other_swv", "no_role"):
        client.logout()
        sign_in(client, w.users[persona])
        assert client.get(pdf_a).status_code == 404, persona
        assert client.get(comparison_a).status_code == 404, persona
        assert client.get(matrix_url(qw)).status_code == (
            200 if persona == "coordinator_b" else 404
        ), persona
    assert not AuditEvent.objects.filter(action="assessment.export_pdf").exists()
