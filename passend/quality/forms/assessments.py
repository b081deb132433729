"""Forms of the self-assessment: start, rate an aspect (with an evidence file), review, reopen."""

from __future__ import annotations

import zipfile
from pathlib import PurePosixPath

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from passend.front.forms import StyledFormMixin
from passend.quality.choices import RATING_SYMBOLS, FrameworkStatus, Rating

TEXT_MAX = 5000
RADIO_CLASS = "utrecht-radio-button utrecht-radio-button--html-input"
FILE_CLASS = "utrecht-file-input"


# --- Evidence files ------------------------------------------------------------------------------


def _zip_names(upload) -> set[str] | None:
    try:
        with zipfile.ZipFile(upload) as archive:
            return set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None


ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def _is_odt(upload) -> bool:
    # ODF: the first entry is an uncompressed "mimetype" file naming the document type.
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
            first = entries[0] if entries else None
            # Stored uncompressed and tiny by the ODF rules; anything else is not read.
            if (
                first is None
                or first.filename != "mimetype"
                or first.compress_type != zipfile.ZIP_STORED
                or first.file_size > 100
            ):
                return False
            return archive.read(first) == ODT_MIMETYPE
    except (zipfile.BadZipFile, OSError, ValueError, KeyError):
        return False


def _ooxml(part: str):
    def check(upload) -> bool:
        names = _zip_names(upload)
        return names is not None and "[Content_Types].xml" in names and part in names

    return check


ZIP_MAGIC = b"PK\x03\x04"

#: Allowed evidence files: extension -> (content type, magic bytes, deeper check or None).
EVIDENCE_TYPES = {
    ".pdf": ("application/pdf", b"%PDF-", None),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ZIP_MAGIC,
        _ooxml("word/document.xml"),
    ),
    ".xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ZIP_MAGIC,
        _ooxml("xl/workbook.xml"),
    ),
    ".odt": ("application/vnd.oasis.opendocument.text", ZIP_MAGIC, _is_odt),
    ".png": ("image/png", b"\x89PNG\r\n\x1a\n", None),
    ".jpg": ("image/jpeg", b"\xff\xd8\xff", None),
    ".jpeg": ("image/jpeg", b"\xff\xd8\xff", None),
}
ACCEPT = ",".join(EVIDENCE_TYPES)
FILENAME_MAX = 150


def content_type_for(filename: str) -> str:
    entry = EVIDENCE_TYPES.get(PurePosixPath(filename).suffix.lower())
    return entry[0] if entry else "application/octet-stream"


def safe_filename(name: str) -> str:
    """The client's file name without any directory part or control characters, bounded."""
    name = str(name).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip().lstrip(".")
    path = PurePosixPath(name or "bestand")
    suffix = path.suffix[:10]
    stem = path.stem[: FILENAME_MAX - len(suffix)].strip() or "bestand"
    return f"{stem}{suffix}"


def check_evidence_file(upload) -> None:
    """Raise ValidationError unless ``upload`` is an allowed type (extension and content agree)
    and not larger than settings.EVIDENCE_MAX_BYTES."""
    limit = settings.EVIDENCE_MAX_BYTES
    if upload.size > limit:
        raise forms.ValidationError(
            _("Het bestand is te groot (%(size)s); het maximum is %(max)s.")
            % {"size": filesizeformat(upload.size), "max": filesizeformat(limit)},
            code="too_large",
        )
    suffix = PurePosixPath(upload.name).suffix.lower()
    entry = EVIDENCE_TYPES.get(suffix)
    if entry is None:
        raise forms.ValidationError(
            _("Dit bestandstype is niet toegestaan. Kies een PDF, DOCX, XLSX, ODT, PNG of JPEG."),
            code="type",
        )
    _content_type, magic, deeper = entry
    upload.seek(0)
    head = upload.read(len(magic))
    upload.seek(0)
    valid = head == magic
    if valid and deeper is not None:
        valid = deeper(upload)
        upload.seek(0)
    if not valid:
        raise forms.ValidationError(
            _("De inhoud van het bestand past niet bij de extensie %(ext)s.") % {"ext": suffix},
            code="mismatch",
        )


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
