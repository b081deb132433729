from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from passend.accounts.choices import PARTNERSHIP_ONLY_ROLES, SCHOOL_ONLY_ROLES, Role
from passend.front.forms import StyledFormMixin


class LoginForm(StyledFormMixin, AuthenticationForm):
    """E-mail and password. The field keeps Django's name ``username`` (axes reads it)."""

    username = forms.EmailField(
        label=_("E-mailadres"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Wachtwoord"),
        strip=False,
        max_length=1024,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": _("Onbekende combinatie van e-mailadres en wachtwoord."),
        "inactive": _("Dit account is niet actief."),
    }


class TokenForm(StyledFormMixin, forms.Form):
    token = forms.CharField(
        label=_("Code uit je authenticator-app"),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].strip().replace(" ", "")
        if not (token.isascii() and token.isdecimal()):
            raise forms.ValidationError(_("De code bestaat uit cijfers."))
        return token


class MembershipGrantForm(StyledFormMixin, forms.Form):
    """Grant a role at the partnership or at one of its schools."""

    role = forms.ChoiceField(label=_("Rol"), choices=Role.choices)
    school = forms.ModelChoiceField(
        label=_("School"),
        queryset=None,
        required=False,
        to_field_name="code",
        help_text=_(
            "Voor schoolrollen. Een consulent zonder school werkt voor alle scholen van het SWV."
        ),
    )
    valid_from = forms.DateField(
        label=_("Geldig vanaf"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    valid_until = forms.DateField(
        label=_("Geldig tot en met"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, partnership, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Schools of this partnership only: a role elsewhere cannot be granted from here.
        self.fields["school"].queryset = partnership.schools.order_by("name")

    def clean(self):
        data = super().clean()
        role, school = data.get("role"), data.get("school")
        if role in PARTNERSHIP_ONLY_ROLES and school is not None:
            self.add_error("school", _("Een SWV-rol hoort niet bij een school."))
        if role in SCHOOL_ONLY_ROLES and school is None:
            self.add_error("school", _("Kies de school voor deze rol."))
        start, end = data.get("valid_from"), data.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", _("De einddatum ligt vóór de begindatum."))
        return data


class MembershipEndForm(StyledFormMixin, forms.Form):
    valid_until = forms.DateField(
        label=_("Laatste dag"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class UserCreateForm(MembershipGrantForm):
    """A new person with their first role; a person always enters through a role."""

    full_name = forms.CharField(label=_("Naam"), max_length=150)
    email = forms.EmailField(label=_("E-mailadres"), max_length=254)

    field_order = ["full_name", "email", "role", "school", "valid_from", "valid_until"]

    def clean_full_name(self) -> str:
        name = self.cleaned_data["full_name"].strip()
        if not name:
            raise forms.ValidationError(_("Vul een naam in."))
        return name

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class PasswordResetForm(StyledFormMixin, auth_forms.PasswordResetForm):
    """Request a link to choose a password; also for invitees who never chose one.

    Django's own form skips accounts without a usable password; here an invitee whose invitation
    expired can get a fresh link the same way. The answer never says whether the address exists.
    """

    def get_users(self, email):
        return get_user_model()._default_manager.filter(email__iexact=email, is_active=True)


class SetPasswordForm(StyledFormMixin, auth_forms.SetPasswordForm):
    pass
