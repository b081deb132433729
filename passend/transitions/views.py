"""Transition pages: a school's transitions (filter by kind, direction and school year), one
transition with its warm handover and what was shared with consent, and recording or changing a
transition from the student page.

Lookups go through passend.transitions.access and passend.students.access (404 outside the
scope); changes through passend.transitions.services. Every page that shows a student's data
writes a read audit event (passend.privacy.audit)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from passend.front.feedback import add_service_error
from passend.organisations.models import SchoolYear
from passend.privacy.audit import record_view, record_views
from passend.students.access import get_student_for_user
from passend.transitions import access, services
from passend.transitions.forms import ALL, TransitionFilterForm, TransitionForm
from passend.transitions.models import Transition

PER_PAGE = 50


@login_required
@require_GET
def transition_list(request: HttpRequest, code) -> HttpResponse:
    """A school's transitions, newest first, 50 per page; a constant number of queries."""
    school = access.get_transition_school(request.user, code)
    form = TransitionFilterForm(request.GET or None)
    filters = form.filters()
    transitions = Transition.objects.filter(school=school).select_related("student", "other_school")
    if filters["kind"] != ALL:
        transitions = transitions.filter(kind=filters["kind"])
    if filters["direction"] != ALL:
        transitions = transitions.filter(direction=filters["direction"])
    if filters["year"] != ALL:
        year = SchoolYear.parse_name(filters["year"])
        transitions = transitions.filter(date__gte=f"{year}-08-01", date__lte=f"{year + 1}-07-31")
    ordering = ["-date", "student__last_name", "student__first_name", "pk"]
    paginator = Paginator(transitions.order_by(*ordering), PER_PAGE)
    page_obj = paginator.get_page(request.GET.get("page"))
    students = list({t.student.pk: t.student for t in page_obj}.values())
    record_views(request, students, "transition_list")
    query_string = request.GET.copy()
    query_string.pop("page", None)
    context = {
        "school": school,
        "form": form,
        "page_obj": page_obj,
        "query_string": query_string.urlencode(),
    }
    return render(request, "transitions/transition_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def transition_create(request: HttpRequest, code) -> HttpResponse:
    student = get_student_for_user(request.user, code)
    if not access.may_manage(request.user, student.school_id):
        raise PermissionDenied
    record_view(request, student, "transition_create")
    form = TransitionForm(request.POST or None, student=student)
    if request.method == "POST" and form.is_valid():
        try:
            transition = services.create_transition(
                student, form.service_input(), acting_user=request.user
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("De overstap is vastgelegd."))
            return redirect("transitions:transition_detail", transition.code)
    context = {"student": student, "form": form, "transition": None}
    return render(request, "transitions/transition_form.html", context)


@login_required
@require_GET
def transition_detail(request: HttpRequest, code) -> HttpResponse:
    transition = access.get_transition_for_user(request.user, code)
    record_view(request, transition.student, "transition", obj=transition)
    context = {"transition": transition, "student": transition.student}
    return render(request, "transitions/transition_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def transition_edit(request: HttpRequest, code) -> HttpResponse:
    transition = access.get_transition_for_user(request.user, code)
    student = transition.student
    record_view(request, student, "transition_edit", obj=transition)
    form = TransitionForm(
        request.POST or None, student=student, initial=TransitionForm.initial_for(transition)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_transition(transition, form.service_input(), acting_user=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("De overstap is opgeslagen."))
            return redirect("transitions:transition_detail", transition.code)
    context = {"student": student, "form": form, "transition": transition}
    return render(request, "transitions/transition_form.html", context)


urlpatterns = [
    path("school/<uuid:code>/overstappen/", transition_list, name="transition_list"),
    path("leerlingen/<uuid:code>/overstappen/nieuw/", transition_create, name="transition_create"),
    path("overstappen/<uuid:code>/", transition_detail, name="transition_detail"),
    path("overstappen/<uuid:code>/bewerken/", transition_edit, name="transition_edit"),
]
