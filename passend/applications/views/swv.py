"""The SWV's side of applications: the list of submitted applications of the partnership's schools
(filters: status, kind, school), taking one under review, the decision, an objection, closing,
and the kinds of application the partnership uses (its partnership_admin).

Lookups go through passend.applications.access: the SWV sees an application only once it is
submitted and only for the schools in its reach (404 otherwise); the school's own staff get 403
on the SWV's actions. Changes go through passend.applications.services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from passend.applications import access, services
from passend.applications import forms as application_forms
from passend.applications.choices import ApplicationKind
from passend.applications.views.applications import list_page
from passend.front.feedback import add_service_error, flash_errors
from passend.privacy.audit import record_view


@login_required
@require_GET
def swv_list(request: HttpRequest, code) -> HttpResponse:
    """The submitted applications of the partnership's schools in the user's reach."""
    partnership = access.get_partnership_for_swv(request.user, code)
    schools = access.swv_schools(request.user, partnership)
    form = application_forms.ListFilterForm(request.GET or None, schools=schools)
    applications = access.visible_applications(request.user).filter(
        partnership=partnership, school__in=schools, submitted_on__isnull=False
    )
    return list_page(
        request,
        applications,
        form,
        "applications/swv_list.html",
        {
            "partnership": partnership,
            "may_set_kinds": access.may_set_kinds(request.user, partnership),
        },
    )


@login_required
@require_POST
def application_review(request: HttpRequest, code) -> HttpResponse:
    application = access.get_application_for_user(request.user, code, decide=True)
    try:
        services.start_review(application, acting_user=request.user)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("De aanvraag is in behandeling genomen."))
    return redirect("applications:application_detail", application.code)


@login_required
@require_http_methods(["GET", "POST"])
def application_decide(request: HttpRequest, code) -> HttpResponse:
    application = access.get_application_for_user(request.user, code, decide=True)
    form = application_forms.DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.decide_application(application, **form.cleaned_data, acting_user=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("Het besluit is vastgelegd: %(outcome)s.")
                % {"outcome": application.get_outcome_display().lower()},
            )
            return redirect("applications:application_detail", application.code)
    record_view(request, application.student, "application_decide", obj=application)
    return render(
        request,
        "applications/decision_form.html",
        {"form": form, "application": application, "student": application.student},
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_objection(request: HttpRequest, code) -> HttpResponse:
    application = access.get_application_for_user(request.user, code, decide=True)
    form = application_forms.ObjectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_objection(
                application, filed_on=form.cleaned_data["filed_on"], acting_user=request.user
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Het bezwaar is vastgelegd."))
            return redirect("applications:application_detail", application.code)
    record_view(request, application.student, "application_objection", obj=application)
    return render(
        request,
        "applications/objection_form.html",
        {"form": form, "application": application, "student": application.student},
    )


@login_required
@require_POST
def application_close(request: HttpRequest, code) -> HttpResponse:
    application = access.get_application_for_user(request.user, code, decide=True)
    try:
        services.close_application(application, acting_user=request.user)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("De aanvraag is afgesloten."))
    return redirect("applications:application_detail", application.code)


@login_required
@require_http_methods(["GET", "POST"])
def kinds_edit(request: HttpRequest, code) -> HttpResponse:
    """The kinds of application the partnership's schools can start (partnership_admin)."""
    partnership = access.get_partnership_for_swv(request.user, code, manage=True)
    # Not ``request.POST or None``: with every box unchecked the POST can be empty.
    form = application_forms.KindsForm(
        request.POST if request.method == "POST" else None,
        initial={"kinds": services.kinds_in_use(partnership)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.set_kinds_in_use(
                partnership, form.cleaned_data["kinds"], acting_user=request.user
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("De soorten aanvragen zijn opgeslagen."))
            return redirect("applications:swv_list", partnership.code)
    return render(
        request,
        "applications/kinds_form.html",
        {"form": form, "partnership": partnership, "all_kinds": ApplicationKind.choices},
    )


urlpatterns = [
    path("swv/<uuid:code>/aanvragen/", swv_list, name="swv_list"),
    path("swv/<uuid:code>/aanvraagsoorten/", kinds_edit, name="kinds_edit"),
    path("aanvragen/<uuid:code>/in-behandeling/", application_review, name="application_review"),
    path("aanvragen/<uuid:code>/besluit/", application_decide, name="application_decide"),
    path("aanvragen/<uuid:code>/bezwaar/", application_objection, name="application_objection"),
    path("aanvragen/<uuid:code>/afsluiten/", application_close, name="application_close"),
]
