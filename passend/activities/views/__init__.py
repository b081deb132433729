"""Activity log views: a BPO's week, quick entry, a week grid, CSV import and export.

Only people with a school to log time at use these pages (access.require_logger: 403
otherwise); someone else's activity is a 404 (access.get_activity_for_user). Every change is a
call of passend.activities.services.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from passend.activities import access, services
from passend.activities.choices import TaskArea
from passend.activities.forms import ActivityForm, BulkRowForm, ImportForm
from passend.activities.models import Activity
from passend.front.feedback import add_service_error, flash_errors
from passend.quality.reports import spreadsheet_safe

BULK_ROWS = 40


# --- Helpers -------------------------------------------------------------------------------------


def parse_week(value: str | None) -> date:
    """The Monday of an ISO week "2026-W49" (the current week when missing or invalid)."""
    if value:
        try:
            year_text, week_text = value.upper().split("-W")
            return date.fromisocalendar(int(year_text), int(week_text), 1)
        except ValueError:
            pass
    today = timezone.localdate()
    return today - timedelta(days=today.weekday())


def week_label(monday: date) -> str:
    year, week, _day = monday.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass
class WeekTable:
    """Hours per day × task area for one week, with totals."""

    monday: date
    activities: list
    days: list[date] = field(init=False)
    rows: list[dict] = field(init=False)
    area_totals: list[Decimal] = field(init=False)
    total: Decimal = field(init=False)

    def __post_init__(self) -> None:
        self.days = [self.monday + timedelta(days=i) for i in range(7)]
        cells: dict[tuple[date, str], Decimal] = {}
        for a in self.activities:
            cells[(a.date, a.area)] = cells.get((a.date, a.area), Decimal(0)) + a.hours
        self.rows = []
        for day in self.days:
            values = [cells.get((day, area), Decimal(0)) for area in TaskArea.values]
            self.rows.append({"day": day, "cells": values, "total": sum(values, Decimal(0))})
        self.area_totals = [
            sum((row["cells"][i] for row in self.rows), Decimal(0))
            for i in range(len(TaskArea.values))
        ]
        self.total = sum(self.area_totals, Decimal(0))

    @property
    def areas(self) -> list[str]:
        return [str(label) for label in TaskArea.labels]


def _week_activities(user, monday: date) -> list[Activity]:
    return list(
        access.own_activities(user)
        .filter(date__gte=monday, date__lte=monday + timedelta(days=6))
        .select_related("school")
        .order_by("date", "created_at")
    )


def _last_defaults(request: HttpRequest) -> dict:
    last = access.own_activities(request.user).order_by("-created_at").first()
    initial = {"date": timezone.localdate()}
    if last is not None:
        initial.update(school=last.school_id, area=last.area)
    else:
        session = request.session.get("activities_last", {})
        initial.update({k: v for k, v in session.items() if k in {"school", "area"}})
    return initial


def _schools(user):
    return access.loggable_schools(user).order_by("name")


def _week_url(monday: date) -> str:
    return f"{reverse('activities:week')}?week={week_label(monday)}"


# --- Views ---------------------------------------------------------------------------------------


@login_required
@require_GET
def week(request: HttpRequest) -> HttpResponse:
    access.require_logger(request.user)
    monday = parse_week(request.GET.get("week"))
    activities = _week_activities(request.user, monday)
    context = {
        "table": WeekTable(monday, activities),
        "activities": activities,
        "week": week_label(monday),
        "monday": monday,
        "sunday": monday + timedelta(days=6),
        "previous": week_label(monday - timedelta(days=7)),
        "next": week_label(monday + timedelta(days=7)),
        "this_week": week_label(parse_week(None)),
    }
    return render(request, "activities/week.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def activity_create(request: HttpRequest) -> HttpResponse:
    access.require_logger(request.user)
    schools = _schools(request.user)
    if request.method == "POST":
        form = ActivityForm(request.POST, schools=schools)
        if form.is_valid():
            data = form.cleaned_data
            try:
                activity = services.log_activity(
                    bpo=request.user,
                    school=data["school"],
                    date=data["date"],
                    hours=data["hours"],
                    area=data["area"],
                    sub_area=data["sub_area"],
                    note=data["note"],
                    acting_user=request.user,
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                request.session["activities_last"] = {
                    "school": activity.school_id,
                    "area": activity.area,
                }
                messages.success(
                    request,
                    _("Vastgelegd: %(hours)s uur %(area)s op %(date)s.")
                    % {
                        # In the user's language: "1,5" and 1-12-2026 in Dutch.
                        "hours": formats.number_format(activity.hours.normalize()),
                        "area": activity.get_area_display().lower(),
                        "date": formats.date_format(activity.date, "SHORT_DATE_FORMAT"),
                    },
                )
                return redirect(
                    f"{reverse('activities:activity_create')}?date={activity.date.isoformat()}"
                )
    else:
        initial = _last_defaults(request)
        asked = request.GET.get("date", "")
        try:
            initial["date"] = date.fromisoformat(asked) if asked else initial["date"]
        except ValueError:
            pass
        form = ActivityForm(schools=schools, initial=initial)
    day = form.cleaned_data.get("date") if form.is_bound else form.initial.get("date")
    monday = parse_week(None) if day is None else day - timedelta(days=day.weekday())
    context = {
        "form": form,
        "activity": None,
        "table": WeekTable(monday, _week_activities(request.user, monday)),
        "week": week_label(monday),
    }
    return render(request, "activities/activity_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, code) -> HttpResponse:
    access.require_logger(request.user)
    activity = access.get_activity_for_user(request.user, code)
    schools = _schools(request.user)
    if request.method == "POST":
        form = ActivityForm(request.POST, schools=schools)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.update_activity(
                    activity,
                    school=data["school"],
                    date=data["date"],
                    hours=data["hours"],
                    area=data["area"],
                    sub_area=data["sub_area"],
                    note=data["note"],
                    acting_user=request.user,
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("De activiteit is gewijzigd."))
                return redirect(_week_url(activity.date - timedelta(days=activity.date.weekday())))
    else:
        form = ActivityForm(
            schools=schools,
            initial={
                "date": activity.date,
                "school": activity.school_id,
                "area": activity.area,
                "hours": f"{activity.hours:.2f}".replace(".", ","),
                "sub_area": activity.sub_area,
                "note": activity.note,
            },
        )
    return render(request, "activities/activity_form.html", {"form": form, "activity": activity})


@login_required
@require_POST
def activity_delete(request: HttpRequest, code) -> HttpResponse:
    access.require_logger(request.user)
    activity = access.get_activity_for_user(request.user, code)
    monday = activity.date - timedelta(days=activity.date.weekday())
    services.delete_activity(activity, acting_user=request.user)
    messages.success(request, _("De activiteit is verwijderd."))
    return redirect(_week_url(monday))


@login_required
@require_http_methods(["GET", "POST"])
def week_bulk(request: HttpRequest) -> HttpResponse:
    access.require_logger(request.user)
    monday = parse_week(request.GET.get("week") or request.POST.get("week"))
    days = [monday + timedelta(days=i) for i in range(7)]
    schools = _schools(request.user)
    row_formset = formset_factory(
        BulkRowForm, extra=BULK_ROWS, max_num=BULK_ROWS, absolute_max=BULK_ROWS
    )
    kwargs = {"schools": schools, "days": days}
    if request.method == "POST":
        formset = row_formset(request.POST, prefix="r", form_kwargs=kwargs)
        if formset.is_valid():
            lines = [(i, f) for i, f in enumerate(formset.forms) if not f.is_blank]
            rows = [
                services.Row(
                    date=f.cleaned_data["date"],
                    school=f.cleaned_data["school"],
                    hours=f.cleaned_data["hours"],
                    area=f.cleaned_data["area"],
                    note=f.cleaned_data["note"],
                )
                for _i, f in lines
            ]
            try:
                count = services.log_week(bpo=request.user, rows=rows, acting_user=request.user)
            except ValidationError as error:
                per_row = (error.params or {}).get("rows", {}) if hasattr(error, "params") else {}
                for index, problems in per_row.items():
                    form = lines[index][1]
                    for problem in problems:
                        form.add_error(None, problem)
                flash_errors(request, error)
            else:
                messages.success(request, _("%(n)s activiteiten vastgelegd.") % {"n": count})
                return redirect(_week_url(monday))
        else:
            messages.error(request, _("Niets opgeslagen: verbeter de gemarkeerde regels."))
    else:
        defaults = _last_defaults(request)
        initial_day = timezone.localdate()
        if initial_day not in days:
            initial_day = monday
        initial = [
            {
                "day": initial_day.isoformat(),
                "school": defaults.get("school"),
                "area": defaults.get("area"),
            }
        ] * BULK_ROWS
        formset = row_formset(prefix="r", form_kwargs=kwargs, initial=initial)
    context = {
        "formset": formset,
        "week": week_label(monday),
        "monday": monday,
        "sunday": monday + timedelta(days=6),
    }
    return render(request, "activities/week_bulk.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def activity_import(request: HttpRequest) -> HttpResponse:
    access.require_logger(request.user)
    problems: list[str] = []
    result = None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            raw = upload.read(services.MAX_IMPORT_BYTES + 1)
            try:
                result = services.import_csv(
                    bpo=request.user, raw_bytes=raw, acting_user=request.user
                )
            except ValidationError as error:
                problems = error.messages
    else:
        form = ImportForm()
    context = {"form": form, "problems": problems, "result": result, "columns": services.COLUMNS}
    return render(request, "activities/import.html", context)


@login_required
@require_GET
def activity_export(request: HttpRequest) -> HttpResponse:
    access.require_logger(request.user)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="activiteiten.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(services.COLUMNS)
    for a in (
        access.own_activities(request.user).select_related("school").order_by("date", "created_at")
    ):
        writer.writerow(
            [
                a.date.isoformat(),
                a.school.location_code,
                a.area,
                f"{a.hours:.2f}".replace(".", ","),
                spreadsheet_safe(a.sub_area),
                spreadsheet_safe(a.note),
            ]
        )
    return response


urlpatterns = [
    path("me/activities/", week, name="week"),
    path("me/activities/new/", activity_create, name="activity_create"),
    path("me/activities/week/", week_bulk, name="week_bulk"),
    path("me/activities/import/", activity_import, name="activity_import"),
    path("me/activities/export.csv", activity_export, name="activity_export"),
    path("activities/<uuid:code>/edit/", activity_edit, name="activity_edit"),
    path("activities/<uuid:code>/delete/", activity_delete, name="activity_delete"),
]
