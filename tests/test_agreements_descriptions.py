"""Task descriptions (taakomschrijving, aspect 8) and the competency set: the pages, editing the
partnership's template, a school adopting and adapting its own copy, the competency set, bad
input, access and audit (passend/agreements/views/descriptions.py)."""

from __future__ import annotations

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from passend.accounts.middleware import SESSION_STARTED_KEY
from passend.activities.choices import TaskArea
from passend.agreements import services
from passend.agreements.choices import CompetencyDomain
from passend.agreements.models import Competency, TaskDescription, TaskDescriptionItem
from passend.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

SEED_TASK = "Voert observaties in de klas uit"
SCRIPT = "<script>alert(1)</script>"


@pytest.fixture(autouse=True)
def _plain_settings(settings):
    settings.REQUIRE_2FA = False


def sign_in(client, user) -> None:
    client.force_login(user)
    session = client.session
    session[SESSION_STARTED_KEY] = time.time()
    session.save()


def url(name: str, obj) -> str:
    return reverse(f"agreements:{name}", args=[obj.code])


def description_post(
    title: str, rows: list[tuple[str, str, str]], introduction="Inleiding"
) -> dict:
    """The POST of a task-description form with ``rows`` of (area, text, source)."""
    data = {
        "title": title,
        "introduction": introduction,
        "items-TOTAL_FORMS": str(len(rows)),
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
    }
    for n, (area, text, source) in enumerate(rows):
        data |= {f"items-{n}-area": area, f"items-{n}-text": text, f"items-{n}-source": source}
    return data


def current_rows(description) -> list[tuple[str, str, str]]:
    return [(i.area, i.text, i.source) for i in description.items.all()]


def competency_post(rows: list[dict]) -> dict:
    """The POST of the competency-set form; each row: id (or None), domain, text, active."""
    data = {
        "competencies-TOTAL_FORMS": str(len(rows)),
        "competencies-INITIAL_FORMS": str(sum(1 for row in rows if row.get("id"))),
        "competencies-MIN_NUM_FORMS": "0",
        "competencies-MAX_NUM_FORMS": "1000",
    }
    for n, row in enumerate(rows):
        data |= {
            f"competencies-{n}-id": "" if row.get("id") is None else str(row["id"]),
            f"competencies-{n}-domain": row.get("domain", ""),
            f"competencies-{n}-text": row.get("text", ""),
        }
        if row.get("active", True):
            data[f"competencies-{n}-active"] = "on"
    return data


def competency_rows(partnership) -> list[dict]:
    return [
        {"id": c.pk, "domain": c.domain, "text": c.text, "active": c.active}
        for c in services.competencies_for(partnership, active_only=False)
    ]


def page_data(response) -> dict:
    """What the browser posts back from an edit page left as it is: every field of the form,
    the formset's management form and its rows."""
    context = response.context
    forms = [context["formset"].management_form, *context["formset"]]
    if "form" in context:
        forms.insert(0, context["form"])
    data = {}
    for form in forms:
        for field in form:
            value = field.value()
            if value is True:
                data[field.html_name] = "on"
            elif value not in (None, False):
                data[field.html_name] = str(value)
    return data


def snapshot(description) -> tuple:
    description.refresh_from_db()
    return description.title, description.introduction, current_rows(description)


# --- The partnership's template ------------------------------------------------------------------


def test_template_detail_shows_the_seeded_tasks_by_area(client, world):
    sign_in(client, world.users["partnership_admin"])
    response = client.get(url("template_detail", world.p))
    assert response.status_code == 200
    body = response.content.decode()
    template = TaskDescription.objects.get(partnership=world.p, school__isnull=True)
    assert template.title in body and SEED_TASK in body
    assert "bron: Drechtsteden 2" in body
    # Task areas in TaskArea order, each once as a heading.
    positions = [
        body.index(f">{label}</h2>")
        for value, label in TaskArea.choices
        if template.items.filter(area=value).exists()
    ]
    assert positions == sorted(positions) and len(positions) >= 4
    assert url("template_edit", world.p) in body


def test_template_detail_has_no_edit_link_for_readers(client, world):
    sign_in(client, world.users["coordinator"])
    body = client.get(url("template_detail", world.p)).content.decode()
    assert SEED_TASK in body
    assert url("template_edit", world.p) not in body


def test_template_detail_query_count_is_constant(client, world):
    sign_in(client, world.users["office"])
    template = services.template_for(world.p)
    client.get(url("template_detail", world.p))  # warm up (session, scope)
    with CaptureQueriesContext(connection) as before:
        assert client.get(url("template_detail", world.p)).status_code == 200
    TaskDescriptionItem.objects.bulk_create(
        TaskDescriptionItem(description=template, area=i.area, text=f"{i.text} (2)", position=99)
        for i in template.items.all()
    )
    with CaptureQueriesContext(connection) as after:
        response = client.get(url("template_detail", world.p))
    assert response.content.decode().count("(2)") >= template.items.count() // 2
    assert len(after.captured_queries) == len(before.captured_queries)


def test_template_edit_changes_only_the_template(client, world):
    admin = world.users["partnership_admin"]
    own = services.adopt_task_description(world.a, acting_user=world.users["coordinator"])
    own_before = snapshot(own)
    template = services.template_for(world.p)
    rows = current_rows(template)
    rows[0] = (rows[0][0], "Doet onderzoek naar ondersteuningsvragen (aangepast).", rows[0][2])
    rows[1] = (rows[1][0], "", rows[1][2])  # emptied: removed
    rows.append((TaskArea.POLICY, "Denkt mee over het ondersteuningsplan.", "SWV"))
    rows.append(("", "", ""))  # an empty extra row: ignored
    sign_in(client, admin)
    page = client.get(url("template_edit", world.p))
    assert page.status_code == 200 and SEED_TASK in page.content.decode()

    response = client.post(url("template_edit", world.p), description_post("Nieuwe titel", rows))

    assert response.status_code == 302
    assert response.url == url("template_detail", world.p)
    template.refresh_from_db()
    assert template.title == "Nieuwe titel" and template.updated_by == admin
    texts = list(template.items.values_list("text", flat=True))
    assert "Doet onderzoek naar ondersteuningsvragen (aangepast)." in texts
    assert not any(t.startswith(SEED_TASK) for t in texts)
    assert template.items.get(text__startswith="Denkt mee").source == "SWV"
    assert len(texts) == len(rows) - 2
    assert snapshot(own) == own_before  # the school's adopted copy is untouched
    event = AuditEvent.objects.get(action="task_description.updated")
    assert event.actor == admin and event.object_code == str(template.code)


def test_template_edit_page_saved_unchanged_keeps_every_task(client, world):
    template = services.template_for(world.p)
    before = snapshot(template)
    sign_in(client, world.users["partnership_admin"])
    page = client.get(url("template_edit", world.p))
    data = page_data(page)
    assert data["items-INITIAL_FORMS"] == str(len(before[2]))
    assert data["items-TOTAL_FORMS"] == str(len(before[2]) + 3)  # three empty rows for new tasks
    response = client.post(url("template_edit", world.p), data)
    assert response.status_code == 302
    assert snapshot(template) == before


@pytest.mark.parametrize(
    ("case", "error"),
    [
        ("area_missing", "Kies een taakgebied."),
        ("no_rows", "Een taakomschrijving heeft ten minste één taak."),
        ("empty_title", "Dit veld is verplicht."),
        ("too_long", "niet meer dan 2000 tekens"),
        ("nul", "Null-tekens zijn niet toegestaan."),
    ],
)
def test_template_edit_bad_input_changes_nothing(client, world, case, error):
    template = services.template_for(world.p)
    before = snapshot(template)
    rows = current_rows(template)
    title = "Andere titel"
    if case == "area_missing":
        rows.append(("", "Een taak zonder taakgebied", ""))
    elif case == "no_rows":
        rows = [(area, "", source) for area, _text, source in rows]
    elif case == "empty_title":
        title = "  "
    elif case == "too_long":
        rows[0] = (rows[0][0], "x" * 3000, "")
    elif case == "nul":
        title = "Titel\x00"
    sign_in(client, world.users["partnership_admin"])
    response = client.post(url("template_edit", world.p), description_post(title, rows))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Niets opgeslagen" in body and error in body
    assert snapshot(template) == before
    assert not AuditEvent.objects.filter(action="task_description.updated").exists()


def test_template_edit_escapes_html(client, world):
    sign_in(client, world.users["partnership_admin"])
    rows = [(TaskArea.STUDENT, SCRIPT, SCRIPT)]
    client.post(url("template_edit", world.p), description_post(SCRIPT, rows))
    body = client.get(url("template_detail", world.p)).content.decode()
    assert SCRIPT not in body and "&lt;script&gt;" in body


@pytest.mark.parametrize("persona", ["office", "coordinator", "consultant", "bpo"])
def test_template_edit_is_for_the_partnership_admin(client, world, persona):
    template = services.template_for(world.p)
    before = snapshot(template)
    sign_in(client, world.users[persona])
    response = client.post(
        url("template_edit", world.p), description_post("X", [("team", "Y", "")])
    )
    assert response.status_code == 403
    assert snapshot(template) == before


def test_template_of_another_partnership_is_404(client, world):
    sign_in(client, world.users["other_swv"])
    assert client.get(url("template_detail", world.p)).status_code == 404
    assert client.post(url("template_edit", world.p), {}).status_code == 404
    assert client.get(url("template_detail", world.q)).status_code == 200


def test_wrong_methods_are_405(client, world):
    sign_in(client, world.users["partnership_admin"])
    assert client.post(url("template_detail", world.p)).status_code == 405
    assert client.delete(url("template_edit", world.p)).status_code == 405
    assert client.post(url("competency_set", world.p)).status_code == 405
    sign_in(client, world.users["coordinator"])
    assert client.post(url("school_description", world.a)).status_code == 405
    assert client.get(url("school_description_adopt", world.a)).status_code == 405
    assert client.put(url("school_description_edit", world.a)).status_code == 405


# --- A school's task description -----------------------------------------------------------------


def test_school_without_own_description_shows_the_template(client, world):
    sign_in(client, world.users["coordinator"])
    response = client.get(url("school_description", world.a))
    assert response.status_code == 200
    body = response.content.decode()
    assert "nog geen eigen taakomschrijving" in body and SEED_TASK in body
    assert "Overnemen als taakomschrijving van de school" in body
    assert url("school_description_adopt", world.a) in body
    assert url("school_description_edit", world.a) not in body


def test_school_description_readers_without_edit_right_see_no_buttons(client, world):
    sign_in(client, world.users["bpo"])
    body = client.get(url("school_description", world.a)).content.decode()
    assert SEED_TASK in body
    assert "Overnemen als taakomschrijving van de school" not in body
    services.adopt_task_description(world.a, acting_user=world.users["director"])
    body = client.get(url("school_description", world.a)).content.decode()
    assert "Gebaseerd op de voorbeeldtaakomschrijving van het SWV" in body
    assert url("school_description_edit", world.a) not in body


def test_adopt_copies_the_template_and_the_school_edits_its_own_copy(client, world):
    director = world.users["director"]
    template = services.template_for(world.p)
    template_before = snapshot(template)
    sign_in(client, director)

    response = client.post(url("school_description_adopt", world.a))

    assert response.status_code == 302 and response.url == url("school_description", world.a)
    own = TaskDescription.objects.get(school=world.a)
    assert own.based_on == template and own.title == template.title
    assert current_rows(own) == current_rows(template)
    event = AuditEvent.objects.get(action="task_description.adopted")
    assert event.actor == director and event.school_id == world.a.pk
    page = client.get(response.url).content.decode()
    assert "is overgenomen" in page
    assert "Gebaseerd op de voorbeeldtaakomschrijving van het SWV" in page
    assert url("school_description_edit", world.a) in page

    rows = [(TaskArea.STUDENT, "Leerlingbegeleiding op School Aa", "School Aa")]
    response = client.post(
        url("school_description_edit", world.a), description_post("Taakomschrijving Aa", rows)
    )

    assert response.status_code == 302 and response.url == url("school_description", world.a)
    own.refresh_from_db()
    assert own.title == "Taakomschrijving Aa" and current_rows(own) == rows
    assert snapshot(template) == template_before
    body = client.get(url("school_description", world.a)).content.decode()
    assert "Leerlingbegeleiding op School Aa" in body and SEED_TASK not in body
    assert AuditEvent.objects.filter(
        action="task_description.updated", object_code=str(own.code)
    ).exists()


def test_adopting_twice_flashes_the_error(client, world):
    coordinator = world.users["coordinator"]
    services.adopt_task_description(world.a, acting_user=coordinator)
    sign_in(client, coordinator)
    response = client.post(url("school_description_adopt", world.a), follow=True)
    assert response.status_code == 200
    assert "Deze school heeft al een eigen taakomschrijving." in response.content.decode()
    assert TaskDescription.objects.filter(school=world.a).count() == 1
    assert AuditEvent.objects.filter(action="task_description.adopted").count() == 1


def test_edit_before_adoption_sends_back_with_a_message(client, world):
    sign_in(client, world.users["coordinator"])
    response = client.get(url("school_description_edit", world.a), follow=True)
    assert response.redirect_chain == [(url("school_description", world.a), 302)]
    assert "Neem eerst de voorbeeldtaakomschrijving van het SWV over" in response.content.decode()
    assert not TaskDescription.objects.filter(school=world.a).exists()


def test_school_description_edit_bad_input_changes_nothing(client, world):
    coordinator = world.users["coordinator"]
    own = services.adopt_task_description(world.a, acting_user=coordinator)
    before = snapshot(own)
    sign_in(client, coordinator)
    rows = [*current_rows(own), ("", "Taak zonder taakgebied", "")]
    response = client.post(url("school_description_edit", world.a), description_post("T", rows))
    assert response.status_code == 200
    assert "Kies een taakgebied." in response.content.decode()
    assert snapshot(own) == before


@pytest.mark.parametrize("persona", ["bpo", "consultant", "partnership_admin"])
def test_school_readers_may_not_adopt_or_edit(client, world, persona):
    sign_in(client, world.users[persona])
    assert client.post(url("school_description_adopt", world.a)).status_code == 403
    assert not TaskDescription.objects.filter(school=world.a).exists()
    services.adopt_task_description(world.a, acting_user=None)
    response = client.post(url("school_description_edit", world.a), description_post("X", []))
    assert response.status_code == 403


def test_other_school_is_404(client, world):
    sign_in(client, world.users["coordinator_b"])
    for name in ("school_description", "school_description_edit"):
        assert client.get(url(name, world.a)).status_code == 404
    assert client.post(url("school_description_adopt", world.a)).status_code == 404
    assert not TaskDescription.objects.filter(school=world.a).exists()
    assert client.get(url("school_description", world.b)).status_code == 200


# --- The competency set --------------------------------------------------------------------------


def test_competency_set_groups_by_domain_and_marks_retired(client, world):
    competencies = services.competencies_for(world.p)
    retired = competencies[0]
    Competency.objects.filter(pk=retired.pk).update(active=False)
    sign_in(client, world.users["bpo"])
    response = client.get(url("competency_set", world.p))
    assert response.status_code == 200
    body = response.content.decode()
    positions = [body.index(f">{label}</h2>") for label in CompetencyDomain.labels]
    assert positions == sorted(positions)
    assert retired.text in body and body.count("(niet meer in gebruik)") == 1
    assert competencies[1].text in body
    assert url("competency_set_edit", world.p) not in body
    sign_in(client, world.users["partnership_admin"])
    assert (
        url("competency_set_edit", world.p)
        in client.get(url("competency_set", world.p)).content.decode()
    )


def test_competency_set_edit(client, world):
    admin = world.users["partnership_admin"]
    sign_in(client, admin)
    page = client.get(url("competency_set_edit", world.p))
    assert page.status_code == 200
    rows = competency_rows(world.p)
    assert rows[0]["text"] in page.content.decode()
    count = len(rows)
    rows[0]["active"] = False
    rows[1]["text"] = "Voert het gesprek met ouders (aangepast)."
    rows[1]["domain"] = CompetencyDomain.SYSTEM
    rows += [
        {"id": None, "domain": CompetencyDomain.TEACHER, "text": "Coacht docenten."},
        {"id": None, "domain": "", "text": ""},  # empty new row: ignored
        {"id": None, "domain": CompetencyDomain.STUDENT, "text": "  "},  # only spaces: ignored
    ]

    response = client.post(url("competency_set_edit", world.p), competency_post(rows))

    assert response.status_code == 302 and response.url == url("competency_set", world.p)
    assert Competency.objects.filter(partnership=world.p).count() == count + 1
    assert not Competency.objects.get(pk=rows[0]["id"]).active
    changed = Competency.objects.get(pk=rows[1]["id"])
    assert (changed.domain, changed.text) == (
        CompetencyDomain.SYSTEM,
        "Voert het gesprek met ouders (aangepast).",
    )
    new = Competency.objects.get(text="Coacht docenten.")
    assert new.domain == CompetencyDomain.TEACHER and new.active
    event = AuditEvent.objects.get(action="competency_set.updated")
    assert event.actor == admin and event.extra.get("rows") == count + 1


def test_competency_set_page_saved_unchanged_keeps_the_set(client, world):
    before = competency_rows(world.p)
    sign_in(client, world.users["partnership_admin"])
    page = client.get(url("competency_set_edit", world.p))
    data = page_data(page)
    del data["competencies-0-active"]  # untick the first: retired
    response = client.post(url("competency_set_edit", world.p), data)
    assert response.status_code == 302
    after = competency_rows(world.p)
    assert after == [{**before[0], "active": False}, *before[1:]]


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ("emptied_existing", "Vul de competentie in"),
        ("new_without_domain", "Kies een domein."),
        ("foreign_id", "Deze competentie hoort niet bij dit SWV."),
    ],
)
def test_competency_set_bad_input_changes_nothing(client, world, change, error):
    rows = competency_rows(world.p)
    other = services.competencies_for(world.q)[0]
    before = list(Competency.objects.order_by("pk").values_list("pk", "domain", "text", "active"))
    if change == "emptied_existing":
        rows[0]["text"] = ""
    elif change == "new_without_domain":
        rows.append({"id": None, "domain": "", "text": "Een nieuwe competentie"})
    elif change == "foreign_id":
        rows[0]["id"] = other.pk
        rows[0]["text"] = "Overgenomen"
    sign_in(client, world.users["partnership_admin"])
    response = client.post(url("competency_set_edit", world.p), competency_post(rows))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Niets opgeslagen" in body and error in body
    after = list(Competency.objects.order_by("pk").values_list("pk", "domain", "text", "active"))
    assert after == before
    assert not AuditEvent.objects.filter(action="competency_set.updated").exists()


def test_competency_set_edit_access(client, world):
    rows = competency_rows(world.p)
    rows[0]["active"] = False
    sign_in(client, world.users["coordinator"])
    assert client.get(url("competency_set", world.p)).status_code == 200
    assert (
        client.post(url("competency_set_edit", world.p), competency_post(rows)).status_code == 403
    )
    sign_in(client, world.users["mentor"])
    assert client.get(url("competency_set", world.p)).status_code == 404
    sign_in(client, world.users["other_swv"])
    assert (
        client.post(url("competency_set_edit", world.p), competency_post(rows)).status_code == 404
    )
    assert Competency.objects.filter(partnership=world.p, active=True).count() == len(rows)
