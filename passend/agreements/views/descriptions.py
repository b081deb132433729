"""Task descriptions (taakomschrijving bpo'er, aspect 8) and the partnership's competency set.

- The partnership's template task description: read by everyone with a role in the
  partnership except partners and mentors; edited by the partnership_admin.
- A school's task description: the school's own copy once adopted, else the template. The
  coordinator or director adopts the template and then adapts the copy; the template stays as
  it is.
- The competency set (competentieprofiel, seed 000 §7): read like the template, maintained by
  the partnership_admin; competencies are retired, never deleted.

Lookups go through passend.agreements.access (404 outside the scope, 403 in scope without the
right); changes through passend.agreements.services.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from passend.activities.choices import TaskArea
from passend.agreements import access, services
from passend.agreements.choices import CompetencyDomain
from passend.agreements.forms.descriptions import competency_formset, description_forms
from passend.front.feedback import add_service_error, flash_errors

# --- Helpers -------------------------------------------------------------------------------------


def _items(description) -> list:
    """The tasks in task-area order, in their own order within an area."""
    order = {area: n for n, area in enumerate(TaskArea.values)}
    return sorted(
        description.items.all(), key=lambda i: (order.get(i.area, len(order)), i.position)
    )


def _by_area(items) -> list[tuple[str, list]]:
    """[(task-area label, tasks)] in task-area order; areas without tasks left out."""
    groups = [(label, [i for i in items if i.area == value]) for value, label in TaskArea.choices]
    return [(label, rows) for label, rows in groups if rows]


def _edit_description(request, description, *, back: str, context: dict) -> HttpResponse:
    """GET/POST of a task description's form and task rows (template or a school's own)."""
    form, formset = description_forms(request.POST or None, description, _items(description))
    if request.method == "POST" and all([form.is_valid(), formset.is_valid()]):
        try:
            services.update_task_description(
                description,
                title=form.cleaned_data["title"],
                introduction=form.cleaned_data["introduction"],
                items=formset.items(),
                acting_user=request.user,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("De taakomschrijving is opgeslagen."))
            return redirect(back)
    context |= {"description": description, "form": form, "formset": formset, "back": back}
    return render(request, "agreements/descriptions/description_form.html", context)


# --- The partnership's template ------------------------------------------------------------------


@login_required
@require_GET
def template_detail(request: HttpRequest, code) -> HttpResponse:
    partnership = access.get_template_partnership(request.user, code)
    template = services.template_for(partnership)
    context = {
        "partnership": partnership,
        "description": template,
        "areas": _by_area(_items(template)),
        "may_edit": access.may_edit_template(request.user, partnership),
    }
    return render(request, "agreements/descriptions/template_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def template_edit(request: HttpRequest, code) -> HttpResponse:
    partnership = access.get_template_partnership(request.user, code, write=True)
    template = services.template_for(partnership)
    back = reverse("agreements:template_detail", args=[partnership.code])
    return _edit_description(
        request, template, back=back, context={"partnership": partnership, "school": None}
    )


# --- A school's task description -----------------------------------------------------------------


@login_required
@require_GET
def school_description(request: HttpRequest, code) -> HttpResponse:
    school = access.get_description_school(request.user, code)
    description = services.description_for(school)
    context = {
        "school": school,
        "description": description,
        "adopted": not description.is_template,
        "areas": _by_area(_items(description)),
        "may_edit": access.can(request.user, school, access.DESCRIPTION_EDIT_ROLES),
    }
    return render(request, "agreements/descriptions/school_description.html", context)


@login_required
@require_POST
def school_description_adopt(request: HttpRequest, code) -> HttpResponse:
    school = access.get_description_school(request.user, code, write=True)
    try:
        services.adopt_task_description(school, acting_user=request.user)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(
            request,
            _("De voorbeeldtaakomschrijving is overgenomen. Pas hem nu aan voor de school."),
        )
    return redirect("agreements:school_description", code=school.code)


@login_required
@require_http_methods(["GET", "POST"])
def school_description_edit(request: HttpRequest, code) -> HttpResponse:
    school = access.get_description_school(request.user, code, write=True)
    description = services.description_for(school)
    back = reverse("agreements:school_description", args=[school.code])
    if description.is_template:
        messages.error(
            request,
            _(
                "De school heeft nog geen eigen taakomschrijving. Neem eerst de "
                "voorbeeldtaakomschrijving van het SWV over; daarna kun je hem aanpassen."
            ),
        )
        return redirect(back)
    return _edit_description(request, description, back=back, context={"school": school})


# --- The competency set --------------------------------------------------------------------------


@login_required
@require_GET
def competency_set(request: HttpRequest, code) -> HttpResponse:
    partnership = access.get_template_partnership(request.user, code)
    competencies = services.competencies_for(partnership, active_only=False)
    domains = [
        (label, [c for c in competencies if c.domain == value])
        for value, label in CompetencyDomain.choices
    ]
    context = {
        "partnership": partnership,
        "domains": domains,
        "may_edit": access.may_edit_template(request.user, partnership),
    }
    return render(request, "agreements/descriptions/competency_set.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def competency_set_edit(request: HttpRequest, code) -> HttpResponse:
    partnership = access.get_template_partnership(request.user, code, write=True)
    competencies = services.competencies_for(partnership, active_only=False)
    formset = competency_formset(request.POST or None, competencies)
    back = reverse("agreements:competency_set", args=[partnership.code])
    if request.method == "POST" and formset.is_valid():
        try:
            services.update_competency_set(
                partnership, rows=formset.rows(), acting_user=request.user
            )
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, _("De competenties zijn opgeslagen."))
            return redirect(back)
    context = {"partnership": partnership, "formset": formset, "back": back}
    return render(request, "agreements/descriptions/competency_set_form.html", context)


urlpatterns = [
    path("swv/<uuid:code>/taakomschrijving/", template_detail, name="template_detail"),
    path("swv/<uuid:code>/taakomschrijving/bewerken/", template_edit, name="template_edit"),
    path("school/<uuid:code>/taakomschrijving/", school_description, name="school_description"),
    path(
        "school/<uuid:code>/taakomschrijving/overnemen/",
        school_description_adopt,
        name="school_description_adopt",
    ),
    path(
        "school/<uuid:code>/taakomschrijving/bewerken/",
        school_description_edit,
        name="school_description_edit",
    ),
    path("swv/<uuid:code>/competenties/", competency_set, name="competency_set"),
    path("swv/<uuid:code>/competenties/bewerken/", competency_set_edit, name="competency_set_edit"),
]
