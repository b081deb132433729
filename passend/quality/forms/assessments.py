"""Forms of the self-assessment: start, rate an aspect (with an evidence file), review, reopen."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from passend.front.forms import StyledFormMixin
from passend.front.uploads import ACCEPT, check_evidence_file, safe_filename
from passend.quality.choices import RATING_SYMBOLS, FrameworkStatus, Rating

TEXT_MAX = 5000
RADIO_CLASS = "utrecht-radio-button utrecht-radio-button--html-input"
FILE_CLASS = "utrecht-file-input"


# --- Forms ---------------------------------------------------------------------------------------


class StartAssessmentForm(StyledFormMixin, forms.Form):
    """The school year to start; only years with a published framework of the partnership."""

    school_year = forms.ModelChoiceField(
        label=_("Schooljaar"), queryset=None, to_field_name="name", required=False
    )

    def __init__(self, *args, partnership, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        from passend.organisations.models import SchoolYear

        self.fields["school_year"].queryset = SchoolYear.objects.filter(
            pk__in=partnership.quality_frameworks.filter(status=FrameworkStatus.PUBLISHED).values(
                "school_year"
            )
        )

    def clean_school_year(self):
        from passend.organisations.models import SchoolYear

        return self.cleaned_data["school_year"] or SchoolYear.current()


def _text_area(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class RatingForm(StyledFormMixin, forms.Form):
    """The school's rating of one aspect, with evidence (text, optional file) and a comment."""

    rating = forms.ChoiceField(
        label=_("Oordeel"),
        choices=Rating.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies een oordeel.")},
    )
    evidence = forms.CharField(
        label=_("Onderbouwing"),
        required=False,
        max_length=TEXT_MAX,
        widget=_text_area(),
        help_text=_("Waaruit blijkt dit? Bijvoorbeeld een verwijzing naar werkafspraken."),
    )
    evidence_file = forms.FileField(
        label=_("Bewijsstuk"),
        required=False,
        max_length=1000,
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
    )
    remove_file = forms.BooleanField(label=_("Huidig bewijsstuk verwijderen"), required=False)
    comment = forms.CharField(
        label=_("Toelichting"), required=False, max_length=TEXT_MAX, widget=_text_area(3)
    )

    def __init__(self, *args, has_file: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rating"].widget.attrs["class"] = RADIO_CLASS
        self.fields["evidence_file"].widget.attrs["class"] = FILE_CLASS
        self.fields["evidence_file"].help_text = _(
            "Optioneel. PDF, DOCX, XLSX, ODT, PNG of JPEG; maximaal %(max)s."
        ) % {"max": filesizeformat(settings.EVIDENCE_MAX_BYTES)}
        if not has_file:
            del self.fields["remove_file"]

    def rating_options(self) -> list[tuple]:
        """Each radio button with its text symbol (the rating never depends on colour)."""
        return [(radio, RATING_SYMBOLS.get(radio.data["value"], "")) for radio in self["rating"]]

    def clean_evidence_file(self):
        upload = self.cleaned_data.get("evidence_file")
        if not upload:
            return None
        upload.name = safe_filename(upload.name)
        check_evidence_file(upload)
        return upload

    def clean(self):
        data = super().clean()
        if data.get("evidence_file") and data.get("remove_file"):
            self.add_error(
                "remove_file",
                _("Kies een nieuw bestand óf verwijder het huidige, niet allebei."),
            )
        return data


class ReviewCommentForm(StyledFormMixin, forms.Form):
    """The consultant's comment on one aspect."""

    review_comment = forms.CharField(
        label=_("Reactie consulent"), required=False, max_length=TEXT_MAX, widget=_text_area()
    )


class ReviewForm(StyledFormMixin, forms.Form):
    """The consultant's overall comment, closing the review."""

    review_comment = forms.CharField(
        label=_("Algemene reactie"), required=False, max_length=TEXT_MAX, widget=_text_area()
    )


class ReopenForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reden voor heropenen"),
        max_length=1000,
        widget=_text_area(2),
        error_messages={"required": _("Geef een reden op.")},
    )
