"""The due page (``/te-doen/``): everything due or overdue for the signed-in user, overdue
first, each with its deadline and a link; and the choice of the weekly e-mail. The items come
from passend.due.services (each provider scoped by its own app's access layer); the page names
students, so it audits the read of each student shown (passend.privacy.audit.record_views)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from passend.due import services
from passend.due.forms import DigestForm
from passend.front.feedback import flash_errors
from passend.privacy.audit import record_views


@login_required
@require_GET
def due_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    items = services.due_for(request.user, today)
    record_views(request, services.students_of(items), "due_list")
    context = {
        "today": today,
        "groups": services.grouped(items, today),
        "digest_form": DigestForm(initial={"digest": request.user.due_digest}),
    }
    return render(request, "due/due_list.html", context)


@login_required
@require_POST
def digest_preference(request: HttpRequest) -> HttpResponse:
    form = DigestForm(request.POST)
    if not form.is_valid():
        flash_errors(request, form)
    else:
        enabled = form.cleaned_data["digest"]
        services.set_digest(request.user, enabled=enabled, acting_user=request.user)
        if enabled:
            messages.success(
                request, _("Je krijgt voortaan elke week een e-mail met wat er te doen is.")
            )
        else:
            messages.success(request, _("Je krijgt geen wekelijkse e-mail meer."))
    return redirect("due:due_list")


urlpatterns = [
    path("te-doen/", due_list, name="due_list"),
    path("te-doen/e-mail/", digest_preference, name="digest_preference"),
]
