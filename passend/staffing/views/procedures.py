"""Staffing views: the appointment procedure of a new BPO (seed 000 §5), a checklist per candidate
and school. Lookups go through passend.staffing.access (404 outside the scope, 403 without the
right); changes through passend.staffing.procedures."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from passend.accounts.choices import Role
from passend.front.feedback import add_service_error, flash_errors
from passend.quality.reports import optional_url
from passend.staffing import access
from passend.staffing import procedures as services
from passend.staffing.choices import ProcedureStatus, ProcedureStep
from passend.staffing.directory import format_hours
from passend.staffing.forms.procedures import ProcedureForm, StepForm
from passend.staffing.models import AppointmentProcedure, AppointmentStep

DETAIL = "staffing/procedures/procedure_detail.html"


def _detail_url(procedure: AppointmentProcedure, step: str | None = None) -> str:
    url = reverse("staffing:procedure_detail", args=[procedure.code])
    return f"{url}#step-{step}" if step else url


# --- The school's procedures ---------------------------------------------------------------------


@login_required
@require_GET
def procedure_list(request: HttpRequest, school_code) -> HttpResponse:
    school = access.get_school_for_staffing(
        request.user, school_code, roles=access.PROCEDURE_VIEW_ROLES
    )
    procedures = list(
        AppointmentProcedure.objects.filter(school=school)
        .select_related("school_year", "started_by")
        .annotate(done=Count("steps", filter=Q(steps__done_at__isnull=False)))
        .order_by("-created_at")
    )
    for procedure in procedures:
        procedure.hours_display = format_hours(procedure.planned_hours_per_week)
    return render(
        request,
        "staffing/procedures/procedure_list.html",
        {
            "school": school,
            "open_procedures": [p for p in procedures if p.status == ProcedureStatus.OPEN],
            "closed_procedures": [p for p in procedures if p.status != ProcedureStatus.OPEN],
            "may_run": access.can(request.user, school, services.RUN_ROLES),
            "step_count": len(services.STEP_ORDER),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def procedure_create(request: HttpRequest, school_code) -> HttpResponse:
    school = access.get_school_for_staffing(
        request.user,
        school_code,
        roles=access.PROCEDURE_VIEW_ROLES,
        write_roles=access.PROCEDURE_RUN_ROLES,
    )
    form = ProcedureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            procedure = services.start_procedure(
                school=school,
                school_year=data["school_year"],
                candidate_name=data["candidate_name"],
                candidate_email=data["candidate_email"],
                planned_hours_per_week=data["planned_hours_per_week"],
                employment_type=data["employment_type"],
                planned_start=data["planned_start"],
                acting_user=request.user,
                request=request,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("De benoemingsprocedure is gestart."))
            return redirect(_detail_url(procedure))
    return render(
        request, "staffing/procedures/procedure_form.html", {"school": school, "form": form}
    )


# --- One procedure -------------------------------------------------------------------------------


@dataclass
class StepRow:
    step: AppointmentStep
    may_tick: bool
    form: StepForm | None

    @property
    def who(self) -> str:
        """The roles that may tick this step, as words."""
        roles = services.STEP_ROLES[self.step.step]
        return ", ".join(str(Role(r).label).lower() for r in Role if r in roles)

    @property
    def anchor(self) -> str:
        return f"step-{self.step.step}"

    @property
    def is_qualifications(self) -> bool:
        return self.step.step == ProcedureStep.QUALIFICATIONS_CHECKED

    @property
    def is_introduction(self) -> bool:
        return self.step.step == ProcedureStep.INTRODUCTION_MEETING


def _step_form(step: AppointmentStep, data=None) -> StepForm:
    is_intro = step.step == ProcedureStep.INTRODUCTION_MEETING
    note_help = None
    if step.step == ProcedureStep.QUALIFICATIONS_CHECKED:
        note_help = _("Welke diploma's zijn getoetst aan aspect 13, en met welke uitkomst?")
    return StepForm(
        data,
        initial={"action": "done", "date": step.date, "note": step.note},
        date_label=_("Datum kennismaking") if is_intro else None,
        date_help=_("De dag waarop de kandidaat kennismaakt met de consulent.")
        if is_intro
        else None,
        note_help=note_help,
        auto_id=f"id_{step.step}_%s",
    )


def _steps(procedure: AppointmentProcedure) -> list[AppointmentStep]:
    rows = {s.step: s for s in procedure.steps.select_related("done_by")}
    return [
        rows.get(step) or AppointmentStep(procedure=procedure, step=step)
        for step in services.STEP_ORDER
    ]


def _render_detail(
    request: HttpRequest,
    procedure: AppointmentProcedure,
    *,
    bound: tuple[str, StepForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    is_open = procedure.status == ProcedureStatus.OPEN
    rows = []
    for step in _steps(procedure):
        may_tick = is_open and services.may_tick(request.user, procedure, step.step)
        form = None
        if may_tick:
            form = bound[1] if bound and bound[0] == step.step else _step_form(step)
        rows.append(StepRow(step=step, may_tick=may_tick, form=form))
    may_run = services.may_run(request.user, procedure)
    assignment = None
    if procedure.status == ProcedureStatus.COMPLETED:
        assignment = getattr(procedure, "assignment", None)
    return render(
        request,
        DETAIL,
        {
            "procedure": procedure,
            "hours_display": format_hours(procedure.planned_hours_per_week),
            "school": procedure.school,
            "rows": rows,
            "done_count": sum(1 for row in rows if row.step.is_done),
            "verdict": services.candidate_verdict(procedure, request.user),
            "may_run": may_run,
            "is_open": is_open,
            "can_complete": may_run and is_open and all(row.step.is_done for row in rows),
            "assignment": assignment,
            "assignment_url": assignment
            and optional_url("staffing:assignment_detail", assignment.code),
            "directory_url": assignment
            and _directory_url(request.user, procedure.school.partnership),
        },
        status=status,
    )


def _directory_url(user, partnership) -> str | None:
    if partnership.pk in access.directory_partnership_ids(user):
        return reverse("staffing:directory", args=[partnership.code])
    return None


def _procedure(request: HttpRequest, code, *, run: bool = False) -> AppointmentProcedure:
    procedure = access.get_procedure_for_user(request.user, code, run=run)
    procedure = (
        AppointmentProcedure.objects.select_related(
            "school", "school__partnership", "school_year", "started_by", "candidate"
        )
        .filter(pk=procedure.pk)
        .get()
    )
    return procedure


@login_required
@require_GET
def procedure_detail(request: HttpRequest, code) -> HttpResponse:
    """The checklist: per step who ticked it and when, its date and note; the actions the user
    may take."""
    return _render_detail(request, _procedure(request, code))


@login_required
@require_POST
def procedure_step(request: HttpRequest, code, step: str) -> HttpResponse:
    procedure = _procedure(request, code)
    if step not in services.STEP_ROLES:
        raise Http404
    if not services.may_tick(request.user, procedure, step):
        raise PermissionDenied
    if procedure.status != ProcedureStatus.OPEN:
        messages.error(
            request, _("Deze procedure is afgerond of gestopt en kan niet meer wijzigen.")
        )
        return redirect(_detail_url(procedure))
    row = next(s for s in _steps(procedure) if s.step == step)
    form = _step_form(row, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["action"] == "undo":
                services.untick_step(procedure, step, acting_user=request.user, request=request)
                messages.success(
                    request,
                    _("„%(step)s” staat weer open.") % {"step": ProcedureStep(step).label},
                )
            else:
                services.tick_step(
                    procedure,
                    step,
                    acting_user=request.user,
                    date=data.get("date"),
                    note=data["note"],
                    request=request,
                )
                messages.success(
                    request, _("„%(step)s” is afgevinkt.") % {"step": ProcedureStep(step).label}
                )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            return redirect(_detail_url(procedure, step))
    return _render_detail(request, procedure, bound=(step, form))


@login_required
@require_POST
def procedure_cancel(request: HttpRequest, code) -> HttpResponse:
    procedure = _procedure(request, code, run=True)
    try:
        services.cancel_procedure(procedure, acting_user=request.user, request=request)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("De procedure is gestopt."))
    return redirect(_detail_url(procedure))


@login_required
@require_POST
def procedure_complete(request: HttpRequest, code) -> HttpResponse:
    procedure = _procedure(request, code, run=True)
    try:
        services.complete_procedure(procedure, acting_user=request.user, request=request)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(
            request,
            _(
                "De procedure is afgerond: %(name)s is als bpo'er aan %(school)s toegevoegd, "
                "met %(hours)s uur per week."
            )
            % {
                "name": procedure.candidate_name,
                "school": procedure.school.name,
                "hours": format_hours(procedure.planned_hours_per_week),
            },
        )
    return redirect(_detail_url(procedure))


urlpatterns = [
    path("schools/<uuid:school_code>/appointments/", procedure_list, name="procedure_list"),
    path("schools/<uuid:school_code>/appointments/new/", procedure_create, name="procedure_create"),
    path("appointments/<uuid:code>/", procedure_detail, name="procedure_detail"),
    path("appointments/<uuid:code>/steps/<str:step>/", procedure_step, name="procedure_step"),
    path("appointments/<uuid:code>/cancel/", procedure_cancel, name="procedure_cancel"),
    path("appointments/<uuid:code>/complete/", procedure_complete, name="procedure_complete"),
]
