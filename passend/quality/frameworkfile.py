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
otherwise.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

FORMAT = "passend-quality-framework/1"
NUMBER = re.compile(r"^[1-9][0-9]{0,2}(\.[1-9][0-9]{0,2})?$")
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


def parse(raw: bytes) -> ParsedFramework:
    """Decode, parse and validate a framework file; FrameworkFileError lists every problem."""
    if len(raw) > MAX_BYTES:
        raise FrameworkFileError([f"the file is larger than {MAX_BYTES // 1024} KB"])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FrameworkFileError([f"byte {error.start}: the file is not UTF-8 text"]) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise FrameworkFileError(
            [f"line {error.lineno}, column {error.colno}: not valid JSON ({error.msg})"]
        ) from None
    return validate(data)


def _text(problems, obj, key, path, *, required=True, max_length=None) -> str:
    value = obj.get(key, "") if isinstance(obj, dict) else ""
    if not isinstance(value, str):
        problems.append(f"{path}.{key}: must be text")
        return ""
    value = value.strip()
    if required and not value:
        problems.append(f"{path}.{key}: missing")
    if max_length and len(value) > max_length:
        problems.append(f"{path}.{key}: longer than {max_length} characters")
    if "\x00" in value:
        problems.append(f"{path}.{key}: contains a NUL character")
    return value


def validate(data) -> ParsedFramework:
    problems: list[str] = []
    if not isinstance(data, dict):
        raise FrameworkFileError(["the file must hold one JSON object"])
    if data.get("format") != FORMAT:
        problems.append(f"$.format: must be {FORMAT!r}")
    title = _text(problems, data, "title", "$", max_length=200)
    school_year = data.get("school_year")
    if school_year is not None and (
        not isinstance(school_year, str) or not re.fullmatch(r"\d{4}-\d{4}", school_year)
    ):
        problems.append("$.school_year: must look like 2025-2026")
    scale = data.get("minimum_salary_scale")
    if scale is not None and (
        not isinstance(scale, int) or isinstance(scale, bool) or not 1 <= scale <= 20
    ):
        problems.append("$.minimum_salary_scale: must be a whole number from 1 to 20")
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


def _key(number: str) -> tuple[int, ...]:
    return tuple(int(part) for part in number.split("."))


def _sections(problems: list[str], items) -> list[ParsedSection]:
    if not isinstance(items, list) or not items:
        problems.append("$.sections: must be a non-empty list")
        return []
    sections: list[ParsedSection] = []
    titles: set[str] = set()
    for index, item in enumerate(items):
        here = f"sections[{index}]"
        if not isinstance(item, dict):
            problems.append(f"{here}: must be an object")
            continue
        title = _text(problems, item, "title", here, max_length=200)
        if title in titles:
            problems.append(f"{here}.title: duplicate section {title!r}")
        titles.add(title)
        responsibility = item.get("responsibility")
        if responsibility not in RESPONSIBILITIES:
            problems.append(f"{here}.responsibility: must be one of {', '.join(RESPONSIBILITIES)}")
            responsibility = "school"
        introduction = _text(problems, item, "introduction", here, required=False, max_length=300)
        sections.append(ParsedSection(title, responsibility, introduction, []))
    return sections


def _aspects(problems: list[str], items, sections: dict[str, ParsedSection]) -> None:
    """Validate the flat aspect list and hang each aspect under its section (or main aspect)."""
    if not isinstance(items, list) or not items:
        problems.append("$.aspects: must be a non-empty list")
        return
    seen: dict[str, str] = {}
    mains: dict[str, tuple[ParsedAspect, str]] = {}
    subs: list[tuple[str, ParsedAspect, str]] = []
    for index, item in enumerate(items):
        here = f"aspects[{index}]"
        if not isinstance(item, dict):
            problems.append(f"{here}: must be an object")
            continue
        number = _number(problems, item.get("number"), here, seen)
        title = item.get("section")
        section = sections.get(title) if isinstance(title, str) else None
        if not title:
            problems.append(f"{here}.section: missing")
        elif section is None:
            problems.append(f"{here}.section: unknown section {title!r}")
        default = section.responsibility if section else "school"
        responsibility = item.get("responsibility", default)
        if responsibility not in RESPONSIBILITIES:
            problems.append(f"{here}.responsibility: must be one of {', '.join(RESPONSIBILITIES)}")
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
            problems.append(f"{here}.number: {aspect.number!r} has no main aspect {main_number!r}")
        elif main[1] != title:
            problems.append(
                f"{here}.section: {aspect.number!r} belongs in the section of aspect "
                f"{main_number} ({main[1]!r})"
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
    if not isinstance(number, str) or not number.strip():
        problems.append(f"{here}.number: missing")
        return ""
    number = number.strip().rstrip(".")
    if not NUMBER.match(number):
        problems.append(f"{here}.number: {number!r} is not like 7 or 16.2")
        return ""
    if number in seen:
        problems.append(f"{here}.number: duplicate number {number!r} (also {seen[number]})")
        return ""
    seen[number] = here
    return number


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
