"""Werkafspraken pages: the lists, drafting and editing (with the conflict of two editors),
confirming and acknowledging through the views, the PDF, and access
(passend/agreements/views/agreements.py)."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape
from django.utils.text import slugify

from passend.accounts.choices import Role
from passend.accounts.middleware import SESSION_STARTED_KEY
from passend.activities.choices import TaskArea
from passend.agreements import services
from passend.agreements.agreement_document import pdf_filename, render_agreement_pdf
from passend.agreements.choices import AgreementStatus
from passend.agreements.models import AgreedTask, WorkAgreement
from passend.agreements.services import TaskInput
from passend.audit.models import AuditEvent
from passend.organisations.models import SchoolYear
from tests import factories
from tests.pdftext import pdf_text

pytestmark = pytest.mark.django_db


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


def edit_data(agreement, tasks=None, revision=None, **fields) -> dict:
    """The editor's POST: the agreement's current values, overridden by ``fields``; ``tasks``
    as (area, description, hours, origin) rows (default: the current tasks) plus 3 empty rows."""
    if tasks is None:
        tasks = [(t.area, t.description, str(t.hours), t.origin_id) for t in agreement.tasks.all()]
    data = {
        "revision": agreement.revision if revision is None else revision,
        "presence_times": agreement.presence_times,
        "sot_participation": agreement.sot_participation,
        "management": agreement.management,
        "sot_informed": agreement.sot_informed,
        "notes": agreement.notes,
        "presence_days": list(agreement.presence_days),
    }
    data.update(fields)
    rows = [*tasks, ("", "", "", None), ("", "", "", None), ("", "", "", None)]
    data.update(
        {
            "taken-TOTAL_FORMS": str(len(rows)),
            "taken-INITIAL_FORMS": str(len(tasks)),
            "taken-MIN_NUM_FORMS": "0",
            "taken-MAX_NUM_FORMS": "200",
        }
    )
    for i, (area, description, hours, origin) in enumerate(rows):
        data[f"taken-{i}-area"] = area
        data[f"taken-{i}-description"] = description
        data[f"taken-{i}-hours"] = hours
        data[f"taken-{i}-origin"] = origin or ""
    return data


def set_tasks(agreement, user, rows) -> WorkAgreement:
    return services.update_agreement(
        agreement,
        revision=agreement.revision,
        fields={},
        tasks=[TaskInput(*row) for row in rows],
        acting_user=user,
    )


def page(client, target) -> str:
    response = client.get(target)
    assert response.status_code == 200
    return response.content.decode()


# --- Lists ---------------------------------------------------------------------------------------


def test_my_agreements_shows_own_grouped_by_year(client, agreements_world):
    aw = agreements_world
    sign_in(client, aw.world.users["bpo"])
    body = page(client, reverse("agreements:my_agreements"))
    assert f"Schooljaar {aw.year.name}" in body
    assert url("agreement_detail", aw.agreement) in body
    assert url("agreement_detail", aw.draft) not in body  # bpo_a2's
    assert "Overeengekomen" in body


def test_my_agreements_empty_explains(client, agreements_world):
    sign_in(client, agreements_world.world.users["no_role"])
    body = page(client, reverse("agreements:my_agreements"))
    assert "Er zijn nog geen werkafspraken met jou vastgelegd" in body


def test_school_agreements_latest_versions_and_bpos_without(client, agreements_world):
    aw = agreements_world
    w = aw.world
    coordinator = w.users["coordinator"]
    newcomer = factories.member(Role.BPO, school=w.a)
    version_2 = services.next_version(aw.agreement, acting_user=coordinator)
    sign_in(client, coordinator)
    body = page(client, url("school_agreements", w.a))
    assert url("agreement_detail", version_2) in body
    assert url("agreement_detail", aw.agreement) not in body  # only the latest version
    assert url("agreement_detail", aw.draft) in body
    assert url("agreement_detail", aw.agreement_b) not in body  # school B
    assert escape(newcomer.full_name) in body and "nog geen werkafspraken" in body
    create = url("agreement_create", w.a)
    assert f"{create}?bpo={newcomer.code}&amp;jaar={aw.year.name}" in body
    assert url("school_description", w.a) in body

    sign_in(client, w.users["director"])
    body = page(client, url("school_agreements", w.a))
    assert "nog geen werkafspraken" in body and create not in body

    following = SchoolYear.get_or_create_for_start_year(aw.year.start.year + 1)
    sign_in(client, coordinator)
    body = page(client, url("school_agreements", w.a) + f"?jaar={following.name}")
    assert f"Nog geen werkafspraken in {following.name}" in body
    assert f'value="{following.name}" selected' in body


def _school_list_queries(client, target) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(target).status_code == 200
    return len(ctx.captured_queries)


def test_school_agreements_query_count_is_constant(client, agreements_world):
    aw = agreements_world
    w = aw.world
    coordinator = w.users["coordinator"]
    sign_in(client, coordinator)
    target = url("school_agreements", w.a)
    _school_list_queries(client, target)  # warm-up (school years created once)
    few = _school_list_queries(client, target)
    for _ in range(4):
        bpo = factories.member(Role.BPO, school=w.a)
        agreement = services.create_agreement(w.a, aw.year, bpo, acting_user=coordinator)
        services.confirm_agreement(agreement, acting_user=coordinator)
    assert _school_list_queries(client, target) == few


# --- Drafting, editing, confirming ---------------------------------------------------------------


def test_walk_create_edit_confirm_acknowledge(client, agreements_world):
    aw = agreements_world
    w = aw.world
    coordinator, director = w.users["coordinator"], w.users["director"]
    bpo = factories.member(Role.BPO, school=w.a)
    sign_in(client, coordinator)
    create = url("agreement_create", w.a)
    body = page(client, f"{create}?bpo={bpo.code}&jaar={aw.year.name}")
    assert f'value="{bpo.code}" selected' in body

    response = client.post(create, {"school_year": aw.year.name, "bpo": str(bpo.code)})
    agreement = WorkAgreement.objects.get(bpo=bpo)
    assert response.status_code == 302 and response.url == url("agreement_edit", agreement)
    assert agreement.tasks.count() == len(services.default_task_description()["items"])

    body = page(client, url("agreement_edit", agreement))
    assert "Taakomschrijving van de school" in body and 'name="revision"' in body
    tasks = [
        (TaskArea.STUDENT, "Observaties in de klas", "120", None),
        (TaskArea.STUDENT, "Handelingsadviezen", "30,5", None),
        (TaskArea.PARENTS, "Gesprekken met ouders", "40", None),
    ]
    data = edit_data(
        agreement,
        tasks,
        presence_days=["thu", "tue"],
        presence_times="8.30–16.00 uur",
        sot_participation="Wekelijks SOT op dinsdag",
    )
    response = client.post(url("agreement_edit", agreement), data)
    assert response.status_code == 302 and response.url == url("agreement_detail", agreement)
    agreement.refresh_from_db()
    assert agreement.presence_days == ["tue", "thu"]
    assert [(t.description, t.hours) for t in agreement.tasks.all()] == [
        ("Observaties in de klas", Decimal("120")),
        ("Handelingsadviezen", Decimal("30.5")),
        ("Gesprekken met ouders", Decimal("40")),
    ]

    body = page(client, url("agreement_detail", agreement))
    assert "dinsdag, donderdag" in body and "Subtotaal Leerling" in body
    assert "150,5" in body and "190,5" in body  # subtotal Leerling, total
    assert "Werkafspraken bevestigen als coördinator" in body

    response = client.post(url("agreement_confirm", agreement), follow=True)
    assert "bevestigd als ondersteuningscoördinator" in response.content.decode()
    sign_in(client, bpo)
    assert "Werkafspraken bevestigen als bpo'er" in page(client, url("agreement_detail", agreement))
    response = client.post(url("agreement_confirm", agreement), follow=True)
    assert "de werkafspraken zijn overeengekomen" in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.AGREED

    sign_in(client, director)
    assert "Voor gezien tekenen" in page(client, url("agreement_detail", agreement))
    response = client.post(url("agreement_acknowledge", agreement), follow=True)
    assert "voor gezien getekend" in response.content.decode()
    agreement.refresh_from_db()
    assert (
        agreement.status == AgreementStatus.ACKNOWLEDGED and agreement.acknowledged_by == director
    )
    actions = set(
        AuditEvent.objects.filter(object_code=str(agreement.code)).values_list("action", flat=True)
    )
    assert {
        "work_agreement.created",
        "work_agreement.updated",
        "work_agreement.confirmed",
        "work_agreement.acknowledged",
    } <= actions


def test_create_for_a_bpo_who_has_one_shows_the_error(client, agreements_world):
    aw = agreements_world
    sign_in(client, aw.world.users["coordinator"])
    before = WorkAgreement.objects.count()
    response = client.post(
        url("agreement_create", aw.world.a),
        {"school_year": aw.year.name, "bpo": str(aw.world.users["bpo"].code)},
    )
    assert response.status_code == 200
    assert "Er zijn al werkafspraken met deze bpo" in response.content.decode()
    assert WorkAgreement.objects.count() == before


def test_create_with_someone_who_is_no_bpo_is_a_form_error(client, agreements_world):
    aw = agreements_world
    sign_in(client, aw.world.users["coordinator"])
    response = client.post(
        url("agreement_create", aw.world.a),
        {"school_year": aw.year.name, "bpo": str(aw.world.users["mentor"].code)},
    )
    assert response.status_code == 200 and "utrecht-form-field-error-message" in (
        response.content.decode()
    )
    assert not WorkAgreement.objects.filter(bpo=aw.world.users["mentor"]).exists()


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ((TaskArea.STUDENT, "Observaties", "-5", None), "Het aantal uren ligt tussen 0 en"),
        ((TaskArea.STUDENT, "Observaties", "veel", None), "Vul een aantal uren in"),
        ((TaskArea.STUDENT, "Observaties", "Infinity", None), "Vul een aantal uren in"),
        (("", "Observaties", "10", None), "Kies een taakgebied."),
        ((TaskArea.STUDENT, "Observaties", "2000", None), "Het aantal uren ligt tussen 0 en"),
        ((TaskArea.STUDENT, "Observaties", "1,25", None), "hoogstens één decimaal"),
        (("onzin", "Observaties", "10", None), "Selecteer een geldige keuze"),
    ],
)
def test_edit_bad_input_writes_nothing(client, agreements_world, row, message):
    aw = agreements_world
    draft = aw.draft
    before = list(draft.tasks.values_list("description", "hours"))
    sign_in(client, aw.world.users["coordinator"])
    response = client.post(url("agreement_edit", draft), edit_data(draft, [row], notes="Nieuw"))
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body and "Niets opgeslagen" in body
    draft.refresh_from_db()
    assert draft.revision == 0 and draft.notes == ""
    assert list(draft.tasks.values_list("description", "hours")) == before


def test_edit_emptied_description_removes_the_task(client, agreements_world):
    aw = agreements_world
    coordinator = aw.world.users["coordinator"]
    draft = set_tasks(
        aw.draft, coordinator, [(TaskArea.TEAM, "Coaching", "10"), (TaskArea.TEAM, "Intervisie", 5)]
    )
    rows = [(t.area, t.description, str(t.hours), None) for t in draft.tasks.all()]
    rows[1] = (TaskArea.TEAM, "", "veel", None)  # emptied: removed, its hours not checked
    sign_in(client, coordinator)
    response = client.post(url("agreement_edit", draft), edit_data(draft, rows))
    assert response.status_code == 302
    assert list(draft.tasks.values_list("description", flat=True)) == ["Coaching"]


def test_editing_an_agreed_version_is_refused(client, agreements_world):
    aw = agreements_world
    agreement = aw.agreement
    before = list(agreement.tasks.values_list("description", "hours"))
    sign_in(client, aw.world.users["coordinator"])
    for response in (
        client.get(url("agreement_edit", agreement)),
        client.post(url("agreement_edit", agreement), edit_data(agreement, notes="Anders")),
    ):
        assert response.status_code == 302
        assert response.url == url("agreement_detail", agreement)
    body = page(client, url("agreement_detail", agreement))
    assert "al overeengekomen en kan niet meer veranderen" in body
    agreement.refresh_from_db()
    assert agreement.notes == "" and agreement.status == AgreementStatus.AGREED
    assert list(agreement.tasks.values_list("description", "hours")) == before


def test_two_editors_second_save_shows_the_conflict(client, agreements_world):
    aw = agreements_world
    draft = aw.draft
    sign_in(client, aw.world.users["coordinator"])
    first = page(client, url("agreement_edit", draft))
    second = page(client, url("agreement_edit", draft))
    assert 'name="revision" value="0"' in first and 'name="revision" value="0"' in second

    rows_1 = [(TaskArea.STUDENT, "Versie van Anna", "12", None)]
    rows_2 = [(TaskArea.PARENTS, "Versie van Bert", "7,5", None)]
    response = client.post(url("agreement_edit", draft), edit_data(draft, rows_1, revision=0))
    assert response.status_code == 302
    response = client.post(
        url("agreement_edit", draft), edit_data(draft, rows_2, revision=0, notes="Bert")
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Iemand anders heeft deze werkafspraken intussen opgeslagen" in body
    assert "Je invoer staat hieronder nog" in body
    assert "Versie van Bert" in body and "7,5" in body  # the second editor's input is kept
    draft.refresh_from_db()
    assert draft.revision == 1 and draft.notes == ""
    assert list(draft.tasks.values_list("description", flat=True)) == ["Versie van Anna"]


def test_confirm_twice_flashes_the_service_error(client, agreements_world):
    aw = agreements_world
    sign_in(client, aw.world.users["coordinator"])
    assert client.post(url("agreement_confirm", aw.draft)).status_code == 302
    response = client.post(url("agreement_confirm", aw.draft), follow=True)
    assert "Je hebt deze werkafspraken al bevestigd." in response.content.decode()
    response = client.post(url("agreement_confirm", aw.agreement), follow=True)
    assert "al overeengekomen" in response.content.decode()


def test_acknowledge_twice_flashes_the_service_error(client, agreements_world):
    aw = agreements_world
    sign_in(client, aw.world.users["director"])
    client.post(url("agreement_acknowledge", aw.agreement))
    response = client.post(url("agreement_acknowledge", aw.agreement), follow=True)
    assert "Alleen overeengekomen werkafspraken" in response.content.decode()
    assert AuditEvent.objects.filter(action="work_agreement.acknowledged").count() == 1


# --- One version ---------------------------------------------------------------------------------


def test_detail_for_each_role(client, agreements_world):
    aw = agreements_world
    w = aw.world
    agreement = aw.agreement
    detail = url("agreement_detail", agreement)

    sign_in(client, w.users["director"])
    body = page(client, detail)
    assert escape(w.users["bpo"].full_name) in body and aw.year.name in body
    assert "Voor gezien tekenen" in body
    assert url("evaluation_create", agreement) in body
    assert url("evaluation_detail", aw.evaluation) in body
    assert url("profile_detail", aw.profile) in body
    assert url("agreement_pdf", agreement) in body
    assert url("agreement_edit", agreement) not in body  # agreed: no edit
    assert escape(w.users["coordinator"].full_name) in body  # confirmed by

    sign_in(client, w.users["consultant"])
    body = page(client, detail)
    for action in ("agreement_acknowledge", "agreement_confirm", "evaluation_create"):
        assert url(action, agreement) not in body
    assert url("agreement_pdf", agreement) in body

    sign_in(client, w.users["bpo"])
    body = page(client, detail)
    assert reverse("agreements:my_agreements") in body
    assert url("agreement_acknowledge", agreement) not in body

    sign_in(client, w.users["coordinator"])
    body = page(client, url("agreement_detail", aw.draft))
    assert url("agreement_edit", aw.draft) in body
    assert url("agreement_confirm", aw.draft) in body
    assert url("profile_start", aw.draft) in body  # bpo_a2 has no profile yet


def test_detail_shows_changes_and_versions(client, agreements_world):
    aw = agreements_world
    coordinator = aw.world.users["coordinator"]
    agreement = set_tasks(aw.draft, coordinator, [(TaskArea.TEAM, "Coaching mentoren", "10")])
    services.confirm_agreement(agreement, acting_user=coordinator)
    services.confirm_agreement(agreement, acting_user=aw.bpo_a2)
    version_2 = services.next_version(agreement, acting_user=coordinator)
    task = version_2.tasks.get()
    version_2 = services.update_agreement(
        version_2,
        revision=version_2.revision,
        fields={"presence_times": "maandag"},
        tasks=[
            TaskInput(TaskArea.TEAM, "Coaching mentoren", "16", task.origin_id),
            TaskInput(TaskArea.PARENTS, "Ouderavond", "3"),
        ],
        acting_user=coordinator,
    )
    sign_in(client, coordinator)
    body = page(client, url("agreement_detail", version_2))
    assert "Wijzigingen ten opzichte van versie 1" in body
    assert "Toegevoegd" in body and "Ouderavond (3 u)" in body
    assert "Gewijzigd" in body and "Coaching mentoren (10 u)" in body
    assert "Coaching mentoren (16 u)" in body
    assert url("agreement_detail", agreement) in body  # link to version 1


def _detail_queries(client, target) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(target).status_code == 200
    return len(ctx.captured_queries)


def test_detail_query_count_is_constant_in_tasks(client, agreements_world):
    aw = agreements_world
    coordinator = aw.world.users["coordinator"]
    draft = set_tasks(aw.draft, coordinator, [(TaskArea.TEAM, "Een taak", "1")])
    sign_in(client, coordinator)
    target = url("agreement_detail", draft)
    _detail_queries(client, target)
    one = _detail_queries(client, target)
    set_tasks(
        draft, coordinator, [(area, f"Taak {i}", i) for i in range(8) for area in TaskArea.values]
    )
    assert _detail_queries(client, target) == one


# --- PDF -----------------------------------------------------------------------------------------


def test_pdf_contains_the_agreement(agreements_world):
    aw = agreements_world
    agreement = set_tasks(
        aw.draft,
        aw.world.users["coordinator"],
        [(TaskArea.STUDENT, "Observaties in de klas", "120")],
    )
    text = pdf_text(render_agreement_pdf(agreement, uncompressed=True))
    for expected in (
        "Werkafspraken begeleider passend onderwijs",
        aw.world.a.name,
        aw.world.a.location_code,
        aw.bpo_a2.full_name,
        aw.year.name,
        "Observaties in de klas",
        "Ondersteuningscoördinator",
    ):
        assert expected in text, expected


def test_pdf_of_a_later_version_lists_the_changes(agreements_world):
    aw = agreements_world
    coordinator = aw.world.users["coordinator"]
    version_2 = services.next_version(aw.agreement, acting_user=coordinator)
    version_2 = set_tasks(version_2, coordinator, [(TaskArea.POLICY, "Beleidsnotitie", "8")])
    text = pdf_text(render_agreement_pdf(version_2, uncompressed=True))
    assert "Wijzigingen ten opzichte van versie 1" in text
    assert "Beleidsnotitie" in text


def test_pdf_download_is_audited(client, agreements_world):
    aw = agreements_world
    sign_in(client, aw.world.users["bpo"])
    response = client.get(url("agreement_pdf", aw.agreement))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert pdf_filename(aw.agreement) in response["Content-Disposition"]
    bpo = slugify(aw.agreement.bpo.full_name)
    assert pdf_filename(aw.agreement) == f"werkafspraken-school-aa-{bpo}-{aw.year.name}-v1.pdf"
    assert AuditEvent.objects.filter(
        action="work_agreement.export_pdf", object_code=str(aw.agreement.code)
    ).exists()


# --- Access --------------------------------------------------------------------------------------


def test_other_school_and_other_bpo_get_404(client, agreements_world):
    aw = agreements_world
    w = aw.world
    sign_in(client, w.users["coordinator_b"])
    for target in (
        url("agreement_detail", aw.agreement),
        url("agreement_pdf", aw.agreement),
        url("school_agreements", w.a),
    ):
        response = client.get(target)
        assert response.status_code == 404
        assert w.a.name not in response.content.decode()
    sign_in(client, w.users["bpo"])
    assert client.get(url("agreement_detail", aw.draft)).status_code == 404
    assert client.get(url("school_agreements", w.a)).status_code == 404


def test_read_only_roles_get_403_and_nothing_changes(client, agreements_world):
    aw = agreements_world
    w = aw.world
    sign_in(client, w.users["consultant"])
    assert client.post(url("agreement_confirm", aw.draft)).status_code == 403
    assert client.post(url("agreement_acknowledge", aw.agreement)).status_code == 403
    assert client.post(url("agreement_edit", aw.draft), edit_data(aw.draft)).status_code == 403
    sign_in(client, w.users["director"])
    assert client.get(url("agreement_create", w.a)).status_code == 403
    assert client.post(url("agreement_confirm", aw.draft)).status_code == 403
    aw.draft.refresh_from_db()
    assert aw.draft.coordinator_confirmed_at is None and aw.draft.revision == 0
    assert AgreedTask.objects.filter(agreement=aw.agreement).exists()


def test_wrong_methods_get_405(client, agreements_world):
    aw = agreements_world
    sign_in(client, aw.world.users["coordinator"])
    assert client.get(url("agreement_confirm", aw.draft)).status_code == 405
    assert client.get(url("agreement_acknowledge", aw.agreement)).status_code == 405
    assert client.post(url("agreement_detail", aw.draft)).status_code == 405
    assert client.post(url("agreement_pdf", aw.draft)).status_code == 405
    assert client.post(url("school_agreements", aw.world.a)).status_code == 405
    assert client.post(reverse("agreements:my_agreements")).status_code == 405
