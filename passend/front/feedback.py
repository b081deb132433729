"""Turning validation problems into what the user sees: form errors or flash messages."""

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest


def add_service_error(form, error: ValidationError) -> None:
    """A service's ValidationError on the form: per field where the form has it, else on top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else NON_FIELD_ERRORS, errors)


def flash_errors(request: HttpRequest, source) -> None:
    """Show a ValidationError's or a bound form's messages as error messages.

    For POST-only actions that redirect back to the page they were started from.
    """
    if isinstance(source, ValidationError):
        texts = source.messages
    else:
        texts = [text for errors in source.errors.values() for text in errors]
    for text in texts:
        messages.error(request, text)
