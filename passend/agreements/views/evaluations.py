"""Evaluation views (aspect 10): start an evaluation of agreed werkafspraken, read it (per task
area the agreed and realised hours — live from the activity log while a draft, stored once
final — what went well and what to change, the conclusion and decision, and the BPO's
competency profile), edit the draft, finalise it (keep or adjust; adjusting opens the next
version of the werkafspraken) and download it as a PDF for signing.

Coordinator and director evaluate; the BPO concerned and the school's consultant read. Lookups
go through passend.agreements.access; changes through passend.agreements.services."""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from passend.agreements import access, documents, services
from passend.agreements.forms.evaluations import (
    AreaFormSet,
    EvaluationForm,
    EvaluationStartForm,
    FinaliseForm,
)
from passend.agreements.models import AgreementEvaluation
from passend.agreements.views.profiles import competency_groups
from passend.audit.services import record
from passend.front.feedback import add_service_error, flash_errors
from passend.front.uploads import attachment_response


@dataclass(frozen=True)
class Line:
    """One task area of the evaluation table (``row`` holds the texts)."""

    row: object
    agreed: Decimal
    realised: Decimal

    @property
    def difference(self) -> Decimal:
        return self.realised - self.agreed


@dataclass(frozen=True)
class Table:
    lines: list[Line]

    @property
    def agreed(self) -> Decimal:
        return sum((line.agreed for line in self.lines), Decimal(0))

    @property
    def realised(self) -> Decimal:
        return sum((line.realised for line in self.lines), Decimal(0))

    @property
    def difference(self) -> Decimal:
        return self.realised - self.agreed


def evaluation_table(evaluation: AgreementEvaluation) -> Table:
    """Per task area the agreed and realised hours (two queries, whatever the activity log
    holds)."""
    return Table(
        [Line(r, r.agreed_hours, r.realised) for r in services.evaluation_rows(evaluation)]
    )


def _summary(evaluation: AgreementEvaluation) -> dict:
    """What the detail page and the PDF both show: the table, the hired-in flag and the
    competency profile of (school, BPO, year)."""
    assignment = evaluation.agreement.assignment
    profile = services.profile_for(evaluation.school, evaluation.school_year, evaluation.bpo)
    return {
        "evaluation": evaluation,
        "school": evaluation.school,
        "agreement": evaluation.agreement,
        "table": evaluation_table(evaluation),
        "hired_in": assignment is not None and assignment.is_hired_in,
        "profile": profile,
        "groups": competency_groups(profile),
    }


def evaluation_pdf_bytes(evaluation: AgreementEvaluation, *, uncompressed: bool = False) -> bytes:
    """The evaluation as a Dutch document for signing (``uncompressed`` for tests)."""
    from passend.agreements.agreement_document import task_groups
    from passend.quality.reports import page_counter_css

    context = {
        **_summary(evaluation),
        "agreed_tasks": task_groups(evaluation.agreement),
        "generated_at": timezone.localtime(),
        "page_counter_css": page_counter_css(),
    }
    return documents.render_pdf(
        "agreements/pdf/evaluation.html", context, uncompressed=uncompressed
    )


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_create(request: HttpRequest, code) -> HttpResponse:
    agreement = access.get_agreement_for_user(request.user, code, action="evaluate")
    form = EvaluationStartForm(request.POST or None, school_year=agreement.school_year)
    if request.method == "POST" and form.is_valid():
        try:
            evaluation = services.start_evaluation(
                agreement,
                kind=form.cleaned_data["kind"],
                date=form.cleaned_data["date"],
                acting_user=request.user,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("De evaluatie is aangemaakt. Vul de gegevens aan."))
            return redirect("agreements:evaluation_edit", evaluation.code)
    return render(
        request,
        "agreements/evaluations/evaluation_create.html",
        {"agreement": agreement, "form": form},
    )


@login_required
@require_GET
def evaluation_detail(request: HttpRequest, code) -> HttpResponse:
    evaluation = access.get_evaluation_for_user(request.user, code)
    user, school = request.user, evaluation.school
    may_evaluate = not evaluation.is_final and access.can(user, school, access.EVALUATE_ROLES)
    may_start_profile = evaluation.bpo_id == user.pk or access.can(user, school, access.RATE_ROLES)
    return render(
        request,
        "agreements/evaluations/evaluation_detail.html",
        {
            **_summary(evaluation),
            "may_evaluate": may_evaluate,
            "finalise_form": FinaliseForm() if may_evaluate else None,
            "may_start_profile": may_start_profile,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_edit(request: HttpRequest, code) -> HttpResponse:
    """The draft's participants, conclusion and per task area what went well and what to
    change; a final evaluation is not changed any more."""
    evaluation = access.get_evaluation_for_user(request.user, code, write=True)
    if evaluation.is_final:
        messages.error(request, _("Deze evaluatie is vastgesteld en kan niet meer veranderen."))
        return redirect("agreements:evaluation_detail", evaluation.code)
    data = request.POST or None
    table = evaluation_table(evaluation)
    stored = [line.row for line in table.lines if line.row.pk is not None]
    form = EvaluationForm(data, evaluation=evaluation)
    formset = AreaFormSet(data, rows=stored, prefix="area")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            services.update_evaluation(
                evaluation,
                revision=form.cleaned_data["revision"],
                fields=form.service_fields(),
                areas=formset.areas(),
                acting_user=request.user,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("De evaluatie is opgeslagen."))
            return redirect("agreements:evaluation_detail", evaluation.code)
    forms_by_area = {f.row.area: f for f in formset.forms}
    lines = [(line, forms_by_area.get(line.row.area)) for line in table.lines]
    return render(
        request,
        "agreements/evaluations/evaluation_edit.html",
        {
            "evaluation": evaluation,
            "form": form,
            "formset": formset,
            "lines": lines,
            "conflict": form.has_error(NON_FIELD_ERRORS, code="conflict"),
        },
    )


@login_required
@require_POST
def evaluation_finalise(request: HttpRequest, code) -> HttpResponse:
    """Fix the evaluation with the decision; "adjust" leads to the next version's edit page."""
    evaluation = access.get_evaluation_for_user(request.user, code, write=True)
    form = FinaliseForm(request.POST)
    if not form.is_valid():
        flash_errors(request, form)
        return redirect("agreements:evaluation_detail", evaluation.code)
    try:
        evaluation = services.finalise_evaluation(
            evaluation, decision=form.cleaned_data["decision"], acting_user=request.user
        )
    except ValidationError as error:
        flash_errors(request, error)
        return redirect("agreements:evaluation_detail", evaluation.code)
    if evaluation.next_agreement_id:
        messages.success(
            request,
            _(
                "De evaluatie is vastgesteld. Versie %(version)s van de werkafspraken staat klaar: "
                "pas de afspraken aan."
            )
            % {"version": evaluation.next_agreement.version},
        )
        return redirect("agreements:agreement_edit", evaluation.next_agreement.code)
    messages.success(request, _("De evaluatie is vastgesteld; de werkafspraken blijven gelden."))
    return redirect("agreements:evaluation_detail", evaluation.code)


@login_required
@require_GET
def evaluation_pdf(request: HttpRequest, code):
    evaluation = access.get_evaluation_for_user(request.user, code)
    pdf = evaluation_pdf_bytes(evaluation)
    record("agreement_evaluation.export_pdf", actor=request.user, obj=evaluation, request=request)
    name = documents.filename(
        "evaluatie",
        evaluation.school.name,
        evaluation.bpo.full_name,
        evaluation.school_year.name,
        str(evaluation.date),
    )
    return attachment_response(io.BytesIO(pdf), name, name)


urlpatterns = [
    path(
        "werkafspraken/<uuid:code>/evaluaties/nieuw/", evaluation_create, name="evaluation_create"
    ),
    path("evaluaties/<uuid:code>/", evaluation_detail, name="evaluation_detail"),
    path("evaluaties/<uuid:code>/bewerken/", evaluation_edit, name="evaluation_edit"),
    path("evaluaties/<uuid:code>/vaststellen/", evaluation_finalise, name="evaluation_finalise"),
    path("evaluaties/<uuid:code>/pdf/", evaluation_pdf, name="evaluation_pdf"),
]
