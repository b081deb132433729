"""Read-only reports on the quality framework: the SWV matrix (schools × aspects), its counts and
exports (XLSX, CSV), a school's year-over-year comparison and the assessment as a PDF.

Everything here reads; who may see what is decided by the caller through passend.quality.access
(the querysets passed in are already scoped). Each builder costs a fixed number of queries,
whatever the number of schools or aspects.
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from uuid import UUID

from django.conf import settings
from django.db.models import OuterRef, QuerySet, Subquery
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from passend.quality import access
from passend.quality.choices import RATING_SYMBOLS, AssessmentStatus, Rating
from passend.quality.models import (
    AspectRating,
    QualityAspect,
    QualityAssessment,
    QualityFramework,
    number_key,
)

#: The filter value for schools without an assessment in the framework's school year.
STATUS_NONE = "none"
#: Ratings in the order of the counts and legends.
RATING_ORDER = [Rating.MEETS, Rating.PARTLY, Rating.NOT_MET, Rating.NOT_APPLICABLE]
#: Ratings that can be compared from year to year (n.v.t. and unrated cannot).
RATING_RANK = {Rating.MEETS: 2, Rating.PARTLY: 1, Rating.NOT_MET: 0}


def optional_url(name: str, *args) -> str | None:
    """``reverse(name, args)``, or None while that page does not exist (yet)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


# --- Ratings as shown ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RatingDisplay:
    """A rating as the matrix shows it: a text symbol, the label and a CSS modifier.

    Colour (through ``css``) is never the only carrier: the symbol and label say it too.
    """

    value: str
    symbol: str
    label: str
    css: str

    @property
    def is_rated(self) -> bool:
        return bool(self.value)


def rating_displays() -> dict[str, RatingDisplay]:
    """One display per rating value ('' = not rated), in the active language."""
    displays = {
        rating.value: RatingDisplay(
            rating.value, RATING_SYMBOLS[rating], str(rating.label), rating.value.replace("_", "-")
        )
        for rating in RATING_ORDER
    }
    displays[""] = RatingDisplay("", RATING_SYMBOLS[""], _("Nog niet ingevuld"), "unrated")
    return displays


def status_label(status: str) -> str:
    return str(AssessmentStatus(status).label) if status else _("Geen zelfevaluatie")


# --- The matrix ---------------------------------------------------------------------------------


@dataclass
class MatrixRow:
    school: object
    status: str  # '' without an assessment
    status_label: str
    assessment_code: UUID | None
    cells: list[RatingDisplay]
    detail_url: str | None = None
    comparison_url: str | None = None


@dataclass
class SectionGroup:
    title: str
    span: int


@dataclass
class Matrix:
    framework: QualityFramework
    aspects: list[QualityAspect]
    sections: list[SectionGroup]
    rows: list[MatrixRow]
    #: Per aspect (aligned with ``aspects``): rating value ('' = not rated) → number of schools.
    counts: list[Counter]
    displays: dict[str, RatingDisplay]
    status_counts: Counter = field(default_factory=Counter)

    @property
    def count_rows(self) -> list[tuple[RatingDisplay, list[int]]]:
        """The counts as table rows: per rating (and 'not rated'), the number per aspect."""
        return [
            (self.displays[value], [counts[value] for counts in self.counts])
            for value in [*RATING_ORDER, ""]
        ]

    @property
    def status_summary(self) -> list[tuple[str, int]]:
        order = [*AssessmentStatus.values, ""]
        return [(status_label(s), self.status_counts[s]) for s in order if self.status_counts[s]]


def matrix_aspects(framework: QualityFramework) -> list[QualityAspect]:
    """The framework's aspects in document order: by section, then by number (16 < 16.1 < 17)."""
    return list(
        framework.aspects.select_related("section").order_by("section__position", "sort_key")
    )


def matrix_schools(user, framework: QualityFramework, *, mine: bool = False, status: str = ""):
    """The partnership's schools whose assessments ``user`` may see, with the status and code of
    their assessment for the framework's school year (None without one).

    ``mine``: only schools where the user is a consultant (an SWV-wide consultant: all).
    ``status``: an assessment status, or ``STATUS_NONE`` for schools without an assessment.
    """
    schools = access.assessable_schools(user).filter(partnership_id=framework.partnership_id)
    if mine:
        schools = schools.filter(access.school_filter(user, access.REVIEW_ROLES))
    assessment = QualityAssessment.objects.filter(
        school=OuterRef("pk"), school_year_id=framework.school_year_id
    ).order_by()
    schools = schools.annotate(
        assessment_status=Subquery(assessment.values("status")[:1]),
        assessment_code=Subquery(assessment.values("code")[:1]),
    )
    if status == STATUS_NONE:
        schools = schools.filter(assessment_status__isnull=True)
    elif status:
        schools = schools.filter(assessment_status=status)
    return schools.order_by("name", "location_code")


def _ratings_by_school(framework: QualityFramework, schools: QuerySet) -> dict[int, dict]:
    """school id → {aspect number: rating} for the framework's school year, in one query.

    Matched by aspect number, so an assessment made against another version of the year's
    framework still fills the columns it shares.
    """
    rows = (
        AspectRating.objects.filter(
            assessment__school_year_id=framework.school_year_id,
            assessment__partnership_id=framework.partnership_id,
            school_id__in=schools.values("pk"),
        )
        .order_by()
        .values_list("school_id", "aspect__number", "rating")
    )
    result: dict[int, dict] = defaultdict(dict)
    for school_id, number, rating in rows:
        result[school_id][number] = rating
    return result


def build_matrix(
    user, framework: QualityFramework, *, mine: bool = False, status: str = ""
) -> Matrix:
    """The matrix of schools × aspects for ``framework``: four queries, whatever its size."""
    aspects = matrix_aspects(framework)
    schools = matrix_schools(user, framework, mine=mine, status=status)
    ratings = _ratings_by_school(framework, schools)
    displays = rating_displays()
    numbers = [aspect.number for aspect in aspects]
    counts = [Counter() for _aspect in aspects]
    status_counts: Counter = Counter()
    rows = []
    for school in schools:
        school_ratings = ratings.get(school.pk, {})
        cells = []
        for index, number in enumerate(numbers):
            value = school_ratings.get(number, "")
            counts[index][value] += 1
            cells.append(displays[value])
        status = school.assessment_status or ""
        status_counts[status] += 1
        code = school.assessment_code
        rows.append(
            MatrixRow(
                school=school,
                status=status,
                status_label=status_label(status),
                assessment_code=code,
                cells=cells,
                detail_url=optional_url("quality:assessment_detail", code) if code else None,
                comparison_url=optional_url("quality:school_comparison", school.code),
            )
        )
    sections: list[SectionGroup] = []
    for aspect in aspects:
        if sections and sections[-1].title == aspect.section.title:
            sections[-1].span += 1
        else:
            sections.append(SectionGroup(aspect.section.title, 1))
    return Matrix(
        framework=framework,
        aspects=aspects,
        sections=sections,
        rows=rows,
        counts=counts,
        displays=displays,
        status_counts=status_counts,
    )


# --- Exports of the matrix ----------------------------------------------------------------------

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: str) -> str:
    """A text cell that Excel or LibreOffice will not run as a formula (CSV injection)."""
    return f"'{value}" if value.startswith(FORMULA_PREFIXES) else value


def export_filename(matrix: Matrix, extension: str) -> str:
    framework = matrix.framework
    stem = slugify(f"kwaliteitskader {framework.partnership.name} {framework.school_year.name}")
    return f"{stem}.{extension}"


def _row_values(row: MatrixRow) -> list[str]:
    """School, location code, status, then per aspect the rating's label ('' if not rated)."""
    return [
        row.school.name,
        row.school.location_code,
        row.status_label,
        *(cell.label if cell.is_rated else "" for cell in row.cells),
    ]


def matrix_csv(matrix: Matrix) -> bytes:
    """The matrix as CSV for Dutch Excel: UTF-8 with BOM, semicolons, CRLF.

    Aspect columns are headed ``Aspect 16.1``: a bare ``16.1`` would become a date in Excel.
    """
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [
            _("School"),
            _("Vestigingscode"),
            _("Status"),
            *(_("Aspect %(number)s") % {"number": a.number} for a in matrix.aspects),
        ]
    )
    for row in matrix.rows:
        writer.writerow([spreadsheet_safe(value) for value in _row_values(row)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


XLSX_FILLS = {
    Rating.MEETS: "E7F4EA",
    Rating.PARTLY: "FFF4D6",
    Rating.NOT_MET: "FBE9EC",
    Rating.NOT_APPLICABLE: "F2F4F7",
}


def _text_cell(sheet, row: int, column: int, value: str):
    """A text cell; openpyxl would store a leading '=' as a formula, so the type is forced."""
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def matrix_xlsx(matrix: Matrix) -> bytes:
    """The matrix as an Excel workbook: the matrix (frozen header, filter), the aspects' texts
    and the counts per aspect."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    framework = matrix.framework
    workbook = Workbook()
    workbook.properties.title = _("Zelfevaluaties %(framework)s") % {"framework": framework}
    workbook.properties.creator = "passend"
    bold = Font(bold=True)
    fills = {
        str(Rating(value).label): PatternFill("solid", fgColor=colour)
        for value, colour in XLSX_FILLS.items()
    }

    sheet = workbook.active
    sheet.title = _("Matrix")
    header = [_("School"), _("Vestigingscode"), _("Status"), *(a.number for a in matrix.aspects)]
    for column, value in enumerate(header, start=1):
        _text_cell(sheet, 1, column, value).font = bold
    for row_number, row in enumerate(matrix.rows, start=2):
        for column, value in enumerate(_row_values(row), start=1):
            cell = _text_cell(sheet, row_number, column, value)
            if column > 3 and value in fills:
                cell.fill = fills[value]
    for aspect_column in range(4, len(header) + 1):
        sheet.cell(row=1, column=aspect_column).alignment = Alignment(horizontal="center")
    sheet.freeze_panes = "D2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{max(1, len(matrix.rows) + 1)}"
    widths = {1: 40, 2: 15, 3: 18}
    for column in range(1, len(header) + 1):
        sheet.column_dimensions[get_column_letter(column)].width = widths.get(column, 15)

    legend = workbook.create_sheet(_("Aspecten"))
    for column, value in enumerate([_("Aspect"), _("Onderdeel"), _("Tekst")], start=1):
        _text_cell(legend, 1, column, value).font = bold
    for row_number, aspect in enumerate(matrix.aspects, start=2):
        _text_cell(legend, row_number, 1, aspect.number)
        _text_cell(legend, row_number, 2, aspect.section.title)
        _text_cell(legend, row_number, 3, aspect.text).alignment = Alignment(wrap_text=True)
    legend.freeze_panes = "A2"
    for column, width in {1: 10, 2: 32, 3: 100}.items():
        legend.column_dimensions[get_column_letter(column)].width = width

    totals = workbook.create_sheet(_("Aantallen"))
    labels = [_("Aspect"), *(label.label for label, _counts in matrix.count_rows)]
    for column, value in enumerate(labels, start=1):
        _text_cell(totals, 1, column, value).font = bold
    for row_number, (aspect, counts) in enumerate(
        zip(matrix.aspects, matrix.counts, strict=True), start=2
    ):
        _text_cell(totals, row_number, 1, aspect.number)
        for column, value in enumerate([*RATING_ORDER, ""], start=2):
            totals.cell(row=row_number, column=column, value=counts[value])
    totals.freeze_panes = "B2"
    for column in range(1, len(labels) + 1):
        totals.column_dimensions[get_column_letter(column)].width = 18

    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- Year-over-year comparison of one school ----------------------------------------------------


@dataclass
class ComparisonCell:
    """One year's rating of an aspect; ``rating`` None when the aspect was not in that year's
    framework. ``change`` compares with the year before: 'better', 'worse', 'same' or ''."""

    rating: RatingDisplay | None
    change: str = ""

    @property
    def change_label(self) -> str:
        return {
            "better": _("beter dan het jaar ervoor"),
            "worse": _("slechter dan het jaar ervoor"),
            "same": _("gelijk aan het jaar ervoor"),
        }.get(self.change, "")


@dataclass
class ComparisonRow:
    number: str
    text: str
    is_sub_aspect: bool
    cells: list[ComparisonCell]


@dataclass
class Comparison:
    school: object
    assessments: list[QualityAssessment]
    rows: list[ComparisonRow]

    @property
    def changes(self) -> Counter:
        return Counter(cell.change for row in self.rows for cell in row.cells if cell.change)


def change_between(before: str, after: str) -> str:
    if before not in RATING_RANK or after not in RATING_RANK:
        return ""
    difference = RATING_RANK[after] - RATING_RANK[before]
    return "better" if difference > 0 else "worse" if difference < 0 else "same"


def school_comparison(school) -> Comparison:
    """The school's ratings per aspect number (rows) and school year (columns, oldest first):
    three queries. Aspects are matched by number across the years' framework versions; the text
    is the latest year's."""
    assessments = list(
        QualityAssessment.objects.filter(school=school)
        .select_related("school_year", "framework")
        .order_by("school_year__start")
    )
    ratings: dict[int, dict[str, str]] = defaultdict(dict)
    for assessment_id, number, rating in (
        AspectRating.objects.filter(assessment__school=school)
        .order_by()
        .values_list("assessment_id", "aspect__number", "rating")
    ):
        ratings[assessment_id][number] = rating
    texts: dict[str, tuple[int, str, bool]] = {}
    year_of_framework = {a.framework_id: a.school_year.start.toordinal() for a in assessments}
    for framework_id, number, text, parent_id in QualityAspect.objects.filter(
        framework_id__in=year_of_framework
    ).values_list("framework_id", "number", "text", "parent_id"):
        rank = year_of_framework[framework_id]
        if number not in texts or texts[number][0] <= rank:
            texts[number] = (rank, text, parent_id is not None)

    displays = rating_displays()
    rows = []
    for number in sorted(texts, key=number_key):
        cells: list[ComparisonCell] = []
        previous = None
        for assessment in assessments:
            values = ratings.get(assessment.pk, {})
            if number not in values:
                cells.append(ComparisonCell(None))
                continue
            value = values[number]
            change = change_between(previous, value) if previous is not None else ""
            cells.append(ComparisonCell(displays[value], change))
            previous = value
        _rank, text, is_sub = texts[number]
        rows.append(ComparisonRow(number, text, is_sub, cells))
    return Comparison(school=school, assessments=assessments, rows=rows)


# --- The assessment as a PDF --------------------------------------------------------------------


@dataclass
class PdfAspect:
    aspect: QualityAspect
    rating: AspectRating | None
    display: RatingDisplay


@dataclass
class PdfSection:
    title: str
    introduction: str
    aspects: list[PdfAspect]


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string, safe inside a <style> element."""
    escaped = "".join(
        f"\\{ord(char):x} " if char in '\\"<>&\n\r' or ord(char) < 32 else char for char in text
    )
    return f'"{escaped}"'


def page_counter_css() -> str:
    """The CSS ``content`` of the footer: 'Pagina 3 van 12' in the active language."""
    template = _("Pagina {page} van {pages}")
    before, _sep, rest = template.partition("{page}")
    middle, _sep, after = rest.partition("{pages}")
    parts = [css_string(before), "counter(page)", css_string(middle), "counter(pages)"]
    if after:
        parts.append(css_string(after))
    return " ".join(parts)


def assessment_pdf_context(assessment: QualityAssessment) -> dict:
    """Everything the PDF shows: per section the aspects with the school's rating, evidence and
    comments and the consultant's comments (three queries)."""
    assessment = (
        QualityAssessment.objects.select_related(
            "school",
            "school__partnership",
            "school_year",
            "framework",
            "submitted_by",
            "reviewed_by",
        )
        .filter(pk=assessment.pk)
        .get()
    )
    ratings = {r.aspect_id: r for r in assessment.ratings.all()}
    displays = rating_displays()
    sections: list[PdfSection] = []
    aspects = assessment.framework.aspects.select_related("section").order_by(
        "section__position", "sort_key"
    )
    for aspect in aspects:
        if not sections or sections[-1].title != aspect.section.title:
            sections.append(PdfSection(aspect.section.title, aspect.section.introduction, []))
        rating = ratings.get(aspect.pk)
        sections[-1].aspects.append(
            PdfAspect(aspect, rating, displays[rating.rating if rating else ""])
        )
    return {
        "assessment": assessment,
        "school": assessment.school,
        "partnership": assessment.school.partnership,
        "framework": assessment.framework,
        "sections": sections,
        "displays": [displays[value] for value in RATING_ORDER],
        "status_label": status_label(assessment.status),
        "generated_at": timezone.localtime(),
        "page_counter_css": page_counter_css(),
    }


def pdf_filename(assessment: QualityAssessment) -> str:
    stem = slugify(f"zelfevaluatie {assessment.school.name} {assessment.school_year.name}")
    return f"{stem}.pdf"


def offline_fetcher():
    """A WeasyPrint URL fetcher that fetches nothing: the PDF needs no external resource, and a
    URL in the data must never make the server reach out (SSRF) or read a local file."""
    from weasyprint.urls import URLFetcher

    class OfflineFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            raise ValueError(f"passend PDFs load no external resources: {url[:80]}")

    return OfflineFetcher()


def assessment_pdf(assessment: QualityAssessment, *, uncompressed: bool = False) -> bytes:
    """The assessment in the SWV's format as PDF (WeasyPrint): a title page, then per section
    the aspects with rating, evidence and comments, page numbers in the footer.

    ``uncompressed`` writes plain content streams (tests read the text back from them).
    """
    from weasyprint import HTML

    html = render_to_string(
        "quality/overview/assessment_pdf.html", assessment_pdf_context(assessment)
    )
    document = HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=offline_fetcher())
    return document.write_pdf(uncompressed_pdf=uncompressed)
