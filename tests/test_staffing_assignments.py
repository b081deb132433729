"""BPO assignments and qualifications: the aspect-13 rule on every combination of the seed's
wording; assignments through HTTP (create, edit, end, agreement download) with audit events; who
may do what; the derived evidence of aspects 1–6 and 13 (a hire-in without the agreement on
management flagged for aspect 6); BPO+; uploads; bad input; query counts."""

from __future__ import annotations

import itertools
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from passend.accounts.choices import Role
from passend.accounts.middleware import SESSION_STARTED_KEY
from passend.audit.models import AuditEvent
from passend.quality.evidence import PROVIDERS, derived_evidence
from passend.staffing import services
from passend.staffing.choices import (
    TEACHING_KINDS,
    AssignmentKind,
    EmploymentType,
    QualificationKind,
)
from passend.staffing.models import BpoAssignment, Qualification
from passend.staffing.rules import ASPECT_13
from tests import factories
from tests.fixtures_staffing import PDF, pdf

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
SCRIPT = "<script>alert(1)</script>"
K = QualificationKind


@pytest.fixture(autouse=True)
def _plain_settings(settings):
    settings.REQUIRE_2FA = False


def sign_in(client, user) -> None:
    client.logout()
    client.force_login(user)
    session = client.session
    session[SESSION_STARTED_KEY] = time.time()
    session.save()


def actions(obj) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_code=str(obj.code))
        .order_by("pk")
        .values_list("action", flat=True)
    )


def media_files(settings) -> list:
    root = settings.MEDIA_ROOT
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


# --- The aspect-13 rule ---------------------------------------------------------------------------

# Every combination in the seed's wording: "onderwijsbevoegdheid (PO/ V(S)O) in combinatie met
# minimaal een HBO-opleiding speciale onderwijszorg (Master SEN) […] óf minimaal een
# HBO-opleiding […] psychologie of orthopedagogiek".
RULE_CASES = [
    # (kinds, met, words in the reason)
    ([K.TEACHING_PO, K.SEN], True, ["onderwijsbevoegdheid (PO)", "speciale onderwijszorg"]),
    ([K.TEACHING_VO, K.SEN], True, ["onderwijsbevoegdheid (VO)", "speciale onderwijszorg"]),
    ([K.TEACHING_VSO, K.SEN], True, ["onderwijsbevoegdheid (VSO)", "speciale onderwijszorg"]),
    (
        [K.TEACHING_PO, K.TEACHING_VO, K.SEN],
        True,
        ["onderwijsbevoegdheid (PO/VO)", "werkervaring"],
    ),
    ([K.PSYCHOLOGY], True, ["psychologie of orthopedagogiek", "volstaat"]),
    ([K.PSYCHOLOGY, K.OTHER], True, ["psychologie of orthopedagogiek"]),
    ([K.PSYCHOLOGY, K.TEACHING_VO], True, ["psychologie of orthopedagogiek"]),
    ([K.TEACHING_PO], False, ["onderwijsbevoegdheid (PO)", "geen opleiding speciale"]),
    ([K.TEACHING_VO], False, ["onderwijsbevoegdheid (VO)", "geen opleiding speciale"]),
    ([K.TEACHING_VSO], False, ["onderwijsbevoegdheid (VSO)", "geen opleiding speciale"]),
    ([K.TEACHING_VO, K.OTHER], False, ["geen opleiding speciale onderwijszorg"]),
    ([K.SEN], False, ["speciale onderwijszorg", "geen onderwijsbevoegdheid"]),
    ([K.SEN, K.OTHER], False, ["geen onderwijsbevoegdheid"]),
    ([K.OTHER], False, ["Alleen overige opleidingen"]),
    ([], False, ["Geen opleidingen vastgelegd"]),
]


@pytest.mark.parametrize(("kinds", "met", "words"), RULE_CASES)
def test_aspect_13_rule(kinds, met, words):
    result = ASPECT_13.evaluate(kinds)
    assert result.met is met
    text = " ".join(result.reasons)
    for word in words:
        assert word in text, (kinds, text)


def test_orthopedagogy_is_the_same_kind_as_psychology():
    # One kind holds both: a master orthopedagogiek is recorded as that kind and meets aspect 13.
    assert "orthopedagogiek" in str(K.PSYCHOLOGY.label)
    assert "psychologie" in str(K.PSYCHOLOGY.label)
    assert ASPECT_13.evaluate([K.PSYCHOLOGY.value]).met


def test_aspect_13_rule_on_every_subset_of_kinds():
    """For all 64 sets of kinds the verdict is the seed's formula, always with a reason."""
    kinds = list(K.values)
    for size in range(len(kinds) + 1):
        for subset in itertools.combinations(kinds, size):
            chosen = set(subset)
            expected = (bool(chosen & TEACHING_KINDS) and K.SEN in chosen) or (
                K.PSYCHOLOGY in chosen
            )
            result = ASPECT_13.evaluate(chosen)
            assert result.met is expected, chosen
            assert result.reasons and all(result.reasons), chosen


def test_verdict_and_reasons_on_the_bpo_page(client, staffing_world):
    sw = staffing_world
    sign_in(client, sw.bpo)
    body = client.get(reverse("staffing:my_staffing")).content.decode()
    assert "Aspect 13 (opleiding en deskundigheid): voldoet" in body
    assert "onderwijsbevoegdheid (VO)" in body
    assert "Master Educational Needs" in body
    # Remove the SEN master: teaching alone does not meet aspect 13, with the reason.
    client.post(reverse("staffing:qualification_delete", args=[sw.qualification.code]))
    body = client.get(reverse("staffing:my_staffing")).content.decode()
    assert "voldoet (nog) niet" in body
    assert "geen opleiding speciale onderwijszorg" in body


# --- Assignments through HTTP ---------------------------------------------------------------------


def form_data(year, person, **over) -> dict:
    data = {
        "school_year": year.name,
        "bpo": str(person.code),
        "kind": AssignmentKind.REGULAR,
        "request_note": "",
        "hours_per_week": "8",
        "annual_hours": "",
        "employment_type": EmploymentType.SCHOOL,
        "employer_name": "",
        "manager": "",
        "manager_name": "",
        "management_agreement_date": "",
        "salary_scale": "",
        "start_date": year.start.isoformat(),
        "end_date": "",
        "presence_days": ["mon", "wed"],
        "presence_note": "",
    }
    data.update(over)
    return {k: v for k, v in data.items() if v is not None}


def edit_data(assignment, **over) -> dict:
    data = form_data(assignment.school_year, assignment.bpo)
    for name in ("school_year", "bpo", "kind"):
        del data[name]
    data.update(
        hours_per_week=str(assignment.hours_per_week),
        employment_type=assignment.employment_type,
        employer_name=assignment.employer_name,
        manager_name=assignment.manager_name,
        presence_days=list(assignment.presence_days),
    )
    data.update(over)
    return {k: v for k, v in data.items() if v is not None}


def test_create_edit_end_and_download_with_audit(client, staffing_world, settings):
    sw = staffing_world
    w = sw.world
    newcomer = factories.member(Role.BPO, school=w.a)
    sign_in(client, w.users["coordinator"])
    create = reverse("staffing:assignment_create", args=[w.a.code])
    page = client.get(create)
    assert page.status_code == 200
    # The BPO choice lists the SWV's BPOs by public code, not other partnerships' people.
    body = page.content.decode()
    assert str(newcomer.code) in body and str(sw.bpo_b.code) in body
    assert str(w.users["other_swv"].code) not in body and f'value="{newcomer.pk}"' not in body

    data = form_data(
        sw.year,
        newcomer,
        hours_per_week="12,5",
        annual_hours="500",
        manager=str(w.users["director"].code),
        salary_scale="11",
        workplace_confirmed="on",
        student_system_access="on",
        presence_note="Bij het SOT op dinsdag",
    )
    response = client.post(create, data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    assignment = BpoAssignment.objects.get(bpo=newcomer)
    assert response.url == reverse("staffing:assignment_detail", args=[assignment.code])
    assert assignment.hours_per_week == Decimal("12.5")
    assert assignment.annual_hours == Decimal("500")
    assert assignment.manager == w.users["director"]
    assert assignment.presence_days == ["mon", "wed"]
    assert assignment.partnership == w.p and assignment.school == w.a
    assert actions(assignment) == ["assignment.create"]
    event = AuditEvent.objects.get(object_code=str(assignment.code))
    assert event.actor == w.users["coordinator"] and event.school == w.a
    assert event.extra["bpo"] == str(newcomer.code)

    detail = client.get(response.url).content.decode()
    assert newcomer.full_name in detail and "12,5" in detail
    assert "Werkplek op school bevestigd" in detail

    # Edit: hire in, with the agreement on management and its date.
    edit = reverse("staffing:assignment_edit", args=[assignment.code])
    assert client.get(edit).status_code == 200
    data = edit_data(
        assignment,
        employment_type=EmploymentType.HIRED,
        employer_name="Bureau Buitenaf",
        management_agreement_date=sw.year.start.isoformat(),
        management_agreement=pdf("Overeenkomst aansturing.pdf"),
        manager=str(w.users["director"].code),
    )
    assert client.post(edit, data).status_code == 302
    assignment.refresh_from_db()
    assert assignment.employment_type == EmploymentType.HIRED
    assert assignment.management_agreement_filename == "Overeenkomst aansturing.pdf"
    assert "Overeenkomst" not in assignment.management_agreement.name  # random name on disk
    assert not assignment.lacks_management_agreement
    update = AuditEvent.objects.filter(action="assignment.update").latest("pk")
    assert {"employment_type", "management_agreement"} <= set(update.extra["fields"])

    # Download: an attachment, audited.
    download = client.get(reverse("staffing:assignment_agreement", args=[assignment.code]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == PDF
    assert AuditEvent.objects.filter(action="assignment.agreement_download").count() == 1

    # End.
    end = sw.year.start + timedelta(days=60)
    response = client.post(
        reverse("staffing:assignment_end", args=[assignment.code]), {"end_date": end.isoformat()}
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.end_date == end
    assert actions(assignment) == [
        "assignment.create",
        "assignment.update",
        "assignment.agreement_download",
        "assignment.end",
    ]
    # Ending before the start is refused with a message; nothing changes.
    response = client.post(
        reverse("staffing:assignment_end", args=[assignment.code]),
        {"end_date": (sw.year.start - timedelta(days=1)).isoformat()},
        follow=True,
    )
    assert "vóór de begindatum" in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.end_date == end

    # Replacing the agreement deletes the old file; removing it flags aspect 6 again.
    old = settings.MEDIA_ROOT / assignment.management_agreement.name
    assert old.exists()
    data = edit_data(
        assignment,
        management_agreement_date=sw.year.start.isoformat(),
        end_date=end.isoformat(),
        remove_agreement="on",
    )
    assert client.post(edit, data).status_code == 302
    assignment.refresh_from_db()
    assert not assignment.management_agreement and assignment.lacks_management_agreement


@pytest.mark.django_db(transaction=True)
def test_replaced_agreement_file_is_deleted(client, staffing_world, settings):
    sw = staffing_world
    a = sw.assignment_a
    old = settings.MEDIA_ROOT / a.management_agreement.name
    assert old.exists()
    sign_in(client, sw.world.users["director"])
    data = edit_data(
        a,
        management_agreement=pdf("Nieuw.pdf"),
        management_agreement_date=sw.year.start.isoformat(),
        manager=str(sw.world.users["director"].code),
    )
    assert client.post(reverse("staffing:assignment_edit", args=[a.code]), data).status_code == 302
    a.refresh_from_db()
    assert a.management_agreement_filename == "Nieuw.pdf"
    assert not old.exists()
    assert (settings.MEDIA_ROOT / a.management_agreement.name).exists()


ROLE_CASES = {
    # persona: (list/detail status, edit status)
    "director": (200, 200),
    "coordinator": (200, 200),
    "partnership_admin": (200, 200),
    "consultant": (200, 403),
    "office": (200, 403),
    "bpo": (200, 403),
    "partner": (404, 404),
    "mentor": (404, 404),
    "coordinator_b": (404, 404),
    "other_swv": (404, 404),
}


@pytest.mark.parametrize("persona", sorted(ROLE_CASES))
def test_who_may_see_and_change_assignments(client, staffing_world, persona):
    sw = staffing_world
    w = sw.world
    read, write = ROLE_CASES[persona]
    sign_in(client, w.users[persona])
    a = sw.assignment_a
    assert client.get(reverse("staffing:school_assignments", args=[w.a.code])).status_code == read
    assert client.get(reverse("staffing:assignment_detail", args=[a.code])).status_code == read
    assert client.get(reverse("staffing:assignment_edit", args=[a.code])).status_code == write
    data = edit_data(a, hours_per_week="20", manager=str(w.users["director"].code))
    response = client.post(reverse("staffing:assignment_edit", args=[a.code]), data)
    a.refresh_from_db()
    if write == 200:
        assert response.status_code == 302
        assert a.hours_per_week == Decimal("20")
    else:
        assert response.status_code == write
        assert a.hours_per_week == Decimal("16")
        assert "assignment.update" not in actions(a)


def test_coordinator_b_sees_and_edits_only_school_b(client, staffing_world):
    sw = staffing_world
    w = sw.world
    sign_in(client, w.users["coordinator_b"])
    body = client.get(reverse("staffing:school_assignments", args=[w.b.code])).content.decode()
    assert sw.bpo_b.full_name in body and sw.bpo.full_name in body  # BPO+ at B
    assert (
        client.get(reverse("staffing:assignment_detail", args=[sw.hired_b.code])).status_code == 200
    )
    response = client.get(reverse("staffing:assignment_create", args=[w.a.code]))
    assert response.status_code == 404


def test_the_bpo_sees_their_own_assignments_everywhere(client, staffing_world):
    sw = staffing_world
    sign_in(client, sw.bpo)
    body = client.get(reverse("staffing:my_staffing")).content.decode()
    assert sw.world.a.name in body and sw.world.b.name in body
    assert "Expertise faalangst voor het mentorenteam" in body
    # Their BPO+ at school B is theirs to see, though they hold no role at B.
    assert (
        client.get(reverse("staffing:assignment_detail", args=[sw.plus_b.code])).status_code == 200
    )
    # Not B's list, and not the other BPO's assignment there.
    assert (
        client.get(reverse("staffing:school_assignments", args=[sw.world.b.code])).status_code
        == 404
    )
    assert (
        client.get(reverse("staffing:assignment_detail", args=[sw.hired_b.code])).status_code == 404
    )


def test_school_page_shows_the_years_bpos_to_staffing_roles_only(client, staffing_world):
    sw = staffing_world
    w = sw.world
    url = reverse("organisations:school_detail", args=[w.a.code])
    sign_in(client, w.users["director"])
    body = client.get(url).content.decode()
    assert reverse("staffing:school_assignments", args=[w.a.code]) in body
    assert sw.bpo.full_name in body and "16 uur per week" in body
    sign_in(client, w.users["partner"])
    body = client.get(url).content.decode()
    assert reverse("staffing:school_assignments", args=[w.a.code]) not in body


def test_bpo_profile_for_leadership(client, staffing_world):
    sw = staffing_world
    w = sw.world
    url = reverse("staffing:bpo_profile", args=[sw.bpo.code])
    sign_in(client, w.users["coordinator"])
    body = client.get(url).content.decode()
    assert "Master Educational Needs" in body and "voldoet" in body
    assert w.a.name in body
    # coordinator_b sees the persona because of the BPO+ at B, but only that assignment.
    sign_in(client, w.users["coordinator_b"])
    response = client.get(url)
    assert response.status_code == 200
    assert [a.school for a in response.context["plus_assignments"]] == [w.b]
    assert response.context["regular_assignments"] == []
    # The office reads the directory, not diplomas.
    sign_in(client, w.users["office"])
    assert client.get(url).status_code == 404
    # A non-BPO of another school stays hidden.
    sign_in(client, w.users["coordinator"])
    profile_b = reverse("staffing:bpo_profile", args=[sw.bpo_b.code])
    assert client.get(profile_b).status_code == 404


# --- Derived evidence -----------------------------------------------------------------------------


def _facts(school, year, number):
    return derived_evidence(school, year, numbers={number}).get(number, [])


def test_hire_in_without_agreement_is_flagged_for_aspect_6(client, quality_world, staffing_world):
    """Acceptance: a hire-in assignment without the management agreement is flagged in the
    framework's evidence for aspect 6 — and cleared once the agreement is uploaded, dated."""
    qw, sw = quality_world, staffing_world
    w = qw.world
    name = sw.bpo_b.full_name
    (flag,) = [f for f in _facts(w.b, qw.year, "6") if name in f.text]
    assert flag.met is False and "ontbreekt" in flag.text
    assert "overeenkomst over de aansturing" in flag.text

    # As shown on the assessment page, beside the school's rating of aspect 6.
    sign_in(client, w.users["coordinator_b"])
    detail = reverse("quality:assessment_detail", args=[qw.assessment_b.code])
    response = client.get(detail)
    rows = [r for _s, rs in response.context["sections"] for r in rs]
    (row6,) = [r for r in rows if r.rating.aspect.number == "6"]
    assert flag in row6.evidence
    assert escape(flag.text) in response.content.decode()

    # A date alone is not enough: the file is missing.
    edit = reverse("staffing:assignment_edit", args=[sw.hired_b.code])
    data = edit_data(sw.hired_b, management_agreement_date=qw.year.start.isoformat())
    assert client.post(edit, data).status_code == 302
    (flag,) = [f for f in _facts(w.b, qw.year, "6") if name in f.text]
    assert flag.met is False and "ontbreekt als bestand" in flag.text

    # With the file and the date: met.
    data["management_agreement"] = pdf()
    assert client.post(edit, data).status_code == 302
    (fact,) = [f for f in _facts(w.b, qw.year, "6") if name in f.text]
    assert fact.met is True and "ontbreekt" not in fact.text
    body = client.get(detail).content.decode()
    assert escape(fact.text) in body


def test_evidence_of_aspects_1_to_5_and_13(staffing_world):
    sw = staffing_world
    w, year = sw.world, sw.year
    bpo, bpo_b = sw.bpo.full_name, sw.bpo_b.full_name

    (one,) = _facts(w.a, year, "1")
    assert one.met is True and bpo in one.text and "16 uur per week" in one.text
    # At B: only the hired BPO is the school's own; the BPO+ hours do not make a BPO of B.
    (one_b,) = _facts(w.b, year, "1")
    assert bpo_b in one_b.text and bpo not in one_b.text

    (two,) = _facts(w.a, year, "2")
    assert two.met is True and two.text.startswith(bpo)
    (three_b,) = _facts(w.b, year, "3")
    assert three_b.met is False and "leerlingvolgsysteem niet bevestigd" in three_b.text
    (four,) = _facts(w.a, year, "4")
    assert four.met is True and "dinsdag, donderdag" in four.text and "16 uur" in four.text
    (five,) = _facts(w.a, year, "5")
    assert five.met is True and "640" in five.text
    (five_b,) = _facts(w.b, year, "5")
    assert five_b.met is None  # hired in: the normjaartaak is not the school's
    (six,) = [f for f in _facts(w.a, year, "6") if bpo in f.text]
    assert six.met is True and w.users["director"].full_name in six.text

    (thirteen,) = _facts(w.a, year, "13")
    assert thirteen.met is True and thirteen.text.startswith(bpo)
    (thirteen_b,) = _facts(w.b, year, "13")
    assert thirteen_b.met is False and "onderwijsbevoegdheid (PO)" in thirteen_b.text

    # A school employee without a normjaartaak: flagged.
    services.update_assignment(
        sw.assignment_a, acting_user=w.users["coordinator"], annual_hours=None
    )
    (five,) = _facts(w.a, year, "5")
    assert five.met is False and "normjaartaak" in five.text


def test_evidence_without_assignments(world):
    from passend.organisations.models import SchoolYear

    year = SchoolYear.current()
    # The bpo persona holds the role at A, without an assignment: neutral, named.
    (one,) = _facts(world.a, year, "1")
    assert one.met is None and "nog niet vastgelegd" in one.text
    for number in ("2", "3", "4", "5"):
        assert _facts(world.a, year, number) == []
    (thirteen,) = _facts(world.a, year, "13")
    assert thirteen.met is False and "Geen opleidingen vastgelegd" in thirteen.text
    # School B has no BPO at all.
    (one_b,) = _facts(world.b, year, "1")
    assert one_b.met is False and "geen bpo'er" in one_b.text
    assert _facts(world.b, year, "13") == []


def test_each_staffing_provider_is_one_query(staffing_world):
    sw = staffing_world
    from passend.staffing import evidence as staffing_evidence

    ours = {
        provider
        for providers in PROVIDERS.values()
        for provider in providers
        if provider.__module__ == staffing_evidence.__name__
    }
    assert len(ours) == 7  # aspects 1–6 and 13
    for extra in range(3):
        person = factories.member(Role.BPO, school=sw.world.a)
        services.add_qualification(acting_user=person, kind=K.PSYCHOLOGY, title=f"Psy {extra}")
        services.create_assignment(
            school=sw.world.a,
            school_year=sw.year,
            bpo=person,
            hours_per_week=Decimal("4"),
            employment_type=EmploymentType.BOARD,
            start_date=sw.year.start,
            acting_user=sw.world.users["director"],
        )
    for provider in ours:
        with CaptureQueriesContext(connection) as ctx:
            provider(sw.world.a, sw.year)
        assert len(ctx.captured_queries) == 1, provider.__name__
    assert len(_facts(sw.world.a, sw.year, "13")) == 4


def test_aspect_1_is_not_reported_twice(staffing_world):
    facts = _facts(staffing_world.world.a, staffing_world.year, "1")
    assert len(facts) == 1


# --- BPO+ -----------------------------------------------------------------------------------------


def test_bpo_plus_hours_at_another_school(client, staffing_world):
    sw = staffing_world
    w = sw.world
    # A BPO of school A gives expertise at school B on request: recorded by B.
    other = factories.member(Role.BPO, school=w.a)
    sign_in(client, w.users["coordinator_b"])
    create = reverse("staffing:assignment_create", args=[w.b.code])
    # As B's own BPO (regular, employed by B) a BPO of A is refused …
    response = client.post(create, form_data(sw.year, other))
    assert response.status_code == 200
    assert "bpo'er van deze school" in " ".join(response.context["form"].errors["bpo"])
    assert not BpoAssignment.objects.filter(bpo=other).exists()
    # … as BPO+ it is recorded.
    data = form_data(
        sw.year,
        other,
        kind=AssignmentKind.PLUS,
        hours_per_week="1,5",
        annual_hours="30",
        employment_type=EmploymentType.SWV,
        request_note="Training executieve functies",
    )
    assert client.post(create, data).status_code == 302
    plus = BpoAssignment.objects.get(bpo=other)
    assert plus.kind == AssignmentKind.PLUS and plus.school == w.b

    response = client.get(reverse("staffing:school_assignments", args=[w.b.code]))
    plus_rows = [r.assignment for r in response.context["plus"].rows]
    assert plus in plus_rows and sw.plus_b in plus_rows
    assert response.context["plus"].hours_per_week == Decimal("3.5")
    assert [r.assignment for r in response.context["regular"].rows] == [sw.hired_b]
    assert "Training executieve functies" in response.content.decode()

    sign_in(client, other)
    response = client.get(reverse("staffing:my_staffing"))
    assert response.context["plus_assignments"] == [plus]
    assert response.context["regular_assignments"] == []


def test_swv_employed_bpo_may_serve_any_school(staffing_world):
    sw = staffing_world
    w = sw.world
    assignment = services.create_assignment(
        school=w.b,
        school_year=sw.year,
        bpo=sw.bpo,
        hours_per_week=Decimal("4"),
        employment_type=EmploymentType.SWV,
        start_date=sw.year.start,
        acting_user=w.users["partnership_admin"],
        manager=w.users["partnership_admin"],
    )
    assert assignment.kind == AssignmentKind.REGULAR
    # Not a BPO of the partnership at all: refused, also for BPO+.
    with pytest.raises(Exception) as caught:
        services.create_assignment(
            school=w.b,
            school_year=sw.year,
            bpo=w.users["mentor"],
            kind=AssignmentKind.PLUS,
            hours_per_week=Decimal("1"),
            employment_type=EmploymentType.SWV,
            start_date=sw.year.start,
            acting_user=w.users["partnership_admin"],
        )
    assert "bpo" in caught.value.message_dict


def test_create_assignment_is_keyword_only_and_checks_the_actor(staffing_world):
    from django.core.exceptions import PermissionDenied

    sw = staffing_world
    w = sw.world
    with pytest.raises(TypeError):
        services.create_assignment(w.a, sw.year)  # type: ignore[misc]
    with pytest.raises(PermissionDenied):
        services.create_assignment(
            school=w.a,
            school_year=sw.year,
            bpo=factories.member(Role.BPO, school=w.a),
            hours_per_week=Decimal("4"),
            employment_type=EmploymentType.SCHOOL,
            start_date=sw.year.start,
            acting_user=w.users["office"],
        )


def test_overlapping_assignment_is_refused(client, staffing_world):
    sw = staffing_world
    w = sw.world
    sign_in(client, w.users["coordinator"])
    response = client.post(
        reverse("staffing:assignment_create", args=[w.a.code]), form_data(sw.year, sw.bpo)
    )
    assert response.status_code == 200
    assert "al een inzet" in " ".join(response.context["form"].errors["bpo"])
    assert BpoAssignment.objects.filter(bpo=sw.bpo, school=w.a).count() == 1


def test_low_salary_scale_is_allowed_but_flagged(client, staffing_world):
    sw = staffing_world
    w = sw.world
    sign_in(client, w.users["director"])
    a = sw.assignment_a
    data = edit_data(a, salary_scale="8", manager=str(w.users["director"].code))
    assert client.post(reverse("staffing:assignment_edit", args=[a.code]), data).status_code == 302
    a.refresh_from_db()
    assert a.salary_scale == 8
    body = client.get(reverse("staffing:assignment_detail", args=[a.code])).content.decode()
    assert "Schaal 8: lager dan de schaal 10" in body
    body = client.get(reverse("staffing:school_assignments", args=[w.a.code])).content.decode()
    assert "Schaal 8: lager dan de schaal 10" in body


# --- Qualifications -------------------------------------------------------------------------------


def test_qualification_crud_with_audit_and_file(client, staffing_world, settings):
    sw = staffing_world
    person = factories.member(Role.BPO, school=sw.world.a)
    sign_in(client, person)
    assert client.get(reverse("staffing:qualification_create")).status_code == 200
    response = client.post(
        reverse("staffing:qualification_create"),
        {
            "kind": K.PSYCHOLOGY,
            "title": "Master Orthopedagogiek",
            "institution": "Universiteit Leiden",
            "year": "2019",
            "evidence_file": SimpleUploadedFile("diploma.png", PNG, content_type="image/png"),
        },
    )
    assert response.status_code == 302
    q = Qualification.objects.get(user=person)
    assert q.evidence_filename == "diploma.png" and q.evidence_file.name.startswith(
        "qualifications/"
    )
    assert actions(q) == ["qualification.create"]
    download = client.get(reverse("staffing:qualification_file", args=[q.code]))
    assert download.status_code == 200 and download["Content-Type"] == "image/png"
    assert download["Content-Disposition"].startswith("attachment")
    # The leadership of the school reads it (audited for them too).
    sign_in(client, sw.world.users["director"])
    assert client.get(reverse("staffing:qualification_file", args=[q.code])).status_code == 200
    assert client.get(reverse("staffing:qualification_edit", args=[q.code])).status_code == 403

    sign_in(client, person)
    response = client.post(
        reverse("staffing:qualification_edit", args=[q.code]),
        {"kind": K.PSYCHOLOGY, "title": "Master Orthopedagogiek", "year": "2020"},
    )
    assert response.status_code == 302
    q.refresh_from_db()
    assert q.year == 2020 and q.institution == ""
    stored = settings.MEDIA_ROOT / q.evidence_file.name
    assert stored.exists()
    assert client.post(reverse("staffing:qualification_delete", args=[q.code])).status_code == 302
    assert not Qualification.objects.filter(pk=q.pk).exists()
    assert actions(q) == [
        "qualification.create",
        "qualification.file_download",
        "qualification.file_download",
        "qualification.update",
        "qualification.delete",
    ]


@pytest.mark.django_db(transaction=True)
def test_deleted_qualification_file_leaves_storage(client, staffing_world, settings):
    sw = staffing_world
    stored = settings.MEDIA_ROOT / sw.qualification.evidence_file.name
    assert stored.exists()
    sign_in(client, sw.bpo)
    client.post(reverse("staffing:qualification_delete", args=[sw.qualification.code]))
    assert not stored.exists()


# --- Uploads --------------------------------------------------------------------------------------

BAD_AGREEMENTS = [
    ("overeenkomst.exe", EXE, "niet toegestaan"),
    ("overeenkomst.xlsx", b"PK\x03\x04" + b"\x00" * 40, "niet toegestaan"),
    ("overeenkomst.png", PNG, "niet toegestaan"),
    ("overeenkomst.pdf", EXE, "past niet bij de extensie"),
    ("overeenkomst.docx", PDF, "past niet bij de extensie"),
    ("overeenkomst", PDF, "niet toegestaan"),
]


@pytest.mark.parametrize(("name", "content", "message"), BAD_AGREEMENTS)
def test_bad_agreement_upload_is_refused(client, staffing_world, settings, name, content, message):
    sw = staffing_world
    sign_in(client, sw.world.users["coordinator_b"])
    before = media_files(settings)
    data = edit_data(
        sw.hired_b,
        management_agreement=SimpleUploadedFile(name, content),
        management_agreement_date=sw.year.start.isoformat(),
    )
    response = client.post(reverse("staffing:assignment_edit", args=[sw.hired_b.code]), data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["management_agreement"])
    sw.hired_b.refresh_from_db()
    assert not sw.hired_b.management_agreement and sw.hired_b.management_agreement_date is None
    assert media_files(settings) == before
    assert "assignment.update" not in actions(sw.hired_b)


def test_oversized_uploads_are_refused(client, staffing_world, settings):
    sw = staffing_world
    settings.EVIDENCE_MAX_BYTES = 100
    before = media_files(settings)
    big = PDF + b"0" * 200
    sign_in(client, sw.world.users["coordinator_b"])
    data = edit_data(sw.hired_b, management_agreement=SimpleUploadedFile("groot.pdf", big))
    response = client.post(reverse("staffing:assignment_edit", args=[sw.hired_b.code]), data)
    assert "te groot" in " ".join(response.context["form"].errors["management_agreement"])
    sign_in(client, sw.bpo)
    response = client.post(
        reverse("staffing:qualification_create"),
        {"kind": K.OTHER, "title": "Cursus", "evidence_file": SimpleUploadedFile("d.pdf", big)},
    )
    assert "te groot" in " ".join(response.context["form"].errors["evidence_file"])
    assert media_files(settings) == before
    assert Qualification.objects.filter(user=sw.bpo).count() == 2


def test_bad_diploma_upload_is_refused(client, staffing_world, settings):
    sw = staffing_world
    sign_in(client, sw.bpo)
    before = media_files(settings)
    for name, content in (("diploma.exe", EXE), ("diploma.jpg", PDF), ("diploma.xlsx", PDF)):
        response = client.post(
            reverse("staffing:qualification_create"),
            {"kind": K.OTHER, "title": "X", "evidence_file": SimpleUploadedFile(name, content)},
        )
        assert response.status_code == 200, name
        assert response.context["form"].errors["evidence_file"], name
    assert media_files(settings) == before
    assert Qualification.objects.filter(user=sw.bpo).count() == 2


# --- Bad input ------------------------------------------------------------------------------------

BAD_ASSIGNMENT_INPUT = [
    ({"hours_per_week": "-4"}, "hours_per_week"),
    ({"hours_per_week": "61"}, "hours_per_week"),
    ({"hours_per_week": "1e20"}, "hours_per_week"),
    ({"hours_per_week": "9" * 400}, "hours_per_week"),
    ({"hours_per_week": "twaalf"}, "hours_per_week"),
    ({"hours_per_week": ""}, "hours_per_week"),
    ({"hours_per_week": "NaN"}, "hours_per_week"),
    ({"annual_hours": "-1"}, "annual_hours"),
    ({"annual_hours": "2001"}, "annual_hours"),
    ({"salary_scale": "0"}, "salary_scale"),
    ({"salary_scale": "19"}, "salary_scale"),
    ({"end_date": "START-1"}, "end_date"),
    ({"start_date": "PREVIOUS"}, "start_date"),
    ({"start_date": "2025-02-30"}, "start_date"),
    ({"presence_days": ["sat"]}, "presence_days"),
    ({"employment_type": "slave"}, "employment_type"),
    ({"kind": "vip"}, "kind"),
    ({"school_year": "1999-2000"}, "school_year"),
    ({"presence_note": "a\x00b"}, "presence_note"),
    ({"employer_name": "x" * 201}, "employer_name"),
    ({"bpo": "OTHER_SWV"}, "bpo"),
    ({"bpo": "MENTOR"}, "bpo"),
    ({"bpo": "12"}, "bpo"),
    ({"manager": "OTHER_SWV"}, "manager"),
]


@pytest.mark.parametrize(("fields", "error_field"), BAD_ASSIGNMENT_INPUT)
def test_bad_assignment_input_gives_form_errors(client, staffing_world, fields, error_field):
    sw = staffing_world
    w = sw.world
    newcomer = factories.member(Role.BPO, school=w.a)
    substitutes = {
        "START-1": (sw.year.start + timedelta(days=9)).isoformat(),
        "PREVIOUS": (sw.year.start - timedelta(days=1)).isoformat(),
        "OTHER_SWV": str(w.users["other_swv"].code),
        "MENTOR": str(w.users["mentor"].code),
    }
    fields = {k: substitutes.get(v, v) if isinstance(v, str) else v for k, v in fields.items()}
    if error_field == "end_date":
        fields["start_date"] = (sw.year.start + timedelta(days=10)).isoformat()
    sign_in(client, w.users["coordinator"])
    before = BpoAssignment.objects.count()
    events = AuditEvent.objects.count()
    response = client.post(
        reverse("staffing:assignment_create", args=[w.a.code]),
        form_data(sw.year, newcomer, **fields),
    )
    assert response.status_code == 200
    assert error_field in response.context["form"].errors, response.context["form"].errors
    assert BpoAssignment.objects.count() == before
    assert AuditEvent.objects.count() == events


def test_html_and_unicode_are_kept_as_text(client, staffing_world):
    sw = staffing_world
    w = sw.world
    newcomer = factories.member(Role.BPO, school=w.a)
    sign_in(client, w.users["coordinator"])
    data = form_data(
        sw.year,
        newcomer,
        employment_type=EmploymentType.HIRED,
        employer_name=SCRIPT,
        manager_name="Zoë Çelik-Ødegård 👩‍🏫",
        presence_note="Dinsdag én donderdag – “SOT”",
    )
    assert (
        client.post(reverse("staffing:assignment_create", args=[w.a.code]), data).status_code == 302
    )
    a = BpoAssignment.objects.get(bpo=newcomer)
    assert a.employer_name == SCRIPT and a.manager_name.startswith("Zoë Çelik")
    for url in (
        reverse("staffing:assignment_detail", args=[a.code]),
        reverse("staffing:school_assignments", args=[w.a.code]),
    ):
        body = client.get(url).content.decode()
        assert SCRIPT not in body and escape(SCRIPT) in body
        assert "Zoë Çelik-Ødegård 👩‍🏫" in body


BAD_QUALIFICATION_INPUT = [
    ({"kind": "nobel"}, "kind"),
    ({"title": ""}, "title"),
    ({"title": "x" * 201}, "title"),
    ({"title": "a\x00b"}, "title"),
    ({"year": "1900"}, "year"),
    ({"year": "3000"}, "year"),
    ({"year": "negentig"}, "year"),
]


@pytest.mark.parametrize(("fields", "error_field"), BAD_QUALIFICATION_INPUT)
def test_bad_qualification_input(client, staffing_world, fields, error_field):
    sw = staffing_world
    sign_in(client, sw.bpo)
    data = {"kind": K.OTHER, "title": "Cursus", "institution": "", "year": "", **fields}
    response = client.post(reverse("staffing:qualification_create"), data)
    assert response.status_code == 200
    assert error_field in response.context["form"].errors
    assert Qualification.objects.filter(user=sw.bpo).count() == 2


def test_end_with_bad_dates_is_refused(client, staffing_world):
    sw = staffing_world
    sign_in(client, sw.world.users["director"])
    url = reverse("staffing:assignment_end", args=[sw.assignment_a.code])
    for value in ("", "morgen", (sw.year.end + timedelta(days=1)).isoformat()):
        response = client.post(url, {"end_date": value}, follow=True)
        assert response.status_code == 200
        sw.assignment_a.refresh_from_db()
        assert sw.assignment_a.end_date is None, value
    assert "assignment.end" not in actions(sw.assignment_a)


# --- Query counts ---------------------------------------------------------------------------------


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _add_assignments(sw, n):
    w = sw.world
    for i in range(n):
        person = factories.member(Role.BPO, school=w.a)
        services.add_qualification(acting_user=person, kind=K.SEN, title=f"SEN {i}")
        services.create_assignment(
            school=w.a,
            school_year=sw.year,
            bpo=person,
            hours_per_week=Decimal("4"),
            employment_type=EmploymentType.HIRED,
            start_date=sw.year.start,
            acting_user=w.users["director"],
            manager=w.users["director"],
            presence_days=["mon"],
        )
        services.create_assignment(
            school=factories.school(w.p, name=f"Extra School {i}"),
            school_year=sw.year,
            bpo=sw.bpo,
            kind=AssignmentKind.PLUS,
            hours_per_week=Decimal("1"),
            employment_type=EmploymentType.SWV,
            start_date=sw.year.start,
            acting_user=w.users["partnership_admin"],
        )
        services.add_qualification(acting_user=sw.bpo, kind=K.OTHER, title=f"Cursus {i}")


def test_query_counts_are_constant(client, staffing_world):
    sw = staffing_world
    w = sw.world
    pages = {
        "school_assignments": (
            w.users["director"],
            reverse("staffing:school_assignments", args=[w.a.code]),
        ),
        "my_staffing": (sw.bpo, reverse("staffing:my_staffing")),
        "bpo_profile": (
            w.users["coordinator_b"],
            reverse("staffing:bpo_profile", args=[sw.bpo.code]),
        ),
    }
    small = {}
    for name, (user, url) in pages.items():
        sign_in(client, user)
        small[name] = _count(client, url)
    _add_assignments(sw, 6)
    for name, (user, url) in pages.items():
        sign_in(client, user)
        assert _count(client, url) == small[name], name
    # And the rows are there.
    sign_in(client, w.users["director"])
    response = client.get(pages["school_assignments"][1])
    assert len(response.context["regular"].rows) == 7


# --- Demo ----------------------------------------------------------------------------------------


def test_demo_staffing_is_idempotent_and_shows_both_verdicts(db, settings):
    from io import StringIO

    from django.core.management import call_command

    from passend.accounts.models import User
    from passend.demo import staffing as demo_staffing
    from passend.demo.services import SCHOOL_A, SCHOOL_B
    from passend.organisations.models import School, SchoolYear

    call_command("demo", stdout=StringIO())
    users = {u.email: u for u in User.objects.all()}
    demo_staffing.load(users)
    counts = (
        BpoAssignment.objects.count(),
        Qualification.objects.count(),
        len(media_files(settings)),
    )
    events = AuditEvent.objects.count()
    demo_staffing.load(users)
    assert (
        BpoAssignment.objects.count(),
        Qualification.objects.count(),
        len(media_files(settings)),
    ) == counts
    assert AuditEvent.objects.count() == events

    year = SchoolYear.current()
    a = School.objects.get(location_code=SCHOOL_A)
    b = School.objects.get(location_code=SCHOOL_B)
    bpo_a, bpo_b = users[demo_staffing.BPO_A], users[demo_staffing.BPO_B]
    regular_a = BpoAssignment.objects.get(school=a, bpo=bpo_a, kind=AssignmentKind.REGULAR)
    assert regular_a.employment_type == EmploymentType.SCHOOL
    hired = BpoAssignment.objects.get(school=b, bpo=bpo_b)
    assert hired.is_hired_in and not hired.lacks_management_agreement
    plus = BpoAssignment.objects.get(bpo=bpo_a, kind=AssignmentKind.PLUS)
    assert plus.employment_type == EmploymentType.SWV
    assert plus.school not in (a, b) and plus.school.partnership == a.partnership
    assert services.aspect13_verdict(bpo_a.qualifications.all()).met
    assert not services.aspect13_verdict(bpo_b.qualifications.all()).met
    (thirteen_a,) = _facts(a, year, "13")
    (thirteen_b,) = _facts(b, year, "13")
    assert thirteen_a.met and thirteen_b.met is False
    six_b = [f for f in _facts(b, year, "6") if bpo_b.full_name in f.text]
    assert six_b and all(f.met for f in six_b)
