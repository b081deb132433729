"""The structured file format of a quality framework (JSON), for export and import.

Format ``passend-quality-framework/1`` — flat, so that an SWV can write its own by hand::

    {"format": "passend-quality-framework/1", "title": "…", "school_year": "2025-2026",
     "introduction": "…", "source": "…", "minimum_salary_scale": 10,
     "sections": [{"title": "Randvoorwaarden", "responsibility": "school"}],
     "aspects": [{"number": "1", "section": "Randvoorwaarden", "text": "…"},
                 {"number": "16.1", "section": "Uitvoering op taakgebieden", "text": "…",
                  "responsibility": "bpo"}]}

An aspect's responsibility defaults to its section's; ``16.1`` is a sub-aspect of ``16`` and
sits in the same section. ``validate`` checks everything before anything is written and names
where each problem is: line and column for JSON syntax, the key path (``aspects[12].section``)
otherwise. Problems are reported in the active language (Dutch by default); the key paths
and line/column numbers stay as they are in the file.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

FORMAT = "passend-quality-framework/1"
NUMBER = re.compile(r"^[1-9][0-9]{0,2}(\.[1-9][0-9]{0,2})?$")
SCHOOL_YEAR = re.compile(r"^([0-9]{4})-([0-9]{4})$")
RESPONSIBILITIES = ("school", "bpo")
MAX_BYTES = 1024 * 1024


class FrameworkFileError(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class ParsedAspect:
    number: str
    text: str
    responsibility: str
    children: list[ParsedAspect] = field(default_factory=list)


@dataclass
class ParsedSection:
    title: str
    responsibility: str
    introduction: str
    aspects: list[ParsedAspect]


@dataclass
class ParsedFramework:
    title: str
    school_year: str | None
    introduction: str
    source: str
    minimum_salary_scale: int | None
    sections: list[ParsedSection]


def _quote(value) -> str:
    """A value from the file, quoted and shortened, for a problem message."""
    text = str(value)
    return f"‘{text[:60]}{'…' if len(text) > 60 else ''}’"


def parse(raw: bytes) -> ParsedFramework:
    """Decode, parse and validate a framework file; FrameworkFileError lists every problem."""
    if len(raw) > MAX_BYTES:
        raise FrameworkFileError(
            [_("Het bestand is groter dan %(kb)s kB.") % {"kb": MAX_BYTES // 1024}]
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FrameworkFileError(
            [_("byte %(position)s: het bestand is geen UTF-8-tekst.") % {"position": error.start}]
        ) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise FrameworkFileError(
            [
                _("regel %(line)s, kolom %(column)s: geen geldige JSON (%(error)s).")
                % {"line": error.lineno, "column": error.colno, "error": error.msg}
            ]
        ) from None
    except RecursionError:
        # json recurses per nesting level: ``[[[[…`` a megabyte deep must not become a 500.
        raise FrameworkFileError([_("Het bestand is te diep genest.")]) from None
    except ValueError as error:
        # e.g. an integer longer than Python's int-string conversion limit (4300 digits).
        raise FrameworkFileError(
            [_("Het bestand bevat een ongeldige waarde (%(error)s).") % {"error": str(error)[:80]}]
        ) from None
    return validate(data)


def _text(problems, obj, key, path, *, required=True, max_length=None) -> str:
    value = obj.get(key, "") if isinstance(obj, dict) else ""
    where = f"{path}.{key}"
    if not isinstance(value, str):
        problems.append(_("%(path)s: moet tekst zijn.") % {"path": where})
        return ""
    value = value.strip()
    if required and not value:
        problems.append(_("%(path)s: ontbreekt.") % {"path": where})
    if max_length and len(value) > max_length:
        problems.append(
            _("%(path)s: langer dan %(max)s tekens.") % {"path": where, "max": max_length}
        )
    if "\x00" in value:
        problems.append(_("%(path)s: bevat een NUL-teken.") % {"path": where})
    return value


def validate(data) -> ParsedFramework:
    problems: list[str] = []
    if not isinstance(data, dict):
        raise FrameworkFileError([_("Het bestand moet één JSON-object bevatten.")])
    if data.get("format") != FORMAT:
        problems.append(
            _("%(path)s: moet %(format)s zijn.") % {"path": "$.format", "format": FORMAT}
        )
    title = _text(problems, data, "title", "$", max_length=200)
    school_year = data.get("school_year")
    if school_year is not None and not _is_school_year(school_year):
        problems.append(
            _("%(path)s: moet een schooljaar zijn zoals 2025-2026.") % {"path": "$.school_year"}
        )
    scale = data.get("minimum_salary_scale")
    if scale is not None and (
        not isinstance(scale, int) or isinstance(scale, bool) or not 1 <= scale <= 20
    ):
        problems.append(
            _("%(path)s: moet een heel getal van 1 tot en met 20 zijn.")
            % {"path": "$.minimum_salary_scale"}
        )
    sections = _sections(problems, data.get("sections"))
    _aspects(problems, data.get("aspects"), {s.title: s for s in sections})
    introduction = _text(problems, data, "introduction", "$", required=False, max_length=20000)
    source = _text(problems, data, "source", "$", required=False, max_length=300)
    if problems:
        raise FrameworkFileError(problems)
    return ParsedFramework(
        title=title,
        school_year=school_year,
        introduction=introduction,
        source=source,
        minimum_salary_scale=scale,
        sections=sections,
    )


def _is_school_year(value) -> bool:
    """``2025-2026``: ASCII digits, two consecutive years (as SchoolYear.parse_name wants)."""
    match = SCHOOL_YEAR.fullmatch(value) if isinstance(value, str) else None
    return match is not None and int(match[2]) == int(match[1]) + 1


def _key(number: str) -> tuple[int, ...]:
    return tuple(int(part) for part in number.split("."))


def _sections(problems: list[str], items) -> list[ParsedSection]:
    if not isinstance(items, list) or not items:
        problems.append(_("%(path)s: moet een niet-lege lijst zijn.") % {"path": "$.sections"})
        return []
    sections: list[ParsedSection] = []
    titles: set[str] = set()
    for index, item in enumerate(items):
        here = f"sections[{index}]"
        if not isinstance(item, dict):
            problems.append(_("%(path)s: moet een object zijn.") % {"path": here})
            continue
        title = _text(problems, item, "title", here, max_length=200)
        if title and title in titles:
            problems.append(
                _("%(path)s: onderdeel %(title)s komt al eerder voor.")
                % {"path": f"{here}.title", "title": _quote(title)}
            )
        titles.add(title)
        responsibility = item.get("responsibility")
        if responsibility not in RESPONSIBILITIES:
            problems.append(_responsibility_problem(f"{here}.responsibility"))
            responsibility = "school"
        introduction = _text(problems, item, "introduction", here, required=False, max_length=300)
        sections.append(ParsedSection(title, responsibility, introduction, []))
    return sections


def _aspects(problems: list[str], items, sections: dict[str, ParsedSection]) -> None:
    """Validate the flat aspect list and hang each aspect under its section (or main aspect)."""
    if not isinstance(items, list) or not items:
        problems.append(_("%(path)s: moet een niet-lege lijst zijn.") % {"path": "$.aspects"})
        return
    seen: dict[str, str] = {}
    mains: dict[str, tuple[ParsedAspect, str]] = {}
    subs: list[tuple[str, ParsedAspect, str]] = []
    for index, item in enumerate(items):
        here = f"aspects[{index}]"
        if not isinstance(item, dict):
            problems.append(_("%(path)s: moet een object zijn.") % {"path": here})
            continue
        number = _number(problems, item.get("number"), here, seen)
        title = item.get("section")
        if isinstance(title, str):
            title = title.strip()
        section = sections.get(title) if isinstance(title, str) else None
        if not title:
            problems.append(_("%(path)s: ontbreekt.") % {"path": f"{here}.section"})
        elif section is None:
            problems.append(
                _("%(path)s: onbekend onderdeel %(title)s.")
                % {"path": f"{here}.section", "title": _quote(title)}
            )
        default = section.responsibility if section else "school"
        responsibility = item.get("responsibility", default)
        if responsibility not in RESPONSIBILITIES:
            problems.append(_responsibility_problem(f"{here}.responsibility"))
            responsibility = default
        aspect = ParsedAspect(
            number, _text(problems, item, "text", here, max_length=5000), responsibility
        )
        if not number or section is None:
            continue
        if "." in number:
            subs.append((here, aspect, section.title))
        else:
            mains[number] = (aspect, section.title)
            section.aspects.append(aspect)
    for here, aspect, title in subs:
        main_number = aspect.number.split(".")[0]
        main = mains.get(main_number)
        if main is None:
            problems.append(
                _("%(path)s: subaspect %(number)s heeft geen hoofdaspect %(main)s.")
                % {"path": f"{here}.number", "number": aspect.number, "main": main_number}
            )
        elif main[1] != title:
            problems.append(
                _("%(path)s: %(number)s hoort in het onderdeel van aspect %(main)s (%(section)s).")
                % {
                    "path": f"{here}.section",
                    "number": aspect.number,
                    "main": main_number,
                    "section": _quote(main[1]),
                }
            )
        else:
            main[0].children.append(aspect)
    for section in sections.values():
        section.aspects.sort(key=lambda a: _key(a.number))
        for aspect in section.aspects:
            aspect.children.sort(key=lambda a: _key(a.number))


def _number(problems: list[str], number, here: str, seen: dict[str, str]) -> str:
    if isinstance(number, int) and not isinstance(number, bool):
        number = str(number)
    where = f"{here}.number"
    if number is None or (isinstance(number, str) and not number.strip()):
        problems.append(_("%(path)s: ontbreekt.") % {"path": where})
        return ""
    if not isinstance(number, str):
        # A JSON number like 16.2 is refused: 16.10 would silently become 16.1.
        problems.append(_('%(path)s: moet tekst zijn, zoals "16.2".') % {"path": where})
        return ""
    number = number.strip().rstrip(".")
    if not NUMBER.match(number):
        problems.append(
            _("%(path)s: %(number)s is geen nummer zoals 7 of 16.2.")
            % {"path": where, "number": _quote(number)}
        )
        return ""
    if number in seen:
        problems.append(
            _("%(path)s: nummer %(number)s komt al voor (in %(other)s).")
            % {"path": where, "number": number, "other": seen[number]}
        )
        return ""
    seen[number] = here
    return number


def _responsibility_problem(path: str) -> str:
    return _("%(path)s: moet een van %(choices)s zijn.") % {
        "path": path,
        "choices": ", ".join(RESPONSIBILITIES),
    }


def dump(framework) -> dict:
    """A framework (model instance) as the file structure; ``validate(dump(f))`` round-trips."""
    sections = list(framework.sections.order_by("position"))
    titles = {section.pk: section.title for section in sections}
    data: dict = {"format": FORMAT, "title": framework.title}
    data["school_year"] = framework.school_year.name
    if framework.source:
        data["source"] = framework.source
    if framework.minimum_salary_scale is not None:
        data["minimum_salary_scale"] = framework.minimum_salary_scale
    if framework.introduction:
        data["introduction"] = framework.introduction
    data["sections"] = [
        {"title": s.title, "responsibility": s.responsibility}
        | ({"introduction": s.introduction} if s.introduction else {})
        for s in sections
    ]
    data["aspects"] = [
        {
            "number": aspect.number,
            "section": titles[aspect.section_id],
            "text": aspect.text,
            "responsibility": aspect.responsibility,
        }
        for aspect in framework.aspects.order_by("sort_key")
    ]
    return data


def dumps(framework) -> str:
    return json.dumps(dump(framework), ensure_ascii=False, indent=2) + "\n"
