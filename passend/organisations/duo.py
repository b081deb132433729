"""Reading DUO open-data files (VO locations and students per location).

DUO publishes semicolon-separated files, quoted or not, in UTF-8 or Latin-1 (Windows-1252), with
LF or CRLF line endings; older releases name the codes ``BRIN NUMMER``/``VESTIGINGSNUMMER``, newer
ones ``INSTELLINGSCODE``/``VESTIGINGSCODE``; small counts are suppressed as ``<5``. This module
turns such a file into clean rows or raises ``DuoFileError`` naming the problem.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path


class DuoFileError(Exception):
    """The file cannot be read as the DUO file it should be; nothing must be written."""


# Canonical column -> accepted header spellings (upper-case, spaces normalised).
LOCATION_COLUMNS = {
    "board_number": ("BEVOEGD GEZAG NUMMER",),
    "institution_code": ("INSTELLINGSCODE", "BRIN NUMMER"),
    "location_code": ("VESTIGINGSCODE", "VESTIGINGSNUMMER"),
    "name": ("VESTIGINGSNAAM", "INSTELLINGSNAAM VESTIGING"),
    "municipality": ("GEMEENTENAAM",),
}
LOCATION_OPTIONAL = {
    "street": ("STRAATNAAM",),
    "house_number": ("HUISNUMMER-TOEVOEGING",),
    "postcode": ("POSTCODE",),
    "town": ("PLAATSNAAM",),
    "education_structure": ("ONDERWIJSSTRUCTUUR",),
    "website": ("INTERNETADRES",),
}
ENROLLMENT_COLUMNS = {
    "institution_code": ("INSTELLINGSCODE", "BRIN NUMMER"),
    "location_code": ("VESTIGINGSCODE", "VESTIGINGSNUMMER"),
    "municipality": ("GEMEENTENAAM",),
    "student_count": ("AANTAL LEERLINGEN",),
}
ENROLLMENT_OPTIONAL = {
    "vavo_count": ("AANTAL VO LEERLINGEN UITBESTEED AAN VAVO",),
    "board_number": ("BEVOEGD GEZAG NUMMER",),
}


# Control characters other than tab, CR and LF do not occur in a text file.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _decode(raw: bytes, path: Path) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        # DUO's own downloads are Windows-1252. Its five undefined bytes (0x81, 0x8D, 0x8F, 0x90,
        # 0x9D) do not occur in such a file: a file containing them is damaged.
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError as error:
            raise DuoFileError(
                f"{path.name}: byte 0x{raw[error.start]:02X} at position {error.start} is neither "
                "UTF-8 nor Latin-1 (Windows-1252); the file is not text (damaged, or not the "
                "right file?)"
            ) from None
    # NUL and other control bytes are valid UTF-8 and Windows-1252, but not text either.
    control = _CONTROL.search(text)
    if control is not None:
        raise DuoFileError(
            f"{path.name}: control byte 0x{ord(control.group()):02X} at character "
            f"{control.start()}; the file is not text (damaged, or not the right file?)"
        )
    return text


def _normalise_header(name: str) -> str:
    return " ".join(name.replace("\ufeff", "").strip().strip('"').upper().split())


@dataclass
class DuoTable:
    """Rows keyed by canonical column name, plus ``LINE``: the row's line number in the file."""

    path: Path
    rows: list[dict[str, str]]


LINE = "_line"


def read_table(path: Path, required: dict, optional: dict) -> DuoTable:
    """Read ``path`` into rows keyed by canonical names; DuoFileError on any structural problem."""
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise DuoFileError(f"{path}: cannot be read ({error.strerror})") from None
    text = _decode(raw, Path(path))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";", quotechar='"')
    try:
        header = next(reader)
    except StopIteration:
        raise DuoFileError(f"{Path(path).name}: the file is empty") from None
    positions = {_normalise_header(h): i for i, h in enumerate(header)}
    mapping: dict[str, int] = {}
    missing: list[str] = []
    for key, spellings in {**required, **optional}.items():
        index = next((positions[s] for s in spellings if s in positions), None)
        if index is not None:
            mapping[key] = index
        elif key in required:
            missing.append(" / ".join(spellings))
    if missing:
        raise DuoFileError(
            f"{Path(path).name}: missing column(s): {', '.join(missing)}. "
            f"Found: {', '.join(h for h in positions if h) or 'none'}"
        )
    rows: list[dict[str, str]] = []
    line_number = reader.line_num + 1
    for record in reader:
        # reader.line_num counts physical lines, also within a quoted field spanning lines.
        if record and any(cell.strip() for cell in record):
            if len(record) < len(header):
                raise DuoFileError(
                    f"{Path(path).name}, line {line_number}: {len(record)} fields, "
                    f"the header has {len(header)}"
                )
            row = {key: record[index].strip() for key, index in mapping.items()}
            _complete_location_code(row)
            row[LINE] = str(line_number)
            rows.append(row)
        line_number = reader.line_num + 1
    return DuoTable(path=Path(path), rows=rows)


def _complete_location_code(row: dict[str, str]) -> None:
    """Older releases give the location number alone (``01``); make it ``02CI01``."""
    code = row.get("location_code", "")
    if code.isascii() and code.isdecimal() and len(code) <= 2 and row.get("institution_code"):
        row["location_code"] = row["institution_code"] + code.zfill(2)


def parse_count(value: str) -> tuple[int | None, bool]:
    """A DUO count: ``(number, suppressed)``; ``<5`` is suppressed, an empty cell is 0."""
    value = value.strip().strip('"').replace(".", "")
    if value in {"", "-"}:
        return 0, False
    if value.replace(" ", "") == "<5":
        return None, True
    if not (value.isascii() and value.isdecimal()):
        raise ValueError(f"not a count: {value!r}")
    return int(value), False


def normalise_municipality(name: str) -> str:
    """Comparable form of a municipality name: DUO writes ``S GRAVENHAGE`` and ``NOARDEAST-FRYSLAN``
    in one file, ``'s-Gravenhage`` and ``Noardeast-Fryslân`` in another."""
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join("".join(c if c.isalnum() else " " for c in bare).split())


def iter_matching(
    rows: Iterable[dict[str, str]], municipalities: Iterable[str]
) -> Iterator[dict[str, str]]:
    """Rows whose municipality is one of ``municipalities`` (case, accents and punctuation are
    ignored), all if empty."""
    wanted = {normalise_municipality(m) for m in municipalities}
    for row in rows:
        if not wanted or normalise_municipality(row["municipality"]) in wanted:
            yield row
