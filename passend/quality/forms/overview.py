"""The filters of the SWV matrix (GET)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from passend.front.forms import StyledFormMixin
from passend.quality.choices import AssessmentStatus
from passend.quality.reports import STATUS_NONE


class MatrixFilterForm(StyledFormMixin, forms.Form):
    """``mine``: only the consultant's own schools (shown to consultants only); ``status``: an
    assessment status or 'none' (no assessment yet)."""

    mine = forms.BooleanField(label=_("Alleen mijn scholen"), required=False)
    status = forms.ChoiceField(
        label=_("Status zelfevaluatie"),
        required=False,
        choices=[
            ("", _("Alle")),
            (STATUS_NONE, _("Geen zelfevaluatie")),
            *AssessmentStatus.choices,
        ],
    )

    def __init__(self, *args, show_mine: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not show_mine:
            del self.fields["mine"]

    def filters(self) -> dict:
        """The valid filters (an invalid one is ignored and reported by the form)."""
        if self.is_bound:
            self.is_valid()
            data = self.cleaned_data
        else:
            data = {}
        return {"mine": bool(data.get("mine")), "status": data.get("status") or ""}
