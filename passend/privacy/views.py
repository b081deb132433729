"""Privacy pages of a student (coordinator only): who viewed the file, and the data export on
request (JSON and PDF). Access through passend.students.access; each export is itself
audited."""

from __future__ import annotations

import io
import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET

from passend.accounts.access import scope_for
from passend.agreements import documents
from passend.front.uploads import attachment_response
from passend.privacy.audit import record_view
from passend.privacy.export import access_log, student_data
from passend.students import access

PRIVACY_ROLES = access.ROSTER_ROLES  # the coordinator


def _student_for_privacy(request, code):
    student = access.get_student_for_user(request.user, code)
    if student.school_id not in scope_for(request.user).school_ids(PRIVACY_ROLES):
        raise PermissionDenied
    return student


@login_required
@require_GET
def student_access_log(request: HttpRequest, code) -> HttpResponse:
    student = _student_for_privacy(request, code)
    record_view(request, student, "access_log")
    page = Paginator(access_log(student), 50).get_page(request.GET.get("pagina"))
    return render(request, "privacy/access_log.html", {"student": student, "page": page})


def export_pdf_bytes(student, *, uncompressed: bool = False) -> bytes:
    from passend.quality.reports import page_counter_css

    context = {
        "student": student,
        "data": student_data(student),
        "generated_at": timezone.localtime(),
        "page_counter_css": page_counter_css(),
    }
    return documents.render_pdf("privacy/student_export.html", context, uncompressed=uncompressed)


@login_required
@require_GET
def student_export_json(request: HttpRequest, code) -> HttpResponse:
    student = _student_for_privacy(request, code)
    record_view(request, student, "export_json")
    data = json.dumps(student_data(student), ensure_ascii=False, indent=2).encode("utf-8")
    name = documents.filename("gegevens", student.student_number).removesuffix(".pdf") + ".json"
    response = FileResponse(
        io.BytesIO(data), as_attachment=True, filename=name, content_type="application/json"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def student_export_pdf(request: HttpRequest, code) -> HttpResponse:
    student = _student_for_privacy(request, code)
    record_view(request, student, "export_pdf")
    name = documents.filename("gegevens", student.student_number)
    return attachment_response(io.BytesIO(export_pdf_bytes(student)), name, name)


urlpatterns = [
    path("leerlingen/<uuid:code>/inzage/", student_access_log, name="student_access_log"),
    path("leerlingen/<uuid:code>/gegevens.json", student_export_json, name="student_export_json"),
    path("leerlingen/<uuid:code>/gegevens.pdf", student_export_pdf, name="student_export_pdf"),
]
