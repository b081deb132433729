"""Forms of consent (toestemming) and of sharing a case with an SOT partner.

The choices are limited to what fits the student and the school (guardians with legal
authority, partners of the school's SOT); the rules themselves (who consents at which age, one
domain or one partner, dates) live in passend.caseload.consent, whose ValidationErrors are shown
on these forms."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from passend.caseload import consent as services
from passend.caseload.choices import ConsentGiver
from passend.front.forms import StyledFormMixin
from passend.organisations.choices import Domain

RADIO_CLASS = "utrecht-radio-button utrecht-radio-button--html-input"


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PartnerChoiceField(forms.ModelChoiceField):
    """A partner by name with the e-mail address; the option values are public codes."""

    def label_from_instance(self, obj) -> str:
        return f"{obj.full_name} – {obj.email}"


class GuardianChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} ({obj.get_relation_display()})"


class ScopeFields(forms.Form):
    """A domain of the SOT or a partner of the school by name (exactly one: the service says)."""

    domain = forms.ChoiceField(
        label=_("Domein van het SOT"),
        choices=[("", _("(geen: een partner bij naam)")), *Domain.choices],
        required=False,
        help_text=_("Alle partners van dit domein in het SOT van de school."),
    )
    partner = PartnerChoiceField(
        label=_("Of een partner bij naam"),
        queryset=None,
        to_field_name="code",
        required=False,
        empty_label=_("(geen: een heel domein)"),
        help_text=_("Kies een domein óf een partner."),
    )

    def __init__(self, *args, school, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = services.partner_users(school)


class ConsentForm(StyledFormMixin, ScopeFields):
    """Who gave consent, for what scope and purpose, and from when until when."""

    given_by = forms.ChoiceField(
        label=_("Toestemming gegeven door"),
        choices=ConsentGiver.choices,
        widget=forms.RadioSelect,
    )
    guardian = GuardianChoiceField(
        label=_("Ouder/verzorger met gezag"),
        queryset=None,
        to_field_name="code",
        required=False,
        empty_label=_("(kies bij toestemming van een ouder/verzorger)"),
        help_text=_("Alleen bij toestemming van een ouder/verzorger (leerling jonger dan 16)."),
    )
    purpose = forms.CharField(
        label=_("Doel"),
        max_length=services.PURPOSE_MAX,
        help_text=_("Waarvoor mag de casus gedeeld worden, bijvoorbeeld: bespreking in het SOT."),
    )
    given_on = forms.DateField(label=_("Datum toestemming"), widget=_date_input())
    expires_on = forms.DateField(label=_("Geldig tot en met"), widget=_date_input(), required=False)
    field_order = ["given_by", "guardian", "domain", "partner", "purpose", "given_on"]

    def __init__(self, *args, student, **kwargs) -> None:
        super().__init__(*args, school=student.school, **kwargs)
        today = timezone.localdate()
        self.fields["guardian"].queryset = student.guardians.filter(has_authority=True)
        self.fields["given_by"].initial = (
            ConsentGiver.STUDENT if student.gives_own_consent_on(today) else ConsentGiver.GUARDIAN
        )
        self.fields["given_by"].widget.attrs["class"] = RADIO_CLASS
        self.fields["given_on"].initial = today

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "given_by": data["given_by"],
            "guardian": data["guardian"],
            "domain": data["domain"],
            "partner": data["partner"],
            "purpose": data["purpose"],
            "given_on": data["given_on"],
            "expires_on": data["expires_on"],
        }


class WithdrawForm(StyledFormMixin, forms.Form):
    withdrawn_on = forms.DateField(label=_("Ingetrokken op"), widget=_date_input(), required=False)


class ShareForm(StyledFormMixin, ScopeFields):
    """Share a case with a domain of the SOT or a partner by name."""

    def __init__(self, *args, case, **kwargs) -> None:
        super().__init__(*args, school=case.school, **kwargs)
