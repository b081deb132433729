"""SOT meeting views: a school's meetings, "my meetings" with my open action points, planning,
the meeting page (attendees, presence, agenda), the minutes of an agenda item with its action
points, finalising, and the recap (page and PDF) for the attendees.

Lookups through passend.caseload.access (outside the scope 404, in scope without the right
403); changes through passend.caseload.meetings. A page that shows students writes one audit
event per student shown (passend.privacy.audit.record_views)."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from passend.accounts.access import _parse_code
from passend.agreements import documents
from passend.caseload import access, meetings
from passend.caseload.forms import meetings as meeting_forms
from passend.caseload.models import ActionPoint, AgendaItem
from passend.front.feedback import add_service_error, flash_errors
from passend.front.uploads import attachment_response
from passend.privacy.audit import record_views


def _meeting_kwargs(form) -> dict:
    data = form.cleaned_data
    return {
        name: data[name]
        for name in ("kind", "date", "starts_at", "location", "chair", "attendees", "others")
    }


def _item(user, code, *, write: bool = False) -> AgendaItem:
    """An agenda item of a meeting the user sees and whose case they see in full."""
    item = (
        AgendaItem.objects.filter(code=_parse_code(code), meeting__in=access.visible_meetings(user))
        .select_related("meeting", "meeting__school", "case", "case__student")
        .first()
    )
    if item is None:
        raise Http404
    levels = access.item_levels(user, item.meeting, [item])
    if levels.get(item.pk) != access.FULL:
        raise Http404
    if write and not access.can_run_meeting(user, item.meeting):
        raise PermissionDenied
    return item


def _students(items) -> list:
    return [view.case.student for view in items]


# --- Lists --------------------------------------------------------------------------------------


@login_required
@require_GET
def meeting_list(request: HttpRequest, code) -> HttpResponse:
    """A school's meetings for its coordinator and BPOs (dates and counts: no student data)."""
    school = access.get_case_school(request.user, code)
    rows = meetings.user_meetings(request.user).filter(school=school)
    today = timezone.localdate()
    rows = list(rows[:200])
    return render(
        request,
        "caseload/meetings/meeting_list.html",
        {
            "school": school,
            "upcoming": [m for m in rows if m.date >= today and not m.is_final][::-1],
            "past": [m for m in rows if m.date < today or m.is_final],
        },
    )


@login_required
@require_GET
def meeting_mine(request: HttpRequest) -> HttpResponse:
    """The meetings I attend or run, and my open action points."""
    rows = list(meetings.user_meetings(request.user)[:100])
    actions = list(meetings.open_actions(request.user))
    record_views(request, [a.item.case.student for a in actions], "action_points")
    return render(
        request,
        "caseload/meetings/meeting_mine.html",
        {"meetings": rows, "actions": actions, "today": timezone.localdate()},
    )


# --- A meeting ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest, code) -> HttpResponse:
    school = access.get_case_school(request.user, code)
    form = meeting_forms.MeetingForm(request.POST or None, school=school)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = meetings.plan_meeting(
                school, **_meeting_kwargs(form), acting_user=request.user
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Het overleg is gepland. Zet nu de casussen op de agenda."))
            return redirect("caseload:meeting_detail", meeting.code)
    return render(request, "caseload/meetings/meeting_form.html", {"form": form, "school": school})


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, code) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, code, write=True)
    if meeting.is_final:
        messages.error(request, _("Dit overleg is afgerond en kan niet meer worden gewijzigd."))
        return redirect("caseload:meeting_detail", meeting.code)
    form = meeting_forms.MeetingForm(
        request.POST or None,
        school=meeting.school,
        on=meeting.date,
        initial=meeting_forms.MeetingForm.initial_for(meeting),
    )
    if request.method == "POST" and form.is_valid():
        try:
            meetings.update_meeting(meeting, **_meeting_kwargs(form), acting_user=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Het overleg is opgeslagen."))
            return redirect("caseload:meeting_detail", meeting.code)
    return render(
        request,
        "caseload/meetings/meeting_form.html",
        {"form": form, "school": meeting.school, "meeting": meeting},
    )


@login_required
@require_GET
def meeting_detail(request: HttpRequest, code) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, code)
    staff = access.can_run_meeting(request.user, meeting)
    items = meetings.meeting_items(meeting, request.user)
    record_views(request, _students(items), "meeting", obj=meeting)
    agenda_form = (
        meeting_forms.AgendaForm(meeting=meeting) if staff and not meeting.is_final else None
    )
    return render(
        request,
        "caseload/meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "staff": staff,
            "items": items,
            "attendees": list(meeting.attendees.select_related("user")),
            "agenda_form": agenda_form,
        },
    )


@login_required
@require_POST
def meeting_presence(request: HttpRequest, code) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, code, write=True)
    present = [p for p in request.POST.getlist("present") if p.isdecimal()]
    try:
        meetings.set_presence(meeting, present, acting_user=request.user)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("De aanwezigheid is opgeslagen."))
    return redirect("caseload:meeting_detail", meeting.code)


@login_required
@require_POST
def meeting_finalise(request: HttpRequest, code) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, code, write=True)
    try:
        meetings.finalise(meeting, acting_user=request.user)
    except ValidationError as error:
        flash_errors(request, error)
        return redirect("caseload:meeting_detail", meeting.code)
    messages.success(
        request, _("Het overleg is afgerond. Het verslag staat klaar voor de deelnemers.")
    )
    return redirect("caseload:meeting_recap", meeting.code)


# --- The agenda ---------------------------------------------------------------------------------


@login_required
@require_POST
def agenda_item_add(request: HttpRequest, code) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, code, write=True)
    form = meeting_forms.AgendaForm(request.POST, meeting=meeting)
    if not form.is_valid():
        flash_errors(request, form)
        return redirect("caseload:meeting_detail", meeting.code)
    try:
        meetings.add_item(meeting, form.cleaned_data["case"], acting_user=request.user)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("De casus staat op de agenda."))
    return redirect("caseload:meeting_detail", meeting.code)


@login_required
@require_POST
def agenda_item_remove(request: HttpRequest, code) -> HttpResponse:
    item = _item(request.user, code, write=True)
    meeting = item.meeting
    try:
        meetings.remove_item(item, acting_user=request.user)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("De casus is van de agenda gehaald."))
    return redirect("caseload:meeting_detail", meeting.code)


@login_required
@require_http_methods(["GET", "POST"])
def agenda_item_edit(request: HttpRequest, code) -> HttpResponse:
    """The minutes, decisions and action points of one agenda item (all or nothing)."""
    item = _item(request.user, code, write=True)
    meeting = item.meeting
    if meeting.is_final:
        messages.error(request, _("Dit overleg is afgerond en kan niet meer worden gewijzigd."))
        return redirect("caseload:meeting_detail", meeting.code)
    owners = meetings.owner_choices(meeting)
    form = meeting_forms.MinutesForm(
        request.POST or None, initial={"minutes": item.minutes, "decisions": item.decisions}
    )
    formset = meeting_forms.ActionPointFormSet(
        request.POST or None,
        initial=meeting_forms.action_initial(item),
        form_kwargs={"owners": owners},
        prefix="actions",
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            meetings.record_minutes(
                item,
                **form.cleaned_data,
                actions=meeting_forms.action_inputs(formset, item),
                acting_user=request.user,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Het verslag van dit agendapunt is opgeslagen."))
            return redirect("caseload:meeting_detail", meeting.code)
    record_views(request, [item.case.student], "meeting_item", obj=item)
    return render(
        request,
        "caseload/meetings/item_form.html",
        {"item": item, "meeting": meeting, "form": form, "formset": formset},
    )


@login_required
@require_POST
def action_point_done(request: HttpRequest, code) -> HttpResponse:
    point = (
        ActionPoint.objects.filter(
            code=_parse_code(code), item__meeting__in=access.visible_meetings(request.user)
        )
        .select_related("item", "item__meeting", "item__meeting__school")
        .first()
    )
    if point is None:
        raise Http404
    levels = access.item_levels(request.user, point.item.meeting, [point.item])
    if point.item_id not in levels and point.owner_id != request.user.pk:
        raise Http404
    meetings.complete_action(point, acting_user=request.user)
    messages.success(request, _("Het actiepunt is afgerond."))
    target = request.POST.get("next", "")
    if target == "mine":
        return redirect("caseload:meeting_mine")
    return redirect("caseload:meeting_recap", point.item.meeting.code)


# --- The recap ----------------------------------------------------------------------------------


def _recap(request, code):
    meeting = access.get_meeting_for_user(request.user, code)
    if not meeting.is_final:
        raise Http404  # there is no recap before the meeting is finalised
    items = meetings.meeting_items(meeting, request.user)
    return meeting, items


def recap_context(meeting, items, user) -> dict:
    return {
        "meeting": meeting,
        "items": items,
        "attendees": list(meeting.attendees.select_related("user")),
        "staff": access.can_run_meeting(user, meeting),
        "user": user,
    }


@login_required
@require_GET
def meeting_recap(request: HttpRequest, code) -> HttpResponse:
    meeting, items = _recap(request, code)
    record_views(request, _students(items), "meeting_recap", obj=meeting)
    return render(
        request, "caseload/meetings/recap.html", recap_context(meeting, items, request.user)
    )


def recap_pdf_bytes(meeting, items, user, *, uncompressed: bool = False) -> bytes:
    from passend.quality.reports import page_counter_css

    context = {
        **recap_context(meeting, items, user),
        "generated_at": timezone.localtime(),
        "page_counter_css": page_counter_css(),
    }
    return documents.render_pdf(
        "caseload/pdf/meeting_recap.html", context, uncompressed=uncompressed
    )


@login_required
@require_GET
def meeting_recap_pdf(request: HttpRequest, code):
    meeting, items = _recap(request, code)
    pdf = recap_pdf_bytes(meeting, items, request.user)
    record_views(request, _students(items), "meeting_recap_pdf", obj=meeting)
    name = documents.filename("verslag", meeting.get_kind_display(), str(meeting.date))
    return attachment_response(io.BytesIO(pdf), name, name)


urlpatterns = [
    path("school/<uuid:code>/overleggen/", meeting_list, name="meeting_list"),
    path("school/<uuid:code>/overleggen/nieuw/", meeting_create, name="meeting_create"),
    path("mijn-overleggen/", meeting_mine, name="meeting_mine"),
    path("overleggen/<uuid:code>/", meeting_detail, name="meeting_detail"),
    path("overleggen/<uuid:code>/bewerken/", meeting_edit, name="meeting_edit"),
    path("overleggen/<uuid:code>/aanwezigheid/", meeting_presence, name="meeting_presence"),
    path("overleggen/<uuid:code>/agenda/", agenda_item_add, name="agenda_item_add"),
    path("overleggen/<uuid:code>/afronden/", meeting_finalise, name="meeting_finalise"),
    path("overleggen/<uuid:code>/verslag/", meeting_recap, name="meeting_recap"),
    path("overleggen/<uuid:code>/verslag/pdf/", meeting_recap_pdf, name="meeting_recap_pdf"),
    path("agendapunten/<uuid:code>/", agenda_item_edit, name="agenda_item_edit"),
    path("agendapunten/<uuid:code>/verwijderen/", agenda_item_remove, name="agenda_item_remove"),
    path("actiepunten/<uuid:code>/afgerond/", action_point_done, name="action_point_done"),
]
