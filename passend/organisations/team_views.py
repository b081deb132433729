"""The SOT page of a school: members of the current school year by domain; the coordinator and
the director add, remove and copy members (passend.organisations.support_team)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_http_methods, require_POST

from passend.accounts.access import _parse_code
from passend.front.feedback import add_service_error, flash_errors
from passend.front.forms import StyledFormMixin
from passend.organisations import support_team
from passend.organisations.choices import Domain
from passend.organisations.models import School, SchoolYear, SupportTeamMember


class MemberForm(StyledFormMixin, forms.Form):
    user = forms.ModelChoiceField(
        label=_l("Gebruiker"),
        help_text=_l(
            "Koppel een partner met een account: alleen dan kan hij of zij gedeelde casussen "
            "inzien, binnen het gekozen domein."
        ),
        queryset=None,
        to_field_name="code",
        required=False,
        empty_label=_l("(geen account)"),
    )
    name = forms.CharField(
        label=_l("Naam"),
        help_text=_l("Leeg laten neemt de naam van de gebruiker over."),
        max_length=150,
        required=False,
    )
    function = forms.CharField(label=_l("Functie"), max_length=150, required=False)
    domain = forms.ChoiceField(label=_l("Domein"), choices=Domain.choices)
    organisation = forms.CharField(label=_l("Organisatie"), max_length=200, required=False)

    def __init__(self, *args, school, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = support_team.member_user_choices(school)
        self.fields["user"].label_from_instance = lambda u: u.full_name or u.email


@login_required
@require_http_methods(["GET", "POST"])
def support_team_page(request: HttpRequest, code) -> HttpResponse:
    write = request.method == "POST"
    school = support_team.get_team_school(request.user, code, write=write)
    year = SchoolYear.current()
    manage = support_team.may_manage(request.user, school)
    form = MemberForm(request.POST or None, school=school) if manage else None
    if write and form.is_valid():
        try:
            support_team.add_member(
                school, year=year, **form.cleaned_data, acting_user=request.user
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Het SOT-lid is toegevoegd."))
            return redirect("organisations:support_team", school.code)
    return render(
        request,
        "organisations/support_team.html",
        {
            "school": school,
            "year": year,
            "members": support_team.members(school, year),
            "manage": manage,
            "form": form,
        },
    )


@login_required
@require_POST
def support_team_copy(request: HttpRequest, code) -> HttpResponse:
    school = support_team.get_team_school(request.user, code, write=True)
    count = support_team.copy_previous_year(school, SchoolYear.current(), acting_user=request.user)
    if count:
        messages.success(request, _("%(n)s leden van vorig schooljaar overgenomen.") % {"n": count})
    else:
        flash_errors(request, ValidationError(_("Er waren geen leden om over te nemen.")))
    return redirect("organisations:support_team", school.code)


@login_required
@require_POST
def support_team_member_remove(request: HttpRequest, code) -> HttpResponse:
    member = (
        SupportTeamMember.objects.filter(
            code=_parse_code(code), school__in=School.objects.visible_to(request.user)
        )
        .select_related("school", "team__school_year", "user")
        .first()
    )
    if member is None:
        raise Http404
    support_team.get_team_school(request.user, member.school.code, write=True)
    support_team.remove_member(member, acting_user=request.user)
    messages.success(request, _("%(name)s is uit het SOT gehaald.") % {"name": member.name})
    return redirect("organisations:support_team", member.school.code)
