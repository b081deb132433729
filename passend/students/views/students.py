"""Student pages: a school's student list (coordinator and BPOs), the student file with
guardians, cases and consents, creating and editing a student (the coordinator), and a mentor's
own students.

Every lookup goes through passend.students.access (404 outside the scope, 403 without the
right); every change is a call of passend.students.services; every read of a student's data is
audited (passend.privacy.audit.record_view; the list writes one event per request).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from passend.accounts.choices import Role
from passend.audit.services import record
from passend.caseload.access import visible_cases
from passend.front.feedback import add_service_error
from passend.plans.services import plan_summary
from passend.privacy.audit import acting_role, record_view
from passend.students import access, services
from passend.students.forms.students import (
    ALL,
    LEFT,
    GuardianFormSet,
    StudentFilterForm,
    StudentForm,
    guardian_initial,
)

GUARDIAN_PREFIX = "ouders"
PER_PAGE = 50


def _filtered(students, filters: dict):
    today = timezone.localdate()
    current = Q(left_on__isnull=True) | Q(left_on__gt=today)
    if filters["status"] == LEFT:
        students = students.exclude(current)
    elif filters["status"] != ALL:
        students = students.filter(current)
    if filters["klas"]:
        students = students.filter(class_name=filters["klas"])
    for word in filters["q"].split()[:5]:
        students = students.filter(
            Q(first_name__icontains=word)
            | Q(name_prefix__icontains=word)
            | Q(last_name__icontains=word)
            | Q(student_number__icontains=word)
            | Q(class_name__iexact=word)
        )
    return students


@login_required
@require_GET
def student_list(request: HttpRequest, code) -> HttpResponse:
    """The school's students: search, class and current/left filters, 50 per page; a constant
    number of queries and one audit event per request."""
    school = access.get_file_school(request.user, code)
    students = access.visible_students(request.user).filter(school=school)
    classes = sorted(set(students.exclude(class_name="").values_list("class_name", flat=True)))
    form = StudentFilterForm(request.GET or None, classes=classes)
    filters = form.filters()
    paginator = Paginator(_filtered(students, filters).select_related("mentor"), PER_PAGE)
    page_obj = paginator.get_page(request.GET.get("page"))
    record(
        "student_list.viewed",
        actor=request.user,
        school=school,
        request=request,
        status=filters["status"],
        page=page_obj.number,
        shown=len(page_obj.object_list),
        students=sorted(str(s.code) for s in page_obj),
        on_behalf_of=acting_role(request.user, school.pk),
    )
    context = {
        "school": school,
        "form": form,
        "page_obj": page_obj,
        "filters": filters,
        "may_manage": services.may_manage(request.user, school),
    }
    return render(request, "students/student_list.html", context)


def _student_form(request, school, student=None):
    """The student form and guardian formset, bound on POST."""
    data = request.POST if request.method == "POST" else None
    initial = StudentForm.initial_for(student) if student and data is None else None
    form = StudentForm(data, initial=initial, school=school)
    formset = GuardianFormSet(
        data, prefix=GUARDIAN_PREFIX, initial=None if data else guardian_initial(student)
    )
    return form, formset


def _inputs(form, formset) -> tuple[dict, list]:
    fields = {name: form.cleaned_data[name] for name in services.STUDENT_FIELDS}
    return fields, [f.guardian_input() for f in formset.forms if not f.is_blank]


@login_required
@require_http_methods(["GET", "POST"])
def student_create(request: HttpRequest, code) -> HttpResponse:
    """A new student (the coordinator; a BPO gets 403)."""
    school = access.get_roster_school(request.user, code)
    form, formset = _student_form(request, school)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        fields, guardians = _inputs(form, formset)
        try:
            student = services.create_student(school, fields, guardians, acting_user=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("De leerling is toegevoegd."))
            return redirect("students:student_detail", code=student.code)
    context = {"school": school, "form": form, "formset": formset, "student": None}
    return render(request, "students/student_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def student_edit(request: HttpRequest, code) -> HttpResponse:
    """A student's data and guardians (the coordinator; a BPO gets 403)."""
    student = access.get_student_for_user(request.user, code)
    school = access.get_roster_school(request.user, student.school.code)
    record_view(request, student, "student_edit")
    form, formset = _student_form(request, school, student)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        fields, guardians = _inputs(form, formset)
        try:
            services.update_student(student, fields, guardians, acting_user=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("De gegevens van de leerling zijn opgeslagen."))
            return redirect("students:student_detail", code=student.code)
    context = {"school": school, "form": form, "formset": formset, "student": student}
    return render(request, "students/student_form.html", context)


@login_required
@require_GET
def student_detail(request: HttpRequest, code) -> HttpResponse:
    """The student file: data, guardians, the cases the user sees, and consents."""
    user = request.user
    student = access.get_student_for_user(user, code)
    school = student.school
    record_view(request, student, "student")
    cases = visible_cases(user).filter(student=student).select_related("bpo")
    context = {
        "student": student,
        "school": school,
        "guardians": list(student.guardians.all()),
        "cases": list(cases.order_by("-signalled_on", "-created_at")),
        "has_left": student.left_on is not None and student.left_on <= timezone.localdate(),
        "may_manage": services.may_manage(user, school),
        "plan_summary": plan_summary(user, student),
    }
    return render(request, "students/student_detail.html", context)


@login_required
@require_GET
def my_mentor_students(request: HttpRequest) -> HttpResponse:
    """The signed-in mentor's current students, each with a link to the mentor report."""
    today = timezone.localdate()
    students = list(
        access.mentor_students(request.user)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=today))
        .select_related("school")
        .order_by("school__name", "class_name", "last_name", "first_name")
    )
    if students:
        record(
            "mentor_students.viewed",
            actor=request.user,
            request=request,
            shown=len(students),
            students=sorted(str(s.code) for s in students),
            on_behalf_of=Role.MENTOR.value,
        )
    return render(request, "students/my_mentor_students.html", {"students": students})


urlpatterns = [
    path("school/<uuid:code>/leerlingen/", student_list, name="student_list"),
    path("school/<uuid:code>/leerlingen/nieuw/", student_create, name="student_create"),
    path("leerlingen/<uuid:code>/", student_detail, name="student_detail"),
    path("leerlingen/<uuid:code>/bewerken/", student_edit, name="student_edit"),
    path("mentor/leerlingen/", my_mentor_students, name="my_mentor_students"),
]
