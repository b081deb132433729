"""A partnership_admin manages people and roles through the web pages (product.md, user management).

Add a person (invitation e-mail, set a password, log in), add an existing account, refuse a
duplicate role, end a role; every mutation writes exactly one audit event.
"""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from passend.accounts.choices import Role
from passend.accounts.middleware import SESSION_STARTED_KEY
from passend.accounts.models import Membership, User
from passend.audit.models import AuditEvent

CLIENT_IP = "10.11.12.13"
NEW_PASSWORD = "een lange en unieke wachtzin 42"  # noqa: S105


@pytest.fixture(autouse=True)
def _plain_settings(settings):
    settings.REQUIRE_2FA = False


def sign_in(client, user) -> None:
    client.force_login(user)
    session = client.session
    session[SESSION_STARTED_KEY] = time.time()
    session.save()


@pytest.fixture
def admin_client(world):
    client = Client(REMOTE_ADDR=CLIENT_IP)
    sign_in(client, world.users["partnership_admin"])
    return client


def _new_person(world, **overrides) -> dict:
    data = {
        "full_name": "Noor Nieuw",
        "email": "noor.nieuw@example.org",
        "role": Role.COORDINATOR,
        "school": str(world.b.code),
        "valid_from": timezone.localdate().isoformat(),
        "valid_until": "",
    }
    data.update(overrides)
    return data


def _events(**filters):
    return list(AuditEvent.objects.filter(**filters))


def _assert_one_event(action, *, actor, partnership, obj_code, since_pk):
    events = list(AuditEvent.objects.filter(pk__gt=since_pk, action=action))
    assert len(events) == 1, (action, events)
    event = events[0]
    assert event.actor == actor
    assert event.actor_label == actor.email
    assert event.partnership == partnership
    assert event.ip_address == CLIENT_IP
    assert event.object_code == str(obj_code)
    return event


def _last_event_pk() -> int:
    last = AuditEvent.objects.order_by("-pk").first()
    return last.pk if last else 0


def test_add_new_person_invites_and_the_link_sets_a_working_password(world, admin_client):
    admin = world.users["partnership_admin"]
    data = _new_person(world)
    users_before = User.objects.count()
    since = _last_event_pk()

    response = admin_client.post(reverse("accounts:user_create", args=[world.p.code]), data)

    person = User.objects.get(email=data["email"])
    assert response.status_code == 302
    assert response.url == reverse("accounts:user_detail", args=[world.p.code, person.code])
    assert User.objects.count() == users_before + 1
    assert person.full_name == data["full_name"]
    assert not person.has_usable_password()
    membership = Membership.objects.get(user=person)
    assert (membership.partnership, membership.school, membership.role) == (
        world.p,
        world.b,
        Role.COORDINATOR,
    )
    assert membership.valid_until is None
    # Audit: exactly one user.create and one membership.grant, nothing else.
    _assert_one_event(
        "user.create", actor=admin, partnership=world.p, obj_code=person.code, since_pk=since
    )
    grant = _assert_one_event(
        "membership.grant",
        actor=admin,
        partnership=world.p,
        obj_code=membership.code,
        since_pk=since,
    )
    assert grant.school == world.b
    assert AuditEvent.objects.filter(pk__gt=since).count() == 2

    # The invitation: one e-mail to the person, with a set-password link.
    assert len(mail.outbox) == 1
    invitation = mail.outbox[0]
    assert invitation.to == [data["email"]]
    links = re.findall(r"https?://[^/\s]+(/\S+)", invitation.body)
    reset_prefix = reverse("accounts:password_reset_confirm", args=["UID", "TOKEN"]).split("UID")[0]
    link = next(path for path in links if path.startswith(reset_prefix))

    invitee = Client()
    landing = invitee.get(link)
    assert landing.status_code == 302  # Django moves the token into the session
    form_page = invitee.get(landing.url)
    assert form_page.status_code == 200 and form_page.context["validlink"]
    done = invitee.post(landing.url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert done.url == reverse("accounts:password_reset_complete")
    person.refresh_from_db()
    assert person.has_usable_password()

    # The link is single-use.
    again = Client().get(link, follow=True)
    assert not again.context["validlink"]

    # Log in through the real log-in view with the chosen password.
    fresh = Client()
    login = fresh.post(
        reverse("accounts:login"), {"username": data["email"].upper(), "password": NEW_PASSWORD}
    )
    assert login.status_code == 302
    assert login.url == reverse("front:home")
    home = fresh.get(reverse("front:home"))
    assert home.status_code == 200
    assert home.context["user"] == person
    body = home.content.decode()
    assert world.b.name in body and world.a.name not in body
    assert fresh.get(reverse("organisations:school_detail", args=[world.b.code])).status_code == 200
    assert fresh.get(reverse("organisations:school_detail", args=[world.a.code])).status_code == 404


def test_adding_an_existing_email_gives_that_account_the_role(world, admin_client):
    admin = world.users["partnership_admin"]
    existing = world.users["other_swv"]  # partnership_admin of Q
    password_before = existing.password
    users_before = User.objects.count()
    since = _last_event_pk()

    response = admin_client.post(
        reverse("accounts:user_create", args=[world.p.code]),
        _new_person(
            world,
            full_name="Andere Naam",
            email=existing.email.upper(),
            role=Role.BPO,
            school=str(world.a.code),
        ),
        follow=True,
    )

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse(
        "accounts:user_detail", args=[world.p.code, existing.code]
    )
    assert User.objects.count() == users_before
    existing.refresh_from_db()
    assert existing.full_name != "Andere Naam"
    assert existing.password == password_before
    assert mail.outbox == []  # they already have a password
    new_role = Membership.objects.get(user=existing, partnership=world.p)
    assert (new_role.role, new_role.school) == (Role.BPO, world.a)
    assert Membership.objects.filter(user=existing, partnership=world.q).exists()
    # The page shows this partnership's roles only; nothing of Q leaks.
    body = response.content.decode()
    assert world.q.name not in body and world.c.name not in body
    shown = list(response.context["memberships"])
    assert shown == [new_role]
    # Audit: a grant only.
    _assert_one_event(
        "membership.grant", actor=admin, partnership=world.p, obj_code=new_role.code, since_pk=since
    )
    assert not AuditEvent.objects.filter(pk__gt=since, action="user.create").exists()
    assert AuditEvent.objects.filter(pk__gt=since).count() == 1


def test_adding_a_new_and_an_existing_email_answer_alike(world, admin_client):
    """The answer does not tell the admin whether the address already had an account."""
    url = reverse("accounts:user_create", args=[world.p.code])
    new = admin_client.post(url, _new_person(world), follow=True)
    old = admin_client.post(
        url, _new_person(world, email=world.users["other_swv"].email), follow=True
    )
    assert new.status_code == old.status_code == 200
    assert [str(m) for m in new.context["messages"]] == [str(m) for m in old.context["messages"]]


def test_duplicate_current_role_is_a_form_error(world, admin_client):
    member = world.users["coordinator"]
    existing = Membership.objects.get(user=member)
    before = (Membership.objects.count(), AuditEvent.objects.count())

    response = admin_client.post(
        reverse("accounts:user_detail", args=[world.p.code, member.code]),
        {
            "role": existing.role,
            "school": str(existing.school.code),
            "valid_from": timezone.localdate().isoformat(),
            "valid_until": "",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors
    assert (Membership.objects.count(), AuditEvent.objects.count()) == before


def test_duplicate_role_through_add_person_is_a_form_error(world, admin_client):
    member = world.users["coordinator"]
    existing = Membership.objects.get(user=member)
    before = (User.objects.count(), Membership.objects.count(), AuditEvent.objects.count())

    response = admin_client.post(
        reverse("accounts:user_create", args=[world.p.code]),
        _new_person(
            world, email=member.email, role=existing.role, school=str(existing.school.code)
        ),
    )

    assert response.status_code == 200
    assert response.context["form"].errors
    assert (User.objects.count(), Membership.objects.count(), AuditEvent.objects.count()) == before
    assert mail.outbox == []


def test_grant_a_second_role_on_the_person_page(world, admin_client):
    admin = world.users["partnership_admin"]
    member = world.users["coordinator"]
    since = _last_event_pk()

    response = admin_client.post(
        reverse("accounts:user_detail", args=[world.p.code, member.code]),
        {
            "role": Role.MENTOR,
            "school": str(world.b.code),
            "valid_from": timezone.localdate().isoformat(),
            "valid_until": "",
        },
    )

    assert response.status_code == 302
    granted = Membership.objects.get(user=member, role=Role.MENTOR)
    assert granted.school == world.b
    _assert_one_event(
        "membership.grant", actor=admin, partnership=world.p, obj_code=granted.code, since_pk=since
    )
    assert AuditEvent.objects.filter(pk__gt=since).count() == 1
    # The new role takes effect on the person's next request.
    person = Client()
    sign_in(person, member)
    school_b = reverse("organisations:school_detail", args=[world.b.code])
    assert person.get(school_b).status_code == 200


def test_end_a_role_and_the_person_loses_access(world, admin_client):
    admin = world.users["partnership_admin"]
    member = world.users["coordinator"]
    membership = Membership.objects.get(user=member)
    person = Client()
    sign_in(person, member)
    school_url = reverse("organisations:school_detail", args=[world.a.code])
    assert person.get(school_url).status_code == 200
    yesterday = timezone.localdate() - timedelta(days=1)
    since = _last_event_pk()

    response = admin_client.post(
        reverse("accounts:membership_end", args=[world.p.code, membership.code]),
        {"valid_until": yesterday.isoformat()},
    )

    assert response.status_code == 302
    assert response.url == reverse("accounts:user_detail", args=[world.p.code, member.code])
    membership.refresh_from_db()
    assert membership.valid_until == yesterday
    event = _assert_one_event(
        "membership.end", actor=admin, partnership=world.p, obj_code=membership.code, since_pk=since
    )
    assert event.extra.get("valid_until") == yesterday.isoformat()
    assert AuditEvent.objects.filter(pk__gt=since).count() == 1
    # Next request: the school is gone, the start page no longer lists it.
    assert person.get(school_url).status_code == 404
    home = person.get(reverse("front:home"))
    assert world.a.name not in home.content.decode()


def test_end_a_role_today_keeps_it_until_the_end_of_the_day(world, admin_client):
    member = world.users["coordinator"]
    membership = Membership.objects.get(user=member)
    admin_client.post(
        reverse("accounts:membership_end", args=[world.p.code, membership.code]),
        {"valid_until": timezone.localdate().isoformat()},
    )
    membership.refresh_from_db()
    assert membership.valid_until == timezone.localdate()
    person = Client()
    sign_in(person, member)
    url = reverse("organisations:school_detail", args=[world.a.code])
    assert person.get(url).status_code == 200


@pytest.mark.parametrize("persona", ["consultant", "office", "director", "coordinator"])
def test_non_admins_cannot_manage_people(world, persona):
    client = Client()
    sign_in(client, world.users[persona])
    membership = Membership.objects.get(user=world.users["bpo"])
    before = (User.objects.count(), Membership.objects.count(), AuditEvent.objects.count())

    answers = [
        client.post(reverse("accounts:user_create", args=[world.p.code]), _new_person(world)),
        client.post(
            reverse("accounts:user_detail", args=[world.p.code, world.users["bpo"].code]),
            {
                "role": Role.DIRECTOR,
                "school": str(world.a.code),
                "valid_from": timezone.localdate().isoformat(),
            },
        ),
        client.post(
            reverse("accounts:membership_end", args=[world.p.code, membership.code]),
            {"valid_until": timezone.localdate().isoformat()},
        ),
    ]

    assert all(r.status_code in (403, 404) for r in answers), [r.status_code for r in answers]
    assert (User.objects.count(), Membership.objects.count(), AuditEvent.objects.count()) == before
    membership.refresh_from_db()
    assert membership.valid_until is None
    assert mail.outbox == []
