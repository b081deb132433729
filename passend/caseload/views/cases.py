"""Support case views: a school's case list, "my cases", opening a case from the signal, the
case page with its timeline, status steps, contacts, class observations (with a PDF),
handelingsadviezen with their follow-up, and the mentor report (page and PDF).

Lookups go through passend.caseload.access and passend.students.access (outside the scope 404,
in scope without the right 403); changes through passend.caseload.services. Every page or PDF
with a student's data writes an audit event (passend.privacy.audit.record_view)."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from passend.agreements import documents
from passend.audit.services import record
from passend.caseload import access, services
from passend.caseload.choices import CaseStatus
from passend.caseload.forms import cases as case_forms
from passend.caseload.models import Observation, Recommendation, SupportCase
from passend.caseload.timeline import timeline
from passend.front.feedback import add_service_error, flash_errors
from passend.front.uploads import attachment_response
from passend.organisations.choices import Domain
from passend.plans.services import plan_summary
from passend.privacy.audit import acting_role, record_view
from passend.students import access as student_access

PAGE_SIZE = 50


# --- Helpers: lookups composed from the access modules -----------------------------------------


def _observation(user, code) -> Observation:
    """An observation of a case the user sees in full (404 otherwise)."""
    observation = (
        Observation.objects.filter(code=code, case__in=access.visible_cases(user))
        .select_related("case", "case__school", "case__school__partnership", "case__student")
        .select_related("author")
        .first()
    )
    if observation is None or access.view_level(user, observation.case) != access.FULL:
        raise Http404
    return observation


def _recommendation(user, code, *, write: bool = False) -> Recommendation:
    recommendation = (
        Recommendation.objects.filter(code=code, case__in=access.visible_cases(user))
        .select_related("case", "case__school", "case__school__partnership", "case__student")
        .first()
    )
    if recommendation is None or access.view_level(user, recommendation.case) != access.FULL:
        raise Http404
    if write and not access.can_work(user, recommendation.case):
        raise PermissionDenied
    return recommendation


def _mentor_report_student(user, code):
    """The student whose mentor report the user may read: the school's coordinator and BPOs,
    and the student's own mentor (mentor role at the school); 404 for everyone else."""
    try:
        return student_access.get_student_for_user(user, code)
    except Http404:
        student = (
            student_access.mentor_students(user)
            .select_related("school", "school__partnership", "mentor")
            .filter(code=code)
            .first()
        )
        if student is None:
            raise
        return student


def _case_form_kwargs(form) -> dict:
    data = form.cleaned_data
    return {
        name: data[name]
        for name in (
            "signal_source",
            "signalled_by_name",
            "signalled_on",
            "signal",
            "question",
            "bpo",
            "domains",
        )
    }


# --- Lists --------------------------------------------------------------------------------------


@login_required
@require_GET
def case_list(request: HttpRequest, code) -> HttpResponse:
    """A school's cases for its coordinator and BPOs: filters, pagination, constant queries."""
    school = access.get_case_school(request.user, code)
    form = case_forms.CaseFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    cases = SupportCase.objects.filter(school=school).select_related("student", "bpo")
    status = filters.get("status", case_forms.OPEN)
    if status == case_forms.OPEN:
        cases = cases.exclude(status=CaseStatus.CLOSED)
    elif status != case_forms.ALL:
        cases = cases.filter(status=status)
    if filters.get("bpo") == case_forms.MINE:
        cases = cases.filter(bpo=request.user)
    if query := filters.get("q"):
        # Only plain columns are searched: encrypted fields cannot be.
        for word in query.split()[:5]:
            cases = cases.filter(
                Q(student__first_name__icontains=word)
                | Q(student__last_name__icontains=word)
                | Q(student__student_number__icontains=word)
            )
    ordering = ["student__last_name", "student__first_name", "-signalled_on", "pk"]
    page_obj = Paginator(cases.order_by(*ordering), PAGE_SIZE).get_page(request.GET.get("page"))
    record(
        "case_list.viewed",
        actor=request.user,
        school=school,
        request=request,
        on_behalf_of=acting_role(request.user, school.pk),
        students=sorted({str(c.student.code) for c in page_obj}),
        page=page_obj.number,
    )
    query_string = request.GET.copy()
    query_string.pop("page", None)
    return render(
        request,
        "caseload/case_list.html",
        {
            "school": school,
            "form": form,
            "page_obj": page_obj,
            "query_string": query_string.urlencode(),
        },
    )


@login_required
@require_GET
def my_cases(request: HttpRequest) -> HttpResponse:
    """For a BPO the open cases assigned to them at all their schools; for a partner the cases
    shared with them under valid consent."""
    user = request.user
    partner_cases = access.partner_access(user)
    mine = Q(bpo=user, school_id__in=student_access.file_school_ids(user)) & ~Q(
        status=CaseStatus.CLOSED
    )
    cases = list(
        SupportCase.objects.filter(mine | Q(pk__in=list(partner_cases)))
        .select_related("student", "school")
        .order_by("school__name", "student__last_name", "student__first_name", "pk")
    )
    if cases:
        record(
            "case_list.viewed",
            actor=user,
            request=request,
            page="my_cases",
            students=sorted({str(c.student.code) for c in cases}),
            on_behalf_of=",".join(sorted({acting_role(user, c.school_id) for c in cases})),
        )
    return render(
        request,
        "caseload/my_cases.html",
        {"cases": cases, "attendance": access.ATTENDANCE, "levels": partner_cases},
    )


# --- A case -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def case_create(request: HttpRequest, code) -> HttpResponse:
    student = student_access.get_student_for_user(request.user, code)
    if not access.can_work(request.user, student):
        raise PermissionDenied
    initial = {"bpo": services.bpo_choices(student.school).filter(pk=request.user.pk).first()}
    form = case_forms.CaseForm(request.POST or None, school=student.school, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.open_case(student, **_case_form_kwargs(form), acting_user=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("De casus is aangemaakt."))
            return redirect("caseload:case_detail", case.code)
    record_view(request, student, "case_create")
    return render(request, "caseload/case_form.html", {"form": form, "student": student})


@login_required
@require_GET
def case_detail(request: HttpRequest, code) -> HttpResponse:
    case = access.get_case_for_user(request.user, code)
    if access.view_level(request.user, case) == access.ATTENDANCE:
        record_view(request, case.student, "case_attendance", obj=case)
        return render(
            request, "caseload/case_attendance.html", {"case": case, "student": case.student}
        )
    record_view(request, case.student, "case", obj=case)
    staff = access.can_work(request.user, case)
    return render(
        request,
        "caseload/case_detail.html",
        {
            "case": case,
            "student": case.student,
            "staff": staff,
            "steps": [c for c in CaseStatus.choices if c[0] in services.allowed_steps(case)]
            if staff
            else [],
            "timeline": timeline(case),
            "domains": [label for value, label in Domain.choices if value in case.domains],
            "plan_summary": plan_summary(request.user, case.student) if staff else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_edit(request: HttpRequest, code) -> HttpResponse:
    case = access.get_case_for_user(request.user, code, write=True)
    form = case_forms.CaseForm(
        request.POST or None, school=case.school, initial=case_forms.CaseForm.initial_for(case)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_case(case, **_case_form_kwargs(form), acting_user=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("De casus is opgeslagen."))
            return redirect("caseload:case_detail", case.code)
    record_view(request, case.student, "case_edit", obj=case)
    return render(
        request, "caseload/case_form.html", {"form": form, "student": case.student, "case": case}
    )


@login_required
@require_POST
def case_status(request: HttpRequest, code) -> HttpResponse:
    case = access.get_case_for_user(request.user, code, write=True)
    form = case_forms.StatusForm(request.POST)
    if not form.is_valid():
        flash_errors(request, ValidationError(_("Kies een bestaande status.")))
        return redirect("caseload:case_detail", case.code)
    try:
        services.change_status(case, form.cleaned_data["status"], acting_user=request.user)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(
            request, _("De status is nu: %(status)s.") % {"status": case.get_status_display()}
        )
    return redirect("caseload:case_detail", case.code)


def _record_form(request, code, build_form, service, template, success, what) -> HttpResponse:
    """GET/POST of a form that adds something to a case (contact, observation, advice);
    ``build_form(data, case)`` makes the form; ``what`` names the page in the read audit."""
    case = access.get_case_for_user(request.user, code, write=True)
    form = build_form(request.POST or None, case)
    if request.method == "POST" and form.is_valid():
        try:
            service(case, **form.cleaned_data, acting_user=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, success)
            return redirect("caseload:case_detail", case.code)
    record_view(request, case.student, what, obj=case)
    return render(request, template, {"form": form, "case": case, "student": case.student})


@login_required
@require_http_methods(["GET", "POST"])
def contact_create(request: HttpRequest, code) -> HttpResponse:
    return _record_form(
        request,
        code,
        lambda data, case: case_forms.ContactForm(data),
        services.add_contact,
        "caseload/contact_form.html",
        _("Het contactmoment is vastgelegd."),
        "contact_create",
    )


@login_required
@require_http_methods(["GET", "POST"])
def observation_create(request: HttpRequest, code) -> HttpResponse:
    return _record_form(
        request,
        code,
        lambda data, case: case_forms.ObservationForm(data),
        services.add_observation,
        "caseload/observation_form.html",
        _("De klassenobservatie is vastgelegd."),
        "observation_create",
    )


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_create(request: HttpRequest, code) -> HttpResponse:
    return _record_form(
        request,
        code,
        lambda data, case: case_forms.RecommendationForm(data, case=case),
        services.add_recommendation,
        "caseload/recommendation_form.html",
        _("Het handelingsadvies is vastgelegd."),
        "recommendation_create",
    )


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_follow_up(request: HttpRequest, code) -> HttpResponse:
    recommendation = _recommendation(request.user, code, write=True)
    case = recommendation.case
    initial = {"status": recommendation.status, "follow_up": recommendation.follow_up}
    form = case_forms.FollowUpForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_follow_up(recommendation, **form.cleaned_data, acting_user=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("De opvolging is opgeslagen."))
            return redirect("caseload:case_detail", case.code)
    record_view(request, case.student, "recommendation", obj=recommendation)
    return render(
        request,
        "caseload/follow_up_form.html",
        {"form": form, "recommendation": recommendation, "case": case, "student": case.student},
    )


# --- Documents ----------------------------------------------------------------------------------


def observation_pdf_bytes(observation: Observation, *, uncompressed: bool = False) -> bytes:
    """The observation report as a Dutch document (``uncompressed`` for tests)."""
    from passend.quality.reports import page_counter_css

    context = {
        "observation": observation,
        "case": observation.case,
        "student": observation.case.student,
        "school": observation.case.school,
        "generated_at": timezone.localtime(),
        "page_counter_css": page_counter_css(),
    }
    return documents.render_pdf("caseload/pdf/observation.html", context, uncompressed=uncompressed)


def mentor_report_context(student) -> dict:
    return {
        "student": student,
        "school": student.school,
        "recommendations": list(services.mentor_recommendations(student)),
    }


def mentor_report_pdf_bytes(student, *, uncompressed: bool = False) -> bytes:
    from passend.quality.reports import page_counter_css

    context = {
        **mentor_report_context(student),
        "generated_at": timezone.localtime(),
        "page_counter_css": page_counter_css(),
    }
    return documents.render_pdf(
        "caseload/pdf/mentor_report.html", context, uncompressed=uncompressed
    )


@login_required
@require_GET
def observation_pdf(request: HttpRequest, code):
    observation = _observation(request.user, code)
    case = observation.case
    pdf = observation_pdf_bytes(observation)
    record_view(request, case.student, "observation_pdf", obj=observation)
    name = documents.filename("klassenobservatie", case.student.full_name, str(observation.date))
    return attachment_response(io.BytesIO(pdf), name, name)


@login_required
@require_GET
def mentor_report(request: HttpRequest, code) -> HttpResponse:
    student = _mentor_report_student(request.user, code)
    record_view(request, student, "mentor_report")
    staff = student.school_id in student_access.file_school_ids(request.user)
    context = {**mentor_report_context(student), "staff": staff}
    return render(request, "caseload/mentor_report.html", context)


@login_required
@require_GET
def mentor_report_pdf(request: HttpRequest, code):
    student = _mentor_report_student(request.user, code)
    pdf = mentor_report_pdf_bytes(student)
    record_view(request, student, "mentor_report_pdf")
    name = documents.filename("mentorrapport", student.full_name, str(timezone.localdate()))
    return attachment_response(io.BytesIO(pdf), name, name)


urlpatterns = [
    path("school/<uuid:code>/casussen/", case_list, name="case_list"),
    path("mijn-casussen/", my_cases, name="my_cases"),
    path("leerlingen/<uuid:code>/casus/nieuw/", case_create, name="case_create"),
    path("casussen/<uuid:code>/", case_detail, name="case_detail"),
    path("casussen/<uuid:code>/bewerken/", case_edit, name="case_edit"),
    path("casussen/<uuid:code>/status/", case_status, name="case_status"),
    path("casussen/<uuid:code>/contact/nieuw/", contact_create, name="contact_create"),
    path("casussen/<uuid:code>/observatie/nieuw/", observation_create, name="observation_create"),
    path("observaties/<uuid:code>/pdf/", observation_pdf, name="observation_pdf"),
    path("casussen/<uuid:code>/advies/nieuw/", recommendation_create, name="recommendation_create"),
    path(
        "adviezen/<uuid:code>/opvolging/", recommendation_follow_up, name="recommendation_follow_up"
    ),
    path("leerlingen/<uuid:code>/mentorrapport/", mentor_report, name="mentor_report"),
    path("leerlingen/<uuid:code>/mentorrapport/pdf/", mentor_report_pdf, name="mentor_report_pdf"),
]
