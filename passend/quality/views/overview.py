"""Quality framework views: overview — the SWV matrix of schools × aspects with its exports, a
school's year-over-year comparison and an assessment as PDF. The data comes from
passend.quality.reports; every lookup goes through passend.quality.access."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from passend.accounts.access import scope_for
from passend.accounts.choices import Role
from passend.audit.services import record
from passend.quality import access, reports
from passend.quality.forms.overview import MatrixFilterForm

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _filtered_matrix(request: HttpRequest, framework_code):
    framework = access.get_framework_for_user(request.user, framework_code)
    scope = scope_for(request.user)
    is_consultant = bool(
        scope.partnership_ids({Role.CONSULTANT}) or scope.school_ids({Role.CONSULTANT})
    )
    form = MatrixFilterForm(request.GET or None, show_mine=is_consultant)
    matrix = reports.build_matrix(request.user, framework, **form.filters())
    return framework, form, matrix


@login_required
@require_GET
def matrix(request: HttpRequest, framework_code) -> HttpResponse:
    """The framework's school year: every school the user may see × every aspect."""
    framework, form, data = _filtered_matrix(request, framework_code)
    query = request.GET.urlencode()
    template = "quality/overview/matrix.html"
    if request.htmx:
        template += "#matrix"
    return render(
        request,
        template,
        {
            "framework": framework,
            "form": form,
            "matrix": data,
            "query": query,
            "framework_url": reports.optional_url("quality:framework_detail", framework.code),
        },
    )


@login_required
@require_GET
def matrix_xlsx(request: HttpRequest, framework_code) -> HttpResponse:
    framework, _form, data = _filtered_matrix(request, framework_code)
    record(
        "framework.export_matrix", actor=request.user, obj=framework, request=request, format="xlsx"
    )
    return _attachment(reports.matrix_xlsx(data), XLSX_TYPE, reports.export_filename(data, "xlsx"))


@login_required
@require_GET
def matrix_csv(request: HttpRequest, framework_code) -> HttpResponse:
    framework, _form, data = _filtered_matrix(request, framework_code)
    record(
        "framework.export_matrix", actor=request.user, obj=framework, request=request, format="csv"
    )
    return _attachment(
        reports.matrix_csv(data), "text/csv; charset=utf-8", reports.export_filename(data, "csv")
    )


@login_required
@require_GET
def school_comparison(request: HttpRequest, school_code) -> HttpResponse:
    """A school's ratings per aspect over the school years, with the changes."""
    school = access.get_school_for_assessments(request.user, school_code)
    comparison = reports.school_comparison(school)
    return render(
        request,
        "quality/overview/school_comparison.html",
        {
            "school": school,
            "comparison": comparison,
            "columns": [
                (
                    a,
                    reports.status_label(a.status),
                    reports.optional_url("quality:assessment_detail", a.code),
                    reverse("quality:assessment_pdf", args=[a.code]),
                )
                for a in comparison.assessments
            ],
        },
    )


@login_required
@require_GET
def assessment_pdf(request: HttpRequest, code) -> HttpResponse:
    """The assessment in the SWV's format (title page, aspects, comments) as a PDF download."""
    assessment = access.get_assessment_for_user(request.user, code)
    pdf = reports.assessment_pdf(assessment)
    record("assessment.export_pdf", actor=request.user, obj=assessment, request=request)
    return _attachment(pdf, "application/pdf", reports.pdf_filename(assessment))


urlpatterns = [
    path("frameworks/<uuid:framework_code>/matrix/", matrix, name="matrix"),
    path("frameworks/<uuid:framework_code>/matrix.xlsx", matrix_xlsx, name="matrix_xlsx"),
    path("frameworks/<uuid:framework_code>/matrix.csv", matrix_csv, name="matrix_csv"),
    path(
        "schools/<uuid:school_code>/assessments/compare/",
        school_comparison,
        name="school_comparison",
    ),
    path("assessments/<uuid:code>/pdf/", assessment_pdf, name="assessment_pdf"),
]
