"""The application pages end to end through the test client (passend/applications/views): the
school draws up a TLV application from a case and submits it, the SWV reviews and decides, an
objection and closing; bad input gives the form again with the error on its field and writes
nothing; the dossier PDF has the two expert advices and nothing of the parts the consent
excludes (and the SWV's page neither); who sees which application (personas × draft/submitted,
the other partnership's admin 404); the lists and the dossier page keep a constant number of
queries."""

from __future__ import annotations

import datetime
import time
import uuid

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from passend.accounts.choices import Role
from passend.accounts.middleware import SESSION_STARTED_KEY
from passend.applications import services
from passend.applications.choices import ApplicationKind, ApplicationStatus, DossierPart
from passend.applications.models import (
    Application,
    ApplicationStatusChange,
    DossierConsent,
    ExpertAdvice,
)
from passend.applications.views.applications import dossier_pdf_bytes
from passend.audit.models import AuditEvent
from passend.caseload.models import Approach, Contact, Observation, Recommendation, SupportCase
from passend.plans.choices import PlanStatus
from passend.plans.models import DevelopmentPlan, PlanGoal
from passend.privacy.audit import VIEW_ACTION
from passend.students.models import Student
from tests import factories
from tests.authz import PERSONAS
from tests.fixtures_applications import (
    ADVICE_ORTHO,
    ADVICE_OTHER,
    granted,
    ready_draft,
    submitted,
)
from tests.fixtures_caseload import years_ago
from tests.pdftext import pdf_text

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _plain_settings(settings):
    settings.REQUIRE_2FA = False


def sign_in(client, user) -> None:
    client.logout()
    client.force_login(user)
    session = client.session
    session[SESSION_STARTED_KEY] = time.time()
    session.save()


def url(name: str, obj) -> str:
    return reverse(f"applications:{name}", args=[obj.code])


def body(response) -> str:
    return response.content.decode()


def written() -> dict:
    return {
        "applications": Application.objects.count(),
        "steps": ApplicationStatusChange.objects.count(),
        "advices": ExpertAdvice.objects.count(),
        "consents": DossierConsent.objects.count(),
        "audit": AuditEvent.objects.exclude(action=VIEW_ACTION).count(),
    }


# --- The whole way through the pages -----------------------------------------------------------


def test_draft_to_decision_through_the_pages(client, caseload_world):
    cw = caseload_world
    users = cw.world.users
    sign_in(client, users["bpo"])
    response = client.get(url("application_create", cw.case))
    assert response.status_code == 200
    assert "Leerwegondersteunend" not in body(response)  # LWOO is not in use by default
    response = client.post(url("application_create", cw.case), {"kind": "tlv_vso"})
    application = Application.objects.get(case=cw.case)
    assert response.status_code == 302 and response.url == url("application_edit", application)
    assert application.question == cw.case.question

    response = client.post(
        url("application_edit", application),
        {
            "kind": "tlv_vso",
            "question": "Welke school past bij Sam?",
            "tried": "Een jaar begeleiding in de klas.",
            "observations": [str(cw.observation.code)],
            "recommendations": [str(cw.recommendation.code)],
            "mdo_on": cw.today.isoformat(),
        },
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.tried == "Een jaar begeleiding in de klas."
    assert list(application.observations.all()) == [cw.observation]
    assert application.mdo_on == cw.today

    # Submitting too early: the page says what is missing, nothing changes.
    response = client.post(url("application_submit", application), follow=True)
    assert "Leg eerst de toestemming vast" in body(response)
    assert "twee deskundigen" in body(response)
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.DRAFT

    for profession, name, text in (
        ("psychologist", "Drs. P. Psycholoog", "Advies van de psycholoog."),
        ("physician", "Dr. J. Arts", "Advies van de jeugdarts."),
    ):
        response = client.post(
            url("advice_create", application),
            {
                "profession": profession,
                "name": name,
                "given_on": cw.today.isoformat(),
                "advice": text,
                "independent": "on",
            },
        )
        assert response.status_code == 302
    response = client.post(
        url("dossier_consent", application),
        {
            "given_by": "guardian",
            "guardian": str(cw.guardian.code),
            "given_on": cw.today.isoformat(),
            "parts": ["question", "tried"],
        },
    )
    assert response.status_code == 302
    assert DossierConsent.objects.get(application=application).parts == ["question", "tried"]
    response = client.post(url("application_submit", application), follow=True)
    assert "De aanvraag is ingediend bij het SWV." in body(response)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED

    sign_in(client, users["consultant"])
    page = client.get(reverse("applications:swv_list", args=[cw.world.p.code]))
    assert url("application_detail", application) in body(page)
    client.post(url("application_review", application))
    response = client.post(
        url("application_decide", application),
        {
            "outcome": "granted",
            "decision_number": "TLV-26-7",
            "decided_on": cw.today.isoformat(),
            "category": "M",
            "starts_on": cw.today.isoformat(),
            "ends_on": "",
        },
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.GRANTED and application.category == "M"
    assert application.ends_on.month == 7 and application.ends_on.day == 31
    assert application.decided_by == users["consultant"]

    response = client.post(
        url("application_objection", application), {"filed_on": cw.today.isoformat()}
    )
    assert response.status_code == 302
    client.post(url("application_close", application))
    application.refresh_from_db()
    assert application.status == ApplicationStatus.CLOSED
    page = body(client.get(url("application_detail", application)))
    assert "Midden (M)" in page and "TLV-26-7" in page


# --- Bad input ----------------------------------------------------------------------------------


def test_bad_input_shows_the_form_again_and_writes_nothing(client, applications_world):
    aw = applications_world
    cw = aw.cw
    sign_in(client, cw.world.users["bpo"])
    before = written()
    cases = [
        (
            url("advice_create", aw.draft),
            {"profession": "psychologist", "name": "", "given_on": "", "advice": "x"},
            ["name", "given_on"],
        ),
        (
            url("advice_create", aw.draft),
            {
                "profession": "psychologist",
                "name": "Iemand",
                "given_on": (cw.today + DAY).isoformat(),
                "advice": "x",
            },
            ["given_on"],
        ),
        (
            url("dossier_consent", aw.draft),
            {"given_by": "student", "given_on": cw.today.isoformat()},
            ["given_by"],
        ),
        (
            url("application_edit", aw.draft),
            {"kind": "lwoo", "question": "", "tried": ""},
            ["kind"],
        ),
        (
            url("application_edit", aw.draft),
            {"kind": "tlv_vso", "observations": [str(uuid.uuid4())]},
            ["observations"],
        ),
        (url("application_create", cw.case), {"kind": ""}, ["kind"]),
    ]
    for address, data, fields in cases:
        response = client.post(address, data)
        assert response.status_code == 200, (address, data)
        form = response.context["form"]
        for name in fields:
            assert form.errors.get(name), (address, name, form.errors)
        assert 'aria-invalid="true"' in body(response)
    assert written() == before

    sign_in(client, cw.world.users["consultant"])
    decide = url("application_decide", aw.reviewing)
    response = client.post(
        decide,
        {
            "outcome": "granted",
            "decision_number": "B-9",
            "decided_on": cw.today.isoformat(),
            "category": "",
            "starts_on": cw.today.isoformat(),
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["category"]
    response = client.post(decide, {"outcome": "maybe", "decided_on": "morgen"})
    assert response.status_code == 200
    assert {"outcome", "decision_number", "decided_on"} <= set(response.context["form"].errors)
    assert written() == before


def test_a_late_objection_is_refused_on_its_field(client, caseload_world):
    cw = caseload_world
    with time_machine.travel(datetime.datetime(2026, 1, 5, 9), tick=False):
        cw.today = datetime.date(2026, 1, 5)
        application = granted(cw)
    sign_in(client, cw.world.users["consultant"])
    with time_machine.travel(datetime.datetime(2026, 3, 1, 9), tick=False):
        response = client.post(
            url("application_objection", application), {"filed_on": "2026-02-17"}
        )  # day 43
        assert response.status_code == 200
        errors = response.context["form"].errors["filed_on"]
        assert "Te laat" in errors[0] and "16 februari 2026" in errors[0]
        assert Application.objects.get(pk=application.pk).objection_filed_on is None
        response = client.post(
            url("application_objection", application), {"filed_on": "2026-02-16"}
        )  # day 42
        assert response.status_code == 302
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.OBJECTION


# --- The dossier for the SWV: only what the consent includes ------------------------------------


def _fill_every_part(cw, application) -> dict[str, list[str]]:
    """A unique text in every field of every part of the dossier: {part: [texts]}."""
    tag = uuid.uuid4().hex[:8]

    def mark(name):
        return f"X{name}{tag}"

    texts = {
        DossierPart.QUESTION: [mark("vraag")],
        DossierPart.TRIED: [mark("geprobeerd")],
        DossierPart.OBSERVATIONS: [mark("les"), mark("docent"), mark("observatie")],
        DossierPart.RECOMMENDATIONS: [mark("advies"), mark("aanpak")],
        DossierPart.CONTACTS: [mark("contactpersoon")],
        DossierPart.PLAN: [mark("onderbouwing"), mark("belemmerend"), mark("doel")],
    }
    application.question = texts[DossierPart.QUESTION][0]
    application.tried = texts[DossierPart.TRIED][0]
    application.save(update_fields=["question", "tried"])
    Observation.objects.filter(pk=cw.observation.pk).update(
        lesson=texts[DossierPart.OBSERVATIONS][0], teacher_name=texts[DossierPart.OBSERVATIONS][1]
    )
    cw.observation.refresh_from_db()
    cw.observation.report = texts[DossierPart.OBSERVATIONS][2]
    cw.observation.save()
    cw.recommendation.text = texts[DossierPart.RECOMMENDATIONS][0]
    cw.recommendation.save()
    approach = Approach.objects.create(
        partnership=cw.world.p, name=texts[DossierPart.RECOMMENDATIONS][1], kind="method"
    )
    cw.recommendation.approaches.add(approach)
    Contact.objects.filter(pk=cw.contact.pk).update(with_whom=texts[DossierPart.CONTACTS][0])
    plan = DevelopmentPlan.objects.create(
        partnership=cw.world.p,
        school=cw.world.a,
        student=cw.student,
        status=PlanStatus.SET,
        trigger_date=cw.today - 30 * DAY,
        set_on=cw.today,
        exit_destination="havo",
        exit_explanation=texts[DossierPart.PLAN][0],
        hindering_factors=texts[DossierPart.PLAN][1],
    )
    PlanGoal.objects.create(
        partnership=cw.world.p, school=cw.world.a, plan=plan, goal=texts[DossierPart.PLAN][2]
    )
    return texts


@pytest.mark.parametrize(
    "parts",
    [
        [],
        list(DossierPart.values),
        [DossierPart.QUESTION, DossierPart.CONTACTS, DossierPart.PLAN],
        [DossierPart.TRIED, DossierPart.OBSERVATIONS, DossierPart.RECOMMENDATIONS],
    ],
    ids=["nothing", "everything", "question-contacts-plan", "tried-observations-recommendations"],
)
def test_dossier_pdf_has_both_advices_and_only_the_consented_parts(client, caseload_world, parts):
    cw = caseload_world
    application = submitted(cw, parts=parts)
    texts = _fill_every_part(cw, application)
    text = pdf_text(dossier_pdf_bytes(application, uncompressed=True))
    assert ADVICE_ORTHO in text and ADVICE_OTHER in text
    assert "Drs. O. Pedagoog" in text and "Orthopedagoog" in text
    assert cw.student.full_name in text
    for part, values in texts.items():
        for value in values:
            if part in parts:
                assert value in text, (part, value)
            else:
                assert value not in text, (part, value)

    # The SWV's page shows the same parts; the school's page shows everything.
    sign_in(client, cw.world.users["consultant"])
    page = body(client.get(url("application_detail", application)))
    assert ADVICE_ORTHO in page and ADVICE_OTHER in page
    for part, values in texts.items():
        for value in values:
            assert (value in page) == (part in parts), (part, value)
    response = client.get(url("dossier_pdf", application))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    sign_in(client, cw.world.users["coordinator"])
    page = body(client.get(url("application_detail", application)))
    for values in texts.values():
        for value in values:
            assert value in page


def test_there_is_no_bsn_in_passend_or_the_dossier(caseload_world):
    """The student record has no BSN field (passend.students.models); the dossier cannot show
    one."""
    names = {f.name.lower() for f in Student._meta.get_fields()}
    assert not {n for n in names if "bsn" in n or "burgerservice" in n}
    for model in (Application, ExpertAdvice, DossierConsent):
        assert not any("bsn" in f.name.lower() for f in model._meta.get_fields())
    text = pdf_text(dossier_pdf_bytes(submitted(caseload_world), uncompressed=True))
    assert "BSN" not in text and "burgerservicenummer" not in text.lower()


def test_reading_the_dossier_is_audited_on_behalf_of_the_swv_role(client, applications_world):
    aw = applications_world
    users = aw.world.users
    for persona, address in (
        ("consultant", url("application_detail", aw.submitted)),
        ("partnership_admin", url("dossier_pdf", aw.submitted)),
        ("coordinator", url("application_detail", aw.submitted)),
        ("bpo", url("application_edit", aw.draft)),
    ):
        sign_in(client, users[persona])
        mark = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
        response = client.get(address)
        assert response.status_code == 200
        b"".join(getattr(response, "streaming_content", [b""]))
        event = AuditEvent.objects.get(pk__gt=mark, action=VIEW_ACTION)
        assert event.actor == users[persona]
        assert event.extra["on_behalf_of"] == persona
        assert event.extra["student"] == str(aw.student.code)


def test_an_swv_wide_consultant_reads_on_behalf_of_the_consultant_role(client, applications_world):
    aw = applications_world
    wide = factories.member(Role.CONSULTANT, partnership=aw.world.p)
    sign_in(client, wide)
    mark = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    assert client.get(url("application_detail", aw.granted)).status_code == 200
    event = AuditEvent.objects.get(pk__gt=mark, action=VIEW_ACTION)
    assert event.extra["on_behalf_of"] == "consultant"
    assert event.partnership_id == aw.world.p.pk and event.school_id == aw.world.a.pk


def test_the_partnership_page_leads_the_swv_to_its_list(client, applications_world):
    aw = applications_world
    swv_list = reverse("applications:swv_list", args=[aw.world.p.code])
    page = reverse("organisations:partnership_detail", args=[aw.world.p.code])
    for persona, linked in (
        ("partnership_admin", True),
        ("consultant", True),
        ("office", False),
        ("coordinator", False),
        ("director", False),
    ):
        sign_in(client, aw.world.users[persona])
        assert (swv_list in body(client.get(page))) == linked, persona


# --- Who sees what -----------------------------------------------------------------------------

DRAFT_READERS = {"coordinator", "bpo"}
SUBMITTED_READERS = DRAFT_READERS | {"consultant", "partnership_admin"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_swv_sees_an_application_only_once_submitted(client, applications_world, persona):
    """Personas × draft/submitted: the consultant of A and P's admin see the submitted ones,
    never a draft; Q's admin (``other_swv``) and everyone else outside get 404."""
    aw = applications_world
    if persona != "anonymous":
        sign_in(client, aw.world.users[persona])
    for application, readers in ((aw.draft, DRAFT_READERS), (aw.submitted, SUBMITTED_READERS)):
        for name in ("application_detail", "dossier_pdf"):
            response = client.get(url(name, application))
            if persona == "anonymous":
                assert response.status_code == 302
            else:
                expected = 200 if persona in readers else 404
                assert response.status_code == expected, (persona, application.status, name)


def test_swv_lists_show_submitted_applications_of_their_own_schools(client, applications_world):
    aw = applications_world
    users = aw.world.users
    wide = factories.member(Role.CONSULTANT, partnership=aw.world.p)  # SWV-wide
    only_b = factories.member(Role.CONSULTANT, school=aw.world.b)  # assigned to school B
    swv_list = reverse("applications:swv_list", args=[aw.world.p.code])
    for user, shown in (
        (users["consultant"], True),
        (users["partnership_admin"], True),
        (wide, True),
        (only_b, False),
    ):
        sign_in(client, user)
        response = client.get(swv_list)
        assert response.status_code == 200
        page = body(response)
        assert (url("application_detail", aw.submitted) in page) == shown
        assert url("application_detail", aw.draft) not in page
        expected = 200 if shown else 404
        assert client.get(url("application_detail", aw.submitted)).status_code == expected
        assert client.get(url("application_detail", aw.draft)).status_code == 404
    sign_in(client, users["other_swv"])
    assert client.get(swv_list).status_code == 404
    own = client.get(reverse("applications:swv_list", args=[aw.world.q.code]))
    assert own.status_code == 200
    assert aw.student.full_name not in body(own)

    sign_in(client, users["coordinator"])
    page = body(client.get(reverse("applications:school_list", args=[aw.world.a.code])))
    assert url("application_detail", aw.draft) in page  # the school's own drafts
    assert url("application_detail", aw.submitted) in page


def test_list_filters(client, applications_world):
    aw = applications_world
    sign_in(client, aw.world.users["partnership_admin"])
    swv_list = reverse("applications:swv_list", args=[aw.world.p.code])
    page = body(client.get(swv_list, {"kind": "arrangement_op_maat"}))
    assert url("application_detail", aw.submitted) in page
    assert url("application_detail", aw.granted) not in page
    page = body(client.get(swv_list, {"status": "granted"}))
    assert url("application_detail", aw.granted) in page
    assert url("application_detail", aw.submitted) not in page
    page = body(client.get(swv_list, {"school": str(aw.world.b.code)}))
    assert url("application_detail", aw.granted) not in page
    response = client.get(swv_list, {"status": "draft", "school": "nonsense"})
    assert response.status_code == 200  # an invalid filter shows the unfiltered list
    assert 'value="draft"' not in body(response)  # the SWV has no drafts to filter on
    sign_in(client, aw.world.users["bpo"])
    school_list = reverse("applications:school_list", args=[aw.world.a.code])
    page = body(client.get(school_list, {"status": "draft"}))
    assert url("application_detail", aw.draft) in page
    assert url("application_detail", aw.granted) not in page


def test_the_admin_chooses_the_kinds_on_a_page(client, applications_world):
    aw = applications_world
    address = reverse("applications:kinds_edit", args=[aw.world.p.code])
    sign_in(client, aw.world.users["partnership_admin"])
    response = client.post(address, {"kinds": []})
    assert response.status_code == 200 and response.context["form"].errors["kinds"]
    response = client.post(address, {"kinds": ["tlv_vso", "lwoo"]})
    assert response.status_code == 302
    sign_in(client, aw.world.users["bpo"])
    page = body(client.get(url("application_create", aw.cw.case)))
    assert "Leerwegondersteunend" in page and "Arrangement Op Maat" not in page


# --- Query counts -------------------------------------------------------------------------------


def _count(client, address: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
        assert response.status_code == 200
    return len(queries)


def _more_applications(cw, count: int, start: int) -> None:
    """``count`` submitted applications at schools A and B, each for its own student and case."""
    schools = [cw.world.a, cw.world.b]
    students = Student.objects.bulk_create(
        Student(
            partnership=cw.world.p,
            school=schools[n % 2],
            student_number=str(start + n),
            first_name=f"Kind{n}",
            last_name="Bakker",
            date_of_birth=years_ago(13),
            enrolled_on=cw.year.start,
        )
        for n in range(count)
    )
    cases = SupportCase.objects.bulk_create(
        SupportCase(
            partnership=cw.world.p,
            school=s.school,
            student=s,
            signal_source="mentor",
            signalled_on=cw.today,
            signal="Signaal.",
        )
        for s in students
    )
    Application.objects.bulk_create(
        Application(
            partnership=cw.world.p,
            school=c.school,
            student=c.student,
            case=c,
            kind=ApplicationKind.TLV_PRO,
            status=ApplicationStatus.SUBMITTED,
            submitted_on=cw.today,
        )
        for c in cases
    )


def test_the_lists_keep_a_constant_number_of_queries(client, applications_world):
    aw = applications_world
    cw = aw.cw
    school_list = reverse("applications:school_list", args=[aw.world.a.code])
    swv_list = reverse("applications:swv_list", args=[aw.world.p.code])
    _more_applications(cw, 2, 7000)
    sign_in(client, aw.world.users["coordinator"])
    client.get(school_list)
    few_school = _count(client, school_list)
    sign_in(client, aw.world.users["partnership_admin"])
    client.get(swv_list)
    few_swv = _count(client, swv_list)
    _more_applications(cw, 30, 7100)
    assert Application.objects.filter(school=aw.world.a).count() > 15
    assert _count(client, swv_list) == few_swv
    sign_in(client, aw.world.users["coordinator"])
    client.get(school_list)
    assert _count(client, school_list) == few_school


def _grow(cw, application, n: int) -> None:
    """``n`` more observations, recommendations (each citing its own approach), contacts and
    advices in the dossier, and status steps."""
    for i in range(n):
        observation = Observation.objects.create(
            case=cw.case, date=cw.today, report=f"Observatie {i}.", author=factories.user()
        )
        recommendation = Recommendation.objects.create(
            case=cw.case, date=cw.today, audience="teacher", text=f"Advies {i}."
        )
        recommendation.approaches.add(
            Approach.objects.create(
                partnership=cw.world.p, name=f"Aanpak {uuid.uuid4()}", kind="method"
            )
        )
        application.observations.add(observation)
        application.recommendations.add(recommendation)
        Contact.objects.create(case=cw.case, date=cw.today, kind="parents", with_whom=f"C{i}")
        ExpertAdvice.objects.create(
            partnership=cw.world.p,
            school=cw.world.a,
            application=application,
            profession="other",
            name=f"Deskundige {i}",
            given_on=cw.today,
            advice=f"Deskundig advies {i}.",
            independent=True,
        )
        ApplicationStatusChange.objects.create(
            partnership=cw.world.p,
            school=cw.world.a,
            application=application,
            to_status="submitted",
            changed_by=factories.user(),
        )


def test_the_dossier_page_keeps_a_constant_number_of_queries(client, caseload_world):
    cw = caseload_world
    application = ready_draft(cw)
    address = url("application_detail", application)
    for persona in ("coordinator", "consultant"):
        if persona == "consultant":
            services.submit_application(application, acting_user=cw.world.users["bpo"])
        sign_in(client, cw.world.users[persona])
        client.get(address)
        few = _count(client, address)
        _grow(cw, application, 12)
        page = client.get(address)
        assert f"Deskundig advies {11}." in body(page)
        assert _count(client, address) == few, persona
