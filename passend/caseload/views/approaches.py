"""The partnership's library of approaches (methodieken, programma's, instrumenten) that
handelingsadviezen cite: read by everyone who works with cases in the partnership or holds an
SWV role there, kept by the partnership admin. Not student data."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from passend.caseload import access, services
from passend.caseload.forms.approaches import ApproachForm
from passend.caseload.models import Approach
from passend.front.feedback import add_service_error


def _approach(user, code) -> Approach:
    """An approach of a library the user reads (404), which they may edit (403)."""
    approach = (
        Approach.objects.filter(code=code, partnership_id__in=access.approach_partnership_ids(user))
        .select_related("partnership")
        .first()
    )
    if approach is None:
        raise Http404
    if not access.may_edit_approaches(user, approach.partnership):
        raise PermissionDenied
    return approach


@login_required
@require_GET
def approach_list(request: HttpRequest, code) -> HttpResponse:
    partnership = access.get_approach_partnership(request.user, code)
    approaches = Approach.objects.filter(partnership=partnership).order_by("-active", "name", "pk")
    return render(
        request,
        "caseload/approach_list.html",
        {
            "partnership": partnership,
            "approaches": approaches,
            "may_edit": access.may_edit_approaches(request.user, partnership),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def approach_create(request: HttpRequest, code) -> HttpResponse:
    partnership = access.get_approach_partnership(request.user, code, write=True)
    form = ApproachForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_approach(partnership, **form.cleaned_data, acting_user=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("De aanpak is toegevoegd aan de bibliotheek."))
            return redirect("caseload:approach_list", partnership.code)
    return render(
        request, "caseload/approach_form.html", {"form": form, "partnership": partnership}
    )


@login_required
@require_http_methods(["GET", "POST"])
def approach_edit(request: HttpRequest, code) -> HttpResponse:
    approach = _approach(request.user, code)
    partnership = approach.partnership
    form = ApproachForm(request.POST or None, initial=ApproachForm.initial_for(approach))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_approach(approach, **form.cleaned_data, acting_user=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("De aanpak is opgeslagen."))
            return redirect("caseload:approach_list", partnership.code)
    return render(
        request,
        "caseload/approach_form.html",
        {"form": form, "partnership": partnership, "approach": approach},
    )


urlpatterns = [
    path("swv/<uuid:code>/aanpakken/", approach_list, name="approach_list"),
    path("swv/<uuid:code>/aanpakken/nieuw/", approach_create, name="approach_create"),
    path("aanpakken/<uuid:code>/bewerken/", approach_edit, name="approach_edit"),
]
