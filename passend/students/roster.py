"""The roster import: a school's student list from its student system (Magister, SOMtoday,
Eduarte, …) as CSV or XLSX → column mapping → validation of every row → one all-or-nothing
write.

- Reading: CSV with ``;``, ``,`` or tab, in UTF-8 (with or without BOM) or Windows-1252; XLSX
  (first sheet, openpyxl read-only). Every cell is kept as the text it is in the file: a cell
  that looks like a formula (``=HYPERLINK(...)``) is stored verbatim, never evaluated.
- Mapping: guessed from the header (Dutch and English names), editable per field.
- A BSN, onderwijsnummer or sofinummer column is never mapped and never stored.
- Validation: every row; a bad row is reported with its line number and all its reasons, and
  then nothing is written.
- Applying: one transaction; the school's students loaded in one query, written with
  bulk_create/bulk_update in batches (no query per row); students not in the file are marked as
  left on the import date; guardians of the students in the file are replaced when the file has
  guardian columns (a guardian a consent refers to is kept).
- The uploaded file holds personal data: it is deleted when the import is applied or cancelled.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from passend.audit.services import record
from passend.students import access, services
from passend.students.choices import GuardianRelation, RosterImportStatus
from passend.students.models import Guardian, RosterImport, Student

#: Rows shown in the preview.
PREVIEW_ROWS = 20
#: More rows than any school has (the largest have a few thousand students).
MAX_ROWS = 100_000
#: Rows per bulk statement.
BATCH = 500
GUARDIAN_SLOTS = (1, 2)


# --- Fields and header names ---------------------------------------------------------------------


def _norm(header: str) -> str:
    """A header for matching: lower case, letters and digits only ("Ouder 1 – e-mail" →
    "ouder1email")."""
    return re.sub(r"[^0-9a-z]", "", str(header or "").lower())


STUDENT_COLUMNS: list[tuple[str, object, tuple[str, ...]]] = [
    (
        "student_number",
        _l("Leerlingnummer"),
        (
            "leerlingnummer",
            "leerlingnr",
            "llnr",
            "stamnummer",
            "stamnr",
            "studentnumber",
            "studentnummer",
            "studentid",
            "pupilnumber",
        ),
    ),
    (
        "first_name",
        _l("Roepnaam"),
        ("roepnaam", "voornaam", "voornamen", "firstname", "givenname", "callname"),
    ),
    (
        "name_prefix",
        _l("Tussenvoegsel"),
        ("tussenvoegsel", "tussenvoegsels", "voorvoegsel", "prefix", "nameprefix", "infix"),
    ),
    (
        "last_name",
        _l("Achternaam"),
        ("achternaam", "familienaam", "lastname", "surname", "familyname"),
    ),
    (
        "date_of_birth",
        _l("Geboortedatum"),
        ("geboortedatum", "gebdatum", "dateofbirth", "birthdate", "dob"),
    ),
    (
        "class_name",
        _l("Klas"),
        ("klas", "stamgroep", "stamklas", "basisgroep", "groep", "class", "classname", "group"),
    ),
    ("year_of_study", _l("Leerjaar"), ("leerjaar", "jaarlaag", "year", "yearofstudy", "grade")),
    (
        "level",
        _l("Niveau"),
        (
            "niveau",
            "leerweg",
            "opleiding",
            "onderwijssoort",
            "afdeling",
            "level",
            "track",
            "programme",
            "program",
        ),
    ),
    (
        "mentor_email",
        _l("E-mail mentor"),
        (
            "mentoremail",
            "mentoremailadres",
            "emailmentor",
            "emailadresmentor",
            "mentormail",
            "mentoremailaddress",
        ),
    ),
    (
        "enrolled_on",
        _l("Datum inschrijving"),
        (
            "datuminschrijving",
            "inschrijfdatum",
            "ingeschrevenop",
            "datumingang",
            "begindatum",
            "startdatum",
            "enrolledon",
            "enrolmentdate",
            "enrollmentdate",
            "startdate",
        ),
    ),
]

GUARDIAN_PARTS: list[tuple[str, object, tuple[str, ...]]] = [
    ("name", _l("naam"), ("naam", "name", "volledigenaam", "")),
    ("relation", _l("relatie"), ("relatie", "relation", "relationship", "soort")),
    (
        "authority",
        _l("gezag"),
        ("gezag", "wettelijkgezag", "gezagsdrager", "authority", "legalauthority"),
    ),
    ("email", _l("e-mail"), ("email", "emailadres", "mail", "emailaddress")),
    ("phone", _l("telefoon"), ("telefoon", "telefoonnummer", "tel", "mobiel", "phone", "mobile")),
]
GUARDIAN_WORDS = ("ouder", "verzorger", "ouderverzorger", "guardian", "parent")

#: Never mapped, never stored, and the preview says so.
FORBIDDEN = (
    "bsn",
    "burgerservicenummer",
    "onderwijsnummer",
    "sofinummer",
    "sofinr",
    "persoonsgebondennummer",
    "pgn",
    "ssn",
    "socialsecuritynumber",
)
REQUIRED = ("student_number", "first_name", "last_name", "date_of_birth")


def _guardian_fields() -> list[tuple[str, str, set[str]]]:
    result = []
    for slot in GUARDIAN_SLOTS:
        for part, label, words in GUARDIAN_PARTS:
            aliases = set()
            for base in GUARDIAN_WORDS:
                for word in words:
                    aliases |= {f"{base}{slot}{word}", f"{word}{base}{slot}"}
            name = f"guardian{slot}_{part}"
            display = _("Ouder/verzorger %(n)s: %(part)s") % {"n": slot, "part": label}
            result.append((name, display, {a for a in aliases if a}))
    return result


def field_choices() -> list[tuple[str, str, set[str]]]:
    """(field, label, normalised header names) of every importable field, in form order."""
    fields = [(name, str(label), set(aliases)) for name, label, aliases in STUDENT_COLUMNS]
    return fields + _guardian_fields()


def is_forbidden(header: str) -> bool:
    norm = _norm(header)
    return any(norm == word or norm.startswith(word) or norm.endswith(word) for word in FORBIDDEN)


def guess_mapping(headers: list[str]) -> dict[str, int | None]:
    """{field: column index or None} from the header names."""
    normed = [_norm(h) for h in headers]
    mapping: dict[str, int | None] = {}
    used: set[int] = set()
    for name, _label, aliases in field_choices():
        found = next(
            (i for i, h in enumerate(normed) if h in aliases and i not in used and h),
            None,
        )
        if found is not None and not is_forbidden(headers[found]):
            used.add(found)
        else:
            found = None
        mapping[name] = found
    return mapping


# --- Reading -------------------------------------------------------------------------------------


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]  # without the header; line number = index + 2


def decode(raw: bytes) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _delimiter(text: str) -> str:
    first = text.split("\n", 1)[0]
    counts = {d: first.count(d) for d in (";", ",", "\t")}
    return max(counts, key=lambda d: (counts[d], d == ";"))


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_csv(raw: bytes) -> list[list[str]]:
    if b"\x00" in raw:
        raise ValidationError(_("Dit is geen CSV-bestand."), code="type")
    text = decode(raw)
    try:
        return [
            [c.strip() for c in row]
            for row in csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
        ]
    except csv.Error:
        raise ValidationError(
            _("Het bestand kan niet als CSV worden gelezen."), code="csv"
        ) from None


def _read_xlsx(handle) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        # data_only=False: a formula cell gives its text ("=HYPERLINK(...)"), never a result.
        book = load_workbook(handle, read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds for a damaged or foreign file
        raise ValidationError(
            _("Het bestand kan niet als XLSX worden gelezen."), code="xlsx"
        ) from None
    try:
        sheet = book.worksheets[0]
        return [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def kind_of(name: str) -> str | None:
    suffix = PurePosixPath(name).suffix.lower()
    return {".csv": "csv", ".txt": "csv", ".xlsx": "xlsx"}.get(suffix)


def read_table(handle, name: str) -> Table:
    """The header and rows of an uploaded or stored file (``name`` gives the type)."""
    kind = kind_of(name)
    if kind == "xlsx":
        lines = _read_xlsx(handle)
    elif kind == "csv":
        lines = _read_csv(handle.read())
    else:
        raise ValidationError(_("Kies een CSV- of XLSX-bestand."), code="type")
    lines = [line for line in lines if any(line)] if lines else []
    if not lines:
        raise ValidationError(_("Het bestand is leeg."), code="empty")
    if len(lines) - 1 > MAX_ROWS:
        raise ValidationError(
            _("Te veel regels: hoogstens %(n)s leerlingen per bestand.") % {"n": MAX_ROWS},
            code="too_many",
        )
    headers = lines[0]
    width = len(headers)
    rows = [(line + [""] * (width - len(line)))[:width] for line in lines[1:]]
    return Table(headers=headers, rows=rows)


def check_upload(upload) -> None:
    """Size (settings.EVIDENCE_MAX_BYTES) and type (extension and content agree)."""
    from passend.front.uploads import check_evidence_file

    kind = kind_of(upload.name)
    if kind is None:
        raise ValidationError(_("Kies een CSV- of XLSX-bestand."), code="type")
    if kind == "xlsx":
        check_evidence_file(upload)  # size, and a real spreadsheet behind the extension
        return
    if upload.size > settings.EVIDENCE_MAX_BYTES:
        from django.template.defaultfilters import filesizeformat

        raise ValidationError(
            _("Het bestand is te groot; het maximum is %(max)s.")
            % {"max": filesizeformat(settings.EVIDENCE_MAX_BYTES)},
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(4096)
    upload.seek(0)
    if b"\x00" in head or head.startswith(b"PK\x03\x04"):
        raise ValidationError(_("Dit is geen CSV-bestand."), code="type")


# --- Validation ----------------------------------------------------------------------------------

RELATIONS = {
    "moeder": GuardianRelation.MOTHER,
    "mother": GuardianRelation.MOTHER,
    "mam": GuardianRelation.MOTHER,
    "vader": GuardianRelation.FATHER,
    "father": GuardianRelation.FATHER,
    "pap": GuardianRelation.FATHER,
    "ouder": GuardianRelation.PARENT,
    "parent": GuardianRelation.PARENT,
    "verzorger": GuardianRelation.PARENT,
    "ouderverzorger": GuardianRelation.PARENT,
    "voogd": GuardianRelation.GUARDIAN,
    "guardian": GuardianRelation.GUARDIAN,
    "gezinsvoogd": GuardianRelation.GUARDIAN,
    "pleegouder": GuardianRelation.FOSTER_PARENT,
    "pleegmoeder": GuardianRelation.FOSTER_PARENT,
    "pleegvader": GuardianRelation.FOSTER_PARENT,
    "fosterparent": GuardianRelation.FOSTER_PARENT,
}
YES = {"ja", "j", "yes", "y", "true", "waar", "1", "x"}
NO = {"nee", "n", "no", "false", "onwaar", "0"}


#: Dates as student systems write them: day-month-year with -, / or . (31-12-2010, 1/2/2010),
#: or ISO year-month-day with - or / (2010-12-31). Read with a pattern, not strptime: a roster
#: of 50,000 rows has 100,000 dates.
_DMY = re.compile(r"(\d{1,2})([-/.])(\d{1,2})\2(\d{4})")
_YMD = re.compile(r"(\d{4})([-/])(\d{1,2})\2(\d{1,2})")


def parse_date(text: str) -> datetime.date | None:
    """The date written as _DMY or _YMD, else None (also for an impossible date)."""
    for pattern, order in ((_DMY, (4, 3, 1)), (_YMD, (1, 3, 4))):
        match = pattern.fullmatch(text)
        if match:
            try:
                return datetime.date(*(int(match.group(i)) for i in order))
            except ValueError:
                return None
    return None


@dataclass
class GuardianRow:
    name: str
    relation: str
    has_authority: bool
    email: str
    phone: str


@dataclass
class StudentRow:
    line: int
    values: dict  # field -> value, only the mapped fields
    guardians: list[GuardianRow] = field(default_factory=list)


@dataclass
class Problem:
    line: int
    reasons: list[str]


@dataclass
class Checked:
    rows: list[StudentRow]
    problems: list[Problem]
    total: int
    has_guardians: bool
    missing: list[str]  # labels of required fields without a column

    @property
    def ok(self) -> bool:
        return not self.problems and not self.missing and bool(self.rows)


def _value(cells, mapping, name) -> str:
    index = mapping.get(name)
    return cells[index] if index is not None and index < len(cells) else ""


#: Field labels in row errors, translated only when a row has an error.
LABELS = {
    "student_number": _l("leerlingnummer"),
    "first_name": _l("roepnaam"),
    "last_name": _l("achternaam"),
    "name_prefix": _l("tussenvoegsel"),
    "class_name": _l("klas"),
    "level": _l("niveau"),
}


def _check_row(cells, mapping, mentors, today, line) -> tuple[StudentRow, list[str]]:
    reasons: list[str] = []
    values: dict = {}

    def text(name, limit):
        value = _value(cells, mapping, name)
        if len(value) > limit:
            reasons.append(_("%(f)s is langer dan %(n)s tekens") % {"f": LABELS[name], "n": limit})
        return value

    number = text("student_number", 20)
    if not number:
        reasons.append(_("leerlingnummer ontbreekt"))
    values["student_number"] = number
    for name in ("first_name", "last_name"):
        values[name] = text(name, 80)
        if not values[name]:
            reasons.append(_("%(f)s ontbreekt") % {"f": LABELS[name]})
    if mapping.get("name_prefix") is not None:
        values["name_prefix"] = text("name_prefix", 20)
    raw_birth = _value(cells, mapping, "date_of_birth")
    born = parse_date(raw_birth)
    if born is None:
        if raw_birth:
            reasons.append(_("onmogelijke geboortedatum “%(v)s”") % {"v": raw_birth[:40]})
        else:
            reasons.append(_("geboortedatum ontbreekt"))
    else:
        problem = services.birth_date_problem(born, today)
        if problem:
            reasons.append(_("geboortedatum %(v)s: %(p)s") % {"v": raw_birth[:40], "p": problem})
    values["date_of_birth"] = born
    if mapping.get("class_name") is not None:
        values["class_name"] = text("class_name", 20)
    if mapping.get("level") is not None:
        values["level"] = text("level", 40)
    if mapping.get("year_of_study") is not None:
        raw_year = _value(cells, mapping, "year_of_study")
        year = None
        if raw_year:
            digits = re.fullmatch(r"\s*(\d{1,2})\s*", raw_year)
            year = int(digits.group(1)) if digits else None
            if year is None or services.year_problem(year):
                reasons.append(_("ongeldig leerjaar “%(v)s” (1 t/m 6)") % {"v": raw_year[:40]})
        values["year_of_study"] = year
    if mapping.get("mentor_email") is not None:
        raw_mentor = _value(cells, mapping, "mentor_email")
        mentor_id = mentors.get(raw_mentor.lower()) if raw_mentor else None
        if raw_mentor and mentor_id is None:
            reasons.append(
                _("onbekende mentor “%(v)s” (geen mentor op deze school)") % {"v": raw_mentor[:80]}
            )
        values["mentor_id"] = mentor_id
    if mapping.get("enrolled_on") is not None:
        raw_enrolled = _value(cells, mapping, "enrolled_on")
        enrolled = parse_date(raw_enrolled) if raw_enrolled else None
        if raw_enrolled and enrolled is None:
            reasons.append(_("onmogelijke inschrijfdatum “%(v)s”") % {"v": raw_enrolled[:40]})
        if enrolled is not None:
            values["enrolled_on"] = enrolled
    guardians = []
    for slot in GUARDIAN_SLOTS:
        guardian, problems = _check_guardian(cells, mapping, slot)
        reasons += problems
        if guardian is not None:
            guardians.append(guardian)
    return StudentRow(line=line, values=values, guardians=guardians), reasons


def _check_guardian(cells, mapping, slot) -> tuple[GuardianRow | None, list[str]]:
    def get(part):
        return _value(cells, mapping, f"guardian{slot}_{part}")

    parts = {p: get(p) for p, _label, _w in GUARDIAN_PARTS}
    if not any(parts.values()):
        return None, []
    reasons = []

    def problem(message: str, **values) -> None:  # "ouder/verzorger N" only for an error
        reasons.append(message % {"p": _("ouder/verzorger %(n)s") % {"n": slot}, **values})

    if not parts["name"]:
        problem(_("%(p)s: naam ontbreekt"))
    elif len(parts["name"]) > 150:
        problem(_("%(p)s: naam is te lang"))
    relation = RELATIONS.get(_norm(parts["relation"]), GuardianRelation.OTHER)
    if not parts["relation"]:
        relation = GuardianRelation.PARENT
    authority_text = parts["authority"].lower()
    authority = True
    if authority_text in NO:
        authority = False
    elif authority_text and authority_text not in YES:
        problem(_("%(p)s: gezag “%(v)s” is geen ja of nee"), v=parts["authority"][:20])
    if parts["email"]:
        try:
            validate_email(parts["email"])
        except ValidationError:
            problem(_("%(p)s: ongeldig e-mailadres"))
    if len(parts["phone"]) > 30:
        problem(_("%(p)s: telefoonnummer is te lang"))
    guardian = GuardianRow(
        name=parts["name"],
        relation=relation,
        has_authority=authority,
        email=parts["email"],
        phone=parts["phone"],
    )
    return guardian, reasons


def mentor_lookup(school) -> dict[str, int]:
    """{lower-case e-mail: user id} of the school's mentors (one query)."""
    return {
        email.lower(): pk for pk, email in services.mentors_of(school).values_list("pk", "email")
    }


def check(table: Table, mapping: dict, school, today: datetime.date | None = None) -> Checked:
    """Validate every row of ``table`` under ``mapping`` (two queries: the mentors)."""
    today = today or timezone.localdate()
    labels = {name: label for name, label, _a in field_choices()}
    missing = [labels[name] for name in REQUIRED if mapping.get(name) is None]
    has_guardians = any(mapping.get(f"guardian{slot}_name") is not None for slot in GUARDIAN_SLOTS)
    if missing:
        return Checked([], [], len(table.rows), has_guardians, missing)
    mentors = mentor_lookup(school) if mapping.get("mentor_email") is not None else {}
    rows: list[StudentRow] = []
    problems: list[Problem] = []
    first_line: dict[str, int] = {}
    for index, cells in enumerate(table.rows):
        line = index + 2
        row, reasons = _check_row(cells, mapping, mentors, today, line)
        number = row.values["student_number"]
        if number:
            if number in first_line:
                reasons.append(
                    _("leerlingnummer %(v)s staat ook op regel %(n)s")
                    % {"v": number[:20], "n": first_line[number]}
                )
            else:
                first_line[number] = line
        if reasons:
            problems.append(Problem(line=line, reasons=reasons))
        else:
            rows.append(row)
    return Checked(rows, problems, len(table.rows), has_guardians, missing)


# --- Access and life cycle -----------------------------------------------------------------------


def get_import_for_user(user, code) -> RosterImport:
    """A roster import of a school whose files the user sees (404), with the roster right (403);
    the rules are passend.students.access.get_roster_school's."""
    item = (
        RosterImport.objects.filter(school_id__in=access.file_school_ids(user), code=code)
        .select_related("school", "school__partnership")
        .first()
    )
    if item is None:
        raise Http404
    access.get_roster_school(user, item.school.code)
    return item


def imports_of(school):
    """The school's imports, newest first (call after the access check)."""
    return RosterImport.objects.filter(school=school).select_related("uploaded_by")


def record_preview(item: RosterImport, checked: Checked, *, request) -> None:
    """The preview shows rows of the file (personal data): its reading is audited, counts only."""
    record(
        "roster_import.previewed",
        actor=request.user,
        obj=item,
        request=request,
        rows=checked.total,
        bad_rows=len(checked.problems),
    )


def _require(user, school) -> None:
    if not services.may_manage(user, school):
        raise PermissionDenied


def _discard_file(item: RosterImport) -> None:
    if item.file:
        item.file.delete(save=False)
    item.file = ""


@transaction.atomic
def upload(school, upload_file, *, acting_user) -> RosterImport:
    """Store the upload for its preview, after checking type, size and that it can be read.
    Earlier pending uploads of the school are cancelled (their files deleted): one pending
    import per school, and no personal data left lying around."""
    _require(acting_user, school)
    check_upload(upload_file)
    upload_file.seek(0)
    table = read_table(upload_file, upload_file.name)
    upload_file.seek(0)
    for pending in RosterImport.objects.filter(school=school, status=RosterImportStatus.UPLOADED):
        _discard_file(pending)
        pending.status = RosterImportStatus.CANCELLED
        pending.save(update_fields=["file", "status"])
    from passend.front.uploads import safe_filename

    item = RosterImport(
        partnership=school.partnership,
        school=school,
        uploaded_by=acting_user,
        original_name=safe_filename(upload_file.name)[:200],
        mapping={k: v for k, v in guess_mapping(table.headers).items() if v is not None},
    )
    item.file.save(f"upload.{kind_of(upload_file.name)}", upload_file, save=False)
    item.save()
    record("roster_import.uploaded", actor=acting_user, obj=item, rows=len(table.rows))
    return item


def load(item: RosterImport) -> Table:
    """The stored file of a pending import, read again."""
    if not item.file:
        raise ValidationError(_("Het bestand van deze import is er niet meer."), code="gone")
    with item.file.open("rb") as handle:
        return read_table(handle, item.original_name)


def preview(table: Table, mapping: dict) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The labels of the mapped fields and the first PREVIEW_ROWS rows as (line, cells)."""
    columns = [
        (label, mapping[n]) for n, label, _a in field_choices() if mapping.get(n) is not None
    ]
    rows = [
        (number + 2, [row[index] for _label, index in columns])
        for number, row in enumerate(table.rows[:PREVIEW_ROWS])
    ]
    return [label for label, _index in columns], rows


def mapping_of(item: RosterImport) -> dict[str, int | None]:
    return {name: item.mapping.get(name) for name, _l2, _a in field_choices()}


@transaction.atomic
def set_mapping(item: RosterImport, mapping: dict[str, int | None], *, acting_user) -> None:
    _require(acting_user, item.school)
    if item.status != RosterImportStatus.UPLOADED:
        raise ValidationError(_("Deze import is al afgerond."), code="done")
    headers = load(item).headers
    used: dict[int, str] = {}
    for name, index in mapping.items():
        if index is None:
            continue
        if not 0 <= index < len(headers) or is_forbidden(headers[index]):
            raise ValidationError(_("Deze kolom kan niet worden gekozen."), code="column")
        if index in used:
            raise ValidationError(
                _("De kolom “%(c)s” is aan twee velden gekoppeld.") % {"c": headers[index][:60]},
                code="twice",
            )
        used[index] = name
    item.mapping = {k: v for k, v in mapping.items() if v is not None}
    item.save(update_fields=["mapping"])


@transaction.atomic
def cancel(item: RosterImport, *, acting_user) -> None:
    _require(acting_user, item.school)
    if item.status != RosterImportStatus.UPLOADED:
        raise ValidationError(_("Deze import is al afgerond."), code="done")
    _discard_file(item)
    item.status = RosterImportStatus.CANCELLED
    item.save(update_fields=["file", "status"])
    record("roster_import.cancelled", actor=acting_user, obj=item)


# --- Applying ------------------------------------------------------------------------------------


def _chunks(items: list, size: int = BATCH):
    for start in range(0, len(items), size):
        yield items[start : start + size]


#: The student fields the import compares and writes.
STORED = (
    "pk",
    "student_number",
    "first_name",
    "name_prefix",
    "last_name",
    "date_of_birth",
    "class_name",
    "year_of_study",
    "level",
    "mentor",
    "enrolled_on",
    "left_on",
)


def write(school, checked: Checked, today: datetime.date) -> dict[str, int]:
    """Create, update and mark as left (call inside a transaction, with ``checked.ok``).
    Queries: a constant number plus one per batch of BATCH rows."""
    now = timezone.now()
    existing = {s.student_number: s for s in Student.objects.filter(school=school).only(*STORED)}
    create: list[Student] = []
    update: list[Student] = []
    unchanged = 0
    fields: set[str] = set()
    for row in checked.rows:
        values = row.values
        student = existing.get(values["student_number"])
        if student is None:
            create.append(
                Student(
                    partnership_id=school.partnership_id,
                    school_id=school.pk,
                    enrolled_on=values.get("enrolled_on") or today,
                    **{k: v for k, v in values.items() if k != "enrolled_on"},
                )
            )
            continue
        diff = {k: v for k, v in values.items() if getattr(student, k) != v}
        if student.left_on is not None:
            diff["left_on"] = None  # in the file again: enrolled again
        if diff:
            for name, value in diff.items():
                setattr(student, name, value)
            student.updated_at = now
            fields |= {name.removesuffix("_id") for name in diff}
            update.append(student)
        else:
            unchanged += 1
    in_file = {row.values["student_number"] for row in checked.rows}
    leavers = [
        s.pk for number, s in existing.items() if number not in in_file and s.left_on is None
    ]
    Student.objects.bulk_create(create, batch_size=BATCH)
    if update:
        Student.objects.bulk_update(update, sorted(fields | {"updated_at"}), batch_size=BATCH)
    for chunk in _chunks(leavers):
        Student.objects.filter(pk__in=chunk).update(
            left_on=Greatest(F("enrolled_on"), Value(today)), updated_at=now
        )
    guardians = _replace_guardians(school, checked) if checked.has_guardians else {}
    return {
        "rows": len(checked.rows),
        "created": len(create),
        "updated": len(update),
        "unchanged": unchanged,
        "left": len(leavers),
        **guardians,
    }


def _replace_guardians(school, checked: Checked) -> dict[str, int]:
    """The guardians of every student in the file become the file's; an existing guardian with
    the same name is updated in place (so consents keep pointing at them); one that is no longer
    in the file is removed unless a consent refers to them."""
    from passend.caseload.models import Consent

    ids = dict(Student.objects.filter(school=school).values_list("student_number", "pk"))
    current: dict[int, list[Guardian]] = {}
    for guardian in Guardian.objects.filter(student__school=school):
        current.setdefault(guardian.student_id, []).append(guardian)
    protected = set(
        Consent.objects.filter(school=school, guardian__isnull=False).values_list(
            "guardian_id", flat=True
        )
    )
    create: list[Guardian] = []
    update: list[Guardian] = []
    remove: list[int] = []
    parts = ("name", "relation", "has_authority", "email", "phone", "position")
    for row in checked.rows:
        student_id = ids[row.values["student_number"]]
        old = {g.name.strip().lower(): g for g in current.get(student_id, [])}
        kept: set[int] = set()
        for position, item in enumerate(row.guardians, start=1):
            values = {**item.__dict__, "position": position}
            guardian = old.pop(item.name.strip().lower(), None)
            if guardian is None:
                create.append(Guardian(student_id=student_id, **values))
                continue
            kept.add(guardian.pk)
            if any(getattr(guardian, k) != values[k] for k in parts):
                for name in parts:
                    setattr(guardian, name, values[name])
                update.append(guardian)
        remove += [g.pk for g in old.values() if g.pk not in protected]
    Guardian.objects.bulk_create(create, batch_size=BATCH)
    if update:
        Guardian.objects.bulk_update(update, list(parts), batch_size=BATCH)
    for chunk in _chunks(remove):
        Guardian.objects.filter(pk__in=chunk).delete()
    return {
        "guardians_created": len(create),
        "guardians_updated": len(update),
        "guardians_removed": len(remove),
    }


def apply(item: RosterImport, *, acting_user, today: datetime.date | None = None) -> dict:
    """Validate every row again and write all of it, or nothing (ValidationError listing every
    bad row). The file is deleted afterwards; the audit holds counts only."""
    _require(acting_user, item.school)
    if item.status != RosterImportStatus.UPLOADED:
        raise ValidationError(_("Deze import is al afgerond."), code="done")
    today = today or timezone.localdate()
    checked = check(load(item), mapping_of(item), item.school, today)
    if not checked.ok:
        raise ValidationError(problem_messages(checked), code="invalid")
    with transaction.atomic():
        counts = write(item.school, checked, today)
        _discard_file(item)
        item.status = RosterImportStatus.APPLIED
        item.counts = counts
        item.applied_at = timezone.now()
        item.save(update_fields=["file", "status", "counts", "applied_at"])
        record("roster_import.applied", actor=acting_user, obj=item, counts=counts)
    return counts


def problem_messages(checked: Checked) -> list[str]:
    messages = (
        [_("Kies een kolom voor: %(fields)s.") % {"fields": ", ".join(checked.missing)}]
        if checked.missing
        else []
    )
    if not checked.missing and not checked.rows and not checked.problems:
        messages.append(_("Het bestand bevat geen leerlingen."))
    messages += [
        _("Regel %(n)s: %(reasons)s.") % {"n": p.line, "reasons": "; ".join(p.reasons)}
        for p in checked.problems[:50]
    ]
    if len(checked.problems) > 50:
        messages.append(_("En nog %(n)s regels met fouten.") % {"n": len(checked.problems) - 50})
    return messages
