"""A person's own development record (aspect 12), with an optional certificate.

The certificate checks are those of the self-assessment's evidence files
(passend.quality.forms.assessments: extension and magic bytes agree, size limit), narrowed to
PDF, PNG and JPEG.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import PurePosixPath

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from passend.front.forms import StyledFormMixin
from passend.front.uploads import check_evidence_file, safe_filename

CERTIFICATE_TYPES = (".pdf", ".png", ".jpg", ".jpeg")
CERTIFICATE_ACCEPT = ",".join(CERTIFICATE_TYPES)


def check_certificate(upload) -> None:
    """Raise ValidationError unless ``upload`` is a PDF, PNG or JPEG (content checked too)."""
    if PurePosixPath(upload.name).suffix.lower() not in CERTIFICATE_TYPES:
        raise forms.ValidationError(
            _("Dit bestandstype is niet toegestaan. Kies een PDF, PNG of JPEG."), code="type"
        )
    check_evidence_file(upload)


class RecordForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Cursus of activiteit"), max_length=200)
    provider = forms.CharField(label=_("Aanbieder"), max_length=200, required=False)
    date = forms.DateField(
        label=_("Datum"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("De datum van afronding (of van de bijeenkomst)."),
    )
    hours = forms.DecimalField(
        label=_("Uren"),
        min_value=Decimal("0.25"),
        max_value=Decimal("2000"),
        max_digits=6,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    certificate = forms.FileField(
        label=_("Certificaat"),
        required=False,
        max_length=1000,
        widget=forms.FileInput(attrs={"accept": CERTIFICATE_ACCEPT}),
    )
    remove_certificate = forms.BooleanField(
        label=_("Huidig certificaat verwijderen"), required=False
    )

    def __init__(self, *args, has_file: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["certificate"].widget.attrs["class"] = "utrecht-file-input"
        self.fields["certificate"].help_text = _(
            "Optioneel. PDF, PNG of JPEG; maximaal %(max)s."
        ) % {"max": filesizeformat(settings.EVIDENCE_MAX_BYTES)}
        if not has_file:
            del self.fields["remove_certificate"]

    def clean_certificate(self):
        upload = self.cleaned_data.get("certificate")
        if not upload:
            return None
        upload.name = safe_filename(upload.name)
        check_certificate(upload)
        return upload

    def clean(self):
        data = super().clean()
        if data.get("certificate") and data.get("remove_certificate"):
            self.add_error(
                "remove_certificate",
                _("Kies een nieuw bestand óf verwijder het huidige, niet allebei."),
            )
        return data
