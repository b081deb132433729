"""The English translation: Dutch is the source language, English a complete gettext catalog.

The catalog is ``passend/locale/en/LC_MESSAGES/django.po``. After changing a translatable
string, update it from the ``passend`` package directory and translate the new entries::

    cd passend && ../.venv/bin/python ../manage.py makemessages -l en --no-location \
        --ignore=static --ignore=migrations --ignore=tests

The tests below check that every entry is translated (not empty, not fuzzy, placeholders kept),
that the catalog covers every string the code marks for translation, and that a user who
switches language actually gets the English pages.
"""

from __future__ import annotations

import ast
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

PACKAGE_DIR = Path(settings.BASE_DIR)
CATALOG = PACKAGE_DIR / "locale" / "en" / "LC_MESSAGES" / "django.po"

# --- A tiny .po reader (standard library only) --------------------------------------------------


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None


def _unquote(text: str, path: Path, number: int) -> str:
    text = text.strip()
    if not (len(text) >= 2 and text.startswith('"') and text.endswith('"')):
        raise ValueError(f"{path}:{number}: expected a quoted string, got {text!r}")
    # PO strings use C escapes, which Python string literals share (\n, \t, \", \\).
    return ast.literal_eval(text)


def parse_po(path: Path) -> list[Entry]:
    """The entries of a .po file; obsolete (``#~``) entries are left out."""
    entries: list[Entry] = []
    current: Entry | None = None
    pending_flags: set[str] = set()
    target: tuple[str, int | None] | None = None  # which field continuation lines extend

    def finish() -> None:
        nonlocal current
        if current is not None:
            entries.append(current)
        current = None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            target = None
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#,"):
            finish()
            pending_flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
            continue
        if line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            if current is None or target is None:
                raise ValueError(f"{path}:{number}: continuation line outside an entry")
            name, index = target
            value = _unquote(line, path, number)
            if name == "msgstr":
                current.msgstr[index] += value
            else:
                setattr(current, name, (getattr(current, name) or "") + value)
            continue
        if keyword in ("msgctxt", "msgid") and (
            current is None or keyword == "msgctxt" or current.msgstr
        ):
            finish()
            current = Entry(flags=pending_flags, line=number)
            pending_flags = set()
        if current is None:
            raise ValueError(f"{path}:{number}: {keyword} outside an entry")
        match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
        if keyword in ("msgctxt", "msgid", "msgid_plural"):
            setattr(current, keyword, _unquote(rest, path, number))
            target = (keyword, None)
        elif keyword == "msgstr" or match:
            index = int(match.group(1)) if match else 0
            current.msgstr[index] = _unquote(rest, path, number)
            target = ("msgstr", index)
        else:
            raise ValueError(f"{path}:{number}: unknown line {line!r}")
    finish()
    return entries


# printf-style placeholders as Python's % operator reads them: %(name)s, %d, %s …; not %%.
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text.replace("%%", "")))


@pytest.fixture(scope="module")
def catalog() -> list[Entry]:
    assert CATALOG.is_file(), f"missing catalog {CATALOG}"
    return parse_po(CATALOG)


# --- (a) every entry is translated --------------------------------------------------------------


def test_parser_reads_plural_and_multiline_entries(tmp_path):
    po = tmp_path / "x.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: en\\n"\n\n'
        "#, python-format\n"
        'msgid "%(n)s school"\nmsgid_plural "%(n)s scholen"\n'
        'msgstr[0] "%(n)s school"\nmsgstr[1] "%(n)s schools"\n\n'
        'msgid ""\n"Twee \\"regels\\"\\n"\n"samen"\nmsgstr "Two lines"\n\n'
        '#~ msgid "Oud"\n#~ msgstr "Old"\n',
        encoding="utf-8",
    )
    header, plural, multi = parse_po(po)
    assert header.is_header and "Language: en" in header.msgstr[0]
    assert plural.flags == {"python-format"}
    assert plural.msgid_plural == "%(n)s scholen"
    assert plural.msgstr == {0: "%(n)s school", 1: "%(n)s schools"}
    assert multi.msgid == 'Twee "regels"\nsamen' and multi.msgstr == {0: "Two lines"}


def test_catalog_header_is_english_and_final(catalog):
    header = next(e for e in catalog if e.is_header)
    assert "fuzzy" not in header.flags
    assert "Language: en\n" in header.msgstr[0]
    assert "nplurals=2; plural=(n != 1);" in header.msgstr[0]
    assert "charset=UTF-8" in header.msgstr[0]


def test_catalog_has_no_duplicates(catalog):
    keys = [e.key for e in catalog]
    assert len(keys) == len(set(keys))


def test_every_entry_is_translated_and_not_fuzzy(catalog):
    problems = []
    for entry in catalog:
        if entry.is_header:
            continue
        if "fuzzy" in entry.flags:
            problems.append(f"line {entry.line}: fuzzy: {entry.msgid!r}")
        expected = {0, 1} if entry.msgid_plural is not None else {0}
        if set(entry.msgstr) != expected:
            problems.append(f"line {entry.line}: forms {sorted(entry.msgstr)}: {entry.msgid!r}")
        for index, text in entry.msgstr.items():
            if not text.strip():
                problems.append(f"line {entry.line}: empty msgstr[{index}]: {entry.msgid!r}")
    assert not problems, "\n".join(problems)


def test_translations_keep_their_placeholders(catalog):
    problems = []
    for entry in catalog:
        if entry.is_header:
            continue
        if entry.msgid_plural is None:
            wanted = {0: placeholders(entry.msgid)}
        else:
            # English has two forms like Dutch: singular and plural map one to one.
            wanted = {0: placeholders(entry.msgid), 1: placeholders(entry.msgid_plural)}
        for index, needed in wanted.items():
            got = placeholders(entry.msgstr.get(index, ""))
            if got != needed:
                problems.append(f"line {entry.line}: {entry.msgid!r} [{index}]: {needed} != {got}")
        # Line breaks and surrounding spaces matter in e-mails and are easy to lose.
        for index, text in entry.msgstr.items():
            source = entry.msgid if index == 0 else entry.msgid_plural or entry.msgid
            if text.count("\n") != source.count("\n"):
                problems.append(f"line {entry.line}: line breaks differ in {entry.msgid!r}")
            edges = (text[:1].isspace(), text[-1:].isspace())
            if edges != (source[:1].isspace(), source[-1:].isspace()):
                problems.append(f"line {entry.line}: edge whitespace differs in {entry.msgid!r}")
        if "python-format" in entry.flags and not placeholders(entry.msgid):
            problems.append(f"line {entry.line}: python-format without placeholder")
    assert not problems, "\n".join(problems)


def test_placeholder_pattern():
    assert placeholders("Pagina %(n)s van %(total)s, 100%% klaar") == ["%(n)s", "%(total)s"]
    assert placeholders("hoogstens %(max)d tekens, %s") == ["%(max)d", "%s"]


# --- (b) the catalog covers every string marked in the code -------------------------------------


def _extracted_entries(tmp_path, settings, monkeypatch) -> list[Entry]:
    """Run makemessages on a copy of the package, so the shipped catalog is never touched."""
    source = tmp_path / "passend"
    shutil.copytree(
        PACKAGE_DIR,
        source,
        ignore=shutil.ignore_patterns(
            "migrations", "static", "tests", "locale", "__pycache__", "*.pyc", "data"
        ),
    )
    locale = source / "locale"
    locale.mkdir()
    settings.LOCALE_PATHS = [str(locale)]
    monkeypatch.chdir(source)
    call_command("makemessages", locale=["en"], no_location=True, verbosity=0)
    po = locale / "en" / "LC_MESSAGES" / "django.po"
    assert po.is_file(), "makemessages wrote no catalog"
    return parse_po(po)


def test_catalog_covers_every_translatable_string(catalog, tmp_path, settings, monkeypatch):
    if shutil.which("xgettext") is None or shutil.which("msguniq") is None:
        pytest.skip("GNU gettext (xgettext) is not on PATH; cannot extract messages")
    extracted = [e for e in _extracted_entries(tmp_path, settings, monkeypatch) if not e.is_header]
    assert len(extracted) > 50, "extraction found suspiciously few strings"
    shipped = {e.key: e for e in catalog if not e.is_header}
    missing = [e.msgid for e in extracted if e.key not in shipped]
    assert not missing, (
        "untranslated strings (run makemessages, see this module's docstring, and translate):\n"
        + "\n".join(repr(m) for m in missing)
    )
    plural_mismatch = [e.msgid for e in extracted if shipped[e.key].msgid_plural != e.msgid_plural]
    assert not plural_mismatch, f"plural form changed: {plural_mismatch}"


# --- (c) the pages follow the chosen language ---------------------------------------------------


@pytest.fixture(scope="session")
def compiled_catalog():
    """Compile the .mo (git-ignored) when it is missing or older than the .po."""
    mo = CATALOG.with_suffix(".mo")
    if not mo.is_file() or mo.stat().st_mtime < CATALOG.stat().st_mtime:
        if shutil.which("msgfmt") is None:
            pytest.skip("GNU gettext (msgfmt) is not on PATH and the catalog is not compiled")
        call_command("compilemessages", locale=["en"], verbosity=0)
    assert mo.is_file()
    return mo


@pytest.fixture
def fresh_translations(compiled_catalog, settings):
    # Re-assigning LOCALE_PATHS fires setting_changed, which drops Django's cached catalogs,
    # so a catalog compiled during this session is read.
    settings.LOCALE_PATHS = list(settings.LOCALE_PATHS)
    settings.REQUIRE_2FA = False


def _login(client, user) -> None:
    from passend.accounts.middleware import SESSION_STARTED_KEY

    client.force_login(user)
    session = client.session
    session[SESSION_STARTED_KEY] = time.time()
    session.save()


def test_start_page_is_dutch_by_default_and_english_after_switching(
    client, world, fresh_translations
):
    _login(client, world.users["coordinator"])

    dutch = client.get("/")
    assert dutch.status_code == 200
    page = dutch.content.decode()
    assert '<html lang="nl"' in page
    assert ">Scholen</a>" in page
    assert "Ondersteuningscoördinator" in page  # the role label, from a model choice

    switched = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert switched.status_code == 302
    assert switched.url == "/"

    english = client.get("/")
    assert english.status_code == 200
    page = english.content.decode()
    assert '<html lang="en"' in page
    assert ">Schools</a>" in page
    assert ">Scholen</a>" not in page
    assert "Support coordinator" in page
    assert "Ondersteuningscoördinator" not in page
    # The switch offers the way back, in its own language.
    assert 'lang="nl"' in page and "Nederlands" in page


def test_switching_back_to_dutch(client, world, fresh_translations):
    _login(client, world.users["coordinator"])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    client.post(reverse("set_language"), {"language": "nl", "next": "/"})
    page = client.get("/").content.decode()
    assert '<html lang="nl"' in page and ">Scholen</a>" in page
