"""Partnership → schools → school pages. Every lookup goes through passend.accounts.access."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from passend.accounts import access
from passend.agreements import access as agreements_access
from passend.applications import access as application_access
from passend.organisations.models import Enrollment, School, SchoolYear, SupportTeamMember
from passend.quality import access as quality_access
from passend.staffing import access as staffing_access
from passend.staffing.models import BpoAssignment
from passend.students.access import file_school_ids


def _schools_with_latest_count(queryset):
    latest = Enrollment.objects.filter(school=OuterRef("pk")).order_by("-school_year__start")
    return queryset.select_related("board", "partnership").annotate(
        latest_count=Subquery(latest.values("student_count")[:1]),
        latest_suppressed=Subquery(latest.values("student_count_suppressed")[:1]),
        latest_year=Subquery(latest.values("school_year__name")[:1]),
    )


@login_required
@require_GET
def partnership_detail(request: HttpRequest, code) -> HttpResponse:
    partnership = access.get_partnership_for_user(request.user, code)
    schools = School.objects.visible_to(request.user).filter(partnership=partnership)
    totals = schools.aggregate(
        schools=Count("pk", distinct=True), boards=Count("board", distinct=True)
    )
    latest_year = SchoolYear.objects.filter(
        pk__in=Enrollment.objects.filter(partnership=partnership).values("school_year")
    ).first()
    students = None
    if latest_year is not None:
        students = Enrollment.objects.filter(school__in=schools, school_year=latest_year).aggregate(
            students=Sum("student_count")
        )
    scope = access.scope_for(request.user)
    return render(
        request,
        "organisations/partnership_detail.html",
        {
            "partnership": partnership,
            "totals": totals,
            "latest_year": latest_year,
            "students": students,
            "can_manage_users": partnership.pk in scope.partnership_ids(access.USER_ADMIN_ROLES),
            "can_read_frameworks": partnership.pk
            in quality_access.framework_partnership_ids(request.user),
            "can_read_applications": partnership.pk
            in application_access.swv_partnership_ids(request.user),
        },
    )


@login_required
@require_GET
def school_list(request: HttpRequest) -> HttpResponse:
    """All schools the user may see, searchable, paginated; a constant number of queries."""
    schools = School.objects.visible_to(request.user)
    # NUL bytes are dropped: PostgreSQL refuses them in a query parameter.
    query = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    if query:
        schools = schools.filter(
            Q(name__icontains=query)
            | Q(town__icontains=query)
            | Q(location_code__icontains=query)
            | Q(municipality__icontains=query)
        )
    page = Paginator(_schools_with_latest_count(schools).order_by("name", "location_code"), 50)
    page_obj = page.get_page(request.GET.get("page"))
    template = "organisations/school_list.html"
    if request.htmx:
        template += "#results"
    return render(request, template, {"page_obj": page_obj, "query": query})


@login_required
@require_GET
def school_detail(request: HttpRequest, code) -> HttpResponse:
    school = access.get_school_for_user(request.user, code)
    enrollments = Enrollment.objects.filter(school=school).select_related("school_year")
    current_year = SchoolYear.current()
    team_members = (
        SupportTeamMember.objects.filter(school=school, team__school_year=current_year)
        .select_related("user")
        .order_by("domain", "name")
    )
    can_see_staffing = staffing_access.can(request.user, school, staffing_access.VIEW_ROLES)
    bpo_assignments = (
        BpoAssignment.objects.filter(school=school, school_year=current_year)
        .select_related("bpo")
        .order_by("kind", "bpo__full_name", "start_date")
        if can_see_staffing
        else []
    )
    return render(
        request,
        "organisations/school_detail.html",
        {
            "school": school,
            "enrollments": enrollments,
            "current_year": current_year,
            "team_members": team_members,
            "can_see_assessments": quality_access.can(request.user, "view", school),
            "can_see_staffing": can_see_staffing,
            "can_see_procedures": staffing_access.can(
                request.user, school, staffing_access.PROCEDURE_VIEW_ROLES
            ),
            "bpo_assignments": bpo_assignments,
            "can_see_agreements": agreements_access.can(
                request.user, school, agreements_access.SCHOOL_ROLES | agreements_access.READ_ROLES
            ),
            "can_see_students": school.pk in file_school_ids(request.user),
            "can_see_task_description": agreements_access.can(
                request.user, school, agreements_access.DESCRIPTION_READ_ROLES
            ),
        },
    )
