"""Consent and sharing (issue 6 point 5): the services' rules (who consents at which age, scope,
dates, the school's partners), the pages to record and withdraw consent and to share a case and
stop sharing, the blocks on the student and case pages, and what a partner sees of a case through
the case page for every consent state (passend/caseload/consent.py, views/consent.py)."""

from __future__ import annotations

import datetime
import time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from passend.accounts.choices import Role
from passend.accounts.middleware import SESSION_STARTED_KEY
from passend.audit.models import AuditEvent
from passend.caseload import access
from passend.caseload import consent as services
from passend.caseload.models import CaseShare, Consent, SupportCase
from passend.organisations.choices import Domain
from passend.privacy.audit import VIEW_ACTION
from passend.students.models import Guardian
from tests import factories
from tests.fixtures_caseload import years_ago

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
CANARY = "KANARIE-7f3a9c-verhaal"


@pytest.fixture(autouse=True)
def _plain_settings(settings):
    settings.REQUIRE_2FA = False


def sign_in(client, user) -> None:
    client.force_login(user)
    session = client.session
    session[SESSION_STARTED_KEY] = time.time()
    session.save()


def url(name: str, obj) -> str:
    return reverse(f"caseload:{name}", args=[obj.code])


def consent_kwargs(cw, **overrides) -> dict:
    data = {
        "given_by": "guardian",
        "guardian": cw.guardian,
        "domain": Domain.YOUTH_HEALTH,
        "partner": None,
        "purpose": "Bespreking met de jeugdverpleegkundige",
        "given_on": cw.today,
        "expires_on": None,
        "acting_user": cw.world.users["coordinator"],
    }
    data.update(overrides)
    return data


def refused(call, student, **kwargs) -> dict:
    """The per-field errors of a refused ``record_consent``; asserts nothing was written."""
    before = Consent.objects.count()
    with pytest.raises(ValidationError) as caught:
        call(student, **kwargs)
    assert Consent.objects.count() == before
    assert not AuditEvent.objects.filter(action="consent.record").exists()
    return caught.value.message_dict


# --- Services: record_consent ------------------------------------------------------------------


def test_guardian_consent_is_recorded_with_an_audit_event_of_codes(caseload_world):
    cw = caseload_world
    consent = services.record_consent(cw.student, **consent_kwargs(cw))
    assert consent.school == cw.world.a and consent.guardian == cw.guardian
    assert consent.is_valid_on(cw.today)
    event = AuditEvent.objects.get(action="consent.record")
    assert event.object_code == str(consent.code)
    assert event.school == cw.world.a
    assert event.extra["student"] == str(cw.student.code)
    assert event.extra["domain"] == Domain.YOUTH_HEALTH
    assert "Bespreking" not in str(event.extra)  # the purpose text never goes into the audit


def test_student_of_16_consents_themself(caseload_world):
    cw = caseload_world
    partner = cw.world.users["partner"]
    consent = services.record_consent(
        cw.student16,
        **consent_kwargs(cw, given_by="student", guardian=None, domain="", partner=partner),
    )
    assert consent.given_by == "student" and consent.partner == partner
    assert consent.is_valid_on(cw.today)
    assert AuditEvent.objects.get(action="consent.record").extra["partner"] == str(partner.code)


def test_guardian_consent_for_a_17_year_old_is_refused(caseload_world):
    cw = caseload_world
    mother = Guardian.objects.create(student=cw.student16, name="Els", relation="mother")
    errors = refused(services.record_consent, cw.student16, **consent_kwargs(cw, guardian=mother))
    assert "16" in errors["given_by"][0] and "leerling zelf" in errors["given_by"][0]


def test_guardian_consent_counts_the_age_on_the_day_of_consent(caseload_world):
    """A 17-year-old's mother gave consent two years ago, at 15: that is valid to record (the
    consent itself ended when the student turned 16)."""
    cw = caseload_world
    mother = Guardian.objects.create(student=cw.student16, name="Els", relation="mother")
    two_years_ago = cw.today - 2 * 365 * DAY
    consent = services.record_consent(
        cw.student16, **consent_kwargs(cw, guardian=mother, given_on=two_years_ago)
    )
    assert services.consent_status(consent) == services.TURNED_16
    assert not consent.is_valid_on(cw.today)


def test_students_own_consent_at_15_is_refused(caseload_world):
    cw = caseload_world
    cw.student.date_of_birth = years_ago(15)
    cw.student.save()
    errors = refused(
        services.record_consent, cw.student, **consent_kwargs(cw, given_by="student", guardian=None)
    )
    assert "15 jaar" in errors["given_by"][0]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"given_on": "tomorrow"}, "given_on"),
        ({"expires_on": "yesterday"}, "expires_on"),
        ({"guardian": "without_authority"}, "guardian"),
        ({"guardian": "of_another_student"}, "guardian"),
        ({"guardian": None}, "guardian"),
        ({"partner": "of_school_b", "domain": ""}, "partner"),
        ({"partner": "mentor", "domain": ""}, "partner"),
        ({"partner": "partner"}, "partner"),  # a domain and a partner
        ({"domain": ""}, "domain"),  # neither
        ({"domain": "police"}, "domain"),
        ({"purpose": "   "}, "purpose"),
        ({"purpose": "x" * 301}, "purpose"),
        ({"given_by": "neighbour"}, "given_by"),
    ],
)
def test_bad_consent_input_gives_a_field_error_and_writes_nothing(caseload_world, overrides, field):
    cw = caseload_world
    values = {
        "tomorrow": cw.today + DAY,
        "yesterday": cw.today - DAY,
        "without_authority": Guardian.objects.create(
            student=cw.student, name="Piet", relation="father", has_authority=False
        ),
        "of_another_student": Guardian.objects.create(
            student=cw.student_b, name="Kees", relation="father"
        ),
        "of_school_b": factories.member(Role.PARTNER, school=cw.world.b),
        "mentor": cw.world.users["mentor"],
        "partner": cw.world.users["partner"],
    }
    resolved = {k: values.get(v, v) if isinstance(v, str) else v for k, v in overrides.items()}
    errors = refused(services.record_consent, cw.student, **consent_kwargs(cw, **resolved))
    assert field in errors, errors


@pytest.mark.parametrize("persona", ["mentor", "partner", "director", "coordinator_b"])
def test_only_the_schools_coordinator_and_bpos_record_consent(caseload_world, persona):
    cw = caseload_world
    with pytest.raises(PermissionDenied):
        services.record_consent(
            cw.student, **consent_kwargs(cw, acting_user=cw.world.users[persona])
        )
    assert Consent.objects.count() == 1


def test_the_bpo_records_consent(caseload_world):
    cw = caseload_world
    services.record_consent(cw.student, **consent_kwargs(cw, acting_user=cw.world.users["bpo"]))
    assert Consent.objects.filter(student=cw.student).count() == 2


# --- Services: withdraw_consent ----------------------------------------------------------------


def test_withdrawal_ends_the_partners_access_at_once(caseload_world):
    cw = caseload_world
    partner = cw.world.users["partner"]
    assert cw.case.pk in access.partner_access(partner)
    services.withdraw_consent(cw.consent, acting_user=cw.world.users["bpo"])
    cw.consent.refresh_from_db()
    assert cw.consent.withdrawn_on == cw.today
    assert cw.case.pk not in access.partner_access(partner)
    event = AuditEvent.objects.get(action="consent.withdraw")
    assert event.object_code == str(cw.consent.code) and event.school == cw.world.a


@pytest.mark.parametrize(
    ("withdrawn_on", "message"),
    [(-30, "vóór de datum"), (1, "toekomst")],
)
def test_withdrawal_date_is_checked(caseload_world, withdrawn_on, message):
    cw = caseload_world
    with pytest.raises(ValidationError) as caught:
        services.withdraw_consent(
            cw.consent,
            withdrawn_on=cw.today + withdrawn_on * DAY,
            acting_user=cw.world.users["coordinator"],
        )
    assert message in caught.value.message_dict["withdrawn_on"][0]
    cw.consent.refresh_from_db()
    assert cw.consent.withdrawn_on is None
    assert not AuditEvent.objects.filter(action="consent.withdraw").exists()


def test_withdrawing_twice_is_refused(caseload_world):
    cw = caseload_world
    services.withdraw_consent(cw.consent, acting_user=cw.world.users["coordinator"])
    with pytest.raises(ValidationError):
        services.withdraw_consent(cw.consent, acting_user=cw.world.users["coordinator"])
    assert AuditEvent.objects.filter(action="consent.withdraw").count() == 1


def test_a_partner_cannot_withdraw(caseload_world):
    cw = caseload_world
    with pytest.raises(PermissionDenied):
        services.withdraw_consent(cw.consent, acting_user=cw.world.users["partner"])


# --- Services: share_case and end_share --------------------------------------------------------


def test_sharing_without_consent_is_allowed_but_gives_no_access(caseload_world):
    cw = caseload_world
    partner = cw.world.users["partner"]
    CaseShare.objects.all().delete()
    Consent.objects.all().delete()
    share = services.share_case(
        cw.case, domain=Domain.YOUTH_CARE, acting_user=cw.world.users["coordinator"]
    )
    assert share.shared_on == cw.today and share.shared_by == cw.world.users["coordinator"]
    assert not services.is_covered(share)
    assert cw.case.pk not in access.partner_access(partner)
    event = AuditEvent.objects.get(action="case.share")
    assert event.extra == {"case": str(cw.case.code), "domain": Domain.YOUTH_CARE, "partner": ""}
    assert event.school == cw.world.a
    services.record_consent(cw.student, **consent_kwargs(cw, domain=Domain.YOUTH_CARE))
    assert services.is_covered(share)
    assert cw.case.pk in access.partner_access(partner)


def test_sharing_with_a_named_partner_is_covered_by_their_domains_consent(caseload_world):
    cw = caseload_world
    partner = cw.world.users["partner"]
    CaseShare.objects.all().delete()
    share = services.share_case(cw.case, partner=partner, acting_user=cw.world.users["bpo"])
    assert services.is_covered(share)  # the youth-care consent covers the partner's domain
    assert access.partner_access(partner) == {cw.case.pk: access.FULL}


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"domain": Domain.YOUTH_CARE}, "domain"),  # already shared with this domain
        ({"partner": "of_school_b"}, "partner"),
        ({"partner": "mentor"}, "partner"),
        ({}, "domain"),
        ({"domain": Domain.SAFETY, "partner": "partner"}, "partner"),
    ],
)
def test_bad_share_input_is_refused(caseload_world, kwargs, field):
    cw = caseload_world
    people = {
        "of_school_b": factories.member(Role.PARTNER, school=cw.world.b),
        "mentor": cw.world.users["mentor"],
        "partner": cw.world.users["partner"],
    }
    kwargs = {k: people.get(v, v) for k, v in kwargs.items()}
    with pytest.raises(ValidationError) as caught:
        services.share_case(cw.case, **kwargs, acting_user=cw.world.users["coordinator"])
    assert field in caught.value.message_dict
    assert CaseShare.objects.count() == 1
    assert not AuditEvent.objects.filter(action="case.share").exists()


def test_a_partner_cannot_share(caseload_world):
    cw = caseload_world
    with pytest.raises(PermissionDenied):
        services.share_case(cw.case, domain=Domain.SAFETY, acting_user=cw.world.users["partner"])


def test_ending_a_share_removes_access_and_cannot_be_repeated(caseload_world):
    cw = caseload_world
    partner = cw.world.users["partner"]
    services.end_share(cw.share, acting_user=cw.world.users["coordinator"])
    cw.share.refresh_from_db()
    assert cw.share.ended_on == cw.today
    assert cw.case.pk not in access.partner_access(partner)
    assert AuditEvent.objects.get(action="case.share_end").extra == {"case": str(cw.case.code)}
    with pytest.raises(ValidationError):
        services.end_share(cw.share, acting_user=cw.world.users["coordinator"])
    # Sharing again after stopping is a new share.
    services.share_case(cw.case, domain=Domain.YOUTH_CARE, acting_user=cw.world.users["bpo"])
    assert cw.case.pk in access.partner_access(partner)


def test_consent_status_names_why(caseload_world):
    cw = caseload_world
    c = cw.consent
    assert services.consent_status(c) == services.VALID
    c.expires_on = cw.today - DAY
    assert services.consent_status(c) == services.EXPIRED
    c.expires_on, c.withdrawn_on = None, cw.today
    assert services.consent_status(c) == services.WITHDRAWN
    c.withdrawn_on, c.given_on = None, cw.today + DAY
    assert services.consent_status(c) == services.NOT_YET
    c.given_on = cw.today - 365 * DAY
    c.student.date_of_birth = years_ago(16)
    assert services.consent_status(c) == services.TURNED_16
    c.student.date_of_birth = years_ago(14)
    c.guardian.has_authority = False
    assert services.consent_status(c) == services.NO_AUTHORITY
    c.given_by, c.guardian = "student", None
    assert services.consent_status(c) == services.TOO_YOUNG


# --- Pages: consent_create and consent_withdraw -----------------------------------------------


def form_data(cw, **overrides) -> dict:
    data = {
        "given_by": "guardian",
        "guardian": str(cw.guardian.code),
        "domain": Domain.YOUTH_HEALTH,
        "partner": "",
        "purpose": "Overleg met de jeugdverpleegkundige",
        "given_on": cw.today.isoformat(),
        "expires_on": "",
    }
    data.update(overrides)
    return data


def test_consent_page_shows_age_and_who_consents_and_records(client, caseload_world):
    cw = caseload_world
    coordinator = cw.world.users["coordinator"]
    other = Guardian.objects.create(
        student=cw.student, name="Piet Zondergezag", relation="father", has_authority=False
    )
    partner_b = factories.member(Role.PARTNER, school=cw.world.b, email="bea@school-b.example")
    sign_in(client, coordinator)
    response = client.get(url("consent_create", cw.student))
    assert response.status_code == 200
    body = response.content.decode()
    assert "14 jaar" in body and "Een ouder/verzorger met gezag" in body
    assert "Ria Jansen" in body and other.name not in body  # guardians with authority only
    assert cw.world.users["partner"].email in body and partner_b.email not in body
    event = AuditEvent.objects.get(action=VIEW_ACTION)
    assert event.extra["what"] == "consent_create"
    assert event.extra["student"] == str(cw.student.code)
    assert event.extra["on_behalf_of"] == Role.COORDINATOR

    response = client.post(url("consent_create", cw.student), form_data(cw))
    assert response.status_code == 302
    assert response.url == reverse("students:student_detail", args=[cw.student.code])
    consent = Consent.objects.get(domain=Domain.YOUTH_HEALTH)
    assert consent.guardian == cw.guardian and consent.recorded_by == coordinator


def test_consent_page_for_a_17_year_old(client, caseload_world):
    cw = caseload_world
    sign_in(client, cw.world.users["bpo"])
    response = client.get(url("consent_create", cw.student16))
    body = response.content.decode()
    assert "17 jaar" in body and "De leerling zelf" in body
    assert response.context["form"]["given_by"].value() == "student"
    response = client.post(
        url("consent_create", cw.student16),
        form_data(cw, given_by="guardian", guardian=""),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "leerling zelf" in form.errors["given_by"][0]
    assert "guardian" in form.errors
    assert not Consent.objects.filter(student=cw.student16).exists()
    response = client.post(
        url("consent_create", cw.student16), form_data(cw, given_by="student", guardian="")
    )
    assert response.status_code == 302
    assert Consent.objects.get(student=cw.student16).given_by == "student"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"given_on": "2999-01-01"}, "given_on"),
        ({"given_on": "gisteren"}, "given_on"),
        ({"expires_on": "2000-01-01"}, "expires_on"),
        ({"domain": "", "partner": ""}, "domain"),
        ({"partner": "00000000-0000-0000-0000-000000000000"}, "partner"),
        ({"given_by": "student", "guardian": ""}, "given_by"),
        ({"purpose": ""}, "purpose"),
    ],
)
def test_bad_consent_form_input_rerenders_with_errors(client, caseload_world, overrides, field):
    cw = caseload_world
    sign_in(client, cw.world.users["coordinator"])
    response = client.post(url("consent_create", cw.student), form_data(cw, **overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert Consent.objects.count() == 1


def test_withdraw_through_the_page(client, caseload_world):
    cw = caseload_world
    sign_in(client, cw.world.users["bpo"])
    response = client.post(url("consent_withdraw", cw.consent), {"withdrawn_on": ""})
    assert response.status_code == 302
    assert response.url == reverse("students:student_detail", args=[cw.student.code])
    cw.consent.refresh_from_db()
    assert cw.consent.withdrawn_on == cw.today
    assert client.get(url("consent_withdraw", cw.consent)).status_code == 405


def test_bad_withdrawal_is_a_message_not_a_change(client, caseload_world):
    cw = caseload_world
    sign_in(client, cw.world.users["bpo"])
    for value in ("2000-01-01", "geen datum"):
        response = client.post(
            url("consent_withdraw", cw.consent), {"withdrawn_on": value}, follow=False
        )
        assert response.status_code == 302
    cw.consent.refresh_from_db()
    assert cw.consent.withdrawn_on is None
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages


# --- Pages: case_share and share_end -------------------------------------------------------------


def test_share_page_lists_shares_and_warns_without_consent(client, caseload_world):
    cw = caseload_world
    sign_in(client, cw.world.users["coordinator"])
    response = client.get(url("case_share", cw.case))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Jeugdhulp" in body and "Geldige toestemming:" in body and "Stoppen" in body
    assert CANARY not in body
    event = AuditEvent.objects.get(action=VIEW_ACTION)
    assert event.extra["what"] == "case_share"
    assert event.object_code == str(cw.case.code)

    response = client.post(
        url("case_share", cw.case), {"domain": Domain.SAFETY, "partner": ""}, follow=True
    )
    body = response.content.decode()
    assert "De casus is gedeeld." in body
    assert "Er is geen geldige toestemming voor dit delen" in body
    assert "Geen geldige toestemming: de partner ziet de casus niet." in body
    assert CaseShare.objects.filter(case=cw.case, domain=Domain.SAFETY).exists()


def test_share_page_bad_input(client, caseload_world):
    cw = caseload_world
    sign_in(client, cw.world.users["coordinator"])
    for data, field in (
        ({"domain": Domain.YOUTH_CARE, "partner": ""}, "domain"),
        ({"domain": "", "partner": ""}, "domain"),
        ({"domain": "police", "partner": ""}, "domain"),
    ):
        response = client.post(url("case_share", cw.case), data)
        assert response.status_code == 200
        assert field in response.context["form"].errors
    assert CaseShare.objects.count() == 1


def test_stop_sharing_through_the_page(client, caseload_world):
    cw = caseload_world
    sign_in(client, cw.world.users["bpo"])
    response = client.post(url("share_end", cw.share), follow=True)
    assert response.redirect_chain[-1][0] == url("case_share", cw.case)
    assert "Het delen is gestopt." in response.content.decode()
    cw.share.refresh_from_db()
    assert cw.share.ended_on == cw.today
    response = client.post(url("share_end", cw.share), follow=True)
    assert "Het delen is al gestopt." in response.content.decode()


def test_partner_gets_403_on_the_share_pages(client, caseload_world):
    cw = caseload_world
    sign_in(client, cw.world.users["partner"])
    assert client.get(url("case_share", cw.case)).status_code == 403
    assert client.post(url("share_end", cw.share)).status_code == 403
    assert CaseShare.objects.get(pk=cw.share.pk).ended_on is None


def test_other_school_gets_404(client, caseload_world):
    cw = caseload_world
    sign_in(client, cw.world.users["coordinator_b"])
    assert client.get(url("consent_create", cw.student)).status_code == 404
    assert client.post(url("consent_withdraw", cw.consent)).status_code == 404
    assert client.get(url("case_share", cw.case)).status_code == 404
    assert client.post(url("share_end", cw.share)).status_code == 404
    assert Consent.objects.get(pk=cw.consent.pk).withdrawn_on is None


# --- Blocks on the student and case pages --------------------------------------------------------


def render_block(template: str, user, **context) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string(template, context, request=request)


def test_student_consents_block(caseload_world):
    cw = caseload_world
    coordinator = cw.world.users["coordinator"]
    old = Consent.objects.create(
        partnership=cw.world.p,
        school=cw.world.a,
        student=cw.student,
        given_by="guardian",
        guardian=cw.guardian,
        domain=Domain.SAFETY,
        purpose="Verzuimoverleg",
        given_on=cw.today - 60 * DAY,
        expires_on=cw.today - 30 * DAY,
    )
    body = render_block("caseload/_student_consents.html", coordinator, student=cw.student)
    assert "Bespreking in het SOT" in body and "Verzuimoverleg" in body
    assert "Geldig" in body and "Verlopen op" in body
    assert url("consent_withdraw", cw.consent) in body
    assert 'name="csrfmiddlewaretoken"' in body
    assert url("consent_create", cw.student) in body
    services.withdraw_consent(old, withdrawn_on=cw.today - 40 * DAY, acting_user=coordinator)
    body = render_block("caseload/_student_consents.html", coordinator, student=cw.student)
    assert "Ingetrokken op" in body and "al ingetrokken" in body
    for persona in ("partner", "mentor", "coordinator_b"):
        body = render_block(
            "caseload/_student_consents.html", cw.world.users[persona], student=cw.student
        )
        assert body.strip() == "", persona


def test_student_consents_block_after_turning_16(caseload_world):
    cw = caseload_world
    cw.student.date_of_birth = years_ago(16)
    cw.student.save()
    Consent.objects.filter(pk=cw.consent.pk).update(given_on=cw.today - 365 * DAY)
    body = render_block(
        "caseload/_student_consents.html", cw.world.users["bpo"], student=cw.student
    )
    assert "de leerling is 16 geworden" in body


def test_student_consents_block_query_count_is_constant(caseload_world):
    cw = caseload_world
    coordinator = cw.world.users["coordinator"]

    def queries() -> int:
        coordinator.__dict__.pop("_passend_file_schools", None)
        coordinator.__dict__.pop("_passend_scope", None)
        with CaptureQueriesContext(connection) as ctx:
            render_block("caseload/_student_consents.html", coordinator, student=cw.student)
        return len(ctx.captured_queries)

    one = queries()
    for i in range(5):
        services.record_consent(
            cw.student,
            **consent_kwargs(cw, purpose=f"Doel {i}", acting_user=coordinator),
        )
    assert queries() == one


def test_case_sharing_block(caseload_world):
    cw = caseload_world
    coordinator = cw.world.users["coordinator"]
    CaseShare.objects.create(
        case=cw.case, domain=Domain.SAFETY, shared_by=coordinator, shared_on=cw.today
    )
    body = render_block("caseload/_case_sharing.html", coordinator, case=cw.case)
    assert "Jeugdhulp" in body and "Veiligheid" in body
    assert "Geen geldige toestemming: de partner ziet de casus niet." in body
    assert url("case_share", cw.case) in body
    assert "Stoppen" not in body  # stopping happens on the share page
    for persona in ("partner", "mentor", "coordinator_b"):
        body = render_block("caseload/_case_sharing.html", cw.world.users[persona], case=cw.case)
        assert body.strip() == "", persona


def test_case_sharing_block_query_count_is_constant(caseload_world):
    cw = caseload_world
    coordinator = cw.world.users["coordinator"]

    def queries() -> int:
        coordinator.__dict__.pop("_passend_file_schools", None)
        coordinator.__dict__.pop("_passend_scope", None)
        with CaptureQueriesContext(connection) as ctx:
            render_block("caseload/_case_sharing.html", coordinator, case=cw.case)
        return len(ctx.captured_queries)

    one = queries()
    for _ in range(4):
        named = factories.member(Role.PARTNER, school=cw.world.a)
        services.share_case(cw.case, partner=named, acting_user=coordinator)
        services.record_consent(
            cw.student, **consent_kwargs(cw, domain="", partner=named, acting_user=coordinator)
        )
    assert queries() == one


def test_attendance_template_holds_the_fixed_data_set_only(caseload_world):
    cw = caseload_world
    body = render_block(
        "caseload/case_attendance.html",
        cw.world.users["partner"],
        case=cw.case,
        student=cw.student,
    )
    for text in ("Sam Jansen", "2B", cw.world.a.name, "Signalering", "niet uitgeschreven"):
        assert text in body, text
    assert "Trekt zich terug" not in body and "Wat heeft Sam nodig" not in body
    assert "niet met de leerplichtambtenaar gedeeld" in body


# --- What a partner sees through the case page (caseload:case_detail) ---------------------------


def _set_state(cw, state: str) -> None:
    today = cw.today
    partner = cw.world.users["partner"]
    only = Consent.objects.filter(pk=cw.consent.pk)
    if state == "none":
        Consent.objects.all().delete()
    elif state == "expired":
        only.update(expires_on=today - DAY)
    elif state == "withdrawn":
        only.update(withdrawn_on=today)
    elif state == "other_domain":
        only.update(domain=Domain.YOUTH_HEALTH)
    elif state == "turned_16_after_parent_consent":
        cw.student.date_of_birth = years_ago(16)
        cw.student.save()
        only.update(given_on=today - 365 * DAY)
    elif state == "named_partner":
        only.update(domain="", partner=partner)
        CaseShare.objects.filter(pk=cw.share.pk).update(domain="", partner=partner)
    elif state == "named_other_partner":
        only.update(domain="", partner=cw.world.users["mentor"])
    elif state == "share_ended":
        CaseShare.objects.filter(pk=cw.share.pk).update(ended_on=today)
    elif state == "no_share":
        CaseShare.objects.all().delete()


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("valid", 200),
        ("none", 404),
        ("expired", 404),
        ("withdrawn", 404),
        ("other_domain", 404),
        ("turned_16_after_parent_consent", 404),
        ("named_partner", 200),
        ("named_other_partner", 404),
        ("share_ended", 404),
        ("no_share", 404),
    ],
)
def test_partner_opens_the_case_page_by_consent_state(client, caseload_world, state, expected):
    cw = caseload_world
    _set_state(cw, state)
    sign_in(client, cw.world.users["partner"])
    response = client.get(url("case_detail", cw.case))
    assert response.status_code == expected
    if expected == 404:
        assert cw.student.full_name not in response.content.decode()
    # The case of school B never opens, whatever the state.
    assert client.get(url("case_detail", cw.case_b)).status_code == 404


def test_withdrawing_through_the_page_closes_the_case_on_the_next_request(client, caseload_world):
    cw = caseload_world
    partner_client = client.__class__()
    sign_in(partner_client, cw.world.users["partner"])
    assert partner_client.get(url("case_detail", cw.case)).status_code == 200
    sign_in(client, cw.world.users["coordinator"])
    assert client.post(url("consent_withdraw", cw.consent)).status_code == 302
    assert partner_client.get(url("case_detail", cw.case)).status_code == 404


def test_stopping_the_share_through_the_page_closes_the_case(client, caseload_world):
    cw = caseload_world
    partner_client = client.__class__()
    sign_in(partner_client, cw.world.users["partner"])
    assert partner_client.get(url("case_detail", cw.case)).status_code == 200
    sign_in(client, cw.world.users["bpo"])
    assert client.post(url("share_end", cw.share)).status_code == 302
    assert partner_client.get(url("case_detail", cw.case)).status_code == 404


def _canary_case(cw) -> SupportCase:
    case = cw.case
    case.signal = f"Signaal {CANARY}"
    case.question = f"Vraag {CANARY}"
    case.save()
    cw.contact.notes = f"Notitie {CANARY}"
    cw.contact.save()
    cw.observation.report = f"Verslag {CANARY}"
    cw.observation.save()
    cw.recommendation.text = f"Advies {CANARY}"
    cw.recommendation.save()
    return case


def test_leerplicht_partner_sees_the_attendance_page_without_the_narrative(client, caseload_world):
    from passend.organisations.models import SupportTeamMember

    cw = caseload_world
    partner = cw.world.users["partner"]
    case = _canary_case(cw)
    SupportTeamMember.objects.filter(user=partner).update(domain=Domain.SAFETY)
    Consent.objects.filter(pk=cw.consent.pk).update(domain=Domain.SAFETY)
    CaseShare.objects.filter(pk=cw.share.pk).update(domain=Domain.SAFETY)
    sign_in(client, partner)
    response = client.get(url("case_detail", case))
    assert response.status_code == 200
    assert "caseload/case_attendance.html" in [t.name for t in response.templates]
    body = response.content.decode()
    assert CANARY not in body
    assert "Sam Jansen" in body and "niet met de leerplichtambtenaar gedeeld" in body
    for narrative in ("Trekt zich terug", "Gesprek met moeder", "Rustige les", "Vaste plek"):
        assert narrative not in body


def test_youth_care_partner_sees_the_case_but_not_the_sharing_block(client, caseload_world):
    cw = caseload_world
    _canary_case(cw)
    sign_in(client, cw.world.users["partner"])
    response = client.get(url("case_detail", cw.case))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Delen met SOT-partners" not in body
    assert url("case_share", cw.case) not in body
