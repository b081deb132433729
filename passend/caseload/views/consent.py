"""Consent and sharing views: record a student's consent (who must give it follows from the age),
withdraw it, share a case with an SOT domain or a partner by name, and stop sharing.

Only the school's coordinator and BPOs reach these pages (students and consents through
passend.students.access and passend.caseload.consent lookups: 404 outside; cases through
passend.caseload.access: a partner who may see the case gets 403). Changes go through
passend.caseload.consent; every page showing student data writes a read audit event."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from passend.caseload import access
from passend.caseload import consent as services
from passend.caseload.forms.consent import ConsentForm, ShareForm, WithdrawForm
from passend.front.feedback import add_service_error, flash_errors
from passend.privacy.audit import record_view
from passend.students.access import get_student_for_user
from passend.students.models import CONSENT_AGE


@login_required
@require_http_methods(["GET", "POST"])
def consent_create(request: HttpRequest, code) -> HttpResponse:
    student = get_student_for_user(request.user, code)
    record_view(request, student, "consent_create")
    form = ConsentForm(request.POST or None, student=student)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_consent(student, **form.service_kwargs(), acting_user=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("De toestemming is vastgelegd."))
            return redirect("students:student_detail", student.code)
    today = timezone.localdate()
    context = {
        "student": student,
        "form": form,
        "age": student.age_on(today),
        "own_consent": student.gives_own_consent_on(today),
        "consent_age": CONSENT_AGE,
    }
    return render(request, "caseload/consent/consent_create.html", context)


@login_required
@require_POST
def consent_withdraw(request: HttpRequest, code) -> HttpResponse:
    consent = services.get_consent_for_user(request.user, code)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        flash_errors(request, form)
    else:
        try:
            services.withdraw_consent(
                consent,
                withdrawn_on=form.cleaned_data["withdrawn_on"],
                acting_user=request.user,
            )
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(
                request, _("De toestemming is ingetrokken. Partners zien de casus niet meer.")
            )
    return redirect("students:student_detail", consent.student.code)


@login_required
@require_http_methods(["GET", "POST"])
def case_share(request: HttpRequest, code) -> HttpResponse:
    case = access.get_case_for_user(request.user, code, write=True)
    record_view(
        request,
        case.student,
        "case_share",
        obj=case,
    )
    form = ShareForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            share = services.share_case(
                case, domain=data["domain"], partner=data["partner"], acting_user=request.user
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("De casus is gedeeld."))
            if not services.is_covered(share):
                messages.warning(
                    request,
                    _(
                        "Er is geen geldige toestemming voor dit delen: de partner ziet de casus "
                        "pas als de toestemming is vastgelegd."
                    ),
                )
            return redirect("caseload:case_share", case.code)
    context = {
        "case": case,
        "student": case.student,
        "form": form,
        "rows": services.share_coverage(case),
        "consents": [row for row in services.student_consents(case.student) if row.is_valid],
    }
    return render(request, "caseload/consent/case_share.html", context)


@login_required
@require_POST
def share_end(request: HttpRequest, code) -> HttpResponse:
    share = services.get_share_for_user(request.user, code)
    try:
        services.end_share(share, acting_user=request.user)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("Het delen is gestopt. De partner ziet de casus niet meer."))
    return redirect("caseload:case_share", share.case.code)


urlpatterns = [
    path("leerlingen/<uuid:code>/toestemming/nieuw/", consent_create, name="consent_create"),
    path("toestemmingen/<uuid:code>/intrekken/", consent_withdraw, name="consent_withdraw"),
    path("casussen/<uuid:code>/delen/", case_share, name="case_share"),
    path("delen/<uuid:code>/stoppen/", share_end, name="share_end"),
]
