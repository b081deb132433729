"""Quality framework views: frameworks (versions, import and export, editing a draft).

Every lookup goes through passend.quality.access: 404 outside the user's scope, 403 for a reader
who may not manage (only the partnership_admin imports, copies, edits and publishes). A change
to a published framework is refused by the service; the pages say so (a message and a redirect
to the framework), never a server error.
"""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from passend.front.feedback import add_service_error, flash_errors
from passend.quality import access, frameworkfile, services
from passend.quality.choices import FrameworkStatus
from passend.quality.forms.frameworks import (
    AspectForm,
    FrameworkCopyForm,
    FrameworkForm,
    FrameworkImportForm,
    FrameworkPublishForm,
    school_year_for,
)
from passend.quality.models import QualityFramework


def _published_refusal(request: HttpRequest, framework: QualityFramework) -> HttpResponse:
    messages.error(
        request,
        _(
            "Een vastgesteld kwaliteitskader kan niet meer worden gewijzigd; "
            "maak een nieuwe versie."
        ),
    )
    return redirect("quality:framework_detail", framework.code)


# --- Versions of a partnership's framework ------------------------------------------------------


@login_required
@require_GET
def framework_list(request: HttpRequest, partnership_code) -> HttpResponse:
    partnership = access.get_partnership_for_frameworks(request.user, partnership_code)
    frameworks = list(
        QualityFramework.objects.filter(partnership=partnership)
        .select_related("school_year")
        .annotate(aspect_count=Count("aspects"))
        .order_by("-school_year__start", "-version")
    )
    # Schools assess against the latest published version of a year (services.current_framework).
    years_with_current: set[int] = set()
    for framework in frameworks:
        framework.in_use = (
            framework.status == FrameworkStatus.PUBLISHED
            and framework.school_year_id not in years_with_current
        )
        if framework.in_use:
            years_with_current.add(framework.school_year_id)
    return render(
        request,
        "quality/frameworks/framework_list.html",
        {
            "partnership": partnership,
            "frameworks": frameworks,
            "can_manage": access.can_manage_frameworks(request.user, partnership),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def framework_import(request: HttpRequest, partnership_code) -> HttpResponse:
    """A framework file becomes a new draft version; a malformed file writes nothing."""
    partnership = access.get_partnership_for_frameworks(request.user, partnership_code, manage=True)
    if request.method == "POST":
        form = FrameworkImportForm(request.POST, request.FILES)
    else:
        form = FrameworkImportForm()
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                framework = services.create_framework_from_file(
                    form.parsed,
                    partnership=partnership,
                    school_year=school_year_for(form.cleaned_data["school_year"]),
                    acting_user=request.user,
                )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("Kwaliteitskader ingelezen als concept (versie %(version)s, %(year)s).")
                % {"version": framework.version, "year": framework.school_year.name},
            )
            return redirect("quality:framework_detail", framework.code)
    return render(
        request,
        "quality/frameworks/framework_import.html",
        {"partnership": partnership, "form": form},
    )


# --- One framework --------------------------------------------------------------------------------


@login_required
@require_GET
def framework_detail(request: HttpRequest, code) -> HttpResponse:
    """Metadata, introduction and the aspects per section; a constant number of queries."""
    framework = access.get_framework_for_user(request.user, code)
    sections = list(framework.sections.order_by("position"))
    by_section = defaultdict(list)
    for aspect in framework.aspects.order_by("sort_key"):
        by_section[aspect.section_id].append(aspect)
    for section in sections:
        section.aspect_list = by_section[section.pk]
    can_manage = access.can_manage_frameworks(request.user, framework.partnership)
    context = {
        "framework": framework,
        "partnership": framework.partnership,
        "sections": sections,
        "aspect_count": sum(len(aspects) for aspects in by_section.values()),
        "can_manage": can_manage,
        "copied_from": (
            QualityFramework.objects.select_related("school_year")
            .filter(pk=framework.copied_from_id)
            .first()
            if framework.copied_from_id
            else None
        ),
    }
    if can_manage:
        start = framework.school_year.start.year
        context["copy_form"] = FrameworkCopyForm(
            initial={"school_year": f"{start + 1}-{start + 2}"}
        )
        if framework.is_draft:
            context["publish_form"] = FrameworkPublishForm()
    return render(request, "quality/frameworks/framework_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def framework_edit(request: HttpRequest, code) -> HttpResponse:
    """A draft's title, introduction, source and scale; the due date also once published."""
    framework = access.get_framework_for_user(request.user, code, manage=True)
    form = FrameworkForm(request.POST or None, framework=framework)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_framework(framework, acting_user=request.user, **form.changes())
        except ValidationError as error:
            framework.refresh_from_db()
            add_service_error(form, error)
        else:
            messages.success(request, _("Kwaliteitskader opgeslagen."))
            return redirect("quality:framework_detail", framework.code)
    return render(
        request,
        "quality/frameworks/framework_form.html",
        {"framework": framework, "partnership": framework.partnership, "form": form},
    )


@login_required
@require_GET
def framework_export(request: HttpRequest, code) -> HttpResponse:
    """The framework as a file (format passend-quality-framework/1), for everyone who reads it."""
    framework = access.get_framework_for_user(request.user, code)
    name = slugify(f"{framework.title} {framework.school_year.name} v{framework.version}")
    response = HttpResponse(
        frameworkfile.dumps(framework).encode("utf-8"),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = content_disposition_header(
        True, f"{name or 'kwaliteitskader'}.json"
    )
    return response


@login_required
@require_POST
def framework_copy(request: HttpRequest, code) -> HttpResponse:
    """A new draft version for the chosen school year, with the same sections and aspects."""
    framework = access.get_framework_for_user(request.user, code, manage=True)
    form = FrameworkCopyForm(request.POST)
    if not form.is_valid():
        flash_errors(request, form)
        return redirect("quality:framework_detail", framework.code)
    try:
        with transaction.atomic():
            copy = services.copy_framework(
                framework,
                school_year=school_year_for(form.cleaned_data["school_year"]),
                acting_user=request.user,
            )
    except ValidationError as error:
        flash_errors(request, error)
        return redirect("quality:framework_detail", framework.code)
    messages.success(
        request,
        _("Nieuwe conceptversie gemaakt (versie %(version)s, %(year)s).")
        % {"version": copy.version, "year": copy.school_year.name},
    )
    return redirect("quality:framework_detail", copy.code)


@login_required
@require_POST
def framework_publish(request: HttpRequest, code) -> HttpResponse:
    framework = access.get_framework_for_user(request.user, code, manage=True)
    form = FrameworkPublishForm(request.POST)
    if not form.is_valid():
        flash_errors(request, form)
        return redirect("quality:framework_detail", framework.code)
    try:
        services.publish_framework(framework, acting_user=request.user)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("Kwaliteitskader vastgesteld."))
    return redirect("quality:framework_detail", framework.code)


# --- Aspects of a draft -------------------------------------------------------------------------


def _default_responsibility(framework: QualityFramework, number: str, section) -> str:
    """As in the file format: the responsibility of the section the aspect ends up in."""
    if "." in number:
        parent = framework.aspects.select_related("section").filter(number=number.split(".")[0])
        parent = parent.first()
        if parent is not None:
            return parent.section.responsibility
    return section.responsibility


def _aspect_form(request: HttpRequest, framework: QualityFramework, aspect=None) -> HttpResponse:
    if not framework.is_draft:
        return _published_refusal(request, framework)
    form = AspectForm(request.POST or None, framework=framework, aspect=aspect)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.save_aspect(
                framework,
                acting_user=request.user,
                aspect=aspect,
                number=data["number"],
                text=data["text"],
                section=data["section"],
                responsibility=data["responsibility"]
                or _default_responsibility(framework, data["number"], data["section"]),
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Aspect %(number)s opgeslagen.") % {"number": saved.number})
            url = reverse("quality:framework_detail", args=[framework.code])
            return redirect(f"{url}#aspect-{saved.code}")
    return render(
        request,
        "quality/frameworks/aspect_form.html",
        {
            "framework": framework,
            "partnership": framework.partnership,
            "aspect": aspect,
            "form": form,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def aspect_create(request: HttpRequest, code) -> HttpResponse:
    framework = access.get_framework_for_user(request.user, code, manage=True)
    return _aspect_form(request, framework)


@login_required
@require_http_methods(["GET", "POST"])
def aspect_edit(request: HttpRequest, code, aspect_code) -> HttpResponse:
    framework = access.get_framework_for_user(request.user, code, manage=True)
    aspect = access.get_aspect_in_framework(framework, aspect_code)
    return _aspect_form(request, framework, aspect)


@login_required
@require_POST
def aspect_delete(request: HttpRequest, code, aspect_code) -> HttpResponse:
    """Delete an aspect of a draft (with its sub-aspects)."""
    framework = access.get_framework_for_user(request.user, code, manage=True)
    aspect = access.get_aspect_in_framework(framework, aspect_code)
    try:
        services.delete_aspect(aspect, acting_user=request.user)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("Aspect %(number)s verwijderd.") % {"number": aspect.number})
    return redirect("quality:framework_detail", framework.code)


urlpatterns = [
    path(
        "partnerships/<uuid:partnership_code>/frameworks/",
        framework_list,
        name="framework_list",
    ),
    path(
        "partnerships/<uuid:partnership_code>/frameworks/import/",
        framework_import,
        name="framework_import",
    ),
    path("frameworks/<uuid:code>/", framework_detail, name="framework_detail"),
    path("frameworks/<uuid:code>/edit/", framework_edit, name="framework_edit"),
    path("frameworks/<uuid:code>/export/", framework_export, name="framework_export"),
    path("frameworks/<uuid:code>/copy/", framework_copy, name="framework_copy"),
    path("frameworks/<uuid:code>/publish/", framework_publish, name="framework_publish"),
    path("frameworks/<uuid:code>/aspects/new/", aspect_create, name="aspect_create"),
    path("frameworks/<uuid:code>/aspects/<uuid:aspect_code>/", aspect_edit, name="aspect_edit"),
    path(
        "frameworks/<uuid:code>/aspects/<uuid:aspect_code>/delete/",
        aspect_delete,
        name="aspect_delete",
    ),
]
