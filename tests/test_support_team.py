"""A school's SOT (schoolondersteuningsteam) page: the coordinator and the director keep its
members per school year; a partner's membership and domain there decide which shared cases
they may open (passend.caseload.access), so adding and removing members takes effect at once."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from passend.accounts.choices import Role
from passend.accounts.middleware import SESSION_STARTED_KEY
from passend.audit.models import AuditEvent
from passend.caseload import access
from passend.organisations.choices import Domain
from passend.organisations.models import SchoolYear, SupportTeam, SupportTeamMember
from tests import factories

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.force_login(user)
    session = client.session
    session[SESSION_STARTED_KEY] = time.time()
    session.save()
    return client


def _url(cw):
    return reverse("organisations:support_team", args=[cw.world.a.code])


def test_adding_a_partner_to_the_sot_gives_access_to_cases_shared_with_the_domain(
    client, caseload_world
):
    cw = caseload_world
    newcomer = factories.member(Role.PARTNER, school=cw.world.a, email="smw2@example.org")
    assert cw.case.pk not in access.partner_access(newcomer)
    _login(client, cw.world.users["coordinator"])
    response = client.post(
        _url(cw),
        {"user": str(newcomer.code), "function": "SMW", "domain": Domain.YOUTH_CARE},
    )
    assert response.status_code == 302
    member = SupportTeamMember.objects.get(user=newcomer)
    assert member.name == newcomer.full_name  # taken from the account when left empty
    assert member.team.school_year == SchoolYear.current()
    assert cw.case.pk in access.partner_access(newcomer)
    assert AuditEvent.objects.filter(action="sot.member_added").count() == 1

    client.post(reverse("organisations:support_team_member_remove", args=[member.code]))
    assert not SupportTeamMember.objects.filter(pk=member.pk).exists()
    assert cw.case.pk not in access.partner_access(newcomer)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "", "domain": Domain.YOUTH_CARE}, "name"),
        ({"name": "Piet", "domain": "astrology"}, "domain"),
        ({"user": "00000000-0000-0000-0000-000000000000", "domain": Domain.SAFETY}, "user"),
    ],
)
def test_bad_member_input_writes_nothing(client, caseload_world, data, field):
    cw = caseload_world
    before = SupportTeamMember.objects.count()
    _login(client, cw.world.users["director"])
    response = client.post(_url(cw), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert SupportTeamMember.objects.count() == before


def test_a_mentor_cannot_be_linked_and_a_member_is_added_once(client, caseload_world):
    cw = caseload_world
    _login(client, cw.world.users["coordinator"])
    mentor = cw.world.users["mentor"]
    response = client.post(_url(cw), {"user": str(mentor.code), "domain": Domain.YOUTH_CARE})
    assert "user" in response.context["form"].errors
    partner = cw.world.users["partner"]
    response = client.post(_url(cw), {"user": str(partner.code), "domain": Domain.YOUTH_HEALTH})
    assert "user" in response.context["form"].errors
    assert SupportTeamMember.objects.filter(user=partner).count() == 1


def test_copy_last_years_members(client, caseload_world):
    cw = caseload_world
    year = SchoolYear.current()
    last = SchoolYear.get_or_create_for_start_year(year.start.year - 1)
    old = SupportTeam.objects.create(school=cw.world.a, partnership=cw.world.p, school_year=last)
    SupportTeamMember.objects.create(
        team=old, school=cw.world.a, name="Jeugdverpleegkundige GGD", domain=Domain.YOUTH_HEALTH
    )
    SupportTeamMember.objects.create(
        team=old,
        school=cw.world.a,
        user=cw.world.users["partner"],
        name=cw.world.users["partner"].full_name,
        domain=Domain.YOUTH_CARE,
    )
    _login(client, cw.world.users["coordinator"])
    client.post(reverse("organisations:support_team_copy", args=[cw.world.a.code]))
    names = set(
        SupportTeamMember.objects.filter(team__school_year=year).values_list("name", flat=True)
    )
    assert "Jeugdverpleegkundige GGD" in names
    # The partner was already a member this year: not copied twice.
    assert SupportTeamMember.objects.filter(team__school_year=year).count() == 2


def test_readers_see_the_team_without_the_forms(client, caseload_world):
    cw = caseload_world
    _login(client, cw.world.users["bpo"])
    response = client.get(_url(cw))
    page = response.content.decode()
    assert cw.world.users["partner"].full_name in page
    assert response.context["form"] is None and "Lid toevoegen" not in page
    assert client.post(_url(cw), {"name": "X", "domain": Domain.SAFETY}).status_code == 403
    _login(client, cw.world.users["coordinator_b"])
    assert client.get(_url(cw)).status_code == 404
