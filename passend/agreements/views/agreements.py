"""Werkafspraken pages (aspects 4, 6, 7 and 9): a BPO's own werkafspraken, a school's
werkafspraken per school year, drafting and editing a version (coordinator), confirming
(coordinator and BPO), acknowledging (director), and the PDF for signing and archiving.

Every lookup goes through passend.agreements.access (404 outside the scope, 403 without the
right); every change is a call of passend.agreements.services.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from passend.agreements import access, agreement_document, services
from passend.agreements.forms.agreements import (
    AgreementCreateForm,
    AgreementForm,
    TaskFormSet,
    YearForm,
    task_initial,
)
from passend.agreements.models import WorkAgreement
from passend.audit.services import record
from passend.front.feedback import add_service_error, flash_errors
from passend.organisations.models import SchoolYear
from passend.staffing.evidence import weekdays

TASK_PREFIX = "taken"


def _detail_url(agreement: WorkAgreement) -> str:
    return reverse("agreements:agreement_detail", args=[agreement.code])


def _with_totals(agreements):
    """Agreements with their BPO, confirmers and total agreed hours (one query)."""
    return agreements.select_related(
        "school", "school_year", "bpo", "coordinator_confirmed_by", "acknowledged_by"
    ).annotate(total_hours=Sum("tasks__hours"))


def _year_from(request: HttpRequest) -> SchoolYear:
    """The school year of ``?jaar=2026-2027``; the current one when absent or unknown."""
    name = request.GET.get("jaar", "")
    year = SchoolYear.objects.filter(name=name[:9]).first() if name else None
    return year or SchoolYear.current()


# --- Lists ---------------------------------------------------------------------------------------


@login_required
@require_GET
def my_agreements(request: HttpRequest) -> HttpResponse:
    """The signed-in user's own werkafspraken, newest school year and version first."""
    agreements = _with_totals(
        access.visible_agreements(request.user).filter(bpo=request.user)
    ).order_by("-school_year__start", "school__name", "-version")
    return render(
        request, "agreements/agreements/my_agreements.html", {"agreements": list(agreements)}
    )


@login_required
@require_GET
def school_agreements(request: HttpRequest, code) -> HttpResponse:
    """The latest version per BPO in a school year, and the school's BPOs without werkafspraken
    for that year. Constant queries in the number of agreements."""
    school = access.get_agreement_school(request.user, code)
    year = _year_from(request)
    agreements = list(
        _with_totals(
            access.visible_agreements(request.user)
            .latest_versions()
            .filter(school=school, school_year=year)
        ).order_by("bpo__full_name", "bpo__email")
    )
    with_agreement = {a.bpo_id for a in agreements}
    years = SchoolYear.objects.filter(
        Q(pk__in=WorkAgreement.objects.filter(school=school).values("school_year"))
        | Q(pk__in=[year.pk, SchoolYear.current().pk])
    ).order_by("-start")
    context = {
        "school": school,
        "year": year,
        "year_form": YearForm(initial={"jaar": year.name}, years=years),
        "agreements": agreements,
        "without": [b for b in services.bpo_choices(school, year) if b.pk not in with_agreement],
        "may_draft": access.can(request.user, school, access.DRAFT_ROLES),
    }
    return render(request, "agreements/agreements/school_agreements.html", context)


# --- Drafting ------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def agreement_create(request: HttpRequest, code) -> HttpResponse:
    """Version 1 for a BPO and school year (the coordinator); pre-filled by the service."""
    school = access.get_agreement_school(request.user, code, write=True)
    initial = {
        "school_year": request.GET.get("jaar") or SchoolYear.current().name,
        "bpo": request.GET.get("bpo", ""),
    }
    form = AgreementCreateForm(request.POST or None, initial=initial, school=school)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            agreement = services.create_agreement(
                school, data["school_year"], data["bpo"], acting_user=request.user
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, _("De werkafspraken zijn aangemaakt als concept. Vul ze nu aan.")
            )
            return redirect("agreements:agreement_edit", code=agreement.code)
    return render(
        request, "agreements/agreements/agreement_create.html", {"school": school, "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_edit(request: HttpRequest, code) -> HttpResponse:
    """The draft's arrangements and tasks (the coordinator). A save that crosses someone else's
    save is refused with the conflict message on top; the form keeps what was typed."""
    agreement = access.get_agreement_for_user(request.user, code, action="edit")
    if not agreement.is_draft:
        messages.error(request, _("Deze versie is al overeengekomen en kan niet meer veranderen."))
        return redirect(_detail_url(agreement))
    tasks = list(agreement.tasks.all())
    data = request.POST if request.method == "POST" else None
    initial = None if data else AgreementForm.initial_for(agreement)
    form = AgreementForm(data, initial=initial)
    formset = TaskFormSet(data, prefix=TASK_PREFIX, initial=None if data else task_initial(tasks))
    conflict = False
    if data is not None and form.is_valid() and formset.is_valid():
        try:
            services.update_agreement(
                agreement,
                revision=form.cleaned_data["revision"],
                fields=form.fields_for_service(),
                tasks=[f.task_input() for f in formset.forms if not f.is_blank],
                acting_user=request.user,
            )
        except ValidationError as error:
            add_service_error(form, error)
            conflict = getattr(error, "code", None) == "conflict"
        else:
            messages.success(request, _("De werkafspraken zijn opgeslagen."))
            return redirect(_detail_url(agreement))
    context = {
        "agreement": agreement,
        "form": form,
        "formset": formset,
        "conflict": conflict,
        "reference": agreement_document.description_groups(
            services.description_for(agreement.school)
        ),
    }
    return render(request, "agreements/agreements/agreement_edit.html", context)


# --- One version ---------------------------------------------------------------------------------


@login_required
@require_GET
def agreement_detail(request: HttpRequest, code) -> HttpResponse:
    """Facts, tasks per area with hours, confirmations, the user's actions, the differences with
    the previous version, all versions, evaluations and the competency profile."""
    user = request.user
    agreement = access.get_agreement_for_user(user, code)
    school = agreement.school
    context = {
        "agreement": agreement,
        "school": school,
        "presence_days": weekdays(agreement.presence_days),
        "tasks": agreement_document.task_groups(agreement),
        "rights": access.agreement_rights(user, agreement),
        "changes": services.agreement_changes(agreement),
        "versions": access.visible_agreements(user)
        .filter(school=school, bpo_id=agreement.bpo_id, school_year_id=agreement.school_year_id)
        .order_by("version"),
        "evaluations": agreement.evaluations.all(),
        "profile": services.profile_for(school, agreement.school_year, agreement.bpo),
        "may_start_profile": agreement.bpo_id == user.pk
        or access.can(user, school, access.RATE_ROLES),
        "sees_school": access.can(user, school, access.SCHOOL_ROLES | access.READ_ROLES),
    }
    return render(request, "agreements/agreements/agreement_detail.html", context)


@login_required
@require_POST
def agreement_confirm(request: HttpRequest, code) -> HttpResponse:
    """The coordinator or the BPO confirms the draft as it is."""
    agreement = access.get_agreement_for_user(request.user, code, action="confirm")
    as_bpo = agreement.bpo_id == request.user.pk
    try:
        agreement = services.confirm_agreement(agreement, acting_user=request.user)
    except ValidationError as error:
        flash_errors(request, error)
        return redirect(_detail_url(agreement))
    if as_bpo:
        text = _("Je hebt de werkafspraken bevestigd als bpo'er.")
    else:
        text = _("Je hebt de werkafspraken bevestigd als ondersteuningscoördinator.")
    if agreement.is_agreed:
        text += " " + _("Beide partijen hebben bevestigd: de werkafspraken zijn overeengekomen.")
    else:
        text += " " + _("Ze zijn overeengekomen zodra de andere partij ook bevestigt.")
    messages.success(request, text)
    return redirect(_detail_url(agreement))


@login_required
@require_POST
def agreement_acknowledge(request: HttpRequest, code) -> HttpResponse:
    """The director signs the agreed werkafspraken "voor gezien"."""
    agreement = access.get_agreement_for_user(request.user, code, action="acknowledge")
    try:
        services.acknowledge_agreement(agreement, acting_user=request.user)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("Je hebt de werkafspraken voor gezien getekend."))
    return redirect(_detail_url(agreement))


@login_required
@require_GET
def agreement_pdf(request: HttpRequest, code) -> HttpResponse:
    """The werkafspraken as a PDF document for signing and archiving."""
    agreement = access.get_agreement_for_user(request.user, code)
    pdf = agreement_document.render_agreement_pdf(agreement)
    record("work_agreement.export_pdf", actor=request.user, obj=agreement, request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        True, agreement_document.pdf_filename(agreement)
    )
    return response


urlpatterns = [
    path("werkafspraken/mijn/", my_agreements, name="my_agreements"),
    path("school/<uuid:code>/werkafspraken/", school_agreements, name="school_agreements"),
    path("school/<uuid:code>/werkafspraken/nieuw/", agreement_create, name="agreement_create"),
    path("werkafspraken/<uuid:code>/", agreement_detail, name="agreement_detail"),
    path("werkafspraken/<uuid:code>/bewerken/", agreement_edit, name="agreement_edit"),
    path("werkafspraken/<uuid:code>/bevestigen/", agreement_confirm, name="agreement_confirm"),
    path("werkafspraken/<uuid:code>/gezien/", agreement_acknowledge, name="agreement_acknowledge"),
    path("werkafspraken/<uuid:code>/pdf/", agreement_pdf, name="agreement_pdf"),
]
