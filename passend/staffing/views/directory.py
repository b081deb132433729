"""Staffing views: the SWV directory of coordinators and BPOs per school (seed 000 §5), its
exports and the office's contact edit. Access through passend.staffing.access: SWV roles and the
coordinators/directors of the SWV's schools read it; the office and partnership_admin maintain
it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from passend.accounts.access import scope_for
from passend.audit.services import record
from passend.front.feedback import add_service_error
from passend.staffing import access, directory
from passend.staffing.forms.directory import ContactForm, DirectorySearchForm

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _directory(request: HttpRequest, partnership_code):
    partnership = access.get_partnership_for_directory(request.user, partnership_code)
    form = DirectorySearchForm(request.GET or None)
    data = directory.build_directory(partnership, query=form.query())
    return partnership, form, data


def _may_maintain(user, partnership) -> bool:
    return partnership.pk in scope_for(user).partnership_ids(access.DIRECTORY_MAINTAIN_ROLES)


@login_required
@require_GET
def directory_view(request: HttpRequest, partnership_code) -> HttpResponse:
    """Per school its coordinators and BPOs: name, role, e-mail, phone, hours per week."""
    partnership, form, data = _directory(request, partnership_code)
    template = "staffing/directory/directory.html"
    if request.htmx:
        template += "#results"
    return render(
        request,
        template,
        {
            "partnership": partnership,
            "form": form,
            "directory": data,
            "query": request.GET.urlencode(),
            "may_maintain": _may_maintain(request.user, partnership),
        },
    )


@login_required
@require_GET
def directory_xlsx(request: HttpRequest, partnership_code) -> HttpResponse:
    partnership, _form, data = _directory(request, partnership_code)
    record("directory.export", actor=request.user, obj=partnership, request=request, format="xlsx")
    return _attachment(
        directory.directory_xlsx(data), XLSX_TYPE, directory.export_filename(data, "xlsx")
    )


@login_required
@require_GET
def directory_csv(request: HttpRequest, partnership_code) -> HttpResponse:
    partnership, _form, data = _directory(request, partnership_code)
    record("directory.export", actor=request.user, obj=partnership, request=request, format="csv")
    return _attachment(
        directory.directory_csv(data),
        "text/csv; charset=utf-8",
        directory.export_filename(data, "csv"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def directory_contact_edit(request: HttpRequest, partnership_code, user_code) -> HttpResponse:
    """The office corrects a listed person's name and phone number."""
    partnership = access.get_partnership_for_directory(
        request.user, partnership_code, maintain=True
    )
    person = directory.get_listed_person(partnership, user_code)
    form = ContactForm(
        request.POST or None, initial={"full_name": person.full_name, "phone": person.phone}
    )
    back = reverse("staffing:directory", args=[partnership.code])
    if request.method == "POST" and form.is_valid():
        try:
            directory.update_contact(
                person,
                partnership=partnership,
                full_name=form.cleaned_data["full_name"],
                phone=form.cleaned_data["phone"],
                acting_user=request.user,
                request=request,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, _("De gegevens van %(name)s zijn opgeslagen.") % {"name": person}
            )
            return redirect(back)
    return render(
        request,
        "staffing/directory/contact_form.html",
        {"partnership": partnership, "person": person, "form": form, "back": back},
    )


urlpatterns = [
    path("partnerships/<uuid:partnership_code>/directory/", directory_view, name="directory"),
    path(
        "partnerships/<uuid:partnership_code>/directory.xlsx",
        directory_xlsx,
        name="directory_xlsx",
    ),
    path("partnerships/<uuid:partnership_code>/directory.csv", directory_csv, name="directory_csv"),
    path(
        "partnerships/<uuid:partnership_code>/directory/<uuid:user_code>/",
        directory_contact_edit,
        name="directory_contact_edit",
    ),
]
