"""The one form of the due list: whether to get the weekly e-mail of what is due."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from passend.front.forms import StyledFormMixin


class DigestForm(StyledFormMixin, forms.Form):
    digest = forms.BooleanField(
        label=_("Stuur mij elke week een e-mail met wat er te doen is"),
        required=False,
        help_text=_("Alleen aantallen per soort en een link naar deze pagina, nooit namen."),
    )
