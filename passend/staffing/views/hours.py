"""Staffing views: the hours policy and allocation of a partnership per school year (issue 4,
point 5). Access through passend.staffing.access.get_partnership_for_hours: the
partnership_admin sets the policy; the office and SWV-wide consultants read the table; anyone
else gets 404. School roles (directors, coordinators) do not see it here: the table shows every
school of the SWV, and a per-school view of one's own allocation is left for later.

The page is one form with two buttons: ``preview`` (the new allocation next to the current
one, nothing written; in place with htmx, a normal POST without JavaScript) and ``save``
(writes the policy and the allocation rows in one transaction, passend.staffing.hours).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import HttpResponseClientRedirect

from passend.audit.services import record
from passend.front.feedback import add_service_error
from passend.organisations.models import SchoolYear
from passend.staffing import access, hours
from passend.staffing.forms.hours import HoursPolicyForm

TEMPLATE = "staffing/hours/hours.html"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _school_year(name: str) -> SchoolYear:
    try:
        return hours.school_year_for(name)
    except ValueError:
        raise Http404 from None


def _page_url(partnership, school_year) -> str:
    return reverse("staffing:hours_policy", args=[partnership.code, school_year.name])


def _year_links(partnership, school_year) -> dict:
    """Links to the previous and next school year (the next only up to next year)."""
    start = school_year.start.year
    current = SchoolYear.start_year_of(timezone.localdate())
    links = {}
    if start - 1 >= 2000:
        name = SchoolYear.name_for_start_year(start - 1)
        links["previous"] = (name, reverse("staffing:hours_policy", args=[partnership.code, name]))
    if start + 1 <= current + 1:
        name = SchoolYear.name_for_start_year(start + 1)
        links["next"] = (name, reverse("staffing:hours_policy", args=[partnership.code, name]))
    return links


@login_required
@require_GET
def hours_current(request: HttpRequest, partnership_code) -> HttpResponse:
    """The table of the current school year."""
    partnership = access.get_partnership_for_hours(request.user, partnership_code)
    return redirect(_page_url(partnership, SchoolYear.current()))


@login_required
@require_http_methods(["GET", "POST"])
def hours_policy(request: HttpRequest, partnership_code, school_year) -> HttpResponse:
    """The policy (a form for the partnership_admin) and the table of allocated, assigned and
    BPO+ hours per school, with totals, and the BPO+ hours per BPO."""
    posted = request.method == "POST"
    partnership = access.get_partnership_for_hours(request.user, partnership_code, edit=posted)
    year = _school_year(school_year)
    policy = hours.get_policy(partnership, year)
    previous = None if policy is not None else hours.previous_policy(partnership, year)
    current = hours.Formula.of(policy or previous) if (policy or previous) else None
    may_edit = hours.can_edit(request.user, partnership)
    form = None
    if may_edit:
        form = HoursPolicyForm(
            request.POST or None,
            initial=HoursPolicyForm.initial_for(current or hours.Formula.default()),
        )
    preview = None
    if posted and form.is_valid():
        formula = form.formula()
        if "save" in request.POST:
            try:
                hours.save_policy(
                    partnership, year, formula, acting_user=request.user, request=request
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(
                    request,
                    _("Het urenbeleid voor %(year)s is opgeslagen en de uren zijn toegekend.")
                    % {"year": year.name},
                )
                url = _page_url(partnership, year)
                return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
        else:
            preview = formula
    table = hours.build_table(partnership, year, policy=policy, preview=preview)
    if preview is not None:
        try:
            hours.check_allocation(table.rows)
        except ValidationError as error:
            add_service_error(form, error)
            table.preview = None
            for row in table.rows:
                row.new = None
    context = {
        "partnership": partnership,
        "school_year": year,
        "policy": policy,
        "previous": previous,
        "policy_text": hours.formula_text(hours.Formula.of(policy)) if policy else "",
        "preview_text": hours.formula_text(table.preview) if table.preview else "",
        "form": form,
        "may_edit": may_edit,
        "table": table,
        "years": _year_links(partnership, year),
        "page_url": _page_url(partnership, year),
    }
    template = f"{TEMPLATE}#region" if request.htmx and posted else TEMPLATE
    return render(request, template, context)


@login_required
@require_GET
def hours_xlsx(request: HttpRequest, partnership_code, school_year) -> HttpResponse:
    """The table (stored allocation, assigned, BPO+) as an Excel workbook."""
    partnership = access.get_partnership_for_hours(request.user, partnership_code)
    year = _school_year(school_year)
    policy = hours.get_policy(partnership, year)
    table = hours.build_table(partnership, year, policy=policy)
    record(
        "hours.export",
        actor=request.user,
        obj=partnership,
        request=request,
        format="xlsx",
        school_year=year.name,
    )
    response = HttpResponse(hours.hours_xlsx(table), content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        True, hours.export_filename(table, "xlsx")
    )
    return response


urlpatterns = [
    path("partnerships/<uuid:partnership_code>/hours/", hours_current, name="hours"),
    path(
        "partnerships/<uuid:partnership_code>/hours/<str:school_year>/",
        hours_policy,
        name="hours_policy",
    ),
    path(
        "partnerships/<uuid:partnership_code>/hours/<str:school_year>/export.xlsx",
        hours_xlsx,
        name="hours_xlsx",
    ),
]
