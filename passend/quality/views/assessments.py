"""Quality framework views: a school's self-assessment (zelfevaluatie) and its review.

Every lookup goes through passend.quality.access (404 outside the scope, 403 without the right
to act); every change is a call of passend.quality.services, whose ValidationError (a status that
does not allow the action) is shown as a message or form error.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from passend.front.feedback import add_service_error, flash_errors
from passend.front.uploads import attachment_response
from passend.organisations.models import SchoolYear
from passend.quality import access, services
from passend.quality.choices import RATING_SYMBOLS, AssessmentStatus
from passend.quality.evidence import Evidence, derived_evidence
from passend.quality.forms.assessments import (
    RatingForm,
    ReopenForm,
    ReviewCommentForm,
    ReviewForm,
    StartAssessmentForm,
)
from passend.quality.models import AspectRating, QualityAssessment

DETAIL = "quality/assessments/assessment_detail.html"


# --- Helpers -------------------------------------------------------------------------------------


@dataclass
class Row:
    """One aspect of the assessment as shown: the rating, what passend knows, sub-aspects."""

    rating: AspectRating
    evidence: list[Evidence] = field(default_factory=list)
    children: list[Row] = field(default_factory=list)

    @property
    def symbol(self) -> str:
        return RATING_SYMBOLS.get(self.rating.rating, "?")

    @property
    def anchor(self) -> str:
        return f"r-{self.rating.code}"


def _detail_url(assessment: QualityAssessment, rating: AspectRating | None = None) -> str:
    url = reverse("quality:assessment_detail", args=[assessment.code])
    return f"{url}#r-{rating.code}" if rating is not None else url


def _go(request: HttpRequest, url: str) -> HttpResponse:
    """A redirect that also works for an htmx request (a full page load, not a swap)."""
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


def _permissions(user, assessment: QualityAssessment) -> dict:
    school = assessment.school
    may_edit = access.can(user, "edit", school)
    may_review = access.can(user, "review", school)
    status = assessment.status
    return {
        "may_edit": may_edit,
        "may_review": may_review,
        "can_edit_ratings": may_edit and assessment.is_editable,
        "can_comment": may_review and status == AssessmentStatus.SUBMITTED,
        "can_reopen": may_review
        and status in {AssessmentStatus.SUBMITTED, AssessmentStatus.REVIEWED},
    }


def _progress(assessment: QualityAssessment, ratings=None) -> dict:
    if ratings is None:
        ratings = assessment.ratings.select_related("aspect").order_by("aspect__sort_key")
    numbers = [(r.aspect.number, bool(r.rating)) for r in ratings]
    return {
        "total": len(numbers),
        "rated": sum(1 for _n, rated in numbers if rated),
        "unrated": [n for n, rated in numbers if not rated],
    }


def _row(assessment: QualityAssessment, rating: AspectRating) -> Row:
    number = rating.aspect.number
    evidence = derived_evidence(assessment.school, assessment.school_year, numbers={number})
    return Row(rating=rating, evidence=evidence.get(number, []))


def _render_row(request: HttpRequest, assessment, rating, *, saved: bool) -> HttpResponse:
    """The aspect's row (after an inline save), with the progress updated out of band."""
    context = {
        "assessment": assessment,
        "row": _row(assessment, rating),
        "saved": saved,
        "oob": True,
        "progress": _progress(assessment),
        **_permissions(request.user, assessment),
    }
    return render(request, f"{DETAIL}#row_response", context)


# --- The school's assessments --------------------------------------------------------------------


@login_required
@require_GET
def school_assessments(request: HttpRequest, school_code) -> HttpResponse:
    """The school's assessments per school year, with a start button for the current year."""
    school = access.get_school_for_assessments(request.user, school_code)
    assessments = list(
        school.quality_assessments.select_related("school_year", "framework", "submitted_by")
    )
    current_year = SchoolYear.current()
    may_edit = access.can(request.user, "edit", school)
    framework = services.current_framework(school.partnership, current_year)
    can_start = (
        may_edit
        and framework is not None
        and not any(a.school_year_id == current_year.pk for a in assessments)
    )
    return render(
        request,
        "quality/assessments/school_assessments.html",
        {
            "school": school,
            "assessments": assessments,
            "current_year": current_year,
            "framework": framework,
            "may_edit": may_edit,
            "can_start": can_start,
        },
    )


@login_required
@require_POST
def assessment_start(request: HttpRequest, school_code) -> HttpResponse:
    school = access.get_school_for_assessments(request.user, school_code, action="edit")
    form = StartAssessmentForm(request.POST, partnership=school.partnership)
    back = reverse("quality:school_assessments", args=[school.code])
    if not form.is_valid():
        messages.error(request, _("Voor dit schooljaar is geen vastgesteld kwaliteitskader."))
        return redirect(back)
    school_year = form.cleaned_data["school_year"]
    existed = school.quality_assessments.filter(school_year=school_year).exists()
    try:
        assessment = services.start_assessment(
            school=school, school_year=school_year, acting_user=request.user, request=request
        )
    except ValidationError as error:
        flash_errors(request, error)
        return redirect(back)
    if existed:
        messages.info(request, _("De zelfevaluatie voor dit schooljaar bestond al."))
    else:
        messages.success(request, _("De zelfevaluatie is aangemaakt."))
    return redirect(_detail_url(assessment))


# --- One assessment ------------------------------------------------------------------------------


@login_required
@require_GET
def assessment_detail(request: HttpRequest, code) -> HttpResponse:
    """All aspects by section (sub-aspects under their main aspect), each with the school's
    rating and evidence, what passend knows, and the consultant's comment; the actions this
    user may take."""
    assessment = access.get_assessment_for_user(request.user, code)
    ratings = list(assessment.ratings.select_related("aspect").order_by("aspect__sort_key", "pk"))
    evidence = derived_evidence(assessment.school, assessment.school_year)
    sections = list(assessment.framework.sections.order_by("position"))
    by_section: dict[int, list[Row]] = {s.pk: [] for s in sections}
    rows_by_aspect: dict[int, Row] = {}
    for rating in ratings:
        row = Row(rating=rating, evidence=evidence.get(rating.aspect.number, []))
        rows_by_aspect[rating.aspect_id] = row
        parent = rows_by_aspect.get(rating.aspect.parent_id)
        if parent is not None:
            parent.children.append(row)
        else:
            by_section.setdefault(rating.aspect.section_id, []).append(row)
    permissions = _permissions(request.user, assessment)
    reopen_reason = (
        assessment.reopen_reason if assessment.status == AssessmentStatus.REOPENED else ""
    )
    return render(
        request,
        DETAIL,
        {
            "assessment": assessment,
            "school": assessment.school,
            "sections": [(s, by_section.get(s.pk, [])) for s in sections],
            "progress": _progress(assessment, ratings),
            "reopen_reason": reopen_reason,
            "review_form": ReviewForm(initial={"review_comment": assessment.review_comment}),
            "reopen_form": ReopenForm(),
            "statuses": AssessmentStatus,
            **permissions,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def rating_edit(request: HttpRequest, code, rating_code) -> HttpResponse:
    """The school rates one aspect; inline (htmx) in the aspect's row, or as a page."""
    assessment = access.get_assessment_for_user(request.user, code, action="edit")
    rating = access.get_rating_in_assessment(assessment, rating_code)
    rating.assessment = assessment
    if request.method == "GET" and not assessment.is_editable:
        messages.error(request, _("Deze zelfevaluatie kan nu niet worden gewijzigd."))
        return _go(request, _detail_url(assessment, rating))
    form = RatingForm(
        request.POST or None,
        request.FILES or None,
        initial={"rating": rating.rating, "evidence": rating.evidence, "comment": rating.comment},
        has_file=bool(rating.evidence_file),
        auto_id=f"id_{rating.code.hex[:8]}_%s",
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.rate_aspect(
                rating,
                acting_user=request.user,
                rating_value=data["rating"],
                evidence=data["evidence"],
                comment=data["comment"],
                evidence_file=data["evidence_file"],
                remove_file=data.get("remove_file", False),
                request=request,
            )
        except ValidationError as error:
            rating.refresh_from_db()
            add_service_error(form, error)
        else:
            if request.htmx:
                return _render_row(request, assessment, rating, saved=True)
            messages.success(
                request, _("Aspect %(number)s is opgeslagen.") % {"number": rating.aspect.number}
            )
            return redirect(_detail_url(assessment, rating))
    template = "quality/assessments/rating_form.html"
    if request.htmx:
        template += "#rating_form"
    return render(
        request,
        template,
        {
            "assessment": assessment,
            "rating": rating,
            "form": form,
            "detail_url": _detail_url(assessment, rating),
        },
    )


@login_required
@require_GET
def evidence_download(request: HttpRequest, code, rating_code) -> FileResponse:
    assessment = access.get_assessment_for_user(request.user, code)
    rating = access.get_rating_in_assessment(assessment, rating_code)
    rating.assessment = assessment
    try:
        handle = services.open_evidence_file(rating, acting_user=request.user, request=request)
    except FileNotFoundError:
        raise Http404 from None
    return attachment_response(handle, rating.evidence_file.name, rating.evidence_filename)


@login_required
@require_POST
def assessment_submit(request: HttpRequest, code) -> HttpResponse:
    assessment = access.get_assessment_for_user(request.user, code, action="edit")
    try:
        services.submit_assessment(assessment, acting_user=request.user, request=request)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("De zelfevaluatie is ingediend bij de consulent."))
    return redirect(_detail_url(assessment))


@login_required
@require_http_methods(["GET", "POST"])
def aspect_review(request: HttpRequest, code, rating_code) -> HttpResponse:
    """The consultant's comment on one aspect; inline (htmx) in the aspect's row, or a page."""
    assessment = access.get_assessment_for_user(request.user, code, action="review")
    rating = access.get_rating_in_assessment(assessment, rating_code)
    rating.assessment = assessment
    if request.method == "GET" and assessment.status != AssessmentStatus.SUBMITTED:
        messages.error(request, _("Alleen een ingediende zelfevaluatie kan worden beoordeeld."))
        return _go(request, _detail_url(assessment, rating))
    form = ReviewCommentForm(
        request.POST or None,
        initial={"review_comment": rating.review_comment},
        auto_id=f"id_{rating.code.hex[:8]}_%s",
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_on_aspect(
                rating,
                acting_user=request.user,
                review_comment=form.cleaned_data["review_comment"],
                request=request,
            )
        except ValidationError as error:
            rating.refresh_from_db()
            add_service_error(form, error)
        else:
            if request.htmx:
                return _render_row(request, assessment, rating, saved=True)
            messages.success(
                request,
                _("Reactie bij aspect %(number)s is opgeslagen.")
                % {"number": rating.aspect.number},
            )
            return redirect(_detail_url(assessment, rating))
    template = "quality/assessments/review_form.html"
    if request.htmx:
        template += "#review_form"
    return render(
        request,
        template,
        {
            "assessment": assessment,
            "rating": rating,
            "form": form,
            "detail_url": _detail_url(assessment, rating),
        },
    )


def _consultant_action(request: HttpRequest, code, form_class, act, done: str) -> HttpResponse:
    """A consultant's POST-only step on an assessment: validate, call the service, say so."""
    assessment = access.get_assessment_for_user(request.user, code, action="review")
    form = form_class(request.POST)
    if not form.is_valid():
        flash_errors(request, form)
        return redirect(_detail_url(assessment))
    try:
        act(assessment, acting_user=request.user, request=request, **form.cleaned_data)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, done)
    return redirect(_detail_url(assessment))


@login_required
@require_POST
def assessment_review(request: HttpRequest, code) -> HttpResponse:
    return _consultant_action(
        request,
        code,
        ReviewForm,
        services.review_assessment,
        _("De zelfevaluatie is als beoordeeld gemarkeerd."),
    )


@login_required
@require_POST
def assessment_reopen(request: HttpRequest, code) -> HttpResponse:
    return _consultant_action(
        request,
        code,
        ReopenForm,
        services.reopen_assessment,
        _("De zelfevaluatie is heropend; de school kan haar aanpassen."),
    )


urlpatterns = [
    path(
        "schools/<uuid:school_code>/assessments/",
        school_assessments,
        name="school_assessments",
    ),
    path(
        "schools/<uuid:school_code>/assessments/start/",
        assessment_start,
        name="assessment_start",
    ),
    path("assessments/<uuid:code>/", assessment_detail, name="assessment_detail"),
    path("assessments/<uuid:code>/ratings/<uuid:rating_code>/", rating_edit, name="rating_edit"),
    path(
        "assessments/<uuid:code>/ratings/<uuid:rating_code>/file/",
        evidence_download,
        name="evidence_download",
    ),
    path(
        "assessments/<uuid:code>/ratings/<uuid:rating_code>/review/",
        aspect_review,
        name="aspect_review",
    ),
    path("assessments/<uuid:code>/submit/", assessment_submit, name="assessment_submit"),
    path("assessments/<uuid:code>/review/", assessment_review, name="assessment_review"),
    path("assessments/<uuid:code>/reopen/", assessment_reopen, name="assessment_reopen"),
]
