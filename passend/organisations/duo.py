"""Reading DUO open-data files (VO locations and students per location).

DUO publishes semicolon-separated files, quoted or not, in UTF-8 or Latin-1 (Windows-1252), with
LF or CRLF line endings; older releases name the codes ``BRIN NUMMER``/``VESTIGINGSNUMMER``, newer
ones ``INSTELLINGSCODE``/``VESTIGINGSCODE``; small counts are suppressed as ``<5``. This module
turns such a file into clean rows or raises ``DuoFileError`` naming the problem.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
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


def _decode(raw: bytes, path: Path) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # DUO's own downloads are Windows-1252. Its five undefined bytes (0x81, 0x8D, 0x8F, 0x90,
    # 0x9D), NUL and other control bytes do not occur in a text file: such a file is damaged.
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError as error:
        raise DuoFileError(
            f"{path.name}: byte 0x{raw[error.start]:02X} at position {error.start} is neither "
            "UTF-8 nor Latin-1 text; is this the right file?"
        ) from None
    for position, char in enumerate(text):
        if ord(char) < 32 and char not in "\r\n\t":
            raise DuoFileError(
                f"{path.name}: control byte 0x{ord(char):02X} at position {position}; "
                "the file is not text"
            )
    return text


def _normalise_header(name: str) -> str:
    return " ".join(name.replace("\ufeff", "").strip().strip('"').upper().split())


@dataclass
class DuoTable:
    path: Path
    rows: list[dict[str, str]]


def read_table(path: Path, required: dict, optional: dict) -> DuoTable:
    """Read ``path`` into rows keyed by canonical names; DuoFileError on any structural problem."""
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise DuoFileError(f"{path}: cannot be read ({error.strerror})") from None
    text = _decode(raw, Path(path))
    if "\x00" in text:
        raise DuoFileError(f"{Path(path).name}: contains NUL bytes; the file is not text")
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
    for line_number, record in enumerate(reader, start=2):
        if not record or all(not cell.strip() for cell in record):
            continue
        if len(record) < len(header):
            raise DuoFileError(
                f"{Path(path).name}, line {line_number}: {len(record)} fields, "
                f"the header has {len(header)}"
            )
        rows.append({key: record[index].strip() for key, index in mapping.items()})
    return DuoTable(path=Path(path), rows=rows)


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


def iter_matching(rows: list[dict[str, str]], municipalities: set[str]) -> Iterator[dict[str, str]]:
    """Rows whose municipality is one of ``municipalities`` (case-insensitive), all if empty."""
    wanted = {m.strip().casefold() for m in municipalities}
    for row in rows:
        if not wanted or row["municipality"].strip().casefold() in wanted:
            yield row
