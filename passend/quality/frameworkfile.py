"""The structured file format of a quality framework (JSON), for export and import.

Format ``passend-quality-framework/1``::

    {"format": "passend-quality-framework/1", "title": "…", "school_year": "2025-2026",
     "introduction": "…", "source": "…", "minimum_salary_scale": 10,
     "sections": [{"title": "Randvoorwaarden", "responsibility": "school",
                   "introduction": "", "aspects": [{"number": "1", "text": "…",
                   "responsibility": "school", "aspects": [{"number": "1.1", "text": "…"}]}]}]}

``validate`` checks everything before anything is written and names where a problem is: the
line and column for JSON syntax, the key path (``sections[2].aspects[0].number``) otherwise.
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
        problems.append(f"format: must be {FORMAT!r}")
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
    sections_data = data.get("sections")
    sections: list[ParsedSection] = []
    seen_numbers: dict[str, str] = {}
    seen_titles: set[str] = set()
    if not isinstance(sections_data, list) or not sections_data:
        problems.append("$.sections: must be a non-empty list")
        sections_data = []
    for s_index, section in enumerate(sections_data):
        path = f"sections[{s_index}]"
        if not isinstance(section, dict):
            problems.append(f"{path}: must be an object")
            continue
        s_title = _text(problems, section, "title", path, max_length=200)
        if s_title in seen_titles:
            problems.append(f"{path}.title: duplicate section {s_title!r}")
        seen_titles.add(s_title)
        responsibility = section.get("responsibility")
        if responsibility not in RESPONSIBILITIES:
            problems.append(f"{path}.responsibility: must be one of {', '.join(RESPONSIBILITIES)}")
            responsibility = "school"
        aspects = _aspects(
            problems,
            section.get("aspects"),
            f"{path}.aspects",
            responsibility,
            seen_numbers,
            parent=None,
        )
        sections.append(
            ParsedSection(
                title=s_title,
                responsibility=responsibility,
                introduction=_text(
                    problems, section, "introduction", path, required=False, max_length=300
                ),
                aspects=aspects,
            )
        )
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


def _aspects(problems, items, path, responsibility, seen, *, parent) -> list[ParsedAspect]:
    if not isinstance(items, list) or (parent is None and not items):
        if parent is None or items is not None:
            problems.append(f"{path}: must be a{' non-empty' if parent is None else ''} list")
        return []
    result = []
    for index, item in enumerate(items):
        here = f"{path}[{index}]"
        if not isinstance(item, dict):
            problems.append(f"{here}: must be an object")
            continue
        number = item.get("number")
        if isinstance(number, int) and not isinstance(number, bool):
            number = str(number)
        if not isinstance(number, str) or not number.strip():
            problems.append(f"{here}.number: missing")
            number = ""
        else:
            number = number.strip().rstrip(".")
            if not NUMBER.match(number):
                problems.append(f"{here}.number: {number!r} is not like 7 or 16.2")
            elif parent is None and "." in number:
                problems.append(f"{here}.number: {number!r} is a sub-aspect at the top level")
            elif parent is not None and not number.startswith(parent + "."):
                problems.append(f"{here}.number: {number!r} is not a sub-aspect of {parent}")
            elif number in seen:
                problems.append(f"{here}.number: duplicate number {number!r} (also {seen[number]})")
            seen.setdefault(number, here)
        own = item.get("responsibility", responsibility)
        if own not in RESPONSIBILITIES:
            problems.append(f"{here}.responsibility: must be one of {', '.join(RESPONSIBILITIES)}")
            own = responsibility
        aspect = ParsedAspect(
            number=number,
            text=_text(problems, item, "text", here, max_length=5000),
            responsibility=own,
        )
        if "aspects" in item:
            if parent is not None:
                problems.append(f"{here}.aspects: sub-aspects cannot have sub-aspects")
            else:
                aspect.children = _aspects(
                    problems, item["aspects"], f"{here}.aspects", own, seen, parent=number
                )
        result.append(aspect)
    return result


def dump(framework) -> dict:
    """A framework (model instance) as the file structure; ``validate(dump(f))`` round-trips."""
    aspects = list(framework.aspects.order_by("sort_key"))
    children: dict[int, list] = {}
    for aspect in aspects:
        if aspect.parent_id:
            children.setdefault(aspect.parent_id, []).append(aspect)

    def one(aspect) -> dict:
        item = {
            "number": aspect.number,
            "text": aspect.text,
            "responsibility": aspect.responsibility,
        }
        if aspect.pk in children:
            item["aspects"] = [one(child) for child in children[aspect.pk]]
        return item

    sections = []
    for section in framework.sections.order_by("position"):
        entry = {"title": section.title, "responsibility": section.responsibility}
        if section.introduction:
            entry["introduction"] = section.introduction
        entry["aspects"] = [
            one(a) for a in aspects if a.section_id == section.pk and a.parent_id is None
        ]
        sections.append(entry)
    data = {"format": FORMAT, "title": framework.title, "school_year": framework.school_year.name}
    if framework.source:
        data["source"] = framework.source
    if framework.minimum_salary_scale is not None:
        data["minimum_salary_scale"] = framework.minimum_salary_scale
    if framework.introduction:
        data["introduction"] = framework.introduction
    data["sections"] = sections
    return data


def dumps(framework) -> str:
    return json.dumps(dump(framework), ensure_ascii=False, indent=2) + "\n"
