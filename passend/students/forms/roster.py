"""Forms of the roster import: the upload, and the column mapping (one select per field)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from passend.front.forms import StyledFormMixin
from passend.students import roster


class RosterUploadForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label=_l("Leerlingenbestand (CSV of XLSX)"),
        help_text=_l(
            "Een export uit het leerlingvolgsysteem met een kopregel. CSV met ; of , als "
            "scheidingsteken (UTF-8 of Windows), of een Excel-bestand (XLSX, eerste tabblad)."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx"}),
    )


class MappingForm(StyledFormMixin, forms.Form):
    """One select per importable field: the file's column, or "(niet inlezen)"."""

    def __init__(self, *args, headers: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("(niet inlezen)"))] + [
            (str(i), f"{i + 1}. {h or _('(zonder naam)')}")
            for i, h in enumerate(headers)
            if not roster.is_forbidden(h)
        ]
        for name, label, _aliases in roster.field_choices():
            self.fields[name] = forms.TypedChoiceField(
                label=label,
                choices=choices,
                required=False,
                coerce=int,
                empty_value=None,
            )

    @classmethod
    def initial_for(cls, mapping: dict) -> dict:
        return {k: "" if v is None else str(v) for k, v in mapping.items()}

    def mapping(self) -> dict[str, int | None]:
        return {name: self.cleaned_data.get(name) for name, _l2, _a in roster.field_choices()}
