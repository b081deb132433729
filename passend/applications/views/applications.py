"""Application pages of the school and the application page itself: the school's list, starting
an application from a case, the dossier of a draft, expert advices, the dossier consent,
submitting, the application page (for the SWV only the parts the consent includes) and the
dossier PDF for the SWV's commission.

Lookups go through passend.applications.access (outside the scope 404, in scope without the
right 403); changes through passend.applications.services. Every page or PDF with a student's
data writes an audit event (passend.privacy.audit.record_view)."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from passend.agreements import documents
from passend.applications import access, dossier, services
from passend.applications import forms as application_forms
from passend.applications.choices import ApplicationStatus
from passend.applications.models import Application, ExpertAdvice
from passend.front.feedback import add_service_error, flash_errors
from passend.front.uploads import attachment_response
from passend.privacy.audit import record_view, record_views

PAGE_SIZE = 50


def filter_applications(applications, form):
    """``applications`` narrowed by the list filters (status, kind, school)."""
    filters = form.cleaned_data if form.is_valid() else {}
    status = filters.get("status", application_forms.OPEN)
    if status == application_forms.OPEN:
        applications = applications.exclude(status=ApplicationStatus.CLOSED)
    elif status != application_forms.ALL:
        applications = applications.filter(status=status)
    if kind := filters.get("kind"):
        applications = applications.filter(kind=kind)
    if school := filters.get("school"):
        applications = applications.filter(school=school)
    return applications


def list_page(request: HttpRequest, applications, form, template: str, context: dict):
    """A page of an application list, with each student shown audited (constant queries)."""
    applications = filter_applications(applications, form).select_related("student", "school")
    ordering = ["student__last_name", "student__first_name", "-created_at", "pk"]
    page_obj = Paginator(applications.order_by(*ordering), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    students = {a.student_id: a.student for a in page_obj}
    record_views(request, list(students.values()), "application_list")
    query_string = request.GET.copy()
    query_string.pop("page", None)
    context = {
        **context,
        "form": form,
        "page_obj": page_obj,
        "query_string": query_string.urlencode(),
    }
    return render(request, template, context)


@login_required
@require_GET
def school_list(request: HttpRequest, code) -> HttpResponse:
    """A school's applications, drafts included, for its coordinator and BPOs."""
    school = access.get_school_for_applications(request.user, code)
    form = application_forms.ListFilterForm(request.GET or None)
    return list_page(
        request,
        Application.objects.filter(school=school),
        form,
        "applications/school_list.html",
        {"school": school},
    )


# --- Drawing up the dossier ---------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def application_create(request: HttpRequest, code) -> HttpResponse:
    case = access.get_case_for_application(request.user, code)
    form = application_forms.StartForm(request.POST or None, partnership=case.partnership_id)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.start_application(
                case, kind=form.cleaned_data["kind"], acting_user=request.user
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("De aanvraag is aangemaakt. Vul nu het dossier aan."))
            return redirect("applications:application_edit", application.code)
    record_view(request, case.student, "application_create", obj=case)
    return render(
        request,
        "applications/application_create.html",
        {"form": form, "case": case, "student": case.student},
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_edit(request: HttpRequest, code) -> HttpResponse:
    application = access.get_application_for_user(request.user, code, write=True)
    form = application_forms.DossierForm(
        request.POST or None,
        application=application,
        initial=application_forms.DossierForm.initial_for(application),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_application(application, **form.cleaned_data, acting_user=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Het dossier is opgeslagen."))
            return redirect("applications:application_detail", application.code)
    record_view(request, application.student, "application_edit", obj=application)
    return render(
        request,
        "applications/application_edit.html",
        {"form": form, "application": application, "student": application.student},
    )


@login_required
@require_http_methods(["GET", "POST"])
def advice_create(request: HttpRequest, code) -> HttpResponse:
    application = access.get_application_for_user(request.user, code, write=True)
    form = application_forms.AdviceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_advice(application, **form.cleaned_data, acting_user=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Het deskundigenadvies is vastgelegd."))
            return redirect("applications:application_detail", application.code)
    record_view(request, application.student, "advice_create", obj=application)
    return render(
        request,
        "applications/advice_form.html",
        {"form": form, "application": application, "student": application.student},
    )


@login_required
@require_POST
def advice_delete(request: HttpRequest, code) -> HttpResponse:
    advice: ExpertAdvice = access.get_advice_for_user(request.user, code)
    application = advice.application
    try:
        services.remove_advice(advice, acting_user=request.user)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("Het deskundigenadvies is verwijderd."))
    return redirect("applications:application_detail", application.code)


@login_required
@require_http_methods(["GET", "POST"])
def dossier_consent(request: HttpRequest, code) -> HttpResponse:
    application = access.get_application_for_user(request.user, code, write=True)
    current = getattr(application, "dossier_consent", None)
    form = application_forms.DossierConsentForm(
        request.POST or None,
        application=application,
        initial=application_forms.DossierConsentForm.initial_for(current),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_dossier_consent(
                application, **form.cleaned_data, acting_user=request.user
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("De toestemming voor het dossier is vastgelegd."))
            return redirect("applications:application_detail", application.code)
    record_view(request, application.student, "dossier_consent", obj=application)
    student = application.student
    today = timezone.localdate()
    return render(
        request,
        "applications/consent_form.html",
        {
            "form": form,
            "application": application,
            "student": student,
            "age": student.age_on(today),
            "own_consent": student.gives_own_consent_on(today),
        },
    )


@login_required
@require_POST
def application_submit(request: HttpRequest, code) -> HttpResponse:
    application = access.get_application_for_user(request.user, code, write=True)
    try:
        services.submit_application(application, acting_user=request.user)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("De aanvraag is ingediend bij het SWV."))
    return redirect("applications:application_detail", application.code)


# --- The application page and the dossier PDF ---------------------------------------------------


@login_required
@require_GET
def application_detail(request: HttpRequest, code) -> HttpResponse:
    """The application with its dossier: for the school every part (marked included in the
    consent or not), for the SWV only the parts the consent includes."""
    application = access.get_application_for_user(request.user, code)
    built = dossier.build(application)
    application = built.application
    staff = access.can_write(request.user, application)
    record_view(request, application.student, "application", obj=application)
    actions = services.allowed_actions(application, request.user)
    return render(
        request,
        "applications/application_detail.html",
        {
            "application": application,
            "student": application.student,
            "dossier": built,
            "sections": built.sections if staff else built.for_swv,
            "staff": staff,
            "actions": actions,
            "problems": services.submission_problems(application, built.advices)
            if "submit" in actions
            else [],
            "history": application.status_changes.select_related("changed_by"),
        },
    )


def dossier_pdf_bytes(application: Application, *, uncompressed: bool = False) -> bytes:
    """The dossier for the SWV's commission: only the parts the consent includes, with the
    expert advices."""
    from passend.quality.reports import page_counter_css

    built = dossier.build(application)
    context = {
        "application": built.application,
        "student": built.application.student,
        "school": built.application.school,
        "dossier": built,
        "sections": built.for_swv,
        "generated_at": timezone.localtime(),
        "page_counter_css": page_counter_css(),
    }
    return documents.render_pdf("applications/pdf/dossier.html", context, uncompressed=uncompressed)


@login_required
@require_GET
def dossier_pdf(request: HttpRequest, code):
    application = access.get_application_for_user(request.user, code)
    pdf = dossier_pdf_bytes(application)
    record_view(request, application.student, "application_dossier_pdf", obj=application)
    name = documents.filename(
        "dossier", application.get_kind_display(), application.student.full_name
    )
    return attachment_response(io.BytesIO(pdf), name, name)


urlpatterns = [
    path("school/<uuid:code>/aanvragen/", school_list, name="school_list"),
    path("casussen/<uuid:code>/aanvraag/nieuw/", application_create, name="application_create"),
    path("aanvragen/<uuid:code>/", application_detail, name="application_detail"),
    path("aanvragen/<uuid:code>/dossier/", application_edit, name="application_edit"),
    path("aanvragen/<uuid:code>/advies/nieuw/", advice_create, name="advice_create"),
    path("deskundigenadviezen/<uuid:code>/verwijderen/", advice_delete, name="advice_delete"),
    path("aanvragen/<uuid:code>/toestemming/", dossier_consent, name="dossier_consent"),
    path("aanvragen/<uuid:code>/indienen/", application_submit, name="application_submit"),
    path("aanvragen/<uuid:code>/dossier.pdf", dossier_pdf, name="dossier_pdf"),
]
