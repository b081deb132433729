"""Password validation beyond Django's own validators."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class MaximumLengthValidator:
    """Refuse absurdly long passwords (hashing cost), while allowing passphrases of 64+ chars."""

    def __init__(self, max_length: int = 256) -> None:
        self.max_length = max_length

    def validate(self, password: str, user=None) -> None:
        if len(password) > self.max_length:
            raise ValidationError(
                ngettext(
                    "Het wachtwoord mag hoogstens %(max)d teken lang zijn.",
                    "Het wachtwoord mag hoogstens %(max)d tekens lang zijn.",
                    self.max_length,
                )
                % {"max": self.max_length},
                code="password_too_long",
            )

    def get_help_text(self) -> str:
        return _("Hoogstens %(max)d tekens.") % {"max": self.max_length}
