"""Uploaded files: type checks (extension and content must agree), safe names, downloads.

Shared by every form that takes a file (evidence, agreements, diplomas, certificates) and every
view that hands one back.
"""

from __future__ import annotations

import zipfile
from pathlib import PurePosixPath

from django import forms
from django.conf import settings
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _


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


def attachment_response(handle, stored: str, filename: str) -> FileResponse:
    """A download (never shown inline) under the original name, with the type from the
    stored extension and ``nosniff`` so that a browser cannot reinterpret it."""
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=filename or PurePosixPath(stored).name,
        content_type=content_type_for(stored),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
