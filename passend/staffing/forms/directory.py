"""Forms of the SWV directory: the search filter, the office's contact edit."""

from __future__ import annotations

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from passend.front.forms import StyledFormMixin

PHONE = RegexValidator(
    r"^\+?[0-9][0-9 ()\-]{5,28}$",
    _("Vul een telefoonnummer in met cijfers, spaties, streepjes of haakjes, bijv. 078 123 45 67."),
)


class DirectorySearchForm(StyledFormMixin, forms.Form):
    q = forms.CharField(
        label=_("Zoek op naam of school"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )

    def query(self) -> str:
        if self.is_bound and self.is_valid():
            return self.cleaned_data["q"].replace("\x00", "")
        return ""


class ContactForm(StyledFormMixin, forms.Form):
    full_name = forms.CharField(label=_("Naam"), max_length=150)
    phone = forms.CharField(
        label=_("Telefoonnummer"), max_length=30, required=False, validators=[PHONE]
    )

    def clean_full_name(self):
        name = self.cleaned_data["full_name"].strip()
        if not name:
            raise forms.ValidationError(_("Vul een naam in."))
        return name
