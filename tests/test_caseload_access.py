"""The consent rule (acceptance of issue 6): partner × consent state decides exactly when a
partner can open a case; staff of another school never can."""

from __future__ import annotations

import datetime

import pytest

from passend.caseload import access
from passend.caseload.models import CaseShare, Consent
from passend.organisations.choices import Domain
from tests.fixtures_caseload import years_ago

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def _opens(cw, on=None) -> bool:
    return cw.case.pk in access.partner_access(cw.world.users["partner"], on)


def _only(cw, **changes) -> None:
    Consent.objects.filter(pk=cw.consent.pk).update(**changes)


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("valid", True),
        ("none", False),
        ("expired", False),
        ("expires_today", True),
        ("withdrawn", False),
        ("withdrawn_tomorrow", True),
        ("other_domain", False),
        ("named_partner", True),
        ("named_other_partner", False),
        ("not_yet_given", False),
        ("guardian_without_authority", False),
        ("turned_16_after_parent_consent", False),
        ("student_16_consents_self", True),
        ("student_15_consents_self", False),
        ("share_ended", False),
    ],
)
def test_partner_access_by_consent_state(caseload_world, state, expected):
    cw = caseload_world
    today = cw.today
    partner = cw.world.users["partner"]
    if state == "none":
        Consent.objects.all().delete()
    elif state == "expired":
        _only(cw, expires_on=today - DAY)
    elif state == "expires_today":
        _only(cw, expires_on=today)
    elif state == "withdrawn":
        _only(cw, withdrawn_on=today)
    elif state == "withdrawn_tomorrow":
        _only(cw, withdrawn_on=today + DAY)
    elif state == "other_domain":
        _only(cw, domain=Domain.YOUTH_HEALTH)
    elif state == "named_partner":
        _only(cw, domain="", partner=partner)
    elif state == "named_other_partner":
        _only(cw, domain="", partner=cw.world.users["mentor"])
    elif state == "not_yet_given":
        _only(cw, given_on=today + DAY)
    elif state == "guardian_without_authority":
        cw.guardian.has_authority = False
        cw.guardian.save()
    elif state == "turned_16_after_parent_consent":
        # Consent given by the mother a year ago, when the student was 15; now 16.
        cw.student.date_of_birth = years_ago(16)
        cw.student.save()
        _only(cw, given_on=today - 365 * DAY)
    elif state == "student_16_consents_self":
        cw.student.date_of_birth = years_ago(16)
        cw.student.save()
        _only(cw, given_by="student", guardian=None, given_on=today)
    elif state == "student_15_consents_self":
        _only(cw, given_by="student", guardian=None)
    elif state == "share_ended":
        CaseShare.objects.filter(pk=cw.share.pk).update(ended_on=today)
    assert _opens(cw) is expected
    visible = set(access.visible_cases(partner).values_list("pk", flat=True))
    assert (cw.case.pk in visible) is expected
    assert cw.case_b.pk not in visible


def test_safety_domain_gets_the_attendance_set_only(caseload_world):
    from passend.organisations.models import SupportTeamMember

    cw = caseload_world
    SupportTeamMember.objects.filter(user=cw.world.users["partner"]).update(domain=Domain.SAFETY)
    _only(cw, domain=Domain.SAFETY)
    CaseShare.objects.filter(pk=cw.share.pk).update(domain=Domain.SAFETY)
    assert access.partner_access(cw.world.users["partner"]) == {cw.case.pk: access.ATTENDANCE}


def test_staff_scope(caseload_world):
    cw = caseload_world
    users = cw.world.users
    for persona in ("coordinator", "bpo"):
        visible = set(access.visible_cases(users[persona]).values_list("pk", flat=True))
        assert visible == {cw.case.pk}, persona
    assert set(access.visible_cases(users["coordinator_b"]).values_list("pk", flat=True)) == {
        cw.case_b.pk
    }
    for persona in ("director", "consultant", "mentor", "partnership_admin", "office", "other_swv"):
        assert not access.visible_cases(users[persona]).exists(), persona
