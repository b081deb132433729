"""The start page per role, and the health check."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from passend.accounts import access
from passend.accounts.choices import Role
from passend.agreements import access as agreements_access
from passend.caseload import access as caseload_access
from passend.development import access as development_access
from passend.due import services as due_services
from passend.organisations.models import School
from passend.privacy.audit import record_views
from passend.quality import access as quality_access
from passend.staffing import access as staffing_access
from passend.students.access import file_school_ids

#: How many items of the due list the start page shows (the rest on the due page).
DUE_PANEL_SIZE = 6


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """What this user can reach, grouped by partnership, with what each role does there."""
    scope = access.scope_for(request.user)
    partnerships = list(access.visible_partnerships(request.user).order_by("name"))
    schools = list(
        School.objects.visible_to(request.user)
        .filter(pk__in=scope.school_ids())
        .select_related("partnership")
        .order_by("name")
    )
    admin_ids = scope.partnership_ids(access.USER_ADMIN_ROLES)
    wide_ids = scope.partnership_ids()
    framework_ids = quality_access.framework_partnership_ids(request.user)
    directory_ids = staffing_access.directory_partnership_ids(request.user)
    event_ids = development_access.event_partnership_ids(request.user)
    template_ids = agreements_access.template_partnership_ids(request.user)
    approach_ids = caseload_access.approach_partnership_ids(request.user)
    file_ids = file_school_ids(request.user)
    hours_ids = scope.partnership_ids(staffing_access.HOURS_VIEW_ROLES) | frozenset(
        s.partnership_id for s in schools if s.pk in scope.school_ids({Role.CONSULTANT})
    )
    sections = [
        {
            "partnership": p,
            "can_manage_users": p.pk in admin_ids,
            "reads_frameworks": p.pk in framework_ids,
            "reads_directory": p.pk in directory_ids,
            "reads_events": p.pk in event_ids,
            "reads_task_template": p.pk in template_ids,
            "reads_approaches": p.pk in approach_ids,
            "reads_hours": p.pk in hours_ids,
            "sees_all_schools": p.pk in wide_ids,
            "schools": [s for s in schools if s.partnership_id == p.pk],
            "file_school_ids": file_ids,
            "roles": sorted(
                {Role(r).label for r, ids in scope.partnership_roles.items() if p.pk in ids}
                | {
                    Role(r).label
                    for r, ids in scope.school_roles.items()
                    for s in schools
                    if s.pk in ids and s.partnership_id == p.pk
                }
            ),
        }
        for p in partnerships
    ]
    personal = {
        "is_bpo": Role.BPO in scope.roles,
        "keeps_development": bool(scope.roles & development_access.REGISTER_ROLES),
        "has_cases": bool(file_ids) or Role.PARTNER in scope.roles,
        "is_mentor": Role.MENTOR in scope.roles,
    }
    # One "Te doen" panel: the first items of the due list; they may name students.
    today = timezone.localdate()
    due_items = due_services.due_for(request.user, today)
    shown = due_items[:DUE_PANEL_SIZE]
    record_views(request, due_services.students_of(shown), "start_due_panel")
    return render(
        request,
        "front/home.html",
        {
            "sections": sections,
            "due": due_services.grouped(due_items, today),
            "due_items": shown,
            "today": today,
            "personal": personal,
        },
    )


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database status, for load balancers and monitoring. No data, no auth."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except Exception:  # any failure is reported, not raised: this page must answer
        database = "unavailable"
    status = 200 if database == "ok" else 503
    return JsonResponse(
        {
            "status": "ok" if status == 200 else "error",
            "database": database,
            "vendor": connection.vendor,
        },
        status=status,
    )
