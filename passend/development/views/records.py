"""My professional development: my registrations, the events I attended (with hours), and my
own records of other development (aspect 12) with their certificates."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from passend.development import access, services
from passend.development.choices import RegistrationStatus
from passend.development.forms.records import RecordForm
from passend.development.models import PdRegistration
from passend.front.feedback import add_service_error
from passend.front.uploads import attachment_response
from passend.organisations.models import SchoolYear

MY_PAGE = "development:my_development"


def _require_pd_user(user) -> None:
    """The PD pages are for people who see SWV events at all (404 for everyone else)."""
    if not access.event_partnership_ids(user):
        raise Http404


@login_required
@require_GET
def my_development(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require_pd_user(user)
    now = timezone.now()
    registrations = list(
        PdRegistration.objects.filter(user=user, event__in=access.visible_events(user))
        .exclude(status=RegistrationStatus.CANCELLED)
        .select_related("event")
        .order_by("-event__starts_at", "pk")
    )
    upcoming = [r for r in reversed(registrations) if r.event.ends_at > now]
    attended = [r for r in registrations if r.attended]
    records = list(user.pd_records.order_by("-date", "-pk"))
    year = SchoolYear.current()
    start, end = services.year_bounds(year)
    year_attended = [r for r in attended if start <= r.event.starts_at < end]
    year_records = [r for r in records if year.start <= r.date <= year.end]
    return render(
        request,
        "development/my_development.html",
        {
            "upcoming": upcoming,
            "attended": attended,
            "attended_hours": sum((r.event.hours for r in attended), Decimal("0")),
            "records": records,
            "records_hours": sum((r.hours for r in records), Decimal("0")),
            "year": year,
            "year_attended": len(year_attended),
            "year_attended_hours": sum((r.event.hours for r in year_attended), Decimal("0")),
            "year_records": len(year_records),
            "year_records_hours": sum((r.hours for r in year_records), Decimal("0")),
            "may_keep_records": services.may_keep_records(user),
            "event_lists": _event_lists(user),
            "statuses": RegistrationStatus,
        },
    )


def _event_lists(user) -> list:
    from passend.organisations.models import Partnership

    return list(
        Partnership.objects.filter(pk__in=access.event_partnership_ids(user)).order_by("name")
    )


def _record_form_page(request, form, record_obj=None) -> HttpResponse:
    return render(
        request,
        "development/record_form.html",
        {"form": form, "record": record_obj, "back_url": reverse(MY_PAGE)},
    )


def _save(request, form, record_obj=None) -> HttpResponse | None:
    data = form.cleaned_data
    try:
        services.save_record(
            acting_user=request.user,
            record_obj=record_obj,
            title=data["title"],
            provider=data["provider"],
            date=data["date"],
            hours=data["hours"],
            certificate=data.get("certificate"),
            remove_certificate=data.get("remove_certificate", False),
            request=request,
        )
    except ValidationError as error:
        add_service_error(form, error)
        return None
    messages.success(request, _("Je professionalisering is opgeslagen."))
    return redirect(f"{reverse(MY_PAGE)}#records-title")


@login_required
@require_http_methods(["GET", "POST"])
def record_create(request: HttpRequest) -> HttpResponse:
    _require_pd_user(request.user)
    if not services.may_keep_records(request.user):
        raise PermissionDenied
    form = RecordForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        response = _save(request, form)
        if response is not None:
            return response
    return _record_form_page(request, form)


@login_required
@require_http_methods(["GET", "POST"])
def record_edit(request: HttpRequest, code) -> HttpResponse:
    record_obj = access.get_record_for_user(request.user, code, write=True)
    form = RecordForm(
        request.POST or None,
        request.FILES or None,
        initial={
            "title": record_obj.title,
            "provider": record_obj.provider,
            "date": record_obj.date,
            "hours": record_obj.hours,
        },
        has_file=bool(record_obj.certificate),
    )
    if request.method == "POST" and form.is_valid():
        response = _save(request, form, record_obj)
        if response is not None:
            return response
        record_obj.refresh_from_db()
    return _record_form_page(request, form, record_obj)


@login_required
@require_POST
def record_delete(request: HttpRequest, code) -> HttpResponse:
    record_obj = access.get_record_for_user(request.user, code, write=True)
    title = record_obj.title
    services.delete_record(record_obj, acting_user=request.user, request=request)
    messages.success(request, _("„%(title)s” is verwijderd.") % {"title": title})
    return redirect(f"{reverse(MY_PAGE)}#records-title")


@login_required
@require_GET
def record_certificate(request: HttpRequest, code) -> FileResponse:
    record_obj = access.get_record_for_user(request.user, code)
    try:
        handle = services.open_certificate(record_obj, acting_user=request.user, request=request)
    except FileNotFoundError:
        raise Http404 from None
    return attachment_response(handle, record_obj.certificate.name, record_obj.certificate_filename)


urlpatterns = [
    path("me/development/", my_development, name="my_development"),
    path("me/development/records/new/", record_create, name="record_create"),
    path("development/records/<uuid:code>/edit/", record_edit, name="record_edit"),
    path("development/records/<uuid:code>/delete/", record_delete, name="record_delete"),
    path(
        "development/records/<uuid:code>/certificate/",
        record_certificate,
        name="record_certificate",
    ),
]
