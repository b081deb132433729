"""Development plan (OPP) pages: a student's plans with their versions, drawing up a plan and its
goals (draft only), the consultations with the parents, the decision on the action part,
setting, a new version with the differences, evaluations, and the PDF for signing.

Lookups go through passend.plans.access (outside the scope 404); changes through
passend.plans.services, whose ValidationErrors show on the forms. Every page or PDF with a
student's data writes an audit event (passend.privacy.audit.record_view)."""

from __future__ import annotations

import io
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from passend.agreements import documents
from passend.front.feedback import add_service_error, flash_errors
from passend.front.uploads import attachment_response
from passend.plans import access, clocks, forms, services
from passend.plans.choices import PlanStatus
from passend.plans.models import DevelopmentPlan, PlanEvaluation
from passend.privacy.audit import record_view

GOAL_PREFIX = "doelen"


def _versions(user, student) -> list[DevelopmentPlan]:
    """The versions of the student's plan line, newest first, with their state (one query)."""
    return list(
        access.student_versions(user, student)
        .with_state()
        .select_related("set_by")
        .order_by("-version")
    )


def _refuse_unless(request, plan, allowed: bool, message: str):
    """A redirect to the plan page with ``message`` when the page is not for this status."""
    if allowed:
        return None
    messages.error(request, message)
    return redirect("plans:plan_detail", plan.code)


def _not_draft_message(plan) -> str:
    if plan.is_set:
        return _("Dit OPP is vastgesteld en verandert niet meer. Maak een nieuwe versie.")
    return _("Zet het OPP eerst terug naar concept.")


def _case_from_query(user, student, value: str):
    """The student's case named by ``?casus=`` (the case page's link), if any."""
    try:
        code = uuid.UUID(value)
    except ValueError:
        return None
    return access.case_choices(user, student).filter(code=code).first()


# --- A student's plans ---------------------------------------------------------------------------


@login_required
@require_GET
def student_plans(request: HttpRequest, code) -> HttpResponse:
    student = access.get_student_for_plans(request.user, code)
    versions = _versions(request.user, student)
    record_view(request, student, "plans")
    context = {
        "student": student,
        "school": student.school,
        "versions": versions,
        "in_force": next((v for v in versions if v.is_set), None),
    }
    return render(request, "plans/student_plans.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest, code) -> HttpResponse:
    student = access.get_student_for_plans(request.user, code, write=True)
    existing = access.student_versions(request.user, student).order_by("-version").first()
    if existing is not None:
        messages.info(request, _("Deze leerling heeft al een OPP."))
        return redirect("plans:plan_detail", existing.code)
    case = _case_from_query(request.user, student, request.GET.get("casus", ""))
    initial = forms.PlanForm.initial_new(student, timezone.localdate(), case)
    form = forms.PlanForm(request.POST or None, user=request.user, student=student, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.create_plan(student, **form.service_kwargs(), acting_user=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Het OPP is aangemaakt. Leg nu de doelen vast."))
            return redirect("plans:plan_goals", plan.code)
    record_view(request, student, "plan_create")
    return render(request, "plans/plan_form.html", {"form": form, "student": student})


# --- A plan --------------------------------------------------------------------------------------


@login_required
@require_GET
def plan_detail(request: HttpRequest, code) -> HttpResponse:
    plan = access.get_plan_for_user(request.user, code)
    record_view(request, plan.student, "plan", obj=plan)
    goals = list(plan.goals.all())
    consents = list(plan.consents.all())
    evaluations = list(plan.evaluations.all())
    plan.last_evaluated_on = max((e.date for e in evaluations), default=None)
    versions = _versions(request.user, plan.student)
    current = max(
        (c for c in consents if not c.superseded),
        key=lambda c: (c.date, c.created_at, c.pk),
        default=None,
    )
    in_force = next((v for v in versions if v.status == PlanStatus.SET), None)
    context = {
        "plan": plan,
        "student": plan.student,
        "school": plan.school,
        "goals": goals,
        "consultations": list(plan.consultations.all()),
        "consents": consents,
        "current_consent": current,
        "evaluations": evaluations,
        "versions": versions,
        "latest": versions[0],
        "in_force": in_force is not None and in_force.pk == plan.pk,
        "changes": services.plan_changes(plan, goals),
        "set_problems": [] if plan.is_set else services.set_problems(plan, len(goals), current),
        "today": timezone.localdate(),
    }
    return render(request, "plans/plan_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, code) -> HttpResponse:
    plan = access.get_plan_for_user(request.user, code, write=True)
    refused = _refuse_unless(request, plan, plan.is_draft, _not_draft_message(plan))
    if refused:
        return refused
    initial = forms.PlanForm.initial_for(plan)
    form = forms.PlanForm(
        request.POST or None, user=request.user, student=plan.student, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_plan(plan, **form.service_kwargs(), acting_user=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Het OPP is opgeslagen."))
            return redirect("plans:plan_detail", plan.code)
    record_view(request, plan.student, "plan_edit", obj=plan)
    context = {"form": form, "student": plan.student, "plan": plan}
    return render(request, "plans/plan_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def plan_goals(request: HttpRequest, code) -> HttpResponse:
    """The goals of a draft, all at once: one bad row and nothing is saved."""
    plan = access.get_plan_for_user(request.user, code, write=True)
    refused = _refuse_unless(request, plan, plan.is_draft, _not_draft_message(plan))
    if refused:
        return refused
    data = request.POST if request.method == "POST" else None
    initial = None if data else forms.goal_initial(plan)
    formset = forms.GoalFormSet(data, prefix=GOAL_PREFIX, initial=initial)
    errors: list[str] = []
    if request.method == "POST" and formset.is_valid():
        try:
            services.update_goals(plan, forms.goal_inputs(formset), acting_user=request.user)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _("De doelen zijn opgeslagen."))
            return redirect("plans:plan_detail", plan.code)
    record_view(request, plan.student, "plan_goals", obj=plan)
    context = {"formset": formset, "errors": errors, "plan": plan, "student": plan.student}
    return render(request, "plans/goals_form.html", context)


def _entry(request, code, form_class, service, template, success, what) -> HttpResponse:
    """GET/POST of a form that records something on a plan not yet set (a consultation, a
    decision on the action part); ``what`` names the page in the read audit."""
    plan = access.get_plan_for_user(request.user, code, write=True)
    refused = _refuse_unless(request, plan, not plan.is_set, _not_draft_message(plan))
    if refused:
        return refused
    form = form_class(request.POST or None, student=plan.student)
    if request.method == "POST" and form.is_valid():
        try:
            service(plan, **form.cleaned_data, acting_user=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, success)
            return redirect("plans:plan_detail", plan.code)
    record_view(request, plan.student, what, obj=plan)
    context = {"form": form, "plan": plan, "student": plan.student}
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def consultation_create(request: HttpRequest, code) -> HttpResponse:
    return _entry(
        request,
        code,
        forms.ConsultationForm,
        services.add_consultation,
        "plans/consultation_form.html",
        _("Het overleg is vastgelegd."),
        "plan_consultation",
    )


@login_required
@require_http_methods(["GET", "POST"])
def consent_create(request: HttpRequest, code) -> HttpResponse:
    return _entry(
        request,
        code,
        forms.ConsentForm,
        services.record_consent,
        "plans/consent_form.html",
        _("Het besluit over het handelingsdeel is vastgelegd."),
        "plan_consent",
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_set(request: HttpRequest, code) -> HttpResponse:
    """Setting the plan: what is still missing, the day after the trigger, and the date."""
    plan = access.get_plan_for_user(request.user, code, write=True)
    refused = _refuse_unless(request, plan, not plan.is_set, _("Dit OPP is al vastgesteld."))
    if refused:
        return refused
    form = forms.SetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_plan(plan, **form.cleaned_data, acting_user=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            if plan.set_late:
                messages.warning(
                    request,
                    _(
                        "Het OPP is vastgesteld op dag %(day)s na de startdatum: later dan zes "
                        "weken. Dit is aangetekend bij het plan."
                    )
                    % {"day": plan.set_on_day},
                )
            else:
                messages.success(request, _("Het OPP is vastgesteld."))
            return redirect("plans:plan_detail", plan.code)
    record_view(request, plan.student, "plan_set", obj=plan)
    consent = services.current_consent(plan)
    context = {
        "form": form,
        "plan": plan,
        "student": plan.student,
        "consent": consent,
        "problems": services.set_problems(plan, plan.goals.count(), consent),
        "today_day": clocks.days_after(plan.trigger_date, timezone.localdate()),
        "late_today": clocks.is_set_late(plan.trigger_date, timezone.localdate()),
    }
    return render(request, "plans/set_form.html", context)


@login_required
@require_POST
def plan_reopen(request: HttpRequest, code) -> HttpResponse:
    plan = access.get_plan_for_user(request.user, code, write=True)
    try:
        services.return_to_draft(plan, acting_user=request.user)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("Het OPP is weer een concept en kan worden aangepast."))
    return redirect("plans:plan_detail", plan.code)


@login_required
@require_POST
def plan_new_version(request: HttpRequest, code) -> HttpResponse:
    plan = access.get_plan_for_user(request.user, code, write=True)
    new = services.new_version(plan, acting_user=request.user)
    if new.version > plan.version and new.previous_id == plan.pk:
        messages.success(
            request, _("Versie %(version)s is aangemaakt als concept.") % {"version": new.version}
        )
    else:
        messages.info(request, _("Er is al een versie in voorbereiding."))
    return redirect("plans:plan_detail", new.code)


# --- Evaluations ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_create(request: HttpRequest, code) -> HttpResponse:
    plan = access.get_plan_for_user(request.user, code, write=True)
    in_force = access.visible_plans(request.user).in_force().filter(pk=plan.pk).exists()
    refused = _refuse_unless(
        request,
        plan,
        in_force,
        _("Alleen het geldende, vastgestelde OPP kan worden geëvalueerd."),
    )
    if refused:
        return refused
    goals = list(plan.goals.all())
    form = forms.EvaluationForm(request.POST or None, goals=goals)
    if request.method == "POST" and form.is_valid():
        try:
            evaluation = services.add_evaluation(
                plan, **form.service_kwargs(), acting_user=request.user
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("De evaluatie is vastgelegd."))
            return redirect("plans:evaluation_detail", evaluation.code)
    record_view(request, plan.student, "plan_evaluation_create", obj=plan)
    context = {
        "form": form,
        "plan": plan,
        "student": plan.student,
        "due": plan.next_evaluation_due(),
    }
    return render(request, "plans/evaluation_form.html", context)


@login_required
@require_GET
def evaluation_detail(request: HttpRequest, code) -> HttpResponse:
    evaluation: PlanEvaluation = access.get_evaluation_for_user(request.user, code)
    plan = evaluation.plan
    record_view(request, plan.student, "plan_evaluation", obj=evaluation)
    context = {
        "evaluation": evaluation,
        "results": list(evaluation.results.select_related("goal")),
        "plan": plan,
        "student": plan.student,
    }
    return render(request, "plans/evaluation_detail.html", context)


# --- The document --------------------------------------------------------------------------------


def plan_pdf_bytes(plan: DevelopmentPlan, *, uncompressed: bool = False) -> bytes:
    """The plan as a Dutch document for signing (``uncompressed`` for tests)."""
    from passend.quality.reports import page_counter_css

    goals = list(plan.goals.all())
    consents = [c for c in plan.consents.all() if not c.superseded]
    context = {
        "plan": plan,
        "student": plan.student,
        "school": plan.school,
        "goals": goals,
        "consultations": list(plan.consultations.all()),
        "consent": consents[-1] if consents else None,
        "changes": services.plan_changes(plan, goals),
        "generated_at": timezone.localtime(),
        "page_counter_css": page_counter_css(),
    }
    return documents.render_pdf("plans/pdf/plan.html", context, uncompressed=uncompressed)


@login_required
@require_GET
def plan_pdf(request: HttpRequest, code):
    plan = access.get_plan_for_user(request.user, code)
    pdf = plan_pdf_bytes(plan)
    record_view(request, plan.student, "plan_pdf", obj=plan)
    name = documents.filename("opp", plan.student.full_name, f"versie-{plan.version}")
    return attachment_response(io.BytesIO(pdf), name, name)


urlpatterns = [
    path("leerlingen/<uuid:code>/opp/", student_plans, name="student_plans"),
    path("leerlingen/<uuid:code>/opp/nieuw/", plan_create, name="plan_create"),
    path("opp/<uuid:code>/", plan_detail, name="plan_detail"),
    path("opp/<uuid:code>/bewerken/", plan_edit, name="plan_edit"),
    path("opp/<uuid:code>/doelen/", plan_goals, name="plan_goals"),
    path("opp/<uuid:code>/overleg/nieuw/", consultation_create, name="consultation_create"),
    path("opp/<uuid:code>/instemming/nieuw/", consent_create, name="consent_create"),
    path("opp/<uuid:code>/vaststellen/", plan_set, name="plan_set"),
    path("opp/<uuid:code>/terug-naar-concept/", plan_reopen, name="plan_reopen"),
    path("opp/<uuid:code>/nieuwe-versie/", plan_new_version, name="plan_new_version"),
    path("opp/<uuid:code>/pdf/", plan_pdf, name="plan_pdf"),
    path("opp/<uuid:code>/evaluatie/nieuw/", evaluation_create, name="evaluation_create"),
    path("opp-evaluaties/<uuid:code>/", evaluation_detail, name="evaluation_detail"),
]
