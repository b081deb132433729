"""Roster import pages (the school's coordinator): upload a CSV/XLSX export of the student
system, check the column mapping and the validation of every row, then apply it in one step or
cancel. Imports are synchronous: even 50,000 rows are read and written in seconds.

Every lookup goes through passend.students.access (via passend.students.roster
.get_import_for_user); every change is a call of passend.students.roster.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from passend.front.feedback import add_service_error, flash_errors
from passend.students import access, roster
from passend.students.choices import RosterImportStatus
from passend.students.forms.roster import MappingForm, RosterUploadForm

#: Bad rows listed on the preview page (the count says how many there are in all).
LISTED_PROBLEMS = 1000


@login_required
@require_http_methods(["GET", "POST"])
def roster_upload(request: HttpRequest, code) -> HttpResponse:
    """The upload form and the school's earlier imports."""
    school = access.get_roster_school(request.user, code)
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = roster.upload(school, form.cleaned_data["file"], acting_user=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            return redirect("students:roster_preview", code=item.code)
    imports = roster.imports_of(school)[:10]
    context = {"school": school, "form": form, "imports": imports}
    return render(request, "students/roster_upload.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def roster_preview(request: HttpRequest, code) -> HttpResponse:
    """Mapping (POST saves it), the first rows, and the result of checking all rows."""
    item = roster.get_import_for_user(request.user, code)
    if item.status != RosterImportStatus.UPLOADED:
        return render(request, "students/roster_done.html", {"item": item, "school": item.school})
    try:
        table = roster.load(item)
    except ValidationError as error:
        flash_errors(request, error)
        return redirect("students:roster_upload", code=item.school.code)
    data = request.POST if request.method == "POST" else None
    form = MappingForm(
        data, initial=MappingForm.initial_for(roster.mapping_of(item)), headers=table.headers
    )
    if data is not None and form.is_valid():
        try:
            roster.set_mapping(item, form.mapping(), acting_user=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("De kolomindeling is opgeslagen en opnieuw gecontroleerd."))
            return redirect("students:roster_preview", code=item.code)
    mapping = roster.mapping_of(item)
    checked = roster.check(table, mapping, item.school)
    roster.record_preview(item, checked, request=request)
    labels, preview = roster.preview(table, mapping)
    context = {
        "item": item,
        "school": item.school,
        "form": form,
        "table": table,
        "checked": checked,
        "columns": labels,
        "preview": preview,
        "problems": checked.problems[:LISTED_PROBLEMS],
        "ignored": [h for h in table.headers if roster.is_forbidden(h)],
    }
    return render(request, "students/roster_preview.html", context)


@login_required
@require_POST
def roster_apply(request: HttpRequest, code) -> HttpResponse:
    """Write all rows in one transaction, or nothing; the uploaded file is deleted."""
    item = roster.get_import_for_user(request.user, code)
    try:
        counts = roster.apply(item, acting_user=request.user)
    except ValidationError as error:
        flash_errors(request, error)
        return redirect("students:roster_preview", code=item.code)
    messages.success(
        request,
        _(
            "Het leerlingenbestand is ingelezen: %(created)s nieuw, %(updated)s bijgewerkt, "
            "%(unchanged)s ongewijzigd, %(left)s uitgeschreven."
        )
        % counts,
    )
    return redirect("students:roster_preview", code=item.code)


@login_required
@require_POST
def roster_cancel(request: HttpRequest, code) -> HttpResponse:
    """Stop the import; the uploaded file is deleted."""
    item = roster.get_import_for_user(request.user, code)
    try:
        roster.cancel(item, acting_user=request.user)
    except ValidationError as error:
        flash_errors(request, error)
        return redirect("students:roster_preview", code=item.code)
    messages.success(request, _("De import is afgebroken; het bestand is verwijderd."))
    return redirect("students:roster_upload", code=item.school.code)


urlpatterns = [
    path("school/<uuid:code>/leerlingen/import/", roster_upload, name="roster_upload"),
    path("leerlingen/import/<uuid:code>/", roster_preview, name="roster_preview"),
    path("leerlingen/import/<uuid:code>/inlezen/", roster_apply, name="roster_apply"),
    path("leerlingen/import/<uuid:code>/afbreken/", roster_cancel, name="roster_cancel"),
]
