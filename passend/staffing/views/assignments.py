"""Staffing views: BPO assignments (inzet) per school and year, and qualifications (aspect 13).

- A school's assignments per school year, with the flags of aspects 2/3/4/6 and BPO+ apart;
  create, detail, edit, end, and the audited download of the management agreement.
- A BPO's own page (``me/bpo/``): their assignments at all schools, their qualifications with
  the aspect-13 verdict; add, change and delete a qualification; download its file.
- A BPO's profile as school leadership or the consultant sees it (read-only).

Lookups go through passend.staffing.access (404 outside the scope, 403 in scope without the
right); changes through passend.staffing.services, whose ValidationError shows as form errors.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from passend.accounts.access import _parse_code
from passend.accounts.choices import Role
from passend.front.feedback import add_service_error, flash_errors
from passend.front.uploads import attachment_response
from passend.organisations.models import SchoolYear
from passend.quality.evidence import Evidence
from passend.staffing import access, services
from passend.staffing.choices import AssignmentKind
from passend.staffing.evidence import checks, salary_scale, weekdays
from passend.staffing.forms.assignments import (
    AssignmentForm,
    EndAssignmentForm,
    QualificationForm,
)
from passend.staffing.models import BpoAssignment, Qualification

#: Who may read the qualifications of the BPOs of a school (passend.staffing.access).
PEOPLE_ROLES = access.VIEW_ROLES - {Role.BPO, Role.OFFICE}


# --- Helpers -------------------------------------------------------------------------------------


@dataclass
class AssignmentRow:
    """One assignment as listed: the verdicts of aspects 2–6 and the salary scale."""

    assignment: BpoAssignment
    checks: dict[str, Evidence]
    scale: Evidence | None
    profile_url: str | None = None

    @property
    def flags(self) -> list[tuple[str, Evidence, str]]:
        """(aspect, verdict, short text) for the table columns of aspects 2, 3, 4 and 6."""
        a = self.assignment
        yes, no = _("ja"), _("nee")
        return [
            ("2", self.checks["2"], yes if a.workplace_confirmed else no),
            ("3", self.checks["3"], yes if a.student_system_access else no),
            ("4", self.checks["4"], weekdays(a.presence_days) or _("niet vastgelegd")),
            ("6", self.checks["6"], self.checks["6"].text),
        ]

    @property
    def problems(self) -> list[tuple[str, Evidence]]:
        """The aspects whose verdict is negative, for the detail page's summary."""
        found = [(n, e) for n, e in self.checks.items() if e.met is False]
        if self.scale is not None and self.scale.met is False:
            found.append(("", self.scale))
        return found


@dataclass
class YearTotals:
    hours_per_week: Decimal = Decimal("0")
    annual_hours: Decimal = Decimal("0")
    unknown_annual: int = 0
    rows: list[AssignmentRow] = field(default_factory=list)


def _rows(assignments, minimum: int, profile_url=None) -> list[AssignmentRow]:
    return [
        AssignmentRow(
            assignment=a,
            checks=checks(a),
            scale=salary_scale(a, minimum),
            profile_url=profile_url(a) if profile_url else None,
        )
        for a in assignments
    ]


def _totals(rows: list[AssignmentRow]) -> YearTotals:
    totals = YearTotals(rows=rows)
    for row in rows:
        a = row.assignment
        totals.hours_per_week += a.hours_per_week
        if a.annual_hours is None:
            totals.unknown_annual += 1
        else:
            totals.annual_hours += a.annual_hours
    return totals


def _year_from(request: HttpRequest) -> SchoolYear:
    """The school year of ``?year=2025-2026``; the current one when absent or unknown."""
    name = request.GET.get("year", "")
    year = SchoolYear.objects.filter(name=name[:9]).first() if name else None
    return year or SchoolYear.current()


def _detail_url(assignment: BpoAssignment) -> str:
    return reverse("staffing:assignment_detail", args=[assignment.code])


def _school_url(assignment: BpoAssignment) -> str:
    url = reverse("staffing:school_assignments", args=[assignment.school.code])
    return f"{url}?year={assignment.school_year.name}"


def _may_see_people(user, school) -> bool:
    return access.can(user, school, PEOPLE_ROLES)


# --- A school's assignments ----------------------------------------------------------------------


@login_required
@require_GET
def school_assignments(request: HttpRequest, school_code) -> HttpResponse:
    """The school's BPOs in a school year: hours, employment, manager and the flags of aspects
    2/3/4/6; BPO+ hours at the school apart. Constant queries in the number of assignments."""
    school = access.get_school_for_staffing(request.user, school_code)
    year = _year_from(request)
    assignments = list(
        BpoAssignment.objects.filter(school=school, school_year=year)
        .select_related("bpo", "manager")
        .order_by("bpo__full_name", "start_date", "pk")
    )
    minimum = services.minimum_salary_scale(school.partnership, year)
    user = request.user
    may_see_people = _may_see_people(user, school)

    def profile_url(a):
        if a.bpo_id == user.pk:
            return reverse("staffing:my_staffing")
        if may_see_people:
            return reverse("staffing:bpo_profile", args=[a.bpo.code])
        return None

    rows = _rows(assignments, minimum, profile_url)
    years = SchoolYear.objects.filter(
        Q(pk__in=BpoAssignment.objects.filter(school=school).values("school_year"))
        | Q(pk__in=[year.pk, SchoolYear.current().pk])
    ).order_by("-start")
    return render(
        request,
        "staffing/assignments/school_assignments.html",
        {
            "school": school,
            "year": year,
            "years": years,
            "regular": _totals([r for r in rows if r.assignment.kind == AssignmentKind.REGULAR]),
            "plus": _totals([r for r in rows if r.assignment.kind == AssignmentKind.PLUS]),
            "minimum_scale": minimum,
            "may_edit": access.can(user, school, access.EDIT_ROLES),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def assignment_create(request: HttpRequest, school_code) -> HttpResponse:
    school = access.get_school_for_staffing(
        request.user, school_code, write_roles=access.EDIT_ROLES
    )
    form = AssignmentForm(request.POST or None, request.FILES or None, school=school)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assignment = services.create_assignment(
                school=school,
                **form.fixed_fields(),
                **form.terms(),
                management_agreement=data["management_agreement"],
                acting_user=request.user,
                request=request,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("De inzet van %(name)s is vastgelegd.") % {"name": assignment.bpo},
            )
            return redirect(_detail_url(assignment))
    back = reverse("staffing:school_assignments", args=[school.code])
    return render(
        request,
        "staffing/assignments/assignment_form.html",
        {"school": school, "form": form, "assignment": None, "back": back},
    )


# --- One assignment ------------------------------------------------------------------------------


@login_required
@require_GET
def assignment_detail(request: HttpRequest, code) -> HttpResponse:
    """All terms of the assignment with the verdicts of aspects 2–6, the salary scale, and the
    BPO's aspect-13 verdict for those who may read their qualifications."""
    assignment = access.get_assignment_for_user(request.user, code)
    school = assignment.school
    minimum = services.minimum_salary_scale(school.partnership, assignment.school_year)
    (row,) = _rows([assignment], minimum)
    user = request.user
    verdict = qualifications = None
    if (
        assignment.bpo_id == user.pk
        or access.visible_people(user).filter(pk=assignment.bpo_id).exists()
    ):
        qualifications = list(assignment.bpo.qualifications.all())
        verdict = services.aspect13_verdict(qualifications)
    may_edit = access.can(user, school, access.EDIT_ROLES)
    return render(
        request,
        "staffing/assignments/assignment_detail.html",
        {
            "assignment": assignment,
            "school": school,
            "row": row,
            "checks": sorted(row.checks.items(), key=lambda item: int(item[0])),
            "minimum_scale": minimum,
            "verdict": verdict,
            "qualifications": qualifications,
            "profile_url": (
                reverse("staffing:my_staffing")
                if assignment.bpo_id == user.pk
                else reverse("staffing:bpo_profile", args=[assignment.bpo.code])
            )
            if verdict is not None
            else None,
            "may_edit": may_edit,
            "end_form": EndAssignmentForm(initial={"end_date": assignment.end_date})
            if may_edit
            else None,
            "back": _school_url(assignment),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def assignment_edit(request: HttpRequest, code) -> HttpResponse:
    assignment = access.get_assignment_for_user(request.user, code, write=True)
    initial = {
        name: getattr(assignment, name)
        for name in (
            "request_note",
            "hours_per_week",
            "annual_hours",
            "employment_type",
            "employer_name",
            "manager",
            "manager_name",
            "management_agreement_date",
            "salary_scale",
            "start_date",
            "end_date",
            "workplace_confirmed",
            "student_system_access",
            "presence_days",
            "presence_note",
        )
    }
    form = AssignmentForm(
        request.POST or None,
        request.FILES or None,
        school=assignment.school,
        assignment=assignment,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_assignment(
                assignment,
                acting_user=request.user,
                management_agreement=data["management_agreement"],
                remove_agreement=data.get("remove_agreement", False),
                request=request,
                **form.terms(),
            )
        except ValidationError as error:
            assignment.refresh_from_db()
            add_service_error(form, error)
        else:
            messages.success(request, _("De inzet is opgeslagen."))
            return redirect(_detail_url(assignment))
    return render(
        request,
        "staffing/assignments/assignment_form.html",
        {
            "school": assignment.school,
            "form": form,
            "assignment": assignment,
            "back": _detail_url(assignment),
        },
    )


@login_required
@require_POST
def assignment_end(request: HttpRequest, code) -> HttpResponse:
    assignment = access.get_assignment_for_user(request.user, code, write=True)
    form = EndAssignmentForm(request.POST)
    if not form.is_valid():
        flash_errors(request, form)
        return redirect(_detail_url(assignment))
    try:
        services.end_assignment(
            assignment,
            end_date=form.cleaned_data["end_date"],
            acting_user=request.user,
            request=request,
        )
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("De einddatum van de inzet is vastgelegd."))
    return redirect(_detail_url(assignment))


@login_required
@require_GET
def assignment_agreement(request: HttpRequest, code) -> FileResponse:
    assignment = access.get_assignment_for_user(request.user, code)
    try:
        handle = services.open_management_agreement(
            assignment, acting_user=request.user, request=request
        )
    except FileNotFoundError:
        raise Http404 from None
    return attachment_response(
        handle,
        assignment.management_agreement.name,
        assignment.management_agreement_filename,
    )


# --- A BPO's own page and qualifications ---------------------------------------------------------


def _assignments_of(person, viewer) -> list[BpoAssignment]:
    queryset = BpoAssignment.objects.filter(bpo=person)
    if viewer.pk != person.pk:
        queryset = access.visible_assignments(viewer).filter(bpo=person)
    return list(
        queryset.select_related("school", "school_year", "manager").order_by(
            "-school_year__start", "kind", "school__name", "start_date"
        )
    )


def _person_context(person, viewer) -> dict:
    qualifications = list(person.qualifications.order_by("kind", "-year", "title"))
    assignments = _assignments_of(person, viewer)
    return {
        "person": person,
        "qualifications": qualifications,
        "verdict": services.aspect13_verdict(qualifications),
        "regular_assignments": [a for a in assignments if a.kind == AssignmentKind.REGULAR],
        "plus_assignments": [a for a in assignments if a.kind == AssignmentKind.PLUS],
    }


@login_required
@require_GET
def my_staffing(request: HttpRequest) -> HttpResponse:
    """The signed-in BPO's assignments at all schools (BPO+ too) and their qualifications with
    the aspect-13 verdict. Every signed-in person may keep their qualifications here (a
    candidate records them before the appointment)."""
    context = _person_context(request.user, request.user)
    context["is_own"] = True
    return render(request, "staffing/assignments/my_staffing.html", context)


@login_required
@require_GET
def bpo_profile(request: HttpRequest, user_code) -> HttpResponse:
    """A BPO's qualifications, verdict and the assignments the viewer may see, read-only, for
    school leadership and the consultant (passend.staffing.access.visible_people)."""
    person = access.visible_people(request.user).filter(code=_parse_code(user_code)).first()
    if person is None:
        raise Http404
    context = _person_context(person, request.user)
    context["is_own"] = person.pk == request.user.pk
    return render(request, "staffing/assignments/bpo_profile.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def qualification_create(request: HttpRequest) -> HttpResponse:
    form = QualificationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_qualification(
                acting_user=request.user,
                kind=data["kind"],
                title=data["title"],
                institution=data["institution"],
                year=data["year"],
                evidence_file=data["evidence_file"],
                request=request,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("De opleiding is toegevoegd."))
            return redirect("staffing:my_staffing")
    return render(
        request,
        "staffing/assignments/qualification_form.html",
        {"form": form, "qualification": None},
    )


@login_required
@require_http_methods(["GET", "POST"])
def qualification_edit(request: HttpRequest, code) -> HttpResponse:
    qualification = access.get_qualification_for_user(request.user, code, write=True)
    form = QualificationForm(
        request.POST or None,
        request.FILES or None,
        has_file=bool(qualification.evidence_file),
        initial={
            "kind": qualification.kind,
            "title": qualification.title,
            "institution": qualification.institution,
            "year": qualification.year,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_qualification(
                qualification,
                acting_user=request.user,
                kind=data["kind"],
                title=data["title"],
                institution=data["institution"],
                year=data["year"],
                evidence_file=data["evidence_file"],
                remove_file=data.get("remove_file", False),
                request=request,
            )
        except ValidationError as error:
            qualification.refresh_from_db()
            add_service_error(form, error)
        else:
            messages.success(request, _("De opleiding is opgeslagen."))
            return redirect("staffing:my_staffing")
    return render(
        request,
        "staffing/assignments/qualification_form.html",
        {"form": form, "qualification": qualification},
    )


@login_required
@require_POST
def qualification_delete(request: HttpRequest, code) -> HttpResponse:
    qualification = access.get_qualification_for_user(request.user, code, write=True)
    services.delete_qualification(qualification, acting_user=request.user, request=request)
    messages.success(
        request, _("De opleiding „%(title)s” is verwijderd.") % {"title": qualification.title}
    )
    return redirect("staffing:my_staffing")


@login_required
@require_GET
def qualification_file(request: HttpRequest, code) -> FileResponse:
    qualification: Qualification = access.get_qualification_for_user(request.user, code)
    try:
        handle = services.open_qualification_file(
            qualification, acting_user=request.user, request=request
        )
    except FileNotFoundError:
        raise Http404 from None
    return attachment_response(
        handle, qualification.evidence_file.name, qualification.evidence_filename
    )


urlpatterns = [
    path("schools/<uuid:school_code>/bpo/", school_assignments, name="school_assignments"),
    path("schools/<uuid:school_code>/bpo/new/", assignment_create, name="assignment_create"),
    path("bpo-assignments/<uuid:code>/", assignment_detail, name="assignment_detail"),
    path("bpo-assignments/<uuid:code>/edit/", assignment_edit, name="assignment_edit"),
    path("bpo-assignments/<uuid:code>/end/", assignment_end, name="assignment_end"),
    path(
        "bpo-assignments/<uuid:code>/agreement/",
        assignment_agreement,
        name="assignment_agreement",
    ),
    path("me/bpo/", my_staffing, name="my_staffing"),
    path("me/bpo/qualifications/new/", qualification_create, name="qualification_create"),
    path("qualifications/<uuid:code>/edit/", qualification_edit, name="qualification_edit"),
    path(
        "qualifications/<uuid:code>/delete/",
        qualification_delete,
        name="qualification_delete",
    ),
    path("qualifications/<uuid:code>/file/", qualification_file, name="qualification_file"),
    path("people/<uuid:user_code>/bpo/", bpo_profile, name="bpo_profile"),
]
