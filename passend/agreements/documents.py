"""PDF documents of werkafspraken and evaluations (WeasyPrint, like the assessment PDF): a
neat Dutch document layout for signing and archiving. The templates live in
templates/agreements/pdf/; the shared stylesheet is templates/agreements/pdf/document.css.
The PDFs load no external resource (passend.quality.reports.offline_fetcher)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.text import slugify


def render_pdf(template_name: str, context: dict, *, uncompressed: bool = False) -> bytes:
    from weasyprint import HTML

    from passend.quality.reports import offline_fetcher

    html = render_to_string(template_name, context)
    return HTML(string=html, url_fetcher=offline_fetcher()).write_pdf(uncompressed_pdf=uncompressed)


def filename(*parts: str) -> str:
    """ "werkafspraken-school-aa-2026-2027-v2.pdf" from the parts."""
    return slugify("-".join(p for p in parts if p)) + ".pdf"
