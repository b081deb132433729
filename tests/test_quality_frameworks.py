"""The quality framework (kwaliteitskader BPO) as a versioned part of passend.

The shipped Koers VO 2021-2022 framework is the seed's text; a framework goes out as a file and
comes back identical; a malformed file is refused with the place of each problem and writes
nothing; a draft is edited and published, after which only its due date changes; readers read,
only the partnership_admin manages; bad input gives form errors, never a 500.
"""

from __future__ import annotations

import json
import re
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from passend.accounts.middleware import SESSION_STARTED_KEY
from passend.audit.models import AuditEvent
from passend.organisations.models import SchoolYear
from passend.quality import services
from passend.quality.choices import FrameworkStatus, Responsibility
from passend.quality.frameworkfile import MAX_BYTES, dump, dumps, parse
from passend.quality.management.commands import load_framework_path
from passend.quality.models import QualityAspect, QualityFramework, QualitySection

SEED = Path(__file__).resolve().parents[1].parent / "shared" / "seeds" / "000_599d027e26d22ee3.txt"
HEADER = "KWALITEITSKADER BPO 2021-2022"
SHIPPED_NUMBERS = [
    *(str(n) for n in range(1, 16)),
    *("16", "16.1", "16.2", "16.3", "16.4"),
    *("17", "17.1", "17.2"),
    *("18", "18.1", "18.2", "18.3"),
]


@pytest.fixture(autouse=True)
def _plain_settings(settings):
    settings.REQUIRE_2FA = False


def sign_in(client, user) -> None:
    client.force_login(user)
    session = client.session
    session[SESSION_STARTED_KEY] = time.time()
    session.save()


def snapshot() -> dict:
    return {
        "frameworks": QualityFramework.objects.count(),
        "sections": QualitySection.objects.count(),
        "aspects": QualityAspect.objects.count(),
        "events": AuditEvent.objects.count(),
        "years": SchoolYear.objects.count(),
        "rows": sorted(
            QualityAspect.objects.values_list("pk", "number", "text", "section_id", "parent_id")
        ),
        "framework_rows": sorted(
            QualityFramework.objects.values_list(
                "pk", "title", "introduction", "source", "status", "assessment_due"
            )
        ),
    }


def _norm(text: str) -> str:
    return " ".join(text.split())


def _shipped() -> dict:
    return json.loads(load_framework_path().read_text(encoding="utf-8"))


@pytest.fixture
def admin(client, quality_world):
    sign_in(client, quality_world.world.users["partnership_admin"])
    return client


def _url(name: str, *args) -> str:
    return reverse(f"quality:{name}", args=args)


# --- 1. The shipped framework is the seed's text --------------------------------------------------


@pytest.fixture
def seed_text() -> str:
    """§4 of seed 000 from the framework's title to §5, whitespace collapsed.

    The seed is text extracted from a paged document: the page header "KWALITEITSKADER BPO
    2021-2022" is repeated at the top of the next page, in the middle of aspect 10 ("… Indien
    nodig worden tussentijdse evaluaties | KWALITEITSKADER BPO 2021-2022 | ingepland. …"). That
    one running header is no part of the text and is removed; the title itself is kept out by
    starting after it.
    """
    if not SEED.exists():
        pytest.skip(f"seed file {SEED} is absent: cannot compare the shipped framework with it")
    raw = SEED.read_text(encoding="utf-8")
    start = raw.index(HEADER) + len(HEADER)
    section = raw[start : raw.index("5. Procedure bij het benoemen", start)]
    assert re.search(rf"tussentijdse evaluaties\s+{HEADER}\s+ingepland\.", section), (
        "the running header no longer interrupts aspect 10: revisit this test"
    )
    lines = section.splitlines()
    kept = [line for line in lines if line.strip() != HEADER]
    assert len(lines) - len(kept) == 1, "exactly one running header inside the framework"
    return _norm("\n".join(kept))


def _markers(seed: str, aspects: list[dict]) -> list[tuple[int, int]]:
    """Where each aspect's number stands in the seed, in order: ``13.`` or ``16.2``."""
    found, position = [], 0
    for aspect in aspects:
        pattern = re.compile(rf"(?<!\S){re.escape(aspect['number'])}\.? ")
        match = pattern.search(seed, position)
        assert match is not None, f"aspect {aspect['number']} not found (in order) in the seed"
        found.append((match.start(), match.end()))
        position = match.end()
    return found


def test_shipped_framework_texts_equal_the_seed(seed_text):
    data = _shipped()
    aspects = data["aspects"]
    assert len(aspects) == 27
    assert [a["number"] for a in aspects] == SHIPPED_NUMBERS
    # Every text ends where the next number, a section title or a heading begins.
    boundaries = [s["title"] for s in data["sections"]]
    boundaries += [s["introduction"] for s in data["sections"] if s.get("introduction")]
    boundaries.append("KWALITEITSASPECTEN (")
    markers = _markers(seed_text, aspects)
    for index, (aspect, (_start, end)) in enumerate(zip(aspects, markers, strict=True)):
        stop = markers[index + 1][0] if index + 1 < len(markers) else len(seed_text)
        chunk = seed_text[end:stop]
        cut = min((chunk.index(b) for b in boundaries if b in chunk), default=len(chunk))
        assert chunk[:cut].strip() == _norm(aspect["text"]), f"aspect {aspect['number']}"


def test_shipped_framework_sections_and_responsibilities_follow_the_seed(seed_text):
    data = _shipped()
    markers = _markers(seed_text, data["aspects"])
    school_heading = seed_text.index("KWALITEITSASPECTEN (verantwoordelijkheid school)")
    bpo_heading = seed_text.index("KWALITEITSASPECTEN (kenmerken bpo'er)")
    section_at: list[tuple[int, dict]] = []
    position = school_heading
    for section in data["sections"]:
        position = seed_text.index(section["title"], position)
        section_at.append((position, section))
        expected = "bpo" if position > bpo_heading else "school"
        assert section["responsibility"] == expected, section["title"]
    assert [s["title"] for s in data["sections"]] == [
        "Randvoorwaarden",
        "Positionering en aansturing",
        "Deskundigheidsbevordering",
        "Opleiding en deskundigheid",
        "Uitvoering op taakgebieden",
    ]
    # Each aspect stands under its own section's title.
    for aspect, (start, _end) in zip(data["aspects"], markers, strict=True):
        above = [s for at, s in section_at if at < start]
        assert above and above[-1]["title"] == aspect["section"], aspect["number"]
    # The introduction too (the seed marks emphasis with asterisks).
    seed_intro = seed_text[:school_heading].replace("*", "")
    assert _norm(seed_intro) == _norm(data["introduction"])


def test_shipped_framework_loads_with_responsibility_and_sub_aspects(db, world):
    call_command(
        "load-framework", partnership=world.p.duo_number, school_year="2021-2022", stdout=StringIO()
    )
    framework = QualityFramework.objects.get(partnership=world.p)
    aspects = {a.number: a for a in framework.aspects.select_related("parent")}
    assert list(framework.aspects.values_list("number", flat=True)) == SHIPPED_NUMBERS
    for number, aspect in aspects.items():
        main = int(number.split(".")[0])
        expected = Responsibility.SCHOOL if main <= 12 else Responsibility.BPO
        assert aspect.responsibility == expected, number
        if "." in number:
            assert aspect.parent == aspects[number.split(".")[0]]
            assert aspect.section_id == aspect.parent.section_id
        else:
            assert aspect.parent is None
    assert framework.status == FrameworkStatus.DRAFT
    assert AuditEvent.objects.filter(action="framework.import").count() == 1


# --- 2. Export → import round trip ----------------------------------------------------------------


def test_export_import_round_trip_over_http(admin, quality_world):
    w = quality_world
    response = admin.get(_url("framework_export", w.framework.code))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    expected_name = f"kwaliteitskader-bpo-2021-2022-{w.year.name}-v1.json"
    assert response["Content-Disposition"] == f'attachment; filename="{expected_name}"'
    target = SchoolYear.get_or_create_for_start_year(w.year.start.year - 1)
    upload = SimpleUploadedFile("kader.json", response.content, content_type="application/json")

    answer = admin.post(
        _url("framework_import", w.world.p.code), {"file": upload, "school_year": target.name}
    )

    assert answer.status_code == 302
    imported = QualityFramework.objects.get(partnership=w.world.p, school_year=target)
    assert answer.url == _url("framework_detail", imported.code)
    assert (imported.status, imported.version) == (FrameworkStatus.DRAFT, 1)
    original, copy = dump(w.framework), dump(imported)
    assert original.pop("school_year") == w.year.name
    assert copy.pop("school_year") == target.name
    assert copy == original
    again = admin.get(_url("framework_export", imported.code)).content.decode()
    assert again == response.content.decode().replace(
        f'"school_year": "{w.year.name}"', f'"school_year": "{target.name}"'
    )


def test_import_without_a_chosen_year_uses_the_files(admin, quality_world):
    w = quality_world
    upload = SimpleUploadedFile("kader.json", dumps(w.framework).encode())
    response = admin.post(_url("framework_import", w.world.p.code), {"file": upload})
    assert response.status_code == 302
    imported = QualityFramework.objects.get(code=response.url.split("/")[-2])
    assert imported.school_year == w.year
    assert imported.version == 2  # the published version 1 is untouched
    assert dump(imported) == dump(w.framework)


def test_import_of_a_file_without_a_school_year_asks_for_one(admin, quality_world):
    data = _shipped()
    del data["school_year"]
    before = snapshot()
    upload = SimpleUploadedFile("kader.json", json.dumps(data).encode())
    response = admin.post(_url("framework_import", quality_world.world.p.code), {"file": upload})
    assert response.status_code == 200
    assert "school_year" in response.context["form"].errors
    assert snapshot() == before


def test_round_trip_through_the_command(quality_world, tmp_path):
    w = quality_world
    path = tmp_path / "kader.json"
    path.write_text(dumps(w.framework), encoding="utf-8")
    out = StringIO()

    call_command(
        "load-framework",
        file=path,
        partnership=w.world.p.duo_number,
        school_year="2030-2031",
        stdout=out,
    )

    loaded = QualityFramework.objects.get(partnership=w.world.p, school_year__name="2030-2031")
    assert "27 aspects" in out.getvalue()
    original, copy = dump(w.framework), dump(loaded)
    original.pop("school_year"), copy.pop("school_year")
    assert copy == original


# --- 3. Malformed files ---------------------------------------------------------------------------


def _mutated(change) -> bytes:
    data = _shipped()
    change(data)
    return json.dumps(data, ensure_ascii=False, indent=2).encode()


def _drop_main_17(data):
    data["aspects"] = [a for a in data["aspects"] if a["number"] != "17"]


def _index(number: str, data=None) -> int:
    aspects = (data or _shipped())["aspects"]
    return next(i for i, a in enumerate(aspects) if a["number"] == number)


BAD_JSON = b'{\n  "format": "passend-quality-framework/1",\n  "title": "Kader",\n  oops\n}\n'
MALFORMED = {
    "missing-number": (
        _mutated(lambda d: d["aspects"][3].pop("number")),
        ["aspects[3].number", "ontbreekt"],
    ),
    "duplicate-number": (
        _mutated(lambda d: d["aspects"][4].update(number="3")),
        ["aspects[4].number", "aspects[2]"],
    ),
    "unknown-section": (
        _mutated(lambda d: d["aspects"][0].update(section="Bestaat niet")),
        ["aspects[0].section", "Bestaat niet"],
    ),
    "sub-aspect-without-main": (
        _mutated(_drop_main_17),
        [f"aspects[{_index('17.1') - 1}].number", "17.1"],
    ),
    "bad-json-syntax": (BAD_JSON, ["regel 4, kolom 3"]),
    "not-utf8": (b'{"title": "caf\xe9"}', ["byte 14", "UTF-8"]),
    "too-big": (b" " * (MAX_BYTES + 1), [f"{MAX_BYTES // 1024} kB"]),
    "wrong-format": (
        _mutated(lambda d: d.update(format="passend-quality-framework/9")),
        ["$.format", "passend-quality-framework/1"],
    ),
    "deeply-nested": (b"[" * 100_000, ["te diep genest"]),
    "huge-number": (
        b'{"format": "passend-quality-framework/1", "minimum_salary_scale": ' + b"9" * 5000 + b"}",
        ["ongeldige waarde"],
    ),
    "binary": (bytes(range(256)) * 10, ["byte 128"]),
    "not-an-object": (b'["a list"]', ["JSON-object"]),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_upload_is_refused_naming_the_place(admin, quality_world, case):
    raw, expected = MALFORMED[case]
    before = snapshot()
    upload = SimpleUploadedFile("kader.json", raw, content_type="application/json")

    response = admin.post(
        _url("framework_import", quality_world.world.p.code),
        {"file": upload, "school_year": quality_world.year.name},
    )

    assert response.status_code == 200
    problems = " ".join(response.context["form"].errors["file"])
    for text in expected:
        assert text in problems, (case, problems)
        assert text in response.content.decode(), case
    assert snapshot() == before


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_file_is_refused_by_the_command(quality_world, tmp_path, case):
    raw, expected = MALFORMED[case]
    path = tmp_path / "kader.json"
    path.write_bytes(raw)
    before = snapshot()

    with pytest.raises(CommandError) as refused:
        call_command(
            "load-framework",
            file=path,
            partnership=quality_world.world.p.duo_number,
            school_year="2030-2031",
            stdout=StringIO(),
        )

    for text in expected:
        assert text in str(refused.value), (case, str(refused.value))
    assert snapshot() == before


def test_every_problem_of_a_file_is_reported(admin, quality_world):
    def break_three(data):
        data["aspects"][0].pop("number")
        data["aspects"][1]["section"] = "Elders"
        data["sections"][0]["responsibility"] = "iedereen"

    upload = SimpleUploadedFile("kader.json", _mutated(break_three))
    response = admin.post(_url("framework_import", quality_world.world.p.code), {"file": upload})
    problems = response.context["form"].errors["file"]
    assert any("aspects[0].number" in p for p in problems)
    assert any("aspects[1].section" in p for p in problems)
    assert any("sections[0].responsibility" in p for p in problems)


def test_import_needs_a_file(admin, quality_world):
    before = snapshot()
    response = admin.post(_url("framework_import", quality_world.world.p.code), {})
    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    empty = SimpleUploadedFile("leeg.json", b"")
    response = admin.post(_url("framework_import", quality_world.world.p.code), {"file": empty})
    assert "file" in response.context["form"].errors
    assert snapshot() == before


# --- 4. Lifecycle: copy, edit a draft, publish ----------------------------------------------------


def _events(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


def _aspect_data(framework, number: str, text: str, responsibility: str = "") -> dict:
    section = framework.sections.get(title="Uitvoering op taakgebieden")
    return {
        "number": number,
        "section": section.pk,
        "text": text,
        "responsibility": responsibility,
    }


def test_copy_edit_publish_lifecycle(admin, quality_world):
    w = quality_world
    admin_user = w.world.users["partnership_admin"]

    # Copy the published framework to next year (which already has a draft: version 2).
    response = admin.post(
        _url("framework_copy", w.framework.code), {"school_year": w.next_year.name}
    )
    copy = QualityFramework.objects.get(school_year=w.next_year, version=2)
    assert response.url == _url("framework_detail", copy.code)
    assert copy.status == FrameworkStatus.DRAFT and copy.copied_from == w.framework
    assert {**dump(copy), "school_year": w.year.name} == dump(w.framework)
    assert _events("framework.copy") == 2  # the fixture's copy and this one

    # Edit the draft's own fields.
    response = admin.post(
        _url("framework_edit", copy.code),
        {
            "title": "Kwaliteitskader BPO 2026",
            "introduction": "Nieuwe inleiding.",
            "source": "Eigen bron",
            "minimum_salary_scale": "11",
            "assessment_due": "",
        },
    )
    assert response.status_code == 302
    copy.refresh_from_db()
    assert (copy.title, copy.minimum_salary_scale) == ("Kwaliteitskader BPO 2026", 11)
    update = AuditEvent.objects.filter(action="framework.update").latest("pk")
    assert set(update.extra["fields"]) == {
        "title",
        "introduction",
        "source",
        "minimum_salary_scale",
    }

    # Change an aspect's text, add 16.5, delete 18 (with its sub-aspects).
    aspect = copy.aspects.get(number="16.2")
    response = admin.post(
        _url("aspect_edit", copy.code, aspect.code),
        _aspect_data(copy, "16.2", "De bpo'er vertaalt de behoefte.", "bpo"),
    )
    assert response.status_code == 302
    aspect.refresh_from_db()
    assert aspect.text == "De bpo'er vertaalt de behoefte."
    assert _events("framework.aspect_update") == 1

    response = admin.post(
        _url("aspect_create", copy.code), _aspect_data(copy, "16.5", "Een nieuw subaspect.")
    )
    assert response.status_code == 302
    added = copy.aspects.get(number="16.5")
    assert added.parent == copy.aspects.get(number="16")
    assert added.responsibility == Responsibility.BPO  # the section's, left empty in the form
    assert _events("framework.aspect_create") == 1

    eighteen = copy.aspects.get(number="18")
    response = admin.post(_url("aspect_delete", copy.code, eighteen.code))
    assert response.status_code == 302
    assert not copy.aspects.filter(number__startswith="18").exists()
    deleted = AuditEvent.objects.get(action="framework.aspect_delete")
    assert sorted(deleted.extra["aspects"]) == ["18", "18.1", "18.2", "18.3"]
    assert copy.aspects.count() == 27 + 1 - 4

    # Publishing needs the confirmation.
    admin.post(_url("framework_publish", copy.code), {})
    copy.refresh_from_db()
    assert copy.is_draft and _events("framework.publish") == 2  # the fixture's two
    response = admin.post(_url("framework_publish", copy.code), {"confirm": "on"})
    assert response.status_code == 302
    copy.refresh_from_db()
    assert copy.status == FrameworkStatus.PUBLISHED and copy.published_by == admin_user
    assert _events("framework.publish") == 3

    # Published: every edit path is refused and writes nothing.
    before = snapshot()
    sixteen_two = copy.aspects.get(number="16.2")
    refused = [
        admin.get(_url("aspect_create", copy.code)),
        admin.post(_url("aspect_create", copy.code), _aspect_data(copy, "16.6", "Nog een.")),
        admin.get(_url("aspect_edit", copy.code, sixteen_two.code)),
        admin.post(
            _url("aspect_edit", copy.code, sixteen_two.code),
            _aspect_data(copy, "16.2", "Stiekem anders."),
        ),
        admin.post(_url("aspect_delete", copy.code, sixteen_two.code)),
        admin.post(_url("framework_publish", copy.code), {"confirm": "on"}),
    ]
    for response in refused:
        assert response.status_code == 302
        assert response.url == _url("framework_detail", copy.code)
    page = admin.get(_url("framework_detail", copy.code))
    assert "vastgesteld" in page.content.decode()
    # The content fields of the edit form are disabled: a posted title is ignored.
    admin.post(
        _url("framework_edit", copy.code),
        {"title": "Anders", "introduction": "Anders", "assessment_due": ""},
    )
    assert snapshot() == before

    # … but the due date still changes.
    response = admin.post(
        _url("framework_edit", copy.code), {"title": "Anders", "assessment_due": "2027-06-01"}
    )
    assert response.status_code == 302
    copy.refresh_from_db()
    assert str(copy.assessment_due) == "2027-06-01"
    assert copy.title == "Kwaliteitskader BPO 2026"
    update = AuditEvent.objects.filter(action="framework.update").latest("pk")
    assert update.extra["fields"] == ["assessment_due"]


def test_services_refuse_changes_to_a_published_framework(quality_world):
    w = quality_world
    admin_user = w.world.users["partnership_admin"]
    framework = w.framework
    aspect = framework.aspects.get(number="16.2")
    before = snapshot()
    attempts = [
        lambda: services.update_framework(framework, acting_user=admin_user, title="Anders"),
        lambda: services.save_aspect(
            framework,
            acting_user=admin_user,
            aspect=aspect,
            number="16.2",
            text="Anders",
            section=aspect.section,
            responsibility="bpo",
        ),
        lambda: services.delete_aspect(aspect, acting_user=admin_user),
        lambda: services.publish_framework(framework, acting_user=admin_user),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError):
            attempt()
    assert snapshot() == before


def test_aspect_rules_on_a_draft(admin, quality_world):
    draft = quality_world.draft
    sixteen = draft.aspects.get(number="16")
    before = snapshot()
    cases = [
        # A main aspect cannot become its own sub-aspect, nor a sub-aspect of an existing one.
        (_url("aspect_edit", draft.code, sixteen.code), _aspect_data(draft, "16.5", "x")),
        (_url("aspect_edit", draft.code, sixteen.code), _aspect_data(draft, "15.1", "x")),
        # Renumbering a main aspect would orphan the numbers of its sub-aspects.
        (_url("aspect_edit", draft.code, sixteen.code), _aspect_data(draft, "19", "x")),
        # A sub-aspect needs its main aspect; numbers are unique; numbers look like 7 or 16.2.
        (_url("aspect_create", draft.code), _aspect_data(draft, "19.1", "x")),
        (_url("aspect_create", draft.code), _aspect_data(draft, "16.1", "x")),
        (_url("aspect_create", draft.code), _aspect_data(draft, "16.2.1", "x")),
        (_url("aspect_create", draft.code), _aspect_data(draft, "0", "x")),
    ]
    for url, data in cases:
        response = admin.post(url, data)
        assert response.status_code == 200, data
        assert "number" in response.context["form"].errors, data
    assert snapshot() == before
    # A childless main aspect may be renumbered; a sub-aspect may move to another main.
    fifteen = draft.aspects.get(number="15")
    admin.post(_url("aspect_edit", draft.code, fifteen.code), _aspect_data(draft, "19", "x"))
    sub = draft.aspects.get(number="17.2")
    admin.post(_url("aspect_edit", draft.code, sub.code), _aspect_data(draft, "16.9", "y"))
    sub.refresh_from_db()
    assert draft.aspects.filter(number="19", parent=None).exists()
    assert sub.parent == sixteen


def test_a_draft_without_aspects_cannot_be_copied_or_published(admin, quality_world):
    draft = quality_world.draft
    draft.aspects.all().delete()
    before = snapshot()
    for url, data in [
        (_url("framework_copy", draft.code), {"school_year": quality_world.year.name}),
        (_url("framework_publish", draft.code), {"confirm": "on"}),
    ]:
        response = admin.post(url, data, follow=True)
        assert response.status_code == 200
        assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert snapshot() == before


def test_copy_to_a_school_year_that_is_not_offered_is_refused(admin, quality_world):
    before = snapshot()
    response = admin.post(
        _url("framework_copy", quality_world.framework.code), {"school_year": "2090-2091"}
    )
    assert response.url == _url("framework_detail", quality_world.framework.code)
    assert snapshot() == before


# --- 5. Roles -------------------------------------------------------------------------------------


def test_a_coordinator_reads_but_does_not_manage(client, quality_world):
    w = quality_world
    sign_in(client, w.world.users["coordinator"])
    for url in [
        _url("framework_list", w.world.p.code),
        _url("framework_detail", w.framework.code),
        _url("framework_detail", w.draft.code),
        _url("framework_export", w.framework.code),
    ]:
        assert client.get(url).status_code == 200, url
    page = client.get(_url("framework_detail", w.draft.code)).content.decode()
    assert _url("framework_edit", w.draft.code) not in page
    assert _url("framework_publish", w.draft.code) not in page
    assert _url("framework_copy", w.draft.code) not in page
    listing = client.get(_url("framework_list", w.world.p.code)).content.decode()
    assert _url("framework_import", w.world.p.code) not in listing

    aspect = w.draft.aspects.get(number="16.2")
    before = snapshot()
    manage = [
        ("get", _url("framework_import", w.world.p.code), {}),
        ("post", _url("framework_import", w.world.p.code), {}),
        ("get", _url("framework_edit", w.draft.code), {}),
        ("post", _url("framework_edit", w.draft.code), {"title": "Van de school"}),
        ("post", _url("framework_copy", w.framework.code), {"school_year": w.year.name}),
        ("post", _url("framework_publish", w.draft.code), {"confirm": "on"}),
        ("get", _url("aspect_create", w.draft.code), {}),
        ("post", _url("aspect_edit", w.draft.code, aspect.code), {"text": "x"}),
        ("post", _url("aspect_delete", w.draft.code, aspect.code), {}),
    ]
    for method, url, data in manage:
        assert getattr(client, method)(url, data).status_code == 403, url
    assert snapshot() == before
    # The other partnership's framework does not exist for them.
    assert client.get(_url("framework_detail", w.framework_q.code)).status_code == 404
    assert client.get(_url("framework_list", w.world.q.code)).status_code == 404
    assert client.get(_url("framework_export", w.framework_q.code)).status_code == 404


@pytest.mark.parametrize("persona", ["partner", "mentor", "office", "no_role", "superuser"])
def test_roles_without_assessments_see_no_frameworks(client, quality_world, persona):
    w = quality_world
    sign_in(client, w.world.users[persona])
    for url in [
        _url("framework_list", w.world.p.code),
        _url("framework_detail", w.framework.code),
        _url("framework_export", w.framework.code),
    ]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert w.framework.title not in response.content.decode()


def test_another_partnerships_admin_sees_only_their_own(client, quality_world):
    w = quality_world
    sign_in(client, w.world.users["other_swv"])
    assert client.get(_url("framework_detail", w.framework.code)).status_code == 404
    assert client.get(_url("framework_list", w.world.p.code)).status_code == 404
    before = snapshot()
    response = client.post(_url("framework_copy", w.framework.code), {"school_year": "2030-2031"})
    assert response.status_code == 404
    assert snapshot() == before
    assert client.get(_url("framework_detail", w.framework_q.code)).status_code == 200
    assert client.get(_url("framework_edit", w.framework_q.code)).status_code == 200


def test_an_aspect_of_another_framework_is_not_found(admin, quality_world):
    w = quality_world
    foreign = w.framework.aspects.get(number="16.2")
    before = snapshot()
    response = admin.post(_url("aspect_delete", w.draft.code, foreign.code))
    assert response.status_code == 404
    response = admin.post(
        _url("aspect_create", w.draft.code),
        {**_aspect_data(w.draft, "16.5", "x"), "section": foreign.section_id},
    )
    assert response.status_code == 200
    assert "section" in response.context["form"].errors
    assert snapshot() == before


# --- 6. Bad input ---------------------------------------------------------------------------------

SCRIPT = "<script>alert(1)</script>"
BAD_VALUES = ["", " ", "x" * 10000, SCRIPT, "ééé 𝕏 漢字 🙂", "\x00", "'; DROP TABLE x; --"]
BAD_IDS = ["empty", "blank", "long", "html", "unicode", "nul", "sql"]


def _assert_safe(response) -> None:
    assert response.status_code != 500
    assert SCRIPT.encode() not in response.content


FRAMEWORK_DATA = {
    "title": "Kader",
    "introduction": "",
    "source": "",
    "minimum_salary_scale": "",
    "assessment_due": "",
}


def _framework_value_ok(field: str, value: str) -> bool:
    text = value.strip()
    if "\x00" in value:
        return False
    return {
        "title": bool(text) and len(text) <= 200,
        "introduction": len(text) <= 20000,
        "source": len(text) <= 300,
        # Optional, and empty means none; a lone space is no number or date (as in accounts).
        "minimum_salary_scale": value == "",
        "assessment_due": value == "",
    }[field]


@pytest.mark.parametrize("value", BAD_VALUES, ids=BAD_IDS)
@pytest.mark.parametrize("field", sorted(FRAMEWORK_DATA))
def test_framework_form_with_bad_input(admin, quality_world, field, value):
    draft = quality_world.draft
    before = snapshot()
    response = admin.post(_url("framework_edit", draft.code), {**FRAMEWORK_DATA, field: value})
    _assert_safe(response)
    if _framework_value_ok(field, value):
        assert response.status_code == 302
        page = admin.get(response.url)
        _assert_safe(page)
        draft.refresh_from_db()
        if field in ("title", "introduction", "source"):
            assert getattr(draft, field) == value.strip()
        return
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert snapshot() == before


def _aspect_value_ok(field: str, value: str) -> bool:
    text = value.strip()
    if field == "text":
        return bool(text) and len(text) <= 5000 and "\x00" not in value
    if field == "responsibility":
        return value == ""
    return False  # number, section


@pytest.mark.parametrize("value", BAD_VALUES, ids=BAD_IDS)
@pytest.mark.parametrize("field", ["number", "section", "text", "responsibility"])
def test_aspect_form_with_bad_input(admin, quality_world, field, value):
    draft = quality_world.draft
    before = snapshot()
    data = {**_aspect_data(draft, "16.5", "Tekst"), field: value}
    response = admin.post(_url("aspect_create", draft.code), data)
    _assert_safe(response)
    if _aspect_value_ok(field, value):
        assert response.status_code == 302
        page = admin.get(response.url)
        _assert_safe(page)
        created = draft.aspects.get(number="16.5")
        if field == "text":
            assert created.text == value.strip()
            if value == SCRIPT:
                assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in page.content
        return
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert snapshot() == before


YEAR_VALUES = [*BAD_VALUES, "2025-13-45", "1999-2000"]
YEAR_IDS = [*BAD_IDS, "bad-date", "not-offered"]


@pytest.mark.parametrize("value", YEAR_VALUES, ids=YEAR_IDS)
def test_copy_and_import_with_a_bad_school_year(admin, quality_world, value):
    w = quality_world
    before = snapshot()
    response = admin.post(_url("framework_copy", w.framework.code), {"school_year": value})
    _assert_safe(response)
    assert response.status_code == 302
    assert response.url == _url("framework_detail", w.framework.code)
    upload = SimpleUploadedFile("kader.json", dumps(w.framework).encode())
    response = admin.post(
        _url("framework_import", w.world.p.code), {"file": upload, "school_year": value}
    )
    _assert_safe(response)
    if value == "":  # empty: the file's own school year
        assert response.status_code == 302
        return
    assert response.status_code == 200
    assert "school_year" in response.context["form"].errors
    assert snapshot() == before


def test_an_uploaded_framework_with_html_is_shown_escaped(admin, quality_world):
    def inject(data):
        data["title"] = SCRIPT
        data["aspects"][0]["text"] = SCRIPT

    upload = SimpleUploadedFile("kader.json", _mutated(inject))
    response = admin.post(
        _url("framework_import", quality_world.world.p.code),
        {"file": upload, "school_year": quality_world.year.name},
    )
    assert response.status_code == 302
    for url in [response.url, _url("framework_list", quality_world.world.p.code)]:
        page = admin.get(url)
        _assert_safe(page)
        assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in page.content


# --- 7. Pages: query count, markup ----------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", ["partnership_admin", "coordinator"])
def test_framework_detail_query_count_does_not_grow_with_aspects(client, quality_world, persona):
    w = quality_world
    admin_user = w.world.users["partnership_admin"]
    sign_in(client, w.world.users[persona])
    url = _url("framework_detail", w.draft.code)
    client.get(url)  # warm up (session, content types)
    baseline = _queries(client, url)
    section = w.draft.sections.get(title="Randvoorwaarden")
    for number in range(30, 60):
        services.save_aspect(
            w.draft,
            acting_user=admin_user,
            number=str(number),
            text=f"Aspect {number}",
            section=section,
            responsibility="school",
        )
    assert _queries(client, url) == baseline
    assert _queries(client, _url("framework_list", w.world.p.code)) == _queries(
        client, _url("framework_list", w.world.p.code)
    )


def test_framework_pages_have_no_inline_scripts_or_styles(admin, quality_world):
    w = quality_world
    aspect = w.draft.aspects.get(number="16.2")
    for url in [
        _url("framework_list", w.world.p.code),
        _url("framework_import", w.world.p.code),
        _url("framework_detail", w.draft.code),
        _url("framework_detail", w.framework.code),
        _url("framework_edit", w.draft.code),
        _url("framework_edit", w.framework.code),
        _url("aspect_create", w.draft.code),
        _url("aspect_edit", w.draft.code, aspect.code),
    ]:
        body = admin.get(url).content.decode()
        assert " style=" not in body and " onclick=" not in body, url
        assert not re.search(r"<script(?![^>]*\bsrc=)", body), url
        assert "<th" in body or "<label" in body, url


def test_detail_shows_sections_aspects_and_admin_actions(admin, quality_world):
    w = quality_world
    page = admin.get(_url("framework_detail", w.draft.code)).content.decode()
    for section in w.draft.sections.all():
        assert section.title in page
    for aspect in w.draft.aspects.all():
        assert _url("aspect_edit", w.draft.code, aspect.code) in page
    assert "passend-sub-aspect" in page
    assert _url("framework_publish", w.draft.code) in page
    published = admin.get(_url("framework_detail", w.framework.code)).content.decode()
    assert _url("framework_publish", w.framework.code) not in published
    assert _url("aspect_create", w.framework.code) not in published
    assert _url("framework_copy", w.framework.code) in published


def test_parse_round_trips_the_shipped_file():
    parsed = parse(load_framework_path().read_bytes())
    assert sum(1 + len(a.children) for s in parsed.sections for a in s.aspects) == 27
