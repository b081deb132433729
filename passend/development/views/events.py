"""SWV events: the list, one event with registration and the office's attendance list, the
calendar file, and creating/editing events.

Every lookup goes through passend.development.access (404 outside the scope, 403 without the
right to act); every change is a call of passend.development.services.
"""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from passend.development import access, services
from passend.development.calendar import event_calendar
from passend.development.choices import RegistrationStatus
from passend.development.forms.events import EventForm
from passend.development.models import PdEvent, PdRegistration
from passend.front.feedback import add_service_error, flash_errors


def _detail_url(event: PdEvent) -> str:
    return reverse("development:event_detail", args=[event.code])


def _with_seats(queryset, user):
    """Events annotated with the seats taken and the user's own registration status."""
    mine = PdRegistration.objects.filter(event=OuterRef("pk"), user=user).values("status")[:1]
    return queryset.annotate(
        taken=Count("registrations", filter=Q(registrations__status=RegistrationStatus.REGISTERED)),
        my_status=Subquery(mine),
    )


def seats_left(event) -> int | None:
    if event.capacity is None:
        return None
    return max(event.capacity - event.taken, 0)


# --- The list ------------------------------------------------------------------------------------


@login_required
@require_GET
def event_list(request: HttpRequest, partnership_code) -> HttpResponse:
    """Upcoming events (soonest first) and past ones (latest first) of the partnership."""
    partnership = access.get_partnership_for_events(request.user, partnership_code)
    now = timezone.now()
    events = list(
        _with_seats(PdEvent.objects.filter(partnership=partnership), request.user).order_by(
            "starts_at", "pk"
        )
    )
    for event in events:
        event.seats_left = seats_left(event)
        event.my_status_label = RegistrationStatus(event.my_status).label if event.my_status else ""
    upcoming = [e for e in events if e.ends_at > now]
    past = [e for e in reversed(events) if e.ends_at <= now]
    return render(
        request,
        "development/event_list.html",
        {
            "partnership": partnership,
            "upcoming": upcoming,
            "past": past,
            "can_manage": access.can_manage(request.user, partnership),
            "can_register": access.can_register(request.user, partnership),
            "statuses": RegistrationStatus,
        },
    )


# --- One event -----------------------------------------------------------------------------------


@login_required
@require_GET
def event_detail(request: HttpRequest, code) -> HttpResponse:
    event = access.get_event_for_user(request.user, code)
    event = (
        _with_seats(PdEvent.objects.filter(pk=event.pk), request.user)
        .select_related("partnership")
        .get()
    )
    partnership = event.partnership
    event.seats_left = seats_left(event)
    can_manage = access.can_manage(request.user, partnership)
    can_register = access.can_register(request.user, partnership)
    past = services.is_past(event)
    registrations = []
    if can_manage:
        registrations = list(
            event.registrations.exclude(status=RegistrationStatus.CANCELLED)
            .select_related("user")
            .order_by("registered_at", "pk")
        )
    waitlist_position = None
    if event.my_status == RegistrationStatus.WAITLISTED:
        waitlist_position = _waitlist_position(event, request.user)
    return render(
        request,
        "development/event_detail.html",
        {
            "event": event,
            "partnership": partnership,
            "can_manage": can_manage,
            "can_register": can_register,
            "past": past,
            "full": event.seats_left == 0,
            "registered": [r for r in registrations if r.status == RegistrationStatus.REGISTERED],
            "waitlisted": [r for r in registrations if r.status == RegistrationStatus.WAITLISTED],
            "waitlist_position": waitlist_position,
            "statuses": RegistrationStatus,
        },
    )


def _waitlist_position(event: PdEvent, user) -> int | None:
    """1 for the first on the waitlist; None when ``user`` is not waiting."""
    mine = event.registrations.filter(user=user, status=RegistrationStatus.WAITLISTED).first()
    if mine is None:
        return None
    earlier = Q(registered_at__lt=mine.registered_at) | Q(
        registered_at=mine.registered_at, pk__lt=mine.pk
    )
    ahead = event.registrations.filter(status=RegistrationStatus.WAITLISTED).filter(earlier)
    return ahead.count() + 1


@login_required
@require_POST
def event_register(request: HttpRequest, code) -> HttpResponse:
    event = access.get_event_for_user(request.user, code, register=True)
    try:
        registration = services.register(event, acting_user=request.user, request=request)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        if registration.status == RegistrationStatus.REGISTERED:
            messages.success(
                request, _("Je bent aangemeld voor „%(title)s”.") % {"title": event.title}
            )
        else:
            position = _waitlist_position(event, request.user)
            messages.info(
                request,
                _(
                    "De bijeenkomst is vol. Je staat op de wachtlijst (plaats %(n)s); "
                    "komt er een plek vrij, dan word je automatisch aangemeld."
                )
                % {"n": position},
            )
    return redirect(_detail_url(event))


@login_required
@require_POST
def event_cancel_registration(request: HttpRequest, code) -> HttpResponse:
    event = access.get_event_for_user(request.user, code, register=True)
    try:
        registration, _promoted = services.cancel_registration(
            event, acting_user=request.user, request=request
        )
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("Je bent afgemeld voor „%(title)s”.") % {"title": event.title})
    return redirect(_detail_url(event))


@login_required
@require_POST
def event_attendance(request: HttpRequest, code) -> HttpResponse:
    event = access.get_event_for_user(request.user, code, manage=True)
    listed = {value for value in request.POST.getlist("listed") if len(value) <= 36}
    present = {value for value in request.POST.getlist("present") if len(value) <= 36}
    try:
        changed = services.record_attendance(
            event, acting_user=request.user, present=present, listed=listed, request=request
        )
    except ValidationError as error:
        flash_errors(request, error)
    else:
        if changed:
            messages.success(request, _("De aanwezigheid is opgeslagen."))
        else:
            messages.info(request, _("Er is niets veranderd aan de aanwezigheid."))
    return redirect(f"{_detail_url(event)}#participants-title")


@login_required
@require_GET
def event_ics(request: HttpRequest, code) -> HttpResponse:
    """The event as an iCalendar file to add to one's own calendar."""
    event = access.get_event_for_user(request.user, code)
    body = event_calendar(
        event,
        page_url=request.build_absolute_uri(_detail_url(event)),
        host=re.sub(r":\d+$", "", request.get_host()) or "passend",
    )
    response = HttpResponse(body.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    filename = f"{slugify(event.title)[:60] or 'bijeenkomst'}.ics"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Create and edit -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request: HttpRequest, partnership_code) -> HttpResponse:
    partnership = access.get_partnership_for_events(request.user, partnership_code, manage=True)
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.create_event(
                partnership, acting_user=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("De bijeenkomst is aangemaakt."))
            return redirect(_detail_url(event))
    return render(
        request,
        "development/event_form.html",
        {
            "form": form,
            "partnership": partnership,
            "event": None,
            "back_url": reverse("development:event_list", args=[partnership.code]),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, code) -> HttpResponse:
    event = access.get_event_for_user(request.user, code, manage=True)
    form = EventForm(request.POST or None, initial=EventForm.initial_for(event))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_event(
                event, acting_user=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("De bijeenkomst is opgeslagen."))
            return redirect(_detail_url(event))
    return render(
        request,
        "development/event_form.html",
        {
            "form": form,
            "partnership": event.partnership,
            "event": event,
            "back_url": _detail_url(event),
        },
    )


urlpatterns = [
    path("partnerships/<uuid:partnership_code>/events/", event_list, name="event_list"),
    path("partnerships/<uuid:partnership_code>/events/new/", event_create, name="event_create"),
    path("events/<uuid:code>/", event_detail, name="event_detail"),
    path("events/<uuid:code>/edit/", event_edit, name="event_edit"),
    path("events/<uuid:code>/register/", event_register, name="event_register"),
    path("events/<uuid:code>/cancel/", event_cancel_registration, name="event_cancel_registration"),
    path("events/<uuid:code>/attendance/", event_attendance, name="event_attendance"),
    path("events/<uuid:code>/calendar.ics", event_ics, name="event_ics"),
]
